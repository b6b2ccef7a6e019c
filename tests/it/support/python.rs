//! The bridge to Python: confluent-kafka is the independent client that checks what
//! kafkaops reports.

use std::process::Command;

/// Run a python3 snippet (confluent-kafka is the independent client).
pub fn python(script: &str, args: &[&str]) -> String {
    let out = Command::new("python3")
        .arg("-c")
        .arg(script)
        .args(args)
        .output()
        .expect("python3");
    assert!(
        out.status.success(),
        "python failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}
