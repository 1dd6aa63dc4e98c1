#!/bin/sh
# bench/server/tail.sh BEFORE AFTER [WORKDIR]: where the lookups' tail under writes comes from
# (docs/benchmarks.md, "Session 10"). BEFORE and AFTER are holdcheck binaries (e.g. main's
# build and a branch's). For each of BENCH_TAIL_REPS (3) rounds, and for the writers
# "feed,intake" (mixed.sh's load: a delta of 1 % of the bookings a minute, intake at 10/s) and
# "none" (the same lookups and nothing else), on a fresh copy of the database each time:
#   1. BEFORE: `serve --threads 2`, mixed.sh's lookup for BENCH_TAIL_SECONDS (10);
#   2. AFTER: the same, then nginx (2 workers, the saved answers) under the same writers: the
#      peer's tail is what the machine itself adds (the writers' CPU, the other tenants of a
#      shared VM, wrk on the same cores), since nginx has nothing to wait for.
# Prints one line per run and the medians; writes WORKDIR/tail.json. The database is
# offload.sh's (gen-db.sh, BENCH_TAIL_BOOKINGS = 100000 bookings), made once in WORKDIR.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=lib.sh
. "$here/lib.sh"
bench_init TAIL build/bench/tail 10 "$@"
for tool in wrk nginx curl sqlite3 jq; do
    command -v "$tool" > /dev/null 2>&1 || { echo "bench/server/tail.sh: $tool is missing" >&2; exit 1; }
done
bench_db "$nb"

stop_all() {
    hc_stop
    [ -z "$ng_pid" ] || { kill "$ng_pid" 2> /dev/null; wait "$ng_pid" 2> /dev/null || true; }
    ng_pid=''
}
trap stop_all EXIT
trap 'exit 1' INT TERM

# ---- nginx: the saved answers of the sample ----------------------------------------------------
ng=$work/nginx
rm -rf "$ng"
mkdir -p "$ng/www/api/v1/bookings"
hc_start "$after"
awk -v u="$url" -v d="$ng/www/api/v1/bookings" \
    '{ printf "url = \"%s/api/v1/bookings/%s\"\noutput = \"%s/%s\"\n", u, $1, d, $1 }' \
    "$HC_BOOKINGS" > "$work/fetch.curl"
timeout 300 curl -s -K "$work/fetch.curl" -H "Authorization: Bearer $HC_TOKEN" \
    -w '%{http_code}\n' > "$work/fetch.codes"
hc_stop
[ "$(grep -vc '^200$' "$work/fetch.codes" || true)" -eq 0 ] || { echo "GETs did not answer 200" >&2; exit 1; }
ng_port=$(awk 'BEGIN { srand(); print 20000 + int(rand() * 20000) }')
ng_start "$ng" "$ng_port" 2 "$(head -1 "$HC_BOOKINGS")"

# ---- the rounds --------------------------------------------------------------------------------
echo '[]' > "$work/runs.json"
r=1
while [ "$r" -le "$reps" ]; do
    for writers in feed,intake none; do
        for which in before after; do
            bin=$before peer=-
            [ "$which" = after ] && bin=$after peer=$ng_url
            hc_start "$bin"
            BENCH_MIXED_WRITERS=$writers BENCH_SERVER_CONNECTIONS=32 BENCH_SERVER_WRK_THREADS=2 \
                sh "$here/mixed.sh" "$bin" "$work/run.db" "$work/m" "$url" "$peer" "$dur" > /dev/null
            hc_stop
            fig=$(jq -c --arg w "$writers" --arg b "$which" --argjson r "$r" \
                --arg load "$(cut -d' ' -f1 /proc/loadavg)" '
                {round: $r, writers: $w, build: $b, load: ($load | tonumber),
                 p50: .holdcheck.latency_ms.p50, p99: .holdcheck.latency_ms.p99,
                 rps: .holdcheck.requests_per_s,
                 nginx_p99: (if $b == "after" then .nginx.latency_ms.p99 else null end),
                 nginx_rps: (if $b == "after" then .nginx.requests_per_s else null end)}' \
                "$work/m/mixed.json")
            echo "$fig"
            jq --argjson f "$fig" '. + [$f]' "$work/runs.json" > "$work/runs.tmp"
            mv "$work/runs.tmp" "$work/runs.json"
        done
    done
    r=$((r + 1))
done

jq '
    def median: sort | if length % 2 == 1 then .[length / 2 | floor]
                       else (.[length / 2 - 1] + .[length / 2]) / 2 end;
    def fig(w; b; f): [.[] | select(.writers == w and .build == b) | f] | median;
    . as $runs | {runs: $runs, median: [("feed,intake", "none") as $w | {writers: $w,
        before_p99: fig($w; "before"; .p99), after_p99: fig($w; "after"; .p99),
        nginx_p99: fig($w; "after"; .nginx_p99),
        before_p50: fig($w; "before"; .p50), after_p50: fig($w; "after"; .p50),
        after_rps_over_nginx: fig($w; "after"; .rps / .nginx_rps),
        load: fig($w; "after"; .load)}]}' "$work/runs.json" > "$work/tail.json"
jq -r '.median[] | "writers \(.writers): p99 before \(.before_p99) ms, after \(.after_p99) ms, nginx \(.nginx_p99) ms; p50 before \(.before_p50), after \(.after_p50); after/nginx req/s \(.after_rps_over_nginx * 1000 | round / 1000); load \(.load)"' \
    "$work/tail.json"
