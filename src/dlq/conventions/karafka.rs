//! Karafka (Ruby) dead-letter queues: `original_*` headers, all UTF-8, numbers
//! as decimal strings. Karafka says where a record came from, not why it
//! failed: there is no reason to read.

use super::Convention;
use crate::dlq::cursor::HeaderCursor;
use crate::dlq::extract::Failure;

pub const TOPIC: &str = "original_topic";
pub const PARTITION: &str = "original_partition";
pub const OFFSET: &str = "original_offset";
pub const CONSUMER_GROUP: &str = "original_consumer_group";

header_table! {
    exact: [
        TOPIC => Text,
        PARTITION => DecimalText,
        OFFSET => DecimalText,
        CONSUMER_GROUP => Text,
    ],
    text_prefixes: [],
    untyped: [],
}

/// A consumer group alone is not enough to call a record a Karafka dead letter.
pub(crate) fn read<'a>(r: &mut HeaderCursor<'_, 'a>, f: &mut Failure<'a>) {
    if !(r.has(TOPIC) || r.has(PARTITION) || r.has(OFFSET)) {
        return;
    }
    f.convention = Some(Convention::Karafka);
    f.origin = r.decimal_origin(TOPIC, PARTITION, OFFSET);
    f.origin.consumer_group = r.last_text(CONSUMER_GROUP);
}
