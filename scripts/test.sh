#!/usr/bin/env bash
# The whole test suite: the README's test command, also run by .ci/run.
# It installs and starts what the tests need by itself, so it works on a fresh machine:
# a pinned moto server (the AWS emulator) in a virtualenv, started through tests/support/moto_plus.py
# (a realistic ECS lifecycle) on a free loopback port; and a real OCI registry (Debian's
# docker-registry, with skopeo and umoci to seed it) on another one.
set -euo pipefail
cd "$(dirname "$0")/.."

# shellcheck source=scripts/emulator.sh
source scripts/emulator.sh
install_moto

registry_tools=(docker-registry skopeo umoci)
if ! command -v docker-registry >/dev/null || ! command -v skopeo >/dev/null || ! command -v umoci >/dev/null; then
  as_root=()
  [ "$(id -u)" = 0 ] || as_root=(sudo -n)
  if command -v apt-get >/dev/null && "${as_root[@]}" true 2>/dev/null; then
    echo "installing ${registry_tools[*]}" >&2
    "${as_root[@]}" apt-get update -qq >/dev/null
    "${as_root[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${registry_tools[@]}" >/dev/null
  else
    echo "warning: ${registry_tools[*]} are missing and cannot be installed here; the registry tests will fail" >&2
  fi
fi

# gitlab-ci-local (GitLab's runner, emulated: tests/it/gitlab_component.rs runs the CI/CD component's
# deploy job under it) needs rsync; 4.73.0 is its last release that runs on Node 20.
GITLAB_CI_LOCAL_VERSION="4.73.0"
if ! command -v rsync >/dev/null; then
  as_root=()
  [ "$(id -u)" = 0 ] || as_root=(sudo -n)
  if command -v apt-get >/dev/null && "${as_root[@]}" true 2>/dev/null; then
    echo "installing rsync" >&2
    "${as_root[@]}" apt-get update -qq >/dev/null
    "${as_root[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends rsync >/dev/null
  fi
fi
if [ "$(node -p "require('./.test-tools/node_modules/gitlab-ci-local/package.json').version" 2>/dev/null)" != "$GITLAB_CI_LOCAL_VERSION" ]; then
  echo "installing gitlab-ci-local $GITLAB_CI_LOCAL_VERSION into .test-tools" >&2
  npm install --prefix .test-tools --no-audit --no-fund --silent "gitlab-ci-local@$GITLAB_CI_LOCAL_VERSION"
fi
export MAESTRO_TEST_GITLAB_CI_LOCAL="$PWD/.test-tools/node_modules/.bin/gitlab-ci-local"

state=$(mktemp -d -t maestro-test.XXXXXX)
pids=()
trap cleanup EXIT

if command -v docker-registry >/dev/null; then
  registry_port=$(free_port)
  cat >"$state/registry.yml" <<YAML
version: 0.1
log: {level: warn}
storage:
  filesystem: {rootdirectory: $state/registry-data}
  delete: {enabled: true}
http: {addr: 127.0.0.1:$registry_port}
YAML
  docker-registry serve "$state/registry.yml" >"$state/registry.log" 2>&1 &
  pids+=($!)
  export MAESTRO_TEST_REGISTRY="127.0.0.1:$registry_port"
fi

start_moto

if [ -n "${MAESTRO_TEST_REGISTRY:-}" ]; then
  for _ in $(seq 1 100); do
    "$VENV/bin/python" -c "import urllib.request; urllib.request.urlopen('http://$MAESTRO_TEST_REGISTRY/v2/')" 2>/dev/null && break
    sleep 0.1
  done
fi

# The stand-in pack (tests/support/stand-in-pack) runs with the test virtualenv's Python.
export MAESTRO_TEST_PYTHON="$PWD/$VENV/bin/python"
export RUST_BACKTRACE="${RUST_BACKTRACE:-0}"
# The tests that need the emulator or the registry carry `#[ignore = "needs the AWS emulator: …"]`,
# so a bare `cargo test` reports them as ignored; here both run, so every test runs.
# `--all-targets` also builds the deploy benchmark (benches/deploy.rs, `harness = false`) and runs
# it without `--bench`: it then only says how to run it (scripts/bench.sh) and measures nothing.
cargo test --locked --workspace --all-targets -- --include-ignored
