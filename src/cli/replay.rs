//! Command-line surface of `kafkaops replay` (and `audit verify`): clap types,
//! converted once into [`crate::replay::Request`].

use std::path::PathBuf;

use chrono::{DateTime, Utc};
use clap::{Subcommand, ValueEnum};

use crate::error::{Error, Result};
use crate::replay::keys::{read_keys_file, Key, KeyFilter, KeyRange};
use crate::replay::partitioner::Partitioner;
use crate::replay::placement::Placement;
use crate::replay::rate::{parse_byte_rate, Rate, RateOverride, RecordRate};
use crate::replay::rewind::plan::Guards;
use crate::replay::rewind::resolve::{Ask, To};
use crate::replay::rewind::{RewindRequest, UndoRequest};
use crate::replay::selection::{Destination, OffsetBound, Selection, Source};
use crate::replay::{
    AuditOptions, PlanRequest, Request, ResumeRequest, RunInput, RunRequest, StatusRequest,
    VerifyRequest, DEFAULT_MAX_RECORDS,
};

#[derive(Debug, clap::Args)]
pub struct ReplayArgs {
    #[command(subcommand)]
    pub command: ReplayCommand,
}

#[derive(Debug, Subcommand)]
pub enum ReplayCommand {
    /// Resolve a selection into an exact plan (offsets, counts, bytes, blast radius); produces nothing
    Plan(PlanArgs),
    /// Execute a selection or a saved plan: confirmed, rate-limited, audited, checkpointed
    Run(RunArgs),
    /// Continue an interrupted or failed replay without sending any record twice
    Resume(ResumeArgs),
    /// List replays with their state, counts and rates
    Status(StatusArgs),
    /// The audit log (same as `kafkaops audit`)
    Audit(AuditArgs),
    /// Make one consumer group reprocess by moving its committed offsets: planned, guarded, confirmed, audited, undoable
    Rewind(RewindArgs),
    /// Put a rewound group's offsets back exactly where they were before the rewind
    Undo(UndoArgs),
}

/// Where the group's offsets go: exactly one.
#[derive(Debug, clap::Args)]
#[group(required = true, multiple = false)]
pub struct RewindTargetArgs {
    /// The first offset at or after this time (RFC 3339, epoch ms, or relative such as -2h)
    #[arg(long, value_name = "TIME", allow_hyphen_values = true)]
    pub to_time: Option<String>,

    /// This long before now, e.g. 2h (the same as --to-time -2h)
    #[arg(long, value_name = "DURATION")]
    pub by: Option<String>,

    /// Explicit offset of a partition of --topic, e.g. 3:1200 (repeatable)
    #[arg(long, value_name = "P:OFFSET", action = clap::ArgAction::Append, requires = "topic")]
    pub to_offsets: Vec<String>,

    /// The log start of each partition
    #[arg(long)]
    pub to_earliest: bool,

    /// The log end of each partition (skips every record not yet processed: needs --allow-forward)
    #[arg(long)]
    pub to_latest: bool,

    /// Where a plan file of `replay plan --out` starts reading, per partition of its source topic
    #[arg(long, value_name = "FILE")]
    pub to_replay_plan: Option<PathBuf>,
}

#[derive(Debug, clap::Args)]
pub struct RewindArgs {
    /// The consumer group to rewind
    #[arg(long, value_name = "GROUP")]
    pub group: String,

    /// Only this topic [default: every topic the group committed on]
    #[arg(long, value_name = "TOPIC")]
    pub topic: Option<String>,

    /// Only these partitions of --topic, e.g. 0,3-5
    #[arg(
        long,
        value_name = "LIST",
        requires = "topic",
        conflicts_with = "to_offsets"
    )]
    pub partitions: Option<String>,

    #[command(flatten)]
    pub target: RewindTargetArgs,

    /// Who is responsible for this rewind (recorded in the audit log)
    #[arg(long, value_name = "NAME")]
    pub owner: Option<String>,

    /// Why the group reprocesses (recorded in the audit log)
    #[arg(long, value_name = "TEXT")]
    pub reason: Option<String>,

    /// Ticket or incident reference
    #[arg(long, value_name = "REF")]
    pub ticket: Option<String>,

    /// Refuse rewinds that make the group reprocess more records than this
    #[arg(long, value_name = "N", default_value_t = DEFAULT_MAX_RECORDS)]
    pub max_records: u64,

    /// Allow moving offsets forward, so the group never processes the records in between
    #[arg(long)]
    pub allow_forward: bool,

    /// The broker cannot tell whether the group has members (no DescribeGroups): go ahead, you checked
    #[arg(long)]
    pub assume_inactive: bool,

    /// Also move partitions the group never committed (left alone by default)
    #[arg(long)]
    pub include_uncommitted: bool,

    /// Save the plan to this file (for `replay run --plan FILE`) and change nothing
    #[arg(long, value_name = "FILE")]
    pub out: Option<PathBuf>,

    /// Show the plan, change nothing
    #[arg(long)]
    pub dry_run: bool,

    /// Do not ask for confirmation (required without a terminal)
    #[arg(long, short = 'y')]
    pub yes: bool,

    #[command(flatten)]
    pub audit: AuditTargetArgs,
}

