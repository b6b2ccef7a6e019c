//! Executing a plan: read the planned ranges, apply the same verdicts the plan
//! counted, and re-publish each record through an idempotent producer under a
//! governor rate limit, with provenance headers. A delivery-report callback keeps
//! per-partition checkpoints of acknowledged offsets only; on resume the
//! destination is read for records this replay already wrote, so nothing is sent
//! twice. Ctrl-C (or SIGTERM) stops cleanly with a consistent checkpoint.

use std::collections::{BTreeMap, BTreeSet, HashSet};
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
use rdkafka::producer::{BaseRecord, Producer, ProducerContext, PurgeConfig, ThreadedProducer};
use sha2::{Digest, Sha256};
use tokio::sync::Notify;

use super::dlq_bridge::{is_dlq_header, read_export_file};
use super::plan::{Plan, Rate};
use super::record::{outgoing_headers, parse_position, Provenance, SourceRecord, H_ID, H_POSITION};
use super::resolve::{Judge, Verdict};
use super::selection::{Skip, Source};
use super::state::{DestStart, Phase, ReplayState, Store};
use super::Auditor;
use crate::app::Context;
use crate::error::{Error, Result};
use crate::exit::ExitCode;
use crate::kafka::{Kafka, KafkaContext, OffsetRange};

/// Acknowledgements, shared with the delivery callback.
#[derive(Default)]
struct Tracker {
    /// Sent, not yet acknowledged, per source partition.
    pending: BTreeMap<i32, BTreeSet<i64>>,
    /// Per source partition: the offset after the last record handled (sent or skipped).
    read_next: BTreeMap<i32, i64>,
    acked: u64,
    failure: Option<String>,
}

impl Tracker {
    fn checkpoint(&self, base: &BTreeMap<i32, i64>) -> BTreeMap<i32, i64> {
        let mut cp = base.clone();
        for (p, next) in &self.read_next {
            let low = self
                .pending
                .get(p)
                .and_then(|s| s.first().copied())
                .unwrap_or(*next);
            let e = cp.entry(*p).or_insert(low);
            *e = (*e).max(low.min(*next));
        }
        cp
    }
}

