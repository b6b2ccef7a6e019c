//! The context every command runs in: resolved connection settings, output policy
//! and the instant the command started.

use chrono::{DateTime, Utc};

use crate::config::ConnectionSettings;
use crate::error::Result;
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
