//! Replay's use of the DLQ triage engine: the category classifier behind
//! `--dlq-category` (same ids as `dlq triage`), the original topic/partition a
//! redrive sends a record back to, which headers are DLQ error headers, and the
//! `dlq export` file format behind `--from-file`.

use std::borrow::Cow;
use std::io::BufRead;
use std::path::Path;

use serde::de::IgnoredAny;
use serde::{Deserialize, Deserializer};

use crate::dlq::category::{
    Classifier, ClassifierOptions, Dimension, RecordParts, DEFAULT_GROUP_BY,
};
use crate::dlq::export::ExportedRecord;
use crate::dlq::extract::{extract, Overrides};
use crate::error::{Error, Result};

use super::record::{DlqOrigin, SourceRecord};
use super::selection::Selection;

pub struct DlqTools {
    classifier: Option<(Classifier, String)>,
    redrive: bool,
    overrides: Overrides,
}

impl DlqTools {
    pub fn new(sel: &Selection) -> Result<Self> {
        let classifier = match &sel.dlq_category {
            None => None,
            Some(id) => {
                if !crate::dlq::category::is_category_id(id) {
                    return Err(Error::usage_hint(
                        format!("'{id}' is not a DLQ category id"),
                        "copy the id from the CATEGORY column of `kafkaops dlq triage`",
                    ));
                }
                let group_by = if sel.dlq_group_by.is_empty() {
                    DEFAULT_GROUP_BY.to_vec()
                } else {
                    sel.dlq_group_by
                        .iter()
                        .map(|d| Dimension::parse(d))
                        .collect::<Result<Vec<_>>>()?
                };
                let c = Classifier::new(ClassifierOptions {
                    group_by,
                    overrides: sel.dlq_hints.clone(),
                })?;
                Some((c, id.clone()))
            }
        };
        Ok(DlqTools {
            classifier,
            redrive: sel.is_redrive(),
            overrides: sel.dlq_hints.clone(),
        })
    }

    /// Whether the record is in the selected category (always, without one).
    pub fn in_category(&self, rec: &SourceRecord) -> bool {
        let Some((c, id)) = &self.classifier else {
            return true;
        };
        let headers = rec.header_refs();
        let got = c.category_id(&RecordParts {
            partition: rec.home_partition,
            key: rec.key.as_deref(),
            value: rec.value.as_deref(),
            headers: &headers,
        });
        &got == id
    }

    /// Where a redriven record goes back to (only computed when redriving).
    pub fn origin(&self, rec: &SourceRecord) -> Option<DlqOrigin> {
        if !self.redrive {
            return None;
        }
        let headers = rec.header_refs();
        let f = extract(&headers, rec.value.as_deref(), &self.overrides);
        // A partition header that is there but unreadable leaves a warning naming it.
        let partition_corrupt = f.origin.partition.is_none()
            && f.warnings
                .iter()
                .any(|w| w.header.to_ascii_lowercase().contains("partition"));
        Some(DlqOrigin {
            topic: f.origin.topic.map(Cow::into_owned),
            partition: f.origin.partition,
            partition_corrupt,
            offset: f.origin.offset,
        })
    }
}

/// Headers that DLQ producers add to describe a failure (stripped on redrive):
/// the names in every convention's table, ad-hoc ones included.
pub fn is_dlq_header(name: &str) -> bool {
    crate::dlq::conventions::is_dlq_header(name)
}

/// Whether a JSON field is present, whatever its value (`null` included).
#[derive(Default)]
struct Present(bool);

impl<'de> Deserialize<'de> for Present {
    fn deserialize<D: Deserializer<'de>>(d: D) -> std::result::Result<Self, D::Error> {
        IgnoredAny::deserialize(d).map(|_| Present(true))
    }
}

#[derive(Deserialize)]
struct KeyAndValue {
    #[serde(default)]
    key: Present,
    #[serde(default)]
    value: Present,
}

/// A line without `key` or `value` would be published with a null one (a
/// tombstone on a compacted topic): only an explicit `null` asks for that.
/// `dlq export` always writes both fields.
fn require_key_and_value(line: &str, line_no: usize, path: &Path) -> Result<()> {
    let fields: KeyAndValue = serde_json::from_str(line).map_err(|e| {
        Error::usage(format!(
            "{}: line {line_no} is not an exported record: {e}",
            path.display()
        ))
    })?;
    let missing: Vec<&str> = [("key", fields.key.0), ("value", fields.value.0)]
        .into_iter()
        .filter(|(_, present)| !present)
        .map(|(name, _)| name)
        .collect();
    if missing.is_empty() {
        return Ok(());
    }
    let names: Vec<String> = missing.iter().map(|n| format!("\"{n}\"")).collect();
    let nulls: Vec<String> = missing.iter().map(|n| format!("\"{n}\": null")).collect();
    Err(Error::usage_hint(
        format!(
            "{}: line {line_no} has no {} field: a missing field is not read as null",
            path.display(),
            names.join(" and no ")
        ),
        format!(
            "write {} to publish a record without one (a null value is a tombstone on a compacted topic), or restore the field as `dlq export` wrote it",
            nulls.join(" and ")
        ),
    ))
}

