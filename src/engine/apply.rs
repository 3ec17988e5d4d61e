//! Applies actions in stages; the actions of one stage do not depend on each other and run
//! concurrently. The first failure stops the run after its stage: later stages never start on
//! top of a half-applied one.

use std::collections::BTreeMap;
use std::sync::{Arc, Mutex};

use tokio::task::JoinSet;

use crate::aws::Clients;
use crate::aws::autoscaling::resource_label;
use crate::error::Failure;
use maestro_core::provision::action::Action;
use maestro_core::provision::stage::Stage;

/// ARNs by resource (`task-definition/<family>`, `target-group/<name>`, `load-balancer/<name>`):
/// those that existed, and those created by earlier stages of this run.
#[derive(Debug, Clone, Default)]
pub(super) struct Arns(Arc<Mutex<BTreeMap<String, String>>>);

impl Arns {
    pub(super) fn insert(&self, key: String, arn: String) {
        if let Ok(mut arns) = self.0.lock() {
            arns.insert(key, arn);
        }
    }

    /// The deployment this run started for `service`, if it changed the service.
    pub(super) fn deployment(&self, service: &str) -> Option<(String, String)> {
        let arns = self.0.lock().ok()?;
        Some((
            arns.get(&format!("deployment/{service}"))?.clone(),
            arns.get(&format!("service-task-definition/{service}"))?.clone(),
        ))
    }

    pub(super) fn task_definition(&self, family: &str) -> Result<String, Failure> {
        self.get(&format!("task-definition/{family}"))
    }

    fn get(&self, key: &str) -> Result<String, Failure> {
        self.0.lock().ok().and_then(|arns| arns.get(key).cloned()).ok_or_else(|| {
            Failure::new(format!("{key} is neither in AWS nor created by this run"))
                .hint("this is a bug in maestro's ordering of changes; please report it")
        })
    }
}

pub(super) async fn apply(clients: &Clients, actions: &[Action], arns: &Arns) -> Result<(), Failure> {
    let mut stages: Vec<Stage> = actions.iter().map(Action::stage).collect();
    // Sorted here too, not only by the diff: a stage must run once, after every earlier stage.
    stages.sort_unstable();
    stages.dedup();
    for stage in stages {
        let mut running = JoinSet::new();
        for action in actions.iter().filter(|action| action.stage() == stage) {
            // Each change runs as its own task, which owns what it uses.
            let (clients, action, arns) = (clients.clone(), action.clone(), arns.clone());
            running.spawn(async move {
                tracing::info!("{action}");
                run(&clients, &action, &arns).await
            });
        }
        let mut first_failure = None;
        while let Some(joined) = running.join_next().await {
            let outcome = joined
                .map_err(|error| Failure::new(format!("an AWS change stopped: {error}")))
                .and_then(|result| result);
            if let Err(failure) = outcome {
                first_failure.get_or_insert(failure);
            }
        }
        if let Some(failure) = first_failure {
            return Err(failure);
        }
    }
    Ok(())
}

