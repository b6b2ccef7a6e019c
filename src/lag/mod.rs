//! `kafkaops lag`: which group is behind, by how much, how old its backlog is, and
//! whether it is catching up. Lag per group/topic/partition, event age (now minus
//! the timestamp of the first unconsumed record), a summary per group, Burrow-style
//! trend statuses over `--samples`, thresholds for CI, and `--watch`.
//!
//! Layout: [`model`], [`trend`], [`check`], [`prometheus`] and [`render`] are pure;
//! [`collect`] talks to the brokers through the Kafka layer ([`crate::kafka`]).
//! `run` wires them together.

pub mod check;
pub mod collect;
pub mod model;
pub mod prometheus;
pub mod render;
pub mod trend;

use std::io::IsTerminal;
use std::path::PathBuf;
use std::time::Duration;

use crate::app::{blocking, Context};
use crate::error::{Error, Result};
use crate::exit::ExitCode;
use crate::output::{Capture, Output, OutputFormat};
use crate::signal::Stop;

pub use check::{Breach, Thresholds};
use collect::Collector;
pub use collect::GroupSelection;
use model::{GroupLag, Snapshot};
use render::Report;

/// A `kafkaops lag` invocation, free of clap.
#[derive(Clone, Debug)]
pub struct Request {
    pub selection: GroupSelection,
    pub topic: Option<String>,
    /// Look up event ages (not `--no-age`).
    pub ages: bool,
    /// Snapshots to take (`--samples`), at least 1.
    pub samples: u32,
    pub interval: Duration,
    pub allowed_lag: i64,
    pub thresholds: Thresholds,
    /// `--watch INTERVAL`: redraw until Ctrl-C.
    pub watch: Option<Duration>,
    /// `--out FILE`: replace FILE atomically with each complete report (or frame)
    /// instead of writing to stdout; a failed run leaves the previous file.
    pub out: Option<PathBuf>,
}

/// Partition notes printed on stderr in table mode before "and N more".
const MAX_PARTITION_NOTES: usize = 10;

pub async fn run(req: Request, ctx: &Context) -> Result<ExitCode> {
    // A file gets no colour codes, whatever the terminal stdout is.
    let mut plain = ctx.out.clone();
    plain.color = false;
    let out = if req.out.is_some() { &plain } else { &ctx.out };
    out.require(
        &[
            OutputFormat::Table,
            OutputFormat::Json,
            OutputFormat::Jsonl,
            OutputFormat::Prometheus,
        ],
        "lag",
    )?;
    if req.watch.is_some() {
        // A file holds one frame at a time, so a Prometheus textfile can be kept
        // fresh by one long-running `--watch`; on stdout frames would pile up.
        if req.out.is_some() {
            out.require(
                &[
                    OutputFormat::Table,
                    OutputFormat::Jsonl,
                    OutputFormat::Prometheus,
                ],
                "lag --watch --out",
            )?;
        } else {
            out.require(&[OutputFormat::Table, OutputFormat::Jsonl], "lag --watch")?;
        }
    }
    let capture = req.out.as_deref().map(|p| out.capture_to(p));
    let kafka = ctx.kafka()?;
    let (selection, topic, ages) = (req.selection.clone(), req.topic.clone(), req.ages);
    let collector = blocking(move || Collector::new(&kafka, &selection, topic, ages)).await??;
    match req.watch {
        Some(every) => watch(collector, every, &req, out, capture.as_ref()).await,
        None => report(collector, &req, out, capture.as_ref()).await,
    }
}

/// The report over the snapshots taken so far.
fn build_report(snapshots: &[Snapshot], req: &Request, notes: &[String]) -> Report {
    let groups = evaluate(snapshots, req.allowed_lag, true);
    let breaches = check::check_selected(&groups, &req.thresholds, |g| match &req.selection {
        GroupSelection::Named { names, .. } => names.iter().any(|n| n == g),
        GroupSelection::Matching(_) | GroupSelection::All => false,
    });
    Report {
        generated_at: snapshots.last().expect("one snapshot").at,
        samples: snapshots.len() as u32,
        interval_seconds: (snapshots.len() > 1).then_some(req.interval.as_secs_f64()),
        groups,
        breaches,
        notes: notes.to_vec(),
    }
}

