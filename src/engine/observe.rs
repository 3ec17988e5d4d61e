//! Reads the live state of every resource in the plan, concurrently.

use std::collections::BTreeMap;

use tokio::task::JoinSet;

use crate::aws::Clients;
use crate::error::Failure;
use maestro_core::naming::scalable_target_of;
use maestro_core::plan::desired::DesiredState;
use maestro_core::provision::observed::{Observed, ObservedTaskDefinition};
use maestro_core::provision::ownership;
use maestro_core::text::common_prefix;

pub(crate) async fn observe(clients: &Clients, desired: &DesiredState) -> Result<Observed, Failure> {
    let service_names: Vec<String> = desired.services.iter().map(|service| service.name.clone()).collect();
    let balancer = desired.load_balancer.as_ref();
    // Every service's would-be scalable target: one that is no longer planned must be found too.
    let resource_ids: Vec<String> =
        desired.services.iter().map(|service| scalable_target_of(&desired.cluster.name, &service.name)).collect();
    let policy_names: Vec<String> =
        desired.services.iter().flat_map(|service| maestro_core::naming::scaling_policies_of(&service.name)).collect();
    let rule_prefix = maestro_core::naming::schedule_rule_prefix(&desired.cluster.name);
    let (
        task_definitions,
        cluster,
        log_groups,
        secret,
        services,
        cluster_services,
        load_balancer,
        target_group,
        scaling,
        rules,
    ) = tokio::join!(
        task_definitions(clients, desired),
        clients.ecs.cluster(&desired.cluster.name),
        clients.logs.groups(&desired.log_groups),
        clients.secrets.keys(&desired.secret),
        clients.ecs.services(&desired.cluster.name, &service_names),
        clients.ecs.service_names(&desired.cluster.name),
        async {
            match balancer {
                Some(balancer) => {
                    clients.elb.load_balancer(&balancer.name, balancer.shared.then_some(balancer.listener.port)).await
                }
                None => Ok(None),
            }
        },
        async {
            match balancer {
                Some(balancer) => clients.elb.target_group(&balancer.target_group).await,
                None => Ok(None),
            }
        },
        clients.autoscaling.observe(&resource_ids, &policy_names),
        clients.events.rules(&rule_prefix),
    );
    let (scalable_targets, scaling_policies) = scaling?;
    let services = services?;
    let (orphaned_services, orphaned_scalable_targets) =
        orphans(clients, desired, cluster_services?, &service_names).await?;
    Ok(Observed {
        cluster: cluster?,
        log_groups: log_groups?,
        task_definitions: task_definitions?,
        secret: secret?,
        load_balancer: load_balancer?,
        target_group: target_group?,
        services: services.live,
        orphaned_services,
        orphaned_scalable_targets,
        draining_services: services.draining,
        scalable_targets: scalable_targets.into_iter().map(|target| (target.resource_id.clone(), target)).collect(),
        scaling_policies,
        rules: rules?.into_iter().map(|rule| (rule.name.clone(), rule)).collect(),
    })
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
