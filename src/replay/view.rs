//! How replay shows things: plans, results, status and audit verification, as
//! tables for people or typed JSON for scripts.

use serde::Serialize;

use super::audit::Verification;
use super::plan::{human_bytes, Plan};
use super::rate::Rate;
use super::selection::Source;
use super::state::{Counts, Phase, ReplayState, Store};
use super::StatusRequest;
use crate::app::Context;
use crate::error::Result;
use crate::exit::ExitCode;
use crate::output::escape::escape_text;
use crate::output::{Cell, Column, OutputFormat, Style};

fn secs(s: f64) -> String {
    crate::timespec::format_age(std::time::Duration::from_secs_f64(s.max(0.0)))
}

fn summary_lines(plan: &Plan, rate: Rate) -> Vec<(String, String)> {
    let br = &plan.blast_radius;
    let mut lines = vec![
        ("plan".into(), plan.hash.clone()),
        ("selection".into(), plan.selection.describe()),
        (
            "records".into(),
            match plan.bytes {
                Some(b) => format!(
                    "{} ({}); skipped {} outside the window, {} filtered",
                    plan.records,
                    human_bytes(b),
                    plan.skipped_outside_window,
                    plan.skipped_filtered
                ),
                // Counted from offsets: see the plan module.
                None => format!(
                    "offsets {n} (records <= {n}; bytes unknown until read): offsets that hold no record and records outside the window are counted by the run",
                    n = plan.records
                ),
            },
        ),
        ("destination".into(), plan.destination_label()),
        ("partitions".into(), super::placement::summary(plan)),
        (
            "blast radius".into(),
            format!(
                "{}{}, {} destination partitions",
                match br.distinct_keys {
                    Some(k) => format!("{k} distinct keys"),
                    None => "distinct keys not counted (no record read)".into(),
                },
                match br.null_keys {
                    Some(n) if n > 0 => format!(" (+{n} without a key)"),
                    _ => String::new(),
                },
                br.destination_partitions.len()
            ),
        ),
        (
            "rate".into(),
            match plan.estimate_secs(rate) {
                Some(s) => format!("{rate} (about {})", secs(s)),
                None => rate.to_string(),
            },
        ),
        (
            "cluster".into(),
            plan.cluster_id.clone().unwrap_or_else(|| "unknown".into()),
        ),
    ];
    if let Some(o) = &plan.oversized {
        lines.push((
            "too large".into(),
            format!(
                "{}; `replay run` refuses unless given {}",
                o.describe(),
                super::SKIP_OVERSIZED_FLAG
            ),
        ));
    }
    if let Some(h) = &plan.held_back {
        // Only unreadable counts, nothing held back: a warning, not a held-back line.
        let key = if h.records > 0 {
            "held back"
        } else {
            "redrives"
        };
        lines.push((key.into(), h.describe(plan.selection.source_topic())));
    }
    lines
}

pub fn print_plan(plan: &Plan, ctx: &Context) -> Result<()> {
    if ctx.out.format == OutputFormat::Json {
        super::placement::print_section(plan, ctx)?;
        return ctx.out.print_json(plan);
    }
    let mut text = String::new();
    for (k, v) in summary_lines(plan, plan.rate) {
        text.push_str(&format!(
            "{:<13} {}\n",
            ctx.out.paint(&k, Style::Bold),
            escape_text(&v)
        ));
    }
    ctx.out.write_stdout(&text)?;
    let mut t = ctx.out.table([
        Column::number("PARTITION"),
        Column::number("FIRST"),
        Column::number("LAST"),
        Column::number("RECORDS"),
        Column::number("BYTES"),
        Column::number("OUTSIDE WINDOW").useful(),
        Column::number("FILTERED").useful(),
    ]);
    // A file's positions are line numbers, not offsets of a partition.
    let from_file = matches!(plan.selection.source, Source::File { .. });
    // Counted from offsets, a count is an upper bound.
    let count = |n: u64| {
        if plan.exact() {
            n.to_string()
        } else {
            format!("<={n}")
        }
    };
    let position = |o: i64| {
        if from_file {
            format!("line {o}")
        } else {
            o.to_string()
        }
    };
    for r in &plan.ranges {
        let (first, last) = if r.end > r.start {
            (position(r.start), position(r.end - 1))
        } else {
            ("-".into(), "-".into())
        };
        t.add_row(vec![
            if from_file {
                "-".into()
            } else {
                r.partition.to_string()
            },
            first,
            last,
            count(r.records),
            r.bytes.map_or_else(|| "-".into(), human_bytes),
            r.skipped_outside_window.to_string(),
            r.skipped_filtered.to_string(),
        ]);
    }
    ctx.out.print_table(&t)?;
    let mut d = ctx
        .out
        .table([Column::whole("DESTINATION"), Column::number("RECORDS")]);
    for (tp, n) in &plan.blast_radius.destination_partitions {
        d.add_row(vec![tp.clone(), count(*n)]);
    }
    ctx.out.print_table(&d)?;
    super::placement::print_section(plan, ctx)
}

