#!/bin/sh
# lint.sh: the static checks behind `make lint`. Five steps, each run even if another failed:
#   grep       banned calls in src/, and the I/O-header fence around src/core and src/common
#   cppcheck   on src/ and bench/ (suppressions, each with its reason: tools/cppcheck.supp)
#   tidy       clang-tidy on src/, one process per file in parallel, checks from .clang-tidy
#   shell      shellcheck on tests/, tools/, bench/ and .ci/run
# Every finding is printed; the exit status is 1 if any step found something (or could not run).
#
# Usage: tools/lint.sh [STEP...] [FILE.c...]
#   With no STEP, all of them. FILE.c arguments narrow cppcheck and clang-tidy to those files,
#   which is the quick way to iterate on one file's findings.
# Environment: LINT_JOBS (parallel processes; default: the number of CPUs), LINT_ANALYZER
#   (shallow, the default, or deep: see step_tidy), CLANG_TIDY, CPPCHECK, SHELLCHECK (the
#   programs), BUILD (default build; scratch files go to $BUILD/lint).
set -u
cd "$(dirname "$0")/.." || exit 2

CLANG_TIDY=${CLANG_TIDY:-clang-tidy}
CPPCHECK=${CPPCHECK:-cppcheck}
SHELLCHECK=${SHELLCHECK:-shellcheck}
BUILD=${BUILD:-build}
jobs=${LINT_JOBS:-$(getconf _NPROCESSORS_ONLN 2> /dev/null || echo 2)}

steps='' files=''
for a in "$@"; do
    case $a in
    grep | cppcheck | tidy | shell) steps="$steps $a" ;;
    *.c) files="$files $a" ;;
    *)
        echo "usage: tools/lint.sh [grep|cppcheck|tidy|shell]... [FILE.c]..." >&2
        exit 2
        ;;
    esac
done
[ -n "$steps" ] || steps='grep cppcheck tidy shell'
# Every C file of src/ (cppcheck: and the engine benchmark), in a stable order.
if [ -n "$files" ]; then
    cpp_files=$files tidy_files=$files
else
    cpp_files=$(find src bench -name '*.c' | LC_ALL=C sort)
    tidy_files=$(find src -name '*.c' | LC_ALL=C sort)
fi

tmp="$BUILD/lint"
rm -rf "$tmp"
mkdir -p "$tmp" || exit 2
failed=''

# The compiler's view of the code: the Makefile's standard and feature macros, h2o's event loop
# choice, every module's include directory (the lead narrows these per module once the
# Makefile's module template lands) and the libraries' own include paths.
CSTD='-std=c11 -D_POSIX_C_SOURCE=200809L'
DEFS='-DH2O_USE_LIBUV=0'
INCS='-Isrc/common -Isrc/core -Isrc/notice -Isrc/store -Isrc/store/rows -Isrc/app -Isrc/http -Isrc/cli'
PKGS='libh2o-evloop sqlite3 libpq jansson libsodium pangocairo cairo-pdf cmocka'

need() {
    command -v "$1" > /dev/null 2>&1 && return 0
    echo "lint: $1 not found (sh tools/install-deps.sh installs it)"
    return 1
}

# Run step $1 (the function step_$1), time it and remember a failure.
run() {
    t0=$(date +%s)
    if "step_$1"; then
        echo "lint: $1 ok ($(($(date +%s) - t0)) s)"
    else
        echo "lint: $1 FAILED ($(($(date +%s) - t0)) s)"
        failed="$failed $1"
    fi
}

