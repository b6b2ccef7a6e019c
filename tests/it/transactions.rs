//! Transactional topics on Apache Kafka (records written by confluent-kafka's
//! transactional producer, committed and aborted): triage, inspect, export, replay and
//! drill see only the committed records, never an aborted record or a transaction
//! marker; lag counts to the last stable offset and reads event ages past markers.

use crate::replay::{audit_log, cmd};
use crate::support;

use std::collections::BTreeSet;

use support::{json, Broker, KafkaEnv};

/// The values of the committed records of a `plan` written by
/// [`KafkaEnv::transactions`].
fn committed_values(plan: &str) -> BTreeSet<String> {
    plan.chars()
        .enumerate()
        .filter(|(_, k)| *k == 'c')
        .flat_map(|(t, _)| (0..5).map(move |i| format!("c-{t}-{i}")))
        .collect()
}

fn value_texts(lines: &[serde_json::Value], field: &str) -> Vec<String> {
    lines
        .iter()
        .map(|l| l[field]["text"].as_str().unwrap().to_string())
        .collect()
}

fn jsonl(out: &[u8]) -> Vec<serde_json::Value> {
    String::from_utf8_lossy(out)
        .lines()
        .map(|l| json(l.as_bytes()))
        .collect()
}

/// A topic of committed and aborted transactions on two partitions.
fn transactional_topic(broker: &Broker, env: &KafkaEnv, plan: &str) -> String {
    let topic = support::unique("txn");
    broker.create_topic(&topic, 2);
    env.transactions(&topic, 2, plan);
    topic
}

#[test]
fn only_committed_records_are_triaged_inspected_exported_and_replayed() {
    let broker = Broker::kafka();
    let env = KafkaEnv::shared();
    let plan = "cacaca";
    let src = transactional_topic(&broker, &env, plan);
    let committed = committed_values(plan);

    let out = cmd(&broker)
        .args(["dlq", "triage", "--topic", &src, "-o", "json"])
        .assert()
        .success();
    let triage = json(&out.get_output().stdout);
    assert_eq!(triage["records"], 15, "{triage}");
    assert_eq!(triage["scan"]["counts"]["read"], 15, "{triage}");

    let out = cmd(&broker)
        .args([
            "dlq", "inspect", "--topic", &src, "--limit", "1000", "-o", "jsonl",
        ])
        .assert()
        .success();
    let inspected = jsonl(&out.get_output().stdout);
    let values: BTreeSet<String> = value_texts(&inspected, "value").into_iter().collect();
    assert_eq!(inspected.len(), 15);
    assert_eq!(values, committed);

    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("export.jsonl");
    cmd(&broker)
        .args(["dlq", "export", "--topic", &src, "--out"])
        .arg(&file)
        .assert()
        .success();
    let exported = jsonl(&std::fs::read(&file).unwrap());
    let values: BTreeSet<String> = value_texts(&exported, "value").into_iter().collect();
    assert_eq!(exported.len(), 15);
    assert_eq!(values, committed);

    // The window covers every transaction; its plan counts only committed records,
    // though the offset ranges span the aborted ones and the markers.
    let dst = support::unique("txn-dst");
    broker.create_topic(&dst, 2);
    let window = [
        "--topic", &src, "--from", "-1h", "--until", "now", "--to", &dst,
    ];
    let out = cmd(&broker)
        .args(["replay", "plan", "-o", "json"])
        .args(window)
        .assert()
        .success();
    let planned = json(&out.get_output().stdout);
    assert_eq!(planned["records"], 15, "{planned}");
    // The broker's offsets-for-times answers, though the last offset is a marker.
    let notes = String::from_utf8_lossy(&out.get_output().stderr);
    assert!(!notes.contains("binary search"), "{notes}");
    let span: i64 = planned["ranges"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["end"].as_i64().unwrap() - r["start"].as_i64().unwrap())
        .sum();
    assert!(
        span > 30,
        "the ranges should span aborted records and markers: {planned}"
    );

    let (_d, audit) = audit_log();
    let out = cmd(&broker)
        .args(["replay", "run", "-o", "json", "--yes", "--owner", "alice"])
        .args([
            "--reason",
            "transactions",
            "--rate",
            "unlimited",
            "--audit-log",
        ])
        .arg(&audit)
        .args(window)
        .assert()
        .success();
    let ran = json(&out.get_output().stdout);
    assert_eq!(ran["counts"]["sent"], 15, "{ran}");
    let got = broker.consume_all(&dst);
    let values: Vec<String> = got
        .iter()
        .map(|g| String::from_utf8(g.value.clone().unwrap()).unwrap())
        .collect();
    assert_eq!(values.len(), 15, "{values:?}");
    assert_eq!(values.into_iter().collect::<BTreeSet<_>>(), committed);

    let out = cmd(&broker)
        .args([
            "drill",
            "--topic",
            &src,
            "--window",
            "1h",
            "--rate",
            "unlimited",
        ])
        .args(["--yes", "-o", "json", "--audit-log"])
        .arg(&audit)
        .assert()
        .success();
    let drill = json(&out.get_output().stdout);
    assert_eq!(drill["passed"], true, "{drill}");
    assert_eq!(drill["records_planned"], 15, "{drill}");
    assert_eq!(drill["parity"]["destination_records"], 15, "{drill}");
    let scratch = drill["destination"].as_str().unwrap();
    assert_eq!(broker.consume_all(scratch).len(), 15);
}

