//! The rewind plan: per partition, the group's committed offset, the target,
//! the records the group will reprocess (or skip, for a forward move), the event
//! time of the oldest of them and their distinct keys, with totals, the guards
//! the operator chose, the cluster id and a content hash. A plan file that was
//! edited is refused before anything changes; [`counts`] is the one rule for
//! what a move reprocesses or skips.

use std::path::Path;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};
use crate::replay::plan::content_hash;

/// The `kind` of a rewind plan file, which tells it apart from a replay plan.
pub const REWIND_PLAN_KIND: &str = "consumer-group-rewind";
pub const REWIND_PLAN_VERSION: u32 = 1;

/// One partition's move.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Move {
    pub topic: String,
    pub partition: i32,
    /// The group's committed offset when planned; `None`: it never committed here
    /// (moved only with `--include-uncommitted`).
    pub committed: Option<i64>,
    pub target: i64,
    pub log_start: i64,
    pub log_end: i64,
    /// Records the group will read again (or, without a commit, read from the target).
    pub reprocess: u64,
    /// Records a forward move skips: the group will never process them.
    pub skip: u64,
    /// Event time of the oldest record to reprocess.
    pub oldest_timestamp_ms: Option<i64>,
    pub distinct_keys: u64,
    pub null_keys: u64,
}

impl Move {
    pub fn label(&self) -> String {
        format!("{}[{}]", self.topic, self.partition)
    }

    pub fn is_forward(&self) -> bool {
        self.committed.is_some_and(|c| self.target > c)
    }

    /// The offsets whose records the group reprocesses: `[start, end)`.
    pub fn reprocess_range(&self) -> (i64, i64) {
        reprocess_range(self.committed, self.target, self.log_start, self.log_end)
    }
}

/// A partition in the selection that the group never committed: left alone.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Uncommitted {
    pub topic: String,
    pub partition: i32,
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Totals {
    pub partitions: u64,
    pub reprocess: u64,
    pub skip: u64,
    /// Distinct keys over every partition's records to reprocess (the blast radius).
    pub distinct_keys: u64,
    pub null_keys: u64,
    pub oldest_timestamp_ms: Option<i64>,
}

/// What the operator allowed when planning; `replay run --plan` applies the same.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Guards {
    pub allow_forward: bool,
    pub assume_inactive: bool,
    pub include_uncommitted: bool,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RewindPlan {
    pub kind: String,
    pub version: u32,
    pub created_at: DateTime<Utc>,
    pub cluster_id: Option<String>,
    pub group: String,
    /// How the targets were chosen, e.g. `time 2026-11-21T10:00:00Z` or `earliest`.
    pub target: String,
    /// Set for the plan of `replay undo`: the rewind it puts back.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub undo_of: Option<String>,
    pub moves: Vec<Move>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub uncommitted: Vec<Uncommitted>,
    pub totals: Totals,
    pub guards: Guards,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub notes: Vec<String>,
    #[serde(default)]
    pub hash: String,
}

impl RewindPlan {
    pub fn seal(mut self) -> Self {
        self.hash = content_hash(&self);
        self
    }

    pub fn to_json(&self) -> String {
        let mut s = serde_json::to_string_pretty(self).expect("plans serialise");
        s.push('\n');
        s
    }

    /// The offsets to commit: (topic, partition, target).
    pub fn commits(&self) -> Vec<(String, i32, i64)> {
        self.moves
            .iter()
            .map(|m| (m.topic.clone(), m.partition, m.target))
            .collect()
    }

    /// Read a rewind plan file and check its hash.
    pub fn read(path: &Path) -> Result<RewindPlan> {
        crate::replay::plan_file::read(path)
    }
}

/// Whether a plan file is a rewind plan (its `kind`), so `replay run --plan`
/// knows which kind of plan to execute.
pub fn is_rewind_plan(path: &Path) -> Result<bool> {
    #[derive(Deserialize)]
    struct Kind {
        kind: Option<String>,
    }
    let text = std::fs::read_to_string(path).map_err(|e| Error::file("read plan file", path, e))?;
    Ok(serde_json::from_str::<Kind>(&text)
        .ok()
        .and_then(|k| k.kind)
        .is_some_and(|k| k == REWIND_PLAN_KIND))
}

