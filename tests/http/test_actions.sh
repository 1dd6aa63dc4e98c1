#!/bin/sh
# test_actions.sh HOLDCHECK: what was done about a request (POST/GET /api/v1/requests/{id}/actions)
# and the outcome in force on every route that shows a request's outcome. Each kind of action;
# the fields each needs; ICE's lift reasons; an action contrary to the outcome in force refused
# to a clerk (403) and to a supervisor without a reason (422), accepted from a supervisor with
# one and flagged on the request, the list, the queue, the person, the booking and /metrics;
# the rows append-only in the database; after an override, every route shows the override's
# outcome and the engine's beside it. Ends with "N passed, M failed"; exits 1 on any failure.
# shellcheck disable=SC2015 # "A && ok || bad": ok always returns 0, so bad runs only when A fails
set -u
bin=${1:-build/holdcheck}
. "$(dirname "$0")/lib.sh"

db="$tmp/t.db"
"$bin" migrate --db "$db" > /dev/null || die "migrate failed"
J='Content-Type: application/json' P=application/problem+json A=application/json
for r in clerk supervisor admin auditor; do
    "$bin" user add --db "$db" "a-$r" --role "$r" > "$tmp/user-$r" || die "user add $r failed"
done
tok() { sed -n 's/^token: //p' "$tmp/user-$1"; }
CL="Authorization: Bearer $(tok clerk)"
SU="Authorization: Bearer $(tok supervisor)"
AD="Authorization: Bearer $(tok admin)"
AU="Authorization: Bearer $(tok auditor)"
srv_start "$db"

# A person with a serious felony (PC 245(a)(1), PC 1192.7(c)(31)) on record: 7282.5(a)(1)
# permits a notification and a transfer; a hold is always prohibited (7284.6(a)(1)(B)).
bk='{"booking_no":"A-0001","booked_at":"2024-04-30T22:10:00-07:00","facility":"Test Jail",
 "person":{"name":"Actionperson, Alpha","date_of_birth":"1990-02-03","local_id":"AP-1",
  "convictions":[{"citation":"PC 245(a)(1)","level":"felony","date":"2015-03-02"}]},
 "charges":[{"citation":"PC 211","level":"felony","status":"pending"}]}'
req "booking" 201 $A '' -- -H "$AD" -H "$J" -d "$bk" "$B/api/v1/bookings"
person=$(jq -r .person.id "$tmp/body")
req "notification request" 201 $A '"outcome":"permitted' -- -H "$CL" -H "$J" \
    -d '{"type":"notification","form":"I-247A","received_at":"2024-05-01T09:00:00-07:00"}' "$B/api/v1/bookings/A-0001/requests"
req "hold request" 201 $A '"outcome":"prohibited"' -- -H "$CL" -H "$J" \
    -d '{"type":"hold","form":"I-247A","received_at":"2024-05-01T09:00:00-07:00"}' "$B/api/v1/bookings/A-0001/requests"
req "transfer request" 201 $A '"outcome":"permitted' -- -H "$CL" -H "$J" \
    -d '{"type":"transfer","received_at":"2024-05-01T09:00:00-07:00"}' "$B/api/v1/bookings/A-0001/requests"
NOTIF=1 HOLD=2 XFER=3
act() { # NAME STATUS PATTERN AUTH REQUEST BODY
    req "$1" "$2" "$([ "$2" = 201 ] && echo $A || echo $P)" "$3" -- -H "$4" -H "$J" -d "$6" "$B/api/v1/requests/$5/actions"
}

# --- each kind, none contrary, by a clerk
act "notified" 201 '"contrary":false' "$CL" $NOTIF \
    '{"kind":"notified","at":"2024-05-02T10:00:00-07:00","method":"phone","acted_by":"Deputy Ruiz"}'
jq_is "notified: no ICE reason yet" .ice_reason null
jq_is "notified: outcome in force kept" .outcome_in_force permitted
act "transferred" 201 '"ice_reason":"booked_into_detention"' "$CL" $XFER \
    '{"kind":"transferred","at":"2024-05-03T08:00:00Z","office":"San Francisco Field Office"}'
jq_is "transferred: ICE's words" .ice_reason_text "Booked into Detention"
act "released before ICE" 201 '"ice_reason":"early_release"' "$CL" $HOLD \
    '{"kind":"released_before_ice","at":"2024-05-02T11:00:00Z"}'
