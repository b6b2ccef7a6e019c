//! `-o prometheus`: the Prometheus text exposition format (version 0.0.4), for the
//! node_exporter textfile collector. `kafkaops_lag_up` and
//! `kafkaops_lag_last_success_timestamp_seconds` come first: a failed run writes
//! nothing (`--out` keeps the previous file), so the timestamp's age is what tells
//! a stale file from a fresh one. Every family has HELP and TYPE lines; label
//! values are escaped (backslash, double quote, newline) so any group or topic name
//! is safe. Unknown figures (no commit, unknown age, the total lag of a group with
//! no commits) are left out, never written as 0.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use chrono::{DateTime, Utc};

use super::model::GroupLag;
use super::trend::Status;

/// One metric family; shared with `dlq triage -o prometheus` and `serve`.
pub(crate) struct Family {
    name: &'static str,
    help: &'static str,
    /// `gauge`, or `counter` (whose name then ends in `_total`).
    kind: &'static str,
    samples: Vec<(String, String)>,
}

impl Family {
    /// A gauge: every figure of `lag` and `dlq triage` is one.
    pub(crate) fn new(name: &'static str, help: &'static str) -> Self {
        Family {
            name,
            help,
            kind: "gauge",
            samples: Vec::new(),
        }
    }

    /// A counter (`serve`'s collection errors): only ever goes up.
    pub(crate) fn counter(name: &'static str, help: &'static str) -> Self {
        debug_assert!(name.ends_with("_total"), "a counter's name ends in _total");
        Family {
            kind: "counter",
            ..Family::new(name, help)
        }
    }

    pub(crate) fn is_empty(&self) -> bool {
        self.samples.is_empty()
    }

    pub(crate) fn push(&mut self, labels: &[(&str, &str)], value: String) {
        self.samples.push((render_labels(labels), value));
    }
}

/// Escape a label value per the exposition format.
pub fn escape_label(v: &str) -> String {
    let mut s = String::with_capacity(v.len());
    for c in v.chars() {
        match c {
            '\\' => s.push_str("\\\\"),
            '"' => s.push_str("\\\""),
            '\n' => s.push_str("\\n"),
            c => s.push(c),
        }
    }
    s
}

fn render_labels(labels: &[(&str, &str)]) -> String {
    if labels.is_empty() {
        return String::new();
    }
    let inner: Vec<String> = labels
        .iter()
        .map(|(k, v)| format!("{k}=\"{}\"", escape_label(v)))
        .collect();
    format!("{{{}}}", inner.join(","))
}

pub(crate) fn float(v: f64) -> String {
    // Rust prints 3.0 as "3" and 0.25 as "0.25": both valid sample values.
    format!("{v}")
}

/// The whole exposition for the given groups, collected at `at`.
pub fn render(groups: &[GroupLag], at: DateTime<Utc>) -> String {
    let mut up = Family::new(
        "kafkaops_lag_up",
        "1: this file comes from a complete collection (a failed run leaves the previous file).",
    );
    up.push(&[], "1".into());
    let mut last_success = Family::new(
        "kafkaops_lag_last_success_timestamp_seconds",
        "When the figures in this file were collected (Unix time).",
    );
    last_success.push(&[], float(at.timestamp_millis() as f64 / 1000.0));
    exposition([up, last_success].into_iter().chain(families(groups)))
}

