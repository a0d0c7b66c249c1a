# bash completion for kvdesk-cli                                       -*- shell-script -*-
# Installed as share/bash-completion/completions/kvdesk-cli (bash-completion loads it on first use).
# Completes the commands and their aliases, the options of each command, option values (files,
# natscli contexts, --storage, --mode) and, like natscli, bucket names from the server: it runs
# `kvdesk-cli ls -n` with the connection options typed so far, a 2 s timeout and no output on errors.
# tests/packaging/check-completion.sh keeps the lists in step with `kvdesk-cli --help`.

_kvdesk_cli_global_value_options='-s --server --user --password --password-file --token --creds --nkey --tlscert --tlskey --tlskey-password-file --tlsca --js-domain --inbox-prefix --timeout --context'
_kvdesk_cli_commands='ls list add new edit info view status rm del put get create update purge history revert compact watch export diff merge restore import account help'

# The options of command $1 (beyond the global ones), then after a "|" those that take a value.
_kvdesk_cli_command_options()
{
    case $1 in
        ls | list) echo '-n --names |' ;;
        add | new | edit)
            local remove=
            [[ $1 == edit ]] && remove=--remove-metadata
            echo '--description --history --ttl --max-value-size --max-bucket-size --storage --replicas' \
                '--republish-source --republish-destination --republish-headers --no-republish-headers --marker-ttl --compression' \
                "--metadata $remove --mirror --source" \
                '| --description --history --ttl --max-value-size --max-bucket-size --storage --replicas' \
                "--republish-source --republish-destination --marker-ttl --compression --metadata $remove --mirror --source"
            ;;
        put | create) echo '--ttl | --ttl' ;;
        purge) echo '-f --force --ttl --revision | --ttl --revision' ;;
        rm | del) echo '-f --force --revision | --revision' ;;
        revert) echo '-f --force |' ;;
        get) echo '--revision --raw --decode --proto --type --max-decoded-size | --revision --proto --type --max-decoded-size' ;;
        compact) echo '--older-than -f --force | --older-than' ;;
        watch) echo '--history --no-deletes --updates --revision | --revision' ;;
        export) echo '--include-deletes --as-of --decode --proto --type --max-decoded-size | --as-of --proto --type --max-decoded-size' ;;
        diff) echo '--from --to | --from --to' ;;
        restore) echo '--as-of -f --force | --as-of' ;;
        import) echo '--mode | --mode' ;;
        *) echo '|' ;;
    esac
}

_kvdesk_cli_contexts()
{
    local dir=${XDG_CONFIG_HOME:-$HOME/.config}/nats/context file
    for file in "$dir"/*.json; do
        [[ -f $file ]] && file=${file##*/} && printf '%s\n' "${file%.json}"
    done
}

# Bucket names from the server the command line names (its connection options, environment or context).
_kvdesk_cli_buckets()
{
    local -a connection=()
    local i word
    for ((i = 1; i < cword; i++)); do
        word=${words[i]}
        case $word in
            -s | --server | --user | --password | --password-file | --token | --creds | --nkey | --tlscert | --tlskey | --tlskey-password-file | --tlsca | --js-domain | --inbox-prefix | --context)
                connection+=("$word" "${words[i + 1]}")
                ((i++))
                ;;
            --tlsfirst | --server=* | --user=* | --password=* | --password-file=* | --token=* | --creds=* | --nkey=* | --tlscert=* | --tlskey=* | --tlskey-password-file=* | --tlsca=* | --js-domain=* | --inbox-prefix=* | --context=*)
                connection+=("$word")
                ;;
        esac
    done
    local program=${words[0]}
    [[ $program == */* && -x $program ]] || program=kvdesk-cli
    timeout 5 "$program" "${connection[@]}" --timeout 2s ls -n </dev/null 2>/dev/null
}

_kvdesk_cli()
{
    local cur prev words cword split
    _init_completion -s -n : || return # URLs (nats://host:port) stay one word

    # Find the command (after the global options and their values, and an optional leading "kv"), and
    # count the positional arguments after it.
    local command='' word i arguments=0 values=''
    for ((i = 1; i < cword; i++)); do
        word=${words[i]}
        if [[ -z $command ]]; then
            if [[ $word == -* ]]; then
                [[ $word != *=* && " $_kvdesk_cli_global_value_options " == *" $word "* ]] && ((i++))
            elif [[ $word == kv && $i -eq 1 ]]; then
                continue
            else
                command=$word
                values=$(_kvdesk_cli_command_options "$command")
                values=${values#*|}
            fi
        elif [[ $word == -* ]]; then
            [[ $word != *=* && " $_kvdesk_cli_global_value_options $values " == *" $word "* ]] && ((i++))
        else
            ((arguments++))
        fi
    done

    case $prev in
        --password-file | --creds | --nkey | --tlscert | --tlskey | --tlskey-password-file | --tlsca)
            _filedir
            return
            ;;
        --context)
            COMPREPLY=($(compgen -W "$(_kvdesk_cli_contexts)" -- "$cur"))
            return
            ;;
        --storage)
            [[ " $values " == *" --storage "* ]] && COMPREPLY=($(compgen -W 'file memory' -- "$cur")) && return
            ;;
        --mode)
            [[ " $values " == *" --mode "* ]] && COMPREPLY=($(compgen -W 'put create skip-existing' -- "$cur")) && return
            ;;
        --compression)
            [[ " $values " == *" --compression "* ]] && COMPREPLY=($(compgen -W 's2 none' -- "$cur")) && return
            ;;
        --mirror | --source)
            [[ " $values " == *" $prev "* ]] && local IFS=$'\n' && COMPREPLY=($(compgen -W "$(_kvdesk_cli_buckets)" -- "$cur")) && return
            ;;
    esac
    # A value nobody can guess (URL, user, duration, ...), or one typed after "=".
    [[ " $_kvdesk_cli_global_value_options $values " == *" $prev "* && $prev == -* ]] && return
    [[ $split == true ]] && return

    if [[ $cur == -* ]]; then
        local options="$_kvdesk_cli_global_value_options --tlsfirst --json -h --help"
        if [[ -z $command ]]; then
            options+=" --version"
        else
            local own=$(_kvdesk_cli_command_options "$command")
            options+=" ${own%%|*}"
        fi
        COMPREPLY=($(compgen -W "$options" -- "$cur"))
        return
    fi
    if [[ -z $command ]]; then
        local commands=$_kvdesk_cli_commands
        [[ $cword -eq 1 ]] && commands+=' kv'
        COMPREPLY=($(compgen -W "$commands" -- "$cur"))
        return
    fi
    case $command in
        help)
            ((arguments == 0)) && COMPREPLY=($(compgen -W "$_kvdesk_cli_commands" -- "$cur"))
            ;;
        account)
            ((arguments == 0)) && COMPREPLY=($(compgen -W 'info' -- "$cur"))
            ;;
        ls | list | add | new | edit | info | view | status | rm | del | put | get | create | update | purge | history | revert | compact | watch | export | import | merge | restore)
            if ((arguments == 0)); then
                local IFS=$'\n'
                COMPREPLY=($(compgen -W "$(_kvdesk_cli_buckets)" -- "$cur"))
            elif ((arguments == 1)) && [[ $command == export || $command == import ]]; then
                _filedir
            elif ((arguments == 3)) && [[ $command == merge ]]; then
                _filedir
            fi
            ;;
    esac
} &&
    complete -F _kvdesk_cli kvdesk-cli

# ex: filetype=sh
