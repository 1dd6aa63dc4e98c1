#!/bin/sh
# test_api.sh HOLDCHECK: start `HOLDCHECK serve` on 127.0.0.1 (a free port) over a fresh
# database, exercise the first slice's routes with curl (happy paths and every kind of bad
# input), check the server keeps serving, and stop it. Every request carries an admin's bearer
# token (roles and authentication are tested in test_roles.sh). Ends with "N passed, M failed";
# exits 1 on any failure.
# shellcheck disable=SC2015 # "A && ok || bad": ok always returns 0, so bad runs only when A fails
set -u
bin=${1:-build/holdcheck}
. "$(dirname "$0")/lib.sh"

hdr_has() { # NAME HEADER-LINE (case-insensitive, of the last response)
    if tr -d '\r' < "$tmp/hdr" | grep -qi -- "^$2\$"; then ok "$1"; else bad "$1" "no '$2'"; fi
}

J='Content-Type: application/json'
P=application/problem+json
A=application/json

"$bin" migrate --db "$tmp/t.db" > /dev/null || die "migrate failed"
"$bin" user add --db "$tmp/t.db" api-admin --role admin > "$tmp/user" || die "user add failed"
token=$(sed -n 's/^token: //p' "$tmp/user")
req_auth="Authorization: Bearer $token"
srv_start "$tmp/t.db"

# --- health and headers
req healthz 200 $A '"status":"ok"' -- "$B/healthz"
hdr_has "healthz nosniff" 'x-content-type-options: nosniff'
hdr_has "healthz no-store" 'cache-control: no-store'
hdr_has "healthz csp" "content-security-policy: default-src 'none'; frame-ancestors 'none'"

# --- decide: the same answer as the CLI
case1='{"id":"t1","as_of":"2018-06-01","request":{"type":"hold","form":"I-247A"},"person":{"convictions":[]}}'
req "decide hold" 200 $A '"outcome":"prohibited"' -- -H "$J" -d "$case1" "$B/api/v1/decide"
printf '%s\n' "$case1" | "$bin" decide > "$tmp/cli.json"
if [ "$(cat "$tmp/body")" = "$(cat "$tmp/cli.json")" ]; then ok "decide equals CLI"; else
    bad "decide equals CLI" "http and cli differ"; fi
case2='{"as_of":"2024-05-01","request":{"type":"notification"},"person":{"convictions":[{"citation":"PC 245(a)(1)","level":"felony","date":"2015-03-02"}]}}'
req "decide notification" 200 $A '"outcome":"permitted"' -- -H "$J" -d "$case2" "$B/api/v1/decide"
req "decide malformed" 400 $P '"status":400' -- -H "$J" -d '{"as_of":' "$B/api/v1/decide"
req "decide unknown field" 400 $P '"field":"colour"' -- -H "$J" \
    -d '{"as_of":"2024-05-01","colour":1,"request":{"type":"hold"},"person":{"convictions":[]}}' "$B/api/v1/decide"
req "decide wrong type" 400 $P '"field":"as_of"' -- -H "$J" \
    -d '{"as_of":5,"request":{"type":"hold"},"person":{"convictions":[]}}' "$B/api/v1/decide"
req "decide bad request type" 400 $P '"field":"request.type"' -- -H "$J" \
    -d '{"as_of":"2024-05-01","request":{"type":"tea"},"person":{"convictions":[]}}' "$B/api/v1/decide"
req "decide two values" 400 $P '' -- -H "$J" -d "$case1 $case1" "$B/api/v1/decide"
req "decide empty" 400 $P '' -- -H "$J" -X POST "$B/api/v1/decide"
req "decide before 2014" 422 $P '"field":"as_of"' -- -H "$J" \
    -d '{"as_of":"2013-06-01","request":{"type":"hold"},"person":{"convictions":[]}}' "$B/api/v1/decide"
head -c 1048577 /dev/zero | tr '\0' ' ' > "$tmp/big"
req "decide oversized" 413 $P '"status":413' -- -H "$J" --data-binary "@$tmp/big" "$B/api/v1/decide"
req "decide oversized chunked" 413 $P '"status":413' -- -H "$J" -H 'Transfer-Encoding: chunked' \
    --data-binary "@$tmp/big" "$B/api/v1/decide"
