#!/bin/sh
# run.sh BIN: replay the golden cases of tests/cases/*.jsonl through `BIN decide` and check each
# decision against its expectations (format: tests/cases/README.md). Prints every failure and
# ends with "N passed, M failed"; exits 1 if anything failed.
# Besides each case's expectations, every run of `BIN decide` is itself checked, and each of
# these counts as a failure: a file of valid cases must exit 0 with nothing on stderr and give
# one decision per case; a malformed line must exit 1; no run may print a sanitizer report or a
# failed assertion (tests/lib/sanitizer.sh), whatever its exit status.
set -u
bin=${1:?usage: run.sh BIN}
dir=$(dirname "$0")
# shellcheck source=../lib/sanitizer.sh
. "$dir/../lib/sanitizer.sh"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
pass=0
fail=0

for f in "$dir"/*.jsonl; do
    jq -c 'select(has("case")) | .case' "$f" > "$tmp/in.jsonl" || { echo "bad JSON in $f"; exit 1; }
    jq -c 'select(has("case"))' "$f" > "$tmp/exp.jsonl"
    if [ -s "$tmp/in.jsonl" ]; then
        "$bin" decide "$tmp/in.jsonl" > "$tmp/out.jsonl" 2> "$tmp/err.txt"
        rc=$?
        if [ $rc -ne 0 ]; then
            echo "FAIL $f: decide exited $rc: $(head -3 "$tmp/err.txt")"
            fail=$((fail + 1))
        fi
        if san_found "$tmp/err.txt"; then
            echo "FAIL $f: sanitizer report: $(san_excerpt "$tmp/err.txt")"
            fail=$((fail + 1))
        elif [ -s "$tmp/err.txt" ]; then
            echo "FAIL $f: decide wrote to stderr: $(head -3 "$tmp/err.txt")"
            fail=$((fail + 1))
        fi
        n_in=$(grep -c . "$tmp/in.jsonl")
        n_out=$(grep -c . "$tmp/out.jsonl")
        if [ "$n_out" -ne "$n_in" ]; then
            echo "FAIL $f: $n_out decisions for $n_in cases"
            fail=$((fail + 1))
        fi
        # One result line per case: "ok NAME" or "FAIL NAME: reasons".
        jq -n -r --slurpfile e "$tmp/exp.jsonl" --slurpfile o "$tmp/out.jsonl" '
          def has_sub($list; $s): any($list[]?; type == "string" and contains($s));
          range(0; $e | length) as $i
          | $e[$i] as $x | ($o[$i] // {}) as $d | $x.expect as $w
          | [ (if $d.outcome != $w.outcome then "outcome \($d.outcome) != \($w.outcome)" else empty end),
              ($w.basis // [] | .[] | select(has_sub($d.basis; .) | not) | "basis lacks \(.)"),
              ($w.not_basis // [] | .[] | select(has_sub($d.basis; .)) | "basis has \(.)"),
              ($w.conditions // [] | .[] | select(has_sub($d.conditions; .) | not) | "conditions lack \(.)"),
              ($w.not_conditions // [] | .[] | select(has_sub($d.conditions; .)) | "conditions have \(.)"),
              (if ($w.missing // false) and (($d.missing // []) | length) == 0 then "missing is empty" else empty end),
              (if ($w.conflicts // false) and (($d.conflicts // []) | length) == 0 then "conflicts is empty" else empty end),
              ($w.settings // [] | .[] | select(. as $s | ($d.settings // []) | index($s) | not) | "settings lack \(.)"),
              (if $w.ruleset and $d.ruleset != $w.ruleset then "ruleset \($d.ruleset) != \($w.ruleset)" else empty end)
            ] as $errs
          | if ($errs | length) == 0 then "ok \($x.name)"
            else "FAIL \($x.name) [\($x.provision)]: \($errs | join("; "))" end' > "$tmp/res.txt" ||
            { echo "FAIL $f: the decisions are not JSON: $(head -c 300 "$tmp/out.jsonl")"; fail=$((fail + 1)); }
        n_res=$(grep -c . "$tmp/res.txt")
        if [ "$n_res" -ne "$n_in" ]; then
            echo "FAIL $f: $n_res results for $n_in cases"
            fail=$((fail + 1))
        fi
        grep '^FAIL' "$tmp/res.txt"
        pass=$((pass + $(grep -c '^ok' "$tmp/res.txt")))
        fail=$((fail + $(grep -c '^FAIL' "$tmp/res.txt")))
    fi
    # Malformed input: each raw line alone must exit 1 and name the field on stderr.
    jq -c 'select(has("raw"))' "$f" > "$tmp/raw.jsonl"
    while IFS= read -r row; do
        name=$(printf '%s' "$row" | jq -r .name)
        field=$(printf '%s' "$row" | jq -r '.expect.field // ""')
        printf '%s' "$row" | jq -j .raw > "$tmp/raw.txt"
        printf '\n' >> "$tmp/raw.txt"
        "$bin" decide "$tmp/raw.txt" > "$tmp/out.txt" 2> "$tmp/err.txt"
        rc=$?
        if san_found "$tmp/err.txt"; then
            echo "FAIL $name: sanitizer report: $(san_excerpt "$tmp/err.txt")"
            fail=$((fail + 1))
        elif [ $rc -ne 1 ]; then
            echo "FAIL $name: exit $rc, expected 1"
            fail=$((fail + 1))
        elif [ -n "$field" ] && ! grep -qF -- "$field" "$tmp/err.txt"; then
            echo "FAIL $name: stderr does not name '$field': $(cat "$tmp/err.txt")"
            fail=$((fail + 1))
        elif ! grep -q '^holdcheck: line [0-9]' "$tmp/err.txt"; then
            echo "FAIL $name: stderr does not name the line: $(cat "$tmp/err.txt")"
            fail=$((fail + 1))
        else
            pass=$((pass + 1))
        fi
    done < "$tmp/raw.jsonl"
done
echo "golden cases ($bin): $pass passed, $fail failed"
[ "$fail" -eq 0 ]
