#!/bin/sh
# test_court.sh HOLDCHECK: the court record after booking over HTTP: a charge added to a
# booking, its disposition and the magistrate's probable-cause finding, a conviction added to a
# person and its Prop 47 reduction. Each change is audited with from/to, shows at once in the
# booking's record (through the answer cache), leaves the stored decisions as they were, and a
# re-decision applies the law to the new record. The expected outcomes come from the statute:
# - Gov. Code 7282.5(b): notification is allowed when a magistrate has found probable cause
#   (PC 872) on a charge of a serious (PC 1192.7(c)) or violent (PC 667.5(c)) felony; without
#   that finding, or once the charge is dismissed, nothing else here allows it;
# - 7282.5(a)(1): a conviction of a serious or violent felony allows it, whatever its age;
# - PC 1170.18(k): a felony reduced under Prop 47 is a misdemeanor for all purposes, so an old
#   felony drug conviction (7282.5(a)(3)(M), 15 years) no longer allows it once reduced, and as
#   a misdemeanor it is outside the 5-year window of (a)(3).
# Ends with "N passed, M failed"; exits 1 on any failure.
# shellcheck disable=SC2015 # "A && ok || bad": ok always returns 0, so bad runs only when A fails
set -u
bin=${1:-build/holdcheck}
. "$(dirname "$0")/lib.sh"

J='Content-Type: application/json'
P=application/problem+json
A=application/json

"$bin" migrate --db "$tmp/t.db" > /dev/null || die "migrate failed"
"$bin" user add --db "$tmp/t.db" ct-clerk --role clerk > "$tmp/u1" || die "user add failed"
"$bin" user add --db "$tmp/t.db" ct-auditor --role auditor > "$tmp/u2" || die "user add failed"
CL="Authorization: Bearer $(sed -n 's/^token: //p' "$tmp/u1")"
AU="Authorization: Bearer $(sed -n 's/^token: //p' "$tmp/u2")"
srv_start "$tmp/t.db"
today=$(date +%Y-%m-%d)

# --- 7282.5(b): a robbery charge (PC 211: 1192.7(c)(19), 667.5(c)(9)), no convictions
req "booking with a pending robbery charge" 201 $A '"magistrate_probable_cause":false' -- -H "$CL" -H "$J" \
    -d '{"booking_no":"CT-1","booked_at":"2026-01-05","facility":"Test Jail",
         "person":{"name":"Testperson, Court","local_id":"L-CT-1"},
         "charges":[{"citation":"PC 211","level":"felony"}]}' "$B/api/v1/bookings"
jq_is "the record names each charge's id" '.charges[0].id | type' number
cid=$(jq -r '.charges[0].id' "$tmp/body")
person1=$(jq -r '.person.id' "$tmp/body")
req "GET the record (fills the cache)" 200 $A '"magistrate_probable_cause":false' -- -H "$CL" "$B/api/v1/bookings/CT-1"
req "notification before any finding" 201 $A '"outcome":"prohibited"' -- -H "$CL" -H "$J" \
    -d "{\"type\":\"notification\",\"received_at\":\"$today\"}" "$B/api/v1/bookings/CT-1/requests"
rid=$(jq -r '.id' "$tmp/body" | sed 's/^request-//')

req "magistrate finds probable cause" 200 $A '"magistrate_probable_cause":true' -- -H "$CL" -H "$J" -X PATCH \
    -d '{"magistrate_probable_cause":true}' "$B/api/v1/charges/$cid"
req "the record shows it at once" 200 $A '"magistrate_probable_cause":true' -- -H "$CL" "$B/api/v1/bookings/CT-1"
req "the stored decision is unchanged" 200 $A '' -- -H "$CL" "$B/api/v1/requests/$rid"
jq_is "still one decision version" '.decisions | length' 1
jq_is "its outcome still prohibited" '.decisions[0].outcome' prohibited
req "re-decide after the finding" 201 $A '"outcome":"permitted"' -- -H "$CL" -X POST "$B/api/v1/requests/$rid/redecide"
if grep -qF '7282.5(b)' "$tmp/body"; then ok "permitted under 7282.5(b)"; else bad "permitted under 7282.5(b)" "$(head -c 300 "$tmp/body")"; fi

