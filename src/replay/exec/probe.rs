//! The duplicate guard's probe: copies of a plan's records that earlier replays
//! already wrote to its destination, counted per replay id from the provenance
//! headers of the destination's newest records.
//!
//! A destination may hold a million earlier copies, so the probe keeps no string
//! per record: each source record the plan may replay has a slot (its ordinal
//! among the planned offsets, or among a file's distinct records), each replay
//! id is interned once, and a copy is one `(slot, replay)` pair of integers. A
//! copy of a record outside the plan is dropped as soon as it is read.

use std::collections::{BTreeMap, HashMap};

use super::destination::scan_provenance;
use super::feed::open_feed;
use crate::error::Result;
use crate::kafka::{Kafka, OffsetRange};
use crate::output::Output;
use crate::replay::dlq_bridge::read_export_file;
use crate::replay::judge::{Judge, Verdict};
use crate::replay::plan::Plan;
use crate::replay::record::SourceRecord;
use crate::replay::selection::Source;

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

/// A planned range of the source topic and the slot of its first offset.
#[derive(Debug, PartialEq)]
struct Span {
    partition: i32,
    start: i64,
    end: i64,
    base: u64,
}

/// The slot of each source record a plan may replay: a dense integer standing
/// for the provenance source `topic/partition/offset`.
enum Slots {
    /// Planned ranges of the source topic, sorted and disjoint; slots run
    /// through them in order.
    Topic { topic: String, spans: Vec<Span> },
    /// A file's distinct provenance sources, each its first line's slot.
    File(HashMap<String, u64>),
}

impl Slots {
    fn of(plan: &Plan) -> Result<Slots> {
        Ok(match &plan.selection.source {
            Source::Topic { topic } => Slots::topic(
                topic,
                plan.ranges
                    .iter()
                    .filter(|r| r.records > 0)
                    .map(|r| (r.partition, r.start, r.end)),
            ),
            Source::File { path } => {
                Slots::file(read_export_file(path)?.into_iter().map(|r| r.source))
            }
        })
    }

    /// Ranges are sorted and clipped so that no offset has two slots.
    fn topic(topic: &str, ranges: impl Iterator<Item = (i32, i64, i64)>) -> Slots {
        let mut ranges: Vec<(i32, i64, i64)> = ranges.filter(|&(_, s, e)| s < e).collect();
        ranges.sort_unstable();
        let mut spans: Vec<Span> = Vec::with_capacity(ranges.len());
        let mut base = 0u64;
        for (partition, start, end) in ranges {
            let start = match spans.last() {
                Some(l) if l.partition == partition => start.max(l.end),
                _ => start,
            };
            if start >= end {
                continue;
            }
            spans.push(Span {
                partition,
                start,
                end,
                base,
            });
            base += (end - start) as u64;
        }
        Slots::Topic {
            topic: topic.to_string(),
            spans,
        }
    }

    fn file(sources: impl Iterator<Item = String>) -> Slots {
        let mut map = HashMap::new();
        for s in sources {
            let next = map.len() as u64;
            map.entry(s).or_insert(next);
        }
        Slots::File(map)
    }

    /// The slot of a provenance source, if the plan may replay that record.
    fn of_source(&self, source: &str) -> Option<u64> {
        match self {
            Slots::File(map) => map.get(source).copied(),
            Slots::Topic { topic, .. } => {
                let (rest, o) = source.rsplit_once('/')?;
                let (t, p) = rest.rsplit_once('/')?;
                if t != topic {
                    return None;
                }
                self.at(p.parse().ok()?, o.parse().ok()?)
            }
        }
    }

    /// The slot of a record read from the source.
    fn of_record(&self, rec: &SourceRecord) -> Option<u64> {
        match self {
            Slots::File(map) => map.get(&rec.source).copied(),
            Slots::Topic { .. } => self.at(rec.partition, rec.offset),
        }
    }

    fn at(&self, partition: i32, offset: i64) -> Option<u64> {
        let Slots::Topic { spans, .. } = self else {
            return None;
        };
        // Spans are disjoint, so ordering them by (partition, end) is their order.
        let i = spans.partition_point(|s| (s.partition, s.end) <= (partition, offset));
        let s = spans.get(i)?;
        (s.partition == partition && s.start <= offset).then(|| s.base + (offset - s.start) as u64)
    }
}

/// Copies found in the destination: one `(slot, replay)` pair per copy, replay
/// ids interned.
#[derive(Debug, Default)]
struct CopyIndex {
    ids: Vec<String>,
    by_id: HashMap<String, u32>,
    copies: Vec<(u64, u32)>,
}

