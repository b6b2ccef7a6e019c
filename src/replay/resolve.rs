//! Turning a selection into a plan against the cluster: partitions and offset
//! ranges from watermarks, `--offsets` and the time window (the Kafka layer's
//! time lookup, which searches record timestamps where the broker cannot answer),
//! then one read of those ranges to count exactly what will be replayed, its
//! bytes, distinct keys ([`KeySet`]) and destination partitions, by the same
//! per-record [`Judge`] the executor applies.
//!
//! Where nothing filters records, that read is skipped and the plan is counted
//! from offsets ([`Counted::Offsets`], its policy in [`super::plan`]): the
//! source is then read once, by the run, which counts the records it sends and
//! the offsets that held none. Only when every verdict is known without the
//! record: a topic source; no key, DLQ-category or redrive filter; each source
//! partition going to a fixed destination partition ([`Judge::fixed_routes`]);
//! and no record can be too large for the destination, proven by the source
//! topic's `max.message.bytes` (with the provenance headers) fitting the
//! destination's limit, so a run never stops half-written on an oversized
//! record the plan could not flag. A time window is still counted from offsets:
//! records inside the window's offsets with a timestamp outside it are skipped
//! and counted by the run. Otherwise the plan reads, and says why in a note
//! where the selection itself filters nothing.

use std::collections::{BTreeMap, BTreeSet};

use chrono::{DateTime, Utc};
use sha2::{Digest, Sha256};

use super::dlq_bridge::read_export_file;
use super::judge::{largest_produced_size, produced_size, Judge, Verdict};
use super::keyset::KeySet;
use super::plan::{
    BlastRadius, Counted, Oversized, Plan, PlannedRange, SizeLimit, TopicPartition, PLAN_VERSION,
};
use super::rate::Rate;
use super::record::SourceRecord;
use super::selection::{Selection, Skip, Source};
use crate::error::{Error, Result};
use crate::kafka::{balance_ranges, Kafka, Lookup, OffsetRange, Watermarks};
use crate::output::Output;
use crate::timespec::format_ms;

/// The offset ranges a topic selection covers.
pub struct TopicRanges {
    pub ranges: Vec<OffsetRange>,
    pub watermarks: Vec<Watermarks>,
    pub notes: Vec<String>,
}

