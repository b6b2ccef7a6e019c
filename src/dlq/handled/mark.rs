//! `kafkaops dlq mark`: record that categories of a dead-letter topic were
//! handled or discarded, up to each partition's log end now (or given offsets).
//! It scans like triage to show what the mark covers (records per category and
//! partition), asks for confirmation, and appends the mark to the audit log.

use std::collections::BTreeMap;

use serde::Serialize;

use super::{load_for, Disposition, HandledMark, MarkedCategory, MarkedRange};
use crate::app::Context;
use crate::dlq::category::{message_headers_checked, Classifier, RecordParts};
use crate::dlq::render::thousands;
use crate::dlq::scan::{self, Flow};
use crate::dlq::{MarkRequest, Scope};
use crate::error::{Error, Result};
use crate::exit::ExitCode;
use crate::kafka::Message;
use crate::output::{Cell, Column, OutputFormat};
use crate::replay::audit::{AuditEvent, AuditLog};

/// Records of one category in one partition.
#[derive(Clone, Copy, Debug, Serialize)]
pub struct PartitionSpan {
    pub partition: i32,
    pub first_offset: i64,
    pub last_offset: i64,
    pub records: u64,
}

#[derive(Clone, Debug, Serialize)]
pub struct CategorySpan {
    pub id: String,
    pub records: u64,
    /// Of `records`, covered by an earlier mark already.
    pub already_handled: u64,
    pub partitions: Vec<PartitionSpan>,
}

/// `dlq mark -o json`.
#[derive(Clone, Debug, Serialize)]
pub struct MarkReport {
    pub topic: String,
    pub disposition: Disposition,
    pub owner: String,
    pub reason: String,
    pub ticket: Option<String>,
    pub ranges: Vec<MarkedRange>,
    pub categories: Vec<CategorySpan>,
    pub records: u64,
    pub audit_log: std::path::PathBuf,
    pub dry_run: bool,
    /// The mark was appended to the audit log.
    pub marked: bool,
}

#[derive(Default)]
struct Tally {
    by_category: BTreeMap<String, (u64, BTreeMap<i32, PartitionSpan>)>,
}

pub fn run(req: MarkRequest, ctx: &Context) -> Result<ExitCode> {
    let out = &ctx.out;
    out.require(&[OutputFormat::Table, OutputFormat::Json], "dlq mark")?;
    let classifier = Classifier::new(req.classifier.clone())?;
    let kafka = ctx.kafka()?;
    let scope = Scope {
        topic: req.topic.clone(),
        from: None,
        until: None,
        partitions: None,
        max_records: None,
    };
    let mut plan = scan::plan(&kafka, &scope, out, &[])?;
    apply_up_to(&mut plan, &req.up_to)?;
    let (marks, marks_report) = load_for(&kafka, &req.audit_log, ctx, &plan.topic)?;
    if let Some(p) = &marks_report.problem {
        out.warn(&format!(
            "audit log {} fails verification ({p}); earlier marks are not counted",
            marks_report.audit_log.display()
        ));
    }
    let wanted = &req.categories;
    let lanes = scan::lanes_for(&plan, None);
    let (tallies, counts) = scan::run_lanes(
        &kafka,
        &plan,
        out,
        &format!("reading {}", plan.topic),
        lanes,
        || (classifier.clone(), Tally::default()),
        |(classifier, tally), msg| {
            let (headers, _) = message_headers_checked(msg);
            let parts = RecordParts {
                partition: msg.partition(),
                key: msg.key(),
                value: msg.payload(),
                headers: &headers,
            };
            let id = classifier.category_id(&parts);
            if !wanted.contains(&id) {
                return Ok(Flow::Continue);
            }
            let offset = msg.offset();
            let done = marks.disposition(&id, parts.partition, offset).is_some();
            let (handled, spans) = tally.by_category.entry(id).or_default();
            *handled += u64::from(done);
            let s = spans.entry(parts.partition).or_insert(PartitionSpan {
                partition: parts.partition,
                first_offset: offset,
                last_offset: offset,
                records: 0,
            });
            s.first_offset = s.first_offset.min(offset);
            s.last_offset = s.last_offset.max(offset);
            s.records += 1;
            Ok(Flow::Continue)
        },
    )?;
    if counts.interrupted {
        return Err(Error::Interrupted {
            message: "interrupted while reading; nothing was marked".into(),
            hint: None,
        });
    }
    let mut merged = Tally::default();
    for (_, t) in tallies {
        for (id, (handled, spans)) in t.by_category {
            let e = merged.by_category.entry(id).or_default();
            e.0 += handled;
            for (p, s) in spans {
                e.1.entry(p)
                    .and_modify(|m| {
                        m.first_offset = m.first_offset.min(s.first_offset);
                        m.last_offset = m.last_offset.max(s.last_offset);
                        m.records += s.records;
                    })
                    .or_insert(s);
            }
        }
    }
    let mut categories = Vec::new();
    for id in wanted {
        let Some((already_handled, spans)) = merged.by_category.remove(id) else {
            return Err(Error::usage_hint(
                format!(
                    "category {id} has no records in '{}' in the range to mark",
                    plan.topic
                ),
                format!(
                    "list the categories and their IDs with `kafkaops dlq triage --topic {}` (with the same --group-by and --reason-* options)",
                    plan.topic
                ),
            ));
        };
        let partitions: Vec<PartitionSpan> = spans.into_values().collect();
        categories.push(CategorySpan {
            id: id.clone(),
            records: partitions.iter().map(|p| p.records).sum(),
            already_handled,
            partitions,
        });
    }
    let ranges: Vec<MarkedRange> = plan
        .partitions
        .iter()
        .filter(|p| p.end > p.start || req.up_to.iter().any(|(q, _)| *q == p.partition))
        .map(|p| MarkedRange {
            partition: p.partition,
            // Everything before the end, including offsets retention removed.
            from: 0,
            up_to: p.end,
        })
        .collect();
    let audit_log = marks_report.audit_log.clone();
    let mut report = MarkReport {
        topic: plan.topic.clone(),
        disposition: req.disposition,
        owner: req.owner.clone(),
        reason: req.reason.clone(),
        ticket: req.ticket.clone(),
        records: categories.iter().map(|c| c.records).sum(),
        ranges,
        categories,
        audit_log: audit_log.clone(),
        dry_run: req.dry_run,
        marked: false,
    };
    if req.dry_run {
        print(&report, ctx)?;
        return Ok(ExitCode::Success);
    }
    if out.format == OutputFormat::Table {
        print(&report, ctx)?;
    }
    let question = format!(
        "mark {} records of {} categor{} in '{}' as {}?",
        thousands(report.records),
        report.categories.len(),
        if report.categories.len() == 1 {
            "y"
        } else {
            "ies"
        },
        report.topic,
        req.disposition.as_str()
    );
    let yes = out.confirm(
        req.yes,
        &question,
        "refusing to mark DLQ records without confirmation: stdin is not a terminal",
        "review what would be marked with --dry-run, then pass --yes",
    )?;
    if !yes {
        return Err(Error::Incomplete {
            message: "nothing was marked".into(),
            hint: None,
        });
    }
    let cluster_id = kafka.consumer(None).ok().and_then(|c| kafka.cluster_id(&c));
    let mark = HandledMark {
        topic: report.topic.clone(),
        disposition: req.disposition,
        categories: report
            .categories
            .iter()
            .map(|c| MarkedCategory {
                id: c.id.clone(),
                records: c.records,
            })
            .collect(),
        ranges: report.ranges.clone(),
        records: report.records,
        group_by: req
            .classifier
            .group_by
            .iter()
            .map(|d| d.as_str().to_string())
            .collect(),
    };
    let event = AuditEvent {
        event: "dlq-marked".into(),
        owner: req.owner.clone(),
        os_user: whoami::username(),
        host: gethostname::gethostname().to_string_lossy().into_owned(),
        reason: Some(req.reason.clone()),
        ticket: req.ticket.clone(),
        selection: format!(
            "dlq topic {} categories {}",
            report.topic,
            req.categories.join(",")
        ),
        records_planned: report.records,
        cluster_id,
        tool_version: env!("CARGO_PKG_VERSION").to_string(),
        dlq: Some(mark),
        ..AuditEvent::default()
    };
    AuditLog::new(audit_log.clone()).append(event, chrono::Utc::now())?;
    report.marked = true;
    match out.format {
        OutputFormat::Json => out.print_json(&report)?,
        _ => out.write_stdout(&format!(
            "marked {} records as {}; audit log {}\n",
            thousands(report.records),
            req.disposition.as_str(),
            audit_log.display()
        ))?,
    }
    Ok(ExitCode::Success)
}

