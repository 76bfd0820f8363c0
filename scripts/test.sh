#!/usr/bin/env bash
# Sets up and runs every test: installs the real clients the compatibility tests drive, builds, runs all test
# projects, and prints one closing line "N passed, N failed".
set -uo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-test-deps.sh
results="$(pwd)/artifacts/test-results"
rm -rf "$results"; mkdir -p "$results"
# The pipeline end-to-end test's Python base image takes minutes to make the first time: make it while the build runs
# (the test waits for it through the script's lock).
bash scripts/python-image.sh >artifacts/python-image.log 2>&1 &
dotnet build Cairn.slnx -c Release -nologo -v quiet || { echo "0 passed, 1 failed"; exit 1; }
# The self-contained artifacts/cairn that the install tests run from an empty directory and put in an image
# (published again only when a source or build file is newer than it).
if [ ! -x artifacts/cairn ] || [ -n "$(find src Directory.Build.props Directory.Packages.props global.json -newer artifacts/cairn -type f \
     -not -path '*/bin/*' -not -path '*/obj/*' -print -quit)" ]; then
  bash scripts/publish.sh || { echo "0 passed, 1 failed"; exit 1; }
fi
status=0
run_tests() {
  local name; name=$(basename "$1" .csproj)
  dotnet test "$1" -c Release --no-build --nologo \
    --logger "trx;LogFileName=$name.trx" --results-directory "$results" -- RunConfiguration.TestSessionTimeout=1500000
}
# The end-to-end tests mostly wait for Docker (image builds, Swarm updates, health checks): they run beside the smaller
# projects, after the compatibility tests (the most CPU of all), and their output is printed when they end.
# Measured 2026-12-07 on 2 quiet cores: the projects after Compat took 6.1 minutes in a full run against 7.3 one after
# another (325 s against 470 s with the same binaries and nothing else running).
endtoend=tests/Cairn.EndToEnd.Tests/Cairn.EndToEnd.Tests.csproj
run_tests tests/Cairn.Compat.Tests/Cairn.Compat.Tests.csproj || status=1
run_tests "$endtoend" >artifacts/endtoend-tests.log 2>&1 &
endtoend_pid=$!
for project in tests/*/*.csproj; do
  case "$project" in tests/Cairn.Compat.Tests/*|"$endtoend") continue ;; esac
  run_tests "$project" || status=1
done
wait "$endtoend_pid" || status=1
cat artifacts/endtoend-tests.log
passed=0; failed=0
for trx in "$results"/*.trx; do
  [ -f "$trx" ] || continue
  counters=$(grep -o '<Counters [^>]*>' "$trx" | head -1)
  p=$(sed -n 's/.* passed="\([0-9]*\)".*/\1/p' <<<"$counters"); f=$(sed -n 's/.* failed="\([0-9]*\)".*/\1/p' <<<"$counters")
  passed=$((passed + ${p:-0})); failed=$((failed + ${f:-0}))
done
if [ "$status" != 0 ] && [ "$failed" = 0 ]; then failed=1; fi
# Each failure's name and message again, last: a log cut to its tail still says what failed and why.
if [ "$failed" != 0 ]; then python3 scripts/failed-tests.py "$results"/*.trx; fi
echo "$passed passed, $failed failed"
exit $status
