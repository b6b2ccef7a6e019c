//! Thresholds for runbooks and CI (`--max-lag`, `--max-total-lag`, `--max-age`,
//! `--fail-on warn|err`): a pure check of the computed figures that lists every
//! breach, naming the group, the partition and the limit it crossed.
//!
//! A gate cannot pass on what it cannot see: with any threshold set, a group with
//! no committed offset on the asked topics (a misspelt group, one that has not
//! committed yet) and a partition holding records the group never committed on are
//! breaches of their own ([`Check::Unseen`]), never a silent 0. A partition without
//! records has nothing to consume, so a missing commit there is no breach. A group
//! found by listing (no `--group`, or `--group-regex`) with no commits on the asked
//! topics is simply not a reader of them, unless no selected group has any commit:
//! then the gate sees nothing at all and each of them is a breach.

use std::time::Duration;

use serde::{Deserialize, Serialize};

use super::model::{GroupLag, PartitionLag, Visibility};
use super::trend::{Severity, Status};

#[derive(Clone, Debug, Default, PartialEq)]
pub struct Thresholds {
    /// Largest lag allowed on any one partition.
    pub max_lag: Option<i64>,
    /// Largest total lag allowed per group.
    pub max_total_lag: Option<i64>,
    /// Oldest unconsumed event allowed on any partition.
    pub max_age: Option<Duration>,
    /// Fail when a group's trend status is at least this bad.
    pub fail_on: Option<Severity>,
}

impl Thresholds {
    pub fn any(&self) -> bool {
        self.max_lag.is_some()
            || self.max_total_lag.is_some()
            || self.max_age.is_some()
            || self.fail_on.is_some()
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Check {
    Lag,
    TotalLag,
    EventAge,
    Status,
    /// The group, or some partitions holding records, have no committed offset:
    /// their lag is unknown, so the gate cannot pass.
    Unseen,
}

/// Blind partitions named in one breach before "and N more".
const NAMED_PARTITIONS: usize = 5;

/// One threshold crossed.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Breach {
    pub group: String,
    pub topic: Option<String>,
    pub partition: Option<i32>,
    pub check: Check,
    /// The measured figure (records, seconds), absent for status checks.
    pub value: Option<f64>,
    pub limit: Option<f64>,
    pub status: Option<Status>,
    /// The same, for people: "lag 500 > --max-lag 100".
    pub message: String,
}

impl Breach {
    /// `billing orders[3]: lag 500 > --max-lag 100`.
    pub fn line(&self) -> String {
        let place = match (&self.topic, self.partition) {
            (Some(t), Some(p)) => format!("group '{}' {t}[{p}]", self.group),
            _ => format!("group '{}'", self.group),
        };
        format!("{place}: {}", self.message)
    }
}

/// Every breach, in group order, then partition order, of groups each named with
/// `--group`.
pub fn check(groups: &[GroupLag], t: &Thresholds) -> Vec<Breach> {
    check_selected(groups, t, |_| true)
}

/// Every breach; `named` tells the groups asked for by name from those found by
/// listing.
pub fn check_selected(
    groups: &[GroupLag],
    t: &Thresholds,
    named: impl Fn(&str) -> bool,
) -> Vec<Breach> {
    let mut out = Vec::new();
    let none_seen = groups.iter().all(|g| g.total_lag.is_none());
    for g in groups {
        let reader = g.total_lag.is_some() || named(&g.group) || none_seen;
        if t.any() && reader {
            out.extend(unseen(g));
        }
        if let (Some(limit), Some(total)) = (t.max_total_lag, g.total_lag) {
            if total > limit {
                out.push(Breach {
                    group: g.group.clone(),
                    topic: None,
                    partition: None,
                    check: Check::TotalLag,
                    value: Some(total as f64),
                    limit: Some(limit as f64),
                    status: None,
                    message: format!("total lag {total} > --max-total-lag {limit}"),
                });
            }
        }
        if let (Some(min), Some(status)) = (t.fail_on, g.status) {
            if status.severity() >= min {
                out.push(Breach {
                    group: g.group.clone(),
                    topic: None,
                    partition: None,
                    check: Check::Status,
                    value: None,
                    limit: None,
                    status: Some(status),
                    message: format!("status {status}{}", partitions_with(g, status)),
                });
            }
        }
        for p in &g.partitions {
            if let (Some(limit), Some(lag)) = (t.max_lag, p.lag) {
                if lag > limit {
                    out.push(Breach {
                        group: g.group.clone(),
                        topic: Some(p.topic.clone()),
                        partition: Some(p.partition),
                        check: Check::Lag,
                        value: Some(lag as f64),
                        limit: Some(limit as f64),
                        status: None,
                        message: format!("lag {lag} > --max-lag {limit}"),
                    });
                }
            }
            if let (Some(limit), Some(age)) = (t.max_age, p.event_age_seconds) {
                if age > limit.as_secs_f64() {
                    out.push(Breach {
                        group: g.group.clone(),
                        topic: Some(p.topic.clone()),
                        partition: Some(p.partition),
                        check: Check::EventAge,
                        value: Some(age),
                        limit: Some(limit.as_secs_f64()),
                        status: None,
                        message: format!(
                            "event age {} > --max-age {}",
                            crate::timespec::format_age(Duration::from_secs_f64(age)),
                            humantime::format_duration(limit)
                        ),
                    });
                }
            }
        }
    }
    out
}

/// The breach of a group the gate cannot (fully) see, naming the cause and the fix.
fn unseen(g: &GroupLag) -> Option<Breach> {
    const LIST: &str = "`kafkaops lag` without --group lists the groups";
    let blind: Vec<&PartitionLag> = g.partitions.iter().filter(|p| p.blind()).collect();
    let message = match g.visibility {
        Visibility::Full => return None,
        Visibility::NotFound => format!(
            "no such group on the cluster, and no committed offsets: the gate cannot pass on a group it cannot see (check the spelling; {LIST})"
        ),
        Visibility::NoCommits => {
            let topics: std::collections::BTreeSet<&str> =
                g.partitions.iter().map(|p| p.topic.as_str()).collect();
            let on = if topics.is_empty() {
                String::new()
            } else {
                let names: Vec<String> = topics.iter().map(|t| format!("'{t}'")).collect();
                format!(" on {}", names.join(", "))
            };
            format!(
                "no committed offsets{on}: lag unknown, the gate cannot pass (check the spelling and --topic; {LIST}; or the group has not committed yet)"
            )
        }
        Visibility::Partial => {
            let mut names: Vec<String> = blind
                .iter()
                .take(NAMED_PARTITIONS)
                .map(|p| format!("{}[{}]", p.topic, p.partition))
                .collect();
            if blind.len() > NAMED_PARTITIONS {
                names.push(format!("and {} more", blind.len() - NAMED_PARTITIONS));
            }
            format!(
                "no committed offset on {} partition(s) holding records ({}): lag unknown there, the gate cannot pass (the group never consumed them, or has not committed yet)",
                blind.len(),
                names.join(", ")
            )
        }
    };
    Some(Breach {
        group: g.group.clone(),
        topic: None,
        partition: None,
        check: Check::Unseen,
        value: (!blind.is_empty()).then_some(blind.len() as f64),
        limit: None,
        status: None,
        message,
    })
}

/// " (orders[1], orders[4])": where a group status comes from.
fn partitions_with(g: &GroupLag, status: Status) -> String {
    let names: Vec<String> = g
        .partitions
        .iter()
        .filter(|p| p.status == Some(status))
        .map(|p| format!("{}[{}]", p.topic, p.partition))
        .collect();
    if names.is_empty() {
        String::new()
    } else {
        format!(" on {}", names.join(", "))
    }
}

#[cfg(test)]
mod tests {
    use chrono::{TimeZone, Utc};

