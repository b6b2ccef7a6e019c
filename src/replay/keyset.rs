//! The exact set of distinct record keys a plan counts for its blast radius,
//! kept compact: one byte buffer for every key, chained entries, and a map from
//! each key's hash to its first entry. Planning inserts one key per replayed
//! record, so this is on its per-record path.
//!
//! Keys are hashed with [`rustc_hash`]'s Fx hash: counting a million distinct
//! keys with SipHash was a sixth of planning time, and keys come from the topic
//! being replayed, not from an adversary.

use std::collections::HashMap;

use rustc_hash::FxBuildHasher;

/// An exact set of distinct keys with its bytes in one buffer: a million keys
/// are a few large allocations instead of a million small ones (freeing those
/// took a quarter of a second at the end of planning).
#[derive(Default)]
pub(super) struct KeySet {
    bytes: Vec<u8>,
    /// (start, len, next entry with the same hash + 1 or 0).
    entries: Vec<(usize, usize, usize)>,
    /// Hash of a key -> first entry + 1. The hash is already mixed, so the map
    /// uses it as is instead of hashing it again.
    heads: HashMap<u64, usize, PassBuild>,
}

/// Passes a `u64` that is already a good hash straight through: the identity
/// hasher of the `heads` map, whose keys are [`FxBuildHasher`] hashes of the record
/// keys. Hashing them again would cost a multiply per key on the per-record path
/// of planning, and buy no better spread.
#[derive(Default, Clone, Copy)]
struct PassHasher(u64);

impl std::hash::Hasher for PassHasher {
    fn write(&mut self, bytes: &[u8]) {
        // Only u64 keys are hashed with this; fold anything else in anyway.
        for b in bytes {
            self.0 = self.0.rotate_left(8) ^ u64::from(*b);
        }
    }

    fn write_u64(&mut self, n: u64) {
        self.0 = n;
    }

    fn finish(&self) -> u64 {
        self.0
    }
}

type PassBuild = std::hash::BuildHasherDefault<PassHasher>;

/// Distinct keys a planning reader sizes its set for up front. Growing a table
/// of a million keys rehashes it several times; the cap bounds what a reader
/// reserves for a selection that turns out to hold few keys (untouched pages of
/// the reservation cost no memory).
pub(super) const KEYSET_RESERVE_CAP: usize = 1 << 20;

impl KeySet {
    /// A set sized for about `records` keys (at most [`KEYSET_RESERVE_CAP`]).
    pub(super) fn for_records(records: u64) -> Self {
        let n = usize::try_from(records)
            .unwrap_or(usize::MAX)
            .min(KEYSET_RESERVE_CAP);
        KeySet {
            bytes: Vec::new(),
            entries: Vec::with_capacity(n),
            heads: HashMap::with_capacity_and_hasher(n, PassBuild::default()),
        }
    }

    pub(super) fn len(&self) -> usize {
        self.entries.len()
    }

    fn get(&self, i: usize) -> &[u8] {
        let (start, len, _) = self.entries[i];
        &self.bytes[start..start + len]
    }

    pub(super) fn insert(&mut self, key: &[u8]) {
        use std::collections::hash_map::Entry;
        use std::hash::BuildHasher;
        let h = FxBuildHasher.hash_one(key);
        // One probe of the map per key: the entry is looked up once, and
        // updated in place when the key is new.
        let head = match self.heads.entry(h) {
            Entry::Vacant(v) => {
                v.insert(self.entries.len() + 1);
                0
            }
            Entry::Occupied(mut o) => {
                let head = *o.get();
                let mut at = head;
                while at != 0 {
                    let (start, len, next) = self.entries[at - 1];
                    if &self.bytes[start..start + len] == key {
                        return;
                    }
                    at = next;
                }
                o.insert(self.entries.len() + 1);
                head
            }
        };
        self.entries.push((self.bytes.len(), key.len(), head));
        self.bytes.extend_from_slice(key);
    }

    pub(super) fn merge(&mut self, other: &KeySet) {
        for i in 0..other.len() {
            self.insert(other.get(i));
        }
    }
}

#[cfg(test)]
mod tests {
    use std::collections::HashSet;
    use std::hash::BuildHasher;

    use super::*;

    #[test]
    fn key_hashes_spread_over_the_low_bits() {
        // Keys that differ only in a few middle bytes once all fell into a handful
        // of buckets (a multiply-only hash keeps the low bits constant).
        let low: HashSet<u64> = (0..1000)
            .map(|i| FxBuildHasher.hash_one(format!("order-{i:07}").into_bytes()) & 0x3ff)
            .collect();
        assert!(low.len() > 500, "{} distinct low-bit patterns", low.len());
    }

    #[test]
    fn the_key_set_is_exact() {
        let mut k = KeySet::default();
        for i in 0..5000 {
            k.insert(format!("key-{}", i % 1234).as_bytes());
        }
        k.insert(b"");
        k.insert(b"");
        assert_eq!(k.len(), 1235);
        let mut other = KeySet::default();
        other.insert(b"key-1");
        other.insert(b"brand new");
        k.merge(&other);
        assert_eq!(k.len(), 1236);
    }
}
