//! `serve --config FILE`: the exporter's settings as TOML, so a deployment keeps
//! them in one reviewed file. Every key is optional and a flag given on the
//! command line wins; an unknown key is an error at start (a typo must not
//! silently drop a group or a DLQ from monitoring).

use std::path::{Path, PathBuf};

use serde::Deserialize;

use crate::error::{Error, Result};

/// The file's keys, named as the flags are (`group-regex` and `group_regex` both work).
#[derive(Clone, Debug, Default, Deserialize, PartialEq)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct ServeFile {
    pub listen: Option<String>,
    pub interval: Option<String>,
    pub window: Option<usize>,
    #[serde(default, alias = "groups")]
    pub group: Vec<String>,
    #[serde(alias = "group_regex")]
    pub group_regex: Option<String>,
    pub topic: Option<String>,
    #[serde(alias = "no_age")]
    pub no_age: Option<bool>,
    #[serde(alias = "no_lag")]
    pub no_lag: Option<bool>,
    #[serde(alias = "allowed_lag")]
    pub allowed_lag: Option<i64>,
    #[serde(
        default,
        alias = "dlq_topic",
        alias = "dlq-topics",
        alias = "dlq_topics"
    )]
    pub dlq_topic: Vec<String>,
    pub rules: Option<PathBuf>,
    pub sla: Option<String>,
    #[serde(alias = "audit_log")]
    pub audit_log: Option<PathBuf>,
    #[serde(alias = "max_categories")]
    pub max_categories: Option<usize>,
}

impl ServeFile {
    pub fn load(path: &Path) -> Result<ServeFile> {
        let text = std::fs::read_to_string(path).map_err(|e| Error::file("read", path, e))?;
        Self::parse(&text).map_err(|e| {
            Error::config(
                format!("bad serve config {}: {e}", path.display()),
                "keys are the flag names of `kafkaops serve` (e.g. interval = \"30s\", group = [\"billing\"], dlq-topic = [\"orders-dlq\"])",
            )
        })
    }

    fn parse(text: &str) -> std::result::Result<ServeFile, String> {
        toml::from_str(text).map_err(|e| e.message().to_string())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_flag_named_keys() {
        let f = ServeFile::parse(
            r#"
            listen = "0.0.0.0:9308"
            interval = "15s"
            group = ["billing", "orders"]
            group-regex = "^pay"
            dlq-topic = ["orders-dlq"]
            sla = "24h"
            "#,
        )
        .unwrap();
        assert_eq!(f.listen.as_deref(), Some("0.0.0.0:9308"));
        assert_eq!(f.group, vec!["billing", "orders"]);
        assert_eq!(f.group_regex.as_deref(), Some("^pay"));
        assert_eq!(f.dlq_topic, vec!["orders-dlq"]);
        let f = ServeFile::parse("group_regex = \"x\"\ndlq_topics = [\"d\"]").unwrap();
        assert_eq!(f.group_regex.as_deref(), Some("x"));
        assert_eq!(f.dlq_topic, vec!["d"]);
    }

    #[test]
    fn an_unknown_key_is_refused() {
        let e = ServeFile::parse("intervall = \"30s\"").unwrap_err();
        assert!(e.contains("intervall"), "{e}");
    }
}
