//! The context every command runs in: resolved connection settings, output policy
//! and the instant the command started; and the one rule for blocking work.
//!
//! # Blocking work and async code
//!
//! librdkafka calls that wait on the network (metadata, watermarks,
//! offsets-for-times, cluster id, reading records, flushing or polling with a
//! timeout) are made from plain, sync functions, never from an `async fn`. Async
//! code that needs one calls it through [`blocking`] (`spawn_blocking`), so no
//! runtime thread is held by a broker round trip and the tasks that serve
//! signals, timers and rdkafka's futures always get to run. A command with
//! nothing to await (`dlq`) is sync from top to bottom and is called through
//! [`blocking`] once. A long sync loop that must wait for something async (the
//! replay loop's rate limit, raced against Ctrl-C in one `select!`) blocks on
//! that one future with the runtime's `Handle::block_on`, from its blocking
//! thread.

use chrono::{DateTime, Utc};

use crate::config::ConnectionSettings;
use crate::error::{Error, Result};
use crate::kafka::Kafka;
use crate::output::Output;

pub struct Context {
    pub settings: ConnectionSettings,
    pub out: Output,
    /// One instant per invocation, so relative times and ages agree across a command.
    pub now: DateTime<Utc>,
}

impl Context {
    /// The shared Kafka layer; fails with a hint when no brokers were configured.
    pub fn kafka(&self) -> Result<Kafka> {
        Kafka::new(&self.settings)
    }
}

/// Run blocking work (see the module doc) on Tokio's blocking threads.
pub async fn blocking<T: Send + 'static>(f: impl FnOnce() -> T + Send + 'static) -> Result<T> {
    tokio::task::spawn_blocking(f)
        .await
        .map_err(|e| Error::broker(format!("a background task failed: {e}"), None))
}
