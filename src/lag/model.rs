//! The pure lag model: from what the broker reported for one instant (committed
//! offsets, log start/end, the timestamp of the first unconsumed record) to the
//! per-partition figures and the per-group summary the command prints. No I/O here,
//! so every rule (no-commit partitions, commits below the log start, event age of
//! a caught-up partition, skew) is unit-tested without a broker.

use chrono::{DateTime, TimeZone, Utc};
use serde::{Deserialize, Serialize};

use super::trend::Status;

/// What the broker reported for one partition of one group at one instant.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PartitionObservation {
    pub topic: String,
    pub partition: i32,
    /// `None` when the group has never committed an offset for this partition.
    pub committed: Option<i64>,
    pub log_start: i64,
    pub log_end: i64,
    /// Timestamp (ms) of the first unconsumed record, when it was looked up and found.
    pub next_record_ts_ms: Option<i64>,
    /// The reader found no record between the committed offset and the log end: only
    /// aborted transactions and transaction markers, which a consumer never gets.
    pub nothing_to_read: bool,
}

impl PartitionObservation {
    /// Records left to consume: from the committed offset (or the log start, when
    /// retention deleted records the group never read) to the log end. `None` without
    /// a commit; 0 when the commit is beyond the log end (truncated log).
    pub fn lag(&self) -> Option<i64> {
        let committed = self.committed?;
        Some((self.log_end - committed.max(self.log_start)).max(0))
    }

    /// The offset of the first record the group has yet to consume: the committed
    /// offset, or the log start when retention deleted records the group never read.
    /// `None` when the group has nothing to consume here (or never committed).
    pub fn first_unconsumed(&self) -> Option<i64> {
        let committed = self.committed?;
        let from = committed.max(self.log_start);
        (from < self.log_end).then_some(from)
    }
}

/// One consumer group as observed at one instant.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct GroupObservation {
    pub group: String,
    /// Group state as the broker describes it (`Stable`, `Empty`, ...), when it can.
    pub state: Option<String>,
    pub members: Option<u32>,
    /// `Some(false)` when the cluster said the group does not exist (described as
    /// `Dead`, or "group id not found"); `None` when it could not tell.
    pub found: Option<bool>,
    pub partitions: Vec<PartitionObservation>,
}

/// Every selected group at one instant.
#[derive(Clone, Debug, PartialEq)]
pub struct Snapshot {
    pub at: DateTime<Utc>,
    pub groups: Vec<GroupObservation>,
    /// Event ages were looked up (not `--no-age`).
    pub ages: bool,
}

/// Lag figures of one partition of one group: the JSON contract.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct PartitionLag {
    pub topic: String,
    pub partition: i32,
    /// `null` when the group never committed an offset for this partition.
    pub committed_offset: Option<i64>,
    pub log_start_offset: i64,
    pub log_end_offset: i64,
    /// Records left to consume; `null` when there is no committed offset.
    pub lag: Option<i64>,
    /// Now minus the timestamp of the first unconsumed record; 0 when caught up;
    /// `null` when unknown (no commit, `--no-age`, or the record could not be read).
    pub event_age_seconds: Option<f64>,
    /// Timestamp of the first unconsumed record.
    pub event_timestamp: Option<DateTime<Utc>>,
    /// Trend status over `--samples` (`null` with a single sample or no commit).
    pub status: Option<Status>,
    /// Records per second the group committed over the sampling window.
    pub consume_rate: Option<f64>,
    /// Estimated seconds until the lag reaches 0 at the current pace; `null` when the
    /// lag is not shrinking.
    pub catch_up_seconds: Option<f64>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub notes: Vec<String>,
}

impl PartitionLag {
    /// No committed offset on a partition that holds records: the group's lag here
    /// is unknown (it may start from either end), so no gate can pass on it. A
    /// partition without records has nothing to consume, commit or not.
    pub fn blind(&self) -> bool {
        self.committed_offset.is_none() && self.log_end_offset > self.log_start_offset
    }
}

