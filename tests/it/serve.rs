//! `kafkaops serve` through the real binary: a real Prometheus (Debian's
//! `prometheus` package, installed by scripts/test.sh) scrapes it, its query API
//! returns the lag and DLQ series, and a shipped alert rule fires; `promtool`
//! checks the shipped rules and the exposition; bad settings fail at start; a
//! broker outage while serving shows as `up` 0 and counted errors, not lag 0.

use std::io::{Read, Write};
use std::net::TcpStream;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use crate::support::{
    dead_address, free_address, kafkaops, kafkaops_std, python, unique, Broker, Rec,
};

fn have(tool: &str) -> bool {
    Command::new(tool)
        .arg("--version")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|s| s.success())
}

/// A GET over plain HTTP/1.0: the body, or `None` while nothing answers.
fn get(addr: &str, path: &str) -> Option<String> {
    let mut s = TcpStream::connect(addr).ok()?;
    s.set_read_timeout(Some(Duration::from_secs(5))).ok()?;
    write!(s, "GET {path} HTTP/1.0\r\nHost: {addr}\r\n\r\n").ok()?;
    let mut buf = String::new();
    s.read_to_string(&mut buf).ok()?;
    let (head, body) = buf.split_once("\r\n\r\n")?;
    head.starts_with("HTTP/1.").then(|| body.to_string())
}

fn wait_for<T>(what: &str, limit: Duration, mut f: impl FnMut() -> Option<T>) -> T {
    let until = Instant::now() + limit;
    loop {
        if let Some(v) = f() {
            return v;
        }
        assert!(Instant::now() < until, "timed out waiting for {what}");
        std::thread::sleep(Duration::from_millis(250));
    }
}

/// A child killed when the test ends, pass or fail.
struct Running(Child);

