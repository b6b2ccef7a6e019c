//! Connection settings: brokers and librdkafka properties gathered from flags
//! (`-b`, `-X`, `-F`), the environment (`KAFKAOPS_BROKERS`) and a named profile in
//! the TOML config file, with `${env:NAME}` references resolved and secrets
//! redacted whenever settings are shown.
//!
//! Precedence, highest first: `-b`, `-X`, `-F`, `KAFKAOPS_BROKERS`, the profile.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::time::Duration;

use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};

/// What the user said, before resolution. Built by the CLI layer.
#[derive(Clone, Debug, Default)]
pub struct ConnectionRequest {
    pub brokers: Option<String>,
    pub properties: Vec<String>,
    pub config_file: Option<PathBuf>,
    pub profile: Option<String>,
    pub timeout: Duration,
}

/// Where a setting came from, shown by `config show`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Origin {
    Flag,
    ConfigFile,
    Env,
    Profile,
    Default,
}

impl std::fmt::Display for Origin {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            Origin::Flag => "flag",
            Origin::ConfigFile => "config-file",
            Origin::Env => "env",
            Origin::Profile => "profile",
            Origin::Default => "default",
        })
    }
}

#[derive(Clone, Debug)]
pub struct Setting {
    pub value: String,
    pub origin: Origin,
}

/// Fully resolved connection settings. `Debug` is implemented by hand so a stray
/// `{:?}` can never print a secret.
#[derive(Clone)]
pub struct ConnectionSettings {
    pub brokers: Option<Setting>,
    pub properties: BTreeMap<String, Setting>,
    pub profile: Option<String>,
    pub profile_file: Option<PathBuf>,
    /// Per-call broker timeout.
    pub timeout: Duration,
    /// Audit log location named by the profile, if any (used by replay).
    pub audit_log: Option<PathBuf>,
}

impl std::fmt::Debug for ConnectionSettings {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ConnectionSettings")
            .field("brokers", &self.brokers.as_ref().map(|s| &s.value))
            .field("properties", &self.redacted_properties())
            .field("profile", &self.profile)
            .finish()
    }
}

/// `[profiles.NAME]` in the config file.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct Profile {
    brokers: Option<String>,
    #[serde(default)]
    properties: BTreeMap<String, toml::Value>,
    audit_log: Option<PathBuf>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct ConfigFile {
    default_profile: Option<String>,
    #[serde(default)]
    profiles: BTreeMap<String, Profile>,
}

pub const REDACTED: &str = "[redacted]";

/// True for property names whose values must never be shown or logged.
pub fn is_secret_key(key: &str) -> bool {
    let k = key.to_ascii_lowercase();
    k.contains("password")
        || k.contains("secret")
        || k == "sasl.jaas.config"
        || k == "sasl.oauthbearer.config"
        || k == "ssl.key.pem"
        || k == "ssl.keystore.location.password"
}

/// The default profile file: `$KAFKAOPS_CONFIG`, else `$XDG_CONFIG_HOME/kafkaops/config.toml`,
/// else `~/.config/kafkaops/config.toml`.
pub fn default_config_path(env: &dyn Fn(&str) -> Option<String>) -> Option<PathBuf> {
    if let Some(p) = env("KAFKAOPS_CONFIG").filter(|p| !p.is_empty()) {
        return Some(PathBuf::from(p));
    }
    let base = env("XDG_CONFIG_HOME")
        .filter(|p| !p.is_empty())
        .map(PathBuf::from)
        .or_else(|| env("HOME").map(|h| Path::new(&h).join(".config")))?;
    Some(base.join("kafkaops").join("config.toml"))
}

impl ConnectionSettings {
    /// Resolve against the real process environment.
    pub fn resolve(req: &ConnectionRequest) -> Result<Self> {
        Self::resolve_with(req, &|k| std::env::var(k).ok())
    }

