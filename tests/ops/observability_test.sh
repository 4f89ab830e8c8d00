#!/usr/bin/env bash
# Issue 18 on real processes: Pebble, nginx, certfleet-hub (TLS, JSON logs, /metrics behind a metrics
# token), certfleet-agent (JSON logs, node_exporter textfile), prometheus-node-exporter and a real
# Prometheus scraping both. Checks:
#   0. The hub listens with TLS 1.2+ from [tls] files; the agent and the CLI verify it with the
#      private CA; an agent with the wrong CA refuses the hub and says why; replacing the files
#      (as the hub host's agent does at renewal) and SIGHUP both switch the served certificate.
#   1. GET /metrics: 401 without a token, 200 with a metrics token; `promtool check metrics` passes.
#   2. One PromQL query per metric family answers as expected once the domain is served.
#   3. "Issued but not served" fires for the machine whose agent is stopped (after a renewal).
#   4. Every line of the hub's and the agent's log is one JSON object with time, level, component
#      and message; issuance lines carry domain and order keys; no token and no private key appears.
# Usage: observability_test.sh BUILD_DIR
set -euo pipefail
build=$(cd "$1" && pwd)
cd "$(dirname "$0")/../.."
hub_bin=$build/src/hub/certfleet-hub agent_bin=$build/src/agent/certfleet-agent cli=$build/src/cli/certfleet

T=$(mktemp -d /tmp/certfleet-obs.XXXXXX)
source scripts/lib/servers.sh
source scripts/lib/pipeline.sh
cleanup() {
  local rc=$?
  stop_servers
  if ((rc != 0)); then
    for f in hub.log agent.log prometheus.log node-exporter.log; do
      [[ -f "$T/$f" ]] && { echo "--- $f" >&2; tail -n 25 "$T/$f" >&2; }
    done
  fi
  rm -rf "$T"
  exit "$rc"
}
trap cleanup EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }

# A private CA and the hub's certificate (SAN localhost + 127.0.0.1), as an operator would use one.
hub_cert() {  # hub_cert NAME: a new key + certificate signed by the test CA in $T/tls/NAME.{key,pem}
  openssl req -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -subj "/CN=localhost" \
    -keyout "$T/tls/$1.key" -out "$T/tls/$1.csr" 2>/dev/null
  openssl x509 -req -in "$T/tls/$1.csr" -CA "$T/tls/ca.pem" -CAkey "$T/tls/ca.key" -CAcreateserial -days 2 \
    -extfile <(printf 'subjectAltName=DNS:localhost,IP:127.0.0.1') -out "$T/tls/$1.pem" 2>/dev/null
}
mkdir -p "$T/tls"
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 2 -subj "/CN=hub test CA" \
  -keyout "$T/tls/ca.key" -out "$T/tls/ca.pem" 2>/dev/null
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 2 -subj "/CN=other CA" \
  -keyout "$T/tls/other-ca.key" -out "$T/tls/other-ca.pem" 2>/dev/null
hub_cert first
cp "$T/tls/first.pem" "$T/tls/hub.pem"; cp "$T/tls/first.key" "$T/tls/hub.key"
export CERTFLEET_HUB_CA_FILE=$T/tls/ca.pem HUB_SCHEME=https

domain=shop.example.com
http_port=$(free_port) tls_port=$(free_port) front_port=$(free_port) hub_port=$(free_port)
notify_port=$(free_port) prom_port=$(free_port) node_port=$(free_port)
start_pebble "$http_port"
start_nginx "$http_port" "$tls_port" "$front_port" "$hub_port" "$notify_port"
HUB_EXTRA_TOML='log_format = "json"' HUB_EXTRA_TABLES="[metrics]
public = false
[tls]
cert_file = \"$T/tls/hub.pem\"
key_file = \"$T/tls/hub.key\"" \
  start_hub "$hub_bin" "$hub_port" pebble "$PEBBLE_DIR_URL" "$PEBBLE_CA" "http://127.0.0.1:$notify_port/hooks/x"
export CERTFLEET_HUB=$HUB_URL CERTFLEET_TOKEN=$ADMIN_TOKEN
"$cli" customer add "Shop GmbH" >/dev/null
"$cli" machine add web-1 --customer "Shop GmbH" >/dev/null
agent_token=$("$cli" token create --role agent --machine web-1)
metrics_token=$("$cli" token create --role metrics --name prometheus)
printf '%s\n' "$metrics_token" >"$T/metrics.token"
mkdir -p "$T/textfile"
live=$T/agent-out/live/$domain
write_nginx_site "$domain" "$tls_port" "$live"
AGENT_EXTRA_TOML="log_format = \"json\"
ca_file = \"$T/tls/ca.pem\"
metrics_textfile = \"$T/textfile/certfleet.prom\"" \
  start_agent "$agent_bin" "$HUB_URL" "$agent_token" "$T/agent-out" "$tls_port"
