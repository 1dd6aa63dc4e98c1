#!/bin/sh
# test_console_job.sh HOLDCHECK: the console as a clerk and a supervisor use it, with the
# agency's settings (docs/configuration.md): one ICE form recorded as the requests it makes, in
# one step and one transaction; the agency's intent stated by a clerk (intent_by = clerk, the
# default) or only by a supervisor (intent_by = supervisor); the person's answer to an interview
# recorded only after the consent form was served (Gov. Code 7283.1(a)); the agency's name and
# address on notices, dates and times printed local and in words, never as ISO stamps; and the
# notice deadlines as set. Ends with "N passed, M failed"; exits 1 on any failure.
# shellcheck disable=SC2015 # "A && ok || bad": ok always returns 0, so bad runs only when A fails
set -u
bin=${1:-build/holdcheck}
. "$(dirname "$0")/../http/lib.sh"
. "$(dirname "$0")/setup.sh"

srv_stop
srv_start "$db" --agency-name "Test County Sheriff's Office" --agency-address "1 Main Street, Testville, CA 90000" \
    --notice-receipt-hours 2
now=$(date +%s)
iso() { date -u -d "@$1" +%Y-%m-%dT%H:%M:%SZ; }
recv=$(iso $((now - 3600)))

req "booking" 201 $A '' -- -H "$CL" -H "$J" \
    -d '{"booking_no":"J-1","booked_at":"2026-01-02","facility":"Test Jail",
         "person":{"name":"Testperson, Job","local_id":"L-J1",
           "convictions":[{"citation":"PC 211","level":"felony","date":"2012-03-02"}]}}' "$B/api/v1/bookings"

# --- the settings, as the pages read them
req "agency settings" 200 $A '' -- -H "$AU" "$B/api/v1/console/agency"
jq_is "as configured" '"\(.agency_name)|\(.intent_by)|\(.duplicate_window_hours)|\(.notice_receipt_hours)|\(.notice_promptly_hours)"' \
    "Test County Sheriff's Office|clerk|24|2|24"
req "agency settings anonymous" 401 $P '' -- "$B/api/v1/console/agency"

# --- one I-247A, two requests, one step
R="$B/api/v1/bookings/J-1/requests"
# Each refused whole, naming the field: BODY FIELD.
while read -r body field; do
    req "form $body: 400" 400 $P "\"field\":\"$field\"" -- -H "$CL" -H "$J" -d "$body" "$R"
done <<'BAD'
{"types":["hold","bogus"],"form":"I-247A"} type
{"types":["hold","hold"],"form":"I-247A"} types
{"type":"hold","types":["notification"]} types
{"types":[]} types
BAD
n=$(curl -s -H "$CL" "$B/api/v1/requests?booking_no=J-1" | jq '.requests | length')
[ "$n" = 0 ] && ok "a refused form stores nothing" || bad "a refused form stores nothing" "$n requests"
req "I-247A as hold + notification: 201" 201 $A '"requests"' -- -H "$CL" -H "$J" \
    -d '{"types":["hold","notification"],"form":"I-247A","received_at":"'"$recv"'"}' "$R"
jq_is "two decisions answered" '.requests | length' 2
hold=$(jq -r '.requests[0].id' "$tmp/body" | sed 's/^request-//')
notif=$(jq -r '.requests[1].id' "$tmp/body" | sed 's/^request-//')
req "both recorded" 200 $A '' -- -H "$CL" "$B/api/v1/requests?booking_no=J-1"
jq_is "each its type, the same form" '[.requests[] | "\(.type)/\(.form)"] | join(",")' 'hold/I-247A,notification/I-247A'
jq_is "each decided" '[.requests[] | select(.outcome != null)] | length' 2

# --- the deadline of the copy notice: notice_receipt_hours = 2
req "notices of the notification" 200 $A '' -- -H "$CL" "$B/api/v1/requests/$notif/notices"
jq_is "copy due 2 h after receipt" '[.owed[] | select(.kind == "copy")][0].deadline' "$(iso $((now + 3600)))"
jq_is "intent pending before it is stated" '[.owed[] | select(.kind == "copy")][0].flags | index("intent_pending") != null' true

# --- the clerk states the intent (intent_by = clerk)
req "clerk states the intent: 200" 200 $A '"intent":"yes"' -- -H "$CL" -H "$J" -X PUT -d '{"intent":"yes"}' \
    "$B/api/v1/requests/$notif/intent"
jq_is "copy no longer pending on the intent" '[.owed[] | select(.kind == "copy")][0] | "\(.intent) \(.flags | index("intent_pending"))"' 'yes null'
audit_has "intent in the audit log by the clerk" intent.record c-clerk ".payload.request_id == $notif"

