//! Reading the first record at or after an offset, for many partitions at once:
//! the one point reader behind the time search ([`super::timeseek`]), replay's
//! empty-window diagnosis and lag's event ages.
//!
//! The policy, the same for every caller:
//! - **At or after.** The answer for offset O is the first record a consumer
//!   starting at O would get, whose offset may be larger than O (compaction gaps,
//!   transaction markers). [`Point::Record`] carries the offset actually read.
//! - **No timestamp.** A record whose timestamp is -1 or absent is reported with
//!   `timestamp_ms: None`. It counts as older than any time
//!   ([`Point::at_or_after`] is false), so a time search moves past it, it is no
//!   one's earliest or latest timestamp, and its event age is unknown.
//! - **Log end.** Nothing at or after O (O is the log end, or only control
//!   records follow) is [`Point::End`], not an error.
//! - **Outside the log.** An offset the broker calls out of range (below the log
//!   start, deleted by retention since the caller read the watermarks, or past
//!   the log end) is never moved silently to the log start: the caller planned
//!   with watermarks that are now stale. [`PointReader::read_all`] fails with
//!   "deleted while being read, run again"; [`PointReader::read`] reports the
//!   point [`Point::Unreadable`].
//! - **Failures** (a partition error that is not transient, or no answer within
//!   `max(--timeout, 2 s)` of the last progress): `read_all` fails with a typed
//!   error, `read` reports the points [`Point::Unreadable`]. In `read` one
//!   unreadable partition never fails the others; rdkafka's consumer errors do
//!   not name their partition, so `read` marks the points it could not answer
//!   when the stall limit passes.
//!
//! [`PointReader::read`] suits a caller that can show what it could not read
//! (lag: an unknown event age); [`PointReader::read_all`] one that cannot answer
//! without every point (the time search, the diagnosis).
//!
//! How: all partitions are assigned in one round, at one offset each (that is
//! what `assign` takes); wanted offsets of one partition closer than [`RUN_GAP`]
//! are answered by one sequential pass from the first of them, the others in
//! later rounds. Records come through the consumer's own queue (rdkafka's
//! `poll`), not [`super::batch`]: re-assigning a partition stops its fetcher,
//! which drops the forward to a private queue for good (librdkafka 2.12 keeps
//! its "forwarded by the application" flag, so it is not forwarded anywhere
//! again), and point reads take few records, so batching would gain little.

use std::collections::{BTreeMap, BTreeSet, HashMap, VecDeque};
use std::time::{Duration, Instant};

use rdkafka::consumer::Consumer;
use rdkafka::error::KafkaError;
use rdkafka::message::Message;
use rdkafka::types::RDKafkaErrorCode;
use rdkafka::{Offset, TopicPartitionList};

use super::stream::is_transient;
use super::{ClosingConsumer, Kafka, Op};
use crate::error::{Error, Result};

/// Wanted offsets of one partition closer than this are read in one sequential pass.
pub const RUN_GAP: i64 = 500;

/// What is at or after one wanted offset (see the module docs for the policy).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Point {
    /// The first record at or after the offset: the offset it has, and its
    /// timestamp (`None` when it has none).
    Record {
        offset: i64,
        timestamp_ms: Option<i64>,
    },
    /// No record at or after the offset.
    End,
    /// The partition could not be read.
    Unreadable,
}

impl Point {
    /// A record whose timestamp is at or after `time_ms`. A record without a
    /// timestamp never is.
    pub fn at_or_after(&self, time_ms: i64) -> bool {
        matches!(self, Point::Record { timestamp_ms: Some(t), .. } if *t >= time_ms)
    }

    /// The timestamp of the record found, if one was found and has one.
    pub fn timestamp_ms(&self) -> Option<i64> {
        match self {
            Point::Record { timestamp_ms, .. } => *timestamp_ms,
            _ => None,
        }
    }
}

/// Outcomes by (partition, wanted offset).
pub type Points = HashMap<(i32, i64), Point>;

/// Outcomes by (topic, partition, wanted offset).
pub type TopicPoints = HashMap<(String, i32, i64), Point>;

