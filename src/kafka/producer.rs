//! Writing records: the idempotent producer behind `replay` (its per-record send
//! path, polling, flushing, purging and delivery reports) and the one-off send of
//! an audit event.
//!
//! The replay's send path is its hot loop, so nothing here costs anything per
//! record over calling librdkafka directly: [`ReplayProducer`] is generic over the
//! [`DeliverySink`] that receives the reports (monomorphised, no `dyn`), every
//! per-record method is `#[inline]`, and [`Outgoing`] and [`OutHeaders`] are thin
//! wrappers over rdkafka's record and header list (a record's only allocation is
//! its boxed source position, the delivery opaque, as before).

use std::fmt;
use std::sync::Arc;
use std::time::Duration;

use rdkafka::client::ClientContext;
use rdkafka::config::RDKafkaLogLevel;
use rdkafka::error::{KafkaError, RDKafkaErrorCode};
use rdkafka::message::{DeliveryResult, Header, OwnedHeaders};
use rdkafka::producer::{
    BaseProducer, BaseRecord, FutureProducer, FutureRecord, Producer, ProducerContext, PurgeConfig,
};

use super::{config_error, Kafka, KafkaContext};
use crate::error::{Error, Result};

/// librdkafka's default `message.max.bytes`.
const PRODUCER_MAX_MESSAGE_BYTES: u64 = 1_000_000;

/// Where a [`ReplayProducer`] reports each delivery. It is called on the thread
/// that polls the producer, once per record, with the source position the record
/// was sent with.
pub trait DeliverySink: Send + Sync + 'static {
    fn delivered(&self, source: (i32, i64), report: Delivery<'_>);
}

/// The outcome of one record.
pub enum Delivery<'a> {
    Acked,
    /// Dropped by [`ReplayProducer::purge_queued`] (or on close) before it was
    /// sent: ours, not the broker's, failure.
    Purged,
    Failed(DeliveryFailure<'a>),
}

/// A failed delivery. Displays as librdkafka's error and, when it reported one,
/// its last error line (what a timeout hides); formatted only when shown.
pub struct DeliveryFailure<'a> {
    error: &'a KafkaError,
    ctx: &'a KafkaContext,
}

impl DeliveryFailure<'_> {
    /// The record (or its batch) was larger than the producer or the topic accepts.
    pub fn is_too_large(&self) -> bool {
        is_too_large(self.error)
    }
}

fn is_too_large(e: &KafkaError) -> bool {
    e.rdkafka_error_code() == Some(RDKafkaErrorCode::MessageSizeTooLarge)
}

impl fmt::Display for DeliveryFailure<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.error)?;
        if let Some(d) = self.ctx.last_error() {
            write!(f, " ({d})")?;
        }
        Ok(())
    }
}

/// The producer's context: [`KafkaContext`]'s logging and error keeping, plus the
/// delivery reports forwarded to the sink.
struct SinkContext<S> {
    inner: KafkaContext,
    sink: Arc<S>,
}

impl<S: DeliverySink> ClientContext for SinkContext<S> {
    fn log(&self, level: RDKafkaLogLevel, fac: &str, message: &str) {
        self.inner.log(level, fac, message);
    }

    fn error(&self, error: KafkaError, reason: &str) {
        self.inner.error(error, reason);
    }
}

impl<S: DeliverySink> ProducerContext for SinkContext<S> {
    type DeliveryOpaque = Box<(i32, i64)>;

    #[inline]
    fn delivery(&self, result: &DeliveryResult<'_>, source: Self::DeliveryOpaque) {
        let report = match result {
            Ok(_) => Delivery::Acked,
            Err((e, _)) => match e.rdkafka_error_code() {
                Some(RDKafkaErrorCode::PurgeQueue) | Some(RDKafkaErrorCode::PurgeInflight) => {
                    Delivery::Purged
                }
                _ => Delivery::Failed(DeliveryFailure {
                    error: e,
                    ctx: &self.inner,
                }),
            },
        };
        self.sink.delivered(*source, report);
    }
}

/// A record's header list, built in place (rdkafka's list is consumed and
/// returned by each insert; the `Option` carries it across).
pub struct OutHeaders(Option<OwnedHeaders>);

impl OutHeaders {
    #[inline]
    pub fn with_capacity(n: usize) -> Self {
        OutHeaders(Some(OwnedHeaders::new_with_capacity(n)))
    }

    #[inline]
    pub fn push(&mut self, key: &str, value: Option<&[u8]>) {
        self.0 = self.0.take().map(|h| h.insert(Header { key, value }));
    }
}

/// One record to send, borrowing its key and value; it carries the source
/// position its delivery report will name.
pub struct Outgoing<'a>(BaseRecord<'a, [u8], [u8], Box<(i32, i64)>>);

impl<'a> Outgoing<'a> {
    #[inline]
    pub fn new(topic: &'a str, partition: i32, source: (i32, i64), headers: OutHeaders) -> Self {
        let mut r = BaseRecord::with_opaque_to(topic, Box::new(source)).partition(partition);
        if let Some(h) = headers.0 {
            r = r.headers(h);
        }
        Outgoing(r)
    }

    #[inline]
    pub fn key(self, key: &'a [u8]) -> Self {
        Outgoing(self.0.key(key))
    }

