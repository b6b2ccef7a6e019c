//! Command-line surface of `kafkaops lag`: clap types, converted once into
//! [`crate::lag::Request`].

use std::path::PathBuf;

use chrono::{DateTime, Utc};

use crate::error::{Error, Result};
use crate::lag::trend::Severity;
use crate::lag::{GroupSelection, Request, Thresholds};

const AFTER_HELP: &str = "\
Lag is the records between a group's committed offset and the log end; event age is
now minus the timestamp of the first unconsumed record (0 when caught up). Partitions
a group never committed show as `no commit`, not as lag.

Trend statuses (--samples N --interval D, Burrow-style): OK; WARN when the offset moves
but the lag keeps growing; STALL when the offset is stuck while lagging and the group
is alive; STOP when the whole group stopped committing; REWIND when an offset went
backwards.

Examples:
  kafkaops lag --group billing
  kafkaops lag --group-regex '^payments-' --topic orders -o json
  kafkaops lag --group billing --max-lag 10000 --max-age 5m        # CI gate: exit 1 on breach
  kafkaops lag --group billing --samples 5 --interval 30s --fail-on err
  kafkaops lag -o prometheus --out /var/lib/node_exporter/kafkaops.prom   # textfile collector
  kafkaops lag -o prometheus --out /var/lib/node_exporter/kafkaops.prom --watch 30s
  kafkaops lag --group billing --watch 5s";

#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum FailOn {
    /// WARN, STALL, STOP or REWIND
    Warn,
    /// STALL, STOP or REWIND
    Err,
}

#[derive(Debug, clap::Args)]
#[command(after_help = AFTER_HELP)]
pub struct LagArgs {
    /// Consumer group to report (repeatable); default: every group the cluster lists
    #[arg(long = "group", value_name = "GROUP")]
    pub group: Vec<String>,

    /// Report the groups whose name matches this regex (with --group: in addition)
    #[arg(long, value_name = "REGEX")]
    pub group_regex: Option<String>,

    /// Only this topic
    #[arg(long, value_name = "TOPIC")]
    pub topic: Option<String>,

    /// Skip event-age lookups (reads no records)
    #[arg(long)]
    pub no_age: bool,

    /// Snapshots to take for trend statuses
    #[arg(long, value_name = "N", default_value_t = 1)]
    pub samples: u32,

    /// Time between snapshots
    #[arg(long, value_name = "DURATION", default_value = "10s")]
    pub interval: String,

    /// Lag (records) that still counts as caught up in trend statuses
    #[arg(long, value_name = "N", default_value_t = 0)]
    pub allowed_lag: u64,

    /// Breach when any partition's lag exceeds N records
    #[arg(
        long,
        value_name = "N",
        help_heading = "Thresholds (exit 1 when breached)"
    )]
    pub max_lag: Option<u64>,

    /// Breach when a group's total lag exceeds N records
    #[arg(
        long,
        value_name = "N",
        help_heading = "Thresholds (exit 1 when breached)"
    )]
    pub max_total_lag: Option<u64>,

    /// Breach when any partition's event age exceeds DURATION
    #[arg(
        long,
        value_name = "DURATION",
        help_heading = "Thresholds (exit 1 when breached)"
    )]
    pub max_age: Option<String>,

    /// Breach when a group's trend status is this bad (needs --samples 2 or more)
    #[arg(
        long,
        value_enum,
        value_name = "LEVEL",
        help_heading = "Thresholds (exit 1 when breached)"
    )]
    pub fail_on: Option<FailOn>,

    /// Redraw every INTERVAL with consumption rate and time to catch up, until Ctrl-C
    #[arg(long, value_name = "INTERVAL")]
    pub watch: Option<String>,

    /// Write the report to FILE instead of stdout, replacing it atomically once the
    /// report is complete (each sample or --watch frame); a failed run keeps the old file
    #[arg(long = "out", value_name = "FILE")]
    pub out: Option<PathBuf>,
}

fn to_i64(flag: &str, v: u64) -> Result<i64> {
    i64::try_from(v).map_err(|_| Error::usage(format!("{flag} {v} is too large")))
}

