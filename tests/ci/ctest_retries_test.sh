#!/usr/bin/env bash
# scripts/ctest-retries against a real ctest run: a scratch project with a test that fails its
# first try, one that always passes and one that always fails, run with the retry of the test
# preset (until-pass:2). Only the first may be listed, with its first try's status. Then the
# project's own test presets: 'debug' retries a failed test once, 'debug-no-retry'
# (CERTFLEET_NO_RETRY=1 scripts/test) runs each test once.
# Usage: ctest_retries_test.sh SCRIPTS_DIR
set -euo pipefail
scripts=$1
T=$(mktemp -d /tmp/certfleet-retries.XXXXXX)
trap 'rm -rf "$T"' EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }
cat >"$T/CMakeLists.txt" <<CMAKE
cmake_minimum_required(VERSION 3.20)
project(retries NONE)
enable_testing()
add_test(NAME Suite.FlakyOnce COMMAND sh -c "[ -e $T/tried ] || { touch $T/tried; exit 1; }")
add_test(NAME Suite.Steady COMMAND true)
add_test(NAME Suite.Broken COMMAND false)
CMAKE
cmake -S "$T" -B "$T/b" >/dev/null
(cd "$T/b" && ctest --repeat until-pass:2 -j2 --output-on-failure >"$T/out.log" 2>&1) && fail "ctest passed with a broken test"
report=$("$scripts/ctest-retries" "$T/out.log" "$T/list")
echo "$report"
grep -q "RETRIED Suite.FlakyOnce (first try: Failed)" <<<"$report" || fail "the flaky test is not listed"
[[ "$(cat "$T/list")" == "Suite.FlakyOnce" ]] || fail "the list file holds: $(cat "$T/list")"
(cd "$T/b" && ctest -R Steady >"$T/steady.log" 2>&1) || fail "ctest -R Steady failed"
"$scripts/ctest-retries" "$T/steady.log" | grep -q "ctest retries: none" || fail "a clean run reported retries"

# The project's test presets on the scratch project (its CMakeLists ignores their cache variables).
cp "$scripts/../CMakePresets.json" "$T/"
rm -f "$T/tried"
(cd "$T" && cmake --preset debug >/dev/null 2>&1) || fail "cmake --preset debug failed in the scratch project"
(cd "$T" && ctest --preset debug >"$T/preset.log" 2>&1) && fail "ctest --preset debug passed with a broken test"
"$scripts/ctest-retries" "$T/preset.log" | grep -q "RETRIED Suite.FlakyOnce" ||
  fail "the debug preset did not retry the flaky test"
rm -f "$T/tried"
(cd "$T" && ctest --preset debug-no-retry >"$T/no-retry.log" 2>&1) &&
  fail "ctest --preset debug-no-retry passed with a broken test"
grep -q "Suite.FlakyOnce .*Failed" "$T/no-retry.log" ||
  fail "the debug-no-retry preset retried the flaky test (or did not run it): $(cat "$T/no-retry.log")"
"$scripts/ctest-retries" "$T/no-retry.log" | grep -q "ctest retries: none" ||
  fail "the debug-no-retry preset retried a test"
echo "ok"