# Issue 15: HTTP/2 cleartext is off, so no client can reach limits that differ from HTTP/1.1's
# (over h2c an oversized body got REFUSED_STREAM, not 413). A prior-knowledge connection is
# not spoken to in HTTP/2; an Upgrade: h2c request is answered in HTTP/1.1, and an oversized
# body sent that way still gets 413.
v=$(curl -s -o /dev/null -w '%{http_version}' --max-time 10 --http2-prior-knowledge "$B/healthz")
if [ "$v" != 2 ]; then ok "h2c prior knowledge refused"; else bad "h2c prior knowledge refused" "answered over HTTP/$v"; fi
v=$(curl -s -o /dev/null -w '%{http_version} %{http_code}' --max-time 10 --http2 "$B/healthz")
if [ "$v" = "1.1 200" ]; then ok "h2c upgrade not taken"; else bad "h2c upgrade not taken" "got '$v', want '1.1 200'"; fi
req "decide oversized, h2c upgrade asked" 413 $P '"status":413' -- --http2 -H "$J" --data-binary "@$tmp/big" "$B/api/v1/decide"
req "decide not json" 415 $P '' -- -H 'Content-Type: text/plain' -d "$case1" "$B/api/v1/decide"
req "decide form post" 415 $P '' -- -d "$case1" "$B/api/v1/decide"
req "decide GET" 405 $P '' -- "$B/api/v1/decide"
hdr_has "decide GET allow" 'allow: POST'

# --- bookings
bk='{"booking_no":"T-0001","booked_at":"2024-04-30T22:10:00-07:00","facility":"Test Jail",
 "person":{"name":"Testperson, Alpha","date_of_birth":"1990-02-03","local_id":"TP-1","registrant_290":false,
  "convictions":[{"citation":"PC 245(a)(1)","level":"felony","date":"2015-03-02","court":"Test Court"},
                 {"citation":"PC 484","level":"misdemeanor","date":"2021-07-01","prop47_reduced":false}]},
 "charges":[{"citation":"PC 211","level":"felony","status":"pending","magistrate_probable_cause":true},
            {"citation":"PC 602","level":"misdemeanor","status":"dismissed"}]}'
req "booking create" 201 $A '"booking_no":"T-0001"' -- -H "$J" -d "$bk" "$B/api/v1/bookings"
hdr_has "booking create location" 'location: /api/v1/bookings/T-0001'
req "booking duplicate person" 409 $P '"field":"person.local_id"' -- -H "$J" -d "$bk" "$B/api/v1/bookings"
req "booking duplicate number" 409 $P '"field":"booking_no"' -- -H "$J" \
    -d '{"booking_no":"T-0001","booked_at":"2024-06-01","facility":"Test Jail","person_id":1}' "$B/api/v1/bookings"
req "booking second for person" 201 $A '"local_id":"TP-1"' -- -H "$J" \
    -d '{"booking_no":"T-0002","booked_at":"2024-06-01","facility":"Test Jail","person_id":1}' "$B/api/v1/bookings"
req "booking unknown person" 404 $P '"field":"person_id"' -- -H "$J" \
    -d '{"booking_no":"T-0003","booked_at":"2024-06-01","facility":"Test Jail","person_id":999}' "$B/api/v1/bookings"
req "booking malformed" 400 $P 'malformed JSON' -- -H "$J" -d '{"booking_no": "T-9",' "$B/api/v1/bookings"
req "booking not object" 400 $P '' -- -H "$J" -d '[1,2]' "$B/api/v1/bookings"
req "booking wrong type" 400 $P '"field":"facility"' -- -H "$J" \
    -d '{"booking_no":"T-9","booked_at":"2024-06-01","facility":5,"person_id":1}' "$B/api/v1/bookings"
req "booking unknown field" 400 $P '"field":"shoe_size"' -- -H "$J" \
    -d '{"booking_no":"T-9","booked_at":"2024-06-01","facility":"J","person_id":1,"shoe_size":9}' "$B/api/v1/bookings"
req "booking refuses immigration status" 400 $P 'never records immigration status' -- -H "$J" \
    -d '{"booking_no":"T-9","booked_at":"2024-06-01","facility":"J","person":{"name":"Testperson, Bravo","immigration_status":"x"}}' "$B/api/v1/bookings"
