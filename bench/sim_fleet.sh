#!/bin/sh
# Issue 20: the deterministic fleet simulation over big fleets (tests/sim/fleet_sim_bench).
# Prints issue 20's table, one row per scenario (90/45/6-day certificates x 2 years through
# CA outages up to 7 days, a mass revocation with and without ARI polling, a 10x burst):
# certificates issued, expired, served expired/revoked, least life left at replacement,
# orders per certificate, peak CA requests per hour, peak orders per pacing window, warned in
# time, CPU. Everything but the CPU column is the same on every machine (fixed seeds).
#
#   bench/sim_fleet.sh [DOMAINS] [SCENARIO-SUBSTRING]     (default 10000 domains, every row)
#
# BUILD defaults to build/release (cmake --preset release): the ASan debug build is far
# slower (~50 µs of CPU per claim). On a shared machine: flock /work/heavy.lock bench/sim_fleet.sh
set -eu
cd "$(dirname "$0")/.."
BUILD=${BUILD:-build/release}
if [ ! -f "$BUILD/build.ninja" ]; then
  echo "sim_fleet.sh: no build in $BUILD (cmake --preset release, or BUILD=build/debug)" >&2
  exit 2
fi
cmake --build "$BUILD" --target fleet_sim_bench >/dev/null
echo "uptime: $(uptime)"
exec "$BUILD/tests/sim/fleet_sim_bench" "${1:-10000}" ${2:+"$2"}
