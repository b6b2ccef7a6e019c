//! The brokers the tests run against (librdkafka's mock cluster, the shared Tansu, a
//! private Tansu, or `KAFKAOPS_TEST_BROKERS`) and the plain-client operations the tests
//! use to set up and read back topics.

use std::process::Command as StdCommand;
use std::time::{Duration, Instant};

use rdkafka::admin::{AdminClient, AdminOptions, NewTopic, TopicReplication};
use rdkafka::client::DefaultClientContext;
use rdkafka::config::ClientConfig;
use rdkafka::consumer::{BaseConsumer, Consumer};
use rdkafka::message::{Header, Headers, Message, OwnedHeaders};
use rdkafka::mocking::MockCluster;
use rdkafka::producer::{DefaultProducerContext, FutureProducer, FutureRecord};
use rdkafka::util::Timeout;
use rdkafka::{Offset, TopicPartitionList};

use super::records::{Got, Rec};

enum Kind {
    Mock(MockCluster<'static, DefaultProducerContext>),
    External,
}

pub struct Broker {
    kind: Kind,
    bootstrap: String,
    label: &'static str,
}

impl Broker {
    /// The external cluster when `KAFKAOPS_TEST_BROKERS` is set, else a fresh mock cluster.
    pub fn mock(brokers: i32) -> Broker {
        if let Some(b) = external() {
            return b;
        }
        Self::mock_faults(brokers).expect("mock cluster")
    }

    /// Always a mock cluster (for fault injection); `None` when the suite is pointed
    /// at an external cluster, where faults cannot be injected.
    pub fn mock_faults(brokers: i32) -> Option<Broker> {
        if external().is_some() {
            eprintln!("skipping mock-only fault injection: KAFKAOPS_TEST_BROKERS is set");
            return None;
        }
        let cluster = MockCluster::new(brokers).expect("start librdkafka mock cluster");
        let bootstrap = cluster.bootstrap_servers();
        Some(Broker {
            kind: Kind::Mock(cluster),
            bootstrap,
            label: "mock",
        })
    }

    /// The Tansu broker started by scripts/test.sh, or the external cluster.
    pub fn tansu() -> Broker {
        if let Some(b) = external() {
            return b;
        }
        let bootstrap = std::env::var("KAFKAOPS_TANSU_BROKERS").unwrap_or_else(|_| {
            panic!(
                "this test needs the Tansu broker: run it through scripts/test.sh, or start one with \
                 `scripts/tansu.sh start DIR` and export KAFKAOPS_TANSU_BROKERS=127.0.0.1:PORT"
            )
        });
        Broker {
            kind: Kind::External,
            bootstrap,
            label: "tansu",
        }
    }

    /// The Apache Kafka broker started by scripts/test.sh (`KAFKAOPS_KAFKA_BROKERS`), or
    /// the external cluster: the broker users run, with every API the others lack.
    pub fn kafka() -> Broker {
        if let Some(b) = external() {
            return b;
        }
        let bootstrap = std::env::var("KAFKAOPS_KAFKA_BROKERS").unwrap_or_else(|_| {
            panic!(
                "this test needs the Apache Kafka broker: run it through scripts/test.sh, or start \
                 one with `scripts/kafka.sh start DIR` and export KAFKAOPS_KAFKA_BROKERS=HOST:PORT \
                 KAFKAOPS_KAFKA_ENV=DIR/env KAFKAOPS_KAFKA_DIR=DIR"
            )
        });
        Broker {
            kind: Kind::External,
            bootstrap,
            label: "kafka",
        }
    }

    /// Another running broker, e.g. a private Apache Kafka of one test's own.
    pub fn at(bootstrap: &str, label: &'static str) -> Broker {
        Broker {
            kind: Kind::External,
            bootstrap: bootstrap.to_string(),
            label,
        }
    }

    pub fn bootstrap(&self) -> &str {
        &self.bootstrap
    }

    pub fn label(&self) -> &'static str {
        self.label
    }

    pub fn is_mock(&self) -> bool {
        matches!(self.kind, Kind::Mock(_))
    }

