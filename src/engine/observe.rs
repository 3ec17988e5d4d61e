//! Reads the live state of every resource in the plan, concurrently.

use tokio::task::JoinSet;

use crate::aws::Clients;
use crate::core::plan::desired::DesiredState;
use crate::core::provision::observed::Observed;
use crate::error::Failure;

pub async fn observe(clients: &Clients, desired: &DesiredState) -> Result<Observed, Failure> {
    let mut families = JoinSet::new();
    for definition in &desired.task_definitions {
        let (ecs, family) = (clients.ecs.clone(), definition.family.clone());
        families.spawn(async move { ecs.latest_task_definition(&family).await.map(|latest| (family, latest)) });
    }
    let (cluster, log_groups, secret) = tokio::join!(
        clients.ecs.cluster(&desired.cluster.name),
        clients.logs.groups(&desired.log_groups),
        clients.secrets.keys(&desired.secret),
    );
    let mut task_definitions = std::collections::BTreeMap::new();
    while let Some(joined) = families.join_next().await {
        let (family, latest) =
            joined.map_err(|error| Failure::new(format!("reading task definitions stopped: {error}")))??;
        task_definitions.insert(family, latest);
    }
    Ok(Observed { cluster: cluster?, log_groups: log_groups?, task_definitions, secret: secret? })
}
