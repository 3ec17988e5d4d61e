#!/usr/bin/env bash
# Installs a tool for the GitHub Action (action.yml), verified by its SHA-256 and kept in the
# runner's tool cache:
#   install.sh maestro  the released static binary for this runner, checked against the
#                       release's SHA256SUMS (the action's first step);
#   install.sh pack     a pinned pack, checked against PACK_SHA256 or its .sha256 file; run.sh
#                       calls it only when the commit's image is missing. Prints pack's folder.
#
# Inputs (environment): MAESTRO_VERSION (a tag such as v1.2.3; default: this checkout's
# Cargo.toml version), MAESTRO_DOWNLOAD_URL (where releases live), PACK_VERSION,
# PACK_DOWNLOAD_URL, PACK_SHA256 (pin pack's checksum instead of trusting its .sha256 file).
set -euo pipefail

action_dir="$(cd "$(dirname "$0")/../.." && pwd)"
fail() { echo "::error title=maestro install::$*" >&2; exit 1; }
tool="${1:-maestro}"
case "$tool" in
  maestro | pack) ;;
  *) fail "install.sh installs maestro or pack, not '$tool'" ;;
esac

version="${MAESTRO_VERSION:-}"
if [ -z "$version" ]; then
  version="v$(sed -n 's/^version = "\(.*\)"$/\1/p' "$action_dir/Cargo.toml" | head -n 1)"
fi
[ "$version" != "v" ] || fail "cannot tell which maestro version to install; set the action's 'version' input"
base="${MAESTRO_DOWNLOAD_URL:-https://github.com/veezor/maestro/releases/download}"

os="${RUNNER_OS:-$(uname -s)}"
arch="${RUNNER_ARCH:-$(uname -m)}"
case "$os/$arch" in
  Linux/X64 | Linux/x86_64) target=x86_64-unknown-linux-musl; pack_platform=linux ;;
  Linux/ARM64 | Linux/aarch64) target=aarch64-unknown-linux-musl; pack_platform=linux-arm64 ;;
  macOS/ARM64 | Darwin/arm64) target=aarch64-apple-darwin; pack_platform=macos-arm64 ;;
  *) fail "no maestro build for $os/$arch (there are Linux x86_64 and arm64, and macOS arm64)" ;;
esac

sha256() {
  if command -v sha256sum >/dev/null; then sha256sum "$1" | cut -d' ' -f1; else shasum -a 256 "$1" | cut -d' ' -f1; fi
}

download() {
  curl --fail --silent --show-error --location --retry 3 --retry-delay 2 --output "$2" "$1" \
    || fail "could not download $1"
}

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

# install_verified <url> <expected sha256> <program> <cache dir>: downloads the archive at <url>, refuses
# it unless its SHA-256 is the expected one, and puts <program> from it into <cache dir>.
install_verified() {
  local url="$1" expected="$2" program="$3" cache_dir="$4" asset
  asset="$(basename "$url")"
  download "$url" "$work/$asset"
  local actual
  actual="$(sha256 "$work/$asset")"
  [ "$actual" = "$expected" ] || fail "$asset does not match its checksum (expected $expected, got $actual): refusing to install it"
  mkdir -p "$work/unpacked-$program"
  tar -xzf "$work/$asset" -C "$work/unpacked-$program"
  [ -f "$work/unpacked-$program/$program" ] || fail "$asset holds no $program"
  mkdir -p "$cache_dir"
  install -m 0755 "$work/unpacked-$program/$program" "$cache_dir/$program"
  echo "$cache_dir" >> "${GITHUB_PATH:-/dev/null}"
}

tool_cache="${RUNNER_TOOL_CACHE:-${RUNNER_TEMP:-/tmp}}"

install_pack() {
  if command -v pack >/dev/null; then
    echo "pack is already installed: $(command -v pack)" >&2
    dirname "$(command -v pack)"
    return
  fi
  local pack_version pack_base pack_cache asset expected
  pack_version="${PACK_VERSION:-0.39.1}"
  pack_base="${PACK_DOWNLOAD_URL:-https://github.com/buildpacks/pack/releases/download}/v$pack_version"
  pack_cache="$tool_cache/pack/$pack_version/$pack_platform"
  if [ -x "$pack_cache/pack" ]; then
    echo "pack $pack_version from the tool cache" >&2
    echo "$pack_cache" >> "${GITHUB_PATH:-/dev/null}"
  else
    asset="pack-v$pack_version-$pack_platform.tgz"
    expected="${PACK_SHA256:-}"
    if [ -z "$expected" ]; then
      download "$pack_base/$asset.sha256" "$work/$asset.sha256"
      expected="$(cut -d' ' -f1 < "$work/$asset.sha256")"
    fi
    install_verified "$pack_base/$asset" "$expected" pack "$pack_cache"
    echo "installed pack $pack_version" >&2
  fi
  echo "$pack_cache"
}

if [ "$tool" = pack ]; then
  install_pack
  exit 0
fi

cache="$tool_cache/maestro/$version/$target"
if [ -x "$cache/maestro" ]; then
  echo "maestro $version ($target) from the tool cache" >&2
  echo "$cache" >> "${GITHUB_PATH:-/dev/null}"
else
  asset="maestro-$target.tar.gz"
  download "$base/$version/SHA256SUMS" "$work/SHA256SUMS"
  expected="$(awk -v asset="$asset" '$2 == asset || $2 == "*" asset { print $1 }' "$work/SHA256SUMS")"
  [ -n "$expected" ] || fail "SHA256SUMS of $version lists no $asset"
  install_verified "$base/$version/$asset" "$expected" maestro "$cache"
  echo "installed maestro $version ($target)" >&2
fi

