#!/usr/bin/env bash
# Agents stopped with SIGTERM while they wait in the hub's long poll must exit 0 and log
# "stopped" — never crash. (The 200-agent fan-out benchmark once saw SIGSEGVs here: the
# signal handler started a thread that could outlive the loop it stopped.)
# Usage: agent_sigterm_test.sh HUB_BINARY AGENT_BINARY CLI_BINARY [AGENTS]
set -euo pipefail
hub_bin=$1 agent_bin=$2 cli=$3 agents=${4:-10}
T=$(mktemp -d /tmp/certfleet-sigterm.XXXXXX)
hub_pid=""
cleanup() {
  [[ -n $hub_pid ]] && { kill "$hub_pid" 2>/dev/null || true; wait "$hub_pid" 2>/dev/null || true; }
  rm -rf "$T"
}
trap cleanup EXIT
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
"$hub_bin" --data-dir "$T/hub" --listen "127.0.0.1:$port" --log-level debug >"$T/hub.log" 2>&1 &
hub_pid=$!
export CERTFLEET_HUB=http://127.0.0.1:$port
for _ in $(seq 1 400); do curl -fsS "$CERTFLEET_HUB/healthz" >/dev/null 2>&1 && break; sleep 0.05; done
export CERTFLEET_TOKEN; CERTFLEET_TOKEN=$(cat "$T/hub/admin.token")
"$cli" machine add web-1 >/dev/null
token=$("$cli" token create --role agent --machine web-1)

pids=()
for i in $(seq 1 "$agents"); do
  printf 'hub_url = "%s"\ntoken = "%s"\noutput_dir = "%s/out%d"\ntest_command = "true"\nreload_command = "true"\nverify_address = ""\n' \
    "$CERTFLEET_HUB" "$token" "$T" "$i" >"$T/agent$i.toml"
  "$agent_bin" -c "$T/agent$i.toml" >"$T/agent$i.log" 2>&1 &
  pids+=($!)
done
# Wait until every agent has made its first pass and sits in the long poll.
for _ in $(seq 1 600); do
  waiting=$(grep -c "GET /api/v1/agent/desired" "$T/hub.log" || true)
  ((waiting >= agents)) && break
  sleep 0.05
done
sleep 0.5
for pid in "${pids[@]}"; do kill -TERM "$pid"; done
failed=0
for i in "${!pids[@]}"; do
  rc=0
  wait "${pids[$i]}" || rc=$?
  if ((rc != 0)) || ! grep -q "certfleet-agent: stopped" "$T/agent$((i + 1)).log"; then
    failed=$((failed + 1))
    echo "FAILED: agent $((i + 1)) exited with $rc after SIGTERM; its log:"
    sed 's/^/    /' "$T/agent$((i + 1)).log" | tail -20
  fi
done
((failed == 0)) || exit 1
echo "ok: $agents agents stopped by SIGTERM during their long polls, each exit 0"
