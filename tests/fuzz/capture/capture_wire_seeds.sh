#!/usr/bin/env bash
# Seeds from real clients for the hub's wire parsers (issue 13): what `certfleet` (the admin
# CLI, libcurl), curl, Chromium and dig really send, recorded by wire_recorder.py on free
# loopback ports and written as cap-* seeds:
#   corpus/http_request_fuzz/cap-*   HTTP/1.1 requests (heads and bodies) as the hub reads them
#   corpus/hub_json_body_fuzz/cap-*  the JSON bodies of those requests
#   corpus/dns_answer_fuzz/cap-*     DNS queries (dig over UDP and TCP, EDNS, cookies, DO, AXFR)
#
#   tests/fuzz/capture/capture_wire_seeds.sh [CLI]     (CLI: build/debug/src/cli/certfleet)
#
# Needs python3, dig (bind9-dnsutils), curl; Chromium if installed. Rewrites the cap-* seeds.
set -euo pipefail
cd "$(dirname "$0")/../../.."
cli=${1:-build/debug/src/cli/certfleet}
corpus=tests/fuzz/corpus
work=$(mktemp -d)
python3 tests/fuzz/capture/wire_recorder.py "$work" "$work/ports" &
recorder=$!
trap 'kill $recorder 2>/dev/null || true; rm -rf "$work"' EXIT
for _ in $(seq 50); do [[ -f $work/ports ]] && break; sleep 0.1; done
read -r http dns < <(sed 's/http=\([0-9]*\) dns=\([0-9]*\)/\1 \2/' "$work/ports")
hub=http://127.0.0.1:$http
label() { echo "$1" >"$work/.label"; }
quiet() { "$@" >/dev/null 2>&1 || true; }

# The admin CLI (libcurl), as support staff use it.
if [[ -x $cli ]]; then
  export CERTFLEET_HUB=$hub CERTFLEET_TOKEN=cf_admin_0123456789abcdef
  label cli-domain-add
  quiet "$cli" domain add Shop.Example.COM --customer acme-gmbh --machine web-1 --machine web-2 \
    --san www.shop.example.com --san '*.shop.example.com' --issuer letsencrypt --key-type ec-p384
  label cli-domain-list
  quiet "$cli" domain list --status failed,renewing --sort expires --desc --limit 50 --search shop
  label cli-domain-set
  quiet "$cli" domain set shop.example.com --add-machine web-3 --remove-san www.shop.example.com \
    --profile shortlived
  label cli-domain-show
  quiet "$cli" domain show bücher.example
  label cli-customer-add
  quiet "$cli" customer add 'ACME GmbH'
  label cli-machine-add
  quiet "$cli" machine add web-1
  label cli-token-create
  quiet "$cli" token create --role agent --machine web-1
  label cli-events
  quiet "$cli" events --since 42
  label cli-audit
  quiet "$cli" audit --since 24h --customer acme-gmbh --actor alice --limit 20
fi
# curl: an agent-like long-poll, a chunked upload, a HEAD, HTTP/1.0.
label curl-long-poll
quiet curl -s -H 'Authorization: Bearer cf_agent_x' "$hub/api/v1/events?since=17&wait=30&types=certificate.issued,machine.desired_changed"
label curl-chunked
quiet curl -s -H 'Transfer-Encoding: chunked' -H 'Content-Type: application/json' \
  --data-binary '{"name":"a.example","machines":["web-1"]}' "$hub/api/v1/domains"
label curl-head
quiet curl -s -I "$hub/.well-known/acme-challenge/LoqXcYV8q5ONbJQxbmR7SCTNo3tiAXDfowyjxAjEuX0"
label curl-http10
quiet curl -s -0 "$hub/healthz"
# A browser opening the web UI.
browser=$(command -v chromium || command -v chromium-browser || true)
if [[ -n $browser ]]; then
  label chromium-ui
  quiet timeout 30 "$browser" --headless --no-sandbox --disable-gpu --user-data-dir="$work/chrome" \
    --dump-dom "$hub/ui/domains?status=failed&q=shop"
fi
# dig: what resolvers and people send to the hub's DNS responder.
zone=acme.provider.net
d() { quiet dig @127.0.0.1 -p "$dns" +tries=1 +time=2 "$@"; }
label dig-txt;        d "_acme-challenge.shop.$zone" TXT
label dig-txt-do;     d +dnssec "shop.$zone" TXT
label dig-txt-nocookie; d +nocookie +noedns "ShOp.$zone" TXT
label dig-soa-tcp;    d +tcp "$zone" SOA
label dig-ns;         d +norecurse "$zone" NS
label dig-any;        d "$zone" ANY
label dig-axfr;       d "$zone" AXFR
label dig-edns1;      d +edns=1 +bufsize=4096 "$zone" SOA
label dig-chaos;      d -c CH version.bind TXT
label dig-nsid;       d +nsid +subnet=192.0.2.0/24 "nxdomain.$zone" A
sleep 0.5

# Keep only the recorded files; HTTP bodies also seed the JSON-body target.
rm -f "$corpus"/http_request_fuzz/cap-* "$corpus"/hub_json_body_fuzz/cap-* "$corpus"/dns_answer_fuzz/cap-*
for f in "$work"/*-[0-9]*; do
  name=$(basename "$f")
  case $name in
    dig-*) cp "$f" "$corpus/dns_answer_fuzz/cap-$name" ;;
    *)
      cp "$f" "$corpus/http_request_fuzz/cap-$name"
      body=$(python3 -c 'import sys; print(open(sys.argv[1],"rb").read().partition(b"\r\n\r\n")[2].decode("latin-1"), end="")' "$f")
      if [[ $body == "{"* ]]; then printf '%s' "$body" >"$corpus/hub_json_body_fuzz/cap-$name"; fi
      ;;
  esac
done
ls "$corpus"/http_request_fuzz/cap-* "$corpus"/hub_json_body_fuzz/cap-* "$corpus"/dns_answer_fuzz/cap-* | wc -l
