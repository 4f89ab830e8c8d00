#!/usr/bin/env bash
# Bulk issuance on one SQLite hub, one PostgreSQL hub and several PostgreSQL hubs (issue 14), in one run against
# one Pebble (PEBBLE_VA_NOSLEEP=1, nonce rejection off) behind nginx (the challenge path round-robins over the hubs):
# N domains saved through the API (spread over the hubs), timed from the first save until every domain is valid.
# Beside each row: Pebble's CPU time (is the CA the limit?), the hubs' CPU time, and for PostgreSQL the database
# time of the claim statement per order (pg_stat_statements: total exec time of the FOR UPDATE SKIP LOCKED claim /
# orders). Then the failover distribution: FAILOVERS (default 5) SIGKILLs of the hub holding claimed orders (time
# until another hub holds them and until all are valid) and of the hub relaying the outbox to RabbitMQ (time until
# the next event is published).
#
# usage: bench/multi_hub.sh [DOMAINS] [HUBS]     (defaults 300 and 3)
#   env: BUILD_DIR (default build/release) holding src/hub/certfleet-hub; CONCURRENCY per hub (default 4);
#        LEASE_SECONDS, the claim lease (default 5: failover within seconds; docs/config.md recommends 60);
#        FAILOVERS, SIGKILL rounds of each kind (default 5)
#   run it under `flock /work/heavy.lock` on a shared machine.
set -euo pipefail
cd "$(dirname "$0")/.."
domains=${1:-300}; hubs=${2:-3}; build=${BUILD_DIR:-build/release}; concurrency=${CONCURRENCY:-4}
lease=${LEASE_SECONDS:-5}
hub_bin=$build/src/hub/certfleet-hub
[[ -x $hub_bin ]] || { echo "multi_hub: $hub_bin is missing (cmake --build --preset release --target certfleet-hub)" >&2; exit 1; }
T=$(mktemp -d /tmp/certfleet-bench.XXXXXX)
source scripts/lib/servers.sh
trap '[[ -f $T/stop-postgres ]] && bash "$T/stop-postgres" >/dev/null 2>&1; stop_servers; rm -rf "$T"' EXIT
now_ms() { date +%s%3N; }
cpu_s() { awk '{printf "%.1f", ($14 + $15) / 100}' "/proc/$1/stat"; }  # user + system, seconds (100 Hz)
pg=/usr/lib/postgresql/15/bin
# CPU seconds of our PostgreSQL: postmaster + live backends (the hubs' pooled connections; read before they stop).
pg_cpu_s() {
  [[ -f $T/pg/data/postmaster.pid ]] || { echo 0; return; }
  local master; master=$(head -1 "$T/pg/data/postmaster.pid")
  { ps -o cputimes= -p "$master"; ps -o cputimes= --ppid "$master"; } | awk '{s += $1} END {printf "%.1f", s}'
}

# A private PostgreSQL with pg_stat_statements (TESTBED.md "PostgreSQL 15"); trust auth on loopback.
start_postgres() {
  PG_PORT=$(free_port)
  mkdir -p "$T/pg"; chown postgres:postgres "$T/pg"; chmod 755 "$T"
  runuser -u postgres -- "$pg/initdb" -D "$T/pg/data" -U postgres --auth=trust -E UTF8 --no-sync >/dev/null
  runuser -u postgres -- "$pg/pg_ctl" -D "$T/pg/data" -l "$T/pg/log" -w -o "-p $PG_PORT -k $T/pg \
    -c listen_addresses=127.0.0.1 -c fsync=off -c shared_preload_libraries=pg_stat_statements \
    -c max_connections=200" start >/dev/null
  echo "runuser -u postgres -- $pg/pg_ctl -D $T/pg/data -m fast stop" >"$T/stop-postgres"
}
psql_q() { psql -X -At -h 127.0.0.1 -p "$PG_PORT" -U postgres -d "${2:-postgres}" -c "$1"; }

