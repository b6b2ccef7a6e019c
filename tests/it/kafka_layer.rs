//! The shared Kafka layer against real brokers: metadata, batched watermarks,
//! offsets-for-times, the bounded record stream, and the typed connectivity errors.
//! Each test runs on the mock cluster, Tansu and Apache Kafka (or on
//! KAFKAOPS_TEST_BROKERS).

use crate::support;

use std::time::{Duration, Instant};

use kafkaops::config::{ConnectionRequest, ConnectionSettings};
use kafkaops::kafka::{Kafka, OffsetRange};
use predicates::prelude::*;
use rdkafka::message::Message;
use support::{brokers, kafkaops, Broker, Rec};

fn kafka_for(broker: &Broker) -> Kafka {
    let req = ConnectionRequest {
        brokers: Some(broker.bootstrap().to_string()),
        timeout: Duration::from_secs(10),
        ..Default::default()
    };
    Kafka::new(&ConnectionSettings::resolve_with(&req, &|_| None).unwrap()).unwrap()
}

/// A whole minute two hours ago: record timestamps must be recent, because a full
/// broker (Apache Kafka, 7 days' retention by default) deletes records whose
/// timestamps are older than the retention as soon as its retention check runs.
fn recent_base() -> i64 {
    (support::now_ms() - 7_200_000) / 60_000 * 60_000
}

/// 3 partitions holding 4, 7 and 0 records; timestamps one minute apart from `base`.
fn seeded(broker: &Broker, base: i64) -> String {
    let topic = support::unique("layer");
    broker.create_topic(&topic, 3);
    let mut recs = Vec::new();
    for i in 0..4 {
        recs.push(Rec::new(0, &format!("k{i}"), &format!("p0-{i}")).at(base + i * 60_000));
    }
    for i in 0..7 {
        recs.push(Rec::new(1, &format!("k{i}"), &format!("p1-{i}")).at(base + i * 60_000));
    }
    broker.produce(&topic, &recs);
    topic
}

#[test]
fn config_check_reports_the_cluster() {
    for broker in brokers() {
        let out = kafkaops()
            .args(["-b", broker.bootstrap(), "config", "check", "-o", "json"])
            .assert()
            .success()
            .get_output()
            .stdout
            .clone();
        let v: serde_json::Value = serde_json::from_slice(&out).unwrap();
        assert!(
            v["broker_count"].as_u64().unwrap() >= 1,
            "{}: {v}",
            broker.label()
        );
        assert_eq!(v["brokers"], broker.bootstrap());
    }
}

#[test]
fn describe_shows_partitions_and_watermarks() {
    for broker in brokers() {
        let topic = seeded(&broker, recent_base());
        let out = kafkaops()
            .args([
                "-b",
                broker.bootstrap(),
                "topic",
                "describe",
                "--topic",
                &topic,
                "-o",
                "json",
            ])
            .assert()
            .success()
            .get_output()
            .stdout
            .clone();
        let v: serde_json::Value = serde_json::from_slice(&out).unwrap();
        let parts = v["partitions"].as_array().unwrap();
        assert_eq!(parts.len(), 3, "{}", broker.label());
        let ends: Vec<i64> = parts
            .iter()
            .map(|p| p["log_end"].as_i64().unwrap())
            .collect();
        assert_eq!(ends, vec![4, 7, 0], "{}", broker.label());
        assert_eq!(v["records"], 11);
        assert!(parts.iter().all(|p| p["leader"].as_i64().unwrap() >= 0));
    }
}

#[test]
fn watermarks_are_batched_and_correct() {
    for broker in brokers() {
        let topic = seeded(&broker, recent_base());
        let kafka = kafka_for(&broker);
        let consumer = kafka.consumer(None).unwrap();
        let marks = kafka.watermarks(&consumer, &topic, &[0, 1, 2]).unwrap();
        let got: Vec<(i32, i64, i64)> =
            marks.iter().map(|w| (w.partition, w.low, w.high)).collect();
        assert_eq!(
            got,
            vec![(0, 0, 4), (1, 0, 7), (2, 0, 0)],
            "{}",
            broker.label()
        );
    }
}

