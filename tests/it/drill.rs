//! `kafkaops drill` on real brokers: a passing drill with its JSON and JUnit reports
//! and audit record, its scratch topic created (and with `--cleanup` deleted) as
//! confluent-kafka lists the topics; a deliberately corrupted destination failing with exit 1 and a
//! JUnit failure; and the degradations where a broker cannot create topics.

use crate::support;

use predicates::prelude::*;
use support::{kafkaops, now_ms, Broker, Rec};

/// 3 partitions, one record every 6 s over the last hour: 150 in the last 15 minutes
/// (give or take the one at the edge), with headers and binary values.
fn seed(broker: &Broker, base: i64) -> String {
    let topic = support::unique("drill-src");
    broker.create_topic(&topic, 3);
    let recs: Vec<Rec> = (0..600)
        .map(|i| {
            let mut r = Rec::new(i % 3, &format!("k{i}"), &format!("v{i}"))
                .header("trace", format!("t{i}"))
                .at(base - 3_600_000 + i as i64 * 6_000);
            if i % 7 == 0 {
                r.value = Some(vec![0xff, 0x00, i as u8]);
            }
            r
        })
        .collect();
    broker.produce(&topic, &recs);
    topic
}

fn in_window(base: i64, at: i64, window_ms: i64) -> u64 {
    (0..600)
        .map(|i| base - 3_600_000 + i * 6_000)
        .filter(|t| *t >= at - window_ms && *t < at)
        .count() as u64
}

#[test]
fn drill_passes_and_a_corrupted_destination_fails() {
    for broker in support::full_brokers() {
        drill_case(&broker);
    }
}

fn drill_case(broker: &Broker) {
    let base = now_ms();
    let topic = seed(broker, base);
    let dir = tempfile::tempdir().unwrap();
    let (junit, report, audit) = (
        dir.path().join("drill.xml"),
        dir.path().join("drill.json"),
        dir.path().join("audit.jsonl"),
    );
    let scratch = format!("{topic}.kafkaops-drill-");
    assert_eq!(listed(broker, &scratch), serde_json::json!({}));
    let at = base - 60_000;
    kafkaops()
        .args([
            "-b",
            broker.bootstrap(),
            "drill",
            "--topic",
            &topic,
            "--window",
            "15m",
            "--rate",
            "400/s",
            "--yes",
        ])
        .args(["--at", &at.to_string()])
        .arg("--junit")
        .arg(&junit)
        .arg("--report")
        .arg(&report)
        .arg("--audit-log")
        .arg(&audit)
        .assert()
        .success()
        .stdout(predicate::str::contains("drill PASSED"));
    let r: serde_json::Value = serde_json::from_slice(&std::fs::read(&report).unwrap()).unwrap();
    let expected = in_window(base, at, 900_000);
    assert_eq!(r["passed"], true);
    assert_eq!(r["parity"]["source_records"], expected);
    assert_eq!(r["parity"]["destination_records"], expected);
    assert_eq!(r["scratch_topic_created"], true);
    assert_eq!(r["parity"]["partitions"].as_array().unwrap().len(), 3);
    let xml = std::fs::read_to_string(&junit).unwrap();
    assert!(xml.contains("failures=\"0\""), "{xml}");
    assert_eq!(xml.matches("<testcase").count(), 8, "{xml}");
    // The scratch topic holds exactly the window.
    let dest = r["destination"].as_str().unwrap().to_string();
    assert!(dest.starts_with(&scratch));
    // Created by the drill, with the source's partitions, as another client sees it.
    assert_eq!(
        listed(broker, &scratch),
        serde_json::json!({ &dest: 3 }),
        "{}",
        broker.label()
    );
    let copied = broker.consume_all(&dest);
    assert_eq!(copied.len() as u64, expected);

    // Corrupt the destination: a second, altered copy of a replayed record.
    let replay_id = r["replay_id"].as_str().unwrap().to_string();
    let victim = &copied[0];
    let position = std::str::from_utf8(victim.header("kafkaops.replay.position").unwrap())
        .unwrap()
        .to_string();
    let forged = Rec {
        partition: Some(victim.partition),
        key: victim.key.clone(),
        value: Some(b"tampered".to_vec()),
        headers: vec![
            ("trace".into(), victim.header("trace").map(<[u8]>::to_vec)),
            (
                "kafkaops.replay.id".into(),
                Some(replay_id.clone().into_bytes()),
            ),
            (
                "kafkaops.replay.position".into(),
                Some(position.into_bytes()),
            ),
        ],
        timestamp_ms: victim.timestamp_ms,
    };
    broker.produce(&dest, &[forged]);
    let junit2 = dir.path().join("recheck.xml");
    kafkaops()
        .args(["-b", broker.bootstrap(), "drill", "--verify", &replay_id])
        .arg("--junit")
        .arg(&junit2)
        .assert()
        .code(1)
        .stdout(predicate::str::contains("drill FAILED"))
        .stderr(predicate::str::contains("1 duplicated, 1 altered"));
    let xml2 = std::fs::read_to_string(&junit2).unwrap();
    assert!(xml2.contains("<failure"), "{xml2}");
    assert!(xml2.contains(&format!("name=\"partition {} parity\"", victim.partition)));

    // Both verdicts are in the audit log, and the chain still verifies.
    let log = std::fs::read_to_string(&audit).unwrap();
    let drills: Vec<serde_json::Value> = log
        .lines()
        .map(|l| serde_json::from_str::<serde_json::Value>(l).unwrap())
        .filter(|v| v["event"] == "drill")
        .collect();
    assert_eq!(drills.len(), 2, "{log}");
    assert_eq!(drills[0]["outcome"], "passed");
    assert_eq!(drills[1]["outcome"], "failed");
    kafkaops()
        .args(["audit", "verify", "--audit-log"])
        .arg(&audit)
        .assert()
        .success();
}

