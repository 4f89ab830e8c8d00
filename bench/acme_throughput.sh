#!/usr/bin/env bash
# The ACME library issuing COUNT certificates at CONCURRENCY from one Pebble; shows our CPU beside Pebble's.
# usage: bench/acme_throughput.sh [COUNT] [CONCURRENCY] [BINARY]   (defaults: 200 8 build/release/bench/acme_throughput)
# ACME_TRANSPORT=curl compares the libcurl transport (default: beast).
set -euo pipefail
cd "$(dirname "$0")/.."
count=${1:-200}; concurrency=${2:-8}; bin=${3:-${BUILD_DIR:-build/release}/bench/acme_throughput}
T=$(mktemp -d /tmp/certfleet-bench.XXXXXX)
source scripts/lib/servers.sh
trap 'stop_servers; rm -rf "$T"' EXIT
http_port=$(free_port)
PEBBLE_AUTHZREUSE=0 start_pebble "$http_port"
echo
echo "ACME library: $count certificates at concurrency $concurrency from Pebble 2.4 (PEBBLE_VA_NOSLEEP=1)"
echo "($(nproc) cores shared by client and Pebble, $(date -u +%Y-%m-%d), command: bench/acme_throughput.sh $count $concurrency, transport ${ACME_TRANSPORT:-beast}, load average before: $(cut -d' ' -f1-3 /proc/loadavg))"
echo
"$bin" "$PEBBLE_DIR_URL" "$PEBBLE_CA" "$http_port" "$count" "$concurrency" "$PEBBLE_PID"
