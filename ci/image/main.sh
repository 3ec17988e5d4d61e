#!/usr/bin/env bash
# The bash maestro's entry point, kept for its buildspecs: build when needed, then deploy the
# checkout in CODEBUILD_SRC_DIR (or the current folder). Extra arguments go to `maestro deploy`.
set -euo pipefail
exec maestro deploy --app "${CODEBUILD_SRC_DIR:-.}" "$@"
