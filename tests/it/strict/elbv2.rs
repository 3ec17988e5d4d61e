//! Elastic Load Balancing v2: names, networks, rule priorities and paginated reads
//! (tests/support/strict/elbv2.py).

use aws_sdk_elasticloadbalancingv2::Client;
use aws_sdk_elasticloadbalancingv2::types::{
    Action, ActionTypeEnum, FixedResponseActionConfig, HostHeaderConditionConfig, ProtocolEnum, RuleCondition,
    TargetTypeEnum,
};

use super::world::{World, refusal};

struct Elb {
    world: World,
    elb: Client,
}

impl Elb {
    async fn new(test: &str) -> Elb {
        let world = World::new(test).await;
        let elb = Client::new(&world.account.config);
        Elb { world, elb }
    }

    async fn balancer(&self, name: &str) -> Result<String, (String, String)> {
        let created = self
            .elb
            .create_load_balancer()
            .name(name)
            .set_subnets(Some(self.world.network.subnets.clone()))
            .send()
            .await;
        match created {
            Ok(output) => Ok(output.load_balancers()[0].load_balancer_arn().unwrap().to_owned()),
            Err(error) => Err(refusal::<(), _>(Err(error))),
        }
    }

    async fn group(&self, name: &str) -> String {
        let request = self
            .elb
            .create_target_group()
            .name(name)
            .protocol(ProtocolEnum::Http)
            .port(8080)
            .target_type(TargetTypeEnum::Ip);
        let created = request.vpc_id(&self.world.network.vpc_id).send().await.unwrap();
        created.target_groups()[0].target_group_arn().unwrap().to_owned()
    }

    async fn listener(&self, balancer: &str, port: i32) -> String {
        let fixed = FixedResponseActionConfig::builder().status_code("404").build();
        let action = Action::builder().r#type(ActionTypeEnum::FixedResponse).fixed_response_config(fixed).build();
        let created = self
            .elb
            .create_listener()
            .load_balancer_arn(balancer)
            .protocol(ProtocolEnum::Http)
            .port(port)
            .default_actions(action)
            .send()
            .await
            .unwrap();
        created.listeners()[0].listener_arn().unwrap().to_owned()
    }

    fn rule(
        &self,
        listener: &str,
        priority: i32,
        host: &str,
        group: &str,
    ) -> aws_sdk_elasticloadbalancingv2::operation::create_rule::builders::CreateRuleFluentBuilder {
        let condition = RuleCondition::builder()
            .field("host-header")
            .host_header_config(HostHeaderConditionConfig::builder().values(host).build())
            .build();
        let forward = Action::builder().r#type(ActionTypeEnum::Forward).target_group_arn(group).build();
        self.elb.create_rule().listener_arn(listener).priority(priority).conditions(condition).actions(forward)
    }
}

#[tokio::test(flavor = "multi_thread")]
#[ignore = "needs the AWS emulator: bash scripts/test.sh"]
async fn load_balancer_and_target_group_names_have_at_most_32_characters() {
    let elb = Elb::new("strict_load_balancer_and_target_group_names_have_at_most_32").await;
    let refused = ["a".repeat(33), "under_score".into(), "-leading".into(), "trailing-".into(), "internal-app".into()];
    for name in refused {
        assert_eq!(elb.balancer(&name).await.unwrap_err().0, "ValidationError", "{name}");
    }
    elb.balancer(&"a".repeat(32)).await.unwrap();
    let request = elb
        .elb
        .create_target_group()
        .name("b".repeat(33))
        .protocol(ProtocolEnum::Http)
        .port(80)
        .target_type(TargetTypeEnum::Ip);
    assert_eq!(refusal(request.vpc_id(&elb.world.network.vpc_id).send().await).0, "ValidationError");
    elb.group(&"b".repeat(32)).await;
}

