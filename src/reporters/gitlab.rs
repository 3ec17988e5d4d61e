//! GitLab: a commit status named `maestro/<environment>`, `running` then `success` or `failed`;
//! a deploy awaiting approval adds `maestro/<environment>/approval`, `pending`, which the run that
//! ends the deploy resolves (`maestro_core::report::gitlab::status_awaiting` says why).

use reqwest::Method;
use serde_json::Value;

use super::http::{Http, Request};
use super::{Reported, Reporter};
use crate::http::Repeat;
use maestro_core::report::{Context, Event, Finished, gitlab};
use maestro_core::secret::Secret;
use maestro_core::test_phase::outcome;
use maestro_core::text::percent;

pub(super) struct Gitlab {
    /// `CI_API_V4_URL`.
    pub(super) api: String,
    /// `CI_PROJECT_ID`, or the URL-encoded path.
    pub(super) project: String,
    pub(super) pipeline_id: Option<String>,
    pub(super) token: Secret,
    pub(super) context: Context,
    /// The run ends a deploy an earlier run left awaiting approval (`super::Run::Resolving`).
    pub(super) resolving: bool,
}

impl Gitlab {
    async fn post(&self, http: &Http, body: Value) -> Result<(), String> {
        let request = Request {
            method: Method::POST,
            url: format!(
                "{}/projects/{}/statuses/{}",
                self.api.trim_end_matches('/'),
                self.project,
                self.context.request.report_sha
            ),
            headers: vec![("private-token", self.token.expose().to_owned())],
            body: Some(body),
        };
        let response = http
            .send(&request, Repeat::OnlyIfRefused)
            .await
            .map_err(|unanswered| format!("set the commit status: {}", unanswered.0))?;
        if response.status.is_success() || gitlab::already_in_state(response.status.as_u16(), &response.body) {
            return Ok(());
        }
        let hint = if response.status.as_u16() == 401 {
            " (the token needs the `api` scope; CI_JOB_TOKEN cannot post statuses)"
        } else {
            ""
        };
        Err(format!("set the commit status: GitLab answered {}: {}{hint}", response.status, response.message()))
    }

    /// After a resolving run's own status: the companion approval status, resolved only when
    /// GitLab lists it still waiting, so an abort of a deploy that never paused adds none.
    async fn resolve_approval(&self, http: &Http, finished: &Finished) -> Result<(), String> {
        let request = Request {
            method: Method::GET,
            url: format!(
                "{}/projects/{}/repository/commits/{}/statuses?name={}",
                self.api.trim_end_matches('/'),
                self.project,
                self.context.request.report_sha,
                percent::encode(&gitlab::approval_name(&self.context))
            ),
            headers: vec![("private-token", self.token.expose().to_owned())],
            body: None,
        };
        let response = http
            .send(&request, Repeat::OnlyIfRefused)
            .await
            .map_err(|unanswered| format!("read the approval status: {}", unanswered.0))?;
        if !response.status.is_success() {
            return Err(format!(
                "read the approval status: GitLab answered {}: {}",
                response.status,
                response.message()
            ));
        }
        if !gitlab::approval_waiting(&response.json(), &self.context) {
            return Ok(());
        }
        self.post(http, gitlab::status_approval_resolved(&self.context, finished, self.pipeline_id.as_deref())).await
    }
}

impl Reporter for Gitlab {
    fn name(&self) -> &'static str {
        "GitLab"
    }

    fn on<'a>(&'a mut self, event: &'a Event, http: &'a Http) -> Reported<'a> {
        Box::pin(async move {
            match event {
                Event::Started => {
                    self.post(http, gitlab::status_started(&self.context, self.pipeline_id.as_deref())).await
                }
                Event::Finished(finished) => {
                    self.post(http, gitlab::status_finished(&self.context, finished, self.pipeline_id.as_deref()))
                        .await?;
                    if self.resolving { self.resolve_approval(http, finished).await } else { Ok(()) }
                }
                Event::AwaitingApproval(awaiting) => {
                    self.post(http, gitlab::status_awaiting(&self.context, awaiting, self.pipeline_id.as_deref())).await
                }
                Event::Superseded(by) => {
                    self.post(http, gitlab::status_superseded(&self.context, by, self.pipeline_id.as_deref())).await
                }
                Event::Tested(tested) => {
                    self.post(http, outcome::gitlab_status(&self.context, tested, self.pipeline_id.as_deref())).await
                }
                // GitLab's own stop job marks the environment stopped.
                Event::Built(_) | Event::Released | Event::Stopped | Event::Destroyed => Ok(()),
            }
        })
    }
}
