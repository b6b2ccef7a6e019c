//! Command-line surface of `kafkaops dlq`: clap types, converted once into
//! [`crate::dlq::Request`].

use std::path::PathBuf;

use base64::Engine as _;
use chrono::{DateTime, Utc};
use clap::{Subcommand, ValueEnum};

use crate::dlq::handled::Disposition;
use crate::dlq::{
    category::is_category_id, ClassifierOptions, Dimension, ExportRequest, FailOn, InspectRequest,
    MarkRequest, Overrides, Request, Scope, Selection, TriageRequest,
};
use crate::error::{Error, Result};
use crate::timespec::{parse_duration, parse_window, PartitionSet};

#[derive(Debug, clap::Args)]
pub struct DlqArgs {
    #[command(subcommand)]
    pub command: DlqCommand,
}

const TRIAGE_LONG: &str = "\
Scan a dead-letter topic and print one row per failure category: exception, normalised reason,
count and share, first/last dead-lettered time, age of the oldest record, original topics and
partitions, consumer group, distinct keys, example coordinates, and the decision from --rules.

Spring Kafka (both header families), Kafka Connect, Kafka Streams, SmallRye and Karafka headers
are recognised without flags; --reason-header / --reason-json-pointer say where the reason is
otherwise. Category IDs are stable: use them with `dlq inspect --category`, `dlq export
--category` and in rules files (with the same --group-by and --reason-* options).

Rules file (--rules, TOML or .json): a list of rules, first match wins; every matcher given must
match (exception: full or simple class name, `*` globs; reason: regex; original_topic; cause;
convention; stage; group; category: an ID). A rule without a matcher is refused; a deliberate
last catch-all says `catch_all = true`:

  [[rule]]
  name = \"duplicates are harmless\"
  exception = \"PSQLException\"
  reason = \"duplicate key\"
  action = \"discard\"          # retry | discard | fix-by-hand | investigate
  owner = \"team-orders\"

Handled state: records that `dlq mark` or a completed replay of the category (`replay run
--dlq-category`) marked are counted as HANDLED, the rest as OPEN; --sla and --fail-on look only at
open records. Marks live in the replay audit log (--audit-log, the profile's audit_log, or the
state dir); if that log fails `audit verify`, its marks are ignored with a warning and every
record counts as open.";

const MARK_LONG: &str = "\
Record in the audit log that categories of a dead-letter topic were dealt with, so `dlq triage`
counts their records as handled and its SLA and --fail-on look only at the open ones.

A mark covers a category's records up to each partition's log end at the time of marking (or up
to --up-to P:O, exclusive, for the partitions named): records dead-lettered later are open again.
The records are read first (as triage reads them) to show what the mark covers; on a terminal you
are asked to confirm, otherwise --yes is needed. Use the same --group-by and --reason-* options as
the triage that showed the IDs. A completed `replay run --dlq-category` marks what it redrove by
itself (disposition redriven).

Marks are events of the hash-chained audit log (--audit-log, the profile's audit_log, or the state
dir): `audit verify` checks them, and triage ignores every mark of a log that fails it.";

#[derive(Debug, Subcommand)]
pub enum DlqCommand {
    /// What is in a dead-letter topic: categories, counts, ages, origins, decisions
    #[command(long_about = TRIAGE_LONG)]
    Triage(TriageArgs),
    /// Show records with headers decoded to typed values and payloads pretty-printed
    Inspect(InspectArgs),
    /// Write records as byte-exact JSON Lines, to fix by hand and replay from the file
    Export(ExportArgs),
    /// Record categories as handled or discarded, so triage and its SLA count only open records
    #[command(long_about = MARK_LONG)]
    Mark(MarkArgs),
}

/// `--handled` or `--discarded`.
#[derive(Debug, clap::Args)]
#[group(required = true, multiple = false)]
pub struct DispositionArgs {
    /// The records were dealt with (fixed by hand, re-published another way)
    #[arg(long)]
    pub handled: bool,

    /// The records are deliberately dropped
    #[arg(long)]
    pub discarded: bool,
}

#[derive(Debug, clap::Args)]
pub struct MarkArgs {
    /// The dead-letter topic
    #[arg(long, value_name = "TOPIC")]
    pub topic: String,

