//! The small shared Kafka layer every job stands on, and the only place that
//! names librdkafka (the `rdkafka` crate). It holds:
//!
//! - client construction with timeouts and the client [`context`] that keeps
//!   librdkafka's last error for explanations;
//! - metadata, batched watermark and offsets-for-times queries (here);
//! - reading: a bounded record stream over explicit offset ranges ([`stream`],
//!   over [`batch`]), the point reader of single records at offsets ([`point`])
//!   and the time search over it ([`timeseek`]);
//! - writing: the idempotent producer, with the replay's per-record send path and
//!   its delivery reports ([`producer`]);
//! - admin calls: consumer groups ([`admin_ffi`]) and topic creation and
//!   deletion ([`topics`]);
//! - the embedded mock cluster behind `kafkaops sandbox` ([`mock`]);
//! - the record traits the jobs read records through (re-exported below).
//!
//! Every librdkafka failure is mapped to a typed [`Error`] with a hint.

mod admin_ffi;
mod batch;
mod context;
mod headers;
mod mock;
mod point;
mod producer;
mod refusal;
mod stream;
mod timeseek;
mod topics;

use std::time::Duration;

use rdkafka::config::ClientConfig;
use rdkafka::consumer::{BaseConsumer, Consumer};
use rdkafka::error::KafkaError;
use rdkafka::{Offset, TopicPartitionList};
use serde::Serialize;

pub use admin_ffi::{
    AdminError, Committed, Described, Description, ListedGroup, ListedGroups, OffsetsQuery,
};
pub use batch::{Record, NON_UTF8_HEADER_NAME};
pub use context::KafkaContext;
pub use headers::{headers_checked, RawHeader};
pub use mock::{MockRecord, SandboxCluster};
pub use point::{Point, PointPool, PointReader, Points, TopicPoints};
pub use producer::{
    Delivery, DeliveryFailure, DeliverySink, OutHeaders, Outgoing, ReplayProducer, SendError,
};
pub use stream::{balance_ranges, OffsetRange, RecordStream};
pub use timeseek::{Lookup, TimeOffset};
pub use topics::TopicLimits;

/// Records are read through rdkafka's `Message` trait (over our batch [`Record`]
/// and rdkafka's own message types alike) and their headers through `Headers`;
/// the jobs take these traits from here so that only this layer names rdkafka.
/// The owned types serve tests that build records by hand.
pub use rdkafka::message::{Header, Headers, Message, OwnedHeaders, OwnedMessage, Timestamp};

use refusal::Refusal;

use crate::config::ConnectionSettings;
use crate::error::{Error, Result};

/// A librdkafka consumer (used for reading, metadata, offsets and admin
/// requests) that closes promptly when dropped, where rdkafka's own close would
/// wait up to 100 ms.
pub struct ClosingConsumer(BaseConsumer<KafkaContext>);

impl std::ops::Deref for ClosingConsumer {
    type Target = BaseConsumer<KafkaContext>;
    fn deref(&self) -> &Self::Target {
        &self.0
    }
}

impl ClosingConsumer {
    /// Serve the log and error events librdkafka queued for this client, so that a
    /// call that failed without polling (metadata, offsets) can be explained by what
    /// librdkafka reported meanwhile (an authentication failure, a refused
    /// connection). Only while nothing is assigned: a poll then returns no record, so
    /// none is lost.
    pub fn serve_events(&self) {
        // A client without a group id has no assignment to ask about.
        let idle = self.0.assignment().map(|a| a.count() == 0).unwrap_or(true);
        if !idle {
            return;
        }
        // Bounded: librdkafka keeps queueing reconnect failures while we drain.
        for _ in 0..1000 {
            if self.0.poll(Duration::ZERO).is_none() {
                break;
            }
        }
    }
}

