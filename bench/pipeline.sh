#!/usr/bin/env bash
# The whole pipeline, timed: "domain saved" → "new certificate served by nginx", for N domains one after another,
# certfleet's way beside the seed system's way, on one Pebble (PEBBLE_VA_NOSLEEP=1) and one nginx.
#
#   certfleet:  POST /api/v1/domains (what the UI and CLI do) → hub orders from Pebble, Pebble fetches the token
#               through nginx's challenge proxy from the hub → certificate stored → event on the watch stream →
#               agent fetches, writes live/, nginx -t, reload (SIGHUP to the master, as the agent's
#               reload_signal_pid_file does on a production host), TLS handshake shows the new certificate → report.
#   seed way:   certbot certonly --manual, whose auth hook POSTs the token to a ClientManager stand-in
#               (bench/seed/client_manager.py) that nginx proxies the challenge path to, and whose deploy hook copies
#               the files, runs nginx -t and reloads nginx (the seed's cert-monitor, minus RabbitMQ).
#
# End, the same for both ways: "served" = the first TLS handshake with SNI that presents the new certificate, seen by
# bench/served_probe (one handshake every PROBE_MS, default 5, from just before the save). For certfleet a second
# row ends at the agent's deployment report instead (logged by nginx in front of the hub, $msec), which it sends only
# after its own handshakes saw the new certificate three times in a row: after a reload nginx's master lets old and
# new workers accept side by side for ~100 ms, so "first served" and "every new connection served" differ by that.
#
# Reload-free (issue 16), in the same run: a second agent (machine web-2, reload_free = true, its own output folder)
# behind a second TLS port whose default server reads certificates at handshake time (docs/nginx.md §4); its domains
# r1…rN alternate with the reload path's d1…dN and need no site file and no reload.
#
# Prints a markdown table (p50, p90, p99, max in ms). Every certfleet domain is also checked afterwards: the probe's
# first new certificate and what nginx serves at the end must both be exactly the hub's certificate.
#
# usage: bench/pipeline.sh [DOMAINS] [SEED_DOMAINS]    (defaults 50 and 10)
#        BUILD_DIR=build/release (default) must hold certfleet-hub, certfleet-agent, certfleet.
set -euo pipefail
cd "$(dirname "$0")/.."
domains=${1:-50}
seed_domains=${2:-10}
build=${BUILD_DIR:-build/release}
hub_bin=$build/src/hub/certfleet-hub agent_bin=$build/src/agent/certfleet-agent cli_bin=$build/src/cli/certfleet
probe_bin=$build/bench/served_probe probe_ms=${PROBE_MS:-5}
for b in "$hub_bin" "$agent_bin" "$cli_bin" "$probe_bin"; do
  [[ -x $b ]] || { echo "pipeline: $b is missing (configure $build with -DCERTFLEET_BUILD_BENCH=ON and build certfleet-hub certfleet-agent certfleet served_probe)" >&2; exit 1; }
done
for tool in certbot jq openssl python3; do
  command -v "$tool" >/dev/null || { echo "pipeline: $tool is missing; run scripts/install-deps" >&2; exit 1; }
done

T=$(mktemp -d /tmp/certfleet-pipeline.XXXXXX)
chmod 711 "$T"   # reload-free: nginx's workers (nobody) walk to the second agent's files
source scripts/lib/servers.sh
source scripts/lib/pipeline.sh
source scripts/lib/timeline.sh
trap 'stop_servers; [[ -n "${CERTFLEET_KEEP_TEMP:-}" ]] || rm -rf "$T"' EXIT

http_port=$(free_port); tls_port=$(free_port); front_port=$(free_port); hub_port=$(free_port); cm_port=$(free_port)
rf_port=$(free_port); rf_out=$T/agent-rf-out
# The reload-free agent rewrites this stand-in map at its start (and reloads nginx); nginx needs one to start.
mkdir -p "$rf_out/nginx"; chmod 711 "$rf_out"
printf 'map $ssl_server_name $certfleet_bundle {\n    default "%s/nginx/fallback.pem";\n}\n' "$rf_out" \
  >"$rf_out/nginx/certfleet-map.conf"
