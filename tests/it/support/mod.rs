//! Test support: real brokers for integration tests.
//!
//! - [`Broker::mock`]: librdkafka's mock cluster, in this test process, speaking the
//!   wire protocol on loopback (fast; fault injection through [`Broker::cluster`]).
//! - [`Broker::tansu`]: the Tansu broker that `scripts/test.sh` starts
//!   (`KAFKAOPS_TANSU_BROKERS`); it answers offsets-for-times and ListGroups.
//! - `KAFKAOPS_TEST_BROKERS=host:port` points both at an external cluster (e.g. Apache
//!   Kafka), so the broker-agnostic tests run there instead. Tests that need the mock
//!   cluster's fault injection use [`Broker::mock_faults`] and are skipped (with a
//!   message) only in that mode.
#![allow(dead_code)]

use std::process::Command as StdCommand;
use std::sync::atomic::{AtomicU32, Ordering};
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

/// The real binary with a clean environment: no user config, no colour, no
/// inherited KAFKAOPS_* settings, state and config under a scratch HOME.
pub fn kafkaops() -> assert_cmd::Command {
    let mut cmd = assert_cmd::Command::cargo_bin("kafkaops").expect("binary built");
    for (k, _) in std::env::vars() {
        if k.starts_with("KAFKAOPS_") || k.starts_with("XDG_") {
            cmd.env_remove(k);
        }
    }
    let home = scratch_home();
    cmd.env("HOME", &home)
        .env("XDG_CONFIG_HOME", home.join("config"))
        .env("XDG_STATE_HOME", home.join("state"))
        .env("NO_COLOR", "1")
        .env("USER", "kafkaops-test");
    cmd
}

/// A per-test-process scratch directory, kept until the process exits.
pub fn scratch_home() -> std::path::PathBuf {
    static DIR: std::sync::OnceLock<tempfile::TempDir> = std::sync::OnceLock::new();
    DIR.get_or_init(|| tempfile::tempdir().expect("tempdir"))
        .path()
        .to_path_buf()
}

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

/// A record to produce. `partition: None` lets the producer choose.
#[derive(Clone, Debug, Default)]
pub struct Rec {
    pub partition: Option<i32>,
    pub key: Option<Vec<u8>>,
    pub value: Option<Vec<u8>>,
    pub headers: Vec<(String, Option<Vec<u8>>)>,
    pub timestamp_ms: Option<i64>,
}

impl Rec {
    pub fn new(partition: i32, key: &str, value: &str) -> Self {
        Rec {
            partition: Some(partition),
            key: Some(key.as_bytes().to_vec()),
            value: Some(value.as_bytes().to_vec()),
            ..Default::default()
        }
    }

    pub fn header(mut self, name: &str, value: impl AsRef<[u8]>) -> Self {
        self.headers
            .push((name.to_string(), Some(value.as_ref().to_vec())));
        self
    }

    pub fn at(mut self, timestamp_ms: i64) -> Self {
        self.timestamp_ms = Some(timestamp_ms);
        self
    }
}

/// A record read back from a topic.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Got {
    pub partition: i32,
    pub offset: i64,
    pub key: Option<Vec<u8>>,
    pub value: Option<Vec<u8>>,
    pub headers: Vec<(String, Option<Vec<u8>>)>,
    pub timestamp_ms: Option<i64>,
}

