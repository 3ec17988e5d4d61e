"""ECS service deployments: ListServiceDeployments, DescribeServiceDeployments and
StopServiceDeployment within AWS's limits (moto_plus's service_deployments.py models them)."""

from moto.core.responses import ActionResult
from moto.ecs import responses as ecs_responses

import service_deployments

from .aws import page, patch, refuse

Response = ecs_responses.EC2ContainerServiceResponse

# ServiceDeploymentStatus and StopServiceDeploymentStopType (aws-sdk-ecs): anything else is refused.
STATUSES = set(service_deployments.ONGOING) | set(service_deployments.COMPLETED)
STOP_TYPES = ("ABORT", "ROLLBACK")
# DescribeServiceDeployments.serviceDeploymentArns: "You can specify a maximum of 20 ARNs."
MOST_ARNS = 20


def describe_service_deployments(original, self):
    arns = self._get_param("serviceDeploymentArns") or []
    if not arns:
        refuse("InvalidParameterException", "serviceDeploymentArns can not be empty.")
    if len(arns) > MOST_ARNS:
        refuse("InvalidParameterException", f"At most {MOST_ARNS} service deployment ARNs can be described at once.")
    return original(self)


def list_service_deployments(original, self):
    """ListServiceDeployments.maxResults: "This value can be between 1 and 100."; `status` holds
    ServiceDeploymentStatus values; pages of at most PAGE behind a token ("If you provided
    maxResults, it's possible the number of results is fewer than maxResults")."""
    requested = self._get_param("maxResults")
    if requested is not None and not 1 <= int(requested) <= 100:
        refuse("InvalidParameterException", "maxResults must be between 1 and 100.")
    statuses = self._get_param("status") or []
    unknown = [status for status in statuses if status not in STATUSES]
    if unknown:
        refuse("InvalidParameterException", f"Invalid status: {', '.join(unknown)}.")
    backend = self.ecs_backend
    service = backend._get_service(self._get_param("cluster", "default"), self._get_param("service"))
    records = service_deployments.listed(service.arn, statuses, self._get_param("createdAt"))

    def invalid():
        refuse("InvalidParameterException", "Invalid nextToken.")

    chunk, token = page(records, self._get_param("nextToken"), requested, invalid)
    return ActionResult({"serviceDeployments": [service_deployments.brief(r) for r in chunk], "nextToken": token})


def stop_service_deployment(original, self):
    """StopServiceDeployment.stopType: "Valid Values: ABORT | ROLLBACK" (API reference); ROLLBACK
    when omitted (moto_plus)."""
    stop_type = self._get_param("stopType")
    if stop_type is not None and stop_type not in STOP_TYPES:
        refuse("InvalidParameterException", f"Invalid stopType: {stop_type}. Valid values are ABORT and ROLLBACK.")
    return original(self)


def install():
    patch(Response, "describe_service_deployments", describe_service_deployments)
    patch(Response, "list_service_deployments", list_service_deployments)
    patch(Response, "stop_service_deployment", stop_service_deployment)
