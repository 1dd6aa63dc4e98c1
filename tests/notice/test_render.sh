#!/bin/sh
# test_render.sh BIN [SANBIN] [ARTDIR]: render every TRUTH Act notice (copy, release, consent) in
# every language (en es zh tl vi ko) as PDF with `holdcheck notice`, and check that the page
# really shows the language's script:
#   - pdffonts: a font covering the script is embedded (Noto Sans CJK TC for zh, Noto Sans CJK
#     KR for ko, Noto Sans for the Latin-script languages, Vietnamese included);
#   - pdftotext: native-script words of the language come back out of the PDF (the glyphs carry
#     their Unicode mapping, so they are the real characters, not boxes);
#   - pdftoppm -r 100: the page (PNG kept in ARTDIR; the same page as PGM for counting) has
#     at least 1% non-white pixels: it is not blank.
# The renderer itself refuses to write a page with glyphs no font has; the last checks run it
# with a fontconfig that has no CJK font and expect that refusal. Then the HTML, the CLI's
# errors, `notice owed` and `notice check-texts`; SANBIN (ASan/UBSan) renders one PDF per
# language. Run from the top of the source tree.
# shellcheck disable=SC2015 # "A && ok || bad": ok always returns 0, so bad runs only when A fails
bin=${1:?usage: test_render.sh BIN [SANBIN] [ARTDIR]}
san=${2:-}
art=${3:-build/notice-artifacts}
fails=0
checks=0

for t in pdffonts pdftotext pdftoppm; do
    command -v $t > /dev/null 2>&1 || { echo "test_render: $t missing (poppler-utils)"; exit 1; }
done
mkdir -p "$art" || exit 1
tmp=$(mktemp -d) || exit 1
trap 'rm -rf "$tmp"' EXIT

bad() { echo "FAIL: $*"; fails=$((fails + 1)); }
ok() { checks=$((checks + 1)); }

# The font each language must embed (pdffonts prints the PostScript name after a subset tag).
font_for() {
    case $1 in
    zh) echo 'NotoSansCJKtc-' ;;
    ko) echo 'NotoSansCJKkr-' ;;
    *) echo 'NotoSans-' ;;
    esac
}

# Words of the language's own script that every notice carries (the law heading), written
# here from the translations, not read from them.
word_for() {
    case $1 in
    en) echo 'The law' ;;
    es) echo 'Fundamento legal' ;;
    zh) echo '法律依據' ;;
    tl) echo 'Ang batas' ;;
    vi) echo 'Căn cứ pháp lý' ;;
    ko) echo '법적 근거' ;;
    esac
}

# A second word per language and kind: from each notice's title.
title_word() {
    case $1-$2 in
    en-copy) echo 'immigration request' ;;
    en-release) echo 'release date' ;;
    en-consent) echo 'Consent form' ;;
    es-copy) echo 'solicitud de inmigración' ;;
    es-release) echo 'puesta en libertad' ;;
    es-consent) echo 'consentimiento' ;;
    zh-copy) echo '移民要求通知書' ;;
    zh-release) echo '釋放日期通知書' ;;
    zh-consent) echo '同意書' ;;
    tl-copy) echo 'kahilingan ng imigrasyon' ;;
    tl-release) echo 'petsa ng paglaya' ;;
    tl-consent) echo 'Form ng pahintulot' ;;
    vi-copy) echo 'yêu cầu di trú' ;;
    vi-release) echo 'ngày được thả' ;;
    vi-consent) echo 'Mẫu đồng ý' ;;
    ko-copy) echo '이민 당국 요청 통지서' ;;
    ko-release) echo '석방일에 관한 통지서' ;;
    ko-consent) echo '동의서' ;;
    esac
}

# The facts of a request of the kind's type, as the console would pass them.
facts() {
    case $1 in
    copy) type=hold; outcome=prohibited; basis='Gov. Code § 7284.6(a)(1)(B)' ;;
    release) type=notification; outcome=permitted; basis='Gov. Code § 7282.5(a)(1)' ;;
    consent) type=interview; outcome=permitted_with_conditions; basis='Gov. Code § 7284.6(b)(5)' ;;
    esac
    cat <<EOF
{"person_name": "Ana Test-Ejemplo", "booking_no": "DEMO-000042",
 "agency": "Sample County Sheriff's Office",
 "request": {"type": "$type", "form": "I-247A", "received_at": "2025-06-01 09:30"},
 "decision": {"outcome": "$outcome", "basis": ["$basis"], "ruleset": "CA-2018-01-01"},
 "release_date": "2025-06-20 14:00", "generated_at": "2025-06-01 09:41"}
EOF
}

# shellcheck source=../lib/ink.sh
. "$(dirname "$0")/../lib/ink.sh"

