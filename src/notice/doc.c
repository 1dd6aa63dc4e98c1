/* SPDX-License-Identifier: MIT
 * doc.c: one notice as a list of blocks, in one language, with the facts filled in. This is the
 * only place that knows what each notice says and in which order; html.c and pdf.c lay out the
 * same blocks, so the HTML and the PDF of a notice never differ in content. */
#include "notice_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "case.h"
#include "date.h"
#include "engine.h"
#include "json.h"

#define BLANK "________________"

void notice_facts_init(struct notice_facts *f)
{
    memset(f, 0, sizeof *f);
    f->request_type = -1;
    f->outcome = -1;
    f->intent = NOTICE_INTENT_UNSET;
    f->served_to = NOTICE_TO_PERSON;
}

/* ---- checking the facts ------------------------------------------------------------------ */

static int check_str(const char *s, const char *field, struct hc_diag *d)
{
    size_t n, i;
    if (s == NULL)
        return 0;
    n = strlen(s);
    if (n > NOTICE_MAX_FACT)
        return hc_diag_set(d, field, "longer than 256 bytes", NULL);
    if (!hc_utf8_valid(s, n))
        return hc_diag_set(d, field, "not valid UTF-8", NULL);
    for (i = 0; i < n; i++)
        if ((unsigned char)s[i] < 0x20 || s[i] == 0x7f)
            return hc_diag_set(d, field, "contains a control character", NULL);
    return 0;
}

static int empty(const char *s)
{
    return s == NULL || s[0] == '\0';
}

static int check_facts(int kind, const struct notice_facts *f, struct hc_diag *d)
{
    static const struct {
        size_t off;
        const char *field;
    } strs[] = {
        {offsetof(struct notice_facts, person_name), "person_name"},
        {offsetof(struct notice_facts, booking_no), "booking_no"},
        {offsetof(struct notice_facts, agency), "agency"},
        {offsetof(struct notice_facts, agency_address), "agency_address"},
        {offsetof(struct notice_facts, form), "request.form"},
        {offsetof(struct notice_facts, received_at), "request.received_at"},
        {offsetof(struct notice_facts, release_date), "release_date"},
        {offsetof(struct notice_facts, served_to_name), "served_to_name"},
        {offsetof(struct notice_facts, generated_at), "generated_at"},
    };
    size_t i;
    int rc;

    for (i = 0; i < sizeof strs / sizeof strs[0]; i++) {
        const char *s;
        memcpy(&s, (const char *)f + strs[i].off, sizeof s);
        rc = check_str(s, strs[i].field, d);
        if (rc != 0)
            return rc;
    }
    if (f->nprovisions > NOTICE_MAX_PROVISIONS)
        return hc_diag_set(d, "decision.basis", "more than 24 provisions", NULL);
    if (f->nprovisions > 0 && f->provisions == NULL)
        return hc_diag_set(d, "decision.basis", "missing", NULL);
    for (i = 0; i < f->nprovisions; i++) {
        rc = check_str(f->provisions[i], "decision.basis", d);
        if (rc == 0 && empty(f->provisions[i]))
            rc = hc_diag_set(d, "decision.basis", "empty provision", NULL);
        if (rc != 0)
            return rc;
    }
    if (f->request_type < -1 || f->request_type >= HC_REQ_COUNT)
        return hc_diag_set(d, "request.type", "unknown request type", NULL);
    if (f->outcome < -1 || f->outcome > HC_OUT_REVIEW)
        return hc_diag_set(d, "decision.outcome", "unknown outcome", NULL);
    if (notice_intent_check(f->intent, f->outcome, d) != 0)
        return HC_EINVAL;
    if (f->served_to < NOTICE_TO_PERSON || f->served_to > NOTICE_TO_DESIGNEE)
        return hc_diag_set(d, "served_to", "unknown recipient", NULL);
    switch (kind) {
    case NOTICE_COPY:
        if (f->request_type != HC_REQ_HOLD && f->request_type != HC_REQ_NOTIFICATION &&
            f->request_type != HC_REQ_TRANSFER)
            return hc_diag_set(d, "request.type",
                               "a copy notice is for a hold, notification or transfer request "
                               "(Gov. Code 7283.1(b))", NULL);
        break;
    case NOTICE_RELEASE:
        if (empty(f->release_date))
            return hc_diag_set(d, "release_date",
                               "a release notice states the release date given to ICE", NULL);
        break;
    default:
        break;
    }
    if (kind != NOTICE_RELEASE && f->served_to != NOTICE_TO_PERSON)
        return hc_diag_set(d, "served_to",
                           "only the release notice goes to an attorney or designee", NULL);
    return 0;
}

