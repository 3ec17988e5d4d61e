"""ECS services: CreateService, UpdateService, DeleteService, DescribeServices and ListServices as
ECS documents them (moto_plus keeps their fields and rolls their deployments)."""

import re

from moto.core.responses import ActionResult
from moto.ecs import responses as ecs_responses

from . import consistency
from .aws import page, patch, refuse
from .ecs_attachments import check_load_balancers, check_service_connect
from .ecs_launch import check_exec, check_fargate, runs_on_fargate
from .ecs_network import check_network

Response = ecs_responses.EC2ContainerServiceResponse

# CreateService serviceName: "Up to 255 letters (uppercase and lowercase), numbers, underscores,
# and hyphens are allowed." (aws-sdk-ecs 1.157.0)
NAME = re.compile(r"^[A-Za-z0-9_-]{1,255}$")
# UpdateService (aws-sdk-ecs 1.157.0): networkConfiguration, loadBalancers and
# serviceConnectConfiguration (like taskDefinition, platformVersion, serviceRegistries,
# volumeConfigurations and vpcLatticeConfigurations): "This parameter triggers a new service
# deployment." (placementConstraints and placementStrategy: "This parameter doesn't trigger a new
# service deployment.") loadBalancers: "You can remove existing loadBalancers by passing an empty
# list", so an empty list is sent and counts. The rule lives here only: moto_plus starts a
# deployment for forceNewDeployment, and MOTO_PLUS_LENIENT=1 leaves UpdateService as moto has it.
DEPLOYMENT_TRIGGERS = (
    "networkConfiguration",
    "loadBalancers",
    "serviceConnectConfiguration",
    "platformVersion",
    "serviceRegistries",
    "volumeConfigurations",
    "vpcLatticeConfigurations",
)


def key(self, cluster, name):
    return consistency.service_key(self.current_account, self.region, cluster, name)


def seen(self, cluster, service):
    """One observation of a deleted service: DRAINING for a few, then INACTIVE."""
    if service.status == "DRAINING" and not consistency.draining.consume(key(self, cluster, service.name)):
        service.status = "INACTIVE"


def check_attachments(self, definition, fargate, params, action, required_network=True, exec_now=False):
    """`exec_now`: whether ECS Exec is on for the service now. An UpdateService that omits
    enableExecuteCommand keeps it ("If you do not want to override the value that was set when the
    service was created, you can set this to null", UpdateService.enableExecuteCommand, aws-sdk-ecs
    1.157.0), so a new definition without a task role is refused for an exec-enabled service even
    then."""
    check_fargate(definition, fargate)
    check_exec(definition, params.get("enableExecuteCommand", exec_now), action)
    check_network(self.current_account, self.region, definition, params.get("networkConfiguration"), required_network)
    if params.get("loadBalancers") is not None:
        check_load_balancers(self.current_account, self.region, definition, params["loadBalancers"])
    check_service_connect(definition, params.get("serviceConnectConfiguration"))


# ThresholdConfiguration (https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_ThresholdConfiguration.html):
# `type` "Valid Values: COUNT | BOUNDED_PERCENT | UNBOUNDED_PERCENT", "Required: Yes"; `value`
# "Type: Integer", "Required: Yes". DeploymentCircuitBreaker: "The deployment circuit breaker can only
# be used for services using the rolling update (ECS) deployment type." moto stores any of it.
THRESHOLD_TYPES = ("COUNT", "BOUNDED_PERCENT", "UNBOUNDED_PERCENT")


def check_circuit_breaker(params, controller):
    breaker = (params.get("deploymentConfiguration") or {}).get("deploymentCircuitBreaker")
    if not breaker:
        return
    if controller not in (None, "ECS"):
        refuse(
            "InvalidParameterException",
            "The deployment circuit breaker can only be used with the rolling update (ECS) deployment controller.",
        )
    threshold = breaker.get("thresholdConfiguration")
    if threshold is None:
        return
    if threshold.get("type") not in THRESHOLD_TYPES:
        refuse(
            "InvalidParameterException",
            f"thresholdConfiguration.type '{threshold.get('type')}' must be one of {', '.join(THRESHOLD_TYPES)}.",
        )
    if not isinstance(threshold.get("value"), int):
        refuse("InvalidParameterException", "thresholdConfiguration.value is required and must be an integer.")


