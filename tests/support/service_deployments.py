"""ECS service deployments for moto_plus: ListServiceDeployments, DescribeServiceDeployments and
StopServiceDeployment, which moto lacks, and `Service.currentServiceDeployment`.

"Amazon ECS automatically creates a new service deployment when any of the following actions
happen: A user creates a service. A user updates the service and uses the force new deployment
option. A user updates one or more service properties that require a deployment." (View service
history using Amazon ECS service deployments, ECS Developer Guide). Here: every deployment
moto_plus starts (`started`), one record each. Its status follows moto_plus's deployment, one step
per DescribeServices look (`observe`), as the deployment itself does:

- PENDING ("A service deployment has been created, but has not started") on the create or update,
  IN_PROGRESS from the first look, SUCCESSFUL when the deployment is COMPLETED;
- a FAILED deployment (the circuit breaker): ROLLBACK_REQUESTED, ROLLBACK_IN_PROGRESS,
  ROLLBACK_SUCCESSFUL when the breaker's `rollback` is on and a previous revision exists,
  ROLLBACK_FAILED when there is none to go back to (the reference does not say; our choice), and
  STOPPED when `rollback` is off ("The service deployment stops when ... The rollback option is
  not in use for the failure detection mechanism (the circuit breaker or alarm-based) and the
  service fails.", ServiceDeployment.stoppedAt);
- StopServiceDeployment ROLLBACK: ROLLBACK_REQUESTED, ROLLBACK_IN_PROGRESS, ROLLBACK_SUCCESSFUL,
  the service back on the source revision's task definition; ABORT: STOP_REQUESTED, then STOPPED,
  the service left where it is;
- a new deployment while one is ongoing stops the older one (STOPPED): ECS runs one deployment
  toward one target at a time (our reading; the reference does not spell the status out).

Deployment strategies (`deploymentConfiguration.strategy`, aws-sdk-ecs 1.157.0
DeploymentConfiguration): ROLLING (the default) is the above. BLUE_GREEN, LINEAR and CANARY
("shifting" here) walk `ServiceDeployment.lifecycleStage` instead, one stage per DescribeServices
look, in the reference's order (ServiceDeployment.lifecycleStage): RECONCILE_SERVICE (only "when you
start a new service deployment with more than 1 service revision in an ACTIVE state"),
PRE_SCALE_UP, SCALE_UP, POST_SCALE_UP, TEST_TRAFFIC_SHIFT, POST_TEST_TRAFFIC_SHIFT, then per traffic
step PRE_PRODUCTION_TRAFFIC_SHIFT and PRODUCTION_TRAFFIC_SHIFT ("For linear and canary deployments,
this stage is invoked before every traffic shift step" / "at every traffic shift step"), then
POST_PRODUCTION_TRAFFIC_SHIFT, BAKE_TIME, CLEAN_UP, and SUCCESSFUL at the next look.

- Time is counted in looks (`LOOKS_PER_MINUTE`): a bake of n minutes (canaryBakeTimeInMinutes,
  stepBakeTimeInMinutes: n more looks in PRODUCTION_TRAFFIC_SHIFT; bakeTimeInMinutes: BAKE_TIME for
  max(1, n) looks) and a hook's timeoutInMinutes (n looks while AWAITING_ACTION) alike.
- Traffic: for each of the service's load balancers with an `advancedConfiguration`, ECS moves the
  production listener rule's (or NLB listener's) forward weights between `targetGroupArn`
  ("primary") and `alternateTargetGroupArn` ("alternate"): the green one gets the step's share,
  the blue one the rest; the test listener rule forwards all to green at TEST_TRAFFIC_SHIFT. The
  blue group is the one the production rule forwards to when the deployment starts, so after a
  success green is production and the next deployment shifts back the other way. ELB weights are
  integers (0-999): a whole share is written as its percent, a share with a tenth (canaryPercent
  5.5) as tenths of a percent (55 and 945). A new service's first deployment (no source revision)
  walks the stages with all traffic on the primary group.
- Lifecycle hooks: at each stage entered, the hooks naming it run. A PAUSE hook stops the
  deployment there, `lifecycleHookDetails` [{hookId, targetType PAUSE, status AWAITING_ACTION,
  expiresAt, timeoutAction}] (DeploymentLifecycleHookDetail), until ContinueServiceDeployment
  CONTINUE (the hook SUCCEEDED, the next stage at the next look) or ROLLBACK (the hook FAILED,
  the deployment ROLLBACK_REQUESTED), or its timeout (TIMED_OUT, then its action, ROLLBACK by
  default: DeploymentLifecycleHookTimeoutConfiguration). An AWS_LAMBDA hook is not invoked: it
  SUCCEEDED (no Lambda runs here).
- Failing tasks (moto_plus's `"outcome": "FAILED"`) fail at SCALE_UP, before production traffic
  moves, and roll back (ROLLBACK_REQUESTED, ROLLBACK_IN_PROGRESS, ROLLBACK_SUCCESSFUL), the
  service on its previous task definition; `"STUCK"` stays at SCALE_UP. Any rollback (a failure,
  ContinueServiceDeployment or StopServiceDeployment ROLLBACK, a hook's timeout) puts the
  production and test rules back on blue.
- Early success (ROLLING with `earlySuccessCriteria.enable`, DeploymentEarlySuccessCriteria): the
  service deployment is SUCCESSFUL at the first look at which the target revision's running tasks
  reach `healthyPercent` of the desired count (one look before the deployment itself completes
  with one task), while moto_plus's deployment goes on to COMPLETED "in the background". Tasks of a
  FAILED plan are never healthy. BLOCKING and DEFERRED are not told apart (source tasks are not
  counted here).

Time here is the DescribeServices look, while on AWS both reads of one moment agree: a client that
sends DescribeServiceDeployments together with DescribeServices (one poll, one round trip) must
see the service deployment as of that look, not of the one before by the race of two threads.
So DescribeServiceDeployments answers after `SAME_POLL_SECONDS`, by which a look sent at the same
moment has been made (`read_with_its_look`).

Alarm-based rollback (`deploymentConfiguration.alarms`): deployment_alarms.py.

`traffic_report` is what `GET /__plus/service-deployment?arn=` answers (docs/emulator.md).
The strict layer (strict/ecs_service_deployments.py, strict/ecs_strategies.py) adds AWS's limits
and refusals on top. A test makes a deployment that never completes with moto_plus's
`"outcome": "STUCK"`.
"""

