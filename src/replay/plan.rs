//! The plan: a selection resolved into exact per-partition offset ranges with
//! counts, bytes, destination and blast radius, stamped with the cluster id and a
//! content hash (sha256 over canonical JSON). A plan file that was edited, or made
//! for another cluster, is refused before anything is produced.
//!
//! A plan is counted one of two ways ([`Counted`]):
//! - `records`: the selection was read once to plan, and every figure is exact;
//! - `offsets`: nothing filters records (a pure offset or time range, a fixed
//!   destination partition per source partition, and no record can be too large
//!   for the destination), so the plan's counts come from offsets and the source
//!   is read once, by the run. Offsets are not records: a compacted topic has
//!   gaps, and transaction markers and aborted records occupy offsets no reader
//!   sees. Nothing short of reading says how many, so such a plan states an upper
//!   bound: `records` (and each range's and destination partition's count) is
//!   the number of offsets, "up to" that many records; `bytes`,
//!   `blast_radius.distinct_keys` and `blast_radius.null_keys` are `null`
//!   (unknown, never guessed). The run counts as it sends: its result, `replay
//!   status` and the audit log's `finished` event give the records replayed and
//!   `empty_offsets`, the offsets that held no record (compaction gap or
//!   transaction marker), so sent + skipped + empty offsets = the plan's offsets.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use super::placement::PlacementReport;
use super::rate::Rate;
use super::selection::Selection;
use crate::error::{Error, Result};

pub const PLAN_VERSION: u32 = 1;

/// How a plan's counts were made (see the module doc).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Counted {
    /// By reading every record of the selection: exact.
    #[default]
    Records,
    /// From offsets, without reading: `records` is an upper bound.
    Offsets,
}

impl Counted {
    pub fn is_records(&self) -> bool {
        *self == Counted::Records
    }
}

/// One partition's slice of the plan. For a file source, `partition` is 0 and the
/// offsets are line indexes.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PlannedRange {
    pub partition: i32,
    /// First offset read (inclusive).
    pub start: i64,
    /// Offset after the last one read (exclusive).
    pub end: i64,
    /// Records in range that will be replayed (at most, in a plan counted from
    /// offsets: the offsets in range).
    pub records: u64,
    /// `None` in a plan counted from offsets: unknown until read.
    pub bytes: Option<u64>,
    /// Records in range whose timestamps fall outside the window.
    pub skipped_outside_window: u64,
    /// Records in range that fail the key or DLQ-category filter.
    pub skipped_filtered: u64,
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct BlastRadius {
    /// `None` in a plan counted from offsets: only reading the keys counts them.
    pub distinct_keys: Option<u64>,
    pub null_keys: Option<u64>,
    /// Records per destination partition, as `topic[partition]` (at most, in a
    /// plan counted from offsets).
    pub destination_partitions: BTreeMap<String, u64>,
}

/// One destination topic/partition the plan writes to. The name is shared, not
/// copied: every replayed record is routed to one of these.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct TopicPartition {
    pub topic: std::sync::Arc<str>,
    pub partition: i32,
}

impl TopicPartition {
    pub fn label(&self) -> String {
        format!("{}[{}]", self.topic, self.partition)
    }
}

/// Which setting caps the size of a record sent to a destination topic.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum SizeSetting {
    /// The producer's `message.max.bytes` (librdkafka refuses larger records).
    Producer,
    /// The topic's `max.message.bytes` (the broker refuses larger batches).
    Topic,
}

/// The size limit of one destination topic.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SizeLimit {
    pub bytes: u64,
    pub setting: SizeSetting,
}

impl SizeLimit {
    /// The setting, named so an operator can change it.
    pub fn describe(&self, topic: &str) -> String {
        match self.setting {
            SizeSetting::Producer => {
                format!("{} bytes, the producer's message.max.bytes", self.bytes)
            }
            SizeSetting::Topic => {
                format!("{} bytes, max.message.bytes of topic '{topic}'", self.bytes)
            }
        }
    }
}

/// Planned records larger than their destination accepts.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Oversized {
    pub records: u64,
    /// The largest one, as it would be produced (with provenance headers).
    pub largest_bytes: u64,
    /// The destination of the largest one and its limit.
    pub topic: String,
    pub limit: SizeLimit,
}