/* ---- building ---------------------------------------------------------------------------- */

struct builder {
    const struct notice_texts *t;
    int lang;
    struct notice__doc *doc;
    const char *var[NV_COUNT]; /* placeholder values; NULL or "" print BLANK */
    int overflow;
};

static const char *doc_put(struct builder *b, const char *s, size_t n)
{
    struct notice__doc *doc = b->doc;
    char *p;
    if (doc->used + n + 1 > sizeof doc->mem) {
        b->overflow = 1;
        return "";
    }
    p = doc->mem + doc->used;
    memcpy(p, s, n);
    p[n] = '\0';
    doc->used += n + 1;
    return p;
}

/* Expand the {placeholders} of text key k into the document's memory. */
static const char *expand(struct builder *b, int k)
{
    const char *tpl = notice__text(b->t, b->lang, k), *p = tpl;
    struct notice__doc *doc = b->doc;
    size_t start = doc->used;

    while (*p != '\0') {
        const char *open = strchr(p, '{'), *close, *val;
        int v;
        if (open == NULL) {
            doc_put(b, p, strlen(p));
            break;
        }
        doc_put(b, p, (size_t)(open - p));
        /* The loader guarantees a known name and a closing brace. */
        close = strchr(open, '}');
        v = notice__var_from_name(open + 1, (size_t)(close - open - 1));
        val = v >= 0 ? b->var[v] : NULL;
        if (val == NULL || val[0] == '\0')
            val = BLANK;
        doc_put(b, val, strlen(val));
        p = close + 1;
    }
    if (b->overflow)
        return "";
    /* Join the pieces: each doc_put ended with a NUL; drop all but the last. */
    {
        size_t r, w = start;
        for (r = start; r < doc->used; r++)
            if (doc->mem[r] != '\0')
                doc->mem[w++] = doc->mem[r];
        doc->mem[w] = '\0';
        doc->used = w + 1;
    }
    return doc->mem + start;
}

static void add(struct builder *b, int type, const char *label, const char *text)
{
    struct notice__doc *doc = b->doc;
    if (doc->n >= NOTICE__MAX_BLOCKS) {
        b->overflow = 1;
        return;
    }
    doc->blk[doc->n].type = (unsigned char)type;
    doc->blk[doc->n].label = label;
    doc->blk[doc->n].text = text ? text : "";
    doc->n++;
}

static void add_text(struct builder *b, int type, int k)
{
    add(b, type, NULL, expand(b, k));
}

static void add_field(struct builder *b, int label_key, const char *value)
{
    const char *v = empty(value) ? "" : doc_put(b, value, strlen(value));
    add(b, NB_FIELD, expand(b, label_key), v);
}

/* prefill: NULL (or "") leaves the line blank, to be filled in by hand. */
static void add_sign(struct builder *b, int label_key, const char *prefill)
{
    const char *v = "";
    if (prefill != NULL && prefill[0] != '\0')
        v = doc_put(b, prefill, strlen(prefill));
    add(b, NB_SIGN, expand(b, label_key), v);
}

static int type_key(int type)
{
    switch (type) {
    case HC_REQ_HOLD: return NK_TYPE_HOLD;
    case HC_REQ_NOTIFICATION: return NK_TYPE_NOTIFICATION;
    case HC_REQ_TRANSFER: return NK_TYPE_TRANSFER;
    case HC_REQ_INTERVIEW: return NK_TYPE_INTERVIEW;
    case HC_REQ_PERSONAL_INFO: return NK_TYPE_PERSONAL_INFO;
    case HC_REQ_CRIMINAL_HISTORY: return NK_TYPE_CRIMINAL_HISTORY;
    default: return NK_TYPE_OTHER;
    }
}

/* "Gov. Code § 7283.1(b); Gov. Code § 7284.6(a)(1)(B)": the TRUTH Act subdivision the notice
 * is given under, then the decision's basis, each once. */