impl Drop for ClosingConsumer {
    fn drop(&mut self) {
        // rdkafka closes a consumer that has a group.id by polling in 100 ms steps
        // until librdkafka reports it closed. The close itself takes well under a
        // millisecond but does not wake that poll, so each reader added 100 ms to
        // every command. Close it here in 1 ms steps; rdkafka then finds it closed.
        // (Without a group.id there is nothing to close and this returns at once.)
        if self.0.close_queue().is_ok() {
            let deadline = std::time::Instant::now() + Duration::from_secs(5);
            while !self.0.closed() && std::time::Instant::now() < deadline {
                let _ = self.0.poll(Duration::from_millis(1));
            }
        }
    }
}

/// Handle on the cluster named by the connection settings. Cheap to clone; clients
/// are created on demand.
#[derive(Clone)]
pub struct Kafka {
    brokers: String,
    settings: ConnectionSettings,
}

#[derive(Clone, Debug, Serialize)]
pub struct BrokerMeta {
    pub id: i32,
    pub host: String,
    pub port: i32,
}

#[derive(Clone, Debug, Serialize)]
pub struct PartitionMeta {
    pub id: i32,
    pub leader: i32,
    pub replicas: Vec<i32>,
    pub isr: Vec<i32>,
}

#[derive(Clone, Debug, Serialize)]
pub struct TopicMeta {
    pub name: String,
    pub partitions: Vec<PartitionMeta>,
}

impl TopicMeta {
    pub fn partition_ids(&self) -> Vec<i32> {
        self.partitions.iter().map(|p| p.id).collect()
    }
}

#[derive(Clone, Debug, Serialize)]
pub struct ClusterMeta {
    pub brokers: Vec<BrokerMeta>,
    pub topics: Vec<TopicMeta>,
}

/// Low and high watermark of one partition: the first offset still in the log and
/// the offset the next record will get.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub struct Watermarks {
    pub partition: i32,
    pub low: i64,
    pub high: i64,
}

impl Watermarks {
    pub fn len(&self) -> i64 {
        (self.high - self.low).max(0)
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

/// What one reader lets librdkafka prefetch, as a budget for the reader as a whole.
///
/// librdkafka applies `queued.min.messages` and `queued.max.messages.kbytes` per
/// partition (each partition's queue is forwarded to the reader's own), so a fixed
/// value grows with the partitions read: 5,000 records per partition let a reader
/// of 48 partitions hold 240,000. The bounds are therefore the budget divided by the
/// partitions, within a floor that keeps every partition fetching. The record count
/// is the bound that bites: librdkafka counts only keys and values against the
/// kbytes, not headers, and dead letters are mostly headers (stack traces).
/// On Apache Kafka (48 partitions; a million dead letters read by two lanes of 24
/// partitions, a million ~100-byte records replayed by one reader of 48), this
/// budget instead of 5,000 records and 1 MB per partition (and 1 MB fetches instead
/// of 4 MB) took triage from 72-78 to 42-48 MB and an unthrottled replay from 121-142
/// to 84-131 MB (median 128 -> 95), neither slower (bench/RESULTS.md, seventh
/// session).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct Prefetch {
    records: usize,
    kbytes: usize,
    /// `fetch.max.bytes`. Kafka fills each fetch response up to it, and a
    /// response's records share its buffer until the last of them is consumed: 1 MB
    /// (the least librdkafka allows: message.max.bytes) instead of 4 MB took a triage
    /// of a million dead letters from 67-73 to 55-57 MB and an unthrottled replay
    /// from 120-137 to 99-110 MB on Apache Kafka, as fast. But each partition's share
    /// of a fetch must stay worth a request: a triage over 256 partitions of the mock
    /// cluster (128 per lane, 8 KB each) took 32-44 s instead of 27-30 s. So 16 KB
    /// per partition, within 1-4 MB. A record larger than this still arrives (the
    /// broker always returns at least one batch).
    fetch_bytes: usize,
}

impl Prefetch {
    /// Records one reader may hold queued, over all its partitions.
    const RECORDS: usize = 48_000;
    /// Key and value bytes (KB) one reader may hold queued, over all its partitions.
    const KBYTES: usize = 24 * 1024;
    /// Per-partition floors and ceilings: below ~500 records or 64 KB a partition's
    /// queue empties between two fetches; above 1 MB one partition holds more than
    /// a fetch brings.
    const MIN_RECORDS: usize = 500;
    const MAX_RECORDS: usize = Self::RECORDS;
    const MIN_KBYTES: usize = 64;
    const MAX_KBYTES: usize = 1024;
    const FETCH_PER_PARTITION: usize = 16 * 1024;
    const MIN_FETCH: usize = 1024 * 1024;
    const MAX_FETCH: usize = 4 * 1024 * 1024;

