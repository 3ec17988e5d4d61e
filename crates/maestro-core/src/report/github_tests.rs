//! The GitHub payloads, whole.

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
fn a_paused_deploy_is_in_progress_pending_and_asks_for_action() {
    let context = context(None);
    let awaiting = crate::rollout::approval::fixtures::awaiting();
    const TITLE: &str = "Awaiting approval to deploy ffeeddcc to staging: web paused before production traffic";
    assert_eq!(
        deployment_awaiting(&context, &awaiting),
        json!({
            "state": "in_progress",
            "description": TITLE,
            "auto_inactive": false,
            "log_url": "https://github.com/acme/shop-api/actions/runs/4242",
            "environment_url": "https://staging.shop.example.com:8443",
        })
    );
    assert_eq!(
        commit_status_awaiting(&context, &awaiting),
        json!({
            "state": "pending",
            "context": "maestro/staging",
            "description": TITLE,
            "target_url": "https://staging.shop.example.com:8443",
        })
    );
    assert_eq!(
        check_run_awaiting(&context, &awaiting, "## summary"),
        json!({
            "name": "maestro/staging",
            "head_sha": "a1b2c3d4e5f60718293a4b5c6d7e8f9012345678",
            "status": "completed",
            "conclusion": "action_required",
            "output": {"title": TITLE, "summary": "## summary"},
            "details_url": "https://github.com/acme/shop-api/actions/runs/4242",
        })
    );
}

#[test]
fn a_paused_deploy_without_a_test_url_or_run_links_what_it_has() {
    let mut context = context(None);
    let mut awaiting = crate::rollout::approval::fixtures::awaiting();
    awaiting.test_url = None;
    let deployment = deployment_awaiting(&context, &awaiting);
    assert!(deployment.get("environment_url").is_none());
    assert_eq!(
        commit_status_awaiting(&context, &awaiting)["target_url"],
        "https://github.com/acme/shop-api/actions/runs/4242"
    );
    context.request.run_url = None;
    assert!(deployment_awaiting(&context, &awaiting).get("log_url").is_none());
    assert!(commit_status_awaiting(&context, &awaiting).get("target_url").is_none());
    assert!(check_run_awaiting(&context, &awaiting, "").get("details_url").is_none());
    awaiting.test_url = Some("https://t.example.com".into());
    assert_eq!(deployment_awaiting(&context, &awaiting)["log_url"], "https://t.example.com");
}

#[test]
fn the_latest_deployment_is_looked_up_by_commit_and_environment() {
    let mut context = context(None);
    context.environment = "pr 5/x".into();
    assert_eq!(
        latest_deployment_query(&context),
        "/deployments?sha=a1b2c3d4e5f60718293a4b5c6d7e8f9012345678&environment=pr%205%2Fx&per_page=1"
    );
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
