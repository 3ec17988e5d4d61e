//! Environments that must never share a resource (issue 16's acceptance): branches whose names
//! fold alike (`main` and `MAIN`), two long Dependabot branches, two branches of one shared cluster
//! (`staging` and `staging-v2`), two apps of one repository (`MAESTRO_APP`), and the bash maestro's
//! untagged resources. Each deploys and
//! redeploys with zero writes, and none touches the other's resources.

use std::collections::BTreeSet;

use serde_json::Value;

use crate::support::{EXAMPLE_APP, EXAMPLE_ENV, EXAMPLE_TAG, Outcome, maestro, run};
use maestro_test_support::TestAccount;

const SHARED: (&str, &str) = ("ECS_CLUSTER_ID", "shared-staging");

/// The example's processes without `worker`.
const WITHOUT_WORKER: (&str, &str) = (
    "ECS_SERVICE_TASK_PROCESSES",
    "web{1024;2048}:2-5[mem=55&nosclin;cpu=60;alb=1000], clock, scheduledtasks{256;512}",
);

/// `maestro <subcommand>` of the example app on `branch`, given as a user would (not sanitised).
async fn on_branch(account: &TestAccount, subcommand: &str, branch: &str, extra: &[(&str, &str)]) -> Outcome {
    with_flags(account, &[subcommand], branch, extra).await
}

/// As [`on_branch`], with flags after the subcommand (`--prune`).
async fn with_flags(account: &TestAccount, args: &[&str], branch: &str, extra: &[(&str, &str)]) -> Outcome {
    let mut command = maestro();
    command.args(args).args(["--app", EXAMPLE_APP, "--env-file", EXAMPLE_ENV, "--output", "json"]);
    command.envs(account.deploy_env().await);
    let app = extra.iter().find(|(name, _)| *name == "MAESTRO_APP").map(|(_, app)| *app);
    let slug = maestro_core::naming::app_slug("acme-shop-api", app);
    let repository = format!("{slug}-{}", maestro_core::naming::branch(branch));
    account.seed_image(&repository, EXAMPLE_TAG).await;
    command.env("MAESTRO_BRANCH_OVERRIDE", branch);
    command.envs(extra.iter().copied());
    run(&mut command)
}

fn writes(report: &Value) -> u64 {
    report["aws_calls"]["writes"].as_u64().unwrap()
}

/// Deploys `branch`, then again: the second writes nothing.
async fn deploys_and_redeploys(account: &TestAccount, branch: &str, extra: &[(&str, &str)]) {
    on_branch(account, "deploy", branch, extra).await.expect_code(0);
    let again = on_branch(account, "deploy", branch, extra).await.expect_code(0).json();
    assert_eq!((writes(&again), &again["actions"]), (0, &serde_json::json!([])), "{branch}: {}", again["aws_calls"]);
}

/// `second`, whose names fold onto `first`'s, is refused (deploy and stop, exit 1, naming both)
/// and changes nothing of `first`'s.
async fn second_is_refused(name: &str, first: &str, second: &str) {
    let account = TestAccount::new(name).await;
    deploys_and_redeploys(&account, first, &[]).await;
    let theirs = format!("repository=acme/shop-api branch={first} account={}", account.id);
    let ours = format!("not repository=acme/shop-api branch={second} account={}", account.id);
    for subcommand in ["deploy", "stop"] {
        let refused = on_branch(&account, subcommand, second, &[]).await;
        refused.expect_code(1).expect_stderr(&[
            format!("cluster acme-shop-api-main belongs to {theirs}"),
            ours.clone(),
            "(its maestro:environment tag)".to_owned(),
            "rename the branch, or deploy it under other names with MAESTRO_BRANCH_OVERRIDE".to_owned(),
        ]);
    }
    // Nothing of the first was changed (no tag taken, no service paused): it still writes nothing.
    let again = on_branch(&account, "deploy", first, &[]).await.expect_code(0).json();
    assert_eq!(writes(&again), 0, "{}", again["aws_calls"]);
    let ecs = aws_sdk_ecs::Client::new(&account.config);
    let web = ecs.describe_services().cluster("acme-shop-api-main").services("acme-shop-api-main-web").send().await;
    assert_eq!(web.unwrap().services()[0].desired_count(), 2, "stop on {second} paused {first}'s web");
}

#[tokio::test(flavor = "multi_thread")]
#[ignore = "needs the AWS emulator: bash scripts/test.sh"]
async fn main_then_upper_case_main_is_refused() {
    second_is_refused("main_then_upper_case_main_is_refused", "main", "MAIN").await;
}

#[tokio::test(flavor = "multi_thread")]
#[ignore = "needs the AWS emulator: bash scripts/test.sh"]
async fn upper_case_main_then_main_is_refused() {
    second_is_refused("upper_case_main_then_main_is_refused", "MAIN", "main").await;
}

