#!/bin/sh
# test_mail.sh HOLDCHECK: mail and webhooks leaving the server through libcurl
# (docs/public.md, "Mail").
# - The outbox (--mail-outbox): each email is one .eml file, RFC 5322 headers in CRLF lines,
#   MIME UTF-8 text with the Spanish accents intact, the subject RFC 2047-encoded when it is not
#   ASCII, the confirm link carrying the subscriber's language.
# - No relay and no outbox: serve warns at start, and an email subscription is refused (422,
#   field channel) instead of promising a message that cannot leave.
# - A fake relay (tests/public/sink.py) receives mail via libcurl: STARTTLS required
#   (--smtp-tls starttls) is not given up when the relay does not offer it; with a relay that
#   offers it, the mail arrives over TLS; SMTPS too. The relay's certificate comes from a test
#   CA made here with openssl and trusted with --tls-ca-file.
# - An https webhook to a receiver with a certificate of that CA: refused without the CA,
#   delivered with it.
# - The address actually connected to is checked at delivery: a webhook subscribed while
#   private addresses were allowed is not delivered once they are not.
# Ends with "N passed, M failed"; exits 1 on any failure.
# shellcheck disable=SC2015 # "A && ok || bad": ok always returns 0, so bad runs only when A fails
. "$(dirname "$0")/lib.sh"
command -v openssl > /dev/null || { echo "openssl missing: skipped"; exit 0; }
command -v sqlite3 > /dev/null || { echo "sqlite3 missing: skipped"; exit 0; }

sink=$here/../public/sink.py
sink_pid=""

stop_sink() {
    [ -n "$sink_pid" ] && kill "$sink_pid" 2>/dev/null && wait "$sink_pid" 2>/dev/null
    sink_pid=""
}
trap 'stop_sink; cleanup' EXIT INT TERM

# start_sink KIND DIR [FLAGS...]: one receiver (smtp or webhook) writing into DIR; sets $sport.
start_sink() {
    kind_=$1
    mkdir -p "$2"
    rm -f "$2/smtp.port" "$2/hook.port"
    python3 "$sink" "$@" & sink_pid=$!
    if [ "$kind_" = smtp ]; then f_=smtp.port; else f_=hook.port; fi
    wait_for 10 test -s "$2/$f_" || die "$kind_ sink did not start"
    sport=$(cat "$2/$f_")
}
base_flags="--public-rate 1000 --public-burst 100000 --snapshot-keep-days 0 --public-status-seconds 1
--delivery-retry-seconds 1 --public-base-url http://portal.example.test"
deliveries() { curl -s -H "$AD" "$B/api/v1/deliveries?limit=500" > "$tmp/dl.json"; }
# last_error_of SUBSTRING: some delivery's last error contains it.
error_seen() {
    deliveries && jq -e --arg s "$1" '[.deliveries[] | select((.last_error // "") | contains($s))] | length > 0' "$tmp/dl.json" > /dev/null
}
nmail() { find "$1" -maxdepth 1 -name 'mail-*.eml' | wc -l; }

# --- a test CA and a certificate for 127.0.0.1 it signs
pki=$tmp/pki
mkdir -p "$pki"
{
    openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -days 2 \
        -subj /CN=holdcheck-test-ca -keyout "$pki/ca.key" -out "$pki/ca.pem" &&
    openssl req -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -subj /CN=127.0.0.1 \
        -keyout "$pki/srv.key" -out "$pki/srv.csr" &&
    printf 'subjectAltName=IP:127.0.0.1\n' > "$pki/ext" &&
    openssl x509 -req -in "$pki/srv.csr" -CA "$pki/ca.pem" -CAkey "$pki/ca.key" -CAcreateserial \
        -days 2 -extfile "$pki/ext" -out "$pki/srv.pem"
} > "$tmp/openssl.log" 2>&1 || die "openssl could not make the test CA: $(cat "$tmp/openssl.log")"

