//! Redrive partition fidelity and `drill --verify` of what a replay actually wrote,
//! on the mock cluster, Tansu and Apache Kafka (file replays: mock and Kafka): a DLQ whose headers name partitions 0-5
//! redriven into a 4-partition topic is refused until a `--placement` is chosen,
//! and each placement puts the records where it says; a corrupt partition header is
//! counted and warned about; a category redrive verifies, copies by other replays
//! are counted per replay id, a file replay verifies, and a closed pipe is quiet.

use crate::support;

use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::Stdio;

use kafkaops::replay::partitioner::Partitioner;
use predicates::prelude::*;
use support::{json, kafkaops, Broker, Rec};

const H_ID: &str = "kafkaops.replay.id";
const H_SOURCE: &str = "kafkaops.replay.source";
const H_POSITION: &str = "kafkaops.replay.position";

/// Each test has its own state dir (replay ids, other replays of a plan) and audit log.
struct Env {
    dir: tempfile::TempDir,
}

impl Env {
    fn new() -> Self {
        Env {
            dir: tempfile::tempdir().unwrap(),
        }
    }

    fn state(&self) -> PathBuf {
        self.dir.path().join("state")
    }

    fn cmd(&self, broker: &Broker) -> assert_cmd::Command {
        let mut c = kafkaops();
        c.env("XDG_STATE_HOME", self.state())
            .args(["-b", broker.bootstrap()]);
        c
    }

    fn std_cmd(&self, broker: &Broker) -> std::process::Command {
        let mut c = support::kafkaops_std();
        c.env("XDG_STATE_HOME", self.state())
            .args(["-b", broker.bootstrap()]);
        c
    }

    /// `replay run --yes -o json` that must succeed; returns the replay id.
    fn run(&self, broker: &Broker, args: &[&str]) -> String {
        let out = self
            .cmd(broker)
            .args([
                "replay", "run", "-o", "json", "--yes", "--owner", "t", "--reason", "test",
            ])
            .arg("--audit-log")
            .arg(self.dir.path().join("audit.jsonl"))
            .args(args)
            .assert()
            .success()
            .get_output()
            .stdout
            .clone();
        json(&out)["id"].as_str().unwrap().to_string()
    }

    /// `drill --verify ID -o json`: (exit code, report).
    fn verify(&self, broker: &Broker, id: &str) -> (i32, serde_json::Value) {
        let out = self
            .cmd(broker)
            .args(["-o", "json", "drill", "--verify", id])
            .output()
            .unwrap();
        (out.status.code().unwrap(), json(&out.stdout))
    }
}

/// A Kafka Connect dead letter of a record of `orig[partition]`.
fn dead_letter(orig: &str, partition: &str, exception: &str, key: &str) -> Rec {
    Rec::new(0, key, &format!("{exception}|{partition}|{key}"))
        .header("__connect.errors.topic", orig)
        .header("__connect.errors.partition", partition)
        .header("__connect.errors.offset", "7")
        .header("__connect.errors.exception.class.name", exception)
        .header("__connect.errors.exception.message", "bad record")
        .header("trace", key)
}

/// A one-partition DLQ with two records per original partition 0-5 of a
/// 4-partition `orig`, and one whose partition header is not a number.
fn narrow_redrive(broker: &Broker) -> (String, String) {
    let dlq = support::unique("rdv-dlq");
    let orig = support::unique("rdv-orig");
    broker.create_topic(&dlq, 1);
    broker.create_topic(&orig, 4);
    let mut recs: Vec<Rec> = (0..12)
        .map(|i| {
            dead_letter(
                &orig,
                &(i % 6).to_string(),
                "org.example.DataException",
                &format!("k{i}"),
            )
        })
        .collect();
    recs.push(dead_letter(&orig, "two", "org.example.DataException", "kc"));
    broker.produce(&dlq, &recs);
    (dlq, orig)
}

fn original_partition(value: &[u8]) -> String {
    String::from_utf8_lossy(value)
        .split('|')
        .nth(1)
        .unwrap()
        .to_string()
}

#[test]
fn a_redrive_into_missing_partitions_is_refused_until_a_placement_is_chosen() {
    for broker in support::brokers() {
        placement_case(&broker);
    }
}