    use super::*;
    use crate::lag::model::{group_lag, GroupObservation, PartitionObservation};

    fn group(name: &str, parts: &[(i32, Option<i64>, i64, Option<i64>)]) -> GroupLag {
        let now = Utc.with_ymd_and_hms(2026, 11, 21, 12, 0, 0).unwrap();
        group_lag(
            &GroupObservation {
                group: name.into(),
                state: None,
                members: None,
                found: None,
                partitions: parts
                    .iter()
                    .map(|(p, c, end, age_s)| PartitionObservation {
                        topic: "t".into(),
                        partition: *p,
                        committed: *c,
                        log_start: 0,
                        log_end: *end,
                        next_record_ts_ms: age_s.map(|s| now.timestamp_millis() - s * 1000),
                        nothing_to_read: false,
                    })
                    .collect(),
            },
            now,
            true,
        )
    }

    fn gate() -> Thresholds {
        Thresholds {
            max_lag: Some(100),
            ..Default::default()
        }
    }

    #[test]
    fn a_gate_cannot_pass_on_a_group_or_partition_it_cannot_see() {
        let nothing = group("typo", &[]);
        let b = check(std::slice::from_ref(&nothing), &gate());
        assert_eq!(b.len(), 1);
        assert_eq!(b[0].check, Check::Unseen);
        assert!(
            b[0].line()
                .starts_with("group 'typo': no committed offsets"),
            "{}",
            b[0].line()
        );
        assert!(
            b[0].message.contains("kafkaops lag` without --group"),
            "{}",
            b[0].message
        );
        // Without a gate it is only shown.
        assert!(check(&[nothing], &Thresholds::default()).is_empty());
        // --topic: every partition without a commit.
        let on_topic = group("g", &[(0, None, 5, None), (1, None, 0, None)]);
        let b = check(&[on_topic], &gate());
        assert!(
            b[0].message.contains("no committed offsets on 't'"),
            "{}",
            b[0].message
        );
        // Commits on some partitions: the blind ones holding records are named.
        let partial = group(
            "g",
            &[
                (0, Some(5), 5, None),
                (1, None, 9, None),
                (2, None, 0, None),
            ],
        );
        let b = check(&[partial], &gate());
        assert_eq!(b.len(), 1, "{b:?}");
        assert_eq!(
            b[0].line(),
            "group 'g': no committed offset on 1 partition(s) holding records (t[1]): lag unknown there, the gate cannot pass (the group never consumed them, or has not committed yet)"
        );
        assert_eq!(b[0].value, Some(1.0));
        // Every kind of gate, not only --max-lag.
        let t = Thresholds {
            max_age: Some(Duration::from_secs(60)),
            ..Default::default()
        };
        assert_eq!(check(&[group("x", &[])], &t)[0].check, Check::Unseen);
    }

