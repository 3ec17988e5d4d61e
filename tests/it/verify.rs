//! `maestro verify` against the emulator: the network inputs judged with reads only, each problem
//! an input error (exit 2) naming the input and the resource.

use crate::support::{EXAMPLE_APP, EXAMPLE_ENV, EXAMPLE_REPOSITORY, EXAMPLE_TAG, Outcome, maestro, only_reads, run};
use maestro_test_support::{EmulatorCall, TestAccount, start_journal, xml_values};

/// `maestro verify` on the example app in `account`'s default network, with `extra` on top.
async fn verify(account: &TestAccount, output: &str, extra: &[(&str, &str)]) -> Outcome {
    maestro_on(account, "verify", output, extra).await
}

/// `subcommand` on the example app in `account`'s default network, with `extra` on top.
async fn maestro_on(account: &TestAccount, subcommand: &str, output: &str, extra: &[(&str, &str)]) -> Outcome {
    let mut command = maestro();
    command.args([subcommand, "--app", EXAMPLE_APP, "--env-file", EXAMPLE_ENV, "--output", output]);
    command.envs(account.deploy_env().await);
    command.envs(extra.iter().copied());
    run(&mut command)
}

async fn ec2(account: &TestAccount, query: &str) -> String {
    EmulatorCall::query(&account.id, "ec2", format!("Version=2016-11-15&{query}")).send().await
}

/// A subnet of a VPC other than the account's default one, in a zone of its own.
async fn subnet_of_another_vpc(account: &TestAccount) -> (String, String) {
    let vpc = ec2(account, "Action=CreateVpc&CidrBlock=10.9.0.0%2F16").await;
    let vpc_id = xml_values(&vpc, "vpcId").first().cloned().expect("a VPC id");
    let query = format!("Action=CreateSubnet&VpcId={vpc_id}&CidrBlock=10.9.1.0%2F24&AvailabilityZone=us-east-1c");
    let subnet = ec2(account, &query).await;
    (vpc_id, xml_values(&subnet, "subnetId").first().cloned().expect("a subnet id"))
}

#[tokio::test(flavor = "multi_thread")]
#[ignore = "needs the AWS emulator: bash scripts/test.sh"]
async fn a_network_that_exists_in_its_vpc_verifies() {
    let account = TestAccount::new("a_network_that_exists_in_its_vpc_verifies").await;
    // deploy_env skips the build: verify needs the image.
    account.seed_image(EXAMPLE_REPOSITORY, EXAMPLE_TAG).await;
    let network = account.network().await;
    start_journal(&account.id).await;
    let outcome = verify(&account, "json", &[]).await;
    outcome.expect_code(0);
    let report = outcome.json();
    assert_eq!(report["vpc_id"], network.vpc_id.as_str());
    for subnet in &network.subnets {
        assert_eq!(report["network"]["subnets"][subnet]["vpc_id"], network.vpc_id.as_str(), "{report}");
    }
    assert_eq!(report["network"]["security_groups"][&network.security_group], network.vpc_id.as_str());
    assert!(report["not_checked"].as_array().is_some_and(|left| !left.is_empty()), "{report}");
    only_reads(&account).await;
}

#[tokio::test(flavor = "multi_thread")]
#[ignore = "needs the AWS emulator: bash scripts/test.sh"]
async fn a_missing_subnet_and_one_of_another_vpc_stop_verify_naming_their_inputs() {
    let account = TestAccount::new("a_missing_subnet_and_one_of_another_vpc_stop_verify_naming_their_inputs").await;
    let network = account.network().await;
    let (other_vpc, foreign) = subnet_of_another_vpc(&account).await;
    let services = format!("{},subnet-0123456789abcdef0", network.subnets[0]);
    let balancer = format!("{},{foreign}", network.subnets[0]);
    start_journal(&account.id).await;
    let outcome =
        verify(&account, "human", &[("ECS_SERVICE_SUBNETS", services.as_str()), ("ALB_SUBNETS", balancer.as_str())])
            .await;
    outcome.expect_code(2).expect_stderr(&[
        "ECS_SERVICE_SUBNETS".to_owned(),
        "subnet subnet-0123456789abcdef0 does not exist in this account and region".to_owned(),
        "ALB_SUBNETS".to_owned(),
        format!("subnet {foreign} is in {other_vpc}, not in WORKLOAD_VPC_ID {}", network.vpc_id),
        "hint: ".to_owned(),
    ]);
    only_reads(&account).await;
}

#[tokio::test(flavor = "multi_thread")]
#[ignore = "needs the AWS emulator: bash scripts/test.sh"]
async fn deploy_and_plan_verify_first_and_a_missing_security_group_stops_them_before_any_write() {
    let account =
        TestAccount::new("deploy_and_plan_verify_first_and_a_missing_security_group_stops_them_before_any_write").await;
    account.seed_image(EXAMPLE_REPOSITORY, EXAMPLE_TAG).await;
    start_journal(&account.id).await;
    let missing = [("ECS_SERVICE_SECURITY_GROUPS", "sg-0123456789abcdef0")];
    for subcommand in ["deploy", "plan"] {
        let outcome = maestro_on(&account, subcommand, "human", &missing).await;
        outcome.expect_code(2).expect_stderr(&[
            "ECS_SERVICE_SECURITY_GROUPS: security group sg-0123456789abcdef0 does not exist",
            "hint: ",
        ]);
    }
    // Not even the deploy lease (SSM PutParameter) was taken.
    only_reads(&account).await;
}
