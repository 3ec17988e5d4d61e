//! The deploy request: one normalised value, whatever CI produced it.
//!
//! The CI's facts come first; explicit inputs beat them: a flag (`--branch`), then the
//! variable (`MAESTRO_BRANCH_OVERRIDE`), then a GitHub Action input (`INPUT_BRANCH`). Every
//! field keeps the name of the input it came from.

use std::collections::BTreeMap;

use serde::Serialize;

use crate::ci::{Ci, CiFacts, Sourced};
use crate::env::Env;
use crate::env_vars as var;
use crate::input_error::{InputError, InputErrors};
use crate::naming;

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DeployRequest {
    pub ci: Ci,
    /// The repository's path, `owner/name` (nested groups kept).
    pub repository: String,
    /// The repository as it appears in resource names.
    pub slug: String,
    /// The commit that was built and is deployed.
    pub sha: String,
    /// The commit statuses and deployments are reported on (a pull request's head).
    pub report_sha: String,
    pub short_sha: String,
    /// The branch, as the CI or the user named it; it names the environment.
    pub branch: Option<String>,
    /// The branch as it appears in resource names (see `naming::branch`).
    pub branch_slug: Option<String>,
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
    pub region: Option<String>,
    pub account_id: Option<String>,
    /// The pull request comes from a fork.
    pub fork: bool,
    /// Where each field came from, by field name.
    pub sources: BTreeMap<String, String>,
    /// Why `branch` is unknown, for the error of a command that needs it.
    #[serde(skip)]
    pub branch_unknown: Option<String>,
}

/// Where a deploy goes: what `plan` and `deploy` need beyond the request's facts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Target {
    pub branch_slug: String,
    pub account_id: String,
    pub region: String,
}

/// A GitHub Action input: `INPUT_<NAME>` with the name upper-cased, its dashes kept (as the
/// runner does) or turned into underscores (as some wrappers do).
pub fn action_input<'a>(env: &'a Env, name: &str) -> Option<(String, &'a str)> {
    let upper = name.to_ascii_uppercase();
    [format!("INPUT_{upper}"), format!("INPUT_{}", upper.replace('-', "_"))]
        .into_iter()
        .find_map(|key| env.get(&key).map(|value| (key.clone(), value)))
}

/// The first explicit input among `names` (then the action input `input`), or the CI's fact.
fn pick(env: &Env, names: &[&str], input: Option<&str>, fact: Option<Sourced>) -> Option<Sourced> {
    names
        .iter()
        .find_map(|name| env.get(name).map(|value| Sourced::new(value.trim(), env.label(name))))
        .or_else(|| {
            input.and_then(|input| action_input(env, input)).map(|(key, value)| Sourced::new(value.trim(), key))
        })
        .or(fact)
}

impl DeployRequest {
    pub fn resolve(env: &Env, ci: Ci, facts: CiFacts, need: Need) -> Result<DeployRequest, InputErrors> {
        let mut errors = InputErrors::default();
        let mut sources = BTreeMap::new();
        let mut keep = |field: &str, fact: &Option<Sourced>| {
            if let Some(fact) = fact {
                sources.insert(field.to_owned(), fact.source.clone());
            }
        };

        let repository = pick(env, &[var::MAESTRO_REPO_OVERRIDE, var::REPO_SLUG], Some("repository"), facts.repository);
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
            Some(fact) => {
                let slug = naming::slug(&fact.value);
                if slug.chars().any(|c| c.is_ascii_alphanumeric()) {
                    Some((naming::repository_path(&fact.value), slug))
                } else {
                    errors.push(InputError::new(
                        &fact.source,
                        format!("`{}` does not name a repository", fact.value),
                        "use `owner/name` or the repository's clone URL",
                    ));
                    None
                }
            }
        };

        let override_sha = pick(env, &[var::MAESTRO_COMMIT_OVERRIDE], Some("commit"), None);
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

