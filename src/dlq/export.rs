//! The `dlq export` file format: one JSON object per line ([`ExportedRecord`])
//! that keeps a record's coordinates, timestamp, key, value and headers
//! byte-exact. Bytes that are valid UTF-8 without control characters (tab, CR
//! and LF allowed) are written as `{"text": "..."}` so a person can fix them by
//! hand; anything else (binary Spring ints, ...) as `{"base64": "..."}`; a null key,
//! value or header value as `null`. Header order and duplicate names are kept.
//! `replay run --from-file` reads these files back with [`read_line`].
//!
//! ```json
//! {"topic":"orders-dlt","partition":0,"offset":42,"timestamp_ms":1700000000123,
//!  "timestamp_type":"create_time","key":{"text":"order-7"},"value":{"base64":"AAEC"},
//!  "headers":[{"name":"kafka_dlt-original-partition","value":{"base64":"AAAAAw=="}}],
//!  "category":"f028a3f053"}
//! ```

use std::io::BufRead;

use base64::Engine as _;
use serde::{Deserialize, Deserializer, Serialize, Serializer};

use super::category::{message_headers, message_headers_checked};
use super::headers::RawHeader;
use crate::error::{Error, Result};
use crate::kafka::{Message, Timestamp};

/// A byte string: text when it is valid UTF-8 without control characters other
/// than tab, CR and LF; base64 otherwise. Readers accept either form for any bytes.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase", deny_unknown_fields)]
pub enum Bytes {
    Text(String),
    Base64(#[serde(serialize_with = "ser_b64", deserialize_with = "de_b64")] Vec<u8>),
}

fn ser_b64<S: Serializer>(v: &[u8], s: S) -> std::result::Result<S::Ok, S::Error> {
    s.serialize_str(&base64::engine::general_purpose::STANDARD.encode(v))
}

fn de_b64<'de, D: Deserializer<'de>>(d: D) -> std::result::Result<Vec<u8>, D::Error> {
    let s = String::deserialize(d)?;
    base64::engine::general_purpose::STANDARD
        .decode(s.as_bytes())
        .map_err(|e| serde::de::Error::custom(format!("invalid base64: {e}")))
}

impl Bytes {
    pub fn from_bytes(b: &[u8]) -> Bytes {
        match std::str::from_utf8(b) {
            Ok(s)
                if !s
                    .chars()
                    .any(|c| c.is_control() && !matches!(c, '\t' | '\n' | '\r')) =>
            {
                Bytes::Text(s.to_string())
            }
            _ => Bytes::Base64(b.to_vec()),
        }
    }

    pub fn as_bytes(&self) -> &[u8] {
        match self {
            Bytes::Text(s) => s.as_bytes(),
            Bytes::Base64(b) => b,
        }
    }

    pub fn into_bytes(self) -> Vec<u8> {
        match self {
            Bytes::Text(s) => s.into_bytes(),
            Bytes::Base64(b) => b,
        }
    }
}

/// How the record's timestamp was set.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TimestampType {
    CreateTime,
    LogAppendTime,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ExportedHeader {
    pub name: String,
    pub value: Option<Bytes>,
}

/// One exported record. Field names are a stable contract.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ExportedRecord {
    pub topic: String,
    pub partition: i32,
    pub offset: i64,
    /// Epoch milliseconds; `null` when the record carries no timestamp.
    pub timestamp_ms: Option<i64>,
    pub timestamp_type: Option<TimestampType>,
    pub key: Option<Bytes>,
    pub value: Option<Bytes>,
    pub headers: Vec<ExportedHeader>,
    /// The category ID triage gave the record when it was exported (informative;
    /// recompute with [`super::Classifier::category_of_exported`] after editing).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub category: Option<String>,
}

