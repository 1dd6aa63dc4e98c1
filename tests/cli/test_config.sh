#!/bin/sh
# test_config.sh BIN: the configuration of `holdcheck serve` (docs/configuration.md): file <
# environment < flags via --print-config, errors naming file:line and key, ranges, the
# loopback opt-in, refused unsupported limits; every command's --help; `make install`; and the
# manual page rendering without warnings.
# shellcheck disable=SC2016 # check NAME 'EXPR': EXPR is single-quoted to be evaluated later, by check()
set -u
bin=${1:?usage: test_config.sh BIN}
case $bin in /*) ;; *) bin=$(pwd)/$bin ;; esac
root=$(cd "$(dirname "$0")/../.." && pwd)
tmp=$(mktemp -d)
pass=0
fail=0
ok() { pass=$((pass + 1)); }
bad() { echo "FAIL: $*"; fail=$((fail + 1)); }
# shellcheck source=../lib/server.sh
. "$root/tests/lib/server.sh"
cleanup() {
    rc_=0
    srv_cleanup || rc_=1
    rm -rf "$tmp"
    [ $rc_ -eq 0 ] || exit 1
}
trap cleanup EXIT
trap 'exit 1' INT TERM
check() { if eval "$2"; then ok; else bad "$1"; fi; }

# No ambient configuration: an empty file stands in for /etc/holdcheck/holdcheck.conf, and
# every HOLDCHECK_* variable this test does not set is cleared.
for v in DB LISTEN THREADS MAX_BODY_BYTES SESSION_HOURS LOG_LEVEL CATALOG_DIR ALLOW_REMOTE; do
    unset "HOLDCHECK_$v"
done
: > "$tmp/empty.conf"
HOLDCHECK_CONFIG=$tmp/empty.conf
export HOLDCHECK_CONFIG
cd "$tmp" || exit 1

# value KEY FILE: the value of KEY in --print-config output; source KEY FILE: its comment.
value() { sed -n "s/^$1 = \([^ ]*\) .*/\1/p" "$2"; }
source_of() { sed -n "s/^$1 = .* # \(.*\)$/\1/p" "$2"; }

# --- Defaults -------------------------------------------------------------------------------
"$bin" serve --print-config > out 2> err; rc=$?
check "print-config exits 0" '[ $rc -eq 0 ] && [ ! -s err ]'
check "default listen is loopback" '[ "$(value listen out)" = 127.0.0.1:8080 ]'
check "defaults are marked default" '[ "$(source_of threads out)" = default ] && [ "$(source_of listen out)" = default ]'
check "default threads (one per CPU), body, session, level, remote" \
    '[ "$(value threads out)" = "$(ncpu=$(getconf _NPROCESSORS_ONLN); [ "$ncpu" -gt 64 ] && ncpu=64; echo "$ncpu")" ] &&
     [ "$(value max_body_bytes out)" = 1048576 ] &&
     [ "$(value session_hours out)" = 8 ] && [ "$(value log_level out)" = info ] &&
     [ "$(value read_log_days out)" = 365 ] &&
     [ "$(value allow_remote out)" = no ]'
check "db unset is said" 'grep -q "^# db is not set" out'
check "the file read is named" 'grep -q "^# file: $tmp/empty.conf (HOLDCHECK_CONFIG)" out'

# --- Precedence: file < env < flag ----------------------------------------------------------
cat > a.conf <<'EOF'
# a comment
db = /srv/file.db
listen = 127.0.0.1:7001   # trailing comment
threads = 2
log_level = warn
max_body_bytes = 2MiB
session_hours = 4
catalog_dir = /srv/cat#1
EOF
"$bin" serve --config a.conf --print-config > out 2> err; rc=$?
check "file values" '[ $rc -eq 0 ] && [ "$(value db out)" = /srv/file.db ] && [ "$(value threads out)" = 2 ] &&
    [ "$(value listen out)" = 127.0.0.1:7001 ] && [ "$(value log_level out)" = warn ]'
check "file source names file:line" '[ "$(source_of threads out)" = "file a.conf:4" ]'
check "KiB/MiB suffix" '[ "$(value max_body_bytes out)" = 2097152 ]'
check "# inside a value is kept" '[ "$(value catalog_dir out)" = "/srv/cat#1" ]'
HOLDCHECK_THREADS=3 HOLDCHECK_DB=/srv/env.db "$bin" serve --config a.conf --print-config > out; rc=$?
check "env overrides file" '[ $rc -eq 0 ] && [ "$(value threads out)" = 3 ] && [ "$(value db out)" = /srv/env.db ]'
check "env source named" '[ "$(source_of threads out)" = "env HOLDCHECK_THREADS" ]'
check "file still applies where env is silent" '[ "$(value listen out)" = 127.0.0.1:7001 ]'
HOLDCHECK_THREADS=3 HOLDCHECK_DB=/srv/env.db "$bin" serve --config a.conf --threads 5 --db=/srv/flag.db \
    --print-config > out; rc=$?
