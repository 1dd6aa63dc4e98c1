/* SPDX-License-Identifier: MIT
 * routes_console.c: the staff console (docs/console.md): the queue of open requests, a
 * request's state (the notices owed and recorded), what staff record about it (the person's
 * consent, the agency's intent, the release date given to immigration authorities, the
 * interview, a judicial warrant), its audit trail, a person's record, and the console's pages
 * (web/console, embedded at build time). The rules are src/app/notices.c's. */
#include <h2o.h>
#include <jansson.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "agency_conf.h"
#include "case.h"
#include "clock.h"
#include "console.h"
#include "date.h"
#include "engine.h"
#include "http_int.h"
#include "routes.h"
#include "intake.h"
#include "notices.h"
#include "staff_search.h"
#include "public.h"
#include "render.h"
#include "review.h"
#include "truth.h"

#define NAME_MAX_LEN 200

/* The pages of web/console, embedded by tools/embed.sh (struct hc_memfile: memfile.h). */
extern const struct hc_memfile http_console_files[];
extern const size_t http_console_files_n;

static const char page_csp[] =
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; "
    "connect-src 'self'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

static json_t *jtime(int64_t t)
{
    char buf[HC_CLOCK_UTC_LEN];
    if (t == NOTICE_TIME_NONE)
        return json_null();
    hc_clock_utc(t, buf);
    return json_string(buf);
}

/* Answer with a page or a notice: body with ctype, our own CSP and the other security headers.
 * The API's answers go through http__respond instead (its CSP forbids everything). */
