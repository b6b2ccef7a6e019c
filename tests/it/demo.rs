//! `kafkaops demo` tells the whole story on its own embedded broker and exits 0.

use crate::support;

use support::kafkaops;

#[test]
fn demo_runs_the_whole_tour() {
    let out = kafkaops()
        .arg("demo")
        .timeout(std::time::Duration::from_secs(240))
        .assert()
        .success()
        .get_output()
        .clone();
    let stdout = String::from_utf8(out.stdout).unwrap();
    for expected in [
        "$ kafkaops dlq triage --topic payments-dlt --sla 24h",
        "SLA 24h: 2 categories",
        "$ kafkaops lag --group payments-service --group fulfilment --group analytics",
        "$ kafkaops replay plan --topic payments-dlt --dlq-category",
        "completed: 1500 of 1500 records sent",
        "is intact: 3 entries",
        "demo finished",
    ] {
        assert!(
            stdout.contains(expected),
            "demo output lacks {expected:?}:\n{stdout}"
        );
    }
    // The redriven records are what payments-service now has to consume.
    let after = stdout
        .split("$ kafkaops lag --group payments-service\n")
        .nth(1)
        .expect("lag after the redrive");
    assert!(
        after
            .lines()
            .any(|l| l.contains("payments-service") && l.contains("1500")),
        "{after}"
    );
}
