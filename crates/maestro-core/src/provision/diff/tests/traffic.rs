//! A blue-green, canary or linear deploy's alternate target group, test listener and rules:
//! created once, in sync whatever weights ECS moved them to, never another environment's.

use super::*;
use crate::destroy::{Found, Kind, Options as DestroyOptions, Step, inventory};
use crate::provision::observed::{ObservedTraffic, TrafficAttachment};
use crate::provision::preflight::blockers;
use crate::provision::stage::Stage;
use crate::provision::traffic::{TargetWeight, TrafficListener, test_url, traffic};

const ALTERNATE: &str = "acme-shop-api-staging-alt";

fn blue_green() -> DesiredState {
    desired_with(&[("MAESTRO_DEPLOY_STRATEGY", "blue-green")])
}

fn rule(arn: &str, priority: u32, host: Option<&str>, forwards: &[(&str, u32)]) -> ObservedListenerRule {
    ObservedListenerRule {
        arn: arn.into(),
        priority: Some(priority),
        hosts: host.map(|host| vec![host.to_owned()]).unwrap_or_default(),
        paths: if host.is_some() { Vec::new() } else { vec!["/*".into()] },
        forwards_to: forwards.iter().map(|(arn, _)| (*arn).to_owned()).collect(),
        weights: forwards.iter().map(|(_, weight)| *weight).collect(),
    }
}

/// What AWS holds once the shifting deploy's resources exist, production on `weights`.
fn converged_traffic(desired: &DesiredState, weights: [u32; 2]) -> Observed {
    let mut observed = converged(desired);
    let primary = observed.target_group.clone().unwrap();
    let alternate = ObservedTargetGroup { name: ALTERNATE.into(), arn: "arn:tg-alt".into(), ..primary };
    let listeners = &mut observed.load_balancer.as_mut().unwrap().listeners;
    let mut test = listeners[0].clone();
    (test.arn, test.port) = ("arn:listener-test".into(), 8080);
    listeners.push(test);
    let pair = [("arn:tg", weights[0]), ("arn:tg-alt", weights[1])];
    let host = crate::provision::traffic::rule_host(desired.load_balancer.as_ref().unwrap());
    observed.traffic = Some(ObservedTraffic {
        alternate_target_group: Some(alternate),
        production_rules: vec![rule("arn:rule-production", 1, host, &pair)],
        test_rules: vec![rule("arn:rule-test", 1, host, &pair)],
    });
    // ECS attached the web service to the pair, with both rules and the role.
    let role = desired.services.iter().find_map(|service| service.rollout.as_ref()?.infrastructure_role_arn.clone());
    for live in observed.services.values_mut().flatten() {
        for attachment in &mut live.load_balancers {
            attachment.traffic = Some(TrafficAttachment {
                alternate_target_group_arn: "arn:tg-alt".into(),
                production_rule: "arn:rule-production".into(),
                test_rule: Some("arn:rule-test".into()),
                role_arn: role.clone().unwrap(),
            });
        }
    }
    observed
}

#[test]
fn a_first_blue_green_deploy_creates_the_pair_the_test_listener_and_both_rules_before_the_services() {
    let desired = blue_green();
    let actions = diff(&desired, &Observed::default(), Options::default()).actions;
    let names = described(&actions);
    for expected in [
        "create target group acme-shop-api-staging-alt (port 3000)",
        "create listener HTTP:8080 on acme-shop-api-staging forwarding to acme-shop-api-staging",
        "route every path (/*) of the production listener (port 80) to acme-shop-api-staging (100) and acme-shop-api-staging-alt (0)",
        "route every path (/*) of the test listener (port 8080) to acme-shop-api-staging (100) and acme-shop-api-staging-alt (0)",
    ] {
        assert!(names.iter().any(|name| name == expected), "{expected} in {names:#?}");
    }
    let stage_of = |prefix: &str| actions[names.iter().position(|name| name.starts_with(prefix)).unwrap()].stage();
    assert_eq!(stage_of("create target group acme-shop-api-staging-alt"), Stage::Infrastructure);
    assert_eq!(stage_of("create listener HTTP:8080"), Stage::Dependents);
    assert_eq!(stage_of("route every path"), Stage::TrafficRules);
    assert!(stage_of("route every path") < stage_of("create service"));
    assert!(Stage::BEFORE_RELEASE.contains(&Stage::TrafficRules));
    let Action::CreateTrafficRule { rule, priority, tags } =
        &actions[names.iter().position(|name| name.contains("test listener")).unwrap()]
    else {
        panic!()
    };
    assert_eq!((rule.listener, rule.port, rule.host.as_deref(), *priority), (TrafficListener::Test, 8080, None, 1));
    assert_eq!(tags, &resource_tags(&desired), "tagged like everything maestro creates");
}

