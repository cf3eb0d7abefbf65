#!/usr/bin/env bash
# The store bench on SQLite and on a throwaway PostgreSQL: a cluster made with initdb in a
# temporary directory, on a free loopback port (as user postgres when run as root), stopped and
# deleted afterwards. Usage: bench/store-bench.sh [--entries 20000] [--revocations 200]
set -euo pipefail
cd "$(dirname "$0")/.."
bin=$(dirname "$(command -v initdb 2>/dev/null || ls /usr/lib/postgresql/*/bin/initdb | sort -V | tail -1)")
dir=$(mktemp -d /tmp/porthole-bench-pg-XXXXXX)
as=()
if [ "$(id -u)" -eq 0 ]; then chown postgres:postgres "$dir"; as=(runuser -u postgres --); fi
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
cleanup() { "${as[@]}" "$bin/pg_ctl" -D "$dir/data" -m immediate -w stop >/dev/null 2>&1 || true; rm -rf "$dir"; }
trap cleanup EXIT
"${as[@]}" "$bin/initdb" -D "$dir/data" -U porthole --auth=trust -E UTF8 --locale=C --no-sync >/dev/null
"${as[@]}" "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w \
  -o "-c listen_addresses=127.0.0.1 -c port=$port -c unix_socket_directories=$dir" start >/dev/null
psql=$([ -x "$bin/psql" ] && echo "$bin/psql" || command -v psql)
"${as[@]}" "$psql" -h 127.0.0.1 -p "$port" -U porthole -d postgres -qc 'CREATE DATABASE bench' >/dev/null
dotnet run -c Release --project bench/Porthole.Bench -- store --database-url "postgres://porthole@127.0.0.1:$port/bench?sslmode=disable" "$@"