#[derive(Debug, clap::Args)]
pub struct UndoArgs {
    /// Rewind id (see `replay status`)
    pub id: String,

    /// Who undoes it [default: the rewind's owner]
    #[arg(long, value_name = "NAME")]
    pub owner: Option<String>,

    /// Why [default: "undo of rewind ID"]
    #[arg(long, value_name = "TEXT")]
    pub reason: Option<String>,

    /// The broker cannot tell whether the group has members: go ahead, you checked
    #[arg(long)]
    pub assume_inactive: bool,

    /// Refuse an undo that makes the group reprocess more records than this
    #[arg(long, value_name = "N", default_value_t = DEFAULT_MAX_RECORDS)]
    pub max_records: u64,

    /// Show the plan, change nothing
    #[arg(long)]
    pub dry_run: bool,

    /// Do not ask for confirmation (required without a terminal)
    #[arg(long, short = 'y')]
    pub yes: bool,

    #[command(flatten)]
    pub audit: AuditTargetArgs,
}

/// What to replay and where to. At least one bound is required.
#[derive(Debug, Default, clap::Args)]
#[command(next_help_heading = "Selection")]
pub struct SelectionArgs {
    /// Source topic to read from
    #[arg(long, value_name = "TOPIC")]
    pub topic: Option<String>,

    /// Replay the records of a JSON Lines file written by `dlq export` (possibly edited)
    #[arg(long, value_name = "FILE", conflicts_with = "topic")]
    pub from_file: Option<PathBuf>,

    /// Start of the time window (RFC 3339, epoch ms, `now`, or relative such as -2h)
    #[arg(long, value_name = "TIME", allow_hyphen_values = true)]
    pub from: Option<String>,

    /// End of the time window, excluded
    #[arg(long, value_name = "TIME", allow_hyphen_values = true)]
    pub until: Option<String>,

    /// Only these source partitions, e.g. 0,3-5
    #[arg(long, value_name = "LIST")]
    pub partitions: Option<String>,

    /// Offsets per partition, both ends included, e.g. 3:1200-1500 (repeatable)
    #[arg(long, value_name = "P:FIRST-LAST", action = clap::ArgAction::Append)]
    pub offsets: Vec<String>,

    /// Only records with this key (repeatable; hex:... or base64:... for binary keys)
    #[arg(long, value_name = "KEY", action = clap::ArgAction::Append, allow_hyphen_values = true)]
    pub key: Vec<String>,

    /// Only records whose key is listed in this file, one key per line
    #[arg(long, value_name = "FILE")]
    pub keys_file: Option<PathBuf>,

    /// Only records whose key starts with these bytes
    #[arg(long, value_name = "PREFIX", allow_hyphen_values = true)]
    pub key_prefix: Option<String>,

    /// Only records whose key is in START..END, compared byte-wise (END excluded)
    #[arg(long, value_name = "START..END", allow_hyphen_values = true)]
    pub key_range: Option<String>,

    /// Partition by key with the producer's partitioner: reads only the partitions
    /// of exact keys, and places keyed records in the destination accordingly
    #[arg(long, value_enum, value_name = "NAME")]
    pub partitioner: Option<PartitionerArg>,

    /// Where records go whose original partition the destination lacks (without it,
    /// such a replay is refused): keep, key or fold
    #[arg(long, value_enum, value_name = "HOW")]
    pub placement: Option<PlacementArg>,

    /// Only DLQ records in this category (an id shown by `dlq triage`)
    #[arg(long, value_name = "ID")]
    pub dlq_category: Option<String>,

    /// Dimensions the category id was computed with, as `dlq triage --group-by` [default: exception,reason]
    #[arg(
        long,
        value_name = "DIMS",
        value_delimiter = ',',
        requires = "dlq_category"
    )]
    pub group_by: Vec<String>,

    /// As for `dlq triage`: where reasons and original topics are (category ids, redrive)
    #[command(flatten)]
    pub dlq_hints: crate::dlq::Overrides,

    /// Send each DLQ record back to its original topic/partition, from its DLQ headers
    #[arg(long, conflicts_with = "to")]
    pub redrive: bool,

    /// Keep the DLQ error headers when redriving (they are stripped by default)
    #[arg(long, requires = "redrive")]
    pub keep_dlq_headers: bool,

    /// Destination topic (required unless --redrive)
    #[arg(long, value_name = "TOPIC")]
    pub to: Option<String>,

    /// Allow the destination to be the source topic itself
    #[arg(long)]
    pub into_source: bool,

    /// Let the broker stamp replayed records with the current time instead of keeping the original timestamps
    #[arg(long)]
    pub new_timestamps: bool,

    /// Hold back records already redriven N times (read from their kafkaops.replay.redrives header) and report them instead; 1 to 100, always on
    #[arg(long, value_name = "N", default_value_t = crate::replay::redrives::DEFAULT_MAX_REDRIVES)]
    pub max_redrives: u32,
}

