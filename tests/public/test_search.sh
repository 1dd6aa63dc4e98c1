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

# suggests NAME QUERY EXPECTED: the search QUERY finds nobody and suggests EXPECTED (names
# joined by ";"; "" for none, but the key present).
suggests() {
    req "$1: nobody found" 200 "$A" '"inmates":[]' -- "$B/api/v1/public/inmates?$2"
    jq_is "$1" 'if has("did_you_mean") then .did_you_mean | join(";") else "no did_you_mean" end' "$3"
}

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

# --- a misspelled name: "did you mean", only names of people in the public list
book SMITH-1 "Gonzalez, Jose" 1980-01-02 "Main Jail" 2026-11-20T08:00:00-08:00
book OLD-1 "Gonzalves, Pedro" 1950-01-02 "Main Jail" 2020-11-20T08:00:00-08:00
req "release Gonzalves long ago" 200 "$A" '"status":"released"' -- -H "$AD" -H "$J" -X PATCH \
    -d '{"status":"released","released_at":"2021-01-01"}' "$B/api/v1/bookings/OLD-1"
suggests "misspelled last name" 'name=gonzales' 'Gonzalez, Jose'
suggests "one letter left out, with a first name" 'last=Gonzlez&first=jo' 'Gonzalez, Jose'
suggests "two letters swapped" 'name=Ngyuen' 'Nguyen, Linh'
suggests "no suggestion for another first name" 'name=gonzales,maria' ''
suggests "a misspelled first name" 'name=gonzalez,%20jsoe' 'Gonzalez, Jose'
suggests "both names misspelled, two errors in all" 'last=gonzales&first=jsoe' 'Gonzalez, Jose'
suggests "two errors in a short first name: nothing" 'name=gonzalez,%20jzsx' ''
suggests "three errors in all: nothing" 'name=gonzales,%20jzsx' ''
req "the suggestion is found" 200 "$A" '"booking_no":"SMITH-1"' -- "$B/api/v1/public/inmates?name=Gonzalez,%20Jose"
jq_is "a search that finds says nothing of suggestions" 'has("did_you_mean")' 'false'
# Gonzalves (released long ago) is no longer public: never suggested.
suggests "no suggestion outside the public list" 'name=gonzalvez' 'Gonzalez, Jose'
if grep -q Gonzalves "$tmp/body"; then bad "Gonzalves never told" "$(cat "$tmp/body")"; else ok "Gonzalves never told"; fi
suggests "nothing near" 'name=gxyzzy' ''
# A date of birth stays confirm-only: a search with one never suggests anything.
req "misspelled name with a date of birth" 200 "$A" '"inmates":[]' -- "$B/api/v1/public/inmates?name=gonzales&dob=1980-01-02"
jq_is "no suggestions with a date of birth" 'has("did_you_mean")' 'false'
# At most three names, however many are near.
for i in 1 2 3 4 5; do book "GZ-$i" "Gonzalez, Twin$i" 1980-01-02 "Main Jail" 2026-11-2${i}T08:00:00-08:00; done
req "many near" 200 "$A" '"inmates":[]' -- "$B/api/v1/public/inmates?name=gonzales"
jq_is "at most three suggestions" '.did_you_mean | length' '3'
# Without published names there is no name search, so no suggestion either.
[ "$(set_policy booking_no 7)" = 200 ] && ok "numbers only" || bad "numbers only" "$(cat "$tmp/policy.json")"
req "name search refused without names" 400 "$P" '"field":"name"' -- "$B/api/v1/public/inmates?name=gonzales"
if grep -q Gonzalez "$tmp/body"; then bad "no name in the refusal" "$(cat "$tmp/body")"; else ok "no name in the refusal"; fi
publish_all

srv_stop

echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
