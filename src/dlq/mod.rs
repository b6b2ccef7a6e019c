//! `kafkaops dlq`: triage, inspect and export dead-lettered records.
//!
//! - `dlq triage` scans a dead-letter topic with flat memory and prints one row
//!   per failure category (exception, normalised reason, counts, times, origin,
//!   decision from `--rules`, SLA state).
//! - `dlq inspect` shows records with their headers decoded to typed values.
//! - `dlq export` writes records as byte-exact JSON Lines for hand-fixing and
//!   `replay run --from-file`.
//! - `dlq mark` records categories as handled or discarded ([`handled`]: marks
//!   in the audit log, which triage applies so SLA and gates see open records).
//!
//! The pure core (no broker) is in [`conventions`] (one module per dead-letter
//! convention: its header names, their encodings, and how the failure is read
//! from them; see `docs/dlq-conventions.md`), [`headers`] (the byte decoders),
//! [`extract`] (which convention applies, user overrides), [`normalize`],
//! [`category`] (stable IDs), [`aggregate`] (streaming aggregation, over the
//! flat-memory [`counters`]), [`rules`] and [`export`]. The I/O is in `scan`
//! (offset planning, time bounds, reading) and the three command modules.
//!
//! # Stable public API for other jobs (`replay`)
//!
//! - [`ExportedRecord`] (in [`export`]): one line of a `dlq export` file.
//!   `ExportedRecord::from_message(&msg)` captures a Kafka record byte-exact
//!   (`try_from_message` fails instead of dropping a header whose name is not
//!   UTF-8); [`export::read_line`]`(line, line_no)` / [`export::read_all`]`(reader)`
//!   parse a file back; `rec.key` / `rec.value: Option<`[`export::Bytes`]`>` with
//!   `.as_bytes()` / `.into_bytes()` (`{"text": ..}` or `{"base64": ..}` on the
//!   wire, `null` for none); `rec.headers: Vec<ExportedHeader { name, value:
//!   Option<Bytes> }>` in wire order with duplicates; `rec.raw_headers()` borrows
//!   them as `(&str, Option<&[u8]>)`; `rec.category` is informative.
//! - [`Classifier`]: `Classifier::new(ClassifierOptions { group_by, overrides })?`
//!   (`ClassifierOptions::default()` = `dlq triage` without flags, i.e.
//!   [`category::DEFAULT_GROUP_BY`] and no [`Overrides`]), then
//!   `classifier.category_of_exported(&rec)` or
//!   `classifier.category_id(&RecordParts { partition, key, value, headers })`
//!   return the same 10-hex-character ID `dlq triage` shows for the same options
//!   ([`category::is_category_id`] checks the shape; [`Dimension::parse`] reads
//!   `--group-by` names).
//! - [`extract::extract`]`(headers, value, &overrides)` returns the decoded
//!   [`extract::Failure`] (convention, exception, reason, `origin` = the true source
//!   topic/partition/offset, `latest_hop`); [`conventions::is_dlq_header`]`(name)`
//!   tells whether some dead-letter convention writes a header, and
//!   [`conventions::encoding_of`]`(name)` how its value is encoded.

pub mod aggregate;
pub mod category;
pub mod conventions;
pub mod counters;
pub mod export;
pub mod extract;
pub mod handled;
pub mod headers;
pub mod normalize;
pub mod rules;

mod cursor;
mod inspect;
pub(crate) mod prometheus;
mod render;
pub(crate) mod scan;
pub(crate) mod triage;
mod write;

use std::path::PathBuf;
use std::time::Duration;

use chrono::{DateTime, Utc};

pub use category::{Classifier, ClassifierOptions, Dimension, RecordParts};
pub use conventions::Convention;
pub use export::{ExportedHeader, ExportedRecord};
pub use extract::Overrides;
pub use rules::Action;

use crate::app::Context;
use crate::error::Result;
use crate::exit::ExitCode;
use crate::timespec::PartitionSet;

/// Which records of the dead-letter topic a command reads.
#[derive(Clone, Debug)]
pub struct Scope {
    pub topic: String,
    pub from: Option<DateTime<Utc>>,
    pub until: Option<DateTime<Utc>>,
    pub partitions: Option<PartitionSet>,
    /// Stop after reading this many records (spread over the partitions).
    pub max_records: Option<u64>,
}

/// Which records `inspect` and `export` pick out of the scope.
#[derive(Clone, Debug, Default)]
pub struct Selection {
    /// Exact coordinates (`--offset P:O`).
    pub offsets: Vec<(i32, i64)>,
    /// A category ID from `dlq triage`.
    pub category: Option<String>,
    /// Exact key bytes.
    pub key: Option<Vec<u8>>,
}

impl Selection {
    pub fn is_empty(&self) -> bool {
        self.offsets.is_empty() && self.category.is_none() && self.key.is_none()
    }
}

/// What to fail on after printing the triage report (exit 1).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FailOn {
    /// A category's oldest record is older than `--sla`.
    Sla,
    /// A category has no decision in the rules file.
    Unreviewed,
}

#[derive(Clone, Debug)]
pub struct TriageRequest {
    pub scope: Scope,
    pub classifier: ClassifierOptions,
    pub rules: Option<PathBuf>,
    pub sla: Option<Duration>,
    pub fail_on: Vec<FailOn>,
    pub max_categories: usize,
    /// Parallel readers; `None` decides from the scan size and the cores.
    pub threads: Option<usize>,
    /// `--audit-log`: where the handled marks are read from.
    pub audit_log: Option<PathBuf>,
    /// `--out FILE`: write the report there, atomically, only when complete.
    pub out: Option<PathBuf>,
}

#[derive(Clone, Debug)]
pub struct InspectRequest {
    pub scope: Scope,
    pub classifier: ClassifierOptions,
    pub selection: Selection,
    pub limit: u64,
}

#[derive(Clone, Debug)]
pub struct ExportRequest {
    pub scope: Scope,
    pub classifier: ClassifierOptions,
    pub selection: Selection,
    pub limit: Option<u64>,
    /// `None` writes to stdout.
    pub output: Option<PathBuf>,
    pub force: bool,
}

/// `dlq mark`: record categories as handled or discarded in the audit log.
#[derive(Clone, Debug)]
pub struct MarkRequest {
    pub topic: String,
    pub categories: Vec<String>,
    pub disposition: handled::Disposition,
    pub owner: String,
    pub reason: String,
    pub ticket: Option<String>,
    /// `--up-to P:O` (exclusive); empty = every partition up to its log end now.
    pub up_to: Vec<(i32, i64)>,
    pub classifier: ClassifierOptions,
    pub dry_run: bool,
    pub yes: bool,
    pub audit_log: Option<PathBuf>,
}

#[derive(Clone, Debug)]
pub enum Request {
    Triage(TriageRequest),
    Mark(MarkRequest),
    Inspect(InspectRequest),
    Export(ExportRequest),
}

pub fn run(req: Request, ctx: &Context) -> Result<ExitCode> {
    match req {
        Request::Triage(r) => triage::run(r, ctx),
        Request::Mark(r) => handled::mark::run(r, ctx),
        Request::Inspect(r) => inspect::run(r, ctx),
        Request::Export(r) => inspect::export(r, ctx),
    }
}
