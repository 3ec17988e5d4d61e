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

fn current(service: Option<&aws_sdk_ecs::types::Service>) -> String {
    service.unwrap().current_service_deployment().expect("a current service deployment").to_owned()
}

async fn described(world: &World, arn: &str) -> ServiceDeployment {
    let answer = world.ecs.describe_service_deployments().service_deployment_arns(arn).send().await.unwrap();
    answer.service_deployments()[0].clone()
}

/// One DescribeServices look at `name`, then the service deployment `arn` as it is after it.
async fn look(world: &World, name: &str, arn: &str) -> ServiceDeployment {
    world.describe(name).await;
    described(world, arn).await
}

fn done(deployment: &ServiceDeployment) -> bool {
    let status = deployment.status().unwrap().as_str();
    ["SUCCESSFUL", "STOPPED", "ROLLBACK_SUCCESSFUL", "ROLLBACK_FAILED"].contains(&status)
}

/// Looks until `arn` has completed (at most 40 looks); the number of looks it took and its end.
async fn settle(world: &World, name: &str, arn: &str) -> (usize, ServiceDeployment) {
    for looks in 1..=40 {
        let deployment = look(world, name, arn).await;
        if done(&deployment) {
            return (looks, deployment);
        }
    }
    panic!("the service deployment {arn} never completed");
}

/// Looks until `arn` waits at a PAUSE hook; its stage and hook id.
async fn paused(world: &World, name: &str, arn: &str) -> (ServiceDeploymentLifecycleStage, String) {
    for _ in 0..20 {
        let deployment = look(world, name, arn).await;
        let waiting = deployment
            .lifecycle_hook_details()
            .iter()
            .find(|hook| hook.status() == Some(&DeploymentLifecycleHookStatus::AwaitingAction));
        if let Some(hook) = waiting {
            assert_eq!(hook.target_type(), Some(&DeploymentLifecycleHookTargetType::Pause));
            assert!(hook.expires_at().is_some() && hook.timeout_action().is_some(), "{hook:?}");
            return (deployment.lifecycle_stage().unwrap().clone(), hook.hook_id().unwrap().to_owned());
        }
        assert!(!done(&deployment), "it completed without pausing: {deployment:?}");
    }
    panic!("the service deployment {arn} never paused");
}

async fn task_definition_of(world: &World, name: &str) -> String {
    let described = world.ecs.describe_services().cluster(CLUSTER).services(name).send().await.unwrap();
    described.services()[0].task_definition().unwrap().to_owned()
}

const CANARY_STAGES: [&str; 12] = [
    "PRE_SCALE_UP",
    "SCALE_UP",
    "POST_SCALE_UP",
    "TEST_TRAFFIC_SHIFT",
    "POST_TEST_TRAFFIC_SHIFT",
    "PRE_PRODUCTION_TRAFFIC_SHIFT",
    "PRODUCTION_TRAFFIC_SHIFT",
    "PRE_PRODUCTION_TRAFFIC_SHIFT",
    "PRODUCTION_TRAFFIC_SHIFT",
    "POST_PRODUCTION_TRAFFIC_SHIFT",
    "BAKE_TIME",
    "CLEAN_UP",
];

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

