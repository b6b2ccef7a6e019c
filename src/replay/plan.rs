//! The plan: a selection resolved into exact per-partition offset ranges with
//! counts, bytes, destination and blast radius, stamped with the cluster id and a
//! content hash (sha256 over canonical JSON). A plan file that was edited, or made
//! for another cluster, is refused before anything is produced.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use super::selection::Selection;
use crate::error::{Error, Result};

pub const PLAN_VERSION: u32 = 1;

/// Records (and optionally bytes) per second.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct Rate {
    pub records_per_sec: RecordRate,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub bytes_per_sec: Option<u64>,
}

/// The records-per-second limit. Unthrottled is its own explicit value
/// (`--rate unlimited`), never a zero. In JSON a finite rate is a number (as it
/// always was, so older plan files and their hashes stay valid) and the
/// unlimited one is the string `"unlimited"`.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum RecordRate {
    PerSec(f64),
    Unlimited(Unlimited),
}

/// Serialises as the string `"unlimited"` and accepts only that.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Unlimited {
    Unlimited,
}

impl RecordRate {
    pub const UNLIMITED: RecordRate = RecordRate::Unlimited(Unlimited::Unlimited);

    /// Records per second, or `None` when unlimited.
    pub fn per_sec(self) -> Option<f64> {
        match self {
            RecordRate::PerSec(r) => Some(r),
            RecordRate::Unlimited(_) => None,
        }
    }
}

impl Rate {
    /// Parse `--rate`: `500`, `500/s`, `3000/m`, `36000/h`, or `unlimited`.
    pub fn parse_records(s: &str) -> Result<RecordRate> {
        let hint = "write --rate as records per second, e.g. 500/s (or 3000/m), or `unlimited`";
        let t = s.trim();
        if t.eq_ignore_ascii_case("unlimited") {
            return Ok(RecordRate::UNLIMITED);
        }
        let (num, per) = match t.split_once('/') {
            Some((n, u)) => (n.trim(), u.trim()),
            None => (t, "s"),
        };
        let n: f64 = num
            .parse()
            .map_err(|_| Error::usage_hint(format!("malformed rate '{s}'"), hint))?;
        let secs = match per {
            "s" | "sec" => 1.0,
            "m" | "min" => 60.0,
            "h" => 3600.0,
            _ => {
                return Err(Error::usage_hint(
                    format!("malformed rate '{s}': unknown unit '{per}'"),
                    hint,
                ))
            }
        };
        let r = n / secs;
        if !r.is_finite() || r <= 0.0 {
            return Err(Error::usage_hint(
                format!("rate '{s}' must be greater than zero"),
                "for no limit at all, say so: --rate unlimited",
            ));
        }
        if r > 1_000_000.0 {
            return Err(Error::usage_hint(
                format!("rate '{s}' is above 1000000/s"),
                "for no limit at all, say so: --rate unlimited",
            ));
        }
        Ok(RecordRate::PerSec(r))
    }

    /// Parse `--bytes-rate`: `1MiB/s`, `500KB`, `2000000`.
    pub fn parse_bytes(s: &str) -> Result<u64> {
        let hint =
            "write --bytes-rate as bytes per second with an optional unit, e.g. 2MiB/s or 500KB/s";
        let t = s.trim();
        let t = t.strip_suffix("/s").unwrap_or(t).trim();
        let split = t
            .find(|c: char| !(c.is_ascii_digit() || c == '.'))
            .unwrap_or(t.len());
        let (num, unit) = t.split_at(split);
        let n: f64 = num
            .parse()
            .map_err(|_| Error::usage_hint(format!("malformed byte rate '{s}'"), hint))?;
        let mult = match unit.trim().to_ascii_lowercase().as_str() {
            "" | "b" => 1.0,
            "kb" | "k" => 1e3,
            "mb" | "m" => 1e6,
            "gb" | "g" => 1e9,
            "kib" => 1024.0,
            "mib" => 1024.0 * 1024.0,
            "gib" => 1024.0 * 1024.0 * 1024.0,
            other => {
                return Err(Error::usage_hint(
                    format!("malformed byte rate '{s}': unknown unit '{other}'"),
                    hint,
                ))
            }
        };
        let v = (n * mult).round();
        if !(v >= 1.0 && v <= u32::MAX as f64) {
            return Err(Error::usage_hint(
                format!("byte rate '{s}' must be between 1 B/s and 4 GB/s"),
                hint,
            ));
        }
        Ok(v as u64)
    }