/// The report as data, in the `-o` format, to stdout or the capture.
fn write_report(out: &Output, rep: &Report) -> Result<()> {
    let sampled = rep.samples > 1;
    match out.format {
        OutputFormat::Table => {
            out.write_stdout(&render::tables_text(out, &rep.groups, sampled, sampled))
        }
        OutputFormat::Json => out.print_json(rep),
        OutputFormat::Jsonl => {
            for line in render::lines(rep) {
                out.print_jsonl(&line)?;
            }
            Ok(())
        }
        OutputFormat::Prometheus => {
            out.write_stdout(&prometheus::render(&rep.groups, rep.generated_at))
        }
    }
}

async fn take(collector: Collector) -> Result<(Collector, Snapshot)> {
    let (collector, snap) = blocking(move || {
        let mut c = collector;
        let s = c.snapshot();
        (c, s)
    })
    .await?;
    Ok((collector, snap?))
}

/// Sleep, or return `true` when Ctrl-C or SIGTERM came first (then or earlier).
async fn sleep_or_interrupt(d: Duration, stop: &Stop) -> bool {
    tokio::select! {
        _ = tokio::time::sleep(d) => stop.stopped(),
        _ = stop.wait() => true,
    }
}

/// Groups of the last snapshot, with trend figures from the whole series.
pub(crate) fn evaluate(snapshots: &[Snapshot], allowed_lag: i64, statuses: bool) -> Vec<GroupLag> {
    let last = snapshots.last().expect("at least one snapshot");
    let mut groups: Vec<GroupLag> = last
        .groups
        .iter()
        .map(|g| model::group_lag(g, last.at, last.ages))
        .collect();
    if snapshots.len() > 1 {
        trend::apply(&mut groups, snapshots, allowed_lag, statuses);
    }
    groups
}

async fn report(
    mut collector: Collector,
    req: &Request,
    out: &Output,
    capture: Option<&Capture<'_>>,
) -> Result<ExitCode> {
    let mut snapshots = Vec::with_capacity(req.samples as usize);
    let stop = Stop::install();
    for i in 0..req.samples {
        if i > 0 && sleep_or_interrupt(req.interval, &stop).await {
            return Err(Error::Interrupted {
                message: format!("interrupted after {i} of {} samples", req.samples),
                hint: Some("nothing was changed; run again, or use fewer --samples".into()),
            });
        }
        let (c, snap) = take(collector).await?;
        collector = c;
        snapshots.push(snap);
        if req.samples > 1 {
            // Progress for people; scripts driving a consumer between samples key on it.
            out.note(&format!("sample {}/{} taken", i + 1, req.samples));
            // The file holds the latest complete sample while the others are taken.
            if let Some(cap) = capture.filter(|_| i + 1 < req.samples) {
                write_report(out, &build_report(&snapshots, req, &collector.notes))?;
                cap.commit()?;
            }
        }
    }
    let rep = build_report(&snapshots, req, &collector.notes);
    // A CI gate on event age must not pass because the age could not be read.
    let unchecked_age = if req.thresholds.max_age.is_some() {
        rep.groups
            .iter()
            .flat_map(|g| &g.partitions)
            .filter(|p| p.lag.is_some_and(|l| l > 0) && p.event_age_seconds.is_none())
            .count()
    } else {
        0
    };
    for n in &rep.notes {
        out.note(n);
    }
    if out.format == OutputFormat::Table {
        print_partition_notes(out, &rep.groups);
    }
    write_report(out, &rep)?;
    if let Some(cap) = capture {
        cap.commit()?;
    }
    for b in &rep.breaches {
        crate::output::stderr_line(&format!(
            "breach: {}",
            crate::output::escape::escape_lines(&b.line())
        ));
    }
    if unchecked_age > 0 {
        return Err(Error::broker(
            format!(
                "could not check --max-age on {unchecked_age} lagging partition(s): their first unconsumed record could not be read"
            ),
            Some(
                "check that the brokers are reachable and that this client may read the topics (ACL Read); \
                 --no-age skips event ages (without --max-age)"
                    .into(),
            ),
        ));
    }
    if rep.breaches.is_empty() {
        return Ok(ExitCode::Success);
    }
    Err(Error::check_failed(failure_summary(&rep.breaches)))
}

