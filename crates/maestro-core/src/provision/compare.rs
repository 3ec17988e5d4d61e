//! Does a live resource already say what the plan says?
//!
//! AWS returns more than was sent (defaults such as `cpu: 0`, `volumesFrom: []`, `protocol`), so
//! the comparison is "everything maestro sets is there, equal": desired ⊆ observed. An empty
//! list or object in the plan also matches a field AWS leaves out.

use serde_json::Value;

pub fn contains(observed: &Value, desired: &Value) -> bool {
    match (desired, observed) {
        (Value::Object(want), Value::Object(have)) => want.iter().all(|(key, value)| match have.get(key) {
            Some(found) => contains(found, value),
            None => is_empty(value),
        }),
        (Value::Array(want), Value::Array(have)) => {
            want.len() == have.len() && want.iter().zip(have).all(|(value, found)| contains(found, value))
        }
        (Value::Number(want), Value::Number(have)) => want.as_f64() == have.as_f64(),
        // ECS echoes numbers it takes as strings (`cpu`, `memory`) and vice versa.
        (Value::String(want), Value::Number(have)) | (Value::Number(have), Value::String(want)) => {
            want.parse::<f64>().ok() == have.as_f64()
        }
        (want, Value::Null) => is_empty(want),
        (want, have) => want == have,
    }
}

fn is_empty(value: &Value) -> bool {
    match value {
        Value::Null => true,
        Value::Array(items) => items.is_empty(),
        Value::Object(fields) => fields.is_empty(),
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn defaults_added_by_aws_do_not_count_as_drift() {
        let desired = json!({"cpu": "256", "containerDefinitions": [{"name": "a", "environment": [], "portMappings": [{"containerPort": 3000}]}]});
        let observed = json!({"cpu": "256", "revision": 4, "containerDefinitions": [{"name": "a", "cpu": 0, "volumesFrom": [], "portMappings": [{"containerPort": 3000, "protocol": "tcp"}]}]});
        assert!(contains(&observed, &desired));
    }

    #[test]
    fn a_changed_or_missing_value_is_drift() {
        let desired = json!({"cpu": "512", "containerDefinitions": [{"name": "a", "image": "x:2"}]});
        assert!(!contains(&json!({"cpu": "256", "containerDefinitions": [{"name": "a", "image": "x:2"}]}), &desired));
        assert!(!contains(&json!({"cpu": "512", "containerDefinitions": [{"name": "a", "image": "x:1"}]}), &desired));
        assert!(!contains(&json!({"cpu": "512", "containerDefinitions": []}), &desired));
        assert!(!contains(&json!({"cpu": "512"}), &desired));
        // An extra container in AWS is drift too: the lists must match one for one.
        assert!(!contains(
            &json!({"cpu": "512", "containerDefinitions": [{"name": "a", "image": "x:2"}, {"name": "b"}]}),
            &desired
        ));
    }

    #[test]
    fn an_empty_or_null_value_matches_a_field_aws_leaves_out_or_nulls() {
        for empty in [json!(null), json!([]), json!({})] {
            assert!(contains(&json!({}), &json!({ "field": empty })), "absent vs {empty}");
            assert!(contains(&json!({"field": null}), &json!({ "field": empty })), "null vs {empty}");
        }
        for value in [json!(0), json!(""), json!(false), json!([1]), json!({"a": 1})] {
            assert!(!contains(&json!({}), &json!({ "field": value })), "absent vs {value}");
            assert!(!contains(&json!({"field": null}), &json!({ "field": value })), "null vs {value}");
        }
    }

    #[test]
    fn numbers_and_numeric_strings_compare_by_value() {
        assert!(contains(&json!({"memory": 512}), &json!({"memory": "512"})));
        assert!(contains(&json!({"stopTimeout": 30.0}), &json!({"stopTimeout": 30})));
        assert!(!contains(&json!({"memory": "1024"}), &json!({"memory": 512})));
    }
}
