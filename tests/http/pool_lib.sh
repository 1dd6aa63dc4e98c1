# shellcheck shell=sh
# pool_lib.sh: shared by test_offload.sh and test_tsan.sh (sourced after lib.sh).
#   pool_db USER: a migrated database $db of 40 demo bookings (DEMO-000001 ...) with an admin
#   named USER; sets $token, $pw (its password) and $auth (the bearer header), and $J (the JSON
#   content type).
: "${bin:?pool_lib.sh: set bin first}" "${tmp:?pool_lib.sh: set tmp first}"
# shellcheck disable=SC2034 # J, pw and auth are for the scripts that source this
pool_db() {
    J='Content-Type: application/json'
    db=$tmp/t.db
    "$bin" migrate --db "$db" > /dev/null || die "migrate failed"
    "$bin" demo --db "$db" --bookings 40 --seed 5 > /dev/null || die "demo failed"
    "$bin" user add --db "$db" "$1" --role admin > "$tmp/user" || die "user add failed"
    token=$(sed -n 's/^token: //p' "$tmp/user")
    pw=$(sed -n 's/^password: //p' "$tmp/user")
    auth="Authorization: Bearer $token"
}