import datetime
import threading
import time
import uuid

from moto.core.exceptions import JsonRESTError
from moto.core.responses import ActionResult
from moto.core.utils import utcnow
from moto.elbv2.models import FakeAction, elbv2_backends

import deployment_alarms

LOCK = threading.RLock()
# How long a DescribeServiceDeployments waits for a DescribeServices sent with it (the module's
# docstring): ample for a request that left at the same moment, short beside a poll interval.
SAME_POLL_SECONDS = 0.04
RECORDS = {}  # service deployment ARN -> record (the ServiceDeployment shape's fields)
BY_DEPLOYMENT = {}  # moto_plus deployment id -> service deployment ARN
REVISIONS = {}  # moto_plus deployment id -> service revision ARN
# Deployments whose progress a stop drives here: moto_plus's `advance` leaves them alone.
FROZEN = set()

# ServiceDeploymentStatus, by the stage the Developer Guide puts it in.
ONGOING = ("PENDING", "IN_PROGRESS", "STOP_REQUESTED", "ROLLBACK_REQUESTED", "ROLLBACK_IN_PROGRESS")
COMPLETED = ("SUCCESSFUL", "STOPPED", "ROLLBACK_SUCCESSFUL", "ROLLBACK_FAILED")
# "You can stop a deployment that is in any of the following states": PENDING, IN_PROGRESS,
# STOP_REQUESTED, ROLLBACK_REQUESTED, ROLLBACK_IN_PROGRESS (Stopping Amazon ECS service
# deployments, ECS Developer Guide): every ongoing one.
STOPPABLE = ONGOING
BREAKER_REASON = "ECS deployment circuit breaker: tasks failed to start."


def arn(service, kind, an_id):
    """`arn:aws:ecs:<region>:<account>:service-deployment/<cluster>/<service>/<id>` (the
    StopServiceDeployment example), and the same form for `service-revision`."""
    region, account = service.region_name, service._account_id
    return f"arn:aws:ecs:{region}:{account}:{kind}/{service.cluster_name}/{service.name}/{an_id}"


def revision(service, deployment):
    with LOCK:
        if deployment["id"] not in REVISIONS:
            REVISIONS[deployment["id"]] = arn(service, "service-revision", uuid.uuid4().hex[:22])
        return REVISIONS[deployment["id"]]


def summary(service, deployment, running=0):
    """A ServiceRevisionSummary: the revision and its task counts."""
    return {
        "arn": revision(service, deployment),
        "requestedTaskCount": service.desired_count,
        "runningTaskCount": running,
        "pendingTaskCount": max(0, service.desired_count - running),
    }


def rollback_on(service):
    breaker = (getattr(service, "deployment_configuration", None) or {}).get("deploymentCircuitBreaker") or {}
    return bool(breaker.get("enable")) and bool(breaker.get("rollback"))


