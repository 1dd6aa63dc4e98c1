#!/bin/sh
# test_replay.sh HOLDCHECK: what-if replay (docs/replay.md) and the trace on every decision
# (docs/engine.md, "The trace"). A fixture of five requests recorded through the API, each
# outcome worked out by hand from the statute (/work/shared/law/california.md, sections 5 and
# 9; quoted where each request is made); then:
#  - every new decision carries its trace (ruleset, catalog version, engine version, settings)
#    in the database and in GET /api/v1/requests/{id};
#  - `holdcheck replay` under a policy of serious_violent_only for notifications turns exactly
#    the grand-theft notification from permitted to prohibited, with the policy as the reason
#    and the summary counted by (old, new);
#  - `holdcheck replay --as-of 2018-01-01` over 2017 turns the TRUST-era hold and the 2017
#    notification to prohibited under SB 54, citing 7284.6(a)(1)(B) and (a)(1)(C);
#  - the database file is byte-identical after each replay (it writes nothing);
#  - a catalog that differs from the one that decided is named per request;
#  - a database from before the trace (tests/store/v1.sql, migrated) replays with every
#    version "not recorded", and its decisions show null traces;
#  - bad options and settings are refused naming the field; POST /api/v1/replay gives the same
#    answer to an admin and 403 to a clerk.
# Ends with "N passed, M failed"; exits 1 on any failure.
# shellcheck disable=SC2015 # "A && ok || bad": ok always returns 0, so bad runs only when A fails
set -u
bin=${1:-build/holdcheck}
here=$(dirname "$0")
. "$here/../http/lib.sh"

db="$tmp/t.db"
"$bin" migrate --db "$db" > /dev/null || die "migrate failed"
J='Content-Type: application/json' P=application/problem+json A=application/json
# auth ROLE: a new user with that role, as the header that authenticates it.
auth() {
    "$bin" user add --db "$db" "r-$1" --role "$1" > "$tmp/user-$1" &&
        echo "Authorization: Bearer $(sed -n 's/^token: //p' "$tmp/user-$1")"
}
CL=$(auth clerk) && SU=$(auth supervisor) && AD=$(auth admin) || die "user add failed"
srv_start "$db"

booking() { # NO BOOKED_AT CONVICTIONS
    req "booking $1" 201 $A '' -- -H "$AD" -H "$J" -d "{\"booking_no\":\"$1\",\"booked_at\":\"$2\",
      \"facility\":\"Test Jail\",\"person\":{\"name\":\"Replayperson, $1\",\"date_of_birth\":\"1980-01-02\",
      \"local_id\":\"RP-$1\",\"convictions\":$3},\"charges\":[]}" "$B/api/v1/bookings"
}
request() { # BOOKING BODY WANT-OUTCOME
    req "request $1 $2" 201 $A "\"outcome\":\"$3\"" -- -H "$CL" -H "$J" -d "$2" "$B/api/v1/bookings/$1/requests"
}

