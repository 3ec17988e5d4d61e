//! The IAM actions maestro's calls need, each with the statement of docs/iam.md's policy that
//! grants it. One list, read by three readers: an AccessDenied names the action and its statement
//! (`denied`), `maestro verify` asks IAM's policy simulator about them (`verify::permissions`), and
//! the IAM test (tests/it/iam.rs) fails when this list and the documented policy disagree.

mod denied;
pub mod policy;
#[cfg(test)]
mod tests;

pub use denied::{Denial, denial, denied_resource, is_access_denied};

/// The documented policy, where a refused action's statement is.
pub const DOC: &str = "docs/iam.md#the-permissions-maestro-needs";
/// What a CodeBuild role made for the bash maestro lacks.
pub const SWITCHING: &str = "docs/iam.md#switching-from-the-bash-maestro";

/// A statement of docs/iam.md's deploy policy, by its `Sid`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Statement {
    ReadsWithoutResourceLimits,
    Image,
    AppSecret,
    Containers,
    Logs,
    LoadBalancer,
    Autoscaling,
    AutoscalingAlarms,
    /// The web service's rollback alarm (`MAESTRO_ROLLBACK_ALARM`), `<slug>-…-5xx`.
    RollbackAlarm,
    Schedules,
    DeployLease,
    /// The release records (`history`): a new version per release, and the versions read back.
    Releases,
    ServiceLinkedRoles,
    /// `maestro destroy`'s deletes, limited to the app's resources; a CI role may leave it out.
    Destroy,
    /// `maestro destroy`'s task-definition calls, which IAM cannot limit to a resource.
    DestroyTaskDefinitions,
    PassTheTaskRoles,
    PassTheSchedulesRole,
    /// The role ECS shifts a blue-green, canary or linear deploy's traffic with
    /// (`advancedConfiguration.roleArn`), passed to ECS itself.
    PassTheInfrastructureRole,
    /// `verify`'s reads of the roles the inputs name and of the certificate (deploy runs them).
    VerifyTheRolesAndCertificate,
    /// `maestro verify`'s look at the deploy role itself; optional.
    VerifyPermissions,
}

impl Statement {
    pub fn sid(self) -> &'static str {
        match self {
            Self::ReadsWithoutResourceLimits => "ReadsWithoutResourceLimits",
            Self::Image => "Image",
            Self::AppSecret => "AppSecret",
            Self::Containers => "Containers",
            Self::Logs => "Logs",
            Self::LoadBalancer => "LoadBalancer",
            Self::Autoscaling => "Autoscaling",
            Self::AutoscalingAlarms => "AutoscalingAlarms",
            Self::RollbackAlarm => "RollbackAlarm",
            Self::Schedules => "Schedules",
            Self::DeployLease => "DeployLease",
            Self::Releases => "Releases",
            Self::ServiceLinkedRoles => "ServiceLinkedRoles",
            Self::Destroy => "Destroy",
            Self::DestroyTaskDefinitions => "DestroyTaskDefinitions",
            Self::PassTheTaskRoles => "PassTheTaskRoles",
            Self::PassTheSchedulesRole => "PassTheSchedulesRole",
            Self::PassTheInfrastructureRole => "PassTheInfrastructureRole",
            Self::VerifyTheRolesAndCertificate => "VerifyTheRolesAndCertificate",
            Self::VerifyPermissions => "VerifyPermissions",
        }
    }
}

/// One action maestro needs (`service:Operation`, as IAM spells it) and the statement granting it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Grant {
    pub action: &'static str,
    pub statement: Statement,
}

const fn grant(action: &'static str, statement: Statement) -> Grant {
    Grant { action, statement }
}

use Statement::*;

