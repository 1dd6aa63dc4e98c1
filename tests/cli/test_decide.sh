#!/bin/sh
# test_decide.sh BIN: the `holdcheck decide` contract of docs/case-format.md: exit codes, one
# output line per input case in order, errors naming line and field, --explain, stdin.
# shellcheck disable=SC2016 # check NAME 'EXPR': EXPR is single-quoted to be evaluated later, by check()
set -u
bin=${1:?usage: test_decide.sh BIN}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
pass=0
fail=0
ok() { pass=$((pass + 1)); }
bad() { echo "FAIL: $*"; fail=$((fail + 1)); }
check() { if eval "$2"; then ok; else bad "$1"; fi; }

good='{"id":"a","as_of":"2024-05-01","request":{"type":"hold"}}'
good2='{"id":"b","as_of":"2024-05-01","request":{"type":"notification"},"agency":{"release_dates_public":true}}'

# Usage errors: exit 2.
"$bin" decide --bogus >/dev/null 2>&1; check "unknown option exits 2" '[ $? -eq 2 ]'
"$bin" decide a b >/dev/null 2>&1; check "two files exit 2" '[ $? -eq 2 ]'
"$bin" decide "$tmp/nope.jsonl" >/dev/null 2>&1; check "missing file exits 2" '[ $? -eq 2 ]'
"$bin" >/dev/null 2>&1; check "no command exits 2" '[ $? -eq 2 ]'
"$bin" frobnicate >/dev/null 2>&1; check "unknown command exits 2" '[ $? -eq 2 ]'

# JSON Lines, blank lines skipped, order kept, exit 0.
printf '%s\n\n%s\n' "$good" "$good2" > "$tmp/in.jsonl"
"$bin" decide "$tmp/in.jsonl" > "$tmp/out" 2> "$tmp/err"; rc=$?
check "valid input exits 0" '[ $rc -eq 0 ]'
check "one line per case" '[ $(wc -l < "$tmp/out") -eq 2 ]'
check "order kept" '[ "$(jq -r .id "$tmp/out" | tr "\n" " ")" = "a b " ]'
check "outcomes" '[ "$(jq -r .outcome "$tmp/out" | tr "\n" " ")" = "prohibited permitted " ]'
check "no stderr" '[ ! -s "$tmp/err" ]'

# Standard input.
printf '%s\n' "$good" | "$bin" decide - > "$tmp/out" 2> "$tmp/err"; rc=$?
check "stdin works" '[ $rc -eq 0 ] && [ ! -s "$tmp/err" ] && [ "$(jq -r .id "$tmp/out")" = a ]'
printf '%s\n' "$good" | "$bin" decide > "$tmp/out" 2> "$tmp/err"; rc=$?
check "no file means stdin" '[ $rc -eq 0 ] && [ ! -s "$tmp/err" ] && [ "$(jq -r .id "$tmp/out")" = a ]'

# A bad line among good ones: exit 1, stderr names line and field, its place keeps an error.
printf '%s\n%s\n%s\n' "$good" '{"id":"x","as_of":"2024-13-01","request":{"type":"hold"}}' "$good2" > "$tmp/mixed.jsonl"
"$bin" decide "$tmp/mixed.jsonl" > "$tmp/out" 2> "$tmp/err"; rc=$?
check "invalid line exits 1" '[ $rc -eq 1 ]'
check "other lines still decided" '[ $(wc -l < "$tmp/out") -eq 3 ] && [ "$(sed -n 3p "$tmp/out" | jq -r .id)" = b ]'
check "error object in place" '[ "$(sed -n 2p "$tmp/out" | jq -r .line)" = 2 ] && [ "$(sed -n 2p "$tmp/out" | jq -r .field)" = as_of ]'
check "stderr names line and field" 'grep -q "^holdcheck: line 2: as_of: " "$tmp/err"'

