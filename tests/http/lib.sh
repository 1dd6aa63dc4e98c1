# lib.sh: shared by the HTTP test scripts (sourced; set `bin` first). Gives a temporary
# directory $tmp removed on exit together with the server, the counters, and:
#   ok NAME / bad NAME WHY / die WHY   record an outcome (die also ends the run)
#   req NAME STATUS CTYPE PATTERN -- CURL-ARGS...
#       one request: checks the status, the media type (when CTYPE is not empty) and that the
#       body contains PATTERN (grep -F, when not empty). $req_auth, when set, is sent as a header
#       first. The response is left in $tmp/body and $tmp/hdr.
#   jq_is NAME FILTER WANT
#       the last body's jq -r FILTER equals WANT
#   stop_server_clean
#       stop it with SIGTERM and check it exits 0 within 10 s with no assertion or sanitizer
#       report in its log (ASan, UBSan and LeakSanitizer write there)
#   start_server DB [SERVE-ARGS...]
#       start `$bin serve` on a free 127.0.0.1 port (with any further arguments); sets $pid and
#       $B (base URL) once /healthz answers.
tmp=$(mktemp -d)
pass=0
fail=0
pid=""
req_auth=""

cleanup() {
    if [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null; then
        kill -TERM "$pid" 2>/dev/null
        wait "$pid" 2>/dev/null
    fi
    rm -rf "$tmp"
}
trap cleanup EXIT INT TERM

ok() { pass=$((pass + 1)); echo "ok   $1"; }
bad() { fail=$((fail + 1)); echo "FAIL $1: $2"; }
die() { echo "$1"; echo "$pass passed, $((fail + 1)) failed"; exit 1; }

req() {
    name=$1 want=$2 ctype=$3 pat=$4
    shift 5
    [ -n "$req_auth" ] && set -- -H "$req_auth" "$@"
    code=$(curl -s -o "$tmp/body" -D "$tmp/hdr" -w '%{http_code}' --max-time 10 "$@") || code="curl-error"
    got_ctype=$(tr -d '\r' < "$tmp/hdr" | sed -n 's/^[Cc]ontent-[Tt]ype: *//p' | tail -1)
    if [ "$code" != "$want" ]; then
        bad "$name" "status $code, want $want: $(head -c 300 "$tmp/body")"
    elif [ -n "$ctype" ] && [ "$got_ctype" != "$ctype" ]; then
        bad "$name" "content-type '$got_ctype', want '$ctype'"
    elif [ -n "$pat" ] && ! grep -qF -- "$pat" "$tmp/body"; then
        bad "$name" "body lacks '$pat': $(head -c 300 "$tmp/body")"
    else
        ok "$name"
    fi
}

start_server() {
    db_=$1
    shift
    "$bin" serve --db "$db_" --listen 127.0.0.1:0 "$@" > "$tmp/out" 2>&1 &
    pid=$!
    port=""
    i=0
    while [ $i -lt 100 ]; do
        port=$(sed -n 's/^holdcheck: listening on http:\/\/127\.0\.0\.1:\([0-9][0-9]*\)$/\1/p' "$tmp/out")
        [ -n "$port" ] && break
        kill -0 "$pid" 2>/dev/null || break
        sleep 0.1
        i=$((i + 1))
    done
    [ -n "$port" ] || { cat "$tmp/out"; die "server did not start"; }
    B=http://127.0.0.1:$port
    i=0
    until curl -sf "$B/healthz" > /dev/null 2>&1; do
        i=$((i + 1))
        [ $i -lt 50 ] || die "server never became healthy"
        sleep 0.1
    done
}

stop_server_clean() {
    kill -TERM "$pid"
    i_=0
    while kill -0 "$pid" 2>/dev/null && [ $i_ -lt 100 ]; do sleep 0.1; i_=$((i_ + 1)); done
    if kill -0 "$pid" 2>/dev/null; then bad "stops on SIGTERM" "still running after 10 s"; else
        wait "$pid"; st_=$?
        if [ $st_ -eq 0 ]; then ok "stops on SIGTERM"; else bad "stops on SIGTERM" "exit $st_"; fi
    fi
    pid=""
    if grep -Eq 'Assertion|AddressSanitizer|LeakSanitizer|runtime error' "$tmp/out"; then
        bad "server log clean" "$(grep -E 'Assertion|Sanitizer|runtime error|#[0-9] ' "$tmp/out" | head -12)"
    else ok "server log clean"; fi
}

jq_is() {
    got=$(jq -r "$2" "$tmp/body" 2>/dev/null)
    if [ "$got" = "$3" ]; then ok "$1"; else bad "$1" "$2 is '$got', want '$3'"; fi
}
