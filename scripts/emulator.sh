#!/usr/bin/env bash
# Shared by scripts/test.sh and scripts/bench.sh (sourced): installs the pinned AWS emulator
# (moto, in .venv-test), and starts it through tests/support/moto_plus.py on a free loopback
# port. Callers set `state` (a scratch folder) and `pids` (killed on exit) first.
# shellcheck disable=SC2154  # `state` and `pids` are the caller's

MOTO_VERSION="5.2.5"
VENV=".venv-test"

install_moto() {
  if ! "$VENV/bin/python" -c "import moto, sys; sys.exit(moto.__version__ != '$MOTO_VERSION')" 2>/dev/null; then
    echo "installing moto[server]==$MOTO_VERSION into $VENV" >&2
    python3 -m venv "$VENV"
    "$VENV/bin/pip" install --quiet --disable-pip-version-check "moto[server]==$MOTO_VERSION"
  fi
}

free_port() {
  "$VENV/bin/python" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

# Starts the emulator and exports MAESTRO_TEST_MOTO_URL.
start_moto() {
  local port log moto_pid
  port=$(free_port)
  log="$state/moto.log"
  "$VENV/bin/python" tests/support/moto_plus.py -H 127.0.0.1 -p "$port" >"$log" 2>&1 &
  moto_pid=$!
  pids+=("$moto_pid")
  for _ in $(seq 1 200); do
    if "$VENV/bin/python" -c "import urllib.request; urllib.request.urlopen('http://127.0.0.1:$port/moto-api/')" 2>/dev/null; then
      export MAESTRO_TEST_MOTO_URL="http://127.0.0.1:$port"
      return 0
    fi
    if ! kill -0 "$moto_pid" 2>/dev/null; then
      echo "the AWS emulator did not start:" >&2
      cat "$log" >&2
      return 1
    fi
    sleep 0.1
  done
  echo "the AWS emulator did not answer in 20 s" >&2
  return 1
}

cleanup() {
  local status=$?
  for pid in "${pids[@]}"; do
    kill "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
  done
  rm -rf "$state"
  exit "$status"
}