#[tokio::test(flavor = "multi_thread")]
#[ignore = "needs the AWS emulator: bash scripts/test.sh"]
async fn a_canary_walks_its_stages_and_moves_production_to_green_then_back() {
    // CANARY "shifts a small percentage of traffic to the new service revision first, then shifts
    // the remaining traffic all at once after a specified time period": weights 100/0, 90/10, 0/100
    // on the production rule, in the stages of ServiceDeployment.lifecycleStage.
    let world = World::new("strict_a_canary_walks_its_stages").await;
    let first = world.definition("canary", true).await;
    let traffic = Traffic::new(&world, "canary").await;
    let create = world.service("canary", &first).load_balancers(traffic.attachment(&world, None));
    let arn = current(create.deployment_configuration(canary(10.0, 1)).send().await.unwrap().service());
    let (_, created) = settle(&world, "canary", &arn).await;
    assert_eq!(created.status(), Some(&ServiceDeploymentStatus::Successful));
    let first_report = service_deployment_trace(&arn).await;
    assert_eq!(first_report["stages"], serde_json::json!(CANARY_STAGES), "a new service walks the stages too");
    assert_eq!(
        first_report["weights"],
        serde_json::json!([[100, 0]]),
        "with no blue, all traffic stays on the primary"
    );
    assert_eq!(first_report["productionTargetGroup"], serde_json::json!(traffic.primary));

    let second = world.definition("canary", true).await;
    let update = world.ecs.update_service().cluster(CLUSTER).service("canary").task_definition(&second);
    let arn = current(update.send().await.unwrap().service());
    let mut seen: Vec<String> = Vec::new();
    let mut during_canary = None;
    loop {
        let deployment = look(&world, "canary", &arn).await;
        if done(&deployment) {
            assert_eq!(deployment.status(), Some(&ServiceDeploymentStatus::Successful), "{deployment:?}");
            break;
        }
        let stage = deployment.lifecycle_stage().expect("a shifting deployment has a stage").as_str().to_owned();
        if stage == "PRODUCTION_TRAFFIC_SHIFT" && during_canary.is_none() {
            during_canary = Some(traffic.weights().await);
        }
        if seen.last() != Some(&stage) {
            seen.push(stage);
        }
        assert!(seen.len() <= 20, "{seen:?}");
    }
    assert_eq!(during_canary, Some([90, 10]), "the canary's share on green, the rest on blue");
    // The pre-shift stage comes back before each step; the canary's bake keeps it at its share.
    assert_eq!(seen, CANARY_STAGES);
    let moved = service_deployment_trace(&arn).await;
    assert_eq!(moved["stages"], serde_json::json!(CANARY_STAGES));
    assert_eq!(moved["weights"], serde_json::json!([[100, 0], [90, 10], [0, 100]]));
    assert_eq!(moved["productionTargetGroup"], serde_json::json!(traffic.alternate));
    assert_eq!(traffic.weights().await, [0, 100], "ELB's own rule");
    assert_eq!(task_definition_of(&world, "canary").await, second);

    // Green is production now: the next deployment shifts back the other way.
    let force = world.ecs.update_service().cluster(CLUSTER).service("canary").force_new_deployment(true);
    let arn = current(force.send().await.unwrap().service());
    let (_, back) = settle(&world, "canary", &arn).await;
    assert_eq!(back.status(), Some(&ServiceDeploymentStatus::Successful));
    let back = service_deployment_trace(&arn).await;
    assert_eq!(back["weights"], serde_json::json!([[0, 100], [10, 90], [100, 0]]));
    assert_eq!(back["productionTargetGroup"], serde_json::json!(traffic.primary));
}

