#!/bin/sh
# test_console.sh HOLDCHECK: the staff console's routes (docs/console.md) over HTTP: the queue
# (urgency order, the 48-hour flag, notice counts), the notices of a request (owed, deadlines,
# overdue, generated, served once, HTML with its CSP, PDF), interview consent and the rule that
# an interview is granted only after it, release dates given, the agency's intent, warrants,
# a request's audit trail, a person's record, the pages and their headers; bad input on every
# route (a 4xx problem+json naming the field); the roles; and that every action appears in the
# audit log with the acting user. Ends with "N passed, M failed"; exits 1 on any failure.
# shellcheck disable=SC2015 # "A && ok || bad": ok always returns 0, so bad runs only when A fails
set -u
bin=${1:-build/holdcheck}
. "$(dirname "$0")/../http/lib.sh"
. "$(dirname "$0")/setup.sh"

hdr_has() {
    if tr -d '\r' < "$tmp/hdr" | grep -qiE -- "$2"; then ok "$1"; else bad "$1" "no /$2/"; fi
}
day() { date -d "$1" +%Y-%m-%d; }     # GNU date: "today + N days"
stamp() { date -u -d "$1" +%Y-%m-%dT%H:%M:%SZ; }

# --- seed: three people in custody (release tomorrow, in 10 days, none scheduled), one released
bk() { # NO NAME RELEASE [STATUS-FIELDS]
    rel=""
    [ -n "$3" ] && rel=",\"scheduled_release\":\"$3\""
    req "booking $1" 201 $A '' -- -H "$CL" -H "$J" \
        -d "{\"booking_no\":\"$1\",\"booked_at\":\"2026-01-02\",\"facility\":\"Test Jail\"$rel${4:-},
             \"person\":{\"name\":\"$2\",\"local_id\":\"L-$1\",
               \"convictions\":[{\"citation\":\"PC 211\",\"level\":\"felony\",\"date\":\"2012-03-02\"}]},
             \"charges\":[{\"citation\":\"PC 459\",\"level\":\"felony\"},{\"citation\":\"PC 484\",\"level\":\"misdemeanor\",\"status\":\"dismissed\"}]}" \
        "$B/api/v1/bookings"
}
bk Q-SOON "Testperson, Soon" "$(day '+1 day')"
bk Q-LATER "Testperson, Later" "$(day '+10 days')"
bk Q-NONE "Testperson, Nodate" ""
bk Q-GONE "Testperson, Gone" "$(day '-3 days')" ",\"status\":\"released\",\"released_at\":\"$(day '-3 days')\""

now_recv=$(date +%Y-%m-%dT%H:%M:%S%:z)
old_recv=$(date -d '-2 days' +%Y-%m-%dT%H:%M:%S%:z)
r_none=$(post_id /api/v1/bookings/Q-NONE/requests '{"type":"notification","received_at":"'"$old_recv"'"}')
r_later=$(post_id /api/v1/bookings/Q-LATER/requests '{"type":"hold","received_at":"'"$now_recv"'"}')
r_soon=$(post_id /api/v1/bookings/Q-SOON/requests '{"type":"interview","received_at":"'"$now_recv"'"}')
r_gone=$(post_id /api/v1/bookings/Q-GONE/requests '{"type":"hold","received_at":"'"$old_recv"'"}')
r_warr=$(post_id /api/v1/bookings/Q-LATER/requests '{"type":"transfer","judicial_warrant":true,"received_at":"'"$now_recv"'"}')
[ -n "$r_none" ] && [ -n "$r_later" ] && [ -n "$r_soon" ] && [ -n "$r_gone" ] && [ -n "$r_warr" ] &&
    ok "seed requests" || die "seed requests failed"

