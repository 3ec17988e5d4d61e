//! Whether a preview's pull request is still open, for `maestro previews prune`: GitHub's
//! `GET /repos/{owner}/{repo}/pulls/{n}`, GitLab's `GET /projects/{id}/merge_requests/{iid}`,
//! with the reporting token and the headers the reporters send. No token, no answer, or an
//! answer that is not 200 leaves the state unknown, with why: prune then judges by age alone.

use reqwest::{Method, StatusCode};
use serde_json::Value;

use super::http::{Http, Request};
use crate::http::Repeat;
use crate::workflow::Masker;
use maestro_core::ci::Ci;
use maestro_core::input::vars as var;
use maestro_core::preview::prune::PullState;
use maestro_core::request::DeployRequest;
use maestro_core::secret::Secret;
use maestro_core::settings::Settings;

enum Host {
    Github {
        api: String,
        repository: String,
        token: Secret,
    },
    Gitlab {
        api: String,
        project: String,
        token: Secret,
    },
    /// Why no code host can be asked.
    Unasked(String),
}

pub(crate) struct PullRequests {
    host: Host,
    http: Option<Http>,
}

impl PullRequests {
    /// The code host this run can ask: GitLab inside a GitLab job with its token, else GitHub
    /// with its token. The token is masked before it is used.
    pub(crate) fn new(settings: &Settings, request: &DeployRequest, masker: Masker) -> Self {
        let reporting = &settings.reporting;
        let gitlab = match (&reporting.gitlab_token, &reporting.gitlab_api) {
            (Some(token), Some(api)) if request.ci == Ci::Gitlab => {
                let project = reporting
                    .gitlab_project_id
                    .clone()
                    .unwrap_or_else(|| maestro_core::text::percent::encode(&request.repository));
                Some(Host::Gitlab { api: api.trim_end_matches('/').to_owned(), project, token: token.clone() })
            }
            _ => None,
        };
        let host = gitlab.unwrap_or_else(|| match &reporting.github_token {
            Some(token) if request.repository.split('/').count() == 2 => Host::Github {
                api: reporting.github_api.trim_end_matches('/').to_owned(),
                repository: request.repository.clone(),
                token: token.clone(),
            },
            Some(_) => Host::Unasked(format!("{} is not a GitHub repository", request.repository)),
            None if request.ci == Ci::Gitlab => {
                Host::Unasked(format!("no GitLab token: set {} to a token with `read_api`", var::MAESTRO_GITLAB_TOKEN))
            }
            None => Host::Unasked(format!(
                "no GitHub token: pass `github-token: ${{{{ github.token }}}}` to the action, or set {}",
                var::GITHUB_TOKEN
            )),
        });
        if let Host::Github { token, .. } | Host::Gitlab { token, .. } = &host {
            masker.mask(token.expose());
        }
        Self::asking(host, reporting.timeout)
    }

    fn asking(host: Host, timeout: u32) -> Self {
        let http = match Http::new(timeout) {
            Ok(http) => Some(http),
            Err(error) => {
                tracing::warn!("no pull request states: {error}");
                None
            }
        };
        Self { host, http }
    }

    /// Pull request `number`'s state, or why it is unknown.
    pub(crate) async fn state(&self, number: u64) -> PullState {
        let unknown = |why: String| PullState::Unknown { why };
        let Some(http) = &self.http else { return unknown("no HTTP client".to_owned()) };
        let (request, name) = match &self.host {
            Host::Unasked(why) => return unknown(why.clone()),
            Host::Github { api, repository, token } => (
                Request {
                    method: Method::GET,
                    url: format!("{api}/repos/{repository}/pulls/{number}"),
                    headers: vec![
                        ("authorization", format!("Bearer {}", token.expose())),
                        ("accept", "application/vnd.github+json".to_owned()),
                        ("x-github-api-version", "2022-11-28".to_owned()),
                    ],
                    body: None,
                },
                "GitHub",
            ),
            Host::Gitlab { api, project, token } => (
                Request {
                    method: Method::GET,
                    url: format!("{api}/projects/{project}/merge_requests/{number}"),
                    headers: vec![("private-token", token.expose().to_owned())],
                    body: None,
                },
                "GitLab",
            ),
        };
        let response = match http.send(&request, Repeat::Safe).await {
            Ok(response) => response,
            Err(unanswered) => return unknown(format!("{name}: {}", unanswered.0)),
        };
        if response.status != StatusCode::OK {
            let message = response.message();
            let said = if message.is_empty() { String::new() } else { format!(": {message}") };
            return unknown(format!("{name} answered {}{said}", response.status));
        }
        match (response.json().get("state").and_then(Value::as_str), name) {
            (Some(state), "GitHub") => PullState::github(state),
            (Some(state), _) => PullState::gitlab(state),
            (None, _) => unknown(format!("{name}'s answer has no `state`")),
        }
    }
}

#[cfg(test)]
#[path = "pull_requests_tests.rs"]
mod tests;
