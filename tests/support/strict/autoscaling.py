"""Application Auto Scaling: a new ECS service not yet visible to it, and its paginated reads.

moto's DescribeScalableTargets loops on its own token past the second page, and its
DescribeScalingPolicies ignores `PolicyNames`; both are answered here as AWS documents them."""

import json

from moto.applicationautoscaling import responses as autoscaling_responses

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
        if consistency.not_yet_scalable.consume(consistency.scalable_key(self.current_account, self.region, resource_id)):
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
        refuse("ValidationException", "1 validation error detected: Value at 'policyNames' failed to satisfy constraint: Member must have length less than or equal to 50")
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


def install():
    patch(Response, "register_scalable_target", register_scalable_target)
    Response.describe_scalable_targets = describe_scalable_targets
    Response.describe_scaling_policies = describe_scaling_policies
