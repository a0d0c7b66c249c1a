#!/usr/bin/env bash
# Command 2 of the README (and CI): installs what is missing, builds, and runs the whole test suite
# through CTest, inside a private D-Bus session with an unlocked gnome-keyring (the real Secret Service
# the keychain tests use). Extra arguments go to ctest, e.g. scripts/test.sh -R kvbucket
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
"$top/scripts/install-deps.sh" test
"$top/scripts/build.sh"
build=${KVDESK_BUILD_DIR:-$top/build}
export KVDESK_CTEST_ARGS="$*"
exec dbus-run-session -- "$top/scripts/with-keyring.sh" \
    ctest --test-dir "$build" --output-on-failure --timeout 600 -j2 "$@"
