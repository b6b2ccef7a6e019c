//! What to replay and where to: the normalised selection every plan is built
//! from and stored with, its validation (an unbounded replay is refused), and the
//! per-record filter the planner and the executor both apply, so a plan's counts
//! and a run's records agree.

use std::collections::BTreeSet;
use std::path::PathBuf;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use super::keys::KeyFilter;
use super::partitioner::Partitioner;
use super::placement::Placement;
use super::redrives::{DEFAULT_MAX_REDRIVES, MAX_REDRIVES_CEILING};
use crate::dlq::Overrides;
use crate::error::{Error, Result};
use crate::timespec::format_time;

/// Where records are read from.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "lowercase")]
pub enum Source {
    Topic {
        topic: String,
    },
    /// A JSON Lines file written by `dlq export`.
    File {
        path: PathBuf,
    },
}

/// Where records go.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "lowercase")]
pub enum Destination {
    Topic {
        topic: String,
    },
    /// Each record goes back to the topic/partition named by its DLQ headers.
    Redrive,
}

/// `--offsets P:A-B`: offsets `[start, end)` of one partition (`end` open when `None`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct OffsetBound {
    pub partition: i32,
    pub start: i64,
    pub end: Option<i64>,
}

impl OffsetBound {
    /// Parse a comma-separated list of `P:A-B` (inclusive), `P:A-` or `P:A`.
    pub fn parse_list(s: &str) -> Result<Vec<OffsetBound>> {
        let hint = "write --offsets PARTITION:FIRST-LAST, e.g. 3:1200-1500 (both included), 3:1200- or 3:1200";
        let mut out = Vec::new();
        for part in s.split(',').map(str::trim) {
            let bad = || Error::usage_hint(format!("malformed offsets '{part}'"), hint);
            let (p, range) = part.split_once(':').ok_or_else(bad)?;
            let partition: i32 = p.trim().parse().map_err(|_| bad())?;
            if partition < 0 {
                return Err(bad());
            }
            let (start, end) = match range.split_once('-') {
                Some((a, "")) => (a.trim().parse::<i64>().map_err(|_| bad())?, None),
                Some((a, b)) => {
                    let a: i64 = a.trim().parse().map_err(|_| bad())?;
                    let b: i64 = b.trim().parse().map_err(|_| bad())?;
                    if b < a {
                        return Err(Error::usage_hint(
                            format!("inverted offset range '{part}'"),
                            format!("write it as {partition}:{b}-{a}"),
                        ));
                    }
                    (a, Some(b + 1))
                }
                None => {
                    let a: i64 = range.trim().parse().map_err(|_| bad())?;
                    (a, Some(a + 1))
                }
            };
            if start < 0 {
                return Err(bad());
            }
            out.push(OffsetBound {
                partition,
                start,
                end,
            });
        }
        Ok(out)
    }
}

/// A validated selection.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Selection {
    pub source: Source,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub from: Option<DateTime<Utc>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub until: Option<DateTime<Utc>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub partitions: Option<BTreeSet<i32>>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub offsets: Vec<OffsetBound>,
    #[serde(default, skip_serializing_if = "KeyFilter::is_empty")]
    pub keys: KeyFilter,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub partitioner: Option<Partitioner>,
    /// `--placement`: where records go whose partition the destination lacks.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub placement: Option<Placement>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub dlq_category: Option<String>,
    /// `--group-by` the category id was computed with (as `dlq triage --group-by`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub dlq_group_by: Vec<String>,
    /// Where `dlq triage` was told to find reasons and original topics, so category ids
    /// and redrive origins here match what triage showed.
    #[serde(default, skip_serializing_if = "Overrides::is_empty")]
    pub dlq_hints: Overrides,
    pub destination: Destination,
    #[serde(default)]
    pub keep_dlq_headers: bool,
    /// `--into-source`: the destination may be the source topic itself.
    #[serde(default)]
    pub into_source: bool,
    /// Keep each record's original timestamp (the default) or let the broker stamp it.
    pub keep_timestamps: bool,
    /// `--max-redrives`: a record already redriven this often is held back from a
    /// redrive. `None` only in plans made before the guard existed, which get the
    /// default (see [`Selection::max_redrives`]).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_redrives: Option<u32>,
}

/// Why a record read from the source is not replayed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Skip {
    /// Inside the resolved offset range, but its timestamp is outside the window.
    OutsideWindow,
    /// Key or DLQ category does not match.
    Filtered,
    /// Already redriven `--max-redrives` times: held back so it cannot loop.
    Redriven,
}

