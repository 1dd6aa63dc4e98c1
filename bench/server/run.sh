#!/bin/sh
# bench/server/run.sh: the server benchmarks of issue 3 (docs/benchmarks.md, "Server"), in one
# run. `make bench-server` (and `make bench`) builds build/holdcheck
# and runs this; it builds nothing itself.
#
#   0. a 1,000,000-booking database (bench/server/gen-db.sh: `holdcheck demo` for a template
#      county, copied over by the sqlite3 shell), a clerk (`holdcheck user add`) and its token;
#   1. import: `holdcheck import` of 1,000,000 bookings with their charges, against the sqlite3
#      shell's `.import` of the same CSV rows into plain tables (target: <= 1.5x sqlite3's time).
#      Skipped, and reported as not measured, while `holdcheck import` does not exist;
#   2. lookup: `holdcheck serve --threads 2` answering GET /api/v1/bookings/{no} (bearer token)
#      against nginx (2 workers, access_log off) serving the same JSON, saved from real GET
#      answers, as static files; wrk with the same threads, connections, duration and Lua script
#      on 127.0.0.1, alternating servers for BENCH_SERVER_ROUNDS rounds (target: holdcheck >=
#      0.8x nginx's requests/s);
#      then the same lookup once more against a second server with the answer cache off
#      (reported beside the target figure: docs/benchmarks.md);
#   2b. lookup under writes (bench/server/mixed.sh): the same lookup against the first server
#      while the custody feed changes 1% of the bookings a minute (`holdcheck import --upsert`)
#      and intake runs at 10 requests/s, against nginx under the same load (target: holdcheck
#      >= 1.0x nginx's requests/s, p99 under 10 ms);
#   3. memory: the server's peak RSS (VmHWM of /proc/PID/status) after the lookup benchmark
#      (target: < 64 MB), and again after intake;
#   4. intake: POST /api/v1/bookings/{no}/requests as the clerk, booking numbers drawn over all
#      1,000,000 bookings (no peer; requests/s and latency percentiles);
#   5. when the lookup target is missed (BENCH_SERVER_PROFILE=auto), a short run of the server
#      under valgrind --tool=callgrind, and its hot spots.
#
# Results: build/bench/server-summary.json and server-summary.txt; work files (database, wrk
# output, logs, nginx config, profiles) in build/bench/server/. A missed target is reported, not a
# failure; the script fails only when something could not be run. Every load loop is bounded by
# wrk's -d and by timeout(1); only 127.0.0.1 is used; the servers started here are stopped by
# their process ids on exit.
#
# Environment (defaults): BUILD (build), BENCH_SERVER_BOOKINGS (1000000), BENCH_SERVER_TEMPLATE
# (5000), BENCH_SERVER_SAMPLE (20000 booking numbers for the lookup), BENCH_SERVER_CONNECTIONS
# (32), BENCH_SERVER_WRK_THREADS (2), BENCH_SERVER_DURATION (20 s a measured run),
# BENCH_SERVER_WARMUP (5 s), BENCH_SERVER_ROUNDS (2), BENCH_SERVER_IMPORT_RUNS (2 timed runs of
# each importer), BENCH_SERVER_PROFILE (auto | 1 | 0),
# BENCH_SERVER_KEEP_DB=1 reuses build/bench/server/bench.db when it has the right size (faster,
# but the intake of earlier runs stays in it).
set -eu

BUILD=${BUILD:-build}
NB=${BENCH_SERVER_BOOKINGS:-1000000}
TEMPLATE=${BENCH_SERVER_TEMPLATE:-5000}
SAMPLE=${BENCH_SERVER_SAMPLE:-20000}
CONNS=${BENCH_SERVER_CONNECTIONS:-32}
WTHREADS=${BENCH_SERVER_WRK_THREADS:-2}
DUR=${BENCH_SERVER_DURATION:-20}
WARM=${BENCH_SERVER_WARMUP:-5}
ROUNDS=${BENCH_SERVER_ROUNDS:-2}
PROFILE=${BENCH_SERVER_PROFILE:-auto}
SRV_THREADS=2
LOOKUP_TARGET=0.8
MEM_TARGET_KB=65536
IMPORT_TARGET=1.5