start_pebble "$http_port"
RELOAD_FREE_PORT=$rf_port RELOAD_FREE_OUT=$rf_out start_nginx "$http_port" "$tls_port" "$front_port" "$hub_port"
start_hub "$hub_bin" "$hub_port" pebble "$PEBBLE_DIR_URL" "$PEBBLE_CA"
export CERTFLEET_HUB=$HUB_URL CERTFLEET_TOKEN=$ADMIN_TOKEN
"$cli_bin" customer add bench >/dev/null
"$cli_bin" machine add web-1 --customer bench >/dev/null
agent_token=$("$cli_bin" token create --role agent --machine web-1)
AGENT_PLAIN=1 start_agent "$agent_bin" "http://127.0.0.1:$front_port" "$agent_token" "$T/agent-out" "$tls_port"
for ((i = 0; i < 400; i++)); do [[ -n "$(first_access "$front_port" 'events.*200$')$(first_access "$front_port" 'agent/desired')" ]] && break; sleep 0.025; done
# The reload-free agent (web-2).
"$cli_bin" machine add web-2 --customer bench >/dev/null
"$cli_bin" token create --role agent --machine web-2 >"$T/agent-rf.token"
chmod 600 "$T/agent-rf.token"
cat >"$T/agent-rf.toml" <<TOML
hub_url = "http://127.0.0.1:$front_port"
token_file = "$T/agent-rf.token"
output_dir = "$rf_out"
test_command = "$NGINX_CMD -t -q"
reload_signal_pid_file = "$NGINX_PREFIX/nginx.pid"
verify_address = "127.0.0.1:$rf_port"
reload_free = true
key_group = "nogroup"
log_level = "${AGENT_LOG_LEVEL:-info}"
TOML
"$agent_bin" -c "$T/agent-rf.toml" >"$T/agent-rf.log" 2>&1 &
remember_pid $!
for ((i = 0; i < 400; i++)); do grep -q "reload-free: wrote" "$T/agent-rf.log" && break; sleep 0.025; done
sleep 1  # its reload of nginx for the new map

deployments_logged() { awk -v port="$front_port" '$2 == port && /agent\/deployments.*20[0-9]$/ { n++ } END { print n + 0 }' \
  "$T/nginx/logs/access.log"; }
last_deployment_ms() { awk -v port="$front_port" '$2 == port && /agent\/deployments.*20[0-9]$/ { ms = $1 } END { printf "%.0f\n", ms * 1000 }' \
  "$T/nginx/logs/access.log"; }

# --- certfleet ---------------------------------------------------------------------------------------------------
# What nginx presents for a name without its own site yet: the default server's placeholder.
placeholder_sha=$(openssl x509 -in "$NGINX_PREFIX/placeholder/fullchain.pem" -noout -fingerprint -sha256 |
  sed 's/.*=//; s/://g' | tr 'A-F' 'a-f')
