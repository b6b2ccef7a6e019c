//! `kafkaops dlq inspect` (records with typed, decoded headers and a readable
//! payload) and `kafkaops dlq export` (byte-exact JSON Lines). Both select
//! records by coordinates, category, key and time window.

use base64::Engine as _;
use serde::Serialize;
use std::borrow::Cow;

use super::category::{message_headers_checked, Classified, Classifier, RecordParts};
use super::conventions::{decode_for_display, Convention};
use super::export::ExportedRecord;
use super::extract::{Origin, MAX_JSON_BYTES};
use super::headers::DecodedHeader;
use super::render::{head_lines, thousands};
use super::scan::{self, Flow};
use super::write::Sink;
use super::{ExportRequest, InspectRequest, Selection};
use crate::app::Context;
use crate::error::{Error, Result};
use crate::exit::ExitCode;
use crate::kafka::{Message, Record, Timestamp};
use crate::output::escape::{escape_bytes, escape_text};
use crate::output::{Cell, Column, OutputFormat};

/// A key or value shown for people and scripts.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ShownBytes {
    pub size: usize,
    /// `json` (parsed), `text` (UTF-8) or `binary` (base64).
    pub encoding: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub json: Option<serde_json::Value>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub text: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub base64: Option<String>,
}

impl ShownBytes {
    pub fn of(b: &[u8]) -> ShownBytes {
        let mut s = ShownBytes {
            size: b.len(),
            encoding: "binary",
            json: None,
            text: None,
            base64: None,
        };
        let first = b.iter().find(|x| !x.is_ascii_whitespace());
        if b.len() <= MAX_JSON_BYTES && matches!(first, Some(b'{') | Some(b'[')) {
            if let Ok(v) = serde_json::from_slice::<serde_json::Value>(b) {
                s.encoding = "json";
                s.json = Some(v);
                return s;
            }
        }
        match std::str::from_utf8(b) {
            Ok(t) => {
                s.encoding = "text";
                s.text = Some(t.to_string());
            }
            Err(_) => s.base64 = Some(base64::engine::general_purpose::STANDARD.encode(b)),
        }
        s
    }

    fn for_table(&self, raw: &[u8]) -> String {
        match (&self.json, &self.text) {
            (Some(j), _) => head_lines(
                &serde_json::to_string_pretty(j).unwrap_or_default(),
                40,
                4000,
            ),
            (None, Some(t)) => head_lines(t, 20, 2000),
            (None, None) => format!("(binary) {}", escape_bytes(raw, 512)),
        }
    }
}

/// One record as `dlq inspect -o json` shows it.
#[derive(Clone, Debug, Serialize)]
pub struct InspectedRecord {
    pub topic: String,
    pub partition: i32,
    pub offset: i64,
    pub timestamp_ms: Option<i64>,
    pub timestamp: Option<String>,
    pub timestamp_type: Option<&'static str>,
    pub category: String,
    pub convention: Option<Convention>,
    pub exception: Option<String>,
    pub cause: Option<String>,
    /// The raw reason (first 1000 characters).
    pub reason: Option<String>,
    pub normalized_reason: Option<String>,
    pub reason_source: Option<String>,
    pub origin: Origin<'static>,
    pub latest_hop: Option<Origin<'static>>,
    pub hops: usize,
    pub stage: Option<String>,
    pub connector: Option<String>,
    pub task: Option<i64>,
    pub attempts: Option<i64>,
    pub failed_part: Option<&'static str>,
    pub serialized_exception: Option<String>,
    pub key: Option<ShownBytes>,
    pub value: Option<ShownBytes>,
    /// Headers in wire order, duplicates kept, decoded by type.
    pub headers: Vec<DecodedHeader>,
    pub warnings: Vec<String>,
}

fn timestamp_parts(msg: &Record<'_>) -> (Option<i64>, Option<&'static str>) {
    match msg.timestamp() {
        Timestamp::NotAvailable => (None, None),
        Timestamp::CreateTime(t) => (Some(t), Some("create_time")),
        Timestamp::LogAppendTime(t) => (Some(t), Some("log_append_time")),
    }
}