# --- the queue: scheduled releases first (soonest first), then the rest; 48 h flagged
req "queue" 200 $A '"requests"' -- -H "$CL" "$B/api/v1/console/queue"
jq_is "queue: soonest release first" '.requests[0].booking_no' Q-SOON
jq_is "queue: then the later release" '[.requests[].booking_no] | .[1:3] | unique | join(",")' Q-LATER
jq_is "queue: no date last" '.requests[-1].booking_no' Q-NONE
jq_is "queue: released left out" '[.requests[] | select(.booking_no == "Q-GONE")] | length' 0
jq_is "queue: release within 48 h flagged" '.requests[0].release_within_48h' true
jq_is "queue: 10 days not flagged" '[.requests[] | select(.booking_no == "Q-LATER")][0].release_within_48h' false
jq_is "queue: no date not flagged" '.requests[-1].release_within_48h' false
jq_is "queue: copy owed for the hold" "[.requests[] | select(.id == $r_later)][0].notices.owed" 1
jq_is "queue: two-day-old copy overdue" "[.requests[] | select(.id == $r_none)][0].notices.overdue" 1
jq_is "queue: person named" '.requests[0].person_name' 'Testperson, Soon'
jq_is "queue: effective outcome" "[.requests[] | select(.id == $r_later)][0].effective_outcome" prohibited
req "queue all" 200 $A '"Q-GONE"' -- -H "$AU" "$B/api/v1/console/queue?all=true&limit=10"
req "queue limit" 200 $A '' -- -H "$AU" "$B/api/v1/console/queue?limit=1"
jq_is "queue limit applies" '.requests | length' 1
req "queue bad limit" 400 $P '"field":"limit"' -- -H "$CL" "$B/api/v1/console/queue?limit=0"
req "queue limit too big" 400 $P '"field":"limit"' -- -H "$CL" "$B/api/v1/console/queue?limit=501"
req "queue bad all" 400 $P '"field":"all"' -- -H "$CL" "$B/api/v1/console/queue?all=yes"
req "queue unknown param" 400 $P '"field":"sort"' -- -H "$CL" "$B/api/v1/console/queue?sort=name"
req "queue anonymous" 401 $P '' -- "$B/api/v1/console/queue"
req "queue POST" 405 $P '' -- -H "$CL" -X POST "$B/api/v1/console/queue"

# --- a request's notices: owed, deadline, state
req "notices of the hold" 200 $A '"kind":"copy"' -- -H "$CL" "$B/api/v1/requests/$r_later/notices"
jq_is "copy owed to the person" '.owed[0].to' person
jq_is "copy cites (b)" '.owed[0].subdivision' '7283.1(b), first sentence'
jq_is "copy states intent no (prohibited)" '.owed[0].intent' no
jq_is "copy due within 8 h of receipt" '.owed[0].words' 'upon receiving'
jq_is "copy pending" '.owed[0].state' pending
# Both are UTC instants of one format, so their order is the strings' order ([ \> ] is not POSIX).
deadline=$(jq -r '.owed[0].deadline' "$tmp/body")
between=$(printf '%s\n' "$(stamp '+7 hours')" "$deadline" "$(stamp '+9 hours')" | LC_ALL=C sort | sed -n 2p)
[ "$between" = "$deadline" ] && [ "$deadline" != "$(stamp '+7 hours')" ] &&
    ok "copy deadline is receipt + 8 h" || bad "copy deadline is receipt + 8 h" "$(jq -r '.owed[0].deadline' "$tmp/body")"
req "notices of the old notification" 200 $A '' -- -H "$CL" "$B/api/v1/requests/$r_none/notices"
jq_is "old copy overdue" '.owed[0].state' overdue
jq_is "permitted copy: intent undecided, flagged" '.owed[0].flags | join(",")' intent_pending
req "notices unknown request" 404 $P '"field":"id"' -- -H "$CL" "$B/api/v1/requests/9999/notices"
req "notices bad id" 400 $P '"field":"id"' -- -H "$CL" "$B/api/v1/requests/x1/notices"
req "notices anonymous" 401 $P '' -- "$B/api/v1/requests/$r_later/notices"

