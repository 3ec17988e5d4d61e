//! `maestro init`: what an app needs before its first deploy from a CI, as values. The CI file
//! (one renderer per CI), the deploy roles' trust policies and their permission policy
//! (`policies`), the AWS resources to have (`prerequisites`), and the questions asked on a
//! terminal (`questions`). The binary reads the checkout and the terminal and writes the file.

mod codebuild;
mod draft;
mod github;
mod gitlab;
mod policies;
mod prerequisites;
mod questions;
#[cfg(test)]
mod tests;
mod yaml;

pub use draft::{Checkout, Draft};
pub use policies::{RolePolicy, permission_policy, review_deny, trust_policies};
pub use prerequisites::{Check, EVENTS_ROLE, INFRASTRUCTURE_ROLE, Prerequisite, prerequisites};
pub use questions::{Answer, Question, Topic};

use serde::Serialize;

use crate::naming::{self, Names};
use crate::types::{AccountId, Invalid, Region, RepoSlug, RoleArn};

/// The CI a file is written for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum CiKind {
    Github,
    Gitlab,
    Codebuild,
}

impl CiKind {
    pub const ALL: [CiKind; 3] = [CiKind::Github, CiKind::Gitlab, CiKind::Codebuild];

    /// `--ci`'s word for it.
    pub fn name(self) -> &'static str {
        match self {
            Self::Github => "github",
            Self::Gitlab => "gitlab",
            Self::Codebuild => "codebuild",
        }
    }

    /// Its name, as people know it.
    pub fn title(self) -> &'static str {
        match self {
            Self::Github => "GitHub Actions",
            Self::Gitlab => "GitLab CI",
            Self::Codebuild => "AWS CodeBuild",
        }
    }

    pub fn parse(text: &str) -> Result<Self, Invalid> {
        Self::ALL.into_iter().find(|ci| ci.name() == text.trim().to_ascii_lowercase()).ok_or_else(|| Invalid {
            message: format!("`{text}` is not a CI maestro init writes a file for"),
            hint: "use `--ci github`, `--ci gitlab` or `--ci codebuild`".to_owned(),
        })
    }

    /// Where the CI reads its file, from the checkout's root.
    pub fn file(self) -> &'static str {
        match self {
            Self::Github => ".github/workflows/deploy.yml",
            Self::Gitlab => ".gitlab-ci.yml",
            Self::Codebuild => "buildspec.yml",
        }
    }
}

/// The branch whose environment is production: it gets its own role (docs/iam.md, "Two roles").
pub const PRODUCTION_BRANCH: &str = "main";

/// The two roles a GitHub or GitLab deploy assumes: production's, trusted only from the
/// production branch, and review's, trusted from every other branch (docs/iam.md). CodeBuild runs
/// as its project's service role, `production` here.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DeployRoles {
    pub production: RoleArn,
    pub review: RoleArn,
}

/// The role names `init` proposes when only the account is known.
pub const PRODUCTION_ROLE: &str = "maestro-production";
pub const REVIEW_ROLE: &str = "maestro-review";

impl DeployRoles {
    /// A role ARN (production's; review's is `maestro-review` in its account) or an account id
    /// (both roles under `init`'s names).
    pub fn parse(text: &str, partition: &str) -> Result<Self, Invalid> {
        let text = text.trim();
        let role = |account: &str, name: &str| RoleArn::parse(&format!("arn:{partition}:iam::{account}:role/{name}"));
        if let Ok(account) = AccountId::parse(text) {
            return Ok(Self { production: role(&account, PRODUCTION_ROLE)?, review: role(&account, REVIEW_ROLE)? });
        }
        let production = RoleArn::parse(text).map_err(|invalid| {
            invalid.with_hint(
                "give the deploy role's ARN (`arn:aws:iam::123456789012:role/maestro-production`) or the account id",
            )
        })?;
        let parts: Vec<&str> = production.split(':').collect();
        let review = RoleArn::parse(&format!("arn:{}:iam::{}:role/{REVIEW_ROLE}", parts[1], parts[4]))?;
        Ok(Self { production, review })
    }

    /// The account both roles are in.
    pub fn account(&self) -> &str {
        self.production.split(':').nth(4).unwrap_or_default()
    }

    /// The name of a role, with its path (`service-role/x`), as IAM's `--role-name` takes it
    /// without the path.
    pub fn name_of(role: &RoleArn) -> &str {
        role.split_once(":role/").map_or("", |(_, name)| name)
    }
}

/// Everything a CI file and the policies are made of, checked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Setup {
    pub ci: CiKind,
    pub repository: RepoSlug,
    /// `MAESTRO_APP`: one app of a repository that holds several.
    pub app: Option<String>,
    pub region: Region,
    pub roles: DeployRoles,
    /// `ECS_SERVICE_TASK_PROCESSES`, checked by its parser; `None`: every Procfile process, one task.
    pub processes: Option<String>,
    /// `ECS_TASK_ROLE_ARN` and `ECS_EXECUTION_ROLE_ARN`.
    pub task_role: RoleArn,
    pub execution_role: RoleArn,
}

impl Setup {
    /// The slug resources are named after (the app's, with `MAESTRO_APP`).
    pub fn slug(&self) -> String {
        naming::app_slug(&self.repository.slug, self.app.as_deref())
    }

    /// The names of the production branch's environment.
    pub fn production_names(&self) -> Names {
        Names::new(&self.slug(), &naming::branch(PRODUCTION_BRANCH), None, None).for_app(self.app.as_deref())
    }

    /// The CI file's text.
    pub fn ci_file(&self) -> String {
        match self.ci {
            CiKind::Github => github::render(self),
            CiKind::Gitlab => gitlab::render(self),
            CiKind::Codebuild => codebuild::render(self),
        }
    }

    /// The task and execution roles `init` proposes when the inputs name none:
    /// `<slug>-task`, `<slug>-execution`, in the deploy roles' account.
    pub fn default_app_role(roles: &DeployRoles, slug: &str, purpose: &str) -> Result<RoleArn, Invalid> {
        let partition = roles.production.split(':').nth(1).unwrap_or("aws");
        RoleArn::parse(&format!("arn:{partition}:iam::{}:role/{slug}-{purpose}", roles.account()))
    }
}
