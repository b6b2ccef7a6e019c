//! Burrow-style evaluation of a group over several snapshots (`--samples N
//! --interval D`), the roll-up of partition statuses to the group, and the pace
//! figures `--watch` and `--samples` show: consumption rate and time to catch up.
//!
//! The rules, applied in order to each partition's committed offsets and lags:
//! 1. REWIND: the committed offset went backwards between two samples.
//! 2. OK: some sample's lag is within `--allowed-lag` (Burrow's "any zero lag").
//! 3. The committed offset never moved while lagging: STOP when the whole group
//!    made no progress on any partition and is not known to have live members
//!    (its consumers stopped committing), otherwise STALL (the group is alive but
//!    this partition is stuck, e.g. on a poison record).
//! 4. WARN: the offset moves but the lag never shrinks between samples.
//! 5. otherwise OK.
//!
//! Burrow tells STOP from STALL by commit timestamps, which OffsetFetch does not
//! return; group progress and membership are the signals we have instead.

use std::collections::HashMap;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use super::model::{GroupLag, Snapshot};

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "UPPERCASE")]
pub enum Status {
    Ok,
    Warn,
    Stall,
    Stop,
    Rewind,
}

impl Status {
    pub const ALL: [Status; 5] = [
        Status::Ok,
        Status::Warn,
        Status::Stall,
        Status::Stop,
        Status::Rewind,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Status::Ok => "OK",
            Status::Warn => "WARN",
            Status::Stall => "STALL",
            Status::Stop => "STOP",
            Status::Rewind => "REWIND",
        }
    }

    pub fn severity(self) -> Severity {
        match self {
            Status::Ok => Severity::Ok,
            Status::Warn => Severity::Warn,
            Status::Stall | Status::Stop | Status::Rewind => Severity::Err,
        }
    }
}

impl std::fmt::Display for Status {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// How bad a status is, for `--fail-on warn|err`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Severity {
    Ok,
    Warn,
    Err,
}

/// One partition of one group in one sample.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Point {
    pub at: DateTime<Utc>,
    pub committed: Option<i64>,
    pub lag: Option<i64>,
}

/// Evaluate one partition. `group_progressed`: some partition of the group moved its
/// committed offset during the window. `None` when fewer than two samples carry a
/// committed offset, or the last one has none: there is no trend to judge.
pub fn evaluate(
    points: &[Point],
    allowed_lag: i64,
    group_progressed: bool,
    members: Option<u32>,
) -> Option<Status> {
    points.last()?.committed?;
    let pts: Vec<(i64, i64)> = points
        .iter()
        .filter_map(|p| Some((p.committed?, p.lag?)))
        .collect();
    if pts.len() < 2 {
        return None;
    }
    if pts.windows(2).any(|w| w[1].0 < w[0].0) {
        return Some(Status::Rewind);
    }
    if pts.iter().any(|(_, lag)| *lag <= allowed_lag) {
        return Some(Status::Ok);
    }
    if pts[0].0 == pts[pts.len() - 1].0 {
        let alive = group_progressed || members.is_some_and(|m| m > 0);
        return Some(if alive { Status::Stall } else { Status::Stop });
    }
    if pts.windows(2).all(|w| w[1].1 >= w[0].1) {
        return Some(Status::Warn);
    }
    Some(Status::Ok)
}

/// Records per second committed between the first and last sample with a commit.
pub fn consume_rate(points: &[Point]) -> Option<f64> {
    let (first, last) = committed_ends(points)?;
    let secs = seconds_between(first.at, last.at)?;
    let moved = last.committed? - first.committed?;
    (moved >= 0).then(|| moved as f64 / secs)
}

/// Seconds until the lag reaches 0 if it keeps shrinking at the pace seen between
/// the first and last sample; 0 when caught up; `None` when it is not shrinking.
pub fn catch_up_seconds(points: &[Point]) -> Option<f64> {
    let (first, last) = committed_ends(points)?;
    let last_lag = last.lag?;
    if last_lag == 0 {
        return Some(0.0);
    }
    let secs = seconds_between(first.at, last.at)?;
    let shrink = (first.lag? - last_lag) as f64 / secs;
    (shrink > 0.0).then(|| last_lag as f64 / shrink)
}

fn committed_ends(points: &[Point]) -> Option<(Point, Point)> {
    let first = points.iter().position(|p| p.committed.is_some())?;
    let last = points.iter().rposition(|p| p.committed.is_some())?;
    (last > first).then_some((points[first], points[last]))
}

