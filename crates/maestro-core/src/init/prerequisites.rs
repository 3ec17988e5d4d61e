//! What must exist in AWS before the first deploy, named as the deploy will look for it, and how
//! to check each: `maestro verify` reads the subnets, security groups, roles, secret and
//! certificate (docs/verify.md); the rest with the aws CLI.

use serde::Serialize;

use super::{CiKind, DeployRoles, Setup};
use crate::input::vars as var;

/// The role EventBridge starts scheduled tasks with when `MAESTRO_EVENTS_ROLE_ARN` names none.
pub const EVENTS_ROLE: &str = "ecsEventsRole";
/// The role ECS shifts a blue-green, canary or linear deploy's traffic with when
/// `MAESTRO_INFRASTRUCTURE_ROLE_ARN` names none (`plan::bind`).
pub const INFRASTRUCTURE_ROLE: &str = "ecsInfrastructureRoleForLoadBalancers";

/// How to check a prerequisite.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case", tag = "with", content = "command")]
pub enum Check {
    /// `maestro verify` checks it, once the inputs name it.
    MaestroVerify,
    /// An aws CLI command that answers with it, or with an error when it is missing.
    AwsCli(String),
}

/// One resource the deploy needs and does not create.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Prerequisite {
    /// What it is.
    pub what: String,
    /// Its name, or the input that names it.
    pub name: String,
    pub check: Check,
}

fn item(what: &str, name: impl Into<String>, check: Check) -> Prerequisite {
    Prerequisite { what: what.to_owned(), name: name.into(), check }
}

/// The prerequisites of `setup`'s app, in the order they are made.
pub fn prerequisites(setup: &Setup) -> Vec<Prerequisite> {
    let names = setup.production_names();
    let region = &setup.region;
    let role =
        |role: &str| Check::AwsCli(format!("aws iam get-role --role-name {}", role.rsplit('/').next().unwrap_or(role)));
    let mut items = vec![
        item("a VPC", var::WORKLOAD_VPC_ID, Check::MaestroVerify),
        item(
            "private subnets with a NAT gateway (tasks pull the image through it)",
            var::ECS_SERVICE_SUBNETS,
            Check::MaestroVerify,
        ),
        item("security groups for the tasks", var::ECS_SERVICE_SECURITY_GROUPS, Check::MaestroVerify),
        item(
            "public subnets in two Availability Zones and a security group, for `web`'s load balancer",
            format!("{}, {}", var::ALB_SUBNETS, var::ALB_SECURITY_GROUPS),
            Check::MaestroVerify,
        ),
        item(
            "the task role, trusting ecs-tasks.amazonaws.com",
            DeployRoles::name_of(&setup.task_role),
            Check::MaestroVerify,
        ),
        item(
            "the execution role, trusting ecs-tasks.amazonaws.com, with AmazonECSTaskExecutionRolePolicy",
            DeployRoles::name_of(&setup.execution_role),
            Check::MaestroVerify,
        ),
        item("the role of scheduled tasks, trusting events.amazonaws.com", EVENTS_ROLE, Check::MaestroVerify),
    ];
    let account = setup.roles.account();
    let partition = region.partition();
    let provider = |issuer: &str| {
        Check::AwsCli(format!(
            "aws iam get-open-id-connect-provider --open-id-connect-provider-arn arn:{partition}:iam::{account}:oidc-provider/{issuer}"
        ))
    };
    match setup.ci {
        CiKind::Github => {
            items.push(item(
                "the OIDC provider",
                "token.actions.githubusercontent.com",
                provider("token.actions.githubusercontent.com"),
            ));
            for deploy_role in [&setup.roles.production, &setup.roles.review] {
                items.push(item(
                    "a deploy role, with the policies above",
                    DeployRoles::name_of(deploy_role),
                    role(deploy_role),
                ));
            }
        }
        CiKind::Gitlab => {
            items.push(item("the OIDC provider", "gitlab.com", provider("gitlab.com")));
            for deploy_role in [&setup.roles.production, &setup.roles.review] {
                items.push(item(
                    "a deploy role, with the policies above",
                    DeployRoles::name_of(deploy_role),
                    role(deploy_role),
                ));
            }
        }
        CiKind::Codebuild => {
            let production = &setup.roles.production;
            items.push(item(
                "the CodeBuild project's service role, with the policies above",
                DeployRoles::name_of(production),
                role(production),
            ));
            items.push(item(
                "the CodeBuild project, privileged, on the image ghcr.io/veezor/maestro:v1",
                names.slug(),
                Check::AwsCli(format!("aws codebuild batch-get-projects --names {} --region {region}", names.slug())),
            ));
        }
    }
    let secret = names.secret();
    items.push(item(
        "the app's secret, if it has secrets (its keys become the containers' variables), one per branch: `<branch>/<slug>`",
        secret.clone(),
        Check::AwsCli(format!("aws secretsmanager describe-secret --secret-id {secret} --region {region}")),
    ));
    items
}
