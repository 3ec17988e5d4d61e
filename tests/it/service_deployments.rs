//! maestro follows the service deployment an update started (issue 20): a rollback or a stop is a
//! failure with ECS's own reason, which the service's deployments alone do not give.

use crate::deploy_cli::{command_in, maestro_in};
use maestro_test_support::{TestAccount, Watched, deny, plan_rollout};

/// The service's current service deployment and its task definition.
async fn current(account: &TestAccount, cluster: &str, service: &str) -> (String, String) {
    let ecs = aws_sdk_ecs::Client::new(&account.config);
    let described = ecs.describe_services().cluster(cluster).services(service).send().await.unwrap();
    let service = &described.services()[0];
    (service.current_service_deployment().unwrap().to_owned(), service.task_definition().unwrap().to_owned())
}

#[tokio::test(flavor = "multi_thread")]
#[ignore = "needs the AWS emulator: bash scripts/test.sh"]
async fn a_deployment_rolled_back_by_someone_else_fails_with_ecs_reason() {
    let account = TestAccount::new("a_deployment_rolled_back_by_someone_else_fails").await;
    let branch = ("MAESTRO_BRANCH_OVERRIDE", "rolled");
    let (cluster, web) = ("acme-shop-api-rolled", "acme-shop-api-rolled-web");
    maestro_in(&account, "deploy", "json", &[branch]).await.expect_code(0);
    let (_, previous) = current(&account, cluster, web).await;
    plan_rollout(web, "STUCK").await;
    let next = [branch, ("MAESTRO_COMMIT_OVERRIDE", "9e8d7c6b5a4f3e2d1c0b")];
    let mut command = command_in(&account, "deploy", "human", &next).await;
    let watched = Watched::until(&mut command, |line| line.contains(&format!("{web}:")) && line.contains(" running, "));
    // Someone rolls web's deployment back in the console (StopServiceDeployment) while maestro waits.
    let (service_deployment, _) = current(&account, cluster, web).await;
    let ecs = aws_sdk_ecs::Client::new(&account.config);
    ecs.stop_service_deployment().service_deployment_arn(&service_deployment).send().await.unwrap();
    let (code, seen, rest) = watched.end();
    assert_eq!(code, Some(1), "{seen}{rest}");
    // The deployments alone would say "another deployment replaced this one": ECS's reason is better.
    assert!(
        rest.contains(&format!(
            "{web} failed: Service deployment rolled back by a user. (service deployment ROLLBACK_"
        )),
        "{seen}{rest}"
    );
    assert!(!rest.contains("another deployment"), "{rest}");
    // ECS's rollback put web back on the revision that ran before.
    for _ in 0..3 {
        current(&account, cluster, web).await;
    }
    assert_eq!(current(&account, cluster, web).await.1, previous);
}

#[tokio::test(flavor = "multi_thread")]
#[ignore = "needs the AWS emulator: bash scripts/test.sh"]
async fn a_role_without_describe_service_deployments_still_deploys_and_is_told_once() {
    // A role made from an older docs/iam.md lacks ecs:DescribeServiceDeployments.
    let account = TestAccount::new("a_role_without_describe_service_deployments").await;
    deny(&account.id, &["ecs:DescribeServiceDeployments"]).await;
    let outcome = maestro_in(&account, "deploy", "json", &[("MAESTRO_BRANCH_OVERRIDE", "old-role")]).await;
    let outcome = outcome.expect_code(0);
    let warning = "following the deployments without their service deployments:";
    assert_eq!(outcome.stderr.matches(warning).count(), 1, "{}", outcome.stderr);
    assert!(outcome.stderr.contains("ecs:DescribeServiceDeployments"), "{}", outcome.stderr);
    let report = outcome.json();
    assert_eq!(report["aws_calls"]["by_operation"]["ECS.DescribeServiceDeployments"], 1, "read once, then left out");
}
