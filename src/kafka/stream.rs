//! A bounded-memory reader over explicit per-partition offset ranges. It assigns
//! exactly the partitions asked for, yields each record in `[start, end)` once in
//! partition order, stops a partition at its end (or at the log end, when records
//! were deleted or compacted away), and never commits anything. librdkafka's
//! prefetch queue, capped for the reader as a whole (`Prefetch` in the Kafka layer), is
//! the only buffer. Records
//! are taken from it in batches ([`super::batch`]).

use std::sync::Arc;
use std::time::{Duration, Instant};

use rdkafka::consumer::Consumer;
use rdkafka::error::KafkaError;
use rdkafka::types::RDKafkaErrorCode;
use rdkafka::{Offset, TopicPartitionList};
use serde::{Deserialize, Serialize};

use super::batch::{Batches, Record, Taken};
use super::{Kafka, Op};
use crate::error::{Error, Result};

/// Offsets `[start, end)` of one partition.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct OffsetRange {
    pub partition: i32,
    pub start: i64,
    pub end: i64,
}

impl OffsetRange {
    pub fn len(&self) -> i64 {
        (self.end - self.start).max(0)
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

struct PartState {
    end: i64,
    done: bool,
}

/// Range state per partition, indexed by partition id: a lookup per record that
/// costs no hashing. Partition ids are small and dense in practice.
#[derive(Default)]
struct Parts {
    slots: Vec<Option<PartState>>,
}

impl Parts {
    fn insert(&mut self, partition: i32, state: PartState) {
        let i = partition as usize;
        if self.slots.len() <= i {
            self.slots.resize_with(i + 1, || None);
        }
        self.slots[i] = Some(state);
    }

    fn get(&self, partition: i32) -> Option<&PartState> {
        usize::try_from(partition)
            .ok()
            .and_then(|i| self.slots.get(i))
            .and_then(Option::as_ref)
    }

    fn get_mut(&mut self, partition: i32) -> Option<&mut PartState> {
        usize::try_from(partition)
            .ok()
            .and_then(|i| self.slots.get_mut(i))
            .and_then(Option::as_mut)
    }

    fn len(&self) -> usize {
        self.slots.iter().flatten().count()
    }

    fn is_empty(&self) -> bool {
        self.len() == 0
    }

    fn pending(&self) -> impl Iterator<Item = i32> + '_ {
        self.slots
            .iter()
            .enumerate()
            .filter(|(_, s)| s.as_ref().is_some_and(|s| !s.done))
            .map(|(p, _)| p as i32)
    }
}

/// Records between two visits to the consumer's own queue while records flow.
const EVENTS_EVERY: u32 = 4096;

pub struct RecordStream {
    /// The routed records, and the consumer they come from.
    batches: Batches,
    kafka: Kafka,
    topic: String,
    parts: Parts,
    remaining: usize,
    idle_limit: Duration,
    /// Records handed out since the consumer's own queue was last served.
    since_events: u32,
}

impl RecordStream {
    pub(super) fn open(kafka: &Kafka, topic: &str, ranges: &[OffsetRange]) -> Result<Self> {
        let consumer =
            Arc::new(kafka.stream_consumer(ranges.iter().filter(|r| !r.is_empty()).count())?);
        let mut tpl = TopicPartitionList::new();
        let mut parts = Parts::default();
        for r in ranges.iter().filter(|r| !r.is_empty()) {
            if r.partition < 0 {
                return Err(Error::usage(format!(
                    "partition {} of '{topic}' does not exist",
                    r.partition
                )));
            }
            tpl.add_partition_offset(topic, r.partition, Offset::Offset(r.start))
                .map_err(|e| {
                    kafka.classify(&e, Op::Read, "assign partitions", consumer.context())
                })?;
            parts.insert(
                r.partition,
                PartState {
                    end: r.end,
                    done: false,
                },
            );
        }
        let ids: Vec<i32> = parts.pending().collect();
        let batches = Batches::route(consumer, topic, &ids).ok_or_else(|| {
            Error::usage(format!(
                "cannot set up reading '{topic}': librdkafka refused a queue for its partitions"
            ))
        })?;
        if !parts.is_empty() {
            let consumer = batches.consumer();
            consumer.assign(&tpl).map_err(|e| {
                kafka.classify(
                    &e,
                    Op::Read,
                    &format!("assign partitions of '{topic}'"),
                    consumer.context(),
                )
            })?;
        }
        let remaining = parts.len();
        Ok(RecordStream {
            batches,
            kafka: kafka.clone(),
            topic: topic.to_string(),
            parts,
            remaining,
            // A fetch that stalls this long means the broker went away mid-read.
            idle_limit: kafka.timeout().max(Duration::from_secs(5)) * 3,
            since_events: 0,
        })
    }

