# Sourced by the packaging checks: what `kvdesk-cli --help`, `kvdesk-cli COMMAND --help` and
# `kvdesk --help` list, read from the programs themselves so the checks follow every change.

# The option names on the lines of a QCommandLineParser help text: "  -s, --server <URL>  ..." gives
# -s and --server. Continuation lines are indented further and never start with "  -".
help_options() {
    grep -E '^  -' | sed -E 's/^  //; s/  .*//; s/ <[^>]*>//g' | tr ',' '\n' | sed -E 's/^ +//; s/ +$//' |
        grep -E '^--?[A-Za-z?]' | sort -u
}

# collect_help KVDESK-CLI DIR: runs each help once and leaves in DIR the files
#   commands             the commands in the "Commands:" block of `kvdesk-cli --help`, one a line
#   global               the options that `kvdesk-cli --help` lists
#   COMMAND.options      the options that `kvdesk-cli COMMAND --help` lists
#   COMMAND.aliases      its aliases ("Aliases: view, status")
collect_help() {
    local cli=$1 dir=$2 command
    mkdir -p "$dir"
    "$cli" --help > "$dir/help.txt" || return 1
    sed -n '/^Commands:/,/^$/p' "$dir/help.txt" | sed -n 's/^  \([a-z][a-z-]*\).*/\1/p' > "$dir/commands"
    help_options < "$dir/help.txt" > "$dir/global"
    # All at once: each start of the program costs more than its work.
    local -a pids=()
    while read -r command; do
        "$cli" "$command" --help > "$dir/$command.txt" &
        pids+=($!)
    done < "$dir/commands"
    for pid in "${pids[@]}"; do wait "$pid" || return 1; done
    while read -r command; do
        help_options < "$dir/$command.txt" > "$dir/$command.options"
        sed -n 's/^Aliases: //p' "$dir/$command.txt" | tr ',' '\n' | sed 's/^ *//; /^$/d' > "$dir/$command.aliases"
    done < "$dir/commands"
}