check "flag overrides env" '[ $rc -eq 0 ] && [ "$(value threads out)" = 5 ] && [ "$(value db out)" = /srv/flag.db ]'
check "flag source named" '[ "$(source_of threads out)" = "flag --threads" ] && [ "$(source_of db out)" = "flag --db" ]'
HOLDCHECK_THREADS='' "$bin" serve --config a.conf --print-config > out
check "empty env var is unset" '[ "$(value threads out)" = 2 ]'
HOLDCHECK_CONFIG=a.conf "$bin" serve --print-config > out
check "HOLDCHECK_CONFIG names the file" '[ "$(value threads out)" = 2 ] && grep -q "(HOLDCHECK_CONFIG)" out'
printf 'threads = 7\n' > b.conf
HOLDCHECK_CONFIG=a.conf "$bin" serve --config b.conf --print-config > out
check "--config beats HOLDCHECK_CONFIG" '[ "$(value threads out)" = 7 ] && [ "$(value listen out)" = 127.0.0.1:8080 ]'
"$bin" serve --config a.conf --print-config > round.conf
"$bin" serve --config round.conf --print-config > out2
check "print-config output is a valid file" '[ "$(value threads out2)" = 2 ] && [ "$(value catalog_dir out2)" = "/srv/cat#1" ]'
"$bin" serve --allow-remote --print-config > out
check "--allow-remote sets yes" '[ "$(value allow_remote out)" = yes ] && [ "$(source_of allow_remote out)" = "flag --allow-remote" ]'
HOLDCHECK_ALLOW_REMOTE=off HOLDCHECK_LOG_LEVEL=debug "$bin" serve --print-config > out
check "env boolean and level" '[ "$(value allow_remote out)" = no ] && [ "$(value log_level out)" = debug ]'

# --- Bad files ------------------------------------------------------------------------------
# expect_err NAME FILE-CONTENT PATTERN: serve --print-config with that file exits 2 and stderr
# matches PATTERN.
expect_err() {
    printf '%b' "$2" > bad.conf
    "$bin" serve --config bad.conf --print-config > out 2> err; rc=$?
    if [ $rc -eq 2 ] && [ ! -s out ] && grep -q "$3" err; then ok; else
        bad "$1 (rc $rc: $(cat err))"; fi
}
expect_err "missing = names file:line" 'db = x\nthreads 4\n' '^holdcheck serve: bad.conf:2: threads: expected .key = value.$'
expect_err "garbage line" '\n\n  ### ok\n!!!\n' '^holdcheck serve: bad.conf:4: expected'
expect_err "unknown key" 'db = x\n# fine\nthread = 4\n' '^holdcheck serve: bad.conf:3: thread: unknown key$'
expect_err "key given twice" 'threads = 2\nthreads = 3\n' 'bad.conf:2: threads: set twice (first on line 1)'
expect_err "empty value" 'listen =\n' 'bad.conf:1: listen: empty value'
expect_err "threads 0" 'threads = 0\n' "bad.conf:1: threads: must be a whole number from 1 to 64, not '0'"
expect_err "threads 65" 'threads = 65\n' "bad.conf:1: threads: must be a whole number from 1 to 64, not '65'"
expect_err "threads not a number" 'threads = four\n' "threads: must be a whole number from 1 to 64, not 'four'"
expect_err "threads negative" 'threads = -1\n' "threads: must be a whole number"
expect_err "body below 1 KiB" 'max_body_bytes = 1023\n' "max_body_bytes: must be a number of bytes from 1024"
expect_err "body above 64 MiB" 'max_body_bytes = 65MiB\n' "max_body_bytes: must be a number of bytes"
expect_err "body bad suffix" 'max_body_bytes = 2MB\n' "max_body_bytes: must be a number of bytes"
expect_err "session 0" 'session_hours = 0\n' "session_hours: must be a whole number from 1 to 24"
expect_err "session 25" 'session_hours = 25\n' "session_hours: must be a whole number from 1 to 24"
expect_err "read log days -1" 'read_log_days = -1\n' "read_log_days: must be a whole number from 0 to 36500"
expect_err "read log days 36501" 'read_log_days = 36501\n' "read_log_days: must be a whole number from 0 to 36500"
expect_err "bad level" 'log_level = loud\n' "log_level: must be error, warn, info or debug, not 'loud'"
expect_err "bad boolean" 'allow_remote = maybe\n' "allow_remote: must be yes or no"
expect_err "bad listen" 'listen = 8080\n' "listen: expected HOST:PORT"
expect_err "bad port" 'listen = 127.0.0.1:70000\n' "listen: expected HOST:PORT"
# The public page's contacts (docs/public.md): a telephone it can dial, a web page it can link.
expect_err "phone in words" 'agency_phone = call the front desk\n' "agency_phone: must be a telephone number of 7 to 15 digits"
expect_err "phone with letters" 'victim_services_phone = 1-800-VICTIMS\n' "victim_services_phone: must be a telephone number"
expect_err "phone too short" 'agency_phone = 555-01\n' "agency_phone: must be a telephone number"
expect_err "phone with + inside" 'agency_phone = 510+555-0100\n' "agency_phone: must be a telephone number"
expect_err "victim page not http" 'victim_services_url = javascript:alert(1)\n' "victim_services_url: expected an http:// URL"
expect_err "victim page with a space" 'victim_services_url = https://example.org/a b\n' "victim_services_url: only printable ASCII, no spaces"
printf 'agency_phone = +1 (510) 555-0100\nvictim_services_phone = 510.555.0199\nvictim_services_url = https://sheriff.example.gov/victims?lang=es\n' > contacts.conf
"$bin" serve --config contacts.conf --print-config > out 2> err; rc=$?
check "contacts accepted as written" '[ $rc -eq 0 ] && grep -q "^agency_phone = +1 (510) 555-0100 " out &&
    grep -q "^victim_services_phone = 510.555.0199 " out && grep -q "^victim_services_url = https://sheriff.example.gov/victims?lang=es " out'
