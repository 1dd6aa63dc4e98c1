# shellcheck shell=sh
# lib.sh: shared by the HTTP test scripts (sourced; set `bin` first). Gives a temporary
# directory $tmp removed on exit together with the server, the counters, and:
#   ok NAME / bad NAME WHY / die WHY   record an outcome (die also ends the run)
#   req NAME STATUS CTYPE PATTERN -- CURL-ARGS...
#       one request: checks the status, the media type (when CTYPE is not empty) and that the
#       body contains PATTERN (grep -F, when not empty). $req_auth, when set, is sent as a header
#       first. The response is left in $tmp/body and $tmp/hdr.
#   jq_is NAME FILTER WANT
#       the last body's jq -r FILTER equals WANT
#   server start and stop: tests/lib/server.sh (srv_start DB [ARGS...] sets $srv_pid, $port and
#       $B once /healthz answers; srv_stop [SIGNAL] stops it and counts its exit status and
#       its log as two checks). A server still running at exit is checked too.
tmp=$(mktemp -d)
pass=0
fail=0
req_auth=""

# shellcheck source=../lib/server.sh
. "$(dirname "$0")/../lib/server.sh"

# On exit: a server still running is stopped and checked (the exit status becomes 1 if it
# was not clean), then the directory goes.
cleanup() {
    rc_=0
    srv_cleanup || rc_=1
    rm -rf "$tmp"
    [ $rc_ -eq 0 ] || exit 1
}
trap cleanup EXIT
trap 'exit 1' INT TERM

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

jq_is() {
    got=$(jq -r "$2" "$tmp/body" 2>/dev/null)
    if [ "$got" = "$3" ]; then ok "$1"; else bad "$1" "$2 is '$got', want '$3'"; fi
}
