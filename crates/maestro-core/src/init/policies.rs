//! The deploy roles' policies for one app: who may assume each role (its trust policy, per CI, as
//! docs/ci.md describes them) and what the roles may do (docs/iam.md's policy, filled in from the
//! core's names so it cannot differ from what the deploy calls).

use serde::Serialize;
use serde_json::json;

use super::{CiKind, DeployRoles, PRODUCTION_BRANCH, Setup};
use crate::permissions::policy::{self, Fill, POLICY_VERSION, PolicyDocument, PolicyStatement};
use crate::types::RoleArn;

/// GitHub's OIDC issuer, without its scheme, as IAM names the provider and its condition keys.
const GITHUB_ISSUER: &str = "token.actions.githubusercontent.com";
/// gitlab.com's; a self-managed GitLab has its own URL (the template's `aud` says so).
const GITLAB_ISSUER: &str = "gitlab.com";
/// The audience GitHub's token is asked for (docs/ci.md).
const STS_AUDIENCE: &str = "sts.amazonaws.com";

/// A role and the trust policy it needs.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RolePolicy {
    pub role: RoleArn,
    /// Which deploys assume it, in a few words.
    pub assumed_by: String,
    pub trust_policy: PolicyDocument,
}

/// The trust policy of each role the CI file names: production's trusts only the production
/// branch (GitHub: its protected environment), review's every branch of this repository.
pub fn trust_policies(setup: &Setup) -> Vec<RolePolicy> {
    let path = &setup.repository.path;
    let roles = &setup.roles;
    let account = roles.account();
    let partition = roles.production.split(':').nth(1).unwrap_or("aws");
    let web_identity = |issuer: &str, audience: &str, operator: &str, subject: String| {
        let provider = format!("arn:{partition}:iam::{account}:oidc-provider/{issuer}");
        let mut condition = json!({ "StringEquals": { format!("{issuer}:aud"): audience } });
        condition[operator][format!("{issuer}:sub")] = json!(subject);
        document(json!({ "Federated": provider }), "sts:AssumeRoleWithWebIdentity", condition)
    };
    match setup.ci {
        CiKind::Github => vec![
            RolePolicy {
                role: roles.production.clone(),
                assumed_by: format!("`{PRODUCTION_BRANCH}`, in the GitHub environment `production`"),
                trust_policy: web_identity(
                    GITHUB_ISSUER,
                    STS_AUDIENCE,
                    "StringEquals",
                    format!("repo:{path}:environment:production"),
                ),
            },
            RolePolicy {
                role: roles.review.clone(),
                assumed_by: "every other branch and pull request of the repository".to_owned(),
                trust_policy: web_identity(GITHUB_ISSUER, STS_AUDIENCE, "StringLike", format!("repo:{path}:*")),
            },
        ],
        CiKind::Gitlab => {
            let audience = format!("https://{GITLAB_ISSUER}");
            let subject = |reference: &str| format!("project_path:{path}:ref_type:branch:ref:{reference}");
            vec![
                RolePolicy {
                    role: roles.production.clone(),
                    assumed_by: format!("the default branch `{PRODUCTION_BRANCH}` (protect it)"),
                    trust_policy: web_identity(GITLAB_ISSUER, &audience, "StringEquals", subject(PRODUCTION_BRANCH)),
                },
                RolePolicy {
                    role: roles.review.clone(),
                    assumed_by: "every other branch of the project".to_owned(),
                    trust_policy: web_identity(GITLAB_ISSUER, &audience, "StringLike", subject("*")),
                },
            ]
        }
        // CodeBuild assumes its project's service role; the condition keeps another account's
        // project from using it (the confused deputy, as docs/iam.md's task roles).
        CiKind::Codebuild => vec![RolePolicy {
            role: roles.production.clone(),
            assumed_by: "the CodeBuild project, as its service role".to_owned(),
            trust_policy: document(
                json!({ "Service": "codebuild.amazonaws.com" }),
                "sts:AssumeRole",
                json!({ "StringEquals": { "aws:SourceAccount": account } }),
            ),
        }],
    }
}

fn document(principal: serde_json::Value, action: &str, condition: serde_json::Value) -> PolicyDocument {
    PolicyDocument {
        version: POLICY_VERSION,
        statements: vec![PolicyStatement {
            sid: None,
            effect: "Allow",
            principal: Some(principal),
            action: json!(action),
            resource: None,
            condition: Some(condition),
        }],
    }
}

/// docs/iam.md's deploy policy for this app: its account, region, slug and roles filled in, no
/// image pull secret, `VerifyPermissions` on the deploy roles.
pub fn permission_policy(setup: &Setup) -> PolicyDocument {
    policy::deploy_policy(&fill(setup))
}

/// The statement the review role's policy adds (GitHub, GitLab): production's resources denied.
/// CodeBuild's one service role deploys every branch, so it has none.
pub fn review_deny(setup: &Setup) -> Option<PolicyStatement> {
    (setup.ci != CiKind::Codebuild).then(|| policy::not_production(&fill(setup)))
}

/// docs/iam.md's placeholders, for this app.
fn fill(setup: &Setup) -> Fill {
    let names = setup.production_names();
    let slug = names.slug();
    let roles = &setup.roles;
    let deploy_roles: Vec<String> = if setup.ci == CiKind::Codebuild {
        vec![DeployRoles::name_of(&roles.production).to_owned()]
    } else {
        vec![DeployRoles::name_of(&roles.production).to_owned(), DeployRoles::name_of(&roles.review).to_owned()]
    };
    let partition = format!("arn:{}:", setup.region.partition());
    Fill::default()
        // docs/iam.md writes the `aws` partition; China and GovCloud have their own.
        .with("arn:aws:", partition)
        .with(policy::REGION, setup.region.to_string())
        .with(policy::ACCOUNT, roles.account())
        .with(policy::SLUG, slug)
        .with(policy::LB_SLUG, slug.replace('_', "-"))
        .with(policy::TASK_ROLE, DeployRoles::name_of(&setup.task_role))
        .with(policy::EXECUTION_ROLE, DeployRoles::name_of(&setup.execution_role))
        .with(policy::EVENTS_ROLE, super::prerequisites::EVENTS_ROLE)
        .with(policy::INFRASTRUCTURE_ROLE, super::prerequisites::INFRASTRUCTURE_ROLE)
        .with_each(policy::PULL_SECRET, Vec::new())
        .with_each(policy::DEPLOY_ROLE, deploy_roles)
        .with(policy::PRODUCTION, names.branch())
        .with(policy::PRODUCTION_RULES, names.schedule_rule_prefix().trim_end_matches('-'))
}