    fn for_partitions(partitions: usize) -> Self {
        let n = partitions.max(1);
        Prefetch {
            records: (Self::RECORDS / n).clamp(Self::MIN_RECORDS, Self::MAX_RECORDS),
            kbytes: (Self::KBYTES / n).clamp(Self::MIN_KBYTES, Self::MAX_KBYTES),
            fetch_bytes: (Self::FETCH_PER_PARTITION * n).clamp(Self::MIN_FETCH, Self::MAX_FETCH),
        }
    }

    /// A reader consumer with this prefetch.
    fn reader(self, kafka: &Kafka, group: Option<&str>) -> Result<ClosingConsumer> {
        let (records, kbytes) = (self.records.to_string(), self.kbytes.to_string());
        let fetch = self.fetch_bytes.to_string();
        kafka.reader(
            group,
            &[
                ("queued.min.messages", &records),
                ("queued.max.messages.kbytes", &kbytes),
                ("fetch.max.bytes", &fetch),
                ("fetch.wait.max.ms", "100"),
                // When the prefetch queue is full, librdkafka stops fetching for
                // fetch.queue.backoff.ms (default 1 s) before it looks again; we drain
                // that queue in a few milliseconds, so the default left the reader idle
                // most of the time (kcat with defaults is capped the same way).
                ("fetch.queue.backoff.ms", "5"),
            ],
        )
    }
}

impl Kafka {
    pub fn new(settings: &ConnectionSettings) -> Result<Self> {
        let brokers = settings.require_brokers()?.to_string();
        Ok(Kafka {
            brokers,
            settings: settings.clone(),
        })
    }

    pub fn brokers(&self) -> &str {
        &self.brokers
    }

    /// Whether clients authenticate (`security.protocol` SASL_* or SSL), i.e. act as a
    /// principal that ACLs may name rather than as the anonymous user.
    pub fn authenticates(&self) -> bool {
        self.settings
            .properties
            .get("security.protocol")
            .is_some_and(|s| !s.value.eq_ignore_ascii_case("plaintext"))
    }

    /// How clients connect (`security.protocol`).
    fn protocol(&self) -> refusal::Protocol {
        refusal::Protocol::from_setting(
            self.settings
                .properties
                .get("security.protocol")
                .map(|s| s.value.as_str()),
        )
    }

    /// Per-call timeout (`--timeout`).
    pub fn timeout(&self) -> Duration {
        self.settings.timeout
    }

    /// Base librdkafka config: our defaults first, then the user's properties, which win.
    pub fn client_config(&self, defaults: &[(&str, &str)]) -> ClientConfig {
        let mut cfg = ClientConfig::new();
        // Info, not rdkafka's default (errors only without a `log` logger): a client
        // speaking the wrong protocol to a listener is told only at info or warning
        // level, and that line is what names the cause (see `refusal`).
        cfg.set_log_level(rdkafka::config::RDKafkaLogLevel::Info);
        cfg.set("bootstrap.servers", &self.brokers);
        cfg.set("client.id", "kafkaops");
        let timeout_ms = self.settings.timeout.as_millis().max(1000).to_string();
        cfg.set("socket.timeout.ms", &timeout_ms);
        // Unreachable brokers should fail a call, not be retried for minutes in silence.
        cfg.set("socket.connection.setup.timeout.ms", &timeout_ms);
        for (k, v) in defaults {
            cfg.set(*k, *v);
        }
        for (k, s) in &self.settings.properties {
            cfg.set(k, &s.value);
        }
        cfg
    }

