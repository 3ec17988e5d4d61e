//! IAM, for `maestro verify`'s permissions check. moto has no policy simulator: the emulator's
//! (tests/support/iam_simulate.py) answers SimulatePrincipalPolicy as
//! https://docs.aws.amazon.com/IAM/latest/APIReference/API_SimulatePrincipalPolicy.html documents
//! it; these tests pin its evaluation and its pages, and the refusals src/aws/iam.rs tells apart
//! (an unknown role, a caller refused, as tests/support/denials.py refuses on the query protocol).

use aws_sdk_iam::Client;
use aws_sdk_iam::types::PolicyEvaluationDecisionType as Decision;
use maestro_test_support::{TestAccount, deny};

use super::world::refusal;

const POLICY: &str = r#"{"Version": "2012-10-17", "Statement": [
    {"Effect": "Allow", "Action": ["ecs:Describe*", "ssm:PutParameter"], "Resource": "*"},
    {"Effect": "Deny", "Action": "ssm:PutParameter", "Resource": "arn:aws:ssm:*:*:parameter/prod/*"},
    {"Effect": "Allow", "Action": "iam:PassRole", "Resource": "*",
     "Condition": {"StringEquals": {"iam:PassedToService": "ecs-tasks.amazonaws.com"}}}
]}"#;
const TRUST: &str = r#"{"Version": "2012-10-17", "Statement": [{"Effect": "Allow",
    "Principal": {"Service": "codebuild.amazonaws.com"}, "Action": "sts:AssumeRole"}]}"#;

#[tokio::test(flavor = "multi_thread")]
#[ignore = "needs the AWS emulator: bash scripts/test.sh"]
async fn the_simulator_judges_a_roles_policies_page_by_page() {
    let account = TestAccount::new("strict_iam_the_simulator_judges").await;
    let iam = Client::new(&account.config);
    let role =
        iam.create_role().role_name("deployer").path("/ci/").assume_role_policy_document(TRUST).send().await.unwrap();
    let arn = role.role().unwrap().arn().to_owned();
    assert_eq!(arn, format!("arn:aws:iam::{}:role/ci/deployer", account.id), "GetRole gives the path");
    iam.put_role_policy().role_name("deployer").policy_name("deploy").policy_document(POLICY).send().await.unwrap();
    let ask = |resource: &str| {
        iam.simulate_principal_policy()
            .policy_source_arn(&arn)
            .action_names("ecs:DescribeServices")
            .action_names("ssm:PutParameter")
            .action_names("iam:PassRole")
            .action_names("s3:GetObject")
            .resource_arns(resource)
    };
    let first = ask("arn:aws:ssm:us-east-1:1:parameter/prod/x").send().await.unwrap();
    // Fewer than MaxItems (100 by default) and a marker: the reader must follow IsTruncated.
    assert!(first.is_truncated() && first.marker().is_some(), "{first:?}");
    let mut results = first.evaluation_results().to_vec();
    let mut marker = first.marker().map(str::to_owned);
    while let Some(next) = marker.take() {
        let page = ask("arn:aws:ssm:us-east-1:1:parameter/prod/x").marker(next).send().await.unwrap();
        results.extend(page.evaluation_results().iter().cloned());
        marker = page.marker().filter(|_| page.is_truncated()).map(str::to_owned);
    }
    let decisions: Vec<(&str, &Decision)> =
        results.iter().map(|result| (result.eval_action_name(), result.eval_decision())).collect();
    assert_eq!(
        decisions,
        [
            ("ecs:DescribeServices", &Decision::Allowed),
            ("ssm:PutParameter", &Decision::ExplicitDeny),
            // No context keys are given: a condition on one does not hold.
            ("iam:PassRole", &Decision::ImplicitDeny),
            ("s3:GetObject", &Decision::ImplicitDeny),
        ]
    );
    let unknown = iam.simulate_principal_policy().policy_source_arn(format!("arn:aws:iam::{}:role/nobody", account.id));
    assert_eq!(refusal(unknown.action_names("ecs:ListServices").send().await).0, "NoSuchEntity");
    assert_eq!(refusal(iam.get_role().role_name("nobody").send().await).0, "NoSuchEntity");
    deny(&account.id, &["iam:SimulatePrincipalPolicy"]).await;
    let (code, message) = refusal(ask("*").send().await);
    assert_eq!(code, "AccessDenied");
    assert!(message.contains("is not authorized to perform: iam:SimulatePrincipalPolicy"), "{message}");
}
