# shellcheck shell=sh
# sanitizer.sh: the one definition of "this output holds a sanitizer or assertion report",
# sourced by every runner that runs holdcheck (tests/lib/server.sh, tests/cases/run.sh, ...).
#   san_found FILE...      exit 0 when any FILE holds a report of AddressSanitizer,
#                          LeakSanitizer, UndefinedBehaviorSanitizer ("runtime error:") or a
#                          failed assert(); 1 otherwise
#   san_excerpt FILE...    the first lines of those reports (for a FAIL message)
# A report is a failure whatever the exit status: ASan and UBSan exit 1 (which is also a
# legitimate exit status of holdcheck), LeakSanitizer 23.
SAN_PATTERN='ERROR: AddressSanitizer|ERROR: LeakSanitizer|WARNING: AddressSanitizer|LeakSanitizer: detected|SUMMARY: (Address|Leak|UndefinedBehavior)Sanitizer|runtime error:|Assertion .* failed|Assertion failed'

san_found() {
    grep -Eqs -- "$SAN_PATTERN" "$@"
}

san_excerpt() {
    grep -Ehs -- "$SAN_PATTERN|^ *#[0-9]+ " "$@" | head -12
}
