#!/bin/sh
# pg_serve.sh BINARY: `holdcheck serve` on PostgreSQL (tests/lib/pg.sh's throwaway cluster): two
# agencies' servers on one database, each answering for its own agency only: a booking written
# through one is read back through it and is not found through the other; the publication
# policy, the public search, intake and its decision, the read-access log and the audit chain,
# each agency apart. Ends with "N passed, M failed"; exits 1 on any failure.
set -u
cd "$(dirname "$0")/../.." || exit 1
. tests/lib/pg.sh
bin=${1:-build/holdcheck}
pass=0 fail=0
tmp=$(mktemp -d "${TMPDIR:-/tmp}/holdcheck-pgserve.XXXXXX") || exit 1
pid_a='' pid_b=''
ok() { pass=$((pass + 1)); echo "ok   $1"; }
bad() { fail=$((fail + 1)); echo "FAIL $1: $2"; }
cleanup() {
    for p in $pid_a $pid_b; do kill "$p" 2> /dev/null; wait "$p" 2> /dev/null; done
    pg_stop > /dev/null 2>&1
    rm -rf "$tmp"
}
trap cleanup EXIT INT TERM

pg_start || exit 1
owner=$PG_URL
app="postgresql://holdcheck_app:app@${PG_URL#*@}"
psql() { pg__as_owner "$PG_BIN/psql" -X -q -t -A -v ON_ERROR_STOP=1 "$owner" -c "$1"; }
psql "CREATE ROLE holdcheck_app LOGIN PASSWORD 'app'" > /dev/null || bad "role" "not created"
"$bin" migrate --db "$owner" > /dev/null 2>&1 || bad "migrate" "failed"
psql "INSERT INTO agencies (slug, name, created_at) VALUES
      ('alpha', 'Alpha County (synthetic)', '2026-01-01T00:00:00Z'),
      ('beta', 'Beta City (synthetic)', '2026-01-01T00:00:00Z')" > /dev/null || bad "agencies" "not added"
token() { "$bin" user add --db "$app?agency=$1" "$2" --role "$3" | sed -n 's/^token: //p'; }
AA=$(token alpha a-admin admin) AC=$(token alpha a-clerk clerk) BC=$(token beta b-clerk clerk)
[ -n "$AA" ] && [ -n "$AC" ] && [ -n "$BC" ] && ok "users of both agencies" || bad "users" "no token"

# serve AGENCY: start a server for the agency (a child of this shell, its pid in $srv_pid).
serve() {
    "$bin" serve --db "$app?agency=$1" --listen 127.0.0.1:0 --public-rate 1000 \
        --public-burst 100000 --snapshot-dir "$tmp/snaps-$1" --mail-outbox "$tmp/outbox-$1" \
        > "$tmp/$1.log" 2>&1 &
    srv_pid=$!
    echo "$srv_pid" > "$tmp/$1.pid"
}
# url AGENCY: its server's base URL once it answers /healthz; empty if it never does.
url() {
    i=0
    while [ $i -lt 300 ]; do
        port=$(sed -n 's/^holdcheck: listening on http:\/\/127\.0\.0\.1:\([0-9][0-9]*\)$/\1/p' "$tmp/$1.log")
        [ -n "$port" ] && curl -sf "http://127.0.0.1:$port/healthz" > /dev/null && break
        i=$((i + 1))
        sleep 0.1
    done
    [ -n "$port" ] && echo "http://127.0.0.1:$port"
}
serve alpha
pid_a=$srv_pid
serve beta
pid_b=$srv_pid
A=$(url alpha) B=$(url beta)
[ -n "$A" ] && [ -n "$B" ] && ok "a server for each agency answers /healthz" ||
    { bad "servers" "$(cat "$tmp/alpha.log" "$tmp/beta.log")"; exit 1; }

