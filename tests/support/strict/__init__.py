"""The strict layer of the test emulator: AWS's documented behaviour where moto is lenient.

moto accepts requests AWS refuses, keeps lists in the order they were sent, pages loosely and is
never eventually consistent, so a suite on plain moto cannot see a deploy that fails on real AWS.
Each module here enforces, for the calls maestro makes, what AWS documents (each rule cites its
reference): refusals with AWS's error codes, eventual consistency as windows counted in calls,
AWS's order and defaults in answers, and small pages. docs/emulator.md lists every rule and its test.

It is on for every test; `MOTO_PLUS_LENIENT=1` starts the emulator without it, to compare.
"""

from . import autoscaling, ecs_clusters, ecs_services, ecs_task_definitions, ecs_tasks, elbv2, events, logs

MODULES = (ecs_clusters, ecs_task_definitions, ecs_services, ecs_tasks, elbv2, autoscaling, events, logs)


def install():
    """Patches moto (after moto_plus, whose methods become the originals wrapped here)."""
    for module in MODULES:
        module.install()