    /// The next record in range, or `None` when every range is exhausted.
    pub fn next_record(&mut self) -> Result<Option<Record<'_>>> {
        // Started at the first empty wait, not per call: reading the clock for
        // every record is measurable at a million records.
        let mut idle_since: Option<Instant> = None;
        // A non-blocking take first: with records queued (the common case) it
        // skips librdkafka's timeout bookkeeping.
        let mut wait = Duration::ZERO;
        loop {
            if self.remaining == 0 {
                return Ok(None);
            }
            match self.batches.take(wait) {
                Taken::Idle => {
                    // librdkafka's own events (client errors, logs) arrive on the
                    // consumer's queue, not with the records: serve them while idle.
                    self.serve_events()?;
                    if wait.is_zero() {
                        wait = Duration::from_millis(200);
                        continue;
                    }
                    let since = *idle_since.get_or_insert_with(Instant::now);
                    if since.elapsed() > self.idle_limit {
                        return Err(self.stalled());
                    }
                }
                Taken::Error { partition, code } => {
                    wait = Duration::ZERO;
                    if code == RDKafkaErrorCode::PartitionEOF {
                        self.finish(partition);
                        idle_since = None;
                        continue;
                    }
                    self.consumer_error(KafkaError::MessageConsumption(code))?;
                }
                Taken::Record {
                    at,
                    partition: p,
                    offset: off,
                } => {
                    wait = Duration::ZERO;
                    idle_since = None;
                    let Some(state) = self.parts.get(p) else {
                        continue;
                    };
                    if state.done {
                        continue;
                    }
                    let end = state.end;
                    if off >= end {
                        self.finish(p);
                        continue;
                    }
                    if off + 1 >= end {
                        self.finish(p);
                    }
                    // Served now and then while records flow too, so log lines
                    // cannot pile up there during a long read.
                    self.since_events += 1;
                    if self.since_events >= EVENTS_EVERY {
                        self.since_events = 0;
                        self.serve_events()?;
                    }
                    return Ok(Some(self.batches.record(at)));
                }
            }
        }
    }

    /// Mark a partition read to its end and stop prefetching it (once).
    fn finish(&mut self, partition: i32) {
        let Some(p) = self.parts.get_mut(partition) else {
            return;
        };
        if p.done {
            return;
        }
        p.done = true;
        self.remaining -= 1;
        let mut tpl = TopicPartitionList::new();
        if tpl
            .add_partition(&self.topic, partition)
            .set_offset(Offset::Invalid)
            .is_ok()
        {
            // Pausing only stops prefetching; records past the end are filtered anyway.
            let _ = self.batches.consumer().pause(&tpl);
        }
    }

    /// Serve the consumer's own queue: client-level errors come back from it as
    /// errors, log lines go to the client context.
    fn serve_events(&mut self) -> Result<()> {
        while let Some(event) = self.batches.consumer().poll(Duration::ZERO) {
            match event {
                Err(KafkaError::PartitionEOF(p)) => self.finish(p),
                Err(e) => self.consumer_error(e)?,
                // Every assigned partition is routed to the batches: nothing else
                // is read from this consumer.
                Ok(_) => {}
            }
        }
        Ok(())
    }

    /// An error reported while reading: a lost offset and anything not transient
    /// end the read; transient ones are retried by librdkafka.
    fn consumer_error(&self, e: KafkaError) -> Result<()> {
        if e.rdkafka_error_code() == Some(RDKafkaErrorCode::OffsetOutOfRange)
            || e.rdkafka_error_code() == Some(RDKafkaErrorCode::AutoOffsetReset)
        {
            return Err(Error::usage_hint(
                format!("an offset asked for on '{}' is out of range: {e}", self.topic),
                "the records may have been deleted by retention; re-plan from the current log start",
            ));
        }
        if e.rdkafka_error_code().is_some_and(is_transient) {
            return Ok(());
        }
        Err(self.kafka.classify(
            &e,
            Op::Read,
            &format!("read '{}'", self.topic),
            self.batches.consumer().context(),
        ))
    }

