//! Streaming aggregation of classified records into categories with flat
//! memory: each category keeps counters, first/last times, capped sets of
//! original topics, partitions, groups and conventions, two example
//! coordinates, an approximate distinct-key counter (exact up to
//! [`super::counters::EXACT_KEYS`] keys, HyperLogLog beyond), and how often its
//! records were already redriven by kafkaops ([`crate::replay::redrives`]). The number of categories is capped;
//! records of categories beyond the cap go to an explicit overflow bucket.

use std::collections::BTreeMap;

use rustc_hash::FxHashMap;
use serde::Serialize;

use super::category::{owned_values, Classified, Dimension, RecordParts};
use super::conventions::encoding_of;
use super::counters::{CappedSet, DistinctCounter};
use super::normalize::truncate_chars;
use crate::replay::redrives::{self, RedriveCount, H_REDRIVES};

/// Examples kept per category.
pub const EXAMPLES: usize = 2;
/// Distinct warnings kept (each with a count and an example).
const MAX_WARNINGS: usize = 100;
/// Redrive counts at or above this share one histogram bucket ("10 or more").
pub const REDRIVE_HISTOGRAM_TOP: u32 = 10;
/// Characters of the raw reason kept in an example.
const EXAMPLE_REASON_CHARS: usize = 300;

/// Where to find one record of a category.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Example {
    pub partition: i32,
    pub offset: i64,
    pub timestamp_ms: Option<i64>,
    /// The raw (not normalised) reason, cut to 300 characters.
    pub reason: Option<String>,
}

/// Aggregated facts of one category.
#[derive(Clone, Debug)]
pub struct CategoryStats {
    pub id: String,
    pub values: Vec<(Dimension, Option<String>)>,
    pub count: u64,
    pub tombstones: u64,
    pub null_keys: u64,
    pub without_timestamp: u64,
    pub first_ms: Option<i64>,
    pub last_ms: Option<i64>,
    /// Records covered by a handled mark; the rest are open.
    pub handled: u64,
    /// Dead-lettered time of the oldest open record.
    pub first_open_ms: Option<i64>,
    pub keys: DistinctCounter,
    pub exceptions: CappedSet<String>,
    pub causes: CappedSet<String>,
    pub reasons: CappedSet<String>,
    pub conventions: CappedSet<String>,
    pub original_topics: CappedSet<String>,
    pub original_partitions: CappedSet<i32>,
    pub groups: CappedSet<String>,
    pub stages: CappedSet<String>,
    pub dlq_partitions: CappedSet<i32>,
    pub max_hops: usize,
    pub max_attempts: Option<i64>,
    pub records_with_warnings: u64,
    /// Records already redriven by kafkaops at least once, the most times seen,
    /// and records by redrive count (capped at [`REDRIVE_HISTOGRAM_TOP`]).
    pub redriven: u64,
    pub max_redrives: u32,
    pub redrive_histogram: BTreeMap<u32, u64>,
    pub examples: Vec<Example>,
}

impl CategoryStats {
    pub fn open(&self) -> u64 {
        self.count - self.handled
    }

    /// Distinct keys, never more than the records with a key (a HyperLogLog
    /// estimate alone can exceed them by its error).
    pub fn distinct_keys(&self) -> u64 {
        self.keys.count().min(self.count - self.null_keys)
    }

    fn new(id: String, values: Vec<(Dimension, Option<String>)>) -> Self {
        CategoryStats {
            id,
            values,
            count: 0,
            tombstones: 0,
            null_keys: 0,
            without_timestamp: 0,
            first_ms: None,
            last_ms: None,
            handled: 0,
            first_open_ms: None,
            keys: DistinctCounter::default(),
            exceptions: CappedSet::new(5),
            causes: CappedSet::new(5),
            reasons: CappedSet::new(5),
            conventions: CappedSet::new(10),
            original_topics: CappedSet::new(10),
            original_partitions: CappedSet::new(64),
            groups: CappedSet::new(10),
            stages: CappedSet::new(10),
            dlq_partitions: CappedSet::new(64),
            max_hops: 0,
            max_attempts: None,
            records_with_warnings: 0,
            redriven: 0,
            max_redrives: 0,
            redrive_histogram: BTreeMap::new(),
            examples: Vec::new(),
        }
    }

