/* SPDX-License-Identifier: MIT
 * notice_int.h: shared inside src/notice only. The list of text keys and placeholders, and the
 * document model: doc.c turns texts + facts into a list of blocks (title, fields, paragraphs,
 * check boxes, signature lines) with every placeholder expanded, and html.c and pdf.c only lay
 * the blocks out. */
#ifndef HC_NOTICE_INT_H
#define HC_NOTICE_INT_H

#include <stddef.h>

#include "notice.h"

/* Every key a translation file must have, in the order of data/notices/en.tsv. */
#define NOTICE_KEYS(X) \
    X(LANG_NAME, "lang.name") \
    X(AGENCY_LABEL, "common.agency_label") \
    X(PERSON_LABEL, "common.person_label") \
    X(BOOKING_LABEL, "common.booking_label") \
    X(REQUEST_LABEL, "common.request_label") \
    X(FORM_LABEL, "common.form_label") \
    X(RECEIVED_LABEL, "common.received_label") \
    X(RELEASE_LABEL, "common.release_label") \
    X(DATE_LABEL, "common.date_label") \
    X(LAW_HEADING, "common.law_heading") \
    X(PROVISIONS, "common.provisions") \
    X(SERVICE_HEADING, "common.service_heading") \
    X(SERVED_TO_LABEL, "common.served_to_label") \
    X(SERVED_BY_LABEL, "common.served_by_label") \
    X(SERVED_AT_LABEL, "common.served_at_label") \
    X(SIGNATURE_LABEL, "common.signature_label") \
    X(GENERATED, "common.generated") \
    X(TYPE_HOLD, "type.hold") \
    X(TYPE_NOTIFICATION, "type.notification") \
    X(TYPE_TRANSFER, "type.transfer") \
    X(TYPE_INTERVIEW, "type.interview") \
    X(TYPE_PERSONAL_INFO, "type.personal_info") \
    X(TYPE_CRIMINAL_HISTORY, "type.criminal_history") \
    X(TYPE_OTHER, "type.other") \
    X(COPY_TITLE, "copy.title") \
    X(COPY_RECEIVED, "copy.received") \
    X(COPY_INTENT_YES, "copy.intent_yes") \
    X(COPY_INTENT_NO, "copy.intent_no") \
    X(COPY_INTENT_UNDECIDED, "copy.intent_undecided") \
    X(COPY_WHY, "copy.why") \
    X(COPY_RELEASE_RIGHT, "copy.release_right") \
    X(COPY_COUNSEL, "copy.counsel") \
    X(COPY_LAW, "copy.law") \
    X(RELEASE_TITLE, "release.title") \
    X(RELEASE_BODY, "release.body") \
    X(RELEASE_REQUEST, "release.request") \
    X(RELEASE_TO_PERSON, "release.to_person") \
    X(RELEASE_TO_ATTORNEY, "release.to_attorney") \
    X(RELEASE_TO_DESIGNEE, "release.to_designee") \
    X(RELEASE_LAW, "release.law") \
    X(CONSENT_TITLE, "consent.title") \
    X(CONSENT_PURPOSE, "consent.purpose") \
    X(CONSENT_NOT_AGENCY, "consent.not_agency") \
    X(CONSENT_VOLUNTARY, "consent.voluntary") \
    X(CONSENT_DECLINE, "consent.decline") \
    X(CONSENT_ATTORNEY, "consent.attorney") \
    X(CONSENT_CHOOSE, "consent.choose") \
    X(CONSENT_OPT_AGREE, "consent.opt_agree") \
    X(CONSENT_OPT_ATTORNEY, "consent.opt_attorney") \
    X(CONSENT_OPT_DECLINE, "consent.opt_decline") \
    X(CONSENT_SIGNATURE_LABEL, "consent.signature_label") \
    X(CONSENT_LANGUAGES, "consent.languages") \
    X(CONSENT_LAW, "consent.law") \
    X(DATE_MONTHS, "date.months") \
    X(DATE_PATTERN, "date.pattern") \
    X(TIME_PATTERN, "time.pattern") \
    X(TIME_AM, "time.am") \
    X(TIME_PM, "time.pm")

#define NOTICE__KEY_ENUM(id, name) NK_##id,
enum notice__key { NOTICE_KEYS(NOTICE__KEY_ENUM) NK_COUNT };
#undef NOTICE__KEY_ENUM

/* The placeholders a text may use; each is filled from struct notice_facts. */
#define NOTICE_VARS(X) \
    X(PERSON_NAME, "person_name") \
    X(BOOKING_NO, "booking_no") \
    X(AGENCY, "agency") \
    X(REQUEST_TYPE, "request_type") \
    X(FORM, "form") \
    X(RECEIVED_AT, "received_at") \
    X(RELEASE_DATE, "release_date") \
    X(PROVISIONS, "provisions") \
    X(GENERATED_AT, "generated_at") \
    X(DAY, "day") \
    X(MONTH, "month") \
    X(YEAR, "year") \
    X(DATE, "date") \
    X(HOUR, "hour") \
    X(MINUTE, "minute") \
    X(AMPM, "ampm")

#define NOTICE__VAR_ENUM(id, name) NV_##id,
enum notice__var { NOTICE_VARS(NOTICE__VAR_ENUM) NV_COUNT };
#undef NOTICE__VAR_ENUM

/* The text of key k in lang; never NULL once t is loaded. */
const char *notice__text(const struct notice_texts *t, int lang, int k);

/* The placeholder named s[0..n), or -1. */
int notice__var_from_name(const char *s, size_t n);

/* ---- the document model ------------------------------------------------------------------ */

enum notice__block_type {
    NB_TITLE = 0, /* text */
    NB_AGENCY,    /* text: the agency's name under the title (and its address, when given) */
    NB_FIELD,     /* label: text (an empty text prints a line to write on) */
    NB_PARA,      /* text */
    NB_EMPH,      /* text, set off: the agency's intent, "the interview is voluntary" */
    NB_HEADING,   /* text */
    NB_CHECK,     /* an empty box, then text */
    NB_SIGN,      /* label over a line to write on; text prefilled when not empty */
    NB_SMALL,     /* text in smaller type: the law, the provisions, the footer */
    NB_COUNT      /* how many kinds there are */
};

struct notice__block {
    unsigned char type;  /* enum notice__block_type */
    const char *label;   /* into doc->mem, or NULL */
    const char *text;    /* into doc->mem; never NULL */
};

#define NOTICE__MAX_BLOCKS 48
#define NOTICE__DOC_MEM 32768

struct notice__doc {
    int lang;
    const char *title; /* the title block's text, for <title> and the PDF metadata */
    size_t n;
    struct notice__block blk[NOTICE__MAX_BLOCKS];
    size_t used;
    char mem[NOTICE__DOC_MEM]; /* the expanded strings, NUL-terminated */
};

/* Build the blocks of notice `kind` in `lang` for facts f into *doc. Returns 0; HC_EINVAL with
 * d naming the fact (see notice_render_html); HC_ENOSPC when the texts do not fit (a bug in
 * the limits, not an input error). */
int notice__doc_build(const struct notice_texts *t, int kind, int lang,
                      const struct notice_facts *f, struct notice__doc *doc, struct hc_diag *d);
/* The renderers' start: check paper (HC_EINVAL with d naming it), then build the document as
 * notice__doc_build does into *out, on the heap (it is 33 KiB: not on a server thread's stack).
 * The caller frees *out; on failure *out is NULL. */
int notice__doc_new(const struct notice_texts *t, int kind, int lang, const struct notice_facts *f,
                    int paper, struct notice__doc **out, struct hc_diag *d);

#endif
