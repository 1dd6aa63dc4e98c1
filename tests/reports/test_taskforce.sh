#!/bin/sh
# test_taskforce.sh HOLDCHECK: the register of joint law enforcement task forces and the
# task-force report (Gov. Code 7284.6(c)(1), docs/reports.md "task-force"), on a fixture built
# here through the CLI and the HTTP API, every figure worked out by hand below:
#  - the report for 2026 and for 2025, each figure's count and register entry ids, in JSON, CSV
#    and HTML, over the CLI and over HTTP (the same figures);
#  - entries that straddle the period's start or end are listed and not counted; a task force
#    whose membership ended before the period is not reported; one with no entry within the
#    period is counted as without figures;
#  - bad input on the CLI and over HTTP, each error naming its field; the roles;
#  - every write has its audit entry and `audit verify` stays intact; the register refuses an
#    UPDATE; `report --check task-force` passes, and fails once an arrest count is changed
#    with sqlite3 behind the report's back;
#  - no output carries a user name or the register's free-text source;
#  - the demo's task forces (`holdcheck demo --history`) pass --check.
# Ends with "N passed, M failed"; exits 1 on any failure.
# shellcheck disable=SC2015 # "A && ok || bad": ok always returns 0, so bad runs only when A fails
set -u
bin=${1:-build/holdcheck}
. "$(dirname "$0")/../http/lib.sh"
for tool in sqlite3 jq; do
    command -v $tool > /dev/null || die "$tool is needed (tools/install-deps.sh installs it)"
done
# Days of the register are the agency's; the report's period is read in its zone.
export TZ=America/Los_Angeles
db=$tmp/t.db
"$bin" migrate --db "$db" > /dev/null || die "migrate failed"
J='Content-Type: application/json' A=application/json P=application/problem+json
bearer() { "$bin" user add --db "$db" "tf-$1" --role "$1" | sed -n 's/^token: /Authorization: Bearer /p'; }
AD=$(bearer admin) AU=$(bearer auditor) CL=$(bearer clerk)
[ -n "$AD" ] && [ -n "$AU" ] && [ -n "$CL" ] || die "user add failed"
SOURCE="Fixture source note: PRIVATE-SOURCE-TEXT"

# tf ARGS...: `holdcheck task-force ARGS --db $db`, which must succeed.
tf() {
    "$bin" task-force "$@" --db "$db" > "$tmp/out" 2> "$tmp/err" && ok "task-force $1 ${3:-}" ||
        bad "task-force $*" "$(cat "$tmp/err")"
}
# tf_err NAME EXIT PATTERN ARGS...: the command must fail with EXIT and say PATTERN.
tf_err() {
    name=$1 want=$2 pat=$3
    shift 3
    "$bin" task-force "$@" --db "$db" > "$tmp/out" 2> "$tmp/err"
    rc=$?
    if [ $rc -eq "$want" ] && grep -qF -- "$pat" "$tmp/err"; then ok "$name"; else
        bad "$name" "exit $rc (want $want): $(cat "$tmp/err")"; fi
}

# --- the register. Task forces (ids in the order made):
#  1 Fixture Auto Theft TF (CLI): member from 2025-07-01, still a member.
#  2 Fixture Narcotics TF (HTTP): member 2024-01-01 to 2026-06-30.
#  3 Fixture Old TF (CLI): member 2020-01-01 to 2025-12-31: not a member in 2026.
#  4 Fixture Quiet TF (HTTP): member from 2026-09-01, no entry.
tf add --name "Fixture Auto Theft TF" --purpose "Vehicle theft rings" \
    --members " Fixture County Sheriff ;Fixture City Police; Federal Bureau of Investigation " \
    --joined 2025-07-01
grep -q '^task force 1: Fixture Auto Theft TF$' "$tmp/out" && ok "add says the id" || bad "add says the id" "$(cat "$tmp/out")"
srv_start "$db"
req "POST task force 2" 201 $A '"id":2' -- -H "$AD" -H "$J" -d '{"name":"Fixture Narcotics TF",
 "purpose":"Drug trafficking","members":["Fixture County Sheriff","Drug Enforcement Administration"],
 "joined":"2024-01-01","left":"2026-06-30"}' "$B/api/v1/task-forces"
