//! `kafkaops replay rewind` and `replay undo` end to end: on Apache Kafka a live
//! member is refused, an empty group is rewound to exact offsets (checked with
//! confluent-kafka's committed()), a forward move needs its flag, and undo puts
//! the offsets back; on the mock cluster and Tansu (no DescribeGroups) the
//! command needs --assume-inactive; bad input fails with exit 2.

use crate::support;

use std::io::{BufRead, BufReader};
use std::path::Path;
use std::time::{Duration, Instant};

use rdkafka::consumer::{BaseConsumer, Consumer};

use support::{json, kafkaops, Broker, Rec};

/// A test's own state dir and audit log.
struct Scratch {
    dir: tempfile::TempDir,
}

impl Scratch {
    fn new() -> Scratch {
        Scratch {
            dir: tempfile::tempdir().unwrap(),
        }
    }

    fn cmd(&self, broker: &Broker) -> assert_cmd::Command {
        let mut c = kafkaops();
        c.args(["-b", broker.bootstrap()])
            .env("XDG_STATE_HOME", self.dir.path());
        c
    }

    fn audit(&self) -> std::path::PathBuf {
        self.dir.path().join("kafkaops/audit.jsonl")
    }
}

/// A topic of `partitions` partitions with `per` keyed records each, and a group
/// that committed `committed` on it.
fn seeded(
    broker: &Broker,
    partitions: i32,
    per: i32,
    committed: &[(i32, i64)],
) -> (String, String) {
    let topic = support::unique("rewind-t");
    let group = support::unique("rewind-g");
    broker.create_topic(&topic, partitions);
    let recs: Vec<Rec> = (0..partitions)
        .flat_map(|p| {
            (0..per).map(move |i| Rec::new(p, &format!("k{}", i % 4), &format!("v{p}-{i}")))
        })
        .collect();
    broker.produce(&topic, &recs);
    broker.commit(&group, &topic, committed);
    (topic, group)
}

/// The group's committed offsets per partition, from confluent-kafka.
fn committed(broker: &Broker, group: &str, topic: &str) -> Vec<Option<i64>> {
    let out = support::python_file(
        "lag_independent_check.py",
        &[broker.bootstrap(), group, topic],
    );
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    v.as_array()
        .unwrap()
        .iter()
        .map(|p| p["committed"].as_i64())
        .collect()
}

fn rewind_json(s: &Scratch, broker: &Broker, args: &[&str]) -> serde_json::Value {
    let out = s
        .cmd(broker)
        .args([
            "replay", "rewind", "-o", "json", "--yes", "--owner", "alice", "--reason", "test",
        ])
        .args(args)
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    json(&out)
}

/// `replay rewind --owner a --reason r --yes ARGS`, however it ends.
fn attempt(s: &Scratch, broker: &Broker, args: &[&str]) -> std::process::Output {
    s.cmd(broker)
        .args(["replay", "rewind", "--owner", "a", "--reason", "r", "--yes"])
        .args(args)
        .output()
        .unwrap()
}

/// A rewind to the log start that takes the operator's word for an inactive
/// group: (exit code, stderr).
fn to_earliest_assuming_inactive(
    s: &Scratch,
    broker: &Broker,
    group: &str,
    topic: &str,
) -> (Option<i32>, String) {
    let o = attempt(
        s,
        broker,
        &[
            "--group",
            group,
            "--topic",
            topic,
            "--to-earliest",
            "--assume-inactive",
        ],
    );
    (o.status.code(), stderr_of(&o))
}