    /// The value of a grouping dimension, when the category is grouped by it.
    pub fn value(&self, d: Dimension) -> Option<Option<&str>> {
        self.values
            .iter()
            .find(|(x, _)| *x == d)
            .map(|(_, v)| v.as_deref())
    }

    fn add(&mut self, rec: &Observation<'_>, c: &Classified, redrives: RedriveCount) {
        self.count += 1;
        if redrives.times > 0 {
            self.redriven += 1;
            self.max_redrives = self.max_redrives.max(redrives.times);
            *self
                .redrive_histogram
                .entry(redrives.times.min(REDRIVE_HISTOGRAM_TOP))
                .or_default() += 1;
        }
        if rec.parts.value.is_none() {
            self.tombstones += 1;
        }
        match rec.parts.key {
            Some(k) => self.keys.insert(k),
            None => self.null_keys += 1,
        }
        if rec.handled {
            self.handled += 1;
        } else {
            self.first_open_ms = min_some(self.first_open_ms, rec.timestamp_ms);
        }
        match rec.timestamp_ms {
            Some(t) => {
                self.first_ms = Some(self.first_ms.map_or(t, |f| f.min(t)));
                self.last_ms = Some(self.last_ms.map_or(t, |l| l.max(t)));
            }
            None => self.without_timestamp += 1,
        }
        let f = &c.failure;
        if let Some(e) = &f.exception {
            self.exceptions.add_ref(&**e);
        }
        if let Some(e) = &f.cause {
            self.causes.add_ref(&**e);
        }
        if let Some(r) = &c.normalized_reason {
            self.reasons.add_ref(&**r);
        }
        self.conventions
            .add_ref(f.convention.map_or("none", |c| c.as_str()));
        if let Some(t) = &f.origin.topic {
            self.original_topics.add_ref(&**t);
        }
        if let Some(p) = f.origin.partition {
            self.original_partitions.add(p);
        }
        if let Some(g) = &f.origin.consumer_group {
            self.groups.add_ref(&**g);
        } else if let Some(c) = &f.connector {
            self.groups.add(format!("connector:{c}"));
        }
        if let Some(s) = &f.stage {
            self.stages.add_ref(&**s);
        }
        self.dlq_partitions.add(rec.parts.partition);
        self.max_hops = self.max_hops.max(f.hops);
        if let Some(a) = f.attempts {
            self.max_attempts = Some(self.max_attempts.map_or(a, |m| m.max(a)));
        }
        if !f.warnings.is_empty() {
            self.records_with_warnings += 1;
        }
        let rank = example_rank(rec.timestamp_ms, rec.parts.partition, rec.offset);
        let worst = self.examples.iter().map(Example::rank).max();
        if self.examples.len() < EXAMPLES || worst.is_some_and(|w| rank < w) {
            self.keep_example(Example {
                partition: rec.parts.partition,
                offset: rec.offset,
                timestamp_ms: rec.timestamp_ms,
                reason: f
                    .reason
                    .as_deref()
                    .map(|r| truncate_chars(r, EXAMPLE_REASON_CHARS).to_string()),
            });
        }
    }

    /// Keep `e` if it is among the [`EXAMPLES`] earliest records seen.
    fn keep_example(&mut self, e: Example) {
        self.examples.push(e);
        self.examples.sort_by_key(Example::rank);
        self.examples.truncate(EXAMPLES);
    }

