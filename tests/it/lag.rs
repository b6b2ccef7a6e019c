//! `kafkaops lag` against real brokers (the librdkafka mock cluster, Tansu and Apache
//! Kafka, or KAFKAOPS_TEST_BROKERS): groups with known committed offsets over records
//! with known timestamps, and every figure checked: lag, event age, no-commit
//! partitions, the group summary, thresholds and exit codes, trend statuses driven
//! between samples, Prometheus output parsed back, ListGroups degradation, live group
//! membership on Kafka, and an independent client (confluent-kafka) agreeing with the
//! lag figures and group states.

use crate::support;

use std::collections::HashMap;
use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};
use std::time::Duration;

use serde_json::Value;
use support::{brokers, kafkaops, kafkaops_std, now_ms, Broker, Rec};

/// Records are a minute apart, so reading the wrong record is off by far more than
/// the tolerance of an event-age check.
const STEP_MS: i64 = 60_000;

/// Records [`STEP_MS`] apart from `base`, `counts[p]` on partition p.
fn seed(broker: &Broker, partitions: i32, counts: &[i64], base: i64) -> String {
    let topic = support::unique("lag");
    broker.create_topic(&topic, partitions);
    let mut recs = Vec::new();
    for (p, n) in counts.iter().enumerate() {
        for i in 0..*n {
            recs.push(
                Rec::new(p as i32, &format!("k{i}"), &format!("v{p}-{i}")).at(base + i * STEP_MS),
            );
        }
    }
    if !recs.is_empty() {
        broker.produce(&topic, &recs);
    }
    topic
}

fn lag_json(broker: &Broker, args: &[&str]) -> Value {
    let out = kafkaops()
        .args(["-b", broker.bootstrap(), "lag", "-o", "json"])
        .args(args)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}: lag {args:?} failed: {}",
        broker.label(),
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).unwrap()
}

fn group<'a>(report: &'a Value, name: &str) -> &'a Value {
    report["groups"]
        .as_array()
        .unwrap()
        .iter()
        .find(|g| g["group"] == name)
        .unwrap_or_else(|| panic!("group {name} missing from {report}"))
}

fn partition<'a>(g: &'a Value, topic: &str, p: i64) -> &'a Value {
    g["partitions"]
        .as_array()
        .unwrap()
        .iter()
        .find(|x| x["topic"] == topic && x["partition"] == p)
        .unwrap_or_else(|| panic!("{topic}[{p}] missing from {g}"))
}

/// Event age must equal now minus `ts`, measured between `before` and `after`.
fn assert_age(v: &Value, ts: i64, before: i64, after: i64, what: &str) {
    let age = v.as_f64().unwrap_or_else(|| panic!("{what}: age is {v}"));
    let lo = (before - ts) as f64 / 1000.0 - 1.0;
    let hi = (after - ts) as f64 / 1000.0 + 1.0;
    assert!(
        age >= lo && age <= hi,
        "{what}: age {age} not in [{lo}, {hi}]"
    );
}

/// Topic with 4 partitions: 10, 5, 8 and 0 records, an hour old.
/// Group A: p0 at 4 (lag 6), p1 at 5 (caught up), p2 never committed, p3 at 0 (empty).
/// Group B: p0 at 4 (shares A's offset), p2 at 1 (lag 7).
struct Fixture {
    topic: String,
    a: String,
    b: String,
    base: i64,
}

fn fixture(broker: &Broker) -> Fixture {
    let base = now_ms() - 3_600_000;
    let topic = seed(broker, 4, &[10, 5, 8, 0], base);
    let a = support::unique("grp-a");
    let b = support::unique("grp-b");
    broker.commit(&a, &topic, &[(0, 4), (1, 5), (3, 0)]);
    broker.commit(&b, &topic, &[(0, 4), (2, 1)]);
    Fixture { topic, a, b, base }
}

fn check_fixture_numbers(f: &Fixture, report: &Value, before: i64, after: i64, label: &str) {
    let a = group(report, &f.a);
    let p0 = partition(a, &f.topic, 0);
    assert_eq!(p0["committed_offset"], 4, "{label}");
    assert_eq!(p0["log_start_offset"], 0);
    assert_eq!(p0["log_end_offset"], 10);
    assert_eq!(p0["lag"], 6);
    assert_age(
        &p0["event_age_seconds"],
        f.base + 4 * STEP_MS,
        before,
        after,
        label,
    );
    let p1 = partition(a, &f.topic, 1);
    assert_eq!(
        (p1["committed_offset"].clone(), p1["lag"].clone()),
        (5.into(), 0.into()),
        "{label}"
    );
    assert_eq!(p1["event_age_seconds"], 0.0, "{label}: caught up is age 0");
    let p2 = partition(a, &f.topic, 2);
    assert_eq!(p2["committed_offset"], Value::Null, "{label}: no commit");
    assert_eq!(p2["lag"], Value::Null, "{label}: no commit is not lag");
    assert_eq!(p2["event_age_seconds"], Value::Null);
    assert_eq!(p2["log_end_offset"], 8);
    let p3 = partition(a, &f.topic, 3);
    assert_eq!(
        (p3["lag"].clone(), p3["event_age_seconds"].clone()),
        (0.into(), 0.0.into()),
        "{label}"
    );
    assert_eq!(a["total_lag"], 6, "{label}");
    assert_eq!(a["lagging_partitions"], 1);
    assert_eq!(a["no_commit_partitions"], 1);
    assert_eq!(a["partition_count"], 4);
    assert_eq!(a["hottest"]["partition"], 0);
    assert_eq!(a["hottest"]["lag"], 6);
    // 3 committed partitions share 6 records of lag, all on one: skew 6 / 2 = 3.
    assert!(
        (a["lag_skew"].as_f64().unwrap() - 3.0).abs() < 1e-9,
        "{label}: {}",
        a["lag_skew"]
    );
    assert_age(
        &a["max_event_age_seconds"],
        f.base + 4 * STEP_MS,
        before,
        after,
        label,
    );

    let b = group(report, &f.b);
    assert_eq!(partition(b, &f.topic, 0)["lag"], 6);
    assert_age(
        &partition(b, &f.topic, 0)["event_age_seconds"],
        f.base + 4 * STEP_MS,
        before,
        after,
        label,
    );
    let b2 = partition(b, &f.topic, 2);
    assert_eq!(b2["lag"], 7, "{label}");
    assert_age(
        &b2["event_age_seconds"],
        f.base + STEP_MS,
        before,
        after,
        label,
    );
    assert_eq!(
        partition(b, &f.topic, 1)["lag"],
        Value::Null,
        "{label}: B never committed p1"
    );
    assert_eq!(b["total_lag"], 13);
    assert_eq!(b["hottest"]["partition"], 2);
}

