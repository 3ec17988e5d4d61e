"""Sets up the local AWS emulator for scripts/demo.sh as an account a team would have before its
first deploy: the VPC's subnets and security group (the emulator's default network), the task,
execution and EventBridge roles, the app's secret, and the commit's image in ECR (so the demo
shows a deploy, not a build: `pack` and Docker are not needed).

Prints the variables that point maestro at them, as `NAME=value` lines for an env file.
Runs with the emulator's own Python (.venv-test), which has boto3 as moto's dependency.
"""

import json
import sys

import boto3

endpoint, region, repository, tag, secret_name = sys.argv[1:6]
session = boto3.session.Session(aws_access_key_id="demo", aws_secret_access_key="demo", region_name=region)


def client(service):
    return session.client(service, endpoint_url=endpoint)


ec2 = client("ec2")
vpc = ec2.describe_vpcs(Filters=[{"Name": "is-default", "Values": ["true"]}])["Vpcs"][0]["VpcId"]
subnets = [
    subnet["SubnetId"] for subnet in ec2.describe_subnets(Filters=[{"Name": "vpc-id", "Values": [vpc]}])["Subnets"]
][:2]
group = ec2.describe_security_groups(
    Filters=[{"Name": "vpc-id", "Values": [vpc]}, {"Name": "group-name", "Values": ["default"]}]
)["SecurityGroups"][0]["GroupId"]

iam = client("iam")


def role(name, service):
    trust = {
        "Version": "2012-10-17",
        "Statement": [{"Effect": "Allow", "Principal": {"Service": service}, "Action": "sts:AssumeRole"}],
    }
    return iam.create_role(RoleName=name, AssumeRolePolicyDocument=json.dumps(trust))["Role"]["Arn"]


task_role = role("shop-task", "ecs-tasks.amazonaws.com")
execution_role = role("shop-execution", "ecs-tasks.amazonaws.com")
role("ecsEventsRole", "events.amazonaws.com")

client("secretsmanager").create_secret(Name=secret_name, SecretString=json.dumps({"PORT": "3000"}))

# The image a CI build would have pushed for this commit: a manifest with no layers is enough
# for ECR to answer DescribeImages with its digest.
ecr = client("ecr")
ecr.create_repository(repositoryName=repository)
config = {"mediaType": "application/vnd.docker.container.image.v1+json", "digest": "sha256:" + "1" * 64, "size": 2}
manifest = {
    "schemaVersion": 2,
    "mediaType": "application/vnd.docker.distribution.manifest.v2+json",
    "config": config,
    "layers": [],
}
ecr.put_image(repositoryName=repository, imageTag=tag, imageManifest=json.dumps(manifest))

print(f"WORKLOAD_VPC_ID={vpc}")
print(f"ECS_SERVICE_SUBNETS={','.join(subnets)}")
print(f"ALB_SUBNETS={','.join(subnets)}")
print(f"ECS_SERVICE_SECURITY_GROUPS={group}")
print(f"ALB_SECURITY_GROUPS={group}")
print(f"ECS_TASK_ROLE_ARN={task_role}")
print(f"ECS_EXECUTION_ROLE_ARN={execution_role}")
