//! Executing a plan: read the planned ranges, apply the same verdicts the plan
//! counted, and re-publish each record through an idempotent producer under a
//! governor rate limit, with provenance headers. A delivery-report callback keeps
//! per-partition checkpoints of acknowledged offsets only; on resume the
//! destination is read for records this replay already wrote, so nothing is sent
//! twice. Ctrl-C (or SIGTERM) stops cleanly with a consistent checkpoint.
//!
//! - this file: one attempt from start to its recorded outcome;
//! - [`pump`]: the loop that sends, then drains; [`feed`]: the source records;
//! - [`delivery`]: acknowledgements and checkpoints; [`limiter`]: the rate limit;
//! - [`clock`]: the replay-time header; [`destination`]: watermarks and the
//!   resume scan of what the destination already holds; [`probe`]: the
//!   duplicate guard's look for earlier copies there.

mod clock;
mod delivery;
mod destination;
mod feed;
mod limiter;
mod probe;
mod pump;

use std::collections::HashSet;
use std::time::Instant;

use chrono::Utc;

use super::state::{Phase, ReplayState, Store};
use super::Auditor;
use crate::app::{blocking, Context};
use crate::error::{Error, Result};
use crate::exit::ExitCode;
use crate::kafka::Kafka;
use crate::signal::Stop;

pub use destination::{delivered_positions, destination_starts};
pub use probe::{earlier_copies, EarlierCopies, PROBE_LIMIT};

/// How an attempt ended.
pub enum Outcome {
    Completed,
    Interrupted,
    Failed(Error),
}

/// Run (or continue) a replay. `st` must already be saved as running with its
/// `dest_start`; `delivered` holds positions found in the destination.
pub async fn execute(
    ctx: &Context,
    kafka: &Kafka,
    store: &Store,
    auditor: &Auditor,
    st: &mut ReplayState,
    delivered: HashSet<(i32, i64)>,
) -> Result<ExitCode> {
    let started = Instant::now();
    let active_before = st.active_secs;
    let stop = Stop::install();
    // The loop runs on a blocking thread (see crate::app) with its own copy of the
    // state, handed back with the outcome. Should that thread panic, the copy is
    // lost: the state saved below then has an older checkpoint than the loop's
    // last save, which costs a resume only a longer scan (nothing is sent twice).
    let result = {
        let (out, kafka, store) = (ctx.out.clone(), kafka.clone(), store.clone());
        let mut owned = st.clone();
        blocking(move || {
            let r = pump::pump(
                &out,
                &kafka,
                &store,
                &mut owned,
                &delivered,
                &stop,
                active_before,
            );
            (owned, r)
        })
        .await
        .and_then(|(owned, r)| {
            *st = owned;
            r
        })
    };
    st.updated_at = Utc::now();
    st.pid = None;
    let outcome = match result {
        Ok(o) => o,
        Err(e) => Outcome::Failed(e),
    };
    match outcome {
        Outcome::Completed => {
            st.phase = Phase::Completed;
            st.finished_at = Some(st.updated_at);
            st.error = None;
            store.save(st)?;
            auditor
                .event(
                    st,
                    "finished",
                    Some("completed"),
                    None,
                    Some(started.elapsed().as_secs_f64()),
                )
                .await?;
            if st.plan.exact() {
                if st.counts.sent + st.counts.skipped_oversized != st.plan.records {
                    ctx.out.warn(&format!(
                        "{} records were sent but the plan counted {}; the source changed since planning",
                        st.counts.sent, st.plan.records
                    ));
                }
            } else if st.counts.records_seen() + st.counts.empty_offsets != st.plan.records {
                ctx.out.warn(&format!(
                    "{} records and {} empty offsets were read but the plan covers {} offsets; the source changed since planning",
                    st.counts.records_seen(),
                    st.counts.empty_offsets,
                    st.plan.records
                ));
            }
            Ok(ExitCode::Success)
        }
        Outcome::Interrupted => {
            st.phase = Phase::Interrupted;
            store.save(st)?;
            auditor
                .event(
                    st,
                    "interrupted",
                    None,
                    None,
                    Some(started.elapsed().as_secs_f64()),
                )
                .await?;
            Err(Error::Interrupted {
                message: format!(
                    "replay {} interrupted after {} of {} records",
                    st.id,
                    st.counts.sent,
                    st.plan.records_label()
                ),
                hint: Some(format!("continue with `kafkaops replay resume {}`", st.id)),
            })
        }
        Outcome::Failed(e) => {
            st.phase = Phase::Failed;
            st.error = Some(e.to_string());
            store.save(st)?;
            auditor
                .event(
                    st,
                    "finished",
                    Some("failed"),
                    Some(e.to_string()),
                    Some(started.elapsed().as_secs_f64()),
                )
                .await?;
            let hint = e.hint().map(|h| format!("{h}; then ")).unwrap_or_default();
            Err(Error::Incomplete {
                message: format!(
                    "replay {} stopped after {} of {} records: {e}",
                    st.id,
                    st.counts.sent,
                    st.plan.records_label()
                ),
                hint: Some(format!(
                    "{hint}continue with `kafkaops replay resume {}` (nothing is sent twice)",
                    st.id
                )),
            })
        }
    }
}