    /// A consumer for metadata, offsets and commits. Without a group it never commits.
    /// Bulk reading goes through [`Kafka::stream`], whose consumer's prefetch is
    /// sized for the partitions it reads.
    pub fn consumer(&self, group: Option<&str>) -> Result<ClosingConsumer> {
        Prefetch::for_partitions(1).reader(self, group)
    }

    /// The consumer of a [`RecordStream`] over `partitions` partitions: its prefetch
    /// bounded for the reader as a whole ([`Prefetch`]).
    fn stream_consumer(&self, partitions: usize) -> Result<ClosingConsumer> {
        Prefetch::for_partitions(partitions).reader(self, None)
    }

    /// A consumer that only ever assigns, never commits, and fails on a lost offset.
    fn reader(&self, group: Option<&str>, sizing: &[(&str, &str)]) -> Result<ClosingConsumer> {
        let mut defaults = vec![
            ("enable.auto.commit", "false"),
            ("enable.auto.offset.store", "false"),
            ("enable.partition.eof", "true"),
            ("auto.offset.reset", "error"),
            ("allow.auto.create.topics", "false"),
        ];
        defaults.extend_from_slice(sizing);
        let mut cfg = self.client_config(&defaults);
        // librdkafka refuses assign() without a group.id; this one never joins a group
        // (no subscribe) and never commits (auto commit is off).
        cfg.set("group.id", group.unwrap_or("kafkaops-reader"));
        cfg.create_with_context(KafkaContext::default())
            .map(ClosingConsumer)
            .map_err(|e| config_error(&e))
    }

    /// A client for metadata, offsets and admin requests only: a consumer with no
    /// `group.id`, so librdkafka runs no group machinery for it (no coordinator
    /// lookup at start, no group teardown at exit, which took 100 ms). It cannot
    /// read records (`assign` needs a group id); use [`Kafka::consumer`] for that.
    pub fn admin_client(&self) -> Result<ClosingConsumer> {
        self.client_config(&[
            ("enable.auto.commit", "false"),
            ("enable.auto.offset.store", "false"),
            ("allow.auto.create.topics", "false"),
            // Admin requests go to "any broker"; once the bootstrap connection is
            // retired for the brokers it named, librdkafka waits half of this
            // backoff before it connects to one (50 ms at the default 100 ms),
            // which was most of `lag`'s fixed cost (60 ms -> 20 ms for one group).
            ("reconnect.backoff.ms", "20"),
        ])
        .create_with_context(KafkaContext::default())
        .map(ClosingConsumer)
        .map_err(|e| config_error(&e))
    }

    /// The idempotent producer configuration: `enable.idempotence=true`, `acks=all`,
    /// batching tuned for throughput. [`producer`] adds the context.
    fn producer_config(&self) -> ClientConfig {
        self.client_config(&[
            ("enable.idempotence", "true"),
            ("acks", "all"),
            // Batches fill for up to 50 ms and are LZ4-compressed: a replayed record
            // carries ~200 bytes of provenance headers, the same in every record but
            // the offset and time, on ~100 bytes of data. Unthrottled, a million
            // records to Apache Kafka (48 partitions, one node on the same 2 cores)
            // went from 5.1-5.5 s uncompressed at 20 ms to 3.9-4.1 s, with the
            // broker's CPU 3.9 -> 2.1 s; zstd and snappy were slower. -X
            // compression.type=none (or a profile) still overrides it.
            ("linger.ms", "50"),
            ("compression.type", "lz4"),
            ("batch.num.messages", "10000"),
            ("batch.size", "1000000"),
            // The local queue is bounded by bytes (16 MB) more than by count: each
            // queued record also carries its provenance headers and librdkafka's
            // bookkeeping, so 200,000 records / 64 MB held ~90 MB more on Apache
            // Kafka (an unthrottled replay of a million records: 297 -> 200 MB), for
            // the same speed.
            ("queue.buffering.max.messages", "50000"),
            ("queue.buffering.max.kbytes", "16384"),
            ("message.timeout.ms", "120000"),
        ])
    }