    /// A category ID from `dlq triage` (repeatable)
    #[arg(long = "category", value_name = "ID", required = true)]
    pub categories: Vec<String>,

    #[command(flatten)]
    pub disposition: DispositionArgs,

    /// Who decided (recorded in the audit log)
    #[arg(long, value_name = "NAME")]
    pub owner: String,

    /// Why (recorded in the audit log)
    #[arg(long, value_name = "TEXT")]
    pub reason: String,

    /// A ticket reference (recorded in the audit log)
    #[arg(long, value_name = "ID")]
    pub ticket: Option<String>,

    /// Mark only up to this offset of a partition, exclusive, as PARTITION:OFFSET (repeatable;
    /// only the partitions named are marked) [default: every partition up to its log end now]
    #[arg(long = "up-to", value_name = "P:O")]
    pub up_to: Vec<String>,

    /// Show what would be marked and stop
    #[arg(long)]
    pub dry_run: bool,

    /// Do not ask for confirmation (needed without a terminal)
    #[arg(long)]
    pub yes: bool,

    /// The audit log the mark is appended to [default: the profile's audit_log, else the state dir]
    #[arg(long, value_name = "FILE")]
    pub audit_log: Option<PathBuf>,

    #[command(flatten)]
    pub classify: ClassifyArgs,
}

/// Which records to read.
#[derive(Debug, clap::Args)]
pub struct ScopeArgs {
    /// The dead-letter topic
    #[arg(long, value_name = "TOPIC")]
    pub topic: String,

    /// Only records dead-lettered at or after this time (RFC 3339, date, epoch ms, -2h)
    #[arg(long, value_name = "TIME", allow_hyphen_values = true)]
    pub from: Option<String>,

    /// Only records dead-lettered before this time
    #[arg(long, value_name = "TIME", allow_hyphen_values = true)]
    pub until: Option<String>,

    /// Only these partitions of the dead-letter topic, e.g. 0,3-5
    #[arg(long, value_name = "LIST")]
    pub partitions: Option<String>,

    /// Read at most this many records, spread over the partitions
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u64).range(1..))]
    pub max_records: Option<u64>,
}

/// What decides a record's category.
#[derive(Debug, clap::Args)]
#[command(next_help_heading = "Categories")]
pub struct ClassifyArgs {
    /// Dimensions that define a category: exception, cause, reason, original-topic, group,
    /// stage, convention, key, partition
    #[arg(
        long,
        value_name = "DIMS",
        value_delimiter = ',',
        default_value = "exception,reason"
    )]
    pub group_by: Vec<String>,

    #[command(flatten)]
    pub hints: Overrides,
}

/// The DLQ hint flags: where the failure reason and the original topic are when no
/// convention applies. They parse straight into [`Overrides`], the one type triage
/// classifies with and replay stores in its plans (`replay` shares these flags, as
/// its `--dlq-category` must see records as triage did).
struct HintFlag {
    id: &'static str,
    long: &'static str,
    value_name: &'static str,
    help: &'static str,
    field: fn(&mut Overrides) -> &mut Option<String>,
}

const HINT_FLAGS: [HintFlag; 4] = [
    HintFlag {
        id: "reason_header",
        long: "reason-header",
        value_name: "NAME",
        help: "Header that holds the failure reason (wins over the conventions)",
        field: |o| &mut o.reason_header,
    },
    HintFlag {
        id: "reason_json_pointer",
        long: "reason-json-pointer",
        value_name: "POINTER",
        help: "JSON pointer to the reason inside a JSON value, e.g. /error/message",
        field: |o| &mut o.reason_json_pointer,
    },
    HintFlag {
        id: "original_topic_header",
        long: "original-topic-header",
        value_name: "NAME",
        help: "Header that holds the original topic",
        field: |o| &mut o.original_topic_header,
    },
    HintFlag {
        id: "original_topic_json_pointer",
        long: "original-topic-json-pointer",
        value_name: "POINTER",
        help: "JSON pointer to the original topic inside a JSON value",
        field: |o| &mut o.original_topic_json_pointer,
    },
];

