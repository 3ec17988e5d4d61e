use std::collections::BTreeMap;

use serde_json::json;

use super::*;
use crate::app::App;
use crate::ci::{Ci, CiFacts};
use crate::env::Env;
use crate::plan::plan;
use crate::provision::observed::{
    ObservedCluster, ObservedListener, ObservedListenerRule, ObservedLoadBalancer, ObservedLogGroup,
    ObservedScalableTarget, ObservedScalingPolicy, ObservedService, ObservedTargetGroup, ObservedTaskDefinition,
};
use crate::request::{DeployRequest, Need};
use crate::settings::Settings;
use crate::spec::procfile;

fn desired() -> DesiredState {
    let env = Env::from_process([
        ("MAESTRO_REPO_OVERRIDE", "acme/shop-api"),
        ("MAESTRO_BRANCH_OVERRIDE", "staging"),
        ("MAESTRO_COMMIT_OVERRIDE", "3f2a9c1d7e4b5a6c"),
        ("AWS_ACCOUNT_ID", "123456789012"),
        ("AWS_REGION", "us-east-1"),
        ("WORKLOAD_RESOURCE_TAGS", "team=shop"),
        ("ECS_SERVICE_TASK_PROCESSES", "web:2-4,worker:3"),
        ("ECS_SERVICE_SUBNETS", "subnet-a1,subnet-b2"),
        ("ECS_SERVICE_SECURITY_GROUPS", "sg-1"),
        ("ALB_SUBNETS", "subnet-a1,subnet-b2"),
        ("ALB_SECURITY_GROUPS", "sg-2"),
    ]);
    let request = DeployRequest::resolve(&env, Ci::Local, CiFacts::default(), Need::Offline).unwrap();
    let app = App {
        procfile: procfile::parse("Procfile", "web: bin/web\nworker: bin/worker\n").unwrap(),
        procfile_path: "Procfile".into(),
        schedule_file: None,
        project_builder: None,
        base_task_definitions: BTreeMap::new(),
        source_dir: ".".into(),
    };
    let planned = plan(&request, &request.target().unwrap(), &Settings::from_env(&env).unwrap(), &app).unwrap();
    planned.bind(&request.account().unwrap())
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
                container.as_object_mut().unwrap().entry("cpu").or_insert(json!(0));
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
        load_balancer: Some(ObservedLoadBalancer {
            rules: Vec::new(),
            name: "acme-shop-api-staging".into(),
            arn: "arn:lb".into(),
            dns_name: "shop.elb.example".into(),
            scheme: "internet-facing".into(),
            subnets: vec!["subnet-b2".into(), "subnet-a1".into()],
            security_groups: vec!["sg-2".into()],
            listeners: vec![ObservedListener {
                arn: "arn:listener".into(),
                port: 80,
                protocol: "HTTP".into(),
                forwards_to: vec!["arn:tg".into()],
                redirects_to_https: false,
                certificates: Vec::new(),
            }],
        }),
        target_group: Some(ObservedTargetGroup {
            name: "acme-shop-api-staging".into(),
            arn: "arn:tg".into(),
            port: 3000,
            health_check_path: "/".into(),
            deregistration_delay: Some(30),
        }),
        services: desired
            .services
            .iter()
            .map(|service| {
                let live = ObservedService {
                    arn: format!("arn:service/{}", service.name),
                    task_definition: format!("arn:{}:3", service.task_definition),
                    desired_count: if service.process == "web" { 3 } else { service.desired_count },
                    subnets: service.network.subnets.clone(),
                    security_groups: service.network.security_groups.clone(),
                    assign_public_ip: false,
                    circuit_breaker: Some((true, true)),
                    execute_command: true,
                    propagate_tags: "TASK_DEFINITION".into(),
                    load_balancers: if service.load_balanced {
                        vec![("arn:tg".into(), "acme-shop-api".into(), 3000)]
                    } else {
                        Vec::new()
                    },
                    tags: resource_tags(desired),
                };
                (service.name.clone(), Some(live))
            })
            .collect(),
        orphaned_services: Vec::new(),
        scalable_targets: desired
            .services
            .iter()
            .filter_map(|service| {
                let resource_id = service.scalable_target.clone()?;
                Some((resource_id.clone(), ObservedScalableTarget { resource_id, min: service.min, max: service.max? }))
            })
            .collect(),
        scaling_policies: desired
            .services
            .iter()
            .flat_map(|service| {
                service.scaling.iter().map(|policy| ObservedScalingPolicy {
                    name: policy.policy_name.clone(),
                    resource_id: service.scalable_target.clone().unwrap_or_default(),
                    metric_type: policy.predefined_metric_type.clone(),
                    target: policy.target,
                    disable_scale_in: policy.disable_scale_in,
                    resource_label: None,
                    scale_in_cooldown: Some(60),
                    scale_out_cooldown: Some(120),
                })
            })
            .collect(),
        rules: BTreeMap::new(),
    }
}

