#!/usr/bin/env bash
# The web UI's pages in Chromium with a large fleet: DOMAINS domains and MACHINES machines
# (default 10,000 and 1,000, over 200 customers), seeded through the API (bench/ui/seed.mjs);
# then every page is loaded ROUNDS times (bench/ui/navigate.mjs, Navigation Timing) and a
# markdown table printed. Goal (issue 17): every page under 200 ms.
# usage: bench/ui_pages.sh [DOMAINS] [MACHINES]    env: BUILD_DIR (default build/release), ROUNDS
set -euo pipefail
cd "$(dirname "$0")/.."
domains=${1:-10000}; machines=${2:-1000}; build=${BUILD_DIR:-build/release}
T=$(mktemp -d /tmp/certfleet-bench.XXXXXX)
source scripts/lib/servers.sh
trap 'stop_servers; rm -rf "$T"' EXIT

port=$(free_port)
"$build/src/hub/certfleet-hub" --data-dir "$T/data" --listen "127.0.0.1:$port" --log-level warn \
  >>"$T/hub.log" 2>&1 &
remember_pid $!
wait_http "http://127.0.0.1:$port/healthz" 500
export HUB_URL="http://127.0.0.1:$port" TOKEN; TOKEN=$(head -1 "$T/data/admin.token")
DOMAINS=$domains MACHINES=$machines node bench/ui/seed.mjs
echo
echo "Web UI pages in Chromium, $domains domains and $machines machines ($(nproc) cores, $(date -u +%Y-%m-%d),"
echo "load $(cut -d' ' -f1-3 /proc/loadavg); command: bench/ui_pages.sh $domains $machines; hub $build)"
echo
MACHINES=$machines node bench/ui/navigate.mjs
