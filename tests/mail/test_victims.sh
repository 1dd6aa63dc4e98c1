#!/bin/sh
# test_victims.sh HOLDCHECK: victim notification apart from the public feed (docs/public.md,
# "Victim notification"; Penal Code 646.92, 679.03). Expectations come from the issue and the
# statute, not from what the code prints:
# - with release dates NOT published (the policy publishes booking number, name, facility and
#   custody status only), a victim registered by a clerk for a booking gets the release notice
#   in the mail outbox, in Spanish, with the date and time, although no public answer shows it;
# - the booking released by the feed while the server is down (the notice pending at start):
#   the notice arrives once, and once only after a further restart;
# - an escape (release reason) reaches the registered designee before any public subscriber's
#   mail (a relay that numbers mails in the order received), with a subject that says escape;
# - a registration that follows the person: the re-booking raised by the feed, and the release
#   of the new booking by PATCH, reach the designee;
# - the registrant's name and address: in no public route, export, snapshot, page file, CLI
#   export, audit entry or server log line; hidden from the auditor, shown to the clerk; every
#   registration, change, removal and notice in the audit chain; reads in the read-access log;
# - bad input named by field; SMS refused until it exists; a removed registration gets nothing.
# Ends with "N passed, M failed"; exits 1 on any failure.
# shellcheck disable=SC2015 # "A && ok || bad": ok always returns 0, so bad runs only when A fails
. "$(dirname "$0")/lib.sh"
command -v sqlite3 > /dev/null || { echo "sqlite3 missing: skipped"; exit 0; }

relay_pid=""
stop_relay() {
    [ -n "$relay_pid" ] && kill "$relay_pid" 2>/dev/null && wait "$relay_pid" 2>/dev/null
    relay_pid=""
}
trap 'stop_relay; cleanup' EXIT INT TERM