impl Oversized {
    pub fn describe(&self) -> String {
        format!(
            "{} record(s) larger than the destination accepts: the largest is {} bytes as produced, the limit is {}",
            self.records,
            self.largest_bytes,
            self.limit.describe(&self.topic)
        )
    }

    /// How to get them through, or past.
    pub fn hint(&self, skip_flag: &str) -> String {
        format!(
            "raise the limit (the producer's with -X message.max.bytes=N; the topic's max.message.bytes with kafka-configs --alter --entity-type topics --entity-name {} --add-config max.message.bytes=N), or pass {skip_flag} to replay the others and report these as skipped",
            self.topic
        )
    }
}

/// Records of the selection the redrive loop guard holds back: they were
/// already redriven `max_redrives` times or more, failed again and came back.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct HeldBack {
    pub records: u64,
    pub max_redrives: u32,
    /// Held-back records by how often they were already redriven.
    pub by_redrives: BTreeMap<u32, u64>,
    /// One of them, as `topic/partition/offset`.
    pub example: Option<String>,
    /// Records whose `kafkaops.replay.redrives` header was unreadable (counted as
    /// redriven once; held back or not by that count).
    pub unreadable_counts: u64,
}

impl HeldBack {
    /// The plan's line about them, with the command to take them out by hand.
    pub fn describe(&self, source_topic: Option<&str>) -> String {
        let mut s = String::new();
        if self.records > 0 {
            let times = self
                .by_redrives
                .iter()
                .map(|(t, n)| format!("{n} at {t}×"))
                .collect::<Vec<_>>()
                .join(", ");
            s.push_str(&format!(
                "{} record(s) already redriven {} time(s) or more ({times}), not sent: fix them by hand",
                self.records, self.max_redrives
            ));
            if let (Some(topic), Some(ex)) = (source_topic, &self.example) {
                // The example is `topic/partition/offset`.
                let mut parts = ex.rsplitn(3, '/');
                if let (Some(o), Some(p)) = (parts.next(), parts.next()) {
                    s.push_str(&format!(
                        ", e.g. `kafkaops dlq export --topic {topic} --offset {p}:{o}`"
                    ));
                }
            }
        }
        if self.unreadable_counts > 0 {
            if !s.is_empty() {
                s.push_str("; ");
            }
            s.push_str(&format!(
                "warning: {} record(s) have an unreadable kafkaops.replay.redrives header, counted as redriven once",
                self.unreadable_counts
            ));
        }
        s
    }
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Plan {
    pub version: u32,
    pub created_at: DateTime<Utc>,
    /// The cluster the plan was resolved against; `run --plan` refuses another.
    pub cluster_id: Option<String>,
    pub selection: Selection,
    /// sha256 of the source file, for `--from-file` plans.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source_file_sha256: Option<String>,
    pub ranges: Vec<PlannedRange>,
    /// How the counts were made; `records` unless counted from offsets.
    #[serde(default, skip_serializing_if = "Counted::is_records")]
    pub counted: Counted,
    /// Records to replay (an upper bound when `counted` is `offsets`).
    pub records: u64,
    /// `None` when `counted` is `offsets`.
    pub bytes: Option<u64>,
    pub skipped_outside_window: u64,
    pub skipped_filtered: u64,
    pub destinations: BTreeSet<TopicPartition>,
    pub blast_radius: BlastRadius,
    pub rate: Rate,
    /// `None` when nothing limits the rate (`--rate unlimited`).
    pub estimated_duration_secs: Option<f64>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub notes: Vec<String>,
    /// Per original partition: whether the destination has it, records that move.
    #[serde(default, skip_serializing_if = "PlacementReport::is_empty")]
    pub placement: PlacementReport,
    /// Records larger than their destination accepts (counted in `records`):
    /// `replay run` refuses the plan unless told to skip them.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub oversized: Option<Oversized>,
    /// Records held back by `--max-redrives` (not counted in `records`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub held_back: Option<HeldBack>,
    /// `sha256:` + hex of the canonical JSON of every other field.
    #[serde(default)]
    pub hash: String,
}

impl Plan {
    /// Compute and store the content hash.
    pub fn seal(mut self) -> Self {
        self.hash = self.compute_hash();
        self
    }

