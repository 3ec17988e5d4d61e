"""EventBridge: schedule rules and their ECS targets, and paginated listings."""

import json
import re

from moto.events import models as events_models
from moto.events import responses as events_responses
from moto.events.utils import PAGINATION_MODEL

from .aws import clamp_limit, patch, refuse

Response = events_responses.EventsHandler

# PutRule Name and Target Id: "Length Constraints: Minimum length of 1. Maximum length of 64.
# Pattern: [\.\-_A-Za-z0-9]+" (https://docs.aws.amazon.com/eventbridge/latest/APIReference/API_PutRule.html,
# https://docs.aws.amazon.com/eventbridge/latest/APIReference/API_Target.html)
NAME = re.compile(r"^[.\-_A-Za-z0-9]{1,64}$")
# "rate(value unit)": "If the value is equal to 1, then the unit must be singular. If the value is
# greater than 1, the unit must be plural." and cron has six fields
# (https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-scheduled-rule-pattern.html)
RATE = re.compile(r"^rate\((\d+) (minute|minutes|hour|hours|day|days)\)$")
CRON = re.compile(r"^cron\((\S+ ){5}\S+\)$")


def check_name(value, field):
    if not NAME.match(value or ""):
        refuse(
            "ValidationException",
            f"1 validation error detected: Value '{value}' at '{field}' failed to satisfy constraint: Member must "
            "satisfy regular expression pattern: [\\.\\-_A-Za-z0-9]+ and have length less than or equal to 64",
        )


def check_schedule(expression):
    rate = RATE.match(expression)
    if rate:
        value, unit = int(rate.group(1)), rate.group(2)
        if value == 0 or (value == 1) == unit.endswith("s"):
            refuse("ValidationException", "Parameter ScheduleExpression is not valid.")
    elif not CRON.match(expression):
        refuse("ValidationException", "Parameter ScheduleExpression is not valid.")


def put_rule(original, self):
    check_name(self._get_param("Name"), "name")
    if self._get_param("ScheduleExpression"):
        check_schedule(self._get_param("ScheduleExpression"))
    return original(self)


def put_targets(original, self):
    """"The maximum number of entries per request is 10. Each rule can have up to five (5) targets
    associated with it at one time." (aws-sdk-eventbridge 1.127.0, PutTargets); an ECS target runs
    with the role it names ("Amazon ECS tasks … EventBridge needs a role",
    https://docs.aws.amazon.com/AmazonECS/latest/developerguide/CWE_IAM_role.html); Input: "Valid
    JSON text passed to the target" (Target)."""
    targets = self._get_param("Targets") or []
    if len(targets) > 10:
        refuse(
            "ValidationException",
            "1 validation error detected: Value at 'targets' failed to satisfy constraint: Member must have length "
            "less than or equal to 10",
        )
    for target in targets:
        check_name(target.get("Id"), "targets.member.id")
        if ":ecs:" in (target.get("Arn") or "") and not target.get("RoleArn"):
            refuse("ValidationException", f"Parameter(s) RoleArn must be specified for target: {target.get('Id')}.")
        if target.get("Input") is not None:
            try:
                json.loads(target["Input"])
            except ValueError:
                refuse("ValidationException", f"Parameter Input is not valid JSON for target: {target.get('Id')}.")
    rule = self.events_backend.describe_rule(self._get_param("Rule"), self._get_param("EventBusName"))
    ids = {target["Id"] for target in rule.targets} | {target.get("Id") for target in targets}
    if len(ids) > 5:
        refuse("LimitExceededException", "The requested resource exceeds the maximum number allowed.")
    return original(self)


def install():
    patch(Response, "put_rule", put_rule)
    patch(Response, "put_targets", put_targets)
    # "NextToken: The token returned by a previous call, which you can pass to retrieve the next
    # set of results." (ListRules, ListTargetsByRule): pages of at most aws.PAGE.
    clamp_limit(events_models.EventsBackend, "list_rules", "limit")
    # A rule's targets are unique by Id ("The ID of the target within the specified rule", Target);
    # moto pages them by Arn, which every ECS target of one cluster shares, and loops.
    PAGINATION_MODEL["list_targets_by_rule"]["unique_attribute"] = "Id"
    clamp_limit(events_models.EventsBackend, "list_targets_by_rule", "limit")
