#!/usr/bin/env bash
# Installs a tool for the GitHub Action (action.yml), verified by a SHA-256 this action pins, and
# kept in the runner's tool cache:
#   install.sh maestro  the released static binary for this runner, checked against
#                       ci/github/checksums/<version>.sha256, committed to this repository by the
#                       release workflow at the tag: `@v1.2.3` pins the bytes it installs (the
#                       release's own SHA256SUMS, served next to the binaries, is not trusted);
#   install.sh pack     a pinned pack, checked against the checksum pinned below for its platform
#                       (or PACK_SHA256); run.sh calls it only when the commit's image is missing.
#                       Prints pack's folder.
# The tool cache is shared between jobs on self-hosted runners, so it is not trusted either: it
# keeps the verified archive, and every run checks that archive again and unpacks the program
# from it, whatever the cache held before.
#
# On a laptop, the same script installs maestro when piped to bash from the tag it names (the
# README's one-line install, from raw.githubusercontent.com/veezor/maestro/v1). It then reads the version and the pinned checksums from that same tag (MAESTRO_SOURCE_URL), so
# the bytes are vouched for by what the script came from, as in the action, and puts the binary in
# MAESTRO_INSTALL_DIR (default ~/.local/bin).
#
# Inputs (environment): MAESTRO_VERSION (a tag such as v1.2.3; default: this checkout's
# Cargo.toml version), MAESTRO_DOWNLOAD_URL (where releases live), PACK_VERSION,
# PACK_DOWNLOAD_URL, PACK_SHA256 (the checksum of another pack version), MAESTRO_SOURCE_URL and
# MAESTRO_INSTALL_DIR (piped only).
set -euo pipefail

on_github=false
[ "${GITHUB_ACTIONS:-}" = true ] && on_github=true
fail() {
  if $on_github; then echo "::error title=maestro install::$*" >&2; else echo "error: $*" >&2; fi
  exit 1
}
# Run from the action's checkout, or on its own (piped, or downloaded alone): the version and the
# checksums then come from the tag.
action_dir=""
if [ -n "${BASH_SOURCE[0]:-}" ] && [ -f "$(dirname "${BASH_SOURCE[0]}")/../../action.yml" ]; then
  action_dir="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
fi
source_url="${MAESTRO_SOURCE_URL:-https://raw.githubusercontent.com/veezor/maestro/v1}"
tool="${1:-maestro}"
case "$tool" in
  maestro | pack) ;;
  *) fail "install.sh installs maestro or pack, not '$tool'" ;;
esac

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

# HTTPS only, TLS 1.2 at least, redirects included. A download URL on the runner's own loopback
# (a local mirror, or the tests' server) may be plain HTTP: it crosses no network, and the pinned
# checksum, not the transport, is what vouches for the bytes.
download() {
  local protocols="=https"
  case "$1" in
    http://127.0.0.1:* | http://localhost:*) protocols="=http,https" ;;
  esac
  curl --proto "$protocols" --proto-redir =https --tlsv1.2 --fail --silent --show-error --location \
    --retry 3 --retry-delay 2 --output "$2" "$1" \
    || fail "could not download $1"
}

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

# The action's own files, or the same files of the tag the piped script came from.
if [ -z "$action_dir" ]; then
  action_dir="$work/source"
  mkdir -p "$action_dir/ci/github/checksums"
  download "$source_url/Cargo.toml" "$action_dir/Cargo.toml"
fi

version="${MAESTRO_VERSION:-}"
if [ -z "$version" ]; then
  version="v$(sed -n 's/^version = "\(.*\)"$/\1/p' "$action_dir/Cargo.toml" | head -n 1)"
