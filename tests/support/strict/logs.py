"""CloudWatch Logs: log group names and retention, and reads that page as AWS warns they may."""

import json
import re

from moto.logs import models as logs_models
from moto.logs import responses as logs_responses

from .aws import clamp_limit, patch, refuse

Response = logs_responses.LogsResponse

# "Log group names can be between 1 and 512 characters long. … consist of the following
# characters: a-z, A-Z, 0-9, '_' (underscore), '-' (hyphen), '/' (forward slash), '.' (period), and
# '#' (number sign)" (aws-sdk-cloudwatchlogs 1.162.0, CreateLogGroup)
GROUP_NAME = re.compile(r"^[A-Za-z0-9_\-/.#]{1,512}$")
# PutRetentionPolicy retentionInDays: "Possible values are: 1, 3, 5, 7, 14, 30, 60, 90, 120, 150,
# 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, and 3653."
RETENTION_DAYS = {
    1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653,
}


def create_log_group(original, self):
    name = self._get_param("logGroupName") or ""
    if not GROUP_NAME.match(name):
        refuse(
            "InvalidParameterException",
            f"1 validation error detected: Value '{name}' at 'logGroupName' failed to satisfy constraint: Member must "
            "satisfy regular expression pattern: [\\.\\-_/#A-Za-z0-9]+",
        )
    return original(self)


def put_retention_policy(original, self):
    days = self._get_param("retentionInDays")
    if days not in RETENTION_DAYS:
        refuse(
            "InvalidParameterException",
            f"1 validation error detected: Value '{days}' at 'retentionInDays' failed to satisfy enum value set: "
            f"{sorted(RETENTION_DAYS)}",
        )
    return original(self)


def get_log_events(original, self):
    """"Partially full or empty pages don't necessarily mean that pagination is finished. As long
    as the nextBackwardToken or nextForwardToken returned is NOT equal to the nextToken that you
    passed into the API call, there might be more log events available." (aws-sdk-cloudwatchlogs
    1.162.0, GetLogEventsFluentBuilder). A read without a token answers an empty page whose tokens
    lead to the events: a reader that stops at the first page sees nothing."""
    if self._get_param("nextToken"):
        return original(self)
    answer = json.loads(original(self))
    if not answer["events"]:
        return json.dumps(answer)
    # moto's tokens are b/<index> (events before index) and f/<index> (events after index).
    first, last = int(answer["nextBackwardToken"][2:]), int(answer["nextForwardToken"][2:])
    from_head = self._get_param("startFromHead", False)
    start = first if from_head else last + 1
    return json.dumps({"events": [], "nextBackwardToken": f"b/{start:056d}", "nextForwardToken": f"f/{start - 1:056d}"})


def install():
    patch(Response, "create_log_group", create_log_group)
    patch(Response, "put_retention_policy", put_retention_policy)
    patch(Response, "get_log_events", get_log_events)
    # DescribeLogGroups' pages: at most aws.PAGE groups, with a nextToken when more remain.
    clamp_limit(logs_models.LogsBackend, "describe_log_groups", "limit")
