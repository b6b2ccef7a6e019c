//! Executing a plan: read the planned ranges, apply the same verdicts the plan
//! counted, and re-publish each record through an idempotent producer under a
//! governor rate limit, with provenance headers. A delivery-report callback keeps
//! per-partition checkpoints of acknowledged offsets only; on resume the
//! destination is read for records this replay already wrote, so nothing is sent
//! twice. Ctrl-C (or SIGTERM) stops cleanly with a consistent checkpoint.

use std::collections::{BTreeMap, HashSet, VecDeque};
use std::num::NonZeroU32;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use chrono::Utc;
use governor::{DefaultDirectRateLimiter, Quota, RateLimiter};
use rdkafka::client::ClientContext;
use rdkafka::config::RDKafkaLogLevel;
use rdkafka::error::{KafkaError, RDKafkaErrorCode};
use rdkafka::message::{DeliveryResult, Header, Headers, Message, OwnedHeaders};
use rdkafka::producer::{BaseProducer, BaseRecord, Producer, ProducerContext, PurgeConfig};
use sha2::{Digest, Sha256};
use tokio::sync::Notify;

use super::dlq_bridge::{is_dlq_header, read_export_file};
use super::plan::{Plan, Rate};
use super::record::{
    parse_position, visit_outgoing_headers, Provenance, SourceRecord, H_ID, H_POSITION,
};
use super::resolve::{Judge, Verdict};
use super::selection::{Skip, Source};
use super::state::{DestStart, Phase, ReplayState, Store};
use super::Auditor;
use crate::app::Context;
use crate::error::{Error, Result};
use crate::exit::ExitCode;
use crate::kafka::{Kafka, KafkaContext, OffsetRange};

/// Records handed to the producer and not yet acknowledged, of one source
/// partition, in the order they were sent (which is offset order: a partition is
/// read in order). Acknowledgements may arrive out of order when the records go
/// to several destination partitions; the lowest unacknowledged offset is the
/// front once acknowledged records are popped.
#[derive(Clone, Debug, Default)]
struct InFlight {
    sent: VecDeque<(i64, bool)>,
    waiting: usize,
}

impl InFlight {
    fn push(&mut self, offset: i64) {
        self.sent.push_back((offset, false));
        self.waiting += 1;
    }

    fn ack(&mut self, offset: i64) {
        if let Ok(i) = self.sent.binary_search_by_key(&offset, |(o, _)| *o) {
            if !self.sent[i].1 {
                self.sent[i].1 = true;
                self.waiting -= 1;
            }
        }
        while self.sent.front().is_some_and(|(_, acked)| *acked) {
            self.sent.pop_front();
        }
    }

    fn lowest(&self) -> Option<i64> {
        self.sent.front().map(|(o, _)| *o)
    }

    fn is_empty(&self) -> bool {
        self.waiting == 0
    }
}

/// What the delivery callback hands to the replay loop: acknowledged source
/// positions since the loop last looked, and the first delivery failure. The
/// callback only appends; the loop takes the whole batch under one lock.
#[derive(Default)]
struct Inbox {
    acked: Vec<(i32, i64)>,
    failure: Option<String>,
}

/// Acknowledgements as the replay loop sees them (owned by the loop).
#[derive(Default)]
struct Tracker {
    /// Sent, not yet acknowledged, per source partition.
    pending: BTreeMap<i32, InFlight>,
    acked: u64,
    failure: Option<String>,
    /// The emptied batch, kept for its capacity.
    spare: Vec<(i32, i64)>,
}

impl Tracker {
    /// Apply what the delivery callback reported since the last call.
    fn absorb(&mut self, inbox: &Mutex<Inbox>) {
        {
            let mut i = inbox.lock().expect("inbox lock");
            std::mem::swap(&mut i.acked, &mut self.spare);
            if self.failure.is_none() {
                self.failure.clone_from(&i.failure);
            }
        }
        for (p, o) in self.spare.drain(..) {
            if let Some(s) = self.pending.get_mut(&p) {
                s.ack(o);
            }
            self.acked += 1;
        }
    }

    /// `read_next`: per source partition, the offset after the last record handled
    /// (sent or skipped).
    fn checkpoint(
        &self,
        read_next: &BTreeMap<i32, i64>,
        base: &BTreeMap<i32, i64>,
    ) -> BTreeMap<i32, i64> {
        let mut cp = base.clone();
        for (p, next) in read_next {
            let low = self
                .pending
                .get(p)
                .and_then(InFlight::lowest)
                .unwrap_or(*next);
            let e = cp.entry(*p).or_insert(low);
            *e = (*e).max(low.min(*next));
        }
        cp
    }

