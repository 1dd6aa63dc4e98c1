/* SPDX-License-Identifier: MIT
 * routes_requests.c: immigration requests and their decisions: a request taken in and decided
 * (intake_submit), decided again (intake_redecide), overridden (review_override), listed and
 * read; and the stateless POST /api/v1/decide of a case sent whole. */
#include <h2o.h>
#include <inttypes.h>
#include <jansson.h>
#include <sodium.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "actions.h"
#include "case.h"
#include "charge.h"
#include "engine.h"
#include "http_int.h"
#include "routes.h"
#include "ident.h"
#include "intake.h"
#include "records.h"
#include "render.h"
#include "review.h"

#define NAME_MAX_LEN 200
#define TEXT_MAX_LEN 200

static const char *const request_keys[] = {
    "type", "types", "form", "received_at", "issuing_office", "judicial_warrant",
    "judicial_probable_cause", "federal_felony_warrant", "confirm_new",
};

/* Count a decision by its outcome (enum hc_outcome), for /metrics. */
static void count_decision(struct http_worker *w, int outcome)
{
    int r = review_outcome_rank(hc_outcome_name(outcome));
    if (r >= 0)
        atomic_fetch_add_explicit(&w->metrics->decisions[r], 1, memory_order_relaxed);
}

/* The 409 of a request that duplicates request id: a problem naming it, with its id, its API
 * address (also the Location) and its page in the console. */
static void answer_duplicate(struct http_call *c, int64_t id)
{
    char api[64], page[64];
    json_t *p;
    char *text;
    snprintf(api, sizeof api, "/api/v1/requests/%lld", (long long)id);
    snprintf(page, sizeof page, "/console/request.html?id=%lld", (long long)id);
    p = json_pack("{s:s,s:s,s:i,s:s,s:s,s:I,s:s,s:s}", "type", "about:blank", "title", "Conflict",
                  "status", 409, "detail", c->diag.msg, "field", c->diag.field, "existing_id",
                  (json_int_t)id, "existing", api, "existing_console", page);
    text = p ? json_dumps(p, JSON_COMPACT | JSON_PRESERVE_ORDER) : NULL;
    json_decref(p);
    if (text == NULL) {
        http__reply_problem(c, 500, "internal error; see the server log", NULL);
        return;
    }
    http__reply_header(c, "location", api);
    http__reply(c, 409, "application/problem+json", text, strlen(text));
    free(text);
}

/* The request types of the body: "type" (one) or "types" (the requests one form makes, each
 * recorded and decided), not both. Fills types[0..*n). */
static int body_types(json_t *body, const char *types[INTAKE_FORM_MAX], size_t *n,
                      struct hc_diag *d)
{
    json_t *arr = NULL, *v;
    size_t i;
    int rc;
    if ((rc = http__get_array(body, "", "types", INTAKE_FORM_MAX, &arr, d)) != HC_OK)
        return rc;
    if (arr == NULL) {
        *n = 1;
        return http__get_str(body, "", "type", 1, 40, HTTP_K_TEXT, &types[0], d);
    }
    if (json_object_get(body, "type") != NULL)
        return hc_diag_set(d, "types", "give type or types, not both", NULL);
    if (json_array_size(arr) == 0)
        return hc_diag_set(d, "types", "empty: name the requests the form makes", NULL);
    json_array_foreach(arr, i, v) {
        if (!json_is_string(v) || json_string_length(v) == 0 || json_string_length(v) > 40)
            return hc_diag_set(d, "types", "expected request type names", NULL);
        types[i] = json_string_value(v);
    }
    *n = json_array_size(arr);
    return HC_OK;
}

/* The decisions of a form's n requests as {"requests":[decision, ...]}, in the worker's arena. */
static int answer_decisions(struct http_call *c, const struct intake_result *res, size_t n)
{
    struct hc_buf b;
    size_t i;
    int rc;
    if ((rc = http__arena_buf(c->w, &b)) != HC_OK)
        return rc;
    hc_buf_puts(&b, "{\"requests\":[");
    for (i = 0; i < n; i++) {
        if (i)
            hc_buf_putc(&b, ',');
        hc_buf_put(&b, res[i].decision_json, res[i].decision_len);
    }
    hc_buf_puts(&b, "]}");
    if (b.full)
        return HC_ENOMEM;
    http__reply(c, 201, "application/json", b.data, b.len);
    return HC_OK;
}

