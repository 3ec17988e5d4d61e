//! A GitHub `pull_request` event as the runner hands it to a job, with previews on: its payload
//! in a scratch file and the job's variables. The preview tests (`previews`, `previews_prune`,
//! `reporting::preview_comment`) each take their own pull request numbers: the emulator's planned
//! task outcomes are keyed by family across accounts.

use serde_json::json;

use crate::support::Scratch;

/// The domain the previews of the tests are hosts of.
pub(crate) const PREVIEW_DOMAIN: &str = "preview.shop.example.com";

#[derive(Debug, Clone)]
pub(crate) struct PullRequestEvent {
    pub(crate) number: u64,
    pub(crate) head_branch: String,
    /// The commit the job checks out (`GITHUB_SHA`); the head's too here, as for a fast-forward.
    pub(crate) sha: String,
    /// `opened`, `synchronize`, `closed`.
    pub(crate) action: &'static str,
    /// The head repository is another's.
    pub(crate) fork: bool,
}

impl PullRequestEvent {
    pub(crate) fn new(number: u64, head_branch: &str, sha: &str) -> Self {
        Self { number, head_branch: head_branch.to_owned(), sha: sha.to_owned(), action: "opened", fork: false }
    }

    /// The same pull request, on another event.
    pub(crate) fn on(&self, action: &'static str) -> Self {
        Self { action, ..self.clone() }
    }

    /// The preview's environment, `<slug>-pr-<n>`.
    pub(crate) fn environment(&self) -> String {
        format!("acme-shop-api-pr-{}", self.number)
    }

    /// The job's variables, the event's payload written to `scratch` (one file per pull request).
    pub(crate) fn env(&self, scratch: &Scratch) -> Vec<(&'static str, String)> {
        let head_repository = if self.fork { "mallory/shop-api" } else { "acme/shop-api" };
        let event = json!({
            "action": self.action,
            "number": self.number,
            "pull_request": {
                "number": self.number,
                "state": if self.action == "closed" { "closed" } else { "open" },
                "head": {"sha": self.sha, "ref": self.head_branch, "repo": {"full_name": head_repository}},
                "base": {"ref": "main", "repo": {"full_name": "acme/shop-api"}},
            },
            "repository": {"full_name": "acme/shop-api"},
        });
        let file = format!("event-{}.json", self.number);
        scratch.write(&file, &event.to_string());
        vec![
            ("GITHUB_ACTIONS", "true".into()),
            ("GITHUB_EVENT_NAME", "pull_request".into()),
            ("GITHUB_EVENT_PATH", scratch.file(&file)),
            ("GITHUB_REPOSITORY", "acme/shop-api".into()),
            ("GITHUB_SHA", self.sha.clone()),
            ("GITHUB_REF", format!("refs/pull/{}/merge", self.number)),
            ("GITHUB_HEAD_REF", self.head_branch.clone()),
            ("GITHUB_BASE_REF", "main".into()),
            ("GITHUB_RUN_ID", format!("90{}", self.number)),
            ("GITHUB_RUN_ATTEMPT", "1".into()),
            ("GITHUB_SERVER_URL", "https://github.com".into()),
            ("MAESTRO_PREVIEWS", "true".into()),
            ("MAESTRO_PREVIEW_DOMAIN", PREVIEW_DOMAIN.into()),
        ]
    }
}
