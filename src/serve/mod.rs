//! `kafkaops serve`: a long-running Prometheus exporter for lag, event age and DLQ
//! categories. Collection runs on its own interval on a blocking thread; each
//! source (lag, one per DLQ topic) publishes its figures only once they are
//! complete, and a scrape renders the last complete figures from memory, never
//! waiting on a broker.
//!
//! Layout: [`window`] keeps the lag samples (persisted in the state dir) and
//! evaluates them Burrow-style; [`dlq`] follows a dead-letter topic
//! incrementally; [`board`] holds each source's last figures and health and
//! renders the exposition; [`collect`] runs the cycles; [`http`] serves
//! `/metrics`, `/healthz` and the [`index`] page; [`file`] reads `--config`.

pub mod board;
pub mod collect;
pub mod dlq;
pub mod file;
pub mod http;
pub mod index;
pub mod window;

use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use crate::app::{blocking, Context};
use crate::error::{Error, Result};
use crate::exit::ExitCode;
use crate::lag::GroupSelection;
use crate::signal::Stop;

/// A `kafkaops serve` invocation, free of clap (flags merged over `--config`).
#[derive(Clone, Debug)]
pub struct ServeRequest {
    pub listen: SocketAddr,
    pub interval: Duration,
    /// Lag samples the Burrow-style status is evaluated over.
    pub window: usize,
    /// `None`: no lag collection (`--no-lag`).
    pub lag: Option<LagSpec>,
    pub dlq: Vec<DlqSpec>,
}

/// Which groups to follow, as in `kafkaops lag`.
#[derive(Clone, Debug)]
pub struct LagSpec {
    pub selection: GroupSelection,
    pub topic: Option<String>,
    pub ages: bool,
    pub allowed_lag: i64,
}

/// One dead-letter topic, with the `dlq triage` options that shape its report.
#[derive(Clone, Debug)]
pub struct DlqSpec {
    pub topic: String,
    pub rules: Option<PathBuf>,
    pub sla: Option<Duration>,
    pub audit_log: Option<PathBuf>,
    pub max_categories: usize,
}

pub async fn run(req: ServeRequest, ctx: Arc<Context>) -> Result<ExitCode> {
    if req.lag.is_none() && req.dlq.is_empty() {
        return Err(Error::usage_hint(
            "nothing to serve: --no-lag and no --dlq-topic",
            "drop --no-lag, or name a dead-letter topic with --dlq-topic T",
        ));
    }
    // Bound first: a port in use fails before any broker is asked.
    let listener = tokio::net::TcpListener::bind(req.listen)
        .await
        .map_err(|e| {
            Error::config(
                format!("cannot listen on {}: {e}", req.listen),
                "choose another address with --listen HOST:PORT (is another exporter running?)",
            )
        })?;
    let addr = listener.local_addr().unwrap_or(req.listen);
    // Broker, topics, groups, rules: checked once at start, with the usual errors.
    let c = ctx.clone();
    let r = req.clone();
    let sources = blocking(move || collect::Sources::start(&r, c)).await??;
    let board = Arc::new(board::Board::new(&req, ctx.now));
    let stop = Stop::install();
    ctx.out.note(&format!(
        "serving http://{addr}/metrics, collecting every {}",
        humantime::format_duration(req.interval)
    ));
    let collector = tokio::spawn(collect::run(
        sources,
        board.clone(),
        req.interval,
        stop.clone(),
    ));
    let server = http::serve(listener, board, stop.clone());
    // The server ends on a stop, and so does the collector, after its current
    // source (a DLQ read stops at its next record).
    server.await?;
    let _ = collector.await;
    ctx.out.note("stopped");
    Ok(ExitCode::Success)
}
