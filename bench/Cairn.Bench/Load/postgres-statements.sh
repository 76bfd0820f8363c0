#!/usr/bin/env bash
# Statements a PutParameter and a GetParameter send to PostgreSQL (issue 15's write-path profile): a throwaway cluster with
# log_statement=all, one `cairn serve --database` (the Release build of this checkout, or CAIRN_DLL), then N overwrites
# and N reads of one String parameter through boto3 as root, each phase between marker queries; the server log's
# statements between the markers (the marker connection's own left out), per request, grouped by text.
#   bash bench/Cairn.Bench/Load/postgres-statements.sh [N=20]
set -euo pipefail
cd "$(dirname "$0")/../../.."
n=${1:-20}
bin=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)
dll=${CAIRN_DLL:-src/Cairn.Cli/bin/Release/net10.0/cairn.dll}
[ -f "$dll" ] || dotnet build src/Cairn.Cli -c Release -nologo -v quiet >&2

dir=$(mktemp -d /tmp/cairn-pgstmt-XXXXXX)
chown postgres "$dir" 2>/dev/null || true
as_pg() { if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }
password=$(head -c 16 /dev/urandom | od -An -tx1 | tr -d ' \n')
echo "$password" > "$dir/pw"; chown postgres "$dir/pw" 2>/dev/null || true
as_pg "$bin/initdb" -D "$dir/data" -U cairn --pwfile "$dir/pw" --auth-host=scram-sha-256 --auth-local=scram-sha-256 -E UTF8 --locale=C.UTF-8 >/dev/null
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
as_pg "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w \
  -o "-c listen_addresses=127.0.0.1 -p $port -k $dir -c log_statement=all -c log_line_prefix='[%p] '" start >/dev/null
server=
cleanup() {
  [ -n "$server" ] && kill "$server" 2>/dev/null || true
  as_pg "$bin/pg_ctl" -D "$dir/data" -m immediate stop >/dev/null 2>&1 || true
  rm -rf "$dir"
}
trap cleanup EXIT
psql_() { PGPASSWORD=$password psql -h 127.0.0.1 -p "$port" -U cairn -d "$1" -qAtc "$2"; }
psql_ postgres "CREATE DATABASE cairn" >/dev/null
cport=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
key=AKIASTMT$(head -c 6 /dev/urandom | od -An -tx1 | tr -d ' \n' | tr a-f A-F)
secret=$(head -c 20 /dev/urandom | od -An -tx1 | tr -d ' \n')
CAIRN_ROOT_ACCESS_KEY_ID=$key CAIRN_ROOT_SECRET_ACCESS_KEY=$secret dotnet "$dll" serve --data "$dir/cairn" --port "$cport" \
  --database "Host=127.0.0.1;Port=$port;Database=cairn;Username=cairn;Password=$password" >"$dir/cairn.log" 2>&1 &
server=$!
for _ in $(seq 1 120); do curl -sf "http://127.0.0.1:$cport/_cairn/ping" >/dev/null && break; sleep 0.5; done

mark() { psql_ cairn "SELECT 'cairn-mark-$1'" >/dev/null; }
phase() { # $1 name, $2 python statement run N times
  mark "$1-start"
  KEY=$key SECRET=$secret PORT=$cport N=$n python3 -c "
import os, boto3
c = boto3.client('ssm', endpoint_url='http://127.0.0.1:' + os.environ['PORT'], region_name='us-east-1',
                 aws_access_key_id=os.environ['KEY'], aws_secret_access_key=os.environ['SECRET'])
c.put_parameter(Name='/stmt/warm', Value='w', Type='String', Overwrite=True); c.get_parameter(Name='/stmt/warm')
import sys; print('warm', file=sys.stderr)
" 2>/dev/null
  mark "$1-go"
  KEY=$key SECRET=$secret PORT=$cport N=$n python3 -c "
import os, boto3
c = boto3.client('ssm', endpoint_url='http://127.0.0.1:' + os.environ['PORT'], region_name='us-east-1',
                 aws_access_key_id=os.environ['KEY'], aws_secret_access_key=os.environ['SECRET'])
for i in range(int(os.environ['N'])):
    $2
"
  sleep 2 # the audit log's batch
  mark "$1-end"
}
phase put "c.put_parameter(Name='/stmt/p', Value='v%d' % i, Type='String', Overwrite=True)"
phase get "c.get_parameter(Name='/stmt/p')"

python3 - "$dir/server.log" "$n" <<'EOF'
import re, sys, collections
log, n = open(sys.argv[1], encoding='utf-8', errors='replace').read().splitlines(), int(sys.argv[2])
entries = []  # (pid, text) of each logged statement, continuation lines joined
for line in log:
    m = re.match(r'\[(\d+)\] LOG:  (?:statement|execute [^:]*): (.*)', line)
    if m:
        entries.append([m.group(1), m.group(2)])
    elif entries and not re.match(r'\[\d+\] ', line):
        entries[-1][1] += ' ' + line.strip()
for name in ('put', 'get'):
    start = next(i for i, e in enumerate(entries) if f"cairn-mark-{name}-go'" in e[1])
    end = next(i for i, e in enumerate(entries) if f"cairn-mark-{name}-end'" in e[1])
    marker_pid = entries[end][0]
    phase = [re.sub(r'\s+', ' ', e[1])[:110] for e in entries[start + 1:end] if e[0] != marker_pid]
    print(f"## {name}: {len(phase)} statements for {n} requests = {len(phase) / n:.1f} per request")
    for text, count in collections.Counter(phase).most_common():
        print(f"{count / n:5.2f}  {text}")
    print()
EOF
