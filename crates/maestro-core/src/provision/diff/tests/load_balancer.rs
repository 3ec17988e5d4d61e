//! The load balancer, its target group and listeners; on a shared one, only the host rule.

use super::*;

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
    assert_eq!(
        names,
        [
            "set target group acme-shop-api-staging's health check to / and its deregistration delay to 30s",
            "forward listener HTTP:80 to acme-shop-api-staging",
        ]
    );
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
    listeners.push(ObservedListener {
        arn: "arn:listener-443".into(),
        port: 443,
        protocol: Some(ListenerProtocol::Https),
        forwards_to: vec!["arn:tg".into()],
        redirects_to_https: false,
        certificates: vec![certificate],
    });
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
            forwards_to: vec!["arn:other".into()],
        },
        ObservedListenerRule {
            arn: "arn:rule/default".into(),
            priority: None,
            hosts: Vec::new(),
            forwards_to: Vec::new(),
        },
    ];
    let without_host = diff(&desired, &observed, Options::default());
    assert!(without_host.actions.is_empty());
    assert!(
        without_host.warnings.iter().any(|warning| warning.contains("MAESTRO_HOST is unset")),
        "{:?}",
        without_host.warnings
    );

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
        forwards_to: vec!["arn:tg".into()],
    });
    assert!(
        diff(&desired, &observed, Options::default()).actions.is_empty(),
        "the listeners of a shared load balancer are never touched"
    );
}
