//! What the deploy role may do: a call AWS refuses names the action, the resource and the
//! statement of docs/iam.md that grants it (the emulator refuses as AWS does,
//! tests/support/denials.py); `maestro verify` asks IAM's policy simulator first
//! (tests/support/iam_simulate.py) and names each action the role may not make.

use crate::support::{EXAMPLE_APP, EXAMPLE_ENV, EXAMPLE_REPOSITORY, EXAMPLE_TAG, Outcome, maestro, run};
use maestro_test_support::{TestAccount, deny, journal, start_journal};

#[tokio::test(flavor = "multi_thread")]
#[ignore = "needs the AWS emulator: bash scripts/test.sh"]
async fn a_role_without_ssm_put_parameter_is_told_the_action_the_resource_and_the_statement() {
    let account = TestAccount::new("a_role_without_ssm_put_parameter").await;
    account.seed_image(EXAMPLE_REPOSITORY, EXAMPLE_TAG).await;
    deny(&account.id, &["ssm:PutParameter"]).await;
    let mut command = maestro();
    command.args(["deploy", "--app", EXAMPLE_APP, "--env-file", EXAMPLE_ENV]);
    command.envs(account.deploy_env().await);
    let outcome = run(&mut command);
    outcome.expect_code(1).expect_stderr(&[
        "take the deploy lease /maestro/locks/acme-shop-api-staging/0000000001 (ssm:PutParameter): AccessDeniedException",
        &format!(
            "the role may not call ssm:PutParameter on arn:aws:ssm:us-east-1:{}:parameter/maestro/locks/acme-shop-api-staging/0000000001",
            account.id
        ),
        "allow ssm:PutParameter in the role's policy: statement `DeployLease` of docs/iam.md#the-permissions-maestro-needs",
        "docs/iam.md#switching-from-the-bash-maestro",
    ]);
    assert!(!outcome.stderr.contains("malformed"), "the SDK read AWS's JSON error: {}", outcome.stderr);
    let clusters = aws_sdk_ecs::Client::new(&account.config).list_clusters().send().await.unwrap();
    assert!(clusters.cluster_arns().is_empty(), "nothing was written");
}

const TRUST: &str = r#"{"Version": "2012-10-17", "Statement": [{"Effect": "Allow",
    "Principal": {"Service": "codebuild.amazonaws.com"}, "Action": "sts:AssumeRole"}]}"#;