impl ExportedRecord {
    /// Capture a record read from Kafka, byte-exact.
    pub fn from_message<M: Message>(msg: &M) -> ExportedRecord {
        let (timestamp_ms, timestamp_type) = match msg.timestamp() {
            Timestamp::NotAvailable => (None, None),
            Timestamp::CreateTime(t) => (Some(t), Some(TimestampType::CreateTime)),
            Timestamp::LogAppendTime(t) => (Some(t), Some(TimestampType::LogAppendTime)),
        };
        ExportedRecord {
            topic: msg.topic().to_string(),
            partition: msg.partition(),
            offset: msg.offset(),
            timestamp_ms,
            timestamp_type,
            key: msg.key().map(Bytes::from_bytes),
            value: msg.payload().map(Bytes::from_bytes),
            headers: message_headers(msg)
                .into_iter()
                .map(|(name, value)| ExportedHeader {
                    name: name.to_string(),
                    value: value.map(Bytes::from_bytes),
                })
                .collect(),
            category: None,
        }
    }

    /// Like [`ExportedRecord::from_message`], but fails when a header cannot be
    /// kept byte-exact (its name is not UTF-8, which rdkafka cannot read).
    pub fn try_from_message<M: Message>(msg: &M) -> Result<ExportedRecord> {
        let (_, unreadable) = message_headers_checked(msg);
        if unreadable > 0 {
            return Err(Error::usage_hint(
                format!(
                    "cannot export {}:{}:{} byte-exact: {unreadable} of its header names are not UTF-8",
                    msg.topic(),
                    msg.partition(),
                    msg.offset()
                ),
                "narrow the export with --category, --partitions or --from/--until to leave this record out",
            ));
        }
        Ok(ExportedRecord::from_message(msg))
    }

    /// Headers as the classifier reads them.
    pub fn raw_headers(&self) -> Vec<RawHeader<'_>> {
        self.headers
            .iter()
            .map(|h| (h.name.as_str(), h.value.as_ref().map(Bytes::as_bytes)))
            .collect()
    }

    /// One JSON Lines line, without the newline.
    pub fn to_line(&self) -> String {
        serde_json::to_string(self).expect("exported records serialise")
    }
}

/// Parse one line of an export file. `line_no` (1-based) goes into the error.
pub fn read_line(line: &str, line_no: usize) -> Result<ExportedRecord> {
    serde_json::from_str(line).map_err(|e| {
        Error::usage_hint(
            format!("line {line_no} is not an exported record: {e}"),
            "each line must be a JSON object as written by `kafkaops dlq export`",
        )
    })
}

