#!/usr/bin/env bash
# The library (src/) logs only through kvCDebug()/kvCWarning() (natslogging.h): a process that mutes it
# (kvdesk-cli) must never touch a logging category, or Qt loads its logging rules for lines nobody sees.
# So no qDebug, qWarning, qInfo, qCritical or their qC* forms in src/ outside natslogging.h; the window
# (ui/) logs as Qt does. With --selftest, shows that the check can fail.
set -uo pipefail
top=${1:?usage: check-logging.sh SOURCE_DIR | --selftest}
if [[ $top == --selftest ]]; then
    tree=$(mktemp -d)
    trap 'rm -rf "$tree"' EXIT
    mkdir -p "$tree/src/nats" "$tree/ui"
    printf 'void a() { kvCDebug(lcKv) << "x"; qWarning() << "ui may"; }\n' > "$tree/ui/a.cpp"
    printf 'void b() { kvCWarning(lcKv) << "y"; }\n' > "$tree/src/nats/b.cpp"
    "$0" "$tree" >/dev/null || { echo "selftest: a clean tree was refused"; exit 1; }
    printf 'void c() { qCDebug(lcKv) << "z"; }\n' > "$tree/src/nats/c.cpp"
    if "$0" "$tree" >/dev/null; then
        echo "selftest: a qCDebug in src/ was accepted"
        exit 1
    fi
    echo "selftest: ok"
    exit 0
fi
[[ -d $top/src ]] || { echo "no src/ in $top"; exit 2; }
found=$(grep -rnE '\bqC?(Debug|Info|Warning|Critical)\(' --include='*.cpp' --include='*.h' "$top/src" \
    | grep -v '/natslogging\.h:')
if [[ -n $found ]]; then
    echo "Log lines in src/ that bypass kvCDebug()/kvCWarning() (a muted process would touch a category):"
    echo "$found"
    exit 1
fi
echo "src/ logs through kvCDebug()/kvCWarning() only"
