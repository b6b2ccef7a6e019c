//! Parsing of the time, duration and partition-list arguments that several jobs share
//! (`--from/--until`, `--sla`, `--max-age`, `--partitions`), so every command accepts
//! exactly the same spellings and rejects bad ones with the same hints; and the one
//! way a point in time is written out ([`format_time`], [`format_ms`]).

use std::collections::BTreeSet;
use std::time::Duration;

use chrono::{DateTime, TimeZone, Utc};

use crate::error::{Error, Result};

const TIME_HINT: &str = "use RFC 3339 (2026-11-20T08:00:00Z), a date (2026-11-20), \
epoch milliseconds, `now`, or a relative time such as -2h, -30m or -7d";

/// A point in time as kafkaops writes it in JSON, headers and messages: RFC 3339,
/// UTC with `Z`, millisecond precision (Kafka timestamps are milliseconds).
pub fn format_time(t: DateTime<Utc>) -> String {
    t.to_rfc3339_opts(chrono::SecondsFormat::Millis, true)
}

/// [`format_time`] of epoch milliseconds; `None` when out of chrono's range.
pub fn format_ms(ms: i64) -> Option<String> {
    DateTime::from_timestamp_millis(ms).map(format_time)
}

/// Parse a point in time. `now` is passed in so callers resolve a whole command
/// against one instant and tests are deterministic.
pub fn parse_time(input: &str, now: DateTime<Utc>) -> Result<DateTime<Utc>> {
    let s = input.trim();
    if s.is_empty() {
        return Err(Error::usage_hint("empty time", TIME_HINT));
    }
    if s.eq_ignore_ascii_case("now") {
        return Ok(now);
    }
    if let Some(rest) = s.strip_prefix('-') {
        let d = parse_duration(rest)
            .map_err(|_| Error::usage_hint(format!("malformed relative time '{s}'"), TIME_HINT))?;
        let d = chrono::Duration::from_std(d).map_err(|_| {
            Error::usage_hint(format!("relative time '{s}' is too large"), TIME_HINT)
        })?;
        return Ok(now - d);
    }
    if let Some(rest) = s.strip_suffix(" ago") {
        return parse_time(&format!("-{}", rest.trim()), now);
    }
    if s.bytes().all(|b| b.is_ascii_digit()) {
        let ms: i64 = s
            .parse()
            .map_err(|_| Error::usage_hint(format!("malformed time '{s}'"), TIME_HINT))?;
        return Utc
            .timestamp_millis_opt(ms)
            .single()
            .ok_or_else(|| Error::usage_hint(format!("time '{s}' is out of range"), TIME_HINT));
    }
    if let Ok(t) = DateTime::parse_from_rfc3339(s) {
        return Ok(t.with_timezone(&Utc));
    }
    // Accept the space-separated form people paste from logs, always with an offset or Z.
    if let Ok(t) = DateTime::parse_from_rfc3339(&s.replacen(' ', "T", 1)) {
        return Ok(t.with_timezone(&Utc));
    }
    if let Ok(d) = chrono::NaiveDate::parse_from_str(s, "%Y-%m-%d") {
        let t = d.and_hms_opt(0, 0, 0).expect("midnight exists");
        return Ok(Utc.from_utc_datetime(&t));
    }
    Err(Error::usage_hint(
        format!("malformed time '{s}'"),
        TIME_HINT,
    ))
}

/// Parse a duration such as `24h`, `15m`, `1h30m`, `500ms`, `7d`.
pub fn parse_duration(input: &str) -> Result<Duration> {
    let s = input.trim();
    humantime::parse_duration(s).map_err(|_| {
        Error::usage_hint(
            format!("malformed duration '{s}'"),
            "use a number with a unit, such as 500ms, 30s, 15m, 24h, 7d or 1h30m",
        )
    })
}

/// A half-open time window; either end may be open.
pub type Window = (Option<DateTime<Utc>>, Option<DateTime<Utc>>);

/// Parse a time window and reject an inverted or empty one.
pub fn parse_window(from: Option<&str>, until: Option<&str>, now: DateTime<Utc>) -> Result<Window> {
    let from = from.map(|s| parse_time(s, now)).transpose()?;
    let until = until.map(|s| parse_time(s, now)).transpose()?;
    if let (Some(f), Some(u)) = (from, until) {
        if f >= u {
            return Err(Error::usage_hint(
                format!(
                    "the time window is empty or inverted: --from {} is not before --until {}",
                    format_time(f),
                    format_time(u)
                ),
                "swap --from and --until, or widen the window",
            ));
        }
    }
    Ok((from, until))
}

/// Human-friendly age such as `3d4h`, `2h05m`, `41s`.
pub fn format_age(d: Duration) -> String {
    let secs = d.as_secs();
    let (days, hours, mins, s) = (secs / 86_400, secs / 3600 % 24, secs / 60 % 60, secs % 60);
    if days > 0 {
        format!("{days}d{hours}h")
    } else if hours > 0 {
        format!("{hours}h{mins:02}m")
    } else if mins > 0 {
        format!("{mins}m{s:02}s")
    } else if secs > 0 {
        format!("{s}s")
    } else {
        format!("{}ms", d.as_millis())
    }
}

/// A set of partition numbers written as `0,3-5,7`.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct PartitionSet(BTreeSet<i32>);