#[test]
fn lag_and_event_age_per_partition_and_group() {
    for broker in brokers() {
        let f = fixture(&broker);
        let before = now_ms();
        let report = lag_json(
            &broker,
            &["--group", &f.a, "--group", &f.b, "--topic", &f.topic],
        );
        let after = now_ms();
        check_fixture_numbers(&f, &report, before, after, broker.label());
        assert_eq!(report["breaches"], serde_json::json!([]));
        assert_eq!(report["samples"], 1);

        // Without --topic: every topic the groups committed on (the mock cluster
        // needs partitions named; real brokers list them), same figures.
        let before = now_ms();
        let report = lag_json(&broker, &["--group", &f.a, "--group", &f.b]);
        let after = now_ms();
        let a = group(&report, &f.a);
        assert!(
            a["partitions"]
                .as_array()
                .unwrap()
                .iter()
                .all(|p| p["topic"] == f.topic.as_str()),
            "{}: only the committed topic: {a}",
            broker.label()
        );
        check_fixture_numbers(&f, &report, before, after, broker.label());
    }
}

#[test]
fn no_age_skips_lookups_and_unknown_groups_have_no_commits() {
    for broker in brokers() {
        let f = fixture(&broker);
        let ghost = support::unique("ghost");
        let report = lag_json(
            &broker,
            &[
                "--group", &f.a, "--group", &ghost, "--topic", &f.topic, "--no-age",
            ],
        );
        let a = group(&report, &f.a);
        assert_eq!(partition(a, &f.topic, 0)["lag"], 6);
        assert_eq!(
            partition(a, &f.topic, 0)["event_age_seconds"],
            Value::Null,
            "--no-age"
        );
        assert_eq!(
            partition(a, &f.topic, 1)["event_age_seconds"],
            0.0,
            "caught up needs no lookup"
        );
        let g = group(&report, &ghost);
        assert_eq!(g["no_commit_partitions"], 4, "{}: {g}", broker.label());
        assert_eq!(g["total_lag"], Value::Null, "unknown, never 0: {g}");
        // Kafka describes it as Dead, Tansu says "group id not found"; the mock
        // cluster cannot describe groups, so it cannot tell.
        let want = if broker.is_mock() {
            "no_commits"
        } else {
            "not_found"
        };
        assert_eq!(g["visibility"], want, "{}: {g}", broker.label());
        assert_eq!(
            a["visibility"], "partial",
            "p2 holds records, never committed"
        );
    }
}

#[test]
fn a_gate_cannot_pass_on_a_group_or_partition_it_cannot_see() {
    for broker in brokers() {
        let label = broker.label();
        let f = fixture(&broker);
        let ghost = support::unique("ghost");
        let gate = ["--max-lag", "100", "--max-age", "1h"];
        let run = |args: &[&str], extra: &[&str]| {
            kafkaops()
                .args(["-b", broker.bootstrap(), "lag"])
                .args(args)
                .args(extra)
                .output()
                .unwrap()
        };
        // A misspelt group: exit 1, naming the group and the fix, with or without --topic.
        for topic in [&[][..], &["--topic", &f.topic][..]] {
            let out = run(&["--group", &ghost], &[&gate[..], topic].concat());
            let stderr = String::from_utf8_lossy(&out.stderr);
            assert_eq!(out.status.code(), Some(1), "{label}: {stderr}");
            assert!(
                stderr.contains(&format!("breach: group '{ghost}'")),
                "{label}: {stderr}"
            );
            assert!(
                stderr.contains("`kafkaops lag` without --group lists the groups"),
                "{label}: {stderr}"
            );
            assert!(stderr.contains("cannot see"), "{label}: {stderr}");
            let stdout = String::from_utf8_lossy(&out.stdout);
            let row = stdout.lines().find(|l| l.contains(&ghost)).unwrap();
            assert!(
                row.contains("no such group") || row.contains("no commits"),
                "{label}: a 0 would read as caught up: {row}"
            );
        }
        let out = run(&["--group", &ghost, "-o", "json"], &gate);
        let v: Value = serde_json::from_slice(&out.stdout).unwrap();
        assert_eq!(v["breaches"][0]["check"], "unseen", "{label}: {v}");
        assert_eq!(v["breaches"][0]["group"], ghost.as_str());
        assert_eq!(v["groups"][0]["total_lag"], Value::Null);
        // Without a gate the same group is only shown.
        let out = run(&["--group", &ghost], &[]);
        assert_eq!(out.status.code(), Some(0), "{label}");

        // A group with commits, asked about a topic it never committed on.
        let other = seed(&broker, 1, &[3], now_ms());
        let out = run(&["--group", &f.b, "--topic", &other], &gate);
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(1), "{label}: {stderr}");
        assert!(
            stderr.contains(&format!("no committed offsets on '{other}'")),
            "{label}: {stderr}"
        );

        // Commits on some partitions: the one holding records without a commit
        // (A's p2) fails the gate; A's p3 has none but is empty, so it does not.
        let out = run(&["--group", &f.a, "--topic", &f.topic, "-o", "json"], &gate);
        assert_eq!(out.status.code(), Some(1), "{label}");
        let v: Value = serde_json::from_slice(&out.stdout).unwrap();
        let b = v["breaches"].as_array().unwrap();
        assert_eq!(b.len(), 1, "{label}: {v}");
        assert_eq!(b[0]["check"], "unseen");
        assert!(
            b[0]["message"]
                .as_str()
                .unwrap()
                .contains(&format!("1 partition(s) holding records ({}[2])", f.topic)),
            "{label}: {b:?}"
        );
    }
    // Groups found by a pattern: one that reads another topic is no reader of this
    // one and does not fail the gate, unless no matched group reads it at all.
    for broker in support::full_brokers() {
        let label = broker.label();
        let f = fixture(&broker);
        let full = support::unique("grp-rx-full");
        broker.commit(&full, &f.topic, &[(0, 4), (1, 5), (2, 8), (3, 0)]);
        let elsewhere = support::unique("grp-rx-other");
        let other = seed(&broker, 1, &[3], now_ms());
        broker.commit(&elsewhere, &other, &[(0, 1)]);
        let gate = |pattern: String| {
            kafkaops()
                .args(["-b", broker.bootstrap(), "lag", "--topic", &f.topic])
                .args(["--group-regex", &pattern, "--max-lag", "100"])
                .output()
                .unwrap()
        };
        let both = format!("^({}|{})$", regex::escape(&full), regex::escape(&elsewhere));
        let out = gate(both);
        assert_eq!(
            out.status.code(),
            Some(0),
            "{label}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        let out = gate(format!("^{}$", regex::escape(&elsewhere)));
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(1), "{label}: {stderr}");
        assert!(
            stderr.contains(&format!("breach: group '{elsewhere}'")),
            "{stderr}"
        );
    }
    // A pattern that matches nothing is no pass either.
    for broker in support::full_brokers() {
        kafkaops()
            .args(["-b", broker.bootstrap(), "lag", "--max-lag", "100"])
            .args(["--group-regex", "^lag-gates-nothing-matches$"])
            .assert()
            .code(2)
            .stderr(predicates::str::contains("no consumer group matches"));
    }
}