    /// The mock cluster, for fault injection.
    pub fn cluster(&self) -> Option<&MockCluster<'static, DefaultProducerContext>> {
        match &self.kind {
            Kind::Mock(c) => Some(c),
            Kind::External => None,
        }
    }

    pub fn config(&self) -> ClientConfig {
        let mut c = ClientConfig::new();
        c.set("bootstrap.servers", &self.bootstrap);
        c
    }

    /// Create a topic and wait until its metadata shows every partition.
    pub fn create_topic(&self, name: &str, partitions: i32) {
        self.create_topic_with(name, partitions, &[]);
    }

    /// [`Broker::create_topic`] with topic configs (e.g. `cleanup.policy`), which
    /// only an external broker applies; the mock cluster refuses them.
    pub fn create_topic_with(&self, name: &str, partitions: i32, configs: &[(&str, &str)]) {
        match &self.kind {
            Kind::Mock(c) => {
                assert!(
                    configs.is_empty(),
                    "the mock cluster takes no topic configs"
                );
                c.create_topic(name, partitions, 1)
                    .expect("mock create_topic")
            }
            Kind::External => {
                let admin: AdminClient<DefaultClientContext> =
                    self.config().create().expect("admin client");
                let topic = configs.iter().fold(
                    NewTopic::new(name, partitions, TopicReplication::Fixed(1)),
                    |t, (k, v)| t.set(k, v),
                );
                let opts = AdminOptions::new().operation_timeout(Some(Duration::from_secs(10)));
                let rt = tokio::runtime::Builder::new_current_thread()
                    .enable_all()
                    .build()
                    .unwrap();
                let res = rt
                    .block_on(admin.create_topics([&topic], &opts))
                    .expect("create_topics");
                for r in res {
                    if let Err((t, e)) = r {
                        panic!("create topic {t}: {e}");
                    }
                }
            }
        }
        let consumer: BaseConsumer = self.config().create().expect("consumer");
        let deadline = Instant::now() + Duration::from_secs(20);
        loop {
            if let Ok(md) = consumer.fetch_metadata(Some(name), Duration::from_secs(5)) {
                if md.topics().iter().any(|t| {
                    t.name() == name
                        && t.error().is_none()
                        && t.partitions().len() == partitions as usize
                }) {
                    return;
                }
            }
            assert!(
                Instant::now() < deadline,
                "topic {name} never appeared on {}",
                self.label
            );
            std::thread::sleep(Duration::from_millis(100));
        }
    }

    /// Produce records and wait for every delivery; returns (partition, offset) of each.
    pub fn produce(&self, topic: &str, records: &[Rec]) -> Vec<(i32, i64)> {
        let producer: FutureProducer = self
            .config()
            .set("acks", "all")
            .set("linger.ms", "5")
            .set("message.timeout.ms", "30000")
            .create()
            .expect("producer");
        let rt = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .unwrap();
        rt.block_on(async {
            let mut futures = Vec::with_capacity(records.len());
            for r in records {
                let mut headers = OwnedHeaders::new_with_capacity(r.headers.len());
                for (name, value) in &r.headers {
                    headers = headers.insert(Header {
                        key: name.as_str(),
                        value: value.as_deref(),
                    });
                }
                let mut rec: FutureRecord<'_, [u8], [u8]> =
                    FutureRecord::to(topic).headers(headers);
                if let Some(p) = r.partition {
                    rec = rec.partition(p);
                }
                if let Some(k) = &r.key {
                    rec = rec.key(k.as_slice());
                }
                if let Some(v) = &r.value {
                    rec = rec.payload(v.as_slice());
                }
                if let Some(ts) = r.timestamp_ms {
                    rec = rec.timestamp(ts);
                }
                futures.push(producer.send(rec, Timeout::After(Duration::from_secs(30))));
            }
            let mut out = Vec::with_capacity(futures.len());
            for f in futures {
                let d = f
                    .await
                    .unwrap_or_else(|(e, _)| panic!("produce to {topic}: {e}"));
                out.push((d.partition, d.offset));
            }
            out
        })
    }

    /// Every record currently in the topic, in partition then offset order.
    pub fn consume_all(&self, topic: &str) -> Vec<Got> {
        let consumer: BaseConsumer = self
            .config()
            .set("enable.partition.eof", "true")
            .set("enable.auto.commit", "false")
            // librdkafka refuses assign() without a group id; nothing is committed.
            .set("group.id", "kafkaops-test-reader")
            .create()
            .expect("consumer");
        let md = consumer
            .fetch_metadata(Some(topic), Duration::from_secs(10))
            .expect("metadata");
        let parts: Vec<i32> = md.topics()[0].partitions().iter().map(|p| p.id()).collect();
        let mut tpl = TopicPartitionList::new();
        let mut pending = 0;
        for p in &parts {
            let (low, high) = consumer
                .fetch_watermarks(topic, *p, Duration::from_secs(10))
                .expect("watermarks");
            if high > low {
                tpl.add_partition_offset(topic, *p, Offset::Offset(low))
                    .unwrap();
                pending += 1;
            }
        }
        let mut out = Vec::new();
        if pending == 0 {
            return out;
        }
        consumer.assign(&tpl).expect("assign");
        let deadline = Instant::now() + Duration::from_secs(60);
        let mut done = std::collections::HashSet::new();
        while done.len() < pending {
            assert!(Instant::now() < deadline, "reading {topic} timed out");
            match consumer.poll(Duration::from_millis(200)) {
                None => {}
                Some(Err(rdkafka::error::KafkaError::PartitionEOF(p))) => {
                    done.insert(p);
                }
                Some(Err(e)) => panic!("consume {topic}: {e}"),
                Some(Ok(m)) => {
                    let headers = m
                        .headers()
                        .map(|h| {
                            h.iter()
                                .map(|x| (x.key.to_string(), x.value.map(<[u8]>::to_vec)))
                                .collect()
                        })
                        .unwrap_or_default();
                    out.push(Got {
                        partition: m.partition(),
                        offset: m.offset(),
                        key: m.key().map(<[u8]>::to_vec),
                        value: m.payload().map(<[u8]>::to_vec),
                        headers,
                        timestamp_ms: m.timestamp().to_millis(),
                    });
                }
            }
        }
        out.sort_by_key(|g| (g.partition, g.offset));
        out
    }

    /// Commit offsets for a consumer group (for lag tests).
    pub fn commit(&self, group: &str, topic: &str, offsets: &[(i32, i64)]) {
        commit_offsets(&self.bootstrap, group, topic, offsets);
    }
}

