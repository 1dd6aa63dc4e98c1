#!/bin/sh
# test_cache.sh HOLDCHECK: the shared answer cache (docs/server.md, "The answer cache") over
# HTTP, with two worker threads. A staff record from the cache must be byte for byte what the
# database holds at that moment:
#   - answers with the cache on equal answers with it off, and the cache is really used;
#   - a write through the API shows on the next GET, on every worker;
#   - a write by another process (the sqlite3 shell, as an import would) shows at once;
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
# Records the write did not touch are still right (and cached again).
same_all "untouched record unchanged" "$B/api/v1/bookings/DEMO-000002" "$tmp/ref-000002"

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