hc=$(cd "$(dirname "$BUILD/holdcheck")" && pwd)/holdcheck
here=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=lib.sh
. "$here/lib.sh"
out=$BUILD/bench
work=$out/server
mkdir -p "$work"
work=$(cd "$work" && pwd)
db=$work/bench.db
t_start=$(date +%s)

for tool in wrk nginx curl sqlite3 jq awk; do
    command -v "$tool" > /dev/null 2>&1 || {
        echo "bench/server/run.sh: $tool is missing (apt-get install -y wrk nginx-light curl sqlite3 jq)" >&2
        exit 1
    }
done
[ -x "$hc" ] || { echo "bench/server/run.sh: $hc not built (make $BUILD/holdcheck)" >&2; exit 1; }

# ---- processes we start, and stop on exit (by pid only) -----------------------------------------
hc_pid='' ng_pid='' vg_pid='' nc_pid=''
stop_pid() { # pid: SIGTERM, wait up to 10 s, then SIGKILL
    [ -n "$1" ] || return 0
    kill -TERM "$1" 2> /dev/null || return 0
    i=0
    while kill -0 "$1" 2> /dev/null && [ $i -lt 100 ]; do sleep 0.1; i=$((i + 1)); done
    kill -KILL "$1" 2> /dev/null || true
    wait "$1" 2> /dev/null || true
}
cleanup() {
    stop_pid "$vg_pid"; vg_pid=
    stop_pid "$nc_pid"; nc_pid=
    stop_pid "$hc_pid"; hc_pid=
    stop_pid "$ng_pid"; ng_pid=
}
trap cleanup EXIT
trap 'exit 130' INT TERM

free_port() { # a TCP port nobody listens on, from a range away from the usual ones
    p=$(( ( $$ * 7 + $(date +%S) * 131 ) % 20000 + 30000 ))
    while ss -ltnH 2> /dev/null | awk '{print $4}' | grep -q ":$p\$"; do p=$((p + 1)); done
    echo "$p"
}

# Start `holdcheck serve` (args after the database) with its output in $1; sets hc_pid, hc_port.
start_holdcheck() { # log [prefix command...]
    log=$1; shift
    "$@" "$hc" serve --db "$db" --threads "$SRV_THREADS" --listen 127.0.0.1:0 > "$log" 2>&1 &
    hc_pid=$!
    i=0
    while ! grep -q 'listening on http://' "$log" 2> /dev/null; do
        kill -0 "$hc_pid" 2> /dev/null || { cat "$log" >&2; echo "holdcheck serve exited" >&2; exit 1; }
        [ $i -lt 1200 ] || { cat "$log" >&2; echo "holdcheck serve did not start" >&2; exit 1; }
        sleep 0.1; i=$((i + 1))
    done
    hc_port=$(sed -n 's|.*listening on http://127\.0\.0\.1:\([0-9]*\).*|\1|p' "$log" | head -1)
}

# run_wrk NAME SCRIPT URL SECONDS: wrk's text in $work/NAME.txt, its figures in $work/NAME.json.
run_wrk() {
    HC_WRK_JSON=$work/$1.json HC_LUA_DIR=$here \
        timeout $(($4 + 60)) wrk -t"$WTHREADS" -c"$CONNS" -d"$4"s --timeout 10s --latency \
        -s "$2" "$3" > "$work/$1.txt"
    [ -s "$work/$1.json" ] || { cat "$work/$1.txt" >&2; echo "wrk wrote no figures for $1" >&2; exit 1; }
}
rps() { jq -r '.requests_per_s | round' "$work/$1.json"; }

status_kb() { # pid field: a /proc/PID/status value in kB
    awk -v f="$2:" '$1 == f { print $2 }' "/proc/$1/status"
}

# ---- the machine ------------------------------------------------------------------------------
cpu_model=$(sed -n 's/^model name[[:space:]]*:[[:space:]]*//p' /proc/cpuinfo 2> /dev/null | head -1)
[ -n "$cpu_model" ] || cpu_model=$(uname -m)
ncpu=$(nproc 2> /dev/null || echo 0)
mem_gb=$(awk '/^MemTotal:/ { printf "%.1f", $2 / 1048576 }' /proc/meminfo)
load=$(cut -d' ' -f1-3 /proc/loadavg)
when=$(date -u '+%Y-%m-%d %H:%M UTC')
rev=$(git rev-parse --short HEAD 2> /dev/null || echo unknown)
if git diff-index --quiet HEAD -- 2> /dev/null; then dirty=false; else dirty=true; fi
kernel=$(uname -r)
os=$(. /etc/os-release 2> /dev/null && echo "$PRETTY_NAME" || uname -s)
wrkv=$(wrk -v 2>&1 | head -1 | awk '{print $1, $2}')
ngv=$(nginx -v 2>&1 | sed 's/.*: //')
sqlv=$(sqlite3 --version | awk '{print $1}')
echo "== machine: $cpu_model, $ncpu CPUs, $mem_gb GB, load average $load; $when; commit $rev" \
     "(working tree differs from HEAD: $dirty)"
