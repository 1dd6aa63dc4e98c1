#!/bin/sh
# test_deliver.sh HOLDCHECK: subscriptions end to end, against a local SMTP sink and a local
# webhook receiver (tests/public/sink.py): double opt-in (nothing but the confirmation before
# confirming; email links, webhook challenge echo), the messages (languages, List-Unsubscribe
# and RFC 8058 one-click, event ids, HMAC signatures verified as a receiver must, data limited
# to the published fields), advance notices, then the restart: with both receivers down the
# server queues and retries, is killed (SIGKILL) with deliveries pending, and after the restart
# every delivery arrives exactly once. Also unsubscribing and a webhook answering 410.
# Ends with "N passed, M failed"; exits 1 on any failure.
# shellcheck disable=SC2015 # "A && ok || bad": ok always returns 0, so bad runs only when A fails
. "$(dirname "$0")/../mail/lib.sh"
sink=$here/sink.py
smtp_pid=""
hook_pid=""

stop_sinks() {
    [ -n "$smtp_pid" ] && kill "$smtp_pid" 2>/dev/null && wait "$smtp_pid" 2>/dev/null
    [ -n "$hook_pid" ] && kill "$hook_pid" 2>/dev/null && wait "$hook_pid" 2>/dev/null
    smtp_pid=""
    hook_pid=""
}
trap 'stop_sinks; cleanup' EXIT INT TERM

