"""moto server with a realistic ECS lifecycle, for maestro's tests.

Plain moto 5.2.5 (pinned in scripts/test.sh; this file pokes its internals) differs from ECS in
ways a deploy tool notices:

- CreateService drops deploymentConfiguration, enableExecuteCommand,
  serviceConnectConfiguration and healthCheckGracePeriodSeconds, so a converged service would
  look drifted on every run. Here they are kept and described.
- UpdateService starts no deployment and deployments never progress. Here a new task
  definition or forceNewDeployment starts a PRIMARY deployment, which carries the Service Connect
  configuration and completes after a few DescribeServices calls, or fails as a circuit-breaker
  rollback when a test asks for it. (The other fields AWS documents as starting a deployment are
  the strict layer's rule, strict/ecs_services.py DEPLOYMENT_TRIGGERS, which asks for one here
  through forceNewDeployment.)
- A count changed without a new deployment (UpdateService's desiredCount, or a scalable target's
  new bounds) leaves the running tasks as they were. Here the primary deployment takes the count
  and its tasks start one per DescribeServices.
- Service deployments (ListServiceDeployments, DescribeServiceDeployments, StopServiceDeployment,
  `Service.currentServiceDeployment`) are missing. Here each deployment has one, whose status
  follows the deployment (service_deployments.py).
- Deployment strategies (BLUE_GREEN, LINEAR, CANARY), lifecycle hooks and early success are
  kept but not acted on. Here a shifting deployment walks its lifecycle stages, moves the
  production listener rule's weights, pauses at PAUSE hooks (ContinueServiceDeployment), and a
  rolling one with early success criteria succeeds early (service_deployments.py).
- Every stopped task exits 0. Here a test can choose the exit code per task-definition family.
- A task's container writes nothing to its log. Here a test can choose the lines a stopped task
  of a family logged; they are written where the awslogs driver writes them.
- IAM's policy simulator (SimulatePrincipalPolicy) is missing. Here it evaluates a role's own
  policies (iam_simulate.py).
- A response's include/exclude switches (DescribeServices, DescribeTasks and DescribeClusters
  `include=TAGS`) write into a dict shared by every request thread, so one request could strip
  the tags from another's answer. Here each response writes into its own copy.

A test chooses outcomes (and reads what it needs) with extra paths on the same port:

    POST /__plus/ecs-rollout  {"service": "<name>", "outcome": "FAILED"|"COMPLETED"|"STUCK", "ticks": 2}
                              (a count raised without a new deployment starts a task every `ticks` looks)
    POST /__plus/ecs-task     {"family": "<family>", "exit_code": 3, "stop_code": "EssentialContainerExited",
                               "reason": "...", "log": ["line", ...]}
    POST /__plus/acm-issue    {"account": "<id>", "region": "us-east-1", "arn": "<certificate ARN>"}: the
                              certificate's DNS validation done, so it is ISSUED (moto keeps a requested
                              one PENDING_VALIDATION for 60 s, then issues it by itself)
    GET  /__plus/service-deployment?arn=<service deployment ARN>: a shifting deployment's lifecycle
                              stages and production weights (service_deployments.traffic_report,
                              docs/emulator.md)
    POST /__plus/journal      {"account": "<id>"}, then GET /__plus/journal?account=<id>: the
                              account's calls (journal.py, for the IAM test)
    POST /__plus/deny         {"account": "<id>", "actions": ["ssm:PutParameter"]}: those calls are
                              refused as AWS refuses a missing permission (denials.py)
    POST /__plus/clock        {"account": "<id>", "scale": 0.02, "task_start": 20}: the account's rolling
                              deployments take modelled time, task start and health checks, on a
                              clock where 1 AWS second is `scale` seconds (scaled_clock.py)
    POST /__plus/throttle     {"account": "<id>"}, then GET /__plus/throttle?account=<id>: the account's ECS
                              calls are throttled at ECS's documented rates, and the calls refused
                              counted (strict/ecs_throttling.py)

Plans are keyed by service name or family, which tests keep unique.

On top of this, the strict layer (tests/support/strict/, docs/emulator.md) enforces what AWS
documents and moto does not: refusals, eventual consistency, AWS's order and defaults, small pages.
It is on by default; MOTO_PLUS_LENIENT=1 leaves it out.

Usage: python moto_plus.py -H 127.0.0.1 -p PORT
"""

