//! What each action changes (`provision::review`): its kind, and each field's old and new value
//! read from what was observed.

use super::*;
use crate::provision::action::RuleTarget;
use crate::provision::observed::{ObservedRule, ObservedRuleTarget};
use crate::provision::review::{ChangeKind, FieldChange};

/// The field changes of the first action whose sentence starts with `sentence`, and its kind.
fn fields_of(diff: &Diff, sentence: &str) -> (ChangeKind, Vec<FieldChange>) {
    let index = diff.actions.iter().position(|action| action.to_string().starts_with(sentence));
    let detail = &diff.details[index.unwrap_or_else(|| panic!("no {sentence} in {:?}", described(&diff.actions)))];
    (detail.kind, detail.fields.clone())
}

fn field(name: &str, old: Value, new: Value) -> FieldChange {
    FieldChange::new(name.into(), Some(old), Some(new))
}

#[test]
fn a_fresh_app_is_all_creations_with_no_old_values() {
    let desired = desired();
    let diff = diff(&desired, &Observed::default(), Options::default());
    assert_eq!(diff.details.len(), diff.actions.len());
    for (action, detail) in diff.actions.iter().zip(&diff.details) {
        assert_eq!(detail.kind, ChangeKind::Create, "{action}");
        assert!(detail.fields.iter().all(|field| field.old.is_none()), "{action}: {:?}", detail.fields);
        assert!(detail.definition.is_none(), "{action}: no live revision to compare with");
    }
}

#[test]
fn service_and_autoscaling_updates_carry_old_and_new_values() {
    let desired = desired();
    let mut observed = converged(&desired);
    let worker = observed.services.get_mut("acme-shop-api-staging-worker").unwrap().as_mut().unwrap();
    worker.desired_count = 1;
    worker.subnets = vec!["subnet-old".into()];
    worker.circuit_breaker = Some(CircuitBreaker { enable: false, rollback: false, ..CircuitBreaker::default() });
    let target = observed.scalable_targets.values_mut().next().unwrap();
    (target.min, target.max) = (1, 3);
    observed.log_groups.insert(
        "/ecs/acme-shop-api-staging-web".into(),
        Some(ObservedLogGroup { arn: "arn:log".into(), retention_days: Some(7) }),
    );
    let mut desired = desired;
    desired.log_retention_days = Some(30);
    let diff = diff(&desired, &observed, Options::default());
    let (kind, fields) = fields_of(&diff, "update service acme-shop-api-staging-worker");
    assert_eq!(kind, ChangeKind::Update);
    assert_eq!(
        fields,
        [
            field("desired_count", json!(1), json!(3)),
            field("subnets", json!(["subnet-old"]), json!(["subnet-a1", "subnet-b2"])),
            field(
                "deployment_circuit_breaker",
                json!("enable=false,rollback=false"),
                json!("enable=true,rollback=true,threshold=percent:50,reset-on-healthy=false")
            ),
        ]
    );
    let (kind, fields) = fields_of(&diff, "scale service/acme-shop-api-staging/acme-shop-api-staging-web");
    assert_eq!(kind, ChangeKind::Update);
    assert_eq!(fields, [field("min", json!(1), json!(2)), field("max", json!(3), json!(4))]);
    let (kind, fields) = fields_of(&diff, "keep the events of log group /ecs/acme-shop-api-staging-web");
    assert_eq!((kind, fields), (ChangeKind::Update, vec![field("retention_days", json!(7), json!(30))]));
}

#[test]
fn a_new_revision_is_compared_with_the_live_one_and_moves_its_services() {
    let desired = desired();
    let mut observed = converged(&desired);
    let live = observed.task_definitions.get_mut("acme-shop-api-staging-worker").unwrap().as_mut().unwrap();
    live.definition.insert("cpu".into(), json!("1024"));
    let diff = diff(&desired, &observed, Options::default());
    let index = diff.actions.iter().position(|action| matches!(action, Action::RegisterTaskDefinition { .. })).unwrap();
    let detail = &diff.details[index];
    assert_eq!(detail.kind, ChangeKind::Update);
    let definition = detail.definition.as_ref().expect("the live revision");
    assert_eq!(definition.live, "arn:acme-shop-api-staging-worker:3");
    let planned_cpu = desired.task_definitions[1].definition["cpu"].clone();
    assert_eq!(detail.fields, [field("cpu", json!("1024"), planned_cpu)]);
    let (_, fields) = fields_of(&diff, "update service acme-shop-api-staging-worker");
    assert_eq!(
        fields,
        [field(
            "task_definition",
            json!("arn:acme-shop-api-staging-worker:3"),
            json!("acme-shop-api-staging-worker (new revision)")
        )]
    );
}

