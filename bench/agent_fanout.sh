#!/usr/bin/env bash
# Fan-out: one certfleet-hub, N certfleet-agent processes on loopback (each its own machine, token and output
# folder), one change that concerns all of them (a new certificate for a domain hosted on all N machines): the time
# until all N have reported it deployed (bench/agent_fanout.cc measures); plus the agents' idle RSS.
# The agents' test and reload commands are `true` and their TLS check is off: N nginx instances would measure
# nginx, not the fan-out (bench/agent_latency.sh covers the real nginx path).
# RELOAD=signal replaces the reload command by the agents' built-in reload (reload_signal_pid_file): SIGHUP to one
# stand-in "nginx master" that ignores it, so a pass starts one process (`true`) instead of two.
# CPU: the agents' utime+stime plus their reaped children's (the test/reload commands) and the hub's, read from
# /proc/PID/stat after the warm-up round and after the last round, divided by the timed passes (N x ROUNDS):
# CPU per agent pass, independent of what else runs on the machine (wall times are not).
# usage: bench/agent_fanout.sh [N] [ROUNDS]   (defaults 200 and 5)
#   env: BUILD_DIR (default build/release) holds certfleet-agent and bench/agent_fanout;
#        HUB_BIN (default $BUILD_DIR/src/hub/certfleet-hub); AGENT_BIN (default $BUILD_DIR/src/agent/certfleet-agent,
#        e.g. an older build to compare); RELOAD=command (default) or signal.
set -euo pipefail
cd "$(dirname "$0")/.."
n=${1:-200}; rounds=${2:-5}; build=${BUILD_DIR:-build/release}; hub_bin=${HUB_BIN:-$build/src/hub/certfleet-hub}
agent_bin=${AGENT_BIN:-$build/src/agent/certfleet-agent}
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
  "$agent_bin" -c "$dir/agent.toml" >"$dir/agent.log" 2>&1 &
  agent_pids+=($!)
  remember_pid $!
done

echo
echo "Agent fan-out: one change for a domain hosted on $n machines, one agent each; $rounds timed rounds"
echo "($(nproc) cores, $(uname -m), $(date -u '+%Y-%m-%d %H:%M UTC'), load average before: $(cut -d' ' -f1-3 /proc/loadavg);"
echo " command: BUILD_DIR=$build RELOAD=${RELOAD:-command} bench/agent_fanout.sh $n $rounds)"
# Milliseconds of CPU used by the given processes (own: utime + stime) and their reaped children (cutime +
# cstime), fields 14-17 of /proc/PID/stat, and their own minor page faults (field 10; ~13 µs each in this VM);
# prints "own children faults".
cpu_ms() {
  local pid
  for pid in "$@"; do sed 's/^.*) //' "/proc/$pid/stat"; done |
    awk -v hz="$(getconf CLK_TCK)" '{ o += $12 + $13; c += $14 + $15; f += $8 }
      END { printf "%.0f %.0f %d\n", o * 1000 / hz, c * 1000 / hz, f }'
}
echo
"$build/bench/agent_fanout" run "$HUB_URL" "$n" 0  # waits for every agent, then the warm-up round
read -r agents_cpu_before children_cpu_before faults_before < <(cpu_ms "${agent_pids[@]}")
read -r hub_cpu_before _ < <(cpu_ms "$hub_pid")
"$build/bench/agent_fanout" timed "$HUB_URL" "$n" "$rounds"
read -r agents_cpu children_cpu faults < <(cpu_ms "${agent_pids[@]}")
read -r hub_cpu _ < <(cpu_ms "$hub_pid")
passes=$((n * rounds))
echo
awk -v a="$((agents_cpu - agents_cpu_before))" -v c="$((children_cpu - children_cpu_before))" \
    -v h="$((hub_cpu - hub_cpu_before))" -v f="$((faults - faults_before))" -v p="$passes" 'BEGIN {
  printf "CPU per agent pass (%d passes): agent %.2f ms + its commands %.2f ms = %.2f ms; hub %.2f ms; agent minor faults %.0f\n",
         p, a / p, c / p, (a + c) / p, h / p, f / p }'
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