#[tokio::test(flavor = "multi_thread")]
#[ignore = "needs the AWS emulator: bash scripts/test.sh"]
async fn a_target_group_needs_a_vpc_and_a_load_balancer_two_zones_and_known_security_groups() {
    let elb = Elb::new("strict_a_target_group_needs_a_vpc_and_two_zones").await;
    let request = elb
        .elb
        .create_target_group()
        .name("novpc")
        .protocol(ProtocolEnum::Http)
        .port(80)
        .target_type(TargetTypeEnum::Ip);
    let (code, message) = refusal(request.clone().send().await);
    assert_eq!(code, "ValidationError");
    assert!(message.contains("VPC"), "{message}");
    let (code, message) = refusal(request.vpc_id("vpc-0000dead").send().await);
    assert_eq!(code, "ValidationError");
    assert!(message.contains("'vpc-0000dead' is not found"), "{message}");
    let one_zone = elb.elb.create_load_balancer().name("onezone").subnets(&elb.world.network.subnets[0]);
    let (code, message) = refusal(one_zone.clone().send().await);
    assert_eq!(code, "ValidationError");
    assert!(message.contains("two different Availability Zones"), "{message}");
    let unknown_subnet = one_zone.subnets("subnet-0000dead");
    assert_eq!(refusal(unknown_subnet.send().await).0, "SubnetNotFound");
    let subnets = Some(elb.world.network.subnets.clone());
    let unknown_group =
        elb.elb.create_load_balancer().name("nogroup").set_subnets(subnets).security_groups("sg-0000dead");
    assert_eq!(refusal(unknown_group.send().await).0, "InvalidSecurityGroup");

    // The same rules when an existing load balancer changes its subnets or security groups.
    let balancer = elb.balancer("changes").await.unwrap();
    let set_subnets = elb.elb.set_subnets().load_balancer_arn(&balancer).subnets(&elb.world.network.subnets[0]);
    let (code, message) = refusal(set_subnets.send().await);
    assert_eq!(code, "ValidationError");
    assert!(message.contains("two different Availability Zones"), "{message}");
    let set_groups = elb.elb.set_security_groups().load_balancer_arn(&balancer).security_groups("sg-0000dead");
    assert_eq!(refusal(set_groups.send().await).0, "InvalidSecurityGroup");
}

#[tokio::test(flavor = "multi_thread")]
#[ignore = "needs the AWS emulator: bash scripts/test.sh"]
async fn a_taken_rule_priority_is_refused_and_rules_come_in_pages() {
    let elb = Elb::new("strict_a_taken_rule_priority_is_refused").await;
    let balancer = elb.balancer("shared").await.unwrap();
    let listener = elb.listener(&balancer, 443).await;
    let group = elb.group("apps").await;
    for (priority, host) in [(1, "a.example.com"), (2, "b.example.com"), (3, "c.example.com")] {
        elb.rule(&listener, priority, host, &group).send().await.unwrap();
    }
    let (code, _) = refusal(elb.rule(&listener, 2, "d.example.com", &group).send().await);
    assert_eq!(code, "PriorityInUse");
    assert_eq!(refusal(elb.rule(&listener, 50_001, "d.example.com", &group).send().await).0, "ValidationError");

    // Three rules and the default: one call shows two of them, and NextMarker leads to the rest.
    let first = elb.elb.describe_rules().listener_arn(&listener).page_size(400).send().await.unwrap();
    assert_eq!(first.rules().len(), 2);
    let mut rules = first.rules().len();
    let mut marker = first.next_marker().map(str::to_owned);
    while let Some(next) = marker {
        let page = elb.elb.describe_rules().listener_arn(&listener).marker(next).send().await.unwrap();
        rules += page.rules().len();
        marker = page.next_marker().map(str::to_owned);
    }
    assert_eq!(rules, 4);
}

#[tokio::test(flavor = "multi_thread")]
#[ignore = "needs the AWS emulator: bash scripts/test.sh"]
async fn listeners_load_balancers_and_target_groups_come_in_pages() {
    let elb = Elb::new("strict_listeners_load_balancers_target_groups_in_pages").await;
    let balancer = elb.balancer("paged").await.unwrap();
    elb.balancer("paged-2").await.unwrap();
    elb.balancer("paged-3").await.unwrap();
    for port in [80, 443, 8080] {
        elb.listener(&balancer, port).await;
    }
    for name in ["g1", "g2", "g3"] {
        elb.group(name).await;
    }
    let listeners = elb.elb.describe_listeners().load_balancer_arn(&balancer).send().await.unwrap();
    assert_eq!((listeners.listeners().len(), listeners.next_marker().is_some()), (2, true));
    let mut pages = elb.elb.describe_listeners().load_balancer_arn(&balancer).into_paginator().send();
    let mut ports = Vec::new();
    while let Some(page) = pages.next().await {
        ports.extend(page.unwrap().listeners().iter().filter_map(|listener| listener.port()));
    }
    ports.sort_unstable();
    assert_eq!(ports, [80, 443, 8080]);
    let balancers = elb.elb.describe_load_balancers().send().await.unwrap();
    assert_eq!((balancers.load_balancers().len(), balancers.next_marker().is_some()), (2, true));
    let groups = elb.elb.describe_target_groups().send().await.unwrap();
    assert_eq!((groups.target_groups().len(), groups.next_marker().is_some()), (2, true));
    for size in [0, 401] {
        let (code, message) = refusal(elb.elb.describe_load_balancers().page_size(size).send().await);
        assert_eq!(code, "ValidationError", "PageSize {size}");
        assert!(message.contains("between 1 and 400"), "{message}");
    }
}

