#!/usr/bin/env bash
# The Debian packages, installed and purged on this machine (issue 18):
#   1. dpkg -i certfleet-hub, certfleet-agent, certfleet; the user, directory modes, conffiles, units.
#   2. Without systemd: the installed units' ExecStart lines run as the units' user (the agent with
#      only CAP_KILL, as AmbientCapabilities= gives it), against Pebble and nginx: a domain goes from
#      `certfleet domain add` to served by nginx, deployed by the non-root agent.
#   3. dpkg --purge: nothing of certfleet is left but the certfleet system user (Debian policy keeps
#      system users; the test removes it afterwards when it created it).
# Usage: package_test.sh DIR_WITH_DEBS. Needs root and a machine without certfleet installed.
set -euo pipefail
debs=$(cd "$1" && pwd)
cd "$(dirname "$0")/../.."
fail() { echo "FAIL: $*" >&2; exit 1; }
[[ $(id -u) -eq 0 ]] || fail "run as root (dpkg -i)"
for p in certfleet-hub certfleet-agent certfleet; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q installed && fail "$p is already installed here"
done
[[ ! -e /etc/certfleet && ! -e /var/lib/certfleet ]] || fail "/etc/certfleet or /var/lib/certfleet exists already"
user_existed=0; getent passwd certfleet >/dev/null && user_existed=1

T=$(mktemp -d /tmp/certfleet-pkg.XXXXXX)
chmod 755 "$T"
source scripts/lib/servers.sh
source scripts/lib/pipeline.sh
cleanup() {
  local rc=$?
  stop_servers
  if ((rc != 0)); then
    for f in hub.log agent.log nginx/logs/error.log; do
      [[ -f "$T/$f" ]] && { echo "--- $f" >&2; tail -n 25 "$T/$f" >&2; }
    done
  fi
  rm -f /etc/certfleet/pebble-ca.pem   # the test's own file: purge keeps what dpkg did not install
  dpkg --purge certfleet-agent certfleet-hub certfleet >/dev/null 2>&1 || true
  ((user_existed)) || deluser --system certfleet >/dev/null 2>&1 || true
  rm -rf "$T"
  exit "$rc"
}
trap cleanup EXIT

# 1. Install.
dpkg -i "$debs"/certfleet-hub_*.deb "$debs"/certfleet-agent_*.deb "$debs"/certfleet_*.deb >"$T/dpkg.log" 2>&1 ||
  fail "dpkg -i: $(tail -n 5 "$T/dpkg.log")"
for b in certfleet-hub certfleet-agent certfleet; do
  "/usr/bin/$b" --version | grep -qx "$b [0-9.]*" || fail "/usr/bin/$b --version"
done
getent passwd certfleet >/dev/null || fail "no certfleet user"
mode() { stat -c '%a %U:%G' "$1"; }
[[ "$(mode /etc/certfleet)" == "750 root:certfleet" ]] || fail "/etc/certfleet is $(mode /etc/certfleet)"
[[ "$(mode /etc/certfleet/hub.toml)" == "640 root:certfleet" ]] || fail "hub.toml is $(mode /etc/certfleet/hub.toml)"
[[ "$(mode /var/lib/certfleet)" == "700 certfleet:certfleet" ]] || fail "/var/lib/certfleet is $(mode /var/lib/certfleet)"
[[ "$(mode /etc/certfleet/live)" == "700 certfleet:certfleet" ]] || fail "live/ is $(mode /etc/certfleet/live)"
dpkg-query -W -f='${Conffiles}' certfleet-hub | grep -q /etc/certfleet/hub.toml || fail "hub.toml is not a conffile"
dpkg-query -W -f='${Conffiles}' certfleet-agent | grep -q /etc/certfleet/agent.toml || fail "agent.toml is not a conffile"
exec_start() { sed -n 's/^ExecStart=//p' "/lib/systemd/system/$1.service"; }
grep -q '^User=certfleet' /lib/systemd/system/certfleet-agent.service || fail "the packaged agent runs as root"
grep -q '^AmbientCapabilities=CAP_KILL' /lib/systemd/system/certfleet-agent.service || fail "agent unit lacks CAP_KILL"
echo "ok: installed; user, modes, conffiles and units as documented"

# 2. Run the installed programs the way their units do, and the pipeline through them.
domain=shop.example.com
http_port=$(free_port) tls_port=$(free_port) front_port=$(free_port) hub_port=$(free_port)
start_pebble "$http_port"
start_nginx "$http_port" "$tls_port" "$front_port" "$hub_port"
chown -R certfleet:certfleet "$T/nginx"   # the agent (certfleet) runs `nginx -t` on this config
install -m 0644 "$PEBBLE_CA" /etc/certfleet/pebble-ca.pem
cat >>/etc/certfleet/hub.toml <<TOML