"$cli" domain add "$domain" --customer "Shop GmbH" --machine web-1 --issuer pebble >/dev/null

hub_sha() {
  "$cli" domain show "$domain" --json |
    python3 -c 'import json,sys; print((json.load(sys.stdin).get("current_certificate") or {}).get("sha256", ""))'
}
wait_served() {  # wait_served: until nginx serves the domain's current certificate (30 s)
  for ((i = 0; i < 300; i++)); do
    local want; want=$(hub_sha)
    [[ -n "$want" && "$(served_sha256 "$tls_port" "$domain")" == "$want" ]] && return 0
    sleep 0.1
  done
  fail "nginx does not serve the current certificate of $domain"
}
wait_served
echo "ok: $domain issued and served (agent and CLI on https:// with the private CA)"

# 0. TLS: policy, a wrong CA, reload on file change and on SIGHUP.
fingerprint() {
  openssl s_client -connect "127.0.0.1:$hub_port" -servername localhost "$@" </dev/null 2>/dev/null |
    openssl x509 -noout -fingerprint -sha256 2>/dev/null | sed 's/.*=//'
}
want=$(openssl x509 -in "$T/tls/first.pem" -noout -fingerprint -sha256 | sed 's/.*=//')
[[ "$(fingerprint)" == "$want" ]] || fail "the hub does not serve its [tls] certificate"
[[ -z "$(fingerprint -tls1_1 -cipher 'DEFAULT:@SECLEVEL=0')" ]] || fail "the hub completed a TLS 1.1 handshake"
[[ -n "$(fingerprint -tls1_2)" ]] || fail "the hub refused TLS 1.2"
sed "s|$T/tls/ca.pem|$T/tls/other-ca.pem|; s|^metrics_textfile.*||; s|^output_dir = .*|output_dir = \"$T/wrong-ca-out\"|" \
  "$T/agent.toml" >"$T/agent-wrong-ca.toml"
if "$agent_bin" -c "$T/agent-wrong-ca.toml" --once >"$T/wrong-ca.log" 2>&1; then
  fail "an agent with the wrong CA accepted the hub"
fi
grep -q "certificate verify failed" "$T/wrong-ca.log" || fail "the wrong-CA agent did not say why: $(tail -n 3 "$T/wrong-ca.log")"
if CERTFLEET_HUB_CA_FILE=$T/tls/other-ca.pem "$cli" domain list >"$T/cli-wrong-ca.log" 2>&1; then
  fail "the CLI accepted the hub with the wrong CA"
fi
grep -q "the hub's TLS certificate is not trusted (pass --hub-ca-file FILE or set CERTFLEET_HUB_CA_FILE)" \
  "$T/cli-wrong-ca.log" || fail "the CLI reported the TLS failure as: $(cat "$T/cli-wrong-ca.log")"
hub_cert second
cp "$T/tls/second.key" "$T/tls/hub.key.new"; cp "$T/tls/second.pem" "$T/tls/hub.pem.new"
mv "$T/tls/hub.key.new" "$T/tls/hub.key"; mv "$T/tls/hub.pem.new" "$T/tls/hub.pem"   # as an agent renews
want=$(openssl x509 -in "$T/tls/second.pem" -noout -fingerprint -sha256 | sed 's/.*=//')
for ((i = 0; i < 60; i++)); do [[ "$(fingerprint)" == "$want" ]] && break; sleep 0.1; done
[[ "$(fingerprint)" == "$want" ]] || fail "the hub did not pick up the replaced certificate files"
hub_cert third
cat "$T/tls/third.key" >"$T/tls/hub.key"; cat "$T/tls/third.pem" >"$T/tls/hub.pem"
kill -HUP "$HUB_PID"
want=$(openssl x509 -in "$T/tls/third.pem" -noout -fingerprint -sha256 | sed 's/.*=//')
for ((i = 0; i < 30; i++)); do [[ "$(fingerprint)" == "$want" ]] && break; sleep 0.1; done
[[ "$(fingerprint)" == "$want" ]] || fail "SIGHUP did not reload the certificate"
echo "ok: hub TLS 1.2+ only; wrong CA refused by agent and CLI with the reason; reload on change and SIGHUP"

