"""CloudWatch Logs: log group names and retention, and reads that page as AWS warns they may."""

import json
import re

from moto.logs import models as logs_models
from moto.logs import responses as logs_responses

from .aws import clamp_limit, encode_token, page, patch, refuse

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


FILTER_LOG_EVENTS = "https://docs.aws.amazon.com/AmazonCloudWatchLogs/latest/APIReference/API_FilterLogEvents.html"


def filter_log_events(original, self):
    """FilterLogEvents as its API reference (FILTER_LOG_EVENTS) documents it, where moto is lenient:
    - `logGroupName`: "Length Constraints: Minimum length of 1. Maximum length of 512. Pattern:
      [\\.\\-_/#A-Za-z0-9]+", and "You must include one of these two parameters [logGroupIdentifier,
      logGroupName], but you can't include both": `InvalidParameterException`;
    - `limit`: "Valid Range: Minimum value of 1. Maximum value of 10000" (moto took 0 and negatives);
    - `startTime`, `endTime`: "Valid Range: Minimum value of 0", and a range that ends before it
      starts is refused;
    - "The returned log events are sorted by event timestamp" across the group's streams
      (`interleaved` "is ignored and the value is assumed to be true"; moto kept stream order
      without it);
    - "A returned page might only be partially full, or even empty … If the results include a
      nextToken, there might be more log events available": pages hold at most aws.PAGE events,
      and the first page of a read that matches something is empty, so a reader that stops at an
      empty page or ignores the token misses every line.
    An unknown group is moto's `ResourceNotFoundException`, as on AWS."""
    name = self._get_param("logGroupName")
    identifier = self._get_param("logGroupIdentifier")
    if (name is None) == (identifier is None):
        refuse("InvalidParameterException", "Exactly one of logGroupName or logGroupIdentifier must be specified.")
    if name is not None and not GROUP_NAME.match(name):
        refuse(
            "InvalidParameterException",
            f"1 validation error detected: Value '{name}' at 'logGroupName' failed to satisfy constraint: Member must "
            "satisfy regular expression pattern: [\\.\\-_/#A-Za-z0-9]+",
        )
    limit = self._get_param("limit")
    if limit is not None and not 1 <= int(limit) <= 10000:
        refuse(
            "InvalidParameterException",
            f"1 validation error detected: Value '{limit}' at 'limit' failed to satisfy constraint: Member must have "
            "value between 1 and 10000",
        )
    start, end = self._get_param("startTime"), self._get_param("endTime")
    for field, value in (("startTime", start), ("endTime", end)):
        if value is not None and int(value) < 0:
            refuse(
                "InvalidParameterException",
                f"1 validation error detected: Value '{value}' at '{field}' failed to satisfy constraint: Member must "
                "have value greater than or equal to 0",
            )
    if start is not None and end is not None and int(end) < int(start):
        refuse("InvalidParameterException", "endTime must be greater than or equal to startTime")
    group = name if name is not None else identifier.rsplit(":log-group:", 1)[-1].removesuffix(":*")
    events, _, searched = self.logs_backend.filter_log_events(
        group,
        self._get_param("logStreamNames", []),
        start,
        end,
        None,
        None,
        self._get_param("filterPattern"),
        True,
    )
    token = self._get_param("nextToken")
    if token is None and events:
        return json.dumps({"events": [], "nextToken": encode_token(0), "searchedLogStreams": searched})

    def invalid():
        refuse("InvalidParameterException", "The specified nextToken is invalid.")

    chunk, following = page(events, token, limit, invalid)
    return json.dumps({"events": chunk, "nextToken": following, "searchedLogStreams": searched})


def install():
    patch(Response, "create_log_group", create_log_group)
    patch(Response, "put_retention_policy", put_retention_policy)
    patch(Response, "get_log_events", get_log_events)
    patch(Response, "filter_log_events", filter_log_events)
    # DescribeLogGroups' pages: at most aws.PAGE groups, with a nextToken when more remain.
    clamp_limit(logs_models.LogsBackend, "describe_log_groups", "limit")