# --- the outbox
"$bin" migrate --db "$db" > /dev/null || die "migrate failed"
AD="Authorization: Bearer $(admin_token "$db" m-admin)"
ob=$tmp/outbox
# shellcheck disable=SC2086
srv_start "$db" $base_flags --mail-outbox "$ob"
grep -qF "each one is written to $ob/" "$srv_log" && ok "the banner names the outbox" || bad "banner" "$(cat "$srv_log")"
seed_bookings M 5
publish_all
req "subscribe (es) with an outbox" 202 $A '"status":"pending_confirmation"' -- -H "$J" \
    -d '{"booking_no":"M-1","channel":"email","address":"ana@example.org","lang":"es"}' "$B/api/v1/public/subscriptions"
wait_for 15 sh -c "ls '$ob'/*.eml" && ok "the confirmation is written to the outbox" || bad "outbox" "$(ls -la "$ob" 2>&1)"
set -- "$ob"/*.eml
conf=$1
case ${conf##*/} in [0-9]*T[0-9]*Z-d[0-9]*.eml) ok "named TIME-dID.eml" ;; *) bad "outbox file name" "$conf" ;; esac
[ "$(find "$ob" -name '.*' -type f | wc -l)" = 0 ] && ok "no half-written file left" || bad "temporary files" "$(ls -la "$ob")"
# check_eml FILE SUBJECT BODY-TEXT...: the bytes of one mail, as a mail reader reads them.
check_eml() {
    python3 - "$@" <<'EOF'
import sys
from email import policy
from email.parser import BytesParser
path, subject, *texts = sys.argv[1:]
raw = open(path, "rb").read()
head, sep, body = raw.partition(b"\r\n\r\n")
problems = []
if not sep:
    problems.append("no empty CRLF line between the headers and the body")
if b"\n" in raw.replace(b"\r\n", b""):
    problems.append("a line ends in a bare LF")
try:
    head.decode("ascii")
except UnicodeDecodeError:
    problems.append("a header is not ASCII (RFC 5322)")
if max(len(l) for l in raw.split(b"\r\n")) > 998:
    problems.append("a line longer than 998 bytes")
m = BytesParser(policy=policy.default).parsebytes(raw)
for h in ("From", "To", "Subject", "Date", "Message-ID"):
    if m[h] is None:
        problems.append("no %s header" % h)
if m["MIME-Version"] != "1.0":
    problems.append("MIME-Version is %r" % m["MIME-Version"])
if m.get_content_type() != "text/plain" or m.get_content_charset() != "utf-8":
    problems.append("Content-Type is %r" % m["Content-Type"])
if str(m["Subject"]) != subject:
    problems.append("Subject reads %r, want %r" % (str(m["Subject"]), subject))
text = m.get_content()
for t in texts:
    if t not in text:
        problems.append("the body lacks %r" % t)
if problems:
    print("; ".join(problems))
    sys.exit(1)
EOF
}
out=$(check_eml "$conf" "Confirme los avisos sobre el ingreso M-1" "Alguien pidió enviar a esta dirección" \
    "no se enviará nada más" "Para no recibir más avisos") && ok "confirmation: headers, UTF-8 text" || bad "confirmation bytes" "$out"
grep -q '^To: <ana@example.org>' "$conf" && ok "To" || bad "To" "$(head -3 "$conf")"
grep -q '^Content-Language: es' "$conf" && ok "Content-Language" || bad "Content-Language" "missing"
grep -q 'dirección' "$conf" && ok "the accents are UTF-8 bytes in the file" || bad "UTF-8 bytes" "$(sed -n '/^$/,$p' "$conf" | head -3)"
grep -q '^http://portal.example.test/?confirm=[0-9a-f]\{64\}&lang=es' "$conf" && ok "the confirm link carries the language" ||
    bad "confirm link" "$(grep confirm "$conf")"
grep -q '?unsubscribe=[0-9a-f]\{64\}&lang=es' "$conf" && ok "the unsubscribe link carries the language" || bad "unsubscribe link" "$(grep unsubscribe "$conf")"
tok=$(sed -n 's|.*?confirm=\([0-9a-f]\{64\}\).*|\1|p' "$conf" | head -1)
req "confirm from the outbox mail" 200 $A '"confirmed":true' -- -X POST "$B/api/v1/public/subscriptions/confirm/$tok"
tomorrow=$(date -d '+1 day' +%Y-%m-%d)
req "release date for M-1" 200 $A '' -- -H "$AD" -H "$J" -X PATCH \
    -d "{\"scheduled_release\":\"${tomorrow}T08:00:00-08:00\"}" "$B/api/v1/bookings/M-1"
