//! Replays of a pure offset or time selection, planned from offsets and read once
//! (by the run): the plan states offsets as an upper bound of records and leaves
//! keys and bytes unknown, and the run's result, `replay status`, the audit log
//! and `drill --verify` give the exact records, with the offsets that held none
//! (transaction markers, aborted records, compaction gaps) counted once each,
//! across a kill and a resume too.

use crate::replay::{
    assert_exactly_once, audit_log, cmd, record_count, spawn, status_for, wait_for,
};
use crate::support;

use std::collections::BTreeSet;
use std::path::Path;
use std::time::{Duration, Instant};

use support::{json, Broker, KafkaEnv, Rec};

/// A source topic whose records are small enough for any destination: its
/// `max.message.bytes` plus the provenance headers fits the default limits.
const SMALL_RECORDS: (&str, &str) = ("max.message.bytes", "100000");

fn plan_json(broker: &Broker, args: &[&str]) -> (serde_json::Value, String) {
    let out = cmd(broker)
        .args(["replay", "plan", "-o", "json"])
        .args(args)
        .assert()
        .success();
    let o = out.get_output();
    (
        json(&o.stdout),
        String::from_utf8_lossy(&o.stderr).into_owned(),
    )
}

fn run_json(broker: &Broker, audit: &Path, args: &[&str]) -> (serde_json::Value, String) {
    let out = cmd(broker)
        .args([
            "replay",
            "run",
            "-o",
            "json",
            "--yes",
            "--owner",
            "alice",
            "--reason",
            "once",
            "--rate",
            "unlimited",
        ])
        .arg("--audit-log")
        .arg(audit)
        .args(args)
        .assert()
        .success();
    let o = out.get_output();
    (
        json(&o.stdout),
        String::from_utf8_lossy(&o.stderr).into_owned(),
    )
}

fn events(audit: &Path, name: &str) -> Vec<serde_json::Value> {
    std::fs::read_to_string(audit)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str::<serde_json::Value>(l).unwrap())
        .filter(|e| e["event"] == name)
        .collect()
}

fn offsets_in(plan: &serde_json::Value) -> u64 {
    plan["ranges"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| (r["end"].as_i64().unwrap() - r["start"].as_i64().unwrap()) as u64)
        .sum()
}

/// A plain topic of `n` records over 2 partitions (small records on Apache Kafka).
fn plain_source(broker: &Broker, n: i64) -> (String, String, BTreeSet<(i32, i64)>) {
    let src = support::unique("once-src");
    let dst = support::unique("once-dst");
    if broker.is_mock() {
        broker.create_topic(&src, 2);
    } else {
        broker.create_topic_with(&src, 2, &[SMALL_RECORDS]);
    }
    broker.create_topic(&dst, 2);
    let recs: Vec<Rec> = (0..n)
        .map(|i| Rec::new((i % 2) as i32, &format!("k{}", i % 7), &format!("v{i}")))
        .collect();
    broker.produce(&src, &recs);
    (src, dst, (0..n).map(|i| ((i % 2) as i32, i / 2)).collect())
}