impl Selection {
    /// Check the selection is bounded and consistent. Called once after parsing
    /// and again on every plan file read back.
    pub fn validate(&self) -> Result<()> {
        let bounded = self.from.is_some()
            || self.until.is_some()
            || !self.offsets.is_empty()
            || !self.keys.is_empty()
            || self.dlq_category.is_some()
            || matches!(self.source, Source::File { .. });
        if !bounded {
            return Err(Error::usage_hint(
                "refusing an unbounded replay: the selection has no time window, offsets, keys or DLQ category",
                "bound it with --from/--until, --offsets P:A-B, --key/--keys-file/--key-prefix/--key-range, \
                 --dlq-category or --from-file (--partitions alone does not bound a replay)",
            ));
        }
        if !self.dlq_hints.is_empty() && self.dlq_category.is_none() && !self.is_redrive() {
            return Err(Error::usage_hint(
                "--reason-* and --original-topic-* only apply to --dlq-category or --redrive",
                "drop them, or select a DLQ category as `dlq triage` showed it",
            ));
        }
        if let (Some(f), Some(u)) = (self.from, self.until) {
            if f >= u {
                return Err(Error::usage_hint(
                    "the time window is empty or inverted: --from is not before --until",
                    "swap --from and --until, or widen the window",
                ));
            }
        }
        if let Some(n) = self.max_redrives {
            if !(1..=MAX_REDRIVES_CEILING).contains(&n) {
                return Err(Error::usage_hint(
                    format!("--max-redrives {n} is out of range"),
                    format!("give 1 to {MAX_REDRIVES_CEILING} (default {DEFAULT_MAX_REDRIVES}); the loop guard cannot be switched off"),
                ));
            }
        }
        let mut seen = BTreeSet::new();
        for o in &self.offsets {
            if !seen.insert(o.partition) {
                return Err(Error::usage_hint(
                    format!("partition {} appears twice in --offsets", o.partition),
                    "give one FIRST-LAST range per partition",
                ));
            }
            if let Some(ps) = &self.partitions {
                if !ps.contains(&o.partition) {
                    return Err(Error::usage_hint(
                        format!(
                            "--offsets names partition {} which --partitions excludes",
                            o.partition
                        ),
                        "drop --partitions, or include the partition in it",
                    ));
                }
            }
        }
        if let Source::File { .. } = self.source {
            if !self.offsets.is_empty() || self.partitions.is_some() {
                return Err(Error::usage_hint(
                    "--offsets and --partitions select from a topic, not from --from-file",
                    "edit the file instead, or replay from --topic",
                ));
            }
        }
        if let (Destination::Topic { topic }, Source::Topic { topic: src }) =
            (&self.destination, &self.source)
        {
            if topic == src && !self.into_source {
                return Err(Error::usage_hint(
                    format!("refusing to replay '{src}' into itself"),
                    "pass --into-source if re-publishing into the source topic is really intended",
                ));
            }
        }
        Ok(())
    }

    pub fn source_topic(&self) -> Option<&str> {
        match &self.source {
            Source::Topic { topic } => Some(topic),
            Source::File { .. } => None,
        }
    }

    /// The redrive limit in force (`--max-redrives`, or the default).
    pub fn max_redrives(&self) -> u32 {
        self.max_redrives.unwrap_or(DEFAULT_MAX_REDRIVES)
    }

    pub fn is_redrive(&self) -> bool {
        self.destination == Destination::Redrive
    }

    /// Partitions an exact-key selection can live in, when a partitioner was named.
    pub fn key_partitions(&self, partition_count: usize) -> Option<BTreeSet<i32>> {
        let p = self.partitioner?;
        if self.keys.exact.is_empty() {
            return None;
        }
        Some(
            self.keys
                .exact
                .iter()
                .map(|k| p.partition(&k.0, partition_count))
                .collect(),
        )
    }

    /// The window and key part of the filter. The DLQ category is checked by the
    /// caller, which has the classifier at hand.
    pub fn check(&self, timestamp_ms: Option<i64>, key: Option<&[u8]>) -> Option<Skip> {
        if self.from.is_some() || self.until.is_some() {
            let inside = timestamp_ms.is_some_and(|ts| {
                self.from.is_none_or(|f| ts >= f.timestamp_millis())
                    && self.until.is_none_or(|u| ts < u.timestamp_millis())
            });
            if !inside {
                return Some(Skip::OutsideWindow);
            }
        }
        if !self.keys.matches(key) {
            return Some(Skip::Filtered);
        }
        None
    }