#[tokio::test(flavor = "multi_thread")]
#[ignore = "needs the AWS emulator: bash scripts/test.sh"]
async fn add_tags_refuses_a_repeated_key_and_more_than_20_resources() {
    use aws_sdk_elasticloadbalancingv2::types::Tag;
    let elb = Elb::new("strict_add_tags_refuses_a_repeated_key").await;
    let arn = elb.balancer("tagged").await.unwrap();
    let tag = |key: &str, value: &str| Tag::builder().key(key).value(value).build();
    let repeated = elb.elb.add_tags().resource_arns(&arn).tags(tag("team", "a")).tags(tag("team", "b"));
    assert_eq!(refusal(repeated.send().await).0, "DuplicateTagKeys");
    let many = elb.elb.add_tags().set_resource_arns(Some(vec![arn.clone(); 21])).tags(tag("team", "a"));
    assert_eq!(refusal(many.send().await).0, "ValidationError");
    elb.elb.add_tags().resource_arns(&arn).tags(tag("team", "a")).send().await.unwrap();
}

#[tokio::test(flavor = "multi_thread")]
#[ignore = "needs the AWS emulator: bash scripts/test.sh"]
async fn a_load_balancer_takes_100_rules_and_host_names_of_128_characters() {
    let elb = Elb::new("strict_a_load_balancer_takes_100_rules").await;
    let balancer = elb.balancer("busy").await.unwrap();
    // The limit counts the rules of every listener of the load balancer, default rules aside.
    let (http, https) = (elb.listener(&balancer, 80).await, elb.listener(&balancer, 8080).await);
    let group = elb.group("busy-apps").await;
    let long = format!("{}.example.com", "a".repeat(117));
    assert_eq!(refusal(elb.rule(&http, 1, &long, &group).send().await).0, "ValidationError");
    elb.rule(&http, 1, &format!("{}.example.com", "a".repeat(116)), &group).send().await.unwrap();
    for priority in 2..=100 {
        let listener = if priority % 2 == 0 { &http } else { &https };
        elb.rule(listener, priority, &format!("pr-{priority}.example.com"), &group).send().await.unwrap();
    }
    let (code, message) = refusal(elb.rule(&https, 101, "pr-101.example.com", &group).send().await);
    assert_eq!(code, "TooManyRules", "{message}");
}

#[tokio::test(flavor = "multi_thread")]
#[ignore = "needs the AWS emulator: bash scripts/test.sh"]
async fn a_fixed_response_has_a_2xx_4xx_or_5xx_status_a_known_type_and_a_short_body() {
    let elb = Elb::new("strict_a_fixed_response_is_bounded").await;
    let balancer = elb.balancer("fixed").await.unwrap();
    let answer = |status: &str, kind: &str, body: String| {
        let config = FixedResponseActionConfig::builder().status_code(status).content_type(kind).message_body(body);
        let action = Action::builder().r#type(ActionTypeEnum::FixedResponse).fixed_response_config(config.build());
        elb.elb
            .create_listener()
            .load_balancer_arn(&balancer)
            .protocol(ProtocolEnum::Http)
            .port(80)
            .default_actions(action.build())
    };
    for (status, kind, body) in [
        ("302", "text/plain", "moved".to_owned()),
        ("404", "text/markdown", "no".to_owned()),
        ("404", "text/plain", "x".repeat(1025)),
    ] {
        let (code, message) = refusal(answer(status, kind, body).send().await);
        assert_eq!(code, "ValidationError", "{status} {kind}: {message}");
    }
    answer("404", "text/plain", "x".repeat(1024)).send().await.unwrap();
}

