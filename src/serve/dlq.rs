//! One dead-letter topic followed incrementally: the triage aggregator and the
//! next offset per partition are kept across cycles, so each cycle reads only
//! the records appended since the last one and memory stays that of one
//! aggregator (bounded by `--max-categories`). The report is the one `dlq
//! triage` builds over the same records, with the same stable category IDs.
//!
//! Counting starts over (a full scan, logged) when what was counted no longer
//! matches the topic: retention deleted counted records (log start moved past
//! where counting began), the topic was recreated or truncated (log end below
//! the next offset), partitions were added, or the handled marks in the audit
//! log changed (they decide open and handled per record).

use std::collections::BTreeMap;
use std::time::{Duration, Instant};

use chrono::Utc;

use super::DlqSpec;
use crate::app::Context;
use crate::dlq::aggregate::Aggregator;
use crate::dlq::handled;
use crate::dlq::rules::Rules;
use crate::dlq::scan::{PartitionPlan, ScanCounts, ScanPlan, TimeFilter};
use crate::dlq::triage::{self, TriageReport};
use crate::dlq::{Classifier, ClassifierOptions, Scope, TriageRequest};
use crate::error::{Error, Result};
use crate::kafka::{ClosingConsumer, Kafka, Message, OffsetRange};
use crate::signal::Stop;

/// How often a long read says how far it got.
const PROGRESS_EVERY: Duration = Duration::from_secs(5);

pub struct Follower {
    req: TriageRequest,
    rules: Option<Rules>,
    classifier: Classifier,
    agg: Aggregator,
    /// Per partition: where counting began and the next offset to read.
    began: BTreeMap<i32, i64>,
    next: BTreeMap<i32, i64>,
    counts: ScanCounts,
    /// Handled marks the aggregate was counted with.
    marks: Option<u64>,
    /// Metadata and watermarks each cycle, on one client kept for the run.
    client: ClosingConsumer,
}

/// Why counting must start over, if it must.
fn restart_reason(
    began: &BTreeMap<i32, i64>,
    next: &BTreeMap<i32, i64>,
    wms: &[(i32, i64, i64)],
) -> Option<String> {
    if began.is_empty() {
        return None;
    }
    if wms.len() != began.len() {
        return Some(format!(
            "partitions changed ({} -> {})",
            began.len(),
            wms.len()
        ));
    }
    for (p, low, high) in wms {
        let (Some(b), Some(n)) = (began.get(p), next.get(p)) else {
            return Some(format!("partition {p} is new"));
        };
        if low > b {
            return Some(format!(
                "retention deleted counted records on partition {p}"
            ));
        }
        if high < n {
            return Some(format!(
                "partition {p} ends before what was read (truncated or recreated)"
            ));
        }
    }
    None
}

impl Follower {
    /// Check the rules and the topic now, so a mistake fails at start.
    pub fn new(spec: &DlqSpec, kafka: &Kafka) -> Result<Follower> {
        let rules = spec.rules.as_deref().map(Rules::load).transpose()?;
        let classifier = Classifier::new(ClassifierOptions::default())?;
        let client = kafka.admin_client()?;
        kafka.topic_with(&client, &spec.topic)?;
        let req = TriageRequest {
            scope: Scope {
                topic: spec.topic.clone(),
                from: None,
                until: None,
                partitions: None,
                max_records: None,
            },
            classifier: ClassifierOptions::default(),
            rules: spec.rules.clone(),
            sla: spec.sla,
            fail_on: Vec::new(),
            max_categories: spec.max_categories,
            threads: None,
            audit_log: spec.audit_log.clone(),
            out: None,
        };
        Ok(Follower {
            agg: Aggregator::new(spec.max_categories),
            req,
            rules,
            classifier,
            began: BTreeMap::new(),
            next: BTreeMap::new(),
            counts: ScanCounts::default(),
            marks: None,
            client,
        })
    }

    pub fn topic(&self) -> &str {
        &self.req.scope.topic
    }

    fn reset(&mut self) {
        self.agg = Aggregator::new(self.req.max_categories);
        self.began.clear();
        self.next.clear();
        self.counts = ScanCounts::default();
    }

