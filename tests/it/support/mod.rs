//! Test support: real brokers for integration tests.
//!
//! - [`Broker::mock`]: librdkafka's mock cluster, in this test process, speaking the
//!   wire protocol on loopback (fast; fault injection through [`Broker::cluster`]).
//! - [`Broker::tansu`]: the Tansu broker that `scripts/test.sh` starts
//!   (`KAFKAOPS_TANSU_BROKERS`); it answers offsets-for-times and ListGroups.
//! - [`Broker::kafka`]: the Apache Kafka broker that `scripts/test.sh` starts
//!   (`KAFKAOPS_KAFKA_BROKERS`): group membership, compaction, DeleteRecords and
//!   retention by record time, as users run them. [`full_brokers`] is Tansu and Kafka.
//! - `KAFKAOPS_TEST_BROKERS=host:port` points both at an external cluster (e.g. Apache
//!   Kafka), so the broker-agnostic tests run there instead. Tests that need the mock
//!   cluster's fault injection use [`Broker::mock_faults`] and are skipped (with a
//!   message) only in that mode.
//!
//! One file per job: `broker` (the brokers and the plain-client set-up and read-back),
//! `outage` (a mock broker down and up again), `records` (what is written and read),
//! `command` (the binary under test), `refusal` (table-driven bad-input checks),
//! `address` (loopback addresses), `python` (the independent confluent-kafka client),
//! `kafka_env` (Apache Kafka's listeners, users, ACLs and a private broker to restart).

mod address;
mod broker;
mod command;
mod kafka_env;
mod outage;
mod python;
mod records;
mod refusal;

use std::sync::atomic::{AtomicU32, Ordering};

pub use address::{dead_address, free_address};
pub use broker::{brokers, commit_offsets, full_brokers, mock_and_kafka, Broker, PrivateBroker};
pub use command::{clean_env, kafkaops, kafkaops_std};
pub use kafka_env::{KafkaEnv, PrivateKafka};
pub use python::{python, python_file, python_file_spawn};
pub use records::{Got, Rec};
pub use refusal::Refusal;

/// A name no other test (or earlier run against the same broker) uses.
pub fn unique(prefix: &str) -> String {
    static N: AtomicU32 = AtomicU32::new(0);
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_nanos()
        % 1_000_000_000_000;
    format!(
        "{prefix}-{}-{nanos}-{}",
        std::process::id(),
        N.fetch_add(1, Ordering::Relaxed)
    )
}

/// Milliseconds since the Unix epoch, the unit of record timestamps.
pub fn now_ms() -> i64 {
    chrono::Utc::now().timestamp_millis()
}

/// Command output parsed as JSON; the panic shows the text that is not.
pub fn json(out: &[u8]) -> serde_json::Value {
    serde_json::from_slice(out)
        .unwrap_or_else(|e| panic!("not JSON ({e}): {}", String::from_utf8_lossy(out)))
}
