//! `maestro status`, pure: what the account runs of the plan, read by the binary and judged here.
//! Per process: the service's state, its task counts, the live revision and its image, a
//! deployment in progress, the scaling bounds, the URL and the last service events; then each
//! schedule. `render` prints it for people; the JSON is these types (docs/status.md).

mod image;
pub mod next_run;
pub mod render;

use std::collections::{BTreeMap, BTreeSet};

use serde::Serialize;

use crate::history::{self, Numbered, family_revision};
use crate::plan::desired::DesiredState;
use crate::provision::observed::{ObservedRule, ObservedScalableTarget, ObservedService, ObservedTaskDefinition};
use crate::redact::Redactor;
use crate::rollout::ObservedRollout;
use crate::rollout::service_deployment::ObservedServiceDeployment;

pub use image::ImageParts;
pub use next_run::{NextRun, next_run};

/// How many of a service's newest events the status shows.
pub const EVENTS_SHOWN: usize = 3;

/// The environment as it runs.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Status {
    /// The release the services run (`history::running`): `None` when no record matches the
    /// live revisions (none recorded yet, or services changed outside maestro).
    pub current_release: Option<CurrentRelease>,
    pub processes: Vec<ProcessStatus>,
    pub schedules: Vec<ScheduleStatus>,
}

/// The release record the environment's services run.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CurrentRelease {
    pub number: u64,
    pub commit: String,
    /// `deploy`, `rollback to <n>` or `restart`.
    pub kind: String,
    /// When it was recorded, Unix seconds.
    pub time: u64,
}

/// What ECS says of a planned service.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum ServiceLife {
    Active,
    /// Deleted, its tasks still stopping.
    Draining,
    /// Not there (never deployed, or deleted and gone).
    Missing,
}

impl ServiceLife {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Active => "ACTIVE",
            Self::Draining => "DRAINING",
            Self::Missing => "missing",
        }
    }
}

/// One process that runs as a service.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ProcessStatus {
    pub process: String,
    pub service: String,
    pub state: ServiceLife,
    pub desired: u32,
    /// Tasks running and pending, every deployment of the service counted.
    pub running: u32,
    pub pending: u32,
    /// The revision the service runs (its ARN).
    pub task_definition: Option<String>,
    /// The app container's image in that revision, and what its reference says.
    pub image: Option<ImageParts>,
    /// A deployment that has not completed yet (the newest, PRIMARY one).
    pub deployment: Option<DeploymentInProgress>,
    /// ECS's service deployment still under way: its status, lifecycle stage, and whether a
    /// PAUSE hook holds it for approval.
    pub service_deployment: Option<ServiceDeploymentStatus>,
    /// Application Auto Scaling's bounds, when the service has a scalable target.
    pub scaling: Option<ScalingBounds>,
    pub url: Option<String>,
    /// The newest events, newest first, redacted and inert (text relayed from ECS).
    pub events: Vec<StatusEvent>,
}

/// A deployment still rolling out.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DeploymentInProgress {
    pub id: String,
    /// ECS's `rolloutState`: `IN_PROGRESS`, `FAILED` or `COMPLETED` (while older ones drain).
    pub rollout_state: String,
    pub reason: Option<String>,
    pub running: u32,
    pub pending: u32,
    pub desired: u32,
    /// Older deployments still holding tasks.
    pub draining_deployments: usize,
}

/// A service deployment that has not finished.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ServiceDeploymentStatus {
    pub status: String,
    pub stage: Option<String>,
    /// A PAUSE hook holds it until `maestro continue` or `maestro abort`.
    pub awaiting_approval: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct ScalingBounds {
    pub min: u32,
    pub max: u32,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct StatusEvent {
    /// Milliseconds since the Unix epoch, as ECS stamped it.
    pub created_at: Option<i64>,
    pub message: String,
}

/// One schedule of the plan.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ScheduleStatus {
    pub name: String,
    pub rule: String,
    /// `None` when the rule does not exist.
    pub enabled: Option<bool>,
    /// The rule's expression as EventBridge holds it; the plan's when the rule is missing.
    pub expression: String,
    /// When an enabled rule runs next (`None` when disabled, missing, or not read).
    pub next_run: Option<NextRun>,
}

/// What the binary read for the status.
#[derive(Debug, Clone, Copy)]
pub struct Seen<'a> {
    pub services: &'a BTreeMap<String, Option<ObservedService>>,
    pub draining: &'a BTreeSet<String>,
    pub rollouts: &'a [ObservedRollout],
    /// Each service's current service deployment, by service name (none when not read).
    pub service_deployments: &'a BTreeMap<String, Option<ObservedServiceDeployment>>,
    /// The live revisions, by ARN.
    pub task_definitions: &'a BTreeMap<String, ObservedTaskDefinition>,
    pub scalable_targets: &'a BTreeMap<String, ObservedScalableTarget>,
    pub rules: &'a BTreeMap<String, ObservedRule>,
    /// Where the load-balanced process answers.
    pub url: Option<&'a str>,
    /// The environment's release records (any order).
    pub releases: &'a [Numbered],
    /// Now, milliseconds since the Unix epoch: what a schedule's next run follows.
    pub now: i64,
}

/// Nothing of the environment exists: no service, no schedule rule.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("nothing of {cluster} is deployed: no service and no schedule of the plan exists")]
pub struct NothingDeployed {
    pub cluster: String,
}