/// Every flag of [`SelectionArgs`], read from clap's own definition: the plan file
/// already holds the selection, so `--plan` conflicts with each of them, and a flag
/// added later is covered without a list to keep.
fn selection_ids() -> Vec<clap::Id> {
    <SelectionArgs as clap::Args>::augment_args(clap::Command::new("selection"))
        .get_arguments()
        .map(|a| a.get_id().clone())
        .collect()
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum PlacementArg {
    /// Keep the partition where it exists; place the others by key (--partitioner, murmur2 by default)
    Keep,
    /// Place every keyed record by key with --partitioner (murmur2 by default)
    Key,
    /// Move each missing partition whole to partition ORIGINAL mod PARTITIONS, in order
    Fold,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum PartitionerArg {
    /// Java client default: toPositive(murmur2(key)) % partitions
    Murmur2,
    /// librdkafka `consistent`: crc32(key) % partitions
    Crc32,
}

#[derive(Debug, Default, clap::Args)]
#[command(next_help_heading = "Rate")]
pub struct RateArgs {
    #[arg(long, value_name = "N/s", value_parser = super::usage_value(RecordRate::parse), help = format!(
        "Records per second (e.g. 500/s, 3000/m) or `unlimited`; no burst above one second's worth [default: {}]",
        RecordRate::DEFAULT
    ))]
    pub rate: Option<RecordRate>,

    /// Also limit bytes per second (e.g. 2MiB/s)
    #[arg(long, value_name = "BYTES/s", value_parser = super::usage_value(parse_byte_rate))]
    pub bytes_rate: Option<u64>,
}

#[derive(Debug, clap::Args)]
pub struct PlanArgs {
    #[command(flatten)]
    pub selection: SelectionArgs,

    #[command(flatten)]
    pub rate: RateArgs,

    /// Also write the plan JSON to this file (for `replay run --plan FILE`)
    #[arg(long, value_name = "FILE")]
    pub out: Option<PathBuf>,
}

#[derive(Debug, clap::Args)]
pub struct RunArgs {
    #[command(flatten)]
    pub selection: SelectionArgs,

    /// Execute a plan file written by `replay plan` instead of a selection
    #[arg(long, value_name = "FILE", conflicts_with_all = selection_ids())]
    pub plan: Option<PathBuf>,

    #[command(flatten)]
    pub rate: RateArgs,

    /// Who is responsible for this replay (recorded in the audit log and on every record)
    #[arg(long, value_name = "NAME")]
    pub owner: Option<String>,

    /// Why the replay is done (recorded in the audit log)
    #[arg(long, value_name = "TEXT")]
    pub reason: Option<String>,

    /// Ticket or incident reference
    #[arg(long, value_name = "REF")]
    pub ticket: Option<String>,

    /// Refuse plans with more records than this
    #[arg(long, value_name = "N", default_value_t = DEFAULT_MAX_RECORDS)]
    pub max_records: u64,

    /// Do not ask for confirmation (required without a terminal)
    #[arg(long, short = 'y')]
    pub yes: bool,

    /// Resolve and show the plan, produce nothing
    #[arg(long)]
    pub dry_run: bool,

    /// Send records again although an earlier replay already sent them (found in the
    /// replay states or in the destination's provenance headers); recorded in the audit log
    #[arg(long)]
    pub allow_duplicate: bool,

    /// Replay the other records when some are larger than the destination accepts
    /// (the producer's message.max.bytes, the topic's max.message.bytes); counted as skipped
    #[arg(long)]
    pub skip_oversized: bool,

    #[command(flatten)]
    pub audit: AuditTargetArgs,
}

#[derive(Debug, Default, clap::Args)]
#[command(next_help_heading = "Audit")]
pub struct AuditTargetArgs {
    /// Audit log file [default: the profile's audit_log, else $XDG_STATE_HOME/kafkaops/audit.jsonl]
    #[arg(long, value_name = "FILE")]
    pub audit_log: Option<PathBuf>,

    /// Also publish audit events to this Kafka topic
    #[arg(long, value_name = "TOPIC")]
    pub audit_topic: Option<String>,
}

