//! SmallRye Reactive Messaging (Quarkus) dead-letter queues: `dead-letter-*`
//! headers, all UTF-8, numbers as decimal strings. The reason is
//! `dead-letter-reason`, else the cause's message.

use super::Convention;
use crate::dlq::cursor::HeaderCursor;
use crate::dlq::extract::Failure;

pub const PREFIX: &str = "dead-letter-";
pub const EXCEPTION: &str = "dead-letter-exception-class-name";
pub const REASON: &str = "dead-letter-reason";
pub const CAUSE_CLASS: &str = "dead-letter-cause-class-name";
pub const CAUSE: &str = "dead-letter-cause";
pub const TOPIC: &str = "dead-letter-topic";
pub const PARTITION: &str = "dead-letter-partition";
pub const OFFSET: &str = "dead-letter-offset";

header_table! {
    exact: [PARTITION => DecimalText, OFFSET => DecimalText],
    text_prefixes: [PREFIX],
    untyped: [],
}

pub(crate) fn read<'a>(r: &mut HeaderCursor<'_, 'a>, f: &mut Failure<'a>) {
    if !r.has_prefix(PREFIX) {
        return;
    }
    f.convention = Some(Convention::Smallrye);
    f.origin = r.decimal_origin(TOPIC, PARTITION, OFFSET);
    f.exception = r.last_text(EXCEPTION);
    f.cause = r.last_text(CAUSE_CLASS);
    if r.has(REASON) {
        f.reason = r.last_text(REASON);
        f.reason_source = Some(REASON.into());
    } else if r.has(CAUSE) {
        f.reason = r.last_text(CAUSE);
        f.reason_source = Some(CAUSE.into());
    }
}