/* POST /api/v1/bookings/{no}/requests: decode the request (or the requests of one form), take
 * it in and decide it (intake_take, with the agency's duplicate window), answer the decision as
 * it was stored; a duplicate is a 409 naming the request it repeats. The path is checked before
 * the body, so the body is decoded here rather than by the router. */
static int request_create_job(struct http_call *c)
{
    struct store_request rq[INTAKE_FORM_MAX];
    const char *types[INTAKE_FORM_MAX];
    struct intake_result res[INTAKE_FORM_MAX];
    struct intake_opts opts;
    struct hc_diag *d = &c->diag;
    const char *no = c->param; /* checked on the loop */
    char loc[sizeof c->param + 20];
    size_t n = 0, i;
    int rc;

    memset(rq, 0, sizeof rq);
    memset(&opts, 0, sizeof opts);
    if ((c->body = http__parse_body(c->req, d)) == NULL)
        return HC_EINVAL;
    if ((rc = http__check_keys(c->body, "", request_keys, HTTP_NKEYS(request_keys), d)) != HC_OK ||
        (rc = body_types(c->body, types, &n, d)) != HC_OK ||
        (rc = http__get_str(c->body, "", "form", 0, 40, HTTP_K_TEXT, &rq[0].form, d)) != HC_OK ||
        (rc = http__get_str(c->body, "", "received_at", 0, 40, HTTP_K_TIME, &rq[0].received_at,
                            d)) != HC_OK ||
        (rc = http__get_str(c->body, "", "issuing_office", 0, TEXT_MAX_LEN, HTTP_K_TEXT,
                            &rq[0].issuing_office, d)) != HC_OK ||
        (rc = http__get_bool(c->body, "", "judicial_warrant", 0, &rq[0].judicial_warrant, d)) ||
        (rc = http__get_bool(c->body, "", "judicial_probable_cause", 0,
                             &rq[0].judicial_probable_cause, d)) ||
        (rc = http__get_bool(c->body, "", "federal_felony_warrant", 0,
                             &rq[0].federal_felony_warrant, d)) ||
        (rc = http__get_bool(c->body, "", "confirm_new", 0, &opts.confirm_new, d)))
        return rc;
    for (i = 0; i < n; i++) {
        rq[i] = rq[0];
        rq[i].type = types[i];
    }
    opts.duplicate_window_hours = c->w->agency->duplicate_window_hours;
    rc = intake_take(c->w->st, c->w->cat, no, rq, n, &opts, c->who.name, &c->w->arena, res, d);
    if (rc == STORE_ECONFLICT && res[0].existing_id > 0) {
        answer_duplicate(c, res[0].existing_id);
        return HC_OK;
    }
    if (rc != HC_OK)
        return rc;
    for (i = 0; i < n; i++)
        count_decision(c->w, res[i].outcome);
    snprintf(loc, sizeof loc, "/api/v1/bookings/%s", no);
    http__reply_header(c, "location", loc);
    if (json_object_get(c->body, "types") != NULL)
        return answer_decisions(c, res, n);
    http__reply(c, 201, "application/json", res[0].decision_json, res[0].decision_len);
    return HC_OK;
}

/* The intake writes (and fsyncs) a request and its decision: on the pool (offload.h). */
int h_request_create(struct http_call *c)
{
    if (http__param_booking_no(c) == NULL)
        return HC_OK; /* answered */
    return http__offload(c, request_create_job);
}

