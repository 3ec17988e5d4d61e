//! GitHub's deployment, deployment status, commit status and check run payloads.
//!
//! The deployment is created on the report SHA (a pull request's head, where it shows on the
//! PR) with `auto_merge: false` and `required_contexts: []`: GitHub's defaults would merge the
//! default branch into the ref or refuse the deployment while other checks run.

use serde_json::{Value, json};

use super::{Context, Finished, Supersession};
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
mod tests {
    use super::*;
    use crate::report::fixtures::{context, finished};

    #[test]
    fn a_branch_deployment_is_permanent_and_never_auto_merges() {
        let body = deployment(&context(None), "4242-1");
        assert_eq!(
            body,
            json!({
                "ref": "a1b2c3d4e5f60718293a4b5c6d7e8f9012345678",
                "task": "deploy",
                "auto_merge": false,
                "required_contexts": [],
                "environment": "staging",
                "description": "maestro deploys ffeeddcc to staging",
                "transient_environment": false,
                "production_environment": false,
                "payload": {"maestro_run": "4242-1"},
            })
        );
        assert!(is_ours(&body, "4242-1") && !is_ours(&body, "4242-2"));
        let mut production = context(None);
        production.environment = "Production".into();
        assert_eq!(deployment(&production, "k")["production_environment"], true);
    }

    #[test]
    fn a_superseded_deploy_is_inactive_and_its_commit_status_no_failure() {
        let context = context(None);
        let by = Supersession {
            sha: "b".repeat(40),
            run_url: Some("https://github.com/acme/shop-api/actions/runs/4243".into()),
        };
        let line =
            "Not deployed to staging: superseded by bbbbbbbb (run https://github.com/acme/shop-api/actions/runs/4243)";
        assert_eq!(
            deployment_superseded(&context, &by),
            json!({"state": "inactive", "description": line, "log_url": "https://github.com/acme/shop-api/actions/runs/4242"})
        );
        assert_eq!(
            commit_status_superseded(&context, &by),
            json!({"state": "success", "context": "maestro/staging", "description": line, "target_url": "https://github.com/acme/shop-api/actions/runs/4243"})
        );
        let check = check_run_superseded(&context, &by, "summary");
        assert_eq!((check["conclusion"].as_str(), check["output"]["title"].as_str()), (Some("skipped"), Some(line)));
    }

    #[test]
    fn a_pull_request_deployment_is_transient() {
        let mut pr = context(Some(18));
        pr.environment = "production".into();
        let body = deployment(&pr, "k");
        assert_eq!(
            (body["transient_environment"].as_bool(), body["production_environment"].as_bool()),
            (Some(true), Some(false))
        );
    }

    #[test]
    fn statuses_carry_the_app_url_on_success_and_the_reason_on_failure() {
        let context = context(None);
        assert_eq!(
            deployment_started(&context),
            json!({"state": "in_progress", "description": "Deploying ffeeddcc to staging", "log_url": "https://github.com/acme/shop-api/actions/runs/4242"})
        );
        let success = deployment_finished(&context, &finished(true));
        assert_eq!(success["environment_url"], "https://staging.shop.example.com");
        assert_eq!(success["state"], "success");
        let failure = deployment_finished(&context, &finished(false));
        assert_eq!(failure["state"], "failure");
        assert!(failure.get("environment_url").is_none());
        assert_eq!(failure["description"], "Deploy to staging failed: 1 of 2 services did not roll out");
        let status = commit_status_finished(&context, &finished(true));
        assert_eq!(
            status,
            json!({"state": "success", "context": "maestro/staging", "description": "Deployed ffeeddcc to staging", "target_url": "https://staging.shop.example.com"})
        );
        assert_eq!(
            commit_status_finished(&context, &finished(false))["target_url"],
            "https://github.com/acme/shop-api/actions/runs/4242"
        );
        assert_eq!(commit_status_started(&context)["state"], "pending");
    }

