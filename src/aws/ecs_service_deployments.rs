//! ECS service deployments: read 20 at a time (DescribeServiceDeployments' limit, "You can
//! specify a maximum of 20 ARNs"), each service's current one read from DescribeServices, and
//! stopped with a rollback (`maestro abort`).

use std::collections::BTreeMap;

use aws_sdk_ecs::types::StopServiceDeploymentStopType;

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
