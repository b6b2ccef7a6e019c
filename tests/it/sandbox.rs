//! `kafkaops sandbox`: the embedded broker serves the tool's own commands and an
//! independent client from another process, on a fixed address, and stops on Ctrl-C.

use crate::support;

use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use predicates::prelude::*;
use support::{kafkaops, kafkaops_std};

struct Running {
    child: Child,
    address: String,
}

impl Drop for Running {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn start_sandbox(extra: &[&str]) -> Running {
    let address = support::free_address();
    let mut child = kafkaops_std()
        .args(["sandbox", "--listen", &address])
        .args(extra)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let stdout = child.stdout.take().unwrap();
    let mut lines = BufReader::new(stdout).lines();
    let deadline = Instant::now() + Duration::from_secs(60);
    loop {
        assert!(
            Instant::now() < deadline,
            "sandbox never printed its banner"
        );
        let line = lines.next().expect("sandbox exited early").unwrap();
        if line.contains("Ctrl-C stops it") {
            break;
        }
    }
    // Keep draining stdout so the sandbox never blocks on a full pipe.
    std::thread::spawn(move || for _ in lines {});
    Running { child, address }
}

#[test]
fn sandbox_serves_seeded_topics_to_the_tool_and_to_other_clients() {
    let sb = start_sandbox(&[]);
    let out = kafkaops()
        .args([
            "-b",
            &sb.address,
            "topic",
            "describe",
            "--topic",
            "payments-dlt",
            "-o",
            "json",
        ])
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    let v: serde_json::Value = serde_json::from_slice(&out).unwrap();
    assert_eq!(v["records"], 3750);
    assert_eq!(v["partitions"].as_array().unwrap().len(), 6);

    // An independent client (librdkafka 2.16 through confluent-kafka) sees the same
    // topics and the seeded group commits through the fixed address.
    let script = r#"
import sys
from confluent_kafka import Consumer, TopicPartition
c = Consumer({"bootstrap.servers": sys.argv[1], "group.id": "fulfilment"})
md = c.list_topics(timeout=10)
print(sorted(t for t in md.topics if not t.startswith("__")))
lag = 0
for p in range(6):
    tp = TopicPartition("orders", p)
    committed = c.committed([tp], timeout=10)[0].offset
    low, high = c.get_watermark_offsets(tp, timeout=10)
    lag += high - committed
print(lag)
"#;
    let printed = support::python(script, &[&sb.address]);
    let mut lines = printed.lines();
    assert_eq!(
        lines.next().unwrap(),
        "['orders', 'payments', 'payments-dlt']"
    );
    let lag: i64 = lines.next().unwrap().parse().unwrap();
    assert!(
        lag >= 6 * 70,
        "fulfilment should lag by at least 70 per partition, got {lag}"
    );

    if which("kcat") {
        let out = Command::new("kcat")
            .args(["-b", &sb.address, "-L", "-t", "orders"])
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "kcat -L failed: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        assert!(String::from_utf8_lossy(&out.stdout).contains("topic \"orders\" with 6 partitions"));
    }
}

#[test]
fn sandbox_stops_cleanly_on_ctrl_c() {
    let mut sb = start_sandbox(&["--seed", "none"]);
    let status = Command::new("kill")
        .args(["-INT", &sb.child.id().to_string()])
        .status()
        .unwrap();
    assert!(status.success());
    let deadline = Instant::now() + Duration::from_secs(20);
    loop {
        if let Some(status) = sb.child.try_wait().unwrap() {
            assert_eq!(status.code(), Some(0));
            break;
        }
        assert!(Instant::now() < deadline, "sandbox did not stop on SIGINT");
        std::thread::sleep(Duration::from_millis(100));
    }
}

#[test]
fn sandbox_on_a_busy_address_exits_2_with_a_hint() {
    let busy = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = busy.local_addr().unwrap().to_string();
    kafkaops()
        .args(["sandbox", "--listen", &addr])
        .assert()
        .code(2)
        .stderr(predicate::str::contains(format!("cannot listen on {addr}")))
        .stderr(predicate::str::contains("--listen"));
}

fn which(bin: &str) -> bool {
    Command::new("sh")
        .arg("-c")
        .arg(format!("command -v {bin}"))
        .output()
        .map(|o| o.status.success())
        .unwrap_or(false)
}