# 1. /metrics: token required, promtool-clean.
curl() { command curl --cacert "$T/tls/ca.pem" "$@"; }
code=$(curl -s -o /dev/null -w '%{http_code}' "$HUB_URL/metrics")
[[ "$code" == 401 ]] || fail "GET /metrics without a token answered $code, expected 401"
curl -fsS -H "Authorization: Bearer $metrics_token" "$HUB_URL/metrics" >"$T/scrape.txt"
promtool check metrics <"$T/scrape.txt" || fail "promtool check metrics rejected the hub's /metrics"
code=$(curl -s -o /dev/null -w '%{http_code}' -H "Authorization: Bearer $metrics_token" \
  "$HUB_URL/api/v1/domains")
[[ "$code" == 403 ]] || fail "a metrics token read the API ($code)"
for ((i = 0; i < 100; i++)); do [[ -s "$T/textfile/certfleet.prom" ]] && break; sleep 0.1; done
promtool check metrics <"$T/textfile/certfleet.prom" || fail "promtool rejected the agent's textfile"
echo "ok: /metrics needs a token; hub and agent output pass promtool check metrics"
# The Grafana dashboard: valid JSON, and every metric it queries is in the hub's or the agent's output.
python3 - packaging/grafana/certfleet.json "$T/scrape.txt" "$T/textfile/certfleet.prom" <<'PY'
import json, re, sys
dashboard = json.load(open(sys.argv[1]))
served = set()
for path in sys.argv[2:]:
    for line in open(path):
        if line and not line.startswith("#"):
            served.add(re.match(r"[a-zA-Z_:][a-zA-Z0-9_:]*", line).group(0))
queried = {name for panel in dashboard["panels"] for target in panel["targets"]
           for name in re.findall(r"certfleet_[a-z0-9_]+", target["expr"])}
# The outbox families exist only with [rabbitmq] (hub_api_test MetricsPageTest.OutboxFamiliesOnlyWithTheRelay).
missing = sorted(queried - served - {"certfleet_outbox_lag_seconds", "certfleet_outbox_unpublished_events"})
if missing:
    sys.exit(f"the dashboard queries metrics no hub or agent served: {missing}")
print(f"ok: the dashboard's {len(queried)} metrics are all served")
PY

# 2. A real Prometheus scraping the hub and node_exporter's textfile collector.
prometheus-node-exporter --web.listen-address="127.0.0.1:$node_port" --collector.disable-defaults \
  --collector.textfile --collector.textfile.directory="$T/textfile" >"$T/node-exporter.log" 2>&1 &
remember_pid $!
cat >"$T/prom.yml" <<YML
global: {scrape_interval: 1s, evaluation_interval: 1s}
scrape_configs:
  - job_name: certfleet-hub
    scheme: https
    tls_config: {ca_file: $T/tls/ca.pem, server_name: localhost}
    authorization: {type: Bearer, credentials_file: $T/metrics.token}
    static_configs: [{targets: ["127.0.0.1:$hub_port"]}]
  - job_name: certfleet-agent
    static_configs: [{targets: ["127.0.0.1:$node_port"], labels: {machine: web-1}}]
YML
prometheus --config.file="$T/prom.yml" --storage.tsdb.path="$T/prom" \
  --web.listen-address="127.0.0.1:$prom_port" >"$T/prometheus.log" 2>&1 &
remember_pid $!
wait_http "http://127.0.0.1:$prom_port/-/ready" 400

# promql QUERY: prints the result vector's "metric labels => value" lines (python3 parses the JSON).
promql() {
  curl -fsS --get --data-urlencode "query=$1" "http://127.0.0.1:$prom_port/api/v1/query" |
    python3 -c 'import json,sys
for r in json.load(sys.stdin)["data"]["result"]:
    m = dict(r["metric"]); m.pop("__name__", None)
    print(",".join(f"{k}={v}" for k, v in sorted(m.items())), "=>", r["value"][1])'
}
# expect QUERY PATTERN: waits (20 s) until the query's answer matches the grep -E pattern.
expect() {
  local out=""
  for ((i = 0; i < 100; i++)); do
    out=$(promql "$1" 2>/dev/null || true)
    grep -qE "$2" <<<"$out" && return 0
    sleep 0.2
  done
  fail "PromQL $1 answered [$out], expected /$2/"
}
serial=$(openssl s_client -connect "127.0.0.1:$tls_port" -servername "$domain" </dev/null 2>/dev/null |
  openssl x509 -noout -serial | sed 's/serial=//' | tr 'A-F' 'a-f' | sed 's/^0*//')