def started(service, deployment, sources):
    """A new deployment of `service` (moto_plus's `deployment`), replacing `sources` (the
    deployments that ran before it): its record, PENDING, and the service's current one."""
    now = utcnow()
    with LOCK:
        for source in sources:
            stop_superseded(BY_DEPLOYMENT.get(source["id"]), now)
        record_arn = arn(service, "service-deployment", uuid.uuid4().hex[:22])
        RECORDS[record_arn] = {
            "serviceDeploymentArn": record_arn,
            "serviceArn": service.arn,
            "clusterArn": service.cluster_arn,
            "createdAt": now,
            "updatedAt": now,
            "sourceServiceRevisions": [summary(service, s, s.get("runningCount", 0)) for s in sources],
            "targetServiceRevision": summary(service, deployment),
            "status": "PENDING",
            "deploymentConfiguration": getattr(service, "deployment_configuration", None) or {},
            # Kept for the rollback, never answered (the shape has no such field).
            "_deployment": deployment["id"],
            "_sources": [(s["id"], s["taskDefinition"]) for s in sources],
            # moto_plus's deployment dicts themselves: a completed one leaves service.deployments.
            "_deployment_obj": deployment,
            "_source_objs": list(sources),
        }
        if strategy_of(service) in SHIFTING:
            prepare_shifting(service, RECORDS[record_arn], deployment, sources)
        deployment_alarms.started(RECORDS[record_arn])
        BY_DEPLOYMENT[deployment["id"]] = record_arn
        service.current_service_deployment = record_arn


def stop_superseded(record_arn, now):
    record = RECORDS.get(record_arn)
    if record is not None and record["status"] in ONGOING:
        record.update(status="STOPPED", statusReason="A newer service deployment replaced this one.",
                      stoppedAt=now, updatedAt=now)


def observe(service, plan=None):
    """One DescribeServices look at `service`: each of its ongoing records takes one step.
    `plan`: moto_plus's rollout plan of the service (its `outcome`)."""
    now = utcnow()
    with LOCK:
        for record in [r for r in RECORDS.values() if r["serviceArn"] == service.arn and r["status"] in ONGOING]:
            if not fail_on_alarm(record, now):
                step(service, record, now, plan or {})


def fail_on_alarm(record, now):
    """An alarm the deployment watches went into ALARM (deployment_alarms.py): it fails, and rolls
    back (as StopServiceDeployment ROLLBACK does) when the alarms' `rollback` is on, else STOPPED."""
    if record["status"] not in ("PENDING", "IN_PROGRESS"):
        return False
    fired = deployment_alarms.fired(record)
    if fired is None:
        return False
    name, rollback = fired
    why = deployment_alarms.reason(name)
    FROZEN.add(record["_deployment_obj"]["id"])
    record["_awaiting"] = {}
    if not rollback:
        record.update(status="STOPPED", statusReason=why, stoppedAt=now, updatedAt=now)
        return True
    source = REVISIONS.get(record["_sources"][0][0]) if record["_sources"] else None
    record.update(status="ROLLBACK_REQUESTED", statusReason=why, updatedAt=now,
                  rollback={"reason": why, "startedAt": now, **({"serviceRevisionArn": source} if source else {})})
    return True


def step(service, record, now, plan=None):
    deployment = next((d for d in service.deployments if d["id"] == record["_deployment"]), None)
    status = record["status"]
    if "_plan" in record and status in ("PENDING", "IN_PROGRESS"):
        step_shifting(service, record, now, (plan or {}).get("outcome", "COMPLETED"))
    elif status == "STOP_REQUESTED":
        record.update(status="STOPPED", stoppedAt=now, updatedAt=now)
    elif status == "ROLLBACK_REQUESTED":
        record.update(status="ROLLBACK_IN_PROGRESS", updatedAt=now)
        if not record.get("_breaker") and record["_sources"]:
            start_rollback(service, record, now)
    elif status == "ROLLBACK_IN_PROGRESS":
        roll_back(service, record, now)
    elif deployment is None:
        return
    elif deployment["rolloutState"] == "COMPLETED":
        record.update(status="SUCCESSFUL", finishedAt=now, updatedAt=now,
                      targetServiceRevision=summary(service, deployment, deployment["runningCount"]))
    elif deployment["rolloutState"] == "FAILED":
        record.update(statusReason=BREAKER_REASON, updatedAt=now)
        if not rollback_on(service):
            record.update(status="STOPPED", stoppedAt=now)
        elif not record["_sources"]:
            record.update(status="ROLLBACK_FAILED", finishedAt=now,
                          statusReason=f"{BREAKER_REASON} There is no previous service revision to roll back to.")
        else:
            record.update(status="ROLLBACK_REQUESTED", rollback={
                "reason": BREAKER_REASON, "startedAt": now, "serviceRevisionArn": REVISIONS[record["_sources"][0][0]],
            })
            record["_breaker"] = True
    elif early_success(service, record, deployment, plan or {}):
        record.update(status="SUCCESSFUL", finishedAt=now, updatedAt=now,
                      targetServiceRevision=summary(service, deployment, deployment["runningCount"]))
        record.setdefault("startedAt", now)
    elif status == "PENDING":
        record.update(status="IN_PROGRESS", startedAt=now, updatedAt=now)


