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
    let script = Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/tests/it/support")).join(name);
    run(Command::new("python3").arg(script).args(args))
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
