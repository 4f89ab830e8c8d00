#!/usr/bin/env bash
# Fan-out: one certfleet-hub, N certfleet-agent processes on loopback (each its own machine, token and output
# folder), one change that concerns all of them (a new certificate for a domain hosted on all N machines): the time
# until all N have reported it deployed (bench/agent_fanout.cc measures); plus the agents' idle RSS.
# The agents' test and reload commands are `true` and their TLS check is off: N nginx instances would measure
# nginx, not the fan-out (bench/agent_latency.sh covers the real nginx path).
# RELOAD=signal replaces the reload command by the agents' built-in reload (reload_signal_pid_file): SIGHUP to one
# stand-in "nginx master" that ignores it, so a pass starts one process (`true`) instead of two.
# RELOAD=free: the agents run in reload-free mode (reload_free = true, no TLS check): a renewal is the swap of
# bundle.pem, no command runs at all (issue 16).
# CPU: the agents' own CPU (every thread, /proc/PID/task/*/schedstat, nanoseconds) and their commands' (the test and
# reload commands: the agents run in a cpuacct cgroup of their own, whose cpuacct.usage counts every process in it,
# the short-lived commands included; commands = the cgroup's total − the agents' own), and the hub's (schedstat),
# read after the warm-up round and after the last round, divided by the timed passes (N x ROUNDS): CPU per agent
# pass, independent of what else runs on the machine (wall times are not). Until 2026-12-06 this read utime/stime
# and cutime/cstime from /proc/PID/stat, which are kept in clock ticks (10 ms): a `true` costs ~0.5-4 ms, so the
# commands' share showed as 0.00 whenever the ticks fell elsewhere. Without a writable cgroup (cgroup v1 cpuacct) the
# script falls back to cutime+cstime and says so.
# Round 1 is each agent's second install of the domain (the warm-up round was its first): it still creates the
# staging files an install then reuses (docs/design/2026-12-07-agent-reuses-staging-inodes.md); rounds 2.. are
# steady renewals.
# usage: bench/agent_fanout.sh [N] [ROUNDS]   (defaults 200 and 5)
#   env: BUILD_DIR (default build/release) holds certfleet-agent and bench/agent_fanout;
#        HUB_BIN (default $BUILD_DIR/src/hub/certfleet-hub); AGENT_BIN (default $BUILD_DIR/src/agent/certfleet-agent,
#        e.g. an older build to compare); RELOAD=command (default), signal or free;
#        BENCH_DIR (default /tmp): where the hub's and agents' files go. The agents' CPU per pass is mostly
#        the file system's work for the crash-safe install, so it depends on it: this machine's root is ext4
#        without a journal, whose inode allocator scans for recently deleted inodes on every create (a third
#        of an agent's pass); point BENCH_DIR at a journaled file system (e.g. a loop-mounted ext4) to see
#        what a usual host's disk costs.
set -euo pipefail
cd "$(dirname "$0")/.."
n=${1:-200}; rounds=${2:-5}; build=${BUILD_DIR:-build/release}; hub_bin=${HUB_BIN:-$build/src/hub/certfleet-hub}
agent_bin=${AGENT_BIN:-$build/src/agent/certfleet-agent}
T=$(mktemp -d "${BENCH_DIR:-/tmp}/certfleet-bench.XXXXXX")
source scripts/lib/servers.sh
# BENCH_DEFER_CLEANUP=FILE: the temporary folder is named in FILE instead of deleted (the caller deletes it later).
remove_temp() { if [[ -n "${BENCH_DEFER_CLEANUP:-}" ]]; then echo "$T" >>"$BENCH_DEFER_CLEANUP"; else rm -rf "$T"; fi; }
trap 'stop_servers; remove_temp' EXIT

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
if [[ "${RELOAD:-command}" == free ]]; then
  chmod 711 "$T"
  for toml in "$T"/agents/fan-*/agent.toml; do printf 'reload_free = true\nkey_group = "nogroup"\n' >>"$toml"; done