#[test]
fn a_pure_offset_selection_is_planned_from_offsets_and_counted_by_the_run() {
    for broker in support::mock_and_kafka() {
        let label = broker.label();
        let (src, dst, expected) = plain_source(&broker, 40);
        let sel = [
            "--topic",
            &src,
            "--offsets",
            "0:0-19",
            "--offsets",
            "1:0-19",
            "--to",
            &dst,
        ];
        let (p, _) = plan_json(&broker, &sel);
        if broker.is_mock() {
            // The mock cluster does not say how large the source's records can be:
            // only reading finds records too large for the destination.
            assert!(p.get("counted").is_none(), "{label}: {p}");
            assert_eq!(p["blast_radius"]["distinct_keys"], 7, "{label}: {p}");
            assert!(
                p["notes"].to_string().contains("max.message.bytes"),
                "{label}: {p}"
            );
        } else {
            assert_eq!(p["counted"], "offsets", "{label}: {p}");
            assert_eq!(p["records"], 40, "{label}: {p}");
            assert!(p["bytes"].is_null(), "{label}: {p}");
            assert!(p["blast_radius"]["distinct_keys"].is_null(), "{label}: {p}");
            assert!(p["blast_radius"]["null_keys"].is_null(), "{label}: {p}");
            assert_eq!(p["ranges"][0]["records"], 20, "{label}: {p}");
            assert!(p["ranges"][0]["bytes"].is_null(), "{label}: {p}");
            assert_eq!(
                p["blast_radius"]["destination_partitions"][format!("{dst}[1]")],
                20,
                "{label}: {p}"
            );
            assert_eq!(
                p["placement"]["partitions"][1]["records"], 20,
                "{label}: {p}"
            );
            // The table says what the figure is.
            let out = cmd(&broker)
                .args(["replay", "plan"])
                .args(sel)
                .assert()
                .success();
            let text = String::from_utf8_lossy(&out.get_output().stdout).into_owned();
            assert!(
                text.contains("offsets 40 (records <= 40"),
                "{label}: {text}"
            );
            assert!(
                text.contains("distinct keys not counted"),
                "{label}: {text}"
            );
        }
        // A run that skips records too large for the destination never stops
        // half-written on one, so it plans from offsets on either broker.
        let (_d, audit) = audit_log();
        let mut args = sel.to_vec();
        args.push("--skip-oversized");
        let (r, _) = run_json(&broker, &audit, &args);
        assert_eq!(r["planned_from_offsets"], true, "{label}: {r}");
        assert_eq!(r["records_planned"], 40, "{label}: {r}");
        assert_eq!(r["counts"]["sent"], 40, "{label}: {r}");
        assert_eq!(r["counts"]["empty_offsets"], 0, "{label}: {r}");
        let id = r["id"].as_str().unwrap();
        assert_exactly_once(&broker, &dst, id, &expected);
        let fin = &events(&audit, "finished")[0];
        assert_eq!(fin["planned_from_offsets"], true, "{label}: {fin}");
        assert_eq!(fin["records_sent"], 40, "{label}: {fin}");
        assert!(fin.get("empty_offsets").is_none(), "{label}: {fin}");
        let st = status_for(&broker, &dst);
        assert_eq!(st["counts"]["sent"], 40, "{label}: {st}");
    }
}

#[test]
fn a_time_window_is_planned_from_offsets_on_both_brokers() {
    for broker in support::mock_and_kafka() {
        let label = broker.label();
        let src = support::unique("once-win");
        let dst = support::unique("once-win-dst");
        if broker.is_mock() {
            broker.create_topic(&src, 1);
        } else {
            broker.create_topic_with(&src, 1, &[SMALL_RECORDS]);
        }
        broker.create_topic(&dst, 1);
        let base = support::now_ms() - 3_600_000;
        // Ten records a minute apart; on Apache Kafka, whose time index answers
        // for any order of timestamps, also one inside the window's offsets whose
        // timestamp lies outside it: the run skips and counts it. (The mock's
        // search needs timestamps in order.)
        let mut recs: Vec<Rec> = (0..10)
            .map(|i| Rec::new(0, "k", &format!("w{i}")).at(base + i * 60_000))
            .collect();
        let late = u64::from(!broker.is_mock());
        if late == 1 {
            recs.insert(5, Rec::new(0, "k", "late").at(base - 600_000));
        }
        broker.produce(&src, &recs);
        let from = chrono::DateTime::from_timestamp_millis(base + 2 * 60_000)
            .unwrap()
            .to_rfc3339();
        let until = chrono::DateTime::from_timestamp_millis(base + 8 * 60_000)
            .unwrap()
            .to_rfc3339();
        let sel = [
            "--topic",
            &src,
            "--from",
            &from,
            "--until",
            &until,
            "--to",
            &dst,
            "--skip-oversized",
        ];
        let (_d, audit) = audit_log();
        let (r, notes) = run_json(&broker, &audit, &sel);
        if broker.is_mock() {
            assert!(notes.contains("binary search"), "{label}: {notes}");
        }
        // The window's offsets: w2..w7, and the late record.
        assert_eq!(r["planned_from_offsets"], true, "{label}: {r}");
        assert_eq!(r["records_planned"], 6 + late, "{label}: {r}");
        assert_eq!(r["counts"]["sent"], 6, "{label}: {r}");
        assert_eq!(r["counts"]["skipped_outside_window"], late, "{label}: {r}");
        assert_eq!(r["counts"]["empty_offsets"], 0, "{label}: {r}");
        let got: BTreeSet<String> = broker
            .consume_all(&dst)
            .iter()
            .map(|g| String::from_utf8(g.value.clone().unwrap()).unwrap())
            .collect();
        let want: BTreeSet<String> = (2..8).map(|i| format!("w{i}")).collect();
        assert_eq!(got, want, "{label}");
    }
}

