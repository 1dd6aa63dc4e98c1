# shellcheck shell=sh
# tsan_lib.sh: shared by test_tsan.sh and test_soak.sh (sourced after lib.sh), which run the
# ThreadSanitizer build of the server. Sets TSAN_OPTIONS (reports kept going, the suppressions
# inside libh2o: tests/tsan-h2o.supp) and gives
#   no_tsan_report   one check: the server's log holds no ThreadSanitizer report.
TSAN_OPTIONS="suppressions=$(cd "$(dirname "$0")/../.." && pwd)/tests/tsan-h2o.supp halt_on_error=0 second_deadlock_stack=1"
export TSAN_OPTIONS
no_tsan_report() {
    # shellcheck disable=SC2154 # srv_log: set by srv_start (tests/lib/server.sh)
    if grep -q 'ThreadSanitizer' "$srv_log"; then
        bad "no ThreadSanitizer report" "$(grep -A12 'WARNING: ThreadSanitizer' "$srv_log" | head -40)"
    else
        ok "no ThreadSanitizer report"
    fi
}
