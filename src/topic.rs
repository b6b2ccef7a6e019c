//! `kafkaops topic describe`: what the Kafka layer sees of one topic (partitions,
//! leaders, watermarks, offsets for a time), so a broker's answers can be checked
//! before the real work. The offset at `--at` comes from the same checked time
//! search as replay and triage windows ([`crate::kafka::Kafka::offsets_at_time`]):
//! the broker's offsets-for-times answer only where the records confirm it.

use chrono::{DateTime, Utc};
use serde::Serialize;

use crate::app::Context;
use crate::error::Result;
use crate::exit::ExitCode;
use crate::kafka::{Lookup, TimeOffset};
use crate::output::{Column, OutputFormat};

#[derive(Debug)]
pub struct DescribeRequest {
    pub topic: String,
    pub at: Option<DateTime<Utc>>,
}

#[derive(Debug, Serialize)]
pub struct TopicReport {
    pub topic: String,
    pub partitions: Vec<PartitionReport>,
    /// Offsets between the watermarks, summed: the records a consumer gets, plus
    /// any transaction markers and aborted records, minus compaction gaps.
    pub records: i64,
    /// The time asked for with --at, if any.
    pub at: Option<String>,
}

#[derive(Debug, Serialize)]
pub struct PartitionReport {
    pub partition: i32,
    pub leader: i32,
    pub replicas: Vec<i32>,
    pub isr: Vec<i32>,
    pub log_start: i64,
    pub log_end: i64,
    /// `log_end - log_start`: an offset span, not a count of readable records on
    /// transactional or compacted topics.
    pub records: i64,
    /// First offset whose record is at or after --at; the log end when every record
    /// is earlier (a consumer starting there reads only newer records). Null without --at.
    pub offset_at: Option<i64>,
    /// How `offset_at` was found: `broker` (offsets-for-times, confirmed by the
    /// records), `search` (the broker's answer was missing or contradicted by the
    /// records: a search over record timestamps), `empty` (no records).
    pub offset_at_lookup: Option<Lookup>,
}

pub fn describe(req: DescribeRequest, ctx: &Context) -> Result<ExitCode> {
    ctx.out.require(
        &[OutputFormat::Table, OutputFormat::Json, OutputFormat::Jsonl],
        "topic describe",
    )?;
    let kafka = ctx.kafka()?;
    let consumer = kafka.consumer(None)?;
    let meta = kafka.topic_with(&consumer, &req.topic)?;
    let ids = meta.partition_ids();
    let marks = kafka.watermarks(&consumer, &req.topic, &ids)?;
    let at: Vec<TimeOffset> = match req.at {
        Some(t) => {
            kafka.offsets_at_time(&consumer, &req.topic, &marks, t.timestamp_millis().max(0))?
        }
        None => Vec::new(),
    };
    let partitions: Vec<PartitionReport> = meta
        .partitions
        .iter()
        .zip(&marks)
        .map(|(p, w)| {
            let found = at.iter().find(|t| t.partition == p.id);
            PartitionReport {
                partition: p.id,
                leader: p.leader,
                replicas: p.replicas.clone(),
                isr: p.isr.clone(),
                log_start: w.low,
                log_end: w.high,
                records: w.len(),
                offset_at: found.map(|t| t.offset),
                offset_at_lookup: found.map(|t| t.lookup),
            }
        })
        .collect();
    let report = TopicReport {
        topic: req.topic.clone(),
        records: partitions.iter().map(|p| p.records).sum(),
        partitions,
        at: req.at.map(crate::timespec::format_time),
    };
    match ctx.out.format {
        OutputFormat::Json => ctx.out.print_json(&report)?,
        OutputFormat::Jsonl => {
            for p in &report.partitions {
                ctx.out.print_jsonl(p)?;
            }
        }
        _ => {
            let mut header = vec![
                Column::number("partition"),
                Column::number("leader").useful(),
                Column::whole("replicas").detail(),
                Column::whole("isr").useful(),
                Column::number("log start"),
                Column::number("log end"),
                Column::number("offsets").useful(),
            ];
            if report.at.is_some() {
                header.push(Column::number("offset at --at"));
            }
            let mut t = ctx.out.table(header);
            for p in &report.partitions {
                let mut row = vec![
                    p.partition.to_string(),
                    p.leader.to_string(),
                    join(&p.replicas),
                    join(&p.isr),
                    p.log_start.to_string(),
                    p.log_end.to_string(),
                    p.records.to_string(),
                ];
                if report.at.is_some() {
                    row.push(match p.offset_at {
                        Some(o) if o == p.log_end => format!("{o} (log end)"),
                        Some(o) => o.to_string(),
                        None => "-".into(),
                    });
                }
                t.add_row(row);
            }
            ctx.out.print_table(&t)?;
        }
    }
    let searched: Vec<String> = report
        .partitions
        .iter()
        .filter(|p| p.offset_at_lookup == Some(Lookup::Search))
        .map(|p| p.partition.to_string())
        .collect();
    if !searched.is_empty() {
        ctx.out.note(&format!(
            "the broker's offsets-for-times answer for {}[{}] was missing or contradicted by the records; the offsets shown were found by a binary search over record timestamps",
            report.topic,
            searched.join(",")
        ));
    }
    Ok(ExitCode::Success)
}

fn join(v: &[i32]) -> String {
    v.iter().map(i32::to_string).collect::<Vec<_>>().join(",")
}
