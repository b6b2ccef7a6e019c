//! What must hold before a group's offsets are moved: the group has no live
//! members (asked at plan time and again right before the commit), a forward
//! move was allowed explicitly, the records to reprocess stay under the
//! ceiling, and the committed offsets are still the ones the plan was made from.
//! The checks over plain data are pure; [`activity`] asks the broker.

use crate::error::{Error, Result};
use crate::kafka::Op;
use crate::kafka::{AdminError, ClosingConsumer, Committed, Kafka};

use super::plan::RewindPlan;

/// Whether the group has members, as DescribeGroups tells.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Activity {
    /// No members (Empty, or a group the coordinator does not know).
    Inactive,
    Active {
        members: u32,
        state: Option<String>,
    },
    /// The broker cannot describe groups (the librdkafka mock cluster, Tansu).
    Unknown {
        why: String,
    },
}

/// Describe `group` on the broker.
pub fn activity(kafka: &Kafka, admin: &ClosingConsumer, group: &str) -> Result<Activity> {
    let described = match kafka.describe_groups(admin, &[group.to_string()], 1) {
        Ok(d) => d,
        Err(e) => {
            return no_verdict(&e).ok_or_else(|| {
                kafka.classify_admin(
                    &e,
                    Op::Describe,
                    &format!("describe consumer group '{group}'"),
                    admin,
                )
            })
        }
    };
    match described
        .into_iter()
        .find(|(g, _)| g == group)
        .map(|(_, r)| r)
    {
        Some(Ok(d)) if d.members > 0 => Ok(Activity::Active {
            members: d.members,
            state: d.state,
        }),
        Some(Ok(_)) => Ok(Activity::Inactive),
        Some(Err(e)) if e.is_unknown_group() => Ok(Activity::Inactive),
        Some(Err(e)) => no_verdict(&e).ok_or_else(|| {
            kafka.classify_admin(
                &e,
                Op::Describe,
                &format!("describe consumer group '{group}'"),
                admin,
            )
        }),
        None => Ok(Activity::Unknown {
            why: "the broker answered DescribeGroups without the group".into(),
        }),
    }
}

/// A DescribeGroups failure that says the broker cannot describe groups: no
/// verdict either way, so the operator's word is required (and a real broker
/// still refuses the commit to a group that is not empty).
fn no_verdict(e: &AdminError) -> Option<Activity> {
    if e.is_unsupported() {
        return Some(Activity::Unknown { why: e.to_string() });
    }
    // Tansu drops the connection on DescribeGroups, which it lacks.
    e.is_dropped_connection().then(|| Activity::Unknown {
        why: format!("the broker dropped the connection: {e}"),
    })
}

/// Refuse unless the group is known to be inactive, or the operator says so.
/// Returns a note to show when the operator's word was taken.
pub fn check_inactive(group: &str, a: &Activity, assume_inactive: bool) -> Result<Option<String>> {
    match a {
        Activity::Inactive => Ok(None),
        Activity::Active { members, state } => Err(Error::usage_hint(
            format!(
                "refusing to move the offsets of consumer group '{group}': it has {members} live member(s){}; consumers would overwrite the new offsets with their next commit",
                state.as_deref().map(|s| format!(" (state {s})")).unwrap_or_default()
            ),
            format!("stop every consumer of group '{group}' first (scale it to zero), then run this again"),
        )),
        Activity::Unknown { why } if assume_inactive => Ok(Some(format!(
            "the broker cannot tell whether group '{group}' is empty ({why}); going ahead on --assume-inactive"
        ))),
        Activity::Unknown { why } => Err(Error::usage_hint(
            format!("refusing to move the offsets of consumer group '{group}': the broker cannot tell whether the group has live members (DescribeGroups: {why})"),
            format!("make sure every consumer of '{group}' is stopped, then pass --assume-inactive"),
        )),
    }
}