# --- generating notices: validation, then a copy in Chinese
N="$B/api/v1/requests/$r_later/notices"
req "generate bad kind" 400 $P '"field":"kind"' -- -H "$CL" -H "$J" -d '{"kind":"letter","language":"en"}' "$N"
req "generate bad language" 400 $P '"field":"language"' -- -H "$CL" -H "$J" -d '{"kind":"copy","language":"fr"}' "$N"
req "generate missing language" 400 $P '"field":"language"' -- -H "$CL" -H "$J" -d '{"kind":"copy"}' "$N"
req "generate unknown field" 400 $P '"field":"colour"' -- -H "$CL" -H "$J" -d '{"kind":"copy","language":"en","colour":1}' "$N"
req "generate forbidden field" 400 $P 'never records immigration status' -- -H "$CL" -H "$J" -d '{"kind":"copy","language":"en","nationality":"x"}' "$N"
req "generate wrong type" 400 $P '"field":"kind"' -- -H "$CL" -H "$J" -d '{"kind":1,"language":"en"}' "$N"
req "generate malformed" 400 $P '' -- -H "$CL" -H "$J" -d '{"kind":' "$N"
req "generate not json" 415 $P '' -- -H "$CL" -d 'kind=copy' "$N"
req "generate bad recipient" 400 $P '"field":"recipient"' -- -H "$CL" -H "$J" -d '{"kind":"release","language":"en","recipient":"judge"}' "$N"
req "generate copy to attorney refused" 422 $P '"field":"recipient"' -- -H "$CL" -H "$J" -d '{"kind":"copy","language":"en","recipient":"attorney","recipient_name":"A"}' "$N"
req "generate attorney without name" 400 $P '"field":"recipient_name"' -- -H "$CL" -H "$J" -d '{"kind":"release","language":"en","recipient":"attorney"}' "$N"
req "generate name for the person" 400 $P '"field":"recipient_name"' -- -H "$CL" -H "$J" -d '{"kind":"copy","language":"en","recipient_name":"X"}' "$N"
req "generate release not owed" 422 $P 'record that first' -- -H "$CL" -H "$J" -d '{"kind":"release","language":"en"}' "$N"
req "generate consent not owed" 422 $P '7283.1(a)' -- -H "$CL" -H "$J" -d '{"kind":"consent","language":"en"}' "$N"
req "generate auditor refused" 403 $P 'auditor' -- -H "$AU" -H "$J" -d '{"kind":"copy","language":"en"}' "$N"
req "generate unknown request" 404 $P '"field":"id"' -- -H "$CL" -H "$J" -d '{"kind":"copy","language":"en"}' "$B/api/v1/requests/9999/notices"
req "generate copy zh" 201 $A '"language":"zh"' -- -H "$CL" -H "$J" -d '{"kind":"copy","language":"zh"}' "$N"
nid=$(jq -r .id "$tmp/body")
jq_is "generated by the clerk" '.generated_by' c-clerk
jq_is "generated states intent" '.intent' no
jq_is "not served yet" '.served_at' null
hdr_has "generate Location" "^location: /api/v1/notices/$nid/html"
audit_has "audit: notice.generate by the clerk" notice.generate c-clerk ".payload.id == $nid and .payload.request_id == $r_later"

# --- its HTML and PDF
req "notice html" 200 'text/html; charset=utf-8' 'lang="zh-Hant"' -- -H "$AU" "$B/api/v1/notices/$nid/html"
grep -qF 'Testperson, Later' "$tmp/body" && ok "html names the person" || bad "html names the person" "no"
grep -qF 'Q-LATER' "$tmp/body" && ok "html names the booking" || bad "html names the booking" "no"
grep -qF '7284.6(a)(1)(B)' "$tmp/body" && ok "html names the decision's basis" || bad "html names the decision's basis" "no"
hdr_has "html CSP allows only its style" "^content-security-policy: default-src 'none'; style-src 'sha256-[A-Za-z0-9+/=]{44}'"
hdr_has "html nosniff" '^x-content-type-options: nosniff'
hdr_has "html no-store" '^cache-control: no-store'
if command -v perl > /dev/null && command -v openssl > /dev/null; then
    want=$(perl -0777 -ne 'print $1 if /<style>(.*?)<\/style>/s' "$tmp/body" | openssl dgst -sha256 -binary | base64)
    hdr_has "html CSP hash matches the style" "sha256-$(printf '%s' "$want" | sed 's/[+/]/./g')"
