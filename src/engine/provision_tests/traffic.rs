//! A blue-green deploy's load balancer resources against the emulator: the alternate target
//! group, the test listener and both rules forwarding to the pair, the ARNs ECS's
//! `advancedConfiguration` takes, no write on the next run whatever weights ECS moved, and a
//! rolling deploy reading and writing as before.

use aws_sdk_elasticloadbalancingv2::Client as Elb;
use aws_sdk_elasticloadbalancingv2::types::{ForwardActionConfig, Rule, TargetGroupTuple};

use super::{Scenario, fast_waiting};
use crate::aws::calls::CallLog;
use crate::aws::{Clients, Session};
use crate::engine;

const BALANCER: &str = "acme-shop-api-staging";
const PRIMARY: &str = "acme-shop-api-staging";
const ALTERNATE: &str = "acme-shop-api-staging-alt";

/// The ARN of target group `name`.
async fn group(elb: &Elb, name: &str) -> String {
    let found = elb.describe_target_groups().names(name).send().await.unwrap();
    found.target_groups()[0].target_group_arn().unwrap().to_owned()
}

/// The listener on `port` of the app's load balancer, and its rules other than the default one.
async fn rules_on(elb: &Elb, port: i32) -> (String, Vec<Rule>) {
    let balancers = elb.describe_load_balancers().names(BALANCER).send().await.unwrap();
    let balancer = balancers.load_balancers()[0].load_balancer_arn().unwrap();
    let mut pages = elb.describe_listeners().load_balancer_arn(balancer).into_paginator().send();
    let mut listener = None;
    while let Some(page) = pages.next().await {
        let page = page.unwrap();
        listener = listener.or(page.listeners().iter().find(|listener| listener.port() == Some(port)).cloned());
    }
    let listener = listener.unwrap_or_else(|| panic!("a listener on port {port}")).listener_arn().unwrap().to_owned();
    let mut rules = Vec::new();
    let mut pages = elb.describe_rules().listener_arn(&listener).into_paginator().send();
    while let Some(page) = pages.next().await {
        rules.extend(page.unwrap().rules().iter().filter(|rule| !rule.is_default().unwrap_or(false)).cloned());
    }
    (listener, rules)
}

/// The rule's forward: each target group's ARN with its weight.
fn weights(rule: &Rule) -> Vec<(String, i32)> {
    let config = rule.actions()[0].forward_config().unwrap();
    config
        .target_groups()
        .iter()
        .map(|group| (group.target_group_arn().unwrap().to_owned(), group.weight().unwrap()))
        .collect()
}