#[test]
fn jsonl_has_one_line_per_group_and_partition() {
    for broker in support::mock_and_kafka() {
        let f = fixture(&broker);
        let out = kafkaops()
            .args([
                "-b",
                broker.bootstrap(),
                "lag",
                "-o",
                "jsonl",
                "--group",
                &f.a,
                "--topic",
                &f.topic,
            ])
            .assert()
            .success()
            .get_output()
            .stdout
            .clone();
        let lines: Vec<Value> = String::from_utf8(out)
            .unwrap()
            .lines()
            .map(|l| serde_json::from_str(l).unwrap())
            .collect();
        assert_eq!(lines.len(), 5);
        assert_eq!(lines[0]["kind"], "group");
        assert_eq!(lines[0]["total_lag"], 6);
        let p0 = lines
            .iter()
            .find(|l| l["kind"] == "partition" && l["partition"] == 0)
            .unwrap();
        assert_eq!(
            (p0["group"].as_str().unwrap(), p0["lag"].as_i64().unwrap()),
            (f.a.as_str(), 6)
        );
    }
}

#[test]
fn table_shows_no_commit_and_notes_on_stderr() {
    for broker in support::mock_and_kafka() {
        let f = fixture(&broker);
        let out = kafkaops()
            .args([
                "-b",
                broker.bootstrap(),
                "lag",
                "--group",
                &f.a,
                "--group",
                &f.b,
                "--topic",
                &f.topic,
            ])
            .assert()
            .success()
            .get_output()
            .clone();
        let stdout = String::from_utf8(out.stdout).unwrap();
        assert!(stdout.contains("no commit"), "{}: {stdout}", broker.label());
        assert!(stdout.contains(&f.b), "{}: {stdout}", broker.label());
        assert!(
            stdout.contains(&format!("{}[0] 6", f.topic)),
            "{}: hottest partition: {stdout}",
            broker.label()
        );
        let stderr = String::from_utf8(out.stderr).unwrap();
        // Said once, after one probe, however many groups there are; a broker that can
        // describe groups (KAFKAOPS_TEST_BROKERS) gets no such note.
        let want = usize::from(broker.is_mock());
        assert_eq!(
            stderr.matches("cannot describe consumer groups").count(),
            want,
            "{}: the mock lacks DescribeGroups, full brokers have it: {stderr}",
            broker.label()
        );
    }
}

#[test]
fn thresholds_exit_1_and_name_the_breach() {
    for broker in brokers() {
        let f = fixture(&broker);
        // Like A, with a commit on every partition holding records (A never
        // committed p2, so no gate can pass on it: see the test below).
        let full = support::unique("grp-full");
        broker.commit(&full, &f.topic, &[(0, 4), (1, 5), (2, 8), (3, 0)]);
        let base = [
            "-b",
            broker.bootstrap(),
            "lag",
            "--group",
            &full,
            "--topic",
            &f.topic,
        ];
        // Inclusive limits: at the figure is fine.
        kafkaops()
            .args(base)
            .args(["--max-lag", "6", "--max-total-lag", "6", "--max-age", "2h"])
            .assert()
            .code(0);
        let out = kafkaops()
            .args(base)
            .args(["--max-lag", "5"])
            .assert()
            .code(1)
            .get_output()
            .clone();
        let stderr = String::from_utf8(out.stderr).unwrap();
        assert!(
            stderr.contains(&format!(
                "breach: group '{}' {}[0]: lag 6 > --max-lag 5",
                full, f.topic
            )),
            "{}: {stderr}",
            broker.label()
        );
        assert!(stderr.contains("1 threshold breached"), "{stderr}");
        assert!(
            !String::from_utf8(out.stdout).unwrap().is_empty(),
            "the table still prints"
        );

        let out = kafkaops()
            .args(base)
            .args(["--max-age", "30m", "-o", "json"])
            .assert()
            .code(1)
            .get_output()
            .clone();
        let v: Value = serde_json::from_slice(&out.stdout).unwrap();
        let b = v["breaches"].as_array().unwrap();
        assert_eq!(b.len(), 1, "{v}");
        assert_eq!(b[0]["check"], "event_age");
        assert_eq!(b[0]["partition"], 0);
        assert_eq!(b[0]["limit"], 1800.0);
        assert!(b[0]["value"].as_f64().unwrap() > 3300.0, "{v}");

        let out = kafkaops()
            .args(base)
            .args(["--max-total-lag", "5", "-o", "json"])
            .assert()
            .code(1)
            .get_output()
            .clone();
        let v: Value = serde_json::from_slice(&out.stdout).unwrap();
        assert_eq!(v["breaches"][0]["check"], "total_lag");
        assert_eq!(v["breaches"][0]["partition"], Value::Null);
    }
}