impl LagArgs {
    pub fn into_request(self, _now: DateTime<Utc>) -> Result<Request> {
        if let Some(g) = self.group.iter().find(|g| g.trim().is_empty()) {
            return Err(Error::usage_hint(
                format!("empty group name '{g}'"),
                "give --group a group id",
            ));
        }
        let regex = self
            .group_regex
            .as_deref()
            .map(|r| {
                regex::Regex::new(r).map_err(|e| {
                    Error::usage_hint(
                        format!("malformed --group-regex '{r}': {e}"),
                        "write a Rust regex, e.g. '^payments-'",
                    )
                })
            })
            .transpose()?;
        let selection = match (self.group.is_empty(), regex) {
            (true, None) => GroupSelection::All,
            (true, Some(r)) => GroupSelection::Matching(r),
            (false, regex) => GroupSelection::Named {
                names: self.group,
                regex,
            },
        };
        if self.samples == 0 {
            return Err(Error::usage_hint(
                "--samples must be at least 1",
                "use --samples 1 for a single snapshot",
            ));
        }
        let interval = super::positive_duration("--interval", &self.interval, "10s")?;
        let max_age = self
            .max_age
            .as_deref()
            .map(crate::timespec::parse_duration)
            .transpose()?;
        if max_age.is_some() && self.no_age {
            return Err(Error::usage_hint(
                "--max-age needs event ages",
                "drop --no-age",
            ));
        }
        let fail_on = self.fail_on.map(|f| match f {
            FailOn::Warn => Severity::Warn,
            FailOn::Err => Severity::Err,
        });
        if fail_on.is_some() && self.samples < 2 {
            return Err(Error::usage_hint(
                "--fail-on needs a trend, and one snapshot has none",
                "add --samples 3 --interval 10s (or more)",
            ));
        }
        let thresholds = Thresholds {
            max_lag: self.max_lag.map(|v| to_i64("--max-lag", v)).transpose()?,
            max_total_lag: self
                .max_total_lag
                .map(|v| to_i64("--max-total-lag", v))
                .transpose()?,
            max_age,
            fail_on,
        };
        let watch = self
            .watch
            .as_deref()
            .map(|s| super::positive_duration("--watch", s, "10s"))
            .transpose()?;
        if watch.is_some() && (self.samples > 1 || thresholds.any()) {
            return Err(Error::usage_hint(
                "--watch runs until Ctrl-C and cannot be combined with --samples or thresholds",
                "use --samples N --interval D with --max-lag/--max-age/--fail-on for checks",
            ));
        }
        Ok(Request {
            selection,
            topic: self.topic,
            ages: !self.no_age,
            samples: self.samples,
            interval,
            allowed_lag: to_i64("--allowed-lag", self.allowed_lag)?,
            thresholds,
            watch,
            out: self.out,
        })
    }
}

#[cfg(test)]
mod tests {
    use clap::Parser;

    use std::time::Duration;

    use super::*;

    #[derive(Debug, Parser)]
    struct T {
        #[command(flatten)]
        args: LagArgs,
    }

    fn req(args: &[&str]) -> Result<Request> {
        let mut v = vec!["lag"];
        v.extend_from_slice(args);
        T::try_parse_from(v)
            .expect("clap parses")
            .args
            .into_request(Utc::now())
    }

    #[test]
    fn defaults() {
        let r = req(&[]).unwrap();
        assert!(matches!(r.selection, GroupSelection::All));
        assert!(r.ages);
        assert_eq!(r.samples, 1);
        assert_eq!(r.interval, Duration::from_secs(10));
        assert!(!r.thresholds.any());
        assert_eq!(r.watch, None);
        assert_eq!(r.out, None);
        let r = req(&["--out", "lag.prom", "--watch", "30s"]).unwrap();
        assert_eq!(r.out.as_deref(), Some(std::path::Path::new("lag.prom")));
    }

    #[test]
    fn groups_and_thresholds() {
        let r = req(&[
            "--group",
            "a",
            "--group",
            "b",
            "--group-regex",
            "^x",
            "--max-lag",
            "10",
            "--max-age",
            "5m",
            "--samples",
            "3",
            "--interval",
            "2s",
            "--fail-on",
            "warn",
            "--allowed-lag",
            "4",
        ])
        .unwrap();
        match r.selection {
            GroupSelection::Named { names, regex } => {
                assert_eq!(names, vec!["a", "b"]);
                assert_eq!(regex.unwrap().as_str(), "^x");
            }
            other => panic!("{other:?}"),
        }
        assert_eq!(r.thresholds.max_lag, Some(10));
        assert_eq!(r.thresholds.max_age, Some(Duration::from_secs(300)));
        assert_eq!(r.thresholds.fail_on, Some(Severity::Warn));
        assert_eq!(r.allowed_lag, 4);
        assert_eq!(r.interval, Duration::from_secs(2));
    }

    #[test]
    fn rejects_bad_combinations_with_hints() {
        let e = req(&["--fail-on", "err"]).unwrap_err();
        assert!(e.hint().unwrap().contains("--samples"), "{e}");
        let e = req(&["--max-age", "5m", "--no-age"]).unwrap_err();
        assert!(e.hint().unwrap().contains("--no-age"));
        let e = req(&["--watch", "5s", "--max-lag", "1"]).unwrap_err();
        assert!(e.to_string().contains("--watch"));
        assert!(req(&["--samples", "0"]).is_err());
        assert!(req(&["--interval", "0s"]).is_err());
        assert!(req(&["--group-regex", "("])
            .unwrap_err()
            .to_string()
            .contains("--group-regex"));
        assert!(req(&["--max-age", "soon"]).is_err());
        assert!(req(&["--group", ""]).is_err());
        assert!(matches!(
            req(&["--group-regex", "^p"]).unwrap().selection,
            GroupSelection::Matching(_)
        ));
        assert_eq!(
            req(&["--watch", "2s"]).unwrap().watch,
            Some(Duration::from_secs(2))
        );
    }
}