# --- Every kind x every language as PDF --------------------------------------------------------
for kind in copy release consent; do
    facts $kind > "$tmp/$kind.json"
    for lang in en es zh tl vi ko; do
        pdf=$art/$kind-$lang.pdf
        rm -f "$pdf" "$art/$kind-$lang"-*.png
        if ! "$bin" notice --facts "$tmp/$kind.json" --kind $kind --lang $lang --format pdf \
            --out "$pdf" 2> "$tmp/err"; then
            bad "$kind/$lang: render failed: $(cat "$tmp/err")"
            continue
        fi
        ok
        fonts=$(pdffonts "$pdf" 2> /dev/null)
        echo "$fonts" | grep -q "$(font_for $lang)" && ok ||
            bad "$kind/$lang: no $(font_for $lang) font embedded: $fonts"
        pdftotext -enc UTF-8 "$pdf" "$tmp/text" 2> /dev/null
        tr '\n' ' ' < "$tmp/text" | tr -s ' ' > "$tmp/flat"
        for w in "$(word_for $lang)" "$(title_word $lang $kind)" 'DEMO-000042' '7283.1'; do
            grep -qF "$w" "$tmp/flat" && ok || bad "$kind/$lang: '$w' not in the PDF's text"
        done
        # U+FFFD in extracted text means a glyph without its character.
        grep -q "$(printf '\357\277\275')" "$tmp/text" && bad "$kind/$lang: U+FFFD in text" || ok
        pdftoppm -r 100 -png -f 1 -l 1 "$pdf" "$art/$kind-$lang"
        pdftoppm -r 100 -gray -f 1 -l 1 "$pdf" "$tmp/page"
        set -- "$art/$kind-$lang"-*1.png
        png=$1
        set -- "$tmp"/page-*1.pgm
        pgm=$1
        if [ ! -e "$png" ] || [ ! -e "$pgm" ]; then
            bad "$kind/$lang: pdftoppm wrote no page"
            continue
        fi
        # Letter at 100 dpi: 850 x 1100 pixels; text covers several percent of the page.
        n=$(ink_pixels "$pgm")
        [ "$n" -ge 9350 ] && ok || bad "$kind/$lang: page nearly blank ($n dark pixels)"
        rm -f "$tmp"/page-*.pgm
    done
done

# --- The renderer refuses boxes: no CJK font, no page -------------------------------------------
mkdir -p "$tmp/fc/cache"
cat > "$tmp/fc/fonts.conf" <<EOF
<?xml version="1.0"?>
<!DOCTYPE fontconfig SYSTEM "fonts.dtd">
<fontconfig><dir>/usr/share/fonts/truetype/noto</dir><cachedir>$tmp/fc/cache</cachedir></fontconfig>
EOF
FONTCONFIG_FILE=$tmp/fc/fonts.conf "$bin" notice --facts "$tmp/consent.json" --kind consent \
    --lang zh --format pdf --out "$tmp/tofu.pdf" 2> "$tmp/err"; rc=$?
[ $rc -eq 3 ] && grep -q 'no font for Chinese' "$tmp/err" && [ ! -e "$tmp/tofu.pdf" ] && ok ||
    bad "zh without a CJK font: rc $rc, $(cat "$tmp/err")"
if [ -d /usr/share/fonts/truetype/noto ]; then
    # Vietnamese needs no CJK fallback: Noto Sans alone has every letter.
    FONTCONFIG_FILE=$tmp/fc/fonts.conf "$bin" notice --facts "$tmp/consent.json" --kind consent \
        --lang vi --format pdf --out "$tmp/vi.pdf" 2> "$tmp/err" && ok ||
        bad "vi with Noto Sans only: $(cat "$tmp/err")"
fi

# --- HTML --------------------------------------------------------------------------------------
for lang in en es zh tl vi ko; do
    "$bin" notice --facts "$tmp/copy.json" --kind copy --lang $lang --format html \
        --out "$art/copy-$lang.html" 2> "$tmp/err" || { bad "html $lang: $(cat "$tmp/err")"; continue; }
    case $lang in zh) tag=zh-Hant ;; *) tag=$lang ;; esac
    grep -q "<html lang=\"$tag\">" "$art/copy-$lang.html" && grep -qF "$(word_for $lang)" \
        "$art/copy-$lang.html" && grep -q '@page{size:letter' "$art/copy-$lang.html" && ok ||
        bad "html $lang: lang, text or print CSS missing"
done
# The consent form carries what Gov. Code 7283.1(a) requires of it, in this order: the purpose of
# the interview, that it is voluntary, that the person may decline or be interviewed only with an
# attorney present, a box for each answer, and that it is available in the six languages.
"$bin" notice --facts "$tmp/consent.json" --kind consent --lang en --format html --out - \
    > "$tmp/consent.html" 2> "$tmp/err" || bad "consent html: $(cat "$tmp/err")"
