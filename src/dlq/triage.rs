//! `kafkaops dlq triage`: scan, categorise, decide, and report. The report is
//! built as typed serde structs ([`TriageReport`], one [`CategoryReport`] per
//! row) so `-o json` / `-o jsonl` are a stable contract and the table is only a
//! view of the same data.

use std::time::Duration;

use serde::Serialize;

use super::aggregate::{
    Aggregate, Aggregator, CategoryStats, Example, Observation, RecordFacts, WarningStats,
};
use super::category::{message_headers_checked, Classifier, Dimension, RecordParts};
use super::handled::{self, MarksReport};
use super::render::{one_line, reason_cell, short_time, simple_class, thousands};
use super::rules::{Action, CategoryFacts, Decision, Rules, UNREVIEWED};
use super::scan::{self, Flow, PartitionPlan, ScanCounts, TimeFilter};
use super::{FailOn, TriageRequest};
use crate::app::Context;
use crate::error::{Error, Result};
use crate::exit::ExitCode;
use crate::output::escape::escape_text;
use crate::output::{Cell, Column, OutputFormat, Style};
use crate::timespec::{format_age, format_ms, format_time};

/// `120 (max 3×)`: records already redriven, and the most redrives of one.
fn redriven_cell(c: &CategoryReport) -> String {
    if c.redriven == 0 {
        return "-".into();
    }
    format!("{} (max {}×)", thousands(c.redriven), c.max_redrives)
}

/// A value with the number of records that had it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Counted<T> {
    pub value: T,
    pub records: u64,
}

/// One grouping dimension of a category.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct DimensionValue {
    pub dimension: Dimension,
    pub value: Option<String>,
}

/// One failure category (one table row, one JSON Lines line).
#[derive(Clone, Debug, Serialize)]
pub struct CategoryReport {
    /// Stable ID (or `overflow` for the bucket beyond `--max-categories`).
    pub id: String,
    /// The grouping dimensions and this category's values.
    pub group: Vec<DimensionValue>,
    /// No exception and no reason were found on these records.
    pub unknown: bool,
    /// The (most common) exception class, root cause and normalised reason.
    pub exception: Option<String>,
    pub cause: Option<String>,
    pub reason: Option<String>,
    pub conventions: Vec<Counted<String>>,
    /// More than one convention (or records without dead-letter metadata,
    /// `none`) in the category.
    pub mixed_conventions: bool,
    pub records: u64,
    /// Records no handled mark covers; SLA and `--fail-on` look only at these.
    pub open: u64,
    /// Records covered by a handled mark (`dlq mark`, a completed redrive).
    pub handled: u64,
    /// Fraction of all categorised records, 0..1.
    pub share: f64,
    pub first_dead_lettered: Option<String>,
    pub last_dead_lettered: Option<String>,
    pub first_dead_lettered_ms: Option<i64>,
    pub last_dead_lettered_ms: Option<i64>,
    /// Age of the oldest record at the time of the run.
    pub oldest_age_ms: Option<u64>,
    /// Dead-lettered time and age of the oldest open record.
    pub first_open_ms: Option<i64>,
    pub oldest_open_age: Option<String>,
    pub oldest_open_age_ms: Option<u64>,
    pub original_topics: Vec<Counted<String>>,
    pub original_partitions: Vec<i32>,
    pub consumer_groups: Vec<Counted<String>>,
    pub stages: Vec<Counted<String>>,
    pub dlq_partitions: Vec<i32>,
    pub distinct_keys: u64,
    /// `distinct_keys` is a HyperLogLog estimate (more than 256 keys).
    pub distinct_keys_approximate: bool,
    pub null_keys: u64,
    pub tombstones: u64,
    pub without_timestamp: u64,
    pub records_with_warnings: u64,
    /// Most dead-letter hops seen (repeated Spring headers).
    pub max_hops: usize,
    pub max_attempts: Option<i64>,
    /// Records kafkaops already redriven at least once (they failed again), from
    /// their `kafkaops.replay.redrives` header; the most redrives seen; records
    /// by redrive count (the key 10 counts 10 or more).
    pub redriven: u64,
    pub max_redrives: u32,
    pub redrive_histogram: std::collections::BTreeMap<u32, u64>,
    /// Set lists were capped: this many records had values not listed.
    pub unlisted_values: u64,
    pub examples: Vec<Example>,
    /// `retry`, `discard`, `fix-by-hand`, `investigate` or `unreviewed`.
    pub action: String,
    pub owner: Option<String>,
    pub rule: Option<String>,
    pub note: Option<String>,
    /// `None` without `--sla` or without timestamps; only open records count.
    pub sla_breached: Option<bool>,
}

