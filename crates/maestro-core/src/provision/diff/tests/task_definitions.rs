//! Task definitions: registered when they differ, their secrets referenced by ARN.

use super::*;

#[test]
fn only_what_differs_changes() {
    let desired = desired();
    let mut observed = converged(&desired);
    // A new secret key changes every task definition; a lost log group is created again.
    observed.secret.as_mut().unwrap().keys.push("NEW_KEY".into());
    observed.log_groups.insert("/ecs/acme-shop-api-staging-worker".into(), None);
    let names = changes(&desired, &observed);
    assert_eq!(
        names,
        [
            "create log group /ecs/acme-shop-api-staging-worker",
            "register a new revision of task definition acme-shop-api-staging-web",
            "register a new revision of task definition acme-shop-api-staging-worker",
            "register a new revision of task definition acme-shop-api-staging-launcher",
            "update service acme-shop-api-staging-web (new task definition revision)",
            "update service acme-shop-api-staging-worker (new task definition revision)",
        ]
    );
}

#[test]
fn secrets_are_references_never_values() {
    let desired = desired();
    let secret = ObservedSecret { arn: SECRET_ARN.into(), keys: vec!["DATABASE_URL".into()] };
    let rendered = render_with_secrets(&desired.task_definitions[0], Some(&secret));
    assert_eq!(
        rendered["containerDefinitions"][0]["secrets"],
        json!([{"name": "DATABASE_URL", "valueFrom": format!("{SECRET_ARN}:DATABASE_URL::")}])
    );
}

#[test]
fn ecs_order_and_defaults_are_not_drift() {
    let desired = desired();
    let mut observed = converged(&desired);
    observed.secret.as_mut().unwrap().keys.reverse();
    for live in observed.task_definitions.values_mut().flatten() {
        let containers = live.definition["containerDefinitions"].as_array_mut().unwrap();
        for container in containers.iter_mut() {
            container["secrets"].as_array_mut().unwrap().reverse();
            container["essential"] = json!(true);
            container["versionConsistency"] = json!("enabled");
            for mapping in container["portMappings"].as_array_mut().into_iter().flatten() {
                mapping["protocol"] = json!("tcp");
                mapping["hostPort"] = mapping["containerPort"].clone();
            }
        }
        live.definition.insert("requiresAttributes".into(), json!([{"name": "ecs.capability.execution-role-awslogs"}]));
        live.definition.insert("enableFaultInjection".into(), json!(false));
    }
    assert_eq!(changes(&desired, &observed), Vec::<String>::new());
}

#[test]
fn what_maestro_no_longer_sets_is_drift() {
    let desired = desired();
    // The live revision still has a volume, a mount and its logs: EFS and logs were turned off since.
    let mut observed = converged(&desired);
    let web = observed.task_definitions.get_mut("acme-shop-api-staging-web").unwrap().as_mut().unwrap();
    web.definition
        .insert("volumes".into(), json!([{"name": "data", "efsVolumeConfiguration": {"fileSystemId": "fs-1"}}]));
    web.definition["containerDefinitions"][0]["mountPoints"] =
        json!([{"sourceVolume": "data", "containerPath": "/data"}]);
    let worker = observed.task_definitions.get_mut("acme-shop-api-staging-worker").unwrap().as_mut().unwrap();
    worker.definition["containerDefinitions"][0]["healthCheck"] = json!({"command": ["CMD", "true"]});
    assert_eq!(
        changes(&desired, &observed),
        [
            "register a new revision of task definition acme-shop-api-staging-web",
            "register a new revision of task definition acme-shop-api-staging-worker",
            "update service acme-shop-api-staging-web (new task definition revision)",
            "update service acme-shop-api-staging-worker (new task definition revision)",
        ]
    );
}

#[test]
fn secrets_are_registered_in_name_order() {
    let desired = desired();
    let secret = ObservedSecret { arn: SECRET_ARN.into(), keys: vec!["PORT".into(), "DATABASE_URL".into()] };
    let rendered = render_with_secrets(&desired.task_definitions[0], Some(&secret));
    let names: Vec<&str> = rendered["containerDefinitions"][0]["secrets"]
        .as_array()
        .unwrap()
        .iter()
        .map(|secret| secret["name"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["DATABASE_URL", "PORT"]);
}
