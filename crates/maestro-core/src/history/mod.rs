//! The release records: what each deploy that changed something left behind, so `maestro
//! releases` can list them and a rollback can name one. (`release.rs` is the release *process*.)
//!
//! One SSM parameter per environment, `/maestro/releases/<slug>-<branch>`; each release is a new
//! version of it (PutParameter with Overwrite), and **the release number is the version SSM
//! gives it**: atomic and monotonic without any read first. GetParameterHistory lists them. SSM
//! keeps a parameter's newest 100 versions and deletes the oldest one itself
//! (<https://docs.aws.amazon.com/systems-manager/latest/userguide/sysman-paramstore-versions.html>),
//! so the list holds the last 100 releases. A Standard parameter's value is at most 4096
//! characters (<https://docs.aws.amazon.com/systems-manager/latest/APIReference/API_PutParameter.html>):
//! [`encode`] shortens a record rather than fail a deploy.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::request::DeployRequest;

#[cfg(test)]
mod tests;

/// The record's schema; a reader skips a record of another (a newer maestro's) with a warning.
pub const SCHEMA_VERSION: u32 = 1;

/// The largest value of a Standard-tier parameter, in characters (counted here in bytes, which
/// are never fewer).
pub const VALUE_LIMIT: usize = 4096;

/// The longest failure reason kept once a record is too large.
const SHORT_REASON: usize = 200;

/// The parameter holding `request`'s environment's releases.
pub fn parameter(request: &DeployRequest) -> String {
    format!("/maestro/releases/{}", request.environment_key())
}

/// What a release did.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "kind")]
pub enum Kind {
    Deploy,
    /// Back (or forward) to release `to`'s task definitions.
    Rollback {
        to: u64,
    },
    /// New tasks of the same task definitions.
    Restart,
}

impl Kind {
    /// As people read it: `deploy`, `rollback to 3`, `restart`.
    pub fn label(&self) -> String {
        match self {
            Self::Deploy => "deploy".to_owned(),
            Self::Rollback { to } => format!("rollback to {to}"),
            Self::Restart => "restart".to_owned(),
        }
    }
}

/// How a release ended.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "outcome")]
pub enum Outcome {
    Succeeded,
    /// `reason`: one line.
    Failed {
        reason: String,
    },
}

/// One release, as stored in its version of the parameter.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Release {
    pub schema_version: u32,
    #[serde(flatten)]
    pub kind: Kind,
    /// The full commit SHA.
    pub commit: String,
    /// The image by digest (`<repository>@sha256:…`), or by tag when no digest was known.
    pub image: Option<String>,
    /// Each process's task definition, `family:revision`.
    pub task_definitions: BTreeMap<String, String>,
    /// Who deployed: the CI's actor, when the CI says.
    pub who: Option<String>,
    /// The CI run's page.
    pub run_url: Option<String>,
    /// When it ended, Unix seconds.
    pub time: u64,
    #[serde(flatten)]
    pub outcome: Outcome,
    /// How its image was built, when this run built it; older records have none.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub built_with: Option<BuiltWith>,
}

/// The builder and architecture of a build: what the next deploy of the environment keeps when
/// nothing pins a builder (`build::builder::choose`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BuiltWith {
    pub builder: String,
    pub architecture: crate::platform::CpuArchitecture,
}

/// The newest build recorded in `releases` (newest first), if any record says how it was built.
pub fn last_build(releases: &[Numbered]) -> Option<&BuiltWith> {
    releases.iter().find_map(|release| release.release.built_with.as_ref())
}

impl Release {
    pub fn succeeded(&self) -> bool {
        self.outcome == Outcome::Succeeded
    }
}

/// A release with its number (the parameter's version).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Numbered {
    pub number: u64,
    #[serde(flatten)]
    pub release: Release,
}

/// A version of the parameter that is no release this maestro can read.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Skipped {
    pub number: u64,
    pub why: String,
}

/// `release` as the parameter's value: at most [`VALUE_LIMIT`] bytes. A record too large drops
/// its run URL, then shortens its failure reason and its actor; `None` when even that does not
/// fit (hundreds of processes), which the caller warns about.
pub fn encode(release: &Release) -> Option<String> {
    let fits = |release: &Release| serde_json::to_string(release).ok().filter(|text| text.len() <= VALUE_LIMIT);
    if let Some(text) = fits(release) {
        return Some(text);
    }
    let mut shorter = release.clone();
    shorter.run_url = None;
    if let Outcome::Failed { reason } = &mut shorter.outcome {
        *reason = crate::text::truncate(reason, SHORT_REASON);
    }
    shorter.who = shorter.who.map(|who| crate::text::truncate(&who, 100));
    fits(&shorter)
}

