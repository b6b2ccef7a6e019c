//! The kafkaops binary under test, always started with the same clean environment.

/// The real binary with a clean environment: no user config, no colour, no
/// inherited KAFKAOPS_* settings, state and config under a scratch HOME.
pub fn kafkaops() -> assert_cmd::Command {
    let mut cmd = assert_cmd::Command::cargo_bin("kafkaops").expect("binary built");
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
        .env("USER", "kafkaops-test");
    cmd
}

/// A per-test-process scratch directory, kept until the process exits.
pub fn scratch_home() -> std::path::PathBuf {
    static DIR: std::sync::OnceLock<tempfile::TempDir> = std::sync::OnceLock::new();
    DIR.get_or_init(|| tempfile::tempdir().expect("tempdir"))
        .path()
        .to_path_buf()
}