#[test]
fn connectivity_problems_exit_3_even_with_thresholds() {
    let dead = support::dead_address();
    let out = kafkaops()
        .args([
            "-b",
            &*dead,
            "--timeout",
            "2s",
            "lag",
            "--group",
            "g",
            "--topic",
            "t",
            "--max-lag",
            "0",
        ])
        .assert()
        .code(3)
        .get_output()
        .clone();
    assert!(out.stdout.is_empty());
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert!(
        stderr.contains("error:") && stderr.contains("hint:"),
        "{stderr}"
    );
}

#[test]
fn unknown_topic_is_a_usage_error() {
    for broker in support::brokers() {
        let f = fixture(&broker);
        let out = kafkaops()
            .args([
                "-b",
                broker.bootstrap(),
                "lag",
                "--group",
                &f.a,
                "--topic",
                &format!("{}-nope", f.topic),
            ])
            .assert()
            .code(2)
            .get_output()
            .clone();
        assert!(String::from_utf8(out.stderr)
            .unwrap()
            .contains("does not exist"));
    }
}

#[test]
fn listing_groups_degrades_on_the_mock_cluster_and_works_on_full_brokers() {
    if let Some(mock) = Broker::mock_faults(1) {
        let _f = fixture(&mock);
        for args in [vec!["lag"], vec!["lag", "--group-regex", "^grp"]] {
            let out = kafkaops()
                .args(["-b", mock.bootstrap()])
                .args(&args)
                .assert()
                .code(3)
                .get_output()
                .clone();
            assert!(out.stdout.is_empty());
            let stderr = String::from_utf8(out.stderr).unwrap();
            assert!(stderr.contains("ListGroups"), "{stderr}");
            assert!(stderr.contains("--group"), "asks for --group: {stderr}");
            assert!(!stderr.contains("0 groups"), "{stderr}");
        }
    }
    for broker in support::full_brokers() {
        listed_groups_match(&broker);
    }
}

fn listed_groups_match(broker: &Broker) {
    let f = fixture(broker);
    // The fixture's groups share a unique suffix-free prefix; match exactly these two.
    let pattern = format!("^({}|{})$", regex::escape(&f.a), regex::escape(&f.b));
    let report = lag_json(broker, &["--group-regex", &pattern, "--topic", &f.topic]);
    let names: Vec<&str> = report["groups"]
        .as_array()
        .unwrap()
        .iter()
        .map(|g| g["group"].as_str().unwrap())
        .collect();
    let mut want = vec![f.a.as_str(), f.b.as_str()];
    want.sort();
    assert_eq!(names, want, "{}", broker.label());
    assert_eq!(group(&report, &f.a)["total_lag"], 6);
    let out = kafkaops()
        .args([
            "-b",
            broker.bootstrap(),
            "lag",
            "--group-regex",
            "^no-such-group-anywhere$",
        ])
        .assert()
        .code(2)
        .get_output()
        .clone();
    assert!(String::from_utf8(out.stderr)
        .unwrap()
        .contains("no consumer group matches"));
}

/// Run `lag --samples N` and call `between(i)` after sample i (1-based) is taken,
/// keyed on the progress note on stderr. Returns (exit code, stdout, stderr).
fn sampled(
    broker: &Broker,
    format: &str,
    args: &[&str],
    samples: u32,
    mut between: impl FnMut(u32),
) -> (i32, String, String) {
    let n = samples.to_string();
    let mut child = kafkaops_std()
        .args([
            "-b",
            broker.bootstrap(),
            "lag",
            "-o",
            format,
            "--samples",
            &n,
            "--interval",
            "3s",
        ])
        .args(args)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let stderr = child.stderr.take().unwrap();
    let mut err_text = String::new();
    for line in BufReader::new(stderr).lines() {
        let line = line.unwrap();
        err_text.push_str(&line);
        err_text.push('\n');
        if let Some(rest) = line.strip_prefix("note: sample ") {
            let i: u32 = rest.split('/').next().unwrap().parse().unwrap();
            if i < samples {
                between(i);
            }
        }
    }
    let out = child.wait_with_output().unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8(out.stdout).unwrap(),
        err_text,
    )
}

