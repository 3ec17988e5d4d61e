#!/usr/bin/env bash
# The deploy benchmark (benches/deploy/): starts the AWS emulator, installs the aws CLI for the
# baseline (the bash maestro's calls), and runs `cargo bench --bench deploy`. The table it prints
# is the README's "Speed" section.
set -euo pipefail
cd "$(dirname "$0")/.."

# shellcheck source=scripts/emulator.sh
source scripts/emulator.sh
install_moto
if ! .venv-bench/bin/aws --version >/dev/null 2>&1; then
  echo "installing awscli==1.46.3 into .venv-bench (the baseline)" >&2
  python3 -m venv .venv-bench
  .venv-bench/bin/pip install --quiet --disable-pip-version-check "awscli==1.46.3"
fi

state=$(mktemp -d -t maestro-bench.XXXXXX)
pids=()
trap cleanup EXIT
start_moto
export MAESTRO_BENCH_AWS_CLI="$PWD/.venv-bench/bin/aws"
cargo bench --locked --bench deploy
