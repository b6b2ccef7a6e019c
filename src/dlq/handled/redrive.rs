//! The mark a completed replay of a DLQ category leaves in its "finished"
//! audit event: every record of the category in the plan's ranges was
//! delivered, so those ranges are `redriven`. Replays that did not deliver the
//! whole category in their ranges (a key filter, records skipped for their
//! timestamps, records held back by the redrive loop guard, a `dlq export` file
//! as the source) mark nothing: their records stay open until `dlq mark` says
//! otherwise.

use super::{Disposition, HandledMark, MarkedCategory, MarkedRange};
use crate::replay::state::ReplayState;

/// The mark for a replay that has just completed, if it redrove a category.
pub fn mark_for(st: &ReplayState) -> Option<HandledMark> {
    let sel = &st.plan.selection;
    let category = sel.dlq_category.as_ref()?;
    let topic = sel.source_topic()?;
    let whole_category = sel.keys.is_empty()
        && st.plan.skipped_outside_window == 0
        && st.counts.skipped_outside_window == 0
        && st.counts.skipped_redriven == 0
        && st.plan.held_back.as_ref().is_none_or(|h| h.records == 0);
    if !whole_category {
        return None;
    }
    Some(HandledMark {
        topic: topic.to_string(),
        disposition: Disposition::Redriven,
        categories: vec![MarkedCategory {
            id: category.clone(),
            records: st.counts.sent,
        }],
        ranges: st
            .plan
            .ranges
            .iter()
            .filter(|r| r.end > r.start)
            .map(|r| MarkedRange {
                partition: r.partition,
                from: r.start,
                up_to: r.end,
            })
            .collect(),
        records: st.counts.sent,
        group_by: sel.dlq_group_by.clone(),
    })
}
