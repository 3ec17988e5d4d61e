//! The preview's comment on its pull request (`core::report::preview_comment`): found by its
//! marker line and edited; created only when none is there. It never holds the deployment and
//! statuses back: a comment that fails is one warning, and the run makes no further attempt.

use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

use super::Github;
use crate::http::Repeat;
use crate::reporters::http::{Http, Response};
use maestro_core::report::preview_comment::{self, PAGE, ReportedPreview, State};

/// The most pages of comments read: 5,000 comments, far more than a pull request has.
const MOST_PAGES: usize = 50;

impl Github {
    /// Says `state` in the preview's comment, when this run deploys or destroys a preview.
    pub(super) async fn preview_comment(&mut self, http: &Http, state: State<'_>) {
        let Some(preview) = self.context.preview.clone() else { return };
        if self.comment_failed {
            return;
        }
        if let Err(problem) = self.write_comment(http, &preview, state).await {
            self.comment_failed = true;
            tracing::warn!("GitHub: {problem}; the pull request's preview comment is not up to date");
        }
    }

    /// Edits the comment, or creates it; a removed preview's comment is only edited.
    async fn write_comment(&mut self, http: &Http, preview: &ReportedPreview, state: State<'_>) -> Result<(), String> {
        let body = json!({ "body": preview_comment::body(&self.context, preview, state) });
        let found = match self.comment {
            Some(id) => Some(id),
            None => self.find_comment(http, preview).await?,
        };
        if let Some(id) = found {
            let path = format!("/issues/comments/{id}");
            // The same body twice is the same comment: an edit may be sent again.
            let response = http
                .send(&self.request(Method::PATCH, &path, Some(body.clone())), Repeat::Safe)
                .await
                .map_err(|unanswered| format!("edit the preview comment: {}", unanswered.0))?;
            if response.status.is_success() {
                self.comment = Some(id);
                return Ok(());
            }
            // Someone deleted it: a new one takes its place.
            if response.status != StatusCode::NOT_FOUND {
                return Err(refused("edit the preview comment", &response));
            }
        }
        if state == State::Removed {
            return Ok(());
        }
        self.create_comment(http, preview, body).await
    }

    /// Creates the comment once: after an answer that may hide a created comment (5xx, no
    /// answer), the comment is looked for before giving up, never posted blindly again.
    async fn create_comment(&mut self, http: &Http, preview: &ReportedPreview, body: Value) -> Result<(), String> {
        let path = format!("/issues/{}/comments", preview.number);
        let problem = match http.send(&self.request(Method::POST, &path, Some(body)), Repeat::OnlyIfRefused).await {
            Ok(response) if response.status.is_success() => {
                self.comment = response.json()["id"].as_u64();
                return Ok(());
            }
            Ok(response) if !response.status.is_server_error() => {
                return Err(refused("create the preview comment", &response));
            }
            Ok(response) => format!("GitHub answered {}", response.status),
            Err(unanswered) => unanswered.0,
        };
        match self.find_comment(http, preview).await {
            Ok(Some(id)) => {
                self.comment = Some(id);
                Ok(())
            }
            _ => Err(format!("create the preview comment: {problem}")),
        }
    }

    /// The preview's comment among the pull request's, page by page until a short one.
    async fn find_comment(&self, http: &Http, preview: &ReportedPreview) -> Result<Option<u64>, String> {
        for page in 1..=MOST_PAGES {
            let path = format!("/issues/{}/comments?per_page={PAGE}&page={page}", preview.number);
            let response = http
                .send(&self.request(Method::GET, &path, None), Repeat::Safe)
                .await
                .map_err(|unanswered| format!("list the pull request's comments: {}", unanswered.0))?;
            if !response.status.is_success() {
                return Err(refused("list the pull request's comments", &response));
            }
            let listed = response.json();
            let comments = listed.as_array().map(Vec::as_slice).unwrap_or_default();
            let ours =
                comments.iter().find(|comment| preview.is_ours(comment)).and_then(|comment| comment["id"].as_u64());
            if ours.is_some() || comments.len() < PAGE {
                return Ok(ours);
            }
        }
        Ok(None)
    }
}

/// GitHub's refusal of `what`, with the fix when it is the token's: a job's token without
/// `pull-requests: write` gets 403 (404 from some endpoints) on a pull request's comments.
fn refused(what: &str, response: &Response) -> String {
    let hint = match response.status {
        StatusCode::FORBIDDEN | StatusCode::NOT_FOUND => " (the workflow needs `permissions: pull-requests: write`)",
        _ => "",
    };
    format!("{what}: GitHub answered {}: {}{hint}", response.status, response.message())
}

#[cfg(test)]
#[path = "preview_comment_tests.rs"]
mod tests;
