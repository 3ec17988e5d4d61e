"""ECS one-off tasks and task listings: RunTask, DescribeTasks, ListTasks, ListTaskDefinitionFamilies."""

import copy

from moto.core.responses import ActionResult
from moto.ecs import models as ecs_models
from moto.ecs import responses as ecs_responses

from . import consistency
from .aws import page, patch, refuse
from .ecs_launch import check_exec, check_fargate, runs_on_fargate
from .ecs_network import check_network
from .ecs_overrides import check_overrides

Response = ecs_responses.EC2ContainerServiceResponse

# ListTasks filters that startedBy must not be combined with: "When you specify startedBy as the
# filter, it must be the only filter that you use." (aws-sdk-ecs 1.157.0, ListTasksFluentBuilder)
OTHER_FILTERS = ("containerInstance", "family", "serviceName", "desiredStatus", "launchType")


def invalid_token():
    refuse("InvalidParameterException", "Invalid nextToken.")


def run_task(original, self):
    """"You can specify up to 10 tasks for each call." (RunTask count); the launch and network
    rules of ecs_launch, ecs_network and ecs_overrides; and the tasks started stay MISSING from DescribeTasks for
    a few calls (consistency.py)."""
    params = self._get_params()
    backend = self.ecs_backend
    cluster = backend._get_cluster(params.get("cluster", "default")).name
    if not 1 <= int(params.get("count", 1)) <= 10:
        refuse("InvalidParameterException", "count must be between 1 and 10.")
    definition = backend.describe_task_definition(params.get("taskDefinition"))
    fargate = runs_on_fargate(backend, cluster, params.get("launchType"), params.get("capacityProviderStrategy"))
    check_fargate(definition, fargate)
    override_role = (params.get("overrides") or {}).get("taskRoleArn")
    check_exec(definition, params.get("enableExecuteCommand"), "run", override_role)
    check_network(self.current_account, self.region, definition, params.get("networkConfiguration"))
    check_overrides(definition, params.get("overrides"), fargate)
    result = original(self)
    for task in result.result["tasks"]:
        consistency.task_missing.open(task.id, consistency.TASK_MISSING_CALLS)
    return result


def describe_tasks(self):
    """"A list of up to 100 task IDs or full ARN entries." (DescribeTasks tasks). A task ECS does
    not know (yet) is answered in `failures` with reason MISSING, as ECS does; moto drops it."""
    backend = self.ecs_backend
    cluster = self._get_param("cluster", "default")
    requested = self._get_param("tasks", [])
    if not requested:
        refuse("InvalidParameterException", "Tasks cannot be empty.")
    if len(requested) > 100:
        refuse("InvalidParameterException", "tasks can have at most 100 items.")
    visible = [task for task in requested if not consistency.task_missing.consume(task.split("/")[-1])]
    found = backend.describe_tasks(cluster, visible) if visible else []
    known = {task.id for task in found}
    failures = []
    for task in requested:
        if task.split("/")[-1] not in known:
            arn = task if task.startswith("arn:") else f"arn:aws:ecs:{self.region}:{self.current_account}:task/{task}"
            failures.append({"arn": arn, "reason": "MISSING"})
    # This request's own switch: moto_plus.py `response_init` gives each response its own copy of
    # the dict these write into (moto's is shared by every request thread).
    tags = "DescribeTasksResponse.tasks.Task.tags"
    if "TAGS" in self._get_param("include", []):
        self._include_in_response(tags)
    else:
        self._exclude_from_response(tags)
    return ActionResult({"tasks": found, "failures": failures})


def list_tasks(self):
    """startedBy alone (above), a `serviceName` that filters (moto ignores it; a service's tasks
    are in the group `service:<name>`), and pages."""
    params = self._get_params()
    if params.get("startedBy") and any(params.get(name) for name in OTHER_FILTERS):
        refuse(
            "InvalidParameterException",
            "When you specify startedBy as the filter, it must be the only filter that you use.",
        )
    tasks = self.ecs_backend.list_tasks(
        params.get("cluster", "default"),
        params.get("containerInstance"),
        params.get("family"),
        params.get("startedBy"),
        None,
        params.get("desiredStatus"),
    )
    if params.get("serviceName"):
        tasks = [task for task in tasks if task.group == f"service:{params['serviceName']}"]
    if params.get("launchType"):
        tasks = [task for task in tasks if task.launch_type == params["launchType"]]
    arns = [task.task_arn for task in tasks]
    chunk, token = page(arns, params.get("nextToken"), params.get("maxResults"), invalid_token)
    return ActionResult({"taskArns": chunk, "nextToken": token})


def list_task_definition_families(self):
    """Pages, and the `status` filter moto ignores: "If this parameter is set to ACTIVE, only task
    definition families that have an ACTIVE task definition revision are returned. If this parameter
    is set to INACTIVE, only task definition families that do not have any ACTIVE task definition
    revisions are returned." (aws-sdk-ecs 1.157.0, ListTaskDefinitionFamiliesFluentBuilder)"""
    backend = self.ecs_backend
    status = self._get_param("status", "ALL")
    families = []
    for family in sorted(backend.list_task_definition_families(self._get_param("familyPrefix"))):
        active = any(definition.status == "ACTIVE" for definition in backend.task_definitions[family].values())
        if status == "ALL" or (status == "ACTIVE") == active:
            families.append(family)
    chunk, token = page(families, self._get_param("nextToken"), self._get_param("maxResults"), invalid_token)
    return ActionResult({"families": chunk, "nextToken": token})


def task_size(original):
    """moto sums container-level memory to place a task and fails (a 500) on a container without
    one; on Fargate only the task has a size ("If you're using Fargate, container-level memory is
    optional", task_definition_parameters.html#container_definition_memory), so none counts as 0."""

    def sized(definition):
        counted = copy.copy(definition)
        counted.container_definitions = [
            {**container, "memory": container.get("memory") or container.get("memoryReservation") or 0}
            for container in definition.container_definitions
        ]
        return original(counted)

    return staticmethod(sized)


def install():
    backend = ecs_models.EC2ContainerServiceBackend
    backend._calculate_task_resource_requirements = task_size(backend._calculate_task_resource_requirements)
    patch(Response, "run_task", run_task)
    Response.describe_tasks = describe_tasks
    Response.list_tasks = list_tasks
    Response.list_task_definition_families = list_task_definition_families