/// The figures of the groups (without the up and last-success gauges, which
/// `serve` keeps per collection).
pub(crate) fn families(groups: &[GroupLag]) -> Vec<Family> {
    let mut lag = Family::new(
        "kafkaops_consumergroup_lag",
        "Records the group has yet to consume on the partition.",
    );
    let mut age = Family::new(
        "kafkaops_consumergroup_event_age_seconds",
        "Age of the first unconsumed record (now minus its timestamp); 0 when caught up.",
    );
    let mut committed = Family::new(
        "kafkaops_consumergroup_committed_offset",
        "Offset the group committed on the partition.",
    );
    // Was `kafkaops_consumergroup_lag_total`: a gauge must not end in `_total`.
    let mut total = Family::new(
        "kafkaops_consumergroup_group_lag",
        "Total lag of the group over its partitions with a committed offset.",
    );
    let mut max_age = Family::new(
        "kafkaops_consumergroup_max_event_age_seconds",
        "Largest event age over the group's partitions.",
    );
    let mut no_commit = Family::new(
        "kafkaops_consumergroup_no_commit_partitions",
        "Partitions the group reads without a committed offset.",
    );
    let mut members = Family::new(
        "kafkaops_consumergroup_members",
        "Members of the group, where the broker describes groups.",
    );
    let mut status = Family::new(
        "kafkaops_consumergroup_status",
        "Trend status of the group over the sampling window (1 for the current status).",
    );
    let mut partition_status = Family::new(
        "kafkaops_consumergroup_partition_status",
        "Trend status of the partition over the sampling window: 0 OK, 1 WARN, 2 STALL, 3 STOP, 4 REWIND.",
    );
    let mut rate = Family::new(
        "kafkaops_consumergroup_consume_records_per_second",
        "Records per second the group committed on the partition over the sampling window.",
    );
    let mut catch_up = Family::new(
        "kafkaops_consumergroup_catch_up_seconds",
        "Estimated seconds until the partition's lag reaches 0 at the current pace (absent when not shrinking).",
    );
    let mut log_end = Family::new(
        "kafkaops_partition_log_end_offset",
        "Log end offset (high watermark) of the partition.",
    );
    let mut log_start = Family::new(
        "kafkaops_partition_log_start_offset",
        "Log start offset (low watermark) of the partition.",
    );
    let mut watermarks: BTreeMap<(String, i32), (i64, i64)> = BTreeMap::new();

    for g in groups {
        let gl = [("group", g.group.as_str())];
        if let Some(t) = g.total_lag {
            total.push(&gl, t.to_string());
        }
        if let Some(a) = g.max_event_age_seconds {
            max_age.push(&gl, float(a));
        }
        no_commit.push(&gl, g.no_commit_partitions.to_string());
        if let Some(m) = g.members {
            members.push(&gl, m.to_string());
        }
        if let Some(current) = g.status {
            for s in Status::ALL {
                let v = if s == current { "1" } else { "0" };
                status.push(
                    &[("group", g.group.as_str()), ("status", s.as_str())],
                    v.into(),
                );
            }
        }
        for p in &g.partitions {
            let part = p.partition.to_string();
            let labels = [
                ("group", g.group.as_str()),
                ("topic", p.topic.as_str()),
                ("partition", part.as_str()),
            ];
            if let Some(l) = p.lag {
                lag.push(&labels, l.to_string());
            }
            if let Some(a) = p.event_age_seconds {
                age.push(&labels, float(a));
            }
            if let Some(c) = p.committed_offset {
                committed.push(&labels, c.to_string());
            }
            if let Some(s) = p.status {
                let code = Status::ALL.iter().position(|x| *x == s).expect("listed");
                partition_status.push(&labels, code.to_string());
            }
            if let Some(r) = p.consume_rate {
                rate.push(&labels, float(r));
            }
            if let Some(c) = p.catch_up_seconds {
                catch_up.push(&labels, float(c));
            }
            watermarks.insert(
                (p.topic.clone(), p.partition),
                (p.log_start_offset, p.log_end_offset),
            );
        }
    }
    for ((topic, partition), (low, high)) in &watermarks {
        let part = partition.to_string();
        let labels = [("topic", topic.as_str()), ("partition", part.as_str())];
        log_end.push(&labels, high.to_string());
        log_start.push(&labels, low.to_string());
    }

    vec![
        lag,
        age,
        committed,
        total,
        max_age,
        no_commit,
        members,
        status,
        partition_status,
        rate,
        catch_up,
        log_end,
        log_start,
    ]
}

