"""ECS deployment strategies, lifecycle hooks and early success criteria on CreateService and
UpdateService, and ContinueServiceDeployment, as the API reference (aws-sdk-ecs 1.157.0, whose doc
comments are its text) states them. moto stores any of it; service_deployments.py acts on it.

Each rule quotes its reference. Refusals are InvalidParameterException with a plain message (the
reference quotes no message except where one is given).
"""

from moto.ecs import responses as ecs_responses
from moto.elbv2.models import elbv2_backends

import service_deployments

from .aws import patch, refuse

Response = ecs_responses.EC2ContainerServiceResponse

# DeploymentStrategy: "ROLLING", "BLUE_GREEN", "LINEAR", "CANARY".
STRATEGIES = ("ROLLING", "BLUE_GREEN", "LINEAR", "CANARY")
# DeploymentLifecycleHookTargetType, DeploymentLifecycleHookStage, DeploymentLifecycleHookAction
# and ServiceRevisionCleanup: their only values.
TARGET_TYPES = ("AWS_LAMBDA", "PAUSE")
HOOK_STAGES = (
    "RECONCILE_SERVICE",
    "PRE_SCALE_UP",
    "POST_SCALE_UP",
    "TEST_TRAFFIC_SHIFT",
    "POST_TEST_TRAFFIC_SHIFT",
    "PRE_PRODUCTION_TRAFFIC_SHIFT",
    "PRODUCTION_TRAFFIC_SHIFT",
    "POST_PRODUCTION_TRAFFIC_SHIFT",
)
# DeploymentLifecycleHook.lifecycleStages: "PAUSE hooks cannot be configured at TEST_TRAFFIC_SHIFT
# or PRODUCTION_TRAFFIC_SHIFT stages. These stages are only valid for AWS_LAMBDA hooks."
NO_PAUSE_STAGES = ("TEST_TRAFFIC_SHIFT", "PRODUCTION_TRAFFIC_SHIFT")
HOOK_ACTIONS = ("CONTINUE", "ROLLBACK")
CLEANUPS = ("BLOCKING", "DEFERRED")
# "Valid values are 0 to 1440 minutes (24 hours)." (CanaryConfiguration.canaryBakeTimeInMinutes,
# LinearConfiguration.stepBakeTimeInMinutes)
MOST_BAKE_MINUTES = 1440


def tenths(value):
    """Whether `value` is a multiple of 0.1 ("Valid values are multiples of 0.1")."""
    return abs(round(float(value) * 10) - float(value) * 10) < 1e-6


def check_percent(name, value, low):
    if value is None:
        return
    if not isinstance(value, (int, float)) or not low <= float(value) <= 100 or not tenths(value):
        refuse("InvalidParameterException", f"{name} must be a multiple of 0.1 from {low} to 100.0.")


def check_bake(name, value):
    if value is not None and (not isinstance(value, int) or not 0 <= value <= MOST_BAKE_MINUTES):
        refuse("InvalidParameterException", f"{name} must be between 0 and {MOST_BAKE_MINUTES} minutes.")


def check_strategy(config):
    """DeploymentConfiguration (aws-sdk-ecs 1.157.0): `strategy` is a DeploymentStrategy;
    bakeTimeInMinutes: "You must provide this parameter when you use the BLUE_GREEN deployment
    strategy."; linearConfiguration: "Only valid when the deployment strategy is LINEAR.";
    canaryConfiguration: "Only valid when the deployment strategy is CANARY."
    CanaryConfiguration.canaryPercent: "Valid values are multiples of 0.1 from 0.1 to 100.0.";
    LinearConfiguration.stepPercent: "Valid values are multiples of 0.1 from 3.0 to 100.0."; both
    bakes "0 to 1440 minutes"."""
    strategy = config.get("strategy", "ROLLING")
    if strategy not in STRATEGIES:
        refuse("InvalidParameterException", f"Invalid strategy '{strategy}': one of {', '.join(STRATEGIES)}.")
    if strategy == "BLUE_GREEN" and config.get("bakeTimeInMinutes") is None:
        refuse("InvalidParameterException", "bakeTimeInMinutes is required for the BLUE_GREEN deployment strategy.")
    linear, canary = config.get("linearConfiguration"), config.get("canaryConfiguration")
    if linear is not None and strategy != "LINEAR":
        refuse("InvalidParameterException", "linearConfiguration is only valid with the LINEAR deployment strategy.")
    if canary is not None and strategy != "CANARY":
        refuse("InvalidParameterException", "canaryConfiguration is only valid with the CANARY deployment strategy.")
    if canary is not None:
        check_percent("canaryPercent", canary.get("canaryPercent"), 0.1)
        check_bake("canaryBakeTimeInMinutes", canary.get("canaryBakeTimeInMinutes"))
    if linear is not None:
        check_percent("stepPercent", linear.get("stepPercent"), 3.0)
        check_bake("stepBakeTimeInMinutes", linear.get("stepBakeTimeInMinutes"))


