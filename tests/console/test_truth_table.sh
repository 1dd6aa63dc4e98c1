#!/bin/sh
# test_truth_table.sh HOLDCHECK: the acceptance test of issue 5, through the HTTP API: for a
# request of each type and each outcome, the notices owed are exactly those the TRUTH Act
# requires, and each owed notice renders in each of the six languages.
#
# The expectations are written from the statute (Gov. Code 7283.1, Stats. 2016 ch. 768, in
# force 2017-01-01), not from the code:
#   (a)  "In advance of any interview between ICE and an individual in local law enforcement
#        custody regarding civil immigration violations, the local law enforcement entity shall
#        provide the individual with a written consent form ..." -> consent, to the person, for
#        an interview that can take place (not when it is prohibited or the agency refuses it).
#   (b)1 "Upon receiving any ICE hold, notification, or transfer request, the local law
#        enforcement agency shall provide a copy of the request to the individual and inform
#        the individual whether [it] intends to comply" -> copy, to the person, for those three
#        types, whatever the decision.
#   (b)2 "If a local law enforcement agency provides ICE with notification that an individual is
#        being, or will be, released on a certain date, [it] shall promptly provide the same
#        notification in writing to the individual and to the individual's attorney or to one
#        additional person who the individual shall be permitted to designate" -> release, to the
#        person and to counsel, once a release date was given, whatever the request's type.
#   Nothing is owed for a request received before 2017-01-01.
# Each row names the subdivisions its expectation rests on. Every notice owed is then
# generated in en, es, zh, tl, vi and ko and its HTML fetched; one of each kind per language is
# also fetched as PDF and checked (pdftotext gives back the script, pdffonts the script's font).
# shellcheck disable=SC2015 # "A && ok || bad": ok always returns 0, so bad runs only when A fails
set -u
bin=${1:-build/holdcheck}
. "$(dirname "$0")/../http/lib.sh"
. "$(dirname "$0")/setup.sh"

