//! Counters whose memory stays flat however many records a scan reads: a
//! distinct counter (exact while small, HyperLogLog beyond) and a set that keeps
//! at most a fixed number of values with their counts. Both merge, so a scan
//! split over lanes adds up to the single-lane result.

use std::collections::hash_map::DefaultHasher;
use std::collections::{BTreeMap, HashSet};
use std::hash::{Hash, Hasher};

/// Distinct keys counted exactly before switching to HyperLogLog.
pub const EXACT_KEYS: usize = 256;
/// HyperLogLog precision: 2^12 registers, about 1.6% standard error, 4 KiB.
const HLL_P: u32 = 12;

/// Counts distinct items exactly while few, approximately (HyperLogLog) after.
#[derive(Clone, Debug)]
pub enum DistinctCounter {
    Exact(HashSet<u64>),
    Approx(Box<[u8]>),
}

impl Default for DistinctCounter {
    fn default() -> Self {
        DistinctCounter::Exact(HashSet::new())
    }
}

fn hash64(bytes: &[u8]) -> u64 {
    // SipHash with fixed keys: deterministic within and across runs.
    let mut h = DefaultHasher::new();
    bytes.hash(&mut h);
    h.finish()
}

impl DistinctCounter {
    pub fn insert(&mut self, item: &[u8]) {
        self.insert_hash(hash64(item));
    }

    fn insert_hash(&mut self, h: u64) {
        match self {
            DistinctCounter::Exact(set) => {
                set.insert(h);
                if set.len() > EXACT_KEYS {
                    let mut regs = vec![0u8; 1 << HLL_P].into_boxed_slice();
                    for x in set.iter() {
                        hll_add(&mut regs, *x);
                    }
                    *self = DistinctCounter::Approx(regs);
                }
            }
            DistinctCounter::Approx(regs) => hll_add(regs, h),
        }
    }

    /// Count the items of `other` too (as if they had been inserted here).
    pub fn merge(&mut self, other: DistinctCounter) {
        match other {
            DistinctCounter::Exact(set) => {
                for h in set {
                    self.insert_hash(h);
                }
            }
            DistinctCounter::Approx(mut theirs) => match self {
                DistinctCounter::Exact(set) => {
                    for h in set.iter() {
                        hll_add(&mut theirs, *h);
                    }
                    *self = DistinctCounter::Approx(theirs);
                }
                DistinctCounter::Approx(mine) => {
                    for (m, t) in mine.iter_mut().zip(theirs.iter()) {
                        *m = (*m).max(*t);
                    }
                }
            },
        }
    }

    pub fn count(&self) -> u64 {
        match self {
            DistinctCounter::Exact(set) => set.len() as u64,
            DistinctCounter::Approx(regs) => hll_estimate(regs),
        }
    }

    pub fn is_approximate(&self) -> bool {
        matches!(self, DistinctCounter::Approx(_))
    }
}

fn hll_add(regs: &mut [u8], h: u64) {
    let idx = (h >> (64 - HLL_P)) as usize;
    let rest = (h << HLL_P) | (1 << (HLL_P - 1));
    let rank = rest.leading_zeros() as u8 + 1;
    if regs[idx] < rank {
        regs[idx] = rank;
    }
}

fn hll_estimate(regs: &[u8]) -> u64 {
    let m = regs.len() as f64;
    let alpha = 0.7213 / (1.0 + 1.079 / m);
    let sum: f64 = regs.iter().map(|r| 2f64.powi(-i32::from(*r))).sum();
    let raw = alpha * m * m / sum;
    let zeros = regs.iter().filter(|r| **r == 0).count();
    let est = if raw <= 2.5 * m && zeros > 0 {
        m * (m / zeros as f64).ln()
    } else {
        raw
    };
    est.round() as u64
}

/// A set that keeps at most `cap` distinct values with their record counts and
/// counts the records whose value did not fit.
#[derive(Clone, Debug)]
pub struct CappedSet<T: Ord> {
    items: BTreeMap<T, u64>,
    cap: usize,
    /// Records whose value was not kept because the set was full.
    pub others: u64,
}

impl<T: Ord> CappedSet<T> {
    pub fn new(cap: usize) -> Self {
        CappedSet {
            items: BTreeMap::new(),
            cap,
            others: 0,
        }
    }

    pub fn add(&mut self, v: T) {
        if let Some(c) = self.items.get_mut(&v) {
            *c += 1;
        } else {
            self.admit(v, 1);
        }
    }

