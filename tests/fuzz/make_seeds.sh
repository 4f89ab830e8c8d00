#!/usr/bin/env bash
# Writes the hand-made seeds of tests/fuzz/corpus (issue 13): documents shaped like what the
# hub, the agent, the broker and the operators' files really hold (RFC examples, the configs
# scripts/lib/pipeline.sh writes, the hub's answers as its tests see them), and keys and CSRs
# made by openssl. The ACME seeds come from real Pebble traffic (capture/capture_pebble_corpus).
# Idempotent: rewrites the same files (keys and CSRs are new each run).
set -euo pipefail
cd "$(dirname "$0")/corpus"
seed() { mkdir -p "$1"; cat >"$1/$2"; }

# ARI renewalInfo (RFC 9773 §4.2 example, and a window that ends before it starts).
seed acme_ari_fuzz rfc9773 <<'X'
{"suggestedWindow":{"start":"2025-01-02T04:00:00Z","end":"2025-01-03T04:00:00Z"},"explanationURL":"https://acme.example.com/docs/ari"}
X
seed acme_ari_fuzz inverted <<'X'
{"suggestedWindow":{"start":"2025-01-03T04:00:00Z","end":"2025-01-02T04:00:00.123+02:00"}}
X
# Problems (RFC 8555 §6.7.1 compound example, rate limit, rejected identifier). First byte: status - 400.
printf '\000%s' '{"type":"urn:ietf:params:acme:error:malformed","detail":"Some of the identifiers requested were rejected","subproblems":[{"type":"urn:ietf:params:acme:error:malformed","detail":"Invalid underscore in DNS name \"_example.org\"","identifier":{"type":"dns","value":"_example.org"}},{"type":"urn:ietf:params:acme:error:rejectedIdentifier","detail":"This CA will not issue for \"example.net\"","identifier":{"type":"dns","value":"example.net"}}]}' | seed acme_problem_fuzz rfc8555-compound
printf '\035%s' '{"type":"urn:ietf:params:acme:error:rateLimited","detail":"too many certificates already issued for \"shop.example\"","status":429}' | seed acme_problem_fuzz rate-limited
printf '\000%s' '{"type":"urn:ietf:params:acme:error:rejectedIdentifier","detail":"Error creating new order :: Cannot issue for \"a.example\": forbidden by policy","status":400}' | seed acme_problem_fuzz rejected
# Domain names, as support staff type them.
for n in 'Tickets.Example.COM.' '*.shop.example' 'bücher.example' 'xn--bcher-kva.example' 'a..b' '-a.example' \
         'a_b.example' '../etc' '192.0.2.1' 'ex ample.com' "$(printf 'a%.0s' {1..63}).example" 'xn--zz.example'; do
  printf '%s' "$n" | seed domain_name_fuzz "$(printf '%s' "$n" | sha1sum | cut -c1-12)"
done
printf '%s' 'aGVsbG8_-w' | seed encoding_fuzz base64url
printf '%s' 'SGVsbG8gV29ybGQ=' | seed encoding_fuzz base64
printf '%s' '00ff10Ab' | seed encoding_fuzz hex
# The agent's manifest (agent::ManifestText).
seed agent_manifest_fuzz installed <<'X'
{
  "current": {
    "certificate_id": 7,
    "sha256": "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08"
  },
  "domain": "shop.example.com",
  "previous": {
    "certificate_id": 6,
    "sha256": "60303ae22b998861bce3b28f33eec1be758a213c86c93c076dbe9f558c11c752"
  },
  "state": "installed"
}
X
seed agent_manifest_fuzz installing <<'X'
{"current":{"certificate_id":null,"sha256":"ab"},"domain":"a.example","previous":null,"state":"installing"}
X
# The hub's answers to the agent (GET /api/v1/agent/desired, /certificates/{id}, /events).
seed agent_hub_answers_fuzz desired <<'X'
{"machine_id":3,"machine":"web-1","revision":42,"certificates":[{"domain_id":1,"domain":"a.example.com","sans":["www.a.example.com"],"certificate_id":7,"sha256":"ab","not_after":"2027-01-01T00:00:00Z"},{"domain_id":2,"domain":"b.example.com","sans":[],"certificate_id":null,"sha256":"","not_after":null}]}
X
seed agent_hub_answers_fuzz bundle <<'X'
{"id":7,"domain":"a.example.com","sha256":"ab","chain_pem":"-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n","key_pem":"-----BEGIN PRIVATE KEY-----\nMIIB\n-----END PRIVATE KEY-----\n"}
X
seed agent_hub_answers_fuzz watch <<'X'
{"events":[{"revision":44,"id":1,"type":"machine.desired_changed","subject":"machine:web-1","payload":{},"created_at":"2026-01-01T00:00:00Z"}],"revision":45}
X
# AMQP event bodies (routing key line, then the body bus::BuildMessage writes).
seed bus_event_fuzz desired-changed <<'X'
certfleet.machine.desired_changed.web-1
{"version":1,"id":17,"revision":42,"type":"machine.desired_changed","subject":"machine:web-1","time":"2026-12-06T10:00:00Z","data":{"machine":"web-1","revision":42}}
X
seed bus_event_fuzz issued <<'X'
certfleet.certificate.issued.a.example
{"version":1,"id":18,"revision":43,"type":"certificate.issued","subject":"domain:a.example","time":"2026-12-06T10:00:01Z","data":{"serial":"01","sha256":"ab"},"redacted":false}
X
# Config files, as scripts/lib/pipeline.sh and docs/config.md write them.
seed hub_config_fuzz pipeline <<'X'
data_dir = "/var/lib/certfleet"
listen = "127.0.0.1:8440"
log_level = "debug"

