#!/usr/bin/env bash
# A short run of every fuzz target under libFuzzer (cargo-fuzz, which needs a nightly toolchain):
# called by .ci/run. The same targets also run on stable inside the test suite
# (`core::fuzz::tests::fuzz_smoke`), so a machine without nightly still checks them there.
# Longer runs: cd fuzz && cargo +nightly fuzz run <target>
set -euo pipefail
cd "$(dirname "$0")/.."

RUNS="${FUZZ_RUNS:-20000}"
if ! cargo +nightly --version >/dev/null 2>&1; then
  echo "warning: no nightly toolchain: the fuzz targets ran only inside the test suite" >&2
  exit 0
fi
if [ "$(cargo fuzz --version 2>/dev/null)" != "cargo-fuzz 0.13.2" ]; then
  echo "installing cargo-fuzz 0.13.2" >&2
  cargo install cargo-fuzz --locked --version 0.13.2 --quiet
fi
cd fuzz
cargo +nightly fuzz build -O
targets=$(cargo +nightly fuzz list)
for target in $targets; do
  cargo +nightly fuzz run -O "$target" -- -runs="$RUNS" >"target/$target.log" 2>&1 \
    || { echo "fuzz target $target failed:" >&2; tail -n 40 "target/$target.log" >&2; exit 1; }
  echo "fuzz $target: $(grep -o 'Done [0-9]* runs' "target/$target.log")" >&2
done