def early_success(service, record, deployment, plan):
    """DeploymentEarlySuccessCriteria.healthyPercent: "The percentage of healthy tasks that the
    target service revision must reach before Amazon ECS considers the deployment successful. This
    percentage is relative to the service's desiredCount"; "Amazon ECS continues to scale the target
    service revision to 100 percent in the background." (bake time: not modelled, see the module)"""
    config = record["deploymentConfiguration"]
    criteria = config.get("earlySuccessCriteria") or {}
    if strategy_of_config(config) != "ROLLING" or not criteria.get("enable"):
        return False
    if plan.get("outcome") == "FAILED" or deployment["rolloutState"] != "IN_PROGRESS":
        return False
    healthy = criteria.get("healthyPercent") or 0
    return deployment["runningCount"] * 100 >= healthy * service.desired_count


def start_rollback(service, record, now):
    """A user's rollback is a deployment of the source revision's task definition: it becomes the
    PRIMARY one, the stopped deployment ACTIVE (no longer followed by moto_plus), as ECS describes
    a rollback ("rolling back to deployment …")."""
    source = record["_source_objs"][0]
    stopped = record["_deployment_obj"]
    stopped.update(status="ACTIVE", updatedAt=now)
    rollback = dict(
        source,
        id=f"ecs-svc/{uuid.uuid4().int % 10**19}",
        status="PRIMARY",
        rolloutState="IN_PROGRESS",
        rolloutStateReason="ECS deployment in progress.",
        desiredCount=service.desired_count,
        runningCount=0,
        pendingCount=service.desired_count,
        failedTasks=0,
        createdAt=now,
        updatedAt=now,
    )
    FROZEN.add(rollback["id"])
    record["_rollback_obj"] = rollback
    service.deployments.insert(0, rollback)
    service.task_definition = rollback["taskDefinition"]
    service.events.insert(0, {"id": str(uuid.uuid4()), "createdAt": now,
                              "message": f"(service {service.name}) rolling back to deployment {source['id']}."})


def roll_back(service, record, now):
    """The rollback done: a user's (StopServiceDeployment ROLLBACK) leaves the service on the
    source revision's task definition, its rollback deployment completed. The circuit breaker's
    leaves moto_plus's deployments as moto_plus describes them (its tests read the FAILED one)."""
    if not record["_sources"]:
        record.update(status="ROLLBACK_FAILED", finishedAt=now, updatedAt=now,
                      statusReason="There is no previous service revision to roll back to.")
        return
    record.update(status="ROLLBACK_SUCCESSFUL", finishedAt=now, updatedAt=now)
    if record.get("_traffic"):
        back_to_blue(service, record)
    rollback = record.get("_rollback_obj")
    if rollback is None:
        return
    rollback.update(rolloutState="COMPLETED", rolloutStateReason=f"ECS deployment {rollback['id']} completed.",
                    updatedAt=now, runningCount=service.desired_count, pendingCount=0)
    service.deployments = [rollback]
    service.running_count, service.pending_count = service.desired_count, 0
    service.events.insert(0, {"id": str(uuid.uuid4()), "createdAt": now,
                              "message": f"(service {service.name}) has reached a steady state."})


# --- Deployment strategies (the module's docstring) -------------------------------------------

# DeploymentStrategy: the strategies that shift traffic between a blue and a green revision.
SHIFTING = ("BLUE_GREEN", "LINEAR", "CANARY")
# Bake times and hook timeouts are minutes on AWS; here a minute is one DescribeServices look.
LOOKS_PER_MINUTE = 1
# CanaryConfiguration / LinearConfiguration defaults: "The default value is 5.0." / "10", and
# "The default value is 10.0." / "6".
CANARY_DEFAULTS = (5.0, 10)
LINEAR_DEFAULTS = (10.0, 6)
# DeploymentLifecycleHookTimeoutConfiguration: "Default: 1440 (24 hours)", "Default: ROLLBACK".
HOOK_TIMEOUT_DEFAULTS = (1440, "ROLLBACK")


def strategy_of_config(config):
    return (config or {}).get("strategy") or "ROLLING"


def strategy_of(service):
    return strategy_of_config(getattr(service, "deployment_configuration", None))


