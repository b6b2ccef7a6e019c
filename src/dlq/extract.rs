//! Recognising who dead-lettered a record and reading what they wrote: the
//! convention (Spring DLT, Spring retry topics, Kafka Connect, Kafka Streams,
//! SmallRye, Karafka, ad-hoc headers, a JSON error envelope), the exception
//! class, the reason, and where the record came from. User overrides
//! (`--reason-header`, `--reason-json-pointer`, `--original-topic-header`,
//! `--original-topic-json-pointer`) win over what the conventions say.
//! Nothing here fails: bad values become warnings on the result.

use std::borrow::Cow;
use std::fmt;

use serde::{Deserialize, Serialize};

use super::headers::{self, DecodeError, RawHeader};
use super::normalize::{truncate_chars, MAX_REASON_CHARS};

/// Values larger than this are not parsed as JSON (envelope detection, JSON
/// pointers): a multi-megabyte payload must not cost a full parse per record.
pub const MAX_JSON_BYTES: usize = 1 << 20;

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
    fn is_empty(&self) -> bool {
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

struct Reader<'h, 'a> {
    headers: &'h [RawHeader<'a>],
    warnings: Vec<Warning>,
}

impl<'a> Reader<'_, 'a> {
    fn warn(&mut self, header: &str, problem: impl Into<String>) {
        self.warnings.push(Warning {
            header: header.to_string(),
            problem: problem.into(),
        });
    }

    fn has(&self, name: &str) -> bool {
        self.headers.iter().any(|(n, _)| *n == name)
    }

    fn has_prefix(&self, prefix: &str) -> bool {
        self.headers.iter().any(|(n, _)| n.starts_with(prefix))
    }

    /// Text of a header occurrence, borrowed; invalid UTF-8 is decoded lossily
    /// with a warning.
    fn text_of(&mut self, name: &str, v: Option<&'a [u8]>) -> Option<Cow<'a, str>> {
        match headers::text(v) {
            Ok(s) => Some(Cow::Borrowed(truncate_chars(s, MAX_REASON_CHARS))),
            Err(DecodeError::Null) => None,
            Err(e) => {
                self.warn(name, format!("expected UTF-8 text: {e}"));
                let b = v.unwrap_or_default();
                let cut = &b[..b.len().min(MAX_REASON_CHARS * 4)];
                Some(Cow::Owned(
                    truncate_chars(&String::from_utf8_lossy(cut), MAX_REASON_CHARS).to_string(),
                ))
            }
        }
    }

    /// Text of the header at position `i`.
    fn text_at(&mut self, i: usize) -> Option<Cow<'a, str>> {
        let (name, v) = self.headers[i];
        self.text_of(name, v)
    }

    /// Number in the header at position `i`.
    fn num_at(
        &mut self,
        i: usize,
        dec: fn(Option<&[u8]>) -> Result<i64, DecodeError>,
    ) -> Option<i64> {
        let (name, v) = self.headers[i];
        self.num(name, v, dec)
    }

    fn first_text(&mut self, name: &str) -> Option<Cow<'a, str>> {
        let v = headers::first(self.headers, name)?;
        self.text_of(name, v)
    }

    fn last_text(&mut self, name: &str) -> Option<Cow<'a, str>> {
        let v = headers::last(self.headers, name)?;
        self.text_of(name, v)
    }

    fn num(
        &mut self,
        name: &str,
        v: Option<&[u8]>,
        dec: fn(Option<&[u8]>) -> Result<i64, DecodeError>,
    ) -> Option<i64> {
        match dec(v) {
            Ok(n) => Some(n),
            Err(DecodeError::Null) => None,
            Err(e) => {
                self.warn(name, e.to_string());
                None
            }
        }
    }

    fn first_num(
        &mut self,
        name: &str,
        dec: fn(Option<&[u8]>) -> Result<i64, DecodeError>,
    ) -> Option<i64> {
        let v = headers::first(self.headers, name)?;
        self.num(name, v, dec)
    }

    fn last_num(
        &mut self,
        name: &str,
        dec: fn(Option<&[u8]>) -> Result<i64, DecodeError>,
    ) -> Option<i64> {
        let v = headers::last(self.headers, name)?;
        self.num(name, v, dec)
    }

    fn partition(&mut self, name: &str, n: Option<i64>) -> Option<i32> {
        let n = n?;
        match i32::try_from(n) {
            Ok(p) => Some(p),
            Err(_) => {
                self.warn(name, format!("partition {n} out of range"));
                None
            }
        }
    }
}

