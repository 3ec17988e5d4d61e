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
