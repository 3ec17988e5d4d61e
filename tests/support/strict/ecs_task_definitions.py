"""ECS task definitions: what RegisterTaskDefinition refuses, and how DescribeTaskDefinition answers.

moto registers anything and describes it back as sent. ECS validates a definition against the
launch types it asks for, needs an execution role for what the ECS agent does on the task's behalf,
and answers with its own order and defaults.
"""

import copy
import re

from moto.ecs import models as ecs_models
from moto.ecs import responses as ecs_responses
from moto.ecs.exceptions import TaskDefinitionNotFoundException

from .aws import patch, refuse

# "Up to 255 letters (uppercase and lowercase), numbers, underscores, and hyphens are allowed."
# (aws-sdk-ecs 1.157.0, RegisterTaskDefinitionFluentBuilder::family and ContainerDefinition::name)
NAME = re.compile(r"^[A-Za-z0-9_-]{1,255}$")
# "The name [of a port mapping] can include up to 64 characters. The characters can include lowercase
# letters, numbers, underscores (_), and hyphens (-). The name can't start with a hyphen."
# (aws-sdk-ecs 1.157.0, PortMapping::name)
PORT_NAME = re.compile(r"^[a-z0-9_][a-z0-9_-]{0,63}$")
# An ECR image: <account>.dkr.ecr.<region>.amazonaws.com[.cn]/<repository>
ECR_IMAGE = re.compile(r"^\d{12}\.dkr\.ecr\.[a-z0-9-]+\.amazonaws\.com(\.cn)?/")


def check_names(family, containers):
    if not NAME.match(family or ""):
        refuse("ClientException", f"Family '{family}' is invalid: up to 255 letters, numbers, underscores and hyphens.")
    for container in containers:
        name = container.get("name") or ""
        if not NAME.match(name):
            refuse(
                "ClientException",
                f"Container name '{name}' is invalid: up to 255 letters, numbers, underscores and hyphens.",
            )
        for mapping in container.get("portMappings") or []:
            if "name" in mapping and not PORT_NAME.match(mapping["name"]):
                refuse(
                    "ClientException",
                    f"Port mapping name '{mapping['name']}' is invalid: up to 64 lowercase letters, numbers, "
                    "underscores and hyphens, not starting with a hyphen.",
                )


def check_fargate(params, containers):
    """A definition that requires FARGATE is validated for it: awsvpc, task-level sizes, and an
    execution role for the logs and images the agent fetches.
    - "Fargate only supports network mode 'awsvpc'." (AWS, ClientException; the API reference:
      https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_RegisterTaskDefinition.html,
      networkMode: "If you're using Fargate, the awsvpc network mode is required.")
    - task size: "If you're using the Fargate launch type, this field is required"
      (https://docs.aws.amazon.com/AmazonECS/latest/developerguide/task_definition_parameters.html#task_size)
    - "Fargate requires task definition to have execution role ARN to support log driver awslogs."
      (virtual-kubelet/virtual-kubelet#193) and "... to support ECR images."
      (hashicorp/terraform-provider-aws#3051, jenkinsci/amazon-ecs-plugin#53)."""
    if "FARGATE" not in (params.get("requiresCompatibilities") or []):
        return
    if params.get("networkMode") != "awsvpc":
        refuse("ClientException", "Fargate only supports network mode 'awsvpc'.")
    for size in ("cpu", "memory"):
        if not params.get(size):
            refuse("ClientException", f"Fargate requires that '{size}' be defined at the task level.")
    if params.get("executionRoleArn"):
        return
    for container in containers:
        if (container.get("logConfiguration") or {}).get("logDriver") == "awslogs":
            refuse(
                "ClientException",
                "Fargate requires task definition to have execution role ARN to support log driver awslogs.",
            )
        if ECR_IMAGE.match(container.get("image") or ""):
            refuse(
                "ClientException",
                "Fargate requires task definition to have execution role ARN to support ECR images.",
            )


def check_execution_role(params, containers):
    """Secrets and private-registry credentials are fetched with the execution role, on any launch
    type: "When you are specifying container secrets, you must also specify a value for
    'executionRoleArn'." (fabfuel/ecs-deploy#87, hashicorp/terraform-provider-aws#6503);
    repositoryCredentials: "the task execution role ... is required"
    (https://docs.aws.amazon.com/AmazonECS/latest/developerguide/private-auth.html)."""
    if params.get("executionRoleArn"):
        return
    for container in containers:
        if container.get("secrets") or (container.get("logConfiguration") or {}).get("secretOptions"):
            refuse(
                "ClientException",
                "When you are specifying container secrets, you must also specify a value for 'executionRoleArn'.",
            )
        if container.get("repositoryCredentials"):
            refuse(
                "ClientException",
                "When you are specifying repository credentials, you must also specify a value for "
                "'executionRoleArn'.",
            )


def check_host_ports(params, containers):
    """"If you use containers in a task with the awsvpc or host network mode ... The hostPort can
    be left blank or it must be the same value as the containerPort." (aws-sdk-ecs 1.157.0, PortMapping)"""
    if params.get("networkMode") not in ("awsvpc", "host"):
        return
    for container in containers:
        for mapping in container.get("portMappings") or []:
            host = mapping.get("hostPort")
            if host not in (None, 0) and host != mapping.get("containerPort"):
                refuse(
                    "ClientException",
                    "When networkMode=awsvpc, the host ports and container ports in port mappings must match.",
                )


