"""Elastic Load Balancing v2: names, networks, priorities, and paginated reads.

moto accepts any load balancer name and a target group without a VPC, and pages its reads at 50 or
not at all; ELB refuses those names and that group, and a reader must follow `NextMarker`."""

import re

from moto.core.responses import ActionResult
from moto.ec2.exceptions import InvalidSubnetIdError
from moto.ec2.models import ec2_backends
from moto.elbv2 import responses as elb_responses
from moto.elbv2.exceptions import ELBClientError

from .aws import page, patch

Response = elb_responses.ELBV2Response


def refuse(code, message):
    """ELB's query-protocol error, `<Error><Code>code</Code>…`, which moto serialises for an
    exception of its ELB package."""
    raise ELBClientError(code, message)


# "This name must be unique per region per account, can have a maximum of 32 characters, must
# contain only alphanumeric characters or hyphens, must not begin or end with a hyphen, and must
# not begin with "internal-"." (aws-sdk-elasticloadbalancingv2 1.134.0, CreateLoadBalancer Name;
# CreateTargetGroup Name says the same but for "internal-", and moto checks that one already.)
NAME = re.compile(r"^[A-Za-z0-9](?:[A-Za-z0-9-]{0,30}[A-Za-z0-9])?$")


def create_load_balancer(original, self):
    params = self._get_params()
    name = params.get("Name") or ""
    if not NAME.match(name):
        refuse(
            "ValidationError",
            f"Load balancer name '{name}' must have at most 32 alphanumeric characters or hyphens, and must not begin "
            "or end with a hyphen.",
        )
    if name.startswith("internal-"):
        refuse("ValidationError", f"Load balancer name '{name}' cannot begin with 'internal-'.")
    if (params.get("Type") or "application") == "application":
        # "[Application Load Balancers] You must specify subnets from at least two Availability Zones."
        check_two_zones(self, params.get("Subnets") or [m.get("SubnetId") for m in params.get("SubnetMappings") or []])
    check_security_groups(self, params.get("SecurityGroups") or [])
    return original(self)


def set_security_groups(original, self):
    check_security_groups(self, self._get_params().get("SecurityGroups") or [])
    return original(self)


def check_security_groups(self, group_ids):
    """CreateLoadBalancer and SetSecurityGroups answer InvalidSecurityGroup, "The specified security
    group does not exist." (aws-sdk-elasticloadbalancingv2 1.134.0, InvalidSecurityGroupException);
    moto accepts any id."""
    ec2 = ec2_backends[self.current_account][self.region]
    for group_id in group_ids:
        if ec2.get_security_group_from_id(group_id) is None:
            refuse("InvalidSecurityGroup", f"The security group '{group_id}' does not exist")


def set_subnets(original, self):
    balancer = self.elbv2_backend.load_balancers.get(self._get_param("LoadBalancerArn"))
    if balancer is not None and (balancer.type or "application") == "application":
        check_two_zones(self, self._get_params().get("Subnets") or [])
    return original(self)


def check_two_zones(self, subnet_ids):
    ec2 = ec2_backends[self.current_account][self.region]
    zones = set()
    for subnet_id in subnet_ids:
        try:
            zones.add(ec2.get_subnet(subnet_id).availability_zone)
        except InvalidSubnetIdError:
            refuse("SubnetNotFound", f"The subnet ID '{subnet_id}' is not valid")
    if len(zones) < 2:
        refuse("ValidationError", "At least two subnets in two different Availability Zones must be specified")


# CreateTargetGroup and ModifyTargetGroup: HealthCheckIntervalSeconds "The range is 5-300.",
# HealthCheckTimeoutSeconds "The range is 2–120 seconds.", HealthyThresholdCount and
# UnhealthyThresholdCount "The range is 2-10."
# (https://docs.aws.amazon.com/elasticloadbalancing/latest/APIReference/API_CreateTargetGroup.html,
# https://docs.aws.amazon.com/elasticloadbalancing/latest/APIReference/API_ModifyTargetGroup.html);
# an HTTP group's timeout below its interval, AWS's ValidationError "Health check interval must be
# greater than the timeout." (aws/aws-cdk#3703). moto takes any number, and checks the timeout on
# create only.
HEALTH_CHECK_RANGES = {
    "HealthCheckIntervalSeconds": (5, 300),
    "HealthCheckTimeoutSeconds": (2, 120),
    "HealthyThresholdCount": (2, 10),
    "UnhealthyThresholdCount": (2, 10),
}


