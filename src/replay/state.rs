//! Where replays keep their state: `$XDG_STATE_HOME/kafkaops/` (else
//! `~/.local/state/kafkaops/`) holds `audit.jsonl`, one `replays/ID.json` per
//! replay with its plan, phase, counts and per-partition checkpoint, and one
//! `rewinds/ID.json` per consumer-group rewind (see [`super::rewind`]). Every write
//! goes through a temp file, fsync and rename, so a crash leaves the old or the
//! new state, never a torn one.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use super::plan::{Plan, TopicPartition};
use super::rate::Rate;
use crate::error::{Error, Result};
pub use crate::files::{create_private_dir, write_atomic};

/// The state directory, from the environment.
pub fn state_dir() -> Result<PathBuf> {
    state_dir_from(&|k| std::env::var_os(k).map(PathBuf::from))
}

pub fn state_dir_from(env: &dyn Fn(&str) -> Option<PathBuf>) -> Result<PathBuf> {
    if let Some(x) = env("XDG_STATE_HOME").filter(|p| p.is_absolute()) {
        return Ok(x.join("kafkaops"));
    }
    if let Some(h) = env("HOME").filter(|p| !p.as_os_str().is_empty()) {
        return Ok(h.join(".local/state/kafkaops"));
    }
    Err(Error::config(
        "cannot find a state directory: neither XDG_STATE_HOME nor HOME is set",
        "set XDG_STATE_HOME, or pass --audit-log",
    ))
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Phase {
    Planned,
    Running,
    Completed,
    Interrupted,
    Failed,
    Aborted,
}

impl Phase {
    pub fn name(self) -> &'static str {
        match self {
            Phase::Planned => "planned",
            Phase::Running => "running",
            Phase::Completed => "completed",
            Phase::Interrupted => "interrupted",
            Phase::Failed => "failed",
            Phase::Aborted => "aborted",
        }
    }
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Counts {
    /// Records acknowledged by the destination (over all attempts).
    pub sent: u64,
    /// Records skipped because their timestamp was outside the window.
    pub skipped_outside_window: u64,
    /// Records skipped by the key or DLQ-category filter.
    pub skipped_filtered: u64,
    /// Records found already in the destination on resume, not sent again.
    pub already_delivered: u64,
    /// Records larger than their destination accepts, skipped (`--skip-oversized`).
    #[serde(default)]
    pub skipped_oversized: u64,
    /// Records held back by `--max-redrives` (already redriven that often).
    #[serde(default)]
    pub skipped_redriven: u64,
    /// Offsets of the planned ranges that held no record: compaction gaps,
    /// transaction markers, aborted transactional records. Counted once each
    /// over all attempts (see `counted_to`).
    #[serde(default)]
    pub empty_offsets: u64,
    /// Per source partition: the offset up to which skips and empty offsets are
    /// in these counts, saved with them. A resume re-reads from the checkpoint
    /// (at or before it) and counts nothing below it a second time.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub counted_to: BTreeMap<i32, i64>,
}

impl Counts {
    /// Records read from the source and accounted for: sent or skipped.
    pub fn records_seen(&self) -> u64 {
        self.sent
            + self.skipped_outside_window
            + self.skipped_filtered
            + self.skipped_oversized
            + self.skipped_redriven
    }
}

/// A destination partition's high watermark when the replay first started:
/// everything this replay wrote lies at or after it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct DestStart {
    #[serde(flatten)]
    pub tp: TopicPartition,
    pub offset: i64,
}

#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct ReplayState {
    pub id: String,
    pub phase: Phase,
    pub owner: String,
    pub reason: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ticket: Option<String>,
    pub plan: Plan,
    /// The rate of the current (or last) attempt.
    pub rate: Rate,
    pub audit_log: PathBuf,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub audit_topic: Option<String>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub finished_at: Option<DateTime<Utc>>,
    /// Process id of the attempt in progress, to refuse a second concurrent attempt.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pid: Option<u32>,
    pub attempts: u32,
    /// Seconds spent producing, over all attempts (for the average rate).
    pub active_secs: f64,
    /// Per source partition: the next offset to read. Every selected record
    /// before it has been acknowledged by the destination.
    pub checkpoint: BTreeMap<i32, i64>,
    pub dest_start: Vec<DestStart>,
    pub counts: Counts,
    /// `counts.sent` when the current (or last) attempt began: what earlier
    /// attempts had delivered, read back from the destination on resume.
    #[serde(default)]
    pub sent_before_attempt: u64,
    /// Earlier replays of the same records this one was explicitly allowed to
    /// copy again (`--allow-duplicate`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub duplicate_of: Vec<String>,
    /// Skip records larger than their destination accepts (`--skip-oversized`).
    #[serde(default)]
    pub skip_oversized: bool,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
}

