//! `kafkaops drill`: a scheduled replay drill for CI. It replays a bounded window of
//! a real topic into an isolated scratch topic (or `--to`), then proves parity between
//! the source window and the destination (counts, and a digest over key, value,
//! headers and timestamp in source order per partition), measures the achieved
//! throughput against the rate ceiling, writes a JSON report and a JUnit XML report,
//! records the drill in the audit log, and exits 1 on any mismatch.
//! `--verify REPLAY_ID` re-checks an earlier replay or drill without replaying: the
//! records that replay planned ([`verify`]) against its copies in the destination,
//! and copies other replays wrote of the same records ([`parity`]).

pub mod junit;
pub mod parity;
pub mod verify;

use std::path::PathBuf;
use std::time::{Duration, Instant};

use chrono::{DateTime, Utc};
use serde::Serialize;

use crate::app::Context;
use crate::error::{Error, Result};
use crate::exit::ExitCode;
use crate::kafka::Kafka;
use crate::output::{Column, OutputFormat, Style};
use crate::replay::audit::{AuditEvent, AuditLog};
use crate::replay::rate::Rate;
use crate::replay::selection::{Destination, Selection, Source};
use crate::replay::state::{ReplayState, Store};
use crate::replay::{AuditOptions, RunInput, RunRequest};
use crate::timespec::format_time;
use parity::Parity;

#[derive(Debug)]
pub struct DrillRequest {
    pub mode: Mode,
    pub junit: Option<PathBuf>,
    pub report: Option<PathBuf>,
}

#[derive(Debug)]
pub enum Mode {
    Run(RunDrill),
    /// Re-verify an earlier replay by id.
    Verify(String),
}

#[derive(Debug)]
pub struct RunDrill {
    pub topic: String,
    pub window: Duration,
    pub at: DateTime<Utc>,
    pub rate: Rate,
    pub to: Option<String>,
    pub cleanup: bool,
    pub owner: String,
    pub ticket: Option<String>,
    pub max_records: u64,
    pub yes: bool,
    pub audit_log: Option<PathBuf>,
}

#[derive(Debug, Serialize)]
pub struct DrillReport {
    pub passed: bool,
    pub replay_id: String,
    pub source_topic: String,
    /// The export file a `--from-file` replay read (then `source_topic` is empty).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub source_file: Option<String>,
    pub window_from: Option<String>,
    pub window_until: Option<String>,
    pub destination: String,
    pub scratch_topic_created: bool,
    pub scratch_topic_removed: bool,
    pub records_planned: u64,
    pub parity: Parity,
    pub throughput: Throughput,
    pub failures: Vec<String>,
    pub duration_secs: f64,
}

#[derive(Debug, Serialize)]
pub struct Throughput {
    pub records_per_sec: Option<f64>,
    /// `None` for an unlimited drill.
    pub ceiling_per_sec: Option<f64>,
    /// Achieved over ceiling (a short run may exceed 1 by its first second's burst).
    pub ratio: Option<f64>,
    pub within_ceiling: bool,
}

