//! Logs that lost records, on Apache Kafka (the only test broker that compacts and
//! deletes): a compacted topic with offset gaps and a topic whose log start moved
//! (DeleteRecords). Plans must count the records that exist, not offset spans; lag
//! counts from the log start and says so; event age is that of the first record the
//! group has yet to read. confluent-kafka says which records exist.

use crate::support;

use std::time::{Duration, Instant};

use serde_json::Value;
use support::{kafkaops, now_ms, Broker, Rec};

/// [partition, offset, timestamp ms] of every record the topic still holds.
fn held(broker: &Broker, topic: &str) -> Vec<(i64, i64, i64)> {
    let out = support::python_file(
        "full_broker_check.py",
        &["records", broker.bootstrap(), topic],
    );
    let v: Vec<(i64, i64, i64)> = serde_json::from_str(&out).unwrap();
    v
}

fn json_of(broker: &Broker, args: &[&str]) -> (Value, String) {
    let out = kafkaops()
        .args(["-b", broker.bootstrap()])
        .args(args)
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr).to_string();
    assert!(out.status.success(), "{args:?}: {stderr}");
    (support::json(&out.stdout), stderr)
}

/// Event age must be now minus `ts`, measured between `before` and `after`.
fn assert_age(v: &Value, ts: i64, before: i64, after: i64) {
    let age = v.as_f64().unwrap_or_else(|| panic!("age is {v}"));
    let (lo, hi) = (
        (before - ts) as f64 / 1000.0 - 1.0,
        (after - ts) as f64 / 1000.0 + 1.0,
    );
    assert!(age >= lo && age <= hi, "age {age} not in [{lo}, {hi}]");
}

#[test]
fn a_compacted_topic_is_planned_and_lagged_by_the_records_it_holds() {
    let broker = Broker::kafka();
    let topic = support::unique("compacted");
    broker.create_topic_with(
        &topic,
        1,
        &[
            ("cleanup.policy", "compact"),
            ("segment.ms", "100"),
            ("min.cleanable.dirty.ratio", "0.01"),
            ("min.compaction.lag.ms", "0"),
            ("delete.retention.ms", "100"),
        ],
    );
    // Five keys written four times: compaction keeps the last write of each.
    let base = now_ms() - 600_000;
    let recs: Vec<Rec> = (0..20i64)
        .map(|i| Rec::new(0, &format!("key-{}", i % 5), &format!("v{i}")).at(base + i * 10_000))
        .collect();
    broker.produce(&topic, &recs);
    // The cleaner never touches the active segment: later writes roll it (segment.ms)
    // until confluent-kafka sees the compaction finished (the broker's cleaner backs
    // off 1 s in scripts/kafka.sh).
    let deadline = Instant::now() + Duration::from_secs(60);
    let mut n = 0;
    let records = loop {
        std::thread::sleep(Duration::from_millis(300));
        n += 1;
        broker.produce(
            &topic,
            &[Rec::new(0, &format!("roll-{n}"), "roll").at(base + 200_000 + n)],
        );
        // Done when one write per key is left: nothing more can be compacted away
        // while the test reads (the roll records have keys of their own).
        let records = held(&broker, &topic);
        if records.iter().filter(|r| r.1 < 20).count() == 5 {
            break records;
        }
        assert!(
            Instant::now() < deadline,
            "the log cleaner never compacted {topic}"
        );
    };
    let high = records.last().unwrap().1 + 1;
    assert!((records.len() as i64) < high, "offset gaps: {records:?}");

    // A plan of the whole topic, and of a window, counts the records that exist.
    let dst = support::unique("compacted-dst");
    broker.create_topic(&dst, 1);
    let (p, _) = json_of(
        &broker,
        &[
            "replay",
            "plan",
            "-o",
            "json",
            "--topic",
            &topic,
            "--to",
            &dst,
            "--offsets",
            "0:0-",
        ],
    );
    assert_eq!(p["records"], records.len(), "{p}");
    // Between the last writes of the keys (offsets 15 to 19, 10 s apart).
    let from = base + 165_000;
    let in_window = records.iter().filter(|r| r.2 >= from).count();
    let from_s = chrono::DateTime::from_timestamp_millis(from)
        .unwrap()
        .to_rfc3339();
    let (p, _) = json_of(
        &broker,
        &[
            "replay", "plan", "-o", "json", "--topic", &topic, "--to", &dst, "--from", &from_s,
        ],
    );
    assert_eq!(p["records"], in_window, "{p}");

    // A group committed inside a gap: lag is the offsets to the log end (as every
    // client counts it), and the event age is that of the next record still held.
    let gap = (0..high)
        .find(|o| !records.iter().any(|r| r.1 == *o))
        .unwrap();
    let next = records.iter().find(|r| r.1 > gap).unwrap();
    let g = support::unique("compacted-grp");
    broker.commit(&g, &topic, &[(0, gap)]);
    let before = now_ms();
    let (v, _) = json_of(
        &broker,
        &["lag", "-o", "json", "--group", &g, "--topic", &topic],
    );
    let after = now_ms();
    let part = &v["groups"][0]["partitions"][0];
    assert_eq!(part["lag"], high - gap, "{part}");
    assert_age(&part["event_age_seconds"], next.2, before, after);
    let theirs: Value = serde_json::from_str(&support::python_file(
        "lag_independent_check.py",
        &[broker.bootstrap(), &g, &topic],
    ))
    .unwrap();
    assert_eq!(part["lag"], theirs[0]["lag"], "{theirs}");
}

