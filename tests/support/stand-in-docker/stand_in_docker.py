"""STAND-IN for `docker buildx`, used only by maestro's tests.

It does what maestro relies on docker for, without a daemon or BuildKit:
- `buildx inspect maestro` fails until `buildx create --name maestro --driver docker-container`
  ran (a marker file next to the record), as a fresh machine's docker does;
- `buildx build` records its argv, its environment's names and the BuildKit secrets it was given
  into $DOCKER_STAND_IN_RECORD (JSON), and fails, as BuildKit would, when a `--secret` names an
  environment variable that is not set; it refuses `--build-arg` outright (maestro must never
  pass a secret that way) and any argv word holding a secret's value;
- prints every secret's value, as a careless `RUN --mount=type=secret` step might (as written, in
  base64), so tests can prove maestro hides the values in its output;
- exits with $DOCKER_STAND_IN_EXIT when set (a failed build), before publishing;
- otherwise publishes a tiny image under every `--tag`: to the emulator's ECR or to an OCI
  registry, as the stand-in pack does (its functions are reused).
"""

import base64
import json
import os
import re
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "stand-in-pack"))
import stand_in_pack  # noqa: E402


def record_path():
    return os.environ["DOCKER_STAND_IN_RECORD"]


def builder_marker():
    return record_path() + ".builder"


def log_call(argv):
    """Every call, in order, beside the record: tests see the builder made once."""
    with open(record_path() + ".calls", "a", encoding="utf-8") as file:
        file.write(json.dumps(argv) + "\n")


def parse_build(argv):
    options = {"tags": [], "secrets": [], "flags": [], "values": {}}
    index = 0
    while index < len(argv):
        word = argv[index]
        if word in ("--push", "--no-cache"):
            options["flags"].append(word)
            index += 1
        elif word == "--tag":
            options["tags"].append(argv[index + 1])
            index += 2
        elif word == "--secret":
            options["secrets"].append(argv[index + 1])
            index += 2
        elif word == "--build-arg":
            sys.exit("stand-in docker: --build-arg given; maestro passes build secrets only as BuildKit secrets")
        elif word.startswith("--"):
            options["values"][word] = argv[index + 1]
            index += 2
        else:
            options["context"] = word
            index += 1
    return options


def secret_values(specs):
    """Each `id=KEY,env=KEY` secret's value, from the environment, as BuildKit reads it."""
    values = {}
    for spec in specs:
        fields = dict(part.split("=", 1) for part in spec.split(","))
        if "src" in fields:
            with open(fields["src"], encoding="utf-8") as file:
                values[fields["id"]] = file.read()
        elif fields.get("env") not in os.environ:
            sys.exit(f"stand-in docker: secret {fields['id']}: environment variable {fields.get('env')} is not set")
        else:
            values[fields["id"]] = os.environ[fields["env"]]
    return values


def build(argv):
    options = parse_build(argv[2:])
    secrets = secret_values(options["secrets"])
    for value in secrets.values():
        if value and any(value in word for word in argv):
            sys.exit("stand-in docker: a secret's value is in the argv")
    record = {
        "argv": argv,
        "environment_names": sorted(os.environ),
        "secret_keys": sorted(secrets),
        "docker_config": os.environ.get("DOCKER_CONFIG"),
        "docker_logins": stand_in_pack.docker_logins(),
        "dockerfile_exists": os.path.isfile(options["values"].get("--file", "")),
    }
    with open(record_path(), "w", encoding="utf-8") as file:
        json.dump(record, file, indent=2)
    print(f"#1 [internal] load build definition from {os.path.basename(options['values']['--file'])}")
    for key, value in secrets.items():
        print(f"#5 RUN --mount=type=secret,id={key} cat /run/secrets/{key}: {value}")
        print(f"#5 {key} base64: {base64.b64encode(value.encode()).decode()}")
    sys.stdout.flush()
    if os.environ.get("DOCKER_STAND_IN_EXIT"):
        print("ERROR: failed to solve: process \"/bin/sh -c exit 1\" did not complete successfully", file=sys.stderr)
        sys.exit(int(os.environ["DOCKER_STAND_IN_EXIT"]))

    references = options["tags"]
    host, _, _ = references[0].partition("/")
    repository = references[0][len(host) + 1 :].rsplit(":", 1)[0]
    tags = [reference.rsplit(":", 1)[1] for reference in references]
    # The image's own command: what a Dockerfile's CMD would be.
    image_config = {"architecture": "amd64", "os": "linux", "config": {"Cmd": ["bin/server"]}}
    config_blob = json.dumps(image_config).encode()
    layer_blob = b"stand-in docker layer for " + references[0].encode()
    if re.fullmatch(r"\d{12}\.dkr\.ecr\.[a-z0-9-]+\.amazonaws\.com", host):
        os.environ["PACK_STAND_IN_MOTO_URL"] = os.environ["DOCKER_STAND_IN_MOTO_URL"]
        manifest = json.dumps(
            {
                "schemaVersion": 2,
                "mediaType": "application/vnd.docker.distribution.manifest.v2+json",
                "config": stand_in_pack.descriptor("application/vnd.docker.container.image.v1+json", config_blob),
                "layers": [stand_in_pack.descriptor("application/vnd.docker.image.rootfs.diff.tar.gzip", layer_blob)],
            }
        )
        stand_in_pack.publish_ecr(host, repository, tags, manifest)
    else:
        stand_in_pack.publish_oci(host, repository, tags, config_blob, layer_blob)
    print(f"#9 pushing {', '.join(references)} done")


def main():
    argv = sys.argv[1:]
    log_call(argv)
    if argv[:3] == ["buildx", "inspect", "maestro"]:
        sys.exit(0 if os.path.exists(builder_marker()) else 1)
    if argv[:2] == ["buildx", "create"]:
        assert argv[2:] == ["--name", "maestro", "--driver", "docker-container"], argv
        open(builder_marker(), "w", encoding="utf-8").close()
        print("maestro")
        return
    if argv[:2] == ["buildx", "build"]:
        build(argv)
        return
    sys.exit(f"stand-in docker: unexpected arguments {argv}")


if __name__ == "__main__":
    main()
