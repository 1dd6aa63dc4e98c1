#!/bin/sh
# test_feed_cache.sh HOLDCHECK: what the server's answer cache (docs/server.md, "The answer
# cache") keeps across the custody feed and bulk imports by another process. A staff record
# the cache holds must be forgotten when a feed's delta changes its booking, and when an import
# adds charges to it; the records of bookings nothing changed stay cached. A bulk import run
# that creates bookings and their charges with no server open marks only the bookings that
# existed before it (docs/import.md, "Bulk mode"): a new booking has nothing cached; with a
# server open it marks every booking it gave charges to, since the server may have read the new
# bookings between the run's two files. Ends with "N passed, M failed".
# shellcheck disable=SC2015 # "A && ok || bad": ok always returns 0, so bad runs only when A fails
set -u
bin=${1:-build/holdcheck}
# shellcheck source=../http/lib.sh
. "$(dirname "$0")/../http/lib.sh"

db=$tmp/c.db
{ "$bin" migrate --db "$db" && "$bin" demo --db "$db" --bookings 40 --seed 5; } > /dev/null ||
    die "the demo database was not made"
"$bin" user add --db "$db" feed-cache-admin --role admin > "$tmp/user" || die "user add failed"
auth="Authorization: Bearer $(sed -n 's/^token: //p' "$tmp/user")"
H="booking_no,person_local_id,booked_at,facility,status,scheduled_release,released_at,release_reason"

metric() {
    curl -s -H "$auth" "$B/metrics" | awk -v k="$1" '$1 == k { print $2; f = 1 } END { if (!f) print 0 }'
}
misses() { metric 'holdcheck_answer_cache_lookups_total{kind="staff",result="miss"}'; }
get() { curl -s -H "$auth" -o "$2" "$B/api/v1/bookings/$1"; }
# The row of booking $1 as the feed reads it, with facility $2.
row() {
    sqlite3 -csv "$db" "SELECT b.booking_no, p.local_id, b.booked_at, '$2', b.status,
        b.scheduled_release, b.released_at, b.release_reason
        FROM bookings b JOIN people p ON p.id = b.person_id WHERE b.booking_no = '$1'"
}
in_custody=$(sqlite3 "$db" "SELECT booking_no FROM bookings WHERE status = 'in_custody' ORDER BY id")
x=$(echo "$in_custody" | sed -n 1p)
y=$(echo "$in_custody" | sed -n 2p)
[ -n "$x" ] && [ -n "$y" ] || die "the demo has no two bookings in custody"

srv_start "$db" --threads 1
# --- a delta by another process: the changed booking is forgotten, the other stays cached
get "$x" "$tmp/x0"
get "$y" "$tmp/y0"
get "$y" "$tmp/y0"
grep -qF '"booking_no"' "$tmp/x0" || die "no record of $x: $(head -c 200 "$tmp/x0")"
{ echo "$H"; row "$x" "Feed Cache Annex"; } > "$tmp/delta.csv"
"$bin" import --db "$db" --upsert "$tmp/delta.csv" > "$tmp/out" 2>&1 || die "delta failed: $(cat "$tmp/out")"
grep -q "1 changed" "$tmp/out" || bad "the delta changes one booking" "$(cat "$tmp/out")"
get "$x" "$tmp/x1"
grep -qF '"facility":"Feed Cache Annex"' "$tmp/x1" && ok "a delta's change shows at once" ||
    bad "a delta's change shows at once" "$(head -c 300 "$tmp/x1")"
m0=$(misses)
get "$y" "$tmp/y1"
m1=$(misses)
cmp -s "$tmp/y0" "$tmp/y1" && [ "$m1" -eq "$m0" ] && ok "a booking the delta left alone stays cached" ||
    bad "a booking the delta left alone stays cached" "misses $m0 -> $m1"

# --- bookings, then charges, in two runs while the server runs: the new booking was read
# between them, and its charges show.
get "$y" "$tmp/y2"
printf '%s\nFC-1,%s,2026-11-20T08:00:00Z,Main Jail,in_custody,,,\n' "$H" \
    "$(sqlite3 "$db" "SELECT p.local_id FROM people p JOIN bookings b ON b.person_id = p.id WHERE b.booking_no = '$y'")" \
    > "$tmp/b1.csv"
