//! What the destination already holds: its high watermarks before a replay's
//! first record (saved in the state), and, on resume, the source positions this
//! replay already wrote there, read back from its provenance headers so nothing
//! is sent twice.

use std::collections::{BTreeMap, HashSet};

use crate::error::Result;
use crate::kafka::{Headers, Kafka, Message, OffsetRange};
use crate::output::Output;
use crate::replay::plan::{Plan, TopicPartition};
use crate::replay::record::{parse_position, H_ID, H_POSITION};
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