impl CopyIndex {
    fn add(&mut self, slot: u64, id: &str) {
        let i = match self.by_id.get(id) {
            Some(&i) => i,
            None => {
                let i = self.ids.len() as u32;
                self.ids.push(id.to_string());
                self.by_id.insert(id.to_string(), i);
                i
            }
        };
        // A repeat next to its twin costs nothing here; others go at `seal`.
        if self.copies.last() != Some(&(slot, i)) {
            self.copies.push((slot, i));
        }
    }

    /// Sort, and keep one pair per record and replay.
    fn seal(mut self) -> SealedCopies {
        self.copies.sort_unstable();
        self.copies.dedup();
        self.copies.shrink_to_fit();
        SealedCopies {
            ids: self.ids,
            copies: self.copies,
        }
    }
}

/// A [`CopyIndex`] sorted by slot, each (record, replay) once.
#[derive(Debug)]
struct SealedCopies {
    ids: Vec<String>,
    copies: Vec<(u64, u32)>,
}

impl SealedCopies {
    fn is_empty(&self) -> bool {
        self.copies.is_empty()
    }

    /// The distinct slots that have a copy, ascending.
    fn slots(&self) -> Vec<u64> {
        let mut s: Vec<u64> = self.copies.iter().map(|&(slot, _)| slot).collect();
        s.dedup();
        s
    }

    /// Keep only the copies of `slots` (ascending).
    fn retain(&mut self, slots: &[u64]) {
        let mut at = 0;
        self.copies.retain(|&(slot, _)| {
            while at < slots.len() && slots[at] < slot {
                at += 1;
            }
            at < slots.len() && slots[at] == slot
        });
    }

    /// Records copied, by replay id.
    fn by_replay(&self) -> BTreeMap<String, u64> {
        let mut n = vec![0u64; self.ids.len()];
        for &(_, i) in &self.copies {
            n[i as usize] += 1;
        }
        self.ids
            .iter()
            .zip(n)
            .filter(|&(_, n)| n > 0)
            .map(|(id, n)| (id.clone(), n))
            .collect()
    }
}

/// Which candidate slots the plan's own verdicts replay: each slot is judged at
/// its first record, as the replay itself would see it.
struct Confirm {
    slots: Vec<u64>,
    /// Per slot: 0 not yet read, 1 skipped by the plan, 2 replayed.
    seen: Vec<u8>,
}

impl Confirm {
    fn new(slots: Vec<u64>) -> Confirm {
        let seen = vec![0; slots.len()];
        Confirm { slots, seen }
    }

    /// The index of `slot` when it is a candidate not judged yet.
    fn pending(&self, slot: u64) -> Option<usize> {
        let i = self.slots.binary_search(&slot).ok()?;
        (self.seen[i] == 0).then_some(i)
    }

    fn judged(&mut self, i: usize, replayed: bool) {
        self.seen[i] = if replayed { 2 } else { 1 };
    }

    fn confirmed(self) -> Vec<u64> {
        self.slots
            .into_iter()
            .zip(self.seen)
            .filter(|&(_, s)| s == 2)
            .map(|(slot, _)| slot)
            .collect()
    }
}