#[derive(Clone, Debug, Serialize)]
pub struct ActionTotal {
    pub action: String,
    pub categories: u64,
    pub records: u64,
    pub open: u64,
    pub handled: u64,
}

#[derive(Clone, Debug, Serialize)]
pub struct SlaReport {
    pub threshold: String,
    pub threshold_ms: u64,
    pub breached_categories: u64,
    /// Open records of the breached categories.
    pub breached_records: u64,
}

#[derive(Clone, Debug, Serialize)]
pub struct ScanReport {
    pub partitions: Vec<PartitionPlan>,
    pub from: Option<String>,
    pub until: Option<String>,
    pub time_filter: TimeFilter,
    /// Offsets between the watermarks of the chosen partitions. On transactional
    /// topics this includes markers and aborted records, which are never read
    /// (`counts.read` is what was read); compaction gaps make it larger too.
    pub records_available: u64,
    /// Offsets the plan covers (after time offsets and --max-records), counted the
    /// same way as `records_available`.
    pub records_planned: u64,
    pub counts: ScanCounts,
    pub max_records: Option<u64>,
}

#[derive(Clone, Debug, Serialize)]
pub struct OverflowReport {
    pub records: u64,
    /// Distinct categories in the overflow bucket (approximate when large).
    pub categories: u64,
    pub max_categories: usize,
}

/// The whole `dlq triage -o json` document.
#[derive(Clone, Debug, Serialize)]
pub struct TriageReport {
    pub topic: String,
    pub generated_at: String,
    pub group_by: Vec<Dimension>,
    pub scan: ScanReport,
    /// Records categorised (= sum of `records` over categories and overflow).
    pub records: u64,
    pub open: u64,
    pub handled: u64,
    /// Where the handled marks came from and whether they were trusted.
    pub marks: MarksReport,
    /// Things a reader must know about decisions, e.g. a rule deciding a
    /// category that mixes conventions.
    pub notes: Vec<String>,
    pub categories: Vec<CategoryReport>,
    pub overflow: Option<OverflowReport>,
    pub actions: Vec<ActionTotal>,
    pub sla: Option<SlaReport>,
    pub facts: RecordFacts,
    pub warnings: Vec<WarningStats>,
    /// Distinct warnings beyond the 100 listed.
    pub warnings_unlisted: u64,
}

pub fn run(req: TriageRequest, ctx: &Context) -> Result<ExitCode> {
    let out = &ctx.out;
    out.require(
        &[
            OutputFormat::Table,
            OutputFormat::Json,
            OutputFormat::Jsonl,
            OutputFormat::Prometheus,
        ],
        "dlq triage",
    )?;
    // Nothing reaches --out unless the whole report does (not on an interrupt).
    let capture = req.out.as_deref().map(|p| out.capture_to(p));
    if req.fail_on.contains(&FailOn::Sla) && req.sla.is_none() {
        return Err(Error::usage_hint(
            "--fail-on sla needs --sla",
            "add e.g. --sla 24h",
        ));
    }
    let rules = req.rules.as_deref().map(Rules::load).transpose()?;
    let classifier = Classifier::new(req.classifier.clone())?;
    let kafka = ctx.kafka()?;
    let plan = scan::plan(&kafka, &req.scope, out, &[])?;
    let (marks, marks_report) = handled::load_for(&kafka, &req.audit_log, ctx, &plan.topic)?;
    if let Some(p) = &marks_report.problem {
        out.warn(&format!(
            "audit log {} fails verification ({p}); its handled marks are ignored and every record counts as open (check with `kafkaops audit verify`)",
            marks_report.audit_log.display()
        ));
    }

    // Large scans are split over lanes (one consumer and one aggregator per
    // core, disjoint partitions), merged at the end.
    let lanes = scan::lanes_for(&plan, req.threads);
    let (parts, counts) = scan::run_lanes(
        &kafka,
        &plan,
        out,
        &format!("triaging {}", plan.topic),
        lanes,
        || (classifier.clone(), Aggregator::new(req.max_categories)),
        |(classifier, agg), msg| {
            observe(classifier, agg, &marks, msg);
            Ok(Flow::Continue)
        },
    )?;
    let mut lanes = parts.into_iter().map(|(_, agg)| agg);
    let mut agg = lanes.next().expect("one lane at least");
    for other in lanes {
        agg.merge(other);
    }

    let report = build_report(
        &req,
        ctx.now,
        rules.as_ref(),
        &plan,
        counts,
        agg.finish(),
        marks_report,
    );
    match out.format {
        OutputFormat::Json => out.print_json(&report)?,
        OutputFormat::Prometheus => {
            out.write_stdout(&super::prometheus::render(&report, ctx.now))?
        }
        OutputFormat::Jsonl => {
            for c in &report.categories {
                out.print_jsonl(c)?;
            }
        }
        _ => print_table(&report, &req, ctx)?,
    }
    for w in &report.warnings {
        out.warn(&format!(
            "{} ({} record{}, first at {}:{})",
            w.message,
            thousands(w.count),
            if w.count == 1 { "" } else { "s" },
            w.example_partition,
            w.example_offset
        ));
    }
    if let Some(o) = &report.overflow {
        out.warn(&format!(
            "{} records in about {} more categories beyond --max-categories {} are counted in the overflow row",
            thousands(o.records),
            thousands(o.categories),
            o.max_categories
        ));
    }
    for n in &report.notes {
        out.warn(n);
    }
    if counts.interrupted {
        return Err(Error::Interrupted {
            message: format!(
                "interrupted after reading {} records; the report above is partial",
                thousands(counts.read)
            ),
            hint: None,
        });
    }
    if let Some(c) = &capture {
        c.commit()?;
    }
    check_failures(&req, &report)?;
    Ok(ExitCode::Success)
}

