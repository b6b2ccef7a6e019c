//! Broker access for `kafkaops lag`: resolve the groups, then take snapshots. One
//! snapshot is a handful of batched calls on one client: committed offsets of every
//! group pipelined through one admin client, one pair of ListOffsets rounds per
//! topic for the watermarks, DescribeGroups in chunks, and a bounded pool of point
//! readers that fetch the single record at each distinct first-unconsumed offset
//! once (many groups share offsets) for the event age.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use chrono::Utc;
use regex::Regex;

use super::model::{GroupObservation, PartitionObservation, Snapshot};
use crate::error::{Error, Result};
use crate::kafka::{
    AdminError, ClosingConsumer, Committed, Described, Description, Kafka, ListedGroup,
    OffsetsQuery, Op, Point, PointPool,
};

/// OffsetFetch requests in flight at once on the one admin client.
const MAX_IN_FLIGHT: usize = 256;
/// Groups per DescribeGroups request.
const DESCRIBE_CHUNK: usize = 100;
/// Concurrent record readers for event ages. Each is a consumer of its own, and
/// now and then one waited a second for its first fetch; with eight readers one
/// lag run in ten took a second longer, with four none in twenty, and reading was
/// no slower (each reader fetches all its partitions at once).
const AGE_READERS: usize = 4;

/// Which groups to report.
#[derive(Clone, Debug)]
pub enum GroupSelection {
    /// `--group` (repeatable), optionally widened by `--group-regex`.
    Named {
        names: Vec<String>,
        regex: Option<Regex>,
    },
    /// `--group-regex` only.
    Matching(Regex),
    /// Every group on the cluster.
    All,
}

/// A group chosen for reporting, with the state ListGroups gave (if listed).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Target {
    pub group: String,
    pub listed_state: Option<String>,
    /// Whether ListGroups listed it: `None` when not asked or not every broker answered.
    pub listed: Option<bool>,
}

/// One client for every snapshot of a run: `serve` and `lag --watch` keep it
/// (and its record readers) for as long as they run, and [`Collector::refresh`]
/// re-reads the metadata and the group selection on it.
pub struct Collector {
    kafka: Kafka,
    consumer: ClosingConsumer,
    /// Readers of the records at the first unconsumed offsets, kept across snapshots.
    points: PointPool,
    topic: Option<String>,
    ages: bool,
    targets: Vec<Target>,
    /// Partition ids per topic, from metadata, until the next refresh.
    partitions: BTreeMap<String, Vec<i32>>,
    /// The broker cannot describe groups: stop asking after the first failure.
    describe_failed: bool,
    /// Groups the broker said do not exist (kept once describing stops).
    missing: BTreeSet<String>,
    /// Notes for the user, each said once.
    pub notes: Vec<String>,
}

impl Collector {
    /// Connect, check the topic, and resolve the group selection.
    pub fn new(
        kafka: &Kafka,
        selection: &GroupSelection,
        topic: Option<String>,
        ages: bool,
    ) -> Result<Self> {
        // Metadata, offsets and admin requests only: no consumer group machinery.
        let consumer = kafka.admin_client()?;
        let mut c = Collector {
            kafka: kafka.clone(),
            consumer,
            points: PointPool::new(kafka, AGE_READERS),
            topic,
            ages,
            targets: Vec::new(),
            partitions: BTreeMap::new(),
            describe_failed: false,
            missing: BTreeSet::new(),
            notes: Vec::new(),
        };
        c.partitions = c.read_partitions()?;
        c.targets = c.resolve(selection)?;
        Ok(c)
    }

    /// Read the metadata and resolve the selection again on the same client, for
    /// a long run (`serve`): groups and partitions created since are picked up,
    /// deleted ones dropped, and no client is made anew.
    pub fn refresh(&mut self, selection: &GroupSelection) -> Result<()> {
        self.partitions = self.read_partitions()?;
        self.targets = self.resolve(selection)?;
        let targets: BTreeSet<&str> = self.targets.iter().map(|t| t.group.as_str()).collect();
        self.missing.retain(|g| targets.contains(g.as_str()));
        Ok(())
    }

    /// The notes gathered so far, handed over: a long run says each once and
    /// keeps none here.
    pub fn take_notes(&mut self) -> Vec<String> {
        std::mem::take(&mut self.notes)
    }

    /// Partition ids per topic: of `--topic` only, or of every topic.
    fn read_partitions(&self) -> Result<BTreeMap<String, Vec<i32>>> {
        let mut out = BTreeMap::new();
        match &self.topic {
            Some(t) => {
                let meta = self.kafka.topic_with(&self.consumer, t)?;
                out.insert(meta.name.clone(), meta.partition_ids());
            }
            None => {
                let md = self.kafka.metadata_with(&self.consumer, None)?;
                for t in md.topics {
                    let ids = t.partition_ids();
                    out.insert(t.name, ids);
                }
            }
        }
        Ok(out)
    }