ev_file() { f_=$(grep -l 'es ahora' "$ob"/*.eml | head -1) && [ -n "$f_" ] && echo "$f_"; }
wait_for 15 ev_file && ok "the event mail is in the outbox" || bad "event mail" "$(ls "$ob")"
ev=$(ev_file)
out=$(check_eml "$ev" "Ingreso M-1: fecha de liberación fijada" "La liberación prevista del ingreso M-1 es ahora") &&
    ok "event: a non-ASCII subject decodes with its accents" || bad "event bytes" "$out"
grep -q '^Subject: =?UTF-8?B?' "$ev" && ok "the subject is an RFC 2047 encoded word" || bad "encoded subject" "$(grep -A1 '^Subject' "$ev")"
deliveries
jq -e '[.deliveries[] | select(.status == "delivered")] | length >= 2' "$tmp/dl.json" > /dev/null &&
    ok "outbox deliveries count as delivered" || bad "delivered" "$(jq -c '[.deliveries[] | [.kind, .status, .last_error]]' "$tmp/dl.json")"
# Every language of the page writes its own mail: Korean and Traditional Chinese, the confirmation
# and a transfer, each with its language in the header and in the links.
for lc in ko zh; do
    case $lc in
    ko) no=M-3 addr=min@example.org csubj="알림 신청 확인: 수감번호 M-3" cbody="확인하려면 이 링크를 열고" \
        tsubj="수감번호 M-3: 이감" tbody="수감번호 M-3 건이 다음 시설로 이감되었습니다: Annex K" ;;
    zh) no=M-4 addr=wen@example.org csubj="請確認通知：收押登記編號 M-4" cbody="如需確認，請開啟此連結" \
        tsubj="收押登記編號 M-4：已轉移" tbody="收押登記編號 M-4 已轉移至 Annex Z（原設施：Main Jail）。" ;;
    esac
    req "subscribe ($lc)" 202 $A '"status":"pending_confirmation"' -- -H "$J" \
        -d "{\"booking_no\":\"$no\",\"channel\":\"email\",\"address\":\"$addr\",\"lang\":\"$lc\"}" \
        "$B/api/v1/public/subscriptions"
    mail_to() { f_=$(grep -l "^To: <$addr>" "$ob"/*.eml | head -1) && [ -n "$f_" ] && echo "$f_"; }
    wait_for 15 mail_to && ok "the $lc confirmation is in the outbox" || bad "$lc confirmation" "$(ls "$ob")"
    conf=$(mail_to)
    out=$(check_eml "$conf" "$csubj" "$cbody") && ok "$lc confirmation: subject and text in $lc" ||
        bad "$lc confirmation" "$out"
    grep -q "^Content-Language: $lc" "$conf" && ok "$lc: Content-Language" || bad "$lc Content-Language" "$(grep Content-Language "$conf")"
    grep -q "?confirm=[0-9a-f]\{64\}&lang=$lc" "$conf" && ok "$lc: the link carries the language" ||
        bad "$lc link" "$(grep confirm= "$conf")"
    tok=$(sed -n 's|.*?confirm=\([0-9a-f]\{64\}\).*|\1|p' "$conf" | head -1)
    req "confirm ($lc)" 200 $A '"confirmed":true' -- -X POST "$B/api/v1/public/subscriptions/confirm/$tok"
    fac="Annex $(echo "$lc" | cut -c1 | tr '[:lower:]' '[:upper:]')"
    req "transfer $no" 200 $A '' -- -H "$AD" -H "$J" -X PATCH -d "{\"facility\":\"$fac\"}" \
        "$B/api/v1/bookings/$no"
    moved() { f_=$(grep -l "^To: <$addr>" "$ob"/*.eml | xargs grep -L 'confirm=' | head -1) && [ -n "$f_" ] && echo "$f_"; }
    wait_for 15 moved && ok "the $lc transfer mail is in the outbox" || bad "$lc transfer mail" "$(ls "$ob")"
    out=$(check_eml "$(moved)" "$tsubj" "$tbody") && ok "$lc transfer: subject and text in $lc" ||
        bad "$lc transfer" "$out"
done
srv_stop

# --- no relay, no outbox: a warning at start, and email subscriptions refused
# shellcheck disable=SC2086
srv_start "$db" $base_flags
grep -q 'no mail can be sent' "$srv_log" && ok "serve warns that no mail can leave" || bad "warning" "$(cat "$srv_log")"
req "email subscription refused" 422 $P '"field":"channel"' -- -H "$J" \
    -d '{"booking_no":"M-2","channel":"email","address":"bo@example.org"}' "$B/api/v1/public/subscriptions"
grep -q 'cannot send email' "$tmp/body" && ok "the refusal says why" || bad "refusal text" "$(cat "$tmp/body")"
srv_stop
# The warning is a warning: shown at log level warn (which prints no banner), not at error.
# shellcheck disable=SC2086
srv_spawn "$tmp/warn.log" "$tmp/warn.log" --db "$db" --listen 127.0.0.1:0 $base_flags --log-level warn
wait_for 10 grep -q 'no mail can be sent' "$tmp/warn.log" && ok "the warning at log level warn" || bad "warning at warn" "$(cat "$tmp/warn.log")"
srv_stop
# shellcheck disable=SC2086
srv_spawn "$tmp/error.log" "$tmp/error.log" --db "$db" --listen 127.0.0.1:0 $base_flags --log-level error
sleep 2
grep -q 'no mail can be sent' "$tmp/error.log" && bad "no warning at log level error" "$(cat "$tmp/error.log")" || ok "no warning at log level error"
srv_stop

# --- settings refused
"$bin" serve --db "$db" --listen 127.0.0.1:0 --smtp-relay 127.0.0.1:25 --mail-outbox "$ob" > "$tmp/o" 2>&1
rc=$?
[ $rc = 2 ] && grep -q 'smtp_relay (from --smtp-relay) and mail_outbox (from --mail-outbox) are both set' "$tmp/o" &&
    ok "a relay and an outbox together are refused" || bad "relay and outbox" "exit $rc: $(cat "$tmp/o")"
"$bin" serve --db "$db" --smtp-tls tls --print-config > "$tmp/o" 2>&1
rc=$?
[ $rc = 2 ] && grep -q "smtp-tls: must be auto, starttls or smtps, not 'tls'" "$tmp/o" &&
    ok "a bad smtp_tls is refused" || bad "smtp_tls" "exit $rc: $(cat "$tmp/o")"

# --- a relay that does not offer STARTTLS when TLS is required
start_sink smtp "$tmp/plain"
# shellcheck disable=SC2086
srv_start "$db" $base_flags --smtp-relay "127.0.0.1:$sport" --smtp-tls starttls --tls-ca-file "$pki/ca.pem"
req "subscribe (relay without STARTTLS)" 202 $A '' -- -H "$J" \
    -d '{"booking_no":"M-2","channel":"email","address":"bo@example.org"}' "$B/api/v1/public/subscriptions"
wait_for 15 error_seen "SSL level failed" && ok "STARTTLS required: not sent in clear" || bad "STARTTLS required" "$(jq -c '[.deliveries[] | .last_error]' "$tmp/dl.json")"
[ "$(nmail "$tmp/plain")" = 0 ] && ok "the plain relay got nothing" || bad "sent in clear" "$(ls "$tmp/plain")"
srv_stop
stop_sink

# tls_relay NAME MODE SINK-FLAG ADDRESS [BOOKING]: a relay speaking TLS (sink.py SINK-FLAG) with
# --smtp-tls MODE gets ADDRESS's mail (subscribed to BOOKING first when given) over TLS.
tls_relay() {
    start_sink smtp "$tmp/$2" "$3" "$pki/srv.pem" "$pki/srv.key"
    # shellcheck disable=SC2086
    srv_start "$db" $base_flags --smtp-relay "127.0.0.1:$sport" --smtp-tls "$2" --tls-ca-file "$pki/ca.pem"
    [ -z "${5:-}" ] || req "subscribe ($1)" 202 $A '' -- -H "$J" \
        -d "{\"booking_no\":\"$5\",\"channel\":\"email\",\"address\":\"$4\"}" "$B/api/v1/public/subscriptions"
    wait_for 20 sh -c "grep -l '$4' '$tmp/$2'/mail-*.eml" && ok "mail through $1" || bad "$1" "$(ls "$tmp/$2")"
    m=$(grep -l "$4" "$tmp/$2"/mail-*.eml 2>/dev/null | head -1)
    [ -n "$m" ] && head -1 "$m" | grep -q 'X-Sink-TLS: yes' && ok "$1: received over TLS" || bad "$1 over TLS" "$(head -2 "$m" 2>&1)"
    srv_stop
    stop_sink
}
# The pending mail of the relay without STARTTLS arrives once the relay offers it.
tls_relay STARTTLS starttls --starttls bo@example.org
tls_relay SMTPS smtps --tls cy@example.org M-3

# --- an https webhook: refused without the test CA, delivered with it
start_sink webhook "$tmp/https" --tls "$pki/srv.pem" "$pki/srv.key"
hook=https://127.0.0.1:$sport/hook
# shellcheck disable=SC2086
srv_start "$db" $base_flags --mail-outbox "$ob" --webhook-allow-private
req "https webhook subscription" 202 $A '"secret":"whsec_' -- -H "$J" \
    -d "{\"booking_no\":\"M-4\",\"channel\":\"webhook\",\"url\":\"$hook\"}" "$B/api/v1/public/subscriptions"
wait_for 15 error_seen "certificate" && ok "an unknown CA is refused" || bad "certificate check" "$(jq -c '[.deliveries[] | .last_error]' "$tmp/dl.json")"
[ -z "$(find "$tmp/https" -name 'hook-*.json')" ] && ok "nothing reached the receiver" || bad "sent without a trusted certificate" "$(ls "$tmp/https")"
srv_stop
# shellcheck disable=SC2086
srv_start "$db" $base_flags --mail-outbox "$ob" --webhook-allow-private --tls-ca-file "$pki/ca.pem"
wait_for 20 sh -c "ls '$tmp/https'/hook-*.json" && ok "delivered with the CA" || bad "https delivery" "$(jq -c '[.deliveries[] | .last_error]' "$tmp/dl.json")"
confirmed() { [ "$(sqlite3 "$db" "SELECT state FROM subscriptions WHERE target LIKE 'https:%'")" = confirmed ]; }
wait_for 10 confirmed && ok "the https receiver's echo confirms" || bad "https confirm" "$(sqlite3 "$db" "SELECT state FROM subscriptions")"
srv_stop
stop_sink

# --- the address check at delivery: a loopback webhook left from a server that allowed it
# shellcheck disable=SC2086
srv_start "$db" $base_flags --mail-outbox "$ob" --webhook-allow-private --delivery-retry-seconds 3600
req "loopback webhook while allowed" 202 $A '' -- -H "$J" \
    -d '{"booking_no":"M-5","channel":"webhook","url":"http://127.0.0.1:9/nobody"}' "$B/api/v1/public/subscriptions"
wait_for 15 error_seen "connect" || true
srv_stop
sqlite3 "$db" "UPDATE deliveries SET next_attempt_at = '2000-01-01T00:00:00Z' WHERE status = 'pending'" 2>/dev/null ||
    bad "requeue" "sqlite3 failed"
# shellcheck disable=SC2086
srv_start "$db" $base_flags --mail-outbox "$ob"
wait_for 15 error_seen "loopback or private" && ok "refused where the socket is opened" ||
    bad "delivery-time check" "$(jq -c '[.deliveries[] | [.kind, .status, .last_error]]' "$tmp/dl.json")"
srv_stop

echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