    /// Read what was appended since the last cycle and report on everything counted.
    pub fn cycle(&mut self, kafka: &Kafka, ctx: &Context, stop: &Stop) -> Result<TriageReport> {
        let topic = self.req.scope.topic.clone();
        let meta = kafka.topic_with(&self.client, &topic)?;
        let wms: Vec<(i32, i64, i64)> = kafka
            .watermarks(&self.client, &topic, &meta.partition_ids())?
            .iter()
            .map(|w| (w.partition, w.low, w.high))
            .collect();
        let (marks, marks_report) = handled::load_for(kafka, &self.req.audit_log, ctx, &topic)?;
        let mut why = restart_reason(&self.began, &self.next, &wms);
        if self.marks.is_some_and(|m| m != marks.len()) {
            why = Some("the handled marks in the audit log changed".into());
        }
        if let Some(w) = why {
            ctx.out.note(&format!(
                "dlq {topic}: counting again from the log start: {w}"
            ));
            self.reset();
        }
        self.marks = Some(marks.len());
        let first = self.began.is_empty();
        for (p, low, _) in &wms {
            self.began.entry(*p).or_insert(*low);
            self.next.entry(*p).or_insert(*low);
        }
        let ranges: Vec<OffsetRange> = wms
            .iter()
            .filter_map(|(p, _, high)| {
                let start = self.next[p];
                (start < *high).then_some(OffsetRange {
                    partition: *p,
                    start,
                    end: *high,
                })
            })
            .collect();
        let planned: u64 = ranges.iter().map(|r| (r.end - r.start) as u64).sum();
        if first && planned > 0 {
            ctx.out
                .note(&format!("dlq {topic}: first scan of {planned} records"));
        }
        if !ranges.is_empty() {
            let started = Instant::now();
            let mut said = Instant::now();
            let mut read = 0u64;
            let mut stream = kafka.stream(&topic, &ranges)?;
            while let Some(msg) = stream.next_record()? {
                triage::observe(&self.classifier, &mut self.agg, &marks, &msg);
                // Kept per record: a read that fails halfway resumes after the
                // last counted record, and nothing is counted twice.
                self.next.insert(msg.partition(), msg.offset() + 1);
                read += 1;
                if stop.stopped() {
                    return Err(Error::Interrupted {
                        message: format!("stopped while reading {topic}"),
                        hint: None,
                    });
                }
                if first && said.elapsed() >= PROGRESS_EVERY {
                    said = Instant::now();
                    ctx.out.note(&format!(
                        "dlq {topic}: read {read} of {planned} records ({:.0} s)",
                        started.elapsed().as_secs_f64()
                    ));
                }
            }
            self.counts.read += read;
            self.counts.matched += read;
            if first {
                ctx.out.note(&format!(
                    "dlq {topic}: first scan done, {read} records in {:.1} s",
                    started.elapsed().as_secs_f64()
                ));
            }
        }
        // Markers and aborted records are never delivered: the range is done.
        for r in &ranges {
            self.next.insert(r.partition, r.end);
        }
        let partitions: Vec<PartitionPlan> = wms
            .iter()
            .map(|(p, low, high)| PartitionPlan {
                partition: *p,
                low: *low,
                high: *high,
                start: self.began[p],
                end: *high,
            })
            .collect();
        let plan = ScanPlan {
            topic,
            available: wms.iter().map(|(_, l, h)| (h - l).max(0) as u64).sum(),
            total: partitions
                .iter()
                .map(|p| (p.end - p.start).max(0) as u64)
                .sum(),
            partitions,
            from_ms: None,
            until_ms: None,
            time_filter: TimeFilter::None,
        };
        Ok(triage::build_report(
            &self.req,
            Utc::now(),
            self.rules.as_ref(),
            &plan,
            self.counts,
            self.agg.clone().finish(),
            marks_report,
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn m(xs: &[(i32, i64)]) -> BTreeMap<i32, i64> {
        xs.iter().copied().collect()
    }

    #[test]
    fn counting_starts_over_only_when_the_counted_records_changed() {
        let began = m(&[(0, 0), (1, 5)]);
        let next = m(&[(0, 10), (1, 8)]);
        assert_eq!(
            restart_reason(&m(&[]), &m(&[]), &[(0, 3, 9)]),
            None,
            "first cycle"
        );
        assert_eq!(
            restart_reason(&began, &next, &[(0, 0, 12), (1, 5, 8)]),
            None,
            "appended only"
        );
        assert!(restart_reason(&began, &next, &[(0, 1, 12), (1, 5, 8)])
            .unwrap()
            .contains("retention"));
        assert!(restart_reason(&began, &next, &[(0, 0, 9), (1, 5, 8)])
            .unwrap()
            .contains("truncated"));
        assert!(
            restart_reason(&began, &next, &[(0, 0, 10), (1, 5, 8), (2, 0, 0)])
                .unwrap()
                .contains("partitions changed")
        );
    }
}
