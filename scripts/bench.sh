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
# AWS's usual full pages (ListServices 100, DescribeLogGroups 50, GetParametersByPath 10 when
# asked for them) instead of the tests' pages of 2, which would count page walks as round trips.
export MOTO_PLUS_PAGE_SIZE=100
start_moto
export MAESTRO_BENCH_AWS_CLI="$PWD/.venv-bench/bin/aws"
# Extra arguments go to cargo (e.g. `--profile dev` for a quick look without the release build).
cargo bench --locked --bench deploy "$@"