echo "   $os, Linux $kernel; $wrkv; $ngv; sqlite3 shell $sqlv"

# ---- 0. the database --------------------------------------------------------------------------
gen_s=0
have=0
if [ -n "${BENCH_SERVER_KEEP_DB:-}" ] && [ -s "$db" ]; then
    have=$(sqlite3 "$db" 'SELECT count(*) FROM bookings' 2> /dev/null || echo 0)
fi
if [ "$have" -eq "$NB" ]; then
    echo "== reusing $db ($NB bookings)"
    "$hc" migrate --db "$db" | sed 's/^/   /' # a database from an older build (no-op if current)
else
    echo "== generating $NB bookings into $db (bench/server/gen-db.sh, template $TEMPLATE)"
    t0=$(date +%s.%N)
    sh "$here/gen-db.sh" "$hc" "$db" "$NB" "$TEMPLATE" | sed 's/^/   /'
    t1=$(date +%s.%N)
    gen_s=$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.1f", b - a }')
fi
db_bytes=$(wc -c < "$db" | tr -d ' ')
counts=$(sqlite3 -separator ' ' "$db" "SELECT (SELECT count(*) FROM bookings), (SELECT count(*) FROM people),
    (SELECT count(*) FROM charges), (SELECT count(*) FROM convictions),
    (SELECT count(*) FROM immigration_requests), (SELECT count(*) FROM decisions)")
read -r n_bookings n_people n_charges n_convictions n_requests n_decisions <<EOF
$counts
EOF
echo "   $n_bookings bookings, $n_people people, $n_charges charges, $n_convictions convictions," \
     "$n_requests requests, $n_decisions decisions; $db_bytes bytes (generated in ${gen_s}s)"

clerk="bench-clerk-$(date +%s)-$$"
token=$("$hc" user add --db "$db" "$clerk" --role clerk | sed -n 's/^token: //p')
[ -n "$token" ] || { echo "holdcheck user add printed no token" >&2; exit 1; }
export HC_TOKEN="$token"

# ---- 1. import --------------------------------------------------------------------------------
import_json='{"status": "not measured: import not yet implemented"}'
if "$hc" import --help > /dev/null 2>&1 && [ -f "$here/import.sh" ]; then
    echo "== import: holdcheck import vs sqlite3 .import"
    sh "$here/import.sh" "$hc" "$work" "$NB"
    import_json=$(cat "$work/import.json")
else
    echo "== import: not measured: import not yet implemented (holdcheck import --help fails)"
fi

# ---- 2. lookup: holdcheck and nginx -----------------------------------------------------------
echo "== lookup: holdcheck serve --threads $SRV_THREADS on the $n_bookings-booking database"
start_holdcheck "$work/serve.log"
hc_url=http://127.0.0.1:$hc_port
hwm_start=$(status_kb "$hc_pid" VmHWM)
echo "   pid $hc_pid, $hc_url; VmHWM after start $hwm_start kB"

# The sample: SAMPLE distinct booking numbers, uniform over all of them (deterministic).
awk -v n="$n_bookings" -v s="$SAMPLE" 'BEGIN { srand(20261122); while (k < s) { i = 1 + int(rand() * n);
    if (!(i in seen)) { seen[i] = 1; k++; printf "DEMO-%06d\n", i } } }' > "$work/lookup-bookings.txt"
export HC_BOOKINGS="$work/lookup-bookings.txt"

# nginx's document root: every sampled booking's GET answer, saved as a file of the same path.
ng=$work/nginx
rm -rf "$ng"
mkdir -p "$ng/www/api/v1/bookings" "$ng/tmp"
chmod 755 "$work" "$ng" "$ng/www" "$ng/www/api" "$ng/www/api/v1" "$ng/www/api/v1/bookings"
awk -v u="$hc_url" -v d="$ng/www/api/v1/bookings" \
    '{ printf "url = \"%s/api/v1/bookings/%s\"\noutput = \"%s/%s\"\n", u, $1, d, $1 }' \
    "$HC_BOOKINGS" > "$work/fetch.curl"
