//! `maestro restart`'s writes, under the deploy lease: the services' live revisions read, the
//! core's selection (`maestro_core::restart`), then one UpdateService with `forceNewDeployment`
//! per service, each returning the deployment to follow (`rollout::wait`, as a deploy does).

use super::lease;
use super::rollout::RolloutWatch;
use crate::aws::Clients;
use crate::error::Failure;
use maestro_core::plan::desired::DesiredState;
use maestro_core::restart::{self, Restart, Skipped};
use maestro_core::rollout::heartbeat::Rolling;

/// What `restart` started: each restarted service's deployment, and the processes skipped.
pub(crate) struct Restarted {
    pub restarts: Vec<Restart>,
    pub watches: Vec<RolloutWatch>,
    pub skipped: Vec<Skipped>,
}

/// Restarts the services of `requested` (every running one when empty).
pub(crate) async fn restart(
    clients: &Clients,
    desired: &DesiredState,
    requested: &[String],
) -> Result<Restarted, Failure> {
    let cluster = &desired.cluster.name;
    let names: Vec<String> = desired.services.iter().map(|service| service.name.clone()).collect();
    let found = clients.ecs.services(cluster, &names).await?;
    let (restarts, skipped) = restart::select(requested, desired, &found.live);
    let watches = start(clients, cluster, &restarts).await?;
    Ok(Restarted { restarts, watches, skipped })
}

/// A new deployment of each of `restarts` with its task definition (the one it runs for a
/// restart, the target's for `maestro rollback`): the deployments to follow.
pub(crate) async fn start(
    clients: &Clients,
    cluster: &str,
    restarts: &[Restart],
) -> Result<Vec<RolloutWatch>, Failure> {
    let mut watches = Vec::new();
    for restart in restarts {
        // A run that lost the lease while reading must not write beside the one holding it.
        lease::fence().await?;
        let started = clients.ecs.restart_service(cluster, &restart.service, &restart.task_definition).await?;
        tracing::info!("{}: new deployment {} of {}", restart.service, started.id, revision(&restart.task_definition));
        watches.push(RolloutWatch {
            service: restart.service.clone(),
            deployment: started.id,
            service_deployment: started.service_deployment,
            circuit_breaker: restart.circuit_breaker,
            shifting: restart.shifting,
            until: None,
            rolling: Rolling::NewDeployment,
        });
    }
    Ok(watches)
}

/// `family:revision` of a task definition's ARN.
fn revision(arn: &str) -> &str {
    arn.rsplit('/').next().unwrap_or(arn)
}
