//! `maestro destroy`: two environments (branches `destroy-a` and `destroy-b` of the example) in
//! one cluster (`ECS_CLUSTER_ID`) behind one load balancer (`ALB_NAME_OVERRIDE`). Destroying A
//! lists first (exit 2, nothing deleted), then deletes everything of A and nothing of B, whose
//! redeploy then writes nothing; a second destroy deletes nothing; a killed destroy resumes. An
//! environment with its own cluster and load balancer loses both.

use std::collections::BTreeSet;
use std::process::Stdio;
use std::time::{Duration, Instant};

use aws_sdk_elasticloadbalancingv2::types::{Action, ActionTypeEnum, FixedResponseActionConfig, ProtocolEnum};
use serde_json::json;

use crate::deploy_cli::command_in;
use crate::faults::FaultProxy;
use crate::support::{active_services, run};
use maestro_test_support::TestAccount;

const CLUSTER: (&str, &str) = ("ECS_CLUSTER_ID", "shared-destroy");
const BALANCER: (&str, &str) = ("ALB_NAME_OVERRIDE", "shared-alb");
const A: [(&str, &str); 4] =
    [CLUSTER, BALANCER, ("MAESTRO_BRANCH_OVERRIDE", "destroy-a"), ("MAESTRO_HOST", "a.shop.example.com")];
const B: [(&str, &str); 4] =
    [CLUSTER, BALANCER, ("MAESTRO_BRANCH_OVERRIDE", "destroy-b"), ("MAESTRO_HOST", "b.shop.example.com")];
const A_NAME: &str = "acme-shop-api-destroy-a";

/// The shared load balancer, with the listener the apps' host rules go on.
async fn shared_load_balancer(account: &TestAccount) -> String {
    let elb = aws_sdk_elasticloadbalancingv2::Client::new(&account.config);
    let network = account.network().await;
    let created =
        elb.create_load_balancer().name(BALANCER.1).set_subnets(Some(network.subnets.clone())).send().await.unwrap();
    let arn = created.load_balancers()[0].load_balancer_arn().unwrap().to_owned();
    let not_found = FixedResponseActionConfig::builder().status_code("404").build();
    let answer = Action::builder().r#type(ActionTypeEnum::FixedResponse).fixed_response_config(not_found).build();
    let listener = elb.create_listener().load_balancer_arn(&arn).protocol(ProtocolEnum::Http).port(80);
    let listener = listener.default_actions(answer).send().await.unwrap();
    listener.listeners()[0].listener_arn().unwrap().to_owned()
}

/// The hosts the listener's rules route (its default rule left out).
pub(crate) async fn routed_hosts(account: &TestAccount, listener: &str) -> BTreeSet<String> {
    let elb = aws_sdk_elasticloadbalancingv2::Client::new(&account.config);
    let mut hosts = BTreeSet::new();
    let mut marker = None;
    loop {
        let page = elb.describe_rules().listener_arn(listener).set_marker(marker).send().await.unwrap();
        for rule in page.rules().iter().filter(|rule| !rule.is_default().unwrap_or(false)) {
            for condition in rule.conditions() {
                let values = condition.host_header_config().map(|config| config.values().to_vec());
                hosts.extend(values.unwrap_or_default());
            }
        }
        marker = page.next_marker().map(str::to_owned);
        if marker.is_none() {
            return hosts;
        }
    }
}

/// Everything of environment `name` that a destroy must leave nothing of, by kind.
pub(crate) async fn leftovers(account: &TestAccount, name: &str) -> Vec<String> {
    let config = &account.config;
    let mut left = Vec::new();
    let ecs = aws_sdk_ecs::Client::new(config);
    let mut pages = ecs
        .list_task_definitions()
        .family_prefix(format!("{name}-"))
        .status(aws_sdk_ecs::types::TaskDefinitionStatus::Active)
        .into_paginator()
        .send();
    while let Some(page) = pages.next().await {
        left.extend(page.unwrap().task_definition_arns().iter().map(|arn| format!("task definition {arn}")));
    }
    let logs = aws_sdk_cloudwatchlogs::Client::new(config);
    let mut pages = logs.describe_log_groups().log_group_name_prefix(format!("/ecs/{name}-")).into_paginator().send();
    while let Some(page) = pages.next().await {
        let page = page.unwrap();
        left.extend(page.log_groups().iter().map(|group| format!("log group {}", group.log_group_name().unwrap())));
    }
    let elb = aws_sdk_elasticloadbalancingv2::Client::new(config);
    if let Ok(found) = elb.describe_target_groups().names(name).send().await {
        left.extend(found.target_groups().iter().map(|group| format!("target group {:?}", group.target_group_name())));
    }
    let ssm = aws_sdk_ssm::Client::new(config);
    let records = format!("/maestro/releases/{name}");
    if ssm.get_parameter().name(&records).send().await.is_ok() {
        left.push(records);
    }
    let locks = ssm.get_parameters_by_path().path(format!("/maestro/locks/{name}")).send().await.unwrap();
    left.extend(locks.parameters().iter().map(|parameter| format!("lease {:?}", parameter.name())));
    let events = aws_sdk_eventbridge::Client::new(config);
    let mut token = None;
    loop {
        let page = events.list_rules().set_next_token(token).send().await.unwrap();
        for rule in page.rules() {
            let tags = events.list_tags_for_resource().resource_arn(rule.arn().unwrap()).send().await.unwrap();
            if tags.tags().iter().any(|tag| tag.key() == "maestro:app" && tag.value() == name) {
                left.push(format!("schedule rule {}", rule.name().unwrap()));
            }
        }
        token = page.next_token().map(str::to_owned);
        if token.is_none() {
            break;
        }
    }
    left
}

