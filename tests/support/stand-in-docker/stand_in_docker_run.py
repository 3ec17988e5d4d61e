"""STAND-IN for `docker run`, used only by maestro's tests (the test phase's local runner).

It does what maestro relies on `docker run` for, without a container:
- records its argv, its environment's names, the variables the container would get (`--env NAME`
  takes the value from docker's environment) and the registry logins in DOCKER_CONFIG into
  $DOCKER_RUN_STAND_IN_RECORD (JSON; appended, one run a line);
- refuses (exit 125, as docker does) an image the emulator's ECR does not have, or one it has no
  ECR login for in DOCKER_CONFIG;
- prints $DOCKER_RUN_STAND_IN_OUTPUT (the test command's output: tests put a secret value in it to
  prove maestro hides it), writes a JUnit report into a mounted folder (`--volume host:dir`), and
- exits with $DOCKER_RUN_STAND_IN_EXIT (the test command's exit code; 0 when unset).
"""

import json
import os
import re
import sys

# The stand-in pack's ECR login check and client, shared.
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "stand-in-pack"))
from stand_in_pack import ecr_client  # noqa: E402


def parse(argv):
    assert argv[0] == "run", argv
    options = {"env": [], "volumes": [], "flags": []}
    index = 1
    while index < len(argv) and argv[index].startswith("--"):
        flag = argv[index]
        if flag == "--rm":
            options["flags"].append(flag)
            index += 1
        elif flag == "--env":
            options["env"].append(argv[index + 1])
            index += 2
        elif flag == "--volume":
            options["volumes"].append(argv[index + 1])
            index += 2
        else:
            options[flag] = argv[index + 1]
            index += 2
    options["image"] = argv[index]
    options["command"] = argv[index + 1 :]
    return options


def image_exists(reference):
    name, _, digest = reference.partition("@")
    host, _, repository = name.partition("/")
    if not re.fullmatch(r"\d{12}\.dkr\.ecr\.[a-z0-9-]+\.amazonaws\.com", host):
        return True  # another registry: not checked here
    client = ecr_client(host, os.environ["DOCKER_STAND_IN_MOTO_URL"], "docker")
    try:
        client.describe_images(repositoryName=repository, imageIds=[{"imageDigest": digest}])
        return True
    except client.exceptions.ImageNotFoundException:
        return False


def main():
    options = parse(sys.argv[1:])
    record = {
        "argv": sys.argv[1:],
        "environment_names": sorted(os.environ),
        "container_env": {name: os.environ.get(name) for name in options["env"]},
        "docker_config": os.environ.get("DOCKER_CONFIG"),
    }
    with open(os.environ["DOCKER_RUN_STAND_IN_RECORD"], "a", encoding="utf-8") as file:
        file.write(json.dumps(record) + "\n")
    if not image_exists(options["image"]):
        print(f"docker: Error response from daemon: manifest unknown: {options['image']}", file=sys.stderr)
        sys.exit(125)
    print(f"stand-in test command: {' '.join(options['command'])}", flush=True)
    for line in os.environ.get("DOCKER_RUN_STAND_IN_OUTPUT", "").split("\\n"):
        if line:
            print(line, flush=True)
    for volume in options["volumes"]:
        host, _, _ = volume.partition(":")
        with open(os.path.join(host, os.environ.get("DOCKER_RUN_STAND_IN_REPORT_NAME", "junit.xml")), "w") as file:
            file.write('<testsuite name="stand-in" tests="1" failures="0"><testcase name="t"/></testsuite>\n')
    sys.exit(int(os.environ.get("DOCKER_RUN_STAND_IN_EXIT", "0")))


if __name__ == "__main__":
    main()
