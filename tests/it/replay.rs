//! `kafkaops replay` and `audit verify` end to end, on real brokers: the mock
//! cluster (fault injection: broker outages), Tansu and Apache Kafka
//! (offsets-for-times, checked against the mock's timestamp search).
//! Every test checks what actually landed in the destination topic.

use crate::support;

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::process::{Child, Command as StdCommand, Stdio};
use std::time::{Duration, Instant};

use kafkaops::dlq::{Classifier, ClassifierOptions, RecordParts};
use rdkafka::config::ClientConfig;
use rdkafka::consumer::{BaseConsumer, Consumer};
use support::{json, kafkaops, kafkaops_std, now_ms, Broker, Got, Rec, Refusal};

const H_ID: &str = "kafkaops.replay.id";
const H_POSITION: &str = "kafkaops.replay.position";
const H_SOURCE: &str = "kafkaops.replay.source";

pub(crate) fn cmd(broker: &Broker) -> assert_cmd::Command {
    let mut c = kafkaops();
    c.args(["-b", broker.bootstrap()]);
    c
}

/// Each test gets its own audit log, so checks of its content are about this test.
pub(crate) fn audit_log() -> (tempfile::TempDir, PathBuf) {
    let d = tempfile::tempdir().unwrap();
    let p = d.path().join("audit.jsonl");
    (d, p)
}

/// `replay plan -o json`.
fn plan(broker: &Broker, args: &[&str]) -> serde_json::Value {
    let out = cmd(broker)
        .args(["replay", "plan", "-o", "json"])
        .args(args)
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    json(&out)
}

/// `replay run --yes` with an owner and a reason; returns the JSON result.
fn run(broker: &Broker, audit: &Path, args: &[&str]) -> serde_json::Value {
    let out = cmd(broker)
        .args([
            "replay", "run", "-o", "json", "--yes", "--owner", "alice", "--reason", "test",
        ])
        .arg("--audit-log")
        .arg(audit)
        .args(args)
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    json(&out)
}

fn values(got: &[Got]) -> BTreeSet<String> {
    got.iter()
        .map(|g| String::from_utf8(g.value.clone().unwrap_or_default()).unwrap())
        .collect()
}

fn header_str(g: &Got, name: &str) -> Option<String> {
    g.header(name)
        .map(|v| String::from_utf8(v.to_vec()).unwrap())
}

/// Source positions written by one replay, in destination order.
fn positions(got: &[Got], id: &str) -> Vec<(i32, i64)> {
    got.iter()
        .filter(|g| header_str(g, H_ID).as_deref() == Some(id))
        .map(|g| {
            let p = header_str(g, H_POSITION).expect("position header");
            let (a, b) = p.split_once(':').unwrap();
            (a.parse().unwrap(), b.parse().unwrap())
        })
        .collect()
}

pub(crate) fn record_count(broker: &Broker, topic: &str) -> i64 {
    let c: BaseConsumer = broker.config().create().unwrap();
    let md = c
        .fetch_metadata(Some(topic), Duration::from_secs(5))
        .unwrap();
    md.topics()[0]
        .partitions()
        .iter()
        .map(|p| {
            let (lo, hi) = c
                .fetch_watermarks(topic, p.id(), Duration::from_secs(5))
                .unwrap();
            hi - lo
        })
        .sum()
}

/// The replay writing to `dest`, from `replay status -o json`.
pub(crate) fn status_for(broker: &Broker, dest: &str) -> serde_json::Value {
    let out = cmd(broker)
        .args(["replay", "status", "-o", "json"])
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    let all = json(&out);
    all.as_array()
        .unwrap()
        .iter()
        .find(|s| s["destination"] == dest)
        .unwrap_or_else(|| panic!("no replay to {dest} in {all}"))
        .clone()
}

/// The real binary as a child process (for kill -9 and Ctrl-C), with the same
/// clean environment as `support::kafkaops()`.
pub(crate) fn spawn(broker: &Broker, args: &[&str]) -> Child {
    let mut c = kafkaops_std();
    c.args(["-b", broker.bootstrap()]);
    spawn_with(c, args)
}

/// [`spawn`] for a command whose connection is already set up (a profile).
pub(crate) fn spawn_with(mut c: StdCommand, args: &[&str]) -> Child {
    c.args(args)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    c.spawn().expect("spawn kafkaops")
}

pub(crate) fn wait_for(what: &str, limit: Duration, mut f: impl FnMut() -> bool) {
    let deadline = Instant::now() + limit;
    while !f() {
        assert!(Instant::now() < deadline, "timed out waiting for {what}");
        std::thread::sleep(Duration::from_millis(50));
    }
}

pub(crate) fn wait_exit(child: &mut Child, limit: Duration) -> i32 {
    let deadline = Instant::now() + limit;
    loop {
        if let Some(st) = child.try_wait().unwrap() {
            return st.code().unwrap_or(-1);
        }
        if Instant::now() > deadline {
            let _ = child.kill();
            panic!("kafkaops did not exit in time");
        }
        std::thread::sleep(Duration::from_millis(50));
    }
}

pub(crate) fn stderr_of(child: Child) -> String {
    let out = child.wait_with_output().unwrap();
    String::from_utf8_lossy(&out.stderr).into_owned()
}

/// A source topic with 3 partitions of 10 keyed records each (`p{P}-{I}`, keys
/// `k{I}`), timestamps one second apart, and one header; and an empty destination.
fn seeded(broker: &Broker, dest_partitions: i32) -> (String, String, i64) {
    let src = support::unique("rp-src");
    let dst = support::unique("rp-dst");
    broker.create_topic(&src, 3);
    broker.create_topic(&dst, dest_partitions);
    let base = now_ms() - 3_600_000;
    let mut recs = Vec::new();
    for p in 0..3 {
        for i in 0..10i64 {
            recs.push(
                Rec::new(p, &format!("k{i}"), &format!("p{p}-{i}"))
                    .at(base + i * 1000)
                    .header("trace", format!("t{p}{i}")),
            );
        }
    }
    broker.produce(&src, &recs);
    (src, dst, base)
}

#[test]
fn plan_and_dry_run_produce_nothing() {
    for broker in support::brokers() {
        let (src, dst, _) = seeded(&broker, 3);
        let p = plan(
            &broker,
            &[
                "--topic",
                &src,
                "--offsets",
                "1:2-5",
                "--to",
                &dst,
                "--rate",
                "2/s",
            ],
        );
        assert_eq!(p["records"], 4);
        assert_eq!(p["ranges"].as_array().unwrap().len(), 1);
        assert_eq!(p["ranges"][0]["partition"], 1);
        assert_eq!(p["ranges"][0]["start"], 2);
        assert_eq!(p["ranges"][0]["end"], 6);
        assert_eq!(p["blast_radius"]["distinct_keys"], 4);
        assert_eq!(
            p["blast_radius"]["destination_partitions"][format!("{dst}[1]")],
            4
        );
        assert_eq!(p["estimated_duration_secs"], 2.0);
        assert!(p["hash"].as_str().unwrap().starts_with("sha256:"));
        assert!(p["cluster_id"].is_string());

        let (_d, audit) = audit_log();
        cmd(&broker)
            .args([
                "replay",
                "run",
                "--dry-run",
                "--topic",
                &src,
                "--offsets",
                "1:2-5",
                "--to",
                &dst,
            ])
            .arg("--audit-log")
            .arg(&audit)
            .assert()
            .success()
            .stderr(predicates::str::contains("dry run"));
        // A table plan names the destination partitions too.
        cmd(&broker)
            .args([
                "replay",
                "plan",
                "--topic",
                &src,
                "--offsets",
                "1:2-5",
                "--to",
                &dst,
            ])
            .assert()
            .success()
            .stdout(predicates::str::contains(format!("{dst}[1]")));
        assert_eq!(
            record_count(&broker, &dst),
            0,
            "{}: plan and dry-run must not produce",
            broker.label()
        );
        assert!(
            !audit.exists(),
            "{}: a dry run is not an action to audit",
            broker.label()
        );
    }
}

#[test]
fn offsets_selection_replays_exactly_those_records_with_provenance() {
    for broker in support::mock_and_kafka() {
        let (src, dst, base) = seeded(&broker, 3);
        let (_d, audit) = audit_log();
        let r = run(
            &broker,
            &audit,
            &[
                "--topic",
                &src,
                "--offsets",
                "1:2-5",
                "--offsets",
                "2:9",
                "--to",
                &dst,
                "--ticket",
                "INC-7",
            ],
        );
        assert_eq!(r["state"], "completed");
        assert_eq!(r["counts"]["sent"], 5);
        let id = r["id"].as_str().unwrap();
        let got = broker.consume_all(&dst);
        assert_eq!(
            values(&got),
            ["p1-2", "p1-3", "p1-4", "p1-5", "p2-9"]
                .iter()
                .map(|s| s.to_string())
                .collect()
        );
        for g in &got {
            let v = String::from_utf8(g.value.clone().unwrap()).unwrap();
            let (p, i) = v[1..].split_once('-').unwrap();
            let (p, i): (i32, i64) = (p.parse().unwrap(), i.parse().unwrap());
            // Same partition, key, timestamp and headers as the source record.
            assert_eq!(g.partition, p);
            assert_eq!(g.key.as_deref(), Some(format!("k{i}").as_bytes()));
            assert_eq!(g.timestamp_ms, Some(base + i * 1000));
            assert_eq!(header_str(g, "trace"), Some(format!("t{p}{i}")));
            // Provenance.
            assert_eq!(header_str(g, H_ID).as_deref(), Some(id));
            assert_eq!(header_str(g, H_SOURCE), Some(format!("{src}/{p}/{i}")));
            assert_eq!(
                header_str(g, "kafkaops.replay.owner").as_deref(),
                Some("alice")
            );
            let t = header_str(g, "kafkaops.replay.time").unwrap();
            chrono::DateTime::parse_from_rfc3339(&t).unwrap();
        }
        let st = status_for(&broker, &dst);
        assert_eq!(st["state"], "completed");
        assert_eq!(st["counts"]["sent"], 5);
        assert_eq!(st["ticket"], "INC-7");
    }
}