    /// Fold in the statistics of the same category from another lane.
    fn merge(&mut self, o: CategoryStats) {
        self.count += o.count;
        self.tombstones += o.tombstones;
        self.null_keys += o.null_keys;
        self.without_timestamp += o.without_timestamp;
        self.first_ms = min_some(self.first_ms, o.first_ms);
        self.handled += o.handled;
        self.first_open_ms = min_some(self.first_open_ms, o.first_open_ms);
        self.last_ms = self.last_ms.max(o.last_ms);
        self.keys.merge(o.keys);
        self.exceptions.merge(o.exceptions);
        self.causes.merge(o.causes);
        self.reasons.merge(o.reasons);
        self.conventions.merge(o.conventions);
        self.original_topics.merge(o.original_topics);
        self.original_partitions.merge(o.original_partitions);
        self.groups.merge(o.groups);
        self.stages.merge(o.stages);
        self.dlq_partitions.merge(o.dlq_partitions);
        self.max_hops = self.max_hops.max(o.max_hops);
        self.max_attempts = self.max_attempts.max(o.max_attempts);
        self.records_with_warnings += o.records_with_warnings;
        self.redriven += o.redriven;
        self.max_redrives = self.max_redrives.max(o.max_redrives);
        for (times, n) in o.redrive_histogram {
            *self.redrive_histogram.entry(times).or_default() += n;
        }
        for e in o.examples {
            self.keep_example(e);
        }
    }
}

fn min_some(a: Option<i64>, b: Option<i64>) -> Option<i64> {
    match (a, b) {
        (Some(x), Some(y)) => Some(x.min(y)),
        (x, None) => x,
        (None, y) => y,
    }
}

/// Examples are the earliest dead letters (records without a timestamp last),
/// then by coordinates: the same whatever order the partitions were read in.
fn example_rank(timestamp_ms: Option<i64>, partition: i32, offset: i64) -> (i64, i32, i64) {
    (timestamp_ms.unwrap_or(i64::MAX), partition, offset)
}

impl Example {
    fn rank(&self) -> (i64, i32, i64) {
        example_rank(self.timestamp_ms, self.partition, self.offset)
    }
}

/// One record as the aggregator sees it.
pub struct Observation<'a> {
    pub parts: RecordParts<'a>,
    pub offset: i64,
    pub timestamp_ms: Option<i64>,
    /// A handled mark covers the record ([`super::handled`]).
    pub handled: bool,
}

/// Facts about the scanned records as a whole: unusual input is counted here
/// so that nothing is silently dropped.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct RecordFacts {
    pub records: u64,
    pub tombstones: u64,
    pub null_keys: u64,
    pub non_utf8_keys: u64,
    pub non_utf8_values: u64,
    pub non_utf8_header_values: u64,
    pub duplicate_header_names: u64,
    /// Headers left out because their name is not UTF-8 (rdkafka cannot read them).
    pub unreadable_header_names: u64,
    pub without_timestamp: u64,
    pub records_with_warnings: u64,
    pub largest_header_bytes: usize,
    pub largest_value_bytes: usize,
}

impl RecordFacts {
    fn merge(&mut self, o: &RecordFacts) {
        self.records += o.records;
        self.tombstones += o.tombstones;
        self.null_keys += o.null_keys;
        self.non_utf8_keys += o.non_utf8_keys;
        self.non_utf8_values += o.non_utf8_values;
        self.non_utf8_header_values += o.non_utf8_header_values;
        self.duplicate_header_names += o.duplicate_header_names;
        self.unreadable_header_names += o.unreadable_header_names;
        self.without_timestamp += o.without_timestamp;
        self.records_with_warnings += o.records_with_warnings;
        self.largest_header_bytes = self.largest_header_bytes.max(o.largest_header_bytes);
        self.largest_value_bytes = self.largest_value_bytes.max(o.largest_value_bytes);
    }
}

/// A distinct decoding problem, with how often it occurred and where first.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct WarningStats {
    pub message: String,
    pub count: u64,
    pub example_partition: i32,
    pub example_offset: i64,
}

impl WarningStats {
    /// The example is the record with the smallest coordinates: the same whatever
    /// order the partitions were read in.
    fn keep_example(&mut self, partition: i32, offset: i64) {
        if (partition, offset) < (self.example_partition, self.example_offset) {
            self.example_partition = partition;
            self.example_offset = offset;
        }
    }
}

/// Replace the content of `'...'` literals with `…`.
fn mask_quoted(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut inside = false;
    for ch in s.chars() {
        if ch == '\'' {
            if inside {
                out.push('…');
            }
            inside = !inside;
            out.push(ch);
        } else if !inside {
            out.push(ch);
        }
    }
    out
}