req "booking missing booking_no" 400 $P '"field":"booking_no"' -- -H "$J" \
    -d '{"booked_at":"2024-06-01","facility":"J","person_id":1}' "$B/api/v1/bookings"
req "booking bad date" 400 $P '"field":"person.convictions[0].date"' -- -H "$J" \
    -d '{"booking_no":"T-9","booked_at":"2024-06-01","facility":"J","person":{"name":"Testperson, Bravo","convictions":[{"citation":"PC 484","date":"2021-02-30"}]}}' "$B/api/v1/bookings"
req "booking bad level" 400 $P '"field":"charges[0].level"' -- -H "$J" \
    -d '{"booking_no":"T-9","booked_at":"2024-06-01","facility":"J","person_id":1,"charges":[{"citation":"PC 484","level":"big"}]}' "$B/api/v1/bookings"
req "booking duplicate key" 400 $P '' -- -H "$J" \
    -d '{"booking_no":"T-9","booking_no":"T-8","booked_at":"2024-06-01","facility":"J","person_id":1}' "$B/api/v1/bookings"
req "booking bad number" 400 $P '"field":"booking_no"' -- -H "$J" \
    -d '{"booking_no":"T 9/x","booked_at":"2024-06-01","facility":"J","person_id":1}' "$B/api/v1/bookings"
req "bookings GET" 405 $P '' -- "$B/api/v1/bookings"
req "booking get" 200 $A '"citation":"PC 245(a)(1)"' -- "$B/api/v1/bookings/T-0001"
req "booking get unknown" 404 $P '"field":"booking_no"' -- "$B/api/v1/bookings/NOPE-1"
req "booking get bad number" 400 $P '"field":"booking_no"' -- "$B/api/v1/bookings/bad!no"
req "booking get too long" 400 $P '"field":"booking_no"' -- "$B/api/v1/bookings/$(printf '%050d' 1)"
req "booking DELETE" 405 $P '' -- -X DELETE "$B/api/v1/bookings/T-0001"
req "booking subpath" 404 $P '' -- "$B/api/v1/bookings/T-0001/other"

# --- requests: decided from the stored record and stored
req "request create" 201 $A '"id":"request-1"' -- -H "$J" \
    -d '{"type":"notification","form":"I-247A","received_at":"2024-05-02T09:30:00-07:00","issuing_office":"Test Office"}' \
    "$B/api/v1/bookings/T-0001/requests"
grep -qF '"outcome":"permitted"' "$tmp/body" && ok "request outcome (PC 245(a)(1) felony within 15 years)" ||
    bad "request outcome" "$(head -c 300 "$tmp/body")"
cp "$tmp/body" "$tmp/decision.json"
req "request hold" 201 $A '"outcome":"prohibited"' -- -H "$J" -d '{"type":"hold","received_at":"2024-05-02"}' \
    "$B/api/v1/bookings/T-0001/requests"
req "booking shows decisions" 200 $A '"outcome":"prohibited"' -- "$B/api/v1/bookings/T-0001"
req "request bad type" 400 $P '"field":"type"' -- -H "$J" -d '{"type":"tea"}' "$B/api/v1/bookings/T-0001/requests"
req "request wrong type" 400 $P '"field":"judicial_warrant"' -- -H "$J" -d '{"type":"hold","judicial_warrant":"yes"}' \
    "$B/api/v1/bookings/T-0001/requests"
req "request unknown field" 400 $P '"field":"nationality"' -- -H "$J" -d '{"type":"hold","nationality":"x"}' \
    "$B/api/v1/bookings/T-0001/requests"
req "request bad received_at" 400 $P '"field":"received_at"' -- -H "$J" -d '{"type":"hold","received_at":"yesterday"}' \
    "$B/api/v1/bookings/T-0001/requests"
req "request before 2014" 422 $P '"field":"received_at"' -- -H "$J" -d '{"type":"hold","received_at":"2013-01-01"}' \
    "$B/api/v1/bookings/T-0001/requests"