static const char *provisions(struct builder *b, int kind, const struct notice_facts *f)
{
    char mem[NOTICE_MAX_PROVISIONS * (NOTICE_MAX_FACT + 2) + 64];
    const char *first = kind == NOTICE_CONSENT ? "Gov. Code § 7283.1(a)" : "Gov. Code § 7283.1(b)";
    struct hc_buf hb;
    size_t i, j;

    hc_buf_init(&hb, mem, sizeof mem);
    hc_buf_puts(&hb, first);
    for (i = 0; i < f->nprovisions; i++) {
        int dup = strcmp(f->provisions[i], first) == 0;
        for (j = 0; j < i && !dup; j++)
            dup = strcmp(f->provisions[i], f->provisions[j]) == 0;
        if (dup)
            continue;
        hc_buf_puts(&hb, "; ");
        hc_buf_puts(&hb, f->provisions[i]);
    }
    return doc_put(b, hb.data, hb.len);
}

/* Two digits of s as a number, or -1. */
static int two(const char *s)
{
    return s[0] >= '0' && s[0] <= '9' && s[1] >= '0' && s[1] <= '9'
               ? (s[0] - '0') * 10 + (s[1] - '0')
               : -1;
}

/* The month'th (1..12) of the language's month names, into the document's memory. */
static const char *month_name(struct builder *b, int month)
{
    const char *p = notice__text(b->t, b->lang, NK_DATE_MONTHS), *end;
    int i;
    for (i = 1; i < month; i++)
        p = strchr(p, '|') + 1; /* the loader checked there are twelve */
    end = strchr(p, '|');
    return doc_put(b, p, end ? (size_t)(end - p) : strlen(p));
}

/* s, a stored date ("YYYY-MM-DD") or time ("YYYY-MM-DDTHH:MM:SS", a fraction, "Z" or an
 * offset), as the language writes a date, or a date and time of day, in the jail's local time
 * (the process's time zone, TZ): a time with "Z" or an offset is moved to local time, one
 * without is local already. Into the document's memory; s itself when it is not such a time
 * (a fact written by hand). Never an ISO stamp on paper. */
static const char *local_when(struct builder *b, const char *s)
{
    char num[4][8];
    int y, mo, dd, hh = -1, mi = 0;
    hc_day day;
    const char *p;

    if (empty(s) || strlen(s) < 10 || hc_date_parse(s, 10, &day) != 0)
        return s;
    p = s + 10;
    if (*p != '\0' && *p != 'T')
        return s; /* "2025-06-20 14:00": written by hand, printed as written */
    if (*p == 'T') {
        int ss;
        if ((hh = two(p + 1)) < 0 || p[3] != ':' || (mi = two(p + 4)) < 0 || p[6] != ':' ||
            (ss = two(p + 7)) < 0 || hh > 23 || mi > 59)
            return s;
        p += 9;
        if (*p == '.')
            for (p++; *p >= '0' && *p <= '9'; p++)
                ;
        if (*p == 'Z' || *p == '+' || *p == '-') {
            int64_t t = (int64_t)day * 86400 + (int64_t)hh * 3600 + (int64_t)mi * 60 + ss;
            time_t tt;
            struct tm tm;
            if (*p != 'Z') {
                int oh = two(p + 1), om = two(p + 4);
                if (oh < 0 || om < 0 || p[3] != ':')
                    return s;
                t -= (*p == '+' ? 1 : -1) * (int64_t)(oh * 3600 + om * 60);
                p += 6;
            } else {
                p++;
            }
            if (*p != '\0')
                return s;
            tt = (time_t)t;
            if (localtime_r(&tt, &tm) == NULL)
                return s;
            day = hc_date_from_ymd(tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday);
            hh = tm.tm_hour;
            mi = tm.tm_min;
        } else if (*p != '\0') {
            return s;
        }
    }
    hc_date_to_ymd(day, &y, &mo, &dd);
    snprintf(num[0], sizeof num[0], "%d", dd);
    snprintf(num[1], sizeof num[1], "%d", y);
    b->var[NV_DAY] = num[0];
    b->var[NV_YEAR] = num[1];
    b->var[NV_MONTH] = month_name(b, mo);
    b->var[NV_DATE] = expand(b, NK_DATE_PATTERN);
    if (hh >= 0) {
        snprintf(num[2], sizeof num[2], "%d", hh % 12 == 0 ? 12 : hh % 12);
        snprintf(num[3], sizeof num[3], "%02d", mi);
        b->var[NV_HOUR] = num[2];
        b->var[NV_MINUTE] = num[3];
        b->var[NV_AMPM] = notice__text(b->t, b->lang, hh < 12 ? NK_TIME_AM : NK_TIME_PM);
        b->var[NV_DATE] = expand(b, NK_TIME_PATTERN);
    }
    p = b->var[NV_DATE];
    /* num is this call's: no placeholder may point into it afterwards. */
    b->var[NV_DAY] = b->var[NV_MONTH] = b->var[NV_YEAR] = b->var[NV_DATE] = NULL;
    b->var[NV_HOUR] = b->var[NV_MINUTE] = b->var[NV_AMPM] = NULL;
    return p;
}

