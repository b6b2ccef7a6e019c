//! `kafkaops replay`: bounded, rate-limited, audited, resumable re-publishing.
//!
//! - [`selection`], [`keys`], [`partitioner`]: what to replay (pure, validated);
//!   [`placement`]: where records go whose partition the destination lacks.
//! - [`plan`]: the resolved plan with its content hash; [`resolve`] builds it,
//!   counting [`judge`]'s verdicts and distinct keys in a [`keyset`];
//!   [`rate`]: its rate limit and the default one.
//! - [`exec`]: the producer loop with checkpoints and resume.
//! - [`duplicates`]: the guard against a second copy of records an earlier
//!   replay sent (`--allow-duplicate`).
//! - [`audit`]: the hash-chained audit log; [`state`]: per-replay state files.
//! - [`record`]: routing and provenance headers; [`dlq_bridge`]: DLQ categories,
//!   redrive origins and `dlq export` files from [`crate::dlq`].
//! - [`rewind`]: replay for one consumer group by moving its committed offsets,
//!   with `replay undo`.
//!
//! Broker work follows [`crate::app`]'s rule: planning, cluster checks, the
//! destination scans and the replay loop are sync and run through
//! [`crate::app::blocking`]; the async functions here only orchestrate them and
//! publish audit events. Ctrl-C and SIGTERM are [`crate::signal`]'s.

pub mod audit;
pub mod dlq_bridge;
pub mod duplicates;
pub mod exec;
pub mod judge;
pub mod keys;
mod keyset;
pub mod partitioner;
pub mod placement;
pub mod plan;
pub mod plan_file;
pub mod rate;
pub mod record;
pub mod redrives;
pub mod resolve;
pub mod rewind;
pub mod selection;
pub mod state;
mod view;

use std::path::PathBuf;
use std::time::Duration;

use chrono::Utc;

use crate::app::{blocking, Context};
use crate::error::{Error, Result};
use crate::exit::ExitCode;
use crate::kafka::Kafka;
use crate::output::OutputFormat;
use audit::{AuditEvent, AuditLog};
use plan::Plan;
use rate::{Rate, RateOverride};
use selection::Selection;
use state::{Phase, ReplayState, Store};

/// The flag that skips records larger than their destination accepts.
pub const SKIP_OVERSIZED_FLAG: &str = "--skip-oversized";

/// The default `--max-records` ceiling.
pub const DEFAULT_MAX_RECORDS: u64 = 100_000;

#[derive(Debug)]
pub enum Request {
    /// Boxed: a selection is much larger than the other requests.
    Plan(Box<PlanRequest>),
    Run(RunRequest),
    Resume(ResumeRequest),
    Status(StatusRequest),
    AuditVerify(VerifyRequest),
    Rewind(Box<rewind::RewindRequest>),
    Undo(rewind::UndoRequest),
}

#[derive(Debug)]
pub struct PlanRequest {
    pub selection: Selection,
    pub rate: Rate,
    pub out: Option<PathBuf>,
}

#[derive(Debug)]
pub enum RunInput {
    Selection(Box<Selection>),
    PlanFile(PathBuf),
}

#[derive(Debug, Default)]
pub struct AuditOptions {
    pub log: Option<PathBuf>,
    pub topic: Option<String>,
}

#[derive(Debug)]
pub struct RunRequest {
    pub input: RunInput,
    /// Applied over the plan's rate (or the default).
    pub rate: RateOverride,
    pub owner: String,
    pub reason: String,
    pub ticket: Option<String>,
    pub max_records: u64,
    pub yes: bool,
    pub dry_run: bool,
    /// Send records an earlier replay already sent (`--allow-duplicate`).
    pub allow_duplicate: bool,
    /// Skip records larger than their destination accepts (`--skip-oversized`).
    pub skip_oversized: bool,
    pub audit: AuditOptions,
}