#[test]
fn key_selections_replay_exactly_the_matching_records() {
    for broker in support::mock_and_kafka() {
        let (src, dst, _) = seeded(&broker, 3);
        let (_d, audit) = audit_log();
        let dir = tempfile::tempdir().unwrap();
        let keys = dir.path().join("keys.txt");
        std::fs::write(&keys, "# keys\nk3\nhex:6b37\n").unwrap(); // k3, k7
        run(
            &broker,
            &audit,
            &[
                "--topic",
                &src,
                "--keys-file",
                keys.to_str().unwrap(),
                "--partitions",
                "0,2",
                "--to",
                &dst,
            ],
        );
        let got = broker.consume_all(&dst);
        assert_eq!(
            values(&got),
            ["p0-3", "p0-7", "p2-3", "p2-7"]
                .iter()
                .map(|s| s.to_string())
                .collect()
        );

        // Byte-wise range: k1 <= key < k4 ("k10" would sort inside too; there is none).
        let dst2 = support::unique("rp-dst");
        broker.create_topic(&dst2, 3);
        run(
            &broker,
            &audit,
            &[
                "--topic",
                &src,
                "--key-range",
                "k1..k4",
                "--partitions",
                "1",
                "--to",
                &dst2,
            ],
        );
        assert_eq!(
            values(&broker.consume_all(&dst2)),
            ["p1-1", "p1-2", "p1-3"]
                .iter()
                .map(|s| s.to_string())
                .collect()
        );

        // Prefix.
        let dst3 = support::unique("rp-dst");
        broker.create_topic(&dst3, 3);
        run(
            &broker,
            &audit,
            &["--topic", &src, "--key-prefix", "k9", "--to", &dst3],
        );
        assert_eq!(
            values(&broker.consume_all(&dst3)),
            ["p0-9", "p1-9", "p2-9"]
                .iter()
                .map(|s| s.to_string())
                .collect()
        );
    }
}

/// Records placed by librdkafka's default partitioner (crc32 for keyed records)
/// and by the Java-compatible murmur2 partitioner are found by `--partitioner`,
/// which then reads only the partition the key hashes to.
#[test]
fn exact_keys_with_a_partitioner_read_only_their_partition() {
    for broker in support::mock_and_kafka() {
        for (name, librdkafka_name) in [
            ("crc32", "consistent_random"),
            ("murmur2", "murmur2_random"),
        ] {
            let src = support::unique("rp-part");
            let dst = support::unique("rp-dst");
            broker.create_topic(&src, 6);
            broker.create_topic(&dst, 6);
            let producer: rdkafka::producer::BaseProducer = ClientConfig::new()
                .set("bootstrap.servers", broker.bootstrap())
                .set("partitioner", librdkafka_name)
                .create()
                .unwrap();
            for i in 0..60 {
                let key = format!("user-{}", i % 12);
                let val = format!("v{i}");
                producer
                    .send(
                        rdkafka::producer::BaseRecord::<str, str>::to(&src)
                            .key(&key)
                            .payload(&val),
                    )
                    .unwrap();
            }
            rdkafka::producer::Producer::flush(&producer, Duration::from_secs(10)).unwrap();
            let all = broker.consume_all(&src);
            let want: Vec<&Got> = all
                .iter()
                .filter(|g| g.key.as_deref() == Some(b"user-5"))
                .collect();
            assert_eq!(want.len(), 5);
            let home = want[0].partition;
            assert!(want.iter().all(|g| g.partition == home));

            let p = plan(
                &broker,
                &[
                    "--topic",
                    &src,
                    "--key",
                    "user-5",
                    "--partitioner",
                    name,
                    "--to",
                    &dst,
                ],
            );
            assert_eq!(p["records"], 5, "{}: {name}: {p}", broker.label());
            let parts: Vec<i64> = p["ranges"]
                .as_array()
                .unwrap()
                .iter()
                .map(|r| r["partition"].as_i64().unwrap())
                .collect();
            assert_eq!(
                parts,
                vec![home as i64],
                "{}: {name}: only the key's partition is read",
                broker.label()
            );
            // Keyed records go where the same partitioner puts them in the destination.
            assert_eq!(
                p["blast_radius"]["destination_partitions"][format!("{dst}[{home}]")],
                5,
                "{}: {name}: {p}",
                broker.label()
            );
        }
    }
}

fn window_case(broker: &Broker) {
    let src = support::unique("rp-win");
    let dst = support::unique("rp-dst");
    broker.create_topic(&src, 1);
    broker.create_topic(&dst, 1);
    let base = (now_ms() - 7_200_000) / 1000 * 1000;
    let mut recs: Vec<Rec> = Vec::new();
    for i in 0..10i64 {
        recs.push(Rec::new(0, &format!("k{i}"), &format!("m{i}")).at(base + i * 60_000));
        if i == 3 {
            // Out of order: inside the offset range of the window, outside the window.
            recs.push(Rec::new(0, "late", "late").at(base - 1_800_000));
        }
    }
    broker.produce(&src, &recs);
    let t = |m: i64| {
        chrono::DateTime::from_timestamp_millis(base + m * 60_000)
            .unwrap()
            .to_rfc3339()
    };
    let (from, until) = (t(2), t(6));
    let p = plan(
        broker,
        &[
            "--topic", &src, "--from", &from, "--until", &until, "--to", &dst,
        ],
    );
    assert_eq!(p["records"], 4, "{}: {p}", broker.label());
    assert_eq!(p["skipped_outside_window"], 1, "{}: {p}", broker.label());
    let (_d, audit) = audit_log();
    let r = run(
        broker,
        &audit,
        &[
            "--topic", &src, "--from", &from, "--until", &until, "--to", &dst,
        ],
    );
    assert_eq!(r["counts"]["skipped_outside_window"], 1);
    assert_eq!(
        values(&broker.consume_all(&dst)),
        ["m2", "m3", "m4", "m5"]
            .iter()
            .map(|s| s.to_string())
            .collect(),
        "{}",
        broker.label()
    );
}

#[test]
fn time_window_on_the_mock_cluster_uses_a_timestamp_search() {
    // The offsets-for-times quirk is the mock's own; `time_window_on_full_brokers` runs
    // the same window on Tansu and Apache Kafka.
    let broker = Broker::mock(1);
    window_case(&broker);
    // The mock broker cannot answer offsets-for-times: the user is told.
    let src = support::unique("rp-win");
    broker.create_topic(&src, 1);
    broker.produce(&src, &[Rec::new(0, "a", "a").at(now_ms() - 60_000)]);
    if broker.is_mock() {
        cmd(&broker)
            .args([
                "replay",
                "plan",
                "--topic",
                &src,
                "--from",
                "-10m",
                "--to",
                &src,
                "--into-source",
            ])
            .assert()
            .success()
            .stderr(predicates::str::contains("offsets-for-times"));
    }
}

#[test]
fn time_window_on_full_brokers() {
    for broker in support::full_brokers() {
        window_case(&broker);
    }
}

/// `replay plan --topic T --from/--until`: the plan and stderr.
fn window_plan(
    broker: &Broker,
    topic: &str,
    dst: &str,
    from: &str,
    until: &str,
) -> (serde_json::Value, String) {
    let out = cmd(broker)
        .args([
            "replay", "plan", "-o", "json", "--topic", topic, "--to", dst,
        ])
        .args(["--from", from, "--until", until])
        .assert()
        .success()
        .get_output()
        .clone();
    (
        json(&out.stdout),
        String::from_utf8_lossy(&out.stderr).to_string(),
    )
}