fn placement_case(broker: &Broker) {
    let env = Env::new();
    let (dlq, orig) = narrow_redrive(broker);
    let sel = ["--topic", &dlq, "--offsets", "0:0-", "--redrive"];
    let label = broker.label();

    // The plan shows the table, warns about the corrupt header, and is refused.
    let plan_file = env.dir.path().join("plan.json");
    env.cmd(broker)
        .args(["replay", "plan"])
        .args(sel)
        .arg("--out")
        .arg(&plan_file)
        .assert()
        .code(2)
        .stdout(predicate::str::contains("ORIGINAL PARTITION"))
        .stdout(predicate::str::is_match(format!(r"{orig}\[5\][│┆ ]+no \(4 partitions\)[│┆ ]+2[│┆ ]+2")).unwrap())
        .stdout(predicate::str::is_match(format!(r"{orig}\[1\][│┆ ]+yes[│┆ ]+2[│┆ ]+0")).unwrap())
        .stdout(predicate::str::contains("4 of 13 records move to another partition"))
        .stderr(predicate::str::contains(format!(
            "warning: 1 record(s) for '{orig}' have an original-partition header that cannot be read: they are placed by key hash"
        )))
        .stderr(predicate::str::contains(format!(
            "refusing to move 4 records out of their original partition: {orig}[4] (2 records), {orig}[5] (2 records) do not exist in the destination ('{orig}' has 4)"
        )))
        .stderr(predicate::str::contains("--placement keep").and(predicate::str::contains("--placement fold")));
    assert!(
        !plan_file.exists(),
        "{label}: a refused plan is not written"
    );

    // The JSON carries the same table, typed.
    let out = env
        .cmd(broker)
        .args(["replay", "plan", "-o", "json"])
        .args(sel)
        .assert()
        .code(2)
        .get_output()
        .clone();
    let p = json(&out.stdout);
    let placement = &p["placement"];
    assert_eq!(placement["moved"], 4, "{label}: {placement}");
    assert_eq!(placement["corrupt_partition"][&orig], 1);
    let rows = placement["partitions"].as_array().unwrap();
    assert_eq!(rows.len(), 6);
    for row in rows {
        let part = row["partition"].as_i64().unwrap();
        assert_eq!(row["exists"], part < 4, "{row}");
        assert_eq!(row["destination_partitions"], 4);
        assert_eq!(row["records"], 2);
        assert_eq!(row["moved"], if part < 4 { 0 } else { 2 }, "{row}");
    }

    // The run is refused too, before anything is produced.
    env.cmd(broker)
        .args(["replay", "run", "--yes", "--owner", "t", "--reason", "r"])
        .args(sel)
        .assert()
        .code(2)
        .stderr(predicate::str::contains("refusing to move 4 records"));
    assert!(broker.consume_all(&orig).is_empty(), "{label}");

    // The choice is in the plan's selection, so the plan hash covers it.
    let keep = env
        .cmd(broker)
        .args(["replay", "plan", "-o", "json", "--placement", "keep"])
        .args(sel)
        .arg("--out")
        .arg(&plan_file)
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    assert_eq!(json(&keep)["selection"]["placement"], "keep");
    let edited = std::fs::read_to_string(&plan_file)
        .unwrap()
        .replace("\"placement\": \"keep\"", "\"placement\": \"fold\"");
    std::fs::write(&plan_file, edited).unwrap();
    env.cmd(broker)
        .args([
            "replay", "run", "--yes", "--owner", "t", "--reason", "r", "--plan",
        ])
        .arg(&plan_file)
        .assert()
        .code(2)
        .stderr(predicate::str::contains("modified"));

    // keep: partitions 0-3 kept, 4-5 and the unreadable one placed by murmur2.
    env.cmd(broker)
        .args(["replay", "run", "--yes", "--owner", "t", "--reason", "r"])
        .args(sel)
        .args(["--placement", "keep"])
        .assert()
        .success()
        .stderr(predicate::str::contains(
            "4 of 13 records move (keep), 1 placed by key hash (original partition unknown)",
        ));
    let got = broker.consume_all(&orig);
    assert_eq!(got.len(), 13, "{label}");
    for g in &got {
        let from = original_partition(g.value.as_deref().unwrap());
        let want = match from.parse::<i32>() {
            Ok(p) if p < 4 => p,
            _ => Partitioner::Murmur2.partition(g.key.as_deref().unwrap(), 4),
        };
        assert_eq!(g.partition, want, "{label}: keep, original {from}");
    }

    // key with crc32, and fold: each into a fresh copy of the setup.
    for (how, extra) in [("key", &["--partitioner", "crc32"][..]), ("fold", &[][..])] {
        let (dlq, orig) = narrow_redrive(broker);
        let sel = [
            "--topic",
            &dlq,
            "--offsets",
            "0:0-",
            "--redrive",
            "--placement",
            how,
        ];
        env.run(broker, &[&sel[..], extra].concat());
        let got = broker.consume_all(&orig);
        assert_eq!(got.len(), 13, "{label}: {how}");
        for g in &got {
            let from = original_partition(g.value.as_deref().unwrap());
            let key = g.key.as_deref().unwrap();
            let want = match (how, from.parse::<i32>()) {
                ("key", _) => Partitioner::Crc32.partition(key, 4),
                (_, Ok(p)) => p % 4,
                (_, Err(_)) => Partitioner::Murmur2.partition(key, 4),
            };
            assert_eq!(g.partition, want, "{label}: {how}, original {from}");
        }
    }
}