#[derive(Debug)]
pub struct ResumeRequest {
    pub id: String,
    /// Applied over the replay's last rate.
    pub rate: RateOverride,
    pub owner: Option<String>,
    /// From now on, skip records larger than their destination accepts.
    pub skip_oversized: bool,
    pub yes: bool,
}

#[derive(Debug)]
pub struct StatusRequest {
    pub id: Option<String>,
}

#[derive(Debug)]
pub struct VerifyRequest {
    pub audit_log: Option<PathBuf>,
    /// `--allow-missing-head`: a log without its `.head` file passes.
    pub allow_missing_head: bool,
}

pub async fn run(req: Request, ctx: &Context) -> Result<ExitCode> {
    match req {
        Request::Plan(r) => plan_cmd(*r, ctx).await,
        Request::Run(r) => run_cmd(r, ctx).await,
        Request::Resume(r) => resume_cmd(r, ctx).await,
        Request::Status(r) => status_cmd(r, ctx),
        Request::AuditVerify(r) => verify_cmd(r, ctx),
        Request::Rewind(r) => rewind::rewind_cmd(*r, ctx).await,
        Request::Undo(r) => rewind::undo_cmd(r, ctx).await,
    }
}

/// Replays, then rewinds (a rewind id shows that rewind).
fn status_cmd(req: StatusRequest, ctx: &Context) -> Result<ExitCode> {
    ctx.out
        .require(&[OutputFormat::Table, OutputFormat::Json], "replay status")?;
    if let Some(st) = req.id.as_deref().map(rewind::find).transpose()?.flatten() {
        return match ctx.out.format {
            OutputFormat::Json => ctx.out.print_json(&rewind::render::view(&st)),
            _ => rewind::render::print_status(&[st], ctx),
        }
        .map(|()| ExitCode::Success);
    }
    if req.id.is_some() {
        return view::status(req, ctx);
    }
    let rewinds = rewind::list(ctx)?;
    if ctx.out.format == OutputFormat::Json {
        // One array: replay views, then rewind views (their `kind` is "rewind").
        let mut all: Vec<serde_json::Value> = Vec::new();
        let capture = view::status_json(ctx)?;
        all.extend(capture);
        all.extend(
            rewinds
                .iter()
                .map(|r| serde_json::to_value(rewind::render::view(r)).expect("views serialise")),
        );
        return ctx.out.print_json(&all).map(|()| ExitCode::Success);
    }
    view::status(req, ctx)?;
    if !rewinds.is_empty() {
        rewind::render::print_status(&rewinds, ctx)?;
    }
    Ok(ExitCode::Success)
}

async fn plan_cmd(req: PlanRequest, ctx: &Context) -> Result<ExitCode> {
    ctx.out
        .require(&[OutputFormat::Table, OutputFormat::Json], "replay plan")?;
    let plan = build_plan(ctx, req.selection, req.rate, false).await?;
    let earlier = earlier_replays(ctx, &plan).await?;
    if !earlier.is_empty() {
        ctx.out
            .warn(&duplicates::warning(&earlier, &plan.destination_label()));
    }
    // A refused plan is shown (its placement table says why) but not written.
    let refused = placement::check(&plan);
    if let (Some(path), Ok(())) = (&req.out, &refused) {
        std::fs::write(path, plan.to_json()).map_err(|e| Error::file("write plan to", path, e))?;
    }
    view::print_plan(&plan, ctx)?;
    refused.map(|()| ExitCode::Success)
}

/// Resolve a selection into a plan, on a blocking thread (see [`crate::app`]).
async fn build_plan(
    ctx: &Context,
    sel: Selection,
    rate: Rate,
    skip_oversized: bool,
) -> Result<Plan> {
    let (kafka, out, now) = (ctx.kafka()?, ctx.out.clone(), ctx.now);
    blocking(move || resolve::build_plan(&kafka, &sel, rate, now, &out, skip_oversized)).await?
}