    /// Resolve with an injectable environment (tests).
    pub fn resolve_with(
        req: &ConnectionRequest,
        env: &dyn Fn(&str) -> Option<String>,
    ) -> Result<Self> {
        let mut props: BTreeMap<String, Setting> = BTreeMap::new();
        let mut brokers: Option<Setting> = None;
        let mut audit_log = None;

        // Lowest precedence first; later layers overwrite.
        let config_path = default_config_path(env);
        let explicit_profile = req
            .profile
            .clone()
            .or_else(|| env("KAFKAOPS_PROFILE").filter(|p| !p.is_empty()));
        let mut profile_name = None;
        let mut profile_file = None;
        if let Some(path) = &config_path {
            let file = load_config_file(path, explicit_profile.is_some())?;
            let chosen = explicit_profile.clone().or(file.default_profile.clone());
            if let Some(name) = chosen {
                let Some(profile) = file.profiles.get(&name) else {
                    let known: Vec<_> = file.profiles.keys().cloned().collect();
                    let hint = if known.is_empty() {
                        format!(
                            "{} defines no profiles; add a [profiles.{name}] table",
                            path.display()
                        )
                    } else {
                        format!("known profiles in {}: {}", path.display(), known.join(", "))
                    };
                    return Err(Error::config(format!("unknown profile '{name}'"), hint));
                };
                let ctx = format!("profile '{name}'");
                for (k, v) in &profile.properties {
                    let raw = toml_scalar(v).ok_or_else(|| {
                        Error::config(
                            format!("property '{k}' in {ctx} is not a string, number or boolean"),
                            format!("write it as \"{k}\" = \"value\" in {}", path.display()),
                        )
                    })?;
                    let value = interpolate(&raw, env, &format!("'{k}' in {ctx}"))?;
                    props.insert(
                        k.clone(),
                        Setting {
                            value,
                            origin: Origin::Profile,
                        },
                    );
                }
                if let Some(b) = &profile.brokers {
                    let value = interpolate(b, env, &format!("'brokers' in {ctx}"))?;
                    brokers = Some(Setting {
                        value,
                        origin: Origin::Profile,
                    });
                }
                audit_log = profile.audit_log.clone();
                profile_name = Some(name);
                profile_file = Some(path.clone());
            }
        }
        if let Some(b) = env("KAFKAOPS_BROKERS").filter(|b| !b.trim().is_empty()) {
            brokers = Some(Setting {
                value: b,
                origin: Origin::Env,
            });
        }
        if let Some(path) = &req.config_file {
            for (k, v) in parse_properties_file(path, env)? {
                props.insert(
                    k,
                    Setting {
                        value: v,
                        origin: Origin::ConfigFile,
                    },
                );
            }
        }
        for pair in &req.properties {
            let (k, v) = parse_property_pair(pair)?;
            let value = interpolate(&v, env, &format!("-X {k}"))?;
            props.insert(
                k,
                Setting {
                    value,
                    origin: Origin::Flag,
                },
            );
        }
        // bootstrap.servers given as a property outranks env and profile brokers, but not -b.
        if let Some(bs) = props
            .remove("bootstrap.servers")
            .or_else(|| props.remove("metadata.broker.list"))
        {
            if bs.origin != Origin::Profile || brokers.is_none() {
                brokers = Some(bs);
            }
        }
        if let Some(b) = req.brokers.as_ref().filter(|b| !b.trim().is_empty()) {
            brokers = Some(Setting {
                value: b.clone(),
                origin: Origin::Flag,
            });
        }
        Ok(ConnectionSettings {
            brokers,
            properties: props,
            profile: profile_name,
            profile_file,
            timeout: req.timeout,
            audit_log,
        })
    }

    /// The broker list, or an error that says how to give one.
    pub fn require_brokers(&self) -> Result<&str> {
        self.brokers
            .as_ref()
            .map(|b| b.value.as_str())
            .ok_or_else(|| {
                Error::config(
                    "no brokers configured",
                    "pass -b HOST:PORT, set KAFKAOPS_BROKERS, or select a profile with --profile",
                )
            })
    }

