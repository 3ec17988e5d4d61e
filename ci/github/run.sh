#!/usr/bin/env bash
# Runs maestro for the GitHub Action (action.yml). Each action input arrives as
# MAESTRO_INPUT_<VARIABLE>; a non-empty one sets <VARIABLE>, so inputs beat the job's `env:`,
# while an input left empty keeps what the job's `env:` set.
set -euo pipefail
while IFS= read -r name; do
  value="${!name}"
  if [ -n "$value" ]; then
    export "${name#MAESTRO_INPUT_}=$value"
  fi
  unset "$name"
done < <(compgen -v MAESTRO_INPUT_ || true)

command="${MAESTRO_COMMAND:-deploy}"
case "$command" in
  deploy | stop) ;;
  *) echo "::error title=maestro::the action's command is deploy or stop, not '$command'" >&2; exit 2 ;;
esac
app="${MAESTRO_APP_DIR:-.}"
# pack (about 20 MB) is fetched only when this run will build: a re-run, a rollback or a
# promotion of a commit already built never downloads it. When the check itself fails, pack is
# installed anyway, and the deploy that follows reports the failure where the user looks for it.
skip_build="$(echo "${MAESTRO_SKIP_BUILD:-false}" | tr '[:upper:]' '[:lower:]')"
if [ "$command" = deploy ] && [ "$skip_build" != true ] && ! command -v pack >/dev/null; then
  if answer="$(maestro build --check --output json --app "$app" 2>/dev/null)"; then
    needed="$(echo "$answer" | sed -n 's/^ *"needed": *\(true\|false\).*/\1/p')"
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
exec maestro "$command" --app "$app"
