#!/bin/sh
# test_cpra.sh HOLDCHECK: the cpra report (Gov. Code 7283.1(c), docs/reports.md) on a fixture
# of two people built here through the HTTP API, worked out by hand below:
#  - which records are in the bundle (each by its own time in the period; a request received
#    before the period is out, its later action in; a T or U visa certification and a local
#    officer's status inquiry are never in it), the figures and their request ids;
#  - the placeholders: one a person and one a booking, numbered in order of first appearance,
#    the same on every record of that person; a redaction log entry for every replacement;
#  - no name, booking number, local id or date of birth of the fixture, nor any free text
#    typed about them, in the redacted bundle in any format (CLI and HTTP); ICE's lift reason
#    "citizenship_claim" withheld even unredacted;
#  - redaction=off: 403 for an auditor, the names for an administrator, and that access in the
#    audit log; the CLI's --unredacted too;
#  - `report --check cpra` passes, and fails after a record is changed behind its back.
# Ends with "N passed, M failed"; exits 1 on any failure.
# shellcheck disable=SC2015 # "A && ok || bad": ok always returns 0, so bad runs only when A fails
set -u
bin=${1:-build/holdcheck}
. "$(dirname "$0")/../http/lib.sh"
# shellcheck source=fixture.sh
. "$(dirname "$0")/fixture.sh"
CL=$(bearer clerk) SU=$(bearer supervisor) AU=$(bearer auditor) AD=$(bearer admin)
[ -n "$CL" ] && [ -n "$SU" ] && [ -n "$AU" ] && [ -n "$AD" ] || die "user add failed"
srv_start "$db"

# Days relative to today (UTC noon), so the fixture's decisions and notices, written now, fall
# in the same period as the requests: day N is N days ago.
day() { date -u -d "-$1 days" +%Y-%m-%dT%H:00:00Z; }
FROM=$(date -d "-100 days" +%Y-%m-%d) TO=$(date +%Y-%m-%d)

# post NAME AUTH PATH JSON [STATUS]
post() {
    req "$1" "${5:-201}" $A '' -- -H "$2" -H "$J" -d "$4" "$B/api/v1/requests/$3"
}

booking CP-001 "Fixture, Anna" 1980-02-03 "$(day 60)" 1
booking CP-002 "Fixture, Boris" 1975-07-08 "$(day 150)" 0
# 1: a hold on Boris received 120 days ago (before the period): prohibited; declined 90 days
#    ago (in the period).
request CP-002 hold "$(day 120)" 1
post "1 declined" "$CL" 1/actions "{\"kind\":\"declined\",\"at\":\"$(day 90)\"}"
# 2: a notification request on Anna, 50 days ago, from ICE's field office on form I-247N:
#    permitted (7282.5(a)(1)). The agency intends to comply, told ICE the release date 45
#    days ago (an action typed by the clerk with the officer's name, and a disclosure), and
#    served the person a copy of the request (7283.1(b)).
request CP-001 notification "$(day 50)" 2 ',"form":"I-247N","issuing_office":"Fixture Field Office"'
req "2 intent" 200 $A '' -- -X PUT -H "$CL" -H "$J" -d '{"intent":"yes"}' "$B/api/v1/requests/2/intent"
post "2 notified" "$CL" 2/actions "{\"kind\":\"notified\",\"at\":\"$(day 45)\",\"method\":\"phone\",\"acted_by\":\"Officer Zed Fixtureson\"}"
post "2 disclosure" "$CL" 2/disclosures "{\"release_date\":\"$(date -d '+10 days' +%Y-%m-%d)\",\"told_at\":\"$(day 45)\"}"
post "2 copy notice" "$CL" 2/notices '{"kind":"copy","language":"en"}'
n2=$(jq -r .id "$tmp/body")
req "2 copy served" 200 $A '' -- -H "$CL" -H "$J" -d '{"method":"in_person"}' "$B/api/v1/notices/$n2/served"
# 3: Anna's T or U visa certification, 40 days ago: not a communication with ICE, never in
#    the bundle.
request CP-001 visa_certification "$(day 40)" 3
# 4: a transfer request on Boris with a judicial warrant, 30 days ago: permitted
#    (7284.6(a)(4)); the warrant's court and judge; overridden to prohibited with a reason that
#    names him; transferred 20 days ago anyway by a supervisor (contrary, a reason with his
#    booking number).
request CP-002 transfer "$(day 30)" 4 ',"judicial_warrant":true'
post "4 warrant" "$CL" 4/warrant '{"court":"Fixture Superior Court","judge":"Judge Hale"}'
post "4 override" "$SU" 4/override '{"outcome":"prohibited","reason":"counsel for Fixture, Boris called"}'
post "4 transferred" "$SU" 4/actions "{\"kind\":\"transferred\",\"at\":\"$(day 20)\",\"office\":\"Fixture ICE Office\",\"reason\":\"CP-002 asked to go, Boris\"}"
# 5: an interview request on Boris, 25 days ago: permitted with conditions (7283.1(a)); the
#    consent form served, his answer: only with his attorney, named.
request CP-002 interview "$(day 25)" 5
post "5 consent form" "$CL" 5/notices '{"kind":"consent","language":"es"}'
n5=$(jq -r .id "$tmp/body")
req "5 consent form served" 200 $A '' -- -H "$CL" -H "$J" -d '{"method":"in_person"}' "$B/api/v1/notices/$n5/served"
post "5 consent answer" "$CL" 5/consent '{"answer":"attorney_only","attorney":"Attorney Quill Fixture"}'
# 6: a notification request on Boris, 10 days ago: prohibited (no record); ICE lifted it 5
#    days ago giving a claim to US citizenship as its reason.
request CP-002 notification "$(day 10)" 6
post "6 lifted" "$CL" 6/actions "{\"kind\":\"lifted_by_ice\",\"at\":\"$(day 5)\",\"ice_reason\":\"citizenship_claim\"}"
# 7: a local officer's status inquiry about Anna, 8 days ago: not ICE's; never in the bundle.
request CP-001 status_inquiry "$(day 8)" 7

