//! Application Auto Scaling: the services' scalable targets and target-tracking policies.

use aws_sdk_applicationautoscaling::Client;
use aws_sdk_applicationautoscaling::types::{
    MetricType, PolicyType, PredefinedMetricSpecification, ScalableDimension, ServiceNamespace,
    TargetTrackingScalingPolicyConfiguration,
};

use super::failure::{CallError, NotYet, classified, failure};
use crate::error::Failure;
use maestro_core::provision::action::PolicySpec;
use maestro_core::provision::observed::{ObservedScalableTarget, ObservedScalingPolicy};

#[derive(Debug, Clone)]
pub(crate) struct Autoscaling(pub(crate) Client);

/// "Because ECS APIs are eventually consistent, the Autoscaling registration call sometimes fails
/// with 'ECS service doesn't exist'" (spinnaker/spinnaker#4371).
const UNKNOWN_SERVICE: NotYet = NotYet {
    code: "ValidationException",
    text: "service doesn't exist",
    window: maestro_core::eventual::SERVICE_KNOWN_TO_AUTOSCALING,
};

impl Autoscaling {
    /// The scalable targets among `resource_ids`, and the policies named `policy_names` on them.
    pub(crate) async fn observe(
        &self,
        resource_ids: &[String],
        policy_names: &[String],
    ) -> Result<(Vec<ObservedScalableTarget>, Vec<ObservedScalingPolicy>), Failure> {
        if resource_ids.is_empty() {
            return Ok((Vec::new(), Vec::new()));
        }
        // The targets and every 50 policy names (the API's limit) are read at once.
        let targets = async {
            let mut targets = Vec::new();
            let mut pages = self
                .0
                .describe_scalable_targets()
                .service_namespace(ServiceNamespace::Ecs)
                .set_resource_ids(Some(resource_ids.to_vec()))
                .into_paginator()
                .send();
            while let Some(page) = pages.next().await {
                let page = page.map_err(|error| failure("describe the services' scalable targets", &error))?;
                targets.extend(page.scalable_targets().iter().map(|target| ObservedScalableTarget {
                    resource_id: target.resource_id().to_owned(),
                    min: u32::try_from(target.min_capacity()).unwrap_or_default(),
                    max: u32::try_from(target.max_capacity()).unwrap_or_default(),
                }));
            }
            Ok::<_, Failure>(targets)
        };
        let policies = async {
            let mut reads = tokio::task::JoinSet::new();
            for (index, names) in policy_names.chunks(50).enumerate() {
                let (autoscaling, names, resource_ids) = (self.clone(), names.to_vec(), resource_ids.to_vec());
                reads.spawn(async move { (index, autoscaling.policies_named(names, &resource_ids).await) });
            }
            let mut answers = Vec::new();
            while let Some(joined) = reads.join_next().await {
                answers
                    .push(joined.map_err(|error| Failure::new(format!("reading scaling policies stopped: {error}")))?);
            }
            // In the names' order: the first failure is said, whichever answers first.
            answers.sort_by_key(|(index, _)| *index);
            // Keyed by (resource, name): a listing that ignores its filter cannot report a policy twice.
            let mut policies = std::collections::BTreeMap::new();
            for (_, answer) in answers {
                policies.extend(answer?);
            }
            Ok::<_, Failure>(policies)
        };
        // Both answers awaited, the targets' failure said first: the same one whatever answers first.
        let (targets, policies) = tokio::join!(targets, policies);
        Ok((targets?, policies?.into_values().collect()))
    }

