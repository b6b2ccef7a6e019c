//! Decoding of the byte encodings dead-letter producers use for header values:
//! Spring's binary big-endian ints and longs, Java `BigInteger.toByteArray()`
//! values, the one-byte attempts counter of old Spring versions, and the decimal
//! strings of Connect, Streams, SmallRye and Karafka. Which header has which
//! encoding is each convention's business (`super::conventions`). Every decoder
//! returns a typed error instead of panicking, so a truncated or garbage value
//! becomes a warning on the record, never a crash.

use std::fmt;

use base64::Engine as _;
use serde::Serialize;

pub use crate::kafka::RawHeader;

/// How the value of a known header is encoded.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Encoding {
    /// UTF-8 text.
    Text,
    /// 4-byte big-endian signed int (Spring).
    Int32,
    /// 8-byte big-endian signed long (Spring).
    Int64,
    /// 8-byte big-endian signed long holding epoch milliseconds (Spring).
    TimestampMs,
    /// 4-byte big-endian int, or 1 byte in very old Spring versions.
    Attempts,
    /// Java `BigInteger.toByteArray()`: variable-length two's complement, big-endian,
    /// holding epoch milliseconds.
    BigIntTimestampMs,
    /// Decimal digits in UTF-8 (Connect, Streams, SmallRye, Karafka).
    DecimalText,
    /// A Java-serialised object: shown as present, never parsed.
    JavaSerialized,
}

/// Why a header value could not be decoded.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum DecodeError {
    /// The header is present with a null value.
    Null,
    /// Wrong number of bytes for a fixed-width binary value.
    Length { expected: &'static str, got: usize },
    /// Not valid UTF-8 where text was expected.
    NotUtf8,
    /// Text that is not a decimal number (shown truncated).
    NotDecimal(String),
    /// A number outside the range the field can hold.
    OutOfRange,
}

impl fmt::Display for DecodeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            DecodeError::Null => f.write_str("null value"),
            DecodeError::Length { expected, got } => {
                write!(f, "{got} bytes where {expected} were expected")
            }
            DecodeError::NotUtf8 => f.write_str("not valid UTF-8"),
            DecodeError::NotDecimal(s) => write!(f, "'{s}' is not a decimal number"),
            DecodeError::OutOfRange => f.write_str("number out of range"),
        }
    }
}

fn need(v: Option<&[u8]>) -> Result<&[u8], DecodeError> {
    v.ok_or(DecodeError::Null)
}

/// 4-byte big-endian signed int.
pub fn be_i32(v: Option<&[u8]>) -> Result<i32, DecodeError> {
    let b = need(v)?;
    let arr: [u8; 4] = b.try_into().map_err(|_| DecodeError::Length {
        expected: "4",
        got: b.len(),
    })?;
    Ok(i32::from_be_bytes(arr))
}

/// 8-byte big-endian signed long.
pub fn be_i64(v: Option<&[u8]>) -> Result<i64, DecodeError> {
    let b = need(v)?;
    let arr: [u8; 8] = b.try_into().map_err(|_| DecodeError::Length {
        expected: "8",
        got: b.len(),
    })?;
    Ok(i64::from_be_bytes(arr))
}

/// Spring's `retry_topic-attempts`: 4-byte big-endian int, or a single byte in
/// records written by very old versions.
pub fn attempts(v: Option<&[u8]>) -> Result<i64, DecodeError> {
    let b = need(v)?;
    match b.len() {
        1 => Ok(i64::from(b[0])),
        4 => Ok(i64::from(be_i32(Some(b))?)),
        got => Err(DecodeError::Length {
            expected: "4 (or 1)",
            got,
        }),
    }
}

/// Java `BigInteger.toByteArray()`: minimal two's-complement big-endian. Values
/// that need more than 64 bits are out of range; redundant sign bytes are allowed.
pub fn java_bigint(v: Option<&[u8]>) -> Result<i64, DecodeError> {
    let b = need(v)?;
    if b.is_empty() {
        return Err(DecodeError::Length {
            expected: "at least 1",
            got: 0,
        });
    }
    let negative = b[0] & 0x80 != 0;
    let fill = if negative { 0xff } else { 0x00 };
    let (extra, rest) = b.split_at(b.len().saturating_sub(8));
    // Leading bytes beyond 8 must be pure sign extension, and must agree with the
    // sign of the remaining 8 bytes.
    if extra.iter().any(|x| *x != fill) || (!extra.is_empty() && (rest[0] & 0x80 != 0) != negative)
    {
        return Err(DecodeError::OutOfRange);
    }
    let mut arr = [fill; 8];
    arr[8 - rest.len()..].copy_from_slice(rest);
    Ok(i64::from_be_bytes(arr))
}

/// UTF-8 text.
pub fn text(v: Option<&[u8]>) -> Result<&str, DecodeError> {
    std::str::from_utf8(need(v)?).map_err(|_| DecodeError::NotUtf8)
}

