//! The replay-time provenance header's value, read from the clock as seldom as
//! the header's millisecond resolution allows.

use chrono::Utc;

/// The replay-time header value, RFC 3339 with milliseconds, formatted at most
/// once per millisecond.
pub(super) struct Clock {
    ms: i64,
    text: String,
}

impl Clock {
    pub(super) fn new() -> Self {
        Clock {
            ms: i64::MIN,
            text: String::new(),
        }
    }

    /// Reading the clock for every record was a measurable share of an unthrottled
    /// replay; `fresh` false reuses the last reading (the caller asks for a fresh
    /// one every few dozen records, far less than a millisecond apart).
    pub(super) fn now(&mut self, fresh: bool) -> &str {
        if !fresh && self.ms != i64::MIN {
            return &self.text;
        }
        let now = Utc::now();
        let ms = now.timestamp_millis();
        if ms != self.ms {
            self.ms = ms;
            self.text = crate::timespec::format_time(now);
        }
        &self.text
    }
}