fn stderr_of(o: &std::process::Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

/// A member of a group on Apache Kafka in a process of its own (confluent-kafka),
/// joined with the `protocol` given: classic or consumer (KIP-848).
struct Member(std::process::Child);

impl Member {
    fn join(broker: &Broker, group: &str, topic: &str, protocol: &str) -> Member {
        let mut child = support::python_file_spawn(
            "rewind_member.py",
            &[broker.bootstrap(), group, topic, protocol],
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

fn audit_events(path: &Path) -> Vec<serde_json::Value> {
    std::fs::read_to_string(path)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect()
}

#[test]
fn kafka_rewind_is_guarded_exact_audited_and_undone() {
    let broker = Broker::kafka();
    let s = Scratch::new();
    let (topic, group) = seeded(&broker, 2, 10, &[(0, 8), (1, 6)]);

    // A live member of either protocol: refused at plan time, nothing changes.
    for protocol in ["classic", "consumer"] {
        let member = Member::join(&broker, &group, &topic, protocol);
        let (code, err) = to_earliest_assuming_inactive(&s, &broker, &group, &topic);
        assert_eq!(code, Some(2), "{protocol}: {err}");
        assert!(err.contains("live member"), "{protocol}: {err}");
        assert!(err.contains("stop every consumer"), "{err}");
        member.leave();
    }
    assert_eq!(committed(&broker, &group, &topic), [Some(8), Some(6)]);

    // The empty group is rewound to exactly the offsets asked for.
    let r = rewind_json(
        &s,
        &broker,
        &[
            "--group",
            &group,
            "--topic",
            &topic,
            "--to-offsets",
            "0:2",
            "--to-offsets",
            "1:1",
        ],
    );
    assert_eq!(r["kind"], "rewind");
    assert_eq!(r["state"], "committed");
    assert_eq!(r["records_to_reprocess"], 6 + 5);
    assert_eq!(r["moves"][0]["distinct_keys"], 4);
    assert_eq!(committed(&broker, &group, &topic), [Some(2), Some(1)]);
    let id = r["id"].as_str().unwrap().to_string();

    // The previous offsets are in the audit log, before and after the commit.
    let events = audit_events(&s.audit());
    let names: Vec<&str> = events
        .iter()
        .map(|e| e["event"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["planned", "committed"]);
    for e in &events {
        assert_eq!(e["replay_id"], id.as_str());
        assert_eq!(e["rewind"]["moves"][0]["previous"], 8);
        assert_eq!(e["rewind"]["moves"][1]["previous"], 6);
        assert_eq!(e["rewind"]["moves"][1]["target"], 1);
    }

    // Forward is refused without --allow-forward and shows what would be skipped.
    let o = attempt(
        &s,
        &broker,
        &["--group", &group, "--topic", &topic, "--to-latest"],
    );
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr_of(&o).contains("would never process 17 record(s)"),
        "{}",
        stderr_of(&o)
    );
    assert_eq!(committed(&broker, &group, &topic), [Some(2), Some(1)]);

    // Undo puts back exactly the offsets before the rewind.
    s.cmd(&broker)
        .args(["replay", "undo", &id, "--yes"])
        .assert()
        .success();
    assert_eq!(committed(&broker, &group, &topic), [Some(8), Some(6)]);
    let o = s
        .cmd(&broker)
        .args(["replay", "undo", &id, "--yes"])
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr_of(&o).contains("already undone"),
        "{}",
        stderr_of(&o)
    );

    // Status lists both rewinds with their ids; the audit log verifies.
    let out = s
        .cmd(&broker)
        .args(["replay", "status", "-o", "json"])
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    let st = json(&out);
    let rewinds: Vec<&serde_json::Value> = st
        .as_array()
        .unwrap()
        .iter()
        .filter(|v| v["kind"] == "rewind")
        .collect();
    assert_eq!(rewinds.len(), 2);
    let orig = rewinds.iter().find(|v| v["id"] == id.as_str()).unwrap();
    assert_eq!(orig["state"], "undone");
    assert!(rewinds
        .iter()
        .any(|v| v["undo_of"] == id.as_str() && v["state"] == "committed"));
    s.cmd(&broker).args(["audit", "verify"]).assert().success();
}

#[test]
fn kafka_plan_file_by_time_and_bad_input() {
    let broker = Broker::kafka();
    let s = Scratch::new();
    let (topic, group) = seeded(&broker, 1, 10, &[(0, 7)]);
    let plan = s.dir.path().join("plan.json");
    // A time before the log start lands on the log start, with a note.
    let o = s
        .cmd(&broker)
        .args([
            "replay", "rewind", "--group", &group, "--topic", &topic, "--by", "30d",
        ])
        .arg("--out")
        .arg(&plan)
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", stderr_of(&o));
    assert!(
        stderr_of(&o).contains("before the log start"),
        "{}",
        stderr_of(&o)
    );
    assert_eq!(
        committed(&broker, &group, &topic),
        [Some(7)],
        "--out changes nothing"
    );
    let p: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&plan).unwrap()).unwrap();
    assert_eq!(p["kind"], "consumer-group-rewind");
    assert_eq!(p["moves"][0]["target"], 0);
    assert_eq!(p["totals"]["reprocess"], 7);
    // The saved plan runs with `replay run --plan`; an edited one is refused.
    let edited = s.dir.path().join("edited.json");
    std::fs::write(
        &edited,
        std::fs::read_to_string(&plan)
            .unwrap()
            .replace("\"target\": 0", "\"target\": 3"),
    )
    .unwrap();
    let o = s
        .cmd(&broker)
        .args([
            "replay", "run", "--owner", "a", "--reason", "r", "--yes", "--plan",
        ])
        .arg(&edited)
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr_of(&o).contains("was modified"), "{}", stderr_of(&o));
    s.cmd(&broker)
        .args([
            "replay", "run", "--owner", "a", "--reason", "r", "--yes", "--plan",
        ])
        .arg(&plan)
        .assert()
        .success();
    assert_eq!(committed(&broker, &group, &topic), [Some(0)]);
    // The plan was made from offset 7: run again, the group has moved since.
    let o = s
        .cmd(&broker)
        .args([
            "replay", "run", "--owner", "a", "--reason", "r", "--yes", "--plan",
        ])
        .arg(&plan)
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr_of(&o).contains("changed since the plan was made"),
        "{}",
        stderr_of(&o)
    );

    let unknown_group = support::unique("rewind-nosuch");
    for (args, wanted) in [
        (
            vec![
                "--group",
                unknown_group.as_str(),
                "--topic",
                topic.as_str(),
                "--to-earliest",
            ],
            "unknown consumer group",
        ),
        (
            vec![
                "--group",
                group.as_str(),
                "--topic",
                "rewind-no-such-topic",
                "--to-earliest",
            ],
            "does not exist",
        ),
        (
            vec![
                "--group",
                group.as_str(),
                "--topic",
                topic.as_str(),
                "--to-offsets",
                "0:99",
            ],
            "out of range",
        ),
        (
            vec![
                "--group",
                group.as_str(),
                "--topic",
                topic.as_str(),
                "--to-offsets",
                "5:1",
            ],
            "does not exist on topic",
        ),
        (
            vec![
                "--group",
                group.as_str(),
                "--topic",
                topic.as_str(),
                "--to-offsets",
                "0:-1",
            ],
            "bad --to-offsets",
        ),
        (
            vec!["--group", group.as_str(), "--to-offsets", "0:1"],
            "--topic",
        ),
        (
            vec!["--group", group.as_str(), "--topic", topic.as_str()],
            "--to-",
        ),
        (
            vec![
                "--group",
                group.as_str(),
                "--topic",
                topic.as_str(),
                "--to-earliest",
                "--to-latest",
            ],
            "cannot be used with",
        ),
        (
            vec![
                "--group",
                group.as_str(),
                "--topic",
                topic.as_str(),
                "--to-latest",
                "--allow-forward",
                "--max-records",
                "1",
            ],
            "",
        ),
    ] {
        let o = attempt(&s, &broker, &args);
        if wanted.is_empty() {
            // A forward move reprocesses nothing: the ceiling does not apply.
            assert!(o.status.success(), "{args:?}: {}", stderr_of(&o));
            continue;
        }
        assert_eq!(o.status.code(), Some(2), "{args:?}: {}", stderr_of(&o));
        assert!(
            stderr_of(&o).contains(wanted),
            "{args:?}: {}",
            stderr_of(&o)
        );
    }
    assert_eq!(committed(&broker, &group, &topic), [Some(10)]);
    // The ceiling bounds the records to reprocess; owner and reason are required.
    let o = attempt(
        &s,
        &broker,
        &[
            "--group",
            &group,
            "--topic",
            &topic,
            "--to-earliest",
            "--max-records",
            "9",
        ],
    );
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr_of(&o).contains("--max-records 10"),
        "{}",
        stderr_of(&o)
    );
    let o = s
        .cmd(&broker)
        .args([
            "replay",
            "rewind",
            "--group",
            &group,
            "--topic",
            &topic,
            "--to-earliest",
            "--yes",
        ])
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr_of(&o).contains("requires --owner"),
        "{}",
        stderr_of(&o)
    );
    assert_eq!(committed(&broker, &group, &topic), [Some(10)]);
    // Without a terminal and without --yes: refused before anything is recorded.
    let recorded = |s: &Scratch| {
        std::fs::read_dir(s.dir.path().join("kafkaops/rewinds"))
            .unwrap()
            .count()
    };
    let before = recorded(&s);
    let o = s
        .cmd(&broker)
        .args([
            "replay",
            "rewind",
            "--group",
            &group,
            "--topic",
            &topic,
            "--to-offsets",
            "0:5",
        ])
        .args(["--owner", "a", "--reason", "r"])
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr_of(&o).contains("--yes"), "{}", stderr_of(&o));
    assert_eq!(recorded(&s), before, "nothing was recorded");

    // Without --topic: every topic the group committed on.
    let out = s
        .cmd(&broker)
        .args([
            "replay",
            "rewind",
            "-o",
            "json",
            "--dry-run",
            "--group",
            &group,
            "--to-earliest",
        ])
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    let all = json(&out);
    let topics: Vec<&str> = all["moves"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m["topic"].as_str().unwrap())
        .collect();
    assert_eq!(topics, [topic.as_str()]);

    // The start of a replay plan is a target: the group reprocesses what the
    // replay would republish.
    let rp = s.dir.path().join("replay-plan.json");
    s.cmd(&broker)
        .args([
            "replay",
            "plan",
            "--topic",
            &topic,
            "--offsets",
            "0:3-",
            "--to",
            &topic,
            "--into-source",
        ])
        .arg("--out")
        .arg(&rp)
        .assert()
        .success();
    let out = s
        .cmd(&broker)
        .args([
            "replay",
            "rewind",
            "-o",
            "json",
            "--group",
            &group,
            "--dry-run",
            "--to-replay-plan",
        ])
        .arg(&rp)
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    let p = json(&out);
    assert_eq!(p["moves"][0]["committed"], 10);
    assert_eq!(p["moves"][0]["target"], 3);
    assert_eq!(p["totals"]["reprocess"], 7);
    assert!(p["target"]
        .as_str()
        .unwrap()
        .starts_with("the start of replay plan sha256:"));
}

