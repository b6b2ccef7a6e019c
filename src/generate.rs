//! The hidden `generate` command: shell completions and man pages rendered from the
//! clap definitions into `completions/` and `man/`. A test regenerates them into a
//! temporary directory and fails when the checked-in copies are stale.

use std::path::Path;

use clap_complete::Shell;

use crate::error::{Error, Result};

pub fn write_all(out_dir: &Path) -> Result<()> {
    let completions = out_dir.join("completions");
    let man = out_dir.join("man");
    for dir in [&completions, &man] {
        std::fs::create_dir_all(dir).map_err(|e| Error::file("create", dir, e))?;
    }
    for shell in [
        Shell::Bash,
        Shell::Zsh,
        Shell::Fish,
        Shell::PowerShell,
        Shell::Elvish,
    ] {
        let mut cmd = crate::cli::command();
        clap_complete::generate_to(shell, &mut cmd, "kafkaops", &completions)
            .map_err(|e| Error::file("write completions into", &completions, e))?;
    }
    clap_mangen::generate_to(crate::cli::command(), &man)
        .map_err(|e| Error::file("write man pages into", &man, e))?;
    Ok(())
}
