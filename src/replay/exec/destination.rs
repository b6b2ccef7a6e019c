//! What the destination already holds: its high watermarks before a replay's
//! first record (saved in the state); and, on resume, the source positions this
//! replay already wrote there, read back from its provenance headers so nothing
//! is sent twice. The reader of provenance headers is shared with the duplicate
//! guard's probe ([`super::probe`]).

use std::collections::{BTreeMap, HashSet};

use crate::error::Result;
use crate::kafka::{Headers, Kafka, Message, OffsetRange};
use crate::output::Output;
use crate::replay::plan::{Plan, TopicPartition};
use crate::replay::record::{parse_position, H_ID, H_POSITION, H_SOURCE};
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
pub(super) struct Seen<'a> {
    pub id: Option<&'a [u8]>,
    pub source: Option<&'a [u8]>,
    pub position: Option<&'a [u8]>,
}

/// Read `ranges` of `topic` once and hand each record's provenance headers to
/// `f`: the one reader behind the resume scan and the duplicate probe.
pub(super) fn scan_provenance(
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
