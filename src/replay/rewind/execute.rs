//! Committing a rewind plan: recorded (state file and `planned` audit event, with
//! the offsets it moves from) before anything changes, confirmed like a replay,
//! guarded again right before the commit (no live members, the committed
//! offsets are still the planned ones), committed with AlterConsumerGroupOffsets,
//! read back, and finished with an audit event. The broker's own refusal of a
//! commit to a group that is not empty is reported as such.

use chrono::Utc;

use super::guards::{activity, check_inactive, check_unchanged};
use super::plan::RewindPlan;
use super::record::{new_rewind_id, RewindPhase, RewindState};
use super::resolve::committed;
use crate::app::{blocking, Context};
use crate::error::{Error, Result};
use crate::kafka::Op;
use crate::kafka::{Committed, Kafka};
use crate::replay::state::{rewinds, state_dir, StateDir};
use crate::replay::{audit_path, confirm, AuditOptions, Auditor};

/// Who moves the offsets and why (recorded in the state file and audit log).
#[derive(Clone, Debug)]
pub struct Who {
    pub owner: String,
    pub reason: String,
    pub ticket: Option<String>,
}

/// Record, confirm, re-check and commit `plan`; returns the final state.
pub async fn execute(
    ctx: &Context,
    plan: RewindPlan,
    who: Who,
    yes: bool,
    audit: AuditOptions,
) -> Result<RewindState> {
    if !yes && !ctx.out.interactive {
        // Fail before anything is recorded: nothing was planned to happen.
        confirm(ctx, false, "")?;
    }
    let kafka = ctx.kafka()?;
    let store = rewinds(&state_dir()?);
    let log = audit_path(audit.log, ctx)?;
    let auditor = Auditor::new(log.clone(), audit.topic.clone(), ctx).await?;
    let now = Utc::now();
    let mut st = RewindState {
        id: new_rewind_id(now),
        phase: RewindPhase::Planned,
        owner: who.owner,
        reason: who.reason,
        ticket: who.ticket,
        plan,
        audit_log: log,
        audit_topic: audit.topic,
        created_at: now,
        updated_at: now,
        finished_at: None,
        undone_by: None,
        error: None,
    };
    // The previous offsets are on disk before the question is even asked.
    store.save(&st.id, &st)?;
    auditor
        .record(st.audit_event("planned", None), &st.id)
        .await?;
    let question = format!(
        "move the offsets of group '{}' on {} partition(s): {} record(s) to reprocess{}?",
        st.plan.group,
        st.plan.moves.len(),
        st.plan.totals.reprocess,
        match st.plan.totals.skip {
            0 => String::new(),
            n => format!(", {n} record(s) skipped for good"),
        }
    );
    if !confirm(ctx, yes, &question)? {
        finish(&store, &auditor, &mut st, RewindPhase::Aborted, None).await?;
        return Err(Error::Incomplete {
            message: format!(
                "rewind {} aborted at the prompt; no offsets were changed",
                st.id
            ),
            hint: None,
        });
    }
    let committed_now = {
        let (kafka, plan) = (kafka.clone(), st.plan.clone());
        blocking(move || commit(&kafka, &plan)).await?
    };
    match committed_now {
        Ok(()) => {
            finish(&store, &auditor, &mut st, RewindPhase::Committed, None).await?;
            Ok(st)
        }
        Err((phase, e)) => {
            finish(&store, &auditor, &mut st, phase, Some(e.to_string())).await?;
            let e = if phase == RewindPhase::Failed {
                e.with_hint(format!(
                    "the offsets before the rewind are recorded: `kafkaops replay undo {}` puts them back",
                    st.id
                ))
            } else {
                e
            };
            Err(e)
        }
    }
}

async fn finish(
    store: &StateDir,
    auditor: &Auditor,
    st: &mut RewindState,
    phase: RewindPhase,
    error: Option<String>,
) -> Result<()> {
    st.phase = phase;
    st.error = error;
    st.updated_at = Utc::now();
    st.finished_at = Some(st.updated_at);
    store.save(&st.id, st)?;
    let (event, outcome) = match phase {
        RewindPhase::Committed => ("committed", "completed"),
        p => ("finished", p.name()),
    };
    auditor
        .record(st.audit_event(event, Some(outcome)), &st.id)
        .await
}