def check_health_check(params, group=None):
    """`group`: the target group a ModifyTargetGroup changes, whose values stand for those it omits."""
    for field, (low, high) in HEALTH_CHECK_RANGES.items():
        value = params.get(field)
        if value is not None and not low <= int(value) <= high:
            refuse("ValidationError", f"{field} '{value}' must be between {low} and {high}")
    interval, timeout = params.get("HealthCheckIntervalSeconds"), params.get("HealthCheckTimeoutSeconds")
    if group is not None:
        interval = interval if interval is not None else group.health_check_interval_seconds
        timeout = timeout if timeout is not None else group.health_check_timeout_seconds
        protocol = group.protocol
    else:
        protocol = params.get("Protocol")
    if interval is not None and timeout is not None and protocol in ("HTTP", "HTTPS") and int(timeout) >= int(interval):
        refuse("ValidationError", "Health check interval must be greater than the timeout.")


def modify_target_group(original, self):
    group = self.elbv2_backend.target_groups.get(self._get_param("TargetGroupArn"))
    check_health_check(self._get_params(), group)
    return original(self)


def create_target_group(original, self):
    """VpcId: "If the target is a Lambda function, this parameter does not apply. Otherwise, this
    parameter is required." (aws-sdk-elasticloadbalancingv2 1.134.0, CreateTargetGroup); the
    health check within `HEALTH_CHECK_RANGES`."""
    params = self._get_params()
    check_health_check(params)
    if params.get("TargetType", "instance") != "lambda":
        vpc_id = params.get("VpcId")
        if not vpc_id:
            refuse("ValidationError", "A VPC ID must be specified")
        if vpc_id not in ec2_backends[self.current_account][self.region].vpcs:
            refuse("ValidationError", f"The VPC ID '{vpc_id}' is not found")
    return original(self)


# "Rules per Application Load Balancer (excluding default rules): 100"
# (https://docs.aws.amazon.com/elasticloadbalancing/latest/application/load-balancer-limits.html);
# CreateRule's TooManyRules: "You've reached the limit on the number of rules per load balancer."
RULES_PER_LOAD_BALANCER = 100
# HostHeaderConditionConfig.Values: "The maximum size of each name is 128 characters."
HOST_LIMIT = 128


def create_rule(original, self):
    """Priority: "A listener can't have multiple rules with the same priority." (CreateRule;
    moto answers PriorityInUse already), between 1 and 50000
    (https://docs.aws.amazon.com/elasticloadbalancing/latest/APIReference/API_CreateRule.html); at
    most 100 rules on a load balancer's listeners together, and host names of 128 characters."""
    priority = int(self._get_param("Priority") or 0)
    if not 1 <= priority <= 50000:
        refuse("ValidationError", f"Priority '{priority}' must be between 1 and 50000")
    for condition in self._get_param("Conditions", []):
        for host in (condition.get("HostHeaderConfig") or {}).get("Values") or []:
            if len(host) > HOST_LIMIT:
                refuse("ValidationError", f"The host header '{host}' is longer than {HOST_LIMIT} characters")
    backend = self.elbv2_backend
    listener = backend.describe_listeners(None, [self._get_param("ListenerArn")])[0]
    siblings = backend.describe_listeners(listener.load_balancer_arn, [])
    rules = sum(len(each._non_default_rules) for each in siblings)
    if rules >= RULES_PER_LOAD_BALANCER:
        refuse("TooManyRules", "You've reached the limit on the number of rules per load balancer.")
    check_forwards(self, self._get_param("Actions", []), listener.load_balancer_arn)
    return original(self)


# FixedResponseActionConfig: StatusCode "Pattern: ^(2|4|5)\d\d$"; ContentType "Valid Values:
# text/plain | text/css | text/html | application/javascript | application/json"; MessageBody
# "Length Constraints: Maximum length of 1024."
# (https://docs.aws.amazon.com/elasticloadbalancing/latest/APIReference/API_FixedResponseActionConfig.html)
FIXED_STATUS = re.compile(r"^[245][0-9][0-9]$")
FIXED_TYPES = {"text/plain", "text/css", "text/html", "application/javascript", "application/json"}