/// On brokers without DescribeGroups the operator's word is needed.
fn needs_assume_inactive(broker: &Broker) {
    let s = Scratch::new();
    let (topic, group) = seeded(broker, 2, 6, &[(0, 5), (1, 4)]);
    let o = attempt(
        &s,
        broker,
        &["--group", &group, "--topic", &topic, "--to-earliest"],
    );
    assert_eq!(
        o.status.code(),
        Some(2),
        "{}: {}",
        broker.label(),
        stderr_of(&o)
    );
    assert!(
        stderr_of(&o).contains("--assume-inactive"),
        "{}",
        stderr_of(&o)
    );
    assert_eq!(committed(broker, &group, &topic), [Some(5), Some(4)]);
    let r = rewind_json(
        &s,
        broker,
        &[
            "--group",
            &group,
            "--topic",
            &topic,
            "--partitions",
            "1",
            "--to-earliest",
            "--assume-inactive",
        ],
    );
    assert_eq!(r["state"], "committed", "{}", broker.label());
    assert_eq!(r["records_to_reprocess"], 4);
    assert_eq!(committed(broker, &group, &topic), [Some(5), Some(0)]);
    let id = r["id"].as_str().unwrap();
    // Undo is guarded the same way.
    let o = s
        .cmd(broker)
        .args(["replay", "undo", id, "--yes"])
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(2), "{}", stderr_of(&o));
    s.cmd(broker)
        .args(["replay", "undo", id, "--yes", "--assume-inactive"])
        .assert()
        .success();
    assert_eq!(committed(broker, &group, &topic), [Some(5), Some(4)]);
}