# 1. A-1: grand theft, PC 487(a), a felony in 2016; a notification request in 2024.
#    7284.6(a)(1)(C) allows a response "in accordance with Section 7282.5"; 7282.5(a)(3) is met
#    by a felony within the last 15 years in category (F) "burglary, robbery, theft, fraud,
#    forgery, or embezzlement" (487 is listed there): permitted. PC 487 is in neither the
#    serious (PC 1192.7(c)) nor the violent (PC 667.5(c)) list, so under an agency policy of
#    serious_violent_only for notifications the answer is prohibited.
booking A-1 2024-04-30T08:00:00-07:00 '[{"citation":"PC 487(a)","level":"felony","date":"2016-05-02"}]'
request A-1 '{"type":"notification","form":"I-247A","received_at":"2024-05-01T09:00:00-07:00"}' permitted
# 2. D-1: no record; a transfer request with a judicial warrant in 2024. 7284.6(a)(4) allows a
#    transfer "authorized by a judicial warrant": permitted, and a notification policy changes
#    nothing.
booking D-1 2024-04-30T08:00:00-07:00 '[]'
request D-1 '{"type":"transfer","form":"I-247A","judicial_warrant":true,"received_at":"2024-05-02T09:00:00-07:00"}' permitted
# 3. E-1: robbery, PC 211, a felony in 2015 (serious, PC 1192.7(c)(19); violent, PC
#    667.5(c)(9)); a notification request in 2024: permitted by 7282.5(a)(1), and still
#    permitted under serious_violent_only.
booking E-1 2024-04-30T08:00:00-07:00 '[{"citation":"PC 211","level":"felony","date":"2015-03-02"}]'
request E-1 '{"type":"notification","form":"I-247A","received_at":"2024-05-03T09:00:00-07:00"}' permitted
# 4. B-1: robbery, PC 211, a felony in 2012; a hold request on 2017-06-01. The TRUST Act's
#    7282.5(a)(1) (Stats. 2013, ch. 570) let an agency hold a person convicted of a serious or
#    violent felony: permitted. Under SB 54, from 2018-01-01, 7284.6(a)(1)(B) bars detaining
#    a person "on the basis of a hold request", with no exception: prohibited.
booking B-1 2017-05-30T08:00:00-07:00 '[{"citation":"PC 211","level":"felony","date":"2012-03-01"}]'
request B-1 '{"type":"hold","form":"I-247A","received_at":"2017-06-01T09:00:00-07:00"}' permitted
# 5. C-1: no record; a notification request on 2017-06-02. Before 2018 no statute limited
#    notification requests (the TRUST Act covered holds only): permitted. From 2018-01-01,
#    7284.6(a)(1)(C) allows it only if the release date is public or 7282.5 is met; neither
#    is: prohibited.
booking C-1 2017-05-30T08:00:00-07:00 '[]'
request C-1 '{"type":"notification","form":"I-247A","received_at":"2017-06-02T09:00:00-07:00"}' permitted
A1=1 B1=4 C1=5 # request ids, in the order recorded
# A supervisor's override of A-1 (more restrictive): the outcome in force is then review,
# the engine's still permitted; a replay reports both.
req "override A-1" 201 $A '' -- -H "$SU" -H "$J" -d '{"outcome":"review","reason":"replay fixture"}' \
    "$B/api/v1/requests/$A1/override"

# --- the trace, on every new decision
catver=$("$bin" replay --db "$db" --from 2000-01-01 --to 2000-01-01 | sed -n 's/^catalog: today.s version \([0-9a-f]*\);.*/\1/p')
[ "${#catver}" = 64 ] && ok "today's catalog version is 64 hex digits" || bad "catalog version" "'$catver'"
req "request with its trace" 200 $A '"trace"' -- -H "$CL" "$B/api/v1/requests/$A1"
jq_is "trace: ruleset" '.decisions[0].trace.ruleset' CA-2018-01-01
jq_is "trace: catalog version" '.decisions[0].trace.catalog_version' "$catver"
jq_is "trace: engine version" '.decisions[0].trace.engine_version' 2
jq_is "trace: settings in force" '.decisions[0].trace.settings | tojson' \
    '{"personal_info_public":false,"policy":{},"release_dates_public":false}'
n=$(sqlite3 "$db" "SELECT count(*) FROM decisions WHERE catalog_version = '$catver' AND engine_version = 2 AND settings_json IS NOT NULL")
[ "$n" = 5 ] && ok "every stored decision has its trace" || bad "every stored decision has its trace" "$n of 5"
srv_stop

# --- replay under another policy: writes nothing, changes exactly A-1
sum() { sha256sum "$db" | cut -d' ' -f1; }
ls "$db"-wal > /dev/null 2>&1 && bad "no WAL left after the server stopped" "$(ls -l "$db"-wal)"
before=$(sum)
printf '{"policy":{"notification":"serious_violent_only"}}' > "$tmp/svo.json"
"$bin" replay --db "$db" --from 2024-01-01 --to 2024-12-31 --policy "$tmp/svo.json" --format json > "$tmp/r1.json" 2> "$tmp/err" ||
    bad "replay policy" "exit $?: $(cat "$tmp/err")"
