//! A JSON error envelope in the record value (`{"error": {...}, "payload":
//! {...}}` or `{"error": "..."}`), for producers that write no headers. Read
//! only when no header convention gave a reason; the value is parsed once by
//! the caller.

use std::borrow::Cow;

use super::Convention;
use crate::dlq::extract::Failure;
use crate::dlq::normalize::{truncate_chars, MAX_REASON_CHARS};

// Everything is in the value: no headers to strip or decode.
header_table! {
    exact: [],
    text_prefixes: [],
    untyped: [],
}

/// The member holding the error, and where in it each field is looked for, in
/// order of preference.
pub const ERROR: &str = "error";
pub const REASON: [&str; 3] = ["message", "reason", "msg"];
pub const EXCEPTION: [&str; 4] = ["class", "exception", "type", "code"];
pub const TOPIC: [&str; 3] = ["topic", "original_topic", "originalTopic"];

pub(crate) fn read(j: &serde_json::Value, f: &mut Failure<'_>) {
    let Some(err) = j.get(ERROR) else { return };
    match err {
        serde_json::Value::String(s) => {
            f.reason = Some(Cow::Owned(truncate_chars(s, MAX_REASON_CHARS).to_string()));
            f.reason_source = Some("value/error".into());
        }
        serde_json::Value::Object(o) => {
            for k in REASON {
                if let Some(s) = o.get(k).and_then(|v| v.as_str()) {
                    f.reason = Some(Cow::Owned(truncate_chars(s, MAX_REASON_CHARS).to_string()));
                    f.reason_source = Some(Cow::Owned(format!("value/error/{k}")));
                    break;
                }
            }
            for k in EXCEPTION {
                if let Some(s) = o.get(k).and_then(scalar_text) {
                    f.exception = Some(Cow::Owned(s.into_owned()));
                    break;
                }
            }
            for k in TOPIC {
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
