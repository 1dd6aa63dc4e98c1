#!/bin/sh
# pg_cli.sh: `holdcheck --db postgresql://...` against a throwaway PostgreSQL 15 cluster
# (tests/lib/pg.sh): migrate as the owner; user and audit act for one agency named in the URL;
# every subcommand whose areas the PostgreSQL backend lacks is refused with a message naming
# the area, never a crash; and a server on a SQLite file never maps libpq (the backend is a
# module loaded only for a postgresql:// database). Usage: pg_cli.sh BINARY
set -u
cd "$(dirname "$0")/../.." || exit 1
. tests/lib/pg.sh
bin=$1
fails=0
out=$(mktemp) || exit 1

fail() {
    echo "FAIL: $*" >&2
    sed 's/^/    /' "$out" >&2
    fails=$((fails + 1))
}

# expect STATUS TEXT CMD...: CMD exits with STATUS and prints TEXT (stdout or stderr).
expect() {
    want=$1 text=$2
    shift 2
    "$@" > "$out" 2>&1
    got=$?
    if [ "$got" -ne "$want" ]; then
        fail "$* exited $got, not $want"
    elif ! grep -qF -- "$text" "$out"; then
        fail "$* did not say: $text"
    else
        echo "ok: $*"
    fi
}

pg_start || exit 1
owner=$PG_URL
app="postgresql://holdcheck_app:app@${PG_URL#*@}"
psql() {
    pg__as_owner "$PG_BIN/psql" -X -q -v ON_ERROR_STOP=1 "$owner" -c "$1" > /dev/null
}
psql "CREATE ROLE holdcheck_app LOGIN PASSWORD 'app'" || fail "create role"

# The version the binary writes, as the store's header says.
version=$(sed -n 's/^#define STORE_SCHEMA_VERSION \([0-9]*\).*/\1/p' "$(dirname "$0")/../../src/store/store_conn.h")
expect 0 "schema version 0 -> $version" "$bin" migrate --db "$owner"
expect 0 "nothing to do" "$bin" migrate --db "$owner"
psql "INSERT INTO agencies (slug, name, created_at) VALUES
      ('alpha', 'Alpha County (synthetic)', '2026-01-01T00:00:00Z'),
      ('beta', 'Beta City (synthetic)', '2026-01-01T00:00:00Z')" || fail "agencies"

# Users and the audit chain, each agency apart.
expect 0 "clerk1 (clerk) created" "$bin" user add --db "$app?agency=alpha" clerk1 --role clerk
expect 0 "clerk1" "$bin" user list --db "$app?agency=alpha"
"$bin" user list --db "$app?agency=beta" > "$out" 2>&1
if grep -q clerk1 "$out"; then fail "beta sees alpha's user"; else echo "ok: beta sees no user of alpha"; fi
expect 0 "2 entries, chain intact" "$bin" audit verify --db "$app?agency=alpha"
expect 0 "0 entries" "$bin" audit verify --db "$app?agency=beta"

# What needs an agency, and what the backend cannot do yet.
expect 2 "?agency=SLUG" "$bin" user list --db "$app"
expect 2 "no such agency" "$bin" user list --db "$app?agency=gamma"
expect 2 "the PostgreSQL backend has no public area yet" \
    "$bin" demo --db "$app?agency=alpha"
expect 2 "the PostgreSQL backend has no import area yet" \
    "$bin" import --db "$app?agency=alpha" --kind bookings /dev/null
expect 2 "the PostgreSQL backend has no public area yet" \
    "$bin" public-export --db "$app?agency=alpha" --format csv --out /dev/null
expect 2 "the PostgreSQL backend has no public area yet" \
    "$bin" serve --db "$app?agency=alpha" --listen 127.0.0.1:0
expect 2 "pg_basebackup" "$bin" backup --db "$app?agency=alpha" --out /tmp/never.db
HOLDCHECK_PG_MODULE=/nonexistent/holdcheck-pg.so \
    expect 2 "cannot load the PostgreSQL backend" "$bin" user list --db "$app?agency=alpha"
expect 2 "PostgreSQL:" "$bin" user list --db "postgresql://nobody@127.0.0.1:1/none?agency=alpha"
pg_stop || fails=$((fails + 1))

# A server on a SQLite file: no libpq in its memory.
db=$(mktemp -u "${TMPDIR:-/tmp}/holdcheck-pgcli.XXXXXX").db
"$bin" migrate --db "$db" > /dev/null || fail "migrate sqlite"
port=$((56000 + $$ % 900))
"$bin" serve --db "$db" --listen "127.0.0.1:$port" > "$out" 2>&1 &
pid=$!
sleep 2
if [ ! -r "/proc/$pid/maps" ]; then
    fail "the SQLite server did not start"
elif grep -q 'libpq' "/proc/$pid/maps"; then
    fail "the SQLite server maps libpq"
else
    echo "ok: a server on SQLite does not map libpq ($(grep VmRSS "/proc/$pid/status" | tr -s ' \t' ' '))"
fi
kill "$pid" 2>/dev/null
wait "$pid" 2>/dev/null
rm -f "$db" "$db-wal" "$db-shm" "$out"
[ "$fails" -eq 0 ] || { echo "pg_cli.sh: $fails failure(s)" >&2; exit 1; }
echo "pg_cli.sh: all passed"