[ "$(sum)" = "$before" ] && ok "database byte-identical after replay" || bad "database byte-identical after replay" "hash changed"
[ ! -e "$db-wal" ] || [ ! -s "$db-wal" ] && ok "no WAL written by replay" || bad "no WAL written by replay" "$(ls -l "$db"-wal)"
jr() { # NAME FILTER WANT: over the replay's JSON
    got=$(jq -r "$2" "$tmp/r1.json" 2>/dev/null)
    [ "$got" = "$3" ] && ok "$1" || bad "$1" "$2 is '$got', want '$3'"
}
jr "policy: one change" '.changes | length' 1
jr "policy: the change is A-1" '.changes[0].booking_no' A-1
jr "policy: old engine outcome" '.changes[0].old_engine' permitted
jr "policy: old outcome in force (the override)" '.changes[0].old_in_force' review
jr "policy: new outcome" '.changes[0].new_outcome' prohibited
jr "policy: why: the agency policy" '.changes[0].basis[0]' 'agency policy: notification "serious_violent_only"'
jr "policy: why: the provision" '.changes[0].basis | index("Gov. Code § 7284.6(a)(1)(C)") != null' true
jr "policy: same catalog" '.changes[0].catalog' same
jr "policy: what decided it (its trace)" '.changes[0].old_trace | "\(.ruleset) \(.catalog_version) \(.engine_version) \(.settings | tojson)"' \
    "CA-2018-01-01 $catver 2 {\"personal_info_public\":false,\"policy\":{},\"release_dates_public\":false}"
jr "policy: three decided" '.summary.decided' 3
jr "policy: one changed" '.summary.changed' 1
jr "policy: changed under an override" '.summary.changed_overridden' 1
jr "policy: pairs" '[.summary.pairs[] | "\(.old)>\(.new)=\(.count)"] | join(" ")' \
    'permitted>permitted=2 permitted>prohibited=1'
jr "policy: nothing written" '.written' false

"$bin" replay --db "$db" --from 2024-01-01 --to 2024-12-31 --policy "$tmp/svo.json" > "$tmp/r1.txt" 2>&1
grep -q '^request 1 (booking A-1, notification, .*): permitted -> prohibited (in force: review, an override' "$tmp/r1.txt" &&
    ok "text: the change line" || bad "text: the change line" "$(head -3 "$tmp/r1.txt")"
grep -q "^  decided under: catalog $(echo "$catver" | cut -c1-12), engine 2, settings {\"personal_info_public\":false" "$tmp/r1.txt" &&
    ok "text: what decided it" || bad "text: what decided it" "$(head -5 "$tmp/r1.txt")"
grep -q '^  permitted -> prohibited: 1$' "$tmp/r1.txt" && ok "text: the summary pair" || bad "text: the summary pair" "$(cat "$tmp/r1.txt")"
grep -q '^nothing was written$' "$tmp/r1.txt" && ok "text: says nothing was written" || bad "text: nothing was written" "$(tail -2 "$tmp/r1.txt")"

# The same settings file with the state-law policy changes nothing.
printf '{"policy":{}}' > "$tmp/state.json"
"$bin" replay --db "$db" --from 2024-01-01 --to 2024-12-31 --policy "$tmp/state.json" --format json > "$tmp/r1.json"
jr "state-law policy: no change" '.summary.changed' 0

# --- replay at another law date: 2017 re-decided as of 2018-01-01 (SB 54)
"$bin" replay --db "$db" --from 2017-01-01 --to 2017-12-31 --as-of 2018-01-01 --format json > "$tmp/r1.json" 2> "$tmp/err" ||
    bad "replay as-of" "exit $?: $(cat "$tmp/err")"
[ "$(sum)" = "$before" ] && ok "database byte-identical after the as-of replay" || bad "byte-identical after as-of" "hash changed"
jr "as-of: two changes" '.changes | length' 2
jr "as-of: the hold" '.changes[0] | "\(.booking_no) \(.type) \(.old_engine) \(.old_ruleset) -> \(.new_outcome) \(.new_ruleset)"' \
    'B-1 hold permitted CA-2017-01-01 -> prohibited CA-2018-01-01'
jr "as-of: the requests, by id" '[.changes[].request_id] | join(" ")' "$B1 $C1"
jr "as-of: the hold's reason, 7284.6(a)(1)(B)" '.changes[0].basis | index("Gov. Code § 7284.6(a)(1)(B)") != null' true
jr "as-of: the notification" '.changes[1] | "\(.booking_no) \(.type) \(.old_engine) -> \(.new_outcome)"' \
    'C-1 notification permitted -> prohibited'
jr "as-of: the notification's reason, 7284.6(a)(1)(C)" '.changes[1].basis | index("Gov. Code § 7284.6(a)(1)(C)") != null' true
jr "as-of: pairs" '[.summary.pairs[] | "\(.old)>\(.new)=\(.count)"] | join(" ")' 'permitted>prohibited=2'
# The 2024 requests as of 2018-01-01: the same law (7284.6 and 7282.5 as SB 54 wrote them).
"$bin" replay --db "$db" --from 2024-01-01 --to 2024-12-31 --as-of 2018-01-01 --format json > "$tmp/r1.json"
jr "as-of 2018 over 2024: no change" '.summary.changed' 0