    fn any_pending(&self) -> bool {
        self.pending.values().any(|f| !f.is_empty())
    }
}

struct ReplayContext {
    inner: KafkaContext,
    inbox: Arc<Mutex<Inbox>>,
}

impl ClientContext for ReplayContext {
    fn log(&self, level: RDKafkaLogLevel, fac: &str, message: &str) {
        self.inner.log(level, fac, message);
    }

    fn error(&self, error: KafkaError, reason: &str) {
        self.inner.error(error, reason);
    }
}

impl ProducerContext for ReplayContext {
    type DeliveryOpaque = Box<(i32, i64)>;

    fn delivery(&self, result: &DeliveryResult<'_>, pos: Self::DeliveryOpaque) {
        let (p, o) = *pos;
        let mut t = self.inbox.lock().expect("inbox lock");
        match result {
            Ok(_) => t.acked.push((p, o)),
            Err((e, _)) => {
                // Stays pending: the checkpoint never moves past an unacknowledged record.
                // Records we purged ourselves (stop or earlier failure) are not a new failure.
                let purged = matches!(
                    e.rdkafka_error_code(),
                    Some(RDKafkaErrorCode::PurgeQueue) | Some(RDKafkaErrorCode::PurgeInflight)
                );
                if t.failure.is_none() && !purged {
                    let detail = self
                        .inner
                        .last_error()
                        .map(|d| format!(" ({d})"))
                        .unwrap_or_default();
                    t.failure = Some(format!(
                        "delivery of source record {p}:{o} failed: {e}{detail}"
                    ));
                }
            }
        }
    }
}

/// Ctrl-C and SIGTERM, as a flag plus a wake-up for waits.
#[derive(Clone)]
struct StopSignal {
    flag: Arc<AtomicBool>,
    notify: Arc<Notify>,
}

/// One delivery of a signal (never, if its handler could not be installed).
#[cfg(unix)]
async fn recv(s: Option<&mut tokio::signal::unix::Signal>) {
    match s {
        Some(s) => {
            s.recv().await;
        }
        None => std::future::pending::<()>().await,
    }
}

impl StopSignal {
    /// Handlers are registered before this returns, so a signal arriving right
    /// after the first record is sent is already ours, not the default "die now".
    fn install() -> Self {
        let s = StopSignal {
            flag: Arc::new(AtomicBool::new(false)),
            notify: Arc::new(Notify::new()),
        };
        let c = s.clone();
        #[cfg(unix)]
        {
            use tokio::signal::unix::{signal, SignalKind};
            let mut int = signal(SignalKind::interrupt()).ok();
            let mut term = signal(SignalKind::terminate()).ok();
            tokio::spawn(async move {
                tokio::select! {
                    _ = recv(int.as_mut()) => {}
                    _ = recv(term.as_mut()) => {}
                }
                c.flag.store(true, Ordering::SeqCst);
                c.notify.notify_waiters();
            });
        }
        #[cfg(not(unix))]
        tokio::spawn(async move {
            let _ = tokio::signal::ctrl_c().await;
            c.flag.store(true, Ordering::SeqCst);
            c.notify.notify_waiters();
        });
        s
    }

    fn stopped(&self) -> bool {
        self.flag.load(Ordering::SeqCst)
    }
}

/// The governor limiters for one attempt. The records limiter starts empty and
/// holds at most ten milliseconds' worth (a few records at low rates, never more
/// than a tenth of a second's), so no one-second window carries more than about
/// 1% over the rate and the mean is not inflated by an opening burst; the slack
/// only absorbs timer lateness. `--rate unlimited` has no records limiter at
/// all; a byte limit still applies (burst: a tenth of a second's worth).
struct Limiter {
    records: Option<DefaultDirectRateLimiter>,
    bytes: Option<(DefaultDirectRateLimiter, u32)>,
}

/// The records limiter's bucket size for `per_sec` records per second.
fn records_burst(per_sec: f64) -> NonZeroU32 {
    let hundredth = (per_sec / 100.0).floor() as u32;
    let tenth = (per_sec / 10.0).floor() as u32;
    NonZeroU32::new(hundredth.max(tenth.min(4)).max(1)).expect("at least one")
}