#[test]
fn kafka_resolves_windows_by_offsets_for_times_as_the_search_does() {
    let Some(mock) = Broker::mock_faults(1) else {
        return;
    };
    let kafka = Broker::kafka();
    // The same records on both: 3 partitions, pairs of equal timestamps 10 s apart,
    // each partition shifted by a second.
    let base = (now_ms() - 3_600_000) / 1000 * 1000;
    let recs: Vec<Rec> = (0..3)
        .flat_map(|p| {
            (0..40i64).map(move |i| {
                Rec::new(p, &format!("k{i}"), &format!("p{p}-{i}"))
                    .at(base + (i / 2) * 10_000 + p as i64 * 1000)
            })
        })
        .collect();
    let t = |ms: i64| {
        chrono::DateTime::from_timestamp_millis(base + ms)
            .unwrap()
            .to_rfc3339()
    };
    let mut plans = Vec::new();
    for broker in [&mock, &kafka] {
        let (src, dst) = (support::unique("rp-oft"), support::unique("rp-oft-dst"));
        broker.create_topic(&src, 3);
        broker.create_topic(&dst, 3);
        broker.produce(&src, &recs);
        let mut windows = Vec::new();
        // Between timestamps, exactly on one (shared by two records), and past the end.
        for (from, until) in [(35_500, 121_000), (41_000, 150_000), (0, 500_000)] {
            let (p, stderr) = window_plan(broker, &src, &dst, &t(from), &t(until));
            let searched = stderr.contains("binary search");
            assert_eq!(searched, broker.is_mock(), "{}: {stderr}", broker.label());
            if !broker.is_mock() {
                // confluent-kafka's offsets-for-times gives the same bounds.
                let at = |ms: i64| -> serde_json::Value {
                    serde_json::from_str(&support::python_file(
                        "full_broker_check.py",
                        &[
                            "offsets-for-times",
                            broker.bootstrap(),
                            &src,
                            &(base + ms).to_string(),
                        ],
                    ))
                    .unwrap()
                };
                let (starts, ends) = (at(from), at(until));
                for r in p["ranges"].as_array().unwrap() {
                    let part = r["partition"].to_string();
                    assert_eq!(
                        (&r["start"], &r["end"]),
                        (&starts[&part], &ends[&part]),
                        "{r}"
                    );
                }
            }
            let ranges: Vec<(i64, i64, i64, u64)> = p["ranges"]
                .as_array()
                .unwrap()
                .iter()
                .map(|r| {
                    (
                        r["partition"].as_i64().unwrap(),
                        r["start"].as_i64().unwrap(),
                        r["end"].as_i64().unwrap(),
                        r["records"].as_u64().unwrap(),
                    )
                })
                .collect();
            windows.push((ranges, p["records"].clone()));
        }
        plans.push(windows);
    }
    assert_eq!(
        plans[0], plans[1],
        "the search (mock) and offsets-for-times (Kafka) agree"
    );
    // Not a vacuous match: the windows cut the partitions at different offsets.
    assert_ne!(plans[1][0], plans[1][1]);
}

fn connect_dlq_record(
    partition: i32,
    orig_topic: &str,
    orig_partition: i32,
    orig_offset: i64,
    exception: &str,
    key: &str,
) -> Rec {
    Rec::new(
        partition,
        key,
        &format!("{exception}:{orig_partition}:{orig_offset}"),
    )
    .header("__connect.errors.topic", orig_topic)
    .header("__connect.errors.partition", orig_partition.to_string())
    .header("__connect.errors.offset", orig_offset.to_string())
    .header("__connect.errors.exception.class.name", exception)
    .header(
        "__connect.errors.exception.message",
        "failed to convert the record",
    )
    .header("trace", "keep-me")
}

fn category_of(rec: &Rec) -> String {
    let headers: Vec<(&str, Option<&[u8]>)> = rec
        .headers
        .iter()
        .map(|(k, v)| (k.as_str(), v.as_deref()))
        .collect();
    Classifier::new(ClassifierOptions::default())
        .unwrap()
        .category_id(&RecordParts {
            partition: rec.partition.unwrap(),
            key: rec.key.as_deref(),
            value: rec.value.as_deref(),
            headers: &headers,
        })
}

#[test]
fn dlq_category_redrive_goes_back_to_the_original_partitions() {
    for broker in support::mock_and_kafka() {
        let dlq = support::unique("rp-dlq");
        let orig = support::unique("rp-orig");
        broker.create_topic(&dlq, 2);
        broker.create_topic(&orig, 4);
        let mut recs = Vec::new();
        for i in 0..6i64 {
            recs.push(connect_dlq_record(
                (i % 2) as i32,
                &orig,
                (i % 4) as i32,
                100 + i,
                "org.example.DataException",
                &format!("a{i}"),
            ));
            recs.push(connect_dlq_record(
                (i % 2) as i32,
                &orig,
                3,
                200 + i,
                "org.example.TimeoutException",
                &format!("b{i}"),
            ));
        }
        broker.produce(&dlq, &recs);
        let cat_a = category_of(&recs[0]);
        assert_ne!(cat_a, category_of(&recs[1]));

        let p = plan(
            &broker,
            &["--topic", &dlq, "--dlq-category", &cat_a, "--redrive"],
        );
        assert_eq!(p["records"], 6);
        assert_eq!(p["skipped_filtered"], 6);

        let (_d, audit) = audit_log();
        run(
            &broker,
            &audit,
            &["--topic", &dlq, "--dlq-category", &cat_a, "--redrive"],
        );
        let got = broker.consume_all(&orig);
        assert_eq!(got.len(), 6);
        for g in &got {
            let v = String::from_utf8(g.value.clone().unwrap()).unwrap();
            assert!(
                v.starts_with("org.example.DataException:"),
                "{}: {v}",
                broker.label()
            );
            let orig_partition: i32 = v.split(':').nth(1).unwrap().parse().unwrap();
            assert_eq!(
                g.partition,
                orig_partition,
                "{}: back to the original partition",
                broker.label()
            );
            assert!(
                !g.headers
                    .iter()
                    .any(|(k, _)| k.starts_with("__connect.errors.")),
                "{}: DLQ headers stripped: {:?}",
                broker.label(),
                g.headers
            );
            assert_eq!(header_str(g, "trace").as_deref(), Some("keep-me"));
            assert!(header_str(g, H_ID).is_some());
        }

        // --keep-dlq-headers keeps them; a plain --to replay of the other category too.
        let orig2 = support::unique("rp-orig");
        broker.create_topic(&orig2, 4);
        let cat_b = category_of(&recs[1]);
        run(
            &broker,
            &audit,
            &["--topic", &dlq, "--dlq-category", &cat_b, "--to", &orig2],
        );
        let got = broker.consume_all(&orig2);
        assert_eq!(got.len(), 6);
        assert!(got
            .iter()
            .all(|g| g.header("__connect.errors.topic").is_some()));
        assert!(got
            .iter()
            .all(|g| String::from_utf8_lossy(g.value.as_deref().unwrap())
                .starts_with("org.example.TimeoutException")));
    }
}

/// Ad-hoc error headers are DLQ headers too: a redrive strips them like Spring's
/// and Connect's, and keeps them only with `--keep-dlq-headers`.
#[test]
fn redrive_strips_ad_hoc_dlq_headers() {
    for broker in support::mock_and_kafka() {
        let dlq = support::unique("rp-dlq");
        let orig = support::unique("rp-orig");
        broker.create_topic(&dlq, 1);
        broker.create_topic(&orig, 3);
        let ad_hoc = [
            ("x-original-topic", orig.clone()),
            ("x-original-partition", "2".to_string()),
            ("x-original-offset", "41".to_string()),
            ("x-exception", "com.acme.BadThing: it broke".to_string()),
            ("x-error-message", "it broke".to_string()),
            ("error.class", "com.acme.BadThing".to_string()),
        ];
        let recs: Vec<Rec> = (0..3)
            .map(|i| {
                ad_hoc.iter().fold(
                    Rec::new(0, &format!("k{i}"), &format!("v{i}")).header("trace", "keep-me"),
                    |r, (k, v)| r.header(k, v),
                )
            })
            .collect();
        broker.produce(&dlq, &recs);

        let (_d, audit) = audit_log();
        let all = ["--topic", &dlq, "--offsets", "0:0-2", "--redrive"];
        let stripped = run(&broker, &audit, &all);
        // The same records again, on purpose: a second copy must be asked for.
        let kept = run(
            &broker,
            &audit,
            &[&all[..], &["--keep-dlq-headers", "--allow-duplicate"]].concat(),
        );
        let got = broker.consume_all(&orig);
        assert_eq!(got.len(), 6);
        for (result, keep) in [(&stripped, false), (&kept, true)] {
            let id = result["id"].as_str().unwrap();
            let mine: Vec<&Got> = got
                .iter()
                .filter(|g| header_str(g, H_ID).as_deref() == Some(id))
                .collect();
            assert_eq!(mine.len(), 3, "{}: replay {id}", broker.label());
            for g in mine {
                assert_eq!(
                    g.partition,
                    2,
                    "{}: back to x-original-partition",
                    broker.label()
                );
                assert_eq!(header_str(g, "trace").as_deref(), Some("keep-me"));
                for (name, value) in &ad_hoc {
                    let want = keep.then(|| value.clone());
                    assert_eq!(
                        header_str(g, name),
                        want,
                        "{}: {name} (keep: {keep})",
                        broker.label()
                    );
                }
            }
        }
    }
}

