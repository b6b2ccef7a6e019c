//! The kafkaops binary under test, always started with the same clean environment.

use std::path::PathBuf;
use std::process::Command;
use std::sync::OnceLock;

/// The real binary with a clean environment (see [`clean_env`]), for assert_cmd checks.
pub fn kafkaops() -> assert_cmd::Command {
    assert_cmd::Command::from_std(kafkaops_std())
}

/// The real binary with a clean environment as a plain `std` command, for tests that
/// spawn it and interact with it while it runs (signals, stdin, streamed stderr).
pub fn kafkaops_std() -> Command {
    let mut cmd = Command::new(assert_cmd::cargo::cargo_bin("kafkaops"));
    clean_env(&mut cmd);
    cmd
}

/// The environment every kafkaops under test gets, also through a wrapper such as
/// `script`: no user config, no colour, no inherited KAFKAOPS_* or XDG_* settings,
/// state and config under a scratch HOME. Set on the child only: the tests run in
/// parallel threads of one process, so the process environment is never changed.
pub fn clean_env(cmd: &mut Command) -> &mut Command {
    for (k, _) in std::env::vars() {
        if k.starts_with("KAFKAOPS_") || k.starts_with("XDG_") {
            cmd.env_remove(k);
        }
    }
    let home = scratch_home();
    cmd.env("HOME", &home)
        .env("XDG_CONFIG_HOME", home.join("config"))
        .env("XDG_STATE_HOME", home.join("state"))
        .env("NO_COLOR", "1")
        .env("USER", "kafkaops-test")
}

/// A scratch directory shared by every test of this run. A static is never dropped, so
/// it is made under cargo's temporary directory for integration tests (inside `target/`)
/// rather than left behind in the system's.
fn scratch_home() -> PathBuf {
    static DIR: OnceLock<tempfile::TempDir> = OnceLock::new();
    DIR.get_or_init(|| tempfile::tempdir_in(env!("CARGO_TARGET_TMPDIR")).expect("tempdir"))
        .path()
        .to_path_buf()
}
