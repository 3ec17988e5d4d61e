"""STS: AssumeRole as AWS validates it, for role chaining (maestro's `role-chaining`)."""

import re

from moto.sts import responses as sts_responses
from moto.sts.exceptions import STSValidationError

from .aws import patch

# RoleSessionName: "Length Constraints: Minimum length of 2. Maximum length of 64. Pattern:
# [\w+=,.@-]*"; ExternalId: "Minimum length of 2. Maximum length of 1224. Pattern: [\w+=,.@:\/-]*";
# DurationSeconds: "Minimum value of 900. Maximum value of 43200."
# (https://docs.aws.amazon.com/STS/latest/APIReference/API_AssumeRole.html)
SESSION_NAME = re.compile(r"^[\w+=,.@-]{2,64}$")
EXTERNAL_ID = re.compile(r"^[\w+=,.@:/-]{2,1224}$")
# "Role chaining limits your AWS CLI or AWS API role session to a maximum of one hour. When you use
# the AssumeRole API operation to assume a role, you can specify the duration of your role session
# with the DurationSeconds parameter. … If you specify a value higher than this setting [when
# chaining], the operation fails."
# (https://docs.aws.amazon.com/IAM/latest/UserGuide/id_roles_terms-and-concepts.html#iam-term-role-chaining)
CHAINED_MAX = 3600
# The access key ids of temporary credentials (a role's session) begin with ASIA; long-term keys
# with AKIA (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_identifiers.html#identifiers-unique-ids).
SESSION_KEY_PREFIX = "ASIA"


def invalid(field, value, constraint):
    raise STSValidationError(
        f"1 validation error detected: Value '{value}' at '{field}' failed to satisfy constraint: {constraint}"
    )


def assume_role(original, self):
    name = self._get_param("RoleSessionName") or ""
    if not SESSION_NAME.match(name):
        invalid("roleSessionName", name, "Member must satisfy regular expression pattern: [\\w+=,.@-]*")
    external_id = self._get_param("ExternalId")
    if external_id is not None and not EXTERNAL_ID.match(external_id):
        invalid("externalId", external_id, "Member must satisfy regular expression pattern: [\\w+=,.@:\\/-]*")
    duration = self._get_int_param("DurationSeconds", 3600)
    if not 900 <= duration <= 43200:
        invalid("durationSeconds", duration, "Member must have value between 900 and 43200")
    if duration > CHAINED_MAX and self.get_access_key().startswith(SESSION_KEY_PREFIX):
        raise STSValidationError(
            "The requested DurationSeconds exceeds the 1 hour session limit for roles assumed by role chaining."
        )
    return original(self)


def install():
    patch(sts_responses.TokenResponse, "assume_role", assume_role)
