//! The replay rate: records per second (or explicitly unlimited) and an optional
//! byte limit. Parsing of `--rate` and `--bytes-rate`, their display, and the one
//! default every path falls back to (`replay plan`, `replay run`, the drill) live
//! here.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

use super::plan::human_bytes;
use crate::error::{Error, Result};

/// Records (and optionally bytes) per second.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct Rate {
    pub records_per_sec: RecordRate,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub bytes_per_sec: Option<u64>,
}

/// The records-per-second limit. Unthrottled is its own explicit value
/// (`--rate unlimited`), never a zero. In JSON a finite rate is a number (as it
/// always was, so older plan files and their hashes stay valid) and the
/// unlimited one is the string `"unlimited"`.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum RecordRate {
    PerSec(f64),
    Unlimited(Unlimited),
}

/// Serialises as the string `"unlimited"` and accepts only that.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Unlimited {
    Unlimited,
}

/// The highest finite `--rate`; above it, say `unlimited`.
const MAX_PER_SEC: f64 = 1_000_000.0;

/// What to write instead of a zero or infinite rate.
const UNLIMITED_HINT: &str = "for no limit at all, say so: --rate unlimited";

impl RecordRate {
    pub const UNLIMITED: RecordRate = RecordRate::Unlimited(Unlimited::Unlimited);

    /// Records per second when `--rate` is not given (and the plan or replay
    /// being resumed has none of its own).
    pub const DEFAULT: RecordRate = RecordRate::PerSec(1000.0);

    /// Records per second, or `None` when unlimited.
    pub fn per_sec(self) -> Option<f64> {
        match self {
            RecordRate::PerSec(r) => Some(r),
            RecordRate::Unlimited(_) => None,
        }
    }

    /// Parse `--rate`: `500`, `500/s`, `3000/m`, `36000/h`, or `unlimited`.
    pub fn parse(s: &str) -> Result<RecordRate> {
        let hint = "write --rate as records per second, e.g. 500/s (or 3000/m), or `unlimited`";
        let t = s.trim();
        if t.eq_ignore_ascii_case("unlimited") {
            return Ok(RecordRate::UNLIMITED);
        }
        let (num, per) = match t.split_once('/') {
            Some((n, u)) => (n.trim(), u.trim()),
            None => (t, "s"),
        };
        let n: f64 = num
            .parse()
            .ok()
            .filter(|n: &f64| !n.is_nan())
            .ok_or_else(|| Error::usage_hint(format!("malformed rate '{s}'"), hint))?;
        let secs = match per {
            "s" | "sec" => 1.0,
            "m" | "min" => 60.0,
            "h" => 3600.0,
            _ => {
                return Err(Error::usage_hint(
                    format!("malformed rate '{s}': unknown unit '{per}'"),
                    hint,
                ))
            }
        };
        let r = n / secs;
        if r <= 0.0 {
            return Err(Error::usage_hint(
                format!("rate '{s}' must be greater than zero"),
                UNLIMITED_HINT,
            ));
        }
        // `inf` parses as a float; it is not a rate a limiter can hold, and the
        // unthrottled replay has its own word.
        if r.is_infinite() {
            return Err(Error::usage_hint(
                format!("rate '{s}' is not a finite number of records per second (at most {MAX_PER_SEC}/s)"),
                UNLIMITED_HINT,
            ));
        }
        if r > MAX_PER_SEC {
            return Err(Error::usage_hint(
                format!("rate '{s}' is above {MAX_PER_SEC}/s, the highest finite rate"),
                UNLIMITED_HINT,
            ));
        }
        Ok(RecordRate::PerSec(r))
    }
}

impl FromStr for RecordRate {
    type Err = Error;

    fn from_str(s: &str) -> Result<Self> {
        RecordRate::parse(s)
    }
}

impl fmt::Display for RecordRate {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.per_sec() {
            None => f.write_str("unlimited"),
            Some(r) if r >= 10.0 => write!(f, "{r:.0}/s"),
            Some(r) => write!(f, "{r:.2}/s"),
        }
    }
}

impl Default for Rate {
    fn default() -> Self {
        Rate {
            records_per_sec: RecordRate::DEFAULT,
            bytes_per_sec: None,
        }
    }
}

/// `--rate` and `--bytes-rate` as given on the command line: each replaces only its
/// own part of the rate it is applied over (a plan's, a replay's, or the default),
/// so `--bytes-rate` alone keeps the plan's records limit.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct RateOverride {
    pub records_per_sec: Option<RecordRate>,
    pub bytes_per_sec: Option<u64>,
}

