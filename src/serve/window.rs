//! The sliding window of lag samples `serve` evaluates Burrow-style (the rules
//! of [`crate::lag::trend`]), kept in the state dir so a restart does not start
//! the window over: a group that was stuck before the restart is still STALL
//! after it, not "no status" for the next N intervals.
//!
//! The file holds what the trend needs and no more (per sample, the log start
//! and end of each partition once and each group's committed offsets) and is
//! replaced atomically after each sample; its size is bounded by the window's
//! samples x the groups' partitions.
//! Samples older than the window's span (`--window` x `--interval`) when it is
//! loaded are dropped: after a long stop they would judge a past that no
//! longer applies.

use std::collections::{HashMap, HashSet};
use std::path::PathBuf;
use std::time::Duration;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};
use crate::lag::model::{GroupLag, GroupObservation, PartitionObservation, Snapshot};

/// 2: watermarks once per partition, not once per group (v1 files are not read).
const VERSION: u32 = 2;

pub struct Window {
    samples: Vec<Snapshot>,
    size: usize,
    /// `None`: not persisted (no state dir).
    path: Option<PathBuf>,
}

#[derive(Serialize, Deserialize)]
struct Stored {
    version: u32,
    samples: Vec<StoredSample>,
}

/// One sample, in what the evaluation reads of it: the watermarks once per
/// partition (every group reading a topic shares them) and each group's
/// committed offsets against them. Members are not kept: only the newest
/// sample's count is used, and a reloaded sample is never the newest.
#[derive(Serialize, Deserialize)]
struct StoredSample {
    at: DateTime<Utc>,
    topics: Vec<StoredTopic>,
    groups: Vec<StoredGroup>,
}

#[derive(Serialize, Deserialize)]
struct StoredTopic {
    topic: String,
    /// (partition, log start, log end)
    partitions: Vec<(i32, i64, i64)>,
}

#[derive(Serialize, Deserialize)]
struct StoredGroup {
    group: String,
    /// (index into the sample's topics, partition, committed offset)
    partitions: Vec<(u32, i32, Option<i64>)>,
}

impl Window {
    /// The window at `path` (empty when absent or unreadable, with a note why),
    /// keeping only samples within `size` x `interval` of `now`.
    pub fn load(
        path: Option<PathBuf>,
        size: usize,
        interval: Duration,
        now: DateTime<Utc>,
        note: &dyn Fn(&str),
    ) -> Window {
        let mut w = Window {
            samples: Vec::new(),
            size: size.max(2),
            path,
        };
        let Some(p) = w.path.clone() else { return w };
        let text = match std::fs::read_to_string(&p) {
            Ok(t) => t,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return w,
            Err(e) => {
                note(&format!(
                    "lag window {} not read ({e}); starting a new one",
                    p.display()
                ));
                return w;
            }
        };
        match serde_json::from_str::<Stored>(&text) {
            Ok(s) if s.version == VERSION => {
                let span = chrono::Duration::from_std(interval * w.size as u32)
                    .unwrap_or(chrono::Duration::MAX);
                w.samples = s
                    .samples
                    .into_iter()
                    .filter(|x| now - x.at <= span && x.at <= now)
                    .filter_map(snapshot_of)
                    .collect();
                w.trim();
                if !w.samples.is_empty() {
                    note(&format!(
                        "lag window: {} sample(s) reloaded from {}",
                        w.samples.len(),
                        p.display()
                    ));
                }
            }
            _ => note(&format!(
                "lag window {} is not one this version wrote; starting a new one",
                p.display()
            )),
        }
        w
    }

    pub fn len(&self) -> usize {
        self.samples.len()
    }

    pub fn is_empty(&self) -> bool {
        self.samples.is_empty()
    }

    /// Add a sample and evaluate the groups of it over the window.
    pub fn push(&mut self, snap: Snapshot, allowed_lag: i64) -> Vec<GroupLag> {
        self.samples.push(snap);
        self.trim();
        crate::lag::evaluate(&self.samples, allowed_lag, true)
    }

    fn trim(&mut self) {
        if self.samples.len() > self.size {
            let extra = self.samples.len() - self.size;
            self.samples.drain(..extra);
        }
    }

    /// Write the window to its file, atomically and private (it names groups and topics).
    pub fn save(&self) -> Result<()> {
        let Some(p) = &self.path else { return Ok(()) };
        if let Some(dir) = p.parent() {
            crate::files::create_private_dir(dir)?;
        }
        let stored = Stored {
            version: VERSION,
            samples: self.samples.iter().map(stored_of).collect(),
        };
        let text = serde_json::to_vec(&stored).map_err(|e| {
            Error::config(
                format!("cannot encode the lag window: {e}"),
                "report this bug",
            )
        })?;
        crate::files::write_atomic(p, &text)
    }
}

fn stored_of(s: &Snapshot) -> StoredSample {
    let mut topics: Vec<StoredTopic> = Vec::new();
    let mut index: HashMap<&str, (u32, HashSet<i32>)> = HashMap::new();
    let groups = s
        .groups
        .iter()
        .map(|g| StoredGroup {
            group: g.group.clone(),
            partitions: g
                .partitions
                .iter()
                .map(|p| {
                    let (i, seen) = index.entry(p.topic.as_str()).or_insert_with(|| {
                        topics.push(StoredTopic {
                            topic: p.topic.clone(),
                            partitions: Vec::new(),
                        });
                        ((topics.len() - 1) as u32, HashSet::new())
                    });
                    if seen.insert(p.partition) {
                        topics[*i as usize]
                            .partitions
                            .push((p.partition, p.log_start, p.log_end));
                    }
                    (*i, p.partition, p.committed)
                })
                .collect(),
        })
        .collect();
    StoredSample {
        at: s.at,
        topics,
        groups,
    }
}

