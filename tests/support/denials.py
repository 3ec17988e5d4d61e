"""Calls a test's account may not make, refused as AWS refuses them, for the AccessDenied tests.

moto's own IAM enforcement (`INITIAL_NO_AUTH_ACTION_COUNT`) is one switch for the whole server,
and it answers every service in the query protocol's XML (`moto.core.exceptions.AccessDeniedError`),
which the SDK of a JSON-protocol service (SSM, ECS, ECR, ...) cannot parse: "malformed JSON error
body". Here a test names the actions one account may not call, and each is refused with the
error a real policy would give, serialised by moto for the service's own protocol:
`AccessDeniedException` on the JSON protocol (`{"__type": "AccessDeniedException", "message": …}`),
`AccessDenied` on the query protocol (STS, IAM, ELB), `UnauthorizedOperation` on EC2
(https://docs.aws.amazon.com/AWSEC2/latest/APIReference/errors-overview.html), with the message
form of https://docs.aws.amazon.com/IAM/latest/UserGuide/troubleshoot_access-denied.html:
"User: <caller> is not authorized to perform: <action> on resource: <arn> because no
identity-based policy allows the <action> action" (the resource only where AWS names one and this
module knows it).

    POST /__plus/deny {"account": "<id>", "actions": ["ssm:PutParameter", ...]}
"""

import json
import threading
import uuid
from xml.sax.saxutils import escape

from moto.core.responses import BaseResponse
from moto.sts.models import sts_backends

LOCK = threading.Lock()
DENIED = {}  # account id -> {lower-cased "prefix:Operation"}

# moto's service names that differ from the IAM prefix.
PREFIXES = {"elbv2": "elasticloadbalancing", "applicationautoscaling": "application-autoscaling"}
QUERY = {"elbv2", "sts", "iam", "cloudwatch"}


def deny(account, actions):
    with LOCK:
        DENIED[account] = {action.lower() for action in actions}


def resource(response, operation):
    """The ARN AWS names in the refusal, for the calls the tests refuse (SSM's parameters)."""
    if response.service_name == "ssm" and operation in ("PutParameter", "GetParameter", "DeleteParameter"):
        body = response._get_param("Name")
        if body:
            return f"arn:aws:ssm:{response.region}:{response.current_account}:parameter{body}"
    return None


original_call_action = None  # what install() wraps: moto's, or the journal's wrapper of it


def call_action(self):
    account = self.current_account
    with LOCK:
        denied = DENIED.get(account)
    if not denied:
        return original_call_action(self)
    operation = self._get_action()
    action = f"{PREFIXES.get(self.service_name, self.service_name)}:{operation}"
    if action.lower() not in denied:
        return original_call_action(self)
    caller = sts_backends[account][self.partition].get_caller_identity(self.get_access_key(), self.region)[1]
    arn = resource(self, operation)
    on = f" on resource: {arn}" if arn else ""
    message = (
        f"User: {caller} is not authorized to perform: {action}{on} "
        f"because no identity-based policy allows the {action} action"
    )
    return refusal(self.service_name, message)


def refusal(service, message):
    """AWS's answer, in the service's protocol (moto's own serialiser knows only the services
    ported to its new response model, and not this code for all of them)."""
    if service == "ec2":
        # EC2's query protocol: <Response><Errors><Error>…</Error></Errors><RequestID>.
        body = (
            "<?xml version='1.0' encoding='UTF-8'?><Response><Errors><Error><Code>UnauthorizedOperation</Code>"
            f"<Message>{escape(message)}</Message></Error></Errors><RequestID>{uuid.uuid4()}</RequestID></Response>"
        )
        return 403, {"Content-Type": "text/xml"}, body
    if service in QUERY:
        body = (
            "<ErrorResponse><Error><Type>Sender</Type><Code>AccessDenied</Code>"
            f"<Message>{escape(message)}</Message></Error><RequestId>{uuid.uuid4()}</RequestId></ErrorResponse>"
        )
        return 403, {"Content-Type": "text/xml"}, body
    # The JSON protocol: the code in `__type` and in the X-Amzn-ErrorType header, status 400.
    body = json.dumps({"__type": "AccessDeniedException", "message": message})
    return 400, {"Content-Type": "application/x-amz-json-1.1", "X-Amzn-ErrorType": "AccessDeniedException"}, body


def install():
    global original_call_action
    original_call_action = BaseResponse.call_action
    BaseResponse.call_action = call_action
