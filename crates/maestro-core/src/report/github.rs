//! GitHub's deployment, deployment status, commit status and check run payloads.
//!
//! The deployment is created on the report SHA (a pull request's head, where it shows on the
//! PR) with `auto_merge: false` and `required_contexts: []`: GitHub's defaults would merge the
//! default branch into the ref or refuse the deployment while other checks run.

use serde_json::{Value, json};

use super::{AwaitingApproval, Context, Finished, Supersession};
use crate::text::truncate;

/// GitHub shows at most 140 characters of a status description.
const DESCRIPTION: usize = 140;

/// The names of production environments, which GitHub treats as such.
fn is_production(environment: &str) -> bool {
    matches!(environment.to_ascii_lowercase().as_str(), "production" | "prod")
}

/// `POST /repos/{owner}/{repo}/deployments`. `run_key` identifies this run's deployment, so a
/// retry can find it instead of creating a second one.
pub fn deployment(context: &Context, run_key: &str) -> Value {
    let request = &context.request;
    json!({
        "ref": request.report_sha,
        "task": "deploy",
        "auto_merge": false,
        "required_contexts": [],
        "environment": context.environment,
        "description": truncate(&format!("maestro deploys {} to {}", request.short_sha, context.environment), DESCRIPTION),
        "transient_environment": context.is_pull_request(),
        "production_environment": !context.is_pull_request() && is_production(&context.environment),
        "payload": { "maestro_run": run_key },
    })
}

/// Whether a listed deployment is the one this run created.
pub fn is_ours(deployment: &Value, run_key: &str) -> bool {
    deployment.pointer("/payload/maestro_run").and_then(Value::as_str) == Some(run_key)
}

/// `POST /repos/{owner}/{repo}/deployments/{id}/statuses`, when the deploy starts.
pub fn deployment_started(context: &Context) -> Value {
    let mut body = json!({
        "state": "in_progress",
        "description": truncate(&format!("Deploying {} to {}", context.request.short_sha, context.environment), DESCRIPTION),
    });
    if let Some(run_url) = &context.request.run_url {
        body["log_url"] = json!(run_url);
    }
    body
}

/// The environment's latest deployment, once `maestro stop` paused it: GitHub then shows the
/// pull request's environment as no longer active.
pub fn deployment_stopped(context: &Context) -> Value {
    let mut body = json!({
        "state": "inactive",
        "description": truncate(&format!("Stopped {}: its services run no tasks", context.environment), DESCRIPTION),
    });
    if let Some(run_url) = &context.request.run_url {
        body["log_url"] = json!(run_url);
    }
    body
}

/// The environment's latest deployment, once `maestro destroy` deleted the preview: GitHub then
/// shows the pull request's environment as gone.
pub fn deployment_removed(context: &Context) -> Value {
    let mut body = json!({
        "state": "inactive",
        "description": truncate(&format!("Removed {}: its AWS resources are deleted", context.environment), DESCRIPTION),
    });
    if let Some(run_url) = &context.request.run_url {
        body["log_url"] = json!(run_url);
    }
    body
}

/// The deployment's final status: `success` with the app's URL, or `failure`.
pub fn deployment_finished(context: &Context, finished: &Finished) -> Value {
    let mut body = json!({ "state": finished.status(), "description": description(context, finished) });
    if let Some(run_url) = &context.request.run_url {
        body["log_url"] = json!(run_url);
    }
    if let (true, Some(url)) = (finished.succeeded, &finished.url) {
        body["environment_url"] = json!(url);
    }
    body
}

/// `POST /repos/{owner}/{repo}/statuses/{sha}`, `pending` while the deploy runs.
pub fn commit_status_started(context: &Context) -> Value {
    let mut body = json!({
        "state": "pending",
        "context": context.status_name(),
        "description": truncate(&format!("Deploying to {}", context.environment), DESCRIPTION),
    });
    if let Some(run_url) = &context.request.run_url {
        body["target_url"] = json!(run_url);
    }
    body
}

pub fn commit_status_finished(context: &Context, finished: &Finished) -> Value {
    let mut body = json!({
        "state": finished.status(),
        "context": context.status_name(),
        "description": description(context, finished),
    });
    let target = if finished.succeeded {
        finished.url.as_ref().or(context.request.run_url.as_ref())
    } else {
        context.request.run_url.as_ref()
    };
    if let Some(target) = target {
        body["target_url"] = json!(target);
    }
    body
}

/// A deploy superseded while it waited for the lease: its deployment never went live, and GitHub
/// has no "superseded" state, so it goes `inactive` (what GitHub calls a deployment that is not
/// the environment's current one), never `failure` or `error`.
pub fn deployment_superseded(context: &Context, by: &Supersession) -> Value {
    let mut body = json!({ "state": "inactive", "description": superseded(context, by) });
    if let Some(run_url) = &context.request.run_url {
        body["log_url"] = json!(run_url);
    }
    body
}

/// The commit status of a superseded deploy: `success`, described as superseded and linking the
/// newer run. A commit status is only `error`, `failure`, `pending` or `success`: the first two
/// would read as a broken deploy (gumroad#6292's complaint), and `pending` would hold a required
/// check forever, while the newer commit, which carries this one's changes, deploys.
pub fn commit_status_superseded(context: &Context, by: &Supersession) -> Value {
    let mut body = json!({
        "state": "success",
        "context": context.status_name(),
        "description": superseded(context, by),
    });
    if let Some(target) = by.run_url.as_ref().or(context.request.run_url.as_ref()) {
        body["target_url"] = json!(target);
    }
    body
}