/// A topic of committed and aborted transactions (5 records each, a marker per
/// transaction and partition) over 2 partitions of small records.
fn transactional_source(broker: &Broker, plan: &str) -> (String, u64) {
    let src = support::unique("once-txn");
    broker.create_topic_with(&src, 2, &[SMALL_RECORDS]);
    KafkaEnv::shared().transactions(&src, 2, plan);
    let committed = plan.chars().filter(|c| *c == 'c').count() as u64 * 5;
    (src, committed)
}

#[test]
fn transaction_markers_and_aborted_records_are_never_counted_as_records() {
    let broker = Broker::kafka();
    let (src, committed) = transactional_source(&broker, "cacaca");
    let dst = support::unique("once-txn-dst");
    broker.create_topic(&dst, 2);
    let sel = [
        "--topic",
        &src,
        "--offsets",
        "0:0-",
        "--offsets",
        "1:0-",
        "--to",
        &dst,
    ];
    let (p, _) = plan_json(&broker, &sel);
    assert_eq!(p["counted"], "offsets", "{p}");
    let offsets = offsets_in(&p);
    // The plan claims offsets, not records: an upper bound, said as one.
    assert_eq!(p["records"], offsets, "{p}");
    assert!(offsets > committed + 15, "aborted records and markers: {p}");

    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("plan.json");
    std::fs::write(&file, serde_json::to_string(&p).unwrap()).unwrap();
    let (_d, audit) = audit_log();
    let (r, warnings) = run_json(&broker, &audit, &["--plan", file.to_str().unwrap()]);
    assert_eq!(r["counts"]["sent"], committed, "{r}");
    assert_eq!(
        r["counts"]["empty_offsets"],
        offsets - committed,
        "every offset not holding a committed record is empty: {r}"
    );
    assert!(!warnings.contains("source changed"), "{warnings}");
    assert_eq!(broker.consume_all(&dst).len() as u64, committed);
    let fin = &events(&audit, "finished")[0];
    assert_eq!(fin["records_sent"], committed, "{fin}");
    assert_eq!(fin["empty_offsets"], offsets - committed, "{fin}");
    let st = status_for(&broker, &dst);
    assert_eq!(st["counts"]["sent"], committed, "{st}");
    assert_eq!(st["counts"]["empty_offsets"], offsets - committed, "{st}");

    let id = r["id"].as_str().unwrap();
    let out = cmd(&broker)
        .args(["drill", "--verify", id, "-o", "json", "--audit-log"])
        .arg(&audit)
        .assert()
        .success();
    let drill = json(&out.get_output().stdout);
    assert_eq!(drill["passed"], true, "{drill}");
    assert_eq!(drill["parity"]["destination_records"], committed, "{drill}");
    assert_eq!(drill["parity"]["source_records"], committed, "{drill}");
}