/// Records already in the plan's destination partitions whose provenance names
/// one of the plan's source records, by the replay that wrote them. When the plan
/// skips records inside its ranges (window, key or category), the candidates are
/// confirmed by reading the source once with the plan's own verdicts.
pub fn earlier_copies(kafka: &Kafka, plan: &Plan, out: &Output) -> Result<EarlierCopies> {
    let consumer = kafka.consumer(None)?;
    let slots = Slots::of(plan)?;
    let mut by_topic: BTreeMap<&str, Vec<i32>> = BTreeMap::new();
    for d in &plan.destinations {
        by_topic.entry(&*d.topic).or_default().push(d.partition);
    }
    let per_partition = (PROBE_LIMIT / plan.destinations.len().max(1) as u64).max(1) as i64;
    let mut result = EarlierCopies::default();
    let mut index = CopyIndex::default();
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
            if let Some(slot) = slots.of_source(src) {
                index.add(slot, id);
            }
        })?;
    }
    let mut copies = index.seal();
    if copies.is_empty() {
        return Ok(result);
    }
    if plan.skipped_outside_window + plan.skipped_filtered > 0 {
        let mut judge = Judge::new(kafka, &plan.selection)?;
        let mut feed = open_feed(kafka, plan, &BTreeMap::new())?;
        let mut rec = SourceRecord::default();
        let mut confirm = Confirm::new(copies.slots());
        while feed.next_into(&mut rec)? {
            let Some(i) = slots.of_record(&rec).and_then(|s| confirm.pending(s)) else {
                continue;
            };
            confirm.judged(i, matches!(judge.judge(&rec)?, Verdict::Replay(_)));
        }
        copies.retain(&confirm.confirmed());
    }
    result.by_replay = copies.by_replay();
    Ok(result)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn topic_slots() -> Slots {
        // Unsorted, an empty range, and an overlap within partition 1.
        Slots::topic(
            "orders",
            [(1, 100, 110), (0, 5, 10), (2, 7, 7), (1, 105, 120)].into_iter(),
        )
    }

    #[test]
    fn planned_offsets_get_dense_slots_and_others_none() {
        let s = topic_slots();
        let Slots::Topic { spans, .. } = &s else {
            unreachable!()
        };
        assert_eq!(
            spans
                .iter()
                .map(|s| (s.partition, s.start, s.end, s.base))
                .collect::<Vec<_>>(),
            [(0, 5, 10, 0), (1, 100, 110, 5), (1, 110, 120, 15)]
        );
        assert_eq!(s.of_source("orders/0/5"), Some(0));
        assert_eq!(s.of_source("orders/0/9"), Some(4));
        assert_eq!(s.of_source("orders/1/100"), Some(5));
        assert_eq!(s.of_source("orders/1/112"), Some(17));
        assert_eq!(s.of_source("orders/1/119"), Some(24));
        for outside in [
            "orders/0/4",
            "orders/0/10",
            "orders/1/99",
            "orders/1/120",
            "orders/2/7",
            "orders/3/0",
            "payments/0/5",
            "my/orders/0/5",
            "orders/0/x",
            "orders/0",
            "",
        ] {
            assert_eq!(s.of_source(outside), None, "{outside}");
        }
        let rec = SourceRecord {
            partition: 1,
            offset: 101,
            ..SourceRecord::default()
        };
        assert_eq!(s.of_record(&rec), Some(6));
    }

    #[test]
    fn a_file_slot_is_its_first_line() {
        let s = Slots::file(
            ["o/0/1", "o/0/2", "o/0/1", "p/3/9"]
                .into_iter()
                .map(String::from),
        );
        assert_eq!(s.of_source("o/0/1"), Some(0));
        assert_eq!(s.of_source("o/0/2"), Some(1));
        assert_eq!(s.of_source("p/3/9"), Some(2));
        assert_eq!(s.of_source("o/0/3"), None);
    }

    #[test]
    fn copies_count_each_record_once_per_replay() {
        let mut ix = CopyIndex::default();
        for (slot, id) in [
            (3, "rp-a"),
            (3, "rp-a"), // a retried write, adjacent
            (1, "rp-a"),
            (3, "rp-b"),
            (9, "rp-b"),
            (1, "rp-a"), // the same record again, later
            (7, "rp-c"),
        ] {
            ix.add(slot, id);
        }
        assert_eq!(ix.ids, ["rp-a", "rp-b", "rp-c"]);
        assert_eq!(ix.copies.len(), 6, "the adjacent repeat is not stored");
        let mut sealed = ix.seal();
        assert_eq!(sealed.slots(), [1, 3, 7, 9]);
        let counts =
            |c: &SealedCopies| -> Vec<(String, u64)> { c.by_replay().into_iter().collect() };
        assert_eq!(
            counts(&sealed),
            [("rp-a".into(), 2), ("rp-b".into(), 2), ("rp-c".into(), 1)]
        );
        // Only record 3 is confirmed: rp-c copied nothing of the plan any more.
        sealed.retain(&[0, 3, 8]);
        assert_eq!(counts(&sealed), [("rp-a".into(), 1), ("rp-b".into(), 1)]);
        sealed.retain(&[]);
        assert!(sealed.is_empty());
        assert!(sealed.by_replay().is_empty());
    }

    #[test]
    fn a_slot_is_judged_at_its_first_record_only() {
        let mut c = Confirm::new(vec![2, 5, 8]);
        assert_eq!(c.pending(3), None, "not a candidate");
        let i = c.pending(5).unwrap();
        c.judged(i, false);
        // A later line of the same file record does not overturn the verdict.
        assert_eq!(c.pending(5), None);
        let i = c.pending(8).unwrap();
        c.judged(i, true);
        assert_eq!(c.confirmed(), [8]);
    }
}
