/* SPDX-License-Identifier: MIT
 * api.c: the handlers of custody records, requests, decisions, the audit log, agency settings,
 * users and sessions, and this file's routing table (router.c dispatches). Handlers run to
 * completion on the worker's thread and use its store connection and scratch arena. */
#include <inttypes.h>
#include <jansson.h>
#include <sodium.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "case.h"
#include "engine.h"
#include "http.h"
#include "http_int.h"
#include "ident.h"
#include "intake.h"
#include "render.h"
#include "review.h"
#include "anchor.h"
#include "auth.h"
#include "buf.h"

#define NAME_MAX_LEN 200
#define TEXT_MAX_LEN 200
#define BOOKING_NO_MAX 40

/* ------------------------------------------------------------------------------------------ */
/* Bookings                                                                                   */

static const char *const booking_keys[] = {
    "booking_no", "booked_at", "facility", "status", "scheduled_release", "released_at",
    "release_reason", "person_id", "person", "charges",
};
static const char *const person_keys[] = {
    "name", "date_of_birth", "local_id", "registrant_290", "convictions",
};
static const char *const conviction_keys[] = {
    "citation", "level", "date", "court", "prop47_reduced", "federal_aggravated_felony",
    "jurisdiction",
};
static const char *const charge_keys[] = {"citation", "level", "status", "magistrate_probable_cause"};
static const char *const request_keys[] = {
    "type", "form", "received_at", "issuing_office", "judicial_warrant",
    "judicial_probable_cause", "federal_felony_warrant",
};
#define NKEYS(a) (sizeof a / sizeof a[0])