# code NAME WANT CURL-ARGS...: the status of one request, its body in $tmp/body.
code() {
    name=$1 want=$2
    shift 2
    got=$(curl -s -o "$tmp/body" -w '%{http_code}' "$@")
    [ "$got" = "$want" ] && ok "$name" || bad "$name" "status $got, want $want: $(head -c 300 "$tmp/body")"
}
J='Content-Type: application/json'
code "alpha books a person" 201 -H "Authorization: Bearer $AC" -H "$J" -d '{"booking_no":"PGS-1",
    "booked_at":"2026-11-30T10:00:00-08:00","facility":"Main Jail","person":{"name":"Testperson, Pgserve",
    "date_of_birth":"1990-01-02"},"charges":[{"citation":"PC 211","level":"felony"}]}' "$A/api/v1/bookings"
code "alpha reads it back" 200 -H "Authorization: Bearer $AC" "$A/api/v1/bookings/PGS-1"
grep -q '"Testperson, Pgserve"' "$tmp/body" && ok "with the person's name" || bad "name" "$(head -c 300 "$tmp/body")"
code "beta's server does not find alpha's booking" 404 -H "Authorization: Bearer $BC" "$B/api/v1/bookings/PGS-1"
code "alpha's token is not beta's" 401 -H "Authorization: Bearer $AC" "$B/api/v1/bookings/PGS-1"
code "alpha publishes names and bookings" 200 -H "Authorization: Bearer $AA" -H "$J" -X PUT \
    -d '{"published":["booking_no","name","booking_date","facility","custody_status"],"recently_released_days":7,"release_dates_public_elsewhere":false}' \
    "$A/api/v1/agency/publication"
code "alpha's public search" 200 "$A/api/v1/public/inmates?last=testperson"
grep -q 'PGS-1' "$tmp/body" && ok "finds the booking" || bad "public search" "$(head -c 300 "$tmp/body")"
code "beta's public search by name: refused, beta publishes no names" 400 \
    "$B/api/v1/public/inmates?last=testperson"
grep -q 'PGS-1' "$tmp/body" && bad "beta's public search" "shows alpha's booking" || ok "shows none of alpha's"
code "intake on alpha" 201 -H "Authorization: Bearer $AC" -H "$J" \
    -d '{"type":"notification","form":"I-247A","received_at":"2026-12-01T09:00:00-08:00"}' \
    "$A/api/v1/bookings/PGS-1/requests"
grep -q '"outcome"' "$tmp/body" && ok "decided" || bad "decision" "$(head -c 300 "$tmp/body")"

# The read log and the audit chain, in the database, each agency apart.
sleep 1.5
n=$(psql "SELECT count(*) FROM read_log r JOIN agencies a ON a.id = r.agency_id WHERE a.slug = 'alpha' AND r.object = 'PGS-1'")
[ "${n:-0}" -ge 1 ] && ok "alpha's reads are in its read log ($n)" || bad "read log" "$n entries"
n=$(psql "SELECT count(*) FROM read_log r JOIN agencies a ON a.id = r.agency_id WHERE a.slug = 'beta' AND r.user_name = 'a-clerk'")
[ "$n" = 0 ] && ok "none in beta's" || bad "beta's read log" "$n of alpha's"
for a in alpha beta; do
    kill "$(cat "$tmp/$a.pid")"
    wait "$(cat "$tmp/$a.pid")" 2> /dev/null
    st=$?
    [ "$st" = 0 ] && ok "$a's server stops on SIGTERM" || bad "$a's server stop" "exit $st: $(tail -3 "$tmp/$a.log")"
done
pid_a='' pid_b=''
out=$("$bin" audit verify --db "$app?agency=alpha" 2>&1) && echo "$out" | grep -q "chain intact" &&
    ok "alpha's chain intact: $(echo "$out" | tail -1)" || bad "alpha's chain" "$out"
grep -qi "error\|sanitizer" "$tmp/alpha.log" "$tmp/beta.log" && bad "server logs" "$(grep -i "error\|sanitizer" "$tmp/alpha.log" "$tmp/beta.log" | head -5)" || ok "server logs clean"

echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
