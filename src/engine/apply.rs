//! Applies actions in stages; the actions of one stage do not depend on each other and run
//! concurrently. The first failure stops the run after its stage: later stages never start on
//! top of a half-applied one.
//!
//! Each action returns what it created; a stage's results are merged into the references once
//! the stage is over, so no action writes to state another one reads. A write on what a stage
//! created that no later action needs (`FollowUp`) goes out with the next stage's actions.

use std::sync::Arc;
use std::time::Duration;

use tokio::task::JoinSet;

use super::eventually::eventually;
use super::refs::{Created, Refs, ServiceDeployment};
use crate::aws::{CallError, Clients, Pair, RuleCreated, Traffic};
use crate::error::Failure;
use maestro_core::backoff::{Backoff, MAX_POLL};
use maestro_core::eventual::SERVICE_DRAINED;
use maestro_core::provision::action::Action;
use maestro_core::provision::diff::alb_resource_label;
use maestro_core::provision::priority::{PRIORITY_TRIES, lowest_free};
use maestro_core::provision::stage::Stage;
use maestro_core::report::stream::StreamEvent;
use maestro_core::spec::tags::Tag;

/// Applies `actions` stage by stage. A call AWS answers "not yet" (eventual consistency) is tried
/// again, the waits growing from `first_wait` (the poll interval).
pub(super) async fn apply<'a>(
    clients: &Clients,
    actions: impl IntoIterator<Item = &'a Action>,
    refs: &mut Refs,
    first_wait: Duration,
) -> Result<(), Failure> {
    let actions: Vec<&Action> = actions.into_iter().collect();
    let mut stages: Vec<Stage> = actions.iter().map(|action| action.stage()).collect();
    // Sorted here too, not only by the diff: a stage must run once, after every earlier stage.
    stages.sort_unstable();
    stages.dedup();
    // Writes on what a stage created that nothing in between needs, sent with the next stage.
    let mut follow_ups: Vec<FollowUp> = Vec::new();
    for stage in stages.into_iter().map(Some).chain([None]) {
        if stage.is_none() && follow_ups.is_empty() {
            break;
        }
        // A run that lost its deploy lease (it stalled past the TTL) writes nothing more.
        super::lease::fence().await?;
        // What the earlier stages left, read by every action of this one.
        let known = Arc::new(refs.clone());
        let mut running = JoinSet::new();
        for follow_up in follow_ups.drain(..) {
            let clients = clients.clone();
            running.spawn(async move { follow_up.run(&clients).await.map(|()| (Created::Nothing, None)) });
        }
        for action in actions.iter().filter(|action| Some(action.stage()) == stage) {
            // Each change runs as its own task, which owns what it uses.
            let (clients, action, known) = (clients.clone(), (*action).clone(), Arc::clone(&known));
            running.spawn(async move {
                tracing::info!("{action}");
                let ran = run(&clients, &action, &known, first_wait).await;
                if ran.is_ok() {
                    crate::event_stream::emit(&StreamEvent::change(action.stage(), action.to_string()));
                }
                ran.map(|created| {
                    let next = FollowUp::of(&action, &created);
                    (created, next)
                })
            });
        }
        let mut first_failure = None;
        while let Some(joined) = running.join_next().await {
            let outcome = joined
                .map_err(|error| Failure::new(format!("an AWS change stopped: {error}")))
                .and_then(|result| result);
            match outcome {
                Ok((created, next)) => {
                    refs.record(created);
                    follow_ups.extend(next);
                }
                Err(failure) => {
                    first_failure.get_or_insert(failure);
                }
            }
        }
        if let Some(failure) = first_failure {
            return Err(failure);
        }
    }
    Ok(())
}

/// What an action leaves to the next stage (or, after the last, to a round of its own): a write
/// on what it created that no action in between needs, so it costs no round trip of its own.
enum FollowUp {
    /// A new target group's deregistration delay, an attribute CreateTargetGroup does not take:
    /// it matters only once targets deregister, long after the services that register them.
    DeregistrationDelay { arn: String, seconds: u32 },
}