nginx_port=$(free_port)
hub_ports=(); for ((i = 0; i < hubs; i++)); do hub_ports+=("$(free_port)"); done
mkdir -p "$T/nginx/logs"
{
  echo "pid $T/nginx/nginx.pid; error_log $T/nginx/logs/error.log; events {}"
  echo "http { access_log off; client_body_temp_path $T/nginx/b; proxy_temp_path $T/nginx/p;"
  echo "  fastcgi_temp_path $T/nginx/f; uwsgi_temp_path $T/nginx/u; scgi_temp_path $T/nginx/s;"
  echo "  upstream hubs {"; for p in "${hub_ports[@]}"; do echo "    server 127.0.0.1:$p max_fails=0;"; done; echo "  }"
  echo "  server { listen 127.0.0.1:$nginx_port; location /.well-known/acme-challenge/ {"
  echo "    proxy_pass http://hubs; proxy_set_header Host \$host; proxy_next_upstream error timeout http_502; } } }"
} >"$T/nginx/nginx.conf"
nginx -p "$T/nginx" -c "$T/nginx/nginx.conf" -e "$T/nginx/logs/error.log" -g "daemon off;" &
remember_pid $!
# A fresh Pebble for every row. Pebble 2.4 (Debian's) can deadlock under concurrent orders: new-order's
# FindValidAuthorization holds its store's read lock while it read-locks every authorization of the store, an
# authorization poll holds that authorization's lock while it read-locks the store, and a waiting writer
# (AddChallenge) blocks new readers — seen here on 2026-12-07 in the 3-hub row, every handler stuck in
# semacquire (SIGQUIT dump) after ~6,000 authorizations from the earlier rows had piled up in one Pebble. The
# window grows with the number of authorizations the lookup walks, so each row starts with an empty CA.
fresh_pebble() {
  if [[ -n ${PEBBLE_PID:-} ]]; then
    kill "$PEBBLE_PID" 2>/dev/null || true; wait "$PEBBLE_PID" 2>/dev/null || true
    pkill -P $$ -f pebble-challtestsrv 2>/dev/null || true
  fi
  PEBBLE_WFE_NONCEREJECT=0 start_pebble "$nginx_port"
}
start_postgres

