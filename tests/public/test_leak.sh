#!/bin/sh
# test_leak.sh HOLDCHECK: no field the agency does not publish ever appears in a public answer
# or export, for every publication policy: none, each of the ten fields alone, and all.
# Every column of two bookings holds a sentinel value (people, bookings, charges, convictions,
# an immigration request and its decision, a subscriber's address), and charges under
# immigration law stand beside the published one; for each policy the test
# collects every public answer (info, status, searches of every kind, records, errors, the
# CSV and JSON Lines exports, snapshot listings and files, `holdcheck public-export`, a
# subscription's answer) and checks that each published field's sentinel is there (so the test
# can fail) and no other sentinel is. Ends with "N passed, M failed"; exits 1 on any failure.
# shellcheck disable=SC2015 # "A && ok || bad": ok always returns 0, so bad runs only when A fails
set -u
bin=${1:-build/holdcheck}
here=$(dirname "$0")
. "$here/../http/lib.sh"
. "$here/common.sh"

J='Content-Type: application/json'
A=application/json
db=$tmp/t.db
recent=$(date -d '-2 days' +%Y-%m-%d)

"$bin" migrate --db "$db" > /dev/null || die "migrate failed"
AD="Authorization: Bearer $(admin_token "$db" leak-admin)"
srv_start "$db" --public-rate 1000 --public-burst 100000 --export-refresh-seconds 1 \
    --public-status-seconds 1 --snapshot-dir "$tmp/snaps" --mail-outbox "$tmp/outbox"

# --- sentinels in every column
req "seed in custody" 201 $A '' -- -H "$AD" -H "$J" -d '{"booking_no":"QXBOOKNO-1",
  "booked_at":"2019-03-17T04:05:06-07:00","facility":"Qxfacility Jail",
  "scheduled_release":"2031-02-14T08:30:00-08:00",
  "person":{"name":"Qxnamelast, Qxnamefirst","date_of_birth":"1971-05-29","local_id":"QXLOCALID",
   "registrant_290":true,"convictions":[{"citation":"HS 11378","level":"felony","date":"2016-04-04",
   "court":"Qxcourt Superior","jurisdiction":"CA","prop47_reduced":false}]},
  "charges":[{"citation":"VC 10851","level":"felony","magistrate_probable_cause":true},
             {"citation":"PC 459","level":"felony","status":"dismissed"},
             {"citation":"8 USC 1326(a)","level":"felony"},
             {"citation":"18 USC 922(g)(5)","level":"felony"},
             {"citation":"8 USC 1304(e)","level":"misdemeanor"}]}' "$B/api/v1/bookings"
req "seed bail and court date" 200 $A '' -- -H "$AD" -H "$J" -X PATCH \
    -d '{"bail":987654,"next_court_date":"2031-01-13"}' "$B/api/v1/bookings/QXBOOKNO-1"
req "seed immigration request" 201 $A '' -- -H "$AD" -H "$J" \
    -d '{"type":"hold","form":"I-247A","received_at":"2024-05-02","issuing_office":"Qxoffice ERO"}' \
    "$B/api/v1/bookings/QXBOOKNO-1/requests"
req "seed notification request" 201 $A '' -- -H "$AD" -H "$J" \
    -d '{"type":"notification","form":"I-247A","received_at":"2024-05-03","issuing_office":"Qxoffice ERO"}' \
    "$B/api/v1/bookings/QXBOOKNO-1/requests"
req "seed released" 201 $A '' -- -H "$AD" -H "$J" -d "{\"booking_no\":\"QXBOOKREL-2\",
  \"booked_at\":\"2018-01-01T01:02:03-08:00\",\"facility\":\"Qxfacility Jail\",\"status\":\"released\",
  \"released_at\":\"${recent}T09:41:07-08:00\",\"release_reason\":\"Qxreason\",
  \"person\":{\"name\":\"Qxrelname, Qxrelfirst\",\"date_of_birth\":\"1972-06-30\",\"local_id\":\"QXLOCALID2\"}}" \
  "$B/api/v1/bookings"
[ "$(set_policy "booking_no,facility" 7)" = 200 ] || die "policy for the subscriber"
req "seed subscriber" 202 $A '' -- -H "$J" \
    -d '{"booking_no":"QXBOOKNO-1","channel":"email","address":"qxsubscriber@example.org"}' \
    "$B/api/v1/public/subscriptions"