static void decide(h2o_req_t *req, struct http_worker *w)
{
    const char *body = req->entity.base ? req->entity.base : "";
    size_t len = req->entity.base ? req->entity.len : 0, pos = 0;
    struct hc_buf b = {NULL, 0, 0, 0};
    struct hc_case c;
    struct hc_decision dec;
    struct hc_diag d;
    int rc;

    hc_diag_clear(&d);
    hc_arena_reset(&w->arena);
    rc = hc_case_read(body, len, &pos, 1, &c, &w->arena, &d);
    if (rc == HC_ENOENT)
        rc = hc_diag_set(&d, "", "empty body; expected one JSON case", NULL);
    if (rc == HC_OK) {
        while (pos < len && (body[pos] == ' ' || body[pos] == '\t' || body[pos] == '\r' ||
                             body[pos] == '\n'))
            pos++;
        if (pos < len)
            rc = hc_diag_set(&d, "", "more than one JSON value; send one case", NULL);
    }
    if (rc == HC_ENOMEM)
        hc_diag_set(&d, "", "case too large", NULL);
    if (rc == HC_OK && (rc = hc_case_read_charges(&c, w->cat, &w->arena)) == HC_ENOMEM)
        hc_diag_set(&d, "", "case too large", NULL);
    if (rc == HC_OK)
        rc = hc_decide(w->cat, &c, &dec, &d);
    if (rc != HC_OK) {
        http__problem_rc(req, rc, &d);
        return;
    }
    /* Rendered once, into what the case left of the arena (several MiB: a decision is a few
     * KiB, one with hundreds of convictions some hundreds). */
    if (http__arena_buf(w, &b) == HC_OK)
        hc_render_json(w->cat, &c, &dec, &b);
    if (b.full || b.data == NULL) {
        hc_diag_set(&d, "", "decision too large to render", NULL);
        http__problem_rc(req, HC_ENOMEM, &d);
        return;
    }
    count_decision(w, (int)dec.outcome);
    http__respond(req, 200, "application/json", b.data, b.len);
}

int h_decide(struct http_call *c)
{
    decide(c->req, c->w);
    return HC_OK;
}

void http__put_outcomes(json_t *e, const struct store_request *q)
{
    json_object_set_new(e, "outcome", http__jstr(q->outcome));
    json_object_set_new(e, "engine_outcome", http__jstr(q->engine_outcome));
    json_object_set_new(e, "overridden", json_boolean(q->override_id != 0));
    json_object_set_new(e, "action_count", json_integer(q->nactions));
    json_object_set_new(e, "contrary_actions", json_integer(q->ncontrary));
    json_object_set_new(e, "contrary", json_boolean(q->ncontrary > 0));
}

int http__query_period(const struct http_query_param *p, const char **from, const char **to,
                       struct hc_diag *d)
{
    hc_day day;
    int i;
    for (i = 0; i < 2; i++) {
        if (!p[i].present)
            continue;
        if (hc_date_parse(p[i].value, strlen(p[i].value), &day) != 0)
            return hc_diag_set(d, p[i].name, "expected a date YYYY-MM-DD", NULL);
        *(i == 0 ? from : to) = p[i].value;
    }
    return HC_OK;
}

int http__query_bool(const struct http_query_param *p, int *out, struct hc_diag *d)
{
    if (!p->present)
        return HC_OK;
    if (strcmp(p->value, "true") != 0 && strcmp(p->value, "false") != 0)
        return hc_diag_set(d, p->name, "expected true or false", NULL);
    *out = p->value[0] == 't';
    return HC_OK;
}

json_t *http__request_json(const struct store_request *q)
{
    json_t *e = json_object();
    json_object_set_new(e, "id", json_integer(q->id));
    json_object_set_new(e, "type", http__jstr(q->type));
    json_object_set_new(e, "form", http__jstr(q->form));
    json_object_set_new(e, "received_at", http__jstr(q->received_at));
    json_object_set_new(e, "issuing_office", http__jstr(q->issuing_office));
    json_object_set_new(e, "judicial_warrant", json_boolean(q->judicial_warrant));
    json_object_set_new(e, "judicial_probable_cause", json_boolean(q->judicial_probable_cause));
    json_object_set_new(e, "federal_felony_warrant", json_boolean(q->federal_felony_warrant));
    http__put_outcomes(e, q);
    return e;
}