    pub fn targets(&self) -> &[Target] {
        &self.targets
    }

    fn admin_error(&self, e: &AdminError, what: &str) -> Error {
        self.kafka
            .classify_admin(e, Op::Describe, what, &self.consumer)
    }

    fn resolve(&mut self, selection: &GroupSelection) -> Result<Vec<Target>> {
        let (names, regex) = match selection {
            GroupSelection::Named { names, regex: None } => {
                return Ok(names
                    .iter()
                    .map(|g| Target {
                        group: g.clone(),
                        listed_state: None,
                        listed: None,
                    })
                    .collect())
            }
            GroupSelection::Named {
                names,
                regex: Some(r),
            } => (names.clone(), Some(r)),
            GroupSelection::Matching(r) => (Vec::new(), Some(r)),
            GroupSelection::All => (Vec::new(), None),
        };
        let (listed, complete) = self.list_groups()?;
        let mut targets: Vec<Target> = names
            .iter()
            .map(|g| {
                let found = listed.iter().find(|l| &l.group == g);
                Target {
                    group: g.clone(),
                    listed_state: found.and_then(|l| l.state.clone()),
                    listed: (found.is_some() || complete).then_some(found.is_some()),
                }
            })
            .collect();
        for l in listed {
            if targets.iter().any(|t| t.group == l.group) {
                continue;
            }
            if regex.is_none_or(|r| r.is_match(&l.group)) {
                targets.push(Target {
                    group: l.group,
                    listed_state: l.state,
                    listed: Some(true),
                });
            }
        }
        if targets.is_empty() {
            return Err(match regex {
                Some(r) => Error::usage_hint(
                    format!("no consumer group matches --group-regex '{}'", r.as_str()),
                    "check the pattern (it is a regex, anchored only if you write ^ and $), or name groups with --group",
                ),
                None => Error::usage_hint(
                    "the cluster lists no consumer groups",
                    "name the groups to check with --group G (repeatable)",
                ),
            });
        }
        targets.sort_by(|a, b| a.group.cmp(&b.group));
        Ok(targets)
    }

    /// ListGroups, and whether every broker answered; a broker without it is told
    /// apart from one without groups.
    fn list_groups(&mut self) -> Result<(Vec<ListedGroup>, bool)> {
        let hint = "this broker cannot list consumer groups (ListGroups); name them with --group G (repeatable)";
        let refused = |e: &AdminError| {
            if e.is_unsupported() {
                unsupported_listing(e, hint)
            } else {
                self.admin_error(e, "list consumer groups")
            }
        };
        let listed = self
            .kafka
            .list_groups(&self.consumer)
            .map_err(|e| refused(&e))?;
        if listed.groups.is_empty() {
            if let Some(e) = listed.errors.first() {
                // Every broker refused: the mock cluster and some proxies lack ListGroups.
                return Err(refused(e));
            }
        }
        // Groups on a broker that answered are real; a broker that failed is said aloud.
        if let Some(e) = listed.errors.first() {
            self.notes.push(format!(
                "{} broker(s) failed to list their groups ({e}); groups they coordinate may be missing",
                listed.errors.len()
            ));
        }
        Ok((listed.groups, listed.errors.is_empty()))
    }

    /// One snapshot of every target group.
    pub fn snapshot(&mut self) -> Result<Snapshot> {
        let committed = self.committed_offsets()?;
        let topics: BTreeSet<String> = committed
            .values()
            .flat_map(|ps| ps.iter().map(|(t, _, _)| t.clone()))
            .collect();
        let mut watermarks: HashMap<(String, i32), (i64, i64)> = HashMap::new();
        for t in &topics {
            let parts = self.partitions.get(t).cloned().unwrap_or_default();
            for w in self.kafka.watermarks(&self.consumer, t, &parts)? {
                watermarks.insert((t.clone(), w.partition), (w.low, w.high));
            }
        }
        let descriptions = self.describe();
        let missing = &self.missing;
        let at = Utc::now();
        let mut groups: Vec<GroupObservation> = self
            .targets
            .iter()
            .map(|t| {
                let desc = descriptions.get(&t.group);
                GroupObservation {
                    group: t.group.clone(),
                    state: desc
                        .and_then(|d| d.state.clone())
                        .or_else(|| t.listed_state.clone()),
                    members: desc.map(|d| d.members),
                    found: match (desc, missing.contains(&t.group)) {
                        (Some(d), _) => Some(!d.is_dead()),
                        (None, true) => Some(false),
                        _ => t.listed,
                    },
                    partitions: committed
                        .get(&t.group)
                        .map(|ps| {
                            ps.iter()
                                .map(|(topic, p, off)| {
                                    let (low, high) = watermarks
                                        .get(&(topic.clone(), *p))
                                        .copied()
                                        .unwrap_or((0, 0));
                                    PartitionObservation {
                                        topic: topic.clone(),
                                        partition: *p,
                                        committed: *off,
                                        log_start: low,
                                        log_end: high,
                                        next_record_ts_ms: None,
                                        nothing_to_read: false,
                                    }
                                })
                                .collect()
                        })
                        .unwrap_or_default(),
                }
            })
            .collect();
        if self.ages {
            self.fill_ages(&mut groups)?;
        }
        Ok(Snapshot {
            at,
            groups,
            ages: self.ages,
        })
    }

