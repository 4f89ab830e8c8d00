#!/usr/bin/env bash
# Time from a certificate stored in the hub to nginx serving it, through one certfleet-agent on the hub's watch
# stream, over COUNT updates (bench/agent_latency.cc measures); plus the agent's RSS idle before and after.
# Real processes: certfleet-hub (SQLite), a private nginx 1.22 (one TLS site reading the agent's live/ files),
# certfleet-agent with `nginx -t` as its test command, its built-in reload (SIGHUP to the master named by
# nginx.pid, config reload_signal_pid_file; RELOAD=command uses `nginx -s reload` instead) and the TLS check on.
# Interleaved with each update, the floor: the same nginx swap by hand (files, nginx -t, then the agent's reload:
# SIGHUP, or nginx -s reload with RELOAD=command), no hub, no agent.
# MODE=reload-free (issue 16): the site reads the certificate through certfleet's reload-free lines (docs/nginx.md §4)
# and the agent runs with reload_free = true: a renewal is one rename, no nginx -t, no reload. The floor is still the
# reload path's, measured the same way in the same run.
# SITES=N adds N other TLS sites with fixed certificate paths (what a reload re-reads; default 0).
# usage: bench/agent_latency.sh [COUNT]   (default 200)
#   env: BUILD_DIR (default build/release) holds certfleet-agent and bench/agent_latency;
#        RELOAD=signal (default: SIGHUP via reload_signal_pid_file) or RELOAD=command (nginx -s reload);
#        HUB_BIN (default $BUILD_DIR/src/hub/certfleet-hub); AGENT_LOG_LEVEL (default warn; debug logs per-step ms);
#        PROBE_MS (default 5): pause between the benchmark's TLS handshakes while it waits for the new leaf;
#        KEEP=1 keeps the scratch folder (agent, hub and nginx logs) for profiling.
set -euo pipefail
cd "$(dirname "$0")/.."
count=${1:-200}; build=${BUILD_DIR:-build/release}; hub_bin=${HUB_BIN:-$build/src/hub/certfleet-hub}
T=$(mktemp -d /tmp/certfleet-bench.XXXXXX)
chmod 711 "$T"   # reload-free: nginx's workers (nobody) walk to the agent's files
mode=${MODE:-reload}; sites=${SITES:-0}
source scripts/lib/servers.sh
source scripts/lib/pipeline.sh
trap 'stop_servers; if [[ -n "${KEEP:-}" ]]; then echo "kept $T" >&2; else rm -rf "$T"; fi' EXIT
rss_kb() { awk '/^VmRSS/ {print $2}' "/proc/$1/status"; }
domain=latency.bench.test

hub_port=$(free_port); http_port=$(free_port); tls_port=$(free_port); front_port=$(free_port)
start_nginx "$http_port" "$tls_port" "$front_port" "$hub_port"

mkdir -m 700 "$T/hub"
"$hub_bin" --data-dir "$T/hub" --listen "127.0.0.1:$hub_port" --log-level warn >"$T/hub.log" 2>&1 &
remember_pid $!
HUB_URL="http://127.0.0.1:$hub_port"
wait_http "$HUB_URL/healthz"
for ((i = 0; i < 200; i++)); do [[ -s "$T/hub/admin.token" ]] && break; sleep 0.02; done
export CERTFLEET_TOKEN; CERTFLEET_TOKEN=$(tr -d '\n' <"$T/hub/admin.token")
api() {  # api METHOD PATH [JSON]
  curl -sf -X "$1" -H "Authorization: Bearer $CERTFLEET_TOKEN" -H 'Content-Type: application/json' \
    ${3:+-d "$3"} "$HUB_URL$2"
}
api POST /api/v1/customers '{"name":"bench","contact":""}' >/dev/null
api POST /api/v1/machines '{"name":"web-1","address":"127.0.0.1"}' >/dev/null
api POST /api/v1/domains "{\"name\":\"$domain\",\"customer\":\"bench\",\"machines\":[\"web-1\"],\"issuer\":\"manual\",\"sans\":[]}" >/dev/null
api POST /api/v1/tokens '{"role":"agent","name":"web-1","machine":"web-1"}' |
  python3 -c 'import json, sys; print(json.load(sys.stdin)["secret"])' >"$T/agent.token"
