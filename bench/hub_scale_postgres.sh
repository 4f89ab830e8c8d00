#!/usr/bin/env bash
# A hub on PostgreSQL with COUNT domains (issue 14's goals: domain list with filters p99 ≤ 50 ms, due-renewal
# query ≤ 50 ms, hub RSS ≤ 300 MB at 100,000 domains). The domains are seeded through the Store API into a private
# PostgreSQL (hub_seed fleet: COUNT/100 customers, 20 machines, one certificate each, 95 % reported deployed), then
# one certfleet-hub starts on it and every list filter of the API is asked ROUNDS times on one kept-alive connection
# (p50 / p99 / max per filter); Store::ListDomainsDueForRenewal is timed over the same database (hub_seed due), and
# the hub's RSS is read after start and after the calls. CPU seconds of the hub and of PostgreSQL are printed too
# (the machine is shared: wall times alone say little).
#
# The list rows include a deep page by cursor (`after` = the `next` of the page ending at row 50,000), the keyset
# twin of `offset=50000` (docs/design/2026-12-07-domain-list-paging.md); a `total` with "+" is a lower bound.
#
# usage: bench/hub_scale_postgres.sh [COUNT] [ROUNDS]   (defaults 100000 and 200)
#   env: BUILD_DIR (default build/release) holding src/hub/certfleet-hub and bench/hub_seed;
#        STORE=sqlite runs the same seed and calls on the embedded SQLite store instead (the comparison figure).
#   run it under `flock /work/heavy.lock` on a shared machine.
set -euo pipefail
cd "$(dirname "$0")/.."
count=${1:-100000}; rounds=${2:-200}; build=${BUILD_DIR:-build/release}; store=${STORE:-postgres}
[[ $store == postgres || $store == sqlite ]] || { echo "hub_scale_postgres: STORE must be postgres or sqlite" >&2; exit 1; }
for bin in src/hub/certfleet-hub bench/hub_seed; do
  [[ -x $build/$bin ]] || { echo "hub_scale_postgres: $build/$bin is missing (ninja -C $build certfleet-hub hub_seed)" >&2; exit 1; }
done
T=$(mktemp -d /tmp/certfleet-bench.XXXXXX)
source scripts/lib/servers.sh
trap '[[ -f $T/stop-postgres ]] && bash "$T/stop-postgres" >/dev/null 2>&1; stop_servers; rm -rf "$T"' EXIT
now_ms() { date +%s%3N; }
rss_mb() { awk '/^VmRSS/ {printf "%.1f", $2 / 1024}' "/proc/$1/status"; }
cpu_s() { awk '{printf "%.1f", ($14 + $15) / 100}' "/proc/$1/stat"; }  # user + system of one process
pg=/usr/lib/postgresql/15/bin
# CPU seconds of our PostgreSQL: its postmaster and its live children (the hub's pooled backends live on; other
# PostgreSQL servers of the machine are not counted).
pg_cpu_s() {
  [[ $store == postgres ]] || { echo 0; return; }
  local master; master=$(head -1 "$T/pg/data/postmaster.pid")
  { ps -o cputimes= -p "$master"; ps -o cputimes= --ppid "$master"; } | awk '{s += $1} END {printf "%.1f", s}'
}

mkdir -m 700 "$T/hub"
if [[ $store == postgres ]]; then
  PG_PORT=$(free_port)
  mkdir -p "$T/pg"; chown postgres:postgres "$T/pg"; chmod 755 "$T"
  runuser -u postgres -- "$pg/initdb" -D "$T/pg/data" -U postgres --auth=trust -E UTF8 --no-sync >/dev/null
  runuser -u postgres -- "$pg/pg_ctl" -D "$T/pg/data" -l "$T/pg/log" -w -o "-p $PG_PORT -k $T/pg \
    -c listen_addresses=127.0.0.1 -c fsync=off" start >/dev/null
  echo "runuser -u postgres -- $pg/pg_ctl -D $T/pg/data -m fast stop" >"$T/stop-postgres"
  psql -X -q -h 127.0.0.1 -p "$PG_PORT" -U postgres -c "CREATE DATABASE certfleet"
  url="postgresql://postgres@127.0.0.1:$PG_PORT/certfleet"
else
  url="$T/hub"  # hub_seed writes the SQLite store the hub then opens
fi

# A realistic chain, the same for both scale benchmarks (scripts/lib/bench_chain.sh).
source scripts/lib/bench_chain.sh
write_bench_chain "$T"

