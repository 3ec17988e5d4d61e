//! ECS service deployments: read 20 at a time (DescribeServiceDeployments' limit, "You can
//! specify a maximum of 20 ARNs"), each service's current one read from DescribeServices, and
//! stopped with a rollback (`maestro abort`).

use std::collections::BTreeMap;

use aws_sdk_ecs::types::{
    DeploymentLifecycleHookAction, DeploymentLifecycleHookDetail, DeploymentLifecycleHookStatus,
    DeploymentLifecycleHookTargetType, StopServiceDeploymentStopType,
};

use super::ecs::Ecs;
use super::failure::failure;
use crate::error::Failure;
use maestro_core::rollout::service_deployment::{ObservedServiceDeployment, PausedHook};
use maestro_core::spec::approval::TimeoutAction;

const BATCH: usize = 20;

impl Ecs {
    /// The service deployments `arns`; one ECS does not know is left out.
    pub(crate) async fn service_deployments(&self, arns: &[String]) -> Result<Vec<ObservedServiceDeployment>, Failure> {
        // Every batch at once: none needs another's answer.
        let mut reads = tokio::task::JoinSet::new();
        for (index, batch) in arns.chunks(BATCH).enumerate() {
            let request = self.0.describe_service_deployments().set_service_deployment_arns(Some(batch.to_vec()));
            reads.spawn(async move { (index, request.send().await) });
        }
        let mut answers = Vec::new();
        while let Some(joined) = reads.join_next().await {
            answers.push(
                joined.map_err(|error| Failure::new(format!("describing service deployments stopped: {error}")))?,
            );
        }
        answers.sort_by_key(|(index, _)| *index);
        let mut found = Vec::new();
        for (_, answer) in answers {
            let output = answer.map_err(|error| failure("describe the service deployments", &error))?;
            found.extend(output.service_deployments().iter().map(|deployment| ObservedServiceDeployment {
                arn: deployment.service_deployment_arn().unwrap_or_default().to_owned(),
                status: deployment.status().map(|status| status.as_str().to_owned()).unwrap_or_default(),
                reason: deployment.status_reason().map(str::to_owned),
                // `as_str`: a stage newer than this SDK arrives as its name all the same.
                stage: deployment.lifecycle_stage().map(|stage| stage.as_str().to_owned()),
                pause: deployment.lifecycle_hook_details().iter().find_map(paused_hook),
            }));
        }
        Ok(found)
    }

    /// Rolls `arn` back to the revision that ran before it (StopServiceDeployment `ROLLBACK`:
    /// "rolls back the service deployment to the previous service revision").
    pub(crate) async fn roll_back_service_deployment(&self, arn: &str) -> Result<(), Failure> {
        self.0
            .stop_service_deployment()
            .service_deployment_arn(arn)
            .stop_type(StopServiceDeploymentStopType::Rollback)
            .send()
            .await
            .map_err(|error| failure(&format!("roll back the service deployment {arn}"), &error))?;
        Ok(())
    }

    /// Resolves the PAUSE hook `hook_id` holding `arn`: on to the next stage, or back to the
    /// revision that ran before (ContinueServiceDeployment).
    pub(crate) async fn resolve_pause(&self, arn: &str, hook_id: &str, action: PauseAction) -> Result<(), Failure> {
        let (action, verb) = match action {
            PauseAction::Continue => (DeploymentLifecycleHookAction::Continue, "continue"),
            PauseAction::RollBack => (DeploymentLifecycleHookAction::Rollback, "roll back"),
        };
        self.0
            .continue_service_deployment()
            .service_deployment_arn(arn)
            .hook_id(hook_id)
            .action(action)
            .send()
            .await
            .map_err(|error| failure(&format!("{verb} the paused service deployment {arn}"), &error))?;
        Ok(())
    }

    /// Each of `names`' current service deployment (`Service.currentServiceDeployment`): `None`
    /// for a service missing or inactive, or one ECS names none for. DescribeServices, 10 a call.
    pub(crate) async fn current_service_deployments(
        &self,
        cluster: &str,
        names: &[String],
    ) -> Result<BTreeMap<String, Option<String>>, Failure> {
        let mut current: BTreeMap<String, Option<String>> = names.iter().map(|name| (name.clone(), None)).collect();
        // A missing cluster has no deployment in progress either.
        for service in self.described(cluster, names, false).await?.unwrap_or_default() {
            if service.status() == Some("ACTIVE") {
                let name = service.service_name().unwrap_or_default().to_owned();
                current.insert(name, service.current_service_deployment().map(str::to_owned));
            }
        }
        Ok(current)
    }
}

/// What `maestro continue` and `maestro abort` do with a paused deployment.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum PauseAction {
    Continue,
    RollBack,
}

/// A PAUSE hook that waits for someone: `AWAITING_ACTION` ("Valid values include AWAITING_ACTION,
/// IN_PROGRESS, SUCCEEDED, FAILED, and TIMED_OUT", DeploymentLifecycleHookDetail).
fn paused_hook(detail: &DeploymentLifecycleHookDetail) -> Option<PausedHook> {
    let awaiting = detail.status() == Some(&DeploymentLifecycleHookStatus::AwaitingAction);
    if !awaiting || detail.target_type() != Some(&DeploymentLifecycleHookTargetType::Pause) {
        return None;
    }
    Some(PausedHook {
        hook_id: detail.hook_id()?.to_owned(),
        expires_at: detail.expires_at().and_then(|at| at.fmt(aws_smithy_types::date_time::Format::DateTime).ok()),
        // "Default: ROLLBACK" (DeploymentLifecycleHookTimeoutConfiguration.action).
        timeout_action: detail
            .timeout_action()
            .and_then(|action| TimeoutAction::of(action.as_str()))
            .unwrap_or(TimeoutAction::Rollback),
    })
}
