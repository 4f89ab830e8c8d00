# The demo's pipeline timeline: when did each step happen, in epoch milliseconds, read from what the processes leave
# behind, each exact to the millisecond: the hub's log (spdlog), nginx's access log ($msec; the agent reaches the hub
# through nginx, see start_nginx), the agent's command wrappers (`date +%s%3N`) and file times.
# Needs $T and the layout of scripts/lib/pipeline.sh.

# hub_log_ms PATTERN: ms of the first line of the hub's log ($T/hub.log, spdlog "[YYYY-MM-DD HH:MM:SS.mmm]" in local
# time) that contains PATTERN (a fixed string), or "".
hub_log_ms() {
  local line stamp
  line=$(grep -F -m1 -- "$1" "$T/hub.log" 2>/dev/null) || return 0
  stamp=${line:1:23}
  date -d "$stamp" +%s%3N
}

# first_access PORT PATTERN [AFTER_MS]: ms of the first access-log line on PORT whose request matches PATTERN
# (an awk regex), logged after AFTER_MS, or "".
first_access() {
  awk -v port="$1" -v pattern="$2" -v after="${3:-0}" \
    '$2 == port && $0 ~ pattern { ms = $1 * 1000; if (ms >= after) { printf "%.0f\n", ms; exit } }' \
    "$T/nginx/logs/access.log" 2>/dev/null || true
}

# agent_step WORD: ms of the first "<ms> WORD" line the agent's command wrappers wrote, or "".
agent_step() {
  awk -v word="$1" '$2 == word { print $1; exit }' "$T/agent-steps" 2>/dev/null || true
}

# file_ms FILE: modification time in ms, or "".
file_ms() {
  local s
  s=$(stat -c %.3Y "$1" 2>/dev/null) || return 0
  echo "${s/./}"
}

# notify_ms TEXT: ms at which the chat stand-in of start_nginx ($T/nginx/logs/notify.log) first received a message
# containing TEXT (a fixed string; the bodies are JSON-escaped), or "".
notify_ms() {
  local line
  line=$(grep -F -m1 -- "$1" "$T/nginx/logs/notify.log" 2>/dev/null) || return 0
  awk '{ printf "%.0f\n", $1 * 1000 }' <<<"$line"
}
