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
# pack (about 20 MB) is fetched only when this run will build: a re-run, a rollback or a
# promotion of a commit already built never downloads it. When the check itself fails, pack is
# installed anyway, and the deploy that follows reports the failure where the user looks for it.
# The one setting read here, by maestro's rule: the `skip-build` input, else the job's variable.
skip_build="$(echo "${MAESTRO_INPUT_MAESTRO_SKIP_BUILD:-${MAESTRO_SKIP_BUILD:-false}}" | tr '[:upper:]' '[:lower:]')"
if [ "$command" = test ] && ! command -v pack >/dev/null; then
  # `maestro test` builds the commit's test image with pack (docs/test-phase.md).
  PATH="$("$(dirname "$0")/install.sh" pack):$PATH"
  export PATH
elif [ "$command" = deploy ] && [ "$skip_build" != true ] && ! command -v pack >/dev/null; then
  if answer="$(maestro build --check --output json --app "$app" 2>/dev/null)"; then
    # The answer's top-level `needed`, read whatever the JSON's layout: without its whitespace,
    # `"needed":` can only be that key (the image and its digest hold no `"`).
    needed="$(printf '%s' "$answer" | tr -d '[:space:]' | grep -oE '"needed":(true|false)' | cut -d: -f2 || true)"
    # The test phase (docs/test-phase.md) builds its test image with pack too.
    if printf '%s' "$answer" | tr -d '[:space:]' | grep -qE '"tests":true'; then
      needed=true
    fi
  else
    echo "could not tell whether a build is needed: installing pack" >&2
    needed=true
  fi
  if [ "$needed" = true ]; then
    PATH="$("$(dirname "$0")/install.sh" pack):$PATH"
    export PATH
  else
    echo "the commit's image exists: pack is not needed" >&2
  fi
fi
exec maestro "$@" --app "$app"
