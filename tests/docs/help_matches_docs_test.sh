#!/usr/bin/env bash
# Issue 18: "--help that matches the docs". The programs' own --help is the reference; the docs
# must not show a command or flag the programs do not have, and the hub's and the agent's flags
# (few, each for operators) must all be documented.
#   1. every long flag in `certfleet-hub [migrate] --help` and `certfleet-agent [discover] --help` appears
#      in docs/ (README.md included);
#   2. every `certfleet-hub …--flag` and `certfleet-agent …--flag` the docs show is in that help;
#   3. every `certfleet COMMAND… --flag` the docs show (code blocks and `inline code`) names a
#      command the CLI has (its --help exits 0) and a flag that command's --help lists (or a
#      global flag).
# Usage: help_matches_docs_test.sh HUB_BINARY AGENT_BINARY CLI_BINARY DOCS_DIR README
set -euo pipefail
hub=$1 agent=$2 cli=$3 docs=$4 readme=$5
failures=0
fail() { echo "FAILED: $*" >&2; failures=$((failures + 1)); }

long_flags() { grep -oE '(^|[ ,])--[a-z0-9][a-z0-9-]*' | sed 's/^[ ,]*//' | sort -u; }
doc_files=("$docs"/*.md "$docs"/api/*.md "$readme")

# 1 and 2: the hub and the agent.
check_daemon() {  # NAME HELP_TEXT
  local name=$1 help=$2 flag
  for flag in $(long_flags <<<"$help"); do
    [[ $flag == --help || $flag == --version ]] && continue
    grep -qF -- "$flag" "${doc_files[@]}" || fail "$name $flag is in --help but in no file of docs/ or README.md"
  done
  # Lines of the docs that run the program; flags on them must exist.
  while IFS= read -r flag; do
    grep -qxF -- "$flag" <<<"$(long_flags <<<"$help")" ||
      fail "the docs show '$name $flag', but $name --help has no $flag"
  done < <(grep -ohE "(^|[\`\$ ])$name( [^\`#|]*)?" "${doc_files[@]}" | long_flags)
}
hub_help=$("$hub" --help; "$hub" migrate --help)
agent_help=$("$agent" --help; "$agent" discover --help)
[[ -n $hub_help && -n $agent_help ]] || fail "a program printed no --help"
check_daemon certfleet-hub "$hub_help"
check_daemon certfleet-agent "$agent_help"

# 3: the CLI. A documented invocation is `certfleet` followed by words; the command path is the
# leading words that are commands (lower-case words the CLI's --help accepts), then arguments.
global_flags=$("$cli" --help | long_flags)
declare -A help_of=()
help_for() {  # PATH... -> prints help, fails when the command does not exist
  local key="cmd:$*"
  if [[ -z ${help_of[$key]+set} ]]; then
    help_of[$key]=$("$cli" "$@" --help 2>/dev/null) || help_of[$key]="!missing"
  fi
  [[ ${help_of[$key]} != "!missing" ]] && printf '%s\n' "${help_of[$key]}"
}
subcommands_of() { help_for "$@" | awk '/^Subcommands:/ {s = 1; next} s && /^  [a-z]/ {print $1}'; }

# The code in markdown: fenced blocks whole, and `inline spans` of other lines (prose that starts
# with the word certfleet is not an invocation).
code_of() {
  awk '/^```/ {fenced = !fenced; next}
       fenced {print; next}
       {line = $0; while (match(line, /`[^`]+`/)) {print substr(line, RSTART + 1, RLENGTH - 2); line = substr(line, RSTART + RLENGTH)}}' "$@"
}

checked=0
while IFS= read -r line; do
  read -ra words <<<"${line#certfleet }"
  path=()
  for w in "${words[@]}"; do
    [[ $w =~ ^[a-z][a-z0-9-]*$ ]] || break
    grep -qxF -- "$w" <<<"$(subcommands_of "${path[@]}")" || break
    path+=("$w")
  done
  ((${#path[@]} > 0)) || { fail "docs show 'certfleet ${words[0]}', which is not a command of the CLI"; continue; }
  help=$(help_for "${path[@]}") || { fail "docs show 'certfleet ${path[*]}', which the CLI does not have"; continue; }
  checked=$((checked + 1))
  for flag in $(printf '%s\n' "${words[@]}" | grep -oE '^--[a-z0-9][a-z0-9-]*' | sort -u); do
    grep -qxF -- "$flag" <<<"$(long_flags <<<"$help")" && continue
    grep -qxF -- "$flag" <<<"$global_flags" && continue
    fail "docs show 'certfleet ${path[*]} … $flag', but 'certfleet ${path[*]} --help' has no $flag"
  done
done < <(code_of "${doc_files[@]}" | grep -oE '(^|[ $])certfleet [a-z][^#|]*' | sed -E 's/^[ $]*//; s/[ ]+$//' | sort -u)

((checked > 10)) || fail "only $checked documented CLI invocations found: the docs' format changed and this test no longer reads them"
((failures == 0)) || { echo "$failures mismatch(es) between the programs' --help and the docs" >&2; exit 1; }
echo "ok: hub and agent flags documented; $checked documented CLI invocations match the CLI's --help"
