#!/bin/sh
# test_duplicates.sh HOLDCHECK: a request for the same booking, type and form received within
# the agency's duplicate window (duplicate_window_hours, default 24) is refused with 409 and a
# link to the request already recorded, unless the clerk confirms it is new (confirm_new, then
# recorded with a "request.confirm_new" audit entry); another type, another form, or a time
# outside the window is a new request; the window is a setting (0 turns the check off). Ends
# with "N passed, M failed"; exits 1 on any failure.
# shellcheck disable=SC2015 # "A && ok || bad": ok always returns 0, so bad runs only when A fails
set -u
bin=${1:-build/holdcheck}
. "$(dirname "$0")/../http/lib.sh"
. "$(dirname "$0")/setup.sh"

req "booking" 201 $A '' -- -H "$CL" -H "$J" \
    -d '{"booking_no":"D-1","booked_at":"2026-01-02","facility":"Test Jail",
         "person":{"name":"Testperson, Dup","local_id":"L-D1"}}' "$B/api/v1/bookings"
recv=$(date +%Y-%m-%dT%H:%M:%S%:z)
body='{"type":"hold","form":"I-247A","received_at":"'"$recv"'"}'
req "first request" 201 $A '' -- -H "$CL" -H "$J" -d "$body" "$B/api/v1/bookings/D-1/requests"
first=$(jq -r '.id' "$tmp/body" | sed 's/^request-//')

# The second click on "Record and decide".
req "second identical: 409" 409 $P '"existing_id"' -- -H "$CL" -H "$J" -d "$body" \
    "$B/api/v1/bookings/D-1/requests"
jq_is "409 names the existing request" '.existing_id' "$first"
jq_is "409 links it in the API" '.existing' "/api/v1/requests/$first"
jq_is "409 links its console page" '.existing_console' "/console/request.html?id=$first"
jq_is "409 names the field" '.field' type
hdr_loc=$(tr -d '\r' < "$tmp/hdr" | sed -n 's/^[Ll]ocation: *//p')
[ "$hdr_loc" = "/api/v1/requests/$first" ] && ok "409 Location" || bad "409 Location" "'$hdr_loc'"
req "the link answers" 200 $A '"booking_no":"D-1"' -- -H "$CL" "$B$hdr_loc"
# The same form written in another case, a received time an hour later: still the same request.
later=$(date -d '+1 hour ago' +%Y-%m-%dT%H:%M:%S%:z)
req "same form, other case, an hour apart: 409" 409 $P '' -- -H "$CL" -H "$J" \
    -d '{"type":"hold","form":"i-247a","received_at":"'"$later"'"}' "$B/api/v1/bookings/D-1/requests"
# Received without a time: "now", still within the window of the first.
req "no received_at: 409" 409 $P '' -- -H "$CL" -H "$J" -d '{"type":"hold","form":"I-247A"}' \
    "$B/api/v1/bookings/D-1/requests"
n=$(curl -s -H "$CL" "$B/api/v1/requests?booking_no=D-1" | jq '.requests | length')
[ "$n" = 1 ] && ok "nothing stored by a refused duplicate" || bad "nothing stored by a refused duplicate" "$n requests"

req "confirm_new: 201" 201 $A '' -- -H "$CL" -H "$J" \
    -d '{"type":"hold","form":"I-247A","received_at":"'"$recv"'","confirm_new":true}' \
    "$B/api/v1/bookings/D-1/requests"
second=$(jq -r '.id' "$tmp/body" | sed 's/^request-//')
audit_has "confirmation in the audit log" request.confirm_new c-clerk \
    ".entity == \"request/$second\" and .payload.similar_to == $first and .payload.window_hours == 24"
req "confirm_new not a boolean: 400" 400 $P '"confirm_new"' -- -H "$CL" -H "$J" \
    -d '{"type":"hold","confirm_new":"yes"}' "$B/api/v1/bookings/D-1/requests"

req "another type: 201" 201 $A '' -- -H "$CL" -H "$J" \
    -d '{"type":"notification","form":"I-247A","received_at":"'"$recv"'"}' "$B/api/v1/bookings/D-1/requests"
req "another form: 201" 201 $A '' -- -H "$CL" -H "$J" \
    -d '{"type":"hold","form":"I-247D","received_at":"'"$recv"'"}' "$B/api/v1/bookings/D-1/requests"
req "no form vs a form: 201" 201 $A '' -- -H "$CL" -H "$J" \
    -d '{"type":"hold","received_at":"'"$recv"'"}' "$B/api/v1/bookings/D-1/requests"
out=$(date -d '-2 days' +%Y-%m-%dT%H:%M:%S%:z)
req "outside the window: 201" 201 $A '' -- -H "$CL" -H "$J" \
    -d '{"type":"hold","form":"I-247A","received_at":"'"$out"'"}' "$B/api/v1/bookings/D-1/requests"
edge=$(date -d '-25 hours' +%Y-%m-%dT%H:%M:%S%:z)
req "25 hours after one received 2 days ago: 409" 409 $P '' -- -H "$CL" -H "$J" \
    -d '{"type":"hold","form":"I-247A","received_at":"'"$edge"'"}' "$B/api/v1/bookings/D-1/requests"
req "another booking: 201" 201 $A '' -- -H "$CL" -H "$J" \
    -d '{"booking_no":"D-2","booked_at":"2026-01-02","facility":"Test Jail",
         "person":{"name":"Testperson, Other","local_id":"L-D2"}}' "$B/api/v1/bookings"
req "same request, other booking: 201" 201 $A '' -- -H "$CL" -H "$J" -d "$body" \
    "$B/api/v1/bookings/D-2/requests"

# One form, several requests: a duplicate among them refuses the whole form.
req "form with a duplicate: 409" 409 $P '' -- -H "$CL" -H "$J" \
    -d '{"types":["transfer","hold"],"form":"I-247A","received_at":"'"$recv"'"}' "$B/api/v1/bookings/D-2/requests"
n=$(curl -s -H "$CL" "$B/api/v1/requests?booking_no=D-2&type=transfer" | jq '.requests | length')
[ "$n" = 0 ] && ok "nothing of that form stored" || bad "nothing of that form stored" "$n transfer requests"

# The window is a setting: 1 hour, then off.
srv_stop
srv_start "$db" --duplicate-window-hours 1
req "1 h window: an hour and a half apart is new" 201 $A '' -- -H "$CL" -H "$J" \
    -d '{"type":"hold","form":"I-247A","received_at":"'"$(date -d '-90 minutes' +%Y-%m-%dT%H:%M:%S%:z)"'"}' \
    "$B/api/v1/bookings/D-2/requests"
req "1 h window: the same time is not" 409 $P '' -- -H "$CL" -H "$J" -d "$body" \
    "$B/api/v1/bookings/D-2/requests"
srv_stop
HOLDCHECK_DUPLICATE_WINDOW_HOURS=0 srv_start "$db"
req "window 0: no check" 201 $A '' -- -H "$CL" -H "$J" -d "$body" "$B/api/v1/bookings/D-2/requests"
srv_stop
out=$("$bin" serve --db "$db" --duplicate-window-hours 721 2>&1) && bad "window over 720 refused" "started" ||
    { echo "$out" | grep -q "duplicate.window.hours" && ok "window over 720 refused" || bad "window over 720 refused" "$out"; }
echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
