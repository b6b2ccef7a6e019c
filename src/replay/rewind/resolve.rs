//! Turning a rewind request into a plan against the cluster: the group's
//! committed offsets (named partitions, so the mock cluster answers too), the
//! watermarks, each partition's target (a time through the Kafka layer's checked
//! time lookup, explicit offsets, earliest or latest), then one read of the
//! records to reprocess for their distinct keys ([`KeySet`]) and oldest event
//! time. The group's activity is checked first: planning a move of a live group
//! is refused. Nothing is committed here.

use std::collections::{BTreeMap, BTreeSet};

use chrono::{DateTime, Utc};
use rdkafka::Message;

use super::guards::{activity, check_ceiling, check_forward, check_inactive};
use super::plan::{
    counts, Guards, Move, RewindPlan, Totals, Uncommitted, REWIND_PLAN_KIND, REWIND_PLAN_VERSION,
};
use crate::error::{Error, Result};
use crate::kafka::Op;
use crate::kafka::{ClosingConsumer, Committed, Kafka, Lookup, OffsetRange, OffsetsQuery};
use crate::output::Output;
use crate::replay::keyset::KeySet;
use crate::timespec::format_ms;

/// Where each partition goes.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum To {
    /// The first offset at or after the time.
    Time(DateTime<Utc>),
    /// Explicit offsets of the topic's partitions.
    Offsets(Vec<(i32, i64)>),
    Earliest,
    Latest,
    /// Exact offsets per (topic, partition): what `replay undo` puts back, or
    /// where a replay plan starts; `label` says which.
    Exact {
        offsets: BTreeMap<(String, i32), i64>,
        label: String,
    },
}

impl To {
    pub fn describe(&self) -> String {
        match self {
            To::Time(t) => format!(
                "time {}",
                t.to_rfc3339_opts(chrono::SecondsFormat::Millis, true)
            ),
            To::Offsets(o) => format!(
                "offsets {}",
                o.iter()
                    .map(|(p, o)| format!("{p}:{o}"))
                    .collect::<Vec<_>>()
                    .join(",")
            ),
            To::Earliest => "earliest".into(),
            To::Latest => "latest".into(),
            To::Exact { label, .. } => label.clone(),
        }
    }
}

impl To {
    /// Where a replay plan starts reading: the first offset of each partition's
    /// range, so the group reprocesses what the replay would republish.
    pub fn from_replay_plan(
        plan: &crate::replay::plan::Plan,
        path: &std::path::Path,
    ) -> Result<To> {
        let Some(topic) = plan.selection.source_topic() else {
            return Err(Error::usage_hint(
                format!(
                    "replay plan {} reads a file, not a topic: a group has no offsets in it",
                    path.display()
                ),
                "plan the replay from --topic, or give the rewind target directly",
            ));
        };
        let offsets: BTreeMap<(String, i32), i64> = plan
            .ranges
            .iter()
            .filter(|r| r.end > r.start)
            .map(|r| ((topic.to_string(), r.partition), r.start))
            .collect();
        if offsets.is_empty() {
            return Err(Error::usage_hint(
                format!("replay plan {} selects no records", path.display()),
                "widen the replay selection, or give the rewind target directly",
            ));
        }
        Ok(To::Exact {
            offsets,
            label: format!("the start of replay plan {}", plan.hash),
        })
    }
}

/// A rewind to plan.
#[derive(Clone, Debug)]
pub struct Ask {
    pub group: String,
    /// `None`: every topic the group committed on.
    pub topic: Option<String>,
    pub partitions: Option<BTreeSet<i32>>,
    pub to: To,
    pub guards: Guards,
    pub max_records: u64,
    pub undo_of: Option<String>,
}

