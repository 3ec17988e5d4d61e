//! The load balancer, its target group and listeners; on a shared one, only the host rule.

use super::*;
use crate::plan::health_check::HealthCheck;

const MODIFY_GROUP: &str = "set target group acme-shop-api-staging's health check to / every 10s (5s timeout, healthy \
                            after 2, unhealthy after 3) and its deregistration delay to 30s";

#[test]
fn load_balancer_drift_and_what_cannot_change() {
    let desired = desired();
    let mut observed = converged(&desired);
    let group = observed.target_group.as_mut().unwrap();
    group.deregistration_delay = Some(300);
    group.port = 8080;
    observed.load_balancer.as_mut().unwrap().listeners[0].forwards_to = vec!["arn:someone-else".into()];
    observed.orphaned_services = vec!["acme-shop-api-staging-clock".into()];
    let diff = diff(&desired, &observed, Options::default());
    let names = described(&diff.actions);
    assert_eq!(names, [MODIFY_GROUP, "forward listener HTTP:80 to acme-shop-api-staging",]);
    assert!(diff.warnings[0].contains("listens on port 8080, not PORT 3000"), "{:?}", diff.warnings);
    assert!(
        diff.warnings[1].contains("service acme-shop-api-staging-clock is no longer in the plan"),
        "{:?}",
        diff.warnings
    );
}

#[test]
fn a_certificate_adds_https_and_redirects_http() {
    let mut desired = desired();
    let certificate = "arn:aws:acm:us-east-1:123456789012:certificate/abc".to_owned();
    let balancer = desired.load_balancer.as_mut().unwrap();
    balancer.certificate_arn = Some(certificate.clone());
    balancer.listener = crate::plan::desired::Listener { protocol: ListenerProtocol::Https, port: 443 };
    let mut observed = converged(&desired);
    // Today's app listens on HTTP:80 forwarding to its target group (converged() says so).
    let names = changes(&desired, &observed);
    assert_eq!(
        names,
        [
            "create listener HTTPS:443 on acme-shop-api-staging forwarding to acme-shop-api-staging",
            "redirect listener HTTP:80 to HTTPS",
        ]
    );
    let listeners = &mut observed.load_balancer.as_mut().unwrap().listeners;
    listeners[0].redirects_to_https = true;
    listeners[0].forwards_to.clear();
    listeners.push(https_listener(certificate));
    assert!(diff(&desired, &observed, Options::default()).actions.is_empty());
}

#[test]
fn a_shared_load_balancer_gets_a_host_rule_at_the_first_free_priority() {
    let mut desired = desired();
    let balancer = desired.load_balancer.as_mut().unwrap();
    balancer.shared = true;
    balancer.name = "shared".into();
    let mut observed = converged(&desired);
    observed.load_balancer.as_mut().unwrap().rules = vec![
        ObservedListenerRule {
            arn: "arn:rule/1".into(),
            priority: Some(1),
            hosts: vec!["other.example.com".into()],
            paths: Vec::new(),
            forwards_to: vec!["arn:other".into()],
            weights: vec![1],
        },
        ObservedListenerRule {
            arn: "arn:rule/default".into(),
            priority: None,
            hosts: Vec::new(),
            paths: Vec::new(),
            forwards_to: Vec::new(),
            weights: Vec::new(),
        },
    ];
    // Without a host there is no rule to make (the planner requires one on a shared load balancer).
    assert!(diff(&desired, &observed, Options::default()).actions.is_empty());
    desired.load_balancer.as_mut().unwrap().host = Some("staging.shop.example.com".into());
    let names = changes(&desired, &observed);
    assert_eq!(
        names,
        ["route host staging.shop.example.com to acme-shop-api-staging on the shared load balancer (rule priority 2)"]
    );

    observed.load_balancer.as_mut().unwrap().rules.push(ObservedListenerRule {
        arn: "arn:rule/2".into(),
        priority: Some(2),
        hosts: vec!["staging.shop.example.com".into()],
        paths: Vec::new(),
        forwards_to: vec!["arn:tg".into()],
        weights: vec![1],
    });
    assert!(
        diff(&desired, &observed, Options::default()).actions.is_empty(),
        "the listeners of a shared load balancer are never touched"
    );
}

