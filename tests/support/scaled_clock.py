"""The scaled clock: rolling deployments that take the time ECS would, scaled down (opt-in per account).

moto_plus's deployments complete after a number of DescribeServices looks (`DEFAULT_TICKS`), which
keeps the test suite fast and deterministic whatever the machine. The rollout-floor benchmark
(benches/deploy/floor.rs) needs time instead: an account put on the scaled clock
(`POST /__plus/clock {"account": "<id>", "scale": 0.02, "task_start": 20}`, 1 AWS second = 20 ms)
has each rolling deployment modelled from the moment it starts:

- its tasks start after `task_start` AWS seconds (Fargate's placement, the image pull, the app's
  boot: the app's own, chosen by the caller);
- behind a load balancer they become healthy after the target group's `HealthCheckIntervalSeconds`
  × `HealthyThresholdCount` more ("the number of consecutive health check successes required
  before considering a target healthy", CreateTargetGroup); without one, as soon as they run;
- the deployment completes when they are healthy, plus, behind a load balancer, the target
  group's deregistration delay while the old tasks drain (the attribute
  `deregistration_delay.timeout_seconds`). Early success (service_deployments.py) ends the
  service deployment when the new tasks are healthy, so it skips the drain.

A service with a planned rollout (`/__plus/ecs-rollout`), and shifting strategies, keep their
looks. Accounts not put on the clock are untouched (docs/emulator.md)."""

from moto.core.utils import utcnow
from moto.elbv2.models import elbv2_backends

CLOCKS = {}  # account -> {"scale": real seconds per AWS second, "task_start": AWS seconds}


def set_clock(body):
    CLOCKS[body["account"]] = {"scale": float(body.get("scale", 0.02)), "task_start": float(body.get("task_start", 20))}


def floor(backend, service, clock):
    """AWS seconds from a deployment's start to its tasks being healthy, and to its completion."""
    start = clock["task_start"]
    groups = elbv2_backends[backend.account_id][backend.region_name].target_groups
    checks, drain = [], []
    for balancer in getattr(service, "load_balancers", None) or []:
        group = groups.get(balancer.get("targetGroupArn"))
        if group is None:
            continue
        checks.append(float(group.health_check_interval_seconds) * float(group.healthy_threshold_count))
        drain.append(float(group.attributes.get("deregistration_delay.timeout_seconds", 300)))
    healthy = start + max(checks, default=0.0)
    return healthy, healthy + max(drain, default=0.0)


def state(backend, service, deployment):
    """`None` off the clock; else where `deployment` is now: "starting", "healthy" or "done"."""
    clock = CLOCKS.get(backend.account_id)
    if clock is None:
        return None
    elapsed = (utcnow() - deployment["createdAt"]).total_seconds() / clock["scale"]
    healthy, done = floor(backend, service, clock)
    if elapsed >= done:
        return "done"
    return "healthy" if elapsed >= healthy else "starting"