fn inspected(
    msg: &Record<'_>,
    c: Classified,
    headers: &[(&str, Option<&[u8]>)],
) -> InspectedRecord {
    let (timestamp_ms, timestamp_type) = timestamp_parts(msg);
    let f = c.failure;
    InspectedRecord {
        topic: msg.topic().to_string(),
        partition: msg.partition(),
        offset: msg.offset(),
        timestamp_ms,
        timestamp: timestamp_ms.and_then(crate::timespec::format_ms),
        timestamp_type,
        category: c.id,
        convention: f.convention,
        exception: f.exception.map(Cow::into_owned),
        cause: f.cause.map(Cow::into_owned),
        reason: f.reason.map(Cow::into_owned),
        normalized_reason: c.normalized_reason,
        reason_source: f.reason_source.map(Cow::into_owned),
        origin: f.origin.into_owned(),
        latest_hop: f.latest_hop.map(Origin::into_owned),
        hops: f.hops,
        stage: f.stage.map(Cow::into_owned),
        connector: f.connector.map(Cow::into_owned),
        task: f.task,
        attempts: f.attempts,
        failed_part: f.failed_part,
        serialized_exception: f.serialized_exception.map(str::to_string),
        key: msg.key().map(ShownBytes::of),
        value: msg.payload().map(ShownBytes::of),
        headers: headers
            .iter()
            .map(|(n, v)| decode_for_display(n, *v))
            .collect(),
        warnings: f.warnings.iter().map(ToString::to_string).collect(),
    }
}

/// Does a record match the selection? Classification happens only when needed.
fn selected<'a>(
    sel: &Selection,
    classifier: &Classifier,
    msg: &'a Record<'_>,
    headers: &'a [(&'a str, Option<&'a [u8]>)],
) -> Option<Classified<'a>> {
    if !sel.offsets.is_empty() && !sel.offsets.contains(&(msg.partition(), msg.offset())) {
        return None;
    }
    if let Some(k) = &sel.key {
        if msg.key() != Some(k.as_slice()) {
            return None;
        }
    }
    let c = classifier.classify(&RecordParts {
        partition: msg.partition(),
        key: msg.key(),
        value: msg.payload(),
        headers,
    });
    match &sel.category {
        Some(id) if *id != c.id => None,
        _ => Some(c),
    }
}

fn origin_text(o: &Origin<'_>) -> String {
    let mut s = o.topic.as_deref().unwrap_or("?").to_string();
    if let Some(p) = o.partition {
        s.push_str(&format!("[{p}]"));
    }
    if let Some(off) = o.offset {
        s.push_str(&format!("@{off}"));
    }
    if let Some(t) = o.timestamp_ms.and_then(crate::timespec::format_ms) {
        s.push_str(&format!("  {t}"));
        if let Some(tt) = &o.timestamp_type {
            s.push_str(&format!(" ({tt})"));
        }
    }
    if let Some(g) = &o.consumer_group {
        s.push_str(&format!("  group {g}"));
    }
    s
}

