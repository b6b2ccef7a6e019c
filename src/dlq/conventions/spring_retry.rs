//! Spring Kafka retryable topics (`@RetryableTopic`): the `kafka_original-*`,
//! `kafka_exception-*` and `kafka_key-exception-*` fields (the same fields as
//! the dead-letter family, read together with it by [`super::spring`]), and the
//! retry topic's own bookkeeping: the attempts counter and two
//! `BigInteger.toByteArray()` timestamps.

use crate::dlq::cursor::HeaderCursor;
use crate::dlq::extract::Failure;
use crate::dlq::headers;

/// Prefix of the retry family's field headers; the field names follow it.
pub const FAMILY: &str = "kafka_";
/// Prefix of the retry topic's bookkeeping headers.
pub const RETRY_TOPIC: &str = "retry_topic-";
pub const ATTEMPTS: &str = "retry_topic-attempts";
pub const ORIGINAL_TIMESTAMP: &str = "retry_topic-original-timestamp";
pub const BACKOFF_TIMESTAMP: &str = "retry_topic-backoff-timestamp";

header_table! {
    exact: [
        "kafka_original-partition" => Int32,
        "kafka_original-offset" => Int64,
        "kafka_original-timestamp" => TimestampMs,
        ATTEMPTS => Attempts,
        ORIGINAL_TIMESTAMP => BigIntTimestampMs,
        BACKOFF_TIMESTAMP => BigIntTimestampMs,
    ],
    text_prefixes: ["kafka_original-", "kafka_exception-", "kafka_key-exception-"],
    untyped: [],
}

/// Where the retry topic's bookkeeping headers sit, noted during the Spring
/// index pass.
#[derive(Default)]
pub(crate) struct RetryTopicHeaders {
    attempts: Option<usize>,
    original_timestamp: Option<usize>,
    backoff_timestamp: Option<usize>,
}

impl RetryTopicHeaders {
    /// Note the header `name` at position `i` (the last of each name wins).
    pub fn note(&mut self, name: &str, i: usize) {
        match name {
            ATTEMPTS => self.attempts = Some(i),
            ORIGINAL_TIMESTAMP => self.original_timestamp = Some(i),
            BACKOFF_TIMESTAMP => self.backoff_timestamp = Some(i),
            _ => {}
        }
    }

    pub fn read(&self, r: &mut HeaderCursor<'_, '_>, f: &mut Failure<'_>) {
        if let Some(i) = self.attempts {
            f.attempts = r.num_at(i, headers::attempts);
        }
        // Decoded for the warning only; `inspect` shows the value.
        for i in [self.original_timestamp, self.backoff_timestamp]
            .into_iter()
            .flatten()
        {
            let _ = r.num_at(i, headers::java_bigint);
        }
    }
}
