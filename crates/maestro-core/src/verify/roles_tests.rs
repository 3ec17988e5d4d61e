use super::roles::{ECS_TASKS, EVENTS, ObservedRole, ObservedRoles, RoleInput, RoleInputs, judge, role_name};
use crate::input::vars as var;

const ACCOUNT: &str = "123456789012";

fn role(input: &'static str, arn: &str, service: &'static str, default: bool) -> RoleInput {
    RoleInput { input, arn: arn.to_owned(), service, default }
}

fn inputs() -> RoleInputs {
    RoleInputs(vec![
        role(var::ECS_EXECUTION_ROLE_ARN, "arn:aws:iam::123456789012:role/service/shop-exec", ECS_TASKS, false),
        role(var::MAESTRO_EVENTS_ROLE_ARN, "arn:aws:iam::123456789012:role/ecsEventsRole", EVENTS, true),
    ])
}

fn trusting(arn: &str, service: &str) -> ObservedRole {
    let policy = format!(
        r#"{{"Version":"2012-10-17","Statement":[{{"Effect":"Allow","Principal":{{"Service":"{service}"}},"Action":"sts:AssumeRole"}}]}}"#
    );
    ObservedRole { arn: arn.to_owned(), trust_policy: policy }
}

/// Both roles of `inputs()`, each trusting its service.
fn account() -> ObservedRoles {
    [
        ("shop-exec".to_owned(), trusting("arn:aws:iam::123456789012:role/service/shop-exec", ECS_TASKS)),
        ("ecsEventsRole".to_owned(), trusting("arn:aws:iam::123456789012:role/ecsEventsRole", EVENTS)),
    ]
    .into()
}

#[test]
fn roles_that_exist_and_trust_their_service_pass_and_are_reported_checked() {
    let verdict = judge(&inputs(), ACCOUNT, &account());
    assert_eq!(verdict.findings, []);
    assert_eq!(verdict.checked.len(), 2, "{verdict:?}");
    assert!(verdict.checked[0].contains("trusts ecs-tasks.amazonaws.com"), "{verdict:?}");
}

#[test]
fn the_name_is_the_last_segment_and_other_accounts_are_not_read() {
    assert_eq!(role_name("arn:aws:iam::123456789012:role/service/shop-exec"), "shop-exec");
    let mut inputs = inputs();
    inputs.0.push(role(var::ECS_TASK_ROLE_ARN, "arn:aws:iam::210987654321:role/theirs", ECS_TASKS, false));
    assert_eq!(inputs.names_in(ACCOUNT), ["ecsEventsRole", "shop-exec"]);
    let verdict = judge(&inputs, ACCOUNT, &account());
    assert_eq!(verdict.findings, []);
    assert!(verdict.not_checked[0].what.contains("theirs") && verdict.not_checked[0].why.contains("another account"));
}

#[test]
fn a_missing_role_names_its_input_and_the_default_says_how_to_replace_it() {
    let verdict = judge(&inputs(), ACCOUNT, &ObservedRoles::new());
    let found: Vec<(&str, &str)> = verdict.findings.iter().map(|f| (f.input, f.problem.as_str())).collect();
    assert_eq!(
        found,
        [
            (var::ECS_EXECUTION_ROLE_ARN, "does not exist in this account"),
            (var::MAESTRO_EVENTS_ROLE_ARN, "does not exist in this account")
        ]
    );
    assert!(verdict.findings[0].fix.starts_with("correct ECS_EXECUTION_ROLE_ARN"), "{:?}", verdict.findings[0]);
    assert!(verdict.findings[1].fix.contains("or set MAESTRO_EVENTS_ROLE_ARN"), "{:?}", verdict.findings[1]);
}

#[test]
fn a_role_that_trusts_another_service_or_lives_under_another_path_is_a_finding() {
    let mut observed = account();
    observed.insert("ecsEventsRole".to_owned(), trusting("arn:aws:iam::123456789012:role/ecsEventsRole", ECS_TASKS));
    observed.insert("shop-exec".to_owned(), trusting("arn:aws:iam::123456789012:role/shop-exec", ECS_TASKS));
    let verdict = judge(&inputs(), ACCOUNT, &observed);
    assert_eq!(verdict.findings.len(), 2, "{verdict:?}");
    assert_eq!(verdict.findings[0].fix, "set ECS_EXECUTION_ROLE_ARN to arn:aws:iam::123456789012:role/shop-exec");
    assert_eq!(verdict.findings[1].problem, "does not trust events.amazonaws.com, which must assume it");
    assert!(verdict.findings[1].fix.contains(r#""Service": "events.amazonaws.com""#), "{:?}", verdict.findings[1]);
}

#[test]
fn an_unreadable_trust_policy_is_not_checked_rather_than_a_finding() {
    let mut observed = account();
    observed.get_mut("shop-exec").unwrap().trust_policy = "%7B".to_owned();
    let verdict = judge(&inputs(), ACCOUNT, &observed);
    assert_eq!(verdict.findings, []);
    assert!(verdict.not_checked[0].what.contains("shop-exec"), "{verdict:?}");
}