fn names_of(services: &BTreeSet<String>, environment: &str) -> Vec<String> {
    services.iter().filter(|name| name.starts_with(&format!("{environment}-"))).cloned().collect()
}

#[tokio::test(flavor = "multi_thread")]
#[ignore = "needs the AWS emulator: bash scripts/test.sh"]
async fn destroy_deletes_one_environment_of_a_shared_cluster_and_load_balancer_and_nothing_else() {
    let account = TestAccount::new("destroy_one_of_two_environments").await;
    let listener = shared_load_balancer(&account).await;
    run(&mut command_in(&account, "deploy", "json", &A).await).expect_code(0);
    run(&mut command_in(&account, "deploy", "json", &B).await).expect_code(0);
    let before = active_services(&account, CLUSTER.1).await;
    let b_services = names_of(&before, "acme-shop-api-destroy-b");
    assert_eq!(names_of(&before, A_NAME).len(), 3, "{before:?}");
    assert_eq!(b_services.len(), 3, "{before:?}");

    // Without --confirm: the list, exit code 2, nothing deleted.
    let listed = run(&mut command_in(&account, "destroy", "human", &A).await);
    listed.expect_code(2).expect_stderr(&[&format!("run again with `--confirm {A_NAME}`")]);
    insta::assert_snapshot!("destroy_human_list", listed.stdout);
    let wrong = run(command_in(&account, "destroy", "json", &A).await.args(["--confirm", "acme-shop-api-destroy-b"]));
    let report = wrong.expect_code(2).json();
    assert_eq!(report["confirmed"], false);
    assert_eq!(report["aws_calls"]["writes"], 0, "{}", report["aws_calls"]);
    assert_eq!(active_services(&account, CLUSTER.1).await, before, "nothing was deleted");

    let destroyed = run(command_in(&account, "destroy", "json", &A).await.args(["--confirm", A_NAME]));
    let report = destroyed.expect_code(0).json();
    let steps: Vec<&str> =
        report["steps"].as_array().unwrap().iter().map(|s| s["step"]["step"].as_str().unwrap()).collect();
    assert!(steps.contains(&"delete_listener_rule") && steps.contains(&"delete_target_group"), "{steps:?}");
    assert!(!steps.contains(&"delete_load_balancer") && !steps.contains(&"delete_cluster"), "{steps:?}");
    let after = active_services(&account, CLUSTER.1).await;
    assert!(names_of(&after, A_NAME).is_empty(), "{after:?}");
    assert_eq!(names_of(&after, "acme-shop-api-destroy-b"), b_services);
    assert_eq!(leftovers(&account, A_NAME).await, Vec::<String>::new());
    assert_eq!(routed_hosts(&account, &listener).await, BTreeSet::from(["b.shop.example.com".to_owned()]));
    assert!(leftovers(&account, "acme-shop-api-destroy-b").await.len() > 5, "B's things are all there");

    // B untouched: its redeploy changes nothing.
    let again = run(&mut command_in(&account, "deploy", "json", &B).await).expect_code(0).json();
    assert_eq!(again["aws_calls"]["writes"], 0, "{}", again["actions"]);

    // A second destroy deletes nothing, and says so.
    let second = run(command_in(&account, "destroy", "json", &A).await.args(["--confirm", A_NAME]));
    let report = second.expect_code(0).json();
    assert_eq!(report["steps"], json!([]), "{}", report["steps"]);
    let human = run(command_in(&account, "destroy", "human", &A).await.args(["--confirm", A_NAME]));
    human.expect_code(0).expect_stdout(&[&format!("nothing to delete: environment {A_NAME} has nothing left")]);
}

