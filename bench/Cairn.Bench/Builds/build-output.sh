#!/bin/bash
# A build that prints a lot (issue 17, item 4): `cairn build` of one command printing MB megabytes of log lines, with 50
# SecureString parameters in its environment (so the masker looks for 50 secrets and their encodings), against `cat`
# of the same bytes and `sh` running the same command, all to /dev/null, in alternating rounds of the same run. The
# build also writes its log (and the log's index) into the data directory, as every build does.
# With --against, a second (baseline) cairn runs the same build in the same rounds, so new/baseline is measured under
# the same load.
#
#   bench/Cairn.Bench/Builds/build-output.sh [--against path/to/baseline/cairn] [path/to/cairn] [MB] [rounds]
#
# Default cairn: src/Cairn.Cli/bin/Release/net10.0/cairn (dotnet build -c Release src/Cairn.Cli). Needs the aws CLI
# (to put the parameters once) and GNU time is not needed: bash's own `time` is used.
set -eu
root=$(cd "$(dirname "$0")/../../.." && pwd)
baseline=
if [ "${1:-}" = "--against" ]; then
    baseline=$2
    shift 2
fi
cairn=${1:-$root/src/Cairn.Cli/bin/Release/net10.0/cairn}
megabytes=${2:-200}
rounds=${3:-3}
work=$(mktemp -d)
trap 'kill $(jobs -p) 2>/dev/null || true; rm -rf "$work"' EXIT
bytes=$((megabytes * 1000 * 1000))
line='build output line with some text 0123456789 abcdefghijklmnopqrstuvwxyz'
generate="yes '$line' | head -c $bytes"

# 50 SecureStrings, put once through a throwaway server over the data directory; every cairn gets a copy.
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
export CAIRN_ROOT_ACCESS_KEY_ID=AKIA$(head -c 8 /dev/urandom | od -An -tx1 | tr -d ' \n' | tr a-f A-F)
export CAIRN_ROOT_SECRET_ACCESS_KEY=$(head -c 24 /dev/urandom | base64)
"$cairn" serve --data "$work/seed" --port "$port" > "$work/serve.log" 2>&1 &
server=$!
for _ in $(seq 1 100); do curl -sf "http://127.0.0.1:$port/_cairn/ping" > /dev/null 2>&1 && break; sleep 0.2; done
mkdir -p "$work/src"
{
    printf 'version: 0.2\nenv:\n  parameter-store:\n'
    for i in $(seq 1 50); do
        AWS_ACCESS_KEY_ID=$CAIRN_ROOT_ACCESS_KEY_ID AWS_SECRET_ACCESS_KEY=$CAIRN_ROOT_SECRET_ACCESS_KEY AWS_DEFAULT_REGION=us-east-1 \
            aws --endpoint-url "http://127.0.0.1:$port" ssm put-parameter --name "/bench/secret$i" --type SecureString \
            --value "s3cr3t-value-$i-$(head -c 12 /dev/urandom | base64 | tr -d '/+=')" > /dev/null
        printf '    SECRET_%d: /bench/secret%d\n' "$i" "$i"
    done
    printf 'phases:\n  build:\n    commands:\n      - %s\n' "$generate"
} > "$work/src/buildspec.yml"
kill "$server"
wait "$server" 2>/dev/null || true
sh -c "$generate" > "$work/output.txt"

TIMEFORMAT='%R'
measure() { # name, command...: appends "name seconds" to the results
    local name=$1
    shift
    local seconds
    if ! seconds=$( { time "$@" > /dev/null 2> "$work/last.err"; } 2>&1 ); then
        echo "$name failed:" >&2
        cat "$work/last.err" >&2
        exit 1
    fi
    echo "$name $seconds" >> "$work/results"
}
for round in $(seq 1 "$rounds"); do
    measure cat cat "$work/output.txt"
    measure sh sh -c "$generate"
    rm -rf "$work/data" && cp -a "$work/seed" "$work/data"
    measure cairn "$cairn" build --source "$work/src" --data "$work/data"
    if [ -n "$baseline" ]; then
        rm -rf "$work/base" && cp -a "$work/seed" "$work/base"
        measure baseline "$baseline" build --source "$work/src" --data "$work/base"
    fi
done
echo "| run | median s | runs (s) |"
echo "|---|---:|---|"
for name in cat sh cairn baseline; do
    grep -q "^$name " "$work/results" || continue
    values=$(grep "^$name " "$work/results" | cut -d' ' -f2 | sort -n | tr '\n' ' ')
    median=$(echo "$values" | tr ' ' '\n' | grep . | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}')
    echo "| $name | $median | $values|"
done
