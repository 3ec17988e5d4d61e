//! The load balancer's listeners: HTTPS with a certificate (and HTTP redirecting to it), and a
//! host rule on a load balancer another app owns.

use super::Scenario;

#[tokio::test(flavor = "multi_thread")]
#[ignore = "needs the AWS emulator: bash scripts/test.sh"]
async fn a_certificate_serves_https_and_redirects_http() {
    let scenario = Scenario::new("a_certificate_serves_https_and_redirects_http").await;
    let account = &scenario.account;
    let certificate = account.certificate("shop.example.com").await;
    let desired = scenario.plan(&[("ALB_CERTIFICATE_ARN", certificate.as_str())]);
    let actions = scenario.reconcile(&desired).await.actions();
    assert!(
        actions.contains(
            &"create listener HTTPS:443 on acme-shop-api-staging forwarding to acme-shop-api-staging".to_owned()
        ),
        "{actions:?}"
    );
    assert!(
        actions.contains(&"create listener HTTP:80 on acme-shop-api-staging redirecting to HTTPS".to_owned()),
        "{actions:?}"
    );

    let elb = aws_sdk_elasticloadbalancingv2::Client::new(&account.config);
    let balancers = elb.describe_load_balancers().names("acme-shop-api-staging").send().await.unwrap();
    let arn = balancers.load_balancers()[0].load_balancer_arn().unwrap();
    let listeners = elb.describe_listeners().load_balancer_arn(arn).send().await.unwrap();
    let https = listeners.listeners().iter().find(|listener| listener.port() == Some(443)).unwrap();
    assert_eq!(https.certificates()[0].certificate_arn(), Some(certificate.as_str()));
    let http = listeners.listeners().iter().find(|listener| listener.port() == Some(80)).unwrap();
    let redirect = http.default_actions()[0].redirect_config().unwrap();
    assert_eq!((redirect.protocol(), redirect.port()), (Some("HTTPS"), Some("443")));

    scenario.reconcile(&desired).await.assert_converged();
}

#[tokio::test(flavor = "multi_thread")]
#[ignore = "needs the AWS emulator: bash scripts/test.sh"]
async fn a_shared_load_balancer_routes_the_apps_host() {
    let scenario = Scenario::new("a_shared_load_balancer_routes_the_apps_host").await;
    let (account, network) = (&scenario.account, &scenario.network);
    // Someone else's load balancer, with an HTTP listener and another app's rule at priority 1.
    let elb = aws_sdk_elasticloadbalancingv2::Client::new(&account.config);
    let created =
        elb.create_load_balancer().name("shared-alb").set_subnets(Some(network.subnets.clone())).send().await.unwrap();
    let shared = created.load_balancers()[0].load_balancer_arn().unwrap().to_owned();
    let other = elb
        .create_target_group()
        .name("other-app")
        .protocol(aws_sdk_elasticloadbalancingv2::types::ProtocolEnum::Http)
        .port(80)
        .vpc_id(&network.vpc_id)
        .target_type(aws_sdk_elasticloadbalancingv2::types::TargetTypeEnum::Ip)
        .send()
        .await
        .unwrap();
    let other = other.target_groups()[0].target_group_arn().unwrap().to_owned();
    let forward = |arn: &str| {
        aws_sdk_elasticloadbalancingv2::types::Action::builder()
            .r#type(aws_sdk_elasticloadbalancingv2::types::ActionTypeEnum::Forward)
            .target_group_arn(arn)
            .build()
    };
    let listener = elb
        .create_listener()
        .load_balancer_arn(&shared)
        .protocol(aws_sdk_elasticloadbalancingv2::types::ProtocolEnum::Http)
        .port(80)
        .default_actions(forward(&other))
        .send()
        .await
        .unwrap();
    let listener = listener.listeners()[0].listener_arn().unwrap().to_owned();
    let host = |value: &str| {
        aws_sdk_elasticloadbalancingv2::types::RuleCondition::builder().field("host-header").values(value).build()
    };
    elb.create_rule()
        .listener_arn(&listener)
        .priority(1)
        .conditions(host("other.example.com"))
        .actions(forward(&other))
        .send()
        .await
        .unwrap();

    let desired = scenario.plan(&[("ALB_NAME_OVERRIDE", "shared-alb"), ("MAESTRO_HOST", "staging.shop.example.com")]);
    let actions = scenario.reconcile(&desired).await.actions();
    assert!(actions.contains(&"route host staging.shop.example.com to acme-shop-api-staging on the shared load balancer (rule priority 2)".to_owned()), "{actions:?}");
    assert!(
        !actions.iter().any(|action| action.contains("create load balancer") || action.contains("listener")),
        "{actions:?}"
    );
    let rules = elb.describe_rules().listener_arn(&listener).send().await.unwrap();
    let ours = rules.rules().iter().find(|rule| rule.priority() == Some("2")).unwrap();
    assert!(ours.actions()[0].target_group_arn().unwrap().contains("targetgroup/acme-shop-api-staging/"));

    scenario.reconcile(&desired).await.assert_converged();
}
