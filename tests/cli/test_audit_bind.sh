#!/bin/sh
# test_audit_bind.sh HOLDCHECK: the records the audit chain vouches for (docs/server.md, "Rows
# bound into the chain"). A demo database gets an override, a served notice, a changed booking
# and an action through the API, and verifies intact. Then, for every bound table of the registry
# (src/store/bound.c, one line a table: a table added there is tested here without a change),
# on a copy with the table's triggers dropped: an UPDATE, a DELETE, an INSERT OR REPLACE and an
# INSERT around holdcheck must each make `audit verify` exit 1 naming the table and the id.
# Last, `audit bind` for rows written before binding: it binds unbound rows, and no others.
set -u
bin=${1:?usage: test_audit_bind.sh HOLDCHECK}
# shellcheck source=../http/lib.sh
. "$(dirname "$0")/../http/lib.sh"
registry=$(dirname "$0")/../../src/store/bound.c
J='Content-Type: application/json'
A=application/json

db=$tmp/base.db
"$bin" migrate --db "$db" > /dev/null || die "migrate failed"
"$bin" demo --db "$db" > /dev/null || die "demo failed"
"$bin" audit verify --db "$db" > "$tmp/out" 2>&1 && ok "demo data verifies intact" ||
    bad "demo data verifies intact" "$(cat "$tmp/out")"
grep -q "bound rows (decisions, overrides, notices, bookings, actions) agree" "$tmp/out" &&
    ok "verify says the rows were checked" || bad "verify says the rows were checked" "$(cat "$tmp/out")"

# --- writes through holdcheck: each binds its row, verify stays intact
for r in clerk supervisor; do
    "$bin" user add --db "$db" "b-$r" --role "$r" > "$tmp/user-$r" || die "user add $r failed"