srv_stop
tf add --name "Fixture Old TF" --purpose "Closed down" --members "Fixture County Sheriff" \
    --joined 2020-01-01 --left 2025-12-31
srv_start "$db"
req "POST task force 4" 201 $A '"id":4' -- -H "$AD" -H "$J" -d '{"name":"Fixture Quiet TF",
 "purpose":"Fugitive apprehension","members":["Fixture County Sheriff","U.S. Marshals Service"],
 "joined":"2026-09-01"}' "$B/api/v1/task-forces"
# Entries (ids in the order made):
#  1 TF 1, 2025-12-01..2025-12-31: 5 arrests, 1 for immigration enforcement purposes
#  2 TF 1, 2026-01-01..2026-03-31: 12, 0
#  3 TF 1, 2026-04-01..2026-06-30: 9, 2
#  4 TF 1, 2026-12-15..2027-01-15: 7, 1   (straddles the end of 2026)
#  5 TF 2, 2025-11-01..2026-01-31: 20, 0  (straddles the start of 2026 and the end of 2025)
#  6 TF 2, 2026-02-01..2026-06-30: 30, 3
#  7 TF 3, 2025-01-01..2025-12-31: 40, 4
srv_stop
tf arrests --task-force 1 --from 2025-12-01 --to 2025-12-31 --arrests 5 --immigration-arrests 1 --source "$SOURCE"
tf arrests --task-force "Fixture Auto Theft TF" --from 2026-01-01 --to 2026-03-31 --arrests 12 --immigration-arrests 0
tf arrests --task-force 1 --from 2026-04-01 --to 2026-06-30 --arrests 9 --immigration-arrests 2
tf arrests --task-force 1 --from 2026-12-15 --to 2027-01-15 --arrests 7 --immigration-arrests 1
srv_start "$db"
req "POST entry 5" 201 $A '"id":5' -- -H "$AD" -H "$J" \
    -d '{"from":"2025-11-01","to":"2026-01-31","arrests":20,"immigration_arrests":0}' "$B/api/v1/task-forces/2/arrests"
req "POST entry 6" 201 $A '"id":6' -- -H "$AD" -H "$J" \
    -d "{\"from\":\"2026-02-01\",\"to\":\"2026-06-30\",\"arrests\":30,\"immigration_arrests\":3,\"source\":\"$SOURCE\"}" \
    "$B/api/v1/task-forces/2/arrests"
srv_stop
tf arrests --task-force "Fixture Old TF" --from 2025-01-01 --to 2025-12-31 --arrests 40 --immigration-arrests 4

# --- the register read back
tf list --format json
jq -e '[.task_forces[] | "\(.id):\(.name):\(.members | join("|")):\(.joined):\(.left):\([.arrests[].id] | join(","))"] ==
  ["1:Fixture Auto Theft TF:Fixture County Sheriff|Fixture City Police|Federal Bureau of Investigation:2025-07-01:null:1,2,3,4",
   "2:Fixture Narcotics TF:Fixture County Sheriff|Drug Enforcement Administration:2024-01-01:2026-06-30:5,6",
   "3:Fixture Old TF:Fixture County Sheriff:2020-01-01:2025-12-31:7",
   "4:Fixture Quiet TF:Fixture County Sheriff|U.S. Marshals Service:2026-09-01:null:"]' "$tmp/out" > /dev/null &&
    ok "list: every task force, its members trimmed, its entries" || bad "list" "$(cat "$tmp/out")"

