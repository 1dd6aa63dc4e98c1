#!/bin/sh
# bench/server/mixed.sh HOLDCHECK DB WORKDIR HC_URL NG_URL SECONDS: lookups while the records
# change, the mixed load of bench/server/run.sh (docs/benchmarks.md, "Server"). Writes
# WORKDIR/mixed.json.
#
# Two writers run in the background for the whole of both measured runs:
#   - the custody feed: every BENCH_SERVER_FEED_PERIOD (6) seconds, `holdcheck import --upsert`
#     of a delta that changes 1% of the bookings a minute (10,000 a minute on 1,000,000: 1,000
#     bookings a delta), each booking moved to another facility with a new scheduled release,
#     drawn at random over all bookings; the deltas are written before the clock starts;
#   - intake: POST /api/v1/bookings/{no}/requests as the clerk ($HC_TOKEN) at 10 requests a
#     second (curl --rate), bookings drawn at random over all of them.
# Meanwhile wrk runs the lookup of run.sh (lookup.lua, $HC_BOOKINGS) against holdcheck, then
# the same against nginx serving the saved answers (which the writers do not change: nginx has
# nothing to keep up with, and gets the same machine load). Target: holdcheck >= 1.0x nginx's
# requests/s, holdcheck's p99 under 10 ms. The deltas' times are reported too (each is one
# transaction; the feed's own benchmark, bench/feed.sh, times a delta of 10,000).
#
# BENCH_MIXED_WRITERS (feed,intake) names the writers that run: "feed", "intake", both, or
# "none" (to tell which of them the lookups' tail comes from).
# Uses run.sh's environment: BENCH_SERVER_CONNECTIONS, BENCH_SERVER_WRK_THREADS, HC_TOKEN,
# HC_BOOKINGS, HC_LUA_DIR is set here. NG_URL "-" runs holdcheck alone (no peer run, no ratio:
# bench/server/offload.sh compares two holdcheck builds instead).
set -eu
hc=$1 db=$2 work=$3 hc_url=$4 ng_url=$5 dur=$6
here=$(cd "$(dirname "$0")" && pwd)
conns=${BENCH_SERVER_CONNECTIONS:-32}
wthreads=${BENCH_SERVER_WRK_THREADS:-2}
period=${BENCH_SERVER_FEED_PERIOD:-6}
rate=10
writers=${BENCH_MIXED_WRITERS:-feed,intake}

nb=$(sqlite3 "$db" 'SELECT count(*) FROM bookings')
per_delta=$((nb * period / 6000))
[ "$per_delta" -ge 1 ] || per_delta=1
ndeltas=$(( (2 * dur + 10) / period + 1 ))

# ---- the deltas, written before the clock starts ----------------------------------------------
rm -rf "$work/mixed"
mkdir -p "$work/mixed"
k=1
while [ "$k" -le "$ndeltas" ]; do
    sqlite3 -csv -header "$db" "WITH RECURSIVE r(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM r
            WHERE i < $per_delta)
        SELECT b.booking_no, p.local_id AS person_local_id, b.booked_at,
               'Example County Feed Annex $k' AS facility, b.status,
               CASE WHEN b.status = 'in_custody' THEN date('2027-01-01', '+$k days')
                    ELSE b.scheduled_release END AS scheduled_release,
               b.released_at, b.release_reason
        FROM bookings b JOIN people p ON p.id = b.person_id
        WHERE b.id IN (SELECT abs(random()) % $nb + 1 FROM r) ORDER BY b.booking_no" \
        > "$work/mixed/delta-$k.csv"
    k=$((k + 1))
done
rows=$(($(wc -l < "$work/mixed/delta-1.csv") - 1))
echo "   $ndeltas deltas of about $per_delta bookings (delta-1: $rows rows), one every ${period}s;" \
     "intake at $rate requests/s"

# The intake requests: as many as the two runs take at $rate a second, so that curl ends by
# itself when they do (a curl stopped by a signal loses the status codes it has not written).
nreq=$(( (2 * dur + 4) * rate ))
# One curl transfers them all, each URL with its own output; the body and headers apply to every
# one (one option group: no "next").
awk -v n="$nreq" -v nb="$nb" -v u="$hc_url" 'BEGIN { srand(7283); for (i = 0; i < n; i++) {
        printf "url = \"%s/api/v1/bookings/DEMO-%06d/requests\"\n", u, 1 + int(rand() * nb)
        print "output = \"/dev/null\"" } }' > "$work/mixed/intake.curl"

