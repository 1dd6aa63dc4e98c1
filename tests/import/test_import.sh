#!/bin/sh
# test_import.sh HOLDCHECK: `holdcheck import` and `export` (docs/import.md): good files of each
# kind in CSV and JSON Lines (quoted fields, embedded commas, quotes and newlines, a BOM, CRLF);
# a file with bad rows (nothing of it lands, every bad row is reported with its line and field,
# the other files still import); forbidden and unknown columns; the exit codes; the audit
# entry per file; and the round trip import -> export -> import. Ends with "N passed, M failed";
# exits 1 on any failure.
set -u
bin=${1:-build/holdcheck}
# shellcheck source=lib.sh
. "$(dirname "$0")/lib.sh"

D=$tmp/d
mkdir -p "$D"
# --- good files, CSV: a BOM, CRLF line ends, quoted fields with commas, quotes, newlines ------
printf '\357\273\277local_id,name,date_of_birth,registrant_290\r\nP-1,"Testperson, Alpha",1990-02-03,false\r\nP-2,"Sampleperson ""Bo"", Bravo",,yes\r\nP-3,Demoperson Charlie,1985-12-31,\r\n' > "$D/people.csv"
cat > "$D/bookings.csv" <<'CSV'
booking_no,person_local_id,booked_at,facility,status,scheduled_release,released_at,release_reason
B-1,P-1,2024-04-30T22:10:00-07:00,"Main Jail, North",in_custody,2024-06-01,,
B-2,P-2,2024-03-01,Main Jail,released,,2024-03-05T10:00:00Z,"time served
(released on the
second day)"
CSV
cat > "$D/charges.csv" <<'CSV'
booking_no,citation,level,status,magistrate_probable_cause
B-1,PC 211,felony,pending,true
B-1,"PC 245(a)(1)",F,,
B-2,VC 23152(a),misdemeanor,dismissed,false
CSV
# JSON Lines convictions, with escapes, null and booleans; the kind is told by the keys.
cat > "$D/convictions.jsonl" <<'JSONL'
{"person_local_id":"P-1","citation":"PC 484","level":"misdemeanor","date":"2021-07-01","court":"Superior Court, \"Dept. 5\"\nAnnex","prop47_reduced":false,"federal_aggravated_felony":null,"jurisdiction":"CA"}

{"person_local_id": "P-2", "citation": "18 USC 2113(a)", "level": "felony", "date": "2010-01-05", "federal_aggravated_felony": "F", "court": "U.S. District Court \u00e9"}
JSONL
db=$tmp/good.db
newdb "$db"
# Files given in the wrong order: people are imported first anyway.
run "good files import (exit 0)" 0 import --db "$db" "$D/charges.csv" "$D/convictions.jsonl" "$D/bookings.csv" "$D/people.csv"
check "people landed" [ "$(count "$db" 'select count(*) from people')" = 3 ]
check "bookings landed" [ "$(count "$db" 'select count(*) from bookings')" = 2 ]
check "charges landed" [ "$(count "$db" 'select count(*) from charges')" = 3 ]
check "convictions landed" [ "$(count "$db" 'select count(*) from convictions')" = 2 ]
check "quoted comma and doubled quote" [ "$(count "$db" "select name from people where local_id='P-2'")" = 'Sampleperson "Bo", Bravo' ]
check "embedded newlines kept" [ "$(count "$db" "select release_reason from bookings where booking_no='B-2'" | wc -l)" = 3 ]
check "BOM stripped from the first column" [ "$(count "$db" "select count(*) from people where local_id='P-1'")" = 1 ]
check "CRLF not kept in values" [ "$(count "$db" "select count(*) from people where instr(name, char(13)) > 0")" = 0 ]
check "yes is true" [ "$(count "$db" "select registrant_290 from people where local_id='P-2'")" = 1 ]
check "level F is felony" [ "$(count "$db" "select level from charges where citation='PC 245(a)(1)'")" = felony ]
check "default charge status pending" [ "$(count "$db" "select status from charges where citation='PC 245(a)(1)'")" = pending ]
check "JSON escapes decoded" [ "$(count "$db" "select court from convictions where citation='18 USC 2113(a)'")" = 'U.S. District Court é' ]
check "JSON false is 0, null is NULL" [ "$(count "$db" "select prop47_reduced || '/' || coalesce(federal_aggravated_felony, 'null') from convictions where citation='PC 484'")" = '0/null' ]
check "charges reference their booking" [ "$(count "$db" "select count(*) from charges c join bookings b on b.id = c.booking_id where b.booking_no='B-1'")" = 2 ]
check "one audit entry per file" [ "$(count "$db" "select count(*) from audit_log where action='import.commit'")" = 4 ]
check "audit entry holds count and hash" sh -c "sqlite3 '$db' \"select payload from audit_log where entity='import/charges'\" | grep -q '\"rows\":3,\"rows_hash\":\"[0-9a-f]\{64\}\"'"
run "audit verify after import" 0 audit verify --db "$db"

