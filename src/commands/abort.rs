//! `maestro abort`: every service of the environment whose service deployment is in progress is
//! rolled back to the revision that ran before (StopServiceDeployment `ROLLBACK`), and each
//! rollback is waited for until ECS says how it ended. No lease: the deploy it stops holds it.
//! Reported like `restart`: the outcome table, JSON; and, when it rolled something back, as the
//! end of the deploy it stopped (`Event::Finished`, failed) through the reporters of a run that
//! resolves an earlier one (`Reporters::resolving`): the GitHub deployment, the commit statuses,
//! the webhook, the step outputs and the job summary. Nothing to roll back: no report but the
//! job summary.

use serde::Serialize;

use super::prepare;
use crate::aws::calls::{CallCounts, CallLog};
use crate::cli::AppArgs;
use crate::engine;
use crate::error::{Error, Failure};
use crate::output::Report;
use crate::reporters::Reporters;
use crate::workflow::{Group, Masker};
use maestro_core::abort::{self, Abort, Untouched};
use maestro_core::env::Env;
use maestro_core::plan::render;
use maestro_core::report::Event;
use maestro_core::request::DeployRequest;
use maestro_core::rollout::{ServiceOutcome, ServiceState, acted_on};

#[derive(Serialize)]
pub(super) struct AbortReport {
    request: DeployRequest,
    aborted: Vec<Abort>,
    untouched: Vec<Untouched>,
    services: Vec<ServiceOutcome>,
    aws_calls: CallCounts,
    /// A rollback that failed or did not end in time: the run fails after its report.
    #[serde(skip)]
    failure: Option<Failure>,
}

pub(super) async fn run(app: &AppArgs, env: Env) -> Result<AbortReport, Error> {
    let inputs = prepare::validate(app, env)?;
    let log = CallLog::default();
    let to = inputs.connect(&log).await?;
    let since = i64::try_from(crate::clock::unix_millis()).unwrap_or(i64::MAX);
    let started = std::time::Instant::now();
    let (aborted, untouched) = engine::abort::select(&to.clients, &to.desired).await?;
    for leave in &untouched {
        tracing::info!("{}: left alone: it {}", leave.process, leave.why);
    }
    let ended = {
        let _group = Group::start(to.desired.request.ci, "maestro_abort", "Roll back the deployments in progress");
        engine::abort::roll_back(&to.clients, &to.desired.cluster.name, &aborted, &inputs.settings.waiting, since)
            .await?
    };
    let services: Vec<ServiceOutcome> = aborted
        .iter()
        .map(|abort| {
            let end = ended.iter().find(|end| end.service == abort.service);
            ServiceOutcome {
                process: abort.process.clone(),
                service: abort.service.clone(),
                task_definition: String::new(),
                image: String::new(),
                state: end.map_or(ServiceState::Failed, |end| end.state),
                reason: end.map_or_else(|| Some("not followed".to_owned()), |end| end.reason.clone()),
                seconds: end.map_or(0, |end| end.seconds),
                url: None,
            }
        })
        .collect();
    let report = AbortReport {
        failure: failure(&services),
        request: to.desired.request,
        aborted,
        untouched,
        services,
        aws_calls: log.counts(),
    };
    if report.services.is_empty() {
        let markdown = abort::summary(&render::headline(&report.request), &report.services, &report.untouched);
        crate::reporters::job_summary(&inputs.env, report.request.ci, &markdown);
    } else {
        // The deploy it stopped ends here: failed, on the deployment its own run created. The
        // job summary is the reporters' (the deploy's end, each service's rollback).
        let finished = abort::finished(report.services.clone(), started.elapsed().as_secs());
        let masker = Masker::for_env(&inputs.env);
        let mut reporters = Reporters::resolving(&inputs.report_context(), &inputs.settings, &inputs.env, masker);
        reporters.emit(&Event::Finished(finished)).await;
    }
    Ok(report)
}

/// The abort failed when a rollback did not end `rolled back`.
fn failure(services: &[ServiceOutcome]) -> Option<Failure> {
    let failed: Vec<&ServiceOutcome> =
        services.iter().filter(|service| service.state != ServiceState::RolledBack).collect();
    if failed.is_empty() {
        return None;
    }
    let mut failure =
        Failure::new(format!("the abort failed: {} of {} rollbacks did not succeed", failed.len(), services.len()));
    for outcome in failed {
        let reason = outcome.reason.as_deref().unwrap_or("no reason given");
        failure = failure.detail(format!("{} {}: {reason}", outcome.service, outcome.state));
    }
    Some(failure.hint("`maestro status` shows where each service stands; ECS's events say what it did"))
}

impl Report for AbortReport {
    fn human(&self) -> String {
        let left: Vec<(&str, &str)> =
            self.untouched.iter().map(|leave| (leave.process.as_str(), leave.why.as_str())).collect();
        let first_line = format!("abort {}", render::headline(&self.request));
        acted_on(&first_line, "left alone", &left, "no deployment in progress: nothing to roll back", &self.services)
    }

    fn failure(&self) -> Option<&Failure> {
        self.failure.as_ref()
    }
}