impl Limiter {
    fn new(rate: Rate) -> Self {
        let period =
            |per_sec: f64| Duration::from_secs_f64(1.0 / per_sec).max(Duration::from_nanos(1));
        let records = rate.records_per_sec.per_sec().map(|r| {
            let burst = records_burst(r);
            let q = Quota::with_period(period(r))
                .expect("non-zero period")
                .allow_burst(burst);
            let limiter = RateLimiter::direct(q);
            // Start empty: the first second carries the rate, not rate + bucket.
            let _ = limiter.check_n(burst);
            limiter
        });
        let bytes = rate.bytes_per_sec.map(|b| {
            let b = b as f64;
            let burst_b =
                NonZeroU32::new(((b / 10.0).floor() as u32).max(1)).expect("at least one");
            let q = Quota::with_period(period(b))
                .expect("non-zero period")
                .allow_burst(burst_b);
            (RateLimiter::direct(q), burst_b.get())
        });
        Limiter { records, bytes }
    }

    /// Nothing to wait for: the caller may skip [`Limiter::acquire`].
    fn is_unlimited(&self) -> bool {
        self.records.is_none() && self.bytes.is_none()
    }

    /// Wait for one record of `size` bytes; false when stopped while waiting.
    async fn acquire(&self, size: u64, stop: &StopSignal) -> bool {
        let wait = async {
            if let Some(r) = &self.records {
                r.until_ready().await;
            }
            if let Some((b, cap)) = &self.bytes {
                let n = NonZeroU32::new((size.min(u64::from(*cap)) as u32).max(1))
                    .expect("at least one");
                let _ = b.until_n_ready(n).await;
            }
        };
        tokio::select! {
            _ = wait => !stop.stopped(),
            _ = stop.notify.notified() => false,
        }
    }
}

/// What the source yields during a run.
enum Feed {
    Topic(Reader),
    File {
        records: std::vec::IntoIter<SourceRecord>,
    },
}

/// Records per batch handed from the reading thread to the replay loop.
const BATCH: usize = 256;

/// A batch of records read ahead; `len` of `records` are filled.
#[derive(Default)]
struct Batch {
    records: Vec<SourceRecord>,
    len: usize,
}

/// The source topic read on a thread of its own, in batches, while the replay
/// loop judges and produces: reading (polling librdkafka and copying each record)
/// was about a third of the loop's time. Batches and their records' buffers go
/// back to the reader to be refilled, so nothing is allocated per record and
/// each buffer is freed by the thread that allocated it. Dropping the reader
/// stops the thread at its next batch.
struct Reader {
    full: std::sync::mpsc::Receiver<Result<Batch>>,
    empty: std::sync::mpsc::SyncSender<Batch>,
    current: Batch,
    at: usize,
    done: bool,
}

impl Reader {
    fn spawn(mut stream: crate::kafka::RecordStream, topic: String) -> Reader {
        let (full_tx, full) = std::sync::mpsc::sync_channel::<Result<Batch>>(4);
        let (empty, empty_rx) = std::sync::mpsc::sync_channel::<Batch>(8);
        std::thread::spawn(move || loop {
            let mut batch = empty_rx.try_recv().unwrap_or_default();
            batch.len = 0;
            let mut end = false;
            while batch.len < BATCH {
                match stream.next_record() {
                    Ok(Some(m)) => {
                        if batch.records.len() == batch.len {
                            batch.records.push(SourceRecord::default());
                        }
                        batch.records[batch.len].fill_from_message(&topic, &m);
                        batch.len += 1;
                    }
                    Ok(None) => {
                        end = true;
                        break;
                    }
                    Err(e) => {
                        let _ = full_tx.send(Err(e));
                        return;
                    }
                }
            }
            // An empty batch means the end; a closed channel, that the loop is gone.
            if full_tx.send(Ok(batch)).is_err() || end {
                if end {
                    let _ = full_tx.send(Ok(Batch::default()));
                }
                return;
            }
        });
        Reader {
            full,
            empty,
            current: Batch::default(),
            at: 0,
            done: false,
        }
    }

