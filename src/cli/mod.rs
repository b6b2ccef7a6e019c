//! The command-line surface. clap types live only under `cli/`; [`run`] converts
//! them once into plain settings and requests and dispatches to the jobs.

pub mod dlq;
pub mod lag;
pub mod replay;
pub mod serve;

use std::path::PathBuf;
use std::time::Duration;

use clap::{Parser, Subcommand, ValueEnum};

use crate::app::Context;
use crate::config::{ConnectionRequest, ConnectionSettings};
use crate::error::Result;
use crate::exit::{ExitCode, EXIT_CODES_HELP};
use crate::output::{ColorChoice, Output, OutputFormat};
use crate::replay::rate::RecordRate;

const ABOUT: &str =
    "On-call toolkit for Kafka pipelines: DLQ triage, safe replay, lag and event age";

const LONG_ABOUT: &str = "\
On-call toolkit for Kafka pipelines.

  kafkaops dlq triage   what is in a dead-letter topic, grouped by failure, with a decision per group
  kafkaops replay       re-publish a bounded slice of a topic: planned, rate-limited, audited, resumable
  kafkaops lag          lag and age of the oldest unconsumed event per consumer group and partition

Connection settings come from flags, the environment, and named profiles in
$KAFKAOPS_CONFIG (default $XDG_CONFIG_HOME/kafkaops/config.toml); see `kafkaops config show`.";

#[derive(Debug, Parser)]
#[command(
    name = "kafkaops",
    version,
    about = ABOUT,
    long_about = LONG_ABOUT,
    after_long_help = EXIT_CODES_HELP,
    propagate_version = true,
    max_term_width = 100
)]
pub struct Cli {
    #[command(flatten)]
    pub connection: ConnectionArgs,

    #[command(flatten)]
    pub output: OutputArgs,

    #[command(subcommand)]
    pub command: Command,
}

/// Connection flags, defined once and accepted by every subcommand.
#[derive(Debug, clap::Args)]
#[command(next_help_heading = "Connection")]
pub struct ConnectionArgs {
    /// Bootstrap brokers, comma-separated (env: KAFKAOPS_BROKERS)
    #[arg(short = 'b', long, global = true, value_name = "HOST:PORT,...")]
    pub brokers: Option<String>,

    /// librdkafka property, repeatable, as kcat's -X (e.g. -X security.protocol=SASL_SSL)
    #[arg(short = 'X', value_name = "KEY=VALUE", global = true, action = clap::ArgAction::Append)]
    pub property: Vec<String>,

    /// librdkafka properties file (key=value lines)
    #[arg(short = 'F', long = "config-file", value_name = "FILE", global = true)]
    pub config_file: Option<PathBuf>,

    /// Named profile from the config file (env: KAFKAOPS_PROFILE)
    #[arg(long, value_name = "NAME", global = true)]
    pub profile: Option<String>,

    /// Timeout for each broker call
    #[arg(long, value_name = "DURATION", default_value = "10s", global = true, value_parser = parse_timeout)]
    pub timeout: Duration,
}

#[derive(Debug, clap::Args)]
#[command(next_help_heading = "Output")]
pub struct OutputArgs {
    /// Output format: tables for people, JSON as a stable contract
    #[arg(short = 'o', long = "output", value_enum, default_value_t = FormatArg::Table, global = true)]
    pub format: FormatArg,

    /// When to use colour (NO_COLOR is honoured by `auto`)
    #[arg(long, value_enum, default_value_t = ColorArg::Auto, global = true, value_name = "WHEN")]
    pub color: ColorArg,