chmod 600 "$T/agent.token"

out=$T/agent-out
mkdir -p "$out"
chmod 711 "$out"
# Other sites on the host: fixed paths, loaded at every reload (one shared self-signed pair is enough for the cost).
for ((i = 0; i < sites; i++)); do write_nginx_site "site-$i.bench.test" "$tls_port" "$NGINX_PREFIX/placeholder"; done
if [[ $mode == reload-free ]]; then
  cat >"$NGINX_PREFIX/sites/$domain.conf" <<CONF
server {
  listen 127.0.0.1:$tls_port ssl;
  server_name $domain;
  ssl_certificate \$certfleet_bundle;
  ssl_certificate_key \$certfleet_bundle;
  location / { return 200 "ok $domain\n"; }
}
CONF
else
  write_nginx_site "$domain" "$tls_port" "$out/live/$domain"
fi
# The floor: a second site whose files the benchmark swaps by hand (see bench/agent_latency.cc).
mkdir -p "$T/floor"
cp "$NGINX_PREFIX/placeholder/fullchain.pem" "$NGINX_PREFIX/placeholder/privkey.pem" "$T/floor/"
write_nginx_site floor.bench.test "$tls_port" "$T/floor"
cat >"$T/agent.toml" <<TOML
hub_url = "$HUB_URL"
token_file = "$T/agent.token"
output_dir = "$out"
test_command = "$NGINX_CMD -t -q"
reload_command = "$NGINX_CMD -s reload"
$([[ "${RELOAD:-signal}" == command ]] || echo "reload_signal_pid_file = \"$NGINX_PREFIX/nginx.pid\"")
verify_address = "127.0.0.1:$tls_port"
log_level = "${AGENT_LOG_LEVEL:-warn}"
$([[ $mode == reload-free ]] && printf 'reload_free = true\nkey_group = "nogroup"\n')
TOML
"$build/src/agent/certfleet-agent" -c "$T/agent.toml" >"$T/agent.log" 2>&1 &
agent_pid=$!
remember_pid $agent_pid
# Idle = the first pass done (the hub saw the agent) and nothing to deploy.
for ((i = 0; i < 500; i++)); do
  api GET /api/v1/machines 2>/dev/null | grep -q '"agent_last_seen":"' && break
  sleep 0.01
done
if [[ $mode == reload-free ]]; then
  # The agent wrote its map at start; nginx includes it from now on (one reload, before any timing).
  for ((i = 0; i < 500; i++)); do [[ -s "$out/nginx/certfleet-map.conf" ]] && break; sleep 0.01; done
  echo "include $out/nginx/certfleet-map.conf;" >"$NGINX_PREFIX/sites/00-certfleet-map.conf"
  $NGINX_CMD -t -q && $NGINX_CMD -s reload
  sleep 1
fi
sleep 1
rss_start=$(rss_kb $agent_pid)

echo
echo "Agent: certificate stored in the hub → served by nginx, $count updates (+1 warm-up), watch stream"
echo "($(nproc) cores, $(uname -m), $(date -u '+%Y-%m-%d %H:%M UTC'), load average before: $(cut -d' ' -f1-3 /proc/loadavg);"
echo " command: BUILD_DIR=$build MODE=$mode SITES=$sites RELOAD=${RELOAD:-signal} PROBE_MS=${PROBE_MS:-5} bench/agent_latency.sh $count)"
echo
floor_pid_file=()
[[ "${RELOAD:-signal}" == command ]] || floor_pid_file=("$NGINX_PREFIX/nginx.pid")
"$build/bench/agent_latency" "$HUB_URL" "$domain" "127.0.0.1:$tls_port" "$count" "$T/floor" "$NGINX_CMD" \
  "${floor_pid_file[@]}"
sleep 1
echo
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "agent RSS idle: $((rss_start / 1024)).$(((rss_start % 1024) * 10 / 1024)) MB after start, \
$(($(rss_kb $agent_pid) / 1024)).$((($(rss_kb $agent_pid) % 1024) * 10 / 1024)) MB after the $((count + 1)) deployments"
