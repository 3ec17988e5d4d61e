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

The strict layer (strict/ecs_service_deployments.py) adds AWS's limits and refusals on top.
A test makes a deployment that never completes with moto_plus's `"outcome": "STUCK"`.
"""

import threading
import uuid

from moto.core.exceptions import JsonRESTError
from moto.core.responses import ActionResult
from moto.core.utils import utcnow

LOCK = threading.RLock()
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
        BY_DEPLOYMENT[deployment["id"]] = record_arn
        service.current_service_deployment = record_arn


def stop_superseded(record_arn, now):
    record = RECORDS.get(record_arn)
    if record is not None and record["status"] in ONGOING:
        record.update(status="STOPPED", statusReason="A newer service deployment replaced this one.",
                      stoppedAt=now, updatedAt=now)


def observe(service):
    """One DescribeServices look at `service`: each of its ongoing records takes one step."""
    now = utcnow()
    with LOCK:
        for record in [r for r in RECORDS.values() if r["serviceArn"] == service.arn and r["status"] in ONGOING]:
            step(service, record, now)


def step(service, record, now):
    deployment = next((d for d in service.deployments if d["id"] == record["_deployment"]), None)
    status = record["status"]
    if status == "STOP_REQUESTED":
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
    elif status == "PENDING":
        record.update(status="IN_PROGRESS", startedAt=now, updatedAt=now)


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
    rollback = record.get("_rollback_obj")
    if rollback is None:
        return
    rollback.update(rolloutState="COMPLETED", rolloutStateReason=f"ECS deployment {rollback['id']} completed.",
                    updatedAt=now, runningCount=service.desired_count, pendingCount=0)
    service.deployments = [rollback]
    service.running_count, service.pending_count = service.desired_count, 0
    service.events.insert(0, {"id": str(uuid.uuid4()), "createdAt": now,
                              "message": f"(service {service.name}) has reached a steady state."})


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
