//! `kafkaops demo`: the whole tour in one process. It starts the sandbox broker and
//! runs the real binary against it step by step (triage, decide, lag, plan, a
//! rate-limited audited redrive, the state afterwards, audit verification), printing
//! every command and its real output. It exits non-zero if any step does not behave.

use std::path::Path;
use std::process::Command;

use serde_json::Value;

use crate::app::Context;
use crate::error::{Error, Result};
use crate::exit::ExitCode;
use crate::output::Style;
use crate::sandbox::{Sandbox, Seed};

struct Tour<'a> {
    ctx: &'a Context,
    exe: std::path::PathBuf,
    env: Vec<(String, String)>,
    step: usize,
}

/// Output lines longer than this are cut in the JSON steps, and the cut is said.
const JSON_LINE_SHOWN: usize = 220;

impl Tour<'_> {
    fn say(&self, text: &str) -> Result<()> {
        self.ctx.out.write_stdout(&format!("{text}\n"))
    }

    fn heading(&mut self, title: &str) -> Result<()> {
        self.step += 1;
        let line = format!("\n── {}. {title} ", self.step);
        let pad = "─".repeat(78usize.saturating_sub(line.chars().count()));
        self.say(&self.ctx.out.paint(&format!("{line}{pad}"), Style::Bold))
    }

    /// Run `kafkaops ARGS`, show the command and its output, and check the exit code.
    fn run(&self, args: &[&str], expect: i32, abbreviate_json: bool) -> Result<String> {
        let shown = args
            .iter()
            .map(|a| {
                if a.contains(' ') || a.is_empty() {
                    format!("'{a}'")
                } else {
                    a.to_string()
                }
            })
            .collect::<Vec<_>>()
            .join(" ");
        self.say(
            &self
                .ctx
                .out
                .paint(&format!("$ kafkaops {shown}"), Style::Green),
        )?;
        let color = if self.ctx.out.color {
            "always"
        } else {
            "never"
        };
        let output = Command::new(&self.exe)
            .args(args)
            .arg("--color")
            .arg(color)
            .envs(self.env.iter().map(|(k, v)| (k.as_str(), v.as_str())))
            .env_remove("KAFKAOPS_PROFILE")
            .output()
            .map_err(|e| Error::file("run", &self.exe, e))?;
        let stdout = String::from_utf8_lossy(&output.stdout).to_string();
        let mut shown_out = String::new();
        for line in stdout.lines() {
            if abbreviate_json && line.chars().count() > JSON_LINE_SHOWN {
                let cut: String = line.chars().take(JSON_LINE_SHOWN).collect();
                shown_out.push_str(&format!(
                    "{cut}… ({} more bytes, cut by the demo)\n",
                    line.len() - cut.len()
                ));
            } else {
                shown_out.push_str(line);
                shown_out.push('\n');
            }
        }
        self.ctx.out.write_stdout(&shown_out)?;
        let stderr = String::from_utf8_lossy(&output.stderr);
        for line in stderr.lines().filter(|l| !l.trim().is_empty()) {
            self.say(&self.ctx.out.paint(&format!("  {line}"), Style::Dim))?;
        }
        let code = output.status.code().unwrap_or(-1);
        if code != expect {
            return Err(Error::check_failed(format!(
                "demo step `kafkaops {shown}` exited with {code}, expected {expect}"
            )));
        }
        Ok(stdout)
    }
}

const RULES: &str = r#"# Decisions per failure category, first match wins.
[[rule]]
cause = "java.net.SocketTimeoutException"
action = "retry"
owner = "payments-team"
note = "ledger timeouts; the ledger was fixed at 06:00, safe to redrive"

[[rule]]
exception = "org.springframework.dao.DuplicateKeyException"
action = "discard"
owner = "payments-team"
note = "already applied; the duplicate is harmless"

[[rule]]
exception = "org.springframework.kafka.support.serializer.DeserializationException"
action = "fix-by-hand"
owner = "checkout-team"

[[rule]]
convention = "kafka-connect"
action = "investigate"
owner = "data-platform"
"#;