def check_fixed_responses(actions):
    for action in actions:
        config = action.get("FixedResponseConfig")
        if action.get("Type") != "fixed-response" or not config:
            continue
        status, kind, body = config.get("StatusCode") or "", config.get("ContentType"), config.get("MessageBody")
        if not FIXED_STATUS.match(status):
            refuse("ValidationError", f"Fixed response status code '{status}' must match ^(2|4|5)\\d\\d$")
        if kind is not None and kind not in FIXED_TYPES:
            refuse("ValidationError", f"Fixed response content type '{kind}' is not valid")
        if body is not None and len(body) > 1024:
            refuse("ValidationError", "Fixed response message body must be at most 1024 characters")


def create_listener(original, self):
    """A listener's fixed response (its default action) as AWS bounds it; moto takes any. Its
    forwards as `check_forwards` says. Its port is the load balancer's once:
    `DuplicateListenerException`, "A listener with the specified port already exists."
    (aws-sdk-elasticloadbalancingv2 1.134.0); moto compares the port with the listeners' ARNs, so
    never refuses one."""
    balancer = self.elbv2_backend.load_balancers.get(self._get_param("LoadBalancerArn"))
    port = self._get_param("Port")
    if balancer is not None and port is not None:
        if any(str(listener.port) == str(port) for listener in balancer.listeners.values()):
            refuse("DuplicateListener", "A listener with the specified port already exists.")
    actions = self._get_param("DefaultActions", [])
    check_fixed_responses(actions)
    check_forwards(self, actions, self._get_param("LoadBalancerArn"))
    return original(self)


def modify_listener(original, self):
    backend = self.elbv2_backend
    listener = backend.describe_listeners(None, [self._get_param("ListenerArn")])[0]
    check_forwards(self, self._get_param("DefaultActions", []), listener.load_balancer_arn)
    return original(self)


def modify_rule(original, self):
    backend = self.elbv2_backend
    rules = backend.describe_rules(None, [self._get_param("RuleArn")])
    if rules:
        listener = backend.describe_listeners(None, [rules[0].listener_arn])[0]
        check_forwards(self, self._get_param("Actions", []), listener.load_balancer_arn)
    return original(self)


# "Target groups per action: 5" and "Load balancers per target group: 1" ([Quotas for your
# Application Load Balancers](https://docs.aws.amazon.com/elasticloadbalancing/latest/application/load-balancer-limits.html));
# `TargetGroupTuple.weight`: "The weight. The range is 0 to 999."; `Action.forward_config`: "If
# you specify both ForwardConfig and TargetGroupArn, you can specify only one target group using
# ForwardConfig and it must be the same target group specified in TargetGroupArn."
# (aws-sdk-elasticloadbalancingv2 1.134.0); `TargetGroupAssociationLimitException`: "You've
# reached the limit on the number of load balancers per target group." moto takes any weight, any
# number of groups, and one group on several load balancers.
TARGET_GROUPS_PER_ACTION = 5
MAX_WEIGHT = 999


def check_forwards(self, actions, load_balancer_arn):
    backend = self.elbv2_backend
    for action in actions:
        if action.get("Type") != "forward":
            continue
        single = action.get("TargetGroupArn")
        groups = (action.get("ForwardConfig") or {}).get("TargetGroups") or []
        if len(groups) > TARGET_GROUPS_PER_ACTION:
            # The quota names no error code (`TooManyTargetGroups` is the account's): a validation error.
            refuse("ValidationError", f"A forward action can have at most {TARGET_GROUPS_PER_ACTION} target groups")
        if single and groups and (len(groups) > 1 or groups[0].get("TargetGroupArn") != single):
            refuse(
                "ValidationError",
                "With both ForwardConfig and TargetGroupArn, "
                "ForwardConfig must name only the target group of TargetGroupArn",
            )
        for group in groups:
            weight = group.get("Weight")
            if weight is not None and not 0 <= int(weight) <= MAX_WEIGHT:
                refuse("ValidationError", f"Target group weight '{weight}' must be between 0 and {MAX_WEIGHT}")
        for arn in ([single] if single else []) + [group.get("TargetGroupArn") for group in groups]:
            other = load_balancer_using(backend, arn, load_balancer_arn)
            if other:
                refuse(
                    "TargetGroupAssociationLimit",
                    f"The target group '{arn}' is already associated with load balancer '{other}': "
                    "you've reached the limit on the number of load balancers per target group.",
                )


