#!/bin/sh
# test_transparency.sh HOLDCHECK: the public transparency page (src/app/transparency.h,
# docs/reports.md). On a demo county with a year of history (holdcheck demo --history):
#   - it is not published until the agency chooses to (404 for the page and the CSV);
#   - each chart is an SVG image named by a title and a description, with a table beside it;
#   - its figures are the records': the requests received in the year, counted here straight
#     from the database with sqlite3 and the agency's year bounds, equal the sum of the months,
#     the sum of the types, and the sum of the outcomes in force (the view request_outcome);
#     the transfers and the releases are the reports' own figures;
#   - it shows no person: no name, booking number or date of birth of anyone in the database,
#     no request id, no age or sex;
#   - a bad year or language is refused naming it; Spanish is served in Spanish;
#   - it is kept until the records change: a request taken in by a clerk, or written by another
#     process, shows at once.
# Ends with "N passed, M failed"; exits 1 on any failure.
# shellcheck disable=SC2015 # "A && ok || bad": ok always returns 0, so bad runs only when A fails
set -u
bin=${1:-build/holdcheck}
here=$(dirname "$0")
. "$here/../http/lib.sh"
. "$here/common.sh"

P=application/problem+json
H="text/html; charset=utf-8"
C="text/csv; charset=utf-8"
db=$tmp/t.db
year=2026
# The agency's time zone: its year runs from 08:00Z on 1 January to 08:00Z the next 1 January.
export TZ=America/Los_Angeles

"$bin" migrate --db "$db" > /dev/null || die "migrate failed"
"$bin" demo --db "$db" --bookings 3000 --seed 3 --today 2026-11-30 --history > /dev/null ||
    die "demo failed"
clerk=$("$bin" user add --db "$db" tp-clerk --role clerk | sed -n 's/^token: //p')
[ -n "$clerk" ] || die "no clerk token"

srv_start "$db" --public-rate 1000 --public-burst 100000
req "not published: the page" 404 $P 'does not publish' -- "$B/transparency"
req "not published: the CSV" 404 $P 'does not publish' -- "$B/api/v1/public/transparency.csv"
srv_stop

srv_start "$db" --public-rate 1000 --public-burst 100000 --transparency-page
req "the page" 200 "$H" '<html lang="en">' -- "$B/transparency?year=$year"
cp "$tmp/body" "$tmp/page.html"
grep -qi '^content-security-policy:.*default-src .none' "$tmp/hdr" && ok "a CSP that allows no script" ||
    bad "CSP" "$(grep -i content-security "$tmp/hdr")"
grep -q '<script' "$tmp/page.html" && bad "no script" "the page has one" || ok "no script"
for c in received-by-month received-by-type outcome actions access transfers-by-basis \
    releases-without-notice; do
    grep -q "<svg role=\"img\" aria-labelledby=\"$c-t $c-d\"" "$tmp/page.html" &&
        grep -q "<title id=\"$c-t\">" "$tmp/page.html" && grep -q "<desc id=\"$c-d\">" "$tmp/page.html" &&
        ok "chart $c: an image with a title and a description" || bad "chart $c" "no named SVG"
done
[ "$(grep -o '<table>' "$tmp/page.html" | wc -l)" -eq 7 ] && ok "a table beside each chart" ||
    bad "tables" "$(grep -o '<table>' "$tmp/page.html" | wc -l)"

req "the CSV" 200 "$C" 'year,chart,category,count' -- "$B/api/v1/public/transparency.csv?year=$year"
# The CSV read as CSV (cells are quoted only when they must be), one tab-separated line a row.
tsv() { python3 -c 'import csv, sys; [print("\t".join(r)) for r in csv.reader(sys.stdin)]'; }
tsv < "$tmp/body" > "$tmp/t.csv"
sum() { # sum CHART: the sum of that chart's counts in the CSV
    awk -F'\t' -v c="$1" '$2 == c { s += $NF } END { print s + 0 }' "$tmp/t.csv"
}
in_year="julianday(received_at) >= julianday('$year-01-01T08:00:00Z')
         AND julianday(received_at) < julianday('$((year + 1))-01-01T08:00:00Z')"
received=$(sqlite3 "$db" "SELECT count(*) FROM immigration_requests WHERE $in_year")
[ "$received" -gt 20 ] && ok "the county received $received requests in $year" || bad "fixture" "$received"
[ "$(sum received-by-month)" = "$received" ] && ok "months add up to the requests received" ||
    bad "months" "$(sum received-by-month), want $received"
[ "$(sum received-by-type)" = "$received" ] && ok "types add up to the requests received" ||
    bad "types" "$(sum received-by-type), want $received"
