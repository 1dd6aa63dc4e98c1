#!/bin/sh
# run.sh [BUILD]: mutation checks of the test harness (issue 10, "Tests that can fail"). Each
# check breaks holdcheck on purpose and passes only when the harness that guards it FAILS:
#   decide-*  a wrapper around BUILD/holdcheck that prints the real output, then
#             - exits 23 (LeakSanitizer's status) where the real binary exited 0;
#             - exits 23 always, with a LeakSanitizer report on stderr;
#             - keeps the real status but prints an AddressSanitizer report on stderr
#               (ASan exits 1, a status the malformed cases expect);
#             and tests/cases/run.sh with it must fail.
#   leak-*    a copy of the source tree with a one-line leak (tests/mutation/leak.sh) in a
#             route handler, built with the sanitizers (build/holdcheck-san), under which the
#             sanitized public tests (check-public-san: tests/public/test_public.sh) must fail,
#             and fail on the server's exit status or log (not on something else).
# MUTATION_ONLY=decide or MUTATION_ONLY=leak runs one group; MUTATION_LEAKS lists the leak
# sites (default: "healthz public-info"). Ends with "N passed, M failed"; exits 1 on failure.
# Run from the top of the source tree after `make build/holdcheck build/holdcheck-san`.
set -u
build=${1:-build}
root=$(pwd)
here=$root/tests/mutation
only=${MUTATION_ONLY:-}
leaks=${MUTATION_LEAKS:-healthz public-info}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
trap 'exit 1' INT TERM
pass=0
fail=0
ok() { pass=$((pass + 1)); echo "ok   $1"; }
bad() { fail=$((fail + 1)); echo "FAIL $1: $2"; }

[ -x "$build/holdcheck" ] || { echo "no $build/holdcheck: run make first"; echo "0 passed, 1 failed"; exit 1; }
real=$root/$build/holdcheck

# expect_fail NAME LOG CMD...: the harness run CMD must exit non-zero (its output in LOG).
expect_fail() {
    name=$1 log=$2
    shift 2
    "$@" > "$log" 2>&1
    rc=$?
    if [ $rc -ne 0 ]; then ok "$name (harness exit $rc: $(tail -1 "$log"))"
    else bad "$name" "the harness passed: $(tail -1 "$log")"; fi
}

# --- decide wrappers ------------------------------------------------------------------------
if [ -z "$only" ] || [ "$only" = decide ]; then
    # wrapper NAME BODY: an executable $tmp/NAME that runs the real binary, then BODY (with
    # $rc its status).
    wrapper() {
        printf '#!/bin/sh\n"%s" "$@"\nrc=$?\n%s\n' "$real" "$2" > "$tmp/$1"
        chmod +x "$tmp/$1"
    }
    # The bodies are shell code for the wrapper, where $rc is its variable.
    # shellcheck disable=SC2016
    wrapper exit23-on-success '[ $rc -eq 0 ] && exit 23
exit $rc'
    wrapper exit23-lsan 'echo "==1==ERROR: LeakSanitizer: detected memory leaks" >&2
echo "SUMMARY: AddressSanitizer: 64 byte(s) leaked in 1 allocation(s)." >&2
exit 23'
    # shellcheck disable=SC2016
    wrapper asan-report 'echo "==1==ERROR: AddressSanitizer: heap-buffer-overflow on address 0x602000000011" >&2
exit $rc'
    # The unmodified binary passes (so the failures below are the mutations' doing).
    if sh tests/cases/run.sh "$real" > "$tmp/control.log" 2>&1; then
        ok "decide control: the real binary passes ($(tail -1 "$tmp/control.log"))"
    else
        bad "decide control" "the real binary fails: $(tail -3 "$tmp/control.log")"
    fi
    for w in exit23-on-success exit23-lsan asan-report; do
        expect_fail "decide-$w makes tests/cases/run.sh fail" "$tmp/$w.log" sh tests/cases/run.sh "$tmp/$w"
    done
fi

# --- a leak in a public route ---------------------------------------------------------------
if [ -z "$only" ] || [ "$only" = leak ]; then
    for site in $leaks; do
        t=$tmp/tree-$site
        mkdir -p "$t"
        # The tree as it is now (uncommitted work included), with its built objects and their
        # times, so only the patched file is compiled again.
        tar -C "$root" --exclude=./.git --exclude=./node_modules --exclude="./$build/browser-artifacts" \
            --exclude="./$build/notice-artifacts" -cf - . | tar -C "$t" -xf -
        if ! sh "$here/leak.sh" "$t" "$site" > "$tmp/patch-$site.log" 2>&1; then
            bad "leak-$site: patch" "$(cat "$tmp/patch-$site.log")"
            continue
        fi
        echo "# leak-$site: $(cat "$tmp/patch-$site.log")"
        if ! make -C "$t" BUILD="$build" "$build/holdcheck-san" > "$tmp/make-$site.log" 2>&1; then
            bad "leak-$site: build" "$(tail -20 "$tmp/make-$site.log")"
            continue
        fi
        ok "leak-$site: the leaking build/holdcheck-san builds"
        # As mk/public.mk's check-public-san runs it (h2o's own exit-time leaks suppressed).
        log=$tmp/public-$site.log
        expect_fail "leak-$site makes the sanitized public tests fail" "$log" \
            env "LSAN_OPTIONS=suppressions=$root/tests/lsan-h2o.supp" \
            timeout 600 sh tests/public/test_public.sh "$t/$build/holdcheck-san"
        if grep -q '^FAIL server stops on SIGTERM: exit status 23\|^FAIL server log clean: .*LeakSanitizer' "$log"; then
            ok "leak-$site: the failure is the server's leak report"
            grep -m 2 '^FAIL server' "$log" | cut -c 1-200
        else
            bad "leak-$site: the failure is the server's leak report" "$(grep '^FAIL' "$log" | head -5)"
        fi
    done
fi

echo "mutation checks: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
