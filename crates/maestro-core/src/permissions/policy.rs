//! docs/iam.md's deploy policy as a value: each statement's actions come from [`GRANTS`], its
//! resources and condition from here, so `maestro init` prints the policy of an app from the same
//! list an AccessDenied and `maestro verify` read. The IAM test (tests/it/init.rs) renders it with
//! the placeholders unfilled and compares it with the documented block, so neither drifts.

use serde::Serialize;
use serde_json::{Value, json};

use super::{GRANTS, Statement};

/// A placeholder of docs/iam.md's template (`<slug>`), and what fills it. A placeholder with
/// several values repeats the resources that hold it, one per value; with none, they are left out
/// (no image pull secret: no line for it).
#[derive(Debug, Clone, Default)]
pub struct Fill {
    pairs: Vec<(&'static str, Vec<String>)>,
}

impl Fill {
    /// `<name>` filled with `value`.
    pub fn with(mut self, placeholder: &'static str, value: impl Into<String>) -> Self {
        self.pairs.push((placeholder, vec![value.into()]));
        self
    }

    /// `<name>` filled with each of `values` (none: its resources are dropped).
    pub fn with_each(mut self, placeholder: &'static str, values: Vec<String>) -> Self {
        self.pairs.push((placeholder, values));
        self
    }

    /// `template` with every placeholder filled: one text per combination of multi-valued ones.
    fn expand(&self, template: &str) -> Vec<String> {
        let mut texts = vec![template.to_owned()];
        for (placeholder, values) in &self.pairs {
            if !texts.iter().any(|text| text.contains(placeholder)) {
                continue;
            }
            texts = texts
                .iter()
                .flat_map(|text| values.iter().map(move |value| text.replace(placeholder, value)))
                .collect();
        }
        texts
    }
}

/// The placeholders, as docs/iam.md spells them.
pub const REGION: &str = "<region>";
pub const ACCOUNT: &str = "<account>";
pub const SLUG: &str = "<slug>";
pub const LB_SLUG: &str = "<lb-slug>";
pub const TASK_ROLE: &str = "<task-role>";
pub const EXECUTION_ROLE: &str = "<execution-role>";
pub const EVENTS_ROLE: &str = "<events-role>";
/// The role ECS shifts a blue-green, canary or linear deploy's traffic with.
pub const INFRASTRUCTURE_ROLE: &str = "<infrastructure-role>";
pub const PULL_SECRET: &str = "<pull-secret>";
pub const DEPLOY_ROLE: &str = "<deploy-role>";
/// The production branch as maestro names it, and its schedule rules' prefix (the review role's
/// `NotProduction` statement).
pub const PRODUCTION: &str = "<production>";
pub const PRODUCTION_RULES: &str = "<production-rules>";

/// docs/iam.md's `NotProduction`: every resource of production's environment, which the review
/// role's policy denies whatever allows it.
const NOT_PRODUCTION: &[&str] = &[
    "arn:aws:ecr:*:<account>:repository/<slug>-<production>",
    "arn:aws:secretsmanager:*:<account>:secret:<production>/<slug>-??????",
    "arn:aws:ecs:*:<account>:cluster/<slug>-<production>",
    "arn:aws:ecs:*:<account>:service/*/<slug>-<production>-*",
    "arn:aws:ecs:*:<account>:task-definition/<slug>-<production>-*:*",
    "arn:aws:ecs:*:<account>:task/<slug>-<production>/*",
    "arn:aws:ecs:*:<account>:service-deployment/*/<slug>-<production>-*/*",
    "arn:aws:logs:*:<account>:log-group:/ecs/<slug>-<production>-*",
    "arn:aws:cloudwatch:*:<account>:alarm:<slug>-<production>-*",
    "arn:aws:elasticloadbalancing:*:<account>:loadbalancer/app/<lb-slug>-<production>/*",
    "arn:aws:elasticloadbalancing:*:<account>:targetgroup/<lb-slug>-<production>/*",
    "arn:aws:elasticloadbalancing:*:<account>:targetgroup/<lb-slug>-<production>-alt/*",
    "arn:aws:elasticloadbalancing:*:<account>:listener/app/<lb-slug>-<production>/*",
    "arn:aws:elasticloadbalancing:*:<account>:listener-rule/app/<lb-slug>-<production>/*",
    "arn:aws:events:*:<account>:rule/<production-rules>-*",
    "arn:aws:ssm:*:<account>:parameter/maestro/locks/<slug>-<production>",
    "arn:aws:ssm:*:<account>:parameter/maestro/locks/<slug>-<production>/*",
    "arn:aws:ssm:*:<account>:parameter/maestro/releases/<slug>-<production>",
];

/// The review role's `NotProduction` statement with `fill` applied.
pub fn not_production(fill: &Fill) -> PolicyStatement {
    PolicyStatement {
        sid: Some("NotProduction".to_owned()),
        effect: "Deny",
        principal: None,
        action: Value::from("*"),
        resource: Some(NOT_PRODUCTION.iter().flat_map(|template| fill.expand(template)).map(Value::from).collect()),
        condition: None,
    }
}

/// A statement's `Resource`: one text (written as a string) or a list.
enum Resources {
    One(&'static str),
    Many(&'static [&'static str]),
}

const APP_ROLES_AND_CERTIFICATE: &[&str] = &[
    "arn:aws:iam::<account>:role/<task-role>",
    "arn:aws:iam::<account>:role/<execution-role>",
    "arn:aws:iam::<account>:role/<events-role>",
    "arn:aws:acm:<region>:<account>:certificate/*",
];

impl Statement {
    /// Every statement, in docs/iam.md's order.
    pub const ALL: [Statement; 20] = [
        Statement::ReadsWithoutResourceLimits,
        Statement::Image,
        Statement::AppSecret,
        Statement::Containers,
        Statement::Logs,
        Statement::LoadBalancer,
        Statement::Autoscaling,
        Statement::AutoscalingAlarms,
        Statement::RollbackAlarm,
        Statement::Schedules,
        Statement::DeployLease,
        Statement::Releases,
        Statement::ServiceLinkedRoles,
        Statement::Destroy,
        Statement::DestroyTaskDefinitions,
        Statement::VerifyTheRolesAndCertificate,
        Statement::PassTheTaskRoles,
        Statement::PassTheSchedulesRole,
        Statement::PassTheInfrastructureRole,
        Statement::VerifyPermissions,
    ];