# healthCheckGracePeriodSeconds (CreateService, UpdateService): "you can specify a health check
# grace period of up to 2,147,483,647 seconds (about 69 years)"; "If you do not use any of the
# health checks, then healthCheckGracePeriodSeconds is unused" (aws-sdk-ecs 1.157.0;
# https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_CreateService.html). It once
# required a load balancer (aws-cloudformation/cfn-lint#3612); the reference now names container
# and VPC Lattice health checks too, and ECS answers 0 for every service (kayac/ecspresso#805), so
# a service without one is not refused. moto takes any number.
GRACE_PERIOD_MAX = 2_147_483_647


def check_grace_period(params):
    grace = params.get("healthCheckGracePeriodSeconds")
    if grace is not None and not (isinstance(grace, int) and 0 <= grace <= GRACE_PERIOD_MAX):
        refuse(
            "InvalidParameterException",
            f"healthCheckGracePeriodSeconds '{grace}' must be between 0 and {GRACE_PERIOD_MAX}.",
        )


def create_service(original, self):
    """"If you attempt to create a new service with the same name as an existing service in either
    ACTIVE or DRAINING status, you receive an error." (DeleteService, aws-sdk-ecs 1.157.0); ECS's
    words: "Creation of service was not idempotent." and "Unable to Start a service that is still
    Draining." moto replaces the existing service instead."""
    params = self._get_params()
    backend = self.ecs_backend
    cluster = backend._get_cluster(params.get("cluster", "default")).name
    name = params.get("serviceName") or ""
    if not NAME.match(name):
        refuse(
            "InvalidParameterException",
            f"Service name '{name}' is invalid: up to 255 letters, numbers, underscores and hyphens.",
        )
    existing = backend.services.get(f"{cluster}:{name}")
    if existing is not None:
        seen(self, cluster, existing)
        if existing.status == "ACTIVE":
            refuse("InvalidParameterException", "Creation of service was not idempotent.")
        if existing.status == "DRAINING":
            refuse("InvalidParameterException", "Unable to Start a service that is still Draining.")
    definition = backend.describe_task_definition(params.get("taskDefinition"))
    fargate = runs_on_fargate(backend, cluster, params.get("launchType"), params.get("capacityProviderStrategy"))
    check_attachments(self, definition, fargate, params, "create")
    check_grace_period(params)
    check_circuit_breaker(params, (params.get("deploymentController") or {}).get("type"))
    result = original(self)
    result.result["service"].strict_fargate = fargate
    consistency.service_missing.open(key(self, cluster, name), consistency.SERVICE_MISSING_CALLS)
    consistency.not_yet_scalable.open(key(self, cluster, name), consistency.SCALABLE_TARGET_REFUSALS)
    return result


def update_service(original, self):
    params = self._get_params()
    backend = self.ecs_backend
    cluster = backend._get_cluster(params.get("cluster", "default")).name
    service = backend._get_service(cluster, params.get("service", "").split("/")[-1])
    seen(self, cluster, service)
    if service.status != "ACTIVE":
        # UpdateService's errors (aws-sdk-ecs 1.157.0): ServiceNotActiveException, "The specified
        # service isn't active. You can't update a service that's inactive."
        refuse("ServiceNotActiveException", "Service was not ACTIVE.")
    definition = backend.describe_task_definition(params.get("taskDefinition") or service.task_definition)
    fargate = getattr(service, "strict_fargate", False)
    if params.get("capacityProviderStrategy"):
        fargate = runs_on_fargate(backend, cluster, None, params["capacityProviderStrategy"])
    exec_now = getattr(service, "enable_execute_command", False)  # kept by moto_plus (KEPT_ON_CREATE)
    check_attachments(self, definition, fargate, params, "update", required_network=False, exec_now=exec_now)
    check_grace_period(params)
    controller = getattr(service, "deployment_controller", None) or {}
    check_circuit_breaker(params, controller.get("type") if isinstance(controller, dict) else None)
    if any(params.get(field) is not None for field in DEPLOYMENT_TRIGGERS):
        # moto_plus starts a deployment for forceNewDeployment: the documented effect of these fields.
        params["forceNewDeployment"] = True
    return original(self)