    fn next_into(&mut self, rec: &mut SourceRecord) -> Result<bool> {
        while self.at >= self.current.len {
            if self.done {
                return Ok(false);
            }
            let next = match self.full.recv() {
                Ok(Ok(b)) => b,
                Ok(Err(e)) => {
                    self.done = true;
                    return Err(e);
                }
                Err(_) => {
                    // Gone without the end marker: it panicked. Not a complete read.
                    self.done = true;
                    return Err(Error::broker(
                        "the thread reading the source stopped unexpectedly",
                        Some("resume the replay; nothing is sent twice".into()),
                    ));
                }
            };
            let used = std::mem::replace(&mut self.current, next);
            // The reader may be gone or have enough spares: then the batch is dropped.
            let _ = self.empty.try_send(used);
            self.at = 0;
            if self.current.len == 0 {
                self.done = true;
                return Ok(false);
            }
        }
        // Swap, not copy: `rec`'s old buffers go back into the batch for reuse.
        std::mem::swap(rec, &mut self.current.records[self.at]);
        self.at += 1;
        Ok(true)
    }
}

impl Feed {
    /// Overwrite `rec` with the next record (reusing its buffers); false at the end.
    fn next_into(&mut self, rec: &mut SourceRecord) -> Result<bool> {
        match self {
            Feed::Topic(reader) => reader.next_into(rec),
            Feed::File { records } => match records.next() {
                Some(r) => {
                    *rec = r;
                    Ok(true)
                }
                None => Ok(false),
            },
        }
    }
}

/// The replay-time header value, RFC 3339 with milliseconds, formatted at most
/// once per millisecond.
struct Clock {
    ms: i64,
    text: String,
}

impl Clock {
    fn new() -> Self {
        Clock {
            ms: i64::MIN,
            text: String::new(),
        }
    }

    /// Reading the clock for every record was a measurable share of an unthrottled
    /// replay; `fresh` false reuses the last reading (the caller asks for a fresh
    /// one every few dozen records, far less than a millisecond apart).
    fn now(&mut self, fresh: bool) -> &str {
        if !fresh && self.ms != i64::MIN {
            return &self.text;
        }
        let now = Utc::now();
        let ms = now.timestamp_millis();
        if ms != self.ms {
            self.ms = ms;
            self.text = now.to_rfc3339_opts(chrono::SecondsFormat::Millis, true);
        }
        &self.text
    }
}

fn open_feed(kafka: &Kafka, plan: &Plan, checkpoint: &BTreeMap<i32, i64>) -> Result<Feed> {
    match &plan.selection.source {
        Source::Topic { topic } => {
            let ranges: Vec<OffsetRange> = plan
                .ranges
                .iter()
                .map(|r| OffsetRange {
                    partition: r.partition,
                    start: checkpoint
                        .get(&r.partition)
                        .copied()
                        .unwrap_or(r.start)
                        .max(r.start),
                    end: r.end,
                })
                .filter(|r| !r.is_empty())
                .collect();
            if !ranges.is_empty() {
                let consumer = kafka.consumer(None)?;
                let ids: Vec<i32> = ranges.iter().map(|r| r.partition).collect();
                for w in kafka.watermarks(&consumer, topic, &ids)? {
                    let r = ranges
                        .iter()
                        .find(|r| r.partition == w.partition)
                        .expect("asked for");
                    if w.low > r.start {
                        return Err(Error::usage_hint(
                            format!(
                                "records {topic}[{}] {}..{} the plan needs were deleted (the log now starts at {})",
                                w.partition, r.start, r.end, w.low
                            ),
                            "re-plan: retention removed part of the planned range",
                        ));
                    }
                }
            }
            Ok(Feed::Topic(Reader::spawn(
                kafka.stream(topic, &ranges)?,
                topic.clone(),
            )))
        }
        Source::File { path } => {
            let bytes = std::fs::read(path).map_err(|e| Error::file("read", path, e))?;
            let sha = hex::encode(Sha256::digest(&bytes));
            if plan.source_file_sha256.as_deref().is_some_and(|s| s != sha) {
                return Err(Error::usage_hint(
                    format!("{} changed since the plan was made", path.display()),
                    "re-plan with the current file",
                ));
            }
            let next = checkpoint.get(&0).copied().unwrap_or(0);
            let records: Vec<SourceRecord> = read_export_file(path)?
                .into_iter()
                .filter(|r| r.offset >= next)
                .collect();
            Ok(Feed::File {
                records: records.into_iter(),
            })
        }
    }
}