// Written by hand rather than derived so the core type stays free of clap.
impl clap::Args for Overrides {
    fn augment_args(cmd: clap::Command) -> clap::Command {
        HINT_FLAGS.iter().fold(cmd, |cmd, f| {
            cmd.arg(
                clap::Arg::new(f.id)
                    .long(f.long)
                    .value_name(f.value_name)
                    .help(f.help)
                    .action(clap::ArgAction::Set),
            )
        })
    }

    fn augment_args_for_update(cmd: clap::Command) -> clap::Command {
        Self::augment_args(cmd)
    }
}

impl clap::FromArgMatches for Overrides {
    fn from_arg_matches(m: &clap::ArgMatches) -> Result<Self, clap::Error> {
        let mut o = Overrides::default();
        o.update_from_arg_matches(m)?;
        Ok(o)
    }

    fn update_from_arg_matches(&mut self, m: &clap::ArgMatches) -> Result<(), clap::Error> {
        for f in &HINT_FLAGS {
            if let Some(v) = m.get_one::<String>(f.id) {
                *(f.field)(self) = Some(v.clone());
            }
        }
        Ok(())
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum FailOnArg {
    /// Exit 1 when a category's oldest record is older than --sla
    Sla,
    /// Exit 1 when a category has no decision in --rules
    Unreviewed,
}

#[derive(Debug, clap::Args)]
pub struct TriageArgs {
    #[command(flatten)]
    pub scope: ScopeArgs,

    /// Rules file (TOML, or JSON with a .json extension) mapping categories to actions and owners
    #[arg(long, value_name = "FILE")]
    pub rules: Option<PathBuf>,

    /// Triage SLA: mark categories whose oldest record is older than this (e.g. 24h)
    #[arg(long, value_name = "DURATION")]
    pub sla: Option<String>,

    /// Exit 1 after printing the report when the condition holds (for scheduled alerting)
    #[arg(long, value_enum, value_name = "WHAT", value_delimiter = ',')]
    pub fail_on: Vec<FailOnArg>,

    /// Keep at most this many categories; records of further categories are counted in an
    /// overflow row
    #[arg(long, value_name = "N", default_value_t = 1000, value_parser = clap::value_parser!(u64).range(1..=1_000_000))]
    pub max_categories: u64,

    /// Read with this many consumers in parallel, each over its own partitions [default: one
    /// per core, up to 4, for scans of 100,000 records or more]
    #[arg(short = 'j', long, value_name = "N", value_parser = clap::value_parser!(u16).range(1..=64))]
    pub threads: Option<u16>,

    /// Audit log holding the handled marks [default: the profile's audit_log, else the state dir]
    #[arg(long, value_name = "FILE")]
    pub audit_log: Option<PathBuf>,

    /// Write the report to FILE (atomically, only when complete: a failed run keeps the old file)
    #[arg(long = "out", value_name = "FILE")]
    pub out: Option<PathBuf>,

    // Last: its help heading would otherwise cover the flags after it.
    #[command(flatten)]
    pub classify: ClassifyArgs,
}

/// Which records to pick.
#[derive(Debug, clap::Args)]
pub struct SelectArgs {
    /// A record's coordinates PARTITION:OFFSET (repeatable)
    #[arg(long = "offset", value_name = "P:O")]
    pub offsets: Vec<String>,

    /// A category ID from `dlq triage`
    #[arg(long, value_name = "ID")]
    pub category: Option<String>,

    /// Records with exactly this key (text, or base64:... for binary keys)
    #[arg(long, value_name = "KEY")]
    pub key: Option<String>,
}

#[derive(Debug, clap::Args)]
pub struct InspectArgs {
    #[command(flatten)]
    pub scope: ScopeArgs,

    #[command(flatten)]
    pub select: SelectArgs,

    /// Show at most this many records
    #[arg(long, value_name = "N", default_value_t = 10, value_parser = clap::value_parser!(u64).range(1..))]
    pub limit: u64,

    #[command(flatten)]
    pub classify: ClassifyArgs,
}

#[derive(Debug, clap::Args)]
pub struct ExportArgs {
    #[command(flatten)]
    pub scope: ScopeArgs,

    #[command(flatten)]
    pub select: SelectArgs,

    /// Export at most this many records (default: all that match)
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u64).range(1..))]
    pub limit: Option<u64>,

    /// Write to this file instead of stdout (it appears only when complete)
    #[arg(long = "out", value_name = "FILE")]
    pub out: Option<PathBuf>,

    /// Replace an existing --out file
    #[arg(long)]
    pub force: bool,

    #[command(flatten)]
    pub classify: ClassifyArgs,
}