#[derive(Debug, clap::Args)]
pub struct ResumeArgs {
    /// Replay id (see `replay status`)
    pub id: String,

    #[command(flatten)]
    pub rate: RateArgs,

    /// Who resumes it [default: the replay's owner]
    #[arg(long, value_name = "NAME")]
    pub owner: Option<String>,

    /// From now on, skip records larger than the destination accepts (counted as skipped)
    #[arg(long)]
    pub skip_oversized: bool,

    /// Do not ask for confirmation (required without a terminal)
    #[arg(long, short = 'y')]
    pub yes: bool,
}

#[derive(Debug, clap::Args)]
pub struct StatusArgs {
    /// Show one replay in detail
    pub id: Option<String>,
}

/// `kafkaops audit`: the replay audit log.
#[derive(Debug, clap::Args)]
pub struct AuditArgs {
    #[command(subcommand)]
    pub command: AuditCommand,
}

#[derive(Debug, Subcommand)]
pub enum AuditCommand {
    /// Check the audit log's hash chain: exit 1 if any line was edited, reordered or deleted
    Verify {
        /// Audit log file [default: the profile's audit_log, else $XDG_STATE_HOME/kafkaops/audit.jsonl]
        #[arg(long, value_name = "FILE")]
        audit_log: Option<PathBuf>,
        /// Pass a log whose .head file is missing (its tail cannot be checked then)
        #[arg(long)]
        allow_missing_head: bool,
    },
}

impl AuditArgs {
    pub fn into_request(self, _now: DateTime<Utc>) -> Result<Request> {
        match self.command {
            AuditCommand::Verify {
                audit_log,
                allow_missing_head,
            } => Ok(Request::AuditVerify(VerifyRequest {
                audit_log,
                allow_missing_head,
            })),
        }
    }
}

impl ReplayArgs {
    pub fn into_request(self, now: DateTime<Utc>) -> Result<Request> {
        match self.command {
            ReplayCommand::Plan(a) => Ok(Request::Plan(Box::new(PlanRequest {
                selection: a.selection.into_selection(now)?,
                rate: a.rate.into_override().over(Rate::default()),
                out: a.out,
            }))),
            ReplayCommand::Run(a) => {
                // clap refuses selection flags next to --plan.
                let input = match a.plan {
                    Some(p) => RunInput::PlanFile(p),
                    None => RunInput::Selection(Box::new(a.selection.into_selection(now)?)),
                };
                // A dry run produces nothing, so it needs no owner or reason.
                let (owner, reason) = if a.dry_run {
                    (a.owner.unwrap_or_default(), a.reason.unwrap_or_default())
                } else {
                    (
                        required(
                            a.owner,
                            "--owner",
                            "name who is responsible, e.g. --owner alice",
                        )?,
                        required(
                            a.reason,
                            "--reason",
                            "say why, e.g. --reason 'reprocess after fix of INC-42'",
                        )?,
                    )
                };
                if a.max_records == 0 {
                    return Err(Error::usage_hint(
                        "--max-records must be at least 1",
                        "raise --max-records",
                    ));
                }
                Ok(Request::Run(RunRequest {
                    input,
                    rate: a.rate.into_override(),
                    owner,
                    reason,
                    ticket: a.ticket.filter(|t| !t.trim().is_empty()),
                    max_records: a.max_records,
                    yes: a.yes,
                    dry_run: a.dry_run,
                    allow_duplicate: a.allow_duplicate,
                    skip_oversized: a.skip_oversized,
                    audit: AuditOptions {
                        log: a.audit.audit_log,
                        topic: a.audit.audit_topic,
                    },
                }))
            }
            ReplayCommand::Resume(a) => Ok(Request::Resume(ResumeRequest {
                id: a.id,
                rate: a.rate.into_override(),
                owner: a.owner,
                skip_oversized: a.skip_oversized,
                yes: a.yes,
            })),
            ReplayCommand::Status(a) => Ok(Request::Status(StatusRequest { id: a.id })),
            ReplayCommand::Rewind(a) => a.into_request(now),
            ReplayCommand::Undo(a) => Ok(Request::Undo(UndoRequest {
                id: a.id,
                owner: a.owner,
                reason: a.reason,
                assume_inactive: a.assume_inactive,
                max_records: a.max_records,
                yes: a.yes,
                dry_run: a.dry_run,
                audit: AuditOptions {
                    log: a.audit.audit_log,
                    topic: a.audit.audit_topic,
                },
            })),
            ReplayCommand::Audit(a) => a.into_request(now),
        }
    }
}

fn required(v: Option<String>, flag: &str, hint: &str) -> Result<String> {
    required_by("replay run", v, flag, hint)
}