    /// As [`CappedSet::add`], copying the value only when it is new: most records
    /// repeat a value already in the set.
    pub fn add_ref<Q>(&mut self, v: &Q)
    where
        T: std::borrow::Borrow<Q>,
        Q: Ord + ToOwned<Owned = T> + ?Sized,
    {
        if let Some(c) = self.items.get_mut(v) {
            *c += 1;
        } else if self.items.len() < self.cap || self.is_below_largest(v) {
            self.admit(v.to_owned(), 1);
        } else {
            self.others += 1;
        }
    }

    fn is_below_largest<Q>(&self, v: &Q) -> bool
    where
        T: std::borrow::Borrow<Q>,
        Q: Ord + ?Sized,
    {
        self.items
            .last_key_value()
            .is_some_and(|(largest, _)| v < largest.borrow())
    }

    /// A new value with `n` records. When the set is full the smallest values
    /// stay: which values are listed does not depend on the order records
    /// arrive in (or on how a scan was split over lanes).
    fn admit(&mut self, v: T, n: u64) {
        if self.items.len() < self.cap {
            self.items.insert(v, n);
        } else if self.is_below_largest(&v) {
            if let Some((_, dropped)) = self.items.pop_last() {
                self.others += dropped;
            }
            self.items.insert(v, n);
        } else {
            self.others += n;
        }
    }

    /// Add the counts of `other`; values that do not fit count as `others`.
    pub fn merge(&mut self, other: CappedSet<T>) {
        self.others += other.others;
        for (v, n) in other.items {
            if let Some(c) = self.items.get_mut(&v) {
                *c += n;
            } else {
                self.admit(v, n);
            }
        }
    }

    pub fn iter(&self) -> impl Iterator<Item = (&T, u64)> {
        self.items.iter().map(|(k, v)| (k, *v))
    }

    pub fn len(&self) -> usize {
        self.items.len()
    }

    pub fn is_empty(&self) -> bool {
        self.items.is_empty()
    }

    /// Values by descending count, then value.
    pub fn by_count(&self) -> Vec<(&T, u64)> {
        let mut v: Vec<_> = self.iter().collect();
        v.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(b.0)));
        v
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn distinct_counter_exact_then_approximate() {
        let mut d = DistinctCounter::default();
        for i in 0..200u32 {
            d.insert(&i.to_be_bytes());
            d.insert(&i.to_be_bytes());
        }
        assert_eq!(d.count(), 200);
        assert!(!d.is_approximate());
        for i in 0..100_000u32 {
            d.insert(format!("key-{i}").as_bytes());
        }
        assert!(d.is_approximate());
        let n = d.count() as f64;
        let truth = 100_200.0;
        assert!((n - truth).abs() / truth < 0.05, "estimate {n}");
        // Memory stays at the register array however many keys arrive.
        if let DistinctCounter::Approx(regs) = &d {
            assert_eq!(regs.len(), 4096);
        }
    }

    #[test]
    fn hll_small_range_is_accurate() {
        let mut d = DistinctCounter::default();
        for i in 0..1000u32 {
            d.insert(&i.to_le_bytes());
        }
        let n = d.count() as f64;
        assert!((n - 1000.0).abs() < 50.0, "{n}");
    }

    #[test]
    fn capped_set_keeps_the_smallest_values_whatever_the_order() {
        let mut up = CappedSet::new(3);
        let mut down = CappedSet::new(3);
        for v in 0..10 {
            up.add(v);
            down.add(9 - v);
        }
        for s in [&up, &down] {
            assert_eq!(
                s.iter().collect::<Vec<_>>(),
                vec![(&0, 1), (&1, 1), (&2, 1)]
            );
            assert_eq!(s.others, 7);
        }
        let mut a = CappedSet::new(3);
        let mut b = CappedSet::new(3);
        for v in [5, 6, 7, 5] {
            a.add(v);
        }
        for v in [1, 5, 9] {
            b.add(v);
        }
        a.merge(b);
        assert_eq!(
            a.iter().collect::<Vec<_>>(),
            vec![(&1, 1), (&5, 3), (&6, 1)]
        );
        assert_eq!(a.others, 2);
    }

    #[test]
    fn capped_set_counts_overflow() {
        let mut s = CappedSet::new(2);
        for v in ["a", "b", "a", "c", "d", "a"] {
            s.add(v.to_string());
        }
        assert_eq!(s.len(), 2);
        assert_eq!(s.others, 2);
        assert_eq!(s.by_count()[0], (&"a".to_string(), 3));
    }
}