/// The load balancers' and target groups' names in the account.
async fn load_balancing_names(account: &TestAccount) -> (BTreeSet<String>, BTreeSet<String>) {
    let elb = aws_sdk_elasticloadbalancingv2::Client::new(&account.config);
    let balancers = elb.describe_load_balancers().send().await.unwrap();
    let groups = elb.describe_target_groups().send().await.unwrap();
    (
        balancers.load_balancers().iter().filter_map(|live| live.load_balancer_name().map(str::to_owned)).collect(),
        groups.target_groups().iter().filter_map(|live| live.target_group_name().map(str::to_owned)).collect(),
    )
}

/// The original cut both to `acme-shop-api-dependabot-npm-and`: one load balancer and target group.
#[tokio::test(flavor = "multi_thread")]
#[ignore = "needs the AWS emulator: bash scripts/test.sh"]
async fn two_long_dependabot_branches_share_nothing() {
    let account = TestAccount::new("two_long_dependabot_branches_share_nothing").await;
    let branches = ["dependabot/npm_and_yarn/express-4.19.2", "dependabot/npm_and_yarn/lodash-4.17.21"];
    for branch in branches {
        deploys_and_redeploys(&account, branch, &[]).await;
    }
    let (balancers, groups) = load_balancing_names(&account).await;
    assert_eq!((balancers.len(), groups.len()), (2, 2), "{balancers:?} {groups:?}");
    assert!(groups.iter().all(|name| name.len() <= 32), "{groups:?}");
    // Each web service is attached to its own branch's target group.
    let ecs = aws_sdk_ecs::Client::new(&account.config);
    let mut attached = BTreeSet::new();
    for branch in branches {
        let base = format!("acme-shop-api-{}", maestro_core::naming::branch(branch));
        let web = ecs.describe_services().cluster(&base).services(format!("{base}-web")).send().await.unwrap();
        attached.insert(web.services()[0].load_balancers()[0].target_group_arn().unwrap().to_owned());
    }
    assert_eq!(attached.len(), 2, "{attached:?}");
}

/// The services a deploy's JSON report says it deleted.
fn deleted_services(report: &Value) -> Vec<&str> {
    let actions = report["actions"].as_array().unwrap().iter();
    actions
        .filter(|action| action["action"] == "delete_service")
        .map(|action| action["name"].as_str().unwrap())
        .collect()
}

/// The active services of the shared cluster.
async fn shared_services(account: &TestAccount) -> BTreeSet<String> {
    crate::support::active_services(account, SHARED.1).await
}

/// `staging`'s services are a prefix of `staging-v2`'s (`acme-shop-api-staging-v2-web` starts
/// with `acme-shop-api-staging-`): only the tags tell them apart.
#[tokio::test(flavor = "multi_thread")]
#[ignore = "needs the AWS emulator: bash scripts/test.sh"]
async fn staging_never_prunes_staging_v2_in_a_shared_cluster() {
    let account = TestAccount::new("staging_never_prunes_staging_v2_in_a_shared_cluster").await;
    deploys_and_redeploys(&account, "staging-v2", &[SHARED]).await;
    deploys_and_redeploys(&account, "staging", &[SHARED]).await;
    // Each one's redeploy writes nothing, the other having deployed in between (the cluster's
    // tags are no longer taken back and forth).
    let again = on_branch(&account, "deploy", "staging-v2", &[SHARED]).await.expect_code(0).json();
    assert_eq!(writes(&again), 0, "{}", again["aws_calls"]);
    // A service under staging's names that no maestro tagged (the bash maestro's, or by hand).
    let ecs = aws_sdk_ecs::Client::new(&account.config);
    use aws_sdk_ecs::types::{AwsVpcConfiguration, NetworkConfiguration};
    let network = account.network().await;
    let vpc = AwsVpcConfiguration::builder().set_subnets(Some(network.subnets)).security_groups(network.security_group);
    let vpc = vpc.build().unwrap();
    let network = NetworkConfiguration::builder().awsvpc_configuration(vpc).build();
    let create = ecs.create_service().cluster(SHARED.1).service_name("acme-shop-api-staging-legacy");
    let create = create.task_definition("acme-shop-api-staging-clock").network_configuration(network);
    create.desired_count(1).send().await.unwrap();

    let pruned = with_flags(&account, &["deploy", "--prune"], "staging", &[SHARED, WITHOUT_WORKER]).await;
    let report = pruned.expect_code(0).json();
    let deleted = deleted_services(&report);
    assert_eq!(deleted, ["acme-shop-api-staging-worker"], "{}", report["actions"]);
    let left = shared_services(&account).await;
    for kept in [
        "acme-shop-api-staging-v2-web",
        "acme-shop-api-staging-v2-worker",
        "acme-shop-api-staging-v2-clock",
        "acme-shop-api-staging-legacy",
    ] {
        assert!(left.contains(kept), "{kept} was deleted: {left:?}");
    }
    let again = on_branch(&account, "deploy", "staging-v2", &[SHARED]).await.expect_code(0).json();
    assert_eq!(writes(&again), 0, "staging's prune touched staging-v2: {}", again["actions"]);
}

