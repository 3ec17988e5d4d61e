//! Scheduled tasks: a rule and target per line; stale rules deleted only when tagged as ours.

use super::*;

fn scheduled(desired: &mut DesiredState, name: &str, command: &str) {
    desired.schedules.push(crate::plan::desired::ScheduledTask {
        name: name.into(),
        rule: format!("2b419b-{name}"),
        expression: "rate(1 hour)".into(),
        command: command.into(),
        launch: Default::default(),
        task_definition: "acme-shop-api-staging-web".into(),
        enabled: true,
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
    // Another environment's (a shared cluster's former names): neither deleted nor mentioned.
    let other = Tag { key: MARKER_TAG_KEY.into(), value: "acme-shop-api-staging-next".into() };
    observed.rules.insert("2b419b-next".into(), rule("2b419b-next", vec![other]));
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
    assert!(!diff.warnings.iter().any(|warning| warning.contains("2b419b-next")), "{:?}", diff.warnings);
}

/// The `feed` schedule as AWS holds it once maestro put it: rule, tags and target.
fn converged_feed(desired: &DesiredState, observed: &mut Observed) {
    use crate::plan::aws_values::LaunchType;
    use crate::provision::observed::{ObservedRule, ObservedRuleTarget};
    let task = &desired.schedules[0];
    let network = &task.network;
    observed.rules.insert(
        task.rule.clone(),
        ObservedRule {
            name: task.rule.clone(),
            arn: format!("arn:rule/{}", task.rule),
            expression: task.expression.clone(),
            enabled: true,
            tags: resource_tags(desired),
            targets: vec![ObservedRuleTarget {
                id: task.rule.clone(),
                arn: task.cluster_arn.clone(),
                role_arn: task.role_arn.clone(),
                // Spaced differently from maestro's: compared as JSON, not as text.
                input: r#"{ "containerOverrides": [ { "name": "acme-shop-api", "command": ["bin/feed"] } ] }"#.into(),
                task_definition: "arn:acme-shop-api-staging-web:3".into(),
                launch_type: Some(LaunchType::Fargate),
                subnets: network.subnets.iter().rev().cloned().collect(),
                security_groups: network.security_groups.clone(),
                assign_public_ip: false,
                propagate_tags: Some(PropagateTags::TaskDefinition),
            }],
        },
    );
}

#[test]
fn a_converged_schedule_needs_no_action_and_each_drift_is_put_again() {
    use crate::plan::aws_values::LaunchType;
    use crate::provision::observed::ObservedRuleTarget;
    let mut desired = desired();
    scheduled(&mut desired, "feed", "bin/feed");
    let mut observed = converged(&desired);
    converged_feed(&desired, &mut observed);
    assert_eq!(changes(&desired, &observed), Vec::<String>::new());

    let point = "point schedule rule 2b419b-feed at acme-shop-api-staging-web";
    let drifts: [Drift<ObservedRuleTarget>; 10] = [
        ("another target id", |live| live.id = "other".into()),
        ("an older revision", |live| live.task_definition = "arn:acme-shop-api-staging-web:2".into()),
        ("another cluster", |live| live.arn = "arn:aws:ecs:us-east-1:123456789012:cluster/other".into()),
        ("another role", |live| live.role_arn = "arn:aws:iam::123456789012:role/other".into()),
        ("another command", |live| live.input = live.input.replace("bin/feed", "bin/other")),
        ("a capacity provider strategy", |live| live.launch_type = None),
        ("another subnet", |live| live.subnets.push("subnet-zz".into())),
        ("another security group", |live| live.security_groups = vec!["sg-9".into()]),
        ("a public IP", |live| live.assign_public_ip = true),
        ("tags not propagated", |live| live.propagate_tags = Some(PropagateTags::Service)),
    ];
    for (drift, apply) in drifts {
        let mut drifted = observed.clone();
        apply(&mut drifted.rules.get_mut("2b419b-feed").unwrap().targets[0]);
        assert_eq!(changes(&desired, &drifted), [point], "{drift}");
    }
    let mut ec2 = observed.clone();
    ec2.rules.get_mut("2b419b-feed").unwrap().targets[0].launch_type = Some(LaunchType::Ec2);
    assert_eq!(changes(&desired, &ec2), [point], "EC2");

    // The rule itself: a changed expression or a disabled rule is put again; a missing tag is added.
    let mut drifted = observed.clone();
    drifted.rules.get_mut("2b419b-feed").unwrap().expression = "rate(2 hours)".into();
    assert_eq!(changes(&desired, &drifted), ["put schedule rule 2b419b-feed (rate(1 hour))"]);
    let mut drifted = observed.clone();
    drifted.rules.get_mut("2b419b-feed").unwrap().enabled = false;
    assert_eq!(changes(&desired, &drifted), ["put schedule rule 2b419b-feed (rate(1 hour))"]);
    let mut drifted = observed.clone();
    drifted.rules.get_mut("2b419b-feed").unwrap().tags.remove(0);
    assert_eq!(changes(&desired, &drifted), ["tag arn:rule/2b419b-feed"]);
}

#[test]
fn a_newly_registered_revision_repoints_the_schedule() {
    let mut desired = desired();
    scheduled(&mut desired, "feed", "bin/feed");
    let mut observed = converged(&desired);
    converged_feed(&desired, &mut observed);
    // A new secret key: web's task definition is registered again, so the rule must follow it.
    observed.secret.as_mut().unwrap().keys.push("NEW_KEY".into());
    let names = changes(&desired, &observed);
    assert!(names.contains(&"point schedule rule 2b419b-feed at acme-shop-api-staging-web".to_owned()), "{names:?}");
}

#[test]
fn a_rule_with_the_workloads_tags_but_not_maestros_marker_is_left() {
    use crate::provision::observed::ObservedRule;
    let desired = desired();
    let mut observed = converged(&desired);
    let team = Tag { key: "team".into(), value: "shop".into() };
    observed.rules.insert(
        "2b419b-old".into(),
        ObservedRule {
            name: "2b419b-old".into(),
            arn: "arn:rule/2b419b-old".into(),
            expression: "rate(1 day)".into(),
            enabled: true,
            tags: vec![team],
            targets: Vec::new(),
        },
    );
    let diff = diff(&desired, &observed, Options::default());
    assert_eq!(diff.actions, []);
    assert_eq!(
        diff.warnings,
        [
            "schedule rule 2b419b-old is not in the schedule file but carries no `maestro:app` tag, so maestro leaves it; delete it if it is stale"
        ]
    );
}
