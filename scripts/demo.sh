#!/usr/bin/env bash
# The README's first command: a real deploy of examples/shop, on this machine, with no AWS account.
# It builds maestro (the same debug build `scripts/test.sh` then reuses), installs and starts the
# local AWS emulator (moto, pinned, on a free loopback port), sets it up as a team's account would be
# before a first deploy (scripts/demo_account.py), then:
#   1. deploys the app, with the deploy's real output;
#   2. deploys it again with nothing changed: no AWS writes;
#   3. changes one setting and shows `maestro plan`'s diff;
# and stops the emulator. Nothing leaves the machine.
set -euo pipefail
cd "$(dirname "$0")/.."

# shellcheck source=scripts/emulator.sh
source scripts/emulator.sh

if [ -t 2 ] && [ -z "${NO_COLOR:-}" ]; then
  step() { printf '\n\033[1m==> %s\033[0m\n' "$*" >&2; }
else
  step() { printf '\n==> %s\n' "$*" >&2; }
fi

state=$(mktemp -d -t maestro-demo.XXXXXX)
# shellcheck disable=SC2034  # filled by start_moto, read by cleanup (scripts/emulator.sh)
pids=()
trap cleanup EXIT

step "build maestro and install the AWS emulator (both are reused by scripts/test.sh)"
install_moto >"$state/pip.log" 2>&1 &
pip_pid=$!
cargo build --locked --bin maestro
wait "$pip_pid" || { cat "$state/pip.log" >&2; exit 1; }
maestro="$PWD/target/debug/maestro"

start_moto
app=examples/shop
settings="$state/maestro.env"
# The example's settings, with the emulator's ids in place of the example ones, and without the
# EFS file system the emulator's account does not have.
grep -v -E '^(WORKLOAD_VPC_ID|ECS_SERVICE_SUBNETS|ALB_SUBNETS|ECS_SERVICE_SECURITY_GROUPS|ALB_SECURITY_GROUPS|ECS_TASK_ROLE_ARN|ECS_EXECUTION_ROLE_ARN|ECS_EFS_VOLUMES)=' \
  "$app/maestro.env" >"$settings"
# MAESTRO_TEST_ variables are the tests'; maestro would warn about one it does not read.
export AWS_ENDPOINT_URL="$MAESTRO_TEST_MOTO_URL" AWS_ACCESS_KEY_ID=demo AWS_SECRET_ACCESS_KEY=demo
unset MAESTRO_TEST_MOTO_URL
# The commit's image is in the emulator's ECR already, as a CI build would have pushed it: the
# deploy takes it (pack and Docker, which a build needs, are not needed here).
export MAESTRO_POLL_INTERVAL=0.2 MAESTRO_SKIP_BUILD=true
# The names maestro gives the image repository, the commit's tag and the app's secret.
plan_json=$("$maestro" plan --offline --app "$app" --env-file "$app/maestro.env" --output json)
read -r repository tag secret < <("$VENV/bin/python" -c '
import json, sys
plan = json.load(sys.stdin)
print(plan["image"]["repository"], plan["image"]["tag"], plan["secret"])' <<<"$plan_json")
"$VENV/bin/python" scripts/demo_account.py "$AWS_ENDPOINT_URL" us-east-1 "$repository" "$tag" "$secret" >>"$settings"

step "1. deploy examples/shop to the local AWS emulator"
"$maestro" deploy --app "$app" --env-file "$settings"

step "2. deploy again, nothing changed: maestro reads, finds nothing to do, and writes nothing"
"$maestro" deploy --app "$app" --env-file "$settings" | tee "$state/redeploy.txt"
# CI runs this script too: a redeploy that writes is a regression, not a demo.
grep -q ', 0 writes' "$state/redeploy.txt" || { echo "error: the redeploy wrote to AWS" >&2; exit 1; }

step "3. change one setting (worker: 1-3 tasks -> 2-6, 512 -> 1024 CPU units, 1024 -> 2048 MiB) and plan"
export ECS_SERVICE_TASK_PROCESSES="web{1024;2048}:2-5[mem=55&nosclin;cpu=60;alb=1000], worker{1024;2048}:2-6, clock, scheduledtasks{256;512}"
"$maestro" plan --app "$app" --env-file "$settings"

step "done in $((SECONDS / 60))m$((SECONDS % 60))s, compile included; the emulator stops now. Next: README.md's 'Install', and docs/quickstart.md for a real account"
