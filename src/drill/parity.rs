//! Parity between a replay's source slice and what landed in the destination: per
//! source partition, record counts and a digest over key, value, headers and
//! timestamp in source order, plus the records that are missing, extra, duplicated
//! or altered, and copies of the same source records written by other replays
//! (a second run of a plan, or another selection over the same records), per
//! replay id. Pure: the broker reading lives in [`super::verify`].

use std::collections::{BTreeMap, HashMap};

use serde::Serialize;
use sha2::{Digest, Sha256};

/// A record's content as the drill compares it. Replay provenance headers are
/// excluded by the caller; the timestamp is `None` when the replay restamped records.
pub struct Content<'a> {
    pub key: Option<&'a [u8]>,
    pub value: Option<&'a [u8]>,
    pub headers: &'a [(&'a str, Option<&'a [u8]>)],
    pub timestamp_ms: Option<i64>,
}

/// 128 bits of a sha256 over an unambiguous encoding of the record.
pub fn record_hash(c: &Content<'_>) -> u128 {
    let mut h = Sha256::new();
    let field = |h: &mut Sha256, v: Option<&[u8]>| match v {
        None => h.update([0u8]),
        Some(b) => {
            h.update([1u8]);
            h.update((b.len() as u64).to_be_bytes());
            h.update(b);
        }
    };
    field(&mut h, c.key);
    field(&mut h, c.value);
    h.update((c.headers.len() as u64).to_be_bytes());
    for (k, v) in c.headers {
        field(&mut h, Some(k.as_bytes()));
        field(&mut h, *v);
    }
    match c.timestamp_ms {
        None => h.update([0u8]),
        Some(t) => {
            h.update([1u8]);
            h.update(t.to_be_bytes());
        }
    }
    let d = h.finalize();
    u128::from_be_bytes(d[..16].try_into().expect("16 bytes"))
}

#[derive(Default)]
pub struct Comparison {
    /// Source partition -> offset -> hash, in offset order.
    source: BTreeMap<i32, BTreeMap<i64, u128>>,
    /// Source position -> hashes of the destination copies.
    dest: HashMap<(i32, i64), Vec<u128>>,
    /// Destination records whose source order disagrees with their destination order.
    out_of_order: u64,
    last_seen: HashMap<(String, i32, i32), i64>,
    /// Source position -> copies written by other replays.
    others: HashMap<(i32, i64), u64>,
    /// Other replay id -> copies of this replay's source records it wrote.
    other_ids: BTreeMap<String, u64>,
}

#[derive(Clone, Debug, Serialize, PartialEq, Eq)]
pub struct PartitionParity {
    pub partition: i32,
    pub source_records: u64,
    pub destination_records: u64,
    pub source_digest: String,
    pub destination_digest: String,
    /// Source records with no copy in the destination.
    pub missing: u64,
    /// Source records with more than one copy in the destination (this replay's
    /// copies and other replays' together).
    pub duplicated: u64,
    /// Copies whose content differs from the source record.
    pub altered: u64,
    pub ok: bool,
    /// Up to five offsets that failed, for a person to look at.
    pub examples: Vec<i64>,
}

#[derive(Clone, Debug, Serialize, PartialEq, Eq)]
pub struct Parity {
    pub partitions: Vec<PartitionParity>,
    pub source_records: u64,
    pub destination_records: u64,
    /// Destination records claiming a source position outside the slice.
    pub unexpected: u64,
    /// Destination records that arrived out of source order within a partition.
    pub out_of_order: u64,
    /// Other replays that wrote copies of this replay's source records.
    pub other_replays: Vec<OtherReplay>,
    pub ok: bool,
}

/// Copies of this replay's source records written by another replay.
#[derive(Clone, Debug, Serialize, PartialEq, Eq)]
pub struct OtherReplay {
    pub replay_id: String,
    /// Its plan hash, when its state is on this machine.
    pub plan_hash: Option<String>,
    /// Whether it ran the same plan (a second copy of it).
    pub same_plan: bool,
    pub records: u64,
}

impl Comparison {
    pub fn add_source(&mut self, partition: i32, offset: i64, hash: u128) {
        self.source
            .entry(partition)
            .or_default()
            .insert(offset, hash);
    }

