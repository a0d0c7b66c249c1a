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
# The newest nats-server, so the pictures show what it adds (per-key TTLs, limit markers).
servers=$("$top/scripts/fetch-nats-servers.sh")
newest=$(awk '$1 == "newest" {print $2}' <<<"$servers")
shots() { QT_QPA_PLATFORM=xcb xvfb-run -a -s "-screen 0 1400x900x24" "$build/tests/kvdesk-screenshots" "$out" "$@"; }
KVDESK_NATS_SERVER=${KVDESK_NATS_SERVER:-$newest} shots
# Every one of them again in the app's dark theme (*-dark.png).
KVDESK_NATS_SERVER=${KVDESK_NATS_SERVER:-$newest} shots --dark --every
# The New Bucket dialog as 2.9 and 2.10 offer it: what they lack disabled, saying why.
KVDESK_NATS_SERVER=/usr/sbin/nats-server shots --bucket-dialog
KVDESK_NATS_SERVER=$(awk '$1 == "2.10" {print $2}' <<<"$servers") shots --bucket-dialog