fi
req "notice pdf" 200 application/pdf '' -- -H "$CL" "$B/api/v1/notices/$nid/pdf"
[ "$(head -c 5 "$tmp/body")" = '%PDF-' ] && ok "pdf is a PDF" || bad "pdf is a PDF" "$(head -c 20 "$tmp/body")"
hdr_has "pdf inline with a name" "^content-disposition: inline; filename=\"notice-$nid-copy-zh.pdf\""
req "notice html unknown" 404 $P '"field":"id"' -- -H "$CL" "$B/api/v1/notices/9999/html"
req "notice pdf bad id" 400 $P '"field":"id"' -- -H "$CL" "$B/api/v1/notices/0/pdf"
req "notice html anonymous" 401 $P '' -- "$B/api/v1/notices/$nid/html"

# --- serving: once, by the acting user, to the person by default
S="$B/api/v1/notices/$nid/served"
req "served bad method" 400 $P '"field":"method"' -- -H "$CL" -H "$J" -d '{"method":"pigeon"}' "$S"
req "served future" 400 $P '"field":"served_at"' -- -H "$CL" -H "$J" -d "{\"served_at\":\"$(stamp '+2 days')\"}" "$S"
req "served before generated" 400 $P '"field":"served_at"' -- -H "$CL" -H "$J" -d '{"served_at":"2020-01-01T00:00:00Z"}' "$S"
req "served bad time" 400 $P '"field":"served_at"' -- -H "$CL" -H "$J" -d '{"served_at":"yesterday"}' "$S"
req "served unknown field" 400 $P '"field":"by"' -- -H "$CL" -H "$J" -d '{"by":"x"}' "$S"
req "served empty name" 400 $P '"field":"served_to"' -- -H "$CL" -H "$J" -d '{"served_to":""}' "$S"
req "served auditor refused" 403 $P '' -- -H "$AU" -H "$J" -d '{}' "$S"
req "served unknown notice" 404 $P '"field":"id"' -- -H "$CL" -H "$J" -d '{}' "$B/api/v1/notices/9999/served"
req "served" 200 $A '"served_by":"c-clerk"' -- -H "$CL" -H "$J" -d '{}' "$S"
jq_is "served to the person by default" '.served_to' 'Testperson, Later'
jq_is "served in person by default" '.method' in_person
req "served twice refused" 409 $P 'already served' -- -H "$SU" -H "$J" -d '{}' "$S"
audit_has "audit: notice.serve by the clerk" notice.serve c-clerk ".payload.id == $nid and .payload.served_to == \"Testperson, Later\""
req "notices after service" 200 $A '' -- -H "$CL" "$B/api/v1/requests/$r_later/notices"
jq_is "copy now served" '.owed[0].state' served
jq_is "served notice linked" '.owed[0].served_notice_id' "$nid"