    /// A destination record that carries source position (partition, offset) and lives
    /// at `dest_offset` of `dest_topic[dest_partition]`. Call in destination order.
    pub fn add_destination(
        &mut self,
        dest_topic: &str,
        dest_partition: i32,
        source: (i32, i64),
        hash: u128,
    ) {
        self.dest.entry(source).or_default().push(hash);
        let k = (dest_topic.to_string(), dest_partition, source.0);
        if let Some(prev) = self.last_seen.get(&k) {
            // Equal positions are duplicates, counted as such, not as disorder.
            if *prev > source.1 {
                self.out_of_order += 1;
            }
        }
        self.last_seen.insert(k, source.1);
    }

    /// A destination record another replay (`replay_id`) wrote from source position
    /// (partition, offset) of this replay's source.
    pub fn add_other_copy(&mut self, replay_id: &str, source: (i32, i64)) {
        *self.others.entry(source).or_default() += 1;
        match self.other_ids.get_mut(replay_id) {
            Some(n) => *n += 1,
            None => {
                self.other_ids.insert(replay_id.to_string(), 1);
            }
        }
    }

    /// Whether (partition, offset) is a record of the source slice.
    pub fn has_source(&self, source: (i32, i64)) -> bool {
        self.source
            .get(&source.0)
            .is_some_and(|r| r.contains_key(&source.1))
    }

