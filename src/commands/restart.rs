//! `maestro restart [process …]`: a new deployment of each named service (every running one by
//! default) with the task definition it runs, so new tasks read the app secret's current values;
//! under the deploy lease, like `deploy` and `stop`, then waited for as `deploy` waits (each
//! deployment by its id, heartbeats, this run's events, the outcome table). Unknown names are bad
//! input before any AWS call; a schedule's or one-off's process, or a stopped service, is skipped
//! with why. Reported in the CI's job summary (the run's table); the deploy's other reporters
//! (GitHub deployments, commit statuses, markers) speak of a commit's deploy, which a restart
//! is not, so they are not told.

use std::collections::BTreeMap;

use serde::Serialize;

use super::prepare;
use crate::aws::calls::{CallCounts, CallLog};
use crate::cli::RestartArgs;
use crate::engine;
use crate::engine::lease::with_lease;
use crate::engine::restart::Restarted;
use crate::engine::rollout::{LastProgress, RolloutResult, RolloutWatch};
use crate::error::{Error, Failure};
use crate::output::Report;
use crate::pipeline::{Destination, ValidatedInputs};
use crate::workflow::Group;
use maestro_core::ci::Ci;
use maestro_core::env::Env;
use maestro_core::history::{self, Outcome, Ran};
use maestro_core::plan::render;
use maestro_core::request::DeployRequest;
use maestro_core::restart::{self, Restart, Skipped};
use maestro_core::rollout::{ServiceOutcome, ServiceState, acted_on};
use maestro_core::settings::WaitSettings;

#[derive(Serialize)]
pub(super) struct RestartReport {
    request: DeployRequest,
    restarted: Vec<Restart>,
    skipped: Vec<Skipped>,
    services: Vec<ServiceOutcome>,
    aws_calls: CallCounts,
    rollout_polls: u32,
    /// The release this restart was recorded as (`maestro releases`), when it was.
    recorded_release: Option<u64>,
    /// Services whose new deployment did not complete: the run fails after its report.
    #[serde(skip)]
    failure: Option<Failure>,
}

pub(super) async fn run(args: &RestartArgs, env: Env) -> Result<RestartReport, Error> {
    let inputs = prepare::validate(&args.app, env)?;
    let plan = inputs.plan();
    restart::check_names(&args.processes, &plan.service_processes(), &plan.other_processes())?;
    let log = CallLog::default();
    let to = inputs.connect(&log).await?;
    let waiting = inputs.settings.waiting;
    let (restarted, result, recorded_release) = with_lease(&to.session, &to.desired.request, &waiting, async || {
        // Events ECS logs from here on are this run's.
        let since = i64::try_from(crate::clock::unix_millis()).unwrap_or(i64::MAX);
        let restarted = engine::restart::restart(&to.clients, &to.desired, &args.processes).await?;
        for skipped in &restarted.skipped {
            tracing::info!("{}: skipped: it {}", skipped.process, skipped.why);
        }
        let result = wait(&inputs, &to, &restarted.watches, since).await?;
        // Still under the lease: release numbers follow the runs' order.
        let recorded = record(&to, &restarted.restarts, result.as_ref()).await;
        Ok::<_, Error>((restarted, result, recorded))
    })
    .await?;
    let Restarted { restarts, watches, skipped } = restarted;
    let explanations = explain(&to, &waiting, &watches, result.as_ref()).await;
    let services = outcomes(&restarts, result.as_ref());
    let failure = failure("the restart", &services, explanations);
    let report = RestartReport {
        request: to.desired.request,
        restarted: restarts,
        skipped,
        services,
        aws_calls: log.counts(),
        rollout_polls: result.map_or(0, |result| result.polls),
        recorded_release,
        failure,
    };
    let markdown = restart::summary(&render::headline(&report.request), &report.services, &report.skipped);
    crate::reporters::job_summary(&inputs.env, report.request.ci, &markdown);
    Ok(report)
}

/// Records the restart as a release of the release that ran (`history::running`), when a
/// service was restarted and the records say which release runs; a warning otherwise, as a
/// deploy's record is: the restart itself is done.
async fn record(to: &Destination, restarts: &[Restart], result: Option<&RolloutResult>) -> Option<u64> {
    if restarts.is_empty() {
        return None;
    }
    let request = &to.desired.request;
    let releases = match engine::history::releases(&to.session, request).await {
        Ok((releases, _)) => releases,
        Err(failure) => {
            tracing::warn!("the restart was not recorded: {failure}");
            return None;
        }
    };
    let live: BTreeMap<String, String> = restarts
        .iter()
        .map(|restart| (restart.process.clone(), history::family_revision(&restart.task_definition)))
        .collect();
    let Some(running) = history::running(&releases, &live) else {
        tracing::info!("the restart is not recorded: no release record has the revisions the services run");
        return None;
    };
    let services = outcomes(restarts, result);
    let outcome = match failure("the restart", &services, Vec::new()) {
        None => Outcome::Succeeded,
        Some(failure) => Outcome::Failed { reason: history::one_line(&failure.message) },
    };
    let ran = Ran { who: request.actor.clone(), run_url: request.run_url.clone(), time: crate::clock::unix_seconds() };
    let release = history::restart(&running.release, &live, ran, outcome);
    engine::history::record(&to.session, request, &release, !to.desired.image.source.is_prebuilt()).await
}