#[test]
fn each_drift_of_the_load_balancer_or_its_target_group_is_corrected() {
    let desired = desired();
    let observed = converged(&desired);
    let drifts: [(Drift<Observed>, &[&str]); 8] = [
        (
            ("other subnets", |observed| observed.load_balancer.as_mut().unwrap().subnets = vec!["subnet-a1".into()]),
            &["set the subnets of load balancer acme-shop-api-staging to subnet-a1, subnet-b2"],
        ),
        (
            ("other security groups", |observed| {
                observed.load_balancer.as_mut().unwrap().security_groups = vec!["sg-9".into()];
            }),
            &["set the security groups of load balancer acme-shop-api-staging to sg-2"],
        ),
        (
            ("another health check", |observed| {
                observed.target_group.as_mut().unwrap().health_check_path = "/up".into()
            }),
            &[MODIFY_GROUP],
        ),
        (
            ("AWS's health check timing (an app deployed before maestro tuned it)", |observed| {
                observed.target_group.as_mut().unwrap().health_check = Some(HealthCheck::AWS);
            }),
            &[MODIFY_GROUP],
        ),
        (
            ("no health check timing read", |observed| observed.target_group.as_mut().unwrap().health_check = None),
            &[MODIFY_GROUP],
        ),
        (
            ("no deregistration delay read", |observed| {
                observed.target_group.as_mut().unwrap().deregistration_delay = None;
            }),
            &[MODIFY_GROUP],
        ),
        (
            ("an HTTPS listener on 80", |observed| {
                observed.load_balancer.as_mut().unwrap().listeners[0].protocol = Some(ListenerProtocol::Https);
            }),
            &["forward listener HTTP:80 to acme-shop-api-staging"],
        ),
        (
            ("a listener forwarding to two groups", |observed| {
                observed.load_balancer.as_mut().unwrap().listeners[0].forwards_to.push("arn:other".into());
            }),
            &["forward listener HTTP:80 to acme-shop-api-staging"],
        ),
    ];
    for ((drift, apply), expected) in drifts {
        let mut drifted = observed.clone();
        apply(&mut drifted);
        let diff = diff(&desired, &drifted, Options::default());
        assert_eq!(described(&diff.actions), expected, "{drift}");
        assert_eq!(diff.warnings, Vec::<String>::new(), "{drift}");
    }
}

#[test]
fn what_aws_cannot_change_is_a_warning() {
    let desired = desired();
    let mut observed = converged(&desired);
    observed.load_balancer.as_mut().unwrap().scheme = Some(Scheme::Internal);
    let warned = diff(&desired, &observed, Options::default());
    assert!(warned.actions.is_empty(), "{:?}", warned.actions);
    assert_eq!(
        warned.warnings,
        [
            "load balancer acme-shop-api-staging is internal, not internet-facing; AWS cannot change a scheme: delete it to have it recreated"
        ]
    );
    observed.load_balancer.as_mut().unwrap().scheme = None;
    assert_eq!(
        diff(&desired, &observed, Options::default()).warnings,
        [
            "load balancer acme-shop-api-staging is , not internet-facing; AWS cannot change a scheme: delete it to have it recreated"
        ]
    );
}

#[test]
fn unset_subnets_and_security_groups_leave_the_load_balancers_alone() {
    let mut desired = desired();
    let balancer = desired.load_balancer.as_mut().unwrap();
    (balancer.subnets, balancer.security_groups) = (Vec::new(), Vec::new());
    assert_eq!(changes(&desired, &converged(&desired)), Vec::<String>::new());
}

