#!/bin/sh
# test_feed.sh HOLDCHECK: POST /api/v1/feed, the custody feed pushed over HTTP (docs/import.md,
# "The custody feed"): JSON Lines with an Idempotency-Key; a retried push is applied once and
# answered byte for byte as the first; the same key with another body is refused naming the
# header; a push with a contradicting row writes nothing and lists the row's line and field;
# the roles that may change a booking may push, the auditor may not; the events a push raises
# reach a subscriber exactly once, and after a restart nothing is delivered again; the public
# "data last changed" line follows the push. Ends with "N passed, M failed".
# shellcheck disable=SC2015 # "A && ok || bad": ok always returns 0, so bad runs only when A fails
set -u
command -v python3 > /dev/null || { echo "python3 missing (the mail sink needs it): skipped"; exit 0; }
bin=${1:-build/holdcheck}
here=$(dirname "$0")
# shellcheck source=lib.sh
. "$here/lib.sh"
# shellcheck source=../public/common.sh
. "$here/../public/common.sh"

A=application/json
P=application/problem+json
NL='Content-Type: application/x-ndjson'
J='Content-Type: application/json'
db=$tmp/t.db
smtp_pid=""
trap '[ -n "$smtp_pid" ] && kill "$smtp_pid" 2>/dev/null; cleanup' EXIT INT TERM

"$bin" migrate --db "$db" > /dev/null || die "migrate failed"
AD="Authorization: Bearer $(admin_token "$db" f-admin)"
for r in clerk supervisor auditor; do
    "$bin" user add --db "$db" "f-$r" --role "$r" > "$tmp/user-$r" || die "user add $r failed"
done
tok() { echo "Authorization: Bearer $(sed -n 's/^token: //p' "$tmp/user-$1")"; }
CL=$(tok clerk)
SU=$(tok supervisor)
AU=$(tok auditor)
q() { sqlite3 "$db" "$1"; }

mkdir -p "$tmp/s"
python3 "$here/../public/sink.py" smtp "$tmp/s" & smtp_pid=$!
wait_for 10 test -s "$tmp/s/smtp.port" || die "smtp sink did not start"
flags="--smtp-relay 127.0.0.1:$(cat "$tmp/s/smtp.port") --delivery-retry-seconds 1 --public-status-seconds 1"
flags="$flags --public-base-url http://portal.example.test --public-rate 1000 --public-burst 100000"
# shellcheck disable=SC2086
srv_start "$db" $flags

# push NAME STATUS PATTERN AUTH KEY FILE: POST FILE as JSON Lines under KEY ("" for none).
push() {
    name=$1 want=$2 pat=$3 auth=$4 key=$5 file=$6
    if [ -n "$key" ]; then
        req "$name" "$want" '' "$pat" -- -H "$auth" -H "$NL" -H "Idempotency-Key: $key" --data-binary "@$file" "$B/api/v1/feed"
    else
        req "$name" "$want" '' "$pat" -- -H "$auth" -H "$NL" --data-binary "@$file" "$B/api/v1/feed"
    fi
}

# --- a snapshot pushed: people, then bookings -------------------------------------------------
cat > "$tmp/people.jsonl" <<'EOF'
{"local_id":"HP-1","name":"Pushperson, Alpha","date_of_birth":"1991-01-02"}
{"local_id":"HP-2","name":"Pushperson, Bravo"}
EOF
cat > "$tmp/bookings.jsonl" <<'EOF'
{"booking_no":"H-1","person_local_id":"HP-1","booked_at":"2026-01-02T08:00:00Z","facility":"Main Jail","status":"in_custody"}
{"booking_no":"H-2","person_local_id":"HP-2","booked_at":"2026-01-03T08:00:00Z","facility":"Main Jail","status":"in_custody"}
EOF
push "people pushed" 200 '"created":2' "$CL" snap-people "$tmp/people.jsonl"
push "bookings pushed" 200 '"kind":"bookings","created":2,"changed":0,"unchanged":0' "$CL" snap-bookings "$tmp/bookings.jsonl"

