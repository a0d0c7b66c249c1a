#!/usr/bin/env bash
# Runs a command with gnome-keyring's Secret Service unlocked on the current D-Bus session
# (call it under dbus-run-session). The keyring lives in a throw-away HOME-independent directory.
set -euo pipefail
keyring_home=$(mktemp -d /tmp/kvdesk-keyring-XXXXXX)
trap 'kill "${GNOME_KEYRING_PID:-}" 2>/dev/null || true; rm -rf "$keyring_home"' EXIT
export XDG_DATA_HOME=$keyring_home/data XDG_RUNTIME_DIR=$keyring_home/run
mkdir -p "$XDG_DATA_HOME" "$XDG_RUNTIME_DIR"
chmod 700 "$XDG_RUNTIME_DIR"
# A password on stdin creates the login keyring (the default collection) and unlocks it; with an
# empty one gnome-keyring would prompt instead, and there is no display to prompt on.
eval "$(printf 'kvdesk-test' | gnome-keyring-daemon --unlock --components=secrets)"
export GNOME_KEYRING_CONTROL GNOME_KEYRING_PID
"$@"