/// Why each failed deployment failed, one line each, prefixed by its service.
pub(super) async fn explain(
    to: &Destination,
    waiting: &WaitSettings,
    watches: &[RolloutWatch],
    result: Option<&RolloutResult>,
) -> Vec<String> {
    let mut explanations = Vec::new();
    for end in result.iter().flat_map(|result| &result.ended).filter(|end| end.state == ServiceState::Failed) {
        if let Some(watch) = watches.iter().find(|watch| watch.service == end.service) {
            let lines = engine::rollout::explain(&to.clients, &to.desired, waiting, &watch.service, &watch.deployment);
            explanations.extend(lines.await.into_iter().map(|line| format!("{}: {line}", watch.service)));
        }
    }
    explanations
}

/// Follows each new deployment (unless MAESTRO_NO_WAIT) until it ends or the CI cancels the job
/// (`maestro rollback` shares it).
pub(super) async fn wait(
    inputs: &ValidatedInputs,
    to: &Destination,
    watches: &[RolloutWatch],
    since: i64,
) -> Result<Option<RolloutResult>, Error> {
    let waiting = &inputs.settings.waiting;
    if waiting.no_wait || watches.is_empty() {
        return Ok(None);
    }
    let last_progress = LastProgress::default();
    let _group = Group::start(to.desired.request.ci, "maestro_rollout", "Wait for the services' new deployments");
    let cluster = &to.desired.cluster.name;
    let unattended = Ci::unattended(&inputs.env);
    let waited = crate::clock::Stopwatch::start();
    tokio::select! {
        result = engine::rollout::wait(&to.clients, cluster, watches, waiting, false, since, unattended, &last_progress) => Ok(Some(result?)),
        () = crate::cancel::requested() => {
            tracing::warn!("maestro was stopped while waiting; ECS goes on with the deployments shown as cancelled");
            let ended = watches.iter().map(|watch| last_progress.ended(&watch.service).unwrap_or_else(|| {
                crate::engine::rollout::RolloutEnd {
                    service: watch.service.clone(),
                    state: ServiceState::Cancelled,
                    reason: Some("maestro stopped waiting; the deployment goes on".to_owned()),
                    seconds: waited.elapsed().as_secs(),
                    paused: None,
                }
            }));
            Ok(Some(RolloutResult { ended: ended.collect(), polls: 0 }))
        }
    }
}

/// Each restarted service as the wait left it (`not waited` when it did not wait).
pub(super) fn outcomes(restarts: &[Restart], result: Option<&RolloutResult>) -> Vec<ServiceOutcome> {
    restarts
        .iter()
        .map(|restart| {
            let end = result.and_then(|result| result.ended.iter().find(|end| end.service == restart.service));
            let (state, reason, seconds) = match (end, result) {
                (Some(end), _) => (end.state, end.reason.clone(), end.seconds),
                (None, None) => (ServiceState::NotWaited, None, 0),
                (None, Some(_)) => (ServiceState::Failed, Some("not followed".to_owned()), 0),
            };
            ServiceOutcome {
                process: restart.process.clone(),
                service: restart.service.clone(),
                task_definition: restart.task_definition.clone(),
                image: String::new(),
                state,
                reason,
                seconds,
                url: None,
            }
        })
        .collect()
}

/// `what` (`the restart`) failed when a service did not roll out.
pub(super) fn failure(what: &str, outcomes: &[ServiceOutcome], explanations: Vec<String>) -> Option<Failure> {
    let failed: Vec<&ServiceOutcome> = outcomes.iter().filter(|outcome| !outcome.succeeded()).collect();
    if failed.is_empty() {
        return None;
    }
    let mut failure =
        Failure::new(format!("{what} failed: {} of {} services did not roll out", failed.len(), outcomes.len()));
    for outcome in failed {
        let reason = outcome.reason.as_deref().unwrap_or("no reason given");
        failure = failure.detail(format!("{} {}: {reason}", outcome.service, outcome.state));
    }
    for line in explanations {
        failure = failure.detail(line);
    }
    Some(failure.hint("see each service's events above; a failed deployment rolled back keeps the previous tasks"))
}

impl Report for RestartReport {
    fn human(&self) -> String {
        let left: Vec<(&str, &str)> =
            self.skipped.iter().map(|skipped| (skipped.process.as_str(), skipped.why.as_str())).collect();
        let first_line = format!("restart {}", render::headline(&self.request));
        acted_on(&first_line, "skipped", &left, "nothing to restart", &self.services)
    }

    fn failure(&self) -> Option<&Failure> {
        self.failure.as_ref()
    }
}
