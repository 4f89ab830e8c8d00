#!/usr/bin/env bash
# docs/backup.md, done against a real hub: back up hub.db with SQLite's online backup while
# the hub runs, keep master.key apart, wipe the data directory, restore both, start again;
# the stored private key must come back byte for byte through an agent token. Then the
# failure the doc describes: the same restore with a wrong master key starts, but the key
# cannot be opened and the hub says why.
# Usage: backup_restore_test.sh CERTFLEET_HUB_BINARY CERTFLEET_CLI_BINARY
set -euo pipefail
hub_bin=$1 cli=$2
T=$(mktemp -d /tmp/certfleet-backup.XXXXXX)
hub_pid=""
cleanup() {
  if [[ -n $hub_pid ]]; then kill "$hub_pid" 2>/dev/null || true; wait "$hub_pid" 2>/dev/null || true; fi
  rm -rf "$T"
}
trap cleanup EXIT
fail() { echo "FAILED: $*" >&2; [[ -f $T/hub.log ]] && sed 's/^/    hub: /' "$T/hub.log" | tail -20 >&2; exit 1; }

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
port=$(free_port)
export CERTFLEET_HUB=http://127.0.0.1:$port

start_hub() {
  "$hub_bin" --data-dir "$T/data" --listen "127.0.0.1:$port" >>"$T/hub.log" 2>&1 &
  hub_pid=$!
  for _ in $(seq 1 200); do
    curl -fsS "$CERTFLEET_HUB/healthz" >/dev/null 2>&1 && return 0
    kill -0 "$hub_pid" 2>/dev/null || fail "the hub exited during start-up"
    sleep 0.05
  done
  fail "the hub did not answer /healthz within 10 s"
}
stop_hub() { kill -TERM "$hub_pid"; wait "$hub_pid" || true; hub_pid=""; }
agent_get() { curl -fsS -H "Authorization: Bearer $agent_token" "$CERTFLEET_HUB$1"; }

# A hub with one manually uploaded certificate, and an agent token that may fetch its key.
start_hub
export CERTFLEET_TOKEN; CERTFLEET_TOKEN=$(cat "$T/data/admin.token")
"$cli" customer add shop >/dev/null
"$cli" machine add web-1 >/dev/null
"$cli" domain add shop.example --customer shop --machine web-1 --issuer manual >/dev/null
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 30 -subj "/CN=shop.example" \
  -addext "subjectAltName=DNS:shop.example" -keyout "$T/key.pem" -out "$T/cert.pem" 2>/dev/null
"$cli" cert upload shop.example --cert "$T/cert.pem" --key "$T/key.pem" >/dev/null
agent_token=$("$cli" token create --role agent --machine web-1)
cert_id=$(agent_get /api/v1/agent/desired | python3 -c 'import json,sys; print(json.load(sys.stdin)["certificates"][0]["certificate_id"])')

# Back up while the hub runs, exactly as docs/backup.md says.
sqlite3 "$T/data/hub.db" ".backup '$T/hub-backup.db'"
[[ $(sqlite3 "$T/hub-backup.db" "PRAGMA integrity_check") == ok ]] || fail "the online backup is not consistent"
install -m 0600 "$T/data/master.key" "$T/master-backup.key"
stop_hub

restore() {  # restore MASTER_KEY_FILE
  rm -rf "$T/data"
  install -d -m 0700 "$T/data"
  install -m 0600 "$T/hub-backup.db" "$T/data/hub.db"
  install -m 0600 "$1" "$T/data/master.key"
}

restore "$T/master-backup.key"
start_hub
"$cli" domain list | grep -q shop.example || fail "shop.example is missing after the restore"
served_key=$(agent_get "/api/v1/agent/certificates/$cert_id" | python3 -c 'import json,sys; print(json.load(sys.stdin)["key_pem"], end="")')
[[ $(openssl pkey -in <(echo "$served_key") -outform DER | sha256sum) == $(openssl pkey -in "$T/key.pem" -outform DER | sha256sum) ]] ||
  fail "the private key served after the restore is not the one uploaded before the backup"
echo "ok: restored hub serves the uploaded private key to the machine's agent"
stop_hub

# The wrong master key: the hub starts, and the fetch fails naming the cause.
head -c 32 /dev/urandom >"$T/wrong.key"
restore "$T/wrong.key"
start_hub
answer=$(curl -sS -H "Authorization: Bearer $agent_token" "$CERTFLEET_HUB/api/v1/agent/certificates/$cert_id")
grep -q "wrong master key" <<<"$answer" || fail "with a wrong master key the hub should say so, it answered: $answer"
grep -q "PRIVATE KEY" <<<"$answer" && fail "an error answer contained key material"
echo "ok: a wrong master key is reported: $answer"