import json
import os
import sys
import threading
import urllib.parse
import uuid

from moto import server
from moto.acm.models import acm_backends
from moto.applicationautoscaling import models as autoscaling_models
from moto.core.responses import BaseResponse
from moto.core.utils import utcnow
from moto.ecs import models as ecs_models
from moto.ecs import responses as ecs_responses
from moto.logs.models import logs_backends

import cbor_bridge
import denials
import iam_simulate
import journal
import scaled_clock
import service_deployments
import strict
from strict import ecs_throttling

LOCK = threading.Lock()
ROLLOUT_PLANS = {}  # service name -> {"outcome": str, "ticks": int}
TASK_PLANS = {}  # family -> {"exit_code": int, "stop_code": str, "reason": str}
TICKS = {}  # deployment id (or ("scale", id)) -> DescribeServices calls seen while IN_PROGRESS (or scaling out)
LOGGED = set()  # task ARNs whose planned log lines were written
DEFAULT_TICKS = 2

KEPT_ON_CREATE = {
    "deploymentConfiguration": "deployment_configuration",
    "enableExecuteCommand": "enable_execute_command",
    "serviceConnectConfiguration": "service_connect_configuration",
    "healthCheckGracePeriodSeconds": "health_check_grace_period_seconds",
    "capacityProviderStrategy": "capacity_provider_strategy",
}


def new_deployment(service, task_definition):
    now = utcnow()
    deployment = {
        "id": f"ecs-svc/{uuid.uuid4().int % 10**19}",
        "status": "PRIMARY",
        "taskDefinition": task_definition,
        "desiredCount": service.desired_count,
        "pendingCount": service.desired_count,
        "runningCount": 0,
        "failedTasks": 0,
        "createdAt": now,
        "updatedAt": now,
        "launchType": service.launch_type,
        "rolloutState": "IN_PROGRESS",
        "rolloutStateReason": "ECS deployment in progress.",
    }
    # ECS describes Service Connect per deployment (Deployment.serviceConnectConfiguration:
    # "The details of the Service Connect configuration that's used by this deployment").
    connect = getattr(service, "service_connect_configuration", None)
    if connect:
        deployment["serviceConnectConfiguration"] = connect
    return deployment


def add_event(service, message):
    service.events.insert(0, {"id": str(uuid.uuid4()), "createdAt": utcnow(), "message": message})


original_response_init = BaseResponse.__init__


def response_init(self, *args, **kwargs):
    """moto builds one response object per request (`cls()._dispatch`), but `_include_in_response`
    and `_exclude_from_response` write into RESPONSE_KEY_PATH_TO_TRANSFORMER, a class attribute
    every request thread shares, and the serializer reads it while it writes the answer
    (`getattr(context.response, "RESPONSE_KEY_PATH_TO_TRANSFORMER")`, where `context.response` is
    this object). So a DescribeServices without `include`, arriving while one with `include=TAGS`
    was being written, stripped the tags from the rest of that answer. An instance copy, taken
    before anything writes to it, wins over the class attribute for both readers and writers."""
    original_response_init(self, *args, **kwargs)
    self.RESPONSE_KEY_PATH_TO_TRANSFORMER = dict(type(self).RESPONSE_KEY_PATH_TO_TRANSFORMER)


BaseResponse.__init__ = response_init

original_create_service = ecs_responses.EC2ContainerServiceResponse.create_service


def create_service(self):
    result = original_create_service(self)
    service = self.ecs_backend._get_service(self._get_param("cluster", "default"), self._get_param("serviceName"))
    for param, attribute in KEPT_ON_CREATE.items():
        value = self._get_param(param)
        if value is not None:
            setattr(service, attribute, value)
    if service.deployments:
        service.deployments = [new_deployment(service, service.task_definition)]
        service_deployments.started(service, service.deployments[0], [])
    return result


original_update_service = ecs_models.EC2ContainerServiceBackend.update_service