/// Gives `account`'s test role (the one TestAccount signs in as, `role/test`) the path `/ci/`, an
/// inline policy allowing every service maestro calls but SSM and ECR, and an attached managed
/// policy allowing ECR: so the deploy lease's calls are the only ones denied.
async fn role_without_ssm(account: &TestAccount) -> String {
    let iam = aws_sdk_iam::Client::new(&account.config);
    let role =
        iam.create_role().role_name("test").path("/ci/").assume_role_policy_document(TRUST).send().await.unwrap();
    let inline = serde_json::json!({"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Resource": "*", "Action": [
        "sts:*", "ec2:Describe*", "ecs:*", "logs:*", "elasticloadbalancing:*", "events:*",
        "application-autoscaling:*", "cloudwatch:*", "iam:GetRole", "iam:SimulatePrincipalPolicy"]}]});
    iam.put_role_policy()
        .role_name("test")
        .policy_name("deploy")
        .policy_document(inline.to_string())
        .send()
        .await
        .unwrap();
    let images = serde_json::json!({"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "ecr:*", "Resource": "*"}]});
    let managed = iam.create_policy().policy_name("images").policy_document(images.to_string()).send().await.unwrap();
    let managed = managed.policy().unwrap().arn().unwrap();
    iam.attach_role_policy().role_name("test").policy_arn(managed).send().await.unwrap();
    role.role().unwrap().arn().to_owned()
}

async fn verify(account: &TestAccount, output: &str) -> Outcome {
    let mut command = maestro();
    command.args(["verify", "--app", EXAMPLE_APP, "--env-file", EXAMPLE_ENV, "--output", output]);
    command.envs(account.deploy_env().await);
    run(&mut command)
}

#[tokio::test(flavor = "multi_thread")]
#[ignore = "needs the AWS emulator: bash scripts/test.sh"]
async fn verify_names_each_action_the_role_may_not_make_with_its_statement() {
    let account = TestAccount::new("verify_names_each_action_the_role_may_not_make").await;
    // The test account's env skips the build, which verify judges too: the commit's image exists.
    account.seed_image(EXAMPLE_REPOSITORY, EXAMPLE_TAG).await;
    let role = role_without_ssm(&account).await;
    assert_eq!(role, format!("arn:aws:iam::{}:role/ci/test", account.id));
    start_journal(&account.id).await;
    let outcome = verify(&account, "human").await;
    let lease = format!("arn:aws:ssm:us-east-1:{}:parameter/maestro/locks/acme-shop-api-staging", account.id);
    outcome.expect_code(2).expect_stderr(&[
        format!("the deploy role: {role} may not call ssm:PutParameter on {lease}/0000000001 (no statement allows it)"),
        format!("{role} may not call ssm:DeleteParameter on {lease}/0000000001"),
        format!("{role} may not call ssm:GetParametersByPath on {lease} (no statement allows it)"),
        "allow ssm:PutParameter in its policy: statement `DeployLease` of docs/iam.md#the-permissions-maestro-needs"
            .to_owned(),
        // The release records' parameter, beside the lease.
        format!(
            "{role} may not call ssm:GetParameterHistory on arn:aws:ssm:us-east-1:{}:parameter/maestro/releases/acme-shop-api-staging",
            account.id
        ),
        "allow ssm:GetParameterHistory in its policy: statement `Releases`".to_owned(),
    ]);
    assert!(!outcome.stderr.contains("ecr:"), "the attached policy allows ECR: {}", outcome.stderr);
    assert_eq!(outcome.stderr.matches("may not call").count(), 5, "{}", outcome.stderr);
    let calls = journal(&account.id).await;
    let simulated = calls.iter().filter(|call| call["action"] == "SimulatePrincipalPolicy").count();
    assert!(simulated >= 4, "one question per resource, each paged: {simulated}");
    assert!(calls.iter().all(|call| {
        let action = call["action"].as_str().unwrap();
        ["Describe", "Get", "List", "Simulate"].iter().any(|read| action.starts_with(read))
    }));
}

#[tokio::test(flavor = "multi_thread")]
#[ignore = "needs the AWS emulator: bash scripts/test.sh"]
async fn a_role_that_may_not_simulate_is_not_checked_and_verify_passes() {
    let account = TestAccount::new("a_role_that_may_not_simulate").await;
    // The test account's env skips the build, which verify judges too: the commit's image exists.
    account.seed_image(EXAMPLE_REPOSITORY, EXAMPLE_TAG).await;
    role_without_ssm(&account).await;
    deny(&account.id, &["iam:SimulatePrincipalPolicy"]).await;
    let outcome = verify(&account, "json").await;
    outcome.expect_code(0);
    let report = outcome.json();
    assert_eq!(report["permissions"]["status"], "not_checked", "{report}");
    assert_eq!(report["permissions"]["why"], "the role may not call iam:SimulatePrincipalPolicy on itself");
    let human = verify(&account, "human").await;
    human.expect_code(0);
    assert!(
        human
            .stdout
            .contains("  --  the caller's permissions: the role may not call iam:SimulatePrincipalPolicy on itself"),
        "{}",
        human.stdout
    );
}

#[tokio::test(flavor = "multi_thread")]
#[ignore = "needs the AWS emulator: bash scripts/test.sh"]
async fn a_role_that_may_make_every_call_is_checked() {
    let account = TestAccount::new("a_role_that_may_make_every_call").await;
    // The test account's env skips the build, which verify judges too: the commit's image exists.
    account.seed_image(EXAMPLE_REPOSITORY, EXAMPLE_TAG).await;
    let iam = aws_sdk_iam::Client::new(&account.config);
    iam.create_role().role_name("test").assume_role_policy_document(TRUST).send().await.unwrap();
    let all = serde_json::json!({"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "*", "Resource": "*"}]});
    iam.put_role_policy().role_name("test").policy_name("all").policy_document(all.to_string()).send().await.unwrap();
    let outcome = verify(&account, "json").await;
    outcome.expect_code(0);
    let report = outcome.json();
    assert_eq!(report["permissions"]["status"], "checked", "{report}");
    assert_eq!(report["permissions"]["role"], format!("arn:aws:iam::{}:role/test", account.id));
    let actions = report["permissions"]["actions"].as_u64().unwrap();
    assert!(actions > 40, "{report}");
    let human = verify(&account, "human").await;
    human.expect_code(0);
    let line = format!("  ok  arn:aws:iam::{}:role/test may make the deploy's calls ({actions} simulated;", account.id);
    assert!(human.stdout.contains(&line), "{}", human.stdout);
}