[[issuer]]
name = "pebble"
directory = "$PEBBLE_DIR_URL"
ca_file = "/etc/certfleet/pebble-ca.pem"
TOML
printf 'CERTFLEET_HUB_LISTEN=127.0.0.1:%s\n' "$hub_port" >/etc/certfleet/hub.env   # the unit's EnvironmentFile
chmod 0600 /etc/certfleet/hub.env
# systemd reads EnvironmentFile= as root, then starts ExecStart as User= with UMask=.
runuser -u certfleet -- env $(cat /etc/certfleet/hub.env) sh -c "umask 0077; exec $(exec_start certfleet-hub)" \
  >"$T/hub.log" 2>&1 &
remember_pid $!
HUB_URL=http://127.0.0.1:$hub_port
wait_http "$HUB_URL/healthz"
for ((i = 0; i < 200; i++)); do [[ -s /var/lib/certfleet/admin.token ]] && break; sleep 0.05; done
export CERTFLEET_HUB=$HUB_URL CERTFLEET_TOKEN=$(cat /var/lib/certfleet/admin.token)
certfleet customer add "Shop GmbH" >/dev/null
certfleet machine add web-1 --customer "Shop GmbH" >/dev/null
certfleet token create --role agent --machine web-1 >/etc/certfleet/agent.token
cat >/etc/certfleet/agent.toml <<TOML
hub_url = "$HUB_URL"
token_file = "/etc/certfleet/agent.token"
output_dir = "/etc/certfleet"
test_command = "nginx -p $T/nginx -c $T/nginx/nginx.conf -e $T/nginx/logs/error.log -t -q"
reload_signal_pid_file = "$T/nginx/nginx.pid"
verify_address = "127.0.0.1:$tls_port"
TOML
write_nginx_site "$domain" "$tls_port" /etc/certfleet/live/$domain
# AmbientCapabilities=CAP_KILL + User=certfleet, as systemd would start it.
setpriv --reuid=certfleet --regid=certfleet --init-groups --inh-caps=+kill --ambient-caps=+kill \
  sh -c "umask 0077; exec $(exec_start certfleet-agent)" >"$T/agent.log" 2>&1 &
AGENT_PID=$!
remember_pid $AGENT_PID
certfleet domain add "$domain" --customer "Shop GmbH" --machine web-1 --issuer pebble >/dev/null
# Served three times in a row, as the agent checks: right after a reload an old nginx worker
# may still take a connection and present the old configuration's certificate, and this
# agent (not root) cannot see other users' workers in /proc to wait for them (agent/old_workers.h).
want="" in_a_row=0
for ((i = 0; i < 300 && in_a_row < 3; i++)); do
  want=$(certfleet domain show "$domain" --json |
    python3 -c 'import json,sys; print((json.load(sys.stdin).get("current_certificate") or {}).get("sha256", ""))')
  if [[ -n "$want" && "$(served_sha256 "$tls_port" "$domain")" == "$want" ]]; then
    in_a_row=$((in_a_row + 1))
  else
    in_a_row=0
    sleep 0.1
  fi
done
((in_a_row == 3)) || fail "nginx does not serve $domain (three times in a row)"
[[ "$(stat -c %U /etc/certfleet/live/$domain/privkey.pem)" == certfleet ]] || fail "the key is not the agent user's"
ps -o user= -p "$AGENT_PID" | grep -qx certfleet || fail "the agent does not run as certfleet"
echo "ok: the installed hub and agent (as certfleet, CAP_KILL only) took $domain to served"

# 3. Purge: nothing is left but the system user.
rm -f "$NGINX_PREFIX/sites/$domain.conf" /etc/certfleet/pebble-ca.pem   # the operator's own files
stop_servers
dpkg --purge certfleet-agent certfleet-hub certfleet >"$T/purge.log" 2>&1 || fail "dpkg --purge: $(tail -n 5 "$T/purge.log")"
left=$(ls -d /etc/certfleet /var/lib/certfleet /var/log/certfleet /usr/bin/certfleet* \
  /lib/systemd/system/certfleet-* /usr/share/doc/certfleet* /usr/share/certfleet 2>/dev/null || true)
[[ -z "$left" ]] || fail "left after purge: $left"
getent passwd certfleet >/dev/null || fail "the purge removed the certfleet user (policy: keep it)"
echo "ok: purged; only the certfleet system user stays (Debian policy)"
echo "package test passed"
