//! ECS service deployments: read 20 at a time (DescribeServiceDeployments' limit, "You can
//! specify a maximum of 20 ARNs").

use super::ecs::Ecs;
use super::failure::failure;
use crate::error::Failure;
use maestro_core::rollout::service_deployment::ObservedServiceDeployment;

const BATCH: usize = 20;

impl Ecs {
    /// The service deployments `arns`; one ECS does not know is left out.
    pub(crate) async fn service_deployments(&self, arns: &[String]) -> Result<Vec<ObservedServiceDeployment>, Failure> {
        let mut found = Vec::new();
        for batch in arns.chunks(BATCH) {
            let output = self
                .0
                .describe_service_deployments()
                .set_service_deployment_arns(Some(batch.to_vec()))
                .send()
                .await
                .map_err(|error| failure("describe the service deployments", &error))?;
            found.extend(output.service_deployments().iter().map(|deployment| ObservedServiceDeployment {
                arn: deployment.service_deployment_arn().unwrap_or_default().to_owned(),
                status: deployment.status().map(|status| status.as_str().to_owned()).unwrap_or_default(),
                reason: deployment.status_reason().map(str::to_owned),
            }));
        }
        Ok(found)
    }
}
