//! The dead-letter conventions kafkaops recognises, one module each: the header
//! names a producer writes, how their values are encoded, and how the failure is
//! read back from them (`docs/dlq-conventions.md` describes each one).
//!
//! Every convention's [`HeaderTable`] is reachable only through [`table_of`],
//! an exhaustive match on [`Convention`]: a new convention cannot be added
//! without saying which headers it writes. The union of the tables answers
//! "which encoding does this header have" ([`encoding_of`], for `dlq inspect`
//! and the triage facts) and "is this a dead-letter header" ([`is_dlq_header`],
//! what `replay --redrive` strips).

pub mod ad_hoc;
pub mod connect;
pub mod envelope;
pub mod karafka;
pub mod smallrye;
pub mod spring;
pub mod spring_retry;
pub mod streams;

use std::fmt;
use std::sync::OnceLock;

use serde::{Deserialize, Serialize};

use super::headers::{self, DecodedHeader, Encoding};

/// Who wrote the dead-letter record.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Convention {
    /// Spring Kafka `DeadLetterPublishingRecoverer` (`kafka_dlt-*`).
    SpringDlt,
    /// Spring Kafka retryable topics (`kafka_original-*`, `retry_topic-*`).
    SpringRetry,
    /// Kafka Connect sink DLQ with context headers (`__connect.errors.*`).
    KafkaConnect,
    /// Kafka Streams KIP-1034 (`__streams.errors.*`).
    KafkaStreams,
    /// SmallRye Reactive Messaging / Quarkus (`dead-letter-*`).
    Smallrye,
    /// Karafka (`original_*`).
    Karafka,
    /// Common ad-hoc header names (`x-original-topic`, `x-error-message`, ...).
    AdHoc,
    /// A JSON value with an `error` member.
    JsonEnvelope,
    /// Found only through the user's `--reason-*` / `--original-topic-*` options.
    Custom,
    /// Nothing recognised.
    None,
}

impl Convention {
    pub fn as_str(self) -> &'static str {
        match self {
            Convention::SpringDlt => "spring-dlt",
            Convention::SpringRetry => "spring-retry",
            Convention::KafkaConnect => "kafka-connect",
            Convention::KafkaStreams => "kafka-streams",
            Convention::Smallrye => "smallrye",
            Convention::Karafka => "karafka",
            Convention::AdHoc => "ad-hoc",
            Convention::JsonEnvelope => "json-envelope",
            Convention::Custom => "custom",
            Convention::None => "none",
        }
    }

    pub const ALL: [Convention; 10] = [
        Convention::SpringDlt,
        Convention::SpringRetry,
        Convention::KafkaConnect,
        Convention::KafkaStreams,
        Convention::Smallrye,
        Convention::Karafka,
        Convention::AdHoc,
        Convention::JsonEnvelope,
        Convention::Custom,
        Convention::None,
    ];

    pub fn parse(s: &str) -> Option<Convention> {
        Convention::ALL.into_iter().find(|c| c.as_str() == s)
    }
}

impl fmt::Display for Convention {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The header names one convention writes. Names are case-sensitive.
pub struct HeaderTable {
    /// Names with a fixed encoding; they win over `text_prefixes`.
    pub exact: &'static [(&'static str, Encoding)],
    /// Every other name starting with one of these is UTF-8 text.
    pub text_prefixes: &'static [&'static str],
    /// Names whose encoding nobody fixed (ad-hoc headers): dead-letter headers
    /// all the same, shown as whatever they hold.
    pub untyped: &'static [&'static [&'static str]],
}

/// What a table knows about one header name.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Known {
    Typed(Encoding),
    Untyped,
}

impl HeaderTable {
    /// A convention that writes no headers (its facts are in the value, or it
    /// is not a producer at all).
    pub const NONE: HeaderTable = HeaderTable {
        exact: &[],
        text_prefixes: &[],
        untyped: &[],
    };

    /// Whether this convention writes `name`, and how.
    pub fn lookup(&self, name: &str) -> Option<Known> {
        if let Some((_, enc)) = self.exact.iter().find(|(n, _)| *n == name) {
            return Some(Known::Typed(*enc));
        }
        if self.text_prefixes.iter().any(|p| name.starts_with(p)) {
            return Some(Known::Typed(Encoding::Text));
        }
        if self.untyped.iter().any(|names| names.contains(&name)) {
            return Some(Known::Untyped);
        }
        None
    }
}