# The SMS gateway's credentials and the inbound secret are never printed.
printf 'db = x.db\nsms_gateway_url = https://sms.example.com/send\nsms_auth_header = Authorization: Bearer tok9zz\nsms_inbound_secret = hunter2zz\n' > sms.conf
"$bin" serve --config sms.conf --print-config > out 2> err; rc=$?
check "SMS secrets shown as set, never their values" '[ $rc -eq 0 ] && grep -q "^sms_inbound_secret = (set, not shown) " out &&
    grep -q "^sms_auth_header = (set, not shown) " out && grep -q "^sms_gateway_url = https://sms.example.com/send " out &&
    ! grep -q "tok9zz\|hunter2zz" out'
expect_err "SMS gateway not http" 'sms_gateway_url = ftp://sms.example.com/\n' "sms_gateway_url: expected an http:// URL"
long=$(head -c 5000 /dev/zero | tr '\0' a)
expect_err "overlong line" "db = $long\n" 'bad.conf:1: line too long'
expect_err "NUL byte" 'db = x\nthreads = 4\0junk\n' 'bad.conf:2: NUL byte in line'
check "range checked at the boundaries" \
    '"$bin" serve --threads 64 --max-body-bytes 1KiB --session-hours 24 --print-config >/dev/null &&
     "$bin" serve --threads 1 --max-body-bytes 64MiB --session-hours 1 --print-config >/dev/null'
"$bin" serve --config nope.conf --print-config > out 2> err; rc=$?
check "missing named file is an error" '[ $rc -eq 2 ] && grep -q "^holdcheck serve: nope.conf: " err'
HOLDCHECK_THREADS=99 "$bin" serve --print-config > out 2> err; rc=$?
check "bad env var named" '[ $rc -eq 2 ] && grep -q "environment: HOLDCHECK_THREADS: must be a whole number from 1 to 64" err'
"$bin" serve --threads 0 --print-config > out 2> err; rc=$?
check "bad flag named" '[ $rc -eq 2 ] && grep -q "^holdcheck serve: --threads: must be" err'
"$bin" serve --bogus > out 2> err; rc=$?
check "unknown flag" '[ $rc -eq 2 ] && grep -q "unknown option .--bogus." err'
"$bin" serve --threads > out 2> err; rc=$?
check "flag without value" '[ $rc -eq 2 ] && grep -q -- "--threads needs a value" err'
"$bin" serve --allow-remote=yes > out 2> err; rc=$?
check "--allow-remote takes no value" '[ $rc -eq 2 ]'

# --- Refusals before serving ----------------------------------------------------------------
"$bin" migrate --db t.db > /dev/null || bad "migrate"
"$bin" serve > out 2> err; rc=$?
check "no db refused" '[ $rc -eq 2 ] && grep -q "no database" err'
for addr in 0.0.0.0:0 '[::]:0'; do
    "$bin" serve --db t.db --listen "$addr" > out 2> err; rc=$?
    check "non-loopback $addr refused without opt-in" '[ $rc -eq 2 ] && grep -q "refusing to listen on" err && grep -q -- "--allow-remote" err'