#[test]
fn a_dlq_export_file_is_replayed() {
    use kafkaops::dlq::export::Bytes;
    use kafkaops::dlq::{ExportedHeader, ExportedRecord};
    for broker in support::mock_and_kafka() {
        let dst = support::unique("rp-dst");
        broker.create_topic(&dst, 2);
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("export.jsonl");
        let mut text = String::new();
        for i in 0..4i64 {
            let rec = ExportedRecord {
                topic: "orders-dlt".into(),
                partition: (i % 2) as i32,
                offset: 40 + i,
                timestamp_ms: Some(1_700_000_000_000 + i),
                timestamp_type: None,
                key: Some(Bytes::Text(format!("k{i}"))),
                value: Some(if i == 3 {
                    Bytes::Base64(vec![0, 159, 146, 150])
                } else {
                    Bytes::Text(format!("fixed-{i}"))
                }),
                headers: vec![ExportedHeader {
                    name: "h".into(),
                    value: Some(Bytes::Text("x".into())),
                }],
                category: None,
            };
            text.push_str(&rec.to_line());
            text.push('\n');
        }
        std::fs::write(&file, &text).unwrap();
        let (_d, audit) = audit_log();
        run(
            &broker,
            &audit,
            &["--from-file", file.to_str().unwrap(), "--to", &dst],
        );
        let got = broker.consume_all(&dst);
        assert_eq!(got.len(), 4);
        let binary = got
            .iter()
            .find(|g| g.key.as_deref() == Some(b"k3"))
            .unwrap();
        assert_eq!(binary.value.as_deref(), Some(&[0u8, 159, 146, 150][..]));
        assert_eq!(binary.partition, 1);
        assert_eq!(binary.timestamp_ms, Some(1_700_000_000_003));
        assert_eq!(
            header_str(binary, H_SOURCE).as_deref(),
            Some("orders-dlt/1/43")
        );
        assert_eq!(header_str(binary, "h").as_deref(), Some("x"));

        // A plan of the file shows its positions as lines, not as offsets of a
        // partition; planning it again warns that its records were replayed.
        let out = cmd(&broker)
            .args([
                "replay",
                "plan",
                "--from-file",
                file.to_str().unwrap(),
                "--to",
                &dst,
            ])
            .assert()
            .success();
        let stdout = String::from_utf8_lossy(&out.get_output().stdout).into_owned();
        let row = stdout
            .lines()
            .find(|l| l.contains("line 1"))
            .unwrap_or_else(|| panic!("no line numbers in {stdout}"));
        assert!(row.contains("line 4"), "{row}");
        let first_cell = row
            .split(['│', '┆', '|'])
            .map(str::trim)
            .find(|c| !c.is_empty());
        assert_eq!(first_cell, Some("-"), "a file has no partition: {row}");
        let stderr = String::from_utf8_lossy(&out.get_output().stderr).into_owned();
        assert!(stderr.contains("--allow-duplicate"), "{stderr}");

        // An unparseable line is refused with its line number.
        std::fs::write(&file, format!("{text}{{not json\n")).unwrap();
        let dst2 = support::unique("rp-dst");
        broker.create_topic(&dst2, 2);
        cmd(&broker)
            .args([
                "replay",
                "plan",
                "--from-file",
                file.to_str().unwrap(),
                "--to",
                &dst2,
            ])
            .assert()
            .code(2)
            .stderr(predicates::str::contains("line 5"));
    }
}

#[test]
fn the_rate_limit_is_held() {
    for broker in support::mock_and_kafka() {
        let src = support::unique("rp-rate");
        let dst = support::unique("rp-dst");
        broker.create_topic(&src, 1);
        broker.create_topic(&dst, 1);
        let recs: Vec<Rec> = (0..120)
            .map(|i| Rec::new(0, &format!("k{i}"), &format!("v{i}")))
            .collect();
        broker.produce(&src, &recs);
        let (_d, audit) = audit_log();
        let started = Instant::now();
        let r = run(
            &broker,
            &audit,
            &[
                "--topic",
                &src,
                "--offsets",
                "0:0-119",
                "--to",
                &dst,
                "--rate",
                "40/s",
            ],
        );
        let wall = started.elapsed().as_secs_f64();
        let id = r["id"].as_str().unwrap();
        let got = broker.consume_all(&dst);
        assert_eq!(positions(&got, id).len(), 120);
        let times: Vec<i64> = got
            .iter()
            .map(|g| {
                chrono::DateTime::parse_from_rfc3339(
                    &header_str(g, "kafkaops.replay.time").unwrap(),
                )
                .unwrap()
                .timestamp_millis()
            })
            .collect();
        let span = (times.iter().max().unwrap() - times.iter().min().unwrap()) as f64 / 1000.0;
        let achieved = 119.0 / span;
        assert!(
            (achieved - 40.0).abs() / 40.0 < 0.07,
            "{}: achieved {achieved:.1}/s over {span:.2}s, wanted 40/s",
            broker.label()
        );
        assert!(
            wall >= 2.8,
            "{}: 120 records at 40/s took only {wall:.2}s",
            broker.label()
        );
    }
}

#[test]
fn the_audit_log_is_complete_private_and_verifiable() {
    for broker in support::mock_and_kafka() {
        let (src, dst, _) = seeded(&broker, 3);
        let (_d, audit) = audit_log();
        let audit_topic = support::unique("rp-audit");
        broker.create_topic(&audit_topic, 1);
        let r = cmd(&broker)
            .args([
                "-X",
                "sasl.password=hunter2-secret",
                "replay",
                "run",
                "-o",
                "json",
                "--yes",
            ])
            .args([
                "--owner",
                "alice",
                "--reason",
                "reprocess after fix",
                "--ticket",
                "INC-42",
            ])
            .args(["--topic", &src, "--offsets", "0:0-4", "--to", &dst])
            .args(["--audit-topic", &audit_topic])
            .arg("--audit-log")
            .arg(&audit)
            .assert()
            .success()
            .get_output()
            .stdout
            .clone();
        let r = json(&r);
        let text = std::fs::read_to_string(&audit).unwrap();
        assert!(
            !text.contains("hunter2"),
            "{}: a secret reached the audit log",
            broker.label()
        );
        let lines: Vec<serde_json::Value> = text
            .lines()
            .map(|l| serde_json::from_str(l).unwrap())
            .collect();
        let events: Vec<&str> = lines.iter().map(|l| l["event"].as_str().unwrap()).collect();
        assert_eq!(events, ["planned", "started", "finished"]);
        let last = &lines[2];
        assert_eq!(last["outcome"], "completed");
        assert_eq!(last["replay_id"], r["id"]);
        assert_eq!(last["owner"], "alice");
        assert_eq!(last["reason"], "reprocess after fix");
        assert_eq!(last["ticket"], "INC-42");
        assert_eq!(last["records_sent"], 5);
        assert_eq!(last["plan_hash"], r["plan_hash"]);
        assert_eq!(last["destination"], dst.as_str());
        assert!(last["cluster_id"].is_string());
        assert!(
            last["os_user"].is_string()
                && last["host"].is_string()
                && last["tool_version"].is_string()
        );
        assert!(last["duration_secs"].as_f64().is_some());
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            assert_eq!(
                std::fs::metadata(&audit).unwrap().permissions().mode() & 0o777,
                0o600
            );
        }
        // The same events, published to the audit topic.
        let published: Vec<serde_json::Value> = broker
            .consume_all(&audit_topic)
            .iter()
            .map(|g| serde_json::from_slice(g.value.as_deref().unwrap()).unwrap())
            .collect();
        assert_eq!(published, lines);
        // A missing audit topic is refused before anything happens.
        let dst2 = support::unique("rp-dst");
        broker.create_topic(&dst2, 3);
        cmd(&broker)
            .args(["replay", "run", "--yes", "--owner", "a", "--reason", "r"])
            .args(["--audit-topic", "no-such-audit-topic", "--topic", &src])
            .args(["--offsets", "0:0-4", "--to", &dst2])
            .arg("--audit-log")
            .arg(&audit)
            .assert()
            .code(2);
        assert_eq!(record_count(&broker, &dst2), 0);
        assert_eq!(std::fs::read_to_string(&audit).unwrap(), text);
        let verify = || {
            let mut c = kafkaops();
            c.args(["replay", "audit", "verify", "--audit-log"])
                .arg(&audit);
            c
        };
        verify()
            .assert()
            .success()
            .stdout(predicates::str::contains("intact: 3 entries"));

        // An edited line.
        let original = text.clone();
        std::fs::write(
            &audit,
            text.replacen("\"owner\":\"alice\"", "\"owner\":\"bob\"", 1),
        )
        .unwrap();
        verify()
            .assert()
            .code(1)
            .stdout(predicates::str::contains("edited"));
        // A deleted line.
        let kept: Vec<&str> = original
            .lines()
            .enumerate()
            .filter(|(i, _)| *i != 1)
            .map(|(_, l)| l)
            .collect();
        std::fs::write(&audit, kept.join("\n") + "\n").unwrap();
        let out = verify()
            .arg("-o")
            .arg("json")
            .assert()
            .code(1)
            .get_output()
            .stdout
            .clone();
        let v = json(&out);
        assert_eq!(v["ok"], false);
        assert!(!v["problems"].as_array().unwrap().is_empty());
        // The last line deleted.
        let kept: Vec<&str> = original.lines().take(2).collect();
        std::fs::write(&audit, kept.join("\n") + "\n").unwrap();
        verify().assert().code(1);
        std::fs::write(&audit, &original).unwrap();
        verify().assert().success();
    }
}

/// Exactly-once check: every planned source position is in the destination once.
pub(crate) fn assert_exactly_once(
    broker: &Broker,
    dst: &str,
    id: &str,
    expected: &BTreeSet<(i32, i64)>,
) {
    let got = broker.consume_all(dst);
    let pos = positions(&got, id);
    let mut counts: BTreeMap<(i32, i64), usize> = BTreeMap::new();
    for p in &pos {
        *counts.entry(*p).or_default() += 1;
    }
    let dups: Vec<_> = counts.iter().filter(|(_, n)| **n > 1).collect();
    assert!(dups.is_empty(), "records sent twice: {dups:?}");
    let have: BTreeSet<(i32, i64)> = counts.keys().copied().collect();
    assert_eq!(
        &have,
        expected,
        "missing: {:?}",
        expected.difference(&have).collect::<Vec<_>>()
    );
}

