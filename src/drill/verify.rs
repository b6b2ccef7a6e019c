//! Reading what a replay planned and what the destination holds, for
//! [`super::parity`]: the planned records are the replay's own selection applied
//! by the replay's own [`Judge`] (window, keys, DLQ category, redrive origins)
//! over the plan's ranges or its export file, hashed as they left (DLQ error
//! headers stripped on redrive unless kept); the destination records are the
//! ones carrying provenance headers, from where the earliest known replay into
//! each destination partition started.

use std::collections::{BTreeMap, HashMap};

use sha2::{Digest, Sha256};

use super::parity::{self, Comparison, Content, Parity};
use crate::error::{Error, Result};
use crate::kafka::{Headers, Kafka, Message, OffsetRange};
use crate::replay::dlq_bridge::{is_dlq_header, read_export_file};
use crate::replay::judge::{Judge, Verdict};
use crate::replay::record::{
    is_provenance_header, parse_position, visit_kept_headers, SourceRecord, H_ID, H_POSITION,
    H_SOURCE,
};
use crate::replay::selection::Source;
use crate::replay::state::ReplayState;

/// The planned records of `st`, by position, with the hash of each as it was sent,
/// and by source name (`topic/partition/offset`) for copies other replays wrote.
struct Planned {
    cmp: Comparison,
    by_source: HashMap<String, (i32, i64)>,
}

impl Planned {
    fn add(&mut self, judge: &mut Judge, rec: &SourceRecord, keep_ts: bool) -> Result<()> {
        if !matches!(judge.judge(rec)?, Verdict::Replay(_)) {
            return Ok(());
        }
        let mut headers = Vec::with_capacity(rec.headers.len());
        visit_kept_headers(rec, &judge.sel, &is_dlq_header, |k, v| headers.push((k, v)));
        let hash = parity::record_hash(&Content {
            key: rec.key.as_deref(),
            value: rec.value.as_deref(),
            headers: &headers,
            timestamp_ms: if keep_ts { rec.timestamp_ms } else { None },
        });
        self.cmp.add_source(rec.partition, rec.offset, hash);
        self.by_source
            .insert(rec.source.clone(), (rec.partition, rec.offset));
        Ok(())
    }
}

fn planned(kafka: &Kafka, st: &ReplayState) -> Result<Planned> {
    let sel = &st.plan.selection;
    let mut judge = Judge::new(kafka, sel)?;
    let keep_ts = sel.keep_timestamps;
    let mut planned = Planned {
        cmp: Comparison::default(),
        by_source: HashMap::new(),
    };
    match &sel.source {
        Source::Topic { topic } => {
            let ranges: Vec<OffsetRange> = st
                .plan
                .ranges
                .iter()
                .map(|r| OffsetRange {
                    partition: r.partition,
                    start: r.start,
                    end: r.end,
                })
                .filter(|r| !r.is_empty())
                .collect();
            if ranges.is_empty() {
                return Ok(planned);
            }
            let mut stream = kafka.stream(topic, &ranges)?;
            let mut rec = SourceRecord::default();
            while let Some(m) = stream.next_record()? {
                rec.fill_from_message(topic, &m);
                planned.add(&mut judge, &rec, keep_ts)?;
            }
        }
        Source::File { path } => {
            let bytes = std::fs::read(path).map_err(|e| Error::file("read", path, e))?;
            let sha = hex::encode(Sha256::digest(&bytes));
            if st
                .plan
                .source_file_sha256
                .as_deref()
                .is_some_and(|s| s != sha)
            {
                return Err(Error::usage_hint(
                    format!(
                        "{} changed since replay {} was planned: its records cannot be compared",
                        path.display(),
                        st.id
                    ),
                    "verify against the file as it was when the replay ran",
                ));
            }
            for rec in read_export_file(path)? {
                planned.add(&mut judge, &rec, keep_ts)?;
            }
        }
    }
    Ok(planned)
}

/// Compare what `st` planned with the destination. `known` are the replays this
/// machine knows (their plans name duplicates; their starting offsets say from
/// where a destination partition must be read to see their copies).
pub fn verify(kafka: &Kafka, st: &ReplayState, known: &[ReplayState]) -> Result<Parity> {
    let Planned { mut cmp, by_source } = planned(kafka, st)?;
    let keep_ts = st.plan.selection.keep_timestamps;
    // Per destination partition, from the earliest start of any replay into it.
    let mut starts: BTreeMap<&str, BTreeMap<i32, i64>> = BTreeMap::new();
    for d in &st.dest_start {
        starts
            .entry(&*d.tp.topic)
            .or_default()
            .insert(d.tp.partition, d.offset);
    }
    for other in known.iter().filter(|o| o.id != st.id) {
        for d in &other.dest_start {
            if let Some(o) = starts
                .get_mut(&*d.tp.topic)
                .and_then(|ps| ps.get_mut(&d.tp.partition))
            {
                *o = (*o).min(d.offset);
            }
        }
    }
    let consumer = kafka.consumer(None)?;
    for (dest, parts) in starts {
        let ids: Vec<i32> = parts.keys().copied().collect();
        let marks = kafka.watermarks(&consumer, dest, &ids)?;
        let ranges: Vec<OffsetRange> = marks
            .iter()
            .map(|w| OffsetRange {
                partition: w.partition,
                start: parts[&w.partition].max(w.low),
                end: w.high,
            })
            .filter(|r| !r.is_empty())
            .collect();
        if ranges.is_empty() {
            continue;
        }
        let mut stream = kafka.stream(dest, &ranges)?;
        while let Some(m) = stream.next_record()? {
            let Some(hs) = m.headers() else { continue };
            let (mut id, mut position, mut source) = (None, None, None);
            let mut headers = Vec::new();
            for h in hs.iter() {
                match h.key {
                    H_ID => id = h.value,
                    H_POSITION => position = h.value.and_then(parse_position),
                    H_SOURCE => source = h.value,
                    k if is_provenance_header(k) => {}
                    k => headers.push((k, h.value)),
                }
            }
            let Some(id) = id else { continue };
            if id != st.id.as_bytes() {
                // Another replay's copy of one of our source records?
                let ours = source
                    .and_then(|s| std::str::from_utf8(s).ok())
                    .and_then(|s| by_source.get(s))
                    .filter(|p| cmp.has_source(**p));
                if let Some(p) = ours {
                    cmp.add_other_copy(&String::from_utf8_lossy(id), *p);
                }
                continue;
            }
            let hash = parity::record_hash(&Content {
                key: m.key(),
                value: m.payload(),
                headers: &headers,
                timestamp_ms: if keep_ts {
                    m.timestamp().to_millis()
                } else {
                    None
                },
            });
            // A copy without a readable position cannot match any source record.
            let position = position.unwrap_or((-1, m.offset()));
            cmp.add_destination(dest, m.partition(), position, hash);
        }
    }
    let plans: HashMap<&str, &str> = known
        .iter()
        .map(|k| (k.id.as_str(), k.plan.hash.as_str()))
        .collect();
    Ok(cmp.finish(&st.plan.hash, |id| plans.get(id).map(|h| h.to_string())))
}
