//! `maestro rollback [--to <release-number|commit>]`, pure: which release to return to (the
//! newest that succeeded before the current one, or the one `--to` names), which services move
//! to its revisions and which are skipped with why, and the request its reporters speak of (the
//! target's commit). The release records are `history`'s.

use std::collections::BTreeMap;

use crate::build::repository::ImageRepository;
use crate::history::{self, Numbered};
use crate::input::Location;
use crate::input_error::InputError;
use crate::naming;
use crate::plan::desired::DesiredState;
use crate::provision::observed::ObservedService;
use crate::request::DeployRequest;
use crate::restart::Skipped;
use crate::types::CommitSha;

#[cfg(test)]
mod tests;

/// The flag naming the target, as errors name it.
pub const TO_FLAG: &str = "maestro rollback --to";

/// What `--to` names.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Wanted {
    /// A release number (digits only).
    Number(u64),
    /// A commit: 7 to 40 hexadecimal characters, a prefix of a release's full SHA.
    Commit(String),
}

/// `--to`'s value: digits are a release number, 7 to 40 hex characters a commit.
pub fn parse_to(text: &str) -> Result<Wanted, InputError> {
    let text = text.trim();
    if !text.is_empty()
        && text.chars().all(|c| c.is_ascii_digit())
        && let Ok(number) = text.parse::<u64>()
    {
        return Ok(Wanted::Number(number));
    }
    if (7..=40).contains(&text.len()) && text.chars().all(|c| c.is_ascii_hexdigit()) {
        return Ok(Wanted::Commit(text.to_ascii_lowercase()));
    }
    Err(InputError::new(
        Location::Described(TO_FLAG.to_owned()),
        format!("`{text}` is neither a release number nor a commit"),
        "give a release number (`maestro releases` lists them) or a commit's SHA, at least its first 7 characters",
    ))
}

/// Why no release can be rolled back to: bad input (exit 2), before any write.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum NoTarget {
    #[error("no releases of this environment are recorded")]
    Nothing,
    #[error("no release succeeded before the current one ({current})")]
    NoEarlier { current: u64 },
    #[error("no release succeeded yet: there is nothing to return to")]
    NoneSucceeded,
    #[error("there is no release {number}; the releases kept are {known}")]
    NoRelease { number: u64, known: String },
    #[error("no release is of a commit starting with `{prefix}`; the releases' commits are {known}")]
    NoCommit { prefix: String, known: String },
    #[error("`{prefix}` starts several releases' commits: {candidates}")]
    Ambiguous { prefix: String, candidates: String },
    #[error("release {number} failed, so its revisions never ran well")]
    Failed { number: u64 },
}

impl NoTarget {
    fn hint(&self) -> &'static str {
        match self {
            Self::Nothing => "each deploy that changes something records a release; deploy first",
            Self::NoEarlier { .. } => {
                "only one release recorded that succeeded; see `maestro releases`, or name one with `--to`"
            }
            Self::NoneSucceeded => "see `maestro releases`; deploy a commit that works",
            Self::NoRelease { .. } | Self::NoCommit { .. } => "see `maestro releases` for the numbers and commits",
            Self::Ambiguous { .. } => "give more characters of the commit, or the release number",
            Self::Failed { .. } => "name a release that succeeded (`maestro releases`)",
        }
    }

    /// Whether `--to` is the input at fault (else the command as a whole).
    fn names_to(&self) -> bool {
        matches!(self, Self::NoRelease { .. } | Self::NoCommit { .. } | Self::Ambiguous { .. } | Self::Failed { .. })
    }
}

impl From<NoTarget> for InputError {
    fn from(error: NoTarget) -> Self {
        let location = if error.names_to() { TO_FLAG } else { "maestro rollback" };
        InputError::new(Location::Described(location.to_owned()), error.to_string(), error.hint())
    }
}

/// Where the rollback goes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Target<'a> {
    Release(&'a Numbered),
    /// The release named is the current one: nothing to do.
    Current(u64),
}

/// The release to return to among `releases` (newest first, as `history::list` gives them).
pub fn select<'a>(wanted: Option<&Wanted>, releases: &'a [Numbered]) -> Result<Target<'a>, NoTarget> {
    if releases.is_empty() {
        return Err(NoTarget::Nothing);
    }
    let current = history::current(releases);
    let chosen = match wanted {
        None => {
            let current = current.ok_or(NoTarget::NoneSucceeded)?;
            let earlier = releases.iter().filter(|r| r.release.succeeded() && r.number < current);
            earlier.max_by_key(|r| r.number).ok_or(NoTarget::NoEarlier { current })?
        }
        Some(Wanted::Number(number)) => releases.iter().find(|r| r.number == *number).ok_or_else(|| {
            NoTarget::NoRelease { number: *number, known: known(releases.iter().map(|r| r.number.to_string())) }
        })?,
        Some(Wanted::Commit(prefix)) => by_commit(prefix, releases)?,
    };
    if !chosen.release.succeeded() {
        return Err(NoTarget::Failed { number: chosen.number });
    }
    if Some(chosen.number) == current {
        return Ok(Target::Current(chosen.number));
    }
    Ok(Target::Release(chosen))
}

