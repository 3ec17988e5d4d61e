"""ECS's alarm watch, `deploymentConfiguration.alarms` on CreateService and UpdateService, as the
DeploymentAlarms reference states it; moto stores any of it, deployment_alarms.py acts on it.
"""

from moto.ecs import responses as ecs_responses

from .aws import patch, refuse

Response = ecs_responses.EC2ContainerServiceResponse

DEPLOYMENT_ALARMS = "https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_DeploymentAlarms.html"


def check_alarms(config, controller):
    """DeploymentAlarms (DEPLOYMENT_ALARMS): alarmNames, enable and rollback are each "Required:
    Yes"; "You can only use the DeploymentAlarms method to detect failures when the
    DeploymentController is set to ECS." Refused with InvalidParameterException."""
    alarms = (config or {}).get("alarms")
    if alarms is None:
        return
    missing = [field for field in ("alarmNames", "enable", "rollback") if alarms.get(field) is None]
    if missing:
        refuse("InvalidParameterException", f"deploymentConfiguration.alarms needs {', '.join(missing)}.")
    kind = (controller or {}).get("type", "ECS")
    if kind != "ECS":
        refuse("InvalidParameterException", f"Deployment alarms need the ECS deployment controller, not {kind}.")


def create_service(original, self):
    check_alarms(self._get_param("deploymentConfiguration"), self._get_param("deploymentController"))
    return original(self)


def update_service(original, self):
    config = self._get_param("deploymentConfiguration")
    if config is not None:
        service = self.ecs_backend._get_service(
            self._get_param("cluster", "default"), (self._get_param("service") or "").split("/")[-1]
        )
        controller = self._get_param("deploymentController") or getattr(service, "deployment_controller", None)
        check_alarms(config, controller)
    return original(self)


def install():
    patch(Response, "create_service", create_service)
    patch(Response, "update_service", update_service)
