//! `kafkaops replay rewind` and `replay undo`: replay for one consumer group by
//! moving its committed offsets, with the governance of a replay (plan first,
//! owner and reason, blast radius, ceiling, audit log, undo).
//!
//! - [`plan`]: the plan file with its content hash, and the counting rule;
//!   [`resolve`] builds it against the cluster.
//! - [`guards`]: live members, forward moves, the ceiling, a moved group.
//! - [`execute`]: record, confirm, re-check, commit, read back, audit.
//! - [`undo`]: put a rewind back; [`record`]: state file and audit field;
//!   [`render`]: tables and JSON.

pub mod execute;
pub mod guards;
pub mod plan;
pub mod record;
pub mod render;
pub mod resolve;
pub mod undo;

use std::path::PathBuf;

use crate::app::{blocking, Context};
use crate::error::Result;
use crate::exit::ExitCode;
use crate::files::{write_atomic_as, Access};
use crate::output::OutputFormat;
use crate::replay::plan::check_same_cluster;
use crate::replay::state::{rewinds, state_dir};
use crate::replay::AuditOptions;
use execute::{execute, Who};
pub use record::RewindAudit;
use record::RewindState;
use resolve::Ask;
pub(crate) use undo::undo_cmd;

#[derive(Debug)]
pub struct RewindRequest {
    pub ask: Ask,
    pub owner: String,
    pub reason: String,
    pub ticket: Option<String>,
    pub yes: bool,
    pub dry_run: bool,
    /// Save the plan here (for `replay run --plan`) and change nothing.
    pub out: Option<PathBuf>,
    pub audit: AuditOptions,
}

#[derive(Debug)]
pub struct UndoRequest {
    pub id: String,
    /// `None`: the rewind's owner.
    pub owner: Option<String>,
    pub reason: Option<String>,
    pub assume_inactive: bool,
    pub max_records: u64,
    pub yes: bool,
    pub dry_run: bool,
    pub audit: AuditOptions,
}

/// A rewind plan given to `replay run --plan`.
#[derive(Debug)]
pub struct PlanRun {
    pub path: PathBuf,
    pub owner: String,
    pub reason: String,
    pub ticket: Option<String>,
    pub max_records: u64,
    pub yes: bool,
    pub dry_run: bool,
    pub audit: AuditOptions,
}

pub async fn rewind_cmd(req: RewindRequest, ctx: &Context) -> Result<ExitCode> {
    ctx.out
        .require(&[OutputFormat::Table, OutputFormat::Json], "replay rewind")?;
    let plan = {
        let (kafka, out, now, ask) = (ctx.kafka()?, ctx.out.clone(), ctx.now, req.ask);
        blocking(move || resolve::build(&kafka, &ask, now, &out)).await??
    };
    if let Some(path) = &req.out {
        write_atomic_as(path, plan.to_json().as_bytes(), Access::Shared)?;
        ctx.out.note(&format!(
            "plan written to {}; execute it with `kafkaops replay run --plan {}`",
            path.display(),
            path.display()
        ));
    }
    let who = Who {
        owner: req.owner,
        reason: req.reason,
        ticket: req.ticket,
    };
    let dry_run = req.dry_run || req.out.is_some();
    carry_out(ctx, plan, who, req.yes, dry_run, req.audit)
        .await
        .map(|_| ExitCode::Success)
}

/// `replay run --plan FILE` with a rewind plan.
pub async fn run_plan(req: PlanRun, ctx: &Context) -> Result<ExitCode> {
    ctx.out
        .require(&[OutputFormat::Table, OutputFormat::Json], "replay run")?;
    let plan = plan::RewindPlan::read(&req.path)?;
    let cluster = crate::replay::connected_cluster(&ctx.kafka()?, None).await?;
    check_same_cluster(plan.cluster_id.as_deref(), cluster.as_deref())?;
    guards::check_forward(&plan)?;
    guards::check_ceiling(plan.totals.reprocess, req.max_records)?;
    let who = Who {
        owner: req.owner,
        reason: req.reason,
        ticket: req.ticket,
    };
    carry_out(ctx, plan, who, req.yes, req.dry_run, req.audit)
        .await
        .map(|_| ExitCode::Success)
}

/// Show a plan and, unless it is a dry run, execute it and show the result;
/// returns the final state of an executed plan.
async fn carry_out(
    ctx: &Context,
    plan: plan::RewindPlan,
    who: Who,
    yes: bool,
    dry_run: bool,
    audit: AuditOptions,
) -> Result<Option<RewindState>> {
    if dry_run {
        render::print_plan(&plan, ctx)?;
        ctx.out.note("dry run: no offsets were changed");
        return Ok(None);
    }
    render::show_plan(&plan, ctx);
    let st = execute(ctx, plan, who, yes, audit).await?;
    render::print_result(&st, ctx)?;
    Ok(Some(st))
}

/// Every rewind, oldest first; unreadable state files are warned about.
pub fn list(ctx: &Context) -> Result<Vec<RewindState>> {
    let (mut all, bad) = rewinds(&state_dir()?).list::<RewindState>()?;
    for b in bad {
        ctx.out.warn(&b);
    }
    all.sort_by(|a, b| a.created_at.cmp(&b.created_at).then(a.id.cmp(&b.id)));
    Ok(all)
}

/// One rewind by id, if there is one.
pub fn find(id: &str) -> Result<Option<RewindState>> {
    rewinds(&state_dir()?).find(id)
}

impl PlanRun {
    /// The parts of a `replay run` request that apply to a rewind plan file.
    pub fn from_run(path: PathBuf, r: crate::replay::RunRequest) -> PlanRun {
        PlanRun {
            path,
            owner: r.owner,
            reason: r.reason,
            ticket: r.ticket,
            max_records: r.max_records,
            yes: r.yes,
            dry_run: r.dry_run,
            audit: r.audit,
        }
    }
}
