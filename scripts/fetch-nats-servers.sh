#!/usr/bin/env bash
# Fetches the newer nats-server releases the test suite runs against, besides Debian 12's own 2.9.10:
# Debian 13 "trixie"'s (2.10.x) and Debian unstable "sid"'s (the newest). Each package is downloaded
# with `apt-get download` under a private apt configuration (its own sources list, lists and cache
# folders) and unpacked with `dpkg-deb -x` into a cache folder. The system's apt sources and installed
# packages are never touched; nothing is installed.
#
# Usage: scripts/fetch-nats-servers.sh            fetch what is missing, print "<label> <path>" per server
#        scripts/fetch-nats-servers.sh --refresh  fetch again even when cached
# The cache is $KVDESK_CACHE_DIR (default ${XDG_CACHE_HOME:-~/.cache}/kvdesk)/nats-server/<suite>.
set -euo pipefail

refresh=false
[[ ${1:-} == --refresh ]] && refresh=true

cache=${KVDESK_CACHE_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/kvdesk}/nats-server
suites=(trixie sid)
declare -A labels=([trixie]=2.10 [sid]=newest)

# The Debian mirror the machine's own apt sources use (one-line or deb822 format), so the download goes
# where this machine is allowed to go; deb.debian.org when none is found.
debian_mirror() {
    local uri
    uri=$(grep -hsE '^[[:space:]]*deb[[:space:]]' /etc/apt/sources.list /etc/apt/sources.list.d/*.list \
              | sed -E 's/\[[^]]*\]//' | awk '{print $2}' | grep -E '/debian/?$' | head -1 || true)
    if [[ -z $uri ]]; then
        uri=$(grep -hsE '^[[:space:]]*URIs:' /etc/apt/sources.list.d/*.sources \
                  | awk '{for (i = 2; i <= NF; i++) print $i}' | grep -E '/debian/?$' | head -1 || true)
    fi
    echo "${uri:-http://deb.debian.org/debian}"
}

fetch_suite() {
    local suite=$1 dir=$cache/$1
    local binary=$dir/root/usr/sbin/nats-server
    if [[ -x $binary && $refresh == false ]]; then
        echo "$binary"
        return
    fi
    rm -rf "$dir"
    mkdir -p "$dir/lists/partial" "$dir/cache/archives/partial" "$dir/root"
    local signed=""
    [[ -f /usr/share/keyrings/debian-archive-keyring.gpg ]] \
        && signed="[signed-by=/usr/share/keyrings/debian-archive-keyring.gpg] "
    echo "deb ${signed}$(debian_mirror) $suite main" > "$dir/sources.list"
    local apt=(apt-get -q -o "Dir::Etc::sourcelist=$dir/sources.list" -o Dir::Etc::sourceparts=/dev/null
               -o "Dir::State::Lists=$dir/lists" -o "Dir::Cache=$dir/cache" -o APT::Sandbox::User=root)
    if ! "${apt[@]}" update >"$dir/apt.log" 2>&1; then
        echo "fetch-nats-servers: apt-get update for $suite failed:" >&2
        tail -5 "$dir/apt.log" >&2
        return 1
    fi
    # apt-get download writes into the current directory.
    if ! (cd "$dir" && "${apt[@]}" download nats-server >>"$dir/apt.log" 2>&1); then
        echo "fetch-nats-servers: apt-get download nats-server from $suite failed:" >&2
        tail -5 "$dir/apt.log" >&2
        return 1
    fi
    dpkg-deb -x "$dir"/nats-server_*.deb "$dir/root"
    rm -rf "$dir/lists" "$dir/cache"
    [[ -x $binary ]] || { echo "fetch-nats-servers: no usr/sbin/nats-server in the $suite package" >&2; return 1; }
    echo "$binary"
}

for suite in "${suites[@]}"; do
    path=$(fetch_suite "$suite")
    echo "${labels[$suite]} $path"
done
