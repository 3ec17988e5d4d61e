//! A base file's own arrays and sizes, as the renderer reads and edits them.

use serde_json::{Map, Value, json};

use super::*;

fn object(value: Value) -> Map<String, Value> {
    match value {
        Value::Object(map) => map,
        other => panic!("not an object: {other}"),
    }
}

#[test]
fn upsert_replaces_the_matching_element_and_keeps_the_others() {
    let mut document = object(json!({"volumes": [
        {"name": "logs", "host": {}},
        {"name": "data", "efsVolumeConfiguration": {"fileSystemId": "fs-old"}},
    ]}));
    upsert(&mut document, "volumes", "name", "data", json!({"name": "data", "efs": "fs-new"}));
    upsert(&mut document, "volumes", "name", "cache", json!({"name": "cache"}));
    assert_eq!(
        document["volumes"],
        json!([{"name": "logs", "host": {}}, {"name": "data", "efs": "fs-new"}, {"name": "cache"}])
    );
}

#[test]
fn upsert_starts_the_array_when_it_is_absent_or_not_an_array() {
    let mut document = object(json!({"volumes": "none"}));
    upsert(&mut document, "volumes", "name", "data", json!({"name": "data"}));
    upsert(&mut document, "mountPoints", "sourceVolume", "data", json!({"sourceVolume": "data"}));
    assert_eq!(
        Value::Object(document),
        json!({"volumes": [{"name": "data"}], "mountPoints": [{"sourceVolume": "data"}]})
    );
}

#[test]
fn a_base_files_size_in_numbers_units_or_strings() {
    let size = |document: Value| base_size(&object(document), "task-definition-web.json");
    assert_eq!(size(json!({"cpu": 1024, "memory": 2048})), Ok(Some(TaskSize { cpu: 1024, memory: 2048 })));
    assert_eq!(size(json!({"cpu": "512", "memory": "1024"})), Ok(Some(TaskSize { cpu: 512, memory: 1024 })));
    assert_eq!(size(json!({"cpu": "0.5 vcpu", "memory": "1 gb"})), Ok(Some(TaskSize { cpu: 512, memory: 1024 })));
    assert_eq!(size(json!({})), Ok(None));
}

#[test]
fn a_size_in_the_wrong_unit_is_refused() {
    let size = |document: Value| base_size(&object(document), "task-definition-web.json").unwrap_err();
    let error = size(json!({"cpu": "1 GB", "memory": "2 GB"}));
    assert_eq!(*error.location, Location::file("task-definition-web.json"));
    assert_eq!(error.message, "`cpu` is \"1 GB\", not a size");
    assert_eq!(error.hint, "write `cpu` as a number such as \"1024\"");
    assert_eq!(size(json!({"cpu": "1 vCPU", "memory": "2 vCPU"})).message, "`memory` is \"2 vCPU\", not a size");
    assert_eq!(size(json!({"cpu": -1, "memory": 512})).message, "`cpu` is -1, not a size");
    assert_eq!(size(json!({"cpu": 256})).message, "sets only one of `cpu` and `memory`");
}
