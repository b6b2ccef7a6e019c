//! Turning a selection into a plan against the cluster: partitions and offset
//! ranges from watermarks, `--offsets` and the time window (the Kafka layer's
//! time lookup, which searches record timestamps where the broker cannot answer),
//! then one read of those ranges to count exactly what will be replayed, its
//! bytes, distinct keys and destination partitions. Also the per-record verdict
//! the executor applies, so a run does exactly what its plan says.

use std::collections::{BTreeMap, BTreeSet, HashSet};
use std::time::Duration;

use chrono::{DateTime, TimeZone, Utc};
use rdkafka::consumer::Consumer;
use rdkafka::error::KafkaError;
use rdkafka::message::Message;
use rdkafka::{Offset, TopicPartitionList};
use sha2::{Digest, Sha256};

use super::dlq_bridge::{read_export_file, DlqTools};
use super::plan::{BlastRadius, Plan, PlannedRange, Rate, TopicPartition, PLAN_VERSION};
use super::record::{RouteError, Router, SourceRecord};
use super::selection::{Destination, Selection, Skip, Source};
use crate::error::{Error, Result};
use crate::kafka::{Consumer_, Kafka, Lookup, OffsetRange, Watermarks};
use crate::output::Output;

/// What to do with one source record.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Verdict {
    Replay(TopicPartition),
    Skip(Skip),
}

/// Applies the selection to records and routes the ones that pass, fetching
/// destination metadata as new topics appear (redrive can name several).
pub struct Judge {
    pub sel: Selection,
    dlq: DlqTools,
    router: Router,
    kafka: Kafka,
    consumer: Consumer_,
}

impl Judge {
    pub fn new(kafka: &Kafka, sel: &Selection) -> Result<Self> {
        let consumer = kafka.consumer(None)?;
        let mut router = Router {
            destination: sel.destination.clone(),
            partitioner: sel.partitioner,
            partition_counts: BTreeMap::new(),
        };
        if let Destination::Topic { topic } = &sel.destination {
            let meta = kafka.topic_with(&consumer, topic).map_err(|e| match e {
                Error::UnknownTopic { topic, hint } => Error::UnknownTopic {
                    hint: Some(format!(
                        "the destination (--to) must exist; create it first{}",
                        hint.map(|h| format!(", or: {h}")).unwrap_or_default()
                    )),
                    topic,
                },
                other => other,
            })?;
            router
                .partition_counts
                .insert(topic.clone(), meta.partitions.len());
        }
        Ok(Judge {
            sel: sel.clone(),
            dlq: DlqTools::new(sel)?,
            router,
            kafka: kafka.clone(),
            consumer,
        })
    }

    pub fn judge(&mut self, rec: &SourceRecord) -> Result<Verdict> {
        if let Some(skip) = self.sel.check(rec.timestamp_ms, rec.key.as_deref()) {
            return Ok(Verdict::Skip(skip));
        }
        if !self.dlq.in_category(rec) {
            return Ok(Verdict::Skip(Skip::Filtered));
        }
        let origin = self.dlq.origin(rec);
        loop {
            match self.router.route(rec, origin.as_ref()) {
                Ok(tp) => return Ok(Verdict::Replay(tp)),
                Err(RouteError::NoOrigin) => {
                    return Err(Error::usage_hint(
                        format!("record {} has no original topic in its DLQ headers, so it cannot be redriven", rec.source),
                        "replay it with --to TOPIC instead of --redrive, or narrow the selection",
                    ))
                }
                Err(RouteError::UnknownTopic(t)) => {
                    let meta = self.kafka.topic_with(&self.consumer, &t).map_err(|e| match e {
                        Error::UnknownTopic { topic, .. } => Error::UnknownTopic {
                            hint: Some(format!("record {} would be redriven to '{topic}', which does not exist; create it or narrow the selection", rec.source)),
                            topic,
                        },
                        other => other,
                    })?;
                    self.router.partition_counts.insert(t, meta.partitions.len());
                }
            }
        }
    }
}

/// Reads single records, to explain an empty window (earliest/latest timestamps).
struct Prober<'a> {
    kafka: &'a Kafka,
    consumer: Consumer_,
    topic: String,
}

impl<'a> Prober<'a> {
    fn new(kafka: &'a Kafka, topic: &str) -> Result<Self> {
        Ok(Prober {
            kafka,
            consumer: kafka.consumer(None)?,
            topic: topic.to_string(),
        })
    }

    /// The first record at or after `offset` (below `high`): its offset and timestamp.
    fn probe(&self, partition: i32, offset: i64, high: i64) -> Result<Option<(i64, i64)>> {
        if offset >= high {
            return Ok(None);
        }
        let mut tpl = TopicPartitionList::new();
        tpl.add_partition_offset(&self.topic, partition, Offset::Offset(offset))
            .map_err(|e| {
                self.kafka
                    .classify(&e, "assign a partition", self.consumer.context())
            })?;
        self.consumer.assign(&tpl).map_err(|e| {
            self.kafka.classify(
                &e,
                &format!("read {}[{partition}]", self.topic),
                self.consumer.context(),
            )
        })?;
        let deadline = std::time::Instant::now() + self.kafka.timeout().max(Duration::from_secs(5));
        while std::time::Instant::now() < deadline {
            match self.consumer.poll(Duration::from_millis(100)) {
                None => {}
                Some(Err(KafkaError::PartitionEOF(p))) if p == partition => return Ok(None),
                Some(Err(KafkaError::PartitionEOF(_))) => {}
                Some(Err(e)) => {
                    return Err(self.kafka.classify(
                        &e,
                        &format!("read {}[{partition}] at offset {offset}", self.topic),
                        self.consumer.context(),
                    ))
                }
                Some(Ok(m)) => {
                    if m.partition() != partition || m.offset() < offset {
                        continue;
                    }
                    if m.offset() >= high {
                        return Ok(None);
                    }
                    let ts = m.timestamp().to_millis().unwrap_or(-1);
                    return Ok(Some((m.offset(), ts)));
                }
            }
        }
        Err(Error::broker(
            format!(
                "timed out reading {}[{partition}] at offset {offset}",
                self.topic
            ),
            Some("check that the brokers are up; raise --timeout for slow clusters".into()),
        ))
    }
}