    /// `plan_of` names the plan hash of a replay id, when known.
    pub fn finish(self, plan_hash: &str, plan_of: impl Fn(&str) -> Option<String>) -> Parity {
        let mut partitions = Vec::new();
        let mut matched_positions = 0u64;
        for (p, records) in &self.source {
            let (mut src_digest, mut dst_digest) = (Sha256::new(), Sha256::new());
            let mut pp = PartitionParity {
                partition: *p,
                source_records: records.len() as u64,
                destination_records: 0,
                source_digest: String::new(),
                destination_digest: String::new(),
                missing: 0,
                duplicated: 0,
                altered: 0,
                ok: true,
                examples: Vec::new(),
            };
            for (offset, hash) in records {
                src_digest.update(hash.to_be_bytes());
                let copies = self
                    .dest
                    .get(&(*p, *offset))
                    .map(Vec::as_slice)
                    .unwrap_or(&[]);
                let other = self.others.get(&(*p, *offset)).copied().unwrap_or(0);
                pp.destination_records += copies.len() as u64;
                matched_positions += copies.len() as u64;
                for c in copies {
                    dst_digest.update(c.to_be_bytes());
                }
                let bad = match (copies, other) {
                    ([], 0) => {
                        pp.missing += 1;
                        true
                    }
                    ([one], 0) => {
                        let altered = one != hash;
                        pp.altered += u64::from(altered);
                        altered
                    }
                    (many, _) => {
                        // Missing from this replay, but another one wrote it: a
                        // duplicate of that copy if this replay wrote it too.
                        pp.missing += u64::from(many.is_empty());
                        pp.duplicated += u64::from(many.len() as u64 + other > 1);
                        pp.altered += u64::from(many.iter().any(|c| c != hash));
                        true
                    }
                };
                if bad && pp.examples.len() < 5 {
                    pp.examples.push(*offset);
                }
            }
            pp.source_digest = format!("sha256:{}", hex::encode(src_digest.finalize()));
            pp.destination_digest = format!("sha256:{}", hex::encode(dst_digest.finalize()));
            pp.ok = pp.missing == 0 && pp.duplicated == 0 && pp.altered == 0;
            partitions.push(pp);
        }
        let destination_records: u64 = self.dest.values().map(|v| v.len() as u64).sum();
        let unexpected = destination_records - matched_positions;
        let ok = partitions.iter().all(|p| p.ok) && unexpected == 0 && self.out_of_order == 0;
        let other_replays = self
            .other_ids
            .into_iter()
            .map(|(id, records)| {
                let hash = plan_of(&id);
                OtherReplay {
                    same_plan: hash.as_deref() == Some(plan_hash),
                    plan_hash: hash,
                    replay_id: id,
                    records,
                }
            })
            .collect();
        Parity {
            other_replays,
            source_records: partitions.iter().map(|p| p.source_records).sum(),
            destination_records,
            unexpected,
            out_of_order: self.out_of_order,
            partitions,
            ok,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn h(v: &str) -> u128 {
        record_hash(&Content {
            key: Some(b"k"),
            value: Some(v.as_bytes()),
            headers: &[("a", Some(b"1"))],
            timestamp_ms: Some(5),
        })
    }

    #[test]
    fn hash_covers_every_field_unambiguously() {
        let base = Content {
            key: Some(b"ab"),
            value: Some(b"c"),
            headers: &[],
            timestamp_ms: Some(1),
        };
        let shifted = Content {
            key: Some(b"a"),
            value: Some(b"bc"),
            headers: &[],
            timestamp_ms: Some(1),
        };
        assert_ne!(record_hash(&base), record_hash(&shifted));
        let null_key = Content {
            key: None,
            value: Some(b"c"),
            headers: &[],
            timestamp_ms: Some(1),
        };
        let empty_key = Content {
            key: Some(b""),
            value: Some(b"c"),
            headers: &[],
            timestamp_ms: Some(1),
        };
        assert_ne!(record_hash(&null_key), record_hash(&empty_key));
        let hdr = Content {
            key: Some(b"ab"),
            value: Some(b"c"),
            headers: &[("x", None)],
            timestamp_ms: Some(1),
        };
        assert_ne!(record_hash(&base), record_hash(&hdr));
        let ts = Content {
            key: Some(b"ab"),
            value: Some(b"c"),
            headers: &[],
            timestamp_ms: Some(2),
        };
        assert_ne!(record_hash(&base), record_hash(&ts));
    }

    #[test]
    fn identical_copies_pass() {
        let mut c = Comparison::default();
        for o in 0..5 {
            c.add_source(0, o, h(&o.to_string()));
            c.add_destination("d", 0, (0, o), h(&o.to_string()));
        }
        let p = c.finish("sha256:p", |_| None);
        assert!(p.ok, "{p:?}");
        assert_eq!(
            p.partitions[0].source_digest,
            p.partitions[0].destination_digest
        );
        assert_eq!((p.source_records, p.destination_records), (5, 5));
    }

    #[test]
    fn copies_by_other_replays_are_duplicates_per_replay_id() {
        let mut c = Comparison::default();
        for o in 0..4 {
            c.add_source(0, o, h(&o.to_string()));
            c.add_destination("d", 0, (0, o), h(&o.to_string()));
        }
        assert!(c.has_source((0, 3)) && !c.has_source((0, 4)) && !c.has_source((1, 0)));
        // A second run of the plan copied 0..3, another plan copied 0 again.
        for o in 0..3 {
            c.add_other_copy("rp-second", (0, o));
        }
        c.add_other_copy("rp-other", (0, 0));
        let p = c.finish("sha256:p", |id| {
            Some(
                if id == "rp-second" {
                    "sha256:p"
                } else {
                    "sha256:q"
                }
                .to_string(),
            )
        });
        assert!(!p.ok);
        let pp = &p.partitions[0];
        assert_eq!((pp.missing, pp.duplicated, pp.altered), (0, 3, 0));
        assert_eq!(pp.examples, vec![0, 1, 2]);
        assert_eq!(p.destination_records, 4, "this replay's copies only");
        let others: Vec<(&str, bool, u64)> = p
            .other_replays
            .iter()
            .map(|o| (o.replay_id.as_str(), o.same_plan, o.records))
            .collect();
        assert_eq!(others, vec![("rp-other", false, 1), ("rp-second", true, 3)]);
    }

    #[test]
    fn every_kind_of_damage_is_found() {
        let mut c = Comparison::default();
        for o in 0..6 {
            c.add_source(1, o, h(&o.to_string()));
        }
        c.add_destination("d", 1, (1, 0), h("0"));
        c.add_destination("d", 1, (1, 1), h("1"));
        c.add_destination("d", 1, (1, 1), h("1")); // duplicated
        c.add_destination("d", 1, (1, 2), h("tampered")); // altered
        c.add_destination("d", 1, (1, 5), h("5")); // 3 is missing
        c.add_destination("d", 1, (1, 4), h("4")); // out of order
        c.add_destination("d", 1, (1, 99), h("x")); // unexpected
        let p = c.finish("sha256:p", |_| None);
        assert!(!p.ok);
        let pp = &p.partitions[0];
        assert_eq!((pp.missing, pp.duplicated, pp.altered), (1, 1, 1));
        assert_eq!(pp.examples, vec![1, 2, 3]);
        assert_eq!(p.unexpected, 1);
        assert_eq!(p.out_of_order, 1);
        assert_ne!(pp.source_digest, pp.destination_digest);
    }
}