# start_probe DOMAIN: bench/served_probe in the background, its output in $T/probe.DOMAIN; returns once it probes.
start_probe() {
  "$probe_bin" "127.0.0.1:${PROBE_PORT:-$tls_port}" "$1" "$placeholder_sha" "$probe_ms" 60000 >"$T/probe.$1" 2>&1 &
  PROBE_PID=$!
  remember_pid "$PROBE_PID"
  until [[ -s "$T/probe.$1" ]]; do kill -0 "$PROBE_PID" 2>/dev/null || break; sleep 0.005; done
}
# probe_result DOMAIN: waits for the probe (in this shell: it is this shell's child); sets SERVED_MS (epoch ms) and
# SERVED_SHA of the first new certificate nginx presented, or exits.
probe_result() {
  wait "$PROBE_PID" || { echo "pipeline: nginx never presented a new certificate for $1: $(cat "$T/probe.$1")" >&2; exit 1; }
  read -r SERVED_MS SERVED_SHA < <(tail -1 "$T/probe.$1")
}
: >"$T/certfleet.ms"; : >"$T/certfleet-reported.ms"; : >"$T/certfleet.first-served"
: >"$T/reload-free.ms"; : >"$T/reload-free-reported.ms"
# save_and_time DOMAIN MACHINE PORT MS_FILE REPORTED_FILE: saves the domain, waits for its deployment report, records
# saved → first served (the probe) and saved → reported.
save_and_time() {
  local domain=$1 machine=$2 port=$3
  local before; before=$(deployments_logged)
  PROBE_PORT=$port start_probe "$domain"
  local t0; t0=$(now_ms)
  curl -fsS -o /dev/null -H "Authorization: Bearer $ADMIN_TOKEN" -H 'Content-Type: application/json' \
    -d "{\"name\":\"$domain\",\"customer\":\"bench\",\"machines\":[\"$machine\"],\"issuer\":\"pebble\"}" "$HUB_URL/api/v1/domains"
  local deadline=$((t0 + 60000))
  until (($(deployments_logged) > before)); do
    (($(now_ms) < deadline)) || { echo "pipeline: $domain was not deployed within 60 s" >&2; "$cli_bin" domain show "$domain" >&2; exit 1; }
    # The end times come from the probe and nginx's log ($msec), not from this loop: poll gently, so the awk runs
    # do not take CPU from the pipeline being timed (every 5 ms they cost ~10-20 % of a core).
    sleep 0.05
  done
  probe_result "$domain"
  echo "$domain $SERVED_SHA" >>"$T/certfleet.first-served"
  echo $((SERVED_MS - t0)) >>"$4"
  echo $(($(last_deployment_ms) - t0)) >>"$5"
}
for ((i = 1; i <= domains; i++)); do
  write_nginx_site "d$i.pipeline.test" "$tls_port" "$T/agent-out/live/d$i.pipeline.test"
  save_and_time "d$i.pipeline.test" web-1 "$tls_port" "$T/certfleet.ms" "$T/certfleet-reported.ms"
  save_and_time "r$i.pipeline.test" web-2 "$rf_port" "$T/reload-free.ms" "$T/reload-free-reported.ms"
done
for ((i = 1; i <= domains; i++)); do
  for pair in "d$i.pipeline.test $tls_port" "r$i.pipeline.test $rf_port"; do
    read -r domain port <<<"$pair"
    want=$("$cli_bin" domain show "$domain" --json | jq -r .current_certificate.sha256)
    served=$(served_sha256 "$port" "$domain")
    first=$(awk -v d="$domain" '$1 == d { print $2 }' "$T/certfleet.first-served")
    [[ -n $want && $served == "$want" && $first == "$want" ]] ||
      { echo "pipeline: for $domain the hub has '$want', nginx first presented '$first' and now '$served'" >&2; exit 1; }
  done
done
if grep -q "after test + reload" "$T/agent-rf.log"; then
  echo "pipeline: the reload-free agent reloaded nginx for a domain:" >&2; grep "after test + reload" "$T/agent-rf.log" >&2; exit 1
fi

