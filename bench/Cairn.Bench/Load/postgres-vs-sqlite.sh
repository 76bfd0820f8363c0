#!/usr/bin/env bash
# GetParameter and PutParameter on PostgreSQL against SQLite, in one run on one machine (issue 15's storage bench): a
# throwaway PostgreSQL cluster (Debian's initdb/pg_ctl, a temp directory, loopback, fsync and synchronous_commit on:
# durable as SQLite's synchronous=FULL), then the load bench alternately against each backend, ROUNDS times, and the
# agent bench (first output, claims/s) on both. Tables go to stdout; progress and server output to stderr.
# BEFORE_CAIRN=<another build's cairn.dll> adds that build on PostgreSQL to each round (before/after in one run, alternating);
# AGENTS=0 skips the agent bench.
#   bash bench/Cairn.Bench/Load/postgres-vs-sqlite.sh [ROUNDS=2] [PARAMS=1000]
set -euo pipefail
cd "$(dirname "$0")/../../.."
rounds=${1:-2}
params=${2:-1000}
bin=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)
dotnet build bench/Cairn.Bench -c Release -nologo -v quiet >&2
bench="dotnet bench/Cairn.Bench/bin/Release/net10.0/Cairn.Bench.dll"

dir=$(mktemp -d /tmp/cairn-bench-pg-XXXXXX)
chown postgres "$dir" 2>/dev/null || true
as_pg() { if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }
password=$(head -c 16 /dev/urandom | od -An -tx1 | tr -d ' \n')
echo "$password" > "$dir/pw"; chown postgres "$dir/pw" 2>/dev/null || true
as_pg "$bin/initdb" -D "$dir/data" -U cairn --pwfile "$dir/pw" --auth-host=scram-sha-256 --auth-local=scram-sha-256 -E UTF8 --locale=C.UTF-8 >&2
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
as_pg "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -o "-c listen_addresses=127.0.0.1 -p $port -k $dir -c max_connections=300" start >&2
trap 'as_pg "$bin/pg_ctl" -D "$dir/data" -m immediate stop >/dev/null 2>&1; rm -rf "$dir"' EXIT
PGPASSWORD=$password psql -h 127.0.0.1 -p "$port" -U cairn -d postgres -qc "CREATE DATABASE cairn" >&2
conn="Host=127.0.0.1;Port=$port;Database=cairn;Username=cairn;Password=$password;Maximum Pool Size=200"
echo "PostgreSQL $("$bin/postgres" --version | awk '{print $3}') on 127.0.0.1:$port" >&2

backends="sqlite postgres"
[ -n "${BEFORE_CAIRN:-}" ] && backends="sqlite postgres-before postgres"
for round in $(seq 1 "$rounds"); do
  for backend in $backends; do
    echo "== round $round: $backend ==" >&2
    if [ "$backend" != sqlite ]; then
      # A fresh database each time: the same starting point as SQLite's fresh data directory.
      PGPASSWORD=$password psql -h 127.0.0.1 -p "$port" -U cairn -d postgres -qc "DROP DATABASE IF EXISTS cairn WITH (FORCE)" -c "CREATE DATABASE cairn" >&2
      if [ "$backend" = postgres-before ]; then
        $bench load --params "$params" --only GetParameter,PutParameter --concurrency 16,64 --database "$conn" --cairn "$BEFORE_CAIRN" \
          | sed "s|^## Cairn load benchmark|## round $round: PostgreSQL, before ($BEFORE_CAIRN)|"
      else
        $bench load --params "$params" --only GetParameter,PutParameter --concurrency 16,64 --database "$conn" | sed "s/^## Cairn load benchmark/## round $round: PostgreSQL/"
      fi
    else
      $bench load --params "$params" --only GetParameter,PutParameter --concurrency 16,64 | sed "s/^## Cairn load benchmark/## round $round: SQLite/"
    fi
  done
done

[ "${AGENTS:-1}" = 0 ] && exit 0
echo "== agents: SQLite ==" >&2
$bench agents --runs 10 --builds 200
PGPASSWORD=$password psql -h 127.0.0.1 -p "$port" -U cairn -d postgres -qc "DROP DATABASE IF EXISTS cairn WITH (FORCE)" -c "CREATE DATABASE cairn" >&2
echo "== agents: PostgreSQL ==" >&2
$bench agents --runs 10 --builds 200 --database "$conn"
