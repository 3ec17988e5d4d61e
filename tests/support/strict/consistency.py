"""ECS's eventual consistency, as windows counted in calls.

"The Amazon ECS API follows an eventual consistency model … Run the DescribeTasks command using an
exponential backoff algorithm" (aws-sdk-ecs 1.157.0, RunTaskFluentBuilder; the same holds after
CreateService, https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_RunTask.html).
Application Auto Scaling reads ECS the same way: "Because ECS APIs are eventually consistent, the
Autoscaling registration call sometimes fails with 'ECS service doesn't exist'"
(spinnaker/spinnaker#4371, AWS's ECS engineers). A deleted service "moves from ACTIVE to DRAINING
… After all tasks have transitioned to either STOPPING or STOPPED status, the service status moves
from DRAINING to INACTIVE" (aws-sdk-ecs 1.157.0, DeleteServiceFluentBuilder).

Every window is keyed by (account, region, cluster, name) or by task id, and counted in calls.
"""

from .aws import Window

# DescribeTasks calls that answer `failures: [{reason: MISSING}]` for a task RunTask just started.
TASK_MISSING_CALLS = 2
# DescribeServices calls that answer MISSING for a service CreateService just created.
SERVICE_MISSING_CALLS = 1
# RegisterScalableTarget calls refused with "ECS service doesn't exist" after CreateService.
SCALABLE_TARGET_REFUSALS = 1
# DescribeServices or CreateService calls that still see a deleted service DRAINING.
DRAINING_CALLS = 2

task_missing = Window()
service_missing = Window()
not_yet_scalable = Window()
draining = Window()


def service_key(account, region, cluster, service):
    return (account, region, cluster, service)


def scalable_key(account, region, resource_id):
    """The key of `service/<cluster>/<service>`, the scalable target's resource id."""
    _, cluster, service = resource_id.split("/", 2)
    return service_key(account, region, cluster, service)
