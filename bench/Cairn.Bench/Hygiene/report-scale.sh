#!/bin/bash
# `cairn secrets report` as the store grows (issue 16: 100,000 parameters and 1,000,000 audit entries in under 5 s).
# A server's database is filled directly (by SQL, through python3's sqlite3, after the server created its schema and
# was stopped): PARAMS String parameters in 100 folders, one in 50 named like a secret with a secret-looking value,
# one in 20 a duplicate value, and AUDIT allowed ssm:GetParameter entries over the last 90 days on random parameters
# (and the audit writer's last-use rows for them, as the server keeps them);
# plus 20 SecureStrings put through the API (so the report decrypts and compares them as it would). Then the server
# is started again and `cairn secrets report --format json` is timed ROUNDS times (wall time of the CLI, which waits
# for the whole report), with the findings counted by rule.
#
#   bench/Cairn.Bench/Hygiene/report-scale.sh [path/to/cairn] [PARAMS] [AUDIT] [ROUNDS]
#
# Default cairn: src/Cairn.Cli/bin/Release/net10.0/cairn (dotnet build -c Release src/Cairn.Cli). Needs the aws CLI.
set -eu
root=$(cd "$(dirname "$0")/../../.." && pwd)
cairn=${1:-$root/src/Cairn.Cli/bin/Release/net10.0/cairn}
params=${2:-100000}
audit=${3:-1000000}
rounds=${4:-3}
work=$(mktemp -d)
trap 'kill $(jobs -p) 2>/dev/null || true; rm -rf "$work"' EXIT
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
export CAIRN_ROOT_ACCESS_KEY_ID=AKIA$(head -c 8 /dev/urandom | od -An -tx1 | tr -d ' \n' | tr a-f A-F)
export CAIRN_ROOT_SECRET_ACCESS_KEY=$(head -c 24 /dev/urandom | base64)
export AWS_ACCESS_KEY_ID=$CAIRN_ROOT_ACCESS_KEY_ID AWS_SECRET_ACCESS_KEY=$CAIRN_ROOT_SECRET_ACCESS_KEY AWS_DEFAULT_REGION=us-east-1
endpoint=http://127.0.0.1:$port

start_server() {
    "$cairn" serve --data "$work/data" --port "$port" >> "$work/serve.log" 2>&1 &
    server=$!
    for _ in $(seq 1 150); do curl -sf "$endpoint/_cairn/ping" > /dev/null 2>&1 && return 0; sleep 0.2; done
    echo "server did not start:" >&2; cat "$work/serve.log" >&2; exit 1
}

start_server
for i in $(seq 1 20); do
    aws --endpoint-url "$endpoint" ssm put-parameter --name "/bench/secure/app_Docker_password_$i" --type SecureString \
        --value "S3cret-$((i % 10))-$(printf '%08d' $((i % 10)))" > /dev/null
done
kill "$server"; wait "$server" 2>/dev/null || true

python3 - "$work/data/cairn.db" "$params" "$audit" <<'PY'
import random, sqlite3, sys, time
path, params, audit = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
db = sqlite3.connect(path)
account, region, root = '000000000000', 'us-east-1', 'arn:aws:iam::000000000000:root'
now = int(time.time() * 1000)
random.seed(7)
keys = []
started = time.time()
with db:
    for i in range(params):
        if i % 50 == 0:
            key, value = f'bench/{i % 100:02d}/app_db_password_{i}', 'Zx9' + ''.join(random.choice('abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789') for _ in range(29))
        elif i % 20 == 0:
            key, value = f'bench/{i % 100:02d}/shared_value_{i}', 'the-same-value'
        else:
            key, value = f'bench/{i % 100:02d}/param_{i}', f'value-{i}'
        keys.append(key)
        db.execute("INSERT INTO ssm_parameters (account, region, key, name, version, tier) VALUES (?, ?, ?, ?, 1, 'Advanced')",
                   (account, region, key, '/' + key))
        db.execute("INSERT INTO ssm_parameter_versions (account, region, key, version, type, value, data_type, tier, modified_at, modified_by) "
                   "VALUES (?, ?, ?, 1, 'String', ?, 'text', 'Advanced', ?, ?)",
                   (account, region, key, value, now - 200 * 86400000, root))
    rows = ((now - random.randrange(90 * 86400000), f'bench-{n}', root, None, region, 'GetParameter', 'ssm:GetParameter',
             f'arn:aws:ssm:{region}:{account}:parameter/{random.choice(keys)}', 'Allow', None, '127.0.0.1') for n in range(audit))
    db.executemany("INSERT INTO audit_log (time, request_id, principal_arn, access_key_id, region, operation, action, resource, decision, error_code, source_ip) "
                   "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", rows)
    # What the server's audit writer keeps beside the entries (the last allowed use per account, action, resource),
    # when the table exists (older servers scanned the entries instead).
    if db.execute("SELECT 1 FROM sqlite_master WHERE name = 'audit_last_use'").fetchone():
        db.execute("DELETE FROM audit_last_use")
        db.execute("INSERT INTO audit_last_use (account, action, resource, last_time) "
                   "SELECT substr(principal_arn, 14, 12), action, resource, MAX(time) FROM audit_log "
                   "WHERE decision = 'Allow' AND resource IS NOT NULL GROUP BY 1, 2, 3")
print(f'filled {params} parameters and {audit} audit entries in {time.time() - started:.1f} s', file=sys.stderr)
PY

start_server
echo "| round | report wall time s | findings |"
echo "|---:|---:|---|"
for round in $(seq 1 "$rounds"); do
    began=$(date +%s.%N)
    "$cairn" secrets report --endpoint-url "$endpoint" --format json > "$work/report.json" || true
    ended=$(date +%s.%N)
    counts=$(python3 -c 'import json,sys,collections; r=json.load(open(sys.argv[1])); f=r.get("findings", r.get("Findings", [])); c=collections.Counter(x.get("RuleId") for x in f); print(", ".join(f"{k} {v}" for k,v in sorted(c.items())))' "$work/report.json")
    printf '| %s | %.2f | %s |\n' "$round" "$(echo "$ended - $began" | bc)" "$counts"
done
echo "server peak RSS: $(grep VmHWM /proc/$server/status | awk '{print $2/1024 " MB"}')"