/// Families of several sources (one per DLQ topic) as one list: samples of a
/// name are joined under one HELP and TYPE, as the format requires.
pub(crate) fn merge(sources: impl IntoIterator<Item = Vec<Family>>) -> Vec<Family> {
    let mut out: Vec<Family> = Vec::new();
    for fams in sources {
        for f in fams {
            match out.iter_mut().find(|o| o.name == f.name) {
                Some(o) => o.samples.extend(f.samples),
                None => out.push(f),
            }
        }
    }
    out
}

/// The text of the families, each with its HELP and TYPE lines.
pub(crate) fn exposition(families: impl IntoIterator<Item = Family>) -> String {
    let families: Vec<Family> = families.into_iter().collect();
    // Sized once: `serve` renders tens of megabytes each cycle, and growing by
    // doubling would allocate (and leave behind) up to twice that.
    let size = families
        .iter()
        .map(|f| {
            20 + 2 * f.name.len()
                + f.help.len()
                + f.kind.len()
                + f.samples
                    .iter()
                    .map(|(l, v)| f.name.len() + l.len() + v.len() + 2)
                    .sum::<usize>()
        })
        .sum();
    let mut out = String::with_capacity(size);
    for f in families {
        let _ = writeln!(out, "# HELP {} {}", f.name, f.help);
        let _ = writeln!(out, "# TYPE {} {}", f.name, f.kind);
        for (labels, value) in &f.samples {
            let _ = writeln!(out, "{}{labels} {value}", f.name);
        }
    }
    out
}

#[cfg(test)]
pub(crate) mod tests {
    use std::collections::HashMap;

    use chrono::{TimeZone, Utc};

    use super::*;
    use crate::lag::model::{group_lag, GroupObservation, PartitionObservation};

    /// A strict little parser of the exposition format: (name, labels) -> value.
    /// It rejects anything malformed so a rendering bug fails the test.
    pub(crate) fn parse(text: &str) -> HashMap<(String, Vec<(String, String)>), f64> {
        let mut out = HashMap::new();
        let mut typed = std::collections::HashSet::new();
        for line in text.lines() {
            if let Some(rest) = line.strip_prefix("# TYPE ") {
                let (name, kind) = rest.split_once(' ').expect("TYPE name kind");
                assert!(
                    kind == "gauge" || (kind == "counter" && name.ends_with("_total")),
                    "{line}"
                );
                typed.insert(name.to_string());
                continue;
            }
            if line.starts_with("# HELP ") {
                continue;
            }
            assert!(
                !line.starts_with('#') && !line.is_empty(),
                "stray line {line:?}"
            );
            let Some(brace) = line.find('{') else {
                let (name, value) = line.split_once(' ').expect("name value");
                assert!(typed.contains(name), "sample before its TYPE: {line}");
                let value: f64 = value.parse().expect("value");
                assert!(out.insert((name.to_string(), Vec::new()), value).is_none());
                continue;
            };
            let name = &line[..brace];
            assert!(typed.contains(name), "sample before its TYPE: {line}");
            let mut labels = Vec::new();
            let bytes: Vec<char> = line[brace + 1..].chars().collect();
            let mut i = 0;
            loop {
                if bytes[i] == '}' {
                    i += 1;
                    break;
                }
                let eq = (i..bytes.len()).find(|j| bytes[*j] == '=').expect("=");
                let key: String = bytes[i..eq].iter().collect();
                assert_eq!(bytes[eq + 1], '"');
                let mut j = eq + 2;
                let mut val = String::new();
                while bytes[j] != '"' {
                    if bytes[j] == '\\' {
                        j += 1;
                        val.push(match bytes[j] {
                            'n' => '\n',
                            '\\' => '\\',
                            '"' => '"',
                            other => panic!("bad escape \\{other}"),
                        });
                    } else {
                        val.push(bytes[j]);
                    }
                    j += 1;
                }
                labels.push((key, val));
                i = j + 1;
                if bytes[i] == ',' {
                    i += 1;
                }
            }
            assert_eq!(bytes[i], ' ');
            let value: String = bytes[i + 1..].iter().collect();
            let value: f64 = value
                .parse()
                .unwrap_or_else(|_| panic!("bad value in {line}"));
            assert!(
                out.insert((name.to_string(), labels), value).is_none(),
                "duplicate series {line}"
            );
        }
        out
    }

