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
exec maestro "${MAESTRO_COMMAND:-deploy}" --app "${MAESTRO_APP_DIR:-.}"
