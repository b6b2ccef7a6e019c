//! Replay's use of the DLQ triage engine: the category classifier behind
//! `--dlq-category` (same ids as `dlq triage`), the original topic/partition a
//! redrive sends a record back to, which headers are DLQ error headers, and the
//! `dlq export` file format behind `--from-file`.

use std::borrow::Cow;
use std::io::BufRead;
use std::path::Path;

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
        Some(DlqOrigin {
            topic: f.origin.topic.map(Cow::into_owned),
            partition: f.origin.partition,
            offset: f.origin.offset,
        })
    }
}

/// Headers that DLQ producers add to describe a failure (stripped on redrive):
/// the names in every convention's table, ad-hoc ones included.
pub fn is_dlq_header(name: &str) -> bool {
    crate::dlq::conventions::is_dlq_header(name)
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