/// The newest release of the one commit `prefix` starts (one that succeeded when there is one).
fn by_commit<'a>(prefix: &str, releases: &'a [Numbered]) -> Result<&'a Numbered, NoTarget> {
    let matching: Vec<&Numbered> = releases.iter().filter(|r| r.release.commit.starts_with(prefix)).collect();
    let mut commits: Vec<&str> = matching.iter().map(|r| r.release.commit.as_str()).collect();
    commits.sort_unstable();
    commits.dedup();
    if commits.len() > 1 {
        let candidates =
            matching.iter().map(|r| format!("{} (release {})", naming::short_sha(&r.release.commit), r.number));
        return Err(NoTarget::Ambiguous { prefix: prefix.to_owned(), candidates: known(candidates) });
    }
    let newest = |list: &mut dyn Iterator<Item = &'a Numbered>| list.max_by_key(|r| r.number);
    newest(&mut matching.iter().copied().filter(|r| r.release.succeeded()))
        .or_else(|| newest(&mut matching.iter().copied()))
        .ok_or_else(|| {
            let mut all: Vec<String> = releases.iter().map(|r| naming::short_sha(&r.release.commit)).collect();
            all.dedup();
            NoTarget::NoCommit { prefix: prefix.to_owned(), known: known(all.into_iter()) }
        })
}

/// At most ten, comma-separated.
fn known(items: impl Iterator<Item = String>) -> String {
    let items: Vec<String> = items.collect();
    let shown = items.iter().take(10).cloned().collect::<Vec<_>>().join(", ");
    if items.len() > 10 { format!("{shown}, …") } else { shown }
}

/// A service going to the target's revision.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Move {
    pub process: String,
    pub service: String,
    /// The revision it runs, `family:revision`.
    pub from: String,
    /// The target's, `family:revision`.
    pub to: String,
    /// Its deployment circuit breaker is on (the wait judges failed tasks itself otherwise).
    #[serde(skip)]
    pub circuit_breaker: bool,
    /// ECS shifts its traffic (blue-green, canary, linear).
    #[serde(skip)]
    pub shifting: bool,
}

/// Which services of the plan move to `target`'s revisions, given those the account runs
/// (`live`, `None` when missing); the others skipped with why. A service already on the
/// target's revision is skipped as such, so a rollback never restarts what it does not change.
pub fn moves(
    desired: &DesiredState,
    target: &Numbered,
    live: &BTreeMap<String, Option<ObservedService>>,
) -> (Vec<Move>, Vec<Skipped>) {
    let (mut moves, mut skipped) = (Vec::new(), Vec::new());
    let revisions = &target.release.task_definitions;
    for service in &desired.services {
        let skip = |why: String| Skipped { process: service.process.clone(), why };
        let Some(to) = revisions.get(&service.process) else {
            skipped.push(skip(format!("was not a process of release {}: it is left as it is", target.number)));
            continue;
        };
        match live.get(&service.name).and_then(Option::as_ref) {
            None => skipped.push(skip("is not deployed: `maestro deploy` creates it".to_owned())),
            Some(found) => {
                let from = history::family_revision(&found.task_definition);
                if &from == to {
                    skipped.push(skip(format!("already runs {to}")));
                } else {
                    moves.push(Move {
                        process: service.process.clone(),
                        service: service.name.clone(),
                        from,
                        to: to.clone(),
                        circuit_breaker: found.circuit_breaker.is_some_and(|breaker| breaker.enable),
                        shifting: found.shifts_traffic(),
                    });
                }
            }
        }
    }
    let planned = |process: &str| {
        desired.services.iter().any(|service| service.process == process)
            || desired.task_definitions.iter().any(|definition| definition.process == process)
    };
    for process in revisions.keys().filter(|process| !planned(process)) {
        skipped.push(Skipped {
            process: process.clone(),
            why: format!(
                "was a process of release {} but is no longer planned: nothing of it is changed",
                target.number
            ),
        });
    }
    (moves, skipped)
}

/// The record's image, `<host>/<path>@<digest>`, as its repository and digest; `None` for an
/// image recorded by tag (no digest was known).
pub fn pinned_image(image: &str) -> Option<(ImageRepository, String)> {
    let (name, digest) = image.split_once('@')?;
    let (host, path) = name.split_once('/')?;
    (digest.starts_with("sha256:") && !path.is_empty())
        .then(|| (ImageRepository { host: host.to_owned(), path: path.to_owned() }, digest.to_owned()))
}

/// `request` speaking of `commit` (the target's): the reporters' deployment and commit status
/// are the target commit's, since that is what runs after the rollback.
pub fn request_for(request: &DeployRequest, commit: &str) -> Result<DeployRequest, crate::types::Invalid> {
    let sha = CommitSha::parse(commit)?;
    let mut request = request.clone();
    request.short_sha = naming::short_sha(sha.as_str());
    request.report_sha = sha.clone();
    request.sha = sha;
    Ok(request)
}