# hub_config INDEX BACKEND → writes $T/hubINDEX.toml
hub_config() {
  local i=$1 backend=$2
  {
    echo "data_dir = \"$T/hub$i\""; echo "listen = \"127.0.0.1:${hub_ports[$i]}\""; echo "log_level = \"warn\""
    if [[ $backend == postgres ]]; then
      printf '[store]\nbackend = "postgres"\nurl = "postgresql://postgres@127.0.0.1:%s/certfleet"\n' "$PG_PORT"
    fi
    printf '[issuance]\nconcurrency = %s\npoll_interval_seconds = 1\nlease_seconds = %s\n' "$concurrency" "$lease"
    printf '[[issuer]]\nname = "pebble"\ndirectory = "%s"\nca_file = "%s"\n' "$PEBBLE_DIR_URL" "$PEBBLE_CA"
    # Pebble has no order limit: lift the default pacing (300 orders per 3 h per hub, Let's
    # Encrypt's), or more than 300 domains per hub wait hours for it and the CA is not the limit.
    echo "orders_per_window = 1000000"
  } >"$T/hub$i.toml"
}
start_hub() {  # start_hub INDEX: sets HUB_PID[INDEX]
  local i=$1
  "$hub_bin" --config "$T/hub$i.toml" >>"$T/hub$i.log" 2>&1 &
  HUB_PID[$i]=$!; remember_pid "${HUB_PID[$i]}"
  until curl -sf -o /dev/null "http://127.0.0.1:${hub_ports[$i]}/healthz"; do
    kill -0 "${HUB_PID[$i]}" 2>/dev/null || { cat "$T/hub$i.log" >&2; exit 1; }
    sleep 0.02
  done
}
valid_count() {
  curl -sf -H "Authorization: Bearer $token" "http://127.0.0.1:${hub_ports[0]}/api/v1/domains?status=valid&limit=1" |
    python3 -c 'import json,sys; print(json.load(sys.stdin)["total"])'
}
declare -a HUB_PID
# run LABEL BACKEND NHUBS: one bulk-issuance row
run() {
  local label=$1 backend=$2 n=$3
  rm -rf "$T"/hub?
  fresh_pebble
  if [[ $backend == postgres ]]; then
    psql_q "DROP DATABASE IF EXISTS certfleet" >/dev/null; psql_q "CREATE DATABASE certfleet" >/dev/null
    psql_q "CREATE EXTENSION pg_stat_statements" certfleet >/dev/null
    psql_q "SELECT pg_stat_statements_reset()" certfleet >/dev/null
  fi
  for ((i = 0; i < n; i++)); do
    hub_config "$i" "$backend"
    if ((i > 0)); then mkdir -m 700 -p "$T/hub$i"; cp "$T/hub0/master.key" "$T/hub0/admin.token" "$T/hub$i/"; fi
    start_hub "$i"
  done
  token=$(cat "$T/hub0/admin.token")
  local pebble_cpu0 pg_cpu0 t0 hubs_cpu=0; pebble_cpu0=$(cpu_s "$PEBBLE_PID"); pg_cpu0=$(pg_cpu_s); t0=$(now_ms)
  # 8 clients at once, spread over the hubs, so the saves are not what is measured.
  for ((k = 0; k < domains; k++)); do echo "$k ${hub_ports[$((k % n))]}"; done |
    xargs -P 8 -L 1 sh -c 'curl -sf -o /dev/null -H "Authorization: Bearer $0" -H "Content-Type: application/json" \
      -d "{\"name\":\"b$1.bench.test\",\"issuer\":\"pebble\"}" "http://127.0.0.1:$2/api/v1/domains"' "$token"
  local saved_ms=$(( $(now_ms) - t0 ))
  until (( $(valid_count) >= domains )); do
    if (( $(now_ms) - t0 > 600000 )); then
      echo "multi_hub: $label: not all $domains domains valid after 600 s (valid: $(valid_count)); hub logs in $T" >&2
      exit 1
    fi
    sleep 0.2
  done
  local ms=$(( $(now_ms) - t0 ))
  for ((i = 0; i < n; i++)); do hubs_cpu=$(python3 -c "print(round($hubs_cpu + $(cpu_s "${HUB_PID[$i]}"), 1))"); done
  local claim="—" pg_cpu="—"
  if [[ $backend == postgres ]]; then
    pg_cpu="$(python3 -c "print(round($(pg_cpu_s) - $pg_cpu0, 1))") s"
    # The claim = its SELECT … FOR UPDATE SKIP LOCKED + the lease UPDATE, idle polls included.
    claim=$(psql_q "SELECT round((sum(total_exec_time) / $domains)::numeric, 3) FROM pg_stat_statements
      WHERE query ILIKE '%SKIP LOCKED%' OR query ILIKE 'UPDATE domains SET lease_owner%'" certfleet | head -1)
    claim="${claim:-?} ms"
  fi
  printf '| %s | %d | %d ms | %d ms | %.1f | %s s | %s s | %s | %s |\n' "$label" "$domains" "$saved_ms" "$ms" \
    "$(python3 -c "print($domains * 1000 / $ms)")" "$(python3 -c "print(round($(cpu_s "$PEBBLE_PID") - $pebble_cpu0, 1))")" "$hubs_cpu" \
    "$pg_cpu" "$claim"
  [[ ${KEEP_HUBS:-0} == 1 ]] && return
  stop_hubs "$n"
}
stop_hubs() { for ((i = 0; i < $1; i++)); do kill "${HUB_PID[$i]}" 2>/dev/null || true; wait "${HUB_PID[$i]}" 2>/dev/null || true; done; }

# fanout A B ROUNDS: a commit on hub A (POST /api/v1/customers) → a watch long-poll waiting on hub B answers.
fanout() {
  python3 - "http://127.0.0.1:${hub_ports[$1]}" "http://127.0.0.1:${hub_ports[$2]}" "$token" "$3" <<'PY'
import json, sys, threading, time, urllib.request
a, b, token, rounds = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])
def call(url, body=None):
    req = urllib.request.Request(url, data=body, headers={"Authorization": "Bearer " + token, "Content-Type": "application/json"})
    with urllib.request.urlopen(req, timeout=60) as r: return json.loads(r.read() or b"{}")
lat = []
for k in range(rounds):
    since = call(b + "/healthz")["revision"]  # shown to signed-in callers only
    done = {}
    def poll():
        call(f"{b}/api/v1/events?since={since}&wait=30&limit=1"); done["t"] = time.perf_counter()
    t = threading.Thread(target=poll); t.start(); time.sleep(0.05)  # B's long-poll is waiting
    t0 = time.perf_counter(); call(a + "/api/v1/customers", json.dumps({"name": f"fan{k}-{time.time_ns()}"}).encode())
    t.join(); lat.append((done["t"] - t0) * 1000)