req "the charge is dismissed" 200 $A '"status":"dismissed"' -- -H "$CL" -H "$J" -X PATCH \
    -d '{"status":"dismissed"}' "$B/api/v1/charges/$cid"
req "re-decide after the dismissal" 201 $A '"outcome":"prohibited"' -- -H "$CL" -X POST "$B/api/v1/requests/$rid/redecide"
req "three decision versions kept" 200 $A '' -- -H "$CL" "$B/api/v1/requests/$rid"
jq_is "versions 1, 2, 3" '[.decisions[].version] | map(tostring) | join(",")' 1,2,3
jq_is "outcomes in order" '[.decisions[].outcome] | join(",")' prohibited,permitted,prohibited

req "the same change again changes nothing" 200 $A '"status":"dismissed"' -- -H "$CL" -H "$J" -X PATCH \
    -d '{"status":"dismissed"}' "$B/api/v1/charges/$cid"

# --- a charge added later
req "add a charge" 201 $A '"citation":"PC 245(a)(1)"' -- -H "$CL" -H "$J" \
    -d '{"citation":"PC 245(a)(1)","level":"felony","magistrate_probable_cause":true}' "$B/api/v1/bookings/CT-1/charges"
jq_is "two charges now" '.charges | length' 2
jq_is "the new one pending" '.charges[1].status' pending
req "re-decide: a finding on the new serious felony charge" 201 $A '"outcome":"permitted"' -- -H "$CL" -X POST "$B/api/v1/requests/$rid/redecide"

# --- 7282.5(a)(1): a robbery conviction added to the person's history
req "booking without a record" 201 $A '' -- -H "$CL" -H "$J" \
    -d '{"booking_no":"CT-2","booked_at":"2026-02-01","facility":"Test Jail",
         "person":{"name":"Testperson, History","local_id":"L-CT-2"}}' "$B/api/v1/bookings"
person2=$(jq -r '.person.id' "$tmp/body")
req "notification, no record" 201 $A '"outcome":"prohibited"' -- -H "$CL" -H "$J" \
    -d "{\"type\":\"notification\",\"received_at\":\"$today\"}" "$B/api/v1/bookings/CT-2/requests"
rid2=$(jq -r '.id' "$tmp/body" | sed 's/^request-//')
req "add a robbery conviction" 201 $A '"person_id":'"$person2" -- -H "$CL" -H "$J" \
    -d '{"citation":"PC 211","level":"felony","date":"2004-06-01","court":"Superior Court, Example County"}' \
    "$B/api/v1/people/$person2/convictions"
hdr_loc=$(tr -d '\r' < "$tmp/hdr" | sed -n 's/^[Ll]ocation: //p')
[ "$hdr_loc" = "/api/v1/people/$person2" ] && ok "Location names the person" || bad "Location names the person" "'$hdr_loc'"
req "the booking's record lists it" 200 $A '"citation":"PC 211"' -- -H "$CL" "$B/api/v1/bookings/CT-2"
req "re-decide: a serious felony conviction of any age" 201 $A '"outcome":"permitted"' -- -H "$CL" -X POST "$B/api/v1/requests/$rid2/redecide"
if grep -qF '7282.5(a)(1)' "$tmp/body"; then ok "permitted under 7282.5(a)(1)"; else bad "permitted under 7282.5(a)(1)" "$(head -c 300 "$tmp/body")"; fi

# --- Prop 47 (PC 1170.18(k)): a felony drug conviction 11 years back, then reduced
req "booking with an old felony drug conviction" 201 $A '' -- -H "$CL" -H "$J" \
    -d '{"booking_no":"CT-3","booked_at":"2026-03-01","facility":"Test Jail",
         "person":{"name":"Testperson, Reduced","local_id":"L-CT-3",
           "convictions":[{"citation":"HS 11351","level":"felony","date":"2015-09-01","prop47_reduced":false}]}}' \
    "$B/api/v1/bookings"
