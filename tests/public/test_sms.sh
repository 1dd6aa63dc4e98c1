#!/bin/sh
# test_sms.sh HOLDCHECK: subscriptions by SMS over HTTP, against a fake SMS gateway the test
# starts (tests/public/sink.py webhook: it records every message the server POSTs): numbers
# refused that are not numbers; double opt-in by the code the gateway carried (the same number
# written three ways, wrong codes, the last wrong code ending the pending subscription); a
# release told in Spanish and in Chinese, each in one SMS segment, with the person's name; the
# opt-out words (STOP as JSON, ALTO as a form) on the inbound route, refused without the shared
# secret, each ending every subscription of the number, audited, and answered by one reply in
# the subscriber's language; then the restart: the gateway down, the server killed with an SMS
# delivery pending, and after the restart it arrives exactly once; last, the subscription
# answer and its time for a new number and a number already confirmed. Ends with
# "N passed, M failed"; exits 1 on any failure.
# shellcheck disable=SC2015 # "A && ok || bad": ok always returns 0, so bad runs only when A fails
. "$(dirname "$0")/../mail/lib.sh"
sink=$here/sink.py
gw_pid=""
stop_gw() {
    [ -n "$gw_pid" ] && kill "$gw_pid" 2>/dev/null && wait "$gw_pid" 2>/dev/null
    gw_pid=""
}
trap 'stop_gw; cleanup' EXIT INT TERM
# start_gw DIR [PORT]: the fake gateway writing DIR/hook-N.json; sets $gw_port.
start_gw() {
    mkdir -p "$1"
    python3 "$sink" webhook "$1" ${2:+"$2"} & gw_pid=$!
    wait_for 10 test -s "$1/hook.port" || die "fake gateway did not start"
    gw_port=$(cat "$1/hook.port")
}
SECRET=inbound-s3cret
serve_flags() {
    echo "--sms-gateway-url http://127.0.0.1:$1/send --sms-from +15550109999"
    echo "--sms-auth-header Authorization:_Bearer_gw-token --sms-inbound-secret $SECRET"
    echo "--delivery-retry-seconds 1 --public-status-seconds 1 --snapshot-keep-days 0"
    echo "--public-rate 1000 --public-burst 100000 --mail-outbox $tmp/outbox"
}
# sms_to DIR NUMBER: the texts sent to NUMBER, one a line, in the order received
sms_to() {
    i_=1
    while [ -e "$1/hook-$i_.json" ]; do
        jq -r --arg n "$2" '.body | fromjson | select(.to == $n) | .text' "$1/hook-$i_.json"
        i_=$((i_ + 1))
    done
}
nsms_to() { sms_to "$1" "$2" | grep -c .; }
code_of() { sms_to "$1" "$2" | sed -n 's/.*\([0-9]\{6\}\).*/\1/p' | tail -1; }
# segments TEXT: "UNITS SEGMENTS ENCODING" as a phone counts them (GSM 03.38 or UCS-2)
segments() {
    python3 - "$1" <<'PY'
import sys
t = sys.argv[1]
basic = set("@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà")
ext = set("^{}\\[~]|€\f")
if all(c in basic or c in ext for c in t):
    n = sum(2 if c in ext else 1 for c in t)
    print(n, 1 if n <= 160 else -(-n // 153), "gsm7")
else:
    n = len(t.encode("utf-16-le")) // 2
    print(n, 1 if n <= 70 else -(-n // 67), "ucs2")
PY
}
sub_sms() { # NAME BOOKING PHONE LANG
    req "$1" 202 $A '"status":"pending_confirmation"' -- -H "$J" \
        -d "{\"booking_no\":\"$2\",\"channel\":\"sms\",\"phone\":\"$3\",\"lang\":\"$4\"}" "$S"
}
confirm_code() { # NAME STATUS BOOKING PHONE CODE [PATTERN]
    req "$1" "$2" "" "${6:-}" -- -H "$J" \
        -d "{\"booking_no\":\"$3\",\"phone\":\"$4\",\"code\":\"$5\"}" "$S/confirm-code"
}

"$bin" migrate --db "$db" > /dev/null || die "migrate failed"
AD="Authorization: Bearer $(admin_token "$db" sms-admin)"
# A gateway without the inbound secret: serve warns that STOP cannot reach it.
timeout 2 "$bin" serve --db "$db" --listen 127.0.0.1:0 --sms-gateway-url http://127.0.0.1:9/ \
    > /dev/null 2> "$tmp/warn.err"
grep -q "sms_inbound_secret is not: .* STOP reply cannot end a subscription" "$tmp/warn.err" &&
    ok "serve warns of a gateway without the inbound secret" || bad "no-secret warning" "$(cat "$tmp/warn.err")"
start_gw "$tmp/g1"
# The auth header's spaces are written as '_' above for word splitting; put them back.
# shellcheck disable=SC2046
set -- $(serve_flags "$gw_port")
args=""
for a in "$@"; do args="$args $(printf '%s' "$a" | tr '_' ' ' | sed 's/ /\\ /g')"; done
eval "srv_start \"\$db\" $args"
S=$B/api/v1/public/subscriptions
seed_bookings S 3
publish_all
req "info lists sms" 200 $A '"channels":["email","webhook","sms"]' -- "$B/api/v1/public/info"

# --- a number or nothing
req "letters refused" 400 $P '"field":"phone"' -- -H "$J" \
    -d '{"booking_no":"S-1","channel":"sms","phone":"call me maybe"}' "$S"
req "too short refused" 400 $P '"field":"phone"' -- -H "$J" \
    -d '{"booking_no":"S-1","channel":"sms","phone":"555-0123"}' "$S"
req "sms without phone" 400 $P '"field":"phone"' -- -H "$J" \
    -d '{"booking_no":"S-1","channel":"sms"}' "$S"
req "sms with an address" 400 $P '"field":"address"' -- -H "$J" \
    -d '{"booking_no":"S-1","channel":"sms","phone":"5550100123","address":"a@example.org"}' "$S"
req "a language of the six" 400 $P '"field":"lang"' -- -H "$J" \
    -d '{"booking_no":"S-1","channel":"sms","phone":"5550100123","lang":"fr"}' "$S"

# --- double opt-in by code
sub_sms "es number on S-1" S-1 "(555) 010-0123" es
sub_sms "zh number on S-1" S-1 "555.010.0124" zh
sub_sms "third number on S-2" S-2 "+1 555 010 0125" tl
wait_for 15 sh -c "[ \"\$(ls '$tmp/g1'/hook-*.json 2>/dev/null | wc -l)\" -ge 3 ]" &&
    ok "three codes sent" || bad "codes sent" "$(ls "$tmp/g1")"
f1=$tmp/g1/hook-1.json
jq -e '.headers.authorization == "Bearer gw-token" and (.headers["content-type"] | startswith("application/json"))
       and (.body | fromjson | .from == "+15550109999")' "$f1" > /dev/null &&
    ok "gateway gets the auth header, JSON and the sender" || bad "gateway request" "$(cat "$f1")"
c1=$(code_of "$tmp/g1" +15550100123)
c2=$(code_of "$tmp/g1" +15550100124)
c3=$(code_of "$tmp/g1" +15550100125)
[ -n "$c1" ] && [ -n "$c2" ] && [ -n "$c3" ] && ok "each number got a code" || bad "codes" "'$c1' '$c2' '$c3'"
sms_to "$tmp/g1" +15550100123 | grep -q "^Clave $c1 para recibir avisos del ingreso S-1" &&
    ok "the code message in Spanish" || bad "Spanish code message" "$(sms_to "$tmp/g1" +15550100123)"
other=$(printf '%06d' $(( (1${c1:-0} - 1000000 + 1) % 1000000 )))
confirm_code "a wrong code" 404 S-1 "(555) 010-0123" "$other" '"field":"code"'
confirm_code "a code of letters" 400 S-1 "(555) 010-0123" "12ab56" '"field":"code"'
confirm_code "the right code, the number written otherwise" 200 S-1 "+1 555 010 0123" "$c1" '"confirmed":true'
confirm_code "zh: the right code" 200 S-1 "5550100124" "$c2" '"confirmed":true'
confirm_code "a code for another booking" 404 S-3 "5550100124" "$c2" '"field":"code"'
w3=$(printf '%06d' $(( (1${c3:-0} - 1000000 + 7) % 1000000 )))
for i in 1 2 3 4 5; do confirm_code "wrong code $i of 5" 404 S-2 5550100125 "$w3" '"field":"code"'; done
confirm_code "the right code after five wrong ones: refused" 404 S-2 5550100125 "$c3" '"field":"code"'
[ "$(sqlite3 "$db" "SELECT state || ' ' || code_tries FROM subscriptions WHERE target = '+15550100125'")" = "unsubscribed 5" ] &&
    ok "the pending subscription ended after five wrong codes" ||
    bad "ended after tries" "$(sqlite3 "$db" "SELECT state, code_tries FROM subscriptions WHERE target = '+15550100125'")"

# --- a release, told in Spanish and in Chinese, one segment each
req "release S-1" 200 $A '"events":["released"]' -- -H "$AD" -H "$J" -X PATCH \
    -d "{\"status\":\"released\",\"released_at\":\"$(date +%Y-%m-%d)T08:00:00-08:00\"}" "$B/api/v1/bookings/S-1"
wait_for 15 sh -c "[ \"\$(ls '$tmp/g1'/hook-*.json | wc -l)\" -ge 5 ]" && ok "two release SMS sent" ||
    bad "release SMS" "$(ls "$tmp/g1")"
es=$(sms_to "$tmp/g1" +15550100123 | tail -1)
zh=$(sms_to "$tmp/g1" +15550100124 | tail -1)
case $es in "Ingreso S-1 (Testperson, S1): puesto en libertad el $(date +%Y-%m-%d)."*) ok "es: released, with the name and the local date" ;;
    *) bad "es release text" "$es" ;; esac
case $zh in *"獲釋"*"STOP"*) ok "zh: released" ;; *) bad "zh release text" "$zh" ;; esac
case $zh in *"Testperson, S1"*) ok "zh: the name as published" ;; *) bad "zh name" "$zh" ;; esac
# shellcheck disable=SC2046 # the three words of segments
set -- $(segments "$es")
[ "$2" = 1 ] && ok "es release in one segment ($1 septets, $3)" || bad "es segments" "$*: $es"
# shellcheck disable=SC2046
set -- $(segments "$zh")
[ "$2" = 1 ] && [ "$3" = ucs2 ] && ok "zh release in one segment ($1 UTF-16 units, $3)" || bad "zh segments" "$*: $zh"