step_grep() {
    rc=0
    # Unbounded or error-hiding calls; the safe replacements are in src/common (buf, str).
    if grep -nE '\b(sprintf|strcpy|strcat|strncpy|strtok|atoi|atol|gets|system)\(' src/*/*.[ch]; then
        echo "lint: banned call (use snprintf/buf_*, memcpy with a checked length, strtol)"
        rc=1
    fi
    # The engine is pure: no I/O, clock, database or server header. src/common is the layer
    # below everything and equally pure, except its clock and its log, whose jobs are I/O.
    io='#include <(stdio|unistd|time|sqlite3|libpq-fe|h2o)\.h>'
    if grep -nE "$io" src/core/*.[ch]; then
        echo "lint: I/O header in src/core"
        rc=1
    fi
    if find src/common -name '*.[ch]' ! -name clock.c ! -name log.c ! -name file.c -exec grep -nHE "$io" {} +; then
        echo "lint: I/O header in src/common (only clock.c, log.c and file.c, the one file reader, may have one)"
        rc=1
    fi
    return $rc
}

step_cppcheck() {
    need "$CPPCHECK" || return 1
    # Only the configuration the build uses (-D...), without the system headers (cppcheck's
    # advice: the library files below describe those functions better than their headers do).
    # --enable=style is on for its dead stores, redundant conditions and unused members; the
    # checks of it that are wrong for this code are suppressed in tools/cppcheck.supp.
    # shellcheck disable=SC2086 # $cpp_files, $INCS, $DEFS: word lists, split on purpose
    "$CPPCHECK" -q -j "$jobs" --std=c11 -D_POSIX_C_SOURCE=200809L $DEFS $INCS \
        --enable=warning,style,performance,portability --library=posix,sqlite3,cairo \
        --inline-suppr --suppressions-list=tools/cppcheck.supp --error-exitcode=1 \
        --template='{file}:{line}:{column}: {severity}: {message} [{id}]\n{code}' $cpp_files
}

step_tidy() {
    need "$CLANG_TIDY" || return 1
    need pkg-config || return 1
    # shellcheck disable=SC2086 # a list of package names
    pkg=$(pkg-config --cflags $PKGS) || return 1
    # The Clang static analyzer is nearly all of clang-tidy's time. Its shallow mode (fewer
    # paths per function, less inlining) takes a third of the CPU time of the deep mode on this
    # code, and each mode found a few paths the other missed. `make lint` runs shallow, to stay
    # within minutes on two cores; LINT_ANALYZER=deep is the longer run, e.g. for nightly CI.
    case ${LINT_ANALYZER:-shallow} in
    shallow | deep) ;;
    *)
        echo "lint: LINT_ANALYZER must be shallow or deep"
        return 1
        ;;
    esac
    pkg="$pkg -Xclang -analyzer-config -Xclang mode=${LINT_ANALYZER:-shallow}"
    # One clang-tidy per file, $jobs at a time. A file's findings (stdout) go to its own .out,
    # so parallel runs never interleave; a file that fails leaves a .fail mark.
    # shellcheck disable=SC2016,SC2086 # the inner script expands its own arguments; a file list
    printf '%s\n' $tidy_files | xargs -P "$jobs" -I{} sh -c '
        out=$1/$(printf %s "$2" | tr / _)
        "$3" --quiet "$2" -- $4 > "$out.out" 2> "$out.err" || touch "$out.fail"
    ' sh "$tmp" {} "$CLANG_TIDY" "$CSTD $DEFS $INCS $pkg"
    # A header's findings are reported once per file that includes it: print each once, with
    # the source line and caret that follow it, paths relative to the tree.
    find "$tmp" -name '*.out' -exec cat {} + | sed "s|^$PWD/||" | awk '
        /^[^ ].*:[0-9]+:[0-9]+: (warning|error): / { key = $0; show = !(key in seen); seen[key] = 1 }
        show { print }'
    nfail=$(find "$tmp" -name '*.fail' | wc -l)
    [ "$nfail" -eq 0 ] && return 0
    # Errors that are not findings (a file that does not compile, a bad .clang-tidy).
    find "$tmp" -name '*.err' -exec cat {} + |
        grep -vE '^([0-9]+ warnings? (and [0-9]+ errors? )?generated|Suppressed [0-9]+ warnings|Use -header-filter|[0-9]+ warnings? treated as errors?)' |
        sed "s|^$PWD/||"
    echo "lint: clang-tidy found something in $nfail file(s)"
    return 1
}

step_shell() {
    need "$SHELLCHECK" || return 1
    # SC2015 (A && B || C): the tests write `check && ok NAME || bad NAME`, where ok only counts
    # and prints, so C never follows B; the warning fires on every assertion and says nothing.
    # SC2016 ($ in single quotes): the tests pass shell and jq expressions in single quotes on
    # purpose, to be expanded later by `eval` or jq.
    # SC2119/SC2120 (a function called without the arguments it reads): the test helpers take
    # optional arguments with defaults (`pub_stop [SIGNAL]`, `${1:-TERM}`).
    excl=SC2015,SC2016,SC2119,SC2120
    # Scripts name their shell with a #!; the fragments they source (tests/*/lib.sh ...) have
    # none and are sourced by /bin/sh scripts. -x -P SCRIPTDIR follows `. "$(dirname "$0")/lib.sh"`.
    scripts='' fragments=''
    for f in $(find tests bench -name '*.sh' | LC_ALL=C sort) tools/*.sh .ci/run; do
        if head -n 1 "$f" | grep -q '^#!'; then
            scripts="$scripts $f"
        else
            fragments="$fragments $f"
        fi
    done
    rc=0
    # shellcheck disable=SC2086 # file lists
    "$SHELLCHECK" -x -P SCRIPTDIR -e "$excl" -f gcc $scripts || rc=1
    if [ -n "$fragments" ]; then
        # shellcheck disable=SC2086
        "$SHELLCHECK" -x -P SCRIPTDIR -e "$excl" -s sh -f gcc $fragments || rc=1
    fi
    return $rc
}

for s in $steps; do
    run "$s"
done
if [ -n "$failed" ]; then
    echo "lint: FAILED:$failed"
    exit 1
fi
echo "lint: ok"
