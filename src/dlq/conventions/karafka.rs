//! Karafka (Ruby) dead-letter queues: `original_*` headers, all UTF-8, numbers
//! as decimal strings. Karafka says where a record came from, not why it
//! failed: there is no reason to read.

use super::{Convention, HeaderTable};
use crate::dlq::cursor::HeaderCursor;
use crate::dlq::extract::Failure;
use crate::dlq::headers::Encoding;

pub const TOPIC: &str = "original_topic";
pub const PARTITION: &str = "original_partition";
pub const OFFSET: &str = "original_offset";
pub const CONSUMER_GROUP: &str = "original_consumer_group";

pub const HEADERS: HeaderTable = HeaderTable {
    exact: &[
        (TOPIC, Encoding::Text),
        (PARTITION, Encoding::DecimalText),
        (OFFSET, Encoding::DecimalText),
        (CONSUMER_GROUP, Encoding::Text),
    ],
    text_prefixes: &[],
    untyped: &[],
};

/// A consumer group alone is not enough to call a record a Karafka dead letter.
pub(crate) fn read<'a>(r: &mut HeaderCursor<'_, 'a>, f: &mut Failure<'a>) {
    if !(r.has(TOPIC) || r.has(PARTITION) || r.has(OFFSET)) {
        return;
    }
    f.convention = Some(Convention::Karafka);
    f.origin = r.decimal_origin(TOPIC, PARTITION, OFFSET);
    f.origin.consumer_group = r.last_text(CONSUMER_GROUP);
}