# --- opt-out words on the inbound route
IN=$B/api/v1/public/sms/inbound
req "inbound without the secret" 401 $P '' -- -H "$J" -d '{"from":"+15550100124","text":"STOP"}' "$IN"
req "inbound with a wrong secret" 401 $P '' -- -H "X-Holdcheck-Secret: nope" -H "$J" \
    -d '{"from":"+15550100124","text":"STOP"}' "$IN"
req "inbound, not an opt-out word" 200 $A '"stopped":false' -- -H "X-Holdcheck-Secret: $SECRET" -H "$J" \
    -d '{"from":"+15550100124","text":"hello"}' "$IN"
sub_sms "zh number on S-2 too" S-2 "555 010 0124" zh
wait_for 15 sh -c "[ \"\$(ls '$tmp/g1'/hook-*.json | wc -l)\" -ge 6 ]" || bad "second code" "$(ls "$tmp/g1")"
confirm_code "zh number confirms S-2" 200 S-2 5550100124 "$(code_of "$tmp/g1" +15550100124)" '"confirmed":true'
req "STOP (JSON, spaces, lower case) ends both" 200 $A '"stopped":true,"subscriptions":2' -- \
    -H "Authorization: Bearer $SECRET" -H "$J" -d '{"from":"+1 555 010 0124","text":" stop "}' "$IN"