impl ReplayState {
    pub fn remaining(&self) -> u64 {
        self.plan
            .records
            .saturating_sub(self.counts.sent + self.counts.skipped_oversized)
    }

    /// The phase as it is: a replay saved as running whose process is gone
    /// (killed, crashed) is interrupted. `alive` is [`process_alive`] but in tests.
    pub fn observed_phase(&self, alive: &dyn Fn(u32) -> bool) -> Phase {
        if self.phase == Phase::Running && !self.pid.is_some_and(alive) {
            Phase::Interrupted
        } else {
            self.phase
        }
    }

    /// Records acknowledged in the current (or last) attempt.
    pub fn sent_this_attempt(&self) -> u64 {
        self.counts.sent.saturating_sub(self.sent_before_attempt)
    }

    pub fn average_rate(&self) -> Option<f64> {
        (self.active_secs > 0.0).then(|| self.counts.sent as f64 / self.active_secs)
    }
}

/// A directory of JSON state files, one `ID.json` per replay or rewind.
#[derive(Clone)]
pub struct StateDir {
    dir: PathBuf,
    /// What the files are, for messages: "replay" or "rewind".
    kind: &'static str,
}

impl StateDir {
    pub fn new(dir: PathBuf, kind: &'static str) -> Self {
        StateDir { dir, kind }
    }

    pub fn path_of(&self, id: &str) -> PathBuf {
        self.dir.join(format!("{id}.json"))
    }

    pub fn save<T: Serialize>(&self, id: &str, st: &T) -> Result<()> {
        create_private_dir(&self.dir)?;
        let mut text = serde_json::to_string_pretty(st).expect("state serialises");
        text.push('\n');
        write_atomic(&self.path_of(id), text.as_bytes())
    }

    /// `None` when there is no such file.
    pub fn find<T: serde::de::DeserializeOwned>(&self, id: &str) -> Result<Option<T>> {
        let kind = self.kind;
        if id.is_empty() || id.contains(['/', '\\']) || id.starts_with('.') {
            return Err(Error::usage_hint(
                format!("malformed {kind} id '{id}'"),
                format!("list {kind}s with `kafkaops replay status`"),
            ));
        }
        let path = self.path_of(id);
        let text = match std::fs::read_to_string(&path) {
            Ok(t) => t,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
            Err(e) => return Err(Error::file("read state file", &path, e)),
        };
        serde_json::from_str(&text).map(Some).map_err(|e| {
            Error::usage_hint(
                format!("cannot parse {kind} state {}: {e}", path.display()),
                "the state file was damaged; the audit log still records what happened",
            )
        })
    }

    pub fn load<T: serde::de::DeserializeOwned>(&self, id: &str) -> Result<T> {
        self.find(id)?.ok_or_else(|| {
            Error::usage_hint(
                format!("no {} with id '{id}' in {}", self.kind, self.dir.display()),
                format!("list {}s with `kafkaops replay status`", self.kind),
            )
        })
    }

    /// Every file's content, in no particular order. Unreadable files are
    /// reported, not fatal.
    pub fn list<T: serde::de::DeserializeOwned>(&self) -> Result<(Vec<T>, Vec<String>)> {
        let mut out = Vec::new();
        let mut bad = Vec::new();
        let entries = match std::fs::read_dir(&self.dir) {
            Ok(e) => e,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok((out, bad)),
            Err(e) => return Err(Error::file("list", &self.dir, e)),
        };
        for entry in entries.flatten() {
            let name = entry.file_name().to_string_lossy().into_owned();
            let Some(id) = name.strip_suffix(".json") else {
                continue;
            };
            match self.load(id) {
                Ok(s) => out.push(s),
                Err(e) => bad.push(format!("{name}: {e}")),
            }
        }
        Ok((out, bad))
    }
}

/// The replays directory under a state directory.
#[derive(Clone)]
pub struct Store {
    files: StateDir,
}

impl Store {
    pub fn new(state_dir: &Path) -> Self {
        Store {
            files: StateDir::new(state_dir.join("replays"), "replay"),
        }
    }

    pub fn path_of(&self, id: &str) -> PathBuf {
        self.files.path_of(id)
    }

    pub fn save(&self, st: &ReplayState) -> Result<()> {
        self.files.save(&st.id, st)
    }

    pub fn load(&self, id: &str) -> Result<ReplayState> {
        self.files.load(id)
    }

