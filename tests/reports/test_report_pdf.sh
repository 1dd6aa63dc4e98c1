#!/bin/sh
# test_report_pdf.sh BIN [SANBIN] [ARTDIR]: the statutory reports as PDF (docs/reports.md,
# "Formats"), on `holdcheck demo --history` (a year the reports have something to count):
#   - each kind, and the forum packet in Spanish, is a valid PDF (pdfinfo: letter pages, the
#     report's title) whose pages, rendered by pdftoppm, carry the ink of their text (PNGs kept
#     in ARTDIR; glyph_pixels, tests/lib/ink.sh, does not count a table's rules);
#   - the text of the PDF (pdftotext) is the JSON report of the same period: the agency, the
#     period, the definition version, the rulesets, the offense catalog, "Page N of M" on every
#     page; the figures table's count column (read by position with pdftotext -tsv) is the
#     JSON's counts in order, and the request ids printed are the JSON's figure by figure, or,
#     past REPORT_PDF_MAX_IDS (60), the note saying how many and where to find them;
#   - over HTTP for an auditor: application/pdf, an attachment named after the report, bytes
#     starting %PDF, laid out on the pool of blocking workers (one more job done in /metrics);
#     a clerk is refused; a format that does not exist is a 400 naming it;
#   - a missing font is refused (exit 3) rather than printed as boxes, and no file is left;
#   - under SANBIN (ASan/UBSan) the forum packet renders cleanly.
# Ends with "N passed, M failed"; exits 1 on any failure.
# shellcheck disable=SC2015 # "A && ok || bad": ok always returns 0, so bad runs only when A fails
set -u
bin=${1:-build/holdcheck}
san=${2:-}
art=${3:-build/report-artifacts}
. "$(dirname "$0")/../http/lib.sh"
# shellcheck source=../lib/ink.sh
. "$(dirname "$0")/../lib/ink.sh"
for t in pdfinfo pdftotext pdftoppm jq sqlite3; do
    command -v $t > /dev/null 2>&1 || die "$t is needed (tools/install-deps.sh installs it)"
done
mkdir -p "$art" || die "cannot create $art"

TZ=America/Los_Angeles
export TZ
AGENCY="Sample County Sheriff's Office"
db=$tmp/demo.db
"$bin" migrate --db "$db" > /dev/null &&
    "$bin" demo --db "$db" --bookings 3000 --today 2026-11-30 --history > /dev/null || die "demo failed"

# The numbers of the figures table's count column, one a line, in order: the words between
# the headings HEADW (Figures) and ITEMSW (Items counted), which headings' larger type tells
# from a table's cells, whose right edge falls between the left edges of the column headings
# COUNTW and REQW. Reading by position, not by the text's order, is what says that a number is
# in the count column.
count_column() { # PDF HEADW ITEMSW COUNTW REQW
    pdftotext -tsv "$1" - | awk -F'\t' -v fig="$2" -v items="$3" -v cw="$4" -v rw="$5" '
        $1 != 5 { next }
        $12 == fig && $10 > 14 { on = 1; next }
        $12 == items && $10 > 14 { on = 0; next }
        !on { next }
        $12 == cw && cl == "" { cl = $7 + 0 }
        $12 == rw && rl == "" { rl = $7 + 0 }
        cl != "" && rl != "" && $12 ~ /^[0-9]+$/ && $7 + $9 > cl && $7 + $9 < rl { print $12 }'
}

