//! Each field-change producer of `provision::review`, one drift of the converged app at a time:
//! the action it causes reads as its kind and `field: old → new`.

use super::*;
use crate::provision::review::{ChangeKind, FieldChange, details};

/// A field, its old value and its new one.
type Field = (&'static str, Option<Value>, Option<Value>);
/// The sentence an action starts with, its kind and its fields.
type Expected = (&'static str, ChangeKind, Vec<Field>);
/// A drift of the converged app, and the change it causes.
type Case = (fn(&mut Observed), Expected);

/// A drift, the sentence its action starts with, and what that action changes.
fn drifts() -> Vec<Case> {
    use ChangeKind::{Delete, Update};
    vec![
        (
            |observed| observed.cluster.as_mut().unwrap().default_strategy[0].capacity_provider = "FARGATE".into(),
            (
                "set the capacity providers",
                Update,
                vec![("default_strategy", Some(json!(["FARGATE:1"])), Some(json!(["FARGATE_SPOT:1"])))],
            ),
        ),
        (
            |observed| observed.cluster.as_mut().unwrap().tags.retain(|tag| tag.key != "team"),
            ("tag arn:aws:ecs", Update, vec![("tags.team", None, Some(json!("shop")))]),
        ),
        (
            |observed| observed.load_balancer.as_mut().unwrap().subnets = vec!["subnet-old".into()],
            (
                "set the subnets",
                Update,
                vec![("subnets", Some(json!(["subnet-old"])), Some(json!(["subnet-a1", "subnet-b2"])))],
            ),
        ),
        (
            |observed| observed.load_balancer.as_mut().unwrap().security_groups = vec!["sg-old".into()],
            (
                "set the security groups",
                Update,
                vec![("security_groups", Some(json!(["sg-old"])), Some(json!(["sg-2"])))],
            ),
        ),
        (
            |observed| observed.target_group.as_mut().unwrap().health_check_path = "/old".into(),
            ("set target group", Update, vec![("health_check_path", Some(json!("/old")), Some(json!("/")))]),
        ),
        (
            |observed| {
                observed.target_group.as_mut().unwrap().health_check =
                    Some(crate::plan::health_check::HealthCheck::AWS);
            },
            (
                "set target group",
                Update,
                vec![
                    ("health_check_interval", Some(json!(30)), Some(json!(10))),
                    ("health_check_timeout", Some(json!(6)), Some(json!(5))),
                    ("healthy_threshold", Some(json!(5)), Some(json!(2))),
                    ("unhealthy_threshold", Some(json!(2)), Some(json!(3))),
                ],
            ),
        ),
        (
            |observed| {
                observed.load_balancer.as_mut().unwrap().listeners[0].forwards_to =
                    vec!["arn:aws:elasticloadbalancing:r:1:targetgroup/other/9f".into()]
            },
            (
                "forward listener HTTP:80",
                Update,
                vec![("default_action", Some(json!(["other/9f"])), Some(json!(["acme-shop-api-staging"])))],
            ),
        ),
        (
            |observed| observed.scaling_policies[0].target = 70.0,
            ("put scaling policy", Update, vec![("target", Some(json!(70.0)), Some(json!(55.0)))]),
        ),
        (
            |observed| {
                let mut extra = observed.scaling_policies[0].clone();
                extra.name = "acme-shop-api-staging-web-mem-scaling-policy".into();
                observed.scaling_policies.push(extra);
            },
            ("delete scaling policy", Delete, vec![("target", Some(json!(55.0)), None)]),
        ),
        (
            |observed| {
                let resource_id = "service/acme-shop-api-staging/acme-shop-api-staging-gone".to_owned();
                let target = ObservedScalableTarget { resource_id: resource_id.clone(), min: 1, max: 2 };
                observed.scalable_targets.insert(resource_id, target);
            },
            ("stop autoscaling", Delete, vec![("min", Some(json!(1)), None), ("max", Some(json!(2)), None)]),
        ),
        (
            |observed| {
                let web = observed.services.get_mut("acme-shop-api-staging-web").unwrap().as_mut().unwrap();
                web.execute_command = false;
                web.propagate_tags = None;
                web.load_balancers.clear();
                web.capacity_provider_strategy[0].capacity_provider = "FARGATE".into();
                web.health_check_grace_period = Some(5);
            },
            (
                "update service acme-shop-api-staging-web",
                Update,
                vec![
                    ("enable_execute_command", Some(json!(false)), Some(json!(true))),
                    ("propagate_tags", None, Some(json!("TASK_DEFINITION"))),
                    ("load_balancers", Some(json!([])), Some(json!(["acme-shop-api-staging acme-shop-api:3000"]))),
                    ("capacity_provider_strategy", Some(json!(["FARGATE:1"])), Some(json!(["FARGATE_SPOT:1"]))),
                    ("health_check_grace_period", Some(json!(5)), Some(json!(60))),
                ],
            ),
        ),
    ]
}

#[test]
fn each_drift_reads_as_its_kind_and_old_to_new_values() {
    let desired = desired();
    for (drift, (sentence, kind, fields)) in drifts() {
        let mut observed = converged(&desired);
        drift(&mut observed);
        let diff = diff(&desired, &observed, Options::default());
        let index = diff.actions.iter().position(|action| action.to_string().starts_with(sentence));
        let detail = &diff.details[index.unwrap_or_else(|| panic!("no {sentence} in {:?}", described(&diff.actions)))];
        let expected: Vec<FieldChange> =
            fields.into_iter().map(|(field, old, new)| FieldChange::new(field.into(), old, new)).collect();
        assert_eq!((detail.kind, &detail.fields), (kind, &expected), "{sentence}");
    }
}

#[test]
fn stop_reads_as_counts_to_zero() {
    let desired = desired();
    let observed = converged(&desired);
    let actions = crate::provision::stop::actions(&desired, &observed);
    let fields: Vec<Vec<FieldChange>> = details(&actions, &observed).into_iter().map(|detail| detail.fields).collect();
    assert_eq!(
        fields,
        [
            vec![
                FieldChange::new("min".into(), Some(json!(2)), Some(json!(0))),
                FieldChange::new("max".into(), Some(json!(4)), Some(json!(0)))
            ],
            vec![FieldChange::new("desired_count".into(), Some(json!(3)), Some(json!(0)))],
            vec![FieldChange::new("desired_count".into(), Some(json!(3)), Some(json!(0)))],
        ]
    );
}
