#!/usr/bin/env python3
"""Writes action.yml's inputs from the variable registry and docs/inputs.md.

Each of maestro's variables with an action input in crates/maestro-core/src/input/vars/maestro.rs
(`input(VARIABLE, "name")`) becomes that input, passed to the deploy step as
MAESTRO_INPUT_<VARIABLE>; maestro reads it as the variable's action-input layer. Its description
is the variable's in docs/inputs.md. Run it after adding a variable; tests/it/action.rs checks
that action.yml is in step.
"""

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
REGISTRY = ROOT / "crates/maestro-core/src/input/vars/maestro.rs"
FIRST = ["role-to-assume", "aws-region", "environment", "repository", "branch", "commit"]

HEADER = """# maestro as a GitHub Action: `uses: veezor/maestro@v1`.
#
# A composite action: it downloads the released static binary for the runner (verified against
# the checksums committed with the action at its tag, ci/github/checksums/, and checked again in
# the tool cache on every run), installs a pinned pack only when the commit's image
# is missing (`maestro build --check`), and runs `maestro deploy`. It needs no Docker image to
# build, so it starts in seconds.
#
# Every maestro variable is an input (kebab-case), passed to maestro as MAESTRO_INPUT_<VARIABLE>:
# maestro reads it as that variable's input layer, so an input beats the job's `env:` and an input
# left empty keeps it. docs/inputs.md documents each one; scripts/action-inputs.py writes this
# file's inputs from maestro's variable registry. The workflow needs:
#
#   permissions:
#     contents: read
#     id-token: write      # OIDC to AWS (role-to-assume)
#     deployments: write   # the GitHub deployment and its statuses
#     statuses: write      # the commit status maestro/<environment>
#     checks: write        # optional: the check run
name: maestro
description: Build with Cloud Native Buildpacks and deploy to AWS ECS, from a commit to running services
author: veezor
branding:
  icon: upload-cloud
  color: blue
inputs:
  github-token:
    description: The token for GitHub deployments, commit statuses and check runs (the job's token by default).
    default: ${{ github.token }}
  working-directory:
    description: The app's checkout (it holds the Procfile, or REPO_SUB_FOLDER does).
    default: .
  version:
    description: The maestro release to run (a tag such as v1.4.2, or a series such as v1 or v1.4 for the newest release of it this action pins); this action's own version by default. The action installs only releases whose checksums it carries (ci/github/checksums/), so for another release use the action at that tag.
    default: ''
  command:
    description: deploy, test (the commit's tests in its test image, as a deploy's test phase runs them, test-phase.md), stop (a closed pull request's environment paused; the next deploy restores it), restart (new tasks for every running service, after a secret rotation), rollback (every service back to the previous successful release, or to rollback-to), abort (every deployment in progress rolled back to the revision that ran before, and waited for; a deployment paused for approval too), continue (a deployment paused for approval resumed, and waited for), run (run-command in a one-off task, exiting with its exit code), destroy (everything the environment owns deleted; needs destroy-confirm), previews-list (the app's pull-request previews), or previews-prune (the previews of closed pull requests, and those older than preview-ttl, destroyed; for a scheduled workflow).
    default: deploy
"""

OUTPUTS = """outputs:
  status:
    description: success, failure, superseded (a newer deploy of the branch deploys instead; see docs/ci.md#the-deploy-queue), or awaiting-approval (ECS paused the deploy before production traffic; see docs/approval.md).
    value: ${{ steps.deploy.outputs.status }}
  deployment-url:
    description: Where the app answers.
    value: ${{ steps.deploy.outputs.deployment-url }}
  image-uri:
    description: The image deployed.
    value: ${{ steps.deploy.outputs.image-uri }}
  image-digest:
    description: The image's digest.
    value: ${{ steps.deploy.outputs.image-digest }}
  task-definition-arns:
    description: The task definition ARN of each process, as JSON.
    value: ${{ steps.deploy.outputs.task-definition-arns }}
  test-url:
    description: A deploy awaiting approval, where its new revision answers before production traffic does.
    value: ${{ steps.deploy.outputs.test-url }}
runs:
  using: composite
  steps:
    - name: Install maestro
      shell: bash
      run: '"$GITHUB_ACTION_PATH/ci/github/install.sh" maestro'
      env:
        MAESTRO_VERSION: ${{ inputs.version }}
    - name: Deploy
      id: deploy
      shell: bash
      working-directory: ${{ inputs.working-directory }}
      run: '"$GITHUB_ACTION_PATH/ci/github/run.sh"'
      env:
        MAESTRO_COMMAND: ${{ inputs.command }}
        MAESTRO_INPUT_GITHUB_TOKEN: ${{ inputs.github-token }}
"""


def quoted(text):
    return "'" + text.replace("'", "''") + "'"


def main():
    source = REGISTRY.read_text()
    constants = dict(re.findall(r'pub const ([A-Z_]+): &str = "([A-Z_]+)";', source))
    table = source[source.index("pub const MAESTRO: &[Variable]"):]
    listed = re.findall(r'^\s+input\(([A-Z_]+), "([a-z0-9-]+)"\),', table, re.M)
    docs = (ROOT / "docs/inputs.md").read_text()
    described = {}
    for match in re.finditer(r"^\| `([A-Z_]+)` \| ([^|]*)\|", docs, re.M):
        sentences = re.split(r"(?<=\.)\s", match.group(2).strip().replace("`", ""))
        text = sentences[0]
        if len(text) < 20 and len(sentences) > 1:
            text += " " + sentences[1]
        described[match.group(1)] = text
    inputs = []
    for constant, name in listed:
        variable = constants[constant]
        inputs.append((name, variable, described.get(variable, f"Sets {variable}.")))
    inputs.sort(key=lambda item: FIRST.index(item[0]) if item[0] in FIRST else len(FIRST))
    text = HEADER
    for name, variable, description in inputs:
        text += f"  {name}:\n    description: {quoted(f'{description} ({variable})')}\n    default: ''\n"
    text += OUTPUTS
    for name, variable, _ in inputs:
        text += f"        MAESTRO_INPUT_{variable}: ${{{{ inputs.{name} }}}}\n"
    (ROOT / "action.yml").write_text(text)


if __name__ == "__main__":
    main()