last=0
for w in 'The purpose of the interview' 'This interview is voluntary' 'You may decline' \
    'only with your attorney present' 'I agree to be interviewed by ICE.' \
    'only with my attorney present.' 'I do not agree' 'Signature of the person in custody' \
    'English, Spanish, Chinese, Tagalog, Vietnamese and Korean'; do
    at=$(tr '\n' ' ' < "$tmp/consent.html" | awk -v w="$w" '{ print index($0, w) }')
    if [ "${at:-0}" -gt "$last" ]; then ok; last=$at; else bad "consent html: '$w' missing or out of order"; fi
done
"$bin" notice --facts "$tmp/copy.json" --kind copy --lang zh --format html --paper a4 --out - \
    > "$tmp/out" && grep -q 'Noto Sans CJK TC' "$tmp/out" && ok || bad "html to stdout: exit or zh font not named"

# --- Errors: facts name the field, usage errors exit 2 -----------------------------------------
echo '{"person_name": "A", "shoe_size": 9}' > "$tmp/unknown.json"
"$bin" notice --facts "$tmp/unknown.json" --kind consent --lang en --format html --out - \
    > /dev/null 2> "$tmp/err"; rc=$?
[ $rc -eq 1 ] && grep -q 'shoe_size: unknown field' "$tmp/err" && ok || bad "unknown field: rc $rc"
"$bin" notice --facts "$tmp/consent.json" --kind copy --lang en --format pdf --out "$tmp/x.pdf" \
    2> "$tmp/err"; rc=$?
[ $rc -eq 1 ] && grep -q 'request.type' "$tmp/err" && [ ! -e "$tmp/x.pdf" ] && ok ||
    bad "copy notice for an interview: rc $rc"
"$bin" notice --kind letter --lang en --format pdf --out "$tmp/x.pdf" 2> /dev/null; rc=$?
[ $rc -eq 2 ] && ok || bad "bad --kind: rc $rc"
"$bin" notice --kind consent --lang fr --format pdf --out "$tmp/x.pdf" 2> /dev/null; rc=$?
[ $rc -eq 2 ] && ok || bad "bad --lang: rc $rc"
"$bin" notice --help > "$tmp/out" && grep -q '^usage: holdcheck notice owed' "$tmp/out" && ok || bad "notice --help"

# --- notice owed -------------------------------------------------------------------------------
out=$("$bin" notice owed --type notification --outcome permitted --release-date-provided) || bad "owed: exit $?"
[ "$(echo "$out" | cut -f1,2 | tr '\t\n' ':,')" = "copy:person,release:person,release:counsel," ] &&
    ok || bad "owed notification+release: $out"
out=$("$bin" notice owed --type interview --outcome prohibited) || bad "owed: exit $?"
[ -z "$out" ] && ok || bad "owed prohibited interview: $out"
out=$("$bin" notice owed --type hold --outcome prohibited --as-of 2016-12-31) || bad "owed: exit $?"
[ -z "$out" ] && ok || bad "owed before the TRUTH Act: $out"
"$bin" notice owed --type hold --outcome review --json > "$tmp/out" && grep -q '"intent_pending"' "$tmp/out" && ok ||
    bad "owed --json"
"$bin" notice owed --type hold --outcome prohibited --intent yes 2> /dev/null; rc=$?
[ $rc -eq 1 ] && ok || bad "owed intent yes on prohibited: rc $rc"

# --- notice check-texts names the file and line ------------------------------------------------
mkdir -p "$tmp/texts"
cp data/notices/*.tsv "$tmp/texts/"
"$bin" notice check-texts "$tmp/texts" > /dev/null && ok || bad "check-texts on the real files"
line=$(grep -n '^copy.intent_no' "$tmp/texts/vi.tsv" | cut -d: -f1)
sed -i 's/^copy\.intent_no\t{agency} /copy.intent_no\t/' "$tmp/texts/vi.tsv"
"$bin" notice check-texts "$tmp/texts" 2> "$tmp/err"; rc=$?
[ $rc -eq 1 ] && grep -q "vi.tsv:$line: copy.intent_no: {agency} is missing" "$tmp/err" && ok ||
    bad "check-texts on a broken vi.tsv: rc $rc, $(cat "$tmp/err")"

# --- Under AddressSanitizer + UndefinedBehaviorSanitizer -----------------------------------------
# G_SLICE=always-malloc: glib's slice allocator would otherwise keep a leaked GObject reachable.
if [ -n "$san" ]; then
    for lang in en es zh tl vi ko; do
        G_SLICE=always-malloc G_DEBUG=gc-friendly ASAN_OPTIONS=fast_unwind_on_malloc=0 \
        LSAN_OPTIONS=suppressions=tests/notice/lsan.supp:print_suppressions=0 \
        "$san" notice --facts "$tmp/release.json" --kind release --lang $lang --format pdf \
            --to attorney --to-name "Jo Counsel" --out "$tmp/san.pdf" 2> "$tmp/err" && ok ||
            bad "sanitized render $lang: $(head -c 2000 "$tmp/err")"
    done
fi

echo "test_render: $checks checks passed, $fails failed; pages in $art"
[ $fails -eq 0 ]