def update_service(self, service_properties):
    new_task_definition = service_properties.get("task_definition")
    forced = service_properties.get("force_new_deployment", False)
    service = original_update_service(self, dict(service_properties))
    if new_task_definition or forced:
        definition = self.describe_task_definition(service.task_definition)
        sources = list(service.deployments)
        for deployment in service.deployments:
            deployment["status"] = "ACTIVE"
        service.task_definition = definition.arn
        service.deployments.insert(0, new_deployment(service, definition.arn))
        service_deployments.started(service, service.deployments[0], sources)
    elif service_properties.get("desired_count") is not None:
        with LOCK:
            scale(service, service.desired_count)
    return service


def scale(service, count):
    """A new desired count without a new deployment: "You can add to or subtract from the number of
    instantiations of a task definition in a service by specifying the cluster that the service is
    running in and a new desiredCount parameter" (UpdateService, aws-sdk-ecs). The primary
    deployment takes the count; tasks above it stop at once, missing ones start one per
    DescribeServices (`advance`), as a service restored after `maestro stop` comes back."""
    service.desired_count = count
    primary = next((d for d in service.deployments if d["status"] == "PRIMARY"), None)
    if primary is None:
        return
    primary["desiredCount"] = count
    primary["runningCount"] = min(primary["runningCount"], count)
    primary["pendingCount"] = count - primary["runningCount"]
    service.running_count, service.pending_count = primary["runningCount"], primary["pendingCount"]


original_register_scalable_target = autoscaling_models.ApplicationAutoscalingBackend.register_scalable_target


def register_scalable_target(self, namespace, r_id, dimension, min_capacity, max_capacity, role_arn, suspended_state):
    """Registering or updating an ECS service's scalable target moves its count into the bounds:
    "If the specified resource is not active in the target service, this operation does not change
    the resource's current capacity. Otherwise, it changes the resource's current capacity to a
    value that is inside of this range."
    (https://docs.aws.amazon.com/autoscaling/application/APIReference/API_RegisterScalableTarget.html)"""
    target = original_register_scalable_target(
        self, namespace, r_id, dimension, min_capacity, max_capacity, role_arn, suspended_state
    )
    if namespace == "ecs" and r_id.count("/") == 2:
        _, cluster, name = r_id.split("/")
        services, _ = original_describe_services(self.ecs_backend, cluster, [name])
        for service in services:
            if service.status == "ACTIVE":
                low, high = target.min_capacity, target.max_capacity
                with LOCK:
                    scale(service, max(low, min(high, service.desired_count)))
    return target


original_describe_services = ecs_models.EC2ContainerServiceBackend.describe_services


def describe_services(self, cluster_str, service_names_or_arns):
    services, failures = original_describe_services(self, cluster_str, service_names_or_arns)
    with LOCK:
        for service in services:
            advance(self, service)
            service_deployments.observe(service, ROLLOUT_PLANS.get(service.name))
    return services, failures


def advance(backend, service):
    primary = next((d for d in service.deployments if d["status"] == "PRIMARY"), None)
    scaling = primary is not None and primary["rolloutState"] == "COMPLETED"
    if scaling and primary["runningCount"] < primary["desiredCount"]:
        # A count raised without a new deployment (`scale`): one more task runs every `ticks`
        # looks (1 unless a test planned a slow rollout of the service).
        looks = TICKS[("scale", primary["id"])] = TICKS.get(("scale", primary["id"]), 0) + 1
        if looks % ROLLOUT_PLANS.get(service.name, {}).get("ticks", 1) != 0:
            return
        primary["runningCount"] += 1
        primary["pendingCount"] = primary["desiredCount"] - primary["runningCount"]
        service.running_count, service.pending_count = primary["runningCount"], primary["pendingCount"]
        if primary["pendingCount"] == 0:
            add_event(service, f"(service {service.name}) has reached a steady state.")
        return
    if primary is None or primary["rolloutState"] != "IN_PROGRESS" or primary["id"] in service_deployments.FROZEN:
        return
    plan = ROLLOUT_PLANS.get(service.name, {})
    timed = None if plan else scaled_clock.state(backend, service, primary)
    if timed is not None:
        # On the scaled clock: the tasks count once healthy (what early success counts).
        if timed != "done":
            primary["runningCount"] = service.desired_count if timed == "healthy" else 0
            primary["pendingCount"] = service.desired_count - primary["runningCount"]
            return
    else:
        TICKS[primary["id"]] = TICKS.get(primary["id"], 0) + 1
        if TICKS[primary["id"]] < plan.get("ticks", DEFAULT_TICKS):
            primary["runningCount"] = min(primary["runningCount"] + 1, service.desired_count)
            primary["pendingCount"] = service.desired_count - primary["runningCount"]
            return
    outcome = plan.get("outcome", "COMPLETED")
    primary["updatedAt"] = utcnow()
    if outcome == "COMPLETED":
        primary.update(rolloutState="COMPLETED", rolloutStateReason=f"ECS deployment {primary['id']} completed.",
                       runningCount=service.desired_count, pendingCount=0)
        service.deployments = [primary]
        service.running_count, service.pending_count = service.desired_count, 0
        add_event(service, f"(service {service.name}) has reached a steady state.")
    elif outcome == "FAILED":
        primary.update(rolloutState="FAILED", failedTasks=max(1, service.desired_count), runningCount=0, pendingCount=0,
                       rolloutStateReason="ECS deployment circuit breaker: tasks failed to start.")
        add_event(
            service,
            f"(service {service.name}) (deployment {primary['id']}) deployment failed: tasks failed to start.",
        )
        stopped_task(backend, service, primary)
        previous = next((d for d in service.deployments if d["status"] == "ACTIVE"), None)
        if previous is not None:
            # The circuit breaker rolls back: the previous deployment becomes the primary again.
            add_event(service, f"(service {service.name}) rolling back to deployment {previous['id']}.")