done
printf 'listen = 0.0.0.0:0\n' > remote.conf
"$bin" serve --db t.db --config remote.conf > out 2> err; rc=$?
check "refusal names the file line" '[ $rc -eq 2 ] && grep -q "(from remote.conf:1)" err'

# --- Serving with the configuration ---------------------------------------------------------
# start NAME ARGS...: run serve in the background (tests/lib/server.sh, NAME.out and NAME.err);
# wait until it listens or exits. stop: srv_stop, which checks its exit status and log.
start() {
    name=$1
    shift
    srv_spawn "$name.out" "$name.err" "$@"
    i=0
    while [ $i -lt 50 ]; do
        grep -q "listening on" "$name.out" 2>/dev/null && return 0
        kill -0 "$srv_pid" 2>/dev/null || return 1
        [ -s "$name.err" ] && grep -q WARNING "$name.err" && sleep 0.2 && return 0
        sleep 0.1
        i=$((i + 1))
    done
    return 1
}
stop() { srv_stop; }

printf 'db = t.db\nlisten = 127.0.0.1:0\nthreads = 2\n' > serve.conf
if start s1 --config serve.conf; then
    port=$(sed -n 's|.*listening on http://127.0.0.1:\([0-9]*\)$|\1|p' s1.out)
    check "serves with the file's db and listen" '[ -n "$port" ] && curl -sf "http://127.0.0.1:$port/healthz" | grep -q ok'
    stop
else
    bad "serve with config file did not start: $(cat s1.err)"
    stop
fi
if HOLDCHECK_LOG_LEVEL=debug start s2 --config serve.conf; then
    check "debug prints the configuration on stderr" 'grep -q "^threads = 2 .*# file serve.conf:3" s2.err'
    stop
else
    bad "serve at debug did not start"
    stop
fi
if start s4 --config serve.conf --max-body-bytes 2KiB --session-hours 2; then
    port=$(sed -n 's|.*listening on http://127.0.0.1:\([0-9]*\)$|\1|p' s4.out)
    head -c 3000 /dev/zero | tr '\0' ' ' > big
    # shellcheck disable=SC2034 # code is read by the check string, evaluated in check()
    code=$(curl -s -o /dev/null -w '%{http_code}' -H 'Content-Type: application/json' \
        --data-binary @big "http://127.0.0.1:$port/api/v1/decide")
    check "max_body_bytes is enforced" '[ "$code" = 413 ]'
    "$bin" user add --db t.db cfgbob --role clerk > u.out
    pw=$(sed -n 's/^password: //p' u.out)
    curl -s -i -H 'Content-Type: application/json' -d "{\"name\":\"cfgbob\",\"password\":\"$pw\"}" \
        "http://127.0.0.1:$port/api/v1/session" > sess.out
    check "session_hours sets the cookie's Max-Age" 'grep -qi "^set-cookie: .*Max-Age=7200;" sess.out'
    stop
else
    bad "serve with limits did not start: $(cat s4.err)"
    stop
fi
HOLDCHECK_LISTEN=0.0.0.0:0 start s3 --config serve.conf --allow-remote --log-level warn
check "opt-in serves off loopback and warns on stderr" 'grep -q "WARNING: 0.0.0.0 is not a loopback" s3.err'
check "log_level warn drops the banner" '[ ! -s s3.out ]'
stop

# --- Help -----------------------------------------------------------------------------------
# help_has CMD OPTION...: `holdcheck CMD --help` exits 0, says usage, mentions every OPTION.
help_has() {
    cmd=$1
    shift
    "$bin" "$cmd" --help > out 2> err; rc=$?
    if [ $rc -ne 0 ] || [ -s err ] || ! grep -q "^usage: holdcheck $cmd" out; then
        bad "$cmd --help (rc $rc)"
        return
    fi
    for o in "$@"; do
        grep -q -e "$o" out || { bad "$cmd --help does not mention $o"; return; }
    done
    ok
}
help_has decide --explain --catalog 'FILE' 'Exit status'
help_has serve --config --db --listen --threads --max-body-bytes --session-hours --log-level \
    --catalog --allow-remote --print-config HOLDCHECK_DB HOLDCHECK_LISTEN HOLDCHECK_THREADS \
    HOLDCHECK_MAX_BODY_BYTES HOLDCHECK_SESSION_HOURS HOLDCHECK_LOG_LEVEL HOLDCHECK_CATALOG_DIR \
    HOLDCHECK_ALLOW_REMOTE max_body_bytes session_hours log_level catalog_dir allow_remote \
    --tls-listen --tls-cert --tls-key --hsts-max-age --trusted-proxies --proxy-header \
    HOLDCHECK_TLS_LISTEN HOLDCHECK_TLS_CERT HOLDCHECK_TLS_KEY HOLDCHECK_HSTS_MAX_AGE \
    HOLDCHECK_TRUSTED_PROXIES HOLDCHECK_PROXY_HEADER tls_listen tls_cert tls_key hsts_max_age \
    trusted_proxies proxy_header SIGHUP /etc/holdcheck/holdcheck.conf 'Exit status'
