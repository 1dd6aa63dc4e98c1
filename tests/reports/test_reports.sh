#!/bin/sh
# test_reports.sh HOLDCHECK: the statutory reports (docs/reports.md) on a fixture built here
# through the HTTP API (bookings, intake, overrides, actions and releases with known dates),
# every figure worked out by hand below from the statute and docs/reports.md's definitions:
#  - doj-transfers (Gov. Code 7284.6(c)(2)) and releases-without-notice, each figure's count
#    and request ids, over the CLI and over HTTP (the same figures), in JSON, CSV and HTML;
#  - the period in the agency's time zone (a transfer at 23:30 on 31 December in Los Angeles
#    is in that year, though it is already 1 January in UTC);
#  - `report --check` passes on the fixture and on `holdcheck demo`, and fails after a row is
#    changed behind the report's back (sqlite3 UPDATE): against a saved report, and through the
#    audit chain, also when the change takes the row out of what the report reads (an action's
#    kind or time, a release moved out of the year); it says what it verified, and a booking no
#    report of the kind could read is left to `audit verify`;
#  - CSV cells that would run as a spreadsheet formula get an apostrophe;
#  - no output carries a name, booking number, local id or date of birth of the fixture's people;
#  - bad input named (kind, from, to, year, format, lang).
# Ends with "N passed, M failed"; exits 1 on any failure.
# shellcheck disable=SC2015 # "A && ok || bad": ok always returns 0, so bad runs only when A fails
set -u
bin=${1:-build/holdcheck}
. "$(dirname "$0")/../http/lib.sh"
# shellcheck source=fixture.sh
. "$(dirname "$0")/fixture.sh"
CL=$(bearer clerk) SU=$(bearer supervisor) AU=$(bearer auditor)
[ -n "$CL" ] && [ -n "$SU" ] && [ -n "$AU" ] || die "user add failed"
srv_start "$db"

# action REQUEST AUTH JSON
action() {
    req "action on $1: $3" 201 $A '' -- -H "$2" -H "$J" -d "$3" "$B/api/v1/requests/$1/actions"
}
override() {
    req "override $1 to prohibited" 201 $A '' -- -H "$SU" -H "$J" \
        -d '{"outcome":"prohibited","reason":"agency policy: fixture"}' "$B/api/v1/requests/$1/override"
}
release() {
    req "release $1" 200 '' '' -- -X PATCH -H "$CL" -H "$J" \
        -d "{\"status\":\"released\",\"released_at\":\"$2\",\"release_reason\":\"time served\"}" "$B/api/v1/bookings/$1"
}
OFFICE='"office":"San Francisco Field Office"'

# --- the transfers (requests 1-5)
booking FX-001 "Fixture, Alpha" 1961-01-02 2026-01-10T08:00:00-08:00 1
booking FX-002 "Fixture, Bravo" 1961-03-10 2026-03-01T08:00:00-08:00 0
booking FX-003 "Fixture, Charlie" 1963-03-04 2026-04-01T08:00:00-07:00 0
booking FX-004 "Fixture, Delta" 1964-04-05 2025-12-01T08:00:00-08:00 1
booking FX-005 "Fixture, Echo" 1965-05-06 2026-05-01T08:00:00-07:00 1
# 1: a transfer request, permitted by 7282.5(a)(1); transferred 3 February 2026.
request FX-001 transfer 2026-02-01T09:00:00-08:00 1
action 1 "$CL" "{\"kind\":\"transferred\",\"at\":\"2026-02-03T10:00:00-08:00\",$OFFICE}"
# 2: no record, but a judicial warrant: permitted by 7284.6(a)(4) itself; transferred 5 March.
request FX-002 transfer 2026-03-02T09:00:00-08:00 2 ',"judicial_warrant":true'
action 2 "$CL" "{\"kind\":\"transferred\",\"at\":\"2026-03-05T12:00:00-08:00\",$OFFICE}"
# 3: no record, no warrant: prohibited; a supervisor transferred anyway (contrary, with reason).
request FX-003 transfer 2026-04-02T09:00:00-07:00 3
action 3 "$SU" "{\"kind\":\"transferred\",\"at\":\"2026-04-03T10:00:00-07:00\",$OFFICE,\"reason\":\"fixture: contrary transfer\"}"
# 4: permitted (7282.5(a)(1)); transferred at 23:30 on 31 December 2025 in Los Angeles, which
# is 07:30 on 1 January 2026 in UTC: in the 2025 report, not in 2026's.
request FX-004 transfer 2025-12-30T09:00:00-08:00 4
action 4 "$CL" "{\"kind\":\"transferred\",\"at\":\"2025-12-31T23:30:00-08:00\",$OFFICE}"
# 5: permitted by 7282.5(a)(1), then overridden to prohibited by a supervisor; transferred
# anyway (contrary). The offense that allowed it in law is still the decision's.
request FX-005 transfer 2026-05-02T09:00:00-07:00 5
override 5
action 5 "$SU" "{\"kind\":\"transferred\",\"at\":\"2026-05-04T10:00:00-07:00\",$OFFICE,\"reason\":\"fixture: contrary transfer after override\"}"