impl RateOverride {
    pub fn is_empty(&self) -> bool {
        self.records_per_sec.is_none() && self.bytes_per_sec.is_none()
    }

    /// `base` with the parts that were given replaced.
    pub fn over(self, base: Rate) -> Rate {
        Rate {
            records_per_sec: self.records_per_sec.unwrap_or(base.records_per_sec),
            bytes_per_sec: self.bytes_per_sec.or(base.bytes_per_sec),
        }
    }
}

/// A whole rate replaces both parts (the drill sets its own).
impl From<Rate> for RateOverride {
    fn from(r: Rate) -> Self {
        RateOverride {
            records_per_sec: Some(r.records_per_sec),
            bytes_per_sec: r.bytes_per_sec,
        }
    }
}

impl Rate {
    /// Seconds needed for `records` records of `bytes` bytes in total; `None` when
    /// nothing limits the rate.
    pub fn estimate_secs(&self, records: u64, bytes: u64) -> Option<f64> {
        let by_records = self.records_per_sec.per_sec().map(|r| records as f64 / r);
        let by_bytes = self.bytes_per_sec.map(|b| bytes as f64 / b as f64);
        match (by_records, by_bytes) {
            (Some(r), Some(b)) => Some(r.max(b)),
            (r, b) => r.or(b),
        }
    }
}

impl fmt::Display for Rate {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.bytes_per_sec {
            Some(b) => write!(f, "{} and {}/s", self.records_per_sec, human_bytes(b)),
            None => write!(f, "{}", self.records_per_sec),
        }
    }
}