#[test]
fn deleted_records_move_the_log_start_and_lag_counts_from_there() {
    let broker = Broker::kafka();
    let topic = support::unique("truncated");
    broker.create_topic(&topic, 1);
    let base = now_ms() - 600_000;
    let recs: Vec<Rec> = (0..10i64)
        .map(|i| Rec::new(0, &format!("k{i}"), &format!("v{i}")).at(base + i * 10_000))
        .collect();
    broker.produce(&topic, &recs);
    let g = support::unique("truncated-grp");
    broker.commit(&g, &topic, &[(0, 2)]);
    let low = support::python_file(
        "full_broker_check.py",
        &["delete-records", broker.bootstrap(), &topic, "0", "6"],
    );
    assert_eq!(low.trim(), "6");

    // Lag from the log start, with a note saying so, and the age of record 6.
    let before = now_ms();
    let (v, stderr) = json_of(
        &broker,
        &["lag", "-o", "json", "--group", &g, "--topic", &topic],
    );
    let after = now_ms();
    let part = &v["groups"][0]["partitions"][0];
    assert_eq!(
        (&part["log_start_offset"], &part["lag"]),
        (&6.into(), &4.into()),
        "{part}"
    );
    let notes = part["notes"].to_string();
    assert!(
        notes.contains("below the log start 6") && notes.contains("lag counted from the log start"),
        "{part} {stderr}"
    );
    assert_age(&part["event_age_seconds"], base + 6 * 10_000, before, after);
    let theirs: Value = serde_json::from_str(&support::python_file(
        "lag_independent_check.py",
        &[broker.bootstrap(), &g, &topic],
    ))
    .unwrap();
    assert_eq!(
        (&part["lag"], &part["log_start_offset"]),
        (&theirs[0]["lag"], &theirs[0]["low"])
    );
    // The table says it too, on stderr.
    let out = kafkaops()
        .args([
            "-b",
            broker.bootstrap(),
            "lag",
            "--group",
            &g,
            "--topic",
            &topic,
        ])
        .output()
        .unwrap();
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("lag counted from the log start"),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );

    // A window from before every record plans the 4 records left, from the log
    // start; offsets below the log start are refused.
    let dst = support::unique("truncated-dst");
    broker.create_topic(&dst, 1);
    let from = chrono::DateTime::from_timestamp_millis(base - 3_600_000)
        .unwrap()
        .to_rfc3339();
    let (p, _) = json_of(
        &broker,
        &[
            "replay", "plan", "-o", "json", "--topic", &topic, "--to", &dst, "--from", &from,
        ],
    );
    assert_eq!(p["records"], 4, "{p}");
    assert_eq!(p["ranges"][0]["start"], 6, "{p}");
    let out = kafkaops()
        .args([
            "-b",
            broker.bootstrap(),
            "replay",
            "plan",
            "--topic",
            &topic,
            "--to",
            &dst,
        ])
        .args(["--offsets", "0:2-"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("the log starts at 6"),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}
