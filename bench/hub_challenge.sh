#!/usr/bin/env bash
# The hub's HTTP-01 responder under load: one pending challenge seeded into the store, then
# wrk (keep-alive) against /.well-known/acme-challenge/<token>, once per hub io_threads setting.
# usage: bench/hub_challenge.sh [IO_THREADS...]   (default: 1 2)
#   env: BUILD_DIR (default build/release), WRK_THREADS (1), WRK_CONNECTIONS (32), WRK_DURATION (10s)
set -euo pipefail
cd "$(dirname "$0")/.."
build=${BUILD_DIR:-build/release}
io_settings=("$@"); ((${#io_settings[@]})) || io_settings=(1 2)
wt=${WRK_THREADS:-1}; wc=${WRK_CONNECTIONS:-32}; wd=${WRK_DURATION:-10s}
T=$(mktemp -d /tmp/certfleet-bench.XXXXXX)
source scripts/lib/servers.sh
trap 'stop_servers; rm -rf "$T"' EXIT

token=$(head -c 32 /dev/urandom | basenc --base64url | tr -d '=')
key_authorization="$token.$(head -c 32 /dev/urandom | basenc --base64url | tr -d '=')"
mkdir -m 700 "$T/data"
"$build/bench/hub_seed" challenge "$T/data" "$token" "$key_authorization"

echo
echo "Hub HTTP-01 responder: \`wrk -t$wt -c$wc -d$wd\` (keep-alive) on one pending challenge"
echo "($(nproc) cores shared by the hub and wrk, $(uname -m), $(date -u +%Y-%m-%d), command: bench/hub_challenge.sh ${io_settings[*]})"
echo
echo "| io_threads | requests/s | avg latency | p99 latency | non-2xx |"
echo "|---:|---:|---:|---:|---:|"
for io in "${io_settings[@]}"; do
  port=$(free_port)
  CERTFLEET_HUB_IO_THREADS=$io "$build/src/hub/certfleet-hub" --data-dir "$T/data" --listen "127.0.0.1:$port" \
    --log-level warn >"$T/hub-$io.log" 2>&1 &
  hub_pid=$!
  remember_pid $hub_pid
  url="http://127.0.0.1:$port/.well-known/acme-challenge/$token"
  wait_http "http://127.0.0.1:$port/healthz"
  [[ "$(curl -sf "$url")" == "$key_authorization" ]] || { echo "hub did not serve the seeded challenge" >&2; exit 1; }
  wrk -t"$wt" -c"$wc" -d"$wd" --latency "$url" >"$T/wrk-$io.txt"
  rps=$(awk '/^Requests\/sec/ {printf "%.0f", $2}' "$T/wrk-$io.txt")
  avg=$(awk '/^ +Latency / {print $2; exit}' "$T/wrk-$io.txt")
  p99=$(awk '/^ +99% / {print $2}' "$T/wrk-$io.txt")
  non2xx=$(awk '/Non-2xx/ {print $NF}' "$T/wrk-$io.txt"); non2xx=${non2xx:-0}
  echo "| $io | $rps | $avg | $p99 | $non2xx |"
  kill "$hub_pid"; wait "$hub_pid" 2>/dev/null || true
done