def production_shares(config):
    """The green revision's share of production traffic after each step, with the bake (in
    minutes) that follows it: BLUE_GREEN all at once; CANARY canaryPercent, its bake, then 100;
    LINEAR stepPercent more each step, each with its bake, "not applied after reaching 100 percent"."""
    strategy = strategy_of_config(config)
    if strategy == "CANARY":
        canary = config.get("canaryConfiguration") or {}
        share = float(canary.get("canaryPercent", CANARY_DEFAULTS[0]))
        bake = int(canary.get("canaryBakeTimeInMinutes", CANARY_DEFAULTS[1]))
        return [(share, bake), (100.0, 0)] if share < 100 else [(100.0, 0)]
    if strategy == "LINEAR":
        linear = config.get("linearConfiguration") or {}
        step_share = float(linear.get("stepPercent", LINEAR_DEFAULTS[0]))
        bake = int(linear.get("stepBakeTimeInMinutes", LINEAR_DEFAULTS[1]))
        shares, share = [], 0.0
        while share < 100:
            share = min(100.0, round(share + step_share, 1))
            shares.append((share, bake if share < 100 else 0))
        return shares
    return [(100.0, 0)]


def lifecycle_plan(config, sources):
    """Each look's stage, in the reference's order (the module's docstring); `enter` marks the
    look that enters a stage (its hooks run), `shift` the green share a PRODUCTION_TRAFFIC_SHIFT
    sets, `scale` SCALE_UP and `test` TEST_TRAFFIC_SHIFT."""
    plan = []

    def enter(stage, **what):
        plan.append(dict(stage=stage, enter=True, **what))

    def stay(stage, looks):
        plan.extend(dict(stage=stage, enter=False) for _ in range(looks))

    if len(sources) > 1:
        enter("RECONCILE_SERVICE")
    enter("PRE_SCALE_UP")
    enter("SCALE_UP", scale=True)
    enter("POST_SCALE_UP")
    enter("TEST_TRAFFIC_SHIFT", test=True)
    enter("POST_TEST_TRAFFIC_SHIFT")
    for share, bake in production_shares(config):
        enter("PRE_PRODUCTION_TRAFFIC_SHIFT")
        enter("PRODUCTION_TRAFFIC_SHIFT", shift=share)
        stay("PRODUCTION_TRAFFIC_SHIFT", bake * LOOKS_PER_MINUTE)
    enter("POST_PRODUCTION_TRAFFIC_SHIFT")
    enter("BAKE_TIME")
    stay("BAKE_TIME", max(0, int(config.get("bakeTimeInMinutes") or 0) * LOOKS_PER_MINUTE - 1))
    enter("CLEAN_UP")
    return plan


def elb_of(service):
    return elbv2_backends[service._account_id][service.region_name]


def forward_actions(elb, rule_arn):
    """The action list of a listener rule (ALB) or of a listener's default rule (NLB), by ARN."""
    for balancer in elb.load_balancers.values():
        for listener in balancer.listeners.values():
            if listener.arn == rule_arn:
                return listener.default_actions
            for rule in listener.rules.values():
                if rule.arn == rule_arn:
                    return rule.actions
    return None


def weights_of(actions, primary, alternate):
    """The [primary, alternate] weights a forward action gives, as percents of the two."""
    for action in actions or []:
        data = action.data
        if data.get("Type") != "forward":
            continue
        groups = (data.get("ForwardConfig") or {}).get("TargetGroups") or []
        weights = {g["TargetGroupArn"]: int(g.get("Weight", 1)) for g in groups}
        if not groups and data.get("TargetGroupArn"):
            weights = {data["TargetGroupArn"]: 1}
        pair = [weights.get(primary, 0), weights.get(alternate, 0)]
        total = sum(pair)
        return [round(w * 100 / total) for w in pair] if total else [100, 0]
    return [100, 0]


def write_forward(actions, pair, primary, alternate):
    """Replaces the forward action's target groups with [primary, alternate] at `pair` weights."""
    forward = {"Type": "forward", "ForwardConfig": {"TargetGroups": [
        {"TargetGroupArn": primary, "Weight": pair[0]}, {"TargetGroupArn": alternate, "Weight": pair[1]},
    ]}}
    for index, action in enumerate(actions):
        if action.data.get("Type") == "forward":
            forward["Order"] = action.data.get("Order", index + 1)
            actions[index] = FakeAction(forward)
            return
    actions.append(FakeAction(forward))


def split(share, green_is_primary):
    """[primary, alternate] weights for `share` percent on green (tenths when the share has one)."""
    green, blue = (share, 100 - share) if share == int(share) else (share * 10, 1000 - share * 10)
    green, blue = int(round(green)), int(round(blue))
    return [green, blue] if green_is_primary else [blue, green]