/// Every action of docs/iam.md's deploy policy, in its order. `iam:PassRole` is in three statements
/// (each role goes to one service); the first is the one an AccessDenied names.
pub const GRANTS: &[Grant] = &[
    grant("sts:GetCallerIdentity", ReadsWithoutResourceLimits),
    grant("ec2:DescribeSubnets", ReadsWithoutResourceLimits),
    grant("ec2:DescribeSecurityGroups", ReadsWithoutResourceLimits),
    grant("ecr:GetAuthorizationToken", ReadsWithoutResourceLimits),
    grant("ecs:CreateCluster", ReadsWithoutResourceLimits),
    grant("ecs:DescribeClusters", ReadsWithoutResourceLimits),
    grant("ecs:RegisterTaskDefinition", ReadsWithoutResourceLimits),
    grant("ecs:DescribeTaskDefinition", ReadsWithoutResourceLimits),
    grant("ecs:ListTaskDefinitionFamilies", ReadsWithoutResourceLimits),
    grant("ecs:DescribeServices", ReadsWithoutResourceLimits),
    grant("ecs:DescribeServiceDeployments", ReadsWithoutResourceLimits),
    grant("ecs:ListServices", ReadsWithoutResourceLimits),
    grant("ecs:DescribeTasks", ReadsWithoutResourceLimits),
    grant("ecs:ListTasks", ReadsWithoutResourceLimits),
    grant("logs:DescribeLogGroups", ReadsWithoutResourceLimits),
    grant("elasticloadbalancing:DescribeLoadBalancers", ReadsWithoutResourceLimits),
    grant("elasticloadbalancing:DescribeTargetGroups", ReadsWithoutResourceLimits),
    grant("elasticloadbalancing:DescribeTargetGroupAttributes", ReadsWithoutResourceLimits),
    grant("elasticloadbalancing:DescribeListeners", ReadsWithoutResourceLimits),
    grant("elasticloadbalancing:DescribeRules", ReadsWithoutResourceLimits),
    grant("elasticloadbalancing:DescribeTags", ReadsWithoutResourceLimits),
    grant("events:ListRules", ReadsWithoutResourceLimits),
    grant("application-autoscaling:DescribeScalableTargets", ReadsWithoutResourceLimits),
    grant("application-autoscaling:DescribeScalingPolicies", ReadsWithoutResourceLimits),
    grant("cloudwatch:DescribeAlarms", ReadsWithoutResourceLimits),
    grant("ecr:DescribeImages", Image),
    grant("ecr:CreateRepository", Image),
    grant("ecr:PutLifecyclePolicy", Image),
    grant("ecr:GetLifecyclePolicy", Image),
    grant("ecr:TagResource", Image),
    grant("ecr:BatchCheckLayerAvailability", Image),
    grant("ecr:BatchGetImage", Image),
    grant("ecr:GetDownloadUrlForLayer", Image),
    grant("ecr:InitiateLayerUpload", Image),
    grant("ecr:UploadLayerPart", Image),
    grant("ecr:CompleteLayerUpload", Image),
    grant("ecr:PutImage", Image),
    grant("secretsmanager:GetSecretValue", AppSecret),
    grant("secretsmanager:DescribeSecret", AppSecret),
    grant("ecs:PutClusterCapacityProviders", Containers),
    grant("ecs:TagResource", Containers),
    grant("ecs:CreateService", Containers),
    grant("ecs:UpdateService", Containers),
    grant("ecs:DeleteService", Containers),
    grant("ecs:RunTask", Containers),
    grant("ecs:StopTask", Containers),
    grant("ecs:StopServiceDeployment", Containers),
    grant("ecs:ContinueServiceDeployment", Containers),
    grant("logs:CreateLogGroup", Logs),
    grant("logs:PutRetentionPolicy", Logs),
    grant("logs:TagResource", Logs),
    grant("logs:GetLogEvents", Logs),
    grant("logs:FilterLogEvents", Logs),
    grant("elasticloadbalancing:CreateLoadBalancer", LoadBalancer),
    grant("elasticloadbalancing:SetSubnets", LoadBalancer),
    grant("elasticloadbalancing:SetSecurityGroups", LoadBalancer),
    grant("elasticloadbalancing:CreateTargetGroup", LoadBalancer),
    grant("elasticloadbalancing:ModifyTargetGroup", LoadBalancer),
    grant("elasticloadbalancing:ModifyTargetGroupAttributes", LoadBalancer),
    grant("elasticloadbalancing:CreateListener", LoadBalancer),
    grant("elasticloadbalancing:ModifyListener", LoadBalancer),
    grant("elasticloadbalancing:CreateRule", LoadBalancer),
    grant("elasticloadbalancing:ModifyRule", LoadBalancer),
    grant("elasticloadbalancing:AddTags", LoadBalancer),
    grant("application-autoscaling:RegisterScalableTarget", Autoscaling),
    grant("application-autoscaling:DeregisterScalableTarget", Autoscaling),
    grant("application-autoscaling:PutScalingPolicy", Autoscaling),
    grant("application-autoscaling:DeleteScalingPolicy", Autoscaling),
    grant("cloudwatch:PutMetricAlarm", AutoscalingAlarms),
    grant("cloudwatch:DeleteAlarms", AutoscalingAlarms),
    grant("cloudwatch:PutMetricAlarm", RollbackAlarm),
    grant("cloudwatch:DeleteAlarms", RollbackAlarm),
    // PutMetricAlarm with tags also needs TagResource ("tag on create"); the marker is read back.
    grant("cloudwatch:TagResource", RollbackAlarm),
    grant("cloudwatch:ListTagsForResource", RollbackAlarm),
    grant("events:PutRule", Schedules),
    grant("events:DeleteRule", Schedules),
    grant("events:DisableRule", Schedules),
    grant("events:PutTargets", Schedules),
    grant("events:ListTargetsByRule", Schedules),
    grant("events:RemoveTargets", Schedules),
    grant("events:TagResource", Schedules),
    grant("events:ListTagsForResource", Schedules),
    grant("ssm:PutParameter", DeployLease),
    grant("ssm:GetParametersByPath", DeployLease),
    grant("ssm:DeleteParameter", DeployLease),
    // PutParameter is in both: a refused one names the lease's statement, the first write.
    grant("ssm:PutParameter", Releases),
    grant("ssm:GetParameterHistory", Releases),
    grant("iam:CreateServiceLinkedRole", ServiceLinkedRoles),
    grant("ecs:DeleteCluster", Destroy),
    grant("elasticloadbalancing:DeleteRule", Destroy),
    grant("elasticloadbalancing:DeleteLoadBalancer", Destroy),
    grant("elasticloadbalancing:DeleteTargetGroup", Destroy),
    grant("logs:ListTagsForResource", Destroy),
    grant("logs:DeleteLogGroup", Destroy),
    grant("ecr:DescribeRepositories", Destroy),
    grant("ecr:ListTagsForResource", Destroy),
    grant("ecr:DeleteRepository", Destroy),
    grant("ssm:DeleteParameter", Destroy),
    grant("ecs:ListTaskDefinitions", DestroyTaskDefinitions),
    grant("ecs:DeregisterTaskDefinition", DestroyTaskDefinitions),
    grant("iam:PassRole", PassTheTaskRoles),
    grant("iam:PassRole", PassTheSchedulesRole),
    grant("iam:PassRole", PassTheInfrastructureRole),
    // Before VerifyPermissions: a refused GetRole of a deploy names the roles' statement.
    grant("iam:GetRole", VerifyTheRolesAndCertificate),
    grant("acm:DescribeCertificate", VerifyTheRolesAndCertificate),
    grant("iam:GetRole", VerifyPermissions),
    grant("iam:SimulatePrincipalPolicy", VerifyPermissions),
];

/// The grant of `action` (`ssm:PutParameter`; IAM action names ignore case).
pub fn grant_of(action: &str) -> Option<&'static Grant> {
    GRANTS.iter().find(|grant| grant.action.eq_ignore_ascii_case(action))
}
