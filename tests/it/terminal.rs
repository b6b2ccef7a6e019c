//! Output for people on a terminal, through the real binary on the mock cluster:
//! tables fitted to 80 and 120 columns (no line wider, no ID cut, stored
//! snapshots of the stable parts, `--wide` for every column), control and escape
//! characters from records shown escaped, and a stdout pipe closed after the
//! first line (`| head -1`) ending every command quietly instead of in a panic.
//!
//! Snapshots live in `tests/it/snapshots/`; after an intended change of layout,
//! `KAFKAOPS_UPDATE_SNAPSHOTS=1 cargo test --test it terminal::` rewrites them.

use crate::support;

use std::collections::hash_map::DefaultHasher;
use std::hash::{Hash, Hasher};
use std::io::{BufRead, BufReader, Read};
use std::path::PathBuf;
use std::process::Stdio;

use regex::Regex;
use support::{json, kafkaops, kafkaops_std, now_ms, Broker, Rec};
use unicode_width::UnicodeWidthStr;

const MINUTE: i64 = 60_000;
/// Records are dated 3 days and 30 minutes ago: their age reads `3d0h` for the
/// next half hour, whatever the clock.
const AGO: i64 = (3 * 24 * 60 + 30) * MINUTE;

/// A unique name of fixed length, so that tables holding it keep their widths
/// from run to run; [`normalise`] replaces it by a placeholder of that length.
fn name(prefix: &str) -> String {
    let mut h = DefaultHasher::new();
    support::unique(prefix).hash(&mut h);
    format!("{prefix}-{:016x}", h.finish())
}

/// Output with what changes from run to run (names, times, ages) replaced by
/// placeholders of the same width, so the layout itself is compared.
fn normalise(text: &str, names: &[&str]) -> String {
    let mut s = text.to_string();
    for (i, n) in names.iter().enumerate() {
        let tag = format!("name{i}-");
        let placeholder: String = tag
            .chars()
            .chain(std::iter::repeat('x'))
            .take(n.len())
            .collect();
        s = s.replace(n, &placeholder);
    }
    // Prose outside tables: its length does not move any column.
    for (pattern, with) in [
        (r"sha256:[0-9a-f]{64}", "sha256:HASH"),
        (r"\(about [^)]*\)", "(about T)"),
        (r"(?m)^cluster( +)\S+$", "cluster${1}CLUSTER"),
    ] {
        s = Regex::new(pattern)
            .unwrap()
            .replace_all(&s, with)
            .into_owned();
    }
    // Inside tables: digits only, so widths stay what they were.
    let rules = [
        (r"\d{4}-\d\d-\d\d[ T]\d\d:\d\d(:\d\d)?(\.\d+)?Z?", '9'),
        (r"\b\d+[dhms]\d*[hms]?\b", '9'),
    ];
    for (pattern, fill) in rules {
        let re = Regex::new(pattern).unwrap();
        s = re
            .replace_all(&s, |c: &regex::Captures<'_>| {
                c[0].chars()
                    .map(|ch| if ch.is_ascii_digit() { fill } else { ch })
                    .collect::<String>()
            })
            .into_owned();
    }
    s
}

fn snapshot(file: &str, actual: &str) {
    let path: PathBuf = [env!("CARGO_MANIFEST_DIR"), "tests", "it", "snapshots", file]
        .iter()
        .collect();
    if std::env::var_os("KAFKAOPS_UPDATE_SNAPSHOTS").is_some() {
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(&path, actual).unwrap();
        return;
    }
    let expected = std::fs::read_to_string(&path).unwrap_or_else(|e| {
        panic!(
            "{}: {e} (KAFKAOPS_UPDATE_SNAPSHOTS=1 writes it)",
            path.display()
        )
    });
    if expected != actual {
        let diff: Vec<String> = expected
            .lines()
            .zip(actual.lines())
            .enumerate()
            .filter(|(_, (e, a))| e != a)
            .map(|(i, (e, a))| format!("line {}:\n  - {e}\n  + {a}", i + 1))
            .collect();
        panic!(
            "{file} differs from the stored snapshot ({} vs {} lines):\n{}\n--- actual:\n{actual}",
            expected.lines().count(),
            actual.lines().count(),
            diff.join("\n")
        );
    }
}