/// "2 thresholds breached; 1 group the gate cannot see".
fn failure_summary(breaches: &[Breach]) -> String {
    let unseen = breaches
        .iter()
        .filter(|b| b.check == check::Check::Unseen)
        .count();
    let n = breaches.len() - unseen;
    let mut parts = Vec::new();
    if n > 0 {
        parts.push(format!(
            "{n} threshold{} breached",
            if n == 1 { "" } else { "s" }
        ));
    }
    if unseen > 0 {
        parts.push(format!(
            "{unseen} group{} the gate cannot see (no committed offsets; see the breaches above)",
            if unseen == 1 { "" } else { "s" }
        ));
    }
    parts.join("; ")
}

fn print_partition_notes(out: &Output, groups: &[GroupLag]) {
    let notes: Vec<String> = groups
        .iter()
        .flat_map(|g| {
            g.partitions.iter().flat_map(move |p| {
                p.notes
                    .iter()
                    .map(move |n| format!("group '{}' {}[{}]: {n}", g.group, p.topic, p.partition))
            })
        })
        .collect();
    for n in notes.iter().take(MAX_PARTITION_NOTES) {
        out.note(n);
    }
    if notes.len() > MAX_PARTITION_NOTES {
        out.note(&format!(
            "... and {} more partition notes (-o json has them all)",
            notes.len() - MAX_PARTITION_NOTES
        ));
    }
}

async fn watch(
    mut collector: Collector,
    every: Duration,
    req: &Request,
    out: &Output,
    capture: Option<&Capture<'_>>,
) -> Result<ExitCode> {
    // A file gets each frame whole, without the codes that redraw a terminal.
    let tty = capture.is_none() && std::io::stdout().is_terminal();
    let mut prev: Option<Snapshot> = None;
    let mut noted = 0;
    let stop = Stop::install();
    loop {
        let (c, snap) = take(collector).await?;
        collector = c;
        for n in &collector.notes[noted..] {
            out.note(n);
        }
        noted = collector.notes.len();
        let series: Vec<Snapshot> = prev
            .take()
            .into_iter()
            .chain(std::iter::once(snap.clone()))
            .collect();
        let groups = evaluate(&series, req.allowed_lag, false);
        match out.format {
            OutputFormat::Jsonl => {
                let rep = Report {
                    generated_at: snap.at,
                    samples: 1,
                    interval_seconds: Some(every.as_secs_f64()),
                    groups,
                    breaches: Vec::new(),
                    notes: Vec::new(),
                };
                for line in render::lines(&rep) {
                    out.print_jsonl(&line)?;
                }
            }
            OutputFormat::Prometheus => out.write_stdout(&prometheus::render(&groups, snap.at))?,
            _ => {
                let mut frame = String::new();
                if tty {
                    // Clear the screen and home the cursor: redraw in place.
                    frame.push_str("\x1b[2J\x1b[H");
                }
                frame.push_str(&format!(
                    "kafkaops lag, every {} at {} (Ctrl-C to stop)\n",
                    humantime::format_duration(every),
                    snap.at.format("%H:%M:%S")
                ));
                // Rate and ETA need two frames; the first shows levels only.
                frame.push_str(&render::tables_text(out, &groups, false, series.len() > 1));
                if !tty {
                    frame.push('\n');
                }
                out.write_stdout(&frame)?;
            }
        }
        if let Some(cap) = capture {
            cap.commit()?;
        }
        prev = Some(snap);
        if sleep_or_interrupt(every, &stop).await {
            return Ok(ExitCode::Success);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::check::Check;
    use super::*;

    fn breach(check: Check) -> Breach {
        Breach {
            group: "g".into(),
            topic: None,
            partition: None,
            check,
            value: None,
            limit: None,
            status: None,
            message: String::new(),
        }
    }

    #[test]
    fn the_failure_says_what_breached_and_what_could_not_be_seen() {
        assert_eq!(
            failure_summary(&[breach(Check::Lag)]),
            "1 threshold breached"
        );
        assert_eq!(
            failure_summary(&[breach(Check::Unseen)]),
            "1 group the gate cannot see (no committed offsets; see the breaches above)"
        );
        assert_eq!(
            failure_summary(&[breach(Check::Lag), breach(Check::EventAge), breach(Check::Unseen), breach(Check::Unseen)]),
            "2 thresholds breached; 2 groups the gate cannot see (no committed offsets; see the breaches above)"
        );
    }
}
