//! `maestro previews list` and `maestro previews prune`, run on the branch pull requests target
//! (a scheduled workflow runs on the default branch), so that a preview is planned as a pull
//! request into it. The previews are in the previews' cluster (`preview::cluster_name`). `list`
//! only reads. `prune` asks the code host whether each preview's pull request is still open,
//! judges each preview in the core (`maestro_core::preview::prune`), and removes those judged
//! so as `maestro destroy` does (`destroy::destroy_environment`, under that preview's lease),
//! planned as its pull request's own run plans it.

use serde::Serialize;

use super::destroy::{Destroyed, destroy_environment};
use super::prepare;
use crate::aws::calls::{CallCounts, CallLog};
use crate::cli::{AppArgs, PruneArgs};
use crate::engine::preview_list::{Place, previews};
use crate::error::{Error, Failure};
use crate::output::Report;
use crate::pipeline::{Destination, ValidatedInputs};
use crate::reporters::pull_requests::PullRequests;
use crate::workflow::Masker;
use maestro_core::destroy::Options;
use maestro_core::env::Env;
use maestro_core::input::vars as var;
use maestro_core::input_error::InputError;
use maestro_core::preview::list::{self, Listed};
use maestro_core::preview::prune::{self, Done, Pruned};

#[derive(Serialize)]
pub(super) struct PreviewList {
    repository: String,
    cluster: String,
    load_balancer: String,
    previews: Vec<Aged>,
    aws_calls: CallCounts,
    #[serde(skip)]
    now: u64,
}

#[derive(Serialize)]
struct Aged {
    #[serde(flatten)]
    listed: Listed,
    /// Seconds since its newest release record.
    age_seconds: Option<u64>,
}

pub(super) async fn list(args: &AppArgs, env: Env) -> Result<PreviewList, Error> {
    let inputs = prepare::validate(args, env)?;
    let log = CallLog::default();
    let to = inputs.connect(&log).await?;
    let place = Place::of(&to.desired.request, &inputs.settings);
    let found = previews(&to.session, &to.clients, &to.desired.request, &inputs.settings, &place).await?;
    let now = crate::clock::unix_seconds();
    Ok(PreviewList {
        repository: to.desired.request.repository.clone(),
        cluster: place.cluster,
        load_balancer: place.load_balancer,
        previews: found.into_iter().map(|listed| Aged { age_seconds: listed.age(now), listed }).collect(),
        aws_calls: log.counts(),
        now,
    })
}

impl Report for PreviewList {
    fn human(&self) -> String {
        let previews: Vec<Listed> = self.previews.iter().map(|aged| aged.listed.clone()).collect();
        list::human(&self.repository, &self.cluster, &previews, self.now)
    }
}

#[derive(Serialize)]
pub(super) struct PruneReport {
    repository: String,
    cluster: String,
    ttl_seconds: u64,
    previews: Vec<Pruned>,
    aws_calls: CallCounts,
    #[serde(skip)]
    failure: Option<Failure>,
}

pub(super) async fn prune(args: &PruneArgs, env: Env) -> Result<PruneReport, Error> {
    let older_than = args.older_than.as_deref().map(maestro_core::settings::previews::older_than).transpose()?;
    let inputs = prepare::validate(&args.app, env)?;
    if inputs.settings.previews.domain.is_none() {
        return Err(InputError::new(
            var::MAESTRO_PREVIEW_DOMAIN,
            "prune plans each preview as its pull request's run does, and that needs the previews' domain",
            "set the MAESTRO_PREVIEW_* variables the pull requests' runs have (MAESTRO_PREVIEW_DOMAIN at least) in the prune's job too",
        )
        .into());
    }
    let ttl = older_than.unwrap_or(inputs.settings.previews.ttl_seconds);
    let log = CallLog::default();
    let to = inputs.connect(&log).await?;
    let place = Place::of(&to.desired.request, &inputs.settings);
    let found = previews(&to.session, &to.clients, &to.desired.request, &inputs.settings, &place).await?;
    let pulls = PullRequests::new(&inputs.settings, &to.desired.request, Masker::for_env(&inputs.env));
    let now = crate::clock::unix_seconds();
    let mut pruned = Vec::new();
    for listed in found {
        let pull = pulls.state(listed.number).await;
        let verdict = prune::judge(listed.number, &pull, listed.deployed_at, now, ttl);
        let done = if verdict.removes() {
            match Box::pin(remove(&inputs, &to, &args.app, listed.number)).await {
                Ok(()) => Done::Removed,
                Err(error) => Done::Failed { error },
            }
        } else {
            Done::Kept
        };
        pruned.push(Pruned {
            number: listed.number,
            environment: listed.environment,
            pull_request: pull,
            last_deployed_at: listed.deployed_at,
            verdict,
            done,
        });
    }
    let failed = pruned.iter().filter(|preview| matches!(preview.done, Done::Failed { .. })).count();
    let failure = (failed > 0).then(|| {
        let mut failure = Failure::new(format!("{failed} of the previews to remove were not removed entirely"));
        for preview in &pruned {
            if let Done::Failed { error } = &preview.done {
                failure = failure.detail(format!("#{} ({}): {error}", preview.number, preview.environment));
            }
        }
        failure.hint("fix what the errors name, then prune again: each removal resumes with what is left")
    });
    let removed = pruned.iter().filter(|preview| preview.done == Done::Removed).count();
    let markdown = format!(
        "**maestro previews prune**: {removed} removed, {} kept, {failed} failed\n",
        pruned.len() - removed - failed
    );
    crate::reporters::job_summary(&inputs.env, to.desired.request.ci, &markdown);
    Ok(PruneReport {
        repository: to.desired.request.repository.clone(),
        cluster: place.cluster,
        ttl_seconds: ttl,
        previews: pruned,
        aws_calls: log.counts(),
        failure,
    })
}

/// Destroys preview `number`: its inputs as its pull request's run into this branch has them
/// (previews on, whatever this run's MAESTRO_PREVIEWS), planned and bound to this account, then
/// `maestro destroy`'s deletes and whatever else a destroy does.
async fn remove(inputs: &ValidatedInputs, to: &Destination, checkout: &AppArgs, number: u64) -> Result<(), String> {
    let request = list::request(&to.desired.request, number);
    let mut settings = inputs.settings.clone();
    settings.previews.enabled = true;
    let preview = ValidatedInputs::new(inputs.env.clone(), settings, request, &checkout.app).map_err(said)?;
    let account = to.desired.request.account_id.as_ref().ok_or("the account is unknown")?;
    let desired = preview.plan().clone().bind(account);
    let options = Options { keep_logs: false, keep_images: false };
    let destroyed = Box::pin(destroy_environment(&preview, &to.session, &to.clients, &desired, options))
        .await
        .map_err(|failure| failure.message)?;
    let Destroyed { failure, .. } = destroyed;
    failure.map_or(Ok(()), |failure| Err(failure.message))
}

/// A preview's inputs that do not plan (the base branch's did, so this is rare): the first
/// problem, with its fix.
fn said(error: Error) -> String {
    match error {
        Error::Input(errors) => errors
            .0
            .first()
            .map_or_else(|| "its plan failed".to_owned(), |error| format!("{}; {}", error.message, error.hint)),
        other => other.to_string(),
    }
}

impl Report for PruneReport {
    fn human(&self) -> String {
        prune::human(&self.repository, self.ttl_seconds, &self.previews)
    }

    fn failure(&self) -> Option<&Failure> {
        self.failure.as_ref()
    }
}