/// The group's committed offsets on `parts` (topic, partition).
pub fn committed(
    kafka: &Kafka,
    admin: &ClosingConsumer,
    group: &str,
    parts: Option<Vec<(String, i32)>>,
) -> Result<Vec<Committed>> {
    let query = OffsetsQuery {
        group: group.to_string(),
        partitions: parts,
    };
    let what = format!("fetch the committed offsets of group '{group}'");
    kafka
        .committed_offsets(admin, &[query], 1)
        .map_err(|e| kafka.classify_admin(&e, Op::Describe, &what, admin))?
        .pop()
        .expect("one query, one result")
        .map_err(|e| kafka.classify_admin(&e, Op::Describe, &what, admin))
}

fn unknown_group(group: &str, topics: &[String]) -> Error {
    let on = match topics {
        [] => String::new(),
        ts => format!(" on {}", ts.join(", ")),
    };
    Error::usage_hint(
        format!("unknown consumer group '{group}': it has no committed offsets{on}"),
        "check the group name (`kafkaops lag` lists groups); without --topic, brokers that answer only for named partitions (the librdkafka mock cluster) need --topic",
    )
}

pub fn build(kafka: &Kafka, ask: &Ask, now: DateTime<Utc>, out: &Output) -> Result<RewindPlan> {
    let consumer = kafka.consumer(None)?;
    let admin = kafka.admin_client()?;
    let cluster_id = kafka.cluster_id(&consumer);
    let mut notes = Vec::new();
    let act = activity(kafka, &admin, &ask.group)?;
    if let Some(n) = check_inactive(&ask.group, &act, ask.guards.assume_inactive)? {
        notes.push(n);
    }
    let topics: Vec<String> = match (&ask.to, &ask.topic) {
        (To::Exact { offsets: m, .. }, _) => m
            .keys()
            .map(|(t, _)| t.clone())
            .collect::<BTreeSet<_>>()
            .into_iter()
            .collect(),
        (_, Some(t)) => vec![t.clone()],
        (_, None) => {
            let all = committed(kafka, &admin, &ask.group, None)?;
            let ts: BTreeSet<String> = all
                .into_iter()
                .filter(|c| c.offset.is_some())
                .map(|c| c.topic)
                .collect();
            if ts.is_empty() {
                return Err(unknown_group(&ask.group, &[]));
            }
            ts.into_iter().collect()
        }
    };
    // Partitions per topic, from metadata (an unknown topic is an error here).
    let mut parts: BTreeMap<String, Vec<i32>> = BTreeMap::new();
    for t in &topics {
        let meta = kafka.topic_with(&consumer, t)?;
        let all = meta.partition_ids();
        let count = all.len();
        let hint = || {
            format!(
                "'{t}' has {count} partitions (0-{})",
                count.saturating_sub(1)
            )
        };
        let chosen: Vec<i32> = match (&ask.to, &ask.partitions) {
            (To::Exact { offsets: m, .. }, _) => m
                .keys()
                .filter(|(mt, _)| mt == t)
                .map(|(_, p)| *p)
                .collect(),
            (To::Offsets(os), _) => {
                if let Some((bad, _)) = os.iter().find(|(p, _)| !all.contains(p)) {
                    return Err(Error::usage_hint(
                        format!("--to-offsets names partition {bad}, which does not exist on topic '{t}'"),
                        hint(),
                    ));
                }
                os.iter().map(|(p, _)| *p).collect()
            }
            (_, Some(ps)) => {
                if let Some(bad) = ps.iter().find(|p| !all.contains(p)) {
                    return Err(Error::usage_hint(
                        format!("partition {bad} does not exist on topic '{t}'"),
                        hint(),
                    ));
                }
                ps.iter().copied().collect()
            }
            _ => all,
        };
        parts.insert(t.clone(), chosen);
    }
    let named: Vec<(String, i32)> = parts
        .iter()
        .flat_map(|(t, ps)| ps.iter().map(move |p| (t.clone(), *p)))
        .collect();
    let found = committed(kafka, &admin, &ask.group, Some(named))?;
    if let Some(c) = found.iter().find(|c| c.error.is_some()) {
        return Err(Error::broker(
            format!(
                "cannot read the committed offset of group '{}' on {}[{}]: {}",
                ask.group,
                c.topic,
                c.partition,
                c.error.as_ref().expect("found")
            ),
            None,
        ));
    }
    let offset_of = |t: &str, p: i32| {
        found
            .iter()
            .find(|c| c.topic == t && c.partition == p)
            .and_then(|c| c.offset)
    };
    if !found.iter().any(|c| c.offset.is_some()) {
        return Err(unknown_group(&ask.group, &topics));
    }

    let mut moves = Vec::new();
    let mut uncommitted = Vec::new();
    for (topic, ids) in &parts {
        let wms = kafka.watermarks(&consumer, topic, ids)?;
        let targets = targets(kafka, &consumer, topic, &wms, &ask.to, &mut notes, out)?;
        for w in &wms {
            let committed = offset_of(topic, w.partition);
            if committed.is_none() && !ask.guards.include_uncommitted {
                uncommitted.push(Uncommitted {
                    topic: topic.clone(),
                    partition: w.partition,
                });
                continue;
            }
            let target = targets[&w.partition];
            let (reprocess, skip) = counts(committed, target, w.low, w.high);
            moves.push(Move {
                topic: topic.clone(),
                partition: w.partition,
                committed,
                target,
                log_start: w.low,
                log_end: w.high,
                reprocess,
                skip,
                oldest_timestamp_ms: None,
                distinct_keys: 0,
                null_keys: 0,
            });
        }
    }
    if moves.is_empty() {
        return Err(Error::usage_hint(
            format!(
                "group '{}' never committed on the selected partitions; nothing to move",
                ask.group
            ),
            "pass --include-uncommitted to set offsets where the group has none",
        ));
    }
    if !uncommitted.is_empty() {
        notes.push(format!(
            "group '{}' never committed on {}: left alone (--include-uncommitted moves them too)",
            ask.group,
            uncommitted
                .iter()
                .map(|u| format!("{}[{}]", u.topic, u.partition))
                .collect::<Vec<_>>()
                .join(", ")
        ));
    }
    let mut plan = RewindPlan {
        kind: REWIND_PLAN_KIND.into(),
        version: REWIND_PLAN_VERSION,
        created_at: now,
        cluster_id,
        group: ask.group.clone(),
        target: ask.to.describe(),
        undo_of: ask.undo_of.clone(),
        moves,
        uncommitted,
        totals: Totals::default(),
        guards: ask.guards,
        notes,
        hash: String::new(),
    };
    check_forward(&plan)?;
    let reprocess: u64 = plan.moves.iter().map(|m| m.reprocess).sum();
    // Before reading them: the ceiling also bounds what planning reads.
    check_ceiling(reprocess, ask.max_records)?;
    plan.totals = read_blast_radius(kafka, &mut plan.moves, out)?;
    Ok(plan.seal())
}