help_has migrate --db 'Exit status'
help_has demo --db --bookings --seed --today 'Exit status'
help_has audit verify --db 'Exit status'
help_has user add list disable token --db --role 'Exit status'
help_has routes 'Exit status'
help_has version 'Exit status'
help_has help 'Exit status'
# import and export (src/cli/import.c) keep their own help; check only that it is reachable.
for c in import export; do
    "$bin" $c --help > out 2> err; rc=$?
    "$bin" help $c > out2 2> err
    # shellcheck disable=SC2034 # rc2 is read by the check string, evaluated in check()
    rc2=$?
    check "$c --help and help $c" '[ $rc -eq 0 ] && [ $rc2 -eq 0 ] && grep -q "^usage: holdcheck $c" out && cmp -s out out2'
done
"$bin" --help > out; rc=$?
check "holdcheck --help lists every command" '[ $rc -eq 0 ] &&
    for c in decide serve migrate demo audit user import export routes version help; do grep -q "^  $c" out || exit 1; done'
"$bin" help serve > out2; rc=$?
"$bin" serve --help > out
check "help COMMAND = COMMAND --help" '[ $rc -eq 0 ] && cmp -s out out2'
"$bin" user add --db x -h > out; rc=$?
check "-h anywhere after the command" '[ $rc -eq 0 ] && grep -q "^usage: holdcheck user add" out'
"$bin" help frobnicate > out 2> err; rc=$?
check "help of an unknown command exits 2" '[ $rc -eq 2 ]'
"$bin" serve --help --bogus > out; rc=$?
check "help wins over a bad option" '[ $rc -eq 0 ]'

# --- make install ---------------------------------------------------------------------------
dest=$tmp/dest
make -s -C "$root" install DESTDIR="$dest" PREFIX=/usr BUILD="$(dirname "$bin")" > make.out 2>&1; rc=$?
check "make install exits 0" '[ $rc -eq 0 ]'
[ $rc -eq 0 ] || tail -5 make.out
check "binary installed" '[ -x "$dest/usr/bin/holdcheck" ] && "$dest/usr/bin/holdcheck" version | grep -q "^holdcheck "'
check "man page installed" 'cmp -s "$root/docs/holdcheck.1" "$dest/usr/share/man/man1/holdcheck.1"'
check "example configuration installed" '[ -f "$dest/usr/share/doc/holdcheck/examples/holdcheck.conf" ]'
check "nothing written under /etc" '[ ! -e "$dest/etc" ]'
unit=$dest/usr/lib/systemd/system/holdcheck.service
check "systemd unit installed, running the installed binary" \
    'grep -qx "ExecStart=/usr/bin/holdcheck serve" "$unit" && ! grep -q @BINDIR@ "$unit"'
unit_has() { for k in "$@"; do grep -qx "$k" "$unit" || return 1; done; }
check "systemd unit sandboxed" 'unit_has DynamicUser=yes ProtectSystem=strict PrivateTmp=yes \
    NoNewPrivileges=yes StateDirectory=holdcheck UMask=0077 CapabilityBoundingSet='
if command -v systemd-analyze > /dev/null 2>&1; then
    # verify needs the binary where the unit says and its man page: the ones just installed.
    sed "s|/usr/bin/holdcheck|$dest/usr/bin/holdcheck|g" "$unit" > "$tmp/holdcheck.service"
    MANPATH=$dest/usr/share/man systemd-analyze verify "$tmp/holdcheck.service" > verify.out 2>&1; rc=$?
    check "systemd-analyze verify accepts the unit: $(head -c 300 verify.out)" '[ $rc -eq 0 ]'
fi
"$bin" serve --config "$root/docs/examples/holdcheck.conf" --print-config > out 2> err; rc=$?
check "the example configuration is valid and says the defaults" '[ $rc -eq 0 ] && [ "$(value listen out)" = 127.0.0.1:8080 ] &&
    [ "$(value allow_remote out)" = no ] && [ "$(value max_body_bytes out)" = 1048576 ]'