fn required_by(command: &str, v: Option<String>, flag: &str, hint: &str) -> Result<String> {
    match v.map(|s| s.trim().to_string()).filter(|s| !s.is_empty()) {
        Some(s) => Ok(s),
        None => Err(Error::usage_hint(
            format!("`{command}` requires {flag}"),
            hint,
        )),
    }
}

impl RewindArgs {
    fn into_request(self, now: DateTime<Utc>) -> Result<Request> {
        let t = self.target;
        let to = if let Some(time) = &t.to_time {
            To::Time(crate::timespec::parse_time(time, now)?)
        } else if let Some(by) = &t.by {
            let d = crate::timespec::parse_duration(by)?;
            let d = chrono::Duration::from_std(d)
                .map_err(|_| Error::usage(format!("--by {by} is too long")))?;
            To::Time(now - d)
        } else if !t.to_offsets.is_empty() {
            let mut os = Vec::new();
            for spec in &t.to_offsets {
                for one in spec.split(',') {
                    os.push(parse_partition_offset(one)?);
                }
            }
            To::Offsets(os)
        } else if let Some(path) = &t.to_replay_plan {
            let plan = crate::replay::plan::Plan::read(path)?;
            if let (Some(want), Some(topic)) = (&self.topic, plan.selection.source_topic()) {
                if want != topic {
                    return Err(Error::usage_hint(
                        format!(
                            "--topic {want} is not the source topic '{topic}' of replay plan {}",
                            path.display()
                        ),
                        "drop --topic, or give the plan of a replay from that topic",
                    ));
                }
            }
            To::from_replay_plan(&plan, path)?
        } else if t.to_earliest {
            To::Earliest
        } else {
            To::Latest
        };
        let partitions = self
            .partitions
            .as_deref()
            .map(crate::timespec::PartitionSet::parse)
            .transpose()?
            .map(|ps| ps.iter().collect());
        // Saving or showing the plan changes nothing, so it needs no owner or reason.
        let (owner, reason) = if self.dry_run || self.out.is_some() {
            (
                self.owner.unwrap_or_default(),
                self.reason.unwrap_or_default(),
            )
        } else {
            (
                required_by(
                    "replay rewind",
                    self.owner,
                    "--owner",
                    "name who is responsible, e.g. --owner alice",
                )?,
                required_by(
                    "replay rewind",
                    self.reason,
                    "--reason",
                    "say why, e.g. --reason 'reprocess after fix of INC-42'",
                )?,
            )
        };
        if self.max_records == 0 {
            return Err(Error::usage_hint(
                "--max-records must be at least 1",
                "raise --max-records",
            ));
        }
        Ok(Request::Rewind(Box::new(RewindRequest {
            ask: Ask {
                group: self.group,
                topic: self.topic,
                partitions,
                to,
                guards: Guards {
                    allow_forward: self.allow_forward,
                    assume_inactive: self.assume_inactive,
                    include_uncommitted: self.include_uncommitted,
                },
                max_records: self.max_records,
                undo_of: None,
            },
            owner,
            reason,
            ticket: self.ticket.filter(|t| !t.trim().is_empty()),
            yes: self.yes,
            dry_run: self.dry_run,
            out: self.out,
            audit: AuditOptions {
                log: self.audit.audit_log,
                topic: self.audit.audit_topic,
            },
        })))
    }
}

/// `P:OFFSET` of `--to-offsets`.
fn parse_partition_offset(s: &str) -> Result<(i32, i64)> {
    let bad = || {
        Error::usage_hint(
            format!("bad --to-offsets value '{s}'"),
            "write PARTITION:OFFSET with both at least 0, e.g. --to-offsets 3:1200",
        )
    };
    super::partition_offset(s).ok_or_else(bad)
}

impl RateArgs {
    /// What was given; the rest comes from the plan, the replay or the default rate.
    fn into_override(self) -> RateOverride {
        RateOverride {
            records_per_sec: self.rate,
            bytes_per_sec: self.bytes_rate,
        }
    }
}