#[test]
fn the_brokers_own_refusal_of_a_live_group_is_reported_as_such() {
    // The mock cluster cannot describe groups, so only the broker can refuse.
    let broker = Broker::mock(1);
    let s = Scratch::new();
    let (topic, group) = seeded(&broker, 1, 6, &[(0, 4)]);
    let member: BaseConsumer = broker
        .config()
        .set("group.id", &group)
        .set("enable.auto.commit", "false")
        .create()
        .unwrap();
    member.subscribe(&[&topic]).unwrap();
    let deadline = Instant::now() + Duration::from_secs(30);
    while member.assignment().unwrap().count() == 0 {
        assert!(Instant::now() < deadline, "the member never got partitions");
        let _ = member.poll(Duration::from_millis(100));
    }
    let (code, err) = to_earliest_assuming_inactive(&s, &broker, &group, &topic);
    assert_eq!(code, Some(3), "{err}");
    assert!(err.contains("the broker refused the commit"), "{err}");
    assert!(err.contains("no offsets were changed"), "{err}");
    drop(member);
    assert_eq!(committed(&broker, &group, &topic), [Some(4)]);
    let events = audit_events(&s.audit());
    let last = events.last().unwrap();
    assert_eq!(last["event"], "finished");
    assert_eq!(last["outcome"], "refused");
    assert_eq!(last["rewind"]["moves"][0]["previous"], 4);
}