def stopped_task(backend, service, deployment):
    """A task of the failed deployment, stopped as ECS stops a crashing one (started by the
    deployment, exit code 1), so a test can see maestro explain the failure."""
    try:
        tasks = backend.run_task(service.cluster_name, deployment["taskDefinition"], 1, None, deployment["id"], None,
                                 "FARGATE", networking_configuration=service.network_configuration or None,
                                 group=f"service:{service.name}")
    # The family may lack what moto needs to run a task (any of its errors); the failure still shows.
    except Exception:  # noqa: BLE001
        return
    for task in tasks:
        backend.stop_task(service.cluster_name, task.task_arn, "Essential container in task exited")
        task.stop_code = "EssentialContainerExited"
        for container in task.containers:
            container.exitCode = 1
            container.last_status = "STOPPED"


original_describe_tasks = ecs_models.EC2ContainerServiceBackend.describe_tasks


def describe_tasks(self, cluster_str, tasks):
    found = original_describe_tasks(self, cluster_str, tasks)
    with LOCK:
        for task in found:
            family = task.task_definition_arn.split("/")[-1].rsplit(":", 1)[0]
            plan = TASK_PLANS.get(family)
            if plan is None or task.status != "STOPPED":
                continue
            for container in task.containers:
                container.exitCode = plan.get("exit_code", 0)
                container.last_status = "STOPPED"
            task.stop_code = plan.get("stop_code", "EssentialContainerExited")
            task.stopped_reason = plan.get("reason", "Essential container in task exited")
            task.desired_status = "STOPPED"
            if plan.get("log") and task.task_arn not in LOGGED:
                LOGGED.add(task.task_arn)
                write_task_log(self, task, plan["log"])
    return found


def write_task_log(backend, task, lines):
    """The lines the task's containers printed, in the stream the awslogs driver uses: "the log
    stream name format is prefix-name/container-name/ecs-task-id"
    (https://docs.aws.amazon.com/AmazonECS/latest/developerguide/using_awslogs.html), in the
    group the container's logConfiguration names."""
    definition = backend.describe_task_definition(task.task_definition_arn)
    task_id = task.task_arn.split("/")[-1]
    for container in definition.container_definitions:
        config = container.get("logConfiguration") or {}
        options = config.get("options") or {}
        if config.get("logDriver") != "awslogs" or "awslogs-group" not in options:
            continue
        logs = logs_backends[backend.account_id][options.get("awslogs-region", backend.region_name)]
        group = options["awslogs-group"]
        stream = f"{options.get('awslogs-stream-prefix', 'ecs')}/{container['name']}/{task_id}"
        logs.ensure_log_stream(group, stream)
        now = int(utcnow().timestamp() * 1000)
        logs.put_log_events(group, stream, [{"timestamp": now + i, "message": line} for i, line in enumerate(lines)])


