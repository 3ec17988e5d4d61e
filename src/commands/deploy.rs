//! `maestro deploy`: the commit's image built when missing, then every resource of the app made
//! to match the plan, changing only what differs.
//!
//! Inputs are checked completely before the first AWS call, then the build's tools, and the
//! account comes from the credentials (see `prepare`). The `release` process runs between the
//! task definitions and the services, and a failed release leaves every service as it was.

use std::io::Write;

use serde::Serialize;

use super::prepare;
use crate::aws::Clients;
use crate::aws::calls::{CallCounts, CallLog};
use crate::build::Built;
use crate::cli::{DeployArgs, Output};
use crate::core::build::BuiltImage;
use crate::core::env::Env;
use crate::core::plan::desired::DesiredState;
use crate::core::provision::action::Action;
use crate::core::provision::diff::Options;
use crate::core::release;
use crate::core::request::DeployRequest;
use crate::core::rollout::{ServiceOutcome, table};
use crate::engine;
use crate::engine::rollout::{self, Board, Finished, Waited, Watched};
use crate::error::{Error, Failure};

#[derive(Serialize)]
struct Deployed<'a> {
    request: &'a DeployRequest,
    image: &'a BuiltImage,
    actions: &'a [Action],
    services: &'a [ServiceOutcome],
    warnings: &'a [String],
    aws_calls: CallCounts,
    /// DescribeServices polls while waiting for the rollouts.
    rollout_polls: u32,
}

pub(super) fn run(args: &DeployArgs, env: Env, stdout: &mut dyn Write) -> Result<(), Error> {
    let checked = prepare::check(&args.app, env)?;
    let log = CallLog::default();
    let runtime = tokio::runtime::Runtime::new()?;
    let (desired, built, deployed) = runtime.block_on(async {
        let pack = super::build::tools(&checked).await?;
        let (session, desired) = prepare::connect(&checked).await?;
        let clients = Clients::new(&session, &log);
        let built = super::build::stage(&checked, &args.app.app, &session, &clients, &desired, pack.as_deref()).await?;
        if checked.settings.build.only {
            return Ok::<_, Error>((desired, built, None));
        }
        let deployed = roll(args, &checked, &clients, &desired).await?;
        Ok((desired, built, Some(deployed)))
    })?;
    let Some((prepared, outcomes, polls, explanations)) = deployed else {
        tracing::info!("MAESTRO_ONLY_BUILD=true: stopping after the build");
        return super::build::report(args.app.output, stdout, &desired.request, &built, log.counts());
    };

    for warning in &prepared.warnings {
        tracing::warn!("{warning}");
    }
    let counts = log.counts();
    match args.app.output {
        Output::Json => {
            let report = Deployed {
                request: &desired.request,
                image: &built.image,
                actions: &prepared.actions,
                services: &outcomes,
                warnings: &prepared.warnings,
                aws_calls: counts,
                rollout_polls: polls,
            };
            serde_json::to_writer_pretty(&mut *stdout, &report).map_err(std::io::Error::from)?;
            stdout.write_all(b"\n")?;
        }
        Output::Human => {
            let mut text = human(&desired.request, &built, &prepared.actions, &counts);
            text.push('\n');
            text.push_str(&table(&outcomes));
            stdout.write_all(text.as_bytes())?;
        }
    }
    let failed: Vec<String> = outcomes
        .iter()
        .filter(|outcome| !outcome.succeeded())
        .map(|outcome| {
            format!("{} {}: {}", outcome.service, outcome.state, outcome.reason.as_deref().unwrap_or("no reason given"))
        })
        .collect();
    if failed.is_empty() {
        return Ok(());
    }
    let mut failure =
        Failure::new(format!("the deploy failed: {} of {} services did not roll out", failed.len(), outcomes.len()));
    for line in failed.into_iter().chain(explanations) {
        failure = failure.detail(line);
    }
    Err(failure
        .hint("see each service's events above and in the ECS console; services that deployed are listed as deployed")
        .into())
}

/// What the deploy part of a run produced.
type Rolled = (engine::Prepared, Vec<ServiceOutcome>, u32, Vec<String>);