jq_is "the record names each conviction's id" '.person.convictions[0].id | type' number
req "notification: a felony drug conviction within 15 years" 201 $A '"outcome":"permitted"' -- -H "$CL" -H "$J" \
    -d "{\"type\":\"notification\",\"received_at\":\"$today\"}" "$B/api/v1/bookings/CT-3/requests"
rid3=$(jq -r '.id' "$tmp/body" | sed 's/^request-//')
req "booking with a Prop 47 offense" 201 $A '' -- -H "$CL" -H "$J" \
    -d '{"booking_no":"CT-4","booked_at":"2026-03-01","facility":"Test Jail",
         "person":{"name":"Testperson, Petition","local_id":"L-CT-4",
           "convictions":[{"citation":"HS 11350(a)","level":"felony","date":"2013-09-01","prop47_reduced":false}]}}' \
    "$B/api/v1/bookings"
vid4=$(jq -r '.person.convictions[0].id' "$tmp/body")
req "notification: an unreduced felony HS 11350 within 15 years" 201 $A '"outcome":"permitted"' -- -H "$CL" -H "$J" \
    -d "{\"type\":\"notification\",\"received_at\":\"$today\"}" "$B/api/v1/bookings/CT-4/requests"
rid4=$(jq -r '.id' "$tmp/body" | sed 's/^request-//')
req "the court grants the Prop 47 petition" 200 $A '"changed":true' -- -H "$CL" -H "$J" -X PATCH \
    -d '{"prop47_reduced":true}' "$B/api/v1/convictions/$vid4"
req "asked again, nothing changes" 200 $A '"changed":false' -- -H "$CL" -H "$J" -X PATCH \
    -d '{"prop47_reduced":true}' "$B/api/v1/convictions/$vid4"
req "re-decide: reduced to a misdemeanor, 13 years back" 201 $A '"outcome":"prohibited"' -- -H "$CL" -X POST "$B/api/v1/requests/$rid4/redecide"
req "the untouched case stays permitted" 201 $A '"outcome":"permitted"' -- -H "$CL" -X POST "$B/api/v1/requests/$rid3/redecide"

# --- bad input and unknown records (test_badinput.sh walks the generic cases)
req "charge: unknown booking" 404 $P '"field":"booking_no"' -- -H "$CL" -H "$J" \
    -d '{"citation":"PC 484"}' "$B/api/v1/bookings/NOPE-1/charges"
req "charge: citation required" 400 $P '"field":"citation"' -- -H "$CL" -H "$J" -d '{"level":"felony"}' "$B/api/v1/bookings/CT-1/charges"
req "charge: bad level" 400 $P '"field":"level"' -- -H "$CL" -H "$J" -d '{"citation":"PC 484","level":"wobbler"}' "$B/api/v1/bookings/CT-1/charges"
req "charge: immigration status refused" 400 $P 'never records' -- -H "$CL" -H "$J" -d '{"citation":"PC 484","immigration_status":"x"}' "$B/api/v1/bookings/CT-1/charges"
req "patch charge: unknown" 404 $P '"field":"id"' -- -H "$CL" -H "$J" -X PATCH -d '{"status":"pending"}' "$B/api/v1/charges/99999"
req "patch charge: bad status" 400 $P '"field":"status"' -- -H "$CL" -H "$J" -X PATCH -d '{"status":"acquitted"}' "$B/api/v1/charges/$cid"
req "patch charge: status null" 400 $P '"field":"status"' -- -H "$CL" -H "$J" -X PATCH -d '{"status":null}' "$B/api/v1/charges/$cid"
req "patch charge: finding null" 400 $P '"field":"magistrate_probable_cause"' -- -H "$CL" -H "$J" -X PATCH -d '{"magistrate_probable_cause":null}' "$B/api/v1/charges/$cid"
req "patch charge: nothing to change" 400 $P 'nothing to change' -- -H "$CL" -H "$J" -X PATCH -d '{}' "$B/api/v1/charges/$cid"
req "patch charge: citation is not changed here" 400 $P '"field":"citation"' -- -H "$CL" -H "$J" -X PATCH -d '{"citation":"PC 1"}' "$B/api/v1/charges/$cid"
req "conviction: unknown person" 404 $P '"field":"id"' -- -H "$CL" -H "$J" -d '{"citation":"PC 484"}' "$B/api/v1/people/99999/convictions"
req "conviction: bad date" 400 $P '"field":"date"' -- -H "$CL" -H "$J" -d '{"citation":"PC 484","date":"2020-02-30"}' "$B/api/v1/people/$person1/convictions"
req "conviction: jurisdiction contradicts the citation" 400 $P '"field":"jurisdiction"' -- -H "$CL" -H "$J" \
    -d '{"citation":"PC 211","jurisdiction":"federal","level":"felony"}' "$B/api/v1/people/$person1/convictions"
