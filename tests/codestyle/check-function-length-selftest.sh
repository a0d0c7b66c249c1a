#!/usr/bin/env bash
# Shows that check-function-length.sh can fail: a function of 61 lines is refused, one of 60 accepted, a
# listed exception accepted at its length and refused when it grows; a long class definition is no function.
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
tree=$(mktemp -d)
trap 'rm -rf "$tree"' EXIT
mkdir -p "$tree/src/kv" "$tree/ui"
# function NAME LINES: a definition of LINES lines in all, signature and braces included, with a wrapped
# signature and constructor-style initialisers as clang-format writes them.
function_of() {
    local name=$1 lines=$2
    printf 'Foo::%s(int a,\n        int b)\n    : m_a(a)\n{\n' "$name"
    for ((i = 0; i < lines - 5; ++i)); do
        printf '    ++m_a;\n'
    done
    printf '}\n\n'
}
{
    printf 'class Big\n{\n'
    for ((i = 0; i < 80; ++i)); do
        printf '    int m_%d = 0;\n' "$i"
    done
    printf '};\n\n'
    function_of fits 60
} >"$tree/src/kv/a.cpp"
function_of allowed 70 >"$tree/ui/b.cpp"
printf 'ui/b.cpp Foo::allowed 70\n' >"$tree/exceptions.txt"
"$here/check-function-length.sh" "$tree" "$tree/exceptions.txt" >/dev/null \
    || { echo "selftest: a tree without a function over 60 lines (but its exception) was refused"; exit 1; }
expect_refused() {
    local file=$1 name=$2 lines=$3
    cp "$tree/$file" "$tree/$file.orig"
    function_of "$name" "$lines" >>"$tree/$file"
    if "$here/check-function-length.sh" "$tree" "$tree/exceptions.txt" >/dev/null; then
        echo "selftest: $file with $name of $lines lines was accepted"
        exit 1
    fi
    mv "$tree/$file.orig" "$tree/$file"
}
expect_refused src/kv/a.cpp tooLong 61
expect_refused ui/b.cpp alsoTooLong 90
function_of allowed 71 >"$tree/ui/b.cpp" # the exception grew
if "$here/check-function-length.sh" "$tree" "$tree/exceptions.txt" >/dev/null; then
    echo "selftest: an exception that grew past its length was accepted"
    exit 1
fi
echo "selftest: check-function-length refuses every long function it was shown"