int h_requests_list(struct http_call *c)
{
    struct http_query_param p[] = {{"type", "", 0},    {"outcome", "", 0}, {"from", "", 0},
                              {"to", "", 0},      {"booking_no", "", 0}, {"limit", "", 0},
                              {"cursor", "", 0},  {"offset", "", 0}, {"contrary", "", 0}};
    struct store_request_filter f;
    struct store_request_item *items = NULL;
    struct hc_diag d;
    size_t n = 0, i;
    int64_t v;
    json_t *o, *arr;
    int rc = HC_OK;

    hc_diag_clear(&d);
    hc_arena_reset(&c->w->arena);
    memset(&f, 0, sizeof f);
    f.limit = 100;
    if ((rc = http__parse_query(c->req, p, HTTP_NKEYS(p), &d)) != HC_OK)
        goto out;
    if (p[0].present) {
        if (hc_request_from_name(p[0].value, strlen(p[0].value)) < 0) {
            rc = hc_diag_set(&d, "type", "unknown request type", NULL);
            goto out;
        }
        f.type = p[0].value;
    }
    if (p[1].present) {
        if (review_outcome_rank(p[1].value) < 0) {
            rc = hc_diag_set(&d, "outcome", "expected permitted, permitted_with_conditions, "
                                            "review or prohibited", NULL);
            goto out;
        }
        f.outcome = p[1].value;
    }
    if ((rc = http__query_period(&p[2], &f.from, &f.to, &d)) != HC_OK ||
        (rc = http__query_bool(&p[8], &f.contrary, &d)) != HC_OK)
        goto out;
    if (p[4].present) {
        if (!hc_booking_no_valid(p[4].value, strlen(p[4].value))) {
            rc = hc_diag_set(&d, "booking_no", "bad booking number", NULL);
            goto out;
        }
        f.booking_no = p[4].value;
    }
    if (p[5].present) {
        if ((rc = http__query_int(&p[5], 1, 500, &v, &d)) != HC_OK)
            goto out;
        f.limit = (int)v;
    }
    if (p[6].present && (rc = http__query_int(&p[6], 0, INT64_MAX / 2, &f.after_id, &d)) != HC_OK)
        goto out;
    if (p[7].present && (rc = http__query_int(&p[7], 0, 1000000000, &f.offset, &d)) != HC_OK)
        goto out;
    if ((rc = records_request_list(c->w->st, &f, &c->w->arena, &items, &n)) != HC_OK)
        goto out;
    o = json_object();
    arr = json_array();
    for (i = 0; i < n; i++) {
        json_t *e = http__request_json(&items[i].req);
        json_object_set_new(e, "booking_no", http__jstr(items[i].booking_no));
        json_object_set_new(e, "decisions", json_integer(items[i].ndecisions));
        json_object_set_new(e, "overrides", json_integer(items[i].noverrides));
        json_array_append_new(arr, e);
    }
    json_object_set_new(o, "requests", arr);
    json_object_set_new(o, "next_cursor", n == (size_t)f.limit && n > 0
                                              ? json_integer(items[n - 1].req.id) : json_null());
    http__respond_json(c->req, 200, o);
out:
    if (rc != HC_OK)
        http__problem_rc(c->req, rc, &d);
    return HC_OK;
}

json_t *http__action_json(const struct store_action *x)
{
    json_t *e = json_object();
    json_object_set_new(e, "id", json_integer(x->id));
    json_object_set_new(e, "request_id", json_integer(x->request_id));
    json_object_set_new(e, "kind", http__jstr(x->kind));
    json_object_set_new(e, "at", http__jstr(x->at));
    json_object_set_new(e, "method", http__jstr(x->method));
    json_object_set_new(e, "acted_by", http__jstr(x->acted_by));
    json_object_set_new(e, "office", http__jstr(x->office));
    json_object_set_new(e, "ice_reason", http__jstr(x->ice_reason));
    json_object_set_new(e, "ice_reason_text", http__jstr(actions_ice_reason_text(x->ice_reason)));
    json_object_set_new(e, "outcome_in_force", http__jstr(x->outcome_in_force));
    json_object_set_new(e, "contrary", json_boolean(x->contrary));
    json_object_set_new(e, "reason", http__jstr(x->reason));
    json_object_set_new(e, "recorded_by", http__jstr(x->recorded_by));
    json_object_set_new(e, "recorded_at", http__jstr(x->recorded_at));
    return e;
}

static json_t *actions_json(const struct store_action *x, size_t n)
{
    json_t *arr = json_array();
    size_t i;
    for (i = 0; i < n; i++)
        json_array_append_new(arr, http__action_json(&x[i]));
    return arr;
}

/* The trace of decision v (docs/engine.md, "The trace"): what decided it. A member the decision
 * did not record (stored before the schema had it) is null, never filled in from today's. */
static json_t *trace_json(const struct store_decision_row *v)
{
    json_t *set = v->settings_json ? json_loads(v->settings_json, 0, NULL) : NULL;
    return json_pack("{s:s?,s:s?,s:o,s:o}", "ruleset", v->ruleset, "catalog_version",
                     v->catalog_version, "engine_version",
                     v->engine_version > 0 ? json_integer(v->engine_version) : json_null(),
                     "settings", set ? set : json_null());
}