fn print_record(
    ctx: &Context,
    r: &InspectedRecord,
    raw_key: Option<&[u8]>,
    raw_value: Option<&[u8]>,
) -> Result<()> {
    let out = &ctx.out;
    let title = format!(
        "{} {}:{}  {}{}  category {}  {}",
        r.topic,
        r.partition,
        r.offset,
        r.timestamp.as_deref().unwrap_or("(no timestamp)"),
        r.timestamp_type
            .map(|t| format!(" ({t})"))
            .unwrap_or_default(),
        r.category,
        r.convention
            .map_or("no known convention", Convention::as_str),
    );
    // Every character of a header name or value matters: a narrow terminal
    // wraps them.
    let mut t = out.table([Column::wrap("field", 12), Column::wrap("value", 20)]);
    let mut row = |k: &str, v: String| {
        t.add_row(vec![Cell::new(k), Cell::new(v)]);
    };
    let opt = |v: &Option<String>| v.clone().unwrap_or_else(|| "-".into());
    row("exception", opt(&r.exception));
    if r.cause.is_some() {
        row("cause", opt(&r.cause));
    }
    row(
        "reason",
        r.reason
            .as_deref()
            .map_or_else(|| "-".into(), |s| head_lines(s, 10, 1000)),
    );
    if let Some(src) = &r.reason_source {
        row("reason from", src.clone());
    }
    if r.origin != Origin::default() {
        row("origin", origin_text(&r.origin));
    }
    if let Some(h) = &r.latest_hop {
        row(&format!("latest hop (of {})", r.hops), origin_text(h));
    }
    if let Some(s) = &r.stage {
        row("stage", s.clone());
    }
    if let Some(c) = &r.connector {
        row(
            "connector",
            format!(
                "{c}{}",
                r.task.map(|t| format!(" task {t}")).unwrap_or_default()
            ),
        );
    }
    if let Some(a) = r.attempts {
        row("attempts", a.to_string());
    }
    if let Some(p) = r.failed_part {
        row("failed part", p.to_string());
    }
    match (&r.key, raw_key) {
        (Some(k), Some(raw)) => row(
            &format!("key ({}, {} bytes)", k.encoding, k.size),
            k.for_table(raw),
        ),
        _ => row("key", "(null)".into()),
    }
    for h in &r.headers {
        let shown = match (&h.value, &h.base64) {
            (serde_json::Value::Null, None) => "(null)".to_string(),
            (serde_json::Value::String(s), _) => head_lines(s, 8, 1000),
            (serde_json::Value::Null, Some(b)) => format!("base64:{b}"),
            (v, _) => v.to_string(),
        };
        let mut shown = match &h.time {
            Some(t) => format!("{shown} ({t})"),
            None => shown,
        };
        if let Some(w) = &h.warning {
            shown.push_str(&format!("\nwarning: {w}"));
        }
        row(&format!("header {} ({})", h.name, h.kind), shown);
    }
    match (&r.value, raw_value) {
        (Some(v), Some(raw)) => row(
            &format!("value ({}, {} bytes)", v.encoding, v.size),
            v.for_table(raw),
        ),
        _ => row("value", "(null: tombstone)".into()),
    }
    for w in &r.warnings {
        row("warning", w.clone());
    }
    out.write_stdout(&format!("{}\n", escape_text(&title)))?;
    out.print_table(&t)
}

fn no_match_hint(sel: &Selection) -> Option<&'static str> {
    sel.category.as_ref().map(|_| {
        "category IDs depend on --group-by and the --reason-*/--original-topic-* options: pass the same ones used with `dlq triage`, and widen --from/--until or --partitions"
    })
}

pub fn run(req: InspectRequest, ctx: &Context) -> Result<ExitCode> {
    let out = &ctx.out;
    out.require(
        &[OutputFormat::Table, OutputFormat::Json, OutputFormat::Jsonl],
        "dlq inspect",
    )?;
    let classifier = Classifier::new(req.classifier.clone())?;
    let kafka = ctx.kafka()?;
    let plan = scan::plan(&kafka, &req.scope, out, &req.selection.offsets)?;
    let mut found: Vec<InspectedRecord> = Vec::new();
    let mut shown = 0u64;
    let mut seen_offsets: Vec<(i32, i64)> = Vec::new();
    let counts = scan::run(
        &kafka,
        &plan,
        out,
        &format!("searching {}", plan.topic),
        |msg| {
            let (headers, unreadable) = message_headers_checked(msg);
            let Some(c) = selected(&req.selection, &classifier, msg, &headers) else {
                return Ok(Flow::Continue);
            };
            seen_offsets.push((msg.partition(), msg.offset()));
            let mut rec = inspected(msg, c, &headers);
            if unreadable > 0 {
                rec.warnings.push(format!(
                    "{unreadable} header(s) with a non-UTF-8 name could not be read"
                ));
            }
            match out.format {
                OutputFormat::Json => found.push(rec),
                OutputFormat::Jsonl => out.print_jsonl(&rec)?,
                _ => {
                    if shown > 0 {
                        out.write_stdout("\n")?;
                    }
                    print_record(ctx, &rec, msg.key(), msg.payload())?;
                }
            }
            shown += 1;
            Ok(if shown >= req.limit {
                Flow::Stop
            } else {
                Flow::Continue
            })
        },
    )?;
    if out.format == OutputFormat::Json {
        out.print_json(&found)?;
    }
    for (p, o) in &req.selection.offsets {
        // Offsets outside the log were already reported by the plan.
        let in_log = plan
            .partitions
            .iter()
            .any(|x| x.partition == *p && *o >= x.low && *o < x.high);
        if in_log && !seen_offsets.contains(&(*p, *o)) && shown < req.limit {
            out.warn(&format!(
                "no record at {}:{p}:{o} in the selected range",
                plan.topic
            ));
        }
    }
    if shown == 0 {
        let what = if plan.total == 0 {
            "no records in range"
        } else {
            "no record matched"
        };
        let msg = format!(
            "{what} ({} read from '{}')",
            thousands(counts.read),
            plan.topic
        );
        match no_match_hint(&req.selection) {
            Some(h) => out.note(&format!("{msg}; {h}")),
            None => out.note(&msg),
        }
    } else if shown >= req.limit {
        out.note(&format!(
            "showing the first {shown} matching records (--limit)"
        ));
    }
    if counts.interrupted {
        return Err(Error::Interrupted {
            message: format!(
                "interrupted after reading {} records",
                thousands(counts.read)
            ),
            hint: None,
        });
    }
    Ok(ExitCode::Success)
}