#[tokio::test(flavor = "multi_thread")]
#[ignore = "needs the AWS emulator: bash scripts/test.sh"]
async fn a_destroy_killed_after_a_delete_completes_when_run_again() {
    let account = TestAccount::new("a_destroy_killed_after_a_delete_completes_when_run_again").await;
    let branch = [("MAESTRO_BRANCH_OVERRIDE", "destroy-killed")];
    let name = "acme-shop-api-destroy-killed";
    run(&mut command_in(&account, "deploy", "json", &branch).await).expect_code(0);
    let proxy = FaultProxy::start(0.0, 0);
    for after in [2, 9] {
        proxy.control(Some(json!({"hang_after_writes": null, "reset": true}))).await;
        proxy.control(Some(json!({"hang_after_writes": after}))).await;
        let mut command = command_in(&account, "destroy", "json", &branch).await;
        command.args(["--confirm", name]).env("AWS_ENDPOINT_URL", &proxy.url).env("MAESTRO_LOCK_TTL", "3");
        let mut child = command.stdout(Stdio::null()).stderr(Stdio::null()).spawn().unwrap();
        let started = Instant::now();
        while proxy.control(None).await["hanging"] != true && child.try_wait().unwrap().is_none() {
            assert!(started.elapsed() < Duration::from_secs(60), "write {after} never came");
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
        let _ = child.kill();
        child.wait().unwrap();
        proxy.control(Some(json!({"hang_after_writes": null}))).await;
    }
    assert!(!leftovers(&account, name).await.is_empty(), "killed before the end");
    let mut command = command_in(&account, "destroy", "json", &branch).await;
    let resumed = run(command.args(["--confirm", name]).env("MAESTRO_LOCK_TTL", "3")).expect_code(0).json();
    assert!(!resumed["steps"].as_array().unwrap().is_empty(), "{resumed}");
    assert_eq!(leftovers(&account, name).await, Vec::<String>::new());
    let ecs = aws_sdk_ecs::Client::new(&account.config);
    // DeleteCluster leaves it INACTIVE (moto lists it still), as the own-cluster test reads it.
    let clusters = ecs.describe_clusters().clusters(name).send().await.unwrap();
    assert!(clusters.clusters().iter().all(|cluster| cluster.status() != Some("ACTIVE")), "{clusters:?}");
}

#[tokio::test(flavor = "multi_thread")]
#[ignore = "needs the AWS emulator: bash scripts/test.sh"]
async fn destroy_removes_an_environments_own_cluster_and_load_balancer() {
    let account = TestAccount::new("destroy_removes_an_environments_own_cluster_and_load_balancer").await;
    let branch = [("MAESTRO_BRANCH_OVERRIDE", "destroy-own")];
    let name = "acme-shop-api-destroy-own";
    run(&mut command_in(&account, "deploy", "json", &branch).await).expect_code(0);
    let mut command = command_in(&account, "destroy", "json", &branch).await;
    let report = run(command.args(["--confirm", name, "--keep-logs"])).expect_code(0).json();
    let steps: Vec<&str> =
        report["steps"].as_array().unwrap().iter().map(|s| s["step"]["step"].as_str().unwrap()).collect();
    assert!(steps.contains(&"delete_load_balancer") && steps.contains(&"delete_cluster"), "{steps:?}");
    assert!(!steps.contains(&"delete_log_group"), "--keep-logs: {steps:?}");
    let ecs = aws_sdk_ecs::Client::new(&account.config);
    let clusters = ecs.describe_clusters().clusters(name).send().await.unwrap();
    assert!(clusters.clusters().iter().all(|cluster| cluster.status() != Some("ACTIVE")), "{clusters:?}");
    let elb = aws_sdk_elasticloadbalancingv2::Client::new(&account.config);
    let balancers = elb.describe_load_balancers().send().await.unwrap();
    assert!(balancers.load_balancers().is_empty(), "{:?}", balancers.load_balancers());
    let groups = elb.describe_target_groups().send().await.unwrap();
    assert!(groups.target_groups().is_empty(), "{:?}", groups.target_groups());
    let logs = aws_sdk_cloudwatchlogs::Client::new(&account.config);
    let kept = logs.describe_log_groups().log_group_name_prefix(format!("/ecs/{name}-")).send().await.unwrap();
    assert!(!kept.log_groups().is_empty(), "--keep-logs kept them");
}
