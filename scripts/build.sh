#!/usr/bin/env bash
# Configures and builds kvdesk into ./build (or $KVDESK_BUILD_DIR). Arguments are CMake cache settings
# for the configure step (e.g. -DBUILD_TESTING=OFF); $KVDESK_BUILD_TARGETS limits what is built.
# ccache is used when it is installed.
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
build=${KVDESK_BUILD_DIR:-$top/build}
args=("$@")
if [[ ! -f $build/CMakeCache.txt ]]; then
    args=(-G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo "${args[@]}")
    if command -v ccache >/dev/null; then args+=(-DCMAKE_CXX_COMPILER_LAUNCHER=ccache); fi
fi
if [[ ! -f $build/CMakeCache.txt || ${#args[@]} -gt 0 ]]; then
    cmake -S "$top" -B "$build" "${args[@]}" >/dev/null
fi
targets=()
for target in ${KVDESK_BUILD_TARGETS:-}; do targets+=(--target "$target"); done
cmake --build "$build" -j"$(nproc)" "${targets[@]}"
