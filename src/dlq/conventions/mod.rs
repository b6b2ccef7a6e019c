//! The dead-letter conventions kafkaops recognises, one module each: the header
//! names a producer writes, how their values are encoded, and how the failure is
//! read back from them (`docs/dlq-conventions.md` describes each one).
//!
//! Each convention declares its headers once, with `header_table!`: its
//! [`HeaderTable`] and a `lookup` compiled from the same names. The list in
//! `header_conventions!` gives [`table_of`], an exhaustive match on
//! [`Convention`] (a new convention cannot be added without saying which
//! headers it writes), and [`lookup`], which chains every convention's. The
//! union of the tables answers "which encoding does this header have"
//! ([`encoding_of`], for `dlq inspect` and the triage facts) and "is this a
//! dead-letter header" ([`is_dlq_header`], what `replay --redrive` strips).

use std::fmt;

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

/// The header names one convention writes. Names are case-sensitive. Each
/// convention declares its table with `header_table!`, which also writes its
/// `lookup`.
pub struct HeaderTable {
    /// Names with a fixed encoding; they win over `text_prefixes`.
    pub exact: &'static [(&'static str, Encoding)],
    /// Every other name starting with one of these is UTF-8 text.
    pub text_prefixes: &'static [&'static str],
    /// Names whose encoding nobody fixed (ad-hoc headers): dead-letter headers
    /// all the same, shown as whatever they hold.
    pub untyped: &'static [&'static str],
    /// The first bytes of every name and prefix above.
    pub first_bytes: FirstBytes,
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
    pub const NONE: HeaderTable = HeaderTable::new(&[], &[], &[]);

    /// Panics, so fails the build of a constant, on an empty name (a first
    /// byte is what rejects most names).
    pub const fn new(
        exact: &'static [(&'static str, Encoding)],
        text_prefixes: &'static [&'static str],
        untyped: &'static [&'static str],
    ) -> HeaderTable {
        let mut first_bytes = FirstBytes::EMPTY;
        let mut i = 0;
        while i < exact.len() {
            first_bytes = first_bytes.with(exact[i].0);
            i += 1;
        }
        i = 0;
        while i < text_prefixes.len() {
            first_bytes = first_bytes.with(text_prefixes[i]);
            i += 1;
        }
        i = 0;
        while i < untyped.len() {
            first_bytes = first_bytes.with(untyped[i]);
            i += 1;
        }
        HeaderTable {
            exact,
            text_prefixes,
            untyped,
            first_bytes,
        }
    }

    /// Whether this convention writes `name`, and how, by walking the table:
    /// what the `lookup` that `header_table!` writes must answer (the unit
    /// tests compare them).
    pub fn lookup(&self, name: &str) -> Option<Known> {
        if let Some((_, enc)) = self.exact.iter().find(|(n, _)| *n == name) {
            return Some(Known::Typed(*enc));
        }
        if self.text_prefixes.iter().any(|p| name.starts_with(p)) {
            return Some(Known::Typed(Encoding::Text));
        }
        if self.untyped.contains(&name) {
            return Some(Known::Untyped);
        }
        None
    }
}

/// A set of bytes, for the first bytes of the names a table claims: the test
/// that rejects, in a few instructions, the names no convention writes
/// (`traceparent`, `content-type`...), most headers of most records.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct FirstBytes([u64; 4]);

impl FirstBytes {
    pub const EMPTY: FirstBytes = FirstBytes([0; 4]);

    const fn with(self, name: &str) -> FirstBytes {
        let b = name.as_bytes()[0];
        let mut words = self.0;
        words[(b >> 6) as usize] |= 1 << (b & 63);
        FirstBytes(words)
    }

    const fn has(&self, b: u8) -> bool {
        self.0[(b >> 6) as usize] >> (b & 63) & 1 != 0
    }

    /// Per byte, bit `i` says whether `sets[i]` has it: one load tells which
    /// conventions a name may belong to.
    const fn claims(sets: &[FirstBytes]) -> [u32; 256] {
        assert!(sets.len() <= 32);
        let mut out = [0; 256];
        let mut b = 0;
        while b < out.len() {
            let mut i = 0;
            while i < sets.len() {
                if sets[i].has(b as u8) {
                    out[b] |= 1 << i;
                }
                i += 1;
            }
            b += 1;
        }
        out
    }

