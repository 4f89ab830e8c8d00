#!/usr/bin/env bash
# The hub with COUNT domains, each with a current certificate (seeded through the Store API):
# start-up time (process start → /healthz answers), RSS after start and after API calls, and
# Store::ListDomainsDueForRenewal over all of them (median of 10).
# usage: bench/hub_scale.sh [COUNT]   (default 100000)
#   env: BUILD_DIR (default build/release); SEEDED_DIR=DIR reuses (copies) a data dir seeded
#   earlier with the same COUNT instead of seeding again (seeding 100k takes minutes).
set -euo pipefail
cd "$(dirname "$0")/.."
count=${1:-100000}; build=${BUILD_DIR:-build/release}
T=$(mktemp -d /tmp/certfleet-bench.XXXXXX)
source scripts/lib/servers.sh
trap 'stop_servers; rm -rf "$T"' EXIT
now_ms() { date +%s%3N; }
rss_mb() { awk '/^VmRSS/ {printf "%.1f", $2 / 1024}' "/proc/$1/status"; }

# A realistic chain, the same for both scale benchmarks (scripts/lib/bench_chain.sh).
source scripts/lib/bench_chain.sh
write_bench_chain "$T"

if [[ -n "${SEEDED_DIR:-}" ]]; then
  cp -a "$SEEDED_DIR" "$T/data"; seed_note="copied from $SEEDED_DIR"
else
  mkdir -m 700 "$T/data"
  start=$(now_ms)
  "$build/bench/hub_seed" domains "$T/data" "$count" "$T/chain.pem"
  seed_note="seeded in $(( ($(now_ms) - start) / 1000 )) s through the Store API, one domain + one certificate per call"
fi
db_mb=$(du -sm "$T/data" | cut -f1)

start_hub() {  # sets hub_pid, base, startup_ms
  local port; port=$(free_port)
  local t0; t0=$(now_ms)
  "$build/src/hub/certfleet-hub" --data-dir "$T/data" --listen "127.0.0.1:$port" --log-level warn \
    >>"$T/hub.log" 2>&1 &
  hub_pid=$!
  remember_pid $hub_pid
  base="http://127.0.0.1:$port"
  until curl -sf -o /dev/null "$base/healthz"; do
    kill -0 "$hub_pid" 2>/dev/null || { cat "$T/hub.log" >&2; exit 1; }
    sleep 0.005
  done
  startup_ms=$(( $(now_ms) - t0 ))
}

echo
echo "Hub with $count domains, each with a current certificate (chain $(wc -c <"$T/chain.pem") bytes; data dir ${db_mb} MB, $seed_note)"
echo "($(nproc) cores, $(uname -m), $(date -u +%Y-%m-%d), command: bench/hub_scale.sh $count)"
echo
echo "| run | start-up (start → /healthz) | RSS after start | API calls | slowest call | RSS after calls |"
echo "|---:|---:|---:|---|---:|---:|"
for run in 1 2 3; do
  start_hub
  rss_start=$(rss_mb "$hub_pid")
  token=$(cat "$T/data/admin.token")
  slowest=0
  for q in "limit=100" "limit=100&offset=50000" "limit=100&sort=not_after" "limit=100&q=d99" "limit=100&expiring_within_days=30"; do
    t0=$(now_ms)
    curl -sf -o /dev/null -H "Authorization: Bearer $token" "$base/api/v1/domains?$q"
    ms=$(( $(now_ms) - t0 )); (( ms > slowest )) && slowest=$ms
  done
  echo "| $run | ${startup_ms} ms | $rss_start MB | 5× GET /api/v1/domains?limit=100 (offset, sort, search, expiring) | ${slowest} ms | $(rss_mb "$hub_pid") MB |"
  kill "$hub_pid"; wait "$hub_pid" 2>/dev/null || true
done

echo
echo "Store::ListDomainsDueForRenewal(now, limit) over the $count domains (about 1/60 due; hub stopped)"
echo
"$build/bench/hub_seed" due "$T/data" 10
