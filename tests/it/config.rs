//! Connection settings through the real binary: profiles, precedence, env
//! references, redaction, and the one-line errors for bad configuration.

use crate::support;

use predicates::prelude::*;
use support::{kafkaops, Refusal};

const PROFILES: &str = r#"
[profiles.prod]
brokers = "prod1:9092"
[profiles.prod.properties]
"security.protocol" = "SASL_SSL"
"sasl.mechanism" = "SCRAM-SHA-512"
"sasl.username" = "ops"
"sasl.password" = "${env:KAFKA_PASSWORD}"
"ssl.key.password" = "keypw-literal"
"sasl.oauthbearer.client.secret" = "oauth-literal"
"#;

fn profile_file() -> (tempfile::TempDir, std::path::PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("config.toml");
    std::fs::write(&path, PROFILES).unwrap();
    (dir, path)
}

#[test]
fn config_show_redacts_secrets_in_table_and_json() {
    let (_d, path) = profile_file();
    for format in ["table", "json"] {
        let out = kafkaops()
            .env("KAFKAOPS_CONFIG", &path)
            .env("KAFKA_PASSWORD", "hunter2-from-env")
            .args([
                "--profile",
                "prod",
                "config",
                "show",
                "-o",
                format,
                "-X",
                "my.secret.thing=flag-secret",
            ])
            .assert()
            .success()
            .get_output()
            .clone();
        let stdout = String::from_utf8(out.stdout).unwrap();
        let all = format!("{stdout}{}", String::from_utf8_lossy(&out.stderr));
        for secret in [
            "hunter2-from-env",
            "keypw-literal",
            "oauth-literal",
            "flag-secret",
        ] {
            assert!(
                !all.contains(secret),
                "{format}: secret {secret} leaked:\n{all}"
            );
        }
        assert!(stdout.contains("[redacted]"));
        assert!(stdout.contains("SCRAM-SHA-512"));
        if format == "json" {
            let v: serde_json::Value = serde_json::from_str(&stdout).unwrap();
            assert_eq!(v["brokers"], "prod1:9092");
            assert_eq!(v["brokers_origin"], "profile");
            assert_eq!(v["profile"], "prod");
            let props = v["properties"].as_array().unwrap();
            let pw = props.iter().find(|p| p["key"] == "sasl.password").unwrap();
            assert_eq!(pw["value"], "[redacted]");
            assert_eq!(pw["secret"], true);
        }
    }
}

#[test]
fn precedence_flag_over_env_over_profile() {
    let (_d, path) = profile_file();
    let show = |extra: &[&str], env_brokers: Option<&str>| {
        let mut cmd = kafkaops();
        cmd.env("KAFKAOPS_CONFIG", &path)
            .env("KAFKA_PASSWORD", "x")
            .env("KAFKAOPS_PROFILE", "prod");
        if let Some(b) = env_brokers {
            cmd.env("KAFKAOPS_BROKERS", b);
        }
        let out = cmd
            .args(["config", "show", "-o", "json"])
            .args(extra)
            .assert()
            .success()
            .get_output()
            .stdout
            .clone();
        let v: serde_json::Value = serde_json::from_slice(&out).unwrap();
        (
            v["brokers"].as_str().unwrap().to_string(),
            v["brokers_origin"].as_str().unwrap().to_string(),
        )
    };
    assert_eq!(show(&[], None), ("prod1:9092".into(), "profile".into()));
    assert_eq!(
        show(&[], Some("env:9092")),
        ("env:9092".into(), "env".into())
    );
    assert_eq!(
        show(&["-b", "flag:9092"], Some("env:9092")),
        ("flag:9092".into(), "flag".into())
    );
}

