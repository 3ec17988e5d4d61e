"""Application Auto Scaling: a new ECS service not yet visible to it, and its paginated reads.

moto's DescribeScalableTargets loops on its own token past the second page, and its
DescribeScalingPolicies ignores `PolicyNames`; both are answered here as AWS documents them."""

import json
import re

from moto.applicationautoscaling import responses as autoscaling_responses
from moto.ecs.models import ecs_backends

from . import consistency
from .aws import page, patch, refuse

Response = autoscaling_responses.ApplicationAutoScalingResponse


def invalid_token():
    refuse("InvalidNextTokenException", "Invalid token")


def register_scalable_target(original, self):
    """Right after CreateService, ECS's service is not yet visible to Application Auto Scaling:
    "ValidationException: ECS service doesn't exist: service/<cluster>/<service>"
    (spinnaker/spinnaker#4371; the wording is the one moto gives a service that does not exist)."""
    resource_id = self._get_param("ResourceId") or ""
    if self._get_param("ServiceNamespace") == "ecs" and resource_id.count("/") == 2:
        scalable = consistency.scalable_key(self.current_account, self.region, resource_id)
        if consistency.not_yet_scalable.consume(scalable):
            refuse("ValidationException", f"ECS service doesn't exist: {resource_id}")
    low, high = self._get_int_param("MinCapacity"), self._get_int_param("MaxCapacity")
    if low is not None and high is not None and low > high:
        refuse("ValidationException", "Minimum capacity cannot be greater than maximum capacity")
    return original(self)


def describe_scalable_targets(self):
    """"The maximum number of scalable targets. This value can be between 1 and 50. The default
    value is 50." and, like every list here, a next token when more remain
    (aws-sdk-applicationautoscaling 1.127.0, DescribeScalableTargets)."""
    self._validate_params()
    targets = self.applicationautoscaling_backend.describe_scalable_targets(
        self._get_param("ServiceNamespace"), self._get_param("ResourceIds"), self._get_param("ScalableDimension")
    )
    chunk, token = page(list(targets), self._get_param("NextToken"), self._get_int_param("MaxResults"), invalid_token)
    built = [autoscaling_responses._build_target(target) for target in chunk]
    return json.dumps({"ScalableTargets": built, "NextToken": token})


def describe_scaling_policies(self):
    """`PolicyNames`: "The names of the scaling policies to describe."; `MaxResults`: "This value
    can be between 1 and 10. The default value is 10." (aws-sdk-applicationautoscaling 1.127.0)"""
    names = self._get_param("PolicyNames") or []
    if len(names) > 50:
        refuse(
            "ValidationException",
            "1 validation error detected: Value at 'policyNames' failed to satisfy constraint: Member must have "
            "length less than or equal to 50",
        )
    namespace, resource_id = self._get_param("ServiceNamespace"), self._get_param("ResourceId")
    dimension = self._get_param("ScalableDimension")
    policies = [
        policy
        for policy in self.applicationautoscaling_backend.policies.values()
        if policy.service_namespace == namespace
        and resource_id in (None, policy.resource_id)
        and dimension in (None, policy.scalable_dimension)
        and (not names or policy.policy_name in names)
    ]
    chunk, token = page(policies, self._get_param("NextToken"), self._get_int_param("MaxResults"), invalid_token)
    built = [autoscaling_responses._build_policy(policy) for policy in chunk]
    return json.dumps({"ScalingPolicies": built, "NextToken": token})


# "app/<load-balancer-name>/<load-balancer-id>/targetgroup/<target-group-name>/<target-group-id>"
# (aws-sdk-applicationautoscaling 1.127.0, PredefinedMetricSpecification::resource_label)
RESOURCE_LABEL = re.compile(r"^app/[^/]+/[0-9a-f]+/(targetgroup/[^/]+/[0-9a-f]+)$")


def put_scaling_policy(original, self):
    """"You cannot create a scaling policy until you have registered the resource as a scalable
    target." (PutScalingPolicy; the answer is ObjectNotFoundException, cloudposse/terraform-aws-
    ecs-cloudwatch-autoscaling#36), and a resource label is given exactly for ALBRequestCountPerTarget,
    naming a target group attached to the service: "You can't specify a resource label unless the
    metric type is ALBRequestCountPerTarget and there is a target group attached to the … ECS
    service." (PredefinedMetricSpecification::resource_label)"""
    namespace, resource_id = self._get_param("ServiceNamespace"), self._get_param("ResourceId") or ""
    dimension = self._get_param("ScalableDimension")
    if resource_id not in self.applicationautoscaling_backend.targets.get(dimension, {}):
        refuse(
            "ObjectNotFoundException",
            f"No scalable target registered for service namespace: {namespace}, resource ID: {resource_id}, scalable "
            f"dimension: {dimension}",
        )
    tracking = self._get_param("TargetTrackingScalingPolicyConfiguration") or {}
    metric = tracking.get("PredefinedMetricSpecification") or {}
    label = metric.get("ResourceLabel")
    if metric.get("PredefinedMetricType") != "ALBRequestCountPerTarget":
        if label:
            refuse(
                "ValidationException",
                "ResourceLabel can be specified only for the ALBRequestCountPerTarget metric type.",
            )
        return original(self)
    match = RESOURCE_LABEL.match(label or "")
    if match is None:
        refuse(
            "ValidationException",
            f"ResourceLabel '{label}' must be app/<load-balancer-name>/<id>/targetgroup/<target-group-name>/<id>.",
        )
    if namespace == "ecs" and resource_id.count("/") == 2:
        _, cluster, name = resource_id.split("/")
        service = ecs_backends[self.current_account][self.region].services.get(f"{cluster}:{name}")
        attached = [balancer.get("targetGroupArn", "") for balancer in (service.load_balancers if service else [])]
        if not any(arn.endswith(":" + match.group(1)) for arn in attached):
            refuse(
                "ValidationException",
                f"The target group of ResourceLabel '{label}' is not attached to {resource_id}.",
            )
    return original(self)


def install():
    patch(Response, "put_scaling_policy", put_scaling_policy)
    patch(Response, "register_scalable_target", register_scalable_target)
    Response.describe_scalable_targets = describe_scalable_targets
    Response.describe_scaling_policies = describe_scaling_policies
