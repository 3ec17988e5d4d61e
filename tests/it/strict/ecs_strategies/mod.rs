//! ECS deployment strategies (BLUE_GREEN, LINEAR, CANARY), lifecycle hooks, early success criteria
//! and ContinueServiceDeployment (tests/support/strict/ecs_strategies.py for the rules,
//! tests/support/service_deployments.py for the behaviour): each rule tried with the SDK and
//! refused with AWS's code beside the accepted call; a shifting deployment walks its lifecycle
//! stages, moves the production listener rule's weights, pauses at a PAUSE hook and rolls back.

use aws_sdk_ecs::types::{
    AdvancedConfiguration, CanaryConfiguration, DeploymentConfiguration, DeploymentEarlySuccessCriteria,
    DeploymentLifecycleHook, DeploymentLifecycleHookAction, DeploymentLifecycleHookStage,
    DeploymentLifecycleHookStatus, DeploymentLifecycleHookTargetType, DeploymentLifecycleHookTimeoutConfiguration,
    DeploymentStrategy, LinearConfiguration, LoadBalancer, ServiceDeployment, ServiceDeploymentLifecycleStage,
    ServiceDeploymentStatus, ServiceRevisionCleanup,
};
use aws_sdk_elasticloadbalancingv2::types::{Action, ActionTypeEnum, ProtocolEnum, RuleCondition, TargetTypeEnum};
use maestro_test_support::{plan_rollout, service_deployment_trace};

use super::world::{CLUSTER, World, refusal};

/// A load balancer with a production listener rule forwarding to `primary`, and an `alternate`
/// target group beside it, as a blue/green service needs them.
struct Traffic {
    elb: aws_sdk_elasticloadbalancingv2::Client,
    primary: String,
    alternate: String,
    rule: String,
}

impl Traffic {
    async fn new(world: &World, name: &str) -> Traffic {
        let elb = aws_sdk_elasticloadbalancingv2::Client::new(&world.account.config);
        let mut groups = Vec::new();
        for color in ["blue", "green"] {
            let group = elb
                .create_target_group()
                .name(format!("{name}-{color}"))
                .protocol(ProtocolEnum::Http)
                .port(8080)
                .vpc_id(&world.network.vpc_id)
                .target_type(TargetTypeEnum::Ip)
                .send()
                .await
                .unwrap();
            groups.push(group.target_groups()[0].target_group_arn().unwrap().to_owned());
        }
        let balancer = elb
            .create_load_balancer()
            .name(name)
            .set_subnets(Some(world.network.subnets.clone()))
            .send()
            .await
            .unwrap();
        let balancer_arn = balancer.load_balancers()[0].load_balancer_arn().unwrap();
        let not_found = Action::builder()
            .r#type(ActionTypeEnum::FixedResponse)
            .fixed_response_config(
                aws_sdk_elasticloadbalancingv2::types::FixedResponseActionConfig::builder().status_code("404").build(),
            )
            .build();
        let listener = elb
            .create_listener()
            .load_balancer_arn(balancer_arn)
            .protocol(ProtocolEnum::Http)
            .port(80)
            .default_actions(not_found)
            .send()
            .await
            .unwrap();
        let listener_arn = listener.listeners()[0].listener_arn().unwrap();
        let forward = Action::builder().r#type(ActionTypeEnum::Forward).target_group_arn(&groups[0]).build();
        let everything = RuleCondition::builder().field("path-pattern").values("/*").build();
        let rule = elb
            .create_rule()
            .listener_arn(listener_arn)
            .priority(1)
            .conditions(everything)
            .actions(forward)
            .send()
            .await
            .unwrap();
        let rule = rule.rules()[0].rule_arn().unwrap().to_owned();
        Traffic { elb, primary: groups[0].clone(), alternate: groups[1].clone(), rule }
    }

    /// The service's load balancer, with `advanced` (the whole advanced configuration when `None`).
    fn attachment(&self, world: &World, advanced: Option<AdvancedConfiguration>) -> LoadBalancer {
        let advanced = advanced.unwrap_or_else(|| {
            AdvancedConfiguration::builder()
                .alternate_target_group_arn(&self.alternate)
                .production_listener_rule(&self.rule)
                .role_arn(world.role("ecs-elb"))
                .build()
        });
        LoadBalancer::builder()
            .target_group_arn(&self.primary)
            .container_name("app")
            .container_port(8080)
            .advanced_configuration(advanced)
            .build()
    }

