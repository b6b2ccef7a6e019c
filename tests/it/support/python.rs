//! The bridge to Python: confluent-kafka is the independent client that checks what
//! kafkaops reports.

use std::path::Path;
use std::process::Command;

/// Run a python3 snippet (confluent-kafka is the independent client).
pub fn python(script: &str, args: &[&str]) -> String {
    run(Command::new("python3").arg("-c").arg(script).args(args))
}

/// Run one of the Python scripts kept beside this support code (tests/it/support/).
pub fn python_file(name: &str, args: &[&str]) -> String {
    run(Command::new("python3").arg(script(name)).args(args))
}

fn run(cmd: &mut Command) -> String {
    let out = cmd.output().expect("python3");
    assert!(
        out.status.success(),
        "python failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

/// Start one of the Python scripts beside this support code as a process of its own,
/// with stdin and stdout piped (for a client that must stay alive during a test).
pub fn python_file_spawn(name: &str, args: &[&str]) -> std::process::Child {
    Command::new("python3")
        .arg(script(name))
        .args(args)
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .spawn()
        .expect("python3")
}

fn script(name: &str) -> std::path::PathBuf {
    Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/tests/it/support")).join(name)
}