/// `24h`, `90m`, `14d`, `45s` for an SLA threshold.
fn short_duration(d: Duration) -> String {
    let s = d.as_secs();
    if d.subsec_nanos() != 0 || s == 0 {
        format!("{}ms", d.as_millis())
    } else if s % 86_400 == 0 && s >= 7 * 86_400 {
        format!("{}d", s / 86_400)
    } else if s % 3600 == 0 {
        format!("{}h", s / 3600)
    } else if s % 60 == 0 {
        format!("{}m", s / 60)
    } else {
        format!("{s}s")
    }
}

fn check_failures(req: &TriageRequest, report: &TriageReport) -> Result<()> {
    let mut problems = Vec::new();
    if req.fail_on.contains(&FailOn::Sla) {
        if let Some(s) = report.sla.as_ref().filter(|s| s.breached_categories > 0) {
            problems.push(format!(
                "{} categor{} ({} records) {} older than the {} triage SLA",
                s.breached_categories,
                if s.breached_categories == 1 {
                    "y"
                } else {
                    "ies"
                },
                thousands(s.breached_records),
                if s.breached_categories == 1 {
                    "is"
                } else {
                    "are"
                },
                s.threshold
            ));
        }
    }
    if req.fail_on.contains(&FailOn::Unreviewed) {
        let (n, r) = report
            .categories
            .iter()
            .filter(|c| c.action == UNREVIEWED)
            .fold((0u64, 0u64), |(n, r), c| (n + 1, r + c.records));
        if n > 0 {
            problems.push(format!(
                "{n} categor{} ({} records) ha{} no decision in the rules",
                if n == 1 { "y" } else { "ies" },
                thousands(r),
                if n == 1 { "s" } else { "ve" }
            ));
        }
    }
    if problems.is_empty() {
        Ok(())
    } else {
        Err(Error::check_failed(problems.join("; ")))
    }
}

fn counted<T: Clone + Ord>(set: &super::counters::CappedSet<T>) -> Vec<Counted<T>> {
    set.by_count()
        .into_iter()
        .map(|(v, n)| Counted {
            value: v.clone(),
            records: n,
        })
        .collect()
}

fn strs(set: &super::counters::CappedSet<String>) -> Vec<&str> {
    set.iter().map(|(v, _)| v.as_str()).collect()
}

fn facts_of(s: &CategoryStats) -> CategoryFacts<'_> {
    CategoryFacts {
        id: &s.id,
        exceptions: strs(&s.exceptions),
        causes: strs(&s.causes),
        normalized_reasons: strs(&s.reasons),
        raw_reasons: s
            .examples
            .iter()
            .filter_map(|e| e.reason.as_deref())
            .collect(),
        original_topics: strs(&s.original_topics),
        conventions: strs(&s.conventions),
        stages: strs(&s.stages),
        groups: strs(&s.groups),
    }
}