/// Each partition's target offset, within `[low, high]`.
fn targets(
    kafka: &Kafka,
    consumer: &ClosingConsumer,
    topic: &str,
    wms: &[crate::kafka::Watermarks],
    to: &To,
    notes: &mut Vec<String>,
    out: &Output,
) -> Result<BTreeMap<i32, i64>> {
    let mut t = BTreeMap::new();
    match to {
        To::Earliest => t.extend(wms.iter().map(|w| (w.partition, w.low))),
        To::Latest => t.extend(wms.iter().map(|w| (w.partition, w.high))),
        To::Offsets(os) => {
            for (p, o) in os {
                let w = wms
                    .iter()
                    .find(|w| w.partition == *p)
                    .expect("watermarks of each");
                check_in_log(topic, *p, *o, w.low, w.high)?;
                t.insert(*p, *o);
            }
        }
        To::Exact { offsets: m, .. } => {
            for w in wms {
                let o = m[&(topic.to_string(), w.partition)];
                check_in_log(topic, w.partition, o, w.low, w.high)?;
                t.insert(w.partition, o);
            }
        }
        To::Time(at) => {
            let ms = at.timestamp_millis().max(0);
            let found = kafka.offsets_at_time(consumer, topic, wms, ms)?;
            let searched: Vec<String> = found
                .iter()
                .filter(|f| f.lookup == Lookup::Search)
                .map(|f| f.partition.to_string())
                .collect();
            if !searched.is_empty() {
                let n = format!(
                    "the broker could not answer offsets-for-times for {topic}[{}]; found the targets by a binary search over record timestamps",
                    searched.join(",")
                );
                out.note(&n);
                notes.push(n);
            }
            t.extend(found.iter().map(|f| (f.partition, f.offset)));
            // A time before the log start lands on the log start: say so.
            let at_start: Vec<(i32, i64)> = wms
                .iter()
                .filter(|w| !w.is_empty() && t[&w.partition] == w.low)
                .map(|w| (w.partition, w.low))
                .collect();
            if !at_start.is_empty() {
                let seen = kafka.point_reader()?.read_all(topic, &at_start)?;
                for (p, low) in at_start {
                    if let Some(first) = seen.get(&(p, low)).and_then(|pt| pt.timestamp_ms()) {
                        if first > ms {
                            notes.push(format!(
                                "{} is before the log start of {topic}[{p}] (its earliest record is from {}): the target is the log start, offset {low}",
                                format_ms(ms).unwrap_or_else(|| ms.to_string()),
                                format_ms(first).unwrap_or_else(|| first.to_string())
                            ));
                        }
                    }
                }
            }
        }
    }
    Ok(t)
}

