//! `maestro destroy`'s reads and deletes: what exists of the environment (what `observe` reads
//! for a deploy, plus every active revision of each family, the tags of the log groups and the
//! ECR repository, the release records), judged by the core (`maestro_core::destroy`), then the
//! core's steps in order. A failed step is reported and the independent rest goes on; a step
//! that needs a failed kind gone is skipped, for the next run to finish.

use std::collections::BTreeMap;
use std::time::Duration;

use super::eventually::eventually;
use super::{first_wait, lease, observe};
use crate::aws::ssm::Ssm;
use crate::aws::{CallError, Clients};
use crate::error::Failure;
use maestro_core::build::repository::RegistryKind;
use maestro_core::destroy::{self, Found, FoundFamily, Inventory, Kind, Options, Step};
use maestro_core::eventual::SERVICE_DRAINED;
use maestro_core::history;
use maestro_core::plan::desired::DesiredState;
use maestro_core::provision::observed::Observed;
use maestro_core::settings::WaitSettings;
use maestro_core::spec::tags::Tag;

/// How one step ended.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
#[serde(tag = "result", rename_all = "snake_case")]
pub(crate) enum Outcome {
    Done,
    Failed {
        error: String,
    },
    /// Not tried: a step it needs failed.
    Skipped {
        why: String,
    },
}

#[derive(Debug, Clone, serde::Serialize)]
pub(crate) struct Carried {
    pub step: Step,
    pub outcome: Outcome,
}

/// Reads what exists of the environment and judges it: nothing is written.
pub(crate) async fn inventory(
    clients: &Clients,
    ssm: &Ssm,
    desired: &DesiredState,
    waiting: &WaitSettings,
    options: Options,
) -> Result<Inventory, Failure> {
    let observed = Box::pin(observe(clients, desired, waiting)).await?;
    let records = history::parameter(&desired.request);
    let (families, log_groups, repository, records, cluster_services) = tokio::join!(
        families(clients, desired),
        log_group_tags(clients, &observed),
        async {
            match &desired.image.registry_kind {
                RegistryKind::Ecr { account, .. } => clients.ecr.repository(account, &desired.image.repository).await,
                RegistryKind::Oci => Ok(None),
            }
        },
        ssm.exists(&records),
        clients.ecs.service_names(&desired.cluster.name),
    );
    let found = Found {
        observed,
        families: families?,
        log_groups: log_groups?,
        repository: repository?,
        records: records?,
        cluster_services: cluster_services?,
    };
    Ok(destroy::inventory(desired, &found, options))
}

/// Every planned family's active revisions, and the tags of its latest one (whose identity
/// decides whose the family is).
async fn families(clients: &Clients, desired: &DesiredState) -> Result<BTreeMap<String, FoundFamily>, Failure> {
    let mut found = BTreeMap::new();
    for definition in &desired.task_definitions {
        let revisions = clients.ecs.active_revisions(&definition.family).await?;
        let Some(latest) = revisions.iter().max_by_key(|arn| revision_number(arn)) else { continue };
        let tags = clients.ecs.revision_tags(latest).await?;
        found.insert(definition.family.clone(), FoundFamily { revisions, tags });
    }
    Ok(found)
}

fn revision_number(arn: &str) -> u64 {
    arn.rsplit_once(':').and_then(|(_, number)| number.parse().ok()).unwrap_or_default()
}

async fn log_group_tags(clients: &Clients, observed: &Observed) -> Result<BTreeMap<String, Vec<Tag>>, Failure> {
    let mut found = BTreeMap::new();
    for (name, live) in &observed.log_groups {
        if let Some(live) = live {
            found.insert(name.clone(), clients.logs.group_tags(&live.arn).await?);
        }
    }
    Ok(found)
}