/// The version `number` of the parameter, `text`, read back; a record of another schema or
/// no record at all is skipped with why.
pub fn decode(number: u64, text: &str) -> Result<Numbered, Skipped> {
    let skipped = |why: String| Skipped { number, why };
    let value: serde_json::Value =
        serde_json::from_str(text).map_err(|error| skipped(format!("not JSON ({error})")))?;
    match value.get("schema_version").and_then(serde_json::Value::as_u64) {
        Some(version) if version == u64::from(SCHEMA_VERSION) => {}
        Some(version) => return Err(skipped(format!("schema version {version}, which this maestro does not know"))),
        None => return Err(skipped("no schema_version: not a release record".to_owned())),
    }
    let release = serde_json::from_value(value).map_err(|error| skipped(format!("not a release record ({error})")))?;
    Ok(Numbered { number, release })
}

/// The versions read (any order) as releases, newest first, and the ones skipped.
pub fn list(versions: &[(u64, String)]) -> (Vec<Numbered>, Vec<Skipped>) {
    let (mut releases, mut skipped) = (Vec::new(), Vec::new());
    for (number, text) in versions {
        match decode(*number, text) {
            Ok(release) => releases.push(release),
            Err(skip) => skipped.push(skip),
        }
    }
    releases.sort_by_key(|release| std::cmp::Reverse(release.number));
    skipped.sort_by_key(|skip| std::cmp::Reverse(skip.number));
    (releases, skipped)
}

/// The current release: the newest that succeeded (a failed deploy left the services on it, or
/// ECS rolled them back to it).
pub fn current(releases: &[Numbered]) -> Option<u64> {
    releases.iter().filter(|release| release.release.succeeded()).map(|release| release.number).max()
}

/// The release the services run: the newest whose task definitions are the live ones, for every
/// process both have (`live`: process → `family:revision`). The newest *succeeded* release is
/// not it after a rollback ECS made, or a deploy that failed half-way: only the revisions say.
/// `None` when no release matches (nothing recorded, or the services were changed by hand).
pub fn running<'a>(releases: &'a [Numbered], live: &BTreeMap<String, String>) -> Option<&'a Numbered> {
    let mut newest_first: Vec<&Numbered> = releases.iter().collect();
    newest_first.sort_by_key(|release| std::cmp::Reverse(release.number));
    newest_first.into_iter().find(|release| {
        let shared: Vec<_> = live
            .iter()
            .filter_map(|(process, live)| Some((live, release.release.task_definitions.get(process)?)))
            .collect();
        !shared.is_empty() && shared.iter().all(|(live, recorded)| live == recorded)
    })
}

/// The record of a restart: the release that ran (`running`: its commit and image), with the
/// restarted services' revisions over its own (`restarted`: process → `family:revision`, the
/// same ones, unless the release record was older than a change made outside maestro).
pub fn restart(running: &Release, restarted: &BTreeMap<String, String>, ran: Ran, outcome: Outcome) -> Release {
    let mut task_definitions = running.task_definitions.clone();
    task_definitions.extend(restarted.iter().map(|(process, revision)| (process.clone(), revision.clone())));
    Release {
        schema_version: SCHEMA_VERSION,
        kind: Kind::Restart,
        commit: running.commit.clone(),
        image: running.image.clone(),
        task_definitions,
        who: ran.who,
        run_url: ran.run_url,
        time: ran.time,
        outcome,
        built_with: None,
    }
}

/// Who ran a release, from where, and when it ended.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Ran {
    pub who: Option<String>,
    pub run_url: Option<String>,
    /// Unix seconds.
    pub time: u64,
}

/// A task definition's `family:revision`, from its ARN (`…:task-definition/<family>:<revision>`)
/// or as given when it is one already.
pub fn family_revision(arn: &str) -> String {
    arn.rsplit_once(":task-definition/").map_or(arn, |(_, name)| name).to_owned()
}

/// A failure's one line for the record: its first non-empty line, cut.
pub fn one_line(reason: &str) -> String {
    let first = reason.lines().find(|line| !line.trim().is_empty()).unwrap_or("").trim();
    crate::text::truncate(first, 500)
}

/// `time` (Unix seconds) as people read it: `2026-11-30 23:40 UTC`.
pub fn when(time: u64) -> String {
    let (year, month, day) = crate::text::civil_date::civil_date(time / 86_400);
    let minutes = time % 86_400 / 60;
    format!("{year:04}-{month:02}-{day:02} {:02}:{:02} UTC", minutes / 60, minutes % 60)
}
