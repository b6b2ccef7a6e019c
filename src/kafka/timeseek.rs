//! Resolve a point in time to an offset per partition: the first offset whose
//! record timestamp is at or after the time. The broker's offsets-for-times answer
//! is used when a cheap read confirms it; when the broker cannot answer (librdkafka's
//! mock broker always says -1) or answers something the records contradict, a binary
//! search over record timestamps runs instead, all partitions in lockstep, so it
//! costs about log2(records) reads in total rather than per partition.

use std::collections::HashMap;
use std::time::{Duration, Instant};

use rdkafka::consumer::Consumer;
use rdkafka::error::KafkaError;
use rdkafka::message::Message;
use rdkafka::{Offset, TopicPartitionList};
use serde::Serialize;

use super::{ClosingConsumer, Kafka, Watermarks};
use crate::error::{Error, Result};

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
        let seen = read_each(self, &reader, topic, &probes)?;
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
            let ts_at = |o: i64| seen.get(&(w.partition, o)).copied().flatten();
            let confirmed = match answers.get(&w.partition).copied().flatten() {
                Some(o) if o >= w.low && o < w.high => {
                    let here = ts_at(o).is_some_and(|(_, ts)| ts >= timestamp_ms);
                    let before = o == w.low
                        || ts_at(o - 1).is_some_and(|(at, ts)| at >= o || ts < timestamp_ms);
                    (here && before).then_some(o)
                }
                _ => ts_at(w.high - 1)
                    .is_some_and(|(_, ts)| ts < timestamp_ms)
                    .then_some(w.high),
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
            let seen = read_each(self, &reader, topic, &probes)?;
            for s in searches.iter_mut().filter(|s| s.lo < s.hi) {
                let mid = s.lo + (s.hi - s.lo) / 2;
                match seen.get(&(s.partition, mid)).copied().flatten() {
                    // Nothing left in [mid, hi): the answer is at or before mid.
                    None => s.hi = mid,
                    Some((_, ts)) if ts >= timestamp_ms => s.hi = mid,
                    Some((at, _)) => s.lo = at + 1,
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

/// What a probe found: (offset actually read, timestamp ms), or `None` past the end.
type Seen = HashMap<(i32, i64), Option<(i64, i64)>>;

/// Read the first record at or after each (partition, offset); `None` when the
/// partition has nothing from there on. Keys of the result are the probes asked for;
/// the value is (offset actually read, timestamp ms).
fn read_each(
    kafka: &Kafka,
    reader: &ClosingConsumer,
    topic: &str,
    probes: &[(i32, i64)],
) -> Result<Seen> {
    let mut result = HashMap::new();
    // One probe per partition per round: assign() takes one offset per partition.
    let mut pending: Vec<(i32, i64)> = probes.to_vec();
    while !pending.is_empty() {
        let mut round: HashMap<i32, i64> = HashMap::new();
        let mut later = Vec::new();
        for (p, o) in pending.drain(..) {
            match round.entry(p) {
                std::collections::hash_map::Entry::Occupied(_) => later.push((p, o)),
                std::collections::hash_map::Entry::Vacant(v) => {
                    v.insert(o);
                }
            }
        }
        let mut tpl = TopicPartitionList::new();
        for (p, o) in &round {
            tpl.add_partition_offset(topic, *p, Offset::Offset(*o))
                .map_err(|e| kafka.classify(&e, "seek", reader.context()))?;
        }
        reader.assign(&tpl).map_err(|e| {
            kafka.classify(
                &e,
                &format!("assign partitions of '{topic}'"),
                reader.context(),
            )
        })?;
        let deadline = Instant::now() + kafka.timeout().max(Duration::from_secs(5)) * 2;
        while !round.is_empty() {
            if Instant::now() > deadline {
                return Err(Error::broker(
                    format!("timed out reading record timestamps from '{topic}'"),
                    Some("check that the brokers are up; raise --timeout for slow clusters".into()),
                ));
            }
            match reader.poll(Duration::from_millis(100)) {
                None => {}
                Some(Err(KafkaError::PartitionEOF(p))) => {
                    if let Some(o) = round.remove(&p) {
                        result.insert((p, o), None);
                    }
                }
                Some(Err(e)) => {
                    if e.rdkafka_error_code().is_some_and(|c| {
                        matches!(
                            c,
                            rdkafka::types::RDKafkaErrorCode::OffsetOutOfRange
                                | rdkafka::types::RDKafkaErrorCode::AutoOffsetReset
                        )
                    }) {
                        return Err(Error::usage_hint(
                            format!("records of '{topic}' were deleted while their timestamps were being read"),
                            "retention is removing the oldest records; run the command again",
                        ));
                    }
                    return Err(kafka.classify(&e, &format!("read '{topic}'"), reader.context()));
                }
                Some(Ok(m)) => {
                    let p = m.partition();
                    if let Some(o) = round.get(&p).copied() {
                        if m.offset() >= o {
                            round.remove(&p);
                            let ts = m.timestamp().to_millis().unwrap_or(i64::MIN);
                            result.insert((p, o), Some((m.offset(), ts)));
                        }
                    }
                }
            }
        }
        pending = later;
    }
    Ok(result)
}