req "ALTO (a form) ends the es number's" 200 $A '"stopped":true,"subscriptions":1' -- \
    -H "X-Holdcheck-Secret: $SECRET" -H 'Content-Type: application/x-www-form-urlencoded' \
    -d 'From=%2B15550100123&Body=Alto' "$IN"
wait_for 15 sh -c "[ \"\$(ls '$tmp/g1'/hook-*.json | wc -l)\" -ge 8 ]" && ok "two replies sent" || bad "replies" "$(ls "$tmp/g1")"
[ "$(sms_to "$tmp/g1" +15550100124 | tail -1)" = "您已退訂，此號碼不會再收到通知。" ] && ok "one reply, in Chinese" ||
    bad "zh reply" "$(sms_to "$tmp/g1" +15550100124)"
[ "$(sms_to "$tmp/g1" +15550100123 | tail -1)" = "Sus avisos por SMS quedan cancelados." ] && ok "one reply, in Spanish" ||
    bad "es reply" "$(sms_to "$tmp/g1" +15550100123)"
[ "$(sqlite3 "$db" "SELECT count(*) FROM subscriptions WHERE channel = 'sms' AND state = 'confirmed'")" = 0 ] &&
    ok "no SMS subscription left" || bad "left" "$(sqlite3 "$db" "SELECT target, state FROM subscriptions")"