done
CL="Authorization: Bearer $(sed -n 's/^token: //p' "$tmp/user-clerk")"
SU="Authorization: Bearer $(sed -n 's/^token: //p' "$tmp/user-supervisor")"
srv_start "$db"
permitted=$(sqlite3 "$db" "SELECT request_id FROM decisions WHERE outcome = 'permitted' ORDER BY id LIMIT 1")
hold=$(sqlite3 "$db" "SELECT d.request_id FROM decisions d JOIN immigration_requests r
    ON r.id = d.request_id WHERE r.type = 'hold' ORDER BY d.id LIMIT 1")
booking=$(sqlite3 "$db" "SELECT booking_no FROM bookings WHERE status = 'in_custody' ORDER BY id LIMIT 1")
[ -n "$permitted" ] && [ -n "$hold" ] && [ -n "$booking" ] || die "the demo has no permitted request, hold or booking in custody"
req "override through the API" 201 $A '' -- -H "$SU" -H "$J" \
    -d '{"outcome":"prohibited","reason":"bound-row test"}' "$B/api/v1/requests/$permitted/override"
req "notice through the API" 201 $A '' -- -H "$CL" -H "$J" \
    -d '{"kind":"copy","language":"en"}' "$B/api/v1/requests/$hold/notices"
nid=$(jq -r .id "$tmp/body")
req "notice served through the API" 200 $A '' -- -H "$CL" -H "$J" -d '{}' "$B/api/v1/notices/$nid/served"
req "booking changed through the API" 200 $A '' -- -H "$CL" -H "$J" -X PATCH \
    -d '{"facility":"Bound Test Annex"}' "$B/api/v1/bookings/$booking"
now=$(date -u +%Y-%m-%dT%H:%M:%SZ)
req "action through the API" 201 $A '' -- -H "$CL" -H "$J" \
    -d "{\"kind\":\"declined\",\"at\":\"$now\"}" "$B/api/v1/requests/$hold/actions"
srv_stop
# The register of joint task forces (docs/reports.md "task-force"): one task force, one entry.
"$bin" task-force add --db "$db" --name "Bound Test Task Force" --purpose "bound-row test" \
    --members "Agency A; Agency B" --joined 2020-01-01 > /dev/null &&
    "$bin" task-force arrests --db "$db" --task-force 1 --from 2024-01-01 --to 2024-03-31 \
        --arrests 4 --immigration-arrests 0 > /dev/null || die "task-force add or arrests failed"
"$bin" audit verify --db "$db" > "$tmp/out" 2>&1 && ok "intact after API writes" ||
    bad "intact after API writes" "$(cat "$tmp/out")"
# The served notice and the changed booking were re-bound by their change's entry.
n=$(sqlite3 "$db" "SELECT count(*) FROM audit_log WHERE action = 'notice.serve'
    AND payload LIKE '%\"bound\":[{\"hash\":%\"id\":$nid,\"table\":\"notices\"}]%'")
[ "$n" = 1 ] && ok "notice.serve binds the served notice" || bad "notice.serve binds the served notice" "$n entries"
n=$(sqlite3 "$db" "SELECT payload LIKE '%\"table\":\"bookings\"%' FROM audit_log
    WHERE action = 'booking.update' AND entity = '$booking' ORDER BY seq DESC LIMIT 1")
[ "$n" = 1 ] && ok "booking.update binds the booking" || bad "booking.update binds the booking" "$n entries"

# --- tampering, table by table, from the registry
tables=$(sed -n 's/^ *{"\([a-z_]*\)", "[a-z_]*",.*/\1/p' "$registry")
[ "$(echo "$tables" | wc -w)" -ge 4 ] || die "no registry read from $registry"

# tamper NAME TABLE EXPECT SQL: on a copy of the base with TABLE's triggers dropped and CHECK
# constraints off, run SQL; verify must exit 1 and print a line matching EXPECT.
tamper() {
    cp "$db" "$tmp/t.db"
    drops=$(sqlite3 "$tmp/t.db" "SELECT 'DROP TRIGGER ' || name || ';' FROM sqlite_master
        WHERE type = 'trigger' AND tbl_name = '$2'")
    if ! sqlite3 "$tmp/t.db" "PRAGMA ignore_check_constraints = ON; $drops $4" 2> "$tmp/sqlerr"; then
        bad "$1" "sqlite3: $(cat "$tmp/sqlerr")"
        return
    fi
    "$bin" audit verify --db "$tmp/t.db" > "$tmp/out" 2>&1
    rc=$?
    if [ $rc -eq 1 ] && grep -q "$3" "$tmp/out"; then ok "$1"; else
        bad "$1" "exit $rc, want 1 and /$3/: $(cat "$tmp/out")"; fi
}

for t in $tables; do
    id=$(sqlite3 "$db" "SELECT max(id) FROM $t")
    if [ -z "$id" ]; then bad "$t has a row to tamper with" "empty"; continue; fi
    # The second column of the registry's line: a NOT NULL column that is not the id.
    col=$(awk -v t="{\"$t\"," 'index($0, t) { f = 1 }
        f && /"id, / { sub(/.*"id, /, ""); sub(/[, "].*/, ""); print; exit }' "$registry")
    [ -n "$col" ] || { bad "$t: a column to change" "none found"; continue; }
    tamper "$t: UPDATE of id $id reported" "$t" "$t id $id: differs from its binding" \
        "UPDATE $t SET $col = $col || 'x' WHERE id = $id;"
    tamper "$t: DELETE of id $id reported" "$t" "$t id $id: bound by entry [0-9]* and missing" \
        "DELETE FROM $t WHERE id = $id;"
    tamper "$t: INSERT OR REPLACE of id $id reported" "$t" "$t id $id: differs from its binding" \
        "CREATE TEMP TABLE x AS SELECT * FROM $t WHERE id = $id; UPDATE x SET $col = $col || 'x';
         INSERT OR REPLACE INTO $t SELECT * FROM x;"
    new=$((id + 1000))
    tamper "$t: INSERT around holdcheck reported" "$t" "$t id $new: no entry binds this row" \
        "CREATE TEMP TABLE x AS SELECT * FROM $t WHERE id = $id; UPDATE x SET id = $new, $col = $col || 'y';
         INSERT INTO $t SELECT * FROM x;"
done

# The issue's case: an edited decision outcome plus a deleted override (its table has no
# triggers to drop), both named.
tamper "edited outcome and deleted override: the decision reported" decisions \
    "decisions id [0-9]*: differs from its binding" \
    "UPDATE decisions SET outcome = 'permitted'
     WHERE id = (SELECT max(id) FROM decisions WHERE outcome = 'prohibited'); DELETE FROM overrides;"
grep -q "overrides id [0-9]*: bound by entry [0-9]* and missing" "$tmp/out" &&
    ok "edited outcome and deleted override: the override reported" ||
    bad "edited outcome and deleted override: the override reported" "$(cat "$tmp/out")"
# The same over HTTP: the chain is intact, the rows are not, and the route says which.
srv_start "$tmp/t.db"
req "GET /api/v1/audit/verify: rows not intact" 200 $A '"rows_intact":false' -- -H "$SU" \
    "$B/api/v1/audit/verify"
jq -e '.intact == true and .row_problems >= 2 and
       any(.rows[]; .table == "decisions" and .problem == "changed") and
       any(.rows[]; .table == "overrides" and .problem == "deleted")' "$tmp/body" > /dev/null &&
    ok "GET /api/v1/audit/verify names the decision and the override" ||
    bad "GET /api/v1/audit/verify names the rows" "$(head -c 400 "$tmp/body")"
srv_stop

# --- rows written before binding: `audit bind` binds them once, and only them
cp "$db" "$tmp/old.db"
sqlite3 "$tmp/old.db" "INSERT INTO bookings (booking_no, person_id, booked_at, facility, status)
    SELECT 'OLD-' || id, person_id, booked_at, facility, status FROM bookings WHERE id <= 3;
    DROP TRIGGER decisions_no_update; UPDATE decisions SET outcome = 'review' WHERE id = 1;"
"$bin" audit verify --db "$tmp/old.db" > "$tmp/out" 2>&1
[ $? -eq 1 ] && [ "$(grep -c 'no entry binds this row' "$tmp/out")" = 3 ] &&
    ok "unbound old rows reported, not passed over" || bad "unbound old rows reported" "$(cat "$tmp/out")"
"$bin" audit bind --db "$tmp/old.db" > "$tmp/out" 2>&1 && grep -q "bound 3 rows" "$tmp/out" &&
    ok "audit bind binds the 3 unbound rows" || bad "audit bind binds the 3 unbound rows" "$(cat "$tmp/out")"
n=$(sqlite3 "$tmp/old.db" "SELECT count(*) FROM audit_log WHERE action = 'audit.bind'
    AND payload LIKE '%vouches for their content as it is now%'")
[ "$n" = 1 ] && ok "audit.bind entry says what it vouches for" || bad "audit.bind entry" "$n entries"
"$bin" audit verify --db "$tmp/old.db" > "$tmp/out" 2>&1
[ $? -eq 1 ] && grep -q "decisions id 1: differs" "$tmp/out" && ! grep -q "no entry binds" "$tmp/out" &&
    ok "audit bind does not launder an edited row" || bad "audit bind leaves edited rows reported" "$(cat "$tmp/out")"
"$bin" audit bind --db "$tmp/old.db" > "$tmp/out" 2>&1 && grep -q "nothing written" "$tmp/out" &&
    ok "audit bind twice writes nothing" || bad "audit bind twice" "$(cat "$tmp/out")"

# --- an import's bookings: one run of digests in the import's entry, each row still checked
# The bookings of an import are bound as they are inserted, by the first 16 bytes of each row's
# hash in one run ("digests"), not read back and listed in hex; a row changed, deleted or
# replaced inside the run is still named by table and id, and a row changed through holdcheck
# since is judged by its own change's entry.
db=$tmp/imp.db
"$bin" migrate --db "$db" > /dev/null || die "migrate failed"
{
    echo "local_id,name,date_of_birth,registrant_290"
    i=1
    while [ $i -le 40 ]; do echo "RP-$i,\"Runperson, Number $i\",1990-01-0$((i % 9 + 1)),false"; i=$((i + 1)); done
} > "$tmp/rp.csv"
{
    echo "booking_no,person_local_id,booked_at,facility,status,scheduled_release,released_at,release_reason"
    i=1
    while [ $i -le 40 ]; do
        case $((i % 3)) in
        0) echo "RB-$i,RP-$i,2026-11-01T08:00:00Z,Main Jail,in_custody,,," ;;
        1) echo "RB-$i,RP-$i,2026-10-0$((i % 9 + 1)),North Annex,in_custody,2027-01-15,," ;;
        *) echo "RB-$i,RP-$i,2026-10-01T08:00:00-08:00,Main Jail,released,,2026-10-20T10:00:00Z,bail posted" ;;
        esac
        i=$((i + 1))
    done
} > "$tmp/rb.csv"
"$bin" import --db "$db" "$tmp/rp.csv" "$tmp/rb.csv" > "$tmp/out" 2>&1 || die "import failed: $(cat "$tmp/out")"
"$bin" audit verify --db "$db" > "$tmp/out" 2>&1 && grep -q "40 bound rows" "$tmp/out" &&
    ok "imported bookings verify intact" || bad "imported bookings verify intact" "$(cat "$tmp/out")"
# 40 digests of 16 bytes: 640 bytes, 854 characters of unpadded base64.
run=$(sqlite3 "$db" "SELECT json_array_length(payload, '$.bound') || ' ' ||
    json_extract(payload, '$.bound[0].first_id') || ' ' ||
    length(json_extract(payload, '$.bound[0].digests')) || ' ' ||
    ifnull(json_extract(payload, '$.bound[0].hashes'), 'none')
    FROM audit_log WHERE action = 'import.commit' AND entity = 'import/bookings'")
[ "$run" = "1 1 854 none" ] && ok "the import binds its bookings as one run of 16-byte digests" ||
    bad "the import binds its bookings as one run of 16-byte digests" "bound: $run"
tamper "imported run: UPDATE of id 20 reported" bookings "bookings id 20: differs from its binding" \
    "UPDATE bookings SET facility = 'Elsewhere' WHERE id = 20;"
grep -q "1 of 40 bound rows" "$tmp/out" && ok "imported run: only the changed row is reported" ||
    bad "imported run: only the changed row is reported" "$(cat "$tmp/out")"
tamper "imported run: DELETE of id 20 reported" bookings "bookings id 20: bound by entry [0-9]* and missing" \
    "DELETE FROM bookings WHERE id = 20;"
tamper "imported run: INSERT OR REPLACE of id 21 reported" bookings "bookings id 21: differs from its binding" \
    "CREATE TEMP TABLE x AS SELECT * FROM bookings WHERE id = 21; UPDATE x SET release_reason = 'x';
     INSERT OR REPLACE INTO bookings SELECT * FROM x;"
tamper "imported run: the first row's UPDATE reported" bookings "bookings id 1: differs from its binding" \
    "UPDATE bookings SET scheduled_release = '2027-01-16' WHERE id = 1;"
# A booking of the run released through the feed is bound again by its change's entry.
printf 'booking_no,person_local_id,booked_at,facility,status,scheduled_release,released_at,release_reason\nRB-3,RP-3,2026-11-01T08:00:00Z,Main Jail,released,,2026-11-05T09:00:00Z,released\n' \
    > "$tmp/rel.csv"
"$bin" import --db "$db" --upsert "$tmp/rel.csv" > "$tmp/out" 2>&1 || die "upsert failed: $(cat "$tmp/out")"
"$bin" audit verify --db "$db" > "$tmp/out" 2>&1 && ok "imported run: a row changed through the feed verifies" ||
    bad "imported run: a row changed through the feed verifies" "$(cat "$tmp/out")"
tamper "imported run: a re-bound row tampered after is reported" bookings \
    "bookings id 3: differs from its binding" "UPDATE bookings SET release_reason = 'x' WHERE id = 3;"

echo "audit bind: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