/// The destination high watermarks before the first record is written.
pub fn destination_starts(kafka: &Kafka, plan: &Plan) -> Result<Vec<DestStart>> {
    let consumer = kafka.consumer(None)?;
    let mut by_topic: BTreeMap<&str, Vec<i32>> = BTreeMap::new();
    for d in &plan.destinations {
        by_topic.entry(&*d.topic).or_default().push(d.partition);
    }
    let mut out = Vec::new();
    for (topic, parts) in by_topic {
        for w in kafka.watermarks(&consumer, topic, &parts)? {
            out.push(DestStart {
                tp: super::plan::TopicPartition {
                    topic: topic.into(),
                    partition: w.partition,
                },
                offset: w.high,
            });
        }
    }
    Ok(out)
}

/// Source positions this replay already wrote, read back from the destination.
pub fn delivered_positions(
    kafka: &Kafka,
    st: &ReplayState,
    out: &crate::output::Output,
) -> Result<HashSet<(i32, i64)>> {
    let consumer = kafka.consumer(None)?;
    let mut by_topic: BTreeMap<&str, Vec<&DestStart>> = BTreeMap::new();
    for d in &st.dest_start {
        by_topic.entry(&*d.tp.topic).or_default().push(d);
    }
    let mut found = HashSet::new();
    for (topic, starts) in by_topic {
        let ids: Vec<i32> = starts.iter().map(|d| d.tp.partition).collect();
        let wms = kafka.watermarks(&consumer, topic, &ids)?;
        let ranges: Vec<OffsetRange> = starts
            .iter()
            .filter_map(|d| {
                let w = wms.iter().find(|w| w.partition == d.tp.partition)?;
                Some(OffsetRange {
                    partition: d.tp.partition,
                    start: d.offset.max(w.low),
                    end: w.high,
                })
            })
            .filter(|r| !r.is_empty())
            .collect();
        if ranges.is_empty() {
            continue;
        }
        let total: i64 = ranges.iter().map(OffsetRange::len).sum();
        let bar = out.progress(Some(total as u64), "checking the destination");
        let mut stream = kafka.stream(topic, &ranges)?;
        while let Some(m) = stream.next_record()? {
            bar.inc(1);
            let Some(hs) = m.headers() else { continue };
            let mut id_ok = false;
            let mut pos = None;
            for h in hs.iter() {
                if h.key == H_ID {
                    id_ok = h.value == Some(st.id.as_bytes());
                } else if h.key == H_POSITION {
                    pos = h.value.and_then(parse_position);
                }
            }
            if let (true, Some(p)) = (id_ok, pos) {
                found.insert(p);
            }
        }
        bar.finish_and_clear();
    }
    Ok(found)
}

fn is_queue_full(e: &KafkaError) -> bool {
    matches!(
        e,
        KafkaError::MessageProduction(RDKafkaErrorCode::QueueFull)
    )
}

/// How an attempt ended.
pub enum Outcome {
    Completed,
    Interrupted,
    Failed(Error),
}

/// Run (or continue) a replay. `st` must already be saved as running with its
/// `dest_start`; `delivered` holds positions found in the destination.
pub async fn execute(
    ctx: &Context,
    kafka: &Kafka,
    store: &Store,
    auditor: &Auditor,
    st: &mut ReplayState,
    delivered: HashSet<(i32, i64)>,
) -> Result<ExitCode> {
    let started = Instant::now();
    let active_before = st.active_secs;
    let stop = StopSignal::install();
    let result = pump(ctx, kafka, store, st, &delivered, &stop, active_before).await;
    st.updated_at = Utc::now();
    st.pid = None;
    let outcome = match result {
        Ok(o) => o,
        Err(e) => Outcome::Failed(e),
    };
    match outcome {
        Outcome::Completed => {
            st.phase = Phase::Completed;
            st.finished_at = Some(st.updated_at);
            st.error = None;
            store.save(st)?;
            auditor
                .event(
                    st,
                    "finished",
                    Some("completed"),
                    None,
                    Some(started.elapsed().as_secs_f64()),
                )
                .await?;
            if st.counts.sent != st.plan.records {
                ctx.out.warn(&format!(
                    "{} records were sent but the plan counted {}; the source changed since planning",
                    st.counts.sent, st.plan.records
                ));
            }
            Ok(ExitCode::Success)
        }
        Outcome::Interrupted => {
            st.phase = Phase::Interrupted;
            store.save(st)?;
            auditor
                .event(
                    st,
                    "interrupted",
                    None,
                    None,
                    Some(started.elapsed().as_secs_f64()),
                )
                .await?;
            Err(Error::Interrupted {
                message: format!(
                    "replay {} interrupted after {} of {} records",
                    st.id, st.counts.sent, st.plan.records
                ),
                hint: Some(format!("continue with `kafkaops replay resume {}`", st.id)),
            })
        }
        Outcome::Failed(e) => {
            st.phase = Phase::Failed;
            st.error = Some(e.to_string());
            store.save(st)?;
            auditor
                .event(
                    st,
                    "finished",
                    Some("failed"),
                    Some(e.to_string()),
                    Some(started.elapsed().as_secs_f64()),
                )
                .await?;
            let hint = e.hint().map(|h| format!("{h}; then ")).unwrap_or_default();
            Err(Error::Incomplete {
                message: format!(
                    "replay {} stopped after {} of {} records: {e}",
                    st.id, st.counts.sent, st.plan.records
                ),
                hint: Some(format!(
                    "{hint}continue with `kafkaops replay resume {}` (nothing is sent twice)",
                    st.id
                )),
            })
        }
    }
}

