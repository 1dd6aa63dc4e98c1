# shellcheck shell=sh
# common.sh: shared by tests/public/test_*.sh (sourced after tests/http/lib.sh). Adds:
#   (the server starts and stops through tests/lib/server.sh: srv_start DB [SERVE-FLAGS...],
#   srv_stop [SIGNAL], which checks its exit status and its log)
#   wait_for SECONDS CMD...        run CMD every 0.2 s until it succeeds; 1 when it never did
#   admin_token DB NAME            create an admin with the CLI and print its token
#   set_policy FIELDS DAYS         PUT the publication policy (FIELDS: "a,b,c" or ""), as $AD
#   publish_all                    set_policy of every field ($PUBLISH_ALL), 7 days; counted
#   seed_bookings PREFIX N         create bookings PREFIX-1..N (Main Jail, May 2024) as $AD; counted
#   J, A, P                        the JSON request header and the JSON and problem media types
: "${bin:?set bin first}" "${tmp:?source tests/http/lib.sh first}"
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

# shellcheck disable=SC2034 # J, A and P are for the scripts that source this
J='Content-Type: application/json' A=application/json P=application/problem+json
PUBLISH_ALL="booking_no,name,booking_date,charges,bail,next_court_date,facility,custody_status,scheduled_release,recently_released"

publish_all() {
    if [ "$(set_policy "$PUBLISH_ALL" 7)" = 200 ]; then ok "publish all"; else bad "publish all" "$(cat "$tmp/policy.json")"; fi
}

seed_bookings() {
    n_=1
    while [ "$n_" -le "$2" ]; do
        req "seed $1-$n_" 201 "$A" '' -- -H "$AD" -H "$J" -d "{\"booking_no\":\"$1-$n_\",\"booked_at\":\"2024-05-0$n_\",
          \"facility\":\"Main Jail\",\"person\":{\"name\":\"Testperson, $1$n_\",\"local_id\":\"$1P-$n_\"}}" "$B/api/v1/bookings"
        n_=$((n_ + 1))
    done
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