fn category_report(
    s: &CategoryStats,
    total: u64,
    now_ms: i64,
    sla: Option<Duration>,
    decision: Decision,
) -> CategoryReport {
    let top = |set: &super::counters::CappedSet<String>| {
        set.by_count().first().map(|(v, _)| (*v).clone())
    };
    let oldest_age_ms = s.first_ms.map(|f| (now_ms - f).max(0) as u64);
    let oldest_open_age_ms = s.first_open_ms.map(|f| (now_ms - f).max(0) as u64);
    let open = s.open();
    let unlisted = [
        &s.exceptions,
        &s.causes,
        &s.reasons,
        &s.conventions,
        &s.original_topics,
        &s.groups,
        &s.stages,
    ]
    .iter()
    .map(|x| x.others)
    .sum::<u64>()
        + s.original_partitions.others
        + s.dlq_partitions.others;
    CategoryReport {
        id: s.id.clone(),
        group: s
            .values
            .iter()
            .map(|(d, v)| DimensionValue {
                dimension: *d,
                value: v.clone(),
            })
            .collect(),
        unknown: s.exceptions.is_empty() && s.reasons.is_empty(),
        exception: top(&s.exceptions),
        cause: top(&s.causes),
        reason: top(&s.reasons),
        conventions: counted(&s.conventions),
        mixed_conventions: s.conventions.len() > 1,
        records: s.count,
        open,
        handled: s.handled,
        share: if total == 0 {
            0.0
        } else {
            (s.count as f64 / total as f64 * 10_000.0).round() / 10_000.0
        },
        first_dead_lettered: s.first_ms.and_then(format_ms),
        last_dead_lettered: s.last_ms.and_then(format_ms),
        first_dead_lettered_ms: s.first_ms,
        last_dead_lettered_ms: s.last_ms,
        oldest_age_ms,
        first_open_ms: s.first_open_ms,
        oldest_open_age: oldest_open_age_ms.map(|a| format_age(Duration::from_millis(a))),
        oldest_open_age_ms,
        original_topics: counted(&s.original_topics),
        original_partitions: s.original_partitions.iter().map(|(p, _)| *p).collect(),
        consumer_groups: counted(&s.groups),
        stages: counted(&s.stages),
        dlq_partitions: s.dlq_partitions.iter().map(|(p, _)| *p).collect(),
        distinct_keys: s.distinct_keys(),
        distinct_keys_approximate: s.keys.is_approximate(),
        null_keys: s.null_keys,
        tombstones: s.tombstones,
        without_timestamp: s.without_timestamp,
        records_with_warnings: s.records_with_warnings,
        max_hops: s.max_hops,
        max_attempts: s.max_attempts,
        redriven: s.redriven,
        max_redrives: s.max_redrives,
        redrive_histogram: s.redrive_histogram.clone(),
        unlisted_values: unlisted,
        examples: s.examples.clone(),
        action: decision.action_str().to_string(),
        owner: decision.owner,
        rule: decision.rule,
        note: decision.note,
        sla_breached: match (sla, oldest_open_age_ms) {
            (Some(d), Some(age)) => Some(u128::from(age) > d.as_millis()),
            // Nothing open: nothing can breach.
            (Some(_), None) if open == 0 => Some(false),
            _ => None,
        },
    }
}

/// Classify one record and count it (with whether a handled mark covers it).
pub(crate) fn observe(
    classifier: &Classifier,
    agg: &mut Aggregator,
    marks: &handled::Marks,
    msg: &crate::kafka::Record<'_>,
) {
    let (headers, unreadable) = message_headers_checked(msg);
    agg.facts.unreadable_header_names += unreadable as u64;
    let parts = RecordParts {
        partition: crate::kafka::Message::partition(msg),
        key: crate::kafka::Message::key(msg),
        value: crate::kafka::Message::payload(msg),
        headers: &headers,
    };
    let c = classifier.classify(&parts);
    let offset = crate::kafka::Message::offset(msg);
    agg.add(
        &Observation {
            handled: marks.disposition(&c.id, parts.partition, offset).is_some(),
            parts,
            offset,
            timestamp_ms: crate::kafka::Message::timestamp(msg).to_millis(),
        },
        &c,
    );
}