    /// Cluster metadata; `topic` limits the request to one topic.
    pub fn metadata(&self, topic: Option<&str>) -> Result<ClusterMeta> {
        let consumer = self.consumer(None)?;
        self.metadata_with(&consumer, topic)
    }

    pub fn metadata_with(
        &self,
        consumer: &ClosingConsumer,
        topic: Option<&str>,
    ) -> Result<ClusterMeta> {
        let md = consumer
            .fetch_metadata(topic, self.timeout())
            .map_err(|e| {
                consumer.serve_events();
                self.classify(&e, Op::Describe, "fetch metadata", consumer.context())
            })?;
        let brokers = md
            .brokers()
            .iter()
            .map(|b| BrokerMeta {
                id: b.id(),
                host: b.host().to_string(),
                port: b.port(),
            })
            .collect();
        let mut topics = Vec::new();
        for t in md.topics() {
            if let Some(err) = t.error() {
                let code = rdkafka::types::RDKafkaErrorCode::from(err);
                if code == rdkafka::types::RDKafkaErrorCode::UnknownTopicOrPartition
                    || code == rdkafka::types::RDKafkaErrorCode::UnknownTopic
                {
                    continue;
                }
                return Err(self.classify_code(
                    code,
                    Op::Describe,
                    &format!("fetch metadata for '{}'", t.name()),
                    consumer.context(),
                ));
            }
            let mut partitions: Vec<PartitionMeta> = t
                .partitions()
                .iter()
                .map(|p| PartitionMeta {
                    id: p.id(),
                    leader: p.leader(),
                    replicas: p.replicas().to_vec(),
                    isr: p.isr().to_vec(),
                })
                .collect();
            partitions.sort_by_key(|p| p.id);
            topics.push(TopicMeta {
                name: t.name().to_string(),
                partitions,
            });
        }
        topics.sort_by(|a, b| a.name.cmp(&b.name));
        Ok(ClusterMeta { brokers, topics })
    }

    /// Metadata of one topic that must exist; the error suggests near names.
    pub fn topic(&self, name: &str) -> Result<TopicMeta> {
        let consumer = self.consumer(None)?;
        self.topic_with(&consumer, name)
    }

    pub fn topic_with(&self, consumer: &ClosingConsumer, name: &str) -> Result<TopicMeta> {
        let md = self.metadata_with(consumer, Some(name))?;
        if let Some(t) = md
            .topics
            .into_iter()
            .find(|t| t.name == name && !t.partitions.is_empty())
        {
            return Ok(t);
        }
        Err(self.unknown_topic(consumer, name))
    }

    fn unknown_topic(&self, consumer: &ClosingConsumer, name: &str) -> Error {
        let similar = self
            .metadata_with(consumer, None)
            .map(|md| {
                let lower = name.to_ascii_lowercase();
                md.topics
                    .into_iter()
                    .map(|t| t.name)
                    .filter(|t| {
                        let l = t.to_ascii_lowercase();
                        !t.starts_with("__") && (l.contains(&lower) || lower.contains(&l))
                    })
                    .take(5)
                    .collect::<Vec<_>>()
            })
            .unwrap_or_default();
        let hint = if similar.is_empty() {
            "check the topic name; list topics with `kcat -L` or your admin tool".to_string()
        } else {
            format!("did you mean {}?", similar.join(", "))
        };
        Error::UnknownTopic {
            topic: name.to_string(),
            hint: Some(hint),
        }
    }

    /// Low and high watermarks of many partitions in two batched ListOffsets rounds
    /// (one request per leader each), not one round trip per partition.
    pub fn watermarks(
        &self,
        consumer: &ClosingConsumer,
        topic: &str,
        partitions: &[i32],
    ) -> Result<Vec<Watermarks>> {
        let highs = self.list_offsets(
            consumer,
            topic,
            partitions,
            Offset::End,
            "fetch high watermarks",
        )?;
        let lows = self.list_offsets(
            consumer,
            topic,
            partitions,
            Offset::Beginning,
            "fetch low watermarks",
        )?;
        Ok(partitions
            .iter()
            .map(|p| {
                let high = highs
                    .iter()
                    .find(|(q, _)| q == p)
                    .and_then(|(_, o)| *o)
                    .unwrap_or(0);
                let low = lows
                    .iter()
                    .find(|(q, _)| q == p)
                    .and_then(|(_, o)| *o)
                    .unwrap_or(high);
                Watermarks {
                    partition: *p,
                    low,
                    high,
                }
            })
            .collect())
    }