impl FollowUp {
    fn of(action: &Action, created: &Created) -> Option<Self> {
        match (action, created) {
            (Action::CreateTargetGroup { deregistration_delay, .. }, Created::TargetGroup { arn, .. }) => {
                Some(Self::DeregistrationDelay { arn: arn.clone(), seconds: *deregistration_delay })
            }
            _ => None,
        }
    }

    async fn run(&self, clients: &Clients) -> Result<(), Failure> {
        match self {
            Self::DeregistrationDelay { arn, seconds } => clients.elb.set_deregistration_delay(arn, *seconds).await,
        }
    }
}

/// Makes one change; returns what it created that later stages may name.
async fn run(clients: &Clients, action: &Action, refs: &Refs, first_wait: Duration) -> Result<Created, Failure> {
    let done = |result: Result<(), Failure>| result.map(|()| Created::Nothing);
    let what = action.to_string();
    match action {
        Action::CreateCluster { name, capacity_providers, default_strategy, tags } => done(
            eventually(first_wait, &what, || {
                clients.ecs.create_cluster(name, capacity_providers, default_strategy, tags)
            })
            .await,
        ),
        Action::PutClusterCapacityProviders { name, capacity_providers, default_strategy } => {
            done(clients.ecs.put_capacity_providers(name, capacity_providers, default_strategy).await)
        }
        Action::TagResource { arn, tags } => done(clients.ecs.tag(arn, tags).await),
        Action::CreateLogGroup { name, tags } => done(clients.logs.create(name, tags).await),
        Action::CreateListenerRule { listener_arn, priority, host, target_group, tags } => {
            let group = refs.target_group(target_group)?;
            done(create_listener_rule(clients, listener_arn, *priority, host, group, tags, first_wait).await)
        }
        Action::ForwardListenerRule { arn, host, target_group } => {
            let group = refs.target_group(target_group)?;
            done(clients.elb.forward_rule(arn, host, group).await)
        }
        Action::PutRollbackAlarm { alarm, tags } => {
            let balancer = refs.load_balancer(&alarm.load_balancer)?;
            let groups =
                alarm.target_groups.iter().map(|name| refs.target_group(name)).collect::<Result<Vec<&str>, _>>()?;
            let shape = maestro_core::provision::rollback_alarm::wanted(alarm, balancer, &groups);
            done(clients.cloudwatch.put(alarm, &shape, tags).await)
        }
        Action::DeleteRollbackAlarm { name } => done(clients.cloudwatch.delete(name).await),
        Action::SetLogRetention { name, days } => done(clients.logs.set_retention(name, *days).await),
        Action::RegisterTaskDefinition { family, definition, .. } => {
            let arn = clients.ecs.register_task_definition(family, definition).await?;
            tracing::info!("registered {arn}");
            Ok(Created::TaskDefinition { family: family.clone(), arn })
        }
        Action::CreateLoadBalancer { name, scheme, subnets, security_groups, tags } => {
            let (arn, dns_name) =
                clients.elb.create_load_balancer(name, *scheme, subnets, security_groups, tags).await?;
            Ok(Created::LoadBalancer { name: name.clone(), arn, dns_name })
        }
        Action::TagLoadBalancing { arn, tags, .. } => done(clients.elb.add_tags(arn, tags).await),
        Action::SetLoadBalancerSubnets { arn, subnets, .. } => done(clients.elb.set_subnets(arn, subnets).await),
        Action::SetLoadBalancerSecurityGroups { arn, security_groups, .. } => {
            done(clients.elb.set_security_groups(arn, security_groups).await)
        }
        Action::CreateTargetGroup { name, port, vpc_id, health_check_path, health_check, tags, .. } => {
            // Its deregistration delay follows, with the next stage (`FollowUp`).
            let arn = clients
                .elb
                .create_target_group(name, *port, vpc_id.as_deref(), (health_check_path, health_check), tags)
                .await?;
            Ok(Created::TargetGroup { name: name.clone(), arn })
        }
        Action::ModifyTargetGroup { arn, health_check_path, health_check, deregistration_delay, .. } => {
            done(clients.elb.modify_target_group(arn, health_check_path, health_check, *deregistration_delay).await)
        }
        Action::CreateListener { load_balancer, listener, tags } => {
            let balancer = refs.load_balancer(load_balancer)?;
            let group = listener.target_group.as_deref().map(|name| refs.target_group(name)).transpose()?;
            let arn = clients.elb.create_listener(balancer, listener, group, tags).await?;
            Ok(Created::Listener { load_balancer: load_balancer.clone(), port: listener.port, arn })
        }
        Action::CreateTrafficRule { rule, priority, tags } => {
            let arn = super::traffic_rules::create(clients, refs, rule, *priority, tags, first_wait).await?;
            Ok(Created::TrafficRule { listener: rule.listener, arn })
        }
        Action::ForwardTrafficRule { arn, rule } => {
            let pair = Pair {
                primary: refs.target_group(&rule.target_group)?,
                alternate: refs.target_group(&rule.alternate_target_group)?,
            };
            done(clients.elb.forward_traffic_rule(arn, rule.host.as_deref(), pair).await)
        }
        Action::ModifyListener { arn, listener } => {
            let group = listener.target_group.as_deref().map(|name| refs.target_group(name)).transpose()?;
            done(clients.elb.modify_listener(arn, listener, group).await)
        }
        Action::RegisterScalableTarget { resource_id, min, max } => {
            done(eventually(first_wait, &what, || clients.autoscaling.register_target(resource_id, *min, *max)).await)
        }
        Action::DeregisterScalableTarget { resource_id } => {
            done(clients.autoscaling.deregister_target(resource_id).await)
        }
        Action::DeleteScalingPolicy { name, resource_id } => {
            done(clients.autoscaling.delete_policy(name, resource_id).await)
        }
        Action::PutScalingPolicy(policy) => {
            let label = match &policy.alb {
                Some(alb) => {
                    let (balancer, group) =
                        (refs.load_balancer(&alb.load_balancer)?, refs.target_group(&alb.target_group)?);
                    Some(alb_resource_label(balancer, group).ok_or_else(|| {
                        Failure::new(format!("cannot build the ALB resource label from {balancer} and {group}"))
                    })?)
                }
                None => None,
            };
            done(clients.autoscaling.put_policy(policy, label).await)
        }
        Action::DeleteService { cluster, name } => done(clients.ecs.delete_service(cluster, name).await),
        Action::PutRule { name, expression, enabled, tags } => {
            done(clients.events.put_rule(name, expression, *enabled, tags).await)
        }
        Action::TagRule { arn, tags } => done(clients.events.tag(arn, tags).await),
        Action::DeleteRule { name, target_ids } => done(clients.events.delete_rule(name, target_ids).await),
        Action::ScaleService { cluster, name, count } => done(clients.ecs.scale_service(cluster, name, *count).await),
        Action::DisableRule { name } => done(clients.events.disable_rule(name).await),
        Action::PutRuleTarget(target) => {
            let task_definition = refs.task_definition(&target.family)?;
            done(clients.events.put_target(target, task_definition).await)
        }
        Action::CreateService(spec) | Action::UpdateService(spec) => {
            let task_definition = refs.task_definition(&spec.family)?;
            let group = spec.target_group.as_deref().map(|name| refs.target_group(name)).transpose()?;
            // A blue-green, canary or linear service names what ECS shifts its traffic with.
            let arns = spec.rollout.as_ref().map(|_| refs.traffic()).transpose()?;
            let role = spec.rollout.as_ref().and_then(|rollout| rollout.infrastructure_role_arn.as_deref());
            let traffic = arns.as_ref().zip(role).map(|(arns, role_arn)| Traffic {
                alternate_target_group: &arns.alternate_target_group,
                production_rule: &arns.production_rule,
                test_rule: &arns.test_rule,
                role_arn,
            });
            let started = if matches!(action, Action::CreateService(_)) {
                if refs.draining(&spec.name) {
                    drained(clients, &spec.cluster, &spec.name, first_wait).await?;
                }
                eventually(first_wait, &what, || {
                    clients.ecs.create_service(spec, task_definition, group, traffic.as_ref())
                })
                .await?
            } else {
                clients.ecs.update_service(spec, task_definition, group, traffic.as_ref()).await?
            };
            let deployment = ServiceDeployment {
                id: started.id,
                service_deployment: started.service_deployment,
                task_definition: task_definition.to_owned(),
            };
            Ok(Created::Deployment { service: spec.name.clone(), deployment })
        }
    }
}