    /// The production rule's [primary, alternate] forward weights, as ELB describes them.
    async fn weights(&self) -> [i32; 2] {
        let rules = self.elb.describe_rules().rule_arns(&self.rule).send().await.unwrap();
        let forward = rules.rules()[0].actions()[0].forward_config().expect("a weighted forward");
        let weight = |arn: &str| {
            forward.target_groups().iter().find(|g| g.target_group_arn() == Some(arn)).and_then(|g| g.weight())
        };
        [weight(&self.primary).unwrap(), weight(&self.alternate).unwrap()]
    }
}

fn canary(percent: f64, bake: i32) -> DeploymentConfiguration {
    let canary = CanaryConfiguration::builder().canary_percent(percent).canary_bake_time_in_minutes(bake).build();
    DeploymentConfiguration::builder()
        .strategy(DeploymentStrategy::Canary)
        .canary_configuration(canary)
        .bake_time_in_minutes(0)
        .build()
}

fn blue_green(hooks: Vec<DeploymentLifecycleHook>) -> DeploymentConfiguration {
    DeploymentConfiguration::builder()
        .strategy(DeploymentStrategy::BlueGreen)
        .bake_time_in_minutes(0)
        .set_lifecycle_hooks(Some(hooks))
        .build()
}

fn pause_at(stage: DeploymentLifecycleHookStage) -> DeploymentLifecycleHook {
    DeploymentLifecycleHook::builder()
        .target_type(DeploymentLifecycleHookTargetType::Pause)
        .lifecycle_stages(stage)
        .build()
}

fn lambda(world: &World) -> String {
    format!("arn:aws:lambda:us-east-1:{}:function:check", world.account.id)
}

fn early(healthy: Option<i32>, cleanup: Option<ServiceRevisionCleanup>) -> DeploymentEarlySuccessCriteria {
    DeploymentEarlySuccessCriteria::builder()
        .enable(true)
        .set_healthy_percent(healthy)
        .set_source_service_revision_cleanup(cleanup)
        .build()
}

#[tokio::test(flavor = "multi_thread")]
#[ignore = "needs the AWS emulator: bash scripts/test.sh"]
async fn a_shifting_strategy_needs_the_advanced_configuration_of_its_load_balancer() {
    // AdvancedConfiguration: "Specify the alternate target group, listener rules, and IAM role
    // required for traffic shifting during blue/green deployments."
    let world = World::new("strict_a_shifting_strategy_needs_the_advanced_configuration").await;
    let definition = world.definition("bg-attach", true).await;
    let traffic = Traffic::new(&world, "bg-attach").await;
    let plain = LoadBalancer::builder().target_group_arn(&traffic.primary).container_name("app").container_port(8080);
    let no_role = AdvancedConfiguration::builder()
        .alternate_target_group_arn(&traffic.alternate)
        .production_listener_rule(&traffic.rule)
        .build();
    let unknown_group = AdvancedConfiguration::builder()
        .alternate_target_group_arn(format!("{}-gone", traffic.alternate))
        .production_listener_rule(&traffic.rule)
        .role_arn(world.role("ecs-elb"))
        .build();
    let unknown_rule = AdvancedConfiguration::builder()
        .alternate_target_group_arn(&traffic.alternate)
        .production_listener_rule(format!("{}-gone", traffic.rule))
        .role_arn(world.role("ecs-elb"))
        .build();
    for (what, attachment) in [
        ("no advanced configuration", plain.clone().build()),
        ("no roleArn", traffic.attachment(&world, Some(no_role))),
        ("an unknown alternate target group", traffic.attachment(&world, Some(unknown_group))),
        ("an unknown production listener rule", traffic.attachment(&world, Some(unknown_rule))),
    ] {
        let create = world
            .service("bg-attach", &definition)
            .load_balancers(attachment)
            .deployment_configuration(canary(10.0, 1));
        let (code, _) = refusal(create.send().await);
        assert_eq!(code, "InvalidParameterException", "{what}");
    }
    // ROLLING needs none of it.
    let rolling = world.service("bg-attach-rolling", &definition).load_balancers(plain.build());
    rolling.send().await.unwrap();
    let full = traffic.attachment(&world, None);
    world
        .service("bg-attach", &definition)
        .load_balancers(full)
        .deployment_configuration(canary(10.0, 1))
        .send()
        .await
        .unwrap();
    // UpdateService checks the strategy against the service's own load balancers.
    let update = world.ecs.update_service().cluster(CLUSTER).service("bg-attach-rolling");
    let (code, _) = refusal(update.deployment_configuration(canary(10.0, 1)).send().await);
    assert_eq!(code, "InvalidParameterException", "the rolling service's load balancer has no advanced configuration");
}

