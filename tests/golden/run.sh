#!/bin/sh
# run.sh BIN: golden HTTP exchanges of the public API (docs/public-api.md), as curl's
# tests/data does it. Each tests/golden/public/NNN-name.req is one request, replayed in NNN
# order against `BIN serve` on a database this script makes; its answer, normalised, must equal
# NNN-name.resp byte for byte. UPDATE_GOLDEN=1 rewrites the .resp files instead (review the
# diff before committing it). Ends with "N passed, M failed"; exits 1 on any failure.
#
# The database: `migrate`, `demo --bookings 12 --seed 1 --today 2026-11-01` (synthetic people;
# every release is before that date, so no booking is ever "recently released" whatever day
# the test runs), an admin whose token the .req files may use as @ADMIN_TOKEN@, TZ fixed to
# America/Los_Angeles. The server starts and stops through tests/lib/server.sh (exit status and
# log checked).
#
# A .req file:
#   #! directive            zero or more: "#! retry-while 503" (repeat the request every
#                           0.2 s, up to 20 s, while it answers 503: exports being written),
#                           "#! no-body" (the answer's body is not compared, only its length
#                           is checked to be non-zero: the embedded web page),
#                           "#! known-bug conditional WHY" (the If-None-Match check below is
#                           expected to fail for a reason written down: it prints XFAIL and
#                           is not counted; once it passes it FAILs until the line goes)
#   METHOD PATH             the request line (PATH from the server's root)
#   Header: value           zero or more request headers
#                           an empty line, then the body, if any (sent as is)
# A .resp file: the status line "HTTP NNN", the chosen headers (below) lower-cased and sorted,
# an empty line, then the body.
#
# Chosen headers: content-type, cache-control, etag, access-control-allow-origin, location,
# allow, retry-after, content-disposition, x-content-type-options. Never compared: date,
# content-length (the body is), x-ratelimit-* (they count requests), last-modified.
#
# Normalisation (what legitimately changes from run to run), in headers and body:
#   - "generated_at", "checked_at", "data_changed_at", "released_at", "updated_at" string
#     values: "<time>" (when the server made the answer, saw the data change, or was told);
#   - a "next_cursor" string: "<cursor>" (cursors are sealed with a key made at start-up);
#   - today's date (UTC and Los Angeles) anywhere: <today> (snapshot names and listings);
#   - an ETag value: "<etag>". The ETag is a hash of the body, which may hold the times above;
#     so instead of its value, every 200 answer to a GET that has an ETag and no such time is
#     asked again with If-None-Match and must answer 304 with the same ETag (one more check per
#     such file; an answer holding a time changes, and its ETag with it, every second);
#   - a webhook secret: whsec_<secret>.
set -u
bin=${1:-build/holdcheck}
here=$(cd "$(dirname "$0")" && pwd)
dir=${GOLDEN_DIR:-$here/public}
# shellcheck source=../http/lib.sh
. "$here/../http/lib.sh"

TZ=America/Los_Angeles
export TZ
db=$tmp/golden.db
"$bin" migrate --db "$db" > /dev/null || die "migrate failed"
"$bin" demo --db "$db" --bookings 12 --seed 1 --today 2026-11-01 > /dev/null || die "demo failed"
"$bin" user add --db "$db" golden-admin --role admin > "$tmp/user" || die "user add failed"
admin_token=$(sed -n 's/^token: //p' "$tmp/user")
srv_start "$db" --public-rate 1000 --public-burst 100000 --export-refresh-seconds 1 \
    --public-status-seconds 1 --snapshot-dir "$tmp/snaps" --mail-outbox "$tmp/outbox"

today_utc=$(date -u +%Y-%m-%d)
today_la=$(date +%Y-%m-%d)
headers='content-type|cache-control|etag|access-control-allow-origin|location|allow|retry-after|content-disposition|x-content-type-options'

# normalise FILE: the normalisation above, in place.
normalise() {
    sed -E -e 's/"(generated_at|checked_at|data_changed_at|released_at|updated_at)":"[^"]*"/"\1":"<time>"/g' \
        -e 's/"next_cursor":"[^"]*"/"next_cursor":"<cursor>"/g' \
        -e "s/$today_utc/<today>/g" -e "s/$today_la/<today>/g" \
        -e 's/^etag: "[^"]*"$/etag: "<etag>"/' \
        -e 's/whsec_[0-9a-f]+/whsec_<secret>/g' "$1" > "$1.n" && mv "$1.n" "$1"
}

