//! Failure categories: which grouping dimensions a record has (`--group-by`),
//! their normalised values, and the short stable category ID derived from them.
//! The same record, options and `--group-by` always give the same ID, on any
//! machine and in any run, so `dlq inspect --category`, `dlq export --category`
//! and `replay --dlq-category` select exactly what `dlq triage` shows.

use std::borrow::Cow;
use std::fmt;
use std::hash::{Hash, Hasher};
use std::sync::Mutex;

use base64::Engine as _;
use rustc_hash::{FxHashMap, FxHasher};
use serde::Serialize;
use sha2::{Digest, Sha256};

use super::conventions::Convention;
use super::extract::{extract, Failure, Overrides};
use super::headers::RawHeader;
use super::normalize::{self, truncate_chars};
use crate::error::{Error, Result};
use crate::kafka::Message;

/// Hex characters in a category ID (40 bits: collisions are negligible for the
/// few thousand categories a DLQ has).
pub const ID_LEN: usize = 10;

/// A grouping dimension of `--group-by`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Dimension {
    /// Exception class.
    Exception,
    /// Root-cause class.
    Cause,
    /// Normalised reason (exception message).
    Reason,
    /// Topic the record originally failed on.
    OriginalTopic,
    /// Consumer group (or Kafka Connect connector) that failed.
    Group,
    /// Kafka Connect stage.
    Stage,
    /// Dead-letter convention.
    Convention,
    /// Record key.
    Key,
    /// Partition of the dead-letter topic.
    Partition,
}

impl Dimension {
    pub const ALL: [Dimension; 9] = [
        Dimension::Exception,
        Dimension::Cause,
        Dimension::Reason,
        Dimension::OriginalTopic,
        Dimension::Group,
        Dimension::Stage,
        Dimension::Convention,
        Dimension::Key,
        Dimension::Partition,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Dimension::Exception => "exception",
            Dimension::Cause => "cause",
            Dimension::Reason => "reason",
            Dimension::OriginalTopic => "original-topic",
            Dimension::Group => "group",
            Dimension::Stage => "stage",
            Dimension::Convention => "convention",
            Dimension::Key => "key",
            Dimension::Partition => "partition",
        }
    }

    /// Read from the failure description (headers or value), so absent on a
    /// record without dead-letter metadata; `key` and `partition` are not.
    pub fn is_failure_detail(self) -> bool {
        !matches!(self, Dimension::Key | Dimension::Partition)
    }

    pub fn parse(s: &str) -> Result<Dimension> {
        let s = s.trim();
        let alias = match s {
            "exception-class" | "class" => "exception",
            "cause-class" => "cause",
            "message" => "reason",
            "topic" | "original_topic" => "original-topic",
            "consumer-group" => "group",
            other => other,
        };
        Dimension::ALL
            .into_iter()
            .find(|d| d.as_str() == alias)
            .ok_or_else(|| {
                Error::usage_hint(
                    format!("unknown --group-by dimension '{s}'"),
                    format!(
                        "use a comma-separated list of {}",
                        Dimension::ALL.map(Dimension::as_str).join(", ")
                    ),
                )
            })
    }
}

impl fmt::Display for Dimension {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The default grouping: exception class and normalised reason.
pub const DEFAULT_GROUP_BY: [Dimension; 2] = [Dimension::Exception, Dimension::Reason];

/// Everything that decides a record's category. Triage, inspect, export and
/// replay must be given the same options to agree on IDs.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ClassifierOptions {
    pub group_by: Vec<Dimension>,
    pub overrides: Overrides,
}

impl Default for ClassifierOptions {
    fn default() -> Self {
        ClassifierOptions {
            group_by: DEFAULT_GROUP_BY.to_vec(),
            overrides: Overrides::default(),
        }
    }
}

/// The parts of a record the classifier reads.
#[derive(Clone, Copy, Debug)]
pub struct RecordParts<'a> {
    /// Partition of the dead-letter topic (only the `partition` dimension uses it).
    pub partition: i32,
    pub key: Option<&'a [u8]>,
    pub value: Option<&'a [u8]>,
    pub headers: &'a [RawHeader<'a>],
}