/// The last guards, the commit and its read-back. The error says which phase the
/// rewind ends in: refused (nothing changed) or failed (perhaps partly applied).
fn commit(kafka: &Kafka, plan: &RewindPlan) -> Result<(), (RewindPhase, Error)> {
    let refused = |e: Error| (RewindPhase::Refused, e);
    let admin = kafka.admin_client().map_err(refused)?;
    let act = activity(kafka, &admin, &plan.group).map_err(refused)?;
    check_inactive(&plan.group, &act, plan.guards.assume_inactive).map_err(refused)?;
    let parts: Vec<(String, i32)> = plan
        .moves
        .iter()
        .map(|m| (m.topic.clone(), m.partition))
        .collect();
    let before = committed(kafka, &admin, &plan.group, Some(parts.clone())).map_err(refused)?;
    check_unchanged(plan, &before).map_err(refused)?;
    let answers = match kafka.alter_group_offsets(&admin, &plan.group, &plan.commits()) {
        Ok(a) => a,
        Err(e) if e.is_unsupported() => {
            return Err(refused(Error::Unsupported {
                api: "AlterConsumerGroupOffsets".into(),
                detail: format!("committing offsets from outside the group was refused ({e}); no offsets were changed"),
                hint: Some(format!(
                    "reset the offsets with the broker's own tooling, with every consumer of '{}' stopped",
                    plan.group
                )),
            }))
        }
        Err(e) if e.is_group_active() => {
            return Err(refused(broker_refusal(&plan.group, &e, false)))
        }
        Err(e) => {
            return Err((
                RewindPhase::Failed,
                kafka.classify_admin(&e, Op::Read, "commit the new offsets", &admin),
            ))
        }
    };
    let failed: Vec<&Committed> = answers.iter().filter(|c| c.error.is_some()).collect();
    if !failed.is_empty() {
        let all = failed.len() == answers.len();
        let phase = if all {
            RewindPhase::Refused
        } else {
            RewindPhase::Failed
        };
        if let Some(e) = failed
            .iter()
            .filter_map(|c| c.error.as_ref())
            .find(|e| e.is_group_active())
        {
            return Err((phase, broker_refusal(&plan.group, e, !all)));
        }
        let list = failed
            .iter()
            .map(|c| {
                format!(
                    "{}[{}]: {}",
                    c.topic,
                    c.partition,
                    c.error.as_ref().expect("filtered")
                )
            })
            .collect::<Vec<_>>()
            .join(", ");
        return Err((
            phase,
            Error::broker(format!("the broker refused the commit on {list}"), None),
        ));
    }
    // Read back: the group must now be exactly where the plan put it.
    let after =
        committed(kafka, &admin, &plan.group, Some(parts)).map_err(|e| (RewindPhase::Failed, e))?;
    let wrong: Vec<String> = plan
        .moves
        .iter()
        .filter_map(|m| {
            let got = after
                .iter()
                .find(|c| c.topic == m.topic && c.partition == m.partition)
                .and_then(|c| c.offset);
            (got != Some(m.target)).then(|| {
                format!(
                    "{} reads {} instead of {}",
                    m.label(),
                    super::guards::show(got),
                    m.target
                )
            })
        })
        .collect();
    if !wrong.is_empty() {
        return Err((
            RewindPhase::Failed,
            Error::broker(
                format!(
                    "after the commit, the committed offsets of group '{}' are not the planned ones: {}",
                    plan.group,
                    wrong.join(", ")
                ),
                None,
            ),
        ));
    }
    Ok(())
}

/// `partly`: some partitions were committed before the broker refused the rest.
fn broker_refusal(group: &str, e: &crate::kafka::AdminError, partly: bool) -> Error {
    let changed = if partly {
        "some partitions were committed, the others were not"
    } else {
        "no offsets were changed"
    };
    Error::broker(
        format!(
            "the broker refused the commit: consumer group '{group}' is not empty ({e}); {changed}"
        ),
        Some(format!(
            "stop every consumer of group '{group}', then run this again"
        )),
    )
}
