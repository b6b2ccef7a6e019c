//! A source record as replay handles it (owned, so it outlives the consumer's
//! borrow), where it goes (routing), and the headers it leaves with: the
//! original headers (minus DLQ error headers on redrive) plus provenance headers
//! naming the replay, the source record, the time and the owner, and the
//! record's redrive count ([`super::redrives`]).

use std::collections::BTreeMap;

use super::partitioner::Partitioner;
use super::placement::{self, Placement, PlacementTally};
use super::plan::TopicPartition;
use super::redrives::{self, H_REDRIVES};
use super::selection::{Destination, Selection};
use crate::kafka::{Headers, Message};

pub const H_ID: &str = "kafkaops.replay.id";
pub const H_SOURCE: &str = "kafkaops.replay.source";
pub const H_POSITION: &str = "kafkaops.replay.position";
pub const H_TIME: &str = "kafkaops.replay.time";
pub const H_OWNER: &str = "kafkaops.replay.owner";
const PROVENANCE_PREFIX: &str = "kafkaops.replay.";

pub type OwnedHeader = (String, Option<Vec<u8>>);

/// Where a DLQ record originally lived, read from its headers.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct DlqOrigin {
    pub topic: Option<String>,
    pub partition: Option<i32>,
    /// An original-partition header is there but cannot be read (or is negative).
    pub partition_corrupt: bool,
    pub offset: Option<i64>,
}

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct SourceRecord {
    /// Position in the source: partition and offset, or (0, line index) for a file.
    pub partition: i32,
    pub offset: i64,
    /// `topic/partition/offset` of the record (for a file: as exported).
    pub source: String,
    /// The partition the record lived in (for a file: as exported); kept in the
    /// destination when it has that partition.
    pub home_partition: i32,
    pub key: Option<Vec<u8>>,
    pub value: Option<Vec<u8>>,
    pub headers: Vec<OwnedHeader>,
    pub timestamp_ms: Option<i64>,
}

impl SourceRecord {
    pub fn from_message<M: Message>(topic: &str, m: &M) -> Self {
        let mut rec = SourceRecord::default();
        rec.fill_from_message(topic, m);
        rec
    }

    /// Overwrite this record with a consumed message, reusing its buffers: the
    /// replay and planning loops keep one record and refill it, so a million
    /// records cost no allocations for keys, values and headers.
    pub fn fill_from_message<M: Message>(&mut self, topic: &str, m: &M) {
        self.partition = m.partition();
        self.offset = m.offset();
        self.home_partition = m.partition();
        // Written by hand rather than with `write!`: formatting was a tenth of
        // the planning loop's work at a million records.
        let mut digits = itoa::Buffer::new();
        self.source.clear();
        self.source.push_str(topic);
        self.source.push('/');
        self.source.push_str(digits.format(m.partition()));
        self.source.push('/');
        self.source.push_str(digits.format(m.offset()));
        set_bytes(&mut self.key, m.key());
        set_bytes(&mut self.value, m.payload());
        let mut n = 0;
        if let Some(hs) = m.headers() {
            for h in hs.iter() {
                match self.headers.get_mut(n) {
                    Some((k, v)) => {
                        k.clear();
                        k.push_str(h.key);
                        set_bytes(v, h.value);
                    }
                    None => self
                        .headers
                        .push((h.key.to_string(), h.value.map(<[u8]>::to_vec))),
                }
                n += 1;
            }
        }
        self.headers.truncate(n);
        self.timestamp_ms = m.timestamp().to_millis();
    }

    /// Bytes the record occupies as produced (key, value, header names and values).
    pub fn size(&self) -> u64 {
        let h: usize = self
            .headers
            .iter()
            .map(|(k, v)| k.len() + v.as_ref().map_or(0, Vec::len))
            .sum();
        (self.key.as_ref().map_or(0, Vec::len) + self.value.as_ref().map_or(0, Vec::len) + h) as u64
    }

    pub fn header_refs(&self) -> Vec<(&str, Option<&[u8]>)> {
        self.header_iter().collect()
    }

    pub fn header_iter(&self) -> impl Iterator<Item = (&str, Option<&[u8]>)> {
        self.headers.iter().map(|(k, v)| (k.as_str(), v.as_deref()))
    }
}

