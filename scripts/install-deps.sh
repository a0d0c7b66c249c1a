#!/usr/bin/env bash
# Installs the Debian 12 packages kvdesk needs that are not there yet. Idempotent and quiet when
# everything is installed. Usage: scripts/install-deps.sh [app|test|fuzz]   (default: app)
set -euo pipefail

what=${1:-app}

# Build: compiler, CMake, Qt 6.4 (Core, Network, Gui, Widgets, Test), QtKeychain, OpenSSL's libcrypto.
packages=(cmake ninja-build g++ pkg-config qt6-base-dev qt6-qpa-plugins qtkeychain-qt6-dev libssl-dev
          # Run: the NATS server the app starts locally, and libsecret, which QtKeychain loads to reach
          # the desktop's Secret Service.
          nats-server libsecret-1-0
          # The freedesktop icon theme the menus and toolbar take their icons from (ui/actionicons.cpp), and
          # Qt's SVG image plugin, which draws the bundled fallback icons (without it they draw nothing).
          adwaita-icon-theme libqt6svg6
          # Packaging: PNG icons rendered from the SVG at build time; CPack's Debian packages need
          # dpkg-shlibdeps (dpkg-dev) and file (scripts/package.sh).
          librsvg2-bin dpkg-dev file
          # Value decoders (zlib, zstd, MessagePack, Protobuf's importer and JSON mapping) and the
          # three-way text merge of conflicting saves (libgit2's git_merge_file).
          zlib1g-dev libzstd-dev libmsgpack-cxx-dev libprotobuf-dev libprotoc-dev libgit2-dev)
if [[ $what == test ]]; then
    packages+=(
        # A real Secret Service for the keychain tests, and openssl to make test certificates.
        dbus dbus-daemon gnome-keyring openssl
        # The code-style checks of the suite.
        clang-format
        # Official clients, for interoperability tests only (never linked into kvdesk).
        libnats-dev golang-go golang-github-nats-io-go-nats-dev
        # Screenshots of the real window under Xvfb (xvfb-run needs xauth).
        xvfb xauth
        # The packaging checks: package contents and lint, desktop entry and AppStream validation, manual
        # pages (groff), and the shells whose completion they try.
        lintian desktop-file-utils appstream groff-base bash-completion zsh fish)
    # Node.js and npm for the @nats-io/kv 3.4 interop peer (tests/auto/kvinterop_js: npm ci of its pinned
    # package-lock.json into the build folder). A Node that brings its own npm (NodeSource) is fine as is.
    command -v node >/dev/null && command -v npm >/dev/null || packages+=(nodejs npm)
fi
if [[ $what == fuzz ]]; then
    # bench/fuzz.sh: clang++ with libFuzzer and the sanitizers' runtimes (the test build needs neither).
    packages+=(clang libclang-rt-14-dev)
fi

missing=()
for package in "${packages[@]}"; do
    if ! dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed"; then
        missing+=("$package")
    fi
done
[[ ${#missing[@]} -eq 0 ]] && exit 0

sudo=""
if [[ $(id -u) -ne 0 ]]; then
    command -v sudo >/dev/null || { echo "install-deps: not root and no sudo; install: ${missing[*]}" >&2; exit 1; }
    sudo=sudo
fi
echo "install-deps: installing ${missing[*]}" >&2
export DEBIAN_FRONTEND=noninteractive
if ! $sudo apt-get install -y -q --no-install-recommends "${missing[@]}" >/tmp/kvdesk-apt.log 2>&1; then
    # A fresh machine may have no package lists yet.
    $sudo apt-get update -q >/tmp/kvdesk-apt.log 2>&1
    $sudo apt-get install -y -q --no-install-recommends "${missing[@]}" >>/tmp/kvdesk-apt.log 2>&1 \
        || { tail -20 /tmp/kvdesk-apt.log >&2; exit 1; }
fi