#[test]
fn trend_statuses_follow_the_group_between_samples() {
    for broker in brokers() {
        // Four partitions with 10 records each; each partition of `mixed` plays one story.
        let base = now_ms() - 3_600_000;
        let topic = seed(&broker, 4, &[10, 10, 10, 10], base);
        let mixed = support::unique("trend-mixed");
        let stopped = support::unique("trend-stop");
        let healthy = support::unique("trend-ok");
        broker.commit(&mixed, &topic, &[(0, 0), (1, 0), (2, 8), (3, 0)]);
        broker.commit(&stopped, &topic, &[(0, 2), (1, 2)]);
        broker.commit(&healthy, &topic, &[(0, 0)]);
        let more = |p: i32, n: usize| {
            let recs: Vec<Rec> = (0..n)
                .map(|i| Rec::new(p, "k", &format!("more-{i}")).at(now_ms()))
                .collect();
            broker.produce(&topic, &recs);
        };
        let (code, stdout, stderr) = sampled(
            &broker,
            "json",
            &[
                "--group",
                &mixed,
                "--group",
                &stopped,
                "--group",
                &healthy,
                "--topic",
                &topic,
                "--fail-on",
                "err",
            ],
            3,
            |i| match i {
                1 => {
                    // p0 catches up halfway, p2 rewinds, p3 commits a little while the
                    // log grows faster; p1 never moves. `healthy` catches up.
                    broker.commit(&mixed, &topic, &[(0, 5), (2, 3), (3, 2)]);
                    more(3, 10);
                    broker.commit(&healthy, &topic, &[(0, 10)]);
                }
                _ => {
                    broker.commit(&mixed, &topic, &[(0, 10), (2, 5), (3, 4)]);
                    more(3, 10);
                }
            },
        );
        let label = broker.label();
        assert_eq!(
            code, 1,
            "{label}: --fail-on err with ERR statuses exits 1: {stderr}"
        );
        let v: Value = serde_json::from_str(&stdout)
            .unwrap_or_else(|e| panic!("{label}: {e}: {stdout} {stderr}"));
        assert_eq!(v["samples"], 3);
        let m = group(&v, &mixed);
        let status = |p: i64| {
            partition(m, &topic, p)["status"]
                .as_str()
                .map(str::to_string)
        };
        assert_eq!(status(0).as_deref(), Some("OK"), "{label}: caught up: {m}");
        assert_eq!(
            status(1).as_deref(),
            Some("STALL"),
            "{label}: stuck while the group moves"
        );
        assert_eq!(status(2).as_deref(), Some("REWIND"), "{label}");
        assert_eq!(
            status(3).as_deref(),
            Some("WARN"),
            "{label}: lag grows while committing"
        );
        assert_eq!(m["status"], "REWIND", "{label}: worst partition wins");
        let p3 = partition(m, &topic, 3);
        assert_eq!(p3["lag"], 26, "{label}");
        assert!(p3["consume_rate"].as_f64().unwrap() > 0.0);
        assert_eq!(
            p3["catch_up_seconds"],
            Value::Null,
            "{label}: not catching up"
        );
        assert_eq!(partition(m, &topic, 0)["catch_up_seconds"], 0.0);

        let s = group(&v, &stopped);
        assert_eq!(
            s["status"], "STOP",
            "{label}: no commit anywhere in the group: {s}"
        );
        let h = group(&v, &healthy);
        assert_eq!(h["status"], "OK", "{label}");

        let breaches = v["breaches"].as_array().unwrap();
        // Status breaches; `healthy` never committed p1-p3, which hold records, so
        // it has an `unseen` breach as well (a gate cannot pass where it cannot see).
        let groups: Vec<&str> = breaches
            .iter()
            .filter(|b| b["check"] == "status")
            .map(|b| b["group"].as_str().unwrap())
            .collect();
        assert!(
            groups.contains(&mixed.as_str()) && groups.contains(&stopped.as_str()),
            "{breaches:?}"
        );
        assert!(!groups.contains(&healthy.as_str()));
        assert!(
            breaches
                .iter()
                .any(|b| b["group"] == healthy.as_str() && b["check"] == "unseen"),
            "{breaches:?}"
        );
        assert!(
            stderr.contains(&format!("breach: group '{stopped}': status STOP")),
            "{stderr}"
        );
    }
}

#[test]
fn allowed_lag_and_fail_on_warn() {
    for broker in support::mock_and_kafka() {
        let topic = seed(&broker, 1, &[10], now_ms() - 1000);
        let g = support::unique("warn");
        broker.commit(&g, &topic, &[(0, 0)]);
        let more = |n: usize| {
            let recs: Vec<Rec> = (0..n)
                .map(|i| Rec::new(0, "k", &format!("m{i}")).at(now_ms()))
                .collect();
            broker.produce(&topic, &recs);
        };
        let mut c = 0;
        let (code, stdout, stderr) = sampled(
            &broker,
            "json",
            &["--group", &g, "--topic", &topic, "--fail-on", "warn"],
            2,
            |_| {
                c += 2;
                broker.commit(&g, &topic, &[(0, c)]);
                more(5);
            },
        );
        assert_eq!(code, 1, "{stderr}");
        let v: Value = serde_json::from_str(&stdout).unwrap();
        assert_eq!(group(&v, &g)["status"], "WARN");
        assert!(stderr.contains("status WARN on"), "{stderr}");

        // A lag within --allowed-lag counts as caught up: 15 records, committed at 10.
        let g2 = support::unique("warn-allowed");
        broker.commit(&g2, &topic, &[(0, 10)]);
        let (code, stdout, stderr) = sampled(
            &broker,
            "json",
            &[
                "--group",
                &g2,
                "--topic",
                &topic,
                "--fail-on",
                "warn",
                "--allowed-lag",
                "10",
            ],
            2,
            |_| {
                broker.commit(&g2, &topic, &[(0, 12)]);
                more(5);
            },
        );
        assert_eq!(code, 0, "{stderr}");
        let v: Value = serde_json::from_str(&stdout).unwrap();
        assert_eq!(group(&v, &g2)["status"], "OK");
    }
}

