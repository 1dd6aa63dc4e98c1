#!/bin/sh
# bench/server/import.sh HOLDCHECK WORKDIR BOOKINGS [RUNS]: the import benchmark of
# bench/server/run.sh (docs/benchmarks.md, "Server"). Writes WORKDIR/import.json.
#
#   1. `holdcheck demo --csv` writes a synthetic county of BOOKINGS bookings as the CSV files
#      `holdcheck import` reads (docs/import.md): people, convictions, bookings, charges;
#   2. untimed set-up, once: a migrated database holding the people (`holdcheck import
#      people.csv`), and a plain sqlite3 database holding them (`.import`);
#   3. timed, RUNS times each, a fresh copy of the set-up database before every run:
#      `holdcheck import --db DB bookings.csv charges.csv` against
#      `sqlite3 DB '.import --csv --skip 1 bookings.csv bookings' '... charges.csv charges'`,
#      the same rows into plain tables with the CSV's columns (TEXT, no constraints, no indexes,
#      the shell's default journal and synchronous settings). Each holdcheck run is bounded by
#      BENCH_SERVER_IMPORT_TIMEOUT (120 s); after a run that hits it, the figure is a lower
#      bound (ratio_at_least) and no more runs are made;
#   4. checks that both databases hold every row afterwards.
# Target: holdcheck's mean time <= 1.5 x sqlite3's.
set -eu
hc=$1 work=$2 nb=$3 runs=${4:-${BENCH_SERVER_IMPORT_RUNS:-2}}
tmo=${BENCH_SERVER_IMPORT_TIMEOUT:-120}
csv=$work/csv
today=2026-11-01

rm -rf "$csv"
mkdir -p "$csv"
t0=$(date +%s.%N)
"$hc" demo --csv "$csv" --bookings "$nb" --seed 1 --today "$today" | sed 's/^/   /'
t1=$(date +%s.%N)
rows() { echo $(($(wc -l < "$1") - 1)); }
n_people=$(rows "$csv/people.csv")
n_bookings=$(rows "$csv/bookings.csv")
n_charges=$(rows "$csv/charges.csv")
bytes=$(cat "$csv/bookings.csv" "$csv/charges.csv" | wc -c | tr -d ' ')
echo "   CSV written in $(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.1f", b - a }') s:" \
     "$n_people people, $n_bookings bookings, $n_charges charges" \
     "(bookings.csv + charges.csv: $bytes bytes)"

hc_base=$work/import-base-holdcheck.db hc_db=$work/import-holdcheck.db
sq_base=$work/import-base-sqlite3.db sq_db=$work/import-sqlite3.db
rm -f "$hc_base" "$hc_base-wal" "$hc_base-shm" "$sq_base"
"$hc" migrate --db "$hc_base" > /dev/null
"$hc" import --db "$hc_base" "$csv/people.csv" | sed 's/^/   set-up: /'
sqlite3 "$sq_base" <<EOF
CREATE TABLE people (local_id TEXT, name TEXT, date_of_birth TEXT, registrant_290 TEXT);
CREATE TABLE bookings (booking_no TEXT, person_local_id TEXT, booked_at TEXT, facility TEXT,
                       status TEXT, scheduled_release TEXT, released_at TEXT, release_reason TEXT);
CREATE TABLE charges (booking_no TEXT, citation TEXT, level TEXT, status TEXT,
                      magistrate_probable_cause TEXT);
.import --csv --skip 1 $csv/people.csv people
EOF

