//! GitLab's commit status payload (`POST /projects/:id/statuses/:sha`).

use serde_json::{Value, json};

use super::{Context, Finished, Supersession};
use crate::text::truncate;

/// `running` when the deploy starts.
pub fn status_started(context: &Context, pipeline_id: Option<&str>) -> Value {
    status(
        context,
        "running",
        context.request.run_url.as_deref(),
        &format!("Deploying to {}", context.environment),
        pipeline_id,
    )
}

/// `success` (linking the app) or `failed` (linking the job).
pub fn status_finished(context: &Context, finished: &Finished, pipeline_id: Option<&str>) -> Value {
    let (state, target, description) = if finished.succeeded {
        let target = finished.url.as_deref().or(context.request.run_url.as_deref());
        ("success", target, format!("Deployed {} to {}", context.request.short_sha, context.environment))
    } else {
        let reason = finished.failure.as_deref().unwrap_or("see the job's log");
        ("failed", context.request.run_url.as_deref(), format!("Deploy to {} failed: {reason}", context.environment))
    };
    status(context, state, target, &description, pipeline_id)
}

/// A deploy superseded while it waited for the lease: `success` described as superseded, linking
/// the newer run. Not `failed`; not `canceled` or `skipped` either, which a merge request that
/// requires its pipeline to succeed counts against it, while the newer commit deploys this one's
/// changes.
pub fn status_superseded(context: &Context, by: &Supersession, pipeline_id: Option<&str>) -> Value {
    let target = by.run_url.as_deref().or(context.request.run_url.as_deref());
    let description = format!("Not deployed to {}: {}", context.environment, by.line());
    status(context, "success", target, &description, pipeline_id)
}

fn status(context: &Context, state: &str, target: Option<&str>, description: &str, pipeline_id: Option<&str>) -> Value {
    let mut body = json!({
        "state": state,
        "name": context.status_name(),
        "description": truncate(description, 255),
    });
    // GitLab files a status under a git ref: a merge request's source branch, not `pr-<n>`.
    if let Some(branch) = context.request.head_branch.as_ref().or(context.request.branch.as_ref()) {
        body["ref"] = json!(truncate(branch, 255));
    }
    if let Some(target) = target.filter(|target| target.len() <= 255) {
        body["target_url"] = json!(target);
    }
    if let Some(id) = pipeline_id.and_then(|id| id.parse::<u64>().ok()) {
        body["pipeline_id"] = json!(id);
    }
    body
}

/// GitLab answers 400 "Cannot transition status via :run from :running" when the state is
/// already the one posted: that status is in place.
pub fn already_in_state(status: u16, body: &str) -> bool {
    status == 400 && body.contains("Cannot transition status")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::fixtures::{context, finished};

    #[test]
    fn running_then_success_or_failed() {
        let context = context(None);
        assert_eq!(
            status_started(&context, Some("991")),
            json!({
                "state": "running",
                "name": "maestro/staging",
                "description": "Deploying to staging",
                "ref": "staging",
                "target_url": "https://github.com/acme/shop-api/actions/runs/4242",
                "pipeline_id": 991,
            })
        );
        let done = status_finished(&context, &finished(true), None);
        assert_eq!(
            (done["state"].as_str(), done["target_url"].as_str()),
            (Some("success"), Some("https://staging.shop.example.com"))
        );
        assert_eq!(status_finished(&context, &finished(false), None)["state"], "failed");
        let by = Supersession { sha: "b".repeat(40), run_url: Some("https://gitlab.example.com/-/jobs/7".into()) };
        let superseded = status_superseded(&context, &by, None);
        assert_eq!(
            (superseded["state"].as_str(), superseded["description"].as_str(), superseded["target_url"].as_str()),
            (
                Some("success"),
                Some("Not deployed to staging: superseded by bbbbbbbb (run https://gitlab.example.com/-/jobs/7)"),
                Some("https://gitlab.example.com/-/jobs/7")
            )
        );
        assert!(already_in_state(400, r#"{"message":"Cannot transition status via :run from :running"}"#));
        assert!(!already_in_state(400, r#"{"message":"ref is missing"}"#));
        assert!(!already_in_state(409, r#"{"message":"Cannot transition status via :run from :running"}"#));
    }

    #[test]
    fn finished_statuses_whole() {
        let context = context(None);
        assert_eq!(
            status_finished(&context, &finished(true), Some("991")),
            json!({
                "state": "success",
                "name": "maestro/staging",
                "description": "Deployed ffeeddcc to staging",
                "ref": "staging",
                "target_url": "https://staging.shop.example.com",
                "pipeline_id": 991,
            })
        );
        let mut failed = finished(false);
        assert_eq!(
            status_finished(&context, &failed, None),
            json!({
                "state": "failed",
                "name": "maestro/staging",
                "description": "Deploy to staging failed: 1 of 2 services did not roll out",
                "ref": "staging",
                "target_url": "https://github.com/acme/shop-api/actions/runs/4242",
            })
        );
        failed.failure = None;
        assert_eq!(
            status_finished(&context, &failed, None)["description"],
            "Deploy to staging failed: see the job's log"
        );
        // A success without the app's URL links the job instead.
        let mut succeeded = finished(true);
        succeeded.url = None;
        assert_eq!(
            status_finished(&context, &succeeded, None)["target_url"],
            "https://github.com/acme/shop-api/actions/runs/4242"
        );
    }

    #[test]
    fn what_gitlab_would_refuse_is_left_out() {
        let mut context = context(None);
        context.request.branch = None;
        context.request.run_url = Some(format!("https://gitlab.example.com/{}", "j".repeat(256 - 27)));
        let body = status_started(&context, Some("not-a-number"));
        assert_eq!(
            body,
            json!({"state": "running", "name": "maestro/staging", "description": "Deploying to staging"}),
            "a target URL over 255 characters, no branch, a pipeline id that is not a number"
        );
        context.request.run_url = Some(format!("https://gitlab.example.com/{}", "j".repeat(255 - 27)));
        assert_eq!(status_started(&context, None)["target_url"].as_str().map(str::len), Some(255));
        context.request.branch = Some("b".repeat(300));
        assert_eq!(status_started(&context, None)["ref"], format!("{}…", "b".repeat(254)));
    }

    /// A merge request deploys as `pr-<iid>`, which is no git ref: its status goes on the source branch.
    #[test]
    fn a_merge_request_status_is_filed_under_its_source_branch() {
        let mut context = context(None);
        (context.request.branch, context.request.head_branch) = (Some("pr-42".into()), Some("feature/login".into()));
        assert_eq!(status_started(&context, None)["ref"], "feature/login");
    }
}