/// Parse the Prometheus text format strictly: (name, sorted labels) -> value.
fn parse_prometheus(text: &str) -> HashMap<(String, Vec<(String, String)>), f64> {
    let mut out = HashMap::new();
    let mut typed = std::collections::HashSet::new();
    for line in text.lines() {
        if let Some(rest) = line.strip_prefix("# TYPE ") {
            let (name, kind) = rest.split_once(' ').unwrap();
            assert_eq!(kind, "gauge", "{line}");
            typed.insert(name.to_string());
            continue;
        }
        if let Some(rest) = line.strip_prefix("# HELP ") {
            assert!(rest.contains(' '), "HELP without text: {line}");
            continue;
        }
        let Some(brace) = line.find('{') else {
            let (name, value) = line.split_once(' ').unwrap();
            assert!(typed.contains(name), "sample before TYPE: {line}");
            let value: f64 = value.parse().unwrap_or_else(|_| panic!("{line}"));
            assert!(out.insert((name.to_string(), Vec::new()), value).is_none());
            continue;
        };
        let name = &line[..brace];
        assert!(typed.contains(name), "sample before TYPE: {line}");
        let chars: Vec<char> = line[brace + 1..].chars().collect();
        let mut labels = Vec::new();
        let mut i = 0;
        while chars[i] != '}' {
            let eq = (i..chars.len()).find(|j| chars[*j] == '=').unwrap();
            let key: String = chars[i..eq].iter().collect();
            assert_eq!(chars[eq + 1], '"', "{line}");
            let mut j = eq + 2;
            let mut val = String::new();
            while chars[j] != '"' {
                if chars[j] == '\\' {
                    j += 1;
                    val.push(match chars[j] {
                        'n' => '\n',
                        '\\' => '\\',
                        '"' => '"',
                        c => panic!("bad escape {c} in {line}"),
                    });
                } else {
                    val.push(chars[j]);
                }
                j += 1;
            }
            labels.push((key, val));
            i = j + 1;
            if chars[i] == ',' {
                i += 1;
            }
        }
        assert_eq!(chars[i + 1], ' ', "{line}");
        let value: f64 = chars[i + 2..]
            .iter()
            .collect::<String>()
            .parse()
            .unwrap_or_else(|_| panic!("{line}"));
        labels.sort();
        assert!(
            out.insert((name.to_string(), labels), value).is_none(),
            "duplicate: {line}"
        );
    }
    out
}

fn series(name: &str, labels: &[(&str, &str)]) -> (String, Vec<(String, String)>) {
    let mut l: Vec<(String, String)> = labels
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect();
    l.sort();
    (name.to_string(), l)
}

#[test]
fn prometheus_output_parses_back_with_escaped_labels() {
    for broker in brokers() {
        let base = now_ms() - 3_600_000;
        let topic = seed(&broker, 2, &[6, 3], base);
        let g = format!("{}-we\"ird\\grp", support::unique("prom"));
        broker.commit(&g, &topic, &[(0, 2)]);
        let before = now_ms();
        let out = kafkaops()
            .args([
                "-b",
                broker.bootstrap(),
                "lag",
                "-o",
                "prometheus",
                "--group",
                &g,
                "--topic",
                &topic,
            ])
            .assert()
            .success()
            .get_output()
            .stdout
            .clone();
        let after = now_ms();
        let text = String::from_utf8(out).unwrap();
        let m = parse_prometheus(&text);
        let p0 = [
            ("group", g.as_str()),
            ("topic", topic.as_str()),
            ("partition", "0"),
        ];
        let p1 = [
            ("group", g.as_str()),
            ("topic", topic.as_str()),
            ("partition", "1"),
        ];
        let label = broker.label();
        assert_eq!(
            m[&series("kafkaops_consumergroup_lag", &p0)],
            4.0,
            "{label}: {text}"
        );
        assert_eq!(
            m[&series("kafkaops_consumergroup_committed_offset", &p0)],
            2.0
        );
        let age = m[&series("kafkaops_consumergroup_event_age_seconds", &p0)];
        assert_age(&age.into(), base + 2 * STEP_MS, before, after, label);
        assert!(
            !m.contains_key(&series("kafkaops_consumergroup_lag", &p1)),
            "{label}: no commit, no lag series"
        );
        assert_eq!(
            m[&series("kafkaops_consumergroup_group_lag", &[("group", g.as_str())])],
            4.0
        );
        assert_eq!(
            m[&series(
                "kafkaops_consumergroup_no_commit_partitions",
                &[("group", g.as_str())]
            )],
            1.0
        );
        let end1 = [("topic", topic.as_str()), ("partition", "1")];
        assert_eq!(m[&series("kafkaops_partition_log_end_offset", &end1)], 3.0);
        assert_eq!(
            m[&series("kafkaops_partition_log_start_offset", &end1)],
            0.0
        );
    }
}

#[test]
fn prometheus_status_after_samples() {
    for broker in support::mock_and_kafka() {
        let topic = seed(&broker, 1, &[10], now_ms());
        let g = support::unique("prom-status");
        broker.commit(&g, &topic, &[(0, 3)]);
        let (code, stdout, stderr) = sampled(
            &broker,
            "prometheus",
            &["--group", &g, "--topic", &topic],
            2,
            |_| {},
        );
        assert_eq!(code, 0, "{stderr}");
        let m = parse_prometheus(&stdout);
        assert_eq!(
            m[&series(
                "kafkaops_consumergroup_status",
                &[("group", g.as_str()), ("status", "STOP")]
            )],
            1.0,
            "{stdout}"
        );
        assert_eq!(
            m[&series(
                "kafkaops_consumergroup_status",
                &[("group", g.as_str()), ("status", "OK")]
            )],
            0.0
        );
    }
}

#[test]
fn watch_redraws_with_rate_and_eta() {
    for broker in support::mock_and_kafka() {
        let topic = seed(&broker, 1, &[10], now_ms());
        let g = support::unique("watch");
        broker.commit(&g, &topic, &[(0, 3)]);
        let child = kafkaops_std()
            .args([
                "-b",
                broker.bootstrap(),
                "lag",
                "--group",
                &g,
                "--topic",
                &topic,
                "--watch",
                "1s",
            ])
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        std::thread::sleep(Duration::from_millis(1200));
        broker.commit(&g, &topic, &[(0, 6)]);
        std::thread::sleep(Duration::from_millis(1800));
        let pid = child.id().to_string();
        assert!(Command::new("kill")
            .args(["-INT", &pid])
            .status()
            .unwrap()
            .success());
        let out = child.wait_with_output().unwrap();
        let stdout = String::from_utf8(out.stdout).unwrap();
        assert_eq!(
            out.status.code(),
            Some(0),
            "{}: Ctrl-C ends a watch normally: {}",
            broker.label(),
            String::from_utf8_lossy(&out.stderr)
        );
        let frames = stdout.matches("kafkaops lag, every 1s").count();
        assert!(frames >= 2, "{}: {stdout}", broker.label());
        assert!(
            stdout.contains("RATE") && stdout.contains("ETA"),
            "{}: {stdout}",
            broker.label()
        );
        assert!(stdout.contains("/s"), "{}: {stdout}", broker.label());
    }
}

