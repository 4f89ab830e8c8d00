#!/usr/bin/env bash
# GET /metrics of a hub with COUNT domains (issue 18: ≤ 200 ms and ≤ 20 MB extra RSS at 100,000).
# The fleet: COUNT domains over MACHINES machines and COUNT/100 customers, each with a current
# certificate, 95 % reported served (bench/hub_seed fleet). Prints one table row per scrape
# (wall time by curl, bytes, series) and the hub's RSS before and its peak (VmHWM) after.
# usage: bench/metrics_scrape.sh [COUNT] [MACHINES]   (defaults 100000, 100)
#   env: BUILD_DIR (default build/release); SEEDED_DIR=DIR reuses a data dir seeded with the same
#   COUNT and MACHINES (seeding 100k takes minutes); RUNS (default 10); HUB_BIN (default
#   $BUILD_DIR/src/hub/certfleet-hub: another build's hub, e.g. the one before a change, side by side).
set -euo pipefail
cd "$(dirname "$0")/.."
count=${1:-100000}; machines=${2:-100}; build=${BUILD_DIR:-build/release}; runs=${RUNS:-10}
hub_bin=${HUB_BIN:-$build/src/hub/certfleet-hub}
T=$(mktemp -d /tmp/certfleet-bench.XXXXXX)
source scripts/lib/servers.sh
trap 'stop_servers; rm -rf "$T"' EXIT
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 30 -subj "/CN=bench" \
  -keyout "$T/ca.key" -out "$T/chain.pem" 2>/dev/null
if [[ -n "${SEEDED_DIR:-}" ]]; then
  cp -a "$SEEDED_DIR" "$T/data"
else
  mkdir -m 700 "$T/data"
  "$build/bench/hub_seed" fleet "$T/data" "$count" "$machines" "$T/chain.pem"
fi
port=$(free_port)
printf '[metrics]\npublic = true\n' >"$T/hub.toml"
"$hub_bin" --config "$T/hub.toml" --data-dir "$T/data" --listen "127.0.0.1:$port" \
  --log-level warn >"$T/hub.log" 2>&1 &
hub_pid=$!
remember_pid "$hub_pid"
wait_http "http://127.0.0.1:$port/healthz" 600
kb() { awk -v k="$1:" '$1 == k {print $2}' "/proc/$hub_pid/status"; }
# The hub's CPU time (user + system) in ms: on a loaded machine the wall time says little, this does.
cpu_ms() { awk -v hz="$(getconf CLK_TCK)" '{print int(($14 + $15) * 1000 / hz)}' "/proc/$hub_pid/stat"; }
curl -fsS "http://127.0.0.1:$port/healthz" >/dev/null
sleep 1
rss_before=$(kb VmRSS); hwm_before=$(kb VmHWM)
echo "hub with $count domains on $machines machines; load: $(cut -d' ' -f1-3 /proc/loadavg)"
echo
echo "| scrape | wall ms | hub CPU ms | bytes | series |"
echo "|---:|---:|---:|---:|---:|"
for ((r = 1; r <= runs; r++)); do
  cpu_before=$(cpu_ms)
  read -r secs bytes < <(curl -fsS -o "$T/scrape.txt" -w '%{time_total} %{size_download}\n' \
    "http://127.0.0.1:$port/metrics")
  series=$(grep -vc '^#' "$T/scrape.txt")
  printf '| %d | %.1f | %d | %s | %s |\n' "$r" "$(echo "$secs * 1000" | bc -l)" "$(($(cpu_ms) - cpu_before))" \
    "$bytes" "$series"
done
rss_after=$(kb VmRSS); hwm_after=$(kb VmHWM)
echo
printf 'hub RSS: %.1f MB before the scrapes, peak %.1f MB during them (+%.1f MB; the peak before was %.1f MB), %.1f MB after\n' \
  "$(echo "$rss_before / 1024" | bc -l)" "$(echo "$hwm_after / 1024" | bc -l)" \
  "$(echo "($hwm_after - $rss_before) / 1024" | bc -l)" "$(echo "$hwm_before / 1024" | bc -l)" \
  "$(echo "$rss_after / 1024" | bc -l)"
