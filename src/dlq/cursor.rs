//! A cursor over one record's headers for the conventions' readers: finds
//! names, decodes values with the byte decoders of `headers`, and collects a
//! [`Warning`] for every value that does not decode (never an error: one bad
//! header must not hide the rest of the record).

use std::borrow::Cow;

use super::extract::{Origin, Warning};
use super::headers::{self, DecodeError, RawHeader};
use super::normalize::{truncate_chars, MAX_REASON_CHARS};

/// A decoder of one number-valued header (`headers::be_i64`, `headers::decimal`...).
pub(crate) type NumberDecoder = fn(Option<&[u8]>) -> Result<i64, DecodeError>;

/// The headers of the record being read, and the warnings found so far.
pub(crate) struct HeaderCursor<'h, 'a> {
    pub headers: &'h [RawHeader<'a>],
    pub warnings: Vec<Warning>,
}

impl<'h, 'a> HeaderCursor<'h, 'a> {
    pub fn new(headers: &'h [RawHeader<'a>]) -> Self {
        HeaderCursor {
            headers,
            warnings: Vec::new(),
        }
    }

    pub fn warn(&mut self, header: &str, problem: impl Into<String>) {
        self.warnings.push(Warning {
            header: header.to_string(),
            problem: problem.into(),
        });
    }

    pub fn has(&self, name: &str) -> bool {
        self.headers.iter().any(|(n, _)| *n == name)
    }

    pub fn has_prefix(&self, prefix: &str) -> bool {
        self.headers.iter().any(|(n, _)| n.starts_with(prefix))
    }

    /// Text of a header occurrence, borrowed; invalid UTF-8 is decoded lossily
    /// with a warning.
    pub fn text_of(&mut self, name: &str, v: Option<&'a [u8]>) -> Option<Cow<'a, str>> {
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
    pub fn text_at(&mut self, i: usize) -> Option<Cow<'a, str>> {
        let (name, v) = self.headers[i];
        self.text_of(name, v)
    }

    /// Number in the header at position `i`.
    pub fn num_at(&mut self, i: usize, dec: NumberDecoder) -> Option<i64> {
        let (name, v) = self.headers[i];
        self.num(name, v, dec)
    }

    pub fn first_text(&mut self, name: &str) -> Option<Cow<'a, str>> {
        let v = headers::first(self.headers, name)?;
        self.text_of(name, v)
    }

    pub fn last_text(&mut self, name: &str) -> Option<Cow<'a, str>> {
        let v = headers::last(self.headers, name)?;
        self.text_of(name, v)
    }

    pub fn num(&mut self, name: &str, v: Option<&[u8]>, dec: NumberDecoder) -> Option<i64> {
        match dec(v) {
            Ok(n) => Some(n),
            Err(DecodeError::Null) => None,
            Err(e) => {
                self.warn(name, e.to_string());
                None
            }
        }
    }

    pub fn first_num(&mut self, name: &str, dec: NumberDecoder) -> Option<i64> {
        let v = headers::first(self.headers, name)?;
        self.num(name, v, dec)
    }

    pub fn last_num(&mut self, name: &str, dec: NumberDecoder) -> Option<i64> {
        let v = headers::last(self.headers, name)?;
        self.num(name, v, dec)
    }

    pub fn partition(&mut self, name: &str, n: Option<i64>) -> Option<i32> {
        let n = n?;
        match i32::try_from(n) {
            Ok(p) => Some(p),
            Err(_) => {
                self.warn(name, format!("partition {n} out of range"));
                None
            }
        }
    }

    /// The origin as Connect, Streams, SmallRye and Karafka write it: a text
    /// topic and decimal partition and offset, each from its last occurrence.
    pub fn decimal_origin(&mut self, topic: &str, partition: &str, offset: &str) -> Origin<'a> {
        let t = self.last_text(topic);
        let p = self.last_num(partition, headers::decimal);
        Origin {
            topic: t,
            partition: self.partition(partition, p),
            offset: self.last_num(offset, headers::decimal),
            ..Origin::default()
        }
    }
}
