//! `maestro continue`'s writes: each deployment ECS holds at an approval pause resumed
//! (ContinueServiceDeployment `CONTINUE`), then followed as a deploy follows its own. No lease:
//! the deploy that paused ended, and the pause is ECS's to hold.

use super::rollout::RolloutWatch;
use crate::aws::Clients;
use crate::aws::ecs_service_deployments::PauseAction;
use crate::error::Failure;
use maestro_core::plan::desired::DesiredState;
use maestro_core::resume::Resume;
use maestro_core::rollout::heartbeat::Rolling;

/// Resumes each of `resumes`, and the deployments to follow: each service's PRIMARY one (the
/// deployment the paused service deployment rolls out).
pub(crate) async fn resume(
    clients: &Clients,
    desired: &DesiredState,
    resumes: &[Resume],
) -> Result<Vec<RolloutWatch>, Failure> {
    let names: Vec<String> = resumes.iter().map(|resume| resume.service.clone()).collect();
    let rollouts = clients.ecs.rollouts(&desired.cluster.name, &names).await?;
    let mut watches = Vec::new();
    for resume in resumes {
        clients.ecs.resolve_pause(&resume.service_deployment, &resume.hook_id, PauseAction::Continue).await?;
        tracing::info!("{}: resumed at {}", resume.service, resume.stage);
        let primary = rollouts
            .iter()
            .find(|rollout| rollout.service == resume.service)
            .and_then(|rollout| rollout.deployments.iter().find(|deployment| deployment.status == "PRIMARY"))
            .map(|deployment| deployment.id.clone())
            .unwrap_or_default();
        let planned = desired.services.iter().find(|service| service.name == resume.service);
        watches.push(RolloutWatch {
            service: resume.service.clone(),
            deployment: primary,
            service_deployment: Some(resume.service_deployment.clone()),
            circuit_breaker: planned.is_some_and(|service| service.circuit_breaker.enable),
            shifting: true,
            until: None,
            rolling: Rolling::NewDeployment,
        });
    }
    Ok(watches)
}
