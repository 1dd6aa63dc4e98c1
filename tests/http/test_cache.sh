#!/bin/sh
# test_cache.sh HOLDCHECK: the shared answer cache (docs/server.md, "The answer cache") over
# HTTP, with two worker threads. A staff record from the cache must be byte for byte what the
# database holds at that moment:
#   - answers with the cache on equal answers with it off, and the cache is really used;
#   - a write through the API shows on the next GET, on every worker;
#   - a write by another process (the sqlite3 shell, as an import would) shows at once;
#   - a write forgets only the records it changed: the others are still served from the cache
#     (the staff misses do not grow), through the API, by another process, for each table
#     that a record shows;
#   - a write by a GET-less route (a user disabled) does not stop the cache from working.
# Every check repeats the GET over new connections, so both workers answer. Ends with
# "N passed, M failed"; exits 1 on any failure.
# shellcheck disable=SC2015 # "A && ok || bad": ok always returns 0, so bad runs only when A fails
set -u
bin=${1:-build/holdcheck}
. "$(dirname "$0")/lib.sh"

J='Content-Type: application/json'
A=application/json
db=$tmp/t.db
tries=8 # GETs per check, each on a new connection (the kernel spreads them over both workers)

"$bin" migrate --db "$db" > /dev/null || die "migrate failed"
"$bin" demo --db "$db" --bookings 40 --seed 5 > /dev/null || die "demo failed"
"$bin" user add --db "$db" cache-admin --role admin > "$tmp/user" || die "user add failed"
token=$(sed -n 's/^token: //p' "$tmp/user")
req_auth="Authorization: Bearer $token"
auth="Authorization: Bearer $token"

# metric NAME-AND-LABELS: its value in /metrics (0 when absent).
metric() {
    curl -s -H "$auth" "$B/metrics" | awk -v k="$1" '$1 == k { print $2; f = 1 } END { if (!f) print 0 }'
}
hits() { metric 'holdcheck_answer_cache_lookups_total{kind="staff",result="hit"}'; }
misses() { metric 'holdcheck_answer_cache_lookups_total{kind="staff",result="miss"}'; }

# still_cached NAME URL FILE: URL answers FILE from the cache: 4 GETs, no new staff miss.
still_cached() {
    m0=$(misses)
    same_all "$1" "$2" "$3"
    m1=$(misses)
    [ "$m1" -eq "$m0" ] && ok "$1: from the cache" || bad "$1: from the cache" "misses $m0 -> $m1"
}

# same_all NAME URL FILE [PATTERN]: $tries GETs of URL on new connections, each byte for byte
# FILE (and containing PATTERN, when given).
same_all() {
    i=0 n_bad=0
    while [ $i -lt $tries ]; do
        curl -s -H "$auth" -o "$tmp/got" "$2"
        cmp -s "$tmp/got" "$3" || n_bad=$((n_bad + 1))
        [ -z "${4:-}" ] || grep -qF -- "$4" "$tmp/got" || n_bad=$((n_bad + 1))
        i=$((i + 1))
    done
    if [ $n_bad -eq 0 ]; then ok "$1"; else bad "$1" "$n_bad of $tries answers differ: $(head -c 200 "$tmp/got")"; fi
}

# --- 1. the reference: every demo record read with the cache off
srv_start "$db" --threads 2 --answer-cache-bytes 0
for n in 000001 000002 000003 000007; do
    curl -s -H "$auth" -o "$tmp/ref-$n" "$B/api/v1/bookings/DEMO-$n"
done
grep -q '"booking_no":"DEMO-000007"' "$tmp/ref-000007" && ok "reference record read" ||
    bad "reference record read" "$(head -c 200 "$tmp/ref-000007")"
if curl -s -H "$auth" "$B/metrics" | grep -q holdcheck_answer_cache_; then
    bad "cache off: no cache figures" "/metrics shows the cache"
else
    ok "cache off: no cache figures"
fi
srv_stop

# --- 2. the same records with the cache on: equal, and served from the cache
srv_start "$db" --threads 2
for n in 000001 000002 000003 000007; do
    same_all "cached DEMO-$n equals uncached" "$B/api/v1/bookings/DEMO-$n" "$tmp/ref-$n"
done
h=$(hits)
[ "$h" -ge 20 ] && ok "cache used ($h staff hits)" || bad "cache used" "only $h staff hits"
req "unknown booking still 404" 404 application/problem+json '"field":"booking_no"' -- \
    "$B/api/v1/bookings/DEMO-999999"