hc_cmd="$hc import --db $hc_db $csv/bookings.csv $csv/charges.csv"
sq_cmd="sqlite3 $sq_db '.import --csv --skip 1 $csv/bookings.csv bookings' '.import --csv --skip 1 $csv/charges.csv charges'"
hc_prep="rm -f $hc_db $hc_db-wal $hc_db-shm && cp $hc_base $hc_db && sync"
sq_prep="rm -f $sq_db $sq_db-journal && cp $sq_base $sq_db && sync"
method="wall time (date +%s.%N), $runs runs each, sqlite3 first; a fresh copy of the set-up database and sync before every run; holdcheck runs bounded by timeout $tmo s"
echo "   timing ($runs runs each, holdcheck bounded by ${tmo}s): '$hc_cmd'"
echo "                        vs '$sq_cmd'"
# one NAME PREPARE COMMAND LIMIT: one JSON result; stops after a run that hit LIMIT seconds.
one() {
    i=0
    while [ $i -lt "$runs" ]; do
        sh -c "$2"
        a=$(date +%s.%N)
        set +e
        timeout "$4" sh -c "$3" > "$work/import-$1.out" 2>&1
        rc=$?
        set -e
        b=$(date +%s.%N)
        awk -v a="$a" -v b="$b" -v rc="$rc" 'BEGIN { printf "{\"s\": %.6f, \"rc\": %d}\n", b - a, rc }'
        [ "$rc" -eq 0 ] || break
        i=$((i + 1))
    done | jq -s --arg n "$1" 'map(select(.rc == 0) | .s) as $t
        | {command: $n, runs: length, times: [.[] | .s], exit_codes: [.[] | .rc],
           timed_out: any(.[]; .rc == 124),
           mean: (if ($t | length) > 0 then ($t | add / length) else null end),
           stddev: (if ($t | length) > 1 then ($t | add / length) as $m
                    | ($t | map((. - $m) * (. - $m)) | add / (length - 1) | sqrt) else 0 end)}'
}
one sqlite3 "$sq_prep" "$sq_cmd" 600 > "$work/import-sqlite3.json"
jq -r '"   sqlite3 .import: \(.times | map(. * 1000 | round / 1000) | join(" s, ")) s"' "$work/import-sqlite3.json"
one holdcheck "$hc_prep" "$hc_cmd" "$tmo" > "$work/import-holdcheck.json"
jq -r '"   holdcheck import: \(.times | map(. * 1000 | round / 1000) | join(" s, ")) s"
       + (if .timed_out then " (stopped by timeout after \(.times[-1] | round) s)" else "" end)' \
    "$work/import-holdcheck.json"
jq -s '{results: .}' "$work/import-holdcheck.json" "$work/import-sqlite3.json" > "$work/import-runs.json"
timed_out=$(jq -r .timed_out "$work/import-holdcheck.json")
[ "$(jq -r '.exit_codes | map(select(. != 0 and . != 124)) | length' "$work/import-holdcheck.json")" -eq 0 ] ||
    { cat "$work/import-holdcheck.out" >&2; echo "holdcheck import failed" >&2; exit 1; }

# Every row must be there, in both (holdcheck's only when it finished).
got_hc=$(sqlite3 "$hc_db" 'SELECT (SELECT count(*) FROM bookings) || " " || (SELECT count(*) FROM charges)')
got_sq=$(sqlite3 "$sq_db" 'SELECT (SELECT count(*) FROM bookings) || " " || (SELECT count(*) FROM charges)')
[ "$timed_out" = true ] || [ "$got_hc" = "$n_bookings $n_charges" ] ||
    { echo "holdcheck import stored $got_hc bookings and charges, not $n_bookings $n_charges" >&2; exit 1; }
[ "$got_sq" = "$n_bookings $n_charges" ] ||
    { echo "sqlite3 .import stored $got_sq bookings and charges, not $n_bookings $n_charges" >&2; exit 1; }
[ "$timed_out" = true ] || sed 's/^/   holdcheck: /' "$work/import-holdcheck.out"

jq --arg method "$method" --argjson people "$n_people" --argjson bookings "$n_bookings" \
   --argjson charges "$n_charges" --argjson bytes "$bytes" --argjson tmo "$tmo" '
    (.results | map({(.command): .}) | add) as $r
    | {status: "measured", method: $method,
       rows: {people_setup: $people, bookings: $bookings, charges: $charges}, csv_bytes: $bytes,
       holdcheck_timed_out: $r.holdcheck.timed_out, holdcheck_timeout_s: $tmo,
       holdcheck_s: (if $r.holdcheck.timed_out then null else $r.holdcheck.mean end),
       holdcheck_stddev_s: $r.holdcheck.stddev,
       sqlite3_s: $r.sqlite3.mean, sqlite3_stddev_s: $r.sqlite3.stddev,
       holdcheck_times_s: $r.holdcheck.times, sqlite3_times_s: $r.sqlite3.times,
       holdcheck_rows_per_s: (if $r.holdcheck.timed_out then null
                              else ($bookings + $charges) / $r.holdcheck.mean end),
       sqlite3_rows_per_s: (($bookings + $charges) / $r.sqlite3.mean),
       ratio: (if $r.holdcheck.timed_out then null else $r.holdcheck.mean / $r.sqlite3.mean end),
       ratio_at_least: (if $r.holdcheck.timed_out then $tmo / $r.sqlite3.mean else null end)}' \
   "$work/import-runs.json" > "$work/import.json"
rm -f "$hc_base" "$sq_base"
