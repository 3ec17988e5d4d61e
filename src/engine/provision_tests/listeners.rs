//! The load balancer's listeners: HTTPS with a certificate, and HTTP redirecting to it.

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
