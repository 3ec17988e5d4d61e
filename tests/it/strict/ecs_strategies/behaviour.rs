//! The strategies' behaviour: stages, weights, pauses, timeouts, rollbacks, early success.

use super::*;

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