/// The streaming aggregator (`Clone`: `serve` reports from a copy and keeps
/// counting into the original).
#[derive(Clone)]
pub struct Aggregator {
    max_categories: usize,
    categories: FxHashMap<String, CategoryStats>,
    overflow: Option<CategoryStats>,
    overflow_ids: DistinctCounter,
    warnings: BTreeMap<String, WarningStats>,
    warnings_dropped: u64,
    pub facts: RecordFacts,
}

/// The result of a scan.
pub struct Aggregate {
    /// Categories by descending count, then ID.
    pub categories: Vec<CategoryStats>,
    /// Records of categories beyond `--max-categories`, and how many distinct
    /// categories they belonged to (approximate when large).
    pub overflow: Option<(CategoryStats, u64)>,
    pub warnings: Vec<WarningStats>,
    pub warnings_dropped: u64,
    pub facts: RecordFacts,
}

impl Aggregator {
    pub fn new(max_categories: usize) -> Self {
        Aggregator {
            max_categories: max_categories.max(1),
            categories: FxHashMap::default(),
            overflow: None,
            overflow_ids: DistinctCounter::default(),
            warnings: BTreeMap::new(),
            warnings_dropped: 0,
            facts: RecordFacts::default(),
        }
    }

    pub fn add(&mut self, rec: &Observation<'_>, c: &Classified) {
        self.observe_facts(rec, c);
        let rd = redrives::read(rec.parts.headers.iter().copied());
        if rd.unreadable {
            self.warn(
                format!("header '{H_REDRIVES}': not a redrive count (counted as redriven once)"),
                rec.parts.partition,
                rec.offset,
            );
        }
        if let Some(stats) = self.categories.get_mut(&c.id) {
            stats.add(rec, c, rd);
        } else if self.categories.len() < self.max_categories {
            let mut s = CategoryStats::new(c.id.clone(), owned_values(&c.values));
            s.add(rec, c, rd);
            self.categories.insert(c.id.clone(), s);
        } else {
            self.overflow_ids.insert(c.id.as_bytes());
            self.overflow
                .get_or_insert_with(|| {
                    let values = c.values.iter().map(|(d, _)| (*d, None)).collect();
                    CategoryStats::new("overflow".into(), values)
                })
                .add(rec, c, rd);
        }
    }

    fn observe_facts(&mut self, rec: &Observation<'_>, c: &Classified) {
        let f = &mut self.facts;
        let p = &rec.parts;
        f.records += 1;
        match p.value {
            None => f.tombstones += 1,
            Some(v) => {
                f.largest_value_bytes = f.largest_value_bytes.max(v.len());
                if std::str::from_utf8(v).is_err() {
                    f.non_utf8_values += 1;
                }
            }
        }
        match p.key {
            None => f.null_keys += 1,
            Some(k) if std::str::from_utf8(k).is_err() => f.non_utf8_keys += 1,
            Some(_) => {}
        }
        if rec.timestamp_ms.is_none() {
            f.without_timestamp += 1;
        }
        let mut non_utf8 = false;
        let mut dup = false;
        for (i, (name, v)) in p.headers.iter().enumerate() {
            if let Some(v) = v {
                f.largest_header_bytes = f.largest_header_bytes.max(v.len());
                // Binary Spring headers are expected; only count unknown binary text.
                if encoding_of(name).is_none() && std::str::from_utf8(v).is_err() {
                    non_utf8 = true;
                }
            }
            if !dup && p.headers[..i].iter().any(|(n, _)| n == name) {
                dup = true;
            }
        }
        f.non_utf8_header_values += u64::from(non_utf8);
        f.duplicate_header_names += u64::from(dup);
        if !c.failure.warnings.is_empty() {
            f.records_with_warnings += 1;
        }
        for w in &c.failure.warnings {
            // Quoted values are masked so `'x1' is not a decimal` and `'x2' ...` count together.
            let msg = format!("header '{}': {}", w.header, mask_quoted(&w.problem));
            self.warn(msg, p.partition, rec.offset);
        }
    }