echo "   saving $SAMPLE GET answers for nginx (one curl, keep-alive)"
timeout 300 curl -s -K "$work/fetch.curl" -H "Authorization: Bearer $token" -w '%{http_code}\n' \
    > "$work/fetch.codes"
bad=$(grep -vc '^200$' "$work/fetch.codes" || true)
[ "$bad" -eq 0 ] || { echo "   $bad GETs did not answer 200" >&2; exit 1; }
static_bytes=$(cat "$ng"/www/api/v1/bookings/* | wc -c | tr -d ' ')
echo "   $SAMPLE files, $static_bytes bytes (mean $((static_bytes / SAMPLE)) bytes a booking)"

ng_port=$(free_port)
first=$(head -1 "$HC_BOOKINGS")
ng_start "$ng" "$ng_port" "$SRV_THREADS" "$first"
curl -s -o "$ng/check.json" "$ng_url/api/v1/bookings/$first"
cmp -s "$ng/www/api/v1/bookings/$first" "$ng/check.json" ||
    { echo "nginx serves another body than holdcheck" >&2; exit 1; }
echo "   nginx $ngv, pid $ng_pid, $ng_url, $SRV_THREADS workers"

lua=$here/lookup.lua
echo "   wrk -t$WTHREADS -c$CONNS, ${WARM}s warm-up each, then $ROUNDS rounds of ${DUR}s each," \
     "alternating"
run_wrk lookup-warm-holdcheck "$lua" "$hc_url" "$WARM"
run_wrk lookup-warm-nginx "$lua" "$ng_url" "$WARM"
r=1
while [ $r -le "$ROUNDS" ]; do
    run_wrk "lookup-holdcheck-$r" "$lua" "$hc_url" "$DUR"
    run_wrk "lookup-nginx-$r" "$lua" "$ng_url" "$DUR"
    echo "   round $r: holdcheck $(rps "lookup-holdcheck-$r") req/s, nginx $(rps "lookup-nginx-$r") req/s"
    r=$((r + 1))
done
hwm_lookup=$(status_kb "$hc_pid" VmHWM)
rss_lookup=$(status_kb "$hc_pid" VmRSS)
echo "   holdcheck VmHWM after the lookup benchmark: $hwm_lookup kB (VmRSS $rss_lookup kB)"

# The same lookup with the answer cache off (--answer-cache-bytes 0): every GET reads SQLite.
# Reported beside the target figure, not instead of it: it is what a lookup costs when the
# booking is not among those read since the database last changed.
# The first server stays up, idle, for the intake below.
echo "== lookup with the answer cache off: one round of ${DUR}s each"
main_pid=$hc_pid main_port=$hc_port
start_holdcheck "$work/serve-nocache.log" env HOLDCHECK_ANSWER_CACHE_BYTES=0
nc_pid=$hc_pid
run_wrk lookup-warm-nocache "$lua" "http://127.0.0.1:$hc_port" "$WARM"
run_wrk lookup-nocache "$lua" "http://127.0.0.1:$hc_port" "$DUR"
run_wrk lookup-nocache-nginx "$lua" "$ng_url" "$DUR"
hwm_nocache=$(status_kb "$nc_pid" VmHWM)
echo "   holdcheck (cache off) $(rps lookup-nocache) req/s, nginx $(rps lookup-nocache-nginx) req/s;" \
     "its VmHWM $hwm_nocache kB"
stop_pid "$nc_pid"; nc_pid=
hc_pid=$main_pid hc_port=$main_port

# ---- 2b. lookup while the feed and intake write -----------------------------------------------
echo "== lookup under writes: the feed changes 1% of the bookings a minute, intake 10 requests/s"
sh "$here/mixed.sh" "$hc" "$db" "$work" "$hc_url" "$ng_url" "$DUR"
echo "   holdcheck $(rps mixed-holdcheck) req/s (p99 $(jq -r '.latency_ms.p99 * 100 | round / 100' \
    "$work/mixed-holdcheck.json") ms), nginx $(rps mixed-nginx) req/s"
stop_pid "$ng_pid"; ng_pid=

# ---- 4. intake --------------------------------------------------------------------------------
req_before=$(sqlite3 "$db" 'SELECT count(*) FROM immigration_requests')
echo "== intake: POST /api/v1/bookings/{no}/requests as a clerk, over all $n_bookings bookings"
lua=$here/intake.lua
export HC_NBOOKINGS="$n_bookings"
run_wrk intake-warm "$lua" "$hc_url" "$WARM"
run_wrk intake "$lua" "$hc_url" "$DUR"
echo "   $(rps intake) req/s"
hwm_end=$(status_kb "$hc_pid" VmHWM)
stop_pid "$hc_pid"; hc_pid=
req_after=$(sqlite3 "$db" 'SELECT count(*) FROM immigration_requests')
echo "   $((req_after - req_before)) requests stored (warm-up included); VmHWM at the end $hwm_end kB"

# ---- summary ----------------------------------------------------------------------------------
rounds_json=$(r=1; while [ $r -le "$ROUNDS" ]; do
    printf '{"round": %d, "holdcheck": %s, "nginx": %s}\n' "$r" \
        "$(cat "$work/lookup-holdcheck-$r.json")" "$(cat "$work/lookup-nginx-$r.json")"
    r=$((r + 1)); done | jq -s .)
wall_s=$(( $(date +%s) - t_start ))
load_end=$(cut -d' ' -f1-3 /proc/loadavg)
jq -n --argjson rounds "$rounds_json" --argjson intake "$(cat "$work/intake.json")" \
    --argjson imp "$import_json" \
    --arg cpu "$cpu_model" --argjson ncpu "$ncpu" --arg mem "$mem_gb" --arg load "$load" \
    --arg load_end "$load_end" --arg when "$when" --arg rev "$rev" --argjson dirty "$dirty" \
    --arg os "$os" --arg kernel "$kernel" --arg wrk "$wrkv" --arg nginx "$ngv" --arg sqlite "$sqlv" \
    --argjson nb "$n_bookings" --argjson np "$n_people" --argjson nch "$n_charges" \
    --argjson ncv "$n_convictions" --argjson nrq "$n_requests" --argjson nd "$n_decisions" \
    --argjson dbb "$db_bytes" --arg gen "$gen_s" --argjson sample "$SAMPLE" \
    --argjson sbytes "$static_bytes" --argjson conns "$CONNS" --argjson wthreads "$WTHREADS" \
    --argjson dur "$DUR" --argjson warm "$WARM" --argjson sthreads "$SRV_THREADS" \
    --argjson hwm0 "$hwm_start" --argjson hwm1 "$hwm_lookup" --argjson rss1 "$rss_lookup" \
    --argjson hwm2 "$hwm_end" --argjson hwmnc "$hwm_nocache" \
    --argjson nc "$(cat "$work/lookup-nocache.json")" \
    --argjson ncng "$(cat "$work/lookup-nocache-nginx.json")" \
    --argjson mixed "$(cat "$work/mixed.json")" --argjson rq0 "$req_before" --argjson rq1 "$req_after" \
    --argjson lt "$LOOKUP_TARGET" --argjson mt "$MEM_TARGET_KB" --argjson it "$IMPORT_TARGET" \
    --argjson wall "$wall_s" '
    def sum(f): map(f) | add;
    ($rounds | sum(.holdcheck.requests) / sum(.holdcheck.duration_s)) as $h
    | ($rounds | sum(.nginx.requests) / sum(.nginx.duration_s)) as $n
    | {date: $when, commit: $rev, working_tree_differs_from_head: $dirty, wall_seconds: $wall,
       machine: {cpu: $cpu, nproc: $ncpu, mem_gb: ($mem | tonumber), os: $os, kernel: $kernel,
                 loadavg_start: $load, loadavg_end: $load_end, wrk: $wrk, nginx: $nginx,
                 sqlite3_shell: $sqlite},
       database: {bookings: $nb, people: $np, charges: $nch, convictions: $ncv,
                  requests: $nrq, decisions: $nd, bytes: $dbb,
                  generated_seconds: ($gen | tonumber),
                  how: "bench/server/gen-db.sh: holdcheck demo (template) + sqlite3 copies"},
       "import": ($imp + {target_ratio_max: $it}),
       lookup: {route: "GET /api/v1/bookings/{booking_no}", sample_bookings: $sample,
                static_bytes: $sbytes, mean_body_bytes: ($sbytes / $sample),
                wrk: {threads: $wthreads, connections: $conns, duration_s: $dur, warmup_s: $warm},
                holdcheck_threads: $sthreads, nginx_workers: $sthreads,
                rounds: $rounds,
                holdcheck_requests_per_s: $h, nginx_requests_per_s: $n,
                ratio_holdcheck_over_nginx: ($h / $n),
                ratio_per_round: [$rounds[] | .holdcheck.requests_per_s / .nginx.requests_per_s],
                holdcheck_latency_ms: $rounds[-1].holdcheck.latency_ms,
                nginx_latency_ms: $rounds[-1].nginx.latency_ms,
                errors: ($rounds | sum(.holdcheck.errors.status + .holdcheck.errors.timeout
                                       + .nginx.errors.status + .nginx.errors.timeout)),
                target_ratio_min: $lt, met: (($h / $n) >= $lt),
                answer_cache: "on (default answer_cache_bytes)",
                without_answer_cache: {holdcheck: $nc, nginx: $ncng,
                                       ratio: ($nc.requests_per_s / $ncng.requests_per_s),
                                       vmhwm_kb: $hwmnc},
                under_writes: $mixed},
       memory: {vmhwm_kb_after_start: $hwm0, vmhwm_kb_after_lookup: $hwm1,
                vmrss_kb_after_lookup: $rss1, vmhwm_kb_after_intake: $hwm2,
                target_kb_max: $mt, met: ($hwm1 < $mt)},
       intake: {route: "POST /api/v1/bookings/{booking_no}/requests", role: "clerk",
                wrk: {threads: $wthreads, connections: $conns, duration_s: $dur},
                requests_per_s: $intake.requests_per_s, latency_ms: $intake.latency_ms,
                requests: $intake.requests, errors: $intake.errors,
                stored_requests_with_warmup: ($rq1 - $rq0)}}' > "$out/server-summary.json"

summarize() {
jq -r '
  def r(n): (. * pow(10; n) | round) / pow(10; n);
  def met(b): if b then "met" else "MISSED" end;
  def lat: "p50 \(.p50 | r(2)) ms, p90 \(.p90 | r(2)) ms, p99 \(.p99 | r(2)) ms, max \(.max | r(1)) ms";
  "== server summary (\(.date), commit \(.commit)\(if .working_tree_differs_from_head then ", working tree differs" else "" end), \(.wall_seconds) s)",
  "   machine: \(.machine.cpu), \(.machine.nproc) CPUs, \(.machine.mem_gb) GB; load \(.machine.loadavg_start) -> \(.machine.loadavg_end)",
  "   database: \(.database.bookings) bookings, \(.database.charges) charges, \(.database.convictions) convictions, \(.database.decisions) decisions, \(.database.bytes / 1e6 | r(1)) MB",
  (if ."import".holdcheck_timed_out then
     "   import: holdcheck did not finish within \(."import".holdcheck_timeout_s) s (stopped); sqlite3 .import \(."import".sqlite3_s | r(2)) s: ratio > \(."import".ratio_at_least | r(1)); target <= \(."import".target_ratio_max): MISSED"
   elif ."import".holdcheck_s then
     "   import: holdcheck \(."import".holdcheck_s | r(2)) s, sqlite3 .import \(."import".sqlite3_s | r(2)) s: ratio \(."import".ratio | r(2)); target <= \(."import".target_ratio_max): \(met(."import".ratio <= ."import".target_ratio_max))"
   else "   import: \(."import".status)" end),
  "   lookup (\(.lookup.sample_bookings) bookings, mean \(.lookup.mean_body_bytes | round) bytes; wrk -t\(.lookup.wrk.threads) -c\(.lookup.wrk.connections), \(.lookup.rounds | length) x \(.lookup.wrk.duration_s) s each):",
  "     holdcheck --threads \(.lookup.holdcheck_threads): \(.lookup.holdcheck_requests_per_s | round) req/s; \(.lookup.holdcheck_latency_ms | lat)",
  "     nginx, \(.lookup.nginx_workers) workers:      \(.lookup.nginx_requests_per_s | round) req/s; \(.lookup.nginx_latency_ms | lat)",
  "     holdcheck/nginx = \(.lookup.ratio_holdcheck_over_nginx | r(3)) (rounds: \(.lookup.ratio_per_round | map(r(3)) | join(", "))); target >= \(.lookup.target_ratio_min): \(met(.lookup.met))",
  "     answer cache off: holdcheck \(.lookup.without_answer_cache.holdcheck.requests_per_s | round) req/s (\(.lookup.without_answer_cache.holdcheck.latency_ms | lat)), nginx \(.lookup.without_answer_cache.nginx.requests_per_s | round) req/s: ratio \(.lookup.without_answer_cache.ratio | r(3)); VmHWM \(.lookup.without_answer_cache.vmhwm_kb) kB",
  "     under writes (feed: \(.lookup.under_writes.feed.bookings_a_delta) bookings every \(.lookup.under_writes.feed.every_s) s, \(.lookup.under_writes.feed.deltas_applied) deltas, each \(.lookup.under_writes.feed.delta_seconds | min | r(2))-\(.lookup.under_writes.feed.delta_seconds | max | r(2)) s; intake \(.lookup.under_writes.intake.created) created): holdcheck \(.lookup.under_writes.holdcheck.requests_per_s | round) req/s (\(.lookup.under_writes.holdcheck.latency_ms | lat)), nginx \(.lookup.under_writes.nginx.requests_per_s | round) req/s: ratio \(.lookup.under_writes.ratio | r(3)); target >= 1.0 and p99 < 10 ms: \(met(.lookup.under_writes.met))",
  "   memory: VmHWM \(.memory.vmhwm_kb_after_lookup) kB (\(.memory.vmhwm_kb_after_lookup / 1024 | r(1)) MiB) after the lookup; target < 64 MB: \(met(.memory.met)); \(.memory.vmhwm_kb_after_intake) kB after intake",
  "   intake: \(.intake.requests_per_s | round) req/s; \(.intake.latency_ms | lat); non-2xx \(.intake.errors.status), timeouts \(.intake.errors.timeout)",
  (if .lookup.errors > 0 then "   WARNING: \(.lookup.errors) lookup answers were errors or timeouts" else empty end)
' "$out/server-summary.json"
}
summarize | tee "$out/server-summary.txt"

# ---- 5. profile a missed lookup target --------------------------------------------------------
met=$(jq -r .lookup.met "$out/server-summary.json")
if [ "$PROFILE" = 1 ] || { [ "$PROFILE" = auto ] && [ "$met" = false ]; }; then
    if command -v valgrind > /dev/null 2>&1; then
        echo "== profile: holdcheck serve under valgrind --tool=callgrind, 10 s of lookups"
        rm -f "$work"/callgrind.out.*
        SRV_THREADS=1
        start_holdcheck "$work/callgrind.log" valgrind --tool=callgrind \
            --callgrind-out-file="$work/callgrind.out.%p"
        vg_pid=$hc_pid; hc_pid=
        HC_WRK_JSON=$work/profile.json HC_LUA_DIR=$here timeout 60 wrk -t1 -c4 -d10s --timeout 10s \
            -s "$here/lookup.lua" "http://127.0.0.1:$hc_port" > "$work/profile.txt" || true
        kill -TERM "$vg_pid" 2> /dev/null || true
        i=0
        while kill -0 "$vg_pid" 2> /dev/null && [ $i -lt 600 ]; do sleep 0.1; i=$((i + 1)); done
        stop_pid "$vg_pid"; vg_pid=
        cg=''
        for f in "$work"/callgrind.out.*; do
            [ -f "$f" ] && cg=$f && break
        done
        if [ -n "$cg" ]; then
            callgrind_annotate --inclusive=yes "$cg" 2> /dev/null | head -60 > "$work/callgrind-inclusive.txt"
            callgrind_annotate "$cg" 2> /dev/null | head -50 > "$work/callgrind-self.txt"
            echo "   $(jq -r '.requests' "$work/profile.json" 2> /dev/null || echo '?') requests profiled;" \
                 "hot spots: $work/callgrind-inclusive.txt, callgrind-self.txt"
            sed -n '/Ir/,$p' "$work/callgrind-self.txt" | head -25 | sed 's/^/   /'
        fi
    else
        echo "== profile: valgrind is not installed; skipped"
    fi
fi
echo "   (figures in $out/server-summary.json; wrk output, logs and nginx config in $work)"
