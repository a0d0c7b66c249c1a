#!/usr/bin/env bash
# Command 2 of the README (and CI): installs what is missing, fetches the newer nats-server releases
# the suite also runs against (Debian 13's 2.10 and sid's newest, unpacked into a cache folder, nothing
# installed), builds, and runs the whole test suite through CTest, inside a private D-Bus session with
# an unlocked gnome-keyring (the real Secret Service the keychain tests use). Every test that talks to
# a server runs once per server (labels server-2.9, server-2.10, server-newest).
# Extra arguments go to ctest, e.g. scripts/test.sh -R kvbucket, or scripts/test.sh -L server-newest
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
"$top/scripts/install-deps.sh" test
servers="2.9=$(command -v nats-server || echo /usr/sbin/nats-server)"
while read -r label program; do
    servers+=";$label=$program"
done < <("$top/scripts/fetch-nats-servers.sh")
"$top/scripts/build.sh" -DBUILD_TESTING=ON -DKVDESK_BUILD_BENCH=ON -DKVDESK_WERROR=ON "-DKVDESK_NATS_SERVERS=$servers"
build=${KVDESK_BUILD_DIR:-$top/build}
export KVDESK_CTEST_ARGS="$*"
exec dbus-run-session -- "$top/scripts/with-keyring.sh" \
    ctest --test-dir "$build" --output-on-failure --timeout 600 -j2 "$@"
