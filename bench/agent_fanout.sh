#!/usr/bin/env bash
# Fan-out: one certfleet-hub, N certfleet-agent processes on loopback (each its own machine, token and output
# folder), one change that concerns all of them (a new certificate for a domain hosted on all N machines): the time
# until all N have reported it deployed (bench/agent_fanout.cc measures); plus the agents' idle RSS.
# The agents' test and reload commands are `true` and their TLS check is off: N nginx instances would measure
# nginx, not the fan-out (bench/agent_latency.sh covers the real nginx path).
# RELOAD=signal replaces the reload command by the agents' built-in reload (reload_signal_pid_file): SIGHUP to one
# stand-in "nginx master" that ignores it, so a pass starts one process (`true`) instead of two.
# usage: bench/agent_fanout.sh [N] [ROUNDS]   (defaults 200 and 5)
#   env: BUILD_DIR (default build/release) holds certfleet-agent and bench/agent_fanout;
#        HUB_BIN (default $BUILD_DIR/src/hub/certfleet-hub); RELOAD=command (default) or signal.
set -euo pipefail
cd "$(dirname "$0")/.."
n=${1:-200}; rounds=${2:-5}; build=${BUILD_DIR:-build/release}; hub_bin=${HUB_BIN:-$build/src/hub/certfleet-hub}
T=$(mktemp -d /tmp/certfleet-bench.XXXXXX)
source scripts/lib/servers.sh
trap 'stop_servers; rm -rf "$T"' EXIT

hub_port=$(free_port)
mkdir -m 700 "$T/hub"
"$hub_bin" --data-dir "$T/hub" --listen "127.0.0.1:$hub_port" --log-level warn >"$T/hub.log" 2>&1 &
hub_pid=$!
remember_pid $hub_pid
HUB_URL="http://127.0.0.1:$hub_port"
wait_http "$HUB_URL/healthz"
for ((i = 0; i < 200; i++)); do [[ -s "$T/hub/admin.token" ]] && break; sleep 0.02; done
export CERTFLEET_TOKEN; CERTFLEET_TOKEN=$(tr -d '\n' <"$T/hub/admin.token")

"$build/bench/agent_fanout" setup "$HUB_URL" "$T/agents" "$n"
if [[ "${RELOAD:-command}" == signal ]]; then
  (trap '' HUP; exec sleep 100000) &  # SIGHUP ignored across exec: it survives every reload
  remember_pid $!
  echo $! >"$T/master.pid"
  for toml in "$T"/agents/fan-*/agent.toml; do echo "reload_signal_pid_file = \"$T/master.pid\"" >>"$toml"; done
fi
agent_pids=()
for dir in "$T"/agents/fan-*; do
  "$build/src/agent/certfleet-agent" -c "$dir/agent.toml" >"$dir/agent.log" 2>&1 &
  agent_pids+=($!)
  remember_pid $!
done

echo
echo "Agent fan-out: one change for a domain hosted on $n machines, one agent each; $rounds timed rounds"
echo "($(nproc) cores, $(uname -m), $(date -u '+%Y-%m-%d %H:%M UTC'), load average before: $(cut -d' ' -f1-3 /proc/loadavg);"
echo " command: BUILD_DIR=$build RELOAD=${RELOAD:-command} bench/agent_fanout.sh $n $rounds)"
echo
"$build/bench/agent_fanout" run "$HUB_URL" "$n" "$rounds"
sleep 2  # let the last reports and watch re-polls settle before measuring idle RSS
echo
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
for pid in "${agent_pids[@]}"; do awk '/^VmRSS/ {print $2}' "/proc/$pid/status"; done | sort -n | awk '
  { v[NR] = $1; sum += $1 }
  END { printf "agents idle RSS: median %.1f MB, max %.1f MB, all %d together %.0f MB\n",
        v[int((NR + 1) / 2)] / 1024, v[NR] / 1024, NR, sum / 1024 }'
echo "hub RSS: $(awk '/^VmRSS/ {printf "%.1f MB", $2 / 1024}' "/proc/$hub_pid/status")"
if grep -l -i 'error' "$T"/agents/fan-*/agent.log >/dev/null 2>&1; then
  echo "agent errors (first lines):"; grep -h -i 'error' "$T"/agents/fan-*/agent.log | head -5
fi