    #[test]
    fn every_payload_whole_with_the_runs_page() {
        let context = context(None);
        const RUN: &str = "https://github.com/acme/shop-api/actions/runs/4242";
        assert_eq!(
            deployment_stopped(&context),
            json!({"state": "inactive", "description": "Stopped staging: its services run no tasks", "log_url": RUN})
        );
        assert_eq!(
            deployment_removed(&context),
            json!({"state": "inactive", "description": "Removed staging: its AWS resources are deleted", "log_url": RUN})
        );
        assert_eq!(
            deployment_finished(&context, &finished(true)),
            json!({
                "state": "success",
                "description": "Deployed ffeeddcc to staging",
                "log_url": RUN,
                "environment_url": "https://staging.shop.example.com",
            })
        );
        assert_eq!(
            commit_status_started(&context),
            json!({"state": "pending", "context": "maestro/staging", "description": "Deploying to staging", "target_url": RUN})
        );
        assert_eq!(
            check_run(&context, &finished(false), "## summary"),
            json!({
                "name": "maestro/staging",
                "head_sha": "a1b2c3d4e5f60718293a4b5c6d7e8f9012345678",
                "status": "completed",
                "conclusion": "failure",
                "output": {"title": "Deploy to staging failed: 1 of 2 services did not roll out", "summary": "## summary"},
                "details_url": RUN,
            })
        );
    }

    #[test]
    fn without_a_runs_page_no_link_is_sent() {
        let mut context = context(None);
        context.request.run_url = None;
        assert_eq!(
            deployment_stopped(&context),
            json!({"state": "inactive", "description": "Stopped staging: its services run no tasks"})
        );
        assert_eq!(
            deployment_started(&context),
            json!({"state": "in_progress", "description": "Deploying ffeeddcc to staging"})
        );
        assert_eq!(
            commit_status_started(&context),
            json!({"state": "pending", "context": "maestro/staging", "description": "Deploying to staging"})
        );
        let mut failed = finished(false);
        failed.failure = None;
        assert_eq!(
            deployment_finished(&context, &failed),
            json!({"state": "failure", "description": "Deploy to staging failed"})
        );
        assert_eq!(
            commit_status_finished(&context, &failed),
            json!({"state": "failure", "context": "maestro/staging", "description": "Deploy to staging failed"})
        );
        assert!(check_run(&context, &failed, "").get("details_url").is_none());
        // A success with neither the app's URL nor a run page has nothing to link to.
        let mut succeeded = finished(true);
        succeeded.url = None;
        assert!(commit_status_finished(&context, &succeeded).get("target_url").is_none());
        assert!(deployment_finished(&context, &succeeded).get("environment_url").is_none());
    }

    #[test]
    fn a_success_without_a_url_points_at_the_run() {
        let mut succeeded = finished(true);
        succeeded.url = None;
        assert_eq!(
            commit_status_finished(&context(None), &succeeded)["target_url"],
            "https://github.com/acme/shop-api/actions/runs/4242"
        );
    }

    #[test]
    fn only_production_and_prod_are_production() {
        for (environment, production) in
            [("production", true), ("PROD", true), ("Prod", true), ("staging", false), ("production-eu", false)]
        {
            assert_eq!(is_production(environment), production, "{environment}");
        }
    }

    #[test]
    fn long_descriptions_are_cut_to_what_github_shows() {
        let mut failed = finished(false);
        failed.failure = Some("x".repeat(300));
        let description = commit_status_finished(&context(None), &failed)["description"].as_str().unwrap().to_owned();
        assert_eq!(description.chars().count(), 140);
        assert!(description.ends_with('…'));
    }

    #[test]
    fn the_check_run_is_completed_with_the_summary() {
        let body = check_run(&context(Some(18)), &finished(true), "## summary");
        assert_eq!(body["conclusion"], "success");
        assert_eq!(body["head_sha"], "a1b2c3d4e5f60718293a4b5c6d7e8f9012345678");
        assert_eq!(body["output"]["summary"], "## summary");
        assert_eq!(body["name"], "maestro/staging");
    }
}