/// `[start, end)` of the records a move makes the group read again: from the
/// target up to the committed offset, or to the log end without a commit;
/// within the log (records before the log start are gone).
pub fn reprocess_range(committed: Option<i64>, target: i64, low: i64, high: i64) -> (i64, i64) {
    let start = target.max(low);
    let end = committed.unwrap_or(high).min(high);
    (start, end.max(start))
}

/// (records to reprocess, records skipped) by moving from `committed` to `target`
/// in a log of `[low, high)`.
pub fn counts(committed: Option<i64>, target: i64, low: i64, high: i64) -> (u64, u64) {
    let (start, end) = reprocess_range(committed, target, low, high);
    let reprocess = (end - start).max(0) as u64;
    let skip = match committed {
        Some(c) if target > c => (target.min(high) - c.max(low)).max(0) as u64,
        _ => 0,
    };
    (reprocess, skip)
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::replay::plan_file;

    pub(crate) fn plan() -> RewindPlan {
        let (reprocess, skip) = counts(Some(40), 10, 0, 50);
        RewindPlan {
            kind: REWIND_PLAN_KIND.into(),
            version: REWIND_PLAN_VERSION,
            created_at: "2026-11-21T12:00:00Z".parse().unwrap(),
            cluster_id: Some("c1".into()),
            group: "billing".into(),
            target: "earliest".into(),
            undo_of: None,
            moves: vec![Move {
                topic: "orders".into(),
                partition: 0,
                committed: Some(40),
                target: 10,
                log_start: 0,
                log_end: 50,
                reprocess,
                skip,
                oldest_timestamp_ms: Some(1),
                distinct_keys: 3,
                null_keys: 0,
            }],
            uncommitted: vec![],
            totals: Totals {
                partitions: 1,
                reprocess,
                ..Default::default()
            },
            guards: Guards::default(),
            notes: vec![],
            hash: String::new(),
        }
        .seal()
    }

    #[test]
    fn counts_follow_the_move() {
        // Back: target..committed.
        assert_eq!(counts(Some(40), 10, 0, 50), (30, 0));
        // Records before the log start are gone: they cannot be reprocessed.
        assert_eq!(counts(Some(40), 0, 25, 50), (15, 0));
        // Forward: committed..target is skipped.
        assert_eq!(counts(Some(10), 40, 0, 50), (0, 30));
        // A commit below the log start skips only records that still exist.
        assert_eq!(counts(Some(5), 40, 20, 50), (0, 20));
        // No commit: everything from the target to the log end.
        assert_eq!(counts(None, 30, 0, 50), (20, 0));
        assert_eq!(counts(Some(7), 7, 0, 50), (0, 0));
        assert_eq!(reprocess_range(Some(40), 10, 0, 50), (10, 40));
    }

    #[test]
    fn an_edited_plan_is_refused() {
        let p = plan();
        let path = Path::new("p.json");
        assert_eq!(
            plan_file::parse::<RewindPlan>(&p.to_json(), path).unwrap(),
            p
        );
        let edited = p.to_json().replace("\"target\": 10", "\"target\": 0");
        assert_ne!(edited, p.to_json());
        let e = plan_file::parse::<RewindPlan>(&edited, path).unwrap_err();
        assert!(e.to_string().contains("was modified"), "{e}");
        assert_eq!(e.exit_code().code(), 2);
    }

    #[test]
    fn rewind_plans_are_told_apart_from_replay_plans() {
        let dir = tempfile::tempdir().unwrap();
        let rw = dir.path().join("rw.json");
        std::fs::write(&rw, plan().to_json()).unwrap();
        assert!(is_rewind_plan(&rw).unwrap());
        let rp = dir.path().join("rp.json");
        std::fs::write(&rp, crate::replay::plan::tests::plan().to_json()).unwrap();
        assert!(!is_rewind_plan(&rp).unwrap());
    }
}