#[tokio::test(flavor = "multi_thread")]
#[ignore = "needs the AWS emulator: bash scripts/test.sh"]
async fn canary_and_linear_settings_match_their_strategy_and_stay_in_range() {
    // CanaryConfiguration.canaryPercent: "multiples of 0.1 from 0.1 to 100.0"; LinearConfiguration
    // .stepPercent: "multiples of 0.1 from 3.0 to 100.0"; both bakes "0 to 1440 minutes";
    // linearConfiguration "Only valid when the deployment strategy is LINEAR" (canary: CANARY);
    // bakeTimeInMinutes: "You must provide this parameter when you use the BLUE_GREEN deployment strategy."
    let world = World::new("strict_canary_and_linear_settings_match_their_strategy").await;
    let definition = world.definition("strategy-range", true).await;
    let linear = |percent: f64, bake: i32| {
        let linear = LinearConfiguration::builder().step_percent(percent).step_bake_time_in_minutes(bake).build();
        DeploymentConfiguration::builder().strategy(DeploymentStrategy::Linear).linear_configuration(linear).build()
    };
    let linear_on_canary = DeploymentConfiguration::builder()
        .strategy(DeploymentStrategy::Canary)
        .linear_configuration(LinearConfiguration::builder().step_percent(10.0).build())
        .build();
    let blue_green_without_bake = DeploymentConfiguration::builder().strategy(DeploymentStrategy::BlueGreen).build();
    let unknown = DeploymentConfiguration::builder().strategy(DeploymentStrategy::from("RAINBOW")).build();
    for (what, config) in [
        ("canaryPercent 0.05", canary(0.05, 1)),
        ("canaryPercent 100.5", canary(100.5, 1)),
        ("canaryPercent 5.55", canary(5.55, 1)),
        ("canaryBakeTimeInMinutes 1441", canary(5.0, 1441)),
        ("stepPercent 2.9", linear(2.9, 1)),
        ("stepBakeTimeInMinutes -1", linear(10.0, -1)),
        ("linearConfiguration with CANARY", linear_on_canary),
        ("BLUE_GREEN without bakeTimeInMinutes", blue_green_without_bake),
        ("an unknown strategy", unknown),
    ] {
        let (code, _) =
            refusal(world.service("strategy-range", &definition).deployment_configuration(config).send().await);
        assert_eq!(code, "InvalidParameterException", "{what}");
    }
    let created = world.service("strategy-range", &definition).deployment_configuration(canary(0.1, 1440)).send().await;
    let config = created.unwrap().service().unwrap().deployment_configuration().unwrap().clone();
    assert_eq!(config.strategy(), Some(&DeploymentStrategy::Canary), "kept and returned");
    assert_eq!(config.canary_configuration().unwrap().canary_percent(), Some(0.1));
    let update = world.ecs.update_service().cluster(CLUSTER).service("strategy-range");
    update.deployment_configuration(linear(3.0, 0)).send().await.unwrap();
    world.describe("strategy-range").await; // the first describe of a new service may miss it
    let described = world.ecs.describe_services().cluster(CLUSTER).services("strategy-range").send().await.unwrap();
    let kept = described.services()[0].deployment_configuration().unwrap();
    assert_eq!(kept.strategy(), Some(&DeploymentStrategy::Linear));
    assert_eq!(kept.linear_configuration().unwrap().step_percent(), Some(3.0));
}