pub async fn run(ctx: &Context) -> Result<ExitCode> {
    let dir = tempfile::tempdir().map_err(|e| Error::file("create", "a temporary directory", e))?;
    let listen = "127.0.0.1:0".parse().expect("static address");
    ctx.out
        .note("starting the sandbox broker (librdkafka mock cluster) and seeding an incident");
    let sandbox = Sandbox::start(listen, Seed::Incident, &ctx.out, ctx.now).await?;
    let state = dir.path().join("state");
    let config = dir.path().join("no-profiles.toml");
    write(&config, "")?;
    let rules = dir.path().join("rules.toml");
    write(&rules, RULES)?;
    let audit = dir.path().join("audit.jsonl");
    let plan = dir.path().join("plan.json");
    let mut tour = Tour {
        ctx,
        exe: std::env::current_exe()
            .map_err(|e| Error::file("locate", "the kafkaops binary", e))?,
        env: vec![
            ("KAFKAOPS_BROKERS".into(), sandbox.address.clone()),
            ("KAFKAOPS_CONFIG".into(), config.display().to_string()),
            ("XDG_STATE_HOME".into(), state.display().to_string()),
        ],
        step: 0,
    };
    let (rules_s, audit_s, plan_s) = (
        rules.display().to_string(),
        audit.display().to_string(),
        plan.display().to_string(),
    );

    tour.say(&format!(
        "{} an order pipeline is in trouble: payments are being dead-lettered.\n\
         The sandbox broker serves {} (3,750 dead letters in payments-dlt). Every step below runs\n\
         the real kafkaops binary against it with KAFKAOPS_BROKERS={} and prints its real output.",
        ctx.out.paint("kafkaops demo:", Style::Bold),
        sandbox.address,
        sandbox.address
    ))?;

    tour.heading("What is in the dead-letter topic, and what breaches the 24h triage SLA?")?;
    tour.run(
        &["dlq", "triage", "--topic", "payments-dlt", "--sla", "24h"],
        0,
        false,
    )?;

    tour.heading("Decide per category with a rules file")?;
    tour.say(&format!("{rules_s}:\n{RULES}"))?;
    tour.run(
        &[
            "dlq",
            "triage",
            "--topic",
            "payments-dlt",
            "--rules",
            &rules_s,
        ],
        0,
        false,
    )?;

    tour.heading("The same as JSON Lines, for scripts: find the category to retry")?;
    let jsonl = tour.run(
        &[
            "dlq",
            "triage",
            "--topic",
            "payments-dlt",
            "--rules",
            &rules_s,
            "-o",
            "jsonl",
        ],
        0,
        true,
    )?;
    let retry = retry_category(&jsonl)?;
    tour.say(&format!(
        "→ category {} (action retry) holds {} records",
        retry.0, retry.1
    ))?;

    tour.heading("Who is behind, and how old is their backlog?")?;
    tour.run(
        &[
            "lag",
            "--group",
            "payments-service",
            "--group",
            "fulfilment",
            "--group",
            "analytics",
        ],
        0,
        false,
    )?;

    tour.heading(
        "Plan the redrive of the retryable category: exact offsets, blast radius, nothing produced",
    )?;
    tour.run(
        &[
            "replay",
            "plan",
            "--topic",
            "payments-dlt",
            "--dlq-category",
            &retry.0,
            "--redrive",
            "--rate",
            "500/s",
            "--out",
            &plan_s,
        ],
        0,
        false,
    )?;

    tour.heading("Run the plan: rate-limited, provenance headers on every record, audited")?;
    tour.run(
        &[
            "replay",
            "run",
            "--plan",
            &plan_s,
            "--owner",
            "oncall-demo",
            "--reason",
            "ledger fixed, redrive timed-out payments",
            "--ticket",
            "INC-4711",
            "--audit-log",
            &audit_s,
            "--yes",
        ],
        0,
        false,
    )?;

    tour.heading(
        "After: the replay's record, and the redriven payments waiting for payments-service",
    )?;
    tour.run(&["replay", "status"], 0, false)?;
    tour.run(&["lag", "--group", "payments-service"], 0, false)?;

    tour.heading("The audit log is a hash chain: verify nobody edited or removed a line")?;
    tour.run(&["audit", "verify", "--audit-log", &audit_s], 0, false)?;

    tour.say(&format!(
        "\n{} every step ran the real binary against the sandbox. Try it yourself:\n  kafkaops sandbox    # in one shell\n  export KAFKAOPS_BROKERS=127.0.0.1:9092; kafkaops dlq triage --topic payments-dlt",
        ctx.out.paint("demo finished:", Style::Bold)
    ))?;
    drop(sandbox);
    Ok(ExitCode::Success)
}

/// The id and size of the first category whose decided action is `retry`.
fn retry_category(jsonl: &str) -> Result<(String, u64)> {
    for line in jsonl.lines() {
        let Ok(v) = serde_json::from_str::<Value>(line) else {
            continue;
        };
        if v.get("action").and_then(Value::as_str) == Some("retry") {
            if let Some(id) = v.get("id").and_then(Value::as_str) {
                return Ok((
                    id.to_string(),
                    v.get("records").and_then(Value::as_u64).unwrap_or(0),
                ));
            }
        }
    }
    Err(Error::check_failed(
        "no category with action retry in the triage output",
    ))
}

fn write(path: &Path, text: &str) -> Result<()> {
    std::fs::write(path, text).map_err(|e| Error::file("write", path, e))
}
