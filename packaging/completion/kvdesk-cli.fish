# fish completion for kvdesk-cli, installed in share/fish/vendor_completions.d.
# Commands and their aliases, the options of each command, option values, and, like natscli, bucket
# names from the server (`kvdesk-cli ls -n` with the connection options typed so far, a 2 s timeout,
# quiet on errors). tests/packaging/check-completion.sh keeps the lists in step with `kvdesk-cli --help`.

# Prints the command and then its positional arguments typed so far; fails when there is no command yet.
function __kvdesk_cli_line
    set -l tokens (commandline -opc)
    set -e tokens[1]
    set -l command
    set -l arguments
    set -l skip 0
    set -l first 1
    for token in $tokens
        if test $skip = 1
            set skip 0
            continue
        end
        switch $token
            case -s --server --user --password --password-file --token --creds --nkey --tlscert --tlskey --tlskey-password-file --tlsca --js-domain --inbox-prefix --timeout --context
                set skip 1
            case --description --ttl --max-value-size --max-bucket-size --storage --replicas --republish-source --republish-destination --older-than --mode --revision --marker-ttl --compression --metadata --remove-metadata --mirror --source
                test -n "$command"; and set skip 1
            case --history
                contains -- "$command" add new edit; and set skip 1
            case '-*'
            case '*'
                if test -z "$command"
                    if test $first = 1 -a "$token" = kv
                        set first 0
                        continue
                    end
                    set command $token
                else
                    set -a arguments $token
                end
        end
        set first 0
    end
    test -n "$command"; or return 1
    printf '%s\n' $command $arguments
end

function __kvdesk_cli_no_command
    not __kvdesk_cli_line >/dev/null
end

# True when the command is one of the arguments.
function __kvdesk_cli_using
    set -l line (__kvdesk_cli_line); or return 1
    contains -- $line[1] $argv
end

# True when the command is one of the arguments (or any, without arguments) and $argv[1] positional
# arguments follow it.
function __kvdesk_cli_argument
    set -l line (__kvdesk_cli_line); or return 1
    test (count $line) -eq (math $argv[1] + 1); or return 1
    test (count $argv) -eq 1; or contains -- $line[1] $argv[2..-1]
end

function __kvdesk_cli_contexts
    set -l dir $HOME/.config
    set -q XDG_CONFIG_HOME; and test -n "$XDG_CONFIG_HOME"; and set dir $XDG_CONFIG_HOME
    for file in $dir/nats/context/*.json
        basename $file .json
    end
end

function __kvdesk_cli_buckets
    set -l tokens (commandline -opc)
    set -l connection
    set -l i 2
    while test $i -le (count $tokens)
        switch $tokens[$i]
            case -s --server --user --password --password-file --token --creds --nkey --tlscert --tlskey --tlskey-password-file --tlsca --js-domain --inbox-prefix --context
                set -a connection $tokens[$i]
                set i (math $i + 1)
                test $i -le (count $tokens); and set -a connection $tokens[$i]
            case --tlsfirst '--server=*' '--user=*' '--password=*' '--password-file=*' '--token=*' '--creds=*' '--nkey=*' '--tlscert=*' '--tlskey=*' '--tlskey-password-file=*' '--tlsca=*' '--js-domain=*' '--inbox-prefix=*' '--context=*'
                set -a connection $tokens[$i]
        end
        set i (math $i + 1)
    end
    set -l program kvdesk-cli
    string match -q '*/*' -- $tokens[1]; and test -x $tokens[1]; and set program $tokens[1]
    timeout 5 $program $connection --timeout 2s ls -n </dev/null 2>/dev/null
end

complete -c kvdesk-cli -f