fi
[ "$version" != "v" ] || fail "cannot tell which maestro version to install; set the action's 'version' input"
# A major (`v1`) or a minor (`v1.4`) names the newest release of it that this action pins: releases
# are published per full tag only, so `v1` itself has no assets (a 404 before).
if [[ "$version" =~ ^v[0-9]+(\.[0-9]+)?$ ]]; then
  [ "$action_dir" != "$work/source" ] \
    || fail "maestro $version is a series, not a release: set MAESTRO_VERSION to a full version such as ${version}.0, or leave it empty for the newest"
  series="$version"
  version="$(find "$action_dir/ci/github/checksums" -maxdepth 1 -name 'v*.sha256' 2>/dev/null \
    | sed -n "s|^.*/\(${series//./\\.}\.[0-9][0-9.]*\)\.sha256$|\1|p" | sort -V | tail -n 1)"
  [ -n "$version" ] || fail "this action pins no release of maestro $series (ci/github/checksums/): use the action at a newer tag"
  echo "maestro $series: $version, the newest release of it this action pins" >&2
fi

# install_verified <url> <expected sha256> <program> <cache dir>: puts <program> from the archive at
# <url> into <cache dir>, refusing an archive whose SHA-256 is not the expected one. A cached archive
# that still matches saves the download; one that does not (or a cached program alone) is replaced.
install_verified() {
  local url="$1" expected="$2" program="$3" cache_dir="$4" asset archive actual
  asset="$(basename "$url")"
  archive="$cache_dir/$asset"
  if [ -f "$archive" ] && [ "$(sha256 "$archive")" = "$expected" ]; then
    echo "$program: $asset from the tool cache, checksum verified" >&2
  else
    download "$url" "$work/$asset"
    actual="$(sha256 "$work/$asset")"
    [ "$actual" = "$expected" ] || fail "$asset does not match its pinned checksum (expected $expected, got $actual): refusing to install it"
    archive="$work/$asset"
  fi
  mkdir -p "$work/unpacked-$program"
  tar -xzf "$archive" -C "$work/unpacked-$program"
  [ -f "$work/unpacked-$program/$program" ] || fail "$asset holds no $program"
  mkdir -p "$cache_dir"
  if [ "$archive" != "$cache_dir/$asset" ]; then cp "$archive" "$cache_dir/$asset.partial" && mv -f "$cache_dir/$asset.partial" "$cache_dir/$asset"; fi
  # Always unpacked again: a program planted in the cache never runs.
  rm -f "$cache_dir/$program"
  install -m 0755 "$work/unpacked-$program/$program" "$cache_dir/$program"
  echo "$cache_dir" >> "${GITHUB_PATH:-/dev/null}"
}

tool_cache="${RUNNER_TOOL_CACHE:-${RUNNER_TEMP:-${XDG_CACHE_HOME:-${HOME:-/tmp}/.cache}}}"

# pack's SHA-256 per release asset, pinned here so that a changed asset (and its .sha256 file next to
# it) is refused. The values are those of pack's releases
# (https://github.com/buildpacks/pack/releases/tag/v0.39.1, the `<asset>.sha256` files), as also
# recorded by Hermit's package manifest for pack (cashapp/hermit-packages, pack.hcl).
pinned_pack_sha256() {
  case "$1" in
    0.39.1/linux) echo 77109791ec8ad73749bc9efc5ecd3905f49175a5071c50e4be59840041ee4b42 ;;
    0.39.1/linux-arm64) echo 6ffe978d5fe59ecc17ed685f51da35b7d6a003aeaa3676e831e7aeeb0ddd09c8 ;;
    0.39.1/macos-arm64) echo 56a4cf47deb0fe15f56673e36a8021bb5f5a4731adc09ef8261d998568053765 ;;
  esac
}

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
  asset="pack-v$pack_version-$pack_platform.tgz"
  expected="${PACK_SHA256:-$(pinned_pack_sha256 "$pack_version/$pack_platform")}"
  [ -n "$expected" ] || fail "no checksum is pinned for pack $pack_version ($pack_platform): set PACK_SHA256 to the SHA-256 of $asset"
  install_verified "$pack_base/$asset" "$expected" pack "$pack_cache"
  echo "pack $pack_version ready" >&2
  echo "$pack_cache"
}

if [ "$tool" = pack ]; then
  install_pack
  exit 0
fi

checksums="$action_dir/ci/github/checksums/$version.sha256"
if [ "$action_dir" = "$work/source" ]; then
  download "$source_url/ci/github/checksums/$version.sha256" "$checksums"
fi
[ -f "$checksums" ] \
  || fail "this action pins no checksums for maestro $version (ci/github/checksums/$version.sha256): use the action at @$version, or leave 'version' empty to run the action's own release"
asset="maestro-$target.tar.gz"
expected="$(awk -v asset="$asset" '$2 == asset || $2 == "*" asset { print $1 }' "$checksums")"
[ -n "$expected" ] || fail "ci/github/checksums/$version.sha256 lists no $asset"
install_verified "$base/$version/$asset" "$expected" maestro "$tool_cache/maestro/$version/$target"
echo "maestro $version ($target) ready" >&2
if [ "$action_dir" = "$work/source" ]; then
  [ -n "${MAESTRO_INSTALL_DIR:-}${HOME:-}" ] || fail "set MAESTRO_INSTALL_DIR (or HOME) to say where to install maestro"
  install_dir="${MAESTRO_INSTALL_DIR:-$HOME/.local/bin}"
  mkdir -p "$install_dir"
  install -m 0755 "$tool_cache/maestro/$version/$target/maestro" "$install_dir/maestro"
  echo "installed $install_dir/maestro" >&2
  case ":$PATH:" in
    *":$install_dir:"*) ;;
    *) echo "add $install_dir to PATH to run it as \`maestro\`" >&2 ;;
  esac
fi