/// Provision, release, roll the services and wait for them.
async fn roll(
    args: &DeployArgs,
    checked: &prepare::Checked,
    clients: &Clients,
    desired: &DesiredState,
) -> Result<Rolled, Error> {
    let waiting = checked.waiting();
    let mut prepared = engine::prepare(clients, desired, Options { prune: args.prune }).await?;
    // Infrastructure and task definitions first; then the release; only then the services.
    prepared.apply(clients, 0..=1).await?;
    if let Some(release) = &desired.release
        && release::needed(&prepared.actions, args.force)
    {
        let arn = prepared.task_definition_arn(&release.family)?;
        engine::release::run(clients, desired, release, &arn, &waiting).await?;
    }
    prepared.apply(clients, 2..=u8::MAX).await?;
    let watched: Vec<Watched> = desired
        .services
        .iter()
        .filter_map(|service| {
            prepared
                .deployment_of(&service.name)
                .map(|(deployment, _)| Watched { service: service.name.clone(), deployment })
        })
        .collect();
    let waited = if waiting.no_wait {
        prepared.warnings.push(
            "MAESTRO_NO_WAIT=true: maestro did not wait for the rollouts, so a failed deployment is not reported"
                .to_owned(),
        );
        None
    } else {
        let board = Board::default();
        tokio::select! {
            waited = rollout::wait(clients, &desired.cluster.name, &watched, &waiting, &board) => Some(waited?),
            () = super::shutdown() => {
                prepared.warnings.push("maestro was stopped while waiting; ECS goes on with the deployments shown as cancelled".to_owned());
                Some(cancelled(&watched, &board))
            }
        }
    };
    let mut explanations = Vec::new();
    for finished in waited.iter().flat_map(|waited| &waited.finished).filter(|finished| finished.state == "failed") {
        if let Some(watched) = watched.iter().find(|watched| watched.service == finished.service) {
            for line in rollout::explain(clients, desired, &watched.service, &watched.deployment).await {
                explanations.push(format!("{}: {line}", watched.service));
            }
        }
    }
    let url = app_url(clients, desired).await;
    let outcomes = outcomes(desired, &prepared, waited.as_ref(), url.as_deref());
    Ok((prepared, outcomes, waited.map_or(0, |waited| waited.polls), explanations))
}

/// Every followed service as left when the wait was cancelled, with its last known state.
fn cancelled(watched: &[Watched], board: &Board) -> Waited {
    let board = board.lock().map(|board| board.clone()).unwrap_or_default();
    let finished = watched
        .iter()
        .map(|watched| {
            let last = board.get(&watched.service).map_or("not polled yet", String::as_str);
            let reason = format!("maestro stopped waiting; the deployment goes on (last seen: {last})");
            Finished { service: watched.service.clone(), state: "cancelled", reason: Some(reason), seconds: 0 }
        })
        .collect();
    Waited { finished, polls: 0 }
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
            let finished =
                waited.and_then(|waited| waited.finished.iter().find(|finished| finished.service == service.name));
            let (state, reason, seconds) = match (&deployment, finished, waited) {
                (None, _, _) => ("unchanged".to_owned(), None, 0),
                (Some(_), Some(finished), _) => (finished.state.to_owned(), finished.reason.clone(), finished.seconds),
                (Some(_), None, None) => ("not waited".to_owned(), None, 0),
                (Some(_), None, Some(_)) => ("failed".to_owned(), Some("not followed".to_owned()), 0),
            };
            let task_definition = deployment
                .map(|(_, arn)| arn)
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

fn human(request: &DeployRequest, built: &Built, actions: &[Action], counts: &CallCounts) -> String {
    let mut out = format!(
        "{} @ {} ({}) in account {}, {}\n",
        request.repository,
        request.branch.as_deref().unwrap_or_default(),
        request.short_sha,
        request.account_id.as_deref().unwrap_or_default(),
        request.region.as_deref().unwrap_or_default()
    );
    out.push_str(&super::build::image_line(&built.image));
    for note in built.notes.iter().filter(|note| note.starts_with("created")) {
        out.push_str(&format!("  {note}\n"));
    }
    out.push_str(&super::plan::changes(actions));
    out.push_str(&format!("AWS calls: {} reads, {} writes\n", counts.reads, counts.writes));
    out
}