def check_hooks(config):
    """DeploymentLifecycleHook (aws-sdk-ecs 1.157.0): targetType AWS_LAMBDA ("the default value")
    or PAUSE; hookTargetArn: "You must provide this parameter when configuring an AWS_LAMBDA
    lifecycle hook." and "This field is not applicable for PAUSE hooks."; lifecycleStages: "You must
    provide this parameter when configuring a deployment lifecycle hook.", DeploymentLifecycleHookStage
    values, and no PAUSE at TEST_TRAFFIC_SHIFT or PRODUCTION_TRAFFIC_SHIFT (NO_PAUSE_STAGES);
    timeoutConfiguration.action CONTINUE or ROLLBACK (DeploymentLifecycleHookTimeoutConfiguration)."""
    for hook in config.get("lifecycleHooks") or []:
        target = hook.get("targetType", "AWS_LAMBDA")
        if target not in TARGET_TYPES:
            refuse("InvalidParameterException", f"Invalid lifecycle hook targetType '{target}'.")
        if target == "AWS_LAMBDA" and not hook.get("hookTargetArn"):
            refuse("InvalidParameterException", "An AWS_LAMBDA lifecycle hook needs a hookTargetArn.")
        if target == "PAUSE" and hook.get("hookTargetArn"):
            refuse("InvalidParameterException", "A PAUSE lifecycle hook takes no hookTargetArn.")
        stages = hook.get("lifecycleStages") or []
        if not stages:
            refuse("InvalidParameterException", "A lifecycle hook needs lifecycleStages.")
        for stage in stages:
            if stage not in HOOK_STAGES:
                refuse("InvalidParameterException", f"Invalid lifecycle stage '{stage}'.")
            if target == "PAUSE" and stage in NO_PAUSE_STAGES:
                refuse(
                    "InvalidParameterException",
                    f"PAUSE hooks cannot be configured at the {stage} stage; it is only valid for AWS_LAMBDA hooks.",
                )
        action = (hook.get("timeoutConfiguration") or {}).get("action")
        if action is not None and action not in HOOK_ACTIONS:
            refuse("InvalidParameterException", f"Invalid timeout action '{action}': CONTINUE or ROLLBACK.")


def check_early_success(config):
    """DeploymentConfiguration.earlySuccessCriteria: "The early success criteria configuration for a
    rolling deployment." ("You can use early success criteria only with rolling deployment
    strategy"); DeploymentEarlySuccessCriteria.enable: "When set to true ... You must also specify
    healthyPercent and sourceServiceRevisionCleanup."; healthyPercent: "must be an integer between
    0 and 100. This value must be greater than or equal to the minimumHealthyPercent value."
    (minimumHealthyPercent: "The default value for a replica service ... is 100%.");
    sourceServiceRevisionCleanup BLOCKING or DEFERRED."""
    criteria = config.get("earlySuccessCriteria")
    if criteria is None:
        return
    if config.get("strategy", "ROLLING") != "ROLLING":
        refuse("InvalidParameterException", "You can use early success criteria only with rolling deployment strategy")
    healthy, cleanup = criteria.get("healthyPercent"), criteria.get("sourceServiceRevisionCleanup")
    if criteria.get("enable") and (healthy is None or cleanup is None):
        refuse(
            "InvalidParameterException",
            "earlySuccessCriteria with enable needs healthyPercent and sourceServiceRevisionCleanup.",
        )
    if cleanup is not None and cleanup not in CLEANUPS:
        refuse("InvalidParameterException", f"Invalid sourceServiceRevisionCleanup '{cleanup}': BLOCKING or DEFERRED.")
    if healthy is None:
        return
    if not isinstance(healthy, int) or not 0 <= healthy <= 100:
        refuse("InvalidParameterException", "healthyPercent must be an integer between 0 and 100.")
    minimum = config.get("minimumHealthyPercent", 100)
    if healthy < minimum:
        refuse(
            "InvalidParameterException",
            f"healthyPercent ({healthy}) must be greater than or equal to minimumHealthyPercent ({minimum}).",
        )


