#!/bin/sh
# test_badinput.sh HOLDCHECK: bad input on every route, walked from the routing table itself
# (`holdcheck routes --bodies`), so a new route is covered the day it is added.
#
# - every route that takes a JSON body gets: malformed JSON, a non-object (array, string,
#   number), an unknown field (which the answer must name), a duplicate key, the wrong media
#   type and a body over the limit;
# - every route that takes no body gets a body;
# - every path parameter gets a malformed value;
# - every path gets a method it does not route (FOO, and the usual methods it lacks);
# each answer must be a 4xx application/problem+json, and the server must answer /healthz after
# every route and stop cleanly at the end. It runs as an admin, whose role may use every route,
# so what is tested is the input handling, not the role check (test_roles.sh does that).
# The OpenAPI document must declare a requestBody on exactly the routes that take JSON.
# shellcheck disable=SC2015 # "A && ok || bad": ok always returns 0, so bad runs only when A fails
set -u
bin=${1:-build/holdcheck}
. "$(dirname "$0")/lib.sh"

J='Content-Type: application/json'
P=application/problem+json
limit=65536

"$bin" migrate --db "$tmp/t.db" > /dev/null || die "migrate failed"
"$bin" demo --db "$tmp/t.db" --bookings 100 --seed 1 --today 2026-11-01 > /dev/null || die "demo failed"
"$bin" user add --db "$tmp/t.db" bad-admin --role admin > "$tmp/user" || die "user add failed"
"$bin" user add --db "$tmp/t.db" spare --role clerk > /dev/null || die "user add failed"
token=$(sed -n 's/^token: //p' "$tmp/user")
req_auth="Authorization: Bearer $token"
srv_start "$tmp/t.db" --max-body-bytes $limit --public-rate 0  # no 429s in the walk

# Real values for the parameters, so that a handler's checks on the body are reached.
req "a request to aim at" 200 application/json '"requests"' -- "$B/api/v1/requests?limit=1"
rid=$(jq -r '.requests[0].id' "$tmp/body")
bno=$(jq -r '.requests[0].booking_no' "$tmp/body")
req "a notice to aim at" 201 application/json '"id"' -- -H "$J" \
    -d '{"kind":"copy","language":"en"}' "$B/api/v1/requests/$rid/notices"
nid=$(jq -r '.id' "$tmp/body")
[ -n "$rid" ] && [ "$rid" != null ] && [ -n "$nid" ] && [ "$nid" != null ] || die "no request or notice to aim at"

# good_path PATTERN: the pattern with real values; bad_path PATTERN: with one malformed value
# (each in turn is tested by bad_params below).
good_path() {
    echo "$1" | sed -e "s|/requests/{id}|/requests/$rid|" -e "s|/notices/{id}|/notices/$nid|" \
        -e "s|{id}|$rid|" -e "s|{booking_no}|$bno|" -e 's|{name}|spare|' \
        -e 's|{token}|0000000000000000000000000000000000000000000000000000000000000000|' \
        -e 's|{date}|2026-11-01.csv|' -e 's|{dir}/{file}|js/app.js|' -e 's|{file}|index.html|'
}

head -c $((limit + 1)) /dev/zero | tr '\0' ' ' > "$tmp/big"
sed -i '1s/^ /{/' "$tmp/big"

"$bin" routes --bodies > "$tmp/routes" || die "holdcheck routes --bodies failed"
[ -s "$tmp/routes" ] || die "no routes"

# --- the OpenAPI document declares a body exactly where the router takes JSON
req "openapi" 200 application/json '"paths"' -- "$B/api/v1/openapi.json"
jq -r '.paths | to_entries[] | .key as $p | .value | to_entries[] |
       select(.value | type == "object" and has("requestBody")) | "\(.key | ascii_upcase) \($p)"' \
    "$tmp/body" | sort > "$tmp/oa-bodies"
awk '$3 == "json" { print $1, $2 }' "$tmp/routes" | sort > "$tmp/rt-bodies"
if cmp -s "$tmp/oa-bodies" "$tmp/rt-bodies"; then ok "openapi requestBody on exactly the JSON routes"; else
    bad "openapi requestBody on exactly the JSON routes" "$(diff "$tmp/rt-bodies" "$tmp/oa-bodies" | head)"; fi

alive() { # NAME: the server still answers
    req "$1: still serving" 200 application/json '"status":"ok"' -- "$B/healthz"
}