# start_sinks DIR [HOOK-PORT]: both receivers writing into DIR; sets $smtp_port, $hook_port.
start_sinks() {
    mkdir -p "$1"
    python3 "$sink" smtp "$1" & smtp_pid=$!
    python3 "$sink" webhook "$1" ${2:+"$2"} & hook_pid=$!
    wait_for 10 test -s "$1/smtp.port" || die "smtp sink did not start"
    wait_for 10 test -s "$1/hook.port" || die "webhook receiver did not start"
    smtp_port=$(cat "$1/smtp.port")
    hook_port=$(cat "$1/hook.port")
}
hook_of() { # TYPE: the receiver's file of the first webhook of that type
    for f in "$tmp/s2"/hook-*.json; do
        jq -e --arg t "$1" '.body | fromjson | .type == $t' "$f" > /dev/null 2>&1 && { echo "$f"; return 0; }
    done
    return 1
}
nfiles() { # DIR PREFIX EXT: how many DIR/PREFIX-N.EXT files
    n_=0
    for f_ in "$1/$2"-*."$3"; do
        case ${f_##*/} in "$2"-*[!0-9]*."$3") ;; "$2"-?*."$3") n_=$((n_ + 1)) ;; esac
    done
    echo "$n_"
}
mail_with() { grep -l -- "$2" "$1"/mail-*.eml 2>/dev/null | head -1; }
serve_flags() {
    echo "--smtp-relay 127.0.0.1:$1 --webhook-allow-private --delivery-retry-seconds 1"
    echo "--public-status-seconds 1 --public-base-url http://portal.example.test"
    echo "--public-rate 1000 --public-burst 100000 --snapshot-keep-days 0"
}

"$bin" migrate --db "$db" > /dev/null || die "migrate failed"
AD="Authorization: Bearer $(admin_token "$db" d-admin)"
start_sinks "$tmp/s1"
# shellcheck disable=SC2046
srv_start "$db" $(serve_flags "$smtp_port")

seed_bookings D 3
publish_all
all=$PUBLISH_ALL

# --- subscribe; double opt-in
req "alice (es) on D-1" 202 $A '' -- -H "$J" \
    -d '{"booking_no":"D-1","channel":"email","address":"alice@example.org","lang":"es","advance_days":3}' "$B/api/v1/public/subscriptions"
req "bob on D-2" 202 $A '' -- -H "$J" \
    -d '{"booking_no":"D-2","channel":"email","address":"bob@example.org"}' "$B/api/v1/public/subscriptions"
req "webhook on D-1" 202 $A '"secret":"whsec_' -- -H "$J" \
    -d "{\"booking_no\":\"D-1\",\"channel\":\"webhook\",\"url\":\"http://127.0.0.1:$hook_port/hook?x=1\"}" "$B/api/v1/public/subscriptions"
secret=$(jq -r '.secret | ltrimstr("whsec_")' "$tmp/body")
req "before confirming, a change queues nothing" 200 $A '"deliveries_queued":0' -- -H "$AD" -H "$J" -X PATCH \
    -d '{"facility":"Side Jail"}' "$B/api/v1/bookings/D-2"
wait_for 15 sh -c "[ \$(ls '$tmp/s1' | grep -c '^mail-') -ge 2 ]" && ok "two confirmation emails" || bad "confirmation emails" "$(ls "$tmp/s1")"
wait_for 15 sh -c "[ \$(ls '$tmp/s1' | grep -c '^hook-') -ge 1 ]" && ok "webhook challenge" || bad "webhook challenge" "$(ls "$tmp/s1")"
[ "$(nfiles "$tmp/s1" mail eml)" = 2 ] && ok "only the confirmations were sent" || bad "only confirmations" "$(ls "$tmp/s1")"
ma=$(mail_with "$tmp/s1" 'To: <alice@example.org>')
mb=$(mail_with "$tmp/s1" 'To: <bob@example.org>')
[ -n "$ma" ] && [ -n "$mb" ] && ok "one confirmation each" || bad "one confirmation each" "$(ls "$tmp/s1")"
grep -q '^Subject: Confirme los avisos sobre el ingreso D-1' "$ma" && ok "Spanish confirmation" || bad "Spanish confirmation" "$(head -5 "$ma")"
grep -q '^Subject: Confirm updates about booking D-2' "$mb" && ok "English confirmation" || bad "English confirmation" "$(head -5 "$mb")"
grep -q '^List-Unsubscribe: <http://portal.example.test/api/v1/public/subscriptions/unsubscribe/[0-9a-f]\{64\}>' "$mb" &&
    ok "List-Unsubscribe" || bad "List-Unsubscribe" "$(grep -i unsubscribe "$mb")"
grep -q '^List-Unsubscribe-Post: List-Unsubscribe=One-Click' "$mb" && ok "List-Unsubscribe-Post (RFC 8058)" || bad "one-click header" "missing"
grep -q 'http://portal.example.test/?unsubscribe=' "$mb" && ok "unsubscribe link in the text" || bad "unsubscribe link" "missing"
tok_a=$(sed -n 's|.*?confirm=\([0-9a-f]\{64\}\).*|\1|p' "$ma" | head -1)
tok_b=$(sed -n 's|.*?confirm=\([0-9a-f]\{64\}\).*|\1|p' "$mb" | head -1)
unsub_b=$(sed -n 's|^List-Unsubscribe: <\(.*\)>.*|\1|p' "$mb" | tr -d '\r' | sed 's|http://portal.example.test||')
req "confirm alice" 200 $A '"confirmed":true' -- -X POST "$B/api/v1/public/subscriptions/confirm/$tok_a"
req "confirm bob" 200 $A '"confirmed":true' -- -X POST "$B/api/v1/public/subscriptions/confirm/$tok_b"
req "confirm twice" 200 $A '"confirmed":true' -- -X POST "$B/api/v1/public/subscriptions/confirm/$tok_b"
set -- "$tmp/s1"/hook-*.json
hc=$1
jq -e '.body | fromjson | .type == "subscription.confirm" and (.data.confirm_url | startswith("http://portal.example.test/api/v1/public/subscriptions/confirm/"))' "$hc" > /dev/null &&
    ok "challenge names a confirm_url" || bad "challenge" "$(cat "$hc")"
jq -e '.path == "/hook?x=1"' "$hc" > /dev/null && ok "webhook path and query kept" || bad "webhook path" "$(jq -r .path "$hc")"
python3 "$sink" verify "$secret" "$hc" && ok "challenge signature verifies" || bad "challenge signature" "invalid"

# --- the receivers go down; changes queue deliveries that fail and wait
stop_sinks
tomorrow=$(date -d '+1 day' +%Y-%m-%d)
req "release date for D-1" 200 $A '"deliveries_queued":2' -- -H "$AD" -H "$J" -X PATCH \
    -d "{\"scheduled_release\":\"${tomorrow}T08:00:00-08:00\"}" "$B/api/v1/bookings/D-1"
req "transfer D-1" 200 $A '"deliveries_queued":2' -- -H "$AD" -H "$J" -X PATCH -d '{"facility":"North Annex"}' "$B/api/v1/bookings/D-1"
req "transfer D-2" 200 $A '"deliveries_queued":1' -- -H "$AD" -H "$J" -X PATCH -d '{"facility":"North Annex"}' "$B/api/v1/bookings/D-2"
advance_queued() {
    curl -s -H "$AD" "$B/api/v1/deliveries?limit=500" > "$tmp/dl.json" &&
    [ "$(jq '[.deliveries[] | select(.kind == "advance_notice")] | length' "$tmp/dl.json")" = 2 ]
}
wait_for 15 advance_queued && ok "advance notices queued (release tomorrow, 3 days' notice)" ||
    bad "advance notices" "$(jq -c '[.deliveries[] | [.kind, .status]]' "$tmp/dl.json")"
all_tried() {
    curl -s -H "$AD" "$B/api/v1/deliveries?limit=500" > "$tmp/dl.json" &&
    [ "$(jq '[.deliveries[] | select(.kind != "confirm" and .status == "pending" and .attempts >= 1 and .last_error != null)] | length' "$tmp/dl.json")" = 7 ]
}
wait_for 20 all_tried && ok "7 deliveries pending after failed attempts" ||
    bad "pending deliveries" "$(jq -c '[.deliveries[] | [.id, .kind, .status, .attempts, .last_error]]' "$tmp/dl.json")"
grep -q 'example.org' "$tmp/dl.json" && bad "queue hides addresses" "address listed" || ok "queue hides addresses"
jq -r '[.deliveries[] | select(.kind != "confirm") | "\(.event_id) \(.subscription_id)"] | sort | .[]' "$tmp/dl.json" > "$tmp/expected"
srv_stop KILL
ok "server killed with deliveries pending"

# --- restart: everything arrives, once
start_sinks "$tmp/s2" "$hook_port"
# shellcheck disable=SC2046
srv_start "$db" $(serve_flags "$smtp_port")
all_delivered() {
    curl -s -H "$AD" "$B/api/v1/deliveries?limit=500" > "$tmp/dl.json" &&
    [ "$(jq '[.deliveries[] | select(.kind != "confirm" and .status == "delivered")] | length' "$tmp/dl.json")" = 7 ]
}
wait_for 40 all_delivered && ok "all 7 delivered after the restart" ||
    bad "delivered after restart" "$(jq -c '[.deliveries[] | [.id, .kind, .status, .attempts, .last_error]]' "$tmp/dl.json")"
sleep 2 # a duplicate would arrive now
# What the receivers got: (event id, subscriber) pairs, each exactly once.
: > "$tmp/got"
for m in "$tmp/s2"/mail-*.eml; do
    [ -e "$m" ] || continue
    ev=$(tr -d '\r' < "$m" | sed -n 's/^X-Holdcheck-Event-Id: evt_//p')
    to=$(tr -d '\r' < "$m" | sed -n 's/^To: <\(.*\)>/\1/p')
    echo "$ev $to" >> "$tmp/got"
done
for h in "$tmp/s2"/hook-*.json; do
    [ -e "$h" ] || continue
    echo "$(jq -r '.headers["x-holdcheck-event-id"] | ltrimstr("evt_")' "$h") webhook" >> "$tmp/got"
    if python3 "$sink" verify "$secret" "$h"; then ok "signature verifies: $(basename "$h")"; else bad "signature" "$h"; fi
done
n_got=$(wc -l < "$tmp/got")
n_uniq=$(sort -u "$tmp/got" | wc -l)
[ "$n_got" = 7 ] && ok "7 messages received" || bad "messages received" "$n_got: $(cat "$tmp/got")"
[ "$n_got" = "$n_uniq" ] && ok "no message twice" || bad "duplicates" "$(sort "$tmp/got" | uniq -d)"
[ "$(cut -d' ' -f1 "$tmp/got" | sort -u | wc -l)" = "$(cut -d' ' -f1 "$tmp/expected" | sort -u | wc -l)" ] &&
    ok "every queued event arrived" || bad "events" "got $(cat "$tmp/got"), queued $(cat "$tmp/expected")"
[ "$(grep -c ' alice@example.org$' "$tmp/got")" = 3 ] && ok "alice: release date, transfer, advance notice" || bad "alice" "$(cat "$tmp/got")"
[ "$(grep -c ' bob@example.org$' "$tmp/got")" = 1 ] && ok "bob: transfer" || bad "bob" "$(cat "$tmp/got")"
[ "$(grep -c ' webhook$' "$tmp/got")" = 3 ] && ok "webhook: three events" || bad "webhook" "$(cat "$tmp/got")"
h=$(hook_of advance_notice)
jq -e ".body | fromjson | .data == {\"days_before\":1,\"scheduled_release\":\"$tomorrow\"}" "$h" > /dev/null &&
    ok "advance notice data" || bad "advance notice data" "$(jq -r .body "$h")"
m=$(grep -l 'transferred\|trasladado' "$tmp/s2"/mail-*.eml | xargs grep -l 'alice' | head -1)
grep -q 'fue trasladado a North Annex (desde Main Jail)' "$m" && ok "Spanish transfer message" || bad "Spanish message" "$(tail -5 "$m")"
set -- "$tmp/s2"/hook-*.json
cp "$1" "$tmp/tampered.json"
python3 - "$tmp/tampered.json" <<'EOF'
import json, sys
p = sys.argv[1]
r = json.load(open(p))
r["body"] = r["body"].replace("D-1", "D-9")
json.dump(r, open(p, "w"))
EOF
python3 "$sink" verify "$secret" "$tmp/tampered.json" && bad "tampered body rejected" "verified" || ok "tampered body rejected"

# --- messages tell only what is published now
[ "$(set_policy "booking_no,custody_status" 7)" = 200 ] || bad "narrow policy" "$(cat "$tmp/policy.json")"
req "release D-1" 200 $A '"events":["released"]' -- -H "$AD" -H "$J" -X PATCH \
    -d "{\"status\":\"released\",\"released_at\":\"$(date +%Y-%m-%d)\"}" "$B/api/v1/bookings/D-1"
wait_for 15 hook_of released && ok "released event delivered" || bad "released event" "$(ls "$tmp/s2")"
h=$(hook_of released)
jq -e '.body | fromjson | .data == {"custody_status":"released"}' "$h" > /dev/null &&
    ok "data only of published fields" || bad "data filtered" "$(jq -r .body "$h")"
[ "$(set_policy "$all" 7)" = 200 ] || bad "policy back" "$(cat "$tmp/policy.json")"

# --- one-click unsubscribe (RFC 8058: a form-encoded POST to the List-Unsubscribe URL)
req "one-click unsubscribe" 200 $A '"unsubscribed":true' -- -X POST \
    -H 'Content-Type: application/x-www-form-urlencoded' -d 'List-Unsubscribe=One-Click' "$B$unsub_b"
req "unsubscribe again" 200 $A '"unsubscribed":true' -- -X POST "$B$unsub_b"
req "nothing for bob any more" 200 $A '"deliveries_queued":0' -- -H "$AD" -H "$J" -X PATCH -d '{"facility":"Main Jail"}' "$B/api/v1/bookings/D-2"
req "confirm after unsubscribing" 404 $P '"field":"token"' -- -X POST "$B/api/v1/public/subscriptions/confirm/$tok_b"

# --- a webhook answering 410 Gone is unsubscribed
echo gone > "$tmp/s2/hook.mode"
req "D-3 webhook" 202 $A '' -- -H "$J" \
    -d "{\"booking_no\":\"D-3\",\"channel\":\"webhook\",\"url\":\"http://127.0.0.1:$hook_port/gone\"}" "$B/api/v1/public/subscriptions"
gone_done() {
    curl -s -H "$AD" "$B/api/v1/deliveries?status=failed" | jq -e '[.deliveries[] | select(.last_error == "the receiver answered 410")] | length == 1' > /dev/null
}
wait_for 15 gone_done && ok "410 ends the delivery" || bad "410" "$(curl -s -H "$AD" "$B/api/v1/deliveries")"
if command -v sqlite3 > /dev/null; then
    [ "$(sqlite3 "$db" "SELECT state FROM subscriptions WHERE target LIKE '%/gone'")" = unsubscribed ] &&
        ok "410 unsubscribes" || bad "410 unsubscribes" "$(sqlite3 "$db" "SELECT state FROM subscriptions")"
fi
"$bin" audit verify --db "$db" > /dev/null && ok "audit chain intact" || bad "audit chain" "broken"

srv_stop
stop_sinks
echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
