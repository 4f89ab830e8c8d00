#!/usr/bin/env bash
# The hub at fleet scale (issue 16): N simulated machines in one client process (bench/hub_fanout.cc), each with its
# own agent token and connection, long-polling the watch stream and doing an agent's pass on each change (desired state,
# certificate, report). Measures commit → every watcher answered (read by the client's one thread, and arrived: the
# kernel's receive time of each answer, when an agent on its own machine would have it), hub CPU per agent pass (all
# hub threads, from /proc/PID/task/*/schedstat) and hub memory per idle watcher. The client runs on the same 2 cores: it
# is counted in the wall times, not in the hub's CPU.
# usage: bench/hub_fanout.sh [N] [ROUNDS]   (defaults 1000 and 3)
#   env: BUILD_DIR (default build/release) holds bench/hub_fanout; HUB_BIN (default $BUILD_DIR/src/hub/certfleet-hub);
#        HUB_FANOUT_PASS_DELAY_MS (diagnostic, default 0): each machine starts its pass that long after its answer.
set -euo pipefail
cd "$(dirname "$0")/.."
n=${1:-1000}; rounds=${2:-3}; build=${BUILD_DIR:-build/release}; hub_bin=${HUB_BIN:-$build/src/hub/certfleet-hub}
T=$(mktemp -d /tmp/certfleet-bench.XXXXXX)
source scripts/lib/servers.sh
trap 'stop_servers; rm -rf "$T"' EXIT
ulimit -n "$(ulimit -Hn)"   # N watchers are N connections on both sides
mkdir -m 700 "$T/hub"
seed_start=$(date +%s%3N)
"$build/bench/hub_fanout" seed "$T/hub" "$n" "$T/tokens"
seed_ms=$(($(date +%s%3N) - seed_start))
hub_port=$(free_port)
# Every simulated agent connects from 127.0.0.1: lift the per-address cap (production: one address per host).
CERTFLEET_HUB_MAX_CONNECTIONS=0 CERTFLEET_HUB_MAX_CONNECTIONS_PER_ADDRESS=0 \
  "$hub_bin" --data-dir "$T/hub" --listen "127.0.0.1:$hub_port" --log-level warn >"$T/hub.log" 2>&1 &
hub_pid=$!
remember_pid $hub_pid
wait_http "http://127.0.0.1:$hub_port/healthz"
for ((i = 0; i < 200; i++)); do [[ -s "$T/hub/admin.token" ]] && break; sleep 0.02; done
export CERTFLEET_TOKEN; CERTFLEET_TOKEN=$(tr -d '\n' <"$T/hub/admin.token")
echo
echo "Hub fan-out: $n simulated machines (own token and connection each: watch long poll, then desired + certificate"
echo "+ report per change), $rounds rounds of one certificate upload for a domain hosted on all of them"
echo "($(nproc) cores, $(uname -m), $(date -u '+%Y-%m-%d %H:%M UTC'), load average before: $(cut -d' ' -f1-3 /proc/loadavg);"
echo " command: BUILD_DIR=$build bench/hub_fanout.sh $n $rounds; store seeded in $seed_ms ms)"
echo
"$build/bench/hub_fanout" run "http://127.0.0.1:$hub_port" "$T/tokens" "$rounds" "$hub_pid"
echo
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
if grep -qiE 'error|warn' "$T/hub.log"; then echo "hub log (first lines):"; grep -iE 'error|warn' "$T/hub.log" | head -5; fi
