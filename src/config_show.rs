//! `kafkaops config show`: the effective connection settings, secrets redacted.

use serde::Serialize;

use crate::app::Context;
use crate::config::Origin;
use crate::error::Result;
use crate::exit::ExitCode;
use crate::output::{Column, OutputFormat};

#[derive(Debug, Serialize)]
pub struct ConfigShow {
    pub brokers: Option<String>,
    pub brokers_origin: Option<Origin>,
    pub profile: Option<String>,
    pub profile_file: Option<String>,
    pub timeout_ms: u64,
    pub audit_log: Option<String>,
    pub properties: Vec<PropertyShow>,
}

#[derive(Debug, Serialize)]
pub struct PropertyShow {
    pub key: String,
    pub value: String,
    pub origin: Origin,
    pub secret: bool,
}

pub fn run(ctx: &Context) -> Result<ExitCode> {
    ctx.out
        .require(&[OutputFormat::Table, OutputFormat::Json], "config show")?;
    let s = &ctx.settings;
    let show = ConfigShow {
        brokers: s.brokers.as_ref().map(|b| b.value.clone()),
        brokers_origin: s.brokers.as_ref().map(|b| b.origin),
        profile: s.profile.clone(),
        profile_file: s.profile_file.as_ref().map(|p| p.display().to_string()),
        timeout_ms: s.timeout.as_millis() as u64,
        audit_log: s.audit_log.as_ref().map(|p| p.display().to_string()),
        properties: s
            .properties
            .iter()
            .map(|(k, v)| PropertyShow {
                key: k.clone(),
                value: crate::config::redact(k, &v.value),
                origin: v.origin,
                secret: crate::config::is_secret_key(k),
            })
            .collect(),
    };
    if ctx.out.format == OutputFormat::Json {
        ctx.out.print_json(&show)?;
        return Ok(ExitCode::Success);
    }
    let mut t = ctx.out.table([
        Column::whole("setting"),
        Column::wrap("value", 20),
        Column::shorten("from", 10).useful(),
    ]);
    let none = "(none)".to_string();
    t.add_row(vec![
        "brokers".to_string(),
        show.brokers.clone().unwrap_or_else(|| none.clone()),
        show.brokers_origin
            .map(|o| o.to_string())
            .unwrap_or_default(),
    ]);
    t.add_row(vec![
        "profile".to_string(),
        show.profile.clone().unwrap_or_else(|| none.clone()),
        show.profile_file.clone().unwrap_or_default(),
    ]);
    t.add_row(vec![
        "timeout".to_string(),
        humantime::format_duration(s.timeout).to_string(),
        String::new(),
    ]);
    if let Some(a) = &show.audit_log {
        t.add_row(vec![
            "audit log".to_string(),
            a.clone(),
            "profile".to_string(),
        ]);
    }
    for p in &show.properties {
        t.add_row(vec![p.key.clone(), p.value.clone(), p.origin.to_string()]);
    }
    ctx.out.print_table(&t)?;
    Ok(ExitCode::Success)
}
