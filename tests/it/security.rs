//! SASL/SCRAM, TLS and ACLs on Apache Kafka: profiles whose password comes from the
//! environment connect over SCRAM and TLS and never show the password; a wrong
//! password, CA or SASL mechanism, and a client speaking the wrong protocol to a
//! listener, are each named as the cause with the setting to fix (exit 3); a user without an ACL gets exit 3
//! naming the operation and the resource; a replay that loses WRITE mid-way exits 4
//! and resumes to exactly once. ACLs are only ever granted to users of the test's own,
//! on topics and groups of its own, so tests running beside are never disturbed.

use crate::replay::{
    assert_exactly_once, big_source, record_count, spawn_with, stderr_of, wait_exit, wait_for,
};
use crate::support;

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::time::Duration;

use support::{json, kafkaops, kafkaops_std, Broker, KafkaEnv, Rec};

const PASSWORD_VAR: &str = "KAFKAOPS_TEST_SECRET";

/// A user of this test's own (SCRAM, no ACLs) and a config file with its profile
/// `me` over SCRAM and `tls` over TLS, plus a private state directory, so whatever a
/// command leaves behind can be searched for the password.
struct Scene {
    env: KafkaEnv,
    user: String,
    password: String,
    dir: tempfile::TempDir,
}

impl Scene {
    fn new() -> Scene {
        let env = KafkaEnv::shared();
        let user = support::unique("user");
        let password = support::unique("pw-Zq9");
        env.scram_user(&user, &password);
        let dir = tempfile::tempdir().unwrap();
        let text = format!(
            "{}{}",
            env.scram_profile("me", &user, PASSWORD_VAR),
            env.ssl_profile("tls")
        );
        std::fs::write(dir.path().join("config.toml"), text).unwrap();
        Scene {
            env,
            user,
            password,
            dir,
        }
    }

    fn audit(&self) -> PathBuf {
        self.dir.path().join("audit.jsonl")
    }

    /// kafkaops with profile `profile`, the password in the environment (`password`),
    /// librdkafka's debug log on, and state under the scene's directory.
    fn cmd(&self, profile: &str, password: &str) -> assert_cmd::Command {
        let mut c = kafkaops();
        c.env("KAFKAOPS_CONFIG", self.dir.path().join("config.toml"))
            .env(PASSWORD_VAR, password)
            .env("KAFKAOPS_DEBUG", "1")
            .env("XDG_STATE_HOME", self.dir.path().join("state"))
            .args(["--profile", profile, "--timeout", "5s"]);
        c
    }

    fn grant(&self, acls: &[String]) {
        self.env.grant(&self.user, acls);
    }

    fn revoke(&self, acls: &[String]) {
        self.env.revoke(&self.user, acls);
    }

    /// The password appears in no output and no file the commands left behind.
    fn assert_secret_kept(&self, outputs: &[&[u8]]) {
        for out in outputs {
            assert!(
                !String::from_utf8_lossy(out).contains(&self.password),
                "the password leaked: {}",
                String::from_utf8_lossy(out)
            );
        }
        for file in files_under(self.dir.path()) {
            if file.ends_with("config.toml") {
                continue;
            }
            let text = String::from_utf8_lossy(&std::fs::read(&file).unwrap()).into_owned();
            assert!(
                !text.contains(&self.password),
                "the password leaked into {}",
                file.display()
            );
        }
    }
}

fn files_under(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    for e in std::fs::read_dir(dir).unwrap() {
        let p = e.unwrap().path();
        if p.is_dir() {
            out.extend(files_under(&p));
        } else {
            out.push(p);
        }
    }
    out
}

fn acl(kind: &str, name: &str, op: &str) -> String {
    format!("{kind}:{name}:{op}")
}

/// A topic of 20 dead letters.
fn dlq_topic(broker: &Broker) -> String {
    let topic = support::unique("sec-dlq");
    broker.create_topic(&topic, 1);
    let recs: Vec<Rec> = (0..20)
        .map(|i| Rec::new(0, &format!("k{i}"), &format!("v{i}")).header("x-error-message", "boom"))
        .collect();
    broker.produce(&topic, &recs);
    topic
}

