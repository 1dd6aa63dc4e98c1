#!/bin/sh
# bench/public/run.sh: the public portal against nginx (`make bench-public`; docs/benchmarks.md,
# "Public portal"). Steps:
#   0. a 1,000,000-booking database: a copy of build/bench/server/bench.db when the server bench
#      left one of that size (BENCH_PUBLIC_DB names another), else bench/server/gen-db.sh;
#      `holdcheck migrate`; the first `serve` fills the people's name keys (timed);
#   1. the policy publishes every field; `holdcheck serve --threads 2` (rate limit raised out of
#      the way, snapshots off so no export runs during the measurement);
#   2. lookup: GET /api/v1/public/inmates/{no} for 20,000 in-custody bookings drawn at random;
#   3. search: GET /api/v1/public/inmates?last=L&first=F for every name of the database (the
#      first page of 25, each name shared by thousands of bookings);
#   4. nginx (2 workers, access_log off) serves the same answers, saved from holdcheck, as static
#      files; wrk with the same threads, connections, duration and Lua script against both.
# Target (issue 4): holdcheck >= 0.8x nginx's requests/s and p99 < 10 ms at 100 connections.
# Results: $BUILD/bench/public/summary.txt and summary.json. A missed target is reported, not a
# failure. Knobs: BENCH_PUBLIC_SECONDS (20), BENCH_PUBLIC_WARMUP (10), BENCH_PUBLIC_CONNECTIONS
# (100), BENCH_PUBLIC_DB.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
BUILD=${BUILD:-build}
hc=$(cd "$(dirname "$BUILD/holdcheck")" && pwd)/holdcheck
work=$(mkdir -p "$BUILD/bench/public" && cd "$BUILD/bench/public" && pwd)
SECS=${BENCH_PUBLIC_SECONDS:-20}
CONNS=${BENCH_PUBLIC_CONNECTIONS:-100}
WTHREADS=2
SRV_THREADS=2
NB=1000000
db=$work/bench.db
srv_pid=""
ng_pid=""

for tool in wrk nginx curl sqlite3 jq awk; do
    command -v "$tool" > /dev/null || { echo "bench/public/run.sh: $tool is missing" >&2; exit 2; }
done
stop_all() {
    [ -n "$srv_pid" ] && kill "$srv_pid" 2> /dev/null && wait "$srv_pid" 2> /dev/null
    [ -n "$ng_pid" ] && kill "$ng_pid" 2> /dev/null && wait "$ng_pid" 2> /dev/null
    srv_pid=""
    ng_pid=""
}
trap stop_all EXIT INT TERM

echo "== machine: $(nproc) CPUs, load average $(cut -d' ' -f1-3 /proc/loadavg) at the start"

# ---- 0. the database --------------------------------------------------------------------------
src=${BENCH_PUBLIC_DB:-$BUILD/bench/server/bench.db}
[ -s "$src" ] || src=$root/build/bench/server/bench.db
if [ -s "$src" ] && [ "$(sqlite3 "$src" 'SELECT count(*) FROM bookings' 2> /dev/null)" = "$NB" ]; then
    echo "== copying $src"
    rm -f "$db" "$db-wal" "$db-shm"
    sqlite3 "$src" ".backup '$db'"
else
    echo "== generating $NB bookings (bench/server/gen-db.sh)"
    sh "$root/bench/server/gen-db.sh" "$hc" "$db" "$NB" 5000 > /dev/null
fi
"$hc" migrate --db "$db" | sed 's/^/   /'
token=$("$hc" user add --db "$db" "bench-admin-$$" --role admin | sed -n 's/^token: //p')