/// A consumer for reading single records at chosen offsets.
pub struct PointReader {
    consumer: ClosingConsumer,
    kafka: Kafka,
}

/// One partition's run being read in the current round.
struct Pending {
    offsets: Vec<i64>,
    next: usize,
}

impl Pending {
    /// Give every offset left the same outcome.
    fn resolve_rest(&mut self, partition: i32, point: Point, out: &mut Points) {
        for &o in &self.offsets[self.next..] {
            out.insert((partition, o), point);
        }
        self.next = self.offsets.len();
    }
}

impl Kafka {
    /// A [`PointReader`]. Each assign wants one record or a short run, so the
    /// prefetch is kept small.
    pub fn point_reader(&self) -> Result<PointReader> {
        let consumer = self.reader(
            None,
            &[
                ("queued.max.messages.kbytes", "2048"),
                ("fetch.max.bytes", "1048576"),
                ("max.partition.fetch.bytes", "65536"),
                ("fetch.wait.max.ms", "50"),
            ],
        )?;
        Ok(PointReader {
            consumer,
            kafka: self.clone(),
        })
    }
}

/// Point readers kept across calls (lag's event ages, once per snapshot): up to
/// `size` consumers, each made on first need and reused after, so a long run
/// (`serve`, `lag --watch`, `--samples`) connects no new consumers per cycle.
pub struct PointPool {
    kafka: Kafka,
    size: usize,
    readers: Vec<PointReader>,
}

impl PointPool {
    pub fn new(kafka: &Kafka, size: usize) -> PointPool {
        PointPool {
            kafka: kafka.clone(),
            size: size.max(1),
            readers: Vec::new(),
        }
    }

    /// [`PointReader::read`] over many topics, the partitions spread over the
    /// pool's readers, which read in parallel. Each reader reads one topic at a
    /// time and is unassigned when done.
    pub fn read(&mut self, wanted: &BTreeMap<(String, i32), BTreeSet<i64>>) -> Result<TopicPoints> {
        let readers = self.size.min(wanted.len()).max(1);
        while self.readers.len() < readers {
            self.readers.push(self.kafka.point_reader()?);
        }
        let mut shares: Vec<BTreeMap<&str, Vec<(i32, i64)>>> = vec![BTreeMap::new(); readers];
        for (i, ((topic, p), offsets)) in wanted.iter().enumerate() {
            shares[i % readers]
                .entry(topic.as_str())
                .or_default()
                .extend(offsets.iter().map(|&o| (*p, o)));
        }
        let results: Vec<Result<TopicPoints>> = std::thread::scope(|s| {
            let handles: Vec<_> = self
                .readers
                .iter()
                .zip(shares)
                .filter(|(_, share)| !share.is_empty())
                .map(|(reader, share)| {
                    s.spawn(move || -> Result<TopicPoints> {
                        let mut out = TopicPoints::new();
                        let read = share.into_iter().try_for_each(|(topic, wanted)| {
                            for ((p, o), point) in reader.read(topic, &wanted)? {
                                out.insert((topic.to_string(), p, o), point);
                            }
                            Ok::<_, Error>(())
                        });
                        // Unassigned on failure too: the next call starts clean.
                        reader.unassign();
                        read.map(|()| out)
                    })
                })
                .collect();
            handles
                .into_iter()
                .map(|h| {
                    h.join().unwrap_or_else(|_| {
                        Err(Error::broker("a record reader thread panicked", None))
                    })
                })
                .collect()
        });
        let mut out = TopicPoints::new();
        for r in results {
            out.extend(r?);
        }
        Ok(out)
    }
}

impl PointReader {
    /// The outcome at each wanted (partition, offset) of `topic`.
    pub fn read(&self, topic: &str, wanted: &[(i32, i64)]) -> Result<Points> {
        self.read_rounds(topic, wanted, false)
    }

    /// Like [`PointReader::read`], but every point must be a record or the log
    /// end: the first failure is returned as an error instead.
    pub fn read_all(&self, topic: &str, wanted: &[(i32, i64)]) -> Result<Points> {
        self.read_rounds(topic, wanted, true)
    }