pub(crate) fn big_source(broker: &Broker, n: i64) -> (String, String, BTreeSet<(i32, i64)>) {
    let src = support::unique("rp-big");
    let dst = support::unique("rp-dst");
    broker.create_topic(&src, 2);
    broker.create_topic(&dst, 2);
    let recs: Vec<Rec> = (0..n)
        .map(|i| Rec::new((i % 2) as i32, &format!("k{i}"), &format!("v{i}")))
        .collect();
    broker.produce(&src, &recs);
    let expected = (0..n).map(|i| ((i % 2) as i32, i / 2)).collect();
    (src, dst, expected)
}

#[test]
fn a_replay_killed_with_sigkill_resumes_without_duplicates() {
    for broker in support::mock_and_kafka() {
        let (src, dst, expected) = big_source(&broker, 300);
        let (_d, audit) = audit_log();
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
                "kill test",
                "--audit-log",
                audit_s,
                "--topic",
                &src,
                "--offsets",
                "0:0-149",
                "--offsets",
                "1:0-149",
                "--to",
                &dst,
                "--rate",
                "100/s",
            ],
        );
        wait_for(
            "records in the destination",
            Duration::from_secs(30),
            || record_count(&broker, &dst) >= 60,
        );
        child.kill().unwrap(); // SIGKILL
        child.wait().unwrap();
        let before = record_count(&broker, &dst);
        assert!(before < 300, "the replay finished before it was killed");
        let st = status_for(&broker, &dst);
        assert_eq!(st["state"], "interrupted", "{st}");
        let id = st["id"].as_str().unwrap().to_string();

        let out = cmd(&broker)
            .args([
                "replay", "resume", &id, "--yes", "--rate", "1000/s", "-o", "json",
            ])
            .assert()
            .success()
            .get_output()
            .stdout
            .clone();
        let r = json(&out);
        assert_eq!(r["state"], "completed");
        assert_eq!(r["counts"]["sent"], 300);
        // What this attempt sent and the total are separate figures.
        assert_eq!(r["sent_total"], 300);
        let this_time = r["sent_this_attempt"].as_u64().unwrap();
        let found = r["counts"]["already_delivered"].as_u64().unwrap();
        assert!(this_time < 300 && found >= before as u64, "{r}");
        assert_eq!(this_time + found, 300, "{r}");
        assert_exactly_once(&broker, &dst, &id, &expected);
        let events: Vec<String> = std::fs::read_to_string(&audit)
            .unwrap()
            .lines()
            .map(|l| {
                serde_json::from_str::<serde_json::Value>(l).unwrap()["event"]
                    .as_str()
                    .unwrap()
                    .to_string()
            })
            .collect();
        assert_eq!(events, ["planned", "started", "resumed", "finished"]);
        // A completed replay cannot be resumed again.
        cmd(&broker)
            .args(["replay", "resume", &id, "--yes"])
            .assert()
            .code(2);
    }
}

#[test]
fn ctrl_c_stops_cleanly_and_resume_completes() {
    for broker in support::mock_and_kafka() {
        let (src, dst, expected) = big_source(&broker, 200);
        let (_d, audit) = audit_log();
        let audit_s = audit.to_str().unwrap();
        let child = spawn(
            &broker,
            &[
                "replay",
                "run",
                "--yes",
                "--owner",
                "alice",
                "--reason",
                "sigint test",
                "--audit-log",
                audit_s,
                "--topic",
                &src,
                "--offsets",
                "0:0-",
                "--offsets",
                "1:0-",
                "--to",
                &dst,
                "--rate",
                "80/s",
            ],
        );
        wait_for(
            "records in the destination",
            Duration::from_secs(30),
            || record_count(&broker, &dst) >= 40,
        );
        let status = StdCommand::new("kill")
            .args(["-INT", &child.id().to_string()])
            .status()
            .unwrap();
        assert!(status.success());
        let mut child = child;
        let code = wait_exit(&mut child, Duration::from_secs(30));
        let stderr = stderr_of(child);
        assert_eq!(code, 130, "{}: {stderr}", broker.label());
        assert!(
            stderr.contains("replay resume"),
            "{}: {stderr}",
            broker.label()
        );
        let st = status_for(&broker, &dst);
        assert_eq!(st["state"], "interrupted");
        let id = st["id"].as_str().unwrap().to_string();
        let sent_before = st["counts"]["sent"].as_u64().unwrap();
        assert!(sent_before < 200);
        let out = cmd(&broker)
            .args(["replay", "resume", &id, "--yes", "--rate", "2000/s"])
            .assert()
            .success()
            .get_output()
            .stdout
            .clone();
        let text = String::from_utf8(out).unwrap();
        // The records already in the destination are not "sent" by this attempt.
        let in_dest = record_count(&broker, &dst) as u64;
        assert_eq!(in_dest, 200);
        assert!(
            text.contains(" this time") && text.contains("200 of 200 in total"),
            "{text}"
        );
        assert!(!text.contains("200 of 200 records sent"), "{text}");
        assert_exactly_once(&broker, &dst, &id, &expected);
    }
}

/// Events of one replay id in an audit log, as JSON.
fn audit_events(audit: &Path, id: &str) -> Vec<serde_json::Value> {
    std::fs::read_to_string(audit)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str::<serde_json::Value>(l).unwrap())
        .filter(|e| e["replay_id"] == id)
        .collect()
}

#[test]
fn a_plan_run_twice_is_refused_unless_a_second_copy_is_asked_for() {
    for broker in support::mock_and_kafka() {
        let (src, dst, _) = seeded(&broker, 3);
        let dir = tempfile::tempdir().unwrap();
        let plan_file = dir.path().join("plan.json");
        let sel = ["--topic", &src, "--offsets", "1:2-5", "--to", &dst];
        cmd(&broker)
            .args(["replay", "plan"])
            .args(sel)
            .arg("--out")
            .arg(&plan_file)
            .assert()
            .success();
        let plan_s = plan_file.to_str().unwrap();
        let (_d, audit) = audit_log();
        let first = run(&broker, &audit, &["--plan", plan_s]);
        let id = first["id"].as_str().unwrap().to_string();
        assert_eq!(record_count(&broker, &dst), 4);

        // The same plan again: refused before anything is produced or recorded.
        let lines_before = std::fs::read_to_string(&audit).unwrap().lines().count();
        let out = cmd(&broker)
            .args([
                "replay", "run", "--yes", "--owner", "a", "--reason", "again",
            ])
            .args(["--plan", plan_s, "--audit-log"])
            .arg(&audit)
            .assert()
            .code(2);
        let err = String::from_utf8_lossy(&out.get_output().stderr).into_owned();
        assert!(
            err.contains("refusing to replay records a second time"),
            "{err}"
        );
        assert!(
            err.contains(&format!(
                "replay {id} ran this same plan (completed, 4 of 4 records sent)"
            )),
            "{err}"
        );
        assert!(
            err.contains(&format!("kafkaops drill --verify {id}")),
            "{err}"
        );
        assert!(err.contains("--allow-duplicate"), "{err}");
        // The same selection, planned anew (another plan hash), is refused too.
        cmd(&broker)
            .args([
                "replay", "run", "--yes", "--owner", "a", "--reason", "again",
            ])
            .args(sel)
            .arg("--audit-log")
            .arg(&audit)
            .assert()
            .code(2)
            .stderr(predicates::str::contains(format!("replay {id}")));
        assert_eq!(record_count(&broker, &dst), 4, "{}", broker.label());
        let lines_after = std::fs::read_to_string(&audit).unwrap().lines().count();
        assert_eq!(lines_before, lines_after, "a refusal is not an action");

        // Planning and dry runs still work, and warn.
        for args in [
            vec!["replay", "plan"],
            vec!["replay", "run", "--dry-run", "--plan", plan_s],
        ] {
            let mut c = cmd(&broker);
            c.args(&args);
            if args.len() == 2 {
                c.args(sel);
            }
            c.assert()
                .success()
                .stderr(predicates::str::contains(format!("replay {id}")))
                .stderr(predicates::str::contains(
                    "will refuse this plan unless given --allow-duplicate",
                ));
        }

        // Asked for explicitly: a second copy, and the audit log says so.
        let second = run(&broker, &audit, &["--plan", plan_s, "--allow-duplicate"]);
        let id2 = second["id"].as_str().unwrap();
        assert_eq!(second["state"], "completed");
        assert_eq!(second["duplicate_of"], serde_json::json!([id]));
        assert_eq!(first["duplicate_of"], serde_json::json!([]));
        assert_eq!(record_count(&broker, &dst), 8);
        let events = audit_events(&audit, id2);
        assert_eq!(events[0]["event"], "planned");
        for e in &events {
            let reason = e["reason"].as_str().unwrap();
            assert!(
                reason
                    .starts_with("test [--allow-duplicate: a second copy of records replayed by ")
                    && reason.contains(&id),
                "{e}"
            );
        }
        cmd(&broker)
            .args(["audit", "verify", "--audit-log"])
            .arg(&audit)
            .assert()
            .success();
    }
}

