//! Reading a sealed plan file, a replay plan or a rewind plan, the one way for
//! both: parse it, check it has the version this kafkaops reads, and check its
//! content hash, so that a plan edited after it was shown is refused before
//! anything happens.

use std::path::Path;

use serde::de::DeserializeOwned;
use serde::Serialize;

use super::plan::{content_hash, Plan, PLAN_VERSION};
use super::rewind::plan::{RewindPlan, REWIND_PLAN_VERSION};
use crate::error::{Error, Result};

/// A kind of plan file: what its messages call it and how it is made.
pub trait PlanFile: Serialize + DeserializeOwned {
    /// What messages call the file: "plan file", "rewind plan file".
    const NAME: &'static str;
    /// The version this kafkaops reads and writes.
    const VERSION: u32;
    /// The command that writes one, for the hint when a file cannot be parsed.
    const WRITE: &'static str;
    /// The command that makes it again, for the hint when a file was edited.
    const REMAKE: &'static str;

    fn version(&self) -> u32;
    /// The content hash the file says it has.
    fn hash(&self) -> &str;
}

impl PlanFile for Plan {
    const NAME: &'static str = "plan file";
    const VERSION: u32 = PLAN_VERSION;
    const WRITE: &'static str = "kafkaops replay plan ... > plan.json";
    const REMAKE: &'static str = "kafkaops replay plan";

    fn version(&self) -> u32 {
        self.version
    }

    fn hash(&self) -> &str {
        &self.hash
    }
}

impl PlanFile for RewindPlan {
    const NAME: &'static str = "rewind plan file";
    const VERSION: u32 = REWIND_PLAN_VERSION;
    const WRITE: &'static str = "kafkaops replay rewind ... --out plan.json";
    const REMAKE: &'static str = "kafkaops replay rewind --out";

    fn version(&self) -> u32 {
        self.version
    }

    fn hash(&self) -> &str {
        &self.hash
    }
}

/// Read the plan file at `path` and check its version and hash.
pub fn read<T: PlanFile>(path: &Path) -> Result<T> {
    let text = std::fs::read_to_string(path).map_err(|e| Error::file("read plan file", path, e))?;
    parse(&text, path)
}

/// Parse the text of the plan file at `path` and check its version and hash.
pub fn parse<T: PlanFile>(text: &str, path: &Path) -> Result<T> {
    let plan: T = serde_json::from_str(text).map_err(|e| {
        Error::usage_hint(
            format!("cannot parse {} {}: {e}", T::NAME, path.display()),
            format!("write a plan with `{}`", T::WRITE),
        )
    })?;
    if plan.version() != T::VERSION {
        return Err(Error::usage_hint(
            format!(
                "{} {} has version {}, this kafkaops reads version {}",
                T::NAME,
                path.display(),
                plan.version(),
                T::VERSION
            ),
            "re-create the plan with this kafkaops",
        ));
    }
    let want = content_hash(&plan);
    if plan.hash() != want {
        return Err(Error::usage_hint(
            format!(
                "plan file {} was modified after it was made: its hash is {} but its content hashes to {want}",
                path.display(),
                if plan.hash().is_empty() { "missing" } else { plan.hash() }
            ),
            format!(
                "re-create the plan with `{}` instead of editing it",
                T::REMAKE
            ),
        ));
    }
    Ok(plan)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::replay::plan::tests::plan;

    fn refusal<T: PlanFile + std::fmt::Debug>(text: &str) -> (String, String) {
        let e = parse::<T>(text, Path::new("p.json")).unwrap_err();
        assert_eq!(e.exit_code().code(), 2);
        (e.to_string(), e.hint().unwrap_or_default().to_string())
    }

    #[test]
    fn a_sealed_plan_reads_back_and_an_edited_or_newer_one_is_refused() {
        let p = plan();
        assert_eq!(parse::<Plan>(&p.to_json(), Path::new("p.json")).unwrap(), p);
        let (msg, hint) =
            refusal::<Plan>(&p.to_json().replace("\"records\": 10", "\"records\": 11"));
        assert!(
            msg.starts_with("plan file p.json was modified after it was made: its hash is sha256:"),
            "{msg}"
        );
        assert_eq!(
            hint,
            "re-create the plan with `kafkaops replay plan` instead of editing it"
        );
        let mut newer = p.clone();
        newer.version = PLAN_VERSION + 1;
        let (msg, _) = refusal::<Plan>(&newer.seal().to_json());
        assert_eq!(
            msg,
            format!(
                "plan file p.json has version {}, this kafkaops reads version {PLAN_VERSION}",
                PLAN_VERSION + 1
            )
        );
        let mut unsealed = p;
        unsealed.hash.clear();
        let (msg, _) = refusal::<Plan>(&unsealed.to_json());
        assert!(msg.contains("its hash is missing"), "{msg}");
        let (msg, hint) = refusal::<RewindPlan>("{}");
        assert!(
            msg.starts_with("cannot parse rewind plan file p.json: "),
            "{msg}"
        );
        assert_eq!(
            hint,
            "write a plan with `kafkaops replay rewind ... --out plan.json`"
        );
    }
}
