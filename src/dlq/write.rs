//! Where `dlq export` writes its lines: stdout (a closed pipe ends quietly) or
//! a file that appears only when complete (written as `FILE.partial`, renamed
//! at the end) and is never overwritten without `--force`.

use std::fs::File;
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};

use crate::error::{stdout_error, Error, Result};

pub enum Sink {
    Stdout(BufWriter<std::io::Stdout>),
    File {
        w: BufWriter<File>,
        partial: PathBuf,
        path: PathBuf,
    },
}

impl Sink {
    pub fn stdout() -> Sink {
        Sink::Stdout(BufWriter::new(std::io::stdout()))
    }

    pub fn file(path: &Path, force: bool) -> Result<Sink> {
        if path.exists() && !force {
            return Err(Error::usage_hint(
                format!("{} already exists", path.display()),
                "choose another --out file, or pass --force to replace it",
            ));
        }
        let mut partial = path.as_os_str().to_owned();
        partial.push(".partial");
        let partial = PathBuf::from(partial);
        let f = File::create(&partial).map_err(|e| Error::file("create", &partial, e))?;
        Ok(Sink::File {
            w: BufWriter::new(f),
            partial,
            path: path.to_path_buf(),
        })
    }

    pub fn line(&mut self, s: &str) -> Result<()> {
        match self {
            Sink::Stdout(w) => w
                .write_all(s.as_bytes())
                .and_then(|()| w.write_all(b"\n"))
                .map_err(stdout_error),
            Sink::File { w, partial, .. } => w
                .write_all(s.as_bytes())
                .and_then(|()| w.write_all(b"\n"))
                .map_err(|e| Error::file("write", partial.clone(), e)),
        }
    }

    /// Flush, and move a file into place.
    pub fn finish(self) -> Result<()> {
        match self {
            Sink::Stdout(mut w) => w.flush().map_err(stdout_error),
            Sink::File { w, partial, path } => {
                let f = w
                    .into_inner()
                    .map_err(|e| Error::file("write", partial.clone(), e.into_error()))?;
                f.sync_all()
                    .map_err(|e| Error::file("write", partial.clone(), e))?;
                std::fs::rename(&partial, &path).map_err(|e| Error::file("rename", partial, e))
            }
        }
    }

    /// Remove a half-written file after a failure.
    pub fn abandon(self) {
        if let Sink::File { w, partial, .. } = self {
            drop(w);
            let _ = std::fs::remove_file(partial);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn file_appears_only_when_finished_and_is_not_overwritten() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("out.jsonl");
        let mut s = Sink::file(&path, false).unwrap();
        s.line("{}").unwrap();
        assert!(!path.exists());
        s.finish().unwrap();
        assert_eq!(std::fs::read_to_string(&path).unwrap(), "{}\n");
        let err = Sink::file(&path, false).err().unwrap();
        assert!(err.hint().unwrap().contains("--force"));
        let mut s = Sink::file(&path, true).unwrap();
        s.line("x").unwrap();
        s.abandon();
        assert_eq!(std::fs::read_to_string(&path).unwrap(), "{}\n");
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 1);
    }
}
