#!/usr/bin/env bash
# What reload-free mode moves into the TLS handshake (issue 16): nginx 1.22 with two TLS servers presenting the same
# ECDSA certificate — fixed paths (read once, at start) and certfleet's reload-free lines (docs/nginx.md §4: read at
# every handshake through the agent's map and sni/ link) — each measured with new sessions (full handshakes) and with
# resumed ones (TLS 1.3 tickets), alternating, in the same run. Per row: handshakes/s of one client (client and nginx
# share the 2 cores) and nginx's worker CPU per handshake (from /proc/PID/schedstat, nanoseconds).
# usage: bench/handshake_cost.sh [SECONDS] [ROUNDS]   (defaults 5 and 3; each row sums its rounds)
#   env: BUILD_DIR (default build/release) holds bench/handshake_cost.
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-5}; rounds=${2:-3}; build=${BUILD_DIR:-build/release}
T=$(mktemp -d /tmp/certfleet-bench.XXXXXX)
chmod 711 "$T"   # nginx's workers (nobody) walk to the certificate files
source scripts/lib/servers.sh
trap 'stop_servers; rm -rf "$T"' EXIT

# The agent's layout for one name, as reload-free mode writes it (bundle.pem = chain + key, 0640 nogroup; sni/ link;
# the map). Written by hand here so the benchmark needs no hub: the same files the agent would write.
out=$T/out name=shop.bench.test
mkdir -p "$out/live/$name" "$out/sni" "$out/nginx" "$T/fixed" "$T/logs" "$T/tmp"
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 2 -subj "/CN=$name" \
  -addext "subjectAltName=DNS:$name" -keyout "$T/fixed/privkey.pem" -out "$T/fixed/fullchain.pem" 2>/dev/null
cat "$T/fixed/fullchain.pem" "$T/fixed/privkey.pem" >"$out/live/$name/bundle.pem"
cp "$out/live/$name/bundle.pem" "$out/nginx/fallback.pem"
ln -s "../live/$name/bundle.pem" "$out/sni/$name"
chgrp -R nogroup "$out"; chmod 0750 "$out" "$out/live" "$out/live/$name" "$out/sni" "$out/nginx"
chmod 0640 "$out/live/$name/bundle.pem" "$out/nginx/fallback.pem"
label='[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?'
cat >"$out/nginx/certfleet-map.conf" <<MAP
map \$ssl_server_name \$certfleet_bundle {
    hostnames;
    default "$out/nginx/fallback.pem";
    "~^(?<certfleet_sni>$label([.]$label)+)\$" "$out/sni/\$certfleet_sni";
}
MAP
fixed_port=$(free_port); variable_port=$(free_port)
cat >"$T/nginx.conf" <<CONF
daemon off;
worker_processes 1;
pid $T/nginx.pid;
error_log $T/logs/error.log;
events { worker_connections 1024; }
http {
  access_log off;
  client_body_temp_path $T/tmp/body; proxy_temp_path $T/tmp/proxy; fastcgi_temp_path $T/tmp/fastcgi;
  uwsgi_temp_path $T/tmp/uwsgi; scgi_temp_path $T/tmp/scgi;
  ssl_session_cache shared:bench:10m;
  include $out/nginx/certfleet-map.conf;
  server {
    listen 127.0.0.1:$fixed_port ssl;
    ssl_certificate $T/fixed/fullchain.pem;
    ssl_certificate_key $T/fixed/privkey.pem;
    return 200 "ok\n";
  }
  server {
    listen 127.0.0.1:$variable_port ssl;
    ssl_certificate \$certfleet_bundle;
    ssl_certificate_key \$certfleet_bundle;
    return 200 "ok\n";
  }
}
CONF
nginx -p "$T" -c "$T/nginx.conf" -e "$T/logs/error.log" &
remember_pid $!
nginx_pid=$!
for ((i = 0; i < 200; i++)); do [[ -n "$(cat /proc/$nginx_pid/task/$nginx_pid/children 2>/dev/null)" ]] && break; sleep 0.02; done
sleep 0.3
worker=$(cat "/proc/$nginx_pid/task/$nginx_pid/children" | awk '{print $1}')
worker_ns() { awk '{print $1}' "/proc/$worker/schedstat"; }

echo
echo "Handshake cost: nginx 1.22, one worker, ECDSA P-256, fixed vs reload-free (variable) certificate path"
echo "($(nproc) cores, $(uname -m), $(date -u '+%Y-%m-%d %H:%M UTC'), load average before: $(cut -d' ' -f1-3 /proc/loadavg);"
echo " command: BUILD_DIR=$build bench/handshake_cost.sh $seconds $rounds)"
echo
declare -A hs resumed secs cpu
for ((r = 0; r < rounds; r++)); do
  for mode in new resume; do
    for kind in fixed variable; do
      port=$fixed_port; [[ $kind == variable ]] && port=$variable_port
      before=$(worker_ns)
      read -r n res s failed < <("$build/bench/handshake_cost" "127.0.0.1:$port" "$name" "$seconds" "$mode")
      after=$(worker_ns)
      key="$kind $mode"
      hs[$key]=$((${hs[$key]:-0} + n)); resumed[$key]=$((${resumed[$key]:-0} + res))
      secs[$key]=$(awk -v a="${secs[$key]:-0}" -v b="$s" 'BEGIN {print a + b}')
      cpu[$key]=$((${cpu[$key]:-0} + after - before))
    done
  done
done
echo "| certificate path | sessions | handshakes/s (1 client) | resumed | nginx worker CPU per handshake (µs) |"
echo "|---|---|---:|---:|---:|"
for mode in new resume; do
  for kind in fixed variable; do
    key="$kind $mode"
    awk -v k="$kind" -v m="$mode" -v n="${hs[$key]}" -v r="${resumed[$key]}" -v s="${secs[$key]}" -v c="${cpu[$key]}" 'BEGIN {
      printf "| %s | %s | %.0f | %.0f %% | %.1f |\n", (k == "fixed" ? "fixed (ssl_certificate file)" : "reload-free ($certfleet_bundle)"),
        (m == "new" ? "new (full handshake)" : "resumed (TLS 1.3 ticket)"), n / s, 100 * r / n, c / n / 1000 }'
  done
done
if grep -q "cannot load\|SSL_use" "$T/logs/error.log"; then echo "nginx errors:"; grep -m5 "cannot load\|SSL_use" "$T/logs/error.log"; fi
echo
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
