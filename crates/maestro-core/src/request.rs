//! The deploy request: one normalised value, whatever CI produced it.
//!
//! The CI's facts come first; an explicit input beats them: the variable
//! (`MAESTRO_BRANCH_OVERRIDE`), in whichever layer the environment's one precedence rule picks
//! (a flag such as `--branch`, the action's `branch` input, the process, an env file). Every
//! field keeps the name of the input it came from.

use std::collections::BTreeMap;

use serde::Serialize;

use crate::ci::{Ci, CiFacts, Sourced};
use crate::env::Env;
use crate::input::vars as var;
use crate::input_error::{InputError, InputErrors};
use crate::naming;
use crate::types::{AccountId, Branch, CommitSha, Region, RepoSlug};

/// The repository and the branch stay two plain fields each (path and slug, name and slug): the
/// JSON of `maestro detect` and `maestro plan` shows them so. [`RepoSlug`] and [`Branch`] check them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DeployRequest {
    pub ci: Ci,
    /// The repository's path, `owner/name` (nested groups kept).
    pub repository: String,
    /// The repository as it appears in resource names.
    pub slug: String,
    /// The app inside the repository (`MAESTRO_APP`, sanitised), when it holds several: it enters
    /// every resource name ([`DeployRequest::app_slug`]) and the commit status context.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub app: Option<String>,
    /// The commit that was built and is deployed.
    pub sha: CommitSha,
    /// The commit statuses and deployments are reported on (a pull request's head).
    pub report_sha: CommitSha,
    pub short_sha: String,
    /// The branch, as the CI or the user named it; it names the environment.
    pub branch: Option<String>,
    /// The branch as it appears in resource names (see `naming::branch`).
    pub branch_slug: Option<String>,
    /// A pull request's source branch: shown and reported, never a name (`branch` is `pr-<n>`).
    pub head_branch: Option<String>,
    pub base_branch: Option<String>,
    pub pull_request: Option<u64>,
    pub event: Option<String>,
    pub tag: Option<String>,
    pub run_id: Option<String>,
    pub run_url: Option<String>,
    pub actor: Option<String>,
    pub commit_message: Option<String>,
    pub commit_author: Option<String>,
    pub workspace: Option<String>,
    pub region: Option<Region>,
    pub account_id: Option<AccountId>,
    /// The pull request comes from a fork.
    pub fork: bool,
    /// The event closed the pull request (`maestro deploy` then refuses a preview).
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub pull_request_closed: bool,
    /// Where each field came from, by field name.
    pub sources: BTreeMap<String, String>,
    /// Why `branch` is unknown, for the error of a command that needs it.
    #[serde(skip)]
    pub branch_unknown: Option<String>,
}

/// Where a deploy goes: what planning needs beyond the request's facts. The account is not
/// part of it: a plan is checked without one and bound to it later (`plan::Plan::bind`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Target {
    pub branch: Branch,
    pub region: Region,
}

/// The first of `names` that is set (each decided by the environment's precedence), else the
/// CI's fact.
fn pick(env: &Env, names: &[&str], fact: Option<Sourced>) -> Option<Sourced> {
    names.iter().find_map(|name| env.get(name).map(|value| Sourced::new(value.trim(), env.location(name)))).or(fact)
}