#[test]
fn confluent_kafka_agrees_with_the_lag_figures() {
    for broker in brokers() {
        let f = fixture(&broker);
        let report = lag_json(
            &broker,
            &[
                "--group", &f.a, "--group", &f.b, "--topic", &f.topic, "--no-age",
            ],
        );
        for name in [&f.a, &f.b] {
            let out = support::python_file(
                "lag_independent_check.py",
                &[broker.bootstrap(), name, &f.topic],
            );
            let theirs: Vec<Value> = serde_json::from_str(&out).unwrap();
            let g = group(&report, name);
            assert_eq!(
                theirs.len(),
                g["partitions"].as_array().unwrap().len(),
                "{}",
                broker.label()
            );
            let mut total = 0;
            for t in &theirs {
                let ours = partition(g, &f.topic, t["partition"].as_i64().unwrap());
                assert_eq!(
                    ours["committed_offset"],
                    t["committed"],
                    "{}: {name} {t}",
                    broker.label()
                );
                assert_eq!(ours["log_start_offset"], t["low"], "{t}");
                assert_eq!(ours["log_end_offset"], t["high"], "{t}");
                assert_eq!(ours["lag"], t["lag"], "{}: {name} {t}", broker.label());
                total += t["lag"].as_i64().unwrap_or(0);
            }
            assert_eq!(g["total_lag"], total);
        }
    }
}

/// A member of a group on Apache Kafka, in a process of its own (confluent-kafka):
/// it joins without committing and leaves the group cleanly when dropped.
struct Member(std::process::Child);

impl Member {
    fn join(broker: &Broker, group: &str, topic: &str) -> Member {
        let mut child = support::python_file_spawn(
            "full_broker_check.py",
            &["member", broker.bootstrap(), group, topic],
        );
        let mut line = String::new();
        BufReader::new(child.stdout.as_mut().unwrap())
            .read_line(&mut line)
            .unwrap();
        assert_eq!(line.trim(), "assigned", "the member never got partitions");
        Member(child)
    }

    fn leave(mut self) {
        drop(self.0.stdin.take());
        assert!(self.0.wait().unwrap().success(), "the member failed");
    }
}

impl Drop for Member {
    fn drop(&mut self) {
        if self.0.stdin.is_some() {
            let _ = self.0.kill();
            let _ = self.0.wait();
        }
    }
}

/// (state, members) of each group as confluent-kafka's AdminClient describes it.
fn described(broker: &Broker, groups: &[&str]) -> Value {
    let mut args = vec!["groups", broker.bootstrap()];
    args.extend_from_slice(groups);
    serde_json::from_str(&support::python_file("full_broker_check.py", &args)).unwrap()
}

#[test]
fn every_group_is_listed_with_live_membership_on_kafka() {
    let broker = Broker::kafka();
    let topic = seed(&broker, 2, &[10, 10], now_ms() - 600_000);
    let live = support::unique("live");
    let idle = support::unique("idle");
    broker.commit(&live, &topic, &[(0, 2), (1, 2)]);
    broker.commit(&idle, &topic, &[(0, 4), (1, 4)]);
    let member = Member::join(&broker, &live, &topic);

    // No --group: ListGroups finds both, DescribeGroups says who is there.
    let out = kafkaops()
        .args([
            "-b",
            broker.bootstrap(),
            "lag",
            "-o",
            "json",
            "--topic",
            &topic,
        ])
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{stderr}");
    assert!(
        !stderr.contains("DescribeGroups") && !stderr.contains("cannot describe"),
        "a full broker describes groups: {stderr}"
    );
    let report = support::json(&out.stdout);
    let theirs = described(&broker, &[&live, &idle]);
    let (l, i) = (group(&report, &live), group(&report, &idle));
    assert_eq!(
        (&l["state"], &l["members"]),
        (&"Stable".into(), &1.into()),
        "{l}"
    );
    assert_eq!(
        (&i["state"], &i["members"]),
        (&"Empty".into(), &0.into()),
        "{i}"
    );
    for (g, name) in [(l, &live), (i, &idle)] {
        assert_eq!(
            g["state"].as_str().unwrap().to_lowercase(),
            theirs[name]["state"],
            "confluent-kafka agrees: {theirs}"
        );
        assert_eq!(g["members"], theirs[name]["members"], "{theirs}");
    }
    assert_eq!(
        (l["total_lag"].as_i64(), i["total_lag"].as_i64()),
        (Some(16), Some(12))
    );

    // Neither group commits between samples: with a live member that is STALL (the
    // consumer is stuck), without one it is STOP (the consumers are gone).
    let pattern = format!("^({}|{})$", regex::escape(&live), regex::escape(&idle));
    let (code, stdout, stderr) = sampled(
        &broker,
        "json",
        &["--group-regex", &pattern, "--topic", &topic],
        2,
        |_| {},
    );
    assert_eq!(code, 0, "{stderr}");
    assert!(!stderr.contains("DescribeGroups"), "{stderr}");
    let v: Value = serde_json::from_str(&stdout).unwrap();
    assert_eq!(group(&v, &live)["status"], "STALL", "{v}");
    assert_eq!(group(&v, &idle)["status"], "STOP", "{v}");

    // Once the member leaves, the group is empty, and its stuck offsets are STOP.
    member.leave();
    let deadline = std::time::Instant::now() + Duration::from_secs(20);
    let l = loop {
        let report = lag_json(&broker, &["--group", &live, "--topic", &topic]);
        let l = group(&report, &live).clone();
        if l["state"] == "Empty" || std::time::Instant::now() > deadline {
            break l;
        }
        std::thread::sleep(Duration::from_millis(500));
    };
    assert_eq!(
        (&l["state"], &l["members"]),
        (&"Empty".into(), &0.into()),
        "{l}"
    );
    assert_eq!(described(&broker, &[&live])[&live]["state"], "empty");
    let (code, stdout, stderr) = sampled(
        &broker,
        "json",
        &["--group", &live, "--topic", &topic],
        2,
        |_| {},
    );
    assert_eq!(code, 0, "{stderr}");
    let v: Value = serde_json::from_str(&stdout).unwrap();
    assert_eq!(group(&v, &live)["status"], "STOP", "{v}");
}