    /// Whether `name` starts with one of the bytes (an empty name does not).
    #[inline]
    pub fn admits(&self, name: &str) -> bool {
        match name.as_bytes().first() {
            Some(&b) => self.has(b),
            None => false,
        }
    }
}

/// Declares a convention's headers, once, in its module: the [`HeaderTable`]
/// `HEADERS` (for iteration, the docs and the tests) and `fn lookup(name) ->
/// Option<Known>` answering like it. Redrive and triage look up every header of
/// every record; walking the tables, hashing each name or bucketing them by
/// first byte cost two to three times what a `match` on the names does, so
/// `lookup` is that `match`, behind the table's first-byte test. A name is a
/// string literal or the name of a `&str` constant of the module (anything
/// else would be a binding that matches every name; the unit tests would see
/// it). `untyped_lists` also declares each list as a constant, in its order.
macro_rules! header_table {
    (
        exact: [$($name:tt => $enc:ident),* $(,)?],
        text_prefixes: [$($prefix:tt),* $(,)?],
        untyped: [$($untyped:tt),* $(,)?]
        $(, untyped_lists: [$(
            $(#[$list_doc:meta])*
            $list:ident = [$($listed:tt),* $(,)?]
        ),* $(,)?])?
        $(,)?
    ) => {
        $($(
            $(#[$list_doc])*
            pub const $list: &[&str] = &[$($listed),*];
        )*)?

        /// The headers this convention writes.
        pub const HEADERS: $crate::dlq::conventions::HeaderTable =
            $crate::dlq::conventions::HeaderTable::new(
                &[$(($name, $crate::dlq::headers::Encoding::$enc)),*],
                &[$($prefix),*],
                &[$($untyped,)* $($($($listed,)*)*)?],
            );

        /// Whether this convention writes `name`, and how: [`HEADERS`] as a `match`.
        #[inline]
        pub fn lookup(name: &str) -> Option<$crate::dlq::conventions::Known> {
            #[allow(unused_imports)]
            use $crate::{dlq::conventions::Known, dlq::headers::Encoding};
            if !HEADERS.first_bytes.admits(name) {
                return None;
            }
            lookup_admitted(name)
        }

        /// [`lookup`] without the first-byte test, for a caller that made it.
        #[inline]
        pub(super) fn lookup_admitted(name: &str) -> Option<$crate::dlq::conventions::Known> {
            #[allow(unused_imports)]
            use $crate::{dlq::conventions::Known, dlq::headers::Encoding};
            match name {
                $($name => Some(Known::Typed(Encoding::$enc)),)*
                $($untyped => Some(Known::Untyped),)*
                $($($($listed => Some(Known::Untyped),)*)*)?
                _ if false $(|| name.starts_with($prefix))* => Some(Known::Typed(Encoding::Text)),
                _ => None,
            }
        }
    };
}

pub mod ad_hoc;
pub mod connect;
pub mod envelope;
pub mod karafka;
pub mod smallrye;
pub mod spring;
pub mod spring_retry;
pub mod streams;

/// The conventions that write headers, each with its module: [`table_of`]'s
/// exhaustive match and [`lookup`]'s chain come from this one list, so a new
/// [`Convention`] cannot be added without its table, nor a table be left out
/// of the lookup.
macro_rules! header_conventions {
    ($($convention:ident => $module:ident),* $(,)?) => {
        /// The headers a convention writes.
        pub const fn table_of(c: Convention) -> &'static HeaderTable {
            match c {
                $(Convention::$convention => &$module::HEADERS,)*
                // The user names these headers per run (`--reason-header`...).
                Convention::Custom | Convention::None => &HeaderTable::NONE,
            }
        }

        /// Which conventions write names starting with each byte, bit `i` for
        /// the `i`th in the list.
        const CLAIMS: [u32; 256] = FirstBytes::claims(&[$($module::HEADERS.first_bytes),*]);

        /// Which convention writes a header name, and how. No two tables claim
        /// the same name (a unit test checks), so the order of the chain does
        /// not change the answer.
        #[inline]
        pub fn lookup(name: &str) -> Option<(Convention, Known)> {
            let claims = CLAIMS[usize::from(*name.as_bytes().first()?)];
            if claims == 0 {
                return None;
            }
            let mut bit = 1;
            $(
                if claims & bit != 0 {
                    if let Some(k) = $module::lookup_admitted(name) {
                        return Some((Convention::$convention, k));
                    }
                }
                bit <<= 1;
            )*
            let _ = bit;
            None
        }

        /// Each convention's own `lookup`, for the tests to hold against its table.
        #[cfg(test)]
        const MODULE_LOOKUPS: &[(Convention, fn(&str) -> Option<Known>)] =
            &[$((Convention::$convention, $module::lookup)),*];
    };
}

header_conventions! {
    SpringDlt => spring,
    SpringRetry => spring_retry,
    KafkaConnect => connect,
    KafkaStreams => streams,
    Smallrye => smallrye,
    Karafka => karafka,
    AdHoc => ad_hoc,
    JsonEnvelope => envelope,
}

/// The encoding of a header name that a known convention fixes, if any.
#[inline]
pub fn encoding_of(name: &str) -> Option<Encoding> {
    match lookup(name) {
        Some((_, Known::Typed(enc))) => Some(enc),
        Some((_, Known::Untyped)) | None => None,
    }
}

/// Whether a header describes a failure: some convention writes it. Replay's
/// `--redrive` strips these unless `--keep-dlq-headers`.
#[inline]
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
        names.extend(t.untyped.iter().map(|n| n.to_string()));
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

    /// The generated `match`es (and the first-byte tests in front of them)
    /// answer like a walk over the tables: for every claimed name, every
    /// prefix itself, and names that are near misses of both.
    #[test]
    fn the_matches_answer_like_the_tables() {
        let walk = |name: &str| {
            Convention::ALL
                .into_iter()
                .find_map(|c| table_of(c).lookup(name).map(|k| (c, k)))
        };
        let mut names: Vec<String> = Convention::ALL
            .into_iter()
            .flat_map(|c| claimed(table_of(c)))
            .collect();
        for c in Convention::ALL {
            let t = table_of(c);
            for name in t
                .exact
                .iter()
                .map(|(n, _)| *n)
                .chain(t.untyped.iter().copied())
            {
                // One byte short, one byte more, the last byte changed.
                names.push(name[..name.len() - 1].to_string());
                names.push(format!("{name}x"));
                names.push(format!("{}#", &name[..name.len() - 1]));
            }
            for p in t.text_prefixes {
                names.push(p.to_string());
                names.push(p[..p.len() - 1].to_string());
            }
        }
        names.extend(
            [
                "",
                "k",
                "kafka_",
                "kafka_dltx",
                "retry_topic-other",
                "__connect",
                "dead-letter",
                "original_",
                "x-original-topic ",
                "X-Error-Message",
                "trace",
                "traceparent",
                "\u{ff}",
                "é",
            ]
            .map(String::from),
        );
        for name in &names {
            assert_eq!(lookup(name), walk(name), "{name:?}");
        }
        for &(c, module_lookup) in MODULE_LOOKUPS {
            for name in &names {
                assert_eq!(
                    module_lookup(name),
                    table_of(c).lookup(name),
                    "{c} {name:?}"
                );
            }
        }
    }

    #[test]
    fn first_bytes_are_those_of_the_names() {
        assert_eq!(lookup(""), None);
        for b in 0..=255u8 {
            let starts = |n: &&str| n.as_bytes()[0] == b;
            for (i, &(c, _)) in MODULE_LOOKUPS.iter().enumerate() {
                let t = table_of(c);
                let claimed = t.exact.iter().map(|(n, _)| n).any(starts)
                    || t.text_prefixes.iter().any(starts)
                    || t.untyped.iter().any(starts);
                assert_eq!(CLAIMS[usize::from(b)] >> i & 1 == 1, claimed, "{c} {b}");
                assert_eq!(t.first_bytes.has(b), claimed, "{c} {b}");
            }
        }
        assert!(spring::HEADERS
            .first_bytes
            .admits("kafka_dlt-original-topic"));
        assert!(!spring::HEADERS.first_bytes.admits("traceparent"));
        assert!(!spring::HEADERS.first_bytes.admits(""));
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