#[test]
fn on_a_terminal_the_rewind_is_confirmed_or_aborted() {
    let broker = Broker::mock(1);
    let (topic, group) = seeded(&broker, 1, 6, &[(0, 5)]);
    let dir = tempfile::tempdir().unwrap();
    let audit = dir.path().join("audit.jsonl");
    let args = |audit: &Path| {
        vec![
            "replay".to_string(),
            "rewind".into(),
            "--group".into(),
            group.clone(),
            "--topic".into(),
            topic.clone(),
            "--to-offsets".into(),
            "0:1".into(),
            "--assume-inactive".into(),
            "--owner".into(),
            "a".into(),
            "--reason".into(),
            "r".into(),
            "--audit-log".into(),
            audit.to_str().unwrap().to_string(),
        ]
    };
    let a = args(&audit);
    let a: Vec<&str> = a.iter().map(String::as_str).collect();
    let Some((code, text)) = crate::replay::on_a_terminal(&broker, &a, "n\n") else {
        return;
    };
    assert_eq!(code, 4, "{text}");
    assert!(text.contains("4 record(s) to reprocess?"), "{text}");
    assert!(text.contains("aborted at the prompt"), "{text}");
    assert_eq!(committed(&broker, &group, &topic), [Some(5)]);
    let events = audit_events(&audit);
    assert_eq!(events.last().unwrap()["outcome"], "aborted");
    let (code, text) = crate::replay::on_a_terminal(&broker, &a, "y\n").unwrap();
    assert_eq!(code, 0, "{text}");
    assert_eq!(committed(&broker, &group, &topic), [Some(1)]);
    assert_eq!(audit_events(&audit).last().unwrap()["event"], "committed");
}