# --- a catalog other than the one that decided is named on each request
mkdir -p "$tmp/cat"
cp -r data/ca data/federal "$tmp/cat/" 2> /dev/null || die "copy data/ (run from the repository root)"
# One description changed: a row the engine reads, so the catalog's version changes.
awk -F'\t' 'BEGIN{OFS="\t"} !done && $1=="PC 211" {$NF=$NF" (edited)"; done=1} {print}' \
    "$tmp/cat/ca/penal.tsv" > "$tmp/cat/p" && mv "$tmp/cat/p" "$tmp/cat/ca/penal.tsv"
cmp -s data/ca/penal.tsv "$tmp/cat/ca/penal.tsv" && die "the catalog copy was not edited"
"$bin" replay --db "$db" --from 2024-01-01 --to 2024-12-31 --policy "$tmp/svo.json" --catalog "$tmp/cat" > "$tmp/r1.txt" 2>&1
grep -A8 '^request 1 ' "$tmp/r1.txt" | grep -q '^  note: catalog changed since decided$' &&
    ok "catalog changed since decided, per request" || bad "catalog changed since decided" "$(cat "$tmp/r1.txt")"
grep -q '^catalog: today.s version [0-9a-f]*; 3 decided under another, 0 not recorded$' "$tmp/r1.txt" &&
    ok "catalog changed: counted" || bad "catalog changed: counted" "$(grep '^catalog' "$tmp/r1.txt")"
# A comment added to a table changes nothing.
printf '# a comment only\n' >> "$tmp/cat/federal/usc.tsv"
cp data/ca/penal.tsv "$tmp/cat/ca/penal.tsv"
"$bin" replay --db "$db" --from 2024-01-01 --to 2024-12-31 --catalog "$tmp/cat" > "$tmp/r1.txt" 2>&1
grep -q '^catalog: today.s version '"$catver"'; 0 decided under another' "$tmp/r1.txt" &&
    ok "a comment does not change the catalog version" || bad "comment changes the version" "$(grep '^catalog' "$tmp/r1.txt")"

# --- a proposed law change (a bill not in force), for a replay only
# A hypothetical bill adding grand theft, PC 487(a), to the serious felonies of PC 1192.7(c)
# from 2025-01-01 (a list row, read on the decision date). Under it, A-1's conviction would
# meet 7282.5(a)(1), so a serious_violent_only policy would permit the notification: decided
# as of 2025-01-02 with the bill, A-1 keeps its permitted; as of 2024-12-31, the day before the
# bill would take effect, the policy prohibits it as before.
printf 'PC 487(a)\t2025-01-01\t-\tL\t-\t44\t-\t-\t-\t-\t-\tgrand theft, a serious felony under a hypothetical bill\tproposed: not law\n' > "$tmp/bill.tsv"
"$bin" replay --db "$db" --from 2024-01-01 --to 2024-12-31 --policy "$tmp/svo.json" --as-of 2025-01-02 \
    --proposed "$tmp/bill.tsv" --format json > "$tmp/r1.json" 2> "$tmp/err" || bad "replay proposed" "$(cat "$tmp/err")"
jr "proposed, in effect: A-1 keeps permitted" '.summary.changed' 0
jr "proposed, in effect: pairs" '[.summary.pairs[] | "\(.old)>\(.new)=\(.count)"] | join(" ")' 'permitted>permitted=3'
jr "proposed: named in the summary" '.summary.proposed.table | endswith("bill.tsv")' true
jr "proposed: today's catalog compared, not the bill's" '.summary.catalog_changed' 0
"$bin" replay --db "$db" --from 2024-01-01 --to 2024-12-31 --policy "$tmp/svo.json" --as-of 2025-01-02 --format json > "$tmp/r1.json"
jr "without the bill as of 2025-01-02: A-1 prohibited" '[.changes[] | "\(.booking_no) \(.new_outcome)"] | join(" ")' 'A-1 prohibited'
"$bin" replay --db "$db" --from 2024-01-01 --to 2024-12-31 --policy "$tmp/svo.json" --as-of 2024-12-31 \
    --proposed "$tmp/bill.tsv" --format json > "$tmp/r1.json"
