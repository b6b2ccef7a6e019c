//! Spring Kafka's `DeadLetterPublishingRecoverer` (`kafka_dlt-*` headers, binary
//! partition, offset and timestamp), and the reading of both Spring families:
//! retryable topics ([`super::spring_retry`]) write the same fields under
//! `kafka_`, and a record can carry both, so one pass indexes every Spring
//! header of a record and the dead-letter family is preferred field by field.
//! Also the `springDeserializerException*` headers of Spring's
//! `ErrorHandlingDeserializer`.

use std::borrow::Cow;

use super::spring_retry::{self, RetryTopicHeaders};
use super::Convention;
use crate::dlq::cursor::HeaderCursor;
use crate::dlq::extract::{Failure, Origin, Warning};
use crate::dlq::headers::{self, DecodeError, Encoding, RawHeader};

/// Prefix of the dead-letter family's headers; the field names follow it.
pub const FAMILY: &str = "kafka_dlt-";
/// Written by both families (retry topics too use the `kafka_dlt-` name).
pub const CONSUMER_GROUP: &str = "kafka_dlt-original-consumer-group";
/// The Java-serialised exception of a failed key or value deserialisation.
pub const DESERIALIZER_EXCEPTION_VALUE: &str = "springDeserializerExceptionValue";
pub const DESERIALIZER_EXCEPTION_KEY: &str = "springDeserializerExceptionKey";

header_table! {
    exact: [
        "kafka_dlt-original-partition" => Int32,
        "kafka_dlt-original-offset" => Int64,
        "kafka_dlt-original-timestamp" => TimestampMs,
        DESERIALIZER_EXCEPTION_KEY => JavaSerialized,
        DESERIALIZER_EXCEPTION_VALUE => JavaSerialized,
    ],
    text_prefixes: [FAMILY],
    untyped: [],
}

/// The Spring header fields read per family; the discriminant indexes [`SpringIndex`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Field {
    Topic,
    Partition,
    Offset,
    Timestamp,
    TimestampType,
    Fqcn,
    CauseFqcn,
    Message,
    KeyFqcn,
    KeyCauseFqcn,
    KeyMessage,
}

impl Field {
    /// How both families encode the field (what the reader decodes it as).
    pub fn encoding(self) -> Encoding {
        match self {
            Field::Partition => Encoding::Int32,
            Field::Offset => Encoding::Int64,
            Field::Timestamp => Encoding::TimestampMs,
            _ => Encoding::Text,
        }
    }
}

/// Field names after the family prefix (`kafka_dlt-` or `kafka_`).
pub const FIELDS: [(&str, Field); 11] = [
    ("original-topic", Field::Topic),
    ("original-partition", Field::Partition),
    ("original-offset", Field::Offset),
    ("original-timestamp", Field::Timestamp),
    ("original-timestamp-type", Field::TimestampType),
    ("exception-fqcn", Field::Fqcn),
    ("exception-cause-fqcn", Field::CauseFqcn),
    ("exception-message", Field::Message),
    ("key-exception-fqcn", Field::KeyFqcn),
    ("key-exception-cause-fqcn", Field::KeyCauseFqcn),
    ("key-exception-message", Field::KeyMessage),
];

/// Family 0 is `kafka_dlt-` (dead-letter publishing), 1 is `kafka_` (retry topics).
const DLT: usize = 0;
const RETRY: usize = 1;

/// Where each Spring header sits in a record, from one pass over its headers
/// (looking each name up in turn took a tenth of a triage's time).
#[derive(Default)]
struct SpringIndex {
    /// `kafka_dlt-*` headers other than the consumer group, which both families write.
    dlt: bool,
    /// `kafka_original-*`, `kafka_exception-*`, `kafka_key-exception-*`, `retry_topic-*`.
    retry: bool,
    /// First and last position per family and field.
    first: [[Option<usize>; FIELDS.len()]; 2],
    last: [[Option<usize>; FIELDS.len()]; 2],
    /// `original-topic` headers per family: one per dead-lettering (hop).
    topics: [usize; 2],
    consumer_group: Option<usize>,
    retry_topic: RetryTopicHeaders,
}

impl SpringIndex {
    fn of(hs: &[RawHeader<'_>]) -> SpringIndex {
        let mut x = SpringIndex::default();
        for (i, (name, _)) in hs.iter().enumerate() {
            let (family, rest) = if let Some(rest) = name.strip_prefix(FAMILY) {
                if *name == CONSUMER_GROUP {
                    x.consumer_group.get_or_insert(i);
                    continue;
                }
                x.dlt = true;
                (DLT, rest)
            } else if let Some(rest) = name.strip_prefix(spring_retry::FAMILY) {
                if spring_retry::HEADERS
                    .text_prefixes
                    .iter()
                    .any(|p| name.starts_with(p))
                {
                    x.retry = true;
                }
                (RETRY, rest)
            } else if name.starts_with(spring_retry::RETRY_TOPIC) {
                x.retry = true;
                x.retry_topic.note(name, i);
                continue;
            } else {
                continue;
            };
            if let Some((_, field)) = FIELDS.iter().find(|(n, _)| *n == rest) {
                let f = *field as usize;
                x.first[family][f].get_or_insert(i);
                x.last[family][f] = Some(i);
                if let Field::Topic = field {
                    x.topics[family] += 1;
                }
            }
        }
        x
    }

    /// The families to read, preferred first.
    fn families(&self) -> &'static [usize] {
        match (self.dlt, self.retry) {
            (true, true) => &[DLT, RETRY],
            (true, false) => &[DLT],
            _ => &[RETRY],
        }
    }

