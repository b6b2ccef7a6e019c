//! The replay loop of one attempt: take each source record, apply its verdict,
//! skip what the destination already holds, wait for the rate limit, and hand
//! the record with its provenance headers to the idempotent producer; then drain
//! what is in flight and save the checkpoint. Also the progress line printed
//! when stderr is not a terminal.
//!
//! The loop also counts the planned offsets that held no record (compaction
//! gaps, transaction markers): the offset after each partition's last record
//! seen is kept in `counts.counted_to` and saved with the counts, so an offset
//! is counted once, as a record (sent or skipped) or as empty, over all attempts.

use std::collections::{BTreeMap, HashSet};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use chrono::Utc;

use super::clock::Clock;
use super::delivery::{Inbox, Tracker};
use super::feed::open_feed;
use super::limiter::Limiter;
use super::Outcome;
use crate::error::{Error, Result};
use crate::kafka::{Kafka, OutHeaders, Outgoing, SendError};
use crate::output::Output;
use crate::replay::dlq_bridge::is_dlq_header;
use crate::replay::judge::{produced_size, Judge, Verdict};
use crate::replay::plan::SizeSetting;
use crate::replay::record::{visit_outgoing_headers, Provenance, SourceRecord};
use crate::replay::selection::Skip;
use crate::replay::state::{ReplayState, Store};
use crate::signal::Stop;

