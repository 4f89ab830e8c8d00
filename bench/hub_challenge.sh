#!/usr/bin/env bash
# The hub's HTTP-01 responder under load: one pending challenge seeded into the store, then
# wrk (keep-alive) against /.well-known/acme-challenge/<token>, once per hub io_threads setting
# (answered from the hub's in-memory challenge cache, which asks SQLite again once a second), plus
# an unknown token (404: every request asks SQLite). As the reference for what this machine allows
# in the same run: nginx with as many workers, answering the same bytes with `return 200`.
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

# run_wrk LABEL THREADS URL: prints one table row.
run_wrk() {
  local label=$1 threads=$2 url=$3 out="$T/wrk-$RANDOM.txt"
  wrk -t"$wt" -c"$wc" -d"$wd" --latency "$url" >"$out"
  local rps avg p99 non2xx
  rps=$(awk '/^Requests\/sec/ {printf "%.0f", $2}' "$out")
  avg=$(awk '/^ +Latency / {print $2; exit}' "$out")
  p99=$(awk '/^ +99% / {print $2}' "$out")
  non2xx=$(awk '/Non-2xx/ {print $NF}' "$out"); non2xx=${non2xx:-0}
  echo "| $label | $threads | $rps | $avg | $p99 | $non2xx |"
}

start_nginx() {  # start_nginx WORKERS PORT
  mkdir -p "$T/nginx/logs"
  cat >"$T/nginx/nginx.conf" <<CONF
worker_processes $1;
pid $T/nginx/nginx.pid;
error_log $T/nginx/logs/error.log warn;
events { worker_connections 1024; }
http {
  access_log off;
  client_body_temp_path $T/nginx/body; proxy_temp_path $T/nginx/proxy; fastcgi_temp_path $T/nginx/fcgi;
  uwsgi_temp_path $T/nginx/uwsgi; scgi_temp_path $T/nginx/scgi;
  keepalive_requests 1000000;
  server {
    listen 127.0.0.1:$2;
    location /.well-known/acme-challenge/ { default_type text/plain; return 200 "$key_authorization"; }
  }
}
CONF
  nginx -p "$T/nginx" -c nginx.conf -e "$T/nginx/logs/error.log"
  wait_http "http://127.0.0.1:$2/.well-known/acme-challenge/$token"
}

echo
echo "Hub HTTP-01 responder: \`wrk -t$wt -c$wc -d$wd\` (keep-alive) on one pending challenge"
echo "($(nproc) cores shared by the server and wrk, $(uname -m), $(date -u +%Y-%m-%d), command: bench/hub_challenge.sh ${io_settings[*]})"
echo
echo "| server | io_threads / workers | requests/s | avg latency | p99 latency | non-2xx |"
echo "|---|---:|---:|---:|---:|---:|"
for io in "${io_settings[@]}"; do
  port=$(free_port)
  CERTFLEET_HUB_IO_THREADS=$io "$build/src/hub/certfleet-hub" --data-dir "$T/data" --listen "127.0.0.1:$port" \
    --log-level warn >"$T/hub-$io.log" 2>&1 &
  hub_pid=$!
  remember_pid $hub_pid
  url="http://127.0.0.1:$port/.well-known/acme-challenge/$token"
  wait_http "http://127.0.0.1:$port/healthz"
  [[ "$(curl -sf "$url")" == "$key_authorization" ]] || { echo "hub did not serve the seeded challenge" >&2; exit 1; }
  run_wrk "certfleet-hub, pending token (200)" "$io" "$url"
  run_wrk "certfleet-hub, unknown token (404)" "$io" "http://127.0.0.1:$port/.well-known/acme-challenge/unknown$token"
  kill "$hub_pid"; wait "$hub_pid" 2>/dev/null || true
done
for workers in "${io_settings[@]}"; do
  port=$(free_port)
  start_nginx "$workers" "$port"
  run_wrk "nginx 1.22, \`return 200\` (reference)" "$workers" "http://127.0.0.1:$port/.well-known/acme-challenge/$token"
  nginx -p "$T/nginx" -c nginx.conf -s quit 2>/dev/null
  for ((i = 0; i < 100; i++)); do [[ -f "$T/nginx/nginx.pid" ]] || break; sleep 0.05; done
done
