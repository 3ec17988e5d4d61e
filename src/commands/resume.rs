//! `maestro continue`: every service whose deployment ECS holds at the approval pause
//! (`MAESTRO_APPROVAL`) is resumed (ContinueServiceDeployment `CONTINUE`) and followed to its end
//! as a deploy follows its own, in a later job than the deploy that paused. No lease: the deploy
//! ended at the pause. Reported like `abort`: the outcome table, JSON, and the end of the deploy
//! it resumed through the reporters of a run that resolves an earlier one (`Reporters::resolving`:
//! the GitHub deployment the deploy created, the commit statuses, the job summary), `Finished`, or
//! `AwaitingApproval` again when a canary's or linear deploy's next step pauses too. Nothing
//! paused: no report but the job summary.

use serde::Serialize;

use super::prepare;
use super::restart::{explain, failure, wait};
use crate::aws::calls::{CallCounts, CallLog};
use crate::cli::AppArgs;
use crate::engine;
use crate::error::{Error, Failure};
use crate::output::Report;
use crate::reporters::Reporters;
use crate::workflow::{Group, Masker};
use maestro_core::abort::Untouched;
use maestro_core::env::Env;
use maestro_core::plan::render;
use maestro_core::report::{Ending, Event, Finished};
use maestro_core::request::DeployRequest;
use maestro_core::resume::{self, Resume};
use maestro_core::rollout::{ServiceOutcome, ServiceState, acted_on};

#[derive(Serialize)]
pub(super) struct ContinueReport {
    request: DeployRequest,
    resumed: Vec<Resume>,
    untouched: Vec<Untouched>,
    services: Vec<ServiceOutcome>,
    aws_calls: CallCounts,
    /// A resumed deployment that failed or did not end in time, or nothing to resume.
    #[serde(skip)]
    failure: Option<Failure>,
}

pub(super) async fn run(app: &AppArgs, env: Env) -> Result<ContinueReport, Error> {
    let inputs = prepare::validate(app, env)?;
    let log = CallLog::default();
    let to = inputs.connect(&log).await?;
    let current = engine::abort::current(&to.clients, &to.desired).await?;
    let (resumed, untouched) = resume::select(&to.desired, &current);
    for leave in &untouched {
        tracing::info!("{}: left alone: it {}", leave.process, leave.why);
    }
    let since = i64::try_from(crate::clock::unix_millis()).unwrap_or(i64::MAX);
    let started = std::time::Instant::now();
    let watches = {
        let _group = Group::start(to.desired.request.ci, "maestro_continue", "Resume the paused deployments");
        engine::resume::resume(&to.clients, &to.desired, &resumed).await?
    };
    let result = wait(&inputs, &to, &watches, since).await?;
    let explanations = explain(&to, &inputs.settings.waiting, &watches, result.as_ref()).await;
    let services: Vec<ServiceOutcome> = resumed
        .iter()
        .map(|resume| {
            let end = result.as_ref().and_then(|result| result.ended.iter().find(|end| end.service == resume.service));
            ServiceOutcome {
                process: resume.process.clone(),
                service: resume.service.clone(),
                task_definition: String::new(),
                image: String::new(),
                state: end.map_or(ServiceState::NotWaited, |end| end.state),
                reason: end.and_then(|end| end.reason.clone()),
                seconds: end.map_or(0, |end| end.seconds),
                url: None,
            }
        })
        .collect();
    let failure =
        if resumed.is_empty() {
            Some(Failure::new("no deployment is paused for approval: nothing was resumed").hint(
                "`maestro status` shows where each service stands; a pause that timed out took its timeout action",
            ))
        } else {
            failure("the continue", &services, explanations)
        };
    let report = ContinueReport {
        request: to.desired.request.clone(),
        resumed,
        untouched,
        services,
        aws_calls: log.counts(),
        failure,
    };
    if report.resumed.is_empty() {
        let markdown = resume::summary(&render::headline(&report.request), &report.services, &report.untouched);
        crate::reporters::job_summary(&inputs.env, report.request.ci, &markdown);
        return Ok(report);
    }
    let url = crate::pipeline::app_url(&to.clients, &to.desired, None).await;
    let event =
        match crate::pipeline::awaiting_approval(&to.clients, &to.desired, &report.services, result.as_ref()).await {
            Some(waiting) => {
                tracing::info!("{}", waiting.line());
                Event::AwaitingApproval(waiting)
            }
            None => {
                let failure = report.failure.as_ref().map(|failure| failure.message.clone());
                let ending = Ending { failure, url, seconds: started.elapsed().as_secs(), ..Ending::default() };
                let mut finished = Finished::of(report.services.clone(), ending);
                // The revisions are the deploy's, which its own run reported.
                finished.task_definitions.clear();
                Event::Finished(finished)
            }
        };
    let masker = Masker::for_env(&inputs.env);
    let mut reporters = Reporters::resolving(&inputs.report_context(), &inputs.settings, &inputs.env, masker);
    reporters.emit(&event).await;
    Ok(report)
}

impl Report for ContinueReport {
    fn human(&self) -> String {
        let left: Vec<(&str, &str)> =
            self.untouched.iter().map(|leave| (leave.process.as_str(), leave.why.as_str())).collect();
        let first_line = format!("continue {}", render::headline(&self.request));
        acted_on(
            &first_line,
            "left alone",
            &left,
            "no deployment paused for approval: nothing to resume",
            &self.services,
        )
    }

    fn failure(&self) -> Option<&Failure> {
        self.failure.as_ref()
    }
}