    /// The policies named `names` (at most 50) on `resource_ids`, by resource and name.
    async fn policies_named(
        &self,
        names: Vec<String>,
        resource_ids: &[String],
    ) -> Result<Vec<((String, String), ObservedScalingPolicy)>, Failure> {
        let mut policies = Vec::new();
        let mut pages = self
            .0
            .describe_scaling_policies()
            .service_namespace(ServiceNamespace::Ecs)
            .set_policy_names(Some(names))
            .into_paginator()
            .send();
        while let Some(page) = pages.next().await {
            let page = page.map_err(|error| failure("describe the services' scaling policies", &error))?;
            let ours = page
                .scaling_policies()
                .iter()
                .filter(|policy| resource_ids.iter().any(|id| id == policy.resource_id()));
            policies.extend(ours.map(|policy| {
                let tracking = policy.target_tracking_scaling_policy_configuration();
                let metric = tracking.and_then(|tracking| tracking.predefined_metric_specification());
                let key = (policy.resource_id().to_owned(), policy.policy_name().to_owned());
                (
                    key,
                    ObservedScalingPolicy {
                        name: policy.policy_name().to_owned(),
                        resource_id: policy.resource_id().to_owned(),
                        metric_type: metric
                            .map(|metric| metric.predefined_metric_type().as_str().to_owned())
                            .unwrap_or_default(),
                        target: tracking.map(|tracking| tracking.target_value()).unwrap_or_default(),
                        disable_scale_in: tracking.and_then(|tracking| tracking.disable_scale_in()).unwrap_or(false),
                        resource_label: metric.and_then(|metric| metric.resource_label()).map(str::to_owned),
                        scale_in_cooldown: tracking.and_then(|tracking| tracking.scale_in_cooldown()),
                        scale_out_cooldown: tracking.and_then(|tracking| tracking.scale_out_cooldown()),
                    },
                )
            }));
        }
        Ok(policies)
    }

    /// Creates or updates the target. Right after CreateService, Application Auto Scaling may not
    /// know the service yet: that answer is `NotYet`.
    pub(crate) async fn register_target(&self, resource_id: &str, min: u32, max: u32) -> Result<(), CallError> {
        self.0
            .register_scalable_target()
            .service_namespace(ServiceNamespace::Ecs)
            .scalable_dimension(ScalableDimension::EcsServiceDesiredCount)
            .resource_id(resource_id)
            .min_capacity(i32::try_from(min).unwrap_or(i32::MAX))
            .max_capacity(i32::try_from(max).unwrap_or(i32::MAX))
            .send()
            .await
            .map_err(|error| {
                classified(&format!("register scalable target {resource_id}"), &error, &[UNKNOWN_SERVICE])
            })?;
        Ok(())
    }

    pub(crate) async fn deregister_target(&self, resource_id: &str) -> Result<(), Failure> {
        self.0
            .deregister_scalable_target()
            .service_namespace(ServiceNamespace::Ecs)
            .scalable_dimension(ScalableDimension::EcsServiceDesiredCount)
            .resource_id(resource_id)
            .send()
            .await
            .map_err(|error| failure(&format!("deregister scalable target {resource_id}"), &error))?;
        Ok(())
    }

    pub(crate) async fn put_policy(&self, policy: &PolicySpec, resource_label: Option<String>) -> Result<(), Failure> {
        let metric = PredefinedMetricSpecification::builder()
            .predefined_metric_type(MetricType::from(policy.metric_type.as_str()))
            .set_resource_label(resource_label)
            .build()
            .map_err(|error| Failure::new(format!("invalid scaling metric: {error}")))?;
        let tracking = TargetTrackingScalingPolicyConfiguration::builder()
            .target_value(policy.target)
            .predefined_metric_specification(metric)
            .scale_in_cooldown(policy.scale_in_cooldown)
            .scale_out_cooldown(policy.scale_out_cooldown)
            .disable_scale_in(policy.disable_scale_in)
            .build()
            .map_err(|error| Failure::new(format!("invalid scaling policy: {error}")))?;
        self.0
            .put_scaling_policy()
            .policy_name(&policy.name)
            .service_namespace(ServiceNamespace::Ecs)
            .scalable_dimension(ScalableDimension::EcsServiceDesiredCount)
            .resource_id(&policy.resource_id)
            .policy_type(PolicyType::TargetTrackingScaling)
            .target_tracking_scaling_policy_configuration(tracking)
            .send()
            .await
            .map_err(|error| failure(&format!("put scaling policy {}", policy.name), &error))?;
        Ok(())
    }

    pub(crate) async fn delete_policy(&self, name: &str, resource_id: &str) -> Result<(), Failure> {
        self.0
            .delete_scaling_policy()
            .policy_name(name)
            .service_namespace(ServiceNamespace::Ecs)
            .scalable_dimension(ScalableDimension::EcsServiceDesiredCount)
            .resource_id(resource_id)
            .send()
            .await
            .map_err(|error| failure(&format!("delete scaling policy {name}"), &error))?;
        Ok(())
    }
}
