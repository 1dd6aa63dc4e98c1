#!/bin/sh
# test_feed.sh HOLDCHECK: the custody feed, `holdcheck import --upsert` (docs/import.md, "The
# custody feed"): a snapshot creates people, bookings and charges; the same files again change
# nothing (0 created, 0 changed, N unchanged; the audit log and the events do not grow); a delta
# changes known bookings (released, transferred, release date set) and charges, creates a
# re-booking, and raises each event once; every kind of contradicting row is refused with its
# file, line and field while nothing of its file is written. The clock is fixed (HOLDCHECK_NOW)
# so that "in the future" means the same every day. Ends with "N passed, M failed".
set -u
bin=${1:-build/holdcheck}
# shellcheck source=lib.sh
. "$(dirname "$0")/lib.sh"

HOLDCHECK_NOW=2026-12-01T12:00:00Z
export HOLDCHECK_NOW
D=$tmp/d
mkdir -p "$D"
db=$tmp/feed.db
newdb "$db"
has_out() { # NAME TEXT: stdout of the last run contains TEXT
    if grep -qF -- "$2" "$tmp/out"; then ok "$1"; else bad "$1" "stdout lacks '$2': $(head -c 600 "$tmp/out")"; fi
}
q() { count "$db" "$1"; }
# The rows that say what the record is: every table the feed writes, and the audit log.
state() {
    sqlite3 "$db" "SELECT * FROM people; SELECT * FROM bookings; SELECT * FROM charges;
                   SELECT count(*) FROM audit_log; SELECT * FROM public_events;
                   SELECT * FROM facility_status; SELECT * FROM deliveries"
}

# --- a snapshot: people, bookings (CSV) and charges (JSON Lines) ---------------------------
cat > "$D/people.csv" <<'EOF'
local_id,name,date_of_birth,registrant_290
FP-1,"Feedperson, Alpha",1990-02-03,false
FP-2,"Feedperson, Bravo",1985-07-09,false
EOF
cat > "$D/bookings.csv" <<'EOF'
booking_no,person_local_id,booked_at,facility,status,scheduled_release,released_at,release_reason
FB-1,FP-1,2026-11-02T08:00:00Z,Main Jail,in_custody,,,
FB-2,FP-2,2026-11-03T09:30:00-08:00,Main Jail,in_custody,2026-12-20,,
FB-3,FP-2,2026-11-04,North Annex,in_custody,,,
EOF
cat > "$D/charges.jsonl" <<'EOF'
{"booking_no":"FB-1","citation":"PC 211","level":"felony","status":"pending","magistrate_probable_cause":true}
{"booking_no":"FB-1","citation":"PC 459","level":"felony","status":"pending"}
{"booking_no":"FB-2","citation":"PC 484","level":"misdemeanor"}
EOF
run "snapshot: exit 0" 0 import --db "$db" --upsert "$D/people.csv" "$D/bookings.csv" "$D/charges.jsonl"
has_out "snapshot: people created" "people.csv: 2 people"
has_out "snapshot: people counts" "2 created, 0 changed, 0 unchanged"
has_out "snapshot: bookings counts" "3 created, 0 changed, 0 unchanged"
check "snapshot: the bookings are there" [ "$(q "SELECT group_concat(booking_no) FROM bookings")" = "FB-1,FB-2,FB-3" ]
check "snapshot: the charges are there" [ "$(q "SELECT count(*) FROM charges")" = 3 ]
# FB-3 is FP-2's second booking of the same file: a re-booking, recorded once.
check "snapshot: a second booking of a person is a re-booking" \
    [ "$(q "SELECT count(*) FROM audit_log WHERE action = 'booking.rebooked' AND entity = 'FB-3'")" = 1 ]
# New bookings raise no custody event, but the re-booking does: "rebooked", on the person's
# earlier booking, telling only custody facts of the new one.
check "snapshot: only the re-booking raises an event, on the earlier booking" \
    [ "$(q "SELECT group_concat(b.booking_no || ':' || e.kind, ' ') FROM public_events e JOIN bookings b ON b.id = e.booking_id")" = "FB-2:rebooked" ]
check "snapshot: the rebooked event tells the new booking's number, status and day only" \
    [ "$(q "SELECT data FROM public_events WHERE kind = 'rebooked'")" = '{"booked_on":"2026-11-04","booking_no":"FB-3","custody_status":"in_custody"}' ]