fn seconds_between(a: DateTime<Utc>, b: DateTime<Utc>) -> Option<f64> {
    let ms = (b - a).num_milliseconds();
    (ms > 0).then(|| ms as f64 / 1000.0)
}

/// Worst partition status of a group; `None` when no partition has one.
pub fn roll_up(statuses: impl IntoIterator<Item = Option<Status>>) -> Option<Status> {
    statuses.into_iter().flatten().max()
}

/// Fill statuses, rates and catch-up times of `groups` (computed from the last
/// snapshot) from the whole series of `snapshots`. With `evaluate_status` false only
/// the pace figures are filled (`--watch` compares consecutive frames).
pub fn apply(
    groups: &mut [GroupLag],
    snapshots: &[Snapshot],
    allowed_lag: i64,
    evaluate_status: bool,
) {
    // Keyed by borrowed names: `serve` evaluates every partition of every group
    // each cycle, and owned keys were three allocations per partition and sample.
    let mut series: HashMap<(&str, &str, i32), Vec<Point>> = HashMap::new();
    for snap in snapshots {
        for g in &snap.groups {
            for p in &g.partitions {
                series
                    .entry((g.group.as_str(), p.topic.as_str(), p.partition))
                    .or_default()
                    .push(Point {
                        at: snap.at,
                        committed: p.committed,
                        lag: p.lag(),
                    });
            }
        }
    }
    for g in groups.iter_mut() {
        let group = g.group.as_str();
        let progressed = g.partitions.iter().any(|p| {
            series
                .get(&(group, p.topic.as_str(), p.partition))
                .and_then(|pts| committed_ends(pts))
                .is_some_and(|(a, b)| a.committed != b.committed)
        });
        let members = g.members;
        let group = g.group.clone();
        for p in &mut g.partitions {
            let Some(pts) = series.get(&(group.as_str(), p.topic.as_str(), p.partition)) else {
                continue;
            };
            p.consume_rate = consume_rate(pts);
            p.catch_up_seconds = catch_up_seconds(pts);
            if evaluate_status {
                p.status = evaluate(pts, allowed_lag, progressed, members);
            }
        }
        if evaluate_status {
            g.status = roll_up(g.partitions.iter().map(|p| p.status));
        }
    }
}

#[cfg(test)]
mod tests {
    use chrono::TimeZone;

    use super::*;
    use crate::lag::model::{group_lag, GroupObservation, PartitionObservation};