# jqok NAME FILE FILTER: FILTER is true of FILE
jqok() {
    jq -e "$3" "$2" > /dev/null && ok "$1" || bad "$1" "$(jq -c "${4:-.}" "$2" | head -c 1500)"
}

# --- the bundle of the last 100 days, by hand:
#  requests received: 2, 4, 5, 6 (not 1: before the period; not 3 nor 7: never) = 4;
#  decisions (each request decided at intake, today): 1, 2, 4, 5, 6 = 5; overrides: 4;
#  intents: 2; actions: 1 (declined), 2 (notified), 4 (transferred), 6 (lifted) = 4;
#  disclosures: 2; notices: 2 (copy), 5 (consent) = 2; consents: 5; warrants: 4;
#  interviews: none. 20 records, about 2 people (Anna: 2; Boris: 1, 4, 5, 6).
#  requests by type: notification 2, 6; transfer 4; interview 5.
B1=$tmp/cpra.json
"$bin" report cpra --db "$db" --from "$FROM" --to "$TO" > "$B1" 2> "$tmp/err" && ok "report cpra" || bad "report cpra" "$(cat "$tmp/err")"
fig "$B1" total records "20 1,2,4,5,6"
fig "$B1" total people "2 1,2,4,5,6"
fig "$B1" records immigration_requests "4 2,4,5,6"
fig "$B1" records decisions "5 1,2,4,5,6"
fig "$B1" records overrides "1 4"
fig "$B1" records request_intents "1 2"
fig "$B1" records request_actions "4 1,2,4,6"
fig "$B1" records release_disclosures "1 2"
fig "$B1" records notices "2 2,5"
fig "$B1" records interview_consents "1 5"
fig "$B1" records request_warrants "1 4"
fig "$B1" records interviews "0 "
fig "$B1" requests notification "2 2,6"
fig "$B1" requests transfer "1 4"
fig "$B1" requests interview "1 5"
jqok "cpra: no other figure" "$B1" '[.figures[] | .group + "/" + .key] | length == 15' '[.figures[] | .group + "/" + .key]'
jqok "cpra: never the visa certification nor the status inquiry" "$B1" '[.rows[] | .request_id] | index(3) == null and index(7) == null'
jqok "cpra: 20 rows, in time order" "$B1" '(.rows | length) == 20 and ([.rows[] | .time_utc] == ([.rows[] | .time_utc] | sort))' '[.rows[] | .time_utc]'
jqok "cpra: the header" "$B1" '.report == "cpra" and .definition_version == "cpra/1" and (.answers | test("7283.1\\(c\\)")) and (.redaction | startswith("on"))' 'del(.rows, .redactions)'