# --- a file with bad rows: nothing of it lands, every bad row reported, others import ---------
cat > "$D/people2.csv" <<'CSV'
local_id,name,date_of_birth
P-10,Testperson Delta,1970-01-01
CSV
{
    echo "booking_no,person_local_id,booked_at,facility,status,scheduled_release,released_at,release_reason"
    echo "B-10,P-10,2024-01-02,Main Jail,in_custody,,,"
    echo "B-11,P-10,2024-13-02,Main Jail,in_custody,,,"
    echo "B-12,P-10,2024-01-02,Main Jail,jailed,,,"
    echo "B-13,NOBODY,2024-01-02,Main Jail,in_custody,,,"
    echo "B-10,P-10,2024-01-02,Main Jail,in_custody,,,"
    echo "B 14,P-10,2024-01-02,,in_custody,,,"
    echo "B-19,P-10,2024-01-02,Main Jail,released,,,"
    echo "B-15,P-10,2024-01-02,Main Jail,in_custody,,,"
    printf '"B-16",P-10,"2024-01-02","Main\nJail",in_custody,,,\n'
    echo "B-17,P-10,yesterday,Main Jail,in_custody,,,"
    echo "B-18,P-10,2024-01-02,Main Jail"
} > "$D/badbookings.csv"
cat > "$D/badcharges.jsonl" <<'JSONL'
{"booking_no":"B-1","citation":"not a citation at all","level":"felony"}
{"booking_no":"B-1","citation":"PC 211","level":"capital"}
{"booking_no":"B-404","citation":"PC 211"}
{"booking_no":"B-1","citation":"PC 211","status":"pending","magistrate_probable_cause":"maybe"}
{"booking_no":"B-1","citation":"PC 211",
JSONL
db2=$tmp/bad.db
newdb "$db2"
run "bad rows: exit 1" 1 import --db "$db2" "$D/people2.csv" "$D/badbookings.csv" "$D/badcharges.jsonl"
check "the good file still imported" [ "$(count "$db2" 'select count(*) from people')" = 1 ]
check "nothing of the bad bookings file landed" [ "$(count "$db2" 'select count(*) from bookings')" = 0 ]
check "nothing of the bad charges file landed" [ "$(count "$db2" 'select count(*) from charges')" = 0 ]
has_err "bad month reported with line and field" "$D/badbookings.csv:3: booked_at: not a date"
has_err "bad status reported" "$D/badbookings.csv:4: status: not a booking status"
has_err "unknown person reported" "$D/badbookings.csv:5: person_local_id: no such person"
has_err "duplicate booking_no reported" "$D/badbookings.csv:6: booking_no: already exists"
has_err "bad booking number reported" "$D/badbookings.csv:7: booking_no: not a booking number"
has_err "missing facility reported on the same row" "$D/badbookings.csv:7: facility: required"
has_err "released without released_at" "$D/badbookings.csv:8: released_at: required when status is released"
has_err "line numbers count embedded newlines" "$D/badbookings.csv:12: booked_at: not a date"
has_err "short row reported" "$D/badbookings.csv:13: 4 fields; the header has 8"
has_err "bad rows counted" "$D/badbookings.csv: rejected: 8 bad rows of 11; nothing of this file was imported"
has_err "bad citation reported (hc_cite_parse)" "$D/badcharges.jsonl:1: citation: not a citation"
has_err "bad level reported" "$D/badcharges.jsonl:2: level: not a level"
has_err "unknown booking reported" "$D/badcharges.jsonl:3: booking_no: no such booking"
has_err "bad boolean reported" "$D/badcharges.jsonl:4: magistrate_probable_cause: not a boolean"
has_err "broken JSON line reported" "$D/badcharges.jsonl:5: "
check "no audit entry for rejected files" [ "$(count "$db2" "select count(*) from audit_log where action='import.commit'")" = 1 ]
run "audit verify after a rejected file" 0 audit verify --db "$db2"

# A conviction whose jurisdiction contradicts its citation is a bad row, as the engine would
# refuse it at intake.
printf 'person_local_id,citation,level,date,jurisdiction\nP-10,PC 211,felony,2010-01-01,federal\nP-10,18 USC 2113(a),felony,2010-01-01,CA\nP-10,18 USC 2113(a),felony,2010-01-01,federal\nP-99,PC 211,felony,2010-01-01,CA\n' > "$D/badjuris.csv"
run "contradicting jurisdiction: exit 1" 1 import --db "$db2" "$D/badjuris.csv"
has_err "federal PC citation reported" "$D/badjuris.csv:2: jurisdiction: federal, but the citation is not to the United States Code"
has_err "CA USC citation reported" "$D/badjuris.csv:3: jurisdiction: CA, but the citation is to the United States Code"
has_err "unknown person reported" "$D/badjuris.csv:5: person_local_id: no such person"
has_err "only those three" "$D/badjuris.csv: rejected: 3 bad rows of 4"
# Issue 15: a NUL byte or bytes that are not UTF-8, in any field of CSV or JSON Lines, reject
# the file naming the line and the field; nothing of it lands (a NUL used to cut "Alpha\0, Beta"
# to "Alpha", exit 0). Column 3 of nulskip.csv and key x of badutf8.jsonl are unknown and
# skipped, and still checked.
dbn=$tmp/nul.db
newdb "$dbn"
# rejected FILE BYTES WANT [OPTION...]: FILE (printf BYTES) is refused with exit 1 and stderr
# has "FILE:WANT".
rejected() {
    f_=$1 bytes_=$2 want_=$3
    shift 3
    # shellcheck disable=SC2059 # BYTES holds the escapes printf is to expand
    printf "$bytes_" > "$D/$f_"
    run "$f_ rejected" 1 import --db "$dbn" "$@" "$D/$f_"
    has_err "$f_: $want_" "$D/$f_:$want_"
}
rejected nul.csv 'local_id,name\nN-1,Fine\nN-2,"Alpha\000, Beta"\n' '3: name: a NUL byte'
rejected badutf8.csv 'local_id,name\nN-1,Fine\nN-2,Alpha\377Beta\n' '3: name: not valid UTF-8'
rejected nulskip.csv 'local_id,name,extra\nN-1,Fine,x\000y\nN-2,Good,\300\200\n' \
    '2: column 3: a NUL byte' --skip-unknown
has_err "overlong UTF-8 in a skipped CSV column named" "$D/nulskip.csv:3: column 3: not valid UTF-8"
rejected nulhead.csv 'loc\000al_id,name\nN-1,Fine\n' '1: column 1: a NUL byte' --kind people
rejected nul.jsonl '{"local_id":"N-1","name":"Fine"}\n{"local_id":"N-2","name":"Alpha\000, Beta"}\n' \
    '2: name: a NUL byte'
rejected nulafter.jsonl '{"local_id":"N-1","name":"Fine"}\n{"local_id":"N-2","name":"Alpha"}\000junk\n' \
    '2: a NUL byte'
rejected badutf8.jsonl '{"local_id":"N-1","name":"Fine"}\n{"local_id":"N-2","name":"Good","x":"\355\240\200"}\n' \
    '2: x: not valid UTF-8' --skip-unknown
check "nothing of the NUL or bad UTF-8 files landed" [ "$(count "$dbn" 'select count(*) from people')" = 0 ]

# A file rejected after a reference lookup used to leave the database in the bulk import's
# rollback-journal mode: the lookup of a key that sorts before an existing one (P-05 before
# P-10) left a statement reading, which blocked the return to WAL.
printf 'person_local_id,citation,level,date\nP-10,PC 211,felony,2010-01-01\nP-05,PC 459,felony,2010-01-01\n' > "$D/noperson.csv"
db3=$tmp/wal.db
newdb "$db3"
run "people for the walk" 0 import --db "$db3" "$D/people2.csv"
run "unknown person: exit 1" 1 import --db "$db3" "$D/noperson.csv"
check "still in WAL mode after a rejected file" [ "$(count "$db3" 'PRAGMA journal_mode')" = wal ]
if grep -q 'cannot change into wal mode' "$tmp/err"; then bad "no journal-mode error" "$(cat "$tmp/err")"; else ok "no journal-mode error"; fi

# More than 100 bad rows: 100 printed, the rest counted.
{
    echo "local_id,name,date_of_birth,registrant_290"
    i=1
    while [ $i -le 150 ]; do echo "X-$i,Name $i,not-a-date,false"; i=$((i + 1)); done
} > "$D/many.csv"
run "many bad rows: exit 1" 1 import --db "$db2" "$D/many.csv"
check "at most 100 bad rows printed" [ "$(grep -c 'date_of_birth: not a date' "$tmp/err")" = 100 ]
has_err "the rest are counted" "... and 50 more errors not shown"

# --- forbidden and unknown columns ---------------------------------------------------------
printf 'local_id,name,Immigration Status\nP-20,Testperson Echo,x\n' > "$D/forbidden.csv"
run "forbidden column: exit 1" 1 import --db "$db2" "$D/forbidden.csv"
has_err "forbidden column explained" "Immigration Status: holdcheck never records immigration status, national origin or ethnicity"
has_err "forbidden column: the law is named" "7284.6(a)(1)(A)"
for col in citizenship country_of_birth ethnicity race NATIONALITY national_origin; do
    printf 'local_id,name,%s\nP-21,Testperson Foxtrot,x\n' "$col" > "$D/f.csv"
    run "forbidden column $col refused" 1 import --db "$db2" --skip-unknown "$D/f.csv"
done
printf '{"local_id":"P-22","name":"Testperson Golf","ethnicity":"x"}\n' > "$D/forbidden.jsonl"
run "forbidden JSON key refused" 1 import --db "$db2" "$D/forbidden.jsonl"
has_err "forbidden JSON key explained" "ethnicity: holdcheck never records"
check "nothing landed from forbidden files" [ "$(count "$db2" "select count(*) from people where local_id like 'P-2%'")" = 0 ]
printf 'local_id,name,date_of_birth,shoe_size\nP-23,Testperson Hotel,1999-09-09,44\n' > "$D/unknown.csv"
run "unknown column: exit 1" 1 import --db "$db2" "$D/unknown.csv"
has_err "unknown column named" "shoe_size: unknown column for people"
run "unknown column skipped with --skip-unknown" 0 import --db "$db2" --skip-unknown "$D/unknown.csv"
printf 'name,date_of_birth\nNobody,1999-09-09\n' > "$D/missing.csv"
run "missing required column: exit 1" 1 import --db "$db2" "$D/missing.csv"
has_err "missing required column named" "local_id: required column missing from the header"
printf 'foo,bar\n1,2\n' > "$D/what.csv"
run "unknown kind: exit 1" 1 import --db "$db2" "$D/what.csv"
has_err "unknown kind: use --kind" "use --kind"
printf '"local_id,name\nP-30,x\n' > "$D/unterminated.csv"
run "unterminated quote: exit 1" 1 import --db "$db2" --kind people "$D/unterminated.csv"

# --- usage errors ---------------------------------------------------------------------------
run "no files: exit 2" 2 import --db "$db2"
run "bad --kind: exit 2" 2 import --db "$db2" --kind suspects "$D/people.csv"
run "missing file: exit 2" 2 import --db "$db2" "$D/nope.csv"
run "export without --kind: exit 2" 2 export --db "$db2"

# --- --kind and standard input --------------------------------------------------------------
printf 'local_id,name\nP-40,Testperson India\n' > "$tmp/stdin.csv"
run "stdin with --kind exits 0" 0 import --db "$db2" --kind people - < "$tmp/stdin.csv"
check "stdin with --kind imports" [ "$(count "$db2" "select count(*) from people where local_id='P-40'")" = 1 ]

# --- round trip: import -> export -> import, CSV and JSONL ---------------------------------
for fmt in csv jsonl; do
    for k in people bookings charges convictions; do
        run "export $k $fmt" 0 export --db "$db" --kind $k --format $fmt --out "$tmp/rt1.$k.$fmt"
    done
    db3=$tmp/rt.$fmt.db
    newdb "$db3"
    run "round trip $fmt: import the export" 0 import --db "$db3" "$tmp/rt1.people.$fmt" "$tmp/rt1.bookings.$fmt" "$tmp/rt1.charges.$fmt" "$tmp/rt1.convictions.$fmt"
    same=1
    for k in people bookings charges convictions; do
        run "export again $k $fmt" 0 export --db "$db3" --kind $k --format $fmt --out "$tmp/rt2.$k.$fmt"
        cmp -s "$tmp/rt1.$k.$fmt" "$tmp/rt2.$k.$fmt" || same=0
    done
    check "round trip $fmt: export again is byte for byte the same" [ $same = 1 ]
    check "round trip $fmt: same rows hashes as the first import" [ \
        "$(count "$db" "select group_concat(json_extract(payload, '\$.rows_hash')) from audit_log where action='import.commit' order by seq")" = \
        "$(count "$db3" "select group_concat(json_extract(payload, '\$.rows_hash')) from audit_log where action='import.commit' order by seq")" ]
done

# --- references in and out of order (the index walk of the lookup), repeated citations ------
{
    echo "local_id,name"
    for i in 02 04 06 08 10 12 14 16 18 20 22 24 26 28 30 32 34 36 38 40; do echo "W$i,Walk $i"; done
} > "$D/walkpeople.csv"
{
    echo "booking_no,person_local_id,booked_at,facility"
    n=0
    for p in W02 W04 W05 W06 W06 W40 W41 W01 W02 W30 W32 W31 W34 W00 W99 W20 W22 W24 W26 W28 W03 W38; do
        n=$((n + 1)); echo "WB$n,$p,2024-01-02,Main Jail"
    done
} > "$D/walkbad.csv"
db5=$tmp/walk.db
newdb "$db5"
run "walk: unsorted and unknown people: exit 1" 1 import --db "$db5" "$D/walkpeople.csv" "$D/walkbad.csv"
for l in 4 8 9 13 15 16 22; do
    has_err "walk: unknown person on line $l" "$D/walkbad.csv:$l: person_local_id: no such person"
done
has_err "walk: nothing else is unknown" "$D/walkbad.csv: rejected: 7 bad rows of 22"
{
    echo "booking_no,person_local_id,booked_at,facility"
    n=0
    for p in W02 W04 W06 W06 W40 W02 W30 W32 W34 W20 W22 W24 W26 W28 W38 W10 W12 W36 W18 W40 W08 W14; do
        n=$((n + 1)); echo "WB$n,$p,2024-01-02,Main Jail"
    done
} > "$D/walkgood.csv"
{
    echo "booking_no,citation"
    for b in WB1 WB1 WB2 WB5 WB5 WB3 WB22 WB21 WB9 WB10 WB11 WB7; do echo "$b,PC 459"; done
    echo "WB12,PC 459 2nd"
    echo "WB12,not a citation"
    echo "WB13,PC 459 2nd"
    echo "WB23,PC 459"
    echo "WB99,PC 459"
} > "$D/walkcharges.csv"
run "walk: bookings in any order import" 0 import --db "$db5" "$D/walkgood.csv"
run "walk: export bookings" 0 export --db "$db5" --kind bookings
cp "$tmp/out" "$tmp/walk.out"
check "walk: every booking refers to the person of its row" \
    [ "$(cut -d, -f1,2 "$tmp/walk.out")" = "$(cut -d, -f1,2 "$D/walkgood.csv")" ]
run "walk: charges with an unknown booking: exit 1" 1 import --db "$db5" "$D/walkcharges.csv"
has_err "walk: a bad citation after good ones is still reported" "$D/walkcharges.csv:15: citation: not a citation"
has_err "walk: an unknown booking between two known" "$D/walkcharges.csv:17: booking_no: no such booking"
has_err "walk: an unknown booking past the last" "$D/walkcharges.csv:18: booking_no: no such booking"
has_err "walk: only those" "$D/walkcharges.csv: rejected: 3 bad rows of 17"

# --- the demo's CSV generator reads back ----------------------------------------------------
mkdir -p "$tmp/gen"
run "demo --csv" 0 demo --csv "$tmp/gen" --bookings 300 --seed 7 --today 2024-06-01
db4=$tmp/gen.db
newdb "$db4"
run "demo --csv output imports" 0 import --db "$db4" "$tmp/gen"/*.csv
check "demo --csv: 300 bookings" [ "$(count "$db4" 'select count(*) from bookings')" = 300 ]
check "integrity_check ok" [ "$(count "$db4" 'pragma integrity_check')" = ok ]
run "audit verify after the generator import" 0 audit verify --db "$db4"

echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