# The listening line is printed at log level info (the default).
start_server_info() {
    "$hc" serve --db "$db" --threads "$SRV_THREADS" --listen 127.0.0.1:0 \
        --public-rate 1000000 --public-burst 10000000 --snapshot-keep-days 0 \
        > "$work/serve.out" 2> "$work/serve.log" &
    srv_pid=$!
    i=0
    port=""
    while [ $i -lt 3000 ]; do
        port=$(sed -n 's/^holdcheck: listening on http:\/\/127\.0\.0\.1:\([0-9]*\)$/\1/p' "$work/serve.out")
        [ -n "$port" ] && break
        kill -0 "$srv_pid" 2> /dev/null || { cat "$work/serve.log" >&2; exit 1; }
        sleep 0.1
        i=$((i + 1))
    done
    [ -n "$port" ] || { echo "server did not start" >&2; exit 1; }
    B=http://127.0.0.1:$port
}
t0=$(date +%s.%N)
start_server_info
t1=$(date +%s.%N)
echo "== serve started in $(echo "$t1 - $t0" | bc 2> /dev/null || echo "?") s ($(grep -o 'filled the search keys of [0-9]* people' "$work/serve.log" || echo 'no name keys to fill'))"

# ---- 1. the policy ------------------------------------------------------------------------------
curl -sf -o /dev/null -H "Authorization: Bearer $token" -H 'Content-Type: application/json' -X PUT \
    -d '{"published":["booking_no","name","booking_date","charges","bail","next_court_date","facility","custody_status","scheduled_release","recently_released"],"recently_released_days":7,"release_dates_public_elsewhere":false}' \
    "$B/api/v1/agency/publication"

# ---- samples and the answers nginx serves -----------------------------------------------------
ng=$work/nginx
rm -rf "$ng"
mkdir -p "$ng/root/api/v1/public/inmates" "$ng/root/s" "$ng/tmp"
sqlite3 "$db" "SELECT booking_no FROM bookings WHERE status = 'in_custody' ORDER BY random() LIMIT 20000" \
    > "$work/bookings.txt"
sqlite3 "$db" "SELECT DISTINCT name FROM people" |
    awk -F', ' 'NF == 2 { print tolower($1), tolower($2) }' | sort -u > "$work/queries.txt"
echo "== $(wc -l < "$work/bookings.txt") booking numbers, $(wc -l < "$work/queries.txt") name queries"
awk -v b="$B" -v d="$ng/root" '{ printf "url = \"%s/api/v1/public/inmates/%s\"\noutput = \"%s/api/v1/public/inmates/%s\"\n", b, $1, d, $1 }' \
    "$work/bookings.txt" > "$work/fetch.cfg"
awk -v b="$B" -v d="$ng/root" '{ printf "url = \"%s/api/v1/public/inmates?last=%s&first=%s\"\noutput = \"%s/s/%s-%s.json\"\n", b, $1, $2, d, $1, $2 }' \
    "$work/queries.txt" >> "$work/fetch.cfg"
curl -s --fail-early -K "$work/fetch.cfg" -w '%{http_code}\n' > "$work/fetch.codes"
bad_codes=$(grep -vc '^200$' "$work/fetch.codes" || true)
[ "$bad_codes" = 0 ] || { echo "saving answers: $bad_codes not 200" >&2; exit 1; }
cat > "$ng/nginx.conf" <<EOF
worker_processes 2;
pid $ng/nginx.pid;
error_log $ng/error.log;
daemon off;
events { worker_connections 1024; }
http {
    access_log off;
    client_body_temp_path $ng/tmp; proxy_temp_path $ng/tmp; fastcgi_temp_path $ng/tmp;
    uwsgi_temp_path $ng/tmp; scgi_temp_path $ng/tmp;
    default_type application/json;
    keepalive_requests 1000000;
    server {
        listen 127.0.0.1:0;
        root $ng/root;
        location = /api/v1/public/inmates { try_files /s/\$arg_last-\$arg_first.json =404; }
    }
}
EOF
# nginx cannot listen on port 0 and report it; pick a free port.
ngport=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
sed -i "s/listen 127.0.0.1:0;/listen 127.0.0.1:$ngport;/" "$ng/nginx.conf"
nginx -c "$ng/nginx.conf" -p "$ng" & ng_pid=$!
sleep 0.5
N=http://127.0.0.1:$ngport
q1=$(head -1 "$work/queries.txt")
curl -sf "$N/api/v1/public/inmates?last=$(echo "$q1" | cut -d' ' -f1)&first=$(echo "$q1" | cut -d' ' -f2)" > /dev/null ||
    { echo "nginx does not serve the saved answers" >&2; exit 1; }

