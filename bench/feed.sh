#!/bin/sh
# bench/feed.sh: the custody feed against a county of 1,000,000 bookings (docs/import.md, "The
# custody feed"). Measures, in one run:
#   1. `holdcheck import --upsert` of a delta of 10,000 changed bookings (a third transferred
#      to another facility, a third released, a third given a release date): every change is
#      compared with the record, written, its event raised and its audit entry appended, in one
#      transaction;
#   2. the same delta applied again (nothing changes: every row is compared and left alone);
#   3. the peer: the sqlite3 shell applying the same 10,000 changes as plain UPDATEs by
#      booking number in one transaction, to a second copy of the same database (no checks, no
#      events, no audit).
# Prints the times (wall, and the CPU time each process used, which a loaded machine moves
# less), the created/changed/unchanged counts and the ratio holdcheck / sqlite3.
# The target (issue 11): the delta in under 1 second.
#
# The database is bench/server's (bench/server/gen-db.sh: `holdcheck demo` for a template, then
# sqlite3 copies). It is kept in $BUILD/bench/feed/base.db and reused when it has the right
# number of bookings; BENCH_FEED_SEED=PATH copies an existing one (build/bench/server/bench.db
# of a `make bench-server` run) instead of generating it. Each run works on fresh copies.
#
# Environment (defaults): BUILD (build), BENCH_FEED_BOOKINGS (1000000), BENCH_FEED_TEMPLATE
# (5000), BENCH_FEED_DELTA (10000), BENCH_FEED_RUNS (1), BENCH_FEED_SEED (none),
# BENCH_FEED_BEFORE (none: another holdcheck binary, e.g. main's build, whose delta is timed in
# each run too, on its own fresh copy, right before this build's: a change measured against the
# build before it under the same machine load; the medians of the CPU times end the output; its
# schema may be older than this build's, not newer, and a kept base.db made by a newer build
# must be removed first).
set -eu

BUILD=${BUILD:-build}
NB=${BENCH_FEED_BOOKINGS:-1000000}
TEMPLATE=${BENCH_FEED_TEMPLATE:-5000}
DELTA=${BENCH_FEED_DELTA:-10000}
RUNS=${BENCH_FEED_RUNS:-1}
TARGET_S=1.0

here=$(cd "$(dirname "$0")" && pwd)
hc=$(cd "$(dirname "$BUILD/holdcheck")" && pwd)/holdcheck
work=$BUILD/bench/feed
mkdir -p "$work"
work=$(cd "$work" && pwd)
base=$work/base.db

for tool in sqlite3 awk; do
    command -v "$tool" > /dev/null 2>&1 || { echo "bench/feed.sh: $tool is missing" >&2; exit 1; }
done
[ -x "$hc" ] || { echo "bench/feed.sh: $hc not built (make $BUILD/holdcheck)" >&2; exit 1; }

now() { date +%s.%N; }
# cpu FILE COMMAND...: run COMMAND, its user + system seconds into FILE (0 without GNU time).
cpu() {
    f=$1; shift
    if [ -x /usr/bin/time ]; then /usr/bin/time -o "$f" -f "%U %S" "$@"; else echo "0 0" > "$f"; "$@"; fi
}
cpus() { awk '{ printf "%.2f", $1 + $2 }' "$1"; }
secs() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.3f", b - a }'; }
count() { sqlite3 "$1" 'SELECT count(*) FROM bookings' 2> /dev/null || echo 0; }

# ---- the database --------------------------------------------------------------------------
have=0
[ -s "$base" ] && have=$(count "$base")
if [ "$have" -ne "$NB" ] && [ -n "${BENCH_FEED_SEED:-}" ] && [ "$(count "$BENCH_FEED_SEED")" -eq "$NB" ]; then
    echo "== copying $BENCH_FEED_SEED ($NB bookings)"
    rm -f "$base" "$base-wal" "$base-shm"
    cp "$BENCH_FEED_SEED" "$base"
    [ ! -s "$BENCH_FEED_SEED-wal" ] || cp "$BENCH_FEED_SEED-wal" "$base-wal"
    have=$NB
fi
if [ "$have" -eq "$NB" ]; then
    echo "== reusing $base ($NB bookings)"
else
    echo "== generating $NB bookings into $base (bench/server/gen-db.sh, template $TEMPLATE)"
    sh "$here/server/gen-db.sh" "$hc" "$base" "$NB" "$TEMPLATE" | sed 's/^/   /'
fi
# The base stays at the schema of the older build when there is one (BENCH_FEED_BEFORE), which
# cannot open a newer schema; this build's copies, the peer's too, are migrated before they
# are timed, so that the peer runs this build's triggers.
"${BENCH_FEED_BEFORE:-$hc}" migrate --db "$base" | sed 's/^/   /'

# ---- the delta -------------------------------------------------------------------------------
# DELTA bookings in custody, spread over the whole table; released after every booking time.
pick="FROM bookings b JOIN people p ON p.id = b.person_id
      WHERE b.status = 'in_custody' AND b.id % 67 = 5 ORDER BY b.id LIMIT $DELTA"