/// A forward move skips records for good: it needs `--allow-forward`.
pub fn check_forward(plan: &RewindPlan) -> Result<()> {
    let forward: Vec<_> = plan.moves.iter().filter(|m| m.is_forward()).collect();
    if forward.is_empty() || plan.guards.allow_forward {
        return Ok(());
    }
    let skip: u64 = forward.iter().map(|m| m.skip).sum();
    Err(Error::usage_hint(
        format!(
            "the target is after the committed offset on {}: group '{}' would never process {skip} record(s)",
            forward.iter().map(|m| m.label()).collect::<Vec<_>>().join(", "),
            plan.group
        ),
        "to skip them on purpose, pass --allow-forward; to reprocess, choose an earlier target",
    ))
}

/// `--max-records` bounds the records to reprocess.
pub fn check_ceiling(reprocess: u64, max_records: u64) -> Result<()> {
    if reprocess <= max_records {
        return Ok(());
    }
    Err(Error::usage_hint(
        format!("the rewind makes the group reprocess {reprocess} records, above the --max-records ceiling of {max_records}"),
        format!("choose a later target, fewer partitions, or raise the ceiling with --max-records {reprocess}"),
    ))
}

/// The committed offsets must still be the ones the plan moves from: a group
/// that consumed since would lose or repeat what it did in between.
pub fn check_unchanged(plan: &RewindPlan, now: &[Committed]) -> Result<()> {
    let changed: Vec<String> = plan
        .moves
        .iter()
        .filter_map(|m| {
            let cur = now
                .iter()
                .find(|c| c.topic == m.topic && c.partition == m.partition)
                .and_then(|c| c.offset);
            (cur != m.committed)
                .then(|| format!("{} {} -> {}", m.label(), show(m.committed), show(cur)))
        })
        .collect();
    if changed.is_empty() {
        return Ok(());
    }
    Err(Error::usage_hint(
        format!(
            "the committed offsets of group '{}' changed since the plan was made ({}); nothing was changed",
            plan.group,
            changed.join(", ")
        ),
        "a consumer of the group is running or ran since: stop it, then plan again",
    ))
}

pub fn show(o: Option<i64>) -> String {
    o.map_or_else(|| "none".into(), |o| o.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::replay::rewind::plan::tests::plan;

    #[test]
    fn live_members_and_unknown_activity_are_refused() {
        let e = check_inactive(
            "g",
            &Activity::Active {
                members: 2,
                state: Some("Stable".into()),
            },
            true,
        )
        .unwrap_err();
        assert!(e.to_string().contains("2 live member(s)"), "{e}");
        assert!(e.hint().unwrap().contains("stop every consumer"));
        let unknown = Activity::Unknown { why: "x".into() };
        let e = check_inactive("g", &unknown, false).unwrap_err();
        assert!(e.hint().unwrap().contains("--assume-inactive"), "{e}");
        assert!(check_inactive("g", &unknown, true).unwrap().is_some());
        assert_eq!(
            check_inactive("g", &Activity::Inactive, false).unwrap(),
            None
        );
    }

    #[test]
    fn forward_needs_the_flag_and_the_ceiling_holds() {
        let mut p = plan();
        check_forward(&p).unwrap();
        p.moves[0].target = 45;
        p.moves[0].skip = 5;
        let e = check_forward(&p).unwrap_err();
        assert!(e.to_string().contains("never process 5 record(s)"), "{e}");
        p.guards.allow_forward = true;
        check_forward(&p).unwrap();
        check_ceiling(30, 30).unwrap();
        assert!(check_ceiling(31, 30)
            .unwrap_err()
            .hint()
            .unwrap()
            .contains("--max-records 31"));
    }

    #[test]
    fn a_moved_group_is_refused() {
        let p = plan();
        let at = |o: Option<i64>| Committed {
            topic: "orders".into(),
            partition: 0,
            offset: o,
            error: None,
        };
        check_unchanged(&p, &[at(Some(40))]).unwrap();
        let e = check_unchanged(&p, &[at(Some(44))]).unwrap_err();
        assert!(e.to_string().contains("orders[0] 40 -> 44"), "{e}");
    }
}