# --- the releases (requests 6-13)
NOTIFIED='"kind":"notified","method":"phone","acted_by":"Deputy Fixture"'
for n in 006 007 008 009 010 011 012; do
    serious=1
    [ $n = 007 ] || [ $n = 010 ] && serious=0
    booking FX-$n "Fixture, Release$n" "1970-0$((${n#00} % 9 + 1))-1$((${n#00} % 9))" 2026-06-01T08:00:00-07:00 $serious
done
# 6: permitted, ICE notified 5 June, released 6 June: notice given.
request FX-006 notification 2026-06-02T09:00:00-07:00 6
action 6 "$CL" "{$NOTIFIED,\"at\":\"2026-06-05T10:00:00-07:00\"}"
release FX-006 2026-06-06T10:00:00-07:00
# 7: no record: prohibited by 7284.6(a)(1)(C); released 7 June: prohibited by law.
request FX-007 notification 2026-06-02T09:00:00-07:00 7
release FX-007 2026-06-07T10:00:00-07:00
# 8: permitted, overridden to prohibited; released 8 June: declined by policy.
request FX-008 notification 2026-06-02T09:00:00-07:00 8
override 8
release FX-008 2026-06-08T10:00:00-07:00
# 9: permitted, nothing done before the release on 9 June; ICE notified on the 10th, after
# the release, which does not change why no notice was given: no action recorded.
request FX-009 notification 2026-06-02T09:00:00-07:00 9
release FX-009 2026-06-09T10:00:00-07:00
action 9 "$CL" "{$NOTIFIED,\"at\":\"2026-06-10T10:00:00-07:00\"}"
# 10: released 10 June, the request received on the 11th: released before the request arrived.
release FX-010 2026-06-10T10:00:00-07:00
request FX-010 notification 2026-06-11T09:00:00-07:00 10
# 11: permitted, lifted by ICE on 3 June, released 12 June: not open at the release.
request FX-011 notification 2026-06-02T09:00:00-07:00 11
action 11 "$CL" '{"kind":"lifted_by_ice","at":"2026-06-03T10:00:00-07:00"}'
release FX-011 2026-06-12T10:00:00-07:00
# 12 and 13, one booking released 13 June: 12 permitted and declined by the agency on 3 June
# (declined by policy); 13 permitted, nothing done (no action recorded).
request FX-012 notification 2026-06-02T09:00:00-07:00 12
action 12 "$CL" '{"kind":"declined","at":"2026-06-03T10:00:00-07:00"}'
request FX-012 notification 2026-06-04T09:00:00-07:00 13
release FX-012 2026-06-13T10:00:00-07:00
# Two TRUTH Act copy notices (7283.1(b)), generated today (December 2026): 7's served, 8's not.
req "notice for 7" 201 $A '"kind":"copy"' -- -H "$CL" -H "$J" -d '{"kind":"copy","language":"en"}' "$B/api/v1/requests/7/notices"
n7=$(jq -r .id "$tmp/body")
req "notice for 8" 201 $A '"kind":"copy"' -- -H "$CL" -H "$J" -d '{"kind":"copy","language":"es"}' "$B/api/v1/requests/8/notices"
req "notice for 7 served" 200 $A '' -- -H "$CL" -H "$J" -d '{"method":"in_person"}' "$B/api/v1/notices/$n7/served"

