#!/usr/bin/env bash
# Command 1 of the README: installs what is missing, builds, and starts kvdesk. With no server given it
# opens the app-owned local nats-server (127.0.0.1, store in the user's data folder).
# Any arguments go to kvdesk, e.g. scripts/run-app.sh --server nats://demo.nats.io:4222
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
"$top/scripts/install-deps.sh" app
build=${KVDESK_BUILD_DIR:-$top/build}
# The app alone: the tests and benchmarks need the test packages (scripts/test.sh installs those). A
# build folder the test command already set up keeps its tests.
if [[ -f $build/CMakeCache.txt ]]; then
    KVDESK_BUILD_TARGETS="kvdesk kvdesk-cli" "$top/scripts/build.sh"
else
    "$top/scripts/build.sh" -DBUILD_TESTING=OFF -DKVDESK_BUILD_BENCH=OFF
fi
if [[ $# -eq 0 ]]; then
    exec "$build/ui/kvdesk" --local
fi
exec "$build/ui/kvdesk" "$@"