/// stdout and stderr of a successful run at `COLUMNS=columns` (0: `--wide`).
fn run(broker: &Broker, args: &[&str], columns: usize) -> (String, String) {
    let mut cmd = kafkaops();
    cmd.args(["-b", broker.bootstrap()]).args(args);
    if columns == 0 {
        cmd.arg("--wide").env("COLUMNS", "80");
    } else {
        cmd.env("COLUMNS", columns.to_string());
    }
    let out = cmd.output().unwrap();
    let stdout = String::from_utf8(out.stdout).unwrap();
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert!(out.status.success(), "{args:?}: {stderr}\n{stdout}");
    (stdout, stderr)
}

/// Every line of every table fits; prose under a table may run longer (a
/// terminal wraps it between words, and a hash or a name in it is never cut).
fn assert_fits(text: &str, width: usize) {
    let table_line = |l: &&str| l.starts_with(['┌', '│', '╞', '└']);
    assert!(text.lines().any(|l| table_line(&l)), "no table:\n{text}");
    for line in text.lines().filter(table_line) {
        assert!(
            line.width() <= width,
            "line of {} columns in a {width}-column table:\n{line}\n{text}",
            line.width()
        );
    }
}

fn assert_contains_all(text: &str, needles: &[&str]) {
    for n in needles {
        assert!(text.contains(n), "{n} missing:\n{text}");
    }
}

/// Every identifier appears whole on one line.
fn assert_whole(text: &str, ids: &[String]) {
    for id in ids {
        assert!(
            text.lines().any(|l| l.contains(id.as_str())),
            "{id} is cut or split:\n{text}"
        );
    }
}