/// The names in `dir`: a temp file left beside the report would show here.
fn names_in(dir: &std::path::Path) -> Vec<String> {
    let mut v: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    v.sort();
    v
}

#[test]
fn out_file_keeps_the_previous_report_when_the_brokers_are_down() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("kafkaops.prom");
    std::fs::write(&file, "previous 1\n").unwrap();
    let dead = support::dead_address();
    let out = kafkaops()
        .args(["-b", &*dead, "--timeout", "2s", "lag", "--group", "g"])
        .args(["-o", "prometheus", "--max-lag", "10", "--out"])
        .arg(&file)
        .assert()
        .code(3)
        .get_output()
        .clone();
    assert!(out.stdout.is_empty());
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert!(
        stderr.contains("error: cannot reach the brokers"),
        "{stderr}"
    );
    assert_eq!(std::fs::read_to_string(&file).unwrap(), "previous 1\n");
    assert_eq!(names_in(dir.path()), vec!["kafkaops.prom"]);
}

#[test]
fn out_file_is_replaced_with_each_complete_report() {
    for broker in support::mock_and_kafka() {
        let label = broker.label();
        let f = fixture(&broker);
        let full = support::unique("grp-out");
        broker.commit(&full, &f.topic, &[(0, 4), (1, 5), (2, 8), (3, 0)]);
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("kafkaops.prom");
        std::fs::write(&file, "previous 1\n").unwrap();
        let before = now_ms();
        let lag = |extra: &[&str]| {
            kafkaops()
                .args(["-b", broker.bootstrap(), "lag", "--group", &full])
                .args(["--topic", &f.topic, "-o", "prometheus", "--out"])
                .arg(&file)
                .args(extra)
                .output()
                .unwrap()
        };
        let out = lag(&[]);
        assert_eq!(out.status.code(), Some(0), "{label}");
        assert!(out.stdout.is_empty(), "{label}: data went to the file");
        let text = std::fs::read_to_string(&file).unwrap();
        let m = parse_prometheus(&text);
        assert_eq!(m[&series("kafkaops_lag_up", &[])], 1.0, "{label}: {text}");
        let at = m[&series("kafkaops_lag_last_success_timestamp_seconds", &[])];
        assert!(
            at >= (before / 1000) as f64 && at <= (now_ms() / 1000 + 1) as f64,
            "{label}: {at}"
        );
        let p0 = [
            ("group", full.as_str()),
            ("topic", f.topic.as_str()),
            ("partition", "0"),
        ];
        assert_eq!(m[&series("kafkaops_consumergroup_lag", &p0)], 6.0);
        assert_eq!(names_in(dir.path()), vec!["kafkaops.prom"], "{label}");

        // A breach still writes the whole report (the gate's answer is the exit code).
        broker.commit(&full, &f.topic, &[(0, 2)]);
        let out = lag(&["--max-lag", "5"]);
        assert_eq!(out.status.code(), Some(1), "{label}");
        let m = parse_prometheus(&std::fs::read_to_string(&file).unwrap());
        assert_eq!(m[&series("kafkaops_consumergroup_lag", &p0)], 8.0);

        // --samples: after each sample the file holds that sample, whole.
        let mut seen = Vec::new();
        let (code, stdout, stderr) = sampled(
            &broker,
            "prometheus",
            &[
                "--group",
                &full,
                "--topic",
                &f.topic,
                "--out",
                file.to_str().unwrap(),
            ],
            2,
            |_| {
                let m = parse_prometheus(&std::fs::read_to_string(&file).unwrap());
                seen.push(m[&series("kafkaops_consumergroup_lag", &p0)]);
                broker.commit(&full, &f.topic, &[(0, 7)]);
            },
        );
        assert_eq!(code, 0, "{label}: {stderr}");
        assert!(stdout.is_empty());
        assert_eq!(seen, vec![8.0], "{label}: the first sample, committed");
        let m = parse_prometheus(&std::fs::read_to_string(&file).unwrap());
        assert_eq!(m[&series("kafkaops_consumergroup_lag", &p0)], 3.0);
        assert_eq!(names_in(dir.path()), vec!["kafkaops.prom"], "{label}");
    }
}

#[test]
fn watch_keeps_a_textfile_fresh_one_whole_frame_at_a_time() {
    let broker = support::mock_and_kafka().remove(0);
    let topic = seed(&broker, 1, &[10], now_ms());
    let g = support::unique("watch-out");
    broker.commit(&g, &topic, &[(0, 4)]);
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("kafkaops.prom");
    let mut child = kafkaops_std()
        .args([
            "-b",
            broker.bootstrap(),
            "lag",
            "--group",
            &g,
            "--topic",
            &topic,
        ])
        .args(["-o", "prometheus", "--watch", "1s", "--out"])
        .arg(&file)
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let p0 = [
        ("group", g.as_str()),
        ("topic", topic.as_str()),
        ("partition", "0"),
    ];
    let lag_in_file = || {
        std::fs::read_to_string(&file)
            .ok()
            .map(|t| parse_prometheus(&t)[&series("kafkaops_consumergroup_lag", &p0)])
    };
    let wait = |want: f64| {
        let deadline = std::time::Instant::now() + Duration::from_secs(20);
        while lag_in_file() != Some(want) {
            assert!(
                std::time::Instant::now() < deadline,
                "the file never showed lag {want}: {:?}",
                std::fs::read_to_string(&file)
            );
            std::thread::sleep(Duration::from_millis(100));
        }
    };
    wait(6.0);
    broker.commit(&g, &topic, &[(0, 9)]);
    wait(1.0);
    child.kill().unwrap();
    let out = child.wait_with_output().unwrap();
    assert!(out.stdout.is_empty(), "frames went to the file only");
    assert_eq!(names_in(dir.path()), vec!["kafkaops.prom"]);
}