# Commands (and "kv", which natscli users type first).
complete -c kvdesk-cli -n __kvdesk_cli_no_command -a kv -d 'Accepted before a command, as in nats kv'
complete -c kvdesk-cli -n __kvdesk_cli_no_command -a 'ls list' -d 'List buckets, or the keys of a bucket'
complete -c kvdesk-cli -n __kvdesk_cli_no_command -a 'add new' -d 'Add a new bucket'
complete -c kvdesk-cli -n __kvdesk_cli_no_command -a edit -d 'Change the settings of a bucket'
complete -c kvdesk-cli -n __kvdesk_cli_no_command -a 'info view status' -d 'Show the settings and state of a bucket'
complete -c kvdesk-cli -n __kvdesk_cli_no_command -a 'rm del' -d 'Delete a bucket, or a key'
complete -c kvdesk-cli -n __kvdesk_cli_no_command -a put -d 'Put a value into a key'
complete -c kvdesk-cli -n __kvdesk_cli_no_command -a get -d 'Get the value of a key'
complete -c kvdesk-cli -n __kvdesk_cli_no_command -a create -d 'Put a value only if the key is new or deleted'
complete -c kvdesk-cli -n __kvdesk_cli_no_command -a update -d 'Put a value only if the key is still at REVISION'
complete -c kvdesk-cli -n __kvdesk_cli_no_command -a purge -d 'Delete a key and its history'
complete -c kvdesk-cli -n __kvdesk_cli_no_command -a history -d 'Show the full history of a key'
complete -c kvdesk-cli -n __kvdesk_cli_no_command -a revert -d 'Put the value of an earlier revision again'
complete -c kvdesk-cli -n __kvdesk_cli_no_command -a compact -d 'Reclaim space used by deleted keys'
complete -c kvdesk-cli -n __kvdesk_cli_no_command -a watch -d 'Watch the bucket or some keys for changes'
complete -c kvdesk-cli -n __kvdesk_cli_no_command -a export -d 'Write the bucket\'s values as NDJSON'
complete -c kvdesk-cli -n __kvdesk_cli_no_command -a diff -d 'Show the keys changed between two points of the bucket'
complete -c kvdesk-cli -n __kvdesk_cli_no_command -a merge -d 'Merge an edit made from an older revision with the key\'s value now'
complete -c kvdesk-cli -n __kvdesk_cli_no_command -a restore -d 'Put keys back to their values at a revision or time'
complete -c kvdesk-cli -n __kvdesk_cli_no_command -a import -d 'Write NDJSON entries into the bucket'
complete -c kvdesk-cli -n __kvdesk_cli_no_command -a account -d 'Show the server, its JetStream API level, and the account'
complete -c kvdesk-cli -n __kvdesk_cli_no_command -a help -d 'Show the help of a command'
complete -c kvdesk-cli -n '__kvdesk_cli_argument 0 help' -a 'ls list add new edit info view status rm del put get create update purge history revert compact watch export diff merge restore import account'
complete -c kvdesk-cli -n '__kvdesk_cli_argument 0 account' -a info -d 'The server and the account'

# The first argument of every command is a bucket; export and import take a file after it.
complete -c kvdesk-cli -n '__kvdesk_cli_argument 0; and not __kvdesk_cli_using help account' -a '(__kvdesk_cli_buckets)' -d Bucket
complete -c kvdesk-cli -n '__kvdesk_cli_argument 1 export import' -F
complete -c kvdesk-cli -n '__kvdesk_cli_argument 3 merge' -F

# Options of every command.
complete -c kvdesk-cli -s s -l server -x -d 'NATS server URLs, comma separated'
complete -c kvdesk-cli -l user -x -d 'User name'
complete -c kvdesk-cli -l password -x -d 'Password (visible in ps)'
complete -c kvdesk-cli -l password-file -r -F -d 'File holding the password'
complete -c kvdesk-cli -l token -x -d 'Authentication token'
complete -c kvdesk-cli -l creds -r -F -d 'User credentials file'
complete -c kvdesk-cli -l nkey -r -F -d 'File holding a user NKEY seed'
complete -c kvdesk-cli -l tlscert -r -F -d 'TLS client certificate'
complete -c kvdesk-cli -l tlskey -r -F -d 'TLS client key'
complete -c kvdesk-cli -l tlskey-password-file -r -F -d 'File holding the TLS key passphrase'
complete -c kvdesk-cli -l tlsca -r -F -d 'TLS certificate authority chain'
complete -c kvdesk-cli -l tlsfirst -d 'TLS handshake before the server INFO'
complete -c kvdesk-cli -l js-domain -x -d 'JetStream domain'
complete -c kvdesk-cli -l inbox-prefix -x -d 'Prefix of the reply inboxes'
complete -c kvdesk-cli -l timeout -x -d 'Time to wait for the server and each request'
complete -c kvdesk-cli -l context -x -a '(__kvdesk_cli_contexts)' -d 'natscli context'
complete -c kvdesk-cli -l json -d 'Print JSON (NDJSON for streams)'
complete -c kvdesk-cli -s h -l help -d 'Show the help'
complete -c kvdesk-cli -n __kvdesk_cli_no_command -l version -d 'Show the version'