report() { # OUT KIND ARGS...: the CLI's report into OUT
    o=$1
    shift
    "$bin" report "$@" --db "$db" > "$o" 2> "$tmp/err" && ok "report $*" || bad "report $*" "$(cat "$tmp/err")"
}

# --- doj-transfers 2026, by hand:
#  transfers: 1 (3 Feb), 2 (5 Mar), 3 (3 Apr), 5 (4 May) = 4; not 4 (31 Dec 2025, local time).
#  by basis: 7282.5(a)(1): 1 and 5; a judicial warrant: 2; not recorded: 3 (prohibited, the
#  decision names no fact that allowed it).
#  by offense: PC 245(a)(1): 1 and 5; none (judicial warrant): 2; not recorded: 3.
#  flags/contrary: 3 and 5.
report "$tmp/t2026.json" doj-transfers --year 2026
T=$tmp/t2026.json
fig "$T" total transfers "4 1,2,3,5"
fig "$T" by_basis "7282.5(a)(1)" "2 1,5"
fig "$T" by_basis judicial_warrant "1 2"
fig "$T" by_basis not_recorded "1 3"
fig "$T" by_offense "PC 245(a)(1)" "2 1,5"
fig "$T" by_offense none:judicial_warrant "1 2"
fig "$T" by_offense not_recorded "1 3"
fig "$T" flags contrary "2 3,5"
jq -e '.figures | length == 8' "$T" > /dev/null && ok "doj-transfers: no other figure" || bad "doj-transfers: no other figure" "$(jq -c '[.figures[] | .key]' "$T")"
jq -e '[.rows[] | "\(.request_id):\(.date):\(.basis):\(.contrary)"] ==
  ["1:2026-02-03:7282.5(a)(1):false","2:2026-03-05:judicial_warrant:false","3:2026-04-03:not_recorded:true","5:2026-05-04:7282.5(a)(1):true"]' "$T" > /dev/null &&
    ok "doj-transfers rows: each transfer, its local date and basis" || bad "doj-transfers rows" "$(jq -c '.rows' "$T")"
jq -e '.definition_version == "doj-transfers/1" and .period.from == "2026-01-01" and .period.to == "2026-12-31"
  and .period.time_zone == "America/Los_Angeles" and .rulesets == ["CA-2018-01-01"] and (.generated_at | test("Z$"))' "$T" > /dev/null &&
    ok "doj-transfers carries definition, period, ruleset, time" || bad "doj-transfers header" "$(jq -c 'del(.figures, .rows)' "$T")"
# 2025: only 4, at 23:30 local on 31 December.
report "$tmp/t2025.json" doj-transfers --year 2025
fig "$tmp/t2025.json" total transfers "1 4"
fig "$tmp/t2025.json" by_basis "7282.5(a)(1)" "1 4"
# A period of days: 1 February to 31 March 2026 holds 1 and 2.
report "$tmp/tfeb.json" doj-transfers --from 2026-02-01 --to 2026-03-31
fig "$tmp/tfeb.json" total transfers "2 1,2"
fig "$tmp/tfeb.json" flags contrary "0 "

# --- releases-without-notice 2026, by hand:
#  releases (bookings): 006, 007, 008, 009, 010, 011, 012 = 7, behind them requests 6-13;
#  notification requests at those releases: 6-13 = 8;
#  by why: notice given 6; prohibited by law 7; declined by policy 8 (override) and 12
#  (declined action); no action recorded 9 (notified only after the release) and 13;
#  released before the request arrived 10; lifted before the release 11;
#  without notice (open, no notice given): 7, 8, 9, 12, 13 = 5.
report "$tmp/r2026.json" releases-without-notice --year 2026
R=$tmp/r2026.json
fig "$R" total releases "7 6,7,8,9,10,11,12,13"
fig "$R" total notification_requests "8 6,7,8,9,10,11,12,13"
fig "$R" total without_notice "5 7,8,9,12,13"
fig "$R" by_why notice_given "1 6"
fig "$R" by_why prohibited_by_law "1 7"
fig "$R" by_why declined_by_policy "2 8,12"
fig "$R" by_why no_action_recorded "2 9,13"
fig "$R" by_why released_before_request "1 10"
fig "$R" by_why lifted_before_release "1 11"
jq -e '[.rows[] | "\(.request_id):\(.release_date):\(.why)"] | join(" ") ==
  "6:2026-06-06:notice_given 7:2026-06-07:prohibited_by_law 8:2026-06-08:declined_by_policy 9:2026-06-09:no_action_recorded 10:2026-06-10:released_before_request 11:2026-06-12:lifted_before_release 12:2026-06-13:declined_by_policy 13:2026-06-13:no_action_recorded"' "$R" > /dev/null &&
    ok "releases rows: each request, its release date and why" || bad "releases rows" "$(jq -c '.rows' "$R")"
