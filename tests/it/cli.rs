//! The command tree itself: clap's own consistency checks, parsing of the shared
//! flags, and the freshness of the generated completions and man pages.

use crate::support;

use std::path::Path;

use predicates::prelude::*;
use support::kafkaops;

#[test]
fn clap_definitions_are_consistent() {
    kafkaops::cli::command().debug_assert();
}

#[test]
fn global_flags_work_after_the_subcommand() {
    use clap::Parser;
    let cli = kafkaops::cli::Cli::try_parse_from([
        "kafkaops",
        "config",
        "show",
        "-b",
        "k:9092",
        "-X",
        "a=b",
        "-X",
        "c=d",
        "-o",
        "json",
        "--timeout",
        "3s",
    ])
    .unwrap();
    assert_eq!(cli.connection.brokers.as_deref(), Some("k:9092"));
    assert_eq!(cli.connection.property, vec!["a=b", "c=d"]);
    assert_eq!(cli.connection.timeout, std::time::Duration::from_secs(3));
    assert!(
        kafkaops::cli::Cli::try_parse_from(["kafkaops", "config", "show", "--timeout", "0s"])
            .is_err()
    );
    assert!(
        kafkaops::cli::Cli::try_parse_from(["kafkaops", "config", "show", "-o", "xml"]).is_err()
    );
}

#[test]
fn help_lists_the_jobs_and_exit_codes() {
    kafkaops()
        .arg("--help")
        .assert()
        .success()
        .stdout(predicate::str::contains("dlq"))
        .stdout(predicate::str::contains("replay"))
        .stdout(predicate::str::contains("lag"))
        .stdout(predicate::str::contains("130  interrupted by Ctrl-C"));
    for group in ["dlq", "replay", "lag", "config", "topic"] {
        kafkaops()
            .args([group, "--help"])
            .assert()
            .success()
            .stdout(predicate::str::contains("Usage: kafkaops"));
    }
}

#[test]
fn usage_errors_exit_2() {
    kafkaops().arg("frobnicate").assert().code(2);
    kafkaops()
        .args(["config", "show", "--timeout", "soon"])
        .assert()
        .code(2);
}

fn read_tree(root: &Path) -> Vec<(String, Vec<u8>)> {
    let mut out = Vec::new();
    for sub in ["completions", "man"] {
        let dir = root.join(sub);
        let Ok(entries) = std::fs::read_dir(&dir) else {
            continue;
        };
        for e in entries {
            let e = e.unwrap();
            out.push((
                format!("{sub}/{}", e.file_name().to_string_lossy()),
                std::fs::read(e.path()).unwrap(),
            ));
        }
    }
    out.sort();
    out
}

#[test]
fn completions_and_man_pages_are_fresh() {
    let tmp = tempfile::tempdir().unwrap();
    kafkaops()
        .args(["generate", "--out-dir"])
        .arg(tmp.path())
        .assert()
        .success();
    let fresh = read_tree(tmp.path());
    let names: Vec<&str> = fresh.iter().map(|(n, _)| n.as_str()).collect();
    for expected in [
        "completions/kafkaops.bash",
        "completions/_kafkaops",
        "completions/kafkaops.fish",
        "completions/_kafkaops.ps1",
        "completions/kafkaops.elv",
        "man/kafkaops.1",
        "man/kafkaops-config-show.1",
    ] {
        assert!(
            names.contains(&expected),
            "generator did not write {expected}: {names:?}"
        );
    }
    let man = String::from_utf8(
        fresh
            .iter()
            .find(|(n, _)| n == "man/kafkaops.1")
            .unwrap()
            .1
            .clone(),
    )
    .unwrap();
    assert!(man.contains("130"), "exit codes missing from the man page");
    let checked_in = read_tree(Path::new(env!("CARGO_MANIFEST_DIR")));
    assert!(
        fresh == checked_in,
        "completions/ or man/ are stale: run `cargo run -- generate --out-dir .` and commit the result"
    );
}