static int valid_booking_no(const char *s, size_t n)
{
    size_t i;
    if (n == 0 || n > BOOKING_NO_MAX)
        return 0;
    for (i = 0; i < n; i++) {
        char c = s[i];
        if (!((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
              c == '-' || c == '_' || c == '.'))
            return 0;
    }
    return 1;
}

/* A stated jurisdiction that contradicts the citation (hc_juris_conflict) is refused
 * here, so no record the engine would refuse later is ever stored. */
static int check_jurisdiction(const struct store_conviction *c, const char *path,
                              struct hc_diag *d)
{
    struct hc_cite cite;
    const char *why;
    char f[96];
    if (c->jurisdiction == NULL ||
        hc_cite_parse(c->citation, strlen(c->citation), &cite, NULL) != HC_OK ||
        (why = hc_juris_conflict(&cite, c->jurisdiction)) == NULL)
        return HC_OK;
    http__field_path(f, sizeof f, path, "jurisdiction");
    return hc_diag_set(d, f, why, NULL);
}

/* o.federal_aggravated_felony into *out: NULL when absent or null, "true" or "false" for a
 * boolean, or a subparagraph letter A-U. */
static int decode_agg(json_t *o, const char *path, const char **out, struct hc_diag *d)
{
    json_t *agg = json_object_get(o, "federal_aggravated_felony");
    char f[96];
    *out = NULL;
    if (json_is_boolean(agg)) {
        *out = json_is_true(agg) ? "true" : "false";
        return HC_OK;
    }
    if (agg != NULL && !json_is_null(agg) && !json_is_string(agg)) {
        http__field_path(f, sizeof f, path, "federal_aggravated_felony");
        return hc_diag_set(d, f, "expected a letter A-U or a boolean", NULL);
    }
    return http__get_str(o, path, "federal_aggravated_felony", 0, 1, HTTP_K_AGG, out, d);
}

static int decode_conviction(json_t *o, const char *path, struct store_conviction *c,
                             struct hc_diag *d)
{
    int rc;
    if (!json_is_object(o))
        return hc_diag_set(d, path, "expected an object", NULL);
    if ((rc = http__check_keys(o, path, conviction_keys, NKEYS(conviction_keys), d)) != HC_OK ||
        (rc = http__get_str(o, path, "citation", 1, TEXT_MAX_LEN, HTTP_K_TEXT, &c->citation, d)) != HC_OK ||
        (rc = http__get_str(o, path, "level", 0, 16, HTTP_K_LEVEL, &c->level, d)) != HC_OK ||
        (rc = http__get_str(o, path, "date", 0, 10, HTTP_K_DATE, &c->date, d)) != HC_OK ||
        (rc = http__get_str(o, path, "court", 0, TEXT_MAX_LEN, HTTP_K_TEXT, &c->court, d)) != HC_OK ||
        (rc = http__get_bool(o, path, "prop47_reduced", 1, &c->prop47_reduced, d)) != HC_OK ||
        (rc = http__get_str(o, path, "jurisdiction", 0, 40, HTTP_K_TEXT, &c->jurisdiction, d)) != HC_OK)
        return rc;
    if ((rc = decode_agg(o, path, &c->federal_aggravated_felony, d)) != HC_OK)
        return rc;
    return check_jurisdiction(c, path, d);
}

static int decode_charge(json_t *o, const char *path, struct store_charge *c, struct hc_diag *d)
{
    int rc;
    if (!json_is_object(o))
        return hc_diag_set(d, path, "expected an object", NULL);
    if ((rc = http__check_keys(o, path, charge_keys, NKEYS(charge_keys), d)) != HC_OK ||
        (rc = http__get_str(o, path, "citation", 1, TEXT_MAX_LEN, HTTP_K_TEXT, &c->citation, d)) != HC_OK ||
        (rc = http__get_str(o, path, "level", 0, 16, HTTP_K_LEVEL, &c->level, d)) != HC_OK ||
        (rc = http__get_str(o, path, "status", 0, 16, HTTP_K_CHARGE_STATUS, &c->status, d)) != HC_OK ||
        (rc = http__get_bool(o, path, "magistrate_probable_cause", 0, &c->magistrate_probable_cause,
                       d)) != HC_OK)
        return rc;
    if (c->status == NULL)
        c->status = "pending";
    return HC_OK;
}

/* Decode a booking body into *b; arrays come from a, strings stay in root. */
static int decode_booking(json_t *root, struct hc_arena *a, struct store_booking_new *b,
                          struct hc_diag *d)
{
    struct store_booking *bk = &b->booking;
    json_t *person, *pid, *arr, *v;
    size_t i;
    int rc;

    memset(b, 0, sizeof *b);
    if ((rc = http__check_keys(root, "", booking_keys, NKEYS(booking_keys), d)) != HC_OK ||
        (rc = http__get_str(root, "", "booking_no", 1, BOOKING_NO_MAX, HTTP_K_TEXT, &bk->booking_no, d)) ||
        (rc = http__get_str(root, "", "booked_at", 1, 40, HTTP_K_TIME, &bk->booked_at, d)) != HC_OK ||
        (rc = http__get_str(root, "", "facility", 1, TEXT_MAX_LEN, HTTP_K_TEXT, &bk->facility, d)) ||
        (rc = http__get_str(root, "", "status", 0, 16, HTTP_K_BOOKING_STATUS, &bk->status, d)) != HC_OK ||
        (rc = http__get_str(root, "", "scheduled_release", 0, 40, HTTP_K_TIME, &bk->scheduled_release, d)) ||
        (rc = http__get_str(root, "", "released_at", 0, 40, HTTP_K_TIME, &bk->released_at, d)) != HC_OK ||
        (rc = http__get_str(root, "", "release_reason", 0, TEXT_MAX_LEN, HTTP_K_TEXT, &bk->release_reason,
                      d)) != HC_OK)
        return rc;
    if (!valid_booking_no(bk->booking_no, strlen(bk->booking_no)))
        return hc_diag_set(d, "booking_no", "use 1-40 letters, digits, '-', '_' or '.'", NULL);
    if (bk->status == NULL)
        bk->status = "in_custody";
    if (strcmp(bk->status, "released") == 0 && bk->released_at == NULL)
        return hc_diag_set(d, "released_at", "required when status is released", NULL);
    if (strcmp(bk->status, "in_custody") == 0 && bk->released_at != NULL)
        return hc_diag_set(d, "released_at", "must be absent while in custody", NULL);

    person = json_object_get(root, "person");
    pid = json_object_get(root, "person_id");
    if ((person == NULL) == (pid == NULL))
        return hc_diag_set(d, person ? "person_id" : "person",
                           "give exactly one of person (a new person) and person_id", NULL);
    if (pid != NULL) {
        if (!json_is_integer(pid) || json_integer_value(pid) <= 0)
            return hc_diag_set(d, "person_id", "expected a positive integer", NULL);
        bk->person_id = json_integer_value(pid);
    } else {
        struct store_person *p = &b->person;
        struct store_conviction *conv;
        if (!json_is_object(person))
            return hc_diag_set(d, "person", "expected an object", NULL);
        if ((rc = http__check_keys(person, "person", person_keys, NKEYS(person_keys), d)) != HC_OK ||
            (rc = http__get_str(person, "person", "name", 1, NAME_MAX_LEN, HTTP_K_TEXT, &p->name, d)) ||
            (rc = http__get_str(person, "person", "date_of_birth", 0, 10, HTTP_K_DATE, &p->date_of_birth,
                          d)) != HC_OK ||
            (rc = http__get_str(person, "person", "local_id", 0, 64, HTTP_K_TEXT, &p->local_id, d)) ||
            (rc = http__get_bool(person, "person", "registrant_290", 0, &p->registrant_290, d)) ||
            (rc = http__get_array(person, "person", "convictions", HC_CASE_MAX_RECORDS, &arr, d)))
            return rc;
        if (arr != NULL && json_array_size(arr) > 0) {
            conv = hc_arena_zalloc(a, json_array_size(arr) * sizeof *conv);
            if (conv == NULL)
                return HC_ENOMEM;
            json_array_foreach(arr, i, v) {
                char f[64];
                snprintf(f, sizeof f, "person.convictions[%zu]", i);
                if ((rc = decode_conviction(v, f, &conv[i], d)) != HC_OK)
                    return rc;
            }
            b->conv = conv;
            b->nconv = json_array_size(arr);
        }
    }
    if ((rc = http__get_array(root, "", "charges", HC_CASE_MAX_RECORDS, &arr, d)) != HC_OK)
        return rc;
    if (arr != NULL && json_array_size(arr) > 0) {
        struct store_charge *ch = hc_arena_zalloc(a, json_array_size(arr) * sizeof *ch);
        if (ch == NULL)
            return HC_ENOMEM;
        json_array_foreach(arr, i, v) {
            char f[64];
            snprintf(f, sizeof f, "charges[%zu]", i);
            if ((rc = decode_charge(v, f, &ch[i], d)) != HC_OK)
                return rc;
        }
        b->charges = ch;
        b->ncharges = json_array_size(arr);
    }
    return HC_OK;
}

/* Count a stored decision by its outcome, for /metrics. */
static void count_decision(struct http_worker *w, const char *decision_json)
{
    json_t *d = json_loads(decision_json, 0, NULL);
    int r = review_outcome_rank(json_string_value(json_object_get(d, "outcome")));
    if (r >= 0)
        atomic_fetch_add_explicit(&w->metrics->decisions[r], 1, memory_order_relaxed);
    json_decref(d);
}


/* Whether the stored JSON text s is already what json_dumps(json_loads(s), JSON_COMPACT |
 * JSON_PRESERVE_ORDER) would print, as hc_render_json's output is: no whitespace between tokens,
 * no escapes (jansson writes some differently) and no real numbers (printed with %.17g). Only
 * then is it copied as is. */
static int json_is_canonical(const char *s)
{
    int in_str = 0;
    for (; *s != '\0'; s++) {
        char c = *s;
        if (c == '\\')
            return 0;
        if (c == '"')
            in_str = !in_str;
        else if (!in_str && (c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '.' ||
                             c == 'e' || c == 'E'))
            return 0;
    }
    return !in_str;
}

/* A stored decision: as is when canonical, else parsed and printed by jansson (null when it does
 * not parse), as the answer always showed it. */
static void put_decision(struct hc_buf *b, const char *text)
{
    json_t *v;
    char *out;
    if (text == NULL) {
        http__bput(b, "null", 4);
        return;
    }
    if (json_is_canonical(text)) {
        hc_buf_puts(b, text);
        return;
    }
    v = json_loads(text, 0, NULL);
    out = v ? json_dumps(v, JSON_COMPACT | JSON_PRESERVE_ORDER) : NULL;
    json_decref(v);
    hc_buf_puts(b, out ? out : "null");
    free(out);
}

/* The JSON view of a stored record (GET /api/v1/bookings/{no}), in the key order of
 * docs/server.md. */
static void render_record(struct hc_buf *b, const struct store_record *r)
{
    size_t i;

    http__bputc(b, '{');
    HTTP_PUT_KSTR(b, "booking_no", r->booking.booking_no, 1);
    HTTP_PUT_KSTR(b, "booked_at", r->booking.booked_at, 0);
    HTTP_PUT_KSTR(b, "facility", r->booking.facility, 0);
    HTTP_PUT_KSTR(b, "status", r->booking.status, 0);
    HTTP_PUT_KSTR(b, "scheduled_release", r->booking.scheduled_release, 0);
    HTTP_PUT_KSTR(b, "released_at", r->booking.released_at, 0);
    HTTP_PUT_KSTR(b, "release_reason", r->booking.release_reason, 0);
    HTTP_PUT_KEY(b, "person", 0);
    http__bputc(b, '{');
    HTTP_PUT_KINT(b, "id", r->person.id, 1);
    HTTP_PUT_KSTR(b, "name", r->person.name, 0);
    HTTP_PUT_KSTR(b, "date_of_birth", r->person.date_of_birth, 0);
    HTTP_PUT_KSTR(b, "local_id", r->person.local_id, 0);
    HTTP_PUT_KBOOL(b, "registrant_290", r->person.registrant_290, 0);
    HTTP_PUT_KEY(b, "convictions", 0);
    http__bputc(b, '[');
    for (i = 0; i < r->nconv; i++) {
        const struct store_conviction *c = &r->conv[i];
        const char *agg = c->federal_aggravated_felony;
        http__bput(b, i ? ",{" : "{", i ? 2 : 1);
        HTTP_PUT_KINT(b, "id", c->id, 1);
        HTTP_PUT_KSTR(b, "citation", c->citation, 0);
        HTTP_PUT_KSTR(b, "level", c->level, 0);
        HTTP_PUT_KSTR(b, "date", c->date, 0);
        HTTP_PUT_KSTR(b, "court", c->court, 0);
        if (c->prop47_reduced < 0)
            HTTP_PUT_KSTR(b, "prop47_reduced", NULL, 0);
        else
            HTTP_PUT_KBOOL(b, "prop47_reduced", c->prop47_reduced, 0);
        if (agg != NULL && (strcmp(agg, "true") == 0 || strcmp(agg, "false") == 0))
            HTTP_PUT_KBOOL(b, "federal_aggravated_felony", agg[0] == 't', 0);
        else
            HTTP_PUT_KSTR(b, "federal_aggravated_felony", agg, 0);
        HTTP_PUT_KSTR(b, "jurisdiction", c->jurisdiction, 0);
        http__bputc(b, '}');
    }
    http__bput(b, "]}", 2);
    HTTP_PUT_KEY(b, "charges", 0);
    http__bputc(b, '[');
    for (i = 0; i < r->ncharges; i++) {
        http__bput(b, i ? ",{" : "{", i ? 2 : 1);
        HTTP_PUT_KINT(b, "id", r->charges[i].id, 1);
        HTTP_PUT_KSTR(b, "citation", r->charges[i].citation, 0);
        HTTP_PUT_KSTR(b, "level", r->charges[i].level, 0);
        HTTP_PUT_KSTR(b, "status", r->charges[i].status, 0);
        HTTP_PUT_KBOOL(b, "magistrate_probable_cause", r->charges[i].magistrate_probable_cause, 0);
        http__bputc(b, '}');
    }
    http__bputc(b, ']');
    HTTP_PUT_KEY(b, "requests", 0);
    http__bputc(b, '[');
    for (i = 0; i < r->nreq; i++) {
        const struct store_request *q = &r->req[i];
        http__bput(b, i ? ",{" : "{", i ? 2 : 1);
        HTTP_PUT_KINT(b, "id", q->id, 1);
        HTTP_PUT_KSTR(b, "type", q->type, 0);
        HTTP_PUT_KSTR(b, "form", q->form, 0);
        HTTP_PUT_KSTR(b, "received_at", q->received_at, 0);
        HTTP_PUT_KSTR(b, "issuing_office", q->issuing_office, 0);
        HTTP_PUT_KBOOL(b, "judicial_warrant", q->judicial_warrant, 0);
        HTTP_PUT_KBOOL(b, "judicial_probable_cause", q->judicial_probable_cause, 0);
        HTTP_PUT_KBOOL(b, "federal_felony_warrant", q->federal_felony_warrant, 0);
        HTTP_PUT_KSTR(b, "outcome", q->outcome, 0);
        HTTP_PUT_KEY(b, "decision", 0);
        put_decision(b, q->decision_json);
        http__bputc(b, '}');
    }
    http__bput(b, "]}", 2);
}

/* Render r into the rest of the worker's arena and send it with status; when keep is not NULL,
 * also keep the answer in the answer cache under that booking number and epoch. A record too
 * large for the arena is answered like one too large to read (HC_ENOMEM: 413). */
static void respond_record(h2o_req_t *req, struct http_worker *w, int status,
                           const struct store_record *r, const char *keep, unsigned epoch)
{
    struct hc_arena *a = &w->arena;
    size_t room = a->cap - a->used > 64 ? a->cap - a->used - 64 : 0;
    char *mem = room ? hc_arena_alloc(a, room) : NULL;
    struct hc_buf b;
    struct hc_diag d;
    if (mem != NULL) {
        hc_buf_init(&b, mem, room);
        render_record(&b, r);
        if (!b.full) {
            if (keep != NULL)
                http_cache_put(w->cache, HTTP_CACHE_STAFF, keep, strlen(keep), b.data, b.len,
                               NULL, epoch, http__now_ms(), -1);
            http__respond(req, status, "application/json", b.data, b.len);
            return;
        }
    }
    hc_diag_clear(&d);
    http__problem_rc(req, HC_ENOMEM, &d);
}

/* GET /api/v1/bookings/{no}. The rendered record is kept in the shared answer cache under
 * the booking number, for exactly as long as the database does not change: http__cache_sync
 * compares the database's version first, so an answer from the cache is byte for byte the one
 * a fresh read would render (docs/server.md, "The answer cache"). */
static void booking_get(struct http_call *c, const char *no)
{
    h2o_req_t *req = c->req;
    struct http_worker *w = c->w;
    struct store_record r;
    struct http_cache_hit hit;
    struct hc_diag d;
    size_t nlen = strlen(no);
    int rc, cached = http__cache_sync(c);

    if (cached && http_cache_get(w->cache, HTTP_CACHE_STAFF, no, nlen, http__now_ms(),
                                 http__pool_alloc, &req->pool, &hit)) {
        http__respond(req, 200, "application/json", hit.body, hit.len);
        return;
    }
    hc_diag_clear(&d);
    hc_arena_reset(&w->arena);
    rc = store_record_get(w->st, no, &w->arena, &r);
    if (rc == HC_ENOENT)
        hc_diag_set(&d, "booking_no", "no such booking", NULL);
    if (rc != HC_OK) {
        http__problem_rc(req, rc, &d);
        return;
    }
    respond_record(req, w, 200, &r, cached ? no : NULL, c->cache_epoch);
}

static void booking_create(h2o_req_t *req, struct http_worker *w, const char *actor)
{
    struct store_booking_new b;
    struct hc_diag d;
    json_t *root;
    int64_t id;
    char loc[80];
    int rc;

    hc_diag_clear(&d);
    hc_arena_reset(&w->arena);
    if ((root = http__parse_body(req, &d)) == NULL) {
        http__problem_rc(req, HC_EINVAL, &d);
        return;
    }
    rc = decode_booking(root, &w->arena, &b, &d);
    if (rc == HC_OK)
        rc = store_booking_add(w->st, &b, actor, &id, &d);
    if (rc != HC_OK) {
        http__problem_rc(req, rc, &d);
    } else {
        struct store_record r;
        snprintf(loc, sizeof loc, "/api/v1/bookings/%s", b.booking.booking_no);
        /* Read back what was stored, so the answer is exactly what a GET returns. */
        rc = store_record_get(w->st, b.booking.booking_no, &w->arena, &r);
        if (rc != HC_OK) {
            http__problem_rc(req, rc, &d);
        } else {
            http__add_header(req, H2O_TOKEN_LOCATION, loc);
            respond_record(req, w, 201, &r, NULL, 0);
        }
    }
    json_decref(root);
}

static void request_create(h2o_req_t *req, struct http_worker *w, const char *no,
                           const char *actor)
{
    struct store_request rq;
    struct intake_result res;
    struct hc_diag d;
    json_t *root;
    int rc;

    hc_diag_clear(&d);
    memset(&rq, 0, sizeof rq);
    if ((root = http__parse_body(req, &d)) == NULL) {
        http__problem_rc(req, HC_EINVAL, &d);
        return;
    }
    if ((rc = http__check_keys(root, "", request_keys, NKEYS(request_keys), &d)) != HC_OK ||
        (rc = http__get_str(root, "", "type", 1, 40, HTTP_K_TEXT, &rq.type, &d)) != HC_OK ||
        (rc = http__get_str(root, "", "form", 0, 40, HTTP_K_TEXT, &rq.form, &d)) != HC_OK ||
        (rc = http__get_str(root, "", "received_at", 0, 40, HTTP_K_TIME, &rq.received_at, &d)) != HC_OK ||
        (rc = http__get_str(root, "", "issuing_office", 0, TEXT_MAX_LEN, HTTP_K_TEXT, &rq.issuing_office,
                      &d)) != HC_OK ||
        (rc = http__get_bool(root, "", "judicial_warrant", 0, &rq.judicial_warrant, &d)) != HC_OK ||
        (rc = http__get_bool(root, "", "judicial_probable_cause", 0, &rq.judicial_probable_cause,
                       &d)) != HC_OK ||
        (rc = http__get_bool(root, "", "federal_felony_warrant", 0, &rq.federal_felony_warrant, &d)))
        goto out;
    rc = intake_submit(w->st, w->cat, no, &rq, actor, &w->arena, &res, &d);
    if (rc == HC_OK) {
        char loc[80];
        snprintf(loc, sizeof loc, "/api/v1/bookings/%s", no);
        http__add_header(req, H2O_TOKEN_LOCATION, loc);
        count_decision(w, res.decision_json);
        http__respond(req, 201, "application/json", res.decision_json, res.decision_len);
        free(res.decision_json);
    }
out:
    if (rc != HC_OK)
        http__problem_rc(req, rc, &d);
    json_decref(root);
}

/* ------------------------------------------------------------------------------------------ */
/* Decide, audit, health                                                                      */

static void decide(h2o_req_t *req, struct http_worker *w)
{
    const char *body = req->entity.base ? req->entity.base : "";
    size_t len = req->entity.base ? req->entity.len : 0, pos = 0, room = 65536;
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
    if (rc == HC_OK)
        rc = hc_decide(w->cat, &c, &dec, &d);
    if (rc != HC_OK) {
        http__problem_rc(req, rc, &d);
        return;
    }
    /* A decision is a few KiB; one with hundreds of convictions can be more. */
    for (;;) {
        char *mem = malloc(room);
        struct hc_buf b;
        if (mem == NULL) {
            http__problem_rc(req, HC_EIO, &d);
            return;
        }
        hc_buf_init(&b, mem, room);
        hc_render_json(w->cat, &c, &dec, &b);
        if (!b.full) {
            atomic_fetch_add_explicit(&w->metrics->decisions[review_outcome_rank(
                                          hc_outcome_name(dec.outcome)) & 3],
                                      1, memory_order_relaxed);
            http__respond(req, 200, "application/json", b.data, b.len);
            free(mem);
            return;
        }
        free(mem);
        room *= 4;
    }
}

/* GET /api/v1/audit/verify[?anchor=SEQ:HASH]: the chain, its head as an anchor to keep, and
 * whether an anchor taken earlier still holds (src/app/anchor.h). */
static void audit_verify(struct http_call *c)
{
    struct http_query_param qp[] = {{.name = "anchor"}};
    struct store_audit_report rep;
    struct hc_diag d;
    char hash[ANCHOR_HASH_HEX + 1], text[96];
    const char *why = NULL;
    int64_t aseq = 0;
    json_t *o, *an;
    int rc, held = 1;

    hc_diag_clear(&d);
    if ((rc = http__parse_query(c->req, qp, NKEYS(qp), &d)) != HC_OK ||
        (qp[0].present && (rc = anchor_parse(qp[0].value, &aseq, hash, &d)) != HC_OK)) {
        http__problem_rc(c->req, rc, &d);
        return;
    }
    rc = store_audit_verify(c->w->st, &rep);
    if (rc == HC_OK && qp[0].present) {
        hc_arena_reset(&c->w->arena);
        if ((held = anchor_check(c->w->st, aseq, hash, &c->w->arena, &why)) < 0)
            rc = held;
    }
    if (rc != HC_OK) {
        http__problem_rc(c->req, rc, &d);
        return;
    }
    o = json_object();
    json_object_set_new(o, "intact", json_boolean(rep.bad_seq == 0));
    json_object_set_new(o, "entries", json_integer(rep.entries));
    if (rep.bad_seq != 0) {
        json_object_set_new(o, "first_bad_seq", json_integer(rep.bad_seq));
        json_object_set_new(o, "reason", json_string(rep.reason));
    } else {
        json_object_set_new(o, "head", json_string(rep.head));
        if (rep.head[0]) {
            snprintf(text, sizeof text, "%" PRId64 ":%s", rep.entries, rep.head);
            json_object_set_new(o, "anchor", json_string(text));
        }
    }
    if (qp[0].present) {
        an = json_object();
        json_object_set_new(an, "seq", json_integer(aseq));
        json_object_set_new(an, "holds", json_boolean(held));
        if (!held)
            json_object_set_new(an, "reason", json_string(why));
        json_object_set_new(o, "anchor_check", an);
    }
    http__respond_json(c->req, 200, o);
}

static void healthz(h2o_req_t *req, struct http_worker *w)
{
    if (store_ping(w->st) == HC_OK) {
        static const char ok[] = "{\"status\":\"ok\"}";
        http__respond(req, 200, "application/json", ok, sizeof ok - 1);
    } else {
        http__problem(req, 503, "database unavailable", NULL);
    }
}

/* ------------------------------------------------------------------------------------------ */
/* Sessions                                                                                   */

static void set_cookie(struct http_call *c, const char *value, int max_age)
{
    char v[256];
    snprintf(v, sizeof v, "%s=%s; Path=/; Max-Age=%d; HttpOnly; SameSite=Strict%s",
             HTTP_SESSION_COOKIE, value, max_age, c->w->secure_cookie ? "; Secure" : "");
    h2o_add_header(&c->req->pool, &c->req->res.headers, H2O_TOKEN_SET_COOKIE, NULL,
                   h2o_strdup(&c->req->pool, v, SIZE_MAX).base, strlen(v));
}

/* One line on the server log per login attempt: the client's address, the name as given (its
 * control characters replaced, at most 64 bytes) and what happened. Never the password. */
static void login_log(h2o_req_t *req, const char *name, const char *what)
{
    char host[HTTP_CLIENT_TEXT_LEN], safe[65];
    size_t i;
    http__client_text(req, host);
    for (i = 0; name[i] != '\0' && i < sizeof safe - 1; i++)
        safe[i] = (unsigned char)name[i] < 0x20 || name[i] == 0x7f ? '?' : name[i];
    safe[i] = '\0';
    fprintf(stderr, "holdcheck: login of \"%s\" from %s %s\n", safe, host, what);
}

/* 429 for a login refused by the throttle (throttle.h), with Retry-After. */
static void login_throttled(h2o_req_t *req, int64_t wait)
{
    char v[24], detail[160];
    snprintf(v, sizeof v, "%" PRId64, wait);
    http__add_header(req, H2O_TOKEN_RETRY_AFTER, h2o_strdup(&req->pool, v, SIZE_MAX).base);
    snprintf(detail, sizeof detail, "too many failed logins for this name or from this address; "
             "retry in %" PRId64 " s", wait);
    http__problem(req, 429, detail, NULL);
}

static void h_session_create(struct http_call *c)
{
    static const char *const keys[] = {"name", "password"};
    struct store_user u;
    struct hc_diag d;
    const char *name, *pw;
    char secret[AUTH_SECRET_LEN], hash[AUTH_HASH_HEX_LEN], expires[21];
    json_t *root, *o;
    unsigned char addr[16];
    int64_t wait;
    time_t t;
    struct tm tm;
    int rc;

    hc_diag_clear(&d);
    hc_arena_reset(&c->w->arena);
    if ((root = http__parse_body(c->req, &d)) == NULL) {
        http__problem_rc(c->req, HC_EINVAL, &d);
        return;
    }
    if ((rc = http__check_keys(root, "", keys, NKEYS(keys), &d)) != HC_OK ||
        (rc = http__get_str(root, "", "name", 1, HC_USER_NAME_MAX, HTTP_K_TEXT, &name, &d)) != HC_OK ||
        (rc = http__get_str(root, "", "password", 1, 200, HTTP_K_TEXT, &pw, &d)) != HC_OK) {
        http__problem_rc(c->req, rc, &d);
        goto out;
    }
    http__client_key(c->req, addr);
    if ((wait = http_throttle_check(c->w->throttle, addr, name, http__now_ms() / 1000)) > 0) {
        login_log(c->req, name, "refused (throttled)");
        login_throttled(c->req, wait);
        goto out;
    }
    rc = store_user_get(c->w->st, name, &c->w->arena, &u);
    if (rc == HC_ENOENT) {
        /* Spend what a verification would, so the answer's timing does not tell which names
         * exist. */
        char waste[AUTH_PWHASH_LEN];
        auth_password_hash(pw, waste);
    }
    /* One answer for an unknown name, a wrong password and a disabled user. */
    if (rc == HC_ENOENT || (rc == HC_OK && (u.disabled || !auth_password_verify(u.password_hash,
                                                                                 pw)))) {
        wait = http_throttle_fail(c->w->throttle, addr, name, http__now_ms() / 1000);
        login_log(c->req, name, wait > 0 ? "failed; further attempts refused for a while"
                                         : "failed");
        http__add_header_str(c->req, "www-authenticate", "Bearer realm=\"holdcheck\"");
        http__problem(c->req, 401, "wrong name or password", NULL);
        goto out;
    }
    if (rc != HC_OK) {
        http__problem_rc(c->req, rc, &d);
        goto out;
    }
    auth_new_secret(secret);
    auth_secret_hash(secret, strlen(secret), hash);
    t = time(NULL) + c->w->session_seconds;
    gmtime_r(&t, &tm);
    strftime(expires, sizeof expires, "%Y-%m-%dT%H:%M:%SZ", &tm);
    if ((rc = store_session_add(c->w->st, u.id, hash, expires)) != HC_OK) {
        http__problem_rc(c->req, rc, &d);
        goto out;
    }
    http_throttle_ok(c->w->throttle, name);
    login_log(c->req, name, "succeeded");
    set_cookie(c, secret, c->w->session_seconds);
    o = json_object();
    json_object_set_new(o, "name", json_string(u.name));
    json_object_set_new(o, "role", json_string(u.role));
    json_object_set_new(o, "expires_at", json_string(expires));
    http__respond_json(c->req, 201, o);
out:
    json_decref(root);
}

static void h_session_delete(struct http_call *c)
{
    char secret[130], hash[AUTH_HASH_HEX_LEN];
    struct hc_diag d;
    json_t *o = json_object();
    int rc = HC_OK, had = http__session_cookie(c->req, secret, sizeof secret) == HC_OK;

    hc_diag_clear(&d);
    if (had) {
        auth_secret_hash(secret, strlen(secret), hash);
        rc = store_session_delete(c->w->st, hash);
        http__auth_forget(c->w);
    }
    if (rc != HC_OK) {
        json_decref(o);
        http__problem_rc(c->req, rc, &d);
        return;
    }
    set_cookie(c, "", 0);
    json_object_set_new(o, "ended", json_boolean(had));
    http__respond_json(c->req, 200, o);
}

static void h_session_get(struct http_call *c)
{
    json_t *o = json_object();
    json_object_set_new(o, "name", json_string(c->who.name));
    json_object_set_new(o, "role", json_string(auth_role_name(c->who.role)));
    json_object_set_new(o, "via", json_string(c->who.via_cookie ? "cookie" : "token"));
    http__respond_json(c->req, 200, o);
}

/* ------------------------------------------------------------------------------------------ */
/* Requests: list, read, re-decide, override                                                  */

static json_t *request_json(const struct store_request *q)
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
    json_object_set_new(e, "outcome", http__jstr(q->outcome));
    return e;
}