ecs_responses.EC2ContainerServiceResponse.create_service = create_service
ecs_models.EC2ContainerServiceBackend.update_service = update_service
ecs_models.EC2ContainerServiceBackend.describe_services = describe_services
ecs_models.EC2ContainerServiceBackend.describe_tasks = describe_tasks
service_deployments.install(ecs_responses.EC2ContainerServiceResponse, ecs_models.EC2ContainerServiceBackend)
autoscaling_models.ApplicationAutoscalingBackend.register_scalable_target = register_scalable_target
if os.environ.get("MOTO_PLUS_LENIENT") != "1":
    strict.install()
journal.install()
denials.install()
iam_simulate.install()
# Opt-in per account, and outermost: it wraps `call_action` after the journal and the denials, so
# a throttled call is refused before anything else sees it (journal.py keeps moto's original).
ecs_throttling.install()


# moto's backends are plain dicts and lists, not safe to change from two threads at once: fifty
# CreateService calls arriving together (the benchmark's latency mode releases them at the same
# moment) could fail one half-done with a 500, whose retry then found its service created.
# AWS calls are served one at a time; nothing in the emulator blocks while serving one.
DISPATCH = threading.Lock()


class PlusApplication:
    """Serves the test-control paths, and everything else through moto."""

    def __init__(self, moto_app):
        self.moto_app = moto_app

    def __call__(self, environ, start_response):
        path = environ.get("PATH_INFO", "")
        bridged = cbor_bridge.route(path)
        if bridged is not None:
            return cbor_bridge.bridged(self.moto_app, environ, start_response, *bridged)
        if not path.startswith("/__plus/"):
            service_deployments.read_with_its_look(environ)
            with DISPATCH:
                return list(self.moto_app(environ, start_response))
        if path == "/__plus/service-deployment" and environ.get("REQUEST_METHOD") == "GET":
            arn = urllib.parse.parse_qs(environ.get("QUERY_STRING", "")).get("arn", [""])[0]
            report = service_deployments.traffic_report(arn)
            if report is None:
                start_response("404 Not Found", [("Content-Type", "text/plain")])
                return [b"unknown service deployment"]
            start_response("200 OK", [("Content-Type", "application/json")])
            return [json.dumps(report).encode()]
        if path == "/__plus/journal" and environ.get("REQUEST_METHOD") == "GET":
            account = environ.get("QUERY_STRING", "").removeprefix("account=")
            start_response("200 OK", [("Content-Type", "application/json")])
            return [json.dumps(journal.calls(account)).encode()]
        if path == "/__plus/throttle" and environ.get("REQUEST_METHOD") == "GET":
            account = environ.get("QUERY_STRING", "").removeprefix("account=")
            start_response("200 OK", [("Content-Type", "application/json")])
            return [json.dumps(ecs_throttling.report(account)).encode()]
        length = int(environ.get("CONTENT_LENGTH") or 0)
        body = json.loads(environ["wsgi.input"].read(length) or b"{}")
        with LOCK:
            if path == "/__plus/ecs-rollout":
                ROLLOUT_PLANS[body["service"]] = body
            elif path == "/__plus/ecs-task":
                TASK_PLANS[body["family"]] = body
            elif path == "/__plus/acm-issue":
                # A requested certificate is PENDING_VALIDATION until its owner creates the DNS
                # records ACM asks for, then ISSUED
                # (https://docs.aws.amazon.com/acm/latest/userguide/dns-validation.html).
                acm_backends[body["account"]][body["region"]]._certificates[body["arn"]].status = "ISSUED"
            elif path == "/__plus/journal":
                journal.start(body["account"])
            elif path == "/__plus/deny":
                denials.deny(body["account"], body["actions"])
            elif path == "/__plus/clock":
                scaled_clock.set_clock(body)
            elif path == "/__plus/throttle":
                ecs_throttling.enable(body["account"])
            else:
                start_response("404 Not Found", [("Content-Type", "text/plain")])
                return [b"unknown control path"]
        start_response("200 OK", [("Content-Type", "application/json")])
        return [b"{}"]


original_dispatcher = server.DomainDispatcherApplication


def dispatcher(*args, **kwargs):
    return PlusApplication(original_dispatcher(*args, **kwargs))


server.DomainDispatcherApplication = dispatcher

if __name__ == "__main__":
    server.main(sys.argv[1:])
