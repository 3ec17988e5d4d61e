//! Several environments in one cluster (`ECS_CLUSTER_ID`): `--prune` deletes only the services
//! that carry this environment's marker tag. Branch `staging-next` names its services
//! `acme-shop-api-staging-next-…`, which starts like branch `staging`'s `acme-shop-api-staging-…`.

use std::collections::BTreeSet;

use aws_sdk_applicationautoscaling::types::ServiceNamespace;

use crate::deploy_cli::{command_in, maestro_in};
use crate::support::{active_services, run};
use maestro_test_support::TestAccount;

const SHARED: (&str, &str) = ("ECS_CLUSTER_ID", "shared-staging");

/// The example's processes without `worker`.
const WITHOUT_WORKER: (&str, &str) = (
    "ECS_SERVICE_TASK_PROCESSES",
    "web{1024;2048}:2-5[mem=55&nosclin;cpu=60;alb=1000], clock, scheduledtasks{256;512}",
);

/// For each schedule rule: its name and the task definition family its target runs.
async fn schedule_families(account: &TestAccount) -> Vec<(String, String)> {
    let events = aws_sdk_eventbridge::Client::new(&account.config);
    let mut rules = Vec::new();
    let mut token = None;
    loop {
        let page = events.list_rules().set_next_token(token).send().await.unwrap();
        rules.extend(page.rules().iter().filter_map(|rule| rule.name().map(str::to_owned)));
        token = page.next_token().map(str::to_owned);
        if token.is_none() {
            break;
        }
    }
    let mut families = Vec::new();
    for rule in rules {
        let targets = events.list_targets_by_rule().rule(&rule).send().await.unwrap();
        for target in targets.targets() {
            let definition = target.ecs_parameters().map(|ecs| ecs.task_definition_arn()).unwrap_or_default();
            let family = definition.rsplit('/').next().unwrap_or_default().split(':').next().unwrap_or_default();
            families.push((rule.clone(), family.to_owned()));
        }
    }
    families
}

async fn scalable_targets(account: &TestAccount) -> BTreeSet<String> {
    let scaling = aws_sdk_applicationautoscaling::Client::new(&account.config);
    let mut targets = BTreeSet::new();
    let mut pages =
        scaling.describe_scalable_targets().service_namespace(ServiceNamespace::Ecs).into_paginator().send();
    while let Some(page) = pages.next().await {
        targets.extend(page.unwrap().scalable_targets().iter().map(|target| target.resource_id().to_owned()));
    }
    targets
}

#[tokio::test(flavor = "multi_thread")]
#[ignore = "needs the AWS emulator: bash scripts/test.sh"]
async fn prune_in_a_shared_cluster_leaves_other_branches_services() {
    let account = TestAccount::new("prune_in_a_shared_cluster_leaves_other_branches_services").await;
    let next = ("MAESTRO_BRANCH_OVERRIDE", "staging-next");
    // Rules under the cluster's hash alone, as maestro named them before: `staging`'s own (its
    // marker) is replaced by one under the environment's name; the original's (untagged) is left.
    let former = maestro_core::naming::schedule_rule_prefix(SHARED.1, None);
    let events = aws_sdk_eventbridge::Client::new(&account.config);
    let marker = aws_sdk_eventbridge::types::Tag::builder().key("maestro:app").value("acme-shop-api-staging").build();
    let put = events.put_rule().name(format!("{former}update-feed")).schedule_expression("rate(3 hours)");
    put.tags(marker.unwrap()).send().await.unwrap();
    let put = events.put_rule().name(format!("{former}legacy")).schedule_expression("rate(1 day)");
    put.send().await.unwrap();
    maestro_in(&account, "deploy", "json", &[SHARED, next]).await.expect_code(0);
    let staging = maestro_in(&account, "deploy", "json", &[SHARED]).await;
    staging.expect_code(0).expect_stderr(&[&format!("schedule rule {former}legacy is not in the schedule file")]);
    let report = staging.json();
    let deleted = format!("{former}update-feed");
    assert!(
        report["actions"].as_array().unwrap().iter().any(|a| a["action"] == "delete_rule" && a["name"] == deleted),
        "{}",
        report["actions"]
    );
    let theirs =
        ["acme-shop-api-staging-next-web", "acme-shop-api-staging-next-worker", "acme-shop-api-staging-next-clock"];
    let both = active_services(&account, SHARED.1).await;
    assert!(theirs.iter().all(|name| both.contains(*name)), "{both:?}");
    // Each branch's three schedules are its own rules, each running its own task definition (the
    // cluster's hash alone named both branches' `update-feed` alike, and the last deploy won).
    let schedules = schedule_families(&account).await;
    for family in ["acme-shop-api-staging-scheduledtasks", "acme-shop-api-staging-next-scheduledtasks"] {
        let rules: BTreeSet<&str> =
            schedules.iter().filter(|(_, runs)| runs == family).map(|(rule, _)| rule.as_str()).collect();
        assert_eq!(rules.len(), 3, "{family}: {schedules:?}");
    }

    // Without --prune, the other branch's services are not this one's to mention.
    let outcome = maestro_in(&account, "deploy", "json", &[SHARED, WITHOUT_WORKER]).await;
    outcome.expect_code(0).expect_nowhere(&["staging-next-web is no longer in the plan"]);
    outcome.expect_stderr(&["service acme-shop-api-staging-worker is no longer in the plan"]);

    let mut command = command_in(&account, "deploy", "json", &[SHARED, WITHOUT_WORKER]).await;
    let report = run(command.arg("--prune")).expect_code(0).json();
    let actions: Vec<&str> =
        report["actions"].as_array().unwrap().iter().map(|a| a["action"].as_str().unwrap()).collect();
    assert_eq!(actions, ["deregister_scalable_target", "delete_service"], "{}", report["actions"]);
    assert_eq!(report["actions"][1]["name"], "acme-shop-api-staging-worker");

    let left = active_services(&account, SHARED.1).await;
    assert!(!left.contains("acme-shop-api-staging-worker"), "{left:?}");
    for name in theirs.into_iter().chain(["acme-shop-api-staging-web", "acme-shop-api-staging-clock"]) {
        assert!(left.contains(name), "{name} was deleted: {left:?}");
    }
    // The pruned service's scalable target went with it; the other branch's worker keeps its own.
    let targets = scalable_targets(&account).await;
    assert!(!targets.contains("service/shared-staging/acme-shop-api-staging-worker"), "{targets:?}");
    assert!(targets.contains("service/shared-staging/acme-shop-api-staging-next-worker"), "{targets:?}");
}
