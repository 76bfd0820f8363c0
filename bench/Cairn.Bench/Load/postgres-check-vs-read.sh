#!/usr/bin/env bash
# What a parameter cache on PostgreSQL would save (docs/adr/0005-postgresql-storage.md, "Parameter writes"): pgbench on a
# throwaway cluster, alternating, the statement a cache's check would run (one row: a change number) against the
# statement GetParameter runs (the head with its latest version, by primary key, among PARAMS parameters), each over
# Npgsql's extended protocol (-M extended), at 1 and 16 clients. Prints one markdown row per run (TPS and mean latency).
#   bash bench/Cairn.Bench/Load/postgres-check-vs-read.sh [ROUNDS=3] [PARAMS=1000] [SECONDS=5]
set -euo pipefail
rounds=${1:-3}
params=${2:-1000}
seconds=${3:-5}
bin=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)
dir=$(mktemp -d /tmp/cairn-pgcheck-XXXXXX)
chown postgres "$dir" 2>/dev/null || true
as_pg() { if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }
as_pg "$bin/initdb" -D "$dir/data" -U cairn --auth=trust -E UTF8 --locale=C.UTF-8 >/dev/null
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
as_pg "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -o "-c listen_addresses=127.0.0.1 -p $port -k $dir" start >/dev/null
trap 'as_pg "$bin/pg_ctl" -D "$dir/data" -m immediate stop >/dev/null 2>&1; rm -rf "$dir"' EXIT
psql() { "$bin/psql" -h 127.0.0.1 -p "$port" -U cairn -d postgres -q "$@"; }
psql <<SQL
CREATE TABLE generation (id integer PRIMARY KEY, generation bigint NOT NULL);
INSERT INTO generation VALUES (1, 42);
CREATE TABLE parameters (account text COLLATE "C", region text COLLATE "C", key text COLLATE "C", name text, version bigint,
  tier text, expires_at bigint, PRIMARY KEY (account, region, key));
CREATE TABLE versions (account text COLLATE "C", region text COLLATE "C", key text COLLATE "C", version bigint, type text,
  value text, key_id text, description text, allowed_pattern text, data_type text, tier text, policies text,
  modified_at bigint, modified_by text, PRIMARY KEY (account, region, key, version));
INSERT INTO parameters SELECT '000000000000', 'us-east-1', 'bench/p' || i, '/bench/p' || i, 1, 'Standard', NULL FROM generate_series(1, $params) i;
INSERT INTO versions SELECT '000000000000', 'us-east-1', 'bench/p' || i, 1, 'String', 'value-' || i, NULL, NULL, NULL, 'text',
  'Standard', NULL, 0, 'arn:aws:iam::000000000000:root' FROM generate_series(1, $params) i;
ANALYZE;
SQL
cat > "$dir/check.sql" <<'SQL'
SELECT generation FROM generation WHERE id = 1;
SQL
cat > "$dir/read.sql" <<SQL
\set i random(1, $params)
SELECT p.key, p.name, p.version, p.expires_at, v.version, v.type, v.value, v.key_id, v.description, v.allowed_pattern,
  v.data_type, v.tier, v.policies, v.modified_at, v.modified_by
FROM parameters p JOIN versions v ON v.account = p.account AND v.region = p.region AND v.key = p.key AND v.version = p.version
WHERE p.account = '000000000000' AND p.region = 'us-east-1' AND p.key = 'bench/p' || :i;
SQL
echo "| round | clients | statement | TPS | mean latency ms |"
echo "|---:|---:|---|---:|---:|"
for round in $(seq 1 "$rounds"); do
  for clients in 1 16; do
    for what in check read; do
      out=$("$bin/pgbench" -h 127.0.0.1 -p "$port" -U cairn -n -M extended -c "$clients" -j "$clients" -T "$seconds" -f "$dir/$what.sql" postgres 2>/dev/null)
      tps=$(echo "$out" | awk '/^tps/ {printf "%.0f", $3}')
      latency=$(echo "$out" | awk '/latency average/ {print $4}')
      echo "| $round | $clients | $what | $tps | $latency |"
    done
  done
done
