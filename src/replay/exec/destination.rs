//! What the destination already holds: its high watermarks before a replay's
//! first record (saved in the state); on resume, the source positions this
//! replay already wrote there, read back from its provenance headers so nothing
//! is sent twice; and, before a new replay, copies of its records that earlier
//! replays wrote (the duplicate guard's probe). One reader does both scans.

use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};

use super::feed::open_feed;
use crate::error::Result;
use crate::kafka::{Headers, Kafka, Message, OffsetRange};
use crate::output::Output;
use crate::replay::dlq_bridge::read_export_file;
use crate::replay::judge::{Judge, Verdict};
use crate::replay::plan::{Plan, TopicPartition};
use crate::replay::record::{parse_position, SourceRecord, H_ID, H_POSITION, H_SOURCE};
use crate::replay::selection::Source;
use crate::replay::state::{DestStart, ReplayState};

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
                tp: TopicPartition {
                    topic: topic.into(),
                    partition: w.partition,
                },
                offset: w.high,
            });
        }
    }
    Ok(out)
}

/// One destination record's provenance headers, as read back.
#[derive(Default)]
struct Seen<'a> {
    id: Option<&'a [u8]>,
    source: Option<&'a [u8]>,
    position: Option<&'a [u8]>,
}

/// Read `ranges` of `topic` once and hand each record's provenance headers to
/// `f`: the one reader behind the resume scan and the duplicate probe.
fn scan_provenance(
    kafka: &Kafka,
    topic: &str,
    ranges: &[OffsetRange],
    out: &Output,
    mut f: impl FnMut(&Seen<'_>),
) -> Result<()> {
    if ranges.is_empty() {
        return Ok(());
    }
    let total: i64 = ranges.iter().map(OffsetRange::len).sum();
    let bar = out.progress(Some(total as u64), "checking the destination");
    let mut stream = kafka.stream(topic, ranges)?;
    while let Some(m) = stream.next_record()? {
        bar.inc(1);
        let Some(hs) = m.headers() else { continue };
        let mut seen = Seen::default();
        for h in hs.iter() {
            match h.key {
                H_ID => seen.id = h.value,
                H_SOURCE => seen.source = h.value,
                H_POSITION => seen.position = h.value,
                _ => {}
            }
        }
        if seen.id.is_some() {
            f(&seen);
        }
    }
    bar.finish_and_clear();
    Ok(())
}

/// Source positions this replay already wrote, read back from the destination.
pub fn delivered_positions(
    kafka: &Kafka,
    st: &ReplayState,
    out: &Output,
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
        scan_provenance(kafka, topic, &ranges, out, |seen| {
            if seen.id == Some(st.id.as_bytes()) {
                if let Some(p) = seen.position.and_then(parse_position) {
                    found.insert(p);
                }
            }
        })?;
    }
    Ok(found)
}

/// The most destination records the duplicate probe reads for one plan (the
/// newest of each partition it writes to): about a second of reading.
pub const PROBE_LIMIT: u64 = 1_000_000;

/// Earlier copies of a plan's records in its destination partitions.
#[derive(Debug, Default)]
pub struct EarlierCopies {
    /// Replay id -> records of this plan it wrote there.
    pub by_replay: BTreeMap<String, u64>,
    /// Only the newest [`PROBE_LIMIT`] records were read.
    pub truncated: bool,
}

/// Whether a provenance source (`topic/partition/offset`) names a record the
/// plan may replay: in a planned range of its topic, or a line of its file.
enum SourceSet {
    Topic(String, Vec<(i32, i64, i64)>),
    File(HashSet<String>),
}

impl SourceSet {
    fn of(plan: &Plan) -> Result<SourceSet> {
        Ok(match &plan.selection.source {
            Source::Topic { topic } => SourceSet::Topic(
                topic.clone(),
                plan.ranges
                    .iter()
                    .filter(|r| r.records > 0)
                    .map(|r| (r.partition, r.start, r.end))
                    .collect(),
            ),
            Source::File { path } => SourceSet::File(
                read_export_file(path)?
                    .into_iter()
                    .map(|r| r.source)
                    .collect(),
            ),
        })
    }

    fn contains(&self, source: &str) -> bool {
        match self {
            SourceSet::File(set) => set.contains(source),
            SourceSet::Topic(topic, ranges) => {
                let Some((rest, o)) = source.rsplit_once('/') else {
                    return false;
                };
                let Some((t, p)) = rest.rsplit_once('/') else {
                    return false;
                };
                let (Ok(p), Ok(o)) = (p.parse::<i32>(), o.parse::<i64>()) else {
                    return false;
                };
                t == topic && ranges.iter().any(|&(rp, s, e)| rp == p && s <= o && o < e)
            }
        }
    }
}

/// Records already in the plan's destination partitions whose provenance names
/// one of the plan's source records, by the replay that wrote them. When the plan
/// skips records inside its ranges (window, key or category), the candidates are
/// confirmed by reading the source once with the plan's own verdicts.
pub fn earlier_copies(kafka: &Kafka, plan: &Plan, out: &Output) -> Result<EarlierCopies> {
    let consumer = kafka.consumer(None)?;
    let sources = SourceSet::of(plan)?;
    let mut by_topic: BTreeMap<&str, Vec<i32>> = BTreeMap::new();
    for d in &plan.destinations {
        by_topic.entry(&*d.topic).or_default().push(d.partition);
    }
    let per_partition = (PROBE_LIMIT / plan.destinations.len().max(1) as u64).max(1) as i64;
    let mut result = EarlierCopies::default();
    // Source record -> the replays that wrote a copy of it.
    let mut candidates: HashMap<String, BTreeSet<String>> = HashMap::new();
    for (topic, parts) in by_topic {
        let ranges: Vec<OffsetRange> = kafka
            .watermarks(&consumer, topic, &parts)?
            .into_iter()
            .map(|w| {
                let start = w.low.max(w.high - per_partition);
                result.truncated |= start > w.low;
                OffsetRange {
                    partition: w.partition,
                    start,
                    end: w.high,
                }
            })
            .filter(|r| !r.is_empty())
            .collect();
        scan_provenance(kafka, topic, &ranges, out, |seen| {
            let (Some(id), Some(src)) = (seen.id, seen.source) else {
                return;
            };
            let (Ok(id), Ok(src)) = (std::str::from_utf8(id), std::str::from_utf8(src)) else {
                return;
            };
            if sources.contains(src) {
                candidates
                    .entry(src.to_string())
                    .or_default()
                    .insert(id.to_string());
            }
        })?;
    }
    if candidates.is_empty() {
        return Ok(result);
    }
    if plan.skipped_outside_window + plan.skipped_filtered > 0 {
        let mut judge = Judge::new(kafka, &plan.selection)?;
        let mut feed = open_feed(kafka, plan, &BTreeMap::new())?;
        let mut rec = SourceRecord::default();
        let mut confirmed = HashMap::with_capacity(candidates.len());
        while feed.next_into(&mut rec)? {
            if let Some(ids) = candidates.remove(&rec.source) {
                if matches!(judge.judge(&rec)?, Verdict::Replay(_)) {
                    confirmed.insert(rec.source.clone(), ids);
                }
            }
        }
        candidates = confirmed;
    }
    for ids in candidates.into_values() {
        for id in ids {
            *result.by_replay.entry(id).or_default() += 1;
        }
    }
    Ok(result)
}
