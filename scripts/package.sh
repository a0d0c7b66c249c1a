#!/usr/bin/env bash
# Builds the Debian packages with CPack from the build tree (./build, or $KVDESK_BUILD_DIR) into
# build/packages (or $KVDESK_PACKAGE_DIR) and prints the path of each .deb it made, one per line: kvdesk (the desktop app) and kvdesk-cli (the command
# line, which needs no desktop). Without a build tree it configures one (no tests, no benchmarks); it
# builds what the packages hold if that is not up to date (nothing else), then packages it.
# Works as root and as a normal user (no fakeroot needed: CPack writes the files as root-owned).
# Usage: scripts/package.sh            then e.g. sudo apt-get install ./build/packages/*.deb
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
build=${KVDESK_BUILD_DIR:-$top/build}
"$top/scripts/install-deps.sh" app
if [[ ! -f $build/CMakeCache.txt ]]; then
    KVDESK_BUILD_DIR=$build KVDESK_BUILD_TARGETS=kvdesk_packaged \
        "$top/scripts/build.sh" -DBUILD_TESTING=OFF -DKVDESK_BUILD_BENCH=OFF >&2
fi
cmake --build "$build" --target kvdesk_packaged >&2
out=${KVDESK_PACKAGE_DIR:-$build/packages}
mkdir -p "$out"
log=$out/cpack.log
if ! cpack --config "$build/CPackConfig.cmake" -G DEB -B "$out" > "$log" 2>&1; then
    cat "$log" >&2
    echo "package: cpack failed (log: $log)" >&2
    exit 1
fi
# CPack names each package it generated: "CPack: - package: /path/kvdesk_0.1.0-1_amd64.deb generated."
debs=$(sed -n 's/^CPack: - package: \(.*\.deb\) generated\.$/\1/p' "$log")
[[ -n $debs ]] || { cat "$log" >&2; echo "package: cpack made no .deb" >&2; exit 1; }
echo "$debs"
