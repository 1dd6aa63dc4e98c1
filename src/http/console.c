/* SPDX-License-Identifier: MIT
 * console.c: the staff console of issue 5 (docs/console.md): the JSON API its pages use (the
 * queue of open requests, the TRUTH Act notices owed, generated and served for a request,
 * their HTML and PDF, the person's answer to an interview request, the agency's intent, the
 * release dates it gave immigration authorities, the interview's steps, a request's audit
 * trail and a person's record), the pages themselves (web/console, embedded at build time)
 * and this file's routing table. Which notices are owed and by when is src/notice/rules.h's;
 * this file supplies the facts from the store and records what staff did. */
#include <jansson.h>
#include <pthread.h>
#include <sodium.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "case.h"
#include "date.h"
#include "engine.h"
#include "http.h"
#include "http_int.h"
#include "intake.h"
#include "notice.h"
#include "public.h"
#include "render.h"
#include "review.h"
#include "rules.h"
#include "truth.h"

#define NKEYS(a) (sizeof a / sizeof a[0])
#define NAME_MAX_LEN 200
#define HTML_MAX ((size_t)256 << 10) /* a notice's HTML: 64 KiB suffices (notice.h) */

/* The pages of web/console, embedded by tools/embed.sh (struct hc_memfile: memfile.h). */
extern const struct hc_memfile http_console_files[];
extern const size_t http_console_files_n;

static const char page_csp[] =
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; "
    "connect-src 'self'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

/* ------------------------------------------------------------------------------------------ */
/* The notice texts and the PDF renderer, shared by the worker threads                        */

/* The texts are loaded once, on first use, and kept for the life of the process. The PDF
 * renderer may run in one thread at a time per process (notice.h), hence the lock. */
static pthread_mutex_t texts_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_mutex_t pdf_lock = PTHREAD_MUTEX_INITIALIZER;
static struct notice_texts *texts;

/* The notice texts, loading them on first use. NULL (logged) when they do not load. */
static const struct notice_texts *console_texts(void)
{
    struct notice_texts *t;
    pthread_mutex_lock(&texts_lock);
    if (texts == NULL) {
        struct hc_diag d;
        hc_diag_clear(&d);
        if (notice_texts_new_builtin(&texts, &d) != HC_OK) {
            fprintf(stderr, "holdcheck: notice texts: %s: %s\n", d.field, d.msg);
            texts = NULL;
        }
    }
    t = texts;
    pthread_mutex_unlock(&texts_lock);
    return t;
}

/* ------------------------------------------------------------------------------------------ */
/* Small helpers                                                                              */


static int outcome_from_name(const char *s)
{
    int o;
    if (s == NULL)
        return -1;
    for (o = HC_OUT_PERMITTED; o <= HC_OUT_REVIEW; o++)
        if (strcmp(hc_outcome_name(o), s) == 0)
            return o;
    return -1;
}

static int ruleset_from_name(const char *s)
{
    int r;
    if (s == NULL)
        return -1;
    for (r = HC_RULES_TRUST; r <= HC_RULES_VALUES; r++)
        if (strcmp(hc_ruleset_name(r), s) == 0)
            return r;
    return -1;
}

/* A stored time ("YYYY-MM-DD", or with "THH:MM:SS", a fraction and "Z" or an offset) as seconds
 * since 1970 UTC into *out. A date alone is the start of that day, and a time without an offset
 * is the server's local time (run it with TZ set, as intake does). HC_EINVAL when s is not such
 * a time. */
static int console_time(const char *s, int64_t *out)
{
    hc_day day;
    int y, mo, dd, hh = 0, mi = 0, ss = 0;
    const char *p;
    if (s == NULL || intake_parse_received(s, &day) != HC_OK)
        return HC_EINVAL;
    hc_date_to_ymd(day, &y, &mo, &dd);
    p = s + 10;
    if (*p == 'T') {
        hh = (p[1] - '0') * 10 + (p[2] - '0');
        mi = (p[4] - '0') * 10 + (p[5] - '0');
        ss = (p[7] - '0') * 10 + (p[8] - '0');
        p += 9;
        if (*p == '.')
            for (p++; *p >= '0' && *p <= '9'; p++)
                ;
    }
    if (*p == 'Z' || *p == '+' || *p == '-') {
        int64_t off = 0;
        if (*p != 'Z')
            off = ((p[1] - '0') * 10 + (p[2] - '0')) * 3600 + ((p[4] - '0') * 10 + (p[5] - '0')) * 60;
        if (*p == '-')
            off = -off;
        *out = (int64_t)day * 86400 + hh * 3600 + mi * 60 + ss - off;
    } else {
        struct tm tm;
        time_t t;
        memset(&tm, 0, sizeof tm);
        tm.tm_year = y - 1900;
        tm.tm_mon = mo - 1;
        tm.tm_mday = dd;
        tm.tm_hour = hh;
        tm.tm_min = mi;
        tm.tm_sec = ss;
        tm.tm_isdst = -1;
        t = mktime(&tm);
        if (t == (time_t)-1)
            return HC_EINVAL;
        *out = (int64_t)t;
    }
    return HC_OK;
}

