//! The embedded broker behind `kafkaops sandbox` and `kafkaops demo`: librdkafka's
//! mock cluster in this process, with what the sandbox does to it (create topics,
//! seed records, commit group offsets).

use std::time::Duration;

use rdkafka::consumer::{CommitMode, Consumer};
use rdkafka::message::{Header, OwnedHeaders};
use rdkafka::mocking::MockCluster;
use rdkafka::producer::{DefaultProducerContext, FutureRecord};
use rdkafka::util::Timeout;
use rdkafka::{Offset, TopicPartitionList};

use super::{Kafka, Op};
use crate::config::{ConnectionRequest, ConnectionSettings};
use crate::error::{Error, Result};

/// One record to seed, borrowed.
pub struct MockRecord<'a> {
    pub partition: i32,
    pub key: &'a [u8],
    pub value: &'a [u8],
    pub headers: &'a [(String, Vec<u8>)],
    pub timestamp_ms: i64,
}

/// A running mock cluster and a client handle on it. Dropping it stops the brokers.
pub struct SandboxCluster {
    cluster: MockCluster<'static, DefaultProducerContext>,
    kafka: Kafka,
}

impl SandboxCluster {
    /// Start `brokers` mock brokers on ephemeral loopback ports.
    pub fn start(brokers: i32) -> Result<SandboxCluster> {
        let cluster = MockCluster::new(brokers)
            .map_err(|e| Error::broker(format!("cannot start the embedded broker: {e}"), None))?;
        let settings = ConnectionSettings::resolve_with(
            &ConnectionRequest {
                brokers: Some(cluster.bootstrap_servers()),
                timeout: Duration::from_secs(10),
                ..Default::default()
            },
            &|_| None,
        )?;
        let kafka = Kafka::new(&settings)?;
        Ok(SandboxCluster { cluster, kafka })
    }

    /// The mock brokers' own addresses, comma-separated.
    pub fn bootstrap_servers(&self) -> String {
        self.cluster.bootstrap_servers()
    }

    /// A handle on the mock brokers (bootstrapping from them directly).
    pub fn kafka(&self) -> &Kafka {
        &self.kafka
    }

    pub fn create_topic(&self, name: &str, partitions: i32) -> Result<()> {
        self.cluster.create_topic(name, partitions, 1).map_err(|e| {
            Error::broker(
                format!("cannot create topic '{name}' on the embedded broker: {e}"),
                None,
            )
        })
    }

    /// Produce `records` to `topic` and wait for all of them to be acknowledged.
    pub async fn produce<'a>(
        &self,
        topic: &str,
        records: impl IntoIterator<Item = MockRecord<'a>>,
    ) -> Result<()> {
        let producer = self.kafka.simple_producer()?;
        let mut pending = Vec::new();
        for r in records {
            let mut headers = OwnedHeaders::new_with_capacity(r.headers.len());
            for (k, v) in r.headers {
                headers = headers.insert(Header {
                    key: k,
                    value: Some(v),
                });
            }
            let rec = FutureRecord::to(topic)
                .partition(r.partition)
                .key(r.key)
                .payload(r.value)
                .headers(headers)
                .timestamp(r.timestamp_ms);
            pending.push(producer.send(rec, Timeout::After(Duration::from_secs(30))));
        }
        for p in futures::future::join_all(pending).await {
            p.map_err(|(e, _)| Error::broker(format!("cannot seed '{topic}': {e}"), None))?;
        }
        Ok(())
    }

    /// Commit `group`'s offsets on `topic`: (partition, offset) pairs.
    pub fn commit(&self, group: &str, topic: &str, offsets: &[(i32, i64)]) -> Result<()> {
        let consumer = self.kafka.consumer(Some(group))?;
        let mut tpl = TopicPartitionList::new();
        for &(p, at) in offsets {
            tpl.add_partition_offset(topic, p, Offset::Offset(at))
                .map_err(|e| {
                    self.kafka
                        .classify(&e, Op::Read, "commit", consumer.context())
                })?;
        }
        consumer.commit(&tpl, CommitMode::Sync).map_err(|e| {
            self.kafka.classify(
                &e,
                Op::Read,
                &format!("commit offsets for group '{group}'"),
                consumer.context(),
            )
        })
    }
}
