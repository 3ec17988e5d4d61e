"""The strict layer of the test emulator: AWS's documented behaviour where moto is lenient.

moto accepts requests AWS refuses, keeps lists in the order they were sent, pages loosely and is
never eventually consistent, so a suite on plain moto cannot see a deploy that fails on real AWS.
Each module here enforces, for the calls maestro makes, what AWS documents (each rule cites its
reference): refusals with AWS's error codes, eventual consistency as windows counted in calls,
AWS's order and defaults in answers, and small pages. docs/emulator.md lists every rule and its test.

It is on for every test. `MOTO_PLUS_LENIENT=1` (read by moto_plus.py) leaves it all out;
`MOTO_PLUS_STRICT_OFF=<name>,…` leaves out the modules named, closes the windows named (WINDOWS),
or all of them for `consistency`: to learn which rule a failing test meets, never to make one pass.
"""

import os

from . import (
    autoscaling,
    cloudwatch,
    consistency,
    ecr,
    ecs_alarms,
    ecs_clusters,
    ecs_service_deployments,
    ecs_services,
    ecs_strategies,
    ecs_task_definitions,
    ecs_tasks,
    elbv2,
    events,
    logs,
    ssm,
    sts,
)

MODULES = (
    ecs_clusters,
    ecs_task_definitions,
    ecs_services,
    ecs_service_deployments,
    ecs_strategies,
    ecs_alarms,
    ecs_tasks,
    elbv2,
    autoscaling,
    cloudwatch,
    events,
    logs,
    ssm,
    ecr,
    sts,
)
# Each eventual-consistency window, by the name MOTO_PLUS_STRICT_OFF knows it by, and its count.
WINDOWS = {
    "task_missing": "TASK_MISSING_CALLS",
    "service_missing": "SERVICE_MISSING_CALLS",
    "not_yet_scalable": "SCALABLE_TARGET_REFUSALS",
    "draining": "DRAINING_CALLS",
}


def install():
    """Patches moto (after moto_plus, whose methods become the originals wrapped here)."""
    off = {name.strip() for name in os.environ.get("MOTO_PLUS_STRICT_OFF", "").split(",") if name.strip()}
    for window, count in WINDOWS.items():
        if "consistency" in off or window in off:
            setattr(consistency, count, 0)
    for module in MODULES:
        if module.__name__.rsplit(".", 1)[-1] not in off:
            module.install()
