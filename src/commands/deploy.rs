//! `maestro deploy`: the commit's image built when missing, then every resource of the app made
//! to match the plan, changing only what differs.
//!
//! Inputs are checked completely before the first AWS call, then the build's tools, and the
//! account comes from the credentials (see `prepare`). The `release` process runs between the
//! task definitions and the services, and a failed release leaves every service as it was.

use std::time::Instant;

use serde::Serialize;

use super::prepare;
use super::roll::{Rolled, roll};

use super::build::BuildReport;
use crate::aws::calls::{CallCounts, CallLog};
use crate::aws::{Clients, Session};
use crate::build::Built;
use crate::cli::DeployArgs;
use crate::engine::lease::with_lease;
use crate::error::{Error, Failure};
use crate::output::Report;
use crate::reporters::Reporters;
use crate::workflow::Masker;
use maestro_core::build::BuiltImage;
use maestro_core::env::Env;
use maestro_core::plan::desired::DesiredState;
use maestro_core::plan::render;
use maestro_core::provision::action::Action;
use maestro_core::report::{self, Event};
use maestro_core::request::DeployRequest;
use maestro_core::rollout::{ServiceOutcome, table};

/// How a deploy ended: the build alone (MAESTRO_ONLY_BUILD), or the whole deploy.
#[derive(Serialize)]
#[serde(untagged)]
pub(super) enum DeployOutcome {
    Built(BuildReport),
    Deployed(DeployReport),
}

#[derive(Serialize)]
pub(super) struct DeployReport {
    request: DeployRequest,
    image: BuiltImage,
    actions: Vec<Action>,
    services: Vec<ServiceOutcome>,
    warnings: Vec<String>,
    aws_calls: CallCounts,
    /// DescribeServices polls while waiting for the rollouts.
    rollout_polls: u32,
    /// What the build noted, for people.
    #[serde(skip)]
    notes: Vec<String>,
    /// Services that did not roll out: the run fails after its report.
    #[serde(skip)]
    failure: Option<Failure>,
}

pub(super) async fn run(args: &DeployArgs, env: Env) -> Result<DeployOutcome, Error> {
    let checked = prepare::check(&args.app, env)?;
    let log = CallLog::default();
    let (desired, built, deployed) = {
        let pack = super::build::tools(&checked).await?;
        // A build alone is not a deploy: nothing is reported for it.
        let mut reporters = (!checked.settings.build.only).then(|| {
            Reporters::for_run(
                &checked.report_context(),
                &checked.settings,
                &checked.env,
                Masker::for_env(&checked.env),
            )
        });
        let started = Instant::now();
        if let Some(reporters) = &mut reporters {
            reporters.emit(&Event::Started).await;
        }
        let mut image = None;
        let result = deploy(args, &checked, &log, pack.as_deref(), &mut reporters, &mut image).await;
        if let Some(reporters) = &mut reporters {
            let finished = finished(&result, image, started.elapsed().as_secs());
            reporters.emit(&Event::Finished(finished)).await;
        }
        result?
    };
    let Some(Rolled { prepared, outcomes, polls, explanations }) = deployed else {
        tracing::info!("MAESTRO_ONLY_BUILD=true: stopping after the build");
        return Ok(DeployOutcome::Built(BuildReport::new(desired.request, built, log.counts())));
    };

    for warning in &prepared.warnings {
        tracing::warn!("{warning}");
    }
    let failure = failure(&outcomes, explanations);
    Ok(DeployOutcome::Deployed(DeployReport {
        request: desired.request,
        image: built.image,
        actions: prepared.actions,
        services: outcomes,
        warnings: prepared.warnings,
        aws_calls: log.counts(),
        rollout_polls: polls,
        notes: built.notes,
        failure,
    }))
}

/// Why the deploy failed, when a service did not roll out.
fn failure(outcomes: &[ServiceOutcome], explanations: Vec<String>) -> Option<Failure> {
    let failed: Vec<String> = outcomes
        .iter()
        .filter(|outcome| !outcome.succeeded())
        .map(|outcome| {
            format!("{} {}: {}", outcome.service, outcome.state, outcome.reason.as_deref().unwrap_or("no reason given"))
        })
        .collect();
    if failed.is_empty() {
        return None;
    }
    let mut failure =
        Failure::new(format!("the deploy failed: {} of {} services did not roll out", failed.len(), outcomes.len()));
    for line in failed.into_iter().chain(explanations) {
        failure = failure.detail(line);
    }
    Some(
        failure.hint(
            "see each service's events above and in the ECS console; services that deployed are listed as deployed",
        ),
    )
}