    /// Committed offsets per group as (topic, partition, offset) with every partition
    /// of each topic the group reads (uncommitted ones as `None`).
    fn committed_offsets(&mut self) -> Result<HashMap<String, CommittedRows>> {
        let explicit: Option<Vec<(String, i32)>> = self.topic.as_ref().map(|t| {
            self.partitions
                .get(t)
                .map(|ps| ps.iter().map(|p| (t.clone(), *p)).collect())
                .unwrap_or_default()
        });
        let queries: Vec<OffsetsQuery> = self
            .targets
            .iter()
            .map(|t| OffsetsQuery {
                group: t.group.clone(),
                partitions: explicit.clone(),
            })
            .collect();
        let mut results = self.fetch_offsets(&queries)?;
        if explicit.is_none() && !results.is_empty() && results.iter().all(|r| r.is_empty()) {
            // Asking for "all partitions" answered nothing for any group. Real brokers
            // do that only when no group committed anything; the librdkafka mock
            // cluster always does. Ask again naming every partition of every topic.
            let every: Vec<(String, i32)> = self
                .partitions
                .iter()
                .filter(|(t, _)| !t.starts_with("__"))
                .flat_map(|(t, ps)| ps.iter().map(move |p| (t.clone(), *p)))
                .collect();
            if !every.is_empty() {
                let queries: Vec<OffsetsQuery> = queries
                    .into_iter()
                    .map(|q| OffsetsQuery {
                        group: q.group,
                        partitions: Some(every.clone()),
                    })
                    .collect();
                results = self.fetch_offsets(&queries)?;
            }
        }
        let mut out = HashMap::new();
        for (target, committed) in self.targets.iter().zip(results) {
            // Every partition of each topic the group committed on, so partitions it
            // never committed show up as such.
            let by_topic: BTreeMap<&str, Vec<&Committed>> =
                committed.iter().fold(BTreeMap::new(), |mut m, c| {
                    m.entry(c.topic.as_str()).or_insert_with(Vec::new).push(c);
                    m
                });
            let mut rows = Vec::new();
            for (topic, cs) in by_topic {
                let any_commit = cs.iter().any(|c| c.offset.is_some());
                if self.topic.is_none() && !any_commit {
                    continue;
                }
                let Some(ids) = self.partitions.get(topic).cloned() else {
                    let note = format!(
                        "group '{}' has committed offsets on topic '{topic}', which no longer exists; not shown",
                        target.group
                    );
                    if !self.notes.contains(&note) {
                        self.notes.push(note);
                    }
                    continue;
                };
                for p in ids {
                    let off = cs.iter().find(|c| c.partition == p).and_then(|c| c.offset);
                    rows.push((topic.to_string(), p, off));
                }
            }
            out.insert(target.group.clone(), rows);
        }
        Ok(out)
    }

    fn fetch_offsets(&mut self, queries: &[OffsetsQuery]) -> Result<Vec<Vec<Committed>>> {
        let results = self
            .kafka
            .committed_offsets(&self.consumer, queries, MAX_IN_FLIGHT)
            .map_err(|e| self.admin_error(&e, "fetch committed offsets"))?;
        let mut out = Vec::with_capacity(results.len());
        for (q, r) in queries.iter().zip(results) {
            let committed = r.map_err(|e| {
                self.admin_error(
                    &e,
                    &format!("fetch committed offsets of group '{}'", q.group),
                )
            })?;
            for c in committed.iter().filter(|c| c.error.is_some()) {
                let e = c.error.as_ref().expect("filtered");
                let note = format!(
                    "group '{}' {}[{}]: the committed offset is unavailable ({e}); shown as no commit",
                    q.group, c.topic, c.partition
                );
                if !self.notes.contains(&note) {
                    self.notes.push(note);
                }
            }
            out.push(committed);
        }
        Ok(out)
    }