fn fmt_ms(ms: i64) -> String {
    Utc.timestamp_millis_opt(ms)
        .single()
        .map(|t| t.to_rfc3339_opts(chrono::SecondsFormat::Millis, true))
        .unwrap_or_else(|| ms.to_string())
}

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
        let prober = Prober::new(kafka, topic)?;
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
            let mut earliest: Option<i64> = None;
            let mut latest: Option<i64> = None;
            for w in &active {
                if let Some((_, t)) = prober.probe(w.partition, w.low, w.high)? {
                    earliest = Some(earliest.map_or(t, |e| e.min(t)));
                }
                if let Some((_, t)) = prober.probe(w.partition, w.high - 1, w.high)? {
                    latest = Some(latest.map_or(t, |l| l.max(t)));
                }
            }
            if let (Some(u), Some(e)) = (sel.until, earliest) {
                if u.timestamp_millis() <= e {
                    return Err(Error::usage_hint(
                        format!("the time window ends before the earliest record still in '{topic}' ({})", fmt_ms(e)),
                        "the records were deleted by retention, or the window is wrong: widen --until",
                    ));
                }
            }
            if let (Some(f), Some(l)) = (sel.from, latest) {
                if f.timestamp_millis() > l {
                    return Err(Error::usage_hint(
                        format!(
                            "the time window starts after the latest record in '{topic}' ({})",
                            fmt_ms(l)
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
    keys: HashSet<Vec<u8>>,
    null_keys: u64,
    dests: BTreeMap<TopicPartition, u64>,
}

impl Accumulator {
    fn new() -> Self {
        Accumulator {
            per_partition: BTreeMap::new(),
            keys: HashSet::new(),
            null_keys: 0,
            dests: BTreeMap::new(),
        }
    }

    fn add(&mut self, rec: &SourceRecord, v: &Verdict) {
        let t = self.per_partition.entry(rec.partition).or_default();
        match v {
            Verdict::Skip(Skip::OutsideWindow) => t.outside += 1,
            Verdict::Skip(Skip::Filtered) => t.filtered += 1,
            Verdict::Replay(tp) => {
                t.records += 1;
                t.bytes += rec.size();
                match &rec.key {
                    Some(k) => {
                        if !self.keys.contains(k) {
                            self.keys.insert(k.clone());
                        }
                    }
                    None => self.null_keys += 1,
                }
                *self.dests.entry(tp.clone()).or_default() += 1;
            }
        }
    }
}

/// Resolve a selection into a sealed plan. Nothing is produced.
pub fn build_plan(
    kafka: &Kafka,
    sel: &Selection,
    rate: Rate,
    now: DateTime<Utc>,
    out: &Output,
) -> Result<Plan> {
    let mut judge = Judge::new(kafka, sel)?;
    let mut acc = Accumulator::new();
    let (ranges, cluster_id, notes, file_sha) = match &sel.source {
        Source::Topic { topic } => {
            let (tr, cluster_id) = topic_ranges(kafka, sel, topic, out)?;
            let total: i64 = tr.ranges.iter().map(OffsetRange::len).sum();
            let bar = out.progress(Some(total.max(0) as u64), "planning");
            let live: Vec<OffsetRange> = tr
                .ranges
                .iter()
                .filter(|r| !r.is_empty())
                .copied()
                .collect();
            if !live.is_empty() {
                let mut stream = kafka.stream(topic, &live)?;
                while let Some(m) = stream.next_record()? {
                    let rec = SourceRecord::from_message(topic, &m);
                    drop(m);
                    let v = judge.judge(&rec)?;
                    acc.add(&rec, &v);
                    bar.inc(1);
                }
            }
            bar.finish_and_clear();
            (tr.ranges, cluster_id, tr.notes, None)
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
            for rec in &records {
                let v = judge.judge(rec)?;
                acc.add(rec, &v);
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
    let planned: Vec<PlannedRange> = ranges
        .iter()
        .map(|r| {
            let t = acc.per_partition.remove(&r.partition).unwrap_or_default();
            PlannedRange {
                partition: r.partition,
                start: r.start,
                end: r.end,
                records: t.records,
                bytes: t.bytes,
                skipped_outside_window: t.outside,
                skipped_filtered: t.filtered,
            }
        })
        .collect();
    let records: u64 = planned.iter().map(|r| r.records).sum();
    let bytes: u64 = planned.iter().map(|r| r.bytes).sum();
    let outside: u64 = planned.iter().map(|r| r.skipped_outside_window).sum();
    let filtered: u64 = planned.iter().map(|r| r.skipped_filtered).sum();
    if records == 0 {
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
            distinct_keys: acc.keys.len() as u64,
            null_keys: acc.null_keys,
            destination_partitions: acc.dests.iter().map(|(tp, n)| (tp.label(), *n)).collect(),
        },
        rate,
        estimated_duration_secs: rate.estimate_secs(records, bytes),
        notes,
        hash: String::new(),
    };
    Ok(plan.seal())
}
