//! Handled state of dead-lettered records: which records of a category were
//! redriven, handled by hand or discarded, so triage counts only the open ones.
//!
//! A mark is an event in the replay audit log ([`crate::replay::audit`]): the
//! same hash chain, fsync and `audit verify`, so marks are tamper-evident
//! without a second store. A mark names a dead-letter topic (and the cluster id
//! where known), category IDs, a disposition and per-partition offset ranges
//! `[from, up_to)`; a record is handled when a mark for its category covers its
//! coordinates. Records dead-lettered later sit at higher offsets and are open
//! again. Marks are written by `dlq mark` ([`mark`]) and by a replay of a DLQ
//! category when it completes ([`redrive`]).
//!
//! Marks are only trusted from a log that verifies: a log with an edited,
//! moved or deleted line is ignored as a whole (every record counts as open),
//! so a tampered log can never make a gate pass. A missing `.head` file is
//! accepted here: cutting lines off the end can only remove marks, which opens
//! records, never closes them.

pub mod mark;
pub mod redrive;

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::app::Context;
use crate::error::Result;
use crate::kafka::Kafka;
use crate::replay::audit::AuditLog;

/// What became of the marked records.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Disposition {
    /// Replayed by a completed `replay run` / `replay resume` of the category.
    Redriven,
    /// Dealt with some other way (fixed by hand, re-published from a file).
    Handled,
    /// Deliberately dropped.
    Discarded,
}

impl Disposition {
    pub fn as_str(self) -> &'static str {
        match self {
            Disposition::Redriven => "redriven",
            Disposition::Handled => "handled",
            Disposition::Discarded => "discarded",
        }
    }
}

/// Offsets `[from, up_to)` of one partition of the dead-letter topic.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct MarkedRange {
    pub partition: i32,
    #[serde(default)]
    pub from: i64,
    /// Exclusive.
    pub up_to: i64,
}

/// A category of a mark and how many of its records the mark covered.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct MarkedCategory {
    pub id: String,
    pub records: u64,
}

/// The `dlq` member of an audit event. Owner, reason, ticket, replay id and
/// cluster id are the event's own fields.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct HandledMark {
    /// The dead-letter topic.
    pub topic: String,
    pub disposition: Disposition,
    pub categories: Vec<MarkedCategory>,
    pub ranges: Vec<MarkedRange>,
    /// Records covered, over all categories.
    pub records: u64,
    /// `--group-by` the category IDs were computed with (informative: IDs differ
    /// between groupings, so a mark applies only where triage groups the same way).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub group_by: Vec<String>,
}

/// How triage saw the marks (`marks` in `dlq triage -o json`).
#[derive(Clone, Debug, Serialize)]
pub struct MarksReport {
    pub audit_log: PathBuf,
    /// The log verified (or does not exist yet): its marks were applied.
    pub trusted: bool,
    /// Marks for this topic (and cluster) that were applied.
    pub marks: u64,
    /// Why the marks were not trusted.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub problem: Option<String>,
}

/// The marks of one dead-letter topic, ready to look records up.
#[derive(Clone, Debug, Default)]
pub struct Marks {
    by_category: HashMap<String, Vec<(MarkedRange, Disposition)>>,
    count: u64,
}

impl Marks {
    pub fn from_marks<'a>(marks: impl IntoIterator<Item = &'a HandledMark>) -> Marks {
        let mut m = Marks::default();
        for mark in marks {
            m.count += 1;
            for c in &mark.categories {
                let e = m.by_category.entry(c.id.clone()).or_default();
                e.extend(mark.ranges.iter().map(|r| (*r, mark.disposition)));
            }
        }
        m
    }

    /// Whether a mark covers the record; the latest mark wins.
    pub fn disposition(&self, category: &str, partition: i32, offset: i64) -> Option<Disposition> {
        // Most triages have no marks: skip hashing the ID of every record.
        if self.by_category.is_empty() {
            return None;
        }
        self.by_category
            .get(category)?
            .iter()
            .rev()
            .find(|(r, _)| r.partition == partition && r.from <= offset && offset < r.up_to)
            .map(|(_, d)| *d)
    }

    pub fn is_empty(&self) -> bool {
        self.by_category.is_empty()
    }

    pub fn len(&self) -> u64 {
        self.count
    }
}

/// The audit log triage and `dlq mark` use: `--audit-log`, the profile's
/// `audit_log`, or the state dir, as for replays.
pub fn audit_path(flag: &Option<PathBuf>, ctx: &Context) -> Result<PathBuf> {
    crate::replay::audit_path(flag.clone(), ctx)
}