impl ScopeArgs {
    fn into_scope(self, now: DateTime<Utc>) -> Result<Scope> {
        if self.topic.trim().is_empty() {
            return Err(Error::usage_hint(
                "--topic is empty",
                "name the dead-letter topic, e.g. --topic orders-dlt",
            ));
        }
        let (from, until) = parse_window(self.from.as_deref(), self.until.as_deref(), now)?;
        let partitions = self
            .partitions
            .as_deref()
            .map(PartitionSet::parse)
            .transpose()?;
        Ok(Scope {
            topic: self.topic,
            from,
            until,
            partitions,
            max_records: self.max_records,
        })
    }
}

impl ClassifyArgs {
    fn into_options(self) -> Result<ClassifierOptions> {
        let group_by = self
            .group_by
            .iter()
            .filter(|s| !s.trim().is_empty())
            .map(|s| Dimension::parse(s))
            .collect::<Result<Vec<_>>>()?;
        let opts = ClassifierOptions {
            group_by,
            overrides: self.hints,
        };
        // Validate now so bad options fail before any broker call.
        crate::dlq::Classifier::new(opts.clone())?;
        Ok(opts)
    }
}

fn parse_offset(s: &str) -> Result<(i32, i64)> {
    let bad = || {
        Error::usage_hint(
            format!("malformed --offset '{s}'"),
            "write coordinates as PARTITION:OFFSET, e.g. --offset 0:41 (as `dlq triage` shows them)",
        )
    };
    super::partition_offset(s).ok_or_else(bad)
}

impl SelectArgs {
    fn into_selection(self) -> Result<Selection> {
        let offsets = self
            .offsets
            .iter()
            .map(|s| parse_offset(s))
            .collect::<Result<Vec<_>>>()?;
        if let Some(c) = &self.category {
            if c == "overflow" {
                return Err(Error::usage_hint(
                    "the overflow row is not a category and cannot be selected",
                    "re-run `dlq triage` with a larger --max-categories to give those records IDs",
                ));
            }
            if !is_category_id(c) {
                return Err(Error::usage_hint(
                    format!("'{c}' is not a category ID"),
                    "category IDs are 10 hex characters, as in the first column of `kafkaops dlq triage`",
                ));
            }
        }
        let key = match self.key {
            None => None,
            Some(k) => match k.strip_prefix("base64:") {
                Some(b) => Some(base64::engine::general_purpose::STANDARD.decode(b).map_err(|_| {
                    Error::usage_hint(
                        format!("--key '{k}' is not valid base64"),
                        "write binary keys as base64:..., as `dlq triage --group-by key` shows them",
                    )
                })?),
                None => Some(k.into_bytes()),
            },
        };
        Ok(Selection {
            offsets,
            category: self.category,
            key,
        })
    }
}