report "$tmp/r2025.json" releases-without-notice --year 2025
fig "$tmp/r2025.json" total releases "0 "

# --- truth-forum 2026 (Gov. Code 7283.1(d)), by hand:
#  received, by type and local month: transfers 1 (Feb), 2 (Mar), 3 (Apr), 5 (May); not 4
#  (received 30 December 2025); notifications 6-13 (June) = 8.
#  outcome in force of those 12: permitted 1, 2, 6, 9, 11, 12, 13; prohibited 3, 5 (override),
#  7, 8 (override), 10.
#  actions in 2026: transferred 1, 2, 3, 5; notified 6 (5 June) and 9 (10 June); lifted 11;
#  declined 12. Lift reasons (each kind's usual one): booked_into_detention 1, 2, 3, 5;
#  case_closed 11; declined_by_lea 12. Contrary: 3, 5.
#  ICE access: the transfers (mode transfer: 1, 2, 3, 5) and the notices of release dates
#  (mode notification: 6, 9); no interview.
#  age on the day of access: 1 born 1961-01-02, 3 Feb 2026: 65 -> 65_and_over; 2 born
#  1961-03-10, 5 Mar 2026: 64 (65 only five days later) -> 55-64; 3 born 1963-03-04: 63; 5
#  born 1965-05-06, 4 May 2026: 60; 6 born 1970-07-16, 5 June: 55; 9 born 1970-01-10, 10 June:
#  56 -> 55-64 for 2, 3, 5, 6, 9. Sex: not recorded, for all six.
#  notices generated in 2026: copy for 7 (served) and 8 (not served).
report "$tmp/f2026.json" truth-forum --year 2026
F=$tmp/f2026.json
fig "$F" received "transfer 2026-02" "1 1"
fig "$F" received "transfer 2026-03" "1 2"
fig "$F" received "transfer 2026-04" "1 3"
fig "$F" received "transfer 2026-05" "1 5"
fig "$F" received "notification 2026-06" "8 6,7,8,9,10,11,12,13"
fig "$F" outcome permitted "7 1,2,6,9,11,12,13"
fig "$F" outcome prohibited "5 3,5,7,8,10"
fig "$F" action transferred "4 1,2,3,5"
fig "$F" action notified "2 6,9"
fig "$F" action lifted_by_ice "1 11"
fig "$F" action declined "1 12"
fig "$F" lift_reason booked_into_detention "4 1,2,3,5"
fig "$F" lift_reason case_closed "1 11"
fig "$F" lift_reason declined_by_lea "1 12"
fig "$F" flags contrary "2 3,5"
fig "$F" access transfer "4 1,2,3,5"
fig "$F" access notification "2 6,9"
fig "$F" age_band 65_and_over "1 1"
fig "$F" age_band 55-64 "5 2,3,5,6,9"
fig "$F" sex not_recorded "6 1,2,3,5,6,9"
fig "$F" notices "generated copy" "2 7,8"
fig "$F" notices "served copy" "1 7"
fig "$F" notices "not_served copy" "1 8"
jq -e '[.figures[] | .group] | unique == ["access","action","age_band","flags","lift_reason","notices","outcome","received","sex"]' "$F" > /dev/null &&
    ok "truth-forum: no other group (never ethnicity, national origin or status)" || bad "truth-forum groups" "$(jq -c '[.figures[] | .group] | unique' "$F")"
