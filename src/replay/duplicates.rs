//! The guard against accidental second copies. Before a replay sends anything,
//! it looks for earlier replays of the same records: in this machine's replay
//! states (the same plan, or one with the same source, filters and destination
//! whose ranges overlap), and in the destination itself (records whose provenance
//! headers name the same source records, whoever wrote them). Either refuses the
//! run, pointing at `replay resume` or `drill --verify`, unless the operator asks
//! for a second copy with `--allow-duplicate`; `replay plan` and `--dry-run` show
//! the same finding as a warning.

use std::collections::BTreeMap;

use super::plan::Plan;
use super::selection::{Selection, Source};
use super::state::{Phase, ReplayState};
use crate::error::Error;

/// The flag that allows a second copy.
pub const ALLOW_FLAG: &str = "--allow-duplicate";

/// An earlier replay of (some of) the same records.
#[derive(Clone, Debug, PartialEq)]
pub struct Earlier {
    pub id: String,
    /// `None` when only the destination knows it (another machine's replay).
    pub phase: Option<Phase>,
    pub sent: Option<u64>,
    pub planned: Option<u64>,
    /// Process id of an attempt still running.
    pub running_pid: Option<u32>,
    /// What the replay states say, if anything.
    pub known: Option<Known>,
    /// This many of the plan's records are in the destination with its id.
    pub in_destination: Option<u64>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Known {
    /// The very same plan (same hash).
    SamePlan,
    /// Same source, filters and destination, overlapping ranges.
    Overlap,
}

/// What is compared to decide two plans replay the same records: the selection
/// without what only shapes the ranges (window, partitions, offsets, which the
/// ranges themselves stand for) or the copy (timestamps), and a file by content.
fn scope(plan: &Plan) -> (Selection, Option<&str>) {
    let mut s = plan.selection.clone();
    s.from = None;
    s.until = None;
    s.partitions = None;
    s.offsets = Vec::new();
    s.keep_timestamps = true;
    s.into_source = false;
    if plan.source_file_sha256.is_some() {
        s.source = Source::File {
            path: Default::default(),
        };
    }
    (s, plan.source_file_sha256.as_deref())
}

fn ranges_overlap(a: &Plan, b: &Plan) -> bool {
    a.ranges.iter().any(|x| {
        x.records > 0
            && b.ranges.iter().any(|y| {
                y.records > 0 && x.partition == y.partition && x.start < y.end && y.start < x.end
            })
    })
}

/// Earlier replays in `states` that replayed, or are replaying, records of
/// `plan`; most recent first. Replays that never started sending (aborted at
/// the prompt, or only planned) produced nothing and do not count.
pub fn in_states(plan: &Plan, states: &[ReplayState], alive: &dyn Fn(u32) -> bool) -> Vec<Earlier> {
    let mine = scope(plan);
    let mut out: Vec<Earlier> = states
        .iter()
        .filter(|s| !matches!(s.phase, Phase::Planned | Phase::Aborted))
        .filter_map(|s| {
            let known = if s.plan.hash == plan.hash {
                Known::SamePlan
            } else if scope(&s.plan) == mine && ranges_overlap(&s.plan, plan) {
                Known::Overlap
            } else {
                return None;
            };
            Some(Earlier {
                id: s.id.clone(),
                phase: Some(s.observed_phase(alive)),
                sent: Some(s.counts.sent),
                planned: Some(s.plan.records),
                running_pid: s.pid.filter(|p| s.phase == Phase::Running && alive(*p)),
                known: Some(known),
                in_destination: None,
            })
        })
        .collect();
    out.reverse();
    out
}

/// Add what the destination holds (replay id -> records of this plan) to what
/// the states said; a replay known to both keeps its state and gains the count.
pub fn with_destination(
    mut earlier: Vec<Earlier>,
    found: &BTreeMap<String, u64>,
    states: &[ReplayState],
    alive: &dyn Fn(u32) -> bool,
) -> Vec<Earlier> {
    for (id, n) in found {
        if let Some(e) = earlier.iter_mut().find(|e| &e.id == id) {
            e.in_destination = Some(*n);
            continue;
        }
        let st = states.iter().find(|s| &s.id == id);
        earlier.push(Earlier {
            id: id.clone(),
            phase: st.map(|s| s.observed_phase(alive)),
            sent: st.map(|s| s.counts.sent),
            planned: st.map(|s| s.plan.records),
            running_pid: None,
            known: None,
            in_destination: Some(*n),
        });
    }
    earlier
}

fn describe(e: &Earlier, destination: &str) -> String {
    let state = match (e.phase, e.sent, e.planned) {
        (Some(p), Some(s), Some(n)) => format!("{}, {s} of {n} records sent", p.name()),
        _ => "not in this machine's replay states".into(),
    };
    let held = |n: u64| format!("'{destination}' already holds {n} of these records");
    match (e.known, e.in_destination) {
        (Some(k), n) => {
            let what = match k {
                Known::SamePlan => "ran this same plan",
                Known::Overlap => {
                    "replayed an overlapping selection of the same records to the same destination"
                }
            };
            let n = n
                .map(|n| format!("; {} from it", held(n)))
                .unwrap_or_default();
            format!("replay {} {what} ({state}){n}", e.id)
        }
        (None, n) => format!(
            "{} written by replay {} ({state})",
            held(n.unwrap_or_default()),
            e.id
        ),
    }
}

/// What to do about the first earlier replay: continue it, check it, or wait.
fn next_step(e: &Earlier) -> String {
    match (e.phase, e.running_pid) {
        (_, Some(pid)) => format!("it is still running (process {pid}): wait for it"),
        (Some(Phase::Interrupted | Phase::Failed | Phase::Running), _) => format!(
            "continue it with `kafkaops replay resume {}` (nothing is sent twice)",
            e.id
        ),
        _ => format!(
            "check what it delivered with `kafkaops drill --verify {}`",
            e.id
        ),
    }
}

/// One sentence per earlier replay, most relevant first.
pub fn summary(earlier: &[Earlier], destination: &str) -> String {
    let mut parts: Vec<String> = earlier
        .iter()
        .take(3)
        .map(|e| describe(e, destination))
        .collect();
    if earlier.len() > 3 {
        parts.push(format!("and {} more", earlier.len() - 3));
    }
    parts.join("; ")
}

/// The refusal of a run that would copy records a second time.
pub fn refusal(earlier: &[Earlier], destination: &str) -> Error {
    let first = &earlier[0];
    Error::usage_hint(
        format!(
            "refusing to replay records a second time: {}; nothing was produced or recorded",
            summary(earlier, destination)
        ),
        format!(
            "{}; to send a second copy on purpose, add {ALLOW_FLAG}",
            next_step(first)
        ),
    )
}

/// The warning `replay plan` and `--dry-run` show instead of refusing.
pub fn warning(earlier: &[Earlier], destination: &str) -> String {
    format!(
        "{}; `replay run` will refuse this plan unless given {ALLOW_FLAG} ({})",
        summary(earlier, destination),
        next_step(&earlier[0])
    )
}

/// The reason recorded in the audit log for an allowed second copy.
pub fn audited_reason(reason: &str, earlier: &[Earlier]) -> String {
    let ids: Vec<&str> = earlier.iter().map(|e| e.id.as_str()).collect();
    format!(
        "{reason} [{ALLOW_FLAG}: a second copy of records replayed by {}]",
        ids.join(", ")
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::replay::plan::tests::plan;
    use crate::replay::state::Counts;

    fn state(id: &str, phase: Phase, p: Plan) -> ReplayState {
        let now = chrono::Utc::now();
        ReplayState {
            id: id.into(),
            phase,
            owner: "o".into(),
            reason: "r".into(),
            ticket: None,
            rate: p.rate,
            plan: p,
            audit_log: "/a".into(),
            audit_topic: None,
            created_at: now,
            updated_at: now,
            finished_at: None,
            pid: Some(4242),
            attempts: 1,
            active_secs: 1.0,
            checkpoint: Default::default(),
            dest_start: vec![],
            counts: Counts {
                sent: 7,
                ..Counts::default()
            },
            sent_before_attempt: 0,
            duplicate_of: vec![],
            skip_oversized: false,
            error: None,
        }
    }

    fn dead(_: u32) -> bool {
        false
    }

    #[test]
    fn the_same_plan_and_overlapping_plans_are_found_and_others_are_not() {
        let p = plan();
        // Re-planned later: another hash, the same records.
        let mut again = p.clone();
        again.created_at += chrono::Duration::minutes(5);
        let again = again.seal();
        assert_ne!(again.hash, p.hash);
        // Disjoint offsets of the same source: not a duplicate.
        let mut later = p.clone();
        later.ranges[0].start = 20;
        later.ranges[0].end = 30;
        let later = later.seal();
        // Another key filter over the same range: other records.
        let mut other_keys = p.clone();
        other_keys.selection.keys.prefix = Some(crate::replay::keys::Key::parse("k").unwrap());
        let other_keys = other_keys.seal();
        let states = vec![
            state("rp-1", Phase::Completed, p.clone()),
            state("rp-2", Phase::Running, again.clone()),
            state("rp-3", Phase::Completed, later),
            state("rp-4", Phase::Aborted, p.clone()),
            state("rp-5", Phase::Completed, other_keys),
        ];
        let found = in_states(&p, &states, &dead);
        let ids: Vec<&str> = found.iter().map(|e| e.id.as_str()).collect();
        assert_eq!(ids, ["rp-2", "rp-1"]);
        assert_eq!(found[1].known, Some(Known::SamePlan));
        assert_eq!(found[0].known, Some(Known::Overlap));
        // A running replay whose process is gone is interrupted: resume it.
        assert_eq!(found[0].phase, Some(Phase::Interrupted));
        let e = refusal(&found, "orders-replay");
        assert_eq!(e.exit_code().code(), 2);
        assert!(
            e.to_string().contains("rp-2") && e.to_string().contains("interrupted, 7 of 10"),
            "{e}"
        );
        assert!(
            e.hint().unwrap().contains("kafkaops replay resume rp-2"),
            "{e:?}"
        );
        assert!(e.hint().unwrap().contains(ALLOW_FLAG));
        // A live one is waited for.
        let live = in_states(&p, &states, &|pid| pid == 4242);
        assert!(refusal(&live, "d")
            .hint()
            .unwrap()
            .contains("still running (process 4242)"));
        // A completed one is verified.
        let done = in_states(&p, &states[..1], &dead);
        let e = refusal(&done, "d");
        assert!(
            e.hint().unwrap().contains("kafkaops drill --verify rp-1"),
            "{e:?}"
        );
        assert!(
            e.to_string()
                .contains("ran this same plan (completed, 7 of 10 records sent)"),
            "{e}"
        );
    }

    #[test]
    fn the_destination_adds_replays_the_states_do_not_know() {
        let p = plan();
        let states = vec![state("rp-1", Phase::Completed, p.clone())];
        let found: BTreeMap<String, u64> =
            [("rp-1".to_string(), 10), ("rp-x".to_string(), 4)].into();
        let all = with_destination(in_states(&p, &states, &dead), &found, &states, &dead);
        assert_eq!(all.len(), 2);
        assert_eq!(all[0].in_destination, Some(10));
        assert_eq!(all[1].phase, None);
        assert!(summary(&all, "dst").starts_with(
            "replay rp-1 ran this same plan (completed, 7 of 10 records sent); 'dst' already holds 10 of these records from it"
        ), "{}", summary(&all, "dst"));
        let w = warning(&all, "dst");
        assert!(w.contains("'dst' already holds 4 of these records written by replay rp-x (not in this machine's replay states)"), "{w}");
        assert!(w.contains(ALLOW_FLAG));
        assert_eq!(
            audited_reason("again", &all),
            "again [--allow-duplicate: a second copy of records replayed by rp-1, rp-x]"
        );
    }
}
