//! Writing files so that a crash or a failed command never leaves a torn,
//! truncated or half-written one: state files, the audit log's head, and the
//! `--out` files that cron jobs and node_exporter's textfile collector read.

use std::fs::OpenOptions;
use std::io::Write;
use std::path::Path;

use crate::error::{Error, Result};

/// Who may read a file written by [`write_atomic_as`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Access {
    /// The user only (0600): state and audit files, which name owners and topics.
    Private,
    /// As the umask allows: reports read by other users (a Prometheus textfile is
    /// read by node_exporter's own user).
    Shared,
}

/// Create a directory (and parents) readable by the user only.
pub fn create_private_dir(dir: &Path) -> Result<()> {
    let mut b = std::fs::DirBuilder::new();
    b.recursive(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::DirBuilderExt;
        b.mode(0o700);
    }
    b.create(dir)
        .map_err(|e| Error::file("create directory", dir, e))
}

/// Replace `path` atomically with a file only the user can read.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> Result<()> {
    write_atomic_as(path, bytes, Access::Private)
}

/// Replace `path` atomically: write a temp file next to it, fsync it, rename,
/// fsync the directory. Readers see the old file or the new one, never a part.
/// The temp name ends in `.tmpPID`, so a collector globbing `*.prom` skips it.
pub fn write_atomic_as(path: &Path, bytes: &[u8], access: Access) -> Result<()> {
    let dir = path
        .parent()
        .filter(|d| !d.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let mut tmp_name = path
        .file_name()
        .map(|n| n.to_os_string())
        .unwrap_or_default();
    tmp_name.push(format!(".tmp{}", std::process::id()));
    let tmp = dir.join(tmp_name);
    let mut opts = OpenOptions::new();
    opts.write(true).create(true).truncate(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        opts.mode(match access {
            Access::Private => 0o600,
            Access::Shared => 0o666,
        });
    }
    let written = (|| {
        let mut f = opts.open(&tmp).map_err(|e| Error::file("write", &tmp, e))?;
        f.write_all(bytes)
            .map_err(|e| Error::file("write", &tmp, e))?;
        f.sync_all().map_err(|e| Error::file("sync", &tmp, e))
    })();
    if let Err(e) = written {
        // A full disk must not leave a stray temp file beside the real one.
        let _ = std::fs::remove_file(&tmp);
        return Err(e);
    }
    if let Err(e) = std::fs::rename(&tmp, path) {
        let _ = std::fs::remove_file(&tmp);
        return Err(Error::file("replace", path, e));
    }
    // The rename is durable only once the directory entry is; not every platform
    // lets a directory be opened for syncing, so this is best effort.
    if let Ok(d) = std::fs::File::open(dir) {
        let _ = d.sync_all();
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn replaces_whole_file_and_leaves_no_temp() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("lag.prom");
        std::fs::write(&p, "old\n").unwrap();
        write_atomic_as(&p, b"new\n", Access::Shared).unwrap();
        assert_eq!(std::fs::read_to_string(&p).unwrap(), "new\n");
        let names: Vec<_> = std::fs::read_dir(dir.path()).unwrap().collect();
        assert_eq!(names.len(), 1);
    }

    #[test]
    fn failure_keeps_the_previous_file() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("missing-dir").join("x.prom");
        assert!(write_atomic_as(&p, b"x", Access::Shared).is_err());
        let target = dir.path().join("t.prom");
        std::fs::write(&target, "old\n").unwrap();
        // A directory in the temp file's place makes the write fail before the rename.
        std::fs::create_dir(dir.path().join(format!("t.prom.tmp{}", std::process::id()))).unwrap();
        assert!(write_atomic_as(&target, b"new\n", Access::Shared).is_err());
        assert_eq!(std::fs::read_to_string(&target).unwrap(), "old\n");
    }

    #[cfg(unix)]
    #[test]
    fn private_files_are_user_only() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("state.json");
        write_atomic(&p, b"{}").unwrap();
        let mode = std::fs::metadata(&p).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, 0o600);
    }
}