    /// The resources the statement is limited to; why each is what it is, docs/iam.md says.
    fn resources(self) -> Resources {
        use Resources::{Many, One};
        match self {
            Self::ReadsWithoutResourceLimits
            | Self::Autoscaling
            | Self::ServiceLinkedRoles
            | Self::DestroyTaskDefinitions => One("*"),
            Self::Image => One("arn:aws:ecr:<region>:<account>:repository/<slug>-*"),
            Self::AppSecret => Many(&[
                "arn:aws:secretsmanager:<region>:<account>:secret:*/<slug>-??????",
                "arn:aws:secretsmanager:<region>:<account>:secret:<pull-secret>-??????",
            ]),
            Self::Containers => Many(&[
                "arn:aws:ecs:<region>:<account>:cluster/<slug>-*",
                "arn:aws:ecs:<region>:<account>:service/*/<slug>-*",
                "arn:aws:ecs:<region>:<account>:task-definition/<slug>-*:*",
                "arn:aws:ecs:<region>:<account>:task/<slug>-*/*",
                "arn:aws:ecs:<region>:<account>:service-deployment/*/<slug>-*/*",
            ]),
            Self::Logs => One("arn:aws:logs:<region>:<account>:log-group:/ecs/<slug>-*"),
            Self::LoadBalancer => Many(&[
                "arn:aws:elasticloadbalancing:<region>:<account>:loadbalancer/app/<lb-slug>-*/*",
                "arn:aws:elasticloadbalancing:<region>:<account>:targetgroup/<lb-slug>-*/*",
                "arn:aws:elasticloadbalancing:<region>:<account>:listener/app/<lb-slug>-*/*",
                "arn:aws:elasticloadbalancing:<region>:<account>:listener-rule/app/<lb-slug>-*/*",
            ]),
            Self::AutoscalingAlarms => One("arn:aws:cloudwatch:<region>:<account>:alarm:TargetTracking-service/*"),
            Self::RollbackAlarm => One("arn:aws:cloudwatch:<region>:<account>:alarm:<slug>-*-5xx"),
            Self::Schedules => One("arn:aws:events:<region>:<account>:rule/*"),
            Self::DeployLease => One("arn:aws:ssm:<region>:<account>:parameter/maestro/locks/<slug>-*"),
            Self::Releases => One("arn:aws:ssm:<region>:<account>:parameter/maestro/releases/<slug>-*"),
            Self::Destroy => Many(&[
                "arn:aws:ecs:<region>:<account>:cluster/<slug>-*",
                "arn:aws:elasticloadbalancing:<region>:<account>:loadbalancer/app/<lb-slug>-*/*",
                "arn:aws:elasticloadbalancing:<region>:<account>:targetgroup/<lb-slug>-*/*",
                "arn:aws:elasticloadbalancing:<region>:<account>:listener-rule/app/*/*",
                "arn:aws:logs:<region>:<account>:log-group:/ecs/<slug>-*",
                "arn:aws:ecr:<region>:<account>:repository/<slug>-*",
                "arn:aws:ssm:<region>:<account>:parameter/maestro/releases/<slug>-*",
            ]),
            Self::VerifyTheRolesAndCertificate => Many(APP_ROLES_AND_CERTIFICATE),
            Self::PassTheTaskRoles => {
                Many(&["arn:aws:iam::<account>:role/<task-role>", "arn:aws:iam::<account>:role/<execution-role>"])
            }
            Self::PassTheSchedulesRole => Many(&["arn:aws:iam::<account>:role/<events-role>"]),
            Self::PassTheInfrastructureRole => Many(&["arn:aws:iam::<account>:role/<infrastructure-role>"]),
            Self::VerifyPermissions => One("arn:aws:iam::<account>:role/<deploy-role>"),
        }
    }