/* t as "YYYY-MM-DDTHH:MM:SSZ". */
static void utc_text(int64_t t, char out[21])
{
    time_t tt = (time_t)t;
    struct tm tm;
    gmtime_r(&tt, &tm);
    strftime(out, 21, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

static json_t *jtime(int64_t t)
{
    char buf[21];
    if (t == NOTICE_TIME_NONE)
        return json_null();
    utc_text(t, buf);
    return json_string(buf);
}

/* Answer with a page or a notice: body with ctype, our own CSP and the other security headers.
 * The API's answers go through http__respond instead (its CSP forbids everything). */
static void send_doc(h2o_req_t *req, int status, const char *ctype, const char *csp,
                     const char *cache, const char *body, size_t len)
{
    req->res.status = status;
    req->res.reason = status == 200 ? "OK" : "Moved Permanently";
    req->res.content_length = len;
    http__add_header(req, H2O_TOKEN_CONTENT_TYPE, ctype);
    http__add_header(req, H2O_TOKEN_CACHE_CONTROL, cache);
    http__add_header_str(req, "x-content-type-options", "nosniff");
    http__add_header_str(req, "content-security-policy", csp);
    http__add_header_str(req, "referrer-policy", "no-referrer");
    http__add_header_str(req, "cross-origin-opener-policy", "same-origin");
    h2o_send_inline(req, body, len);
}

/* ------------------------------------------------------------------------------------------ */
/* One request as the console sees it                                                         */

/* A request, its booking's record, what the console recorded about it, and the notices owed
 * now. Strings live in the worker's arena; decision is owned (json_decref). */
struct cx_req {
    struct store_request_detail det;
    struct store_record rec;
    struct store_console_state cs;
    const char *effective;  /* the outcome to act on: newest decision or its strictest override */
    int type, outcome, ruleset; /* enums; outcome and ruleset -1 when undecided */
    json_t *decision;       /* the newest decision as JSON, or NULL */
    int intent;             /* enum notice_intent as recorded (UNSET when none) */
    int need_consent;       /* the decision's conditions include Gov. Code 7283.1(a) */
    struct notice_owed owed[NOTICE_MAX_OWED];
    size_t nowed;
    struct notice_times times;
    const struct store_disclosure *disclosure; /* the newest, or NULL */
};

/* Whether the decision's conditions name provision p ("7283.1(a)"). */
static int has_condition(json_t *decision, const char *p)
{
    json_t *c = json_object_get(decision, "conditions"), *v;
    size_t i;
    json_array_foreach(c, i, v) {
        const char *s = json_string_value(v);
        if (s != NULL && strstr(s, p) != NULL)
            return 1;
    }
    return 0;
}

/* Fill r->times from the request, the booking and the console's records. */
static void cx_times(struct cx_req *r)
{
    size_t i;
    int64_t t;
    notice_times_init(&r->times);
    if (console_time(r->det.req.received_at, &t) == HC_OK)
        r->times.received = t;
    if (r->disclosure != NULL && console_time(r->disclosure->told_at, &t) == HC_OK)
        r->times.ice_notified = t;
    for (i = r->cs.ninterviews; i-- > 0;)
        if (strcmp(r->cs.interviews[i].status, "scheduled") == 0) {
            if (console_time(r->cs.interviews[i].at, &t) == HC_OK)
                r->times.interview = t;
            break;
        }
    if (r->rec.booking.released_at != NULL &&
        console_time(r->rec.booking.released_at, &t) == HC_OK)
        r->times.release = t;
    else if (r->rec.booking.scheduled_release != NULL &&
             console_time(r->rec.booking.scheduled_release, &t) == HC_OK)
        r->times.release = t;
}

/* Load request id with everything the console needs, and compute the notices owed. HC_ENOENT
 * (d->field "id") when there is no such request. */
static int cx_load(struct http_call *c, int64_t id, struct cx_req *r, struct hc_diag *d)
{
    struct hc_arena *a = &c->w->arena;
    struct notice_situation sit;
    size_t i;
    int rc;

    memset(r, 0, sizeof *r);
    r->outcome = r->ruleset = -1;
    rc = store_request_get(c->w->st, id, a, &r->det);
    if (rc == HC_ENOENT)
        hc_diag_set(d, "id", "no such request", NULL);
    if (rc != HC_OK)
        return rc;
    if ((rc = store_record_get(c->w->st, r->det.booking_no, a, &r->rec)) != HC_OK ||
        (rc = store_console_state(c->w->st, id, a, &r->cs)) != HC_OK)
        return rc;
    r->type = hc_request_from_name(r->det.req.type, strlen(r->det.req.type));
    if (r->det.ndec > 0) {
        const struct store_decision_row *dec = &r->det.dec[r->det.ndec - 1];
        r->effective = dec->outcome;
        for (i = 0; i < r->det.novr; i++)
            if (r->det.ovr[i].decision_id == dec->id &&
                review_outcome_rank(r->det.ovr[i].outcome) > review_outcome_rank(r->effective))
                r->effective = r->det.ovr[i].outcome;
        r->outcome = outcome_from_name(r->effective);
        r->ruleset = ruleset_from_name(dec->ruleset);
        r->decision = json_loads(dec->decision_json, 0, NULL);
        r->need_consent = has_condition(r->decision, "7283.1(a)");
    }
    r->intent = NOTICE_INTENT_UNSET;
    if (r->cs.nintents > 0)
        r->intent = notice_intent_from_name(r->cs.intents[r->cs.nintents - 1].intent);
    if (r->intent < 0)
        r->intent = NOTICE_INTENT_UNSET;
    /* A stated "yes" cannot survive an override to prohibited: the agency will not comply. */
    if (r->intent == NOTICE_INTENT_YES && r->outcome == HC_OUT_PROHIBITED)
        r->intent = NOTICE_INTENT_NO;
    if (r->cs.ndisclosures > 0)
        r->disclosure = &r->cs.disclosures[r->cs.ndisclosures - 1];
    cx_times(r);
    if (r->type < 0 || r->outcome < 0 || r->ruleset < 0)
        return HC_OK; /* undecided: nothing is owed yet */
    memset(&sit, 0, sizeof sit);
    sit.type = r->type;
    sit.outcome = r->outcome;
    sit.ruleset = r->ruleset;
    sit.intent = r->intent;
    sit.release_date_provided = r->disclosure != NULL;
    return notice_owed(&sit, r->owed, &r->nowed, d);
}

static void cx_free(struct cx_req *r)
{
    json_decref(r->decision);
    r->decision = NULL;
}

/* Whether recorded notice n fulfils owed notice o: same kind, a recipient of o's slot, for a
 * copy the intent o states, for a release the newest release date given to ICE. */
static int fulfils(const struct cx_req *r, const struct notice_owed *o,
                   const struct store_notice *n)
{
    if (notice_kind_from_name(n->kind) != o->kind)
        return 0;
    if (o->to == NOTICE_OWED_PERSON ? strcmp(n->recipient, "person") != 0
                                    : strcmp(n->recipient, "person") == 0)
        return 0;
    if (o->kind == NOTICE_COPY)
        return n->intent != NULL && strcmp(n->intent, notice_intent_name(o->intent)) == 0;
    if (o->kind == NOTICE_RELEASE)
        return r->disclosure != NULL && n->release_date != NULL &&
               strcmp(n->release_date, r->disclosure->release_date) == 0;
    return 1;
}

/* The earliest service of a recorded notice fulfilling o (NOTICE_TIME_NONE: none), and that
 * notice into *by (or NULL). */
static int64_t served_at(const struct cx_req *r, const struct notice_owed *o,
                         const struct store_notice **by)
{
    int64_t best = NOTICE_TIME_NONE, t;
    size_t i;
    *by = NULL;
    for (i = 0; i < r->cs.nnotices; i++) {
        const struct store_notice *n = &r->cs.notices[i];
        if (n->served_at == NULL || !fulfils(r, o, n) || console_time(n->served_at, &t) != HC_OK)
            continue;
        if (best == NOTICE_TIME_NONE || t < best) {
            best = t;
            *by = n;
        }
    }
    return best;
}

/* Counts of r's owed notices by state at now. */
struct cx_counts {
    int owed, served, overdue, pending;
};

static json_t *owed_json(const struct cx_req *r, int64_t now, struct cx_counts *k)
{
    struct notice_clock clock;
    json_t *arr = json_array();
    size_t i;
    notice_clock_defaults(&clock);
    memset(k, 0, sizeof *k);
    for (i = 0; i < r->nowed; i++) {
        const struct notice_owed *o = &r->owed[i];
        const struct store_notice *by;
        int64_t at = served_at(r, o, &by), due = NOTICE_TIME_NONE;
        int st = notice_state(o, &clock, &r->times, at, now);
        json_t *e = json_object(), *flags = json_array();
        if (notice_deadline(o, &clock, &r->times, &due) != HC_OK)
            due = NOTICE_TIME_NONE;
        json_object_set_new(e, "kind", json_string(notice_kind_name(o->kind)));
        json_object_set_new(e, "to", json_string(notice_owed_to_name(o->to)));
        json_object_set_new(e, "subdivision", json_string(o->subdivision));
        json_object_set_new(e, "cite", json_string(o->cite));
        json_object_set_new(e, "words", json_string(o->due.words));
        json_object_set_new(e, "intent", json_string(notice_intent_name(o->intent)));
        if (o->flags & NOTICE_F_INTENT_PENDING)
            json_array_append_new(flags, json_string("intent_pending"));
        if (o->flags & NOTICE_F_IF_INTERVIEW_PROCEEDS)
            json_array_append_new(flags, json_string("if_interview_proceeds"));
        json_object_set_new(e, "flags", flags);
        json_object_set_new(e, "release_date",
                            o->kind == NOTICE_RELEASE && r->disclosure
                                ? json_string(r->disclosure->release_date) : json_null());
        json_object_set_new(e, "deadline", jtime(due));
        json_object_set_new(e, "state", json_string(st >= 0 ? notice_state_name(st) : "pending"));
        json_object_set_new(e, "served_at", by ? json_string(by->served_at) : json_null());
        json_object_set_new(e, "served_notice_id", by ? json_integer(by->id) : json_null());
        json_array_append_new(arr, e);
        k->owed++;
        if (st == NOTICE_ST_SERVED || st == NOTICE_ST_SERVED_LATE)
            k->served++;
        else if (st == NOTICE_ST_OVERDUE)
            k->overdue++;
        else
            k->pending++;
    }
    return arr;
}

static json_t *notice_json(const struct store_notice *n)
{
    json_t *o = json_object();
    char link[64];
    json_object_set_new(o, "id", json_integer(n->id));
    json_object_set_new(o, "request_id", json_integer(n->request_id));
    json_object_set_new(o, "kind", http__jstr(n->kind));
    json_object_set_new(o, "recipient", http__jstr(n->recipient));
    json_object_set_new(o, "recipient_name", http__jstr(n->recipient_name));
    json_object_set_new(o, "language", http__jstr(n->language));
    json_object_set_new(o, "subdivision", http__jstr(n->subdivision));
    json_object_set_new(o, "intent", http__jstr(n->intent));
    json_object_set_new(o, "release_date", http__jstr(n->release_date));
    json_object_set_new(o, "generated_at", http__jstr(n->generated_at));
    json_object_set_new(o, "generated_by", http__jstr(n->generated_by));
    json_object_set_new(o, "served_at", http__jstr(n->served_at));
    json_object_set_new(o, "served_by", http__jstr(n->served_by));
    json_object_set_new(o, "served_to", http__jstr(n->served_to));
    json_object_set_new(o, "method", http__jstr(n->method));
    snprintf(link, sizeof link, "/api/v1/notices/%lld/html", (long long)n->id);
    json_object_set_new(o, "html", json_string(link));
    snprintf(link, sizeof link, "/api/v1/notices/%lld/pdf", (long long)n->id);
    json_object_set_new(o, "pdf", json_string(link));
    return o;
}

/* Whether the interview may be marked granted now, and if not, why (d). */
static int may_grant(const struct cx_req *r, char *why, size_t n)
{
    size_t i;
    int served = 0;
    const struct store_consent *last = r->cs.nconsents ? &r->cs.consents[r->cs.nconsents - 1]
                                                        : NULL;
    why[0] = '\0';
    if (r->type != HC_REQ_INTERVIEW) {
        snprintf(why, n, "not an interview request");
        return 0;
    }
    if (r->outcome != HC_OUT_PERMITTED && r->outcome != HC_OUT_PERMITTED_COND) {
        snprintf(why, n, "the decision to act on is %s: the interview may not take place",
                 r->effective ? r->effective : "missing");
        return 0;
    }
    if (!r->need_consent)
        return 1;
    for (i = 0; i < r->cs.nnotices; i++)
        served |= strcmp(r->cs.notices[i].kind, "consent") == 0 &&
                  r->cs.notices[i].served_at != NULL;
    if (!served)
        snprintf(why, n, "serve the written consent form first (Gov. Code § 7283.1(a))");
    else if (last == NULL)
        snprintf(why, n, "record the person's answer first (Gov. Code § 7283.1(a))");
    else if (strcmp(last->answer, "decline") == 0)
        snprintf(why, n, "the person declined the interview");
    else if (strcmp(last->answer, "attorney_only") == 0 && last->attorney == NULL)
        snprintf(why, n, "the person agreed only with an attorney present: record the attorney");
    return why[0] == '\0';
}

/* ------------------------------------------------------------------------------------------ */
/* GET /api/v1/console/queue                                                                  */

static void h_queue(struct http_call *c)
{
    struct http_query_param p[] = {{"limit", "", 0}, {"all", "", 0}};
    struct store_queue_item *items = NULL;
    struct hc_diag d;
    int64_t limit = 100, now = (int64_t)time(NULL);
    size_t n = 0, i;
    int all = 0, rc;
    json_t *o, *arr;

    hc_diag_clear(&d);
    hc_arena_reset(&c->w->arena);
    if ((rc = http__parse_query(c->req, p, NKEYS(p), &d)) != HC_OK ||
        (p[0].present && (rc = http__query_int(&p[0], 1, 500, &limit, &d)) != HC_OK))
        goto out;
    if (p[1].present) {
        if (strcmp(p[1].value, "true") != 0 && strcmp(p[1].value, "false") != 0) {
            rc = hc_diag_set(&d, "all", "expected true or false", NULL);
            goto out;
        }
        all = p[1].value[0] == 't';
    }
    if ((rc = truth_queue(c->w->st, !all, (int)limit, &c->w->arena, &items, &n)) != HC_OK)
        goto out;
    o = json_object();
    arr = json_array();
    for (i = 0; i < n; i++) {
        const struct store_queue_item *it = &items[i];
        struct cx_req r;
        struct cx_counts k;
        json_t *e = json_object(), *kn;
        int64_t rel;
        int soon = 0;

        /* The notices of each entry, as the request's page shows them. What cx_load reads is
         * only needed for the counts: give its memory back to the arena after each entry. */
        size_t mark = c->w->arena.used;
        memset(&k, 0, sizeof k);
        rc = cx_load(c, it->req.id, &r, &d);
        if (rc == HC_OK)
            json_decref(owed_json(&r, now, &k));
        cx_free(&r);
        c->w->arena.used = mark;
        if (rc != HC_OK) {
            json_decref(e);
            json_decref(arr);
            json_decref(o);
            goto out;
        }
        json_object_set_new(e, "id", json_integer(it->req.id));
        json_object_set_new(e, "type", http__jstr(it->req.type));
        json_object_set_new(e, "form", http__jstr(it->req.form));
        json_object_set_new(e, "received_at", http__jstr(it->req.received_at));
        json_object_set_new(e, "issuing_office", http__jstr(it->req.issuing_office));
        json_object_set_new(e, "outcome", http__jstr(it->req.outcome));
        json_object_set_new(e, "effective_outcome", http__jstr(it->effective_outcome));
        json_object_set_new(e, "ruleset", http__jstr(it->ruleset));
        json_object_set_new(e, "booking_no", http__jstr(it->booking_no));
        json_object_set_new(e, "booking_status", http__jstr(it->booking_status));
        json_object_set_new(e, "scheduled_release", http__jstr(it->scheduled_release));
        json_object_set_new(e, "person_id", json_integer(it->person_id));
        json_object_set_new(e, "person_name", http__jstr(it->person_name));
        if (it->scheduled_release != NULL && console_time(it->scheduled_release, &rel) == HC_OK &&
            strcmp(it->booking_status, "in_custody") == 0) {
            soon = rel - now <= 48 * 3600;
            json_object_set_new(e, "hours_to_release", json_integer((rel - now) / 3600));
        } else {
            json_object_set_new(e, "hours_to_release", json_null());
        }
        json_object_set_new(e, "release_within_48h", json_boolean(soon));
        kn = json_object();
        json_object_set_new(kn, "owed", json_integer(k.owed));
        json_object_set_new(kn, "served", json_integer(k.served));
        json_object_set_new(kn, "overdue", json_integer(k.overdue));
        json_object_set_new(kn, "pending", json_integer(k.pending));
        json_object_set_new(e, "notices", kn);
        json_array_append_new(arr, e);
    }
    json_object_set_new(o, "now", jtime(now));
    json_object_set_new(o, "requests", arr);
    http__respond_json(c->req, 200, o);
out:
    if (rc != HC_OK)
        http__problem_rc(c->req, rc, &d);
}

/* ------------------------------------------------------------------------------------------ */
/* GET /api/v1/requests/{id}/notices                                                          */

static json_t *state_json(const struct cx_req *r, int64_t now)
{
    struct cx_counts k;
    json_t *o = json_object(), *arr, *cons, *iv;
    char why[160];
    const char *ivs = "none";
    size_t i;

    json_object_set_new(o, "request_id", json_integer(r->det.req.id));
    json_object_set_new(o, "type", http__jstr(r->det.req.type));
    json_object_set_new(o, "booking_no", http__jstr(r->det.booking_no));
    json_object_set_new(o, "person_id", json_integer(r->rec.person.id));
    json_object_set_new(o, "person_name", http__jstr(r->rec.person.name));
    json_object_set_new(o, "effective_outcome", http__jstr(r->effective));
    json_object_set_new(o, "ruleset", r->ruleset >= 0 ? json_string(hc_ruleset_name(r->ruleset))
                                                      : json_null());
    json_object_set_new(o, "truth_act", json_boolean(r->ruleset >= HC_RULES_TRUTH));
    json_object_set_new(o, "intent",
                        json_string(notice_intent_name(r->outcome >= 0
                                                           ? notice_intent_resolve(r->intent,
                                                                                   r->outcome)
                                                           : NOTICE_INTENT_UNDECIDED)));
    json_object_set_new(o, "intent_stated", json_boolean(r->intent != NOTICE_INTENT_UNSET));
    json_object_set_new(o, "now", jtime(now));
    json_object_set_new(o, "owed", owed_json(r, now, &k));
    {
        json_t *kn = json_object();
        json_object_set_new(kn, "owed", json_integer(k.owed));
        json_object_set_new(kn, "served", json_integer(k.served));
        json_object_set_new(kn, "overdue", json_integer(k.overdue));
        json_object_set_new(kn, "pending", json_integer(k.pending));
        json_object_set_new(o, "counts", kn);
    }
    arr = json_array();
    for (i = 0; i < r->cs.nnotices; i++)
        json_array_append_new(arr, notice_json(&r->cs.notices[i]));
    json_object_set_new(o, "notices", arr);

    cons = json_array();
    for (i = 0; i < r->cs.nconsents; i++) {
        const struct store_consent *x = &r->cs.consents[i];
        json_t *e = json_object();
        json_object_set_new(e, "id", json_integer(x->id));
        json_object_set_new(e, "answer", http__jstr(x->answer));
        json_object_set_new(e, "attorney", http__jstr(x->attorney));
        json_object_set_new(e, "recorded_by", http__jstr(x->recorded_by));
        json_object_set_new(e, "recorded_at", http__jstr(x->recorded_at));
        json_array_append_new(cons, e);
    }
    json_object_set_new(o, "consent_required", json_boolean(r->need_consent));
    json_object_set_new(o, "consents", cons);

    iv = json_array();
    for (i = 0; i < r->cs.ninterviews; i++) {
        const struct store_interview *x = &r->cs.interviews[i];
        json_t *e = json_object();
        json_object_set_new(e, "id", json_integer(x->id));
        json_object_set_new(e, "status", http__jstr(x->status));
        json_object_set_new(e, "at", http__jstr(x->at));
        json_object_set_new(e, "consent_id", x->consent_id ? json_integer(x->consent_id)
                                                           : json_null());
        json_object_set_new(e, "recorded_by", http__jstr(x->recorded_by));
        json_object_set_new(e, "recorded_at", http__jstr(x->recorded_at));
        json_array_append_new(iv, e);
        ivs = x->status;
    }
    json_object_set_new(o, "interviews", iv);
    json_object_set_new(o, "interview_status", json_string(ivs));
    json_object_set_new(o, "may_grant_interview", json_boolean(may_grant(r, why, sizeof why)));
    json_object_set_new(o, "grant_blocked_by", why[0] ? json_string(why) : json_null());

    arr = json_array();
    for (i = 0; i < r->cs.ndisclosures; i++) {
        const struct store_disclosure *x = &r->cs.disclosures[i];
        json_t *e = json_object();
        json_object_set_new(e, "id", json_integer(x->id));
        json_object_set_new(e, "release_date", http__jstr(x->release_date));
        json_object_set_new(e, "told_at", http__jstr(x->told_at));
        json_object_set_new(e, "recorded_by", http__jstr(x->recorded_by));
        json_object_set_new(e, "recorded_at", http__jstr(x->recorded_at));
        json_array_append_new(arr, e);
    }
    json_object_set_new(o, "disclosures", arr);
    arr = json_array();
    for (i = 0; i < r->cs.nintents; i++) {
        const struct store_intent *x = &r->cs.intents[i];
        json_t *e = json_object();
        json_object_set_new(e, "id", json_integer(x->id));
        json_object_set_new(e, "intent", http__jstr(x->intent));
        json_object_set_new(e, "recorded_by", http__jstr(x->recorded_by));
        json_object_set_new(e, "recorded_at", http__jstr(x->recorded_at));
        json_array_append_new(arr, e);
    }
    json_object_set_new(o, "intents", arr);
    arr = json_array();
    for (i = 0; i < r->cs.nwarrants; i++) {
        const struct store_warrant *x = &r->cs.warrants[i];
        json_t *e = json_object();
        json_object_set_new(e, "id", json_integer(x->id));
        json_object_set_new(e, "court", http__jstr(x->court));
        json_object_set_new(e, "judge", http__jstr(x->judge));
        json_object_set_new(e, "recorded_by", http__jstr(x->recorded_by));
        json_object_set_new(e, "recorded_at", http__jstr(x->recorded_at));
        json_array_append_new(arr, e);
    }
    json_object_set_new(o, "warrants", arr);
    return o;
}

/* Load the request of the path into *r, or answer and return an error. */
static int path_request(struct http_call *c, struct cx_req *r, struct hc_diag *d)
{
    int64_t id = http__param_id(c);
    int rc;
    if (id == 0)
        return HC_EINVAL; /* answered */
    hc_arena_reset(&c->w->arena);
    rc = cx_load(c, id, r, d);
    if (rc != HC_OK) {
        http__problem_rc(c->req, rc, d);
        cx_free(r);
    }
    return rc;
}

static void h_notices(struct http_call *c)
{
    struct cx_req r;
    struct hc_diag d;
    hc_diag_clear(&d);
    if (path_request(c, &r, &d) != HC_OK)
        return;
    http__respond_json(c->req, 200, state_json(&r, (int64_t)time(NULL)));
    cx_free(&r);
}

/* ------------------------------------------------------------------------------------------ */
/* Rendering a recorded notice                                                                */

/* The facts notice n states, from r. provisions point into r->decision (keep it alive). */
static void facts_of(const struct cx_req *r, const struct store_notice *n, const char **prov,
                     struct notice_facts *f)
{
    json_t *basis = json_object_get(r->decision, "basis"), *v;
    size_t i;
    notice_facts_init(f);
    f->person_name = r->rec.person.name;
    f->booking_no = r->det.booking_no;
    f->request_type = r->type;
    f->form = r->det.req.form;
    f->received_at = r->det.req.received_at;
    f->outcome = r->outcome;
    f->nprovisions = 0;
    json_array_foreach(basis, i, v) {
        if (f->nprovisions >= NOTICE_MAX_PROVISIONS)
            break;
        if (json_is_string(v))
            prov[f->nprovisions++] = json_string_value(v);
    }
    f->provisions = prov;
    f->intent = n->intent ? notice_intent_from_name(n->intent) : NOTICE_INTENT_UNSET;
    if (f->intent < 0)
        f->intent = NOTICE_INTENT_UNSET;
    f->release_date = n->release_date;
    f->served_to = strcmp(n->recipient, "attorney") == 0   ? NOTICE_TO_ATTORNEY
                   : strcmp(n->recipient, "designee") == 0 ? NOTICE_TO_DESIGNEE
                                                           : NOTICE_TO_PERSON;
    f->served_to_name = n->recipient_name;
    f->generated_at = n->generated_at;
}

/* Render notice n as HTML into a malloc'd buffer (*out, *len). HC_EINVAL with d for facts the
 * renderer refuses. */
static int render_html(const struct cx_req *r, const struct store_notice *n, char **out,
                       size_t *len, struct hc_diag *d)
{
    const struct notice_texts *t = console_texts();
    const char *prov[NOTICE_MAX_PROVISIONS];
    struct notice_facts f;
    struct hc_buf b;
    char *mem;
    int rc;
    if (t == NULL)
        return HC_EIO;
    if ((mem = malloc(HTML_MAX)) == NULL)
        return HC_ENOMEM;
    facts_of(r, n, prov, &f);
    hc_buf_init(&b, mem, HTML_MAX);
    rc = notice_render_html(t, notice_kind_from_name(n->kind),
                            notice_lang_from_code(n->language), &f, NOTICE_PAPER_LETTER, &b, d);
    if (rc != HC_OK) {
        free(mem);
        return rc;
    }
    *out = mem;
    *len = b.len;
    return HC_OK;
}

/* The first occurrence of lit in s[0..n), or NULL. */
static const char *find(const char *s, size_t n, const char *lit)
{
    size_t k = strlen(lit), i;
    for (i = 0; i + k <= n; i++)
        if (memcmp(s + i, lit, k) == 0)
            return s + i;
    return NULL;
}

/* The CSP of a notice's HTML: nothing but its own inline <style> (by hash) and fonts from the
 * system. */
static void notice_csp(const char *html, size_t len, char *out, size_t n)
{
    const char *s = find(html, len, "<style>"), *e;
    unsigned char h[crypto_hash_sha256_BYTES];
    char b64[sodium_base64_ENCODED_LEN(crypto_hash_sha256_BYTES, sodium_base64_VARIANT_ORIGINAL)];
    if (s == NULL || (e = find(s, len - (size_t)(s - html), "</style>")) == NULL) {
        snprintf(out, n, "default-src 'none'; frame-ancestors 'none'");
        return;
    }
    s += 7;
    crypto_hash_sha256(h, (const unsigned char *)s, (unsigned long long)(e - s));
    sodium_bin2base64(b64, sizeof b64, h, sizeof h, sodium_base64_VARIANT_ORIGINAL);
    snprintf(out, n, "default-src 'none'; style-src 'sha256-%s'; frame-ancestors 'none'; "
             "base-uri 'none'; form-action 'none'", b64);
}

/* Load the notice of the path and its request. */
static int path_notice(struct http_call *c, struct store_notice *n, struct cx_req *r,
                       struct hc_diag *d)
{
    int64_t id = http__param_id(c);
    int rc;
    if (id == 0)
        return HC_EINVAL;
    hc_arena_reset(&c->w->arena);
    memset(r, 0, sizeof *r);
    rc = store_notice_get(c->w->st, id, &c->w->arena, n);
    if (rc == HC_ENOENT)
        hc_diag_set(d, "id", "no such notice", NULL);
    if (rc == HC_OK)
        rc = cx_load(c, n->request_id, r, d);
    if (rc != HC_OK) {
        http__problem_rc(c->req, rc, d);
        cx_free(r);
    }
    return rc;
}

static void h_notice_html(struct http_call *c)
{
    struct store_notice n;
    struct cx_req r;
    struct hc_diag d;
    char *html = NULL, csp[200];
    size_t len = 0;
    int rc;

    hc_diag_clear(&d);
    if (path_notice(c, &n, &r, &d) != HC_OK)
        return;
    rc = render_html(&r, &n, &html, &len, &d);
    cx_free(&r);
    if (rc != HC_OK) {
        http__problem_rc(c->req, rc, &d);
        return;
    }
    notice_csp(html, len, csp, sizeof csp);
    send_doc(c->req, 200, "text/html; charset=utf-8", csp, "no-store", html, len);
    free(html);
}

static void h_notice_pdf(struct http_call *c)
{
    const struct notice_texts *t = console_texts();
    const char *prov[NOTICE_MAX_PROVISIONS];
    struct store_notice n;
    struct notice_facts f;
    struct cx_req r;
    struct hc_diag d;
    char *pdf = NULL, disp[96];
    size_t len = 0;
    FILE *fp;
    int rc;

    hc_diag_clear(&d);
    if (path_notice(c, &n, &r, &d) != HC_OK)
        return;
    if (t == NULL || (fp = open_memstream(&pdf, &len)) == NULL) {
        cx_free(&r);
        http__problem_rc(c->req, HC_EIO, &d);
        return;
    }
    facts_of(&r, &n, prov, &f);
    pthread_mutex_lock(&pdf_lock);
    rc = notice_render_pdf(t, notice_kind_from_name(n.kind), notice_lang_from_code(n.language),
                           &f, NOTICE_PAPER_LETTER, fp, &d);
    pthread_mutex_unlock(&pdf_lock);
    cx_free(&r);
    if (fclose(fp) != 0 && rc == HC_OK)
        rc = HC_EIO;
    if (rc != HC_OK) {
        if (rc == HC_EIO)
            fprintf(stderr, "holdcheck: notice %lld pdf: %s\n", (long long)n.id, d.msg);
        http__problem_rc(c->req, rc, &d);
        free(pdf);
        return;
    }
    snprintf(disp, sizeof disp, "inline; filename=\"notice-%lld-%s-%s.pdf\"", (long long)n.id,
             n.kind, n.language);
    http__add_header_str(c->req, "content-disposition", h2o_strdup(&c->req->pool, disp,
                                                                    SIZE_MAX).base);
    send_doc(c->req, 200, "application/pdf", "default-src 'none'; frame-ancestors 'none'",
             "no-store", pdf, len);
    free(pdf);
}

/* ------------------------------------------------------------------------------------------ */
/* POST /api/v1/requests/{id}/notices: a notice generated                                     */

static const char *const langs[] = {"en", "es", "zh", "tl", "vi", "ko"};

static int one_of(const char *s, const char *const *v, size_t n)
{
    size_t i;
    for (i = 0; i < n; i++)
        if (strcmp(s, v[i]) == 0)
            return 1;
    return 0;
}

/* Why notice kind is not owed now (for a 422). */
static const char *not_owed_why(int kind)
{
    switch (kind) {
    case NOTICE_COPY:
        return "no copy notice is owed for this request: Gov. Code § 7283.1(b) requires one for "
               "an ICE hold, notification or transfer request received on or after 2017-01-01";
    case NOTICE_RELEASE:
        return "no release notice is owed for this request: Gov. Code § 7283.1(b) requires one "
               "once the agency tells immigration authorities a release date; record that first";
    default:
        return "no consent form is owed for this request: Gov. Code § 7283.1(a) requires one "
               "before an interview the agency may allow";
    }
}

static void h_notice_create(struct http_call *c)
{
    static const char *const keys[] = {"kind", "language", "recipient", "recipient_name"};
    struct store_notice n;
    struct cx_req r;
    struct hc_diag d;
    const char *kind, *lang, *to = NULL, *to_name = NULL;
    const struct notice_owed *o = NULL;
    json_t *root = NULL;
    char *html = NULL;
    size_t i, hlen;
    int64_t nid = 0;
    int k, rc;

    hc_diag_clear(&d);
    memset(&r, 0, sizeof r);
    if ((root = http__parse_body(c->req, &d)) == NULL) {
        http__problem_rc(c->req, HC_EINVAL, &d);
        return;
    }
    if ((rc = http__check_keys(root, "", keys, NKEYS(keys), &d)) != HC_OK ||
        (rc = http__get_str(root, "", "kind", 1, 16, HTTP_K_TEXT, &kind, &d)) != HC_OK ||
        (rc = http__get_str(root, "", "language", 1, 8, HTTP_K_TEXT, &lang, &d)) != HC_OK ||
        (rc = http__get_str(root, "", "recipient", 0, 16, HTTP_K_TEXT, &to, &d)) != HC_OK ||
        (rc = http__get_str(root, "", "recipient_name", 0, NAME_MAX_LEN, HTTP_K_TEXT, &to_name,
                            &d)) != HC_OK) {
        http__problem_rc(c->req, rc, &d);
        goto out;
    }
    if ((k = notice_kind_from_name(kind)) < 0) {
        http__problem(c->req, 400, "expected copy, release or consent", "kind");
        goto out;
    }
    if (!one_of(lang, langs, NKEYS(langs))) {
        http__problem(c->req, 400, "expected en, es, zh, tl, vi or ko", "language");
        goto out;
    }
    if (to == NULL)
        to = "person";
    if (strcmp(to, "person") != 0 && strcmp(to, "attorney") != 0 && strcmp(to, "designee") != 0) {
        http__problem(c->req, 400, "expected person, attorney or designee", "recipient");
        goto out;
    }
    if (strcmp(to, "person") != 0 && k != NOTICE_RELEASE) {
        http__problem(c->req, 422, "only a release notice goes to an attorney or designee "
                                   "(Gov. Code § 7283.1(b)); this one is for the person",
                      "recipient");
        goto out;
    }
    if (strcmp(to, "person") != 0 && to_name == NULL) {
        http__problem(c->req, 400, "required: the attorney's or designee's name",
                      "recipient_name");
        goto out;
    }
    if (strcmp(to, "person") == 0 && to_name != NULL) {
        http__problem(c->req, 400, "only for an attorney or designee", "recipient_name");
        goto out;
    }
    if (path_request(c, &r, &d) != HC_OK)
        goto out;
    for (i = 0; i < r.nowed && o == NULL; i++)
        if (r.owed[i].kind == k &&
            (r.owed[i].to == NOTICE_OWED_PERSON) == (strcmp(to, "person") == 0))
            o = &r.owed[i];
    if (o == NULL) {
        http__problem(c->req, 422, not_owed_why(k), "kind");
        goto out;
    }
    memset(&n, 0, sizeof n);
    n.request_id = r.det.req.id;
    n.kind = notice_kind_name(k);
    n.recipient = to;
    n.recipient_name = to_name;
    n.language = lang;
    n.subdivision = o->subdivision;
    n.intent = k == NOTICE_COPY ? notice_intent_name(o->intent) : NULL;
    n.release_date = k == NOTICE_RELEASE && r.disclosure ? r.disclosure->release_date : NULL;
    n.generated_by = c->who.name;
    n.generated_at = "";
    /* Render before recording, so a notice on record always renders. */
    if ((rc = render_html(&r, &n, &html, &hlen, &d)) != HC_OK) {
        if (rc == HC_EINVAL && strcmp(d.field, "served_to_name") == 0)
            hc_diag_set(&d, "recipient_name", d.msg, NULL);
        http__problem_rc(c->req, rc, &d);
        goto out;
    }
    rc = store_notice_add(c->w->st, &n, &nid);
    if (rc == HC_OK)
        rc = store_notice_get(c->w->st, nid, &c->w->arena, &n);
    if (rc != HC_OK) {
        http__problem_rc(c->req, rc, &d);
        goto out;
    }
    {
        char loc[64];
        snprintf(loc, sizeof loc, "/api/v1/notices/%lld/html", (long long)nid);
        http__add_header(c->req, H2O_TOKEN_LOCATION, h2o_strdup(&c->req->pool, loc, SIZE_MAX).base);
    }
    http__respond_json(c->req, 201, notice_json(&n));
out:
    free(html);
    cx_free(&r);
    json_decref(root);
}

/* ------------------------------------------------------------------------------------------ */
/* POST /api/v1/notices/{id}/served                                                           */

static const char *const methods[] = {"in_person", "mail", "email", "fax"};

static void h_notice_served(struct http_call *c)
{
    static const char *const keys[] = {"served_to", "method", "served_at"};
    struct store_notice_service sv;
    struct store_notice n;
    struct store_record rec;
    struct hc_diag d;
    const char *to = NULL, *method = NULL, *when = NULL;
    char when_utc[21];
    int64_t id = http__param_id(c), t;
    json_t *root;
    int rc;

    if (id == 0)
        return;
    hc_diag_clear(&d);
    hc_arena_reset(&c->w->arena);
    if ((root = http__parse_body(c->req, &d)) == NULL) {
        http__problem_rc(c->req, HC_EINVAL, &d);
        return;
    }
    if ((rc = http__check_keys(root, "", keys, NKEYS(keys), &d)) != HC_OK ||
        (rc = http__get_str(root, "", "served_to", 0, NAME_MAX_LEN, HTTP_K_TEXT, &to, &d)) ||
        (rc = http__get_str(root, "", "method", 0, 16, HTTP_K_TEXT, &method, &d)) != HC_OK ||
        (rc = http__get_str(root, "", "served_at", 0, 40, HTTP_K_TIME, &when, &d)) != HC_OK)
        goto out;
    if (method == NULL)
        method = "in_person";
    if (!one_of(method, methods, NKEYS(methods))) {
        rc = hc_diag_set(&d, "method", "expected in_person, mail, email or fax", NULL);
        goto out;
    }
    rc = store_notice_get(c->w->st, id, &c->w->arena, &n);
    if (rc == HC_ENOENT)
        hc_diag_set(&d, "id", "no such notice", NULL);
    if (rc != HC_OK)
        goto out;
    if (when != NULL) {
        int64_t gen = 0;
        if (console_time(when, &t) != HC_OK) {
            rc = hc_diag_set(&d, "served_at", "expected a time", NULL);
            goto out;
        }
        if (t > (int64_t)time(NULL) + 300) {
            rc = hc_diag_set(&d, "served_at", "is in the future", NULL);
            goto out;
        }
        if (console_time(n.generated_at, &gen) == HC_OK && t < gen) {
            rc = hc_diag_set(&d, "served_at", "is before the notice was generated at ",
                             n.generated_at);
            goto out;
        }
        utc_text(t, when_utc);
        when = when_utc;
    }
    if (to == NULL) {
        /* The person's own notice goes to the person; counsel's to the named attorney or
         * designee. */
        if (n.recipient_name != NULL) {
            to = n.recipient_name;
        } else {
            struct store_request_detail det;
            if ((rc = store_request_get(c->w->st, n.request_id, &c->w->arena, &det)) != HC_OK ||
                (rc = store_record_get(c->w->st, det.booking_no, &c->w->arena, &rec)) != HC_OK)
                goto out;
            to = rec.person.name;
        }
    }
    sv.served_at = when;
    sv.served_to = to;
    sv.method = method;
    sv.served_by = c->who.name;
    if ((rc = store_notice_serve(c->w->st, id, &sv, &d)) != HC_OK ||
        (rc = store_notice_get(c->w->st, id, &c->w->arena, &n)) != HC_OK)
        goto out;
    http__respond_json(c->req, 200, notice_json(&n));
out:
    if (rc != HC_OK)
        http__problem_rc(c->req, rc, &d);
    json_decref(root);
}

/* ------------------------------------------------------------------------------------------ */
/* Consent, intent, release dates, interviews                                                 */

/* Parse the body of the path's request into *root and load the request into *r. Answers and
 * returns an error on failure. */
static int body_and_request(struct http_call *c, const char *const *keys, size_t nkeys,
                            json_t **root, struct cx_req *r, struct hc_diag *d)
{
    int rc;
    memset(r, 0, sizeof *r);
    if ((*root = http__parse_body(c->req, d)) == NULL) {
        http__problem_rc(c->req, HC_EINVAL, d);
        return HC_EINVAL;
    }
    if ((rc = http__check_keys(*root, "", keys, nkeys, d)) != HC_OK) {
        http__problem_rc(c->req, rc, d);
        return rc;
    }
    return path_request(c, r, d);
}

static void respond_state(struct http_call *c, int status, int64_t id, struct hc_diag *d)
{
    struct cx_req r;
    int rc;
    char loc[64];
    hc_arena_reset(&c->w->arena);
    rc = cx_load(c, id, &r, d);
    if (rc != HC_OK) {
        http__problem_rc(c->req, rc, d);
    } else {
        snprintf(loc, sizeof loc, "/api/v1/requests/%lld/notices", (long long)id);
        http__add_header(c->req, H2O_TOKEN_LOCATION, h2o_strdup(&c->req->pool, loc, SIZE_MAX).base);
        http__respond_json(c->req, status, state_json(&r, (int64_t)time(NULL)));
    }
    cx_free(&r);
}

static void h_consent(struct http_call *c)
{
    static const char *const keys[] = {"answer", "attorney"};
    static const char *const answers[] = {"consent", "decline", "attorney_only"};
    struct store_consent x;
    struct cx_req r;
    struct hc_diag d;
    const char *answer, *attorney = NULL;
    json_t *root = NULL;
    int64_t xid;
    int rc;

    hc_diag_clear(&d);
    if (body_and_request(c, keys, NKEYS(keys), &root, &r, &d) != HC_OK)
        goto done;
    if ((rc = http__get_str(root, "", "answer", 1, 16, HTTP_K_TEXT, &answer, &d)) != HC_OK ||
        (rc = http__get_str(root, "", "attorney", 0, NAME_MAX_LEN, HTTP_K_TEXT, &attorney, &d)))
        goto out;
    if (!one_of(answer, answers, NKEYS(answers))) {
        rc = hc_diag_set(&d, "answer", "expected consent, decline or attorney_only", NULL);
        goto out;
    }
    if (attorney != NULL && strcmp(answer, "decline") == 0) {
        rc = hc_diag_set(&d, "attorney", "not with decline", NULL);
        goto out;
    }
    if (r.type != HC_REQ_INTERVIEW) {
        rc = HC_ERANGE;
        hc_diag_set(&d, "id", "consent is recorded only for an interview request "
                    "(Gov. Code § 7283.1(a))", NULL);
        goto out;
    }
    memset(&x, 0, sizeof x);
    x.request_id = r.det.req.id;
    x.answer = answer;
    x.attorney = attorney;
    x.recorded_by = c->who.name;
    rc = store_consent_add(c->w->st, &x, &xid);
out:
    if (rc != HC_OK)
        http__problem_rc(c->req, rc, &d);
    else
        respond_state(c, 201, r.det.req.id, &d);
done:
    cx_free(&r);
    json_decref(root);
}

static void h_intent(struct http_call *c)
{
    static const char *const keys[] = {"intent"};
    struct store_intent x;
    struct cx_req r;
    struct hc_diag d;
    const char *intent;
    json_t *root = NULL;
    int64_t xid;
    int rc, v;

    hc_diag_clear(&d);
    if (body_and_request(c, keys, NKEYS(keys), &root, &r, &d) != HC_OK)
        goto done;
    if ((rc = http__get_str(root, "", "intent", 1, 16, HTTP_K_TEXT, &intent, &d)) != HC_OK)
        goto out;
    v = notice_intent_from_name(intent);
    if (v <= NOTICE_INTENT_UNSET) {
        rc = hc_diag_set(&d, "intent", "expected undecided, yes or no", NULL);
        goto out;
    }
    if (v == NOTICE_INTENT_YES && r.outcome != HC_OUT_PERMITTED &&
        r.outcome != HC_OUT_PERMITTED_COND) {
        rc = HC_ERANGE;
        hc_diag_set(&d, "intent", "the agency cannot intend to comply: the decision to act on is ",
                    r.effective ? r.effective : "missing");
        goto out;
    }
    memset(&x, 0, sizeof x);
    x.request_id = r.det.req.id;
    x.intent = intent;
    x.recorded_by = c->who.name;
    rc = store_intent_add(c->w->st, &x, &xid);
out:
    if (rc != HC_OK)
        http__problem_rc(c->req, rc, &d);
    else
        respond_state(c, 200, r.det.req.id, &d);
done:
    cx_free(&r);
    json_decref(root);
}

static void h_disclosure(struct http_call *c)
{
    static const char *const keys[] = {"release_date", "told_at"};
    struct store_disclosure x;
    struct cx_req r;
    struct hc_diag d;
    const char *date, *told = NULL;
    char now[32];
    json_t *root = NULL;
    int64_t xid, t;
    int rc;

    hc_diag_clear(&d);
    if (body_and_request(c, keys, NKEYS(keys), &root, &r, &d) != HC_OK)
        goto done;
    if ((rc = http__get_str(root, "", "release_date", 1, 40, HTTP_K_TIME, &date, &d)) != HC_OK ||
        (rc = http__get_str(root, "", "told_at", 0, 40, HTTP_K_TIME, &told, &d)) != HC_OK)
        goto out;
    if (told == NULL) {
        intake_now(now);
        told = now;
    } else if (console_time(told, &t) != HC_OK || t > (int64_t)time(NULL) + 300) {
        rc = hc_diag_set(&d, "told_at", "is in the future", NULL);
        goto out;
    }
    memset(&x, 0, sizeof x);
    x.request_id = r.det.req.id;
    x.release_date = date;
    x.told_at = told;
    x.recorded_by = c->who.name;
    rc = store_disclosure_add(c->w->st, &x, &xid);
out:
    if (rc != HC_OK)
        http__problem_rc(c->req, rc, &d);
    else
        respond_state(c, 201, r.det.req.id, &d);
done:
    cx_free(&r);
    json_decref(root);
}

static void h_interview(struct http_call *c)
{
    static const char *const keys[] = {"status", "at"};
    static const char *const statuses[] = {"scheduled", "granted", "refused"};
    struct store_interview x;
    struct cx_req r;
    struct hc_diag d;
    const char *status, *at = NULL;
    char why[160];
    json_t *root = NULL;
    int64_t xid;
    int rc;

    hc_diag_clear(&d);
    if (body_and_request(c, keys, NKEYS(keys), &root, &r, &d) != HC_OK)
        goto done;
    if ((rc = http__get_str(root, "", "status", 1, 16, HTTP_K_TEXT, &status, &d)) != HC_OK ||
        (rc = http__get_str(root, "", "at", 0, 40, HTTP_K_TIME, &at, &d)) != HC_OK)
        goto out;
    if (!one_of(status, statuses, NKEYS(statuses))) {
        rc = hc_diag_set(&d, "status", "expected scheduled, granted or refused", NULL);
        goto out;
    }
    if ((strcmp(status, "scheduled") == 0) != (at != NULL)) {
        rc = hc_diag_set(&d, "at", at ? "only for a scheduled interview"
                                      : "required: when the interview is to start", NULL);
        goto out;
    }
    if (r.type != HC_REQ_INTERVIEW) {
        rc = HC_ERANGE;
        hc_diag_set(&d, "id", "not an interview request", NULL);
        goto out;
    }
    /* The decision and its conditions decide; the store checks the consent again inside the
     * write's transaction. */
    if (strcmp(status, "granted") == 0 && r.outcome != HC_OUT_PERMITTED &&
        r.outcome != HC_OUT_PERMITTED_COND) {
        may_grant(&r, why, sizeof why);
        rc = HC_ERANGE;
        hc_diag_set(&d, "status", "the interview cannot be granted: ", why);
        goto out;
    }
    memset(&x, 0, sizeof x);
    x.request_id = r.det.req.id;
    x.status = status;
    x.at = at;
    x.recorded_by = c->who.name;
    rc = truth_interview_record(c->w->st, &x, r.need_consent, &c->w->arena, &xid, &d);
out:
    if (rc != HC_OK)
        http__problem_rc(c->req, rc, &d);
    else
        respond_state(c, 201, r.det.req.id, &d);
done:
    cx_free(&r);
    json_decref(root);
}

/* POST /api/v1/requests/{id}/warrant: the court and judge of the judicial warrant recorded at
 * intake, which is what makes it judicial (a federal judge or magistrate judge, Gov. Code
 * 7284.4(i); an ICE officer's I-200 or I-205 is not). */
static void h_warrant(struct http_call *c)
{
    static const char *const keys[] = {"court", "judge"};
    struct store_warrant x;
    struct cx_req r;
    struct hc_diag d;
    const char *court, *judge;
    json_t *root = NULL;
    int64_t xid;
    int rc;

    hc_diag_clear(&d);
    if (body_and_request(c, keys, NKEYS(keys), &root, &r, &d) != HC_OK)
        goto done;
    if ((rc = http__get_str(root, "", "court", 1, NAME_MAX_LEN, HTTP_K_TEXT, &court, &d)) ||
        (rc = http__get_str(root, "", "judge", 1, NAME_MAX_LEN, HTTP_K_TEXT, &judge, &d)))
        goto out;
    if (!r.det.req.judicial_warrant) {
        rc = HC_ERANGE;
        hc_diag_set(&d, "id", "the request was recorded without a judicial warrant", NULL);
        goto out;
    }
    memset(&x, 0, sizeof x);
    x.request_id = r.det.req.id;
    x.court = court;
    x.judge = judge;
    x.recorded_by = c->who.name;
    rc = store_warrant_add(c->w->st, &x, &xid);
out:
    if (rc != HC_OK)
        http__problem_rc(c->req, rc, &d);
    else
        respond_state(c, 201, r.det.req.id, &d);
done:
    cx_free(&r);
    json_decref(root);
}

/* ------------------------------------------------------------------------------------------ */
/* The audit trail of a request; a person's record                                            */

static void h_request_audit(struct http_call *c)
{
    struct store_request_detail det;
    struct store_audit_entry *e = NULL;
    struct hc_diag d;
    int64_t id = http__param_id(c);
    size_t n = 0;
    json_t *o, *arr;
    int rc;

    if (id == 0)
        return;
    hc_diag_clear(&d);
    hc_arena_reset(&c->w->arena);
    rc = store_request_get(c->w->st, id, &c->w->arena, &det);
    if (rc == HC_ENOENT)
        hc_diag_set(&d, "id", "no such request", NULL);
    if (rc == HC_OK)
        rc = store_request_audit(c->w->st, id, &c->w->arena, &e, &n);
    if (rc != HC_OK) {
        http__problem_rc(c->req, rc, &d);
        return;
    }
    o = json_object();
    arr = http__audit_entries_json(e, n);
    json_object_set_new(o, "request_id", json_integer(id));
    json_object_set_new(o, "entries", arr);
    http__respond_json(c->req, 200, o);
}

static json_t *booking_json(const struct store_record *r)
{
    json_t *o = json_object(), *arr = json_array();
    size_t i;
    json_object_set_new(o, "booking_no", http__jstr(r->booking.booking_no));
    json_object_set_new(o, "booked_at", http__jstr(r->booking.booked_at));
    json_object_set_new(o, "facility", http__jstr(r->booking.facility));
    json_object_set_new(o, "status", http__jstr(r->booking.status));
    json_object_set_new(o, "scheduled_release", http__jstr(r->booking.scheduled_release));
    json_object_set_new(o, "released_at", http__jstr(r->booking.released_at));
    json_object_set_new(o, "release_reason", http__jstr(r->booking.release_reason));
    for (i = 0; i < r->ncharges; i++) {
        json_t *e = json_object();
        json_object_set_new(e, "id", json_integer(r->charges[i].id));
        json_object_set_new(e, "citation", http__jstr(r->charges[i].citation));
        json_object_set_new(e, "level", http__jstr(r->charges[i].level));
        json_object_set_new(e, "status", http__jstr(r->charges[i].status));
        json_object_set_new(e, "magistrate_probable_cause",
                            json_boolean(r->charges[i].magistrate_probable_cause));
        json_array_append_new(arr, e);
    }
    json_object_set_new(o, "charges", arr);
    arr = json_array();
    for (i = 0; i < r->nreq; i++) {
        json_t *e = json_object();
        json_object_set_new(e, "id", json_integer(r->req[i].id));
        json_object_set_new(e, "type", http__jstr(r->req[i].type));
        json_object_set_new(e, "received_at", http__jstr(r->req[i].received_at));
        json_object_set_new(e, "outcome", http__jstr(r->req[i].outcome));
        json_array_append_new(arr, e);
    }
    json_object_set_new(o, "requests", arr);
    return o;
}

static void h_person(struct http_call *c)
{
    const char **nos = NULL;
    struct store_record r;
    struct hc_diag d;
    int64_t id = http__param_id(c);
    size_t n = 0, i;
    json_t *o, *p, *arr;
    int rc;

    if (id == 0)
        return;
    hc_diag_clear(&d);
    hc_arena_reset(&c->w->arena);
    rc = store_person_bookings(c->w->st, id, &c->w->arena, &nos, &n);
    if (rc == HC_ENOENT)
        hc_diag_set(&d, "id", "no such person", NULL);
    if (rc != HC_OK) {
        http__problem_rc(c->req, rc, &d);
        return;
    }
    o = json_object();
    p = NULL;
    arr = json_array();
    for (i = 0; i < n; i++) {
        if ((rc = store_record_get(c->w->st, nos[i], &c->w->arena, &r)) != HC_OK) {
            json_decref(o);
            json_decref(arr);
            json_decref(p);
            http__problem_rc(c->req, rc, &d);
            return;
        }
        if (p == NULL) {
            json_t *cv = json_array();
            size_t k;
            p = json_object();
            json_object_set_new(p, "id", json_integer(r.person.id));
            json_object_set_new(p, "name", http__jstr(r.person.name));
            json_object_set_new(p, "date_of_birth", http__jstr(r.person.date_of_birth));
            json_object_set_new(p, "local_id", http__jstr(r.person.local_id));
            json_object_set_new(p, "registrant_290", json_boolean(r.person.registrant_290));
            for (k = 0; k < r.nconv; k++) {
                const struct store_conviction *x = &r.conv[k];
                json_t *e = json_object();
                json_object_set_new(e, "id", json_integer(x->id));
                json_object_set_new(e, "citation", http__jstr(x->citation));
                json_object_set_new(e, "level", http__jstr(x->level));
                json_object_set_new(e, "date", http__jstr(x->date));
                json_object_set_new(e, "court", http__jstr(x->court));
                json_object_set_new(e, "prop47_reduced", x->prop47_reduced < 0
                                                             ? json_null()
                                                             : json_boolean(x->prop47_reduced));
                json_object_set_new(e, "federal_aggravated_felony",
                                    http__jstr(x->federal_aggravated_felony));
                json_object_set_new(e, "jurisdiction", http__jstr(x->jurisdiction));
                json_array_append_new(cv, e);
            }
            json_object_set_new(p, "convictions", cv);
        }
        json_array_append_new(arr, booking_json(&r));
    }
    if (p == NULL) {
        p = json_object();
        json_object_set_new(p, "id", json_integer(id));
    }
    json_object_set_new(o, "person", p);
    json_object_set_new(o, "bookings", arr);
    http__respond_json(c->req, 200, o);
}

/* ------------------------------------------------------------------------------------------ */
/* The pages                                                                                  */

static void h_console_redirect(struct http_call *c)
{
    static const char body[] = "see /console/\n";
    http__add_header(c->req, H2O_TOKEN_LOCATION, "/console/");
    send_doc(c->req, 301, "text/plain; charset=utf-8", page_csp, "no-cache", body,
             sizeof body - 1);
}

static void h_console_file(struct http_call *c)
{
    const char *name = c->param[0] ? c->param : "index.html";
    size_t i, n = c->param[0] ? c->param_len : strlen(name);
    if (n >= sizeof c->param) {
        http__problem(c->req, 404, "no such route", NULL);
        return;
    }
    for (i = 0; i < http_console_files_n; i++) {
        const struct hc_memfile *f = &http_console_files[i];
        if (strlen(f->path) == n && memcmp(f->path, name, n) == 0) {
            send_doc(c->req, 200, f->ctype, page_csp, "no-cache", (const char *)f->data,
                     f->len);
            return;
        }
    }
    http__problem(c->req, 404, "no such route", NULL);
}

/* ------------------------------------------------------------------------------------------ */
/* This file's routes (router.c lists this table before the public portal's, whose page
 * patterns would otherwise take /console/...)                                                 */

const struct http_route http_console_routes[] = {
    {"GET", "/api/v1/console/queue", HTTP_READERS, HTTP_BODY_NONE, h_queue},
    {"GET", "/api/v1/requests/{id}/notices", HTTP_READERS, HTTP_BODY_NONE, h_notices},
    {"POST", "/api/v1/requests/{id}/notices", HTTP_WRITERS, HTTP_BODY_JSON, h_notice_create},
    {"GET", "/api/v1/notices/{id}/html", HTTP_READERS, HTTP_BODY_NONE, h_notice_html},
    {"GET", "/api/v1/notices/{id}/pdf", HTTP_READERS, HTTP_BODY_NONE, h_notice_pdf},
    {"POST", "/api/v1/notices/{id}/served", HTTP_WRITERS, HTTP_BODY_JSON, h_notice_served},
    {"POST", "/api/v1/requests/{id}/consent", HTTP_WRITERS, HTTP_BODY_JSON, h_consent},
    {"PUT", "/api/v1/requests/{id}/intent", AUTH_SUPERVISOR | AUTH_ADMIN, HTTP_BODY_JSON,
     h_intent},
    {"POST", "/api/v1/requests/{id}/disclosures", HTTP_WRITERS, HTTP_BODY_JSON, h_disclosure},
    {"POST", "/api/v1/requests/{id}/interview", HTTP_WRITERS, HTTP_BODY_JSON, h_interview},
    {"POST", "/api/v1/requests/{id}/warrant", HTTP_WRITERS, HTTP_BODY_JSON, h_warrant},
    {"GET", "/api/v1/requests/{id}/audit", HTTP_READERS, HTTP_BODY_NONE, h_request_audit},
    {"GET", "/api/v1/people/{id}", HTTP_READERS, HTTP_BODY_NONE, h_person},
    {"GET", "/console", HTTP_ANYONE, HTTP_BODY_NONE, h_console_redirect},
    {"GET", "/console/", HTTP_ANYONE, HTTP_BODY_NONE, h_console_file},
    {"GET", "/console/{file}", HTTP_ANYONE, HTTP_BODY_NONE, h_console_file},
};
const size_t http_console_nroutes = sizeof http_console_routes / sizeof http_console_routes[0];
