//! What stops a deploy once AWS is read, before any write (`provision::preflight`).

use super::*;
use crate::provision::preflight::{Blocker, blockers};

fn shared(host: &str, certificate: bool) -> DesiredState {
    let mut desired = desired();
    let balancer = desired.load_balancer.as_mut().unwrap();
    (balancer.shared, balancer.name, balancer.host) = (true, "shared".into(), Some(host.to_owned()));
    if certificate {
        balancer.listener = crate::plan::desired::Listener { protocol: ListenerProtocol::Https, port: 443 };
    }
    desired
}

fn messages(found: &[Blocker]) -> Vec<&str> {
    found.iter().map(|blocker| blocker.message.as_str()).collect()
}

#[test]
fn a_converged_app_is_not_blocked() {
    let desired = desired();
    assert_eq!(blockers(&desired, &converged(&desired)), []);
    assert_eq!(blockers(&desired, &Observed::default()), [], "a first deploy creates everything");
}

#[test]
fn a_shared_load_balancer_must_exist_with_a_listener_on_the_port() {
    let desired = shared("staging.shop.example.com", false);
    let mut observed = converged(&desired);
    assert_eq!(blockers(&desired, &observed), []);
    observed.load_balancer.as_mut().unwrap().listeners[0].port = 8080;
    let found = blockers(&desired, &observed);
    assert_eq!(
        messages(&found),
        [
            "the shared load balancer shared has no listener on port 80 for the rule routing staging.shop.example.com to the app"
        ]
    );
    assert!(found[0].hint.starts_with("add a listener on port 80 to shared (HTTP)"), "{}", found[0].hint);
    observed.load_balancer = None;
    let found = blockers(&desired, &observed);
    assert_eq!(messages(&found), ["the shared load balancer shared (ALB_NAME_OVERRIDE) does not exist"]);
    assert!(found[0].hint.contains("nothing was changed"));
    // With a certificate, the rule goes on the HTTPS listener, which converged() lacks.
    let desired = shared("staging.shop.example.com", true);
    let found = blockers(&desired, &converged(&desired));
    assert!(found[0].message.contains("no listener on port 443"), "{found:?}");
}

#[test]
fn a_shared_load_balancer_full_of_rules_stops_a_new_host_but_not_a_routed_one() {
    use crate::provision::observed::ObservedListenerRule;
    let desired = shared("pr-101.preview.shop.example.com", false);
    let mut observed = converged(&desired);
    let rule = |priority: u32| ObservedListenerRule {
        arn: format!("arn:rule/{priority}"),
        priority: Some(priority),
        hosts: vec![format!("pr-{priority}.preview.shop.example.com")],
        paths: Vec::new(),
        forwards_to: Vec::new(),
        weights: Vec::new(),
    };
    observed.load_balancer.as_mut().unwrap().rules = (1..=99).map(rule).collect();
    assert_eq!(blockers(&desired, &observed), [], "the 100th rule fits");
    observed.load_balancer.as_mut().unwrap().rules.push(rule(100));
    let found = blockers(&desired, &observed);
    assert_eq!(
        messages(&found),
        [
            "the shared load balancer shared holds 100 rules, the most a load balancer takes, so pr-101.preview.shop.example.com gets none"
        ]
    );
    assert!(found[0].hint.contains("nothing was changed"), "{}", found[0].hint);
    // A host that has its rule already needs no new one.
    observed.load_balancer.as_mut().unwrap().rules[0].hosts = vec!["pr-101.preview.shop.example.com".into()];
    assert_eq!(blockers(&desired, &observed), []);
}

#[test]
fn a_secret_with_keys_needs_the_execution_role() {
    let mut desired = desired();
    for definition in &mut desired.task_definitions {
        definition.definition.remove("executionRoleArn");
    }
    let mut observed = converged(&desired);
    assert_eq!(
        messages(&blockers(&desired, &observed)),
        [
            "secret staging/acme-shop-api has 2 keys, which ECS resolves with the execution role, and acme-shop-api-staging-web, acme-shop-api-staging-worker, acme-shop-api-staging-launcher have none"
        ]
    );
    observed.secret.as_mut().unwrap().keys.clear();
    assert_eq!(blockers(&desired, &observed), [], "an empty secret adds no `secrets`");
    observed.secret = None;
    assert_eq!(blockers(&desired, &observed), []);
}

#[test]
fn a_schedule_rule_of_another_environment_is_never_taken_over() {
    use crate::provision::observed::ObservedRule;
    let mut desired = desired();
    desired.schedules.push(crate::plan::desired::ScheduledTask {
        name: "feed".into(),
        rule: "2b419b-feed".into(),
        expression: "rate(1 hour)".into(),
        command: "bin/feed".into(),
        launch: Default::default(),
        task_definition: "acme-shop-api-staging-web".into(),
        enabled: true,
        cluster_arn: "arn:aws:ecs:us-east-1:123456789012:cluster/shared".into(),
        role_arn: "arn:aws:iam::123456789012:role/ecsEventsRole".into(),
        container: "acme-shop-api".into(),
        network: desired.services[0].network.clone(),
    });
    let mut observed = converged(&desired);
    let rule = |tags: Vec<Tag>| ObservedRule {
        name: "2b419b-feed".into(),
        arn: "arn:rule/2b419b-feed".into(),
        expression: "rate(1 hour)".into(),
        enabled: true,
        tags,
        targets: Vec::new(),
    };
    // The original's rule (no marker) is adopted; this environment's is its own.
    observed.rules.insert("2b419b-feed".into(), rule(Vec::new()));
    assert_eq!(blockers(&desired, &observed), []);
    observed.rules.insert("2b419b-feed".into(), rule(resource_tags(&desired)));
    assert_eq!(blockers(&desired, &observed), []);
    let theirs = Tag { key: MARKER_TAG_KEY.into(), value: "acme-shop-api-feature-x".into() };
    observed.rules.insert("2b419b-feed".into(), rule(vec![theirs]));
    let found = blockers(&desired, &observed);
    assert_eq!(
        messages(&found),
        [
            "schedule rule 2b419b-feed (schedule `feed`) belongs to acme-shop-api-feature-x (its maestro:app tag), not acme-shop-api-staging"
        ]
    );
    assert!(found[0].hint.contains("rename `feed`") && found[0].hint.ends_with("nothing was changed"));
}

#[test]
fn a_detected_dockerfile_does_not_move_an_environment_built_with_buildpacks_unasked() {
    use crate::build::source::{DockerfileBuild, Source};
    let buildpacks = desired();
    let observed = converged(&buildpacks);
    let mut detected = buildpacks.clone();
    detected.image.source =
        Source::Dockerfile(DockerfileBuild { file: "Dockerfile".into(), target: None, detected: true });
    let found = blockers(&detected, &observed);
    assert_eq!(found.len(), 1, "{found:?}");
    assert!(found[0].message.contains("has a Dockerfile and no project.toml"), "{}", found[0].message);
    assert!(found[0].message.contains("runs a buildpacks image"), "{}", found[0].message);
    assert!(found[0].hint.starts_with("set MAESTRO_BUILD=buildpacks"), "{}", found[0].hint);

    // Said explicitly, the move goes ahead; a first deploy has nothing to move.
    let mut chosen = detected.clone();
    chosen.image.source =
        Source::Dockerfile(DockerfileBuild { file: "Dockerfile".into(), target: None, detected: false });
    assert_eq!(blockers(&chosen, &observed), []);
    assert_eq!(blockers(&detected, &Observed::default()), []);
}