pub async fn run(req: DrillRequest, ctx: &Context) -> Result<ExitCode> {
    ctx.out
        .require(&[OutputFormat::Table, OutputFormat::Json], "drill")?;
    let started = Instant::now();
    let kafka = ctx.kafka()?;
    let store = Store::new(&crate::replay::state::state_dir()?);
    let (st, created, replay_error) = match &req.mode {
        Mode::Verify(id) => (store.load(id)?, false, None),
        Mode::Run(d) => {
            let (st, created, err) = replay_window(d, &kafka, ctx).await?;
            (st, created, err)
        }
    };
    let mut failures = Vec::new();
    if let Some(e) = &replay_error {
        failures.push(format!("the replay did not complete: {e}"));
    }
    ctx.out
        .note(&format!("verifying parity of replay {}", st.id));
    // Other replays on this machine: copies they wrote of the same records count
    // as duplicates, and their plans say whether they were a second run.
    let (known, unreadable) = store.list()?;
    for b in unreadable {
        ctx.out.warn(&format!(
            "{b}; copies that replay wrote are listed as not known on this machine"
        ));
    }
    let parity = {
        let (kafka, st) = (kafka.clone(), st.clone());
        crate::app::blocking(move || verify::verify(&kafka, &st, &known)).await??
    };
    describe_failures(&parity, &mut failures);
    let throughput = throughput(&st);
    if !throughput.within_ceiling {
        failures.push(format!(
            "achieved {:.1} records/s, above the {:.1}/s ceiling",
            throughput.records_per_sec.unwrap_or_default(),
            throughput.ceiling_per_sec.unwrap_or_default()
        ));
    }
    let mut removed = false;
    if let Mode::Run(d) = &req.mode {
        if created && d.cleanup {
            removed = delete_topic(&kafka, &st.plan.destination_label(), ctx).await;
        }
    }
    let report = DrillReport {
        passed: failures.is_empty(),
        replay_id: st.id.clone(),
        source_topic: st
            .plan
            .selection
            .source_topic()
            .unwrap_or_default()
            .to_string(),
        source_file: match &st.plan.selection.source {
            Source::File { path } => Some(path.display().to_string()),
            Source::Topic { .. } => None,
        },
        window_from: st.plan.selection.from.map(format_time),
        window_until: st.plan.selection.until.map(format_time),
        destination: st.plan.destination_label(),
        scratch_topic_created: created,
        scratch_topic_removed: removed,
        records_planned: st.plan.records,
        parity,
        throughput,
        failures,
        duration_secs: started.elapsed().as_secs_f64(),
    };
    write_reports(&req, &report)?;
    record_in_audit_log(&st, &report)?;
    // A closed pipe (`| head`) ends the output, not the verdict: the exit code
    // still says whether the drill passed.
    match print(&report, ctx) {
        Err(Error::BrokenPipe) | Ok(()) => {}
        Err(e) => return Err(e),
    }
    if report.passed {
        Ok(ExitCode::Success)
    } else if let Some(e) = replay_error {
        Err(e)
    } else {
        Err(Error::check_failed(format!(
            "drill failed: {}",
            report.failures.first().cloned().unwrap_or_default()
        )))
    }
}

/// Create the destination if needed and run the replay of the window.
async fn replay_window(
    d: &RunDrill,
    kafka: &Kafka,
    ctx: &Context,
) -> Result<(ReplayState, bool, Option<Error>)> {
    let source = kafka.topic(&d.topic)?;
    let from = d.at
        - chrono::Duration::from_std(d.window)
            .map_err(|_| Error::usage("the --window is too large"))?;
    let (dest, created) = match &d.to {
        Some(to) => {
            let meta = kafka.topic(to)?;
            if meta.partitions.len() < source.partitions.len() {
                return Err(Error::usage_hint(
                    format!(
                        "'{to}' has {} partitions, fewer than the {} of '{}'",
                        meta.partitions.len(),
                        source.partitions.len(),
                        d.topic
                    ),
                    "a drill keeps each record's partition: give --to a topic with at least as many partitions",
                ));
            }
            (to.clone(), false)
        }
        None => {
            let name = format!(
                "{}.kafkaops-drill-{}",
                d.topic,
                Utc::now().format("%Y%m%d%H%M%S")
            );
            create_topic(kafka, &name, source.partitions.len() as i32).await?;
            ctx.out.note(&format!("created scratch topic '{name}'"));
            (name, true)
        }
    };
    let selection = Selection {
        source: Source::Topic {
            topic: d.topic.clone(),
        },
        from: Some(from),
        until: Some(d.at),
        partitions: None,
        offsets: Vec::new(),
        keys: Default::default(),
        partitioner: None,
        placement: None,
        dlq_category: None,
        dlq_group_by: Vec::new(),
        dlq_hints: Default::default(),
        destination: Destination::Topic { topic: dest },
        keep_dlq_headers: false,
        into_source: false,
        keep_timestamps: true,
        max_redrives: None,
    };
    selection.validate()?;
    let run = RunRequest {
        input: RunInput::Selection(Box::new(selection)),
        rate: d.rate.into(),
        owner: d.owner.clone(),
        reason: format!(
            "replay drill: parity of a {} window of '{}'",
            humantime::format_duration(d.window),
            d.topic
        ),
        ticket: d.ticket.clone(),
        max_records: d.max_records,
        yes: d.yes,
        dry_run: false,
        allow_duplicate: false,
        skip_oversized: false,
        audit: AuditOptions {
            log: d.audit_log.clone(),
            topic: None,
        },
    };
    let mut finished = None;
    let res = crate::replay::run_replay(run, ctx, &mut finished).await;
    match (finished, res) {
        (Some(st), Ok(_)) => Ok((st, created, None)),
        // Production started and failed: verify what is there, report, then fail.
        (Some(st), Err(e)) => Ok((st, created, Some(e))),
        (None, Err(e)) => Err(e),
        (None, Ok(_)) => Err(Error::Incomplete {
            message: "the replay produced nothing".into(),
            hint: None,
        }),
    }
}