    /// Properties with secret values replaced by `[redacted]`.
    pub fn redacted_properties(&self) -> BTreeMap<String, String> {
        self.properties
            .iter()
            .map(|(k, s)| (k.clone(), redact(k, &s.value)))
            .collect()
    }
}

/// Replace a secret value by `[redacted]`.
pub fn redact(key: &str, value: &str) -> String {
    if is_secret_key(key) {
        REDACTED.to_string()
    } else {
        value.to_string()
    }
}

fn load_config_file(path: &Path, required: bool) -> Result<ConfigFile> {
    let text = match std::fs::read_to_string(path) {
        Ok(t) => t,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound && !required => {
            return Ok(ConfigFile::default())
        }
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            return Err(Error::config(
                format!("config file {} does not exist", path.display()),
                "create it with a [profiles.NAME] table, or point KAFKAOPS_CONFIG at your file",
            ))
        }
        Err(e) => return Err(Error::file("read config file", path, e)),
    };
    toml::from_str(&text).map_err(|e| {
        let msg = e.message().to_string();
        let line = e
            .span()
            .map(|s| text[..s.start.min(text.len())].matches('\n').count() + 1);
        let at = line.map(|l| format!(":{l}")).unwrap_or_default();
        Error::config(
            format!("cannot parse config file {}{at}: {msg}", path.display()),
            "profiles look like [profiles.prod] with brokers = \"host:9092\" and a [profiles.prod.properties] table",
        )
    })
}

fn toml_scalar(v: &toml::Value) -> Option<String> {
    match v {
        toml::Value::String(s) => Some(s.clone()),
        toml::Value::Integer(i) => Some(i.to_string()),
        toml::Value::Float(f) => Some(f.to_string()),
        toml::Value::Boolean(b) => Some(b.to_string()),
        _ => None,
    }
}

/// Parse one `-X key=value` pair.
pub fn parse_property_pair(pair: &str) -> Result<(String, String)> {
    match pair.split_once('=') {
        Some((k, v)) if !k.trim().is_empty() => Ok((k.trim().to_string(), v.to_string())),
        _ => Err(Error::usage_hint(
            format!("malformed -X '{}': expected key=value", shown_pair(pair)),
            "write librdkafka properties as -X key=value, e.g. -X security.protocol=SASL_SSL",
        )),
    }
}

/// A malformed pair might still hold a secret after the first `=`; never echo it.
fn shown_pair(pair: &str) -> String {
    let key = pair.split('=').next().unwrap_or("");
    if is_secret_key(key) || pair.contains('=') {
        format!("{key}=...")
    } else {
        pair.to_string()
    }
}

/// Parse a librdkafka properties file (`key=value` lines, `#` comments), as kcat's `-F`.
fn parse_properties_file(
    path: &Path,
    env: &dyn Fn(&str) -> Option<String>,
) -> Result<Vec<(String, String)>> {
    let text = std::fs::read_to_string(path).map_err(|e| {
        if e.kind() == std::io::ErrorKind::NotFound {
            Error::config(
                format!("config file {} does not exist", path.display()),
                "check the path given to -F/--config-file",
            )
        } else {
            Error::file("read", path, e)
        }
    })?;
    let mut out = Vec::new();
    for (i, line) in text.lines().enumerate() {
        let line = line.trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let Some((k, v)) = line.split_once('=').filter(|(k, _)| !k.trim().is_empty()) else {
            return Err(Error::config(
                format!(
                    "cannot parse {}:{}: expected key=value",
                    path.display(),
                    i + 1
                ),
                "a librdkafka properties file holds one key=value per line; # starts a comment",
            ));
        };
        let k = k.trim().to_string();
        let v = interpolate(v.trim(), env, &format!("'{k}' in {}", path.display()))?;
        out.push((k, v));
    }
    Ok(out)
}