/// Adds the host's rule at `priority`. When a concurrent deploy to the same shared load balancer
/// took that priority first, the listener's rules are read again and the lowest free priority is
/// tried, a few times (`PRIORITY_TRIES`).
async fn create_listener_rule(
    clients: &Clients,
    listener_arn: &str,
    priority: u32,
    host: &str,
    target_group_arn: &str,
    tags: &[Tag],
    first_wait: Duration,
) -> Result<(), Failure> {
    let mut priority = priority;
    // A rule just created may be missing from the next DescribeRules: wait a little between tries.
    let mut waits = Backoff::doubling(first_wait, MAX_POLL);
    for _ in 0..PRIORITY_TRIES {
        if clients.elb.create_rule(listener_arn, priority, host, target_group_arn, tags).await? == RuleCreated::Created
        {
            return Ok(());
        }
        tokio::time::sleep(waits.next_wait()).await;
        let rules = clients.elb.rules(listener_arn).await?;
        if let Some(rule) = rules.iter().find(|rule| rule.hosts.iter().any(|candidate| candidate == host)) {
            return Err(Failure::new(format!("another rule of {listener_arn} now routes {host}"))
                .detail(format!("rule {} appeared while maestro added its own", rule.arn))
                .hint(
                    "another app or deploy routes the same host on this load balancer: give each its own MAESTRO_HOST",
                ));
        }
        let taken: Vec<u32> = rules.iter().filter_map(|rule| rule.priority).collect();
        tracing::info!("priority {priority} of {listener_arn} was taken meanwhile; trying {}", lowest_free(&taken));
        priority = lowest_free(&taken);
    }
    Err(Failure::new(format!(
        "could not add the rule for {host} to {listener_arn}: every priority tried was taken first"
    ))
    .detail(format!("{PRIORITY_TRIES} tries, each after reading the listener's rules again"))
    .hint("other deploys are adding rules to this load balancer right now: run again"))
}

/// Waits until the deleted service `name` has stopped draining: DeleteService's reference says
/// "If you attempt to create a new service with the same name as an existing service in either
/// ACTIVE or DRAINING status, you receive an error."
async fn drained(clients: &Clients, cluster: &str, name: &str, first_wait: Duration) -> Result<(), Failure> {
    let names = [name.to_owned()];
    let what = format!("wait for the deleted service {name} to drain");
    eventually(first_wait, &what, || async {
        let found = clients.ecs.services(cluster, &names).await.map_err(CallError::Final)?;
        if !found.draining.contains(name) {
            return Ok(());
        }
        let failure = Failure::new(format!("service {name} of cluster {cluster} is still DRAINING"))
            .hint("its tasks are still stopping (the load balancer's deregistration delay, then the stop timeout); run again once ECS shows it INACTIVE");
        Err(CallError::NotYet { failure, window: SERVICE_DRAINED })
    })
    .await
}