act "ICE did not take custody" 201 '"ice_reason":"ice_resource_constraint"' "$CL" $HOLD \
    '{"kind":"ice_no_custody","at":"2024-05-02T12:00:00Z"}'
act "lifted by ICE, its reason" 201 '"ice_reason":"prosecutorial_discretion"' "$CL" $HOLD \
    '{"kind":"lifted_by_ice","at":"2024-05-02T13:00:00Z","ice_reason":"prosecutorial_discretion"}'
act "declined" 201 '"ice_reason":"declined_by_lea"' "$CL" $HOLD \
    '{"kind":"declined","at":"2024-05-02T14:00:00Z"}'
jq_is "declined is never contrary" .contrary false

# --- bad actions: the field named
act "unknown kind" 400 '"field":"kind"' "$CL" $HOLD '{"kind":"honored","at":"2024-05-02T10:00:00Z"}'
act "notified without method" 400 '"field":"method"' "$CL" $NOTIF '{"kind":"notified","at":"2024-05-02T10:00:00Z","acted_by":"X"}'
act "notified bad method" 400 '"field":"method"' "$CL" $NOTIF '{"kind":"notified","at":"2024-05-02T10:00:00Z","method":"pigeon","acted_by":"X"}'
act "notified without who" 400 '"field":"acted_by"' "$CL" $NOTIF '{"kind":"notified","at":"2024-05-02T10:00:00Z","method":"fax"}'
act "transfer without office" 400 '"field":"office"' "$CL" $XFER '{"kind":"transferred","at":"2024-05-02T10:00:00Z"}'
act "method on a transfer" 400 '"field":"method"' "$CL" $XFER '{"kind":"transferred","at":"2024-05-02T10:00:00Z","office":"SF","method":"fax"}'
act "unknown ICE reason" 400 '"field":"ice_reason"' "$CL" $HOLD '{"kind":"lifted_by_ice","at":"2024-05-02T10:00:00Z","ice_reason":"Lifted"}'
act "ICE reason of another kind" 400 '"field":"ice_reason"' "$CL" $HOLD '{"kind":"declined","at":"2024-05-02T10:00:00Z","ice_reason":"booked_into_detention"}'
act "missing at" 400 '"field":"at"' "$CL" $HOLD '{"kind":"declined"}'
act "at in the future" 400 '"field":"at"' "$CL" $HOLD '{"kind":"declined","at":"2199-01-01T00:00:00Z"}'
# received 2024-05-01T09:00:00-07:00 = 16:00Z: six minutes earlier is before the request
# existed, beyond the 5 minutes of clock skew a clerk's form may have; four minutes is within
act "at before the request was received" 400 '"field":"at"' "$CL" $HOLD '{"kind":"declined","at":"2024-05-01T15:54:00Z"}'
act "at within the clock skew of receipt" 201 '' "$CL" $HOLD '{"kind":"declined","at":"2024-05-01T15:56:00Z"}'
act "unknown field" 400 '"field":"colour"' "$CL" $HOLD '{"kind":"declined","at":"2024-05-02T10:00:00Z","colour":1}'
act "unknown request" 404 '"field":"id"' "$CL" 999 '{"kind":"declined","at":"2024-05-02T10:00:00Z"}'
act "auditor may not record" 403 '' "$AU" $HOLD '{"kind":"declined","at":"2024-05-02T10:00:00Z"}'

# --- contrary to the outcome in force: a transfer on a hold request (prohibited)
T='{"kind":"transferred","at":"2024-05-04T08:00:00Z","office":"San Francisco Field Office"}'
act "contrary by a clerk refused" 403 'contrary to the outcome in force (prohibited)' "$CL" $HOLD "$T"
grep -qF 'supervisor' "$tmp/body" && ok "refusal names who may" || bad "refusal names who may" "$(cat "$tmp/body")"
act "contrary without reason refused" 422 '"field":"reason"' "$SU" $HOLD "$T"
TR='{"kind":"transferred","at":"2024-05-04T08:00:00Z","office":"San Francisco Field Office","reason":"ICE presented a federal criminal warrant at the gate"}'
act "contrary by a supervisor with reason" 201 '"contrary":true' "$SU" $HOLD "$TR"
jq_is "contrary: the outcome it went against" .outcome_in_force prohibited
req "nothing contrary written on refusal" 200 $A '' -- -H "$AU" "$B/api/v1/requests/$HOLD/actions"
jq_is "hold: six actions (one within the clock skew of receipt), one contrary" "[(.actions | length), ([.actions[] | select(.contrary)] | length)] | map(tostring) | join(\",\")" "6,1"
jq_is "actions oldest first" '.actions[0].kind' released_before_ice

