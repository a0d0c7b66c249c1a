#!/usr/bin/env bash
# Makes the Debian packages from the build tree with scripts/package.sh (CPack; nothing is rebuilt) and
# checks them as a user and a distribution would:
# - two packages, kvdesk and kvdesk-cli, with the project's version, section, priority, maintainer,
#   homepage and a description; kvdesk-cli's dependencies name no Qt GUI, Widgets or keychain library
#   (and the same check refuses kvdesk's, so it can fail); kvdesk depends on Widgets and QtKeychain and
#   recommends nats-server;
# - their files (dpkg-deb -c): each program, its manual page, copyright and changelog; the app's
#   desktop entry, AppStream metainfo and icons (PNG 16-512 and SVG); the CLI's bash, zsh and fish
#   completion; all owned by root, none in both packages;
# - desktop-file-validate and appstreamcli validate --no-net --pedantic on the unpacked files, the PNGs
#   at their sizes, the manual pages and the metainfo's newest release at the project's version;
# - kvdesk-cli --version and kvdesk --version (offscreen) from an unpacked copy; neither has a RUNPATH;
# - lintian: no error.
# Usage: check-packages.sh SOURCE-DIR BUILD-DIR
set -uo pipefail
source_dir=$1 build=$(realpath "$2")
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
failures=0
fail() { echo "FAIL: $*"; failures=1; }
app_id=io.github.kvdesk.kvdesk
export QT_QPA_PLATFORM=offscreen LC_ALL=C.UTF-8

for program in cpack dpkg-deb desktop-file-validate appstreamcli lintian file readelf; do
    command -v $program >/dev/null || fail "$program is not installed (scripts/install-deps.sh test installs it)"
done
[[ $failures -eq 0 ]] || exit 1

start=$SECONDS
debs=$(KVDESK_BUILD_DIR=$build "$source_dir/scripts/package.sh") || { echo "FAIL: scripts/package.sh failed"; exit 1; }
echo "scripts/package.sh made in $((SECONDS - start)) s:"
echo "$debs"
version=$(sed -n 's/^CMAKE_PROJECT_VERSION:[A-Z]*=//p' "$build/CMakeCache.txt")
[[ -n $version ]] || version=$(sed -n 's/.*project(kvdesk//; /VERSION/s/.*VERSION \([0-9.]*\).*/\1/p' "$source_dir/CMakeLists.txt" | head -1)
app_deb=$(grep -E "/kvdesk_[^/]*\.deb$" <<< "$debs")
cli_deb=$(grep -E "/kvdesk-cli_[^/]*\.deb$" <<< "$debs")
[[ $(wc -l <<< "$debs") -eq 2 && -f $app_deb && -f $cli_deb ]] || { echo "FAIL: expected kvdesk and kvdesk-cli .debs"; exit 1; }

field() { dpkg-deb -f "$1" "$2"; }
# The GUI libraries a package for a machine without a desktop must not need.
gui_dependencies() { field "$1" Depends | tr ',' '\n' | grep -iE 'libqt6(gui|widgets|opengl|svg|xcb)|keychain|libx11|libxcb|libgl|qpa' ; }