    #[inline]
    pub fn payload(self, value: &'a [u8]) -> Self {
        Outgoing(self.0.payload(value))
    }

    #[inline]
    pub fn timestamp(self, ms: i64) -> Self {
        Outgoing(self.0.timestamp(ms))
    }
}

/// Why a record was not accepted; the record comes back with it.
#[derive(Debug)]
pub enum SendError {
    /// The local queue is full: poll to serve delivery reports, then retry.
    QueueFull,
    Other(KafkaError),
}

impl SendError {
    /// The record is larger than the producer's `message.max.bytes`.
    pub fn is_too_large(&self) -> bool {
        matches!(self, SendError::Other(e) if is_too_large(e))
    }
}

impl fmt::Display for SendError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            SendError::QueueFull => write!(f, "the producer queue is full"),
            SendError::Other(e) => write!(f, "{e}"),
        }
    }
}

/// The idempotent producer of a replay. It has no polling thread: the caller polls
/// it from its own loop (see `replay::exec::pump` for why).
pub struct ReplayProducer<S: DeliverySink>(BaseProducer<SinkContext<S>>);

impl Kafka {
    /// The idempotent producer ([`Kafka::producer_config`]) reporting to `sink`.
    /// The replay's producer. `batch_limit` is the smallest `max.message.bytes` of
    /// the destination topics where below the producer's own: a record batch larger
    /// than the topic accepts is refused whole by the broker, so batches are kept
    /// within it.
    pub fn replay_producer<S: DeliverySink>(
        &self,
        sink: Arc<S>,
        batch_limit: Option<u64>,
    ) -> Result<ReplayProducer<S>> {
        let mut cfg = self.producer_config();
        if let Some(limit) = batch_limit.filter(|l| *l < self.producer_max_message_bytes()) {
            let limit = limit.max(1000).to_string();
            cfg.set("message.max.bytes", &limit);
            cfg.set("batch.size", &limit);
        }
        cfg.create_with_context(SinkContext {
            inner: KafkaContext::default(),
            sink,
        })
        .map(ReplayProducer)
        .map_err(|e| {
            Error::config(
                format!("cannot create the producer: {e}"),
                "check the producer properties given with -X, -F or the profile",
            )
        })
    }

    /// The largest record the producer sends (`message.max.bytes`: librdkafka's
    /// default unless -X, -F or the profile set it). librdkafka refuses a larger
    /// record itself, before it reaches a broker.
    pub fn producer_max_message_bytes(&self) -> u64 {
        self.settings
            .properties
            .get("message.max.bytes")
            .and_then(|s| s.value.trim().parse().ok())
            .unwrap_or(PRODUCER_MAX_MESSAGE_BYTES)
    }

    /// The idempotent producer with its own polling thread, for a few records
    /// at a time (audit events, sandbox seeding).
    pub(super) fn simple_producer(&self) -> Result<FutureProducer<KafkaContext>> {
        self.producer_config()
            .create_with_context(KafkaContext::default())
            .map_err(|e| config_error(&e))
    }

    /// Send one record (an audit event) and wait up to `within` for its
    /// acknowledgement. The error is text: callers only warn with it.
    pub async fn send_one(
        &self,
        topic: &str,
        key: &str,
        payload: &str,
        within: Duration,
    ) -> std::result::Result<(), String> {
        let producer = self.simple_producer().map_err(|e| e.to_string())?;
        let record = FutureRecord::<str, str>::to(topic)
            .key(key)
            .payload(payload);
        match tokio::time::timeout(within, producer.send(record, Duration::from_secs(0))).await {
            Ok(Ok(_)) => Ok(()),
            Ok(Err((e, _))) => Err(e.to_string()),
            Err(_) => Err("timed out".to_string()),
        }
    }
}

impl<S: DeliverySink> ReplayProducer<S> {
    /// Hand a record to librdkafka; on failure the record comes back.
    // The record comes back by value, as from rdkafka's own send: boxing it would
    // allocate on every queue-full retry, which an unthrottled replay hits often.
    #[allow(clippy::result_large_err)]
    #[inline]
    pub fn send<'a>(
        &self,
        record: Outgoing<'a>,
    ) -> std::result::Result<(), (SendError, Outgoing<'a>)> {
        self.0.send(record.0).map_err(|(e, r)| {
            let e = match e {
                KafkaError::MessageProduction(RDKafkaErrorCode::QueueFull) => SendError::QueueFull,
                other => SendError::Other(other),
            };
            (e, Outgoing(r))
        })
    }

    /// Serve delivery reports (the sink is called from here).
    #[inline]
    pub fn poll(&self, timeout: Duration) {
        self.0.poll(timeout);
    }

    /// Wait up to `timeout` for what is queued to be sent and acknowledged.
    pub fn flush(&self, timeout: Duration) {
        // A flush that times out is not an error: the caller loops on in_flight_count.
        let _ = self.0.flush(timeout);
    }

    /// Drop the records not yet handed to the network; their reports say
    /// [`Delivery::Purged`].
    pub fn purge_queued(&self) {
        self.0.purge(PurgeConfig::default().queue());
    }

    /// Records sent and not yet reported.
    pub fn in_flight_count(&self) -> i32 {
        self.0.in_flight_count()
    }
}