impl SelectionArgs {
    pub fn into_selection(self, now: DateTime<Utc>) -> Result<Selection> {
        let source = match (self.topic, self.from_file) {
            (Some(t), None) => Source::Topic { topic: t },
            (None, Some(f)) => Source::File { path: f },
            _ => {
                return Err(Error::usage_hint(
                    "no source: give --topic or --from-file",
                    "e.g. --topic orders, or --from-file exported.jsonl",
                ))
            }
        };
        let (from, until) =
            crate::timespec::parse_window(self.from.as_deref(), self.until.as_deref(), now)?;
        let partitions = self
            .partitions
            .as_deref()
            .map(crate::timespec::PartitionSet::parse)
            .transpose()?
            .map(|ps| ps.iter().collect());
        let mut offsets = Vec::new();
        for o in &self.offsets {
            offsets.extend(OffsetBound::parse_list(o)?);
        }
        let mut keys = KeyFilter::default();
        for k in &self.key {
            keys.exact.insert(Key::parse(k)?);
        }
        if let Some(f) = &self.keys_file {
            keys.exact.extend(read_keys_file(f)?);
        }
        keys.prefix = self.key_prefix.as_deref().map(Key::parse).transpose()?;
        keys.range = self.key_range.as_deref().map(KeyRange::parse).transpose()?;
        let destination = match (self.to, self.redrive) {
            (Some(t), false) => Destination::Topic { topic: t },
            (None, true) => Destination::Redrive,
            (None, false) => {
                return Err(Error::usage_hint(
                    "no destination: give --to TOPIC",
                    "or --redrive to send DLQ records back to their original topics",
                ))
            }
            (Some(_), true) => return Err(Error::usage("--to and --redrive cannot be combined")),
        };
        let sel = Selection {
            source,
            from,
            until,
            partitions,
            offsets,
            keys,
            partitioner: self.partitioner.map(|p| match p {
                PartitionerArg::Murmur2 => Partitioner::Murmur2,
                PartitionerArg::Crc32 => Partitioner::Crc32,
            }),
            placement: self.placement.map(|p| match p {
                PlacementArg::Keep => Placement::Keep,
                PlacementArg::Key => Placement::Key,
                PlacementArg::Fold => Placement::Fold,
            }),
            dlq_category: self.dlq_category,
            dlq_group_by: self.group_by,
            dlq_hints: self.dlq_hints,
            destination,
            keep_dlq_headers: self.keep_dlq_headers,
            into_source: self.into_source,
            keep_timestamps: !self.new_timestamps,
            max_redrives: Some(self.max_redrives),
        };
        sel.validate()?;
        Ok(sel)
    }
}

#[cfg(test)]
mod tests {
    use clap::Parser;

    use super::*;

    #[derive(Debug, Parser)]
    struct T {
        #[command(subcommand)]
        c: ReplayCommand,
    }

    fn parse(args: &[&str]) -> Result<Request> {
        let t = T::try_parse_from(std::iter::once("replay").chain(args.iter().copied()))
            .map_err(|e| Error::usage(e.to_string()))?;
        ReplayArgs { command: t.c }.into_request(
            DateTime::parse_from_rfc3339("2026-11-21T12:00:00Z")
                .unwrap()
                .with_timezone(&Utc),
        )
    }

    #[test]
    fn debug_assert() {
        use clap::CommandFactory;
        T::command().debug_assert();
    }

    #[test]
    fn plan_parses_a_full_selection() {
        let Request::Plan(p) = parse(&[
            "plan",
            "--topic",
            "orders",
            "--from",
            "-2h",
            "--until",
            "now",
            "--partitions",
            "0-2",
            "--offsets",
            "1:5-9",
            "--key",
            "a",
            "--key",
            "hex:00",
            "--key-prefix",
            "a",
            "--key-range",
            "a..b",
            "--partitioner",
            "crc32",
            "--to",
            "out",
            "--rate",
            "50/s",
            "--bytes-rate",
            "1MiB/s",
        ])
        .unwrap() else {
            panic!("not a plan")
        };
        let s = p.selection;
        assert_eq!(s.from.unwrap().to_rfc3339(), "2026-11-21T10:00:00+00:00");
        assert_eq!(s.partitions.unwrap().len(), 3);
        assert_eq!(
            s.offsets,
            vec![OffsetBound {
                partition: 1,
                start: 5,
                end: Some(10)
            }]
        );
        assert_eq!(s.keys.exact.len(), 2);
        assert_eq!(s.partitioner, Some(Partitioner::Crc32));
        assert_eq!(
            p.rate,
            Rate {
                records_per_sec: RecordRate::PerSec(50.0),
                bytes_per_sec: Some(1_048_576)
            }
        );
    }