for deb in "$app_deb" "$cli_deb"; do
    name=$(field "$deb" Package)
    [[ $(field "$deb" Version) == "$version"-[0-9]* ]] || fail "$name: version $(field "$deb" Version), not $version-N"
    [[ -n $(field "$deb" Section) && $(field "$deb" Priority) == optional ]] || fail "$name: no section or priority"
    [[ $(field "$deb" Maintainer) =~ ^[^\<]+\ \<[^@]+@[^\>]+\>$ ]] || fail "$name: maintainer $(field "$deb" Maintainer)"
    [[ $(field "$deb" Homepage) == https://* ]] || fail "$name: no homepage"
    [[ $(field "$deb" Description | wc -l) -ge 4 ]] || fail "$name: no long description"
    grep -q 'libqt6core6' <<< "$(field "$deb" Depends)" || fail "$name: the computed dependencies lack libqt6core6"
    grep -q 'libqt6network6' <<< "$(field "$deb" Depends)" || fail "$name: the computed dependencies lack libqt6network6"
done
[[ $(field "$app_deb" Package) == kvdesk && $(field "$cli_deb" Package) == kvdesk-cli ]] || fail "package names"
problems=$(gui_dependencies "$cli_deb")
[[ -z $problems ]] || fail "kvdesk-cli depends on GUI libraries: $problems"
[[ -n $(gui_dependencies "$app_deb") ]] || fail "the GUI dependency check does not see kvdesk's Widgets"
grep -q 'libqt6widgets6' <<< "$(field "$app_deb" Depends)" || fail "kvdesk does not depend on libqt6widgets6"
grep -q 'libqt6keychain1' <<< "$(field "$app_deb" Depends)" || fail "kvdesk does not depend on libqt6keychain1"
# The action icons: a theme Debian ships, and the SVG plugin that draws the bundled ones.
grep -qE 'adwaita-icon-theme|breeze-icon-theme' <<< "$(field "$app_deb" Depends)" || fail "kvdesk does not depend on an icon theme"
grep -q 'libqt6svg6' <<< "$(field "$app_deb" Depends)" || fail "kvdesk does not depend on libqt6svg6"
grep -q 'nats-server' <<< "$(field "$app_deb" Recommends)" || fail "kvdesk does not recommend nats-server"

# Every package they name exists for apt (installed, or a candidate in its lists).
for name in $(for deb in "$app_deb" "$cli_deb"; do for f in Depends Recommends Suggests; do field "$deb" $f; done; done |
              tr ',|' '\n\n' | sed 's/(.*//; s/ //g' | sort -u | grep -vxE 'kvdesk|kvdesk-cli|'); do
    [[ $(dpkg-query -W -f '${Status}' "$name" 2>/dev/null) == *"ok installed" ||
       $(apt-cache policy "$name" 2>/dev/null) == *"Candidate: "[0-9]* ]] ||
        fail "no package $name in Debian (named by the packages' relations)"
done

# Contents.
contents() { dpkg-deb -c "$1" | awk '{print $2, $6}'; }
paths() { dpkg-deb -c "$1" | awk '$1 !~ /^d/ {print $6}' | sed 's|^\./|/|'; } # files, no directories
for deb in "$app_deb" "$cli_deb"; do
    owners=$(contents "$deb" | awk '$1 != "root/root"')
    [[ -z $owners ]] || fail "$(field "$deb" Package): files not owned by root: $owners"
done
expect() { # DEB PATH...
    local deb=$1 path list
    list=$(paths "$deb")
    shift
    for path in "$@"; do
        grep -qxF "$path" <<< "$list" || fail "$(field "$deb" Package) lacks $path"
    done
}
icons=()
for size in 16 22 24 32 48 64 96 128 256 512; do
    icons+=("/usr/share/icons/hicolor/${size}x${size}/apps/$app_id.png")
done
expect "$app_deb" /usr/bin/kvdesk /usr/lib/kvdesk/modules/kvdesk-protobuf.so /usr/share/applications/$app_id.desktop /usr/share/metainfo/$app_id.metainfo.xml \
    /usr/share/icons/hicolor/scalable/apps/$app_id.svg "${icons[@]}" /usr/share/man/man1/kvdesk.1.gz \
    /usr/share/doc/kvdesk/copyright /usr/share/doc/kvdesk/changelog.Debian.gz
expect "$cli_deb" /usr/bin/kvdesk-cli /usr/lib/kvdesk-cli/modules/kvdesk-protobuf.so /usr/share/man/man1/kvdesk-cli.1.gz \
    /usr/share/bash-completion/completions/kvdesk-cli /usr/share/zsh/vendor-completions/_kvdesk-cli \
    /usr/share/fish/vendor_completions.d/kvdesk-cli.fish \
    /usr/share/doc/kvdesk-cli/copyright /usr/share/doc/kvdesk-cli/changelog.Debian.gz
shared=$(comm -12 <(paths "$app_deb" | sort) <(paths "$cli_deb" | sort))
[[ -z $shared ]] || fail "files in both packages: $shared"

# The unpacked files.
root=$tmp/root
dpkg-deb -x "$app_deb" "$root" && dpkg-deb -x "$cli_deb" "$root" || fail "dpkg-deb -x failed"
desktop-file-validate "$root/usr/share/applications/$app_id.desktop" || fail "desktop-file-validate refuses the entry"
appstreamcli validate --no-net --pedantic "$root/usr/share/metainfo/$app_id.metainfo.xml" ||
    fail "appstreamcli refuses the metainfo"
newest=$(grep -o '<release version="[^"]*"' "$root/usr/share/metainfo/$app_id.metainfo.xml" | head -1 | cut -d'"' -f2)
[[ $newest == "$version" ]] || fail "the metainfo's newest release is $newest, the project is $version"
for size in 16 22 24 32 48 64 96 128 256 512; do
    grep -q "PNG image data, $size x $size" <<< "$(file -b "$root/usr/share/icons/hicolor/${size}x${size}/apps/$app_id.png")" ||
        fail "the ${size}x${size} icon is $(file -b "$root/usr/share/icons/hicolor/${size}x${size}/apps/$app_id.png")"
done
for page in kvdesk kvdesk-cli; do
    grep -q "^\.TH .* \"kvdesk $version\"" <<< "$(zcat "$root/usr/share/man/man1/$page.1.gz")" ||
        fail "$page(1) does not name version $version in its .TH line"
done
[[ $("$root/usr/bin/kvdesk-cli" --version 2>&1) == "kvdesk-cli $version" ]] ||
    fail "the unpacked kvdesk-cli --version says: $("$root/usr/bin/kvdesk-cli" --version 2>&1)"
[[ $("$root/usr/bin/kvdesk" --version 2>/dev/null) == "kvdesk $version" ]] ||
    fail "the unpacked kvdesk --version says: $("$root/usr/bin/kvdesk" --version 2>&1)"
grep -q ', stripped' <<< "$(file -b "$root/usr/bin/kvdesk-cli")" || fail "kvdesk-cli is not stripped"
# Every library they load is the system's: a RUNPATH would only add failed opens to every start.
for program in kvdesk kvdesk-cli; do
    ! readelf -d "$root/usr/bin/$program" | grep -qE 'RUNPATH|RPATH' ||
        fail "$program has a library search path: $(readelf -d "$root/usr/bin/$program" | grep -E 'RUNPATH|RPATH')"
done

# lintian: errors fail the test; the rest is shown.
start=$SECONDS
lintian --fail-on error --display-level '>=warning' "$app_deb" "$cli_deb" > "$tmp/lintian.txt" 2>&1
status=$?
echo "lintian ($((SECONDS - start)) s): $(grep -c '^E:' "$tmp/lintian.txt") errors, $(grep -c '^W:' "$tmp/lintian.txt") warnings"
grep -E '^[EW]:' "$tmp/lintian.txt"
[[ $status -eq 0 ]] || { cat "$tmp/lintian.txt"; fail "lintian reports errors (status $status)"; }

[[ $failures -eq 0 ]] && echo "packages: kvdesk and kvdesk-cli $version hold, validate and run as they should"
exit $failures