# --- intent: any writer states it (intent_by = clerk, the default: test_console_job.sh has the
#     setting); a new copy is owed when it changes
I="$B/api/v1/requests/$r_none/intent"
req "intent auditor refused" 403 $P 'the auditor role may not use PUT' -- -H "$AU" -H "$J" -X PUT -d '{"intent":"yes"}' "$I"
req "intent bad value" 400 $P '"field":"intent"' -- -H "$SU" -H "$J" -X PUT -d '{"intent":"maybe"}' "$I"
req "intent unset refused" 400 $P '"field":"intent"' -- -H "$SU" -H "$J" -X PUT -d '{"intent":"unset"}' "$I"
req "intent missing" 400 $P '"field":"intent"' -- -H "$SU" -H "$J" -X PUT -d '{}' "$I"
req "intent yes on a prohibited request" 422 $P '"field":"intent"' -- -H "$SU" -H "$J" -X PUT -d '{"intent":"yes"}' "$B/api/v1/requests/$r_later/intent"
req "intent yes" 200 $A '"intent":"yes"' -- -H "$SU" -H "$J" -X PUT -d '{"intent":"yes"}' "$I"
jq_is "intent stated" '.intent_stated' true
jq_is "copy now states yes" '.owed[0].intent' yes
jq_is "no longer flagged" '.owed[0].flags | length' 0
audit_has "audit: intent.record by the supervisor" intent.record c-supervisor ".payload.request_id == $r_none and .payload.intent == \"yes\""

# --- release dates given to ICE: the release notices become owed, to the person and counsel
D="$B/api/v1/requests/$r_none/disclosures"
req "disclosure missing date" 400 $P '"field":"release_date"' -- -H "$CL" -H "$J" -d '{}' "$D"
req "disclosure bad date" 400 $P '"field":"release_date"' -- -H "$CL" -H "$J" -d '{"release_date":"soon"}' "$D"
req "disclosure future told_at" 400 $P '"field":"told_at"' -- -H "$CL" -H "$J" -d "{\"release_date\":\"2030-01-01\",\"told_at\":\"$(stamp '+3 days')\"}" "$D"
req "disclosure auditor refused" 403 $P '' -- -H "$AU" -H "$J" -d '{"release_date":"2030-01-01"}' "$D"
req "disclosure" 201 $A '"kind":"release"' -- -H "$CL" -H "$J" -d '{"release_date":"2030-01-01T08:00:00-08:00"}' "$D"
jq_is "release owed to the person and counsel" '[.owed[] | select(.kind == "release") | .to] | join(",")' person,counsel
jq_is "release cites (b), second sentence" '[.owed[] | select(.kind == "release") | .subdivision] | unique | join(",")' '7283.1(b), second sentence'
jq_is "release due promptly" '[.owed[] | select(.kind == "release") | .words] | unique | join(",")' promptly
audit_has "audit: release.disclose by the clerk" release.disclose c-clerk ".payload.request_id == $r_none"
req "release to counsel" 201 $A '"recipient":"designee"' -- -H "$CL" -H "$J" \
    -d '{"kind":"release","language":"es","recipient":"designee","recipient_name":"Pat Designee"}' "$B/api/v1/requests/$r_none/notices"
cid=$(jq -r .id "$tmp/body")
jq_is "release notice carries the date given" '.release_date' '2030-01-01T08:00:00-08:00'
req "release to counsel served" 200 $A '"served_to":"Pat Designee"' -- -H "$SU" -H "$J" -d '{"method":"mail"}' "$B/api/v1/notices/$cid/served"
audit_has "audit: notice.serve by the supervisor" notice.serve c-supervisor ".payload.id == $cid and .payload.method == \"mail\""
req "notices after counsel" 200 $A '' -- -H "$CL" -H "$J" "$B/api/v1/requests/$r_none/notices"
jq_is "counsel's release served" '[.owed[] | select(.to == "counsel")][0].state' served
jq_is "person's release still owed" '[.owed[] | select(.kind == "release" and .to == "person")][0].state' pending