/// Runs on a blocking thread (see [`crate::app`]): everything it does waits on
/// librdkafka or on the source's reader thread, except the rate limit.
pub(super) fn pump(
    out: &Output,
    kafka: &Kafka,
    store: &Store,
    st: &mut ReplayState,
    delivered: &HashSet<(i32, i64)>,
    stop: &Stop,
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
    // Batches stay within the smallest topic limit below the producer's own.
    let topics: std::collections::BTreeSet<&std::sync::Arc<str>> =
        plan.destinations.iter().map(|d| &d.topic).collect();
    let batch_limit = topics
        .into_iter()
        .map(|t| judge.size_limit(t))
        .filter(|l| l.setting == SizeSetting::Topic)
        .map(|l| l.bytes)
        .min();
    let producer = kafka.replay_producer(inbox.clone(), batch_limit)?;
    let mut feed = open_feed(kafka, &plan, &st.checkpoint)?;
    let limiter = Limiter::new(st.rate);
    let limited = !limiter.is_unlimited();
    // The rate limit is raced against the stop in one future, blocked on from here.
    let runtime = tokio::runtime::Handle::current();
    // Rates are measured from here: connecting and opening the source is not sending.
    let started = Instant::now();
    let base_sent = st.counts.sent;
    let base_checkpoint = st.checkpoint.clone();
    let total = plan.records;
    let bar = out.progress(Some(total), "replaying");
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
    let mut counted = OffsetTally::new(&plan, &st.counts);
    let save = |st: &mut ReplayState,
                t: &Tracker,
                read_next: &BTreeMap<i32, i64>,
                counted: &OffsetTally|
     -> Result<()> {
        st.checkpoint = t.checkpoint(read_next, &base_checkpoint);
        counted.store(&mut st.counts);
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
                failure = Some(delivery_error(f, tracker.too_large));
                break;
            }
            let sent_now = base_sent + tracker.acked;
            bar.set_position(sent_now);
            if last_save.elapsed() >= Duration::from_secs(1) {
                save(st, &tracker, &read_next, &counted)?;
                last_save = Instant::now();
            }
            if !out.stderr_tty && last_line.elapsed() >= line_every {
                progress_line(st, sent_now, total, started, base_sent);
                last_line = Instant::now();
            }
        }
        match feed.next_into(&mut rec) {
            Ok(true) => {}
            Ok(false) => {
                // The source is read to each range's end: offsets after a
                // partition's last record held none.
                counted.finish();
                break;
            }
            Err(e) => {
                failure = Some(e);
                break;
            }
        }
        let (p, o) = (rec.partition, rec.offset);
        // False for a record an earlier attempt already counted (re-read on resume).
        let first_count = counted.record(p, o);
        let verdict = judge.judge(&rec)?;
        let dest = match verdict {
            Verdict::Skip(s) => {
                if first_count {
                    match s {
                        Skip::OutsideWindow => st.counts.skipped_outside_window += 1,
                        Skip::Filtered => st.counts.skipped_filtered += 1,
                        Skip::Redriven => st.counts.skipped_redriven += 1,
                    }
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
        if st.skip_oversized && produced_size(&rec) > judge.size_limit(&dest.topic).bytes {
            if first_count {
                st.counts.skipped_oversized += 1;
            }
            read_next.insert(p, o + 1);
            continue;
        }
        if limited && !runtime.block_on(limiter.acquire(rec.size(), stop)) {
            stopped = true;
            break;
        }
        let prov = Provenance {
            replay_id: &id,
            owner: &owner,
            time: clock.now(limited || handled % 32 == 0),
        };
        let mut headers = OutHeaders::with_capacity(rec.headers.len() + 5);
        visit_outgoing_headers(
            &rec,
            &plan.selection,
            &prov,
            &is_dlq_header,
            &mut scratch,
            |key, value| headers.push(key, value),
        );
        tracker.pending.entry(p).or_default().push(o);
        read_next.insert(p, o + 1);
        let mut record = Outgoing::new(&dest.topic, dest.partition, (p, o), headers);
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
                Err((SendError::QueueFull, r)) => {
                    record = r;
                    // Serve delivery reports to make room.
                    producer.poll(Duration::ZERO);
                    std::thread::sleep(Duration::from_millis(1));
                }
                Err((e, _)) => {
                    if tracker.failure.is_none() {
                        tracker.failure = Some(format!("cannot produce to {}: {e}", dest.label()));
                        tracker.too_large = e.is_too_large();
                    }
                    break;
                }
            }
        }
    }
    // Drain: wait for acknowledgements of what is in flight. On a failure or a
    // stop, records not yet handed to the network are dropped: they are not
    // checkpointed, so a resume sends them.
    if failure.is_some() || stopped {
        producer.purge_queued();
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
            producer.purge_queued();
        }
        producer.poll(Duration::from_millis(50));
        producer.flush(Duration::from_millis(100));
    }
    // Delivery reports of the last records may still be queued.
    producer.poll(Duration::ZERO);
    bar.finish_and_clear();
    tracker.absorb(&inbox);
    save(st, &tracker, &read_next, &counted)?;
    let (late_failure, any_pending) = (tracker.failure.clone(), tracker.any_pending());
    if failure.is_none() {
        if let Some(f) = late_failure {
            failure = Some(delivery_error(f, tracker.too_large));
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
    if !out.stderr_tty {
        progress_line(st, st.counts.sent, total, started, base_sent);
    }
    Ok(Outcome::Completed)
}

/// Which offsets are accounted for, per source partition: everything below
/// `next` was seen as a record or counted as empty.
struct OffsetTally {
    next: BTreeMap<i32, i64>,
    /// Each planned range's end.
    ends: BTreeMap<i32, i64>,
    /// Empty offsets counted by earlier attempts, and by this one.
    base: u64,
    empty: u64,
}

impl OffsetTally {
    fn new(plan: &crate::replay::plan::Plan, counts: &crate::replay::state::Counts) -> Self {
        let counted_to = &counts.counted_to;
        let mut next = BTreeMap::new();
        let mut ends = BTreeMap::new();
        // A file's positions are line numbers with no gaps to count.
        if matches!(
            plan.selection.source,
            crate::replay::selection::Source::Topic { .. }
        ) {
            for r in &plan.ranges {
                let at = counted_to.get(&r.partition).copied().unwrap_or(r.start);
                next.insert(r.partition, at.max(r.start));
                ends.insert(r.partition, r.end);
            }
        }
        OffsetTally {
            next,
            ends,
            base: counts.empty_offsets,
            empty: 0,
        }
    }

    /// A record at `offset`: counts the empty offsets before it; false when an
    /// earlier attempt already counted it.
    fn record(&mut self, partition: i32, offset: i64) -> bool {
        let Some(next) = self.next.get_mut(&partition) else {
            return true;
        };
        if offset < *next {
            return false;
        }
        self.empty += (offset - *next) as u64;
        *next = offset + 1;
        true
    }

    /// Every range was read to its end.
    fn finish(&mut self) {
        for (p, next) in self.next.iter_mut() {
            let end = self.ends[p];
            if end > *next {
                self.empty += (end - *next) as u64;
                *next = end;
            }
        }
    }

    /// Into the replay's counts (which already hold earlier attempts' empty offsets).
    fn store(&self, counts: &mut crate::replay::state::Counts) {
        counts.counted_to = self.next.clone();
        counts.empty_offsets = self.base + self.empty;
    }
}

/// A failed delivery, with the hint that fits: a size limit names the settings,
/// anything else the brokers and the permission to write.
fn delivery_error(message: String, too_large: bool) -> Error {
    let hint = if too_large {
        format!(
            "a record is larger than the producer or the destination topic accepts: raise the producer's limit with -X message.max.bytes=N or the topic's max.message.bytes, or skip such records with {} (on `replay run` or `replay resume`)",
            crate::replay::SKIP_OVERSIZED_FLAG
        )
    } else {
        "check that the destination brokers are up and that this user may write to the destination (WRITE on the topic)".into()
    };
    Error::broker(message, Some(hint))
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
    crate::output::stderr_line(&format!(
        "replay {}: {sent}/{total} records ({pct:.0}%), {}/s, eta {eta}",
        st.id,
        indicatif::HumanCount(rate.round() as u64)
    ));
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::replay::plan::tests::plan;
    use crate::replay::state::Counts;

    #[test]
    fn empty_offsets_are_counted_once_across_attempts() {
        // The plan covers offsets 10..20 of partition 0.
        let p = plan();
        let mut c = OffsetTally::new(&p, &Counts::default());
        // Records at 10, 11, 14 (12, 13 held none), then a crash.
        assert!(c.record(0, 10) && c.record(0, 11) && c.record(0, 14));
        let mut counts = Counts::default();
        c.store(&mut counts);
        assert_eq!(counts.empty_offsets, 2);
        assert_eq!(counts.counted_to[&0], 15);
        // The resume re-reads from an earlier checkpoint: nothing below 15 counts again.
        let mut c = OffsetTally::new(&p, &counts);
        assert!(!c.record(0, 11) && !c.record(0, 14));
        assert!(c.record(0, 17));
        // The read ends at 18: 18 and 19 held no record.
        c.finish();
        c.store(&mut counts);
        assert_eq!(counts.empty_offsets, 2 + 2 + 2);
        assert_eq!(counts.counted_to[&0], 20);
    }
}