def check_advanced(account, region, config, balancers):
    """A shifting strategy on a service with load balancers: LoadBalancer.advancedConfiguration,
    "The advanced settings for the load balancer used in blue/green deployments. Specify the
    alternate target group, listener rules, and IAM role required for traffic shifting"; so each
    needs alternateTargetGroupArn, productionListenerRule and roleArn (testListenerRule is
    optional: AdvancedConfiguration), the alternate group and the rules known to ELB."""
    if config.get("strategy", "ROLLING") not in service_deployments.SHIFTING:
        return
    elb = elbv2_backends[account][region]
    for balancer in balancers or []:
        advanced = balancer.get("advancedConfiguration") or {}
        missing = [f for f in ("alternateTargetGroupArn", "productionListenerRule", "roleArn") if not advanced.get(f)]
        if missing:
            refuse(
                "InvalidParameterException",
                f"The {config['strategy']} deployment strategy needs loadBalancers[].advancedConfiguration with "
                f"{', '.join(missing)}.",
            )
        alternate = advanced["alternateTargetGroupArn"]
        if alternate not in elb.target_groups:
            refuse("InvalidParameterException", f"Unable to describe target group {alternate}.")
        if alternate == balancer.get("targetGroupArn"):
            refuse("InvalidParameterException", "The alternate target group must differ from targetGroupArn.")
        for field in ("productionListenerRule", "testListenerRule"):
            rule = advanced.get(field)
            if rule and service_deployments.forward_actions(elb, rule) is None:
                refuse("InvalidParameterException", f"Unable to find the {field} {rule}.")


def check_configuration(self, config, balancers):
    config = config or {}
    check_strategy(config)
    check_hooks(config)
    check_early_success(config)
    check_advanced(self.current_account, self.region, config, balancers)


def create_service(original, self):
    check_configuration(self, self._get_param("deploymentConfiguration"), self._get_param("loadBalancers"))
    return original(self)


def update_service(original, self):
    """Checked when UpdateService sends deploymentConfiguration or loadBalancers, with the service's
    own value for the one it omits."""
    config, balancers = self._get_param("deploymentConfiguration"), self._get_param("loadBalancers")
    if config is not None or balancers is not None:
        service = self.ecs_backend._get_service(
            self._get_param("cluster", "default"), (self._get_param("service") or "").split("/")[-1]
        )
        if config is None:
            config = getattr(service, "deployment_configuration", None)
        if balancers is None:
            balancers = getattr(service, "load_balancers", None)
        check_configuration(self, config, balancers)
    return original(self)


def continue_service_deployment(original, self):
    """ContinueServiceDeployment (aws-sdk-ecs 1.157.0): `action` "Valid values are: CONTINUE ...
    ROLLBACK" ("If no value is specified, the default action is CONTINUE"); hookId "The ID of the
    paused lifecycle hook to act on" (DescribeServiceDeployments' lifecycleHookDetails). So a
    deployment not waiting at a PAUSE hook, or a hookId not of a hook awaiting action, is refused:
    InvalidParameterException (its errors have no ConflictException). An unknown deployment:
    ServiceDeploymentNotFoundException (service_deployments.resume)."""
    action = self._get_param("action")
    if action is not None and action not in HOOK_ACTIONS:
        refuse("InvalidParameterException", f"Invalid action '{action}': CONTINUE or ROLLBACK.")
    arn, hook_id = self._get_param("serviceDeploymentArn"), self._get_param("hookId")
    with service_deployments.LOCK:
        record = service_deployments.RECORDS.get(arn)
        awaiting = dict(record.get("_awaiting") or {}) if record is not None else None
        ongoing = record is not None and record["status"] in ("PENDING", "IN_PROGRESS")
    if record is not None and (not awaiting or not ongoing):
        refuse("InvalidParameterException", f"The service deployment {arn} is not paused at a lifecycle hook.")
    if record is not None and hook_id not in awaiting:
        refuse("InvalidParameterException", f"The lifecycle hook {hook_id} is not awaiting action.")
    return original(self)


def install():
    patch(Response, "create_service", create_service)
    patch(Response, "update_service", update_service)
    patch(Response, "continue_service_deployment", continue_service_deployment)