/// Replace `${env:NAME}` references.
pub fn interpolate(
    value: &str,
    env: &dyn Fn(&str) -> Option<String>,
    what: &str,
) -> Result<String> {
    let mut out = String::with_capacity(value.len());
    let mut rest = value;
    while let Some(start) = rest.find("${env:") {
        out.push_str(&rest[..start]);
        let after = &rest[start + 6..];
        let Some(end) = after.find('}') else {
            return Err(Error::config(
                format!("unterminated ${{env:...}} reference in {what}"),
                "write environment references as ${env:NAME}",
            ));
        };
        let name = &after[..end];
        if name.is_empty() {
            return Err(Error::config(
                format!("empty ${{env:}} reference in {what}"),
                "write environment references as ${env:NAME}",
            ));
        }
        match env(name) {
            Some(v) => out.push_str(&v),
            None => {
                return Err(Error::config(
                    format!("environment variable {name} is not set (referenced by {what})"),
                    format!("export {name}=... before running kafkaops"),
                ))
            }
        }
        rest = &after[end + 1..];
    }
    out.push_str(rest);
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;

    fn env_of(pairs: &[(&str, &str)]) -> impl Fn(&str) -> Option<String> {
        let map: HashMap<String, String> = pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        move |k| map.get(k).cloned()
    }

    fn write(dir: &Path, name: &str, text: &str) -> PathBuf {
        let p = dir.join(name);
        std::fs::write(&p, text).unwrap();
        p
    }

    const PROFILES: &str = r#"
default_profile = "dev"
[profiles.dev]
brokers = "dev:9092"
[profiles.prod]
brokers = "prod1:9092,prod2:9092"
audit_log = "/var/log/kafkaops/audit.jsonl"
[profiles.prod.properties]
"security.protocol" = "SASL_SSL"
"sasl.username" = "ops"
"sasl.password" = "${env:KAFKA_PASSWORD}"
"socket.timeout.ms" = 5000
"#;

    #[test]
    fn precedence_flag_env_profile() {
        let dir = tempfile::tempdir().unwrap();
        let cfg = write(dir.path(), "c.toml", PROFILES);
        let cfg_s = cfg.to_str().unwrap().to_string();
        let env = env_of(&[("KAFKAOPS_CONFIG", &cfg_s), ("KAFKA_PASSWORD", "hunter2")]);
        let mut req = ConnectionRequest {
            profile: Some("prod".into()),
            ..Default::default()
        };
        let s = ConnectionSettings::resolve_with(&req, &env).unwrap();
        assert_eq!(s.brokers.as_ref().unwrap().value, "prod1:9092,prod2:9092");
        assert_eq!(s.brokers.as_ref().unwrap().origin, Origin::Profile);
        assert_eq!(s.properties["sasl.password"].value, "hunter2");
        assert_eq!(s.properties["socket.timeout.ms"].value, "5000");
        assert_eq!(s.redacted_properties()["sasl.password"], REDACTED);
        assert!(!format!("{s:?}").contains("hunter2"));

        let env2 = env_of(&[
            ("KAFKAOPS_CONFIG", &cfg_s),
            ("KAFKA_PASSWORD", "x"),
            ("KAFKAOPS_BROKERS", "envb:9092"),
        ]);
        let s = ConnectionSettings::resolve_with(&req, &env2).unwrap();
        assert_eq!(s.brokers.as_ref().unwrap().value, "envb:9092");
        assert_eq!(s.brokers.as_ref().unwrap().origin, Origin::Env);

        req.brokers = Some("flag:9092".into());
        req.properties = vec!["sasl.username=other".into()];
        let s = ConnectionSettings::resolve_with(&req, &env2).unwrap();
        assert_eq!(s.brokers.as_ref().unwrap().value, "flag:9092");
        assert_eq!(s.properties["sasl.username"].value, "other");
        assert_eq!(s.properties["sasl.username"].origin, Origin::Flag);
    }

    #[test]
    fn default_profile_is_used_without_flag() {
        let dir = tempfile::tempdir().unwrap();
        let cfg = write(dir.path(), "c.toml", PROFILES);
        let env = env_of(&[("KAFKAOPS_CONFIG", cfg.to_str().unwrap())]);
        let s = ConnectionSettings::resolve_with(&ConnectionRequest::default(), &env).unwrap();
        assert_eq!(s.profile.as_deref(), Some("dev"));
        assert_eq!(s.brokers.unwrap().value, "dev:9092");
    }

    #[test]
    fn bad_inputs_name_the_fix() {
        let dir = tempfile::tempdir().unwrap();
        let cfg = write(dir.path(), "c.toml", PROFILES);
        let cfg_s = cfg.to_str().unwrap().to_string();

        // unknown profile lists the known ones
        let env = env_of(&[("KAFKAOPS_CONFIG", &cfg_s)]);
        let req = ConnectionRequest {
            profile: Some("stage".into()),
            ..Default::default()
        };
        let e = ConnectionSettings::resolve_with(&req, &env).unwrap_err();
        assert_eq!(e.to_string(), "unknown profile 'stage'");
        assert!(e.hint().unwrap().contains("dev, prod"));

        // unresolvable env reference
        let req = ConnectionRequest {
            profile: Some("prod".into()),
            ..Default::default()
        };
        let e = ConnectionSettings::resolve_with(&req, &env).unwrap_err();
        assert!(e.to_string().contains("KAFKA_PASSWORD is not set"), "{e}");
        assert!(e.hint().unwrap().contains("export KAFKA_PASSWORD"));

        // missing file when a profile is requested
        let env_missing = env_of(&[("KAFKAOPS_CONFIG", "/nonexistent/k.toml")]);
        let e = ConnectionSettings::resolve_with(&req, &env_missing).unwrap_err();
        assert!(e.to_string().contains("does not exist"), "{e}");
        // ... but not when none is
        assert!(
            ConnectionSettings::resolve_with(&ConnectionRequest::default(), &env_missing).is_ok()
        );

        // unparseable file names the line
        let bad = write(dir.path(), "bad.toml", "[profiles.x]\nbrokers = \n");
        let env_bad = env_of(&[("KAFKAOPS_CONFIG", bad.to_str().unwrap())]);
        let e = ConnectionSettings::resolve_with(&req, &env_bad).unwrap_err();
        assert!(e.to_string().contains("bad.toml:2"), "{e}");

        // malformed -X never echoes a value
        let req = ConnectionRequest {
            properties: vec!["sasl.password".into()],
            ..Default::default()
        };
        let e = ConnectionSettings::resolve_with(&req, &env_of(&[])).unwrap_err();
        assert!(e.to_string().contains("malformed -X"), "{e}");
        let e = parse_property_pair("=secretvalue").unwrap_err();
        assert!(!e.to_string().contains("secretvalue"), "{e}");
    }

    #[test]
    fn properties_file() {
        let dir = tempfile::tempdir().unwrap();
        let f = write(
            dir.path(),
            "client.properties",
            "# comment\nbootstrap.servers=file:9092\nssl.key.password=${env:KP}\n\n",
        );
        let req = ConnectionRequest {
            config_file: Some(f.clone()),
            ..Default::default()
        };
        let s = ConnectionSettings::resolve_with(&req, &env_of(&[("KP", "k")])).unwrap();
        assert_eq!(s.brokers.unwrap().value, "file:9092");
        assert_eq!(s.properties["ssl.key.password"].value, "k");
        let g = write(dir.path(), "bad.properties", "ok=1\nnot a pair\n");
        let req = ConnectionRequest {
            config_file: Some(g),
            ..Default::default()
        };
        let e = ConnectionSettings::resolve_with(&req, &env_of(&[])).unwrap_err();
        assert!(e.to_string().contains("bad.properties:2"), "{e}");
    }

    #[test]
    fn secret_keys() {
        for k in [
            "sasl.password",
            "ssl.key.password",
            "sasl.oauthbearer.client.secret",
            "my.PASSWORD.x",
            "sasl.jaas.config",
        ] {
            assert!(is_secret_key(k), "{k}");
        }
        for k in ["sasl.username", "security.protocol", "ssl.ca.location"] {
            assert!(!is_secret_key(k), "{k}");
        }
    }
}
