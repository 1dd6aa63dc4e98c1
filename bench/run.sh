#!/bin/sh
# bench/run.sh: the benchmarks of docs/benchmarks.md. `make bench` builds build/bench_engine and
# build/holdcheck, then runs this; it builds nothing itself.
#
#   1. generates BENCH_CASES (200,000) synthetic cases as JSON Lines into build/bench/cases.jsonl
#      (bench_engine gen, deterministic for BENCH_SEED);
#   2. runs build/bench_engine: in-process decisions per second on one pinned core, catalog load
#      time and memory (target: >= 2,000,000 decisions/s);
#   3. times `holdcheck decide FILE > /dev/null` against the peer `jq -c . FILE > /dev/null` on the
#      same file in the same run with hyperfine (target: holdcheck/jq <= 0.5). Without hyperfine it
#      falls back to timing each run with `date +%s.%N`.
#
# Results go to build/bench/: engine.json, hyperfine.json, summary.json and summary.txt. The
# targets are reported as ratios; a missed target is reported, not a failure. The script fails
# only when something could not be run.
#
# Environment: BUILD (build), BENCH_CASES (200000), BENCH_SEED (1), BENCH_RUNS (10),
# BENCH_ENGINE_CASES (100000), BENCH_SECONDS (2); BENCH_NO_HYPERFINE=1 forces the fallback.
set -eu

BUILD=${BUILD:-build}
N=${BENCH_CASES:-200000}
SEED=${BENCH_SEED:-1}
RUNS=${BENCH_RUNS:-10}
ENGINE_CASES=${BENCH_ENGINE_CASES:-100000}
SECONDS_MIN=${BENCH_SECONDS:-2}
out=$BUILD/bench
cases=$out/cases.jsonl
engine=$BUILD/bench_engine
holdcheck=$BUILD/holdcheck

for f in "$engine" "$holdcheck"; do
    [ -x "$f" ] || { echo "bench/run.sh: $f is missing: run 'make bench'" >&2; exit 2; }
done
command -v jq >/dev/null 2>&1 || { echo "bench/run.sh: jq (the peer) is not installed" >&2; exit 2; }
[ "$RUNS" -ge 5 ] || { echo "bench/run.sh: BENCH_RUNS must be at least 5" >&2; exit 2; }
mkdir -p "$out"

# ---- the machine ------------------------------------------------------------------------------
cpu_model=$(sed -n 's/^model name[[:space:]]*:[[:space:]]*//p' /proc/cpuinfo 2>/dev/null | head -1)
[ -n "$cpu_model" ] || cpu_model=$(uname -m)
ncpu=$(nproc 2>/dev/null || echo '?')
load=$(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null || echo '?')
when=$(date -u '+%Y-%m-%d %H:%M UTC')
rev=$(git rev-parse --short HEAD 2>/dev/null || echo unknown)
ccv=$(${CC:-cc} --version 2>/dev/null | head -1 || echo unknown)
jqv=$(jq --version 2>&1)
if [ -z "${BENCH_NO_HYPERFINE:-}" ] && command -v hyperfine >/dev/null 2>&1; then
    hfv=$(hyperfine --version)
else
    hfv=none
fi
echo "== machine: $cpu_model, $ncpu CPUs (nproc), load average $load; $when; commit $rev"
echo "   $ccv; $jqv; $hfv"

# ---- 1. the input -----------------------------------------------------------------------------
echo "== generating $N cases (seed $SEED) into $cases"
"$engine" gen "$N" "$SEED" > "$cases"
bytes=$(wc -c < "$cases" | tr -d ' ')
lines=$(wc -l < "$cases" | tr -d ' ')
echo "   $lines lines, $bytes bytes ($(awk -v b="$bytes" 'BEGIN { printf "%.1f MB", b / 1e6 }'))"

