//! Recognising who dead-lettered a record and reading what they wrote: the
//! convention (each one a module of `super::conventions`), the exception
//! class, the reason, and where the record came from. User overrides
//! (`--reason-header`, `--reason-json-pointer`, `--original-topic-header`,
//! `--original-topic-json-pointer`) win over what the conventions say.
//! Nothing here fails: bad values become warnings on the result.

use std::borrow::Cow;
use std::fmt;

use serde::{Deserialize, Serialize};

pub use super::conventions::Convention;
use super::conventions::{ad_hoc, connect, envelope, karafka, smallrye, spring, streams};
use super::cursor::HeaderCursor;
use super::headers::RawHeader;
use super::normalize::{truncate_chars, MAX_REASON_CHARS};

/// Values larger than this are not parsed as JSON (envelope detection, JSON
/// pointers): a multi-megabyte payload must not cost a full parse per record.
pub const MAX_JSON_BYTES: usize = 1 << 20;

/// Where the user says the reason and the original topic are, when no convention
/// applies (`--reason-header` and the other DLQ hint flags). Replay stores them in
/// its selection as `dlq_hints`, so its category ids match what triage showed.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Overrides {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason_header: Option<String>,
    /// RFC 6901 pointer into a JSON value, e.g. `/error/message`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason_json_pointer: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub original_topic_header: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub original_topic_json_pointer: Option<String>,
}

impl Overrides {
    pub fn is_empty(&self) -> bool {
        *self == Overrides::default()
    }

    fn needs_json(&self) -> bool {
        self.reason_json_pointer.is_some() || self.original_topic_json_pointer.is_some()
    }
}

/// Where the failed record originally lived. Texts borrow from the record's
/// headers where they can: no copy per record.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct Origin<'a> {
    pub topic: Option<Cow<'a, str>>,
    pub partition: Option<i32>,
    pub offset: Option<i64>,
    pub timestamp_ms: Option<i64>,
    pub timestamp_type: Option<Cow<'a, str>>,
    pub consumer_group: Option<Cow<'a, str>>,
}

impl Origin<'_> {
    pub(crate) fn is_empty(&self) -> bool {
        *self == Origin::default()
    }

    /// A copy that no longer borrows from the record.
    pub fn into_owned(self) -> Origin<'static> {
        Origin {
            topic: self.topic.map(owned),
            partition: self.partition,
            offset: self.offset,
            timestamp_ms: self.timestamp_ms,
            timestamp_type: self.timestamp_type.map(owned),
            consumer_group: self.consumer_group.map(owned),
        }
    }
}

fn owned(s: Cow<'_, str>) -> Cow<'static, str> {
    Cow::Owned(s.into_owned())
}

/// A problem decoding one header of one record.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Warning {
    pub header: String,
    pub problem: String,
}

impl fmt::Display for Warning {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "header '{}': {}", self.header, self.problem)
    }
}

/// Everything a dead-letter record says about its failure. Texts borrow from
/// the record's headers where they can (a million records, no copies).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct Failure<'a> {
    pub convention: Option<Convention>,
    /// Exception class (outermost, as the producer reports it).
    pub exception: Option<Cow<'a, str>>,
    /// Root-cause class, when reported separately.
    pub cause: Option<Cow<'a, str>>,
    /// The raw reason (exception message), cut to [`MAX_REASON_CHARS`].
    pub reason: Option<Cow<'a, str>>,
    /// Header name or option the reason came from (borrowed when it is a
    /// convention's name: no allocation per record).
    pub reason_source: Option<Cow<'static, str>>,
    /// The true source of the record (the first occurrence of repeated Spring headers).
    pub origin: Origin<'a>,
    /// The latest hop, when Spring headers were repeated by several dead-letterings.
    pub latest_hop: Option<Origin<'a>>,
    /// How many times the record was dead-lettered according to repeated headers.
    pub hops: usize,
    /// Kafka Connect stage (`VALUE_CONVERTER`, ...).
    pub stage: Option<Cow<'a, str>>,
    /// Kafka Connect connector name and task.
    pub connector: Option<Cow<'a, str>>,
    pub task: Option<i64>,
    /// Spring retry attempts.
    pub attempts: Option<i64>,
    /// `key` when the failure was deserialising the key (Spring key-exception headers).
    pub failed_part: Option<&'static str>,
    /// A Java-serialised exception header is present (Spring deserialiser).
    pub serialized_exception: Option<&'static str>,
    pub warnings: Vec<Warning>,
}