pub fn topic_ranges(
    kafka: &Kafka,
    sel: &Selection,
    topic: &str,
    out: &Output,
) -> Result<(TopicRanges, Option<String>)> {
    let consumer = kafka.consumer(None)?;
    let meta = kafka.topic_with(&consumer, topic)?;
    let cluster_id = kafka.cluster_id(&consumer);
    let count = meta.partitions.len();
    let all: BTreeSet<i32> = meta.partition_ids().into_iter().collect();
    let range_hint = format!(
        "'{topic}' has {count} partitions (0-{})",
        count.saturating_sub(1)
    );
    let mut parts: BTreeSet<i32> = match &sel.partitions {
        Some(ps) => {
            if let Some(bad) = ps.iter().find(|p| !all.contains(p)) {
                return Err(Error::usage_hint(
                    format!("partition {bad} does not exist on topic '{topic}'"),
                    range_hint,
                ));
            }
            ps.clone()
        }
        None => all.clone(),
    };
    if !sel.offsets.is_empty() {
        if let Some(bad) = sel.offsets.iter().find(|o| !all.contains(&o.partition)) {
            return Err(Error::usage_hint(
                format!(
                    "--offsets names partition {} which does not exist on topic '{topic}'",
                    bad.partition
                ),
                range_hint,
            ));
        }
        parts = sel
            .offsets
            .iter()
            .map(|o| o.partition)
            .filter(|p| parts.contains(p))
            .collect();
    }
    let mut notes = Vec::new();
    if let Some(kp) = sel.key_partitions(count) {
        parts = parts.intersection(&kp).copied().collect();
        let p = sel.partitioner.map(|p| p.name()).unwrap_or_default();
        notes.push(format!(
            "{p} places the {} key(s) in partition(s) {} of '{topic}'; only those are read",
            sel.keys.exact.len(),
            kp.iter().map(i32::to_string).collect::<Vec<_>>().join(",")
        ));
    }
    let ids: Vec<i32> = parts.iter().copied().collect();
    let wms = kafka.watermarks(&consumer, topic, &ids)?;
    let mut ranges: BTreeMap<i32, OffsetRange> = wms
        .iter()
        .map(|w| {
            (
                w.partition,
                OffsetRange {
                    partition: w.partition,
                    start: w.low,
                    end: w.high,
                },
            )
        })
        .collect();
    for o in &sel.offsets {
        let Some(w) = wms.iter().find(|w| w.partition == o.partition) else {
            continue;
        };
        if o.start < w.low {
            return Err(Error::usage_hint(
                format!("offset {} on {topic}[{}] is out of range: the log starts at {} (older records were deleted)", o.start, o.partition, w.low),
                format!("start at {} or later: --offsets {}:{}-...", w.low, o.partition, w.low),
            ));
        }
        if o.start >= w.high || o.end.is_some_and(|e| e > w.high) {
            let last = o.end.map_or(o.start, |e| e - 1);
            return Err(Error::usage_hint(
                format!(
                    "offset {last} on {topic}[{}] is out of range: the last offset is {}",
                    o.partition,
                    if w.high > 0 {
                        (w.high - 1).to_string()
                    } else {
                        "none (the partition is empty)".into()
                    }
                ),
                format!(
                    "end at {} or earlier, or leave the end open: --offsets {}:{}-",
                    w.high - 1,
                    o.partition,
                    o.start
                ),
            ));
        }
        let r = ranges.get_mut(&o.partition).expect("partition present");
        r.start = o.start;
        r.end = o.end.unwrap_or(w.high);
    }
    if sel.from.is_some() || sel.until.is_some() {
        let mut searched = BTreeSet::new();
        let active: Vec<Watermarks> = wms.iter().filter(|w| !w.is_empty()).copied().collect();
        for (bound, is_from) in [(sel.from, true), (sel.until, false)] {
            let Some(t) = bound else { continue };
            for at in
                kafka.offsets_at_time(&consumer, topic, &active, t.timestamp_millis().max(0))?
            {
                if at.lookup == Lookup::Search {
                    searched.insert(at.partition);
                }
                let Some(r) = ranges.get_mut(&at.partition) else {
                    continue;
                };
                if is_from {
                    r.start = r.start.max(at.offset);
                } else {
                    r.end = r.end.min(at.offset);
                }
            }
        }
        if !searched.is_empty() {
            let msg = format!(
                "the broker could not answer offsets-for-times for {topic}[{}]; found the window by a binary search over record timestamps",
                searched.iter().map(i32::to_string).collect::<Vec<_>>().join(",")
            );
            out.note(&msg);
            notes.push(msg);
        }
        // An empty result deserves a reason: is the window outside the log?
        if ranges.values().all(|r| r.start >= r.end) {
            // The first and the last record of each partition; records without
            // a timestamp are no one's earliest or latest (the point reader's policy).
            let probes: Vec<(i32, i64)> = active
                .iter()
                .flat_map(|w| [(w.partition, w.low), (w.partition, w.high - 1)])
                .collect();
            let seen = kafka.point_reader()?.read_all(topic, &probes)?;
            let stamp = |p: i32, o: i64| seen.get(&(p, o)).and_then(|pt| pt.timestamp_ms());
            let earliest = active
                .iter()
                .filter_map(|w| stamp(w.partition, w.low))
                .min();
            let latest = active
                .iter()
                .filter_map(|w| stamp(w.partition, w.high - 1))
                .max();
            if let (Some(u), Some(e)) = (sel.until, earliest) {
                if u.timestamp_millis() <= e {
                    return Err(Error::usage_hint(
                        format!("the time window ends before the earliest record still in '{topic}' ({})", format_ms(e).unwrap_or_else(|| e.to_string())),
                        "the records were deleted by retention, or the window is wrong: widen --until",
                    ));
                }
            }
            if let (Some(f), Some(l)) = (sel.from, latest) {
                if f.timestamp_millis() > l {
                    return Err(Error::usage_hint(
                        format!(
                            "the time window starts after the latest record in '{topic}' ({})",
                            format_ms(l).unwrap_or_else(|| l.to_string())
                        ),
                        "move --from earlier",
                    ));
                }
            }
        }
    }
    for r in ranges.values_mut() {
        if r.end < r.start {
            r.end = r.start;
        }
    }
    Ok((
        TopicRanges {
            ranges: ranges.into_values().collect(),
            watermarks: wms,
            notes,
        },
        cluster_id,
    ))
}