lat.sort(); q = lambda p: lat[min(len(lat) - 1, int(p * len(lat)))]
print(f"| commit on hub A → long-poll answered on hub B | {rounds} | {q(0.5):.1f} ms | {q(0.9):.1f} ms | {lat[-1]:.1f} ms |")
PY
}

# Failover distribution (FAILOVERS rounds of each kind, default 5), on the hubs of the last row restarted with
# RabbitMQ, so the outbox relay runs too (one hub holds the leader lock; the others stand by).
#
# order_failover ROUND: saves more domains through one hub (round-robin), SIGKILLs it while it holds claimed orders,
# and times until every order it held is claimed by another hub ("resumed") and until every domain is valid; the
# killed hub is restarted before the next round.
order_failover() {
  local round=$1 victim=$(( $1 % hubs )) extra=100 owner t0 held resumed_ms="" saver
  owner=$(cat "$T/hub$victim/worker.id")
  # Saved 8 at a time in the background, so orders wait in line and the kill finds one held
  # (saved one by one, each order finished before the next save and none was ever caught).
  for ((k = 0; k < extra; k++)); do echo "f$round-$k.bench.test"; done |
    xargs -P 8 -I{} curl -sf -o /dev/null -H "Authorization: Bearer $token" -H 'Content-Type: application/json' \
      -d '{"name":"{}","issuer":"pebble"}' "http://127.0.0.1:${hub_ports[$victim]}/api/v1/domains" &
  saver=$!
  local live="lease_owner LIKE '$owner/%' AND lease_until > (extract(epoch from now()) * 1000)::bigint AND status IN ('issuing','renewing')"
  local waited=$(now_ms)
  # The names it holds, read in one statement (an order may finish between two reads).
  until held=$(psql_q "SELECT string_agg(quote_literal(name), ',') FROM domains WHERE $live" certfleet) && [[ -n $held ]]; do
    if (( $(now_ms) - waited > 60000 )); then echo "multi_hub: failover round $round: hub $victim never held an order; logs in $T" >&2; exit 1; fi
    sleep 0.01
  done
  kill -9 "${HUB_PID[$victim]}"; t0=$(now_ms); wait "${HUB_PID[$victim]}" 2>/dev/null || true
  wait "$saver" 2>/dev/null || true  # saves still in flight to the killed hub fail: count what exists
  local total; total=$(psql_q "SELECT count(*) FROM domains" certfleet)
  while true; do
    # Resumed: each held order is valid or leased by a live hub other than the killed one.
    if [[ -z $resumed_ms ]] && [[ $(psql_q "SELECT count(*) FROM domains WHERE name IN ($held) AND (status = 'valid' OR
        (lease_owner NOT LIKE '$owner/%' AND lease_until > (extract(epoch from now()) * 1000)::bigint))" certfleet) -eq \
        $(psql_q "SELECT count(*) FROM domains WHERE name IN ($held)" certfleet) ]]; then resumed_ms=$(( $(now_ms) - t0 )); fi
    [[ -n $resumed_ms ]] && (( $(psql_q "SELECT count(*) FROM domains WHERE status = 'valid'" certfleet) >= total )) && break
    if (( $(now_ms) - t0 > 120000 )); then echo "multi_hub: failover round $round: not all valid after 120 s; logs in $T" >&2; exit 1; fi
    sleep 0.02
  done
  ORDER_RESUMED+=("$resumed_ms"); ORDER_VALID+=("$(( $(now_ms) - t0 ))")
  ORDER_HELD+=("$(awk -F, '{print NF}' <<<"$held")")
  start_hub "$victim"
}

# relay_failover ROUND: SIGKILLs the hub that relays the outbox (its /healthz is the one not saying "standby"),
# saves a customer through another hub and times from the kill until that event is published to RabbitMQ
# (events.published_at is set only after the broker's confirm).
relay_failover() {
  local round=$1 leader="" other t0 revision
  for ((tries = 0; tries < 500 && ${#leader} == 0; tries++)); do
    for ((i = 0; i < hubs; i++)); do
      body=$(curl -sf -H "Authorization: Bearer $token" "http://127.0.0.1:${hub_ports[$i]}/healthz" || true)
      if [[ $body == *rabbitmq* && $body != *standby* ]]; then leader=$i; fi
    done
    [[ -n $leader ]] || sleep 0.02
  done
  [[ -n $leader ]] || { echo "multi_hub: no hub relays the outbox (round $round); logs in $T" >&2; exit 1; }
  other=$(( (leader + 1) % hubs ))
  kill -9 "${HUB_PID[$leader]}"; wait "${HUB_PID[$leader]}" 2>/dev/null || true; t0=$(now_ms)
  curl -sf -o /dev/null -H "Authorization: Bearer $token" -H 'Content-Type: application/json' \
    -d "{\"name\":\"relay-failover-$round-$(date +%s%N)\"}" "http://127.0.0.1:${hub_ports[$other]}/api/v1/customers"
  revision=$(psql_q "SELECT max(revision) FROM events" certfleet)
  until [[ $(psql_q "SELECT count(*) FROM events WHERE revision = $revision AND published_at IS NOT NULL" certfleet) == 1 ]]; do
    if (( $(now_ms) - t0 > 60000 )); then echo "multi_hub: relay round $round: event $revision not published after 60 s; logs in $T" >&2; exit 1; fi
    sleep 0.02
  done
  RELAY_MS+=("$(( $(now_ms) - t0 ))")
  start_hub "$leader"
}

# distribution "LABEL" VALUES...: one table row with the samples sorted, p50 and max.
distribution() {
  local label=$1; shift
  python3 - "$label" "$@" <<'PY'
import sys
label, v = sys.argv[1], sorted(int(x) for x in sys.argv[2:])
print(f"| {label} | {len(v)} | {v[len(v) // 2]} ms | {v[-1]} ms | {', '.join(map(str, v))} |")
PY
}

echo
echo "Bulk issuance: $domains domains saved through the API, first save → all valid (Pebble, PEBBLE_VA_NOSLEEP=1, nonce rejection 0)"
echo "($(nproc) cores, $(uname -m), $(date -u '+%Y-%m-%d %H:%M') UTC, load $(cut -d' ' -f1-3 /proc/loadavg), build $build, concurrency $concurrency per hub,"
echo " lease $lease s; command: LEASE_SECONDS=$lease bench/multi_hub.sh $domains $hubs)"
echo
echo "| store | domains | saves took | all valid after | orders/s | Pebble CPU | hubs' CPU | PostgreSQL CPU | claim SQL time per order |"
echo "|---|---:|---:|---:|---:|---:|---:|---:|---:|"
run "1 hub, SQLite" sqlite 1
run "1 hub, PostgreSQL" postgres 1
KEEP_HUBS=1 run "$hubs hubs, PostgreSQL" postgres "$hubs"
echo
echo "| watch fan-out across hubs | rounds | p50 | p90 | max |"
echo "|---|---:|---:|---:|---:|"
fanout 0 1 50
stop_hubs "$hubs"

failovers=${FAILOVERS:-5}
start_rabbitmq
for ((i = 0; i < hubs; i++)); do
  hub_config "$i" postgres
  printf '[rabbitmq]\nurl = "%s"\n' "$RABBITMQ_URL" >>"$T/hub$i.toml"
  start_hub "$i"
done
declare -a ORDER_RESUMED ORDER_VALID ORDER_HELD RELAY_MS
for ((r = 0; r < failovers; r++)); do order_failover "$r"; relay_failover "$r"; done
echo
echo "Failover, $hubs hubs on PostgreSQL with RabbitMQ, lease $lease s, $failovers SIGKILLs of each kind (FAILOVERS=$failovers):"
echo
echo "| after a SIGKILL of | samples | p50 | max | all samples (ms) |"
echo "|---|---:|---:|---:|---|"
distribution "the hub holding claimed orders ($(IFS=/; echo "${ORDER_HELD[*]}") held): every held order claimed by another hub" "${ORDER_RESUMED[@]}"
distribution "the hub holding claimed orders: every domain valid" "${ORDER_VALID[@]}"
distribution "the hub relaying the outbox: the next event published to RabbitMQ" "${RELAY_MS[@]}"
stop_hubs "$hubs"