#[test]
fn nothing_exists_so_everything_is_created() {
    let desired = desired();
    let actions = diff(&desired, &Observed::default(), Options::default()).actions;
    let names: Vec<String> = actions.iter().map(ToString::to_string).collect();
    assert_eq!(
        names,
        [
            "create cluster acme-shop-api-staging",
            "create log group /ecs/acme-shop-api-staging-web",
            "create log group /ecs/acme-shop-api-staging-worker",
            "create load balancer acme-shop-api-staging (internet-facing)",
            "create target group acme-shop-api-staging (port 3000)",
            "register a new revision of task definition acme-shop-api-staging-web",
            "register a new revision of task definition acme-shop-api-staging-worker",
            "create listener HTTP:80 on acme-shop-api-staging forwarding to acme-shop-api-staging",
            "create service acme-shop-api-staging-web",
            "create service acme-shop-api-staging-worker",
            "scale service/acme-shop-api-staging/acme-shop-api-staging-web between 2 and 4 tasks",
            "put scaling policy acme-shop-api-staging-web-cpu-scaling-policy (target 55)",
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
    assert_eq!(diff(&desired, &converged(&desired), Options::default()).actions, []);
}

#[test]
fn only_what_differs_changes() {
    let desired = desired();
    let mut observed = converged(&desired);
    // A new secret key changes every task definition; a lost log group is created again.
    observed.secret.as_mut().unwrap().keys.push("NEW_KEY".into());
    observed.log_groups.insert("/ecs/acme-shop-api-staging-worker".into(), None);
    let names: Vec<String> =
        diff(&desired, &observed, Options::default()).actions.iter().map(ToString::to_string).collect();
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
fn service_drift_is_named_and_autoscaled_counts_are_left_alone() {
    let desired = desired();
    let mut observed = converged(&desired);
    let worker = observed.services.get_mut("acme-shop-api-staging-worker").unwrap().as_mut().unwrap();
    worker.desired_count = 1;
    worker.circuit_breaker = None;
    worker.subnets = vec!["subnet-zz".into()];
    let names: Vec<String> =
        diff(&desired, &observed, Options::default()).actions.iter().map(ToString::to_string).collect();
    // `web` autoscales (2-4) and runs 3 tasks: the autoscaler's count is not drift.
    assert_eq!(
        names,
        [
            "update service acme-shop-api-staging-worker (3 tasks instead of 1, network configuration, deployment circuit breaker)"
        ]
    );
}

#[test]
fn load_balancer_drift_and_what_cannot_change() {
    let desired = desired();
    let mut observed = converged(&desired);
    let group = observed.target_group.as_mut().unwrap();
    group.deregistration_delay = Some(300);
    group.port = 8080;
    observed.load_balancer.as_mut().unwrap().listeners[0].forwards_to = vec!["arn:someone-else".into()];
    observed.orphaned_services = vec!["acme-shop-api-staging-clock".into()];
    let diff = diff(&desired, &observed, Options::default());
    let names: Vec<String> = diff.actions.iter().map(ToString::to_string).collect();
    assert_eq!(
        names,
        [
            "set target group acme-shop-api-staging's health check to / and its deregistration delay to 30s",
            "forward listener HTTP:80 to acme-shop-api-staging",
        ]
    );
    assert!(diff.warnings[0].contains("listens on port 8080, not PORT 3000"), "{:?}", diff.warnings);
    assert!(
        diff.warnings[1].contains("service acme-shop-api-staging-clock is no longer in the plan"),
        "{:?}",
        diff.warnings
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
    let actions = diff(&desired, &observed, Options::default()).actions;
    let Action::PutClusterCapacityProviders { capacity_providers, .. } = &actions[0] else { panic!("{actions:?}") };
    assert_eq!(capacity_providers, &["FARGATE", "my-asg-provider", "FARGATE_SPOT"]);
    let Action::TagResource { tags, .. } = &actions[1] else { panic!("{actions:?}") };
    assert_eq!(tags.len(), 2, "only the tags maestro sets, never removing `owner`");
}

#[test]
fn removed_metrics_and_ranges_are_cleaned_up_and_cooldowns_kept() {
    let desired = desired();
    let mut observed = converged(&desired);
    let web = "service/acme-shop-api-staging/acme-shop-api-staging-web";
    let worker = "service/acme-shop-api-staging/acme-shop-api-staging-worker";
    // `mem` was configured before; the worker used to autoscale; someone added their own policy.
    let mut stale = observed.scaling_policies[0].clone();
    stale.name = "acme-shop-api-staging-web-mem-scaling-policy".into();
    let mut foreign = observed.scaling_policies[0].clone();
    foreign.name = "ops-step-policy".into();
    observed.scaling_policies[0].target = 70.0;
    observed.scaling_policies.extend([stale, foreign]);
    observed
        .scalable_targets
        .insert(worker.into(), ObservedScalableTarget { resource_id: worker.into(), min: 1, max: 3 });
    let actions = diff(&desired, &observed, Options::default()).actions;
    let names: Vec<String> = actions.iter().map(ToString::to_string).collect();
    assert_eq!(
        names,
        [
            "delete scaling policy acme-shop-api-staging-web-mem-scaling-policy",
            "put scaling policy acme-shop-api-staging-web-cpu-scaling-policy (target 55)",
            format!("stop autoscaling {worker}").as_str(),
        ]
    );
    let Action::PutScalingPolicy(policy) = &actions[1] else { panic!() };
    assert_eq!((policy.scale_in_cooldown, policy.scale_out_cooldown, policy.resource_id.as_str()), (60, 120, web));
}

fn scheduled(desired: &mut DesiredState, name: &str, command: &str) {
    desired.schedules.push(crate::plan::desired::ScheduledTask {
        name: name.into(),
        rule: format!("2b419b-{name}"),
        expression: "rate(1 hour)".into(),
        command: command.into(),
        task_definition: "acme-shop-api-staging-web".into(),
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
            launch_type: String::new(),
            subnets: Vec::new(),
            security_groups: Vec::new(),
            assign_public_ip: false,
            propagate_tags: String::new(),
        }],
    };
    observed.rules.insert("2b419b-gone".into(), rule("2b419b-gone", resource_tags(&desired)));
    observed.rules.insert("2b419b-theirs".into(), rule("2b419b-theirs", Vec::new()));
    let diff = diff(&desired, &observed, Options::default());
    let names: Vec<String> = diff.actions.iter().map(ToString::to_string).collect();
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
}

#[test]
fn orphaned_services_are_deleted_only_with_prune() {
    let desired = desired();
    let mut observed = converged(&desired);
    observed.orphaned_services = vec!["acme-shop-api-staging-clock".into()];
    assert!(diff(&desired, &observed, Options::default()).actions.is_empty());
    let pruned = diff(&desired, &observed, Options { prune: true });
    let names: Vec<String> = pruned.actions.iter().map(ToString::to_string).collect();
    assert_eq!(names, ["delete service acme-shop-api-staging-clock (no longer planned)"]);
}

#[test]
fn log_retention_is_set_only_when_configured() {
    let mut desired = desired();
    let observed = converged(&desired);
    assert!(diff(&desired, &observed, Options::default()).actions.is_empty(), "unset leaves retention alone");
    desired.log_retention_days = Some(30);
    let names: Vec<String> =
        diff(&desired, &observed, Options::default()).actions.iter().map(ToString::to_string).collect();
    assert_eq!(
        names,
        [
            "keep the events of log group /ecs/acme-shop-api-staging-web for 30 days",
            "keep the events of log group /ecs/acme-shop-api-staging-worker for 30 days",
        ]
    );
}

#[test]
fn the_default_capacity_provider_can_be_on_demand() {
    let desired = desired();
    let mut on_demand = desired.clone();
    on_demand.cluster.default_capacity_provider_strategy[0].capacity_provider = "FARGATE".into();
    let names: Vec<String> =
        diff(&on_demand, &converged(&desired), Options::default()).actions.iter().map(ToString::to_string).collect();
    assert_eq!(names, ["set the capacity providers of cluster acme-shop-api-staging to FARGATE, FARGATE_SPOT"]);
}

#[test]
fn a_certificate_adds_https_and_redirects_http() {
    let mut desired = desired();
    let certificate = "arn:aws:acm:us-east-1:123456789012:certificate/abc".to_owned();
    let balancer = desired.load_balancer.as_mut().unwrap();
    balancer.certificate_arn = Some(certificate.clone());
    balancer.listener = crate::plan::desired::Listener { protocol: "HTTPS".into(), port: 443 };
    let mut observed = converged(&desired);
    // Today's app listens on HTTP:80 forwarding to its target group (converged() says so).
    let names: Vec<String> =
        diff(&desired, &observed, Options::default()).actions.iter().map(ToString::to_string).collect();
    assert_eq!(
        names,
        [
            "create listener HTTPS:443 on acme-shop-api-staging forwarding to acme-shop-api-staging",
            "redirect listener HTTP:80 to HTTPS",
        ]
    );
    let listeners = &mut observed.load_balancer.as_mut().unwrap().listeners;
    listeners[0].redirects_to_https = true;
    listeners[0].forwards_to.clear();
    listeners.push(ObservedListener {
        arn: "arn:listener-443".into(),
        port: 443,
        protocol: "HTTPS".into(),
        forwards_to: vec!["arn:tg".into()],
        redirects_to_https: false,
        certificates: vec![certificate],
    });
    assert!(diff(&desired, &observed, Options::default()).actions.is_empty());
}

#[test]
fn a_shared_load_balancer_gets_a_host_rule_at_the_first_free_priority() {
    let mut desired = desired();
    let balancer = desired.load_balancer.as_mut().unwrap();
    balancer.shared = true;
    balancer.name = "shared".into();
    let mut observed = converged(&desired);
    observed.load_balancer.as_mut().unwrap().rules = vec![
        ObservedListenerRule {
            arn: "arn:rule/1".into(),
            priority: Some(1),
            hosts: vec!["other.example.com".into()],
            forwards_to: vec!["arn:other".into()],
        },
        ObservedListenerRule {
            arn: "arn:rule/default".into(),
            priority: None,
            hosts: Vec::new(),
            forwards_to: Vec::new(),
        },
    ];
    let without_host = diff(&desired, &observed, Options::default());
    assert!(without_host.actions.is_empty());
    assert!(
        without_host.warnings.iter().any(|warning| warning.contains("MAESTRO_HOST is unset")),
        "{:?}",
        without_host.warnings
    );

    desired.load_balancer.as_mut().unwrap().host = Some("staging.shop.example.com".into());
    let names: Vec<String> =
        diff(&desired, &observed, Options::default()).actions.iter().map(ToString::to_string).collect();
    assert_eq!(
        names,
        ["route host staging.shop.example.com to acme-shop-api-staging on the shared load balancer (rule priority 2)"]
    );

    observed.load_balancer.as_mut().unwrap().rules.push(ObservedListenerRule {
        arn: "arn:rule/2".into(),
        priority: Some(2),
        hosts: vec!["staging.shop.example.com".into()],
        forwards_to: vec!["arn:tg".into()],
    });
    assert!(
        diff(&desired, &observed, Options::default()).actions.is_empty(),
        "the listeners of a shared load balancer are never touched"
    );
}

#[test]
fn stop_pauses_what_runs_and_the_next_deploy_restores_it() {
    let desired = desired();
    let mut observed = converged(&desired);
    let names: Vec<String> =
        crate::provision::stop::actions(&desired, &observed).iter().map(ToString::to_string).collect();
    // The autoscaler's bounds first (stage 3), or it would scale web straight back up.
    assert_eq!(
        names,
        [
            "scale service/acme-shop-api-staging/acme-shop-api-staging-web between 0 and 0 tasks",
            "scale service acme-shop-api-staging-web to 0 tasks",
            "scale service acme-shop-api-staging-worker to 0 tasks",
        ]
    );

    // Once stopped, stopping again changes nothing, and a deploy brings back bounds and counts.
    for live in observed.services.values_mut().flatten() {
        live.desired_count = 0;
    }
    for target in observed.scalable_targets.values_mut() {
        (target.min, target.max) = (0, 0);
    }
    assert_eq!(crate::provision::stop::actions(&desired, &observed), []);
    let names: Vec<String> =
        diff(&desired, &observed, Options::default()).actions.iter().map(ToString::to_string).collect();
    assert_eq!(
        names,
        [
            "update service acme-shop-api-staging-worker (3 tasks instead of 0)",
            "scale service/acme-shop-api-staging/acme-shop-api-staging-web between 2 and 4 tasks",
        ]
    );
}
