#!/usr/bin/env bash
# The systemd units in packaging/systemd must pass `systemd-analyze verify`. The binaries
# are not installed where the units expect them (/usr/local/bin), so the check runs on
# copies whose ExecStart points at /bin/true; everything else is verified as written.
# Usage: systemd_units_test.sh DIR
set -euo pipefail
dir=$1
work=$(mktemp -d /tmp/certfleet-docs-systemd.XXXXXX)
trap 'rm -rf "$work"' EXIT
units=("$dir"/*.service)
[[ -e ${units[0]} ]] || { echo "FAILED: no .service files in $dir" >&2; exit 1; }
for unit in "${units[@]}"; do
  sed -E 's#^ExecStart=/usr/local/bin/[^ ]+#ExecStart=/bin/true#' "$unit" >"$work/$(basename "$unit")"
done
if ! out=$(systemd-analyze verify "$work"/*.service 2>&1) || [[ -n $out ]]; then
  echo "FAILED: systemd-analyze verify reports problems in $dir:"
  echo "$out"
  exit 1
fi
echo "ok: ${#units[@]} unit(s) verified"
