//! GitLab's commit status payload (`POST /projects/:id/statuses/:sha`).

use serde_json::{Value, json};

use super::{AwaitingApproval, Context, Finished, Supersession};
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

/// The name of the companion status that says a deploy awaits approval: `maestro/<environment>/approval`.
pub fn approval_name(context: &Context) -> String {
    format!("{}/approval", context.status_name())
}

/// A deploy ECS paused at its approval hook. The deploy's own status stays `running`, as GitLab
/// has it since the start: GitLab changes a status's description only together with its state
/// (`Ci::CreateCommitStatusService` assigns the new description and applies the transition in one
/// transaction, and `running` again is the invalid transition `run` from `running`, answered 400
/// with nothing saved; from `running` the only transitions are to `success`, `failed` and
/// `canceled`). So the pause is said by a companion status, `approval_name`, `pending` (GitLab's
/// states are `pending`, `running`, `success`, `failed`, `canceled` and `skipped`; none means
/// "waiting for someone", and `pending` is not yet started, which is true of production traffic),
/// linking the test URL. The pipeline shows both until `maestro continue` or `maestro abort`
/// resolves them (`status_approval_resolved`).
pub fn status_awaiting(context: &Context, awaiting: &AwaitingApproval, pipeline_id: Option<&str>) -> Value {
    let target = awaiting.test_url.as_deref().or(context.request.run_url.as_deref());
    let mut body = status(context, "pending", target, &awaiting.line(), pipeline_id);
    body["name"] = json!(approval_name(context));
    body
}

/// The companion status once a later run ended the deploy: `success` when `maestro continue`
/// deployed it, else `canceled` ("not approved"), the deploy's own status saying why it failed.
pub fn status_approval_resolved(context: &Context, finished: &Finished, pipeline_id: Option<&str>) -> Value {
    let (state, description) = if finished.succeeded {
        ("success", format!("Approved: {} deployed to {}", context.request.short_sha, context.environment))
    } else {
        let reason = finished.failure.as_deref().unwrap_or("the deploy did not go on");
        ("canceled", format!("Not approved: {reason}"))
    };
    let mut body = status(context, state, context.request.run_url.as_deref(), &description, pipeline_id);
    body["name"] = json!(approval_name(context));
    body
}

/// Whether GitLab's listing of the commit's statuses holds the companion status still waiting:
/// only then does a finishing run resolve it, so a plain `maestro abort` adds none.
pub fn approval_waiting(listed: &Value, context: &Context) -> bool {
    let name = approval_name(context);
    listed.as_array().is_some_and(|statuses| {
        statuses.iter().any(|status| {
            status["name"].as_str() == Some(name.as_str())
                && matches!(status["status"].as_str(), Some("pending" | "running"))
        })
    })
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

    #[test]
    fn a_paused_deploy_gets_a_pending_companion_status_resolved_by_the_finishing_run() {
        let context = context(None);
        let awaiting = crate::rollout::approval::fixtures::awaiting();
        assert_eq!(
            status_awaiting(&context, &awaiting, Some("991")),
            json!({
                "state": "pending",
                "name": "maestro/staging/approval",
                "description": awaiting.line(),
                "ref": "staging",
                "target_url": "https://staging.shop.example.com:8443",
                "pipeline_id": 991,
            })
        );
        let approved = status_approval_resolved(&context, &finished(true), None);
        assert_eq!(
            (approved["state"].as_str(), approved["name"].as_str(), approved["description"].as_str()),
            (Some("success"), Some("maestro/staging/approval"), Some("Approved: ffeeddcc deployed to staging"))
        );
        let mut aborted = finished(false);
        aborted.failure = Some("rolled back by maestro abort: web back on its previous revision".into());
        assert_eq!(
            status_approval_resolved(&context, &aborted, None)["description"],
            "Not approved: rolled back by maestro abort: web back on its previous revision"
        );
        assert_eq!(status_approval_resolved(&context, &aborted, None)["state"], "canceled");
        let listed = json!([
            {"name": "maestro/staging", "status": "running"},
            {"name": "maestro/staging/approval", "status": "pending"}
        ]);
        assert!(approval_waiting(&listed, &context));
        assert!(!approval_waiting(&json!([{"name": "maestro/staging/approval", "status": "success"}]), &context));
        assert!(!approval_waiting(&json!([{"name": "maestro/staging", "status": "running"}]), &context));
        assert!(!approval_waiting(&json!({"message": "404"}), &context));
    }

    /// A merge request deploys as `pr-<iid>`, which is no git ref: its status goes on the source branch.
    #[test]
    fn a_merge_request_status_is_filed_under_its_source_branch() {
        let mut context = context(None);
        (context.request.branch, context.request.head_branch) = (Some("pr-42".into()), Some("feature/login".into()));
        assert_eq!(status_started(&context, None)["ref"], "feature/login");
    }
}