/// A decimal number written as UTF-8 text (surrounding whitespace allowed).
pub fn decimal(v: Option<&[u8]>) -> Result<i64, DecodeError> {
    let s = text(v)?.trim();
    let digits = s.strip_prefix('-').unwrap_or(s);
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return Err(DecodeError::NotDecimal(
            crate::dlq::normalize::truncate_chars(s, 40).to_string(),
        ));
    }
    s.parse().map_err(|_| DecodeError::OutOfRange)
}

/// One header decoded for display (`dlq inspect`): its value typed by what the
/// convention says it is, or shown as text / base64 when unknown.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct DecodedHeader {
    pub name: String,
    /// `null`, `text`, `int32`, `int64`, `timestamp`, `attempts`, `bigint-timestamp`,
    /// `decimal`, `java-serialized` or `binary`.
    #[serde(rename = "type")]
    pub kind: &'static str,
    /// The decoded value: a string, a number, or `null`.
    pub value: serde_json::Value,
    /// RFC 3339 time for timestamp headers.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub time: Option<String>,
    /// Size of the raw value in bytes.
    pub size: usize,
    /// Raw bytes as base64 when they could not be decoded as expected or are binary.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub base64: Option<String>,
    /// Why the value did not decode as its convention says.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub warning: Option<String>,
}

/// Decode a header for display, as `enc` when its convention fixes one (see
/// `conventions::decode_for_display`). Never fails: undecodable values are shown
/// as base64 with a warning.
pub fn decode(name: &str, enc: Option<Encoding>, v: Option<&[u8]>) -> DecodedHeader {
    let size = v.map_or(0, <[u8]>::len);
    let mut h = DecodedHeader {
        name: name.to_string(),
        kind: "null",
        value: serde_json::Value::Null,
        time: None,
        size,
        base64: None,
        warning: None,
    };
    let Some(bytes) = v else { return h };
    let b64 = || base64::engine::general_purpose::STANDARD.encode(bytes);
    let numeric = match enc {
        Some(Encoding::Int32) => Some(("int32", be_i32(v).map(i64::from))),
        Some(Encoding::Int64) => Some(("int64", be_i64(v))),
        Some(Encoding::TimestampMs) => Some(("timestamp", be_i64(v))),
        Some(Encoding::Attempts) => Some(("attempts", attempts(v))),
        Some(Encoding::BigIntTimestampMs) => Some(("bigint-timestamp", java_bigint(v))),
        Some(Encoding::DecimalText) => Some(("decimal", decimal(v))),
        Some(Encoding::JavaSerialized) => {
            h.kind = "java-serialized";
            h.base64 = Some(b64());
            return h;
        }
        Some(Encoding::Text) | None => None,
    };
    match numeric {
        Some((kind, Ok(n))) => {
            h.kind = kind;
            h.value = serde_json::Value::from(n);
            if matches!(kind, "timestamp" | "bigint-timestamp") {
                h.time = crate::timespec::format_ms(n);
            }
        }
        Some((kind, Err(e))) => {
            h.warning = Some(format!("expected {kind}: {e}"));
            match std::str::from_utf8(bytes) {
                Ok(s)
                    if !s
                        .chars()
                        .any(|c| c.is_control() && !matches!(c, '\n' | '\r' | '\t')) =>
                {
                    h.kind = "text";
                    h.value = serde_json::Value::from(s);
                }
                _ => {
                    h.kind = "binary";
                    h.base64 = Some(b64());
                }
            }
        }
        None => match std::str::from_utf8(bytes) {
            Ok(s) => {
                h.kind = "text";
                h.value = serde_json::Value::from(s);
            }
            Err(_) => {
                h.kind = "binary";
                h.base64 = Some(b64());
                if enc == Some(Encoding::Text) {
                    h.warning = Some("expected UTF-8 text: not valid UTF-8".into());
                }
            }
        },
    }
    h
}

/// First value of a header name (Spring: the true source when repeated).
pub fn first<'a>(headers: &[RawHeader<'a>], name: &str) -> Option<Option<&'a [u8]>> {
    headers.iter().find(|(n, _)| *n == name).map(|(_, v)| *v)
}

/// Last value of a header name (Spring: the latest hop when repeated).
pub fn last<'a>(headers: &[RawHeader<'a>], name: &str) -> Option<Option<&'a [u8]>> {
    headers
        .iter()
        .rev()
        .find(|(n, _)| *n == name)
        .map(|(_, v)| *v)
}