#[test]
fn rerunning_a_selection_after_an_interruption_points_at_resume() {
    for broker in support::mock_and_kafka() {
        let (src, dst, expected) = big_source(&broker, 200);
        let (_d, audit) = audit_log();
        let audit_s = audit.to_str().unwrap();
        let sel = [
            "--topic",
            &src,
            "--offsets",
            "0:0-99",
            "--offsets",
            "1:0-99",
            "--to",
            &dst,
        ];
        let mut args = vec![
            "replay",
            "run",
            "--yes",
            "--owner",
            "alice",
            "--reason",
            "interrupted",
            "--audit-log",
            audit_s,
            "--rate",
            "100/s",
        ];
        args.extend(sel);
        let mut child = spawn(&broker, &args);
        wait_for(
            "records in the destination",
            Duration::from_secs(30),
            || record_count(&broker, &dst) >= 30,
        );
        child.kill().unwrap();
        child.wait().unwrap();
        let st = status_for(&broker, &dst);
        let id = st["id"].as_str().unwrap().to_string();
        // Re-running the selection instead of resuming is refused, naming the resume.
        let out = cmd(&broker)
            .args([
                "replay",
                "run",
                "--yes",
                "--owner",
                "a",
                "--reason",
                "rerun",
                "--audit-log",
                audit_s,
            ])
            .args(sel)
            .assert()
            .code(2);
        let err = String::from_utf8_lossy(&out.get_output().stderr).into_owned();
        assert!(
            err.contains(&format!("replay {id}")) && err.contains("(interrupted, "),
            "{err}"
        );
        assert!(
            err.contains(&format!("kafkaops replay resume {id}")),
            "{err}"
        );
        // Another window of the same source overlapping it is refused as well.
        cmd(&broker)
            .args([
                "replay",
                "run",
                "--yes",
                "--owner",
                "a",
                "--reason",
                "rerun",
                "--audit-log",
                audit_s,
            ])
            .args(["--topic", &src, "--offsets", "0:50-", "--to", &dst])
            .assert()
            .code(2)
            .stderr(predicates::str::contains(format!("replay resume {id}")));
        cmd(&broker)
            .args(["replay", "resume", &id, "--yes", "--rate", "2000/s"])
            .assert()
            .success();
        assert_exactly_once(&broker, &dst, &id, &expected);
    }
}

#[test]
fn a_destination_holding_provenance_of_the_records_is_refused() {
    for broker in support::mock_and_kafka() {
        let (src, dst, _) = seeded(&broker, 3);
        // Another machine's replay: its state is not in this machine's state dir.
        let other_state = tempfile::tempdir().unwrap();
        let (_d, audit) = audit_log();
        let sel = [
            "--topic",
            &src,
            "--offsets",
            "0:0-9",
            "--offsets",
            "2:0-9",
            "--to",
            &dst,
        ];
        let out = cmd(&broker)
            .env("XDG_STATE_HOME", other_state.path())
            .args([
                "replay",
                "run",
                "-o",
                "json",
                "--yes",
                "--owner",
                "bob",
                "--reason",
                "elsewhere",
            ])
            .arg("--audit-log")
            .arg(&audit)
            .args(sel)
            .args(["--key", "k1"])
            .assert()
            .success()
            .get_output()
            .stdout
            .clone();
        let other = json(&out);
        let other_id = other["id"].as_str().unwrap();
        assert_eq!(other["counts"]["sent"], 2);
        // Here: the whole ranges would copy k1's two records again.
        let out = cmd(&broker)
            .args(["replay", "run", "--yes", "--owner", "a", "--reason", "r"])
            .arg("--audit-log")
            .arg(&audit)
            .args(sel)
            .assert()
            .code(2);
        let err = String::from_utf8_lossy(&out.get_output().stderr).into_owned();
        assert!(
            err.contains(&format!(
                "'{dst}' already holds 2 of these records written by replay {other_id} (not in this machine's replay states)"
            )),
            "{err}"
        );
        assert_eq!(record_count(&broker, &dst), 2);
        // Other keys in the same ranges are other records: not refused.
        let k2 = run(&broker, &audit, &[&sel[..], &["--key", "k2"][..]].concat());
        assert_eq!(k2["counts"]["sent"], 2, "{}", broker.label());
        assert_eq!(record_count(&broker, &dst), 4);
    }
}

/// A source of five records, two of them of 30,000 bytes, and an empty destination.
fn with_large_records(broker: &Broker, dst_configs: &[(&str, &str)]) -> (String, String) {
    let src = support::unique("rp-big-records");
    let dst = support::unique("rp-dst");
    broker.create_topic(&src, 1);
    broker.create_topic_with(&dst, 1, dst_configs);
    let recs: Vec<Rec> = (0..5)
        .map(|i| {
            let size = if i == 1 || i == 3 { 30_000 } else { 100 };
            Rec::new(0, &format!("k{i}"), &"x".repeat(size))
        })
        .collect();
    broker.produce(&src, &recs);
    (src, dst)
}

#[test]
fn records_larger_than_the_topic_accepts_are_flagged_refused_or_skipped() {
    let broker = Broker::kafka();
    let (src, dst) = with_large_records(&broker, &[("max.message.bytes", "20000")]);
    let sel = ["--topic", &src, "--offsets", "0:0-4", "--to", &dst];
    let p = plan(&broker, &sel);
    assert_eq!(p["records"], 5);
    let o = &p["oversized"];
    assert_eq!(o["records"], 2, "{p}");
    assert_eq!(o["topic"], dst.as_str());
    assert_eq!(o["limit"]["bytes"], 20000);
    assert_eq!(o["limit"]["setting"], "topic");
    assert!(o["largest_bytes"].as_u64().unwrap() > 30_000, "{o}");

    let (_d, audit) = audit_log();
    let out = cmd(&broker)
        .args([
            "replay",
            "run",
            "--yes",
            "--owner",
            "a",
            "--reason",
            "r",
            "--audit-log",
        ])
        .arg(&audit)
        .args(sel)
        .assert()
        .code(2);
    let err = String::from_utf8_lossy(&out.get_output().stderr).into_owned();
    assert!(
        err.contains("2 record(s) larger than the destination accepts")
            && err.contains(&format!("max.message.bytes of topic '{dst}'"))
            && err.contains("--skip-oversized"),
        "{err}"
    );
    assert_eq!(record_count(&broker, &dst), 0);

    // Skipped when asked, and reported as skipped; the small ones go through in
    // batches the topic accepts.
    let r = run(
        &broker,
        &audit,
        &[&sel[..], &["--skip-oversized"][..]].concat(),
    );
    assert_eq!(r["state"], "completed");
    assert_eq!(r["counts"]["sent"], 3);
    assert_eq!(r["counts"]["skipped_oversized"], 2);
    assert_eq!(r["remaining"], 0);
    assert_eq!(record_count(&broker, &dst), 3);
}

#[test]
fn records_larger_than_the_producer_sends_are_flagged_and_a_late_failure_names_the_setting() {
    use predicates::prelude::PredicateBooleanExt;
    for broker in support::mock_and_kafka() {
        let (src, dst) = with_large_records(&broker, &[]);
        let sel = ["--topic", &src, "--offsets", "0:0-4", "--to", &dst];
        let small = ["-X", "message.max.bytes=20000"];
        let out = cmd(&broker)
            .args(small)
            .args(["replay", "plan", "-o", "json"])
            .args(sel)
            .assert()
            .success()
            .get_output()
            .stdout
            .clone();
        let p = json(&out);
        assert_eq!(p["oversized"]["records"], 2, "{}: {p}", broker.label());
        assert_eq!(p["oversized"]["limit"]["setting"], "producer");
        assert_eq!(p["oversized"]["limit"]["bytes"], 20000);
        // Without the small limit, nothing is flagged...
        let dir = tempfile::tempdir().unwrap();
        let plan_file = dir.path().join("plan.json");
        cmd(&broker)
            .args(["replay", "plan"])
            .args(sel)
            .arg("--out")
            .arg(&plan_file)
            .assert()
            .success()
            .stdout(predicates::str::contains("too large").not());
        // ...so running that plan under the small limit fails mid-replay, with a
        // hint that names the setting rather than the brokers.
        let (_d, audit) = audit_log();
        let out = cmd(&broker)
            .args(small)
            .args([
                "replay",
                "run",
                "--yes",
                "--owner",
                "a",
                "--reason",
                "r",
                "--audit-log",
            ])
            .arg(&audit)
            .arg("--plan")
            .arg(&plan_file)
            .assert()
            .code(4);
        let err = String::from_utf8_lossy(&out.get_output().stderr).into_owned();
        assert!(
            err.contains("-X message.max.bytes"),
            "{}: {err}",
            broker.label()
        );
        assert!(err.contains("max.message.bytes"), "{err}");
        assert!(!err.contains("brokers are up"), "{err}");
    }
}

