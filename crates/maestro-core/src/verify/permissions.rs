//! May the deploy role make the deploy's calls? IAM's policy simulator (SimulatePrincipalPolicy)
//! is asked about the actions of `permissions::GRANTS`, each on the resource the deploy will act
//! on where the plan names it; every action it denies is a finding naming the action and the
//! statement of docs/iam.md that grants it.
//!
//! Left to AWS (said in the report): actions whose resources carry ids AWS assigns (load
//! balancers, target groups, alarms, tasks, task-definition revisions, schedule targets), the
//! app secret's ARN (Secrets Manager adds a suffix), and actions whose policies need the
//! request's context (`iam:PassRole`'s `iam:PassedToService`, `iam:CreateServiceLinkedRole`'s
//! `iam:AWSServiceName`), which the simulator is not given.

use serde::Serialize;

use super::Finding;
use crate::build::repository::RegistryKind;
use crate::lease;
use crate::permissions::{DOC, GRANTS, Statement, grant_of};
use crate::plan::desired::DesiredState;

/// The input a permissions finding is about: not a variable, the role the run signed in as.
pub const INPUT: &str = "the deploy role";

/// Whose policies the simulator judges, from the caller's ARN (GetCallerIdentity).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Principal {
    /// `arn:aws:sts::<account>:assumed-role/<name>/<session>`: the role's ARN has a path this one
    /// lacks, so it is read (GetRole) by name.
    Role(String),
    /// An IAM user's ARN, which the simulator takes as it is.
    User(String),
    /// Anything else (the root user, a federated user): the simulator takes no such ARN.
    Other(String),
}

pub fn principal(caller_arn: &str) -> Principal {
    let resource = caller_arn.splitn(6, ':').nth(5).unwrap_or_default();
    match resource.split('/').collect::<Vec<_>>().as_slice() {
        ["assumed-role", name, _session] => Principal::Role((*name).to_owned()),
        ["user", ..] if caller_arn.contains(":iam::") => Principal::User(caller_arn.to_owned()),
        _ => Principal::Other(caller_arn.to_owned()),
    }
}

/// One simulation: these actions on this resource.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Question {
    pub resource: String,
    pub actions: Vec<&'static str>,
}

/// Where the deploy runs, for the ARNs of the questions.
#[derive(Debug, Clone, Copy)]
pub struct Place<'a> {
    pub partition: &'a str,
    pub region: &'a str,
    pub account: &'a str,
}

fn actions_of(statements: &[Statement], except: &[&str]) -> Vec<&'static str> {
    let grants = GRANTS.iter().filter(|grant| statements.contains(&grant.statement));
    grants.map(|grant| grant.action).filter(|action| !except.contains(action)).collect()
}

/// What the simulation leaves to AWS, for the report.
pub const LEFT_TO_AWS: &str = "load balancer, service, task, schedule, secret and role-passing calls are left to AWS";

/// What to ask the simulator for `desired`'s deploy.
pub fn questions(desired: &DesiredState, place: Place<'_>) -> Vec<Question> {
    let Place { partition, region, account } = place;
    let arn = |service: &str, resource: &str| format!("arn:{partition}:{service}:{region}:{account}:{resource}");
    let mut asked = vec![Question {
        resource: "*".to_owned(),
        actions: actions_of(&[Statement::ReadsWithoutResourceLimits, Statement::Autoscaling], &[]),
    }];
    if let RegistryKind::Ecr { account, region } = &desired.image.registry_kind {
        asked.push(Question {
            resource: format!("arn:{partition}:ecr:{region}:{account}:repository/{}", desired.image.repository),
            actions: actions_of(&[Statement::Image], &[]),
        });
    }
    for group in &desired.log_groups {
        asked.push(Question {
            resource: arn("logs", &format!("log-group:{group}")),
            actions: actions_of(&[Statement::Logs], &[]),
        });
    }
    // The lease is written as generations under a folder, and listed on the folder itself.
    let folder = lease::folder(&desired.request);
    asked.push(Question {
        resource: arn("ssm", &format!("parameter{}", lease::generation_name(&folder, 1))),
        actions: actions_of(&[Statement::DeployLease], &["ssm:GetParametersByPath"]),
    });
    asked.push(Question {
        resource: arn("ssm", &format!("parameter{folder}")),
        actions: vec!["ssm:GetParametersByPath"],
    });
    asked.push(Question {
        resource: arn("ssm", &format!("parameter{}", crate::history::parameter(&desired.request))),
        actions: actions_of(&[Statement::Releases], &[]),
    });
    asked
}

/// The simulator's `EvalDecision`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Decision {
    Allowed,
    /// A Deny statement matches.
    ExplicitDeny,
    /// No statement allows it.
    ImplicitDeny,
}

/// One answer of the simulator.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Answer {
    pub action: String,
    pub resource: String,
    pub decision: Decision,
}

/// How the check went, for the report; its findings are errors of the run.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case", tag = "status")]
pub enum Outcome {
    /// The simulator judged `actions` actions (on their resources) for `role`.
    Checked { role: String, actions: usize },
    /// Not checked, and why (the role may not call the simulator, ...).
    NotChecked { why: String },
}

/// Every action the simulator denied `role_arn`, as a finding naming the statement that grants it.
pub fn judge(role_arn: &str, answers: &[Answer]) -> Vec<Finding> {
    let denied = answers.iter().filter(|answer| answer.decision != Decision::Allowed);
    denied
        .map(|answer| {
            let why = match answer.decision {
                Decision::ExplicitDeny => "a Deny statement matches it",
                _ => "no statement allows it",
            };
            let on = if answer.resource == "*" { String::new() } else { format!(" on {}", answer.resource) };
            let fix = match grant_of(&answer.action) {
                Some(grant) => {
                    format!("allow {} in its policy: statement `{}` of {DOC}", grant.action, grant.statement.sid())
                }
                None => format!("allow {} in its policy ({DOC})", answer.action),
            };
            Finding {
                input: INPUT,
                resource: role_arn.to_owned(),
                problem: format!("may not call {}{on} ({why})", answer.action),
                fix,
            }
        })
        .collect()
}
