//! The awsvpc network of a service, as ECS checks it on CreateService and UpdateService
//! (tests/support/strict/ecs_network.py; RunTask's is in `ecs_tasks.rs`).

use maestro_test_support::{EmulatorCall, xml_values};

use super::world::{CLUSTER, World, refusal};

#[tokio::test(flavor = "multi_thread")]
#[ignore = "needs the AWS emulator: bash scripts/test.sh"]
async fn awsvpc_needs_known_subnets_and_security_groups() {
    let world = World::new("strict_awsvpc_needs_known_subnets_and_security_groups").await;
    let definition = world.definition("net", true).await;
    let group = world.network.security_group.clone();
    let cases = [
        (world.vpc_of(vec![], vec![group.clone()]), "subnets can not be empty."),
        (world.vpc_of(vec!["subnet-0000dead".into()], vec![group.clone()]), "subnet-0000dead"),
        (world.vpc_of(world.network.subnets.clone(), vec!["sg-0000dead".into()]), "sg-0000dead"),
    ];
    for (network, expected) in cases {
        let (code, message) = refusal(world.service("net", &definition).network_configuration(network).send().await);
        assert_eq!(code, "InvalidParameterException");
        assert!(message.contains(expected), "{message}");
    }
    let no_network = world.ecs.create_service().cluster(CLUSTER).service_name("net").task_definition(&definition);
    let (code, _) = refusal(no_network.send().await);
    assert_eq!(code, "InvalidParameterException");
    world.service("net", &definition).send().await.unwrap();
    let update = world
        .ecs
        .update_service()
        .cluster(CLUSTER)
        .service("net")
        .network_configuration(world.vpc_of(vec![], vec![group]));
    assert_eq!(refusal(update.send().await).0, "InvalidParameterException");
}

#[tokio::test(flavor = "multi_thread")]
#[ignore = "needs the AWS emulator: bash scripts/test.sh"]
async fn awsvpc_takes_at_most_16_subnets_and_5_security_groups_all_in_one_vpc() {
    let world = World::new("strict_awsvpc_takes_16_subnets_and_5_groups_in_one_vpc").await;
    let definition = world.definition("net", true).await;
    let (subnets, group) = (world.network.subnets.clone(), world.network.security_group.clone());
    // The limits are checked before the ids are looked up, so made-up ids show them.
    let seventeen = (0..17).map(|n| format!("subnet-{n:017x}")).collect();
    let six = (0..6).map(|n| format!("sg-{n:017x}")).collect();
    let ec2 = |query: String| EmulatorCall::query(&world.account.id, "ec2", format!("{query}&Version=2016-11-15"));
    let vpc = ec2("Action=CreateVpc&CidrBlock=10.9.0.0%2F16".into()).send().await;
    let vpc = xml_values(&vpc, "vpcId").first().cloned().expect("a VPC id");
    let other =
        ec2(format!("Action=CreateSecurityGroup&GroupName=other&GroupDescription=other&VpcId={vpc}")).send().await;
    let other = xml_values(&other, "groupId").first().cloned().expect("a security group id");
    let cases = [
        (world.vpc_of(seventeen, vec![group.clone()]), "subnets can have at most 16 items."),
        (world.vpc_of(subnets.clone(), six), "securityGroups can have at most 5 items."),
        (world.vpc_of(subnets.clone(), vec![group.clone(), other]), "must all be from the same VPC."),
    ];
    for (network, expected) in cases {
        let (code, message) = refusal(world.service("net", &definition).network_configuration(network).send().await);
        assert_eq!(code, "InvalidParameterException");
        assert!(message.contains(expected), "{message}");
    }
    world.service("net", &definition).network_configuration(world.vpc_of(subnets, vec![group])).send().await.unwrap();
}
