#!/bin/sh
# test_tsan.sh HOLDCHECK-TSAN: the server built with ThreadSanitizer (make check-tsan) under a
# short mixed load, all at once for TSAN_LOAD_SECONDS (20): staff lookups on two connections'
# worth of loops, logins (argon2id on the pool), intakes and custody changes (writes on the
# pool), /metrics (the pool's and the loops' shared counters). Two event loops, two pool
# threads, the answer cache on: every thread that shares something is busy. Passes when every
# request was answered as it should be and ThreadSanitizer reported nothing (its report
# suppressions: tests/tsan-h2o.supp, inside libh2o only). Ends with "N passed, M failed".
# shellcheck disable=SC2015 # "A && ok || bad": ok always returns 0, so bad runs only when A fails
set -u
bin=${1:-build/holdcheck-tsan}
. "$(dirname "$0")/lib.sh"

secs=${TSAN_LOAD_SECONDS:-20}
# shellcheck source=tsan_lib.sh
. "$(dirname "$0")/tsan_lib.sh"
# shellcheck source=pool_lib.sh
. "$(dirname "$0")/pool_lib.sh"
pool_db tsan-admin

HC_OFFLOAD_THREADS=2
export HC_OFFLOAD_THREADS
srv_start "$db" --threads 2
end=$(($(date +%s) + secs))

# load NAME CURL-ARGS...: the same request again and again until the end; one status code a
# line into $tmp/NAME.codes.
load() {
    name_=$1
    shift
    while [ "$(date +%s)" -lt "$end" ]; do
        curl -s -o /dev/null -w '%{http_code}\n' --max-time 20 "$@" >> "$tmp/$name_.codes"
    done
}
load lookup1 -H "$auth" "$B/api/v1/bookings/DEMO-000001" &
p1=$!
load lookup2 -H "$auth" "$B/api/v1/bookings/DEMO-000007" &
p2=$!
load login -H "$J" -d "{\"name\":\"tsan-admin\",\"password\":\"$pw\"}" "$B/api/v1/session" &
p3=$!
load intake -H "$auth" -H "$J" -d '{"type":"notification","form":"I-247A","confirm_new":true}' \
    "$B/api/v1/bookings/DEMO-000003/requests" &
p4=$!
load patch -X PATCH -H "$auth" -H "$J" -d '{"facility":"Annex T"}' \
    "$B/api/v1/bookings/DEMO-000001" &
p5=$!
load metrics -H "$auth" "$B/metrics" &
p6=$!
wait $p1 $p2 $p3 $p4 $p5 $p6

# all_are NAME CODE: every request of NAME was answered CODE, and there were some.
all_are() {
    n_=$(wc -l < "$tmp/$1.codes" | tr -d ' ')
    k_=$(grep -c "^$2\$" "$tmp/$1.codes")
    [ "$n_" -gt 0 ] && [ "$k_" -eq "$n_" ] && ok "$1: $n_ answered $2" ||
        bad "$1: every answer $2" "$k_ of $n_: $(sort "$tmp/$1.codes" | uniq -c | tr '\n' ' ')"
}
all_are lookup1 200
all_are lookup2 200
all_are login 201
all_are intake 201
all_are patch 200
all_are metrics 200
srv_stop
no_tsan_report

echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
