#!/usr/bin/env bash
# Fails when a function of the library, the CLI or the window (src/, ui/) is longer than 60 lines, from
# its signature to its closing brace (CONTRIBUTING: functions under ~50 lines, widget constructors split
# below ~60). Functions are found as clang-format lays them out: a body opens with "{" alone at column 0
# and closes with "}" alone at column 0 (classes close with "};", namespaces with "} // namespace").
# Functions listed in function-length-exceptions.txt may keep the length written there, no more.
# Usage: check-function-length.sh SOURCE_DIR [EXCEPTIONS_FILE]
set -uo pipefail
top=${1:?usage: check-function-length.sh SOURCE_DIR [EXCEPTIONS_FILE]}
exceptions=${2:-$(cd "$(dirname "$0")" && pwd)/function-length-exceptions.txt}
limit=60
cd "$top" || exit 2
mapfile -t files < <(find src ui -name '*.cpp' 2>/dev/null | sort)
[[ ${#files[@]} -gt 0 ]] || { echo "check-function-length: no sources under $top"; exit 2; }

# "<lines> <file> <line> <function>" for every function body.
lengths=$(awk '
    FNR == 1 { n = 0 }
    { text[++n] = $0 }
    $0 == "}" && open > 0 {
        name = text[start]
        if (match(name, /[A-Za-z_~][A-Za-z0-9_:~]*(<[^()]*>)?\(/))
            name = substr(name, RSTART, RLENGTH - 1)
        print FNR - start + 1, FILENAME, start, name
        open = 0
    }
    $0 == "};" { open = 0 }
    $0 == "{" {
        # The signature: back over its wrapped parameters and constructor initialisers (indented, or
        # starting with ":" or ",") to its first line.
        start = FNR - 1
        while (start > 1 && text[start] ~ /^[ \t:,]/)
            --start
        open = 1
    }
' "${files[@]}")

failures=0
while read -r length file line name; do
    [[ $length -gt $limit ]] || continue
    allowed=$(awk -v f="$file" -v fn="$name" '$1 == f && $2 == fn { print $3 }' "$exceptions" 2>/dev/null)
    if [[ -n $allowed && $length -le $allowed ]]; then
        continue
    elif [[ -n $allowed ]]; then
        echo "$file:$line: $name is $length lines, more than the $allowed its exception allows: split it"
    else
        echo "$file:$line: $name is $length lines (at most $limit): split it into named functions"
    fi
    failures=$((failures + 1))
done <<<"$lengths"

# Exceptions that no longer hold are only reported: whoever split the function may drop the line.
while read -r file fn _; do
    [[ -z $file || $file == \#* ]] && continue
    if ! awk -v f="$file" -v fn="$fn" -v limit="$limit" '$2 == f && $4 == fn && $1 > limit { found = 1 } END { exit !found }' <<<"$lengths"; then
        echo "check-function-length: note: $file $fn is no longer over $limit lines; its exception can go"
    fi
done <"$exceptions"

if [[ $failures -gt 0 ]]; then
    echo "check-function-length: $failures functions too long"
    exit 1
fi
echo "check-function-length: $(wc -l <<<"$lengths") functions in ${#files[@]} files, none over $limit lines but the listed exceptions"
