//! `kafkaops serve` flags, merged over `--config FILE` and converted once into a
//! [`ServeRequest`].

use std::net::SocketAddr;
use std::path::PathBuf;
use std::time::Duration;

use crate::error::{Error, Result};
use crate::lag::GroupSelection;
use crate::serve::file::ServeFile;
use crate::serve::{DlqSpec, LagSpec, ServeRequest};

const DEFAULT_LISTEN: &str = "127.0.0.1:9308";
const DEFAULT_INTERVAL: Duration = Duration::from_secs(30);
const DEFAULT_WINDOW: usize = 10;
const DEFAULT_MAX_CATEGORIES: usize = 1000;

#[derive(Debug, clap::Args)]
#[command(after_long_help = "\
Serves /metrics (Prometheus text format: the metric names of `lag -o prometheus` and
`dlq triage -o prometheus`, plus per-source kafkaops_*_up, last-success timestamps,
collection durations and error counters), /healthz and an index page at /.
Collection runs every --interval on its own; a scrape returns the last complete
collection from memory. A failing source shows as up 0 and counted errors, its
figures absent (never 0). The lag window is kept in the state dir across restarts.
Alert rules and a Grafana dashboard: monitoring/ in the repository.

Examples:
  kafkaops serve --group billing --group-regex '^payments-' --dlq-topic orders-dlq --sla 24h
  kafkaops serve --listen 0.0.0.0:9308 --interval 15s --config /etc/kafkaops/serve.toml")]
pub struct ServeArgs {
    /// Address to serve HTTP on [default: 127.0.0.1:9308]
    #[arg(long, value_name = "HOST:PORT")]
    pub listen: Option<SocketAddr>,
    /// Time between collections [default: 30s]
    #[arg(long, value_name = "DURATION")]
    pub interval: Option<String>,
    /// Lag samples the trend status (OK, WARN, STALL, STOP, REWIND) is judged over [default: 10]
    #[arg(long, value_name = "N")]
    pub window: Option<usize>,
    /// Consumer group to follow (repeatable); default: every group the cluster lists
    #[arg(long = "group", value_name = "GROUP")]
    pub group: Vec<String>,
    /// Follow the groups whose name matches this regex (with --group: in addition)
    #[arg(long, value_name = "REGEX")]
    pub group_regex: Option<String>,
    /// Only this topic's partitions
    #[arg(long, value_name = "TOPIC")]
    pub topic: Option<String>,
    /// Skip event ages (no record reads for lag)
    #[arg(long)]
    pub no_age: bool,
    /// Collect no lag: DLQ topics only
    #[arg(long, conflicts_with_all = ["group", "group_regex", "topic", "no_age"])]
    pub no_lag: bool,
    /// Lag at or below which a partition counts as caught up in the trend [default: 0]
    #[arg(long, value_name = "N")]
    pub allowed_lag: Option<i64>,
    /// Dead-letter topic to triage continuously (repeatable)
    #[arg(long = "dlq-topic", value_name = "TOPIC")]
    pub dlq_topic: Vec<String>,
    /// Rules file deciding an action per DLQ category, as for `dlq triage`
    #[arg(long, value_name = "FILE")]
    pub rules: Option<PathBuf>,
    /// Triage SLA: a category whose oldest open record is older breaches it
    #[arg(long, value_name = "DURATION")]
    pub sla: Option<String>,
    /// Audit log holding the handled marks [default: as for `dlq triage`]
    #[arg(long, value_name = "FILE")]
    pub audit_log: Option<PathBuf>,
    /// Categories counted one by one per DLQ topic; the rest share an overflow row [default: 1000]
    #[arg(long, value_name = "N")]
    pub max_categories: Option<usize>,
    /// Serve settings as TOML (keys named as these flags); flags given here win
    #[arg(long, value_name = "FILE")]
    pub config: Option<PathBuf>,
}