#[test]
fn a_time_target_is_the_first_record_at_or_after_it() {
    // The mock answers offsets-for-times with -1 and Tansu wrongly: the checked
    // lookup finds the same offsets as Kafka's answer.
    for broker in support::brokers() {
        let s = Scratch::new();
        let topic = support::unique("rewind-time");
        let group = support::unique("rewind-time-g");
        broker.create_topic(&topic, 2);
        let t0 = support::now_ms() - 60_000;
        let recs: Vec<Rec> = (0..2)
            .flat_map(|p| {
                (0..10).map(move |i| Rec::new(p, "k", "v").at(t0 + i * 1000 + i64::from(p) * 300))
            })
            .collect();
        broker.produce(&topic, &recs);
        broker.commit(&group, &topic, &[(0, 10), (1, 9)]);
        let at = t0 + 5500;
        let out = s
            .cmd(&broker)
            .args([
                "replay",
                "rewind",
                "-o",
                "json",
                "--dry-run",
                "--assume-inactive",
            ])
            .args([
                "--group",
                &group,
                "--topic",
                &topic,
                "--to-time",
                &at.to_string(),
            ])
            .assert()
            .success()
            .get_output()
            .stdout
            .clone();
        let p = json(&out);
        let label = broker.label();
        // p0: t0+6000 is the first at or after t0+5500; p1: t0+5300 is before, t0+6300 after.
        assert_eq!(p["moves"][0]["target"], 6, "{label}: {p}");
        assert_eq!(p["moves"][1]["target"], 6, "{label}: {p}");
        assert_eq!(p["moves"][0]["reprocess"], 4, "{label}");
        assert_eq!(p["moves"][1]["reprocess"], 3, "{label}");
        assert_eq!(p["moves"][0]["oldest_timestamp_ms"], t0 + 6000, "{label}");
        assert_eq!(p["totals"]["oldest_timestamp_ms"], t0 + 6000, "{label}");
        assert_eq!(p["totals"]["distinct_keys"], 1, "{label}");
        assert_eq!(
            committed(&broker, &group, &topic),
            [Some(10), Some(9)],
            "{label}: a dry run changes nothing"
        );
    }
}

#[test]
fn partitions_never_committed_are_left_alone_unless_asked() {
    let broker = Broker::mock(1);
    let s = Scratch::new();
    let (topic, group) = seeded(&broker, 2, 5, &[(0, 3)]);
    let base = [
        "--group",
        &group,
        "--topic",
        &topic,
        "--to-earliest",
        "--assume-inactive",
    ];
    let o = attempt(&s, &broker, &base);
    assert!(o.status.success(), "{}", stderr_of(&o));
    assert!(
        stderr_of(&o).contains(&format!("never committed on {topic}[1]: left alone")),
        "{}",
        stderr_of(&o)
    );
    assert_eq!(committed(&broker, &group, &topic), [Some(0), None]);
    let o = attempt(
        &s,
        &broker,
        &[&base[..], &["--include-uncommitted", "-o", "json"]].concat(),
    );
    assert!(o.status.success(), "{}", stderr_of(&o));
    let r = json(&o.stdout);
    assert_eq!(r["moves"][1]["committed"], serde_json::Value::Null);
    assert_eq!(
        r["moves"][1]["reprocess"], 5,
        "from the target to the log end"
    );
    assert_eq!(committed(&broker, &group, &topic), [Some(0), Some(0)]);
    // Undo puts back what had a commit and says what it cannot take back.
    let o = s
        .cmd(&broker)
        .args([
            "replay",
            "undo",
            r["id"].as_str().unwrap(),
            "--yes",
            "--assume-inactive",
        ])
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", stderr_of(&o));
    assert!(
        stderr_of(&o).contains(&format!("{topic}[1] had no commit before the rewind")),
        "{}",
        stderr_of(&o)
    );
    assert_eq!(committed(&broker, &group, &topic), [Some(0), Some(0)]);
}

#[test]
fn mock_cluster_needs_assume_inactive() {
    needs_assume_inactive(&Broker::mock(1));
}

#[test]
fn tansu_needs_assume_inactive() {
    needs_assume_inactive(&Broker::tansu());
}
