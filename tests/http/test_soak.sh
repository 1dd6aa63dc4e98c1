#!/bin/sh
# test_soak.sh HOLDCHECK-TSAN: the server built with ThreadSanitizer (make check-soak) under
# everything at once for SOAK_SECONDS (60), on loopback: public reads (search, one record, the
# CSV export), staff reads (a booking, the console's search), intakes, custody feed pushes and
# logins, each a loop of curl requests. Passes when
#   - every answer was in its expected set (0 errors),
#   - ThreadSanitizer reported nothing (suppressions: tests/tsan-h2o.supp, inside libh2o only),
#   - the server's resident memory stayed flat after the warm-up: no sample of VmRSS (every
#     2 s) after the warm-up (SOAK_WARMUP, 20 s) is over the largest sample during it times
#     1.25 plus 8 MiB. The caches (answers, sessions, the public export) fill during the warm-up
#     and are bounded after; what grows past that bound in 40 s of the same load grows without
#     end. Largest samples, not single ones: RSS swings by tens of MiB as the allocator gives
#     memory back. The 8 MiB are for allocator and ThreadSanitizer bookkeeping that is not per
#     request;
#   - every write acknowledged (an intake's 201 and its request id, a feed push's 200 and its
#     booking number) is in the database afterwards;
#   - `holdcheck audit verify` finds the audit chain intact.
# SOAK_SECONDS=10 SOAK_WARMUP=4 makes a short run for trying it out. Ends with "N passed, M
# failed".
# shellcheck disable=SC2015 # "A && ok || bad": ok always returns 0, so bad runs only when A fails
set -u
bin=${1:-build/holdcheck-tsan}
. "$(dirname "$0")/lib.sh"

secs=${SOAK_SECONDS:-60}
warm=${SOAK_WARMUP:-20}
here=$(cd "$(dirname "$0")/../.." && pwd)
# shellcheck source=tsan_lib.sh
. "$(dirname "$0")/tsan_lib.sh"
# shellcheck source=pool_lib.sh
. "$(dirname "$0")/pool_lib.sh"
pool_db soak-admin
AD=$auth
q() { sqlite3 "$db" "$1"; }

HC_OFFLOAD_THREADS=2
export HC_OFFLOAD_THREADS
srv_start "$db" --threads 2 --public-rate 0
# shellcheck source=../public/common.sh
. "$here/tests/public/common.sh"
[ "$(set_policy "booking_no,name,booking_date,charges,facility,custody_status" 7)" = 200 ] &&
    ok "publication policy set" || die "publication policy: $(cat "$tmp/policy.json")"
inmate=$(curl -s "$B/api/v1/public/inmates?limit=1" | jq -r '.inmates[0].booking_no')
[ -n "$inmate" ] && [ "$inmate" != null ] || die "no public record to read"
printf '{"local_id":"SOAK-P","name":"Soakperson, Alpha","date_of_birth":"1990-01-02"}\n' > "$tmp/p.jsonl"
code=$(curl -s -o "$tmp/body" -w '%{http_code}' -H "$AD" -H 'Content-Type: application/x-ndjson' \
    -H 'Idempotency-Key: soak-person' --data-binary "@$tmp/p.jsonl" "$B/api/v1/feed")
[ "$code" = 200 ] && ok "feed: the soak's person" || die "feed person: $code $(cat "$tmp/body")"

start=$(date +%s)
end=$((start + secs))