#[tokio::test(flavor = "multi_thread")]
#[ignore = "needs the AWS emulator: bash scripts/test.sh"]
async fn a_blue_green_plan_creates_the_pair_the_test_listener_and_both_rules_then_writes_nothing() {
    let scenario = Scenario::new("a_blue_green_plan_creates_the_traffic_resources").await;
    let desired = scenario.plan(&[("MAESTRO_DEPLOY_STRATEGY", "blue-green")]);
    let first = scenario.reconcile(&desired).await;
    let actions = first.actions();
    for expected in [
        format!("create target group {ALTERNATE} (port 3000)"),
        format!("create listener HTTP:8080 on {BALANCER} forwarding to {PRIMARY}"),
        format!("route every path (/*) of the production listener (port 80) to {PRIMARY} (100) and {ALTERNATE} (0)"),
        format!("route every path (/*) of the test listener (port 8080) to {PRIMARY} (100) and {ALTERNATE} (0)"),
    ] {
        assert!(actions.contains(&expected), "{expected} in {actions:#?}");
    }

    let elb = Elb::new(&scenario.account.config);
    let (primary, alternate) = (group(&elb, PRIMARY).await, group(&elb, ALTERNATE).await);
    let tags = elb.describe_tags().resource_arns(&alternate).send().await.unwrap();
    let keys: Vec<&str> = tags.tag_descriptions()[0].tags().iter().filter_map(|tag| tag.key()).collect();
    assert!(keys.contains(&"maestro:environment"), "tagged like the primary: {keys:?}");
    let (_, production) = rules_on(&elb, 80).await;
    let (_, test) = rules_on(&elb, 8080).await;
    for rules in [&production, &test] {
        assert_eq!(rules.len(), 1, "{rules:#?}");
        assert_eq!(weights(&rules[0]), [(primary.clone(), 100), (alternate.clone(), 0)]);
        let paths = rules[0].conditions()[0].path_pattern_config().unwrap().values().to_vec();
        assert_eq!(paths, ["/*"]);
    }

    // What CreateService and UpdateService will name in `advancedConfiguration`.
    let log = CallLog::default();
    let clients = Clients::new(&Session::from_config(scenario.account.config.clone()), &log);
    let changes = engine::change_set(&clients, &desired, Default::default(), &fast_waiting()).await.unwrap();
    let arns = changes.refs.traffic().unwrap_or_else(|failure| panic!("{}", failure.render()));
    assert_eq!(arns.alternate_target_group, alternate);
    assert_eq!(arns.production_rule, production[0].rule_arn().unwrap());
    assert_eq!(arns.test_rule, test[0].rule_arn().unwrap());

    scenario.reconcile(&desired).await.assert_converged();

    // ECS shifted production to the alternate target group (a blue-green deploy's end): in sync.
    let shifted = ForwardActionConfig::builder()
        .target_groups(TargetGroupTuple::builder().target_group_arn(&alternate).weight(100).build())
        .target_groups(TargetGroupTuple::builder().target_group_arn(&primary).weight(0).build())
        .build();
    let forward = aws_sdk_elasticloadbalancingv2::types::Action::builder()
        .r#type(aws_sdk_elasticloadbalancingv2::types::ActionTypeEnum::Forward)
        .forward_config(shifted)
        .build();
    let rule = production[0].rule_arn().unwrap();
    elb.modify_rule().rule_arn(rule).actions(forward).send().await.unwrap();
    scenario.reconcile(&desired).await.assert_converged();
    let (_, production) = rules_on(&elb, 80).await;
    assert_eq!(weights(&production[0]), [(alternate.clone(), 100), (primary.clone(), 0)], "never repaired");
}

#[tokio::test(flavor = "multi_thread")]
#[ignore = "needs the AWS emulator: bash scripts/test.sh"]
async fn a_rolling_deploy_creates_no_traffic_resource_and_reads_no_rule() {
    let scenario = Scenario::new("a_rolling_deploy_creates_no_traffic_resource").await;
    let desired = scenario.plan(&[]);
    let first = scenario.reconcile(&desired).await;
    assert!(
        !first.actions().iter().any(|action| action.contains("-alt") || action.contains("8080")),
        "{:#?}",
        first.actions()
    );
    let second = scenario.reconcile(&desired).await;
    second.assert_converged();
    // The app's own load balancer: no rule to read on a rolling deploy.
    assert_eq!(
        second.calls.by_operation.get("Elastic Load Balancing v2.DescribeRules"),
        None,
        "{:?}",
        second.calls.by_operation
    );
    let elb = Elb::new(&scenario.account.config);
    let names = elb.describe_target_groups().names(ALTERNATE).send().await;
    assert!(names.is_err(), "no alternate target group");
}