# --- The memory request bodies may hold (issue 15: 400 connections each sending a 1 MiB body
# took the server from 33 MB to 456 MB). With threads = 1, max_body_bytes = 1 MiB and
# body_memory_bytes = 8 MiB, the server keeps 2 connections (2 x (1 MiB + h2o's 408 KiB head
# + 4 KiB) each); 40 clients each send 1,000,000 bytes of a 1 MiB body and hold it. The rest
# are answered 503; the server grows by less than the budget; once they go, it serves again.
"$bin" migrate --db bodies.db > /dev/null 2>&1
printf 'db = bodies.db\nlisten = 127.0.0.1:0\nthreads = 1\nmax_body_bytes = 1MiB\nbody_memory_bytes = 8MiB\n' > bodies.conf
if start bodies --config bodies.conf; then
    port=$(sed -n 's|.*listening on http://127.0.0.1:\([0-9]*\)$|\1|p' bodies.out)
    python3 - "$port" "$srv_pid" > bodies.py.out 2>&1 <<'PY'
import socket, sys, time
port, pid = int(sys.argv[1]), sys.argv[2]
def rss():
    with open("/proc/%s/status" % pid) as f:
        return next(int(l.split()[1]) for l in f if l.startswith("VmRSS:"))
def status(sock):
    sock.settimeout(2)
    try:
        return sock.recv(64).split(b"\r\n")[0].decode()
    except OSError as e:
        return "none (%s)" % e.__class__.__name__
before = rss()
head = (b"POST /api/v1/session HTTP/1.1\r\nHost: t\r\nContent-Type: application/json\r\n"
        b"Content-Length: 1048576\r\n\r\n")
held, refused = [], 0
for i in range(40):
    s = socket.create_connection(("127.0.0.1", port))
    try:
        s.sendall(head + b" " * 1000000)
    except OSError:
        pass
    held.append(s)
time.sleep(1)
for s in held:
    s.setblocking(False)
    try:
        if s.recv(64).startswith(b"HTTP/1.1 503"):
            refused += 1
    except OSError:
        pass
grown = rss() - before
probe = socket.create_connection(("127.0.0.1", port))
probe.sendall(b"GET /healthz HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n")
while_held = status(probe)
for s in held:
    s.close()
time.sleep(0.5)
probe = socket.create_connection(("127.0.0.1", port))
probe.sendall(b"GET /healthz HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n")
print("refused %d grown_kib %d while_held %s after %s" % (refused, grown, while_held, status(probe)))
PY
    res=$(cat bodies.py.out)
    echo "bodies: $res"
    check "bodies: the connections past the budget are refused with 503 ($res)" 'echo "$res" | grep -q "^refused 38 "'
    check "bodies: the server grows by less than the budget ($res)" '[ "$(echo "$res" | sed -n "s/.*grown_kib \([0-9]*\).*/\1/p")" -lt 8192 ]'
    check "bodies: a new connection is refused while the budget is used ($res)" 'echo "$res" | grep -q "while_held HTTP/1.1 503"'
    check "bodies: served again once the bodies are gone ($res)" 'echo "$res" | grep -q "after HTTP/1.1 200"'
    stop
else
    bad "serve with body_memory_bytes did not start: $(cat bodies.err)"
    stop
fi

# --- Files: the database, its WAL and shared memory are the owner's alone, whatever the umask
# (issue 15: password hashes, requests and subscribers' addresses in a 0644 file).
mode() { stat -c %a "$1" 2> /dev/null || echo missing; }
old_umask=$(umask)
umask 000
"$bin" migrate --db modes.db > /dev/null 2>&1
printf 'db = modes.db\nlisten = 127.0.0.1:0\nthreads = 1\n' > modes.conf
if start modes --config modes.conf; then
    check "database created 0600 under umask 000 (is $(mode modes.db))" '[ "$(mode modes.db)" = 600 ]'
    check "WAL created 0600 under umask 000 (is $(mode modes.db-wal))" '[ "$(mode modes.db-wal)" = 600 ]'
    check "shared memory created 0600 under umask 000 (is $(mode modes.db-shm))" '[ "$(mode modes.db-shm)" = 600 ]'
    stop
else
    bad "serve for the file modes did not start: $(cat modes.err)"
    stop
fi
umask "$old_umask"

