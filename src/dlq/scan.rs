//! Reading the dead-letter topic: turn a [`Scope`] into per-partition offset
//! ranges (watermarks, `--partitions`, `--from/--until` through
//! offsets-for-times, `--max-records`), then stream the records through a
//! callback with a progress bar, filtering by timestamp where the broker could
//! not resolve times to offsets, and stopping cleanly on Ctrl-C or SIGTERM
//! ([`crate::signal`]).

use std::collections::BTreeMap;
use std::sync::atomic::{AtomicBool, Ordering};

use crate::kafka::{Message, Record};
use serde::Serialize;

use super::Scope;
use crate::error::Result;
use crate::kafka::{balance_ranges, Kafka, Lookup, OffsetRange};
use crate::output::Output;
use crate::signal::Stop;

/// The planned read of one partition.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub struct PartitionPlan {
    pub partition: i32,
    /// Low and high watermark.
    pub low: i64,
    pub high: i64,
    /// Offsets read: `[start, end)`.
    pub start: i64,
    pub end: i64,
}

/// How `--from/--until` were turned into offsets. Either way, records inside
/// the offsets whose timestamps fall outside the window (timestamps are not
/// monotonic) are skipped and counted as `outside_window`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum TimeFilter {
    /// No time window.
    None,
    /// The broker's offsets-for-times answers.
    Broker,
    /// A search over record timestamps (the broker could not answer).
    Search,
}

/// What a DLQ command reads: the offset range of each partition and the time
/// window records must fall in.
#[derive(Clone, Debug)]
pub struct ScanPlan {
    pub topic: String,
    pub partitions: Vec<PartitionPlan>,
    pub from_ms: Option<i64>,
    pub until_ms: Option<i64>,
    pub time_filter: TimeFilter,
    /// Records in the watermarks of the chosen partitions.
    pub available: u64,
    /// Records the plan reads.
    pub total: u64,
}

impl ScanPlan {
    fn ranges(&self) -> Vec<OffsetRange> {
        self.partitions
            .iter()
            .filter(|p| p.end > p.start)
            .map(|p| OffsetRange {
                partition: p.partition,
                start: p.start,
                end: p.end,
            })
            .collect()
    }

    pub fn in_window(&self, ts: Option<i64>) -> bool {
        if self.from_ms.is_none() && self.until_ms.is_none() {
            return true;
        }
        let Some(t) = ts else { return false };
        self.from_ms.is_none_or(|f| t >= f) && self.until_ms.is_none_or(|u| t < u)
    }
}

/// Build the read plan. Notes about fallbacks go to stderr.
pub fn plan(kafka: &Kafka, scope: &Scope, out: &Output, exact: &[(i32, i64)]) -> Result<ScanPlan> {
    let consumer = kafka.consumer(None)?;
    let meta = kafka.topic_with(&consumer, &scope.topic)?;
    let count = meta.partitions.len();
    let mut ids = meta.partition_ids();
    if let Some(set) = &scope.partitions {
        set.check_against(&scope.topic, count)?;
        ids.retain(|p| set.contains(*p));
    }
    if !exact.is_empty() {
        for (p, _) in exact {
            if !meta.partitions.iter().any(|m| m.id == *p) {
                return Err(crate::error::Error::usage_hint(
                    format!("partition {p} does not exist on topic '{}'", scope.topic),
                    format!(
                        "'{}' has {count} partitions (0-{})",
                        scope.topic,
                        count.saturating_sub(1)
                    ),
                ));
            }
        }
        ids.retain(|p| exact.iter().any(|(q, _)| q == p));
    }
    let wms = kafka.watermarks(&consumer, &scope.topic, &ids)?;
    let mut parts: Vec<PartitionPlan> = wms
        .iter()
        .map(|w| PartitionPlan {
            partition: w.partition,
            low: w.low,
            high: w.high,
            start: w.low,
            end: w.high,
        })
        .collect();
    let available: u64 = parts.iter().map(|p| (p.high - p.low).max(0) as u64).sum();

    // Exact coordinates narrow each partition to the span of asked offsets.
    if !exact.is_empty() {
        for p in &mut parts {
            let mine = exact
                .iter()
                .filter(|(q, _)| *q == p.partition)
                .map(|(_, o)| *o);
            let (lo, hi) = mine.fold((i64::MAX, i64::MIN), |(a, b), o| (a.min(o), b.max(o)));
            p.start = lo.max(p.low);
            p.end = (hi.saturating_add(1)).min(p.high);
        }
        for (p, o) in exact {
            if let Some(pp) = parts.iter().find(|x| x.partition == *p) {
                if *o < pp.low || *o >= pp.high {
                    out.warn(&format!(
                        "offset {p}:{o} is outside {}[{p}] (offsets {}..{} exist)",
                        scope.topic, pp.low, pp.high
                    ));
                }
            }
        }
    }

    let from_ms = scope.from.map(|t| t.timestamp_millis());
    let until_ms = scope.until.map(|t| t.timestamp_millis());
    let mut time_filter = TimeFilter::None;
    if from_ms.is_some() || until_ms.is_some() {
        time_filter = TimeFilter::Broker;
        let mut searched = false;
        for (bound, is_from) in [(from_ms, true), (until_ms, false)] {
            let Some(ts) = bound else { continue };
            for at in kafka.offsets_at_time(&consumer, &scope.topic, &wms, ts.max(0))? {
                searched |= at.lookup == Lookup::Search;
                let Some(pp) = parts.iter_mut().find(|x| x.partition == at.partition) else {
                    continue;
                };
                if is_from {
                    pp.start = pp.start.max(at.offset).min(pp.end);
                } else {
                    pp.end = pp.end.min(at.offset).max(pp.start);
                }
            }
        }
        if searched {
            time_filter = TimeFilter::Search;
            out.note(&format!(
                "the broker could not answer offsets-for-times on '{}'; found the --from/--until \
                 offsets by searching record timestamps",
                scope.topic
            ));
        }
    }

    if let Some(max) = scope.max_records {
        let before: u64 = parts.iter().map(|p| (p.end - p.start).max(0) as u64).sum();
        if before > max {
            spread_max(&mut parts, max);
            out.note(&format!(
                "reading {max} of {before} records in range (--max-records); counts are a sample"
            ));
        }
    }
    let total = parts.iter().map(|p| (p.end - p.start).max(0) as u64).sum();
    Ok(ScanPlan {
        topic: scope.topic.clone(),
        partitions: parts,
        from_ms,
        until_ms,
        time_filter,
        available,
        total,
    })
}