/// Limit the read to `--up-to P:O` (exclusive), when given: only those partitions.
fn apply_up_to(plan: &mut scan::ScanPlan, up_to: &[(i32, i64)]) -> Result<()> {
    if up_to.is_empty() {
        return Ok(());
    }
    for (p, o) in up_to {
        let Some(part) = plan.partitions.iter().find(|x| x.partition == *p) else {
            return Err(Error::usage_hint(
                format!("partition {p} does not exist on topic '{}'", plan.topic),
                format!("'{}' has {} partitions", plan.topic, plan.partitions.len()),
            ));
        };
        if *o > part.high {
            return Err(Error::usage_hint(
                format!(
                    "--up-to {p}:{o} is beyond the log end of partition {p} ({})",
                    part.high
                ),
                format!("records are not there yet; use at most {p}:{}", part.high),
            ));
        }
    }
    for part in &mut plan.partitions {
        match up_to.iter().find(|(p, _)| *p == part.partition) {
            Some((_, o)) => part.end = (*o).max(part.start),
            None => part.end = part.start,
        }
    }
    plan.total = plan
        .partitions
        .iter()
        .map(|p| (p.end - p.start).max(0) as u64)
        .sum();
    Ok(())
}

fn print(r: &MarkReport, ctx: &Context) -> Result<()> {
    let out = &ctx.out;
    if out.format == OutputFormat::Json {
        return out.print_json(r);
    }
    let mut t = out.table([
        Column::whole("category"),
        Column::number("records"),
        Column::number("already handled"),
        Column::wrap("partitions", 16),
    ]);
    for c in &r.categories {
        let spans: Vec<String> = c
            .partitions
            .iter()
            .map(|p| {
                format!(
                    "p{}: {}-{} ({})",
                    p.partition,
                    p.first_offset,
                    p.last_offset,
                    thousands(p.records)
                )
            })
            .collect();
        t.add_row(vec![
            Cell::new(&c.id),
            Cell::new(thousands(c.records)),
            Cell::new(thousands(c.already_handled)),
            Cell::new(spans.join("\n")),
        ]);
    }
    out.print_table(&t)?;
    let ends: Vec<String> = r
        .ranges
        .iter()
        .map(|x| format!("{}:{}", x.partition, x.up_to))
        .collect();
    out.write_stdout(&format!(
        "{} {} records of '{}' as {} up to offsets {} (records dead-lettered later stay open); owner {}, reason: {}\n",
        if r.dry_run { "dry run: would mark" } else { "will mark" },
        thousands(r.records),
        r.topic,
        r.disposition.as_str(),
        ends.join(", "),
        r.owner,
        r.reason
    ))
}
