#!/bin/sh
# test_offload.sh HOLDCHECK: the pool that runs blocking work off the event loops
# (src/http/offload.h, docs/architecture.md "Threads and memory"):
#   1. lookups are answered while logins hash: with ONE event loop and one pool thread, eight
#      logins (argon2id each) are sent at once; while they are in flight, the loop answers
#      GET /metrics showing a job running, and booking lookups. The proof is structural, not a
#      clock: the only loop cannot answer anything while it is itself hashing, so an answer from
#      it that reports a running job means the job ran elsewhere. Then all eight logins succeed.
#      (With http__offload made to run every job inline, this check and the 503 fail.)
#   2. the queue is bounded: one pool thread, a queue of one, eight logins at once: the ones
#      with no room are answered 503 with Retry-After (problem+json), the others 201, and
#      /metrics counts the refusals.
#   3. clients that hang up while their job waits or runs: the jobs finish, their answers go
#      to closed connections, the server keeps answering, and it stops cleanly with a clean log
#      (under the sanitized build: no leak, no error); so does a server stopped while a login
#      is still hashing.
#   4. writes through the pool (intake, PATCH booking) answer as before, Location included.
# Ends with "N passed, M failed"; exits 1 on any failure.
# shellcheck disable=SC2015 # "A && ok || bad": ok always returns 0, so bad runs only when A fails
set -u
bin=${1:-build/holdcheck}
. "$(dirname "$0")/lib.sh"

# shellcheck source=pool_lib.sh
. "$(dirname "$0")/pool_lib.sh"
pool_db off-admin