/// Earlier replays of `plan`'s records: in this machine's replay states, and in
/// the destination's provenance headers (on a blocking thread).
async fn earlier_replays(ctx: &Context, plan: &Plan) -> Result<Vec<duplicates::Earlier>> {
    let (states, bad) = Store::new(&state::state_dir()?).list()?;
    for b in bad {
        ctx.out.warn(&b);
    }
    let alive = state::process_alive;
    let known = duplicates::in_states(plan, &states, &alive);
    let (kafka, plan, out) = (ctx.kafka()?, plan.clone(), ctx.out.clone());
    let copies = match blocking(move || exec::earlier_copies(&kafka, &plan, &out)).await? {
        Ok(c) => c,
        // A user who may write the destination but not read it: the states are
        // still checked, and the gap is said (resuming needs READ anyway).
        Err(e @ Error::Auth { .. }) => {
            ctx.out.warn(&format!(
                "could not read the destination to look for earlier copies of these records ({e}); only this machine's replay states were checked"
            ));
            exec::EarlierCopies::default()
        }
        Err(e) => return Err(e),
    };
    if copies.truncated && !copies.by_replay.is_empty() {
        ctx.out.note(&format!(
            "checked the newest {} records of the destination for earlier copies",
            exec::PROBE_LIMIT
        ));
    }
    Ok(duplicates::with_destination(
        known,
        &copies.by_replay,
        &states,
        &alive,
    ))
}

/// Confirm the brokers answer, then that they are the cluster `plan` was made for.
async fn check_cluster(kafka: &Kafka, plan: &Plan) -> Result<()> {
    let topic = plan.selection.source_topic().map(str::to_string);
    let cluster_id = connected_cluster(kafka, topic).await?;
    plan.check_cluster(cluster_id.as_deref())
}

/// The id of the cluster the brokers belong to, once they answered metadata
/// (about `topic`, when given).
async fn connected_cluster(kafka: &Kafka, topic: Option<String>) -> Result<Option<String>> {
    let kafka = kafka.clone();
    blocking(move || -> Result<Option<String>> {
        let consumer = kafka.consumer(None)?;
        kafka.metadata_with(&consumer, topic.as_deref())?;
        Ok(kafka.cluster_id(&consumer))
    })
    .await?
}

/// Where the audit log lives: `--audit-log`, the profile's `audit_log`, or the state dir.
pub(crate) fn audit_path(flag: Option<PathBuf>, ctx: &Context) -> Result<PathBuf> {
    if let Some(p) = flag.or_else(|| ctx.settings.audit_log.clone()) {
        return Ok(p);
    }
    Ok(state::state_dir()?.join("audit.jsonl"))
}

/// Writes audit events to the log (fsynced) and, optionally, to a Kafka topic.
pub struct Auditor {
    log: AuditLog,
    topic: Option<String>,
    kafka: Option<Kafka>,
    out: crate::output::Output,
}

impl Auditor {
    async fn new(path: PathBuf, topic: Option<String>, ctx: &Context) -> Result<Self> {
        let kafka = match &topic {
            Some(t) => {
                let kafka = ctx.kafka()?;
                // Fail before anything happens, not after a two-minute delivery timeout.
                let (k, name) = (kafka.clone(), t.clone());
                blocking(move || k.topic(&name)).await?.map_err(|e| {
                    e.with_hint(format!(
                        "create the audit topic '{t}' first, or drop --audit-topic"
                    ))
                })?;
                Some(kafka)
            }
            None => None,
        };
        let log = AuditLog::new(path);
        if let Some(w) = log.damage_warning() {
            ctx.out.warn(&w);
        }
        Ok(Auditor {
            log,
            topic,
            kafka,
            out: ctx.out.clone(),
        })
    }

    /// Record an event; returns only once the line is on disk.
    pub async fn event(
        &self,
        st: &ReplayState,
        name: &str,
        outcome: Option<&str>,
        error: Option<String>,
        duration_secs: Option<f64>,
    ) -> Result<()> {
        let ev = AuditEvent::for_replay(st, name, outcome, error, duration_secs);
        self.record(ev, &st.id).await
    }