int h_request_get(struct http_call *c)
{
    struct store_request_detail r;
    struct hc_diag d;
    int64_t id = http__param_id(c);
    struct store_action_filter af;
    struct store_action *acts = NULL;
    size_t nacts = 0;
    json_t *o, *decs, *ovrs;
    size_t i;
    int rc;

    if (id == 0)
        return HC_OK;
    hc_diag_clear(&d);
    hc_arena_reset(&c->w->arena);
    memset(&af, 0, sizeof af);
    af.request_id = id;
    af.limit = 1000;
    rc = records_request_get(c->w->st, id, &c->w->arena, &r, &d);
    if (rc == HC_OK)
        rc = actions_list(c->w->st, &af, &c->w->arena, &acts, &nacts, &d);
    if (rc != HC_OK) {
        http__problem_rc(c->req, rc, &d);
        return HC_OK;
    }
    o = http__request_json(&r.req);
    json_object_set_new(o, "booking_no", http__jstr(r.booking_no));
    decs = json_array();
    for (i = 0; i < r.ndec; i++) {
        const struct store_decision_row *v = &r.dec[i];
        json_t *dj = json_loads(v->decision_json, 0, NULL);
        json_array_append_new(decs, json_pack("{s:I,s:i,s:s?,s:s?,s:s?,s:s?,s:o,s:o}", "id",
            (json_int_t)v->id, "version", v->version, "outcome", v->outcome, "ruleset",
            v->ruleset, "decided_at", v->decided_at, "decided_by", v->decided_by, "trace",
            trace_json(v), "decision", dj ? dj : json_null()));
    }
    ovrs = json_array();
    for (i = 0; i < r.novr; i++) {
        const struct store_override *v = &r.ovr[i];
        json_array_append_new(ovrs, json_pack("{s:I,s:I,s:s?,s:s?,s:s?,s:s?}", "id",
            (json_int_t)v->id, "decision_id", (json_int_t)v->decision_id, "outcome", v->outcome,
            "reason", v->reason, "created_at", v->created_at, "created_by", v->created_by));
    }
    /* The outcome to act on, under the name the console first read it by. */
    json_object_set_new(o, "effective_outcome", http__jstr(review_effective_outcome(&r)));
    json_object_set_new(o, "decisions", decs);
    json_object_set_new(o, "overrides", ovrs);
    json_object_set_new(o, "actions", actions_json(acts, nacts));
    http__respond_json(c->req, 200, o);
    return HC_OK;
}

int h_redecide(struct http_call *c)
{
    struct intake_result res;
    struct hc_diag d;
    int64_t id = http__param_id(c);
    char loc[80];
    int rc;

    if (id == 0)
        return HC_OK;
    hc_diag_clear(&d);
    rc = intake_redecide(c->w->st, c->w->cat, id, c->who.name, &c->w->arena, &res, &d);
    if (rc != HC_OK) {
        http__problem_rc(c->req, rc, &d);
        return HC_OK;
    }
    snprintf(loc, sizeof loc, "/api/v1/requests/%lld", (long long)id);
    http__add_header(c->req, H2O_TOKEN_LOCATION, loc);
    count_decision(c->w, res.outcome);
    http__respond(c->req, 201, "application/json", res.decision_json, res.decision_len);
    return HC_OK;
}

/* POST /api/v1/requests/{id}/override: the body, decoded after the id (http__id_and_body). */
enum { O_OUTCOME, O_REASON };
static const struct http_field override_fields[] = {
    [O_OUTCOME] = {"outcome", HTTP_F_STR, 1, HTTP_K_TEXT, 0, 40},
    [O_REASON] = {"reason", HTTP_F_STR, 1, HTTP_K_TEXT, 0, 2000},
};
static const struct http_body override_body = {override_fields, HTTP_NKEYS(override_fields)};

static int override_job(struct http_call *c)
{
    int64_t id, oid = 0;
    json_t *o;
    char loc[80];
    int rc;

    if ((rc = http__id_and_body(c, &override_body, &id)) != HC_OK ||
        (rc = review_override(c->w->st, id, c->in[O_OUTCOME].s, c->in[O_REASON].s, c->who.name,
                              &c->w->arena, &oid, &c->diag)) != HC_OK)
        return rc;
    o = json_object();
    json_object_set_new(o, "id", json_integer(oid));
    json_object_set_new(o, "request_id", json_integer(id));
    json_object_set_new(o, "outcome", json_string(c->in[O_OUTCOME].s));
    json_object_set_new(o, "reason", json_string(c->in[O_REASON].s));
    json_object_set_new(o, "created_by", json_string(c->who.name));
    atomic_fetch_add_explicit(&c->w->metrics->overrides[review_outcome_rank(c->in[O_OUTCOME].s)],
                              1, memory_order_relaxed);
    snprintf(loc, sizeof loc, "/api/v1/requests/%lld", (long long)id);
    http__reply_header(c, "location", loc);
    http__reply_json(c, 201, o);
    return HC_OK;
}