    /// Count one occurrence of a distinct warning.
    fn warn(&mut self, msg: String, partition: i32, offset: i64) {
        if let Some(s) = self.warnings.get_mut(&msg) {
            s.count += 1;
            s.keep_example(partition, offset);
        } else if self.warnings.len() < MAX_WARNINGS {
            self.warnings.insert(
                msg.clone(),
                WarningStats {
                    message: msg,
                    count: 1,
                    example_partition: partition,
                    example_offset: offset,
                },
            );
        } else {
            self.warnings_dropped += 1;
        }
    }

    /// Fold in another lane's aggregate of other records. The result is the one
    /// a single aggregator fed every record would give, except which categories
    /// get in under `--max-categories` when that cap is reached (arrival order
    /// decides that either way).
    pub fn merge(&mut self, other: Aggregator) {
        self.facts.merge(&other.facts);
        for (id, stats) in other.categories {
            if let Some(mine) = self.categories.get_mut(&id) {
                mine.merge(stats);
            } else if self.categories.len() < self.max_categories {
                self.categories.insert(id, stats);
            } else {
                self.overflow_ids.insert(id.as_bytes());
                self.merge_overflow(stats);
            }
        }
        if let Some(o) = other.overflow {
            self.merge_overflow(o);
        }
        self.overflow_ids.merge(other.overflow_ids);
        self.warnings_dropped += other.warnings_dropped;
        for (msg, w) in other.warnings {
            if let Some(mine) = self.warnings.get_mut(&msg) {
                mine.count += w.count;
                mine.keep_example(w.example_partition, w.example_offset);
            } else if self.warnings.len() < MAX_WARNINGS {
                self.warnings.insert(msg, w);
            } else {
                self.warnings_dropped += w.count;
            }
        }
    }

    fn merge_overflow(&mut self, mut stats: CategoryStats) {
        match &mut self.overflow {
            Some(o) => o.merge(stats),
            None => {
                stats.id = "overflow".into();
                for (_, v) in &mut stats.values {
                    *v = None;
                }
                self.overflow = Some(stats);
            }
        }
    }

    pub fn category_count(&self) -> usize {
        self.categories.len()
    }

    pub fn finish(self) -> Aggregate {
        let mut categories: Vec<CategoryStats> = self.categories.into_values().collect();
        categories.sort_by(|a, b| b.count.cmp(&a.count).then_with(|| a.id.cmp(&b.id)));
        let mut warnings: Vec<WarningStats> = self.warnings.into_values().collect();
        warnings.sort_by(|a, b| {
            b.count
                .cmp(&a.count)
                .then_with(|| a.message.cmp(&b.message))
        });
        Aggregate {
            categories,
            overflow: self.overflow.map(|o| (o, self.overflow_ids.count())),
            warnings,
            warnings_dropped: self.warnings_dropped,
            facts: self.facts,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::dlq::category::{Classifier, ClassifierOptions};
    use crate::dlq::headers::RawHeader;

    fn classify<'a>(c: &Classifier, parts: &RecordParts<'a>) -> Classified<'a> {
        c.classify(parts)
    }

    fn feed(
        agg: &mut Aggregator,
        c: &Classifier,
        msg: &str,
        key: Option<&[u8]>,
        offset: i64,
        ts: Option<i64>,
    ) {
        feed_at(agg, c, msg, key, (offset % 3) as i32, offset, ts);
    }

