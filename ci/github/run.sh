#!/usr/bin/env bash
# Runs maestro for the GitHub Action (action.yml). The action passes each input as
# MAESTRO_INPUT_<VARIABLE>, and maestro itself reads it as that variable's action-input layer: a
# non-empty input beats the job's `env:`, an input left empty keeps it (docs/inputs.md, "Where
# values come from"). This script maps nothing.
set -euo pipefail

command="${MAESTRO_COMMAND:-deploy}"
case "$command" in
  deploy | test | stop | restart | rollback | abort | continue | run | destroy) set -- "$command" ;;
  # `maestro previews list|prune`: one word each for the action's input.
  previews-list | previews-prune) set -- previews "${command#previews-}" ;;
  *) echo "::error title=maestro::the action's command is deploy, test, stop, restart, rollback, abort, continue, run, destroy, previews-list or previews-prune, not '$command'" >&2; exit 2 ;;
esac
app="${MAESTRO_APP_DIR:-.}"
# pack (about 20 MB) is fetched only when this run will build with it: a re-run, a rollback or a
# promotion of a commit already built never downloads it, nor does a Dockerfile build (docker
# and buildx come with GitHub's runners) or an image built elsewhere (MAESTRO_IMAGE). When the
# check itself fails, pack is installed anyway, and the deploy that follows reports the failure
# where the user looks for it.
# The one setting read here, by maestro's rule: the `skip-build` input, else the job's variable.
skip_build="$(echo "${MAESTRO_INPUT_MAESTRO_SKIP_BUILD:-${MAESTRO_SKIP_BUILD:-false}}" | tr '[:upper:]' '[:lower:]')"
if [ "$command" = test ] && ! command -v pack >/dev/null; then
  # `maestro test` builds the commit's test image with pack (docs/test-phase.md).
  PATH="$("$(dirname "$0")/install.sh" pack):$PATH"
  export PATH
elif [ "$command" = deploy ] && [ "$skip_build" != true ] && ! command -v pack >/dev/null; then
  if answer="$(maestro build --check --output json --app "$app" 2>/dev/null)"; then
    # The answer's top-level `needed` and `tool`, read whatever the JSON's layout: without its
    # whitespace, `"needed":` and `"tool":` can only be those keys (the image and its digest
    # hold no `"`).
    compact="$(printf '%s' "$answer" | tr -d '[:space:]')"
    needed="$(printf '%s' "$compact" | grep -oE '"needed":(true|false)' | cut -d: -f2 || true)"
    tool="$(printf '%s' "$compact" | grep -oE '"tool":("[a-z]+"|null)' | cut -d: -f2 | tr -d '"' || true)"
    # The test phase (docs/test-phase.md) builds its test image with the build's tool too, even
    # when the commit's image exists (pack, unless the answer names docker).
    if printf '%s' "$compact" | grep -qE '"tests":true'; then
      needed=true
      [ "$tool" = docker ] || tool=pack
    fi
  else
    echo "could not tell whether a build is needed: installing pack" >&2
    needed=true
    tool=pack
  fi
  # No `tool` in the answer: a maestro from before Dockerfile builds, which builds with pack.
  if [ "$needed" = true ] && [ "${tool:-pack}" = pack ]; then
    PATH="$("$(dirname "$0")/install.sh" pack):$PATH"
    export PATH
  elif [ "$needed" = true ]; then
    echo "the image is built with $tool: pack is not needed" >&2
  else
    echo "no build is needed: pack is not needed" >&2
  fi
fi
exec maestro "$@" --app "$app"
