//! Reads the live state of every resource in the plan, concurrently.

use std::collections::BTreeMap;
use std::time::Duration;

use tokio::task::JoinSet;

use super::eventually::eventually;
use super::load_balancing;
use crate::aws::{CallError, Clients};
use crate::error::Failure;
use maestro_core::eventual::SERVICE_VISIBLE;
use maestro_core::naming::scalable_target_of;
use maestro_core::plan::desired::DesiredState;
use maestro_core::provision::observed::{Observed, ObservedService, ObservedTaskDefinition};
use maestro_core::provision::ownership;
use maestro_core::provision::rollback_alarm::ObservedAlarm;
use maestro_core::settings::WaitSettings;
use maestro_core::text::common_prefix;

/// Everything of `desired` that exists. A service ECS lists but does not describe yet (just
/// created) is described again, with waits growing from the poll interval of `waiting`.
pub(crate) async fn observe(
    clients: &Clients,
    desired: &DesiredState,
    waiting: &WaitSettings,
) -> Result<Observed, Failure> {
    Box::pin(observe_after(clients, desired, waiting, async { Ok(()) })).await
}

/// [`observe`], the app secret's value read only once `checked` passed: a run whose inputs the
/// account contradicts reads no secret (`pipeline::early_reads` observes while they are checked).
pub(crate) async fn observe_after(
    clients: &Clients,
    desired: &DesiredState,
    waiting: &WaitSettings,
    checked: impl Future<Output = Result<(), Failure>>,
) -> Result<Observed, Failure> {
    let service_names: Vec<String> = desired.services.iter().map(|service| service.name.clone()).collect();
    let balancer = desired.load_balancer.as_ref();
    // Every service's would-be scalable target: one that is no longer planned must be found too.
    let resource_ids: Vec<String> =
        desired.services.iter().map(|service| scalable_target_of(&desired.cluster.name, &service.name)).collect();
    let policy_names: Vec<String> =
        desired.services.iter().flat_map(|service| maestro_core::naming::scaling_policies_of(&service.name)).collect();
    let (
        task_definitions,
        cluster,
        log_groups,
        secret,
        services,
        cluster_services,
        load_balancer,
        target_group,
        alternate_target_group,
        scaling,
        rules,
    ) = tokio::join!(
        task_definitions(clients, desired),
        clients.ecs.cluster(&desired.cluster.name),
        clients.logs.groups(&desired.log_groups),
        async {
            checked.await?;
            clients.secrets.keys(&desired.secret).await
        },
        clients.ecs.services(&desired.cluster.name, &service_names),
        clients.ecs.service_names(&desired.cluster.name),
        async {
            match balancer {
                Some(balancer) => load_balancing::load_balancer(clients, balancer).await,
                None => Ok(None),
            }
        },
        async {
            match balancer {
                Some(balancer) => load_balancing::target_group(clients, balancer).await,
                None => Ok(None),
            }
        },
        async {
            match balancer.and_then(|balancer| balancer.alternate_target_group.as_deref()) {
                Some(name) => load_balancing::tagged_target_group(clients, name).await.map(Some),
                None => Ok(None),
            }
        },
        clients.autoscaling.observe(&resource_ids, &policy_names),
        clients.events.rules_under(&desired.cluster.schedule_rule_prefixes),
    );
    let (scalable_targets, scaling_policies) = scaling?;
    let mut services = services?;
    let cluster_services = cluster_services?;
    let unseen: Vec<String> = services
        .live
        .iter()
        .filter(|(name, live)| live.is_none() && cluster_services.contains(name))
        .map(|(name, _)| name.clone())
        .collect();
    if !unseen.is_empty() {
        let first_wait = Duration::from_secs_f64(waiting.poll_interval);
        services.live.extend(visible(clients, &desired.cluster.name, &unseen, first_wait).await?);
    }
    let rollback_alarm = rollback_alarm(clients, desired, &services.live).await?;
    let (orphaned_services, orphaned_scalable_targets) =
        orphans(clients, desired, cluster_services, &service_names).await?;
    let load_balancer = load_balancer?;
    // Only a shifting deploy's plan names an alternate target group: a rolling one reads no more.
    let traffic = match (balancer, alternate_target_group?) {
        (Some(balancer), Some(alternate)) => {
            Some(load_balancing::traffic(clients, balancer, load_balancer.as_ref(), alternate).await?)
        }
        _ => None,
    };
    Ok(Observed {
        cluster: cluster?,
        log_groups: log_groups?,
        task_definitions: task_definitions?,
        secret: secret?,
        load_balancer,
        target_group: target_group?,
        services: services.live,
        orphaned_services,
        orphaned_scalable_targets,
        draining_services: services.draining,
        scalable_targets: scalable_targets.into_iter().map(|target| (target.resource_id.clone(), target)).collect(),
        scaling_policies,
        rules: rules?.into_iter().map(|rule| (rule.name.clone(), rule)).collect(),
        traffic,
        rollback_alarm,
    })
}