fn spring(p: i32, key: &str, exc: &str, msg: &str, ts: i64) -> Rec {
    Rec::new(p, key, r#"{"order": 1}"#)
        .header("kafka_dlt-original-topic", "orders")
        .header("kafka_dlt-original-partition", p.to_be_bytes())
        .header("kafka_dlt-original-offset", 7i64.to_be_bytes())
        .header("kafka_dlt-original-consumer-group", "orders-service")
        .header("kafka_dlt-exception-fqcn", exc)
        .header("kafka_dlt-exception-message", msg)
        .at(ts)
}

/// A DLQ of ten categories, reasons short and very long.
fn seed_dlq(broker: &Broker) -> String {
    let topic = name("tty-dlq");
    broker.create_topic(&topic, 3);
    let failures = [
        ("org.springframework.dao.DuplicateKeyException", "duplicate key value violates unique constraint \"orders_pkey\"; Detail: Key (id)=(42) already exists."),
        ("java.net.SocketTimeoutException", "Read timed out after 30000 ms calling payments-gateway.internal:8443"),
        ("com.fasterxml.jackson.core.JsonParseException", "Unexpected character ('}' (code 125)): was expecting double-quote to start field name"),
        ("org.apache.kafka.common.errors.RecordTooLargeException", "The message is 2097152 bytes when serialized which is larger than 1048576"),
        ("java.lang.NullPointerException", "Cannot invoke \"com.acme.Customer.getId()\" because \"customer\" is null"),
        ("javax.validation.ConstraintViolationException", "amount: must be greater than 0"),
        ("org.springframework.web.client.HttpServerErrorException", "503 Service Unavailable: upstream connect error or disconnect/reset before headers"),
        ("java.lang.IllegalStateException", "order state SHIPPED cannot move to PAID"),
        ("com.acme.fraud.FraudCheckRejectedException", "rejected by rule velocity-5m"),
        ("java.sql.SQLTransientConnectionException", "HikariPool-1 - Connection is not available, request timed out after 30000ms."),
    ];
    let base = now_ms() - AGO;
    let mut recs = Vec::new();
    for (i, (exc, msg)) in failures.iter().enumerate() {
        for j in 0..=i {
            let n = (i * 10 + j) as i64;
            recs.push(spring(
                (n % 3) as i32,
                &format!("order-{n}"),
                exc,
                msg,
                base + n * MINUTE,
            ));
        }
    }
    broker.produce(&topic, &recs);
    topic
}

#[test]
fn triage_fits_80_and_120_columns_and_wide_shows_everything() {
    let broker = Broker::mock(1);
    let topic = seed_dlq(&broker);
    let report = json(
        &kafkaops()
            .args([
                "-b",
                broker.bootstrap(),
                "dlq",
                "triage",
                "--topic",
                &topic,
                "-o",
                "json",
            ])
            .output()
            .unwrap()
            .stdout,
    );
    let ids: Vec<String> = report["categories"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["id"].as_str().unwrap().to_string())
        .collect();
    assert!(ids.len() >= 9, "{report}");
    for width in [80, 120] {
        let (stdout, stderr) = run(&broker, &["dlq", "triage", "--topic", &topic], width);
        assert_fits(&stdout, width);
        assert_whole(&stdout, &ids);
        assert!(stderr.contains("--wide"), "{stderr}");
        snapshot(
            &format!("triage-{width}.txt"),
            &normalise(&stdout, &[&topic]),
        );
    }
    let (wide, stderr) = run(&broker, &["dlq", "triage", "--topic", &topic], 0);
    assert_contains_all(
        &wide,
        &[
            "CATEGORY",
            "RECORDS",
            "SHARE",
            "EXCEPTION",
            "REASON",
            "ORIGIN",
            "GROUP",
            "KEYS",
            "FIRST → LAST",
            "OLDEST",
            "ACTION",
            "EXAMPLES",
        ],
    );
    assert!(
        wide.contains("Detail: Key (id)=(<n>) already exists."),
        "{wide}"
    );
    assert!(!stderr.contains("--wide"), "{stderr}");
}

#[test]
fn lag_fits_80_and_120_columns() {
    let broker = Broker::mock(1);
    let topic = name("tty-lag");
    let group = name("tty-group");
    broker.create_topic(&topic, 4);
    let base = now_ms() - AGO;
    let recs: Vec<Rec> = (0..40)
        .map(|i| Rec::new(i % 4, &format!("k{i}"), "v").at(base + i64::from(i) * MINUTE))
        .collect();
    broker.produce(&topic, &recs);
    broker.commit(&group, &topic, &[(0, 2), (1, 5), (2, 10)]);
    for width in [80, 120] {
        let (stdout, _) = run(&broker, &["lag", "--group", &group], width);
        assert_fits(&stdout, width);
        assert_whole(&stdout, &[group.clone(), topic.clone()]);
        snapshot(
            &format!("lag-{width}.txt"),
            &normalise(&stdout, &[&group, &topic]),
        );
    }
    let (wide, _) = run(&broker, &["lag", "--group", &group], 0);
    assert_contains_all(
        &wide,
        &["MEMBERS", "HOTTEST", "SKEW", "LOG START", "COMMITTED"],
    );
}

#[test]
fn replay_plan_and_status_fit_80_and_120_columns() {
    let broker = Broker::mock(1);
    let src = name("tty-src");
    let dst = name("tty-dst");
    broker.create_topic(&src, 3);
    broker.create_topic(&dst, 3);
    let recs: Vec<Rec> = (0..30)
        .map(|i| Rec::new(i % 3, &format!("k{i}"), "value"))
        .collect();
    broker.produce(&src, &recs);
    let plan = [
        "replay",
        "plan",
        "--topic",
        &src,
        "--offsets",
        "1:2-5",
        "--to",
        &dst,
    ];
    for width in [80, 120] {
        let (stdout, _) = run(&broker, &plan, width);
        assert_fits(&stdout, width);
        assert_whole(&stdout, &[format!("{dst}[1]")]);
        snapshot(
            &format!("replay-plan-{width}.txt"),
            &normalise(&stdout, &[&src, &dst]),
        );
    }
    let audit = tempfile::tempdir().unwrap();
    let done = json(
        &kafkaops()
            .args([
                "-b",
                broker.bootstrap(),
                "replay",
                "run",
                "-o",
                "json",
                "--yes",
            ])
            .args(["--owner", "someone-with-a-long-name", "--reason", "test"])
            .args(&plan[2..])
            .arg("--audit-log")
            .arg(audit.path().join("audit.jsonl"))
            .output()
            .unwrap()
            .stdout,
    );
    let id = done["id"].as_str().unwrap().to_string();
    for width in [80, 120] {
        let (stdout, _) = run(&broker, &["replay", "status", &id], width);
        assert_fits(&stdout, width);
        assert_whole(&stdout, std::slice::from_ref(&id));
    }
    let (wide, _) = run(&broker, &["replay", "status", &id], 0);
    assert_contains_all(
        &wide,
        &["OWNER", "DESTINATION", "SKIPPED", "RATE", "UPDATED"],
    );
    assert!(wide.contains("someone-with-a-long-name"), "{wide}");
}

/// A character a terminal acts on: C0 controls but the line break, DEL, C1.
fn raw_control(text: &str) -> Option<char> {
    text.chars()
        .find(|c| *c != '\n' && (c.is_control() || ('\u{202a}'..='\u{202e}').contains(c)))
}

#[test]
fn control_characters_from_records_are_shown_escaped() {
    let broker = Broker::mock(1);
    let topic = name("tty-hostile");
    broker.create_topic(&topic, 1);
    let base = now_ms() - AGO;
    let text = spring(
        0,
        "key\x1b[31mred\x07\r",
        "com.acme.Evil\x1b]0;owned\x07",
        "boom \x1b[2J\u{9b}1m \u{202e}gnp.exe",
        base,
    )
    .header("x-\x1b[31m-name", "header \x1b[31m\x07\r\u{9b}value");
    let mut binary = spring(0, "k2", "com.acme.Evil", "binary", base + MINUTE);
    binary.value = Some(b"v\x1b[31m\x07\r\x9b".to_vec());
    let mut text_value = spring(0, "k3", "com.acme.Evil", "text", base + 2 * MINUTE);
    text_value.value = Some("plain \x1b[31mred\x07\r\u{9b}text".as_bytes().to_vec());
    broker.produce(&topic, &[text, binary, text_value]);
    for args in [
        vec!["dlq", "inspect", "--topic", &topic],
        vec!["dlq", "triage", "--topic", &topic],
        vec![
            "dlq",
            "triage",
            "--topic",
            &topic,
            "--group-by",
            "key,reason",
        ],
    ] {
        for width in [80, 0] {
            let (stdout, stderr) = run(&broker, &args, width);
            assert_eq!(raw_control(&stdout), None, "{args:?}:\n{stdout}");
            assert_eq!(raw_control(&stderr), None, "{args:?}:\n{stderr}");
        }
    }
    let (inspect, _) = run(&broker, &["dlq", "inspect", "--topic", &topic], 0);
    assert_contains_all(
        &inspect,
        &[
            "key\\x1b[31mred\\x07\\r",
            "header \\x1b[31m\\x07\\r\\u{9b}value",
            "x-\\x1b[31m-name",
            "v\\x1b[31m\\x07\\r\\x9b",
            "plain \\x1b[31mred\\x07\\r\\u{9b}text",
            "\\u{202e}gnp.exe",
        ],
    );
}

/// Start `args`, read the first line of stdout and close the pipe, as `| head -1`.
fn head_1(args: &[&str]) {
    let mut child = kafkaops_std()
        .args(args)
        .env("COLUMNS", "80")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut first = String::new();
    BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut first)
        .unwrap();
    let mut stderr = String::new();
    child
        .stderr
        .take()
        .unwrap()
        .read_to_string(&mut stderr)
        .unwrap();
    let status = child.wait().unwrap();
    assert!(!first.is_empty(), "{args:?} printed nothing: {stderr}");
    assert!(!stderr.contains("panicked"), "{args:?}: {stderr}");
    assert_eq!(status.code(), Some(0), "{args:?}: {stderr}");
}