    /// Record any event (`key`: its key on the audit topic); returns only once the
    /// line is on disk.
    pub async fn record(&self, ev: AuditEvent, key: &str) -> Result<()> {
        let line = self.log.append(ev, Utc::now())?;
        if let (Some(topic), Some(kafka)) = (&self.topic, &self.kafka) {
            let payload = serde_json::to_string(&line).expect("audit lines serialise");
            let sent = kafka
                .send_one(topic, key, &payload, Duration::from_secs(15))
                .await;
            if let Err(e) = sent {
                self.out.warn(&format!("could not publish the audit event to '{topic}': {e} (the audit log file has it)"));
            }
        }
        Ok(())
    }
}

/// Ask on a terminal; without one, require `--yes`.
fn confirm(ctx: &Context, yes: bool, question: &str) -> Result<bool> {
    ctx.out.confirm(
        yes,
        question,
        "refusing to write to Kafka without confirmation: stdin is not a terminal",
        "review the plan (replay plan or --dry-run), then pass --yes",
    )
}

async fn run_cmd(req: RunRequest, ctx: &Context) -> Result<ExitCode> {
    let mut finished = None;
    let res = run_replay(req, ctx, &mut finished).await;
    if let Some(st) = &finished {
        view::print_result(st, ctx)?;
    }
    res
}

/// Refuse a replay into a topic this user may not write before anything is recorded
/// or produced: otherwise the first delivery fails after the replay was started,
/// leaving a failed replay to clean up. Only asked when the client authenticates, as
/// ACLs name authenticated users: the librdkafka mock cluster never answers
/// DescribeTopics, which would add the whole --timeout to every replay on it. A
/// broker that does not report authorised operations, or a failed question, is no
/// verdict: a refused delivery still fails the run with the broker's error.
fn check_writable(kafka: &Kafka, plan: &Plan) -> Result<()> {
    if !kafka.authenticates() {
        return Ok(());
    }
    let client = kafka.admin_client()?;
    let topics: std::collections::BTreeSet<&str> =
        plan.destinations.iter().map(|d| &*d.topic).collect();
    for topic in topics {
        if kafka.may_write(&client, topic) == Some(false) {
            return Err(Error::Auth {
                message: format!(
                    "not authorised to write to topic '{topic}': the brokers do not grant this user WRITE on it; nothing was produced or recorded"
                ),
                hint: Some(format!(
                    "ask the cluster admins for WRITE on topic '{topic}' (a replay needs DESCRIBE and WRITE on its destination)"
                )),
            });
        }
    }
    Ok(())
}