# --- The documents and the program agree (issue 15: the man page and the example said some
# values were refused that serve accepted, and user --help left out two subcommands). Every
# key, variable and flag that the man page, configuration.md and the example configuration
# name is checked against serve itself: each must be accepted and take effect
# (--print-config names where the value came from), and every key serve knows is documented.
man1=$root/docs/holdcheck.1
"$bin" serve --db x.db --print-config > known.out 2>&1
sed -n -e 's/^\([a-z0-9_]*\) = .*/\1/p' -e 's/^# \([a-z0-9_]*\) is not set.*/\1/p' known.out | sort > known
check "serve knows its keys" '[ "$(wc -l < known)" -ge 20 ]'
# value KEY: a valid value of KEY, not its default where that matters
val() {
    case $1 in
    db) echo x.db ;; listen) echo 127.0.0.1:0 ;;
    allow_remote|webhook_allow_private|transparency_page|http2) echo yes ;;
    threads) echo 1 ;; max_body_bytes) echo 2MiB ;; body_memory_bytes) echo 64MiB ;;
    session_hours) echo 2 ;; answer_cache_bytes) echo 0 ;; log_level) echo warn ;;
    catalog_dir) echo "$root/data" ;; public_base_url) echo https://jail.example.org ;;
    snapshot_dir) echo snaps ;; smtp_relay) echo 127.0.0.1:25 ;; smtp_from) echo a@example.org ;;
    intent_by) echo supervisor ;; agency_name) echo Test_Sheriff ;;
    agency_phone|victim_services_phone) echo '(510)555-0100' ;;
    victim_services_url) echo https://sheriff.example.gov/victims ;;
    sms_gateway_url) echo https://sms.example.com/v1/messages ;;
    sms_auth_header) echo 'Authorization: Bearer t' ;; sms_inbound_secret) echo s3cret ;;
    sms_body_template) echo 'To={to}&Body={text}' ;; sms_from) echo +15550100000 ;;
    sms_ca_file) echo ca.pem ;;
    smtp_tls) echo starttls ;; mail_outbox) echo outbox ;; tls_ca_file) echo ca.pem ;;
    tls_listen) echo 127.0.0.1:0 ;; tls_cert) echo cert.pem ;; tls_key) echo key.pem ;;
    trusted_proxies) echo 10.0.0.0/8 ;; proxy_header) echo forwarded ;;
    *) echo 70 ;;
    esac
}
# took KEY SOURCE ARGS...: serve --print-config with ARGS says KEY came from SOURCE
took() {
    k_=$1 src_=$2
    shift 2
    "$@" --print-config > took.out 2> took.err && grep -q "^$k_ = .*# $src_" took.out
}
docs_bad=""
man_keys=$(sed -n '/^\.SH CONFIGURATION/,/^\.SH ENVIRONMENT/p' "$man1" | sed -n 's/^\.B \([a-z0-9_]*\)$/\1/p' | grep '_\|^db$\|^listen$\|^threads$\|^http2$' | sort -u)
md_keys=$(sed -n 's/^| `\([a-z0-9_]*\)` |.*/\1/p' "$root/docs/configuration.md" | sort -u)
ex_keys=$(sed -n 's/^#\{0,1\}\([a-z0-9_]*\) = .*/\1/p' "$root/docs/examples/holdcheck.conf" | sort -u)
for k in $man_keys $md_keys $ex_keys; do
    grep -qx "$k" known || docs_bad="$docs_bad $k(unknown)"
    printf '%s = %s\n' "$k" "$(val "$k")" > one.conf
    [ "$k" = db ] || echo 'db = x.db' >> one.conf
    took "$k" "file one.conf" env HOLDCHECK_CONFIG=one.conf "$bin" serve || docs_bad="$docs_bad $k(file: $(head -c 200 took.err))"
done
check "every key the documents name is accepted in a file:$docs_bad" '[ -z "$docs_bad" ]'
docs_bad=""
while read -r k; do
    echo "$man_keys" | grep -qx "$k" || docs_bad="$docs_bad $k(man)"
    echo "$md_keys" | grep -qx "$k" || docs_bad="$docs_bad $k(configuration.md)"
done < known
check "every key serve knows is in the man page and configuration.md:$docs_bad" '[ -z "$docs_bad" ]'
# Variables: the man page's and configuration.md's HOLDCHECK_ names (and the rule the portal
# table gives: HOLDCHECK_ and the key in upper case).
docs_bad=""
for v in $( (grep -o 'HOLDCHECK_[A-Z0-9_]*' "$man1" "$root/docs/configuration.md" | cut -d: -f2
    sed 's/^/HOLDCHECK_/' known | tr '[:lower:]' '[:upper:]') | sort -u); do
    case $v in HOLDCHECK_|HOLDCHECK_CONFIG|HOLDCHECK_NOW) continue ;; esac
    k=$(echo "${v#HOLDCHECK_}" | tr '[:upper:]' '[:lower:]')
    [ "$k" = catalog_dir ] || grep -qx "$k" known || { docs_bad="$docs_bad $v(no such key)"; continue; }
    if [ "$k" = db ]; then took db "env $v" env "$v=x.db" "$bin" serve || docs_bad="$docs_bad $v"
    else took "$k" "env $v" env "$v=$(val "$k")" "$bin" serve --db x.db || docs_bad="$docs_bad $v"; fi