# The placeholders: Boris first appears (the declined hold, 90 days ago), so he is Person 1
# with Booking 1 (CP-002) on every record about him; Anna is Person 2, Booking 2 (CP-001).
jqok "cpra: Boris is Person 1 / Booking 1 on each of his records" "$B1" \
    '[.rows[] | select(.request_id == 1 or .request_id == 4 or .request_id == 5 or .request_id == 6) | .person + "/" + .booking] | unique == ["Person 1/Booking 1"]' '[.rows[] | [.request_id, .person, .booking]]'
jqok "cpra: Anna is Person 2 / Booking 2 on each of hers" "$B1" \
    '[.rows[] | select(.request_id == 2) | .person + "/" + .booking] | unique == ["Person 2/Booking 2"]' '[.rows[] | [.request_id, .person, .booking]]'
# Free text typed by staff, redacted whole: the override's reason, the transfer's reason, the
# officer who told ICE. The attorney is a Contact; the copy served on Anna names her: Person 2.
jqok "cpra: free text redacted whole" "$B1" \
    '[.rows[] | select(.record == "override") | .fields.reason] == ["[redacted]"] and
     [.rows[] | select(.record == "action" and .request_id == 4) | .fields.reason] == ["[redacted]"] and
     [.rows[] | select(.record == "action" and .request_id == 2) | .fields.acted_by] == ["[redacted]"]' '[.rows[] | select(.record == "override" or .record == "action")]'
jqok "cpra: the attorney is Contact 1, the copy served on Anna names Person 2" "$B1" \
    '[.rows[] | select(.record == "consent") | .fields.attorney] == ["Contact 1"] and
     [.rows[] | select(.record == "notice" and .request_id == 2) | .fields.served_to] == ["Person 2"]' '[.rows[] | select(.record == "consent" or .record == "notice")]'
jqok "cpra: what ICE asked and the provisions cited stay" "$B1" \
    '([.rows[] | select(.record == "request" and .request_id == 2) | .fields | .form + "|" + .issuing_office + "|" + .outcome_in_force] == ["I-247N|Fixture Field Office|permitted"]) and
     ([.rows[] | select(.record == "decision" and .request_id == 2) | .fields.qualifying | test("7282.5\\(a\\)\\(1\\)")] == [true]) and
     ([.rows[] | select(.record == "warrant") | .fields.court] == ["Fixture Superior Court"]) and
     ([.rows[] | select(.record == "action" and .request_id == 4) | .fields.office + "|" + .fields.contrary] == ["Fixture ICE Office|1"])' '[.rows[] | select(.request_id == 2 or .request_id == 4)]'
jqok "cpra: staff user names are written (public employees acting officially)" "$B1" \
    '[.rows[] | select(.record == "override") | .fields.created_by] == ["f-supervisor"]' '[.rows[] | select(.record == "override")]'
jqok "cpra: ICE's citizenship-claim reason withheld" "$B1" \
    '[.rows[] | select(.record == "action" and .request_id == 6) | .fields.ice_reason] == ["[withheld]"]' '[.rows[] | select(.request_id == 6)]'
# The redaction log: a name and a booking number a row (40), a date of birth a request row (4),
# three free texts, the attorney and the two served_to names (recipient names are unset), and
# the withheld reason = 51; each with its record, field, placeholder and basis.
jqok "cpra: the redaction log, one entry a redaction" "$B1" \
    '(.redactions | length) == 51 and
     ([.redactions[] | select(.field == "people.name")] | length) == 20 and
     ([.redactions[] | select(.field == "people.date_of_birth") | .placeholder] == ["(removed)","(removed)","(removed)","(removed)"]) and
     ([.redactions[] | select(.field == "reason" or .field == "acted_by")] | length) == 3 and
     ([.redactions[] | select(.field == "ice_reason")] | length) == 1 and
     all(.redactions[]; (.table | type) == "string" and (.id | type) == "number" and (.placeholder | type) == "string" and (.basis | test("^Gov. Code 7283.1\\(c\\)")))' '.redactions'