/// The bash maestro tagged nothing: its resources, under today's names, are adopted (none is
/// created again) and tagged, once.
#[tokio::test(flavor = "multi_thread")]
#[ignore = "needs the AWS emulator: bash scripts/test.sh"]
async fn untagged_resources_are_adopted_and_tagged_once() {
    let account = TestAccount::new("untagged_resources_are_adopted_and_tagged_once").await;
    on_branch(&account, "deploy", "staging", &[]).await.expect_code(0);
    let ecs = aws_sdk_ecs::Client::new(&account.config);
    let keys = ["maestro:app", "maestro:environment"];
    let cluster = ecs.describe_clusters().clusters("acme-shop-api-staging").send().await.unwrap();
    let mut arns = vec![cluster.clusters()[0].cluster_arn().unwrap().to_owned()];
    let services = ecs.list_services().cluster("acme-shop-api-staging").send().await.unwrap();
    arns.extend(services.service_arns().iter().cloned());
    for arn in &arns {
        ecs.untag_resource()
            .resource_arn(arn)
            .set_tag_keys(Some(keys.map(str::to_owned).to_vec()))
            .send()
            .await
            .unwrap();
    }
    let elb = aws_sdk_elasticloadbalancingv2::Client::new(&account.config);
    let balancers = elb.describe_load_balancers().send().await.unwrap();
    let groups = elb.describe_target_groups().send().await.unwrap();
    let mut elb_arns: Vec<String> =
        balancers.load_balancers().iter().filter_map(|live| live.load_balancer_arn().map(str::to_owned)).collect();
    elb_arns.extend(groups.target_groups().iter().filter_map(|live| live.target_group_arn().map(str::to_owned)));
    let remove =
        elb.remove_tags().set_resource_arns(Some(elb_arns)).set_tag_keys(Some(keys.map(str::to_owned).to_vec()));
    remove.send().await.unwrap();

    let adopted = on_branch(&account, "deploy", "staging", &[]).await.expect_code(0).json();
    let actions: BTreeSet<&str> =
        adopted["actions"].as_array().unwrap().iter().map(|action| action["action"].as_str().unwrap()).collect();
    assert!(actions.iter().all(|action| action.starts_with("tag_")), "only tags: {}", adopted["actions"]);
    assert!(!actions.is_empty());
    let again = on_branch(&account, "deploy", "staging", &[]).await.expect_code(0).json();
    assert_eq!(writes(&again), 0, "{}", again["aws_calls"]);
}

/// The ECR repositories of the account.
async fn ecr_repositories(account: &TestAccount) -> BTreeSet<String> {
    let ecr = aws_sdk_ecr::Client::new(&account.config);
    let described = ecr.describe_repositories().send().await.unwrap();
    described.repositories().iter().filter_map(|repository| repository.repository_name().map(str::to_owned)).collect()
}

/// Two apps of one repository (`REPO_SUB_FOLDER` in the field; `MAESTRO_APP` names them) on one
/// branch: without the app they shared the cluster, services, ECR repository and image tag.
#[tokio::test(flavor = "multi_thread")]
#[ignore = "needs the AWS emulator: bash scripts/test.sh"]
async fn two_apps_of_one_repository_share_nothing() {
    let account = TestAccount::new("two_apps_of_one_repository_share_nothing").await;
    let api = ("MAESTRO_APP", "api");
    let web = ("MAESTRO_APP", "web");
    deploys_and_redeploys(&account, "staging", &[api]).await;
    deploys_and_redeploys(&account, "staging", &[web]).await;
    let again = on_branch(&account, "deploy", "staging", &[api]).await.expect_code(0).json();
    assert_eq!(writes(&again), 0, "{}", again["aws_calls"]);

    let (balancers, groups) = load_balancing_names(&account).await;
    let expected = BTreeSet::from(["acme-shop-api-api-staging".to_owned(), "acme-shop-api-web-staging".to_owned()]);
    assert_eq!((&balancers, &groups), (&expected, &expected));
    let repositories = ecr_repositories(&account).await;
    assert!(expected.is_subset(&repositories), "{repositories:?}");
    let api_services = crate::support::active_services(&account, "acme-shop-api-api-staging").await;
    let web_services = crate::support::active_services(&account, "acme-shop-api-web-staging").await;
    assert!(api_services.contains("acme-shop-api-api-staging-worker"), "{api_services:?}");
    assert!(web_services.contains("acme-shop-api-web-staging-worker"), "{web_services:?}");
    assert!(api_services.is_disjoint(&web_services));

    // Pruning the api app's worker leaves the web app's services alone.
    let pruned = with_flags(&account, &["deploy", "--prune"], "staging", &[api, WITHOUT_WORKER]).await;
    let report = pruned.expect_code(0).json();
    let deleted = deleted_services(&report);
    assert_eq!(deleted, ["acme-shop-api-api-staging-worker"], "{}", report["actions"]);
    assert_eq!(crate::support::active_services(&account, "acme-shop-api-web-staging").await, web_services);
    let again = on_branch(&account, "deploy", "staging", &[web]).await.expect_code(0).json();
    assert_eq!(writes(&again), 0, "the api app's prune touched the web app: {}", again["actions"]);
}
