//! Kafka Connect sink dead-letter queues with
//! `errors.deadletterqueue.context.headers.enable=true`: `__connect.errors.*`
//! headers, all UTF-8, numbers as decimal strings. The connector's name, task
//! and failing stage are read too; the class that was executing (a converter, a
//! transform) stands in for the root cause.

use super::Convention;
use crate::dlq::cursor::HeaderCursor;
use crate::dlq::extract::Failure;
use crate::dlq::headers;

pub const PREFIX: &str = "__connect.errors.";
pub const TOPIC: &str = "__connect.errors.topic";
pub const PARTITION: &str = "__connect.errors.partition";
pub const OFFSET: &str = "__connect.errors.offset";
pub const CONNECTOR: &str = "__connect.errors.connector.name";
pub const TASK: &str = "__connect.errors.task.id";
pub const STAGE: &str = "__connect.errors.stage";
pub const CLASS: &str = "__connect.errors.class.name";
pub const EXCEPTION: &str = "__connect.errors.exception.class.name";
pub const MESSAGE: &str = "__connect.errors.exception.message";

header_table! {
    exact: [
        PARTITION => DecimalText,
        OFFSET => DecimalText,
        TASK => DecimalText,
    ],
    text_prefixes: [PREFIX],
    untyped: [],
}

pub(crate) fn read<'a>(r: &mut HeaderCursor<'_, 'a>, f: &mut Failure<'a>) {
    if !r.has_prefix(PREFIX) {
        return;
    }
    f.convention = Some(Convention::KafkaConnect);
    f.origin = r.decimal_origin(TOPIC, PARTITION, OFFSET);
    f.connector = r.last_text(CONNECTOR);
    f.task = r.last_num(TASK, headers::decimal);
    f.stage = r.last_text(STAGE);
    f.exception = r.last_text(EXCEPTION);
    if r.has(MESSAGE) {
        f.reason = r.last_text(MESSAGE);
        f.reason_source = Some(MESSAGE.into());
    }
    f.cause = r.last_text(CLASS);
}
