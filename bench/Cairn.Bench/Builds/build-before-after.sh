#!/bin/sh
# `cairn build` of N trivial commands and of 1 command with two builds of cairn, in the same hyperfine run, so the
# ratio after/before is measured under the same load. Used to check a change to the build path is no slower.
#
#   bench/Cairn.Bench/Builds/build-before-after.sh path/to/baseline/cairn path/to/new/cairn [commands] [runs]
#
# Each cairn gets its own data directory. Needs hyperfine (apt-get install hyperfine).
set -eu
before=$1
after=$2
commands=${3:-200}
runs=${4:-20}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

mkdir -p "$work/many" "$work/one"
{
    printf 'version: 0.2\nphases:\n  build:\n    commands:\n'
    i=0
    while [ "$i" -lt "$commands" ]; do printf '      - echo step %d\n' "$i"; i=$((i + 1)); done
} > "$work/many/buildspec.yml"
printf 'version: 0.2\nphases:\n  build:\n    commands:\n      - echo step 0\n' > "$work/one/buildspec.yml"

hyperfine -N --warmup 3 --runs "$runs" --export-markdown "$work/result.md" \
    -n "before: cairn build ($commands commands)" "$before build --source $work/many --data $work/before" \
    -n "after: cairn build ($commands commands)" "$after build --source $work/many --data $work/after" \
    -n "before: cairn build (1 command)" "$before build --source $work/one --data $work/before" \
    -n "after: cairn build (1 command)" "$after build --source $work/one --data $work/after" >&2
cat "$work/result.md"
