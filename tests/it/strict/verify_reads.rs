//! IAM GetRole, Secrets Manager DescribeSecret and ACM DescribeCertificate, for `maestro verify`:
//! no strict rule is needed, since moto already answers these reads as AWS documents; these tests
//! pin the answers `src/aws/iam.rs`, `secrets.rs` and `acm.rs` rely on, so a moto upgrade that
//! changes them fails here rather than in a verify test (docs/emulator.md, "IAM, Secrets Manager
//! and ACM").

use maestro_test_support::{TestAccount, issue_certificate};

use super::world::refusal;

#[tokio::test(flavor = "multi_thread")]
#[ignore = "needs the AWS emulator: bash scripts/test.sh"]
async fn an_unknown_role_secret_or_certificate_is_not_found_and_a_role_s_trust_policy_comes_url_encoded() {
    let account = TestAccount::new("strict_verify_reads_not_found_and_url_encoded").await;
    let iam = aws_sdk_iam::Client::new(&account.config);
    // "NoSuchEntity": https://docs.aws.amazon.com/IAM/latest/APIReference/API_GetRole.html
    assert_eq!(refusal(iam.get_role().role_name("no-such-role").send().await).0, "NoSuchEntity");
    // "URL-encoded compliant with RFC 3986": https://docs.aws.amazon.com/IAM/latest/APIReference/API_Role.html
    let arn = account.role("strict-task", "ecs-tasks.amazonaws.com").await;
    let role = iam.get_role().role_name("strict-task").send().await.unwrap();
    let role = role.role().unwrap();
    assert_eq!(role.arn(), arn);
    let document = role.assume_role_policy_document().unwrap();
    assert!(document.starts_with("%7B") && document.contains("ecs-tasks.amazonaws.com"), "{document}");

    // "ResourceNotFoundException": https://docs.aws.amazon.com/secretsmanager/latest/apireference/API_DescribeSecret.html
    let secrets = aws_sdk_secretsmanager::Client::new(&account.config);
    assert_eq!(
        refusal(secrets.describe_secret().secret_id("no/such-secret").send().await).0,
        "ResourceNotFoundException"
    );

    // "ResourceNotFoundException": https://docs.aws.amazon.com/acm/latest/APIReference/API_DescribeCertificate.html
    let acm = aws_sdk_acm::Client::new(&account.config);
    let unknown = format!("arn:aws:acm:us-east-1:{}:certificate/00000000-0000-0000-0000-000000000000", account.id);
    assert_eq!(
        refusal(acm.describe_certificate().certificate_arn(unknown).send().await).0,
        "ResourceNotFoundException"
    );
    // A requested certificate waits for its DNS validation; moto_plus's control completes it.
    let requested = account.certificate("*.shop.example.com").await;
    let status = |answer: aws_sdk_acm::operation::describe_certificate::DescribeCertificateOutput| {
        answer.certificate().and_then(|detail| detail.status()).map(|status| status.as_str().to_owned())
    };
    let pending = acm.describe_certificate().certificate_arn(&requested).send().await.unwrap();
    assert_eq!(status(pending).as_deref(), Some("PENDING_VALIDATION"));
    issue_certificate(&account.id, &requested).await;
    let issued = acm.describe_certificate().certificate_arn(&requested).send().await.unwrap();
    assert_eq!(issued.certificate().unwrap().domain_name(), Some("*.shop.example.com"));
    assert_eq!(status(issued).as_deref(), Some("ISSUED"));
}
