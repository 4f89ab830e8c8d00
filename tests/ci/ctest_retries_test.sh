#!/usr/bin/env bash
# scripts/ctest-retries against a real ctest run: a scratch project with a test that fails its
# first try, one that always passes and one that always fails, run with the retry of the test
# preset (until-pass:2). Only the first may be listed, with its first try's status.
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
echo "ok"
