#!/bin/sh
# test_demo_history.sh HOLDCHECK: `holdcheck demo --history` records a year of what was done,
# and every row of it obeys the rules a real agency's records must (docs/actions.md):
#   - an action is never dated before its request was received, nor in the future;
#   - a declined request is one whose outcome in force is prohibited, unless contrary;
#   - ICE told of a release only on a notification request the law permits (7284.6(a)(1)(C)),
#     a transfer only on a transfer request it permits (7284.6(a)(4)), unless contrary;
#   - exactly two contrary actions, each by a supervisor with a reason, each flagged;
#   - the audit chain vouches for all of it;
#   - the same seed gives the same history, and without --history the county is the same
#     county with no actions and no overrides;
#   - `holdcheck report --check` recomputes every figure of the three reports from it, and
#     fails once an action is changed behind the reports' back.
# Ends with "N passed, M failed"; exits 1 on any failure.
# shellcheck disable=SC2015 # "A && ok || bad": ok always returns 0, so bad runs only when A fails
set -u
bin=${1:-build/holdcheck}
. "$(dirname "$0")/../http/lib.sh"

demo() { # demo DB [ARGS...]
    db=$1
    shift
    "$bin" migrate --db "$db" > /dev/null || die "migrate $db failed"
    "$bin" demo --db "$db" --bookings 3000 --seed 7 --today 2026-11-30 "$@" > "$tmp/demo.out" ||
        die "demo $* failed: $(cat "$tmp/demo.out")"
}
q() { sqlite3 "$tmp/h.db" "$1"; }
is() { # is NAME GOT WANT
    [ "$2" = "$3" ] && ok "$1" || bad "$1" "got '$2', want '$3'"
}

demo "$tmp/h.db" --history
demo "$tmp/h2.db" --history
demo "$tmp/plain.db"

n=$(q "SELECT count(*) FROM request_actions")
[ "$n" -ge 10 ] && ok "a history is recorded ($n actions)" || bad "actions recorded" "$n"
grep -q "overrides" "$tmp/demo.out" && bad "plain demo mentions a history" "$(cat "$tmp/demo.out")" ||
    ok "the plain demo says nothing of a history"

is "no action on a request still at review" \
    "$(q "SELECT count(*) FROM request_actions WHERE outcome_in_force = 'review'")" 0
[ "$(q "SELECT count(*) FROM overrides")" -ge 1 ] && ok "supervisors' overrides recorded" ||
    bad "overrides" "none"
is "no action before its request was received" \
    "$(q "SELECT count(*) FROM request_actions a JOIN immigration_requests r ON r.id = a.request_id
          WHERE julianday(a.at) < julianday(r.received_at)")" 0
is "no action in the future" \
    "$(q "SELECT count(*) FROM request_actions WHERE julianday(at) > julianday('now')")" 0
is "declined only where prohibited (or flagged)" \
    "$(q "SELECT count(*) FROM request_actions WHERE kind = 'declined' AND contrary = 0
          AND outcome_in_force <> 'prohibited'")" 0
is "notified only on a permitted notification request (or flagged)" \
    "$(q "SELECT count(*) FROM request_actions a JOIN immigration_requests r ON r.id = a.request_id
          WHERE a.kind = 'notified' AND a.contrary = 0 AND (r.type <> 'notification'
          OR a.outcome_in_force NOT IN ('permitted', 'permitted_with_conditions'))")" 0
is "transferred only on a permitted transfer request (or flagged)" \
    "$(q "SELECT count(*) FROM request_actions a JOIN immigration_requests r ON r.id = a.request_id
          WHERE a.kind = 'transferred' AND a.contrary = 0 AND (r.type <> 'transfer'
          OR a.outcome_in_force NOT IN ('permitted', 'permitted_with_conditions'))")" 0
is "two contrary actions, by a supervisor, with a reason, on prohibited requests" \
    "$(q "SELECT count(*) FROM request_actions WHERE contrary = 1 AND reason IS NOT NULL
          AND recorded_by = 'demo-supervisor' AND outcome_in_force = 'prohibited'")|$(q "SELECT count(*) FROM request_actions WHERE contrary = 1")" "2|2"
is "every override is more restrictive: to prohibited" \
    "$(q "SELECT count(*) FROM overrides WHERE outcome <> 'prohibited'")" 0
"$bin" audit verify --db "$tmp/h.db" > "$tmp/verify.out" 2>&1 && grep -q "chain intact" "$tmp/verify.out" &&
    ok "audit verify: intact, actions and overrides bound" || bad "audit verify" "$(cat "$tmp/verify.out")"

acts="SELECT request_id, kind, at, coalesce(method, ''), contrary FROM request_actions ORDER BY id"
[ "$(sqlite3 "$tmp/h.db" "$acts")" = "$(sqlite3 "$tmp/h2.db" "$acts")" ] &&
    ok "the same seed gives the same history" || bad "same seed" "the two histories differ"
is "no history without --history" \
    "$(sqlite3 "$tmp/plain.db" "SELECT count(*) FROM request_actions")|$(sqlite3 "$tmp/plain.db" "SELECT count(*) FROM overrides")" "0|0"
county="SELECT r.id, r.type, r.received_at, b.booking_no, d.outcome, d.case_json FROM immigration_requests r
        JOIN bookings b ON b.id = r.booking_id JOIN decisions d ON d.request_id = r.id ORDER BY r.id"
[ "$(sqlite3 "$tmp/h.db" "$county")" = "$(sqlite3 "$tmp/plain.db" "$county")" ] &&
    ok "--history leaves the county and its decisions as they were" ||
    bad "same county" "the requests or decisions differ with --history"

# The reports recompute every figure of this history, and notice a row changed behind them.
for k in doj-transfers releases-without-notice truth-forum; do
    "$bin" report --check "$k" --db "$tmp/h.db" --year 2026 > "$tmp/check" 2>&1 &&
        ok "report --check $k: every figure of the history recomputed" || bad "check $k" "$(tail -3 "$tmp/check")"
done
sqlite3 "$tmp/h.db" "DROP TRIGGER actions_nu; UPDATE request_actions SET kind = 'declined', method = NULL,
    acted_by = NULL WHERE kind = 'notified' AND contrary = 1" || bad "tamper" "update failed"
"$bin" report --check truth-forum --db "$tmp/h.db" --year 2026 > "$tmp/check" 2>&1 &&
    bad "check after tampering" "passed: $(tail -1 "$tmp/check")" ||
    ok "report --check fails after an action was changed behind it"

echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
