//! The `--rules FILE` decision table: rules map categories to an action
//! (`retry`, `discard`, `fix-by-hand`, `investigate`) and an owner. A rule
//! matches a category when every matcher it gives matches; the first matching
//! rule wins. Without a matching rule a category is `unreviewed`. A rule without
//! matchers is refused when the file is loaded (a forgotten or misspelt matcher
//! would otherwise decide every category): a deliberate last catch-all says
//! `catch_all = true`.
//!
//! TOML (`.toml`) or JSON (`.json`, an array or `{"rules": [...]}`):
//!
//! ```toml
//! [[rule]]
//! name = "duplicates are harmless"
//! exception = "org.postgresql.util.PSQLException"   # full or simple class name, `*` globs
//! reason = "duplicate key"                            # regex, searched in the normalised
//!                                                     # reason and the raw example
//! action = "discard"
//! owner = "team-orders"
//!
//! [[rule]]
//! category = "f028a3f053"                             # a category ID from `dlq triage`
//! original_topic = "payments*"
//! convention = "spring-dlt"
//! action = "retry"
//! owner = "payments-oncall"
//! ```

use std::fmt;
use std::path::Path;

use regex::Regex;
use serde::{Deserialize, Serialize};

use super::conventions::Convention;
use crate::error::{Error, Result};

/// What to do with a category's records.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Action {
    Retry,
    Discard,
    FixByHand,
    Investigate,
}

impl Action {
    pub const ALL: [Action; 4] = [
        Action::Retry,
        Action::Discard,
        Action::FixByHand,
        Action::Investigate,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Action::Retry => "retry",
            Action::Discard => "discard",
            Action::FixByHand => "fix-by-hand",
            Action::Investigate => "investigate",
        }
    }
}

impl fmt::Display for Action {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The word shown when no rule decides a category.
pub const UNREVIEWED: &str = "unreviewed";

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RuleSpec {
    name: Option<String>,
    category: Option<String>,
    exception: Option<String>,
    cause: Option<String>,
    reason: Option<String>,
    original_topic: Option<String>,
    convention: Option<String>,
    stage: Option<String>,
    group: Option<String>,
    /// Matches every category: only as an explicit choice, never by omission.
    #[serde(default)]
    catch_all: bool,
    action: Action,
    owner: Option<String>,
    note: Option<String>,
}

impl RuleSpec {
    fn has_matcher(&self) -> bool {
        [
            &self.category,
            &self.exception,
            &self.cause,
            &self.reason,
            &self.original_topic,
            &self.convention,
            &self.stage,
            &self.group,
        ]
        .iter()
        .any(|m| m.is_some())
    }
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RulesDoc {
    #[serde(alias = "rules")]
    rule: Vec<RuleSpec>,
}

#[derive(Debug, Deserialize)]
#[serde(untagged)]
enum JsonDoc {
    List(Vec<RuleSpec>),
    Doc(RulesDoc),
}

/// A name matcher: exact, `*` glob, or (for class names) the simple name.
#[derive(Clone, Debug)]
struct NameMatcher {
    text: String,
    glob: Option<Regex>,
}

impl NameMatcher {
    fn new(text: &str) -> Result<Self> {
        let glob = if text.contains('*') {
            let pat = format!("^{}$", regex::escape(text).replace(r"\*", ".*"));
            Some(Regex::new(&pat).map_err(|e| Error::usage(format!("bad pattern '{text}': {e}")))?)
        } else {
            None
        };
        Ok(NameMatcher {
            text: text.to_string(),
            glob,
        })
    }

