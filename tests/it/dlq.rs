//! `kafkaops dlq triage|inspect|export` against real brokers: records in every
//! dead-letter convention, produced with the producers' exact byte encodings,
//! then categories, counts, decoded fields, rules, the SLA exit code and the
//! export round-trip are checked through the real binary. Each test runs on the
//! librdkafka mock cluster and on Tansu (or on KAFKAOPS_TEST_BROKERS).

use crate::support;

use std::collections::BTreeMap;

use kafkaops::dlq::export::read_all;
use kafkaops::dlq::{Classifier, ClassifierOptions, Dimension, Overrides};
use predicates::prelude::PredicateBooleanExt;
use serde_json::Value;
use support::{brokers, json, kafkaops, now_ms, Broker, Rec, Refusal};

const HOUR: i64 = 3_600_000;

/// A Spring `DeadLetterPublishingRecoverer` record: binary big-endian partition,
/// offset and timestamp headers, text for the rest.
#[allow(clippy::too_many_arguments)]
fn spring_dlt(
    p: i32,
    key: &str,
    orig: &str,
    orig_part: i32,
    orig_off: i64,
    exc: &str,
    cause: &str,
    msg: &str,
) -> Rec {
    Rec::new(p, key, r#"{"order": 1}"#)
        .header("kafka_dlt-original-topic", orig)
        .header("kafka_dlt-original-partition", orig_part.to_be_bytes())
        .header("kafka_dlt-original-offset", orig_off.to_be_bytes())
        .header(
            "kafka_dlt-original-timestamp",
            1_700_000_000_123i64.to_be_bytes(),
        )
        .header("kafka_dlt-original-timestamp-type", "CreateTime")
        .header("kafka_dlt-original-consumer-group", "billing")
        .header("kafka_dlt-exception-fqcn", exc)
        .header("kafka_dlt-exception-cause-fqcn", cause)
        .header("kafka_dlt-exception-message", msg)
        .header(
            "kafka_dlt-exception-stacktrace",
            format!("{exc}: {msg}\n\tat com.acme.Orders.save(Orders.java:42)"),
        )
}

/// A Spring retryable-topic record: `kafka_original-*`, 4-byte attempts, and the
/// BigInteger.toByteArray() original timestamp.
fn spring_retry(p: i32, key: &str, msg: &str) -> Rec {
    let ts: Vec<u8> = 1_700_000_000_123i64
        .to_be_bytes()
        .into_iter()
        .skip_while(|b| *b == 0)
        .collect();
    Rec::new(p, key, "payload")
        .header("kafka_original-topic", "payments")
        .header("kafka_original-partition", 2i32.to_be_bytes())
        .header("kafka_original-offset", 17i64.to_be_bytes())
        .header("kafka_exception-fqcn", "java.net.SocketTimeoutException")
        .header("kafka_exception-message", msg)
        .header("kafka_dlt-original-consumer-group", "payments-app")
        .header("retry_topic-attempts", 3i32.to_be_bytes())
        .header("retry_topic-original-timestamp", ts)
}

fn connect(p: i32, key: &str, off: i64) -> Rec {
    Rec::new(p, key, "not json at all")
        .header("__connect.errors.topic", "inventory")
        .header("__connect.errors.partition", "1")
        .header("__connect.errors.offset", off.to_string())
        .header("__connect.errors.connector.name", "jdbc-sink")
        .header("__connect.errors.task.id", "0")
        .header("__connect.errors.stage", "VALUE_CONVERTER")
        .header(
            "__connect.errors.class.name",
            "org.apache.kafka.connect.json.JsonConverter",
        )
        .header(
            "__connect.errors.exception.class.name",
            "org.apache.kafka.connect.errors.DataException",
        )
        .header(
            "__connect.errors.exception.message",
            "Converting byte[] to Kafka Connect data failed due to serialization error",
        )
}

fn streams(p: i32) -> Rec {
    Rec::new(p, "s1", "x")
        .header(
            "__streams.errors.exception",
            "java.lang.NumberFormatException: For input string: \"x1\"",
        )
        .header(
            "__streams.errors.stacktrace",
            "java.lang.NumberFormatException ...",
        )
        .header("__streams.errors.topic", "clicks")
        .header("__streams.errors.partition", "4")
        .header("__streams.errors.offset", "99")
}

fn smallrye(p: i32) -> Rec {
    Rec::new(p, "q1", "x")
        .header(
            "dead-letter-exception-class-name",
            "io.vertx.core.VertxException",
        )
        .header("dead-letter-reason", "Timeout after 3000 ms")
        .header(
            "dead-letter-cause-class-name",
            "java.util.concurrent.TimeoutException",
        )
        .header("dead-letter-topic", "quarkus-in")
        .header("dead-letter-partition", "0")
        .header("dead-letter-offset", "5")
}

fn karafka(p: i32) -> Rec {
    Rec::new(p, "r1", "x")
        .header("original_topic", "events")
        .header("original_partition", "1")
        .header("original_offset", "77")
        .header("original_consumer_group", "karafka-app")
}

/// A topic holding one or more records of every convention, timestamped `ts`.
/// Returns the topic and the records in production order.
fn seed_all(broker: &Broker, ts: i64) -> (String, Vec<Rec>) {
    let topic = support::unique("dlq-all");
    broker.create_topic(&topic, 3);
    let pg = "org.postgresql.util.PSQLException";
    let lefe = "org.springframework.kafka.listener.ListenerExecutionFailedException";
    let mut recs = vec![
        spring_dlt(
            0,
            "o-1",
            "orders",
            3,
            81_723,
            lefe,
            pg,
            "Listener failed; duplicate key (id)=(81723)",
        ),
        spring_dlt(
            1,
            "o-2",
            "orders",
            1,
            99,
            lefe,
            pg,
            "Listener failed; duplicate key (id)=(99)",
        ),
        spring_dlt(
            2,
            "o-1",
            "orders",
            3,
            5,
            lefe,
            pg,
            "Listener failed; duplicate key (id)=(5)",
        ),
        spring_dlt(
            0,
            "o-9",
            "orders",
            0,
            1,
            lefe,
            pg,
            "Listener failed; foreign key violation on customers",
        ),
        spring_retry(1, "p-1", "Read timed out after 30000 ms"),
        spring_retry(2, "p-2", "Read timed out after 5000 ms"),
        connect(0, "c-1", 1234),
        connect(1, "c-2", 1235),
        streams(2),
        smallrye(0),
        karafka(1),
        // Nothing recognisable, and a tombstone: the "unknown" category.
        Rec {
            partition: Some(2),
            key: Some(b"t-1".to_vec()),
            value: None,
            headers: vec![],
            timestamp_ms: None,
        },
        Rec::new(
            0,
            "e-1",
            r#"{"error": {"message": "quota exceeded for tenant 42", "class": "QuotaError"}, "payload": {}}"#,
        ),
    ];
    for r in &mut recs {
        r.timestamp_ms = Some(ts);
    }
    broker.produce(&topic, &recs);
    (topic, recs)
}

fn triage_json(broker: &Broker, topic: &str, extra: &[&str]) -> Value {
    let out = kafkaops()
        .args([
            "-b",
            broker.bootstrap(),
            "-o",
            "json",
            "dlq",
            "triage",
            "--topic",
            topic,
        ])
        .args(extra)
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    json(&out)
}

/// The first category of a triage report that `pick` accepts (the test fails if none does).
fn category(report: &Value, pick: impl Fn(&Value) -> bool) -> Value {
    report["categories"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| pick(c))
        .unwrap()
        .clone()
}

/// Categories keyed by their most common exception's simple name (or "unknown").
fn by_exception(report: &Value) -> BTreeMap<String, Vec<Value>> {
    let mut m: BTreeMap<String, Vec<Value>> = BTreeMap::new();
    for c in report["categories"].as_array().unwrap() {
        let name = c["exception"]
            .as_str()
            .map_or("unknown", |e| e.rsplit('.').next().unwrap())
            .to_string();
        m.entry(name).or_default().push(c.clone());
    }
    m
}

fn strings(v: &Value, field: &str) -> Vec<String> {
    v[field]
        .as_array()
        .unwrap()
        .iter()
        .map(|x| x["value"].as_str().unwrap().to_string())
        .collect()
}

#[test]
fn triage_recognises_every_convention_and_groups_normalised_reasons() {
    for broker in brokers() {
        let ts = now_ms() - 2 * HOUR;
        let (topic, recs) = seed_all(&broker, ts);
        let r = triage_json(&broker, &topic, &[]);
        let label = broker.label();
        assert_eq!(r["records"], recs.len() as u64, "{label}: {r}");
        assert_eq!(r["scan"]["counts"]["read"], recs.len() as u64, "{label}");
        let cats = by_exception(&r);
        // Three duplicate-key records with different ids form one category.
        let lefe = &cats["ListenerExecutionFailedException"];
        assert_eq!(lefe.len(), 2, "{label}: {lefe:?}");
        let dup = lefe
            .iter()
            .find(|c| c["records"] == 3)
            .expect("duplicate-key category");
        assert_eq!(dup["reason"], "Listener failed; duplicate key (id)=(<n>)");
        assert_eq!(dup["cause"], "org.postgresql.util.PSQLException");
        assert_eq!(strings(dup, "conventions"), vec!["spring-dlt"]);
        assert_eq!(strings(dup, "original_topics"), vec!["orders"]);
        assert_eq!(dup["original_partitions"], serde_json::json!([1, 3]));
        assert_eq!(strings(dup, "consumer_groups"), vec!["billing"]);
        assert_eq!(dup["distinct_keys"], 2, "{label}: o-1 twice, o-2 once");
        assert_eq!(dup["distinct_keys_approximate"], false);
        assert_eq!(dup["examples"].as_array().unwrap().len(), 2);
        assert_eq!(dup["action"], "unreviewed");
        assert_eq!(dup["first_dead_lettered_ms"], ts);
        let share = dup["share"].as_f64().unwrap();
        assert!((share - 3.0 / recs.len() as f64).abs() < 0.001, "{share}");
        let id = dup["id"].as_str().unwrap();
        assert_eq!(id.len(), 10);

        // Spring retry topics: "30000 ms" and "5000 ms" are one category.
        let retry = &cats["SocketTimeoutException"];
        assert_eq!(retry.len(), 1);
        assert_eq!(retry[0]["records"], 2);
        assert_eq!(retry[0]["reason"], "Read timed out after <duration>");
        assert_eq!(strings(&retry[0], "conventions"), vec!["spring-retry"]);
        assert_eq!(retry[0]["max_attempts"], 3);
        assert_eq!(strings(&retry[0], "original_topics"), vec!["payments"]);
        assert_eq!(retry[0]["original_partitions"], serde_json::json!([2]));

        let conn = &cats["DataException"][0];
        assert_eq!(conn["records"], 2);
        assert_eq!(strings(conn, "conventions"), vec!["kafka-connect"]);
        assert_eq!(strings(conn, "stages"), vec!["VALUE_CONVERTER"]);
        assert_eq!(
            strings(conn, "consumer_groups"),
            vec!["connector:jdbc-sink"]
        );
        assert_eq!(strings(conn, "original_topics"), vec!["inventory"]);

        let st = &cats["NumberFormatException"][0];
        assert_eq!(strings(st, "conventions"), vec!["kafka-streams"]);
        assert_eq!(st["reason"], "For input string: \"<str>\"");
        assert_eq!(st["original_partitions"], serde_json::json!([4]));

        let sr = &cats["VertxException"][0];
        assert_eq!(strings(sr, "conventions"), vec!["smallrye"]);
        assert_eq!(sr["reason"], "Timeout after <duration>");
        assert_eq!(sr["cause"], "java.util.concurrent.TimeoutException");

        let env = &cats["QuotaError"][0];
        assert_eq!(strings(env, "conventions"), vec!["json-envelope"]);
        assert_eq!(env["reason"], "quota exceeded for tenant <n>");

        // Karafka carries no reason, the bare tombstone no metadata at all: two unknown
        // categories, never one (a rule for the one must not decide the other).
        let unknown = &cats["unknown"];
        assert_eq!(unknown.len(), 2, "{label}: {unknown:?}");
        let conv_of = |c: &Value| strings(c, "conventions").join(",");
        let karafka = unknown.iter().find(|c| conv_of(c) == "karafka").unwrap();
        let bare = unknown.iter().find(|c| conv_of(c) == "none").unwrap();
        for c in [karafka, bare] {
            assert_eq!(c["unknown"], true);
            assert_eq!(c["records"], 1);
            assert_eq!(c["mixed_conventions"], false);
        }
        assert_eq!(bare["tombstones"], 1);
        assert_eq!(strings(karafka, "consumer_groups"), vec!["karafka-app"]);
        assert_eq!(r["facts"]["tombstones"], 1);

        // Same input, same IDs; and the library's classifier agrees (replay uses it).
        let again = triage_json(&broker, &topic, &[]);
        let ids = |v: &Value| {
            let mut x: Vec<String> = v["categories"]
                .as_array()
                .unwrap()
                .iter()
                .map(|c| c["id"].as_str().unwrap().to_string())
                .collect();
            x.sort();
            x
        };
        assert_eq!(ids(&r), ids(&again));
        let classifier = Classifier::new(ClassifierOptions::default()).unwrap();
        let raw: Vec<(&str, Option<&[u8]>)> = recs[0]
            .headers
            .iter()
            .map(|(n, v)| (n.as_str(), v.as_deref()))
            .collect();
        let lib_id = classifier.category_id(&kafkaops::dlq::RecordParts {
            partition: 0,
            key: recs[0].key.as_deref(),
            value: recs[0].value.as_deref(),
            headers: &raw,
        });
        assert_eq!(lib_id, id);
    }
}

#[test]
fn triage_table_and_jsonl_views() {
    for broker in support::brokers() {
        let (topic, recs) = seed_all(&broker, now_ms() - HOUR);
        let out = kafkaops()
            .args(["-b", broker.bootstrap(), "dlq", "triage", "--topic", &topic])
            .assert()
            .success()
            .get_output()
            .clone();
        let table = String::from_utf8(out.stdout).unwrap();
        assert!(
            table.contains("Listener failed; duplicate key (id)=(<n>)"),
            "{}: {table}",
            broker.label()
        );
        assert!(
            table.contains("(unknown: no exception or reason found)"),
            "{}: {table}",
            broker.label()
        );
        assert!(table.contains("unreviewed"), "{}: {table}", broker.label());
        assert!(
            table.contains(&format!("{topic}: {} records in 9 categories", recs.len())),
            "{}: {table}",
            broker.label()
        );
        assert!(
            table.contains("records with tombstones 1\n"),
            "{}: {table}",
            broker.label()
        );

        let out = kafkaops()
            .args([
                "-b",
                broker.bootstrap(),
                "-o",
                "jsonl",
                "dlq",
                "triage",
                "--topic",
                &topic,
            ])
            .assert()
            .success()
            .get_output()
            .stdout
            .clone();
        let lines: Vec<Value> = String::from_utf8(out)
            .unwrap()
            .lines()
            .map(|l| json(l.as_bytes()))
            .collect();
        assert_eq!(lines.len(), 9);
        assert_eq!(
            lines
                .iter()
                .map(|c| c["records"].as_u64().unwrap())
                .sum::<u64>(),
            recs.len() as u64
        );

        kafkaops()
            .args([
                "-b",
                broker.bootstrap(),
                "-o",
                "prometheus",
                "dlq",
                "triage",
                "--topic",
                &topic,
            ])
            .assert()
            .success()
            .stdout(predicates::str::contains(
                "# TYPE kafkaops_dlq_category_records gauge",
            ));
    }
}

#[test]
fn group_by_and_user_overrides() {
    for broker in brokers() {
        let topic = support::unique("dlq-custom");
        broker.create_topic(&topic, 1);
        let recs = vec![
            Rec::new(
                0,
                "a",
                r#"{"meta": {"why": "price 12.50 is negative", "src": "prices"}}"#,
            )
            .header("why", "hdr 1"),
            Rec::new(
                0,
                "b",
                r#"{"meta": {"why": "price 3 is negative", "src": "prices"}}"#,
            ),
            Rec::new(
                0,
                "a",
                r#"{"meta": {"why": "sku 'X-1' unknown", "src": "catalog"}}"#,
            ),
        ];
        broker.produce(&topic, &recs);
        let r = triage_json(
            &broker,
            &topic,
            &[
                "--reason-json-pointer",
                "/meta/why",
                "--original-topic-json-pointer",
                "/meta/src",
            ],
        );
        let cats = r["categories"].as_array().unwrap();
        assert_eq!(cats.len(), 2, "{r}");
        assert_eq!(cats[0]["reason"], "price <n> is negative");
        assert_eq!(cats[0]["records"], 2);
        assert_eq!(strings(&cats[0], "conventions"), vec!["custom"]);
        assert_eq!(strings(&cats[0], "original_topics"), vec!["prices"]);
        assert_eq!(cats[1]["reason"], "sku '<str>' unknown");

        // The header override wins over the pointer where the header exists.
        let r = triage_json(
            &broker,
            &topic,
            &[
                "--reason-header",
                "why",
                "--reason-json-pointer",
                "/meta/why",
            ],
        );
        let reasons: Vec<&str> = r["categories"]
            .as_array()
            .unwrap()
            .iter()
            .map(|c| c["reason"].as_str().unwrap())
            .collect();
        assert!(reasons.contains(&"hdr <n>"), "{reasons:?}");

        // --group-by original-topic,key: one category per (topic, key).
        let r = triage_json(
            &broker,
            &topic,
            &[
                "--original-topic-json-pointer",
                "/meta/src",
                "--group-by",
                "original-topic,key",
            ],
        );
        let mut groups: Vec<String> = r["categories"]
            .as_array()
            .unwrap()
            .iter()
            .map(|c| {
                format!(
                    "{}/{}",
                    c["group"][0]["value"].as_str().unwrap(),
                    c["group"][1]["value"].as_str().unwrap()
                )
            })
            .collect();
        groups.sort();
        assert_eq!(groups, vec!["catalog/a", "prices/a", "prices/b"]);
        assert_eq!(r["group_by"], serde_json::json!(["original-topic", "key"]));
    }
}

#[test]
fn inspect_decodes_typed_headers_and_payloads() {
    for broker in brokers() {
        let topic = support::unique("dlq-inspect");
        broker.create_topic(&topic, 2);
        let lefe = "org.springframework.kafka.listener.ListenerExecutionFailedException";
        // Dead-lettered twice: the original-* headers appear twice.
        let twice = spring_dlt(0, "k1", "orders", 3, 81_723, lefe, "x.Y", "second failure")
            .header("kafka_dlt-original-topic", "orders-retry")
            .header("kafka_dlt-original-partition", 5i32.to_be_bytes())
            .header("kafka_dlt-original-offset", 20i64.to_be_bytes());
        let truncated = Rec {
            partition: Some(1),
            key: Some(vec![0xff, 0x00, 0x01]),
            value: Some(vec![0x00, 0x9f, 0x92, 0x96]),
            headers: vec![
                ("kafka_dlt-original-topic".into(), Some(b"orders".to_vec())),
                ("kafka_dlt-original-partition".into(), Some(vec![0, 0, 3])),
                ("kafka_dlt-exception-message".into(), Some(b"boom".to_vec())),
                ("x-null".into(), None),
            ],
            timestamp_ms: None,
        };
        let placed = broker.produce(&topic, &[twice, truncated]);
        let (p0, o0) = placed[0];
        let (p1, o1) = placed[1];
        let out = kafkaops()
            .args([
                "-b",
                broker.bootstrap(),
                "-o",
                "json",
                "dlq",
                "inspect",
                "--topic",
                &topic,
            ])
            .args([
                "--offset",
                &format!("{p0}:{o0}"),
                "--offset",
                &format!("{p1}:{o1}"),
            ])
            .assert()
            .success()
            .get_output()
            .stdout
            .clone();
        let v = json(&out);
        let recs = v.as_array().unwrap();
        assert_eq!(recs.len(), 2, "{}: {v}", broker.label());
        let a = recs.iter().find(|r| r["partition"] == p0).unwrap();
        assert_eq!(a["convention"], "spring-dlt");
        assert_eq!(a["origin"]["topic"], "orders");
        assert_eq!(a["origin"]["partition"], 3);
        assert_eq!(a["origin"]["offset"], 81_723);
        assert_eq!(a["origin"]["timestamp_ms"], 1_700_000_000_123i64);
        assert_eq!(a["latest_hop"]["topic"], "orders-retry");
        assert_eq!(a["latest_hop"]["partition"], 5);
        assert_eq!(a["latest_hop"]["offset"], 20);
        assert_eq!(a["hops"], 2);
        assert_eq!(a["reason"], "second failure");
        assert_eq!(a["value"]["encoding"], "json");
        assert_eq!(a["value"]["json"]["order"], 1);
        assert_eq!(a["key"]["text"], "k1");
        let h = |r: &Value, name: &str| {
            r["headers"]
                .as_array()
                .unwrap()
                .iter()
                .find(|h| h["name"] == name)
                .cloned()
                .unwrap()
        };
        let part = h(a, "kafka_dlt-original-partition");
        assert_eq!(
            (part["type"].as_str(), part["value"].as_i64()),
            (Some("int32"), Some(3))
        );
        let off = h(a, "kafka_dlt-original-offset");
        assert_eq!(
            (off["type"].as_str(), off["value"].as_i64()),
            (Some("int64"), Some(81_723))
        );
        let ts = h(a, "kafka_dlt-original-timestamp");
        assert_eq!(ts["type"], "timestamp");
        assert_eq!(ts["time"], "2023-11-14T22:13:20.123Z");
        assert_eq!(h(a, "kafka_dlt-exception-fqcn")["value"], lefe);
        // Both occurrences of the repeated header are shown, in order.
        let topics: Vec<&str> = a["headers"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|x| x["name"] == "kafka_dlt-original-topic")
            .map(|x| x["value"].as_str().unwrap())
            .collect();
        assert_eq!(topics, vec!["orders", "orders-retry"]);

        let b = recs.iter().find(|r| r["partition"] == p1).unwrap();
        let bad = h(b, "kafka_dlt-original-partition");
        assert_eq!(bad["type"], "binary");
        assert_eq!(bad["base64"], "AAAD");
        assert_eq!(
            bad["warning"],
            "expected int32: 3 bytes where 4 were expected"
        );
        assert_eq!(
            b["warnings"][0],
            "header 'kafka_dlt-original-partition': 3 bytes where 4 were expected"
        );
        assert_eq!(b["origin"]["partition"], Value::Null);
        assert_eq!(b["key"]["encoding"], "binary");
        assert_eq!(b["key"]["base64"], "/wAB");
        assert_eq!(b["value"]["base64"], "AJ+Slg==");
        assert_eq!(h(b, "x-null")["type"], "null");

        // Table view: decoded values are visible, binary is escaped.
        let out = kafkaops()
            .args([
                "-b",
                broker.bootstrap(),
                "dlq",
                "inspect",
                "--topic",
                &topic,
                "--offset",
                &format!("{p1}:{o1}"),
            ])
            .assert()
            .success()
            .get_output()
            .stdout
            .clone();
        let text = String::from_utf8(out).unwrap();
        assert!(text.contains("\\xff\\x00\\x01"), "{text}");
        assert!(text.contains("3 bytes where 4 were expected"), "{text}");
    }
}

#[test]
fn inspect_by_category_key_and_limit() {
    for broker in support::brokers() {
        let (topic, _) = seed_all(&broker, now_ms());
        let r = triage_json(&broker, &topic, &[]);
        let conn = category(&r, |c| {
            c["exception"] == "org.apache.kafka.connect.errors.DataException"
        });
        let id = conn["id"].as_str().unwrap();
        let out = kafkaops()
            .args([
                "-b",
                broker.bootstrap(),
                "-o",
                "jsonl",
                "dlq",
                "inspect",
                "--topic",
                &topic,
                "--category",
                id,
            ])
            .assert()
            .success()
            .get_output()
            .stdout
            .clone();
        let lines: Vec<Value> = String::from_utf8(out)
            .unwrap()
            .lines()
            .map(|l| json(l.as_bytes()))
            .collect();
        assert_eq!(lines.len(), 2);
        assert!(lines
            .iter()
            .all(|l| l["category"] == id && l["stage"] == "VALUE_CONVERTER"));
        assert!(lines.iter().any(|l| l["origin"]["offset"] == 1235));

        let out = kafkaops()
            .args([
                "-b",
                broker.bootstrap(),
                "-o",
                "json",
                "dlq",
                "inspect",
                "--topic",
                &topic,
                "--key",
                "o-1",
                "--limit",
                "1",
            ])
            .assert()
            .success()
            .get_output()
            .clone();
        let v = json(&out.stdout);
        assert_eq!(v.as_array().unwrap().len(), 1);
        assert_eq!(v[0]["key"]["text"], "o-1");
        assert!(String::from_utf8_lossy(&out.stderr).contains("--limit"));

        // An ID from other --group-by options matches nothing, and the note says why.
        kafkaops()
            .args([
                "-b",
                broker.bootstrap(),
                "dlq",
                "inspect",
                "--topic",
                &topic,
                "--category",
                id,
                "--group-by",
                "exception",
            ])
            .assert()
            .success()
            .stderr(predicates::str::contains("--group-by"));
    }
}

fn rules_toml(dup_id: &str) -> String {
    format!(
        r#"
[[rule]]
name = "dups"
category = "{dup_id}"
action = "discard"
owner = "team-orders"

[[rule]]
exception = "SocketTimeoutException"
reason = "timed out"
action = "retry"
owner = "payments-oncall"

[[rule]]
convention = "kafka-connect"
action = "fix-by-hand"
"#
    )
}

#[test]
fn rules_decide_and_sla_fails_scheduled_runs() {
    for broker in brokers() {
        let (topic, recs) = seed_all(&broker, now_ms() - 30 * HOUR);
        let first = triage_json(&broker, &topic, &[]);
        let dup_id = category(&first, |c| c["records"] == 3)["id"]
            .as_str()
            .unwrap()
            .to_string();
        let dir = tempfile::tempdir().unwrap();
        let rules = dir.path().join("rules.toml");
        std::fs::write(&rules, rules_toml(&dup_id)).unwrap();

        // Breached: the records are 30h old, the SLA is 24h -> exit 1, report still printed.
        let out = kafkaops()
            .args([
                "-b",
                broker.bootstrap(),
                "-o",
                "json",
                "dlq",
                "triage",
                "--topic",
                &topic,
            ])
            .args([
                "--rules",
                rules.to_str().unwrap(),
                "--sla",
                "24h",
                "--fail-on",
                "sla",
            ])
            .assert()
            .code(1)
            .stderr(predicates::str::contains("older than the 24h triage SLA"))
            .get_output()
            .stdout
            .clone();
        let r = json(&out);
        let label = broker.label();
        let by_id: BTreeMap<String, Value> = r["categories"]
            .as_array()
            .unwrap()
            .iter()
            .map(|c| (c["id"].as_str().unwrap().to_string(), c.clone()))
            .collect();
        assert_eq!(by_id[&dup_id]["action"], "discard", "{label}");
        assert_eq!(by_id[&dup_id]["owner"], "team-orders");
        assert_eq!(by_id[&dup_id]["rule"], "dups");
        let action_of = |exc: &str| {
            by_id
                .values()
                .find(|c| c["exception"].as_str().is_some_and(|e| e.ends_with(exc)))
                .unwrap()["action"]
                .clone()
        };
        assert_eq!(action_of("SocketTimeoutException"), "retry");
        assert_eq!(action_of("DataException"), "fix-by-hand");
        assert_eq!(action_of("QuotaError"), "unreviewed");
        let totals: BTreeMap<String, (u64, u64)> = r["actions"]
            .as_array()
            .unwrap()
            .iter()
            .map(|a| {
                (
                    a["action"].as_str().unwrap().to_string(),
                    (
                        a["categories"].as_u64().unwrap(),
                        a["records"].as_u64().unwrap(),
                    ),
                )
            })
            .collect();
        assert_eq!(totals["discard"], (1, 3));
        assert_eq!(totals["retry"], (1, 2));
        assert_eq!(totals["fix-by-hand"], (1, 2));
        assert_eq!(totals["unreviewed"].1, recs.len() as u64 - 7);
        // Every record (the tombstone too) was produced 30h ago.
        assert_eq!(r["sla"]["breached_records"], recs.len() as u64);
        assert!(by_id.values().all(|c| c["sla_breached"] == true));

        // Met: 48h SLA -> exit 0.
        let r = triage_json(&broker, &topic, &["--sla", "48h", "--fail-on", "sla"]);
        assert_eq!(r["sla"]["breached_categories"], 0);
        assert!(r["categories"]
            .as_array()
            .unwrap()
            .iter()
            .all(|c| c["sla_breached"] == false));

        // The same rules as JSON; --fail-on unreviewed names what is left.
        let json_rules = dir.path().join("rules.json");
        std::fs::write(
            &json_rules,
            format!(r#"{{"rules": [{{"category": "{dup_id}", "action": "discard", "owner": "team-orders"}}]}}"#),
        )
        .unwrap();
        kafkaops()
            .args(["-b", broker.bootstrap(), "dlq", "triage", "--topic", &topic])
            .args([
                "--rules",
                json_rules.to_str().unwrap(),
                "--fail-on",
                "unreviewed",
            ])
            .assert()
            .code(1)
            .stdout(predicates::str::contains("discard"))
            .stdout(predicates::str::contains("team-orders"))
            .stderr(
                predicates::str::contains("categories")
                    .and(predicates::str::contains("no decision")),
            );
    }
}

#[test]
fn bad_rules_files_are_usage_errors() {
    for broker in support::brokers() {
        let topic = support::unique("dlq-rules");
        broker.create_topic(&topic, 1);
        let dir = tempfile::tempdir().unwrap();
        let rules = dir.path().join("rules.toml");
        std::fs::write(&rules, "[[rule]]\naction = \"nuke\"\n").unwrap();
        kafkaops()
            .args([
                "-b",
                broker.bootstrap(),
                "dlq",
                "triage",
                "--topic",
                &topic,
                "--rules",
                rules.to_str().unwrap(),
            ])
            .assert()
            .code(2)
            .stderr(
                predicates::str::contains("cannot parse rules file")
                    .and(predicates::str::contains("hint")),
            );
    }
}

/// Every record of a topic as (partition, offset, timestamp, key, value, headers),
/// read with a plain librdkafka consumer independent of kafkaops' own reader.
type Raw = (
    i32,
    i64,
    Option<i64>,
    Option<Vec<u8>>,
    Option<Vec<u8>>,
    Vec<(String, Option<Vec<u8>>)>,
);

fn read_back(broker: &Broker, topic: &str) -> Vec<Raw> {
    broker
        .consume_all(topic)
        .into_iter()
        .map(|g| {
            (
                g.partition,
                g.offset,
                g.timestamp_ms,
                g.key,
                g.value,
                g.headers,
            )
        })
        .collect()
}

/// Records that stress the export: binary key and value, null and duplicate
/// header names, binary Spring headers, a tombstone, an empty value.
fn awkward(ts: i64) -> Vec<Rec> {
    vec![
        Rec {
            partition: Some(0),
            key: Some(vec![0x00, 0xff, 0xfe]),
            value: Some(vec![0x80, 0x81, b'\n', 0x00]),
            headers: vec![
                (
                    "kafka_dlt-original-partition".into(),
                    Some(7i32.to_be_bytes().to_vec()),
                ),
                (
                    "kafka_dlt-exception-message".into(),
                    Some(b"duplicate key (id)=(1)".to_vec()),
                ),
                ("dup".into(), Some(b"one".to_vec())),
                ("nul".into(), None),
                ("dup".into(), Some(vec![0xc3, 0x28])),
                ("empty".into(), Some(vec![])),
            ],
            timestamp_ms: Some(ts),
        },
        Rec {
            partition: Some(1),
            key: Some("clé \"quoted\"\n".as_bytes().to_vec()),
            value: None,
            headers: vec![(
                "kafka_dlt-exception-message".into(),
                Some(b"duplicate key (id)=(2)".to_vec()),
            )],
            timestamp_ms: Some(ts + 1),
        },
        Rec {
            partition: Some(1),
            key: None,
            value: Some(vec![]),
            headers: vec![(
                "kafka_dlt-exception-message".into(),
                Some(b"something else".to_vec()),
            )],
            timestamp_ms: Some(ts + 2),
        },
    ]
}

#[test]
fn export_round_trip_is_byte_identical() {
    for broker in brokers() {
        let topic = support::unique("dlq-export");
        broker.create_topic(&topic, 2);
        let ts = now_ms() - HOUR;
        broker.produce(&topic, &awkward(ts));
        let source = read_back(&broker, &topic);
        assert_eq!(source.len(), 3);

        // Everything, to stdout.
        let out = kafkaops()
            .args(["-b", broker.bootstrap(), "dlq", "export", "--topic", &topic])
            .assert()
            .success()
            .stderr(predicates::str::contains("exported 3 of 3 records"))
            .get_output()
            .stdout
            .clone();
        let exported = read_all(std::io::Cursor::new(out)).unwrap();
        assert_eq!(exported.len(), 3, "{}", broker.label());
        let mut exported = exported;
        exported.sort_by_key(|e| (e.partition, e.offset));
        let as_raw: Vec<Raw> = exported
            .iter()
            .map(|e| {
                assert_eq!(e.topic, topic);
                (
                    e.partition,
                    e.offset,
                    e.timestamp_ms,
                    e.key.as_ref().map(|k| k.as_bytes().to_vec()),
                    e.value.as_ref().map(|v| v.as_bytes().to_vec()),
                    e.headers
                        .iter()
                        .map(|h| {
                            (
                                h.name.clone(),
                                h.value.as_ref().map(|v| v.as_bytes().to_vec()),
                            )
                        })
                        .collect(),
                )
            })
            .collect();
        assert_eq!(as_raw, source, "{}", broker.label());
        // And the source is what was produced (the broker kept every byte).
        let produced = awkward(ts);
        assert_eq!(source[0].3, produced[0].key);
        assert_eq!(source[0].5, produced[0].headers);

        // One category, to a file; the category recomputed from the file agrees.
        let r = triage_json(&broker, &topic, &[]);
        let dup = category(&r, |c| c["records"] == 2);
        let id = dup["id"].as_str().unwrap();
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("dup.jsonl");
        kafkaops()
            .args([
                "-b",
                broker.bootstrap(),
                "dlq",
                "export",
                "--topic",
                &topic,
                "--category",
                id,
            ])
            .args(["--out", file.to_str().unwrap()])
            .assert()
            .success();
        let recs = read_all(std::io::BufReader::new(std::fs::File::open(&file).unwrap())).unwrap();
        assert_eq!(recs.len(), 2);
        let classifier = Classifier::new(ClassifierOptions::default()).unwrap();
        for rec in &recs {
            assert_eq!(rec.category.as_deref(), Some(id));
            assert_eq!(classifier.category_of_exported(rec), id);
        }
        // The file is not overwritten without --force.
        kafkaops()
            .args([
                "-b",
                broker.bootstrap(),
                "dlq",
                "export",
                "--topic",
                &topic,
                "--out",
                file.to_str().unwrap(),
            ])
            .assert()
            .code(2)
            .stderr(predicates::str::contains("--force"));
        // Exported text is human-editable where the bytes are text.
        let text = std::fs::read_to_string(&file).unwrap();
        assert!(
            text.contains(r#""key":{"text":"clé \"quoted\"\n"}"#),
            "{text}"
        );
        assert!(
            text.contains(
                r#"{"name":"kafka_dlt-original-partition","value":{"base64":"AAAABw=="}}"#
            ),
            "{text}"
        );
    }
}

#[test]
fn messy_input_is_reported_never_dropped() {
    for broker in brokers() {
        let topic = support::unique("dlq-messy");
        broker.create_topic(&topic, 1);
        // Brokers cap a record batch at about 1 MB by default (message.max.bytes),
        // so this is as large a trace as a default broker accepts.
        let trace = format!(
            "java.lang.IllegalStateException: boom\n{}",
            "\tat com.acme.Deep.call(Deep.java:1)\n".repeat(20_000)
        );
        assert!(trace.len() > 700_000);
        let ts = now_ms();
        let recs = vec![
            Rec::new(0, "k", "v")
                .header("kafka_dlt-original-topic", "orders")
                .header("kafka_dlt-original-partition", [0u8, 0, 3])
                .header("kafka_dlt-original-offset", "17")
                .header(
                    "kafka_dlt-exception-fqcn",
                    "java.lang.IllegalStateException",
                )
                .header("kafka_dlt-exception-message", "boom 1")
                .header("kafka_dlt-exception-stacktrace", &trace)
                .at(ts),
            Rec::new(0, "k2", "v")
                .header("kafka_dlt-original-partition", [0u8, 0, 3])
                .header(
                    "kafka_dlt-exception-fqcn",
                    "java.lang.IllegalStateException",
                )
                .header("kafka_dlt-exception-message", "boom 2")
                .header("__connect.errors.partition", "two")
                .at(ts),
            Rec {
                partition: Some(0),
                key: Some(vec![0xff]),
                value: Some(vec![0xfe, 0x00]),
                headers: vec![("x".into(), Some(vec![0xff])), ("x".into(), None)],
                timestamp_ms: Some(ts),
            },
        ];
        broker.produce(&topic, &recs);
        let out = kafkaops()
            .args(["-b", broker.bootstrap(), "-o", "json", "dlq", "triage", "--topic", &topic])
            .assert()
            .success()
            .stderr(predicates::str::contains(
                "warning: header 'kafka_dlt-original-partition': 3 bytes where 4 were expected (2 records, first at 0:",
            ))
            .get_output()
            .stdout
            .clone();
        let r = json(&out);
        let label = broker.label();
        assert_eq!(r["records"], 3, "{label}");
        let cats = r["categories"].as_array().unwrap();
        assert_eq!(cats.len(), 2, "{label}: {r}");
        assert_eq!(cats[0]["records"], 2);
        assert_eq!(cats[0]["reason"], "boom <n>");
        assert_eq!(cats[0]["records_with_warnings"], 2);
        let f = &r["facts"];
        assert_eq!(f["non_utf8_keys"], 1);
        assert_eq!(f["non_utf8_values"], 1);
        assert_eq!(f["non_utf8_header_values"], 1);
        assert_eq!(f["duplicate_header_names"], 1);
        assert_eq!(f["records_with_warnings"], 2);
        assert_eq!(
            f["largest_header_bytes"].as_u64().unwrap(),
            trace.len() as u64
        );
        let warnings: Vec<&str> = r["warnings"]
            .as_array()
            .unwrap()
            .iter()
            .map(|w| w["message"].as_str().unwrap())
            .collect();
        assert!(
            warnings.contains(&"header 'kafka_dlt-original-offset': 2 bytes where 8 were expected"),
            "{warnings:?}"
        );
        assert!(warnings
            .contains(&"header 'kafka_dlt-original-partition': 3 bytes where 4 were expected"));

        // Inspect shows the multi-megabyte trace in full in JSON.
        let out = kafkaops()
            .args([
                "-b",
                broker.bootstrap(),
                "-o",
                "json",
                "dlq",
                "inspect",
                "--topic",
                &topic,
                "--offset",
                "0:0",
            ])
            .assert()
            .success()
            .get_output()
            .stdout
            .clone();
        let v = json(&out);
        let st = v[0]["headers"]
            .as_array()
            .unwrap()
            .iter()
            .find(|h| h["name"] == "kafka_dlt-exception-stacktrace")
            .unwrap()
            .clone();
        assert_eq!(st["value"].as_str().unwrap().len(), trace.len());
    }
}

#[test]
fn empty_topic_and_category_overflow() {
    for broker in support::brokers() {
        let topic = support::unique("dlq-empty");
        broker.create_topic(&topic, 2);
        let r = triage_json(&broker, &topic, &[]);
        assert_eq!(r["records"], 0);
        assert_eq!(r["categories"], serde_json::json!([]));
        kafkaops()
            .args(["-b", broker.bootstrap(), "dlq", "triage", "--topic", &topic])
            .assert()
            .success()
            .stdout(predicates::str::contains("no records in range"));

        let topic = support::unique("dlq-many");
        broker.create_topic(&topic, 1);
        let recs: Vec<Rec> = ["alpha", "beta", "gamma", "delta", "gamma"]
            .iter()
            .map(|w| Rec::new(0, w, "v").header("x-error-message", format!("failure {w}")))
            .collect();
        broker.produce(&topic, &recs);
        let out = kafkaops()
            .args([
                "-b",
                broker.bootstrap(),
                "-o",
                "json",
                "dlq",
                "triage",
                "--topic",
                &topic,
                "--max-categories",
                "2",
            ])
            .assert()
            .success()
            .stderr(predicates::str::contains("overflow row"))
            .get_output()
            .stdout
            .clone();
        let r = json(&out);
        assert_eq!(r["records"], 5);
        let cats = r["categories"].as_array().unwrap();
        assert_eq!(cats.len(), 3);
        assert_eq!(cats[2]["id"], "overflow");
        assert_eq!(r["overflow"]["records"], 3);
        assert_eq!(r["overflow"]["categories"], 2);
        assert_eq!(
            cats.iter()
                .map(|c| c["records"].as_u64().unwrap())
                .sum::<u64>(),
            5
        );

        // --max-records reads a bounded sample.
        let r = triage_json(&broker, &topic, &["--max-records", "2"]);
        assert_eq!(r["records"], 2);
        assert_eq!(r["scan"]["records_available"], 5);
    }
}

#[test]
fn many_keys_are_counted_approximately_with_flat_memory() {
    for broker in support::mock_and_kafka() {
        let topic = support::unique("dlq-keys");
        broker.create_topic(&topic, 4);
        let recs: Vec<Rec> = (0..3000)
            .map(|i| {
                Rec::new(i % 4, &format!("customer-{i}"), "v")
                    .header("x-error-message", format!("no credit for {i}"))
            })
            .collect();
        broker.produce(&topic, &recs);
        let r = triage_json(&broker, &topic, &[]);
        let c = &r["categories"][0];
        assert_eq!(r["categories"].as_array().unwrap().len(), 1);
        assert_eq!(c["records"], 3000);
        assert_eq!(c["reason"], "no credit for <n>");
        assert_eq!(c["distinct_keys_approximate"], true);
        let keys = c["distinct_keys"].as_f64().unwrap();
        assert!(
            (keys - 3000.0).abs() / 3000.0 < 0.05,
            "{}: {keys}",
            broker.label()
        );
        assert_eq!(c["examples"].as_array().unwrap().len(), 2);
        assert_eq!(c["dlq_partitions"], serde_json::json!([0, 1, 2, 3]));
    }
}

#[test]
fn time_window_selects_by_dead_letter_time() {
    for broker in brokers() {
        let topic = support::unique("dlq-window");
        broker.create_topic(&topic, 2);
        let base = now_ms() - 10 * HOUR;
        let mut recs = Vec::new();
        for i in 0..10 {
            recs.push(
                Rec::new((i % 2) as i32, &format!("k{i}"), "v")
                    .header(
                        "x-error-message",
                        if i < 5 {
                            "early failure"
                        } else {
                            "late failure"
                        },
                    )
                    .at(base + i * HOUR),
            );
        }
        broker.produce(&topic, &recs);
        // [base+3h, base+7h) holds records 3, 4, 5, 6.
        let from = (base + 3 * HOUR).to_string();
        let until = (base + 7 * HOUR).to_string();
        let out = kafkaops()
            .args([
                "-b",
                broker.bootstrap(),
                "-o",
                "json",
                "dlq",
                "triage",
                "--topic",
                &topic,
                "--from",
                &from,
                "--until",
                &until,
            ])
            .assert()
            .success()
            .get_output()
            .clone();
        let r = json(&out.stdout);
        let label = broker.label();
        assert_eq!(r["records"], 4, "{label}: {r}");
        let counts: BTreeMap<String, u64> = r["categories"]
            .as_array()
            .unwrap()
            .iter()
            .map(|c| {
                (
                    c["reason"].as_str().unwrap().to_string(),
                    c["records"].as_u64().unwrap(),
                )
            })
            .collect();
        assert_eq!(counts["early failure"], 2);
        assert_eq!(counts["late failure"], 2);
        let filter = r["scan"]["time_filter"].as_str().unwrap();
        if broker.is_mock() {
            // The mock broker cannot answer offsets-for-times: the search is announced.
            assert_eq!(filter, "search");
            assert!(String::from_utf8_lossy(&out.stderr).contains("offsets-for-times"));
        } else {
            assert!(filter == "broker" || filter == "search", "{filter}");
        }
        // The plan reads only the window's offsets, not the whole topic.
        assert_eq!(r["scan"]["records_planned"], 4, "{label}");

        // Relative times parse (clap accepts the leading hyphen).
        let r = triage_json(&broker, &topic, &["--from", "-1m"]);
        assert_eq!(r["records"], 0);

        // inspect and export honour the same window.
        let out = kafkaops()
            .args([
                "-b",
                broker.bootstrap(),
                "dlq",
                "export",
                "--topic",
                &topic,
                "--from",
                &from,
                "--until",
                &until,
            ])
            .assert()
            .success()
            .get_output()
            .stdout
            .clone();
        let recs = read_all(std::io::Cursor::new(out)).unwrap();
        assert_eq!(recs.len(), 4);
        assert!(recs.iter().all(|r| {
            let t = r.timestamp_ms.unwrap();
            t >= base + 3 * HOUR && t < base + 7 * HOUR
        }));
    }
}

#[test]
fn bad_input_exit_codes() {
    for broker in support::brokers() {
        let topic = support::unique("dlq-real");
        broker.create_topic(&topic, 1);
        let nope = format!("{topic}-nope");
        let dead = support::dead_address();
        // Bad flags exit 2 before any broker call.
        let bad_flag = |case, args: Vec<_>| Refusal {
            case,
            args: [vec!["-b", broker.bootstrap()], args].concat(),
            code: 2,
            stderr: vec!["hint"],
        };
        let cases = [
            Refusal {
                case: "unknown topic names the near one",
                args: vec!["-b", broker.bootstrap(), "dlq", "triage", "--topic", &nope],
                code: 2,
                stderr: vec!["does not exist", "did you mean"],
            },
            Refusal {
                case: "unreachable broker",
                args: vec![
                    "-b",
                    &*dead,
                    "--timeout",
                    "2s",
                    "dlq",
                    "triage",
                    "--topic",
                    &topic,
                ],
                code: 3,
                stderr: vec!["hint"],
            },
            bad_flag(
                "--fail-on sla without --sla",
                vec!["dlq", "triage", "--topic", "t", "--fail-on", "sla"],
            ),
            bad_flag(
                "unknown --group-by",
                vec!["dlq", "triage", "--topic", "t", "--group-by", "colour"],
            ),
            bad_flag(
                "malformed --offset",
                vec!["dlq", "inspect", "--topic", "t", "--offset", "x"],
            ),
            bad_flag(
                "export as -o json",
                vec!["dlq", "export", "--topic", "t", "-o", "json"],
            ),
            bad_flag(
                "missing partition",
                vec!["dlq", "triage", "--topic", &topic, "--partitions", "5"],
            ),
        ];
        for c in &cases {
            c.check(&mut kafkaops());
        }
        // A library caller gets the same validation.
        let bad = ClassifierOptions {
            group_by: vec![Dimension::Key, Dimension::Key],
            overrides: Overrides::default(),
        };
        assert!(Classifier::new(bad).is_err());
    }
}

/// The report without what depends on the clock.
fn timeless(mut r: Value) -> Value {
    r.as_object_mut().unwrap().remove("generated_at");
    for c in r["categories"].as_array_mut().unwrap() {
        let c = c.as_object_mut().unwrap();
        c.remove("oldest_age_ms");
        c.remove("oldest_open_age_ms");
        c.remove("oldest_open_age");
    }
    r
}

#[test]
fn parallel_readers_give_the_same_report_as_one() {
    for broker in support::brokers() {
        let ts = now_ms() - 3 * HOUR;
        let topic = support::unique("dlq-lanes");
        broker.create_topic(&topic, 6);
        let (_, mut recs) = seed_all(&broker, ts);
        recs.extend(awkward(ts));
        // Headers that cannot be decoded: warnings, counted the same by every lane split.
        recs.extend((0..4).map(|_| {
            Rec::new(0, "bad", "v")
                .header("kafka_dlt-exception-message", "offset header is garbage")
                .header("kafka_dlt-original-offset", vec![1u8, 2, 3])
        }));
        // Enough of one category for its capped lists and example choice to matter,
        // with timestamps that do not follow the offsets.
        recs.extend((0..1200i64).map(|i| {
            let mut r = Rec::new(0, &format!("k-{}", i % 400), "v")
                .header("x-error-message", format!("quota exceeded for tenant {i}"));
            r.timestamp_ms = Some(ts + (i * 7_919) % 100_000);
            r
        }));
        for (i, r) in recs.iter_mut().enumerate() {
            r.partition = Some((i % 6) as i32);
        }
        broker.produce(&topic, &recs);

        let one = timeless(triage_json(&broker, &topic, &["--threads", "1"]));
        assert_eq!(one["records"], recs.len());
        assert!(one["facts"]["records_with_warnings"].as_u64().unwrap() > 0);
        for threads in ["2", "6"] {
            let many = timeless(triage_json(&broker, &topic, &["--threads", threads]));
            assert_eq!(one, many, "{}: --threads {threads}", broker.label());
        }
        let quota = category(&one, |c| c["reason"] == "quota exceeded for tenant <n>");
        // The examples are the earliest dead letters of the category.
        let first = quota["examples"][0]["timestamp_ms"].as_i64().unwrap();
        assert_eq!(first, quota["first_dead_lettered_ms"].as_i64().unwrap());

        kafkaops()
            .args(["-b", broker.bootstrap(), "dlq", "triage", "--topic", &topic])
            .args(["--threads", "0"])
            .assert()
            .code(2);
    }
}
