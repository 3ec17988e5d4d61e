//! The reporters: everything that tells the outside world about a deploy, fed by the deploy's
//! events (`core::report::Event`). The engine knows nothing of HTTP. A reporter that fails is
//! warned about once and dropped: reporting never fails or blocks a deploy.

#[cfg(test)]
mod approval_tests;
mod chat;
#[cfg(test)]
mod chat_tests;
mod ci_files;
mod github;
mod gitlab;
pub(crate) mod http;
mod new_relic;
pub(crate) mod pull_requests;
mod webhook;

use std::future::Future;
use std::pin::Pin;
use std::time::Duration;

use http::Http;

use crate::workflow::Masker;
use maestro_core::ci::Ci;
use maestro_core::env::Env;
use maestro_core::input::vars as var;
use maestro_core::report::new_relic::Target;
use maestro_core::report::{Context, Event};
use maestro_core::settings::Settings;

pub(crate) type Reported<'a> = Pin<Box<dyn Future<Output = Result<(), String>> + Send + 'a>>;

/// One destination of the deploy's events.
pub(crate) trait Reporter: Send {
    fn name(&self) -> &'static str;
    /// Acts on `event`; an error is one line for a warning.
    fn on<'a>(&'a mut self, event: &'a Event, http: &'a Http) -> Reported<'a>;
}

pub(crate) struct Reporters {
    active: Vec<Box<dyn Reporter>>,
    http: Option<Http>,
    /// The longest one reporter may take over one event, retries included.
    budget: Duration,
}

/// What a run reports: a whole deploy, or only the end of one an earlier run left awaiting
/// approval.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Run {
    /// `Started`, then `Finished` (or `AwaitingApproval`, `Superseded`): a deploy, a rollback.
    Whole,
    /// `Finished` alone, in a later job: `maestro continue`, `maestro abort`.
    Resolving,
}

impl Reporters {
    /// The reporters this run has what it takes for; each one missing a token says so once.
    pub(crate) fn for_run(context: &Context, settings: &Settings, env: &Env, masker: Masker) -> Self {
        Self::of(context, settings, env, masker, Run::Whole)
    }

    /// For a run that ends a deploy an earlier run left awaiting approval (`maestro continue`,
    /// `maestro abort`), which emits `Event::Finished` and no `Event::Started`: GitHub posts the
    /// final status on the commit's newest deployment to the environment (the earlier run's),
    /// creating one only when there is none; GitLab resolves the `…/approval` status it finds
    /// waiting. Everything else reports `Finished` as for any run.
    pub(crate) fn resolving(context: &Context, settings: &Settings, env: &Env, masker: Masker) -> Self {
        Self::of(context, settings, env, masker, Run::Resolving)
    }

