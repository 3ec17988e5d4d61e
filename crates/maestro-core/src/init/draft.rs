//! What `init` knows before asking: the flags and variables (each through the one precedence
//! rule), the CI's own variables and the checkout. In a CI (or without a terminal) it must be
//! complete, and [`Draft::finish`] names what is missing and the flag that gives it; on a
//! terminal each gap and each default is a question (`questions`).

use super::{CiKind, DeployRoles, Setup};
use crate::env::Env;
use crate::input::Location;
use crate::input::vars as var;
use crate::input_error::{InputError, InputErrors};
use crate::naming;
use crate::spec::process_list;
use crate::types::{Region, RepoSlug, RoleArn};

/// What the binary read from the app's checkout.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Checkout {
    /// `.github/` exists.
    pub github_dir: bool,
    /// `.gitlab-ci.yml` exists.
    pub gitlab_ci: bool,
    /// `buildspec.yml` exists.
    pub buildspec: bool,
    /// The app has a Procfile: without one, `init` asks for the processes line.
    pub procfile: bool,
    /// The `origin` remote's URL, from `.git`.
    pub origin: Option<String>,
}

impl Checkout {
    /// The CI the checkout is set up for, by the files each reads.
    pub fn ci(&self) -> Option<CiKind> {
        [(self.github_dir, CiKind::Github), (self.gitlab_ci, CiKind::Gitlab), (self.buildspec, CiKind::Codebuild)]
            .into_iter()
            .find_map(|(present, ci)| present.then_some(ci))
    }
}

/// `init`'s inputs so far, each checked; `None` is not known yet.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Draft {
    pub ci: Option<CiKind>,
    pub repository: Option<RepoSlug>,
    pub app: Option<String>,
    pub region: Option<Region>,
    pub roles: Option<DeployRoles>,
    pub processes: Option<String>,
    pub task_role: Option<RoleArn>,
    pub execution_role: Option<RoleArn>,
    pub procfile: bool,
}

impl Draft {
    /// The draft from `--ci`, the environment (flags included, as its flag layer) and the
    /// checkout. A value that is given and wrong is an error now, whatever is asked later.
    pub fn read(ci_flag: Option<&str>, env: &Env, checkout: &Checkout) -> Result<Self, InputErrors> {
        let mut errors = InputErrors::default();
        let ci = match ci_flag {
            Some(text) => errors.take(CiKind::parse(text).map_err(|invalid| invalid.at(Location::Flag("--ci")))),
            None => running_ci(env).or_else(|| checkout.ci()),
        };
        let region = env.first_of(&[var::AWS_REGION, var::AWS_DEFAULT_REGION]).and_then(|(name, text)| {
            errors.take(Region::parse(text).map_err(|invalid| invalid.at(env.location(name))))
        });
        let partition = region.as_ref().map_or("aws", Region::partition);
        let roles = match env.first_of(&[var::MAESTRO_ROLE_ARN, var::AWS_ROLE_ARN, var::AWS_ACCOUNT_ID]) {
            Some((name, text)) => {
                errors.take(DeployRoles::parse(text, partition).map_err(|invalid| invalid.at(env.location(name))))
            }
            None => None,
        };
        let repository = repository(env, checkout)
            .and_then(|(location, text)| errors.take(RepoSlug::parse(&text).map_err(|invalid| invalid.at(location))));
        let processes = env.get(var::ECS_SERVICE_TASK_PROCESSES).and_then(|text| {
            errors
                .take(process_list::parse(env.location(var::ECS_SERVICE_TASK_PROCESSES), text).map(|_| text.to_owned()))
        });
        let mut role = |name: &str| {
            env.get(name)
                .and_then(|text| errors.take(RoleArn::parse(text).map_err(|invalid| invalid.at(env.location(name)))))
        };
        let (task_role, execution_role) = (role(var::ECS_TASK_ROLE_ARN), role(var::ECS_EXECUTION_ROLE_ARN));
        errors.into_result()?;
        Ok(Self {
            ci,
            repository,
            app: env.get(var::MAESTRO_APP).and_then(naming::app),
            region,
            roles,
            processes,
            task_role,
            execution_role,
            procfile: checkout.procfile,
        })
    }

    /// The setup, or every input still missing, each with the flag that gives it.
    pub fn finish(self) -> Result<Setup, InputErrors> {
        let mut errors = InputErrors::default();
        let missing = |location: Location, message: &str, hint: &str| InputError::new(location, message, hint);
        if self.ci.is_none() {
            errors.push(missing(
                Location::Flag("--ci"),
                "no CI to write a file for: none is running, and the checkout has no `.github/`, `.gitlab-ci.yml` or `buildspec.yml`",
                "pass `--ci github`, `--ci gitlab` or `--ci codebuild`",
            ));
        }
        if self.repository.is_none() {
            errors.push(missing(
                Location::variable(var::MAESTRO_REPO_OVERRIDE),
                "no repository: no CI names it and the checkout has no `origin` remote",
                "pass `--repo owner/name`",
            ));
        }
        if self.region.is_none() {
            errors.push(missing(
                Location::variable(var::AWS_REGION),
                "no region",
                "pass `--region us-east-1` (or set AWS_REGION)",
            ));
        }
        if self.roles.is_none() {
            errors.push(missing(
                Location::variable(var::MAESTRO_ROLE_ARN),
                "no deploy role and no account",
                "pass `--role-arn` with the deploy role's ARN or the account id (or set MAESTRO_ROLE_ARN or AWS_ACCOUNT_ID)",
            ));
        }
        let (Some(ci), Some(repository), Some(region), Some(roles)) =
            (self.ci, self.repository, self.region, self.roles)
        else {
            return Err(errors);
        };
        let slug = naming::app_slug(&repository.slug, self.app.as_deref());
        let proposed = |purpose: &str| Setup::default_app_role(&roles, &slug, purpose);
        let (task_role, execution_role) = match (self.task_role, self.execution_role) {
            (Some(task), Some(execution)) => (task, execution),
            (task, execution) => {
                let task = task.map_or_else(|| proposed("task"), Ok);
                let execution = execution.map_or_else(|| proposed("execution"), Ok);
                match (task, execution) {
                    (Ok(task), Ok(execution)) => (task, execution),
                    (Err(invalid), _) | (_, Err(invalid)) => {
                        return Err(InputErrors(vec![invalid.at(var::ECS_TASK_ROLE_ARN)]));
                    }
                }
            }
        };
        Ok(Setup { ci, repository, app: self.app, region, roles, processes: self.processes, task_role, execution_role })
    }
}

/// The CI maestro runs in, when it is one `init` writes for.
fn running_ci(env: &Env) -> Option<CiKind> {
    match crate::ci::Ci::detect(env) {
        crate::ci::Ci::Github => Some(CiKind::Github),
        crate::ci::Ci::Gitlab => Some(CiKind::Gitlab),
        crate::ci::Ci::Codebuild => Some(CiKind::Codebuild),
        crate::ci::Ci::Local => None,
    }
}

/// The repository's path and where it was read: the override, the CI's variable, `origin`.
fn repository(env: &Env, checkout: &Checkout) -> Option<(Location, String)> {
    let named = [
        var::MAESTRO_REPO_OVERRIDE,
        var::REPO_SLUG,
        var::GITHUB_REPOSITORY,
        var::CI_PROJECT_PATH,
        var::CODEBUILD_SOURCE_REPO_URL,
    ];
    if let Some((name, text)) = env.first_of(&named) {
        return Some((env.location(name), text.to_owned()));
    }
    checkout.origin.clone().map(|url| (Location::described("git remote origin"), url))
}