report "$tmp/f2026es.json" truth-forum --year 2026 --lang es
jq -e --slurpfile en "$F" '.lang == "es" and (.title | test("Foro comunitario")) and
  ([.figures[] | [.group, .key, .count, .request_ids]] == [$en[0].figures[] | [.group, .key, .count, .request_ids]])' "$tmp/f2026es.json" > /dev/null &&
    ok "truth-forum in Spanish: the same figures" || bad "truth-forum in Spanish" "$(jq -c '.title, .figures[0]' "$tmp/f2026es.json")"
"$bin" report truth-forum --db "$db" --year 2026 --lang es --format html > "$tmp/f.html" 2> "$tmp/err" &&
    grep -q '<html lang="es">' "$tmp/f.html" && grep -q 'Solicitudes recibidas' "$tmp/f.html" &&
    ok "truth-forum HTML in Spanish" || bad "truth-forum HTML in Spanish" "$(head -c 300 "$tmp/f.html")"

# --- the same over HTTP, for an auditor (the figures equal the CLI's)
req "http doj-transfers" 200 $A '"doj-transfers/1"' -- -H "$AU" "$B/api/v1/reports/doj-transfers?year=2026"
jq -e --slurpfile cli "$T" '.figures == $cli[0].figures and .rows == $cli[0].rows' "$tmp/body" > /dev/null &&
    ok "http figures equal the CLI's" || bad "http figures equal the CLI's" "$(jq -c .figures "$tmp/body")"
req "http releases, a period" 200 $A '' -- -H "$AU" "$B/api/v1/reports/releases-without-notice?from=2026-06-07&to=2026-06-09"
cp "$tmp/body" "$tmp/rjun.json"
fig "$tmp/rjun.json" total releases "3 7,8,9"
req "http csv" 200 "text/csv; charset=utf-8" 'figure,by_basis,judicial_warrant,' -- -H "$AU" "$B/api/v1/reports/doj-transfers?year=2026&format=csv"
grep -q '^figure,total,transfers,.*,4,1 2 3 5' "$tmp/body" && ok "csv: a figure with its ids" || bad "csv: a figure with its ids" "$(head -c 600 "$tmp/body")"
req "http html" 200 "text/html; charset=utf-8" '<a href="/console/request.html?id=3">#3</a>' -- -H "$AU" "$B/api/v1/reports/doj-transfers?year=2026&format=html"
hdr_csp=$(tr -d '\r' < "$tmp/hdr" | sed -n 's/^content-security-policy: *//Ip')
case "$hdr_csp" in *"default-src 'none'"*) ok "html: its own strict CSP" ;; *) bad "html: its own strict CSP" "$hdr_csp" ;; esac
req "http unknown kind" 400 $P '"field":"kind"' -- -H "$AU" "$B/api/v1/reports/honored"
req "http bad from" 400 $P '"field":"from"' -- -H "$AU" "$B/api/v1/reports/doj-transfers?from=2026-13-01&to=2026-12-31"
req "http from without to" 400 $P '"field":"to"' -- -H "$AU" "$B/api/v1/reports/doj-transfers?from=2026-01-01"
req "http period backwards" 400 $P '"field":"to"' -- -H "$AU" "$B/api/v1/reports/doj-transfers?from=2026-02-01&to=2026-01-01"
req "http period too long" 400 $P '"field":"to"' -- -H "$AU" "$B/api/v1/reports/doj-transfers?from=2025-01-01&to=2026-12-31"
req "http bad year" 400 $P '"field":"year"' -- -H "$AU" "$B/api/v1/reports/doj-transfers?year=1999"
req "http bad format" 400 $P '"field":"format"' -- -H "$AU" "$B/api/v1/reports/doj-transfers?format=xml"
req "http lang not written" 400 $P '"field":"lang"' -- -H "$AU" "$B/api/v1/reports/doj-transfers?lang=es"
req "http forum lang unknown" 400 $P '"field":"lang"' -- -H "$AU" "$B/api/v1/reports/truth-forum?lang=fr"
req "http forum in Spanish" 200 $A '"lang":"es"' -- -H "$AU" "$B/api/v1/reports/truth-forum?year=2026&lang=es"
req "http clerk refused" 403 $P '' -- -H "$CL" "$B/api/v1/reports/doj-transfers"

