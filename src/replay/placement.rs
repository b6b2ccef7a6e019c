//! Partition fidelity: where a replayed record lands relative to the partition it
//! came from (its source partition, or on redrive the original partition its DLQ
//! headers name), the operator's `--placement` choice for records whose partition
//! the destination lacks, and the per-original-partition table a plan carries.
//!
//! A replay keeps each record's partition. When the destination lacks it (headers
//! name partitions 0-5, the topic has 4), keeping is impossible and any placement
//! breaks per-key order against the records already there, so the plan is refused
//! until the operator picks one of [`Placement`]. A redriven record whose
//! original-partition header is absent or unreadable has no partition to keep: it
//! is placed by key hash, counted, and the plan warns about it.

use std::collections::BTreeMap;
use std::sync::Arc;

use serde::{Deserialize, Serialize};

use super::partitioner::Partitioner;
use super::plan::Plan;
use crate::app::Context;
use crate::error::{Error, Result};
use crate::output::OutputFormat;

/// `--placement`: what to do with records whose original partition the
/// destination does not have. Records whose partition exists keep it, except
/// under `key`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Placement {
    /// Keep the partition where the destination has it; place the others by key
    /// with `--partitioner` (murmur2 by default), keyless ones in partition
    /// `original % partitions`.
    Keep,
    /// Place every keyed record by key with `--partitioner` (murmur2 by default),
    /// where new records of that key go; keyless records keep their partition
    /// where it exists, else `original % partitions`.
    Key,
    /// Move each missing partition as a whole to partition `original % partitions`,
    /// keyed or not: a partition's records stay together and in order.
    Fold,
}

impl Placement {
    pub fn name(self) -> &'static str {
        match self {
            Placement::Keep => "keep",
            Placement::Key => "key",
            Placement::Fold => "fold",
        }
    }
}

/// The placement in effect: the one asked for, or `key` when only
/// `--partitioner` was given (it always meant placing keyed records by key).
pub fn effective(
    placement: Option<Placement>,
    partitioner: Option<Partitioner>,
) -> Option<Placement> {
    placement.or(partitioner.map(|_| Placement::Key))
}

/// The destination partition of one record. `original` is `None` when the record's
/// partition is unknown (a redrive without a readable original-partition header).
pub fn place(
    placement: Option<Placement>,
    partitioner: Option<Partitioner>,
    key: Option<&[u8]>,
    original: Option<i32>,
    partitions: usize,
) -> i32 {
    let n = partitions.max(1);
    let by_key = partitioner.unwrap_or(Partitioner::Murmur2);
    let exists = original.filter(|p| (*p as usize) < n);
    let fold = |p: i32| (p as usize % n) as i32;
    match (placement, key, exists, original) {
        (Some(Placement::Key), Some(k), _, _) => by_key.partition(k, n),
        (_, _, Some(p), _) => p,
        (Some(Placement::Fold), _, None, Some(p)) => fold(p),
        (_, Some(k), None, _) => by_key.partition(k, n),
        (_, None, None, Some(p)) => fold(p),
        (_, None, None, None) => 0,
    }
}

/// One destination topic's counts, indexed by original partition: (records, moved).
type Rows = Vec<(u64, u64)>;

/// Counts placements as records are routed (cheap: no hashing per record).
#[derive(Clone, Debug, Default)]
pub struct PlacementTally {
    topics: Vec<(Arc<str>, Rows)>,
    unknown: BTreeMap<Arc<str>, u64>,
    corrupt: BTreeMap<Arc<str>, u64>,
}

impl PlacementTally {
    pub fn add(&mut self, topic: &Arc<str>, original: Option<i32>, corrupt: bool, placed: i32) {
        self.add_many(topic, original, corrupt, placed, 1);
    }

    /// `records` records alike, counted at once (a plan counted from offsets
    /// places a whole range the same way).
    pub fn add_many(
        &mut self,
        topic: &Arc<str>,
        original: Option<i32>,
        corrupt: bool,
        placed: i32,
        records: u64,
    ) {
        let Some(p) = original.filter(|p| *p >= 0) else {
            let bucket = if corrupt {
                &mut self.corrupt
            } else {
                &mut self.unknown
            };
            *bucket.entry(topic.clone()).or_default() += records;
            return;
        };
        let rows = self.rows(topic);
        let p = p as usize;
        if rows.len() <= p {
            rows.resize(p + 1, (0, 0));
        }
        rows[p].0 += records;
        if placed as usize != p {
            rows[p].1 += records;
        }
    }

    /// The rows of one topic (a linear search: a plan names few topics).
    fn rows(&mut self, topic: &Arc<str>) -> &mut Rows {
        let i = match self
            .topics
            .iter()
            .position(|(t, _)| Arc::ptr_eq(t, topic) || t == topic)
        {
            Some(i) => i,
            None => {
                self.topics.push((topic.clone(), Vec::new()));
                self.topics.len() - 1
            }
        };
        &mut self.topics[i].1
    }