#[test]
fn bad_configuration_gives_one_line_errors_with_hints() {
    let (_d, path) = profile_file();
    let path = path.display().to_string();
    // A refusal with its message and hint, and KAFKAOPS_CONFIG when it needs one.
    let case = |case, args, config, message, hint| {
        let refusal = Refusal {
            case,
            args,
            code: 2,
            stderr: vec![message, "hint:", hint],
        };
        (refusal, config)
    };
    let cases = [
        case(
            "malformed -X",
            vec!["-X", "oops", "config", "show"],
            None,
            "malformed -X 'oops'",
            "-X key=value",
        ),
        case(
            "unknown profile",
            vec!["--profile", "nope", "config", "show"],
            Some(path.as_str()),
            "unknown profile 'nope'",
            "known profiles",
        ),
        case(
            "unset env reference",
            vec!["--profile", "prod", "config", "show"],
            Some(path.as_str()),
            "KAFKA_PASSWORD is not set",
            "export KAFKA_PASSWORD",
        ),
        case(
            "missing profile file",
            vec!["--profile", "prod", "config", "show"],
            Some("/nonexistent/kafkaops.toml"),
            "does not exist",
            "KAFKAOPS_CONFIG",
        ),
        case(
            "missing client.properties",
            vec!["-F", "/nonexistent/client.properties", "config", "show"],
            None,
            "does not exist",
            "-F/--config-file",
        ),
        case(
            "no brokers",
            vec!["config", "check"],
            None,
            "no brokers configured",
            "-b HOST:PORT",
        ),
    ];
    for (c, config) in &cases {
        let mut cmd = kafkaops();
        if let Some(config) = config {
            cmd.env("KAFKAOPS_CONFIG", config);
        }
        let out = c.check(&mut cmd);
        let stderr = String::from_utf8(out.stderr).unwrap();
        assert!(stderr.starts_with("error: "), "{}: {stderr}", c.case);
        assert!(
            !stderr.contains("panicked") && !stderr.contains("Error {"),
            "{}: {stderr}",
            c.case
        );
        assert!(out.stdout.is_empty(), "{}: error output on stdout", c.case);
    }
}

#[test]
fn unparseable_profile_file_names_the_line() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("config.toml");
    std::fs::write(&path, "[profiles.a]\nbrokers = \"x:1\"\n[profiles.b\n").unwrap();
    kafkaops()
        .env("KAFKAOPS_CONFIG", &path)
        .args(["--profile", "a", "config", "show"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("config.toml:3"));
}

#[test]
fn librdkafka_rejects_unknown_property_by_name() {
    let b = support::dead_address();
    kafkaops()
        .args(["-b", &*b, "-X", "no.such.property=1", "config", "check"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "rejected property 'no.such.property'",
        ));
}

#[test]
fn secret_values_never_echoed_in_property_errors() {
    let b = support::dead_address();
    let out = kafkaops()
        .args([
            "-b",
            &*b,
            "-X",
            "sasl.password=",
            "-X",
            "ssl.key.password=pw-in-error",
            "-X",
            "security.protocol=bogus",
            "config",
            "check",
        ])
        .assert()
        .code(2)
        .get_output()
        .clone();
    assert!(!String::from_utf8_lossy(&out.stderr).contains("pw-in-error"));
}

#[test]
fn sasl_and_ssl_properties_are_accepted_and_the_password_never_shown() {
    // librdkafka accepts the properties (so not exit 2); the plaintext mock broker cannot
    // complete the SASL handshake, which is a broker-side failure (exit 3).
    for broker in support::brokers() {
        let out = kafkaops()
            .env("KAFKA_PW", "s3cret-from-env")
            .args(["-b", broker.bootstrap(), "--timeout", "2s"])
            .args([
                "-X",
                "security.protocol=SASL_PLAINTEXT",
                "-X",
                "sasl.mechanism=SCRAM-SHA-512",
            ])
            .args([
                "-X",
                "sasl.username=oncall",
                "-X",
                "sasl.password=${env:KAFKA_PW}",
                "config",
                "check",
            ])
            .assert()
            .code(3)
            .get_output()
            .clone();
        let all = format!(
            "{}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
        assert!(
            !all.contains("s3cret-from-env"),
            "{}: {all}",
            broker.label()
        );
        kafkaops()
            .args([
                "-b",
                &*support::dead_address(),
                "--timeout",
                "2s",
                "-X",
                "security.protocol=SSL",
                "config",
                "check",
            ])
            .assert()
            .code(3);
    }
}
