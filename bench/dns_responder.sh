#!/usr/bin/env bash
# The hub's DNS responder (src/dns/responder) beside BIND 9 answering the same two TXT records of
# the same zone, both on loopback, under dnsperf (UDP):
#   1. throughput: dnsperf -c CLIENTS -q OUTSTANDING -l SECONDS, as fast as each server answers;
#   2. latency: dnsperf -v at one fixed rate for both (half of BIND's measured queries/s), p50/p99
#      from every answer's latency.
# The responder's rate limit is off (dnsperf is one source), as BIND's RRL is off by default.
# usage: bench/dns_responder.sh [RESPONDER_THREADS...]   (default: 1 2)
#   env: BUILD_DIR (default build/release), SECONDS_PER_RUN (10), CLIENTS (4), OUTSTANDING (200)
set -euo pipefail
cd "$(dirname "$0")/.."
build=${BUILD_DIR:-build/release}
threads=("$@"); ((${#threads[@]})) || threads=(1 2)
secs=${SECONDS_PER_RUN:-10}; clients=${CLIENTS:-4}; outstanding=${OUTSTANDING:-200}
T=$(mktemp -d /tmp/certfleet-bench.XXXXXX)
source scripts/lib/servers.sh
trap 'stop_servers; rm -rf "$T"' EXIT

zone=acme.bench.test
label=k7wq3vd2
d1=$(head -c 32 /dev/urandom | sha256sum | head -c 43)
d2=$(head -c 32 /dev/urandom | sha256sum | head -c 43)
printf '%s.%s TXT\n' "$label" "$zone" >"$T/queries.txt"

start_bind() {  # start_bind PORT
  cat >"$T/zone" <<ZONE
\$TTL 1
@ IN SOA hub1.bench.invalid. hostmaster.$zone. 1 3600 600 86400 1
@ 3600 IN NS hub1.bench.invalid.
$label IN TXT "$d1"
$label IN TXT "$d2"
ZONE
  cat >"$T/named.conf" <<CONF
options { directory "$T"; pid-file "$T/named.pid"; session-keyfile "$T/session.key";
  listen-on port $1 { 127.0.0.1; }; listen-on-v6 { none; }; recursion no; dnssec-validation no; notify no; };
controls { };
zone "$zone" { type primary; file "$T/zone"; };
CONF
  named -g -4 -c "$T/named.conf" >"$T/named.log" 2>&1 &
  remember_pid $!
  wait_dns "$1"
}

start_responder() {  # start_responder THREADS → sets RESPONDER_PORT
  "$build/bench/dns_responder_bench" 127.0.0.1:0 "$1" "$zone" "$label=$d1,$d2" >"$T/responder.out" 2>&1 &
  remember_pid $!
  for _ in $(seq 200); do grep -q '^port ' "$T/responder.out" && break; sleep 0.05; done
  RESPONDER_PORT=$(awk '/^port / {print $2}' "$T/responder.out")
  wait_dns "$RESPONDER_PORT"
}

wait_dns() {  # wait_dns PORT: until the TXT answers
  for _ in $(seq 300); do
    [[ -n $(dig +short +tries=1 +time=1 -p "$1" @127.0.0.1 "$label.$zone" TXT 2>/dev/null) ]] && return 0
    sleep 0.05
  done
  echo "no DNS answer on port $1" >&2; return 1
}

throughput() {  # throughput PORT → "QPS LOST AVG_MS"
  dnsperf -s 127.0.0.1 -p "$1" -d "$T/queries.txt" -l "$secs" -c "$clients" -q "$outstanding" >"$T/perf.txt" 2>&1
  awk '/Queries per second:/ {q=$4} /Queries lost:/ {l=$3} /Average Latency/ {a=$4*1000}
       END {printf "%.0f %s %.3f\n", q, l, a}' "$T/perf.txt"
}

latency() {  # latency PORT RATE → "P50_MS P99_MS ANSWERS"
  dnsperf -s 127.0.0.1 -p "$1" -d "$T/queries.txt" -l "$secs" -c "$clients" -Q "$2" -v 2>/dev/null |
    awk '/^> NOERROR/ {print $NF * 1000}' | sort -n >"$T/lat.txt"
  local n; n=$(wc -l <"$T/lat.txt")
  awk -v n="$n" 'NR == int(n * 0.50 + 0.5) {p50=$1} NR == int(n * 0.99 + 0.5) {p99=$1}
                 END {printf "%.3f %.3f %d\n", p50, p99, n}' "$T/lat.txt"
}

bind_port=$(free_port)
start_bind "$bind_port"
read -r bind_qps bind_lost bind_avg < <(throughput "$bind_port")
rate=$((bind_qps / 2))
read -r bind_p50 bind_p99 bind_n < <(latency "$bind_port" "$rate")

echo
echo "Hub DNS responder vs BIND $(named -v | awk '{print $2}'): dnsperf (UDP) on one TXT name with 2 records"
echo "($(nproc) cores shared by server and dnsperf, $(uname -m), $(date -u +%Y-%m-%d), load $(cut -d' ' -f1-3 /proc/loadavg),"
echo " command: bench/dns_responder.sh ${threads[*]}; throughput: -c $clients -q $outstanding -l $secs;"
echo " latency: -Q $rate (half of BIND's queries/s) -l $secs)"
echo
echo "| server | UDP threads | queries/s | lost | avg ms (saturated) | p50 ms at $rate q/s | p99 ms at $rate q/s |"
echo "|---|---|---|---|---|---|---|"
echo "| BIND 9 (named, zone file) | $(nproc) (default) | $bind_qps | $bind_lost | $bind_avg | $bind_p50 | $bind_p99 |"
for t in "${threads[@]}"; do
  start_responder "$t"
  read -r qps lost avg < <(throughput "$RESPONDER_PORT")
  read -r p50 p99 n < <(latency "$RESPONDER_PORT" "$rate")
  echo "| certfleet responder | $t | $qps | $lost | $avg | $p50 | $p99 |"
  kill "$(tail -1 "$T/pids")" 2>/dev/null || true
  sleep 0.2
done
