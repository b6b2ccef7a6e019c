//! The redrive count: how often kafkaops has already sent a record back out of a
//! dead-letter topic. Every replayed record carries it in
//! `kafkaops.replay.redrives` (decimal ASCII). A consumer that fails again and
//! dead-letters the record copies the header into the DLQ (Spring and most
//! frameworks keep the original headers), so the next redrive reads it back and
//! adds one, and the replay [`Judge`](super::judge::Judge) holds back a record
//! that reached `--max-redrives`: a poison record cannot loop forever. `dlq
//! triage` reads the same count per category.

use super::record::H_ID;

pub const H_REDRIVES: &str = "kafkaops.replay.redrives";
/// `--max-redrives` when not given: the third redrive is the last.
pub const DEFAULT_MAX_REDRIVES: u32 = 3;
/// The largest `--max-redrives` accepted: the guard is always on and bounded.
pub const MAX_REDRIVES_CEILING: u32 = 100;
/// A count above this is not believed (no record is redriven that often): it is
/// read as unreadable.
const PLAUSIBLE: u32 = 10_000;

/// What a record's headers say about its earlier redrives.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct RedriveCount {
    /// Times the record was already redriven.
    pub times: u32,
    /// The count header is there but is not a plausible decimal count (it is then
    /// read as 1: the record did pass through kafkaops).
    pub unreadable: bool,
}

/// Read the count from a record's headers. A record redriven before the count
/// existed carries provenance (`kafkaops.replay.id`) but no count: once. Several
/// count headers: the highest wins.
pub fn read<'a>(headers: impl IntoIterator<Item = (&'a str, Option<&'a [u8]>)>) -> RedriveCount {
    let mut count: Option<RedriveCount> = None;
    let mut provenance = false;
    for (name, value) in headers {
        if name == H_REDRIVES {
            let this = match value.and_then(parse) {
                Some(times) => RedriveCount {
                    times,
                    unreadable: false,
                },
                None => RedriveCount {
                    times: 1,
                    unreadable: true,
                },
            };
            count = Some(match count {
                Some(c) if c.times >= this.times => RedriveCount {
                    unreadable: c.unreadable || this.unreadable,
                    ..c
                },
                Some(c) => RedriveCount {
                    unreadable: c.unreadable || this.unreadable,
                    ..this
                },
                None => this,
            });
        } else if name == H_ID {
            provenance = true;
        }
    }
    count.unwrap_or(RedriveCount {
        times: u32::from(provenance),
        unreadable: false,
    })
}

fn parse(v: &[u8]) -> Option<u32> {
    let s = std::str::from_utf8(v).ok()?.trim();
    if s.is_empty() || !s.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    s.parse::<u32>().ok().filter(|n| *n <= PLAUSIBLE)
}

impl RedriveCount {
    /// The count the record leaves with: one more when this replay redrives it.
    pub fn next(self, redriving: bool) -> u32 {
        self.times.saturating_add(u32::from(redriving))
    }

    /// Whether `--max-redrives limit` holds the record back from this replay: only
    /// a redrive is held back, a plain replay of records that came back is not.
    pub fn held_back(self, redriving: bool, limit: u32) -> bool {
        redriving && self.times >= limit
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn count(hs: &[(&str, &[u8])]) -> RedriveCount {
        read(hs.iter().map(|(k, v)| (*k, Some(*v))))
    }

    #[test]
    fn the_count_header_legacy_provenance_and_nothing() {
        assert_eq!(count(&[]), RedriveCount::default());
        assert_eq!(count(&[("trace", b"x")]).times, 0);
        assert_eq!(count(&[(H_REDRIVES, b"2")]).times, 2);
        assert_eq!(count(&[(H_REDRIVES, b" 2 ")]).times, 2);
        // Redriven before the count existed: provenance only, counted once.
        assert_eq!(count(&[(H_ID, b"rp-1")]).times, 1);
        // An explicit count wins over the provenance rule, zero included.
        assert_eq!(count(&[(H_ID, b"rp-1"), (H_REDRIVES, b"0")]).times, 0);
        assert_eq!(
            count(&[(H_REDRIVES, b"1"), (H_REDRIVES, b"4"), (H_REDRIVES, b"2")]).times,
            4
        );
    }

    #[test]
    fn garbage_counts_as_one_and_is_flagged() {
        for bad in [
            &b"three"[..],
            b"-2",
            b"+2",
            b"",
            b"2.0",
            b"99999999999999999999",
            b"10001",
            &[0xff, 0x31],
        ] {
            let c = count(&[(H_REDRIVES, bad)]);
            assert_eq!(
                c,
                RedriveCount {
                    times: 1,
                    unreadable: true
                },
                "{bad:?}"
            );
        }
        assert!(read([(H_REDRIVES, None)]).unreadable);
        assert_eq!(count(&[(H_REDRIVES, b"10000")]).times, 10_000);
        // A readable higher count next to garbage: the count, still flagged.
        let c = count(&[(H_REDRIVES, b"x"), (H_REDRIVES, b"3")]);
        assert_eq!((c.times, c.unreadable), (3, true));
    }

    #[test]
    fn a_redrive_adds_one_and_the_limit_holds_back_only_redrives() {
        let c = |times| RedriveCount {
            times,
            unreadable: false,
        };
        assert_eq!(c(0).next(true), 1);
        assert_eq!(c(2).next(false), 2);
        assert_eq!(c(u32::MAX).next(true), u32::MAX);
        assert!(!c(2).held_back(true, 3));
        assert!(c(3).held_back(true, 3));
        assert!(c(7).held_back(true, 3));
        assert!(!c(7).held_back(false, 3));
        assert!(c(1).held_back(true, 1));
    }
}