/// Cut the ranges so they hold `max` records in total, spread as evenly as the
/// partition sizes allow (a small partition's unused share goes to the others).
fn spread_max(parts: &mut [PartitionPlan], max: u64) {
    let mut sizes: BTreeMap<usize, u64> = parts
        .iter()
        .enumerate()
        .map(|(i, p)| (i, (p.end - p.start).max(0) as u64))
        .collect();
    let mut give: BTreeMap<usize, u64> = BTreeMap::new();
    let mut left = max;
    while left > 0 && !sizes.is_empty() {
        let n = sizes.len() as u64;
        let share = (left / n).max(1);
        let mut done = Vec::new();
        for (i, size) in sizes.iter_mut() {
            if left == 0 {
                break;
            }
            let take = share.min(*size).min(left);
            *give.entry(*i).or_default() += take;
            *size -= take;
            left -= take;
            if *size == 0 {
                done.push(*i);
            }
        }
        for i in done {
            sizes.remove(&i);
        }
    }
    for (i, p) in parts.iter_mut().enumerate() {
        p.end = p.start + give.get(&i).copied().unwrap_or(0) as i64;
    }
}

/// What the callback wants next.
pub enum Flow {
    Continue,
    Stop,
}

/// Counters of one scan.
#[derive(Clone, Copy, Debug, Default, Serialize)]
pub struct ScanCounts {
    /// Records read from the broker.
    pub read: u64,
    /// Records inside the time window, handed to the command.
    pub matched: u64,
    /// Records skipped because their timestamp is outside `--from/--until`.
    pub outside_window: u64,
    /// The scan stopped early (Ctrl-C).
    pub interrupted: bool,
}