#[derive(Default)]
struct Tally {
    records: u64,
    bytes: u64,
    outside: u64,
    filtered: u64,
}

/// Counts what a plan will replay.
struct Accumulator {
    per_partition: BTreeMap<i32, Tally>,
    keys: KeySet,
    null_keys: u64,
    dests: BTreeMap<TopicPartition, u64>,
    /// Records above their destination's size limit.
    oversized: Option<Oversized>,
}

impl Accumulator {
    /// An accumulator for a reader of about `records` records.
    fn new(records: u64) -> Self {
        Accumulator {
            per_partition: BTreeMap::new(),
            keys: KeySet::for_records(records),
            null_keys: 0,
            dests: BTreeMap::new(),
            oversized: None,
        }
    }

    /// Count a replayed record of `size` bytes (as produced) above `limit`.
    fn add_oversized(&mut self, size: u64, topic: &str, limit: SizeLimit) {
        let o = self.oversized.get_or_insert_with(|| Oversized {
            records: 0,
            largest_bytes: 0,
            topic: topic.to_string(),
            limit,
        });
        o.records += 1;
        if size > o.largest_bytes {
            o.largest_bytes = size;
            o.topic = topic.to_string();
            o.limit = limit;
        }
    }

    /// Fold in the counts of another reader (over other partitions).
    fn merge(&mut self, other: Accumulator) {
        for (p, t) in other.per_partition {
            let mine = self.per_partition.entry(p).or_default();
            mine.records += t.records;
            mine.bytes += t.bytes;
            mine.outside += t.outside;
            mine.filtered += t.filtered;
        }
        self.keys.merge(&other.keys);
        self.null_keys += other.null_keys;
        for (tp, n) in other.dests {
            *self.dests.entry(tp).or_default() += n;
        }
        if let Some(o) = other.oversized {
            let mine = self.oversized.get_or_insert_with(|| Oversized {
                records: 0,
                ..o.clone()
            });
            mine.records += o.records;
            if o.largest_bytes > mine.largest_bytes {
                mine.largest_bytes = o.largest_bytes;
                mine.topic = o.topic;
                mine.limit = o.limit;
            }
        }
    }

    /// Count each range's offsets as records of its partition's fixed route,
    /// without reading (a plan counted from offsets: upper bounds, no keys).
    fn count_offsets(
        &mut self,
        ranges: &[OffsetRange],
        routes: &BTreeMap<i32, TopicPartition>,
        judge: &mut Judge,
    ) {
        for r in ranges.iter().filter(|r| !r.is_empty()) {
            let n = r.len() as u64;
            self.per_partition.entry(r.partition).or_default().records += n;
            let to = &routes[&r.partition];
            *self.dests.entry(to.clone()).or_default() += n;
            judge.tally_routed(r.partition, to, n);
        }
    }

    fn add(&mut self, rec: &SourceRecord, v: &Verdict) {
        let t = self.per_partition.entry(rec.partition).or_default();
        match v {
            Verdict::Skip(Skip::OutsideWindow) => t.outside += 1,
            Verdict::Skip(Skip::Filtered) => t.filtered += 1,
            // Counted by the judge, with how often each was redriven.
            Verdict::Skip(Skip::Redriven) => {}
            Verdict::Replay(tp) => {
                t.records += 1;
                t.bytes += rec.size();
                match &rec.key {
                    Some(k) => {
                        self.keys.insert(k);
                    }
                    None => self.null_keys += 1,
                }
                match self.dests.get_mut(tp) {
                    Some(n) => *n += 1,
                    None => {
                        self.dests.insert(tp.clone(), 1);
                    }
                }
            }
        }
    }
}

/// Judge one record and count its verdict, and its size against the limit of
/// the destination it goes to.
fn judge_and_count(judge: &mut Judge, acc: &mut Accumulator, rec: &SourceRecord) -> Result<()> {
    let v = judge.judge(rec)?;
    if let Verdict::Replay(tp) = &v {
        let limit = judge.size_limit(&tp.topic);
        let size = produced_size(rec);
        if size > limit.bytes {
            acc.add_oversized(size, &tp.topic, limit);
        }
    }
    acc.add(rec, &v);
    Ok(())
}

