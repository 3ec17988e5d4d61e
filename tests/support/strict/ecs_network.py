"""The awsvpc network of a service or task: CreateService, UpdateService and RunTask.

moto checks a new service's subnets and security groups only (and fails with a 500 when
`securityGroups` is absent); ECS checks every awsvpc call the same way."""

from moto.ec2.exceptions import InvalidSubnetIdError
from moto.ec2.models import ec2_backends

from .aws import refuse


def check_network(account, region, definition, configuration, required=True):
    """AwsVpcConfiguration (aws-sdk-ecs 1.157.0): "There's a limit of 16 subnets that can be
    specified. All specified subnets must be from the same VPC." and "If you don't specify a
    security group, the default security group for the VPC is used. There's a limit of 5 security
    groups". The messages are ECS's: "subnets can not be empty." and "Error retrieving subnet
    information for [subnet-…]: The subnet ID 'subnet-…' does not exist (ErrorCode:
    InvalidSubnetID.NotFound)" (the finding 9 runbooks; moto's own wording matches).
    `required`: an awsvpc definition needs a network configuration ("Network Configuration must be
    provided when networkMode 'awsvpc' is specified."); UpdateService may leave it out."""
    if definition is not None and definition.network_mode == "awsvpc" and not configuration:
        if required:
            refuse(
                "InvalidParameterException",
                "Network Configuration must be provided when networkMode 'awsvpc' is specified.",
            )
        return
    if not configuration:
        return
    vpc = configuration.get("awsvpcConfiguration") or {}
    subnets = vpc.get("subnets") or []
    groups = vpc.get("securityGroups") or []
    if not subnets:
        refuse("InvalidParameterException", "subnets can not be empty.")
    if len(subnets) > 16:
        refuse("InvalidParameterException", "subnets can have at most 16 items.")
    if len(groups) > 5:
        refuse("InvalidParameterException", "securityGroups can have at most 5 items.")
    ec2 = ec2_backends[account][region]
    vpcs = set()
    for subnet_id in subnets:
        try:
            vpcs.add(ec2.get_subnet(subnet_id).vpc_id)
        except InvalidSubnetIdError:
            refuse(
                "InvalidParameterException",
                f"Error retrieving subnet information for [{subnet_id}]: The subnet ID '{subnet_id}' does not exist "
                "(ErrorCode: InvalidSubnetID.NotFound)",
            )
    for group_id in groups:
        group = ec2.get_security_group_from_id(group_id)
        if group is None:
            refuse(
                "InvalidParameterException",
                f"Error retrieving security group information for [{group_id}]: The security group '{group_id}' does "
                "not exist (ErrorCode: InvalidGroup.NotFound)",
            )
        vpcs.add(group.vpc_id)
    if len(vpcs) > 1:
        refuse("InvalidParameterException", "Security groups and subnets must all be from the same VPC.")