/// How much of a group its committed offsets let us see: the JSON contract says
/// why `total_lag` is `null` or partial, and the gates fail on anything but `full`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Visibility {
    /// Every partition holding records has a committed offset.
    Full,
    /// Some partitions holding records have no committed offset: lag unknown there.
    Partial,
    /// No committed offset on the partitions asked about (the group may exist,
    /// or the broker could not say).
    NoCommits,
    /// No committed offsets, and the cluster says the group does not exist.
    NotFound,
}

impl Visibility {
    /// For people: what the summary row shows instead of a lag it cannot know.
    pub fn as_str(self) -> &'static str {
        match self {
            Visibility::Full => "full",
            Visibility::Partial => "partial",
            Visibility::NoCommits => "no commits",
            Visibility::NotFound => "no such group",
        }
    }
}

/// The partition whose lag is the largest in a group.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Hottest {
    pub topic: String,
    pub partition: i32,
    pub lag: i64,
}

/// One consumer group: the summary row and its partitions.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct GroupLag {
    pub group: String,
    /// `null` when the broker cannot describe groups.
    pub state: Option<String>,
    pub members: Option<u32>,
    /// Worst partition status over `--samples`; `null` with a single sample.
    pub status: Option<Status>,
    /// Sum of the known partition lags; `null` when no partition has a commit
    /// (see `visibility`), never 0 for a group it cannot see.
    pub total_lag: Option<i64>,
    pub visibility: Visibility,
    /// Largest event age among the partitions whose age is known.
    pub max_event_age_seconds: Option<f64>,
    pub partition_count: usize,
    pub lagging_partitions: usize,
    pub no_commit_partitions: usize,
    pub hottest: Option<Hottest>,
    /// Hottest partition lag divided by the mean lag of the committed partitions:
    /// 1.0 means evenly spread, N means all lag sits in one of N partitions.
    pub lag_skew: Option<f64>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub notes: Vec<String>,
    pub partitions: Vec<PartitionLag>,
}

/// Figures of one partition at `now`.
pub fn partition_lag(obs: &PartitionObservation, now: DateTime<Utc>, ages: bool) -> PartitionLag {
    let mut notes = Vec::new();
    if let Some(c) = obs.committed {
        if c < obs.log_start {
            notes.push(format!(
                "committed offset {c} is below the log start {}: records were deleted before the group read them; lag counted from the log start",
                obs.log_start
            ));
        } else if c > obs.log_end {
            notes.push(format!(
                "committed offset {c} is beyond the log end {}: the log was truncated or recreated",
                obs.log_end
            ));
        }
    }
    let lag = obs.lag();
    let event_timestamp = obs
        .next_record_ts_ms
        .filter(|_| lag.is_some_and(|l| l > 0))
        .and_then(|ms| Utc.timestamp_millis_opt(ms).single());
    let event_age_seconds = match lag {
        None => None,
        Some(0) => Some(0.0),
        Some(_) if !ages => None,
        Some(_) => match event_timestamp {
            // A producer clock ahead of ours must not make an age negative.
            Some(ts) => Some(((now - ts).num_milliseconds().max(0)) as f64 / 1000.0),
            // Lag counts offsets, markers included; no event is waiting, so none is old.
            None if obs.nothing_to_read => {
                notes.push("only aborted transactions and transaction markers follow the committed offset: nothing to consume".into());
                Some(0.0)
            }
            None => {
                notes.push(
                    "the first unconsumed record could not be read; event age unknown".into(),
                );
                None
            }
        },
    };
    PartitionLag {
        topic: obs.topic.clone(),
        partition: obs.partition,
        committed_offset: obs.committed,
        log_start_offset: obs.log_start,
        log_end_offset: obs.log_end,
        lag,
        event_age_seconds,
        event_timestamp,
        status: None,
        consume_rate: None,
        catch_up_seconds: None,
        notes,
    }
}