#[tokio::test(flavor = "multi_thread")]
#[ignore = "needs the AWS emulator: bash scripts/test.sh"]
async fn a_pause_hook_waits_for_continue_and_rolls_back_on_request() {
    // PAUSE "Pauses the deployment at the specified lifecycle stage until you call
    // ContinueServiceDeployment to continue or roll back"; ContinueServiceDeployment acts on "the
    // paused lifecycle hook" (hookId from lifecycleHookDetails): CONTINUE or ROLLBACK.
    let world = World::new("strict_a_pause_hook_waits_for_continue").await;
    let first = world.definition("paused", true).await;
    let traffic = Traffic::new(&world, "paused").await;
    let config = blue_green(vec![pause_at(DeploymentLifecycleHookStage::PostScaleUp)]);
    let create = world.service("paused", &first).load_balancers(traffic.attachment(&world, None));
    let arn = current(create.deployment_configuration(config).send().await.unwrap().service());
    let unknown = format!("{arn}-gone");
    let (code, _) =
        refusal(world.ecs.continue_service_deployment().service_deployment_arn(&unknown).hook_id("h").send().await);
    assert_eq!(code, "ServiceDeploymentNotFoundException");
    let (code, _) =
        refusal(world.ecs.continue_service_deployment().service_deployment_arn(&arn).hook_id("h").send().await);
    assert_eq!(code, "InvalidParameterException", "not paused yet");

    let (stage, hook) = paused(&world, "paused", &arn).await;
    assert_eq!(stage, ServiceDeploymentLifecycleStage::PostScaleUp);
    for _ in 0..3 {
        let still = look(&world, "paused", &arn).await;
        assert_eq!(still.lifecycle_stage(), Some(&ServiceDeploymentLifecycleStage::PostScaleUp), "it waits");
        assert_eq!(still.status(), Some(&ServiceDeploymentStatus::InProgress));
    }
    let resume = || world.ecs.continue_service_deployment().service_deployment_arn(&arn);
    let (code, _) = refusal(resume().hook_id("another").send().await);
    assert_eq!(code, "InvalidParameterException", "an unknown hookId");
    let (code, _) = refusal(resume().hook_id(&hook).action(DeploymentLifecycleHookAction::from("SKIP")).send().await);
    assert_eq!(code, "InvalidParameterException", "action CONTINUE or ROLLBACK");
    assert_eq!(resume().hook_id(&hook).send().await.unwrap().service_deployment_arn(), Some(arn.as_str()));
    let next = look(&world, "paused", &arn).await;
    assert_eq!(next.lifecycle_stage(), Some(&ServiceDeploymentLifecycleStage::TestTrafficShift), "the next stage");
    let (_, created) = settle(&world, "paused", &arn).await;
    assert_eq!(created.status(), Some(&ServiceDeploymentStatus::Successful));
    let (code, _) = refusal(resume().hook_id(&hook).send().await);
    assert_eq!(code, "InvalidParameterException", "a completed deployment waits at no hook");

    // The next deployment pauses again; ROLLBACK puts the service and its traffic back on blue.
    let second = world.definition("paused", true).await;
    let update = world.ecs.update_service().cluster(CLUSTER).service("paused").task_definition(&second);
    let arn = current(update.send().await.unwrap().service());
    let (_, hook) = paused(&world, "paused", &arn).await;
    let rollback = world.ecs.continue_service_deployment().service_deployment_arn(&arn).hook_id(&hook);
    rollback.action(DeploymentLifecycleHookAction::Rollback).send().await.unwrap();
    assert_eq!(described(&world, &arn).await.status(), Some(&ServiceDeploymentStatus::RollbackRequested));
    assert_eq!(look(&world, "paused", &arn).await.status(), Some(&ServiceDeploymentStatus::RollbackInProgress));
    let (_, rolled_back) = settle(&world, "paused", &arn).await;
    assert_eq!(rolled_back.status(), Some(&ServiceDeploymentStatus::RollbackSuccessful));
    assert_eq!(task_definition_of(&world, "paused").await, first, "back on the previous revision");
    assert_eq!(traffic.weights().await, [100, 0], "production on blue");
    let stages = service_deployment_trace(&arn).await["stages"].clone();
    assert_eq!(stages, serde_json::json!(["PRE_SCALE_UP", "SCALE_UP", "POST_SCALE_UP"]), "no further than the pause");

    // StopServiceDeployment ROLLBACK works on a paused one too.
    let third = world.definition("paused", true).await;
    let update = world.ecs.update_service().cluster(CLUSTER).service("paused").task_definition(&third);
    let arn = current(update.send().await.unwrap().service());
    paused(&world, "paused", &arn).await;
    world.ecs.stop_service_deployment().service_deployment_arn(&arn).send().await.unwrap();
    let (_, stopped) = settle(&world, "paused", &arn).await;
    assert_eq!(stopped.status(), Some(&ServiceDeploymentStatus::RollbackSuccessful));
    assert_eq!(task_definition_of(&world, "paused").await, first);
}