/// Set `dst` to a copy of `src`, keeping `dst`'s buffer when it has one.
fn set_bytes(dst: &mut Option<Vec<u8>>, src: Option<&[u8]>) {
    match (dst.as_mut(), src) {
        (Some(buf), Some(b)) => {
            buf.clear();
            buf.extend_from_slice(b);
        }
        (None, Some(b)) => *dst = Some(b.to_vec()),
        (_, None) => *dst = None,
    }
}

/// Decides the destination partition of each record, deterministically, so the
/// plan's blast radius is exactly what the run does.
pub struct Router {
    pub destination: Destination,
    pub partitioner: Option<Partitioner>,
    /// `--placement` (or `key` when only `--partitioner` was given): see [`placement`].
    pub placement: Option<Placement>,
    /// Partition counts of every destination topic, by a name routes share.
    pub partition_counts: BTreeMap<std::sync::Arc<str>, usize>,
    /// Where records landed relative to their original partitions, for the plan.
    pub tally: PlacementTally,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum RouteError {
    /// Redrive, but the record's headers do not say where it came from.
    NoOrigin,
    /// The destination topic is unknown to the router (not in the metadata).
    UnknownTopic(String),
}

impl Router {
    pub fn new(
        destination: Destination,
        partitioner: Option<Partitioner>,
        placement: Option<Placement>,
    ) -> Self {
        Router {
            destination,
            partitioner,
            placement: placement::effective(placement, partitioner),
            partition_counts: BTreeMap::new(),
            tally: PlacementTally::default(),
        }
    }

    /// Topic and partition for one record: the source (or original) partition when
    /// the destination has it, else as [`placement::place`] says. Counted in `tally`.
    pub fn route(
        &mut self,
        rec: &SourceRecord,
        origin: Option<&DlqOrigin>,
    ) -> Result<TopicPartition, RouteError> {
        let (topic, original, corrupt) = match &self.destination {
            Destination::Topic { topic } => (topic.as_str(), Some(rec.home_partition), false),
            Destination::Redrive => {
                let o = origin.ok_or(RouteError::NoOrigin)?;
                let t = o.topic.as_deref().ok_or(RouteError::NoOrigin)?;
                let p = o.partition.filter(|p| *p >= 0);
                (
                    t,
                    p,
                    o.partition_corrupt || o.partition.is_some_and(|p| p < 0),
                )
            }
        };
        let (topic, &n) = self
            .partition_counts
            .get_key_value(topic)
            .ok_or_else(|| RouteError::UnknownTopic(topic.to_string()))?;
        let topic = topic.clone();
        let partition = placement::place(
            self.placement,
            self.partitioner,
            rec.key.as_deref(),
            original,
            n,
        );
        self.tally.add(&topic, original, corrupt, partition);
        Ok(TopicPartition { topic, partition })
    }
}

/// What replay writes into every record.
pub struct Provenance<'a> {
    pub replay_id: &'a str,
    pub owner: &'a str,
    pub time: &'a str,
}

/// The outgoing headers: the record's own (minus earlier replay provenance, and
/// minus DLQ error headers when redriving unless asked to keep them), then ours.
pub fn outgoing_headers(
    rec: &SourceRecord,
    sel: &Selection,
    prov: &Provenance<'_>,
    is_dlq_header: &dyn Fn(&str) -> bool,
) -> Vec<OwnedHeader> {
    let mut out = Vec::with_capacity(rec.headers.len() + 6);
    let mut scratch = String::new();
    visit_outgoing_headers(rec, sel, prov, is_dlq_header, &mut scratch, |k, v| {
        out.push((k.to_string(), v.map(<[u8]>::to_vec)));
    });
    out
}

/// The same headers as [`outgoing_headers`], in the same order, handed to `f` as
/// borrowed slices (the executor copies them straight into librdkafka's header
/// list). `scratch` is reused for the position value.
pub fn visit_outgoing_headers(
    rec: &SourceRecord,
    sel: &Selection,
    prov: &Provenance<'_>,
    is_dlq_header: &dyn Fn(&str) -> bool,
    scratch: &mut String,
    mut f: impl FnMut(&str, Option<&[u8]>),
) {
    visit_kept_headers(rec, sel, is_dlq_header, &mut f);
    f(H_ID, Some(prov.replay_id.as_bytes()));
    f(H_SOURCE, Some(rec.source.as_bytes()));
    let mut digits = itoa::Buffer::new();
    scratch.clear();
    scratch.push_str(digits.format(rec.partition));
    scratch.push(':');
    scratch.push_str(digits.format(rec.offset));
    f(H_POSITION, Some(scratch.as_bytes()));
    f(H_TIME, Some(prov.time.as_bytes()));
    f(H_OWNER, Some(prov.owner.as_bytes()));
    let count = redrives::read(rec.header_iter()).next(is_redriving(rec, sel, is_dlq_header));
    f(H_REDRIVES, Some(digits.format(count).as_bytes()));
}

