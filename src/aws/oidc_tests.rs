//! The OIDC provider behind a long deploy, against the emulator's STS and a loopback token endpoint.

use std::time::Duration;

use maestro_test_support::moto_url;
use maestro_test_support::oidc::{REQUEST_TOKEN, jwt, token_endpoint};

/// The provider behind a long deploy: cached while fresh, a new token and session before expiry.
#[tokio::test(flavor = "multi_thread")]
#[ignore = "needs the AWS emulator: bash scripts/test.sh"]
async fn credentials_are_refreshed_before_they_expire() {
    use super::OidcProvider;
    use maestro_core::credentials::{CredentialPlan, RoleSession};
    use maestro_core::secret::Secret;

    let moto = moto_url();
    let token = jwt("repo:acme/shop-api:ref:refs/heads/main");
    let server = token_endpoint(&token, 3).await;
    let plan = CredentialPlan::GithubOidc {
        role: RoleSession {
            role_arn: maestro_core::types::RoleArn::parse("arn:aws:iam::333344445555:role/deploy").unwrap(),
            session_name: "refresh-test".into(),
            duration_seconds: 900,
        },
        request_url: format!("{}/_apis/token?api-version=2.0", server.uri()),
        request_token: Secret::new(REQUEST_TOKEN),
        audience: "sts.amazonaws.com".into(),
    };
    let config = aws_config::defaults(aws_config::BehaviorVersion::latest())
        .region(aws_sdk_sts::config::Region::new("us-east-1"))
        .endpoint_url(&moto)
        .no_credentials()
        .load()
        .await;
    let masker = crate::workflow::Masker::for_env(&maestro_core::env::Env::default());
    let sts = aws_sdk_sts::Client::new(&config);

    // A 15-minute session stays cached with the default margin: one token, one exchange.
    let cached = OidcProvider::new(&plan, sts.clone(), masker).unwrap();
    let first = cached.credentials().await.unwrap();
    let again = cached.credentials().await.unwrap();
    assert_eq!(first.access_key_id(), again.access_key_id());

    // With a margin longer than the session, every use is "about to expire": a fresh token and
    // a new session each time.
    let refreshing = OidcProvider::new(&plan, sts, masker).unwrap().with_refresh_margin(Duration::from_secs(3600));
    let one = refreshing.credentials().await.unwrap();
    let two = refreshing.credentials().await.unwrap();
    assert_ne!(one.access_key_id(), two.access_key_id(), "a new session was assumed");
    assert!(two.expiry().is_some());
    // `expect(3)` on the token endpoint: 1 for the cached provider, 2 for the refreshing one.
}