/// The scratch topic: the source's partition count (a drill keeps each record's
/// partition), replicated like a production topic where the cluster allows it.
async fn create_topic(kafka: &Kafka, name: &str, partitions: i32) -> Result<()> {
    let brokers = kafka.metadata(None)?.brokers.len().max(1);
    let replication = brokers.min(3) as i32;
    kafka
        .create_topic(name, partitions, replication)
        .await
        .map_err(|e| {
            let instead = format!(
                "create a topic with at least {partitions} partitions yourself and pass it with --to"
            );
            let hint = match e.hint() {
                Some(h) => format!("{h}; or {instead}"),
                None => instead,
            };
            e.with_hint(hint)
        })
}

async fn delete_topic(kafka: &Kafka, name: &str, ctx: &Context) -> bool {
    match kafka.delete_topic(name).await {
        Ok(()) => {
            ctx.out.note(&format!("removed scratch topic '{name}'"));
            true
        }
        Err(e) => {
            ctx.out
                .warn(&format!("could not remove scratch topic '{name}': {e}"));
            false
        }
    }
}

fn describe_failures(p: &Parity, failures: &mut Vec<String>) {
    for pp in p.partitions.iter().filter(|pp| !pp.ok) {
        failures.push(format!(
            "partition {}: {} source records, {} in the destination; {} missing, {} duplicated, {} altered (e.g. offsets {:?})",
            pp.partition, pp.source_records, pp.destination_records, pp.missing, pp.duplicated, pp.altered, pp.examples
        ));
    }
    if p.unexpected > 0 {
        failures.push(format!(
            "{} destination records claim source positions outside the window",
            p.unexpected
        ));
    }
    if p.out_of_order > 0 {
        failures.push(format!(
            "{} destination records are out of source order",
            p.out_of_order
        ));
    }
    for o in &p.other_replays {
        failures.push(format!(
            "replay {} ({}) also wrote {} of these records into the destination",
            o.replay_id,
            other_plan(o),
            o.records
        ));
    }
}

fn other_plan(o: &parity::OtherReplay) -> &'static str {
    match (o.same_plan, &o.plan_hash) {
        (true, _) => "a second run of the same plan",
        (false, Some(_)) => "another plan",
        (false, None) => "not known on this machine",
    }
}

fn throughput(st: &ReplayState) -> Throughput {
    let achieved = st.average_rate();
    let ceiling = st.rate.records_per_sec.per_sec();
    let ratio = achieved.zip(ceiling).map(|(a, c)| a / c);
    // The limiter may let one second's worth through at once, so a short run's average
    // can exceed the ceiling legitimately: the bound is `ceiling x (seconds + 1)`.
    let allowed = ceiling.map(|c| c * (st.active_secs + 1.0) * 1.02);
    Throughput {
        records_per_sec: achieved,
        ceiling_per_sec: ceiling,
        ratio,
        within_ceiling: allowed.is_none_or(|a| st.counts.sent as f64 <= a),
    }
}

fn write_reports(req: &DrillRequest, r: &DrillReport) -> Result<()> {
    if let Some(path) = &req.report {
        let json = serde_json::to_string_pretty(r).expect("reports serialise");
        std::fs::write(path, json + "\n")
            .map_err(|e| Error::file("write the report to", path, e))?;
    }
    if let Some(path) = &req.junit {
        let seconds = r.duration_secs / (r.parity.partitions.len() + 5) as f64;
        let mut cases = vec![junit::Case {
            name: "replay completed".into(),
            seconds,
            failure: r
                .failures
                .iter()
                .find(|f| f.starts_with("the replay did not complete"))
                .cloned(),
        }];
        cases.push(junit::Case {
            name: "record count".into(),
            seconds,
            failure: (r.parity.source_records != r.parity.destination_records).then(|| {
                format!(
                    "{} records in the source window, {} in the destination",
                    r.parity.source_records, r.parity.destination_records
                )
            }),
        });
        for pp in &r.parity.partitions {
            cases.push(junit::Case {
                name: format!("partition {} parity", pp.partition),
                seconds,
                failure: (!pp.ok).then(|| {
                    format!(
                        "{} missing, {} duplicated, {} altered (e.g. offsets {:?})\nsource digest {}\ndestination digest {}",
                        pp.missing, pp.duplicated, pp.altered, pp.examples, pp.source_digest, pp.destination_digest
                    )
                }),
            });
        }
        cases.push(junit::Case {
            name: "order and extras".into(),
            seconds,
            failure: (r.parity.unexpected > 0 || r.parity.out_of_order > 0).then(|| {
                format!(
                    "{} unexpected records, {} out of order",
                    r.parity.unexpected, r.parity.out_of_order
                )
            }),
        });
        cases.push(junit::Case {
            name: "copies by other replays".into(),
            seconds,
            failure: (!r.parity.other_replays.is_empty()).then(|| {
                r.parity
                    .other_replays
                    .iter()
                    .map(|o| format!("{}: {} ({})", o.replay_id, o.records, other_plan(o)))
                    .collect::<Vec<_>>()
                    .join("\n")
            }),
        });
        cases.push(junit::Case {
            name: "rate ceiling".into(),
            seconds,
            failure: (!r.throughput.within_ceiling).then(|| {
                format!(
                    "achieved {:.1}/s over a {:.1}/s ceiling",
                    r.throughput.records_per_sec.unwrap_or_default(),
                    r.throughput.ceiling_per_sec.unwrap_or_default()
                )
            }),
        });
        let xml = junit::render(&format!("kafkaops drill {}", r.source_topic), &cases);
        std::fs::write(path, xml).map_err(|e| Error::file("write the JUnit report to", path, e))?;
    }
    Ok(())
}

