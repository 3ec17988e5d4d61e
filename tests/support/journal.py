"""The calls an account made, with their parameters, for the IAM test (tests/it/iam.rs).

moto's own IAM enforcement (`INITIAL_NO_AUTH_ACTION_COUNT`) cannot judge a least-privilege
policy: every service but S3 asks it about the resource `"*"` (`BaseResponse.call_action`:
`resource = "*"` unless the response class has `_determine_resource`), it evaluates conditions
only in trust policies (moto/iam/access_control.py: "TODO add support for the Resource and
Condition parts of IAM policies"), and it is one switch for the whole server, so every other
test's account would be refused too. Instead the emulator keeps, for the accounts a test asks
for, each call's service, operation and parameters, and the test evaluates its policy over them.

    POST /__plus/journal {"account": "<id>"}   start recording that account's calls
    GET  /__plus/journal?account=<id>          the calls so far: [{"service", "action", "region", "params"}]
"""

import json
import threading

from moto.core.responses import BaseResponse

LOCK = threading.Lock()
JOURNALS = {}  # account id -> [call]


def start(account):
    with LOCK:
        JOURNALS.setdefault(account, [])


def calls(account):
    with LOCK:
        return list(JOURNALS.get(account, []))


def params(response):
    """The request's parameters: the JSON body (ECS, ECR, Logs, EventBridge, Application Auto
    Scaling, Secrets Manager, SSM) or the query form (ELB, STS), as moto parsed them."""
    body = response.body
    if isinstance(body, bytes):
        body = body.decode("utf-8", "replace")
    if isinstance(body, str) and body.lstrip().startswith("{"):
        return json.loads(body)
    return {key: value for key, value in response._get_params().items() if key not in ("Action", "Version")}


original_call_action = BaseResponse.call_action


def call_action(self):
    """Records the call when its account is being recorded, then answers it as moto does."""
    account = self.current_account
    with LOCK:
        journal = JOURNALS.get(account)
    if journal is not None:
        call = {
            "service": self.service_name,
            "action": self._get_action(),
            "region": self.region,
            "params": params(self),
        }
        with LOCK:
            journal.append(call)
    return original_call_action(self)


def install():
    BaseResponse.call_action = call_action