flags="--public-rate 1000 --public-burst 100000 --public-status-seconds 1 --delivery-retry-seconds 1
--public-base-url http://portal.example.test --snapshot-dir $tmp/snap --export-refresh-seconds 1"
NAME1="Sentinel Victimname" ADDR1="victim.sentinel@example.org"
NAME2="Sentinel Designeename" ADDR2="designee.sentinel@example.org"
q() { sqlite3 "$db" "$1"; }
# mails_to DIR ADDRESS: the files in DIR addressed to ADDRESS.
mails_to() { grep -l "^To: <$2>" "$1"/*.eml 2>/dev/null; }
count_to() { mails_to "$1" "$2" | wc -l | tr -d ' '; }
# subject_of FILE: the decoded Subject.
subject_of() {
    python3 -c 'import sys; from email import policy; from email.parser import BytesParser
print(BytesParser(policy=policy.default).parsebytes(open(sys.argv[1], "rb").read())["Subject"])' "$1"
}
# body_of FILE: the decoded text.
body_of() {
    python3 -c 'import sys; from email import policy; from email.parser import BytesParser
print(BytesParser(policy=policy.default).parsebytes(open(sys.argv[1], "rb").read()).get_content())' "$1"
}
# confirm ADDRESS: confirm the public subscription whose confirmation went to ADDRESS.
confirm() {
    wait_for 15 mails_to "$ob" "$1" || { bad "confirmation for $1" "none in the outbox"; return; }
    t_=$(sed -n 's|.*?confirm=\([0-9a-f]\{64\}\).*|\1|p' "$(mails_to "$ob" "$1" | head -1)" | head -1)
    req "confirm $1" 200 $A '"confirmed":true' -- -X POST "$B/api/v1/public/subscriptions/confirm/$t_"
}
subscribe() { # BOOKING ADDRESS
    req "public subscription $2 to $1" 202 $A '' -- -H "$J" \
        -d "{\"booking_no\":\"$1\",\"channel\":\"email\",\"address\":\"$2\"}" "$B/api/v1/public/subscriptions"
}
# feed_import LINE: one bookings row (CSV) applied by the feed with the server stopped.
feed_import() {
    printf 'booking_no,person_local_id,booked_at,facility,status,scheduled_release,released_at,release_reason\n%s\n' "$1" > "$tmp/feed.csv"
    "$bin" import --db "$db" --upsert --kind bookings "$tmp/feed.csv" > "$tmp/import.log" 2>&1 &&
        ok "feed: $1" || bad "feed: $1" "$(cat "$tmp/import.log")"
}

"$bin" migrate --db "$db" > /dev/null || die "migrate failed"
AD="Authorization: Bearer $(admin_token "$db" v-admin)"
CL="Authorization: Bearer $("$bin" user add --db "$db" v-clerk --role clerk | sed -n 's/^token: //p')"
AU="Authorization: Bearer $("$bin" user add --db "$db" v-auditor --role auditor | sed -n 's/^token: //p')"
ob=$tmp/outbox
# shellcheck disable=SC2086
srv_start "$db" $flags --mail-outbox "$ob"
seed_bookings V 3

# --- release dates are not published
[ "$(set_policy "booking_no,name,facility,custody_status" 7)" = 200 ] && ok "policy without release dates" ||
    bad "policy" "$(cat "$tmp/policy.json")"
req "release dates not public" 200 $A '' -- -H "$AD" "$B/api/v1/agency/settings"
jq_is "release_dates_public is false" .release_dates_public false
subscribe V-1 pub1@example.org
for s in a b c; do subscribe V-2 "pub$s@example.org"; done
for s in 1 a b c; do confirm "pub$s@example.org"; done
# The day's snapshot while V-1 is listed, kept: by the end every V booking is released and no
# public output lists one, so this copy is what shows the outputs read carry published names.
wait_for 15 sh -c "cat '$tmp'/snap/*.csv | grep -q 'Testperson, V1'" &&
    cat "$tmp"/snap/*.csv > "$tmp/listed.csv" && ok "the day's snapshot lists V-1" ||
    bad "snapshot" "$(cat "$tmp/snap"/*.csv 2>&1)"

# --- registrations: input, roles, audit
req "clerk registers a victim" 201 $A "\"name\":\"$NAME1\"" -- -H "$CL" -H "$J" \
    -d "{\"booking_no\":\"V-1\",\"name\":\"$NAME1\",\"address\":\"$ADDR1\",\"lang\":\"es\"}" "$B/api/v1/victims"
jq_is "the registration's fields" '[.id, .booking_no, .relation, .channel, .lang, .state, .follows_person] | join(" ")' \
    "1 V-1 victim email es active false"
req "clerk registers a designee who follows the person" 201 $A '"follows_person":true' -- -H "$CL" -H "$J" \
    -d "{\"booking_no\":\"V-2\",\"name\":\"$NAME2\",\"address\":\"$ADDR2\",\"relation\":\"designee\",\"lang\":\"vi\",\"follows_person\":true}" "$B/api/v1/victims"
"$bin" victim add --db "$db" --booking V-3 --name "Removed Person" --address removed.sentinel@example.org > "$tmp/cli.out" 2>&1 &&
    grep -q '^registration 3: booking V-3$' "$tmp/cli.out" && ok "cli: a third, to be removed" || bad "cli add" "$(cat "$tmp/cli.out")"
"$bin" victim add --db "$db" --booking V-3 --name X --address x@example.org --lang fr > "$tmp/cli.out" 2>&1
[ $? = 1 ] && grep -q -- '--lang: expected en, es, zh, tl, vi or ko' "$tmp/cli.out" && ok "cli: a bad value named by its option" ||
    bad "cli bad value" "$(cat "$tmp/cli.out")"
"$bin" victim list --db "$db" --booking V-3 > "$tmp/cli.out" 2>&1 && grep -q '^3	V-3	active	victim	email	en	no	Removed Person	removed.sentinel@example.org$' "$tmp/cli.out" &&
    ok "cli: list" || bad "cli list" "$(cat "$tmp/cli.out")"
[ "$(q "SELECT query FROM read_log WHERE route = 'holdcheck victim list'")" = booking=V-3 ] && ok "cli: the list is a logged read" ||
    bad "cli read log" "$(q "SELECT * FROM read_log WHERE route LIKE 'holdcheck%'")"
req "sms not yet" 422 $P '"field":"channel"' -- -H "$CL" -H "$J" \
    -d '{"booking_no":"V-1","name":"X","address":"x@example.org","channel":"sms"}' "$B/api/v1/victims"
req "bad language" 400 $P '"field":"lang"' -- -H "$CL" -H "$J" \
    -d '{"booking_no":"V-1","name":"X","address":"x@example.org","lang":"fr"}' "$B/api/v1/victims"
req "bad address" 400 $P '"field":"address"' -- -H "$CL" -H "$J" \
    -d '{"booking_no":"V-1","name":"X","address":"not an address"}' "$B/api/v1/victims"
req "unknown booking" 404 $P '"field":"booking_no"' -- -H "$CL" -H "$J" \
    -d '{"booking_no":"V-99","name":"X","address":"x@example.org"}' "$B/api/v1/victims"
req "name required" 400 $P '"field":"name"' -- -H "$CL" -H "$J" \
    -d '{"booking_no":"V-1","address":"x@example.org"}' "$B/api/v1/victims"
req "change the designee's language" 200 $A '"lang":"en"' -- -H "$CL" -H "$J" -X PATCH -d '{"lang":"en"}' "$B/api/v1/victims/2"
req "a registration keeps its booking" 400 $P '"field":"booking_no"' -- -H "$CL" -H "$J" -X PATCH -d '{"booking_no":"V-1"}' "$B/api/v1/victims/2"
req "clerk sees names and addresses" 200 $A "$ADDR1" -- -H "$CL" "$B/api/v1/victims"
req "auditor sees registrations" 200 $A '"contact_withheld":true' -- -H "$AU" "$B/api/v1/victims"
jq_is "auditor sees all three" '.registrations | length' 3
grep -q 'Sentinel\|sentinel@' "$tmp/body" && bad "auditor sees no name or address" "$(cat "$tmp/body")" ||
    ok "auditor sees no name or address"
req "auditor reads one" 200 $A '"contact_withheld":true' -- -H "$AU" "$B/api/v1/victims/1"
grep -q 'Sentinel\|sentinel@' "$tmp/body" && bad "auditor's one without contact" "$(cat "$tmp/body")" || ok "auditor's one without contact"
req "auditor may not register" 403 $P '' -- -H "$AU" -H "$J" \
    -d '{"booking_no":"V-1","name":"X","address":"x@example.org"}' "$B/api/v1/victims"
req "no one unauthenticated" 401 $P '' -- "$B/api/v1/victims"
wait_for 5 sh -c "[ \$(sqlite3 '$db' \"SELECT count(*) FROM read_log WHERE kind = 'victim' AND method = 'GET'\") -ge 3 ]" &&
    ok "reads of registrations in the read-access log" || bad "read log" "$(q "SELECT route, kind, object FROM read_log")"
[ "$(q "SELECT user_name || ' ' || object FROM read_log WHERE route = '/api/v1/victims/{id}'")" = "v-auditor 1" ] &&
    ok "the read names the reader and the registration" || bad "read log entry" "$(q "SELECT * FROM read_log WHERE route = '/api/v1/victims/{id}'")"
[ "$(q "SELECT group_concat(action, ' ') FROM (SELECT action FROM audit_log WHERE action LIKE 'victim.%' ORDER BY seq)")" = \
    "victim.register victim.register victim.register victim.change" ] &&
    ok "registrations, change and removal audited" || bad "audit" "$(q "SELECT action FROM audit_log WHERE action LIKE 'victim.%'")"
srv_stop

# --- a release by the feed while the server is down: the notice waits, then arrives once
feed_import "V-1,VP-1,2024-05-01,Main Jail,released,,2026-12-01T10:00:00-08:00,bail posted"
feed_import "V-3,VP-3,2024-05-03,Main Jail,released,,2026-12-01T11:00:00-08:00,bail posted"
"$bin" victim remove --db "$db" --id 3 > "$tmp/cli.out" 2>&1 && grep -q '^registration 3: removed$' "$tmp/cli.out" &&
    ok "cli: remove the third after its notice was queued" || bad "cli remove" "$(cat "$tmp/cli.out")"
[ "$(q "SELECT count(*) FROM victim_notices WHERE status = 'pending'")" = 2 ] && ok "notices pending before the start" ||
    bad "notices pending" "$(q 'SELECT * FROM victim_notices')"
# shellcheck disable=SC2086
srv_start "$db" $flags --mail-outbox "$ob"
wait_for 15 mails_to "$ob" "$ADDR1" && ok "the victim's notice is in the outbox" || bad "victim notice" "$(ls "$ob")"
wait_for 15 mails_to "$ob" pub1@example.org >/dev/null && [ "$(count_to "$ob" pub1@example.org)" -ge 2 ] &&
    ok "the public subscriber hears of the release too" || bad "public mail" "$(ls "$ob")"
vm=$(mails_to "$ob" "$ADDR1" | head -1)
pm=$(mails_to "$ob" pub1@example.org | xargs grep -l 'was released' | head -1)
# One thread writes the outbox in the order it sends, each file flushed before the next.
[ -n "$pm" ] && python3 -c 'import os, sys; sys.exit(0 if os.stat(sys.argv[1]).st_mtime_ns <= os.stat(sys.argv[2]).st_mtime_ns else 1)' "$vm" "$pm" &&
    ok "in the outbox the victim's notice comes before the public subscriber's mail" || bad "outbox order" "victim $vm, public $pm"
[ "$(subject_of "$vm")" = "Aviso de custodia: puesta en libertad (V-1)" ] && ok "Spanish subject" || bad "subject" "$(subject_of "$vm")"
body_of "$vm" > "$tmp/vbody"
grep -qF "Testperson, V1 (ingreso V-1) fue puesto en libertad el 2026-12-01 10:00 (UTC-08:00)." "$tmp/vbody" &&
    ok "the notice names the person and tells the date and time" || bad "body" "$(cat "$tmp/vbody")"
grep -qF "646.92" "$tmp/vbody" && grep -qF "confidencial" "$tmp/vbody" && ok "the notice says why and that it is confidential" ||
    bad "closing" "$(cat "$tmp/vbody")"
grep -q '^Content-Language: es' "$vm" && ok "Content-Language es" || bad "Content-Language" "$(head -12 "$vm")"
grep -q 'List-Unsubscribe\|unsubscribe=' "$vm" && bad "no public unsubscribe link" "$(cat "$vm")" || ok "no public unsubscribe link"
[ "$(count_to "$ob" removed.sentinel@example.org)" = 0 ] && ok "a removed registration gets nothing" || bad "removed" "$(ls "$ob")"
wait_for 10 sh -c "[ \"\$(sqlite3 '$db' \"SELECT status FROM victim_notices WHERE registration_id = 3\")\" = cancelled ]" &&
    ok "its notice is cancelled" || bad "cancelled" "$(q 'SELECT * FROM victim_notices')"
srv_stop
# shellcheck disable=SC2086
srv_start "$db" $flags --mail-outbox "$ob"
sleep 3
[ "$(count_to "$ob" "$ADDR1")" = 1 ] && ok "exactly once, after a restart too" || bad "once" "$(count_to "$ob" "$ADDR1") mails"
srv_stop
[ "$(q "SELECT group_concat(action, ' ') FROM (SELECT action FROM audit_log WHERE action LIKE 'victim.%' AND seq > (SELECT max(seq) FROM audit_log WHERE action = 'victim.change') ORDER BY seq)")" = \
    "victim.notice victim.notice victim.remove victim.notice.delivered victim.notice.cancelled" ] &&
    ok "each notice and its outcome audited" || bad "notice audit" "$(q "SELECT action, payload FROM audit_log WHERE action LIKE 'victim.notice%'")"

# --- an escape: the designee's mail before any public subscriber's (the relay numbers mails)
mkdir -p "$tmp/relay"
python3 "$here/../public/sink.py" smtp "$tmp/relay" & relay_pid=$!
wait_for 10 test -s "$tmp/relay/smtp.port" || die "relay did not start"
feed_import "V-2,VP-2,2024-05-02,Main Jail,released,,2026-12-02T03:15:00Z,escaped during transport"
# shellcheck disable=SC2086
srv_start "$db" $flags --smtp-relay "127.0.0.1:$(cat "$tmp/relay/smtp.port")"
wait_for 20 test -s "$tmp/relay/mail-4.eml" && ok "four mails relayed" || bad "relayed" "$(ls "$tmp/relay")"
grep -q "^To: <$ADDR2>" "$tmp/relay/mail-1.eml" && ok "the designee's notice first" ||
    bad "order" "$(grep -h '^To:' "$tmp/relay"/mail-*.eml | tr '\n' ' ')"
[ "$(subject_of "$tmp/relay/mail-1.eml")" = "URGENT custody notice: escape (V-2)" ] && ok "an escape is told as one" ||
    bad "escape subject" "$(subject_of "$tmp/relay/mail-1.eml")"
body_of "$tmp/relay/mail-1.eml" > "$tmp/vbody"
grep -qF "Testperson, V2 (booking V-2) escaped from custody on 2026-12-02 03:15 (UTC). If you are in danger, call 911." "$tmp/vbody" &&
    ok "English text (the language changed from vi to en)" || bad "escape body" "$(cat "$tmp/vbody")"

# --- following the person: a re-booking by the feed, then its release by PATCH
req "re-booking by the feed" 200 $A '' -- -H "$AD" -H 'Content-Type: application/x-ndjson' -H "Idempotency-Key: v-rebook" \
    --data-binary '{"booking_no":"V-4","person_local_id":"VP-2","booked_at":"2026-12-03","facility":"Main Jail","status":"in_custody"}' "$B/api/v1/feed"
wait_for 15 sh -c "grep -l 'Custody notice: booked again' '$tmp/relay'/mail-*.eml" && ok "the designee hears of the re-booking" ||
    bad "rebooked notice" "$(grep -h '^Subject:' "$tmp/relay"/mail-*.eml)"
grep -h -A2 'was booked into custody again' "$tmp/relay"/mail-*.eml | grep -q 'V-4' && ok "it names the new booking" ||
    bad "new booking" "$(cat "$(grep -l 'booked again' "$tmp/relay"/mail-*.eml | head -1)")"
req "release of the new booking by PATCH" 200 $A '' -- -H "$AD" -H "$J" -X PATCH \
    -d '{"status":"released","released_at":"2026-12-04T09:00:00-08:00","release_reason":"court order"}' "$B/api/v1/bookings/V-4"
wait_for 15 sh -c "grep -l 'Custody notice: release (V-4)' '$tmp/relay'/mail-*.eml" &&
    ok "the designee hears of the release of the new booking" || bad "follows the person" "$(grep -h '^Subject:' "$tmp/relay"/mail-*.eml)"
req "the registration lists its notices" 200 $A '"kind":"escaped"' -- -H "$CL" "$B/api/v1/victims/2"
jq_is "three notices, delivered" '[.notices[] | .status] | join(" ")' "delivered delivered delivered"

# --- nothing of the registrants in any public output
wait_for 15 export_ready || bad "export ready" "503"
: > "$tmp/public"
for path in /api/v1/public/info /api/v1/public/status "/api/v1/public/inmates?name=Testperson" \
    /api/v1/public/inmates/V-1 /api/v1/public/inmates/V-2 /api/v1/public/inmates/V-4 \
    /api/v1/public/export.csv /api/v1/public/export.jsonl /api/v1/public/snapshots / /index.html; do
    curl -s "$B$path" >> "$tmp/public"
done
for f in $(jq -r '.snapshots[]? | .csv, .jsonl' "$tmp/public" 2>/dev/null); do curl -s "$B$f" >> "$tmp/public"; done
for f in $(cd web/public && find . -type f ! -name '.*' | sed 's|^\./||'); do curl -s "$B/$f" >> "$tmp/public"; done
cat "$tmp/snap"/* "$tmp/listed.csv" >> "$tmp/public" 2>/dev/null
"$bin" public-export --db "$db" --format csv >> "$tmp/public" 2>&1
grep -q 'Testperson, V1' "$tmp/public" && ok "public outputs read (they show the published names)" || bad "public outputs" "no names: $(head -c 300 "$tmp/public")"
grep -qi 'sentinel\|Removed Person' "$tmp/public" && bad "no registrant in any public output" "$(grep -io '.\{40\}sentinel.\{20\}' "$tmp/public" | head -3)" ||
    ok "no registrant in any public output"
req "audit log" 200 $A '' -- -H "$AU" "$B/api/v1/audit?limit=500"
grep -qi 'sentinel\|Removed Person' "$tmp/body" && bad "no registrant in the audit log" "$(grep -io '.\{40\}sentinel.\{20\}' "$tmp/body" | head -3)" ||
    ok "no registrant in the audit log"
srv_stop
stop_relay
grep -qi 'sentinel' "$srv_log" && bad "no registrant in the server's log" "$(grep -i sentinel "$srv_log" | head -3)" ||
    ok "no registrant in the server's log"
echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