/* The title, the agency's name, the person's name and the booking number: every notice starts
 * so. */
static void head(struct builder *b, int title_key, const struct notice_facts *f)
{
    add_text(b, NB_TITLE, title_key);
    add(b, NB_AGENCY, expand(b, NK_AGENCY_LABEL),
        empty(f->agency) ? "" : doc_put(b, f->agency, strlen(f->agency)));
    if (!empty(f->agency_address))
        add(b, NB_AGENCY, NULL, doc_put(b, f->agency_address, strlen(f->agency_address)));
    add_field(b, NK_PERSON_LABEL, f->person_name);
    add_field(b, NK_BOOKING_LABEL, f->booking_no);
}

/* The law the notice rests on (law_key) and its provisions, then the record of service, signed
 * by the person too when person_signs: every notice ends so. */
static void foot(struct builder *b, int law_key, const struct notice_facts *f, int person_signs)
{
    add_text(b, NB_HEADING, NK_LAW_HEADING);
    add_text(b, NB_SMALL, law_key);
    add_text(b, NB_SMALL, NK_PROVISIONS);
    add_text(b, NB_HEADING, NK_SERVICE_HEADING);
    add_sign(b, NK_SERVED_TO_LABEL,
             f->served_to == NOTICE_TO_PERSON ? f->person_name : f->served_to_name);
    add_sign(b, NK_SERVED_BY_LABEL, NULL);
    add_sign(b, NK_SERVED_AT_LABEL, NULL);
    if (person_signs)
        add_sign(b, NK_SIGNATURE_LABEL, NULL);
}

static void build_copy(struct builder *b, const struct notice_facts *f)
{
    static const int intent_key[] = {
        [NOTICE_INTENT_UNDECIDED] = NK_COPY_INTENT_UNDECIDED,
        [NOTICE_INTENT_YES] = NK_COPY_INTENT_YES,
        [NOTICE_INTENT_NO] = NK_COPY_INTENT_NO,
    };
    int intent = notice_intent_resolve(f->intent, f->outcome);

    head(b, NK_COPY_TITLE, f);
    add_field(b, NK_REQUEST_LABEL, b->var[NV_REQUEST_TYPE]);
    add_field(b, NK_FORM_LABEL, f->form);
    add_field(b, NK_RECEIVED_LABEL, f->received_at);
    add_text(b, NB_PARA, NK_COPY_RECEIVED);
    add_text(b, NB_EMPH, intent_key[intent]);
    add_text(b, NB_PARA, NK_COPY_WHY);
    add_text(b, NB_PARA, NK_COPY_RELEASE_RIGHT);
    add_text(b, NB_PARA, NK_COPY_COUNSEL);
    foot(b, NK_COPY_LAW, f, 1);
}

static void build_release(struct builder *b, const struct notice_facts *f)
{
    head(b, NK_RELEASE_TITLE, f);
    add_field(b, NK_RELEASE_LABEL, f->release_date);
    if (f->served_to == NOTICE_TO_ATTORNEY)
        add_text(b, NB_EMPH, NK_RELEASE_TO_ATTORNEY);
    else if (f->served_to == NOTICE_TO_DESIGNEE)
        add_text(b, NB_EMPH, NK_RELEASE_TO_DESIGNEE);
    add_text(b, NB_PARA, NK_RELEASE_BODY);
    if (f->request_type >= 0)
        add_text(b, NB_PARA, NK_RELEASE_REQUEST);
    if (f->served_to == NOTICE_TO_PERSON)
        add_text(b, NB_PARA, NK_RELEASE_TO_PERSON);
    foot(b, NK_RELEASE_LAW, f, 1);
}

/* One fixed block of a form: a text of type `type`, or with NB_SIGN a signature line labelled
 * `key`, left blank. */
struct form_step {
    int type, key;
};