/// Whether replaying `rec` sends it back out of a dead-letter topic: a redrive
/// (`--redrive`), or any replay of a record that carries DLQ error headers.
pub fn is_redriving(
    rec: &SourceRecord,
    sel: &Selection,
    is_dlq_header: &dyn Fn(&str) -> bool,
) -> bool {
    sel.is_redrive() || rec.headers.iter().any(|(k, _)| is_dlq_header(k))
}

/// The record's own headers that leave with it, in order: all but earlier replay
/// provenance, and on redrive (unless asked to keep them) the DLQ error headers.
pub fn visit_kept_headers<'r>(
    rec: &'r SourceRecord,
    sel: &Selection,
    is_dlq_header: &dyn Fn(&str) -> bool,
    mut f: impl FnMut(&'r str, Option<&'r [u8]>),
) {
    let strip_dlq = sel.is_redrive() && !sel.keep_dlq_headers;
    for (k, v) in &rec.headers {
        if is_provenance_header(k) || (strip_dlq && is_dlq_header(k)) {
            continue;
        }
        f(k, v.as_deref());
    }
}

/// Whether a header is one replay writes (`kafkaops.replay.*`).
pub fn is_provenance_header(name: &str) -> bool {
    name.starts_with(PROVENANCE_PREFIX)
}

