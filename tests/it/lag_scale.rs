//! Scale check of `kafkaops lag`: 1,000 groups over a 48-partition topic on a
//! three-broker mock cluster and on Apache Kafka, every figure verified. Ignored by default (seeding takes a while); run
//! `cargo test --test it lag_scale -- --ignored --nocapture` to see the timing, which is
//! printed, never asserted (the benchmark figure lives in the report, not in a test).

use crate::support;

use std::time::Instant;

use serde_json::Value;
use support::{commit_offsets, kafkaops, now_ms, Broker, Rec};

const GROUPS: usize = 1000;
const PARTITIONS: i32 = 48;
const RECORDS: i64 = 100;

/// Group i commits partition p at this offset, or never (every 7th group skips p 5).
fn committed(i: usize, p: i32) -> Option<i64> {
    if i % 7 == 0 && p == 5 {
        return None;
    }
    Some(((i * 13 + p as usize * 3) % (RECORDS as usize + 1)) as i64)
}

#[test]
#[ignore = "seeds 1,000 groups; run with --ignored to measure"]
fn thousand_groups_on_48_partitions() {
    // Three mock brokers spread the partition leaders, so offsets are read from several
    // brokers at once; `mock_faults` is `None` when the suite runs on an external cluster.
    let brokers = Broker::mock_faults(3).into_iter().chain([Broker::kafka()]);
    for broker in brokers {
        let topic = support::unique("scale");
        broker.create_topic(&topic, PARTITIONS);
        let base = now_ms() - 86_400_000;
        let recs: Vec<Rec> = (0..PARTITIONS)
            .flat_map(|p| (0..RECORDS).map(move |i| Rec::new(p, "k", "v").at(base + i * 1000)))
            .collect();
        broker.produce(&topic, &recs);
        let groups: Vec<String> = (0..GROUPS)
            .map(|i| format!("{}-{i:04}", support::unique("g")))
            .collect();
        let seed_start = Instant::now();
        std::thread::scope(|s| {
            for chunk in groups.chunks(GROUPS / 8).enumerate() {
                let (bootstrap, topic) = (broker.bootstrap(), &topic);
                s.spawn(move || {
                    let (c, names) = chunk;
                    for (j, g) in names.iter().enumerate() {
                        let i = c * (GROUPS / 8) + j;
                        let offs: Vec<(i32, i64)> = (0..PARTITIONS)
                            .filter_map(|p| committed(i, p).map(|o| (p, o)))
                            .collect();
                        // From several threads: the mock cluster handle is not `Sync`.
                        commit_offsets(bootstrap, g, topic, &offs);
                    }
                });
            }
        });
        eprintln!(
            "{}: seeded {GROUPS} groups in {:.1?}",
            broker.label(),
            seed_start.elapsed()
        );

        let mut args = vec![
            "-b".to_string(),
            broker.bootstrap().to_string(),
            "lag".into(),
            "-o".into(),
            "json".into(),
        ];
        args.extend(["--topic".to_string(), topic.clone()]);
        for g in &groups {
            args.extend(["--group".to_string(), g.clone()]);
        }
        for extra in [vec![], vec!["--no-age"]] {
            let start = Instant::now();
            let out = kafkaops().args(&args).args(&extra).output().unwrap();
            let took = start.elapsed();
            assert!(
                out.status.success(),
                "{}: {}",
                broker.label(),
                String::from_utf8_lossy(&out.stderr)
            );
            eprintln!(
            "{}: kafkaops lag {extra:?}: {GROUPS} groups x {PARTITIONS} partitions in {took:.2?}",
            broker.label()
        );
            let v: Value = serde_json::from_slice(&out.stdout).unwrap();
            let reported = v["groups"].as_array().unwrap();
            assert_eq!(reported.len(), GROUPS, "{}", broker.label());
            for (i, g) in groups.iter().enumerate() {
                let r = reported.iter().find(|x| x["group"] == g.as_str()).unwrap();
                let parts = r["partitions"].as_array().unwrap();
                assert_eq!(parts.len(), PARTITIONS as usize);
                for p in parts {
                    let pid = p["partition"].as_i64().unwrap() as i32;
                    match committed(i, pid) {
                        None => assert_eq!(p["lag"], Value::Null, "{}: {g}[{pid}]", broker.label()),
                        Some(o) => {
                            assert_eq!(p["lag"], RECORDS - o, "{}: {g}[{pid}]", broker.label());
                            if extra.is_empty() && o < RECORDS {
                                // Record o has timestamp base + o s.
                                let want = (now_ms() - (base + o * 1000)) as f64 / 1000.0;
                                let got = p["event_age_seconds"].as_f64().unwrap();
                                assert!(
                                    (got - want).abs() < 120.0,
                                    "{}: {g}[{pid}]: age {got} vs {want}",
                                    broker.label()
                                );
                            }
                        }
                    }
                }
            }
        }
    }
}