#[test]
fn profiles_connect_over_scram_and_tls_and_the_password_appears_nowhere() {
    let broker = Broker::kafka();
    let s = Scene::new();
    let src = dlq_topic(&broker);
    let dst = support::unique("sec-dst");
    broker.create_topic(&dst, 1);
    s.grant(&[
        acl("topic", &src, "DESCRIBE"),
        acl("topic", &src, "READ"),
        acl("topic", &dst, "DESCRIBE"),
        acl("topic", &dst, "WRITE"),
        acl("topic", &dst, "READ"),
    ]);
    let pw = s.password.clone();
    let mut outputs: Vec<Vec<u8>> = Vec::new();
    let mut keep = |o: &std::process::Output| {
        outputs.push(o.stdout.clone());
        outputs.push(o.stderr.clone());
    };

    let o = s
        .cmd("me", &pw)
        .args(["config", "check"])
        .assert()
        .success();
    keep(o.get_output());
    let o = s.cmd("me", &pw).args(["config", "show"]).assert().success();
    keep(o.get_output());
    let o = s
        .cmd("me", &pw)
        .args(["dlq", "triage", "--topic", &src, "-o", "json"])
        .assert()
        .success();
    keep(o.get_output());
    assert_eq!(json(&o.get_output().stdout)["records"], 20);
    let o = s
        .cmd("me", &pw)
        .args([
            "replay",
            "run",
            "--topic",
            &src,
            "--offsets",
            "0:0-9",
            "--to",
            &dst,
        ])
        .args([
            "--yes",
            "--owner",
            "alice",
            "--reason",
            "scram",
            "--rate",
            "unlimited",
        ])
        .arg("--audit-log")
        .arg(s.audit())
        .assert()
        .success();
    keep(o.get_output());
    assert_eq!(broker.consume_all(&dst).len(), 10);
    let o = s
        .cmd("me", &pw)
        .args(["replay", "status", "-o", "json"])
        .assert()
        .success();
    keep(o.get_output());

    // TLS: the broker's certificate checked against the test CA.
    let o = s
        .cmd("tls", "")
        .args(["config", "check"])
        .assert()
        .success();
    keep(o.get_output());
    let o = s
        .cmd("tls", "")
        .args(["dlq", "triage", "--topic", &src, "-o", "json"])
        .assert()
        .success();
    assert_eq!(json(&o.get_output().stdout)["records"], 20);

    let refs: Vec<&[u8]> = outputs.iter().map(Vec::as_slice).collect();
    s.assert_secret_kept(&refs);
    assert!(s.audit().exists());
}

#[test]
fn a_wrong_password_or_ca_is_named_as_the_cause() {
    let s = Scene::new();
    let wrong = format!("{}-wrong", s.password);
    for args in [&["config", "check"][..], &["lag", "--group", "any"][..]] {
        let o = s.cmd("me", &wrong).args(args).assert().code(3);
        let stderr = String::from_utf8_lossy(&o.get_output().stderr).into_owned();
        let last = stderr
            .lines()
            .filter(|l| !l.starts_with("librdkafka"))
            .collect::<Vec<_>>()
            .join("\n");
        assert!(last.contains("error: authentication to"), "{last}");
        assert!(last.contains("invalid credentials"), "{last}");
        assert!(last.contains("sasl.password"), "{last}");
        assert!(!last.contains("cannot reach"), "{last}");
        assert!(!stderr.contains(&wrong), "the password leaked: {stderr}");
    }
    // A CA that did not sign the broker's certificate: the handshake is the cause.
    let leaf = Path::new(&s.env.ssl_ca).with_file_name("broker.crt");
    let o = s
        .cmd("tls", "")
        .args(["-X", &format!("ssl.ca.location={}", leaf.display())])
        .args(["config", "check"])
        .assert()
        .code(3);
    let stderr = String::from_utf8_lossy(&o.get_output().stderr).into_owned();
    assert!(stderr.contains("SSL handshake failed"), "{stderr}");
    assert!(stderr.contains("ssl.ca.location"), "{stderr}");
}

