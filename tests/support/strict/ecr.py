"""ECR, for the image's repository: what a lifecycle policy must be. moto checks the policy's
schema (required fields, enums, countNumber at least 1: moto/ecr/policy_validation.py) and not
these documented rules between fields, so a policy AWS refuses at the first deploy passed here.

Lifecycle policy properties: https://docs.aws.amazon.com/AmazonECR/latest/userguide/lifecycle_policy_parameters.html
PutLifecyclePolicy: https://docs.aws.amazon.com/AmazonECR/latest/APIReference/API_PutLifecyclePolicy.html
"""

import json

from moto.ecr import models as ecr_models

from .aws import patch, refuse

Backend = ecr_models.ECRBackend

# PutLifecyclePolicy's lifecyclePolicyText: "Length Constraints: Minimum length of 100. Maximum
# length of 30720." (also the service quota "Lifecycle policy length: 30,720").
TEXT_LENGTH = (100, 30720)

# tagPatternList: "There is a maximum limit of four wildcards (*) per string."
MAX_WILDCARDS = 4

PREFIX = (
    "Invalid parameter at 'LifecyclePolicyText' failed to satisfy constraint: "
    "'Lifecycle policy validation failure: "
)


def invalid(message):
    refuse("InvalidParameterException", PREFIX + message + "'")


def check_rules(rules):
    """The rules between fields, after moto's own schema check passed."""
    priorities = []
    for rule in rules:
        priority = rule.get("rulePriority")
        # rulePriority: "Sets the order in which rules are applied, lowest to highest. A
        # lifecycle policy rule with a priority of 1 is applied first".
        if not isinstance(priority, int) or isinstance(priority, bool) or priority < 1:
            invalid(f"rulePriority must be a positive integer, found: {priority}")
        # "When you add rules to a lifecycle policy, you must give them each a unique value for
        # rulePriority."
        if priority in priorities:
            invalid(f"rulePriority values must be unique: {priority} is used by more than one rule.")
        priorities.append(priority)
        selection = rule["selection"]
        status = selection.get("tagStatus")
        lists = [name for name in ("tagPatternList", "tagPrefixList") if name in selection]
        # tagStatus: "If you specify tagged, then you must also specify a tagPrefixList value or
        # a tagPatternList value. If you specify untagged, then you must omit both tagPrefixList
        # and tagPatternList."
        if status == "tagged" and not any(selection.get(name) for name in lists):
            invalid("tagPrefixList or tagPatternList is required when tagStatus is tagged.")
        if status == "untagged" and lists:
            invalid("tagPrefixList and tagPatternList must be omitted when tagStatus is untagged.")
        for pattern in selection.get("tagPatternList") or []:
            if str(pattern).count("*") > MAX_WILDCARDS:
                invalid(f"The tag pattern {pattern} has more than {MAX_WILDCARDS} wildcards.")
        # countUnit: "Required: yes, only if countType is set to sinceImagePushed. ... Specifying
        # a count unit when countType is set to imageCountMoreThan will result in an error."
        count_type, unit = selection.get("countType"), selection.get("countUnit")
        if count_type == "sinceImagePushed" and unit != "days":
            invalid("countUnit days is required when countType is sinceImagePushed.")
        if count_type == "imageCountMoreThan" and unit is not None:
            invalid("countUnit must be omitted when countType is imageCountMoreThan.")
    # rulePriority: "A rule with a tagStatus value of any must have the highest value for
    # rulePriority and be evaluated last."
    anys = [rule["rulePriority"] for rule in rules if rule["selection"].get("tagStatus") == "any"]
    if anys and (len(anys) > 1 or anys[0] != max(priorities)):
        invalid("A rule with tagStatus any must have the highest rulePriority.")


def put_lifecycle_policy(original, self, registry_id, repository_name, lifecycle_policy_text):
    low, high = TEXT_LENGTH
    if not low <= len(lifecycle_policy_text) <= high:
        refuse(
            "InvalidParameterException",
            "Invalid parameter at 'LifecyclePolicyText' failed to satisfy constraint: 'Member must have length "
            f"between {low} and {high}'",
        )
    # moto's schema check first (its refusals are AWS's words), then the rules between fields,
    # both before moto keeps the policy.
    ecr_models.EcrLifecyclePolicyValidator(lifecycle_policy_text).validate()
    check_rules(json.loads(lifecycle_policy_text)["rules"])
    return original(self, registry_id, repository_name, lifecycle_policy_text)


def install():
    patch(Backend, "put_lifecycle_policy", put_lifecycle_policy)