/// The sample as a snapshot; `None` when it refers to a topic it does not
/// name (a file not written by [`stored_of`]).
fn snapshot_of(s: StoredSample) -> Option<Snapshot> {
    let marks: HashMap<(u32, i32), (i64, i64)> = s
        .topics
        .iter()
        .enumerate()
        .flat_map(|(i, t)| {
            t.partitions
                .iter()
                .map(move |&(p, start, end)| ((i as u32, p), (start, end)))
        })
        .collect();
    let groups = s
        .groups
        .into_iter()
        .map(|g| {
            let partitions = g
                .partitions
                .into_iter()
                .map(|(t, partition, committed)| {
                    let (log_start, log_end) = *marks.get(&(t, partition))?;
                    Some(PartitionObservation {
                        topic: s.topics[t as usize].topic.clone(),
                        partition,
                        committed,
                        log_start,
                        log_end,
                        next_record_ts_ms: None,
                        nothing_to_read: false,
                    })
                })
                .collect::<Option<Vec<_>>>()?;
            Some(GroupObservation {
                group: g.group,
                state: None,
                members: None,
                found: None,
                partitions,
            })
        })
        .collect::<Option<Vec<_>>>()?;
    Some(Snapshot {
        at: s.at,
        ages: false,
        groups,
    })
}

#[cfg(test)]
mod tests {
    use chrono::TimeZone;

    use super::*;
    use crate::lag::trend::Status;

    fn snap(at: DateTime<Utc>, committed: i64, end: i64) -> Snapshot {
        Snapshot {
            at,
            ages: true,
            groups: vec![GroupObservation {
                group: "g".into(),
                state: Some("Stable".into()),
                members: Some(1),
                found: Some(true),
                partitions: vec![PartitionObservation {
                    topic: "t".into(),
                    partition: 0,
                    committed: Some(committed),
                    log_start: 0,
                    log_end: end,
                    next_record_ts_ms: Some(1),
                    nothing_to_read: false,
                }],
            }],
        }
    }

    #[test]
    fn the_window_survives_a_restart_and_keeps_judging() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("serve/lag-window.json");
        let t0 = Utc.with_ymd_and_hms(2026, 11, 21, 12, 0, 0).unwrap();
        let s = |i: i64| t0 + chrono::Duration::seconds(10 * i);
        let quiet = |_: &str| {};
        let interval = Duration::from_secs(10);
        let mut w = Window::load(Some(path.clone()), 3, interval, s(0), &quiet);
        assert!(w.is_empty());
        let g = w.push(snap(s(0), 10, 100), 0);
        assert_eq!(g[0].status, None, "one sample: no trend");
        w.push(snap(s(1), 10, 120), 0);
        w.save().unwrap();

        // Restarted: the stuck offset is judged with the samples from before.
        let mut w = Window::load(Some(path.clone()), 3, interval, s(2), &quiet);
        assert_eq!(w.len(), 2);
        let g = w.push(snap(s(2), 10, 130), 0);
        assert_eq!(g[0].status, Some(Status::Stall), "members: 1, offset stuck");
        assert_eq!(g[0].partitions[0].lag, Some(120));
        assert_eq!(w.len(), 3);
        w.push(snap(s(3), 50, 130), 0);
        assert_eq!(w.len(), 3, "the window slides");
        w.save().unwrap();

        // Long after: the old samples no longer apply.
        let w = Window::load(Some(path.clone()), 3, interval, s(100), &quiet);
        assert!(w.is_empty());
        std::fs::write(&path, "{not json").unwrap();
        let seen = std::cell::RefCell::new(Vec::new());
        let w = Window::load(Some(path), 3, interval, s(3), &|n| {
            seen.borrow_mut().push(n.to_string())
        });
        assert!(w.is_empty());
        assert!(seen.borrow()[0].contains("starting a new one"));
    }

    #[test]
    fn the_file_names_each_partition_once_and_reloads_what_the_trend_reads() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("w.json");
        let t0 = Utc.with_ymd_and_hms(2026, 11, 21, 12, 0, 0).unwrap();
        let quiet = |_: &str| {};
        let interval = Duration::from_secs(10);
        let mut w = Window::load(Some(path.clone()), 5, interval, t0, &quiet);
        let mut s = snap(t0, 10, 100);
        let mut other = s.groups[0].clone();
        other.group = "h".into();
        other.partitions[0].committed = Some(40);
        other.partitions.push(PartitionObservation {
            topic: "u".into(),
            partition: 3,
            committed: None,
            log_start: 5,
            log_end: 9,
            next_record_ts_ms: None,
            nothing_to_read: false,
        });
        s.groups.push(other);
        w.push(s.clone(), 0);
        w.save().unwrap();
        let text = std::fs::read_to_string(&path).unwrap();
        assert_eq!(text.matches("\"t\"").count(), 1, "{text}");
        assert_eq!(
            text.matches("100").count(),
            1,
            "one log end per partition: {text}"
        );

        let w = Window::load(Some(path), 5, interval, t0, &quiet);
        let back = &w.samples[0];
        assert_eq!(back.at, s.at);
        let strip = |g: &GroupObservation| -> Vec<(String, i32, Option<i64>, i64, i64)> {
            g.partitions
                .iter()
                .map(|p| {
                    (
                        p.topic.clone(),
                        p.partition,
                        p.committed,
                        p.log_start,
                        p.log_end,
                    )
                })
                .collect()
        };
        assert_eq!(back.groups.len(), 2);
        for (b, g) in back.groups.iter().zip(&s.groups) {
            assert_eq!(b.group, g.group);
            assert_eq!(strip(b), strip(g));
        }
    }
}