fn be_i32_wide(v: Option<&[u8]>) -> Result<i64, DecodeError> {
    headers::be_i32(v).map(i64::from)
}

/// Read the failure description from a record's headers and value.
pub fn extract<'a>(hs: &[RawHeader<'a>], value: Option<&[u8]>, ov: &Overrides) -> Failure<'a> {
    let mut r = Reader {
        headers: hs,
        warnings: Vec::new(),
    };
    let mut f = Failure::default();

    spring(&mut r, &mut f);
    if f.convention.is_none() {
        connect(&mut r, &mut f);
    }
    if f.convention.is_none() {
        streams(&mut r, &mut f);
    }
    if f.convention.is_none() {
        smallrye(&mut r, &mut f);
    }
    if f.convention.is_none() {
        karafka(&mut r, &mut f);
    }
    if f.convention.is_none() {
        ad_hoc(&mut r, &mut f);
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
            envelope(j, &mut f);
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
    for name in [
        "springDeserializerExceptionValue",
        "springDeserializerExceptionKey",
    ] {
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
    f.warnings = r.warnings;
    f
}

/// The Spring header fields read per family; the discriminant indexes [`SpringIndex`].
#[derive(Clone, Copy)]
enum Field {
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

/// Field names after the family prefix (`kafka_dlt-` or `kafka_`).
const SPRING_FIELDS: [(&str, Field); 11] = [
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
    first: [[Option<usize>; SPRING_FIELDS.len()]; 2],
    last: [[Option<usize>; SPRING_FIELDS.len()]; 2],
    /// `original-topic` headers per family: one per dead-lettering (hop).
    topics: [usize; 2],
    consumer_group: Option<usize>,
    attempts: Option<usize>,
    retry_original_timestamp: Option<usize>,
    retry_backoff_timestamp: Option<usize>,
}

impl SpringIndex {
    fn of(hs: &[RawHeader<'_>]) -> SpringIndex {
        let mut x = SpringIndex::default();
        for (i, (name, _)) in hs.iter().enumerate() {
            let (family, rest) = if let Some(rest) = name.strip_prefix("kafka_dlt-") {
                if rest == "original-consumer-group" {
                    x.consumer_group.get_or_insert(i);
                    continue;
                }
                x.dlt = true;
                (DLT, rest)
            } else if let Some(rest) = name.strip_prefix("kafka_") {
                if rest.starts_with("original-")
                    || rest.starts_with("exception-")
                    || rest.starts_with("key-exception-")
                {
                    x.retry = true;
                }
                (RETRY, rest)
            } else if let Some(rest) = name.strip_prefix("retry_topic-") {
                x.retry = true;
                match rest {
                    "attempts" => x.attempts = Some(i),
                    "original-timestamp" => x.retry_original_timestamp = Some(i),
                    "backoff-timestamp" => x.retry_backoff_timestamp = Some(i),
                    _ => {}
                }
                continue;
            } else {
                continue;
            };
            if let Some((_, field)) = SPRING_FIELDS.iter().find(|(n, _)| *n == rest) {
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
fn spring_name(n: &str) -> Cow<'static, str> {
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

fn spring<'a>(r: &mut Reader<'_, 'a>, f: &mut Failure<'a>) {
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
    let read_origin = |r: &mut Reader<'_, 'a>, first: bool| -> Origin<'a> {
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
    let mut exception_family = |r: &mut Reader<'_, 'a>, fields: [Field; 3]| -> bool {
        let [fqcn, cause, message] = fields.map(|field| x.at(field, false));
        if let Some(i) = fqcn {
            f.exception = r.text_at(i);
        }
        if let Some(i) = cause {
            f.cause = r.text_at(i);
        }
        if let Some(i) = message {
            f.reason = r.text_at(i);
            f.reason_source = Some(spring_name(r.headers[i].0));
        }
        fqcn.is_some() || cause.is_some() || message.is_some()
    };
    if !exception_family(r, [Field::Fqcn, Field::CauseFqcn, Field::Message])
        && exception_family(r, [Field::KeyFqcn, Field::KeyCauseFqcn, Field::KeyMessage])
    {
        f.failed_part = Some("key");
    }
    if let Some(i) = x.attempts {
        f.attempts = r.num_at(i, headers::attempts);
    }
    // Decoded for the warning only; `inspect` shows the value.
    for i in [x.retry_original_timestamp, x.retry_backoff_timestamp]
        .into_iter()
        .flatten()
    {
        let _ = r.num_at(i, headers::java_bigint);
    }
}

fn connect<'a>(r: &mut Reader<'_, 'a>, f: &mut Failure<'a>) {
    if !r.has_prefix("__connect.errors.") {
        return;
    }
    f.convention = Some(Convention::KafkaConnect);
    f.origin.topic = r.last_text("__connect.errors.topic");
    let p = r.last_num("__connect.errors.partition", headers::decimal);
    f.origin.partition = r.partition("__connect.errors.partition", p);
    f.origin.offset = r.last_num("__connect.errors.offset", headers::decimal);
    f.connector = r.last_text("__connect.errors.connector.name");
    f.task = r.last_num("__connect.errors.task.id", headers::decimal);
    f.stage = r.last_text("__connect.errors.stage");
    f.exception = r.last_text("__connect.errors.exception.class.name");
    if r.has("__connect.errors.exception.message") {
        f.reason = r.last_text("__connect.errors.exception.message");
        f.reason_source = Some("__connect.errors.exception.message".into());
    }
    // The class that was executing (converter, transform) is the best "cause" we get.
    f.cause = r.last_text("__connect.errors.class.name");
}

fn streams<'a>(r: &mut Reader<'_, 'a>, f: &mut Failure<'a>) {
    if !r.has_prefix("__streams.errors.") {
        return;
    }
    f.convention = Some(Convention::KafkaStreams);
    f.origin.topic = r.last_text("__streams.errors.topic");
    let p = r.last_num("__streams.errors.partition", headers::decimal);
    f.origin.partition = r.partition("__streams.errors.partition", p);
    f.origin.offset = r.last_num("__streams.errors.offset", headers::decimal);
    let mut to_string_message = None;
    if let Some(s) = r.last_text("__streams.errors.exception") {
        let (class, msg) = split_to_string(&s);
        f.exception = Some(Cow::Owned(class.to_string()));
        to_string_message = msg.map(str::to_string);
    }
    if let Some(m) = r.last_text("__streams.errors.message") {
        f.reason = Some(m);
        f.reason_source = Some("__streams.errors.message".into());
    } else if let Some(m) = to_string_message {
        f.reason = Some(m.into());
        f.reason_source = Some("__streams.errors.exception".into());
    }
}

fn smallrye<'a>(r: &mut Reader<'_, 'a>, f: &mut Failure<'a>) {
    if !r.has_prefix("dead-letter-") {
        return;
    }
    f.convention = Some(Convention::Smallrye);
    f.origin.topic = r.last_text("dead-letter-topic");
    let p = r.last_num("dead-letter-partition", headers::decimal);
    f.origin.partition = r.partition("dead-letter-partition", p);
    f.origin.offset = r.last_num("dead-letter-offset", headers::decimal);
    f.exception = r.last_text("dead-letter-exception-class-name");
    f.cause = r.last_text("dead-letter-cause-class-name");
    if r.has("dead-letter-reason") {
        f.reason = r.last_text("dead-letter-reason");
        f.reason_source = Some("dead-letter-reason".into());
    } else if r.has("dead-letter-cause") {
        f.reason = r.last_text("dead-letter-cause");
        f.reason_source = Some("dead-letter-cause".into());
    }
}

fn karafka<'a>(r: &mut Reader<'_, 'a>, f: &mut Failure<'a>) {
    if !(r.has("original_topic") || r.has("original_partition") || r.has("original_offset")) {
        return;
    }
    f.convention = Some(Convention::Karafka);
    f.origin.topic = r.last_text("original_topic");
    let p = r.last_num("original_partition", headers::decimal);
    f.origin.partition = r.partition("original_partition", p);
    f.origin.offset = r.last_num("original_offset", headers::decimal);
    f.origin.consumer_group = r.last_text("original_consumer_group");
}

const AD_HOC_REASON: &[&str] = &[
    "x-error-message",
    "x-exception-message",
    "x-error-reason",
    "x-error",
    "error.message",
    "error-message",
    "error_message",
];
const AD_HOC_EXCEPTION: &[&str] = &[
    "x-exception-class",
    "x-exception",
    "x-error-class",
    "error.class",
    "error.type",
    "exception.class",
];
const AD_HOC_TOPIC: &[&str] = &["x-original-topic", "x-source-topic", "original-topic"];

fn ad_hoc<'a>(r: &mut Reader<'_, 'a>, f: &mut Failure<'a>) {
    let find =
        |r: &Reader<'_, '_>, names: &[&str]| names.iter().find(|n| r.has(n)).map(|n| n.to_string());
    let reason = find(r, AD_HOC_REASON);
    let exception = find(r, AD_HOC_EXCEPTION);
    let topic = find(r, AD_HOC_TOPIC);
    if reason.is_none() && exception.is_none() && topic.is_none() {
        return;
    }
    f.convention = Some(Convention::AdHoc);
    if let Some(n) = &exception {
        if let Some(s) = r.last_text(n) {
            // `x-exception` often holds `Class: message`.
            let (class, msg) = split_to_string(&s);
            f.exception = Some(Cow::Owned(class.to_string()));
            if reason.is_none() {
                if let Some(m) = msg {
                    f.reason = Some(Cow::Owned(m.to_string()));
                    f.reason_source = Some(Cow::Owned(n.clone()));
                }
            }
        }
    }
    if let Some(n) = reason {
        f.reason = r.last_text(&n);
        f.reason_source = Some(Cow::Owned(n));
    }
    if let Some(n) = topic {
        f.origin.topic = r.first_text(&n);
    }
    for (name, slot) in [("x-original-partition", 0), ("x-original-offset", 1)] {
        if r.has(name) {
            let v = r.first_num(name, headers::decimal);
            if slot == 0 {
                f.origin.partition = r.partition(name, v);
            } else {
                f.origin.offset = v;
            }
        }
    }
}

fn envelope(j: &serde_json::Value, f: &mut Failure<'_>) {
    let Some(err) = j.get("error") else { return };
    match err {
        serde_json::Value::String(s) => {
            f.reason = Some(Cow::Owned(truncate_chars(s, MAX_REASON_CHARS).to_string()));
            f.reason_source = Some("value/error".into());
        }
        serde_json::Value::Object(o) => {
            for k in ["message", "reason", "msg"] {
                if let Some(s) = o.get(k).and_then(|v| v.as_str()) {
                    f.reason = Some(Cow::Owned(truncate_chars(s, MAX_REASON_CHARS).to_string()));
                    f.reason_source = Some(Cow::Owned(format!("value/error/{k}")));
                    break;
                }
            }
            for k in ["class", "exception", "type", "code"] {
                if let Some(s) = o.get(k).and_then(scalar_text) {
                    f.exception = Some(Cow::Owned(s.into_owned()));
                    break;
                }
            }
            for k in ["topic", "original_topic", "originalTopic"] {
                if let Some(s) = o.get(k).and_then(|v| v.as_str()) {
                    f.origin.topic = Some(Cow::Owned(s.to_string()));
                    break;
                }
            }
        }
        _ => return,
    }
    if f.reason.is_some() || f.exception.is_some() {
        f.convention = Some(Convention::JsonEnvelope);
    }
}

fn scalar_text(v: &serde_json::Value) -> Option<Cow<'_, str>> {
    match v {
        serde_json::Value::String(s) => Some(Cow::Borrowed(s)),
        serde_json::Value::Number(n) => Some(Cow::Owned(n.to_string())),
        serde_json::Value::Bool(b) => Some(Cow::Owned(b.to_string())),
        _ => None,
    }
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
