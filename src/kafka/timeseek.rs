//! Resolve a point in time to an offset per partition: the first offset whose
//! record timestamp is at or after the time. The broker's offsets-for-times answer
//! is used when a cheap read confirms it; when the broker cannot answer (librdkafka's
//! mock broker always says -1) or answers something the records contradict, a binary
//! search over record timestamps runs instead, all partitions in lockstep, so it
//! costs about log2(records) reads in total rather than per partition. Records
//! are read by the point reader ([`super::point`]), whose policy decides what a
//! record without a timestamp means (older than any time).

use std::collections::HashMap;

use serde::Serialize;

use super::point::Point;
use super::{ClosingConsumer, Kafka, Watermarks};
use crate::error::Result;

/// How an offset was found.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Lookup {
    /// The broker's offsets-for-times answer, confirmed by the records.
    Broker,
    /// Binary search over record timestamps.
    Search,
    /// The partition is empty.
    Empty,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub struct TimeOffset {
    pub partition: i32,
    /// First offset with timestamp >= the time; the log end when there is none.
    pub offset: i64,
    pub lookup: Lookup,
}

impl Kafka {
    /// For each partition (with its current watermarks), the first offset at or after
    /// `timestamp_ms`, in `[low, high]`.
    pub fn offsets_at_time(
        &self,
        consumer: &ClosingConsumer,
        topic: &str,
        marks: &[Watermarks],
        timestamp_ms: i64,
    ) -> Result<Vec<TimeOffset>> {
        let non_empty: Vec<&Watermarks> = marks.iter().filter(|w| !w.is_empty()).collect();
        let ids: Vec<i32> = non_empty.iter().map(|w| w.partition).collect();
        let answers: HashMap<i32, Option<i64>> = self
            .offsets_for_times(consumer, topic, &ids, timestamp_ms)?
            .into_iter()
            .collect();
        let reader = self.point_reader()?;

        // Confirm each answer with at most two reads: the record at the answer is at or
        // after the time, and the one before it is earlier.
        let mut probes = Vec::new();
        for w in &non_empty {
            match answers.get(&w.partition).copied().flatten() {
                Some(o) if o >= w.low && o < w.high => {
                    probes.push((w.partition, o));
                    if o > w.low {
                        probes.push((w.partition, o - 1));
                    }
                }
                // "No record at or after the time": the last record must be earlier.
                _ => probes.push((w.partition, w.high - 1)),
            }
        }
        let seen = reader.read_all(topic, &probes)?;
        let mut out = Vec::with_capacity(marks.len());
        let mut searches: Vec<Search> = Vec::new();
        for w in marks {
            if w.is_empty() {
                out.push(TimeOffset {
                    partition: w.partition,
                    offset: w.high,
                    lookup: Lookup::Empty,
                });
                continue;
            }
            let point = |o: i64| seen.get(&(w.partition, o)).copied().unwrap_or(Point::End);
            // The record read for `o` is earlier than the time (or is past `o`).
            let earlier = |o: i64| match point(o) {
                Point::Record { offset, .. } if offset > o => true,
                p @ Point::Record { .. } => !p.at_or_after(timestamp_ms),
                _ => false,
            };
            let confirmed = match answers.get(&w.partition).copied().flatten() {
                Some(o) if o >= w.low && o < w.high => {
                    let here = point(o).at_or_after(timestamp_ms);
                    let before = o == w.low || earlier(o - 1);
                    (here && before).then_some(o)
                }
                _ => {
                    // Nothing readable at the last offset (a transaction marker, an
                    // aborted record) contradicts nothing; a record there must be earlier.
                    let last = point(w.high - 1);
                    let consistent = match last {
                        Point::End => true,
                        Point::Record { .. } => !last.at_or_after(timestamp_ms),
                        Point::Unreadable => false,
                    };
                    consistent.then_some(w.high)
                }
            };
            match confirmed {
                Some(offset) => out.push(TimeOffset {
                    partition: w.partition,
                    offset,
                    lookup: Lookup::Broker,
                }),
                None => {
                    searches.push(Search {
                        partition: w.partition,
                        lo: w.low,
                        hi: w.high,
                    });
                    out.push(TimeOffset {
                        partition: w.partition,
                        offset: w.high,
                        lookup: Lookup::Search,
                    });
                }
            }
        }
        while searches.iter().any(|s| s.lo < s.hi) {
            let probes: Vec<(i32, i64)> = searches
                .iter()
                .filter(|s| s.lo < s.hi)
                .map(|s| (s.partition, s.lo + (s.hi - s.lo) / 2))
                .collect();
            let seen = reader.read_all(topic, &probes)?;
            for s in searches.iter_mut().filter(|s| s.lo < s.hi) {
                let mid = s.lo + (s.hi - s.lo) / 2;
                match seen.get(&(s.partition, mid)).copied().unwrap_or(Point::End) {
                    p @ Point::Record { offset, .. } if !p.at_or_after(timestamp_ms) => {
                        s.lo = offset + 1
                    }
                    // At or after the time, or nothing left in [mid, hi): the
                    // answer is at or before mid.
                    _ => s.hi = mid,
                }
            }
        }
        for s in &searches {
            if let Some(t) = out.iter_mut().find(|t| t.partition == s.partition) {
                t.offset = s.lo;
            }
        }
        Ok(out)
    }
}

struct Search {
    partition: i32,
    lo: i64,
    hi: i64,
}