/// The summary of a group from its partition figures.
pub fn group_lag(obs: &GroupObservation, now: DateTime<Utc>, ages: bool) -> GroupLag {
    let mut partitions: Vec<PartitionLag> = obs
        .partitions
        .iter()
        .map(|p| partition_lag(p, now, ages))
        .collect();
    partitions.sort_by(|a, b| a.topic.cmp(&b.topic).then(a.partition.cmp(&b.partition)));
    let mut g = GroupLag {
        group: obs.group.clone(),
        state: obs.state.clone(),
        members: obs.members,
        status: None,
        total_lag: None,
        visibility: Visibility::Full,
        max_event_age_seconds: None,
        partition_count: partitions.len(),
        lagging_partitions: 0,
        no_commit_partitions: 0,
        hottest: None,
        lag_skew: None,
        notes: Vec::new(),
        partitions,
    };
    summarise(&mut g);
    if g.partitions.iter().all(|p| p.committed_offset.is_none()) {
        g.visibility = if obs.found == Some(false) {
            Visibility::NotFound
        } else {
            Visibility::NoCommits
        };
        g.notes.push(if obs.found == Some(false) {
            "the cluster does not know this group and it has no committed offsets".into()
        } else if g.partitions.is_empty() {
            "no committed offsets".into()
        } else {
            "no committed offsets on these partitions".into()
        });
    } else if g.partitions.iter().any(PartitionLag::blind) {
        g.visibility = Visibility::Partial;
    }
    g
}

/// Recompute the summary fields from the partitions.
pub fn summarise(g: &mut GroupLag) {
    let committed: Vec<&PartitionLag> = g.partitions.iter().filter(|p| p.lag.is_some()).collect();
    g.partition_count = g.partitions.len();
    g.no_commit_partitions = g.partition_count - committed.len();
    g.total_lag = (!committed.is_empty()).then(|| committed.iter().filter_map(|p| p.lag).sum());
    g.lagging_partitions = committed.iter().filter(|p| p.lag.unwrap_or(0) > 0).count();
    // Caught-up partitions (age 0) only speak for the group when nothing lags; a
    // lagging partition of unknown age must not make the maximum read as 0.
    g.max_event_age_seconds = if g.lagging_partitions > 0 {
        committed
            .iter()
            .filter(|p| p.lag.unwrap_or(0) > 0)
            .filter_map(|p| p.event_age_seconds)
            .fold(None, |acc: Option<f64>, a| {
                Some(acc.map_or(a, |m| m.max(a)))
            })
    } else if committed.is_empty() {
        None
    } else {
        Some(0.0)
    };
    // Ties go to the first partition in (topic, partition) order, so output is stable.
    g.hottest = committed
        .iter()
        .filter(|p| p.lag.unwrap_or(0) > 0)
        .fold(None::<&&PartitionLag>, |best, p| match best {
            Some(b) if b.lag >= p.lag => Some(b),
            _ => Some(p),
        })
        .map(|p| Hottest {
            topic: p.topic.clone(),
            partition: p.partition,
            lag: p.lag.unwrap_or(0),
        });
    g.lag_skew = match (&g.hottest, committed.len(), g.total_lag) {
        (Some(h), n, Some(total)) if total > 0 && n > 0 => {
            let mean = total as f64 / n as f64;
            Some(h.lag as f64 / mean)
        }
        _ => None,
    };
}

#[cfg(test)]
mod tests {
    use super::*;