# ---- the writers ------------------------------------------------------------------------------
stop=$work/mixed/stop
feed_loop() { # applies the deltas in turn until $stop exists; one line of figures a delta
    k=1
    while [ "$k" -le "$ndeltas" ] && [ ! -e "$stop" ]; do
        t0=$(date +%s.%N)
        out=$("$hc" import --db "$db" --upsert "$work/mixed/delta-$k.csv" 2>&1) || {
            echo "delta $k failed: $out" >&2
            return 1
        }
        t1=$(date +%s.%N)
        echo "$k $(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.3f", b - a }') $(echo "$out" | tr '\n' ' ')"
        k=$((k + 1))
        left=$(awk -v a="$t0" -v p="$period" -v b="$(date +%s.%N)" 'BEGIN { s = a + p - b;
            printf "%.3f", (s > 0 ? s : 0) }')
        sleep "$left"
    done
}
feed_pid='' intake_pid=''
stop_writers() { # the feed finishes the delta it is applying; intake its last requests
    touch "$stop"
    [ -z "$intake_pid" ] || wait "$intake_pid" 2> /dev/null || true
    [ -z "$feed_pid" ] || wait "$feed_pid" 2> /dev/null || true
    feed_pid='' intake_pid=''
}
trap stop_writers EXIT

: > "$work/mixed/feed.log"
: > "$work/mixed/intake.codes"
case ",$writers," in *,feed,*)
    feed_loop > "$work/mixed/feed.log" 2> "$work/mixed/feed.err" &
    feed_pid=$! ;;
esac
case ",$writers," in *,intake,*)
    timeout $((2 * dur + 60)) curl -s --rate "${rate}/s" -K "$work/mixed/intake.curl" \
        -d '{"type":"notification","form":"I-247A","confirm_new":true}' \
        -H "Authorization: Bearer $HC_TOKEN" -H 'Content-Type: application/json' \
        -w '%{http_code}\n' > "$work/mixed/intake.codes" 2> /dev/null &
    intake_pid=$! ;;
esac
sleep 2 # both writers under way before the lookups start

run() { # NAME URL
    HC_WRK_JSON=$work/$1.json HC_LUA_DIR=$here \
        timeout $((dur + 60)) wrk -t"$wthreads" -c"$conns" -d"$dur"s --timeout 10s --latency \
        -s "$here/lookup.lua" "$2" > "$work/$1.txt"
    [ -s "$work/$1.json" ] || { cat "$work/$1.txt" >&2; echo "wrk wrote no figures for $1" >&2; exit 1; }
}
run mixed-holdcheck "$hc_url"
if [ "$ng_url" = - ]; then
    echo '{"requests_per_s":1}' > "$work/mixed-nginx.json"
else
    run mixed-nginx "$ng_url"
fi
stop_writers

[ ! -s "$work/mixed/feed.err" ] || { cat "$work/mixed/feed.err" >&2; echo "the feed failed" >&2; exit 1; }
applied=$(wc -l < "$work/mixed/feed.log" | tr -d ' ')
case ",$writers," in *,feed,*)
    [ "$applied" -ge 2 ] || { echo "only $applied deltas were applied" >&2; exit 1; } ;;
esac
intake_ok=$(grep -c '^201$' "$work/mixed/intake.codes" || true)
intake_all=$(wc -l < "$work/mixed/intake.codes" | tr -d ' ')
feed_times=$(awk '{ print $2 }' "$work/mixed/feed.log" | jq -s .)
echo "   $applied deltas applied (seconds: $(echo "$feed_times" | jq -c .)); intake:" \
     "$intake_ok of $intake_all answered 201"

jq -n --argjson h "$(cat "$work/mixed-holdcheck.json")" --argjson n "$(cat "$work/mixed-nginx.json")" \
    --argjson period "$period" --argjson per "$per_delta" --argjson applied "$applied" \
    --argjson times "$feed_times" --argjson rate "$rate" --argjson iok "$intake_ok" \
    --argjson iall "$intake_all" --argjson dur "$dur" '
    {route: "GET /api/v1/bookings/{booking_no}", duration_s: $dur,
     feed: {every_s: $period, bookings_a_delta: $per, deltas_applied: $applied,
            delta_seconds: $times, how: "holdcheck import --upsert (CSV), one process a delta"},
     intake: {target_per_s: $rate, answered: $iall, created: $iok},
     holdcheck: $h, nginx: $n, ratio: ($h.requests_per_s / $n.requests_per_s),
     target_ratio_min: 1.0, p99_target_ms: 10,
     met: (($h.requests_per_s / $n.requests_per_s) >= 1.0 and $h.latency_ms.p99 < 10)}' \
    > "$work/mixed.json"