    /// For each partition, the earliest offset whose timestamp is >= `timestamp_ms`,
    /// or `None` when the broker has no such record (or cannot answer: the mock
    /// broker always says -1, so callers must treat `None` as "unknown", not "empty").
    pub fn offsets_for_times(
        &self,
        consumer: &ClosingConsumer,
        topic: &str,
        partitions: &[i32],
        timestamp_ms: i64,
    ) -> Result<Vec<(i32, Option<i64>)>> {
        if timestamp_ms < 0 {
            return Err(Error::usage(format!(
                "timestamp {timestamp_ms} is before the epoch"
            )));
        }
        self.list_offsets(
            consumer,
            topic,
            partitions,
            Offset::Offset(timestamp_ms),
            "look up offsets for times",
        )
    }

    fn list_offsets(
        &self,
        consumer: &ClosingConsumer,
        topic: &str,
        partitions: &[i32],
        spec: Offset,
        what: &str,
    ) -> Result<Vec<(i32, Option<i64>)>> {
        if partitions.is_empty() {
            return Ok(Vec::new());
        }
        let mut tpl = TopicPartitionList::with_capacity(partitions.len());
        for p in partitions {
            tpl.add_partition_offset(topic, *p, spec)
                .map_err(|e| self.classify(&e, Op::Describe, what, consumer.context()))?;
        }
        let out = consumer
            .offsets_for_times(tpl, self.timeout())
            .map_err(|e| {
                self.classify(
                    &e,
                    Op::Describe,
                    &format!("{what} on '{topic}'"),
                    consumer.context(),
                )
            })?;
        let mut result = Vec::with_capacity(partitions.len());
        for elem in out.elements() {
            if let Err(e) = elem.error() {
                return Err(self.classify(
                    &e,
                    Op::Describe,
                    &format!("{what} on {topic}[{}]", elem.partition()),
                    consumer.context(),
                ));
            }
            let off = match elem.offset() {
                Offset::Offset(o) if o >= 0 => Some(o),
                _ => None,
            };
            result.push((elem.partition(), off));
        }
        Ok(result)
    }

    /// The cluster id, when the broker reports one.
    pub fn cluster_id(&self, consumer: &ClosingConsumer) -> Option<String> {
        consumer.client().fetch_cluster_id(self.timeout())
    }

    /// Read explicit per-partition offset ranges with bounded memory.
    pub fn stream(&self, topic: &str, ranges: &[OffsetRange]) -> Result<RecordStream> {
        RecordStream::open(self, topic, ranges)
    }

    /// Map a librdkafka error of a call doing `op` to a typed error with a hint.
    pub fn classify(&self, err: &KafkaError, op: Op, what: &str, ctx: &KafkaContext) -> Error {
        match err.rdkafka_error_code() {
            Some(code) => self.classify_code(code, op, what, ctx),
            None => Error::broker(
                format!("failed to {what}: {err}"),
                Some("check the brokers and the connection properties (-X, -F, --profile)".into()),
            ),
        }
    }