fn record_in_audit_log(st: &ReplayState, r: &DrillReport) -> Result<()> {
    let mut event = AuditEvent::for_replay(
        st,
        "drill",
        Some(if r.passed { "passed" } else { "failed" }),
        r.failures.first().cloned(),
        Some(r.duration_secs),
    );
    // What the drill found in the destination, not what the replay counted.
    event.records_sent = Some(r.parity.destination_records);
    event.records_skipped = None;
    AuditLog::new(st.audit_log.clone()).append(event, Utc::now())?;
    Ok(())
}

fn print(r: &DrillReport, ctx: &Context) -> Result<()> {
    if ctx.out.format == OutputFormat::Json {
        return ctx.out.print_json(r);
    }
    let verdict = if r.passed {
        ctx.out.paint("PASSED", Style::Green)
    } else {
        ctx.out.paint("FAILED", Style::Red)
    };
    let source = match &r.source_file {
        Some(f) => format!("file {f}"),
        None => format!("'{}'", r.source_topic),
    };
    let mut s = format!(
        "drill {verdict}: replay {} of {source} [{} .. {}) into '{}'\n",
        r.replay_id,
        r.window_from.as_deref().unwrap_or("-"),
        r.window_until.as_deref().unwrap_or("-"),
        r.destination
    );
    let sum =
        |f: fn(&parity::PartitionParity) -> u64| -> u64 { r.parity.partitions.iter().map(f).sum() };
    s.push_str(&format!(
        "records: {} planned, {} in the destination; {} missing, {} unexpected, {} altered, {} duplicated; throughput {} against {}\n",
        r.parity.source_records,
        r.parity.destination_records,
        sum(|p| p.missing),
        r.parity.unexpected,
        sum(|p| p.altered),
        sum(|p| p.duplicated),
        r.throughput
            .records_per_sec
            .map(|v| format!("{v:.1}/s"))
            .unwrap_or_else(|| "n/a".into()),
        r.throughput
            .ceiling_per_sec
            .map(|c| format!("a {c:.0}/s ceiling"))
            .unwrap_or_else(|| "no ceiling".into())
    ));
    ctx.out.write_stdout(&s)?;
    let mut t = ctx.out.table([
        Column::number("partition"),
        Column::number("source"),
        Column::number("destination"),
        Column::number("missing"),
        Column::number("duplicated"),
        Column::number("altered"),
        Column::whole("digest").useful(),
    ]);
    for p in &r.parity.partitions {
        t.add_row(vec![
            p.partition.to_string(),
            p.source_records.to_string(),
            p.destination_records.to_string(),
            p.missing.to_string(),
            p.duplicated.to_string(),
            p.altered.to_string(),
            if p.source_digest == p.destination_digest {
                short(&p.source_digest)
            } else {
                format!(
                    "{} ≠ {}",
                    short(&p.source_digest),
                    short(&p.destination_digest)
                )
            },
        ]);
    }
    if !r.parity.partitions.is_empty() {
        ctx.out.print_table(&t)?;
    }
    if !r.parity.other_replays.is_empty() {
        let mut o = ctx.out.table(["other replay", "plan", "copies"]);
        for x in &r.parity.other_replays {
            o.add_row(vec![
                x.replay_id.clone(),
                other_plan(x).to_string(),
                x.records.to_string(),
            ]);
        }
        ctx.out.print_table(&o)?;
    }
    for f in &r.failures {
        ctx.out.warn(f);
    }
    Ok(())
}

fn short(digest: &str) -> String {
    digest
        .trim_start_matches("sha256:")
        .chars()
        .take(12)
        .collect()
}
