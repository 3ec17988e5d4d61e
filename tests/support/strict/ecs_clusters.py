"""ECS clusters: names and capacity provider strategies (CreateCluster, PutClusterCapacityProviders),
and what DeleteCluster refuses."""

import re

from moto.ecs import responses as ecs_responses

from .aws import patch, refuse

Response = ecs_responses.EC2ContainerServiceResponse

# clusterName: "Up to 255 letters (uppercase and lowercase), numbers, underscores, and hyphens are
# allowed." (aws-sdk-ecs 1.157.0, CreateClusterFluentBuilder)
NAME = re.compile(r"^[A-Za-z0-9_-]{1,255}$")
MANAGED_PROVIDERS = {"FARGATE", "FARGATE_SPOT"}


def check_strategy(backend, providers, strategy):
    """CapacityProviderStrategyItem (aws-sdk-ecs 1.157.0): weight "The valid range is 0 to 1,000",
    base "The valid range is 0 to 100,000" and "Only one capacity provider in a strategy can have a
    base defined"; a provider must be associated with the cluster, and one backed by an Auto Scaling
    group "must already be created" (PutClusterCapacityProviders)."""
    for provider in providers:
        if provider not in MANAGED_PROVIDERS and backend._get_provider(provider) is None:
            refuse(
                "InvalidParameterException",
                f"The specified capacity provider '{provider}' does not exist. Specify a valid capacity provider and "
                "try again.",
            )
    if sum(1 for item in strategy if item.get("base")) > 1:
        refuse(
            "InvalidParameterException",
            "Only one capacity provider in a capacity provider strategy can have a base defined.",
        )
    for item in strategy:
        if not 0 <= int(item.get("weight", 0)) <= 1000 or not 0 <= int(item.get("base", 0)) <= 100000:
            refuse(
                "InvalidParameterException",
                "A capacity provider strategy's weight must be between 0 and 1000 and its base between 0 and 100000.",
            )
        if item.get("capacityProvider") not in providers:
            refuse(
                "InvalidParameterException",
                "The specified capacity provider strategy cannot contain a capacity provider that is not associated "
                "with the cluster. Associate the capacity provider with the cluster or specify a valid capacity "
                "provider and try again.",
            )


def create_cluster(original, self):
    name = self._get_param("clusterName") or "default"
    if not NAME.match(name):
        refuse(
            "InvalidParameterException",
            f"Cluster name '{name}' is invalid: up to 255 letters, numbers, underscores and hyphens.",
        )
    strategy = self._get_param("defaultCapacityProviderStrategy") or []
    check_strategy(self.ecs_backend, self._get_param("capacityProviders") or [], strategy)
    return original(self)


def put_cluster_capacity_providers(original, self):
    strategy = self._get_param("defaultCapacityProviderStrategy") or []
    check_strategy(self.ecs_backend, self._get_param("capacityProviders") or [], strategy)
    return original(self)


def delete_cluster(original, self):
    """DeleteCluster: ClusterContainsServicesException, "You can't delete a cluster that contains
    services. First, update the service to reduce its desired task count to 0, and then delete the
    service." and ClusterContainsTasksException, "You cannot delete a cluster that has active tasks."
    (https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_DeleteCluster.html). A deleted
    service still DRAINING is one the cluster contains (moto deletes any cluster)."""
    backend = self.ecs_backend
    cluster = backend._get_cluster(self._get_param("cluster", "default"))
    services = [s for s in backend.services.values() if s.cluster_name == cluster.name]
    if any(service.status in ("ACTIVE", "DRAINING") for service in services):
        refuse("ClusterContainsServicesException", "The Cluster cannot be deleted while Services are active.")
    tasks = backend.tasks.get(cluster.name, {}).values()
    if any(task.last_status not in ("STOPPED", "DEPROVISIONING") for task in tasks):
        refuse("ClusterContainsTasksException", "The Cluster cannot be deleted while Tasks are active.")
    return original(self)


def install():
    patch(Response, "delete_cluster", delete_cluster)
    patch(Response, "create_cluster", create_cluster)
    patch(Response, "put_cluster_capacity_providers", put_cluster_capacity_providers)