/// Each way of speaking the wrong way to a listener is named with its cause and the
/// setting to fix (exit 3), never as "cannot reach the brokers".
#[test]
fn each_wrong_connection_setting_is_named_with_its_fix() {
    let s = Scene::new();
    let env = &s.env;
    let scram = |mechanism: &str| {
        vec![
            "-X".to_string(),
            "security.protocol=SASL_PLAINTEXT".into(),
            "-X".into(),
            format!("sasl.mechanism={mechanism}"),
            "-X".into(),
            format!("sasl.username={}", s.user),
            "-X".into(),
            format!("sasl.password={}", s.password),
        ]
    };
    let tls = vec![
        "-X".to_string(),
        "security.protocol=SSL".into(),
        "-X".into(),
        format!("ssl.ca.location={}", env.ssl_ca),
    ];
    let cases: Vec<(&str, &str, Vec<String>, &[&str])> = vec![
        (
            "wrong mechanism",
            &env.sasl_bootstrap,
            scram("PLAIN"),
            &[
                "do not accept this SASL mechanism",
                "they offer SCRAM-SHA-512",
                "hint: set sasl.mechanism=SCRAM-SHA-512",
            ],
        ),
        (
            "plaintext client on the SASL port",
            &env.sasl_bootstrap,
            vec![],
            &[
                "require SASL authentication",
                "hint: set security.protocol=SASL_PLAINTEXT",
            ],
        ),
        (
            "plaintext client on the TLS port",
            &env.ssl_bootstrap,
            vec![],
            &["expects TLS", "hint: set security.protocol=SSL"],
        ),
        (
            "SASL client on the PLAINTEXT port",
            &env.bootstrap,
            scram(&env.mechanism),
            &["does not speak SASL", "use the brokers' SASL port"],
        ),
        (
            "TLS client on the SASL port",
            &env.sasl_bootstrap,
            tls,
            &[
                "the listener does not speak TLS",
                "hint: set security.protocol to PLAINTEXT or SASL_PLAINTEXT",
            ],
        ),
    ];
    for (case, bootstrap, props, needles) in cases {
        for args in [
            &["config", "check"][..],
            &["lag", "--group", "g", "--max-lag", "1"][..],
        ] {
            let o = kafkaops()
                .args(["-b", bootstrap, "--timeout", "5s"])
                .args(&props)
                .args(args)
                .assert()
                .code(3);
            let stderr = String::from_utf8_lossy(&o.get_output().stderr).into_owned();
            for n in needles {
                assert!(
                    stderr.contains(n),
                    "{case} {args:?}: missing {n:?} in {stderr}"
                );
            }
            assert!(!stderr.contains("cannot reach"), "{case}: {stderr}");
            assert!(!stderr.contains(&s.password), "{case}: the password leaked");
        }
    }
}

/// stderr of a refused command, which must exit 3 and name every `needle`.
fn refused(c: &mut assert_cmd::Command, needles: &[&str]) {
    let o = c.assert().code(3);
    let stderr = String::from_utf8_lossy(&o.get_output().stderr).into_owned();
    let text: String = stderr
        .lines()
        .filter(|l| !l.starts_with("librdkafka"))
        .collect::<Vec<_>>()
        .join("\n");
    for n in needles {
        assert!(text.contains(n), "missing {n:?} in: {text}");
    }
}

#[test]
fn a_missing_acl_exits_3_naming_the_operation_and_the_resource() {
    let broker = Broker::kafka();
    let s = Scene::new();
    let pw = s.password.clone();
    let src = dlq_topic(&broker);

    // No DESCRIBE on the DLQ topic, then DESCRIBE without READ.
    refused(
        s.cmd("me", &pw).args(["dlq", "triage", "--topic", &src]),
        &[&src, "DESCRIBE"],
    );
    s.grant(&[acl("topic", &src, "DESCRIBE")]);
    refused(
        s.cmd("me", &pw).args(["dlq", "triage", "--topic", &src]),
        &[&src, "READ"],
    );

    // A group it may not describe.
    s.grant(&[acl("topic", &src, "READ")]);
    let group = support::unique("sec-group");
    broker.commit(&group, &src, &[(0, 5)]);
    refused(
        s.cmd("me", &pw).args(["lag", "--group", &group]),
        &[&group, "DESCRIBE"],
    );
    s.grant(&[acl("group", &group, "DESCRIBE")]);
    let o = s
        .cmd("me", &pw)
        .args(["lag", "--group", &group, "-o", "json"])
        .assert()
        .success();
    assert_eq!(json(&o.get_output().stdout)["groups"][0]["total_lag"], 15);
}

