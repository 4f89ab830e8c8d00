#!/usr/bin/env bash
# Side-by-side: one ECDSA P-256 certificate from one Pebble, issued by certfleet, uacme, certbot and lego.
# Each client gets one untimed warm-up (account registration), then RUNS timed issuances, each for a new name
# (so no client benefits from authorization reuse). Prints a markdown table: median and p90 wall, median CPU.
#
# usage: bench/acme_peers.sh [RUNS] [CERTFLEET_BINARY]     (defaults: 10, $BUILD_DIR or build/release/src/cli/certfleet)
#        CLIENTS="certfleet uacme" runs only those clients
set -euo pipefail
TIMEFORMAT='%3R %3U %3S'
cd "$(dirname "$0")/.."
runs=${1:-10}
certfleet=${2:-${BUILD_DIR:-build/release}/src/cli/certfleet}
T=$(mktemp -d /tmp/certfleet-bench.XXXXXX)
source scripts/lib/servers.sh
trap 'stop_servers; rm -rf "$T"' EXIT

http_port=$(free_port)
PEBBLE_AUTHZREUSE=0 start_pebble "$http_port"
echo "pebble at $PEBBLE_DIR_URL, HTTP-01 on 127.0.0.1:$http_port" >&2

# uacme and certbot's peers need a web root for HTTP-01; a static server stands on the HTTP-01 port while they run.
www="$T/www"; mkdir -p "$www/.well-known/acme-challenge"
cat >"$T/uacme-hook.sh" <<HOOK
#!/bin/sh
# uacme hook: method type ident token key_auth
[ "\$2" = "http-01" ] || exit 1
case "\$1" in
  begin) printf '%s' "\$5" >"$www/.well-known/acme-challenge/\$4" ;;
  *) rm -f "$www/.well-known/acme-challenge/\$4" ;;
esac
HOOK
chmod +x "$T/uacme-hook.sh"
cat /etc/ssl/certs/ca-certificates.crt "$PEBBLE_CA" >"$T/bundle.pem"

run_certfleet() {  # name
  "$certfleet" acme issue --server "$PEBBLE_DIR_URL" --ca-file "$PEBBLE_CA" --account-dir "$T/cf-account" \
    --email bench@example.com --http01-listen "127.0.0.1:$http_port" -d "$1" --key-type ec-p256 --out "$T/cf/$1"
}
run_uacme() {
  unshare -m sh -c "mount --bind '$T/bundle.pem' /etc/ssl/certs/ca-certificates.crt && \
    uacme -a '$PEBBLE_DIR_URL' -c '$T/uacme' -t EC -b 256 -y -h '$T/uacme-hook.sh' issue '$1'"
}
run_uacme_new() {
  unshare -m sh -c "mount --bind '$T/bundle.pem' /etc/ssl/certs/ca-certificates.crt && \
    uacme -a '$PEBBLE_DIR_URL' -c '$T/uacme' -y new bench@example.com"
}
run_certbot() {
  REQUESTS_CA_BUNDLE="$PEBBLE_CA" certbot certonly --server "$PEBBLE_DIR_URL" --standalone \
    --http-01-port "$http_port" --http-01-address 127.0.0.1 --config-dir "$T/certbot/c" --work-dir "$T/certbot/w" \
    --logs-dir "$T/certbot/l" --agree-tos -m bench@example.com --non-interactive --key-type ecdsa \
    --elliptic-curve secp256r1 -d "$1"
}
run_lego() {
  LEGO_CA_CERTIFICATES="$PEBBLE_CA" lego --server "$PEBBLE_DIR_URL" --accept-tos --email bench@example.com \
    --path "$T/lego" --key-type ec256 --http --http.port "127.0.0.1:$http_port" -d "$1" run
}

start_webroot() { python3 -m http.server --bind 127.0.0.1 --directory "$www" "$http_port" >"$T/www.log" 2>&1 &
  WWW_PID=$!; remember_pid $WWW_PID; wait_http "http://127.0.0.1:$http_port/"; }
stop_webroot() { kill "$WWW_PID" 2>/dev/null || true; wait "$WWW_PID" 2>/dev/null || true; }

# measure CLIENT: prints "wall_s cpu_s" per run into $T/times.CLIENT
measure() {
  local client=$1 i
  : >"$T/times.$client"; : >"$T/failed.$client"
  for ((i = 0; i <= runs; i++)); do
    local name="r$i.$client.bench.test"
    local status=0
    # bash's `time` on the client's function in this shell (no extra bash per run): wall, and user + sys CPU of
    # the client's process tree with ms resolution
    { time "run_$client" "$name" >"$T/$client.$i.log" 2>&1 || status=$?; } 2>"$T/t"
    if ((status != 0)); then
      # A peer's own bug (e.g. certbot on Pebble's rejected nonces) is counted, not fatal to the comparison.
      echo "$client failed on $name; log:" >&2; tail -5 "$T/$client.$i.log" >&2; echo "$name" >>"$T/failed.$client"; continue
    fi
    ((i == 0)) && continue  # warm-up: account registration
    awk '{printf "%s %.3f\n", $1, $2 + $3}' "$T/t" >>"$T/times.$client"
  done
}

stats() {  # file → "median_wall p90_wall median_cpu" in ms
  python3 - "$1" <<'PY'
import sys, statistics
rows = [tuple(map(float, l.split())) for l in open(sys.argv[1]) if l.strip()]
wall = sorted(r[0] for r in rows); cpu = sorted(r[1] for r in rows)
p90 = wall[min(len(wall) - 1, int(round(0.9 * (len(wall) - 1))))]
print(f"{statistics.median(wall)*1000:.0f} {p90*1000:.0f} {statistics.median(cpu)*1000:.0f}")
PY
}

export -f run_certfleet run_uacme run_certbot run_lego
export T PEBBLE_DIR_URL PEBBLE_CA http_port certfleet www

clients=()
if [[ -x "$certfleet" ]]; then clients+=(certfleet); else echo "skipping certfleet: $certfleet not built" >&2; fi
clients+=(uacme certbot lego)
# CLIENTS="certfleet uacme" limits the run to those clients (e.g. more certfleet runs without waiting for lego).
if [[ -n "${CLIENTS:-}" ]]; then
  chosen=()
  for c in "${clients[@]}"; do [[ " $CLIENTS " == *" $c "* ]] && chosen+=("$c"); done
  clients=("${chosen[@]}")
fi

load_before=$(cut -d' ' -f1-3 /proc/loadavg)
run_uacme_new >"$T/uacme-new.log" 2>&1 || { cat "$T/uacme-new.log" >&2; exit 1; }
for c in "${clients[@]}"; do
  echo "measuring $c ($runs runs + warm-up)" >&2
  if [[ $c == uacme ]]; then start_webroot; fi
  measure "$c"
  if [[ $c == uacme ]]; then stop_webroot; fi
done

echo
echo "One ECDSA P-256 certificate from Pebble 2.4 (PEBBLE_VA_NOSLEEP=1, nonce rejection 5 %), $runs runs each"
echo "($(nproc) cores, $(date -u +%Y-%m-%d), command: bench/acme_peers.sh $runs, load average before/after: $load_before / $(cut -d' ' -f1-3 /proc/loadavg))"
echo
echo "| client | median wall (ms) | p90 wall (ms) | median CPU (ms) | failed runs |"
echo "|---|---:|---:|---:|---:|"
for c in "${clients[@]}"; do
  read -r med p90 cpu < <(stats "$T/times.$c")
  echo "| $c | $med | $p90 | $cpu | $(wc -l <"$T/failed.$c") |"
done