#[test]
fn a_schedule_shows_its_old_rate_and_command_and_a_gone_one_is_a_deletion() {
    let mut desired = desired();
    desired.schedules.push(crate::plan::desired::ScheduledTask {
        name: "mail".into(),
        rule: "2b419b-mail".into(),
        expression: "rate(6 hours)".into(),
        command: "node bin/mail.js --batch 500".into(),
        launch: Default::default(),
        task_definition: "acme-shop-api-staging-web".into(),
        enabled: true,
        cluster_arn: "arn:cluster".into(),
        role_arn: "arn:role".into(),
        container: "acme-shop-api".into(),
        network: desired.services[0].network.clone(),
    });
    let mut observed = converged(&desired);
    let rule = |name: &str, expression: &str, command: &str| ObservedRule {
        name: name.into(),
        arn: format!("arn:rule/{name}"),
        expression: expression.into(),
        enabled: true,
        tags: resource_tags(&desired),
        targets: vec![ObservedRuleTarget {
            id: name.into(),
            arn: "arn:cluster".into(),
            role_arn: "arn:role".into(),
            input: schedule_input("acme-shop-api", &[command.to_owned()]),
            task_definition: "arn:acme-shop-api-staging-web:3".into(),
            launch_type: Some(RuleTarget::LAUNCH_TYPE),
            subnets: desired.services[0].network.subnets.clone(),
            security_groups: desired.services[0].network.security_groups.clone(),
            assign_public_ip: false,
            propagate_tags: Some(RuleTarget::PROPAGATE_TAGS),
        }],
    };
    observed.rules.insert("2b419b-mail".into(), rule("2b419b-mail", "rate(12 hours)", "node bin/mail.js"));
    observed.rules.insert("2b419b-feed".into(), rule("2b419b-feed", "rate(3 hours)", "node bin/feed.js"));
    let diff = diff(&desired, &observed, Options::default());
    assert_eq!(
        fields_of(&diff, "put schedule rule 2b419b-mail"),
        (ChangeKind::Update, vec![field("expression", json!("rate(12 hours)"), json!("rate(6 hours)"))])
    );
    assert_eq!(
        fields_of(&diff, "point schedule rule 2b419b-mail"),
        (ChangeKind::Update, vec![field("command", json!("node bin/mail.js"), json!("node bin/mail.js --batch 500"))])
    );
    assert_eq!(
        fields_of(&diff, "delete schedule rule 2b419b-feed"),
        (ChangeKind::Delete, vec![FieldChange::new("expression".into(), Some(json!("rate(3 hours)")), None)])
    );
}

#[test]
fn orphans_are_listed_unless_pruned_and_then_deleted() {
    let desired = desired();
    let mut observed = converged(&desired);
    observed.orphaned_services = vec!["acme-shop-api-staging-clock".into()];
    let kept = diff(&desired, &observed, Options::default());
    assert_eq!(kept.orphans, ["acme-shop-api-staging-clock"]);
    assert_eq!(kept.actions, []);
    let pruned = diff(&desired, &observed, Options { prune: true });
    assert_eq!(pruned.orphans, Vec::<String>::new());
    assert_eq!(
        fields_of(&pruned, "delete service acme-shop-api-staging-clock"),
        (
            ChangeKind::Delete,
            vec![FieldChange::new("service".into(), Some(json!("acme-shop-api-staging-clock")), None)]
        )
    );
}

#[test]
fn the_json_of_a_change_is_the_action_with_its_kind_and_fields_added() {
    let desired = desired();
    let mut observed = converged(&desired);
    observed.scalable_targets.values_mut().next().unwrap().max = 3;
    let change = diff(&desired, &observed, Options::default()).changes().remove(0);
    assert_eq!(
        serde_json::to_value(&change).unwrap(),
        json!({
            "action": "register_scalable_target",
            "resource_id": "service/acme-shop-api-staging/acme-shop-api-staging-web",
            "min": 2,
            "max": 4,
            "kind": "update",
            "fields": [{"field": "max", "old": 3, "new": 4}],
        })
    );
}
