//! `replay undo ID`: put a rewound group back exactly where it was. The offsets
//! come from the rewind's state file; the undo is planned, guarded (the group
//! must be inactive), confirmed and audited like the rewind itself, and marks the
//! rewind as undone.

use std::collections::BTreeMap;

use super::carry_out;
use super::execute::Who;
use super::plan::Guards;
use super::record::{RewindPhase, RewindState};
use super::resolve::{build, Ask, To};
use super::UndoRequest;
use crate::app::{blocking, Context};
use crate::error::{Error, Result};
use crate::exit::ExitCode;
use crate::replay::state::{rewinds, state_dir};

/// The offsets to put back: each partition the group had committed before.
pub fn previous_offsets(st: &RewindState) -> Result<BTreeMap<(String, i32), i64>> {
    match st.phase {
        // Planned: the process stopped between recording and finishing, so the
        // commit may have happened; the recorded offsets are put back either way.
        RewindPhase::Committed | RewindPhase::Failed | RewindPhase::Planned => {}
        RewindPhase::Undone => {
            return Err(Error::usage_hint(
                format!(
                    "rewind {} was already undone{}",
                    st.id,
                    st.undone_by
                        .as_deref()
                        .map(|u| format!(" by {u}"))
                        .unwrap_or_default()
                ),
                "see `kafkaops replay status`",
            ))
        }
        p => {
            return Err(Error::usage_hint(
                format!(
                "rewind {} is {}: its offsets were never committed, so there is nothing to undo",
                st.id,
                p.name()
            ),
                "see `kafkaops replay status`",
            ))
        }
    }
    let back: BTreeMap<(String, i32), i64> = st
        .plan
        .moves
        .iter()
        .filter_map(|m| m.committed.map(|c| ((m.topic.clone(), m.partition), c)))
        .collect();
    if back.is_empty() {
        return Err(Error::usage_hint(
            format!("rewind {} moved only partitions the group had never committed", st.id),
            "AlterConsumerGroupOffsets cannot remove a commit; delete the group's offsets with the broker's tooling",
        ));
    }
    Ok(back)
}

pub async fn undo_cmd(req: UndoRequest, ctx: &Context) -> Result<ExitCode> {
    let store = rewinds(&state_dir()?);
    let mut orig: RewindState = store.load(&req.id)?;
    let back = previous_offsets(&orig)?;
    let ask = Ask {
        group: orig.plan.group.clone(),
        topic: None,
        partitions: None,
        to: To::Exact {
            offsets: back,
            label: format!("the offsets before rewind {}", orig.id),
        },
        guards: Guards {
            // Back to where the group was is forward of where the rewind put it.
            allow_forward: true,
            assume_inactive: req.assume_inactive,
            include_uncommitted: false,
        },
        max_records: req.max_records,
        undo_of: Some(orig.id.clone()),
    };
    let plan = {
        let (kafka, out, now) = (ctx.kafka()?, ctx.out.clone(), ctx.now);
        blocking(move || build(&kafka, &ask, now, &out)).await??
    };
    for m in orig.plan.moves.iter().filter(|m| m.committed.is_none()) {
        ctx.out.note(&format!(
            "{} had no commit before the rewind: the undo leaves it at offset {}",
            m.label(),
            m.target
        ));
    }
    let who = Who {
        owner: req.owner.unwrap_or_else(|| orig.owner.clone()),
        reason: req
            .reason
            .unwrap_or_else(|| format!("undo of rewind {}", orig.id)),
        ticket: orig.ticket.clone(),
    };
    if let Some(st) = carry_out(ctx, plan, who, req.yes, req.dry_run, req.audit).await? {
        orig.phase = RewindPhase::Undone;
        orig.undone_by = Some(st.id);
        orig.updated_at = chrono::Utc::now();
        store.save(&orig.id, &orig)?;
    }
    Ok(ExitCode::Success)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::replay::rewind::plan::tests::plan;

    fn state(phase: RewindPhase) -> RewindState {
        let now = chrono::Utc::now();
        RewindState {
            id: "rw-1".into(),
            phase,
            owner: "a".into(),
            reason: "r".into(),
            ticket: None,
            plan: plan(),
            audit_log: "audit.jsonl".into(),
            audit_topic: None,
            created_at: now,
            updated_at: now,
            finished_at: None,
            undone_by: Some("rw-2".into()),
            error: None,
        }
    }

    #[test]
    fn only_a_rewind_that_may_have_committed_is_undone() {
        for p in [
            RewindPhase::Committed,
            RewindPhase::Failed,
            RewindPhase::Planned,
        ] {
            let back = previous_offsets(&state(p)).unwrap();
            assert_eq!(back[&("orders".to_string(), 0)], 40, "{p:?}");
        }
        for p in [RewindPhase::Aborted, RewindPhase::Refused] {
            let e = previous_offsets(&state(p)).unwrap_err();
            assert!(e.to_string().contains("never committed"), "{e}");
        }
        let e = previous_offsets(&state(RewindPhase::Undone)).unwrap_err();
        assert!(e.to_string().contains("already undone by rw-2"), "{e}");
        let mut none = state(RewindPhase::Committed);
        none.plan.moves[0].committed = None;
        assert!(previous_offsets(&none).is_err());
    }
}
