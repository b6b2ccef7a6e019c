//! The audit log: append-only JSON Lines, one event per line (planned, started,
//! interrupted, resumed, finished). Each line carries a sequence number, the hash
//! of the previous line and its own hash, so `audit verify` finds an edited,
//! reordered or deleted line; a `.head` file next to the log remembers the last
//! line so a truncated tail is found too (without it the tail cannot be checked,
//! which `audit verify` reports). Each line is written and fsynced before the
//! action it announces proceeds. Files are created user-readable only.
//!
//! Besides replays, the log holds the DLQ handled marks ([`crate::dlq::handled`]):
//! an event kind adds one optional member to [`AuditEvent`] (`dlq` for marks), so
//! the lines of older kinds, and older logs, stay byte for byte as they were.

use std::fs::{File, OpenOptions};
use std::io::{Read, Seek, SeekFrom, Write};
use std::path::{Path, PathBuf};

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use super::plan::canonical_json;
use super::state::{create_private_dir, write_atomic};
use crate::dlq::handled::HandledMark;
use crate::error::{Error, Result};

pub const GENESIS: &str = "sha256:0000000000000000000000000000000000000000000000000000000000000000";

/// What an event says. Secrets cannot appear: no connection property is ever put here.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct AuditEvent {
    pub event: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub outcome: Option<String>,
    pub replay_id: String,
    pub owner: String,
    pub os_user: String,
    pub host: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ticket: Option<String>,
    pub selection: String,
    pub plan_hash: String,
    pub destination: String,
    pub records_planned: u64,
    /// `records_planned` came from offsets, so it is an upper bound (see the
    /// replay plan's `counted`).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub planned_from_offsets: bool,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub records_sent: Option<u64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub records_skipped: Option<u64>,
    /// Planned offsets that held no record (compaction gaps, transaction
    /// markers), on a replay's `finished` event when there were any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub empty_offsets: Option<u64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub duration_secs: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rate: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
    pub cluster_id: Option<String>,
    pub tool_version: String,
    /// A DLQ handled mark (`dlq mark`, or a completed replay of a DLQ category).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub dlq: Option<HandledMark>,
    /// A consumer-group rewind's offsets (previous and target per partition).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rewind: Option<super::rewind::RewindAudit>,
}

impl AuditEvent {
    /// The event `name` of a replay, with its state's selection, plan and counts.
    pub fn for_replay(
        st: &super::state::ReplayState,
        name: &str,
        outcome: Option<&str>,
        error: Option<String>,
        duration_secs: Option<f64>,
    ) -> AuditEvent {
        AuditEvent {
            event: name.to_string(),
            outcome: outcome.map(str::to_string),
            replay_id: st.id.clone(),
            owner: st.owner.clone(),
            os_user: whoami::username(),
            host: gethostname::gethostname().to_string_lossy().into_owned(),
            reason: Some(st.reason.clone()),
            ticket: st.ticket.clone(),
            selection: st.plan.selection.describe(),
            plan_hash: st.plan.hash.clone(),
            destination: st.plan.destination_label(),
            records_planned: st.plan.records,
            planned_from_offsets: !st.plan.exact(),
            records_sent: (name != "planned").then_some(st.counts.sent),
            records_skipped: (name != "planned").then_some(
                st.counts.skipped_outside_window
                    + st.counts.skipped_filtered
                    + st.counts.skipped_redriven
                    + st.counts.already_delivered,
            ),
            empty_offsets: (name == "finished" && st.counts.empty_offsets > 0)
                .then_some(st.counts.empty_offsets),
            duration_secs,
            rate: Some(st.rate.to_string()),
            error,
            cluster_id: st.plan.cluster_id.clone(),
            tool_version: env!("CARGO_PKG_VERSION").to_string(),
            // Only a completed replay marks what it delivered; an interrupted one
            // marks nothing until a resume completes it.
            dlq: (name == "finished" && outcome == Some("completed"))
                .then(|| crate::dlq::handled::redrive::mark_for(st))
                .flatten(),
            rewind: None,
        }
    }
}

/// One line of the log as stored.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct AuditLine {
    pub seq: u64,
    pub time: DateTime<Utc>,
    #[serde(flatten)]
    pub event: AuditEvent,
    pub prev: String,
    pub hash: String,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