# Three synthetic people: a serious and violent felony on record (PC 211, 2010: Gov. Code
# 7282.5(a)(1) has no lookback), no record, and an offense the catalog does not know (review).
for b in 'T-REC|Testperson, Rec|[{"citation":"PC 211","level":"felony","date":"2010-03-02"}]' \
         'T-NONE|Testperson, None|[]' \
         'T-UNK|Testperson, Unk|[{"citation":"PC 99999","level":"felony","date":"2020-03-02"}]'; do
    no=${b%%|*}; rest=${b#*|}; name=${rest%%|*}; conv=${rest#*|}
    req "booking $no" 201 $A '' -- -H "$CL" -H "$J" \
        -d "{\"booking_no\":\"$no\",\"booked_at\":\"2016-01-02\",\"facility\":\"Test Jail\",\"person\":{\"name\":\"$name\",\"convictions\":$conv}}" \
        "$B/api/v1/bookings"
done

LANGS="en es zh tl vi ko"
rows=0

# One row: NAME|BOOKING|TYPE|RECEIVED|EXTRA|OVERRIDE|DISCLOSE|INTENT|SETTINGS|OUTCOME|OWED|LAW
#   EXTRA: more request fields (JSON members, or -); OVERRIDE: a supervisor's more restrictive
#   outcome (or -); DISCLOSE: 1 when the agency gives ICE a release date; INTENT: the intent a
#   supervisor states (or -); SETTINGS: "pi" for personal information made public (or -);
#   OUTCOME: the outcome to act on; OWED: kind:to list in the statute's order (copy, release to
#   the person, release to counsel, consent), or "none"; LAW: the subdivisions.
check_row() {
    name=$1 bk=$2 type=$3 recv=$4 extra=$5 ovr=$6 disc=$7 intent=$8 settings=$9
    shift 9
    want_out=$1 want_owed=$2 law=$3
    rows=$((rows + 1))
    if [ "$settings" = pi ]; then
        curl -s -o /dev/null -H "$AD" -H "$J" -X PUT \
            -d '{"release_dates_public":false,"personal_info_public":true,"policy":{}}' "$B/api/v1/agency/settings"
    fi
    # Rows share bookings, types and received dates on purpose: each is a new request.
    body="{\"type\":\"$type\",\"received_at\":\"$recv\",\"confirm_new\":true"
    [ "$extra" = - ] || body="$body,$extra"
    body="$body}"
    rid=$(post_id "/api/v1/bookings/$bk/requests" "$body")
    if [ "$settings" = pi ]; then
        curl -s -o /dev/null -H "$AD" -H "$J" -X PUT \
            -d '{"release_dates_public":false,"personal_info_public":false,"policy":{}}' "$B/api/v1/agency/settings"
    fi
    [ -n "$rid" ] || { bad "row $name" "request not recorded: $body"; return; }
    if [ "$ovr" != - ]; then
        code=$(curl -s -o "$tmp/ovr" -w '%{http_code}' -H "$SU" -H "$J" \
            -d "{\"outcome\":\"$ovr\",\"reason\":\"table row $name\"}" "$B/api/v1/requests/$rid/override")
        [ "$code" = 201 ] || { bad "row $name override" "status $code: $(cat "$tmp/ovr")"; return; }
    fi
    if [ "$disc" = 1 ]; then
        code=$(curl -s -o "$tmp/disc" -w '%{http_code}' -H "$CL" -H "$J" \
            -d '{"release_date":"2030-01-15T09:00:00-08:00"}' "$B/api/v1/requests/$rid/disclosures")
        [ "$code" = 201 ] || { bad "row $name disclosure" "status $code: $(cat "$tmp/disc")"; return; }
    fi
    if [ "$intent" != - ]; then
        code=$(curl -s -o "$tmp/int" -w '%{http_code}' -H "$SU" -H "$J" -X PUT \
            -d "{\"intent\":\"$intent\"}" "$B/api/v1/requests/$rid/intent")
        [ "$code" = 200 ] || { bad "row $name intent" "status $code: $(cat "$tmp/int")"; return; }
    fi
    curl -s -H "$CL" "$B/api/v1/requests/$rid/notices" > "$tmp/body"
    got_out=$(jq -r '.effective_outcome' "$tmp/body")
    got_owed=$(jq -r '[.owed[] | "\(.kind):\(.to)"] | if length == 0 then "none" else join(",") end' "$tmp/body")
    if [ "$got_out" != "$want_out" ]; then
        bad "row $name ($law)" "outcome $got_out, want $want_out"
        return
    fi
    if [ "$got_owed" = "$want_owed" ]; then ok "row $name: $type $want_out -> $want_owed ($law)"; else
        bad "row $name ($law)" "owed $got_owed, want $want_owed"; return; fi
    # Each owed notice names its subdivision, as the statute words it.
    bad_sub=$(jq -r '.owed[] | select(
        (.kind == "copy" and (.subdivision != "7283.1(b), first sentence" or .cite != "Gov. Code § 7283.1(b)")) or
        (.kind == "release" and (.subdivision != "7283.1(b), second sentence" or .cite != "Gov. Code § 7283.1(b)")) or
        (.kind == "consent" and (.subdivision != "7283.1(a)" or .cite != "Gov. Code § 7283.1(a)"))) | .kind' "$tmp/body")
    [ -z "$bad_sub" ] && ok "row $name cites the subdivisions" || bad "row $name cites the subdivisions" "$bad_sub"
    # Every owed notice, in every language, renders as HTML in that language.
    for o in $(jq -r '.owed[] | "\(.kind):\(.to)"' "$tmp/body"); do
        kind=${o%%:*} to=${o#*:}
        for l in $LANGS; do
            if [ "$to" = counsel ]; then
                nb="{\"kind\":\"$kind\",\"language\":\"$l\",\"recipient\":\"attorney\",\"recipient_name\":\"Jo Counsel\"}"
            else
                nb="{\"kind\":\"$kind\",\"language\":\"$l\"}"
            fi
            nid=$(post_id "/api/v1/requests/$rid/notices" "$nb")
            if [ -z "$nid" ]; then bad "row $name $kind $to $l" "not generated"; continue; fi
            code=$(curl -s -o "$tmp/n.html" -w '%{http_code}' -H "$CL" "$B/api/v1/notices/$nid/html")
            tag=$l; [ "$l" = zh ] && tag=zh-Hant
            if [ "$code" = 200 ] && grep -q "<html lang=\"$tag\"" "$tmp/n.html" &&
               grep -qF "$(jq -r .person_name "$tmp/body")" "$tmp/n.html" && grep -qF '7283.1' "$tmp/n.html"; then
                ok "row $name $kind to $to renders in $l"
            else
                bad "row $name $kind to $to renders in $l" "status $code: $(head -c 200 "$tmp/n.html")"
            fi
            # Once per kind and language: the PDF.
            if [ ! -e "$tmp/pdf-$kind-$l" ]; then
                : > "$tmp/pdf-$kind-$l"
                echo "$nid" > "$tmp/pdf-$kind-$l"
            fi
        done
    done
}

trim() { t=${1#"${1%%[! ]*}"}; printf '%s' "${t%"${t##*[! ]}"}"; }
while IFS='|' read -r name bk type recv extra ovr disc intent settings out owed law; do
    case "$name" in ''|'#'*) continue ;; esac
    name=$(trim "$name") bk=$(trim "$bk") type=$(trim "$type") recv=$(trim "$recv")
    extra=$(trim "$extra") ovr=$(trim "$ovr") out=$(trim "$out") owed=$(trim "$owed")
    check_row "$name" "$bk" "$type" "$recv" "$extra" "$ovr" "$disc" "$intent" "$settings" "$out" "$owed" "$law"
done <<'EOF'
# hold, notification, transfer: the copy is owed whatever the decision, (b) first sentence
h-prohib      |T-REC |hold        |2024-05-02|-|-|0|-|-|prohibited|copy:person|(b)1
h-prohib-rel  |T-REC |hold        |2024-05-02|-|-|1|-|-|prohibited|copy:person,release:person,release:counsel|(b)1, (b)2
h-permit-2017 |T-REC |hold        |2017-06-01|-|-|0|-|-|permitted|copy:person|(b)1 (TRUST era hold, TRUTH in force)
h-review-2017 |T-REC |hold        |2017-06-01|-|review|0|-|-|review|copy:person|(b)1
h-before-truth|T-REC |hold        |2016-06-01|-|-|0|-|-|permitted|none|before 2017-01-01
h-before-rel  |T-REC |hold        |2016-06-01|-|-|1|-|-|permitted|none|before 2017-01-01, also (b)2
n-permit      |T-REC |notification|2024-05-02|-|-|0|-|-|permitted|copy:person|(b)1
n-permit-rel  |T-REC |notification|2024-05-02|-|-|1|-|-|permitted|copy:person,release:person,release:counsel|(b)1, (b)2
n-cond        |T-REC |notification|2024-05-02|-|permitted_with_conditions|0|-|-|permitted_with_conditions|copy:person|(b)1
n-prohib      |T-NONE|notification|2024-05-02|-|-|0|-|-|prohibited|copy:person|(b)1
n-review      |T-UNK |notification|2024-05-02|-|-|0|-|-|review|copy:person|(b)1
n-intent-yes  |T-REC |notification|2024-05-02|-|-|0|yes|-|permitted|copy:person|(b)1
t-warrant     |T-NONE|transfer    |2024-05-02|"judicial_warrant":true|-|0|-|-|permitted|copy:person|(b)1
t-prohib      |T-NONE|transfer    |2024-05-02|-|-|0|-|-|prohibited|copy:person|(b)1
t-review      |T-UNK |transfer    |2024-05-02|-|-|0|-|-|review|copy:person|(b)1
t-ovr-rel     |T-REC |transfer    |2024-05-02|-|prohibited|1|-|-|prohibited|copy:person,release:person,release:counsel|(b)1, (b)2
t-cond        |T-REC |transfer    |2024-05-02|-|permitted_with_conditions|0|-|-|permitted_with_conditions|copy:person|(b)1
# interviews: the consent form before any interview that can take place, (a)
i-cond        |T-NONE|interview   |2024-05-02|-|-|0|-|-|permitted_with_conditions|consent:person|(a)
i-2017        |T-NONE|interview   |2017-06-01|-|-|0|-|-|permitted_with_conditions|consent:person|(a)
i-review      |T-NONE|interview   |2024-05-02|-|review|0|-|-|review|consent:person|(a), if it proceeds
i-prohib      |T-NONE|interview   |2024-05-02|-|prohibited|0|-|-|prohibited|none|(a): no interview can take place
i-refused     |T-NONE|interview   |2024-05-02|-|-|0|no|-|permitted_with_conditions|none|(a): the agency will not allow it
i-rel         |T-NONE|interview   |2024-05-02|-|-|1|-|-|permitted_with_conditions|release:person,release:counsel,consent:person|(a), (b)2
i-before-truth|T-NONE|interview   |2016-06-01|-|-|0|-|-|permitted|none|before 2017-01-01
# other types: no copy ((b)1 names only hold, notification, transfer) and no consent form;
# a release date given still owes (b)2
p-prohib      |T-REC |personal_info|2024-05-02|-|-|0|-|-|prohibited|none|(b)1 and (a) do not apply
p-public      |T-REC |personal_info|2024-05-02|-|-|0|-|pi|permitted|none|(b)1 and (a) do not apply
p-public-rev  |T-REC |personal_info|2024-05-02|-|review|0|-|pi|review|none|(b)1 and (a) do not apply
p-rel         |T-REC |personal_info|2024-05-02|-|-|1|-|-|prohibited|release:person,release:counsel|(b)2
c-permit      |T-REC |criminal_history|2024-05-02|-|-|0|-|-|permitted|none|(b)1 and (a) do not apply
c-cond        |T-REC |criminal_history|2024-05-02|-|permitted_with_conditions|0|-|-|permitted_with_conditions|none|(b)1 and (a) do not apply
c-review      |T-REC |criminal_history|2024-05-02|-|review|0|-|-|review|none|(b)1 and (a) do not apply
c-prohib      |T-REC |criminal_history|2024-05-02|-|prohibited|0|-|-|prohibited|none|(b)1 and (a) do not apply
c-rel         |T-REC |criminal_history|2024-05-02|-|-|1|-|-|permitted|release:person,release:counsel|(b)2
s-prohib      |T-REC |status_inquiry|2024-05-02|-|-|0|-|-|prohibited|none|(b)1 and (a) do not apply
w-prohib      |T-REC |civil_warrant_arrest|2024-05-02|-|-|0|-|-|prohibited|none|(b)1 and (a) do not apply
f-prohib      |T-REC |immigration_officer_functions|2024-05-02|-|-|0|-|-|prohibited|none|(b)1 and (a) do not apply
b-prohib      |T-REC |border_search|2024-05-02|-|-|0|-|-|prohibited|none|(b)1 and (a) do not apply
x-prohib      |T-REC |interpreter |2024-05-02|-|-|0|-|-|prohibited|none|(b)1 and (a) do not apply
o-prohib      |T-REC |office_space|2024-05-02|-|-|0|-|-|prohibited|none|(b)1 and (a) do not apply
d-prohib      |T-REC |detention_contract|2024-05-02|-|-|0|-|-|prohibited|none|(b)1 and (a) do not apply
e-permit      |T-REC |status_information_exchange|2024-05-02|-|-|0|-|-|permitted|none|(b)1 and (a) do not apply
e-review      |T-REC |status_information_exchange|2024-05-02|-|review|0|-|-|review|none|(b)1 and (a) do not apply
v-permit      |T-REC |visa_certification|2024-05-02|-|-|0|-|-|permitted|none|(b)1 and (a) do not apply
v-prohib      |T-REC |visa_certification|2024-05-02|-|prohibited|0|-|-|prohibited|none|(b)1 and (a) do not apply
v-rel         |T-REC |visa_certification|2024-05-02|-|-|1|-|-|permitted|release:person,release:counsel|(b)2
EOF
[ "$rows" -ge 40 ] && ok "table has $rows rows" || bad "table rows" "$rows"

# Every request type of the case format appears in the table.
for t in hold notification transfer interview personal_info criminal_history status_inquiry \
         civil_warrant_arrest immigration_officer_functions border_search interpreter office_space \
         detention_contract status_information_exchange visa_certification; do
    curl -s -H "$AU" "$B/api/v1/requests?type=$t&limit=1" > "$tmp/body"
    jq_is "table covers $t" '.requests | length' 1
done

# The PDF of each kind in each language: a PDF, its text in the script, the script's font.
word_for() { # the heading of the notices' last part, "The law", in each language
    case "$1" in
    zh) printf '法律依據' ;; ko) printf '법적 근거' ;; vi) printf 'Căn cứ pháp lý' ;;
    es) printf 'Fundamento legal' ;; tl) printf 'Ang batas' ;; *) printf 'The law' ;;
    esac
}
font_for() {
    case "$1" in zh) echo 'NotoSansCJK-?tc' ;; ko) echo 'NotoSansCJK-?kr' ;; *) echo 'NotoSans' ;; esac
}
for f in "$tmp"/pdf-*; do
    [ -s "$f" ] || continue
    kl=${f##*/pdf-}; kind=${kl%-*}; l=${kl##*-}; nid=$(cat "$f")
    code=$(curl -s -o "$tmp/n.pdf" -D "$tmp/hdr" -w '%{http_code}' -H "$CL" "$B/api/v1/notices/$nid/pdf")
    if [ "$code" != 200 ] || [ "$(head -c 5 "$tmp/n.pdf")" != '%PDF-' ]; then
        bad "pdf $kind $l" "status $code"; continue; fi
    if command -v pdftotext > /dev/null; then
        pdftotext -enc UTF-8 "$tmp/n.pdf" - 2>/dev/null | tr '\n' ' ' | tr -s ' ' > "$tmp/n.txt"
        if grep -qF "$(word_for "$l")" "$tmp/n.txt" && grep -q '7283.1' "$tmp/n.txt"; then ok "pdf $kind $l has its script's text"; else
            bad "pdf $kind $l has its script's text" "$(head -c 200 "$tmp/n.txt")"; fi
        if pdffonts "$tmp/n.pdf" 2>/dev/null | grep -Eiq "$(font_for "$l")"; then ok "pdf $kind $l embeds its script's font"; else
            bad "pdf $kind $l embeds its script's font" "$(pdffonts "$tmp/n.pdf" 2>&1 | tail -n +3 | head -3)"; fi
    else
        ok "pdf $kind $l (poppler-utils missing: text not checked)"
    fi
done
for kind in copy release consent; do
    for l in $LANGS; do
        [ -s "$tmp/pdf-$kind-$l" ] && ok "pdf $kind $l fetched" || bad "pdf $kind $l fetched" "no row generated it"
    done
done

srv_stop
echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
