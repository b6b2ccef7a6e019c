//! Topic admin calls (CreateTopics, DeleteTopics), used by `drill` for its scratch
//! topic, and the one topic setting replay needs (DescribeConfigs:
//! `max.message.bytes`). Failures are classified like every other Kafka call; the
//! api name stays in the message so a broker without the API is recognisable.

use std::time::{Duration, Instant};

use rdkafka::admin::{AdminClient, AdminOptions, NewTopic, ResourceSpecifier, TopicReplication};

use super::{config_error, Kafka, KafkaContext, Op};
use crate::error::{Error, Result};

impl Kafka {
    fn topic_admin(&self) -> Result<AdminClient<KafkaContext>> {
        self.client_config(&[])
            .create_with_context(KafkaContext::default())
            .map_err(|e| config_error(&e))
    }

    /// Create a topic and wait (up to the per-call timeout) until the metadata
    /// shows all its partitions: it propagates asynchronously, and a producer
    /// needs them.
    pub async fn create_topic(&self, name: &str, partitions: i32, replication: i32) -> Result<()> {
        let admin = self.topic_admin()?;
        let what = format!("create topic '{name}' (CreateTopics)");
        let topic = NewTopic::new(name, partitions, TopicReplication::Fixed(replication));
        let opts = AdminOptions::new()
            .operation_timeout(Some(self.timeout()))
            .request_timeout(Some(self.timeout()));
        let results = admin
            .create_topics([&topic], &opts)
            .await
            .map_err(|e| self.classify(&e, Op::Create, &what, admin.inner().context()))?;
        for r in results {
            if let Err((_, code)) = r {
                return Err(self.classify_code(code, Op::Create, &what, admin.inner().context()));
            }
        }
        let deadline = Instant::now() + self.timeout();
        loop {
            if self
                .topic(name)
                .is_ok_and(|t| t.partitions.len() == partitions as usize)
            {
                return Ok(());
            }
            if Instant::now() > deadline {
                return Err(Error::broker(
                    format!("topic '{name}' did not appear in the metadata"),
                    None,
                ));
            }
            tokio::time::sleep(Duration::from_millis(200)).await;
        }
    }

    /// Delete a topic.
    pub async fn delete_topic(&self, name: &str) -> Result<()> {
        let admin = self.topic_admin()?;
        let what = format!("delete topic '{name}' (DeleteTopics)");
        let opts = AdminOptions::new().operation_timeout(Some(self.timeout()));
        let results = admin
            .delete_topics(&[name], &opts)
            .await
            .map_err(|e| self.classify(&e, Op::Delete, &what, admin.inner().context()))?;
        for r in results {
            if let Err((_, code)) = r {
                return Err(self.classify_code(code, Op::Delete, &what, admin.inner().context()));
            }
        }
        Ok(())
    }

    /// The largest record batch the topic accepts (its `max.message.bytes`, from
    /// DescribeConfigs), or `None` when the broker does not say (no DescribeConfigs,
    /// as on the mock cluster, or not authorised to describe the topic's
    /// configuration): the producer's own limit still applies then. Sync: runs on
    /// a blocking thread like the rest of replay's broker work.
    pub fn topic_max_message_bytes(&self, topic: &str) -> Option<u64> {
        self.topic_limits(topic)?.max_message_bytes
    }

    /// The topic's `max.message.bytes` and whether it is compacted, in one
    /// DescribeConfigs; `None` when the broker does not say, as
    /// [`Kafka::topic_max_message_bytes`].
    pub fn topic_limits(&self, topic: &str) -> Option<TopicLimits> {
        // Sent to the leader of the topic's first partition (any broker answers for
        // a topic), not to the controller: librdkafka waits for a controller the
        // mock cluster never names until the whole timeout has passed.
        let leader = self.topic(topic).ok()?.partitions.first()?.leader;
        let admin = self.topic_admin().ok()?;
        let opts = AdminOptions::new()
            .request_timeout(Some(self.timeout()))
            .broker_id(leader);
        let resource = ResourceSpecifier::Topic(topic);
        let results =
            futures::executor::block_on(admin.describe_configs([&resource], &opts)).ok()?;
        let config = results.into_iter().next()?.ok()?;
        let value = |name: &str| config.get(name).and_then(|e| e.value.clone());
        Some(TopicLimits {
            max_message_bytes: value("max.message.bytes").and_then(|v| v.trim().parse().ok()),
            compacted: value("cleanup.policy").map(|p| p.split(',').any(|p| p.trim() == "compact")),
        })
    }
}

/// What a topic's configuration says about the records it holds.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct TopicLimits {
    /// `max.message.bytes`: no record batch, so no record, is larger.
    pub max_message_bytes: Option<u64>,
    /// `cleanup.policy` includes `compact`: offsets may hold no record.
    pub compacted: Option<bool>,
}
