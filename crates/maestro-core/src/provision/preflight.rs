//! What stops a deploy once AWS has been read and before anything is written: the account holds
//! (or lacks) something the plan cannot work with, and AWS would refuse a later write after the
//! earlier ones were made. Tested with the diff's fixtures (`diff/tests/preflight.rs`).
use super::adoption;
use super::observed::Observed;
use super::ownership::Owner;
use crate::build::source::Source;
use crate::input::vars as var;
use crate::plan::desired::DesiredState;
use crate::spec::tags::Tag;

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
    found.extend(foreign(desired, observed));
    someone_elses_schedules(desired, observed, &mut found);
    secret_without_execution_role(desired, observed, &mut found);
    found.extend(detected_dockerfile_over_buildpacks(desired, observed));
    found
}

/// A Dockerfile build chosen only because the app's folder has a Dockerfile and no
/// `project.toml` (`build::source`), for an environment whose live task definitions start the
/// CNB launcher: the app was deployed with buildpacks, and a Rails app's generated Dockerfile, say,
/// must not move it to another stack unasked. The user says which, before anything is written.
fn detected_dockerfile_over_buildpacks(desired: &DesiredState, observed: &Observed) -> Option<Blocker> {
    let Source::Dockerfile(build) = &desired.image.source else { return None };
    if !build.detected {
        return None;
    }
    let family = observed.task_definitions.iter().find_map(|(family, live)| {
        let container = live.as_ref()?.definition.get("containerDefinitions")?.as_array()?.first()?;
        let entry_point = container.get("entryPoint")?.as_array()?;
        let launcher = desired.task_definitions.iter().any(|planned| {
            planned.family == *family
                && entry_point.len() == 1
                && (entry_point[0] == planned.process.as_str() || entry_point[0] == "launcher")
        });
        launcher.then_some(family)
    })?;
    Some(Blocker {
        message: format!(
            "the app's folder has a {} and no project.toml, so this deploy would build it with docker buildx, but the environment runs a buildpacks image ({family} starts the CNB launcher)",
            build.file
        ),
        hint: format!(
            "set {}=buildpacks to keep building with buildpacks (or add a project.toml), or {}=dockerfile to move this environment to the Dockerfile (docs/build-dockerfile.md)",
            var::MAESTRO_BUILD,
            var::MAESTRO_BUILD
        ),
    })
}

/// What this environment would adopt, update or delete but another environment's tags claim
/// (`provision::ownership`): never touched, the run stops naming both. The cluster (unless shared,
/// where every environment is a guest), the planned services, the load balancer (unless shared)
/// and target group. Schedule rules have their own message ([`someone_elses_schedules`]).
pub fn foreign(desired: &DesiredState, observed: &Observed) -> Vec<Blocker> {
    let owner = Owner::of(desired);
    let mut owned: Vec<(&str, &str, &[Tag])> = Vec::new();
    if let Some(live) = observed.cluster.as_ref().filter(|_| !desired.cluster.shared) {
        owned.push(("cluster", &desired.cluster.name, &live.tags));
    }
    for (name, live) in &observed.services {
        if let Some(live) = live {
            owned.push(("service", name, &live.tags));
        }
    }
    if let Some(balancer) = &desired.load_balancer {
        if let Some(live) = observed.load_balancer.as_ref().filter(|_| !balancer.shared) {
            owned.push(("load balancer", &live.name, &live.tags));
        }
        if let Some(live) = &observed.target_group {
            owned.push(("target group", &live.name, &live.tags));
        }
        // A shifting deploy's alternate target group: never another environment's.
        if let Some(live) = observed.traffic.as_ref().and_then(|traffic| traffic.alternate_target_group.as_ref()) {
            owned.push(("target group", &live.name, &live.tags));
        }
    }
    let mut found = Vec::new();
    for (kind, name, tags) in owned {
        let Some(claim) = owner.claim(tags) else { continue };
        found.push(Blocker {
            message: format!("{kind} {name} belongs to {} (its {} tag), not {}", claim.theirs, claim.key, claim.ours),
            hint: if claim.folded {
                format!(
                    "both environments get the same names: names are lower-cased and every character other than \
                     a-z, 0-9, `-` and `_` becomes `-` (docs/inputs.md, \"Names\"), so branches such as `MAIN` and `main`, \
                     or `feature/x` and `feature-x`, fold together; rename the branch, or deploy it under other names \
                     with MAESTRO_BRANCH_OVERRIDE; maestro never adopts another environment's {kind}; nothing was changed"
                )
            } else {
                format!(
                    "maestro never adopts another app's {kind}; deploy this app under another name \
                     (MAESTRO_REPO_OVERRIDE or MAESTRO_BRANCH_OVERRIDE), or remove the {kind} if it is unused; nothing was changed"
                )
            },
        });
    }
    found
}