fn check_in_log(topic: &str, p: i32, o: i64, low: i64, high: i64) -> Result<()> {
    if o < low || o > high {
        return Err(Error::usage_hint(
            format!("offset {o} on {topic}[{p}] is out of range: the log holds offsets {low} to {high} (its end)"),
            format!("choose an offset from {low} to {high}, or --to-earliest / --to-latest"),
        ));
    }
    Ok(())
}

/// Read the records each move reprocesses once: distinct keys per partition and
/// in total, and the oldest event time.
fn read_blast_radius(kafka: &Kafka, moves: &mut [Move], out: &Output) -> Result<Totals> {
    let mut all = KeySet::default();
    let mut totals = Totals {
        partitions: moves.len() as u64,
        reprocess: moves.iter().map(|m| m.reprocess).sum(),
        skip: moves.iter().map(|m| m.skip).sum(),
        ..Default::default()
    };
    let bar = out.progress(Some(totals.reprocess), "reading the records to reprocess");
    let topics: BTreeSet<String> = moves.iter().map(|m| m.topic.clone()).collect();
    for topic in topics {
        let ranges: Vec<OffsetRange> = moves
            .iter()
            .filter(|m| m.topic == topic && m.reprocess > 0)
            .map(|m| {
                let (start, end) = m.reprocess_range();
                OffsetRange {
                    partition: m.partition,
                    start,
                    end,
                }
            })
            .collect();
        if ranges.is_empty() {
            continue;
        }
        let mut keys: BTreeMap<i32, KeySet> = BTreeMap::new();
        let mut stream = kafka.stream(&topic, &ranges)?;
        while let Some(r) = stream.next_record()? {
            let Some(m) = moves
                .iter_mut()
                .find(|m| m.topic == topic && m.partition == r.partition())
            else {
                continue;
            };
            match r.key() {
                Some(k) => {
                    keys.entry(m.partition).or_default().insert(k);
                    all.insert(k);
                }
                None => m.null_keys += 1,
            }
            if let Some(ts) = r.timestamp().to_millis() {
                m.oldest_timestamp_ms = Some(m.oldest_timestamp_ms.map_or(ts, |o| o.min(ts)));
            }
            bar.inc(1);
        }
        for m in moves.iter_mut().filter(|m| m.topic == topic) {
            m.distinct_keys = keys.get(&m.partition).map_or(0, |k| k.len() as u64);
        }
    }
    bar.finish_and_clear();
    totals.distinct_keys = all.len() as u64;
    totals.null_keys = moves.iter().map(|m| m.null_keys).sum();
    totals.oldest_timestamp_ms = moves.iter().filter_map(|m| m.oldest_timestamp_ms).min();
    Ok(totals)
}