# --- an override: the notification request overridden to prohibited by a supervisor
req "override to prohibited" 201 $A '' -- -H "$SU" -H "$J" \
    -d '{"outcome":"prohibited","reason":"agency policy: no notifications for this unit"}' "$B/api/v1/requests/$NOTIF/override"
req "override may not loosen the one in force" 422 $P 'may not loosen' -- -H "$AD" -H "$J" \
    -d '{"outcome":"review","reason":"x"}' "$B/api/v1/requests/$NOTIF/override"
N2='{"kind":"notified","at":"2024-05-05T10:00:00-07:00","method":"email","acted_by":"Deputy Ruiz"}'
act "notified after override: clerk refused" 403 '(prohibited)' "$CL" $NOTIF "$N2"
N2R='{"kind":"notified","at":"2024-05-05T10:00:00-07:00","method":"email","acted_by":"Deputy Ruiz","reason":"release date already public on the jail site"}'
act "notified after override: supervisor with reason" 201 '"contrary":true' "$SU" $NOTIF "$N2R"

# --- the outcome in force and the flag on every route that shows a request
req "detail" 200 $A '' -- -H "$AU" "$B/api/v1/requests/$NOTIF"
jq_is "detail: outcome in force" .outcome prohibited
jq_is "detail: engine beside it" .engine_outcome permitted
jq_is "detail: overridden" .overridden true
jq_is "detail: effective_outcome agrees" .effective_outcome prohibited
jq_is "detail: contrary flagged" .contrary true
jq_is "detail: actions listed" '.actions | length' 2
req "list" 200 $A '' -- -H "$AU" "$B/api/v1/requests"
jq_is "list: outcome in force" ".requests[] | select(.id == $NOTIF) | .outcome" prohibited
jq_is "list: engine beside it" ".requests[] | select(.id == $NOTIF) | .engine_outcome" permitted
jq_is "list: hold flagged" ".requests[] | select(.id == $HOLD) | .contrary_actions" 1
jq_is "list: transfer not flagged" ".requests[] | select(.id == $XFER) | .contrary" false
req "list filtered by outcome in force" 200 $A '' -- -H "$AU" "$B/api/v1/requests?outcome=prohibited"
jq_is "outcome filter reads the outcome in force" '[.requests[].id] | join(",")' "$NOTIF,$HOLD"
req "list of contrary" 200 $A '' -- -H "$AU" "$B/api/v1/requests?contrary=true"
jq_is "contrary filter" '[.requests[].id] | join(",")' "$NOTIF,$HOLD"
req "list contrary bad" 400 $P '"field":"contrary"' -- -H "$AU" "$B/api/v1/requests?contrary=yes"
req "queue" 200 $A '' -- -H "$AU" "$B/api/v1/console/queue?all=true"
jq_is "queue: outcome in force" ".requests[] | select(.id == $NOTIF) | .effective_outcome" prohibited
jq_is "queue: engine beside it" ".requests[] | select(.id == $NOTIF) | .engine_outcome" permitted
jq_is "queue: contrary flagged" ".requests[] | select(.id == $HOLD) | .contrary" true
req "person" 200 $A '' -- -H "$AU" "$B/api/v1/people/$person"
jq_is "person: outcome in force" ".bookings[0].requests[] | select(.id == $NOTIF) | .outcome" prohibited
jq_is "person: engine beside it" ".bookings[0].requests[] | select(.id == $NOTIF) | .engine_outcome" permitted
jq_is "person: contrary flagged" ".bookings[0].requests[] | select(.id == $HOLD) | .contrary" true
req "booking" 200 $A '' -- -H "$AU" "$B/api/v1/bookings/A-0001"
jq_is "booking: outcome in force" ".requests[] | select(.id == $NOTIF) | .outcome" prohibited
req "notices state" 200 $A '' -- -H "$AU" "$B/api/v1/requests/$NOTIF/notices"
jq_is "notices: outcome in force" .effective_outcome prohibited
req "audit trail has the actions" 200 $A '"action":"action.record"' -- -H "$AU" "$B/api/v1/requests/$HOLD/audit"
req "metrics" 200 '' 'holdcheck_actions_total{kind="transferred",contrary="true"} 1' -- -H "$AD" "$B/metrics"
grep -qF 'holdcheck_actions_total{kind="notified",contrary="true"} 1' "$tmp/body" && ok "metrics: contrary notification" ||
    bad "metrics: contrary notification" "$(grep actions_total "$tmp/body")"