static void add_steps(struct builder *b, const struct form_step *s, size_t n)
{
    for (; n > 0; s++, n--) {
        if (s->type == NB_SIGN)
            add_sign(b, s->key, NULL);
        else
            add_text(b, s->type, s->key);
    }
}

/* The consent form (7283.1(a)): what the interview is, that it is voluntary, the three answers
 * the person may tick, the signature, and the languages the form comes in. */
static void build_consent(struct builder *b, const struct notice_facts *f)
{
    static const struct form_step body[] = {
        {NB_PARA, NK_CONSENT_PURPOSE},     {NB_PARA, NK_CONSENT_NOT_AGENCY},
        {NB_EMPH, NK_CONSENT_VOLUNTARY},   {NB_PARA, NK_CONSENT_DECLINE},
        {NB_PARA, NK_CONSENT_ATTORNEY},    {NB_HEADING, NK_CONSENT_CHOOSE},
        {NB_CHECK, NK_CONSENT_OPT_AGREE},  {NB_CHECK, NK_CONSENT_OPT_ATTORNEY},
        {NB_CHECK, NK_CONSENT_OPT_DECLINE}, {NB_SIGN, NK_CONSENT_SIGNATURE_LABEL},
        {NB_SIGN, NK_DATE_LABEL},          {NB_SMALL, NK_CONSENT_LANGUAGES},
    };

    head(b, NK_CONSENT_TITLE, f);
    add_steps(b, body, sizeof body / sizeof body[0]);
    foot(b, NK_CONSENT_LAW, f, 0);
}

int notice__doc_build(const struct notice_texts *t, int kind, int lang,
                      const struct notice_facts *f, struct notice__doc *doc, struct hc_diag *d)
{
    struct builder b;
    struct notice_facts when;
    int rc;

    hc_diag_clear(d);
    if (kind < 0 || kind >= NOTICE_KIND_COUNT)
        return hc_diag_set(d, "kind", "unknown notice kind", NULL);
    if (lang < 0 || lang >= NOTICE_LANG_COUNT)
        return hc_diag_set(d, "lang", "unknown language", NULL);
    rc = check_facts(kind, f, d);
    if (rc != 0)
        return rc;

    memset(&b, 0, sizeof b);
    b.t = t;
    b.lang = lang;
    b.doc = doc;
    doc->lang = lang;
    doc->n = 0;
    doc->used = 0;
    b.var[NV_PERSON_NAME] = f->person_name;
    b.var[NV_BOOKING_NO] = f->booking_no;
    b.var[NV_AGENCY] = f->agency;
    b.var[NV_FORM] = f->form;
    /* The times as the notice prints them: local, in the language's words (local_when). */
    when = *f;
    when.received_at = local_when(&b, f->received_at);
    when.release_date = local_when(&b, f->release_date);
    when.generated_at = local_when(&b, f->generated_at);
    f = &when;
    b.var[NV_RECEIVED_AT] = f->received_at;
    b.var[NV_RELEASE_DATE] = f->release_date;
    b.var[NV_GENERATED_AT] = f->generated_at;
    b.var[NV_REQUEST_TYPE] =
        f->request_type >= 0 ? notice__text(t, lang, type_key(f->request_type)) : NULL;
    b.var[NV_PROVISIONS] = provisions(&b, kind, f);

    switch (kind) {
    case NOTICE_COPY: build_copy(&b, f); break;
    case NOTICE_RELEASE: build_release(&b, f); break;
    default: build_consent(&b, f); break;
    }
    if (!empty(f->generated_at))
        add_text(&b, NB_SMALL, NK_GENERATED);
    if (b.overflow) {
        hc_diag_set(d, "", "notice too long for the document buffer", NULL);
        return HC_ENOSPC;
    }
    doc->title = doc->blk[0].text;
    return 0;
}

int notice__doc_new(const struct notice_texts *t, int kind, int lang, const struct notice_facts *f,
                    int paper, struct notice__doc **out, struct hc_diag *d)
{
    struct notice__doc *doc;
    int rc;

    *out = NULL;
    if (paper != NOTICE_PAPER_LETTER && paper != NOTICE_PAPER_A4)
        return hc_diag_set(d, "paper", "unknown paper size", NULL);
    doc = calloc(1, sizeof *doc);
    if (doc == NULL)
        return HC_ENOMEM;
    rc = notice__doc_build(t, kind, lang, f, doc, d);
    if (rc != 0) {
        free(doc);
        return rc;
    }
    *out = doc;
    return 0;
}