"$bin" import --db "$db" "$tmp/b1.csv" > "$tmp/out" 2>&1 || die "bookings import failed: $(cat "$tmp/out")"
get FC-1 "$tmp/n0"
grep -qF '"booking_no":"FC-1"' "$tmp/n0" || die "no record of FC-1: $(head -c 200 "$tmp/n0")"
printf 'booking_no,citation,level,status,magistrate_probable_cause\nFC-1,PC 459,felony,pending,false\n%s,PC 488,misdemeanor,pending,false\n' \
    "$y" > "$tmp/c1.csv"
"$bin" import --db "$db" "$tmp/c1.csv" > "$tmp/out" 2>&1 || die "charges import failed: $(cat "$tmp/out")"
get FC-1 "$tmp/n1"
grep -qF '"citation":"PC 459"' "$tmp/n1" && ok "charges of a booking read since its import show" ||
    bad "charges of a booking read since its import show" "$(head -c 300 "$tmp/n1")"
get "$y" "$tmp/y3"
grep -qF '"citation":"PC 488"' "$tmp/y3" && ok "charges imported for an existing booking show" ||
    bad "charges imported for an existing booking show" "$(head -c 300 "$tmp/y3")"

# --- one run of bookings and charges while the server runs: every charged booking is marked
printf '%s\nFC-2,%s,2026-11-21T08:00:00Z,Main Jail,in_custody,,,\n' "$H" \
    "$(sqlite3 "$db" "SELECT local_id FROM people ORDER BY id LIMIT 1")" > "$tmp/b2.csv"
printf 'booking_no,citation,level,status,magistrate_probable_cause\nFC-2,PC 459,felony,pending,false\n' \
    > "$tmp/c2.csv"
