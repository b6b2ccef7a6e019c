//! Kafka Streams dead-letter records (KIP-1034): `__streams.errors.*` headers,
//! all UTF-8. The exception header holds Java's `Throwable.toString()`
//! (`pkg.Class: message`), split into class and message; an explicit message
//! header wins over the split one.

use std::borrow::Cow;

use super::Convention;
use crate::dlq::cursor::HeaderCursor;
use crate::dlq::extract::{split_to_string, Failure};

pub const PREFIX: &str = "__streams.errors.";
pub const EXCEPTION: &str = "__streams.errors.exception";
pub const MESSAGE: &str = "__streams.errors.message";
pub const TOPIC: &str = "__streams.errors.topic";
pub const PARTITION: &str = "__streams.errors.partition";
pub const OFFSET: &str = "__streams.errors.offset";

header_table! {
    exact: [PARTITION => DecimalText, OFFSET => DecimalText],
    text_prefixes: [PREFIX],
    untyped: [],
}

pub(crate) fn read<'a>(r: &mut HeaderCursor<'_, 'a>, f: &mut Failure<'a>) {
    if !r.has_prefix(PREFIX) {
        return;
    }
    f.convention = Some(Convention::KafkaStreams);
    f.origin = r.decimal_origin(TOPIC, PARTITION, OFFSET);
    let mut to_string_message = None;
    if let Some(s) = r.last_text(EXCEPTION) {
        let (class, msg) = split_to_string(&s);
        f.exception = Some(Cow::Owned(class.to_string()));
        to_string_message = msg.map(str::to_string);
    }
    if let Some(m) = r.last_text(MESSAGE) {
        f.reason = Some(m);
        f.reason_source = Some(MESSAGE.into());
    } else if let Some(m) = to_string_message {
        f.reason = Some(m.into());
        f.reason_source = Some(EXCEPTION.into());
    }
}
