"""ECS's request throttling: a token bucket per account, Region and category of actions (opt-in per account).

"Amazon ECS uses the token bucket algorithm ... for each AWS account on a per-Region basis"; each
category of actions has its own bucket, whose capacity is the burst rate and which refills at the
sustained rate per second; a call that finds its bucket empty is refused with HTTP 400,
`ThrottlingException`, "Rate exceeded"
(https://docs.aws.amazon.com/AmazonECS/latest/APIReference/request-throttling.html). RATES below is
that page's table, action by action.

It is opt-in per account (`POST /__plus/throttle {"account": "<id>"}`, `GET /__plus/throttle?account=<id>`
for the calls it refused, by action): the suite's thousands of calls share few accounts' worth of
rates, and would be slowed for nothing. The clock is the wall clock (`time.monotonic`), as ECS's.
Fargate's own RunTask throttle (developer guide, throttling.html) is not modelled.
"""

import threading
import time

from moto.core.responses import BaseResponse

# The reference's table, row by row: category | burst | sustained per second | actions (an
# indented line goes on with the row above's actions).
TABLE = """
cluster modify | 20 | 1 | CreateCluster DeleteCluster PutClusterCapacityProviders UpdateCluster UpdateClusterSettings
cluster read | 50 | 20 | DescribeClusters ListClusters
task definition modify | 20 | 1 | DeregisterTaskDefinition RegisterTaskDefinition
task definition read | 50 | 20 | DescribeTaskDefinition ListTaskDefinitions ListTaskDefinitionFamilies
task definition deletion | 5 | 1 | DeleteTaskDefinitions
capacity provider modify | 10 | 1 | CreateCapacityProvider DeleteCapacityProvider UpdateCapacityProvider
capacity provider read | 50 | 20 | DescribeCapacityProviders
tag modify | 20 | 10 | TagResource UntagResource
tag read | 50 | 20 | ListTagsForResource
setting modify | 10 | 1 | DeleteAccountSetting PutAccountSetting PutAccountSettingDefault
setting read | 50 | 20 | ListAccountSettings
cluster resource modify | 100 | 40 | DeleteAttributes DeregisterContainerInstance ExecuteCommand PutAttributes RunTask
    StartTask StopTask UpdateContainerAgent UpdateContainerInstancesStates
cluster resource read | 100 | 20 | DescribeContainerInstances DescribeTasks ListAttributes ListContainerInstances
    ListTasks
agent modify | 200 | 120 | RegisterContainerInstance SubmitAttachmentStateChanges SubmitContainerStateChange
    SubmitTaskStateChange
service modify | 50 | 5 | CreateService DeleteService UpdateService
service read | 100 | 20 | DescribeServices ListServices
service deployment | 50 | 20 | DescribeServiceDeployments ListServiceDeployments
service revision | 50 | 20 | DescribeServiceRevisions
task protection | 200 | 80 | UpdateTaskProtection GetTaskProtection
cluster service resource read | 10 | 1 | ListServicesByNamespace
"""


def rows(table):
    """category -> (burst, sustained per second, [action, ...])"""
    rates, last = {}, None
    for line in table.strip("\n").splitlines():
        if line.startswith(" "):
            rates[last][2].extend(line.split())
            continue
        last, burst, rate, actions = (cell.strip() for cell in line.split("|"))
        rates[last] = (int(burst), int(rate), actions.split())
    return rates


RATES = rows(TABLE)
CATEGORY = {action: category for category, (_, _, actions) in RATES.items() for action in actions}

THROTTLED = {}  # account -> {action: calls refused}; an account is throttled when it is a key
BUCKETS = {}  # (account, region, category) -> [tokens, monotonic time of the last refill]
STATE = threading.Lock()


def enable(account):
    with STATE:
        THROTTLED.setdefault(account, {})


def report(account):
    """The account's refused calls by action, and their total."""
    with STATE:
        refused = dict(THROTTLED.get(account, {}))
    return {"throttled": sum(refused.values()), "by_action": refused}


def take(account, region, action, now):
    """`True` when the call may go: its bucket refilled to `now` had a token, now spent."""
    category = CATEGORY.get(action)
    if category is None:
        return True  # an action the table does not list (the service-deployment writes) is not throttled here
    burst, rate, _ = RATES[category]
    with STATE:
        key = (account, region, category)
        tokens, then = BUCKETS.get(key, (burst, now))
        tokens = min(burst, tokens + (now - then) * rate)
        if tokens >= 1:
            BUCKETS[key] = (tokens - 1, now)
            return True
        BUCKETS[key] = (tokens, now)
        refused = THROTTLED[account]
        refused[action] = refused.get(action, 0) + 1
        return False


original_call_action = None


def call_action(self):
    account = self.current_account
    if self.service_name != "ecs" or account not in THROTTLED:
        return original_call_action(self)
    action = self._get_action()
    if take(account, self.region, action, time.monotonic()):
        return original_call_action(self)
    # ECS's JSON protocol: the code in `__type` and the X-Amzn-ErrorType header, status 400.
    body = '{"__type": "ThrottlingException", "message": "Rate exceeded"}'
    return 400, {"Content-Type": "application/x-amz-json-1.1", "X-Amzn-ErrorType": "ThrottlingException"}, body


def install():
    """Wraps `BaseResponse.call_action`; moto_plus.py installs it last, outside the strict layer's
    switches, since it is off until a test opts an account in."""
    global original_call_action
    original_call_action = BaseResponse.call_action
    BaseResponse.call_action = call_action