# Syntax error mid-file: resynchronises at the next line.
printf '%s\n%s\n%s\n' "$good" '{"id":"x", "as_of": ' "$good2" > "$tmp/broken.jsonl"
"$bin" decide "$tmp/broken.jsonl" > "$tmp/out" 2> "$tmp/err"; rc=$?
check "broken line exits 1, others decided" '[ $rc -eq 1 ] && [ "$(sed -n 3p "$tmp/out" | jq -r .id)" = b ]'

# Two values on one line are not JSON Lines.
printf '%s %s\n' "$good" "$good" > "$tmp/two.jsonl"
"$bin" decide "$tmp/two.jsonl" > "$tmp/out" 2> "$tmp/err"; rc=$?
check "two values on a line rejected" '[ $rc -eq 1 ] && grep -q "more than one JSON value" "$tmp/err"'

# One pretty-printed case.
printf '%s\n' "$good2" | jq . > "$tmp/pretty.json"
"$bin" decide "$tmp/pretty.json" > "$tmp/out" 2> "$tmp/err"; rc=$?
check "pretty-printed case" '[ $rc -eq 0 ] && [ "$(jq -r .outcome "$tmp/out")" = permitted ]'

# Before the first law: a clear error naming as_of.
printf '%s\n' '{"as_of":"2013-06-01","request":{"type":"hold"}}' > "$tmp/old.jsonl"
"$bin" decide "$tmp/old.jsonl" > "$tmp/out" 2> "$tmp/err"; rc=$?
check "pre-2014 date is an error" '[ $rc -eq 1 ] && grep -q "as_of: is before 2014-01-01" "$tmp/err"'

# A file larger than one case's arena whose first case has an escape (regression: the first
# string's slow path once reserved the whole rest of the file and failed "case too large").
{ printf '%s\n' '{"id":"caf\u00e9 \u00a7","as_of":"2024-05-01","request":{"type":"hold"}}'
  i=0; while [ $i -lt 70000 ]; do printf '%s\n' "$good"; i=$((i + 1)); done; } > "$tmp/big.jsonl"
"$bin" decide "$tmp/big.jsonl" > "$tmp/out" 2> "$tmp/err"; rc=$?
check "large file, escaped first line" '[ $rc -eq 0 ] && [ "$(head -1 "$tmp/out" | jq -r .id)" = "café §" ] && [ $(wc -l < "$tmp/out") -eq 70001 ]'

# --explain prints a readable report.
printf '%s\n' "$good2" | "$bin" decide --explain - > "$tmp/out"; rc=$?
check "explain" '[ $rc -eq 0 ] && grep -q "^Decision b: permitted" "$tmp/out" && grep -q "^Provisions:" "$tmp/out"'

# Output is valid JSON with every documented key.
printf '%s\n' "$good2" | "$bin" decide - > "$tmp/out"; rc=$?
check "all output keys" '[ $rc -eq 0 ] && jq -e '"'"'has("outcome") and has("basis") and has("qualifying") and has("conditions") and has("missing") and has("conflicts") and has("ruleset") and has("explanation")'"'"' "$tmp/out" > /dev/null'

# --catalog reads the tables from a directory; a broken table is reported with file and line.
"$bin" decide --catalog data "$tmp/in.jsonl" > /dev/null 2>&1; check "--catalog data" '[ $? -eq 0 ]'
mkdir -p "$tmp/cat/ca"
printf 'PC 1\t-\t-\tQ\tprison\t-\t-\t-\t-\t-\t-\tx\ty\n' > "$tmp/cat/ca/bad.tsv"
"$bin" decide --catalog "$tmp/cat" "$tmp/in.jsonl" > /dev/null 2> "$tmp/err"
# shellcheck disable=SC2034 # rc is read by the check string, evaluated in check()
rc=$?
check "broken catalog names file and line" '[ $rc -ne 0 ] && grep -q "bad.tsv:1" "$tmp/err"'

echo "cli decide: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