    /// One line for people and for the audit log (no secrets can appear here:
    /// a selection holds topic names, times, offsets and keys only).
    pub fn describe(&self) -> String {
        let mut parts = Vec::new();
        match &self.source {
            Source::Topic { topic } => parts.push(format!("topic {topic}")),
            Source::File { path } => parts.push(format!("file {}", path.display())),
        }
        if let Some(f) = self.from {
            parts.push(format!("from {}", format_time(f)));
        }
        if let Some(u) = self.until {
            parts.push(format!("until {}", format_time(u)));
        }
        if let Some(ps) = &self.partitions {
            parts.push(format!(
                "partitions {}",
                ps.iter().map(i32::to_string).collect::<Vec<_>>().join(",")
            ));
        }
        for o in &self.offsets {
            match o.end {
                Some(e) => parts.push(format!("offsets {}:{}-{}", o.partition, o.start, e - 1)),
                None => parts.push(format!("offsets {}:{}-", o.partition, o.start)),
            }
        }
        if !self.keys.exact.is_empty() {
            parts.push(format!("{} exact key(s)", self.keys.exact.len()));
        }
        if let Some(p) = &self.keys.prefix {
            parts.push(format!("key prefix {}", p.display()));
        }
        if let Some(r) = &self.keys.range {
            let s = r.start.as_ref().map(|k| k.display()).unwrap_or_default();
            let e = r.end.as_ref().map(|k| k.display()).unwrap_or_default();
            parts.push(format!("key range {s}..{e}"));
        }
        if let Some(c) = &self.dlq_category {
            parts.push(format!("dlq category {c}"));
        }
        match &self.destination {
            Destination::Topic { topic } => parts.push(format!("to {topic}")),
            Destination::Redrive => parts.push("redrive to the original topics".to_string()),
        }
        parts.join(", ")
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::replay::keys::{Key, KeyRange};

    pub(crate) fn selection() -> Selection {
        Selection {
            source: Source::Topic {
                topic: "orders".into(),
            },
            from: None,
            until: None,
            partitions: None,
            offsets: Vec::new(),
            keys: KeyFilter::default(),
            partitioner: None,
            placement: None,
            dlq_category: None,
            dlq_group_by: Vec::new(),
            dlq_hints: Overrides::default(),
            destination: Destination::Topic {
                topic: "orders-replay".into(),
            },
            keep_dlq_headers: false,
            into_source: false,
            keep_timestamps: true,
            max_redrives: Some(DEFAULT_MAX_REDRIVES),
        }
    }

    fn t(s: &str) -> DateTime<Utc> {
        DateTime::parse_from_rfc3339(s).unwrap().with_timezone(&Utc)
    }

    #[test]
    fn offsets_parse() {
        let o = OffsetBound::parse_list("3:1200-1500, 4:7-, 5:9").unwrap();
        assert_eq!(
            o[0],
            OffsetBound {
                partition: 3,
                start: 1200,
                end: Some(1501)
            }
        );
        assert_eq!(
            o[1],
            OffsetBound {
                partition: 4,
                start: 7,
                end: None
            }
        );
        assert_eq!(
            o[2],
            OffsetBound {
                partition: 5,
                start: 9,
                end: Some(10)
            }
        );
        let e = OffsetBound::parse_list("3:1500-1200").unwrap_err();
        assert!(e.hint().unwrap().contains("3:1200-1500"), "{e:?}");
        for bad in ["3", "x:1-2", "3:a-b", "-1:1-2", "3:-5"] {
            assert!(OffsetBound::parse_list(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn an_unbounded_selection_is_refused() {
        let mut s = selection();
        let e = s.validate().unwrap_err();
        assert!(e.to_string().contains("unbounded"), "{e}");
        s.partitions = Some([0].into());
        assert!(s.validate().is_err(), "partitions alone do not bound");
        s.from = Some(t("2026-11-20T00:00:00Z"));
        s.validate().unwrap();
        let mut s = selection();
        s.keys.prefix = Some(Key(b"a".to_vec()));
        s.validate().unwrap();
        let mut s = selection();
        s.dlq_category = Some("c1".into());
        s.validate().unwrap();
        let mut s = selection();
        s.source = Source::File {
            path: "x.jsonl".into(),
        };
        s.validate().unwrap();
    }

    #[test]
    fn inconsistent_selections_are_refused() {
        let mut s = selection();
        s.from = Some(t("2026-11-20T00:00:00Z"));
        s.until = Some(t("2026-11-19T00:00:00Z"));
        assert!(s.validate().unwrap_err().to_string().contains("inverted"));
        let mut s = selection();
        s.offsets = OffsetBound::parse_list("1:0-5,1:7-9").unwrap();
        assert!(s.validate().unwrap_err().to_string().contains("twice"));
        let mut s = selection();
        s.offsets = OffsetBound::parse_list("1:0-5").unwrap();
        s.partitions = Some([0].into());
        assert!(s.validate().unwrap_err().to_string().contains("excludes"));
        let mut s = selection();
        s.source = Source::File { path: "x".into() };
        s.offsets = OffsetBound::parse_list("1:0-5").unwrap();
        assert!(s.validate().is_err());
        let mut s = selection();
        s.from = Some(t("2026-11-20T00:00:00Z"));
        s.destination = Destination::Topic {
            topic: "orders".into(),
        };
        assert!(s
            .validate()
            .unwrap_err()
            .hint()
            .unwrap()
            .contains("--into-source"));
        s.into_source = true;
        s.validate().unwrap();
    }

    /// The wording of the errors people meet most, pinned.
    #[test]
    fn messages() {
        let e = selection().validate().unwrap_err();
        assert_eq!(
            e.to_string(),
            "refusing an unbounded replay: the selection has no time window, offsets, keys or DLQ category"
        );
        assert_eq!(
            e.hint().unwrap(),
            "bound it with --from/--until, --offsets P:A-B, --key/--keys-file/--key-prefix/--key-range, \
             --dlq-category or --from-file (--partitions alone does not bound a replay)"
        );
        let mut s = selection();
        s.from = Some(t("2026-11-20T00:00:00Z"));
        s.destination = Destination::Topic {
            topic: "orders".into(),
        };
        let e = s.validate().unwrap_err();
        assert_eq!(e.to_string(), "refusing to replay 'orders' into itself");
        assert_eq!(
            e.hint().unwrap(),
            "pass --into-source if re-publishing into the source topic is really intended"
        );
        let e = OffsetBound::parse_list("3:9-1").unwrap_err();
        assert_eq!(e.to_string(), "inverted offset range '3:9-1'");
        assert_eq!(e.hint().unwrap(), "write it as 3:1-9");
    }

    #[test]
    fn record_filter() {
        let mut s = selection();
        s.from = Some(t("2026-11-20T00:00:00Z"));
        s.until = Some(t("2026-11-20T01:00:00Z"));
        s.keys.range = Some(KeyRange::parse("b..d").unwrap());
        let inside = t("2026-11-20T00:30:00Z").timestamp_millis();
        assert_eq!(s.check(Some(inside), Some(b"c")), None);
        assert_eq!(s.check(Some(inside), Some(b"e")), Some(Skip::Filtered));
        assert_eq!(s.check(Some(inside), None), Some(Skip::Filtered));
        // until is exclusive, from inclusive
        assert_eq!(
            s.check(
                Some(t("2026-11-20T01:00:00Z").timestamp_millis()),
                Some(b"c")
            ),
            Some(Skip::OutsideWindow)
        );
        assert_eq!(
            s.check(
                Some(t("2026-11-20T00:00:00Z").timestamp_millis()),
                Some(b"c")
            ),
            None
        );
        assert_eq!(s.check(None, Some(b"c")), Some(Skip::OutsideWindow));
    }

    #[test]
    fn key_partitions_follow_the_partitioner() {
        let mut s = selection();
        s.keys.exact.insert(Key(b"21".to_vec()));
        assert_eq!(s.key_partitions(10), None, "no partitioner, no restriction");
        s.partitioner = Some(Partitioner::Murmur2);
        assert_eq!(s.key_partitions(10), Some([0].into()));
    }

    #[test]
    fn selection_round_trips_through_json() {
        let mut s = selection();
        s.from = Some(t("2026-11-20T00:00:00Z"));
        s.keys.exact.insert(Key(vec![0, 1]));
        s.offsets = OffsetBound::parse_list("2:5-9").unwrap();
        let json = serde_json::to_string(&s).unwrap();
        assert_eq!(serde_json::from_str::<Selection>(&json).unwrap(), s);
        assert!(s.describe().contains("offsets 2:5-9"), "{}", s.describe());
    }
}