    fn feed_at(
        agg: &mut Aggregator,
        c: &Classifier,
        msg: &str,
        key: Option<&[u8]>,
        partition: i32,
        offset: i64,
        ts: Option<i64>,
    ) {
        let hs: Vec<RawHeader<'_>> = vec![
            ("kafka_dlt-original-topic", Some(b"orders".as_slice())),
            (
                "kafka_dlt-exception-fqcn",
                Some(b"java.lang.RuntimeException".as_slice()),
            ),
            ("kafka_dlt-exception-message", Some(msg.as_bytes())),
        ];
        let parts = RecordParts {
            partition,
            key,
            value: Some(b"v"),
            headers: &hs,
        };
        let cl = classify(c, &parts);
        agg.add(
            &Observation {
                parts,
                offset,
                timestamp_ms: ts,
                handled: false,
            },
            &cl,
        );
    }

    /// Everything a report shows of an aggregate, in a comparable form.
    fn shown(a: &Aggregate) -> Vec<String> {
        let mut out = vec![format!("{:?}", a.facts), format!("{:?}", a.warnings)];
        for c in &a.categories {
            out.push(format!(
                "{} {} {} {:?} {:?} {:?} {:?} {:?} {:?} {:?} {} {:?}",
                c.id,
                c.count,
                c.keys.count(),
                (c.first_ms, c.last_ms, c.null_keys, c.without_timestamp),
                c.examples,
                c.dlq_partitions.iter().collect::<Vec<_>>(),
                c.dlq_partitions.others,
                c.original_partitions.iter().collect::<Vec<_>>(),
                c.reasons.iter().collect::<Vec<_>>(),
                c.exceptions.iter().collect::<Vec<_>>(),
                c.max_hops,
                c.keys.is_approximate(),
            ));
        }
        out
    }

    #[test]
    fn lanes_merge_to_the_single_lane_result() {
        let c = Classifier::new(ClassifierOptions::default()).unwrap();
        let templates = [
            "order 1 has no customer",
            "Read timed out after 5 ms",
            "boom",
        ];
        // Records over 100 partitions (more than the 64 partitions listed), with
        // keys beyond the exact distinct count and timestamps out of order.
        type Record = (String, Vec<u8>, i32, i64, Option<i64>);
        let records: Vec<Record> = (0..3000i64)
            .map(|i| {
                let msg = templates[(i % 3) as usize].replace('1', &i.to_string());
                let key = format!("k{}", (i * 7919) % 900).into_bytes();
                let ts = (i % 11 != 0).then_some(1_000_000 - (i * 7_727) % 50_000);
                (msg, key, ((i * 31) % 100) as i32, i, ts)
            })
            .collect();
        let mut single = Aggregator::new(100);
        for (m, k, p, o, t) in &records {
            feed_at(&mut single, &c, m, Some(k), *p, *o, *t);
        }
        let mut lanes = [Aggregator::new(100), Aggregator::new(100)];
        for (m, k, p, o, t) in records.iter().rev() {
            feed_at(&mut lanes[(*p % 2) as usize], &c, m, Some(k), *p, *o, *t);
        }
        let [mut merged, other] = lanes;
        merged.merge(other);
        let (single, merged) = (single.finish(), merged.finish());
        assert_eq!(single.categories.len(), 3);
        assert!(single.categories[0].keys.is_approximate());
        assert!(single.categories[0].dlq_partitions.others > 0);
        assert_eq!(shown(&single), shown(&merged));
    }

    #[test]
    fn categories_counts_times_examples() {
        let c = Classifier::new(ClassifierOptions::default()).unwrap();
        let mut agg = Aggregator::new(100);
        feed(
            &mut agg,
            &c,
            "duplicate key (id)=(81723)",
            Some(b"k1"),
            0,
            Some(5_000),
        );
        feed(
            &mut agg,
            &c,
            "duplicate key (id)=(99)",
            Some(b"k2"),
            1,
            Some(1_000),
        );
        feed(
            &mut agg,
            &c,
            "duplicate key (id)=(7)",
            Some(b"k1"),
            2,
            Some(9_000),
        );
        feed(&mut agg, &c, "connection refused", None, 3, None);
        let a = agg.finish();
        assert_eq!(a.categories.len(), 2);
        let dup = &a.categories[0];
        assert_eq!(dup.count, 3);
        assert_eq!(dup.keys.count(), 2);
        assert_eq!((dup.first_ms, dup.last_ms), (Some(1_000), Some(9_000)));
        // The examples are the earliest dead letters, not the first read.
        assert_eq!(dup.examples.len(), EXAMPLES);
        assert_eq!(dup.examples[0].offset, 1);
        assert_eq!(
            dup.examples[0].reason.as_deref(),
            Some("duplicate key (id)=(99)")
        );
        assert_eq!(dup.examples[1].offset, 0);
        assert_eq!(
            dup.value(Dimension::Reason),
            Some(Some("duplicate key (id)=(<n>)"))
        );
        assert_eq!(
            dup.original_topics.by_count(),
            vec![(&"orders".to_string(), 3)]
        );
        let other = &a.categories[1];
        assert_eq!(
            (other.count, other.null_keys, other.without_timestamp),
            (1, 1, 1)
        );
        assert_eq!(a.facts.records, 4);
        assert!(a.overflow.is_none());
    }

    #[test]
    fn category_cap_has_an_explicit_overflow_bucket() {
        let c = Classifier::new(ClassifierOptions::default()).unwrap();
        let mut agg = Aggregator::new(2);
        for (i, m) in ["a", "b", "c", "d", "c"].iter().enumerate() {
            feed(
                &mut agg,
                &c,
                &format!("reason {m}"),
                None,
                i as i64,
                Some(1),
            );
        }
        let a = agg.finish();
        assert_eq!(a.categories.len(), 2);
        let (o, distinct) = a.overflow.expect("overflow");
        assert_eq!(o.count, 3);
        assert_eq!(distinct, 2);
        assert_eq!(o.id, "overflow");
        assert_eq!(a.facts.records, 5);
        let total: u64 = a.categories.iter().map(|c| c.count).sum::<u64>() + o.count;
        assert_eq!(total, 5);
    }

    #[test]
    fn state_stays_bounded_however_many_records_arrive() {
        let c = Classifier::new(ClassifierOptions::default()).unwrap();
        let mut agg = Aggregator::new(50);
        let n = 60_000u32;
        for i in 0..n {
            // Distinct reasons (letters survive normalisation), topics, groups and keys.
            let word: String = format!("{i:05}")
                .bytes()
                .map(|b| (b'a' + (b - b'0')) as char)
                .collect();
            let msg = format!("failure {word}");
            let topic = format!("topic-{word}");
            let group = format!("group-{word}");
            let part = (i as i32).to_be_bytes();
            let hs: Vec<RawHeader<'_>> = vec![
                ("kafka_dlt-original-topic", Some(topic.as_bytes())),
                ("kafka_dlt-original-partition", Some(&part)),
                ("kafka_dlt-original-consumer-group", Some(group.as_bytes())),
                ("kafka_dlt-exception-message", Some(msg.as_bytes())),
                ("kafka_dlt-original-offset", Some(b"bad")),
            ];
            let key = i.to_be_bytes();
            let parts = RecordParts {
                partition: (i % 7) as i32,
                key: Some(&key),
                value: Some(b"v"),
                headers: &hs,
            };
            let cl = c.classify(&parts);
            agg.add(
                &Observation {
                    parts,
                    offset: i64::from(i),
                    timestamp_ms: Some(i64::from(i)),
                    handled: false,
                },
                &cl,
            );
        }
        assert_eq!(agg.category_count(), 50);
        let a = agg.finish();
        let (o, distinct) = a.overflow.as_ref().unwrap();
        assert_eq!(o.count, u64::from(n) - 50);
        assert!(
            (distinct.abs_diff(u64::from(n) - 50) as f64) < 0.05 * f64::from(n),
            "{distinct}"
        );
        for s in a.categories.iter().chain(std::iter::once(o)) {
            assert!(s.examples.len() <= EXAMPLES);
            assert!(s.original_topics.len() <= 10 && s.groups.len() <= 10 && s.reasons.len() <= 5);
            assert!(s.original_partitions.len() <= 64 && s.dlq_partitions.len() <= 64);
        }
        assert!(o.keys.is_approximate());
        assert_eq!(o.original_topics.len(), 10);
        assert_eq!(o.original_topics.others, u64::from(n) - 50 - 10);
        // One distinct warning, counted for every record.
        assert_eq!(a.warnings.len(), 1);
        assert_eq!(a.warnings[0].count, u64::from(n));
        assert_eq!(a.facts.records, u64::from(n));
    }

    #[test]
    fn facts_and_warnings() {
        let c = Classifier::new(ClassifierOptions::default()).unwrap();
        let mut agg = Aggregator::new(10);
        let bad_partition = [0u8, 0, 3];
        for (off, v) in [(0i64, b"x1".as_slice()), (1, b"x2".as_slice())] {
            let hs: Vec<RawHeader<'_>> = vec![
                ("kafka_dlt-original-partition", Some(&bad_partition[..])),
                ("__dup", Some(v)),
                ("__dup", Some(&[0xff][..])),
            ];
            let parts = RecordParts {
                partition: 0,
                key: Some(&[0xfe, 0xff]),
                value: if off == 0 { None } else { Some(&[0xc3, 0x28]) },
                headers: &hs,
            };
            let cl = c.classify(&parts);
            agg.add(
                &Observation {
                    parts,
                    offset: off,
                    timestamp_ms: Some(1),
                    handled: false,
                },
                &cl,
            );
        }
        let a = agg.finish();
        let f = &a.facts;
        assert_eq!(
            (
                f.tombstones,
                f.non_utf8_keys,
                f.non_utf8_values,
                f.non_utf8_header_values,
                f.duplicate_header_names
            ),
            (1, 2, 1, 2, 2)
        );
        assert_eq!(a.warnings.len(), 1);
        assert_eq!(a.warnings[0].count, 2);
        assert_eq!(
            a.warnings[0].message,
            "header 'kafka_dlt-original-partition': 3 bytes where 4 were expected"
        );
        assert_eq!(
            mask_quoted("'x1' is not a decimal number"),
            "'…' is not a decimal number"
        );
    }
}