    /// State and members per group; empty (with a note, once) when the broker cannot
    /// describe groups. (Asked after the committed offsets, not alongside them:
    /// concurrent DescribeGroups and OffsetFetch requests broke connections to Tansu.)
    fn describe(&mut self) -> HashMap<String, Description> {
        let mut out = HashMap::new();
        let mut missing = BTreeSet::new();
        if self.describe_failed || self.targets.is_empty() {
            return out;
        }
        let names: Vec<String> = self.targets.iter().map(|t| t.group.clone()).collect();
        let mut first_error = None;
        // One group first: a broker without DescribeGroups (librdkafka's mock cluster)
        // refuses it at once, and asking about every other group would only add a
        // coordinator lookup and a round trip per chunk before the same answer.
        let mut pending = &names[..];
        if names.len() > 1 {
            match self.kafka.describe_groups(&self.consumer, &names[..1], 1) {
                Ok(descs) => {
                    absorb(descs, &mut out, &mut missing, &mut first_error);
                    pending = &names[1..];
                }
                // Asked again below, with the others.
                Err(e) => {
                    first_error.get_or_insert(e);
                }
            }
            if first_error.as_ref().is_some_and(AdminError::is_unsupported) {
                pending = &[];
            }
        }
        if !pending.is_empty() {
            match self
                .kafka
                .describe_groups(&self.consumer, pending, DESCRIBE_CHUNK)
            {
                Ok(descs) => absorb(descs, &mut out, &mut missing, &mut first_error),
                Err(e) => first_error = Some(e),
            }
        }
        // Only "no such group" answers (Tansu's for unknown groups) are no failure.
        self.missing.extend(missing);
        if out.is_empty() {
            if let Some(e) = first_error {
                self.describe_failed = true;
                self.notes.push(format!(
                    "the broker cannot describe consumer groups (DescribeGroups: {e}); group state and members are shown as unknown"
                ));
            }
        }
        out
    }

    /// Read the first unconsumed record of every lagging partition, once per distinct
    /// (topic, partition, offset), and fill in its timestamp.
    fn fill_ages(&mut self, groups: &mut [GroupObservation]) -> Result<()> {
        let mut wanted: BTreeMap<(String, i32), BTreeSet<i64>> = BTreeMap::new();
        for g in groups.iter() {
            for p in &g.partitions {
                if let Some(o) = p.first_unconsumed() {
                    wanted
                        .entry((p.topic.clone(), p.partition))
                        .or_default()
                        .insert(o);
                }
            }
        }
        if wanted.is_empty() {
            return Ok(());
        }
        let found = self.points.read(&wanted)?;
        let mut unreadable = 0usize;
        for g in groups.iter_mut() {
            for p in &mut g.partitions {
                if let Some(o) = p.first_unconsumed() {
                    // At the end (only aborted transactions and markers follow):
                    // nothing to consume. Deleted meanwhile, unreadable or without a
                    // timestamp: the age is unknown.
                    match found.get(&(p.topic.clone(), p.partition, o)) {
                        Some(Point::Record { timestamp_ms, .. }) => {
                            p.next_record_ts_ms = *timestamp_ms
                        }
                        Some(Point::End) => p.nothing_to_read = true,
                        _ => {}
                    }
                    if p.next_record_ts_ms.is_none() && !p.nothing_to_read {
                        unreadable += 1;
                    }
                }
            }
        }
        if unreadable > 0 {
            let note = format!("{unreadable} lagging partition(s) have an unknown event age: the first unconsumed record could not be read");
            if !self.notes.contains(&note) {
                self.notes.push(note);
            }
        }
        Ok(())
    }
}

fn unsupported_listing(e: &AdminError, hint: &str) -> Error {
    Error::Unsupported {
        api: "listing consumer groups".into(),
        detail: format!("ListGroups failed ({e})"),
        hint: Some(hint.into()),
    }
}

/// (topic, partition, committed offset or none) rows of one group.
type CommittedRows = Vec<(String, i32, Option<i64>)>;

/// Keep the descriptions, the groups the broker says do not exist (Tansu answers
/// "group id not found" where Kafka describes them as `Dead`), and the first other
/// per-group error.
fn absorb(
    descs: Described,
    out: &mut HashMap<String, Description>,
    missing: &mut BTreeSet<String>,
    first_error: &mut Option<AdminError>,
) {
    for (name, r) in descs {
        match r {
            Ok(d) => {
                out.insert(name, d);
            }
            Err(e) if e.is_unknown_group() => {
                missing.insert(name);
            }
            Err(e) => {
                first_error.get_or_insert(e);
            }
        }
    }
}
