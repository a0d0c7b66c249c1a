#!/usr/bin/env bash
# Command 1 of the README: installs what is missing, builds, and starts kvdesk. With no server given it
# opens the app-owned local nats-server (127.0.0.1, store in the user's data folder).
# Any arguments go to kvdesk, e.g. scripts/run-app.sh --server nats://demo.nats.io:4222
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
"$top/scripts/install-deps.sh" app
"$top/scripts/build.sh"
build=${KVDESK_BUILD_DIR:-$top/build}
if [[ $# -eq 0 ]]; then
    exec "$build/ui/kvdesk" --local
fi
exec "$build/ui/kvdesk" "$@"