async fn pump(
    ctx: &Context,
    kafka: &Kafka,
    store: &Store,
    st: &mut ReplayState,
    delivered: &HashSet<(i32, i64)>,
    stop: &StopSignal,
    active_before: f64,
) -> Result<Outcome> {
    let plan = st.plan.clone();
    let mut judge = Judge::new(kafka, &plan.selection)?;
    let inbox = Arc::new(Mutex::new(Inbox::default()));
    let mut tracker = Tracker::default();
    // Polled from this loop rather than from a background thread: librdkafka then
    // frees each delivered record on the thread that allocated it (freeing them on
    // a polling thread made glibc's allocator locks the bottleneck). Reports reach
    // the tracker through the inbox.
    let producer: BaseProducer<ReplayContext> = kafka
        .producer_config()
        .create_with_context(ReplayContext {
            inner: KafkaContext::default(),
            inbox: inbox.clone(),
        })
        .map_err(|e| {
            Error::config(
                format!("cannot create the producer: {e}"),
                "check the producer properties given with -X, -F or the profile",
            )
        })?;
    let mut feed = open_feed(kafka, &plan, &st.checkpoint)?;
    let limiter = Limiter::new(st.rate);
    let limited = !limiter.is_unlimited();
    // Rates are measured from here: connecting and opening the source is not sending.
    let started = Instant::now();
    let base_sent = st.counts.sent;
    let base_checkpoint = st.checkpoint.clone();
    let total = plan.records;
    let bar = ctx.out.progress(Some(total), "replaying");
    bar.set_position(base_sent);
    let mut last_save = Instant::now();
    let mut last_line = Instant::now();
    let line_every = Duration::from_secs(5);
    let owner = st.owner.clone();
    let id = st.id.clone();
    let mut stopped = false;
    let mut failure: Option<Error> = None;
    // Owned by this loop alone, like the tracker.
    let mut read_next: BTreeMap<i32, i64> = BTreeMap::new();
    let mut rec = SourceRecord::default();
    let mut clock = Clock::new();
    let mut scratch = String::new();
    let mut handled: u64 = 0;
    let save = |st: &mut ReplayState, t: &Tracker, read_next: &BTreeMap<i32, i64>| -> Result<()> {
        st.checkpoint = t.checkpoint(read_next, &base_checkpoint);
        st.counts.sent = base_sent + t.acked;
        st.updated_at = Utc::now();
        st.active_secs = active_before + started.elapsed().as_secs_f64();
        store.save(st)
    };
    loop {
        // Bookkeeping that reads the clock or takes the lock runs every record when
        // rate-limited (records are far apart) and every 256 records otherwise.
        handled += 1;
        let check = limited || handled % 256 == 0 || tracker.failure.is_some();
        if check {
            if stop.stopped() {
                stopped = true;
                break;
            }
            producer.poll(Duration::ZERO);
            tracker.absorb(&inbox);
            if let Some(f) = tracker.failure.clone() {
                failure = Some(Error::broker(
                    f,
                    Some("check that the destination brokers are up and that this user may write to the destination (WRITE on the topic)".into()),
                ));
                break;
            }
            let sent_now = base_sent + tracker.acked;
            bar.set_position(sent_now);
            if last_save.elapsed() >= Duration::from_secs(1) {
                save(st, &tracker, &read_next)?;
                last_save = Instant::now();
            }
            if !ctx.out.stderr_tty && last_line.elapsed() >= line_every {
                progress_line(st, sent_now, total, started, base_sent);
                last_line = Instant::now();
            }
        }
        match feed.next_into(&mut rec) {
            Ok(true) => {}
            Ok(false) => break,
            Err(e) => {
                failure = Some(e);
                break;
            }
        }
        let (p, o) = (rec.partition, rec.offset);
        let verdict = judge.judge(&rec)?;
        let dest = match verdict {
            Verdict::Skip(s) => {
                match s {
                    Skip::OutsideWindow => st.counts.skipped_outside_window += 1,
                    Skip::Filtered => st.counts.skipped_filtered += 1,
                }
                read_next.insert(p, o + 1);
                continue;
            }
            Verdict::Replay(tp) => tp,
        };
        if !delivered.is_empty() && delivered.contains(&(p, o)) {
            st.counts.already_delivered += 1;
            read_next.insert(p, o + 1);
            continue;
        }
        if limited && !limiter.acquire(rec.size(), stop).await {
            stopped = true;
            break;
        }
        let prov = Provenance {
            replay_id: &id,
            owner: &owner,
            time: clock.now(limited || handled % 32 == 0),
        };
        // `insert` takes the list by value; the Option moves it through the closure.
        let mut headers = Some(OwnedHeaders::new_with_capacity(rec.headers.len() + 5));
        visit_outgoing_headers(
            &rec,
            &plan.selection,
            &prov,
            &is_dlq_header,
            &mut scratch,
            |key, value| {
                headers = headers.take().map(|h| h.insert(Header { key, value }));
            },
        );
        let headers = headers.expect("header list");
        tracker.pending.entry(p).or_default().push(o);
        read_next.insert(p, o + 1);
        let mut record: BaseRecord<'_, [u8], [u8], Box<(i32, i64)>> =
            BaseRecord::with_opaque_to(&dest.topic, Box::new((p, o)))
                .partition(dest.partition)
                .headers(headers);
        if let Some(k) = rec.key.as_deref() {
            record = record.key(k);
        }
        if let Some(v) = rec.value.as_deref() {
            record = record.payload(v);
        }
        if plan.selection.keep_timestamps {
            if let Some(ts) = rec.timestamp_ms {
                record = record.timestamp(ts);
            }
        }
        loop {
            match producer.send(record) {
                Ok(()) => break,
                Err((e, r)) if is_queue_full(&e) => {
                    record = r;
                    // Serve delivery reports to make room, without blocking the runtime.
                    producer.poll(Duration::ZERO);
                    tokio::time::sleep(Duration::from_millis(1)).await;
                }
                Err((e, _)) => {
                    tracker
                        .failure
                        .get_or_insert(format!("cannot produce to {}: {e}", dest.label()));
                    break;
                }
            }
        }
    }
    // Drain: wait for acknowledgements of what is in flight. On a failure or a
    // stop, records not yet handed to the network are dropped: they are not
    // checkpointed, so a resume sends them.
    if failure.is_some() || stopped {
        producer.purge(PurgeConfig::default().queue());
    }
    let drain_limit = if failure.is_some() || stopped {
        Duration::from_secs(10)
    } else {
        Duration::from_secs(130)
    };
    let drained_by = Instant::now() + drain_limit;
    while producer.in_flight_count() > 0 && Instant::now() < drained_by {
        if stop.stopped() && !stopped {
            stopped = true;
            producer.purge(PurgeConfig::default().queue());
        }
        producer.poll(Duration::from_millis(50));
        let _ = producer.flush(Duration::from_millis(100));
    }
    // Delivery reports of the last records may still be queued.
    producer.poll(Duration::ZERO);
    bar.finish_and_clear();
    tracker.absorb(&inbox);
    save(st, &tracker, &read_next)?;
    let (late_failure, any_pending) = (tracker.failure.clone(), tracker.any_pending());
    if failure.is_none() {
        if let Some(f) = late_failure {
            failure = Some(Error::broker(
                f,
                Some("check that the destination brokers are up and that this user may write to the destination (WRITE on the topic)".into()),
            ));
        }
    }
    if failure.is_none() && !stopped && any_pending {
        failure = Some(Error::broker(
            "some records were not acknowledged by the destination in time",
            Some("check the destination brokers".into()),
        ));
    }
    if let Some(f) = failure {
        return Ok(Outcome::Failed(f));
    }
    if stopped {
        return Ok(Outcome::Interrupted);
    }
    if !ctx.out.stderr_tty {
        progress_line(st, st.counts.sent, total, started, base_sent);
    }
    Ok(Outcome::Completed)
}