struct ReplayContext {
    inner: KafkaContext,
    tracker: Arc<Mutex<Tracker>>,
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
        let mut t = self.tracker.lock().expect("tracker lock");
        match result {
            Ok(_) => {
                if let Some(s) = t.pending.get_mut(&p) {
                    s.remove(&o);
                }
                t.acked += 1;
            }
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

/// The governor limiters for one attempt: no burst above a tenth of a second's
/// worth (and never above one second's), so the rate is smooth.
struct Limiter {
    records: DefaultDirectRateLimiter,
    bytes: Option<(DefaultDirectRateLimiter, u32)>,
}

impl Limiter {
    fn new(rate: Rate) -> Self {
        let burst = |per_sec: f64| {
            NonZeroU32::new(((per_sec / 10.0).floor() as u32).max(1)).expect("at least one")
        };
        let period =
            |per_sec: f64| Duration::from_secs_f64(1.0 / per_sec).max(Duration::from_nanos(1));
        let q = Quota::with_period(period(rate.records_per_sec))
            .expect("non-zero period")
            .allow_burst(burst(rate.records_per_sec));
        let bytes = rate.bytes_per_sec.map(|b| {
            let b = b as f64;
            let burst_b = burst(b);
            let q = Quota::with_period(period(b))
                .expect("non-zero period")
                .allow_burst(burst_b);
            (RateLimiter::direct(q), burst_b.get())
        });
        Limiter {
            records: RateLimiter::direct(q),
            bytes,
        }
    }

    /// Wait for one record of `size` bytes; false when stopped while waiting.
    async fn acquire(&self, size: u64, stop: &StopSignal) -> bool {
        let wait = async {
            self.records.until_ready().await;
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
    Topic {
        stream: Box<crate::kafka::RecordStream>,
        topic: String,
    },
    File {
        records: std::vec::IntoIter<SourceRecord>,
    },
}

impl Feed {
    fn next(&mut self) -> Result<Option<SourceRecord>> {
        match self {
            Feed::Topic { stream, topic } => Ok(stream
                .next_record()?
                .map(|m| SourceRecord::from_message(topic, &m))),
            Feed::File { records } => Ok(records.next()),
        }
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
            Ok(Feed::Topic {
                stream: Box::new(kafka.stream(topic, &ranges)?),
                topic: topic.clone(),
            })
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
        by_topic
            .entry(d.topic.as_str())
            .or_default()
            .push(d.partition);
    }
    let mut out = Vec::new();
    for (topic, parts) in by_topic {
        for w in kafka.watermarks(&consumer, topic, &parts)? {
            out.push(DestStart {
                tp: super::plan::TopicPartition {
                    topic: topic.to_string(),
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
        by_topic.entry(d.tp.topic.as_str()).or_default().push(d);
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
    let tracker = Arc::new(Mutex::new(Tracker::default()));
    let producer: ThreadedProducer<ReplayContext> = kafka
        .producer_config()
        .create_with_context(ReplayContext {
            inner: KafkaContext::default(),
            tracker: tracker.clone(),
        })
        .map_err(|e| {
            Error::config(
                format!("cannot create the producer: {e}"),
                "check the producer properties given with -X, -F or the profile",
            )
        })?;
    let mut feed = open_feed(kafka, &plan, &st.checkpoint)?;
    let limiter = Limiter::new(st.rate);
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
    let save = |st: &mut ReplayState, t: &Tracker| -> Result<()> {
        st.checkpoint = t.checkpoint(&base_checkpoint);
        st.counts.sent = base_sent + t.acked;
        st.updated_at = Utc::now();
        st.active_secs = active_before + started.elapsed().as_secs_f64();
        store.save(st)
    };
    loop {
        if stop.stopped() {
            stopped = true;
            break;
        }
        if let Some(f) = tracker.lock().expect("tracker lock").failure.clone() {
            failure = Some(Error::broker(
                f,
                Some("check that the destination brokers are up and writable".into()),
            ));
            break;
        }
        let rec = match feed.next() {
            Ok(Some(r)) => r,
            Ok(None) => break,
            Err(e) => {
                failure = Some(e);
                break;
            }
        };
        let (p, o) = (rec.partition, rec.offset);
        let verdict = judge.judge(&rec)?;
        let dest = match verdict {
            Verdict::Skip(s) => {
                match s {
                    Skip::OutsideWindow => st.counts.skipped_outside_window += 1,
                    Skip::Filtered => st.counts.skipped_filtered += 1,
                }
                tracker
                    .lock()
                    .expect("tracker lock")
                    .read_next
                    .insert(p, o + 1);
                continue;
            }
            Verdict::Replay(tp) => tp,
        };
        if delivered.contains(&(p, o)) {
            st.counts.already_delivered += 1;
            tracker
                .lock()
                .expect("tracker lock")
                .read_next
                .insert(p, o + 1);
            continue;
        }
        if !limiter.acquire(rec.size(), stop).await {
            stopped = true;
            break;
        }
        let now = Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Millis, true);
        let prov = Provenance {
            replay_id: &id,
            owner: &owner,
            time: &now,
        };
        let hs = outgoing_headers(&rec, &plan.selection, &prov, &is_dlq_header);
        let mut headers = OwnedHeaders::new_with_capacity(hs.len());
        for (k, v) in &hs {
            headers = headers.insert(Header {
                key: k.as_str(),
                value: v.as_deref(),
            });
        }
        {
            let mut t = tracker.lock().expect("tracker lock");
            t.pending.entry(p).or_default().insert(o);
            t.read_next.insert(p, o + 1);
        }
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
                    tokio::time::sleep(Duration::from_millis(20)).await;
                }
                Err((e, _)) => {
                    tracker
                        .lock()
                        .expect("tracker lock")
                        .failure
                        .get_or_insert(format!("cannot produce to {}: {e}", dest.label()));
                    break;
                }
            }
        }
        let sent_now = base_sent + tracker.lock().expect("tracker lock").acked;
        bar.set_position(sent_now);
        if last_save.elapsed() >= Duration::from_secs(1) {
            let t = tracker.lock().expect("tracker lock");
            let snapshot = Tracker {
                pending: t.pending.clone(),
                read_next: t.read_next.clone(),
                acked: t.acked,
                failure: None,
            };
            drop(t);
            save(st, &snapshot)?;
            last_save = Instant::now();
        }
        if !ctx.out.stderr_tty && last_line.elapsed() >= line_every {
            progress_line(st, sent_now, total, started, base_sent);
            last_line = Instant::now();
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
    bar.finish_and_clear();
    let t = tracker.lock().expect("tracker lock");
    let snapshot = Tracker {
        pending: t.pending.clone(),
        read_next: t.read_next.clone(),
        acked: t.acked,
        failure: t.failure.clone(),
    };
    drop(t);
    save(st, &snapshot)?;
    if failure.is_none() {
        if let Some(f) = snapshot.failure {
            failure = Some(Error::broker(
                f,
                Some("check that the destination brokers are up and writable".into()),
            ));
        }
    }
    if failure.is_none() && !stopped && snapshot.pending.values().any(|s| !s.is_empty()) {
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
        "replay {}: {sent}/{total} records ({pct:.0}%), {rate:.1}/s, eta {eta}",
        st.id
    );
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_checkpoint_never_passes_an_unacknowledged_record() {
        let mut t = Tracker::default();
        let base: BTreeMap<i32, i64> = [(0, 3), (1, 50)].into();
        // Partition 0: records 3..10 handled, 5 and 7 still in flight.
        t.read_next.insert(0, 10);
        t.pending.insert(0, [5, 7].into());
        assert_eq!(t.checkpoint(&base), [(0, 5), (1, 50)].into());
        t.pending.get_mut(&0).unwrap().remove(&5);
        assert_eq!(t.checkpoint(&base)[&0], 7);
        t.pending.get_mut(&0).unwrap().remove(&7);
        assert_eq!(t.checkpoint(&base)[&0], 10);
        // A partition first touched in this attempt starts from what was handled.
        t.read_next.insert(2, 4);
        t.pending.insert(2, [1].into());
        assert_eq!(t.checkpoint(&base)[&2], 1);
        // The checkpoint never goes backwards from the last saved one.
        let later: BTreeMap<i32, i64> = [(0, 12)].into();
        assert_eq!(t.checkpoint(&later)[&0], 12);
    }
}
