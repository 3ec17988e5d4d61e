"""STAND-IN for `pack build`, used only by maestro's tests.

It does what maestro relies on pack for, without Docker or buildpacks:
- records its argv, its environment's names, and the build environment it would hand to the
  buildpacks (the env file read exactly as pack reads it) into $PACK_STAND_IN_RECORD (JSON);
- prints every build variable, as a careless buildpack might (as written, as JSON, in base64),
  so tests can prove maestro hides the values in its output;
- sleeps $PACK_STAND_IN_SLEEP seconds when set (a build to cancel), then
- exits with $PACK_STAND_IN_EXIT when set (a failed build), before publishing;
- otherwise publishes a tiny image (for `--platform`'s architecture, amd64 without it) under
  every tag it was given: to the emulator's ECR (PutImage, after checking that DOCKER_CONFIG
  holds an ECR login for the registry) or to an OCI registry (the distribution API's blob upload
  and manifest PUT).
"""

import base64
import hashlib
import json
import os
import re
import stat
import sys
import urllib.request


def parse(argv):
    assert argv[0] == "build", argv
    options = {"image": argv[1], "tags": [], "env": []}
    flags = {"--tag": "tags", "--env": "env"}
    index = 2
    while index < len(argv):
        flag = argv[index]
        if flag in ("--publish", "--trust-builder", "--clear-cache", "--verbose"):
            options[flag] = True
            index += 1
        elif flag in flags:
            options[flags[flag]].append(argv[index + 1])
            index += 2
        else:
            options[flag] = argv[index + 1]
            index += 2
    return options


def read_env_file(path):
    """pack's parseEnvFile: trimmed lines, NAME=value split at the first '=', bare NAME from env."""
    seen = {}
    with open(path, encoding="utf-8") as file:
        for line in file.read().split("\n"):
            line = line.strip()
            if not line:
                continue
            name, sep, value = line.partition("=")
            seen[name] = value if sep else os.environ.get(name, "")
    return seen


def docker_auth(host):
    config = os.environ.get("DOCKER_CONFIG")
    if not config:
        return None
    with open(os.path.join(config, "config.json"), encoding="utf-8") as file:
        auth = json.load(file).get("auths", {}).get(host, {}).get("auth")
    return base64.b64decode(auth).decode() if auth else None


def docker_logins():
    """The user name pack would send to each registry (never the password)."""
    config = os.environ.get("DOCKER_CONFIG")
    if not config:
        return {}
    with open(os.path.join(config, "config.json"), encoding="utf-8") as file:
        auths = json.load(file).get("auths", {})
    return {host: base64.b64decode(entry["auth"]).decode().split(":", 1)[0] for host, entry in auths.items()}


def ecr_client(host, endpoint, who):
    """The emulator's ECR for `host`'s account, once DOCKER_CONFIG holds an ECR login for `host`
    (the stand-in docker run uses it too)."""
    import boto3

    account, region = host.split(".")[0], host.split(".")[3]
    login = docker_auth(host)
    if not login or not login.startswith("AWS:"):
        sys.exit(f"{who}: no ECR login for {host} in DOCKER_CONFIG (it would get 'unauthorized')")
    client = boto3.client(
        "ecr", region_name=region, endpoint_url=endpoint, aws_access_key_id="testing", aws_secret_access_key="testing"
    )
    client.meta.events.register(
        "before-sign.ecr.*", lambda request, **_: request.headers.add_header("x-moto-account-id", account)
    )
    return client


def publish_ecr(host, repository, tags, manifest):
    client = ecr_client(host, os.environ["PACK_STAND_IN_MOTO_URL"], "stand-in pack")
    for tag in tags:
        try:
            client.put_image(repositoryName=repository, imageManifest=manifest, imageTag=tag)
        except client.exceptions.ImageAlreadyExistsException:
            pass  # the same manifest under the same tag: a registry push would be a no-op too