fn progress_line(st: &ReplayState, sent: u64, total: u64, started: Instant, base: u64) {
    let secs = started.elapsed().as_secs_f64().max(0.001);
    let rate = (sent.saturating_sub(base)) as f64 / secs;
    let pct = if total > 0 {
        sent as f64 * 100.0 / total as f64
    } else {
        100.0
    };
    let eta = if rate > 0.0 {
        crate::timespec::format_age(Duration::from_secs_f64(
            total.saturating_sub(sent) as f64 / rate,
        ))
    } else {
        "-".into()
    };
    eprintln!(
        "replay {}: {sent}/{total} records ({pct:.0}%), {}/s, eta {eta}",
        st.id,
        indicatif::HumanCount(rate.round() as u64)
    );
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_records_bucket_never_exceeds_a_tenth_of_a_second() {
        assert_eq!(records_burst(0.5).get(), 1);
        assert_eq!(records_burst(5.0).get(), 1);
        assert_eq!(records_burst(40.0).get(), 4);
        assert_eq!(records_burst(1000.0).get(), 10);
        assert_eq!(records_burst(20_000.0).get(), 200);
        for r in [10.0, 40.0, 99.0, 1000.0, 20_000.0, 1_000_000.0] {
            assert!(f64::from(records_burst(r).get()) <= r / 10.0, "{r}");
        }
    }

    #[test]
    fn an_unlimited_rate_has_no_records_limiter() {
        let l = Limiter::new(Rate {
            records_per_sec: super::super::plan::RecordRate::UNLIMITED,
            bytes_per_sec: None,
        });
        assert!(l.is_unlimited());
        let l = Limiter::new(Rate {
            records_per_sec: super::super::plan::RecordRate::UNLIMITED,
            bytes_per_sec: Some(1000),
        });
        assert!(!l.is_unlimited(), "a byte limit still applies");
        let l = Limiter::new(Rate {
            records_per_sec: super::super::plan::RecordRate::PerSec(1000.0),
            bytes_per_sec: None,
        });
        assert!(!l.is_unlimited());
        // Starts empty: no opening burst.
        assert!(l.records.as_ref().unwrap().check().is_err());
    }

    #[test]
    fn the_checkpoint_never_passes_an_unacknowledged_record() {
        let mut t = Tracker::default();
        let mut read_next: BTreeMap<i32, i64> = BTreeMap::new();
        let base: BTreeMap<i32, i64> = [(0, 3), (1, 50)].into();
        // Partition 0: records 3..10 handled, 5 and 7 still in flight.
        read_next.insert(0, 10);
        let inflight = t.pending.entry(0).or_default();
        for o in [4, 5, 6, 7, 8] {
            inflight.push(o);
        }
        for o in [4, 6, 8] {
            inflight.ack(o);
        }
        assert_eq!(t.checkpoint(&read_next, &base), [(0, 5), (1, 50)].into());
        t.pending.get_mut(&0).unwrap().ack(5);
        assert_eq!(t.checkpoint(&read_next, &base)[&0], 7);
        assert!(t.any_pending());
        t.pending.get_mut(&0).unwrap().ack(7);
        assert_eq!(t.checkpoint(&read_next, &base)[&0], 10);
        assert!(!t.any_pending());
        // A partition first touched in this attempt starts from what was handled.
        read_next.insert(2, 4);
        t.pending.entry(2).or_default().push(1);
        assert_eq!(t.checkpoint(&read_next, &base)[&2], 1);
        // The checkpoint never goes backwards from the last saved one.
        let later: BTreeMap<i32, i64> = [(0, 12)].into();
        assert_eq!(t.checkpoint(&read_next, &later)[&0], 12);
    }

    #[test]
    fn in_flight_records_are_acknowledged_in_any_order() {
        let mut f = InFlight::default();
        assert_eq!(f.lowest(), None);
        for o in 10..20 {
            f.push(o);
        }
        for o in (11..20).rev() {
            f.ack(o);
            assert_eq!(f.lowest(), Some(10));
        }
        // A duplicate or unknown acknowledgement changes nothing.
        f.ack(15);
        f.ack(99);
        assert!(!f.is_empty());
        f.ack(10);
        assert_eq!(f.lowest(), None);
        assert!(f.is_empty());
    }
}