done
check "every variable the documents name is read:$docs_bad" '[ -z "$docs_bad" ]'
# Flags: serve's options in the man page, configuration.md's flag column, and the portal rule.
docs_bad=""
man_flags=$(sed -n '/^\.SH OPTIONS/,/^\.SH CONFIGURATION/p' "$man1" | sed -n '/^\.B \\-\\-config/,$p' |
    sed -n 's/^\.B \\-\\-\([a-z0-9\\-]*\).*/\1/p' | sed 's/\\//g')
md_flags=$(sed -n 's/^| `[a-z0-9_]*` | `HOLDCHECK_[A-Z0-9_]*` | `--\([a-z0-9-]*\).*/\1/p' "$root/docs/configuration.md")
for f in $( (echo "$man_flags"; echo "$md_flags"; tr _ - < known) | sort -u); do
    case $f in config|print-config|db) continue ;; catalog-dir) continue ;; catalog) k=catalog_dir ;;
        *) k=$(echo "$f" | tr - _) ;; esac
    case $k in
    allow_remote|webhook_allow_private|transparency_page|http2)
        took "$k" "flag --$f" "$bin" serve --db x.db "--$f" ;;
    *) took "$k" "flag --$f" "$bin" serve --db x.db "--$f" "$(val "$k")" ;;
    esac || docs_bad="$docs_bad --$f($(head -c 200 took.err))"
done
check "every flag the documents name is taken:$docs_bad" '[ -z "$docs_bad" ]'
# Subcommands: each the man page describes (COMMANDS, ".B user revoke") is in holdcheck --help
# and, for a two-word one, in `holdcheck CMD --help`.
docs_bad=""
"$bin" --help > help.out
# (A command's entry is the .B line after a .TP.)
awk '/^\.SH COMMANDS/ { c = 1 } /^\.SH OPTIONS/ { c = 0 } c && prev == ".TP" { print } { prev = $0 }' "$man1" |
    sed -n 's/^\.B \([a-z][a-z\\-]*\)\( \([a-z][a-z\\-]*\)\)\{0,1\}$/\1 \3/p' | sed 's/\\//g' > man_cmds
while read -r cmd sub; do
    grep -q "^  $cmd\b" help.out || { docs_bad="$docs_bad $cmd(--help)"; continue; }
    [ -z "$sub" ] || "$bin" "$cmd" --help | grep -q "holdcheck $cmd $sub\b\|holdcheck $cmd \[$sub\]" ||
        docs_bad="$docs_bad $cmd $sub($cmd --help)"
done < man_cmds
check "every subcommand the man page describes is in --help:$docs_bad" '[ -z "$docs_bad" ] && [ "$(wc -l < man_cmds)" -ge 15 ]'

# --- The manual page ------------------------------------------------------------------------
man1=$root/docs/holdcheck.1
groff -man -Tutf8 -ww "$man1" > out 2> err; rc=$?
check "groff -ww renders without warnings" '[ $rc -eq 0 ] && [ ! -s err ] && [ -s out ]'
if command -v man > /dev/null 2>&1; then
    MANWIDTH=80 man --warnings=all -l "$man1" > out 2> err; rc=$?
    check "man -l renders without warnings" '[ $rc -eq 0 ] && [ ! -s err ] && grep -q "CONFIGURATION" out'
else
    bad "man is not installed (apt-get install man-db)"
fi
for s in NAME SYNOPSIS DESCRIPTION COMMANDS OPTIONS CONFIGURATION ENVIRONMENT FILES \
    "EXIT STATUS" EXAMPLES "SEE ALSO"; do
    grep -q "^\.SH \"*$s\"*\$" "$man1" || bad "man page lacks section $s"
done
ok
check "man page names every key and variable" 'for k in db listen threads max_body_bytes session_hours log_level catalog_dir allow_remote; do
        grep -q "^\.B $k\$" "$man1" || exit 1; done &&
    for v in CONFIG DB LISTEN THREADS MAX_BODY_BYTES SESSION_HOURS LOG_LEVEL CATALOG_DIR ALLOW_REMOTE; do
        grep -q "HOLDCHECK_$v" "$man1" || exit 1; done'

echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