#[test]
fn rules_forwarding_to_the_pair_are_in_sync_whatever_the_weights() {
    let desired = blue_green();
    for weights in [[100, 0], [0, 100], [90, 10], [1, 1]] {
        let observed = converged_traffic(&desired, weights);
        assert_eq!(diff(&desired, &observed, Options::default()).actions, [], "weights {weights:?}");
    }
    // ECS may list the pair the other way round after a blue-green swap.
    let mut observed = converged_traffic(&desired, [0, 100]);
    let traffic = observed.traffic.as_mut().unwrap();
    traffic.production_rules[0].forwards_to.reverse();
    traffic.production_rules[0].weights.reverse();
    assert_eq!(diff(&desired, &observed, Options::default()).actions, []);
}

#[test]
fn a_rule_forwarding_elsewhere_is_pointed_at_the_pair_again() {
    let desired = blue_green();
    let mut observed = converged_traffic(&desired, [100, 0]);
    observed.traffic.as_mut().unwrap().test_rules[0] = rule("arn:rule-test", 1, None, &[("arn:tg", 1)]);
    let diff = diff(&desired, &observed, Options::default());
    assert_eq!(
        described(&diff.actions),
        [
            "route every path (/*) of the test listener (port 8080) to acme-shop-api-staging (100) and acme-shop-api-staging-alt (0) again"
        ]
    );
    assert_eq!(diff.details[0].kind, crate::provision::review::ChangeKind::Update);
}

#[test]
fn a_new_rule_takes_the_lowest_free_priority_of_its_listener() {
    let desired = blue_green();
    let mut observed = converged_traffic(&desired, [100, 0]);
    let traffic = observed.traffic.as_mut().unwrap();
    traffic.production_rules = vec![rule("arn:someone", 1, Some("admin.example.com"), &[("arn:tg", 1)])];
    let actions = diff(&desired, &observed, Options::default()).actions;
    // The web service is attached to the new rule once it exists (`service_rollout`), after it.
    let [Action::CreateTrafficRule { rule, priority: 2, .. }, Action::UpdateService(_)] = actions.as_slice() else {
        panic!("{actions:#?}")
    };
    assert_eq!(rule.listener, TrafficListener::Production);
}

/// The load balancer's DNS name, as observed.
fn dns_name(observed: &Observed) -> Option<&str> {
    observed.load_balancer.as_ref().map(|live| live.dns_name.as_str())
}

#[test]
fn a_rolling_deploy_plans_as_before_and_reads_no_traffic() {
    let desired = desired();
    let balancer = desired.load_balancer.as_ref().unwrap();
    assert_eq!((&balancer.alternate_target_group, &balancer.test_listener), (&None, &None));
    // Even with a shifting deploy's leftover rules and alternate group in AWS, a rolling plan
    // changes none of them (the listeners and rules are those `converged` has: no traffic read).
    let leftovers = converged_traffic(&blue_green(), [0, 100]);
    let observed = Observed { load_balancer: leftovers.load_balancer, traffic: None, ..converged(&desired) };
    assert_eq!(diff(&desired, &observed, Options::default()).actions, []);
    assert_eq!(traffic(&desired, &observed), None);
    assert_eq!(test_url(&desired, dns_name(&observed)), None);
}

#[test]
fn the_observed_traffic_names_the_alternate_group_and_both_rules_with_their_weights() {
    let desired = blue_green();
    let observed = converged_traffic(&desired, [0, 100]);
    let seen = traffic(&desired, &observed).unwrap();
    assert_eq!(seen.alternate_target_group_name.as_deref(), Some(ALTERNATE));
    assert_eq!(seen.alternate_target_group_arn.as_deref(), Some("arn:tg-alt"));
    let production = seen.production_rule.unwrap();
    assert_eq!(production.arn, "arn:rule-production");
    assert_eq!(
        production.forwards,
        [
            TargetWeight { target_group_arn: "arn:tg".into(), weight: 0 },
            TargetWeight { target_group_arn: "arn:tg-alt".into(), weight: 100 }
        ]
    );
    assert_eq!(seen.test_rule.unwrap().arn, "arn:rule-test");
    assert_eq!(test_url(&desired, dns_name(&observed)).as_deref(), Some("http://shop.elb.example:8080"));
    let https = desired_with(&[
        ("MAESTRO_DEPLOY_STRATEGY", "canary"),
        ("ALB_CERTIFICATE_ARN", "arn:aws:acm:us-east-1:123456789012:certificate/abc"),
        ("MAESTRO_HOST", "staging.shop.example.com"),
    ]);
    assert_eq!(test_url(&https, dns_name(&observed)).as_deref(), Some("https://staging.shop.example.com:8443"));
}

#[test]
fn another_environments_alternate_target_group_stops_the_deploy() {
    let desired = blue_green();
    let mut observed = converged_traffic(&desired, [100, 0]);
    let group = observed.traffic.as_mut().unwrap().alternate_target_group.as_mut().unwrap();
    for tag in &mut group.tags {
        if tag.key == "maestro:environment" {
            tag.value = "repository=acme/shop-api branch=STAGING account=123456789012 region=us-east-1".into();
        }
    }
    let found = blockers(&desired, &observed);
    assert_eq!(found.len(), 1, "{found:?}");
    assert!(found[0].message.starts_with(&format!("target group {ALTERNATE} belongs to")), "{}", found[0].message);
}

