#!/usr/bin/env bash
# Starts a Docker daemon when none answers (CodeBuild's privileged mode, GitLab's docker:dind
# service is already one), waits until it does, then runs the command: `dockerd-entrypoint.sh
# main.sh`, as the bash maestro's buildspec had it.
set -euo pipefail

socket="${DOCKER_HOST:-unix:///var/run/docker.sock}"
if [ "$socket" = "unix:///var/run/docker.sock" ] && ! docker info >/dev/null 2>&1; then
  if [ "$(id -u)" = 0 ]; then
    echo "starting the Docker daemon" >&2
    nohup dockerd --host=unix:///var/run/docker.sock >/var/log/dockerd.log 2>&1 &
    for _ in $(seq 1 60); do
      docker info >/dev/null 2>&1 && break
      sleep 0.5
    done
    docker info >/dev/null 2>&1 || {
      echo "the Docker daemon did not start (CodeBuild needs privileged mode); see /var/log/dockerd.log" >&2
      tail -n 20 /var/log/dockerd.log >&2 || true
    }
  fi
fi
if [ "$#" -eq 0 ]; then
  set -- main.sh
fi
exec "$@"