    fn of(context: &Context, settings: &Settings, env: &Env, masker: Masker, run: Run) -> Self {
        let resolving = run == Run::Resolving;
        let mut active: Vec<Box<dyn Reporter>> = vec![Box::new(ci_files::CiFiles {
            env: env.clone(),
            context: context.clone(),
            dotenv_file: settings.reporting.dotenv_file.clone(),
        })];
        let ci = context.request.ci;
        let reporting = &settings.reporting;
        match reporting.github_token.clone() {
            Some(token) if context.request.repository.split('/').count() == 2 => {
                masker.mask(token.expose());
                let run_key =
                    format!("{}-{}", context.request.run_id.as_deref().unwrap_or("local"), crate::random::token());
                let mut github = github::Github::new(&reporting.github_api, token, context.clone(), run_key);
                github.resolving = resolving;
                active.push(Box::new(github));
            }
            Some(_) => tracing::info!("no GitHub reporting: {} is not a GitHub repository", context.request.repository),
            None if ci == Ci::Github => tracing::info!(
                "no GitHub deployment or commit status: no token (pass `github-token: ${{{{ github.token }}}}` to the action, or set GITHUB_TOKEN)"
            ),
            None => {}
        }
        match (reporting.gitlab_token.clone(), &reporting.gitlab_api) {
            (Some(token), Some(api)) => {
                masker.mask(token.expose());
                let project = reporting
                    .gitlab_project_id
                    .clone()
                    .unwrap_or_else(|| maestro_core::text::percent::encode(&context.request.repository));
                active.push(Box::new(gitlab::Gitlab {
                    api: api.clone(),
                    project,
                    pipeline_id: reporting.gitlab_pipeline_id.clone(),
                    token,
                    context: context.clone(),
                    resolving,
                }));
            }
            (None, _) if ci == Ci::Gitlab => tracing::info!(
                "no GitLab commit status: set MAESTRO_GITLAB_TOKEN to a token with the `api` scope (CI_JOB_TOKEN cannot post statuses)"
            ),
            _ => {}
        }
        let new_relic = &settings.new_relic;
        let target = match (&new_relic.entity_guid, &new_relic.app_id) {
            (Some(guid), _) => Some(Target::Entity(guid.clone())),
            (None, Some(id)) => Some(Target::Application(id.clone())),
            (None, None) => None,
        };
        match (&new_relic.api_key, target) {
            (Some(key), Some(target)) => {
                masker.mask(key.expose());
                active.push(Box::new(new_relic::NewRelic {
                    api: new_relic.api_url.clone(),
                    api_key: key.clone(),
                    target,
                    description_format: new_relic.description.clone(),
                    context: context.clone(),
                }));
            }
            (Some(_), None) => tracing::info!("no New Relic marker: set NEW_RELIC_ENTITY_GUID (or NEW_RELIC_APP_ID)"),
            (None, Some(_)) => tracing::info!("no New Relic marker: NEW_RELIC_API_KEY is not set"),
            (None, None) => {}
        }
        if let Some(url) = &settings.deploy_webhook_url {
            masker.mask(url.expose());
            active.push(Box::new(webhook::Webhook {
                template: url.clone(),
                repository_link: repository_link(env, context),
                context: context.clone(),
            }));
        }
        let notify = &settings.notify;
        let destinations = [
            (chat::Destination::Slack, &notify.slack),
            (chat::Destination::Teams, &notify.teams),
            (chat::Destination::Generic, &notify.generic),
        ];
        for (destination, url) in destinations {
            if let Some(url) = url {
                masker.mask(url.expose());
                active.push(Box::new(chat::Chat {
                    destination,
                    url: url.clone(),
                    on_start: notify.on_start,
                    context: context.clone(),
                }));
            }
        }
        let http = match Http::new(settings.reporting.timeout) {
            Ok(http) => Some(http),
            Err(error) => {
                tracing::warn!("no reporting: {error}");
                None
            }
        };
        let budget = Duration::from_secs(u64::from(settings.reporting.timeout) * 3 + 20);
        Self { active, http, budget }
    }

    /// Hands `event` to every reporter; one that fails is warned about and dropped.
    pub(crate) async fn emit(&mut self, event: &Event) {
        let Some(http) = &self.http else { return };
        let mut kept = Vec::new();
        for mut reporter in self.active.drain(..) {
            let outcome = tokio::time::timeout(self.budget, reporter.on(event, http)).await;
            let problem = match outcome {
                Ok(Ok(())) => {
                    kept.push(reporter);
                    continue;
                }
                Ok(Err(problem)) => problem,
                Err(_) => format!("no answer in {} s", self.budget.as_secs()),
            };
            tracing::warn!("{}: {problem}; the deploy goes on without it", reporter.name());
        }
        self.active = kept;
    }
}

/// The repository's web page, for `{{REPO_LINK}}`.
fn repository_link(env: &Env, context: &Context) -> String {
    match context.request.ci {
        Ci::Github => format!(
            "{}/{}",
            env.get(var::GITHUB_SERVER_URL).unwrap_or("https://github.com").trim_end_matches('/'),
            context.request.repository
        ),
        Ci::Gitlab => env.get(var::CI_PROJECT_URL).unwrap_or_default().to_owned(),
        Ci::Codebuild => {
            env.get(var::CODEBUILD_SOURCE_REPO_URL).unwrap_or_default().trim_end_matches(".git").to_owned()
        }
        Ci::Local => String::new(),
    }
}

/// Appends `markdown` to the job summary on GitHub (`GITHUB_STEP_SUMMARY`), for commands that
/// report no deploy event (`maestro restart`); a write that fails is a warning.
pub(crate) fn job_summary(env: &Env, ci: Ci, markdown: &str) {
    if ci != Ci::Github {
        return;
    }
    if let Some(path) = env.get(var::GITHUB_STEP_SUMMARY)
        && let Err(message) = ci_files::append(path, markdown)
    {
        tracing::warn!("{message}");
    }
}
