//! The HTTP side: `/metrics` (the last complete figures, from memory),
//! `/healthz` (200 while serving, with each source's state) and `/` (the index
//! page). Stops accepting and finishes in-flight requests on Ctrl-C or SIGTERM.

use std::sync::Arc;

use axum::extract::State;
use axum::http::header;
use axum::response::{Html, IntoResponse};
use axum::routing::get;
use axum::Router;

use super::board::Board;
use super::index;
use crate::error::{Error, Result};
use crate::signal::Stop;

/// The exposition format's content type.
const TEXT_FORMAT: &str = "text/plain; version=0.0.4; charset=utf-8";

pub async fn serve(listener: tokio::net::TcpListener, board: Arc<Board>, stop: Stop) -> Result<()> {
    let app = Router::new()
        .route("/metrics", get(metrics))
        .route("/healthz", get(healthz))
        .route("/", get(home))
        .with_state(board);
    axum::serve(listener, app)
        .with_graceful_shutdown(async move { stop.wait().await })
        .await
        .map_err(|e| Error::broker(format!("the HTTP server failed: {e}"), None))
}

async fn metrics(State(board): State<Arc<Board>>) -> impl IntoResponse {
    // Shared, not copied: one scrape's body is the whole exposition.
    ([(header::CONTENT_TYPE, TEXT_FORMAT)], board.metrics())
}

async fn healthz(State(board): State<Arc<Board>>) -> impl IntoResponse {
    let body = board.with_sources(|sources| {
        let mut s = String::from("ok\n");
        for src in sources {
            s.push_str(&format!(
                "{}: {}\n",
                src.label(),
                if src.up {
                    "up"
                } else if src.collections == 0 {
                    "starting"
                } else {
                    "down"
                }
            ));
        }
        s
    });
    ([(header::CONTENT_TYPE, "text/plain; charset=utf-8")], body)
}

async fn home(State(board): State<Arc<Board>>) -> Html<String> {
    Html(index::page(&board))
}