# --- interview: consent form, the person's answer, then (only then) granted
C="$B/api/v1/requests/$r_soon/consent"
IV="$B/api/v1/requests/$r_soon/interview"
req "interview notices" 200 $A '"kind":"consent"' -- -H "$CL" "$B/api/v1/requests/$r_soon/notices"
jq_is "consent required by the conditions" '.consent_required' true
jq_is "grant blocked" '.may_grant_interview' false
req "consent bad answer" 400 $P '"field":"answer"' -- -H "$CL" -H "$J" -d '{"answer":"maybe"}' "$C"
req "consent missing answer" 400 $P '"field":"answer"' -- -H "$CL" -H "$J" -d '{}' "$C"
req "consent attorney with decline" 400 $P '"field":"attorney"' -- -H "$CL" -H "$J" -d '{"answer":"decline","attorney":"X"}' "$C"
req "consent on a hold refused" 422 $P 'only for an interview' -- -H "$CL" -H "$J" -d '{"answer":"consent"}' "$B/api/v1/requests/$r_later/consent"
req "consent auditor refused" 403 $P '' -- -H "$AU" -H "$J" -d '{"answer":"consent"}' "$C"
req "interview bad status" 400 $P '"field":"status"' -- -H "$CL" -H "$J" -d '{"status":"done"}' "$IV"
req "interview scheduled needs at" 400 $P '"field":"at"' -- -H "$CL" -H "$J" -d '{"status":"scheduled"}' "$IV"
req "interview at only when scheduled" 400 $P '"field":"at"' -- -H "$CL" -H "$J" -d '{"status":"granted","at":"2030-01-01"}' "$IV"
req "interview on a hold refused" 422 $P 'not an interview' -- -H "$CL" -H "$J" -d '{"status":"granted"}' "$B/api/v1/requests/$r_later/interview"
req "interview scheduled" 201 $A '"interview_status":"scheduled"' -- -H "$CL" -H "$J" -d "{\"status\":\"scheduled\",\"at\":\"$(stamp '+5 hours')\"}" "$IV"
jq_is "consent form due by the interview" '[.owed[] | select(.kind == "consent")][0].deadline | . != null' true
audit_has "audit: interview.record (scheduled) by the clerk" interview.record c-clerk ".payload.request_id == $r_soon and .payload.status == \"scheduled\""
req "grant before the form refused" 422 $P 'consent form is served' -- -H "$CL" -H "$J" -d '{"status":"granted"}' "$IV"
req "consent form ko" 201 $A '"kind":"consent"' -- -H "$CL" -H "$J" -d '{"kind":"consent","language":"ko"}' "$B/api/v1/requests/$r_soon/notices"
fid=$(jq -r .id "$tmp/body")
req "grant before serving refused" 422 $P 'consent form is served' -- -H "$CL" -H "$J" -d '{"status":"granted"}' "$IV"
req "consent form served" 200 $A '' -- -H "$CL" -H "$J" -d '{}' "$B/api/v1/notices/$fid/served"
req "grant before the answer refused" 422 $P "answer is recorded" -- -H "$CL" -H "$J" -d '{"status":"granted"}' "$IV"
req "answer: decline" 201 $A '"answer":"decline"' -- -H "$CL" -H "$J" -d '{"answer":"decline"}' "$C"
req "grant after decline refused" 422 $P 'declined' -- -H "$CL" -H "$J" -d '{"status":"granted"}' "$IV"
req "answer: attorney only, no attorney" 201 $A '"answer":"attorney_only"' -- -H "$CL" -H "$J" -d '{"answer":"attorney_only"}' "$C"
req "grant without the attorney refused" 422 $P 'record the attorney' -- -H "$CL" -H "$J" -d '{"status":"granted"}' "$IV"
req "answer: attorney only, with attorney" 201 $A '"attorney":"Jo Counsel"' -- -H "$CL" -H "$J" -d '{"answer":"attorney_only","attorney":"Jo Counsel"}' "$C"
jq_is "grant allowed now" '.may_grant_interview' true
audit_has "audit: consent.record by the clerk" consent.record c-clerk ".payload.request_id == $r_soon and .payload.attorney == \"Jo Counsel\""
req "granted" 201 $A '"interview_status":"granted"' -- -H "$CL" -H "$J" -d '{"status":"granted"}' "$IV"
jq_is "grant names the consent" '[.interviews[] | select(.status == "granted")][0].consent_id | . != null' true
audit_has "audit: interview.record (granted) by the clerk" interview.record c-clerk ".payload.request_id == $r_soon and .payload.status == \"granted\" and .payload.consent_id != null"
# The schema's triggers refuse these; any other failure (a busy lock, a renamed table) is not
# a pass, so the trigger's own message must come back.
refused() { # NAME SQL MESSAGE
    if out=$(sqlite3 -cmd '.timeout 5000' "$db" "$2" 2>&1); then bad "$1" "the statement succeeded"
    elif echo "$out" | grep -qF -- "$3"; then ok "$1"; else bad "$1" "refused for another reason: $out"; fi
}
command -v sqlite3 > /dev/null || die "sqlite3 is needed (tools/install-deps.sh installs it)"
refused "consents append-only" "UPDATE interview_consents SET answer = 'consent'" append-only
refused "served notice fixed" "UPDATE notices SET served_to = 'X' WHERE id = $nid" "served once"
refused "notices never deleted" "DELETE FROM notices" "append-only"
# A prohibited interview (supervisor override) cannot be granted, whatever the consent.
r_iv2=$(post_id /api/v1/bookings/Q-SOON/requests '{"type":"interview","confirm_new":true,"received_at":"'"$now_recv"'"}')
req "override interview to prohibited" 201 $A '' -- -H "$SU" -H "$J" -d '{"outcome":"prohibited","reason":"test"}' "$B/api/v1/requests/$r_iv2/override"
req "grant on prohibited refused" 422 $P 'may not take place' -- -H "$CL" -H "$J" -d '{"status":"granted"}' "$B/api/v1/requests/$r_iv2/interview"
req "refused step allowed" 201 $A '"interview_status":"refused"' -- -H "$CL" -H "$J" -d '{"status":"refused"}' "$B/api/v1/requests/$r_iv2/interview"
req "no consent form for a prohibited interview" 200 $A '' -- -H "$CL" "$B/api/v1/requests/$r_iv2/notices"
jq_is "nothing owed" '.owed | length' 0

