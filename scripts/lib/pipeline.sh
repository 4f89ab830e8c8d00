# Shell helpers that start certfleet's own processes (hub, agent) and a private nginx in front of them,
# for scripts/demo and bench/. Source scripts/lib/servers.sh first: these use $T, free_port, remember_pid, wait_http.
# Every PID is recorded in $T/pids and stopped by stop_servers.

now_ms() { date +%s%3N; }

# start_nginx HTTP_PORT TLS_PORT FRONT_PORT HUB_PORT: a private nginx (prefix $T/nginx) with
#   - HTTP_PORT: proxies /.well-known/acme-challenge/ to the hub (the snippet of docs/api/README.md), 404 otherwise;
#   - TLS_PORT: a default server with a placeholder self-signed certificate, plus $T/nginx/sites/*.conf, where
#     write_nginx_site puts the customer's server blocks (loaded at the agent's next reload);
#   - FRONT_PORT: a reverse proxy in front of the hub's API, which the agent uses, so that the access log
#     (logs/access.log, first field = epoch seconds with milliseconds) timestamps each agent call.
#   - NOTIFY_PORT (optional 5th argument): a stand-in chat server for the hub's notifications: POST /hooks/... answers
#     200 {"success":true} like a Rocket.Chat incoming webhook, and logs "<epoch s.ms> <body, JSON-escaped>" per
#     request to logs/notify.log.
#   - RELOAD_FREE_PORT + RELOAD_FREE_OUT (optional environment): a second TLS port whose default server reads every
#     certificate at handshake time through certfleet's reload-free lines (docs/nginx.md §4) from the output folder of
#     an agent with reload_free = true; its map file must exist before (the agent rewrites it at start).
# Sets NGINX_PID, NGINX_PREFIX and NGINX_CMD (the command line to add -t or -s reload to).
start_nginx() {
  local http_port=$1 tls_port=$2 front_port=$3 hub_port=$4 notify_port=${5:-}
  NGINX_PREFIX=$T/nginx
  mkdir -p "$NGINX_PREFIX/logs" "$NGINX_PREFIX/sites" "$NGINX_PREFIX/tmp" "$NGINX_PREFIX/placeholder"
  openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 2 -subj "/CN=placeholder.invalid" \
    -keyout "$NGINX_PREFIX/placeholder/privkey.pem" -out "$NGINX_PREFIX/placeholder/fullchain.pem" 2>/dev/null
  local p=$NGINX_PREFIX notify_server="" reload_free_server=""
  [[ -n "${RELOAD_FREE_PORT:-}" ]] && reload_free_server="
  include $RELOAD_FREE_OUT/nginx/certfleet-map.conf;
  server {
    listen 127.0.0.1:$RELOAD_FREE_PORT ssl default_server;
    ssl_certificate \$certfleet_bundle;
    ssl_certificate_key \$certfleet_bundle;
    location / { return 200 \"ok \$ssl_server_name\\n\"; }
  }"
  # The body is read (and loggable) only when nginx proxies the request: /hooks/X proxies to /okX on itself.
  [[ -n "$notify_port" ]] && notify_server="
  log_format body escape=json '\$msec \$request_body';
  server {
    listen 127.0.0.1:$notify_port;
    location /hooks/ {
      proxy_pass http://127.0.0.1:$notify_port/ok;
      access_log $p/logs/notify.log body;
    }
    location /ok { access_log off; default_type application/json; return 200 '{\"success\":true}'; }
  }"
  cat >"$p/nginx.conf" <<CONF
daemon off;
worker_processes 1;
pid $p/nginx.pid;
error_log $p/logs/error.log;
events { worker_connections 256; }
http {
  log_format timed '\$msec \$server_port "\$request" \$status';
  access_log $p/logs/access.log timed;
  client_body_temp_path $p/tmp/body;
  proxy_temp_path $p/tmp/proxy;
  fastcgi_temp_path $p/tmp/fastcgi;
  uwsgi_temp_path $p/tmp/uwsgi;
  scgi_temp_path $p/tmp/scgi;
  server {
    listen 127.0.0.1:$http_port;
    location /.well-known/acme-challenge/ {
      proxy_pass ${HUB_SCHEME:-http}://127.0.0.1:$hub_port;
      proxy_set_header Host \$host;
    }
    location / { return 404; }
  }
  server {
    listen 127.0.0.1:$front_port;
    location / {
      proxy_pass ${HUB_SCHEME:-http}://127.0.0.1:$hub_port;
      proxy_read_timeout 70s;
      proxy_buffering off;
    }
  }
  server {
    listen 127.0.0.1:$tls_port ssl default_server;
    ssl_certificate $p/placeholder/fullchain.pem;
    ssl_certificate_key $p/placeholder/privkey.pem;
    location / { return 404; }
  }$notify_server$reload_free_server
  include $p/sites/*.conf;
}
CONF
  NGINX_CMD="nginx -p $p -c $p/nginx.conf -e $p/logs/error.log"
  $NGINX_CMD -t -q
  nginx -p "$p" -c "$p/nginx.conf" -e "$p/logs/error.log" &
  NGINX_PID=$!
  remember_pid "$NGINX_PID"
  wait_http "http://127.0.0.1:$http_port/"
}

# write_nginx_site DOMAIN TLS_PORT LIVE_DIR: the customer's TLS server block, reading the agent's live/ files.
# nginx reads it at the next reload, which the agent does after writing the files.
write_nginx_site() {
  local domain=$1 tls_port=$2 live=$3
  cat >"$NGINX_PREFIX/sites/$domain.conf" <<CONF
server {
  listen 127.0.0.1:$tls_port ssl;
  server_name $domain;
  ssl_certificate $live/fullchain.pem;
  ssl_certificate_key $live/privkey.pem;
  location / { return 200 "ok $domain\n"; }
}
CONF
}

# start_hub BIN HUB_PORT ISSUER_NAME DIRECTORY_URL CA_FILE [NOTIFY_URL]: certfleet-hub on SQLite in $T/hub with one
# ACME issuer and, with NOTIFY_URL, one Rocket.Chat notification channel "ops-chat" that sends at once (no grouping).
# Sets HUB_PID, HUB_URL and ADMIN_TOKEN (read from <data-dir>/admin.token; never printed here).
# HUB_EXTRA_TOML adds top-level keys to hub.toml, HUB_EXTRA_TABLES tables at its end; HUB_SCHEME=https
# when those keys make the hub listen with TLS. AGENT_EXTRA_TOML adds keys to agent.toml (start_agent).
start_hub() {
  local bin=$1 port=$2 issuer=$3 directory=$4 ca_file=$5 notify_url=${6:-}
  mkdir -p "$T/hub"
  cat >"$T/hub.toml" <<TOML
data_dir = "$T/hub"
listen = "127.0.0.1:$port"
log_level = "debug"   # the demo reads the issuance steps from the log
${HUB_EXTRA_TOML:-}

[[issuer]]
name = "$issuer"
directory = "$directory"
ca_file = "$ca_file"
contact = "demo@certfleet.test"
TOML
  [[ -z "$notify_url" ]] || cat >>"$T/hub.toml" <<TOML

[[notify.channel]]
name = "ops-chat"
type = "rocketchat"
url = "$notify_url"
group_window_seconds = 0
TOML
  # With RABBITMQ_URL (start_rabbitmq), events also go to the broker (docs/events.md).
  [[ -z "${RABBITMQ_URL:-}" ]] || printf '\n[rabbitmq]\nurl = "%s"\n' "$RABBITMQ_URL" >>"$T/hub.toml"
  [[ -z "${HUB_EXTRA_TABLES:-}" ]] || printf '\n%s\n' "$HUB_EXTRA_TABLES" >>"$T/hub.toml"
  "$bin" --config "$T/hub.toml" >"$T/hub.log" 2>&1 &
  HUB_PID=$!
  remember_pid "$HUB_PID"
  HUB_URL="${HUB_SCHEME:-http}://127.0.0.1:$port"
  wait_http "$HUB_URL/healthz"
  for ((i = 0; i < 200; i++)); do [[ -s "$T/hub/admin.token" ]] && break; sleep 0.02; done
  ADMIN_TOKEN=$(tr -d '\n' <"$T/hub/admin.token")
}

# start_agent BIN HUB_URL TOKEN OUT_DIR TLS_PORT: certfleet-agent reloading the private nginx of start_nginx
# (over RabbitMQ when RABBITMQ_URL is set).
# By default (the demo) the test and reload commands are wrapped in a shell that appends "<epoch ms> tested|reloaded"
# to $T/agent-steps for the timeline. AGENT_PLAIN=1 (the benchmarks) configures the agent as on a production host
# instead: `nginx -t` spawned without a shell and the reload as SIGHUP to the master named by nginx.pid.
start_agent() {
  local bin=$1 hub_url=$2 token=$3 out=$4 tls_port=$5
  mkdir -p "$out"
  printf '%s\n' "$token" >"$T/agent.token"
  chmod 600 "$T/agent.token"
  local commands
  if [[ -n "${AGENT_PLAIN:-}" ]]; then
    commands="test_command = \"$NGINX_CMD -t -q\"
reload_signal_pid_file = \"$NGINX_PREFIX/nginx.pid\""
  else
    commands="test_command = \"$NGINX_CMD -t -q && echo \$(date +%s%3N) tested >> $T/agent-steps\"
reload_command = \"$NGINX_CMD -s reload && echo \$(date +%s%3N) reloaded >> $T/agent-steps\""
  fi
  cat >"$T/agent.toml" <<TOML
hub_url = "$hub_url"
token_file = "$T/agent.token"
output_dir = "$out"
$commands
verify_address = "127.0.0.1:$tls_port"
verify_timeout = "5s"
log_level = "${AGENT_LOG_LEVEL:-info}"
${AGENT_EXTRA_TOML:-}
TOML
  # With RABBITMQ_URL the agent consumes its durable queue instead of the watch stream.
  [[ -z "${RABBITMQ_URL:-}" ]] || printf '\n[rabbitmq]\nurl = "%s"\n' "$RABBITMQ_URL" >>"$T/agent.toml"
  "$bin" -c "$T/agent.toml" >"$T/agent.log" 2>&1 &
  AGENT_PID=$!
  remember_pid "$AGENT_PID"
}

# served_sha256 TLS_PORT DOMAIN: lower-case hex SHA-256 of the leaf nginx presents for DOMAIN (SNI), or "".
served_sha256() {
  local port=$1 domain=$2
  openssl s_client -connect "127.0.0.1:$port" -servername "$domain" </dev/null 2>/dev/null |
    openssl x509 -noout -fingerprint -sha256 2>/dev/null | sed 's/.*=//; s/://g' | tr 'A-F' 'a-f'
}