impl DeployRequest {
    pub fn resolve(env: &Env, ci: Ci, facts: CiFacts, need: Need) -> Result<DeployRequest, InputErrors> {
        let mut errors = InputErrors::default();
        let mut sources = BTreeMap::new();
        let mut keep = |field: &str, fact: &Option<Sourced>| {
            if let Some(fact) = fact {
                sources.insert(field.to_owned(), fact.source.to_string());
            }
        };

        let repository = pick(env, &[var::MAESTRO_REPO_OVERRIDE, var::REPO_SLUG], facts.repository);
        keep("repository", &repository);
        let repository = match repository {
            None => {
                let why = facts.repository_unknown.map_or(String::new(), |reason| format!(" ({reason})"));
                errors.push(InputError::new(
                    var::MAESTRO_REPO_OVERRIDE,
                    format!("no repository given{why}"),
                    "pass `--repo owner/name` or set MAESTRO_REPO_OVERRIDE",
                ));
                None
            }
            Some(fact) => errors.take(RepoSlug::parse(&fact.value).map_err(|invalid| invalid.at(&fact.source))),
        };

        let app = pick(env, &[var::MAESTRO_APP], None).filter(|fact| !fact.value.is_empty());
        keep("app", &app);
        let app = app.and_then(|fact| errors.take(app_name(&fact)));

        let override_sha = pick(env, &[var::MAESTRO_COMMIT_OVERRIDE], None);
        let report_sha = override_sha.clone().or(facts.report_sha);
        let sha = override_sha.or(facts.sha);
        keep("sha", &sha);
        keep("report_sha", &report_sha);
        let sha_source = sha.as_ref().map(|fact| fact.source.clone());
        let sha = match sha {
            None => {
                errors.push(InputError::new(
                    var::MAESTRO_COMMIT_OVERRIDE,
                    "no commit given",
                    "pass `--sha <commit>` or set MAESTRO_COMMIT_OVERRIDE",
                ));
                None
            }
            Some(fact) => errors.take(commit(&fact)),
        };
        // The same input is checked (and reported) once.
        let report_sha = match report_sha {
            Some(fact) if Some(&fact.source) == sha_source.as_ref() => sha.clone(),
            Some(fact) => errors.take(commit(&fact)),
            None => None,
        };

        let branch = pick(env, &[var::MAESTRO_BRANCH_OVERRIDE], facts.branch);
        keep("branch", &branch);
        let branch = branch.and_then(|fact| {
            let branch = errors.take(Branch::parse(&fact.value).map_err(|e| e.at(&fact.source)))?;
            if facts.from_pull_request {
                errors.take(not_a_branch_of_the_base(&branch, &fact, [&facts.base_branch, &facts.default_branch]))?;
            }
            Some(branch)
        });

        let region = pick(env, &[var::AWS_REGION, var::AWS_DEFAULT_REGION], None);
        keep("region", &region);
        let region = region.and_then(|fact| errors.take(Region::parse(&fact.value).map_err(|e| e.at(&fact.source))));
        let account_id = pick(env, &[var::AWS_ACCOUNT_ID], None);
        keep("account_id", &account_id);
        let account_id =
            account_id.and_then(|fact| errors.take(AccountId::parse(&fact.value).map_err(|e| e.at(&fact.source))));
        for (field, fact) in [
            ("head_branch", &facts.head_branch),
            ("base_branch", &facts.base_branch),
            ("event", &facts.event),
            ("tag", &facts.tag),
            ("run_id", &facts.run_id),
            ("run_url", &facts.run_url),
            ("actor", &facts.actor),
            ("workspace", &facts.workspace),
            ("commit_message", &facts.commit_message),
            ("commit_author", &facts.commit_author),
        ] {
            keep(field, fact);
        }
        if let Some(fact) = &facts.pull_request {
            sources.insert("pull_request".into(), fact.source.to_string());
        }

        if need == Need::Offline {
            let missing = missing_target(
                branch.is_some(),
                account_id.is_some(),
                region.is_some(),
                facts.branch_unknown.as_deref(),
            );
            errors.0.extend(missing.0);
        }
        match (repository, sha, report_sha) {
            (Some(repository), Some(sha), Some(report_sha)) if errors.0.is_empty() => Ok(DeployRequest {
                ci,
                repository: repository.path,
                slug: repository.slug,
                app,
                short_sha: naming::short_sha(&sha),
                sha,
                report_sha,
                branch_slug: branch.as_ref().map(|branch| branch.slug.clone()),
                branch: branch.map(|branch| branch.name),
                head_branch: facts.head_branch.map(|fact| fact.value),
                base_branch: facts.base_branch.map(|fact| fact.value),
                pull_request: facts.pull_request.map(|fact| fact.value),
                event: facts.event.map(|fact| fact.value),
                tag: facts.tag.map(|fact| fact.value),
                run_id: facts.run_id.map(|fact| fact.value),
                run_url: facts.run_url.map(|fact| fact.value),
                actor: facts.actor.map(|fact| fact.value),
                commit_message: facts.commit_message.map(|fact| fact.value),
                commit_author: facts.commit_author.map(|fact| fact.value),
                workspace: facts.workspace.map(|fact| fact.value),
                region,
                account_id,
                fork: facts.fork,
                pull_request_closed: facts.pull_request_closed,
                sources,
                branch_unknown: facts.branch_unknown,
            }),
            _ => Err(errors),
        }
    }

