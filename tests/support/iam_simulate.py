"""IAM's policy simulator for one role, which moto 5.2.5 does not implement
(SimulatePrincipalPolicy is absent from moto/iam/responses.py), for `maestro verify`'s
permissions check.

What it models, from https://docs.aws.amazon.com/IAM/latest/APIReference/API_SimulatePrincipalPolicy.html:
- `PolicySourceArn` names a role: its inline policies and the default versions of its attached
  managed policies are evaluated ("all of the policies that are attached to that entity");
  an unknown role is `NoSuchEntity`.
- "Each operation is evaluated for each resource": one EvaluationResult per action and resource
  (`ResourceArns` defaults to `*`), its `EvalDecision` one of `allowed`, `explicitDeny`,
  `implicitDeny`.
- Pagination: `MaxItems` (default 100) and `Marker`; `IsTruncated` says more follow. Pages here
  are at most strict.aws.PAGE long, whatever MaxItems asks ("IAM might return fewer than the
  MaxItems number of results even when there are more results available").
The evaluation is the IAM User Guide's
(https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic.html): an
explicit Deny in any policy wins over any Allow; without an Allow the request is implicitly denied.
Actions match without case, resources with case, both with the wildcards `*` and `?`. A statement
with a `Condition` never matches: the simulator is given no context keys, and "if the key that you
specify in a policy condition is not present in the request context, the values do not match"
(reference_policies_condition-single-vs-multi-valued-context-keys.html). NotAction and NotResource
match everything their list does not.
"""

import json
import re
from urllib.parse import unquote

from moto.core.responses import ActionResult
from moto.iam import responses as iam_responses
from moto.iam.models import iam_backends

from strict.aws import PAGE, decode_token, encode_token


def listed(value):
    if value is None:
        return []
    return [value] if isinstance(value, str) else list(value)


def matches(pattern, text, ignore_case):
    regex = "".join(".*" if c == "*" else "." if c == "?" else re.escape(c) for c in pattern)
    return re.fullmatch(regex, text, re.IGNORECASE if ignore_case else 0) is not None


def statement_matches(statement, action, resource):
    if "Condition" in statement:
        return False
    if "NotAction" in statement:
        on_action = not any(matches(p, action, True) for p in listed(statement["NotAction"]))
    else:
        on_action = any(matches(p, action, True) for p in listed(statement.get("Action")))
    if "NotResource" in statement:
        on_resource = not any(matches(p, resource, False) for p in listed(statement["NotResource"]))
    else:
        on_resource = any(matches(p, resource, False) for p in listed(statement.get("Resource")))
    return on_action and on_resource


def documents(role):
    """Every policy document of `role`: inline ones, then attached managed ones' default versions."""
    texts = list(role.policies.values())
    for policy in role.managed_policies.values():
        texts += [version.document for version in policy.versions if version.is_default]
    for text in texts:
        if not isinstance(text, str):
            yield text
            continue
        # Documents may be stored URL-encoded, as IAM returns them.
        yield json.loads(text if text.lstrip().startswith("{") else unquote(text))


def decide(policies, action, resource):
    statements = [s for policy in policies for s in listed(policy.get("Statement"))]
    matching = [s for s in statements if statement_matches(s, action, resource)]
    if any(s.get("Effect") == "Deny" for s in matching):
        return "explicitDeny"
    if any(s.get("Effect") == "Allow" for s in matching):
        return "allowed"
    return "implicitDeny"


def param_list(response, name):
    value = response._get_param(name)
    if value is None:
        value = response._get_multi_param(f"{name}.member")
    return listed(value)


def simulate_principal_policy(self):
    source = self._get_param("PolicySourceArn")
    backend = iam_backends[self.current_account][self.partition]
    role = backend.get_role(source.rsplit("/", 1)[-1])  # NoSuchEntity when unknown
    policies = list(documents(role))
    resources = param_list(self, "ResourceArns") or ["*"]
    results = [
        {"EvalActionName": action, "EvalResourceName": resource, "EvalDecision": decide(policies, action, resource)}
        for action in param_list(self, "ActionNames")
        for resource in resources
    ]
    start = decode_token(self._get_param("Marker")) or 0
    size = min(int(self._get_param("MaxItems") or 100), PAGE)
    page = results[start : start + size]
    answer = {"EvaluationResults": page, "IsTruncated": start + size < len(results)}
    if answer["IsTruncated"]:
        answer["Marker"] = encode_token(start + size)
    return ActionResult(answer)


def install():
    iam_responses.IamResponse.simulate_principal_policy = simulate_principal_policy