"$bin" import --db "$db" "$tmp/b2.csv" "$tmp/c2.csv" > "$tmp/out" 2>&1 || die "run failed: $(cat "$tmp/out")"
n=$(sqlite3 "$db" "SELECT count(*) FROM record_marks c JOIN bookings b ON b.id = c.booking_id
    WHERE b.booking_no = 'FC-2'")
[ "$n" = 1 ] && ok "with a server open, a run marks the bookings it created and charged" ||
    bad "with a server open, a run marks the bookings it created and charged" "$n marks"
srv_stop

# --- the same with no server open: only the booking that existed before is marked
printf '%s\nFC-3,%s,2026-11-22T08:00:00Z,Main Jail,in_custody,,,\n' "$H" \
    "$(sqlite3 "$db" "SELECT local_id FROM people ORDER BY id LIMIT 1")" > "$tmp/b3.csv"
printf 'booking_no,citation,level,status,magistrate_probable_cause\nFC-3,PC 459,felony,pending,false\n%s,PC 211,felony,pending,false\n' \
    "$x" > "$tmp/c3.csv"
seq0=$(sqlite3 "$db" "SELECT ifnull(max(seq), 0) FROM record_marks")
"$bin" import --db "$db" "$tmp/b3.csv" "$tmp/c3.csv" > "$tmp/out" 2>&1 || die "run failed: $(cat "$tmp/out")"
marked=$(sqlite3 "$db" "SELECT group_concat(b.booking_no) FROM record_marks c
    JOIN bookings b ON b.id = c.booking_id WHERE c.seq > $seq0")
[ "$marked" = "$x" ] && ok "alone, a run marks only the booking that existed before it" ||
    bad "alone, a run marks only the booking that existed before it" "marked: $marked"
srv_start "$db" --threads 1
get "$x" "$tmp/x2"
grep -qF '"citation":"PC 211"' "$tmp/x2" && get FC-3 "$tmp/n3" && grep -qF '"citation":"PC 459"' "$tmp/n3" &&
    ok "the run's charges show on both bookings" || bad "the run's charges show on both bookings" "$(head -c 300 "$tmp/x2")"
srv_stop

# --- a re-booking over POST /api/v1/feed: "rebooked" once, on the person's earlier booking, to
# its subscribers of "released", and never again: not for the same push retried after a
# restart under another key, nor for the same row in a file.
"$bin" user add --db "$db" feed-cache-clerk --role clerk > "$tmp/clerk" || die "user add failed"
CL="Authorization: Bearer $(sed -n 's/^token: //p' "$tmp/clerk")"
py=$(sqlite3 "$db" "SELECT p.local_id FROM people p JOIN bookings b ON b.person_id = p.id WHERE b.booking_no = '$y'")
printf '{"booking_no":"FC-RB","person_local_id":"%s","booked_at":"2026-11-25T08:00:00Z","facility":"Main Jail","status":"in_custody"}\n' \
    "$py" > "$tmp/rb.jsonl"
# The subscriber follows the person's newest booking, which the event is raised on.
newest=$(sqlite3 "$db" "SELECT b.booking_no FROM bookings b JOIN people p ON p.id = b.person_id
    WHERE p.local_id = '$py' ORDER BY b.id DESC LIMIT 1")
now=$(date -u +%Y-%m-%dT%H:%M:%SZ)
sqlite3 "$db" "INSERT OR IGNORE INTO public_policy (id) VALUES (1); UPDATE public_policy SET fields = 1023;
    INSERT INTO subscriptions (booking_id, channel, target, events, confirm_token, unsubscribe_token,
      state, created_at, confirmed_at)
    SELECT id, 'webhook', 'http://127.0.0.1:9/hook', 1, 'rb-confirm', 'rb-unsub', 'confirmed', '$now', '$now'
    FROM bookings WHERE booking_no = '$newest'" || die "subscription failed"
rebooked() {
    sqlite3 "$db" "SELECT count(*) || ' ' || ifnull(group_concat(b.booking_no), '') || ' ' ||
        (SELECT count(*) FROM deliveries d JOIN public_events x ON x.id = d.event_id WHERE x.kind = 'rebooked')
        FROM public_events e JOIN bookings b ON b.id = e.booking_id
        WHERE e.kind = 'rebooked' AND e.dedupe = 'rebooked/FC-RB'"
}
srv_start "$db" --threads 1
req "rebooked: the push is applied" 200 '' '"created":1' -- -H "$CL" \
    -H 'Content-Type: application/x-ndjson' -H "Idempotency-Key: rb-1" --data-binary "@$tmp/rb.jsonl" "$B/api/v1/feed"
got=$(rebooked)
[ "$got" = "1 $newest 1" ] && ok "rebooked: one event on the earlier booking, delivered to its subscriber" ||
    bad "rebooked: one event on the earlier booking, delivered to its subscriber" "got '$got', want '1 $newest 1'"
srv_stop
srv_start "$db" --threads 1
req "rebooked: after a restart the same row under another key creates nothing" 200 '' '"created":0' -- -H "$CL" \
    -H 'Content-Type: application/x-ndjson' -H "Idempotency-Key: rb-2" --data-binary "@$tmp/rb.jsonl" "$B/api/v1/feed"
srv_stop
"$bin" import --db "$db" --upsert "$tmp/rb.jsonl" > "$tmp/out" 2>&1 || bad "rebooked: the file applies" "$(cat "$tmp/out")"
got=$(rebooked)
[ "$got" = "1 $newest 1" ] && ok "rebooked: still exactly once after a restart and the same row in a file" ||
    bad "rebooked: still exactly once after a restart and the same row in a file" "got '$got'"
keys=$(sqlite3 "$db" "SELECT group_concat(key) FROM (SELECT j.key FROM public_events e, json_each(e.data) j
    WHERE e.dedupe = 'rebooked/FC-RB' ORDER BY j.key)")
[ "$keys" = "booked_on,booking_no,custody_status" ] && ok "rebooked: the event tells custody facts only" ||
    bad "rebooked: the event tells custody facts only" "keys: $keys"

echo "feed cache: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
