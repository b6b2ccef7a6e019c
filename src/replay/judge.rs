//! The verdict on one source record: skipped (outside the time window, filtered
//! by key or DLQ category) or replayed to a destination partition. Planning
//! counts these verdicts and the executor applies the same ones, so a run does
//! exactly what its plan says. The judge also knows how large a record each
//! destination accepts ([`Judge::size_limit`]), so the plan flags, and the run
//! skips when told to, the same oversized records. A redrive of a record that
//! was already redriven `--max-redrives` times is held back ([`Skip::Redriven`],
//! counted in [`Judge::redrives`]), so a poison record cannot loop.

use std::collections::BTreeMap;
use std::sync::Arc;

use super::dlq_bridge::{is_dlq_header, DlqTools};
use super::placement::{effective, place, Placement, PlacementReport, PlacementTally};
use super::plan::HeldBack;
use super::plan::{SizeLimit, SizeSetting, TopicPartition};
use super::record::{is_redriving, RouteError, Router, SourceRecord};
use super::redrives;
use super::selection::{Destination, Selection, Skip};
use crate::error::{Error, Result};
use crate::kafka::{ClosingConsumer, Kafka};

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
    consumer: ClosingConsumer,
    /// Size limits of the destination topics, asked once per topic.
    limits: BTreeMap<Arc<str>, SizeLimit>,
    /// Records held back by the redrive limit, and unreadable counts seen.
    pub redrives: RedriveTally,
}

/// What the redrive guard saw in the judged records.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct RedriveTally {
    /// Held-back records by how often they were already redriven.
    pub held_back: BTreeMap<u32, u64>,
    /// The first held-back record (`topic/partition/offset`), to show where to look.
    pub example: Option<String>,
    /// Records of the selection whose count header was unreadable (read as 1).
    pub unreadable: u64,
}

impl RedriveTally {
    pub fn merge(&mut self, o: RedriveTally) {
        for (times, n) in o.held_back {
            *self.held_back.entry(times).or_default() += n;
        }
        self.example = self.example.take().or(o.example);
        self.unreadable += o.unreadable;
    }

    /// The plan's section, when anything was held back or unreadable.
    pub fn report(&self, limit: u32) -> Option<HeldBack> {
        let records: u64 = self.held_back.values().sum();
        (records > 0 || self.unreadable > 0).then(|| HeldBack {
            records,
            max_redrives: limit,
            by_redrives: self.held_back.clone(),
            example: self.example.clone(),
            unreadable_counts: self.unreadable,
        })
    }
}

/// Bytes a record carries as produced beyond its key, value, headers and source
/// coordinate: the other provenance headers (names, replay id, position, time, redrive count, an
/// owner of up to 64 bytes) and the record batch framing. An upper estimate.
const PRODUCED_OVERHEAD: u64 = 384;

/// A record's size as the replay produces it, for comparing with size limits.
pub fn produced_size(rec: &SourceRecord) -> u64 {
    rec.size() + rec.source.len() as u64 + PRODUCED_OVERHEAD
}

/// The largest [`produced_size`] of any record of `topic` when the topic accepts
/// batches of at most `max_message_bytes` (a record is never larger than its
/// batch): the source coordinate `topic/partition/offset` is at most the name
/// and two 20-digit numbers.
pub fn largest_produced_size(topic: &str, max_message_bytes: u64) -> u64 {
    max_message_bytes + topic.len() as u64 + 42 + PRODUCED_OVERHEAD
}

/// The smaller of the producer's and the topic's limit; the producer's on a tie,
/// as librdkafka refuses the record before the broker sees it.
fn effective_limit(producer: u64, topic: Option<u64>) -> SizeLimit {
    match topic {
        Some(t) if t < producer => SizeLimit {
            bytes: t,
            setting: SizeSetting::Topic,
        },
        _ => SizeLimit {
            bytes: producer,
            setting: SizeSetting::Producer,
        },
    }
}

