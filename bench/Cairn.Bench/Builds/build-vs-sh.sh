#!/bin/sh
# `cairn build` of N trivial commands against `sh` running the same commands as one script, in the same hyperfine run.
# Target (issue 4): cairn <= 1.25 x sh + a fixed start-up under 300 ms. The 1-command build measures that start-up.
#
#   bench/Cairn.Bench/Builds/build-vs-sh.sh [path/to/cairn] [commands] [runs]
#
# Default cairn: src/Cairn.Cli/bin/Release/net10.0/cairn (dotnet build -c Release src/Cairn.Cli). Needs hyperfine.
set -eu
root=$(cd "$(dirname "$0")/../../.." && pwd)
cairn=${1:-$root/src/Cairn.Cli/bin/Release/net10.0/cairn}
commands=${2:-200}
runs=${3:-10}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

mkdir -p "$work/many" "$work/one"
{
    printf 'version: 0.2\nphases:\n  build:\n    commands:\n'
    i=0
    while [ "$i" -lt "$commands" ]; do printf '      - echo step %d\n' "$i"; i=$((i + 1)); done
} > "$work/many/buildspec.yml"
i=0
while [ "$i" -lt "$commands" ]; do printf 'echo step %d\n' "$i"; i=$((i + 1)); done > "$work/many/script.sh"
printf 'version: 0.2\nphases:\n  build:\n    commands:\n      - echo step 0\n' > "$work/one/buildspec.yml"

hyperfine -N --warmup 2 --runs "$runs" --export-markdown "$work/result.md" \
    -n "sh script ($commands commands)" "sh $work/many/script.sh" \
    -n "cairn build ($commands commands)" "$cairn build --source $work/many --data $work/data" \
    -n "cairn build (1 command)" "$cairn build --source $work/one --data $work/data" >&2
cat "$work/result.md"
