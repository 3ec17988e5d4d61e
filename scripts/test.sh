#!/usr/bin/env bash
# The whole test suite: the README's test command, also run by .ci/run.
# It installs and starts what the tests need by itself, so it works on a fresh machine:
# a pinned moto server (the AWS emulator) in a virtualenv, started through tests/support/moto_plus.py
# (a realistic ECS lifecycle) on a free loopback port.
set -euo pipefail
cd "$(dirname "$0")/.."

MOTO_VERSION="5.2.5"
VENV=".venv-test"

if ! "$VENV/bin/python" -c "import moto, sys; sys.exit(moto.__version__ != '$MOTO_VERSION')" 2>/dev/null; then
  echo "installing moto[server]==$MOTO_VERSION into $VENV" >&2
  python3 -m venv "$VENV"
  "$VENV/bin/pip" install --quiet --disable-pip-version-check "moto[server]==$MOTO_VERSION"
fi

port=$("$VENV/bin/python" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
log=$(mktemp -t maestro-moto.XXXXXX.log)
"$VENV/bin/python" tests/support/moto_plus.py -H 127.0.0.1 -p "$port" >"$log" 2>&1 &
moto_pid=$!
trap 'kill "$moto_pid" 2>/dev/null; wait "$moto_pid" 2>/dev/null; rm -f "$log"' EXIT

for _ in $(seq 1 200); do
  if "$VENV/bin/python" -c "import urllib.request; urllib.request.urlopen('http://127.0.0.1:$port/moto-api/')" 2>/dev/null; then
    break
  fi
  if ! kill -0 "$moto_pid" 2>/dev/null; then
    echo "the AWS emulator did not start:" >&2
    cat "$log" >&2
    exit 1
  fi
  sleep 0.1
done

export MAESTRO_TEST_MOTO_URL="http://127.0.0.1:$port"
# Tests that need the emulator fail, instead of skipping, when it is missing here.
export MAESTRO_TEST_REQUIRE_EMULATOR=1
export RUST_BACKTRACE="${RUST_BACKTRACE:-0}"
cargo test --locked --all-targets
