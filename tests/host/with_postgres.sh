#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# with_postgres.sh COMMAND...: run COMMAND with WTSVC_TEST_PG naming a
# PostgreSQL server of its own: a cluster made for this run in a
# temporary folder (Debian's postgresql package; initdb as the postgres
# user, trust over a Unix socket in that folder, no TCP), stopped and
# removed afterwards; WTSVC_TEST_PG_STOP and _START are shell commands
# that stop and start it.  With WITH_POSTGRES_PORT=N it also listens on
# 127.0.0.1 port N (trust, as initdb makes it for the loopback), for
# guests that reach the host's loopback (tests/vm/run --net), and
# WTSVC_TEST_PG_PORT says so.  Without the package (or as a user who cannot
# become postgres) COMMAND runs without WTSVC_TEST_PG, and its PostgreSQL
# cases skip.  COMMAND's exit status is the script's.
set -u
bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)
if [ -z "$bin" ] || ! id postgres >/dev/null 2>&1 || [ "$(id -u)" != 0 ]; then
	echo "# with_postgres: no PostgreSQL server here; its cases skip" >&2
	exec "$@"
fi
dir=$(mktemp -d /tmp/wtsvc-pg-XXXXXX)
opts="-k $dir -c listen_addresses= -c fsync=off"
[ -z "${WITH_POSTGRES_PORT:-}" ] ||
	opts="-k $dir -c listen_addresses=127.0.0.1 -p $WITH_POSTGRES_PORT -c fsync=off"
chown postgres: "$dir"
cleanup() {
	runuser -u postgres -- "$bin/pg_ctl" -D "$dir/data" -m immediate \
		stop >/dev/null 2>&1
	rm -rf "$dir"
}
trap cleanup EXIT
as_pg() { (cd "$dir" && runuser -u postgres -- "$@"); }
if ! as_pg "$bin/initdb" -D "$dir/data" --auth=trust -U postgres \
		>"$dir/initdb.log" 2>&1 ||
   ! as_pg "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -o \
		"$opts" start \
		>/dev/null 2>&1; then
	echo "# with_postgres: the server did not start; its cases skip" >&2
	tail -5 "$dir"/*.log >&2
	"$@"
	exit
fi
# The tests may stop and start it (a server that goes away mid-issue).
ctl="cd $dir && runuser -u postgres -- $bin/pg_ctl -D $dir/data"
[ -z "${WITH_POSTGRES_PORT:-}" ] || export WTSVC_TEST_PG_PORT=$WITH_POSTGRES_PORT
WTSVC_TEST_PG="host=$dir${WITH_POSTGRES_PORT:+ port=$WITH_POSTGRES_PORT} dbname=postgres user=postgres" \
WTSVC_TEST_PG_STOP="$ctl -m immediate -w stop >/dev/null 2>&1" \
WTSVC_TEST_PG_START="$ctl -l $dir/server.log -w -o '$opts' start >/dev/null 2>&1" \
	"$@"
