//! `maestro destroy --confirm <environment>` (a preview's without it): every resource the environment owns deleted, in
//! dependency order (the core's judgement and steps, `maestro_core::destroy`), under the deploy
//! lease, so it never interleaves with a deploy of the same branch. Without `--confirm`, or with
//! another name, it lists what it would delete and keep, after reads only, and exits 2. The
//! lease itself goes last: releasing it deletes its only generation. A preview destroyed in full
//! is reported (`Event::Destroyed`): on GitHub its deployment goes inactive and its pull request's
//! comment says it is removed.

use serde::Serialize;

use super::prepare;
use crate::aws::calls::{CallCounts, CallLog};
use crate::aws::{Clients, Session};
use crate::cli::DestroyArgs;
use crate::engine::destroy::{Carried, Outcome, carry_out, inventory};
use crate::engine::lease::with_lease;
use crate::error::{Error, Failure};
use crate::output::Report;
use crate::pipeline::ValidatedInputs;
use crate::reporters::Reporters;
use crate::workflow::{Group, Masker};
use maestro_core::destroy::{Inventory, Options, Resource, confirm};
use maestro_core::env::Env;
use maestro_core::input::vars;
use maestro_core::plan::desired::DesiredState;
use maestro_core::report::Event;
use maestro_core::request::DeployRequest;

#[derive(Serialize)]
pub(super) struct DestroyReport {
    request: DeployRequest,
    /// The name `--confirm` takes.
    environment: String,
    confirmed: bool,
    /// Every resource the environment's names lead to, with its verdict and why.
    resources: Vec<Resource>,
    /// What ran, each with how it ended (empty when not confirmed).
    steps: Vec<Carried>,
    aws_calls: CallCounts,
    #[serde(skip)]
    failure: Option<Failure>,
}

pub(super) async fn run(args: &DestroyArgs, env: Env) -> Result<DestroyReport, Error> {
    let inputs = prepare::validate(&args.app, env)?;
    let log = CallLog::default();
    let to = inputs.connect(&log).await?;
    let options = Options { keep_logs: args.keep_logs, keep_images: args.keep_images };
    let (ssm, waiting) = (to.session.ssm(), inputs.settings.waiting);
    let environment = maestro_core::provision::ownership::marker(&to.desired).value;
    // The flag, else the variable (the action's `destroy-confirm` input).
    let given = args.confirm.as_deref().or_else(|| inputs.env.get(vars::MAESTRO_DESTROY_CONFIRM));
    // A pull request's preview goes when the pull request closes, unattended: its own
    // environment (never a branch's) needs no confirmation.
    let problem = if to.desired.preview.is_some() { None } else { confirm::check(given, &environment) };
    if let Some(problem) = problem {
        let listed = Box::pin(inventory(&to.clients, &ssm, &to.desired, &waiting, options)).await?;
        let failure = Failure::new(format!("--confirm: {}", problem.message)).hint(problem.hint).exit_code(2);
        return Ok(report(to.desired.request, listed, Vec::new(), &log, Some(failure)));
    }
    let Destroyed { listed, steps, failure } =
        Box::pin(destroy_environment(&inputs, &to.session, &to.clients, &to.desired, options)).await?;
    Ok(report(to.desired.request, listed, steps, &log, failure))
}

/// What a confirmed destroy did: the list, each step with how it ended, and the failure when
/// a delete did not happen.
pub(super) struct Destroyed {
    pub listed: Inventory,
    pub steps: Vec<Carried>,
    pub failure: Option<Failure>,
}

