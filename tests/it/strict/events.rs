//! EventBridge: rule names and schedules, ECS targets, and paginated listings
//! (tests/support/strict/events.py).

use aws_sdk_eventbridge::Client;
use aws_sdk_eventbridge::types::{EcsParameters, Target};

use super::world::{World, refusal};

fn ecs_target(world: &World, id: &str, role: bool) -> Target {
    let ecs = EcsParameters::builder()
        .task_definition_arn(format!("arn:aws:ecs:us-east-1:{}:task-definition/job:1", world.account.id))
        .build()
        .unwrap();
    let target = Target::builder()
        .id(id)
        .arn(format!("arn:aws:ecs:us-east-1:{}:cluster/strict", world.account.id))
        .ecs_parameters(ecs)
        .input("{}");
    let target = if role { target.role_arn(world.role("events")) } else { target };
    target.build().unwrap()
}

#[tokio::test(flavor = "multi_thread")]
#[ignore = "needs the AWS emulator: bash scripts/test.sh"]
async fn rule_names_have_at_most_64_characters_and_schedules_are_checked() {
    let world = World::new("strict_rule_names_have_at_most_64_characters").await;
    let events = Client::new(&world.account.config);
    for name in ["r".repeat(65), "has space".to_owned(), "slash/rule".to_owned()] {
        let (code, _) = refusal(events.put_rule().name(&name).schedule_expression("rate(5 minutes)").send().await);
        assert_eq!(code, "ValidationException", "{name}");
    }
    events.put_rule().name("r.-_".repeat(16)).schedule_expression("rate(5 minutes)").send().await.unwrap();
    for expression in ["rate(1 minutes)", "rate(5 minute)", "cron(0 12 * * ?)"] {
        let (code, _) = refusal(events.put_rule().name("schedule").schedule_expression(expression).send().await);
        assert_eq!(code, "ValidationException", "{expression}");
    }
    events.put_rule().name("schedule").schedule_expression("cron(0 12 * * ? *)").send().await.unwrap();
}

#[tokio::test(flavor = "multi_thread")]
#[ignore = "needs the AWS emulator: bash scripts/test.sh"]
async fn an_ecs_target_needs_a_role_and_a_rule_has_at_most_five_targets() {
    let world = World::new("strict_an_ecs_target_needs_a_role").await;
    let events = Client::new(&world.account.config);
    events.put_rule().name("job").schedule_expression("rate(1 hour)").send().await.unwrap();
    let (code, _) = refusal(events.put_targets().rule("job").targets(ecs_target(&world, "job", false)).send().await);
    assert_eq!(code, "ValidationException");
    for n in 0..5 {
        events.put_targets().rule("job").targets(ecs_target(&world, &format!("job-{n}"), true)).send().await.unwrap();
    }
    let (code, _) = refusal(events.put_targets().rule("job").targets(ecs_target(&world, "job-5", true)).send().await);
    assert_eq!(code, "LimitExceededException");

    let listed = events.list_targets_by_rule().rule("job").send().await.unwrap();
    assert_eq!((listed.targets().len(), listed.next_token().is_some()), (2, true));
    let mut token = listed.next_token().map(str::to_owned);
    let mut count = listed.targets().len();
    while let Some(next) = token {
        let page = events.list_targets_by_rule().rule("job").next_token(next).send().await.unwrap();
        count += page.targets().len();
        token = page.next_token().map(str::to_owned);
    }
    assert_eq!(count, 5);
}

#[tokio::test(flavor = "multi_thread")]
#[ignore = "needs the AWS emulator: bash scripts/test.sh"]
async fn rules_are_listed_in_pages() {
    let world = World::new("strict_rules_are_listed_in_pages").await;
    let events = Client::new(&world.account.config);
    for name in ["app-a", "app-b", "app-c"] {
        events.put_rule().name(name).schedule_expression("rate(1 day)").send().await.unwrap();
    }
    let first = events.list_rules().name_prefix("app-").limit(100).send().await.unwrap();
    assert_eq!((first.rules().len(), first.next_token().is_some()), (2, true));
    let rest = events.list_rules().name_prefix("app-").next_token(first.next_token().unwrap()).send().await.unwrap();
    assert_eq!((rest.rules().len(), rest.next_token()), (1, None));
}

#[tokio::test(flavor = "multi_thread")]
#[ignore = "needs the AWS emulator: bash scripts/test.sh"]
async fn put_targets_takes_at_most_ten_entries_whose_input_is_json() {
    let world = World::new("strict_put_targets_takes_ten_entries_with_json_input").await;
    let events = Client::new(&world.account.config);
    events.put_rule().name("job").schedule_expression("rate(1 hour)").send().await.unwrap();
    let eleven = (0..11).map(|n| ecs_target(&world, &format!("job-{n}"), true)).collect();
    let (code, message) = refusal(events.put_targets().rule("job").set_targets(Some(eleven)).send().await);
    assert_eq!(code, "ValidationException");
    assert!(message.contains("less than or equal to 10"), "{message}");
    let mut not_json = ecs_target(&world, "job", true);
    not_json.input = Some("{not json".to_owned());
    let (code, message) = refusal(events.put_targets().rule("job").targets(not_json).send().await);
    assert_eq!(code, "ValidationException");
    assert!(message.contains("Input is not valid JSON"), "{message}");
    events.put_targets().rule("job").targets(ecs_target(&world, "job", true)).send().await.unwrap();
}