    fn stalled(&self) -> Error {
        let pending: Vec<String> = self
            .parts
            .pending()
            .map(|p| format!("{}[{p}]", self.topic))
            .take(5)
            .collect();
        let detail = self
            .batches
            .consumer()
            .context()
            .last_error()
            .map(|e| format!(" ({e})"))
            .unwrap_or_default();
        Error::broker(
            format!(
                "no records arrived for {} while reading {}{detail}",
                humantime::format_duration(self.idle_limit),
                pending.join(", ")
            ),
            Some("check that the brokers are up; raise --timeout for slow clusters".into()),
        )
    }
}

pub(super) fn is_transient(code: RDKafkaErrorCode) -> bool {
    matches!(
        code,
        RDKafkaErrorCode::BrokerTransportFailure
            | RDKafkaErrorCode::AllBrokersDown
            | RDKafkaErrorCode::NotLeaderForPartition
            | RDKafkaErrorCode::LeaderNotAvailable
            | RDKafkaErrorCode::RequestTimedOut
            | RDKafkaErrorCode::NetworkException
    )
}

/// Balance `ranges` over at most `lanes` readers by record count: largest range
/// first, each to the lightest lane (the first one on a tie), so lanes finish at
/// about the same time. Each lane keeps its ranges in partition order; lanes left
/// without a range are dropped, so there are never more lanes than ranges.
pub fn balance_ranges(ranges: &[OffsetRange], lanes: usize) -> Vec<Vec<OffsetRange>> {
    let lanes = lanes.clamp(1, ranges.len().max(1));
    let mut order: Vec<&OffsetRange> = ranges.iter().collect();
    order.sort_by_key(|r| (std::cmp::Reverse(r.len()), r.partition));
    let mut groups: Vec<(i64, Vec<OffsetRange>)> = vec![(0, Vec::new()); lanes];
    for r in order {
        let lightest = groups
            .iter_mut()
            .min_by_key(|(load, _)| *load)
            .expect("at least one lane");
        lightest.0 += r.len();
        lightest.1.push(*r);
    }
    groups
        .into_iter()
        .map(|(_, mut g)| {
            g.sort_by_key(|r| r.partition);
            g
        })
        .filter(|g| !g.is_empty())
        .collect()
}

#[cfg(test)]
mod balance_ranges_tests {
    use super::{balance_ranges as balance, OffsetRange};

    fn r(partition: i32, len: i64) -> OffsetRange {
        OffsetRange {
            partition,
            start: 100,
            end: 100 + len,
        }
    }

    fn load(g: &[OffsetRange]) -> i64 {
        g.iter().map(OffsetRange::len).sum()
    }

    #[test]
    fn lanes_get_about_the_same_number_of_records() {
        let ranges = [r(0, 100), r(1, 10), r(2, 60), r(3, 50)];
        let two = balance(&ranges, 2);
        assert_eq!(two.len(), 2);
        // 100 to the first lane, 60 and 50 to the second, 10 to the first.
        assert_eq!(load(&two[0]), 110);
        assert_eq!(load(&two[1]), 110);
        assert_eq!(two[0], vec![r(0, 100), r(1, 10)]);
        assert_eq!(two[1], vec![r(2, 60), r(3, 50)]);
        // An empty range still lands in exactly one lane.
        let mut with_empty = ranges.to_vec();
        with_empty.push(r(4, 0));
        let two = balance(&with_empty, 2);
        let mut all: Vec<i32> = two.iter().flatten().map(|r| r.partition).collect();
        all.sort();
        assert_eq!(all, vec![0, 1, 2, 3, 4]);
        assert_eq!(two.iter().map(|g| load(g)).sum::<i64>(), 220);
    }

    #[test]
    fn no_more_lanes_than_ranges_and_at_least_one() {
        let ranges = [r(0, 5), r(1, 5)];
        assert_eq!(balance(&ranges, 4).len(), 2);
        assert_eq!(balance(&ranges, 1), vec![vec![r(0, 5), r(1, 5)]]);
        assert_eq!(balance(&ranges, 0).len(), 1);
        assert_eq!(balance(&ranges[..1], 2), vec![vec![r(0, 5)]]);
        assert!(balance(&[], 3).is_empty());
    }

    #[test]
    fn ties_go_to_the_lower_partition_and_the_first_lane() {
        let ranges = [r(3, 7), r(1, 7), r(2, 7)];
        let g = balance(&ranges, 2);
        assert_eq!(g, vec![vec![r(1, 7), r(3, 7)], vec![r(2, 7)]]);
    }
}
