//! `kafkaops config check`: connect, authenticate and fetch metadata with the
//! effective settings, the quickest proof that a profile works.

use serde::Serialize;

use crate::app::Context;
use crate::error::Result;
use crate::exit::ExitCode;
use crate::output::{Column, OutputFormat};

#[derive(Debug, Serialize)]
pub struct CheckReport {
    pub brokers: String,
    pub cluster_id: Option<String>,
    pub broker_count: usize,
    pub topic_count: usize,
    pub round_trip_ms: u64,
}

/// Connect, authenticate and fetch metadata: the quickest proof a profile works.
pub fn run(ctx: &Context) -> Result<ExitCode> {
    ctx.out
        .require(&[OutputFormat::Table, OutputFormat::Json], "config check")?;
    let kafka = ctx.kafka()?;
    let consumer = kafka.consumer(None)?;
    let started = std::time::Instant::now();
    let md = kafka.metadata_with(&consumer, None)?;
    let elapsed = started.elapsed();
    let report = CheckReport {
        brokers: kafka.brokers().to_string(),
        cluster_id: kafka.cluster_id(&consumer),
        broker_count: md.brokers.len(),
        topic_count: md
            .topics
            .iter()
            .filter(|t| !t.name.starts_with("__"))
            .count(),
        round_trip_ms: elapsed.as_millis() as u64,
    };
    if ctx.out.format == OutputFormat::Json {
        ctx.out.print_json(&report)?;
    } else {
        let mut t = ctx.out.table([
            Column::whole("brokers"),
            Column::whole("cluster id"),
            Column::number("live brokers"),
            Column::number("topics"),
            Column::whole("metadata round trip").useful(),
        ]);
        t.add_row(vec![
            report.brokers.clone(),
            report
                .cluster_id
                .clone()
                .unwrap_or_else(|| "(not reported)".into()),
            report.broker_count.to_string(),
            report.topic_count.to_string(),
            format!("{} ms", report.round_trip_ms),
        ]);
        ctx.out.print_table(&t)?;
    }
    Ok(ExitCode::Success)
}