# --- a subscriber to H-1 (policy: everything published)
all="booking_no,name,booking_date,charges,bail,next_court_date,facility,custody_status,scheduled_release,recently_released"
[ "$(set_policy "$all" 7)" = 200 ] && ok "publish all" || bad "publish all" "$(cat "$tmp/policy.json")"
req "subscribe to H-1" 202 $A '' -- -H "$J" \
    -d '{"booking_no":"H-1","channel":"email","address":"watcher@example.org"}' "$B/api/v1/public/subscriptions"
ctok=$(q "SELECT confirm_token FROM subscriptions WHERE state = 'pending' LIMIT 1")
req "confirm" 200 $A '"confirmed":true' -- -X POST "$B/api/v1/public/subscriptions/confirm/$ctok"
wait_for 15 sh -c "ls '$tmp/s' | grep -q '^mail-'" && ok "confirmation mailed" || bad "confirmation" "$(ls "$tmp/s")"

# --- a delta with a key: H-1 released, H-2 transferred
today=$(date -u +%Y-%m-%d)
cat > "$tmp/delta.jsonl" <<EOF
{"booking_no":"H-1","person_local_id":"HP-1","booked_at":"2026-01-02T08:00:00Z","facility":"Main Jail","status":"released","released_at":"${today}T00:00:00Z","release_reason":"time served"}
{"booking_no":"H-2","person_local_id":"HP-2","booked_at":"2026-01-03T08:00:00Z","facility":"East Annex","status":"in_custody"}
EOF
audit0=$(q "SELECT count(*) FROM audit_log")
push "delta pushed" 200 '"created":0,"changed":2,"unchanged":0,"rebooked":0,"events":2,"deliveries_queued":1' "$CL" delta-1 "$tmp/delta.jsonl"
cp "$tmp/body" "$tmp/first.json"
hdr_lacks_replay=$(tr -d '\r' < "$tmp/hdr" | grep -ci '^idempotent-replayed:')
[ "$hdr_lacks_replay" = 0 ] && ok "the first answer is not a replay" || bad "first answer" "replay header"
check_events() { [ "$(q "SELECT group_concat(kind, ',') FROM (SELECT kind FROM public_events WHERE kind <> 'confirm' ORDER BY id)")" = "$1" ]; }
check_events "released,transferred" && ok "one event each" || bad "events" "$(q "SELECT kind FROM public_events")"
audit1=$(q "SELECT count(*) FROM audit_log")
[ "$audit1" -gt "$audit0" ] && ok "the push is audited" || bad "audited" "$audit0 -> $audit1"

# --- the retry: applied once, answered as the first
push "retry with the same key" 200 '' "$CL" delta-1 "$tmp/delta.jsonl"
cmp -s "$tmp/body" "$tmp/first.json" && ok "retry answered byte for byte as the first" || bad "retry answer" "$(cat "$tmp/body")"
tr -d '\r' < "$tmp/hdr" | grep -qi '^idempotent-replayed: true' && ok "retry marked as a replay" || bad "replay header" "missing"
check_events "released,transferred" && ok "retry raises no event" || bad "retry events" "$(q "SELECT kind FROM public_events")"
[ "$(q "SELECT count(*) FROM audit_log")" = "$audit1" ] && ok "retry writes no audit entry" || bad "retry audit" "grew"
push "a retry by another writer role is the same push" 200 '"changed":2' "$SU" delta-1 "$tmp/delta.jsonl"
# The same rows under a new key: applied, and nothing changes.
push "same rows, new key" 200 '"created":0,"changed":0,"unchanged":2' "$CL" delta-2 "$tmp/delta.jsonl"
check_events "released,transferred" && ok "same rows again raise no event" || bad "events again" "$(q "SELECT kind FROM public_events")"

