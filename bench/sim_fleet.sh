#!/bin/sh
# Issue 20: the deterministic fleet simulation over bigger fleets (tests/sim/fleet_sim_bench).
# Prints one table row per scenario and retry rule: certificates issued, failed jobs, CA probes,
# certificates that expired, the least life left on a certificate when it was replaced, CPU.
# Everything but the CPU column is the same on every machine (fixed seeds).
#
#   bench/sim_fleet.sh [DOMAINS]        (default 2000; BUILD=build/debug)
# On a shared machine: flock /work/heavy.lock bench/sim_fleet.sh
set -eu
cd "$(dirname "$0")/.."
BUILD=${BUILD:-build/debug}
cmake --build "$BUILD" --target fleet_sim_bench >/dev/null
echo "uptime: $(uptime)"
exec "$BUILD/tests/sim/fleet_sim_bench" "${1:-2000}"
