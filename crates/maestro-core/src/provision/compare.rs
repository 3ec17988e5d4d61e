//! Does the live revision of a task definition define what the plan renders?
//!
//! Both are put in canonical form first ([`canonical`]: lists sorted, ECS's defaults explicit).
//! Then every field either side sets must be on the other, equal: a field maestro no longer
//! sets but the live revision has (a role unset, EFS removed, logs turned off, a key deleted from
//! a base file) is drift too. What ECS adds on its own is not: the revision's metadata, and
//! values that mean "unset" (null, an empty list, object or string, `false`, `0`: a container's
//! `cpu: 0`, `volumesFrom: []`, `enableFaultInjection: false`).

use serde_json::{Map, Value};

use super::canonical;

/// Fields of a described revision that say where and when it was registered, not what it runs.
pub(crate) const ECS_METADATA: &[&str] = &[
    "taskDefinitionArn",
    "revision",
    "status",
    "requiresAttributes",
    "compatibilities",
    "registeredAt",
    "registeredBy",
    "deregisteredAt",
    "deleteRequestedAt",
    // Described only on request (`include=TAGS`); compared on their own.
    "tags",
];

pub fn same_task_definition(observed: &Map<String, Value>, desired: &Map<String, Value>) -> bool {
    let (mut observed, desired) = (canonical::task_definition(observed), canonical::task_definition(desired));
    observed.retain(|key, _| !ECS_METADATA.contains(&key.as_str()) || desired.contains_key(key));
    same(&Value::Object(observed), &Value::Object(desired))
}

fn same(observed: &Value, desired: &Value) -> bool {
    match (desired, observed) {
        (Value::Object(want), Value::Object(have)) => {
            want.iter().all(|(key, value)| have.get(key).map_or_else(|| is_unset(value), |found| same(found, value)))
                && have.iter().all(|(key, value)| want.contains_key(key) || is_unset(value))
        }
        (Value::Array(want), Value::Array(have)) => {
            want.len() == have.len() && want.iter().zip(have).all(|(value, found)| same(found, value))
        }
        (Value::Number(want), Value::Number(have)) => want.as_f64() == have.as_f64(),
        // ECS echoes numbers it takes as strings (`cpu`, `memory`) and vice versa.
        (Value::String(want), Value::Number(have)) | (Value::Number(have), Value::String(want)) => {
            want.parse::<f64>().ok() == have.as_f64()
        }
        (want, Value::Null) => is_unset(want),
        (Value::Null, have) => is_unset(have),
        (want, have) => want == have,
    }
}