# --- judicial warrant: court and judge
W="$B/api/v1/requests/$r_warr/warrant"
req "warrant missing judge" 400 $P '"field":"judge"' -- -H "$CL" -H "$J" -d '{"court":"U.S. District Court"}' "$W"
req "warrant missing court" 400 $P '"field":"court"' -- -H "$CL" -H "$J" -d '{"judge":"J"}' "$W"
req "warrant too long" 400 $P '"field":"court"' -- -H "$CL" -H "$J" -d "{\"court\":\"$(printf '%0201d' 0)\",\"judge\":\"J\"}" "$W"
req "warrant on a request without one" 422 $P 'without a judicial warrant' -- -H "$CL" -H "$J" -d '{"court":"C","judge":"J"}' "$B/api/v1/requests/$r_later/warrant"
req "warrant" 201 $A '"judge":"Hon. Test Magistrate"' -- -H "$CL" -H "$J" \
    -d '{"court":"United States District Court, N.D. Cal.","judge":"Hon. Test Magistrate"}' "$W"
audit_has "audit: warrant.record by the clerk" warrant.record c-clerk ".payload.request_id == $r_warr"

# --- the audit trail of one request, with the acting users
req "request audit" 200 $A '"action":"request.receive"' -- -H "$AU" "$B/api/v1/requests/$r_soon/audit"
jq_is "trail: every action of the request" '[.entries[].action] | unique | join(",")' \
    'consent.record,decision.record,interview.record,notice.generate,notice.serve,request.receive'
jq_is "trail: only this request" "[.entries[] | select(.payload.request_id != null and .payload.request_id != $r_soon)] | length" 0
jq_is "trail: acting users" '[.entries[].actor] | unique | join(",")' c-clerk
jq_is "trail: in order" '[.entries[].seq] == ([.entries[].seq] | sort)' true
req "request audit clerk" 200 $A '' -- -H "$CL" "$B/api/v1/requests/$r_none/audit"
jq_is "trail: disclosure, intent and service by their users" \
    '[.entries[] | select(.action == "intent.record" or .action == "notice.serve" or .action == "release.disclose") | "\(.action)=\(.actor)"] | unique | join(",")' \
    'intent.record=c-supervisor,notice.serve=c-supervisor,release.disclose=c-clerk'
