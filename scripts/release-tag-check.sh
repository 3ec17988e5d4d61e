#!/usr/bin/env bash
# The release workflow's first step: the tag being released must be the crate's version, so that
# `maestro --version`, the action's default `version` (read from Cargo.toml at the tag) and the
# release's assets all name the same release. Usage: scripts/release-tag-check.sh <tag>.
set -euo pipefail
cd "$(dirname "$0")/.."

tag="${1:?usage: scripts/release-tag-check.sh <tag>, e.g. v1.4.2}"
version="$(sed -n 's/^version = "\(.*\)"$/\1/p' Cargo.toml | head -n 1)"
if [ "$tag" != "v$version" ]; then
  echo "::error title=release::tag $tag is not the crate's version v$version (Cargo.toml): set the version to ${tag#v} and tag again, or tag v$version" >&2
  exit 1
fi
echo "tag $tag is the crate's version" >&2
