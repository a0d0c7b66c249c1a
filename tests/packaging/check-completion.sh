#!/usr/bin/env bash
# Checks the shell completion of kvdesk-cli (packaging/completion/) against the program itself:
# - bash (through bash-completion) and fish offer every command and alias that `kvdesk-cli --help`
#   and `kvdesk-cli COMMAND --help` list, and for each command every option its help lists;
# - both complete bucket names from a real nats-server (started here on a free port with a temporary
#   store), passing the --server typed on the line, and stay quiet and quick when no server answers;
# - the zsh function parses, and names every command, alias and option.
# Then it shows that the check can fail: a bash completion without --raw is refused.
# Usage: check-completion.sh KVDESK-CLI COMPLETION-DIR [NATS-SERVER]   ($KVDESK_NATS_SERVER, else PATH)
set -uo pipefail
cli=$(realpath "$1") dir=$2
server=${3:-${KVDESK_NATS_SERVER:-$(command -v nats-server || echo /usr/sbin/nats-server)}}
here=$(cd "$(dirname "$0")" && pwd)
source "$here/helplists.sh"
tmp=$(mktemp -d)
server_pid=
cleanup() {
    [[ -n $server_pid ]] && kill "$server_pid" 2>/dev/null && wait "$server_pid" 2>/dev/null
    rm -rf "$tmp"
}
trap cleanup EXIT
failures=0
fail() { echo "FAIL: $*"; failures=1; }

for program in bash fish zsh script; do
    command -v $program >/dev/null || fail "$program is not installed (scripts/install-deps.sh test installs it)"
done
[[ -r /usr/share/bash-completion/bash_completion ]] || fail "bash-completion is not installed"
[[ $failures -eq 0 ]] || exit 1
help=$tmp/help
collect_help "$cli" "$help" || { echo "FAIL: $cli --help failed"; exit 1; }
[[ $(wc -l < "$help/commands") -ge 10 ]] || fail "kvdesk-cli --help lists no commands"