/// The marks for `topic` in the audit log (see [`load`]); the cluster id is
/// asked of the brokers only when a mark names one.
pub fn load_for(
    kafka: &Kafka,
    flag: &Option<PathBuf>,
    ctx: &Context,
    topic: &str,
) -> Result<(Marks, MarksReport)> {
    let path = match audit_path(flag, ctx) {
        Ok(p) => p,
        // No state dir: no marks can be read, so every record stays open.
        Err(e) => {
            return Ok((
                Marks::default(),
                MarksReport {
                    audit_log: PathBuf::new(),
                    trusted: false,
                    marks: 0,
                    problem: Some(e.to_string()),
                },
            ))
        }
    };
    load(&path, topic, || {
        let consumer = kafka.consumer(None).ok()?;
        kafka.cluster_id(&consumer)
    })
}

/// Read the marks for `topic` from the audit log at `path`. Marks made on
/// another cluster (both ids known and different) do not apply.
pub fn load(
    path: &Path,
    topic: &str,
    cluster_id: impl FnOnce() -> Option<String>,
) -> Result<(Marks, MarksReport)> {
    let mut report = MarksReport {
        audit_log: path.to_path_buf(),
        trusted: true,
        marks: 0,
        problem: None,
    };
    if !path.exists() {
        return Ok((Marks::default(), report));
    }
    let log = AuditLog::new(path.to_path_buf());
    let v = log.verify()?;
    if !v.ok {
        report.trusted = false;
        report.problem = Some(match v.problems.first() {
            Some(p) => format!(
                "{} problem(s), first at line {}: {}",
                v.problems.len(),
                p.line,
                p.problem
            ),
            None => "it failed verification".into(),
        });
        return Ok((Marks::default(), report));
    }
    let found: Vec<(Option<String>, HandledMark)> = log
        .lines()?
        .into_iter()
        .filter_map(|l| Some((l.event.cluster_id, l.event.dlq?)))
        .filter(|(_, m)| m.topic == topic)
        .collect();
    let here = if found.iter().any(|(c, _)| c.is_some()) {
        cluster_id()
    } else {
        None
    };
    let applied: Vec<&HandledMark> = found
        .iter()
        .filter(|(c, _)| match (c.as_deref(), here.as_deref()) {
            (Some(a), Some(b)) => a == b,
            _ => true,
        })
        .map(|(_, m)| m)
        .collect();
    let marks = Marks::from_marks(applied);
    report.marks = marks.len();
    Ok((marks, report))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn mark(d: Disposition, id: &str, ranges: &[(i32, i64, i64)]) -> HandledMark {
        HandledMark {
            topic: "t".into(),
            disposition: d,
            categories: vec![MarkedCategory {
                id: id.into(),
                records: 1,
            }],
            ranges: ranges
                .iter()
                .map(|&(partition, from, up_to)| MarkedRange {
                    partition,
                    from,
                    up_to,
                })
                .collect(),
            records: 1,
            group_by: vec![],
        }
    }

    #[test]
    fn a_mark_covers_its_ranges_only() {
        let m = Marks::from_marks(&[
            mark(
                Disposition::Discarded,
                "aaaaaaaaaa",
                &[(0, 0, 10), (1, 0, 3)],
            ),
            mark(Disposition::Redriven, "aaaaaaaaaa", &[(0, 5, 7)]),
        ]);
        assert_eq!(
            m.disposition("aaaaaaaaaa", 0, 0),
            Some(Disposition::Discarded)
        );
        assert_eq!(
            m.disposition("aaaaaaaaaa", 0, 9),
            Some(Disposition::Discarded)
        );
        assert_eq!(
            m.disposition("aaaaaaaaaa", 0, 6),
            Some(Disposition::Redriven)
        );
        // up_to is exclusive: a later record is open again.
        assert_eq!(m.disposition("aaaaaaaaaa", 0, 10), None);
        assert_eq!(m.disposition("aaaaaaaaaa", 1, 3), None);
        assert_eq!(m.disposition("aaaaaaaaaa", 2, 0), None);
        assert_eq!(m.disposition("bbbbbbbbbb", 0, 0), None);
        assert_eq!(m.len(), 2);
    }

    #[test]
    fn marks_round_trip_as_json() {
        let m = mark(Disposition::Handled, "aaaaaaaaaa", &[(0, 0, 10)]);
        let text = serde_json::to_string(&m).unwrap();
        assert!(text.contains(r#""disposition":"handled""#), "{text}");
        assert_eq!(serde_json::from_str::<HandledMark>(&text).unwrap(), m);
    }
}
