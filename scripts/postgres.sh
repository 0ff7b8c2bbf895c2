#!/usr/bin/env bash
# Starts a local PostgreSQL for the reference server and its tests, and prints its address
# (libpq's key=value form). Installs Debian's PostgreSQL when missing; keeps its data in .postgres/
# (git-ignored); listens on 127.0.0.1 only. Skips what is already there or running.
#   scripts/postgres.sh [DBNAME]      ensure the server and the database DBNAME exist
#   scripts/postgres.sh stop          stop it
set -euo pipefail
cd "$(dirname "$0")/.."
DIR=$PWD/.postgres
PORT=${SC_PG_PORT:-54329}
say() { printf '\033[1m==> %s\033[0m\n' "$*" >&2; }

bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1 || true)
if [ -z "$bin" ] || [ ! -x "$bin/initdb" ]; then
  say "installing PostgreSQL (Debian package)"
  sudo=""; [ "$(id -u)" = 0 ] || sudo="sudo"
  $sudo apt-get update -qq >&2 && $sudo apt-get install -y -qq postgresql >/dev/null
  bin=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)
fi

# The server refuses to run as root: as root, it runs as the postgres user.
as_owner() { if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }

if [ "${1:-}" = stop ]; then
  [ -f "$DIR/data/postmaster.pid" ] && as_owner "$bin/pg_ctl" -D "$DIR/data" -m fast stop >&2
  exit 0
fi

if [ ! -f "$DIR/data/PG_VERSION" ]; then
  say "creating a PostgreSQL cluster in .postgres/"
  mkdir -p "$DIR"
  [ "$(id -u)" = 0 ] && chown postgres "$DIR"
  as_owner "$bin/initdb" -D "$DIR/data" -A trust -U postgres >/dev/null
fi
if ! as_owner "$bin/pg_ctl" -D "$DIR/data" status >/dev/null 2>&1; then
  if "$bin/pg_isready" -q -h 127.0.0.1 -p "$PORT"; then
    echo "scripts/postgres.sh: another PostgreSQL (another checkout's?) listens on 127.0.0.1:$PORT; stop it or set SC_PG_PORT" >&2
    exit 1
  fi
  say "starting PostgreSQL on 127.0.0.1:$PORT"
  as_owner "$bin/pg_ctl" -D "$DIR/data" -w -l "$DIR/log" \
    -o "-p $PORT -k $DIR -c listen_addresses=127.0.0.1 -c max_connections=200" start >/dev/null
fi
db=${1:-service_coordinator}
if ! "$bin/psql" -h 127.0.0.1 -p "$PORT" -U postgres -tAc "SELECT 1 FROM pg_database WHERE datname = '$db'" | grep -q 1; then
  "$bin/createdb" -h 127.0.0.1 -p "$PORT" -U postgres "$db"
fi
echo "host=127.0.0.1 port=$PORT user=postgres dbname=$db"