# --- audit entries, one a write, each binding its row; the chain intact
n=$(sqlite3 "$db" "SELECT count(*) FROM audit_log WHERE action = 'task_force.add'
    AND entity IN ('task_force/1','task_force/2','task_force/3','task_force/4')")
[ "$n" = 4 ] && ok "an audit entry for each task force" || bad "an audit entry for each task force" "$n"
n=$(sqlite3 "$db" "SELECT count(*) FROM audit_log WHERE action = 'task_force.arrests' AND entity LIKE 'tf_arrests/%'
    AND payload LIKE '%\"table\":\"task_force_arrests\"%'")
[ "$n" = 7 ] && ok "an audit entry for each arrests entry, binding it" || bad "an audit entry for each arrests entry" "$n"
n=$(sqlite3 "$db" "SELECT actor FROM audit_log WHERE entity = 'task_force/2'")
[ "$n" = tf-admin ] && ok "the acting user is the entry's actor" || bad "the acting user is the entry's actor" "$n"
"$bin" audit verify --db "$db" > "$tmp/out" 2>&1 && ok "audit verify intact" || bad "audit verify intact" "$(cat "$tmp/out")"
sqlite3 "$db" "UPDATE task_force_arrests SET arrests = 99 WHERE id = 2" 2> "$tmp/err" &&
    bad "the register refuses an UPDATE" "it took it" || ok "the register refuses an UPDATE"
sqlite3 "$db" "DELETE FROM task_forces WHERE id = 4" 2> "$tmp/err" &&
    bad "the register refuses a DELETE" "it took it" || ok "the register refuses a DELETE"

# --- the report for 2026, by hand:
#  members during 2026: TF 1 (from 2025-07-01), TF 2 (to 2026-06-30), TF 4 (from 2026-09-01);
#  not TF 3 (left 2025-12-31). total/task_forces = 3.
#  entries within 2026: 2 (12, 0), 3 (9, 2) of TF 1; 6 (30, 3) of TF 2. Not 1 (2025), not 7
#  (TF 3, 2025). Straddling, listed and not counted: 4 (runs past 31 December), 5 (starts in
#  November 2025).
#  arrests: TF 1 12 + 9 = 21 [2,3]; TF 2 30 [6]; TF 4 0; total 51 [2,3,6].
#  immigration: TF 1 0 + 2 = 2; TF 2 3; TF 4 0; total 5.
#  without figures: TF 4 (no entry within 2026) = 1. Not counted: 4 and 5 = 2 [4,5].
# fig FILE GROUP KEY WANT ("COUNT IDS"): one figure of a JSON report and its entry ids.
fig() {
    got=$(jq -r --arg g "$2" --arg k "$3" \
        '.figures[] | select(.group == $g and .key == $k) | "\(.count) \(.entry_ids | map(tostring) | join(","))"' "$1")
    if [ "$got" = "$4" ]; then ok "$(basename "$1") $2/$3 = $4"; else bad "$(basename "$1") $2/$3" "got '$got', want '$4'"; fi
}
"$bin" report task-force --db "$db" --year 2026 > "$tmp/r2026.json" 2> "$tmp/err" && ok "report 2026" || bad "report 2026" "$(cat "$tmp/err")"
R=$tmp/r2026.json
fig "$R" total task_forces "3 "
fig "$R" total task_forces_without_figures "1 "
fig "$R" total arrests "51 2,3,6"
fig "$R" total immigration_arrests "5 2,3,6"
fig "$R" total entries_not_counted "2 4,5"
fig "$R" arrests tf-1 "21 2,3"
fig "$R" immigration_arrests tf-1 "2 2,3"
fig "$R" arrests tf-2 "30 6"
fig "$R" immigration_arrests tf-2 "3 6"
fig "$R" arrests tf-4 "0 "
fig "$R" immigration_arrests tf-4 "0 "
jq -e '.figures | length == 11 and all(.[]; .request_ids == [])' "$R" > /dev/null &&
    ok "no other figure, and no request behind any" || bad "no other figure" "$(jq -c '[.figures[] | .group + "/" + .key]' "$R")"
jq -e '.definition_version == "task-force/1" and (.answers | test("7284.6\\(c\\)\\(1\\)")) and
  (.answers | test("total number of arrests made during the reporting period"))' "$R" > /dev/null &&
    ok "the report quotes the statute it answers" || bad "the report quotes the statute" "$(jq -c '.answers' "$R")"
jq -e '[.rows[] | "\(.record):\(.task_force_id):\(.entry_id):\(.counted):\(.arrests)"] ==
  ["task_force:1:null:null:21","entry:1:2:true:12","entry:1:3:true:9","entry:1:4:false:7",
   "task_force:2:null:null:30","entry:2:5:false:20","entry:2:6:true:30",
   "task_force:4:null:null:null"]' "$R" > /dev/null &&
    ok "rows: each task force, then its entries meeting the period" || bad "rows" "$(jq -c '[.rows[] | [.record,.task_force_id,.entry_id,.counted,.arrests]]' "$R")"
jq -e '.rows[0].purpose == "Vehicle theft rings" and
  .rows[0].members == "Fixture County Sheriff; Fixture City Police; Federal Bureau of Investigation" and
  .rows[0].member_from == "2025-07-01" and .rows[0].member_to == null' "$R" > /dev/null &&
    ok "a task force's row: purpose, agencies involved, membership" || bad "a task force's row" "$(jq -c '.rows[0]' "$R")"
jq -e '(.rows[3].note | test("past the period.s end")) and (.rows[5].note | test("before the period.s start")) and
  (.rows[7].note | test("not known"))' "$R" > /dev/null &&
    ok "rows say why an entry is not counted, and when figures are not known" || bad "rows say why" "$(jq -c '[.rows[] | .note]' "$R")"
# 2025: members TF 1 (from 1 July), TF 2, TF 3 = 3. Within 2025: 1 (5, 1) of TF 1, 7 (40, 4)
# of TF 3; 5 straddles (to 31 January 2026). Without figures: TF 2. Arrests 45, immigration 5.
"$bin" report task-force --db "$db" --year 2025 > "$tmp/r2025.json" 2> "$tmp/err" || bad "report 2025" "$(cat "$tmp/err")"
fig "$tmp/r2025.json" total task_forces "3 "
fig "$tmp/r2025.json" total task_forces_without_figures "1 "
fig "$tmp/r2025.json" total arrests "45 1,7"
fig "$tmp/r2025.json" total immigration_arrests "5 1,7"
fig "$tmp/r2025.json" total entries_not_counted "1 5"
fig "$tmp/r2025.json" arrests tf-3 "40 7"
# A period of days, 1 January to 31 March 2026: entry 2 within; 5 and 6 straddle.
"$bin" report task-force --db "$db" --from 2026-01-01 --to 2026-03-31 > "$tmp/rq1.json" 2> "$tmp/err" || bad "report Q1" "$(cat "$tmp/err")"
fig "$tmp/rq1.json" total arrests "12 2"
fig "$tmp/rq1.json" total entries_not_counted "2 5,6"

# --- CSV and HTML
"$bin" report task-force --db "$db" --year 2026 --format csv > "$tmp/r.crlf" 2> "$tmp/err" || bad "csv" "$(cat "$tmp/err")"
tr -d '\r' < "$tmp/r.crlf" > "$tmp/r.csv"
grep -q '^figure,total,arrests,Total arrests made during the period (entries within it),51,$' "$tmp/r.csv" &&
    grep -q '^figure,arrests,tf-1,Fixture Auto Theft TF: total arrests,21,$' "$tmp/r.csv" &&
    grep -q '^row,task-force,,"record=entry; task_force_id=1; .*entry_id=4; .*counted=no; note=not counted' "$tmp/r.csv" &&
    ok "csv: figures and rows" || bad "csv: figures and rows" "$(grep -v '^meta' "$tmp/r.csv" | head -8)"
"$bin" report task-force --db "$db" --year 2026 --format html > "$tmp/r.html" 2> "$tmp/err" || bad "html" "$(cat "$tmp/err")"
grep -q '<td>Total arrests made during the period (entries within it)</td><td class="n">51</td>' "$tmp/r.html" &&
    grep -q '<td>Fixture Narcotics TF: total arrests</td><td class="n">30</td>' "$tmp/r.html" &&
    grep -q '<th scope="col">entry_id</th>' "$tmp/r.html" && ! grep -q 'request.html' "$tmp/r.html" &&
    ok "html: figures, rows, no link to a request" || bad "html" "$(grep -c . "$tmp/r.html") lines"

# --- check: passes, then fails once an arrest count is changed behind the report's back
"$bin" report --check task-force --db "$db" --year 2026 > "$tmp/check" 2>&1 && grep -q "0 differences" "$tmp/check" &&
    ok "check task-force passes" || bad "check task-force passes" "$(cat "$tmp/check")"
"$bin" report --check task-force --db "$db" --year 2025 > "$tmp/check" 2>&1 &&
    ok "check task-force passes for 2025" || bad "check task-force passes for 2025" "$(cat "$tmp/check")"
"$bin" report task-force --db "$db" --year 2026 > "$tmp/saved.json"
cp "$db" "$tmp/b.db"
sqlite3 "$tmp/b.db" "DROP TRIGGER task_force_arrests_append_only_u; UPDATE task_force_arrests SET arrests = 13 WHERE id = 2"
"$bin" report --check task-force --db "$tmp/b.db" --year 2026 > "$tmp/check" 2>&1
rc=$?
[ $rc -eq 1 ] && ok "check fails after an UPDATE of an arrest count (exit 1)" || bad "check fails after an UPDATE" "exit $rc: $(cat "$tmp/check")"
grep -q '^DIFF a record disagrees with the audit chain: task_force_arrests 2 ' "$tmp/check" &&
    ok "check names the entry the chain disowns" || bad "check names the entry" "$(grep DIFF "$tmp/check" | head -3)"
"$bin" report --check task-force --db "$tmp/b.db" --year 2026 --against "$tmp/saved.json" > "$tmp/check" 2>&1
grep -q '^DIFF total/arrests: report given 51 \[\], recomputed 52 \[\]' "$tmp/check" &&
    grep -q '^DIFF arrests/tf-1: report given 21 \[\], recomputed 22 \[\]' "$tmp/check" &&
    ok "check against the saved report names the figures that moved" || bad "check against the saved report" "$(grep DIFF "$tmp/check" | head -5)"

# --- bad input on the CLI, each error naming its option
tf_err "cli: a day that is not one" 1 "--joined: expected a date" add --name X --purpose P --members A --joined 2026-02-30
tf_err "cli: left before joined" 1 "--left: the agency left before it joined" add --name X --purpose P --members A --joined 2026-02-01 --left 2026-01-31
tf_err "cli: an empty member" 1 "--members[1]: expected 1 to 200 bytes" add --name X --purpose P --members "A;;B" --joined 2026-01-01
tf_err "cli: a member twice" 1 "--members[1]: this agency is named twice" add --name X --purpose P --members "A; A" --joined 2026-01-01
tf_err "cli: no name" 1 "--name: required" add --purpose P --members A --joined 2026-01-01
tf_err "cli: a name taken" 1 "--name: a task force of this name is in the register already" add --name "Fixture Old TF" --purpose P --members A --joined 2026-01-01
tf_err "cli: more immigration arrests than arrests" 1 "--immigration-arrests: more people" arrests --task-force 1 --from 2026-07-01 --to 2026-07-31 --arrests 2 --immigration-arrests 3
tf_err "cli: a negative count" 2 "--arrests: expected a whole number" arrests --task-force 1 --from 2026-07-01 --to 2026-07-31 --arrests -1 --immigration-arrests 0
tf_err "cli: a period backwards" 1 "--to: the period ends before it starts" arrests --task-force 1 --from 2026-07-31 --to 2026-07-01 --arrests 1 --immigration-arrests 0
tf_err "cli: an overlapping period" 1 "--from: the period overlaps entry 3 (2026-04-01 to 2026-06-30)" arrests --task-force 1 --from 2026-06-30 --to 2026-07-31 --arrests 1 --immigration-arrests 0
tf_err "cli: before the agency joined" 1 "--from: the period starts before the agency joined the task force (2025-07-01)" arrests --task-force 1 --from 2025-06-01 --to 2025-06-30 --arrests 1 --immigration-arrests 0
tf_err "cli: after the agency left" 1 "--to: the period ends after the agency left the task force (2026-06-30)" arrests --task-force 2 --from 2026-07-01 --to 2026-07-31 --arrests 1 --immigration-arrests 0
tf_err "cli: no such task force" 1 "--task-force: no such task force in the register" arrests --task-force "Nobody TF" --from 2026-07-01 --to 2026-07-31 --arrests 1 --immigration-arrests 0
tf_err "cli: unknown subcommand" 2 "unexpected argument 'remove'" remove
tf_err "cli: bad list format" 2 "--format: expected text or json" list --format xml
n=$(sqlite3 "$db" "SELECT (SELECT count(*) FROM task_forces) || '/' || (SELECT count(*) FROM task_force_arrests)")
[ "$n" = 4/7 ] && ok "nothing written by a refused command" || bad "nothing written by a refused command" "$n"

# --- bad input over HTTP, and the roles
srv_start "$db"
req "http: no name" 400 $P '"field":"name"' -- -H "$AD" -H "$J" -d '{"purpose":"P","members":["A"],"joined":"2026-01-01"}' "$B/api/v1/task-forces"
req "http: members not a list" 400 $P '"field":"members"' -- -H "$AD" -H "$J" -d '{"name":"Y","purpose":"P","members":"A","joined":"2026-01-01"}' "$B/api/v1/task-forces"
req "http: a member not a string" 400 $P '"field":"members[1]"' -- -H "$AD" -H "$J" -d '{"name":"Y","purpose":"P","members":["A",2],"joined":"2026-01-01"}' "$B/api/v1/task-forces"
req "http: no member" 400 $P '"field":"members"' -- -H "$AD" -H "$J" -d '{"name":"Y","purpose":"P","members":[],"joined":"2026-01-01"}' "$B/api/v1/task-forces"
req "http: a bad day" 400 $P '"field":"joined"' -- -H "$AD" -H "$J" -d '{"name":"Y","purpose":"P","members":["A"],"joined":"2026-13-01"}' "$B/api/v1/task-forces"
req "http: an unknown member" 400 $P '"field":"dedicated"' -- -H "$AD" -H "$J" -d '{"name":"Y","purpose":"P","members":["A"],"joined":"2026-01-01","dedicated":true}' "$B/api/v1/task-forces"
req "http: a name taken" 409 $P '"field":"name"' -- -H "$AD" -H "$J" -d '{"name":"Fixture Quiet TF","purpose":"P","members":["A"],"joined":"2026-01-01"}' "$B/api/v1/task-forces"
req "http: no such task force" 404 $P '"field":"task_force"' -- -H "$AD" -H "$J" -d '{"from":"2026-01-01","to":"2026-01-31","arrests":1,"immigration_arrests":0}' "$B/api/v1/task-forces/99/arrests"
req "http: a bad id" 400 $P '"field":"id"' -- -H "$AD" -H "$J" -d '{"from":"2026-01-01","to":"2026-01-31","arrests":1,"immigration_arrests":0}' "$B/api/v1/task-forces/x/arrests"
req "http: a negative count" 400 $P '"field":"arrests"' -- -H "$AD" -H "$J" -d '{"from":"2026-09-01","to":"2026-09-30","arrests":-1,"immigration_arrests":0}' "$B/api/v1/task-forces/4/arrests"
req "http: immigration arrests missing" 400 $P '"field":"immigration_arrests"' -- -H "$AD" -H "$J" -d '{"from":"2026-09-01","to":"2026-09-30","arrests":1}' "$B/api/v1/task-forces/4/arrests"
req "http: more immigration arrests than arrests" 400 $P '"field":"immigration_arrests"' -- -H "$AD" -H "$J" -d '{"from":"2026-09-01","to":"2026-09-30","arrests":1,"immigration_arrests":2}' "$B/api/v1/task-forces/4/arrests"
req "http: an overlapping period" 409 $P '"field":"from"' -- -H "$AD" -H "$J" -d '{"from":"2026-06-01","to":"2026-06-30","arrests":1,"immigration_arrests":0}' "$B/api/v1/task-forces/2/arrests"
req "http: before the agency joined" 400 $P '"field":"from"' -- -H "$AD" -H "$J" -d '{"from":"2026-08-01","to":"2026-09-30","arrests":1,"immigration_arrests":0}' "$B/api/v1/task-forces/4/arrests"
req "http: the auditor reads the register" 200 $A '"Fixture Quiet TF"' -- -H "$AU" "$B/api/v1/task-forces"
req "http: the clerk may not read it" 403 $P '' -- -H "$CL" "$B/api/v1/task-forces"
req "http: the auditor may not write" 403 $P '' -- -H "$AU" -H "$J" -d '{"name":"Z","purpose":"P","members":["A"],"joined":"2026-01-01"}' "$B/api/v1/task-forces"
req "http: the clerk may not add arrests" 403 $P '' -- -H "$CL" -H "$J" -d '{"from":"2026-09-01","to":"2026-09-30","arrests":1,"immigration_arrests":0}' "$B/api/v1/task-forces/4/arrests"
req "http: the report, for an auditor" 200 $A '"task-force/1"' -- -H "$AU" "$B/api/v1/reports/task-force?year=2026"
jq -e --slurpfile cli "$R" '.figures == $cli[0].figures and .rows == $cli[0].rows' "$tmp/body" > /dev/null &&
    ok "http figures equal the CLI's" || bad "http figures equal the CLI's" "$(jq -c .figures "$tmp/body")"
req "http: the report as csv" 200 "text/csv; charset=utf-8" 'figure,total,arrests,' -- -H "$AU" "$B/api/v1/reports/task-force?year=2026&format=csv"
req "http: the report, the clerk refused" 403 $P '' -- -H "$CL" "$B/api/v1/reports/task-force?year=2026"
srv_stop
n=$(sqlite3 "$db" "SELECT (SELECT count(*) FROM task_forces) || '/' || (SELECT count(*) FROM task_force_arrests)")
[ "$n" = 4/7 ] && ok "nothing written by a refused request" || bad "nothing written by a refused request" "$n"
"$bin" audit verify --db "$db" > "$tmp/out" 2>&1 && ok "audit verify still intact" || bad "audit verify still intact" "$(cat "$tmp/out")"

# --- no user name, no free-text source in any output of the report
for f in json csv html; do
    "$bin" report task-force --db "$db" --year 2026 --format $f > "$tmp/out.$f" 2> "$tmp/err" || bad "report $f" "$(cat "$tmp/err")"
    if grep -q 'tf-admin\|PRIVATE-SOURCE-TEXT\|"cli"' "$tmp/out.$f"; then
        bad "no user name or source: $f" "$(grep -o 'tf-admin\|PRIVATE-SOURCE-TEXT\|"cli"' "$tmp/out.$f" | head -3 | tr '\n' ' ')"
    else ok "no user name or source: $f"; fi
done

# --- the demo's task forces (demo --history): two, one quarter straddling the year
demo=$tmp/demo.db
"$bin" migrate --db "$demo" > /dev/null && "$bin" demo --db "$demo" --bookings 200 --today 2026-11-30 --history > /dev/null ||
    die "demo failed"
"$bin" report --check task-force --db "$demo" --year 2026 > "$tmp/check" 2>&1 && ok "check task-force on the demo" ||
    bad "check task-force on the demo" "$(cat "$tmp/check")"
grep -q '^ok   total/task_forces 2 ' "$tmp/check" && grep -q '^ok   total/entries_not_counted 1 ' "$tmp/check" &&
    ok "the demo: two task forces, one entry straddling the year" || bad "the demo's task forces" "$(cat "$tmp/check")"
n=$(sqlite3 "$demo" "SELECT count(*) FROM task_force_arrests WHERE period_to >= '2026-11-30' OR immigration_arrests > 1")
[ "$n" = 0 ] && ok "the demo: only ended periods, few immigration arrests" || bad "the demo's entries" "$n"

echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