jqok "cpra: the log names the record of each" "$B1" \
    '[.redactions[] | select(.field == "reason" and .table == "overrides")] | length == 1'

# --- no personal data of the fixture in the redacted bundle, in any format, CLI and HTTP:
# names, booking numbers, local ids, dates of birth, and the free text typed about them.
sqlite3 "$db" "SELECT name FROM people UNION ALL SELECT booking_no FROM bookings
  UNION ALL SELECT local_id FROM people UNION ALL SELECT date_of_birth FROM people" > "$tmp/pii"
printf '%s\n' "Officer Zed Fixtureson" "Attorney Quill Fixture" "Boris" "Anna" "counsel for" "asked to go" \
    "citizenship_claim" >> "$tmp/pii"
[ "$(wc -l < "$tmp/pii")" -eq 15 ] && ok "pii list: 2 people, 4 identifiers each, 7 texts" || bad "pii list" "$(wc -l < "$tmp/pii")"
for f in json csv html; do
    "$bin" report cpra --db "$db" --from "$FROM" --to "$TO" --format $f > "$tmp/out.$f" 2> "$tmp/err" ||
        bad "report cpra $f" "$(cat "$tmp/err")"
    req "http cpra $f (auditor)" 200 '' '' -- -H "$AU" "$B/api/v1/reports/cpra?from=$FROM&to=$TO&format=$f"
    cp "$tmp/body" "$tmp/http.$f"
    for o in "$tmp/out.$f" "$tmp/http.$f"; do
        if grep -qiFf "$tmp/pii" "$o"; then
            bad "no personal data: $(basename "$o")" "$(grep -oiFf "$tmp/pii" "$o" | sort -u | tr '\n' ' ')"
        else ok "no personal data: $(basename "$o")"; fi
    done
done
grep -q '^redaction,cpra,,.*table=overrides; id=1; request_id=4; field=reason; placeholder=\[redacted\]' "$tmp/out.csv" &&
    ok "csv: the redaction log's lines" || bad "csv: the redaction log's lines" "$(grep '^redaction' "$tmp/out.csv" | head -3)"
grep -q '<h2>Redactions</h2>' "$tmp/out.html" && grep -q '<td>Person 1</td><td>Booking 1</td>' "$tmp/out.html" &&
    grep -q '@page' "$tmp/out.html" && ok "html: the bundle and its redactions, printable" || bad "html: the bundle and its redactions" "$(head -c 600 "$tmp/out.html")"
jq -e --slurpfile cli "$B1" '.figures == $cli[0].figures and (.rows | length) == 20' "$tmp/http.json" > /dev/null &&
    ok "http: the CLI's figures" || bad "http: the CLI's figures" "$(jq -c .figures "$tmp/http.json" | head -c 600)"

# --- redaction=off: an administrator's only, and written to the audit log
req "redaction=off as auditor: 403" 403 $P '"field":"redaction"' -- -H "$AU" "$B/api/v1/reports/cpra?from=$FROM&to=$TO&redaction=off"
req "redaction=off as clerk: 403 (no reports at all)" 403 $P '' -- -H "$CL" "$B/api/v1/reports/cpra?redaction=off"
req "redaction=maybe: 400" 400 $P '"field":"redaction"' -- -H "$AD" "$B/api/v1/reports/cpra?redaction=maybe"
req "redaction=off on another report: 400" 400 $P '"field":"redaction"' -- -H "$AD" "$B/api/v1/reports/doj-transfers?redaction=off"
audits_before=$(sqlite3 "$db" "SELECT count(*) FROM audit_log WHERE action = 'report.unredacted'")
[ "$audits_before" = 0 ] && ok "no unredacted access recorded yet (403s write nothing)" || bad "no unredacted access yet" "$audits_before"
req "redaction=off as admin" 200 $A '"Fixture, Boris"' -- -H "$AD" "$B/api/v1/reports/cpra?from=$FROM&to=$TO&redaction=off"
cp "$tmp/body" "$tmp/off.json"
jqok "unredacted: names, booking numbers, dates of birth and free text as stored" "$tmp/off.json" \
    '(.redaction | startswith("off")) and
     ([.rows[] | select(.request_id == 2) | .person + "/" + .booking] | unique == ["Fixture, Anna/CP-001"]) and
     ([.rows[] | select(.record == "request" and .request_id == 4) | .fields.date_of_birth] == ["1975-07-08"]) and
     ([.rows[] | select(.record == "override") | .fields.reason] == ["counsel for Fixture, Boris called"]) and
     ([.rows[] | select(.record == "consent") | .fields.attorney] == ["Attorney Quill Fixture"])' '.rows[0:3]'