/// Parse `--bytes-rate`: `1MiB/s`, `500KB`, `2000000`.
pub fn parse_byte_rate(s: &str) -> Result<u64> {
    let hint =
        "write --bytes-rate as bytes per second with an optional unit, e.g. 2MiB/s or 500KB/s";
    let t = s.trim();
    let t = t.strip_suffix("/s").unwrap_or(t).trim();
    let split = t
        .find(|c: char| !(c.is_ascii_digit() || c == '.'))
        .unwrap_or(t.len());
    let (num, unit) = t.split_at(split);
    let n: f64 = num
        .parse()
        .map_err(|_| Error::usage_hint(format!("malformed byte rate '{s}'"), hint))?;
    let mult = match unit.trim().to_ascii_lowercase().as_str() {
        "" | "b" => 1.0,
        "kb" | "k" => 1e3,
        "mb" | "m" => 1e6,
        "gb" | "g" => 1e9,
        "kib" => 1024.0,
        "mib" => 1024.0 * 1024.0,
        "gib" => 1024.0 * 1024.0 * 1024.0,
        other => {
            return Err(Error::usage_hint(
                format!("malformed byte rate '{s}': unknown unit '{other}'"),
                hint,
            ))
        }
    };
    let v = (n * mult).round();
    if !(v >= 1.0 && v <= u32::MAX as f64) {
        return Err(Error::usage_hint(
            format!("byte rate '{s}' must be between 1 B/s and 4 GB/s"),
            hint,
        ));
    }
    Ok(v as u64)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rates() {
        let per = |r: f64| RecordRate::PerSec(r);
        assert_eq!(RecordRate::parse("500").unwrap(), per(500.0));
        assert_eq!(RecordRate::parse("500/s").unwrap(), per(500.0));
        assert_eq!(RecordRate::parse("120/m").unwrap(), per(2.0));
        for bad in [
            "0",
            "0/s",
            "-1/s",
            "x/s",
            "5/d",
            "NaN",
            "inf",
            "inf/s",
            "-inf/s",
            "unlimited/s",
        ] {
            assert!(RecordRate::parse(bad).is_err(), "{bad}");
        }
        for unlimited_instead in ["0", "inf/s", "infinity", "2000000/s"] {
            let e = RecordRate::parse(unlimited_instead).unwrap_err();
            assert!(
                e.hint().is_some_and(|h| h.contains("--rate unlimited")),
                "{unlimited_instead}: {e}"
            );
        }
        // Infinity is not "zero or less".
        let inf = RecordRate::parse("inf/s").unwrap_err();
        assert!(!inf.to_string().contains("greater than zero"), "{inf}");
        assert_eq!(parse_byte_rate("1MiB/s").unwrap(), 1_048_576);
        assert_eq!(parse_byte_rate("500KB").unwrap(), 500_000);
        assert_eq!(parse_byte_rate("2000").unwrap(), 2000);
        assert!(parse_byte_rate("0").is_err());
        assert!(parse_byte_rate("5 parsecs").is_err());
        let r = Rate {
            records_per_sec: per(100.0),
            bytes_per_sec: Some(1000),
        };
        assert_eq!(r.estimate_secs(100, 500), Some(1.0));
        assert_eq!(r.estimate_secs(100, 5000), Some(5.0));
    }

    #[test]
    fn infinity_is_refused_naming_the_ceiling_and_the_spelling() {
        for s in ["inf/s", "inf", "infinity/s", "+inf/m"] {
            let e = RecordRate::parse(s).unwrap_err();
            assert!(e.to_string().contains("at most 1000000/s"), "{s}: {e}");
            assert_eq!(e.hint(), Some(UNLIMITED_HINT), "{s}");
        }
        let e = RecordRate::parse("5000000/s").unwrap_err();
        assert!(e.to_string().contains("above 1000000/s"), "{e}");
        assert_eq!(
            RecordRate::parse("1000000/s").unwrap(),
            RecordRate::PerSec(MAX_PER_SEC)
        );
    }

    #[test]
    fn an_override_replaces_only_what_was_given() {
        let plan = Rate {
            records_per_sec: RecordRate::PerSec(50.0),
            bytes_per_sec: Some(4096),
        };
        assert!(RateOverride::default().is_empty());
        assert_eq!(RateOverride::default().over(plan), plan);
        let bytes_only = RateOverride {
            records_per_sec: None,
            bytes_per_sec: Some(1000),
        };
        assert_eq!(
            bytes_only.over(plan),
            Rate {
                records_per_sec: RecordRate::PerSec(50.0),
                bytes_per_sec: Some(1000)
            }
        );
        let records_only = RateOverride {
            records_per_sec: Some(RecordRate::UNLIMITED),
            bytes_per_sec: None,
        };
        assert_eq!(records_only.over(plan).bytes_per_sec, Some(4096));
        assert_eq!(
            records_only.over(plan).records_per_sec,
            RecordRate::UNLIMITED
        );
        assert_eq!(RateOverride::from(plan).over(Rate::default()), plan);
    }

    #[test]
    fn the_default_displays_as_it_is_parsed() {
        assert_eq!(RecordRate::DEFAULT.to_string(), "1000/s");
        assert_eq!(
            RecordRate::parse(&RecordRate::DEFAULT.to_string()).unwrap(),
            RecordRate::DEFAULT
        );
        assert_eq!(Rate::default().records_per_sec, RecordRate::DEFAULT);
        assert_eq!(Rate::default().bytes_per_sec, None);
        assert_eq!(RecordRate::PerSec(2.5).to_string(), "2.50/s");
    }

    #[test]
    fn unlimited_is_explicit_and_round_trips() {
        for s in ["unlimited", "Unlimited", " unlimited "] {
            assert_eq!(RecordRate::parse(s).unwrap(), RecordRate::UNLIMITED, "{s}");
        }
        let r = Rate {
            records_per_sec: RecordRate::UNLIMITED,
            bytes_per_sec: None,
        };
        assert_eq!(r.to_string(), "unlimited");
        assert_eq!(r.estimate_secs(1_000_000, 1 << 30), None);
        let json = serde_json::to_value(r).unwrap();
        assert_eq!(json["records_per_sec"], "unlimited");
        assert_eq!(serde_json::from_value::<Rate>(json).unwrap(), r);
        // A finite rate is still a plain number, as in plan files written before.
        let finite = Rate {
            records_per_sec: RecordRate::PerSec(250.0),
            bytes_per_sec: None,
        };
        let json = serde_json::to_string(&finite).unwrap();
        assert_eq!(json, r#"{"records_per_sec":250.0}"#);
        assert_eq!(serde_json::from_str::<Rate>(&json).unwrap(), finite);
        assert!(serde_json::from_str::<Rate>(r#"{"records_per_sec":"fast"}"#).is_err());
        // The byte limit still applies when records are unlimited.
        let bytes_only = Rate {
            records_per_sec: RecordRate::UNLIMITED,
            bytes_per_sec: Some(1000),
        };
        assert_eq!(bytes_only.estimate_secs(10, 5000), Some(5.0));
        assert_eq!(
            bytes_only.to_string(),
            format!("unlimited and {}/s", human_bytes(1000))
        );
    }
}