#[test]
fn rate_spellings() {
    let broker = Broker::mock(1);
    let (src, dst, _) = seeded(&broker, 3);
    for (rate, wanted) in [
        ("inf/s", "at most 1000000/s"),
        ("infinity", "at most 1000000/s"),
        ("2000000/s", "above 1000000/s"),
        ("0/s", "greater than zero"),
    ] {
        cmd(&broker)
            .args([
                "replay",
                "plan",
                "--topic",
                &src,
                "--offsets",
                "0:0-1",
                "--to",
                &dst,
            ])
            .args(["--rate", rate])
            .assert()
            .code(2)
            .stderr(predicates::str::contains(wanted))
            .stderr(predicates::str::contains("--rate unlimited"));
    }
    let p = plan(
        &broker,
        &[
            "--topic",
            &src,
            "--offsets",
            "0:0-1",
            "--to",
            &dst,
            "--rate",
            "unlimited",
        ],
    );
    assert_eq!(p["rate"]["records_per_sec"], "unlimited");
    // --bytes-rate alone keeps the plan's records rate (it once fell back to 1000/s).
    let dir = tempfile::tempdir().unwrap();
    let plan_file = dir.path().join("plan.json");
    cmd(&broker)
        .args([
            "replay",
            "plan",
            "--topic",
            &src,
            "--offsets",
            "0:0-1",
            "--to",
            &dst,
        ])
        .args(["--rate", "5/s", "--out"])
        .arg(&plan_file)
        .assert()
        .success();
    let out = cmd(&broker)
        .args([
            "replay",
            "run",
            "--dry-run",
            "-o",
            "json",
            "--bytes-rate",
            "1MiB/s",
            "--plan",
        ])
        .arg(&plan_file)
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    let r = json(&out);
    assert_eq!(r["rate"]["records_per_sec"], 5.0, "{r}");
    assert_eq!(r["rate"]["bytes_per_sec"], 1_048_576);
}

#[test]
fn a_broker_outage_mid_replay_then_resume_leaves_each_record_once() {
    let Some(broker) = Broker::mock_faults(1) else {
        return;
    };
    let (src, dst, expected) = big_source(&broker, 200);
    let (_d, audit) = audit_log();
    let audit_s = audit.to_str().unwrap();
    let mut child = spawn(
        &broker,
        &[
            "--timeout",
            "2s",
            "-X",
            "message.timeout.ms=3000",
            "replay",
            "run",
            "--yes",
            "--owner",
            "alice",
            "--reason",
            "outage",
            "--audit-log",
            audit_s,
            "--topic",
            &src,
            "--offsets",
            "0:0-",
            "--offsets",
            "1:0-",
            "--to",
            &dst,
            "--rate",
            "50/s",
        ],
    );
    wait_for(
        "records in the destination",
        Duration::from_secs(30),
        || record_count(&broker, &dst) >= 40,
    );
    let outage = broker.outage(1);
    std::thread::sleep(Duration::from_secs(6));
    outage.end();
    let code = wait_exit(&mut child, Duration::from_secs(90));
    let stderr = stderr_of(child);
    let st = status_for(&broker, &dst);
    let id = st["id"].as_str().unwrap().to_string();
    eprintln!("outage run exited {code}: {stderr}");
    if code != 0 {
        assert_eq!(code, 4, "{stderr}");
        assert_eq!(st["state"], "failed", "{st}");
        assert!(stderr.contains("replay resume"), "{stderr}");
        cmd(&broker)
            .args(["replay", "resume", &id, "--yes", "--rate", "2000/s"])
            .assert()
            .success();
    }
    assert_exactly_once(&broker, &dst, &id, &expected);
}

#[test]
fn bad_input_is_refused_and_nothing_is_produced() {
    for broker in support::mock_and_kafka() {
        let (src, dst, base) = seeded(&broker, 3);
        let (_d, audit) = audit_log();
        let dir = tempfile::tempdir().unwrap();
        let bad_keys = dir.path().join("keys.txt");
        std::fs::write(&bad_keys, "k1\nhex:zz\n").unwrap();
        let old_from = chrono::DateTime::from_timestamp_millis(base - 86_400_000)
            .unwrap()
            .to_rfc3339();
        let old_until = chrono::DateTime::from_timestamp_millis(base - 3_600_000)
            .unwrap()
            .to_rfc3339();
        let missing = support::unique("rp-missing");
        let refuse = |case, args, stderr| Refusal {
            case,
            args,
            code: 2,
            stderr: vec![stderr],
        };
        // Each after `replay run --yes --owner a --reason r --audit-log FILE`.
        let cases = [
            refuse(
                "inverted window",
                vec![
                    "--topic", &src, "--from", "now", "--until", "-1h", "--to", &dst,
                ],
                "inverted",
            ),
            refuse(
                "missing partition",
                vec![
                    "--topic",
                    &src,
                    "--partitions",
                    "7",
                    "--from",
                    "-1d",
                    "--to",
                    &dst,
                ],
                "partition 7 does not exist",
            ),
            refuse(
                "offsets past the end",
                vec!["--topic", &src, "--offsets", "1:5-999", "--to", &dst],
                "out of range",
            ),
            refuse(
                "bad line in the keys file",
                vec![
                    "--topic",
                    &src,
                    "--keys-file",
                    bad_keys.to_str().unwrap(),
                    "--to",
                    &dst,
                ],
                "keys.txt:2",
            ),
            refuse(
                "missing destination topic",
                vec!["--topic", &src, "--offsets", "1:0-3", "--to", &missing],
                "does not exist",
            ),
            refuse(
                "no destination",
                vec!["--topic", &src, "--offsets", "1:0-3"],
                "no destination",
            ),
            refuse(
                "no selection",
                vec!["--topic", &src, "--to", &dst],
                "unbounded",
            ),
            refuse(
                "window before the earliest record",
                vec![
                    "--topic", &src, "--from", &old_from, "--until", &old_until, "--to", &dst,
                ],
                "before the earliest record",
            ),
            refuse(
                "destination is the source",
                vec!["--topic", &src, "--offsets", "1:0-3", "--to", &src],
                "--into-source",
            ),
        ];
        for c in &cases {
            let out = c.check(cmd(&broker).args([
                "replay",
                "run",
                "--yes",
                "--owner",
                "a",
                "--reason",
                "r",
                "--audit-log",
                audit.to_str().unwrap(),
            ]));
            let stderr = String::from_utf8_lossy(&out.stderr);
            assert!(
                stderr.contains("hint:"),
                "{}: {}: no hint in: {stderr}",
                broker.label(),
                c.case
            );
        }

        // Plan files: the one written here, an edited copy, and one made for another cluster.
        let plan_file = dir.path().join("plan.json");
        cmd(&broker)
            .args([
                "replay",
                "plan",
                "--topic",
                &src,
                "--offsets",
                "1:0-5",
                "--to",
                &dst,
                "--out",
            ])
            .arg(&plan_file)
            .assert()
            .success();
        let text = std::fs::read_to_string(&plan_file).unwrap();
        let edited = dir.path().join("edited.json");
        std::fs::write(&edited, text.replace("\"end\": 6", "\"end\": 10")).unwrap();
        assert_ne!(std::fs::read_to_string(&edited).unwrap(), text);
        let mut other: kafkaops::replay::plan::Plan = serde_json::from_str(&text).unwrap();
        other.cluster_id = Some("some-other-cluster".into());
        let other = other.seal();
        let other_file = dir.path().join("other.json");
        std::fs::write(&other_file, other.to_json()).unwrap();

        let dead = support::dead_address();
        let cases = [
            Refusal {
                case: "unreachable brokers",
                args: vec![
                    "-b",
                    &*dead,
                    "--timeout",
                    "2s",
                    "replay",
                    "plan",
                    "--topic",
                    &src,
                    "--offsets",
                    "1:0-3",
                    "--to",
                    &dst,
                ],
                code: 3,
                stderr: vec![],
            },
            Refusal {
                case: "above the ceiling",
                args: vec![
                    "-b",
                    broker.bootstrap(),
                    "replay",
                    "run",
                    "--yes",
                    "--owner",
                    "a",
                    "--reason",
                    "r",
                    "--max-records",
                    "3",
                    "--topic",
                    &src,
                    "--offsets",
                    "1:0-5",
                    "--to",
                    &dst,
                ],
                code: 2,
                stderr: vec!["--max-records"],
            },
            Refusal {
                case: "no --yes on a non-terminal",
                args: vec![
                    "-b",
                    broker.bootstrap(),
                    "replay",
                    "run",
                    "--owner",
                    "a",
                    "--reason",
                    "r",
                    "--topic",
                    &src,
                    "--offsets",
                    "1:0-5",
                    "--to",
                    &dst,
                ],
                code: 2,
                stderr: vec!["--yes"],
            },
            Refusal {
                case: "edited plan file",
                args: vec![
                    "-b",
                    broker.bootstrap(),
                    "replay",
                    "run",
                    "--yes",
                    "--owner",
                    "a",
                    "--reason",
                    "r",
                    "--plan",
                    edited.to_str().unwrap(),
                ],
                code: 2,
                stderr: vec!["modified"],
            },
            Refusal {
                case: "plan for another cluster",
                args: vec![
                    "-b",
                    broker.bootstrap(),
                    "replay",
                    "run",
                    "--yes",
                    "--owner",
                    "a",
                    "--reason",
                    "r",
                    "--plan",
                    other_file.to_str().unwrap(),
                ],
                code: 2,
                stderr: vec!["some-other-cluster"],
            },
        ];
        for c in &cases {
            c.check(&mut kafkaops());
        }

        assert_eq!(
            record_count(&broker, &dst),
            0,
            "{}: bad input must produce nothing",
            broker.label()
        );

        // The untouched plan file runs.
        cmd(&broker)
            .args([
                "replay", "run", "--yes", "--owner", "a", "--reason", "r", "--plan",
            ])
            .arg(&plan_file)
            .assert()
            .success();
        assert_eq!(values(&broker.consume_all(&dst)).len(), 6);
    }
}

