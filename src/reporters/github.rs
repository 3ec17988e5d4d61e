//! GitHub: a deployment with its statuses, a commit status, and a check run when the token
//! may create one; for a preview, its comment on the pull request (`preview_comment`).

mod preview_comment;

use reqwest::{Method, StatusCode};
use serde_json::Value;

use super::http::{Http, Request};
use super::{Reported, Reporter};
use crate::http::Repeat;
use maestro_core::report::preview_comment::State;
use maestro_core::report::{AwaitingApproval, Context, Event, Finished, Supersession, github, summary};
use maestro_core::secret::Secret;
use maestro_core::test_phase::outcome::{self, Tested};
use maestro_core::text::percent;

pub(super) struct Github {
    pub(super) api: String,
    pub(super) token: Secret,
    pub(super) context: Context,
    /// Identifies this run's deployment, so a retry finds it instead of creating another.
    pub(super) run_key: String,
    deployment: Option<u64>,
    /// The preview's comment on the pull request, once found or created.
    comment: Option<u64>,
    /// A comment failed: this run says nothing more in it (one warning, not one per event).
    comment_failed: bool,
    /// The run ends a deploy an earlier run left awaiting approval (`super::Run::Resolving`): its
    /// `Finished` goes on that run's deployment, looked up, since this run created none.
    pub(super) resolving: bool,
}

impl Github {
    pub(super) fn new(api: &str, token: Secret, context: Context, run_key: String) -> Self {
        let api = api.trim_end_matches('/').to_owned();
        Self { api, token, context, run_key, deployment: None, comment: None, comment_failed: false, resolving: false }
    }

    fn request(&self, method: Method, path: &str, body: Option<Value>) -> Request {
        Request {
            method,
            url: format!("{}/repos/{}{path}", self.api, self.context.request.repository),
            headers: vec![
                ("authorization", format!("Bearer {}", self.token.expose())),
                ("accept", "application/vnd.github+json".to_owned()),
                ("x-github-api-version", "2022-11-28".to_owned()),
            ],
            body,
        }
    }

    async fn post(&self, http: &Http, path: &str, body: Value, what: &str) -> Result<Value, String> {
        let response = http
            .send(&self.request(Method::POST, path, Some(body)), Repeat::OnlyIfRefused)
            .await
            .map_err(|unanswered| format!("{what}: {}", unanswered.0))?;
        if response.status.is_success() {
            Ok(response.json())
        } else {
            Err(format!("{what}: GitHub answered {}: {}", response.status, response.message()))
        }
    }

    /// Creates the deployment once: after an answer that may hide a created deployment (5xx,
    /// timeout), the run's own deployment is looked for before trying again.
    async fn create_deployment(&self, http: &Http) -> Result<u64, String> {
        let body = github::deployment(&self.context, &self.run_key);
        let mut problem = String::new();
        for _ in 0..2 {
            match http
                .send(&self.request(Method::POST, "/deployments", Some(body.clone())), Repeat::OnlyIfRefused)
                .await
            {
                Ok(response) if response.status == StatusCode::CREATED => {
                    return response.json()["id"]
                        .as_u64()
                        .ok_or_else(|| "GitHub created a deployment without an id".to_owned());
                }
                Ok(response) if !response.status.is_server_error() => {
                    return Err(format!(
                        "create the deployment: GitHub answered {}: {}",
                        response.status,
                        response.message()
                    ));
                }
                Ok(response) => problem = format!("GitHub answered {}", response.status),
                Err(unanswered) => problem = unanswered.0,
            }
            if let Some(id) = self.find_deployment(http).await {
                return Ok(id);
            }
        }
        Err(format!("create the deployment: {problem}"))
    }

    async fn find_deployment(&self, http: &Http) -> Option<u64> {
        let request = &self.context.request;
        let query = format!(
            "/deployments?sha={}&environment={}&per_page=30",
            request.report_sha,
            percent::encode(&self.context.environment)
        );
        let response = http.send(&self.request(Method::GET, &query, None), Repeat::OnlyIfRefused).await.ok()?;
        let listed = response.json();
        listed.as_array()?.iter().find(|deployment| github::is_ours(deployment, &self.run_key))?.get("id")?.as_u64()
    }