#[test]
fn a_listener_without_the_certificate_is_modified() {
    let mut desired = desired();
    let balancer = desired.load_balancer.as_mut().unwrap();
    balancer.certificate_arn = Some("arn:aws:acm:us-east-1:123456789012:certificate/new".into());
    balancer.listener = crate::plan::desired::Listener { protocol: ListenerProtocol::Https, port: 443 };
    let mut observed = converged(&desired);
    let listeners = &mut observed.load_balancer.as_mut().unwrap().listeners;
    listeners[0].redirects_to_https = true;
    listeners.push(https_listener("arn:aws:acm:us-east-1:123456789012:certificate/old".into()));
    assert_eq!(changes(&desired, &observed), ["forward listener HTTPS:443 to acme-shop-api-staging"]);
}

/// `desired` on the shared load balancer `shared`, routing `host` when given.
/// The HTTPS listener maestro creates for a certificate, forwarding to the target group.
fn https_listener(certificate: String) -> ObservedListener {
    ObservedListener {
        arn: "arn:listener-443".into(),
        port: 443,
        protocol: Some(ListenerProtocol::Https),
        forwards_to: vec!["arn:tg".into()],
        redirects_to_https: false,
        certificates: vec![certificate],
    }
}

fn shared(host: Option<&str>) -> DesiredState {
    let mut desired = desired();
    let balancer = desired.load_balancer.as_mut().unwrap();
    (balancer.shared, balancer.name, balancer.host) = (true, "shared".into(), host.map(str::to_owned));
    desired
}

#[test]
fn a_missing_shared_load_balancer_is_never_created() {
    // `preflight` stops the deploy before the diff; the diff alone creates nothing of it.
    let desired = shared(Some("staging.shop.example.com"));
    let mut observed = converged(&desired);
    observed.load_balancer = None;
    let diff = diff(&desired, &observed, Options::default());
    assert!(diff.actions.is_empty(), "{:?}", diff.actions);
}

#[test]
fn a_shared_load_balancer_is_never_changed_only_its_rule() {
    let desired = shared(Some("staging.shop.example.com"));
    let mut observed = converged(&desired);
    let live = observed.load_balancer.as_mut().unwrap();
    (live.scheme, live.subnets, live.security_groups) = (Some(Scheme::Internal), Vec::new(), Vec::new());
    live.rules = vec![ObservedListenerRule {
        arn: "arn:rule/7".into(),
        priority: Some(7),
        hosts: vec!["staging.shop.example.com".into()],
        paths: Vec::new(),
        forwards_to: vec!["arn:old-tg".into()],
        weights: vec![1],
    }];
    let diff = diff(&desired, &observed, Options::default());
    assert_eq!(described(&diff.actions), ["route host staging.shop.example.com to acme-shop-api-staging again"]);
    assert_eq!(diff.warnings, Vec::<String>::new());
}

#[test]
fn a_shared_rule_takes_the_first_free_priority_and_needs_the_listener() {
    let desired = shared(Some("staging.shop.example.com"));
    let mut observed = converged(&desired);
    let rule = |priority: u32| ObservedListenerRule {
        arn: format!("arn:rule/{priority}"),
        priority: Some(priority),
        hosts: vec![format!("app{priority}.example.com")],
        paths: Vec::new(),
        forwards_to: vec!["arn:other".into()],
        weights: vec![1],
    };
    observed.load_balancer.as_mut().unwrap().rules = vec![rule(2), rule(1), rule(4)];
    assert_eq!(
        changes(&desired, &observed),
        ["route host staging.shop.example.com to acme-shop-api-staging on the shared load balancer (rule priority 3)"]
    );
    observed.load_balancer.as_mut().unwrap().listeners[0].port = 8080;
    let diff = diff(&desired, &observed, Options::default());
    assert!(diff.actions.is_empty(), "no rule without the listener (`preflight` stops there): {:?}", diff.actions);
}