[issuance]
concurrency = 4
key_type = "ec-p256"

[[issuer]]
name = "letsencrypt"
directory = "https://acme-v02.api.letsencrypt.org/directory"
ca_file = "/etc/certfleet/ca.pem"
contact = "ops@example.com"

[notify]
expiry_days = [30, 14, 7, 1]

[[notify.channel]]
name = "ops-chat"
type = "rocketchat"
url = "https://chat.example.com/hooks/abc"
group_window_seconds = 0

[rabbitmq]
url = "amqps://certfleet:secret@mq.example.com:5671/certfleet"
X
seed agent_config_fuzz pipeline <<'X'
hub_url = "https://hub.example.com:8440"
token = "cfa_0123456789abcdef"
output_dir = "/etc/certfleet/live"
test_command = "nginx -t -q"
reload_signal_pid_file = "/run/nginx.pid"
verify_address = "127.0.0.1:443"
verify_timeout = "5s"
resync_interval = "10m"
log_level = "info"

[rabbitmq]
url = "amqps://agent-web-1:secret@mq.example.com:5671/certfleet"
X
# The hub's JSON request bodies (docs/api).
seed hub_json_body_fuzz create-domain <<'X'
{"name":"Shop.Example.COM","sans":["www.shop.example.com","*.shop.example.com"],"customer":"acme-gmbh","machines":["web-1"],"issuer":"letsencrypt","key_type":"ec-p384","profile":"shortlived"}
X
seed hub_json_body_fuzz update-domain <<'X'
{"sans":[],"customer":null,"version":3,"key_type":"rsa-2048"}
X
# Keys and a CSR made by openssl: every PEM label a key file or upload may carry.
openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 2>/dev/null | seed private_key_fuzz ec-p256-pkcs8
openssl ecparam -name secp384r1 -genkey -noout 2>/dev/null | seed private_key_fuzz ec-p384-sec1
openssl genrsa -traditional 2048 2>/dev/null | seed private_key_fuzz rsa-2048-pkcs1
openssl genpkey -algorithm ED25519 2>/dev/null | seed private_key_fuzz ed25519-unsupported
openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -aes-128-cbc -pass pass:x 2>/dev/null |
  seed private_key_fuzz ec-p256-encrypted
openssl req -new -key private_key_fuzz/ec-p256-pkcs8 -subj /CN=shop.example -addext \
  subjectAltName=DNS:shop.example,DNS:www.shop.example 2>/dev/null | seed pem_fuzz csr
{ echo "subject=CN = shop.example"; cat private_key_fuzz/ec-p256-pkcs8 x509_fuzz/pebble-* 2>/dev/null | head -60; } |
  seed pem_fuzz mixed-bundle
# The Pebble leaf as DER too (Certificate::FromDer).
for f in x509_fuzz/pebble-*; do openssl x509 -in "$f" -outform DER 2>/dev/null | seed x509_fuzz "der-${f##*/}"; done