fi
# The agents (and so their commands) in a cpuacct cgroup of their own: exact CPU of everything they start.
cgroup=/sys/fs/cgroup/cpuacct/certfleet-fanout-$$
if mkdir "$cgroup" 2>/dev/null; then
  trap 'stop_servers; remove_temp; rmdir "$cgroup" 2>/dev/null || true' EXIT
else
  cgroup=""
fi
agent_pids=()
for dir in "$T"/agents/fan-*; do
  if [[ -n $cgroup ]]; then
    # The subshell joins the cgroup, then becomes the agent (exec keeps the PID).
    sh -c 'echo $$ >"$1/cgroup.procs" && shift && exec "$@"' sh "$cgroup" "$agent_bin" -c "$dir/agent.toml" \
      >"$dir/agent.log" 2>&1 &
  else
    "$agent_bin" -c "$dir/agent.toml" >"$dir/agent.log" 2>&1 &
  fi
  agent_pids+=($!)
  remember_pid $!
done

echo
echo "Agent fan-out: one change for a domain hosted on $n machines, one agent each; $rounds timed rounds"
echo "($(nproc) cores, $(uname -m), $(date -u '+%Y-%m-%d %H:%M UTC'), load average before: $(cut -d' ' -f1-3 /proc/loadavg);"
echo " command: BUILD_DIR=$build RELOAD=${RELOAD:-command} bench/agent_fanout.sh $n $rounds)"
# Nanoseconds of CPU of the given processes' threads (schedstat), and their minor page faults (stat field 10).
own_ns() {
  local pid total=0 t
  for pid in "$@"; do
    for t in /proc/$pid/task/*/schedstat; do total=$((total + $(cut -d' ' -f1 "$t"))); done
  done
  echo "$total"
}
faults() { for pid in "$@"; do sed 's/^.*) //' "/proc/$pid/stat"; done | awk '{ f += $8 } END { print f }'; }
# Nanoseconds of CPU of the agents' commands: the cgroup's total minus the agents' own; without a cgroup, the reaped
# children's cutime + cstime (clock ticks: coarse).
commands_ns() {
  if [[ -n $cgroup ]]; then
    echo $(($(cat "$cgroup/cpuacct.usage") - $(own_ns "${agent_pids[@]}")))
  else
    for pid in "${agent_pids[@]}"; do sed 's/^.*) //' "/proc/$pid/stat"; done |
      awk -v hz="$(getconf CLK_TCK)" '{ c += $14 + $15 } END { printf "%.0f\n", c * 1e9 / hz }'
  fi
}
echo
"$build/bench/agent_fanout" run "$HUB_URL" "$n" 0  # waits for every agent, then the warm-up round
agents_before=$(own_ns "${agent_pids[@]}"); commands_before=$(commands_ns); faults_before=$(faults "${agent_pids[@]}")
hub_before=$(own_ns "$hub_pid")
"$build/bench/agent_fanout" timed "$HUB_URL" "$n" "$rounds"
agents=$(($(own_ns "${agent_pids[@]}") - agents_before)); commands=$(($(commands_ns) - commands_before))
hub=$(($(own_ns "$hub_pid") - hub_before)); faults=$(($(faults "${agent_pids[@]}") - faults_before))
passes=$((n * rounds))
echo
awk -v a="$agents" -v c="$commands" -v h="$hub" -v f="$faults" -v p="$passes" -v how="${cgroup:+cgroup cpuacct}" 'BEGIN {
  printf "CPU per agent pass (%d passes): agent %.2f ms + its commands %.2f ms = %.2f ms; hub %.2f ms; agent minor faults %.0f%s\n",
         p, a / p / 1e6, c / p / 1e6, (a + c) / p / 1e6, h / p / 1e6, f / p,
         (how == "" ? " (commands from cutime: clock ticks, coarse)" : "") }'
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
