#!/usr/bin/env bash
# Long fuzz runs (issue 13): every libFuzzer target of tests/fuzz for RUNS executions (default
# 10 million) from its seed corpus, $(nproc) targets at a time, and one table row per target:
# executions, executions/s, coverage (libFuzzer's "cov" edges and "ft" features at the end),
# corpus size, and findings (crash/leak/timeout/oom inputs, kept in build/fuzz/findings/).
#
#   flock /work/heavy.lock bench/fuzz_long.sh [RUNS] [TARGET...]     (bench/run-all fuzz_long)
#
# FUZZ_MAX_SECONDS=N stops each target after N seconds even before RUNS (a shared or short
# session; the table then shows how many executions fitted). FUZZ_JOBS: targets at a time.
# FUZZ_TIMEOUT (default 10): seconds one input may take before libFuzzer calls it a timeout.
# libFuzzer measures wall-clock time, so a run that is paused (SIGSTOP, e.g. while a quiet
# benchmark runs) needs a timeout longer than its pauses, or every pause is a false finding.
#
# Builds the fuzz preset (clang-16, ASan + UBSan + libFuzzer) first. The corpus each run grows
# stays in build/fuzz/long-corpus/<target>; the seeds in the tree are not changed.
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${1:-10000000}
max_seconds=${FUZZ_MAX_SECONDS:-0}
timeout=${FUZZ_TIMEOUT:-10}
jobs=${FUZZ_JOBS:-$(nproc)}
shift || true
cmake --preset fuzz >/dev/null
cmake --build --preset fuzz >&2
targets=("$@")
if ((${#targets[@]} == 0)); then
  mapfile -t targets < <(sed -n 's/^certfleet_fuzz_target(\([a-z0-9_]*\) .*/\1/p' tests/fuzz/CMakeLists.txt)
fi
out=build/fuzz/long
mkdir -p "$out"
one() {
  local target=$1 runs=$2 out=$3 max_seconds=$4 timeout=$5
  mkdir -p "build/fuzz/long-corpus/$target" "build/fuzz/findings/$target"
  local start=$SECONDS
  build/fuzz/tests/fuzz/"$target" -runs="$runs" -max_total_time="$max_seconds" -timeout="$timeout" \
    -rss_limit_mb=2048 -print_final_stats=1 -artifact_prefix="build/fuzz/findings/$target/" "build/fuzz/long-corpus/$target" \
    "tests/fuzz/corpus/$target" >"$out/$target.log" 2>&1 || true
  echo $((SECONDS - start)) >"$out/$target.seconds"
}
export -f one
printf '%s\n' "${targets[@]}" | xargs -P"$jobs" -I{} bash -c 'one "$@"' _ {} "$runs" "$out" "$max_seconds" "$timeout"

echo "| target | executions | seconds | exec/s | cov (edges) | ft (features) | corpus | findings |"
echo "|---|---:|---:|---:|---:|---:|---:|---|"
for target in "${targets[@]}"; do
  log=$out/$target.log
  execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
  rate=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$log" | tail -1)
  last=$(grep -E '^#[0-9]+' "$log" | tail -1)
  cov=$(grep -o 'cov: [0-9]*' <<<"$last" | awk '{print $2}')
  ft=$(grep -o 'ft: [0-9]*' <<<"$last" | awk '{print $2}')
  corp=$(grep -o 'corp: [0-9]*' <<<"$last" | awk '{print $2}')
  findings=$(find "build/fuzz/findings/$target" -type f \( -name 'crash-*' -o -name 'leak-*' -o -name 'timeout-*' -o -name 'oom-*' \) | wc -l)
  verdict="none"
  ((findings == 0)) || verdict="$findings (build/fuzz/findings/$target)"
  echo "| $target | ${execs:-?} | $(cat "$out/$target.seconds") | ${rate:-?} | ${cov:-?} | ${ft:-?} | ${corp:-?} | $verdict |"
done