# Every case must be decided, or the comparison is not like for like: check once, untimed.
set +e
decided=$({ "$holdcheck" decide "$cases" 2> "$out/decide.err"; echo "rc=$?"; } |
          awk '/^rc=/ { rc = substr($0, 4); next } /"outcome":/ { n++ }
               END { print (n + 0), rc }')
set -e
decide_rc=${decided#* }
decided=${decided% *}
errors=$(grep -c '^holdcheck: line ' "$out/decide.err" || true)
ignore=
if [ "$decide_rc" -ne 0 ] || [ "$decided" -ne "$lines" ]; then
    echo "   WARNING: holdcheck decide exited $decide_rc: $decided of $lines cases decided," \
         "$errors answered with an error; first messages:"
    head -5 "$out/decide.err" | sed 's/^/     /'
    echo "   (timed anyway with --ignore-failure; see docs/benchmarks.md)"
    ignore=--ignore-failure
else
    echo "   holdcheck decides all $lines cases (exit 0)"
fi

# ---- 2. in-process engine ---------------------------------------------------------------------
echo "== in-process: build/bench_engine ($ENGINE_CASES cases, >= ${SECONDS_MIN}s of hc_decide)"
"$engine" run --cases "$ENGINE_CASES" --seed "$SEED" --seconds "$SECONDS_MIN" \
    --json "$out/engine.json" | tee "$out/engine.txt"

# ---- 3. end to end against jq -----------------------------------------------------------------
hc_cmd="$holdcheck decide $cases > /dev/null"
jq_cmd="jq -c . $cases > /dev/null"
echo "== end to end: '$hc_cmd' vs '$jq_cmd'"
if [ "$hfv" != none ]; then
    method="hyperfine, --warmup 1, $RUNS runs"
    # shellcheck disable=SC2086
    hyperfine --style basic --warmup 1 --runs "$RUNS" $ignore \
        --export-json "$out/hyperfine.json" \
        -n holdcheck "$hc_cmd" -n jq "$jq_cmd"
else
    method="date +%s.%N, 1 warmup, $RUNS runs (no hyperfine)"
    echo "   hyperfine is not available: timing with date +%s.%N"
    time_runs() { # name command: prints one wall time in seconds a line
        sh -c "$2" 2>/dev/null || [ -n "$ignore" ]
        i=0
        while [ "$i" -lt "$RUNS" ]; do
            t0=$(date +%s.%N)
            sh -c "$2" 2>/dev/null || [ -n "$ignore" ]
            t1=$(date +%s.%N)
            awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.6f\n", b - a }'
            i=$((i + 1))
        done
    }
    to_json() { # name: reads times on stdin, writes one hyperfine-like result object
        sort -n | awk -v name="$1" -v cmd="$2" '
            { t[NR] = $1; s += $1 }
            END {
                m = s / NR; for (i = 1; i <= NR; i++) v += (t[i] - m) ^ 2
                sd = NR > 1 ? sqrt(v / (NR - 1)) : 0
                med = NR % 2 ? t[(NR + 1) / 2] : (t[NR / 2] + t[NR / 2 + 1]) / 2
                printf "{\"command\": \"%s\", \"mean\": %.6f, \"stddev\": %.6f, \"median\": %.6f, \"min\": %.6f, \"max\": %.6f, \"times\": [", name, m, sd, med, t[1], t[NR]
                for (i = 1; i <= NR; i++) printf "%s%.6f", (i > 1 ? ", " : ""), t[i]
                printf "]}"
            }'
    }
    hc_json=$(time_runs holdcheck "$hc_cmd" | to_json holdcheck "$hc_cmd")
    jq_json=$(time_runs jq "$jq_cmd" | to_json jq "$jq_cmd")
    printf '{"results": [%s, %s]}\n' "$hc_json" "$jq_json" > "$out/hyperfine.json"
    jq -r '.results[] | "   \(.command): mean \(.mean) s, stddev \(.stddev) s, min \(.min) s, max \(.max) s"' \
        "$out/hyperfine.json"
fi

# ---- summary ----------------------------------------------------------------------------------
load_end=$(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null || echo '?')
jq -n --slurpfile e "$out/engine.json" --slurpfile h "$out/hyperfine.json" \
    --arg cpu "$cpu_model" --arg ncpu "$ncpu" --arg load "$load" --arg load_end "$load_end" --arg when "$when" \
    --arg rev "$rev" --arg cc "$ccv" --arg jqv "$jqv" --arg hf "$hfv" --arg method "$method" \
    --argjson bytes "$bytes" --argjson lines "$lines" --argjson seed "$SEED" \
    --argjson decide_rc "$decide_rc" --argjson decided "$decided" '
    ($e[0]) as $e | ($h[0].results | map({(.command): .}) | add) as $r
    | ($r.holdcheck.mean / $r.jq.mean) as $ratio
    | {date: $when, commit: $rev,
       machine: {cpu: $cpu, nproc: ($ncpu | tonumber? // $ncpu), loadavg_start: $load,
                 loadavg_end: $load_end, cc: $cc, jq: $jqv, hyperfine: $hf},
       input: {file: "build/bench/cases.jsonl", cases: $lines, bytes: $bytes, seed: $seed,
               holdcheck_exit: $decide_rc, decided: $decided},
       engine: {cases: $e.cases, decisions_per_second: $e.decisions_per_second,
                ns_per_decision: $e.decide_ns, target_decisions_per_second: 2000000,
                fraction_of_target: ($e.decisions_per_second / 2000000),
                catalog_load_ms: $e.catalog_load_ms_median, catalog_bytes: $e.catalog_bytes,
                catalog_rows: $e.catalog_rows, cpu_pinned: $e.cpu_pinned,
                per_case_ns: {parse: $e.parse_ns, decide: $e.decide_ns,
                              render_json: $e.render_json_ns, all_three: $e.pipeline_ns}},
       end_to_end: {method: $method,
                    holdcheck: {mean_s: $r.holdcheck.mean, stddev_s: $r.holdcheck.stddev,
                                median_s: $r.holdcheck.median, min_s: $r.holdcheck.min},
                    jq: {mean_s: $r.jq.mean, stddev_s: $r.jq.stddev,
                         median_s: $r.jq.median, min_s: $r.jq.min},
                    ratio_holdcheck_over_jq: $ratio,
                    ratio_stddev: ($ratio * ((($r.holdcheck.stddev / $r.holdcheck.mean) | . * .)
                                             + (($r.jq.stddev / $r.jq.mean) | . * .)) | sqrt),
                    ratio_of_medians: ($r.holdcheck.median / $r.jq.median),
                    target_ratio: 0.5,
                    holdcheck_cases_per_second: ($lines / $r.holdcheck.mean),
                    jq_cases_per_second: ($lines / $r.jq.mean)}}' > "$out/summary.json"

jq -r '
  def r(n): (. * pow(10; n) | round) / pow(10; n);
  def met(b): if b then "met" else "MISSED" end;
  "== summary (\(.date), commit \(.commit))",
  "   machine: \(.machine.cpu), \(.machine.nproc) CPUs, load average \(.machine.loadavg_start)"
    + " at the start, \(.machine.loadavg_end) at the end",
  "   input: \(.input.cases) cases, \(.input.bytes) bytes (\(.input.file), seed \(.input.seed))",
  "   in-process decisions/s (one core): \(.engine.decisions_per_second | round)"
    + " (\(.engine.ns_per_decision | r(1)) ns each) = \(.engine.fraction_of_target | r(2))x the target"
    + " of 2,000,000: \(met(.engine.decisions_per_second >= 2000000))",
  "   catalog: load \(.engine.catalog_load_ms | r(3)) ms, \(.engine.catalog_bytes) bytes of arena"
    + " (\(.engine.catalog_rows) rows)",
  "   end to end (\(.end_to_end.method)):",
  "     holdcheck decide: \(.end_to_end.holdcheck.mean_s | r(3)) s +- \(.end_to_end.holdcheck.stddev_s | r(3))"
    + " (\(.end_to_end.holdcheck_cases_per_second | round) cases/s)",
  "     jq -c .:          \(.end_to_end.jq.mean_s | r(3)) s +- \(.end_to_end.jq.stddev_s | r(3))"
    + " (\(.end_to_end.jq_cases_per_second | round) cases/s)",
  "     holdcheck/jq = \(.end_to_end.ratio_holdcheck_over_jq | r(3)) +- \(.end_to_end.ratio_stddev | r(3))"
    + " (medians: \(.end_to_end.ratio_of_medians | r(3))); target <= 0.5:"
    + " \(met(.end_to_end.ratio_holdcheck_over_jq <= 0.5))",
  (if .input.holdcheck_exit != 0 then
     "   NOTE: holdcheck decide exited \(.input.holdcheck_exit) on this input"
     + " (\(.input.decided) of \(.input.cases) cases decided); see build/bench/decide.err"
   else empty end)
' "$out/summary.json" | tee "$out/summary.txt"
echo "   (figures in $out/summary.json, engine.json, hyperfine.json)"