impl Drop for Running {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn serve(bootstrap: &str, listen: &str, args: &[&str]) -> Running {
    let mut cmd = kafkaops_std();
    cmd.args([
        "-b",
        bootstrap,
        "serve",
        "--listen",
        listen,
        "--interval",
        "1s",
    ])
    .args(args)
    .stdout(Stdio::null())
    .stderr(Stdio::null());
    Running(cmd.spawn().expect("start kafkaops serve"))
}

fn promtool_metrics(text: &str) {
    let mut child = Command::new("promtool")
        .args(["check", "metrics"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(text.as_bytes())
        .unwrap();
    let out = child.wait_with_output().unwrap();
    assert!(
        out.status.success(),
        "promtool check metrics:\n{}{}\n---\n{text}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
}

fn json(s: &str) -> serde_json::Value {
    serde_json::from_str(s).unwrap_or_else(|e| panic!("{e}: {s}"))
}

/// The values of an instant query, by the label `by`.
fn query(prom: &str, q: &str) -> Vec<(serde_json::Value, f64)> {
    let enc: String = q
        .bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'_' | b'-' | b'.' => (b as char).to_string(),
            _ => format!("%{b:02X}"),
        })
        .collect();
    let Some(body) = get(prom, &format!("/api/v1/query?query={enc}")) else {
        return Vec::new();
    };
    let v = json(&body);
    v["data"]["result"]
        .as_array()
        .cloned()
        .unwrap_or_default()
        .into_iter()
        .map(|r| {
            let val: f64 = r["value"][1].as_str().unwrap().parse().unwrap();
            (r["metric"].clone(), val)
        })
        .collect()
}

#[test]
fn shipped_rules_pass_promtool() {
    if !have("promtool") {
        eprintln!("skipped: promtool is not installed (scripts/test.sh installs Debian's prometheus package)");
        return;
    }
    let rules = Path::new(env!("CARGO_MANIFEST_DIR")).join("monitoring/kafkaops-rules.yml");
    let out = Command::new("promtool")
        .args(["check", "rules"])
        .arg(&rules)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
    let dash = Path::new(env!("CARGO_MANIFEST_DIR")).join("monitoring/grafana-dashboard.json");
    let d: serde_json::Value = json(&std::fs::read_to_string(dash).unwrap());
    let exprs: Vec<&str> = d["panels"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["targets"][0]["expr"].as_str().unwrap())
        .collect();
    assert!(exprs
        .iter()
        .any(|e| e.contains("kafkaops_dlq_category_open_records")));
    assert!(
        exprs.iter().all(|e| !e.contains("lag_total")),
        "the renamed gauge"
    );
}

#[test]
fn prometheus_scrapes_serve_and_an_alert_fires() {
    if !have("prometheus") || !have("promtool") {
        eprintln!("skipped: prometheus/promtool are not installed (scripts/test.sh installs Debian's prometheus package)");
        return;
    }
    let b = Broker::kafka();
    let topic = unique("serve-orders");
    let dlq = unique("serve-orders-dlq");
    let group = unique("serve-billing");
    b.create_topic(&topic, 2);
    b.create_topic(&dlq, 1);
    let recs: Vec<Rec> = (0..20)
        .map(|i| Rec::new(i % 2, &format!("k{i}"), "v"))
        .collect();
    b.produce(&topic, &recs);
    b.commit(&group, &topic, &[(0, 2), (1, 3)]);
    let dead: Vec<Rec> = (0..3)
        .map(|i| {
            Rec::new(0, &format!("d{i}"), "bad")
                .header(
                    "kafka_dlt-exception-fqcn",
                    "java.lang.IllegalStateException",
                )
                .header("kafka_dlt-original-topic", topic.as_str())
        })
        .collect();
    b.produce(&dlq, &dead);

    let listen = free_address();
    let _serve = serve(
        b.bootstrap(),
        &listen,
        &["--group", &group, "--dlq-topic", &dlq, "--sla", "1s"],
    );
    let metrics = wait_for("the first collection", Duration::from_secs(20), || {
        get(&listen, "/metrics").filter(|m| m.contains("kafkaops_dlq_category_records{"))
    });
    promtool_metrics(&metrics);
    let health = get(&listen, "/healthz").unwrap();
    assert!(
        health.starts_with("ok\n") && health.contains("lag: up"),
        "{health}"
    );
    assert!(
        get(&listen, "/").unwrap().contains("<table"),
        "the index page"
    );

    // The one-shot exposition passes too (it failed on a gauge named *_total).
    let out = kafkaops()
        .args([
            "-b",
            b.bootstrap(),
            "lag",
            "--group",
            &group,
            "-o",
            "prometheus",
        ])
        .output()
        .unwrap();
    assert!(out.status.success());
    promtool_metrics(&String::from_utf8(out.stdout).unwrap());

    // Prometheus with the shipped rules, their `for:` shortened to a second.
    let dir = tempfile::tempdir().unwrap();
    let shipped = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("monitoring/kafkaops-rules.yml"),
    )
    .unwrap();
    let fast = regex::Regex::new(r"for: \d+m")
        .unwrap()
        .replace_all(&shipped, "for: 1s");
    std::fs::write(dir.path().join("rules.yml"), fast.as_ref()).unwrap();
    std::fs::write(
        dir.path().join("prometheus.yml"),
        format!(
            "global:\n  scrape_interval: 1s\n  evaluation_interval: 1s\nrule_files: [rules.yml]\n\
             scrape_configs:\n  - job_name: kafkaops\n    static_configs:\n      - targets: ['{listen}']\n"
        ),
    )
    .unwrap();
    let prom = free_address();
    let _prometheus = Running(
        Command::new("prometheus")
            .current_dir(dir.path())
            .arg("--config.file=prometheus.yml")
            .arg(format!(
                "--storage.tsdb.path={}",
                dir.path().join("data").display()
            ))
            .arg(format!("--web.listen-address={prom}"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("start prometheus"),
    );
    let lags = wait_for(
        "the lag series in Prometheus",
        Duration::from_secs(30),
        || {
            let r = query(
                &prom,
                &format!("kafkaops_consumergroup_lag{{group=\"{group}\"}}"),
            );
            (r.len() == 2).then_some(r)
        },
    );
    let mut by_partition: Vec<(String, f64)> = lags
        .iter()
        .map(|(m, v)| (m["partition"].as_str().unwrap().to_string(), *v))
        .collect();
    by_partition.sort_by(|a, b| a.0.cmp(&b.0));
    assert_eq!(by_partition, vec![("0".into(), 8.0), ("1".into(), 7.0)]);
    let total = query(
        &prom,
        &format!("kafkaops_consumergroup_group_lag{{group=\"{group}\"}}"),
    );
    assert_eq!(total[0].1, 15.0);
    let cats = query(
        &prom,
        &format!("kafkaops_dlq_category_info{{topic=\"{dlq}\"}}"),
    );
    assert_eq!(cats.len(), 1, "{cats:?}");
    assert_eq!(cats[0].0["exception"], "java.lang.IllegalStateException");
    assert_eq!(cats[0].0["original_topic"].as_str(), Some(topic.as_str()));
    let up = query(&prom, "kafkaops_lag_up");
    assert_eq!(up[0].1, 1.0);

    // "Any DLQ record" and the SLA breach go to firing.
    let firing = wait_for("the DLQ alerts to fire", Duration::from_secs(30), || {
        let v = json(&get(&prom, "/api/v1/alerts")?);
        let names: Vec<String> = v["data"]["alerts"]
            .as_array()?
            .iter()
            .filter(|a| {
                a["state"] == "firing" && a["labels"]["topic"].as_str() == Some(dlq.as_str())
            })
            .map(|a| a["labels"]["alertname"].as_str().unwrap().to_string())
            .collect();
        (names.contains(&"KafkaopsDlqRecords".to_string())
            && names.contains(&"KafkaopsDlqSlaBreached".to_string()))
        .then_some(names)
    });
    assert!(!firing.is_empty());
}

#[test]
fn dlq_records_are_read_incrementally() {
    let b = Broker::kafka();
    let dlq = unique("serve-inc-dlq");
    b.create_topic(&dlq, 2);
    b.produce(
        &dlq,
        &[Rec::new(0, "a", "x").header("kafka_dlt-exception-fqcn", "E1")],
    );
    let listen = free_address();
    let _serve = serve(b.bootstrap(), &listen, &["--no-lag", "--dlq-topic", &dlq]);
    let series = format!("kafkaops_dlq_records{{topic=\"{dlq}\"}} ");
    // No lag source: not even the HELP and TYPE lines of its health.
    let m = wait_for("a scrape", Duration::from_secs(20), || {
        get(&listen, "/metrics")
    });
    assert!(!m.contains("kafkaops_lag_"), "{m}");
    let value = |m: &str| -> Option<f64> {
        m.lines()
            .find_map(|l| l.strip_prefix(series.as_str()))
            .map(|v| v.parse().unwrap())
    };
    wait_for("the first scan", Duration::from_secs(20), || {
        value(&get(&listen, "/metrics")?).filter(|v| *v == 1.0)
    });
    b.produce(
        &dlq,
        &[
            Rec::new(1, "b", "x").header("kafka_dlt-exception-fqcn", "E2"),
            Rec::new(0, "c", "x").header("kafka_dlt-exception-fqcn", "E1"),
        ],
    );
    let m = wait_for("the appended records", Duration::from_secs(20), || {
        get(&listen, "/metrics").filter(|m| value(m) == Some(3.0))
    });
    // Counted once each: the first record was not read again.
    let cats: Vec<&str> = m
        .lines()
        .filter(|l| l.starts_with("kafkaops_dlq_category_records{"))
        .collect();
    assert_eq!(cats.len(), 2, "{cats:?}");
    assert!(cats.iter().any(|l| l.ends_with(" 2")), "{cats:?}");
    let read = m
        .lines()
        .find(|l| l.starts_with("kafkaops_collections_total{"))
        .unwrap();
    assert!(!read.ends_with(" 0"), "{read}");
}

#[test]
fn bad_settings_fail_at_start() {
    let b = Broker::kafka();
    let held = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let busy = held.local_addr().unwrap().to_string();
    let out = kafkaops()
        .args([
            "-b",
            b.bootstrap(),
            "serve",
            "--listen",
            &busy,
            "--group",
            "g",
        ])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("cannot listen on") && err.contains("--listen"),
        "{err}"
    );

    let out = kafkaops()
        .args(["-b", b.bootstrap(), "serve", "--group-regex", "("])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("malformed --group-regex"));

    let dir = tempfile::tempdir().unwrap();
    let cfg = dir.path().join("serve.toml");
    std::fs::write(&cfg, "dlq-topik = [\"x\"]\n").unwrap();
    let out = kafkaops()
        .args(["-b", b.bootstrap(), "serve", "--config"])
        .arg(&cfg)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("dlq-topik"));

