//! The deploy after the build: provision, release, roll the services and wait for them, each
//! phase a collapsible group in CI; the release is reported to the reporters.

use super::prepare;
use crate::aws::Clients;
use crate::cli::DeployArgs;
use crate::engine;
use crate::engine::rollout::{self, LastProgress, RolloutEnd, Waited, Watched};
use crate::error::Error;
use crate::reporters::Reporters;
use crate::workflow::Group;
use maestro_core::plan::desired::DesiredState;
use maestro_core::provision::diff::Options;
use maestro_core::provision::stage::Stage;
use maestro_core::release;
use maestro_core::report::Event;
use maestro_core::rollout::{ServiceOutcome, ServiceState};

/// What the deploy part of a run produced.
pub(super) struct Rolled {
    /// The changes it made, and the warnings of the run.
    pub prepared: engine::Prepared,
    pub outcomes: Vec<ServiceOutcome>,
    /// DescribeServices polls while waiting for the rollouts.
    pub polls: u32,
    /// Why failed deployments failed (their stopped tasks, the end of a log), one line each.
    pub explanations: Vec<String>,
}

/// Provision, release, roll the services and wait for them.
pub(super) async fn roll(
    args: &DeployArgs,
    checked: &prepare::Checked,
    clients: &Clients,
    desired: &DesiredState,
    reporters: &mut Option<Reporters>,
) -> Result<Rolled, Error> {
    let waiting = checked.waiting();
    let ci = desired.request.ci;
    // Infrastructure and task definitions first; then the release; only then the services.
    let group = Group::start(ci, "maestro_provision", "Provision the cluster, load balancer and task definitions");
    let mut prepared = engine::prepare(clients, desired, Options { prune: args.prune }).await?;
    prepared.apply(clients, Stage::BEFORE_RELEASE).await?;
    drop(group);
    if let Some(release) = &desired.release
        && release::needed(&prepared.actions, args.force)
    {
        let arn = prepared.task_definition_arn(&release.family)?;
        let group = Group::start(ci, "maestro_release", &format!("Run the release process ({})", release.family));
        engine::release::run(clients, desired, release, &arn, &waiting).await?;
        drop(group);
        if let Some(reporters) = reporters {
            reporters.emit(&Event::Released).await;
        }
    }
    let group = Group::start(ci, "maestro_services", "Update the services, autoscaling and schedules");
    prepared.apply(clients, Stage::AFTER_RELEASE).await?;
    drop(group);
    let watched: Vec<Watched> = desired
        .services
        .iter()
        .filter_map(|service| {
            prepared
                .deployment_of(&service.name)
                .map(|deployment| Watched { service: service.name.clone(), deployment: deployment.id.clone() })
        })
        .collect();
    let waited = if waiting.no_wait {
        prepared.warnings.push(
            "MAESTRO_NO_WAIT=true: maestro did not wait for the rollouts, so a failed deployment is not reported"
                .to_owned(),
        );
        None
    } else {
        let last_progress = LastProgress::default();
        let group = Group::start(ci, "maestro_rollout", "Wait for the services' deployments");
        let waited = tokio::select! {
            waited = rollout::wait(clients, &desired.cluster.name, &watched, &waiting, &last_progress) => Some(waited?),
            () = crate::cancel::requested() => {
                prepared.warnings.push("maestro was stopped while waiting; ECS goes on with the deployments shown as cancelled".to_owned());
                Some(cancelled(&watched, &last_progress))
            }
        };
        drop(group);
        waited
    };
    let mut explanations = Vec::new();
    for end in waited.iter().flat_map(|waited| &waited.ended).filter(|end| end.state == ServiceState::Failed) {
        if let Some(watched) = watched.iter().find(|watched| watched.service == end.service) {
            for line in rollout::explain(clients, desired, &watched.service, &watched.deployment).await {
                explanations.push(format!("{}: {line}", watched.service));
            }
        }
    }
    let url = app_url(clients, desired).await;
    let outcomes = outcomes(desired, &prepared, waited.as_ref(), url.as_deref());
    Ok(Rolled { prepared, outcomes, polls: waited.map_or(0, |waited| waited.polls), explanations })
}

/// Every followed service as left when the wait was cancelled, with its last known state.
fn cancelled(watched: &[Watched], last_progress: &LastProgress) -> Waited {
    let ended = watched
        .iter()
        .map(|watched| {
            let last = last_progress.of(&watched.service).unwrap_or_else(|| "not polled yet".to_owned());
            let reason = format!("maestro stopped waiting; the deployment goes on (last seen: {last})");
            RolloutEnd {
                service: watched.service.clone(),
                state: ServiceState::Cancelled,
                reason: Some(reason),
                seconds: 0,
            }
        })
        .collect();
    Waited { ended, polls: 0 }
}

/// Where the app answers: its host, or its load balancer's DNS name.
async fn app_url(clients: &Clients, desired: &DesiredState) -> Option<String> {
    let balancer = desired.load_balancer.as_ref()?;
    let scheme = if balancer.certificate_arn.is_some() { "https" } else { "http" };
    if let Some(host) = &balancer.host {
        return Some(format!("{scheme}://{host}"));
    }
    let live = clients.elb.load_balancer(&balancer.name, None).await.ok()??;
    Some(format!("{scheme}://{}", live.dns_name))
}

fn outcomes(
    desired: &DesiredState,
    prepared: &engine::Prepared,
    waited: Option<&Waited>,
    url: Option<&str>,
) -> Vec<ServiceOutcome> {
    desired
        .services
        .iter()
        .map(|service| {
            let deployment = prepared.deployment_of(&service.name);
            let end = waited.and_then(|waited| waited.ended.iter().find(|end| end.service == service.name));
            let (state, reason, seconds) = match (&deployment, end, waited) {
                (None, _, _) => (ServiceState::Unchanged, None, 0),
                (Some(_), Some(end), _) => (end.state, end.reason.clone(), end.seconds),
                (Some(_), None, None) => (ServiceState::NotWaited, None, 0),
                (Some(_), None, Some(_)) => (ServiceState::Failed, Some("not followed".to_owned()), 0),
            };
            let task_definition = deployment
                .map(|deployment| deployment.task_definition.clone())
                .or_else(|| prepared.task_definition_arn(&service.task_definition).ok())
                .unwrap_or_default();
            ServiceOutcome {
                process: service.process.clone(),
                service: service.name.clone(),
                task_definition,
                image: desired.image.uri.clone(),
                state,
                reason,
                seconds,
                url: service.load_balanced.then(|| url.map(str::to_owned)).flatten(),
            }
        })
        .collect()
}