/// Read `ranges` once and count every record's verdict into `acc`.
fn count_ranges(
    kafka: &Kafka,
    topic: &str,
    ranges: &[OffsetRange],
    judge: &mut Judge,
    acc: &mut Accumulator,
    bar: &indicatif::ProgressBar,
) -> Result<()> {
    if ranges.is_empty() {
        return Ok(());
    }
    let mut stream = kafka.stream(topic, ranges)?;
    // One record refilled in place: no allocations per record.
    let mut rec = SourceRecord::default();
    let mut unreported = 0u64;
    while let Some(m) = stream.next_record()? {
        rec.fill_from_message(topic, &m);
        judge_and_count(judge, acc, &rec)?;
        unreported += 1;
        if unreported == 256 {
            bar.inc(unreported);
            unreported = 0;
        }
    }
    bar.inc(unreported);
    Ok(())
}

/// Read the ranges of `tr` and count every record's verdict: with
/// two readers where verdicts cannot fail.
fn read_and_count(
    kafka: &Kafka,
    sel: &Selection,
    topic: &str,
    tr: &TopicRanges,
    judge: &mut Judge,
    out: &Output,
) -> Result<Accumulator> {
    let total: i64 = tr.ranges.iter().map(OffsetRange::len).sum();
    let bar = out.progress(Some(total.max(0) as u64), "planning");
    let live: Vec<OffsetRange> = tr
        .ranges
        .iter()
        .filter(|r| !r.is_empty())
        .copied()
        .collect();
    // Counting is CPU-bound here (about a microsecond per record), and
    // records are judged independently: with several partitions, two
    // readers count halves of them in parallel. Only for selections whose
    // verdicts cannot fail (no redrive, no DLQ category), so an error names
    // the same record as a single reader would.
    let readers = if sel.is_redrive() || sel.dlq_category.is_some() {
        1
    } else {
        2
    };
    let mut halves = balance_ranges(&live, readers).into_iter();
    let mine = halves.next().unwrap_or_default();
    let theirs = halves.next().unwrap_or_default();
    let records = |rs: &[OffsetRange]| rs.iter().map(|r| r.len().max(0) as u64).sum();
    let mut acc = Accumulator::new(records(&mine));
    if theirs.is_empty() {
        count_ranges(kafka, topic, &mine, judge, &mut acc, &bar)?;
    } else {
        let other = std::thread::scope(|scope| {
            let bar2 = bar.clone();
            let helper = scope.spawn(move || -> Result<_> {
                let mut judge = Judge::new(kafka, sel)?;
                let mut acc = Accumulator::new(records(&theirs));
                count_ranges(kafka, topic, &theirs, &mut judge, &mut acc, &bar2)?;
                Ok((
                    acc,
                    judge.take_placement_tally(),
                    std::mem::take(&mut judge.redrives),
                ))
            });
            let mine = count_ranges(kafka, topic, &mine, judge, &mut acc, &bar);
            let other = helper.join().expect("planning reader");
            mine.and(other)
        })?;
        acc.merge(other.0);
        judge.merge_placement_tally(other.1);
        judge.redrives.merge(other.2);
    }
    bar.finish_and_clear();
    Ok(acc)
}

/// Whether a selection filters records: only then must planning read them.
fn filters_records(sel: &Selection) -> bool {
    !matches!(sel.source, Source::Topic { .. })
        || !sel.keys.is_empty()
        || sel.dlq_category.is_some()
        || sel.is_redrive()
}

/// Each source partition's destination, and the plan's notes on counting.
type OffsetCounting = (BTreeMap<i32, TopicPartition>, Vec<String>);