jqok "unredacted: the citizenship claim still withheld, and logged" "$tmp/off.json" \
    '([.rows[] | select(.record == "action" and .request_id == 6) | .fields.ice_reason] == ["[withheld]"]) and (.redactions | length) == 1'

jq -e --slurpfile red "$B1" '.figures == $red[0].figures' "$tmp/off.json" > /dev/null && ok "unredacted: the same figures" ||
    bad "unredacted: the same figures" "$(jq -c .figures "$tmp/off.json" | head -c 400)"
sqlite3 -separator ' ' "$db" "SELECT actor, entity, json_extract(payload, '\$.from'), json_extract(payload, '\$.to') FROM audit_log
  WHERE action = 'report.unredacted'" > "$tmp/aud"
[ "$(cat "$tmp/aud")" = "f-admin report/cpra $FROM $TO" ] && ok "the unredacted access is in the audit log, by whom and for which period" ||
    bad "the unredacted access is audited" "$(cat "$tmp/aud")"
"$bin" report cpra --db "$db" --from "$FROM" --to "$TO" --unredacted --format csv > "$tmp/off.csv" 2> "$tmp/err" &&
    grep -q 'Fixture, Anna' "$tmp/off.csv" && ok "cli --unredacted" || bad "cli --unredacted" "$(cat "$tmp/err")"
[ "$(sqlite3 "$db" "SELECT group_concat(actor) FROM audit_log WHERE action = 'report.unredacted'")" = "f-admin,cli" ] &&
    ok "cli --unredacted is audited too" || bad "cli --unredacted is audited" "$(sqlite3 "$db" "SELECT actor FROM audit_log WHERE action = 'report.unredacted'")"
"$bin" report doj-transfers --db "$db" --unredacted > /dev/null 2> "$tmp/err"
[ $? -eq 2 ] && grep -q -- '--unredacted: only the cpra report' "$tmp/err" && ok "cli --unredacted on another kind refused" ||
    bad "cli --unredacted on another kind refused" "$(cat "$tmp/err")"

# --- report --check cpra: passes; fails after a record is changed behind its back
srv_stop
"$bin" report --check cpra --db "$db" --from "$FROM" --to "$TO" > "$tmp/check" 2>&1 && grep -q "0 differences" "$tmp/check" &&
    ok "check cpra passes" || bad "check cpra passes" "$(cat "$tmp/check")"
"$bin" report --check cpra --db "$db" --from "$FROM" --to "$TO" --against "$B1" > "$tmp/check" 2>&1 &&
    ok "check cpra against the saved bundle passes" || bad "check cpra against the saved bundle" "$(cat "$tmp/check")"
# (a) a request moved out of the period: the saved bundle no longer matches the records.
cp "$db" "$tmp/b.db"
sqlite3 "$tmp/b.db" "UPDATE immigration_requests SET received_at = '2014-06-01T09:00:00Z' WHERE id = 6"
"$bin" report --check cpra --db "$tmp/b.db" --from "$FROM" --to "$TO" --against "$B1" > "$tmp/check" 2>&1
rc=$?
[ $rc -eq 1 ] && grep -q '^DIFF records/immigration_requests: report given 4 \[2 4 5 6\], recomputed 3 \[2 4 5\]' "$tmp/check" &&
    ok "check cpra fails after an UPDATE, naming the figure" || bad "check cpra fails after an UPDATE" "exit $rc: $(grep DIFF "$tmp/check" | head -5)"