/// The plan as a diagnostic before confirmation (stderr: stdout carries the result).
pub fn print_plan_summary(plan: &Plan, rate: Rate) {
    for (k, v) in summary_lines(plan, rate) {
        crate::output::stderr_line(&format!("{k:<13} {}", escape_text(&v)));
    }
}

#[derive(Serialize)]
struct ReplayView<'a> {
    id: &'a str,
    state: &'a str,
    owner: &'a str,
    reason: &'a str,
    ticket: Option<&'a str>,
    selection: String,
    destination: String,
    plan_hash: &'a str,
    /// An upper bound when `planned_from_offsets` (offsets, not records).
    records_planned: u64,
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    planned_from_offsets: bool,
    counts: Counts,
    /// Records acknowledged by the current (or last) attempt alone.
    sent_this_attempt: u64,
    /// Records acknowledged over all attempts (the same as `counts.sent`).
    sent_total: u64,
    remaining: u64,
    rate_limit: String,
    average_rate: Option<f64>,
    attempts: u32,
    created_at: String,
    updated_at: String,
    finished_at: Option<String>,
    checkpoint: &'a std::collections::BTreeMap<i32, i64>,
    /// Earlier replays this one was allowed to copy again (`--allow-duplicate`).
    duplicate_of: &'a [String],
    error: Option<&'a str>,
    audit_log: String,
}

fn view(st: &ReplayState) -> ReplayView<'_> {
    let t = |d: chrono::DateTime<chrono::Utc>| d.to_rfc3339_opts(chrono::SecondsFormat::Secs, true);
    ReplayView {
        id: &st.id,
        state: st.phase.name(),
        owner: &st.owner,
        reason: &st.reason,
        ticket: st.ticket.as_deref(),
        selection: st.plan.selection.describe(),
        destination: st.plan.destination_label(),
        plan_hash: &st.plan.hash,
        records_planned: st.plan.records,
        planned_from_offsets: !st.plan.exact(),
        counts: st.counts.clone(),
        sent_this_attempt: st.sent_this_attempt(),
        sent_total: st.counts.sent,
        remaining: st.remaining(),
        rate_limit: st.rate.to_string(),
        average_rate: st.average_rate().map(|r| (r * 10.0).round() / 10.0),
        attempts: st.attempts,
        created_at: t(st.created_at),
        updated_at: t(st.updated_at),
        finished_at: st.finished_at.map(t),
        checkpoint: &st.checkpoint,
        duplicate_of: &st.duplicate_of,
        error: st.error.as_deref(),
        audit_log: st.audit_log.display().to_string(),
    }
}

pub fn print_result(st: &ReplayState, ctx: &Context) -> Result<()> {
    if ctx.out.format == OutputFormat::Json {
        return ctx.out.print_json(&view(st));
    }
    let v = view(st);
    let rate = v
        .average_rate
        .map(|r| format!(", {r:.1}/s average"))
        .unwrap_or_default();
    ctx.out.write_stdout(&format!(
        "replay {} {}: {}{rate}; skipped {} outside the window, {} filtered{}{}{}\n",
        v.id,
        v.state,
        sent_line(&v),
        v.counts.skipped_outside_window,
        v.counts.skipped_filtered,
        if v.counts.skipped_oversized > 0 {
            format!(
                ", {} larger than the destination accepts",
                v.counts.skipped_oversized
            )
        } else {
            String::new()
        },
        if v.counts.skipped_redriven > 0 {
            format!(
                ", {} held back (already redriven {} time(s) or more)",
                v.counts.skipped_redriven,
                st.plan.selection.max_redrives()
            )
        } else {
            String::new()
        },
        if v.counts.empty_offsets > 0 {
            format!(
                "; {} offsets held no record (compaction gap or transaction marker)",
                v.counts.empty_offsets
            )
        } else {
            String::new()
        }
    ))
}

/// What was sent: by a first attempt, its count; by a resumed one, what this
/// attempt sent and the total over all attempts, which are not the same figure.
fn sent_line(v: &ReplayView<'_>) -> String {
    let up_to = if v.planned_from_offsets { "up to " } else { "" };
    let total = format!("{} of {up_to}{}", v.sent_total, v.records_planned);
    if v.attempts <= 1 && v.sent_this_attempt == v.sent_total {
        return format!("{total} records sent");
    }
    let already = if v.counts.already_delivered > 0 {
        format!(
            " ({} were already in the destination)",
            v.counts.already_delivered
        )
    } else {
        String::new()
    };
    format!(
        "sent {} this time{already}, {total} in total",
        v.sent_this_attempt
    )
}