    pub fn compute_hash(&self) -> String {
        content_hash(self)
    }

    pub fn to_json(&self) -> String {
        let mut s = serde_json::to_string_pretty(self).expect("plans serialise");
        s.push('\n');
        s
    }

    /// Read a plan file and check its hash. Does not check the cluster (that
    /// needs a connection): see [`Plan::check_cluster`].
    pub fn read(path: &Path) -> Result<Plan> {
        let plan: Plan = super::plan_file::read(path)?;
        plan.selection.validate()?;
        Ok(plan)
    }

    pub fn check_cluster(&self, actual: Option<&str>) -> Result<()> {
        check_same_cluster(self.cluster_id.as_deref(), actual)
    }

    /// Whether `records` is exact (read), not an upper bound (from offsets).
    pub fn exact(&self) -> bool {
        self.counted.is_records()
    }

    /// How long the plan takes at `rate`; unknown when the rate limits bytes
    /// and the plan does not know them.
    pub fn estimate_secs(&self, rate: Rate) -> Option<f64> {
        match self.bytes {
            Some(b) => rate.estimate_secs(self.records, b),
            None if rate.bytes_per_sec.is_some() => None,
            None => rate.estimate_secs(self.records, 0),
        }
    }

    /// The records figure as people read it: "N" or "up to N (N offsets)".
    pub fn records_label(&self) -> String {
        if self.exact() {
            self.records.to_string()
        } else {
            format!("up to {}", self.records)
        }
    }

