//! Header names that applications without a framework commonly use
//! (`x-error-message`, `x-exception`, `x-original-topic`, `error.class`...).
//! Nobody fixes their encoding, so they are read as text and shown as they are;
//! the lists are in order of preference, the first name present wins.

use std::borrow::Cow;

use super::Convention;
use crate::dlq::cursor::HeaderCursor;
use crate::dlq::extract::{split_to_string, Failure};
use crate::dlq::headers;

pub const PARTITION: &str = "x-original-partition";
pub const OFFSET: &str = "x-original-offset";

header_table! {
    exact: [],
    text_prefixes: [],
    untyped: [PARTITION, OFFSET],
    untyped_lists: [
        REASON = [
            "x-error-message",
            "x-exception-message",
            "x-error-reason",
            "x-error",
            "error.message",
            "error-message",
            "error_message",
        ],
        EXCEPTION = [
            "x-exception-class",
            "x-exception",
            "x-error-class",
            "error.class",
            "error.type",
            "exception.class",
        ],
        TOPIC = ["x-original-topic", "x-source-topic", "original-topic"],
    ],
}

/// A partition or offset alone does not make a record an ad-hoc dead letter.
pub(crate) fn read<'a>(r: &mut HeaderCursor<'_, 'a>, f: &mut Failure<'a>) {
    let find =
        |r: &HeaderCursor<'_, '_>, names: &[&'static str]| names.iter().copied().find(|n| r.has(n));
    let reason = find(r, REASON);
    let exception = find(r, EXCEPTION);
    let topic = find(r, TOPIC);
    if reason.is_none() && exception.is_none() && topic.is_none() {
        return;
    }
    f.convention = Some(Convention::AdHoc);
    if let Some(n) = exception {
        if let Some(s) = r.last_text(n) {
            // `x-exception` often holds `Class: message`.
            let (class, msg) = split_to_string(&s);
            f.exception = Some(Cow::Owned(class.to_string()));
            if reason.is_none() {
                if let Some(m) = msg {
                    f.reason = Some(Cow::Owned(m.to_string()));
                    f.reason_source = Some(Cow::Borrowed(n));
                }
            }
        }
    }
    if let Some(n) = reason {
        f.reason = r.last_text(n);
        f.reason_source = Some(Cow::Borrowed(n));
    }
    if let Some(n) = topic {
        f.origin.topic = r.first_text(n);
    }
    if r.has(PARTITION) {
        let v = r.first_num(PARTITION, headers::decimal);
        f.origin.partition = r.partition(PARTITION, v);
    }
    if r.has(OFFSET) {
        f.origin.offset = r.first_num(OFFSET, headers::decimal);
    }
}