/// Read every record of an export file, skipping blank lines.
pub fn read_all(reader: impl BufRead) -> Result<Vec<ExportedRecord>> {
    let mut out = Vec::new();
    for (i, line) in reader.lines().enumerate() {
        let line = line.map_err(|e| Error::file("read", "the export file", e))?;
        if line.trim().is_empty() {
            continue;
        }
        out.push(read_line(&line, i + 1)?);
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::kafka::{Header, OwnedHeaders, OwnedMessage};

    fn sample() -> OwnedMessage {
        let headers = OwnedHeaders::new()
            .insert(Header {
                key: "kafka_dlt-original-partition",
                value: Some(&[0u8, 0, 3][..]),
            })
            .insert(Header {
                key: "dup",
                value: Some("a"),
            })
            .insert(Header::<&[u8]> {
                key: "nul",
                value: None,
            })
            .insert(Header {
                key: "dup",
                value: Some(&[0xffu8, 0x00][..]),
            })
            .insert(Header {
                key: "empty",
                value: Some(""),
            });
        OwnedMessage::new(
            Some("héllo \"world\"\n\t".as_bytes().to_vec()),
            Some(vec![0x00, 0x9f, 0x92, 0x96]),
            "orders-dlt".into(),
            Timestamp::CreateTime(1_700_000_000_123),
            2,
            42,
            Some(headers),
        )
    }

    #[test]
    fn round_trip_is_byte_exact() {
        let msg = sample();
        let rec = ExportedRecord::from_message(&msg);
        let line = rec.to_line();
        assert!(!line.contains('\n'));
        let back = read_line(&line, 1).unwrap();
        assert_eq!(back, rec);
        assert_eq!(back.key.as_ref().unwrap().as_bytes(), msg.key().unwrap());
        assert_eq!(
            back.value.as_ref().unwrap().as_bytes(),
            msg.payload().unwrap()
        );
        let names: Vec<_> = back.headers.iter().map(|h| h.name.as_str()).collect();
        assert_eq!(
            names,
            vec!["kafka_dlt-original-partition", "dup", "nul", "dup", "empty"]
        );
        assert_eq!(back.raw_headers()[0].1, Some(&[0u8, 0, 3][..]));
        assert_eq!(back.raw_headers()[2].1, None);
        assert_eq!(back.raw_headers()[3].1, Some(&[0xffu8, 0x00][..]));
        assert_eq!(back.raw_headers()[4].1, Some(&[][..]));
    }

    #[test]
    fn wire_format_is_the_documented_one() {
        let rec = ExportedRecord::from_message(&sample());
        let v: serde_json::Value = serde_json::from_str(&rec.to_line()).unwrap();
        assert_eq!(v["topic"], "orders-dlt");
        assert_eq!(v["partition"], 2);
        assert_eq!(v["offset"], 42);
        assert_eq!(v["timestamp_ms"], 1_700_000_000_123i64);
        assert_eq!(v["timestamp_type"], "create_time");
        assert_eq!(v["key"], serde_json::json!({"base64": "AJ+Slg=="}));
        assert_eq!(
            v["value"],
            serde_json::json!({"text": "héllo \"world\"\n\t"})
        );
        assert_eq!(
            Bytes::from_bytes(b"a\x01"),
            Bytes::Base64(b"a\x01".to_vec())
        );
        assert_eq!(Bytes::from_bytes(b""), Bytes::Text(String::new()));
        assert_eq!(
            v["headers"][0],
            serde_json::json!({"name": "kafka_dlt-original-partition", "value": {"base64": "AAAD"}})
        );
        assert_eq!(
            v["headers"][2],
            serde_json::json!({"name": "nul", "value": null})
        );
        assert!(v.get("category").is_none());
    }

    #[test]
    fn tombstones_and_missing_timestamps() {
        let msg = OwnedMessage::new(None, None, "t".into(), Timestamp::NotAvailable, 0, 0, None);
        let rec = ExportedRecord::from_message(&msg);
        let v: serde_json::Value = serde_json::from_str(&rec.to_line()).unwrap();
        assert!(v["key"].is_null() && v["value"].is_null() && v["timestamp_ms"].is_null());
        assert_eq!(v["headers"], serde_json::json!([]));
        assert_eq!(read_line(&rec.to_line(), 1).unwrap(), rec);
    }

    #[test]
    fn hand_edited_lines_and_errors() {
        let line = r#"{"topic":"t","partition":0,"offset":1,"timestamp_ms":null,"timestamp_type":null,"key":null,"value":{"text":"{\"fixed\":true}"},"headers":[]}"#;
        let rec = read_line(line, 3).unwrap();
        assert_eq!(rec.value.unwrap().as_bytes(), br#"{"fixed":true}"#);
        let err = read_line(r#"{"topic":"t"}"#, 3).unwrap_err();
        assert!(
            err.to_string()
                .starts_with("line 3 is not an exported record"),
            "{err}"
        );
        let bad_b64 = line.replace(r#"{"text":"{\"fixed\":true}"}"#, r#"{"base64":"!!"}"#);
        assert!(read_line(&bad_b64, 1)
            .unwrap_err()
            .to_string()
            .contains("invalid base64"));
        let both = line.replace(
            r#"{"text":"{\"fixed\":true}"}"#,
            r#"{"text":"a","base64":"AA=="}"#,
        );
        assert!(read_line(&both, 1).is_err());
        let all = read_all(std::io::Cursor::new(format!("{line}\n\n{line}\n"))).unwrap();
        assert_eq!(all.len(), 2);
    }
}