/// A schedule rule under one of the app's rule names whose tags name another environment. In a
/// shared cluster (`ECS_CLUSTER_ID`) rule names hash the environment's names in
/// (`naming::Names::schedule_rule`), so only environments whose names fold alike, or rules named
/// before that, meet here: each deploy would point the rule at its own task definition.
fn someone_elses_schedules(desired: &DesiredState, observed: &Observed, found: &mut Vec<Blocker>) {
    let owner = Owner::of(desired);
    for task in &desired.schedules {
        let Some(claim) = observed.rules.get(&task.rule).and_then(|rule| owner.claim(&rule.tags)) else {
            continue;
        };
        found.push(Blocker {
            message: format!(
                "schedule rule {} (schedule `{}`) belongs to {} (its {} tag), not {}",
                task.rule, task.name, claim.theirs, claim.key, claim.ours
            ),
            hint: format!(
                "in a shared cluster (ECS_CLUSTER_ID) schedules of the same name share a rule when the environments' \
                 names fold alike: rename `{}` in this app's schedule file, or deploy the branch to a cluster of its \
                 own or under other names (MAESTRO_BRANCH_OVERRIDE); nothing was changed",
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
        // The previews' load balancer is created, with its listeners, before a preview's change
        // set is read (`maestro plan` reads it missing until the first preview).
        None if balancer.previews => {}
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
        Some(live)
            if balancer
                .test_listener
                .as_ref()
                .is_some_and(|test| !live.listeners.iter().any(|listener| listener.port == test.port)) =>
        {
            let test = balancer.test_listener.as_ref().map_or(0, |test| test.port);
            found.push(Blocker {
                message: format!(
                    "the shared load balancer {} has no test listener on port {test} for the rule sending {}'s test traffic to the new revision",
                    balancer.name,
                    balancer.host.as_deref().unwrap_or_default()
                ),
                hint: format!(
                    "a blue-green, canary or linear deploy on a shared load balancer adds a host rule to its owner's \
                     test listener: add a listener on port {test} to {}, or set {} to the port of the one it has; \
                     nothing was changed",
                    balancer.name,
                    crate::input::vars::MAESTRO_TEST_LISTENER_PORT
                ),
            });
        }
        Some(live) => {
            let host = balancer.host.as_deref().unwrap_or_default();
            let routed = live.rules.iter().any(|rule| rule.hosts.iter().any(|candidate| candidate == host));
            let taken = live.rules.iter().filter(|rule| rule.priority.is_some()).count();
            if !routed && taken >= RULES_PER_LOAD_BALANCER {
                let what = if balancer.previews { "open previews" } else { "apps routed there" };
                found.push(Blocker {
                    message: format!(
                        "the shared load balancer {} holds {taken} rules, the most a load balancer takes, so {host} gets none",
                        balancer.name
                    ),
                    hint: format!(
                        "remove {what} (`maestro previews prune`, or `maestro destroy`), or ask AWS to raise the quota \"Rules per Application Load Balancer\"; nothing was changed"
                    ),
                });
            }
        }
    }
}

/// "Rules per Application Load Balancer (excluding default rules): 100"
/// (https://docs.aws.amazon.com/elasticloadbalancing/latest/application/load-balancer-limits.html);
/// past it CreateRule answers `TooManyRules` after the target group exists.
const RULES_PER_LOAD_BALANCER: usize = 100;

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
