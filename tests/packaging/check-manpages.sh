#!/usr/bin/env bash
# Keeps the manual pages in step with the programs: every command, alias and option that
# `kvdesk-cli --help` and `kvdesk-cli COMMAND --help` list must appear in kvdesk-cli(1), and every
# option of `kvdesk --help` in kvdesk(1); groff must format both without a warning. Then it shows that
# the check can fail: a copy of kvdesk-cli(1) without the lines that name --revision is refused.
# Usage: check-manpages.sh KVDESK-CLI KVDESK MAN-DIR   (MAN-DIR holds kvdesk-cli.1 and kvdesk.1;
#        KVDESK "-" when the app is not built: kvdesk-cli(1) only)
set -uo pipefail
cli=$1 app=$2 mandir=$3
here=$(cd "$(dirname "$0")" && pwd)
source "$here/helplists.sh"
export QT_QPA_PLATFORM=offscreen LC_ALL=C.UTF-8
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

render() { # the page as plain text, one paragraph a line, no hyphenation
    groff -man -Tascii -rLL=400n -rHY=0 -P-cbou "$1" 2>/dev/null
}

# Whether $text has $1 as a whole token (not part of a longer option or word).
has_token() {
    local pattern="(^|[^A-Za-z0-9_-])${1//\?/\\?}([^A-Za-z0-9_-]|\$)"
    [[ $text =~ $pattern ]]
}

# Prints one line per command, alias or option of kvdesk-cli that page $1 does not mention.
missing_cli() {
    local text command option alias
    text=$(render "$1")
    for option in $(cat "$help/global"); do
        has_token "$option" || echo "kvdesk-cli(1) lacks the global option $option"
    done
    for command in $(cat "$help/commands"); do
        # Each command has its own entry, a line that starts with it.
        grep -qE "^ +${command}( |\$)" <<< "$text" || echo "kvdesk-cli(1) has no entry for the command $command"
        for alias in $(cat "$help/$command.aliases"); do
            has_token "$alias" || echo "kvdesk-cli(1) lacks $alias, the alias of $command"
        done
        for option in $(cat "$help/$command.options"); do
            has_token "$option" || echo "kvdesk-cli(1) lacks $option of the command $command"
        done
    done
}

missing_app() {
    local text option
    text=$(render "$1")
    for option in $(cat "$help/app.options"); do
        has_token "$option" || echo "kvdesk(1) lacks the option $option"
    done
}

help=$tmp/help
collect_help "$cli" "$help" || { echo "FAIL: $cli --help failed"; exit 1; }
pages=("$mandir/kvdesk-cli.1")
if [[ $app == - ]]; then
    : > "$help/app.options"
else
    "$app" --help 2>/dev/null | help_options > "$help/app.options"
    pages+=("$mandir/kvdesk.1")
fi

failures=0
for page in "${pages[@]}"; do
    [[ -s $page ]] || { echo "FAIL: no manual page $page"; failures=1; continue; }
    warnings=$(groff -man -ww -z -Tutf8 "$page" 2>&1)
    [[ -z $warnings ]] || { echo "FAIL: groff warns about $page:"; echo "$warnings"; failures=1; }
done
[[ $(wc -l < "$help/commands") -ge 10 ]] || { echo "FAIL: kvdesk-cli --help lists no commands"; failures=1; }
[[ $app == - || $(wc -l < "$help/app.options") -ge 4 ]] || { echo "FAIL: kvdesk --help lists no options"; failures=1; }
# What man pages point to answers anywhere, a terminal without a display too (it aborted there).
if [[ $app != - ]]; then
    for flag in --help --version; do
        answer=$(env -u DISPLAY -u WAYLAND_DISPLAY -u QT_QPA_PLATFORM "$app" "$flag" 2>&1)
        status=$?
        [[ $status -eq 0 && $answer == *kvdesk* ]] ||
            { echo "FAIL: kvdesk $flag without a display: exit $status: $answer"; failures=1; }
    done
fi

problems=$( (missing_cli "$mandir/kvdesk-cli.1"; [[ $app == - ]] || missing_app "$mandir/kvdesk.1") )
if [[ -n $problems ]]; then
    echo "FAIL: the manual pages are behind --help (packaging/man/):"
    echo "$problems"
    failures=1
fi

# The check itself must be able to fail.
grep -v -- 'revision' "$mandir/kvdesk-cli.1" > "$tmp/mutilated.1"
refused=$(missing_cli "$tmp/mutilated.1")
if [[ $refused != *"--revision of the command get"* ]]; then
    echo "FAIL: a page without --revision was not refused"
    failures=1
fi

counted=$(cat "$help"/commands "$help"/global "$help"/*.aliases "$help"/*.options | sort -u | wc -l)
[[ $failures -eq 0 ]] && echo "manual pages: $counted commands, aliases and options from --help (distinct names) all documented"
exit $failures