grep -qF 'holdcheck_overrides_total{outcome="prohibited"} 1' "$tmp/body" && ok "metrics: override by outcome in force" ||
    bad "metrics: override by outcome in force" "$(grep overrides_total "$tmp/body")"
# Three requests: the notification overridden to prohibited, the hold, the transfer.
for want in 'holdcheck_requests_in_force{outcome="prohibited"} 2' 'holdcheck_requests_engine{outcome="prohibited"} 1' \
    'holdcheck_requests_contrary 2'; do
    grep -qxF "$want" "$tmp/body" && ok "metrics: $want" || bad "metrics: $want" "$(grep holdcheck_requests "$tmp/body")"
done
req "export of requests" 200 application/x-ndjson '' -- -H "$AU" "$B/api/v1/exports/requests.jsonl?from=2024-05-01&to=2024-05-31"
[ "$(wc -l < "$tmp/body")" -eq 3 ] && ok "export: one line a request" || bad "export: one line a request" "$(cat "$tmp/body")"
jq_is "export: outcome in force" "select(.id == $NOTIF) | .outcome" prohibited
jq_is "export: engine beside it" "select(.id == $NOTIF) | .engine_outcome" permitted
jq_is "export: contrary flagged" "select(.id == $HOLD) | .contrary" true
req "export of contrary requests" 200 application/x-ndjson '' -- -H "$AU" "$B/api/v1/exports/requests.jsonl?contrary=true"
jq_is "export: only the contrary ones" "[.id | tostring] | join(\",\")" "$(printf '%s\n%s' $NOTIF $HOLD)"
req "export of a period's actions" 200 application/x-ndjson '' -- -H "$AU" "$B/api/v1/exports/actions.jsonl?from=2024-05-04&to=2024-05-05"
jq_is "period: the two contrary actions of 4-5 May" "[.kind, (.contrary | tostring), .outcome_in_force] | join(\",\")" \
    "$(printf 'transferred,true,prohibited\nnotified,true,prohibited')"
req "export of contrary actions, ICE's words" 200 application/x-ndjson 'Booked into Detention' -- -H "$AU" "$B/api/v1/exports/actions.jsonl?contrary=true"
req "export bad period" 400 $P '"field":"from"' -- -H "$AU" "$B/api/v1/exports/actions.jsonl?from=May"
req "export none in the period" 200 application/x-ndjson '' -- -H "$AU" "$B/api/v1/exports/requests.jsonl?from=2030-01-01"
[ ! -s "$tmp/body" ] && ok "export: empty period, empty body" || bad "export: empty period, empty body" "$(cat "$tmp/body")"
req "actions of unknown request" 404 $P '"field":"id"' -- -H "$AU" "$B/api/v1/requests/999/actions"

srv_stop
if "$bin" audit verify --db "$db" > "$tmp/audit.out" 2>&1; then ok "audit chain intact with the actions"; else
    bad "audit chain intact with the actions" "$(cat "$tmp/audit.out")"; fi

# --- append-only in the database itself, whatever writes to it
for sql in "UPDATE request_actions SET contrary = 0 WHERE contrary = 1" "DELETE FROM request_actions"; do
    if sqlite3 "$db" "$sql" 2> "$tmp/err"; then bad "refused: $sql" "it ran"; else
        grep -qF 'append-only' "$tmp/err" && ok "refused: $sql" || bad "refused: $sql" "$(cat "$tmp/err")"; fi
done
[ "$(sqlite3 "$db" 'SELECT count(*) FROM request_actions WHERE contrary = 1')" = 2 ] && ok "contrary rows intact" ||
    bad "contrary rows intact" "$(sqlite3 "$db" 'SELECT count(*) FROM request_actions WHERE contrary = 1')"
if sqlite3 "$db" "INSERT INTO request_actions (request_id, kind, at, contrary, recorded_by, recorded_at) VALUES (2, 'declined', '2024-05-02', 1, 'x', 'y')" 2> /dev/null; then
    bad "contrary without reason refused by the schema" "it ran"; else ok "contrary without reason refused by the schema"; fi

echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