/// Parse a `kafkaops.replay.position` value back into (partition, offset).
pub fn parse_position(v: &[u8]) -> Option<(i32, i64)> {
    let s = std::str::from_utf8(v).ok()?;
    let (p, o) = s.split_once(':')?;
    Some((p.parse().ok()?, o.parse().ok()?))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::replay::selection::tests::selection;

    fn rec(p: i32, o: i64, key: Option<&str>) -> SourceRecord {
        SourceRecord {
            partition: p,
            offset: o,
            source: format!("orders/{p}/{o}"),
            home_partition: p,
            key: key.map(|k| k.as_bytes().to_vec()),
            value: Some(b"v".to_vec()),
            headers: vec![
                ("trace".into(), Some(b"t1".to_vec())),
                ("__connect.errors.topic".into(), Some(b"orders".to_vec())),
                (H_ID.into(), Some(b"older-replay".to_vec())),
            ],
            timestamp_ms: Some(1),
        }
    }

    fn router(dest: Destination, partitioner: Option<Partitioner>) -> Router {
        let mut r = Router::new(dest, partitioner, None);
        r.partition_counts = [("out".into(), 3usize), ("orders".into(), 6usize)].into();
        r
    }

    #[test]
    fn routing_keeps_the_partition_or_hashes_the_key() {
        let to_out = Destination::Topic {
            topic: "out".into(),
        };
        let mut r = router(to_out.clone(), None);
        assert_eq!(
            r.route(&rec(2, 0, Some("k")), None).unwrap(),
            TopicPartition {
                topic: "out".into(),
                partition: 2
            }
        );
        // Source partition 5 does not exist in a 3-partition destination: key placement.
        assert_eq!(
            r.route(&rec(5, 0, Some("21")), None).unwrap().partition,
            Partitioner::Murmur2.partition(b"21", 3)
        );
        assert_eq!(r.route(&rec(5, 0, None), None).unwrap().partition, 2);
        let mut r = router(to_out, Some(Partitioner::Crc32));
        assert_eq!(
            r.route(&rec(0, 0, Some("abc")), None).unwrap().partition,
            Partitioner::Crc32.partition(b"abc", 3)
        );
    }

    #[test]
    fn redrive_routes_to_the_original_topic_and_partition() {
        let mut r = router(Destination::Redrive, None);
        let o = DlqOrigin {
            topic: Some("orders".into()),
            partition: Some(4),
            offset: Some(9),
            ..Default::default()
        };
        assert_eq!(
            r.route(&rec(0, 0, Some("k")), Some(&o)).unwrap(),
            TopicPartition {
                topic: "orders".into(),
                partition: 4
            }
        );
        assert_eq!(
            r.route(&rec(0, 0, Some("k")), None),
            Err(RouteError::NoOrigin)
        );
        let gone = DlqOrigin {
            topic: Some("gone".into()),
            ..Default::default()
        };
        assert_eq!(
            r.route(&rec(0, 0, Some("k")), Some(&gone)),
            Err(RouteError::UnknownTopic("gone".into()))
        );
    }

    #[test]
    fn provenance_headers_replace_older_ones_and_dlq_headers_are_stripped_on_redrive() {
        let prov = Provenance {
            replay_id: "rp-1",
            owner: "alice",
            time: "2026-11-21T06:00:00.000Z",
        };
        let is_dlq = |k: &str| k.starts_with("__connect.errors.");
        let r = rec(1, 7, Some("k"));
        let hs = outgoing_headers(&r, &selection(), &prov, &is_dlq);
        let get = |name: &str| {
            hs.iter()
                .filter(|(k, _)| k == name)
                .map(|(_, v)| v.clone().unwrap())
                .collect::<Vec<_>>()
        };
        assert_eq!(get(H_ID), vec![b"rp-1".to_vec()]);
        assert_eq!(get(H_SOURCE), vec![b"orders/1/7".to_vec()]);
        assert_eq!(parse_position(&get(H_POSITION)[0]), Some((1, 7)));
        assert_eq!(get(H_OWNER), vec![b"alice".to_vec()]);
        assert_eq!(get("trace").len(), 1);
        assert_eq!(
            get("__connect.errors.topic").len(),
            1,
            "kept when not redriving"
        );

        let mut sel = selection();
        sel.destination = Destination::Redrive;
        let hs = outgoing_headers(&r, &sel, &prov, &is_dlq);
        assert!(!hs.iter().any(|(k, _)| k.starts_with("__connect")));
        sel.keep_dlq_headers = true;
        let hs = outgoing_headers(&r, &sel, &prov, &is_dlq);
        assert!(hs.iter().any(|(k, _)| k.starts_with("__connect")));
        assert_eq!(parse_position(b"x"), None);
    }

    #[test]
    fn the_redrive_count_is_replaced_once_and_counts_only_redrives() {
        let prov = Provenance {
            replay_id: "rp-2",
            owner: "alice",
            time: "t",
        };
        let is_dlq = |k: &str| crate::dlq::conventions::is_dlq_header(k);
        assert!(
            !is_dlq(H_REDRIVES),
            "a DLQ header would be stripped on redrive"
        );
        let counts = |hs: &[OwnedHeader]| {
            hs.iter()
                .filter(|(k, _)| k == H_REDRIVES)
                .map(|(_, v)| String::from_utf8(v.clone().unwrap()).unwrap())
                .collect::<Vec<_>>()
        };
        let mut r = rec(0, 1, Some("k"));
        r.headers = vec![("trace".into(), Some(b"t1".to_vec()))];
        // A plain replay of a record that never was dead-lettered: zero.
        assert_eq!(
            counts(&outgoing_headers(&r, &selection(), &prov, &is_dlq)),
            ["0"]
        );
        // Back in the DLQ with the copied headers of an earlier redrive.
        r.headers.extend([
            (H_ID.into(), Some(b"rp-1".to_vec())),
            (H_REDRIVES.into(), Some(b"2".to_vec())),
            ("kafka_dlt-original-topic".into(), Some(b"orders".to_vec())),
        ]);
        let mut sel = selection();
        sel.destination = Destination::Redrive;
        let hs = outgoing_headers(&r, &sel, &prov, &is_dlq);
        assert_eq!(counts(&hs), ["3"]);
        assert_eq!(hs.iter().filter(|(k, _)| k == H_ID).count(), 1);
        // `--to TOPIC` out of a DLQ is a redrive too: the record has DLQ headers.
        assert_eq!(
            counts(&outgoing_headers(&r, &selection(), &prov, &is_dlq)),
            ["3"]
        );
        // Redriven before the count existed: provenance only, that was once.
        r.headers.retain(|(k, _)| k != H_REDRIVES);
        assert_eq!(counts(&outgoing_headers(&r, &sel, &prov, &is_dlq)), ["2"]);
    }
}