def prepare_shifting(service, record, deployment, sources):
    """A shifting deployment: moto_plus leaves it to `step_shifting` (FROZEN), which walks its plan."""
    FROZEN.add(deployment["id"])
    config = record["deploymentConfiguration"]
    record.update(_plan=lifecycle_plan(config, sources), _at=-1, _stages=[], _weights=[], _awaiting={})
    for balancer in getattr(service, "load_balancers", None) or []:
        advanced = balancer.get("advancedConfiguration") or {}
        primary, alternate = balancer.get("targetGroupArn"), advanced.get("alternateTargetGroupArn")
        actions = forward_actions(elb_of(service), advanced.get("productionListenerRule"))
        if not (primary and alternate) or actions is None:
            continue
        start = weights_of(actions, primary, alternate)
        # The first deployment has no blue revision: green is the primary group, production stays on it.
        green_is_primary = not sources or start[1] > start[0]
        record["_traffic"] = {"primary": primary, "alternate": alternate, "green_is_primary": green_is_primary,
                              "production": advanced.get("productionListenerRule"),
                              "test": advanced.get("testListenerRule"), "start": start}
        record["_weights"].append(start)
        break  # the first load balancer with an advanced configuration is the one followed


def shift(service, record, share, rule="production"):
    traffic = record.get("_traffic")
    if not traffic or not traffic.get(rule):
        return
    actions = forward_actions(elb_of(service), traffic[rule])
    if actions is None:
        return
    green_is_primary = traffic["green_is_primary"]
    if not record["_sources"]:
        share = 100.0 if green_is_primary else 0.0  # no blue: everything stays on the primary
    pair = split(share, green_is_primary)
    write_forward(actions, pair, traffic["primary"], traffic["alternate"])
    if rule == "production" and pair != record["_weights"][-1]:
        record["_weights"].append(pair)


def back_to_blue(service, record):
    """A rollback: production and test traffic all on blue again."""
    if record["_sources"]:
        shift(service, record, 0.0)
        shift(service, record, 0.0, "test")


def run_hooks(record, stage, now):
    """The hooks at `stage` (DeploymentLifecycleHook.lifecycleStages): PAUSE ones wait."""
    details, awaiting = [], {}
    for hook in record["deploymentConfiguration"].get("lifecycleHooks") or []:
        if stage not in (hook.get("lifecycleStages") or []):
            continue
        timeout = hook.get("timeoutConfiguration") or {}
        minutes = int(timeout.get("timeoutInMinutes", HOOK_TIMEOUT_DEFAULTS[0]))
        action = timeout.get("action") or HOOK_TIMEOUT_DEFAULTS[1]
        target = hook.get("targetType") or "AWS_LAMBDA"
        detail = {"hookId": uuid.uuid4().hex[:16], "targetType": target, "timeoutAction": action,
                  "expiresAt": now + datetime.timedelta(minutes=minutes)}
        if target == "PAUSE":
            detail["status"] = "AWAITING_ACTION"
            awaiting[detail["hookId"]] = minutes * LOOKS_PER_MINUTE
        else:
            detail.update(status="SUCCEEDED", targetArn=hook.get("hookTargetArn"))
        details.append(detail)
    record["lifecycleHookDetails"] = details
    record["_awaiting"] = awaiting


def step_shifting(service, record, now, outcome):
    if record["status"] == "PENDING":
        record.update(status="IN_PROGRESS", startedAt=now)
    record["updatedAt"] = now
    if record["_awaiting"]:
        timed_out(record, now)
        return
    plan = record["_plan"]
    if record["_at"] >= 0 and plan[record["_at"]].get("scale") and outcome == "STUCK":
        return
    at = record["_at"] + 1
    if at >= len(plan):
        succeed(service, record, now)
        return
    record["_at"] = at
    entry = plan[at]
    record["lifecycleStage"] = entry["stage"]
    if not entry["enter"]:
        return
    record["_stages"].append(entry["stage"])
    deployment = record["_deployment_obj"]
    if entry.get("scale"):
        if outcome == "FAILED":
            fail_scale_up(service, record, now)
            return
        if outcome != "STUCK":
            deployment.update(runningCount=service.desired_count, pendingCount=0)
    if entry.get("test"):
        shift(service, record, 100.0, "test")
    if entry.get("shift") is not None:
        shift(service, record, entry["shift"])
    run_hooks(record, entry["stage"], now)


def timed_out(record, now):
    """One look while paused: a hook whose timeout is spent TIMED_OUT, then its action."""
    for hook_id in list(record["_awaiting"]):
        record["_awaiting"][hook_id] -= 1
        if record["_awaiting"][hook_id] > 0:
            continue
        del record["_awaiting"][hook_id]
        detail = next(d for d in record["lifecycleHookDetails"] if d["hookId"] == hook_id)
        detail["status"] = "TIMED_OUT"
        if detail["timeoutAction"] == "ROLLBACK":
            request_rollback(record, now, "A lifecycle hook timed out; its timeout action is ROLLBACK.")
            return