    fn unassign(&self) {
        let _ = self.consumer.unassign();
    }

    fn read_rounds(&self, topic: &str, wanted: &[(i32, i64)], strict: bool) -> Result<Points> {
        let mut by_partition: BTreeMap<i32, BTreeSet<i64>> = BTreeMap::new();
        for &(p, o) in wanted {
            by_partition.entry(p).or_default().insert(o);
        }
        let mut queues: Vec<(i32, VecDeque<Vec<i64>>)> = by_partition
            .into_iter()
            .map(|(p, offsets)| (p, runs(&offsets).into()))
            .collect();
        let mut out = Points::with_capacity(wanted.len());
        loop {
            let round: HashMap<i32, Pending> = queues
                .iter_mut()
                .filter_map(|(p, q)| {
                    q.pop_front()
                        .map(|offsets| (*p, Pending { offsets, next: 0 }))
                })
                .collect();
            if round.is_empty() {
                return Ok(out);
            }
            self.read_round(topic, round, strict, &mut out)?;
        }
    }

    /// Assign every partition of `round` at its run's first offset and read until
    /// each run is answered.
    fn read_round(
        &self,
        topic: &str,
        mut round: HashMap<i32, Pending>,
        strict: bool,
        out: &mut Points,
    ) -> Result<()> {
        let ctx = self.consumer.context();
        let mut tpl = TopicPartitionList::with_capacity(round.len());
        for (p, pend) in &round {
            tpl.add_partition_offset(topic, *p, Offset::Offset(pend.offsets[0]))
                .map_err(|e| self.kafka.classify(&e, Op::Read, "assign partitions", ctx))?;
        }
        self.consumer.assign(&tpl).map_err(|e| {
            self.kafka.classify(
                &e,
                Op::Read,
                &format!("assign partitions of '{topic}'"),
                ctx,
            )
        })?;
        let stall_limit = self.kafka.timeout().max(Duration::from_secs(2));
        let mut progress = Instant::now();
        while !round.is_empty() {
            match self.consumer.poll(Duration::from_millis(100)) {
                Some(Ok(m)) => {
                    if m.topic() != topic {
                        continue;
                    }
                    let partition = m.partition();
                    let Some(pend) = round.get_mut(&partition) else {
                        continue;
                    };
                    progress = Instant::now();
                    let offset = m.offset();
                    if offset < pend.offsets[pend.next] {
                        continue;
                    }
                    let timestamp_ms = m.timestamp().to_millis();
                    while pend.next < pend.offsets.len() && pend.offsets[pend.next] <= offset {
                        out.insert(
                            (partition, pend.offsets[pend.next]),
                            Point::Record {
                                offset,
                                timestamp_ms,
                            },
                        );
                        pend.next += 1;
                    }
                    if pend.next == pend.offsets.len() {
                        round.remove(&partition);
                    }
                }
                Some(Err(KafkaError::PartitionEOF(partition))) => {
                    if let Some(mut pend) = round.remove(&partition) {
                        progress = Instant::now();
                        pend.resolve_rest(partition, Point::End, out);
                    }
                }
                Some(Err(e)) => {
                    let Some(code) = e.rdkafka_error_code() else {
                        continue;
                    };
                    if !strict || is_transient(code) {
                        // These errors name no partition (rdkafka drops it): what
                        // they hit stays pending and ends unreadable at the stall limit.
                        continue;
                    }
                    if matches!(
                        code,
                        RDKafkaErrorCode::OffsetOutOfRange | RDKafkaErrorCode::AutoOffsetReset
                    ) {
                        return Err(out_of_range(topic));
                    }
                    return Err(self
                        .kafka
                        .classify(&e, Op::Read, &format!("read '{topic}'"), ctx));
                }
                None => {
                    if progress.elapsed() > stall_limit {
                        // Some brokers (Tansu) answer a fetch past the log end with no
                        // records and no error, so nothing ever arrives: ask the
                        // watermarks, and give what lies outside the log the answer a
                        // broker's OffsetOutOfRange gets.
                        let settled = self.settle_by_watermarks(topic, &round);
                        if strict && settled.iter().any(|(_, at_end)| !at_end) {
                            return Err(out_of_range(topic));
                        }
                        for (p, at_end) in settled {
                            if let Some(mut pend) = round.remove(&p) {
                                let point = if at_end {
                                    Point::End
                                } else {
                                    Point::Unreadable
                                };
                                pend.resolve_rest(p, point, out);
                            }
                        }
                        if round.is_empty() {
                            break;
                        }
                        if strict {
                            let detail = ctx
                                .last_error()
                                .map(|e| format!(" ({e})"))
                                .unwrap_or_default();
                            return Err(Error::broker(
                                format!("timed out reading records of '{topic}'{detail}"),
                                Some("check that the brokers are up; raise --timeout for slow clusters".into()),
                            ));
                        }
                        for (p, pend) in round.iter_mut() {
                            pend.resolve_rest(*p, Point::Unreadable, out);
                        }
                        round.clear();
                    }
                }
            }
        }
        Ok(())
    }
}