/// Runs `steps` in order, after checking the lease still holds.
pub(crate) async fn carry_out(
    clients: &Clients,
    ssm: &Ssm,
    steps: &[Step],
    waiting: &WaitSettings,
) -> Result<Vec<Carried>, Failure> {
    lease::fence().await?;
    let first_wait = first_wait(waiting);
    let mut carried: Vec<Carried> = Vec::new();
    for step in steps {
        let failed: Vec<Kind> = carried
            .iter()
            .filter(|done| matches!(done.outcome, Outcome::Failed { .. } | Outcome::Skipped { .. }))
            .map(|done| done.step.kind())
            .collect();
        let outcome = if step.may_run_after(&failed) {
            match one(clients, ssm, step, first_wait).await {
                Ok(()) => Outcome::Done,
                Err(failure) => {
                    tracing::warn!("{step}: {}", failure.message);
                    Outcome::Failed { error: failure.message }
                }
            }
        } else {
            Outcome::Skipped { why: "an earlier delete it waits for failed: run destroy again".to_owned() }
        };
        if outcome == Outcome::Done {
            tracing::info!("{step}: done");
        }
        carried.push(Carried { step: step.clone(), outcome });
    }
    Ok(carried)
}

async fn one(clients: &Clients, ssm: &Ssm, step: &Step, first_wait: Duration) -> Result<(), Failure> {
    match step {
        Step::DeleteService { cluster, name, scale_first } => {
            if *scale_first {
                clients.ecs.scale_service(cluster, name, 0).await?;
            }
            clients.ecs.delete_service(cluster, name).await?;
            gone(clients, cluster, name, first_wait).await
        }
        Step::DeregisterScalableTarget { resource_id } => clients.autoscaling.deregister_target(resource_id).await,
        Step::DeleteAlarm { name } => clients.cloudwatch.delete(name).await,
        Step::DeleteRule { name, target_ids } => clients.events.delete_rule(name, target_ids).await,
        Step::DeleteListenerRule { arn, .. } => clients.elb.delete_rule(arn).await,
        Step::DeleteLoadBalancer { arn, .. } => clients.elb.delete_load_balancer(arn).await,
        Step::DeleteTargetGroup { name, arn } => {
            let what = format!("delete target group {name}");
            eventually(first_wait, &what, || clients.elb.delete_target_group(arn)).await
        }
        Step::DeregisterTaskDefinitions { revisions, .. } => {
            for revision in revisions {
                clients.ecs.deregister_revision(revision).await?;
            }
            Ok(())
        }
        Step::DeleteLogGroup { name } => clients.logs.delete_group(name).await,
        Step::DeleteRepository { registry_id, name } => clients.ecr.delete_repository(registry_id, name).await,
        Step::DeleteCluster { name, draining } => {
            for service in draining {
                gone(clients, name, service, first_wait).await?;
            }
            clients.ecs.delete_cluster(name).await
        }
        Step::DeleteRecords { name } => ssm.delete_records(name).await,
    }
}

/// Waits until the deleted service `name` is neither ACTIVE nor DRAINING: ECS refuses to delete
/// a cluster that still has it, and "After all tasks have transitioned to either STOPPING or
/// STOPPED status, the service status moves from DRAINING to INACTIVE" (DeleteService).
async fn gone(clients: &Clients, cluster: &str, name: &str, first_wait: Duration) -> Result<(), Failure> {
    let names = [name.to_owned()];
    let what = format!("wait for the deleted service {name} to become INACTIVE");
    eventually(first_wait, &what, || async {
        let found = clients.ecs.services(cluster, &names).await.map_err(CallError::Final)?;
        let active = found.live.get(name).is_some_and(Option::is_some);
        if !active && !found.draining.contains(name) {
            return Ok(());
        }
        let failure = Failure::new(format!("service {name} of cluster {cluster} is still DRAINING"))
            .hint("its tasks are still stopping (the load balancer's deregistration delay, then the stop timeout); run destroy again once ECS shows it INACTIVE");
        Err(CallError::NotYet { failure, window: SERVICE_DRAINED })
    })
    .await
}
