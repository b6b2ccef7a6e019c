//! Replays on Apache Kafka that lose their broker or their own process mid-way: the
//! broker stopped with SIGTERM and started again on the same log directory (a private
//! broker, so the shared one stays up for the tests beside), and kafkaops killed with
//! SIGKILL. Either way, after `replay resume` the destination holds each planned
//! record exactly once.

use crate::replay::{
    assert_exactly_once, big_source, cmd, record_count, spawn, status_for, stderr_of, wait_exit,
    wait_for,
};
use crate::support;

use std::time::Duration;

use support::{Broker, PrivateKafka};

/// `replay run` of both partitions of `src` (from [`big_source`]) into `dst`.
fn replay_args<'a>(src: &'a str, dst: &'a str, rate: &'a str) -> Vec<&'a str> {
    vec![
        "replay",
        "run",
        "--yes",
        "--owner",
        "alice",
        "--reason",
        "restart",
        "--topic",
        src,
        "--offsets",
        "0:0-",
        "--offsets",
        "1:0-",
        "--to",
        dst,
        "--rate",
        rate,
    ]
}

#[test]
fn a_broker_restart_mid_replay_is_ridden_out_or_resumed_to_exactly_once() {
    let kafka = PrivateKafka::start();
    let broker = Broker::at(&kafka.env.bootstrap, "private kafka");
    let (src, dst, expected) = big_source(&broker, 300);
    let mut child = spawn(&broker, &replay_args(&src, &dst, "40/s"));
    wait_for(
        "records in the destination",
        Duration::from_secs(30),
        || record_count(&broker, &dst) >= 40,
    );
    assert!(
        record_count(&broker, &dst) < 200,
        "the replay is nearly done before the broker stops"
    );
    kafka.stop();
    std::thread::sleep(Duration::from_secs(2));
    kafka.restart();
    let code = wait_exit(&mut child, Duration::from_secs(180));
    let stderr = stderr_of(child);
    let st = status_for(&broker, &dst);
    let id = st["id"].as_str().unwrap().to_string();
    eprintln!("the replay across the restart exited {code}: {stderr}");
    if code != 0 {
        assert_eq!(code, 4, "{stderr}");
        assert!(stderr.contains("replay resume"), "{stderr}");
        cmd(&broker)
            .args(["replay", "resume", &id, "--yes", "--rate", "unlimited"])
            .assert()
            .success();
    }
    assert_exactly_once(&broker, &dst, &id, &expected);
}

#[test]
fn sigkill_mid_replay_then_resume_is_exactly_once_in_five_trials() {
    let broker = Broker::kafka();
    for trial in 0..5 {
        let (src, dst, expected) = big_source(&broker, 120);
        let mut child = spawn(&broker, &replay_args(&src, &dst, "100/s"));
        // A different moment each trial: from the first records to most of them.
        let at = 10 + trial * 20;
        wait_for(
            "records in the destination",
            Duration::from_secs(30),
            || record_count(&broker, &dst) >= at,
        );
        child.kill().unwrap(); // SIGKILL
        child.wait().unwrap();
        let st = status_for(&broker, &dst);
        let id = st["id"].as_str().unwrap().to_string();
        if st["state"] != "completed" {
            assert_eq!(st["state"], "interrupted", "trial {trial}: {st}");
            cmd(&broker)
                .args(["replay", "resume", &id, "--yes", "--rate", "unlimited"])
                .assert()
                .success();
        }
        assert_exactly_once(&broker, &dst, &id, &expected);
    }
}