/// A DLQ of two categories, six records each, from a 4-partition `orig`.
fn two_categories(broker: &Broker) -> (String, String, String) {
    let dlq = support::unique("rdv-dlq");
    let orig = support::unique("rdv-orig");
    broker.create_topic(&dlq, 2);
    broker.create_topic(&orig, 4);
    let mut recs = Vec::new();
    for i in 0..6 {
        for exception in ["org.example.DataException", "org.example.TimeoutException"] {
            let mut r = dead_letter(&orig, &(i % 4).to_string(), exception, &format!("k{i}"));
            r.partition = Some(i % 2);
            recs.push(r);
        }
    }
    broker.produce(&dlq, &recs);
    let out = kafkaops()
        .args([
            "-b",
            broker.bootstrap(),
            "-o",
            "json",
            "dlq",
            "triage",
            "--topic",
            &dlq,
        ])
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    let triage = json(&out);
    let id = triage["categories"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| {
            c["exception"]
                .as_str()
                .is_some_and(|e| e.ends_with("DataException"))
        })
        .unwrap()["id"]
        .as_str()
        .unwrap()
        .to_string();
    (dlq, orig, id)
}

#[test]
fn drill_verify_checks_what_the_replay_planned_and_counts_other_copies() {
    for broker in support::brokers() {
        verify_case(&broker);
    }
}