impl Got {
    pub fn header(&self, name: &str) -> Option<&[u8]> {
        self.headers
            .iter()
            .find(|(n, _)| n == name)
            .and_then(|(_, v)| v.as_deref())
    }
}

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

    /// Take mock broker `id` down (see [`Outage`]); only for single-broker clusters,
    /// whose bootstrap address is that broker's listener.
    pub fn outage(&self, id: i32) -> Outage<'_> {
        let cluster = self.cluster().expect("outage needs the mock cluster");
        assert!(
            !self.bootstrap.contains(','),
            "outage() needs a single-broker mock cluster"
        );
        let port: std::net::SocketAddr = self.bootstrap.parse().expect("loopback address");
        cluster.broker_down(id).unwrap();
        // librdkafka closes the listener on its own thread: retry briefly until the
        // port can be taken.
        let placeholder = bind_within(port, Duration::from_secs(5), Duration::from_millis(5)).ok();
        Outage {
            broker: self,
            id,
            port,
            placeholder,
        }
    }

    pub fn config(&self) -> ClientConfig {
        let mut c = ClientConfig::new();
        c.set("bootstrap.servers", &self.bootstrap);
        c
    }

    /// Create a topic and wait until its metadata shows every partition.
    pub fn create_topic(&self, name: &str, partitions: i32) {
        match &self.kind {
            Kind::Mock(c) => c
                .create_topic(name, partitions, 1)
                .expect("mock create_topic"),
            Kind::External => {
                let admin: AdminClient<DefaultClientContext> =
                    self.config().create().expect("admin client");
                let topic = NewTopic::new(name, partitions, TopicReplication::Fixed(1));
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
        let consumer: BaseConsumer = self
            .config()
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

/// A loopback address where nothing listens, for connectivity-error tests.
/// A loopback address nobody listens on, reserved for as long as the value lives: the
/// socket is bound but never listens, so connections are refused, and no parallel
/// test's listener (or outgoing connection) can be handed the same port meanwhile.
pub struct DeadAddress {
    _socket: socket2::Socket,
    address: String,
}

impl std::ops::Deref for DeadAddress {
    type Target = str;
    fn deref(&self) -> &str {
        &self.address
    }
}

impl std::fmt::Display for DeadAddress {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.address)
    }
}

pub fn dead_address() -> DeadAddress {
    let socket = bound_socket("127.0.0.1:0".parse().unwrap()).expect("bind a loopback port");
    let address = socket
        .local_addr()
        .unwrap()
        .as_socket()
        .unwrap()
        .to_string();
    DeadAddress {
        _socket: socket,
        address,
    }
}

/// A loopback address that was free a moment ago, for a child process to listen on.
pub fn free_address() -> String {
    let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = l.local_addr().unwrap();
    drop(l);
    addr.to_string()
}

/// A TCP socket bound (SO_REUSEADDR, like librdkafka's mock listeners) but not listening.
fn bound_socket(addr: std::net::SocketAddr) -> std::io::Result<socket2::Socket> {
    let socket = socket2::Socket::new(socket2::Domain::IPV4, socket2::Type::STREAM, None)?;
    socket.set_reuse_address(true)?;
    socket.bind(&addr.into())?;
    Ok(socket)
}

/// [`bound_socket`], retried every `step` until it succeeds or `limit` has passed.
fn bind_within(
    addr: std::net::SocketAddr,
    limit: Duration,
    step: Duration,
) -> std::io::Result<socket2::Socket> {
    let deadline = Instant::now() + limit;
    loop {
        match bound_socket(addr) {
            Err(_) if Instant::now() < deadline => std::thread::sleep(step),
            result => return result,
        }
    }
}

/// A mock broker taken down with [`Broker::outage`]; [`Outage::end`] brings it back.
///
/// librdkafka closes a downed mock broker's listener and binds the same port again on
/// "up", aborting the whole test process if that port was handed to someone else in
/// between (a parallel test's mock listener, an outgoing connection). So while the
/// broker is down its port is held by a bound, non-listening socket (connections are
/// still refused, as they would be by a dead broker), released just before "up".
pub struct Outage<'a> {
    broker: &'a Broker,
    id: i32,
    port: std::net::SocketAddr,
    placeholder: Option<socket2::Socket>,
}

impl Outage<'_> {
    pub fn end(mut self) {
        self.placeholder = None;
        // A listener other than ours cannot appear on the port while we held it, but
        // an outgoing connection that started before the broker went down might still
        // hold it: wait for it to go rather than let librdkafka abort.
        if let Err(e) = bind_within(
            self.port,
            Duration::from_secs(30),
            Duration::from_millis(50),
        ) {
            panic!("mock broker port {} stayed busy: {e}", self.port);
        }
        self.broker
            .cluster()
            .expect("outage on a mock cluster")
            .broker_up(self.id)
            .unwrap();
    }
}

/// Run a python3 snippet (confluent-kafka is the independent client).
pub fn python(script: &str, args: &[&str]) -> String {
    let out = StdCommand::new("python3")
        .arg("-c")
        .arg(script)
        .args(args)
        .output()
        .expect("python3");
    assert!(
        out.status.success(),
        "python failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
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