/// Read a `dlq export` file. Each record's position is `(0, line number)`.
pub fn read_export_file(path: &Path) -> Result<Vec<SourceRecord>> {
    let f = std::fs::File::open(path).map_err(|e| Error::file("open", path, e))?;
    let reader = std::io::BufReader::new(f);
    let mut out = Vec::new();
    for (i, line) in reader.lines().enumerate() {
        let line = line.map_err(|e| Error::file("read", path, e))?;
        if line.trim().is_empty() {
            continue;
        }
        let rec: ExportedRecord = crate::dlq::export::read_line(&line, i + 1).map_err(|e| {
            let hint = e.hint().unwrap_or("").to_string();
            Error::usage_hint(format!("{}: {e}", path.display()), hint)
        })?;
        require_key_and_value(&line, i + 1, path)?;
        out.push(SourceRecord {
            partition: 0,
            offset: (i + 1) as i64,
            source: format!("{}/{}/{}", rec.topic, rec.partition, rec.offset),
            home_partition: rec.partition,
            key: rec.key.map(|b| b.into_bytes()),
            value: rec.value.map(|b| b.into_bytes()),
            headers: rec
                .headers
                .into_iter()
                .map(|h| (h.name, h.value.map(|b| b.into_bytes())))
                .collect(),
            timestamp_ms: rec.timestamp_ms,
        });
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(lines: &str) -> Result<Vec<SourceRecord>> {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("export.jsonl");
        std::fs::write(&path, lines).unwrap();
        read_export_file(&path)
    }

    const FULL: &str = r#"{"topic":"orders","partition":1,"offset":7,"timestamp_ms":5,"timestamp_type":"create_time","key":{"text":"k"},"value":null,"headers":[]}"#;

    fn dead_letter(partition: Option<&[u8]>) -> SourceRecord {
        let mut headers = vec![("kafka_dlt-original-topic".into(), Some(b"orders".to_vec()))];
        if let Some(p) = partition {
            headers.push(("kafka_dlt-original-partition".into(), Some(p.to_vec())));
        }
        SourceRecord {
            headers,
            ..Default::default()
        }
    }

    #[test]
    fn an_unreadable_partition_header_is_told_from_a_missing_one() {
        let mut sel = crate::replay::selection::tests::selection();
        sel.destination = crate::replay::selection::Destination::Redrive;
        let tools = DlqTools::new(&sel).unwrap();
        let origin = |p: Option<&[u8]>| tools.origin(&dead_letter(p)).unwrap();
        let good = origin(Some(&3i32.to_be_bytes()[..]));
        assert_eq!((good.partition, good.partition_corrupt), (Some(3), false));
        let truncated = origin(Some(&[0, 0, 3][..]));
        assert_eq!(
            (truncated.partition, truncated.partition_corrupt),
            (None, true)
        );
        let absent = origin(None);
        assert_eq!(absent.topic.as_deref(), Some("orders"));
        assert_eq!((absent.partition, absent.partition_corrupt), (None, false));
    }

    #[test]
    fn a_missing_key_or_value_is_refused_and_explicit_null_is_null() {
        let recs = read(&format!("{FULL}\n")).unwrap();
        assert_eq!(recs[0].key.as_deref(), Some(&b"k"[..]));
        assert_eq!(recs[0].value, None);

        let no_value = FULL.replace(r#","value":null"#, "");
        let e = read(&format!("\n{FULL}\n{no_value}\n")).unwrap_err();
        assert!(
            e.to_string()
                .ends_with("line 3 has no \"value\" field: a missing field is not read as null"),
            "{e}"
        );
        assert!(
            e.hint().unwrap().starts_with("write \"value\": null"),
            "{e:?}"
        );
        assert_eq!(e.exit_code().code(), 2);

        let neither = no_value.replace(r#""key":{"text":"k"},"#, "");
        let e = read(&neither).unwrap_err();
        assert!(
            e.to_string().contains("no \"key\" and no \"value\" field"),
            "{e}"
        );
    }
}
