#!/usr/bin/env bash
# A short libFuzzer run over every parser of user input (cargo-fuzz, which needs a nightly
# toolchain): called by .ci/run. The one target, `inputs`, picks the parser by the input's first
# byte (`maestro_core::fuzz::run_any`, behind the core's `fuzz` feature). The same bodies also run
# on stable inside the test suite (`maestro_core::fuzz::tests::fuzz_smoke`), so a machine without
# nightly still checks them there.
# Longer runs: cd fuzz && cargo +nightly fuzz run inputs -- -dict=inputs.dict
set -euo pipefail
cd "$(dirname "$0")/.."

RUNS="${FUZZ_RUNS:-2000000}"
if ! cargo +nightly --version >/dev/null 2>&1; then
  echo "warning: no nightly toolchain: the fuzz targets ran only inside the test suite" >&2
  exit 0
fi
if [ "$(cargo fuzz --version 2>/dev/null)" != "cargo-fuzz 0.13.2" ]; then
  echo "installing cargo-fuzz 0.13.2" >&2
  cargo install cargo-fuzz --locked --version 0.13.2 --quiet
fi
cd fuzz
mkdir -p target
# The crate forbids unsafe code, so AddressSanitizer would find nothing a panic does not; without it
# the instrumented build is smaller and faster on CI's disk and two cores.
cargo +nightly fuzz run -O --sanitizer none inputs -- -runs="$RUNS" -dict=inputs.dict \
  >target/inputs.log 2>&1 \
  || { echo "fuzzing failed:" >&2; tail -n 40 target/inputs.log >&2; exit 1; }
echo "fuzz: $(grep -o 'Done [0-9]* runs' target/inputs.log)" >&2