# Options of one command.
complete -c kvdesk-cli -n '__kvdesk_cli_using ls list' -s n -l names -d 'Show just the bucket names'
set -l __kvdesk_cli_config add new edit
complete -c kvdesk-cli -n "__kvdesk_cli_using $__kvdesk_cli_config" -l description -x -d 'A description for the bucket'
complete -c kvdesk-cli -n "__kvdesk_cli_using $__kvdesk_cli_config" -l history -x -d 'Historic values to keep per key (1-64)'
complete -c kvdesk-cli -n "__kvdesk_cli_using $__kvdesk_cli_config" -l ttl -x -d 'How long to keep values'
complete -c kvdesk-cli -n "__kvdesk_cli_using $__kvdesk_cli_config" -l max-value-size -x -d 'Maximum size of a value'
complete -c kvdesk-cli -n "__kvdesk_cli_using $__kvdesk_cli_config" -l max-bucket-size -x -d 'Maximum size of the bucket'
complete -c kvdesk-cli -n "__kvdesk_cli_using $__kvdesk_cli_config" -l storage -x -a 'file memory' -d 'Storage backend'
complete -c kvdesk-cli -n "__kvdesk_cli_using $__kvdesk_cli_config" -l replicas -x -d 'Replicas of the data'
complete -c kvdesk-cli -n "__kvdesk_cli_using $__kvdesk_cli_config" -l republish-source -x -d 'Republish messages matching this subject'
complete -c kvdesk-cli -n "__kvdesk_cli_using $__kvdesk_cli_config" -l republish-destination -x -d 'Republish destination'
complete -c kvdesk-cli -n "__kvdesk_cli_using $__kvdesk_cli_config" -l republish-headers -d 'Republish only headers'
complete -c kvdesk-cli -n "__kvdesk_cli_using $__kvdesk_cli_config" -l no-republish-headers -d 'Republish whole messages'
complete -c kvdesk-cli -n "__kvdesk_cli_using $__kvdesk_cli_config" -l marker-ttl -x -d 'Per-key TTLs and limit markers kept this long (2.11+)'
complete -c kvdesk-cli -n "__kvdesk_cli_using $__kvdesk_cli_config" -l compression -x -a 's2 none' -d 'Compress the stored values (2.10+)'
complete -c kvdesk-cli -n "__kvdesk_cli_using $__kvdesk_cli_config" -l metadata -x -d 'Set a metadata KEY=VALUE (2.10+)'
complete -c kvdesk-cli -n '__kvdesk_cli_using edit' -l remove-metadata -x -d 'Remove a metadata key'
complete -c kvdesk-cli -n "__kvdesk_cli_using $__kvdesk_cli_config" -l mirror -x -a '(__kvdesk_cli_buckets)' -d 'Mirror another bucket'
complete -c kvdesk-cli -n "__kvdesk_cli_using $__kvdesk_cli_config" -l source -x -a '(__kvdesk_cli_buckets)' -d 'Collect the keys of another bucket'
complete -c kvdesk-cli -n '__kvdesk_cli_using create purge' -l ttl -x -d 'Expires after this long (2.11+)'
complete -c kvdesk-cli -n '__kvdesk_cli_using put' -l ttl -x -d 'Not taken: a put has no TTL (use create --ttl)'
complete -c kvdesk-cli -n '__kvdesk_cli_using rm del purge revert compact restore' -s f -l force -d 'Act without confirmation'
complete -c kvdesk-cli -n '__kvdesk_cli_using get watch' -l revision -x -d 'The revision'
complete -c kvdesk-cli -n '__kvdesk_cli_using rm del purge' -l revision -x -d 'Only if the key is still at this revision'
complete -c kvdesk-cli -n '__kvdesk_cli_using get' -l raw -d 'Print only the value, byte for byte'
complete -c kvdesk-cli -n '__kvdesk_cli_using get export' -l decode -d 'The value decoded as JSON'
complete -c kvdesk-cli -n '__kvdesk_cli_using get export' -l proto -r -F -d 'Decode as a message of this .proto file'
complete -c kvdesk-cli -n '__kvdesk_cli_using get export' -l type -x -d 'The message of --proto'
complete -c kvdesk-cli -n '__kvdesk_cli_using get export' -l max-decoded-size -x -d 'The most a value may take decompressed'
complete -c kvdesk-cli -n '__kvdesk_cli_using compact' -l older-than -x -d 'Remove markers older than this entirely'
complete -c kvdesk-cli -n '__kvdesk_cli_using watch' -l history -d 'Start with every kept revision'
complete -c kvdesk-cli -n '__kvdesk_cli_using watch' -l no-deletes -d 'Skip delete and purge markers'
complete -c kvdesk-cli -n '__kvdesk_cli_using watch' -l updates -d 'Only changes from now on'
complete -c kvdesk-cli -n '__kvdesk_cli_using export' -l include-deletes -d 'Also export deleted keys'
complete -c kvdesk-cli -n '__kvdesk_cli_using export' -l as-of -x -d 'The values right after a revision or at a time'
complete -c kvdesk-cli -n '__kvdesk_cli_using diff' -l from -x -d 'Compare from this revision or time'
complete -c kvdesk-cli -n '__kvdesk_cli_using diff' -l to -x -d 'Compare to this revision or time (default now)'
complete -c kvdesk-cli -n '__kvdesk_cli_using restore' -l as-of -x -d 'The point to go back to: a revision or a time'
complete -c kvdesk-cli -n '__kvdesk_cli_using import' -l mode -x -a 'put create skip-existing' -d 'What to do with keys that exist'