def request_rollback(record, now, reason):
    record["_awaiting"] = {}
    source = REVISIONS.get(record["_sources"][0][0]) if record["_sources"] else None
    record.update(status="ROLLBACK_REQUESTED", statusReason=reason, updatedAt=now,
                  rollback={"reason": reason, "startedAt": now, **({"serviceRevisionArn": source} if source else {})})


def fail_scale_up(service, record, now):
    """Failing new tasks under a shifting strategy: the green revision never scales up, so no
    production traffic moved; the deployment rolls back to the source revision."""
    deployment = record["_deployment_obj"]
    deployment.update(rolloutState="FAILED", failedTasks=max(1, service.desired_count), runningCount=0,
                      pendingCount=0, updatedAt=now, rolloutStateReason=SCALE_UP_REASON)
    service.events.insert(0, {"id": str(uuid.uuid4()), "createdAt": now, "message":
                              f"(service {service.name}) (deployment {deployment['id']}) deployment failed: "
                              "tasks failed to start."})
    request_rollback(record, now, SCALE_UP_REASON)


SCALE_UP_REASON = "Service deployment failed at SCALE_UP: tasks of the target service revision failed to start."


def succeed(service, record, now):
    """The last stage done: SUCCESSFUL, moto_plus's deployment COMPLETED and the only one."""
    deployment = record["_deployment_obj"]
    deployment.update(rolloutState="COMPLETED", rolloutStateReason=f"ECS deployment {deployment['id']} completed.",
                      runningCount=service.desired_count, pendingCount=0, updatedAt=now)
    service.deployments = [deployment]
    service.running_count, service.pending_count = service.desired_count, 0
    service.events.insert(0, {"id": str(uuid.uuid4()), "createdAt": now,
                              "message": f"(service {service.name}) has reached a steady state."})
    record.update(status="SUCCESSFUL", finishedAt=now, updatedAt=now,
                  targetServiceRevision=summary(service, deployment, service.desired_count))


def resume(record_arn, hook_id, action):
    """ContinueServiceDeployment: CONTINUE "Proceeds the deployment to the next lifecycle stage",
    ROLLBACK "Rolls back the deployment to the previous service revision" (the default CONTINUE).
    The strict layer refuses a deployment that is not paused and an unknown hook first."""
    now = utcnow()
    with LOCK:
        record = RECORDS.get(record_arn)
        if record is None:
            raise JsonRESTError("ServiceDeploymentNotFoundException",
                                f"The service deployment {record_arn} does not exist.")
        if hook_id not in (record.get("_awaiting") or {}):
            return record_arn
        detail = next(d for d in record["lifecycleHookDetails"] if d["hookId"] == hook_id)
        if action == "ROLLBACK":
            detail["status"] = "FAILED"
            request_rollback(record, now, "Service deployment rolled back at a lifecycle hook by a user.")
        else:
            detail["status"] = "SUCCEEDED"
            del record["_awaiting"][hook_id]
        record["updatedAt"] = now
        return record_arn


def traffic_report(record_arn):
    """`GET /__plus/service-deployment?arn=`: the stages it entered, in order; the production
    rule's [primary, alternate] weights, first as the deployment found them, then after each
    change; the target group holding all production traffic now (null when split or untracked)."""
    with LOCK:
        record = RECORDS.get(record_arn)
        if record is None:
            return None
        traffic = record.get("_traffic") or {}
        weights = [list(pair) for pair in record.get("_weights") or []]
        production = None
        if weights and 0 in weights[-1]:
            production = traffic["primary"] if weights[-1][0] else traffic["alternate"]
        return {"stages": list(record.get("_stages") or []), "weights": weights,
                "primaryTargetGroup": traffic.get("primary"), "alternateTargetGroup": traffic.get("alternate"),
                "productionTargetGroup": production}


def stop(record_arn, stop_type):
    """StopServiceDeployment: "PENDING - The service deployment moves to the ROLLBACK_REQUESTED
    state, and then the rollback operation starts. IN_PROGRESS - [the same]. STOP_REQUESTED - The
    service deployment continues to stop. ROLLBACK_REQUESTED, ROLLBACK_IN_PROGRESS - The service
    deployment continues the rollback operation." (Stopping Amazon ECS service deployments). A
    completed one cannot be stopped: ConflictException ("The request could not be processed
    because of conflict in the current state of the resource.", aws-sdk-ecs). ABORT stops it
    where it is (STOP_REQUESTED)."""
    now = utcnow()
    with LOCK:
        record = RECORDS.get(record_arn)
        if record is None:
            raise JsonRESTError("ServiceDeploymentNotFoundException",
                                f"The service deployment {record_arn} does not exist.")
        if record["status"] not in STOPPABLE:
            raise JsonRESTError("ConflictException",
                                f"The service deployment is {record['status']}; only an ongoing one can be stopped.")
        if record["status"] in ("PENDING", "IN_PROGRESS"):
            # moto_plus's deployment goes no further: it stays where it stopped (ABORT), or the
            # rollback replaces it (`start_rollback`). Only the service deployment says why.
            FROZEN.add(record["_deployment_obj"]["id"])
            if stop_type == "ABORT":
                record.update(status="STOP_REQUESTED", statusReason="Service deployment stopped by a user.",
                              updatedAt=now)
            else:
                source = REVISIONS.get(record["_sources"][0][0]) if record["_sources"] else None
                record.update(status="ROLLBACK_REQUESTED", statusReason="Service deployment rolled back by a user.",
                              updatedAt=now, rollback={"reason": "Rolled back by a user.", "startedAt": now,
                                                       **({"serviceRevisionArn": source} if source else {})})
        return record_arn