def delete_service(original, self):
    backend = self.ecs_backend
    cluster = backend._get_cluster(self._get_param("cluster", "default")).name
    service = backend._get_service(cluster, self._get_param("service", "").split("/")[-1])
    seen(self, cluster, service)
    if service.status != "ACTIVE":
        refuse("ServiceNotActiveException", "Service was not ACTIVE.")
    result = original(self)
    # Deleted, so known: the window in which a new service may be MISSING is over.
    consistency.service_missing.close(key(self, cluster, service.name))
    service.status = "DRAINING"
    consistency.draining.open(key(self, cluster, service.name), consistency.DRAINING_CALLS)
    return result


def describe_services(self):
    """Up to 10 services per call ("You may specify up to 10 services to describe in a single
    operation.", aws-sdk-ecs 1.157.0); a service CreateService just made is MISSING for a while."""
    backend = self.ecs_backend
    cluster = backend._get_cluster(self._get_param("cluster", "default")).name
    names = self._get_param("services", [])
    if not names:
        refuse("InvalidParameterException", "Services cannot be empty.")
    if len(names) > 10:
        refuse("InvalidParameterException", "services can have at most 10 items.")
    visible, missing = [], []
    for name_or_arn in names:
        name = name_or_arn.split("/")[-1]
        if consistency.service_missing.consume(key(self, cluster, name)):
            arn = f"arn:aws:ecs:{self.region}:{self.current_account}:service/{cluster}/{name}"
            arn = name_or_arn if name_or_arn.startswith("arn:") else arn
            missing.append({"arn": arn, "reason": "MISSING"})
        else:
            visible.append(name_or_arn)
    services, failures = backend.describe_services(cluster, visible) if visible else ([], [])
    for service in services:
        seen(self, cluster, service)
    # This request's own switch: moto_plus.py `response_init` gives each response its own copy of
    # the dict these write into (moto's is shared by every request thread).
    tags = "DescribeServicesResponse.services.Service.tags"
    if "TAGS" in self._get_param("include", []):
        self._include_in_response(tags)
    else:
        self._exclude_from_response(tags)
    return ActionResult({"services": services, "failures": failures + missing})


def list_services(self):
    """Paginated ("If maxResults was provided, it is possible the number of results to be fewer
    than maxResults", aws-sdk-ecs 1.157.0), and a deleted service "is no longer visible … in the
    ListServices API operation" (DeleteService)."""
    backend = self.ecs_backend
    cluster = backend._get_cluster(self._get_param("cluster", "default")).name
    launch_type = self._get_param("launchType")
    strategy = self._get_param("schedulingStrategy")
    arns = sorted(
        service.arn
        for service in backend.services.values()
        if service.cluster_name == cluster
        and service.status == "ACTIVE"
        and launch_type in (None, service.launch_type)
        and strategy in (None, service.scheduling_strategy)
    )

    def invalid():
        refuse("InvalidParameterException", "Invalid nextToken.")

    chunk, token = page(arns, self._get_param("nextToken"), self._get_param("maxResults"), invalid)
    return ActionResult({"serviceArns": chunk, "nextToken": token})


def install():
    patch(Response, "create_service", create_service)
    patch(Response, "update_service", update_service)
    patch(Response, "delete_service", delete_service)
    Response.describe_services = describe_services
    Response.list_services = list_services
