#!/bin/sh
# test_backup.sh HOLDCHECK: `holdcheck backup` while the server writes (docs/operations.md).
# Intake runs against a server in a loop while the backup is taken; then the copy must:
#   - be private (0600) under umask 000;
#   - hold every request acknowledged before the backup began, each with its decision, and
#     no more requests than the database held when the writes stopped;
#   - pass PRAGMA integrity_check and `holdcheck audit verify`;
#   - serve: restored as the documented steps say, a server answers from it.
# And an existing file is never overwritten. Ends with "N passed, M failed"; exits 1 on any
# failure.
# shellcheck disable=SC2015 # "A && ok || bad": ok always returns 0, so bad runs only when A fails
set -u
bin=${1:-build/holdcheck}
. "$(dirname "$0")/../http/lib.sh"

db=$tmp/live.db
"$bin" migrate --db "$db" > /dev/null || die "migrate failed"
"$bin" demo --db "$db" --bookings 200 --seed 11 > /dev/null || die "demo failed"
token=$("$bin" user add --db "$db" backup-clerk --role clerk | sed -n 's/^token: //p')
[ -n "$token" ] || die "no token"
srv_start "$db" --threads 2

# intake N: N requests, one after another; the id of each one acknowledged (201) to $tmp/acked.
intake() {
    i=0
    while [ "$i" -lt "$1" ]; do
        no=$(printf 'DEMO-%06d' $((i % 200 + 1)))
        code=$(curl -s -o "$tmp/intake.body" -w '%{http_code}' -H "Authorization: Bearer $token" \
            -H 'Content-Type: application/json' -d '{"type":"notification","form":"I-247A"}' \
            "$B/api/v1/bookings/$no/requests")
        [ "$code" = 201 ] && jq -r '.id | tostring | ltrimstr("request-")' "$tmp/intake.body" >> "$tmp/acked"
        i=$((i + 1))
    done
}
: > "$tmp/acked"
intake 20
before=$(wc -l < "$tmp/acked" | tr -d ' ')
[ "$before" -eq 20 ] && ok "20 requests acknowledged before the backup" || bad "acknowledged" "$before"
intake 400 &
writer=$!
sleep 0.3

out=$tmp/copy.db
if (umask 000 && "$bin" backup --db "$db" --out "$out" > "$tmp/backup.out" 2>&1); then
    ok "backup while intake writes"
else
    bad "backup while intake writes" "$(cat "$tmp/backup.out")"
fi
kill -0 "$writer" 2> /dev/null && ok "the writes went on during the backup" ||
    bad "the writes went on during the backup" "the writer had finished already"
wait "$writer"
srv_stop
after=$(sqlite3 "$db" 'SELECT count(*) FROM immigration_requests')

mode=$(stat -c %a "$out" 2> /dev/null)
[ "$mode" = 600 ] && ok "copy is 0600 under umask 000" || bad "copy is 0600 under umask 000" "mode $mode"
[ "$(sqlite3 "$out" 'PRAGMA integrity_check')" = ok ] && ok "copy passes integrity_check" ||
    bad "copy passes integrity_check" "$(sqlite3 "$out" 'PRAGMA integrity_check' | head -3)"
"$bin" audit verify --db "$out" > "$tmp/verify.out" 2>&1 && grep -q 'chain intact' "$tmp/verify.out" &&
    ok "copy's audit chain verifies" || bad "copy's audit chain verifies" "$(cat "$tmp/verify.out")"
missing=0
for id in $(head -n "$before" "$tmp/acked"); do
    [ "$(sqlite3 "$out" "SELECT count(*) FROM decisions WHERE request_id = $id")" -ge 1 ] ||
        missing=$((missing + 1))
done
[ "$missing" -eq 0 ] && ok "every request acknowledged before the backup is in it, decided" ||
    bad "acknowledged requests in the copy" "$missing of $before missing"
n=$(sqlite3 "$out" 'SELECT count(*) FROM immigration_requests')
undecided=$(sqlite3 "$out" 'SELECT count(*) FROM immigration_requests q
    WHERE NOT EXISTS (SELECT 1 FROM decisions d WHERE d.request_id = q.id)')
[ "$n" -le "$after" ] && [ "$n" -gt 0 ] && ok "copy holds $n of the $after requests (a snapshot)" ||
    bad "copy is a snapshot" "$n requests in the copy, $after in the database"
[ "$undecided" -eq 0 ] && ok "no request without its decision in the copy" ||
    bad "no request without its decision" "$undecided"

# Never overwritten.
sum=$(cksum < "$out")
"$bin" backup --db "$db" --out "$out" > "$tmp/again.out" 2>&1
rc=$?
[ "$rc" -eq 2 ] && grep -q 'already exists' "$tmp/again.out" && ok "an existing file is refused (exit 2)" ||
    bad "an existing file is refused" "exit $rc: $(cat "$tmp/again.out")"
[ "$(cksum < "$out")" = "$sum" ] && ok "the existing file is untouched" || bad "existing file untouched" "changed"
"$bin" backup --db "$tmp/none.db" --out "$tmp/none-copy.db" > /dev/null 2>&1
rc=$?
[ "$rc" -eq 2 ] && [ ! -e "$tmp/none-copy.db" ] && ok "no such database: exit 2, nothing written" ||
    bad "no such database" "exit $rc"

# Restore as docs/operations.md says, and serve from it.
restored=$tmp/restored.db
cp "$out" "$restored"
rm -f "$restored-wal" "$restored-shm"
srv_start "$restored" --threads 1
req_auth="Authorization: Bearer $token"
req "restored copy serves" 200 application/json '"booking_no":"DEMO-000001"' -- \
    "$B/api/v1/bookings/DEMO-000001"
srv_stop

echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
