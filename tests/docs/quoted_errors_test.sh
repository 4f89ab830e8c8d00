#!/usr/bin/env bash
# The error texts the docs quote, produced by the real programs: each case runs the failure the doc
# describes and checks that the program's output contains the doc's text (the part without paths
# that differ per machine), and that the doc still contains it. A reworded message or a stale doc
# fails here, not in front of an operator.
# Usage: quoted_errors_test.sh HUB AGENT CLI DOCS_DIR
set -euo pipefail
hub=$1 agent=$2 cli=$3 docs=$4
T=$(mktemp -d /tmp/certfleet-quoted.XXXXXX)
hub_pid=""
trap '[[ -z "$hub_pid" ]] || kill "$hub_pid" 2>/dev/null; wait 2>/dev/null; rm -rf "$T"' EXIT
failures=0
# check DOC TEXT OUTPUT_FILE
check() {
  if ! grep -qF -- "$2" "$docs/$1"; then
    echo "FAIL: $1 no longer quotes: $2"; failures=$((failures + 1))
  elif ! grep -qF -- "$2" "$3"; then
    echo "FAIL: $1 quotes \"$2\" but the program printed:"; sed 's/^/    /' "$3"; failures=$((failures + 1))
  else
    echo "ok: $1: $2"
  fi
}
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }

# troubleshooting §10 + config.md: config errors.
printf '[[issuers]]\nname = "x"\n' >"$T/typo.toml"
"$hub" --config "$T/typo.toml" --data-dir "$T/d1" >"$T/out1" 2>&1 || true
check troubleshooting.md "unknown key(s): issuers" "$T/out1"
printf '[[issuer]]\nname = "le"\ndirectory = "http://acme.example"\n' >"$T/http.toml"
"$hub" --config "$T/http.toml" --data-dir "$T/d2" >"$T/out2" 2>&1 || true
check config.md 'issuer[0].directory: not a https:// URL: "http://acme.example"' "$T/out2"
mkdir -m 0700 "$T/d3"; head -c 32 /dev/urandom >"$T/d3/master.key"; chmod 0644 "$T/d3/master.key"
"$hub" --data-dir "$T/d3" --listen "127.0.0.1:$(free_port)" >"$T/out3" 2>&1 || true
check troubleshooting.md "has mode 0644; it must be readable by its owner only: chmod 600 " "$T/out3"
check install.md "has mode 0644; it must be readable by its owner only: chmod 600 " "$T/out3"

# troubleshooting §9: the CLI against a hub that is down, and with a wrong token.
"$cli" --hub http://127.0.0.1:1 --token cf_x domain list >"$T/out4" 2>&1 || true
check troubleshooting.md "certfleet: cannot reach the hub (check --hub / CERTFLEET_HUB): GET http://127.0.0.1:1/api/v1/domains?limit=100&offset=0&sort=name: Failed to connect to 127.0.0.1 port 1 after" "$T/out4"
port=$(free_port)
"$hub" --data-dir "$T/d5" --listen "127.0.0.1:$port" >"$T/hub5.log" 2>&1 &
hub_pid=$!
for ((i = 0; i < 200; i++)); do curl -fs "http://127.0.0.1:$port/healthz" >/dev/null && break; sleep 0.05; done
"$cli" --hub "http://127.0.0.1:$port" --token cf_wrong domain list >"$T/out5" 2>&1 || true
check troubleshooting.md "certfleet: unknown or revoked token" "$T/out5"

# troubleshooting §5: the agent cannot resolve the hub's name (the running loop's warning).
printf 'hub_url = "https://hub.example.net.invalid"\ntoken = "cf_x"\noutput_dir = "%s"\nverify_address = ""\n' \
  "$T/out" >"$T/agent.toml"
"$agent" --config "$T/agent.toml" >"$T/out6" 2>&1 &
agent_pid=$!
for ((i = 0; i < 100; i++)); do grep -q "retry in" "$T/out6" && break; sleep 0.05; done
kill "$agent_pid"; wait "$agent_pid" 2>/dev/null || true
sed -i 's/hub\.example\.net\.invalid/hub.example.net/g' "$T/out6"   # the doc's host name
check troubleshooting.md "cannot resolve the hub's host name (check hub_url and this host's DNS): fetching the desired state from the hub: GET https://hub.example.net/api/v1/agent/desired: resolving hub.example.net: " "$T/out6"

# --version on every binary (install.md, config.md).
for b in "$hub" "$agent" "$cli"; do "$b" --version; done >"$T/out7"
grep -qx "certfleet-hub [0-9.]*" "$T/out7" && grep -qx "certfleet-agent [0-9.]*" "$T/out7" &&
  grep -qx "certfleet [0-9.]*" "$T/out7" || { echo "FAIL: --version: $(cat "$T/out7")"; failures=$((failures + 1)); }

((failures == 0)) || { echo "$failures quoted text(s) do not match the programs"; exit 1; }
echo "all quoted errors match the programs"