    fn matches(&self, v: &str, class_name: bool) -> bool {
        match &self.glob {
            Some(re) => re.is_match(v),
            None => {
                v == self.text
                    || (class_name && v.rsplit(['.', '$']).next() == Some(self.text.as_str()))
            }
        }
    }
}

/// One compiled rule.
#[derive(Clone, Debug)]
pub struct Rule {
    pub name: String,
    category: Option<String>,
    exception: Option<NameMatcher>,
    cause: Option<NameMatcher>,
    reason: Option<Regex>,
    original_topic: Option<NameMatcher>,
    convention: Option<Convention>,
    stage: Option<NameMatcher>,
    group: Option<NameMatcher>,
    pub action: Action,
    pub owner: Option<String>,
    pub note: Option<String>,
}

/// The facts of a category that rules look at. Lists hold every value seen
/// (capped); a matcher matches when any of them matches.
#[derive(Clone, Debug, Default)]
pub struct CategoryFacts<'a> {
    pub id: &'a str,
    pub exceptions: Vec<&'a str>,
    pub causes: Vec<&'a str>,
    pub normalized_reasons: Vec<&'a str>,
    pub raw_reasons: Vec<&'a str>,
    pub original_topics: Vec<&'a str>,
    pub conventions: Vec<&'a str>,
    pub stages: Vec<&'a str>,
    pub groups: Vec<&'a str>,
}

impl Rule {
    pub fn matches(&self, c: &CategoryFacts<'_>) -> bool {
        let any = |m: &Option<NameMatcher>, vs: &[&str], class: bool| {
            m.as_ref()
                .is_none_or(|m| vs.iter().any(|v| m.matches(v, class)))
        };
        self.category.as_ref().is_none_or(|id| id == c.id)
            && any(&self.exception, &c.exceptions, true)
            && any(&self.cause, &c.causes, true)
            && self.reason.as_ref().is_none_or(|re| {
                c.normalized_reasons
                    .iter()
                    .chain(&c.raw_reasons)
                    .any(|r| re.is_match(r))
            })
            && any(&self.original_topic, &c.original_topics, false)
            && self
                .convention
                .is_none_or(|conv| c.conventions.contains(&conv.as_str()))
            && any(&self.stage, &c.stages, false)
            && any(&self.group, &c.groups, false)
    }
}

/// The decision for one category.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct Decision {
    /// `None` = unreviewed.
    pub action: Option<Action>,
    pub owner: Option<String>,
    /// Name of the rule that decided (or `#N`, its 1-based position).
    pub rule: Option<String>,
    pub note: Option<String>,
}

impl Decision {
    pub fn action_str(&self) -> &'static str {
        self.action.map_or(UNREVIEWED, Action::as_str)
    }
}

/// A loaded rules file.
#[derive(Clone, Debug, Default)]
pub struct Rules {
    pub rules: Vec<Rule>,
}

/// The format of a rules file.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RulesFormat {
    Toml,
    Json,
}

const RULES_HINT: &str = "see `kafkaops dlq triage --help` for the rules file format";

impl Rules {
    /// Load a rules file; the format follows the extension (`.json`, else TOML).
    pub fn load(path: &Path) -> Result<Rules> {
        let text = std::fs::read_to_string(path)
            .map_err(|e| Error::file("read the rules file", path, e))?;
        let format = match path.extension().and_then(|e| e.to_str()) {
            Some(e) if e.eq_ignore_ascii_case("json") => RulesFormat::Json,
            _ => RulesFormat::Toml,
        };
        Rules::parse(&text, format, &path.display().to_string())
    }