# (b) an override written around holdcheck: the chain disowns it.
cp "$db" "$tmp/c.db"
sqlite3 "$tmp/c.db" "INSERT INTO overrides (request_id, decision_id, outcome, reason, created_at, created_by)
  SELECT 6, id, 'prohibited', 'x', '$(day 3)', 'nobody' FROM decisions WHERE request_id = 6"
"$bin" report --check cpra --db "$tmp/c.db" --from "$FROM" --to "$TO" > "$tmp/check" 2>&1
rc=$?
[ $rc -eq 1 ] && grep -q 'audit chain: overrides' "$tmp/check" && ok "check cpra catches an override written around holdcheck" ||
    bad "check cpra catches an inserted override" "exit $rc: $(grep DIFF "$tmp/check" | head -3)"
# (c) the provisions kept beside a decision (decision_citations, schema 19), edited around
#     holdcheck: the bundle would cite what the decision does not; --check compares them with
#     the decision's JSON, which the chain vouches for, and names the row.
cp "$db" "$tmp/d.db"
sqlite3 "$tmp/d.db" "UPDATE decision_citations SET qualifying = 'PC 187 (forged)' WHERE decision_id = 2"
"$bin" report --check cpra --db "$tmp/d.db" --from "$FROM" --to "$TO" > "$tmp/check" 2>&1
rc=$?
[ $rc -eq 1 ] && grep -q '^DIFF a record disagrees with the audit chain: decision_citations 2 ' "$tmp/check" &&
    ok "check cpra catches an edited citation kept beside a decision" ||
    bad "check cpra catches an edited citation" "exit $rc: $(grep DIFF "$tmp/check" | head -3)"
# (d) a decision with no provisions kept (written around holdcheck) is read from its JSON: the
#     same bundle as from the rows kept.
sqlite3 "$tmp/d.db" "DELETE FROM decision_citations"
"$bin" report cpra --db "$tmp/d.db" --from "$FROM" --to "$TO" > "$tmp/d.json" 2> "$tmp/err"
jq -e --slurpfile b "$B1" 'del(.generated_at) == ($b[0] | del(.generated_at))' "$tmp/d.json" > /dev/null &&
    ok "cpra: the provisions from the decisions' JSON are the ones kept beside them" ||
    bad "cpra: provisions without the rows kept" "$(jq -c '[.rows[] | select(.record == "decision") | .fields.qualifying]' "$tmp/d.json" | head -c 400)"
# (e) the bundle is written as it is read, by hand: every value goes through the one JSON
#     escaper. An issuing office (written as stored) with a quote, a backslash, a newline, a
#     tab, a control character and a non-ASCII letter reads back as typed.
cp "$db" "$tmp/e.db"
sqlite3 "$tmp/e.db" "UPDATE immigration_requests SET issuing_office = 'Field \"Office\" \\ A' || char(10) || 'B' || char(9) || char(1) || ' é' WHERE id = 2"
"$bin" report cpra --db "$tmp/e.db" --from "$FROM" --to "$TO" > "$tmp/e.json" 2> "$tmp/err"
jq -e '[.rows[] | select(.record == "request" and .request_id == 2) | .fields.issuing_office] == ["Field \"Office\" \\ A\nB\t\u0001 é"]' "$tmp/e.json" > /dev/null &&
    ok "cpra: a value with quotes, backslash and control characters escaped" ||
    bad "cpra: values escaped" "$(grep -o '"issuing_office":"Field[^}]*' "$tmp/e.json" | head -c 300)"

# --unredacted does not go with --check
"$bin" report --check cpra --db "$db" --unredacted > /dev/null 2>&1
[ $? -eq 2 ] && ok "--check with --unredacted refused" || bad "--check with --unredacted refused" "exit $?"

# --- the demo database: the bundle checks
demo=$tmp/demo.db
"$bin" migrate --db "$demo" > /dev/null && "$bin" demo --db "$demo" --bookings 400 --today 2026-11-30 > /dev/null ||
    die "demo failed"
"$bin" report --check cpra --db "$demo" --year 2026 > "$tmp/check" 2>&1 && ok "check cpra on the demo" ||
    bad "check cpra on the demo" "$(cat "$tmp/check")"

echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