jr "proposed, before its date: A-1 prohibited" '[.changes[] | "\(.booking_no) \(.new_outcome)"] | join(" ")' 'A-1 prohibited'
"$bin" replay --db "$db" --from 2024-01-01 --to 2024-12-31 --proposed "$tmp/bill.tsv" > "$tmp/r1.txt" 2>&1
grep -q '^proposed: .*bill.tsv (catalog version [0-9a-f]*), not the law' "$tmp/r1.txt" && ok "text: the proposed table named" ||
    bad "text: the proposed table named" "$(tail -3 "$tmp/r1.txt")"
printf 'PC 487(a)\t-\t-\tL\t-\t44\t-\t-\t-\t-\t-\tundated\tproposed\n' > "$tmp/undated.tsv"
if "$bin" replay --db "$db" --from 2024-01-01 --to 2024-12-31 --proposed "$tmp/undated.tsv" > /dev/null 2> "$tmp/err"; then
    bad "a proposed row without a date" "accepted"
else
    grep -q 'undated.tsv: a proposed row needs a from date' "$tmp/err" && ok "a proposed row without a date" ||
        bad "a proposed row without a date" "$(cat "$tmp/err")"
fi
"$bin" replay --db "$db" --from 2024-01-01 --to 2024-12-31 --proposed "$tmp/bill.tsv" --catalog data > /dev/null 2>&1 &&
    bad "--proposed with --catalog" "accepted" || ok "--proposed with --catalog refused"
# Intake never reads a proposed table: the server has no such option.
"$bin" serve --help 2>&1 | grep -q -- '--proposed' && bad "serve takes no proposed table" "it does" ||
    ok "serve takes no proposed table"

# --- bad input, named
bad_run() { # NAME WANT-IN-STDERR ARGS...
    name=$1 want=$2
    shift 2
    if "$bin" replay --db "$db" "$@" > /dev/null 2> "$tmp/err"; then bad "$name" "accepted"
    elif grep -qF -- "$want" "$tmp/err"; then ok "$name"; else bad "$name" "$(cat "$tmp/err")"; fi
}
bad_run "missing from" "from: expected a date" --to 2024-01-01
bad_run "bad to" "to: expected a date" --from 2024-01-01 --to 2024-13-01
bad_run "to before from" "to: is before from" --from 2024-02-01 --to 2024-01-01
bad_run "as-of before the first law" "as_of: is before 2014-01-01" --from 2024-01-01 --to 2024-02-01 --as-of 2013-12-31
printf '{"policy":{"notification":"sometimes"}}' > "$tmp/bad1.json"
bad_run "unknown policy value" "bad1.json: policy.notification: unknown policy" --from 2024-01-01 --to 2024-02-01 --policy "$tmp/bad1.json"
printf '{"policy":{"tea":"never"}}' > "$tmp/bad2.json"
bad_run "unknown request type" "bad2.json: policy.tea: unknown field" --from 2024-01-01 --to 2024-02-01 --policy "$tmp/bad2.json"
printf '{"colour":1}' > "$tmp/bad3.json"
bad_run "unknown member" "bad3.json: colour: unknown member" --from 2024-01-01 --to 2024-02-01 --policy "$tmp/bad3.json"
printf '{"settings":{"prop47_scope":"everyone"}}' > "$tmp/bad4.json"
bad_run "bad interpretive setting" "bad4.json: settings.prop47_scope: unknown value" --from 2024-01-01 --to 2024-02-01 --policy "$tmp/bad4.json"
printf '[1]' > "$tmp/bad5.json"
bad_run "settings not an object" "bad5.json: expected a JSON object" --from 2024-01-01 --to 2024-02-01 --policy "$tmp/bad5.json"
[ "$(sum)" = "$before" ] && ok "database byte-identical after every replay" || bad "byte-identical at the end" "hash changed"