    fn key(name: &str, labels: &[(&str, &str)]) -> (String, Vec<(String, String)>) {
        (
            name.to_string(),
            labels
                .iter()
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .collect(),
        )
    }

    #[test]
    fn escapes_labels() {
        assert_eq!(escape_label(r#"a"b\c"#), r#"a\"b\\c"#);
        assert_eq!(escape_label("x\ny"), "x\\ny");
    }

    #[test]
    fn renders_and_parses_back() {
        let now = Utc.with_ymd_and_hms(2026, 11, 21, 12, 0, 0).unwrap();
        let weird = "we\"ird\\group\nname";
        let mut g = group_lag(
            &GroupObservation {
                group: weird.into(),
                state: Some("Stable".into()),
                members: Some(2),
                found: None,
                partitions: vec![
                    PartitionObservation {
                        topic: "orders".into(),
                        partition: 0,
                        committed: Some(40),
                        log_start: 10,
                        log_end: 100,
                        next_record_ts_ms: Some(now.timestamp_millis() - 2500),
                        nothing_to_read: false,
                    },
                    PartitionObservation {
                        topic: "orders".into(),
                        partition: 1,
                        committed: None,
                        log_start: 0,
                        log_end: 7,
                        next_record_ts_ms: None,
                        nothing_to_read: false,
                    },
                ],
            },
            now,
            true,
        );
        g.status = Some(Status::Warn);
        let text = render(&[g], now);
        let m = parse(&text);
        assert_eq!(m[&key("kafkaops_lag_up", &[])], 1.0);
        assert_eq!(
            m[&key("kafkaops_lag_last_success_timestamp_seconds", &[])],
            now.timestamp() as f64
        );
        assert!(text.starts_with("# HELP kafkaops_lag_up "), "{text}");
        let p0 = [("group", weird), ("topic", "orders"), ("partition", "0")];
        let p1 = [("group", weird), ("topic", "orders"), ("partition", "1")];
        assert_eq!(m[&key("kafkaops_consumergroup_lag", &p0)], 60.0);
        assert_eq!(
            m[&key("kafkaops_consumergroup_event_age_seconds", &p0)],
            2.5
        );
        assert_eq!(
            m[&key("kafkaops_consumergroup_committed_offset", &p0)],
            40.0
        );
        assert!(
            !m.contains_key(&key("kafkaops_consumergroup_lag", &p1)),
            "no commit, no lag series"
        );
        assert_eq!(
            m[&key("kafkaops_consumergroup_group_lag", &[("group", weird)])],
            60.0
        );
        assert_eq!(
            m[&key(
                "kafkaops_consumergroup_no_commit_partitions",
                &[("group", weird)]
            )],
            1.0
        );
        assert_eq!(
            m[&key("kafkaops_consumergroup_members", &[("group", weird)])],
            2.0
        );
        assert_eq!(
            m[&key(
                "kafkaops_consumergroup_status",
                &[("group", weird), ("status", "WARN")]
            )],
            1.0
        );
        assert_eq!(
            m[&key(
                "kafkaops_consumergroup_status",
                &[("group", weird), ("status", "OK")]
            )],
            0.0
        );
        assert_eq!(
            m[&key(
                "kafkaops_partition_log_end_offset",
                &[("topic", "orders"), ("partition", "1")]
            )],
            7.0
        );
        assert_eq!(
            m[&key(
                "kafkaops_partition_log_start_offset",
                &[("topic", "orders"), ("partition", "0")]
            )],
            10.0
        );
        assert!(text.contains("# TYPE kafkaops_consumergroup_lag gauge\n"));
        assert!(text.contains("# HELP kafkaops_consumergroup_event_age_seconds "));
    }
}