#[tokio::test(flavor = "multi_thread")]
#[ignore = "needs the AWS emulator: bash scripts/test.sh"]
async fn a_forward_takes_five_weighted_target_groups_of_one_load_balancer_and_a_port_once() {
    use aws_sdk_elasticloadbalancingv2::types::{ForwardActionConfig, TargetGroupTuple};
    let elb = Elb::new("strict_a_forward_takes_five_weighted_target_groups").await;
    let balancer = elb.balancer("weighted").await.unwrap();
    let listener = elb.listener(&balancer, 80).await;
    let mut groups = Vec::new();
    for name in ["w1", "w2", "w3", "w4", "w5", "w6"] {
        groups.push(elb.group(name).await);
    }
    let forward = |pairs: &[(&String, i32)]| {
        let mut config = ForwardActionConfig::builder();
        for (arn, weight) in pairs {
            config = config.target_groups(TargetGroupTuple::builder().target_group_arn(*arn).weight(*weight).build());
        }
        Action::builder().r#type(ActionTypeEnum::Forward).forward_config(config.build()).build()
    };
    let rule = |priority: i32, action: Action| {
        let condition = RuleCondition::builder()
            .field("path-pattern")
            .path_pattern_config(
                aws_sdk_elasticloadbalancingv2::types::PathPatternConditionConfig::builder().values("/*").build(),
            )
            .build();
        elb.elb.create_rule().listener_arn(&listener).priority(priority).conditions(condition).actions(action)
    };
    let six: Vec<(&String, i32)> = groups.iter().map(|arn| (arn, 1)).collect();
    assert_eq!(refusal(rule(1, forward(&six)).send().await).0, "ValidationError");
    for weight in [-1, 1000] {
        let (code, message) = refusal(rule(1, forward(&[(&groups[0], 100), (&groups[1], weight)])).send().await);
        assert_eq!(code, "ValidationError", "weight {weight}: {message}");
    }
    let created = rule(1, forward(&[(&groups[0], 100), (&groups[1], 0)])).send().await.unwrap();
    let rule_arn = created.rules()[0].rule_arn().unwrap().to_owned();
    rule(2, forward(&six[..5])).send().await.unwrap();
    // ModifyRule is held to the same bounds.
    let modify = elb.elb.modify_rule().rule_arn(&rule_arn).actions(forward(&[(&groups[0], 999), (&groups[1], 1000)]));
    assert_eq!(refusal(modify.send().await).0, "ValidationError");
    // Both TargetGroupArn and ForwardConfig: only the same single group.
    let mixed = Action::builder()
        .r#type(ActionTypeEnum::Forward)
        .target_group_arn(&groups[2])
        .forward_config(
            ForwardActionConfig::builder()
                .target_groups(TargetGroupTuple::builder().target_group_arn(&groups[3]).build())
                .build(),
        )
        .build();
    assert_eq!(refusal(rule(3, mixed).send().await).0, "ValidationError");

    // A target group another load balancer forwards to is refused to this one's listeners and rules.
    let other = elb.balancer("weighted-other").await.unwrap();
    let taken = Action::builder().r#type(ActionTypeEnum::Forward).target_group_arn(&groups[0]).build();
    let listener_elsewhere = elb
        .elb
        .create_listener()
        .load_balancer_arn(&other)
        .protocol(ProtocolEnum::Http)
        .port(80)
        .default_actions(taken);
    assert_eq!(refusal(listener_elsewhere.send().await).0, "TargetGroupAssociationLimit");
    let other_listener = elb.listener(&other, 80).await;
    let modify_listener =
        elb.elb.modify_listener().listener_arn(&other_listener).default_actions(forward(&[(&groups[1], 1)]));
    assert_eq!(refusal(modify_listener.send().await).0, "TargetGroupAssociationLimit");
    // A listener port is the load balancer's once (moto compared ports with ARNs).
    let again = elb
        .elb
        .create_listener()
        .load_balancer_arn(&balancer)
        .protocol(ProtocolEnum::Http)
        .port(80)
        .default_actions(Action::builder().r#type(ActionTypeEnum::Forward).target_group_arn(&groups[0]).build());
    assert_eq!(refusal(again.send().await).0, "DuplicateListener");
}