/// The headers a convention writes.
pub const fn table_of(c: Convention) -> &'static HeaderTable {
    match c {
        Convention::SpringDlt => &spring::HEADERS,
        Convention::SpringRetry => &spring_retry::HEADERS,
        Convention::KafkaConnect => &connect::HEADERS,
        Convention::KafkaStreams => &streams::HEADERS,
        Convention::Smallrye => &smallrye::HEADERS,
        Convention::Karafka => &karafka::HEADERS,
        Convention::AdHoc => &ad_hoc::HEADERS,
        Convention::JsonEnvelope => &envelope::HEADERS,
        // The user names these headers per run (`--reason-header`...).
        Convention::Custom | Convention::None => &HeaderTable::NONE,
    }
}

/// Every convention's table, in [`Convention::ALL`] order.
static TABLES: [(Convention, &HeaderTable); Convention::ALL.len()] = {
    let mut out = [(Convention::None, &HeaderTable::NONE); Convention::ALL.len()];
    let mut i = 0;
    while i < out.len() {
        out[i] = (Convention::ALL[i], table_of(Convention::ALL[i]));
        i += 1;
    }
    out
};

/// The union of the tables, arranged for a lookup per header of every record
/// (triage's facts, redrive's stripping): walking the tables, or hashing each
/// name, cost two to three times what the single `match` it replaced did. Names
/// are bucketed by their first byte, so most names that no convention writes
/// are rejected by one index, and a bucket holds a handful of names. No two
/// tables claim the same name (a unit test checks), so exact names before
/// prefixes give the same answers as the tables in any order.
struct Index {
    buckets: Vec<Bucket>,
}