    pub fn parse(text: &str, format: RulesFormat, origin: &str) -> Result<Rules> {
        let specs = match format {
            RulesFormat::Toml => {
                toml::from_str::<RulesDoc>(text)
                    .map_err(|e| {
                        Error::usage_hint(
                            format!("cannot parse rules file {origin}: {}", e.message()),
                            RULES_HINT,
                        )
                    })?
                    .rule
            }
            RulesFormat::Json => match serde_json::from_str::<JsonDoc>(text) {
                Ok(JsonDoc::List(v)) => v,
                Ok(JsonDoc::Doc(d)) => d.rule,
                Err(_) => {
                    // Untagged errors say nothing useful; re-parse as the documented shape.
                    let e = serde_json::from_str::<RulesDoc>(text).err();
                    let detail =
                        e.map_or_else(|| "not a rules document".to_string(), |e| e.to_string());
                    return Err(Error::usage_hint(
                        format!("cannot parse rules file {origin}: {detail}"),
                        RULES_HINT,
                    ));
                }
            },
        };
        let mut rules = Vec::with_capacity(specs.len());
        for (i, s) in specs.into_iter().enumerate() {
            let at = |what: String| {
                Error::usage_hint(format!("rule #{} in {origin}: {what}", i + 1), RULES_HINT)
            };
            match (s.has_matcher(), s.catch_all) {
                (false, false) => {
                    return Err(Error::usage_hint(
                        format!(
                            "rule #{} in {origin} has no matcher and would decide every category",
                            i + 1
                        ),
                        "give it a matcher (category, exception, cause, reason, original_topic, convention, stage or group), or write `catch_all = true` for a deliberate last rule",
                    ))
                }
                (true, true) => {
                    return Err(at(
                        "catch_all = true matches everything: drop its other matchers, or drop catch_all".into(),
                    ))
                }
                _ => {}
            }
            let name_matcher = |v: &Option<String>| v.as_deref().map(NameMatcher::new).transpose();
            let reason = s
                .reason
                .as_deref()
                .map(Regex::new)
                .transpose()
                .map_err(|e| at(format!("invalid reason regex: {e}")))?;
            let convention = match s.convention.as_deref() {
                None => None,
                Some(c) => Some(Convention::parse(c).ok_or_else(|| {
                    at(format!(
                        "unknown convention '{c}' (known: {})",
                        Convention::ALL.map(Convention::as_str).join(", ")
                    ))
                })?),
            };
            if let Some(id) = &s.category {
                if !super::category::is_category_id(id) {
                    return Err(at(format!(
                        "'{id}' is not a category ID (10 hex characters, as `dlq triage` shows)"
                    )));
                }
            }
            rules.push(Rule {
                name: s.name.unwrap_or_else(|| format!("#{}", i + 1)),
                category: s.category,
                exception: name_matcher(&s.exception)?,
                cause: name_matcher(&s.cause)?,
                reason,
                original_topic: name_matcher(&s.original_topic)?,
                convention,
                stage: name_matcher(&s.stage)?,
                group: name_matcher(&s.group)?,
                action: s.action,
                owner: s.owner,
                note: s.note,
            });
        }
        Ok(Rules { rules })
    }

