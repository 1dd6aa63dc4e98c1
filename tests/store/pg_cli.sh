#!/bin/sh
# pg_cli.sh: `holdcheck --db postgresql://...` against a throwaway PostgreSQL 15 cluster
# (tests/lib/pg.sh): migrate as the owner; user, audit, task-force, victim, readlog, report,
# public-export, import (and the feed, --upsert) and export act for one agency named in the URL;
# backup is refused, naming PostgreSQL's own tools; and a server on a SQLite file never maps
# libpq (the backend is a module loaded only for a postgresql:// database).
# Usage: pg_cli.sh BINARY
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

# The task force register, the read-access log and victim notification, each agency apart.
expect 0 "task force 1: Test Task Force" "$bin" task-force add --db "$app?agency=alpha" \
    --name "Test Task Force" --purpose "Synthetic purpose" \
    --members "Test Federal Agency; Test County" --joined 2024-01-01
expect 0 "5 arrests, 1 for immigration" "$bin" task-force arrests --db "$app?agency=alpha" \
    --task-force "Test Task Force" --from 2024-01-01 --to 2024-03-31 --arrests 5 \
    --immigration-arrests 1
expect 0 "entry 1: 2024-01-01 to 2024-03-31" "$bin" task-force list --db "$app?agency=alpha"
"$bin" task-force list --db "$app?agency=beta" > "$out" 2>&1
if grep -q "Test Task Force" "$out"; then fail "beta sees alpha's task force"
else echo "ok: beta sees no task force of alpha"; fi
expect 1 "no such task force" "$bin" task-force arrests --db "$app?agency=beta" \
    --task-force 1 --from 2024-04-01 --to 2024-04-30 --arrests 1 --immigration-arrests 0
psql "INSERT INTO people (agency_id, name, created_at) SELECT id, 'Testperson, Cli',
        '2026-01-01T00:00:00Z' FROM agencies WHERE slug = 'alpha';
      INSERT INTO bookings (agency_id, booking_no, person_id, booked_at, facility, status)
        SELECT p.agency_id, 'CLI-1', p.id, '2026-01-01T00:00:00Z', 'Test Jail', 'in_custody'
        FROM people p WHERE p.name = 'Testperson, Cli'" || fail "booking"
expect 0 "registration" "$bin" victim add --db "$app?agency=alpha" --booking CLI-1 \
    --name "Registrant, Cli" --address cli-reg@example.org
expect 0 "cli-reg@example.org" "$bin" victim list --db "$app?agency=alpha" --booking CLI-1
expect 1 "no such booking" "$bin" victim add --db "$app?agency=beta" --booking CLI-1 \
    --name "Registrant, Cli" --address cli-reg@example.org
expect 0 "removed" "$bin" victim remove --db "$app?agency=alpha" --id 1
expect 0 "victim" "$bin" readlog --db "$app?agency=alpha" --kind victim
"$bin" readlog --db "$app?agency=beta" --kind victim > "$out" 2>&1
if grep -q "victim" "$out"; then fail "beta reads alpha's read log"
else echo "ok: beta reads none of alpha's read log"; fi
expect 0 "0 entries older than 1 days removed" "$bin" readlog prune --db "$app?agency=alpha" \
    --days 1
# The booking written with psql above is the one row no entry binds; the task force rows and
# the audit entries of the registration (which hold neither name nor address) verify.
expect 1 "bookings id 1: no entry binds this row" "$bin" audit verify --db "$app?agency=alpha"
expect 0 "bound 1 rows" "$bin" audit bind --db "$app?agency=alpha"
expect 0 "chain intact" "$bin" audit verify --db "$app?agency=alpha"
psql "DO \$\$ BEGIN IF EXISTS (SELECT 1 FROM audit_log WHERE payload LIKE '%Registrant, Cli%'
      OR payload LIKE '%cli-reg@example.org%') THEN RAISE 'contact in the audit log'; END IF;
      END \$\$" || fail "a registrant's name or address is in the audit log"