static void h_requests_list(struct http_call *c)
{
    struct http_query_param p[] = {{"type", "", 0},    {"outcome", "", 0}, {"from", "", 0},
                              {"to", "", 0},      {"booking_no", "", 0}, {"limit", "", 0},
                              {"cursor", "", 0},  {"offset", "", 0}};
    struct store_request_filter f;
    struct store_request_item *items = NULL;
    struct hc_diag d;
    size_t n = 0, i;
    int64_t v;
    hc_day day;
    json_t *o, *arr;
    int rc = HC_OK;

    hc_diag_clear(&d);
    hc_arena_reset(&c->w->arena);
    memset(&f, 0, sizeof f);
    f.limit = 100;
    if ((rc = http__parse_query(c->req, p, NKEYS(p), &d)) != HC_OK)
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
    for (i = 2; i <= 3; i++) {
        if (!p[i].present)
            continue;
        if (hc_date_parse(p[i].value, strlen(p[i].value), &day) != 0) {
            rc = hc_diag_set(&d, p[i].name, "expected a date YYYY-MM-DD", NULL);
            goto out;
        }
        if (i == 2)
            f.from = p[i].value;
        else
            f.to = p[i].value;
    }
    if (p[4].present) {
        if (!valid_booking_no(p[4].value, strlen(p[4].value))) {
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
    if ((rc = store_request_list(c->w->st, &f, &c->w->arena, &items, &n)) != HC_OK)
        goto out;
    o = json_object();
    arr = json_array();
    for (i = 0; i < n; i++) {
        json_t *e = request_json(&items[i].req);
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
}

static void h_request_get(struct http_call *c)
{
    struct store_request_detail r;
    struct hc_diag d;
    int64_t id = http__param_id(c);
    json_t *o, *decs, *ovrs;
    const char *effective;
    size_t i;
    int rc;

    if (id == 0)
        return;
    hc_diag_clear(&d);
    hc_arena_reset(&c->w->arena);
    rc = store_request_get(c->w->st, id, &c->w->arena, &r);
    if (rc == HC_ENOENT)
        hc_diag_set(&d, "id", "no such request", NULL);
    if (rc != HC_OK) {
        http__problem_rc(c->req, rc, &d);
        return;
    }
    o = request_json(&r.req);
    json_object_set_new(o, "booking_no", http__jstr(r.booking_no));
    decs = json_array();
    for (i = 0; i < r.ndec; i++) {
        json_t *e = json_object(), *dj = json_loads(r.dec[i].decision_json, 0, NULL);
        json_object_set_new(e, "id", json_integer(r.dec[i].id));
        json_object_set_new(e, "version", json_integer(r.dec[i].version));
        json_object_set_new(e, "outcome", http__jstr(r.dec[i].outcome));
        json_object_set_new(e, "ruleset", http__jstr(r.dec[i].ruleset));
        json_object_set_new(e, "decided_at", http__jstr(r.dec[i].decided_at));
        json_object_set_new(e, "decided_by", http__jstr(r.dec[i].decided_by));
        json_object_set_new(e, "decision", dj ? dj : json_null());
        json_array_append_new(decs, e);
    }
    /* The outcome to act on: the newest decision, or the most restrictive override of it. */
    effective = r.ndec ? r.dec[r.ndec - 1].outcome : NULL;
    ovrs = json_array();
    for (i = 0; i < r.novr; i++) {
        json_t *e = json_object();
        json_object_set_new(e, "id", json_integer(r.ovr[i].id));
        json_object_set_new(e, "decision_id", json_integer(r.ovr[i].decision_id));
        json_object_set_new(e, "outcome", http__jstr(r.ovr[i].outcome));
        json_object_set_new(e, "reason", http__jstr(r.ovr[i].reason));
        json_object_set_new(e, "created_at", http__jstr(r.ovr[i].created_at));
        json_object_set_new(e, "created_by", http__jstr(r.ovr[i].created_by));
        json_array_append_new(ovrs, e);
        if (r.ndec && r.ovr[i].decision_id == r.dec[r.ndec - 1].id &&
            review_outcome_rank(r.ovr[i].outcome) > review_outcome_rank(effective))
            effective = r.ovr[i].outcome;
    }
    json_object_set_new(o, "effective_outcome", http__jstr(effective));
    json_object_set_new(o, "decisions", decs);
    json_object_set_new(o, "overrides", ovrs);
    http__respond_json(c->req, 200, o);
}

static void h_redecide(struct http_call *c)
{
    struct intake_result res;
    struct hc_diag d;
    int64_t id = http__param_id(c);
    char loc[80];
    int rc;

    if (id == 0)
        return;
    hc_diag_clear(&d);
    rc = intake_redecide(c->w->st, c->w->cat, id, c->who.name, &c->w->arena, &res, &d);
    if (rc != HC_OK) {
        http__problem_rc(c->req, rc, &d);
        return;
    }
    snprintf(loc, sizeof loc, "/api/v1/requests/%lld", (long long)id);
    http__add_header(c->req, H2O_TOKEN_LOCATION, loc);
    count_decision(c->w, res.decision_json);
    http__respond(c->req, 201, "application/json", res.decision_json, res.decision_len);
    free(res.decision_json);
}

static void h_override(struct http_call *c)
{
    static const char *const keys[] = {"outcome", "reason"};
    struct hc_diag d;
    const char *outcome, *why;
    int64_t id = http__param_id(c), oid = 0;
    json_t *root, *o;
    char loc[80];
    int rc;

    if (id == 0)
        return;
    hc_diag_clear(&d);
    if ((root = http__parse_body(c->req, &d)) == NULL) {
        http__problem_rc(c->req, HC_EINVAL, &d);
        return;
    }
    if ((rc = http__check_keys(root, "", keys, NKEYS(keys), &d)) == HC_OK &&
        (rc = http__get_str(root, "", "outcome", 1, 40, HTTP_K_TEXT, &outcome, &d)) == HC_OK &&
        (rc = http__get_str(root, "", "reason", 1, 2000, HTTP_K_TEXT, &why, &d)) == HC_OK)
        rc = review_override(c->w->st, id, outcome, why, c->who.name, &c->w->arena, &oid, &d);
    if (rc != HC_OK) {
        http__problem_rc(c->req, rc, &d);
    } else {
        o = json_object();
        json_object_set_new(o, "id", json_integer(oid));
        json_object_set_new(o, "request_id", json_integer(id));
        json_object_set_new(o, "outcome", json_string(outcome));
        json_object_set_new(o, "reason", json_string(why));
        json_object_set_new(o, "created_by", json_string(c->who.name));
        snprintf(loc, sizeof loc, "/api/v1/requests/%lld", (long long)id);
        http__add_header(c->req, H2O_TOKEN_LOCATION, loc);
        http__respond_json(c->req, 201, o);
    }
    json_decref(root);
}

/* ------------------------------------------------------------------------------------------ */
/* Audit log, agency settings, users                                                          */

static void h_audit_list(struct http_call *c)
{
    struct http_query_param p[] = {{"after", "", 0}, {"limit", "", 0}};
    struct store_audit_entry *e = NULL;
    struct hc_diag d;
    int64_t after = 0, limit = 100;
    size_t n = 0;
    json_t *o, *arr;
    int rc;

    hc_diag_clear(&d);
    hc_arena_reset(&c->w->arena);
    if ((rc = http__parse_query(c->req, p, NKEYS(p), &d)) != HC_OK ||
        (p[0].present && (rc = http__query_int(&p[0], 0, INT64_MAX / 2, &after, &d)) != HC_OK) ||
        (p[1].present && (rc = http__query_int(&p[1], 1, 500, &limit, &d)) != HC_OK) ||
        (rc = store_audit_list(c->w->st, after, (int)limit, &c->w->arena, &e, &n)) != HC_OK) {
        http__problem_rc(c->req, rc, &d);
        return;
    }
    o = json_object();
    arr = http__audit_entries_json(e, n);
    json_object_set_new(o, "entries", arr);
    json_object_set_new(o, "next_after", n == (size_t)limit ? json_integer(e[n - 1].seq)
                                                            : json_null());
    http__respond_json(c->req, 200, o);
}

static json_t *settings_json(const struct store_agency *ag)
{
    json_t *o = json_object(), *pol = json_loads(ag->policy_json ? ag->policy_json : "{}", 0,
                                                 NULL);
    json_object_set_new(o, "release_dates_public", json_boolean(ag->release_dates_public));
    json_object_set_new(o, "personal_info_public", json_boolean(ag->personal_info_public));
    json_object_set_new(o, "policy", pol ? pol : json_object());
    return o;
}

static void h_settings_get(struct http_call *c)
{
    struct store_agency ag;
    struct hc_diag d;
    int rc;
    hc_diag_clear(&d);
    hc_arena_reset(&c->w->arena);
    if ((rc = store_agency_get(c->w->st, &c->w->arena, &ag)) != HC_OK) {
        http__problem_rc(c->req, rc, &d);
        return;
    }
    http__respond_json(c->req, 200, settings_json(&ag));
}

/* Check a policy object the way a decision will read it: through the case reader. */
static int check_policy(struct http_call *c, json_t *pol, struct hc_diag *d)
{
    json_t *cs = json_pack("{s:s, s:{s:s}, s:{s:[]}, s:{s:O}}", "as_of", "2024-01-01", "request",
                           "type", "notification", "person", "convictions", "agency", "policy",
                           pol);
    char *text = cs ? json_dumps(cs, JSON_COMPACT) : NULL;
    struct hc_case hc;
    struct hc_diag cd;
    size_t pos = 0;
    int rc = HC_ENOMEM;
    json_decref(cs);
    if (text == NULL)
        return rc;
    hc_diag_clear(&cd);
    hc_arena_reset(&c->w->arena);
    rc = hc_case_read(text, strlen(text), &pos, 1, &hc, &c->w->arena, &cd);
    free(text);
    if (rc != HC_OK) {
        const char *f = strncmp(cd.field, "agency.", 7) == 0 ? cd.field + 7 : "policy";
        return hc_diag_set(d, f, cd.msg, NULL);
    }
    return HC_OK;
}

static void h_settings_put(struct http_call *c)
{
    static const char *const keys[] = {"release_dates_public", "personal_info_public", "policy"};
    struct store_agency ag;
    struct hc_diag d;
    json_t *root, *pol;
    char *ptext = NULL;
    size_t i;
    int rc;

    hc_diag_clear(&d);
    if ((root = http__parse_body(c->req, &d)) == NULL) {
        http__problem_rc(c->req, HC_EINVAL, &d);
        return;
    }
    memset(&ag, 0, sizeof ag);
    if ((rc = http__check_keys(root, "", keys, NKEYS(keys), &d)) != HC_OK)
        goto out;
    for (i = 0; i < NKEYS(keys); i++)
        if (json_object_get(root, keys[i]) == NULL) {
            rc = hc_diag_set(&d, keys[i], "required (PUT replaces all settings)", NULL);
            goto out;
        }
    if ((rc = http__get_bool(root, "", "release_dates_public", 0, &ag.release_dates_public, &d)) ||
        (rc = http__get_bool(root, "", "personal_info_public", 0, &ag.personal_info_public, &d)))
        goto out;
    pol = json_object_get(root, "policy");
    if (!json_is_object(pol)) {
        rc = hc_diag_set(&d, "policy", "expected an object: request type -> policy name", NULL);
        goto out;
    }
    if ((rc = check_policy(c, pol, &d)) != HC_OK)
        goto out;
    ptext = json_dumps(pol, JSON_COMPACT | JSON_SORT_KEYS);
    if (ptext == NULL) {
        rc = HC_ENOMEM;
        goto out;
    }
    ag.policy_json = ptext;
    if ((rc = store_agency_set(c->w->st, &ag, c->who.name)) != HC_OK)
        goto out;
    http__respond_json(c->req, 200, settings_json(&ag));
out:
    if (rc != HC_OK)
        http__problem_rc(c->req, rc, &d);
    free(ptext);
    json_decref(root);
}

static void h_users_list(struct http_call *c)
{
    struct store_user *u = NULL;
    struct hc_diag d;
    size_t n = 0, i;
    json_t *o, *arr;
    int rc;
    hc_diag_clear(&d);
    hc_arena_reset(&c->w->arena);
    if ((rc = store_user_list(c->w->st, &c->w->arena, &u, &n)) != HC_OK) {
        http__problem_rc(c->req, rc, &d);
        return;
    }
    o = json_object();
    arr = json_array();
    for (i = 0; i < n; i++) {
        json_t *e = json_object();
        json_object_set_new(e, "name", http__jstr(u[i].name));
        json_object_set_new(e, "role", http__jstr(u[i].role));
        json_object_set_new(e, "created_at", http__jstr(u[i].created_at));
        json_object_set_new(e, "disabled", json_boolean(u[i].disabled));
        json_array_append_new(arr, e);
    }
    json_object_set_new(o, "users", arr);
    http__respond_json(c->req, 200, o);
}

static void h_users_create(struct http_call *c)
{
    static const char *const keys[] = {"name", "role"};
    struct store_user u;
    struct hc_diag d;
    const char *name, *role;
    char pw[AUTH_PASSWORD_LEN], pwhash[AUTH_PWHASH_LEN], tok[AUTH_SECRET_LEN];
    char thash[AUTH_HASH_HEX_LEN];
    int64_t id = 0;
    json_t *root, *o;
    int rc;

    hc_diag_clear(&d);
    if ((root = http__parse_body(c->req, &d)) == NULL) {
        http__problem_rc(c->req, HC_EINVAL, &d);
        return;
    }
    if ((rc = http__check_keys(root, "", keys, NKEYS(keys), &d)) != HC_OK ||
        (rc = http__get_str(root, "", "name", 1, HC_USER_NAME_MAX, HTTP_K_TEXT, &name, &d)) != HC_OK ||
        (rc = http__get_str(root, "", "role", 1, 20, HTTP_K_TEXT, &role, &d)) != HC_OK)
        goto out;
    if (!hc_user_name_valid(name, strlen(name))) {
        rc = hc_diag_set(&d, "name", "use 1-64 letters, digits, '.', '_', '-' or '@'", NULL);
        goto out;
    }
    if (auth_role_from_name(role) == 0) {
        rc = hc_diag_set(&d, "role", "expected clerk, supervisor, auditor or admin", NULL);
        goto out;
    }
    auth_new_password(pw);
    auth_new_secret(tok);
    auth_secret_hash(tok, strlen(tok), thash);
    if ((rc = auth_password_hash(pw, pwhash)) != HC_OK)
        goto out;
    memset(&u, 0, sizeof u);
    u.name = name;
    u.role = role;
    u.password_hash = pwhash;
    if ((rc = store_begin(c->w->st)) != HC_OK)
        goto out;
    if ((rc = store_user_add(c->w->st, &u, c->who.name, &id)) != HC_OK ||
        (rc = store_token_add(c->w->st, id, thash, c->who.name)) != HC_OK ||
        (rc = store_commit(c->w->st)) != HC_OK) {
        store_rollback(c->w->st);
        if (rc == STORE_ECONFLICT)
            hc_diag_set(&d, "name", "a user with this name already exists", NULL);
        goto out;
    }
    o = json_object();
    json_object_set_new(o, "name", json_string(name));
    json_object_set_new(o, "role", json_string(role));
    json_object_set_new(o, "password", json_string(pw));
    json_object_set_new(o, "token", json_string(tok));
    http__respond_json(c->req, 201, o);
out:
    if (rc != HC_OK)
        http__problem_rc(c->req, rc, &d);
    sodium_memzero(pw, sizeof pw);
    sodium_memzero(tok, sizeof tok);
    json_decref(root);
}


/* The user name of the path, or NULL after answering 400. */
static const char *param_user(struct http_call *c)
{
    if (c->param_len >= sizeof c->param || !hc_user_name_valid(c->param, strlen(c->param))) {
        http__problem(c->req, 400, "bad user name", "name");
        return NULL;
    }
    return c->param;
}

/* After a change to a user's credentials (rc): on success forget every worker's cached
 * credentials at once and return 1; otherwise answer (404 naming "name" when there is no such
 * user) and return 0. */
static int user_changed(struct http_call *c, int rc)
{
    struct hc_diag d;
    hc_diag_clear(&d);
    if (rc == HC_OK) {
        http__auth_forget(c->w);
        return 1;
    }
    if (rc == HC_ENOENT)
        hc_diag_set(&d, "name", "no such user", NULL);
    http__problem_rc(c->req, rc, &d);
    return 0;
}

static void h_user_disable(struct http_call *c)
{
    const char *name = param_user(c);
    json_t *o;
    if (name == NULL || !user_changed(c, store_user_disable(c->w->st, name, c->who.name)))
        return;
    o = json_object();
    json_object_set_new(o, "name", json_string(name));
    json_object_set_new(o, "disabled", json_true());
    http__respond_json(c->req, 200, o);
}

/* Answer a user_reset's outcome (user_changed), with what was done: the generated password
 * when there is one, tokens revoked unless tokens < 0, sessions ended. */
static void respond_reset(struct http_call *c, int rc, const char *name, const char *password,
                          int64_t tokens, int64_t sessions)
{
    json_t *o;
    if (!user_changed(c, rc))
        return;
    o = json_object();
    json_object_set_new(o, "name", json_string(name));
    if (password != NULL)
        json_object_set_new(o, "password", json_string(password));
    if (tokens >= 0)
        json_object_set_new(o, "tokens_revoked", json_integer(tokens));
    json_object_set_new(o, "sessions_ended", json_integer(sessions));
    http__respond_json(c->req, 200, o);
}

/* An admin replaces a user's password with a generated one, shown once. */
static void h_user_password(struct http_call *c)
{
    const char *name = param_user(c);
    char pw[AUTH_PASSWORD_LEN], hash[AUTH_PWHASH_LEN];
    int64_t tokens = 0, sessions = 0;
    int rc;
    if (name == NULL)
        return;
    auth_new_password(pw);
    if ((rc = auth_password_hash(pw, hash)) == HC_OK)
        rc = store_user_reset(c->w->st, name, hash, 0, c->who.name, &tokens, &sessions);
    respond_reset(c, rc, name, pw, -1, sessions);
}

/* An admin revokes every API token of a user (and ends their sessions). */
static void h_user_revoke(struct http_call *c)
{
    const char *name = param_user(c);
    int64_t tokens = 0, sessions = 0;
    int rc;
    if (name == NULL)
        return;
    rc = store_user_reset(c->w->st, name, NULL, 1, c->who.name, &tokens, &sessions);
    respond_reset(c, rc, name, NULL, tokens, sessions);
}

/* A user changes their own password: the current one is checked (a wrong one counts as a failed
 * login for the throttle), the new one must be 12-200 bytes and differ, and every session of
 * theirs ends, this one included (the cookie is cleared). API tokens stay. */
static void h_session_password(struct http_call *c)
{
    static const char *const keys[] = {"current_password", "new_password"};
    const char *cur, *nw;
    char hash[AUTH_PWHASH_LEN];
    unsigned char addr[16];
    struct store_user u;
    struct hc_diag d;
    int64_t tokens = 0, sessions = 0, wait;
    json_t *root;
    int rc;

    hc_diag_clear(&d);
    hc_arena_reset(&c->w->arena);
    if ((root = http__parse_body(c->req, &d)) == NULL) {
        http__problem_rc(c->req, HC_EINVAL, &d);
        return;
    }
    if ((rc = http__check_keys(root, "", keys, NKEYS(keys), &d)) != HC_OK ||
        (rc = http__get_str(root, "", "current_password", 1, 200, HTTP_K_TEXT, &cur, &d)) != HC_OK ||
        (rc = http__get_str(root, "", "new_password", 1, 200, HTTP_K_TEXT, &nw, &d)) != HC_OK)
        goto fail;
    if (strlen(nw) < 12) {
        rc = hc_diag_set(&d, "new_password", "use at least 12 characters", NULL);
        goto fail;
    }
    if (strcmp(nw, cur) == 0) {
        rc = hc_diag_set(&d, "new_password", "the same as the current password", NULL);
        goto fail;
    }
    http__client_key(c->req, addr);
    if ((wait = http_throttle_check(c->w->throttle, addr, c->who.name, http__now_ms() / 1000)) > 0) {
        login_log(c->req, c->who.name, "password change refused (throttled)");
        login_throttled(c->req, wait);
        goto out;
    }
    if ((rc = store_user_get(c->w->st, c->who.name, &c->w->arena, &u)) != HC_OK)
        goto fail;
    if (!auth_password_verify(u.password_hash, cur)) {
        http_throttle_fail(c->w->throttle, addr, c->who.name, http__now_ms() / 1000);
        login_log(c->req, c->who.name, "password change: wrong current password");
        rc = hc_diag_set(&d, "current_password", "wrong password", NULL);
        http__problem(c->req, 403, d.msg, d.field);
        goto out;
    }
    if ((rc = auth_password_hash(nw, hash)) != HC_OK ||
        (rc = store_user_reset(c->w->st, c->who.name, hash, 0, c->who.name, &tokens,
                               &sessions)) != HC_OK)
        goto fail;
    login_log(c->req, c->who.name, "password changed");
    set_cookie(c, "", 0);
    respond_reset(c, HC_OK, c->who.name, NULL, -1, sessions);
    goto out;
fail:
    http__problem_rc(c->req, rc, &d);
out:
    json_decref(root);
}

/* ------------------------------------------------------------------------------------------ */
/* Adapters for the first slice's handlers, metrics, OpenAPI                                  */

/* The booking number of the path, or NULL after answering 400. */
static const char *param_booking_no(struct http_call *c)
{
    if (c->param_len >= sizeof c->param || !valid_booking_no(c->param, c->param_len)) {
        http__problem(c->req, 400, "bad booking number: use 1-40 letters, digits, '-', '_' or '.'",
                "booking_no");
        return NULL;
    }
    return c->param;
}

static void h_healthz(struct http_call *c) { healthz(c->req, c->w); }
static void h_decide(struct http_call *c) { decide(c->req, c->w); }
static void h_booking_create(struct http_call *c) { booking_create(c->req, c->w, c->who.name); }
static void h_audit_verify(struct http_call *c) { audit_verify(c); }

static void h_booking_get(struct http_call *c)
{
    const char *no = param_booking_no(c);
    if (no != NULL)
        booking_get(c, no);
}

static void h_request_create(struct http_call *c)
{
    const char *no = param_booking_no(c);
    if (no != NULL)
        request_create(c->req, c->w, no, c->who.name);
}

/* ------------------------------------------------------------------------------------------ */
/* The court record after booking: charges added and disposed of, a magistrate's finding,
 * convictions added and reduced. Stored decisions stay as they were; re-decide a request to
 * apply the new record. */

static const char *const charge_patch_keys[] = {"status", "level", "magistrate_probable_cause"};
static const char *const conviction_patch_keys[] = {"level", "prop47_reduced",
                                                    "federal_aggravated_felony"};

/* Answer with booking no's record exactly as GET /api/v1/bookings/{no} gives it. */
static void respond_booking(struct http_call *c, int status, const char *no)
{
    struct store_record r;
    struct hc_diag d;
    int rc;
    hc_diag_clear(&d);
    hc_arena_reset(&c->w->arena);
    if ((rc = store_record_get(c->w->st, no, &c->w->arena, &r)) != HC_OK) {
        http__problem_rc(c->req, rc, &d);
        return;
    }
    respond_record(c->req, c->w, status, &r, NULL, 0);
}

/* A body that must name at least one of keys, all of them allowed; NULL after answering. */
static json_t *patch_body(struct http_call *c, const char *const *keys, size_t n)
{
    struct hc_diag d;
    json_t *root;
    char msg[160];
    size_t i, len = 0;
    hc_diag_clear(&d);
    if ((root = http__parse_body(c->req, &d)) == NULL ||
        http__check_keys(root, "", keys, n, &d) != HC_OK) {
        http__problem_rc(c->req, HC_EINVAL, &d);
        json_decref(root);
        return NULL;
    }
    if (json_object_size(root) > 0)
        return root;
    len = (size_t)snprintf(msg, sizeof msg, "nothing to change: give at least one of");
    for (i = 0; i < n && len < sizeof msg; i++)
        len += (size_t)snprintf(msg + len, sizeof msg - len, "%s %s", i ? "," : "", keys[i]);
    http__problem(c->req, 400, msg, "");
    json_decref(root);
    return NULL;
}

static void h_charge_add(struct http_call *c)
{
    const char *no = param_booking_no(c);
    struct store_charge ch;
    struct hc_diag d;
    json_t *root;
    int64_t id = 0;
    char loc[sizeof "/api/v1/bookings/" + sizeof c->param];
    int rc;

    if (no == NULL)
        return;
    hc_diag_clear(&d);
    if ((root = http__parse_body(c->req, &d)) == NULL) {
        http__problem_rc(c->req, HC_EINVAL, &d);
        return;
    }
    memset(&ch, 0, sizeof ch);
    if ((rc = decode_charge(root, "", &ch, &d)) == HC_OK)
        rc = store_charge_add(c->w->st, no, &ch, c->who.name, &id, &d);
    if (rc != HC_OK) {
        http__problem_rc(c->req, rc, &d);
    } else {
        snprintf(loc, sizeof loc, "/api/v1/bookings/%s", no);
        http__add_header(c->req, H2O_TOKEN_LOCATION, loc);
        respond_booking(c, 201, no);
    }
    json_decref(root);
}

static void h_charge_patch(struct http_call *c)
{
    int64_t id = http__param_id(c);
    struct store_charge_patch p;
    struct store_court_change out;
    struct hc_diag d;
    json_t *root;
    int rc = HC_OK, mpc;

    if (id == 0 || (root = patch_body(c, charge_patch_keys, NKEYS(charge_patch_keys))) == NULL)
        return;
    hc_diag_clear(&d);
    memset(&p, 0, sizeof p);
    if (json_object_get(root, "status") != NULL) {
        p.set |= STORE_CHG_STATUS;
        rc = http__get_str(root, "", "status", 1, 16, HTTP_K_CHARGE_STATUS, &p.status, &d);
    }
    if (rc == HC_OK && json_object_get(root, "level") != NULL) {
        p.set |= STORE_CHG_LEVEL; /* null clears: the level is not known */
        rc = http__get_str(root, "", "level", 0, 16, HTTP_K_LEVEL, &p.level, &d);
    }
    if (rc == HC_OK && json_object_get(root, "magistrate_probable_cause") != NULL) {
        p.set |= STORE_CHG_MAGISTRATE;
        rc = http__get_bool(root, "", "magistrate_probable_cause", 1, &mpc, &d);
        if (rc == HC_OK && mpc < 0)
            rc = hc_diag_set(&d, "magistrate_probable_cause", "expected true or false", NULL);
        p.magistrate_probable_cause = mpc;
    }
    if (rc == HC_OK)
        rc = store_charge_update(c->w->st, id, &p, c->who.name, &out, &d);
    if (rc != HC_OK)
        http__problem_rc(c->req, rc, &d);
    else
        respond_booking(c, 200, out.booking_no);
    json_decref(root);
}

/* The conviction as the answer of its POST and PATCH: its id, its person and whether a PATCH
 * changed anything; the person's whole record is GET /api/v1/people/{id}. */
static void respond_conviction(struct http_call *c, int status, int64_t id, int64_t person_id,
                               int changed)
{
    json_t *o = json_object();
    char loc[64];
    json_object_set_new(o, "id", json_integer(id));
    json_object_set_new(o, "person_id", json_integer(person_id));
    if (changed >= 0)
        json_object_set_new(o, "changed", json_boolean(changed));
    snprintf(loc, sizeof loc, "/api/v1/people/%" PRId64, person_id);
    http__add_header(c->req, H2O_TOKEN_LOCATION, loc);
    http__respond_json(c->req, status, o);
}

static void h_conviction_add(struct http_call *c)
{
    int64_t pid = http__param_id(c), id = 0;
    struct store_conviction cv;
    struct hc_diag d;
    json_t *root;
    int rc;

    if (pid == 0)
        return;
    hc_diag_clear(&d);
    if ((root = http__parse_body(c->req, &d)) == NULL) {
        http__problem_rc(c->req, HC_EINVAL, &d);
        return;
    }
    memset(&cv, 0, sizeof cv);
    if ((rc = decode_conviction(root, "", &cv, &d)) == HC_OK)
        rc = store_conviction_add(c->w->st, pid, &cv, c->who.name, &id, &d);
    if (rc == HC_ENOENT && strcmp(d.field, "person_id") == 0)
        hc_diag_set(&d, "id", "no such person", NULL);
    if (rc != HC_OK)
        http__problem_rc(c->req, rc, &d);
    else
        respond_conviction(c, 201, id, pid, -1);
    json_decref(root);
}

static void h_conviction_patch(struct http_call *c)
{
    int64_t id = http__param_id(c);
    struct store_conviction_patch p;
    struct store_court_change out;
    struct hc_diag d;
    json_t *root;
    int rc = HC_OK;

    if (id == 0 ||
        (root = patch_body(c, conviction_patch_keys, NKEYS(conviction_patch_keys))) == NULL)
        return;
    hc_diag_clear(&d);
    memset(&p, 0, sizeof p);
    if (json_object_get(root, "level") != NULL) {
        p.set |= STORE_CONV_LEVEL;
        rc = http__get_str(root, "", "level", 0, 16, HTTP_K_LEVEL, &p.level, &d);
    }
    if (rc == HC_OK && json_object_get(root, "prop47_reduced") != NULL) {
        p.set |= STORE_CONV_PROP47; /* null: not known */
        rc = http__get_bool(root, "", "prop47_reduced", 1, &p.prop47_reduced, &d);
    }
    if (rc == HC_OK && json_object_get(root, "federal_aggravated_felony") != NULL) {
        p.set |= STORE_CONV_AGG; /* null: not known */
        rc = decode_agg(root, "", &p.federal_aggravated_felony, &d);
    }
    if (rc == HC_OK)
        rc = store_conviction_update(c->w->st, id, &p, c->who.name, &out, &d);
    if (rc != HC_OK)
        http__problem_rc(c->req, rc, &d);
    else
        respond_conviction(c, 200, id, out.person_id, out.changed);
    json_decref(root);
}

static void h_openapi(struct http_call *c)
{
    http__respond(c->req, 200, "application/json", (const char *)http_openapi[0].data,
                  http_openapi[0].len);
}

/* ------------------------------------------------------------------------------------------ */
/* This file's routes: method, path, the roles allowed to use it, handler                     */


const struct http_route http_api_routes[] = {
    {"GET", "/healthz", HTTP_ANYONE, HTTP_BODY_NONE, h_healthz},
        {"GET", "/api/v1/openapi.json", HTTP_ANYONE, HTTP_BODY_NONE, h_openapi},
    {"POST", "/api/v1/decide", HTTP_ANYONE, HTTP_BODY_JSON, h_decide},
    {"POST", "/api/v1/session", HTTP_ANYONE, HTTP_BODY_JSON, h_session_create},
    {"GET", "/api/v1/session", HTTP_READERS, HTTP_BODY_NONE, h_session_get},
    {"DELETE", "/api/v1/session", HTTP_ANYONE, HTTP_BODY_NONE, h_session_delete},
    {"POST", "/api/v1/bookings", HTTP_WRITERS, HTTP_BODY_JSON, h_booking_create},
    {"GET", "/api/v1/bookings/{booking_no}", HTTP_READERS, HTTP_BODY_NONE, h_booking_get},
    {"POST", "/api/v1/bookings/{booking_no}/requests", HTTP_WRITERS, HTTP_BODY_JSON, h_request_create},
    {"GET", "/api/v1/requests", HTTP_READERS, HTTP_BODY_NONE, h_requests_list},
    {"GET", "/api/v1/requests/{id}", HTTP_READERS, HTTP_BODY_NONE, h_request_get},
    {"POST", "/api/v1/requests/{id}/redecide", HTTP_WRITERS, HTTP_BODY_EMPTY, h_redecide},
    {"POST", "/api/v1/requests/{id}/override", AUTH_SUPERVISOR | AUTH_ADMIN, HTTP_BODY_JSON,
     h_override},
    {"GET", "/api/v1/audit", AUTH_AUDITOR | AUTH_ADMIN, HTTP_BODY_NONE, h_audit_list},
    {"GET", "/api/v1/audit/verify", AUTH_SUPERVISOR | AUTH_AUDITOR | AUTH_ADMIN, HTTP_BODY_NONE,
     h_audit_verify},
    {"GET", "/api/v1/agency/settings", AUTH_ADMIN, HTTP_BODY_NONE, h_settings_get},
    {"PUT", "/api/v1/agency/settings", AUTH_ADMIN, HTTP_BODY_JSON, h_settings_put},
    {"GET", "/api/v1/users", AUTH_ADMIN, HTTP_BODY_NONE, h_users_list},
    {"POST", "/api/v1/users", AUTH_ADMIN, HTTP_BODY_JSON, h_users_create},
    {"POST", "/api/v1/users/{name}/disable", AUTH_ADMIN, HTTP_BODY_EMPTY, h_user_disable},
    {"POST", "/api/v1/users/{name}/password", AUTH_ADMIN, HTTP_BODY_EMPTY, h_user_password},
    {"POST", "/api/v1/users/{name}/revoke", AUTH_ADMIN, HTTP_BODY_EMPTY, h_user_revoke},
    {"PUT", "/api/v1/session/password", HTTP_READERS, HTTP_BODY_JSON, h_session_password},
    {"POST", "/api/v1/bookings/{booking_no}/charges", HTTP_WRITERS, HTTP_BODY_JSON, h_charge_add},
    {"PATCH", "/api/v1/charges/{id}", HTTP_WRITERS, HTTP_BODY_JSON, h_charge_patch},
    {"POST", "/api/v1/people/{id}/convictions", HTTP_WRITERS, HTTP_BODY_JSON, h_conviction_add},
    {"PATCH", "/api/v1/convictions/{id}", HTTP_WRITERS, HTTP_BODY_JSON, h_conviction_patch},
};
const size_t http_api_nroutes = sizeof http_api_routes / sizeof http_api_routes[0];

