//! The redrive loop guard, on the mock cluster and Apache Kafka: poison records
//! are redriven, fail again and come back into the DLQ with every header copied
//! (as Spring's DeadLetterPublishingRecoverer does), round after round. Each
//! redrive counts one more in `kafkaops.replay.redrives`; after three rounds the
//! plan holds them back and says how to take them out by hand, the run reports
//! them as skipped, a replay `--to` a topic holds them back too, and triage shows
//! per category how often its records were redriven. A garbage count is read as
//! one redrive and warned about, and an interrupted redrive resumes with the same
//! verdict.

use crate::support;

use std::path::PathBuf;

use predicates::prelude::*;
use serde_json::Value;
use support::{json, kafkaops, Broker, Got, Rec};

const H_REDRIVES: &str = "kafkaops.replay.redrives";
const EXCEPTION: &str = "com.acme.PoisonException";

struct Env {
    dir: tempfile::TempDir,
}

impl Env {
    fn cmd(&self, broker: &Broker) -> assert_cmd::Command {
        self.cmd_as(broker, "json")
    }

    fn cmd_as(&self, broker: &Broker, format: &str) -> assert_cmd::Command {
        let mut c = kafkaops();
        c.env("XDG_STATE_HOME", self.dir.path().join("state"))
            .args(["-b", broker.bootstrap(), "-o", format]);
        c
    }

    fn audit(&self) -> PathBuf {
        self.dir.path().join("audit.jsonl")
    }

    /// `replay plan` of DLQ offsets `first..=last`, with extra flags.
    fn plan(&self, broker: &Broker, dlq: &str, range: (i64, i64), extra: &[&str]) -> Value {
        let out = self
            .cmd(broker)
            .args(["replay", "plan", "--topic", dlq, "--offsets"])
            .arg(format!("0:{}-{}", range.0, range.1))
            .args(extra)
            .assert()
            .success()
            .get_output()
            .stdout
            .clone();
        json(&out)
    }

    /// `replay run --redrive` of DLQ offsets `first..=last`; the result JSON.
    fn redrive(&self, broker: &Broker, dlq: &str, range: (i64, i64)) -> Value {
        self.redrive_with(broker, dlq, range, &[])
    }

    fn redrive_with(&self, broker: &Broker, dlq: &str, range: (i64, i64), extra: &[&str]) -> Value {
        let out = self
            .cmd(broker)
            .args(["replay", "run", "--yes", "--owner", "t", "--reason", "loop"])
            .arg("--audit-log")
            .arg(self.audit())
            .args(["--topic", dlq, "--redrive", "--offsets"])
            .arg(format!("0:{}-{}", range.0, range.1))
            .args(extra)
            .assert()
            .success()
            .get_output()
            .stdout
            .clone();
        json(&out)
    }

    fn triage(&self, broker: &Broker, dlq: &str) -> Value {
        let out = self
            .cmd(broker)
            .args(["dlq", "triage", "--topic", dlq, "--audit-log"])
            .arg(self.audit())
            .assert()
            .success()
            .get_output()
            .stdout
            .clone();
        json(&out)
    }
}

/// A Spring dead letter of `orig[0]@offset`, with `copied` headers of the failed record.
fn dead_letter(orig: &str, offset: i64, key: &str, copied: &[(String, Option<Vec<u8>>)]) -> Rec {
    let mut r = Rec::new(0, key, "poison");
    r.headers = copied.to_vec();
    r.header("kafka_dlt-original-topic", orig)
        .header("kafka_dlt-original-partition", 0i32.to_be_bytes())
        .header("kafka_dlt-original-offset", offset.to_be_bytes())
        .header("kafka_dlt-exception-fqcn", EXCEPTION)
        .header("kafka_dlt-exception-message", "cannot process order")
}

fn count_of(g: &Got) -> String {
    let n = g.headers.iter().filter(|(k, _)| k == H_REDRIVES).count();
    assert_eq!(n, 1, "one count header, not {n}: {:?}", g.headers);
    String::from_utf8(g.header(H_REDRIVES).unwrap().to_vec()).unwrap()
}