pub(crate) fn build_report(
    req: &TriageRequest,
    now: chrono::DateTime<chrono::Utc>,
    rules: Option<&Rules>,
    plan: &scan::ScanPlan,
    counts: ScanCounts,
    agg: Aggregate,
    marks: MarksReport,
) -> TriageReport {
    let now_ms = now.timestamp_millis();
    let total: u64 = agg.categories.iter().map(|c| c.count).sum::<u64>()
        + agg.overflow.as_ref().map_or(0, |(o, _)| o.count);
    let decide = |s: &CategoryStats| rules.map(|r| r.decide(&facts_of(s))).unwrap_or_default();
    let mut categories: Vec<CategoryReport> = agg
        .categories
        .iter()
        .map(|s| category_report(s, total, now_ms, req.sla, decide(s)))
        .collect();
    let overflow = agg.overflow.as_ref().map(|(o, n)| {
        categories.push(category_report(
            o,
            total,
            now_ms,
            req.sla,
            Decision::default(),
        ));
        OverflowReport {
            records: o.count,
            categories: *n,
            max_categories: req.max_categories,
        }
    });
    let mut actions: Vec<ActionTotal> = Action::ALL
        .iter()
        .map(|a| a.as_str())
        .chain([UNREVIEWED])
        .map(|a| {
            let mut t = ActionTotal {
                action: a.to_string(),
                categories: 0,
                records: 0,
                open: 0,
                handled: 0,
            };
            for c in categories.iter().filter(|c| c.action == a) {
                t.categories += 1;
                t.records += c.records;
                t.open += c.open;
                t.handled += c.handled;
            }
            t
        })
        .collect();
    actions.retain(|a| a.categories > 0);
    let sla = req.sla.map(|d| {
        let breached = categories.iter().filter(|c| c.sla_breached == Some(true));
        SlaReport {
            threshold: short_duration(d),
            threshold_ms: d.as_millis() as u64,
            breached_categories: breached.clone().count() as u64,
            breached_records: breached.map(|c| c.open).sum(),
        }
    });
    let notes = categories
        .iter()
        .filter(|c| c.mixed_conventions)
        .filter_map(|c| {
            let rule = c.rule.as_ref()?;
            let convs: Vec<&str> = c.conventions.iter().map(|v| v.value.as_str()).collect();
            Some(format!(
                "rule '{rule}' decides category {}, which mixes conventions ({}); split it with --group-by ...,convention if they need different decisions",
                c.id,
                convs.join(", ")
            ))
        })
        .collect();
    TriageReport {
        topic: plan.topic.clone(),
        generated_at: format_time(now),
        group_by: req.classifier.group_by.clone(),
        scan: ScanReport {
            partitions: plan.partitions.clone(),
            from: req.scope.from.map(format_time),
            until: req.scope.until.map(format_time),
            time_filter: plan.time_filter,
            records_available: plan.available,
            records_planned: plan.total,
            counts,
            max_records: req.scope.max_records,
        },
        records: total,
        open: categories.iter().map(|c| c.open).sum(),
        handled: categories.iter().map(|c| c.handled).sum(),
        marks,
        notes,
        categories,
        overflow,
        actions,
        sla,
        facts: agg.facts,
        warnings: agg.warnings,
        warnings_unlisted: agg.warnings_dropped,
    }
}