    #[test]
    fn unlimited_is_spelled_out_and_zero_is_refused() {
        let base = [
            "run", "--topic", "orders", "--from", "-1h", "--to", "out", "--owner", "a", "--reason",
            "r",
        ];
        let mut a = base.to_vec();
        a.extend(["--rate", "unlimited"]);
        let Request::Run(r) = parse(&a).unwrap() else {
            panic!("not a run")
        };
        assert_eq!(
            r.rate,
            RateOverride {
                records_per_sec: Some(RecordRate::UNLIMITED),
                bytes_per_sec: None
            }
        );
        // A byte limit still applies without a records limit.
        a.extend(["--bytes-rate", "1MiB/s"]);
        let Request::Run(r) = parse(&a).unwrap() else {
            panic!("not a run")
        };
        assert_eq!(r.rate.bytes_per_sec, Some(1_048_576));
        let mut z = base.to_vec();
        z.extend(["--rate", "0"]);
        let e = parse(&z).unwrap_err();
        assert_eq!(e.exit_code().code(), 2);
        assert!(
            e.to_string()
                .contains("hint: for no limit at all, say so: --rate unlimited"),
            "{e}"
        );
        // Without --rate the records limit comes from the plan (or the replay being
        // resumed, or RecordRate::DEFAULT); --bytes-rate alone keeps it.
        let Request::Run(r) = parse(&base).unwrap() else {
            panic!("not a run")
        };
        assert!(r.rate.is_empty());
        let mut b = base.to_vec();
        b.extend(["--bytes-rate", "2KB/s"]);
        let Request::Run(r) = parse(&b).unwrap() else {
            panic!("not a run")
        };
        assert_eq!(
            r.rate,
            RateOverride {
                records_per_sec: None,
                bytes_per_sec: Some(2000)
            }
        );
        let Request::Resume(r) = parse(&["resume", "rp-1", "--bytes-rate", "2KB/s"]).unwrap()
        else {
            panic!("not a resume")
        };
        assert_eq!(r.rate.records_per_sec, None);
    }

    #[test]
    fn run_requires_owner_reason_and_a_destination() {
        let base = ["run", "--topic", "orders", "--from", "-1h", "--to", "out"];
        let e = parse(&base).unwrap_err();
        assert!(e.to_string().contains("--owner"), "{e}");
        let mut a = base.to_vec();
        a.extend(["--owner", "alice"]);
        assert!(parse(&a).unwrap_err().to_string().contains("--reason"));
        a.extend(["--reason", "fix"]);
        let Request::Run(r) = parse(&a).unwrap() else {
            panic!()
        };
        assert_eq!(r.max_records, DEFAULT_MAX_RECORDS);
        assert!(r.rate.is_empty());
        let e = parse(&[
            "run", "--topic", "orders", "--from", "-1h", "--owner", "a", "--reason", "r",
        ])
        .unwrap_err();
        assert!(e.to_string().contains("no destination"), "{e}");
        assert!(parse(&[
            "run", "--plan", "p.json", "--topic", "x", "--owner", "a", "--reason", "r"
        ])
        .is_err());
        let Request::Run(r) = parse(&[
            "run", "--plan", "p.json", "--owner", "a", "--reason", "r", "--yes",
        ])
        .unwrap() else {
            panic!()
        };
        assert!(matches!(r.input, RunInput::PlanFile(_)));
    }

    /// Each selection flag, from clap's definition of [`SelectionArgs`], with a
    /// value clap accepts.
    fn selection_flags() -> Vec<Vec<String>> {
        use clap::Args;
        SelectionArgs::augment_args(clap::Command::new("selection"))
            .get_arguments()
            .map(|a| {
                let long = a.get_long().expect("selection flags are long flags");
                let mut argv = vec![format!("--{long}")];
                if a.get_action().takes_values() {
                    let v = a
                        .get_possible_values()
                        .first()
                        .map(|p| p.get_name().to_string())
                        .or_else(|| {
                            let d = a.get_default_values().first()?;
                            Some(d.to_string_lossy().into_owned())
                        })
                        .unwrap_or_else(|| "x".to_string());
                    argv.push(v);
                }
                argv
            })
            .collect()
    }

    #[test]
    fn every_selection_flag_conflicts_with_plan() {
        let flags = selection_flags();
        let longs: Vec<&str> = flags.iter().map(|f| f[0].as_str()).collect();
        // The ones a hand-kept list once missed are among them.
        for named in [
            "--topic",
            "--new-timestamps",
            "--keep-dlq-headers",
            "--into-source",
            "--group-by",
            "--reason-header",
            "--reason-json-pointer",
            "--original-topic-header",
            "--original-topic-json-pointer",
        ] {
            assert!(longs.contains(&named), "{named} not in {longs:?}");
        }
        let base = [
            "kafkaops", "replay", "run", "--plan", "p.json", "--owner", "a", "--reason", "r",
        ];
        for flag in &flags {
            let argv = base.iter().copied().chain(flag.iter().map(String::as_str));
            let e = crate::cli::Cli::try_parse_from(argv).unwrap_err();
            assert_eq!(
                e.kind(),
                clap::error::ErrorKind::ArgumentConflict,
                "{flag:?}: {e}"
            );
            let msg = e.to_string();
            assert!(msg.contains("--plan") && msg.contains(&flag[0]), "{msg}");
        }
        // Flags that are not part of the selection still go with --plan.
        crate::cli::Cli::try_parse_from(base.iter().copied().chain([
            "--rate",
            "5/s",
            "--bytes-rate",
            "1MiB/s",
            "--dry-run",
            "--max-records",
            "9",
        ]))
        .unwrap();
    }