void http__send_doc(h2o_req_t *req, int status, const char *ctype, const char *csp,
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

int http__one_of(const char *s, const char *const *v, size_t n)
{
    size_t i;
    for (i = 0; i < n; i++)
        if (strcmp(s, v[i]) == 0)
            return 1;
    return 0;
}

/* Counts of r's owed notices by state at now. */
struct cx_counts {
    int owed, served, overdue, pending;
};

static json_t *owed_json(const struct notices_request *r, int64_t now, struct cx_counts *k)
{
    const struct notice_clock clock = r->clock;
    json_t *arr = json_array();
    size_t i;
    memset(k, 0, sizeof *k);
    for (i = 0; i < r->nowed; i++) {
        const struct notice_owed *o = &r->owed[i];
        const struct store_notice *by;
        int64_t at = notices_served_at(r, o, &by), due = NOTICE_TIME_NONE;
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

json_t *http__notice_json(const struct store_notice *n)
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

int h_queue(struct http_call *c)
{
    struct http_query_param p[] = {{"limit", "", 0}, {"all", "", 0}};
    struct store_queue_item *items = NULL;
    struct hc_diag d;
    int64_t limit = 100, now = hc_clock_now();
    size_t n = 0, i;
    int all = 0, rc;
    json_t *o, *arr;

    hc_diag_clear(&d);
    hc_arena_reset(&c->w->arena);
    if ((rc = http__parse_query(c->req, p, HTTP_NKEYS(p), &d)) != HC_OK ||
        (p[0].present && (rc = http__query_int(&p[0], 1, 500, &limit, &d)) != HC_OK) ||
        (rc = http__query_bool(&p[1], &all, &d)) != HC_OK)
        goto out;
    if ((rc = truth_queue(c->w->st, !all, (int)limit, &c->w->arena, &items, &n)) != HC_OK)
        goto out;
    o = json_object();
    arr = json_array();
    for (i = 0; i < n; i++) {
        const struct store_queue_item *it = &items[i];
        struct notices_request r;
        struct cx_counts k;
        json_t *e = json_object(), *kn;
        int64_t rel;
        int soon = 0;

        /* The notices of each entry, as the request's page shows them. What cx_load reads is
         * only needed for the counts: give its memory back to the arena after each entry. */
        size_t mark = c->w->arena.used;
        memset(&k, 0, sizeof k);
        rc = notices_load(c->w->st, it->req.id, &c->w->arena, &r, &d);
        r.clock = c->w->agency->clock;
        if (rc == HC_OK)
            json_decref(owed_json(&r, now, &k));
        notices_release(&r);
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
        http__put_outcomes(e, &it->req);
        json_object_set_new(e, "effective_outcome", http__jstr(it->req.outcome));
        json_object_set_new(e, "ruleset", http__jstr(it->ruleset));
        json_object_set_new(e, "booking_no", http__jstr(it->booking_no));
        json_object_set_new(e, "booking_status", http__jstr(it->booking_status));
        json_object_set_new(e, "scheduled_release", http__jstr(it->scheduled_release));
        json_object_set_new(e, "person_id", json_integer(it->person_id));
        json_object_set_new(e, "person_name", http__jstr(it->person_name));
        if (it->scheduled_release != NULL && notices_time(it->scheduled_release, &rel) == HC_OK &&
            strcmp(it->booking_status, "in_custody") == 0) {
            soon = rel - now <= (int64_t)48 * 3600;
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
    return HC_OK;
}

/* Every record of the console's state is an object with its id first, its own fields, then who
 * recorded it and when: record_open makes it with the id, record_close appends the last two
 * and adds it to arr. */
static json_t *record_open(int64_t id)
{
    json_t *e = json_object();
    json_object_set_new(e, "id", json_integer(id));
    return e;
}

static void record_close(json_t *arr, json_t *e, const char *by, const char *at)
{
    json_object_set_new(e, "recorded_by", http__jstr(by));
    json_object_set_new(e, "recorded_at", http__jstr(at));
    json_array_append_new(arr, e);
}

static json_t *state_json(const struct notices_request *r, int64_t now)
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
        json_array_append_new(arr, http__notice_json(&r->cs.notices[i]));
    json_object_set_new(o, "notices", arr);

    cons = json_array();
    for (i = 0; i < r->cs.nconsents; i++) {
        const struct store_consent *x = &r->cs.consents[i];
        json_t *e = record_open(x->id);
        json_object_set_new(e, "answer", http__jstr(x->answer));
        json_object_set_new(e, "attorney", http__jstr(x->attorney));
        record_close(cons, e, x->recorded_by, x->recorded_at);
    }
    json_object_set_new(o, "consent_required", json_boolean(r->need_consent));
    json_object_set_new(o, "consents", cons);

    iv = json_array();
    for (i = 0; i < r->cs.ninterviews; i++) {
        const struct store_interview *x = &r->cs.interviews[i];
        json_t *e = record_open(x->id);
        json_object_set_new(e, "status", http__jstr(x->status));
        json_object_set_new(e, "at", http__jstr(x->at));
        json_object_set_new(e, "consent_id", x->consent_id ? json_integer(x->consent_id)
                                                           : json_null());
        record_close(iv, e, x->recorded_by, x->recorded_at);
        ivs = x->status;
    }
    json_object_set_new(o, "interviews", iv);
    json_object_set_new(o, "interview_status", json_string(ivs));
    json_object_set_new(o, "may_grant_interview", json_boolean(notices_may_grant(r, why, sizeof why)));
    json_object_set_new(o, "grant_blocked_by", why[0] ? json_string(why) : json_null());

    arr = json_array();
    for (i = 0; i < r->cs.ndisclosures; i++) {
        const struct store_disclosure *x = &r->cs.disclosures[i];
        json_t *e = record_open(x->id);
        json_object_set_new(e, "release_date", http__jstr(x->release_date));
        json_object_set_new(e, "told_at", http__jstr(x->told_at));
        record_close(arr, e, x->recorded_by, x->recorded_at);
    }
    json_object_set_new(o, "disclosures", arr);
    arr = json_array();
    for (i = 0; i < r->cs.nintents; i++) {
        const struct store_intent *x = &r->cs.intents[i];
        json_t *e = record_open(x->id);
        json_object_set_new(e, "intent", http__jstr(x->intent));
        record_close(arr, e, x->recorded_by, x->recorded_at);
    }
    json_object_set_new(o, "intents", arr);
    arr = json_array();
    for (i = 0; i < r->cs.nwarrants; i++) {
        const struct store_warrant *x = &r->cs.warrants[i];
        json_t *e = record_open(x->id);
        json_object_set_new(e, "court", http__jstr(x->court));
        json_object_set_new(e, "judge", http__jstr(x->judge));
        record_close(arr, e, x->recorded_by, x->recorded_at);
    }
    json_object_set_new(o, "warrants", arr);
    return o;
}

int http__path_request(struct http_call *c, struct store_notice *n, struct notices_request *r,
                       struct hc_diag *d)
{
    int64_t id = http__param_id(c);
    int rc;
    if (id == 0)
        return HC_EINVAL; /* answered */
    hc_arena_reset(&c->w->arena);
    rc = n != NULL ? console_notice_load(c->w->st, id, &c->w->arena, n, r, d)
                   : notices_load(c->w->st, id, &c->w->arena, r, d);
    r->clock = c->w->agency->clock;
    if (rc != HC_OK) {
        http__problem_rc(c->req, rc, d);
        notices_release(r);
    }
    return rc;
}

int h_notices(struct http_call *c)
{
    struct notices_request r;
    struct hc_diag d;
    hc_diag_clear(&d);
    if (http__path_request(c, NULL, &r, &d) != HC_OK)
        return HC_OK;
    http__respond_json(c->req, 200, state_json(&r, hc_clock_now()));
    notices_release(&r);
    return HC_OK;
}

/* Parse the body of the path's request into *root and load the request into *r. Answers and
 * returns an error on failure. */
static int body_and_request(struct http_call *c, const char *const *keys, size_t nkeys,
                            json_t **root, struct notices_request *r, struct hc_diag *d)
{
    int rc;
    memset(r, 0, sizeof *r);
    if ((*root = http__body_or_problem(c->req, d)) == NULL)
        return HC_EINVAL;
    if ((rc = http__check_keys(*root, "", keys, nkeys, d)) != HC_OK) {
        http__problem_rc(c->req, rc, d);
        return rc;
    }
    return http__path_request(c, NULL, r, d);
}

static void respond_state(struct http_call *c, int status, int64_t id, struct hc_diag *d)
{
    struct notices_request r;
    int rc;
    char loc[64];
    hc_arena_reset(&c->w->arena);
    rc = notices_load(c->w->st, id, &c->w->arena, &r, d);
    r.clock = c->w->agency->clock;
    if (rc != HC_OK) {
        http__problem_rc(c->req, rc, d);
    } else {
        snprintf(loc, sizeof loc, "/api/v1/requests/%lld/notices", (long long)id);
        http__add_header(c->req, H2O_TOKEN_LOCATION, h2o_strdup(&c->req->pool, loc, SIZE_MAX).base);
        http__respond_json(c->req, status, state_json(&r, hc_clock_now()));
    }
    notices_release(&r);
}

/* What a recording route checks and stores, once body_and_request has parsed the body and
 * loaded the path's request into *r. Returns HC_OK once stored, else an error with d set. */
typedef int (*record_fn)(struct http_call *c, json_t *root, const struct notices_request *r,
                         struct hc_diag *d);

/* The frame of every recording route: parse the body (only keys), load the path's request, let
 * add check and store, then answer with the request's new state and status, or the problem. */
static int record(struct http_call *c, const char *const *keys, size_t nkeys, int status,
                  record_fn add)
{
    struct notices_request r;
    struct hc_diag d;
    json_t *root = NULL;
    int rc;

    hc_diag_clear(&d);
    if (body_and_request(c, keys, nkeys, &root, &r, &d) == HC_OK) {
        rc = add(c, root, &r, &d);
        if (rc != HC_OK)
            http__problem_rc(c->req, rc, &d);
        else
            respond_state(c, status, r.det.req.id, &d);
    }
    notices_release(&r);
    json_decref(root);
    return HC_OK;
}

static int consent_add(struct http_call *c, json_t *root, const struct notices_request *r,
                       struct hc_diag *d)
{
    const char *answer, *attorney = NULL;
    int rc;

    if ((rc = http__get_str(root, "", "answer", 1, 16, HTTP_K_TEXT, &answer, d)) != HC_OK ||
        (rc = http__get_str(root, "", "attorney", 0, NAME_MAX_LEN, HTTP_K_TEXT, &attorney, d)))
        return rc;
    return console_consent_add(c->w->st, r, answer, attorney, c->who.name, d);
}

int h_consent(struct http_call *c)
{
    static const char *const keys[] = {"answer", "attorney"};
    return record(c, keys, HTTP_NKEYS(keys), 201, consent_add);
}

static int intent_add(struct http_call *c, json_t *root, const struct notices_request *r,
                      struct hc_diag *d)
{
    const char *intent;
    int rc;

    if ((rc = http__get_str(root, "", "intent", 1, 16, HTTP_K_TEXT, &intent, d)) != HC_OK)
        return rc;
    return console_intent_add(c->w->st, r, intent, c->who.name, d);
}

/* PUT /api/v1/requests/{id}/intent: who may is the agency's setting intent_by (any writer, or
 * supervisors only), checked before the request is read as the router checks a route's roles. */
int h_intent(struct http_call *c)
{
    static const char *const keys[] = {"intent"};
    if (!console_may_state_intent(c->w->agency, c->who.role)) {
        http__problem(c->req, 403, "the agency's setting intent_by = supervisor: a supervisor "
                      "states the agency's intent", NULL);
        return HC_OK;
    }
    return record(c, keys, HTTP_NKEYS(keys), 200, intent_add);
}

static int disclosure_add(struct http_call *c, json_t *root, const struct notices_request *r,
                          struct hc_diag *d)
{
    const char *date, *told = NULL;
    int rc;

    if ((rc = http__get_str(root, "", "release_date", 1, 40, HTTP_K_TIME, &date, d)) != HC_OK ||
        (rc = http__get_str(root, "", "told_at", 0, 40, HTTP_K_TIME, &told, d)) != HC_OK)
        return rc;
    return console_disclosure_add(c->w->st, r, date, told, c->who.name, d);
}

int h_disclosure(struct http_call *c)
{
    static const char *const keys[] = {"release_date", "told_at"};
    return record(c, keys, HTTP_NKEYS(keys), 201, disclosure_add);
}

static int interview_add(struct http_call *c, json_t *root, const struct notices_request *r,
                         struct hc_diag *d)
{
    static const char *const statuses[] = {"scheduled", "granted", "refused"};
    struct store_interview x;
    const char *status, *at = NULL;
    char why[160];
    int64_t xid;
    int rc;

    if ((rc = http__get_str(root, "", "status", 1, 16, HTTP_K_TEXT, &status, d)) != HC_OK ||
        (rc = http__get_str(root, "", "at", 0, 40, HTTP_K_TIME, &at, d)) != HC_OK)
        return rc;
    if (!http__one_of(status, statuses, HTTP_NKEYS(statuses)))
        return hc_diag_set(d, "status", "expected scheduled, granted or refused", NULL);
    if ((strcmp(status, "scheduled") == 0) != (at != NULL))
        return hc_diag_set(d, "at", at ? "only for a scheduled interview"
                                       : "required: when the interview is to start", NULL);
    if (r->type != HC_REQ_INTERVIEW) {
        hc_diag_set(d, "id", "not an interview request", NULL);
        return HC_ERANGE;
    }
    /* The decision and its conditions decide; the store checks the consent again inside the
     * write's transaction. */
    if (strcmp(status, "granted") == 0 && r->outcome != HC_OUT_PERMITTED &&
        r->outcome != HC_OUT_PERMITTED_COND) {
        notices_may_grant(r, why, sizeof why);
        hc_diag_set(d, "status", "the interview cannot be granted: ", why);
        return HC_ERANGE;
    }
    memset(&x, 0, sizeof x);
    x.request_id = r->det.req.id;
    x.status = status;
    x.at = at;
    x.recorded_by = c->who.name;
    return truth_interview_record(c->w->st, &x, r->need_consent, &c->w->arena, &xid, d);
}

int h_interview(struct http_call *c)
{
    static const char *const keys[] = {"status", "at"};
    return record(c, keys, HTTP_NKEYS(keys), 201, interview_add);
}

/* POST /api/v1/requests/{id}/warrant: the court and judge of the judicial warrant recorded at
 * intake, which is what makes it judicial (a federal judge or magistrate judge, Gov. Code
 * 7284.4(i); an ICE officer's I-200 or I-205 is not). */
static int warrant_add(struct http_call *c, json_t *root, const struct notices_request *r,
                       struct hc_diag *d)
{
    const char *court, *judge;
    int rc;

    if ((rc = http__get_str(root, "", "court", 1, NAME_MAX_LEN, HTTP_K_TEXT, &court, d)) ||
        (rc = http__get_str(root, "", "judge", 1, NAME_MAX_LEN, HTTP_K_TEXT, &judge, d)))
        return rc;
    return console_warrant_add(c->w->st, r, court, judge, c->who.name, d);
}

int h_warrant(struct http_call *c)
{
    static const char *const keys[] = {"court", "judge"};
    return record(c, keys, HTTP_NKEYS(keys), 201, warrant_add);
}

int h_request_audit(struct http_call *c)
{
    struct store_audit_entry *e = NULL;
    struct hc_diag d;
    int64_t id = http__param_id(c);
    size_t n = 0;
    json_t *o, *arr;
    int rc;

    if (id == 0)
        return HC_OK;
    hc_diag_clear(&d);
    hc_arena_reset(&c->w->arena);
    if ((rc = console_request_audit(c->w->st, id, &c->w->arena, &e, &n, &d)) != HC_OK) {
        http__problem_rc(c->req, rc, &d);
        return HC_OK;
    }
    o = json_object();
    arr = http__audit_entries_json(e, n);
    json_object_set_new(o, "request_id", json_integer(id));
    json_object_set_new(o, "entries", arr);
    http__respond_json(c->req, 200, o);
    return HC_OK;
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
        http__put_outcomes(e, &r->req[i]);
        json_array_append_new(arr, e);
    }
    json_object_set_new(o, "requests", arr);
    return o;
}

int h_person(struct http_call *c)
{
    struct store_record *r = NULL;
    struct hc_diag d;
    int64_t id = http__param_id(c);
    size_t n = 0, i;
    json_t *o, *p, *arr;
    int rc;

    if (id == 0)
        return HC_OK;
    hc_diag_clear(&d);
    hc_arena_reset(&c->w->arena);
    if ((rc = console_person(c->w->st, id, &c->w->arena, &r, &n, &d)) != HC_OK) {
        http__problem_rc(c->req, rc, &d);
        return HC_OK;
    }
    o = json_object();
    p = NULL;
    arr = json_array();
    for (i = 0; i < n; i++) {
        if (p == NULL) {
            json_t *cv = json_array();
            size_t k;
            p = json_object();
            json_object_set_new(p, "id", json_integer(r[i].person.id));
            json_object_set_new(p, "name", http__jstr(r[i].person.name));
            json_object_set_new(p, "date_of_birth", http__jstr(r[i].person.date_of_birth));
            json_object_set_new(p, "local_id", http__jstr(r[i].person.local_id));
            json_object_set_new(p, "registrant_290", json_boolean(r[i].person.registrant_290));
            for (k = 0; k < r[i].nconv; k++) {
                const struct store_conviction *x = &r[i].conv[k];
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
        json_array_append_new(arr, booking_json(&r[i]));
    }
    if (p == NULL) {
        p = json_object();
        json_object_set_new(p, "id", json_integer(id));
    }
    json_object_set_new(o, "person", p);
    json_object_set_new(o, "bookings", arr);
    http__respond_json(c->req, 200, o);
    return HC_OK;
}

int h_console_redirect(struct http_call *c)
{
    static const char body[] = "see /console/\n";
    http__add_header(c->req, H2O_TOKEN_LOCATION, "/console/");
    http__send_doc(c->req, 301, "text/plain; charset=utf-8", page_csp, "no-cache", body,
             sizeof body - 1);
    return HC_OK;
}

int h_console_file(struct http_call *c)
{
    const char *name = c->param[0] ? c->param : "index.html";
    size_t i, n = c->param[0] ? c->param_len : strlen(name);
    if (n >= sizeof c->param) {
        http__problem(c->req, 404, "no such route", NULL);
        return HC_OK;
    }
    for (i = 0; i < http_console_files_n; i++) {
        const struct hc_memfile *f = &http_console_files[i];
        if (strlen(f->path) == n && memcmp(f->path, name, n) == 0) {
            http__send_doc(c->req, 200, f->ctype, page_csp, "no-cache", (const char *)f->data,
                     f->len);
            return HC_OK;
        }
    }
    http__problem(c->req, 404, "no such route", NULL);
    return HC_OK;
}

/* GET /api/v1/console/bookings?name=Last, First&booking_no=&dob=&status=&limit=&after=: the
 * console's booking search (staff_search_bookings), every booking whatever the publication
 * policy shows, with next_after when another page follows. */
int h_booking_search(struct http_call *c)
{
    enum { P_NAME, P_NO, P_DOB, P_STATUS, P_LIMIT, P_AFTER, P_N };
    struct http_query_param p[P_N] = {{.name = "name"}, {.name = "booking_no"}, {.name = "dob"},
                                      {.name = "status"}, {.name = "limit"}, {.name = "after"}};
    struct staff_search q;
    struct store_public_row *rows = NULL;
    int64_t limit = 25, after = 0;
    size_t n = 0, i;
    int more = 0, rc;
    json_t *o, *arr;

    hc_arena_reset(&c->w->arena);
    memset(&q, 0, sizeof q);
    if ((rc = http__parse_query(c->req, p, P_N, &c->diag)) != HC_OK ||
        (p[P_LIMIT].present &&
         (rc = http__query_int(&p[P_LIMIT], 1, STAFF_SEARCH_MAX, &limit, &c->diag)) != HC_OK) ||
        (p[P_AFTER].present &&
         (rc = http__query_int(&p[P_AFTER], 1, INT64_MAX, &after, &c->diag)) != HC_OK))
        return rc;
    q.name = p[P_NAME].present && p[P_NAME].value[0] ? p[P_NAME].value : NULL;
    q.booking_no = p[P_NO].present && p[P_NO].value[0] ? p[P_NO].value : NULL;
    q.dob = p[P_DOB].present && p[P_DOB].value[0] ? p[P_DOB].value : NULL;
    q.status = p[P_STATUS].present && p[P_STATUS].value[0] ? p[P_STATUS].value : NULL;
    q.limit = (int)limit;
    q.after_id = after;
    if ((rc = staff_search_bookings(c->w->st, &q, &c->w->arena, &rows, &n, &more, &c->diag)))
        return rc;
    o = json_object();
    arr = json_array();
    for (i = 0; i < n; i++) {
        const struct store_public_row *r = &rows[i];
        json_t *e = json_object();
        json_object_set_new(e, "booking_no", http__jstr(r->booking_no));
        json_object_set_new(e, "name", http__jstr(r->name));
        json_object_set_new(e, "date_of_birth", http__jstr(r->date_of_birth));
        json_object_set_new(e, "booked_at", http__jstr(r->booked_at));
        json_object_set_new(e, "facility", http__jstr(r->facility));
        json_object_set_new(e, "status", http__jstr(r->status));
        json_object_set_new(e, "scheduled_release", http__jstr(r->scheduled_release));
        json_object_set_new(e, "released_at", http__jstr(r->released_at));
        json_array_append_new(arr, e);
    }
    json_object_set_new(o, "bookings", arr);
    json_object_set_new(o, "next_after", more && n > 0 ? json_integer(rows[n - 1].booking_id)
                                                       : json_null());
    http__respond_json(c->req, 200, o);
    return HC_OK;
}

/* GET /api/v1/console/agency: the agency's settings from the server's configuration, for the
 * pages (who may state the intent; what notices print; the deadlines; the duplicate window). */
int h_agency_conf(struct http_call *c)
{
    const struct agency_conf *a = c->w->agency;
    json_t *o = json_object();
    json_object_set_new(o, "agency_name", http__jstr(a->name));
    json_object_set_new(o, "agency_address", http__jstr(a->address));
    json_object_set_new(o, "duplicate_window_hours", json_integer(a->duplicate_window_hours));
    json_object_set_new(o, "intent_by", json_string(agency_intent_by_name(a->intent_by)));
    json_object_set_new(o, "notice_receipt_hours", json_integer(a->clock.receipt_hours));
    json_object_set_new(o, "notice_promptly_hours", json_integer(a->clock.promptly_hours));
    http__respond_json(c->req, 200, o);
    return HC_OK;
}