# --- the same snapshot again: nothing changes, nothing is written --------------------------
before=$(state)
run "snapshot again: exit 0" 0 import --db "$db" --upsert "$D/people.csv" "$D/bookings.csv" "$D/charges.jsonl"
has_out "snapshot again: people unchanged" "0 created, 0 changed, 2 unchanged"
has_out "snapshot again: bookings unchanged" "0 created, 0 changed, 3 unchanged"
has_out "snapshot again: charges unchanged" "charges.jsonl: 3 charges"
check "snapshot again: no row, audit entry or event written" [ "$(state)" = "$before" ]

# --- a delta: released, transferred, release date set; a charge disposed and one added ------
cat > "$D/delta.jsonl" <<'EOF'
{"booking_no":"FB-1","person_local_id":"FP-1","booked_at":"2026-11-02T08:00:00Z","facility":"Main Jail","status":"released","released_at":"2026-11-30T17:00:00Z","release_reason":"bail posted"}
{"booking_no":"FB-2","person_local_id":"FP-2","booked_at":"2026-11-03T09:30:00-08:00","facility":"South Facility","status":"in_custody","scheduled_release":"2026-12-20"}

{"booking_no":"FB-3","person_local_id":"FP-2","booked_at":"2026-11-04","facility":"North Annex","status":"in_custody","scheduled_release":"2027-01-10T09:00:00-08:00"}
{"booking_no":"FB-4","person_local_id":"FP-1","booked_at":"2026-12-01T11:00:00Z","facility":"Main Jail","status":"in_custody"}
EOF
cat > "$D/charges2.csv" <<'EOF'
booking_no,citation,level,status,magistrate_probable_cause
FB-1,PC 211,felony,dismissed,true
FB-1,PC 459,felony,pending,false
FB-2,PC 484,misdemeanor,pending,false
FB-2,VC 23152(a),misdemeanor,pending,false
EOF
audit0=$(q "SELECT count(*) FROM audit_log")
run "delta: exit 0" 0 import --db "$db" --upsert "$D/delta.jsonl" "$D/charges2.csv"
has_out "delta: bookings counts" "1 created, 3 changed, 0 unchanged; 1 re-booked, 4 events"
has_out "delta: charges counts" "1 created, 1 changed, 2 unchanged"
check "delta: FB-1 released with its time and reason" \
    [ "$(q "SELECT status || '|' || released_at || '|' || release_reason FROM bookings WHERE booking_no = 'FB-1'")" = "released|2026-11-30T17:00:00Z|bail posted" ]
check "delta: FB-2 transferred" [ "$(q "SELECT facility FROM bookings WHERE booking_no = 'FB-2'")" = "South Facility" ]
check "delta: FB-3's release date set" \
    [ "$(q "SELECT scheduled_release FROM bookings WHERE booking_no = 'FB-3'")" = "2027-01-10T09:00:00-08:00" ]
check "delta: one event of each kind, on its booking" \
    [ "$(q "SELECT group_concat(b.booking_no || ':' || e.kind, ' ') FROM public_events e JOIN bookings b ON b.id = e.booking_id ORDER BY e.id")" = "FB-2:rebooked FB-1:released FB-2:transferred FB-3:release_date FB-1:rebooked" ]
check "delta: FB-4 is FP-1's re-booking" \
    [ "$(q "SELECT json_extract(payload, '$.earlier_bookings') FROM audit_log WHERE action = 'booking.rebooked' AND entity = 'FB-4'")" = 1 ]
check "delta: a booking.update entry per changed booking" \
    [ "$(q "SELECT count(*) FROM audit_log WHERE action = 'booking.update' AND seq > $audit0")" = 3 ]
check "delta: the charge's disposition" \
    [ "$(q "SELECT c.status FROM charges c JOIN bookings b ON b.id = c.booking_id WHERE b.booking_no = 'FB-1' AND c.citation = 'PC 211'")" = dismissed ]
check "delta: the new charge of a known booking" \
    [ "$(q "SELECT count(*) FROM charges c JOIN bookings b ON b.id = c.booking_id WHERE b.booking_no = 'FB-2'")" = 2 ]
check "delta: the data-changed line follows the feed" \
    [ "$(q "SELECT group_concat(facility, '|') FROM facility_status ORDER BY facility")" = "Main Jail|North Annex|South Facility" ]

before=$(state)
run "delta again: exit 0" 0 import --db "$db" --upsert "$D/delta.jsonl" "$D/charges2.csv"
has_out "delta again: bookings unchanged" "0 created, 0 changed, 4 unchanged; 0 re-booked, 0 events"
has_out "delta again: charges unchanged" "0 created, 0 changed, 4 unchanged"
check "delta again: no row, audit entry or event written" [ "$(state)" = "$before" ]
run "audit verify after the feed" 0 audit verify --db "$db"