# bash: prints the completions of the line given as words (the last one being completed).
bash_complete() {
    bash --norc --noprofile -c '
        source /usr/share/bash-completion/bash_completion
        source "$0"
        COMP_WORDS=("$@"); COMP_CWORD=$(($# - 1)); COMP_LINE="$*"; COMP_POINT=${#COMP_LINE}
        COMPREPLY=()
        _kvdesk_cli kvdesk-cli "${COMP_WORDS[COMP_CWORD]}" "${COMP_WORDS[COMP_CWORD-1]}"
        printf "%s\n" "${COMPREPLY[@]}"' "$bash_file" "$cli" "$@"
}
# fish: the same for a command line (a string).
fish_complete() {
    fish --no-config -c 'source $argv[1]; complete -C $argv[2]' "$dir/kvdesk-cli.fish" "$cli $1" | cut -f1
}

# bash as a user meets it: an interactive bash in a terminal (script(1) gives it one) reads each line
# typed, with a Tab at its end, and runs it as "echo @@ LINE"; prints each completed LINE. Unlike the
# calls above, bash splits the words itself here (at ":" in URLs, too).
bash_typed() {
    local input="source /usr/share/bash-completion/bash_completion; source '$bash_file'"$'\n' line
    for line; do input+="$line"$'\t\001echo @@ \n'; done
    printf '%sexit\n' "$input" | HOME=$tmp TERM=dumb timeout 60 script -qfc "bash --norc --noprofile -i" /dev/null |
        sed -e 's/\r$//' -e 's/.*\r//' | sed -n 's/^@@ //p'
}

# What a shell offers at the start ("@command"), for an option before the command ("@global") and for
# an option after each command ("ls", ...), as "WHERE<tab>OFFER" lines; one shell process each.
bash_offers() {
    bash --norc --noprofile -c '
        source /usr/share/bash-completion/bash_completion
        source "$0"
        offer() { # WHERE WORDS...
            local where=$1; shift
            COMP_WORDS=("$@"); COMP_CWORD=$(($# - 1)); COMP_LINE="$*"; COMP_POINT=${#COMP_LINE}
            COMPREPLY=()
            _kvdesk_cli kvdesk-cli "${COMP_WORDS[COMP_CWORD]}" "${COMP_WORDS[COMP_CWORD-1]}"
            local reply; for reply in "${COMPREPLY[@]}"; do printf "%s\t%s\n" "$where" "$reply"; done
        }
        offer @command kvdesk-cli ""
        offer @global kvdesk-cli -
        while read -r command; do offer "$command" kvdesk-cli "$command" -; done < "$1"' \
        "$bash_file" "$help/commands"
}
fish_offers() {
    fish --no-config -c '
        source $argv[1]
        complete -C "kvdesk-cli " | string replace -r "\t.*" "" | string replace -r "^" "@command\t"
        complete -C "kvdesk-cli -" | string replace -r "\t.*" "" | string replace -r "^" "@global\t"
        for command in (cat $argv[2])
            complete -C "kvdesk-cli $command -" | string replace -r "\t.*" "" | string replace -r "^" "$command\t"
        end' "$dir/kvdesk-cli.fish" "$help/commands"
}

# missing_in SHELL: one line per command, alias or option that SHELL's completion does not offer.
missing_in() {
    local shell=$1 line command name
    local -A offered=()
    while IFS= read -r line; do offered[$line]=1; done < <(${shell}_offers 2>&1)
    for name in $(cat "$help/commands" "$help"/*.aliases); do
        [[ -n ${offered["@command"$'\t'"$name"]:-} ]] || echo "$shell: the command $name is not offered"
    done
    for name in $(cat "$help/global"); do
        [[ -n ${offered["@global"$'\t'"$name"]:-} ]] || echo "$shell: the global option $name is not offered"
    done
    for command in $(cat "$help/commands"); do
        for name in $(cat "$help/$command.options"); do
            [[ -n ${offered["$command"$'\t'"$name"]:-} ]] || echo "$shell: $name is not offered after $command"
        done
    done
}

bash_file=$dir/kvdesk-cli.bash
for shell in bash fish; do
    problems=$(missing_in $shell)
    [[ -z $problems ]] || fail "the $shell completion is behind --help (packaging/completion/):"$'\n'"$(head -20 <<< "$problems")"
done

# zsh: parses, and names everything (its completion runs only inside an interactive zsh).
zsh -n "$dir/_kvdesk-cli" || fail "zsh cannot parse _kvdesk-cli"
zsh_text=$(< "$dir/_kvdesk-cli")
for name in $(cat "$help/commands" "$help"/*.aliases "$help/global" "$help"/*.options | sort -u); do
    # A short option stands in a brace list or an exclusion list: {-f,--force}, (-f --force)
    [[ $name == -? ]] && pattern="[{(]$name[, ]" || pattern="(^|[^A-Za-z0-9-])$name([^A-Za-z0-9-]|\$)"
    [[ $zsh_text =~ $pattern ]] || fail "_kvdesk-cli does not name $name"
done

# Values of options.
[[ $(bash_complete add --storage "") == $'file\nmemory' ]] || fail "bash: add --storage does not offer file, memory"
[[ $(fish_complete "import --mode " | sort | tr '\n' ' ') == "create put skip-existing " ]] ||
    fail "fish: import --mode does not offer its modes"
mkdir -p "$tmp/config/nats/context" && echo '{}' > "$tmp/config/nats/context/staging.json"
[[ $(XDG_CONFIG_HOME=$tmp/config bash_complete --context "") == staging ]] || fail "bash: --context does not offer contexts"

# Bucket names from a real server: started on a free port; its log (through a FIFO, read as it comes)
# says the port and when it is ready.
mkfifo "$tmp/log"
"$server" -a 127.0.0.1 -p -1 -js -sd "$tmp/store" > "$tmp/log" 2>&1 &
server_pid=$!
exec 3< "$tmp/log"
port=
while IFS= read -r -t 20 line <&3; do
    [[ $line =~ Listening\ for\ client\ connections\ on\ 127\.0\.0\.1:([0-9]+) ]] && port=${BASH_REMATCH[1]}
    [[ $line == *"Server is ready"* ]] && break
done
cat <&3 > "$tmp/server.log" &
if [[ -z $port ]]; then
    fail "nats-server ($server) did not start"
else
    url=nats://127.0.0.1:$port
    for bucket in orders config_prod; do
        "$cli" -s "$url" add "$bucket" > /dev/null || fail "kvdesk-cli add $bucket failed"
    done
    [[ $(bash_complete -s "$url" get "" | sort | tr '\n' ' ') == "config_prod orders " ]] ||
        fail "bash: get does not offer the buckets of $url: $(bash_complete -s "$url" get "")"
    [[ $(bash_complete kv --server="$url" watch o) == orders ]] || fail "bash: kv watch o does not offer orders"
    [[ $(fish_complete "-s $url info " | sort | tr '\n' ' ') == "config_prod orders " ]] ||
        fail "fish: info does not offer the buckets of $url: $(fish_complete "-s $url info ")"
    typed=$(bash_typed "$cli -s $url get config_p" "$cli kv --server=$url watch or" "$cli -s $url ge" "$cli get --rev")
    [[ $typed == "$cli -s $url get config_prod"$'\n'"$cli kv --server=$url watch orders"$'\n'"$cli -s $url get"$'\n'"$cli get --revision" ]] ||
        fail "bash in a terminal completed:"$'\n'"$typed"
    # After the bucket, a key: no bucket names again.
    [[ -z $(bash_complete -s "$url" get orders "") ]] || fail "bash: offers buckets after the bucket"
fi
# No server: nothing offered, nothing printed, no long wait (the completion gives up after 2 s).
kill "$server_pid" && wait "$server_pid" 2>/dev/null
server_pid=
start=$SECONDS
offered=$(bash_complete -s "${url:-nats://127.0.0.1:9}" get "" 2>&1)
[[ -z $offered ]] || fail "bash: without a server it printed: $offered"
((SECONDS - start <= 6)) || fail "bash: without a server completion took $((SECONDS - start)) s"

# The check itself must be able to fail.
grep -v -- '--raw' "$dir/kvdesk-cli.bash" > "$tmp/mutilated.bash"
bash_file=$tmp/mutilated.bash
[[ $(missing_in bash) == *"--raw is not offered after get"* ]] || fail "a bash completion without --raw was not refused"

[[ $failures -eq 0 ]] && echo "completion: bash, fish and zsh offer all $(cat "$help"/commands "$help"/*.aliases "$help"/global "$help"/*.options | sort -u | wc -l) names; buckets from nats-server"
exit $failures