# Sentinels of each published field (grep -F), and of what is never public.
sentinels() {
    case $1 in
    booking_no) echo "QXBOOKNO-1" ;;
    name) echo "Qxnamelast" ;; # the released one is listed only with recently_released
    booking_date) echo "2019-03-17" ;;
    charges) echo "VC 10851" ;;
    bail) echo "987654" ;;
    next_court_date) echo "2031-01-13" ;;
    facility) echo "Qxfacility" ;;
    custody_status) echo "in_custody" ;;
    scheduled_release) echo "2031-02-14" ;;
    recently_released) echo "$recent" ;;
    esac
}
# Charges whose naming says something immigration-related (data/README.md, flags): never shown.
never="1326 922(g)(5) 1304 alien reentry 1971-05-29 1972-06-30 QXLOCALID HS_11378 Qxcourt Qxreason PC_459 I-247 Qxoffice qxsubscriber prohibited permitted 7282 7284 registrant magistrate 04:05:06 09:41:07"
fields="booking_no name booking_date charges bail next_court_date facility custody_status scheduled_release recently_released"

# Every public answer into $tmp/all for the current policy.
collect() {
    : > "$tmp/all"
    get() { curl -s --max-time 10 "$B$1" >> "$tmp/all"; echo >> "$tmp/all"; }
    get /api/v1/public/info
    get /api/v1/public/status
    get "/api/v1/public/inmates?limit=100"
    get "/api/v1/public/inmates?name=qxnamelast"
    get "/api/v1/public/inmates?name=QXNAMELAST,%20qxname"
    get "/api/v1/public/inmates?last=qxrel&first=qx"
    get "/api/v1/public/inmates?last=qx&dob=1971-05-29"
    get "/api/v1/public/inmates?booking_no=QXBOOKNO-1"
    get "/api/v1/public/inmates?booking_no=QXBOOKREL-2"
    get "/api/v1/public/inmates?facility=Qxfacility%20Jail"
    get "/api/v1/public/inmates?custody_status=released"
    get "/api/v1/public/inmates?custody_status=in_custody"
    get "/api/v1/public/inmates?colour=red"
    get /api/v1/public/inmates/QXBOOKNO-1
    get /api/v1/public/inmates/QXBOOKREL-2
    get /api/v1/public/export.csv
    get /api/v1/public/export.jsonl
    get /api/v1/public/snapshots
    for f in $(curl -s "$B/api/v1/public/snapshots" | jq -r '.snapshots[] | .csv, .jsonl' 2>/dev/null); do
        get "$f"
    done
    get "/api/v1/public/snapshots/$(date +%Y-%m-%d).csv"
    get "/api/v1/public/snapshots/$(date +%Y-%m-%d).jsonl"
    {
        curl -s -H "$J" -d '{"booking_no":"QXBOOKNO-1","channel":"email","address":"qxsubscriber@example.org"}' \
            "$B/api/v1/public/subscriptions"
        curl -s -H "$J" -d '{"booking_no":"QXBOOKNO-1","channel":"webhook","url":"http://qxsubscriber.example.org/"}' \
            "$B/api/v1/public/subscriptions"
    } >> "$tmp/all"
    # The CLI's export too; it must succeed, or what it would have leaked goes unseen.
    for fmt in csv jsonl; do
        "$bin" public-export --db "$db" --format $fmt 2> "$tmp/export.err" >> "$tmp/all" ||
            bad "$label: public-export $fmt" "exit $?: $(head -c 300 "$tmp/export.err")"
    done
}

# check POLICY-NAME PUBLISHED-FIELDS...
check() {
    label=$1
    shift
    for f in $fields; do
        published=0
        for p in "$@"; do [ "$p" = "$f" ] && published=1; done
        for s in $(sentinels "$f"); do
            if grep -qF -- "$s" "$tmp/all"; then
                [ $published = 1 ] && ok "$label: $f shown" || bad "$label: $f leaked" "'$s' in a public answer"
            else
                [ $published = 1 ] && bad "$label: $f missing" "'$s' not in any answer" || ok "$label: $f hidden"
            fi
        done
    done
    for s in $never; do
        s=$(printf '%s' "$s" | tr _ ' ')
        if grep -qF -- "$s" "$tmp/all"; then bad "$label: never public" "'$s' in a public answer"; else
            ok "$label: '$s' never shown"; fi
    done
}

run_policy() { # LABEL FIELD...
    label=$1
    shift
    list=$(printf '%s,' "$@" | sed 's/,$//')
    [ "$(set_policy "$list" 7)" = 200 ] || { bad "$label: set policy" "$(cat "$tmp/policy.json")"; return; }
    wait_for 20 export_ready || bad "$label: export" "never written"
    collect
    check "$label" "$@"
}

run_policy "none"
for f in $fields; do
    run_policy "only $f" "$f"
done
# shellcheck disable=SC2086
run_policy "all" $fields

srv_stop
echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