pub fn status(req: StatusRequest, ctx: &Context) -> Result<ExitCode> {
    ctx.out
        .require(&[OutputFormat::Table, OutputFormat::Json], "replay status")?;
    let states = states(req.id.as_deref(), ctx)?;
    if ctx.out.format == OutputFormat::Json {
        let views: Vec<ReplayView<'_>> = states.iter().map(view).collect();
        if req.id.is_some() {
            return ctx.out.print_json(&views[0]).map(|_| ExitCode::Success);
        }
        return ctx.out.print_json(&views).map(|_| ExitCode::Success);
    }
    if states.is_empty() {
        ctx.out.note("no replays yet");
        return Ok(ExitCode::Success);
    }
    let mut t = ctx.out.table([
        Column::whole("ID"),
        Column::whole("STATE"),
        Column::shorten("OWNER", 8).useful(),
        Column::shorten("DESTINATION", 12).useful(),
        Column::number("SENT"),
        Column::number("PLANNED"),
        Column::number("SKIPPED").detail(),
        Column::number("RATE").detail(),
        Column::whole("UPDATED").detail(),
    ]);
    for s in &states {
        let v = view(s);
        let state = match s.phase {
            Phase::Completed => Cell::new(v.state).style(Style::Green),
            Phase::Failed | Phase::Interrupted => Cell::new(v.state).style(Style::Yellow),
            _ => Cell::new(v.state),
        };
        t.add_row(vec![
            Cell::new(v.id),
            state,
            Cell::new(v.owner),
            Cell::new(v.destination.clone()),
            Cell::new(v.counts.sent.to_string()),
            Cell::new(if v.planned_from_offsets {
                format!("<={}", v.records_planned)
            } else {
                v.records_planned.to_string()
            }),
            Cell::new(
                (v.counts.skipped_outside_window
                    + v.counts.skipped_filtered
                    + v.counts.skipped_oversized
                    + v.counts.skipped_redriven)
                    .to_string(),
            ),
            Cell::new(
                v.average_rate
                    .map(|r| format!("{r:.1}/s"))
                    .unwrap_or_else(|| "-".into()),
            ),
            Cell::new(v.updated_at.clone()),
        ]);
    }
    ctx.out.print_table(&t)?;
    if let Some(s) = states
        .iter()
        .find(|s| req.id.is_some() && s.error.is_some())
    {
        ctx.out.note(&format!(
            "last error: {}",
            s.error.as_deref().unwrap_or_default()
        ));
    }
    Ok(ExitCode::Success)
}

/// Every replay (or the one named), oldest first.
fn states(id: Option<&str>, ctx: &Context) -> Result<Vec<ReplayState>> {
    let store = Store::new(&super::state::state_dir()?);
    let states = match id {
        Some(id) => vec![store.load(id)?],
        None => {
            let (all, bad) = store.list()?;
            for b in bad {
                ctx.out.warn(&b);
            }
            all
        }
    };
    // A replay whose process died (kill -9, crash) still says running: show that.
    Ok(states
        .into_iter()
        .map(|mut s| {
            let observed = s.observed_phase(&super::state::process_alive);
            if observed != s.phase {
                s.phase = observed;
                s.error.get_or_insert_with(|| {
                    "the replaying process is gone (killed or crashed)".into()
                });
            }
            s
        })
        .collect())
}

/// Every replay's status view as JSON values, for a listing beside rewinds.
pub fn status_json(ctx: &Context) -> Result<Vec<serde_json::Value>> {
    Ok(states(None, ctx)?
        .iter()
        .map(|s| serde_json::to_value(view(s)).expect("views serialise"))
        .collect())
}

pub fn print_verification(v: &Verification, ctx: &Context) -> Result<()> {
    if ctx.out.format == OutputFormat::Json {
        return ctx.out.print_json(v);
    }
    if v.ok && !v.tail_checked {
        return ctx.out.write_stdout(&format!(
            "audit log {}: {} entries chain correctly, but without its .head file the tail cannot be checked\n",
            v.path.display(),
            v.entries
        ));
    }
    if v.ok {
        return ctx.out.write_stdout(&format!(
            "audit log {} is intact: {} entries\n",
            v.path.display(),
            v.entries
        ));
    }
    let mut t = ctx
        .out
        .table([Column::number("LINE"), Column::wrap("PROBLEM", 20)]);
    for p in &v.problems {
        t.add_row(vec![p.line.to_string(), p.problem.clone()]);
    }
    ctx.out.print_table(&t)
}