#[test]
fn a_replay_into_a_topic_it_may_not_write_produces_nothing_and_starts_nothing() {
    let broker = Broker::kafka();
    let s = Scene::new();
    let pw = s.password.clone();
    let src = dlq_topic(&broker);
    let dst = support::unique("sec-ro");
    broker.create_topic(&dst, 1);
    s.grant(&[
        acl("topic", &src, "DESCRIBE"),
        acl("topic", &src, "READ"),
        acl("topic", &dst, "DESCRIBE"),
    ]);
    refused(
        s.cmd("me", &pw)
            .args([
                "replay",
                "run",
                "--topic",
                &src,
                "--offsets",
                "0:0-9",
                "--to",
                &dst,
            ])
            .args(["--yes", "--owner", "alice", "--reason", "no write"])
            .arg("--audit-log")
            .arg(s.audit()),
        &[&dst, "WRITE"],
    );
    assert_eq!(record_count(&broker, &dst), 0);
    let o = s
        .cmd("me", &pw)
        .args(["replay", "status", "-o", "json"])
        .assert()
        .success();
    let status = json(&o.get_output().stdout);
    assert_eq!(
        status,
        serde_json::json!([]),
        "a replay state was left: {status}"
    );
    let audit = std::fs::read_to_string(s.audit()).unwrap_or_default();
    assert!(!audit.contains("\"started\""), "{audit}");
}

#[test]
fn a_replay_that_loses_write_mid_way_exits_4_and_resumes_exactly_once() {
    let broker = Broker::kafka();
    let s = Scene::new();
    let pw = s.password.clone();
    let (src, dst, expected) = big_source(&broker, 200);
    let write = vec![acl("topic", &dst, "WRITE")];
    s.grant(&[
        acl("topic", &src, "DESCRIBE"),
        acl("topic", &src, "READ"),
        acl("topic", &dst, "DESCRIBE"),
        acl("topic", &dst, "READ"),
    ]);
    s.grant(&write);
    let mut c = kafkaops_std();
    c.env("KAFKAOPS_CONFIG", s.dir.path().join("config.toml"))
        .env(PASSWORD_VAR, &pw)
        .env("XDG_STATE_HOME", s.dir.path().join("state"))
        .args([
            "--profile",
            "me",
            "--timeout",
            "5s",
            "-X",
            "message.timeout.ms=5000",
        ]);
    let mut child = spawn_with(
        c,
        &[
            "replay",
            "run",
            "--yes",
            "--owner",
            "alice",
            "--reason",
            "revoked",
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
            "--audit-log",
            s.audit().to_str().unwrap(),
        ],
    );
    let mut exited = None;
    wait_for(
        "records in the destination",
        Duration::from_secs(30),
        || {
            exited = child.try_wait().unwrap();
            exited.is_some() || record_count(&broker, &dst) >= 30
        },
    );
    if exited.is_some() {
        panic!(
            "the replay ended before WRITE was revoked: {}",
            stderr_of(child)
        );
    }
    s.revoke(&write);
    let code = wait_exit(&mut child, Duration::from_secs(60));
    let stderr = stderr_of(child);
    assert_eq!(code, 4, "{stderr}");
    assert!(stderr.contains("replay resume"), "{stderr}");
    assert!(stderr.contains("WRITE"), "{stderr}");
    let before = record_count(&broker, &dst);
    assert!(before < 200, "the replay finished before WRITE was revoked");

    s.grant(&write);
    let o = s
        .cmd("me", &pw)
        .args(["replay", "status", "-o", "json"])
        .assert()
        .success();
    let all = json(&o.get_output().stdout);
    let id = all[0]["id"].as_str().unwrap().to_string();
    assert_eq!(all[0]["state"], "failed", "{all}");
    s.cmd("me", &pw)
        .args(["replay", "resume", &id, "--yes", "--rate", "unlimited"])
        .assert()
        .success();
    let expected: BTreeSet<(i32, i64)> = expected;
    assert_exactly_once(&broker, &dst, &id, &expected);
}