/// Execute a replay without printing its result (the drill reports its own);
/// `finished` receives the final state once production has started.
pub async fn run_replay(
    req: RunRequest,
    ctx: &Context,
    finished: &mut Option<ReplayState>,
) -> Result<ExitCode> {
    ctx.out
        .require(&[OutputFormat::Table, OutputFormat::Json], "replay run")?;
    if let RunInput::PlanFile(path) = &req.input {
        if rewind::plan::is_rewind_plan(path)? {
            let path = path.clone();
            return rewind::run_plan(rewind::PlanRun::from_run(path, req), ctx).await;
        }
    }
    let kafka = ctx.kafka()?;
    let mut plan = match req.input {
        RunInput::Selection(sel) => {
            let rate = req.rate.over(Rate::default());
            build_plan(ctx, *sel, rate, req.skip_oversized).await?
        }
        RunInput::PlanFile(path) => {
            let plan = Plan::read(&path)?;
            check_cluster(&kafka, &plan).await?;
            plan
        }
    };
    let rate = req.rate.over(plan.rate);
    let earlier = earlier_replays(ctx, &plan).await?;
    if req.dry_run {
        if !earlier.is_empty() {
            ctx.out
                .warn(&duplicates::warning(&earlier, &plan.destination_label()));
        }
        if rate != plan.rate {
            plan.rate = rate;
            plan.estimated_duration_secs = plan.estimate_secs(rate);
            plan = plan.seal();
        }
        view::print_plan(&plan, ctx)?;
        placement::check(&plan)?;
        ctx.out.note("dry run: nothing was produced");
        return Ok(ExitCode::Success);
    }
    placement::check(&plan)?;
    if plan.records > req.max_records {
        return Err(Error::usage_hint(
            format!(
                "the plan replays {} records, above the --max-records ceiling of {}",
                plan.records_label(),
                req.max_records
            ),
            format!(
                "narrow the selection, or raise the ceiling with --max-records {}",
                plan.records
            ),
        ));
    }
    if !earlier.is_empty() && !req.allow_duplicate {
        return Err(duplicates::refusal(&earlier, &plan.destination_label()));
    }
    if let Some(o) = plan.oversized.as_ref().filter(|_| !req.skip_oversized) {
        return Err(Error::usage_hint(
            format!(
                "refusing to start a replay that would fail: {}; nothing was produced or recorded",
                o.describe()
            ),
            o.hint(SKIP_OVERSIZED_FLAG),
        ));
    }
    let plan = {
        let kafka = kafka.clone();
        blocking(move || check_writable(&kafka, &plan).map(|()| plan)).await??
    };
    view::print_plan_summary(&plan, rate);
    let state_dir = state::state_dir()?;
    let store = Store::new(&state_dir);
    let audit_log = audit_path(req.audit.log, ctx)?;
    let auditor = Auditor::new(audit_log.clone(), req.audit.topic.clone(), ctx).await?;
    let now = Utc::now();
    let mut st = ReplayState {
        id: state::new_replay_id(now),
        phase: Phase::Planned,
        owner: req.owner,
        reason: req.reason,
        ticket: req.ticket,
        plan,
        rate,
        audit_log,
        audit_topic: req.audit.topic,
        created_at: now,
        updated_at: now,
        finished_at: None,
        pid: None,
        attempts: 0,
        active_secs: 0.0,
        checkpoint: Default::default(),
        dest_start: Vec::new(),
        counts: Default::default(),
        sent_before_attempt: 0,
        duplicate_of: Vec::new(),
        skip_oversized: req.skip_oversized,
        error: None,
    };
    if !earlier.is_empty() {
        // Allowed explicitly: said in the audit log, and in the state.
        st.reason = duplicates::audited_reason(&st.reason, &earlier);
        st.duplicate_of = earlier.iter().map(|e| e.id.clone()).collect();
        ctx.out.warn(&format!(
            "sending a second copy ({}): {}",
            duplicates::ALLOW_FLAG,
            duplicates::summary(&earlier, &st.plan.destination_label())
        ));
    }
    if !req.yes && !ctx.out.interactive {
        // Fail before anything is recorded: nothing was planned to happen.
        confirm(ctx, false, "")?;
    }
    store.save(&st)?;
    auditor.event(&st, "planned", None, None, None).await?;
    let question = format!(
        "replay {} records into {} at {}?",
        st.plan.records_label(),
        st.plan.destination_label(),
        rate
    );
    if !confirm(ctx, req.yes, &question)? {
        st.phase = Phase::Aborted;
        st.finished_at = Some(Utc::now());
        store.save(&st)?;
        auditor
            .event(&st, "finished", Some("aborted"), None, None)
            .await?;
        return Err(Error::Incomplete {
            message: "replay aborted at the prompt; nothing was produced".into(),
            hint: None,
        });
    }
    st.dest_start = destination_starts(&kafka, &st.plan).await?;
    st.phase = Phase::Running;
    st.pid = Some(std::process::id());
    st.attempts = 1;
    st.updated_at = Utc::now();
    store.save(&st)?;
    auditor.event(&st, "started", None, None, None).await?;
    ctx.out.note(&format!(
        "replay {} started; audit log {}",
        st.id,
        auditor.log.path().display()
    ));
    let res = exec::execute(ctx, &kafka, &store, &auditor, &mut st, Default::default()).await;
    *finished = Some(st);
    res
}