def load_balancer_using(backend, target_group_arn, except_arn):
    """Another existing load balancer whose listener or rule forwards to the group: the association
    is what forwards to it now (moto remembers every load balancer that ever did)."""
    for arn, balancer in backend.load_balancers.items():
        if arn == except_arn:
            continue
        for listener in balancer.listeners.values():
            actions = list(listener.default_actions)
            for rule in listener.rules.values():
                actions.extend(rule.actions)
            for action in actions:
                if target_group_arn in backend._get_target_group_arns_from(action_data=action.data):
                    return arn
    return None


def add_tags(original, self):
    """AddTags: `ResourceArns` "The Amazon Resource Name (ARN) of the resource." (at most 20), and
    `DuplicateTagKeysException`: "A tag key was specified more than once."
    (https://docs.aws.amazon.com/elasticloadbalancing/latest/APIReference/API_AddTags.html); moto
    takes any number of resources and keeps the last of a repeated key."""
    arns = self._get_param("ResourceArns", [])
    if not 1 <= len(arns) <= 20:
        refuse(
            "ValidationError",
            "1 validation error detected: Value at 'resourceArns' failed to satisfy constraint: Member must have "
            "length less than or equal to 20",
        )
    keys = [tag.get("Key") for tag in self._get_param("Tags", [])]
    repeated = sorted({key for key in keys if keys.count(key) > 1})
    if repeated:
        refuse("DuplicateTagKeys", f"Tag key '{repeated[0]}' specified more than once")
    return original(self)


def paged(self, items, key):
    """`PageSize`: "The maximum number of results to return with this call." (1 to 400), and
    `NextMarker`: "If there are additional results, this is the marker for the next set of
    results. Otherwise, this is null." (DescribeRules, DescribeListeners, DescribeLoadBalancers,
    DescribeTargetGroups)"""
    size = self._get_param("PageSize")
    if size is not None and not 1 <= int(size) <= 400:
        refuse(
            "ValidationError",
            "1 validation error detected: Value at 'pageSize' failed to satisfy constraint: Member must have value "
            "between 1 and 400",
        )

    def invalid():
        refuse("ValidationError", "Invalid marker")

    chunk, marker = page(list(items), self._get_param("Marker"), size, invalid)
    return ActionResult({key: chunk, "NextMarker": marker})


def describe_load_balancers(self):
    backend = self.elbv2_backend
    items = backend.describe_load_balancers(self._get_param("LoadBalancerArns", []), self._get_param("Names", []))
    return paged(self, items, "LoadBalancers")


def describe_target_groups(self):
    backend = self.elbv2_backend
    items = backend.describe_target_groups(
        self._get_param("LoadBalancerArn"), self._get_param("TargetGroupArns", []), self._get_param("Names", [])
    )
    return paged(self, items, "TargetGroups")


def describe_listeners(original, self):
    load_balancer, listeners = self._get_param("LoadBalancerArn"), self._get_param("ListenerArns", [])
    if not load_balancer and not listeners:
        return original(self)
    return paged(self, self.elbv2_backend.describe_listeners(load_balancer, listeners), "Listeners")


def describe_rules(self):
    backend = self.elbv2_backend
    items = backend.describe_rules(self._get_param("ListenerArn"), self._get_param("RuleArns"))
    return paged(self, items, "Rules")


def install():
    patch(Response, "create_load_balancer", create_load_balancer)
    patch(Response, "set_subnets", set_subnets)
    patch(Response, "set_security_groups", set_security_groups)
    patch(Response, "create_target_group", create_target_group)
    patch(Response, "modify_target_group", modify_target_group)
    patch(Response, "create_rule", create_rule)
    patch(Response, "create_listener", create_listener)
    patch(Response, "modify_listener", modify_listener)
    patch(Response, "modify_rule", modify_rule)
    patch(Response, "add_tags", add_tags)
    patch(Response, "describe_listeners", describe_listeners)
    Response.describe_load_balancers = describe_load_balancers
    Response.describe_target_groups = describe_target_groups
    Response.describe_rules = describe_rules