/// The web service's rollback alarm: the planned one, else the one the live service still
/// watches (the setting was turned off: the diff deletes it). Neither, and nothing is read.
async fn rollback_alarm(
    clients: &Clients,
    desired: &DesiredState,
    live: &BTreeMap<String, Option<ObservedService>>,
) -> Result<Option<ObservedAlarm>, Failure> {
    let planned = desired.services.iter().find_map(|service| service.rollback_alarm.as_ref());
    let watched = || {
        desired
            .services
            .iter()
            .filter(|service| service.load_balanced)
            .find_map(|service| live.get(&service.name)?.as_ref()?.rollout.as_ref()?.rollback_alarm.clone())
    };
    match planned.map(|alarm| alarm.name.clone()).or_else(watched) {
        Some(name) => clients.cloudwatch.alarm(&name).await,
        None => Ok(None),
    }
}

/// The services `names`, which ListServices lists but DescribeServices answered MISSING: just
/// created, and not visible to DescribeServices yet (the ECS API is eventually consistent;
/// `maestro_core::eventual::SERVICE_VISIBLE`). Taking them for absent would create them again,
/// which ECS refuses ("Creation of service was not idempotent").
async fn visible(
    clients: &Clients,
    cluster: &str,
    names: &[String],
    first_wait: Duration,
) -> Result<BTreeMap<String, Option<ObservedService>>, Failure> {
    let what = format!("describe services {}", names.join(", "));
    eventually(first_wait, &what, || async {
        let found = clients.ecs.services(cluster, names).await.map_err(CallError::Final)?;
        let unseen: Vec<&str> =
            found.live.iter().filter(|(_, live)| live.is_none()).map(|(name, _)| name.as_str()).collect();
        if unseen.is_empty() {
            return Ok(found.live);
        }
        let failure = Failure::new(format!("ECS lists services {} but does not describe them", unseen.join(", ")))
            .hint("they were created moments ago and AWS has not caught up: run again in a minute");
        Err(CallError::NotYet { failure, window: SERVICE_VISIBLE })
    })
    .await
}

/// The environment's services the plan no longer has, and their scalable targets. Only those
/// carrying the environment's marker tag count (`ownership::orphans`): in a shared cluster,
/// another branch's or app's services can be named alike. The services named like the
/// environment's (none, usually) are described for their tags.
async fn orphans(
    clients: &Clients,
    desired: &DesiredState,
    cluster_services: Vec<String>,
    planned: &[String],
) -> Result<(Vec<String>, Vec<String>), Failure> {
    let prefix = ownership::service_prefix(desired);
    let named_like: Vec<String> =
        cluster_services.into_iter().filter(|name| name.starts_with(&prefix) && !planned.contains(name)).collect();
    if named_like.is_empty() {
        return Ok((Vec::new(), Vec::new()));
    }
    let described = clients.ecs.services(&desired.cluster.name, &named_like).await?;
    let orphans = ownership::orphans(desired, &described.live);
    let targets: Vec<String> = orphans.iter().map(|name| scalable_target_of(&desired.cluster.name, name)).collect();
    let (found, _) = clients.autoscaling.observe(&targets, &[]).await?;
    Ok((orphans, found.into_iter().map(|target| target.resource_id).collect()))
}

/// The latest revision of every family. Only families that exist are described: one listing
/// tells which, so a first deploy describes none.
async fn task_definitions(
    clients: &Clients,
    desired: &DesiredState,
) -> Result<BTreeMap<String, Option<ObservedTaskDefinition>>, Failure> {
    let names: Vec<&str> = desired.task_definitions.iter().map(|definition| definition.family.as_str()).collect();
    // Without a common prefix, every family is described.
    let existing = match common_prefix(&names) {
        Some(prefix) => Some(clients.ecs.task_definition_families(prefix).await?),
        None => None,
    };
    let mut families = JoinSet::new();
    for definition in &desired.task_definitions {
        let (ecs, family) = (clients.ecs.clone(), definition.family.clone());
        let listed = existing.as_ref().is_none_or(|existing| existing.contains(&family));
        families.spawn(async move {
            let latest = if listed { ecs.latest_task_definition(&family).await? } else { None };
            Ok::<_, Failure>((family, latest))
        });
    }
    let mut task_definitions = BTreeMap::new();
    while let Some(joined) = families.join_next().await {
        let (family, latest) =
            joined.map_err(|error| Failure::new(format!("reading task definitions stopped: {error}")))??;
        task_definitions.insert(family, latest);
    }
    Ok(task_definitions)
}