req "unknown booking 404 again" 404 application/problem+json '"field":"booking_no"' -- \
    "$B/api/v1/bookings/DEMO-999999"

# --- 3. a write through the API shows at once, on every worker
req "request through the API" 201 $A '"outcome"' -- -H "$J" \
    -d '{"type":"hold","issuing_office":"Cache Test Office"}' \
    "$B/api/v1/bookings/DEMO-000007/requests"
curl -s -H "$auth" -o "$tmp/after-api" "$B/api/v1/bookings/DEMO-000007"
grep -qF '"issuing_office":"Cache Test Office"' "$tmp/after-api" && ok "record shows the new request" ||
    bad "record shows the new request" "$(head -c 300 "$tmp/after-api")"
same_all "every worker shows the new request" "$B/api/v1/bookings/DEMO-000007" "$tmp/after-api" \
    '"issuing_office":"Cache Test Office"'
# Records the write did not touch are still right, and still in the cache.
same_all "untouched record unchanged" "$B/api/v1/bookings/DEMO-000002" "$tmp/ref-000002"
req "another request through the API" 201 $A '"outcome"' -- -H "$J" \
    -d '{"type":"hold","issuing_office":"Second Office","confirm_new":true}' \
    "$B/api/v1/bookings/DEMO-000007/requests"
still_cached "untouched record kept through an API write" "$B/api/v1/bookings/DEMO-000002" \
    "$tmp/ref-000002"

# --- 4. a write by another process shows at once: no GET may answer from before it
same_all "DEMO-000003 cached before the writes" "$B/api/v1/bookings/DEMO-000003" "$tmp/ref-000003"
sqlite3 "$db" "UPDATE bookings SET facility = 'Moved By Another Process' WHERE booking_no = 'DEMO-000007'" ||
    die "sqlite3 update failed"
curl -s -H "$auth" -o "$tmp/after-ext" "$B/api/v1/bookings/DEMO-000007"
grep -qF '"facility":"Moved By Another Process"' "$tmp/after-ext" && ok "record shows the other process's write" ||
    bad "record shows the other process's write" "$(head -c 300 "$tmp/after-ext")"
same_all "every worker shows the other process's write" "$B/api/v1/bookings/DEMO-000007" \
    "$tmp/after-ext" '"facility":"Moved By Another Process"'
sqlite3 "$db" "UPDATE people SET name = 'Renamed Elsewhere' WHERE id = (SELECT person_id FROM bookings WHERE booking_no = 'DEMO-000003')" ||
    die "sqlite3 update failed"
curl -s -H "$auth" -o "$tmp/after-rename" "$B/api/v1/bookings/DEMO-000003"
grep -qF '"name":"Renamed Elsewhere"' "$tmp/after-rename" && ok "renamed person shows at once" ||
    bad "renamed person shows at once" "$(head -c 300 "$tmp/after-rename")"
same_all "every worker shows the renamed person" "$B/api/v1/bookings/DEMO-000003" \
    "$tmp/after-rename" '"name":"Renamed Elsewhere"'

# Each table a record shows, written by another process: that record shows the change at once,
# and an untouched record stays in the cache.
same_all "DEMO-000002 cached" "$B/api/v1/bookings/DEMO-000002" "$tmp/ref-000002"
# check_ext NAME BOOKING PATTERN COMMAND...: run COMMAND, another process writing; BOOKING
# shows PATTERN on every worker, DEMO-000002 still comes from the cache.
check_ext() {
    name=$1 no=$2 pat=$3
    shift 3
    curl -s -H "$auth" -o /dev/null "$B/api/v1/bookings/$no"
    "$@" || die "$name: $* failed"
    set -- "$name" "$no" "$pat"
    curl -s -H "$auth" -o "$tmp/ext-$2" "$B/api/v1/bookings/$2"
    grep -qF -- "$3" "$tmp/ext-$2" && ok "$1 shows at once" || bad "$1 shows at once" "$(head -c 300 "$tmp/ext-$2")"
    same_all "$1 on every worker" "$B/api/v1/bookings/$2" "$tmp/ext-$2" "$3"
    still_cached "$1 leaves DEMO-000002" "$B/api/v1/bookings/DEMO-000002" "$tmp/ref-000002"
}
b1="(SELECT id FROM bookings WHERE booking_no = 'DEMO-000004')"
p1="(SELECT person_id FROM bookings WHERE booking_no = 'DEMO-000004')"
[ "$(sqlite3 "$db" "SELECT count(DISTINCT person_id) FROM bookings
     WHERE booking_no IN ('DEMO-000002', 'DEMO-000004')")" = 2 ] || die "demo: DEMO-000002 and 4 share a person"