/// The brokers that every broker-agnostic test runs on: the mock cluster, Tansu and
/// Apache Kafka (only the external cluster when `KAFKAOPS_TEST_BROKERS` is set).
pub fn brokers() -> Vec<Broker> {
    if let Some(b) = external() {
        return vec![b];
    }
    vec![Broker::mock(1), Broker::tansu(), Broker::kafka()]
}

/// The brokers with the APIs the mock cluster lacks (ListGroups, DescribeGroups,
/// offsets-for-times, CreateTopics): Tansu and Apache Kafka (only the external
/// cluster when `KAFKAOPS_TEST_BROKERS` is set).
pub fn full_brokers() -> Vec<Broker> {
    if let Some(b) = external() {
        return vec![b];
    }
    vec![Broker::tansu(), Broker::kafka()]
}

/// The mock cluster and Apache Kafka (only the external cluster when
/// `KAFKAOPS_TEST_BROKERS` is set): for tests whose subject a full broker changes
/// (group membership in trend statuses, a real broker's produce and fetch under a
/// killed replay) and that run on the mock for speed.
pub fn mock_and_kafka() -> Vec<Broker> {
    if let Some(b) = external() {
        return vec![b];
    }
    vec![Broker::mock(1), Broker::kafka()]
}

/// [`Broker::commit`] from a bootstrap address alone, for threads that cannot share the
/// [`Broker`] (the mock cluster handle is not `Sync`).
pub fn commit_offsets(bootstrap: &str, group: &str, topic: &str, offsets: &[(i32, i64)]) {
    let consumer: BaseConsumer = ClientConfig::new()
        .set("bootstrap.servers", bootstrap)
        .set("group.id", group)
        .set("enable.auto.commit", "false")
        .create()
        .expect("consumer");
    let mut tpl = TopicPartitionList::new();
    for (p, o) in offsets {
        tpl.add_partition_offset(topic, *p, Offset::Offset(*o))
            .unwrap();
    }
    consumer
        .commit(&tpl, rdkafka::consumer::CommitMode::Sync)
        .unwrap_or_else(|e| panic!("commit {group}: {e}"));
}

fn external() -> Option<Broker> {
    let b = std::env::var("KAFKAOPS_TEST_BROKERS")
        .ok()
        .filter(|s| !s.trim().is_empty())?;
    Some(Broker {
        kind: Kind::External,
        bootstrap: b,
        label: "external",
    })
}

/// A Tansu broker of this test's own, for tests whose admin calls would disturb the
/// shared one (Tansu 0.6.0's DeleteTopics drops every topic, not just the one named).
/// With `KAFKAOPS_TEST_BROKERS` set, the external cluster is used instead.
pub struct PrivateBroker {
    pub broker: Broker,
    dir: Option<tempfile::TempDir>,
}

impl PrivateBroker {
    pub fn tansu() -> PrivateBroker {
        if let Some(b) = external() {
            return PrivateBroker {
                broker: b,
                dir: None,
            };
        }
        let dir = tempfile::tempdir().unwrap();
        let script = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("scripts/tansu.sh");
        let out = StdCommand::new("bash")
            .arg(&script)
            .arg("start")
            .arg(dir.path())
            .output()
            .expect("run scripts/tansu.sh");
        assert!(
            out.status.success(),
            "could not start a private Tansu (install it with `scripts/tansu.sh install`): {}",
            String::from_utf8_lossy(&out.stderr)
        );
        let bootstrap = String::from_utf8(out.stdout).unwrap().trim().to_string();
        PrivateBroker {
            broker: Broker {
                kind: Kind::External,
                bootstrap,
                label: "private tansu",
            },
            dir: Some(dir),
        }
    }
}

impl Drop for PrivateBroker {
    fn drop(&mut self) {
        if let Some(dir) = &self.dir {
            let script = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("scripts/tansu.sh");
            let _ = StdCommand::new("bash")
                .arg(script)
                .arg("stop")
                .arg(dir.path())
                .output();
        }
    }
}