    /// Whether `arn` is one of the statement's resources, each placeholder (`<slug>`) and
    /// wildcard (`*`, `?`) taken as any text: which of two statements granting one action
    /// (`ssm:PutParameter`: the lease's and the release records') a refused call needed.
    pub(super) fn covers(self, arn: &str) -> bool {
        match self.resources() {
            Resources::One(pattern) => pattern_matches(pattern, arn),
            Resources::Many(patterns) => patterns.iter().any(|pattern| pattern_matches(pattern, arn)),
        }
    }

    /// The statement's `Condition`, if it has one.
    fn condition(self) -> Option<Value> {
        let passed_to = |service: &str| json!({ "StringEquals": { "iam:PassedToService": service } });
        match self {
            Self::ServiceLinkedRoles => Some(json!({ "StringEquals": { "iam:AWSServiceName": [
                "ecs.amazonaws.com",
                "elasticloadbalancing.amazonaws.com",
                "ecs.application-autoscaling.amazonaws.com"
            ] } })),
            Self::PassTheTaskRoles => Some(passed_to("ecs-tasks.amazonaws.com")),
            Self::PassTheSchedulesRole => Some(passed_to("events.amazonaws.com")),
            // ECS itself, not its tasks, assumes it (its trust policy names `ecs.amazonaws.com`).
            Self::PassTheInfrastructureRole => Some(passed_to("ecs.amazonaws.com")),
            _ => None,
        }
    }
}

/// An IAM policy document, its members in the order people write them.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PolicyDocument {
    #[serde(rename = "Version")]
    pub version: &'static str,
    #[serde(rename = "Statement")]
    pub statements: Vec<PolicyStatement>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PolicyStatement {
    #[serde(rename = "Sid", skip_serializing_if = "Option::is_none")]
    pub sid: Option<String>,
    #[serde(rename = "Effect")]
    pub effect: &'static str,
    #[serde(rename = "Principal", skip_serializing_if = "Option::is_none")]
    pub principal: Option<Value>,
    #[serde(rename = "Action")]
    pub action: Value,
    #[serde(rename = "Resource", skip_serializing_if = "Option::is_none")]
    pub resource: Option<Value>,
    #[serde(rename = "Condition", skip_serializing_if = "Option::is_none")]
    pub condition: Option<Value>,
}

/// The version of IAM's policy language every document uses.
pub const POLICY_VERSION: &str = "2012-10-17";

/// docs/iam.md's deploy policy with `fill` applied (an empty [`Fill`] gives the template).
pub fn deploy_policy(fill: &Fill) -> PolicyDocument {
    let statements = Statement::ALL.iter().map(|&statement| {
        let actions: Vec<Value> =
            GRANTS.iter().filter(|grant| grant.statement == statement).map(|grant| Value::from(grant.action)).collect();
        let resource = match statement.resources() {
            Resources::One(template) => match fill.expand(template).as_slice() {
                [one] => Value::from(one.as_str()),
                many => many.iter().map(|text| Value::from(text.as_str())).collect(),
            },
            Resources::Many(templates) => {
                templates.iter().flat_map(|template| fill.expand(template)).map(Value::from).collect()
            }
        };
        PolicyStatement {
            sid: Some(statement.sid().to_owned()),
            effect: "Allow",
            principal: None,
            action: Value::Array(actions),
            resource: Some(resource),
            condition: statement.condition(),
        }
    });
    PolicyDocument { version: POLICY_VERSION, statements: statements.collect() }
}

/// Whether `text` matches `pattern`, where `<placeholder>`, `*` and `?` match any text (a
/// placeholder stands for a name the reader fills in, so it is as loose as `*`).
fn pattern_matches(pattern: &str, text: &str) -> bool {
    // Literal pieces between wildcards, in order: each found after the previous one; the first
    // anchored at the start and the last at the end.
    let mut pieces = Vec::new();
    let mut rest = pattern;
    let mut literal = String::new();
    while let Some(c) = rest.chars().next() {
        if c == '<'
            && let Some(end) = rest.find('>')
        {
            pieces.push(std::mem::take(&mut literal));
            rest = &rest[end + 1..];
        } else if c == '*' || c == '?' {
            pieces.push(std::mem::take(&mut literal));
            rest = &rest[1..];
        } else {
            literal.push(c);
            rest = &rest[c.len_utf8()..];
        }
    }
    pieces.push(literal);
    let (first, last) = (&pieces[0], &pieces[pieces.len() - 1]);
    if pieces.len() == 1 {
        return text == first;
    }
    if !text.starts_with(first.as_str()) || text.len() < first.len() + last.len() || !text.ends_with(last.as_str()) {
        return false;
    }
    let mut middle = &text[first.len()..text.len() - last.len()];
    for piece in &pieces[1..pieces.len() - 1] {
        match middle.find(piece.as_str()) {
            Some(at) => middle = &middle[at + piece.len()..],
            None => return false,
        }
    }
    true
}
