#!/usr/bin/env bash
# Configures and builds kvdesk into ./build (or $KVDESK_BUILD_DIR).
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
build=${KVDESK_BUILD_DIR:-$top/build}
if [[ ! -f $build/CMakeCache.txt ]]; then
    cmake -S "$top" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
fi
cmake --build "$build" -j"$(nproc)"
