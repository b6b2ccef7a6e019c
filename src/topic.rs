//! `kafkaops topic describe`: what the Kafka layer sees of one topic (partitions,
//! leaders, watermarks, offsets for a time), so a broker's answers can be checked
//! before the real work.

use chrono::{DateTime, Utc};
use serde::Serialize;

use crate::app::Context;
use crate::error::Result;
use crate::exit::ExitCode;
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
    /// First offset at or after --at; null when the broker has none or cannot answer.
    pub offset_at: Option<i64>,
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
    let at = match req.at {
        Some(t) => {
            Some(kafka.offsets_for_times(&consumer, &req.topic, &ids, t.timestamp_millis())?)
        }
        None => None,
    };
    let partitions: Vec<PartitionReport> = meta
        .partitions
        .iter()
        .zip(&marks)
        .map(|(p, w)| PartitionReport {
            partition: p.id,
            leader: p.leader,
            replicas: p.replicas.clone(),
            isr: p.isr.clone(),
            log_start: w.low,
            log_end: w.high,
            records: w.len(),
            offset_at: at
                .as_ref()
                .and_then(|v| v.iter().find(|(q, _)| *q == p.id).and_then(|(_, o)| *o)),
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
                    row.push(
                        p.offset_at
                            .map(|o| o.to_string())
                            .unwrap_or_else(|| "none".into()),
                    );
                }
                t.add_row(row);
            }
            ctx.out.print_table(&t)?;
            if report.at.is_some()
                && report.partitions.iter().all(|p| p.offset_at.is_none())
                && report.records > 0
            {
                ctx.out.note("the broker returned no offset for --at on any partition: either every record is older, or the broker cannot look up offsets by time");
            }
        }
    }
    Ok(ExitCode::Success)
}

fn join(v: &[i32]) -> String {
    v.iter().map(i32::to_string).collect::<Vec<_>>().join(",")
}
