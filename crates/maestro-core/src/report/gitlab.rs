//! GitLab's commit status payload (`POST /projects/:id/statuses/:sha`).

use serde_json::{Value, json};

use super::{Context, Finished};
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

fn status(context: &Context, state: &str, target: Option<&str>, description: &str, pipeline_id: Option<&str>) -> Value {
    let mut body = json!({
        "state": state,
        "name": context.status_name(),
        "description": truncate(description, 255),
    });
    if let Some(branch) = &context.request.branch {
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
        assert!(already_in_state(400, r#"{"message":"Cannot transition status via :run from :running"}"#));
        assert!(!already_in_state(400, r#"{"message":"ref is missing"}"#));
    }
}