#[test]
fn offsets_for_times_on_full_brokers() {
    for broker in support::full_brokers() {
        offsets_for_times_case(&broker);
    }
}

fn offsets_for_times_case(broker: &Broker) {
    let base = recent_base();
    let topic = seeded(broker, base);
    let kafka = kafka_for(broker);
    let consumer = kafka.consumer(None).unwrap();
    // 2.5 minutes after base: first record at or after is index 3 on both partitions.
    let got = kafka
        .offsets_for_times(&consumer, &topic, &[0, 1], base + 150_000)
        .unwrap();
    assert_eq!(got, vec![(0, Some(3)), (1, Some(3))], "{}", broker.label());
    // Exactly on a timestamp: that record.
    let got = kafka
        .offsets_for_times(&consumer, &topic, &[1], base + 5 * 60_000)
        .unwrap();
    assert_eq!(got, vec![(1, Some(5))]);

    let out = kafkaops()
        .args([
            "-b",
            broker.bootstrap(),
            "topic",
            "describe",
            "--topic",
            &topic,
            "-o",
            "json",
            "--at",
        ])
        .arg((base + 150_000).to_string())
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    let v: serde_json::Value = serde_json::from_slice(&out).unwrap();
    assert_eq!(v["partitions"][0]["offset_at"], 3);
    assert_eq!(v["partitions"][1]["offset_at"], 3);
}

#[test]
fn time_resolves_to_exact_offsets_on_every_broker() {
    use kafkaops::kafka::Lookup;
    for broker in brokers() {
        let base = recent_base();
        let topic = seeded(&broker, base);
        let kafka = kafka_for(&broker);
        let consumer = kafka.consumer(None).unwrap();
        let marks = kafka.watermarks(&consumer, &topic, &[0, 1, 2]).unwrap();
        let at = |ts: i64| -> Vec<(i32, i64)> {
            kafka
                .offsets_at_time(&consumer, &topic, &marks, ts)
                .unwrap()
                .iter()
                .map(|t| (t.partition, t.offset))
                .collect()
        };
        assert_eq!(
            at(base - 1),
            vec![(0, 0), (1, 0), (2, 0)],
            "{}",
            broker.label()
        );
        assert_eq!(at(base), vec![(0, 0), (1, 0), (2, 0)], "{}", broker.label());
        assert_eq!(
            at(base + 150_000),
            vec![(0, 3), (1, 3), (2, 0)],
            "{}",
            broker.label()
        );
        assert_eq!(
            at(base + 5 * 60_000),
            vec![(0, 4), (1, 5), (2, 0)],
            "{}",
            broker.label()
        );
        // After every record: the log end, never 0.
        assert_eq!(
            at(base + 60 * 60_000),
            vec![(0, 4), (1, 7), (2, 0)],
            "{}",
            broker.label()
        );
        let lookups = kafka
            .offsets_at_time(&consumer, &topic, &marks, base + 150_000)
            .unwrap();
        assert_eq!(lookups[2].lookup, Lookup::Empty);
        // The mock broker cannot answer offsets-for-times: the search must have run;
        // a full broker's answer is used (confirmed by a read, never searched).
        let want = if broker.is_mock() {
            Lookup::Search
        } else {
            Lookup::Broker
        };
        assert_eq!(
            (lookups[0].lookup, lookups[1].lookup),
            (want, want),
            "{}",
            broker.label()
        );
    }
}