def answer(record):
    return {k: v for k, v in record.items() if not k.startswith("_")}


def brief(record):
    """A ServiceDeploymentBrief, as ListServiceDeployments answers."""
    fields = ("serviceDeploymentArn", "serviceArn", "clusterArn", "startedAt", "createdAt", "finishedAt",
              "status", "statusReason")
    out = {k: record[k] for k in fields if k in record}
    out["targetServiceRevisionArn"] = record["targetServiceRevision"]["arn"]
    return out


def listed(service_arn, statuses, created_at):
    """The service's records, newest first, filtered by status and `createdAt` {before, after}."""
    with LOCK:
        records = [r for r in RECORDS.values() if r["serviceArn"] == service_arn]
    if statuses:
        records = [r for r in records if r["status"] in statuses]
    before, after = (created_at or {}).get("before"), (created_at or {}).get("after")
    if before is not None:
        records = [r for r in records if r["createdAt"].timestamp() < float(before)]
    if after is not None:
        records = [r for r in records if r["createdAt"].timestamp() > float(after)]
    return sorted(records, key=lambda r: r["createdAt"], reverse=True)


def list_service_deployments(self):
    """ListServiceDeployments: the service (name or ARN) in the cluster; an unknown cluster or
    service fails as moto fails for DescribeServices' cousins. Paged by offset; the strict layer
    makes the pages small."""
    backend = self.ecs_backend
    service = backend._get_service(self._get_param("cluster", "default"), self._get_param("service"))
    records = listed(service.arn, self._get_param("status"), self._get_param("createdAt"))
    start = int(self._get_param("nextToken") or 0)
    size = int(self._get_param("maxResults") or 20)  # "returns up to 20 results" without maxResults
    chunk = records[start : start + size]
    result = {"serviceDeployments": [brief(r) for r in chunk]}
    if start + size < len(records):
        result["nextToken"] = str(start + size)
    return ActionResult(result)


def read_with_its_look(environ):
    """Lets a DescribeServices of the same poll make its look first (the module's docstring):
    called before the request waits its turn among the AWS calls (moto_plus's DISPATCH)."""
    target = environ.get("HTTP_X_AMZ_TARGET", "")
    if target.endswith(".DescribeServiceDeployments"):
        time.sleep(SAME_POLL_SECONDS)


def describe_service_deployments(self):
    arns = self._get_param("serviceDeploymentArns") or []
    found, failures = [], []
    with LOCK:
        for an_arn in arns:
            record = RECORDS.get(an_arn)
            if record is None:
                failures.append({"arn": an_arn, "reason": "MISSING"})
            else:
                found.append(answer(record))
    return ActionResult({"serviceDeployments": found, "failures": failures})


def stop_service_deployment(self):
    stopped = stop(self._get_param("serviceDeploymentArn"), self._get_param("stopType") or "ROLLBACK")
    return ActionResult({"serviceDeploymentArn": stopped})


def continue_service_deployment(self):
    action = self._get_param("action") or "CONTINUE"
    resumed = resume(self._get_param("serviceDeploymentArn"), self._get_param("hookId"), action)
    return ActionResult({"serviceDeploymentArn": resumed})


def deleted(service):
    """ "When you delete a service, Amazon ECS deletes the corresponding service deployments."
    (View service history using Amazon ECS service deployments)"""
    with LOCK:
        for record_arn in [a for a, r in RECORDS.items() if r["serviceArn"] == service.arn]:
            del RECORDS[record_arn]


def install(response_class, backend_class):
    original_delete = backend_class.delete_service

    def delete_service(self, cluster_name, service_name, force):
        service = original_delete(self, cluster_name, service_name, force)
        deleted(service)
        return service

    backend_class.delete_service = delete_service
    response_class.list_service_deployments = list_service_deployments
    response_class.describe_service_deployments = describe_service_deployments
    response_class.stop_service_deployment = stop_service_deployment
    response_class.continue_service_deployment = continue_service_deployment
