# common.sh: shared by tests/public/test_*.sh (sourced after tests/http/lib.sh). Adds:
#   pub_start DB [SERVE-FLAGS...]  start `$bin serve` on a free 127.0.0.1 port with extra flags,
#                                  its log in $tmp/serve.log; sets $pid, $port and $B
#   pub_stop [SIGNAL]              stop that server (TERM by default) and wait for it
#   wait_for SECONDS CMD...        run CMD every 0.2 s until it succeeds; 1 when it never did
#   admin_token DB NAME            create an admin with the CLI and print its token
#   set_policy FIELDS DAYS         PUT the publication policy (FIELDS: "a,b,c" or ""), as $AD
pub_start() {
    db=$1
    shift
    "$bin" serve --db "$db" --listen 127.0.0.1:0 "$@" > "$tmp/out" 2> "$tmp/serve.log" &
    pid=$!
    port=""
    i=0
    while [ $i -lt 150 ]; do
        port=$(sed -n 's/^holdcheck: listening on http:\/\/127\.0\.0\.1:\([0-9][0-9]*\)$/\1/p' "$tmp/out")
        [ -n "$port" ] && break
        kill -0 "$pid" 2>/dev/null || break
        sleep 0.1
        i=$((i + 1))
    done
    [ -n "$port" ] || { cat "$tmp/out" "$tmp/serve.log"; die "server did not start"; }
    B=http://127.0.0.1:$port
    i=0
    until curl -sf "$B/healthz" > /dev/null 2>&1; do
        i=$((i + 1))
        [ $i -lt 50 ] || die "server never became healthy"
        sleep 0.1
    done
}

pub_stop() {
    [ -n "$pid" ] || return 0
    kill "-${1:-TERM}" "$pid" 2>/dev/null
    wait "$pid" 2>/dev/null
    pid=""
}

wait_for() {
    secs=$1
    shift
    n=$((secs * 5))
    while [ $n -gt 0 ]; do
        "$@" > /dev/null 2>&1 && return 0
        sleep 0.2
        n=$((n - 1))
    done
    return 1
}

admin_token() {
    "$bin" user add --db "$1" "$2" --role admin | sed -n 's/^token: //p'
}

set_policy() {
    list=$(printf '%s' "$1" | awk -F, '{for (i = 1; i <= NF; i++) printf "%s\"%s\"", (i > 1 ? "," : ""), $i}')
    curl -s -o "$tmp/policy.json" -w '%{http_code}' -H "$AD" -H 'Content-Type: application/json' -X PUT \
        -d "{\"published\":[$list],\"recently_released_days\":${2:-7},\"release_dates_public_elsewhere\":false}" \
        "$B/api/v1/agency/publication"
}

# export_ready: the CSV export of the current policy is served (not 503).
export_ready() {
    [ "$(curl -s -o /dev/null -w '%{http_code}' "$B/api/v1/public/export.csv")" = 200 ]
}
