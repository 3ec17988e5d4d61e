//! `maestro deploy`: the commit's image built when missing, then every resource of the app made
//! to match the plan, changing only what differs (the phases are `pipeline::Deploy`'s).

use serde::Serialize;

use super::build::BuildReport;
use super::prepare;
use crate::aws::calls::{CallCounts, CallLog};
use crate::cli::DeployArgs;
use crate::error::{Error, Failure};
use crate::output::Report;
use crate::pipeline::{Deploy, DeployEnd, DeployOptions, Ended, Rollout};
use maestro_core::build::BuiltImage;
use maestro_core::env::Env;
use maestro_core::plan::render;
use maestro_core::provision::review::render::{Style, Tense};
use maestro_core::provision::review::{self, Change};
use maestro_core::report::Supersession;
use maestro_core::request::DeployRequest;
use maestro_core::rollout::{AwaitingApproval, ServiceOutcome, table};

/// What `maestro deploy` shows: the build alone (MAESTRO_ONLY_BUILD), or the whole deploy.
#[derive(Serialize)]
#[serde(untagged)]
pub(super) enum DeployOutcome {
    Built(BuildReport),
    Deployed(DeployReport),
    Superseded(SupersededReport),
}

/// A deploy that waited for the lease and was overtaken by a newer deploy of the branch: it
/// deployed nothing and exits 0 (`maestro_core::queue`).
#[derive(Serialize)]
pub(super) struct SupersededReport {
    request: DeployRequest,
    /// The newer deploy that deploys instead: its commit and run.
    superseded_by: Supersession,
}

#[derive(Serialize)]
pub(super) struct DeployReport {
    request: DeployRequest,
    image: BuiltImage,
    actions: Vec<Change>,
    services: Vec<ServiceOutcome>,
    warnings: Vec<String>,
    aws_calls: CallCounts,
    /// DescribeServices polls while waiting for the rollouts.
    rollout_polls: u32,
    /// The services ECS holds at the approval pause, and the test URL: the deploy ended
    /// `awaiting-approval` (exit 0) until `maestro continue` or `maestro abort`.
    #[serde(skip_serializing_if = "Option::is_none")]
    awaiting_approval: Option<AwaitingApproval>,
    /// What the build noted, for people.
    #[serde(skip)]
    notes: Vec<String>,
    /// Services that did not roll out: the run fails after its report.
    #[serde(skip)]
    failure: Option<Failure>,
    /// Colour for the changes: stdout is a terminal.
    #[serde(skip)]
    colour: bool,
}

/// Resolves the inputs, runs the pipeline, and returns what it did.
pub(super) async fn run(args: &DeployArgs, env: Env) -> Result<DeployOutcome, Error> {
    let inputs = prepare::validate(&args.app, env.merge(args.as_env()))?;
    if let Some(closed) = maestro_core::preview::closed(inputs.plan().preview(), inputs.request()) {
        return Err(closed.into());
    }
    let log = CallLog::default();
    let options = DeployOptions { prune: args.prune, force: args.force };
    let deploy = Deploy::ready(&inputs, &args.app.app, options, &log).await?;
    let DeployEnd { request, built, rollout } = match Box::pin(deploy.run()).await? {
        Ended::Ran(end) => *end,
        Ended::Superseded { request, by } => {
            return Ok(DeployOutcome::Superseded(SupersededReport { request: *request, superseded_by: by }));
        }
    };
    let Some(rollout) = rollout else {
        tracing::info!("MAESTRO_ONLY_BUILD=true: stopping after the build");
        return Ok(DeployOutcome::Built(BuildReport::new(request, built, log.counts())));
    };
    for warning in &rollout.changes.warnings {
        tracing::warn!("{warning}");
    }
    let Rollout { changes, outcomes, polls, explanations, awaiting_approval } = rollout;
    Ok(DeployOutcome::Deployed(DeployReport {
        request,
        image: built.image,
        actions: changes
            .actions
            .into_iter()
            .zip(changes.details)
            .map(|(action, detail)| Change { action, detail })
            .collect(),
        failure: failure(&outcomes, explanations),
        services: outcomes,
        warnings: changes.warnings,
        aws_calls: log.counts(),
        rollout_polls: polls,
        awaiting_approval,
        notes: built.notes,
        colour: crate::style::Style::for_stdout(&inputs.env).colour,
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
            Self::Superseded(superseded) => superseded.human(),
        }
    }

    fn failure(&self) -> Option<&Failure> {
        match self {
            Self::Built(_) | Self::Superseded(_) => None,
            Self::Deployed(deployed) => deployed.failure.as_ref(),
        }
    }
}

impl Report for SupersededReport {
    fn human(&self) -> String {
        format!("{}\n{}", render::headline(&self.request), self.superseded_by.told())
    }
}

impl Report for DeployReport {
    fn human(&self) -> String {
        let mut out = format!("{}\n", render::headline(&self.request));
        out.push_str(&super::build::image_line(&self.image));
        for note in self.notes.iter().filter(|note| note.starts_with("created")) {
            out.push_str(&format!("  {note}\n"));
        }
        // Orphans are told as warnings, on stderr, before the report.
        out.push_str(&review::render::changes(
            &self.actions,
            &[],
            Tense::Done,
            Style { colour: self.colour, ..Style::plain() },
        ));
        out.push_str(&format!("AWS calls: {} reads, {} writes\n", self.aws_calls.reads, self.aws_calls.writes));
        out.push('\n');
        out.push_str(&table(&self.services));
        if let Some(waiting) = &self.awaiting_approval {
            out.push_str(&format!("\n{}\n", waiting.line()));
        }
        out
    }
}