impl ServeArgs {
    pub fn into_request(self) -> Result<ServeRequest> {
        let file = match &self.config {
            Some(p) => ServeFile::load(p)?,
            None => ServeFile::default(),
        };
        let listen = match (self.listen, &file.listen) {
            (Some(l), _) => l,
            (None, Some(l)) => l.parse().map_err(|e| {
                Error::config(
                    format!("bad listen address '{l}' in the serve config: {e}"),
                    "write HOST:PORT, e.g. 127.0.0.1:9308",
                )
            })?,
            (None, None) => DEFAULT_LISTEN.parse().expect("valid default"),
        };
        let interval = match self.interval.as_ref().or(file.interval.as_ref()) {
            Some(s) => super::positive_duration("--interval", s, "30s")?,
            None => DEFAULT_INTERVAL,
        };
        let window = self.window.or(file.window).unwrap_or(DEFAULT_WINDOW);
        if window < 2 {
            return Err(Error::usage_hint(
                "--window needs at least 2 samples",
                "a trend compares samples; the default is 10",
            ));
        }
        let groups = if self.group.is_empty() {
            file.group
        } else {
            self.group
        };
        if let Some(g) = groups.iter().find(|g| g.trim().is_empty()) {
            return Err(Error::usage_hint(
                format!("empty group name '{g}'"),
                "give --group a group id",
            ));
        }
        let regex = self
            .group_regex
            .or(file.group_regex)
            .map(|r| {
                regex::Regex::new(&r).map_err(|e| {
                    Error::usage_hint(
                        format!("malformed --group-regex '{r}': {e}"),
                        "write a Rust regex, e.g. '^payments-'",
                    )
                })
            })
            .transpose()?;
        let selection = match (groups.is_empty(), regex) {
            (true, None) => GroupSelection::All,
            (true, Some(r)) => GroupSelection::Matching(r),
            (false, regex) => GroupSelection::Named {
                names: groups,
                regex,
            },
        };
        let no_lag = self.no_lag || file.no_lag.unwrap_or(false);
        let lag = (!no_lag).then(|| LagSpec {
            selection,
            topic: self.topic.or(file.topic),
            ages: !(self.no_age || file.no_age.unwrap_or(false)),
            allowed_lag: self.allowed_lag.or(file.allowed_lag).unwrap_or(0),
        });
        let sla = self
            .sla
            .or(file.sla)
            .map(|s| super::positive_duration("--sla", &s, "24h"))
            .transpose()?;
        let topics = if self.dlq_topic.is_empty() {
            file.dlq_topic
        } else {
            self.dlq_topic
        };
        let rules = self.rules.or(file.rules);
        let audit_log = self.audit_log.or(file.audit_log);
        let max_categories = self
            .max_categories
            .or(file.max_categories)
            .unwrap_or(DEFAULT_MAX_CATEGORIES);
        let mut dlq: Vec<DlqSpec> = Vec::new();
        for topic in topics {
            if dlq.iter().any(|d| d.topic == topic) {
                continue;
            }
            dlq.push(DlqSpec {
                topic,
                rules: rules.clone(),
                sla,
                audit_log: audit_log.clone(),
                max_categories,
            });
        }
        Ok(ServeRequest {
            listen,
            interval,
            window,
            lag,
            dlq,
        })
    }
}

#[cfg(test)]
mod tests {
    use clap::Parser;

    use super::*;

    #[derive(Parser)]
    struct T {
        #[command(flatten)]
        a: ServeArgs,
    }

    fn req(args: &[&str]) -> Result<ServeRequest> {
        let mut v = vec!["serve"];
        v.extend_from_slice(args);
        T::try_parse_from(v).unwrap().a.into_request()
    }

    #[test]
    fn flags_win_over_the_file_and_defaults_fill_the_rest() {
        let dir = tempfile::tempdir().unwrap();
        let f = dir.path().join("serve.toml");
        std::fs::write(
            &f,
            "interval = \"5s\"\ngroup = [\"a\"]\ndlq-topic = [\"d1\"]\nsla = \"1h\"\n",
        )
        .unwrap();
        let r = req(&["--config", f.to_str().unwrap(), "--group", "b"]).unwrap();
        assert_eq!(r.interval, Duration::from_secs(5));
        assert_eq!(r.listen.to_string(), DEFAULT_LISTEN);
        match &r.lag.as_ref().unwrap().selection {
            GroupSelection::Named { names, regex } => {
                assert_eq!(names, &vec!["b".to_string()]);
                assert!(regex.is_none());
            }
            other => panic!("{other:?}"),
        }
        assert_eq!(r.dlq.len(), 1);
        assert_eq!(r.dlq[0].sla, Some(Duration::from_secs(3600)));
        let r = req(&["--dlq-topic", "x", "--no-lag"]).unwrap();
        assert!(r.lag.is_none());
        assert_eq!(r.interval, DEFAULT_INTERVAL);
    }

    #[test]
    fn bad_settings_are_refused() {
        assert!(req(&["--group-regex", "("])
            .unwrap_err()
            .to_string()
            .contains("--group-regex"));
        assert!(req(&["--interval", "0s"]).is_err());
        assert!(req(&["--window", "1"]).is_err());
        let dir = tempfile::tempdir().unwrap();
        let f = dir.path().join("serve.toml");
        std::fs::write(&f, "grop = [\"a\"]\n").unwrap();
        let e = req(&["--config", f.to_str().unwrap()]).unwrap_err();
        assert!(e.to_string().contains("grop"), "{e}");
        assert_eq!(e.exit_code(), crate::exit::ExitCode::Usage);
    }
}