# Import and export, each agency apart: a file imported with its audit entry and its bookings
# bound; the same file again refused whole; a bad row refused with its line and nothing of its
# file written; beta sees none of it; alpha's chain verifies.
csv=$(mktemp -d) || exit 1
printf 'local_id,name,date_of_birth,registrant_290\nIMP-P1,"Testperson, Import",1980-01-02,false\nIMP-P2,"Testperson, Second",,true\n' > "$csv/people.csv"
printf 'booking_no,person_local_id,booked_at,facility,status,scheduled_release,released_at,release_reason\nIMP-1,IMP-P1,2026-03-01T08:00:00-08:00,Test Jail,in_custody,2026-06-01,,\nIMP-2,IMP-P2,2026-03-02T08:00:00-08:00,Test Jail,in_custody,,,\n' > "$csv/bookings.csv"
printf 'booking_no,citation,level,status,magistrate_probable_cause\nIMP-1,PC 459,felony,pending,false\n' > "$csv/charges.csv"
printf 'booking_no,person_local_id,booked_at,facility,status,scheduled_release,released_at,release_reason\nIMP-3,IMP-P1,2026-03-03T08:00:00-08:00,Test Jail,in_custody,,,\nIMP-4,IMP-NOBODY,2026-03-04T08:00:00-08:00,Test Jail,in_custody,,,\n' > "$csv/bad.csv"
expect 0 "2 people imported" "$bin" import --db "$app?agency=alpha" "$csv/people.csv"
expect 0 "2 bookings imported" "$bin" import --db "$app?agency=alpha" "$csv/bookings.csv" \
    "$csv/charges.csv"
expect 1 "local_id: already exists" "$bin" import --db "$app?agency=alpha" "$csv/people.csv"
expect 1 "bad.csv:3: person_local_id: no such person" \
    "$bin" import --db "$app?agency=alpha" "$csv/bad.csv"
expect 0 "IMP-2,IMP-P2,2026-03-02T08:00:00-08:00,Test Jail,in_custody,,," \
    "$bin" export --db "$app?agency=alpha" --kind bookings
"$bin" export --db "$app?agency=alpha" --kind bookings > "$out" 2>&1
if grep -q "IMP-3" "$out"; then fail "a row of the refused file was written"
else echo "ok: nothing of the refused file was written"; fi
"$bin" export --db "$app?agency=beta" --kind bookings > "$out" 2>&1
if grep -q "IMP-" "$out"; then fail "beta exports alpha's bookings"
else echo "ok: beta exports none of alpha's bookings"; fi
expect 1 "no such person" "$bin" import --db "$app?agency=beta" "$csv/bookings.csv"
# The custody feed (--upsert): a delta moves IMP-2 (a transfer event), the same delta again
# changes nothing; beta's feed cannot reach alpha's booking.
printf 'booking_no,person_local_id,booked_at,facility,status,scheduled_release,released_at,release_reason\nIMP-2,IMP-P2,2026-03-02T08:00:00-08:00,North Annex,in_custody,,,\n' > "$csv/delta.csv"
expect 0 "0 created, 1 changed, 0 unchanged; 0 re-booked, 1 events" \
    "$bin" import --db "$app?agency=alpha" --upsert "$csv/delta.csv"
expect 0 "0 created, 0 changed, 1 unchanged" \
    "$bin" import --db "$app?agency=alpha" --upsert "$csv/delta.csv"
expect 1 "no such person" "$bin" import --db "$app?agency=beta" --upsert "$csv/delta.csv"
expect 0 "chain intact" "$bin" audit verify --db "$app?agency=alpha"
rm -rf "$csv"