/// The sentences of the actions on the rules alone (the web service follows its rules: `service_rollout`).
fn routes(desired: &DesiredState, observed: &Observed) -> Vec<String> {
    changes(desired, observed).into_iter().filter(|change| change.starts_with("route ")).collect()
}

fn shared_blue_green() -> DesiredState {
    let mut desired = blue_green();
    let balancer = desired.load_balancer.as_mut().unwrap();
    balancer.shared = true;
    balancer.name = "shared".into();
    balancer.host = Some("staging.shop.example.com".into());
    desired
}

#[test]
fn on_a_shared_load_balancer_the_host_rules_of_both_listeners_forward_to_the_pair() {
    let desired = shared_blue_green();
    let mut observed = converged_traffic(&desired, [100, 0]);
    observed.traffic.as_mut().unwrap().production_rules.clear();
    observed.traffic.as_mut().unwrap().test_rules =
        vec![rule("arn:other", 1, Some("other.example.com"), &[("arn:x", 1)])];
    assert_eq!(
        routes(&desired, &observed),
        [
            "route host staging.shop.example.com of the production listener (port 80) to acme-shop-api-staging (100) and acme-shop-api-staging-alt (0)",
            "route host staging.shop.example.com of the test listener (port 8080) to acme-shop-api-staging (100) and acme-shop-api-staging-alt (0)",
        ],
        "never a listener on someone else's load balancer, nor the rolling host rule"
    );
    assert!(
        !changes(&desired, &observed)
            .iter()
            .any(|change| change.contains("listener HTTP")
                || change.starts_with("route host staging.shop.example.com to")),
        "{:?}",
        changes(&desired, &observed)
    );
    // The host rule a rolling deploy made forwards to the primary alone: it now forwards to the pair.
    let traffic = observed.traffic.as_mut().unwrap();
    traffic.production_rules = vec![rule("arn:host", 3, Some("staging.shop.example.com"), &[("arn:tg", 1)])];
    traffic.test_rules =
        vec![rule("arn:host-test", 2, Some("staging.shop.example.com"), &[("arn:tg-alt", 0), ("arn:tg", 100)])];
    assert_eq!(
        routes(&desired, &observed),
        [
            "route host staging.shop.example.com of the production listener (port 80) to acme-shop-api-staging (100) and acme-shop-api-staging-alt (0) again"
        ]
    );
    // Without the test listener the deploy stops before any write.
    observed.load_balancer.as_mut().unwrap().listeners.retain(|listener| listener.port != 8080);
    let found = blockers(&desired, &observed);
    assert!(found.iter().any(|blocker| blocker.message.contains("has no test listener on port 8080")), "{found:?}");
}

#[test]
fn destroy_deletes_the_alternate_group_after_the_load_balancer_and_a_shared_ones_two_rules() {
    let desired = blue_green();
    let found = |observed: Observed| Found {
        observed,
        families: BTreeMap::new(),
        log_groups: BTreeMap::new(),
        repository: None,
        records: false,
        cluster_services: Vec::new(),
    };
    let listed = inventory(&desired, &found(converged_traffic(&desired, [0, 100])), DestroyOptions::default());
    let deletes: Vec<String> = listed.steps.iter().map(ToString::to_string).collect();
    let position =
        |what: &str| deletes.iter().position(|step| step == what).unwrap_or_else(|| panic!("{what} in {deletes:#?}"));
    assert!(
        position("delete load balancer acme-shop-api-staging and its listeners")
            < position(&format!("delete target group {ALTERNATE}"))
    );
    assert!(deletes.contains(&"delete target group acme-shop-api-staging".to_owned()));

    let desired = shared_blue_green();
    let mut observed = converged_traffic(&desired, [0, 100]);
    let host = Some("staging.shop.example.com");
    let pair = [("arn:tg", 0), ("arn:tg-alt", 100)];
    observed.load_balancer.as_mut().unwrap().rules =
        vec![rule("arn:host", 3, host, &pair), rule("arn:theirs", 4, Some("b.example.com"), &[("arn:tg-b", 1)])];
    observed.traffic.as_mut().unwrap().test_rules = vec![rule("arn:host-test", 2, host, &pair)];
    let listed = inventory(&desired, &found(observed), DestroyOptions::default());
    let rules: Vec<&str> = listed
        .steps
        .iter()
        .filter_map(|step| match step {
            Step::DeleteListenerRule { arn, .. } => Some(arn.as_str()),
            _ => None,
        })
        .collect();
    assert_eq!(rules, ["arn:host", "arn:host-test"]);
    assert!(!listed.steps.iter().any(|step| step.kind() == Kind::LoadBalancer));
    let groups = listed.steps.iter().filter(|step| step.kind() == Kind::TargetGroup).count();
    assert_eq!(groups, 2, "both target groups are this environment's");
}