/// The check run of a superseded deploy: `skipped`, a conclusion that is neither a success nor a
/// failure (required checks accept it).
pub fn check_run_superseded(context: &Context, by: &Supersession, summary: &str) -> Value {
    let mut body = json!({
        "name": context.status_name(),
        "head_sha": context.request.report_sha,
        "status": "completed",
        "conclusion": "skipped",
        "output": { "title": superseded(context, by), "summary": truncate(summary, 65_000) },
    });
    if let Some(run_url) = &context.request.run_url {
        body["details_url"] = json!(run_url);
    }
    body
}

/// "Not deployed to staging: superseded by bbbbbbbb (run …)".
fn superseded(context: &Context, by: &Supersession) -> String {
    truncate(&format!("Not deployed to {}: {}", context.environment, by.line()), DESCRIPTION)
}

/// The deployment once ECS paused it at the approval hook: still `in_progress` (GitHub's
/// deployment states are `error`, `failure`, `inactive`, `in_progress`, `queued`, `pending` and
/// `success`; none means "waiting for someone", and the deploy is under way at ECS), described
/// as awaiting approval, with the test URL as `environment_url` so "View deployment" opens the
/// new revision. `auto_inactive: false`: GitHub's default marks the environment's earlier
/// successful deployments inactive when a status is added, and the live one still serves
/// production until someone approves. `log_url` is the run, where the commands are; without one,
/// the test URL.
pub fn deployment_awaiting(context: &Context, awaiting: &AwaitingApproval) -> Value {
    let mut body = json!({
        "state": "in_progress",
        "description": awaiting_description(context, awaiting),
        "auto_inactive": false,
    });
    if let Some(log) = context.request.run_url.as_ref().or(awaiting.test_url.as_ref()) {
        body["log_url"] = json!(log);
    }
    if let Some(url) = &awaiting.test_url {
        body["environment_url"] = json!(url);
    }
    body
}

/// The commit status while the deploy waits: `pending` (a commit status is only `error`,
/// `failure`, `pending` or `success`, and it is none of the others yet), so a required check
/// holds the merge until `maestro continue` or `maestro abort` ends the deploy. It links the test
/// URL, the thing to look at before approving; without one, the run.
pub fn commit_status_awaiting(context: &Context, awaiting: &AwaitingApproval) -> Value {
    let mut body = json!({
        "state": "pending",
        "context": context.status_name(),
        "description": awaiting_description(context, awaiting),
    });
    if let Some(target) = awaiting.test_url.as_ref().or(context.request.run_url.as_ref()) {
        body["target_url"] = json!(target);
    }
    body
}

/// The check run while the deploy waits: completed with the conclusion `action_required`, which
/// the Checks API offers for exactly this ("additional details should be provided on the site
/// specified by `details_url`": the run, whose summary names the test URL and the commands).
/// Like `pending`, a required check does not pass with it.
pub fn check_run_awaiting(context: &Context, awaiting: &AwaitingApproval, summary: &str) -> Value {
    let mut body = json!({
        "name": context.status_name(),
        "head_sha": context.request.report_sha,
        "status": "completed",
        "conclusion": "action_required",
        "output": { "title": awaiting_description(context, awaiting), "summary": truncate(summary, 65_000) },
    });
    if let Some(run_url) = &context.request.run_url {
        body["details_url"] = json!(run_url);
    }
    body
}

/// "Awaiting approval to deploy ffeeddcc to staging: web paused before production traffic".
fn awaiting_description(context: &Context, awaiting: &AwaitingApproval) -> String {
    let text = format!(
        "Awaiting approval to deploy {} to {}: {}",
        context.request.short_sha,
        context.environment,
        awaiting.where_paused()
    );
    truncate(&text.replace(['\r', '\n'], " "), DESCRIPTION)
}

/// `GET /repos/{owner}/{repo}/deployments?…`: the commit's deployments to the environment,
/// newest first (GitHub's order), the first being the one a run that ended awaiting approval
/// created; `maestro continue` and `maestro abort` finish that one.
pub fn latest_deployment_query(context: &Context) -> String {
    format!(
        "/deployments?sha={}&environment={}&per_page=1",
        context.request.report_sha,
        crate::text::percent::encode(&context.environment)
    )
}

/// `POST /repos/{owner}/{repo}/check-runs`, completed at once, with the summary.
pub fn check_run(context: &Context, finished: &Finished, summary: &str) -> Value {
    let mut body = json!({
        "name": context.status_name(),
        "head_sha": context.request.report_sha,
        "status": "completed",
        "conclusion": finished.status(),
        "output": {
            "title": description(context, finished),
            "summary": truncate(summary, 65_000),
        },
    });
    if let Some(run_url) = &context.request.run_url {
        body["details_url"] = json!(run_url);
    }
    body
}

fn description(context: &Context, finished: &Finished) -> String {
    let text = match (&finished.failure, finished.succeeded) {
        (_, true) => format!("Deployed {} to {}", context.request.short_sha, context.environment),
        (Some(failure), false) => format!("Deploy to {} failed: {failure}", context.environment),
        (None, false) => format!("Deploy to {} failed", context.environment),
    };
    truncate(&text, DESCRIPTION)
}

#[cfg(test)]
#[path = "github_tests.rs"]
mod tests;
