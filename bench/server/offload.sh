#!/bin/sh
# bench/server/offload.sh BEFORE AFTER [WORKDIR]: two holdcheck builds, the same run, the same
# database: what moving blocking work off the event loops changed (docs/benchmarks.md,
# "Session 8"). BEFORE and AFTER are holdcheck binaries (e.g. main's build and this branch's).
# For each of BENCH_OFFLOAD_REPS (3) rounds, BEFORE then AFTER, each on a fresh copy of the
# database, `serve --threads 2`:
#   1. lookups under writes: bench/server/mixed.sh without its nginx run: wrk's lookup
#      (lookup.lua, 2 threads, 32 connections) for BENCH_OFFLOAD_SECONDS (15) while the custody
#      feed (`import --upsert`, another process) changes 1 % of the bookings a minute and intake
#      posts 10 requests a second: the lookup's p50 and p99;
#   2. a login storm: 12 clients logging in back to back, each login on a new connection
#      (login.lua, correct password:
#      each login is an argon2id verification and a session written; wrong passwords would be
#      refused by the login throttle after 20 and cost nothing) while one wrk thread with 4
#      connections does the lookup: the lookup's p50 and p99, and the logins a second.
# Prints one line per run, then the median over the rounds of each figure for each build and
# AFTER/BEFORE; writes WORKDIR/offload.json. BENCH_OFFLOAD_STORM=0 leaves the login storm out
# (its figures are then null); BENCH_MIXED_WRITERS (mixed.sh) chooses the writers. The
# database: bench/server/gen-db.sh with BENCH_OFFLOAD_BOOKINGS (100000) bookings, made once in
# WORKDIR (default build/bench/offload).
set -eu
here=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=lib.sh
. "$here/lib.sh"
bench_init OFFLOAD build/bench/offload 15 "$@"
storm_on=${BENCH_OFFLOAD_STORM:-1}
bench_db "$nb"

trap hc_stop EXIT
trap 'exit 1' INT TERM

# wrk_run NAME SCRIPT THREADS CONNECTIONS: figures in $work/NAME.json.
wrk_run() {
    HC_WRK_JSON=$work/$1.json HC_LUA_DIR=$here timeout $((dur + 60)) wrk -t"$3" -c"$4" \
        -d"$dur"s --timeout 10s --latency -s "$here/$2" "$url" > "$work/$1.txt"
    [ -s "$work/$1.json" ] || { cat "$work/$1.txt" >&2; echo "wrk wrote no figures for $1" >&2; exit 1; }
}

echo '[]' > "$work/runs.json"
r=1
while [ "$r" -le "$reps" ]; do
    for which in before after; do
        bin=$before
        [ "$which" = after ] && bin=$after
        hc_start "$bin"
        BENCH_SERVER_CONNECTIONS=32 BENCH_SERVER_WRK_THREADS=2 \
            sh "$here/mixed.sh" "$bin" "$work/run.db" "$work/m" "$url" - "$dur" > /dev/null
        mixed=$(jq -c '{p50: .holdcheck.latency_ms.p50, p99: .holdcheck.latency_ms.p99,
                        rps: .holdcheck.requests_per_s, intake_created: .intake.created,
                        deltas: .feed.deltas_applied}' "$work/m/mixed.json")
        hc_stop
        storm='{"p50":null,"p99":null,"rps":null,"logins_per_s":null,"login_errors":null}'
        if [ "$storm_on" != 0 ]; then
            hc_start "$bin"
            wrk_run "logins-$which" login.lua 1 12 &
            lp=$!
            sleep 1
            wrk_run "storm-$which" lookup.lua 1 4
            wait "$lp"
            storm=$(jq -c --argjson l "$(cat "$work/logins-$which.json")" \
                '{p50: .latency_ms.p50, p99: .latency_ms.p99, rps: .requests_per_s,
                  logins_per_s: $l.requests_per_s, login_errors: $l.errors}' \
                "$work/storm-$which.json")
            hc_stop
        fi
        echo "round $r $which: under writes $mixed; login storm $storm"
        jq --arg w "$which" --argjson r "$r" --argjson m "$mixed" --argjson s "$storm" \
            '. + [{round: $r, build: $w, mixed: $m, storm: $s}]' "$work/runs.json" > "$work/runs.tmp"
        mv "$work/runs.tmp" "$work/runs.json"
    done
    r=$((r + 1))
done

jq --argjson nb "$nb" --argjson dur "$dur" '
    def median: sort | if length % 2 == 1 then .[length / 2 | floor]
                       else (.[length / 2 - 1] + .[length / 2]) / 2 end;
    def fig(b; f): [.[] | select(.build == b) | f] | if .[0] == null then null else median end;
    . as $runs |
    {bookings: $nb, seconds_a_run: $dur, rounds: ($runs | map(.round) | max), runs: $runs,
     median: {
       mixed_p50_ms: {before: fig("before"; .mixed.p50), after: fig("after"; .mixed.p50)},
       mixed_p99_ms: {before: fig("before"; .mixed.p99), after: fig("after"; .mixed.p99)},
       mixed_rps: {before: fig("before"; .mixed.rps), after: fig("after"; .mixed.rps)},
       storm_lookup_p50_ms: {before: fig("before"; .storm.p50), after: fig("after"; .storm.p50)},
       storm_lookup_p99_ms: {before: fig("before"; .storm.p99), after: fig("after"; .storm.p99)},
       storm_logins_per_s: {before: fig("before"; .storm.logins_per_s),
                            after: fig("after"; .storm.logins_per_s)}}}
    | .median |= with_entries(.value += {after_over_before:
        (if .value.before == null or .value.before == 0 then null
         else .value.after / .value.before end)})' \
    "$work/runs.json" > "$work/offload.json"
jq -r '.median | to_entries[] | select(.value.before != null) | "\(.key): before \(.value.before), after \(.value.after), after/before \(.value.after_over_before * 1000 | round / 1000)"' \
    "$work/offload.json"