months=$(awk -F'\t' '$2 == "received-by-month"' "$tmp/t.csv" | wc -l)
[ "$months" = 12 ] && ok "every month shown, none empty or extra" || bad "twelve months" "$months"
for o in permitted prohibited; do
    want=$(sqlite3 "$db" "SELECT count(*) FROM immigration_requests r JOIN request_outcome o
        ON o.request_id = r.id WHERE o.outcome = '$o' AND $in_year")
    got=$(awk -F'\t' -v o="$o" '$2 == "outcome" && $3 == o { print $NF }' "$tmp/t.csv")
    [ "${got:-0}" = "$want" ] && ok "outcome in force $o: $want" || bad "outcome $o" "${got:-none}, want $want"
done
declined=$(sqlite3 "$db" "SELECT count(*) FROM request_actions a JOIN immigration_requests r
    ON r.id = a.request_id WHERE a.kind = 'declined' AND $in_year")
got=$(awk -F'\t' '$2 == "actions" && $3 == "declined" { print $NF }' "$tmp/t.csv")
[ "${got:-0}" = "$declined" ] && ok "requests declined: $declined" || bad "declined" "${got:-none}, want $declined"
"$bin" report doj-transfers --db "$db" --year "$year" --format json > "$tmp/doj.json" ||
    bad "doj report" "failed"
[ "$(sum transfers-by-basis)" = "$(jq '[.figures[] | select(.group == "total") | .count] | add // 0' "$tmp/doj.json")" ] &&
    ok "transfers by basis add up to the DOJ report's transfers" ||
    bad "transfers" "$(sum transfers-by-basis)"

# No person: every name, booking number and date of birth in the database is absent.
sqlite3 "$db" "SELECT name FROM people UNION SELECT booking_no FROM bookings
    UNION SELECT date_of_birth FROM people WHERE date_of_birth IS NOT NULL" > "$tmp/ids"
leaks=$(grep -F -f "$tmp/ids" "$tmp/page.html" "$tmp/t.csv" | head -3)
[ -z "$leaks" ] && ok "no name, booking number or date of birth ($(wc -l < "$tmp/ids") checked)" ||
    bad "personal identifiers" "$leaks"
grep -qiE 'request_ids|age_band|age band|"sex"|ethnic|national origin' "$tmp/page.html" "$tmp/t.csv" &&
    bad "no ids, age or sex" "found" || ok "no request ids, no age or sex"

req "a year before the law" 400 $P '"field":"year"' -- "$B/transparency?year=2013"
req "a year to come" 400 $P '"field":"year"' -- "$B/transparency?year=2999"
req "an unknown language" 400 $P '"field":"lang"' -- "$B/transparency?lang=fr"
req "in Spanish" 200 "$H" '<html lang="es">' -- "$B/transparency?year=$year&lang=es"
grep -q 'Solicitudes recibidas, por mes' "$tmp/body" && ok "Spanish titles" || bad "Spanish" "no title"

# Kept until the records change: the same answer twice, then a new request shows at once.
req "kept" 200 "$C" '' -- "$B/api/v1/public/transparency.csv"
tag1=$(grep -i '^etag:' "$tmp/hdr" | tr -d '\r')
req "kept, again" 200 "$C" '' -- "$B/api/v1/public/transparency.csv"
[ "$(grep -i '^etag:' "$tmp/hdr" | tr -d '\r')" = "$tag1" ] && ok "the same answer" || bad "same" "tags differ"
before=$(tsv < "$tmp/body" | awk -F'\t' '$2 == "received-by-type" { s += $NF } END { print s + 0 }')
no=$(sqlite3 "$db" "SELECT booking_no FROM bookings WHERE status = 'in_custody' LIMIT 1")
code=$(curl -s -o "$tmp/intake.json" -w '%{http_code}' -H "Authorization: Bearer $clerk" \
    -H 'Content-Type: application/json' -d '{"type":"interpreter","confirm_new":true}' \
    "$B/api/v1/bookings/$no/requests")
[ "$code" = 201 ] && ok "a clerk takes in a request" || bad "intake" "$code $(cat "$tmp/intake.json")"
req "after the write" 200 "$C" '' -- "$B/api/v1/public/transparency.csv"
after=$(tsv < "$tmp/body" | awk -F'\t' '$2 == "received-by-type" { s += $NF } END { print s + 0 }')
[ "$after" = "$((before + 1))" ] && ok "the new request shows at once" || bad "after a write" "$before then $after"
# A request written by another process (here the sqlite3 shell, as an import would write)
# shows at the next answer too, not after the page's ten minutes.
sqlite3 "$db" "INSERT INTO immigration_requests (booking_id, type, received_at)
    SELECT id, 'interpreter', '$year-06-01T09:00:00-07:00' FROM bookings LIMIT 1" || bad "insert" "failed"
req "after another process wrote" 200 "$C" '' -- "$B/api/v1/public/transparency.csv"
third=$(tsv < "$tmp/body" | awk -F'\t' '$2 == "received-by-type" { s += $NF } END { print s + 0 }')
[ "$third" = "$((after + 1))" ] && ok "another process's write shows at once" || bad "another process" "$after then $third"
srv_stop

echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
