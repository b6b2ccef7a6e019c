//! How a rewind shows: its plan (per partition and totals), its result and the
//! rewinds in `replay status`, as tables for people or typed JSON for scripts.

use chrono::{DateTime, Utc};
use serde::Serialize;

use super::plan::{Move, RewindPlan};
use super::record::{RewindPhase, RewindState};
use crate::app::Context;
use crate::error::Result;
use crate::output::{Cell, Column, OutputFormat, Style};
use crate::timespec::{format_age, format_ms};

fn age(ts: Option<i64>, now: DateTime<Utc>) -> String {
    match ts {
        Some(ms) => {
            let d = (now.timestamp_millis() - ms).max(0) as u64;
            format_age(std::time::Duration::from_millis(d))
        }
        None => "-".into(),
    }
}

fn change(m: &Move) -> String {
    if m.is_forward() {
        format!("skip {}", m.skip)
    } else {
        m.reprocess.to_string()
    }
}

fn plan_text(plan: &RewindPlan, ctx: &Context) -> String {
    let mut t = ctx.out.table([
        Column::whole("partition"),
        Column::number("committed"),
        Column::number("target"),
        Column::whole("reprocess"),
        Column::whole("oldest age"),
        Column::number("keys").useful(),
    ]);
    for m in &plan.moves {
        t.add_row(vec![
            Cell::new(m.label()),
            Cell::new(super::guards::show(m.committed)),
            Cell::new(m.target.to_string()),
            Cell::new(change(m)).style_if(m.is_forward(), Style::Yellow),
            Cell::new(age(m.oldest_timestamp_ms, ctx.now)),
            Cell::new(m.distinct_keys.to_string()),
        ]);
    }
    let t = t.render().text;
    let tt = &plan.totals;
    let oldest = tt
        .oldest_timestamp_ms
        .map(|ms| {
            format!(
                "; oldest record {} ({} old)",
                format_ms(ms).unwrap_or_default(),
                age(Some(ms), ctx.now)
            )
        })
        .unwrap_or_default();
    let skipped = match tt.skip {
        0 => String::new(),
        n => format!("; {n} record(s) skipped: the group will never process them"),
    };
    format!(
        "rewind of group '{}' to {}\n{t}total: {} partition(s), {} record(s) to reprocess, {} distinct key(s){}{oldest}{skipped}\nplan {}\n",
        plan.group,
        plan.target,
        tt.partitions,
        tt.reprocess,
        tt.distinct_keys,
        match tt.null_keys {
            0 => String::new(),
            n => format!(" (+{n} without a key)"),
        },
        plan.hash
    )
}

/// The plan on stdout: a table, or the plan JSON (the same as the `--out` file).
pub fn print_plan(plan: &RewindPlan, ctx: &Context) -> Result<()> {
    for n in &plan.notes {
        ctx.out.note(n);
    }
    if ctx.out.format == OutputFormat::Json {
        return ctx.out.print_json(plan);
    }
    ctx.out.write_stdout(&plan_text(plan, ctx))
}

/// The plan on stderr, before the question: stdout is for the result.
pub fn show_plan(plan: &RewindPlan, ctx: &Context) {
    for n in &plan.notes {
        ctx.out.note(n);
    }
    crate::output::stderr_line(plan_text(plan, ctx).trim_end_matches('\n'));
}

/// A rewind as `replay status` and the result of `replay rewind` show it.
#[derive(Serialize)]
pub struct RewindView<'a> {
    pub kind: &'static str,
    pub id: &'a str,
    pub state: &'static str,
    pub group: &'a str,
    pub target: &'a str,
    pub owner: &'a str,
    pub reason: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub ticket: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub undo_of: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub undone_by: Option<&'a str>,
    pub partitions: usize,
    pub records_to_reprocess: u64,
    pub records_skipped: u64,
    pub plan_hash: &'a str,
    pub created_at: String,
    pub updated_at: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error: Option<&'a str>,
    pub moves: &'a [Move],
}

pub fn view(st: &RewindState) -> RewindView<'_> {
    RewindView {
        kind: "rewind",
        id: &st.id,
        state: st.phase.name(),
        group: &st.plan.group,
        target: &st.plan.target,
        owner: &st.owner,
        reason: &st.reason,
        ticket: st.ticket.as_deref(),
        undo_of: st.plan.undo_of.as_deref(),
        undone_by: st.undone_by.as_deref(),
        partitions: st.plan.moves.len(),
        records_to_reprocess: st.plan.totals.reprocess,
        records_skipped: st.plan.totals.skip,
        plan_hash: &st.plan.hash,
        created_at: st.created_at.to_rfc3339(),
        updated_at: st.updated_at.to_rfc3339(),
        error: st.error.as_deref(),
        moves: &st.plan.moves,
    }
}

pub fn print_result(st: &RewindState, ctx: &Context) -> Result<()> {
    if ctx.out.format == OutputFormat::Json {
        return ctx.out.print_json(&view(st));
    }
    let what = match &st.plan.undo_of {
        Some(of) => format!("undo {} of rewind {of}", st.id),
        None => format!("rewind {}", st.id),
    };
    let undo = match (&st.plan.undo_of, st.phase) {
        (None, RewindPhase::Committed) => format!("; undo with `kafkaops replay undo {}`", st.id),
        _ => String::new(),
    };
    ctx.out.write_stdout(&format!(
        "{what} {}: group '{}' moved on {} partition(s), {} record(s) to reprocess{undo}\n",
        st.phase.name(),
        st.plan.group,
        st.plan.moves.len(),
        st.plan.totals.reprocess
    ))
}

/// The rewinds table of `replay status`.
pub fn print_status(states: &[RewindState], ctx: &Context) -> Result<()> {
    let mut t = ctx.out.table([
        "REWIND",
        "STATE",
        "GROUP",
        "TARGET",
        "OWNER",
        "PARTITIONS",
        "REPROCESS",
        "UPDATED",
    ]);
    for s in states {
        let v = view(s);
        let state = match s.phase {
            RewindPhase::Committed => ctx.out.paint(v.state, Style::Green),
            RewindPhase::Failed | RewindPhase::Refused => ctx.out.paint(v.state, Style::Yellow),
            _ => v.state.to_string(),
        };
        t.add_row(vec![
            v.id.to_string(),
            state,
            v.group.to_string(),
            v.undo_of
                .map(|of| format!("undo of {of}"))
                .unwrap_or_else(|| v.target.to_string()),
            v.owner.to_string(),
            v.partitions.to_string(),
            v.records_to_reprocess.to_string(),
            v.updated_at.clone(),
        ]);
    }
    ctx.out.print_table(&t)
}