# metric NAME-AND-LABELS [FILE]: its value in /metrics (or in FILE, a saved answer).
metric() {
    if [ $# -ge 2 ]; then cat "$2"; else curl -s -H "$auth" "$B/metrics"; fi |
        awk -v k="$1" '$1 == k { print $2; f = 1 } END { if (!f) print 0 }'
}

# logins N DIR [CURL-ARGS...]: N logins of off-admin at once in the background; each writes
# its status code to DIR/N.code and its headers to DIR/N.hdr when it ends. Sets $login_pids.
logins() {
    n_=$1 dir_=$2
    shift 2
    mkdir -p "$dir_"
    login_pids=""
    k_=1
    while [ "$k_" -le "$n_" ]; do
        (curl -s -o "$dir_/$k_.body" -D "$dir_/$k_.hdr" -w '%{http_code}\n' "$@" -H "$J" \
            -d "{\"name\":\"off-admin\",\"password\":\"$pw\"}" "$B/api/v1/session" \
            > "$dir_/$k_.tmp" 2> /dev/null
        mv "$dir_/$k_.tmp" "$dir_/$k_.code") &
        login_pids="$login_pids $!"
        k_=$((k_ + 1))
    done
}
# done_count DIR: how many of the logins in DIR have ended.
done_count() { find "$1" -name '*.code' | wc -l | tr -d ' '; }
wait_logins() { for p_ in $login_pids; do wait "$p_" 2> /dev/null; done; }

# --- 1. lookups while logins hash ------------------------------------------------------------
export HC_OFFLOAD_THREADS=1
srv_start "$db" --threads 1
logins 8 "$tmp/storm"
seen_running=0 lookups_ok=0 lookups=0 while_in_flight=0
i=0
while [ $i -lt 400 ]; do
    curl -s -H "$auth" -o "$tmp/m" "$B/metrics"
    r=$(metric 'holdcheck_offload_jobs{state="running"}' "$tmp/m")
    code=$(curl -s -o /dev/null -w '%{http_code}' -H "$auth" "$B/api/v1/bookings/DEMO-000001")
    lookups=$((lookups + 1))
    [ "$code" = 200 ] && lookups_ok=$((lookups_ok + 1))
    left=$((8 - $(done_count "$tmp/storm")))
    if [ "$r" -ge 1 ] && [ "$left" -gt 0 ]; then
        seen_running=$((seen_running + 1))
        [ "$code" = 200 ] && while_in_flight=$((while_in_flight + 1))
    fi
    [ "$left" -eq 0 ] && break
    i=$((i + 1))
done
wait_logins
[ "$seen_running" -ge 1 ] && ok "the only loop answers /metrics while a login hashes on the pool" ||
    bad "the only loop answers /metrics while a login hashes on the pool" \
        "no answer showed a running job ($lookups rounds)"
[ "$while_in_flight" -ge 1 ] && ok "booking lookups answered 200 while logins are in flight" ||
    bad "booking lookups answered 200 while logins are in flight" "none of $lookups"
[ "$lookups_ok" -eq "$lookups" ] && ok "every lookup answered 200" ||
    bad "every lookup answered 200" "$lookups_ok of $lookups"
n201=$(cat "$tmp"/storm/*.code | grep -c '^201$')
[ "$n201" -eq 8 ] && ok "the eight logins succeed (201)" ||
    bad "the eight logins succeed (201)" "$(cat "$tmp"/storm/*.code | tr '\n' ' ')"
grep -qi '^set-cookie: hc_session=' "$tmp/storm/1.hdr" && ok "a pooled login sets the session cookie" ||
    bad "a pooled login sets the session cookie" "$(tr -d '\r' < "$tmp/storm/1.hdr" | head -c 300)"
c=$(sed -n 's/.*hc_session=\([^;]*\);.*/\1/p' "$tmp/storm/1.hdr" | tr -d '\r')
req_auth=""
req "the pooled login's session works" 200 application/json '"off-admin"' -- \
    -H "Cookie: hc_session=$c" "$B/api/v1/session"
metric 'holdcheck_offload_jobs_total{result="done"}' > "$tmp/done"
[ "$(cat "$tmp/done")" -ge 8 ] && ok "/metrics counts the jobs done" ||
    bad "/metrics counts the jobs done" "$(cat "$tmp/done")"

# --- 4. writes through the pool ----------------------------------------------------------------
req_auth=$auth
req "intake through the pool: 201 with the decision" 201 application/json '"outcome"' -- \
    -H "$J" -d '{"type":"notification","form":"I-247A","confirm_new":true}' \
    "$B/api/v1/bookings/DEMO-000002/requests"
grep -qi '^location: /api/v1/bookings/DEMO-000002' "$tmp/hdr" && ok "intake: Location header" ||
    bad "intake: Location header" "$(tr -d '\r' < "$tmp/hdr" | head -c 300)"
req "intake through the pool: a bad body is 400 naming the field" 400 application/problem+json \
    '"field":"type"' -- -H "$J" -d '{"form":"I-247A"}' "$B/api/v1/bookings/DEMO-000002/requests"
req "intake: a bad booking number is refused on the loop (400)" 400 application/problem+json \
    'booking_no' -- -H "$J" -d '{"type":"notification"}' "$B/api/v1/bookings/x%20y/requests"
req "PATCH booking through the pool" 200 application/json '"facility":"Annex 9"' -- \
    -X PATCH -H "$J" -d '{"facility":"Annex 9"}' "$B/api/v1/bookings/DEMO-000003"
req "PATCH booking: the next GET sees it (the cache followed the pooled write)" 200 \
    application/json 'Annex 9' -- "$B/api/v1/bookings/DEMO-000003"
req "PATCH booking through the pool: malformed JSON is 400" 400 application/problem+json \
    'malformed JSON' -- -X PATCH -H "$J" -d '{' "$B/api/v1/bookings/DEMO-000003"
req_auth=""
srv_stop

# --- 2. the bounded queue ------------------------------------------------------------------------
export HC_OFFLOAD_QUEUE=1
srv_start "$db" --threads 2
logins 8 "$tmp/full"
wait_logins
n503=$(cat "$tmp"/full/*.code | grep -c '^503$')
n201=$(cat "$tmp"/full/*.code | grep -c '^201$')
[ "$n503" -ge 1 ] && [ $((n503 + n201)) -eq 8 ] &&
    ok "a full queue answers 503, the rest 201 ($n503 refused, $n201 in)" ||
    bad "a full queue answers 503, the rest 201" "$(cat "$tmp"/full/*.code | tr '\n' ' ')"
f=$(grep -l '^503$' "$tmp"/full/*.code | head -1)
f=${f%.code}
[ -n "$f" ] && tr -d '\r' < "$f.hdr" | grep -qi '^retry-after: 1$' &&
    ok "the 503 says Retry-After" || bad "the 503 says Retry-After" "$(cat "$f.hdr" 2> /dev/null)"
[ -n "$f" ] && tr -d '\r' < "$f.hdr" | grep -qi '^content-type: application/problem+json' &&
    grep -q '"status":503' "$f.body" && ok "the 503 is a problem" ||
    bad "the 503 is a problem" "$(cat "$f.body" 2> /dev/null)"
[ "$(metric 'holdcheck_offload_jobs_total{result="refused"}')" -eq "$n503" ] &&
    ok "/metrics counts the refusals" || bad "/metrics counts the refusals" \
    "$(metric 'holdcheck_offload_jobs_total{result="refused"}') for $n503"
srv_stop
unset HC_OFFLOAD_QUEUE

# --- 3. clients that hang up mid-job --------------------------------------------------------------
# One pool thread, eight logins at once, each client giving up after 0.15 s: the later ones hang
# up while their job waits or runs.
srv_start "$db" --threads 2
d0=$(metric 'holdcheck_offload_jobs_total{result="done"}')
logins 8 "$tmp/gone" --max-time 0.15
wait_logins
gone=$(cat "$tmp"/gone/*.code | grep -c '^000$')
n_in=$(cat "$tmp"/gone/*.code | grep -c '^201$')
[ "$gone" -ge 1 ] && ok "some clients hung up before their answer ($gone of 8)" ||
    bad "some clients hung up before their answer" "$(cat "$tmp"/gone/*.code | tr '\n' ' ')"
i=0
while [ $i -lt 300 ]; do
    [ "$(metric 'holdcheck_offload_jobs{state="running"}')" -eq 0 ] &&
        [ "$(metric 'holdcheck_offload_jobs{state="queued"}')" -eq 0 ] && break
    sleep 0.1
    i=$((i + 1))
done
[ $i -lt 300 ] && ok "their jobs finish: nothing left running or queued" ||
    bad "their jobs finish: nothing left running or queued" "still busy after 30 s"
d1=$(metric 'holdcheck_offload_jobs_total{result="done"}')
[ $((d1 - d0)) -gt "$n_in" ] && ok "jobs of gone clients ran to the end ($((d1 - d0)) done, $n_in answered)" ||
    bad "jobs of gone clients ran to the end" "$((d1 - d0)) done, $n_in answered"
req_auth=$auth
req "the server answers after the hang-ups" 200 application/json 'DEMO-000001' -- \
    "$B/api/v1/bookings/DEMO-000001"
req_auth=""
# A job still running at stop: its client waits for it, the drain lets it finish.
logins 2 "$tmp/atstop"
sleep 0.05
srv_stop
wait_logins
unset HC_OFFLOAD_THREADS

echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
