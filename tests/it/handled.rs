//! Handled state of DLQ records end to end, on the mock cluster and Apache Kafka:
//! `dlq mark` and a completed redrive append marks to the audit log, `dlq triage`
//! counts the covered records as handled and gates only on open ones, records
//! dead-lettered later are open again, and a tampered log's marks are ignored
//! (the gate test runs on Tansu too).
//! Also `dlq triage -o prometheus` / `--out` and `audit verify` without its head.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use serde_json::Value;

use crate::support;
use support::{json, kafkaops, now_ms, Broker, Rec};

const HOUR: i64 = 3_600_000;

fn spring(p: i32, key: &str, exc: &str, msg: &str, at: i64) -> Rec {
    Rec::new(p, key, r#"{"order": 1}"#)
        .header("kafka_dlt-original-topic", "orders")
        .header("kafka_dlt-original-partition", 0i32.to_be_bytes())
        .header("kafka_dlt-original-offset", 7i64.to_be_bytes())
        .header("kafka_dlt-exception-fqcn", exc)
        .header("kafka_dlt-exception-message", msg)
        .at(at)
}

fn dlq(broker: &Broker) -> assert_cmd::Command {
    let mut c = kafkaops();
    c.args(["-b", broker.bootstrap(), "dlq"]);
    c
}

/// `dlq triage -o json` with the SLA gate; returns (exit code, report, stderr).
fn triage(broker: &Broker, topic: &str, audit: &Path) -> (i32, Value, String) {
    let out = dlq(broker)
        .args(["triage", "-o", "json", "--sla", "24h", "--fail-on", "sla"])
        .args(["--topic", topic, "--audit-log"])
        .arg(audit)
        .output()
        .unwrap();
    (
        out.status.code().unwrap(),
        json(&out.stdout),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

/// (open, handled) by category id.
fn by_id(r: &Value) -> BTreeMap<String, (u64, u64)> {
    r["categories"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| {
            (
                c["id"].as_str().unwrap().to_string(),
                (c["open"].as_u64().unwrap(), c["handled"].as_u64().unwrap()),
            )
        })
        .collect()
}

fn mark(broker: &Broker, topic: &str, audit: &Path, ids: &[&str], extra: &[&str]) -> Value {
    let mut c = dlq(broker);
    c.args(["mark", "-o", "json", "--topic", topic, "--discarded"])
        .args([
            "--owner",
            "team-orders",
            "--reason",
            "duplicates are harmless",
        ])
        .arg("--audit-log")
        .arg(audit)
        .args(extra);
    for id in ids {
        c.args(["--category", id]);
    }
    json(&c.assert().success().get_output().stdout)
}

#[test]
fn a_marked_category_passes_the_gate_until_new_records_arrive() {
    for broker in support::brokers() {
        let topic = support::unique("dlq-handled-gate");
        broker.create_topic(&topic, 2);
        let old = now_ms() - 48 * HOUR;
        let mut recs = Vec::new();
        for i in 0..4 {
            recs.push(spring(
                i % 2,
                &format!("k{i}"),
                "org.postgresql.util.PSQLException",
                "duplicate key (id)=(1)",
                old,
            ));
        }
        for i in 0..2 {
            recs.push(spring(
                i,
                "t",
                "java.net.SocketTimeoutException",
                "timed out",
                old,
            ));
        }
        broker.produce(&topic, &recs);
        let dir = tempfile::tempdir().unwrap();
        let audit = dir.path().join("audit.jsonl");

        let (code, r, _) = triage(&broker, &topic, &audit);
        assert_eq!(code, 1, "{}: old open records breach", broker.label());
        let ids: Vec<String> = by_id(&r).keys().cloned().collect();
        assert_eq!(ids.len(), 2);
        assert_eq!(r["open"], 6);
        assert_eq!(r["handled"], 0);
        assert_eq!(r["marks"]["trusted"], true);

        // A dry run shows the cover and writes nothing.
        let m = mark(&broker, &topic, &audit, &[&ids[0], &ids[1]], &["--dry-run"]);
        assert_eq!(m["records"], 6);
        assert_eq!(m["marked"], false);
        assert!(
            !audit.exists(),
            "{}: a dry run appends nothing",
            broker.label()
        );
        // Without a terminal, --yes is needed.
        dlq(&broker)
            .args([
                "mark",
                "--topic",
                &topic,
                "--handled",
                "--owner",
                "o",
                "--reason",
                "r",
            ])
            .args(["--category", &ids[0], "--audit-log"])
            .arg(&audit)
            .assert()
            .code(2)
            .stderr(predicates::str::contains("--yes"));
        // An id no record has names the command that lists them.
        dlq(&broker)
            .args([
                "mark",
                "--topic",
                &topic,
                "--handled",
                "--owner",
                "o",
                "--reason",
                "r",
                "--yes",
            ])
            .args(["--category", "0000000000", "--audit-log"])
            .arg(&audit)
            .assert()
            .code(2)
            .stderr(predicates::str::contains("dlq triage"));

        let m = mark(&broker, &topic, &audit, &[&ids[0], &ids[1]], &["--yes"]);
        assert_eq!(m["marked"], true);
        assert_eq!(m["records"], 6);
        let line = std::fs::read_to_string(&audit).unwrap();
        assert!(line.contains(r#""event":"dlq-marked""#), "{line}");
        assert!(line.contains(r#""disposition":"discarded""#), "{line}");

        let (code, r, _) = triage(&broker, &topic, &audit);
        assert_eq!(code, 0, "{}: everything handled passes", broker.label());
        assert_eq!(r["open"], 0);
        assert_eq!(r["handled"], 6);
        assert_eq!(r["sla"]["breached_categories"], 0);
        for (open, handled) in by_id(&r).values() {
            assert_eq!(*open, 0);
            assert!(*handled > 0);
        }
        // The table shows the columns.
        let table = dlq(&broker)
            .args(["triage", "--topic", &topic, "--audit-log"])
            .arg(&audit)
            .assert()
            .success()
            .get_output()
            .stdout
            .clone();
        let table = String::from_utf8(table).unwrap();
        assert!(
            table.contains("open") && table.contains("handled"),
            "{table}"
        );
        assert!(table.contains("(all handled)"), "{table}");

        // A record dead-lettered after the mark is open again and breaches.
        let dup = &recs[0];
        broker.produce(&topic, std::slice::from_ref(dup));
        let (code, r, _) = triage(&broker, &topic, &audit);
        assert_eq!(code, 1, "{}: a new old record breaches", broker.label());
        assert_eq!(r["open"], 1);
        assert_eq!(r["handled"], 6);
        assert_eq!(r["sla"]["breached_records"], 1);

        // A tampered log is not trusted: everything counts as open.
        let text = std::fs::read_to_string(&audit).unwrap();
        std::fs::write(&audit, text.replace("team-orders", "mallory")).unwrap();
        let (code, r, stderr) = triage(&broker, &topic, &audit);
        assert_eq!(code, 1);
        assert_eq!(r["open"], 7);
        assert_eq!(r["handled"], 0);
        assert_eq!(r["marks"]["trusted"], false);
        assert!(stderr.contains("fails verification"), "{stderr}");
    }
}

#[test]
fn up_to_marks_only_the_offsets_named() {
    for broker in support::mock_and_kafka() {
        let topic = support::unique("dlq-handled-upto");
        broker.create_topic(&topic, 2);
        let old = now_ms() - 48 * HOUR;
        let recs: Vec<Rec> = (0..6)
            .map(|i| {
                spring(
                    i % 2,
                    "k",
                    "java.lang.IllegalStateException",
                    "bad state",
                    old,
                )
            })
            .collect();
        broker.produce(&topic, &recs);
        let dir = tempfile::tempdir().unwrap();
        let audit = dir.path().join("audit.jsonl");
        let (_, r, _) = triage(&broker, &topic, &audit);
        let id = by_id(&r).keys().next().unwrap().clone();
        // Partition 0 holds offsets 0..3: mark the first two only; partition 1 not at all.
        let m = mark(
            &broker,
            &topic,
            &audit,
            &[&id],
            &["--yes", "--up-to", "0:2"],
        );
        assert_eq!(m["records"], 2);
        let (code, r, _) = triage(&broker, &topic, &audit);
        assert_eq!(code, 1);
        assert_eq!(by_id(&r)[&id], (4, 2), "{}", broker.label());
        dlq(&broker)
            .args([
                "mark",
                "--topic",
                &topic,
                "--handled",
                "--owner",
                "o",
                "--reason",
                "r",
                "--yes",
            ])
            .args(["--category", &id, "--up-to", "0:99", "--audit-log"])
            .arg(&audit)
            .assert()
            .code(2)
            .stderr(predicates::str::contains("beyond the log end"));
    }
}

#[test]
fn a_completed_redrive_marks_its_category_handled() {
    for broker in support::mock_and_kafka() {
        let topic = support::unique("dlq-handled-redrive");
        let dest = support::unique("dlq-handled-dest");
        broker.create_topic(&topic, 2);
        broker.create_topic(&dest, 2);
        let old = now_ms() - 48 * HOUR;
        let mut recs = Vec::new();
        for i in 0..3 {
            recs.push(spring(
                i % 2,
                "a",
                "java.net.SocketTimeoutException",
                "timed out",
                old,
            ));
            recs.push(spring(
                i % 2,
                "b",
                "java.lang.NullPointerException",
                "npe",
                old,
            ));
        }
        broker.produce(&topic, &recs);
        let dir = tempfile::tempdir().unwrap();
        let audit = dir.path().join("audit.jsonl");
        let (_, r, _) = triage(&broker, &topic, &audit);
        let timeout_id = r["categories"]
            .as_array()
            .unwrap()
            .iter()
            .find(|c| c["exception"] == "java.net.SocketTimeoutException")
            .unwrap()["id"]
            .as_str()
            .unwrap()
            .to_string();
        kafkaops()
            .args([
                "-b",
                broker.bootstrap(),
                "replay",
                "run",
                "--yes",
                "--owner",
                "alice",
            ])
            .args(["--reason", "fixed the timeout", "--topic", &topic])
            .args(["--dlq-category", &timeout_id, "--to", &dest, "--audit-log"])
            .arg(&audit)
            .assert()
            .success();
        let (code, r, _) = triage(&broker, &topic, &audit);
        let ids = by_id(&r);
        assert_eq!(ids[&timeout_id], (0, 3), "{}", broker.label());
        assert_eq!(code, 1, "the other category is still open and old");
        assert_eq!(r["open"], 3);
        let text = std::fs::read_to_string(&audit).unwrap();
        let finished: Vec<&str> = text
            .lines()
            .filter(|l| l.contains(r#""event":"finished""#))
            .collect();
        assert_eq!(finished.len(), 1);
        assert!(
            finished[0].contains(r#""disposition":"redriven""#),
            "{}",
            finished[0]
        );
        // Only the finished event carries the mark.
        assert_eq!(text.matches(r#""dlq":"#).count(), 1, "{text}");

        // A replay appending to a damaged log says so.
        std::fs::write(&audit, text.replacen("alice", "mallory", 1)).unwrap();
        kafkaops()
            .args([
                "-b",
                broker.bootstrap(),
                "replay",
                "run",
                "--yes",
                "--owner",
                "alice",
            ])
            .args([
                "--reason",
                "again",
                "--topic",
                &topic,
                "--offsets",
                "0:0",
                "--to",
                &dest,
                "--allow-duplicate",
            ])
            .arg("--audit-log")
            .arg(&audit)
            .assert()
            .success()
            .stderr(predicates::str::contains("already fails verification"));
    }
}

#[test]
fn records_without_metadata_have_their_own_category_and_mixed_rules_are_flagged() {
    for broker in support::mock_and_kafka() {
        let topic = support::unique("dlq-handled-mixed");
        broker.create_topic(&topic, 1);
        let now = now_ms();
        let recs = vec![
            Rec::new(0, "bare", "no headers at all").at(now),
            // Spring headers without exception or message.
            Rec::new(0, "s", "v")
                .header("kafka_dlt-original-topic", "orders")
                .at(now),
            // The same exception and message in two conventions: one category.
            spring(0, "x", "java.net.SocketTimeoutException", "timed out", now),
            Rec::new(0, "y", "payload")
                .header("kafka_original-topic", "payments")
                .header("kafka_exception-fqcn", "java.net.SocketTimeoutException")
                .header("kafka_exception-message", "timed out")
                .at(now),
        ];
        broker.produce(&topic, &recs);
        let dir = tempfile::tempdir().unwrap();
        let rules = dir.path().join("rules.toml");
        std::fs::write(
            &rules,
            "[[rule]]\nname = \"timeouts\"\nexception = \"SocketTimeoutException\"\naction = \"retry\"\n",
        )
        .unwrap();
        let out = dlq(&broker)
            .args(["triage", "-o", "json", "--topic", &topic, "--rules"])
            .arg(&rules)
            .assert()
            .success();
        let r = json(&out.get_output().stdout);
        let stderr = String::from_utf8_lossy(&out.get_output().stderr).into_owned();
        let cats = r["categories"].as_array().unwrap();
        assert_eq!(cats.len(), 3, "{}: {r}", broker.label());
        let conventions: BTreeSet<String> = cats
            .iter()
            .map(|c| {
                c["conventions"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .map(|v| v["value"].as_str().unwrap())
                    .collect::<Vec<_>>()
                    .join("+")
            })
            .collect();
        assert!(conventions.contains("none"), "{conventions:?}");
        assert!(conventions.contains("spring-dlt"), "{conventions:?}");
        let mixed = cats
            .iter()
            .find(|c| c["mixed_conventions"] == true)
            .unwrap();
        assert_eq!(mixed["records"], 2);
        assert_eq!(mixed["rule"], "timeouts");
        let notes = r["notes"].as_array().unwrap();
        assert_eq!(notes.len(), 1);
        assert!(notes[0].as_str().unwrap().contains("mixes conventions"));
        assert!(stderr.contains("mixes conventions"), "{stderr}");

        // A rule without a matcher is refused before any broker call.
        std::fs::write(&rules, "[[rule]]\nname = \"all\"\naction = \"discard\"\n").unwrap();
        dlq(&broker)
            .args(["triage", "--topic", &topic, "--rules"])
            .arg(&rules)
            .assert()
            .code(2)
            .stderr(predicates::str::contains("has no matcher"))
            .stderr(predicates::str::contains("catch_all = true"));
    }
}

/// Every sample line is `name{labels} value` with a HELP and TYPE gauge before
/// it; returns (name, labels text) -> value.
fn parse_exposition(text: &str) -> BTreeMap<(String, String), f64> {
    let mut typed = BTreeSet::new();
    let mut helped = BTreeSet::new();
    let mut out = BTreeMap::new();
    for line in text.lines() {
        if let Some(rest) = line.strip_prefix("# HELP ") {
            helped.insert(rest.split(' ').next().unwrap().to_string());
            continue;
        }
        if let Some(rest) = line.strip_prefix("# TYPE ") {
            let (name, kind) = rest.split_once(' ').unwrap();
            assert_eq!(kind, "gauge");
            assert!(!name.ends_with("_total"), "gauges carry no _total: {name}");
            typed.insert(name.to_string());
            continue;
        }
        let brace = line.find('{').unwrap_or_else(|| panic!("labels: {line}"));
        let close = line.rfind("} ").unwrap_or_else(|| panic!("value: {line}"));
        let name = &line[..brace];
        assert!(
            name.chars().all(|c| c.is_ascii_lowercase() || c == '_'),
            "{name}"
        );
        assert!(typed.contains(name) && helped.contains(name), "{line}");
        let value: f64 = line[close + 2..]
            .parse()
            .unwrap_or_else(|_| panic!("{line}"));
        out.insert((name.to_string(), line[brace..=close].to_string()), value);
    }
    out
}

#[test]
fn prometheus_output_and_out_file_that_survives_a_failure() {
    for broker in support::mock_and_kafka() {
        let topic = support::unique("dlq-handled-prom");
        broker.create_topic(&topic, 1);
        let old = now_ms() - 2 * HOUR;
        let recs: Vec<Rec> = (0..3)
            .map(|i| {
                spring(
                    0,
                    &format!("k{i}"),
                    "java.lang.IllegalStateException",
                    "bad \"state\"",
                    old,
                )
            })
            .collect();
        broker.produce(&topic, &recs);
        let dir = tempfile::tempdir().unwrap();
        let audit = dir.path().join("audit.jsonl");
        let (_, r, _) = triage(&broker, &topic, &audit);
        let id = by_id(&r).keys().next().unwrap().clone();
        mark(
            &broker,
            &topic,
            &audit,
            &[&id],
            &["--yes", "--up-to", "0:1"],
        );

        let prom = dir.path().join("dlq.prom");
        let out = dlq(&broker)
            .args([
                "triage",
                "-o",
                "prometheus",
                "--sla",
                "1h",
                "--topic",
                &topic,
            ])
            .arg("--audit-log")
            .arg(&audit)
            .arg("--out")
            .arg(&prom)
            .assert()
            .success();
        assert!(out.get_output().stdout.is_empty(), "--out takes the data");
        let text = std::fs::read_to_string(&prom).unwrap();
        let m = parse_exposition(&text);
        let get = |name: &str, labels: &str| {
            *m.get(&(name.to_string(), labels.to_string()))
                .unwrap_or_else(|| panic!("{name}{labels} in\n{text}"))
        };
        let t = format!("{{topic=\"{topic}\"}}");
        let c = format!("{{topic=\"{topic}\",category=\"{id}\",action=\"unreviewed\"}}");
        let a = format!("{{topic=\"{topic}\",action=\"unreviewed\"}}");
        assert_eq!(get("kafkaops_dlq_up", &t), 1.0);
        assert_eq!(get("kafkaops_dlq_marks_trusted", &t), 1.0);
        assert_eq!(get("kafkaops_dlq_records", &t), 3.0);
        assert_eq!(get("kafkaops_dlq_open_records", &t), 2.0);
        assert_eq!(get("kafkaops_dlq_category_records", &c), 3.0);
        assert_eq!(get("kafkaops_dlq_category_open_records", &c), 2.0);
        assert_eq!(get("kafkaops_dlq_category_handled_records", &c), 1.0);
        assert_eq!(get("kafkaops_dlq_category_sla_breached", &c), 1.0);
        assert_eq!(get("kafkaops_dlq_action_open_records", &a), 2.0);
        let age = get("kafkaops_dlq_category_oldest_open_age_seconds", &c);
        assert!((7000.0..8000.0).contains(&age), "{age}");
        let ts = get("kafkaops_dlq_last_success_timestamp_seconds", &t);
        assert!((ts - now_ms() as f64 / 1000.0).abs() < 600.0, "{ts}");

        // The broker unreachable: the command fails and the old file stays as it was.
        let dead = support::dead_address();
        kafkaops()
            .args([
                "-b",
                &dead,
                "--timeout",
                "2s",
                "dlq",
                "triage",
                "-o",
                "prometheus",
            ])
            .args(["--topic", &topic, "--out"])
            .arg(&prom)
            .assert()
            .failure();
        assert_eq!(std::fs::read_to_string(&prom).unwrap(), text);
    }
}

#[test]
fn audit_verify_without_its_head_file_does_not_pass_silently() {
    let broker = Broker::mock(1);
    let topic = support::unique("dlq-handled-head");
    broker.create_topic(&topic, 1);
    broker.produce(&topic, &[spring(0, "k", "java.lang.Error", "x", now_ms())]);
    let dir = tempfile::tempdir().unwrap();
    let audit = dir.path().join("audit.jsonl");
    let (_, r, _) = triage(&broker, &topic, &audit);
    let id = by_id(&r).keys().next().unwrap().clone();
    mark(&broker, &topic, &audit, &[&id], &["--yes"]);
    let verify = || {
        let mut c = kafkaops();
        c.args(["replay", "audit", "verify", "--audit-log"])
            .arg(&audit);
        c
    };
    verify()
        .assert()
        .success()
        .stdout(predicates::str::contains("intact: 1 entries"));
    std::fs::remove_file(dir.path().join("audit.jsonl.head")).unwrap();
    verify()
        .assert()
        .code(1)
        .stdout(predicates::str::contains("tail cannot be checked"))
        .stderr(predicates::str::contains("--allow-missing-head"));
    verify().arg("--allow-missing-head").assert().success();
    // Triage still trusts the marks: a cut tail could only remove marks.
    let (code, r, _) = triage(&broker, &topic, &audit);
    assert_eq!(code, 0);
    assert_eq!(r["handled"], 1);
}

#[test]
fn an_interrupted_redrive_marks_nothing_until_its_resume_completes() {
    use crate::replay::{record_count, spawn, status_for, wait_exit, wait_for};
    use std::time::Duration;
    for broker in support::mock_and_kafka() {
        let topic = support::unique("dlq-handled-resume");
        let dest = support::unique("dlq-handled-resume-dest");
        broker.create_topic(&topic, 2);
        broker.create_topic(&dest, 2);
        let old = now_ms() - 48 * HOUR;
        let recs: Vec<Rec> = (0..40)
            .map(|i| {
                spring(
                    i % 2,
                    &format!("k{i}"),
                    "java.lang.IllegalStateException",
                    "bad",
                    old,
                )
            })
            .collect();
        broker.produce(&topic, &recs);
        let dir = tempfile::tempdir().unwrap();
        let audit = dir.path().join("audit.jsonl");
        let (_, r, _) = triage(&broker, &topic, &audit);
        let id = by_id(&r).keys().next().unwrap().clone();
        let audit_s = audit.to_str().unwrap();
        let mut child = spawn(
            &broker,
            &[
                "replay",
                "run",
                "--yes",
                "--owner",
                "alice",
                "--reason",
                "retry",
                "--audit-log",
                audit_s,
                "--topic",
                &topic,
                "--dlq-category",
                &id,
                "--to",
                &dest,
                "--rate",
                "10/s",
            ],
        );
        wait_for(
            "records in the destination",
            Duration::from_secs(30),
            || record_count(&broker, &dest) >= 3,
        );
        let pid = child.id().to_string();
        assert!(std::process::Command::new("kill")
            .args(["-INT", &pid])
            .status()
            .unwrap()
            .success());
        assert_eq!(wait_exit(&mut child, Duration::from_secs(30)), 130);
        let (code, r, _) = triage(&broker, &topic, &audit);
        assert_eq!(code, 1);
        assert_eq!(
            r["handled"],
            0,
            "{}: an interrupted replay marks nothing",
            broker.label()
        );

        let st = status_for(&broker, &dest);
        assert_eq!(st["state"], "interrupted", "{st}");
        kafkaops()
            .args(["-b", broker.bootstrap(), "replay", "resume"])
            .args([st["id"].as_str().unwrap(), "--yes", "--rate", "1000/s"])
            .assert()
            .success();
        let (code, r, _) = triage(&broker, &topic, &audit);
        assert_eq!(
            code,
            0,
            "{}: the completed resume marks the category",
            broker.label()
        );
        assert_eq!(by_id(&r)[&id], (0, 40));
    }
}
