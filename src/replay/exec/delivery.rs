//! Delivery tracking: which records handed to the producer are acknowledged, per
//! source partition, and the checkpoint that follows from it (never past an
//! unacknowledged record). The producer's delivery callback only appends to an
//! [`Inbox`]; the replay loop absorbs it into its [`Tracker`].

use std::collections::{BTreeMap, VecDeque};
use std::sync::Mutex;

use crate::kafka::{Delivery, DeliverySink};

/// Records handed to the producer and not yet acknowledged, of one source
/// partition, in the order they were sent (which is offset order: a partition is
/// read in order). Acknowledgements may arrive out of order when the records go
/// to several destination partitions; the lowest unacknowledged offset is the
/// front once acknowledged records are popped.
#[derive(Clone, Debug, Default)]
pub(super) struct InFlight {
    sent: VecDeque<(i64, bool)>,
    waiting: usize,
}

impl InFlight {
    pub(super) fn push(&mut self, offset: i64) {
        self.sent.push_back((offset, false));
        self.waiting += 1;
    }

    fn ack(&mut self, offset: i64) {
        if let Ok(i) = self.sent.binary_search_by_key(&offset, |(o, _)| *o) {
            if !self.sent[i].1 {
                self.sent[i].1 = true;
                self.waiting -= 1;
            }
        }
        while self.sent.front().is_some_and(|(_, acked)| *acked) {
            self.sent.pop_front();
        }
    }

    fn lowest(&self) -> Option<i64> {
        self.sent.front().map(|(o, _)| *o)
    }

    fn is_empty(&self) -> bool {
        self.waiting == 0
    }
}

/// What the delivery callback hands to the replay loop: acknowledged source
/// positions since the loop last looked, and the first delivery failure. The
/// callback only appends; the loop takes the whole batch under one lock.
#[derive(Default)]
pub(super) struct Inbox {
    acked: Vec<(i32, i64)>,
    failure: Option<String>,
    too_large: bool,
}

/// Acknowledgements as the replay loop sees them (owned by the loop).
#[derive(Default)]
pub(super) struct Tracker {
    /// Sent, not yet acknowledged, per source partition.
    pub(super) pending: BTreeMap<i32, InFlight>,
    pub(super) acked: u64,
    pub(super) failure: Option<String>,
    /// The failure was a record (or batch) above a size limit.
    pub(super) too_large: bool,
    /// The emptied batch, kept for its capacity.
    spare: Vec<(i32, i64)>,
}

impl Tracker {
    /// Apply what the delivery callback reported since the last call.
    pub(super) fn absorb(&mut self, inbox: &Mutex<Inbox>) {
        {
            let mut i = inbox.lock().expect("inbox lock");
            std::mem::swap(&mut i.acked, &mut self.spare);
            if self.failure.is_none() {
                self.failure.clone_from(&i.failure);
                self.too_large = i.too_large;
            }
        }
        for (p, o) in self.spare.drain(..) {
            if let Some(s) = self.pending.get_mut(&p) {
                s.ack(o);
            }
            self.acked += 1;
        }
    }

    /// `read_next`: per source partition, the offset after the last record handled
    /// (sent or skipped).
    pub(super) fn checkpoint(
        &self,
        read_next: &BTreeMap<i32, i64>,
        base: &BTreeMap<i32, i64>,
    ) -> BTreeMap<i32, i64> {
        let mut cp = base.clone();
        for (p, next) in read_next {
            let low = self
                .pending
                .get(p)
                .and_then(InFlight::lowest)
                .unwrap_or(*next);
            let e = cp.entry(*p).or_insert(low);
            *e = (*e).max(low.min(*next));
        }
        cp
    }

    pub(super) fn any_pending(&self) -> bool {
        self.pending.values().any(|f| !f.is_empty())
    }
}

/// The producer's delivery reports land in the inbox, under its lock.
impl DeliverySink for Mutex<Inbox> {
    // Called once per record from librdkafka's delivery callback.
    #[inline]
    fn delivered(&self, (p, o): (i32, i64), report: Delivery<'_>) {
        let mut t = self.lock().expect("inbox lock");
        match report {
            Delivery::Acked => t.acked.push((p, o)),
            // Stays pending: the checkpoint never moves past an unacknowledged record.
            // Records we purged ourselves (stop or earlier failure) are not a new failure.
            Delivery::Purged => {}
            Delivery::Failed(e) => {
                if t.failure.is_none() {
                    t.failure = Some(format!("delivery of source record {p}:{o} failed: {e}"));
                    t.too_large = e.is_too_large();
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_checkpoint_never_passes_an_unacknowledged_record() {
        let mut t = Tracker::default();
        let mut read_next: BTreeMap<i32, i64> = BTreeMap::new();
        let base: BTreeMap<i32, i64> = [(0, 3), (1, 50)].into();
        // Partition 0: records 3..10 handled, 5 and 7 still in flight.
        read_next.insert(0, 10);
        let inflight = t.pending.entry(0).or_default();
        for o in [4, 5, 6, 7, 8] {
            inflight.push(o);
        }
        for o in [4, 6, 8] {
            inflight.ack(o);
        }
        assert_eq!(t.checkpoint(&read_next, &base), [(0, 5), (1, 50)].into());
        t.pending.get_mut(&0).unwrap().ack(5);
        assert_eq!(t.checkpoint(&read_next, &base)[&0], 7);
        assert!(t.any_pending());
        t.pending.get_mut(&0).unwrap().ack(7);
        assert_eq!(t.checkpoint(&read_next, &base)[&0], 10);
        assert!(!t.any_pending());
        // A partition first touched in this attempt starts from what was handled.
        read_next.insert(2, 4);
        t.pending.entry(2).or_default().push(1);
        assert_eq!(t.checkpoint(&read_next, &base)[&2], 1);
        // The checkpoint never goes backwards from the last saved one.
        let later: BTreeMap<i32, i64> = [(0, 12)].into();
        assert_eq!(t.checkpoint(&read_next, &later)[&0], 12);
    }

    #[test]
    fn in_flight_records_are_acknowledged_in_any_order() {
        let mut f = InFlight::default();
        assert_eq!(f.lowest(), None);
        for o in 10..20 {
            f.push(o);
        }
        for o in (11..20).rev() {
            f.ack(o);
            assert_eq!(f.lowest(), Some(10));
        }
        // A duplicate or unknown acknowledgement changes nothing.
        f.ack(15);
        f.ack(99);
        assert!(!f.is_empty());
        f.ack(10);
        assert_eq!(f.lowest(), None);
        assert!(f.is_empty());
    }
}
