//! Scheduled tasks: a rule and target per line; stale rules deleted only when tagged as ours.

use super::*;

fn scheduled(desired: &mut DesiredState, name: &str, command: &str) {
    desired.schedules.push(crate::plan::desired::ScheduledTask {
        name: name.into(),
        rule: format!("2b419b-{name}"),
        expression: "rate(1 hour)".into(),
        command: command.into(),
        task_definition: "acme-shop-api-staging-web".into(),
        cluster_arn: "arn:aws:ecs:us-east-1:123456789012:cluster/acme-shop-api-staging".into(),
        role_arn: "arn:aws:iam::123456789012:role/ecsEventsRole".into(),
        container: "acme-shop-api".into(),
        network: desired.services[0].network.clone(),
    });
}

#[test]
fn schedules_are_created_and_stale_rules_deleted_only_when_tagged() {
    use crate::provision::observed::{ObservedRule, ObservedRuleTarget};
    let mut desired = desired();
    scheduled(&mut desired, "feed", r#"bin/feed --source "partners (eu)""#);
    let mut observed = converged(&desired);
    let rule = |name: &str, tags: Vec<Tag>| ObservedRule {
        name: name.into(),
        arn: format!("arn:rule/{name}"),
        expression: "rate(1 day)".into(),
        enabled: true,
        tags,
        targets: vec![ObservedRuleTarget {
            id: name.into(),
            arn: String::new(),
            role_arn: String::new(),
            input: String::new(),
            task_definition: String::new(),
            launch_type: None,
            subnets: Vec::new(),
            security_groups: Vec::new(),
            assign_public_ip: false,
            propagate_tags: None,
        }],
    };
    observed.rules.insert("2b419b-gone".into(), rule("2b419b-gone", resource_tags(&desired)));
    observed.rules.insert("2b419b-theirs".into(), rule("2b419b-theirs", Vec::new()));
    let diff = diff(&desired, &observed, Options::default());
    let names = described(&diff.actions);
    assert_eq!(
        names,
        [
            "put schedule rule 2b419b-feed (rate(1 hour))",
            "delete schedule rule 2b419b-gone (its line is gone)",
            "point schedule rule 2b419b-feed at acme-shop-api-staging-web",
        ]
    );
    let Action::PutRuleTarget(target) = &diff.actions[2] else { panic!() };
    // The command stays one JSON-escaped string: quotes and parentheses intact.
    let input: Value = serde_json::from_str(&target.input).unwrap();
    assert_eq!(
        input,
        json!({"containerOverrides": [{"name": "acme-shop-api", "command": [r#"bin/feed --source "partners (eu)""#]}]})
    );
    assert!(
        diff.warnings.iter().any(|warning| warning.contains("2b419b-theirs") && warning.contains("leaves it")),
        "{:?}",
        diff.warnings
    );
}