# send REQ: replay one .req; the raw answer in $tmp/hdr and $tmp/body, the status in $code.
send() {
    sed -n '/^#!/!p' "$1" | sed "s/@ADMIN_TOKEN@/$admin_token/g" > "$tmp/req"
    read -r method path < "$tmp/req"
    # Headers: the lines after the request line up to the first empty one; the rest is body.
    awk 'NR > 1 && $0 == "" { exit } NR > 1 { print }' "$tmp/req" > "$tmp/req.hdr"
    awk 'f { print } NR > 1 && $0 == "" { f = 1 }' "$tmp/req" > "$tmp/req.body"
    set -- -X "$method"
    while IFS= read -r h; do set -- "$@" -H "$h"; done < "$tmp/req.hdr"
    # The body file loses the newline awk adds after its last line (it is sent as written,
    # and a .req file ends with a newline).
    if [ -s "$tmp/req.body" ]; then
        printf '%s' "$(cat "$tmp/req.body")" > "$tmp/req.data"
        set -- "$@" --data-binary "@$tmp/req.data"
    fi
    code=$(curl -s -o "$tmp/body" -D "$tmp/hdr" -w '%{http_code}' --max-time 10 "$@" "$B$path") ||
        code=curl-error
}

n=0
for req in "$dir"/*.req; do
    [ -e "$req" ] || continue
    n=$((n + 1))
    name=$(basename "$req" .req)
    resp=${req%.req}.resp
    send "$req"
    if grep -q '^#! retry-while 503$' "$req"; then
        i=0
        while [ "$code" = 503 ] && [ $i -lt 100 ]; do sleep 0.2; send "$req"; i=$((i + 1)); done
    fi
    # The answer as a .resp: status, chosen headers, empty line, body.
    {
        echo "HTTP $code"
        tr -d '\r' < "$tmp/hdr" | sed -n 's/^\([A-Za-z0-9-]*\): */\1: /p' |
            awk -F': ' -v keep="^($headers)\$" '{ k = tolower($1) } k ~ keep { sub(/^[^:]*: /, ""); print k ": " $0 }' |
            LC_ALL=C sort
        echo
        if grep -q '^#! no-body$' "$req"; then
            if [ -s "$tmp/body" ]; then echo "<body not compared: non-empty>"; else echo "<empty body>"; fi
        else
            cat "$tmp/body"
        fi
    } > "$tmp/got"
    cp "$tmp/got" "$tmp/raw"
    normalise "$tmp/got"
    if [ "${UPDATE_GOLDEN:-0}" = 1 ]; then
        cp "$tmp/got" "$resp"
        ok "$name (rewritten)"
    elif [ ! -e "$resp" ]; then
        bad "$name" "no $(basename "$resp") (run with UPDATE_GOLDEN=1 to write it)"
    elif cmp -s "$tmp/got" "$resp"; then
        ok "$name"
    else
        bad "$name" "answer differs from $(basename "$resp"):
$(diff "$resp" "$tmp/got" | head -20)"
    fi
    # An ETag must be strong and honoured: the same GET with If-None-Match is a 304.
    method=$(sed -n '/^#!/!{p;q;}' "$req" | cut -d' ' -f1)
    etag=$(tr -d '\r' < "$tmp/hdr" | sed -n 's/^[Ee][Tt][Aa][Gg]: //p')
    timed=0
    grep -Eq '"(generated_at|checked_at|data_changed_at|released_at|updated_at)":"' "$tmp/raw" && timed=1
    if [ "$method" = GET ] && [ "$code" = 200 ] && [ -n "$etag" ] && [ $timed = 0 ]; then
        path=$(sed -n '/^#!/!{p;q;}' "$req" | cut -d' ' -f2-)
        code2=$(curl -s -o /dev/null -D "$tmp/hdr2" -w '%{http_code}' --max-time 10 -H "If-None-Match: $etag" "$B$path")
        etag2=$(tr -d '\r' < "$tmp/hdr2" | sed -n 's/^[Ee][Tt][Aa][Gg]: //p')
        why=$(sed -n 's/^#! known-bug conditional //p' "$req")
        if [ "$code2" = 304 ] && [ "$etag2" = "$etag" ]; then
            if [ -n "$why" ]; then bad "$name: 304 on its ETag" "passes now: remove '#! known-bug conditional' from $(basename "$req")"
            else ok "$name: 304 on its ETag"; fi
        elif [ -n "$why" ]; then
            echo "XFAIL $name: 304 on its ETag: status $code2 (known bug: $why)"
        else
            bad "$name: 304 on its ETag" "status $code2, etag '$etag2' for '$etag'"
        fi
        case $etag in
        '"'*'"') ok "$name: strong ETag" ;;
        *) bad "$name: strong ETag" "'$etag'" ;;
        esac
    fi
done
[ $n -gt 0 ] || bad "golden files" "no .req files in $dir"

srv_stop
echo "golden HTTP ($n exchanges): $pass passed, $fail failed"
[ "$fail" -eq 0 ]