/// {name: partitions} of the topics named PREFIX*, as confluent-kafka lists them.
fn listed(broker: &Broker, prefix: &str) -> serde_json::Value {
    serde_json::from_str(&support::python_file(
        "full_broker_check.py",
        &["topics", broker.bootstrap(), prefix],
    ))
    .unwrap()
}

#[test]
fn drill_cleanup_removes_the_scratch_topic() {
    // A broker of its own: Tansu 0.6.0's DeleteTopics removes every topic.
    let private = support::PrivateBroker::tansu();
    // After its DeleteTopics, Tansu 0.6.0 resets the connection of a topic listing.
    cleanup_case(&private.broker, false);
}

#[test]
fn drill_creates_its_scratch_topic_and_cleans_it_up_on_kafka() {
    cleanup_case(&Broker::kafka(), true);
}

/// `drill --cleanup`; `listing`: also check with confluent-kafka's topic listing.
fn cleanup_case(broker: &Broker, listing: bool) {
    let base = now_ms();
    let topic = seed(broker, base);
    let dir = tempfile::tempdir().unwrap();
    let report = dir.path().join("drill.json");
    kafkaops()
        .args([
            "-b",
            broker.bootstrap(),
            "drill",
            "--topic",
            &topic,
            "--window",
            "5m",
            "--rate",
            "1000/s",
            "--cleanup",
            "--yes",
        ])
        .arg("--report")
        .arg(&report)
        .assert()
        .success();
    let r: serde_json::Value = serde_json::from_slice(&std::fs::read(&report).unwrap()).unwrap();
    assert_eq!(r["scratch_topic_created"], true);
    assert_eq!(r["scratch_topic_removed"], true);
    let dest = r["destination"].as_str().unwrap();
    // The drill created the scratch topic with the source's 3 partitions (its parity
    // covers each), and deleting it is seen by another client too.
    assert_eq!(
        r["parity"]["partitions"].as_array().unwrap().len(),
        3,
        "{r}"
    );
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(15);
    while listing && listed(broker, dest).get(dest).is_some() {
        assert!(
            std::time::Instant::now() < deadline,
            "{}: {dest} is still listed",
            broker.label()
        );
        std::thread::sleep(std::time::Duration::from_millis(300));
    }
    // Tansu drops connections for a moment after DeleteTopics (it deletes more
    // than the topic asked): a transport failure (exit 3) is retried, but the
    // answer must end as "unknown topic" (exit 2).
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(20);
    loop {
        let out = kafkaops()
            .args([
                "-b",
                broker.bootstrap(),
                "topic",
                "describe",
                "--topic",
                dest,
            ])
            .output()
            .unwrap();
        match out.status.code() {
            Some(2) => break,
            Some(3) if std::time::Instant::now() < deadline => {
                std::thread::sleep(std::time::Duration::from_millis(500))
            }
            code => panic!(
                "{}: topic describe of the removed {dest} exited {code:?}: {}",
                broker.label(),
                String::from_utf8_lossy(&out.stderr)
            ),
        }
    }
}

#[test]
fn drill_without_create_topics_says_to_use_to_and_works_with_it() {
    let Some(broker) = Broker::mock_faults(1) else {
        return;
    };
    let base = now_ms();
    let topic = seed(&broker, base);
    kafkaops()
        .args([
            "-b",
            broker.bootstrap(),
            "drill",
            "--topic",
            &topic,
            "--window",
            "15m",
            "--yes",
        ])
        .assert()
        .code(3)
        .stderr(predicate::str::contains("CreateTopics"))
        .stderr(predicate::str::contains("--to"));
    let narrow = support::unique("drill-narrow");
    broker.create_topic(&narrow, 2);
    kafkaops()
        .args([
            "-b",
            broker.bootstrap(),
            "drill",
            "--topic",
            &topic,
            "--window",
            "15m",
            "--to",
            &narrow,
            "--yes",
        ])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("fewer than the 3"));
    let dest = support::unique("drill-dest");
    broker.create_topic(&dest, 3);
    let at = base - 60_000;
    let out = kafkaops()
        .args([
            "-b",
            broker.bootstrap(),
            "-o",
            "json",
            "drill",
            "--topic",
            &topic,
            "--window",
            "15m",
            "--to",
            &dest,
            "--rate",
            "500/s",
            "--yes",
        ])
        .args(["--at", &at.to_string()])
        .assert()
        .success()
        .get_output()
        .clone();
    let r: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(
        r["parity"]["destination_records"],
        in_window(base, at, 900_000)
    );
    assert_eq!(r["scratch_topic_created"], false);
    // The mock broker cannot answer offsets-for-times: the search was used and said so.
    assert!(String::from_utf8_lossy(&out.stderr).contains("binary search"));
}

#[test]
fn drill_needs_yes_without_a_terminal_and_produces_nothing() {
    for broker in support::brokers() {
        let topic = seed(&broker, now_ms());
        let dest = support::unique("drill-dest");
        broker.create_topic(&dest, 3);
        kafkaops()
            .args([
                "-b",
                broker.bootstrap(),
                "drill",
                "--topic",
                &topic,
                "--window",
                "15m",
                "--to",
                &dest,
            ])
            .assert()
            .code(2)
            .stderr(predicate::str::contains("--yes"));
        assert!(broker.consume_all(&dest).is_empty());
    }
}