#[cfg(test)]
mod redrive_tests {
    use super::*;
    use crate::dlq::category::{Classifier, ClassifierOptions};
    use crate::dlq::headers::RawHeader;
    use crate::replay::record::H_ID;

    fn add(agg: &mut Aggregator, c: &Classifier, offset: i64, extra: &[RawHeader<'_>]) {
        let mut hs: Vec<RawHeader<'_>> = vec![
            ("kafka_dlt-original-topic", Some(b"orders".as_slice())),
            ("kafka_dlt-exception-message", Some(b"boom".as_slice())),
        ];
        hs.extend_from_slice(extra);
        let parts = RecordParts {
            partition: 0,
            key: None,
            value: Some(b"v"),
            headers: &hs,
        };
        let cl = c.classify(&parts);
        agg.add(
            &Observation {
                parts,
                offset,
                timestamp_ms: Some(offset),
                handled: false,
            },
            &cl,
        );
    }

    #[test]
    fn redrive_counts_per_category_fold_across_lanes() {
        let c = Classifier::new(ClassifierOptions::default()).unwrap();
        let mut a = Aggregator::new(10);
        let mut b = Aggregator::new(10);
        add(&mut a, &c, 0, &[]);
        add(&mut a, &c, 1, &[(H_REDRIVES, Some(b"2"))]);
        add(&mut a, &c, 2, &[(H_ID, Some(b"rp-old"))]);
        add(&mut b, &c, 3, &[(H_REDRIVES, Some(b"12"))]);
        add(&mut b, &c, 4, &[(H_REDRIVES, Some(b"lots"))]);
        add(&mut b, &c, 5, &[(H_REDRIVES, Some(b"-1"))]);
        a.merge(b);
        let r = a.finish();
        let s = &r.categories[0];
        assert_eq!(s.count, 6);
        assert_eq!((s.redriven, s.max_redrives), (5, 12));
        // Legacy provenance and garbage both count once; 12 lands in "10 or more".
        assert_eq!(
            s.redrive_histogram,
            BTreeMap::from([(1, 3), (2, 1), (REDRIVE_HISTOGRAM_TOP, 1)])
        );
        let w = r
            .warnings
            .iter()
            .find(|w| w.message.contains(H_REDRIVES))
            .expect("a warning for the unreadable counts");
        assert_eq!((w.count, w.example_offset), (2, 4));
    }
}