int h_override(struct http_call *c)
{
    return http__offload(c, override_job);
}

/* GET /api/v1/requests/{id}/actions: what was done about the request, oldest first. */
int h_actions_list(struct http_call *c)
{
    struct store_action_filter f;
    struct store_action *x = NULL;
    size_t n = 0;
    int64_t id = http__param_id(c);
    json_t *o;
    int rc;

    if (id == 0)
        return HC_OK;
    hc_arena_reset(&c->w->arena);
    memset(&f, 0, sizeof f);
    f.request_id = id;
    f.limit = 1000;
    if ((rc = actions_list(c->w->st, &f, &c->w->arena, &x, &n, &c->diag)) != HC_OK)
        return rc;
    o = json_object();
    json_object_set_new(o, "request_id", json_integer(id));
    json_object_set_new(o, "actions", actions_json(x, n));
    http__respond_json(c->req, 200, o);
    return HC_OK;
}

/* POST /api/v1/requests/{id}/actions: the body, decoded after the id (http__id_and_body). */
enum { A_KIND, A_AT, A_METHOD, A_ACTED_BY, A_OFFICE, A_ICE_REASON, A_REASON };
static const struct http_field action_fields[] = {
    [A_KIND] = {"kind", HTTP_F_STR, 1, HTTP_K_TEXT, 0, 40},
    [A_AT] = {"at", HTTP_F_STR, 1, HTTP_K_TIME, 0, 40},
    [A_METHOD] = {"method", HTTP_F_STR, 0, HTTP_K_TEXT, 0, 40},
    [A_ACTED_BY] = {"acted_by", HTTP_F_STR, 0, HTTP_K_TEXT, 0, NAME_MAX_LEN},
    [A_OFFICE] = {"office", HTTP_F_STR, 0, HTTP_K_TEXT, 0, NAME_MAX_LEN},
    [A_ICE_REASON] = {"ice_reason", HTTP_F_STR, 0, HTTP_K_TEXT, 0, 40},
    [A_REASON] = {"reason", HTTP_F_STR, 0, HTTP_K_TEXT, 0, 2000},
};
static const struct http_body action_body = {action_fields, HTTP_NKEYS(action_fields)};

static int action_create_job(struct http_call *c)
{
    struct store_action x;
    int64_t id, aid = 0;
    char loc[96];
    int rc;

    if ((rc = http__id_and_body(c, &action_body, &id)) != HC_OK)
        return rc;
    memset(&x, 0, sizeof x);
    x.kind = c->in[A_KIND].s;
    x.at = c->in[A_AT].s;
    x.method = c->in[A_METHOD].s;
    x.acted_by = c->in[A_ACTED_BY].s;
    x.office = c->in[A_OFFICE].s;
    x.ice_reason = c->in[A_ICE_REASON].s;
    x.reason = c->in[A_REASON].s;
    rc = actions_record(c->w->st, id, &x, c->who.role, c->who.name, &c->w->arena, &aid,
                        &c->diag);
    if (rc == ACTIONS_ESUPERVISOR) {
        /* Who may record it is the app's rule; the answer says so in its own words. */
        http__reply_problem(c, 403, c->diag.msg, c->diag.field);
        return HC_OK;
    }
    if (rc != HC_OK)
        return rc;
    x.id = aid;
    x.recorded_at = NULL;
    snprintf(loc, sizeof loc, "/api/v1/requests/%lld/actions", (long long)id);
    http__reply_header(c, "location", loc);
    atomic_fetch_add_explicit(&c->w->metrics->actions[actions_kind_from_name(x.kind)][x.contrary],
                              1, memory_order_relaxed);
    http__reply_json(c, 201, http__action_json(&x));
    return HC_OK;
}

int h_action_create(struct http_call *c)
{
    return http__offload(c, action_create_job);
}
