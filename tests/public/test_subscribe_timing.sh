#!/bin/sh
# test_subscribe_timing.sh HOLDCHECK: a subscription's answer and its time do not tell whether
# the address had subscribed already (docs/public.md, "Confidentiality"). A new address writes
# the subscription, its confirmation and an audit entry; an address already confirmed for the
# booking changes no row but writes the audit entry "subscription.repeat", so both commit and
# sync the same way. Checks: the same status and body; an audit entry for every request of
# either kind; and it prints the two time distributions (80 requests, alternating, loopback),
# failing only when the medians differ by more than 3 times (before the repeat was recorded,
# 2.93 ms against 0.65 ms on the development machine). Ends with "N passed, M failed".
# shellcheck disable=SC2015 # "A && ok || bad": ok always returns 0, so bad runs only when A fails
set -u
bin=${1:-build/holdcheck}
here=$(dirname "$0")
. "$here/../http/lib.sh"
. "$here/common.sh"

check() { # NAME COMMAND...: passes when the command succeeds
    n_=$1
    shift
    if "$@"; then ok "$n_"; else bad "$n_" "$*"; fi
}

db=$tmp/t.db
"$bin" migrate --db "$db" > /dev/null || die "migrate failed"
AD="Authorization: Bearer $(admin_token "$db" timing-admin)"
srv_start "$db" --public-rate 1000 --public-burst 100000 --mail-outbox "$tmp/outbox"
publish_all
seed_bookings TS 1
S=$B/api/v1/public/subscriptions
# one ADDRESS OUT: subscribe ADDRESS to TS-1; the status and body into OUT, the time on stdout.
one() {
    curl -s -o "$2" -w '%{http_code} %{time_total}\n' -H "$J" \
        -d "{\"booking_no\":\"TS-1\",\"channel\":\"email\",\"address\":\"$1\"}" "$S"
}
one known@example.org "$tmp/first.body" > /dev/null
sqlite3 "$db" "UPDATE subscriptions SET state = 'confirmed', confirmed_at = '2026-12-01T00:00:00Z'
    WHERE target = 'known@example.org'" || die "confirm failed"
audit0=$(sqlite3 "$db" "SELECT count(*) FROM audit_log")
n=40
: > "$tmp/new"
: > "$tmp/known"
i=0
while [ $i -lt $n ]; do
    one "new$i@example.org" "$tmp/new.body" >> "$tmp/new"
    one known@example.org "$tmp/known.body" >> "$tmp/known"
    i=$((i + 1))
done
check "every answer 202" [ "$(cut -d' ' -f1 "$tmp/new" "$tmp/known" | sort -u)" = 202 ]
check "the same body for a new and a known address" cmp -s "$tmp/new.body" "$tmp/known.body"
check "an audit entry for each request, new or known" \
    [ "$(sqlite3 "$db" "SELECT count(*) FROM audit_log")" = $((audit0 + 2 * n)) ]
check "the known address: 'subscription.repeat', no new subscription" \
    [ "$(sqlite3 "$db" "SELECT count(*) FROM audit_log WHERE action = 'subscription.repeat'")|$(sqlite3 "$db" "SELECT count(*) FROM subscriptions WHERE target = 'known@example.org'")" = "$n|1" ]
stats() { # FILE NAME: min, median, p90, max in ms
    cut -d' ' -f2 "$1" | sort -n | awk -v k="$2" '{a[NR] = $1 * 1000}
        END {printf "%s: min %.2f ms, median %.2f ms, p90 %.2f ms, max %.2f ms\n", k, a[1], a[int((NR + 1) / 2)], a[int(NR * 0.9)], a[NR]}'
}
stats "$tmp/new" "new addresses  " | tee "$tmp/stats"
stats "$tmp/known" "known address  " | tee -a "$tmp/stats"
m1=$(sed -n 1p "$tmp/stats" | sed 's/.*median \([0-9.]*\).*/\1/')
m2=$(sed -n 2p "$tmp/stats" | sed 's/.*median \([0-9.]*\).*/\1/')
check "medians within 3 times of each other ($m1 ms, $m2 ms)" \
    awk -v a="$m1" -v b="$m2" 'BEGIN {exit !(a < 3 * b && b < 3 * a)}'
srv_stop
echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
