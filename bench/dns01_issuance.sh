#!/usr/bin/env bash
# Saved → valid by DNS-01 through the hub's delegated zone, by DNS-01 through RFC 2136 to BIND,
# and by HTTP-01, in one run on one hub + Pebble (NOSLEEP) + BIND (bench/dns01_issuance.cc).
# usage: bench/dns01_issuance.sh [DOMAINS_PER_WAY]   (default 20)
#   env: BUILD_DIR (default build/release; the hub binary is the one that build made)
# Run it alone: flock /work/heavy.lock bench/dns01_issuance.sh 20
set -euo pipefail
cd "$(dirname "$0")/.."
build=${BUILD_DIR:-build/release}
per_way=${1:-20}
ninja -C "$build" dns01_issuance_bench >/dev/null
echo "$(date -u '+%Y-%m-%d %H:%M UTC'), build $build, $(nproc) cores; before: $(uptime)"
"$build/bench/dns01_issuance_bench" "$per_way"
echo "after: $(uptime)"