    /// Show every table column in full instead of fitting tables to the terminal (COLUMNS)
    #[arg(long, global = true)]
    pub wide: bool,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum FormatArg {
    Table,
    Json,
    Jsonl,
    Prometheus,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum ColorArg {
    Auto,
    Always,
    Never,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Triage a dead-letter topic: categories, ages, decisions; inspect and export records
    Dlq(dlq::DlqArgs),
    /// Re-publish a bounded slice of a topic: plan, run, resume, status
    Replay(Box<replay::ReplayArgs>),
    /// Lag and event age per consumer group and partition, with thresholds for CI
    Lag(lag::LagArgs),
    /// Prometheus exporter: lag with trend status, event age and DLQ categories, on /metrics
    Serve(Box<serve::ServeArgs>),
    /// Verify the replay audit log's hash chain (exit 1 if a line was edited, reordered or deleted)
    Audit(replay::AuditArgs),
    /// Replay drill for scheduled CI: replay a window into a scratch topic and prove parity
    Drill(DrillArgs),
    /// A guided tour on the embedded sandbox: triage, lag, a planned and audited redrive
    Demo,
    /// Start an embedded, seeded Kafka-protocol broker to try kafkaops on (no Kafka needed)
    Sandbox(SandboxArgs),
    /// Partitions, leaders, watermarks and offsets-for-times of one topic
    Topic {
        #[command(subcommand)]
        command: TopicCommand,
    },
    /// Show or check the effective connection settings
    Config {
        #[command(subcommand)]
        command: ConfigCommand,
    },
    /// Write shell completions and man pages (used to refresh completions/ and man/)
    #[command(hide = true)]
    Generate {
        /// Directory that receives completions/ and man/
        #[arg(long, value_name = "DIR", default_value = ".")]
        out_dir: PathBuf,
    },
}

#[derive(Debug, clap::Args)]
#[command(after_long_help = "\
Examples:
  kafkaops drill --topic orders --window 15m --rate 2000/s --junit drill.xml --yes
  kafkaops drill --topic orders --window 1h --at 2026-11-20T08:00:00Z --to orders-drill --report drill.json --yes
  kafkaops drill --verify rp-20261121-061234-62bdc1 --junit recheck.xml")]
pub struct DrillArgs {
    /// Source topic whose window is replayed
    #[arg(long, value_name = "TOPIC", required_unless_present = "verify")]
    pub topic: Option<String>,
    /// Length of the window, ending at --at
    #[arg(long, value_name = "DURATION", required_unless_present = "verify")]
    pub window: Option<String>,
    /// End of the window (default: now)
    #[arg(long, value_name = "TIME", allow_hyphen_values = true)]
    pub at: Option<String>,
    /// Rate ceiling, records per second
    #[arg(long, value_name = "N/s", default_value_t = RecordRate::DEFAULT, value_parser = usage_value(RecordRate::parse))]
    pub rate: RecordRate,
    /// Replay into this existing topic instead of a new scratch topic
    #[arg(long, value_name = "TOPIC")]
    pub to: Option<String>,
    /// Remove the scratch topic afterwards, where the broker allows it
    #[arg(long)]
    pub cleanup: bool,
    /// Who runs the drill (audit log and provenance headers)
    #[arg(long, value_name = "NAME", default_value = "replay-drill")]
    pub owner: String,
    /// Ticket or change reference
    #[arg(long, value_name = "REF")]
    pub ticket: Option<String>,
    /// Refuse windows with more records than this
    #[arg(long, value_name = "N", default_value_t = crate::replay::DEFAULT_MAX_RECORDS)]
    pub max_records: u64,
    /// Do not ask for confirmation (required without a terminal)
    #[arg(short = 'y', long)]
    pub yes: bool,
    /// Audit log file [default: the profile's audit_log, else $XDG_STATE_HOME/kafkaops/audit.jsonl]
    #[arg(long, value_name = "FILE")]
    pub audit_log: Option<PathBuf>,
    /// Write the JSON report here too
    #[arg(long, value_name = "FILE")]
    pub report: Option<PathBuf>,
    /// Write a JUnit XML report here, for CI test views
    #[arg(long, value_name = "FILE")]
    pub junit: Option<PathBuf>,
    /// Re-verify an earlier replay or drill by id instead of replaying
    #[arg(long, value_name = "REPLAY_ID", conflicts_with_all = ["topic", "window", "at", "to", "cleanup"])]
    pub verify: Option<String>,
}

impl DrillArgs {
    fn into_request(
        self,
        now: chrono::DateTime<chrono::Utc>,
    ) -> Result<crate::drill::DrillRequest> {
        use crate::drill::{DrillRequest, Mode, RunDrill};
        let mode = match self.verify {
            Some(id) => Mode::Verify(id),
            None => {
                let window =
                    crate::timespec::parse_duration(self.window.as_deref().unwrap_or_default())?;
                if window.is_zero() {
                    return Err(crate::error::Error::usage_hint(
                        "the drill --window is empty",
                        "give a window such as 15m",
                    ));
                }
                let at = match &self.at {
                    Some(a) => crate::timespec::parse_time(a, now)?,
                    None => now,
                };
                let rate = crate::replay::rate::Rate {
                    records_per_sec: self.rate,
                    bytes_per_sec: None,
                };
                Mode::Run(RunDrill {
                    topic: self.topic.unwrap_or_default(),
                    window,
                    at,
                    rate,
                    to: self.to,
                    cleanup: self.cleanup,
                    owner: self.owner,
                    ticket: self.ticket,
                    max_records: self.max_records,
                    yes: self.yes,
                    audit_log: self.audit_log,
                })
            }
        };
        Ok(DrillRequest {
            mode,
            junit: self.junit,
            report: self.report,
        })
    }
}

#[derive(Debug, clap::Args)]
pub struct SandboxArgs {
    /// Loopback address the sandbox broker listens on
    #[arg(long, value_name = "HOST:PORT", default_value = "127.0.0.1:9092")]
    pub listen: std::net::SocketAddr,
    /// What to seed it with
    #[arg(long, value_enum, default_value_t = SeedArg::Incident)]
    pub seed: SeedArg,
    /// Also create an empty topic, NAME:PARTITIONS (repeatable), e.g. for benchmarks
    #[arg(long = "create-topic", value_name = "NAME:PARTITIONS", value_parser = parse_topic_spec)]
    pub create_topic: Vec<(String, i32)>,
    /// Seed, print the address and exit instead of serving (the broker stops with the process)
    #[arg(long, hide = true)]
    pub no_serve: bool,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum SeedArg {
    /// An order pipeline mid-incident: orders, payments, a DLQ, groups in several states
    Incident,
    /// Empty topics only
    None,
}

#[derive(Debug, Subcommand)]
pub enum ConfigCommand {
    /// Print brokers and librdkafka properties after flags, env and profile are merged; secrets redacted
    Show,
    /// Connect, authenticate and fetch metadata; exit 3 when the cluster cannot be reached
    Check,
}

#[derive(Debug, Subcommand)]
pub enum TopicCommand {
    /// Show partitions, leaders, replicas, log start/end and record counts
    Describe {
        /// Topic to describe
        #[arg(long, short = 't', value_name = "TOPIC")]
        topic: String,
        /// Also look up the first offset at or after this time (offsets-for-times)
        #[arg(long, value_name = "TIME", allow_hyphen_values = true)]
        at: Option<String>,
    },
}

fn parse_topic_spec(s: &str) -> std::result::Result<(String, i32), String> {
    let (name, parts) = s
        .rsplit_once(':')
        .ok_or("expected NAME:PARTITIONS, e.g. bench:48")?;
    let parts: i32 = parts
        .parse()
        .map_err(|_| format!("'{parts}' is not a partition count"))?;
    if name.is_empty() || !(1..=10_000).contains(&parts) {
        return Err("expected NAME:PARTITIONS with 1 to 10000 partitions".into());
    }
    Ok((name.to_string(), parts))
}

/// A clap value parser from a job's own parser, so a value is checked (and
/// refused, exit 2) where clap checks the others; its hint is shown with it.
fn usage_value<T: 'static>(
    parse: fn(&str) -> Result<T>,
) -> impl Fn(&str) -> std::result::Result<T, String> + Clone + Send + Sync + 'static {
    move |s| {
        parse(s).map_err(|e| match e.hint() {
            Some(h) => format!("{e}\n  hint: {h}"),
            None => e.to_string(),
        })
    }
}

/// `PARTITION:OFFSET` with both at least 0, as `--offset`, `--up-to` and
/// `--to-offsets` take it; `None` when malformed, so each flag's error names itself.
fn partition_offset(s: &str) -> Option<(i32, i64)> {
    let (p, o) = s.trim().split_once(':')?;
    let p: i32 = p.trim().parse().ok()?;
    let o: i64 = o.trim().parse().ok()?;
    (p >= 0 && o >= 0).then_some((p, o))
}

/// A duration flag that must be greater than zero; the hint shows `example`.
fn positive_duration(flag: &str, s: &str, example: &str) -> Result<Duration> {
    let d = crate::timespec::parse_duration(s)?;
    if d.is_zero() {
        return Err(crate::error::Error::usage_hint(
            format!("{flag} must be greater than zero"),
            format!("e.g. {flag} {example}"),
        ));
    }
    Ok(d)
}

fn parse_timeout(s: &str) -> std::result::Result<Duration, String> {
    let d = crate::timespec::parse_duration(s).map_err(|e| e.to_string())?;
    if d.is_zero() {
        return Err("the timeout must be greater than zero".into());
    }
    Ok(d)
}

impl ConnectionArgs {
    fn to_request(&self) -> ConnectionRequest {
        ConnectionRequest {
            brokers: self.brokers.clone(),
            properties: self.property.clone(),
            config_file: self.config_file.clone(),
            profile: self.profile.clone(),
            timeout: self.timeout,
        }
    }
}

impl OutputArgs {
    fn to_output(&self) -> Output {
        let format = match self.format {
            FormatArg::Table => OutputFormat::Table,
            FormatArg::Json => OutputFormat::Json,
            FormatArg::Jsonl => OutputFormat::Jsonl,
            FormatArg::Prometheus => OutputFormat::Prometheus,
        };
        let color = match self.color {
            ColorArg::Auto => ColorChoice::Auto,
            ColorArg::Always => ColorChoice::Always,
            ColorArg::Never => ColorChoice::Never,
        };
        Output::new(format, color).wide(self.wide)
    }
}

/// Resolve settings and run the chosen command.
pub fn run(cli: Cli) -> Result<ExitCode> {
    let out = cli.output.to_output();
    if let Command::Generate { out_dir } = &cli.command {
        crate::generate::write_all(out_dir)?;
        return Ok(ExitCode::Success);
    }
    let settings = ConnectionSettings::resolve(&cli.connection.to_request())?;
    let now = chrono::Utc::now();
    // Shared with the blocking threads that sync commands run on (see crate::app).
    let ctx = std::sync::Arc::new(Context { settings, out, now });
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .map_err(|e| crate::error::Error::file("start", "the async runtime", e))?;
    runtime.block_on(async move {
        match cli.command {
            Command::Dlq(args) => {
                let req = args.into_request(now)?;
                let ctx = ctx.clone();
                crate::app::blocking(move || crate::dlq::run(req, &ctx)).await?
            }
            Command::Replay(args) => crate::replay::run(args.into_request(now)?, &ctx).await,
            Command::Lag(args) => crate::lag::run(args.into_request(now)?, &ctx).await,
            Command::Serve(args) => crate::serve::run(args.into_request()?, ctx.clone()).await,
            Command::Audit(args) => crate::replay::run(args.into_request(now)?, &ctx).await,
            Command::Demo => crate::demo::run(&ctx).await,
            Command::Drill(args) => crate::drill::run(args.into_request(now)?, &ctx).await,
            Command::Sandbox(a) => {
                let req = crate::sandbox::SandboxRequest {
                    listen: a.listen,
                    seed: match a.seed {
                        SeedArg::Incident => crate::sandbox::Seed::Incident,
                        SeedArg::None => crate::sandbox::Seed::None,
                    },
                    live: !a.no_serve,
                    extra_topics: a.create_topic,
                };
                crate::sandbox::run(req, &ctx).await
            }
            Command::Config {
                command: ConfigCommand::Show,
            } => crate::config_show::run(&ctx),
            Command::Config {
                command: ConfigCommand::Check,
            } => {
                let ctx = ctx.clone();
                crate::app::blocking(move || crate::config_check::run(&ctx)).await?
            }
            Command::Topic {
                command: TopicCommand::Describe { topic, at },
            } => {
                let at = at
                    .map(|a| crate::timespec::parse_time(&a, now))
                    .transpose()?;
                let ctx = ctx.clone();
                let req = crate::topic::DescribeRequest { topic, at };
                crate::app::blocking(move || crate::topic::describe(req, &ctx)).await?
            }
            Command::Generate { .. } => unreachable!("handled above"),
        }
    })
}

/// The clap command tree, for the generator and tests.
pub fn command() -> clap::Command {
    <Cli as clap::CommandFactory>::command()
}