    /// Every replay, oldest first. Unreadable files are reported, not fatal.
    pub fn list(&self) -> Result<(Vec<ReplayState>, Vec<String>)> {
        let (mut out, bad) = self.files.list::<ReplayState>()?;
        out.sort_by(|a, b| a.created_at.cmp(&b.created_at).then(a.id.cmp(&b.id)));
        Ok((out, bad))
    }
}

/// The rewinds directory under a state directory.
pub fn rewinds(state_dir: &Path) -> StateDir {
    StateDir::new(state_dir.join("rewinds"), "rewind")
}

/// Whether a process id is a live kafkaops (Linux: /proc; elsewhere assume it is
/// not, since a stale state must stay resumable). Checking the command line keeps
/// a reused pid from blocking a resume forever.
pub fn process_alive(pid: u32) -> bool {
    if pid == std::process::id() {
        return false;
    }
    match std::fs::read(Path::new("/proc").join(pid.to_string()).join("cmdline")) {
        Ok(cmdline) => String::from_utf8_lossy(&cmdline).contains("kafkaops"),
        Err(_) => false,
    }
}

/// A new replay id: sortable by time, unique enough to type.
pub fn new_replay_id(now: DateTime<Utc>) -> String {
    let rand = uuid::Uuid::new_v4().simple().to_string();
    format!("rp-{}-{}", now.format("%Y%m%d-%H%M%S"), &rand[..6])
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::replay::plan::tests::plan;

    #[test]
    fn state_dir_follows_xdg_then_home() {
        let env = |k: &str| match k {
            "XDG_STATE_HOME" => Some(PathBuf::from("/x/state")),
            "HOME" => Some(PathBuf::from("/home/a")),
            _ => None,
        };
        assert_eq!(
            state_dir_from(&env).unwrap(),
            PathBuf::from("/x/state/kafkaops")
        );
        let env = |k: &str| (k == "HOME").then(|| PathBuf::from("/home/a"));
        assert_eq!(
            state_dir_from(&env).unwrap(),
            PathBuf::from("/home/a/.local/state/kafkaops")
        );
        // A relative XDG_STATE_HOME is ignored, as the spec says.
        let env = |k: &str| match k {
            "XDG_STATE_HOME" => Some(PathBuf::from("rel")),
            "HOME" => Some(PathBuf::from("/home/a")),
            _ => None,
        };
        assert_eq!(
            state_dir_from(&env).unwrap(),
            PathBuf::from("/home/a/.local/state/kafkaops")
        );
        assert!(state_dir_from(&|_| None).is_err());
    }

    #[test]
    fn states_save_atomically_and_list_in_order() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::new(dir.path());
        let now = Utc::now();
        let mk = |id: &str, at: DateTime<Utc>| ReplayState {
            id: id.into(),
            phase: Phase::Running,
            owner: "o".into(),
            reason: "r".into(),
            ticket: None,
            plan: plan(),
            rate: plan().rate,
            audit_log: dir.path().join("audit.jsonl"),
            audit_topic: None,
            created_at: at,
            updated_at: at,
            finished_at: None,
            pid: None,
            attempts: 1,
            active_secs: 0.0,
            checkpoint: [(0, 15)].into(),
            dest_start: vec![],
            counts: Counts::default(),
            sent_before_attempt: 0,
            duplicate_of: vec![],
            skip_oversized: false,
            error: None,
        };
        store.save(&mk("b", now)).unwrap();
        store
            .save(&mk("a", now + chrono::Duration::seconds(1)))
            .unwrap();
        let (all, bad) = store.list().unwrap();
        assert!(bad.is_empty());
        assert_eq!(
            all.iter().map(|s| s.id.as_str()).collect::<Vec<_>>(),
            ["b", "a"]
        );
        assert_eq!(store.load("b").unwrap().checkpoint[&0], 15);
        assert!(store.load("../x").is_err());
        assert!(store
            .load("missing")
            .unwrap_err()
            .hint()
            .unwrap()
            .contains("replay status"));
        let leftovers: Vec<_> = std::fs::read_dir(dir.path().join("replays"))
            .unwrap()
            .flatten()
            .filter(|e| e.file_name().to_string_lossy().contains(".tmp"))
            .collect();
        assert!(leftovers.is_empty());
    }

    #[test]
    fn liveness_checks_the_process() {
        assert!(
            !process_alive(std::process::id()),
            "our own pid is never 'another run'"
        );
        assert!(!process_alive(u32::MAX - 1));
        #[cfg(target_os = "linux")]
        {
            // pid 1 is alive but is not kafkaops.
            assert!(!process_alive(1));
        }
    }

    #[test]
    fn replay_ids_are_unique_and_sortable() {
        let t = Utc::now();
        let a = new_replay_id(t);
        assert!(a.starts_with("rp-"));
        assert_ne!(a, new_replay_id(t));
    }
}