    /// The branch and region a deploy goes to; each missing one is an error with a fix.
    pub fn target(&self) -> Result<Target, InputErrors> {
        match (&self.branch, &self.branch_slug, &self.region) {
            (Some(name), Some(slug), Some(region)) => {
                Ok(Target { branch: Branch { name: name.clone(), slug: slug.clone() }, region: region.clone() })
            }
            (branch, _, region) => {
                Err(missing_target(branch.is_some(), true, region.is_some(), self.branch_unknown.as_deref()))
            }
        }
    }

    /// What resource names start with: `<slug>`, or `<slug>-<app>` with `MAESTRO_APP`.
    pub fn app_slug(&self) -> String {
        naming::app_slug(&self.slug, self.app.as_deref())
    }

    /// The environment's key in maestro's own SSM names (the deploy lease's folder, the release
    /// records): `<slug>-<branch>`, `default` for an unknown branch.
    pub fn environment_key(&self) -> String {
        naming::environment_key(&self.app_slug(), self.branch_slug.as_deref())
    }

    /// The account a plan made without AWS is for (`--account` or AWS_ACCOUNT_ID).
    pub fn account(&self) -> Result<AccountId, InputErrors> {
        self.account_id.clone().ok_or_else(|| missing_target(true, false, true, None))
    }
}

/// What a command needs of the request beyond its facts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Need {
    /// Only the facts (`detect`; `plan` and `deploy`, which check the target next and take the
    /// account from AWS).
    Facts,
    /// A branch, account and region too, checked in the same pass (`plan --offline`, which has
    /// no AWS to ask for the account).
    Offline,
}

fn missing_target(has_branch: bool, has_account: bool, has_region: bool, branch_unknown: Option<&str>) -> InputErrors {
    let mut errors = InputErrors::default();
    if !has_branch {
        let why = branch_unknown.map_or(String::new(), |reason| format!(": {reason}"));
        errors.push(InputError::new(
            var::MAESTRO_BRANCH_OVERRIDE,
            format!("no branch to deploy{why}"),
            "name the environment with `--branch staging` or MAESTRO_BRANCH_OVERRIDE",
        ));
    }
    if !has_account {
        errors.push(InputError::new(
            var::AWS_ACCOUNT_ID,
            "no AWS account id given",
            "pass `--account 123456789012` or set AWS_ACCOUNT_ID",
        ));
    }
    if !has_region {
        errors.push(InputError::new(
            var::AWS_REGION,
            "no AWS region given",
            "pass `--region us-east-1` or set AWS_REGION",
        ));
    }
    errors
}

/// A pull request's environment (`pr-<n>`, or what an override names) is never the base
/// branch's or the default branch's: the pull request's code would replace theirs.
fn not_a_branch_of_the_base(branch: &Branch, fact: &Sourced, bases: [&Option<Sourced>; 2]) -> Result<(), InputError> {
    let taken = bases.into_iter().flatten().find(|other| naming::branch(&other.value) == branch.slug);
    match taken {
        None => Ok(()),
        Some(other) => Err(InputError::new(
            fact.source.clone(),
            format!(
                "a pull request would deploy as `{}`, the environment of branch `{}` ({})",
                branch.slug, other.value, other.source
            ),
            "pull requests deploy as `pr-<number>`: do not set MAESTRO_BRANCH_OVERRIDE on pull-request jobs; deploy that branch from a push to it",
        )),
    }
}

fn app_name(fact: &Sourced) -> Result<String, InputError> {
    naming::app(&fact.value).ok_or_else(|| {
        InputError::new(
            fact.source.clone(),
            format!("`{}` names no app: resource names need a letter or a digit of it", fact.value),
            "name the app inside the repository with letters, digits, `-` or `_`, e.g. MAESTRO_APP=api",
        )
    })
}

fn commit(fact: &Sourced) -> Result<CommitSha, InputError> {
    CommitSha::parse(&fact.value).map_err(|invalid| invalid.at(&fact.source))
}

#[cfg(test)]
#[path = "request_tests.rs"]
mod tests;