    /// Fold in another reader's counts.
    pub fn merge(&mut self, other: PlacementTally) {
        for (topic, t) in other.topics {
            let rows = self.rows(&topic);
            if rows.len() < t.len() {
                rows.resize(t.len(), (0, 0));
            }
            for (mine, (records, moved)) in rows.iter_mut().zip(t) {
                mine.0 += records;
                mine.1 += moved;
            }
        }
        for (t, n) in other.unknown {
            *self.unknown.entry(t).or_default() += n;
        }
        for (t, n) in other.corrupt {
            *self.corrupt.entry(t).or_default() += n;
        }
    }

    /// The plan's table, given the destination topics' partition counts.
    pub fn report(&self, partition_counts: &BTreeMap<Arc<str>, usize>) -> PlacementReport {
        let mut partitions = Vec::new();
        for (topic, t) in &self.topics {
            let count = partition_counts.get(topic).copied().unwrap_or_default();
            for (p, (records, moved)) in t.iter().enumerate() {
                if *records == 0 {
                    continue;
                }
                partitions.push(OriginPartition {
                    topic: topic.to_string(),
                    partition: p as i32,
                    exists: p < count,
                    destination_partitions: count as u64,
                    records: *records,
                    moved: *moved,
                });
            }
        }
        partitions.sort_by(|a, b| (&a.topic, a.partition).cmp(&(&b.topic, b.partition)));
        let by_topic = |m: &BTreeMap<Arc<str>, u64>| -> BTreeMap<String, u64> {
            m.iter().map(|(t, n)| (t.to_string(), *n)).collect()
        };
        PlacementReport {
            moved: partitions.iter().map(|p| p.moved).sum(),
            partitions,
            unknown_partition: by_topic(&self.unknown),
            corrupt_partition: by_topic(&self.corrupt),
        }
    }
}

/// One original partition of one destination topic, as the plan shows it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct OriginPartition {
    pub topic: String,
    /// The source partition, or on redrive the original partition from the DLQ headers.
    pub partition: i32,
    /// Whether the destination topic has this partition.
    pub exists: bool,
    /// How many partitions the destination topic has.
    pub destination_partitions: u64,
    pub records: u64,
    /// Records that land in another partition than this one.
    pub moved: u64,
}

/// Where the plan's records land relative to their original partitions.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct PlacementReport {
    pub partitions: Vec<OriginPartition>,
    /// Records placed in another partition than their original one.
    pub moved: u64,
    /// Redriven records without an original-partition header, per destination
    /// topic: placed by key hash.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub unknown_partition: BTreeMap<String, u64>,
    /// Redriven records whose original-partition header cannot be read, per
    /// destination topic: placed by key hash.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub corrupt_partition: BTreeMap<String, u64>,
}

impl PlacementReport {
    pub fn is_empty(&self) -> bool {
        *self == PlacementReport::default()
    }

    fn missing(&self) -> impl Iterator<Item = &OriginPartition> {
        self.partitions.iter().filter(|p| !p.exists)
    }
}

/// Refuse a plan that moves records out of partitions the destination lacks
/// when no placement was chosen.
pub fn check(plan: &Plan) -> Result<()> {
    let sel = &plan.selection;
    let report = &plan.placement;
    if effective(sel.placement, sel.partitioner).is_some() || report.moved == 0 {
        return Ok(());
    }
    let missing: Vec<String> = report
        .missing()
        .map(|p| format!("{}[{}] ({} records)", p.topic, p.partition, p.records))
        .collect();
    let narrow: BTreeMap<&str, u64> = report
        .missing()
        .map(|p| (p.topic.as_str(), p.destination_partitions))
        .collect();
    let narrow: Vec<String> = narrow
        .iter()
        .map(|(t, n)| format!("'{t}' has {n}"))
        .collect();
    Err(Error::usage_hint(
        format!(
            "refusing to move {} records out of their original partition: {} {} not exist in the destination ({})",
            report.moved,
            missing.join(", "),
            if missing.len() == 1 { "does" } else { "do" },
            narrow.join(", ")
        ),
        "choose a placement for them: --placement keep (keep the partition where it exists, place the others by key), \
         --placement key (place every keyed record by key with --partitioner), or --placement fold (move each missing partition whole to partition N mod count)",
    ))
}

/// The plan's placement section: the table, and warnings for records placed by
/// key hash because their original partition is unknown.
pub fn print_section(plan: &Plan, ctx: &Context) -> Result<()> {
    let report = &plan.placement;
    warn_unplaceable(report, ctx);
    // When every original partition exists and nothing moves, the summary's
    // "partitions" line says all there is.
    let nothing_to_show = report.moved == 0 && report.partitions.iter().all(|p| p.exists);
    if ctx.out.format == OutputFormat::Json || nothing_to_show {
        return Ok(());
    }
    let mut t = ctx
        .out
        .table(["ORIGINAL PARTITION", "IN DESTINATION", "RECORDS", "MOVED"]);
    for p in &report.partitions {
        t.add_row(vec![
            format!("{}[{}]", p.topic, p.partition),
            if p.exists {
                "yes".to_string()
            } else {
                format!("no ({} partitions)", p.destination_partitions)
            },
            p.records.to_string(),
            p.moved.to_string(),
        ]);
    }
    ctx.out.print_table(&t)?;
    let sel = &plan.selection;
    let how = match effective(sel.placement, sel.partitioner) {
        Some(p) => format!("placement {}", p.name()),
        None => "placement: original partitions only".to_string(),
    };
    ctx.out.write_stdout(&format!(
        "{how}; {} of {} records move to another partition\n",
        report.moved, plan.records
    ))
}