# check_pdf NAME PDF JSON LANG: the PDF against the JSON report of the same period.
check_pdf() {
    name=$1 pdf=$2 json=$3 lang=$4
    case $lang in
    es) heads='Cifras Elementos Número Solicitudes' page=Página of=de many='solicitudes: demasiadas' ;;
    *) heads='Figures Items Count Requests' page=Page of=of many='requests: too many to print' ;;
    esac
    info=$(pdfinfo "$pdf" 2> "$tmp/err") || { bad "$name: pdfinfo" "$(cat "$tmp/err")"; return; }
    pages=$(echo "$info" | sed -n 's/^Pages: *//p')
    title=$(jq -r .title "$json")
    echo "$info" | grep -q '^Page size: *612 x 792 pts (letter)' &&
        [ "$(echo "$info" | sed -n 's/^Title: *//p')" = "$title" ] && [ "${pages:-0}" -ge 1 ] &&
        ok "$name: a valid PDF, $pages letter pages, titled as the report" ||
        bad "$name: pdfinfo" "$info"
    # Pages rendered (every one of a short report; the first three and the last of a long
    # one), each with the ink of its glyphs: at 100 dpi (850 x 1100 pixels) a page of the
    # report's text has over 5000 dark pixels in short runs along a row, the last page over
    # 2000; a page drawn without its text has under 1000, whatever its tables' rules.
    rm -f "$art/$name"-*.png
    if [ "${pages:-0}" -le 6 ]; then list=$(seq 1 "${pages:-0}"); else list="1 2 3 $pages"; fi
    n=0
    for i in $list; do
        rm -f "$tmp"/page-*.pgm
        pdftoppm -r 60 -png -f "$i" -l "$i" "$pdf" "$art/$name" && pdftoppm -r 100 -gray -f "$i" -l "$i" "$pdf" "$tmp/page" ||
            bad "$name: pdftoppm page $i" "failed"
        set -- "$tmp"/page-*.pgm
        [ -e "$1" ] || { bad "$name: page $i rendered" "no image"; continue; }
        n=$((n + 1))
        ink=$(glyph_pixels "$1")
        least=5000
        [ "$i" = "$pages" ] && least=2000
        [ "$ink" -ge $least ] && ok "$name: page $i has the ink of its text ($ink)" ||
            bad "$name: page $i has the ink of its text" "only $ink"
    done
    [ "$n" = "$(echo "$list" | wc -w)" ] && ok "$name: $n of $pages pages rendered to PNG" || bad "$name: pages rendered" "$n"
    # The header, the footer: words of the report's JSON, found in the PDF's text.
    # -raw: in the order drawn, so a cell's lines stay together.
    pdftotext -raw -enc UTF-8 "$pdf" "$tmp/text" 2> /dev/null
    tr '\n' ' ' < "$tmp/text" | tr -s ' ' > "$tmp/flat"
    tr -d ' \n' < "$tmp/text" > "$tmp/tight" # a long version wraps inside its cell
    for w in "$AGENCY" "$(jq -r .definition_version "$json")" "$(jq -r .period.from "$json")" \
        "$(jq -r .period.to "$json")" "$(jq -r '.period.time_zone' "$json")" \
        $(jq -r '.rulesets[]' "$json"); do
        grep -qF -- "$w" "$tmp/flat" && ok "$name: '$w' printed" || bad "$name: '$w' printed" "not in the text"
    done
    [ -n "$CATALOG" ] && grep -qF "$CATALOG" "$tmp/tight" &&
        ok "$name: the offense catalog's version printed" || bad "$name: catalog version" "not in the text"
    i=1
    while [ $i -le "$pages" ]; do
        grep -qF "$page $i $of $pages" "$tmp/flat" || break
        i=$((i + 1))
    done
    [ $i -gt "$pages" ] && ok "$name: '$page i $of $pages' on every page" ||
        bad "$name: page numbers" "'$page $i $of $pages' missing"
    # The figures: the count column is the JSON's counts, in the JSON's order.
    # shellcheck disable=SC2086 # the four heading words, split on purpose
    count_column "$pdf" $heads > "$tmp/counts.pdf"
    jq -r '.figures[].count' "$json" > "$tmp/counts.json"
    if [ -s "$tmp/counts.json" ] && cmp -s "$tmp/counts.pdf" "$tmp/counts.json"; then
        ok "$name: the count column is the JSON's $(wc -l < "$tmp/counts.json") counts, in order"
    else bad "$name: the count column is the JSON's counts" "pdf: $(tr '\n' ' ' < "$tmp/counts.pdf"| head -c 300), json: $(tr '\n' ' ' < "$tmp/counts.json" | head -c 300)"; fi
    # The ids: every "#N" printed, in order, is the JSON's ids of the figures with at most 60.
    grep -o '#[0-9][0-9]*' "$tmp/text" > "$tmp/ids.pdf"
    jq -r '.figures[] | select(.request_ids | length <= 60) | .request_ids[] | "#\(.)"' "$json" > "$tmp/ids.json"
    cmp -s "$tmp/ids.pdf" "$tmp/ids.json" && ok "$name: the request ids printed are the JSON's ($(wc -l < "$tmp/ids.json"))" ||
        bad "$name: the request ids printed are the JSON's" "$(diff "$tmp/ids.json" "$tmp/ids.pdf" | head -5)"
    jq -r '.figures[] | select(.request_ids | length > 60) | "\(.request_ids | length) \(.group)/\(.key)"' "$json" > "$tmp/many"
    while read -r cnt fk; do
        grep -qF "$(echo "$cnt $many" | tr -d ' ')" "$tmp/tight" && grep -qF "$fk" "$tmp/tight" &&
            ok "$name: $fk's $cnt ids: the note where to find them" || bad "$name: $fk's $cnt ids" "no note"
    done < "$tmp/many"
    # The rows (and a cpra bundle's redactions): each value printed, a record's fields each.
    # Compared without white space: a long value wraps, between words or inside one (never
    # with a hyphen added).
    jq -r '(.rows + (.redactions // []))[] | .[] | if type == "object" then .[] else . end |
        select(. != null and . != true and . != false and . != "") | tostring | gsub("\\s"; "")' "$json" |
        sort -u > "$tmp/cells"
    missing=0
    while read -r cell; do
        # A value too long for one page is split over two, with a page's foot and head between:
        # its beginning and its end are looked for.
        if [ ${#cell} -gt 400 ]; then
            grep -qF -- "$(echo "$cell" | cut -c1-60)" "$tmp/tight" &&
                grep -qF -- "$(echo "$cell" | rev | cut -c1-60 | rev)" "$tmp/tight" && continue
        elif grep -qF -- "$cell" "$tmp/tight"; then continue; fi
        missing=$((missing + 1))
        [ $missing -le 3 ] && echo "  not printed: $cell"
    done < "$tmp/cells"
    [ $missing -eq 0 ] && ok "$name: the rows' $(wc -l < "$tmp/cells") distinct values printed" ||
        bad "$name: the rows' values printed" "$missing of $(wc -l < "$tmp/cells") missing"
}

# The offense catalog in use: the demo's decisions were made by this binary with it.
CATALOG=$(sqlite3 "$db" "SELECT DISTINCT catalog_version FROM decisions")
for k in doj-transfers releases-without-notice truth-forum truth-forum-es task-force cpra; do
    kind=${k%-es}
    lang=en
    [ "$kind" != "$k" ] && lang=es
    "$bin" report "$kind" --db "$db" --year 2026 --lang $lang > "$tmp/$k.json" 2> "$tmp/err" ||
        bad "$k json" "$(cat "$tmp/err")"
    "$bin" report "$kind" --db "$db" --year 2026 --lang $lang --format pdf --agency "$AGENCY" \
        --out "$art/$k.pdf" 2> "$tmp/err" && ok "$k: report --format pdf --out" ||
        bad "$k: report --format pdf" "$(cat "$tmp/err")"
    check_pdf "$k" "$art/$k.pdf" "$tmp/$k.json" $lang
done
# The forum packet has a figure with more ids than are printed: the note was checked above.
jq -e '[.figures[] | select(.request_ids | length > 60)] | length > 0' "$tmp/truth-forum.json" > /dev/null &&
    ok "demo: a figure with more than 60 ids" || bad "demo: a figure with more than 60 ids" "none: the note went unchecked"
# To standard output, the same bytes but the creation date.
"$bin" report doj-transfers --db "$db" --year 2026 --format pdf > "$tmp/out.pdf" 2> "$tmp/err" &&
    [ "$(head -c 5 "$tmp/out.pdf")" = "%PDF-" ] && pdfinfo "$tmp/out.pdf" > /dev/null 2>&1 &&
    ok "pdf to standard output" || bad "pdf to standard output" "$(cat "$tmp/err")"

# --- No font for the text: refused, nothing written -------------------------------------------
mkdir -p "$tmp/fc/cache" "$tmp/fc/none"
cat > "$tmp/fc/fonts.conf" <<EOF
<?xml version="1.0"?>
<!DOCTYPE fontconfig SYSTEM "fonts.dtd">
<fontconfig><dir>$tmp/fc/none</dir><cachedir>$tmp/fc/cache</cachedir></fontconfig>
EOF
FONTCONFIG_FILE=$tmp/fc/fonts.conf "$bin" report truth-forum --db "$db" --year 2026 \
    --format pdf --out "$tmp/tofu.pdf" 2> "$tmp/err"
rc=$?
[ $rc -eq 3 ] && grep -q 'no font for English' "$tmp/err" && [ ! -e "$tmp/tofu.pdf" ] &&
    ok "no font: refused (exit 3), no file" || bad "no font: refused" "rc $rc, $(cat "$tmp/err"), $(ls "$tmp")"

# --- Over HTTP --------------------------------------------------------------------------------
AU=$("$bin" user add --db "$db" pdf-auditor --role auditor | sed -n 's/^token: /Authorization: Bearer /p')
CL=$("$bin" user add --db "$db" pdf-clerk --role clerk | sed -n 's/^token: /Authorization: Bearer /p')
[ -n "$AU" ] && [ -n "$CL" ] || die "user add failed"
srv_start "$db"
# The jobs the pool of blocking workers has done (a PDF is laid out there, off the event loop).
jobs_done() {
    curl -s -H "$AU" "$B/metrics" | sed -n 's/^holdcheck_offload_jobs_total{result="done"} //p'
}
done0=$(jobs_done)
req "http pdf" 200 application/pdf '' -- -H "$AU" "$B/api/v1/reports/truth-forum?year=2026&lang=es&format=pdf"
done1=$(jobs_done)
[ -n "$done0" ] && [ "$done1" = $((done0 + 1)) ] && ok "http pdf: laid out on the pool of blocking workers" ||
    bad "http pdf: on the pool" "jobs done $done0, then $done1"
[ "$(head -c 5 "$tmp/body")" = "%PDF-" ] && pdfinfo "$tmp/body" > /dev/null 2>&1 && ok "http pdf: bytes of a PDF" ||
    bad "http pdf: bytes of a PDF" "$(head -c 100 "$tmp/body")"
disp=$(tr -d '\r' < "$tmp/hdr" | sed -n 's/^content-disposition: *//Ip')
[ "$disp" = 'attachment; filename="holdcheck-truth-forum-2026-es.pdf"' ] && ok "http pdf: an attachment named after it" ||
    bad "http pdf: content-disposition" "$disp"
cp "$tmp/body" "$tmp/http.pdf"
jq -r .title "$tmp/truth-forum-es.json" > "$tmp/want"
pdfinfo "$tmp/http.pdf" | sed -n 's/^Title: *//p' | cmp -s - "$tmp/want" && ok "http pdf: the Spanish packet" ||
    bad "http pdf: the Spanish packet" "$(pdfinfo "$tmp/http.pdf" | head -3)"
req "http pdf, a period" 200 application/pdf '' -- -H "$AU" "$B/api/v1/reports/doj-transfers?from=2026-03-01&to=2026-06-30&format=pdf"
grep -qi '^content-disposition: attachment; filename="holdcheck-doj-transfers-2026-03-01-to-2026-06-30.pdf"' "$tmp/hdr" &&
    ok "http pdf, a period: named after it" || bad "http pdf, a period" "$(grep -i disposition "$tmp/hdr")"
req "http pdf: clerk refused" 403 application/problem+json '' -- -H "$CL" "$B/api/v1/reports/doj-transfers?format=pdf"
req "http unknown format" 400 application/problem+json '"field":"format"' -- -H "$AU" "$B/api/v1/reports/doj-transfers?format=docx"
req "http pdf, bad year" 400 application/problem+json '"field":"year"' -- -H "$AU" "$B/api/v1/reports/doj-transfers?format=pdf&year=1999"
srv_stop

# --- Under AddressSanitizer + UndefinedBehaviorSanitizer ---------------------------------------
# G_SLICE=always-malloc: glib's slice allocator would otherwise keep a leaked GObject reachable.
if [ -n "$san" ]; then
    G_SLICE=always-malloc G_DEBUG=gc-friendly ASAN_OPTIONS=fast_unwind_on_malloc=0 \
    LSAN_OPTIONS=suppressions=tests/notice/lsan.supp:print_suppressions=0 \
    "$san" report truth-forum --db "$db" --year 2026 --lang es --format pdf --out "$tmp/san.pdf" \
        2> "$tmp/err" && pdfinfo "$tmp/san.pdf" > /dev/null 2>&1 && ok "sanitized: the forum packet as PDF" ||
        bad "sanitized: the forum packet as PDF" "$(head -c 2000 "$tmp/err")"
fi

echo "$pass passed, $fail failed; pages in $art"
[ "$fail" -eq 0 ]