    pub fn classify_code(
        &self,
        code: rdkafka::types::RDKafkaErrorCode,
        op: Op,
        what: &str,
        ctx: &KafkaContext,
    ) -> Error {
        use rdkafka::types::RDKafkaErrorCode as C;
        if let Some(failure) = ctx.auth_failure() {
            if is_unreachable(code) || is_auth(code) {
                // A listener that closed at once on a client of another protocol
                // refused nothing (see `refusal`); any other failure text did.
                let fallback = if refusal::closed_by_broker(&failure) {
                    None
                } else if failure.contains("SSL") {
                    Some(Refusal::Tls)
                } else {
                    Some(Refusal::Sasl)
                };
                if let Some(refusal) = Refusal::parse(&failure, self.protocol()).or(fallback) {
                    return refusal.error(&self.brokers, what, &failure);
                }
            }
        }
        let last = ctx.last_error();
        let detail = last
            .as_deref()
            .map(|d| format!(" ({d})"))
            .unwrap_or_default();
        match code {
            c if is_auth(c) => Error::Auth {
                message: format!(
                    "authentication to {} failed while trying to {what}{detail}",
                    self.brokers
                ),
                hint: Some(
                    "check sasl.mechanism, sasl.username and sasl.password (-X, -F or the profile)"
                        .into(),
                ),
            },
            C::TopicAuthorizationFailed
            | C::GroupAuthorizationFailed
            | C::ClusterAuthorizationFailed
            | C::TransactionalIdAuthorizationFailed => {
                let needed = missing_permission(code, op);
                Error::Auth {
                    message: format!("not authorised to {what}: this user lacks {needed} ({code})"),
                    hint: Some(format!("ask the cluster admins for {needed} for this user")),
                }
            }
            C::UnknownTopicOrPartition | C::UnknownTopic | C::UnknownPartition => Error::Usage {
                message: format!("failed to {what}: unknown topic or partition"),
                hint: Some("check the topic name and partition numbers".into()),
            },
            C::UnsupportedVersion | C::UnsupportedFeature | C::InvalidRequest => {
                Error::Unsupported {
                    api: what.to_string(),
                    detail: code.to_string(),
                    hint: Some(
                        "this broker or its version lacks the API; see the README's broker notes"
                            .into(),
                    ),
                }
            }
            c if is_unreachable(c) => {
                let reason = if last.is_some() {
                    detail.clone()
                } else {
                    format!(" ({code})")
                };
                Error::Broker {
                    message: format!("cannot reach the brokers at {} to {what}{reason}", self.brokers),
                    hint: Some(format!(
                        "check -b/KAFKAOPS_BROKERS, network access and security.protocol; the per-call timeout is {} (--timeout)",
                        humantime::format_duration(self.timeout())
                    )),
                }
            }
            other => Error::broker(
                format!("failed to {what}: {other}{detail}"),
                Some(
                    "check the broker logs; retry with a longer --timeout if the cluster is busy"
                        .into(),
                ),
            ),
        }
    }
}

/// What a call does, for the ACL an authorisation failure points at: each call
/// names its operation to [`Kafka::classify`], never left to be guessed from its
/// description.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Op {
    /// Metadata, watermarks, offsets for times, group listing, descriptions and
    /// committed offsets.
    Describe,
    /// Fetching records, and committing a group's offsets.
    Read,
    /// Producing records.
    Write,
    /// Creating topics.
    Create,
    /// Deleting topics.
    Delete,
}

/// The ACL an authorisation failure of a call doing `op` points at.
fn missing_permission(code: rdkafka::types::RDKafkaErrorCode, op: Op) -> &'static str {
    use rdkafka::types::RDKafkaErrorCode as C;
    match (code, op) {
        (C::TopicAuthorizationFailed, Op::Read) => "READ on the topic",
        (C::TopicAuthorizationFailed, Op::Write) => "WRITE on the topic",
        (C::TopicAuthorizationFailed, Op::Create) => "CREATE on the topic (or the cluster)",
        (C::TopicAuthorizationFailed, Op::Delete) => "DELETE on the topic",
        (C::TopicAuthorizationFailed, Op::Describe) => "DESCRIBE on the topic",
        (C::GroupAuthorizationFailed, Op::Read) => "READ on the group",
        (C::GroupAuthorizationFailed, _) => "DESCRIBE on the group",
        (C::TransactionalIdAuthorizationFailed, _) => "WRITE on the transactional id",
        (C::ClusterAuthorizationFailed, Op::Create) => "CREATE on the cluster",
        (C::ClusterAuthorizationFailed, Op::Write) => "IDEMPOTENT_WRITE on the cluster",
        _ => "DESCRIBE on the cluster",
    }
}