# The reports: alpha's year of records, written around holdcheck and then bound into its chain
# (`audit bind`), gives a transfer in doj-transfers that --check recomputes and verifies; beta
# reads none of it.
psql "SELECT set_config('holdcheck.agency', (SELECT id FROM agencies WHERE slug = 'alpha')::text,
        false);
      INSERT INTO people (id, name, created_at) VALUES
        (101, 'Testperson, Report', '2025-01-01T00:00:00Z');
      INSERT INTO bookings (id, booking_no, person_id, booked_at, facility, status) VALUES
        (101, 'RPT-1', 101, '2025-01-02T00:00:00Z', 'Test Jail', 'in_custody');
      INSERT INTO immigration_requests (id, booking_id, type, received_at) VALUES
        (101, 101, 'hold', '2025-02-01T10:00:00-08:00');
      INSERT INTO decisions (id, request_id, version, outcome, ruleset, case_json,
        decision_json, decided_at, decided_by) VALUES (101, 101, 1, 'permitted', 'CA-2018-01-01',
        '{}', '{\"outcome\":\"permitted\",\"qualifying\":[{\"provision\":\"7282.5(a)(1)\",
        \"fact\":\"serious felony\",\"citation\":\"PC 1192.7(c)\"}]}',
        '2025-02-01T18:00:00Z', 'clerk');
      INSERT INTO request_actions (id, request_id, kind, at, office, outcome_in_force, contrary,
        recorded_by, recorded_at) VALUES (101, 101, 'transferred', '2025-02-03T09:00:00-08:00',
        'Test ERO', 'permitted', 0, 'clerk', '2025-02-03T17:00:00Z')" || fail "alpha's year"
expect 0 "bound 3 rows" "$bin" audit bind --db "$app?agency=alpha"
expect 0 "figure,total,transfers,Transfers to immigration authorities (Gov. Code 7284.6(a)(4)),1,1" \
    "$bin" report doj-transfers --db "$app?agency=alpha" --year 2025 --format csv
expect 0 "figure,total,transfers,Transfers to immigration authorities (Gov. Code 7284.6(a)(4)),0," \
    "$bin" report doj-transfers --db "$app?agency=beta" --year 2025 --format csv
for kind in doj-transfers releases-without-notice truth-forum cpra; do
    expect 0 "0 differences" "$bin" report --check "$kind" --db "$app?agency=alpha" --year 2025
done
psql "SELECT set_config('holdcheck.agency', (SELECT id FROM agencies WHERE slug = 'alpha')::text,
        false); UPDATE bookings SET facility = 'Elsewhere' WHERE id = 101" || fail "edit"
expect 1 "bookings 101" "$bin" report --check truth-forum --db "$app?agency=alpha" --year 2025
expect 0 "Testperson, Report" \
    "$bin" report cpra --db "$app?agency=alpha" --year 2025 --unredacted
# The task force register is on PostgreSQL too: alpha's task force and its arrests of 2024.
expect 0 "Test Task Force" "$bin" report task-force --db "$app?agency=alpha" --year 2024
expect 0 "0 differences" "$bin" report --check task-force --db "$app?agency=alpha" --year 2024

# The public export is on PostgreSQL too: alpha's four bookings in custody (the victim
# registration's, the reports' and the two the import wrote), under alpha's policy (names
# published); none for beta.
psql "SELECT set_config('holdcheck.agency', (SELECT id FROM agencies WHERE slug = 'alpha')::text,
        false); INSERT INTO public_policy (fields) VALUES (3)" || fail "alpha's policy"
expect 0 "Testperson, Report" "$bin" public-export --db "$app?agency=alpha" --format csv
expect 0 "public-export: 4 records" \
    "$bin" public-export --db "$app?agency=alpha" --format jsonl --out /dev/null
"$bin" public-export --db "$app?agency=beta" --format csv > "$out" 2>&1
if grep -q "Testperson\|RPT-1" "$out" || ! grep -q "public-export: 0 records" "$out"; then
    fail "beta's export"
else
    echo "ok: beta's public export holds none of alpha's bookings"
fi

# What needs an agency, and what the backend does not do.
expect 2 "?agency=SLUG" "$bin" user list --db "$app"
expect 2 "no such agency" "$bin" user list --db "$app?agency=gamma"
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
