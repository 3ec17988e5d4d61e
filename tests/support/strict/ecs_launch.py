"""What a task definition must have for the way ECS launches it: FARGATE compatibility, and a task
role when ECS Exec is on. Shared by CreateService, UpdateService and RunTask."""

from moto.ecs.exceptions import ClusterNotFoundException

from .aws import refuse

FARGATE_PROVIDERS = ("FARGATE", "FARGATE_SPOT")


def runs_on_fargate(backend, cluster, launch_type, strategy):
    """Whether the tasks land on Fargate: the launch type, else the strategy, else the cluster's
    default one ("If no capacityProviderStrategy or launchType is specified, the
    defaultCapacityProviderStrategy for the cluster is used." aws-sdk-ecs 1.157.0, CreateService)."""
    if launch_type:
        return launch_type == "FARGATE"
    if not strategy:
        try:
            strategy = backend._get_cluster(cluster).default_capacity_provider_strategy or []
        except ClusterNotFoundException:  # an unknown cluster is refused by moto itself, with ClusterNotFoundException
            return False
    return any(item.get("capacityProvider") in FARGATE_PROVIDERS for item in strategy)


def check_fargate(definition, fargate):
    """A definition registered without FARGATE in requiresCompatibilities is validated for EC2 only,
    and ECS refuses to run it on Fargate: "InvalidParameterException: Task definition does not
    support launch_type FARGATE." (aws/aws-cli#3983, sil-org/ecs-deploy#129). Fargate also needs
    awsvpc ("If you're using Fargate, the awsvpc network mode is required", RegisterTaskDefinition
    networkMode, https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_RegisterTaskDefinition.html)."""
    if not fargate:
        return
    if "FARGATE" not in (definition.requires_compatibilities or []):
        refuse("InvalidParameterException", "Task definition does not support launch_type FARGATE.")
    if definition.network_mode != "awsvpc":
        refuse("InvalidParameterException", "Fargate only supports network mode 'awsvpc'.")


# ECS Exec needs a task role: the agent's SSM channel runs with it
# (https://docs.aws.amazon.com/AmazonECS/latest/developerguide/ecs-exec.html, "ECS Exec requires a
# task IAM role"). The messages are AWS's, as reported in aws/aws-cli#6242,
# aws/aws-toolkit-jetbrains#3649 (UpdateService) and boto/boto3#3173 (RunTask).
EXEC_WITHOUT_ROLE = {
    "create": "The service couldn't be created because a valid taskRoleArn is not being used. "
    "Specify a valid task role in your task definition and try again.",
    "update": "The service couldn't be updated because a valid taskRoleArn is not being used. "
    "Specify a valid task role in your task definition and try again.",
    "run": "The execute command failed because a valid task role is not being used. "
    "Specify a valid task role in your task definition or as a task override and try again.",
}


def check_exec(definition, enabled, action, override_role=None):
    if enabled and not getattr(definition, "task_role_arn", None) and not override_role:
        refuse("InvalidParameterException", EXEC_WITHOUT_ROLE[action])