/// The destination of each source partition when the plan can be counted from
/// offsets (see the module doc), with the plan's notes on it; or why not:
/// `Err(None)` when the selection filters records, `Err(Some(reason))` when it
/// does not but a record could still decide (its destination partition, or its
/// size). `skip_oversized`: the run skips records too large for the
/// destination, so none can stop it half-written.
fn offset_countable(
    kafka: &Kafka,
    sel: &Selection,
    topic: &str,
    ranges: &[OffsetRange],
    judge: &mut Judge,
    skip_oversized: bool,
) -> std::result::Result<OffsetCounting, Option<String>> {
    if filters_records(sel) {
        return Err(None);
    }
    let parts: Vec<i32> = ranges.iter().map(|r| r.partition).collect();
    let routes = judge.fixed_routes(&parts).ok_or_else(|| {
        Some("the destination partition of some records depends on their key (--placement key, or a source partition the destination lacks)".to_string())
    })?;
    let limits = kafka.topic_limits(topic);
    let mut notes = Vec::new();
    if limits.and_then(|l| l.compacted) == Some(true) {
        notes.push(format!(
            "'{topic}' is compacted (cleanup.policy compact): expect offsets that hold no record"
        ));
    }
    let size_doubt = match limits.and_then(|l| l.max_message_bytes) {
        None => Some(format!(
            "the broker did not say how large a record of '{topic}' can be (no max.message.bytes from DescribeConfigs)"
        )),
        Some(source_max) => {
            let largest = largest_produced_size(topic, source_max);
            let dests: BTreeSet<&std::sync::Arc<str>> =
                routes.values().map(|tp| &tp.topic).collect();
            dests.into_iter().find_map(|dest| {
                let limit = judge.size_limit(dest);
                (largest > limit.bytes).then(|| format!(
                    "a record of '{topic}' (max.message.bytes {source_max}) can be up to {largest} bytes as produced, above the destination's limit of {}",
                    limit.describe(dest)
                ))
            })
        }
    };
    match size_doubt {
        Some(doubt) if !skip_oversized => Err(Some(format!(
            "{doubt}; only reading finds records too large for the destination (`replay run {}` skips them instead, and then reads once)",
            super::SKIP_OVERSIZED_FLAG
        ))),
        Some(_) => {
            notes.push(format!(
                "records too large for the destination, if any, are skipped and counted by the run ({})",
                super::SKIP_OVERSIZED_FLAG
            ));
            Ok((routes, notes))
        }
        None => Ok((routes, notes)),
    }
}

