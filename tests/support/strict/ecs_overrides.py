"""RunTask's `overrides` as ECS checks them: their size, the container each one names, the
command's shape, and a task size Fargate can run. Called from ecs_tasks.run_task."""

import json

from .aws import refuse

# "A total of 8192 characters are allowed for overrides. This limit includes the JSON formatting
# characters of the override structure." (RunTask overrides,
# https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_RunTask.html)
OVERRIDES_CHARACTERS = 8192

# Fargate's task sizes: cpu units → the memory (MiB) each accepts ("For tasks hosted on Fargate, the
# following table shows the valid CPU and memory combinations",
# https://docs.aws.amazon.com/AmazonECS/latest/developerguide/task_definition_parameters.html#task_size).
FARGATE_SIZES = {
    256: {512, 1024, 2048},
    512: set(range(1024, 4096 + 1, 1024)),
    1024: set(range(2048, 8192 + 1, 1024)),
    2048: set(range(4096, 16384 + 1, 1024)),
    4096: set(range(8192, 30720 + 1, 1024)),
    8192: set(range(16384, 61440 + 1, 4096)),
    16384: set(range(32768, 122880 + 1, 8192)),
}


def check_overrides(definition, overrides, fargate):
    if not overrides:
        return
    if len(json.dumps(overrides, separators=(",", ":"))) > OVERRIDES_CHARACTERS:
        refuse("InvalidParameterException", f"Container Overrides length must be at most {OVERRIDES_CHARACTERS}")
    names = {container.get("name") for container in definition.container_definitions}
    for override in overrides.get("containerOverrides") or []:
        # ContainerOverride name: "The name of the container that receives the override. This
        # parameter is required if any override is specified."
        # (https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_ContainerOverride.html)
        name = override.get("name")
        if not name:
            # The rule is AWS's; its message is not documented, so this one says the rule.
            refuse("InvalidParameterException", "Container override name is required.")
        if name not in names:
            # AWS's answer to an override of a container the definition lacks, as reported in
            # azavea/django-ecsmanage#21 ("An error occurred (InvalidParameterException) when calling
            # the RunTask operation: Override for container named django is not a container in the
            # TaskDefinition.").
            message = f"Override for container named {name} is not a container in the TaskDefinition."
            refuse("InvalidParameterException", message)
        # ContainerOverride command: "Type: Array of strings" (the SDKs cannot send another shape;
        # a hand-written request can, and is refused before ECS reads it).
        command = override.get("command")
        if command is not None and not (isinstance(command, list) and all(isinstance(word, str) for word in command)):
            refuse("SerializationException", "command must be an array of strings")
    if fargate and (overrides.get("cpu") or overrides.get("memory")):
        check_fargate_size(overrides.get("cpu") or definition.cpu, overrides.get("memory") or definition.memory)


def check_fargate_size(cpu, memory):
    """TaskOverride cpu and memory replace the definition's
    (https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_TaskOverride.html), so on Fargate
    the pair must be one of its sizes, else "No Fargate configuration exists for given values"
    (https://docs.aws.amazon.com/AmazonECS/latest/developerguide/task-cpu-memory-error.html)."""
    try:
        cpu, memory = int(cpu), int(memory)
    except (TypeError, ValueError):
        refuse("ClientException", f"No Fargate configuration exists for given values: {cpu} CPU, {memory} memory.")
    if memory not in FARGATE_SIZES.get(cpu, set()):
        refuse("ClientException", f"No Fargate configuration exists for given values: {cpu} CPU, {memory} memory.")
