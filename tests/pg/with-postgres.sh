#!/usr/bin/env bash
# Runs a command with a throwaway PostgreSQL cluster: never the system one,
# never port 5432. The command sees RETORT_TEST_PG (a libpq conninfo for the
# superuser) and RETORT_TEST_PG_BIN; the cluster is removed afterwards.
#
#   tests/pg/with-postgres.sh COMMAND [ARGS...]
#
# Without PostgreSQL server binaries it prints a TAP skip with the reason.
set -uo pipefail

bindir=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
if [ -z "$bindir" ] || [ ! -x "$bindir/initdb" ]; then
  echo "1..0 # SKIP no PostgreSQL server binaries (install the postgresql package)"
  exit 0
fi

base=$(mktemp -d /tmp/rtpg.XXXXXX)
chmod 755 "$base"
run_as=()
if [ "$(id -u)" -eq 0 ]; then
  # initdb and postgres refuse to run as root
  chown postgres: "$base"
  run_as=(runuser -u postgres --)
fi

cleanup() {
  if [ -f "$base/data/postmaster.pid" ]; then
    (cd "$base" && "${run_as[@]}" "$bindir/pg_ctl" -D "$base/data" -m immediate -w stop >/dev/null 2>&1)
  fi
  rm -rf "$base"
}
trap cleanup EXIT
trap 'kill -TERM "$child" 2>/dev/null; exit 143' TERM INT

cd "$base"
if ! "${run_as[@]}" "$bindir/initdb" -D "$base/data" -U postgres -A trust -E UTF8 --locale=C --no-sync \
    >"$base/initdb.log" 2>&1; then
  echo "Bail out! initdb failed: $(tail -n 3 "$base/initdb.log")"
  exit 1
fi

started=
for attempt in 1 2 3 4 5 6 7 8; do
  port=$(( 20000 + (RANDOM * 7 + attempt * 131) % 40000 ))
  if "${run_as[@]}" "$bindir/pg_ctl" -D "$base/data" -l "$base/server.log" -w -t 60 \
      -o "-p $port -c listen_addresses=127.0.0.1 -c unix_socket_directories=$base -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=50" \
      start >/dev/null 2>&1; then
    started=1
    break
  fi
done
if [ -z "$started" ]; then
  echo "Bail out! could not start a PostgreSQL server: $(tail -n 3 "$base/server.log")"
  exit 1
fi

export RETORT_TEST_PG="host=127.0.0.1 port=$port user=postgres dbname=postgres"
export RETORT_TEST_PG_BIN="$bindir"
export RETORT_TEST_PG_PORT="$port"
cd - >/dev/null
"$@" &
child=$!
wait "$child"
status=$?
exit $status
