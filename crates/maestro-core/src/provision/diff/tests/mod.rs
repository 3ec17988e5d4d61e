//! The diff, one file per concern; here, the fixtures they share: a planned app and what AWS
//! holds once it is deployed.

mod adoption;
mod autoscaling;
mod cluster;
mod destroy;
mod identity;
mod image_digest;
mod load_balancer;
mod ownership;
mod preflight;
mod review;
mod review_fields;
mod rollback_alarm;
mod schedules;
mod services;
mod stop;
mod task_definitions;
mod traffic;

use std::collections::{BTreeMap, BTreeSet};

use serde_json::json;

use super::*;
use crate::app::App;
use crate::ci::{Ci, CiFacts};
use crate::env::Env;
use crate::plan::aws_values::{CapacityProvider, ListenerProtocol, PropagateTags, Scheme};
use crate::plan::plan;
use crate::provision::observed::{
    LiveRollout, LoadBalancerAttachment, ObservedCluster, ObservedListener, ObservedListenerRule, ObservedLoadBalancer,
    ObservedLogGroup, ObservedScalableTarget, ObservedScalingPolicy, ObservedService, ObservedServiceConnect,
    ObservedTargetGroup, ObservedTaskDefinition,
};
use crate::provision::rollback_alarm::{ObservedAlarm, wanted};
use crate::request::{DeployRequest, Need};
use crate::settings::Settings;
use crate::spec::circuit_breaker::CircuitBreaker;
use crate::spec::procfile;

fn desired() -> DesiredState {
    desired_with(&[])
}

/// The fixture's plan with `extra` variables set too.
fn desired_with(extra: &[(&str, &str)]) -> DesiredState {
    let mut vars = vec![
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
        ("WORKLOAD_VPC_ID", "vpc-1"),
        ("ECS_EXECUTION_ROLE_ARN", "arn:aws:iam::123456789012:role/execution"),
        ("ECS_TASK_ROLE_ARN", "arn:aws:iam::123456789012:role/task"),
    ];
    vars.extend_from_slice(extra);
    let env = Env::from_process(vars);
    let request = DeployRequest::resolve(&env, Ci::Local, CiFacts::default(), Need::Offline).unwrap();
    let app = App {
        procfile: procfile::parse("Procfile", "web: bin/web\nworker: bin/worker\n").unwrap(),
        procfile_path: "Procfile".into(),
        schedule_file: None,
        project_builder: None,
        base_task_definitions: BTreeMap::new(),
        source_dir: ".".into(),
        image_source: Default::default(),
        image_source_note: None,
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
            default_strategy: vec![ObservedProviderWeight { capacity_provider: "FARGATE_SPOT".into(), weight: 1 }],
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
            tags: resource_tags(desired),
            name: "acme-shop-api-staging".into(),
            arn: "arn:lb".into(),
            dns_name: "shop.elb.example".into(),
            scheme: Some(Scheme::InternetFacing),
            subnets: vec!["subnet-b2".into(), "subnet-a1".into()],
            security_groups: vec!["sg-2".into()],
            listeners: vec![ObservedListener {
                arn: "arn:listener".into(),
                port: 80,
                protocol: Some(ListenerProtocol::Http),
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
            health_check: Some(desired.load_balancer.as_ref().map_or_else(Default::default, |lb| lb.health_check)),
            deregistration_delay: Some(30),
            tags: resource_tags(desired),
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
                    circuit_breaker: Some(service.circuit_breaker),
                    execute_command: service.execute_command,
                    propagate_tags: Some(PropagateTags::TaskDefinition),
                    load_balancers: if service.load_balanced {
                        vec![LoadBalancerAttachment {
                            target_group_arn: "arn:tg".into(),
                            container: "acme-shop-api".into(),
                            port: 3000,
                            traffic: None,
                        }]
                    } else {
                        Vec::new()
                    },
                    tags: resource_tags(desired),
                    capacity_provider_strategy: vec![ObservedProviderWeight {
                        capacity_provider: "FARGATE_SPOT".into(),
                        weight: 1,
                    }],
                    health_check_grace_period: service.health_check_grace_period,
                    service_connect: service.service_connect.as_ref().map(|connect| ObservedServiceConnect {
                        enabled: true,
                        namespace: connect.namespace.clone(),
                        port_name: connect.port_name.clone(),
                        discovery_name: connect.discovery_name.clone(),
                        dns_name: connect.dns_name.clone(),
                        port: connect.port,
                    }),
                    rollout: Some(LiveRollout::planned(service)),
                };
                (service.name.clone(), Some(live))
            })
            .collect(),
        orphaned_services: Vec::new(),
        orphaned_scalable_targets: Vec::new(),
        draining_services: BTreeSet::new(),
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
        traffic: None,
        // One target group: a shifting deploy's fixture adds the alternate (`traffic.rs`).
        rollback_alarm: desired.services.iter().find_map(|service| service.rollback_alarm.as_ref()).map(|alarm| {
            ObservedAlarm {
                name: alarm.name.clone(),
                arn: format!("arn:alarm:{}", alarm.name),
                shape: Some(wanted(alarm, "arn:lb", &["arn:tg"])),
                tags: resource_tags(desired),
            }
        }),
    }
}

/// A named change to one live resource, for tables of drifts each of which must be corrected.
type Drift<T> = (&'static str, fn(&mut T));

/// The actions' sentences, as `maestro plan` shows them.
fn described(actions: &[Action]) -> Vec<String> {
    actions.iter().map(ToString::to_string).collect()
}

/// The sentences of the actions that make `observed` match `desired`.
fn changes(desired: &DesiredState, observed: &Observed) -> Vec<String> {
    described(&diff(desired, observed, Options::default()).actions)
}

#[test]
fn nothing_exists_so_everything_is_created() {
    let desired = desired();
    let actions = diff(&desired, &Observed::default(), Options::default()).actions;
    let names = described(&actions);
    assert_eq!(
        names,
        [
            "create cluster acme-shop-api-staging",
            "create log group /ecs/acme-shop-api-staging-web",
            "create log group /ecs/acme-shop-api-staging-worker",
            "create log group /ecs/acme-shop-api-staging-launcher",
            "create load balancer acme-shop-api-staging (internet-facing)",
            "create target group acme-shop-api-staging (port 3000)",
            "register a new revision of task definition acme-shop-api-staging-web",
            "register a new revision of task definition acme-shop-api-staging-worker",
            "register a new revision of task definition acme-shop-api-staging-launcher",
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
        [
            "team=shop",
            "maestro:app=acme-shop-api-staging",
            "maestro:environment=repository=acme/shop-api branch=staging account=123456789012 region=us-east-1"
        ]
    );
}

#[test]
fn a_converged_app_needs_no_action() {
    let desired = desired();
    assert_eq!(diff(&desired, &converged(&desired), Options::default()).actions, []);
}