/// A record's category: its ID, the value of each grouping dimension, and the
/// failure description it was derived from.
#[derive(Clone, Debug)]
pub struct Classified<'a> {
    pub id: String,
    /// `(dimension, normalised value)` in `--group-by` order; `None` = not present.
    /// Borrowed from the record where the value is a header's text as it is.
    pub values: Vec<(Dimension, Option<Cow<'a, str>>)>,
    pub failure: Failure<'a>,
    /// The normalised reason, whether or not `reason` is a grouping dimension.
    pub normalized_reason: Option<String>,
}

/// Computes categories. Its only state is a memo (category IDs, normalised reasons); a clone starts
/// with an empty one (give each thread its own clone: the memo is locked per use).
#[derive(Debug)]
pub struct Classifier {
    opts: ClassifierOptions,
    memo: Mutex<Memo>,
}

/// What a classifier remembers between records.
#[derive(Debug, Default)]
struct Memo {
    /// Category IDs by dimension values: a million records fall into a few hundred
    /// categories, and hashing each record's values with SHA-256 was a twentieth
    /// of a triage's time. Keyed by a hash of the values, so a record's borrowed
    /// values can be looked up without copying them; each entry keeps the values
    /// it stands for, so a collision is told apart. Bounded by [`ID_MEMO`].
    ids: FxHashMap<u64, Vec<(DimensionValues, String)>>,
    remembered: usize,
    /// Normalised reasons by message shape (normalising was a tenth of it).
    reasons: normalize::Memo,
}

impl Memo {
    fn id_of(&mut self, values: &[(Dimension, Option<Cow<'_, str>>)]) -> String {
        let mut h = FxHasher::default();
        for (d, v) in values {
            d.hash(&mut h);
            v.as_deref().hash(&mut h);
        }
        let hash = h.finish();
        let same = |known: &DimensionValues| {
            known.len() == values.len()
                && known
                    .iter()
                    .zip(values)
                    .all(|((d, v), (e, w))| d == e && v.as_deref() == w.as_deref())
        };
        if let Some((_, id)) = self
            .ids
            .get(&hash)
            .and_then(|entries| entries.iter().find(|(known, _)| same(known)))
        {
            return id.clone();
        }
        let id = category_id_of(values);
        if self.remembered < ID_MEMO {
            self.remembered += 1;
            self.ids
                .entry(hash)
                .or_default()
                .push((owned_values(values), id.clone()));
        }
        id
    }
}

/// A class name without surrounding whitespace, still borrowed when it was.
fn trimmed<'a>(s: &Cow<'a, str>) -> Cow<'a, str> {
    match s {
        Cow::Borrowed(b) => Cow::Borrowed(b.trim()),
        Cow::Owned(o) => Cow::Owned(o.trim().to_string()),
    }
}