#[tokio::test(flavor = "multi_thread")]
#[ignore = "needs the AWS emulator: bash scripts/test.sh"]
async fn a_lifecycle_hook_has_its_target_its_stages_and_no_pause_while_traffic_shifts() {
    // DeploymentLifecycleHook: hookTargetArn "You must provide this parameter when configuring an
    // AWS_LAMBDA lifecycle hook" and "is not applicable for PAUSE hooks"; lifecycleStages required;
    // "PAUSE hooks cannot be configured at TEST_TRAFFIC_SHIFT or PRODUCTION_TRAFFIC_SHIFT stages.";
    // the timeout action CONTINUE or ROLLBACK.
    let world = World::new("strict_a_lifecycle_hook_has_its_target_and_stages").await;
    let definition = world.definition("hooks", true).await;
    let pause_with_target = DeploymentLifecycleHook::builder()
        .target_type(DeploymentLifecycleHookTargetType::Pause)
        .hook_target_arn(lambda(&world))
        .lifecycle_stages(DeploymentLifecycleHookStage::PostScaleUp)
        .build();
    let lambda_without_target = DeploymentLifecycleHook::builder()
        .target_type(DeploymentLifecycleHookTargetType::AwsLambda)
        .lifecycle_stages(DeploymentLifecycleHookStage::PostScaleUp)
        .build();
    let no_stages = DeploymentLifecycleHook::builder().target_type(DeploymentLifecycleHookTargetType::Pause).build();
    let wrong_timeout = DeploymentLifecycleHook::builder()
        .target_type(DeploymentLifecycleHookTargetType::Pause)
        .lifecycle_stages(DeploymentLifecycleHookStage::PostScaleUp)
        .timeout_configuration(
            DeploymentLifecycleHookTimeoutConfiguration::builder()
                .action(DeploymentLifecycleHookAction::from("SKIP"))
                .build(),
        )
        .build();
    for (what, hook) in [
        ("PAUSE at TEST_TRAFFIC_SHIFT", pause_at(DeploymentLifecycleHookStage::TestTrafficShift)),
        ("PAUSE at PRODUCTION_TRAFFIC_SHIFT", pause_at(DeploymentLifecycleHookStage::ProductionTrafficShift)),
        ("PAUSE with a hookTargetArn", pause_with_target),
        ("AWS_LAMBDA without a hookTargetArn", lambda_without_target),
        ("no lifecycleStages", no_stages),
        ("timeout action SKIP", wrong_timeout),
    ] {
        let create = world.service("hooks", &definition).deployment_configuration(blue_green(vec![hook]));
        let (code, _) = refusal(create.send().await);
        assert_eq!(code, "InvalidParameterException", "{what}");
    }
    // A Lambda may run while traffic shifts, a pause around it.
    let lambda_at_shift = DeploymentLifecycleHook::builder()
        .hook_target_arn(lambda(&world))
        .role_arn(world.role("ecs-lambda"))
        .lifecycle_stages(DeploymentLifecycleHookStage::ProductionTrafficShift)
        .build();
    let hooks = vec![pause_at(DeploymentLifecycleHookStage::PreProductionTrafficShift), lambda_at_shift];
    let created = world.service("hooks", &definition).deployment_configuration(blue_green(hooks)).send().await.unwrap();
    let kept = created.service().unwrap().deployment_configuration().unwrap().lifecycle_hooks().to_vec();
    assert_eq!(kept.len(), 2, "{kept:?}");
    assert_eq!(kept[0].lifecycle_stages(), [DeploymentLifecycleHookStage::PreProductionTrafficShift]);
}

#[tokio::test(flavor = "multi_thread")]
#[ignore = "needs the AWS emulator: bash scripts/test.sh"]
async fn early_success_criteria_go_with_rolling_and_a_healthy_percent_above_the_minimum() {
    // "You can use early success criteria only with rolling deployment strategy";
    // DeploymentEarlySuccessCriteria: enable needs healthyPercent and sourceServiceRevisionCleanup;
    // healthyPercent "an integer between 0 and 100", "greater than or equal to the
    // minimumHealthyPercent value" (whose default for a replica service is 100%).
    let world = World::new("strict_early_success_criteria_go_with_rolling").await;
    let definition = world.definition("early", true).await;
    let with = |strategy: DeploymentStrategy, minimum: Option<i32>, criteria: DeploymentEarlySuccessCriteria| {
        DeploymentConfiguration::builder()
            .strategy(strategy)
            .bake_time_in_minutes(0)
            .set_minimum_healthy_percent(minimum)
            .early_success_criteria(criteria)
            .build()
    };
    let deferred = Some(ServiceRevisionCleanup::Deferred);
    for (what, config) in [
        ("with BLUE_GREEN", with(DeploymentStrategy::BlueGreen, None, early(Some(100), deferred.clone()))),
        ("without healthyPercent", with(DeploymentStrategy::Rolling, None, early(None, deferred.clone()))),
        ("without sourceServiceRevisionCleanup", with(DeploymentStrategy::Rolling, None, early(Some(100), None))),
        ("healthyPercent 101", with(DeploymentStrategy::Rolling, None, early(Some(101), deferred.clone()))),
        (
            "below the default minimum of 100",
            with(DeploymentStrategy::Rolling, None, early(Some(50), deferred.clone())),
        ),
        (
            "below minimumHealthyPercent 60",
            with(DeploymentStrategy::Rolling, Some(60), early(Some(50), deferred.clone())),
        ),
    ] {
        let (code, message) =
            refusal(world.service("early", &definition).deployment_configuration(config).send().await);
        assert_eq!(code, "InvalidParameterException", "{what}");
        if what == "with BLUE_GREEN" {
            assert_eq!(message, "You can use early success criteria only with rolling deployment strategy");
        }
    }
    let config = with(DeploymentStrategy::Rolling, Some(50), early(Some(50), Some(ServiceRevisionCleanup::Blocking)));
    world.service("early", &definition).deployment_configuration(config).send().await.unwrap();
}

mod behaviour;