# --- rows that contradict themselves or the record: refused, nothing of the file written ----
# bad FILE NAME LINE FIELD TEXT: importing FILE (one bad row among good ones) exits 1, names
# FILE:LINE: FIELD: TEXT, and leaves every table as it was.
refused() {
    f=$1 n=$2 line=$3 field=$4 text=$5
    before=$(state)
    run "$n: exit 1" 1 import --db "$db" --upsert "$D/$f"
    has_err "$n: named with line and field" "$D/$f:$line: $field: $text"
    has_err "$n: nothing of the file" "nothing of this file was imported"
    check "$n: nothing written" [ "$(state)" = "$before" ]
}
# One case a line: NAME|LINE|FIELD|TEXT|HEADER|ROW;ROW... (HEADER: b bookings, c charges, p
# people, v convictions). GOOD stands for a good booking row that changes FB-2.
good="FB-2,FP-2,2026-11-03T09:30:00-08:00,East Wing,in_custody,2026-12-20,,"
k=0
while IFS='|' read -r name line field text h rows; do
    k=$((k + 1))
    case $h in
    b) echo booking_no,person_local_id,booked_at,facility,status,scheduled_release,released_at,release_reason ;;
    c) echo booking_no,citation,level,status,magistrate_probable_cause ;;
    p) echo local_id,name,date_of_birth,registrant_290 ;;
    v) echo person_local_id,citation,level ;;
    esac > "$D/bad$k.csv"
    echo "$rows" | tr ';' '\n' | sed "s/^GOOD\$/$good/" >> "$D/bad$k.csv"
    refused "bad$k.csv" "$name" "$line" "$field" "$text"
done <<'CASES'
release before booking|3|released_at|is before the booking (booked at 2026-11-10T08:00:00Z)|b|GOOD;FB-5,FP-1,2026-11-10T08:00:00Z,Main Jail,released,,2026-11-09T08:00:00Z,x
booked in the future|2|booked_at|is in the future|b|FB-6,FP-1,2031-01-05T10:00:00Z,Main Jail,in_custody,,,;GOOD
released in the future (beyond the clock skew)|3|released_at|is in the future|b|GOOD;FB-3,FP-2,2026-11-04,North Annex,released,,2026-12-01T12:20:00Z,x
released booking back in custody|2|status|the booking was released at 2026-11-30T17:00:00Z; a new custody is a new booking number|b|FB-1,FP-1,2026-11-02T08:00:00Z,Main Jail,in_custody,,,;GOOD
another person|3|person_local_id|differs from the record|b|GOOD;FB-3,FP-1,2026-11-04,North Annex,in_custody,,,
another booking time|3|booked_at|differs from the record (2026-11-04)|b|GOOD;FB-3,FP-2,2026-11-05,North Annex,in_custody,,,
an unknown person|3|person_local_id|no such person|b|GOOD;FB-7,FP-9,2026-11-05,North Annex,in_custody,,,
a release time while in custody|3|released_at|must be empty while in custody|b|GOOD;FB-8,FP-1,2026-11-05,North Annex,in_custody,,2026-11-06,
a charge missing from the list|2|citation|the record's charge PC 459 is missing from the booking's list|c|FB-1,PC 211,felony,dismissed,true
a disposed charge back to pending|2|status|the charge was disposed (dismissed)|c|FB-1,PC 211,felony,pending,true;FB-1,PC 459,felony,pending,false
charges of an unknown booking|2|booking_no|no such booking|c|FB-99,PC 211,felony,pending,true
a booking's charges in two runs|5|citation|the record's charge PC 211 is missing from the booking's list|c|FB-3,PC 211,felony,pending,false;FB-2,PC 484,misdemeanor,pending,false;FB-2,VC 23152(a),misdemeanor,pending,false;FB-3,PC 459,felony,pending,false
a person's other date of birth|2|date_of_birth|differs from the record|p|FP-1,"Feedperson, Alpha",1990-02-04,false
convictions with --upsert|1|kind|the feed takes people, bookings and charges|v|FP-1,PC 211,felony
CASES

# A booking time a few minutes ahead of the server's clock is the JMS clock's skew.
printf '%s\n%s\n' booking_no,person_local_id,booked_at,facility,status \
    "FB-9,FP-1,2026-12-01T12:04:00Z,Main Jail,in_custody" > "$D/skew.csv"
run "clock skew: a booking 4 minutes ahead is taken" 0 import --db "$db" --upsert "$D/skew.csv"

echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
