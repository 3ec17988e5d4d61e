//! What a service attaches to, as ECS checks it on CreateService and UpdateService: target groups
//! and Service Connect (tests/support/strict/ecs_attachments.py).

use aws_sdk_ecs::types::LoadBalancer;
use aws_sdk_elasticloadbalancingv2::types::{Action, ActionTypeEnum, ProtocolEnum, TargetTypeEnum};

use super::world::{World, refusal};

#[tokio::test(flavor = "multi_thread")]
#[ignore = "needs the AWS emulator: bash scripts/test.sh"]
async fn a_target_group_without_a_load_balancer_cannot_be_attached() {
    let world = World::new("strict_a_target_group_without_a_load_balancer").await;
    let definition = world.definition("web", true).await;
    let elb = aws_sdk_elasticloadbalancingv2::Client::new(&world.account.config);
    let group = elb
        .create_target_group()
        .name("web")
        .protocol(ProtocolEnum::Http)
        .port(8080)
        .vpc_id(&world.network.vpc_id)
        .target_type(TargetTypeEnum::Ip)
        .send()
        .await
        .unwrap();
    let group_arn = group.target_groups()[0].target_group_arn().unwrap().to_owned();
    let attachment =
        LoadBalancer::builder().target_group_arn(&group_arn).container_name("app").container_port(8080).build();
    let (code, message) = refusal(world.service("web", &definition).load_balancers(attachment.clone()).send().await);
    assert_eq!(code, "InvalidParameterException");
    assert!(message.contains("does not have an associated load balancer"), "{message}");

    let balancer =
        elb.create_load_balancer().name("web").set_subnets(Some(world.network.subnets.clone())).send().await.unwrap();
    let forward = Action::builder().r#type(ActionTypeEnum::Forward).target_group_arn(&group_arn).build();
    let balancer_arn = balancer.load_balancers()[0].load_balancer_arn().unwrap();
    elb.create_listener()
        .load_balancer_arn(balancer_arn)
        .protocol(ProtocolEnum::Http)
        .port(80)
        .default_actions(forward)
        .send()
        .await
        .unwrap();
    let wrong_port =
        LoadBalancer::builder().target_group_arn(&group_arn).container_name("app").container_port(9090).build();
    let (code, _) = refusal(world.service("web", &definition).load_balancers(wrong_port).send().await);
    assert_eq!(code, "InvalidParameterException");
    world.service("web", &definition).load_balancers(attachment).send().await.unwrap();
}

#[tokio::test(flavor = "multi_thread")]
#[ignore = "needs the AWS emulator: bash scripts/test.sh"]
async fn an_attached_target_group_exists_and_has_the_ip_target_type_in_awsvpc() {
    let world = World::new("strict_an_attached_target_group_exists_and_is_of_type_ip").await;
    let definition = world.definition("web", true).await;
    let attach = |arn: &str| LoadBalancer::builder().target_group_arn(arn).container_name("app").container_port(8080);
    let unknown =
        format!("arn:aws:elasticloadbalancing:us-east-1:{}:targetgroup/none/0123456789abcdef", world.account.id);
    let (code, message) =
        refusal(world.service("web", &definition).load_balancers(attach(&unknown).build()).send().await);
    assert_eq!(code, "InvalidParameterException");
    assert!(message.contains("target groups not found"), "{message}");

    // An instance target group, forwarded to by a listener: attached, but not for awsvpc tasks.
    let elb = aws_sdk_elasticloadbalancingv2::Client::new(&world.account.config);
    let group = elb
        .create_target_group()
        .name("instances")
        .protocol(ProtocolEnum::Http)
        .port(8080)
        .vpc_id(&world.network.vpc_id)
        .target_type(TargetTypeEnum::Instance)
        .send()
        .await
        .unwrap();
    let group_arn = group.target_groups()[0].target_group_arn().unwrap().to_owned();
    let balancer =
        elb.create_load_balancer().name("web").set_subnets(Some(world.network.subnets.clone())).send().await.unwrap();
    let forward = Action::builder().r#type(ActionTypeEnum::Forward).target_group_arn(&group_arn).build();
    let listener = elb.create_listener().load_balancer_arn(balancer.load_balancers()[0].load_balancer_arn().unwrap());
    listener.protocol(ProtocolEnum::Http).port(80).default_actions(forward).send().await.unwrap();
    let (code, message) =
        refusal(world.service("web", &definition).load_balancers(attach(&group_arn).build()).send().await);
    assert_eq!(code, "InvalidParameterException");
    assert!(message.contains("has target type instance, which is incompatible with the awsvpc"), "{message}");
}

#[tokio::test(flavor = "multi_thread")]
#[ignore = "needs the AWS emulator: bash scripts/test.sh"]
async fn a_service_connect_discovery_name_has_at_most_64_characters_and_its_port_is_named() {
    let world = World::new("strict_a_service_connect_discovery_name_has_at_most_64").await;
    let definition = world.definition("connect", true).await;
    let (code, message) = refusal(
        world
            .service("connect", &definition)
            .service_connect_configuration(World::connect("http", &"a".repeat(65)))
            .send()
            .await,
    );
    assert_eq!(code, "InvalidParameterException");
    assert!(message.contains("discoveryName"), "{message}");
    let unnamed =
        world.service("connect", &definition).service_connect_configuration(World::connect("grpc", "connect"));
    let (code, message) = refusal(unnamed.send().await);
    assert_eq!(code, "InvalidParameterException");
    assert!(message.contains("portName 'grpc' does not match"), "{message}");
    world
        .service("connect", &definition)
        .service_connect_configuration(World::connect("http", &"a".repeat(64)))
        .send()
        .await
        .unwrap();
}
