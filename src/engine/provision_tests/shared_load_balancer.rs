//! A load balancer another app owns (`ALB_NAME_OVERRIDE`): maestro adds only its host's rule, at
//! the lowest free priority, and finds another free one when a concurrent deploy took it first.

use aws_sdk_elasticloadbalancingv2::Client;
use aws_sdk_elasticloadbalancingv2::types::{Action, ActionTypeEnum, ProtocolEnum, RuleCondition, TargetTypeEnum};

use super::{Scenario, fast_waiting};
use crate::aws::calls::CallLog;
use crate::aws::{Clients, Session};
use crate::engine;
use maestro_core::provision::stage::Stage;

pub(super) const HOST: (&str, &str) = ("MAESTRO_HOST", "staging.shop.example.com");
pub(super) const SHARED: (&str, &str) = ("ALB_NAME_OVERRIDE", "shared-alb");

/// Someone else's load balancer `shared-alb`, with an HTTP listener forwarding to another app and
/// that app's host rule at priority 1. Returns the ELB client, the listener and the other app's
/// target group.
pub(super) async fn shared_alb(scenario: &Scenario) -> (Client, String, String) {
    let (account, network) = (&scenario.account, &scenario.network);
    let elb = Client::new(&account.config);
    let created =
        elb.create_load_balancer().name("shared-alb").set_subnets(Some(network.subnets.clone())).send().await.unwrap();
    let shared = created.load_balancers()[0].load_balancer_arn().unwrap().to_owned();
    let other = elb
        .create_target_group()
        .name("other-app")
        .protocol(ProtocolEnum::Http)
        .port(80)
        .vpc_id(&network.vpc_id)
        .target_type(TargetTypeEnum::Ip)
        .send()
        .await
        .unwrap();
    let other = other.target_groups()[0].target_group_arn().unwrap().to_owned();
    let listener = elb
        .create_listener()
        .load_balancer_arn(&shared)
        .protocol(ProtocolEnum::Http)
        .port(80)
        .default_actions(forward(&other))
        .send()
        .await
        .unwrap();
    let listener = listener.listeners()[0].listener_arn().unwrap().to_owned();
    add_rule(&elb, &listener, 1, "other.example.com", &other).await;
    (elb, listener, other)
}

pub(super) fn forward(target_group: &str) -> Action {
    Action::builder().r#type(ActionTypeEnum::Forward).target_group_arn(target_group).build()
}

pub(super) async fn add_rule(elb: &Client, listener: &str, priority: i32, host: &str, target_group: &str) {
    elb.create_rule()
        .listener_arn(listener)
        .priority(priority)
        .conditions(RuleCondition::builder().field("host-header").values(host).build())
        .actions(forward(target_group))
        .send()
        .await
        .unwrap();
}

/// The priority of the rule forwarding to the app's target group.
async fn our_priority(elb: &Client, listener: &str) -> Option<String> {
    let mut rules = Vec::new();
    let mut pages = elb.describe_rules().listener_arn(listener).into_paginator().send();
    while let Some(page) = pages.next().await {
        rules.extend(page.unwrap().rules().iter().cloned());
    }
    let ours = rules.iter().find(|rule| {
        rule.actions().iter().any(|action| {
            action.target_group_arn().is_some_and(|arn| arn.contains("targetgroup/acme-shop-api-staging/"))
        })
    });
    ours.and_then(|rule| rule.priority()).map(str::to_owned)
}

#[tokio::test(flavor = "multi_thread")]
#[ignore = "needs the AWS emulator: bash scripts/test.sh"]
async fn a_shared_load_balancer_routes_the_apps_host() {
    let scenario = Scenario::new("a_shared_load_balancer_routes_the_apps_host").await;
    let (elb, listener, _) = shared_alb(&scenario).await;
    let desired = scenario.plan(&[SHARED, HOST]);
    let actions = scenario.reconcile(&desired).await.actions();
    assert!(actions.contains(&"route host staging.shop.example.com to acme-shop-api-staging on the shared load balancer (rule priority 2)".to_owned()), "{actions:?}");
    assert!(
        !actions.iter().any(|action| action.contains("create load balancer") || action.contains("listener")),
        "{actions:?}"
    );
    assert_eq!(our_priority(&elb, &listener).await.as_deref(), Some("2"));
    scenario.reconcile(&desired).await.assert_converged();
}

#[tokio::test(flavor = "multi_thread")]
#[ignore = "needs the AWS emulator: bash scripts/test.sh"]
async fn a_priority_a_concurrent_deploy_took_first_is_found_again() {
    let scenario = Scenario::new("a_priority_a_concurrent_deploy_took_first_is_found_again").await;
    let (elb, listener, other) = shared_alb(&scenario).await;
    let desired = scenario.plan(&[SHARED, HOST]);
    let log = CallLog::default();
    let clients = Clients::new(&Session::from_config(scenario.account.config.clone()), &log);
    let mut changes = engine::change_set(&clients, &desired, Default::default(), &fast_waiting()).await.unwrap();
    let planned: Vec<String> = changes.actions.iter().map(ToString::to_string).collect();
    assert!(planned.iter().any(|action| action.ends_with("(rule priority 2)")), "{planned:?}");
    // Another branch's deploy adds its rule between this run's read and its write.
    add_rule(&elb, &listener, 2, "feature.shop.example.com", &other).await;
    changes.apply(&clients, Stage::ALL).await.unwrap_or_else(|failure| panic!("{}", failure.render()));
    // The emulator answered PriorityInUse (the AWS behaviour), and the next free priority was used.
    assert_eq!(our_priority(&elb, &listener).await.as_deref(), Some("3"));
    assert_eq!(log.counts().by_operation.get("Elastic Load Balancing v2.CreateRule"), Some(&2));
}

#[tokio::test(flavor = "multi_thread")]
#[ignore = "needs the AWS emulator: bash scripts/test.sh"]
async fn the_apps_rule_is_found_past_the_first_page_of_rules() {
    let scenario = Scenario::new("the_apps_rule_is_found_past_the_first_page_of_rules").await;
    let (elb, listener, other) = shared_alb(&scenario).await;
    // Four other hosts before the app's rule: with the default rule and the emulator's pages of two
    // (DescribeRules pages like AWS's, by Marker), the app's rule is on the third page.
    for (priority, host) in [(2, "a.example.com"), (3, "b.example.com"), (4, "c.example.com")] {
        add_rule(&elb, &listener, priority, host, &other).await;
    }
    let desired = scenario.plan(&[SHARED, HOST]);
    let actions = scenario.reconcile(&desired).await.actions();
    assert!(actions.iter().any(|action| action.ends_with("(rule priority 5)")), "{actions:?}");
    // Read to the last page, the second run finds its rule: no second rule for the host, no
    // PriorityInUse.
    scenario.reconcile(&desired).await.assert_converged();
    let mut hosts = Vec::new();
    let mut pages = elb.describe_rules().listener_arn(&listener).into_paginator().send();
    while let Some(page) = pages.next().await {
        for rule in page.unwrap().rules() {
            for condition in rule.conditions() {
                let config = condition.host_header_config().map(|config| config.values().to_vec());
                hosts.extend(condition.values().iter().cloned().chain(config.unwrap_or_default()));
            }
        }
    }
    assert_eq!(hosts.iter().filter(|host| *host == "staging.shop.example.com").count(), 1, "{hosts:?}");
    assert_eq!(our_priority(&elb, &listener).await.as_deref(), Some("5"));
}
