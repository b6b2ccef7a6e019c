//! The governor rate limit of one attempt (records and bytes per second), raced
//! against a stop so a rate-limited wait ends as soon as Ctrl-C arrives.

use std::num::NonZeroU32;
use std::time::Duration;

use governor::{DefaultDirectRateLimiter, Quota, RateLimiter};

use crate::replay::rate::Rate;
use crate::signal::Stop;

/// The governor limiters for one attempt. The records limiter starts empty and
/// holds at most ten milliseconds' worth (a few records at low rates, never more
/// than a tenth of a second's), so no one-second window carries more than about
/// 1% over the rate and the mean is not inflated by an opening burst; the slack
/// only absorbs timer lateness. `--rate unlimited` has no records limiter at
/// all; a byte limit still applies (burst: a tenth of a second's worth).
pub(super) struct Limiter {
    records: Option<DefaultDirectRateLimiter>,
    bytes: Option<(DefaultDirectRateLimiter, u32)>,
}

/// The records limiter's bucket size for `per_sec` records per second.
fn records_burst(per_sec: f64) -> NonZeroU32 {
    let hundredth = (per_sec / 100.0).floor() as u32;
    let tenth = (per_sec / 10.0).floor() as u32;
    NonZeroU32::new(hundredth.max(tenth.min(4)).max(1)).expect("at least one")
}

impl Limiter {
    pub(super) fn new(rate: Rate) -> Self {
        let period =
            |per_sec: f64| Duration::from_secs_f64(1.0 / per_sec).max(Duration::from_nanos(1));
        let records = rate.records_per_sec.per_sec().map(|r| {
            let burst = records_burst(r);
            let q = Quota::with_period(period(r))
                .expect("non-zero period")
                .allow_burst(burst);
            let limiter = RateLimiter::direct(q);
            // Start empty: the first second carries the rate, not rate + bucket.
            let _ = limiter.check_n(burst);
            limiter
        });
        let bytes = rate.bytes_per_sec.map(|b| {
            let b = b as f64;
            let burst_b =
                NonZeroU32::new(((b / 10.0).floor() as u32).max(1)).expect("at least one");
            let q = Quota::with_period(period(b))
                .expect("non-zero period")
                .allow_burst(burst_b);
            (RateLimiter::direct(q), burst_b.get())
        });
        Limiter { records, bytes }
    }

    /// Nothing to wait for: the caller may skip [`Limiter::acquire`].
    pub(super) fn is_unlimited(&self) -> bool {
        self.records.is_none() && self.bytes.is_none()
    }

    /// Wait for one record of `size` bytes; false when stopped while waiting.
    pub(super) async fn acquire(&self, size: u64, stop: &Stop) -> bool {
        let wait = async {
            if let Some(r) = &self.records {
                r.until_ready().await;
            }
            if let Some((b, cap)) = &self.bytes {
                let n = NonZeroU32::new((size.min(u64::from(*cap)) as u32).max(1))
                    .expect("at least one");
                let _ = b.until_n_ready(n).await;
            }
        };
        tokio::select! {
            _ = wait => !stop.stopped(),
            _ = stop.wait() => false,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::replay::rate::RecordRate;

    #[test]
    fn the_records_bucket_never_exceeds_a_tenth_of_a_second() {
        assert_eq!(records_burst(0.5).get(), 1);
        assert_eq!(records_burst(5.0).get(), 1);
        assert_eq!(records_burst(40.0).get(), 4);
        assert_eq!(records_burst(1000.0).get(), 10);
        assert_eq!(records_burst(20_000.0).get(), 200);
        for r in [10.0, 40.0, 99.0, 1000.0, 20_000.0, 1_000_000.0] {
            assert!(f64::from(records_burst(r).get()) <= r / 10.0, "{r}");
        }
    }

    #[test]
    fn an_unlimited_rate_has_no_records_limiter() {
        let l = Limiter::new(Rate {
            records_per_sec: RecordRate::UNLIMITED,
            bytes_per_sec: None,
        });
        assert!(l.is_unlimited());
        let l = Limiter::new(Rate {
            records_per_sec: RecordRate::UNLIMITED,
            bytes_per_sec: Some(1000),
        });
        assert!(!l.is_unlimited(), "a byte limit still applies");
        let l = Limiter::new(Rate {
            records_per_sec: RecordRate::PerSec(1000.0),
            bytes_per_sec: None,
        });
        assert!(!l.is_unlimited());
        // Starts empty: no opening burst.
        assert!(l.records.as_ref().unwrap().check().is_err());
    }
}