impl DlqArgs {
    pub fn into_request(self, now: DateTime<Utc>) -> Result<Request> {
        Ok(match self.command {
            DlqCommand::Triage(a) => {
                let sla = a.sla.as_deref().map(parse_duration).transpose()?;
                if sla.is_some_and(|d| d.is_zero()) {
                    return Err(Error::usage_hint(
                        "--sla must be greater than zero",
                        "e.g. --sla 24h",
                    ));
                }
                let fail_on = a
                    .fail_on
                    .iter()
                    .map(|f| match f {
                        FailOnArg::Sla => FailOn::Sla,
                        FailOnArg::Unreviewed => FailOn::Unreviewed,
                    })
                    .collect::<Vec<_>>();
                if fail_on.contains(&FailOn::Sla) && sla.is_none() {
                    return Err(Error::usage_hint(
                        "--fail-on sla needs --sla",
                        "add e.g. --sla 24h",
                    ));
                }
                if fail_on.contains(&FailOn::Unreviewed) && a.rules.is_none() {
                    return Err(Error::usage_hint(
                        "--fail-on unreviewed needs --rules",
                        "without rules every category is unreviewed",
                    ));
                }
                Request::Triage(TriageRequest {
                    scope: a.scope.into_scope(now)?,
                    classifier: a.classify.into_options()?,
                    rules: a.rules,
                    sla,
                    fail_on,
                    max_categories: a.max_categories as usize,
                    threads: a.threads.map(usize::from),
                    audit_log: a.audit_log,
                    out: a.out,
                })
            }
            DlqCommand::Mark(a) => {
                if a.topic.trim().is_empty() {
                    return Err(Error::usage_hint(
                        "--topic is empty",
                        "name the dead-letter topic, e.g. --topic orders-dlt",
                    ));
                }
                for c in &a.categories {
                    if !is_category_id(c) {
                        return Err(Error::usage_hint(
                            format!("'{c}' is not a category ID"),
                            "category IDs are 10 hex characters; list them with `kafkaops dlq triage --topic TOPIC`",
                        ));
                    }
                }
                for (flag, v) in [("--owner", &a.owner), ("--reason", &a.reason)] {
                    if v.trim().is_empty() {
                        return Err(Error::usage_hint(
                            format!("{flag} is empty"),
                            "the audit log records who marked and why",
                        ));
                    }
                }
                let mut up_to = Vec::new();
                for s in &a.up_to {
                    let (p, o) = parse_offset(s).map_err(|_| {
                        Error::usage_hint(
                            format!("malformed --up-to '{s}'"),
                            "write PARTITION:OFFSET (exclusive), e.g. --up-to 0:1200",
                        )
                    })?;
                    if up_to.iter().any(|(q, _): &(i32, i64)| *q == p) {
                        return Err(Error::usage_hint(
                            format!("--up-to names partition {p} twice"),
                            "give one offset per partition",
                        ));
                    }
                    up_to.push((p, o));
                }
                let mut categories = a.categories;
                categories.dedup();
                Request::Mark(MarkRequest {
                    topic: a.topic,
                    categories,
                    disposition: if a.disposition.discarded {
                        Disposition::Discarded
                    } else {
                        Disposition::Handled
                    },
                    owner: a.owner,
                    reason: a.reason,
                    ticket: a.ticket,
                    up_to,
                    classifier: a.classify.into_options()?,
                    dry_run: a.dry_run,
                    yes: a.yes,
                    audit_log: a.audit_log,
                })
            }
            DlqCommand::Inspect(a) => Request::Inspect(InspectRequest {
                scope: a.scope.into_scope(now)?,
                classifier: a.classify.into_options()?,
                selection: a.select.into_selection()?,
                limit: a.limit,
            }),
            DlqCommand::Export(a) => Request::Export(ExportRequest {
                scope: a.scope.into_scope(now)?,
                classifier: a.classify.into_options()?,
                selection: a.select.into_selection()?,
                limit: a.limit,
                output: a.out,
                force: a.force,
            }),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::Parser;

    #[derive(Debug, Parser)]
    struct T {
        #[command(flatten)]
        dlq: DlqArgs,
    }

    fn parse(args: &[&str]) -> Result<Request> {
        let mut v = vec!["x"];
        v.extend(args);
        let t = T::try_parse_from(v).map_err(|e| Error::usage(e.to_string()))?;
        t.dlq.into_request(Utc::now())
    }

    #[test]
    fn clap_definition_is_valid() {
        use clap::CommandFactory;
        T::command().debug_assert();
    }

    #[test]
    fn triage_flags() {
        let Request::Triage(r) = parse(&[
            "triage",
            "--topic",
            "orders-dlt",
            "--group-by",
            "exception,original-topic",
            "--sla",
            "24h",
            "--fail-on",
            "sla",
            "--from",
            "-2d",
            "--partitions",
            "0,2",
            "--reason-json-pointer",
            "/error/message",
        ])
        .unwrap() else {
            panic!("triage")
        };
        assert_eq!(
            r.classifier.group_by,
            vec![Dimension::Exception, Dimension::OriginalTopic]
        );
        assert_eq!(r.sla, Some(std::time::Duration::from_secs(86_400)));
        assert_eq!(r.fail_on, vec![FailOn::Sla]);
        assert!(r.scope.from.is_some());
        assert_eq!(r.max_categories, 1000);
        assert_eq!(
            r.classifier.overrides.reason_json_pointer.as_deref(),
            Some("/error/message")
        );
        let Request::Triage(r) = parse(&["triage", "--topic", "t"]).unwrap() else {
            panic!()
        };
        assert_eq!(r.classifier, ClassifierOptions::default());
    }

    #[test]
    fn bad_flags_are_usage_errors_with_hints() {
        for (args, want) in [
            (
                vec!["triage", "--topic", "t", "--fail-on", "sla"],
                "--fail-on sla needs --sla",
            ),
            (
                vec!["triage", "--topic", "t", "--group-by", "colour"],
                "unknown --group-by dimension",
            ),
            (
                vec!["triage", "--topic", "t", "--sla", "soon"],
                "malformed duration",
            ),
            (
                vec!["triage", "--topic", "t", "--from", "now", "--until", "-1h"],
                "inverted",
            ),
            (
                vec!["triage", "--topic", "t", "--reason-json-pointer", "error"],
                "not a JSON pointer",
            ),
            (
                vec!["inspect", "--topic", "t", "--offset", "3"],
                "malformed --offset",
            ),
            (
                vec!["inspect", "--topic", "t", "--category", "nothex!!!!"],
                "not a category ID",
            ),
            (
                vec!["export", "--topic", "t", "--category", "overflow"],
                "overflow row",
            ),
            (
                vec!["export", "--topic", "t", "--key", "base64:%%"],
                "not valid base64",
            ),
            (
                vec!["triage", "--topic", "t", "--fail-on", "unreviewed"],
                "needs --rules",
            ),
        ] {
            let err = parse(&args).unwrap_err();
            assert!(err.to_string().contains(want), "{args:?}: {err}");
            assert!(err.hint().is_some(), "{args:?}");
        }
        assert!(parse(&["inspect", "--topic", "t", "--limit", "0"]).is_err());
        assert!(parse(&["triage"]).is_err());
    }

    #[test]
    fn mark_flags() {
        let Request::Mark(r) = parse(&[
            "mark",
            "--topic",
            "t",
            "--category",
            "0123456789",
            "--category",
            "abcdefabcd",
            "--discarded",
            "--owner",
            "me",
            "--reason",
            "dups",
            "--up-to",
            "0:12",
            "--up-to",
            "2:3",
        ])
        .unwrap() else {
            panic!("mark")
        };
        assert_eq!(r.categories, vec!["0123456789", "abcdefabcd"]);
        assert_eq!(r.disposition, Disposition::Discarded);
        assert_eq!(r.up_to, vec![(0, 12), (2, 3)]);
        let base = ["mark", "--topic", "t", "--owner", "me", "--reason", "r"];
        let with = |extra: &[&'static str]| {
            let mut v = base.to_vec();
            v.extend(extra);
            parse(&v)
        };
        // Exactly one disposition, at least one category.
        assert!(with(&["--category", "0123456789"]).is_err());
        assert!(with(&["--category", "0123456789", "--handled", "--discarded"]).is_err());
        assert!(with(&["--handled"]).is_err());
        let err = with(&["--category", "nope", "--handled"]).unwrap_err();
        assert!(err.hint().unwrap().contains("dlq triage"), "{err}");
        let err = with(&["--category", "0123456789", "--handled", "--up-to", "x"]).unwrap_err();
        assert!(err.to_string().contains("malformed --up-to"), "{err}");
    }

    #[test]
    fn inspect_and_export_selection() {
        let Request::Inspect(r) = parse(&[
            "inspect",
            "--topic",
            "t",
            "--offset",
            "0:41",
            "--offset",
            "2:7",
            "--key",
            "base64:/wA=",
        ])
        .unwrap() else {
            panic!()
        };
        assert_eq!(r.selection.offsets, vec![(0, 41), (2, 7)]);
        assert_eq!(r.selection.key, Some(vec![0xff, 0x00]));
        assert_eq!(r.limit, 10);
        let Request::Export(r) = parse(&[
            "export",
            "--topic",
            "t",
            "--category",
            "0123456789",
            "--out",
            "x.jsonl",
        ])
        .unwrap() else {
            panic!()
        };
        assert_eq!(r.selection.category.as_deref(), Some("0123456789"));
        assert_eq!(r.output, Some(PathBuf::from("x.jsonl")));
        assert_eq!(r.limit, None);
    }
}