# When a request can have arrived: not before its booking (2024-04-30T22:10:00-07:00, to the
# second when both times carry a zone, else to the day), not after now, offsets within +-14:00.
req "request before its booking" 400 $P 'before the booking' -- -H "$J" \
    -d '{"type":"hold","received_at":"2024-04-30T22:00:00-07:00"}' "$B/api/v1/bookings/T-0001/requests"
req "request the day before its booking" 400 $P '"field":"received_at"' -- -H "$J" \
    -d '{"type":"hold","received_at":"2024-04-29"}' "$B/api/v1/bookings/T-0001/requests"
req "request in the future" 400 $P 'in the future' -- -H "$J" \
    -d '{"type":"hold","received_at":"2099-01-01T00:00:00Z"}' "$B/api/v1/bookings/T-0001/requests"
req "request a future day" 400 $P '"field":"received_at"' -- -H "$J" \
    -d '{"type":"hold","received_at":"2099-01-01"}' "$B/api/v1/bookings/T-0001/requests"
req "request offset beyond 14:00" 400 $P '"field":"received_at"' -- -H "$J" \
    -d '{"type":"hold","received_at":"2024-05-02T09:30:00+14:30"}' "$B/api/v1/bookings/T-0001/requests"
req "request within the clock allowance of its booking" 201 $A '"id":"request-' -- -H "$J" \
    -d '{"type":"hold","received_at":"2024-05-01T05:08:00Z","confirm_new":true}' "$B/api/v1/bookings/T-0001/requests"
req "request at +14:00" 201 $A '"id":"request-' -- -H "$J" \
    -d '{"type":"hold","received_at":"2024-05-02T09:30:00+14:00","confirm_new":true}' "$B/api/v1/bookings/T-0001/requests"
req "request unknown booking" 404 $P '"field":"booking_no"' -- -H "$J" -d '{"type":"hold"}' \
    "$B/api/v1/bookings/NOPE-1/requests"
req "request bad booking number" 400 $P '"field":"booking_no"' -- -H "$J" -d '{"type":"hold"}' \
    "$B/api/v1/bookings/bad!no/requests"
req "request GET" 405 $P '' -- "$B/api/v1/bookings/T-0001/requests"
req "request malformed" 400 $P '' -- -H "$J" -d '{"type":' "$B/api/v1/bookings/T-0001/requests"
req "request oversized" 413 $P '' -- -H "$J" --data-binary "@$tmp/big" "$B/api/v1/bookings/T-0001/requests"

# --- audit, unknown routes, and the server still serving after all that
req "audit verify" 200 $A '"intact":true' -- "$B/api/v1/audit/verify"
req "audit verify POST" 405 $P '' -- -X POST "$B/api/v1/audit/verify"
req "unknown route" 404 $P '"status":404' -- "$B/nope"
req "unknown api route" 404 $P '' -- "$B/api/v2/decide"
req "healthz POST" 405 $P '' -- -X POST "$B/healthz"
req "still serving" 200 $A '"status":"ok"' -- "$B/healthz"
if "$bin" audit verify --db "$tmp/t.db" > "$tmp/audit.out"; then ok "cli audit verify"; else
    bad "cli audit verify" "$(cat "$tmp/audit.out")"; fi

# --- a clean stop on SIGTERM, with an idle keep-alive connection and a half-sent request open
# (h2o aborts disposing a loop that still has connections; the server must close them first)
node -e '
const net = require("net"), [host, port] = process.argv[1].split(":");
const idle = net.connect(+port, host, () => idle.write("GET /healthz HTTP/1.1\r\nHost: t\r\n\r\n"));
idle.once("data", () => {
    const half = net.connect(+port, host, () => { half.write("GET /healthz HTTP/1.1\r\nHo"); console.log("open"); });
    half.on("error", () => {});
});
idle.on("error", () => {});
setTimeout(() => process.exit(0), 4000);
' "127.0.0.1:${B##*:}" > "$tmp/conns" 2>&1 &
conns=$!
i=0
until grep -q open "$tmp/conns" || [ $i -ge 50 ]; do sleep 0.1; i=$((i + 1)); done
grep -q open "$tmp/conns" || bad "connections open before the stop" "$(cat "$tmp/conns")"
srv_stop
kill "$conns" 2>/dev/null

echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
