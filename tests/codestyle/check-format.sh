#!/usr/bin/env bash
# Fails when a C or C++ file of the project is not formatted as .clang-format says (scripts/format.sh fixes it).
# Usage: check-format.sh SOURCE_DIR
set -uo pipefail
top=${1:?usage: check-format.sh SOURCE_DIR}
cd "$top" || exit 2
command -v clang-format >/dev/null || { echo "check-format: clang-format is not installed"; exit 1; }
mapfile -t files < <(find src ui tests bench fuzz -name '*.cpp' -o -name '*.c' -o -name '*.h' 2>/dev/null | sort)
report=$(clang-format --dry-run --Werror "${files[@]}" 2>&1 | grep -E '^[^ ].*: (error|warning):' | cut -d: -f1 | sort -u)
if [[ -z $report ]]; then
    echo "check-format: ${#files[@]} files formatted as .clang-format says"
    exit 0
fi
echo "$report"
echo "check-format: the files above are not formatted as .clang-format says (run scripts/format.sh)"
exit 1