def publish_oci(host, repository, tags, config_blob, layer_blob):
    scheme = "http" if host.startswith(("127.", "localhost")) else "https"
    base = f"{scheme}://{host}/v2/{repository}"
    login = docker_auth(host)
    headers = {"Authorization": "Basic " + base64.b64encode(login.encode()).decode()} if login else {}

    def send(method, url, body=None, extra=None):
        request = urllib.request.Request(url, data=body, method=method, headers={**headers, **(extra or {})})
        return urllib.request.urlopen(request)

    for blob in (config_blob, layer_blob):
        digest = "sha256:" + hashlib.sha256(blob).hexdigest()
        location = send("POST", f"{base}/blobs/uploads/").headers["Location"]
        if location.startswith("/"):
            location = f"{scheme}://{host}{location}"
        joiner = "&" if "?" in location else "?"
        send("PUT", f"{location}{joiner}digest={digest}", blob, {"Content-Type": "application/octet-stream"})
    manifest = json.dumps(
        {
            "schemaVersion": 2,
            "mediaType": "application/vnd.oci.image.manifest.v1+json",
            "config": descriptor("application/vnd.oci.image.config.v1+json", config_blob),
            "layers": [descriptor("application/vnd.oci.image.layer.v1.tar", layer_blob)],
        }
    ).encode()
    for tag in tags:
        send("PUT", f"{base}/manifests/{tag}", manifest, {"Content-Type": "application/vnd.oci.image.manifest.v1+json"})


def descriptor(media_type, blob):
    return {"mediaType": media_type, "digest": "sha256:" + hashlib.sha256(blob).hexdigest(), "size": len(blob)}


def main():
    options = parse(sys.argv[1:])
    env_file = options["--env-file"]
    build_env = read_env_file(env_file)
    record = {
        "argv": sys.argv[1:],
        "environment_names": sorted(os.environ),
        "build_env": build_env,
        "env_file": env_file,
        "env_file_mode": oct(stat.S_IMODE(os.stat(env_file).st_mode)),
        "env_file_dir_mode": oct(stat.S_IMODE(os.stat(os.path.dirname(env_file)).st_mode)),
        "docker_config": os.environ.get("DOCKER_CONFIG"),
        "docker_logins": docker_logins(),
    }
    with open(os.environ["PACK_STAND_IN_RECORD"], "w", encoding="utf-8") as file:
        json.dump(record, file, indent=2)

    print(f"===> DETECTING with builder {options['--builder']}")
    for name, value in build_env.items():
        print(f"stand-in buildpack sees {name}={value}")
    # Other careless forms: the environment as JSON, each value base64-encoded.
    print(f"build env as JSON: {json.dumps(build_env)}")
    for name, value in build_env.items():
        print(f"{name} base64: {base64.b64encode(value.encode()).decode()}")
    sys.stdout.flush()
    if os.environ.get("PACK_STAND_IN_SLEEP"):
        print("===> BUILDING (slowly)", flush=True)
        import time

        time.sleep(float(os.environ["PACK_STAND_IN_SLEEP"]))
    if os.environ.get("PACK_STAND_IN_EXIT"):
        print("ERROR: failed to build: exit status 51", file=sys.stderr)
        sys.exit(int(os.environ["PACK_STAND_IN_EXIT"]))

    references = [options["image"], *options["tags"]]
    host, _, _ = references[0].partition("/")
    repository = references[0][len(host) + 1 :].rsplit(":", 1)[0]
    tags = [reference.rsplit(":", 1)[1] for reference in references]
    # `--platform linux/<arch>` decides the image's architecture, as it does pack's; amd64 without it.
    architecture = options.get("--platform", "linux/amd64").split("/", 1)[1]
    image_config = {"architecture": architecture, "os": "linux", "config": {"Env": [f"SOURCE={options['--path']}"]}}
    config_blob = json.dumps(image_config).encode()
    layer_blob = b"stand-in layer for " + references[0].encode()
    if re.fullmatch(r"\d{12}\.dkr\.ecr\.[a-z0-9-]+\.amazonaws\.com", host):
        manifest = json.dumps(
            {
                "schemaVersion": 2,
                "mediaType": "application/vnd.docker.distribution.manifest.v2+json",
                "config": descriptor("application/vnd.docker.container.image.v1+json", config_blob),
                "layers": [descriptor("application/vnd.docker.image.rootfs.diff.tar.gzip", layer_blob)],
            }
        )
        publish_ecr(host, repository, tags, manifest)
    else:
        publish_oci(host, repository, tags, config_blob, layer_blob)
    print(f"Successfully built image {references[0]}")


if __name__ == "__main__":
    main()
