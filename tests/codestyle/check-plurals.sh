#!/usr/bin/env bash
# No "(s)" in a user-visible string: "1 key(s)", "8 changed line(s)" read as a program talking. Qt's %n
# picks a plural only with a translation loaded, and kvdesk ships none, so a count says "1 key" or
# "2 keys" by itself (a string for one and one for more). Checks tr("…") and QStringLiteral/u"…"_s text
# in src/ and ui/; with --selftest, shows that the check can fail.
set -uo pipefail
top=${1:?usage: check-plurals.sh SOURCE_DIR | --selftest}
if [[ $top == --selftest ]]; then
    tree=$(mktemp -d)
    trap 'rm -rf "$tree"' EXIT
    mkdir -p "$tree/src/kv" "$tree/ui"
    printf 'QString a() { return tr("%%n key", nullptr, 1); }\n' > "$tree/ui/a.cpp"
    "$0" "$tree" >/dev/null || { echo "selftest: a clean tree was refused"; exit 1; }
    printf 'QString b() { return tr("%%n key(s)", nullptr, n); }\n' > "$tree/src/kv/b.cpp"
    if "$0" "$tree" >/dev/null; then
        echo "selftest: a \"(s)\" plural was accepted"
        exit 1
    fi
    echo "selftest: ok"
    exit 0
fi
found=$(grep -rnE '"[^"]*[a-z]\(s\)[^"]*"' --include='*.cpp' --include='*.h' "$top/src" "$top/ui")
if [[ -n $found ]]; then
    echo "Strings with \"(s)\" plurals (say one or many instead):"
    echo "$found"
    exit 1
fi
echo "no \"(s)\" plurals"
