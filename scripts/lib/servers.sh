# Shell helpers to run private servers on free loopback ports (sourced by scripts/demo and bench/*.sh).
# The C++ tests use tests/harness instead; both follow ../shared/TESTBED.md.
# Every started PID is recorded in $T/pids and stopped by stop_servers.

free_port() {
  python3 - <<'PY'
import socket
s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()
PY
}

remember_pid() { echo "$1" >>"$T/pids"; }

stop_servers() {
  if [[ -f "$T/stop-rabbitmq" ]]; then bash "$T/stop-rabbitmq" || true; rm -f "$T/stop-rabbitmq"; fi
  [[ -f "$T/pids" ]] || return 0
  local pid
  while read -r pid; do kill "$pid" 2>/dev/null || true; done <"$T/pids"
  # Up to 5 s for a clean exit (sanitizer builds are slow to stop), then SIGKILL what is left.
  local left tries
  for ((tries = 0; tries < 100; tries++)); do
    left=0
    while read -r pid; do kill -0 "$pid" 2>/dev/null && left=1; done <"$T/pids"
    ((left)) || break
    sleep 0.05
  done
  while read -r pid; do kill -9 "$pid" 2>/dev/null || true; done <"$T/pids"
  rm -f "$T/pids"
}

wait_http() {  # wait_http URL [tries]; succeeds once URL answers (any HTTP status)
  local url=$1 tries=${2:-200}
  for ((i = 0; i < tries; i++)); do
    curl -sk -o /dev/null "$url" && return 0
    sleep 0.05
  done
  echo "server at $url did not come up" >&2
  return 1
}

# start_pebble HTTP01_PORT: starts pebble-challtestsrv (mock DNS → 127.0.0.1) and pebble.
# Sets PEBBLE_DIR_URL, PEBBLE_CA (trust file for pebble's HTTPS), PEBBLE_MGMT.
# Environment such as PEBBLE_WFE_NONCEREJECT passes through.
start_pebble() {
  local http_port=$1
  local dns_port mgmt_port acme_port challmgmt_port
  dns_port=$(free_port); acme_port=$(free_port); mgmt_port=$(free_port); challmgmt_port=$(free_port)
  mkdir -p "$T/pebble"
  openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 30 -subj "/CN=pebble test CA" \
    -keyout "$T/pebble/ca.key" -out "$T/pebble/ca.pem" 2>/dev/null
  openssl req -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -subj "/CN=localhost" \
    -keyout "$T/pebble/key.pem" -out "$T/pebble/req.csr" 2>/dev/null
  openssl x509 -req -in "$T/pebble/req.csr" -CA "$T/pebble/ca.pem" -CAkey "$T/pebble/ca.key" -CAcreateserial \
    -days 30 -extfile <(printf 'subjectAltName=DNS:localhost,IP:127.0.0.1') -out "$T/pebble/cert.pem" 2>/dev/null
  cat >"$T/pebble/pebble.json" <<JSON
{"pebble":{"listenAddress":"127.0.0.1:$acme_port","managementListenAddress":"127.0.0.1:$mgmt_port",
"certificate":"$T/pebble/cert.pem","privateKey":"$T/pebble/key.pem","httpPort":$http_port,"tlsPort":$(free_port),
"ocspResponderURL":"","externalAccountBindingRequired":false}}
JSON
  pebble-challtestsrv -defaultIPv4 127.0.0.1 -defaultIPv6 "" -dns01 "127.0.0.1:$dns_port" -http01 "" -https01 "" \
    -tlsalpn01 "" -management "127.0.0.1:$challmgmt_port" >"$T/pebble/challtestsrv.log" 2>&1 &
  remember_pid $!
  PEBBLE_VA_NOSLEEP=1 pebble -config "$T/pebble/pebble.json" -dnsserver "127.0.0.1:$dns_port" \
    >"$T/pebble/pebble.log" 2>&1 &
  PEBBLE_PID=$!
  remember_pid $PEBBLE_PID
  PEBBLE_DIR_URL="https://127.0.0.1:$acme_port/dir"
  PEBBLE_MGMT="https://127.0.0.1:$mgmt_port"
  PEBBLE_CA="$T/pebble/ca.pem"
  wait_http "$PEBBLE_DIR_URL"
}