    #[test]
    fn listed_groups_without_commits_are_not_readers_unless_none_is() {
        let reader = group("reader", &[(0, Some(1), 3, None)]);
        let other = group("other", &[(0, None, 3, None)]);
        let listed = |_: &str| false;
        let b = check_selected(&[reader.clone(), other.clone()], &gate(), listed);
        assert!(b.is_empty(), "{b:?}");
        let b = check_selected(std::slice::from_ref(&other), &gate(), listed);
        assert_eq!(b.len(), 1, "nothing seen at all: {b:?}");
        let b = check_selected(&[reader, other], &gate(), |g| g == "other");
        assert_eq!(b[0].group, "other", "named, so asked for: {b:?}");
    }

    #[test]
    fn many_blind_partitions_are_summarised() {
        let parts: Vec<_> = (0..8)
            .map(|p| (p, if p == 0 { Some(1) } else { None }, 3, None))
            .collect();
        let b = check(&[group("g", &parts)], &gate());
        assert!(b[0].message.contains("7 partition(s)"), "{}", b[0].message);
        assert!(
            b[0].message.contains("t[5], and 2 more"),
            "{}",
            b[0].message
        );
    }

    #[test]
    fn nothing_set_nothing_breached() {
        let g = group("g", &[(0, Some(0), 1_000_000, Some(86_400))]);
        assert!(check(&[g], &Thresholds::default()).is_empty());
        assert!(!Thresholds::default().any());
    }

    #[test]
    fn lag_and_age_breaches_name_the_partition() {
        let g = group(
            "g",
            &[
                (0, Some(0), 100, Some(30)),
                (1, Some(0), 50, Some(700)),
                (2, None, 900, None),
            ],
        );
        let t = Thresholds {
            max_lag: Some(60),
            max_age: Some(Duration::from_secs(600)),
            ..Default::default()
        };
        let (unseen, b): (Vec<Breach>, Vec<Breach>) = check(&[g], &t)
            .into_iter()
            .partition(|b| b.check == Check::Unseen);
        assert_eq!(unseen.len(), 1, "p2 holds records and has no commit");
        assert_eq!(b.len(), 2, "{b:?}");
        assert_eq!(
            (b[0].check, b[0].partition, b[0].value),
            (Check::Lag, Some(0), Some(100.0))
        );
        assert_eq!(b[0].line(), "group 'g' t[0]: lag 100 > --max-lag 60");
        assert_eq!(
            (b[1].check, b[1].partition, b[1].value),
            (Check::EventAge, Some(1), Some(700.0))
        );
        assert_eq!(
            b[1].line(),
            "group 'g' t[1]: event age 11m40s > --max-age 10m"
        );
    }

    #[test]
    fn limits_are_inclusive() {
        let g = group("g", &[(0, Some(0), 100, Some(600))]);
        let t = Thresholds {
            max_lag: Some(100),
            max_total_lag: Some(100),
            max_age: Some(Duration::from_secs(600)),
            ..Default::default()
        };
        assert!(check(&[g], &t).is_empty());
    }

    #[test]
    fn total_lag_and_status() {
        let mut g = group("g", &[(0, Some(0), 100, None), (1, Some(0), 100, None)]);
        g.status = Some(Status::Warn);
        g.partitions[1].status = Some(Status::Warn);
        let t = Thresholds {
            max_total_lag: Some(150),
            fail_on: Some(Severity::Err),
            ..Default::default()
        };
        let b = check(std::slice::from_ref(&g), &t);
        assert_eq!(b.len(), 1);
        assert_eq!(
            b[0].line(),
            "group 'g': total lag 200 > --max-total-lag 150"
        );
        let t = Thresholds {
            fail_on: Some(Severity::Warn),
            ..Default::default()
        };
        let b = check(&[g], &t);
        assert_eq!(b[0].status, Some(Status::Warn));
        assert_eq!(b[0].line(), "group 'g': status WARN on t[1]");
    }
}