async fn run(clients: &Clients, action: &Action, arns: &Arns) -> Result<(), Failure> {
    match action {
        Action::CreateCluster { name, capacity_providers, default_strategy, tags } => {
            clients.ecs.create_cluster(name, capacity_providers, default_strategy, tags).await
        }
        Action::PutClusterCapacityProviders { name, capacity_providers, default_strategy } => {
            clients.ecs.put_capacity_providers(name, capacity_providers, default_strategy).await
        }
        Action::TagResource { arn, tags } => clients.ecs.tag(arn, tags).await,
        Action::CreateLogGroup { name, tags } => clients.logs.create(name, tags).await,
        Action::CreateListenerRule { listener_arn, priority, host, target_group, tags } => {
            let group = arns.get(&format!("target-group/{target_group}"))?;
            clients.elb.create_rule(listener_arn, *priority, host, &group, tags).await
        }
        Action::ForwardListenerRule { arn, host, target_group } => {
            let group = arns.get(&format!("target-group/{target_group}"))?;
            clients.elb.forward_rule(arn, host, &group).await
        }
        Action::SetLogRetention { name, days } => clients.logs.set_retention(name, *days).await,
        Action::RegisterTaskDefinition { family, definition, .. } => {
            let arn = clients.ecs.register_task_definition(family, definition).await?;
            tracing::info!("registered {arn}");
            arns.insert(format!("task-definition/{family}"), arn);
            Ok(())
        }
        Action::CreateLoadBalancer { name, scheme, subnets, security_groups, tags } => {
            let arn = clients.elb.create_load_balancer(name, *scheme, subnets, security_groups, tags).await?;
            arns.insert(format!("load-balancer/{name}"), arn);
            Ok(())
        }
        Action::SetLoadBalancerSubnets { arn, subnets, .. } => clients.elb.set_subnets(arn, subnets).await,
        Action::SetLoadBalancerSecurityGroups { arn, security_groups, .. } => {
            clients.elb.set_security_groups(arn, security_groups).await
        }
        Action::CreateTargetGroup { name, port, vpc_id, health_check_path, deregistration_delay, tags } => {
            let arn = clients
                .elb
                .create_target_group(name, *port, vpc_id.as_deref(), health_check_path, *deregistration_delay, tags)
                .await?;
            arns.insert(format!("target-group/{name}"), arn);
            Ok(())
        }
        Action::ModifyTargetGroup { arn, health_check_path, deregistration_delay, .. } => {
            clients.elb.modify_target_group(arn, health_check_path, *deregistration_delay).await
        }
        Action::CreateListener { load_balancer, listener, tags } => {
            let balancer = arns.get(&format!("load-balancer/{load_balancer}"))?;
            let group =
                listener.target_group.as_ref().map(|name| arns.get(&format!("target-group/{name}"))).transpose()?;
            clients.elb.create_listener(&balancer, listener, group.as_deref(), tags).await
        }
        Action::ModifyListener { arn, listener } => {
            let group =
                listener.target_group.as_ref().map(|name| arns.get(&format!("target-group/{name}"))).transpose()?;
            clients.elb.modify_listener(arn, listener, group.as_deref()).await
        }
        Action::RegisterScalableTarget { resource_id, min, max } => {
            clients.autoscaling.register_target(resource_id, *min, *max).await
        }
        Action::DeregisterScalableTarget { resource_id } => clients.autoscaling.deregister_target(resource_id).await,
        Action::DeleteScalingPolicy { name, resource_id } => clients.autoscaling.delete_policy(name, resource_id).await,
        Action::PutScalingPolicy(policy) => {
            let label = match &policy.alb {
                Some(alb) => {
                    let (balancer, group) = (
                        arns.get(&format!("load-balancer/{}", alb.load_balancer))?,
                        arns.get(&format!("target-group/{}", alb.target_group))?,
                    );
                    Some(resource_label(&balancer, &group).ok_or_else(|| {
                        Failure::new(format!("cannot build the ALB resource label from {balancer} and {group}"))
                    })?)
                }
                None => None,
            };
            clients.autoscaling.put_policy(policy, label).await
        }
        Action::DeleteService { cluster, name } => clients.ecs.delete_service(cluster, name).await,
        Action::PutRule { name, expression, tags } => clients.events.put_rule(name, expression, tags).await,
        Action::TagRule { arn, tags } => clients.events.tag(arn, tags).await,
        Action::DeleteRule { name, target_ids } => clients.events.delete_rule(name, target_ids).await,
        Action::ScaleService { cluster, name, count } => clients.ecs.scale_service(cluster, name, *count).await,
        Action::DisableRule { name } => clients.events.disable_rule(name).await,
        Action::PutRuleTarget(target) => {
            let task_definition = arns.get(&format!("task-definition/{}", target.family))?;
            clients.events.put_target(target, &task_definition).await
        }
        Action::CreateService(spec) | Action::UpdateService(spec) => {
            let task_definition = arns.get(&format!("task-definition/{}", spec.family))?;
            let group = match &spec.target_group {
                Some(name) => Some(arns.get(&format!("target-group/{name}"))?),
                None => None,
            };
            let deployment = if matches!(action, Action::CreateService(_)) {
                clients.ecs.create_service(spec, &task_definition, group.as_deref()).await?
            } else {
                clients.ecs.update_service(spec, &task_definition, group.as_deref()).await?
            };
            arns.insert(format!("deployment/{}", spec.name), deployment);
            arns.insert(format!("service-task-definition/{}", spec.name), task_definition);
            Ok(())
        }
    }
}