/// Resolve a selection into a sealed plan. Nothing is produced.
/// `skip_oversized`: the run will skip records too large for their destination
/// (`replay run --skip-oversized`), which lets a plan be counted from offsets
/// without proving that no record is.
pub fn build_plan(
    kafka: &Kafka,
    sel: &Selection,
    rate: Rate,
    now: DateTime<Utc>,
    out: &Output,
    skip_oversized: bool,
) -> Result<Plan> {
    let mut judge = Judge::new(kafka, sel)?;
    let mut acc;
    let mut counted = Counted::Records;
    let (ranges, cluster_id, notes, file_sha) = match &sel.source {
        Source::Topic { topic } => {
            let (mut tr, cluster_id) = topic_ranges(kafka, sel, topic, out)?;
            match offset_countable(kafka, sel, topic, &tr.ranges, &mut judge, skip_oversized) {
                Ok((routes, more)) => {
                    counted = Counted::Offsets;
                    acc = Accumulator::new(0);
                    acc.count_offsets(&tr.ranges, &routes, &mut judge);
                    let mine = more.into_iter().chain(["counted from offsets without reading: up to this many records (compaction gaps and transaction markers hold none); the run reads the source once and reports the exact records".to_string()]);
                    for n in mine {
                        out.note(&n);
                        tr.notes.push(n);
                    }
                    (tr.ranges, cluster_id, tr.notes, None)
                }
                Err(reason) => {
                    if let Some(r) = reason {
                        let n = format!("counted by reading every record: {r}");
                        out.note(&n);
                        tr.notes.push(n);
                    }
                    acc = read_and_count(kafka, sel, topic, &tr, &mut judge, out)?;
                    (tr.ranges, cluster_id, tr.notes, None)
                }
            }
        }
        Source::File { path } => {
            let bytes = std::fs::read(path).map_err(|e| Error::file("read", path, e))?;
            let sha = hex::encode(Sha256::digest(&bytes));
            let records = read_export_file(path)?;
            if records.is_empty() {
                return Err(Error::usage_hint(
                    format!("{} holds no records", path.display()),
                    "write one with `kafkaops dlq export`",
                ));
            }
            acc = Accumulator::new(records.len() as u64);
            for rec in &records {
                judge_and_count(&mut judge, &mut acc, rec)?;
            }
            let start = records.first().map_or(0, |r| r.offset);
            let end = records.last().map_or(0, |r| r.offset + 1);
            let consumer = kafka.consumer(None)?;
            (
                vec![OffsetRange {
                    partition: 0,
                    start,
                    end,
                }],
                kafka.cluster_id(&consumer),
                Vec::new(),
                Some(sha),
            )
        }
    };
    let exact = counted.is_records();
    let planned: Vec<PlannedRange> = ranges
        .iter()
        .map(|r| {
            let t = acc.per_partition.remove(&r.partition).unwrap_or_default();
            PlannedRange {
                partition: r.partition,
                start: r.start,
                end: r.end,
                records: t.records,
                bytes: exact.then_some(t.bytes),
                skipped_outside_window: t.outside,
                skipped_filtered: t.filtered,
            }
        })
        .collect();
    let records: u64 = planned.iter().map(|r| r.records).sum();
    let bytes = exact.then(|| planned.iter().filter_map(|r| r.bytes).sum::<u64>());
    let outside: u64 = planned.iter().map(|r| r.skipped_outside_window).sum();
    let filtered: u64 = planned.iter().map(|r| r.skipped_filtered).sum();
    let held_back = judge.redrives.report(sel.max_redrives());
    if records == 0 {
        if let Some(h) = held_back.as_ref().filter(|h| h.records > 0) {
            return Err(Error::usage_hint(
                format!(
                    "every record of the selection is held back: {}",
                    h.describe(sel.source_topic())
                ),
                "these records failed again after each redrive; fix or discard them instead of redriving them again",
            ));
        }
        let what = match &sel.source {
            Source::Topic { topic } => format!("'{topic}'"),
            Source::File { path } => path.display().to_string(),
        };
        return Err(Error::usage_hint(
            format!("the selection matches no records in {what} ({outside} outside the time window, {filtered} filtered out by key or category)"),
            "widen the window or loosen --key/--dlq-category; check --partitions and --offsets",
        ));
    }
    let plan = Plan {
        version: PLAN_VERSION,
        counted,
        created_at: now,
        cluster_id,
        selection: judge.sel.clone(),
        source_file_sha256: file_sha,
        ranges: planned,
        records,
        bytes,
        skipped_outside_window: outside,
        skipped_filtered: filtered,
        destinations: acc.dests.keys().cloned().collect(),
        blast_radius: BlastRadius {
            distinct_keys: exact.then_some(acc.keys.len() as u64),
            null_keys: exact.then_some(acc.null_keys),
            destination_partitions: acc.dests.iter().map(|(tp, n)| (tp.label(), *n)).collect(),
        },
        rate,
        estimated_duration_secs: None,
        notes,
        placement: judge.placement(),
        oversized: acc.oversized,
        held_back,
        hash: String::new(),
    };
    let plan = Plan {
        estimated_duration_secs: plan.estimate_secs(rate),
        ..plan
    };
    Ok(plan.seal())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn planning_counts_keys_destinations_and_folds_readers() {
        let mut acc = Accumulator::new(0);
        let tp = TopicPartition {
            topic: "out".into(),
            partition: 0,
        };
        let mut rec = SourceRecord::default();
        for i in 0..3000 {
            rec.key = Some(format!("k{}", i % 1000).into_bytes());
            acc.add(&rec, &Verdict::Replay(tp.clone()));
        }
        rec.key = None;
        acc.add(&rec, &Verdict::Replay(tp.clone()));
        assert_eq!(acc.keys.len(), 1000);
        assert_eq!(acc.null_keys, 1);
        assert_eq!(acc.dests[&tp], 3001);

        // Two readers' counts fold into what one reader would have counted.
        let mut other = Accumulator::new(10);
        rec.partition = 7;
        rec.key = Some(b"k1".to_vec());
        other.add(&rec, &Verdict::Replay(tp.clone()));
        rec.key = Some(b"new".to_vec());
        other.add(&rec, &Verdict::Skip(Skip::Filtered));
        other.add(&rec, &Verdict::Replay(tp.clone()));
        acc.merge(other);
        assert_eq!(acc.keys.len(), 1001);
        assert_eq!(acc.dests[&tp], 3003);
        assert_eq!(acc.per_partition[&7].records, 2);
        assert_eq!(acc.per_partition[&7].filtered, 1);
        assert_eq!(acc.per_partition[&0].records, 3001);
    }
}
