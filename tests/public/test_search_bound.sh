#!/bin/sh
# test_search_bound.sh HOLDCHECK: a public search by a last-name prefix and a first-name prefix
# visits at most PUBLISH_SEARCH_MAX_NAMES (2,000) distinct last names a page (src/app/publish.h):
# with 2,100 last names beginning with "Sb", `last=s&first=zzzz` is refused (422, naming
# "last") instead of walking them all, however many match; with more letters of the last name
# the same search answers. Ends with "N passed, M failed"; exits 1 on any failure.
# shellcheck disable=SC2015 # "A && ok || bad": ok always returns 0, so bad runs only when A fails
set -u
bin=${1:-build/holdcheck}
here=$(dirname "$0")
. "$here/../http/lib.sh"
. "$here/common.sh"

P=application/problem+json
A=application/json
db=$tmp/t.db
n=2100

"$bin" migrate --db "$db" > /dev/null || die "migrate failed"
# 2,100 people (synthetic names "Sb0001, Test" ...), each booked and in custody; the first
# also has a namesake "Sb0001, Zzzz". Written by the sqlite3 shell, then `migrate` fills the
# search keys, as it does for any database written before them.
sqlite3 "$db" "WITH RECURSIVE r(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM r WHERE i < $n)
    INSERT INTO people (name, created_at) SELECT printf('Sb%04d, Test', i), '2026-01-01T00:00:00Z' FROM r;
    INSERT INTO people (name, created_at) VALUES ('Sb0001, Zzzz', '2026-01-01T00:00:00Z');
    INSERT INTO bookings (booking_no, person_id, booked_at, facility, status)
    SELECT printf('SB-%05d', id), id, '2026-01-02T00:00:00-08:00', 'Main Jail', 'in_custody' FROM people;" ||
    die "seed failed"
"$bin" migrate --db "$db" | grep -q "filled the search keys of $((n + 1)) people" &&
    ok "search keys filled" || bad "search keys filled" "migrate did not fill them"
AD="Authorization: Bearer $(admin_token "$db" bound-admin)"
srv_start "$db" --public-rate 1000 --public-burst 100000
[ "$(set_policy booking_no,name 7)" = 200 ] && ok "names published" || bad "names published" "$(cat "$tmp/policy.json")"

req "one letter and a first name no one has: refused" 422 $P '"field":"last"' -- \
    "$B/api/v1/public/inmates?last=s&first=zzzzz"
grep -q 'more letters of the last name' "$tmp/body" && ok "says what to do" || bad "says what to do" "$(cat "$tmp/body")"
req "name= form too" 422 $P '"field":"last"' -- "$B/api/v1/public/inmates?name=s,%20zzzzz"
req "a match too far down the names: still refused" 422 $P '"field":"last"' -- \
    "$B/api/v1/public/inmates?last=s&first=zzzz"
req "more letters: answered" 200 $A '"name":"Sb0001, Zzzz"' -- \
    "$B/api/v1/public/inmates?last=sb0001&first=zzzz"
req "more letters, no one: answered, none" 200 $A '"inmates":[]' -- \
    "$B/api/v1/public/inmates?last=sb20&first=zzzzz"
req "last name alone: answered" 200 $A '"name":"Sb0001, Test"' -- "$B/api/v1/public/inmates?last=s&limit=5"
# "Did you mean" looks at no more last names than a search by first name may visit: with more
# than 2,000 last names under "s" and under "sb", only the first 2,000 under "sb" are compared.
req "misspelled among 2,100 last names: answered" 200 $A '"inmates":[]' -- "$B/api/v1/public/inmates?name=sb0o01"
jq_is "the nearest first" '.did_you_mean[0:2] | join(";")' 'Sb0001, Test;Sb0001, Zzzz'
jq_is "at most three" '.did_you_mean | length' '3'

srv_stop
echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