# RuntimePlatform's valid values
# (https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_RuntimePlatform.html).
CPU_ARCHITECTURES = ("X86_64", "ARM64")
OPERATING_SYSTEM_FAMILIES = (
    "WINDOWS_SERVER_2019_FULL",
    "WINDOWS_SERVER_2019_CORE",
    "WINDOWS_SERVER_2016_FULL",
    "WINDOWS_SERVER_2004_CORE",
    "WINDOWS_SERVER_2022_CORE",
    "WINDOWS_SERVER_2022_FULL",
    "WINDOWS_SERVER_2025_CORE",
    "WINDOWS_SERVER_2025_FULL",
    "WINDOWS_SERVER_20H2_CORE",
    "LINUX",
)


def check_runtime_platform(params):
    """`runtimePlatform` (RegisterTaskDefinition,
    https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_RegisterTaskDefinition.html):
    `cpuArchitecture` is `X86_64` or `ARM64` and `operatingSystemFamily` one of the listed families
    (RuntimePlatform, https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_RuntimePlatform.html;
    moto stores any string); and ARM64 "is available for tasks that run on Linux Amazon EC2
    instance, Amazon ECS Managed Instances, or Linux containers on Fargate" (the same page), so a
    Fargate definition cannot be ARM64 on Windows. The messages are ours, AWS's code."""
    platform = params.get("runtimePlatform")
    if platform is None:
        return
    architecture = platform.get("cpuArchitecture")
    family = platform.get("operatingSystemFamily")
    if architecture is not None and architecture not in CPU_ARCHITECTURES:
        refuse(
            "ClientException",
            f"runtimePlatform.cpuArchitecture '{architecture}' is invalid: valid values are X86_64 and ARM64.",
        )
    if family is not None and family not in OPERATING_SYSTEM_FAMILIES:
        refuse("ClientException", f"runtimePlatform.operatingSystemFamily '{family}' is invalid.")
    fargate = "FARGATE" in (params.get("requiresCompatibilities") or [])
    if fargate and architecture == "ARM64" and family not in (None, "LINUX"):
        refuse("ClientException", "Fargate supports the ARM64 CPU architecture for Linux tasks only.")


def register_task_definition(original, self):
    params = self._get_params()
    containers = params.get("containerDefinitions") or []
    check_names(params.get("family"), containers)
    check_fargate(params, containers)
    check_execution_role(params, containers)
    check_host_ports(params, containers)
    check_runtime_platform(params)
    return original(self)


def normalised(definition):
    """The definition as ECS describes it. ECS does not keep the order of containers, environment
    or secrets (terraform-provider-aws `internal/service/ecs/container_definitions.go`: "Deal with
    fields which may be re-ordered in the API", PRs #11463 and #35792; pulumi/pulumi-aws#1738), so
    the emulator reverses each of them: an order-sensitive comparison then sees a change whenever a
    list has two entries. It also fills in ECS's defaults: `essential`, `cpu: 0`, empty
    `mountPoints`/`volumesFrom`/`systemControls`, port `protocol: tcp` ("The default is tcp",
    PortMapping::protocol) and, in awsvpc, `hostPort` = `containerPort`."""
    described = copy.copy(definition)
    containers = []
    for container in reversed(copy.deepcopy(definition.container_definitions)):
        for key in ("environment", "secrets"):
            if container.get(key):
                container[key] = list(reversed(container[key]))
        container.setdefault("essential", True)
        container.setdefault("cpu", 0)
        for key in ("mountPoints", "volumesFrom", "systemControls", "environment"):
            container.setdefault(key, [])
        for mapping in container.get("portMappings") or []:
            mapping.setdefault("protocol", "tcp")
            if definition.network_mode == "awsvpc":
                mapping.setdefault("hostPort", mapping.get("containerPort"))
        containers.append(container)
    described.container_definitions = containers
    return described


def describe_task_definition(original, self):
    result = original(self)
    answer = result.result
    if answer.get("taskDefinition") is not None:
        answer["taskDefinition"] = normalised(answer["taskDefinition"])
    return result


def latest_active(original, backend, task_definition=None, task_definition_str=None):
    """A family without a revision names "the latest ACTIVE revision" (DescribeTaskDefinition,
    CreateService and RunTask taskDefinition, aws-sdk-ecs 1.157.0); moto takes the latest of any
    status, a deregistered one included. (moto's own tag lookup, `include=TAGS`, passes the name
    as the keyword `task_definition_str`.)"""
    task_definition = task_definition if task_definition is not None else task_definition_str
    name = task_definition.split("/")[-1]
    if ":" in name:
        return original(backend, task_definition)
    revisions = backend.task_definitions.get(name, {})
    active = [revision for revision, definition in revisions.items() if definition.status == "ACTIVE"]
    if not active:
        raise TaskDefinitionNotFoundException()
    return revisions[max(active)]


def install():
    patch(ecs_models.EC2ContainerServiceBackend, "describe_task_definition", latest_active)
    patch(ecs_responses.EC2ContainerServiceResponse, "register_task_definition", register_task_definition)
    patch(ecs_responses.EC2ContainerServiceResponse, "describe_task_definition", describe_task_definition)
