#!/usr/bin/env bash
# Fuzzes kvdesk's decoders of untrusted bytes (the targets in fuzz/) with libFuzzer, each for 10 million
# executions unless told otherwise, and prints per target: executions, exec/s, the coverage libFuzzer
# reached (cov: edges, ft: features, from its final line), the peak RSS, and the time taken.
# The targets are built with clang++ under AddressSanitizer and UndefinedBehaviorSanitizer into a build
# folder of their own (build-fuzz, or $KVDESK_FUZZ_BUILD_DIR), so a crash, a leak, undefined behaviour, a
# failed property (FUZZ_CHECK), a timeout or more memory than -rss_limit_mb stops the target: the input
# is left in <build>/artifacts/ and the script fails. Each target starts from its seeds
# (fuzz/corpus/<target>/, never written to) and what earlier runs found (<build>/corpus/<target>/).
#
# Usage: bench/fuzz.sh [-runs=N] [-rss_limit_mb=MB] [-max_len=BYTES] [other libFuzzer -flags] [TARGET...]
#   bench/fuzz.sh                          every target, 10,000,000 executions each
#   bench/fuzz.sh -runs=500000 kvndjson    one target, a short run
# A crash found is fixed test-first (a unit test in tests/auto), and its input added to fuzz/corpus/<target>/
# so the regular test build replays it (ctest -L fuzz).
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
build=${KVDESK_FUZZ_BUILD_DIR:-$top/build-fuzz}

runs=10000000
rss_limit=2048
max_len=4096
flags=()
targets=()
for arg in "$@"; do
    case $arg in
    -runs=*) runs=${arg#-runs=} ;;
    -rss_limit_mb=*) rss_limit=${arg#-rss_limit_mb=} ;;
    -max_len=*) max_len=${arg#-max_len=} ;;
    -h | --help) awk 'NR > 1 && !/^#/ { exit } NR > 1 { sub(/^# ?/, ""); print }' "$0"; exit 0 ;;
    -*) flags+=("$arg") ;;
    *) targets+=("$arg") ;;
    esac
done
if [[ ${#targets[@]} -eq 0 ]]; then
    for source in "$top"/fuzz/fuzz_*.cpp; do
        name=$(basename "$source" .cpp)
        targets+=("${name#fuzz_}")
    done
fi

"$top/scripts/install-deps.sh" fuzz
if [[ ! -f $build/CMakeCache.txt ]]; then
    args=(-G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCMAKE_CXX_COMPILER=clang++ -DKVDESK_FUZZ=ON
          -DBUILD_TESTING=OFF -DKVDESK_BUILD_APP=OFF -DKVDESK_BUILD_BENCH=OFF)
    if command -v ccache >/dev/null; then args+=(-DCMAKE_CXX_COMPILER_LAUNCHER=ccache); fi
    cmake -S "$top" -B "$build" "${args[@]}" >/dev/null
fi
build_targets=()
for target in "${targets[@]}"; do build_targets+=(--target "fuzz_$target"); done
cmake --build "$build" -j2 "${build_targets[@]}" >/dev/null

mkdir -p "$build/artifacts" "$build/logs"
printf '%-20s %12s %9s %7s %7s %8s %8s  %s\n' target executions exec/s cov ft rss_mb seconds result
failed=0
for target in "${targets[@]}"; do
    corpus=$build/corpus/$target
    log=$build/logs/$target.log
    mkdir -p "$corpus"
    start=$EPOCHREALTIME
    result=ok
    # UBSan prints where and stops at its first finding; LeakSanitizer stays on. ASan records no stack per
    # allocation and holds freed memory back up to 64 MiB: recording them took a third of the time of
    # allocation-heavy targets, and its stack store and quarantine grew a target to the rss limit
    # (valueviews: 1.5 GB after 0.9 M runs, 130 MB flat without; 3x the executions). A bad access is still
    # reported where it happens; replay the input (fuzz_<target> FILE) without ASAN_OPTIONS to see where
    # the memory was allocated and freed.
    if ! QT_QPA_PLATFORM=offscreen UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
        ASAN_OPTIONS=${ASAN_OPTIONS:-malloc_context_size=0:quarantine_size_mb=64} \
        "$build/fuzz/fuzz_$target" -runs="$runs" -rss_limit_mb="$rss_limit" -malloc_limit_mb="$rss_limit" \
        -max_len="$max_len" -timeout=25 -print_final_stats=1 \
        -artifact_prefix="$build/artifacts/$target-" "${flags[@]}" "$corpus" "$top/fuzz/corpus/$target" \
        >"$log" 2>&1; then
        result="FAILED: $(grep -m1 -E '(FUZZ_CHECK failed|runtime error|^==[0-9]+== ?ERROR)' "$log" || echo 'see log')"
        failed=1
    fi
    seconds=$(awk "BEGIN { print $EPOCHREALTIME - $start }")
    last=$(grep -E '^#[0-9]+' "$log" | tail -1)
    executions=$(grep -oP 'stat::number_of_executed_units: +\K[0-9]+' "$log" || echo "${last%% *}" | tr -d '#')
    # libFuzzer's average, or (under a second, where it says 0) executions over the time taken.
    exec_per_s=$(grep -oP 'stat::average_exec_per_sec: +\K[0-9]+' "$log" || echo 0)
    [[ $exec_per_s != 0 ]] || exec_per_s=$(awk "BEGIN { printf \"%d\", ${executions:-0} / $seconds }")
    cov=$(grep -oP ' cov: \K[0-9]+' <<<"$last" || echo '?')
    ft=$(grep -oP ' ft: \K[0-9]+' <<<"$last" || echo '?')
    # The peak: libFuzzer's final statistic, or the largest "rss:" of its status lines.
    rss=$( (grep -oP 'stat::peak_rss_mb: +\K[0-9]+' "$log"; grep -oP ' rss: \K[0-9]+' "$log") | sort -n | tail -1)
    printf '%-20s %12s %9s %7s %7s %8s %8.0f  %s\n' "$target" "$executions" "$exec_per_s" "$cov" "$ft" "${rss:-?}" \
        "$seconds" "$result"
done
echo "logs: $build/logs/<target>.log; inputs that failed: $build/artifacts/"
exit $failed