/// Values that no longer borrow from a record.
pub fn owned_values(values: &[(Dimension, Option<Cow<'_, str>>)]) -> DimensionValues {
    values
        .iter()
        .map(|(d, v)| (*d, v.as_deref().map(str::to_string)))
        .collect()
}

/// `(dimension, value)` pairs in `--group-by` order.
pub type DimensionValues = Vec<(Dimension, Option<String>)>;

impl Clone for Classifier {
    fn clone(&self) -> Self {
        Classifier {
            opts: self.opts.clone(),
            memo: Mutex::default(),
        }
    }
}

/// Category IDs remembered by one classifier (a few hundred KB at most).
const ID_MEMO: usize = 4096;

/// Display form of a key for the `key` dimension: text when UTF-8, else base64.
pub fn key_text(key: &[u8]) -> String {
    match std::str::from_utf8(key) {
        Ok(s) => truncate_chars(s, 200).to_string(),
        Err(_) => {
            let cut = &key[..key.len().min(150)];
            format!(
                "base64:{}",
                base64::engine::general_purpose::STANDARD.encode(cut)
            )
        }
    }
}

impl Classifier {
    /// Validate the options. Fails on an empty or repeated `--group-by` and on
    /// JSON pointers that do not start with `/`.
    pub fn new(opts: ClassifierOptions) -> Result<Self> {
        if opts.group_by.is_empty() {
            return Err(Error::usage_hint(
                "--group-by needs at least one dimension",
                "e.g. --group-by exception,reason",
            ));
        }
        for (i, d) in opts.group_by.iter().enumerate() {
            if opts.group_by[..i].contains(d) {
                return Err(Error::usage_hint(
                    format!("--group-by names '{d}' twice"),
                    "list each dimension once",
                ));
            }
        }
        for (flag, p) in [
            ("--reason-json-pointer", &opts.overrides.reason_json_pointer),
            (
                "--original-topic-json-pointer",
                &opts.overrides.original_topic_json_pointer,
            ),
        ] {
            if let Some(p) = p {
                if !p.starts_with('/') {
                    return Err(Error::usage_hint(
                        format!("{flag} '{p}' is not a JSON pointer"),
                        format!(
                            "JSON pointers start with '/', e.g. {flag} /{}",
                            p.trim_start_matches('/')
                        ),
                    ));
                }
            }
        }
        Ok(Classifier {
            opts,
            memo: Mutex::default(),
        })
    }

    pub fn options(&self) -> &ClassifierOptions {
        &self.opts
    }

    pub fn group_by(&self) -> &[Dimension] {
        &self.opts.group_by
    }

    /// Classify one record.
    pub fn classify<'a>(&self, rec: &RecordParts<'a>) -> Classified<'a> {
        let failure = extract(rec.headers, rec.value, &self.opts.overrides);
        // A poisoned memo is still a valid memo.
        let mut memo = self.memo.lock().unwrap_or_else(|e| e.into_inner());
        let normalized_reason = failure
            .reason
            .as_deref()
            .map(|r| memo.reasons.normalize(r))
            .filter(|s| !s.is_empty());
        let values: Vec<(Dimension, Option<Cow<'a, str>>)> = self
            .opts
            .group_by
            .iter()
            .map(|d| {
                let v = match d {
                    Dimension::Exception => failure.exception.as_ref().map(trimmed),
                    Dimension::Cause => failure.cause.as_ref().map(trimmed),
                    Dimension::Reason => normalized_reason.clone().map(Cow::Owned),
                    Dimension::OriginalTopic => failure.origin.topic.clone(),
                    Dimension::Group => failure.origin.consumer_group.clone().or_else(|| {
                        failure
                            .connector
                            .as_ref()
                            .map(|c| Cow::Owned(format!("connector:{c}")))
                    }),
                    Dimension::Stage => failure.stage.clone(),
                    Dimension::Convention => failure.convention.map(|c| Cow::Borrowed(c.as_str())),
                    Dimension::Key => rec.key.map(|k| Cow::Owned(key_text(k))),
                    Dimension::Partition => Some(Cow::Owned(rec.partition.to_string())),
                };
                (*d, v.filter(|s| !s.is_empty()))
            })
            .collect();
        // Records with no dead-letter metadata at all must not share a category
        // with records of a convention that lack every grouped failure value (a
        // Spring record without a reason and a record without headers both have
        // exception and reason absent): the convention joins the ID of the
        // latter only, so IDs of categories that never mixed stay as they were.
        let id = match failure.convention {
            Some(conv)
                if conv != Convention::None
                    && !self.opts.group_by.contains(&Dimension::Convention)
                    && values
                        .iter()
                        .all(|(d, v)| v.is_none() || !d.is_failure_detail()) =>
            {
                let mut split = values.clone();
                split.push((Dimension::Convention, Some(Cow::Borrowed(conv.as_str()))));
                memo.id_of(&split)
            }
            _ => memo.id_of(&values),
        };
        Classified {
            id,
            values,
            failure,
            normalized_reason,
        }
    }

    /// The category ID of one record.
    pub fn category_id(&self, rec: &RecordParts<'_>) -> String {
        self.classify(rec).id
    }

    /// The category ID of a record from a `dlq export` file.
    pub fn category_of_exported(&self, rec: &super::export::ExportedRecord) -> String {
        let headers = rec.raw_headers();
        self.category_id(&RecordParts {
            partition: rec.partition,
            key: rec.key.as_ref().map(|p| p.as_bytes()),
            value: rec.value.as_ref().map(|p| p.as_bytes()),
            headers: &headers,
        })
    }
}

/// The headers of a Kafka message in wire order, duplicates kept. Headers whose
/// name is not UTF-8 cannot be read through rdkafka and are left out; use
/// [`message_headers_checked`] to learn how many.
pub fn message_headers<M: Message>(msg: &M) -> Vec<RawHeader<'_>> {
    message_headers_checked(msg).0
}

