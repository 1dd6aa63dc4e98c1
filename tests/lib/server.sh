# shellcheck shell=sh
# server.sh: the one way a shell test starts and stops `holdcheck serve` (sourced). Every test
# server stops through srv_stop, which checks its exit status and its log, so a server that
# leaks, trips a sanitizer or an assertion, or dies on its own fails the test that ran it.
#
# The sourcing script sets `bin` (the holdcheck binary) and `tmp` (a scratch directory) and
# defines `ok NAME` and `bad NAME WHY` (count a pass or a failure) and, for srv_start, `die WHY`.
#
#   srv_spawn OUT ERR SERVE-ARGS...
#       start `$bin serve SERVE-ARGS...` in the background, its standard output to OUT and its
#       standard error to ERR (the same file for one log); sets $srv_pid. No wait.
#   srv_wait_ready
#       wait (up to SRV_START_SECONDS, default 30) until the server prints its "listening on"
#       line and answers /healthz; sets $port and $B. Returns 1 when it never does (or exited).
#   srv_start DB [SERVE-ARGS...]
#       both, on a free 127.0.0.1 port, logging to $srv_log ($tmp/serve.log, stdout and stderr
#       together); on failure prints the log and dies.
#   srv_stop [TERM|KILL|INT]
#       stop the server with that signal (TERM by default) and check, as two counted checks:
#       - "server stops on SIGTERM": it exits 0 within SRV_STOP_SECONDS (default 20; SIGKILL:
#         it died of that signal, 128+9), and it had not already exited on its own;
#       - "server log clean": no sanitizer report or failed assertion in OUT or ERR
#         (tests/lib/sanitizer.sh).
#   srv_cleanup
#       for the EXIT trap: a server still running when the script ends (it died, or forgot to
#       stop it) is stopped, its status and log checked, and the script's exit status becomes 1
#       if they are not clean. The scripts call it from their own trap (tests/http/lib.sh does).
#
# Seen from a test: sourcing tests/http/lib.sh gives all of this (lib.sh sources this file).

# shellcheck source=sanitizer.sh
. "$(dirname "$0")/../lib/sanitizer.sh"

: "${bin:?tests/lib/server.sh: set bin first}" "${tmp:?tests/lib/server.sh: set tmp first}"
srv_pid=""
srv_out=""
srv_err=""
srv_log=$tmp/serve.log
srv_status=""
port=""
B=""

srv_spawn() {
    srv_out=$1
    srv_err=$2
    shift 2
    if [ "$srv_out" = "$srv_err" ]; then
        "$bin" serve "$@" > "$srv_out" 2>&1 &
    else
        "$bin" serve "$@" > "$srv_out" 2> "$srv_err" &
    fi
    srv_pid=$!
}

srv_wait_ready() {
    tries_=$((${SRV_START_SECONDS:-30} * 10))
    port=""
    B=""
    i_=0
    while [ $i_ -lt $tries_ ]; do
        port=$(sed -n 's/^holdcheck: listening on http:\/\/127\.0\.0\.1:\([0-9][0-9]*\)$/\1/p' "$srv_out" 2> /dev/null)
        [ -n "$port" ] && break
        kill -0 "$srv_pid" 2> /dev/null || return 1
        sleep 0.1
        i_=$((i_ + 1))
    done
    [ -n "$port" ] || return 1
    B=http://127.0.0.1:$port
    # After a SIGKILL the first connection recovers the WAL; under a parallel make that has
    # taken over 5 s.
    until curl -sf --max-time 5 "$B/healthz" > /dev/null 2>&1; do
        kill -0 "$srv_pid" 2> /dev/null || return 1
        i_=$((i_ + 1))
        [ $i_ -lt $((tries_ * 2)) ] || return 1
        sleep 0.1
    done
    return 0
}

# srv_why_not_ready: the log of a server srv_wait_ready gave up on, what it answered last, and
# what its threads were doing (a start that printed its banner and then never answered
# /healthz has been seen, rarely, on a loaded machine; its cause is not known yet).
srv_why_not_ready() {
    cat "$srv_log"
    [ -z "$B" ] || echo "healthz: $(curl -s -m 5 -o /dev/null -w '%{http_code} in %{time_total}s' "$B/healthz" 2>&1)"
    for t_ in /proc/"$srv_pid"/task/*; do
        [ -r "$t_/stat" ] && echo "thread ${t_##*/}: $(cut -d' ' -f3 "$t_/stat") $(cat "$t_/wchan" 2>/dev/null)"
    done
}

srv_start() {
    db_=$1
    shift
    srv_spawn "$srv_log" "$srv_log" --db "$db_" --listen 127.0.0.1:0 "$@"
    srv_wait_ready && return 0
    # Once more, loudly: the first start's state is printed, so the rare hang stays on record
    # without costing the whole suite; a second failure ends it.
    echo "WARNING: the server did not become ready; its state, then a second start:"
    srv_why_not_ready
    srv_stop TERM
    srv_spawn "$srv_log" "$srv_log" --db "$db_" --listen 127.0.0.1:0 "$@"
    if ! srv_wait_ready; then
        srv_why_not_ready
        srv_stop TERM
        die "server did not start"
    fi
}

# srv_reap SIGNAL: signal the server, wait for it; sets srv_status ("running" if it would not
# stop, "early" prefix if it had exited before the signal).
srv_reap() {
    early_=""
    if kill -0 "$srv_pid" 2> /dev/null; then
        kill "-$1" "$srv_pid" 2> /dev/null
    else
        early_="early "
    fi
    n_=$((${SRV_STOP_SECONDS:-20} * 10))
    while kill -0 "$srv_pid" 2> /dev/null && [ $n_ -gt 0 ]; do
        sleep 0.1
        n_=$((n_ - 1))
    done
    if kill -0 "$srv_pid" 2> /dev/null; then
        kill -KILL "$srv_pid" 2> /dev/null
        wait "$srv_pid" 2> /dev/null
        srv_status=running
    else
        wait "$srv_pid"
        srv_status=$early_$?
    fi
    srv_pid=""
}

srv_stop() {
    sig_=${1:-TERM}
    if [ -z "$srv_pid" ]; then
        bad "server stops on SIG$sig_" "no server was running"
        return 0
    fi
    case $sig_ in KILL) want_=137 ;; *) want_=0 ;; esac
    srv_reap "$sig_"
    if [ "$srv_status" = "$want_" ]; then
        ok "server stops on SIG$sig_"
    elif [ "$srv_status" = running ]; then
        bad "server stops on SIG$sig_" "still running after ${SRV_STOP_SECONDS:-20} s (killed)"
    else
        bad "server stops on SIG$sig_" "exit status $srv_status, want $want_: $(tail -n 3 "$srv_err" | cut -c 1-200)"
    fi
    # The log files as "$@": one when stdout and stderr share it.
    if [ "$srv_out" = "$srv_err" ]; then set -- "$srv_out"; else set -- "$srv_out" "$srv_err"; fi
    if san_found "$@"; then
        bad "server log clean" "$(san_excerpt "$@")"
    else
        ok "server log clean"
    fi
}

srv_cleanup() {
    [ -n "$srv_pid" ] || return 0
    srv_reap TERM
    # The log files as "$@": one when stdout and stderr share it.
    if [ "$srv_out" = "$srv_err" ]; then set -- "$srv_out"; else set -- "$srv_out" "$srv_err"; fi
    if [ "$srv_status" != 0 ] || san_found "$@"; then
        echo "FAIL server left running at exit: exit status $srv_status"
        san_excerpt "$@"
        return 1
    fi
    return 0
}