/// The point reader's policy: the first record at or after each offset, the log
/// end as `End`, and an offset outside the log as a failure (an error from
/// `read_all`, `Unreadable` from `read`), never as the log start.
#[test]
fn point_reader_finds_the_first_record_at_or_after_each_offset() {
    use kafkaops::kafka::Point;
    for broker in brokers() {
        let base = 1_700_000_000_000;
        let topic = seeded(&broker, base);
        let kafka = kafka_for(&broker);
        let reader = kafka.point_reader().unwrap();
        let wanted = [(0, 0), (0, 2), (0, 3), (0, 4), (1, 6), (2, 0)];
        let seen = reader.read_all(&topic, &wanted).unwrap();
        let rec = |offset: i64, minute: i64| Point::Record {
            offset,
            timestamp_ms: Some(base + minute * 60_000),
        };
        let label = broker.label();
        assert_eq!(seen[&(0, 0)], rec(0, 0), "{label}");
        assert_eq!(seen[&(0, 2)], rec(2, 2), "{label}");
        assert_eq!(seen[&(0, 3)], rec(3, 3), "{label}");
        assert_eq!(seen[&(1, 6)], rec(6, 6), "{label}");
        // At the log end, and in an empty partition: nothing, not an error.
        assert_eq!(seen[&(0, 4)], Point::End, "{label}");
        assert_eq!(seen[&(2, 0)], Point::End, "{label}");
        assert_eq!(seen.len(), wanted.len(), "{label}");

        // Past the log end: out of range, never answered with another record.
        let err = match reader.read_all(&topic, &[(0, 40)]) {
            Ok(points) => panic!("{label}: read past the end answered {points:?}"),
            Err(e) => e.to_string(),
        };
        assert!(
            err.contains("deleted while they were being read"),
            "{label}: {err}"
        );
        let req = ConnectionRequest {
            brokers: Some(broker.bootstrap().to_string()),
            timeout: Duration::from_secs(3),
            ..Default::default()
        };
        let quick = Kafka::new(&ConnectionSettings::resolve_with(&req, &|_| None).unwrap())
            .unwrap()
            .point_reader()
            .unwrap();
        let seen = quick.read(&topic, &[(0, 40), (1, 1)]).unwrap();
        assert_eq!(seen[&(0, 40)], Point::Unreadable, "{label}");
        assert_eq!(seen[&(1, 1)], rec(1, 1), "{label}");
    }
}

#[test]
fn offsets_for_times_unanswered_on_mock_is_searched_and_said() {
    let Some(broker) = Broker::mock_faults(1) else {
        return;
    };
    let base = recent_base();
    let topic = seeded(&broker, base);
    let out = kafkaops()
        .args([
            "-b",
            broker.bootstrap(),
            "topic",
            "describe",
            "--topic",
            &topic,
        ])
        .args(["-o", "json", "--at"])
        .arg((base + 150_000).to_string())
        .assert()
        .success()
        .stderr(predicate::str::contains(
            "binary search over record timestamps",
        ))
        .get_output()
        .clone();
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["partitions"][0]["offset_at"], 3);
    assert_eq!(v["partitions"][0]["offset_at_lookup"], "search");
    assert_eq!(v["partitions"][2]["offset_at_lookup"], "empty");
}

/// `topic describe --at` takes the checked path replay and triage use: Tansu answers
/// offsets-for-times with 0 for a time after the last record, which must show as the
/// log end (found by a search, and said), as Kafka's own answer does.
#[test]
fn topic_describe_at_checks_the_brokers_answer() {
    for broker in support::full_brokers() {
        let label = broker.label();
        let base = recent_base();
        let topic = seeded(&broker, base);
        let describe = |at: i64| {
            let out = kafkaops()
                .args([
                    "-b",
                    broker.bootstrap(),
                    "topic",
                    "describe",
                    "--topic",
                    &topic,
                ])
                .args(["-o", "json", "--at"])
                .arg(at.to_string())
                .output()
                .unwrap();
            assert!(out.status.success(), "{label}");
            let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
            (v, String::from_utf8(out.stderr).unwrap())
        };
        // After every record: the log end on each partition.
        let (v, stderr) = describe(base + 3_600_000);
        let offsets: Vec<&serde_json::Value> = v["partitions"]
            .as_array()
            .unwrap()
            .iter()
            .map(|p| &p["offset_at"])
            .collect();
        assert_eq!(offsets, [4, 7, 0], "{label}: {v}");
        assert_eq!(v["partitions"][2]["offset_at_lookup"], "empty");
        let searched = v["partitions"]
            .as_array()
            .unwrap()
            .iter()
            .any(|p| p["offset_at_lookup"] == "search");
        assert_eq!(
            searched,
            stderr.contains("binary search"),
            "{label}: a search is said: {stderr}"
        );
        // Before every record: the log start; between: the first one at or after.
        let (v, _) = describe(base - 60_000);
        assert_eq!(v["partitions"][1]["offset_at"], 0, "{label}");
        let (v, _) = describe(base + 4 * 60_000 + 1);
        assert_eq!(v["partitions"][0]["offset_at"], 4, "{label}: {v}");
        assert_eq!(v["partitions"][1]["offset_at"], 5, "{label}: {v}");
    }
}

