# shellcheck shell=sh disable=SC2154 # $bin (the script's) and $tmp (tests/http/lib.sh) are set before
# fixture.sh: the reports tests' fixture, sourced after tests/http/lib.sh with $bin set: needs
# sqlite3 and jq; sets the agency's time zone TZ (Pacific: -08:00 until 8 March 2026, -07:00
# after), the headers $J, the media types $A and $P, and $db (migrated); and gives:
#   bearer ROLE                           a user f-ROLE, as its Authorization header
# and, once the server runs ($B) and $CL holds a clerk's header:
#   booking NO NAME DOB BOOKED SERIOUS    a booking through the API
#   request NO TYPE RECEIVED WANT-ID [EXTRA-JSON-MEMBERS]    a request on it
#   fig FILE GROUP KEY WANT               one figure of a JSON report is "COUNT IDS"
command -v sqlite3 > /dev/null || die "sqlite3 is needed (tools/install-deps.sh installs it)"
command -v jq > /dev/null || die "jq is needed"
TZ=America/Los_Angeles
export TZ
# shellcheck disable=SC2034 # used by the scripts that source this
J='Content-Type: application/json' A=application/json P=application/problem+json
db=$tmp/t.db
"$bin" migrate --db "$db" > /dev/null || die "migrate failed"
bearer() { "$bin" user add --db "$db" "f-$1" --role "$1" | sed -n 's/^token: /Authorization: Bearer /p'; }

# booking NO NAME DOB BOOKED SERIOUS(1: a PC 245(a)(1) felony conviction, a serious felony
# under PC 1192.7(c)(31), which meets Gov. Code 7282.5(a)(1); 0: no record)
booking() {
    conv='[]'
    [ "$5" = 1 ] && conv='[{"citation":"PC 245(a)(1)","level":"felony","date":"2015-03-02"}]'
    req "booking $1" 201 $A '' -- -H "$CL" -H "$J" -d "{\"booking_no\":\"$1\",\"booked_at\":\"$4\",
 \"facility\":\"Fixture Jail\",\"person\":{\"name\":\"$2\",\"date_of_birth\":\"$3\",\"local_id\":\"FXP-$1\",
 \"convictions\":$conv}}" "$B/api/v1/bookings"
}
# request NO TYPE RECEIVED WANT-ID [EXTRA-JSON-MEMBERS]
request() {
    req "request $4 ($2 on $1)" 201 $A "\"id\":\"request-$4\"" -- -H "$CL" -H "$J" \
        -d "{\"type\":\"$2\",\"received_at\":\"$3\",\"confirm_new\":true${5:-}}" "$B/api/v1/bookings/$1/requests"
}
# fig FILE GROUP KEY WANT ("COUNT [IDS]"): one figure of a JSON report.
fig() {
    got=$(jq -r --arg g "$2" --arg k "$3" \
        '.figures[] | select(.group == $g and .key == $k) | "\(.count) \(.request_ids | map(tostring) | join(","))"' "$1")
    if [ "$got" = "$4" ]; then ok "$(basename "$1") $2/$3 = $4"; else bad "$(basename "$1") $2/$3" "got '$got', want '$4'"; fi
}