/// The status of `desired`'s processes and schedules from what was `seen`; event text is relayed
/// through `redactor`.
pub fn status(desired: &DesiredState, seen: Seen<'_>, redactor: &Redactor) -> Result<Status, NothingDeployed> {
    let processes: Vec<ProcessStatus> =
        desired.services.iter().map(|service| process(desired, service, seen, redactor)).collect();
    let schedules: Vec<ScheduleStatus> = desired
        .schedules
        .iter()
        .map(|schedule| {
            let rule = seen.rules.get(&schedule.rule);
            ScheduleStatus {
                name: schedule.name.clone(),
                rule: schedule.rule.clone(),
                enabled: rule.map(|rule| rule.enabled),
                expression: rule.map_or_else(|| schedule.expression.clone(), |rule| rule.expression.clone()),
                next_run: rule.filter(|rule| rule.enabled).and_then(|rule| next_run(&rule.expression, seen.now)),
            }
        })
        .collect();
    let nothing = processes.iter().all(|process| process.state == ServiceLife::Missing)
        && schedules.iter().all(|schedule| schedule.enabled.is_none());
    if nothing {
        return Err(NothingDeployed { cluster: desired.cluster.name.clone() });
    }
    let live: BTreeMap<String, String> = processes
        .iter()
        .filter(|process| process.state == ServiceLife::Active)
        .filter_map(|process| Some((process.process.clone(), family_revision(process.task_definition.as_deref()?))))
        .collect();
    let current_release = history::running(seen.releases, &live).map(|found| CurrentRelease {
        number: found.number,
        commit: found.release.commit.clone(),
        kind: found.release.kind.label(),
        time: found.release.time,
    });
    Ok(Status { current_release, processes, schedules })
}

fn process(
    desired: &DesiredState,
    service: &crate::plan::desired::Service,
    seen: Seen<'_>,
    redactor: &Redactor,
) -> ProcessStatus {
    let live = seen.services.get(&service.name).and_then(Option::as_ref);
    let state = match (live, seen.draining.contains(&service.name)) {
        (Some(_), _) => ServiceLife::Active,
        (None, true) => ServiceLife::Draining,
        (None, false) => ServiceLife::Missing,
    };
    let rollout = live.and(seen.rollouts.iter().find(|rollout| rollout.service == service.name));
    let deployments = rollout.map(|rollout| rollout.deployments.as_slice()).unwrap_or_default();
    let container = desired
        .task_definitions
        .iter()
        .find(|definition| definition.family == service.task_definition)
        .map(|definition| definition.container.as_str());
    let task_definition = live.map(|live| live.task_definition.clone());
    let image = task_definition
        .as_ref()
        .and_then(|arn| seen.task_definitions.get(arn))
        .zip(container)
        .and_then(|(definition, container)| image::of_container(&definition.definition, container))
        .map(|reference| ImageParts::parse(&reference));
    // The account's target, planned or not: `maestro stop` pins a stopped service's at 0-0.
    let resource_id = crate::naming::scalable_target_of(&desired.cluster.name, &service.name);
    let scaling = live
        .and(seen.scalable_targets.get(&resource_id))
        .map(|target| ScalingBounds { min: target.min, max: target.max });
    ProcessStatus {
        process: service.process.clone(),
        service: service.name.clone(),
        state,
        desired: live.map_or(0, |live| live.desired_count),
        running: deployments.iter().map(|deployment| deployment.running).sum(),
        pending: deployments.iter().map(|deployment| deployment.pending).sum(),
        task_definition,
        image,
        deployment: in_progress(rollout),
        service_deployment: live
            .and(seen.service_deployments.get(&service.name))
            .and_then(Option::as_ref)
            .filter(|found| !found.is_finished())
            .map(|found| ServiceDeploymentStatus {
                status: found.status.clone(),
                stage: found.stage.clone(),
                awaiting_approval: found.paused().is_some(),
            }),
        scaling,
        url: (service.load_balanced && live.is_some()).then(|| seen.url.map(str::to_owned)).flatten(),
        events: rollout
            .map(|rollout| {
                rollout
                    .events
                    .iter()
                    .take(EVENTS_SHOWN)
                    .map(|event| StatusEvent { created_at: event.created_at, message: redactor.relay(&event.message) })
                    .collect()
            })
            .unwrap_or_default(),
    }
}

/// The PRIMARY deployment, unless it completed with no older one left: ECS keeps an ACTIVE
/// deployment while its tasks drain, so a completed rollout still draining is in progress too.
fn in_progress(rollout: Option<&ObservedRollout>) -> Option<DeploymentInProgress> {
    let deployments = &rollout?.deployments;
    let primary = deployments.iter().find(|deployment| deployment.status == "PRIMARY")?;
    let older = deployments.iter().filter(|deployment| deployment.status != "PRIMARY").count();
    let settled = primary.rollout_state == "COMPLETED" && primary.running >= primary.desired;
    if settled && older == 0 {
        return None;
    }
    Some(DeploymentInProgress {
        id: primary.id.clone(),
        rollout_state: primary.rollout_state.clone(),
        reason: primary.reason.clone(),
        running: primary.running,
        pending: primary.pending,
        desired: primary.desired,
        draining_deployments: older,
    })
}

#[cfg(test)]
mod tests;