# --- the seed system's way ---------------------------------------------------------------------------------------
python3 bench/seed/client_manager.py "$cm_port" &
remember_pid $!
wait_http "http://127.0.0.1:$cm_port/"
# Pebble's HTTP-01 requests for *.seed.test reach the ClientManager stand-in instead of the hub.
cat >"$NGINX_PREFIX/sites/seed-challenge.conf" <<CONF
server {
  listen 127.0.0.1:$http_port;
  server_name *.seed.test;
  location /.well-known/acme-challenge/ { proxy_pass http://127.0.0.1:$cm_port; }
}
CONF
$NGINX_CMD -s reload
mkdir -p "$T/seed/out"
cat >"$T/seed/auth-hook.sh" <<HOOK
#!/bin/sh
exec curl -fsS -o /dev/null --data-urlencode "token=\$CERTBOT_TOKEN" --data-urlencode "validation=\$CERTBOT_VALIDATION" \
  http://127.0.0.1:$cm_port/tokens
HOOK
cat >"$T/seed/cleanup-hook.sh" <<HOOK
#!/bin/sh
exec curl -fsS -o /dev/null -X DELETE http://127.0.0.1:$cm_port/tokens/\$CERTBOT_TOKEN
HOOK
cat >"$T/seed/deploy-hook.sh" <<HOOK
#!/bin/sh
# cert-monitor's job: write the files, add the site, test and reload nginx.
set -e
d=\$(basename "\$RENEWED_LINEAGE")
mkdir -p "$T/seed/out/\$d"
cp -L "\$RENEWED_LINEAGE/fullchain.pem" "\$RENEWED_LINEAGE/privkey.pem" "$T/seed/out/\$d/"
cat >"$NGINX_PREFIX/sites/\$d.conf" <<SITE
server {
  listen 127.0.0.1:$tls_port ssl;
  server_name \$d;
  ssl_certificate $T/seed/out/\$d/fullchain.pem;
  ssl_certificate_key $T/seed/out/\$d/privkey.pem;
}
SITE
$NGINX_CMD -t -q
$NGINX_CMD -s reload
HOOK
chmod +x "$T/seed"/*.sh
seed_certbot() {
  REQUESTS_CA_BUNDLE="$PEBBLE_CA" certbot certonly --server "$PEBBLE_DIR_URL" --manual --preferred-challenges http \
    --manual-auth-hook "$T/seed/auth-hook.sh" --manual-cleanup-hook "$T/seed/cleanup-hook.sh" \
    --deploy-hook "$T/seed/deploy-hook.sh" --config-dir "$T/seed/c" --work-dir "$T/seed/w" --logs-dir "$T/seed/l" \
    --agree-tos -m bench@example.com --non-interactive --key-type ecdsa --elliptic-curve secp256r1 -d "$1" >/dev/null 2>&1
}
seed_certbot warmup.seed.test  # registers the account, untimed (certfleet's account is registered by its first order too,
                                # but that one is timed; the seed way gets the benefit of the doubt)
: >"$T/seed.ms"
for ((i = 1; i <= seed_domains; i++)); do
  domain=s$i.seed.test
  start_probe "$domain"
  t0=$(now_ms)
  # certbot gives up on some of Pebble's injected badNonce errors (5 %); such a run is retried, its time counted.
  seed_certbot "$domain" || seed_certbot "$domain" || { echo "pipeline: certbot failed twice for $domain; log: $T/seed/l" >&2; exit 1; }
  want=$(openssl x509 -in "$T/seed/out/$domain/fullchain.pem" -noout -fingerprint -sha256 | sed 's/.*=//; s/://g' | tr 'A-F' 'a-f')
  probe_result "$domain"
  [[ $SERVED_SHA == "$want" ]] || { echo "pipeline: nginx first presented $SERVED_SHA for $domain, certbot got $want" >&2; exit 1; }
  echo $((SERVED_MS - t0)) >>"$T/seed.ms"
done

# --- table -------------------------------------------------------------------------------------------------------
row() {
  sort -n "$2" | awk -v name="$1" '
    { v[NR] = $1 }
    function pct(p,   i) { i = int((p / 100) * NR + 0.999999); if (i < 1) i = 1; if (i > NR) i = NR; return v[i] }
    END { printf "| %s | %d | %d | %d | %d | %d |\n", name, NR, pct(50), pct(90), pct(99), v[NR] }'
}
echo "| way | domains | p50 (ms) | p90 (ms) | p99 (ms) | max (ms) |"
echo "|---|---:|---:|---:|---:|---:|"
row "certfleet (hub + agent, watch stream): saved → served" "$T/certfleet.ms"
row "certfleet: saved → agent's deployment report (3 handshakes in a row)" "$T/certfleet-reported.ms"
row "certfleet reload-free (swap, no reload): saved → served" "$T/reload-free.ms"
row "certfleet reload-free: saved → agent's deployment report" "$T/reload-free-reported.ms"
row "seed way (certbot --manual + hooks, reload): saved → served" "$T/seed.ms"