/// The headers of a Kafka message, and how many could not be read because their
/// name is not UTF-8.
pub fn message_headers_checked<M: Message>(msg: &M) -> (Vec<RawHeader<'_>>, usize) {
    match msg.headers() {
        Some(hs) => crate::kafka::headers_checked(hs),
        None => (Vec::new(), 0),
    }
}

/// Hash of the grouping dimensions' names and normalised values. Absent values
/// hash differently from empty ones; the dimension names keep IDs from different
/// `--group-by` lists apart.
pub fn category_id_of<S: AsRef<str>>(values: &[(Dimension, Option<S>)]) -> String {
    let mut h = Sha256::new();
    h.update(b"kafkaops-dlq-category-v1");
    for (d, v) in values {
        h.update([0x1e]);
        h.update(d.as_str().as_bytes());
        match v {
            Some(s) => {
                h.update([0x1f, b'=']);
                h.update(s.as_ref().as_bytes());
            }
            None => h.update([0x1f, 0x00]),
        }
    }
    let digest = h.finalize();
    hex::encode(&digest[..ID_LEN / 2])
}

/// Is this a valid-looking category ID (for `--category`)?
pub fn is_category_id(s: &str) -> bool {
    s.len() == ID_LEN
        && s.bytes()
            .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn spring(msg: &str) -> Vec<(&'static str, Vec<u8>)> {
        vec![
            ("kafka_dlt-original-topic", b"orders".to_vec()),
            ("kafka_dlt-original-partition", 1i32.to_be_bytes().to_vec()),
            (
                "kafka_dlt-exception-fqcn",
                b"org.postgresql.util.PSQLException".to_vec(),
            ),
            ("kafka_dlt-exception-message", msg.as_bytes().to_vec()),
        ]
    }

    fn id(c: &Classifier, hs: &[(&'static str, Vec<u8>)], key: Option<&[u8]>) -> String {
        let raw: Vec<RawHeader<'_>> = hs.iter().map(|(n, v)| (*n, Some(v.as_slice()))).collect();
        c.category_id(&RecordParts {
            partition: 0,
            key,
            value: None,
            headers: &raw,
        })
    }

    #[test]
    fn ids_are_stable_short_and_normalised() {
        let c = Classifier::new(ClassifierOptions::default()).unwrap();
        let a = id(&c, &spring("duplicate key (id)=(81723)"), None);
        let b = id(&c, &spring("duplicate key (id)=(99)"), Some(b"k"));
        let other = id(&c, &spring("foreign key violation (id)=(99)"), None);
        assert_eq!(a, b);
        assert_ne!(a, other);
        assert_eq!(a.len(), ID_LEN);
        assert!(is_category_id(&a));
        // Pinned: a change here breaks IDs users have written into rules files.
        assert_eq!(
            category_id_of(&[
                (
                    Dimension::Exception,
                    Some("org.postgresql.util.PSQLException")
                ),
                (Dimension::Reason, Some("duplicate key (id)=(<n>)")),
            ]),
            a
        );
        assert_eq!(a, "f028a3f053");
    }

    #[test]
    fn group_by_changes_ids_and_splits() {
        let by_key = Classifier::new(ClassifierOptions {
            group_by: vec![Dimension::Exception, Dimension::Key],
            overrides: Overrides::default(),
        })
        .unwrap();
        let a = id(&by_key, &spring("x 1"), Some(b"k1"));
        let b = id(&by_key, &spring("y 2"), Some(b"k1"));
        let c = id(&by_key, &spring("x 1"), Some(b"k2"));
        assert_eq!(a, b);
        assert_ne!(a, c);
        let default = Classifier::new(ClassifierOptions::default()).unwrap();
        assert_ne!(id(&default, &spring("x 1"), Some(b"k1")), a);
    }

    #[test]
    fn absent_differs_from_empty_and_unknown_is_one_category() {
        let none = category_id_of::<&str>(&[(Dimension::Exception, None)]);
        let empty = category_id_of(&[(Dimension::Exception, Some(String::new()))]);
        assert_ne!(none, empty);
        let c = Classifier::new(ClassifierOptions::default()).unwrap();
        let x = id(&c, &[("unrelated", b"1".to_vec())], None);
        let y = id(&c, &[], Some(b"k"));
        assert_eq!(x, y);
        let cl = c.classify(&RecordParts {
            partition: 0,
            key: None,
            value: None,
            headers: &[],
        });
        assert_eq!(
            cl.values,
            vec![(Dimension::Exception, None), (Dimension::Reason, None)]
        );
    }

    #[test]
    fn records_without_metadata_never_share_a_category_with_a_convention() {
        let c = Classifier::new(ClassifierOptions::default()).unwrap();
        let bare = id(&c, &[], None);
        // A Spring record with no exception and no message: both grouped values absent.
        let spring_empty = id(
            &c,
            &[("kafka_dlt-original-topic", b"orders".to_vec())],
            None,
        );
        assert_ne!(bare, spring_empty);
        // Pinned: the category of records without metadata keeps its ID.
        assert_eq!(
            bare,
            category_id_of::<&str>(&[(Dimension::Exception, None), (Dimension::Reason, None)])
        );
        // A category that never mixed keeps its ID too.
        assert_eq!(
            id(&c, &spring("duplicate key (id)=(1)"), None),
            "f028a3f053"
        );
        // Grouping by key alone: same key, with and without metadata, apart.
        let by_key = Classifier::new(ClassifierOptions {
            group_by: vec![Dimension::Key],
            overrides: Overrides::default(),
        })
        .unwrap();
        assert_ne!(
            id(&by_key, &[], Some(b"k")),
            id(&by_key, &spring("x"), Some(b"k"))
        );
        // With the convention grouped, its value already keeps them apart.
        let by_conv = Classifier::new(ClassifierOptions {
            group_by: vec![Dimension::Exception, Dimension::Convention],
            overrides: Overrides::default(),
        })
        .unwrap();
        assert_eq!(
            id(
                &by_conv,
                &[("kafka_dlt-original-topic", b"o".to_vec())],
                None
            ),
            category_id_of(&[
                (Dimension::Exception, None),
                (Dimension::Convention, Some("spring-dlt"))
            ])
        );
    }

    #[test]
    fn options_are_validated() {
        assert!(Classifier::new(ClassifierOptions {
            group_by: vec![],
            overrides: Overrides::default()
        })
        .is_err());
        let err = Classifier::new(ClassifierOptions {
            group_by: vec![Dimension::Key, Dimension::Key],
            overrides: Overrides::default(),
        })
        .unwrap_err();
        assert!(err.to_string().contains("twice"));
        let err = Classifier::new(ClassifierOptions {
            group_by: DEFAULT_GROUP_BY.to_vec(),
            overrides: Overrides {
                reason_json_pointer: Some("error/message".into()),
                ..Overrides::default()
            },
        })
        .unwrap_err();
        assert_eq!(
            err.hint(),
            Some("JSON pointers start with '/', e.g. --reason-json-pointer /error/message")
        );
        assert_eq!(
            Dimension::parse("original-topic").unwrap(),
            Dimension::OriginalTopic
        );
        assert_eq!(Dimension::parse("topic").unwrap(), Dimension::OriginalTopic);
        assert!(Dimension::parse("colour")
            .unwrap_err()
            .hint()
            .unwrap()
            .contains("exception, cause, reason"));
    }

    #[test]
    fn key_text_is_text_or_base64() {
        assert_eq!(key_text(b"order-1"), "order-1");
        assert_eq!(key_text(&[0xff, 0x00]), "base64:/wA=");
    }
}