async fn resume_cmd(req: ResumeRequest, ctx: &Context) -> Result<ExitCode> {
    ctx.out
        .require(&[OutputFormat::Table, OutputFormat::Json], "replay resume")?;
    let store = Store::new(&state::state_dir()?);
    let mut st = store.load(&req.id)?;
    match st.phase {
        Phase::Completed => {
            return Err(Error::usage_hint(
                format!("replay {} already completed", st.id),
                "nothing to resume; see `replay status`",
            ))
        }
        Phase::Aborted => {
            return Err(Error::usage_hint(
                format!("replay {} was aborted before it started", st.id),
                "start a new one with `replay run`",
            ))
        }
        Phase::Running if st.pid.is_some_and(state::process_alive) => {
            return Err(Error::usage_hint(
                format!(
                    "replay {} is still running (process {})",
                    st.id,
                    st.pid.unwrap_or_default()
                ),
                "wait for it, or stop it with Ctrl-C first",
            ))
        }
        _ => {}
    }
    let kafka = ctx.kafka()?;
    check_cluster(&kafka, &st.plan).await?;
    st.rate = req.rate.over(st.rate);
    st.skip_oversized |= req.skip_oversized;
    if let Some(o) = req.owner {
        st.owner = o;
    }
    let auditor = Auditor::new(st.audit_log.clone(), st.audit_topic.clone(), ctx).await?;
    if st.dest_start.is_empty() {
        st.dest_start = destination_starts(&kafka, &st.plan).await?;
    }
    let delivered = {
        let (kafka, st, out) = (kafka.clone(), st.clone(), ctx.out.clone());
        blocking(move || exec::delivered_positions(&kafka, &st, &out)).await??
    };
    st.counts.sent = delivered.len() as u64;
    st.counts.already_delivered = 0;
    st.sent_before_attempt = st.counts.sent;
    let question = format!(
        "resume replay {}: {} of {} records are in the destination; send the remaining {} at {}?",
        st.id,
        st.counts.sent,
        st.plan.records,
        st.remaining(),
        st.rate
    );
    if !confirm(ctx, req.yes, &question)? {
        return Err(Error::Incomplete {
            message: format!("replay {} not resumed", st.id),
            hint: None,
        });
    }
    st.phase = Phase::Running;
    st.pid = Some(std::process::id());
    st.attempts += 1;
    st.error = None;
    st.updated_at = Utc::now();
    store.save(&st)?;
    auditor.event(&st, "resumed", None, None, None).await?;
    ctx.out.note(&format!(
        "resuming replay {}: {} records already in the destination, {} to go",
        st.id,
        st.counts.sent,
        st.remaining()
    ));
    let res = exec::execute(ctx, &kafka, &store, &auditor, &mut st, delivered).await;
    view::print_result(&st, ctx)?;
    res
}

/// The destination's high watermarks before the first record, on a blocking thread.
async fn destination_starts(kafka: &Kafka, plan: &Plan) -> Result<Vec<state::DestStart>> {
    let (kafka, plan) = (kafka.clone(), plan.clone());
    blocking(move || exec::destination_starts(&kafka, &plan)).await?
}

fn verify_cmd(req: VerifyRequest, ctx: &Context) -> Result<ExitCode> {
    ctx.out
        .require(&[OutputFormat::Table, OutputFormat::Json], "audit verify")?;
    let path = audit_path(req.audit_log, ctx)?;
    let v = AuditLog::new(path).verify()?;
    view::print_verification(&v, ctx)?;
    if v.ok && !v.tail_checked && !req.allow_missing_head {
        return Err(Error::check_failed(format!(
            "cannot check the tail of audit log {}: its .head file is missing, so lines cut off the end would go unnoticed (restore the .head file, or pass --allow-missing-head to accept that)",
            v.path.display()
        )));
    }
    if v.ok {
        Ok(ExitCode::Success)
    } else {
        Err(Error::check_failed(format!(
            "audit log {} failed verification: {} problem(s)",
            v.path.display(),
            v.problems.len()
        )))
    }
}
