#!/usr/bin/env bash
# Formats every C and C++ file of the project with clang-format (.clang-format); --check only reports.
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
if [[ ${1:-} == --check ]]; then
    exec "$top/tests/codestyle/check-format.sh" "$top"
fi
cd "$top"
find src ui tests bench fuzz -name '*.cpp' -o -name '*.c' -o -name '*.h' 2>/dev/null | xargs clang-format -i
