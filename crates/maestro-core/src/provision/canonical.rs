//! A task definition in one canonical form, so that the revision maestro renders and the one
//! ECS describes compare equal when they define the same thing.
//!
//! ECS keeps neither the order of the lists it is sent nor their missing defaults: it returns
//! `environment`, `secrets` and containers in an order of its own, and fills in `essential`, a
//! port's `protocol` and, in awsvpc mode, its `hostPort`. terraform-provider-aws normalises the
//! same way before it compares (`internal/service/ecs/container_definitions.go`: "Deal with
//! fields which may be re-ordered in the API"), as does ecspresso (`sortTaskDefinition`).

use std::cmp::Ordering;

use serde_json::{Map, Value, json};

/// Lists whose order ECS does not keep, with the field that tells their elements apart (and a
/// second one for the rare tie: one volume mounted twice, one port on two protocols).
pub(crate) const KEYED_LISTS: &[(&str, &str, &str)] = &[
    ("containerDefinitions", "name", ""),
    ("environment", "name", ""),
    ("secrets", "name", ""),
    ("secretOptions", "name", ""),
    ("volumes", "name", ""),
    ("mountPoints", "sourceVolume", "containerPath"),
    ("portMappings", "containerPort", "protocol"),
    ("volumesFrom", "sourceContainer", ""),
    ("ulimits", "name", ""),
    ("extraHosts", "hostname", ""),
    ("systemControls", "namespace", ""),
    ("dependsOn", "containerName", ""),
    ("environmentFiles", "value", ""),
    ("resourceRequirements", "type", ""),
    ("placementConstraints", "expression", ""),
];

/// Lists of names whose order means nothing.
const SETS: &[&str] = &["requiresCompatibilities"];

/// `definition` with its unordered lists sorted and the defaults ECS fills in made explicit.
pub fn task_definition(definition: &Map<String, Value>) -> Map<String, Value> {
    let awsvpc = definition.get("networkMode").and_then(Value::as_str) == Some("awsvpc");
    let mut canonical = definition.clone();
    if let Some(containers) = canonical.get_mut("containerDefinitions").and_then(Value::as_array_mut) {
        for container in containers.iter_mut().filter_map(Value::as_object_mut) {
            container_defaults(container, awsvpc);
        }
    }
    let mut value = Value::Object(canonical);
    sort_lists(&mut value);
    match value {
        Value::Object(map) => map,
        _ => Map::new(),
    }
}

/// The defaults ECS gives a container and its port mappings (RegisterTaskDefinition: `essential`
/// "defaults to true"; `protocol` "the default is tcp"; in awsvpc mode `hostPort` "must be the
/// same value as the containerPort", and ECS echoes it; `versionConsistency` "By default, the
/// value is enabled").
fn container_defaults(container: &mut Map<String, Value>, awsvpc: bool) {
    container.entry("essential").or_insert(json!(true));
    container.entry("versionConsistency").or_insert(json!("enabled"));
    if let Some(mappings) = container.get_mut("portMappings").and_then(Value::as_array_mut) {
        for mapping in mappings.iter_mut().filter_map(Value::as_object_mut) {
            mapping.entry("protocol").or_insert(json!("tcp"));
            if awsvpc && let Some(port) = mapping.get("containerPort").cloned() {
                mapping.entry("hostPort").or_insert(port);
            }
        }
    }
}

fn sort_lists(value: &mut Value) {
    match value {
        Value::Object(map) => {
            for (key, item) in map.iter_mut() {
                sort_lists(item);
                let Value::Array(list) = item else { continue };
                if let Some((_, first, second)) = KEYED_LISTS.iter().find(|(name, ..)| name == key) {
                    list.sort_by(|a, b| by_field(a, b, first).then_with(|| by_field(a, b, second)));
                } else if SETS.contains(&key.as_str()) {
                    list.sort_by_key(ToString::to_string);
                }
            }
        }
        Value::Array(list) => list.iter_mut().for_each(sort_lists),
        _ => {}
    }
}

/// Compares two elements by one field, written as text (a port may come as `3000` or `"3000"`).
fn by_field(a: &Value, b: &Value, field: &str) -> Ordering {
    let text = |value: &Value| match value.get(field) {
        Some(Value::String(text)) => text.clone(),
        Some(other) => other.to_string(),
        None => String::new(),
    };
    text(a).cmp(&text(b))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn object(value: Value) -> Map<String, Value> {
        match value {
            Value::Object(map) => map,
            other => panic!("not an object: {other}"),
        }
    }

    #[test]
    fn unordered_lists_are_sorted_by_their_key_at_every_depth() {
        let definition = object(json!({
            "requiresCompatibilities": ["FARGATE", "EC2"],
            "volumes": [{"name": "b"}, {"name": "a"}],
            "containerDefinitions": [
                {"name": "web", "environment": [{"name": "Z"}, {"name": "A"}], "mountPoints": [
                    {"sourceVolume": "a", "containerPath": "/y"}, {"sourceVolume": "a", "containerPath": "/x"}]},
                {"name": "proxy", "secrets": [{"name": "TOKEN"}, {"name": "KEY"}], "command": ["b", "a"]},
            ],
        }));
        let canonical = task_definition(&definition);
        assert_eq!(canonical["requiresCompatibilities"], json!(["EC2", "FARGATE"]));
        assert_eq!(canonical["volumes"], json!([{"name": "a"}, {"name": "b"}]));
        let containers = &canonical["containerDefinitions"];
        assert_eq!((&containers[0]["name"], &containers[1]["name"]), (&json!("proxy"), &json!("web")));
        assert_eq!(containers[0]["secrets"], json!([{"name": "KEY"}, {"name": "TOKEN"}]));
        assert_eq!(containers[0]["command"], json!(["b", "a"]), "a command's order is its meaning");
        assert_eq!(containers[1]["environment"], json!([{"name": "A"}, {"name": "Z"}]));
        assert_eq!(containers[1]["mountPoints"][0]["containerPath"], "/x");
    }

    #[test]
    fn the_defaults_ecs_fills_in_are_made_explicit() {
        let awsvpc = object(json!({"networkMode": "awsvpc", "containerDefinitions": [
            {"name": "web", "portMappings": [{"containerPort": 3000}]},
            {"name": "sidecar", "essential": false, "portMappings": [{"containerPort": 53, "hostPort": 53, "protocol": "udp"}]},
        ]}));
        let canonical = task_definition(&awsvpc);
        assert_eq!(canonical["containerDefinitions"][1]["essential"], true);
        assert_eq!(
            canonical["containerDefinitions"][1]["portMappings"],
            json!([{"containerPort": 3000, "hostPort": 3000, "protocol": "tcp"}])
        );
        assert_eq!(canonical["containerDefinitions"][0]["essential"], false, "a value written stays");
        assert_eq!(canonical["containerDefinitions"][0]["portMappings"][0]["protocol"], "udp");
        let bridge = object(
            json!({"networkMode": "bridge", "containerDefinitions": [{"name": "web", "portMappings": [{"containerPort": 3000}]}]}),
        );
        assert!(task_definition(&bridge)["containerDefinitions"][0]["portMappings"][0].get("hostPort").is_none());
    }
}