        let branch = pick(env, &[var::MAESTRO_BRANCH_OVERRIDE], Some("branch"), facts.branch);
        keep("branch", &branch);
        let branch = branch.and_then(|fact| {
            let slug = naming::branch(&fact.value);
            if slug.chars().any(|c| c.is_ascii_alphanumeric()) {
                Some((fact.value, slug))
            } else {
                errors.push(InputError::new(
                    &fact.source,
                    format!("branch `{}` has no letter or digit to name resources after", fact.value),
                    "name a real branch, e.g. `--branch staging`",
                ));
                None
            }
        });

        let region = pick(env, &[var::AWS_REGION, var::AWS_DEFAULT_REGION], Some("aws-region"), None);
        keep("region", &region);
        let region = region.and_then(|fact| {
            if is_region(&fact.value) {
                Some(fact.value)
            } else {
                errors.push(InputError::new(
                    &fact.source,
                    format!("`{}` is not an AWS region", fact.value),
                    "use a region code such as `us-east-1` or `eu-west-2`",
                ));
                None
            }
        });
        let account_id = pick(env, &[var::AWS_ACCOUNT_ID], None, None);
        keep("account_id", &account_id);
        let account_id = account_id.and_then(|fact| {
            if fact.value.len() == 12 && fact.value.chars().all(|c| c.is_ascii_digit()) {
                Some(fact.value)
            } else {
                errors.push(InputError::new(
                    &fact.source,
                    format!("`{}` is not a 12-digit AWS account id", fact.value),
                    "use the account's 12 digits, e.g. `123456789012`",
                ));
                None
            }
        });
        for (field, fact) in [
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
            sources.insert("pull_request".into(), fact.source.clone());
        }

        if need == Need::Target {
            let missing = missing_target(
                branch.is_some(),
                account_id.is_some(),
                region.is_some(),
                facts.branch_unknown.as_deref(),
            );
            errors.0.extend(missing.0);
        }
        match (repository, sha, report_sha) {
            (Some((repository, slug)), Some(sha), Some(report_sha)) if errors.0.is_empty() => Ok(DeployRequest {
                ci,
                repository,
                slug,
                short_sha: naming::short_sha(&sha),
                sha,
                report_sha,
                branch_slug: branch.as_ref().map(|(_, slug)| slug.clone()),
                branch: branch.map(|(name, _)| name),
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
                sources,
                branch_unknown: facts.branch_unknown,
            }),
            _ => Err(errors),
        }
    }

    /// The branch, account and region a deploy goes to; each missing one is an error with a fix.
    pub fn target(&self) -> Result<Target, InputErrors> {
        match (&self.branch_slug, &self.account_id, &self.region) {
            (Some(branch_slug), Some(account_id), Some(region)) => {
                Ok(Target { branch_slug: branch_slug.clone(), account_id: account_id.clone(), region: region.clone() })
            }
            (branch, account, region) => Err(missing_target(
                branch.is_some(),
                account.is_some(),
                region.is_some(),
                self.branch_unknown.as_deref(),
            )),
        }
    }
}

/// What a command needs of the request beyond its facts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Need {
    /// Only the facts (`detect`).
    Facts,
    /// A branch, account and region too (`plan`, `deploy`), checked in the same pass.
    Target,
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

fn commit(fact: &Sourced) -> Result<String, InputError> {
    let sha = fact.value.as_str();
    if (8..=40).contains(&sha.len()) && sha.chars().all(|c| c.is_ascii_hexdigit()) {
        Ok(sha.to_ascii_lowercase())
    } else {
        Err(InputError::new(
            &fact.source,
            format!("`{sha}` is not a commit SHA"),
            "give the commit's hexadecimal SHA, at least its first 8 characters (`git rev-parse HEAD`)",
        ))
    }
}

fn is_region(region: &str) -> bool {
    let parts: Vec<&str> = region.split('-').collect();
    let Some((number, rest)) = parts.split_last() else { return false };
    parts.len() >= 3
        && parts[0].len() == 2
        && rest.iter().all(|part| !part.is_empty() && part.chars().all(|c| c.is_ascii_lowercase()))
        && !number.is_empty()
        && number.chars().all(|c| c.is_ascii_digit())
}

#[cfg(test)]
#[path = "request_tests.rs"]
mod tests;