struct Head {
    seq: u64,
    hash: String,
}

pub struct AuditLog {
    path: PathBuf,
}

fn line_hash(v: &serde_json::Value) -> String {
    let mut v = v.clone();
    if let serde_json::Value::Object(m) = &mut v {
        m.remove("hash");
    }
    format!(
        "sha256:{}",
        hex::encode(Sha256::digest(canonical_json(&v).as_bytes()))
    )
}

/// An exclusive `.lock` file next to the log while a line is appended. A lock
/// older than 30 s is left over from a killed process and is taken over.
struct AppendLock(PathBuf);

impl AppendLock {
    fn acquire(log: &Path) -> Result<Self> {
        let mut name = log
            .file_name()
            .map(|n| n.to_os_string())
            .unwrap_or_default();
        name.push(".lock");
        let path = log.with_file_name(name);
        let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
        loop {
            match OpenOptions::new().write(true).create_new(true).open(&path) {
                Ok(_) => return Ok(AppendLock(path)),
                Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {
                    let stale = std::fs::metadata(&path)
                        .and_then(|m| m.modified())
                        .ok()
                        .and_then(|t| t.elapsed().ok())
                        .is_some_and(|age| age > std::time::Duration::from_secs(30));
                    if stale {
                        let _ = std::fs::remove_file(&path);
                        continue;
                    }
                    if std::time::Instant::now() > deadline {
                        return Err(Error::file(
                            "lock audit log",
                            &path,
                            std::io::Error::new(
                                std::io::ErrorKind::WouldBlock,
                                "held by another kafkaops for 10s",
                            ),
                        ));
                    }
                    std::thread::sleep(std::time::Duration::from_millis(20));
                }
                Err(e) => return Err(Error::file("lock audit log", &path, e)),
            }
        }
    }
}

impl Drop for AppendLock {
    fn drop(&mut self) {
        let _ = std::fs::remove_file(&self.0);
    }
}

fn head_path(path: &Path) -> PathBuf {
    let mut name = path
        .file_name()
        .map(|n| n.to_os_string())
        .unwrap_or_default();
    name.push(".head");
    path.with_file_name(name)
}