[ "$(sqlite3 "$db" "SELECT group_concat(json_extract(payload, '\$.word') || json_extract(payload, '\$.subscriptions'), ' ') FROM audit_log WHERE action = 'subscription.stop'")" = "STOP2 ALTO1" ] &&
    ok "each opt-out audited" || bad "audit" "$(sqlite3 "$db" "SELECT payload FROM audit_log WHERE action = 'subscription.stop'")"
sqlite3 "$db" "SELECT payload FROM audit_log WHERE action LIKE 'subscription.%'" | grep -q '555' &&
    bad "audit holds no number" "a number in the audit log" || ok "audit holds no number"
req "after STOP, a transfer queues nothing" 200 $A '"deliveries_queued":0' -- -H "$AD" -H "$J" -X PATCH \
    -d '{"facility":"North Annex"}' "$B/api/v1/bookings/S-2"

# --- restart with an SMS delivery pending: exactly once
sub_sms "restart number on S-3" S-3 5550100126 en
wait_for 15 sh -c "[ -n \"\$(ls '$tmp/g1'/hook-*.json | xargs grep -l 5550100126)\" ]" || bad "restart code" ""
confirm_code "restart number confirms" 200 S-3 5550100126 "$(code_of "$tmp/g1" +15550100126)" '"confirmed":true'
stop_gw
req "transfer S-3 with the gateway down" 200 $A '"deliveries_queued":1' -- -H "$AD" -H "$J" -X PATCH \
    -d '{"facility":"North Annex"}' "$B/api/v1/bookings/S-3"
tried() {
    curl -s -H "$AD" "$B/api/v1/deliveries?limit=500" > "$tmp/dl.json" &&
    jq -e '[.deliveries[] | select(.channel == "sms" and .kind == "transferred" and .status == "pending" and .attempts >= 1)] | length == 1' "$tmp/dl.json" > /dev/null
}
wait_for 20 tried && ok "the SMS waits, retried with backoff" || bad "pending" "$(cat "$tmp/dl.json")"
srv_stop KILL
ok "server killed with the SMS pending"
start_gw "$tmp/g2" "$gw_port"
eval "srv_start \"\$db\" $args"
S=$B/api/v1/public/subscriptions
wait_for 30 sh -c "[ -n \"\$(ls '$tmp/g2'/hook-*.json 2>/dev/null)\" ]" && ok "sent after the restart" || bad "after restart" "$(ls "$tmp/g2")"
sleep 3 # a duplicate would arrive now
[ "$(nsms_to "$tmp/g2" +15550100126)" = 1 ] && ok "exactly once" || bad "exactly once" "$(sms_to "$tmp/g2" +15550100126)"
sms_to "$tmp/g2" +15550100126 | grep -q "Booking S-3 (Testperson, S3) was moved to North Annex from Main Jail" &&
    ok "the English transfer text" || bad "transfer text" "$(sms_to "$tmp/g2" +15550100126)"