#[tokio::test(flavor = "multi_thread")]
#[ignore = "needs the AWS emulator: bash scripts/test.sh"]
async fn destroy_deletes_the_alternate_target_group_with_the_load_balancer_its_listeners_and_rules() {
    let scenario = Scenario::new("destroy_deletes_the_alternate_target_group").await;
    let desired = scenario.plan(&[("MAESTRO_DEPLOY_STRATEGY", "canary")]);
    scenario.reconcile(&desired).await;
    let session = Session::from_config(scenario.account.config.clone());
    let clients = Clients::new(&session, &CallLog::default());
    let (ssm, waiting) = (session.ssm(), fast_waiting());
    let options = maestro_core::destroy::Options { keep_logs: true, keep_images: true };
    let listed = Box::pin(engine::destroy::inventory(&clients, &ssm, &desired, &waiting, options)).await.unwrap();
    let steps: Vec<String> = listed.steps.iter().map(ToString::to_string).collect();
    let position =
        |what: &str| steps.iter().position(|step| step == what).unwrap_or_else(|| panic!("{what}: {steps:#?}"));
    assert!(
        position(&format!("delete load balancer {BALANCER} and its listeners"))
            < position(&format!("delete target group {ALTERNATE}"))
    );
    let carried = engine::destroy::carry_out(&clients, &ssm, &listed.steps, &waiting).await.unwrap();
    let failed: Vec<_> = carried.iter().filter(|done| done.outcome != engine::destroy::Outcome::Done).collect();
    assert!(failed.is_empty(), "{failed:#?}");
    let elb = Elb::new(&scenario.account.config);
    for name in [PRIMARY, ALTERNATE] {
        assert!(elb.describe_target_groups().names(name).send().await.is_err(), "{name} is gone");
    }
    let again = Box::pin(engine::destroy::inventory(&clients, &ssm, &desired, &waiting, options)).await.unwrap();
    assert!(
        !again.steps.iter().any(|step| matches!(
            step.kind(),
            maestro_core::destroy::Kind::TargetGroup | maestro_core::destroy::Kind::ListenerRule
        )),
        "{:#?}",
        again.steps
    );
}

#[tokio::test(flavor = "multi_thread")]
#[ignore = "needs the AWS emulator: bash scripts/test.sh"]
async fn on_a_shared_load_balancer_the_apps_host_rules_on_both_listeners_forward_to_the_pair() {
    use super::shared_load_balancer::{HOST, SHARED, add_rule, forward, shared_alb};
    let scenario = Scenario::new("on_a_shared_load_balancer_the_host_rules_forward_to_the_pair").await;
    let (elb, production, other) = shared_alb(&scenario).await;
    let desired = scenario.plan(&[SHARED, HOST, ("MAESTRO_DEPLOY_STRATEGY", "linear")]);
    // Without the owner's test listener, nothing is written.
    let log = CallLog::default();
    let clients = Clients::new(&Session::from_config(scenario.account.config.clone()), &log);
    let stopped = engine::change_set(&clients, &desired, Default::default(), &fast_waiting()).await.err().unwrap();
    assert!(stopped.message.contains("has no test listener on port 8080"), "{}", stopped.message);
    assert_eq!(log.counts().writes, 0);

    let balancers = elb.describe_load_balancers().names(SHARED.1).send().await.unwrap();
    let balancer = balancers.load_balancers()[0].load_balancer_arn().unwrap();
    let test = elb
        .create_listener()
        .load_balancer_arn(balancer)
        .protocol(aws_sdk_elasticloadbalancingv2::types::ProtocolEnum::Http)
        .port(8080)
        .default_actions(forward(&other))
        .send()
        .await
        .unwrap();
    let test = test.listeners()[0].listener_arn().unwrap().to_owned();
    add_rule(&elb, &test, 1, "other.example.com", &other).await;
    let actions = scenario.reconcile(&desired).await.actions();
    let host = HOST.1;
    for expected in [
        format!("route host {host} of the production listener (port 80) to {PRIMARY} (100) and {ALTERNATE} (0)"),
        format!("route host {host} of the test listener (port 8080) to {PRIMARY} (100) and {ALTERNATE} (0)"),
    ] {
        assert!(actions.contains(&expected), "{expected} in {actions:#?}");
    }
    assert!(!actions.iter().any(|action| action.starts_with("create listener")), "{actions:#?}");
    let (primary, alternate) = (group(&elb, PRIMARY).await, group(&elb, ALTERNATE).await);
    for listener in [&production, &test] {
        let mut rules = Vec::new();
        let mut pages = elb.describe_rules().listener_arn(listener).into_paginator().send();
        while let Some(page) = pages.next().await {
            rules.extend(page.unwrap().rules().iter().cloned());
        }
        let ours: Vec<&Rule> =
            rules.iter().filter(|rule| rule.actions().iter().any(|action| action.forward_config().is_some())).collect();
        assert_eq!(ours.len(), 1, "{rules:#?}");
        assert_eq!(ours[0].priority(), Some("2"), "after the other app's rule");
        assert_eq!(weights(ours[0]), [(primary.clone(), 100), (alternate.clone(), 0)]);
    }
    scenario.reconcile(&desired).await.assert_converged();
}