impl AuditLog {
    pub fn new(path: PathBuf) -> Self {
        AuditLog { path }
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Append one event, fsynced, and return the stored line.
    pub fn append(&self, event: AuditEvent, now: DateTime<Utc>) -> Result<AuditLine> {
        if let Some(dir) = self.path.parent().filter(|d| !d.as_os_str().is_empty()) {
            create_private_dir(dir)?;
        }
        // Two replays appending at once must not both chain to the same line.
        let _lock = AppendLock::acquire(&self.path)?;
        let mut opts = OpenOptions::new();
        opts.create(true).append(true).read(true);
        #[cfg(unix)]
        {
            use std::os::unix::fs::OpenOptionsExt;
            opts.mode(0o600);
        }
        let mut file = opts
            .open(&self.path)
            .map_err(|e| Error::file("open audit log", &self.path, e))?;
        let (seq, prev) = match last_line(&mut file)
            .map_err(|e| Error::file("read audit log", &self.path, e))?
        {
            None => (1, GENESIS.to_string()),
            Some(text) => {
                let v: serde_json::Value = serde_json::from_str(&text).map_err(|_| {
                    Error::check_failed(format!(
                        "the last line of audit log {} is not valid JSON; refusing to extend a damaged log",
                        self.path.display()
                    ))
                })?;
                let seq = v.get("seq").and_then(|s| s.as_u64()).unwrap_or(0);
                (seq + 1, line_hash(&v))
            }
        };
        let mut line = AuditLine {
            seq,
            time: now,
            event,
            prev,
            hash: String::new(),
        };
        let v = serde_json::to_value(&line).expect("audit lines serialise");
        line.hash = line_hash(&v);
        let mut text = serde_json::to_string(&line).expect("audit lines serialise");
        text.push('\n');
        file.write_all(text.as_bytes())
            .map_err(|e| Error::file("append to audit log", &self.path, e))?;
        file.sync_all()
            .map_err(|e| Error::file("sync audit log", &self.path, e))?;
        let head = Head {
            seq,
            hash: line.hash.clone(),
        };
        write_atomic(
            &head_path(&self.path),
            serde_json::to_string(&head)
                .expect("head serialises")
                .as_bytes(),
        )?;
        Ok(line)
    }

    /// Every line that reads as an [`AuditLine`], in order (check the chain
    /// first with [`AuditLog::verify`]).
    pub fn lines(&self) -> Result<Vec<AuditLine>> {
        let text = std::fs::read_to_string(&self.path)
            .map_err(|e| Error::file("read audit log", &self.path, e))?;
        Ok(text
            .lines()
            .filter_map(|l| serde_json::from_str(l).ok())
            .collect())
    }

    /// A warning for a log that already fails verification, before appending to it.
    pub fn damage_warning(&self) -> Option<String> {
        if !self.path.exists() {
            return None;
        }
        match self.verify() {
            Ok(v) if v.ok => None,
            Ok(v) => Some(format!(
                "audit log {} already fails verification ({} problem(s)); new events are appended after the damage (see `kafkaops audit verify`)",
                self.path.display(),
                v.problems.len()
            )),
            Err(e) => Some(format!("cannot verify audit log before appending: {e}")),
        }
    }

    /// Check the whole chain. Problems are returned, not raised, so all are shown.
    pub fn verify(&self) -> Result<Verification> {
        let text =
            std::fs::read(&self.path).map_err(|e| Error::file("read audit log", &self.path, e))?;
        let mut problems = Vec::new();
        let mut prev_hash = GENESIS.to_string();
        let mut prev_seq = 0u64;
        let mut entries = 0u64;
        let body = String::from_utf8_lossy(&text);
        for (i, raw) in body.split_terminator('\n').enumerate() {
            let n = i + 1;
            entries += 1;
            let v: serde_json::Value = match serde_json::from_str(raw) {
                Ok(v) => v,
                Err(_) => {
                    problems.push(Problem {
                        line: n,
                        problem: "not valid JSON".into(),
                    });
                    prev_hash = String::new();
                    prev_seq += 1;
                    continue;
                }
            };
            let stored = v.get("hash").and_then(|h| h.as_str()).unwrap_or("");
            let computed = line_hash(&v);
            if stored != computed {
                problems.push(Problem {
                    line: n,
                    problem: "content does not match its hash (the line was edited)".into(),
                });
            }
            let seq = v.get("seq").and_then(|s| s.as_u64()).unwrap_or(0);
            if seq != prev_seq + 1 {
                problems.push(Problem {
                    line: n,
                    problem: format!("sequence number {seq} follows {prev_seq} (a line was deleted, inserted or moved)"),
                });
            }
            let prev = v.get("prev").and_then(|h| h.as_str()).unwrap_or("");
            if prev != prev_hash && !prev_hash.is_empty() {
                problems.push(Problem {
                    line: n,
                    problem: "does not chain to the line before it (a line before it was edited, deleted or moved)".into(),
                });
            }
            prev_hash = computed;
            prev_seq = seq;
        }
        let head = std::fs::read_to_string(head_path(&self.path))
            .ok()
            .and_then(|t| serde_json::from_str::<Head>(&t).ok());
        let tail_checked = head.is_some() || entries == 0;
        if let Some(h) = head {
            if h.seq != prev_seq || h.hash != prev_hash {
                problems.push(Problem {
                    line: entries as usize,
                    problem: format!(
                        "the log ends at sequence {prev_seq} but its last append was sequence {} (lines at the end were deleted or edited)",
                        h.seq
                    ),
                });
            }
        }
        problems.sort_by_key(|p| p.line);
        Ok(Verification {
            path: self.path.clone(),
            entries,
            ok: problems.is_empty(),
            tail_checked,
            problems,
        })
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Problem {
    pub line: usize,
    pub problem: String,
}

#[derive(Clone, Debug, Serialize)]
pub struct Verification {
    pub path: PathBuf,
    pub entries: u64,
    pub ok: bool,
    /// The `.head` file was there: lines cut off the end would have been found.
    /// Without it only the lines present are checked.
    pub tail_checked: bool,
    pub problems: Vec<Problem>,
}

/// The last non-empty line, read from the tail of the file.
fn last_line(file: &mut File) -> std::io::Result<Option<String>> {
    let len = file.seek(SeekFrom::End(0))?;
    if len == 0 {
        return Ok(None);
    }
    let mut window = 64 * 1024u64;
    loop {
        let start = len.saturating_sub(window);
        file.seek(SeekFrom::Start(start))?;
        let mut buf = Vec::with_capacity((len - start) as usize);
        Read::by_ref(file).take(len - start).read_to_end(&mut buf)?;
        let trimmed = buf.strip_suffix(b"\n").unwrap_or(&buf);
        if let Some(pos) = trimmed.iter().rposition(|b| *b == b'\n') {
            return Ok(Some(
                String::from_utf8_lossy(&trimmed[pos + 1..]).into_owned(),
            ));
        }
        if start == 0 {
            return Ok(Some(String::from_utf8_lossy(trimmed).into_owned()));
        }
        window *= 4;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ev(name: &str) -> AuditEvent {
        AuditEvent {
            event: name.into(),
            replay_id: "rp-1".into(),
            owner: "alice".into(),
            os_user: "alice".into(),
            host: "h".into(),
            selection: "topic orders".into(),
            plan_hash: "sha256:x".into(),
            destination: "orders-replay".into(),
            records_planned: 10,
            tool_version: "0.1.0".into(),
            ..Default::default()
        }
    }

    #[test]
    fn fractional_durations_verify() {
        // Durations are arbitrary f64s: the hash must survive the text round trip, which
        // needs serde_json's exact float parsing.
        let dir = tempfile::tempdir().unwrap();
        let log = AuditLog::new(dir.path().join("audit.jsonl"));
        let mut x: u64 = 0x9E37_79B9_7F4A_7C15;
        for i in 0..400 {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            let mut e = ev(&format!("e{i}"));
            e.duration_secs = Some((x % 10_000_000) as f64 / 1_000_003.0 + f64::from(i) * 1e-9);
            log.append(e, Utc::now()).unwrap();
        }
        let v = log.verify().unwrap();
        assert!(
            v.ok,
            "{:?}",
            v.problems
                .iter()
                .take(3)
                .map(|p| &p.problem)
                .collect::<Vec<_>>()
        );
    }

    fn log_with(n: usize) -> (tempfile::TempDir, AuditLog) {
        let dir = tempfile::tempdir().unwrap();
        let log = AuditLog::new(dir.path().join("sub/audit.jsonl"));
        for i in 0..n {
            log.append(ev(&format!("e{i}")), Utc::now()).unwrap();
        }
        (dir, log)
    }

    fn lines(log: &AuditLog) -> Vec<String> {
        std::fs::read_to_string(log.path())
            .unwrap()
            .lines()
            .map(String::from)
            .collect()
    }

    fn write_lines(log: &AuditLog, l: &[String]) {
        std::fs::write(
            log.path(),
            l.iter().map(|s| format!("{s}\n")).collect::<String>(),
        )
        .unwrap();
    }

    #[test]
    fn an_intact_log_verifies_and_is_private() {
        let (_d, log) = log_with(4);
        let v = log.verify().unwrap();
        assert!(v.ok, "{:?}", v.problems);
        assert_eq!(v.entries, 4);
        let l = lines(&log);
        let first: AuditLine = serde_json::from_str(&l[0]).unwrap();
        let second: AuditLine = serde_json::from_str(&l[1]).unwrap();
        assert_eq!(first.prev, GENESIS);
        assert_eq!(second.prev, first.hash);
        assert_eq!(second.seq, 2);
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(log.path()).unwrap().permissions().mode();
            assert_eq!(mode & 0o777, 0o600);
        }
    }

    #[test]
    fn an_edited_line_is_found() {
        let (_d, log) = log_with(3);
        let mut l = lines(&log);
        l[1] = l[1].replace("\"owner\":\"alice\"", "\"owner\":\"mallory\"");
        write_lines(&log, &l);
        let v = log.verify().unwrap();
        assert!(!v.ok);
        assert!(
            v.problems
                .iter()
                .any(|p| p.line == 2 && p.problem.contains("edited")),
            "{:?}",
            v.problems
        );
    }

    #[test]
    fn an_edited_last_line_is_found() {
        let (_d, log) = log_with(2);
        let mut l = lines(&log);
        l[1] = l[1].replace("\"records_planned\":10", "\"records_planned\":1");
        write_lines(&log, &l);
        assert!(!log.verify().unwrap().ok);
    }

    #[test]
    fn deleted_and_reordered_lines_are_found() {
        for (name, f) in [
            (
                "middle",
                Box::new(|l: &mut Vec<String>| {
                    l.remove(1);
                }) as Box<dyn Fn(&mut Vec<String>)>,
            ),
            (
                "first",
                Box::new(|l: &mut Vec<String>| {
                    l.remove(0);
                }),
            ),
            (
                "last",
                Box::new(|l: &mut Vec<String>| {
                    l.pop();
                }),
            ),
            ("swap", Box::new(|l: &mut Vec<String>| l.swap(1, 2))),
        ] {
            let (_d, log) = log_with(4);
            let mut l = lines(&log);
            f(&mut l);
            write_lines(&log, &l);
            let v = log.verify().unwrap();
            assert!(!v.ok, "{name}: {:?}", v.problems);
        }
    }

    #[test]
    fn concurrent_appends_keep_one_chain() {
        let (_d, log) = log_with(1);
        let path = log.path().to_path_buf();
        let threads: Vec<_> = (0..4)
            .map(|t| {
                let p = path.clone();
                std::thread::spawn(move || {
                    let l = AuditLog::new(p);
                    for i in 0..10 {
                        l.append(ev(&format!("t{t}-{i}")), Utc::now()).unwrap();
                    }
                })
            })
            .collect();
        for t in threads {
            t.join().unwrap();
        }
        let v = log.verify().unwrap();
        assert!(v.ok, "{:?}", v.problems);
        assert_eq!(v.entries, 41);
    }

    #[test]
    fn a_missing_head_leaves_the_tail_unchecked() {
        let (_d, log) = log_with(3);
        assert!(log.verify().unwrap().tail_checked);
        std::fs::remove_file(head_path(log.path())).unwrap();
        let mut l = lines(&log);
        l.pop();
        write_lines(&log, &l);
        let v = log.verify().unwrap();
        // The cut is invisible without the head, so it must be said.
        assert!(v.ok);
        assert!(!v.tail_checked);
    }

    #[test]
    fn old_lines_without_new_members_still_verify() {
        // A line written before `dlq` existed, verbatim: it must verify and parse.
        let (_d, log) = log_with(0);
        std::fs::create_dir_all(log.path().parent().unwrap()).unwrap();
        let mut line = serde_json::json!({
            "seq": 1, "time": "2026-11-01T00:00:00Z", "event": "planned",
            "replay_id": "rp-1", "owner": "a", "os_user": "a", "host": "h",
            "selection": "topic t", "plan_hash": "sha256:x", "destination": "d",
            "records_planned": 1, "cluster_id": null, "tool_version": "0.1.0",
            "prev": GENESIS,
        });
        let hash = line_hash(&line);
        line["hash"] = serde_json::Value::String(hash);
        write_lines(&log, &[serde_json::to_string(&line).unwrap()]);
        assert!(log.verify().unwrap().ok);
        let parsed = log.lines().unwrap();
        assert_eq!(parsed.len(), 1);
        assert_eq!(parsed[0].event.dlq, None);
        log.append(ev("later"), Utc::now()).unwrap();
        assert!(log.verify().unwrap().ok);
        let text = std::fs::read_to_string(log.path()).unwrap();
        assert!(
            !text.contains("\"dlq\""),
            "no member for other kinds: {text}"
        );
    }

    #[test]
    fn a_damaged_log_warns_before_append() {
        let (_d, log) = log_with(2);
        assert_eq!(log.damage_warning(), None);
        let mut l = lines(&log);
        l[0] = l[0].replace("alice", "mallory");
        write_lines(&log, &l);
        assert!(log
            .damage_warning()
            .unwrap()
            .contains("already fails verification"));
    }

    #[test]
    fn appending_continues_the_chain() {
        let (_d, log) = log_with(2);
        let l = log.append(ev("later"), Utc::now()).unwrap();
        assert_eq!(l.seq, 3);
        assert!(log.verify().unwrap().ok);
    }
}