t0=$(now_ms)
"$build/bench/hub_seed" fleet "$url" "$count" 20 "$T/chain.pem"
seed_s=$(( ($(now_ms) - t0) / 1000 ))
port=$(free_port)
if [[ $store == postgres ]]; then
  db_mb=$(psql -X -At -h 127.0.0.1 -p "$PG_PORT" -U postgres -c "SELECT pg_database_size('certfleet') / 1048576")
  printf 'data_dir = "%s"\nlisten = "127.0.0.1:%s"\nlog_level = "warn"\n[store]\nbackend = "postgres"\nurl = "%s"\n' \
    "$T/hub" "$port" "$url" >"$T/hub.toml"
else
  db_mb=$(du -sm "$T/hub" | cut -f1)
  printf 'data_dir = "%s"\nlisten = "127.0.0.1:%s"\nlog_level = "warn"\n' "$T/hub" "$port" >"$T/hub.toml"
fi
t0=$(now_ms)
"$build/src/hub/certfleet-hub" --config "$T/hub.toml" >>"$T/hub.log" 2>&1 &
hub_pid=$!; remember_pid $hub_pid
until curl -sf -o /dev/null "http://127.0.0.1:$port/healthz"; do
  kill -0 "$hub_pid" 2>/dev/null || { cat "$T/hub.log" >&2; exit 1; }
  sleep 0.005
done
startup_ms=$(( $(now_ms) - t0 )); rss_start=$(rss_mb "$hub_pid")
hub_cpu0=$(cpu_s "$hub_pid"); pg_cpu0=$(pg_cpu_s)

echo
echo "Hub on $([[ $store == postgres ]] && echo PostgreSQL || echo SQLite) with $count domains ($((count / 100)) customers, 20 machines, one certificate each; database ${db_mb} MB,"
echo "seeded in ${seed_s} s through the Store API). $(nproc) cores, $(date -u '+%Y-%m-%d %H:%M') UTC, load $(cut -d' ' -f1-3 /proc/loadavg),"
echo "build $build; command: bench/hub_scale_postgres.sh $count $rounds"
echo
echo "Start-up (start → /healthz): ${startup_ms} ms; RSS after start: ${rss_start} MB"
echo
echo "| GET /api/v1/domains?… ($rounds calls each, one connection) | total | p50 ms | p99 ms | max ms |"
echo "|---|---:|---:|---:|---:|"
python3 - "$port" "$(cat "$T/hub/admin.token")" "$rounds" <<'PY'
import http.client, json, sys, time
port, token, rounds = sys.argv[1], sys.argv[2], int(sys.argv[3])
conn = http.client.HTTPConnection("127.0.0.1", int(port), timeout=60)
def get(q):
    conn.request("GET", "/api/v1/domains?" + q, headers={"Authorization": "Bearer " + token})
    r = conn.getresponse(); body = r.read()
    if r.status != 200: sys.exit(f"{q}: HTTP {r.status} {body[:200]!r}")
    return json.loads(body)
queries = ["limit=100", "limit=100&offset=50000", "limit=100&sort=not_after", "limit=100&q=d99",
           "limit=100&status=valid", "limit=100&customer=customer-7", "limit=100&machine=web-3",
           "limit=100&expiring_within_days=30", "limit=100&customer=customer-7&expiring_within_days=30&sort=not_after"]
labels = {}
# The keyset twin of offset=50000: the cursor after the 50,000th domain (hubs before cursors have none).
deep = get("limit=1&offset=49999").get("next")
if deep:
    queries.insert(2, "limit=100&after=" + deep)
    labels[queries[2]] = "limit=100&after=(cursor at 50,000)"
for q in queries:
    ms, total = [], "?"
    for _ in range(rounds):
        t0 = time.perf_counter()
        conn.request("GET", "/api/v1/domains?" + q, headers={"Authorization": "Bearer " + token})
        r = conn.getresponse(); body = r.read()
        ms.append((time.perf_counter() - t0) * 1000)
        if r.status != 200: sys.exit(f"{q}: HTTP {r.status} {body[:200]!r}")
        page = json.loads(body)
        total = f"{page['total']}{'+' if page.get('total_is_lower_bound') else ''}"
    ms.sort(); p = lambda f: ms[min(len(ms) - 1, int(f * len(ms)))]
    print(f"| `{labels.get(q, q)}` | {total} | {p(0.5):.1f} | {p(0.99):.1f} | {ms[-1]:.1f} |")
PY
echo
echo "After the calls: hub RSS $(rss_mb "$hub_pid") MB; CPU during the calls: hub $(python3 -c "print(round($(cpu_s "$hub_pid") - $hub_cpu0, 1))") s,"
echo "PostgreSQL $(python3 -c "print(round($(pg_cpu_s) - $pg_cpu0, 1))") s (all its processes)"
echo
echo "Store::ListDomainsDueForRenewal(now, limit) over the $count domains (about 1/60 due), hub running idle:"
echo
"$build/bench/hub_seed" due "$url" 10
kill "$hub_pid"; wait "$hub_pid" 2>/dev/null || true
