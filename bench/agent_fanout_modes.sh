#!/usr/bin/env bash
# The 200-agent fan-out with the built-in SIGHUP reload beside reload-free mode, in one run (issue 16):
# bench/agent_fanout.sh with RELOAD=signal, then RELOAD=free (each its own hub and agents), and a summary table.
# usage: bench/agent_fanout_modes.sh [N] [ROUNDS]   (defaults 200 and 5)
set -euo pipefail
cd "$(dirname "$0")/.."
n=${1:-200}; rounds=${2:-5}
# Both runs' folders are deleted at the end, not after each run: deleting 200 agents' trees frees thousands of
# inodes, and ext4 without a journal (this machine's root) scans past every inode freed in the last 60 s on each
# create, so the second run would pay for the first one's cleanup.
export BENCH_DEFER_CLEANUP; BENCH_DEFER_CLEANUP=$(mktemp)
trap 'xargs -r rm -rf <"$BENCH_DEFER_CLEANUP"; rm -f "$BENCH_DEFER_CLEANUP"' EXIT
summary=()
for mode in signal free; do
  out=$(RELOAD=$mode bench/agent_fanout.sh "$n" "$rounds" 2>&1) || { echo "$out" >&2; exit 1; }
  echo "$out"
  # Rounds 1..ROUNDS: "| r | n | first | all | sent |"
  all=$(awk -F'|' '$2 ~ /^ [0-9]+ $/ { gsub(/ /, "", $5); printf "%s%s", sep, $5; sep = ", " }' <<<"$out")
  cpu=$(grep '^CPU per agent pass' <<<"$out" | sed 's/^CPU per agent pass ([0-9]* passes): //')
  summary+=("| $mode | $all | $cpu |")
done
echo
echo "| reload | stored → all $n deployed, per round (ms) | CPU per agent pass |"
echo "|---|---|---|"
printf '%s\n' "${summary[@]}"
