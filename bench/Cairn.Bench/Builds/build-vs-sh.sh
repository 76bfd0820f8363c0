#!/bin/sh
# `cairn build` of N trivial commands against `sh` running the same commands as one script, in the same hyperfine run.
# Target (issue 4): cairn <= 1.25 x sh + a fixed start-up under 300 ms. The 1-command build measures that start-up.
# With --against, a second (baseline) cairn runs the same two builds in the same run, so the ratio new/baseline is
# measured under the same load: used to check a change to the build path is no slower.
#
#   bench/Cairn.Bench/Builds/build-vs-sh.sh [--against path/to/baseline/cairn] [path/to/cairn] [commands] [runs]
#
# Default cairn: src/Cairn.Cli/bin/Release/net10.0/cairn (dotnet build -c Release src/Cairn.Cli). Each cairn gets its
# own data directory. Needs hyperfine (apt-get install hyperfine).
set -eu
root=$(cd "$(dirname "$0")/../../.." && pwd)
baseline=
if [ "${1:-}" = "--against" ]; then
    baseline=$2
    shift 2
fi
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

if [ -z "$baseline" ]; then
    hyperfine -N --warmup 2 --runs "$runs" --export-markdown "$work/result.md" \
        -n "sh script ($commands commands)" "sh $work/many/script.sh" \
        -n "cairn build ($commands commands)" "$cairn build --source $work/many --data $work/data" \
        -n "cairn build (1 command)" "$cairn build --source $work/one --data $work/data" >&2
else
    hyperfine -N --warmup 3 --runs "$runs" --export-markdown "$work/result.md" \
        -n "sh script ($commands commands)" "sh $work/many/script.sh" \
        -n "baseline: cairn build ($commands commands)" "$baseline build --source $work/many --data $work/baseline" \
        -n "cairn build ($commands commands)" "$cairn build --source $work/many --data $work/data" \
        -n "baseline: cairn build (1 command)" "$baseline build --source $work/one --data $work/baseline" \
        -n "cairn build (1 command)" "$cairn build --source $work/one --data $work/data" >&2
fi
cat "$work/result.md"
