//! STS's AssumeRole, for role chaining (tests/support/strict/sts.py): a session's keys may assume
//! a role for at most an hour, and the session name, duration and external ID are validated.

use aws_sdk_sts::Client;

use super::world::{World, refusal};
use maestro_test_support::{moto_url, scripted};

#[tokio::test(flavor = "multi_thread")]
#[ignore = "needs the AWS emulator: bash scripts/test.sh"]
async fn a_chained_session_lasts_at_most_an_hour_and_its_parameters_are_checked() {
    let world = World::new("strict_a_chained_session_lasts_an_hour").await;
    // The account's keys are a role's session (ASIA…): what assumes from them chains.
    let chained = Client::new(&world.account.config);
    let role = "arn:aws:iam::210987654321:role/deploy";
    let assume = |client: &Client, seconds: i32| {
        client.assume_role().role_arn(role).role_session_name("maestro-ci").duration_seconds(seconds)
    };
    assert!(assume(&chained, 3600).send().await.is_ok());
    let (code, message) = refusal(assume(&chained, 3601).send().await);
    assert_eq!(code, "ValidationError");
    assert!(message.contains("1 hour session limit for roles assumed by role chaining"), "{message}");
    // Long-term keys (the emulator's root `testing`, not a session's ASIA…) may ask for 12 hours.
    let root = Client::new(&scripted(&moto_url()).await);
    assert!(assume(&root, 43200).send().await.is_ok());
    assert_eq!(refusal(assume(&root, 43201).send().await).0, "ValidationError");
    assert_eq!(refusal(assume(&root, 899).send().await).0, "ValidationError");
    let named = |name: &str| root.assume_role().role_arn(role).role_session_name(name);
    assert_eq!(refusal(named("a").send().await).0, "ValidationError");
    assert_eq!(refusal(named("has space").send().await).0, "ValidationError");
    assert!(named("maestro-gh-1-1").external_id("shop:CI/2026").send().await.is_ok());
    assert_eq!(refusal(named("maestro-gh-1-1").external_id("shop ci").send().await).0, "ValidationError");
}