#[test]
fn a_closed_stdout_pipe_ends_every_command_quietly() {
    let broker = Broker::mock(1);
    let b = broker.bootstrap();
    let topic = seed_dlq(&broker);
    // Enough records that the output outlives the reader.
    let many: Vec<Rec> = (0..3000)
        .map(|i| {
            spring(
                i % 3,
                &format!("bulk-{i}"),
                "com.acme.Bulk",
                "bulk",
                now_ms(),
            )
        })
        .collect();
    broker.produce(&topic, &many);
    let group = name("tty-pipe-group");
    broker.commit(&group, &topic, &[(0, 1), (1, 1), (2, 1)]);
    let dst = name("tty-pipe-dst");
    broker.create_topic(&dst, 3);
    let scratch = name("tty-pipe-drill");
    broker.create_topic(&scratch, 3);
    let audit = tempfile::tempdir().unwrap();
    let audit_log = audit.path().join("audit.jsonl");
    let audit_log = audit_log.to_str().unwrap();
    let replay = [
        "replay",
        "run",
        "-b",
        b,
        "--yes",
        "--owner",
        "me",
        "--reason",
        "pipe",
        "--topic",
        &topic,
        "--offsets",
        "0:0-999",
        "--to",
        &dst,
        "--audit-log",
        audit_log,
    ];
    head_1(&replay);
    let plan = [
        "replay",
        "plan",
        "-b",
        b,
        "--topic",
        &topic,
        "--offsets",
        "0:0-999",
        "--to",
        &dst,
    ];
    let commands: Vec<Vec<&str>> = vec![
        vec!["--help"],
        vec!["help", "dlq"],
        vec!["dlq", "--help"],
        vec!["replay", "plan", "--help"],
        vec!["--version"],
        vec!["dlq", "triage", "-b", b, "--topic", &topic],
        vec!["dlq", "triage", "-b", b, "--topic", &topic, "-o", "json"],
        vec!["dlq", "triage", "-b", b, "--topic", &topic, "-o", "jsonl"],
        vec![
            "dlq",
            "inspect",
            "-b",
            b,
            "--topic",
            &topic,
            "--max-records",
            "2000",
        ],
        vec!["dlq", "inspect", "-b", b, "--topic", &topic, "-o", "jsonl"],
        vec!["dlq", "export", "-b", b, "--topic", &topic],
        vec!["lag", "-b", b, "--group", &group],
        vec!["lag", "-b", b, "--group", &group, "-o", "json"],
        vec!["lag", "-b", b, "--group", &group, "-o", "jsonl"],
        vec!["lag", "-b", b, "--group", &group, "-o", "prometheus"],
        plan.to_vec(),
        [&plan[..], &["-o", "json"]].concat(),
        vec!["replay", "status"],
        vec!["replay", "status", "-o", "json"],
        vec!["audit", "verify", "--audit-log", audit_log],
        vec!["topic", "describe", "-b", b, "--topic", &topic],
        vec![
            "topic", "describe", "-b", b, "--topic", &topic, "-o", "jsonl",
        ],
        vec!["config", "show", "-b", b],
        vec!["config", "check", "-b", b],
        vec!["demo"],
        vec![
            "drill",
            "-b",
            b,
            "--topic",
            &topic,
            "--window",
            "30d",
            "--rate",
            "100000/s",
            "--yes",
            "--to",
            &scratch,
            "--audit-log",
            audit_log,
        ],
    ];
    for args in &commands {
        head_1(args);
    }
}