#[test]
fn the_profile_names_the_audit_log() {
    for broker in support::brokers() {
        let (src, dst, _) = seeded(&broker, 3);
        let dir = tempfile::tempdir().unwrap();
        let audit = dir.path().join("logs/prod-audit.jsonl");
        let config = dir.path().join("config.toml");
        std::fs::write(
            &config,
            format!(
                "[profiles.prod]\nbrokers = \"{}\"\naudit_log = \"{}\"\n",
                broker.bootstrap(),
                audit.display()
            ),
        )
        .unwrap();
        kafkaops()
            .env("KAFKAOPS_CONFIG", &config)
            .args([
                "--profile",
                "prod",
                "replay",
                "run",
                "--yes",
                "--owner",
                "a",
                "--reason",
                "r",
            ])
            .args(["--topic", &src, "--offsets", "2:0-1", "--to", &dst])
            .assert()
            .success();
        let text = std::fs::read_to_string(&audit).expect("audit log at the profile's path");
        assert_eq!(text.lines().count(), 3);
        kafkaops()
            .env("KAFKAOPS_CONFIG", &config)
            .args(["--profile", "prod", "replay", "audit", "verify"])
            .assert()
            .success()
            .stdout(predicates::str::contains("prod-audit.jsonl"));
    }
}

#[test]
fn the_byte_rate_limit_is_held() {
    for broker in support::mock_and_kafka() {
        let src = support::unique("rp-brate");
        let dst = support::unique("rp-dst");
        broker.create_topic(&src, 1);
        broker.create_topic(&dst, 1);
        // 30 records of exactly 500 bytes (3-byte key + 497-byte value, no headers).
        let recs: Vec<Rec> = (10..40)
            .map(|i| Rec::new(0, &format!("k{i}"), &"x".repeat(497)))
            .collect();
        broker.produce(&src, &recs);
        let (_d, audit) = audit_log();
        let r = run(
            &broker,
            &audit,
            &[
                "--topic",
                &src,
                "--offsets",
                "0:0-29",
                "--to",
                &dst,
                "--bytes-rate",
                "6000/s",
            ],
        );
        let id = r["id"].as_str().unwrap();
        let got = broker.consume_all(&dst);
        assert_eq!(positions(&got, id).len(), 30);
        let times: Vec<i64> = got
            .iter()
            .map(|g| {
                chrono::DateTime::parse_from_rfc3339(
                    &header_str(g, "kafkaops.replay.time").unwrap(),
                )
                .unwrap()
                .timestamp_millis()
            })
            .collect();
        let span = (times.iter().max().unwrap() - times.iter().min().unwrap()) as f64 / 1000.0;
        // 6000 B/s over 500-byte records is 12 records/s.
        let achieved = 29.0 / span;
        assert!(
            (achieved - 12.0).abs() / 12.0 < 0.08,
            "{}: achieved {achieved:.2} records/s over {span:.2}s, wanted 12/s",
            broker.label()
        );
    }
}

/// Runs kafkaops on a pseudo-terminal (util-linux `script`), answers the
/// confirmation prompt, and returns (exit code, terminal output).
pub(crate) fn on_a_terminal(broker: &Broker, args: &[&str], answer: &str) -> Option<(i32, String)> {
    use std::io::{Read, Write};
    if StdCommand::new("script").arg("--version").output().is_err() {
        eprintln!("skipping the terminal test: util-linux `script` is not installed");
        return None;
    }
    let bin = assert_cmd::cargo::cargo_bin("kafkaops");
    let quote = |s: &str| format!("'{}'", s.replace('\'', r"'\''"));
    let mut line = format!(
        "{} -b {}",
        quote(bin.to_str().unwrap()),
        quote(broker.bootstrap())
    );
    for a in args {
        line.push(' ');
        line.push_str(&quote(a));
    }
    let mut child = support::clean_env(&mut StdCommand::new("script"))
        .args(["-qec", &line, "/dev/null"])
        .env("TERM", "dumb")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn script");
    let mut stdout = child.stdout.take().unwrap();
    let seen = std::sync::Arc::new(std::sync::Mutex::new(Vec::new()));
    let s2 = seen.clone();
    let reader = std::thread::spawn(move || {
        let mut buf = [0u8; 4096];
        while let Ok(n) = stdout.read(&mut buf) {
            if n == 0 {
                break;
            }
            s2.lock().unwrap().extend_from_slice(&buf[..n]);
        }
    });
    let mut stdin = child.stdin.take().unwrap();
    wait_for("the confirmation prompt", Duration::from_secs(30), || {
        String::from_utf8_lossy(&seen.lock().unwrap()).contains("[y/N]")
    });
    stdin.write_all(answer.as_bytes()).unwrap();
    stdin.flush().unwrap();
    let code = wait_exit(&mut child, Duration::from_secs(60));
    drop(stdin);
    reader.join().unwrap();
    let text = String::from_utf8_lossy(&seen.lock().unwrap()).into_owned();
    Some((code, text))
}

#[test]
fn a_terminal_is_asked_for_confirmation() {
    for broker in support::mock_and_kafka() {
        let (src, dst, _) = seeded(&broker, 3);
        let (_d, audit) = audit_log();
        let audit_s = audit.to_str().unwrap().to_string();
        let args = [
            "replay",
            "run",
            "--owner",
            "alice",
            "--reason",
            "tty",
            "--audit-log",
            &audit_s,
            "--topic",
            &src,
            "--offsets",
            "0:0-2",
            "--to",
            &dst,
        ];
        let Some((code, text)) = on_a_terminal(&broker, &args, "n\n") else {
            return;
        };
        assert_eq!(code, 4, "{}: {text}", broker.label());
        assert!(
            text.contains(&format!("replay 3 records into {dst}")),
            "{}: {text}",
            broker.label()
        );
        assert!(text.contains("aborted"), "{}: {text}", broker.label());
        assert_eq!(record_count(&broker, &dst), 0);
        let audit_text = std::fs::read_to_string(&audit).unwrap();
        assert!(
            audit_text.contains("\"outcome\":\"aborted\""),
            "{}: {audit_text}",
            broker.label()
        );

        let Some((code, text)) = on_a_terminal(&broker, &args, "y\n") else {
            return;
        };
        assert_eq!(code, 0, "{}: {text}", broker.label());
        assert_eq!(
            values(&broker.consume_all(&dst)),
            ["p0-0", "p0-1", "p0-2"]
                .iter()
                .map(|s| s.to_string())
                .collect()
        );
    }
}

/// A DLQ that follows no convention: triage is told where the reason and the original
/// topic are, and replay, told the same, selects the same category and redrives it to
/// the topic the header names.
#[test]
fn dlq_hints_make_replay_agree_with_triage() {
    for broker in support::mock_and_kafka() {
        let dlq = support::unique("adhoc-dlq");
        let home = support::unique("adhoc-home");
        broker.create_topic(&dlq, 2);
        broker.create_topic(&home, 2);
        let recs: Vec<Rec> = (0..12)
            .map(|i| {
                let why = if i % 3 == 0 {
                    format!("quota exceeded for tenant {i}")
                } else {
                    format!("bad currency 'X{i}'")
                };
                Rec::new(i % 2, &format!("k{i}"), &format!("v{i}"))
                    .header("why", why)
                    .header("came-from", &home)
            })
            .collect();
        broker.produce(&dlq, &recs);
        let hints = [
            "--reason-header",
            "why",
            "--original-topic-header",
            "came-from",
        ];
        let out = cmd(&broker)
            .args(["dlq", "triage", "--topic", &dlq, "-o", "json"])
            .args(hints)
            .assert()
            .success()
            .get_output()
            .stdout
            .clone();
        let triage = json(&out);
        let quota = triage["categories"]
            .as_array()
            .unwrap()
            .iter()
            .find(|c| {
                c["reason"]
                    .as_str()
                    .unwrap_or("")
                    .starts_with("quota exceeded")
            })
            .unwrap_or_else(|| panic!("no quota category: {triage}"));
        assert_eq!(quota["records"], 4);
        let id = quota["id"].as_str().unwrap();

        let p = plan(
            &broker,
            &[
                &["--topic", &dlq, "--dlq-category", id, "--redrive"][..],
                &hints[..],
            ]
            .concat(),
        );
        assert_eq!(p["records"], 4, "{}: {p}", broker.label());
        let (_d, audit) = audit_log();
        run(
            &broker,
            &audit,
            &[
                &["--topic", &dlq, "--dlq-category", id, "--redrive"][..],
                &hints[..],
            ]
            .concat(),
        );
        let got = broker.consume_all(&home);
        assert_eq!(
            values(&got),
            ["v0", "v3", "v6", "v9"]
                .iter()
                .map(|s| s.to_string())
                .collect()
        );
        // Without the hints the category is not found: the ids would not match triage's.
        cmd(&broker)
            .args([
                "replay",
                "plan",
                "--topic",
                &dlq,
                "--dlq-category",
                id,
                "--to",
                &home,
            ])
            .assert()
            .code(2)
            .stderr(predicates::str::contains(
                "12 filtered out by key or category",
            ));
        cmd(&broker)
            .args([
                "replay",
                "plan",
                "--topic",
                &dlq,
                "--to",
                &home,
                "--offsets",
                "0:0-1",
                "--reason-header",
                "why",
            ])
            .assert()
            .code(2)
            .stderr(predicates::str::contains(
                "only apply to --dlq-category or --redrive",
            ));
    }
}