/// One group's rows of `lag -o json`, by partition.
fn lag_rows(broker: &Broker, group: &str, extra: &[&str]) -> (i32, serde_json::Value) {
    let out = cmd(broker)
        .args(["lag", "--group", group, "-o", "json"])
        .args(extra)
        .output()
        .unwrap();
    let code = out.status.code().unwrap();
    assert!(
        code == 0 || code == 1,
        "lag exited {code}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let report = json(&out.stdout);
    (code, report["groups"][0]["partitions"][0].clone())
}

#[test]
fn lag_counts_to_the_last_stable_offset_and_reads_ages_past_markers() {
    let broker = Broker::kafka();
    let env = KafkaEnv::shared();
    // One partition: committed 0-4, marker 5; aborted 6-10, marker 11; committed
    // 12-16, marker 17; log end 18.
    let topic = support::unique("txn-lag");
    broker.create_topic(&topic, 1);
    env.transactions(&topic, 1, "cac");

    // Just past the first commit marker: an aborted transaction, then records.
    let g = support::unique("g-marker");
    broker.commit(&g, &topic, &[(0, 6)]);
    let (_, row) = lag_rows(&broker, &g, &[]);
    assert_eq!(row["log_end_offset"], 18, "{row}");
    assert_eq!(row["lag"], 12, "{row}");
    let age = row["event_age_seconds"].as_f64().expect("an event age");
    assert!(age < 600.0, "{row}");

    // Just past the last marker: caught up.
    let g = support::unique("g-end");
    broker.commit(&g, &topic, &[(0, 18)]);
    let (_, row) = lag_rows(&broker, &g, &[]);
    assert_eq!(row["lag"], 0, "{row}");
    assert_eq!(row["event_age_seconds"], 0.0, "{row}");

    // Only an aborted transaction and its marker after the commit: offsets remain, but
    // no record a read-committed consumer would get, so no event is waiting.
    let tail = support::unique("txn-lag-tail");
    broker.create_topic(&tail, 1);
    env.transactions(&tail, 1, "ca");
    let g = support::unique("g-aborted");
    broker.commit(&g, &tail, &[(0, 6)]);
    let (code, row) = lag_rows(&broker, &g, &["--max-age", "1h"]);
    assert_eq!(row["log_end_offset"], 12, "{row}");
    assert_eq!(row["lag"], 6, "{row}");
    assert_eq!(row["event_age_seconds"], 0.0, "{row}");
    assert_eq!(code, 0, "{row}");
}