# --- the notice: the agency's name and address, local dates in words
req "copy notice generated" 201 $A '"kind":"copy"' -- -H "$CL" -H "$J" -d '{"kind":"copy","language":"en"}' \
    "$B/api/v1/requests/$notif/notices"
nid=$(jq -r .id "$tmp/body")
req "notice html" 200 '' '' -- -H "$CL" "$B/api/v1/notices/$nid/html"
grep -qF "Test County Sheriff&#39;s Office" "$tmp/body" && ok "notice names the agency" || bad "notice names the agency" "$(grep -o 'class="agency">[^<]*' "$tmp/body")"
grep -qF "1 Main Street, Testville, CA 90000" "$tmp/body" && ok "notice gives its address" || bad "notice gives its address" "absent"
local_recv=$(date -d "@$((now - 3600))" '+%B %-d, %Y, %-I:%M %p')
grep -qF "$local_recv" "$tmp/body" && ok "received printed local: $local_recv" || bad "received printed local" "no '$local_recv' in $(grep -o '<dd>[^<]*' "$tmp/body" | tr '\n' ' ')"
if grep -qE '[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}' "$tmp/body"; then
    bad "no ISO stamp on the notice" "$(grep -oE '[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9:]{5}[^<]*' "$tmp/body" | head -3)"
else ok "no ISO stamp on the notice"; fi
req "copy notice es" 201 $A '' -- -H "$CL" -H "$J" -d '{"kind":"copy","language":"es"}' "$B/api/v1/requests/$notif/notices"
req "notice html es" 200 '' '' -- -H "$CL" "$B/api/v1/notices/$(jq -r .id "$tmp/body")/html"
es_day=$(date -d "@$((now - 3600))" '+%-d')
grep -qE "$es_day de (enero|febrero|marzo|abril|mayo|junio|julio|agosto|septiembre|octubre|noviembre|diciembre) de [0-9]{4}" "$tmp/body" &&
    ok "Spanish date in words" || bad "Spanish date in words" "$(grep -o '<dd>[^<]*' "$tmp/body" | tr '\n' ' ')"

# --- consent only after the consent form is served (7283.1(a))
req "interview request" 201 $A '' -- -H "$CL" -H "$J" -d '{"type":"interview","received_at":"'"$recv"'"}' "$R"
iv=$(jq -r .id "$tmp/body" | sed 's/^request-//')
req "answer before the form: 422" 422 $P 'consent form' -- -H "$CL" -H "$J" -d '{"answer":"consent"}' \
    "$B/api/v1/requests/$iv/consent"
jq_is "the refusal names the answer and the statute" '"\(.field) \(.detail | test("7283.1\\(a\\)"))"' 'answer true'
req "consent form generated" 201 $A '' -- -H "$CL" -H "$J" -d '{"kind":"consent","language":"en"}' "$B/api/v1/requests/$iv/notices"
fid=$(jq -r .id "$tmp/body")
req "answer before the form is served: 422" 422 $P 'consent form' -- -H "$CL" -H "$J" -d '{"answer":"consent"}' \
    "$B/api/v1/requests/$iv/consent"
req "consent form served" 200 $A '' -- -H "$CL" -H "$J" -d '{}' "$B/api/v1/notices/$fid/served"
req "answer after the form: 201" 201 $A '"answer":"consent"' -- -H "$CL" -H "$J" -d '{"answer":"consent"}' \
    "$B/api/v1/requests/$iv/consent"

# --- intent_by = supervisor: the clerk is refused, the supervisor states it
srv_stop
srv_start "$db" --intent-by supervisor
req "intent_by supervisor: clerk refused" 403 $P 'intent_by' -- -H "$CL" -H "$J" -X PUT -d '{"intent":"no"}' \
    "$B/api/v1/requests/$hold/intent"
req "intent_by supervisor: supervisor states it" 200 $A '"intent":"no"' -- -H "$SU" -H "$J" -X PUT -d '{"intent":"no"}' \
    "$B/api/v1/requests/$hold/intent"
req "intent_by supervisor: auditor still refused" 403 $P '' -- -H "$AU" -H "$J" -X PUT -d '{"intent":"no"}' \
    "$B/api/v1/requests/$hold/intent"
req "no agency name: notice leaves it blank" 201 $A '' -- -H "$CL" -H "$J" -d '{"kind":"copy","language":"en"}' \
    "$B/api/v1/requests/$hold/notices"
req "notice html (no name set)" 200 '' 'class="blank"' -- -H "$CL" "$B/api/v1/notices/$(jq -r .id "$tmp/body")/html"
srv_stop
out=$("$bin" serve --db "$db" --intent-by nobody 2>&1) && bad "bad intent_by refused" "started" ||
    { echo "$out" | grep -q "clerk or supervisor" && ok "bad intent_by refused" || bad "bad intent_by refused" "$out"; }
echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