    pub fn destination_label(&self) -> String {
        let topics: BTreeSet<&str> = self.destinations.iter().map(|d| &*d.topic).collect();
        if topics.is_empty() {
            return "-".into();
        }
        topics.into_iter().collect::<Vec<_>>().join(", ")
    }
}

/// A plan file (a replay's or a rewind's) runs only on the cluster it was made for.
pub fn check_same_cluster(planned: Option<&str>, actual: Option<&str>) -> Result<()> {
    match (planned, actual) {
        (Some(p), Some(a)) if p != a => Err(Error::usage_hint(
            format!("the plan was made for cluster {p}, but the brokers belong to cluster {a}"),
            "connect to the cluster the plan was made for (-b/--profile), or re-plan against this one",
        )),
        _ => Ok(()),
    }
}

/// `sha256:` + hex of the canonical JSON of `value` without its `hash` field: the
/// content hash of a plan file.
pub fn content_hash<T: Serialize>(value: &T) -> String {
    let mut v = serde_json::to_value(value).expect("plans serialise");
    if let serde_json::Value::Object(m) = &mut v {
        m.remove("hash");
    }
    format!(
        "sha256:{}",
        hex::encode(Sha256::digest(canonical_json(&v).as_bytes()))
    )
}

/// JSON with object keys sorted at every level and no whitespace: the same value
/// always gives the same bytes, whatever order the fields were written in.
pub fn canonical_json(v: &serde_json::Value) -> String {
    use serde_json::Value;
    match v {
        Value::Object(m) => {
            let mut keys: Vec<&String> = m.keys().collect();
            keys.sort();
            let body: Vec<String> = keys
                .into_iter()
                .map(|k| format!("{}:{}", Value::String(k.clone()), canonical_json(&m[k])))
                .collect();
            format!("{{{}}}", body.join(","))
        }
        Value::Array(a) => format!(
            "[{}]",
            a.iter().map(canonical_json).collect::<Vec<_>>().join(",")
        ),
        other => other.to_string(),
    }
}

pub fn human_bytes(b: u64) -> String {
    const UNITS: [&str; 5] = ["B", "KiB", "MiB", "GiB", "TiB"];
    let mut v = b as f64;
    let mut i = 0;
    while v >= 1024.0 && i < UNITS.len() - 1 {
        v /= 1024.0;
        i += 1;
    }
    if i == 0 {
        format!("{b} B")
    } else {
        format!("{v:.1} {}", UNITS[i])
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::replay::rate::RecordRate;
    use crate::replay::selection::tests::selection;

    pub(crate) fn plan() -> Plan {
        let mut s = selection();
        s.offsets = crate::replay::selection::OffsetBound::parse_list("0:10-19").unwrap();
        Plan {
            version: PLAN_VERSION,
            created_at: DateTime::parse_from_rfc3339("2026-11-21T06:00:00Z")
                .unwrap()
                .with_timezone(&Utc),
            cluster_id: Some("c-1".into()),
            selection: s,
            source_file_sha256: None,
            ranges: vec![PlannedRange {
                partition: 0,
                start: 10,
                end: 20,
                records: 10,
                bytes: Some(1000),
                skipped_outside_window: 0,
                skipped_filtered: 0,
            }],
            counted: Counted::Records,
            records: 10,
            bytes: Some(1000),
            skipped_outside_window: 0,
            skipped_filtered: 0,
            destinations: [TopicPartition {
                topic: "orders-replay".into(),
                partition: 0,
            }]
            .into(),
            blast_radius: BlastRadius {
                distinct_keys: Some(3),
                null_keys: Some(0),
                destination_partitions: [("orders-replay[0]".to_string(), 10)].into(),
            },
            rate: Rate {
                records_per_sec: RecordRate::PerSec(5.0),
                bytes_per_sec: None,
            },
            estimated_duration_secs: Some(2.0),
            notes: vec![],
            placement: Default::default(),
            oversized: None,
            held_back: None,
            hash: String::new(),
        }
        .seal()
    }

    #[test]
    fn canonical_json_sorts_keys_at_every_level() {
        let a: serde_json::Value =
            serde_json::from_str(r#"{"b":1,"a":{"y":[1,{"d":2,"c":3}],"x":"s"}}"#).unwrap();
        assert_eq!(
            canonical_json(&a),
            r#"{"a":{"x":"s","y":[1,{"c":3,"d":2}]},"b":1}"#
        );
    }

    #[test]
    fn a_sealed_plan_reads_back_and_an_edited_one_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        let p = plan();
        assert!(p.hash.starts_with("sha256:") && p.hash.len() == 7 + 64);
        let path = dir.path().join("plan.json");
        std::fs::write(&path, p.to_json()).unwrap();
        assert_eq!(Plan::read(&path).unwrap(), p);

        // Reformatting (key order, whitespace) keeps the hash valid.
        let v: serde_json::Value = serde_json::from_str(&p.to_json()).unwrap();
        std::fs::write(&path, serde_json::to_string(&v).unwrap()).unwrap();
        Plan::read(&path).unwrap();

        // Any change of content is caught.
        let edited = p.to_json().replace("\"records\": 10", "\"records\": 11");
        assert_ne!(edited, p.to_json());
        std::fs::write(&path, edited).unwrap();
        let e = Plan::read(&path).unwrap_err();
        assert!(e.to_string().contains("modified"), "{e}");
        assert_eq!(e.exit_code().code(), 2);
    }

    #[test]
    fn a_plan_for_another_cluster_is_refused() {
        let p = plan();
        p.check_cluster(Some("c-1")).unwrap();
        p.check_cluster(None).unwrap();
        let e = p.check_cluster(Some("c-2")).unwrap_err();
        assert!(
            e.to_string().contains("c-1") && e.to_string().contains("c-2"),
            "{e}"
        );
    }

    /// A plan file as `replay plan` wrote it before the rate and the DLQ hints
    /// got their own types: it must still parse, verify and keep its hash.
    const EARLIER_PLAN: &str = r#"{
  "version": 1,
  "created_at": "2026-11-21T06:00:00Z",
  "cluster_id": "c-1",
  "selection": {
    "source": {
      "kind": "topic",
      "topic": "orders"
    },
    "offsets": [
      {
        "partition": 0,
        "start": 10,
        "end": 20
      }
    ],
    "dlq_hints": {
      "reason_header": "x-reason",
      "original_topic_json_pointer": "/src"
    },
    "destination": {
      "kind": "redrive"
    },
    "keep_dlq_headers": false,
    "into_source": false,
    "keep_timestamps": true
  },
  "ranges": [
    {
      "partition": 0,
      "start": 10,
      "end": 20,
      "records": 10,
      "bytes": 1000,
      "skipped_outside_window": 0,
      "skipped_filtered": 0
    }
  ],
  "records": 10,
  "bytes": 1000,
  "skipped_outside_window": 0,
  "skipped_filtered": 0,
  "destinations": [
    {
      "topic": "orders-replay",
      "partition": 0
    }
  ],
  "blast_radius": {
    "distinct_keys": 3,
    "null_keys": 0,
    "destination_partitions": {
      "orders-replay[0]": 10
    }
  },
  "rate": {
    "records_per_sec": 5.0
  },
  "estimated_duration_secs": 2.0,
  "hash": "sha256:314d97092ee5231aa5acb5fecbb5cab059b293cf91b050b2e57d64074679abc7"
}"#;

    #[test]
    fn a_plan_file_written_earlier_still_verifies() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("plan.json");
        std::fs::write(&path, EARLIER_PLAN).unwrap();
        let p = Plan::read(&path).unwrap();
        let hints = &p.selection.dlq_hints;
        assert_eq!(hints.reason_header.as_deref(), Some("x-reason"));
        assert_eq!(hints.original_topic_json_pointer.as_deref(), Some("/src"));
        assert_eq!(hints.reason_json_pointer, None);
        assert_eq!(p.rate.records_per_sec, RecordRate::PerSec(5.0));
        // Written again, it is byte for byte what was read.
        assert_eq!(p.to_json().trim_end(), EARLIER_PLAN);
        // Made before the redrive loop guard: the default limit applies.
        assert_eq!(p.selection.max_redrives, None);
        assert_eq!(
            p.selection.max_redrives(),
            crate::replay::redrives::DEFAULT_MAX_REDRIVES
        );
    }

