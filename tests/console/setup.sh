# shellcheck shell=sh
# setup.sh: shared by the console's API tests (sourced after tests/http/lib.sh; set `bin`).
# Creates a database with one user per role (tokens in $CL $SU $AU $AD, as Authorization
# headers; passwords via pw ROLE), starts the server ($B), and gives:
#   post_id PATH BODY           POST as the clerk; prints .id of the answer (or nothing)
#   audit_has NAME ACTION ACTOR [JQ-CONDITION]
#                               the audit log (as the auditor) has an ACTION entry by ACTOR
#                               (and meeting the condition on the entry, e.g. '.payload.id == 3')
: "${bin:?set bin first}" "${tmp:?source tests/http/lib.sh first}"
# These are for the scripts that source this file (shellcheck sees them unused here).
# shellcheck disable=SC2034
{
    J='Content-Type: application/json'
    P=application/problem+json
    A=application/json
}
db=$tmp/console.db

"$bin" migrate --db "$db" > /dev/null || die "migrate failed"
for r in clerk supervisor auditor admin; do
    "$bin" user add --db "$db" "c-$r" --role "$r" > "$tmp/user-$r" || die "user add $r failed"
done
tok() { sed -n 's/^token: //p' "$tmp/user-$1"; }
pw() { sed -n 's/^password: //p' "$tmp/user-$1"; }
# shellcheck disable=SC2034 # SU and AD: for the sourcing scripts
{
    CL="Authorization: Bearer $(tok clerk)"
    SU="Authorization: Bearer $(tok supervisor)"
    AU="Authorization: Bearer $(tok auditor)"
    AD="Authorization: Bearer $(tok admin)"
}

TZ=America/Los_Angeles
export TZ
srv_start "$db"

post_id() {
    curl -s -H "$CL" -H "$J" -d "$2" "$B$1" | jq -r '.id // empty' | sed 's/^request-//'
}

# Every audit entry, all pages, into $tmp/audit (one JSON array).
audit_all() {
    after=0
    : > "$tmp/audit.pages"
    while [ -n "$after" ] && [ "$after" != null ]; do
        curl -s -H "$AU" "$B/api/v1/audit?limit=500&after=$after" > "$tmp/audit.page"
        jq -c '.entries[]' "$tmp/audit.page" >> "$tmp/audit.pages"
        after=$(jq -r '.next_after' "$tmp/audit.page")
    done
    jq -s '.' "$tmp/audit.pages" > "$tmp/audit"
}

audit_has() {
    cond=${4:-true}
    audit_all
    n=$(jq --arg a "$2" --arg u "$3" "[.[] | select(.action == \$a and .actor == \$u) | select($cond)] | length" "$tmp/audit")
    if [ "${n:-0}" -ge 1 ]; then ok "$1"; else bad "$1" "no $2 entry by $3 where $cond"; fi
}