    /// The environment's latest deployment (of any commit) marked inactive with `body`; GitHub
    /// has already marked the ones before it inactive when it succeeded.
    async fn inactive(&self, http: &Http, body: Value) -> Result<(), String> {
        let query = format!("/deployments?environment={}&per_page=1", percent::encode(&self.context.environment));
        let response = http
            .send(&self.request(Method::GET, &query, None), Repeat::OnlyIfRefused)
            .await
            .map_err(|unanswered| format!("list the deployments: {}", unanswered.0))?;
        if !response.status.is_success() {
            return Err(format!("list the deployments: GitHub answered {}: {}", response.status, response.message()));
        }
        let Some(id) = response.json().pointer("/0/id").and_then(Value::as_u64) else {
            tracing::info!("no GitHub deployment of {} to mark inactive", self.context.environment);
            return Ok(());
        };
        self.post(http, &format!("/deployments/{id}/statuses"), body, "mark the deployment inactive").await?;
        Ok(())
    }

    /// A destroyed preview: its deployment inactive, its comment saying so.
    async fn removed(&mut self, http: &Http) -> Result<(), String> {
        let result = self.inactive(http, github::deployment_removed(&self.context)).await;
        self.preview_comment(http, State::Removed).await;
        result
    }

    async fn started(&mut self, http: &Http) -> Result<(), String> {
        let result = self.start_deployment(http).await;
        self.preview_comment(http, State::Deploying).await;
        result
    }

    async fn start_deployment(&mut self, http: &Http) -> Result<(), String> {
        let id = self.create_deployment(http).await?;
        self.deployment = Some(id);
        self.post(
            http,
            &format!("/deployments/{id}/statuses"),
            github::deployment_started(&self.context),
            "set the deployment in progress",
        )
        .await?;
        let sha = self.context.request.report_sha.clone();
        self.post(
            http,
            &format!("/statuses/{sha}"),
            github::commit_status_started(&self.context),
            "set the commit status",
        )
        .await?;
        Ok(())
    }

    async fn finished(&mut self, http: &Http, finished: &Finished) -> Result<(), String> {
        let result = self.finish_deployment(http, finished).await;
        let state = if finished.succeeded { State::Live } else { State::Failed(finished.failure.as_deref()) };
        self.preview_comment(http, state).await;
        result
    }

    /// A deploy superseded while it waited: its deployment inactive, its commit status and check
    /// run no failure (`github::commit_status_superseded` says why). The preview's comment is left
    /// to the newer run, which deploys.
    async fn superseded(&mut self, http: &Http, by: &Supersession) -> Result<(), String> {
        if let Some(id) = self.deployment {
            let body = github::deployment_superseded(&self.context, by);
            self.post(http, &format!("/deployments/{id}/statuses"), body, "mark the deployment superseded").await?;
        }
        let sha = self.context.request.report_sha.clone();
        let body = github::commit_status_superseded(&self.context, by);
        self.post(http, &format!("/statuses/{sha}"), body, "set the commit status").await?;
        let body = github::check_run_superseded(&self.context, by, &summary::superseded(&self.context, by));
        self.check_run(http, body).await
    }

    /// A deploy ECS paused at its approval hook: the deployment in progress with the test URL
    /// (never marking the live one inactive), the commit status pending, the check run asking for
    /// action; the payloads say why (`github::deployment_awaiting`). The preview's comment stays
    /// "deploying".
    async fn awaiting(&mut self, http: &Http, awaiting: &AwaitingApproval) -> Result<(), String> {
        if let Some(id) = self.deployment {
            let body = github::deployment_awaiting(&self.context, awaiting);
            self.post(http, &format!("/deployments/{id}/statuses"), body, "mark the deployment awaiting approval")
                .await?;
        }
        let sha = self.context.request.report_sha.clone();
        let body = github::commit_status_awaiting(&self.context, awaiting);
        self.post(http, &format!("/statuses/{sha}"), body, "set the commit status").await?;
        let summary = summary::awaiting_approval(&self.context, awaiting);
        self.check_run(http, github::check_run_awaiting(&self.context, awaiting, &summary)).await
    }

