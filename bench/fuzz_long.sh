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
# FUZZ_WORKERS=W: W processes per target sharing its corpus folder (libFuzzer re-reads it every
# second), RUNS/W executions each; the table sums their executions (a slow target such as
# private_key_fuzz, ~1,000 exec/s, gets every core).
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
workers=${FUZZ_WORKERS:-1}
shift || true
cmake --preset fuzz >/dev/null
cmake --build --preset fuzz >&2
targets=("$@")
if ((${#targets[@]} == 0)); then
  mapfile -t targets < <(sed -n 's/^certfleet_fuzz_target(\([a-z0-9_]*\) .*/\1/p' tests/fuzz/CMakeLists.txt)
fi
out=build/fuzz/long
mkdir -p "$out"
# Logs: $out/<target>.log, or $out/<target>.w<i>.log for each of several workers.
logs_of() { if [[ -f "$out/$1.log" ]]; then echo "$out/$1.log"; else ls "$out/$1".w*.log; fi; }
one() {
  local target=$1 runs=$2 out=$3 max_seconds=$4 timeout=$5 workers=$6 i log
  mkdir -p "build/fuzz/long-corpus/$target" "build/fuzz/findings/$target"
  rm -f "$out/$target.log" "$out/$target".w*.log
  local start=$SECONDS
  for ((i = 0; i < workers; i++)); do
    log=$out/$target.log
    ((workers == 1)) || log=$out/$target.w$i.log
    build/fuzz/tests/fuzz/"$target" -runs=$(((runs + workers - 1) / workers)) -max_total_time="$max_seconds" \
      -timeout="$timeout" -rss_limit_mb=2048 -print_final_stats=1 -artifact_prefix="build/fuzz/findings/$target/" \
      "build/fuzz/long-corpus/$target" "tests/fuzz/corpus/$target" >"$log" 2>&1 &
  done
  wait || true
  echo $((SECONDS - start)) >"$out/$target.seconds"
}
export -f one
printf '%s\n' "${targets[@]}" |
  xargs -P"$jobs" -I{} bash -c 'one "$@"' _ {} "$runs" "$out" "$max_seconds" "$timeout" "$workers"

# last NAME: the largest value of libFuzzer's "NAME: n" in the last status line of any of ${logs[@]} (the
# workers of a target share one corpus, so coverage and corpus size are the best any of them reached).
last() {
  local l
  for l in "${logs[@]}"; do grep -E '^#[0-9]+' "$l" | tail -1; done |
    grep -o "$1: [0-9]*" | awk '$2 > m { m = $2 } END { print m }'
}
echo "| target | executions | seconds | exec/s | cov (edges) | ft (features) | corpus | findings |"
echo "|---|---:|---:|---:|---:|---:|---:|---|"
for target in "${targets[@]}"; do
  mapfile -t logs < <(logs_of "$target")
  seconds=$(cat "$out/$target.seconds")
  execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "${logs[@]}" | awk '{ n += $1 } END { print n }')
  rate=$(awk -v e="$execs" -v s="$seconds" 'BEGIN { if (s > 0) printf "%.0f", e / s }')
  cov=$(last cov); ft=$(last ft); corp=$(last corp)
  findings=$(find "build/fuzz/findings/$target" -type f \( -name 'crash-*' -o -name 'leak-*' -o -name 'timeout-*' -o -name 'oom-*' \) | wc -l)
  verdict="none"
  ((findings == 0)) || verdict="$findings (build/fuzz/findings/$target)"
  workers_note=""
  ((${#logs[@]} == 1)) || workers_note=" (${#logs[@]} workers)"
  echo "| $target$workers_note | ${execs:-?} | $seconds | ${rate:-?} | ${cov:-?} | ${ft:-?} | ${corp:-?} | $verdict |"
done