# --- a number holds at most 20 live subscriptions (SUBSCRIBE_PER_TARGET), as an address does
i=1
while [ $i -le 21 ]; do
    curl -s -o /dev/null -H "$AD" -H "$J" -d "{\"booking_no\":\"L-$i\",\"booked_at\":\"2024-05-01\",
      \"facility\":\"Main Jail\",\"person\":{\"name\":\"Limitperson, L$i\",\"local_id\":\"LP-$i\"}}" "$B/api/v1/bookings"
    curl -s -o "$tmp/lim.body" -w '%{http_code}\n' -H "$J" \
        -d "{\"booking_no\":\"L-$i\",\"channel\":\"sms\",\"phone\":\"555 030 0000\"}" "$S" >> "$tmp/lim"
    i=$((i + 1))
done
[ "$(sort -u "$tmp/lim")" = 202 ] && ok "21 requests for one number, each answered 202" || bad "limit answers" "$(sort "$tmp/lim" | uniq -c)"
[ "$(sqlite3 "$db" "SELECT count(*) FROM subscriptions WHERE target = '+15550300000'")|$(sqlite3 "$db" "SELECT count(*) FROM audit_log WHERE action = 'subscription.refused'")" = "20|1" ] &&
    ok "20 written, the 21st refused in the audit log only" ||
    bad "per-number limit" "$(sqlite3 "$db" "SELECT count(*) FROM subscriptions WHERE target = '+15550300000'")"

# --- the answer and its time do not tell a confirmed number from a new one
n=30
: > "$tmp/new"
: > "$tmp/known"
i=0
one() { # PHONE OUT: the status and time on stdout
    curl -s -o "$2" -w '%{http_code} %{time_total}\n' -H "$J" \
        -d "{\"booking_no\":\"S-3\",\"channel\":\"sms\",\"phone\":\"$1\"}" "$S"
}
while [ $i -lt $n ]; do
    one "555 020 $(printf '%04d' $i)" "$tmp/new.body" >> "$tmp/new"
    one "555 010 0126" "$tmp/known.body" >> "$tmp/known"
    i=$((i + 1))
done
[ "$(cut -d' ' -f1 "$tmp/new" "$tmp/known" | sort -u)" = 202 ] && ok "every answer 202" || bad "answers" "$(sort -u "$tmp/new" "$tmp/known" | head)"
cmp -s "$tmp/new.body" "$tmp/known.body" && ok "the same body for a new and a confirmed number" ||
    bad "bodies" "$(cat "$tmp/new.body") / $(cat "$tmp/known.body")"
med() { cut -d' ' -f2 "$1" | sort -n | awk '{a[NR] = $1 * 1000} END {printf "%.2f", a[int((NR + 1) / 2)]}'; }
m1=$(med "$tmp/new")
m2=$(med "$tmp/known")
awk -v a="$m1" -v b="$m2" 'BEGIN {exit !(a < 3 * b && b < 3 * a)}' &&
    ok "medians within 3 times ($m1 ms new, $m2 ms confirmed)" || bad "timing" "$m1 ms new, $m2 ms confirmed"
"$bin" audit verify --db "$db" > /dev/null && ok "audit chain intact" || bad "audit chain" "broken"

srv_stop
stop_gw
echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