fn print_table(r: &TriageReport, req: &TriageRequest, ctx: &Context) -> Result<()> {
    let out = &ctx.out;
    let extra: Vec<Dimension> = r
        .group_by
        .iter()
        .copied()
        .filter(|d| {
            matches!(
                d,
                Dimension::Key | Dimension::Stage | Dimension::Convention | Dimension::Partition
            )
        })
        .collect();
    // What matters on call first: which category, how many, why, how old, what
    // was decided; the rest gives way on a narrow terminal.
    let mut header = vec![
        Column::whole("category"),
        Column::number("records"),
        Column::number("open"),
        Column::number("handled").useful(),
        Column::number("share").detail(),
    ];
    // Only when a record came back after a redrive: the loop guard's evidence.
    let any_redriven = r.categories.iter().any(|c| c.redriven > 0);
    if any_redriven {
        header.push(Column::whole("redriven").useful());
    }
    header.extend(extra.iter().map(|d| match d {
        // A key or a partition is copied into the next command: never cut.
        Dimension::Key | Dimension::Partition => Column::whole(d.as_str()).useful(),
        _ => Column::shorten(d.as_str(), 12).useful(),
    }));
    header.extend([
        Column::shorten("exception", 14).useful(),
        Column::shorten("reason", 20).shorten_with(reason_cell),
        Column::shorten("origin", 10).detail(),
        Column::shorten("group", 10).detail(),
        Column::number("keys").detail(),
        Column::whole("first → last").detail(),
        Column::whole("oldest"),
        Column::shorten("action", 10),
        Column::whole("examples").detail(),
    ]);
    if r.categories.is_empty() {
        let what = if r.scan.records_planned == 0 {
            "no records in range"
        } else {
            "no records matched"
        };
        out.write_stdout(&format!("{}: {what}\n", escape_text(&r.topic)))?;
    } else {
        let mut t = out.table(header);
        for c in &r.categories {
            let mut row: Vec<Cell> = Vec::new();
            let conv = c
                .conventions
                .iter()
                .map(|v| v.value.as_str())
                .collect::<Vec<_>>()
                .join(",");
            row.push(Cell::new(format!("{}\n{}", c.id, conv)));
            row.push(Cell::new(thousands(c.records)));
            row.push(Cell::new(thousands(c.open)));
            row.push(Cell::new(thousands(c.handled)));
            row.push(Cell::new(format!("{:.1}%", c.share * 100.0)));
            if any_redriven {
                row.push(Cell::new(redriven_cell(c)));
            }
            for d in &extra {
                let v = c
                    .group
                    .iter()
                    .find(|g| g.dimension == *d)
                    .and_then(|g| g.value.clone());
                row.push(Cell::new(one_line(v.as_deref().unwrap_or("-"))));
            }
            let exception = match (&c.exception, &c.cause) {
                (Some(e), Some(k)) if simple_class(e) != simple_class(k) => {
                    format!("{}\ncause: {}", simple_class(e), simple_class(k))
                }
                (Some(e), _) => simple_class(e).to_string(),
                (None, Some(k)) => format!("cause: {}", simple_class(k)),
                (None, None) => "-".into(),
            };
            row.push(Cell::new(exception));
            let reason = if c.id == "overflow" {
                format!(
                    "(categories beyond --max-categories {})",
                    req.max_categories
                )
            } else if c.unknown {
                "(unknown: no exception or reason found)".to_string()
            } else {
                one_line(c.reason.as_deref().unwrap_or("-"))
            };
            row.push(Cell::new(reason));
            let topics = c
                .original_topics
                .iter()
                .map(|t| t.value.as_str())
                .collect::<Vec<_>>();
            let mut origin = if topics.is_empty() {
                "-".to_string()
            } else {
                one_line(&topics.join(", "))
            };
            if !c.original_partitions.is_empty() {
                let ps: Vec<String> = c
                    .original_partitions
                    .iter()
                    .take(8)
                    .map(i32::to_string)
                    .collect();
                let more = if c.original_partitions.len() > 8 {
                    ",…"
                } else {
                    ""
                };
                origin.push_str(&format!("\np{}{more}", ps.join(",")));
            }
            row.push(Cell::new(origin));
            let groups = c
                .consumer_groups
                .iter()
                .map(|g| g.value.as_str())
                .collect::<Vec<_>>();
            row.push(Cell::new(if groups.is_empty() {
                "-".into()
            } else {
                one_line(&groups.join(", "))
            }));
            let keys = if c.distinct_keys_approximate {
                format!("~{}", thousands(c.distinct_keys))
            } else {
                thousands(c.distinct_keys)
            };
            row.push(Cell::new(keys));
            row.push(Cell::new(format!(
                "{} →\n{}",
                short_time(c.first_dead_lettered_ms),
                short_time(c.last_dead_lettered_ms)
            )));
            // The age that matters is the oldest open record's.
            let age = match (&c.oldest_open_age, c.open) {
                (Some(a), _) => a.clone(),
                (None, 0) if c.handled > 0 => "(all handled)".into(),
                _ => "-".into(),
            };
            // Colour through comfy-table, which measures widths without escape codes.
            let breached = c.sla_breached == Some(true);
            let age = if breached {
                format!("{age} (SLA)")
            } else {
                age
            };
            row.push(Cell::new(age).style_if(breached, Style::Red));
            let action = match &c.owner {
                Some(o) => format!("{}\n{o}", c.action),
                None => c.action.clone(),
            };
            row.push(Cell::new(action).style_if(c.action == UNREVIEWED, Style::Yellow));
            let ex = c
                .examples
                .iter()
                .map(|e| format!("{}:{}", e.partition, e.offset))
                .collect::<Vec<_>>()
                .join(" ");
            row.push(Cell::new(ex));
            t.add_row(row);
        }
        out.print_table(&t)?;
    }

    // A short summary under the table, for people.
    let mut lines = Vec::new();
    let c = &r.scan.counts;
    let mut scanned = format!(
        "{}: {} records in {} categor{} ({} read from {} partition{}",
        escape_text(&r.topic),
        thousands(r.records),
        r.categories.len(),
        if r.categories.len() == 1 { "y" } else { "ies" },
        thousands(c.read),
        r.scan.partitions.len(),
        if r.scan.partitions.len() == 1 {
            ""
        } else {
            "s"
        }
    );
    if c.outside_window > 0 {
        scanned.push_str(&format!(
            ", {} outside the time window",
            thousands(c.outside_window)
        ));
    }
    scanned.push(')');
    lines.push(scanned);
    if r.handled > 0 || r.marks.marks > 0 {
        lines.push(format!(
            "open {}, handled {} ({} mark{} in {})",
            thousands(r.open),
            thousands(r.handled),
            r.marks.marks,
            if r.marks.marks == 1 { "" } else { "s" },
            r.marks.audit_log.display()
        ));
    }
    let redriven: u64 = r.categories.iter().map(|c| c.redriven).sum();
    if redriven > 0 {
        let most = r
            .categories
            .iter()
            .map(|c| c.max_redrives)
            .max()
            .unwrap_or(0);
        lines.push(format!(
            "redriven: {} records came back after a redrive (at most {most}×); `replay` holds back those redriven {} times (--max-redrives)",
            thousands(redriven),
            crate::replay::redrives::DEFAULT_MAX_REDRIVES
        ));
    }
    if !r.actions.is_empty() && !r.categories.is_empty() {
        let parts: Vec<String> = r
            .actions
            .iter()
            .map(|a| {
                format!(
                    "{} {} ({} records, {} open)",
                    a.action,
                    a.categories,
                    thousands(a.records),
                    thousands(a.open)
                )
            })
            .collect();
        lines.push(format!("actions: {}", parts.join(", ")));
    }
    if let Some(s) = &r.sla {
        lines.push(if s.breached_categories > 0 {
            out.paint(
                &format!(
                    "SLA {}: {} categor{} ({} open records) breached",
                    s.threshold,
                    s.breached_categories,
                    if s.breached_categories == 1 {
                        "y"
                    } else {
                        "ies"
                    },
                    thousands(s.breached_records)
                ),
                Style::Red,
            )
        } else {
            format!("SLA {}: met", s.threshold)
        });
    }
    let f = &r.facts;
    let mut notes = Vec::new();
    for (n, what) in [
        (f.tombstones, "tombstones"),
        (f.null_keys, "null keys"),
        (f.non_utf8_keys, "binary keys"),
        (f.non_utf8_values, "binary values"),
        (f.non_utf8_header_values, "binary unknown headers"),
        (f.duplicate_header_names, "repeated header names"),
        (
            f.unreadable_header_names,
            "non-UTF-8 header names (left out)",
        ),
        (f.without_timestamp, "no timestamp"),
        (f.records_with_warnings, "undecodable headers"),
    ] {
        if n > 0 {
            notes.push(format!("{what} {}", thousands(n)));
        }
    }
    if !notes.is_empty() {
        lines.push(format!("records with {}", notes.join(", ")));
    }
    if r.categories.iter().any(|c| c.action == UNREVIEWED) && req.rules.is_none() {
        lines.push("decide per category with --rules FILE; drill in with `kafkaops dlq inspect --category ID`".into());
    }
    out.write_stdout(&format!("{}\n", lines.join("\n")))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sla_thresholds_read_like_the_flag() {
        assert_eq!(short_duration(Duration::from_secs(86_400)), "24h");
        assert_eq!(short_duration(Duration::from_secs(14 * 86_400)), "14d");
        assert_eq!(short_duration(Duration::from_secs(5400)), "90m");
        assert_eq!(short_duration(Duration::from_secs(45)), "45s");
        assert_eq!(short_duration(Duration::from_millis(1500)), "1500ms");
    }
}
