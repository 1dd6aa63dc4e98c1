# shellcheck shell=sh
# shellcheck disable=SC2154 # bin: set by the sourcing test
# lib.sh: shared by the import tests (sourced; set `bin` first). Gives a temporary directory
# $tmp removed on exit, the counters, and:
#   ok NAME / bad NAME WHY       record an outcome
#   check NAME COMMAND...        passes when the command succeeds
#   count DB SQL                 the sqlite3 shell's answer
#   run NAME WANT_EXIT ARGS...   run holdcheck (stdout in $tmp/out, stderr in $tmp/err); passes
#                                when it exits WANT_EXIT with no sanitizer report
#   newdb DB                     a fresh migrated database
#   has_err NAME TEXT            stderr of the last run contains TEXT
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT INT TERM
pass=0
fail=0
ok() { pass=$((pass + 1)); echo "ok   $1"; }
bad() { fail=$((fail + 1)); echo "FAIL $1: $2"; }
check() { # NAME COMMAND...: passes when the command succeeds
    n=$1; shift
    if "$@"; then ok "$n"; else bad "$n" "$*"; fi
}
# shellcheck source=../lib/sanitizer.sh
. "$(dirname "$0")/../lib/sanitizer.sh"
count() { sqlite3 "$1" "$2"; }
# run NAME WANT_EXIT ARGS...: run holdcheck, keep stdout/stderr in $tmp/out, $tmp/err; passes
# when it exits WANT_EXIT with no sanitizer report (ASan exits 1, a status the tests expect).
run() {
    n=$1 want=$2; shift 2
    "$bin" "$@" > "$tmp/out" 2> "$tmp/err"
    got=$?
    if san_found "$tmp/err"; then bad "$n" "sanitizer report: $(san_excerpt "$tmp/err")"
    elif [ "$got" = "$want" ]; then ok "$n"; else bad "$n" "exit $got, want $want: $(head -c 600 "$tmp/err")"; fi
}
newdb() { rm -f "$1" "$1-wal" "$1-shm"; run "migrate $(basename "$1")" 0 migrate --db "$1"; }
has_err() { # NAME TEXT: stderr of the last run contains TEXT
    if grep -qF -- "$2" "$tmp/err"; then ok "$1"; else bad "$1" "stderr lacks '$2': $(head -c 600 "$tmp/err")"; fi
}