# --- the key's rules
printf '%s\n' '{"booking_no":"H-2","person_local_id":"HP-2","booked_at":"2026-01-03T08:00:00Z","facility":"West Annex","status":"in_custody"}' > "$tmp/other.jsonl"
push "same key, another body: 409" 409 '"field":"Idempotency-Key"' "$CL" delta-1 "$tmp/other.jsonl"
[ "$(q "SELECT facility FROM bookings WHERE booking_no = 'H-2'")" = "East Annex" ] && ok "409 applied nothing" || bad "409 applied" "facility changed"
push "no key: 400" 400 '"field":"Idempotency-Key"' "$CL" "" "$tmp/other.jsonl"
req "JSON content type: 415" 415 $P '' -- -H "$CL" -H "$J" -H "Idempotency-Key: x-1" --data-binary "@$tmp/other.jsonl" "$B/api/v1/feed"
push "the auditor may not push: 403" 403 '' "$AU" aud-1 "$tmp/other.jsonl"
req "anonymous: 401" 401 $P '' -- -H "$NL" -H "Idempotency-Key: anon-1" --data-binary "@$tmp/other.jsonl" "$B/api/v1/feed"

# --- a push with a contradicting row: nothing of it, its line and field named, the key unused
cat > "$tmp/bad.jsonl" <<'EOF'
{"booking_no":"H-2","person_local_id":"HP-2","booked_at":"2026-01-03T08:00:00Z","facility":"West Annex","status":"in_custody"}

{"booking_no":"H-1","person_local_id":"HP-1","booked_at":"2026-01-02T08:00:00Z","facility":"Main Jail","status":"in_custody"}
{"booking_no":"H-3","person_local_id":"HP-2","booked_at":"2026-01-09T08:00:00Z","facility":"Main Jail","status":"released","released_at":"2026-01-08T08:00:00Z"}
EOF
push "contradicting rows: 422" 422 '' "$CL" bad-1 "$tmp/bad.jsonl"
jq -e '.errors | map("\(.line):\(.field)") == ["3:status","4:released_at"]' "$tmp/body" > /dev/null &&
    ok "422 names each row's line and field" || bad "422 errors" "$(cat "$tmp/body")"
[ "$(q "SELECT facility FROM bookings WHERE booking_no = 'H-2'")" = "East Annex" ] && ok "422 applied nothing" || bad "422 applied" "facility changed"
[ "$(q "SELECT count(*) FROM feed_keys WHERE key = 'bad-1'")" = 0 ] && ok "422 keeps no key" || bad "422 key" "kept"
push "the good rows under the refused push's key" 200 '"changed":1' "$CL" bad-1 "$tmp/other.jsonl"

# --- the status line follows the push
req "status names the new facility" 200 $A '"facility":"West Annex"' -- "$B/api/v1/public/status"

# --- the subscriber hears of H-1's release once, and not again after a restart
released_mails() { grep -l 'H-1' "$tmp/s"/mail-*.eml 2>/dev/null | xargs grep -li 'released' 2>/dev/null | wc -l; }
wait_for 20 sh -c "[ \$(grep -l 'H-1' '$tmp/s'/mail-*.eml | xargs grep -li released | wc -l) -ge 1 ]" &&
    ok "the release is mailed" || bad "release mailed" "$(ls "$tmp/s")"
sleep 2 # a duplicate would arrive now
[ "$(released_mails)" = 1 ] && ok "mailed once" || bad "mailed once" "$(released_mails)"
events_before=$(q "SELECT count(*) FROM public_events")
srv_stop TERM
# shellcheck disable=SC2086
srv_start "$db" $flags
sleep 3 # the delivery thread has run: anything left to send would be sent now
[ "$(released_mails)" = 1 ] && ok "nothing delivered again after the restart" || bad "after restart" "$(released_mails) release mails"
[ "$(q "SELECT count(*) FROM public_events")" = "$events_before" ] && ok "no event raised again after the restart" || bad "events after restart" "grew"
[ "$(q "SELECT count(*) FROM deliveries d JOIN public_events e ON e.id = d.event_id WHERE e.kind = 'released'")" = 1 ] &&
    ok "one delivery of the release" || bad "deliveries" "$(q "SELECT * FROM deliveries")"
push "a retry after the restart is still the same push" 200 '"changed":2' "$CL" delta-1 "$tmp/delta.jsonl"
cmp -s "$tmp/body" "$tmp/first.json" && ok "answered as before the restart" || bad "answer after restart" "$(cat "$tmp/body")"
srv_stop TERM
"$bin" audit verify --db "$db" > /dev/null && ok "audit verify" || bad "audit verify" "failed"

echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
