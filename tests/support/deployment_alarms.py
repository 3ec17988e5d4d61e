"""Alarm-based rollback for moto_plus's service deployments (service_deployments.py).

`deploymentConfiguration.alarms` (DeploymentAlarms, ECS API reference): "When the alarms are
generated, Amazon ECS sets the service deployment to failed. Set the rollback parameter to have
Amazon ECS to roll back your service to the last completed deployment after a failure." ECS watches
the alarms while the deployment is ongoing, its bake included ("How CloudWatch alarms detect Amazon
ECS deployment failures", ECS Developer Guide), and "alarms that are already in the ALARM state
when the deployment starts are ignored for that deployment" (the same page, as our research notes
record it: shared/research/anchors-2026.md, section 4).

Here: at each DescribeServices look at an ongoing (PENDING or IN_PROGRESS) service deployment of a
service whose configuration at the deployment's start enabled alarms, the first named alarm that is
in ALARM now and was not when the deployment started fails it: with `rollback`, ROLLBACK_REQUESTED
(then the source revision is deployed again, as StopServiceDeployment ROLLBACK does), else
STOPPED; `statusReason` names the alarm. The emulator computes no alarm state from traffic: a test
puts one in ALARM with CloudWatch's own SetAlarmState.
"""

from moto.cloudwatch.models import cloudwatch_backends


def watched(config):
    """The alarms a deployment configuration enables, with whether they roll back; `None` when off."""
    alarms = (config or {}).get("alarms") or {}
    if not alarms.get("enable"):
        return None
    return list(alarms.get("alarmNames") or []), bool(alarms.get("rollback"))


def states(service_arn, names):
    """Each alarm's state now, by name (an alarm that does not exist has none)."""
    _, _, _, region, account, _ = service_arn.split(":", 5)
    backend = cloudwatch_backends[account][region]
    return {name: backend.alarms[name].state_value for name in names if name in backend.alarms}


def started(record):
    """Remembers the alarms already in ALARM when the deployment starts: ignored for it."""
    alarms = watched(record["deploymentConfiguration"])
    if alarms is None:
        return
    now = states(record["serviceArn"], alarms[0])
    record["_alarms_ignored"] = [name for name, state in now.items() if state == "ALARM"]


def fired(record):
    """The first watched alarm that went into ALARM since the deployment started, and whether it
    rolls back; `None` while none did."""
    alarms = watched(record["deploymentConfiguration"])
    if alarms is None:
        return None
    names, rollback = alarms
    ignored = record.get("_alarms_ignored") or []
    now = states(record["serviceArn"], names)
    for name in names:
        if now.get(name) == "ALARM" and name not in ignored:
            return name, rollback
    return None


def reason(name):
    return f"Service deployment failed: the CloudWatch alarm {name} is in ALARM state."