#[derive(Clone, Default)]
struct Bucket {
    exact: Vec<(&'static str, Convention, Known)>,
    prefixes: Vec<(&'static str, Convention)>,
}

fn index() -> &'static Index {
    static INDEX: OnceLock<Index> = OnceLock::new();
    INDEX.get_or_init(|| {
        let mut buckets = vec![Bucket::default(); 256];
        // Table names are never empty (the unit tests build this index).
        let at = |name: &str| usize::from(name.as_bytes()[0]);
        for (c, t) in &TABLES {
            for (name, enc) in t.exact {
                buckets[at(name)].exact.push((name, *c, Known::Typed(*enc)));
            }
            for name in t.untyped.iter().flat_map(|names| names.iter()) {
                buckets[at(name)].exact.push((name, *c, Known::Untyped));
            }
            for p in t.text_prefixes {
                buckets[at(p)].prefixes.push((p, *c));
            }
        }
        Index { buckets }
    })
}

/// Which convention writes a header name, and how.
pub fn lookup(name: &str) -> Option<(Convention, Known)> {
    let first = *name.as_bytes().first()?;
    let b = &index().buckets[usize::from(first)];
    if let Some((_, c, k)) = b.exact.iter().find(|(n, _, _)| *n == name) {
        return Some((*c, *k));
    }
    b.prefixes
        .iter()
        .find(|(p, _)| name.starts_with(p))
        .map(|(_, c)| (*c, Known::Typed(Encoding::Text)))
}

/// The encoding of a header name that a known convention fixes, if any.
pub fn encoding_of(name: &str) -> Option<Encoding> {
    match lookup(name) {
        Some((_, Known::Typed(enc))) => Some(enc),
        Some((_, Known::Untyped)) | None => None,
    }
}

/// Whether a header describes a failure: some convention writes it. Replay's
/// `--redrive` strips these unless `--keep-dlq-headers`.
pub fn is_dlq_header(name: &str) -> bool {
    lookup(name).is_some()
}

/// Decode a header for display (`dlq inspect`) by what its convention says it
/// holds. Never fails: undecodable values are shown as base64 with a warning.
pub fn decode_for_display(name: &str, v: Option<&[u8]>) -> DecodedHeader {
    headers::decode(name, encoding_of(name), v)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every name a table claims, with one made-up name per prefix.
    fn claimed(t: &HeaderTable) -> Vec<String> {
        let mut names: Vec<String> = t.exact.iter().map(|(n, _)| n.to_string()).collect();
        names.extend(t.text_prefixes.iter().map(|p| format!("{p}anything")));
        names.extend(
            t.untyped
                .iter()
                .flat_map(|ns| ns.iter().map(|n| n.to_string())),
        );
        names
    }

    #[test]
    fn no_two_conventions_claim_the_same_header() {
        for c in Convention::ALL {
            for name in claimed(table_of(c)) {
                let owners: Vec<Convention> = Convention::ALL
                    .into_iter()
                    .filter(|o| table_of(*o).lookup(&name).is_some())
                    .collect();
                assert_eq!(owners, vec![c], "{name}");
                assert_eq!(lookup(&name).map(|(o, _)| o), Some(c), "{name}");
                assert!(is_dlq_header(&name), "{name}");
            }
        }
    }

    #[test]
    fn the_index_answers_like_the_tables() {
        let walk = |name: &str| {
            TABLES
                .iter()
                .find_map(|(c, t)| t.lookup(name).map(|k| (*c, k)))
        };
        let mut names: Vec<String> = Convention::ALL
            .into_iter()
            .flat_map(|c| claimed(table_of(c)))
            .collect();
        names.extend(
            [
                "",
                "k",
                "kafka_",
                "kafka_dlt-",
                "kafka_dltx",
                "retry_topic-other",
                "__connect",
                "dead-letter",
                "original_",
                "x-original-topic ",
                "X-Error-Message",
                "trace",
            ]
            .map(String::from),
        );
        for name in &names {
            assert_eq!(lookup(name), walk(name), "{name:?}");
        }
    }

    #[test]
    fn every_header_convention_has_a_table() {
        let writes_headers = |c: Convention| !claimed(table_of(c)).is_empty();
        for c in Convention::ALL {
            let expected = !matches!(
                c,
                Convention::JsonEnvelope | Convention::Custom | Convention::None
            );
            assert_eq!(writes_headers(c), expected, "{c}");
        }
    }

    #[test]
    fn ad_hoc_headers_are_dlq_headers_without_an_encoding() {
        for name in [
            "x-error-message",
            "x-original-topic",
            "x-exception",
            "error.class",
        ] {
            assert!(is_dlq_header(name), "{name}");
            assert_eq!(encoding_of(name), None, "{name}");
            assert_eq!(lookup(name).map(|(c, _)| c), Some(Convention::AdHoc));
        }
        for name in [
            "traceparent",
            "x-request-id",
            "original_id",
            "retry_topic-other",
        ] {
            assert!(!is_dlq_header(name), "{name}");
        }
    }

    #[test]
    fn display_decoding_types_known_headers() {
        let h = decode_for_display("kafka_dlt-original-partition", Some(&[0, 0, 0, 3]));
        assert_eq!((h.kind, h.value.as_i64()), ("int32", Some(3)));
        let h = decode_for_display(
            "kafka_dlt-original-timestamp",
            Some(&1_700_000_000_123i64.to_be_bytes()),
        );
        assert_eq!(h.kind, "timestamp");
        assert_eq!(h.time.as_deref(), Some("2023-11-14T22:13:20.123Z"));
        let h = decode_for_display("kafka_dlt-original-partition", Some(&[0, 0, 3]));
        assert_eq!(h.kind, "binary");
        assert_eq!(h.base64.as_deref(), Some("AAAD"));
        assert_eq!(
            h.warning.as_deref(),
            Some("expected int32: 3 bytes where 4 were expected")
        );
        let h = decode_for_display("kafka_dlt-original-offset", Some(b"12"));
        assert_eq!((h.kind, h.value.as_str()), ("text", Some("12")));
        assert!(h.warning.unwrap().contains("2 bytes where 8"));
        let h = decode_for_display("__connect.errors.partition", Some(b"5"));
        assert_eq!((h.kind, h.value.as_i64()), ("decimal", Some(5)));
        let h = decode_for_display("x-custom", Some(&[0xc3, 0x28]));
        assert_eq!(
            (h.kind, h.base64.as_deref(), h.warning.is_none()),
            ("binary", Some("wyg="), true)
        );
        assert_eq!(encoding_of("original_topic"), Some(Encoding::Text));
        assert_eq!(encoding_of("original_offset"), Some(Encoding::DecimalText));
        assert_eq!(encoding_of("original_id"), None);
        assert_eq!(
            encoding_of("kafka_dlt-exception-message"),
            Some(Encoding::Text)
        );
        let h = decode_for_display("x-custom", None);
        assert_eq!((h.kind, h.value.is_null()), ("null", true));
        let h = decode_for_display(
            "springDeserializerExceptionValue",
            Some(&[0xac, 0xed, 0, 5]),
        );
        assert_eq!((h.kind, h.size), ("java-serialized", 4));
        let h = decode_for_display("retry_topic-attempts", Some(&[2]));
        assert_eq!((h.kind, h.value.as_i64()), ("attempts", Some(2)));
    }
}
