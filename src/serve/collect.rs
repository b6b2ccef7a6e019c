//! The collection loop: every `--interval`, lag first, then each DLQ topic, on
//! a blocking thread (librdkafka calls stay in sync code, see [`crate::app`]).
//! Each source's outcome goes to the [`Board`] as soon as it is complete, so a
//! slow first scan of a large DLQ does not hold back the lag figures. A cycle
//! that overruns the interval starts the next at once, never two at a time.

use std::collections::BTreeSet;
use std::sync::Arc;
use std::time::Instant;

use chrono::Utc;
use sha2::{Digest, Sha256};

use super::board::{Board, Figures};
use super::dlq::Follower;
use super::window::Window;
use super::{LagSpec, ServeRequest};
use crate::app::{blocking, Context};
use crate::error::Result;
use crate::kafka::Kafka;
use crate::lag::collect::Collector;
use crate::lag::model::GroupLag;
use crate::signal::Stop;

/// Notes said once each, up to this many (a note names a group or partition).
const MAX_NOTES: usize = 1000;

pub struct Sources {
    ctx: Arc<Context>,
    kafka: Kafka,
    lag: Option<LagSource>,
    dlq: Vec<Follower>,
    said: BTreeSet<String>,
}

struct LagSource {
    spec: LagSpec,
    /// Checked at start and kept: each later cycle refreshes the metadata and
    /// groups on the same client (new groups and partitions are picked up), so
    /// no cycle connects anew.
    collector: Collector,
    /// The first cycle uses what the start resolved.
    fresh: bool,
    window: Window,
}

impl Sources {
    /// Connect and check everything once, so a bad setting fails at start.
    pub fn start(req: &ServeRequest, ctx: Arc<Context>) -> Result<Sources> {
        let kafka = ctx.kafka()?;
        let lag = match &req.lag {
            None => None,
            Some(spec) => {
                let c = Collector::new(&kafka, &spec.selection, spec.topic.clone(), spec.ages)?;
                let path = crate::replay::state::state_dir().ok().map(|d| {
                    d.join("serve")
                        .join(format!("lag-window-{}.json", window_key(&ctx, spec)))
                });
                let note = |n: &str| ctx.out.note(n);
                let window = Window::load(path, req.window, req.interval, Utc::now(), &note);
                Some(LagSource {
                    spec: spec.clone(),
                    collector: c,
                    fresh: true,
                    window,
                })
            }
        };
        let dlq = req
            .dlq
            .iter()
            .map(|d| Follower::new(d, &kafka))
            .collect::<Result<Vec<_>>>()?;
        Ok(Sources {
            ctx,
            kafka,
            lag,
            dlq,
            said: BTreeSet::new(),
        })
    }

    fn note_once(&mut self, n: &str) {
        if self.said.len() < MAX_NOTES && self.said.insert(n.to_string()) {
            self.ctx.out.note(n);
        }
    }

    fn collect_lag(&mut self) -> Option<Result<Vec<GroupLag>>> {
        let src = self.lag.as_mut()?;
        let result = (|| {
            let c = &mut src.collector;
            if !std::mem::take(&mut src.fresh) {
                c.refresh(&src.spec.selection)?;
            }
            let snap = c.snapshot()?;
            Ok(src.window.push(snap, src.spec.allowed_lag))
        })();
        let notes = src.collector.take_notes();
        let src = self.lag.as_ref().expect("checked");
        if result.is_ok() {
            if let Err(e) = src.window.save() {
                self.note_once(&format!("lag window not saved: {e}"));
            }
        }
        for n in &notes {
            self.note_once(n);
        }
        Some(result)
    }

    /// One cycle over every source, each published as it completes.
    fn cycle(&mut self, board: &Board, stop: &Stop) {
        let mut i = 0;
        let started = Instant::now();
        if let Some(r) = self.collect_lag() {
            let took = started.elapsed().as_secs_f64();
            self.publish(board, i, r.map(Figures::Lag), took, "lag");
            i += 1;
        }
        for k in 0..self.dlq.len() {
            if stop.stopped() {
                return;
            }
            let started = Instant::now();
            let r = self.dlq[k].cycle(&self.kafka, &self.ctx, stop);
            let took = started.elapsed().as_secs_f64();
            let what = format!("dlq {}", self.dlq[k].topic());
            self.publish(
                board,
                i + k,
                r.map(|r| Figures::Dlq(Box::new(r))),
                took,
                &what,
            );
        }
    }

    fn publish(&mut self, board: &Board, i: usize, r: Result<Figures>, took: f64, what: &str) {
        let r = r.map_err(|e| {
            let msg = match e.hint() {
                Some(h) => format!("{e} (hint: {h})"),
                None => e.to_string(),
            };
            self.ctx
                .out
                .warn(&format!("{what}: collection failed: {msg}"));
            msg
        });
        board.record(i, r, took, Utc::now());
    }
}

/// The window file of one configuration: the same brokers and selection after a
/// restart find their window; another exporter on the host has its own.
fn window_key(ctx: &Context, spec: &LagSpec) -> String {
    let brokers = ctx.settings.brokers.as_ref().map(|s| s.value.as_str());
    let desc = format!("{brokers:?}|{:?}|{:?}", spec.selection, spec.topic);
    hex::encode(&Sha256::digest(desc.as_bytes())[..6])
}

/// Collect every `interval` until stopped.
pub async fn run(
    mut sources: Sources,
    board: Arc<Board>,
    interval: std::time::Duration,
    stop: Stop,
) {
    loop {
        let began = tokio::time::Instant::now();
        let (b, s) = (board.clone(), stop.clone());
        sources = match blocking(move || {
            sources.cycle(&b, &s);
            sources
        })
        .await
        {
            Ok(s) => s,
            // A panic in a cycle: nothing more can be collected; the server says so.
            Err(e) => {
                eprintln!("kafkaops serve: the collector stopped: {e}");
                return;
            }
        };
        tokio::select! {
            _ = tokio::time::sleep_until(began + interval) => {}
            _ = stop.wait() => return,
        }
        if stop.stopped() {
            return;
        }
    }
}