#[test]
fn stream_reads_exact_ranges_once() {
    for broker in brokers() {
        let topic = seeded(&broker, recent_base());
        let kafka = kafka_for(&broker);
        let ranges = [
            OffsetRange {
                partition: 0,
                start: 1,
                end: 3,
            },
            OffsetRange {
                partition: 1,
                start: 5,
                end: 100,
            }, // past the log end: stops at the end
            OffsetRange {
                partition: 2,
                start: 0,
                end: 0,
            }, // empty: never assigned
        ];
        let mut stream = kafka.stream(&topic, &ranges).unwrap();
        let mut got = Vec::new();
        while let Some(m) = stream.next_record().unwrap() {
            got.push((
                m.partition(),
                m.offset(),
                String::from_utf8(m.payload().unwrap().to_vec()).unwrap(),
            ));
        }
        got.sort();
        let want = vec![
            (0, 1, "p0-1".to_string()),
            (0, 2, "p0-2".to_string()),
            (1, 5, "p1-5".to_string()),
            (1, 6, "p1-6".to_string()),
        ];
        assert_eq!(got, want, "{}", broker.label());
    }
}

#[test]
fn unknown_topic_exits_2_with_a_suggestion() {
    for broker in brokers() {
        let topic = seeded(&broker, recent_base());
        let typo = &topic[..topic.len() - 1];
        kafkaops()
            .args([
                "-b",
                broker.bootstrap(),
                "topic",
                "describe",
                "--topic",
                typo,
            ])
            .assert()
            .code(2)
            .stderr(predicate::str::contains(format!(
                "topic '{typo}' does not exist"
            )))
            .stderr(predicate::str::contains("did you mean"));
    }
}

#[test]
fn unreachable_broker_exits_3_within_the_timeout() {
    let dead = support::dead_address();
    let started = Instant::now();
    kafkaops()
        .args(["-b", &*dead, "--timeout", "2s", "config", "check"])
        .assert()
        .code(3)
        .stderr(predicate::str::contains(format!(
            "cannot reach the brokers at {dead}"
        )))
        .stderr(predicate::str::contains("hint:"));
    assert!(
        started.elapsed() < Duration::from_secs(15),
        "took {:?}",
        started.elapsed()
    );
}

#[test]
fn broker_outage_on_mock_exits_3() {
    let Some(broker) = Broker::mock_faults(1) else {
        return;
    };
    let topic = seeded(&broker, recent_base());
    let outage = broker.outage(1);
    kafkaops()
        .args([
            "-b",
            broker.bootstrap(),
            "--timeout",
            "2s",
            "topic",
            "describe",
            "--topic",
            &topic,
        ])
        .assert()
        .code(3)
        .stderr(predicate::str::contains("cannot reach the brokers"));
    outage.end();
    kafkaops()
        .args([
            "-b",
            broker.bootstrap(),
            "topic",
            "describe",
            "--topic",
            &topic,
        ])
        .assert()
        .success();
}

#[test]
fn broken_pipe_is_not_an_error() {
    for broker in support::brokers() {
        let topic = seeded(&broker, recent_base());
        let bin = assert_cmd::cargo::cargo_bin("kafkaops");
        let script = format!(
            "set -o pipefail; NO_COLOR=1 '{}' -b {} topic describe --topic {topic} -o jsonl \
             | head -c1 >/dev/null",
            bin.display(),
            broker.bootstrap()
        );
        let status = std::process::Command::new("bash")
            .arg("-c")
            .arg(script)
            .status()
            .unwrap();
        assert!(status.success(), "{}: {status:?}", broker.label());
    }
}