# --- no personal identifier in any output (names, booking numbers, local ids, dates of birth)
sqlite3 "$db" "SELECT name FROM people UNION ALL SELECT booking_no FROM bookings
  UNION ALL SELECT local_id FROM people UNION ALL SELECT date_of_birth FROM people" > "$tmp/pii"
[ "$(wc -l < "$tmp/pii")" -eq 48 ] && ok "pii list: 12 people, 4 identifiers each" || bad "pii list" "$(wc -l < "$tmp/pii") lines"
for k in doj-transfers releases-without-notice truth-forum; do
    for f in json csv html; do
        "$bin" report $k --db "$db" --year 2026 --format $f > "$tmp/out.$k.$f" 2> "$tmp/err" ||
            bad "report $k $f" "$(cat "$tmp/err")"
        if grep -qFf "$tmp/pii" "$tmp/out.$k.$f"; then
            bad "no personal identifier: $k $f" "$(grep -oFf "$tmp/pii" "$tmp/out.$k.$f" | head -3 | tr '\n' ' ')"
        else ok "no personal identifier: $k $f"; fi
    done
done

# --- report --check: passes on the fixture, for every kind, and against a saved report
for k in doj-transfers releases-without-notice truth-forum; do
    if "$bin" report --check $k --db "$db" --year 2026 > "$tmp/check" 2>&1; then
        ok "check $k passes"
    else bad "check $k passes" "$(cat "$tmp/check")"; fi
done
grep -q "0 differences" "$tmp/check" && ok "check prints its summary" || bad "check prints its summary" "$(tail -1 "$tmp/check")"
"$bin" report --check releases-without-notice --db "$db" --year 2026 --against "$R" > "$tmp/check" 2>&1 &&
    ok "check against the saved report passes" || bad "check against the saved report passes" "$(cat "$tmp/check")"
"$bin" report --check doj-transfers --db "$db" --year 2026 --against "$R" > "$tmp/check" 2>&1
[ $? -eq 2 ] && grep -q "against: a report of another kind" "$tmp/check" && ok "check against another kind refused" ||
    bad "check against another kind refused" "$(cat "$tmp/check")"

# --- behind the report's back: copies of the database changed with sqlite3
srv_stop
# (a) a release moved out of the year: the saved report no longer matches the records, and the
# booking no longer matches the audit chain.
cp "$db" "$tmp/b.db"
sqlite3 "$tmp/b.db" "UPDATE bookings SET released_at = '2025-06-06T10:00:00-07:00' WHERE booking_no = 'FX-006'"
"$bin" report --check releases-without-notice --db "$tmp/b.db" --year 2026 --against "$R" > "$tmp/check" 2>&1
rc=$?
[ $rc -eq 1 ] && ok "check fails after an UPDATE (exit 1)" || bad "check fails after an UPDATE (exit 1)" "exit $rc: $(cat "$tmp/check")"
grep -q '^DIFF total/releases: report given 7 \[6 7 8 9 10 11 12 13\], recomputed 6 \[7 8 9 10 11 12 13\]' "$tmp/check" &&
    ok "check names the figure that moved" || bad "check names the figure that moved" "$(grep DIFF "$tmp/check" | head -5)"
grep -q '^DIFF a record disagrees with the audit chain: bookings' "$tmp/check" &&
    ok "check names the row the chain disowns" || bad "check names the row the chain disowns" "$(grep DIFF "$tmp/check" | head -5)"
# (b) an action's kind changed with its triggers dropped: no saved report needed, the chain
# catches it.
cp "$db" "$tmp/c.db"
sqlite3 "$tmp/c.db" "DROP TRIGGER actions_nu; UPDATE request_actions SET kind = 'declined', office = NULL WHERE id = 1"
"$bin" report --check doj-transfers --db "$tmp/c.db" --year 2026 > "$tmp/check" 2>&1
rc=$?
[ $rc -eq 1 ] && grep -q 'audit chain: request_actions 1 ' "$tmp/check" && ok "check catches an edited action" ||
    bad "check catches an edited action" "exit $rc: $(grep DIFF "$tmp/check" | head -3)"
# (c) a decision's qualifying citation made a formula: the CSV cell gets an apostrophe.
cp "$db" "$tmp/d.db"
sqlite3 "$tmp/d.db" "DROP TRIGGER decisions_no_update; UPDATE decisions SET decision_json =
  json_set(decision_json, '\$.qualifying[0].citation', '=HYPERLINK(\"http://x\")') WHERE request_id = 1"
