#!/usr/bin/env bash
# Reload-free vs the reload path, side by side in one run (issue 16): bench/agent_latency.sh for MODE=reload and
# MODE=reload-free, each with SITES other TLS sites loaded by nginx (default "10 500"), alternating so both see the same
# machine. One row per (sites, mode): stored in the hub → served by nginx, and the floor of the reload path (nginx -t +
# SIGHUP by hand, same nginx, interleaved with the agent's updates).
# usage: bench/agent_latency_modes.sh [COUNT]   (default 50 updates per row)
#   env: BUILD_DIR (default build/release); SITES_LIST (default "10 500").
set -euo pipefail
cd "$(dirname "$0")/.."
count=${1:-50}
echo
echo "Agent: stored in the hub → served by nginx, reload-free beside the reload path, $count updates per row"
echo "($(nproc) cores, $(uname -m), $(date -u '+%Y-%m-%d %H:%M UTC'), load average before: $(cut -d' ' -f1-3 /proc/loadavg);"
echo " command: BUILD_DIR=${BUILD_DIR:-build/release} bench/agent_latency_modes.sh $count)"
echo
echo "| other TLS sites | agent mode | stored → served p50 (ms) | p90 | p99 | reload-path floor p50 (ms) |"
echo "|---:|---|---:|---:|---:|---:|"
for sites in ${SITES_LIST:-10 500}; do
  for mode in reload reload-free; do
    out=$(MODE=$mode SITES=$sites bench/agent_latency.sh "$count" 2>&1) || { echo "$out" >&2; exit 1; }
    served=$(grep -F '| stored in the hub → served by nginx |' <<<"$out")
    floor=$(grep -F '| floor:' <<<"$out")
    awk -F'|' -v s="$sites" -v m="$mode" -v floor="$floor" 'BEGIN { split(floor, f, "|") }
      { gsub(/ /, "", $4); gsub(/ /, "", $5); gsub(/ /, "", $6); gsub(/ /, "", f[4])
        printf "| %s | %s | %s | %s | %s | %s |\n", s, m, $4, $5, $6, f[4] }' <<<"$served"
  done
done
echo
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