# ---- the runs ---------------------------------------------------------------------------------
export HC_LUA_DIR="$root/bench/server" HC_BOOKINGS="$work/bookings.txt" HC_QUERIES="$work/queries.txt"
run_wrk() { # NAME SCRIPT URL
    HC_WRK_JSON="$work/$1.json" timeout $((SECS + 60)) wrk -t"$WTHREADS" -c"$CONNS" -d"$SECS"s \
        --timeout 10s --latency -s "$2" "$3" > "$work/$1.txt" 2>&1
    [ -s "$work/$1.json" ] || { cat "$work/$1.txt" >&2; exit 1; }
}
# Warm up (SQLite's page cache over a 900 MB file, the delivery thread's first status scan of
# every booking): cold, the first seconds of lookups have a p99 in the hundreds of ms.
WARM=${BENCH_PUBLIC_WARMUP:-10}
HC_WRK_JSON='' timeout 90 wrk -t2 -c"$CONNS" -d"$WARM"s -s "$here/lookup.lua" "$B" > /dev/null 2>&1 || true
HC_WRK_JSON='' timeout 90 wrk -t2 -c"$CONNS" -d"$WARM"s -s "$here/search.lua" "$B" > /dev/null 2>&1 || true
HC_WRK_JSON='' timeout 90 wrk -t2 -c"$CONNS" -d3s -s "$here/lookup.lua" "$N" > /dev/null 2>&1 || true
for kind in lookup search; do
    echo "== $kind: holdcheck, then nginx (${SECS}s each, -t$WTHREADS -c$CONNS)"
    run_wrk "$kind-holdcheck" "$here/$kind.lua" "$B"
    run_wrk "$kind-nginx" "$here/$kind.lua" "$N"
done
load_end=$(cut -d' ' -f1-3 /proc/loadavg)
rss=$(sed -n 's/^VmHWM:[[:space:]]*//p' "/proc/$srv_pid/status")
stop_all

# ---- summary ----------------------------------------------------------------------------------
{
    echo "public portal bench, $(date -u +%Y-%m-%dT%H:%M:%SZ), $(nproc) CPUs, load at the end $load_end"
    for kind in lookup search; do
        h=$work/$kind-holdcheck.json n=$work/$kind-nginx.json
        jq -r -n --slurpfile h "$h" --slurpfile n "$n" --arg k "$kind" '
            "\($k): holdcheck \($h[0].requests_per_s | floor)/s p99 \($h[0].latency_ms.p99) ms, errors \($h[0].errors | [.[]] | add), non-2xx \($h[0].errors.status);" +
            " nginx \($n[0].requests_per_s | floor)/s p99 \($n[0].latency_ms.p99) ms; ratio \(($h[0].requests_per_s / $n[0].requests_per_s * 100 | floor) / 100)" +
            (if ($h[0].requests_per_s / $n[0].requests_per_s) >= 0.8 and $h[0].latency_ms.p99 < 10 then " (target met)" else " (target missed)" end)'
    done
    echo "holdcheck peak RSS: $rss"
} | tee "$work/summary.txt"
jq -n --slurpfile lh "$work/lookup-holdcheck.json" --slurpfile ln "$work/lookup-nginx.json" \
    --slurpfile sh "$work/search-holdcheck.json" --slurpfile sn "$work/search-nginx.json" \
    '{lookup: {holdcheck: $lh[0], nginx: $ln[0]}, search: {holdcheck: $sh[0], nginx: $sn[0]}}' > "$work/summary.json"