cols="b.booking_no AS booking_no, p.local_id AS person_local_id, b.booked_at AS booked_at,
      CASE WHEN b.id % 3 = 0 THEN b.facility || ' Annex' ELSE b.facility END AS facility,
      CASE WHEN b.id % 3 = 1 THEN 'released' ELSE b.status END AS status,
      CASE WHEN b.id % 3 = 2 THEN '2027-01-15' ELSE b.scheduled_release END AS scheduled_release,
      CASE WHEN b.id % 3 = 1 THEN '2026-11-20T12:00:00Z' ELSE b.released_at END AS released_at,
      CASE WHEN b.id % 3 = 1 THEN 'bail posted' ELSE b.release_reason END AS release_reason"
sqlite3 -header -csv "$base" "SELECT $cols $pick" > "$work/delta.csv"
{
    echo "BEGIN;"
    sqlite3 "$base" "SELECT format('UPDATE bookings SET facility = %Q, status = %Q,
        scheduled_release = %Q, released_at = %Q, release_reason = %Q WHERE booking_no = %Q;',
        facility, status, scheduled_release, released_at, release_reason, booking_no)
        FROM (SELECT $cols $pick)"
    echo "COMMIT;"
} > "$work/delta.sql"
rows=$(($(wc -l < "$work/delta.csv") - 1))
echo "== delta: $rows changed bookings ($work/delta.csv)"

# ---- the runs --------------------------------------------------------------------------------
fresh() { rm -f "$1" "$1-wal" "$1-shm" "$1-journal"; cp "$base" "$1"; }
# migrated COPY: a fresh copy at this build's schema.
migrated() { fresh "$1"; "$hc" migrate --db "$1" > /dev/null; }
before_bin=${BENCH_FEED_BEFORE:-}
: > "$work/cpu-feed.txt"
: > "$work/cpu-before.txt"
: > "$work/cpu-peer.txt"
i=0
while [ "$i" -lt "$RUNS" ]; do
    i=$((i + 1))
    if [ -n "$before_bin" ]; then
        fresh "$work/before.db"
        sync
        tb=$(now)
        cpu "$work/before.cpu" "$before_bin" import --db "$work/before.db" --upsert \
            "$work/delta.csv" > /dev/null
        echo "run $i: before ($before_bin): $(secs "$tb" "$(now)") s," \
             "CPU $(cpus "$work/before.cpu") s"
        cpus "$work/before.cpu" >> "$work/cpu-before.txt"
        echo >> "$work/cpu-before.txt"
        rm -f "$work/before.db" "$work/before.db-wal" "$work/before.db-shm"
    fi
    migrated "$work/feed.db"
    migrated "$work/peer.db"
    sync
    t0=$(now)
    cpu "$work/feed.cpu" "$hc" import --db "$work/feed.db" --upsert "$work/delta.csv" > "$work/feed.out"
    t1=$(now)
    "$hc" import --db "$work/feed.db" --upsert "$work/delta.csv" > "$work/again.out"
    t2=$(now)
    cpu "$work/peer.cpu" sqlite3 "$work/peer.db" < "$work/delta.sql"
    t3=$(now)
    feed_s=$(secs "$t0" "$t1")
    again_s=$(secs "$t1" "$t2")
    peer_s=$(secs "$t2" "$t3")
    counts=$(sed -n 's/.*: \([0-9]* created, [0-9]* changed, [0-9]* unchanged\).*/\1/p' "$work/feed.out")
    counts2=$(sed -n 's/.*: \([0-9]* created, [0-9]* changed, [0-9]* unchanged\).*/\1/p' "$work/again.out")
    events=$(sqlite3 "$work/feed.db" "SELECT count(*) FROM public_events")
    ratio=$(awk -v a="$feed_s" -v b="$peer_s" 'BEGIN { printf "%.2f", (b > 0 ? a / b : 0) }')
    verdict=$(awk -v a="$feed_s" -v t="$TARGET_S" 'BEGIN { print a < t ? "under" : "OVER" }')
    echo "run $i: holdcheck import --upsert: $feed_s s, CPU $(cpus "$work/feed.cpu") s" \
         "($counts; $events events), $verdict the ${TARGET_S} s target"
    echo "       the same delta again: $again_s s ($counts2)"
    echo "       sqlite3 shell, the same $rows UPDATEs in one transaction: $peer_s s," \
         "CPU $(cpus "$work/peer.cpu") s"
    echo "       ratio holdcheck / sqlite3: $ratio"
    { cpus "$work/feed.cpu"; echo; } >> "$work/cpu-feed.txt"
    { cpus "$work/peer.cpu"; echo; } >> "$work/cpu-peer.txt"
done
median() { sort -n "$1" | awk '{ v[NR] = $1 } END { if (NR == 0) print "-";
    else if (NR % 2) print v[(NR + 1) / 2]; else printf "%.2f\n", (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
echo "   CPU, median of $RUNS: this build $(median "$work/cpu-feed.txt") s," \
     "sqlite3 $(median "$work/cpu-peer.txt") s${before_bin:+, before $(median "$work/cpu-before.txt") s}"
echo "   load average: $(cut -d' ' -f1-3 /proc/loadavg) on $(nproc) CPUs (a shared machine's" \
     "times move with it)"
rm -f "$work/feed.db" "$work/peer.db" "$work"/*.db-wal "$work"/*.db-shm