    let dead = dead_address();
    let out = kafkaops()
        .args([
            "-b",
            &dead,
            "--timeout",
            "2s",
            "serve",
            "--listen",
            &free_address(),
            "--group",
            "g",
        ])
        .timeout(Duration::from_secs(60))
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(3),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

#[test]
fn a_broker_outage_shows_as_down_not_as_lag_zero() {
    let b = Broker::mock(1);
    let topic = unique("serve-out");
    let group = unique("serve-out-g");
    b.create_topic(&topic, 1);
    b.produce(
        &topic,
        &(0..5)
            .map(|i| Rec::new(0, &format!("k{i}"), "v"))
            .collect::<Vec<_>>(),
    );
    b.commit(&group, &topic, &[(0, 1)]);
    let listen = free_address();
    let _serve = serve(
        b.bootstrap(),
        &listen,
        &["--group", &group, "--timeout", "1s", "--no-age"],
    );
    let lag = format!(
        "kafkaops_consumergroup_lag{{group=\"{group}\",topic=\"{topic}\",partition=\"0\"}} "
    );
    wait_for("the lag", Duration::from_secs(20), || {
        get(&listen, "/metrics").filter(|m| m.contains(&format!("{lag}4")))
    });
    let outage = b.outage(1);
    let m = wait_for("the failed collection", Duration::from_secs(40), || {
        get(&listen, "/metrics").filter(|m| m.contains("kafkaops_lag_up 0"))
    });
    assert!(
        !m.contains(&lag),
        "no lag figures while the broker is down:\n{m}"
    );
    assert!(
        !m.contains("kafkaops_collection_errors_total{source=\"lag\"} 0"),
        "{m}"
    );
    outage.end();
    wait_for("the recovery", Duration::from_secs(40), || {
        get(&listen, "/metrics")
            .filter(|m| m.contains("kafkaops_lag_up 1") && m.contains(&format!("{lag}4")))
    });
}

#[test]
fn sigterm_stops_serve_cleanly() {
    let b = Broker::mock(1);
    let topic = unique("serve-term");
    b.create_topic(&topic, 1);
    let listen = free_address();
    let mut s = serve(b.bootstrap(), &listen, &["--no-lag", "--dlq-topic", &topic]);
    wait_for("serving", Duration::from_secs(20), || {
        get(&listen, "/healthz")
    });
    let pid = s.0.id().to_string();
    assert!(Command::new("kill")
        .args(["-TERM", &pid])
        .status()
        .unwrap()
        .success());
    let until = Instant::now() + Duration::from_secs(15);
    let status = loop {
        if let Some(st) = s.0.try_wait().unwrap() {
            break st;
        }
        assert!(Instant::now() < until, "serve did not stop on SIGTERM");
        std::thread::sleep(Duration::from_millis(100));
    };
    assert_eq!(status.code(), Some(0));
}

/// Partitions added to a topic (confluent-kafka's admin client).
const ADD_PARTITIONS: &str = r#"
import sys
from confluent_kafka.admin import AdminClient, NewPartitions
a = AdminClient({"bootstrap.servers": sys.argv[1]})
for f in a.create_partitions([NewPartitions(sys.argv[2], int(sys.argv[3]))]).values():
    f.result()
"#;

#[test]
fn groups_and_partitions_created_while_serving_are_picked_up() {
    let b = Broker::kafka();
    let topic = unique("serve-grow");
    let prefix = unique("serve-grow-g");
    let (first, second) = (format!("{prefix}-a"), format!("{prefix}-b"));
    b.create_topic(&topic, 1);
    b.produce(&topic, &[Rec::new(0, "a", "v"), Rec::new(0, "b", "v")]);
    b.commit(&first, &topic, &[(0, 1)]);
    let listen = free_address();
    let regex = format!("^{prefix}-");
    let _serve = serve(b.bootstrap(), &listen, &["--group-regex", &regex]);
    let lag = |m: &str, group: &str, p: i32| -> Option<f64> {
        let series = format!(
            "kafkaops_consumergroup_lag{{group=\"{group}\",topic=\"{topic}\",partition=\"{p}\"}} "
        );
        m.lines()
            .find_map(|l| l.strip_prefix(series.as_str()))
            .map(|v| v.parse().unwrap())
    };
    wait_for("the first group", Duration::from_secs(20), || {
        get(&listen, "/metrics").filter(|m| lag(m, &first, 0) == Some(1.0))
    });

    python(ADD_PARTITIONS, &[b.bootstrap(), &topic, "2"]);
    b.produce(
        &topic,
        &[
            Rec::new(1, "c", "v"),
            Rec::new(1, "d", "v"),
            Rec::new(1, "e", "v"),
        ],
    );
    b.commit(&second, &topic, &[(0, 2), (1, 0)]);
    let m = wait_for(
        "the new group and partition",
        Duration::from_secs(30),
        || get(&listen, "/metrics").filter(|m| lag(m, &second, 1) == Some(3.0)),
    );
    assert_eq!(lag(&m, &second, 0), Some(0.0), "{m}");
    assert_eq!(lag(&m, &first, 0), Some(1.0), "{m}");
    let collections = m
        .lines()
        .find_map(|l| l.strip_prefix("kafkaops_collection_errors_total{source=\"lag\"} "))
        .unwrap();
    assert_eq!(collections, "0", "no cycle failed: {m}");
}