    fn now() -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 11, 21, 12, 0, 0).unwrap()
    }

    fn obs(
        partition: i32,
        committed: Option<i64>,
        start: i64,
        end: i64,
        ts: Option<i64>,
    ) -> PartitionObservation {
        PartitionObservation {
            topic: "orders".into(),
            partition,
            committed,
            log_start: start,
            log_end: end,
            next_record_ts_ms: ts,
            nothing_to_read: false,
        }
    }

    #[test]
    fn lag_and_age_of_a_lagging_partition() {
        let ts = now().timestamp_millis() - 90_500;
        let p = partition_lag(&obs(0, Some(40), 0, 100, Some(ts)), now(), true);
        assert_eq!(p.lag, Some(60));
        assert_eq!(p.event_age_seconds, Some(90.5));
        assert_eq!(p.event_timestamp.unwrap().timestamp_millis(), ts);
        assert!(p.notes.is_empty());
    }

    #[test]
    fn only_aborted_records_and_markers_left_is_lag_without_age() {
        let o = PartitionObservation {
            nothing_to_read: true,
            ..obs(0, Some(6), 0, 12, None)
        };
        let p = partition_lag(&o, now(), true);
        assert_eq!(p.lag, Some(6));
        assert_eq!(p.event_age_seconds, Some(0.0));
        assert!(p.notes[0].contains("transaction markers"), "{:?}", p.notes);
        let unknown = partition_lag(&obs(0, Some(6), 0, 12, None), now(), true);
        assert_eq!(unknown.event_age_seconds, None);
    }

    #[test]
    fn caught_up_partition_has_zero_age_even_with_a_stale_timestamp() {
        let p = partition_lag(&obs(0, Some(100), 0, 100, Some(1)), now(), true);
        assert_eq!(p.lag, Some(0));
        assert_eq!(p.event_age_seconds, Some(0.0));
        assert_eq!(p.event_timestamp, None);
        assert_eq!(obs(0, Some(100), 0, 100, None).first_unconsumed(), None);
    }

    #[test]
    fn no_commit_is_not_lag() {
        let o = obs(3, None, 0, 1_000_000, None);
        let p = partition_lag(&o, now(), true);
        assert_eq!(p.lag, None);
        assert_eq!(p.event_age_seconds, None);
        assert_eq!(o.first_unconsumed(), None);
    }

    #[test]
    fn commit_below_log_start_counts_from_log_start_and_says_so() {
        let o = obs(1, Some(5), 50, 80, Some(now().timestamp_millis() - 1000));
        assert_eq!(o.first_unconsumed(), Some(50));
        let p = partition_lag(&o, now(), true);
        assert_eq!(p.lag, Some(30));
        assert!(
            p.notes[0].contains("below the log start 50"),
            "{:?}",
            p.notes
        );
        assert_eq!(p.event_age_seconds, Some(1.0));
    }

    #[test]
    fn commit_beyond_log_end_is_zero_lag_with_a_note() {
        let p = partition_lag(&obs(1, Some(90), 0, 80, None), now(), true);
        assert_eq!(p.lag, Some(0));
        assert!(p.notes[0].contains("beyond the log end"));
    }

    #[test]
    fn age_unknown_without_lookup_or_record() {
        let p = partition_lag(&obs(0, Some(1), 0, 5, None), now(), false);
        assert_eq!(p.event_age_seconds, None);
        assert!(p.notes.is_empty(), "--no-age is not a problem worth a note");
        let p = partition_lag(&obs(0, Some(1), 0, 5, None), now(), true);
        assert_eq!(p.event_age_seconds, None);
        assert!(p.notes[0].contains("could not be read"));
    }

    #[test]
    fn future_timestamps_clamp_to_zero_age() {
        let p = partition_lag(
            &obs(0, Some(1), 0, 5, Some(now().timestamp_millis() + 5000)),
            now(),
            true,
        );
        assert_eq!(p.event_age_seconds, Some(0.0));
    }

    #[test]
    fn group_summary() {
        let t = now().timestamp_millis();
        let g = group_lag(
            &GroupObservation {
                group: "billing".into(),
                state: Some("Stable".into()),
                members: Some(2),
                found: None,
                partitions: vec![
                    obs(2, Some(10), 0, 10, None),
                    obs(0, Some(0), 0, 30, Some(t - 30_000)),
                    obs(1, Some(5), 0, 15, Some(t - 120_000)),
                    obs(3, None, 0, 99, None),
                ],
            },
            now(),
            true,
        );
        assert_eq!(g.total_lag, Some(40));
        assert_eq!(
            g.visibility,
            Visibility::Partial,
            "p3 holds records, no commit"
        );
        assert_eq!(g.partition_count, 4);
        assert_eq!(g.lagging_partitions, 2);
        assert_eq!(g.no_commit_partitions, 1);
        assert_eq!(g.max_event_age_seconds, Some(120.0));
        assert_eq!(
            g.hottest,
            Some(Hottest {
                topic: "orders".into(),
                partition: 0,
                lag: 30
            })
        );
        // mean over the 3 committed partitions is 40/3; 30 / (40/3) = 2.25
        assert!((g.lag_skew.unwrap() - 2.25).abs() < 1e-9);
        assert_eq!(
            g.partitions.iter().map(|p| p.partition).collect::<Vec<_>>(),
            vec![0, 1, 2, 3]
        );
        assert!(g.notes.is_empty());
    }

    #[test]
    fn caught_up_group_has_no_hottest_or_skew() {
        let g = group_lag(
            &GroupObservation {
                group: "g".into(),
                state: None,
                members: None,
                found: None,
                partitions: vec![obs(0, Some(10), 0, 10, None), obs(1, Some(4), 0, 4, None)],
            },
            now(),
            true,
        );
        assert_eq!(g.total_lag, Some(0));
        assert_eq!(g.visibility, Visibility::Full);
        assert_eq!(g.hottest, None);
        assert_eq!(g.lag_skew, None);
        assert_eq!(g.max_event_age_seconds, Some(0.0));
    }

    #[test]
    fn unknown_ages_do_not_read_as_zero() {
        let g = group_lag(
            &GroupObservation {
                group: "g".into(),
                state: None,
                members: None,
                found: None,
                partitions: vec![obs(0, Some(10), 0, 10, None), obs(1, Some(0), 0, 4, None)],
            },
            now(),
            false,
        );
        assert_eq!(g.lagging_partitions, 1);
        assert_eq!(g.max_event_age_seconds, None);
        let only_no_commit = group_lag(
            &GroupObservation {
                group: "g".into(),
                state: None,
                members: None,
                found: None,
                partitions: vec![obs(0, None, 0, 10, None)],
            },
            now(),
            true,
        );
        assert_eq!(only_no_commit.max_event_age_seconds, None);
    }

    #[test]
    fn group_without_commits_says_so() {
        let g = group_lag(
            &GroupObservation {
                group: "g".into(),
                state: None,
                members: None,
                found: None,
                partitions: vec![],
            },
            now(),
            true,
        );
        assert_eq!(g.notes, vec!["no committed offsets".to_string()]);
        assert_eq!(g.total_lag, None, "unknown, never 0");
        assert_eq!(g.visibility, Visibility::NoCommits);
    }

    #[test]
    fn a_group_the_cluster_does_not_know_is_not_found() {
        let o = GroupObservation {
            group: "typo".into(),
            state: Some("Dead".into()),
            members: Some(0),
            found: Some(false),
            partitions: vec![obs(0, None, 0, 10, None)],
        };
        let g = group_lag(&o, now(), true);
        assert_eq!((g.total_lag, g.visibility), (None, Visibility::NotFound));
        assert!(g.notes[0].contains("does not know"), "{:?}", g.notes);
        // A commit anywhere means the group exists, whatever the broker said.
        let g = group_lag(
            &GroupObservation {
                partitions: vec![obs(0, Some(3), 0, 10, None)],
                ..o
            },
            now(),
            true,
        );
        assert_eq!(g.visibility, Visibility::Full);
    }

    #[test]
    fn a_missing_commit_blinds_only_a_partition_holding_records() {
        let g = group_lag(
            &GroupObservation {
                group: "g".into(),
                state: None,
                members: None,
                found: None,
                // p1 never committed but empty (retention emptied it, or never written).
                partitions: vec![obs(0, Some(10), 0, 10, None), obs(1, None, 7, 7, None)],
            },
            now(),
            true,
        );
        assert_eq!(g.no_commit_partitions, 1);
        assert!(!g.partitions[1].blind());
        assert_eq!(g.visibility, Visibility::Full);
    }
}