/// Deletes everything `desired`'s environment owns, under its lease, in the core's order, and
/// says what it did in the job summary. `inputs` are that environment's own. `maestro destroy`
/// and `maestro previews prune` (each preview it removes) share it, so whatever a destroy
/// tells the world, a pruned preview's removal tells too.
pub(super) async fn destroy_environment(
    inputs: &ValidatedInputs,
    session: &Session,
    clients: &Clients,
    desired: &DesiredState,
    options: Options,
) -> Result<Destroyed, Failure> {
    let (ssm, waiting) = (session.ssm(), &inputs.settings.waiting);
    let environment = maestro_core::provision::ownership::marker(desired).value;
    let (listed, steps) = Box::pin(with_lease(session, &desired.request, waiting, async || {
        let listed = Box::pin(inventory(clients, &ssm, desired, waiting, options)).await?;
        let _group = Group::start(desired.request.ci, "maestro_destroy", &format!("Destroy {environment}"));
        let steps = carry_out(clients, &ssm, &listed.steps, waiting).await?;
        Ok::<_, Failure>((listed, steps))
    }))
    .await?;
    let failed: Vec<&Carried> = steps.iter().filter(|step| step.outcome != Outcome::Done).collect();
    let done = steps.len() - failed.len();
    let kept = listed.kept().count();
    let markdown =
        format!("**maestro destroy** `{environment}`: {done} deleted, {kept} kept, {} not done\n", failed.len());
    crate::reporters::job_summary(&inputs.env, desired.request.ci, &markdown);
    let failure = (!failed.is_empty()).then(|| {
        let mut failure = Failure::new(format!("{} of {} deletes did not happen", failed.len(), steps.len()));
        for step in &failed {
            failure = failure.detail(format!("{}: {}", step.step, said(&step.outcome)));
        }
        failure.hint("fix what the errors name, then run the same destroy again: it resumes with what is left")
    });
    // Only a preview that is gone in full: one with deletes left still exists.
    if desired.preview.is_some() && failure.is_none() {
        let masker = Masker::for_env(&inputs.env);
        let mut reporters = Reporters::for_run(&inputs.report_context(), &inputs.settings, &inputs.env, masker);
        reporters.emit(&Event::Destroyed).await;
    }
    Ok(Destroyed { listed, steps, failure })
}

fn report(
    request: DeployRequest,
    listed: Inventory,
    steps: Vec<Carried>,
    log: &CallLog,
    failure: Option<Failure>,
) -> DestroyReport {
    // Not confirmed is the only way to fail with exit code 2 here.
    let confirmed = failure.as_ref().is_none_or(|failure| failure.exit_code != 2);
    DestroyReport {
        request,
        environment: listed.environment,
        confirmed,
        resources: listed.resources,
        steps,
        aws_calls: log.counts(),
        failure,
    }
}

fn said(outcome: &Outcome) -> &str {
    match outcome {
        Outcome::Done => "done",
        Outcome::Failed { error } => error,
        Outcome::Skipped { why } => why,
    }
}

impl Report for DestroyReport {
    fn human(&self) -> String {
        let deleting: Vec<&Resource> =
            self.resources.iter().filter(|resource| resource.fate == maestro_core::destroy::Fate::Delete).collect();
        let kept: Vec<&Resource> =
            self.resources.iter().filter(|resource| resource.fate == maestro_core::destroy::Fate::Keep).collect();
        let mut out = String::new();
        if deleting.is_empty() {
            out.push_str(&format!("nothing to delete: environment {} has nothing left\n", self.environment));
        } else if !self.confirmed {
            out.push_str(&format!(
                "environment {} owns {} resource(s), which destroy deletes:\n",
                self.environment,
                deleting.len()
            ));
            for resource in &deleting {
                out.push_str(&format!("  {} {} ({})\n", resource.kind.label(), resource.name, resource.why));
            }
        } else {
            out.push_str(&format!("destroy environment {}:\n", self.environment));
            for carried in &self.steps {
                let mark = match carried.outcome {
                    Outcome::Done => "done   ",
                    Outcome::Failed { .. } => "FAILED ",
                    Outcome::Skipped { .. } => "skipped",
                };
                let end = match &carried.outcome {
                    Outcome::Done => String::new(),
                    other => format!(": {}", said(other)),
                };
                out.push_str(&format!("  {mark} {}{end}\n", carried.step));
            }
        }
        if !kept.is_empty() {
            out.push_str("kept:\n");
            for resource in kept {
                out.push_str(&format!("  {} {} ({})\n", resource.kind.label(), resource.name, resource.why));
            }
        }
        out
    }

    fn failure(&self) -> Option<&Failure> {
        self.failure.as_ref()
    }
}