    /// The deployment a run that resolves an earlier one finishes: the commit's newest to the
    /// environment, which that run created; one is created only when GitHub lists none. A listing
    /// that fails is an error, never a reason to create a second deployment.
    async fn earlier_deployment(&self, http: &Http) -> Result<u64, String> {
        let query = github::latest_deployment_query(&self.context);
        let response = http
            .send(&self.request(Method::GET, &query, None), Repeat::OnlyIfRefused)
            .await
            .map_err(|unanswered| format!("find the deployment to finish: {}", unanswered.0))?;
        if !response.status.is_success() {
            return Err(format!(
                "find the deployment to finish: GitHub answered {}: {}",
                response.status,
                response.message()
            ));
        }
        match response.json().pointer("/0/id").and_then(Value::as_u64) {
            Some(id) => Ok(id),
            None => {
                tracing::info!(
                    "no GitHub deployment of {} to {} to finish: creating one",
                    self.context.request.short_sha,
                    self.context.environment
                );
                self.create_deployment(http).await
            }
        }
    }

    async fn finish_deployment(&mut self, http: &Http, finished: &Finished) -> Result<(), String> {
        // The commit status and check run still go out when the deployment cannot be found.
        let mut unfound = None;
        if self.deployment.is_none() && self.resolving {
            match self.earlier_deployment(http).await {
                Ok(id) => self.deployment = Some(id),
                Err(problem) => unfound = Some(problem),
            }
        }
        if let Some(id) = self.deployment {
            let body = github::deployment_finished(&self.context, finished);
            self.post(http, &format!("/deployments/{id}/statuses"), body, "finish the deployment").await?;
        }
        let sha = self.context.request.report_sha.clone();
        self.post(
            http,
            &format!("/statuses/{sha}"),
            github::commit_status_finished(&self.context, finished),
            "set the commit status",
        )
        .await?;
        let body = github::check_run(&self.context, finished, &summary::markdown(&self.context, finished));
        self.check_run(http, body).await?;
        unfound.map_or(Ok(()), Err)
    }

    /// The test phase's check run `maestro/test`, or its commit status where the token may not
    /// create check runs (a personal access token).
    async fn tested(&self, http: &Http, tested: &Tested) -> Result<(), String> {
        if self.created_check_run(http, outcome::github_check_run(&self.context, tested)).await? {
            return Ok(());
        }
        let sha = self.context.request.report_sha.clone();
        let status = outcome::github_commit_status(&self.context, tested);
        self.post(http, &format!("/statuses/{sha}"), status, "set the test commit status").await.map(|_| ())
    }

    async fn check_run(&self, http: &Http, body: Value) -> Result<(), String> {
        if !self.created_check_run(http, body).await? {
            tracing::info!(
                "no check run: this token cannot create one (a GitHub App token can); the commit status carries the result"
            );
        }
        Ok(())
    }

    /// Creates the check run; `false` when the token may not create one.
    async fn created_check_run(&self, http: &Http, body: Value) -> Result<bool, String> {
        let response = http
            .send(&self.request(Method::POST, "/check-runs", Some(body)), Repeat::OnlyIfRefused)
            .await
            .map_err(|unanswered| format!("create the check run: {}", unanswered.0))?;
        match response.status {
            status if status.is_success() => Ok(true),
            // Only GitHub Apps (GITHUB_TOKEN included) may create check runs; a PAT may not.
            StatusCode::FORBIDDEN | StatusCode::NOT_FOUND | StatusCode::UNPROCESSABLE_ENTITY => Ok(false),
            status => Err(format!("create the check run: GitHub answered {status}: {}", response.message())),
        }
    }
}

impl Reporter for Github {
    fn name(&self) -> &'static str {
        "GitHub"
    }

    fn on<'a>(&'a mut self, event: &'a Event, http: &'a Http) -> Reported<'a> {
        Box::pin(async move {
            match event {
                Event::Started => self.started(http).await,
                Event::Finished(finished) => self.finished(http, finished).await,
                Event::Stopped => self.inactive(http, github::deployment_stopped(&self.context)).await,
                Event::Destroyed => self.removed(http).await,
                Event::Superseded(by) => self.superseded(http, by).await,
                Event::AwaitingApproval(awaiting) => self.awaiting(http, awaiting).await,
                Event::Tested(tested) => self.tested(http, tested).await,
                Event::Built(_) | Event::Released => Ok(()),
            }
        })
    }
}