    /// The first matching rule's decision, or unreviewed.
    pub fn decide(&self, c: &CategoryFacts<'_>) -> Decision {
        match self.rules.iter().find(|r| r.matches(c)) {
            Some(r) => Decision {
                action: Some(r.action),
                owner: r.owner.clone(),
                rule: Some(r.name.clone()),
                note: r.note.clone(),
            },
            None => Decision::default(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn facts<'a>() -> CategoryFacts<'a> {
        CategoryFacts {
            id: "0123456789",
            exceptions: vec!["org.postgresql.util.PSQLException"],
            causes: vec![],
            normalized_reasons: vec!["duplicate key (id)=(<n>)"],
            raw_reasons: vec!["duplicate key (id)=(81723)"],
            original_topics: vec!["orders"],
            conventions: vec!["spring-dlt"],
            stages: vec![],
            groups: vec!["billing"],
        }
    }

    const TOML: &str = r#"
[[rule]]
name = "payments"
original_topic = "payments*"
action = "retry"
owner = "payments-oncall"

[[rule]]
exception = "PSQLException"
reason = "duplicate key"
action = "discard"
owner = "team-orders"
note = "idempotent writes"

[[rule]]
catch_all = true
action = "investigate"
"#;

    #[test]
    fn toml_first_match_wins() {
        let rules = Rules::parse(TOML, RulesFormat::Toml, "r.toml").unwrap();
        let d = rules.decide(&facts());
        assert_eq!(d.action, Some(Action::Discard));
        assert_eq!(d.owner.as_deref(), Some("team-orders"));
        assert_eq!(d.rule.as_deref(), Some("#2"));
        assert_eq!(d.note.as_deref(), Some("idempotent writes"));
        let mut f = facts();
        f.original_topics = vec!["payments-eu"];
        assert_eq!(rules.decide(&f).action, Some(Action::Retry));
        let mut f = facts();
        f.exceptions = vec!["java.lang.RuntimeException"];
        let d = rules.decide(&f);
        assert_eq!(
            (d.action, d.rule.as_deref()),
            (Some(Action::Investigate), Some("#3"))
        );
    }

    #[test]
    fn json_forms_and_matchers() {
        let json =
            r#"{"rules": [{"category": "0123456789", "action": "fix-by-hand", "owner": "me"}]}"#;
        let rules = Rules::parse(json, RulesFormat::Json, "r.json").unwrap();
        assert_eq!(rules.decide(&facts()).action, Some(Action::FixByHand));
        let mut other = facts();
        other.id = "aaaaaaaaaa";
        assert_eq!(rules.decide(&other), Decision::default());
        assert_eq!(rules.decide(&other).action_str(), "unreviewed");

        let json = r#"[{"convention": "spring-dlt", "group": "billing", "reason": "\\(id\\)=\\(<n>\\)", "action": "retry"}]"#;
        let rules = Rules::parse(json, RulesFormat::Json, "r.json").unwrap();
        assert_eq!(rules.decide(&facts()).action, Some(Action::Retry));
        let json = r#"[{"convention": "kafka-connect", "action": "retry"}]"#;
        let rules = Rules::parse(json, RulesFormat::Json, "r.json").unwrap();
        assert_eq!(rules.decide(&facts()).action, None);
        // The raw example is searched too.
        let json = r#"[{"reason": "81723", "action": "retry"}]"#;
        let rules = Rules::parse(json, RulesFormat::Json, "r.json").unwrap();
        assert_eq!(rules.decide(&facts()).action, Some(Action::Retry));
    }

    #[test]
    fn bad_files_are_usage_errors_with_hints() {
        let cases = [
            (
                r#"[[rule]]
action = "nuke""#,
                RulesFormat::Toml,
                "unknown variant",
            ),
            (
                r#"[[rule]]
action = "retry"
colour = "red""#,
                RulesFormat::Toml,
                "unknown field",
            ),
            (
                r#"[[rule]]
reason = "("
action = "retry""#,
                RulesFormat::Toml,
                "invalid reason regex",
            ),
            (
                r#"[[rule]]
convention = "spring"
action = "retry""#,
                RulesFormat::Toml,
                "unknown convention 'spring'",
            ),
            (
                r#"[[rule]]
category = "xyz"
action = "retry""#,
                RulesFormat::Toml,
                "not a category ID",
            ),
            (
                r#"{"rules": 3}"#,
                RulesFormat::Json,
                "cannot parse rules file",
            ),
        ];
        for (text, fmt, want) in cases {
            let err = Rules::parse(text, fmt, "r").unwrap_err();
            assert!(err.to_string().contains(want), "{err} (want {want})");
            assert_eq!(err.exit_code(), crate::exit::ExitCode::Usage);
            assert!(err.hint().is_some());
        }
        let err = Rules::parse(
            "[[rule]]\nname = \"typo\"\nexcepton_class = \"X\"\naction = \"retry\"",
            RulesFormat::Toml,
            "r",
        )
        .unwrap_err();
        assert!(err.to_string().contains("unknown field"), "{err}");
        let err = Rules::parse(
            r#"[{"name": "all", "action": "discard"}]"#,
            RulesFormat::Json,
            "r.json",
        )
        .unwrap_err();
        assert!(err.to_string().contains("has no matcher"), "{err}");
        assert!(err.hint().unwrap().contains("catch_all = true"));
        let err = Rules::parse(
            r#"[{"catch_all": true, "exception": "X", "action": "discard"}]"#,
            RulesFormat::Json,
            "r.json",
        )
        .unwrap_err();
        assert!(err.to_string().contains("drop its other matchers"), "{err}");
        let err = Rules::load(Path::new("/nonexistent/rules.toml")).unwrap_err();
        assert_eq!(err.exit_code(), crate::exit::ExitCode::Usage);
    }
}