r1="(SELECT max(id) FROM immigration_requests WHERE booking_id = $b1)"
check_ext "a charge added" DEMO-000004 '"citation":"PC 999.1"' \
    sqlite3 "$db" "INSERT INTO charges (booking_id, citation, status) VALUES ($b1, 'PC 999.1', 'pending')"
check_ext "a charge changed" DEMO-000004 '"citation":"PC 999.2"' \
    sqlite3 "$db" "UPDATE charges SET citation = 'PC 999.2' WHERE citation = 'PC 999.1'"
check_ext "a charge removed" DEMO-000004 '"booking_no":"DEMO-000004"' \
    sqlite3 "$db" "DELETE FROM charges WHERE citation = 'PC 999.2'"
grep -qF 'PC 999.2' "$tmp/ext-DEMO-000004" && bad "removed charge gone" "still shown" || ok "removed charge gone"
check_ext "a conviction added" DEMO-000004 '"court":"Cache Court"' \
    sqlite3 "$db" "INSERT INTO convictions (person_id, citation, court) VALUES ($p1, 'PC 459', 'Cache Court')"
check_ext "a conviction changed" DEMO-000004 '"court":"Cache Court Two"' \
    sqlite3 "$db" "UPDATE convictions SET court = 'Cache Court Two' WHERE court = 'Cache Court'"
check_ext "a conviction removed" DEMO-000004 '"booking_no":"DEMO-000004"' \
    sqlite3 "$db" "DELETE FROM convictions WHERE court = 'Cache Court Two'"
grep -qF 'Cache Court Two' "$tmp/ext-DEMO-000004" && bad "removed conviction gone" "still shown" ||
    ok "removed conviction gone"
check_ext "a request added" DEMO-000004 '"issuing_office":"Elsewhere Office"' \
    sqlite3 "$db" "INSERT INTO immigration_requests (booking_id, type, received_at, issuing_office)
     VALUES ($b1, 'notification', '2026-11-01T10:00:00-08:00', 'Elsewhere Office')"
check_ext "a request changed" DEMO-000004 '"issuing_office":"Elsewhere Office Two"' \
    sqlite3 "$db" "UPDATE immigration_requests SET issuing_office = 'Elsewhere Office Two'
     WHERE issuing_office = 'Elsewhere Office'"
check_ext "a decision added" DEMO-000004 '"cache_marker":"d1"' \
    sqlite3 "$db" "INSERT INTO decisions (request_id, version, outcome, ruleset, case_json, decision_json,
       decided_at, decided_by)
     VALUES ($r1, 1, 'review', 'cache-test', '{}', '{\"outcome\":\"review\",\"cache_marker\":\"d1\"}',
       '2026-11-01T10:00:00-08:00', 'cache-test')"

# An import by another process (charges, then convictions, in bulk) shows at once too.
import_quiet() { "$bin" import --db "$db" "$1" > /dev/null; }
pl4=$(sqlite3 "$db" "SELECT p.local_id FROM people p JOIN bookings b ON b.person_id = p.id
                     WHERE b.booking_no = 'DEMO-000004'")
printf 'booking_no,citation,level,status,magistrate_probable_cause\nDEMO-000004,PC 488,misdemeanor,pending,false\n' \
    > "$tmp/charges.csv"
printf 'person_local_id,citation,level,date,court,prop47_reduced,federal_aggravated_felony,jurisdiction\n%s,PC 484,misdemeanor,2001-02-03,Imported Court,,,\n' \
    "$pl4" > "$tmp/convictions.csv"
check_ext "charges imported" DEMO-000004 '"citation":"PC 488"' \
    import_quiet "$tmp/charges.csv"
check_ext "convictions imported" DEMO-000004 '"court":"Imported Court"' \
    import_quiet "$tmp/convictions.csv"

# --- 5. after all that, the cache still serves (hits grow) and still equals the database
h0=$(hits)
same_all "record steady after writes" "$B/api/v1/bookings/DEMO-000001" "$tmp/ref-000001"
h1=$(hits)
[ "$h1" -gt "$h0" ] && ok "cache serves again after writes ($h0 -> $h1 hits)" ||
    bad "cache serves again after writes" "hits $h0 -> $h1"
bytes=$(metric holdcheck_answer_cache_bytes)
[ "$bytes" -gt 0 ] && ok "cache bytes reported ($bytes)" || bad "cache bytes reported" "$bytes"

srv_stop
echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