    #[test]
    fn a_plan_counted_from_offsets_says_so_and_claims_no_keys_or_bytes() {
        let mut p = plan();
        p.counted = Counted::Offsets;
        p.bytes = None;
        p.ranges[0].bytes = None;
        p.blast_radius.distinct_keys = None;
        p.blast_radius.null_keys = None;
        let p = p.seal();
        let v: serde_json::Value = serde_json::from_str(&p.to_json()).unwrap();
        assert_eq!(v["counted"], "offsets");
        assert!(v["bytes"].is_null() && v["ranges"][0]["bytes"].is_null());
        assert!(v["blast_radius"]["distinct_keys"].is_null());
        assert!(v["blast_radius"]["null_keys"].is_null());
        assert!(!p.exact());
        assert_eq!(p.records_label(), "up to 10");
        // Unknown bytes give no estimate under a byte rate, but one by records.
        let by_bytes = Rate {
            records_per_sec: RecordRate::UNLIMITED,
            bytes_per_sec: Some(100),
        };
        assert_eq!(p.estimate_secs(by_bytes), None);
        assert_eq!(p.estimate_secs(p.rate), Some(2.0));
        // Which way it was counted is part of what the hash covers.
        let mut q = p.clone();
        q.counted = Counted::Records;
        assert_ne!(q.compute_hash(), p.hash);
        // A plan counted by reading does not name the field: earlier files verify.
        let read: serde_json::Value = serde_json::from_str(&plan().to_json()).unwrap();
        assert!(read.get("counted").is_none());
        assert_eq!(read["blast_radius"]["distinct_keys"], 3);
    }

    #[test]
    fn the_hash_covers_the_redrive_limit() {
        let p = plan();
        let mut q = p.clone();
        q.selection.max_redrives = Some(4);
        assert_ne!(q.compute_hash(), p.hash);
    }

    #[test]
    fn held_back_records_are_described_with_the_way_out() {
        let h = HeldBack {
            records: 5,
            max_redrives: 3,
            by_redrives: BTreeMap::from([(3, 4), (5, 1)]),
            example: Some("orders-dlt/2/41".into()),
            unreadable_counts: 0,
        };
        assert_eq!(
            h.describe(Some("orders-dlt")),
            "5 record(s) already redriven 3 time(s) or more (4 at 3×, 1 at 5×), not sent: fix them by hand, e.g. `kafkaops dlq export --topic orders-dlt --offset 2:41`"
        );
        // A file source has no topic to export from.
        assert!(!h.describe(None).contains("dlq export"));
        let only_warning = HeldBack {
            records: 0,
            by_redrives: BTreeMap::new(),
            example: None,
            unreadable_counts: 2,
            ..h
        };
        assert_eq!(
            only_warning.describe(Some("orders-dlt")),
            "warning: 2 record(s) have an unreadable kafkaops.replay.redrives header, counted as redriven once"
        );
    }
}