    /// Seconds needed for `records` records of `bytes` bytes in total.
    /// Seconds needed for `records` records of `bytes` bytes in total; `None` when
    /// nothing limits the rate.
    pub fn estimate_secs(&self, records: u64, bytes: u64) -> Option<f64> {
        let by_records = self.records_per_sec.per_sec().map(|r| records as f64 / r);
        let by_bytes = self.bytes_per_sec.map(|b| bytes as f64 / b as f64);
        match (by_records, by_bytes) {
            (Some(r), Some(b)) => Some(r.max(b)),
            (r, b) => r.or(b),
        }
    }

    pub fn describe(&self) -> String {
        let r = match self.records_per_sec.per_sec() {
            None => "unlimited".to_string(),
            Some(r) if r >= 10.0 => format!("{r:.0}/s"),
            Some(r) => format!("{r:.2}/s"),
        };
        match self.bytes_per_sec {
            Some(b) => format!("{r} and {}/s", human_bytes(b)),
            None => r,
        }
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
    /// Records in range that will be replayed.
    pub records: u64,
    pub bytes: u64,
    /// Records in range whose timestamps fall outside the window.
    pub skipped_outside_window: u64,
    /// Records in range that fail the key or DLQ-category filter.
    pub skipped_filtered: u64,
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct BlastRadius {
    pub distinct_keys: u64,
    pub null_keys: u64,
    /// Records per destination partition, as `topic[partition]`.
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
    pub records: u64,
    pub bytes: u64,
    pub skipped_outside_window: u64,
    pub skipped_filtered: u64,
    pub destinations: BTreeSet<TopicPartition>,
    pub blast_radius: BlastRadius,
    pub rate: Rate,
    /// `None` when nothing limits the rate (`--rate unlimited`).
    pub estimated_duration_secs: Option<f64>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub notes: Vec<String>,
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
        let mut v = serde_json::to_value(self).expect("plans serialise");
        if let serde_json::Value::Object(m) = &mut v {
            m.remove("hash");
        }
        format!(
            "sha256:{}",
            hex::encode(Sha256::digest(canonical_json(&v).as_bytes()))
        )
    }

    pub fn to_json(&self) -> String {
        let mut s = serde_json::to_string_pretty(self).expect("plans serialise");
        s.push('\n');
        s
    }

    /// Read a plan file and check its hash. Does not check the cluster (that
    /// needs a connection): see [`Plan::check_cluster`].
    pub fn read(path: &Path) -> Result<Plan> {
        let text =
            std::fs::read_to_string(path).map_err(|e| Error::file("read plan file", path, e))?;
        let plan: Plan = serde_json::from_str(&text).map_err(|e| {
            Error::usage_hint(
                format!("cannot parse plan file {}: {e}", path.display()),
                "write a plan with `kafkaops replay plan ... > plan.json`",
            )
        })?;
        if plan.version != PLAN_VERSION {
            return Err(Error::usage_hint(
                format!(
                    "plan file {} has version {}, this kafkaops reads version {PLAN_VERSION}",
                    path.display(),
                    plan.version
                ),
                "re-create the plan with this kafkaops",
            ));
        }
        let want = plan.compute_hash();
        if plan.hash != want {
            return Err(Error::usage_hint(
                format!(
                    "plan file {} was modified after it was made: its hash is {} but its content hashes to {want}",
                    path.display(),
                    if plan.hash.is_empty() { "missing" } else { plan.hash.as_str() }
                ),
                "re-create the plan with `kafkaops replay plan` instead of editing it",
            ));
        }
        plan.selection.validate()?;
        Ok(plan)
    }

    pub fn check_cluster(&self, actual: Option<&str>) -> Result<()> {
        match (self.cluster_id.as_deref(), actual) {
            (Some(p), Some(a)) if p != a => Err(Error::usage_hint(
                format!("the plan was made for cluster {p}, but the brokers belong to cluster {a}"),
                "connect to the cluster the plan was made for (-b/--profile), or re-plan against this one",
            )),
            _ => Ok(()),
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
                bytes: 1000,
                skipped_outside_window: 0,
                skipped_filtered: 0,
            }],
            records: 10,
            bytes: 1000,
            skipped_outside_window: 0,
            skipped_filtered: 0,
            destinations: [TopicPartition {
                topic: "orders-replay".into(),
                partition: 0,
            }]
            .into(),
            blast_radius: BlastRadius {
                distinct_keys: 3,
                null_keys: 0,
                destination_partitions: [("orders-replay[0]".to_string(), 10)].into(),
            },
            rate: Rate {
                records_per_sec: RecordRate::PerSec(5.0),
                bytes_per_sec: None,
            },
            estimated_duration_secs: Some(2.0),
            notes: vec![],
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

    #[test]
    fn rates() {
        let per = |r: f64| RecordRate::PerSec(r);
        assert_eq!(Rate::parse_records("500").unwrap(), per(500.0));
        assert_eq!(Rate::parse_records("500/s").unwrap(), per(500.0));
        assert_eq!(Rate::parse_records("120/m").unwrap(), per(2.0));
        for bad in [
            "0",
            "0/s",
            "-1/s",
            "x/s",
            "5/d",
            "NaN",
            "inf",
            "unlimited/s",
        ] {
            assert!(Rate::parse_records(bad).is_err(), "{bad}");
        }
        let zero = Rate::parse_records("0").unwrap_err();
        assert!(
            zero.hint().is_some_and(|h| h.contains("--rate unlimited")),
            "{zero}"
        );
        assert_eq!(Rate::parse_bytes("1MiB/s").unwrap(), 1_048_576);
        assert_eq!(Rate::parse_bytes("500KB").unwrap(), 500_000);
        assert_eq!(Rate::parse_bytes("2000").unwrap(), 2000);
        assert!(Rate::parse_bytes("0").is_err());
        assert!(Rate::parse_bytes("5 parsecs").is_err());
        let r = Rate {
            records_per_sec: per(100.0),
            bytes_per_sec: Some(1000),
        };
        assert_eq!(r.estimate_secs(100, 500), Some(1.0));
        assert_eq!(r.estimate_secs(100, 5000), Some(5.0));
    }

    #[test]
    fn unlimited_is_explicit_and_round_trips() {
        for s in ["unlimited", "Unlimited", " unlimited "] {
            assert_eq!(
                Rate::parse_records(s).unwrap(),
                RecordRate::UNLIMITED,
                "{s}"
            );
        }
        let r = Rate {
            records_per_sec: RecordRate::UNLIMITED,
            bytes_per_sec: None,
        };
        assert_eq!(r.describe(), "unlimited");
        assert_eq!(r.estimate_secs(1_000_000, 1 << 30), None);
        let json = serde_json::to_value(r).unwrap();
        assert_eq!(json["records_per_sec"], "unlimited");
        assert_eq!(serde_json::from_value::<Rate>(json).unwrap(), r);
        // A finite rate is still a plain number, as in plan files written before.
        let finite = Rate {
            records_per_sec: RecordRate::PerSec(250.0),
            bytes_per_sec: None,
        };
        let json = serde_json::to_string(&finite).unwrap();
        assert_eq!(json, r#"{"records_per_sec":250.0}"#);
        assert_eq!(serde_json::from_str::<Rate>(&json).unwrap(), finite);
        assert!(serde_json::from_str::<Rate>(r#"{"records_per_sec":"fast"}"#).is_err());
        // The byte limit still applies when records are unlimited.
        let bytes_only = Rate {
            records_per_sec: RecordRate::UNLIMITED,
            bytes_per_sec: Some(1000),
        };
        assert_eq!(bytes_only.estimate_secs(10, 5000), Some(5.0));
        assert_eq!(
            bytes_only.describe(),
            format!("unlimited and {}/s", human_bytes(1000))
        );
    }
}