    #[test]
    fn bad_selections_exit_2() {
        for args in [
            &["plan", "--topic", "o", "--to", "x"][..],
            &[
                "plan", "--topic", "o", "--to", "x", "--from", "now", "--until", "-1h",
            ],
            &["plan", "--topic", "o", "--to", "o", "--from", "-1h"],
            &["plan", "--topic", "o", "--to", "x", "--key-range", "b..a"],
            &["plan", "--topic", "o", "--to", "x", "--offsets", "1:9-5"],
            &[
                "plan",
                "--topic",
                "o",
                "--to",
                "x",
                "--keys-file",
                "/nonexistent/keys.txt",
            ],
            &["plan", "--to", "x", "--from", "-1h"],
            &["plan", "--topic", "o", "--from", "-1h", "--rate", "0"],
        ] {
            let e = parse(args).unwrap_err();
            assert_eq!(e.exit_code().code(), 2, "{args:?}: {e}");
        }
        assert!(parse(&[
            "plan",
            "--topic",
            "o",
            "--redrive",
            "--to",
            "x",
            "--from",
            "-1h"
        ])
        .is_err());
        let Request::Plan(p) = parse(&[
            "plan",
            "--topic",
            "dlq",
            "--redrive",
            "--dlq-category",
            "c1",
        ])
        .unwrap() else {
            panic!()
        };
        assert!(p.selection.is_redrive());
    }

    #[test]
    fn rewind_takes_exactly_one_target_and_requires_owner_and_reason() {
        let base = [
            "rewind", "--group", "g", "--topic", "t", "--owner", "a", "--reason", "r",
        ];
        let with = |extra: &[&str]| parse(&[&base[..], extra].concat());
        let Request::Rewind(r) = with(&["--by", "2h"]).unwrap() else {
            panic!("not a rewind")
        };
        assert_eq!(r.ask.to, To::Time("2026-11-21T10:00:00Z".parse().unwrap()));
        assert_eq!(r.ask.max_records, DEFAULT_MAX_RECORDS);
        let Request::Rewind(r) = with(&["--to-offsets", "0:5,1:7", "--to-offsets", "2:0"]).unwrap()
        else {
            panic!("not a rewind")
        };
        assert_eq!(r.ask.to, To::Offsets(vec![(0, 5), (1, 7), (2, 0)]));
        let Request::Rewind(r) =
            with(&["--to-earliest", "--allow-forward", "--assume-inactive"]).unwrap()
        else {
            panic!("not a rewind")
        };
        assert!(r.ask.guards.allow_forward && r.ask.guards.assume_inactive);
        assert!(!r.ask.guards.include_uncommitted);
        // No target, two targets, bad offsets: exit 2.
        for bad in [
            &[][..],
            &["--to-earliest", "--to-latest"],
            &["--by", "2h", "--to-time", "-1h"],
            &["--to-offsets", "0:-1"],
            &["--to-offsets", "x"],
            &["--to-latest", "--max-records", "0"],
        ] {
            let e = with(bad).unwrap_err();
            assert_eq!(e.exit_code().code(), 2, "{bad:?}: {e}");
        }
        // --to-offsets and --partitions need --topic.
        assert!(parse(&["rewind", "--group", "g", "--to-offsets", "0:1", "--dry-run"]).is_err());
        assert!(parse(&[
            "rewind",
            "--group",
            "g",
            "--partitions",
            "0",
            "--to-earliest",
            "--dry-run"
        ])
        .is_err());
        // Owner and reason, unless the plan is only shown or saved.
        let e = parse(&["rewind", "--group", "g", "--to-earliest"]).unwrap_err();
        assert!(
            e.to_string().contains("`replay rewind` requires --owner"),
            "{e}"
        );
        parse(&["rewind", "--group", "g", "--to-earliest", "--dry-run"]).unwrap();
        parse(&["rewind", "--group", "g", "--to-earliest", "--out", "p.json"]).unwrap();
        let Request::Undo(u) = parse(&["undo", "rw-1", "--yes", "--assume-inactive"]).unwrap()
        else {
            panic!("not an undo")
        };
        assert!(u.yes && u.assume_inactive && u.owner.is_none());
    }

    #[test]
    fn audit_verify_parses() {
        let Request::AuditVerify(v) =
            parse(&["audit", "verify", "--audit-log", "/tmp/a.jsonl"]).unwrap()
        else {
            panic!()
        };
        assert_eq!(v.audit_log.unwrap(), PathBuf::from("/tmp/a.jsonl"));
    }
}
