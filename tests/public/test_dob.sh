#!/bin/sh
# test_dob.sh HOLDCHECK: a date of birth can be confirmed, never guessed (docs/public.md, "Date
# of birth"): a public search with a date of birth matches the whole last name, and each last
# name gets dob_searches_per_name such searches a day from all clients together (here 5, from
# many addresses through a trusted proxy); past them every such search for the name is answered 429
# with the same body whether or not the date is right, through the answer cache too, while
# other names and searches without a date are answered. Ends with "N passed, M failed".
# shellcheck disable=SC2015 # "A && ok || bad": ok always returns 0, so bad runs only when A fails
set -u
bin=${1:-build/holdcheck}
here=$(dirname "$0")
. "$here/../http/lib.sh"
. "$here/common.sh"

db=$tmp/t.db
"$bin" migrate --db "$db" > /dev/null || die "migrate failed"
AD="Authorization: Bearer $(admin_token "$db" dob-admin)"
srv_start "$db" --public-rate 1000 --public-burst 100000 --dob-searches-per-name 5 \
    --trusted-proxies 127.0.0.1
[ "$(set_policy booking_no,name 7)" = 200 ] && ok "names published" || bad "names published" "$(cat "$tmp/policy.json")"
book() { # NO NAME DOB
    req "seed $1" 201 "$A" '' -- -H "$AD" -H "$J" -d "{\"booking_no\":\"$1\",\"booked_at\":\"2026-11-02\",
      \"facility\":\"Main Jail\",\"person\":{\"name\":\"$2\",\"date_of_birth\":\"$3\"}}" "$B/api/v1/bookings"
}
book DOB-1 "Budgetson, Alice" 1990-05-06
book DOB-2 "Budgetson, Bob" 1985-01-02
book DOB-3 "Otherly, Carol" 1970-01-01
names() { jq -r '[.inmates[].name] | join("|")' "$tmp/body"; }
from() { printf 'X-Forwarded-For: 203.0.113.%s' "$1"; }
S=$B/api/v1/public/inmates

req "a last-name prefix with a date: nobody (the whole name is needed)" 200 "$A" '"inmates":[]' -- \
    -H "$(from 1)" "$S?last=budget&dob=1990-05-06"
req "guess 1: none" 200 "$A" '"inmates":[]' -- -H "$(from 1)" "$S?last=budgetson&dob=1980-01-01"
req "guess 2, another address: none" 200 "$A" '"inmates":[]' -- -H "$(from 2)" "$S?last=budgetson&dob=1990-01-01"
req "guess 3, the right date: confirmed" 200 "$A" '' -- -H "$(from 3)" "$S?last=budgetson&dob=1990-05-06"
[ "$(names)" = "Budgetson, Alice" ] && ok "the date confirms one person" || bad "confirmed" "$(names)"
req "guess 4, name= form" 200 "$A" '"inmates":[]' -- -H "$(from 4)" "$S?name=Budgetson,%20Bob&dob=1999-09-09"
req "guess 5, capitals" 200 "$A" '' -- -H "$(from 5)" "$S?last=BUDGETSON&dob=1985-01-02"
[ "$(names)" = "Budgetson, Bob" ] && ok "case folded, 5th answered" || bad "5th" "$(names)"
req "guess 6, the right date, a new address: refused" 429 "$P" '"field":"dob"' -- \
    -H "$(from 6)" "$S?last=budgetson&dob=1990-05-06"
cp "$tmp/body" "$tmp/right.body"
grep -qi '^retry-after: [0-9]' "$tmp/hdr" && ok "Retry-After until the next day" || bad "Retry-After" "$(cat "$tmp/hdr")"
req "guess 7, a wrong date: refused" 429 "$P" '"field":"dob"' -- -H "$(from 7)" "$S?last=budgetson&dob=1991-02-03"
cmp -s "$tmp/body" "$tmp/right.body" && ok "the same answer, right date or wrong" || bad "uniform" "$(cat "$tmp/body")"
req "a search the cache holds: refused too" 429 "$P" '"field":"dob"' -- -H "$(from 8)" "$S?last=budgetson&dob=1990-05-06"
req "the name with accents and another first name: the same name" 429 "$P" '' -- \
    -H "$(from 9)" "$S?name=B%C3%9Adgetson,%20Zed&dob=1990-05-06"
req "the name alone: answered" 200 "$A" '' -- -H "$(from 10)" "$S?last=budgetson"
[ "$(names)" = "Budgetson, Alice|Budgetson, Bob" ] && ok "search by name alone" || bad "by name" "$(names)"
for d in 1970-02-30 1970-13-01 1970-1-1 x 1970-02-31 1970-00-10; do
    req "a bad date ($d) is refused, uncounted" 400 "$P" '"field":"dob"' -- "$S?last=otherly&dob=$d"
done
req "another name with a date, after six bad ones: answered" 200 "$A" '' -- -H "$(from 11)" "$S?last=otherly&dob=1970-01-01"
[ "$(names)" = "Otherly, Carol" ] && ok "another name's own budget" || bad "other name" "$(names)"
srv_stop

# dob_searches_per_name = 0: no search by date of birth at all.
srv_start "$db" --public-rate 1000 --public-burst 100000 --dob-searches-per-name 0
S=$B/api/v1/public/inmates
req "budget 0: refused" 429 "$P" '"field":"dob"' -- "$S?last=otherly&dob=1970-01-01"
req "budget 0: the name alone still answered" 200 "$A" 'Otherly, Carol' -- "$S?last=otherly"
srv_stop
echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