impl Judge {
    pub fn new(kafka: &Kafka, sel: &Selection) -> Result<Self> {
        let consumer = kafka.consumer(None)?;
        let mut router = Router::new(sel.destination.clone(), sel.partitioner, sel.placement);
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
                .insert(topic.as_str().into(), meta.partitions.len());
        }
        Ok(Judge {
            sel: sel.clone(),
            dlq: DlqTools::new(sel)?,
            router,
            kafka: kafka.clone(),
            consumer,
            limits: BTreeMap::new(),
            redrives: RedriveTally::default(),
        })
    }

    /// Where the judged records landed relative to their original partitions.
    pub fn placement(&self) -> PlacementReport {
        self.router.tally.report(&self.router.partition_counts)
    }

    /// This judge's placement counts, to fold into another judge's.
    pub fn take_placement_tally(&mut self) -> PlacementTally {
        std::mem::take(&mut self.router.tally)
    }

    /// Fold in another judge's placement counts (a second planning reader).
    pub fn merge_placement_tally(&mut self, other: PlacementTally) {
        self.router.tally.merge(other);
    }

    /// How large a record `topic` accepts (asked of the broker once per topic).
    pub fn size_limit(&mut self, topic: &Arc<str>) -> SizeLimit {
        if let Some(l) = self.limits.get(topic) {
            return *l;
        }
        let l = effective_limit(
            self.kafka.producer_max_message_bytes(),
            self.kafka.topic_max_message_bytes(topic),
        );
        self.limits.insert(topic.clone(), l);
        l
    }

    /// Where each of `partitions` goes when that does not depend on any record:
    /// a fixed destination topic, and a placement that keeps (or folds) the
    /// source partition rather than hashing keys. `None` when a record's
    /// content decides (a redrive, `--placement key`, or keep with a source
    /// partition the destination lacks: keyed records then go by key).
    pub fn fixed_routes(&self, partitions: &[i32]) -> Option<BTreeMap<i32, TopicPartition>> {
        let Destination::Topic { topic } = &self.sel.destination else {
            return None;
        };
        let placement = effective(self.router.placement, self.router.partitioner);
        if placement == Some(Placement::Key) {
            return None;
        }
        let (topic, n) = self.router.partition_counts.get_key_value(topic.as_str())?;
        partitions
            .iter()
            .map(|&p| {
                let exists = p >= 0 && (p as usize) < *n;
                (exists || placement == Some(Placement::Fold)).then(|| {
                    let to = place(placement, self.router.partitioner, None, Some(p), *n);
                    (
                        p,
                        TopicPartition {
                            topic: topic.clone(),
                            partition: to,
                        },
                    )
                })
            })
            .collect()
    }

    /// Count `records` routed from source partition `original` to `to` in the
    /// placement report, as if each had been judged (a plan counted from offsets).
    pub fn tally_routed(&mut self, original: i32, to: &TopicPartition, records: u64) {
        self.router
            .tally
            .add_many(&to.topic, Some(original), false, to.partition, records);
    }

    pub fn judge(&mut self, rec: &SourceRecord) -> Result<Verdict> {
        if let Some(skip) = self.sel.check(rec.timestamp_ms, rec.key.as_deref()) {
            return Ok(Verdict::Skip(skip));
        }
        if !self.dlq.in_category(rec) {
            return Ok(Verdict::Skip(Skip::Filtered));
        }
        let count = redrives::read(rec.header_iter());
        if count.unreadable {
            self.redrives.unreadable += 1;
        }
        if count.held_back(
            is_redriving(rec, &self.sel, &is_dlq_header),
            self.sel.max_redrives(),
        ) {
            *self.redrives.held_back.entry(count.times).or_default() += 1;
            if self.redrives.example.is_none() {
                self.redrives.example = Some(rec.source.clone());
            }
            return Ok(Verdict::Skip(Skip::Redriven));
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
                    self.router.partition_counts.insert(t.into(), meta.partitions.len());
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_smaller_limit_wins_and_names_its_setting() {
        assert_eq!(
            effective_limit(1_000_000, Some(1_048_588)).setting,
            SizeSetting::Producer
        );
        assert_eq!(effective_limit(1_000_000, None).bytes, 1_000_000);
        let t = effective_limit(1_000_000, Some(20_000));
        assert_eq!((t.bytes, t.setting), (20_000, SizeSetting::Topic));
        assert!(t
            .describe("orders")
            .contains("max.message.bytes of topic 'orders'"));
        let rec = SourceRecord {
            value: Some(vec![0; 1000]),
            source: "orders/0/7".into(),
            ..SourceRecord::default()
        };
        assert_eq!(produced_size(&rec), 1000 + 10 + PRODUCED_OVERHEAD);
    }
}