njson=0
while read -r method pattern body; do
    path=$(good_path "$pattern")
    case $body in
    json)
        njson=$((njson + 1))
        t="$method $pattern"
        req "$t: malformed JSON" 400 $P '' -- -X "$method" -H "$J" -d '{"a":' "$B$path"
        req "$t: truncated string" 400 $P '' -- -X "$method" -H "$J" -d '{"a":"b' "$B$path"
        req "$t: array" 400 $P '' -- -X "$method" -H "$J" -d '[1,2]' "$B$path"
        req "$t: string" 400 $P '' -- -X "$method" -H "$J" -d '"text"' "$B$path"
        req "$t: number" 400 $P '' -- -X "$method" -H "$J" -d '42' "$B$path"
        req "$t: unknown field" 400 $P '"field":"zz_unknown"' -- -X "$method" -H "$J" \
            -d '{"zz_unknown":1}' "$B$path"
        req "$t: duplicate key" 400 $P '' -- -X "$method" -H "$J" -d '{"zz":1,"zz":2}' "$B$path"
        req "$t: trailing garbage" 400 $P '' -- -X "$method" -H "$J" -d '{} x' "$B$path"
        req "$t: NUL byte" 400 $P '' -- -X "$method" -H "$J" --data-binary "$(printf '{"a":"\\u0000"}')" "$B$path"
        req "$t: form media type" 415 $P '' -- -X "$method" -d 'a=1' "$B$path"
        req "$t: text media type" 415 $P '' -- -X "$method" -H 'Content-Type: text/plain' -d '{}' "$B$path"
        req "$t: over the body limit" 413 $P '' -- -X "$method" -H "$J" --data-binary "@$tmp/big" "$B$path"
        # h2o answers this one itself; it must still carry the headers every answer carries
        for h in 'x-content-type-options: nosniff' 'cache-control: no-store' "content-security-policy: default-src 'none'"; do
            tr -d '\r' < "$tmp/hdr" | grep -qi "^$h" || bad "$t: 413 has $h" "missing"
        done
        ;;
    empty)
        req "$method $pattern: a body where none is taken" 400 $P 'no request body' -- \
            -X "$method" -H "$J" -d '{}' "$B$path" ;;
    esac
    alive "$method $pattern"
done < "$tmp/routes"
[ "$njson" -ge 15 ] && ok "walked $njson JSON routes" || bad "walked $njson JSON routes" "expected at least 15"

# --- every path parameter, malformed
bad_params() { # PATTERN: print "PARAM PATH" for each parameter of PATTERN with a bad value
    rest=$1
    while :; do
        case $rest in *"{"*"}"*) ;; *) break ;; esac
        param=$(echo "$rest" | sed 's/^[^{]*{\([^}]*\)}.*/\1/')
        case $param in
        id) v='12ab' ;;
        booking_no) v='bad%21no' ;;
        name) v='a%20b' ;;
        token) v='zz' ;;
        date) v='2026-13-45.csv' ;;
        file|dir) v='no-such-file.txt' ;;
        *) v='%00' ;;
        esac
        # substitute this parameter with v and the others with good values
        p=$(echo "$1" | sed "s|{$param}|$v|")
        echo "$param $(good_path "$p")"
        rest=$(echo "$rest" | sed "s|{$param}||")
    done
}
nparam=0
while read -r method pattern body; do
    case $pattern in *"{"*) ;; *) continue ;; esac
    bad_params "$pattern" > "$tmp/params"
    while read -r param path; do
        nparam=$((nparam + 1))
        set -- -X "$method"
        [ "$body" = json ] && set -- "$@" -H "$J" -d '{}'
        code=$(curl -s -o "$tmp/body" -D "$tmp/hdr" -w '%{http_code}' --max-time 10 -H "$req_auth" \
               "$@" "$B$path") || code=curl-error
        ct=$(tr -d '\r' < "$tmp/hdr" | sed -n 's/^[Cc]ontent-[Tt]ype: *//p' | tail -1)
        # A value that cannot be one (a malformed id, number, name or date) is the request's
        # fault: 400 naming the parameter. A well-formed file name that is not there: 404.
        case $param in file|dir) want=404 ;; *) want=400 ;; esac
        case $code in
        "$want")
            if [ "$ct" != $P ]; then bad "$method $pattern: bad $param" "content-type '$ct'"
            elif [ "$want" = 400 ] && ! grep -q "\"$param\"\\|$param" "$tmp/body"; then
                bad "$method $pattern: bad $param" "the problem does not name it: $(head -c 200 "$tmp/body")"
            else ok "$method $pattern: bad $param ($code)"; fi ;;
        303)
            # the links in subscription emails answer a browser with a redirect to the page,
            # which shows the error: only GET on a {token} route may do that
            if [ "$method $param" = "GET token" ]; then ok "$method $pattern: bad $param (303)"; else
                bad "$method $pattern: bad $param" "status 303"; fi ;;
        *) bad "$method $pattern: bad $param" "status $code: $(head -c 200 "$tmp/body")" ;;
        esac
    done < "$tmp/params"
done < "$tmp/routes"
[ "$nparam" -ge 25 ] && ok "walked $nparam path parameters" || bad "walked $nparam path parameters" "expected at least 25"
alive "after the path parameters"

# --- methods a path does not route: 405 with the Allow header, as problem+json
awk '{ print $2 }' "$tmp/routes" | sort -u > "$tmp/paths"
while read -r pattern; do
    path=$(good_path "$pattern")
    has=$(awk -v p="$pattern" '$2 == p { print $1 }' "$tmp/routes" | tr '\n' ' ')
    for m in FOO GET POST PUT PATCH DELETE; do
        case " $has" in *" $m "*) continue ;; esac
        req "$m $pattern: not routed" 405 $P '' -- -X "$m" "$B$path"
        tr -d '\r' < "$tmp/hdr" | grep -qi '^allow: ' || bad "$m $pattern: Allow header" "missing"
    done
done < "$tmp/paths"
req "unknown path" 404 $P '' -- "$B/api/v1/no/such/route"
req "unknown path, POST" 404 $P '' -- -X POST -H "$J" -d '{}' "$B/api/v1/no-such-route"
alive "after the methods"

# --- a clean stop, and nothing alarming in the log
srv_stop
"$bin" audit verify --db "$tmp/t.db" > "$tmp/audit" 2>&1 && ok "audit chain intact" ||
    bad "audit chain intact" "$(cat "$tmp/audit")"

echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