/// One line for the run's summary: how many records move, under which placement.
pub fn summary(plan: &Plan) -> String {
    let sel = &plan.selection;
    let how =
        effective(sel.placement, sel.partitioner).map_or("original partitions", Placement::name);
    let r = &plan.placement;
    let unknown: u64 = r
        .unknown_partition
        .values()
        .chain(r.corrupt_partition.values())
        .sum();
    let mut line = format!("{} of {} records move ({how})", r.moved, plan.records);
    if unknown > 0 {
        line.push_str(&format!(
            ", {unknown} placed by key hash (original partition unknown)"
        ));
    }
    line
}

fn warn_unplaceable(report: &PlacementReport, ctx: &Context) {
    for (topic, n) in &report.corrupt_partition {
        ctx.out.warn(&format!(
            "{n} record(s) for '{topic}' have an original-partition header that cannot be read: they are placed by key hash"
        ));
    }
    for (topic, n) in &report.unknown_partition {
        ctx.out.warn(&format!(
            "{n} record(s) for '{topic}' have no original-partition header: they are placed by key hash"
        ));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const M: Option<Partitioner> = None;

    #[test]
    fn existing_partitions_are_kept_unless_placing_by_key() {
        for choice in [None, Some(Placement::Keep), Some(Placement::Fold)] {
            assert_eq!(place(choice, M, Some(b"k"), Some(3), 4), 3);
            assert_eq!(place(choice, M, None, Some(3), 4), 3);
        }
        let k = Partitioner::Murmur2.partition(b"21", 4);
        assert_eq!(place(Some(Placement::Key), M, Some(b"21"), Some(3), 4), k);
        let c = Partitioner::Crc32.partition(b"21", 4);
        assert_eq!(
            place(
                Some(Placement::Key),
                Some(Partitioner::Crc32),
                Some(b"21"),
                Some(3),
                4
            ),
            c
        );
        // Keyless records have no key to place by.
        assert_eq!(place(Some(Placement::Key), M, None, Some(3), 4), 3);
        assert_eq!(place(Some(Placement::Key), M, None, Some(5), 4), 1);
    }

    #[test]
    fn missing_partitions_go_by_key_or_fold() {
        let k = Partitioner::Murmur2.partition(b"21", 4);
        assert_eq!(place(Some(Placement::Keep), M, Some(b"21"), Some(5), 4), k);
        assert_eq!(place(None, M, Some(b"21"), Some(5), 4), k);
        assert_eq!(place(Some(Placement::Keep), M, None, Some(5), 4), 1);
        assert_eq!(place(Some(Placement::Fold), M, Some(b"21"), Some(5), 4), 1);
        assert_eq!(place(Some(Placement::Fold), M, None, Some(4), 4), 0);
        // Unknown partition: by key, keyless to 0.
        assert_eq!(place(Some(Placement::Fold), M, Some(b"21"), None, 4), k);
        assert_eq!(place(None, M, None, None, 4), 0);
    }

    #[test]
    fn the_tally_counts_moves_per_original_partition() {
        let topic: Arc<str> = "orders".into();
        let mut a = PlacementTally::default();
        a.add(&topic, Some(1), false, 1);
        a.add(&topic, Some(5), false, 2);
        a.add(&topic, None, true, 0);
        let mut b = PlacementTally::default();
        b.add(&topic, Some(5), false, 1);
        b.add(&topic, None, false, 3);
        a.merge(b);
        let r = a.report(&[(topic.clone(), 4usize)].into());
        assert_eq!(r.moved, 2);
        assert_eq!(
            r.partitions
                .iter()
                .map(|p| (p.partition, p.exists, p.records, p.moved))
                .collect::<Vec<_>>(),
            vec![(1, true, 1, 0), (5, false, 2, 2)]
        );
        assert_eq!(r.corrupt_partition["orders"], 1);
        assert_eq!(r.unknown_partition["orders"], 1);
    }

    #[test]
    fn only_partitioner_means_placing_by_key() {
        assert_eq!(effective(None, None), None);
        assert_eq!(
            effective(None, Some(Partitioner::Crc32)),
            Some(Placement::Key)
        );
        assert_eq!(
            effective(Some(Placement::Fold), Some(Partitioner::Crc32)),
            Some(Placement::Fold)
        );
    }
}