impl PointReader {
    /// Partitions whose next wanted offset the watermarks settle: `true` for one at
    /// the log end (its end-of-partition report never came), `false` for one outside
    /// the log (below its start or past its end). Empty when the watermarks cannot be
    /// read: then the caller's time-out stands.
    fn settle_by_watermarks(&self, topic: &str, round: &HashMap<i32, Pending>) -> Vec<(i32, bool)> {
        let partitions: Vec<i32> = round.keys().copied().collect();
        let Ok(marks) = self.kafka.watermarks(&self.consumer, topic, &partitions) else {
            return Vec::new();
        };
        marks
            .iter()
            .filter_map(|w| {
                let pend = round.get(&w.partition)?;
                let o = *pend.offsets.get(pend.next)?;
                if o == w.high {
                    Some((w.partition, true))
                } else {
                    (o < w.low || o > w.high).then_some((w.partition, false))
                }
            })
            .collect()
    }
}

/// An offset outside the log: the broker said so, or its watermarks do.
fn out_of_range(topic: &str) -> Error {
    Error::usage_hint(
        format!("records of '{topic}' were deleted while they were being read"),
        "retention is removing the oldest records; run the command again",
    )
}

/// A partition's wanted offsets split into sequential runs.
fn runs(offsets: &BTreeSet<i64>) -> Vec<Vec<i64>> {
    let mut out: Vec<Vec<i64>> = Vec::new();
    for &o in offsets {
        match out.last_mut() {
            Some(run) if o - run[run.len() - 1] <= RUN_GAP => run.push(o),
            _ => out.push(vec![o]),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn runs_split_on_gaps() {
        let set: BTreeSet<i64> = [0, 10, 500, 2000, 2001, 9000].into_iter().collect();
        assert_eq!(
            runs(&set),
            vec![vec![0, 10, 500], vec![2000, 2001], vec![9000]]
        );
        assert!(runs(&BTreeSet::new()).is_empty());
    }

    #[test]
    fn a_record_without_a_timestamp_is_older_than_any_time() {
        let none = Point::Record {
            offset: 4,
            timestamp_ms: None,
        };
        assert!(!none.at_or_after(i64::MIN));
        assert_eq!(none.timestamp_ms(), None);
        let at = Point::Record {
            offset: 4,
            timestamp_ms: Some(1000),
        };
        assert!(at.at_or_after(1000));
        assert!(!at.at_or_after(1001));
        for p in [Point::End, Point::Unreadable] {
            assert!(!p.at_or_after(i64::MIN));
            assert_eq!(p.timestamp_ms(), None);
        }
    }

    #[test]
    fn resolving_a_run_gives_the_rest_one_outcome() {
        let mut out = Points::new();
        let mut pend = Pending {
            offsets: vec![3, 7, 9],
            next: 1,
        };
        pend.resolve_rest(2, Point::End, &mut out);
        assert_eq!(out.len(), 2);
        assert_eq!(out[&(2, 7)], Point::End);
        assert_eq!(out[&(2, 9)], Point::End);
        assert!(!out.contains_key(&(2, 3)));
        assert_eq!(pend.next, 3);
    }
}