#[test]
fn a_killed_replay_planned_from_offsets_resumes_counting_each_offset_once() {
    let broker = Broker::kafka();
    let (src, committed) = transactional_source(&broker, &"cca".repeat(12));
    let dst = support::unique("once-kill-dst");
    broker.create_topic(&dst, 2);
    let (p, _) = plan_json(
        &broker,
        &[
            "--topic",
            &src,
            "--offsets",
            "0:0-",
            "--offsets",
            "1:0-",
            "--to",
            &dst,
        ],
    );
    let offsets = offsets_in(&p);
    let (_d, audit) = audit_log();
    let mut child = spawn(
        &broker,
        &[
            "replay",
            "run",
            "--yes",
            "--owner",
            "alice",
            "--reason",
            "kill test",
            "--audit-log",
            audit.to_str().unwrap(),
            "--topic",
            &src,
            "--offsets",
            "0:0-",
            "--offsets",
            "1:0-",
            "--to",
            &dst,
            "--rate",
            "40/s",
        ],
    );
    wait_for(
        "records in the destination",
        Duration::from_secs(30),
        || record_count(&broker, &dst) >= 30,
    );
    child.kill().unwrap(); // SIGKILL
    child.wait().unwrap();
    assert!(
        (record_count(&broker, &dst) as u64) < committed,
        "the replay finished before it was killed"
    );
    let st = status_for(&broker, &dst);
    assert_eq!(st["state"], "interrupted", "{st}");
    let id = st["id"].as_str().unwrap().to_string();
    let out = cmd(&broker)
        .args([
            "replay",
            "resume",
            &id,
            "--yes",
            "--rate",
            "unlimited",
            "-o",
            "json",
        ])
        .assert()
        .success();
    let r = json(&out.get_output().stdout);
    assert_eq!(r["state"], "completed", "{r}");
    assert_eq!(r["counts"]["sent"], committed, "{r}");
    assert_eq!(r["counts"]["empty_offsets"], offsets - committed, "{r}");
    let got = broker.consume_all(&dst);
    assert_eq!(got.len() as u64, committed, "each record once");
    let expected: BTreeSet<(i32, i64)> = got
        .iter()
        .map(|g| {
            let s =
                String::from_utf8(g.header("kafkaops.replay.source").unwrap().to_vec()).unwrap();
            let mut it = s.rsplitn(3, '/');
            let o = it.next().unwrap().parse().unwrap();
            (it.next().unwrap().parse().unwrap(), o)
        })
        .collect();
    assert_eq!(expected.len() as u64, committed);
    assert_exactly_once(&broker, &dst, &id, &expected);
    let fin = &events(&audit, "finished")[0];
    assert_eq!(fin["empty_offsets"], offsets - committed, "{fin}");
}

#[test]
fn a_compacted_topic_s_gaps_are_counted_as_empty_offsets() {
    let broker = Broker::kafka();
    let src = support::unique("once-compact");
    broker.create_topic_with(
        &src,
        1,
        &[
            SMALL_RECORDS,
            ("cleanup.policy", "compact"),
            ("segment.ms", "100"),
            ("min.cleanable.dirty.ratio", "0.01"),
            ("delete.retention.ms", "100"),
        ],
    );
    // Many versions of few keys, written in several segments; the cleaner
    // compacts the closed ones.
    let started = Instant::now();
    let mut written = 0;
    let mut compacted = false;
    while started.elapsed() < Duration::from_secs(60) {
        let recs: Vec<Rec> = (0..20)
            .map(|i| Rec::new(0, &format!("k{}", i % 4), &format!("v{written}-{i}")))
            .collect();
        broker.produce(&src, &recs);
        written += 20;
        std::thread::sleep(Duration::from_millis(500));
        if (broker.consume_all(&src).len() as i64) < written {
            compacted = true;
            break;
        }
    }
    assert!(
        compacted,
        "the log cleaner did not compact '{src}' within 60 s"
    );
    let dst = support::unique("once-compact-dst");
    broker.create_topic(&dst, 1);
    let (p, notes) = plan_json(
        &broker,
        &["--topic", &src, "--offsets", "0:0-", "--to", &dst],
    );
    assert_eq!(p["counted"], "offsets", "{p}");
    assert!(notes.contains("is compacted"), "{notes}");
    let offsets = offsets_in(&p);
    let (_d, audit) = audit_log();
    let (r, _) = run_json(
        &broker,
        &audit,
        &["--topic", &src, "--offsets", "0:0-", "--to", &dst],
    );
    let sent = r["counts"]["sent"].as_u64().unwrap();
    // Compaction may go on between the plan and the run: what was read is
    // exactly what the destination holds, and every other offset was empty.
    assert_eq!(broker.consume_all(&dst).len() as u64, sent, "{r}");
    assert!(sent < offsets, "{r}\n{p}");
    assert_eq!(r["counts"]["empty_offsets"], offsets - sent, "{r}");
}