    fn at(s: i64) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 11, 21, 12, 0, 0).unwrap() + chrono::Duration::seconds(s)
    }

    /// Points from (committed, log_end) pairs, 10 s apart.
    fn pts(series: &[(Option<i64>, i64)]) -> Vec<Point> {
        series
            .iter()
            .enumerate()
            .map(|(i, (c, end))| Point {
                at: at(i as i64 * 10),
                committed: *c,
                lag: c.map(|c| end - c),
            })
            .collect()
    }

    #[test]
    fn catching_up_is_ok() {
        let p = pts(&[(Some(0), 100), (Some(50), 120), (Some(110), 130)]);
        assert_eq!(evaluate(&p, 0, true, None), Some(Status::Ok));
    }

    #[test]
    fn any_sample_within_allowed_lag_is_ok() {
        let p = pts(&[(Some(0), 100), (Some(10), 200), (Some(20), 300)]);
        assert_eq!(evaluate(&p, 0, true, None), Some(Status::Warn));
        assert_eq!(evaluate(&p, 100, true, None), Some(Status::Ok));
        let p = pts(&[(Some(5), 5), (Some(5), 10)]);
        assert_eq!(
            evaluate(&p, 0, false, None),
            Some(Status::Ok),
            "lag 0 in the window"
        );
    }

    #[test]
    fn growing_lag_while_committing_is_warn() {
        let p = pts(&[(Some(0), 100), (Some(10), 110), (Some(20), 150)]);
        assert_eq!(evaluate(&p, 0, true, None), Some(Status::Warn));
        // Lag shrank once: not WARN.
        let p = pts(&[(Some(0), 100), (Some(50), 110), (Some(60), 150)]);
        assert_eq!(evaluate(&p, 0, true, None), Some(Status::Ok));
    }

    #[test]
    fn stuck_offset_is_stall_when_the_group_is_alive_and_stop_when_not() {
        let p = pts(&[(Some(10), 100), (Some(10), 100), (Some(10), 120)]);
        assert_eq!(evaluate(&p, 0, true, None), Some(Status::Stall));
        assert_eq!(evaluate(&p, 0, false, Some(3)), Some(Status::Stall));
        assert_eq!(evaluate(&p, 0, false, None), Some(Status::Stop));
        assert_eq!(evaluate(&p, 0, false, Some(0)), Some(Status::Stop));
    }

    #[test]
    fn backwards_commit_is_rewind_even_when_caught_up() {
        let p = pts(&[(Some(100), 100), (Some(40), 100), (Some(100), 100)]);
        assert_eq!(evaluate(&p, 0, true, None), Some(Status::Rewind));
    }

    #[test]
    fn no_trend_without_two_commits() {
        assert_eq!(evaluate(&pts(&[(Some(1), 5)]), 0, true, None), None);
        assert_eq!(
            evaluate(&pts(&[(None, 5), (Some(1), 5)]), 0, true, None),
            None
        );
        assert_eq!(
            evaluate(&pts(&[(Some(1), 5), (None, 5)]), 0, true, None),
            None
        );
        assert_eq!(evaluate(&[], 0, true, None), None);
    }

    #[test]
    fn rates_and_eta() {
        // 10 s apart: committed 0 -> 100 over 20 s; lag 200 -> 100.
        let p = pts(&[(Some(0), 200), (Some(50), 250), (Some(100), 200)]);
        assert_eq!(consume_rate(&p), Some(5.0));
        assert_eq!(catch_up_seconds(&p), Some(20.0));
        let growing = pts(&[(Some(0), 10), (Some(5), 30)]);
        assert_eq!(catch_up_seconds(&growing), None);
        let done = pts(&[(Some(0), 10), (Some(10), 10)]);
        assert_eq!(catch_up_seconds(&done), Some(0.0));
        assert_eq!(consume_rate(&pts(&[(Some(3), 10)])), None);
        assert_eq!(consume_rate(&pts(&[(Some(9), 10), (Some(3), 10)])), None);
    }

    #[test]
    fn roll_up_takes_the_worst() {
        assert_eq!(
            roll_up([Some(Status::Ok), None, Some(Status::Warn)]),
            Some(Status::Warn)
        );
        assert_eq!(
            roll_up([Some(Status::Stall), Some(Status::Rewind), Some(Status::Ok)]),
            Some(Status::Rewind)
        );
        assert_eq!(roll_up([None, None]), None);
        assert_eq!(Status::Stop.severity(), Severity::Err);
        assert!(Severity::Warn < Severity::Err);
    }

    fn snap(s: i64, parts: &[(i32, Option<i64>, i64)]) -> Snapshot {
        Snapshot {
            at: at(s),
            ages: false,
            groups: vec![GroupObservation {
                group: "g".into(),
                state: None,
                members: None,
                found: None,
                partitions: parts
                    .iter()
                    .map(|(p, c, end)| PartitionObservation {
                        topic: "t".into(),
                        partition: *p,
                        committed: *c,
                        log_start: 0,
                        log_end: *end,
                        next_record_ts_ms: None,
                        nothing_to_read: false,
                    })
                    .collect(),
            }],
        }
    }

    #[test]
    fn apply_over_snapshots_uses_group_progress() {
        let snaps = vec![
            snap(0, &[(0, Some(0), 100), (1, Some(5), 50), (2, None, 10)]),
            snap(10, &[(0, Some(60), 100), (1, Some(5), 50), (2, None, 10)]),
        ];
        let mut groups = vec![group_lag(&snaps[1].groups[0], snaps[1].at, false)];
        apply(&mut groups, &snaps, 0, true);
        let g = &groups[0];
        assert_eq!(g.partitions[0].status, Some(Status::Ok));
        assert_eq!(g.partitions[0].consume_rate, Some(6.0));
        assert_eq!(
            g.partitions[1].status,
            Some(Status::Stall),
            "group moved on p0"
        );
        assert_eq!(g.partitions[2].status, None, "no commit");
        assert_eq!(g.status, Some(Status::Stall));

        let snaps = vec![
            snap(0, &[(0, Some(0), 100)]),
            snap(10, &[(0, Some(0), 120)]),
        ];
        let mut groups = vec![group_lag(&snaps[1].groups[0], snaps[1].at, false)];
        apply(&mut groups, &snaps, 0, true);
        assert_eq!(groups[0].status, Some(Status::Stop));

        let mut groups = vec![group_lag(&snaps[1].groups[0], snaps[1].at, false)];
        apply(&mut groups, &snaps, 0, false);
        assert_eq!(groups[0].status, None, "watch frames carry no status");
        assert_eq!(groups[0].partitions[0].consume_rate, Some(0.0));
    }
}
