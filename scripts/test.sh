#!/usr/bin/env bash
# The whole test suite: the README's test command, also run by .ci/run.
# It installs and starts what the tests need by itself, so it works on a fresh machine.
set -euo pipefail
cd "$(dirname "$0")/.."

export RUST_BACKTRACE="${RUST_BACKTRACE:-0}"
cargo test --locked --all-targets
