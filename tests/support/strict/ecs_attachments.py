"""What a service attaches to: target groups (CreateService, UpdateService) and Service Connect."""

import re

from moto.elbv2.models import elbv2_backends

from .aws import refuse

# ServiceConnectService.discoveryName (aws-sdk-ecs 1.157.0): "The name can contain up to 64
# characters. The name can include lowercase letters, numbers, underscores (_), and hyphens (-).
# The name can't start with a hyphen."
DISCOVERY_NAME = re.compile(r"^[a-z0-9_][a-z0-9_-]{0,63}$")


def check_load_balancers(account, region, definition, balancers):
    """Each target group must exist, be forwarded to by a listener or rule ("InvalidParameterException:
    The target group with targetGroupArn … does not have an associated load balancer."
    cloudposse/terraform-aws-ecs-web-app#226, hashicorp/terraform-provider-aws#29990), have the `ip`
    target type in awsvpc ("you must choose ip as the target type, not instance", LoadBalancer,
    aws-sdk-ecs 1.157.0), and name a container port of the definition ("This port must correspond
    to a containerPort in the task definition")."""
    elb = elbv2_backends[account][region]
    for balancer in balancers or []:
        arn = balancer.get("targetGroupArn")
        group = elb.target_groups.get(arn)
        if group is None:
            refuse(
                "InvalidParameterException",
                f"Unable to describe target group {arn}: One or more target groups not found",
            )
        if not group.load_balancer_arns:
            refuse(
                "InvalidParameterException",
                f"The target group with targetGroupArn {arn} does not have an associated load balancer.",
            )
        if definition is None:
            continue
        if definition.network_mode == "awsvpc" and group.target_type != "ip":
            refuse(
                "InvalidParameterException",
                f"The provided target group {arn} has target type {group.target_type}, which is incompatible with the "
                "awsvpc network mode specified in the task definition.",
            )
        name, port = balancer.get("containerName"), balancer.get("containerPort")
        container = next((c for c in definition.container_definitions if c.get("name") == name), None)
        if container is None:
            refuse("InvalidParameterException", f"The container {name} does not exist in the task definition.")
        if not any(m.get("containerPort") == port for m in container.get("portMappings") or []):
            refuse("InvalidParameterException", f"The container {name} did not have a container port {port} defined.")


def check_service_connect(definition, configuration):
    """ServiceConnectService (aws-sdk-ecs 1.157.0): the discoveryName limit above, and "The portName
    must match the name of one of the portMappings from all the containers in the task definition
    of this Amazon ECS service."""
    if not configuration or not configuration.get("enabled"):
        return
    port_names = set()
    if definition is not None:
        for container in definition.container_definitions:
            port_names.update(m.get("name") for m in container.get("portMappings") or [] if m.get("name"))
    for service in configuration.get("services") or []:
        discovery = service.get("discoveryName")
        if discovery is not None and not DISCOVERY_NAME.match(discovery):
            refuse(
                "InvalidParameterException",
                f"Invalid discoveryName '{discovery}': up to 64 lowercase letters, numbers, underscores and hyphens, "
                "not starting with a hyphen.",
            )
        if definition is not None and service.get("portName") not in port_names:
            refuse(
                "InvalidParameterException",
                f"The portName '{service.get('portName')}' does not match a named port mapping of the task definition.",
            )