/// A value ECS treats as not set.
pub(crate) fn is_unset(value: &Value) -> bool {
    match value {
        Value::Null => true,
        Value::Bool(flag) => !flag,
        Value::Number(number) => number.as_f64() == Some(0.0),
        Value::String(text) => text.is_empty(),
        Value::Array(items) => items.is_empty(),
        Value::Object(fields) => fields.is_empty(),
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    fn same_json(observed: Value, desired: Value) -> bool {
        match (observed, desired) {
            (Value::Object(observed), Value::Object(desired)) => same_task_definition(&observed, &desired),
            _ => panic!("objects only"),
        }
    }

    #[test]
    fn what_ecs_adds_and_reorders_is_not_drift() {
        let desired = json!({"cpu": "256", "networkMode": "awsvpc", "containerDefinitions": [
            {"name": "a", "environment": [{"name": "Z", "value": "1"}, {"name": "A", "value": "2"}],
             "secrets": [{"name": "PORT", "valueFrom": "arn:p"}, {"name": "DATABASE_URL", "valueFrom": "arn:d"}],
             "portMappings": [{"containerPort": 3000}]},
            {"name": "b", "image": "proxy"},
        ]});
        let observed = json!({"cpu": "256", "networkMode": "awsvpc", "revision": 4, "status": "ACTIVE",
        "compatibilities": ["EC2", "FARGATE"], "requiresAttributes": [{"name": "ecs.capability.execution-role-awslogs"}],
        "registeredAt": 1.7e9, "registeredBy": "arn:aws:iam::1:role/deploy", "enableFaultInjection": false,
        "volumes": [], "placementConstraints": [],
        "containerDefinitions": [
            {"name": "b", "image": "proxy", "cpu": 0, "essential": true, "mountPoints": [], "volumesFrom": [], "systemControls": []},
            {"name": "a", "cpu": 0, "essential": true, "versionConsistency": "enabled",
             "environment": [{"name": "A", "value": "2"}, {"name": "Z", "value": "1"}],
             "secrets": [{"name": "DATABASE_URL", "valueFrom": "arn:d"}, {"name": "PORT", "valueFrom": "arn:p"}],
             "portMappings": [{"containerPort": 3000, "hostPort": 3000, "protocol": "tcp"}]},
        ]});
        assert!(same_json(observed, desired));
    }

    #[test]
    fn a_changed_missing_or_extra_value_is_drift() {
        let desired = json!({"cpu": "512", "containerDefinitions": [{"name": "a", "image": "x:2"}]});
        let drifts = [
            json!({"cpu": "256", "containerDefinitions": [{"name": "a", "image": "x:2"}]}),
            json!({"cpu": "512", "containerDefinitions": [{"name": "a", "image": "x:1"}]}),
            json!({"cpu": "512", "containerDefinitions": []}),
            json!({"cpu": "512"}),
            // An extra container, and a field the plan no longer sets (a role, a log configuration).
            json!({"cpu": "512", "containerDefinitions": [{"name": "a", "image": "x:2"}, {"name": "b"}]}),
            json!({"cpu": "512", "taskRoleArn": "arn:role", "containerDefinitions": [{"name": "a", "image": "x:2"}]}),
            json!({"cpu": "512", "containerDefinitions": [{"name": "a", "image": "x:2", "logConfiguration": {"logDriver": "awslogs"}}]}),
            json!({"cpu": "512", "containerDefinitions": [{"name": "a", "image": "x:2", "mountPoints": [{"sourceVolume": "data"}]}]}),
            json!({"cpu": "512", "containerDefinitions": [{"name": "a", "image": "x:2", "essential": false}]}),
        ];
        for observed in drifts {
            assert!(!same_json(observed.clone(), desired.clone()), "{observed}");
        }
        // A key removed from the environment is drift, whatever the order.
        let two = json!({"containerDefinitions": [{"name": "a", "environment": [{"name": "A"}, {"name": "B"}]}]});
        let one = json!({"containerDefinitions": [{"name": "a", "environment": [{"name": "B"}]}]});
        assert!(!same_json(two, one));
    }

    #[test]
    fn an_unset_value_matches_a_field_ecs_leaves_out_or_nulls() {
        for unset in [json!(null), json!([]), json!({}), json!(""), json!(false), json!(0)] {
            assert!(same_json(json!({}), json!({ "field": unset })), "absent vs {unset}");
            assert!(same_json(json!({"field": null}), json!({ "field": unset })), "null vs {unset}");
            assert!(same_json(json!({ "field": unset }), json!({})), "{unset} vs absent");
        }
        for value in [json!(1), json!("x"), json!(true), json!([1]), json!({"a": 1})] {
            assert!(!same_json(json!({}), json!({ "field": value })), "absent vs {value}");
            assert!(!same_json(json!({"field": null}), json!({ "field": value })), "null vs {value}");
            assert!(!same_json(json!({ "field": value }), json!({})), "{value} vs absent");
        }
    }

    #[test]
    fn numbers_and_numeric_strings_compare_by_value() {
        assert!(same_json(json!({"memory": 512}), json!({"memory": "512"})));
        assert!(same_json(json!({"stopTimeout": 30.0}), json!({"stopTimeout": 30})));
        assert!(!same_json(json!({"memory": "1024"}), json!({"memory": 512})));
    }
}