impl PartitionSet {
    pub fn parse(input: &str) -> Result<Self> {
        let hint = "write partitions as a comma-separated list of numbers and ranges, e.g. 0,3-5";
        let mut set = BTreeSet::new();
        for part in input.split(',').map(str::trim) {
            if part.is_empty() {
                return Err(Error::usage_hint(
                    format!("malformed partition list '{input}'"),
                    hint,
                ));
            }
            let bad =
                || Error::usage_hint(format!("malformed partition '{part}' in '{input}'"), hint);
            match part.split_once('-') {
                Some((a, b)) => {
                    let a: i32 = a.trim().parse().map_err(|_| bad())?;
                    let b: i32 = b.trim().parse().map_err(|_| bad())?;
                    if a > b {
                        return Err(Error::usage_hint(
                            format!("inverted partition range '{part}'"),
                            format!("write it as {b}-{a}"),
                        ));
                    }
                    set.extend(a..=b);
                }
                None => {
                    set.insert(part.parse().map_err(|_| bad())?);
                }
            }
        }
        if set.iter().any(|p| *p < 0) {
            return Err(Error::usage_hint(
                format!("negative partition in '{input}'"),
                hint,
            ));
        }
        Ok(PartitionSet(set))
    }

    pub fn contains(&self, p: i32) -> bool {
        self.0.contains(&p)
    }

    pub fn iter(&self) -> impl Iterator<Item = i32> + '_ {
        self.0.iter().copied()
    }

    pub fn len(&self) -> usize {
        self.0.len()
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// Check every partition exists; the error names the valid range.
    pub fn check_against(&self, topic: &str, partition_count: usize) -> Result<()> {
        if let Some(bad) = self.iter().find(|p| *p as usize >= partition_count) {
            return Err(Error::usage_hint(
                format!("partition {bad} does not exist on topic '{topic}'"),
                format!(
                    "'{topic}' has {partition_count} partitions (0-{})",
                    partition_count.saturating_sub(1)
                ),
            ));
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn now() -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 11, 21, 12, 0, 0).unwrap()
    }

    #[test]
    fn times_are_written_in_utc_with_milliseconds() {
        assert_eq!(format_ms(0).as_deref(), Some("1970-01-01T00:00:00.000Z"));
        assert_eq!(
            format_ms(1_763_720_001_234).as_deref(),
            Some("2025-11-21T10:13:21.234Z")
        );
        assert_eq!(format_ms(i64::MAX), None);
        assert_eq!(format_time(now()), "2026-11-21T12:00:00.000Z");
        // What is written parses back to the same instant.
        let t = Utc.timestamp_millis_opt(1_763_720_001_234).unwrap();
        assert_eq!(parse_time(&format_time(t), now()).unwrap(), t);
    }

    #[test]
    fn times() {
        assert_eq!(parse_time("now", now()).unwrap(), now());
        assert_eq!(
            parse_time("-2h", now()).unwrap(),
            Utc.with_ymd_and_hms(2026, 11, 21, 10, 0, 0).unwrap()
        );
        assert_eq!(
            parse_time("2h ago", now()).unwrap(),
            Utc.with_ymd_and_hms(2026, 11, 21, 10, 0, 0).unwrap()
        );
        assert_eq!(
            parse_time("2026-11-20T08:00:00+01:00", now()).unwrap(),
            Utc.with_ymd_and_hms(2026, 11, 20, 7, 0, 0).unwrap()
        );
        assert_eq!(
            parse_time("2026-11-20", now()).unwrap(),
            Utc.with_ymd_and_hms(2026, 11, 20, 0, 0, 0).unwrap()
        );
        assert_eq!(
            parse_time("1700000000000", now())
                .unwrap()
                .timestamp_millis(),
            1_700_000_000_000
        );
        for bad in ["", "yesterday", "-2x", "2026-13-01", "12:00"] {
            let err = parse_time(bad, now()).unwrap_err();
            assert!(err.hint().unwrap().contains("RFC 3339"), "{bad}");
        }
    }

    #[test]
    fn windows() {
        assert!(parse_window(Some("-1h"), Some("now"), now()).is_ok());
        let err = parse_window(Some("now"), Some("-1h"), now()).unwrap_err();
        assert!(err.to_string().contains("inverted"), "{err}");
        assert!(parse_window(Some("now"), Some("now"), now()).is_err());
    }

    #[test]
    fn partitions() {
        let set = PartitionSet::parse("0,3-5, 7").unwrap();
        assert_eq!(set.iter().collect::<Vec<_>>(), vec![0, 3, 4, 5, 7]);
        assert!(PartitionSet::parse("5-3")
            .unwrap_err()
            .hint()
            .unwrap()
            .contains("3-5"));
        for bad in ["", "a", "1,,2", "-1", "1-"] {
            assert!(PartitionSet::parse(bad).is_err(), "{bad}");
        }
        let err = set.check_against("orders", 4).unwrap_err();
        assert!(err.to_string().contains("partition 4 does not exist"));
        assert!(err.hint().unwrap().contains("0-3"));
    }

    #[test]
    fn ages() {
        assert_eq!(format_age(Duration::from_secs(90_000)), "1d1h");
        assert_eq!(format_age(Duration::from_secs(3_720)), "1h02m");
        assert_eq!(format_age(Duration::from_secs(61)), "1m01s");
        assert_eq!(format_age(Duration::from_millis(250)), "250ms");
    }
}
