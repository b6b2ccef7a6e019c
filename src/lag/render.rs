//! Rendering of a lag report: the typed JSON / JSON Lines contract, the tables
//! for people (a summary row per group, then the partitions worth looking at), and
//! the `--watch` frame with consumption rate and time to catch up.

use std::time::Duration;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use super::check::Breach;
use super::model::{GroupLag, Hottest, PartitionLag, Visibility};
use super::trend::{Severity, Status};
use crate::output::{Cell, Column, Output, Style, Table};
use crate::timespec::format_age;

/// `-o json`: one document.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Report {
    pub generated_at: DateTime<Utc>,
    /// Snapshots taken (`--samples`).
    pub samples: u32,
    /// Seconds between snapshots, when more than one was taken.
    pub interval_seconds: Option<f64>,
    pub groups: Vec<GroupLag>,
    pub breaches: Vec<Breach>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub notes: Vec<String>,
}

/// `-o jsonl`: one line per group summary, per partition, and per breach.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Line {
    Group(GroupLine),
    Partition(PartitionLine),
    Breach(Breach),
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct GroupLine {
    pub generated_at: DateTime<Utc>,
    pub group: String,
    pub state: Option<String>,
    pub members: Option<u32>,
    pub status: Option<Status>,
    pub total_lag: Option<i64>,
    pub visibility: Visibility,
    pub max_event_age_seconds: Option<f64>,
    pub partition_count: usize,
    pub lagging_partitions: usize,
    pub no_commit_partitions: usize,
    pub hottest: Option<Hottest>,
    pub lag_skew: Option<f64>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub notes: Vec<String>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct PartitionLine {
    pub generated_at: DateTime<Utc>,
    pub group: String,
    #[serde(flatten)]
    pub partition: PartitionLag,
}

/// The JSON Lines records of a report, group line first, then its partitions.
pub fn lines(report: &Report) -> Vec<Line> {
    let mut out = Vec::new();
    for g in &report.groups {
        out.push(Line::Group(GroupLine {
            generated_at: report.generated_at,
            group: g.group.clone(),
            state: g.state.clone(),
            members: g.members,
            status: g.status,
            total_lag: g.total_lag,
            visibility: g.visibility,
            max_event_age_seconds: g.max_event_age_seconds,
            partition_count: g.partition_count,
            lagging_partitions: g.lagging_partitions,
            no_commit_partitions: g.no_commit_partitions,
            hottest: g.hottest.clone(),
            lag_skew: g.lag_skew,
            notes: g.notes.clone(),
        }));
        for p in &g.partitions {
            out.push(Line::Partition(PartitionLine {
                generated_at: report.generated_at,
                group: g.group.clone(),
                partition: p.clone(),
            }));
        }
    }
    out.extend(report.breaches.iter().cloned().map(Line::Breach));
    out
}

/// Up to this many partition rows are shown in full; beyond it only the ones worth
/// a look (lagging, no commit, noted, not OK).
const FULL_DETAIL_ROWS: usize = 100;

fn interesting(p: &PartitionLag) -> bool {
    p.lag != Some(0) || !p.notes.is_empty() || p.status.is_some_and(|s| s != Status::Ok)
}

pub fn age_text(age: Option<f64>) -> String {
    match age {
        None => "?".into(),
        Some(a) if a <= 0.0 => "0s".into(),
        Some(a) => format_age(Duration::from_secs_f64(a)),
    }
}

fn status_cell(s: Option<Status>) -> Cell {
    match s {
        None => Cell::new("-"),
        Some(s) => {
            let style = match s.severity() {
                Severity::Ok => Style::Green,
                Severity::Warn => Style::Yellow,
                Severity::Err => Style::Red,
            };
            Cell::new(s.as_str()).style(style)
        }
    }
}

fn opt<T: ToString>(v: Option<T>) -> String {
    v.map_or_else(|| "-".into(), |v| v.to_string())
}

/// The summary table: one row per group.
pub fn summary_table(out: &Output, groups: &[GroupLag], with_status: bool) -> Table {
    let mut header = vec![
        Column::whole("GROUP"),
        Column::whole("STATE").useful(),
        Column::number("MEMBERS").detail(),
    ];
    if with_status {
        header.push(Column::whole("STATUS"));
    }
    header.extend([
        Column::number("TOTAL LAG"),
        Column::number("MAX AGE"),
        Column::number("LAGGING").useful(),
        Column::number("NO COMMIT").detail(),
        Column::whole("HOTTEST").useful(),
        Column::number("SKEW").detail(),
    ]);
    let mut t = out.table(header);
    for g in groups {
        let mut row = vec![
            Cell::new(&g.group),
            Cell::new(g.state.as_deref().unwrap_or("?")),
            Cell::new(g.members.map_or_else(|| "?".into(), |m| m.to_string())),
        ];
        if with_status {
            row.push(status_cell(g.status));
        }
        let max_age = if g.partition_count == g.no_commit_partitions {
            "-".to_string()
        } else {
            age_text(g.max_event_age_seconds)
        };
        row.extend([
            // A group it cannot see shows why, never a 0 that reads as caught up.
            Cell::new(match (g.total_lag, g.visibility) {
                (Some(total), _) => total.to_string(),
                (None, v) => v.as_str().to_string(),
            }),
            Cell::new(max_age),
            Cell::new(format!("{}/{}", g.lagging_partitions, g.partition_count)),
            Cell::new(g.no_commit_partitions.to_string()),
            Cell::new(g.hottest.as_ref().map_or_else(
                || "-".into(),
                |h| format!("{}[{}] {}", h.topic, h.partition, h.lag),
            )),
            Cell::new(opt(g.lag_skew.map(|s| format!("{s:.1}x")))),
        ]);
        t.add_row(row);
    }
    t
}

/// The partition table; `pace` adds RATE and ETA (watch and samples).
pub fn partition_table(
    out: &Output,
    groups: &[GroupLag],
    with_status: bool,
    pace: bool,
) -> (Table, usize) {
    let total: usize = groups.iter().map(|g| g.partitions.len()).sum();
    let all = total <= FULL_DETAIL_ROWS;
    // With one group, the summary above names it: its column may give way.
    let group = match groups.len() {
        1 => Column::whole("GROUP").detail(),
        _ => Column::whole("GROUP"),
    };
    let mut header = vec![
        group,
        Column::whole("TOPIC"),
        Column::number("PARTITION"),
        Column::number("COMMITTED").useful(),
        Column::number("LOG START").detail(),
        Column::number("LOG END").useful(),
        Column::number("LAG"),
        Column::number("EVENT AGE"),
    ];
    if with_status {
        header.push(Column::whole("STATUS"));
    }
    if pace {
        header.extend([
            Column::number("RATE").useful(),
            Column::number("ETA").useful(),
        ]);
    }
    let mut t = out.table(header);
    let mut hidden = 0;
    for g in groups {
        for p in &g.partitions {
            if !all && !interesting(p) {
                hidden += 1;
                continue;
            }
            let (committed, lag) = match (p.committed_offset, p.lag) {
                (Some(c), Some(l)) => (c.to_string(), l.to_string()),
                _ => ("-".to_string(), "no commit".to_string()),
            };
            let age = if p.lag.is_none() {
                "-".to_string()
            } else {
                age_text(p.event_age_seconds)
            };
            let mut row = vec![
                Cell::new(&g.group),
                Cell::new(&p.topic),
                Cell::new(p.partition.to_string()),
                Cell::new(committed),
                Cell::new(p.log_start_offset.to_string()),
                Cell::new(p.log_end_offset.to_string()),
                Cell::new(lag),
                Cell::new(age),
            ];
            if with_status {
                row.push(status_cell(p.status));
            }
            if pace {
                row.push(Cell::new(opt(p.consume_rate.map(|r| format!("{r:.1}/s")))));
                let eta = match (p.lag, p.catch_up_seconds) {
                    (None, _) => "-".to_string(),
                    (Some(0), _) => "caught up".to_string(),
                    (Some(_), Some(s)) => format_age(Duration::from_secs_f64(s)),
                    (Some(_), None) => "not catching up".to_string(),
                };
                row.push(Cell::new(eta));
            }
            t.add_row(row);
        }
    }
    (t, hidden)
}

/// Everything a person sees for one report (or one `--watch` frame).
pub fn tables_text(out: &Output, groups: &[GroupLag], with_status: bool, pace: bool) -> String {
    let summary = summary_table(out, groups, with_status).render();
    let mut s = summary.text.clone();
    let mut notes: Vec<String> = summary.note().into_iter().collect();
    let (t, hidden) = partition_table(out, groups, with_status, pace);
    if t.row_count() > 0 {
        let partitions = t.render();
        s.push('\n');
        s.push_str(&partitions.text);
        notes.extend(partitions.note().filter(|n| !notes.contains(n)));
    }
    // Footers in the text itself: a `--watch` frame is redrawn whole.
    for n in notes {
        s.push_str(&format!("({n})\n"));
    }
    if hidden > 0 {
        s.push_str(&format!(
            "({hidden} caught-up partitions not shown; -o json lists every partition)\n"
        ));
    }
    s
}

#[cfg(test)]
mod tests {
    use chrono::TimeZone;

    use super::*;
    use crate::lag::model::{group_lag, GroupObservation, PartitionObservation};
    use crate::output::{ColorChoice, OutputFormat};

    fn report() -> Report {
        let now = Utc.with_ymd_and_hms(2026, 11, 21, 12, 0, 0).unwrap();
        let g = group_lag(
            &GroupObservation {
                group: "billing".into(),
                state: None,
                members: None,
                found: None,
                partitions: vec![
                    PartitionObservation {
                        topic: "orders".into(),
                        partition: 0,
                        committed: Some(40),
                        log_start: 0,
                        log_end: 100,
                        next_record_ts_ms: Some(now.timestamp_millis() - 125_000),
                        nothing_to_read: false,
                    },
                    PartitionObservation {
                        topic: "orders".into(),
                        partition: 1,
                        committed: None,
                        log_start: 0,
                        log_end: 7,
                        next_record_ts_ms: None,
                        nothing_to_read: false,
                    },
                ],
            },
            now,
            true,
        );
        Report {
            generated_at: now,
            samples: 1,
            interval_seconds: None,
            groups: vec![g],
            breaches: vec![],
            notes: vec![],
        }
    }

    #[test]
    fn json_round_trips() {
        let r = report();
        let text = serde_json::to_string(&r).unwrap();
        let back: Report = serde_json::from_str(&text).unwrap();
        assert_eq!(back, r);
        let v: serde_json::Value = serde_json::from_str(&text).unwrap();
        assert_eq!(
            v["groups"][0]["partitions"][1]["committed_offset"],
            serde_json::Value::Null
        );
        assert_eq!(v["groups"][0]["partitions"][0]["lag"], 60);
        assert_eq!(v["groups"][0]["partitions"][0]["event_age_seconds"], 125.0);
    }

    #[test]
    fn jsonl_lines_are_tagged() {
        let r = report();
        let ls = lines(&r);
        assert_eq!(ls.len(), 3);
        let first = serde_json::to_value(&ls[0]).unwrap();
        assert_eq!(first["kind"], "group");
        assert_eq!(first["total_lag"], 60);
        let second = serde_json::to_value(&ls[1]).unwrap();
        assert_eq!(second["kind"], "partition");
        assert_eq!(second["group"], "billing");
        assert_eq!(second["lag"], 60);
        let back: Line = serde_json::from_value(second).unwrap();
        assert_eq!(back, ls[1]);
    }

    #[test]
    fn tables_show_no_commit_and_ages() {
        let out = Output::new(OutputFormat::Table, ColorChoice::Never);
        let text = tables_text(&out, &report().groups, false, true);
        assert!(text.contains("no commit"), "{text}");
        assert!(text.contains("2m05s"), "{text}");
        assert!(text.contains("orders[0] 60"), "{text}");
        assert!(text.contains("not catching up"), "{text}");
    }
}
