//! What stops a deploy once AWS has been read and before anything is written: the account holds
//! (or lacks) something the plan cannot work with, and AWS would refuse a later write after the
//! earlier ones were made. Tested with the diff's fixtures (`diff/tests/preflight.rs`).
use super::adoption;
use super::observed::Observed;
use super::ownership::{marker, other_owner};
use crate::plan::desired::DesiredState;

/// One reason the deploy cannot go on: what is wrong, and what to do.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Blocker {
    pub message: String,
    pub hint: String,
}

/// Every reason `desired` cannot be applied to what `observed` holds; none when it can.
pub fn blockers(desired: &DesiredState, observed: &Observed) -> Vec<Blocker> {
    let (desired, observed) = &adoption::settle(desired, observed);
    let mut found = Vec::new();
    shared_load_balancer(desired, observed, &mut found);
    someone_elses(desired, observed, &mut found);
    someone_elses_schedules(desired, observed, &mut found);
    secret_without_execution_role(desired, observed, &mut found);
    found
}

/// A load balancer or target group under the app's own name whose marker names another app or
/// branch (apps whose names differ only by `_` and `-` get the same names): maestro would
/// route its traffic to the app, so it is never adopted. A shared load balancer is someone
/// else's by design.
fn someone_elses(desired: &DesiredState, observed: &Observed, found: &mut Vec<Blocker>) {
    let Some(balancer) = &desired.load_balancer else { return };
    let ours = marker(desired);
    let live_balancer = observed.load_balancer.as_ref().filter(|_| !balancer.shared);
    let owned = [
        ("load balancer", live_balancer.map(|live| (&live.name, &live.tags))),
        ("target group", observed.target_group.as_ref().map(|live| (&live.name, &live.tags))),
    ];
    for (kind, live) in owned {
        let Some((name, owner)) = live.and_then(|(name, tags)| Some((name, other_owner(tags, &ours)?))) else {
            continue;
        };
        found.push(Blocker {
            message: format!("{kind} {name} belongs to {owner} (its {} tag), not {}", ours.key, ours.value),
            hint: format!(
                "maestro never adopts another app's {kind}; deploy this app under another name \
                 (MAESTRO_REPO_OVERRIDE or MAESTRO_BRANCH_OVERRIDE), or remove the {kind} if it is unused; nothing was changed"
            ),
        });
    }
}

/// A schedule rule under one of the app's rule names whose marker names another environment.
/// Rule names hash the cluster only (`naming::Names::schedule_rule`, the original's names, kept so
/// its rules are adopted), so in a shared cluster (`ECS_CLUSTER_ID`) two branches or apps with a
/// schedule of the same name share a rule: each deploy would point it at its own task definition.
fn someone_elses_schedules(desired: &DesiredState, observed: &Observed, found: &mut Vec<Blocker>) {
    let ours = marker(desired);
    for task in &desired.schedules {
        let Some(owner) = observed.rules.get(&task.rule).and_then(|rule| other_owner(&rule.tags, &ours)) else {
            continue;
        };
        found.push(Blocker {
            message: format!(
                "schedule rule {} (schedule `{}`) belongs to {owner} (its {} tag), not {}",
                task.rule, task.name, ours.key, ours.value
            ),
            hint: format!(
                "in a shared cluster (ECS_CLUSTER_ID) schedules of the same name share a rule: rename `{}` in this                  app's schedule file, or deploy the branch to a cluster of its own; nothing was changed",
                task.name
            ),
        });
    }
}

/// A shared load balancer (ALB_NAME_OVERRIDE) is someone else's: maestro only adds the app's
/// host rule to its listener. Without the load balancer or that listener, no rule can route to
/// the app's target group, and CreateService refuses "a target group that does not have an
/// associated load balancer".
fn shared_load_balancer(desired: &DesiredState, observed: &Observed, found: &mut Vec<Blocker>) {
    let Some(balancer) = desired.load_balancer.as_ref().filter(|balancer| balancer.shared) else { return };
    let port = balancer.listener.port;
    match &observed.load_balancer {
        None => found.push(Blocker {
            message: format!("the shared load balancer {} (ALB_NAME_OVERRIDE) does not exist", balancer.name),
            hint: format!(
                "create it with a listener on port {port}, or correct ALB_NAME_OVERRIDE (unset, the app gets a load \
                 balancer of its own); nothing was changed"
            ),
        }),
        Some(live) if !live.listeners.iter().any(|listener| listener.port == port) => found.push(Blocker {
            message: format!(
                "the shared load balancer {} has no listener on port {port} for the rule routing {} to the app",
                balancer.name,
                balancer.host.as_deref().unwrap_or_default()
            ),
            hint: format!(
                "add a listener on port {port} to {} ({}), or use another load balancer; nothing was changed",
                balancer.name,
                if port == 443 { "HTTPS, since ALB_CERTIFICATE_ARN is set" } else { "HTTP" }
            ),
        }),
        Some(_) => {}
    }
}

/// ECS resolves `secrets` with the execution role, and Fargate refuses to register a task
/// definition with secrets and none. The planner requires the role whenever it knows it is
/// needed; the app's secret is known only once read.
fn secret_without_execution_role(desired: &DesiredState, observed: &Observed, found: &mut Vec<Blocker>) {
    let Some(secret) = observed.secret.as_ref().filter(|secret| !secret.keys.is_empty()) else { return };
    let without_role: Vec<&str> = desired
        .task_definitions
        .iter()
        .filter(|definition| !definition.has_execution_role())
        .map(|definition| definition.family.as_str())
        .collect();
    if without_role.is_empty() {
        return;
    }
    found.push(Blocker {
        message: format!(
            "secret {} has {} keys, which ECS resolves with the execution role, and {} {} none",
            desired.secret,
            secret.keys.len(),
            without_role.join(", "),
            if without_role.len() == 1 { "has" } else { "have" }
        ),
        hint: "set ECS_EXECUTION_ROLE_ARN to a role ECS tasks can assume, with secretsmanager:GetSecretValue on the \
               secret (docs/iam.md#the-execution-role); nothing was changed"
            .to_owned(),
    });
}
