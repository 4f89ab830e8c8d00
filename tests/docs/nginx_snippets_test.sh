#!/usr/bin/env bash
# Every ```nginx block in the given Markdown files must pass `nginx -t`, so the snippets
# operators copy from the docs are valid for the nginx Debian ships. Placeholders are
# substituted first: HUB → a loopback address, certificate paths → a throwaway
# self-signed pair. `nginx -t` parses and loads certificates but binds no port, so
# `listen 80` / `listen 443` are fine unprivileged.
# Usage: nginx_snippets_test.sh FILE.md...
set -euo pipefail

work=$(mktemp -d /tmp/certfleet-docs-nginx.XXXXXX)
trap 'rm -rf "$work"' EXIT
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 1 -subj "/CN=docs.test" \
  -keyout "$work/privkey.pem" -out "$work/fullchain.pem" 2>/dev/null
mkdir -p "$work/logs"
# The agent writes certfleet-map.conf (reload-free mode, nginx.md §4); a stand-in with the same variable.
printf 'map $ssl_server_name $certfleet_bundle {\n    default "%s/fullchain.pem";\n}\n' "$work" >"$work/certfleet-map.conf"

checked=0 failed=0
for doc in "$@"; do
  # Split the file's nginx blocks into $work/block.N (awk keeps the numbering per file).
  rm -f "$work"/block.*
  awk -v out="$work/block." '
    /^```nginx[[:space:]]*$/ { n++; inside = 1; next }
    /^```/ && inside        { inside = 0; next }
    inside                  { print > (out n) }
  ' "$doc"
  for block in "$work"/block.*; do
    [[ -e $block ]] || continue
    name="$(basename "$doc") nginx block ${block##*.}"
    body=$(sed -e "s#http://HUB#http://127.0.0.1:8440#g" \
               -e "s#include /etc/certfleet/nginx/certfleet-map.conf;#include $work/certfleet-map.conf;#" \
               -e "s#ssl_certificate_key .*;#ssl_certificate_key $work/privkey.pem;#" \
               -e "s#ssl_certificate .*;#ssl_certificate $work/fullchain.pem;#" "$block")
    # A bare location block belongs in a server; a server block in http.
    if ! grep -q '^[[:space:]]*server[[:space:]]*{' <<<"$body"; then
      body=$'server {\n listen 127.0.0.1:8080;\n'"$body"$'\n}'
    fi
    printf 'pid %s/nginx.pid;\nerror_log %s/logs/error.log;\nevents {}\nhttp {\n%s\n}\n' \
      "$work" "$work" "$body" >"$work/nginx.conf"
    checked=$((checked + 1))
    if out=$(nginx -t -q -p "$work" -c "$work/nginx.conf" -e "$work/logs/error.log" 2>&1); then
      echo "ok: $name"
    else
      failed=$((failed + 1))
      echo "FAILED: $name does not pass nginx -t:"
      echo "$out" | sed 's/^/    /'
      echo "  the block as tested:"
      sed 's/^/    /' "$work/nginx.conf"
    fi
  done
done

if ((checked == 0)); then
  echo "FAILED: no \`\`\`nginx blocks found in: $*" >&2
  exit 1
fi
echo "$checked nginx block(s) checked, $failed failed"
((failed == 0))
