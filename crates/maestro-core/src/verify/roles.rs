//! The roles the inputs hand to AWS: the task and execution roles exist and trust
//! `ecs-tasks.amazonaws.com`, the events role (scheduled tasks) trusts `events.amazonaws.com`.
//! Without the check, ECS and EventBridge find out: RegisterTaskDefinition accepts any role
//! ARN, and a task whose execution role ECS cannot assume stops at start ("ECS was unable to
//! assume the role"), after the deploy wrote everything else.

use std::collections::{BTreeMap, BTreeSet};

use serde::Serialize;

use super::{Finding, Verdict, trust_policy};
use crate::input::vars as var;
use crate::plan::desired::DesiredState;
use crate::settings::Settings;

/// The service principal ECS tasks assume their task and execution roles as.
pub const ECS_TASKS: &str = "ecs-tasks.amazonaws.com";
/// The service principal EventBridge starts scheduled tasks as.
pub const EVENTS: &str = "events.amazonaws.com";

/// A role an input names, and the service that must be able to assume it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RoleInput {
    pub input: &'static str,
    pub arn: String,
    pub service: &'static str,
    /// The input is unset and this is maestro's default (`ecsEventsRole`).
    pub default: bool,
}

/// A role as IAM holds it: its ARN and its trust policy as GetRole returns it (URL-encoded).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ObservedRole {
    pub arn: String,
    #[serde(skip)]
    pub trust_policy: String,
}

/// The roles that exist among those asked for, by role name; an absent name does not exist.
pub type ObservedRoles = BTreeMap<String, ObservedRole>;

/// Every role the run hands to AWS, with the input that names it.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct RoleInputs(pub Vec<RoleInput>);

impl RoleInputs {
    /// The task and execution roles when set; the events role when the app has scheduled tasks
    /// (`ecsEventsRole` of the account when MAESTRO_EVENTS_ROLE_ARN is unset).
    pub fn of(settings: &Settings, desired: &DesiredState) -> Self {
        let mut roles = Vec::new();
        for (input, arn) in [
            (var::ECS_TASK_ROLE_ARN, &settings.tasks.task_role_arn),
            (var::ECS_EXECUTION_ROLE_ARN, &settings.tasks.execution_role_arn),
        ] {
            if let Some(arn) = arn {
                roles.push(RoleInput { input, arn: arn.clone(), service: ECS_TASKS, default: false });
            }
        }
        if let Some(schedule) = desired.schedules.first() {
            roles.push(RoleInput {
                input: var::MAESTRO_EVENTS_ROLE_ARN,
                arn: schedule.role_arn.clone(),
                service: EVENTS,
                default: settings.events_role_arn.is_none(),
            });
        }
        Self(roles)
    }

    /// The names to read with GetRole, each once: those of `account` (IAM answers for the
    /// caller's account only).
    pub fn names_in(&self, account: &str) -> Vec<String> {
        let names: BTreeSet<&str> = self
            .0
            .iter()
            .filter(|role| account_of(&role.arn) == Some(account))
            .map(|role| role_name(&role.arn))
            .collect();
        names.into_iter().map(str::to_owned).collect()
    }
}

/// The role's name: the ARN's last path segment (`arn:aws:iam::1:role/path/name` → `name`),
/// which is what GetRole takes.
pub fn role_name(arn: &str) -> &str {
    arn.rsplit('/').next().unwrap_or(arn)
}

fn account_of(arn: &str) -> Option<&str> {
    arn.split(':').nth(4)
}

/// Every role judged: it exists under the ARN given, and the service may assume it.
pub fn judge(inputs: &RoleInputs, account: &str, observed: &ObservedRoles) -> Verdict {
    let mut verdict = Verdict::default();
    for role in &inputs.0 {
        if account_of(&role.arn) != Some(account) {
            verdict.not_checked(
                format!("{} {}", role.input, role.arn),
                format!("the role is in another account than {account}, whose roles IAM does not show"),
            );
            continue;
        }
        let Some(found) = observed.get(role_name(&role.arn)) else {
            verdict.found(missing(role));
            continue;
        };
        if found.arn != role.arn {
            verdict.found(Finding {
                input: role.input,
                resource: format!("role {}", role.arn),
                problem: format!("does not exist under that path: the role of that name is {}", found.arn),
                fix: format!("set {} to {}", role.input, found.arn),
            });
            continue;
        }
        match trust_policy::trusts(&found.trust_policy, role.service) {
            Ok(true) => verdict.checked(format!("role {} trusts {}", role.arn, role.service)),
            Ok(false) => verdict.found(untrusting(role)),
            Err(why) => verdict.not_checked(format!("the trust policy of {}", role.arn), why),
        }
    }
    verdict
}

fn missing(role: &RoleInput) -> Finding {
    let create = format!("create it with a trust policy that lets {} call sts:AssumeRole", role.service);
    let fix = if role.default {
        format!("{create}, or set {} to a role that does (the default is used when it is unset)", role.input)
    } else {
        format!("correct {} (`aws iam list-roles` lists the account's), or {create}", role.input)
    };
    Finding {
        input: role.input,
        resource: format!("role {}", role.arn),
        problem: "does not exist in this account".to_owned(),
        fix,
    }
}

fn untrusting(role: &RoleInput) -> Finding {
    Finding {
        input: role.input,
        resource: format!("role {}", role.arn),
        problem: format!("does not trust {}, which must assume it", role.service),
        fix: format!(
            "add to the role's trust policy a statement {{\"Effect\": \"Allow\", \"Principal\": {{\"Service\": \"{}\"}}, \
             \"Action\": \"sts:AssumeRole\"}} (`aws iam update-assume-role-policy`), or set {} to a role that has it",
            role.service, role.input
        ),
    }
}