/// Read the failure description from a record's headers and value.
pub fn extract<'a>(hs: &[RawHeader<'a>], value: Option<&[u8]>, ov: &Overrides) -> Failure<'a> {
    let mut r = HeaderCursor::new(hs);
    let mut f = Failure::default();

    // The first convention found wins, in this order.
    spring::read(&mut r, &mut f);
    if f.convention.is_none() {
        connect::read(&mut r, &mut f);
    }
    if f.convention.is_none() {
        streams::read(&mut r, &mut f);
    }
    if f.convention.is_none() {
        smallrye::read(&mut r, &mut f);
    }
    if f.convention.is_none() {
        karafka::read(&mut r, &mut f);
    }
    if f.convention.is_none() {
        ad_hoc::read(&mut r, &mut f);
    }

    // The value is parsed at most once, and only when something needs it.
    let wants_envelope = f.convention.is_none() && f.reason.is_none();
    let json = if ov.needs_json() || wants_envelope {
        parse_json(value)
    } else {
        None
    };

    if f.convention.is_none() && f.reason.is_none() {
        if let Some(j) = &json {
            envelope::read(j, &mut f);
        }
    }

    // User overrides win where they find something.
    let mut custom = false;
    let mut reason_from_header = false;
    if let Some(name) = &ov.reason_header {
        if let Some(s) = r.last_text(name) {
            f.reason = Some(s);
            f.reason_source = Some(Cow::Owned(name.clone()));
            reason_from_header = true;
            custom = true;
        }
    }
    if let (false, Some(ptr), Some(j)) = (reason_from_header, &ov.reason_json_pointer, &json) {
        if let Some(s) = pointer_text(j, ptr) {
            f.reason = Some(s.into());
            f.reason_source = Some(Cow::Owned(format!("value{ptr}")));
            custom = true;
        }
    }
    if let Some(name) = &ov.original_topic_header {
        if let Some(s) = r.first_text(name) {
            f.origin.topic = Some(s);
            custom = true;
        }
    }
    if let (Some(ptr), Some(j)) = (&ov.original_topic_json_pointer, &json) {
        if ov.original_topic_header.is_none() || f.origin.topic.is_none() {
            if let Some(s) = pointer_text(j, ptr) {
                f.origin.topic = Some(s.into());
                custom = true;
            }
        }
    }
    if custom && f.convention.is_none() {
        f.convention = Some(Convention::Custom);
    }
    spring::read_deserializer_exception(&r, &mut f);
    f.warnings = r.warnings;
    f
}

fn parse_json(value: Option<&[u8]>) -> Option<serde_json::Value> {
    let v = value?;
    if v.len() > MAX_JSON_BYTES {
        return None;
    }
    let first = v.iter().find(|b| !b.is_ascii_whitespace())?;
    if *first != b'{' && *first != b'[' {
        return None;
    }
    serde_json::from_slice(v).ok()
}

/// The text at a JSON pointer: strings as they are, other values as compact JSON.
pub fn pointer_text(j: &serde_json::Value, ptr: &str) -> Option<String> {
    let v = j.pointer(ptr)?;
    let s = match v {
        serde_json::Value::Null => return None,
        serde_json::Value::String(s) => s.clone(),
        other => other.to_string(),
    };
    Some(truncate_chars(&s, MAX_REASON_CHARS).to_string())
}