req "request audit unknown" 404 $P '"field":"id"' -- -H "$AU" "$B/api/v1/requests/9999/audit"
req "request audit bad id" 400 $P '"field":"id"' -- -H "$AU" "$B/api/v1/requests/-1/audit"

# --- a person's record
person_id=$(curl -s -H "$CL" "$B/api/v1/bookings/Q-LATER" | jq -r .person.id)
req "person" 200 $A '"booking_no":"Q-LATER"' -- -H "$AU" "$B/api/v1/people/$person_id"
jq_is "person: convictions" '.person.convictions[0].citation' 'PC 211'
jq_is "person: charges with dispositions" '[.bookings[0].charges[].status] | join(",")' 'pending,dismissed'
jq_is "person: requests" '.bookings[0].requests | length' 2
jq_is "person: no immigration status" '[.. | objects | keys[] | select(test("immigration_status|nationality|ethnicity|citizenship"))] | length' 0
req "person unknown" 404 $P '"field":"id"' -- -H "$AU" "$B/api/v1/people/9999"
req "person bad id" 400 $P '"field":"id"' -- -H "$AU" "$B/api/v1/people/abc"
req "person anonymous" 401 $P '' -- "$B/api/v1/people/$person_id"

# --- the pages: served from the binary with a CSP allowing only the console's own files
req "console redirect" 301 '' '' -- "$B/console"
hdr_has "redirect target" '^location: /console/'
req "console index" 200 'text/html; charset=utf-8' 'Sign in' -- "$B/console/"
hdr_has "page CSP: scripts from self only" "^content-security-policy: default-src 'none'; script-src 'self'; style-src 'self'"
hdr_has "page nosniff" '^x-content-type-options: nosniff'
hdr_has "page frame-ancestors none" "frame-ancestors 'none'"
if grep -qiE '<script>|<script [^>]*>[^<]|on(click|load|submit)=|style=' "$tmp/body"; then bad "no inline script or style" "found"; else ok "no inline script or style"; fi
for f in index.html queue.html intake.html request.html person.html audit.html settings.html reports.html; do
    req "page $f" 200 'text/html; charset=utf-8' '<main id="main"' -- "$B/console/$f"
    grep -q '<html lang="en">' "$tmp/body" && grep -q 'type="module"' "$tmp/body" && ! grep -qiE '<script>|style="' "$tmp/body" &&
        ok "page $f: lang, module, nothing inline" || bad "page $f: lang, module, nothing inline" "no"
done
req "page js" 200 'text/javascript; charset=utf-8' 'export' -- "$B/console/app.js"
req "page css" 200 'text/css; charset=utf-8' ':focus-visible' -- "$B/console/console.css"
req "page missing" 404 $P '' -- "$B/console/nope.html"
req "page nested" 404 $P '' -- "$B/console/a/b.js"
req "page POST" 405 $P '' -- -X POST "$B/console/app.js"
req "public page unaffected" 200 '' '' -- "$B/"

# --- every console action in the audit log with the acting user (checked above, after each
#     action); and the chain is still intact
req "audit verify" 200 $A '"intact":true' -- -H "$AU" "$B/api/v1/audit/verify"
audit_all
cp "$tmp/audit" "$tmp/body"
jq_is "console actions in the log" '[.[] | select(.action | test("^(notice|consent|intent|release|interview|warrant)[.]"))] | length >= 15' true
jq_is "no console action without a user" \
    '[.[] | select(.action | test("^(notice|consent|intent|release|interview|warrant)[.]")) | select(.actor == null or .actor == "" or (.actor | startswith("c-") | not))] | length' 0

req "still serving" 200 $A '"status":"ok"' -- "$B/healthz"
srv_stop
echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