req "booking: jurisdiction contradicts the citation" 400 $P '"field":"person.convictions[0].jurisdiction"' -- -H "$CL" -H "$J" \
    -d '{"booking_no":"CT-9","booked_at":"2026-01-05","facility":"Test Jail","person":{"name":"Testperson, Nine","local_id":"L-CT-9","convictions":[{"citation":"18 USC 2113(a)","jurisdiction":"CA"}]}}' "$B/api/v1/bookings"
req "patch conviction: unknown" 404 $P '"field":"id"' -- -H "$CL" -H "$J" -X PATCH -d '{"level":"felony"}' "$B/api/v1/convictions/99999"
req "patch conviction: bad letter" 400 $P '"field":"federal_aggravated_felony"' -- -H "$CL" -H "$J" -X PATCH -d '{"federal_aggravated_felony":"Z"}' "$B/api/v1/convictions/$vid4"
req "patch conviction: date is not changed here" 400 $P '"field":"date"' -- -H "$CL" -H "$J" -X PATCH -d '{"date":"2001-01-01"}' "$B/api/v1/convictions/$vid4"
req "auditor may not add a charge" 403 $P '' -- -H "$AU" -H "$J" -d '{"citation":"PC 484"}' "$B/api/v1/bookings/CT-1/charges"
req "auditor may not patch a conviction" 403 $P '' -- -H "$AU" -H "$J" -X PATCH -d '{"level":"felony"}' "$B/api/v1/convictions/$vid4"

# --- the audit log: each change once, by the clerk, with from/to; no-ops not logged
req "audit log" 200 $A '' -- -H "$AU" "$B/api/v1/audit?limit=500"
jq_is "charge.update entries (finding, dismissal)" '[.entries[] | select(.action == "charge.update")] | length' 2
jq_is "the finding's from/to" '[.entries[] | select(.action == "charge.update")][0].payload.changes.magistrate_probable_cause | "\(.from)->\(.to)"' 'false->true'
jq_is "the dismissal's from/to" '[.entries[] | select(.action == "charge.update")][1].payload.changes.status | "\(.from)->\(.to)"' 'pending->dismissed'
jq_is "charge.add by the clerk" '[.entries[] | select(.action == "charge.add")][0].actor' ct-clerk
jq_is "conviction.add names the person" '[.entries[] | select(.action == "conviction.add")][0].entity' "person/$person2"
jq_is "conviction.update once" '[.entries[] | select(.action == "conviction.update")] | length' 1
jq_is "the reduction's from/to" '[.entries[] | select(.action == "conviction.update")][0].payload.changes.prop47_reduced | "\(.from)->\(.to)"' 'false->true'
req "audit chain intact" 200 $A '"intact":true' -- -H "$AU" "$B/api/v1/audit/verify"
req "still serving" 200 $A '"status":"ok"' -- "$B/healthz"
srv_stop

echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
