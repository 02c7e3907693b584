#!/bin/sh
# Container entrypoint: prepare the prometheus-client multiprocess folder, then exec the command.
#
# prometheus-client's multiprocess mode keeps one file per worker process in
# PROMETHEUS_MULTIPROC_DIR. Files left by a previous run of the container (a restart keeps
# an emptyDir volume) would be summed into /metrics, so the folder is emptied before start.
set -eu
if [ -n "${PROMETHEUS_MULTIPROC_DIR:-}" ]; then
    mkdir -p "$PROMETHEUS_MULTIPROC_DIR"
    find "$PROMETHEUS_MULTIPROC_DIR" -mindepth 1 -maxdepth 1 -name '*.db' -delete
fi
exec "$@"