#[tokio::test(flavor = "multi_thread")]
#[ignore = "needs the AWS emulator: bash scripts/test.sh"]
async fn a_hook_that_times_out_takes_its_timeout_action() {
    // DeploymentLifecycleHookTimeoutConfiguration: "The number of minutes Amazon ECS waits for the
    // lifecycle hook to complete before taking the timeout action" (here one minute is one look).
    let world = World::new("strict_a_hook_that_times_out").await;
    let definition = world.definition("timeout", true).await;
    let hook = DeploymentLifecycleHook::builder()
        .target_type(DeploymentLifecycleHookTargetType::Pause)
        .lifecycle_stages(DeploymentLifecycleHookStage::PreScaleUp)
        .timeout_configuration(
            DeploymentLifecycleHookTimeoutConfiguration::builder()
                .timeout_in_minutes(2)
                .action(DeploymentLifecycleHookAction::Continue)
                .build(),
        )
        .build();
    let create = world.service("timeout", &definition).deployment_configuration(blue_green(vec![hook]));
    let arn = current(create.send().await.unwrap().service());
    paused(&world, "timeout", &arn).await;
    look(&world, "timeout", &arn).await;
    let timed_out = look(&world, "timeout", &arn).await;
    let detail = &timed_out.lifecycle_hook_details()[0];
    assert_eq!(detail.status(), Some(&DeploymentLifecycleHookStatus::TimedOut), "{timed_out:?}");
    let (_, done) = settle(&world, "timeout", &arn).await;
    assert_eq!(done.status(), Some(&ServiceDeploymentStatus::Successful), "CONTINUE on timeout");
}

#[tokio::test(flavor = "multi_thread")]
#[ignore = "needs the AWS emulator: bash scripts/test.sh"]
async fn failing_tasks_under_a_shifting_strategy_roll_back_at_scale_up() {
    // SCALE_UP: "The green service revision is not serving any traffic at this point": tasks that
    // fail to start fail the deployment there, before production traffic moves, and it rolls back.
    let world = World::new("strict_failing_tasks_under_a_shifting_strategy").await;
    let first = world.definition("bg-fail", true).await;
    let traffic = Traffic::new(&world, "bg-fail").await;
    let create = world.service("bg-fail", &first).load_balancers(traffic.attachment(&world, None));
    let arn = current(create.deployment_configuration(blue_green(vec![])).send().await.unwrap().service());
    settle(&world, "bg-fail", &arn).await;
    plan_rollout("bg-fail", "FAILED").await;
    let second = world.definition("bg-fail", true).await;
    let update = world.ecs.update_service().cluster(CLUSTER).service("bg-fail").task_definition(&second);
    let arn = current(update.send().await.unwrap().service());
    let (_, failed) = settle(&world, "bg-fail", &arn).await;
    assert_eq!(failed.status(), Some(&ServiceDeploymentStatus::RollbackSuccessful), "{failed:?}");
    assert!(failed.status_reason().unwrap().contains("SCALE_UP"), "{failed:?}");
    assert!(failed.rollback().is_some(), "{failed:?}");
    let failed = service_deployment_trace(&arn).await;
    assert_eq!(failed["stages"], serde_json::json!(["PRE_SCALE_UP", "SCALE_UP"]));
    assert_eq!(failed["weights"], serde_json::json!([[100, 0]]), "production never moved");
    assert_eq!(traffic.weights().await, [100, 0]);
    assert_eq!(task_definition_of(&world, "bg-fail").await, first);
}

#[tokio::test(flavor = "multi_thread")]
#[ignore = "needs the AWS emulator: bash scripts/test.sh"]
async fn early_success_completes_the_service_deployment_one_look_sooner() {
    // "Amazon ECS declares a deployment successful once a target percentage of tasks are healthy,
    // instead of waiting for the service to fully stabilize." (earlySuccessCriteria)
    let world = World::new("strict_early_success_completes_sooner").await;
    let mut looks = Vec::new();
    for (name, criteria) in
        [("rolling-plain", None), ("rolling-early", Some(early(Some(100), Some(ServiceRevisionCleanup::Deferred))))]
    {
        let definition = world.definition(name, true).await;
        let config = DeploymentConfiguration::builder().set_early_success_criteria(criteria).build();
        let created = world.service(name, &definition).deployment_configuration(config).send().await.unwrap();
        settle(&world, name, &current(created.service())).await;
        let force = world.ecs.update_service().cluster(CLUSTER).service(name).force_new_deployment(true);
        let arn = current(force.send().await.unwrap().service());
        let (count, deployment) = settle(&world, name, &arn).await;
        assert_eq!(deployment.status(), Some(&ServiceDeploymentStatus::Successful), "{name}");
        assert!(deployment.lifecycle_stage().is_none(), "a rolling deployment walks no shifting stages");
        looks.push(count);
    }
    assert_eq!(looks[1] + 1, looks[0], "early success one look sooner: {looks:?}");
}
