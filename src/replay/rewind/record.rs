//! What a rewind leaves behind: its state file (`rewinds/ID.json` in the state
//! directory, written before the commit, with the offsets it moves from) and its
//! audit events, whose `rewind` field carries the same previous and target
//! offsets, so either one is enough to put the group back.

use std::path::PathBuf;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use super::plan::RewindPlan;
use crate::replay::audit::AuditEvent;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum RewindPhase {
    /// Recorded, not yet committed.
    Planned,
    /// The new offsets are committed.
    Committed,
    /// Committed, then put back by `replay undo`.
    Undone,
    /// Not confirmed at the prompt.
    Aborted,
    /// A guard or the broker refused; nothing changed.
    Refused,
    /// The commit failed or was only partly applied (see the error).
    Failed,
}

impl RewindPhase {
    pub fn name(self) -> &'static str {
        match self {
            RewindPhase::Planned => "planned",
            RewindPhase::Committed => "committed",
            RewindPhase::Undone => "undone",
            RewindPhase::Aborted => "aborted",
            RewindPhase::Refused => "refused",
            RewindPhase::Failed => "failed",
        }
    }
}

#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct RewindState {
    pub id: String,
    pub phase: RewindPhase,
    pub owner: String,
    pub reason: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ticket: Option<String>,
    pub plan: RewindPlan,
    pub audit_log: PathBuf,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub audit_topic: Option<String>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub finished_at: Option<DateTime<Utc>>,
    /// The `replay undo` that put this rewind back.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub undone_by: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
}

/// One partition's offsets in an audit event.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuditedMove {
    pub topic: String,
    pub partition: i32,
    /// `None`: the group had no commit here.
    pub previous: Option<i64>,
    pub target: i64,
}

/// The `rewind` field of an audit event.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RewindAudit {
    pub group: String,
    pub moves: Vec<AuditedMove>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub undo_of: Option<String>,
    pub records_skipped: u64,
}

/// A new rewind id: sortable by time, unique enough to type.
pub fn new_rewind_id(now: DateTime<Utc>) -> String {
    let rand = uuid::Uuid::new_v4().simple().to_string();
    format!("rw-{}-{}", now.format("%Y%m%d-%H%M%S"), &rand[..6])
}

impl RewindState {
    /// The audit event `name` of this rewind.
    pub fn audit_event(&self, name: &str, outcome: Option<&str>) -> AuditEvent {
        let p = &self.plan;
        AuditEvent {
            event: name.to_string(),
            outcome: outcome.map(str::to_string),
            replay_id: self.id.clone(),
            owner: self.owner.clone(),
            os_user: whoami::username(),
            host: gethostname::gethostname().to_string_lossy().into_owned(),
            reason: Some(self.reason.clone()),
            ticket: self.ticket.clone(),
            selection: format!("rewind group '{}' to {}", p.group, p.target),
            plan_hash: p.hash.clone(),
            destination: format!("group {}", p.group),
            records_planned: p.totals.reprocess,
            error: self.error.clone(),
            cluster_id: p.cluster_id.clone(),
            tool_version: env!("CARGO_PKG_VERSION").to_string(),
            rewind: Some(RewindAudit {
                group: p.group.clone(),
                moves: p
                    .moves
                    .iter()
                    .map(|m| AuditedMove {
                        topic: m.topic.clone(),
                        partition: m.partition,
                        previous: m.committed,
                        target: m.target,
                    })
                    .collect(),
                undo_of: p.undo_of.clone(),
                records_skipped: p.totals.skip,
            }),
            ..Default::default()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::replay::audit::AuditLog;
    use crate::replay::rewind::plan::tests::plan;

    #[test]
    fn audit_events_carry_the_previous_offsets_and_verify() {
        let dir = tempfile::tempdir().unwrap();
        let now = Utc::now();
        let st = RewindState {
            id: new_rewind_id(now),
            phase: RewindPhase::Planned,
            owner: "alice".into(),
            reason: "fix".into(),
            ticket: None,
            plan: plan(),
            audit_log: dir.path().join("audit.jsonl"),
            audit_topic: None,
            created_at: now,
            updated_at: now,
            finished_at: None,
            undone_by: None,
            error: None,
        };
        assert!(st.id.starts_with("rw-"));
        let log = AuditLog::new(st.audit_log.clone());
        let line = log.append(st.audit_event("planned", None), now).unwrap();
        let v = serde_json::to_value(&line).unwrap();
        assert_eq!(v["rewind"]["moves"][0]["previous"], 40);
        assert_eq!(v["rewind"]["moves"][0]["target"], 10);
        assert!(log.verify().unwrap().ok);
        // An event without the field serialises without it: old logs hash alike.
        let mut plain = st.audit_event("planned", None);
        plain.rewind = None;
        assert!(!serde_json::to_string(&plain)
            .unwrap()
            .contains("\"rewind\":"));
    }
}