/// Produce `recs` to the one-partition DLQ; the offsets `(first, last)` they took.
fn produce(broker: &Broker, dlq: &str, recs: &[Rec]) -> (i64, i64) {
    let at = broker.produce(dlq, recs);
    (at[0].1, at[at.len() - 1].1)
}

#[test]
fn a_poison_record_is_held_back_after_three_redrives() {
    for broker in support::mock_and_kafka() {
        loop_case(&broker);
    }
}

fn loop_case(broker: &Broker) {
    let label = broker.label();
    let env = Env {
        dir: tempfile::tempdir().unwrap(),
    };
    let dlq = support::unique("loop-guard-dlq");
    let orig = support::unique("loop-guard-orders");
    broker.create_topic(&dlq, 1);
    broker.create_topic(&orig, 1);

    // Three records never redriven, and one whose count header is garbage.
    let garbage = vec![(H_REDRIVES.to_string(), Some(b"lots".to_vec()))];
    let mut batch: Vec<Rec> = (0..3)
        .map(|i| dead_letter(&orig, i, &format!("k{i}"), &[]))
        .collect();
    batch.push(dead_letter(&orig, 3, "kg", &garbage));
    let mut range = produce(broker, &dlq, &batch);
    let mut seen = 0;
    // Rounds 1-3: each sends everything not yet at the limit, with one more redrive.
    // The garbage record counts as redriven once: it reaches 3 a round earlier.
    for round in 1..=3u32 {
        let plan = env.plan(broker, &dlq, range, &["--redrive"]);
        let result = env.redrive(broker, &dlq, range);
        let got: Vec<Got> = broker.consume_all(&orig).split_off(seen);
        seen += got.len();
        let mut counts: Vec<(String, String)> = got
            .iter()
            .map(|g| {
                (
                    String::from_utf8(g.key.clone().unwrap()).unwrap(),
                    count_of(g),
                )
            })
            .collect();
        counts.sort();
        let mut want: Vec<(String, String)> = (0..3)
            .map(|i| (format!("k{i}"), round.to_string()))
            .collect();
        if round < 3 {
            want.push(("kg".into(), (round + 1).to_string()));
        }
        want.sort();
        assert_eq!(counts, want, "{label} round {round}");
        let sent = result["counts"]["sent"].as_u64().unwrap();
        assert_eq!(sent, want.len() as u64, "{label} round {round}: {result}");
        if round == 3 {
            // The garbage record was redriven twice after its unreadable count.
            assert_eq!(plan["held_back"]["records"], 1, "{label}: {plan}");
            assert_eq!(plan["held_back"]["by_redrives"]["3"], 1, "{label}: {plan}");
            assert_eq!(result["counts"]["skipped_redriven"], 1, "{label}: {result}");
        } else if round == 1 {
            assert_eq!(plan["held_back"]["unreadable_counts"], 1, "{label}: {plan}");
            assert_eq!(plan["held_back"]["records"], 0, "{label}: {plan}");
        } else {
            assert!(plan.get("held_back").is_none(), "{label}: {plan}");
        }
        // The consumer fails again: Spring dead-letters each with all its headers.
        let again: Vec<Rec> = got
            .iter()
            .map(|g| {
                let key = String::from_utf8(g.key.clone().unwrap()).unwrap();
                dead_letter(&orig, g.offset, &key, &g.headers)
            })
            .collect();
        range = produce(broker, &dlq, &again);
    }

    // Round 4: all three are at the limit. Alone, the plan refuses with the way out.
    env.cmd(broker)
        .args(["replay", "plan", "--topic", &dlq, "--redrive", "--offsets"])
        .arg(format!("0:{}-{}", range.0, range.1))
        .assert()
        .code(2)
        .stderr(
            predicate::str::contains("every record of the selection is held back")
                .and(predicate::str::contains(
                    "3 record(s) already redriven 3 time(s) or more",
                ))
                .and(predicate::str::contains(format!(
                    "kafkaops dlq export --topic {dlq} --offset 0:{}",
                    range.0
                ))),
        );
    // With a fresh dead letter beside them, it goes ahead and reports them.
    let fresh = produce(broker, &dlq, &[dead_letter(&orig, 9, "fresh", &[])]);
    let range = (range.0, fresh.1);
    let plan = env.plan(broker, &dlq, range, &["--redrive"]);
    assert_eq!(plan["records"], 1, "{label}: {plan}");
    assert_eq!(plan["held_back"]["records"], 3, "{label}: {plan}");
    assert_eq!(plan["held_back"]["max_redrives"], 3, "{label}: {plan}");
    assert_eq!(plan["selection"]["max_redrives"], 3, "{label}: {plan}");
    // The table says so, in a line of its own.
    env.cmd_as(broker, "table")
        .args(["replay", "plan", "--topic", &dlq, "--redrive"])
        .arg("--offsets")
        .arg(format!("0:{}-{}", range.0, range.1))
        .assert()
        .success()
        .stdout(predicate::str::contains(
            "held back     3 record(s) already redriven 3 time(s) or more (3 at 3×), not sent: fix them by hand",
        ));
    // A higher limit is part of the plan (another hash) and lets them through.
    let higher = env.plan(broker, &dlq, range, &["--redrive", "--max-redrives", "4"]);
    assert_eq!(higher["records"], 4, "{label}: {higher}");
    assert_ne!(higher["hash"], plan["hash"], "{label}");
    // Out of a DLQ to another topic is a redrive too: held back the same.
    let to = env.plan(broker, &dlq, range, &["--to", &orig]);
    assert_eq!(to["held_back"]["records"], 3, "{label}: {to}");
    // A dry run shows the same.
    env.cmd_as(broker, "table")
        .args(["replay", "run", "--dry-run", "--topic", &dlq, "--redrive"])
        .arg("--offsets")
        .arg(format!("0:{}-{}", range.0, range.1))
        .assert()
        .success()
        .stdout(predicate::str::contains("held back     3 record(s)"));
    // A category redrive that held records back does not mark the category handled:
    // the held-back records need a hand.
    let category = env.triage(broker, &dlq)["categories"][0]["id"]
        .as_str()
        .unwrap()
        .to_string();
    let result = env.redrive_with(broker, &dlq, range, &["--dlq-category", &category]);
    assert_eq!(result["counts"]["sent"], 1, "{label}: {result}");
    let status = env
        .cmd(broker)
        .args(["replay", "status", result["id"].as_str().unwrap()])
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    assert_eq!(json(&status)["counts"]["skipped_redriven"], 3, "{label}");
    assert_eq!(result["counts"]["skipped_redriven"], 3, "{label}: {result}");
    let last = broker.consume_all(&orig).split_off(seen);
    assert_eq!(last.len(), 1, "{label}");
    assert_eq!(last[0].key.as_deref(), Some(&b"fresh"[..]));
    assert_eq!(count_of(&last[0]), "1");

    // The guard cannot be switched off.
    env.cmd(broker)
        .args([
            "replay",
            "plan",
            "--topic",
            &dlq,
            "--redrive",
            "--offsets",
            "0:0-",
        ])
        .args(["--max-redrives", "0"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("--max-redrives 0 is out of range"));

    // Triage: one category; every record but the three first and the fresh one
    // came back after a redrive (the garbage one counted once), at most 3 times.
    let report = env.triage(broker, &dlq);
    let cats = report["categories"].as_array().unwrap();
    assert_eq!(cats.len(), 1, "{label}: {report}");
    let c = &cats[0];
    assert_eq!(c["records"], 16, "{label}: {c}");
    assert_eq!(
        (&c["open"], &c["handled"]),
        (&16.into(), &0.into()),
        "{label}: {c}"
    );
    assert_eq!(c["redriven"], 12, "{label}: {c}");
    assert_eq!(c["max_redrives"], 3, "{label}: {c}");
    assert_eq!(
        c["redrive_histogram"],
        serde_json::json!({"1": 4, "2": 4, "3": 4}),
        "{label}: {c}"
    );
    let warned = report["warnings"]
        .as_array()
        .unwrap()
        .iter()
        .any(|w| w["message"].as_str().unwrap().contains(H_REDRIVES) && w["count"] == 1);
    assert!(warned, "{label}: {report}");
    env.cmd_as(broker, "table")
        .args(["--wide", "dlq", "triage", "--topic", &dlq])
        .assert()
        .success()
        .stdout(
            predicate::str::contains("12 (max 3×)").and(predicate::str::contains(
                "redriven: 12 records came back after a redrive (at most 3×)",
            )),
        );
    let prom = env
        .cmd_as(broker, "prometheus")
        .args(["dlq", "triage", "--topic", &dlq])
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    let prom = String::from_utf8(prom).unwrap();
    let line = prom
        .lines()
        .find(|l| l.starts_with("kafkaops_dlq_category_redriven_records{"))
        .unwrap_or_else(|| panic!("{label}: {prom}"));
    assert!(line.ends_with(" 12"), "{label}: {line}");
}

#[test]
fn an_interrupted_redrive_resumes_with_the_same_verdict() {
    use std::time::Duration;

    use crate::replay::{spawn_with, stderr_of, wait_exit, wait_for};

    let broker = Broker::mock(1);
    let env = Env {
        dir: tempfile::tempdir().unwrap(),
    };
    let dlq = support::unique("loop-guard-resume-dlq");
    let orig = support::unique("loop-guard-resume-orders");
    broker.create_topic(&dlq, 1);
    broker.create_topic(&orig, 1);
    // Every other record was already redriven three times.
    let poison = [(H_REDRIVES.to_string(), Some(b"3".to_vec()))];
    let recs: Vec<Rec> = (0..60)
        .map(|i| {
            let copied = if i % 2 == 0 { &poison[..] } else { &[] };
            dead_letter(&orig, i, &format!("k{i}"), copied)
        })
        .collect();
    broker.produce(&dlq, &recs);
    let mut c = support::kafkaops_std();
    c.env("XDG_STATE_HOME", env.dir.path().join("state"))
        .args(["-b", broker.bootstrap()]);
    let audit = env.audit();
    let child = spawn_with(
        c,
        &[
            "replay",
            "run",
            "--yes",
            "--owner",
            "t",
            "--reason",
            "resume",
            "--audit-log",
            audit.to_str().unwrap(),
            "--topic",
            &dlq,
            "--offsets",
            "0:0-",
            "--redrive",
            // Slow enough (30 records: 6 s) that the interrupt lands mid-way even on a
            // loaded machine, where polling the destination takes a while.
            "--rate",
            "5/s",
        ],
    );
    wait_for("records redriven", Duration::from_secs(30), || {
        broker.consume_all(&orig).len() >= 5
    });
    let status = std::process::Command::new("kill")
        .args(["-INT", &child.id().to_string()])
        .status()
        .unwrap();
    assert!(status.success());
    let mut child = child;
    let code = wait_exit(&mut child, Duration::from_secs(30));
    let stderr = stderr_of(child);
    assert_eq!(code, 130, "{stderr}");
    let all = env
        .cmd(&broker)
        .args(["replay", "status"])
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    let id = json(&all)[0]["id"].as_str().unwrap().to_string();
    let out = env
        .cmd(&broker)
        .args(["replay", "resume", &id, "--yes", "--rate", "2000/s"])
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    let result = json(&out);
    assert_eq!(result["state"], "completed", "{result}");
    // Only the 30 fresh records went out, each once, none of the held-back ones.
    let got = broker.consume_all(&orig);
    let mut keys: Vec<usize> = got
        .iter()
        .map(|g| {
            assert_eq!(count_of(g), "1");
            String::from_utf8_lossy(g.key.as_deref().unwrap())[1..]
                .parse()
                .unwrap()
        })
        .collect();
    keys.sort_unstable();
    assert_eq!(keys, (0..60).filter(|i| i % 2 == 1).collect::<Vec<_>>());
    assert!(
        result["counts"]["skipped_redriven"].as_u64().unwrap() >= 30,
        "{result}"
    );
}
