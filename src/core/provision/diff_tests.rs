use std::collections::BTreeMap;

use serde_json::json;

use super::*;
use crate::core::app::App;
use crate::core::ci::{Ci, CiFacts};
use crate::core::env::Env;
use crate::core::plan::plan;
use crate::core::provision::observed::{ObservedCluster, ObservedLogGroup, ObservedTaskDefinition};
use crate::core::request::{DeployRequest, Need};
use crate::core::settings::Settings;
use crate::core::spec::procfile;

fn desired() -> DesiredState {
    let env = Env::from_process([
        ("MAESTRO_REPO_OVERRIDE", "acme/shop-api"),
        ("MAESTRO_BRANCH_OVERRIDE", "staging"),
        ("MAESTRO_COMMIT_OVERRIDE", "3f2a9c1d7e4b5a6c"),
        ("AWS_ACCOUNT_ID", "123456789012"),
        ("AWS_REGION", "us-east-1"),
        ("WORKLOAD_RESOURCE_TAGS", "team=shop"),
    ]);
    let request = DeployRequest::resolve(&env, Ci::Local, CiFacts::default(), Need::Target).unwrap();
    let app = App {
        procfile: procfile::parse("Procfile", "web: bin/web\nworker: bin/worker\n").unwrap(),
        procfile_path: "Procfile".into(),
        schedule_file: None,
        project_builder: None,
        base_task_definitions: BTreeMap::new(),
        source_dir: ".".into(),
    };
    plan(&request, &request.target().unwrap(), &Settings::from_env(&env).unwrap(), &app).unwrap()
}

const SECRET_ARN: &str = "arn:aws:secretsmanager:us-east-1:123456789012:secret:staging/acme-shop-api-AbCdEf";

/// What AWS would hold after maestro applied `desired`, with the defaults AWS adds.
fn converged(desired: &DesiredState) -> Observed {
    let secret = ObservedSecret { arn: SECRET_ARN.into(), keys: vec!["DATABASE_URL".into(), "PORT".into()] };
    let task_definitions = desired
        .task_definitions
        .iter()
        .map(|definition| {
            let mut live = render_with_secrets(definition, Some(&secret));
            live.insert("revision".into(), json!(3));
            live.insert("status".into(), json!("ACTIVE"));
            for container in live["containerDefinitions"].as_array_mut().unwrap() {
                container["cpu"] = json!(0);
                container["volumesFrom"] = json!([]);
            }
            (
                definition.family.clone(),
                Some(ObservedTaskDefinition { arn: format!("arn:{}:3", definition.family), definition: live }),
            )
        })
        .collect();
    Observed {
        cluster: Some(ObservedCluster {
            arn: "arn:aws:ecs:us-east-1:123456789012:cluster/acme-shop-api-staging".into(),
            capacity_providers: vec!["FARGATE".into(), "FARGATE_SPOT".into()],
            default_strategy: vec![("FARGATE_SPOT".into(), 1)],
            tags: resource_tags(desired),
        }),
        log_groups: desired
            .log_groups
            .iter()
            .map(|name| (name.clone(), Some(ObservedLogGroup { arn: format!("arn:{name}"), retention_days: None })))
            .collect(),
        task_definitions,
        secret: Some(secret),
    }
}

#[test]
fn nothing_exists_so_everything_is_created() {
    let desired = desired();
    let actions = actions(&desired, &Observed::default());
    let names: Vec<String> = actions.iter().map(ToString::to_string).collect();
    assert_eq!(
        names,
        [
            "create cluster acme-shop-api-staging",
            "create log group /ecs/acme-shop-api-staging-web",
            "create log group /ecs/acme-shop-api-staging-worker",
            "register a new revision of task definition acme-shop-api-staging-web",
            "register a new revision of task definition acme-shop-api-staging-worker",
        ]
    );
    let Action::CreateCluster { tags, .. } = &actions[0] else { panic!() };
    assert_eq!(
        tags.iter().map(|tag| format!("{}={}", tag.key, tag.value)).collect::<Vec<_>>(),
        ["team=shop", "maestro:app=acme-shop-api-staging"]
    );
}

#[test]
fn a_converged_app_needs_no_action() {
    let desired = desired();
    assert_eq!(actions(&desired, &converged(&desired)), []);
}

#[test]
fn only_what_differs_changes() {
    let desired = desired();
    let mut observed = converged(&desired);
    // A new secret key changes every task definition; a lost log group is created again.
    observed.secret.as_mut().unwrap().keys.push("NEW_KEY".into());
    observed.log_groups.insert("/ecs/acme-shop-api-staging-worker".into(), None);
    let names: Vec<String> = actions(&desired, &observed).iter().map(ToString::to_string).collect();
    assert_eq!(
        names,
        [
            "create log group /ecs/acme-shop-api-staging-worker",
            "register a new revision of task definition acme-shop-api-staging-web",
            "register a new revision of task definition acme-shop-api-staging-worker",
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
fn an_adopted_cluster_keeps_other_providers_and_tags() {
    let desired = desired();
    let mut observed = converged(&desired);
    let cluster = observed.cluster.as_mut().unwrap();
    cluster.capacity_providers = vec!["FARGATE".into(), "my-asg-provider".into()];
    cluster.tags = vec![Tag { key: "owner".into(), value: "ops".into() }];
    let actions = actions(&desired, &observed);
    let Action::PutClusterCapacityProviders { capacity_providers, .. } = &actions[0] else { panic!("{actions:?}") };
    assert_eq!(capacity_providers, &["FARGATE", "my-asg-provider", "FARGATE_SPOT"]);
    let Action::TagResource { tags, .. } = &actions[1] else { panic!("{actions:?}") };
    assert_eq!(tags.len(), 2, "only the tags maestro sets, never removing `owner`");
}