/// Split a Java `Throwable.toString()` (`pkg.Class: message`) into class and message.
pub fn split_to_string(s: &str) -> (&str, Option<&str>) {
    let (head, rest) = match s.split_once(": ") {
        Some((h, r)) => (h, Some(r)),
        None => (s.trim(), None),
    };
    let looks_like_class = !head.is_empty()
        && !head.contains(char::is_whitespace)
        && head
            .chars()
            .all(|c| c.is_alphanumeric() || matches!(c, '.' | '$' | '_'));
    if looks_like_class {
        (head, rest.map(str::trim).filter(|m| !m.is_empty()))
    } else {
        (s, None)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn h<'a>(name: &'a str, v: &'a [u8]) -> RawHeader<'a> {
        (name, Some(v))
    }

    fn no() -> Overrides {
        Overrides::default()
    }

    #[test]
    fn spring_dlt_binary_headers() {
        let part = 3i32.to_be_bytes();
        let off = 81_723i64.to_be_bytes();
        let ts = 1_700_000_000_123i64.to_be_bytes();
        let hs = vec![
            h("kafka_dlt-original-topic", b"orders"),
            h("kafka_dlt-original-partition", &part),
            h("kafka_dlt-original-offset", &off),
            h("kafka_dlt-original-timestamp", &ts),
            h("kafka_dlt-original-timestamp-type", b"CreateTime"),
            h("kafka_dlt-original-consumer-group", b"billing"),
            h(
                "kafka_dlt-exception-fqcn",
                b"org.springframework.kafka.listener.ListenerExecutionFailedException",
            ),
            h(
                "kafka_dlt-exception-cause-fqcn",
                b"org.postgresql.util.PSQLException",
            ),
            h(
                "kafka_dlt-exception-message",
                b"Listener failed; duplicate key (id)=(81723)",
            ),
            h(
                "kafka_dlt-exception-stacktrace",
                b"at com.acme.Foo.bar(Foo.java:12)\n...",
            ),
        ];
        let f = extract(&hs, Some(b"{}"), &no());
        assert_eq!(f.convention, Some(Convention::SpringDlt));
        assert_eq!(f.origin.topic.as_deref(), Some("orders"));
        assert_eq!(f.origin.partition, Some(3));
        assert_eq!(f.origin.offset, Some(81_723));
        assert_eq!(f.origin.timestamp_ms, Some(1_700_000_000_123));
        assert_eq!(f.origin.timestamp_type.as_deref(), Some("CreateTime"));
        assert_eq!(f.origin.consumer_group.as_deref(), Some("billing"));
        assert_eq!(
            f.exception.as_deref(),
            Some("org.springframework.kafka.listener.ListenerExecutionFailedException")
        );
        assert_eq!(
            f.cause.as_deref(),
            Some("org.postgresql.util.PSQLException")
        );
        assert_eq!(
            f.reason.as_deref(),
            Some("Listener failed; duplicate key (id)=(81723)")
        );
        assert_eq!(
            f.reason_source.as_deref(),
            Some("kafka_dlt-exception-message")
        );
        assert_eq!(f.hops, 1);
        assert!(f.latest_hop.is_none());
        assert!(f.warnings.is_empty(), "{:?}", f.warnings);
    }

    #[test]
    fn spring_repeated_headers_first_is_source_last_is_latest_hop() {
        let p0 = 0i32.to_be_bytes();
        let p5 = 5i32.to_be_bytes();
        let o1 = 10i64.to_be_bytes();
        let o2 = 20i64.to_be_bytes();
        let hs = vec![
            h("kafka_dlt-original-topic", b"orders"),
            h("kafka_dlt-original-partition", &p0),
            h("kafka_dlt-original-offset", &o1),
            h("kafka_dlt-exception-message", b"first failure"),
            h("kafka_dlt-original-topic", b"orders-retry"),
            h("kafka_dlt-original-partition", &p5),
            h("kafka_dlt-original-offset", &o2),
            h("kafka_dlt-exception-message", b"second failure"),
        ];
        let f = extract(&hs, None, &no());
        assert_eq!(f.origin.topic.as_deref(), Some("orders"));
        assert_eq!(f.origin.partition, Some(0));
        assert_eq!(f.origin.offset, Some(10));
        let hop = f.latest_hop.expect("latest hop");
        assert_eq!(hop.topic.as_deref(), Some("orders-retry"));
        assert_eq!(hop.partition, Some(5));
        assert_eq!(hop.offset, Some(20));
        assert_eq!(f.hops, 2);
        assert_eq!(f.reason.as_deref(), Some("second failure"));
    }

    #[test]
    fn spring_truncated_partition_is_a_warning() {
        let hs = vec![
            h("kafka_dlt-original-topic", b"orders"),
            h("kafka_dlt-original-partition", &[0, 0, 3]),
            h("kafka_dlt-original-offset", b"12"),
            h("kafka_dlt-exception-message", &[0x66, 0x6f, 0xff, 0x6f]),
        ];
        let f = extract(&hs, None, &no());
        assert_eq!(f.origin.topic.as_deref(), Some("orders"));
        assert_eq!(f.origin.partition, None);
        assert_eq!(f.origin.offset, None);
        let ws: Vec<String> = f.warnings.iter().map(ToString::to_string).collect();
        assert_eq!(
            ws,
            vec![
                "header 'kafka_dlt-original-partition': 3 bytes where 4 were expected",
                "header 'kafka_dlt-original-offset': 2 bytes where 8 were expected",
                "header 'kafka_dlt-exception-message': expected UTF-8 text: not valid UTF-8",
            ]
        );
        assert_eq!(f.reason.as_deref(), Some("fo\u{fffd}o"));
    }

    #[test]
    fn spring_retry_family_and_attempts() {
        let part = 1i32.to_be_bytes();
        let off = 7i64.to_be_bytes();
        let ts: Vec<u8> = 1_700_000_000_123i64
            .to_be_bytes()
            .into_iter()
            .skip_while(|b| *b == 0)
            .collect();
        let hs = vec![
            h("kafka_original-topic", b"payments"),
            h("kafka_original-partition", &part),
            h("kafka_original-offset", &off),
            h("kafka_exception-fqcn", b"java.lang.IllegalStateException"),
            h("kafka_exception-message", b"bad state 7"),
            h("kafka_dlt-original-consumer-group", b"pay-group"),
            h("retry_topic-attempts", &[3]),
            h("retry_topic-original-timestamp", &ts),
        ];
        let f = extract(&hs, None, &no());
        assert_eq!(f.convention, Some(Convention::SpringRetry));
        assert_eq!(f.origin.topic.as_deref(), Some("payments"));
        assert_eq!(f.origin.partition, Some(1));
        assert_eq!(f.origin.offset, Some(7));
        assert_eq!(f.origin.consumer_group.as_deref(), Some("pay-group"));
        assert_eq!(
            f.exception.as_deref(),
            Some("java.lang.IllegalStateException")
        );
        assert_eq!(f.attempts, Some(3));
        assert!(f.warnings.is_empty(), "{:?}", f.warnings);
        let hs4 = vec![h("retry_topic-attempts", &[0, 0, 0, 4])];
        assert_eq!(extract(&hs4, None, &no()).attempts, Some(4));
        let bad = vec![h("retry_topic-attempts", &[0, 4])];
        let f = extract(&bad, None, &no());
        assert_eq!(f.attempts, None);
        assert_eq!(f.warnings.len(), 1);
    }

    #[test]
    fn spring_key_exception_and_java_serialized() {
        let hs = vec![
            h(
                "kafka_dlt-key-exception-fqcn",
                b"org.apache.kafka.common.errors.SerializationException",
            ),
            h("kafka_dlt-key-exception-message", b"bad key"),
        ];
        let f = extract(&hs, None, &no());
        assert_eq!(f.failed_part, Some("key"));
        assert_eq!(f.reason.as_deref(), Some("bad key"));
        let hs = vec![h(
            "springDeserializerExceptionValue",
            &[0xac, 0xed, 0x00, 0x05, 0x73],
        )];
        let f = extract(&hs, None, &no());
        assert_eq!(
            f.serialized_exception,
            Some("springDeserializerExceptionValue")
        );
        assert_eq!(f.convention, Some(Convention::SpringDlt));
        assert!(f.reason.unwrap().contains("value deserialisation failed"));
    }

    #[test]
    fn kafka_connect_decimal_strings() {
        let hs = vec![
            h("__connect.errors.topic", b"orders"),
            h("__connect.errors.partition", b"2"),
            h("__connect.errors.offset", b"1234"),
            h("__connect.errors.connector.name", b"jdbc-sink"),
            h("__connect.errors.task.id", b"0"),
            h("__connect.errors.stage", b"VALUE_CONVERTER"),
            h(
                "__connect.errors.class.name",
                b"org.apache.kafka.connect.json.JsonConverter",
            ),
            h(
                "__connect.errors.exception.class.name",
                b"org.apache.kafka.connect.errors.DataException",
            ),
            h(
                "__connect.errors.exception.message",
                b"Converting byte[] to Kafka Connect data failed",
            ),
        ];
        let f = extract(&hs, Some(b"not json"), &no());
        assert_eq!(f.convention, Some(Convention::KafkaConnect));
        assert_eq!(f.origin.partition, Some(2));
        assert_eq!(f.origin.offset, Some(1234));
        assert_eq!(f.stage.as_deref(), Some("VALUE_CONVERTER"));
        assert_eq!(f.connector.as_deref(), Some("jdbc-sink"));
        assert_eq!(f.task, Some(0));
        assert_eq!(
            f.exception.as_deref(),
            Some("org.apache.kafka.connect.errors.DataException")
        );
        let bad = vec![h("__connect.errors.partition", b"two")];
        let f = extract(&bad, None, &no());
        assert_eq!(
            f.warnings[0].to_string(),
            "header '__connect.errors.partition': 'two' is not a decimal number"
        );
    }

    #[test]
    fn kafka_streams_to_string_split() {
        let hs = vec![
            h(
                "__streams.errors.exception",
                b"java.lang.NumberFormatException: For input string: \"x1\"",
            ),
            h("__streams.errors.stacktrace", b"..."),
            h("__streams.errors.topic", b"clicks"),
            h("__streams.errors.partition", b"4"),
            h("__streams.errors.offset", b"99"),
        ];
        let f = extract(&hs, None, &no());
        assert_eq!(f.convention, Some(Convention::KafkaStreams));
        assert_eq!(
            f.exception.as_deref(),
            Some("java.lang.NumberFormatException")
        );
        assert_eq!(f.reason.as_deref(), Some("For input string: \"x1\""));
        assert_eq!(f.origin.partition, Some(4));
        let mut with_msg = hs.clone();
        with_msg.push(h("__streams.errors.message", b"explicit"));
        assert_eq!(
            extract(&with_msg, None, &no()).reason.as_deref(),
            Some("explicit")
        );
    }

    #[test]
    fn smallrye_and_karafka() {
        let hs = vec![
            h(
                "dead-letter-exception-class-name",
                b"io.vertx.core.VertxException",
            ),
            h("dead-letter-reason", b"timeout after 3000 ms"),
            h(
                "dead-letter-cause-class-name",
                b"java.util.concurrent.TimeoutException",
            ),
            h("dead-letter-topic", b"in"),
            h("dead-letter-partition", b"0"),
            h("dead-letter-offset", b"5"),
        ];
        let f = extract(&hs, None, &no());
        assert_eq!(f.convention, Some(Convention::Smallrye));
        assert_eq!(
            f.cause.as_deref(),
            Some("java.util.concurrent.TimeoutException")
        );
        assert_eq!((f.origin.partition, f.origin.offset), (Some(0), Some(5)));
        let hs = vec![
            h("original_topic", b"events"),
            h("original_partition", b"1"),
            h("original_offset", b"77"),
            h("original_consumer_group", b"karafka-app"),
        ];
        let f = extract(&hs, None, &no());
        assert_eq!(f.convention, Some(Convention::Karafka));
        assert_eq!(f.origin.consumer_group.as_deref(), Some("karafka-app"));
        assert_eq!(f.origin.offset, Some(77));
        assert_eq!(f.reason, None);
    }

    #[test]
    fn ad_hoc_envelope_and_overrides() {
        let hs = vec![
            h("x-original-topic", b"orders"),
            h("x-exception", b"com.acme.BadThing: it broke"),
        ];
        let f = extract(&hs, None, &no());
        assert_eq!(f.convention, Some(Convention::AdHoc));
        assert_eq!(f.exception.as_deref(), Some("com.acme.BadThing"));
        assert_eq!(f.reason.as_deref(), Some("it broke"));
        assert_eq!(f.origin.topic.as_deref(), Some("orders"));

        let v = br#"{"error": {"message": "quota exceeded 12", "class": "QuotaError"}, "payload": {"a": 1}}"#;
        let f = extract(&[], Some(v), &no());
        assert_eq!(f.convention, Some(Convention::JsonEnvelope));
        assert_eq!(f.reason.as_deref(), Some("quota exceeded 12"));
        assert_eq!(f.exception.as_deref(), Some("QuotaError"));

        let v = br#"{"meta": {"why": "bad thing", "src": "orders"}}"#;
        assert_eq!(extract(&[], Some(v), &no()).convention, None);
        let ov = Overrides {
            reason_json_pointer: Some("/meta/why".into()),
            original_topic_json_pointer: Some("/meta/src".into()),
            ..Overrides::default()
        };
        let f = extract(&[], Some(v), &ov);
        assert_eq!(f.convention, Some(Convention::Custom));
        assert_eq!(f.reason.as_deref(), Some("bad thing"));
        assert_eq!(f.reason_source.as_deref(), Some("value/meta/why"));
        assert_eq!(f.origin.topic.as_deref(), Some("orders"));

        let hs = vec![
            h("why", b"custom reason"),
            h("from", b"t1"),
            h("kafka_dlt-exception-message", b"spring says"),
        ];
        let ov = Overrides {
            reason_header: Some("why".into()),
            original_topic_header: Some("from".into()),
            ..Overrides::default()
        };
        let f = extract(&hs, None, &ov);
        assert_eq!(f.convention, Some(Convention::SpringDlt));
        assert_eq!(f.reason.as_deref(), Some("custom reason"));
        assert_eq!(f.origin.topic.as_deref(), Some("t1"));
        // A header override that is absent on the record leaves the convention's reason.
        let hs = vec![h("kafka_dlt-exception-message", b"spring says")];
        assert_eq!(
            extract(&hs, None, &ov).reason.as_deref(),
            Some("spring says")
        );
    }

    #[test]
    fn nothing_recognised() {
        let f = extract(&[("x", None)], Some(&[0xff, 0xfe]), &no());
        assert_eq!(f, Failure::default());
        let f = extract(&[], None, &no());
        assert_eq!(f.convention, None);
    }

    #[test]
    fn split_java_to_string() {
        assert_eq!(
            split_to_string("java.lang.X: m"),
            ("java.lang.X", Some("m"))
        );
        assert_eq!(split_to_string("java.lang.X"), ("java.lang.X", None));
        assert_eq!(
            split_to_string("it broke: badly"),
            ("it broke: badly", None)
        );
    }
}