d="domain=\"$domain\""
expect "certfleet_certificate_expiration_timestamp_seconds{$d} > time()" "customer=Shop GmbH,domain=$domain,.*issuer=pebble"
expect "certfleet_certificate_not_before_timestamp_seconds{$d} <= time()" "domain=$domain"
expect "certfleet_certificate_renewal_timestamp_seconds{$d} > time()" "domain=$domain"
expect "certfleet_certificate_ready_status{$d,condition=\"True\"} == 1" "domain=$domain"
expect "certfleet_deployment_wanted_serial_info{$d}" "machine=web-1,serial=0*$serial"
expect "certfleet_deployment_served_serial_info{$d}" "machine=web-1,serial=0*$serial"
expect "count(certfleet_deployment_wanted_serial_info unless on(machine,domain,serial) certfleet_deployment_served_serial_info) or vector(0)" "=> 0$"
expect 'certfleet_machine_agent_last_seen_timestamp_seconds{machine="web-1"} > time() - 120' "machine=web-1"
expect 'certfleet_domains{status="valid"}' "=> 1$"
expect 'certfleet_orders{state="completed"}' "=> 1$"
expect 'certfleet_notification_queue_depth{channel="ops-chat"} >= 0' "channel=ops-chat"
expect 'certfleet_scan_last_success_timestamp_seconds{scan="issuance_claim"} > time() - 120' "scan=issuance_claim"
expect 'sum(certfleet_http_acme_client_requests_total{method="POST",status=~"20."})' "=> [1-9]"
expect 'certfleet_http_acme_client_request_duration_seconds_count{path="/dir"}' "method=GET"
expect 'certfleet_build_info' "version="
expect "certfleet_agent_deployed_serial_info{$d}" "machine=web-1,serial=0*$serial"
expect "certfleet_agent_certificate_expiration_timestamp_seconds{$d} > time()" "domain=$domain"
expect 'certfleet_agent_passes_total{result="ok"} > 0' "machine=web-1"
expect 'certfleet_agent_deployments_total{outcome="deployed"}' "=> 1$"
expect 'time() - certfleet_agent_last_successful_pass_timestamp_seconds < 120' "machine=web-1"
expect 'certfleet_agent_pass_duration_seconds >= 0' "machine=web-1"
expect 'certfleet_agent_reloads_total >= 1' "machine=web-1"
echo "ok: PromQL answered for every family of the hub and the agent"

# 3. Stop the agent, renew: the new serial is wanted but not served on web-1.
kill "$AGENT_PID"
for ((i = 0; i < 100; i++)); do kill -0 "$AGENT_PID" 2>/dev/null || break; sleep 0.05; done
"$cli" domain issue "$domain" >/dev/null
expect "certfleet_deployment_wanted_serial_info{$d} unless on(machine,domain,serial) certfleet_deployment_served_serial_info" "machine=web-1"
echo "ok: \"issued but not served\" fires for web-1 while its agent is stopped"

# 4. JSON logs, line by line; no secrets.
python3 - "$T/hub.log" "$T/agent.log" "$ADMIN_TOKEN" "$agent_token" "$metrics_token" <<'PY'
import json, sys
hub_log, agent_log, *secrets = sys.argv[1:]
def lines(path, component):
    out = []
    for n, line in enumerate(open(path, encoding="utf-8"), 1):
        try:
            obj = json.loads(line)
        except ValueError as e:
            sys.exit(f"{path}:{n}: not one JSON object ({e}): {line[:200]!r}")
        for key in ("time", "level", "component", "message"):
            if not isinstance(obj.get(key), str):
                sys.exit(f"{path}:{n}: no string {key!r}: {line[:200]!r}")
        if obj["component"] != component:
            sys.exit(f"{path}:{n}: component {obj['component']!r}, expected {component!r}")
        for secret in secrets:
            if secret and secret in line:
                sys.exit(f"{path}:{n}: a token secret is in the log")
        if "PRIVATE KEY" in line:
            sys.exit(f"{path}:{n}: private key material in the log")
        out.append(obj)
    return out
hub, agent = lines(hub_log, "hub"), lines(agent_log, "agent")
if not any(o.get("domain") == "shop.example.com" and "order" in o for o in hub):
    sys.exit("no hub line carries domain and order keys")
if not any(o.get("domain") == "shop.example.com" and "deployed and served" in o["message"] for o in agent):
    sys.exit("no agent line says the domain was deployed, with its domain key")
print(f"ok: {len(hub)} hub and {len(agent)} agent log lines are JSON objects; no secrets")
PY
echo "observability test passed"