    /// The header holding `field` in the first family that has it: its first or
    /// last occurrence.
    fn at(&self, field: Field, first: bool) -> Option<usize> {
        let f = field as usize;
        self.families().iter().find_map(|&fam| {
            if first {
                self.first[fam][f]
            } else {
                self.last[fam][f]
            }
        })
    }
}

/// A Spring exception-message header name, borrowed from the names Spring writes.
fn message_header_name(n: &str) -> Cow<'static, str> {
    const NAMES: [&str; 4] = [
        "kafka_dlt-exception-message",
        "kafka_exception-message",
        "kafka_dlt-key-exception-message",
        "kafka_key-exception-message",
    ];
    NAMES
        .into_iter()
        .find(|k| *k == n)
        .map_or_else(|| Cow::Owned(n.to_string()), Cow::Borrowed)
}

fn be_i32_wide(v: Option<&[u8]>) -> Result<i64, DecodeError> {
    headers::be_i32(v).map(i64::from)
}

/// Read either Spring family; the convention is left unset when the record has
/// neither.
pub(crate) fn read<'a>(r: &mut HeaderCursor<'_, 'a>, f: &mut Failure<'a>) {
    let x = SpringIndex::of(r.headers);
    if !x.dlt && !x.retry {
        return;
    }
    f.convention = Some(if x.dlt {
        Convention::SpringDlt
    } else {
        Convention::SpringRetry
    });

    // Original coordinates: the first occurrence is the true source.
    let read_origin = |r: &mut HeaderCursor<'_, 'a>, first: bool| -> Origin<'a> {
        let mut o = Origin::default();
        if let Some(i) = x.at(Field::Topic, first) {
            o.topic = r.text_at(i);
        }
        if let Some(i) = x.at(Field::Partition, first) {
            let p = r.num_at(i, be_i32_wide);
            o.partition = r.partition(r.headers[i].0, p);
        }
        if let Some(i) = x.at(Field::Offset, first) {
            o.offset = r.num_at(i, headers::be_i64);
        }
        if let Some(i) = x.at(Field::Timestamp, first) {
            o.timestamp_ms = r.num_at(i, headers::be_i64);
        }
        if let Some(i) = x.at(Field::TimestampType, first) {
            o.timestamp_type = r.text_at(i);
        }
        o
    };
    f.origin = read_origin(r, true);
    let hops = x
        .families()
        .iter()
        .map(|&fam| x.topics[fam])
        .max()
        .unwrap_or(0);
    f.hops = hops;
    if hops > 1 {
        // Decoding the latest hop repeats warnings for the same headers; keep them once.
        let before = r.warnings.len();
        let latest = read_origin(r, false);
        let extra: Vec<Warning> = r.warnings.drain(before..).collect();
        for w in extra {
            if !r.warnings.contains(&w) {
                r.warnings.push(w);
            }
        }
        if !latest.is_empty() {
            f.latest_hop = Some(latest);
        }
    }
    if let Some(i) = x.consumer_group {
        f.origin.consumer_group = r.text_at(i);
    }

    // The exception of the latest failure (the last occurrence when not stripped).
    let mut exception_family = |r: &mut HeaderCursor<'_, 'a>, fields: [Field; 3]| -> bool {
        let [fqcn, cause, message] = fields.map(|field| x.at(field, false));
        if let Some(i) = fqcn {
            f.exception = r.text_at(i);
        }
        if let Some(i) = cause {
            f.cause = r.text_at(i);
        }
        if let Some(i) = message {
            f.reason = r.text_at(i);
            f.reason_source = Some(message_header_name(r.headers[i].0));
        }
        fqcn.is_some() || cause.is_some() || message.is_some()
    };
    if !exception_family(r, [Field::Fqcn, Field::CauseFqcn, Field::Message])
        && exception_family(r, [Field::KeyFqcn, Field::KeyCauseFqcn, Field::KeyMessage])
    {
        f.failed_part = Some("key");
    }
    x.retry_topic.read(r, f);
}

/// Note a Java-serialised deserialisation exception; when nothing else gave a
/// reason it becomes the reason (and the record a Spring dead letter). Runs
/// after every other convention and the user's overrides.
pub(crate) fn read_deserializer_exception(r: &HeaderCursor<'_, '_>, f: &mut Failure<'_>) {
    for name in [DESERIALIZER_EXCEPTION_VALUE, DESERIALIZER_EXCEPTION_KEY] {
        if r.has(name) {
            f.serialized_exception = Some(name);
            if f.reason.is_none() && f.exception.is_none() {
                let part = if name.ends_with("Key") {
                    "key"
                } else {
                    "value"
                };
                f.failed_part = Some(part);
                f.reason = Some(
                    format!("{part} deserialisation failed (Java-serialised exception in {name})")
                        .into(),
                );
                f.reason_source = Some(Cow::Borrowed(name));
                if f.convention.is_none() {
                    f.convention = Some(Convention::SpringDlt);
                }
            }
            break;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The tables say what the reader decodes: every field of both families.
    #[test]
    fn both_families_tables_match_the_fields_read() {
        for (family, table) in [
            (FAMILY, &HEADERS),
            (spring_retry::FAMILY, &spring_retry::HEADERS),
        ] {
            for (name, field) in FIELDS {
                let full = format!("{family}{name}");
                assert_eq!(
                    table.lookup(&full),
                    Some(super::super::Known::Typed(field.encoding())),
                    "{full}"
                );
            }
        }
        assert_eq!(
            HEADERS.lookup(CONSUMER_GROUP),
            Some(super::super::Known::Typed(Encoding::Text))
        );
    }
}