"$bin" report doj-transfers --db "$tmp/d.db" --year 2026 --format csv > "$tmp/f.csv" 2> "$tmp/err" || bad "csv of the formula" "$(cat "$tmp/err")"
if grep -q '^figure,by_offense,"'"'"'=HYPERLINK' "$tmp/f.csv" && ! grep -q ',=HYPERLINK\|,"=HYPERLINK' "$tmp/f.csv"; then
    ok "csv: a formula cell gets an apostrophe"
else bad "csv: a formula cell gets an apostrophe" "$(grep -i hyperlink "$tmp/f.csv" | head -3)"; fi

# (d) --check verifies the rows a report could have read, not only those it did: an action's
# time moved out of the year (the report no longer reads it; every action is verified), a
# decision's outcome rewritten (every decision of the requests counted is), a booking's person
# changed (the forum reads it for an age band).
# tampered NAME KIND SQL PATTERN: on a copy of the fixture changed by SQL, `report --check
# KIND` exits 1 and prints a line matching PATTERN.
tampered() {
    cp "$db" "$tmp/x.db"
    sqlite3 "$tmp/x.db" "$3"
    "$bin" report --check "$2" --db "$tmp/x.db" --year 2026 > "$tmp/check" 2>&1
    rc=$?
    [ $rc -eq 1 ] && grep -q "$4" "$tmp/check" && ok "$1" || bad "$1" "exit $rc: $(grep DIFF "$tmp/check" | head -3)"
}
tampered "check catches an action moved out of the period" doj-transfers \
    "DROP TRIGGER actions_nu; UPDATE request_actions SET at = '2024-02-03T10:00:00-08:00' WHERE id = 1" \
    'audit chain: request_actions 1 (edited or replaced)'
tampered "check catches an edited decision" truth-forum \
    "DROP TRIGGER decisions_no_update; UPDATE decisions SET outcome = 'permitted' WHERE request_id = 7" \
    'audit chain: decisions [0-9]* (edited or replaced)'
tampered "check catches a booking whose person changed" truth-forum \
    "UPDATE bookings SET person_id = (SELECT person_id FROM bookings WHERE booking_no = 'FX-002') WHERE booking_no = 'FX-001'" \
    'audit chain: bookings [0-9]* (edited or replaced)'
# ... and says what it verified; a booking no report could read (FX-004: its one request is a
# transfer of 2025) is not read by the 2026 releases' check, which `audit verify` still catches.
"$bin" report --check releases-without-notice --db "$db" --year 2026 > "$tmp/check" 2>&1
grep -q '^note verified against the audit chain: every entry.s link ([0-9]* entries), the hash of each entry that vouches for these records, and [0-9]* records' "$tmp/check" &&
    ok "check says what it verified" || bad "check says what it verified" "$(tail -3 "$tmp/check")"
cp "$db" "$tmp/h.db"
sqlite3 "$tmp/h.db" "UPDATE bookings SET facility = 'Elsewhere' WHERE booking_no = 'FX-004'"
"$bin" report --check releases-without-notice --db "$tmp/h.db" --year 2026 > "$tmp/check" 2>&1 &&
    ! "$bin" audit verify --db "$tmp/h.db" > "$tmp/verify" 2>&1 && grep -q 'bookings id 4' "$tmp/verify" &&
    ok "check reads no booking it could not count; audit verify does" ||
    bad "check reads no booking it could not count; audit verify does" "$(grep DIFF "$tmp/check" | head -3; tail -2 "$tmp/verify")"

# --- the demo database: --check passes for both kinds
demo=$tmp/demo.db
"$bin" migrate --db "$demo" > /dev/null && "$bin" demo --db "$demo" --bookings 400 --today 2026-11-30 > /dev/null ||
    die "demo failed"
for k in doj-transfers releases-without-notice truth-forum; do
    "$bin" report --check $k --db "$demo" --year 2026 > "$tmp/check" 2>&1 && ok "check $k on the demo" ||
        bad "check $k on the demo" "$(cat "$tmp/check")"
done

echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