/// How many times a header name occurs.
pub fn count(headers: &[RawHeader<'_>], name: &str) -> usize {
    headers.iter().filter(|(n, _)| *n == name).count()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spring_ints_and_longs_are_big_endian_binary() {
        assert_eq!(be_i32(Some(&[0, 0, 0, 7])), Ok(7));
        assert_eq!(be_i32(Some(&7i32.to_be_bytes())), Ok(7));
        assert_eq!(be_i32(Some(&(-2i32).to_be_bytes())), Ok(-2));
        assert_eq!(be_i32(Some(&[0x00, 0x01, 0x00, 0x00])), Ok(65_536));
        assert_eq!(
            be_i64(Some(&1_700_000_000_123i64.to_be_bytes())),
            Ok(1_700_000_000_123)
        );
        assert_eq!(be_i64(Some(&[0, 0, 0, 0, 0, 0, 1, 0])), Ok(256));
    }

    #[test]
    fn truncated_binary_values_are_errors_not_panics() {
        assert_eq!(
            be_i32(Some(&[0, 0, 7])),
            Err(DecodeError::Length {
                expected: "4",
                got: 3
            })
        );
        assert_eq!(
            be_i64(Some(&[0, 0, 0, 7])),
            Err(DecodeError::Length {
                expected: "8",
                got: 4
            })
        );
        assert_eq!(be_i32(None), Err(DecodeError::Null));
        assert_eq!(
            be_i32(Some(b"")).unwrap_err().to_string(),
            "0 bytes where 4 were expected"
        );
        // The decimal text "7" is not a 4-byte int: reported, not guessed.
        assert!(be_i32(Some(b"7")).is_err());
    }

    #[test]
    fn attempts_accept_four_bytes_and_the_old_single_byte() {
        assert_eq!(attempts(Some(&3i32.to_be_bytes())), Ok(3));
        assert_eq!(attempts(Some(&[5])), Ok(5));
        assert_eq!(attempts(Some(&[0xff])), Ok(255));
        assert!(matches!(
            attempts(Some(&[0, 1])),
            Err(DecodeError::Length { got: 2, .. })
        ));
    }

    #[test]
    fn java_biginteger_byte_arrays() {
        // BigInteger.valueOf(0).toByteArray() == [0]
        assert_eq!(java_bigint(Some(&[0])), Ok(0));
        // 127 -> [0x7f]; 128 -> [0x00, 0x80]; -1 -> [0xff]; -129 -> [0xff, 0x7f]
        assert_eq!(java_bigint(Some(&[0x7f])), Ok(127));
        assert_eq!(java_bigint(Some(&[0x00, 0x80])), Ok(128));
        assert_eq!(java_bigint(Some(&[0xff])), Ok(-1));
        assert_eq!(java_bigint(Some(&[0xff, 0x7f])), Ok(-129));
        // 1700000000123 ms = 0x018B_CFE5_687B -> 6 bytes, leading byte 0x01.
        let ms: i64 = 1_700_000_000_123;
        let full = ms.to_be_bytes();
        let minimal: Vec<u8> = full.iter().copied().skip_while(|b| *b == 0).collect();
        assert_eq!(minimal.len(), 6);
        assert_eq!(java_bigint(Some(&minimal)), Ok(ms));
        // i64::MAX is 8 bytes; i64::MAX + 1 needs 9 ([0x00, 0x80, 0, ...]) and is out of range.
        assert_eq!(java_bigint(Some(&i64::MAX.to_be_bytes())), Ok(i64::MAX));
        let mut too_big = vec![0x00, 0x80];
        too_big.extend([0u8; 7]);
        assert_eq!(java_bigint(Some(&too_big)), Err(DecodeError::OutOfRange));
        // Redundant sign extension is tolerated.
        let mut padded = vec![0x00, 0x00];
        padded.extend(ms.to_be_bytes());
        assert_eq!(java_bigint(Some(&padded)), Ok(ms));
        assert!(java_bigint(Some(&[])).is_err());
    }

    #[test]
    fn decimal_strings() {
        assert_eq!(decimal(Some(b"42")), Ok(42));
        assert_eq!(decimal(Some(b" -3 ")), Ok(-3));
        assert_eq!(
            decimal(Some(b"12a")),
            Err(DecodeError::NotDecimal("12a".into()))
        );
        assert_eq!(
            decimal(Some(b"")),
            Err(DecodeError::NotDecimal(String::new()))
        );
        assert_eq!(decimal(Some(&[0xff, 0x00])), Err(DecodeError::NotUtf8));
        assert_eq!(
            decimal(Some(b"99999999999999999999")),
            Err(DecodeError::OutOfRange)
        );
    }

    #[test]
    fn first_and_last_of_repeated_headers() {
        let hs: Vec<RawHeader<'_>> = vec![
            ("kafka_dlt-original-topic", Some(b"orders".as_slice())),
            ("other", None),
            ("kafka_dlt-original-topic", Some(b"orders-retry".as_slice())),
        ];
        assert_eq!(
            first(&hs, "kafka_dlt-original-topic"),
            Some(Some(b"orders".as_slice()))
        );
        assert_eq!(
            last(&hs, "kafka_dlt-original-topic"),
            Some(Some(b"orders-retry".as_slice()))
        );
        assert_eq!(first(&hs, "other"), Some(None));
        assert_eq!(first(&hs, "missing"), None);
        assert_eq!(count(&hs, "kafka_dlt-original-topic"), 2);
    }
}
