//! The duplicate guard's destination probe end to end: copies that several
//! earlier replays wrote are counted per replay over a plan's own ranges only,
//! whether this machine's replay states know those replays or not. (The basic
//! refusals, `--allow-duplicate` and the key-filter confirmation are in `replay`.)

use crate::replay::{audit_log, cmd};
use crate::support;

use std::path::Path;

use support::{json, Broker, Rec};

const H_ID: &str = "kafkaops.replay.id";
const H_SOURCE: &str = "kafkaops.replay.source";

/// `replay run` with its own state dir (`XDG_STATE_HOME`), as another machine.
fn replay(broker: &Broker, state: &Path, audit: &Path, args: &[&str]) -> assert_cmd::Command {
    let mut c = cmd(broker);
    c.env("XDG_STATE_HOME", state)
        .args(["replay", "run", "--yes", "--owner", "a", "--reason", "r"])
        .arg("--audit-log")
        .arg(audit)
        .args(args);
    c
}

/// The stderr of a run refused as a second copy.
fn refused(mut c: assert_cmd::Command) -> String {
    let out = c.assert().code(2);
    String::from_utf8_lossy(&out.get_output().stderr).into_owned()
}

fn replay_id(out: &[u8]) -> String {
    json(out)["id"].as_str().unwrap().to_string()
}

#[test]
fn copies_of_several_earlier_replays_are_counted_over_the_planned_range_only() {
    for broker in support::mock_and_kafka() {
        let src = support::unique("dup-probe-src");
        let dst = support::unique("dup-probe-dst");
        broker.create_topic(&src, 2);
        broker.create_topic(&dst, 2);
        let recs: Vec<Rec> = (0..2)
            .flat_map(|p| (0..10).map(move |i| Rec::new(p, &format!("k{i}"), &format!("{p}-{i}"))))
            .collect();
        broker.produce(&src, &recs);
        let (_d, audit) = audit_log();
        let here = tempfile::tempdir().unwrap();
        let to = ["--to", dst.as_str()];

        // Two earlier replays of partition 0 that overlap each other: 0-3 and 2-5.
        let mut ids = Vec::new();
        for (offsets, extra) in [("0:0-3", None), ("0:2-5", Some("--allow-duplicate"))] {
            let out = replay(&broker, here.path(), &audit, &["-o", "json"])
                .args(["--topic", &src, "--offsets", offsets])
                .args(to)
                .args(extra)
                .assert()
                .success()
                .get_output()
                .stdout
                .clone();
            ids.push(replay_id(&out));
        }
        let (a, b) = (&ids[0], &ids[1]);
        // Copies naming records no plan below covers, written by a third party:
        // another partition's offset, another topic, a malformed source.
        let stray = |source: String| {
            Rec::new(0, "x", "stray")
                .header(H_ID, "rp-stray")
                .header(H_SOURCE, source)
        };
        broker.produce(
            &dst,
            &[
                stray(format!("{src}/0/9")),
                stray(format!("{src}/1/3")),
                stray(format!("{src}-other/0/1")),
                stray(format!("{src}/0/")),
            ],
        );

        // Offsets 1-5 of partition 0: three of a's copies, four of b's, none of the strays.
        let sel = ["--topic", &src, "--offsets", "0:1-5", "--offsets", "1:5-9"];
        let elsewhere = tempfile::tempdir().unwrap();
        let err = refused(replay(
            &broker,
            elsewhere.path(),
            &audit,
            &[&sel[..], &to].concat(),
        ));
        for (n, id) in [(3, a), (4, b)] {
            assert!(
                err.contains(&format!(
                    "'{dst}' already holds {n} of these records written by replay {id} (not in this machine's replay states)"
                )),
                "{}: {err}",
                broker.label()
            );
        }
        assert!(!err.contains("rp-stray"), "{err}");
        assert!(
            err.contains(&format!(
                "kafkaops drill --verify {}",
                ids.iter().min().unwrap()
            )),
            "{err}"
        );

        // The same plan where the states know both: each gains its count.
        let err = refused(replay(
            &broker,
            here.path(),
            &audit,
            &[&sel[..], &to].concat(),
        ));
        for (n, id) in [(3, a), (4, b)] {
            assert!(
                err.contains(&format!("replay {id} replayed an overlapping selection of the same records to the same destination (completed, ")),
                "{err}"
            );
            assert!(
                err.contains(&format!(
                    "'{dst}' already holds {n} of these records from it"
                )),
                "{err}"
            );
        }

        // Offsets 6-8 hold no copy (the stray of offset 9 is outside): not refused.
        replay(&broker, elsewhere.path(), &audit, &["--topic", &src])
            .args(["--offsets", "0:6-8"])
            .args(to)
            .assert()
            .success();
        // The stray copy is read when its record is planned, so ignoring it above
        // was the range's doing.
        replay(&broker, elsewhere.path(), &audit, &["--topic", &src])
            .args(["--offsets", "0:9-9"])
            .args(to)
            .assert()
            .code(2)
            .stderr(predicates::str::contains(format!(
                "'{dst}' already holds 1 of these records written by replay rp-stray"
            )));
    }
}