fn verify_case(broker: &Broker) {
    let env = Env::new();
    let label = broker.label();
    let (dlq, orig, category) = two_categories(broker);
    let first = env.run(
        broker,
        &["--topic", &dlq, "--dlq-category", &category, "--redrive"],
    );

    // A correct category redrive passes: the category, not the whole DLQ, is the
    // source, and the DLQ headers it stripped are not an alteration.
    let (code, r) = env.verify(broker, &first);
    assert_eq!(code, 0, "{label}: {r}");
    assert_eq!(r["passed"], true);
    assert_eq!(r["parity"]["source_records"], 6);
    assert_eq!(r["parity"]["destination_records"], 6);
    assert_eq!(r["parity"]["other_replays"], serde_json::json!([]));

    // Another selection over the same records writes a second copy of them (the
    // duplicate guard refuses that unless asked).
    let second = env.run(
        broker,
        &[
            "--topic",
            &dlq,
            "--offsets",
            "0:0-,1:0-",
            "--redrive",
            "--allow-duplicate",
        ],
    );
    // And a second run of the same plan (its state as `replay run` saves it),
    // whose copies of two records are produced here with its provenance.
    let states = env.state().join("kafkaops").join("replays");
    let state_file = std::fs::read_dir(&states)
        .unwrap()
        .map(|e| e.unwrap().path())
        .find(|p| p.file_name().unwrap().to_string_lossy().starts_with(&first))
        .unwrap();
    let again = "rp-20000101-000000-a9a9a9";
    let text = std::fs::read_to_string(&state_file).unwrap();
    std::fs::write(
        states.join(format!("{again}.json")),
        text.replace(&first, again),
    )
    .unwrap();
    let copies: Vec<Rec> = broker
        .consume_all(&orig)
        .into_iter()
        .filter(|g| g.header(H_ID) == Some(first.as_bytes()))
        .take(2)
        .map(|g| {
            let mut r = Rec::new(g.partition, "", "");
            r.key = g.key.clone();
            r.value = g.value.clone();
            r.headers = g
                .headers
                .iter()
                .map(|(k, v)| match k.as_str() {
                    H_ID => (k.clone(), Some(again.as_bytes().to_vec())),
                    _ => (k.clone(), v.clone()),
                })
                .collect();
            r
        })
        .collect();
    assert!(copies
        .iter()
        .all(|c| c.headers.iter().any(|(k, _)| k == H_SOURCE)));
    broker.produce(&orig, &copies);

    let (code, r) = env.verify(broker, &first);
    assert_eq!(code, 1, "{label}: {r}");
    assert_eq!(r["passed"], false);
    let duplicated: u64 = r["parity"]["partitions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["duplicated"].as_u64().unwrap())
        .sum();
    assert_eq!(
        duplicated, 6,
        "{label}: every record has a second copy: {r}"
    );
    let others: std::collections::BTreeMap<String, (bool, u64)> = r["parity"]["other_replays"]
        .as_array()
        .unwrap()
        .iter()
        .map(|o| {
            (
                o["replay_id"].as_str().unwrap().to_string(),
                (
                    o["same_plan"].as_bool().unwrap(),
                    o["records"].as_u64().unwrap(),
                ),
            )
        })
        .collect();
    assert_eq!(
        others,
        [(second.clone(), (false, 6)), (again.to_string(), (true, 2))].into(),
        "{label}"
    );
    // The table says the same to a person.
    env.cmd(broker)
        .args(["drill", "--verify", &first])
        .assert()
        .code(1)
        .stdout(predicate::str::contains(
            "6 planned, 6 in the destination; 0 missing, 0 unexpected, 0 altered, 6 duplicated",
        ))
        .stdout(
            predicate::str::is_match(format!(
                r"{again}[│┆ ]+a second run of the same plan[│┆ ]+2"
            ))
            .unwrap(),
        )
        .stdout(predicate::str::is_match(format!(r"{second}[│┆ ]+another plan[│┆ ]+6")).unwrap());

    // The second replay's own records are all there (the first one's copies
    // count against it too).
    let (code, r) = env.verify(broker, &second);
    assert_eq!(code, 1, "{label}: {r}");
    assert_eq!(r["parity"]["source_records"], 12);
    assert_eq!(r["parity"]["destination_records"], 12);

    // A closed pipe ends the output quietly; the verdict is still the exit code.
    let mut child = env
        .std_cmd(broker)
        .args(["drill", "--verify", &first])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    drop(child.stdout.take());
    let mut stderr = String::new();
    child
        .stderr
        .take()
        .unwrap()
        .read_to_string(&mut stderr)
        .unwrap();
    let status = child.wait().unwrap();
    assert_eq!(status.code(), Some(1), "{label}: {stderr}");
    assert!(!stderr.contains("panicked"), "{stderr}");
    // With stderr in the pipe too, the notes and warnings cannot panic either.
    let (code, out, stderr) = piped(&env, broker, &first, "2>&1 | head -1");
    assert_eq!(code, Some(1), "{label}: {out}{stderr}");
    assert!(!stderr.contains("panicked"), "{stderr}");
    assert!(out.starts_with("note: verifying parity"), "{out}");
    // And `| head -4` of a passing one exits 0.
    let (dlq2, _, category2) = two_categories(broker);
    let ok = env.run(
        broker,
        &["--topic", &dlq2, "--dlq-category", &category2, "--redrive"],
    );
    head_4(&env, broker, &ok);
}

/// `drill --verify ID PIPE` through bash with pipefail: (exit code, stdout, stderr).
fn piped(env: &Env, broker: &Broker, id: &str, pipe: &str) -> (Option<i32>, String, String) {
    let bin = assert_cmd::cargo::cargo_bin("kafkaops");
    let mut bash = std::process::Command::new("bash");
    support::clean_env(&mut bash);
    let out = bash
        .arg("-c")
        .arg(format!(
            "set -o pipefail; '{}' -b '{}' drill --verify '{id}' {pipe}",
            bin.display(),
            broker.bootstrap()
        ))
        .env("XDG_STATE_HOME", env.state())
        .output()
        .unwrap();
    (
        out.status.code(),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

fn head_4(env: &Env, broker: &Broker, id: &str) {
    let (code, stdout, stderr) = piped(env, broker, id, "| head -4");
    assert_eq!(code, Some(0), "{}: {stdout}{stderr}", broker.label());
    assert_eq!(stdout.lines().count(), 4, "{stdout}");
    assert!(stdout.starts_with("drill PASSED"), "{stdout}");
}

#[test]
fn drill_verify_checks_a_file_replay_against_the_file() {
    use kafkaops::dlq::export::Bytes;
    use kafkaops::dlq::{ExportedHeader, ExportedRecord};
    for broker in support::mock_and_kafka() {
        let env = Env::new();
        let dst = support::unique("rdv-dst");
        broker.create_topic(&dst, 2);
        let file = env.dir.path().join("export.jsonl");
        let mut text = String::new();
        // Recent: Kafka's retention would delete records stamped years ago.
        let base = support::now_ms() - 60_000;
        for i in 0..5i64 {
            let rec = ExportedRecord {
                topic: "orders-dlt".into(),
                partition: (i % 2) as i32,
                offset: 10 + i,
                timestamp_ms: Some(base + i),
                timestamp_type: None,
                key: (i != 4).then(|| Bytes::Text(format!("k{i}"))),
                value: Some(Bytes::Text(format!("v{i}"))),
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
        let id = env.run(
            &broker,
            &["--from-file", file.to_str().unwrap(), "--to", &dst],
        );
        let (code, r) = env.verify(&broker, &id);
        assert_eq!(code, 0, "{}: {r}", broker.label());
        assert_eq!(r["source_file"], file.to_str().unwrap());
        assert_eq!(r["parity"]["source_records"], 5);
        assert_eq!(r["parity"]["destination_records"], 5);

        // An altered copy claiming one of the file's lines is found.
        let victim = broker.consume_all(&dst).remove(0);
        let mut forged = Rec::new(victim.partition, "", "tampered");
        forged.key = victim.key.clone();
        forged.headers = victim.headers.clone();
        assert!(victim.header(H_POSITION).is_some());
        broker.produce(&dst, &[forged]);
        let (code, r) = env.verify(&broker, &id);
        assert_eq!(code, 1, "{r}");
        let p = &r["parity"]["partitions"][0];
        assert_eq!(
            (p["duplicated"].as_u64(), p["altered"].as_u64()),
            (Some(1), Some(1)),
            "{r}"
        );
    }
}

#[test]
fn an_export_line_without_key_or_value_is_refused() {
    let broker = Broker::mock(1);
    let env = Env::new();
    let dst = support::unique("rdv-dst");
    broker.create_topic(&dst, 1);
    let file: &Path = &env.dir.path().join("export.jsonl");
    let full = r#"{"topic":"t","partition":0,"offset":1,"timestamp_ms":5,"timestamp_type":null,"key":null,"value":{"text":"v"},"headers":[]}"#;
    let bare = r#"{"topic":"t","partition":0,"offset":2,"timestamp_ms":5,"timestamp_type":null,"headers":[]}"#;
    std::fs::write(file, format!("{full}\n{bare}\n")).unwrap();
    env.cmd(&broker)
        .args([
            "replay",
            "run",
            "--yes",
            "--owner",
            "t",
            "--reason",
            "r",
            "--to",
            &dst,
            "--from-file",
        ])
        .arg(file)
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "line 2 has no \"key\" and no \"value\" field: a missing field is not read as null",
        ))
        .stderr(predicate::str::contains(
            "write \"key\": null and \"value\": null",
        ));
    assert!(broker.consume_all(&dst).is_empty());
    // Explicit nulls are a record with a null key (and here a value).
    std::fs::write(file, format!("{full}\n")).unwrap();
    env.run(
        &broker,
        &["--to", &dst, "--from-file", file.to_str().unwrap()],
    );
    let got = broker.consume_all(&dst);
    assert_eq!(got.len(), 1);
    assert_eq!(
        (got[0].key.as_deref(), got[0].value.as_deref()),
        (None, Some(&b"v"[..]))
    );
}