# loop NAME WANT N URL CURL-ARGS...: URL again and again until the end, N requests to one curl
# (one connection); a line "CODE OK" into $tmp/NAME.codes a request, OK 1 when CODE is in WANT
# (codes separated by |).
loop() {
    name_=$1 want_=$2 n_=$3 url_=$4
    shift 4
    while [ "$n_" -gt 0 ]; do
        set -- "$@" -o /dev/null "$url_"
        n_=$((n_ - 1))
    done
    while [ "$(date +%s)" -lt "$end" ]; do
        curl -s -w '%{http_code}\n' --max-time 60 "$@" | while read -r c_; do
            case "|$want_|" in *"|$c_|"*) echo "$c_ 1" ;; *) echo "$c_ 0" ;; esac
        done >> "$tmp/$name_.codes"
    done
}
loop search 200 10 "$B/api/v1/public/inmates?name=a" &
p1=$!
loop record 200 10 "$B/api/v1/public/inmates/$inmate" &
p2=$!
loop export '200|503' 10 "$B/api/v1/public/export.csv" &
p3=$!
loop staff 200 10 "$B/api/v1/bookings/DEMO-000004" -H "$AD" &
p4=$!
loop staff_search 200 10 "$B/api/v1/console/bookings?name=a" -H "$AD" &
p5=$!
# A login costs seconds under ThreadSanitizer (argon2id): one a curl.
loop login 201 1 "$B/api/v1/session" -H "$J" -d "{\"name\":\"soak-admin\",\"password\":\"$pw\"}" &
p6=$!
# Intakes, five to one curl: each 201 is kept with its request id (the decision's "id":
# "request-N").
(
    i=0
    while [ "$(date +%s)" -lt "$end" ]; do
        set --
        for k in 1 2 3 4 5; do
            i=$((i + 1))
            set -- "$@" -o "$tmp/intake.$k" "$B/api/v1/bookings/$(printf 'DEMO-%06d' $((i % 40 + 1)))/requests"
        done
        rm -f "$tmp"/intake.[1-5]
        k=0
        curl -s -w '%{http_code}\n' --max-time 60 -H "$AD" -H "$J" \
            -d '{"type":"notification","form":"I-247A","confirm_new":true}' "$@" |
            while read -r c_; do
                k=$((k + 1))
                id_=$(sed -n 's/^{"id":"request-\([0-9][0-9]*\)".*/\1/p' "$tmp/intake.$k" 2> /dev/null)
                [ "$c_" = 201 ] && [ -n "$id_" ] && echo "$c_ 1 $id_" || echo "$c_ 0"
            done
    done > "$tmp/intake.codes"
) &
p7=$!
# Feed pushes: one new booking each; each 200 is kept with its booking number.
(
    i=0
    while [ "$(date +%s)" -lt "$end" ]; do
        i=$((i + 1))
        printf '{"booking_no":"SOAK-%d","person_local_id":"SOAK-P","booked_at":"2026-01-02T08:00:00Z","facility":"Main Jail","status":"in_custody"}\n' \
            "$i" > "$tmp/b.jsonl"
        c_=$(curl -s -o "$tmp/feed.body" -w '%{http_code}' --max-time 30 -H "$AD" \
            -H 'Content-Type: application/x-ndjson' -H "Idempotency-Key: soak-booking-$i" \
            --data-binary "@$tmp/b.jsonl" "$B/api/v1/feed")
        [ "$c_" = 200 ] && grep -q '"created":1' "$tmp/feed.body" && echo "$c_ 1 SOAK-$i" ||
            echo "$c_ 0"
    done > "$tmp/feed.codes"
) &
p8=$!
# Resident memory every 2 s: "SECONDS KB".
(
    while [ "$(date +%s)" -lt "$end" ]; do
        echo "$(($(date +%s) - start)) $(sed -n 's/^VmRSS:[[:space:]]*\([0-9]*\) kB/\1/p' "/proc/$srv_pid/status")"
        sleep 2
    done > "$tmp/rss"
) &
p9=$!
wait $p1 $p2 $p3 $p4 $p5 $p6 $p7 $p8 $p9

# --- 0 errors: every answer in its expected set, and some of each
for n in search record export staff staff_search login intake feed; do
    all_=$(wc -l < "$tmp/$n.codes" | tr -d ' ')
    good_=$(grep -c '^[0-9]* 1' "$tmp/$n.codes")
    [ "$all_" -gt 0 ] && [ "$good_" -eq "$all_" ] && ok "$n: $all_ answered as expected" ||
        bad "$n: every answer as expected" \
            "$good_ of $all_: $(cut -d' ' -f1 "$tmp/$n.codes" | sort | uniq -c | tr '\n' ' ')"
done

# --- memory flat after the warm-up
w_kb=$(awk -v w="$warm" '$1 <= w && $2 > m { m = $2 } END { print m }' "$tmp/rss")
l_kb=$(awk -v w="$warm" '$1 > w && $2 > m { m = $2 } END { print m }' "$tmp/rss")
if [ -n "$w_kb" ] && [ -n "$l_kb" ]; then
    lim=$((w_kb * 5 / 4 + 8192))
    [ "$l_kb" -le "$lim" ] && ok "RSS flat: at most ${w_kb} kB in the warm-up, ${l_kb} kB after (bound $lim)" ||
        bad "RSS flat after warm-up" "at most ${w_kb} kB in the warm-up, ${l_kb} kB after, over $lim: $(tr '\n' ' ' < "$tmp/rss")"
else
    bad "RSS sampled" "$(cat "$tmp/rss")"
fi

# --- every acknowledged write present
srv_stop
# all_kept WHAT NAME CODE SQL: every key NAME.codes acknowledged with CODE is a row of SQL.
all_kept() {
    sed -n "s/^$3 1 //p" "$tmp/$2.codes" | sort > "$tmp/$2.acked"
    q "$4" | sort > "$tmp/$2.rows"
    missing=$(comm -23 "$tmp/$2.acked" "$tmp/$2.rows" | wc -l | tr -d ' ')
    n_=$(wc -l < "$tmp/$2.acked" | tr -d ' ')
    [ "$n_" -gt 0 ] && [ "$missing" -eq 0 ] && ok "all $n_ acknowledged $1 in the database" ||
        bad "acknowledged $1 in the database" "$missing of $n_ missing"
}
all_kept intakes intake 201 "SELECT id FROM immigration_requests"
all_kept "feed bookings" feed 200 "SELECT booking_no FROM bookings WHERE booking_no LIKE 'SOAK-%'"
"$bin" audit verify --db "$db" > "$tmp/verify" 2>&1 && ok "audit verify: intact" ||
    bad "audit verify" "$(head -5 "$tmp/verify")"
no_tsan_report
echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