impl Report for DeployOutcome {
    fn human(&self) -> String {
        match self {
            Self::Built(built) => built.human(),
            Self::Deployed(deployed) => deployed.human(),
        }
    }

    fn failure(&self) -> Option<&Failure> {
        match self {
            Self::Built(_) => None,
            Self::Deployed(deployed) => deployed.failure.as_ref(),
        }
    }
}

impl Report for DeployReport {
    fn human(&self) -> String {
        let mut out = format!("{}\n", render::headline(&self.request));
        out.push_str(&super::build::image_line(&self.image));
        for note in self.notes.iter().filter(|note| note.starts_with("created")) {
            out.push_str(&format!("  {note}\n"));
        }
        out.push_str(&super::plan::changes(&self.actions));
        out.push_str(&format!("AWS calls: {} reads, {} writes\n", self.aws_calls.reads, self.aws_calls.writes));
        out.push('\n');
        out.push_str(&table(&self.services));
        out
    }
}

/// Everything after the tools check; `image` is set as soon as the image is known.
async fn deploy(
    args: &DeployArgs,
    checked: &prepare::Checked,
    log: &CallLog,
    pack: Option<&std::path::Path>,
    reporters: &mut Option<Reporters>,
    image: &mut Option<BuiltImage>,
) -> Result<(DesiredState, Built, Option<Rolled>), Error> {
    let (session, desired) = prepare::connect(checked).await?;
    let clients = Clients::new(&session, log);
    let request = desired.request.clone();
    let body = async || build_and_roll(args, checked, &session, &clients, desired, pack, reporters, image).await;
    with_lease(&session, &request, &checked.settings.waiting, body).await
}

#[allow(clippy::too_many_arguments)]
async fn build_and_roll(
    args: &DeployArgs,
    checked: &prepare::Checked,
    session: &Session,
    clients: &Clients,
    desired: DesiredState,
    pack: Option<&std::path::Path>,
    reporters: &mut Option<Reporters>,
    image: &mut Option<BuiltImage>,
) -> Result<(DesiredState, Built, Option<Rolled>), Error> {
    let built = super::build::stage(checked, &args.app.app, session, clients, &desired, pack).await?;
    *image = Some(built.image.clone());
    if let Some(reporters) = reporters {
        reporters.emit(&Event::Built(built.image.clone())).await;
    }
    if checked.settings.build.only {
        return Ok((desired, built, None));
    }
    let rolled = roll(args, checked, clients, &desired, reporters).await?;
    Ok((desired, built, Some(rolled)))
}

/// How the run ended, for the reporters.
fn finished(
    result: &Result<(DesiredState, Built, Option<Rolled>), Error>,
    image: Option<BuiltImage>,
    seconds: u64,
) -> report::Finished {
    let (services, changes, url) = match result {
        Ok((_, _, Some(Rolled { prepared, outcomes, .. }))) => {
            let url = outcomes.iter().find_map(|outcome| outcome.url.clone());
            (outcomes.clone(), prepared.actions.len(), url)
        }
        _ => (Vec::new(), 0, None),
    };
    let failed = services.iter().filter(|service| !service.succeeded()).count();
    let failure = match result {
        Err(Error::Failed(failure)) => Some(failure.message.clone()),
        Err(error) => Some(error.to_string()),
        Ok(_) if failed > 0 => Some(format!("{failed} of {} services did not roll out", services.len())),
        Ok(_) => None,
    };
    report::Finished {
        succeeded: failure.is_none(),
        failure,
        image,
        task_definitions: services
            .iter()
            .map(|service| report::DeployedTaskDefinition {
                process: service.process.clone(),
                arn: service.task_definition.clone(),
            })
            .collect(),
        services,
        url,
        changes,
        seconds,
    }
}