/// Stream the planned records through `f`, on the calling thread.
pub fn run<F>(
    kafka: &Kafka,
    plan: &ScanPlan,
    out: &Output,
    what: &str,
    mut f: F,
) -> Result<ScanCounts>
where
    F: FnMut(&Record<'_>) -> Result<Flow>,
{
    let ranges = plan.ranges();
    if ranges.is_empty() {
        return Ok(ScanCounts::default());
    }
    let shared = Shared::new(plan, out, what);
    let counts = drain(kafka, plan, &ranges, &shared, &mut f);
    shared.bar.finish_and_clear();
    counts
}

/// What the lanes of one scan share.
struct Shared {
    /// Set by Ctrl-C or SIGTERM.
    stop: Stop,
    /// Set when a lane stopped the scan (its callback said so, or it failed).
    halt: AtomicBool,
    bar: indicatif::ProgressBar,
}

impl Shared {
    fn new(plan: &ScanPlan, out: &Output, what: &str) -> Self {
        Shared {
            stop: Stop::install(),
            halt: AtomicBool::new(false),
            bar: out.progress(Some(plan.total), what),
        }
    }
}

/// Read `ranges` through `f` until they end or the scan is stopped.
fn drain<F>(
    kafka: &Kafka,
    plan: &ScanPlan,
    ranges: &[OffsetRange],
    shared: &Shared,
    f: &mut F,
) -> Result<ScanCounts>
where
    F: FnMut(&Record<'_>) -> Result<Flow>,
{
    let mut counts = ScanCounts::default();
    let result = (|| {
        let mut stream = kafka.stream(&plan.topic, ranges)?;
        // The bar is moved every 256 records: each move reads the clock.
        let mut unreported = 0u64;
        while let Some(msg) = stream.next_record()? {
            counts.read += 1;
            unreported += 1;
            if unreported == 256 {
                shared.bar.inc(unreported);
                unreported = 0;
            }
            if !plan.in_window(msg.timestamp().to_millis()) {
                counts.outside_window += 1;
            } else {
                counts.matched += 1;
                if let Flow::Stop = f(&msg)? {
                    shared.halt.store(true, Ordering::Relaxed);
                    break;
                }
            }
            if shared.stop.stopped() {
                counts.interrupted = true;
                break;
            }
            if shared.halt.load(Ordering::Relaxed) {
                break;
            }
        }
        shared.bar.inc(unreported);
        Ok(())
    })();
    if result.is_err() {
        // Other lanes stop too: their work is lost with this error.
        shared.halt.store(true, Ordering::Relaxed);
    }
    result.map(|()| counts)
}

/// Records a scan must hold before it is split over several lanes: a lane costs a
/// consumer (connections, its own fetches), which only pays off on large scans.
const MIN_RECORDS_PER_LANE: u64 = 50_000;
/// At most this many lanes, whatever the core count: the broker must keep up too.
const MAX_LANES: usize = 4;

/// How many lanes to read `plan` with: as asked (`--threads`), else one per core
/// (up to [`MAX_LANES`]) when the scan is large enough; never more than the
/// partitions with records to read.
pub fn lanes_for(plan: &ScanPlan, asked: Option<usize>) -> usize {
    let partitions = plan.partitions.iter().filter(|p| p.end > p.start).count();
    let lanes = asked.unwrap_or_else(|| {
        let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
        let by_size = (plan.total / MIN_RECORDS_PER_LANE) as usize;
        cores.min(MAX_LANES).min(by_size)
    });
    lanes.min(partitions).max(1)
}

/// Stream the planned records through `f` on several threads ("lanes"), each
/// with its own consumer over a disjoint set of partitions and its own state
/// from `init`; the states come back in lane order, for the caller to merge.
/// With one lane this runs on the calling thread.
pub fn run_lanes<S, I, F>(
    kafka: &Kafka,
    plan: &ScanPlan,
    out: &Output,
    what: &str,
    lanes: usize,
    init: I,
    f: F,
) -> Result<(Vec<S>, ScanCounts)>
where
    S: Send,
    I: Fn() -> S + Sync,
    F: Fn(&mut S, &Record<'_>) -> Result<Flow> + Sync,
{
    let ranges = plan.ranges();
    if ranges.is_empty() {
        return Ok((vec![init()], ScanCounts::default()));
    }
    let shared = Shared::new(plan, out, what);
    let groups = balance_ranges(&ranges, lanes);
    let lane = |ranges: &[OffsetRange]| -> Result<(S, ScanCounts)> {
        let mut state = init();
        let counts = drain(kafka, plan, ranges, &shared, &mut |m| f(&mut state, m))?;
        Ok((state, counts))
    };
    let results: Vec<Result<(S, ScanCounts)>> = if groups.len() == 1 {
        vec![lane(&groups[0])]
    } else {
        std::thread::scope(|scope| {
            let handles: Vec<_> = groups.iter().map(|g| scope.spawn(|| lane(g))).collect();
            handles
                .into_iter()
                .map(|h| h.join().unwrap_or_else(|p| std::panic::resume_unwind(p)))
                .collect()
        })
    };
    shared.bar.finish_and_clear();
    let mut states = Vec::with_capacity(results.len());
    let mut total = ScanCounts::default();
    for r in results {
        let (state, c) = r?;
        states.push(state);
        total.read += c.read;
        total.matched += c.matched;
        total.outside_window += c.outside_window;
        total.interrupted |= c.interrupted;
    }
    Ok((states, total))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pp(partition: i32, start: i64, end: i64) -> PartitionPlan {
        PartitionPlan {
            partition,
            low: start,
            high: end,
            start,
            end,
        }
    }

    #[test]
    fn max_records_spread_over_partitions() {
        let mut parts = vec![pp(0, 0, 100), pp(1, 10, 12), pp(2, 0, 100)];
        spread_max(&mut parts, 50);
        let lens: Vec<i64> = parts.iter().map(|p| p.end - p.start).collect();
        assert_eq!(lens.iter().sum::<i64>(), 50);
        assert_eq!(lens[1], 2);
        assert_eq!(lens, vec![24, 2, 24]);
        let mut parts = vec![pp(0, 0, 3), pp(1, 0, 3)];
        spread_max(&mut parts, 1);
        assert_eq!(parts.iter().map(|p| p.end - p.start).sum::<i64>(), 1);
    }

    #[test]
    fn window_check() {
        let mut plan = ScanPlan {
            topic: "t".into(),
            partitions: vec![],
            from_ms: None,
            until_ms: None,
            time_filter: TimeFilter::None,
            available: 0,
            total: 0,
        };
        assert!(plan.in_window(None));
        plan.from_ms = Some(100);
        plan.until_ms = Some(200);
        assert!(!plan.in_window(None));
        assert!(!plan.in_window(Some(99)));
        assert!(plan.in_window(Some(100)));
        assert!(plan.in_window(Some(199)));
        assert!(!plan.in_window(Some(200)));
    }
}