/// Codes that mean the client did not authenticate (SASL or TLS).
fn is_auth(code: rdkafka::types::RDKafkaErrorCode) -> bool {
    use rdkafka::types::RDKafkaErrorCode as C;
    matches!(
        code,
        C::Authentication
            | C::SaslAuthenticationFailed
            | C::IllegalSASLState
            | C::UnsupportedSASLMechanism
            | C::SSL
    )
}

/// Codes that mean no broker answered in time, whatever the reason.
fn is_unreachable(code: rdkafka::types::RDKafkaErrorCode) -> bool {
    use rdkafka::types::RDKafkaErrorCode as C;
    matches!(
        code,
        C::AllBrokersDown
            | C::BrokerTransportFailure
            | C::OperationTimedOut
            | C::RequestTimedOut
            | C::Resolve
            | C::NetworkException
            | C::BrokerNotAvailable
            | C::CoordinatorNotAvailable
            | C::LeaderNotAvailable
            | C::NotLeaderForPartition
    )
}

/// librdkafka refused a property. Name the key, never the value: it may be a secret.
fn config_error(err: &KafkaError) -> Error {
    match err {
        KafkaError::ClientConfig(_, desc, key, _value) => {
            let desc = if crate::config::is_secret_key(key) {
                "invalid value".to_string()
            } else {
                desc.clone()
            };
            Error::config(
                format!("librdkafka rejected property '{key}': {desc}"),
                "fix the property given with -X, -F or the profile; see librdkafka's CONFIGURATION.md",
            )
        }
        other => Error::config(
            format!("cannot create a Kafka client: {other}"),
            "check the properties given with -X, -F or the profile",
        ),
    }
}

#[cfg(test)]
mod tests {
    use rdkafka::types::RDKafkaErrorCode as C;

    use super::*;

    #[test]
    fn the_missing_acl_follows_the_operation_not_the_wording() {
        let topic = C::TopicAuthorizationFailed;
        assert_eq!(missing_permission(topic, Op::Read), "READ on the topic");
        assert_eq!(missing_permission(topic, Op::Write), "WRITE on the topic");
        assert_eq!(
            missing_permission(topic, Op::Describe),
            "DESCRIBE on the topic"
        );
        assert_eq!(missing_permission(topic, Op::Delete), "DELETE on the topic");
        let group = C::GroupAuthorizationFailed;
        assert_eq!(
            missing_permission(group, Op::Describe),
            "DESCRIBE on the group"
        );
        assert_eq!(missing_permission(group, Op::Read), "READ on the group");
        assert_eq!(
            missing_permission(C::ClusterAuthorizationFailed, Op::Write),
            "IDEMPOTENT_WRITE on the cluster"
        );
    }

    #[test]
    fn the_prefetch_budget_is_shared_by_the_partitions_read() {
        let p = |n| {
            let f = Prefetch::for_partitions(n);
            (f.records, f.kbytes)
        };
        let fetch_mb = |n| Prefetch::for_partitions(n).fetch_bytes as f64 / (1024.0 * 1024.0);
        // A reader of 24 partitions (one of two lanes over 48): 2,000 records and
        // 1 MB each, 48,000 records and 24 MB in all.
        assert_eq!(p(24), (2_000, 1024));
        assert_eq!(p(48), (1_000, 512));
        // Few partitions: the whole record budget, a fetch's worth of bytes.
        assert_eq!(p(1), (48_000, 1024));
        assert_eq!(p(0), p(1));
        // Many partitions: each keeps enough to stay fetching.
        assert_eq!(p(128), (500, 192));
        assert_eq!(p(1_000), (500, 64));
        // Fetches: the least librdkafka allows until each partition's share would
        // drop below 16 KB, then growing with the partitions, to 4 MB.
        assert_eq!(fetch_mb(1), 1.0);
        assert_eq!(fetch_mb(48), 1.0);
        assert_eq!(fetch_mb(128), 2.0);
        assert_eq!(fetch_mb(256), 4.0);
        assert_eq!(fetch_mb(1_000), 4.0);
    }
}