pub fn export(req: ExportRequest, ctx: &Context) -> Result<ExitCode> {
    let out = &ctx.out;
    out.require(&[OutputFormat::Table, OutputFormat::Jsonl], "dlq export")
        .map_err(|e| e.with_hint("dlq export always writes JSON Lines; drop -o or use -o jsonl"))?;
    let classifier = Classifier::new(req.classifier.clone())?;
    let kafka = ctx.kafka()?;
    let plan = scan::plan(&kafka, &req.scope, out, &req.selection.offsets)?;
    let mut sink = match &req.output {
        Some(p) => Sink::file(p, req.force)?,
        None => Sink::stdout(),
    };
    let mut written = 0u64;
    let result = scan::run(
        &kafka,
        &plan,
        out,
        &format!("exporting {}", plan.topic),
        |msg| {
            let (headers, _) = message_headers_checked(msg);
            let Some(c) = selected(&req.selection, &classifier, msg, &headers) else {
                return Ok(Flow::Continue);
            };
            let mut rec = ExportedRecord::try_from_message(msg)?;
            rec.category = Some(c.id);
            sink.line(&rec.to_line())?;
            written += 1;
            Ok(match req.limit {
                Some(l) if written >= l => Flow::Stop,
                _ => Flow::Continue,
            })
        },
    );
    let counts = match result {
        Ok(c) if !c.interrupted => c,
        Ok(c) => {
            sink.abandon();
            return Err(Error::Interrupted {
                message: format!(
                    "interrupted after reading {} records; nothing was written",
                    thousands(c.read)
                ),
                hint: Some("run the export again".into()),
            });
        }
        Err(Error::BrokenPipe) => return Err(Error::BrokenPipe),
        Err(e) => {
            sink.abandon();
            return Err(e);
        }
    };
    sink.finish()?;
    let dest = req
        .output
        .as_ref()
        .map_or_else(|| "stdout".to_string(), |p| p.display().to_string());
    out.note(&format!(
        "exported {} of {} records read from '{}' to {dest}",
        thousands(written),
        thousands(counts.read),
        plan.topic
    ));
    if written == 0 {
        if let Some(h) = no_match_hint(&req.selection) {
            out.warn(&format!("no record matched; {h}"));
        }
    }
    Ok(ExitCode::Success)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shown_bytes_pick_json_text_or_binary() {
        let j = ShownBytes::of(br#" {"a": [1, 2]}"#);
        assert_eq!((j.encoding, j.size), ("json", 14));
        assert_eq!(j.json.unwrap()["a"][1], 2);
        let t = ShownBytes::of(b"plain 123");
        assert_eq!((t.encoding, t.text.as_deref()), ("text", Some("plain 123")));
        let n = ShownBytes::of(b"123");
        assert_eq!(n.encoding, "text");
        let b = ShownBytes::of(&[0xff, 0x00, 0x41]);
        assert_eq!((b.encoding, b.base64.as_deref()), ("binary", Some("/wBB")));
        assert_eq!(b.for_table(&[0xff, 0x00, 0x41]), "(binary) \\xff\\x00A");
        let broken = ShownBytes::of(b"{not json");
        assert_eq!(broken.encoding, "text");
    }

    #[test]
    fn origin_rendering() {
        let o = Origin {
            topic: Some("orders".into()),
            partition: Some(3),
            offset: Some(81_723),
            timestamp_ms: Some(1_700_000_000_123),
            timestamp_type: Some("CreateTime".into()),
            consumer_group: Some("billing".into()),
        };
        assert_eq!(
            origin_text(&o),
            "orders[3]@81723  2023-11-14T22:13:20.123Z (CreateTime)  group billing"
        );
    }
}