# start_rabbitmq: a private RabbitMQ broker (own node name, ports and epmd; TESTBED.md "RabbitMQ 3.10").
# Sets RABBITMQ_URL (amqp://127.0.0.1:PORT/, user guest). stop_servers stops it via the recorded stop command.
# The node runs in the foreground under a PID of ours (not -detached), its output in $T/rabbitmq.log: a node that
# dies while booting is seen at once, with its reason. Free ports are only free when chosen: another server may bind
# one before the node does (issue 13: the node halted in prelaunch with {dist_port_already_used,P,not_erlang} before
# writing a log or its pid file, and `rabbitmqctl wait` waited 120 s for the pid file). A node that exits because a
# port was taken is started again on fresh ports (3 attempts).
start_rabbitmq() {
  command -v rabbitmq-server >/dev/null || { echo "rabbitmq-server is not installed (apt-get install rabbitmq-server)" >&2; return 1; }
  local attempt rc
  for attempt in 1 2 3; do
    rc=0
    start_rabbitmq_node || rc=$?
    ((rc == 2)) || return "$rc"
    echo "RabbitMQ: a port was taken before the node bound it (attempt $attempt); starting again on fresh ports" >&2
  done
  return 1
}

# One start of the node; returns 2 when it exited because a port was taken.
start_rabbitmq_node() {
  local port dist epmd rmq=$T/rmq node i
  port=$(free_port); dist=$(free_port); epmd=$(free_port)
  rm -rf "$rmq"
  mkdir -p "$rmq"
  printf 'listeners.tcp.default = 127.0.0.1:%s\nloopback_users = none\n' "$port" >"$rmq/rabbitmq.conf"
  echo '[].' >"$rmq/enabled_plugins"
  chmod 755 "$T"
  chown -R rabbitmq:rabbitmq "$rmq"
  RMQ_ENV=(RABBITMQ_NODENAME="rabbit-$port@localhost" RABBITMQ_NODE_IP_ADDRESS=127.0.0.1 RABBITMQ_NODE_PORT="$port"
    RABBITMQ_DIST_PORT="$dist" RABBITMQ_CONFIG_FILE="$rmq/rabbitmq.conf" RABBITMQ_ENABLED_PLUGINS_FILE="$rmq/enabled_plugins"
    RABBITMQ_MNESIA_BASE="$rmq/mnesia" RABBITMQ_LOG_BASE="$rmq/log" RABBITMQ_PID_FILE="$rmq/rabbit.pid"
    ERL_EPMD_ADDRESS=127.0.0.1 ERL_EPMD_PORT="$epmd")
  env "${RMQ_ENV[@]}" rabbitmq-server >"$T/rabbitmq.log" 2>&1 &
  node=$!
  remember_pid "$node"
  # stop_servers runs these first (rabbitmqctl stop, then our own epmd), so the broker never outlives us.
  printf 'env %q ' "${RMQ_ENV[@]}" >"$T/stop-rabbitmq"
  printf 'timeout 30 rabbitmqctl stop %q >/dev/null 2>&1; epmd -port %q -kill >/dev/null 2>&1\n' "$rmq/rabbit.pid" "$epmd" >>"$T/stop-rabbitmq"
  local what="node rabbit-$port@localhost, AMQP $port, dist $dist, epmd $epmd"
  # Until it accepts AMQP connections (at most 120 s), or exits.
  for ((i = 0; i < 1200; i++)); do
    kill -0 "$node" 2>/dev/null || break
    (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null && break
    sleep 0.1
  done
  if ! kill -0 "$node" 2>/dev/null; then
    epmd -port "$epmd" -kill >/dev/null 2>&1 || true  # the node's epmd, if it started one
    rm -f "$T/stop-rabbitmq"
    if grep -qE 'dist_port_already_used|could_not_start_listener|eaddrinuse|register/listen error' "$T/rabbitmq.log"; then
      grep -E 'ERROR|BOOT FAILED|Kernel pid terminated' "$T/rabbitmq.log" | head -n 3 | sed 's/^/    /' >&2
      return 2
    fi
    echo "RabbitMQ exited while starting ($what); its output:" >&2
    tail -n 40 "$T/rabbitmq.log" | sed 's/^/    /' >&2
    return 1
  fi
  if ! env "${RMQ_ENV[@]}" rabbitmqctl await_startup --timeout 60 >>"$T/rabbitmq.log" 2>&1; then
    # Say why here: the temporary directory with the logs is gone once the caller's trap ran.
    echo "RabbitMQ did not start within 120 s ($what); its logs:" >&2
    tail -n 40 "$T/rabbitmq.log" "$rmq"/log/*.log 2>/dev/null | sed 's/^/    /' >&2
    return 1
  fi
  RABBITMQ_URL="amqp://127.0.0.1:$port/"
}
