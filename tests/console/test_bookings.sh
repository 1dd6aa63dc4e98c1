#!/bin/sh
# test_bookings.sh HOLDCHECK: the console's booking search (GET /api/v1/console/bookings) by
# name ("Last, First" prefixes, case and accents folded), booking number and date of birth,
# in custody and released, whatever the publication policy publishes; paging; bad input named;
# staff only. Ends with "N passed, M failed"; exits 1 on any failure.
# shellcheck disable=SC2015 # "A && ok || bad": ok always returns 0, so bad runs only when A fails
set -u
bin=${1:-build/holdcheck}
. "$(dirname "$0")/../http/lib.sh"
. "$(dirname "$0")/setup.sh"

bk() { # NO NAME DOB [EXTRA]
    req "booking $1" 201 $A '' -- -H "$CL" -H "$J" \
        -d "{\"booking_no\":\"$1\",\"booked_at\":\"2026-01-02\",\"facility\":\"Test Jail\"${4:-},
             \"person\":{\"name\":\"$2\",\"local_id\":\"L-$1\",\"date_of_birth\":\"$3\"}}" "$B/api/v1/bookings"
}
bk S-1 "Núñez, Ana" 1980-01-02
bk S-2 "Nunez, Bruno" 1981-03-04
bk S-3 "Smith, Ana" 1980-01-02
bk S-4 "Nunes, Carla" 1990-05-06 ",\"status\":\"released\",\"released_at\":\"2026-02-01\""
S="$B/api/v1/console/bookings"

# found NAME QUERY WANT: the search with QUERY (curl --get arguments) finds the bookings WANT,
# in order ("S-1,S-2"); the rows are left in $tmp/body.
found() { # (req and jq_is use name and want: these are the caller's own)
    f_name=$1 f_q=$2 f_want=$3
    # shellcheck disable=SC2086 # f_q is curl arguments, split on purpose
    req "$f_name" 200 $A '' -- -H "$CL" --get $f_q "$S"
    jq_is "$f_name: $f_want" '[.bookings[].booking_no] | join(",")' "$f_want"
}
# The name key orders "Nunes" before "Nunez".
found "by last name prefix, folded" "-d name=nun" 'S-4,S-1,S-2'
jq_is "no next page" '.next_after' null
found "last, first" "--data-urlencode name=Nunez,Br" 'S-2'
found "by booking number" "-d booking_no=S-3" 'S-3'
jq_is "its row" '.bookings[0] | "\(.name) \(.date_of_birth) \(.status)"' 'Smith, Ana 1980-01-02 in_custody'
found "by date of birth alone" "-d dob=1980-01-02" 'S-1,S-3'
found "name and date of birth" "-d name=smith -d dob=1980-01-02" 'S-3'
found "released only" "-d name=nun -d status=released" 'S-4'
jq_is "the released booking's date" '.bookings[0].released_at' '2026-02-01'
found "in custody only" "-d name=nun -d status=in_custody" 'S-1,S-2'
req "nothing matches" 200 $A '"bookings":[]' -- -H "$CL" "$S?name=zzz"

# Paging: two a page, then the rest.
req "page 1" 200 $A '' -- -H "$CL" "$S?name=nun&limit=2"
jq_is "page 1 rows" '[.bookings[].booking_no] | join(",")' 'S-4,S-1'
after=$(jq -r .next_after "$tmp/body")
[ "$after" != null ] && ok "page 1 has a next page" || bad "page 1 has a next page" "null"
req "page 2" 200 $A '' -- -H "$CL" "$S?name=nun&limit=2&after=$after"
jq_is "page 2 rows" '[.bookings[].booking_no] | join(",")' 'S-2'
jq_is "no page 3" '.next_after' null

# The public policy does not narrow what staff find (names are not public by default).
req "public search refuses names" 400 $P '' -- "$B/api/v1/public/inmates?name=nun"

req "auditor searches" 200 $A '' -- -H "$AU" "$S?booking_no=S-1"
req "anonymous refused" 401 $P '' -- "$S?booking_no=S-1"
req "no criterion: 400" 400 $P '"field":"name"' -- -H "$CL" "$S"
req "only a status: 400" 400 $P '"field":"name"' -- -H "$CL" "$S?status=released"
req "bad date of birth" 400 $P '"field":"dob"' -- -H "$CL" "$S?dob=1980-13-01"
req "bad booking number" 400 $P '"field":"booking_no"' -- -H "$CL" "$S?booking_no=a%20b"
req "bad status" 400 $P '"field":"status"' -- -H "$CL" "$S?name=nun&status=gone"
req "name without a letter" 400 $P '"field":"name"' -- -H "$CL" "$S?name=%2C%2C"
req "limit over 100" 400 $P '"field":"limit"' -- -H "$CL" "$S?name=nun&limit=101"
req "bad after" 400 $P '"field":"after"' -- -H "$CL" "$S?name=nun&after=x"
req "unknown parameter" 400 $P '' -- -H "$CL" "$S?name=nun&color=red"

# The release and transfer forms of the bookings page send these (the route is the booking's).
req "transfer" 200 $A '' -- -H "$CL" -H "$J" -X PATCH -d '{"facility":"Test Annex"}' "$B/api/v1/bookings/S-1"
req "release" 200 $A '' -- -H "$CL" -H "$J" -X PATCH \
    -d "{\"status\":\"released\",\"released_at\":\"$(date +%Y-%m-%dT%H:%M:%S%:z)\",\"release_reason\":\"bail posted\"}" "$B/api/v1/bookings/S-1"
req "found released at the new facility" 200 $A '' -- -H "$CL" "$S?booking_no=S-1"
jq_is "released, Test Annex" '.bookings[0] | "\(.status) \(.facility)"' 'released Test Annex'
echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