# --- over HTTP, for admins
srv_start "$db"
body='{"from":"2024-01-01","to":"2024-12-31","policy":{"policy":{"notification":"serious_violent_only"}}}'
req "POST replay (admin)" 200 $A '"written":false' -- -H "$AD" -H "$J" -d "$body" "$B/api/v1/replay"
jq_is "http: the change is A-1" '.changes[0].booking_no' A-1
jq_is "http: new outcome" '.changes[0].new_outcome' prohibited
jq_is "http: pairs" '[.summary.pairs[] | "\(.old)>\(.new)=\(.count)"] | join(" ")' 'permitted>permitted=2 permitted>prohibited=1'
jq_is "http: listed" '.changes_listed' 1
req "POST replay (clerk)" 403 $P '' -- -H "$CL" -H "$J" -d "$body" "$B/api/v1/replay"
req "POST replay as-of" 200 $A '"written":false' -- -H "$AD" -H "$J" \
    -d '{"from":"2017-01-01","to":"2017-12-31","as_of":"2018-01-01"}' "$B/api/v1/replay"
jq_is "http as-of: two changed" '.summary.changed' 2
req "http: bad policy named" 400 $P '"field":"policy.policy.notification"' -- -H "$AD" -H "$J" \
    -d '{"from":"2024-01-01","to":"2024-12-31","policy":{"policy":{"notification":"sometimes"}}}' "$B/api/v1/replay"
req "http: policy not an object" 400 $P '"field":"policy"' -- -H "$AD" -H "$J" \
    -d '{"from":"2024-01-01","to":"2024-12-31","policy":[]}' "$B/api/v1/replay"
req "http: missing from" 400 $P '"field":"from"' -- -H "$AD" -H "$J" -d '{"to":"2024-12-31"}' "$B/api/v1/replay"
req "http: unknown member" 400 $P '"field":"colour"' -- -H "$AD" -H "$J" \
    -d '{"from":"2024-01-01","to":"2024-12-31","colour":1}' "$B/api/v1/replay"
srv_stop

# --- a database from before the trace: migrated, its decisions say "not recorded"
old="$tmp/v1.db"
sqlite3 "$old" < tests/store/v1.sql || die "load tests/store/v1.sql (run from the repository root)"
"$bin" migrate --db "$old" > /dev/null || die "migrate v1"
n=$(sqlite3 "$old" "SELECT count(*) FROM decisions WHERE catalog_version IS NULL AND settings_json IS NULL AND engine_version IS NULL")
[ "$n" = 3 ] && ok "migrated decisions: trace NULL (not recorded)" || bad "migrated decisions NULL" "$n of 3"
oldsum=$(sha256sum "$old" | cut -d' ' -f1)
"$bin" replay --db "$old" --from 2023-01-01 --to 2024-12-31 > "$tmp/r1.txt" 2>&1 || bad "replay v1" "$(cat "$tmp/r1.txt")"
grep -q '^catalog: today.s version [0-9a-f]*; 0 decided under another, 3 not recorded$' "$tmp/r1.txt" &&
    ok "v1: catalog not recorded" || bad "v1: catalog not recorded" "$(cat "$tmp/r1.txt")"
grep -q '^engine: today.s version 2; 0 decided under another, 3 not recorded$' "$tmp/r1.txt" &&
    ok "v1: engine not recorded" || bad "v1: engine not recorded" "$(cat "$tmp/r1.txt")"
"$bin" replay --db "$old" --from 2023-01-01 --to 2024-12-31 --policy "$tmp/svo.json" > "$tmp/r1.txt" 2>&1
if grep -q '^request ' "$tmp/r1.txt"; then
    grep -q '^  note: catalog and engine versions not recorded' "$tmp/r1.txt" &&
        ok "v1: a change notes the versions were not recorded" || bad "v1: not recorded note" "$(cat "$tmp/r1.txt")"
fi
[ "$(sha256sum "$old" | cut -d' ' -f1)" = "$oldsum" ] && ok "v1 database byte-identical after replay" || bad "v1 byte-identical" "hash changed"
srv_start "$old"
"$bin" user add --db "$old" "v-admin" --role admin > "$tmp/user-v" || die "user add v1"
req "v1: request shows a null trace" 200 $A '"trace"' -- -H "Authorization: Bearer $(sed -n 's/^token: //p' "$tmp/user-v")" "$B/api/v1/requests/1"
jq_is "v1: catalog_version null" '.decisions[0].trace.catalog_version' null
jq_is "v1: engine_version null" '.decisions[0].trace.engine_version' null
jq_is "v1: settings null" '.decisions[0].trace.settings' null
jq_is "v1: ruleset kept" '.decisions[0].trace.ruleset' "$(sqlite3 "$old" 'SELECT ruleset FROM decisions WHERE request_id = 1')"
srv_stop

echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
