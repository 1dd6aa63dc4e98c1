#!/bin/sh
# test_snapshot_apart.sh HOLDCHECK: a custody notice never waits for the day's bulk export.
# On a county of 300,000 bookings (bench/server/gen-db.sh) writing the snapshot takes seconds;
# a transfer of a subscribed booking made while it is being written is in the outbox before the
# snapshot is done (the snapshot has a thread of its own: src/app/deliver.c), and the lookups
# answer meanwhile. Ends with "N passed, M failed"; exits 1 on any failure.
# shellcheck disable=SC2015 # "A && ok || bad": ok always returns 0, so bad runs only when A fails
set -u
bin=${1:-build/holdcheck}
here=$(dirname "$0")
. "$here/../http/lib.sh"
. "$here/common.sh"
db=$tmp/t.db
ob=$tmp/outbox
snaps=$tmp/snaps

sh "$here/../../bench/server/gen-db.sh" "$bin" "$db" 300000 5000 > "$tmp/gen.log" 2>&1 ||
    die "gen-db failed: $(tail -3 "$tmp/gen.log")"
AD="Authorization: Bearer $(admin_token "$db" s-admin)"
# Two bookings in custody: one subscribed to, one whose change makes the snapshot stale.
two=$(sqlite3 "$db" "SELECT booking_no FROM bookings WHERE status = 'in_custody' ORDER BY id LIMIT 2")
sub=$(echo "$two" | sed -n 1p) other=$(echo "$two" | sed -n 2p)
[ -n "$other" ] || die "no two bookings in custody"
srv_start "$db" --public-rate 1000 --public-burst 100000 --public-status-seconds 1 \
    --snapshot-dir "$snaps" --export-refresh-seconds 1 --mail-outbox "$ob" \
    --public-base-url http://portal.example.test
publish_all
snapshots_done() { grep -c 'snapshot [0-9-]*: [0-9]* records' "$srv_log"; }
wait_for 120 sh -c "[ \$(grep -c 'snapshot [0-9-]*: [0-9]* records' '$srv_log') -ge 1 ]" &&
    ok "the first snapshot is written" || bad "first snapshot" "$(tail -5 "$srv_log")"

req "subscribe to $sub" 202 "$A" '' -- -H "$J" \
    -d "{\"booking_no\":\"$sub\",\"channel\":\"email\",\"address\":\"kin@example.org\"}" \
    "$B/api/v1/public/subscriptions"
wait_for 15 sh -c "ls '$ob'/*.eml" && ok "the confirmation is in the outbox" || bad "confirmation" "$(ls -la "$ob" 2>&1)"
set -- "$ob"/*.eml
tok=$(sed -n 's|.*?confirm=\([0-9a-f]\{64\}\).*|\1|p' "$1" | head -1)
req "confirm" 200 "$A" '"confirmed":true' -- -X POST "$B/api/v1/public/subscriptions/confirm/$tok"

# A change makes today's snapshot stale: it is written again within a few seconds.
req "move $other" 200 "$A" '' -- -H "$AD" -H "$J" -X PATCH -d '{"facility":"Annex One"}' \
    "$B/api/v1/bookings/$other"
set -- "$snaps"/*.jsonl
day=$(basename "$1" .jsonl)
writing() { [ -e "$snaps/.$day.jsonl.tmp" ]; }
wait_for 30 writing && ok "the snapshot is being written again" || bad "second snapshot" "$(ls -la "$snaps")"
before=$(snapshots_done)
req "transfer $sub while it is" 200 "$A" '"deliveries_queued":1' -- -H "$AD" -H "$J" -X PATCH \
    -d '{"facility":"Annex Two"}' "$B/api/v1/bookings/$sub"
notice() { grep -l "^Subject: .*$sub" "$ob"/*.eml | grep -v "^$1\$" | grep -q .; }
wait_for 60 notice "$1" && ok "the transfer notice is in the outbox" || bad "transfer notice" "$(ls "$ob")"
after=$(snapshots_done)
[ "$after" = "$before" ] && writing && ok "before the snapshot was done" ||
    bad "the notice waited for the snapshot" "snapshots done: $before before the notice, $after after"
code=$(curl -s -o /dev/null -w '%{http_code}' -H "$AD" "$B/api/v1/bookings/$sub")
[ "$code" = 200 ] && ok "a lookup answers while the snapshot is written" || bad "lookup" "$code"
wait_for 120 sh -c "[ \$(grep -c 'snapshot [0-9-]*: [0-9]* records' '$srv_log') -gt $before ]" &&
    ok "the snapshot is then written" || bad "second snapshot written" "$(tail -5 "$srv_log")"
srv_stop TERM

echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
