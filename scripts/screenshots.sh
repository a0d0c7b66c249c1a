#!/usr/bin/env bash
# Takes the README's screenshots: builds kvdesk-screenshots and runs it under a private Xvfb with the
# real xcb platform, writing PNGs to docs/screenshots (or the directory given).
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
out=${1:-$top/docs/screenshots}
"$top/scripts/install-deps.sh" test
"$top/scripts/build.sh" >/dev/null
build=${KVDESK_BUILD_DIR:-$top/build}
mkdir -p "$out"
QT_QPA_PLATFORM=xcb xvfb-run -a -s "-screen 0 1400x900x24" "$build/tests/kvdesk-screenshots" "$out"
