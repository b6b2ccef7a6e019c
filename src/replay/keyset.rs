//! The exact set of distinct record keys a plan counts for its blast radius,
//! kept compact: every key's bytes in one buffer, where each key starts, and a
//! hash table of entry numbers. Planning inserts one key per replayed record, so
//! this is on its per-record path.
//!
//! Keys are hashed with [`rustc_hash`]'s Fx hash: counting a million distinct
//! keys with SipHash was a sixth of planning time, and keys come from the topic
//! being replayed, not from an adversary.

use hashbrown::HashTable;
use rustc_hash::FxBuildHasher;

/// An exact set of distinct keys with its bytes in one buffer: a million keys
/// are a few large allocations instead of a million small ones (freeing those
/// took a quarter of a second at the end of planning). Per key it holds the
/// key's bytes, 8 bytes for where it starts and 9 to 18 in the table: a million
/// 13-byte keys take about 40 MB. (The table used to map each hash to a chain of
/// `(start, len, next)` entries: about 75 MB, and the plan of a million records,
/// two readers' sets and their merge, peaked at 190 MB.)
#[derive(Default)]
pub(super) struct KeySet {
    bytes: Vec<u8>,
    /// Where each key starts in `bytes`; it ends where the next one starts.
    starts: Vec<usize>,
    /// Entry numbers (indexes into `starts`), placed by the hash of their key.
    table: HashTable<usize>,
}

/// Distinct keys a planning reader sizes its set for up front. Growing a table
/// of a million keys rehashes it several times; the cap bounds what a reader
/// reserves for a selection that turns out to hold few keys (untouched pages of
/// the reservation cost no memory).
pub(super) const KEYSET_RESERVE_CAP: usize = 1 << 20;

/// Entry `i`'s key.
#[inline]
fn key_at<'a>(bytes: &'a [u8], starts: &[usize], i: usize) -> &'a [u8] {
    let end = starts.get(i + 1).copied().unwrap_or(bytes.len());
    &bytes[starts[i]..end]
}

#[inline]
fn hash(key: &[u8]) -> u64 {
    use std::hash::BuildHasher;
    FxBuildHasher.hash_one(key)
}

impl KeySet {
    /// A set sized for about `records` keys (at most [`KEYSET_RESERVE_CAP`]).
    pub(super) fn for_records(records: u64) -> Self {
        let n = usize::try_from(records)
            .unwrap_or(usize::MAX)
            .min(KEYSET_RESERVE_CAP);
        KeySet {
            bytes: Vec::new(),
            starts: Vec::with_capacity(n),
            table: HashTable::with_capacity(n),
        }
    }

    pub(super) fn len(&self) -> usize {
        self.starts.len()
    }

    fn get(&self, i: usize) -> &[u8] {
        key_at(&self.bytes, &self.starts, i)
    }

    #[inline]
    pub(super) fn insert(&mut self, key: &[u8]) {
        let KeySet {
            bytes,
            starts,
            table,
        } = self;
        // One probe of the table per key: the entry is looked up once and
        // filled in place when the key is new.
        let entry = table.entry(
            hash(key),
            |&i| key_at(bytes, starts, i) == key,
            |&i| hash(key_at(bytes, starts, i)),
        );
        if let hashbrown::hash_table::Entry::Vacant(v) = entry {
            v.insert(starts.len());
            starts.push(bytes.len());
            bytes.extend_from_slice(key);
        }
    }

    pub(super) fn merge(&mut self, other: &KeySet) {
        // Grow once for the other set's keys (most of them new: readers cover
        // different partitions) instead of rehashing step by step.
        let KeySet {
            bytes,
            starts,
            table,
        } = self;
        table.reserve(other.len(), |&i| hash(key_at(bytes, starts, i)));
        starts.reserve(other.len());
        bytes.reserve(other.bytes.len());
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

    #[test]
    fn the_key_set_agrees_with_a_hash_set() {
        // Keys that are prefixes of one another and empty keys, where the set
        // tells keys apart only by where the next one starts; two sets merged.
        let mut k = KeySet::for_records(100);
        let mut other = KeySet::default();
        let mut want = HashSet::new();
        let mut x: u64 = 7;
        for n in 0..20_000u64 {
            x = x
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            let key = b"abcabcabcabc"[..(x >> 60) as usize % 12].to_vec();
            let key = if n % 3 == 0 {
                [key, (x % 500).to_le_bytes().to_vec()].concat()
            } else {
                key
            };
            if n % 2 == 0 {
                k.insert(&key)
            } else {
                other.insert(&key)
            }
            want.insert(key);
        }
        k.merge(&other);
        assert_eq!(k.len(), want.len());
        let got: HashSet<Vec<u8>> = (0..k.len()).map(|i| k.get(i).to_vec()).collect();
        assert_eq!(got, want);
    }
}
