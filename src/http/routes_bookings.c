/* SPDX-License-Identifier: MIT
 * routes_bookings.c: custody records: a booking created with its person and charges, a
 * booking's record read (through the shared answer cache: docs/server.md), and changes to its
 * custody facts (PATCH: status, release, facility, scheduled release, bail, next court date;
 * the store raises the events subscribers are told of and queues their deliveries in the same
 * transaction). */
#include <h2o.h>
#include <inttypes.h>
#include <jansson.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "booking.h"
#include "case.h"
#include "clock.h"
#include "http_int.h"
#include "routes.h"
#include "ident.h"
#include "portal.h"
#include "publish.h"
#include "records.h"

#define NAME_MAX_LEN 200
#define TEXT_MAX_LEN 200

static const char *const booking_keys[] = {
    "booking_no", "booked_at", "facility", "status", "scheduled_release", "released_at",
    "release_reason", "person_id", "person", "charges",
};
static const char *const person_keys[] = {
    "name", "date_of_birth", "local_id", "registrant_290", "convictions",
};

/* Decodes one element of a body's array (o at path) into *out. */
typedef int (*decode_elem_fn)(json_t *o, const char *path, void *out, struct hc_diag *d);

static int decode_conviction_elem(json_t *o, const char *path, void *out, struct hc_diag *d)
{
    return http__decode_conviction(o, path, out, d);
}

static int decode_charge_elem(json_t *o, const char *path, void *out, struct hc_diag *d)
{
    return http__decode_charge(o, path, out, d);
}

/* Decode every element of arr (NULL or empty: none) with decode into a zeroed array of elements
 * of size bytes from a, element i named "path[i]" in errors. *out and *n (OUT) get the array,
 * left alone when there is none. */
static int decode_each(json_t *arr, const char *path, size_t size, decode_elem_fn decode,
                       struct hc_arena *a, void **out, size_t *n, struct hc_diag *d)
{
    unsigned char *elems;
    json_t *v;
    size_t i;
    int rc;
    if (arr == NULL || json_array_size(arr) == 0)
        return HC_OK;
    if ((elems = hc_arena_zalloc(a, json_array_size(arr) * size)) == NULL)
        return HC_ENOMEM;
    json_array_foreach(arr, i, v) {
        char f[64];
        snprintf(f, sizeof f, "%s[%zu]", path, i);
        if ((rc = decode(v, f, elems + i * size, d)) != HC_OK)
            return rc;
    }
    *out = elems;
    *n = json_array_size(arr);
    return HC_OK;
}

/* Decode a booking body into *b; arrays come from a, strings stay in root. */
static int decode_booking(json_t *root, struct hc_arena *a, struct store_booking_new *b,
                          struct hc_diag *d)
{
    struct store_booking *bk = &b->booking;
    json_t *person, *pid, *arr;
    void *elems = NULL;
    int rc;

    memset(b, 0, sizeof *b);
    if ((rc = http__check_keys(root, "", booking_keys, HTTP_NKEYS(booking_keys), d)) != HC_OK ||
        (rc = http__get_str(root, "", "booking_no", 1, HC_BOOKING_NO_MAX, HTTP_K_TEXT, &bk->booking_no, d)) ||
        (rc = http__get_str(root, "", "booked_at", 1, 40, HTTP_K_TIME, &bk->booked_at, d)) != HC_OK ||
        (rc = http__get_str(root, "", "facility", 1, TEXT_MAX_LEN, HTTP_K_TEXT, &bk->facility, d)) ||
        (rc = http__get_str(root, "", "status", 0, 16, HTTP_K_BOOKING_STATUS, &bk->status, d)) != HC_OK ||
        (rc = http__get_str(root, "", "scheduled_release", 0, 40, HTTP_K_TIME, &bk->scheduled_release, d)) ||
        (rc = http__get_str(root, "", "released_at", 0, 40, HTTP_K_TIME, &bk->released_at, d)) != HC_OK ||
        (rc = http__get_str(root, "", "release_reason", 0, TEXT_MAX_LEN, HTTP_K_TEXT, &bk->release_reason,
                      d)) != HC_OK)
        return rc;
    if (!hc_booking_no_valid(bk->booking_no, strlen(bk->booking_no)))
        return hc_diag_set(d, "booking_no", HC_BOOKING_NO_RULE, NULL);
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
        if (!json_is_object(person))
            return hc_diag_set(d, "person", "expected an object", NULL);
        if ((rc = http__check_keys(person, "person", person_keys, HTTP_NKEYS(person_keys), d)) != HC_OK ||
            (rc = http__get_str(person, "person", "name", 1, NAME_MAX_LEN, HTTP_K_TEXT, &p->name, d)) ||
            (rc = http__get_str(person, "person", "date_of_birth", 0, 10, HTTP_K_DATE, &p->date_of_birth,
                          d)) != HC_OK ||
            (rc = http__get_str(person, "person", "local_id", 0, 64, HTTP_K_TEXT, &p->local_id, d)) ||
            (rc = http__get_bool(person, "person", "registrant_290", 0, &p->registrant_290, d)) ||
            (rc = http__get_array(person, "person", "convictions", HC_CASE_MAX_RECORDS, &arr, d)))
            return rc;
        if ((rc = decode_each(arr, "person.convictions", sizeof *b->conv,
                              decode_conviction_elem, a, &elems, &b->nconv, d)) != HC_OK)
            return rc;
        b->conv = elems;
    }
    elems = NULL;
    if ((rc = http__get_array(root, "", "charges", HC_CASE_MAX_RECORDS, &arr, d)) != HC_OK ||
        (rc = decode_each(arr, "charges", sizeof *b->charges, decode_charge_elem, a, &elems,
                          &b->ncharges, d)) != HC_OK)
        return rc;
    b->charges = elems;
    return HC_OK;
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
 * also keep the answer in the answer cache under that booking number, as read under view. A record too
 * large for the arena is answered like one too large to read (HC_ENOMEM: 413). */
void http__respond_record(h2o_req_t *req, struct http_worker *w, int status,
                           const struct store_record *r, const char *keep,
                           const struct http_cache_view *view)
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
                               NULL, view, hc_clock_mono_ms(), -1);
            http__respond(req, status, "application/json", b.data, b.len);
            return;
        }
    }
    hc_diag_clear(&d);
    http__problem_rc(req, HC_ENOMEM, &d);
}

/* GET /api/v1/bookings/{no}. The rendered record is kept in the shared answer cache under
 * the booking number, for exactly as long as that record does not change: http__cache_sync
 * forgets the records the database marked changed first, so an answer from the cache is byte
 * for byte the one a fresh read would render (docs/server.md, "The answer cache"). */
static void booking_get(struct http_call *c, const char *no)
{
    h2o_req_t *req = c->req;
    struct http_worker *w = c->w;
    struct store_record r;
    struct http_cache_hit hit;
    struct hc_diag d;
    size_t nlen = strlen(no);
    int rc, cached = http__cache_sync(c);

    if (cached && http_cache_get(w->cache, HTTP_CACHE_STAFF, no, nlen, hc_clock_mono_ms(),
                                 http__pool_alloc, &req->pool, &hit)) {
        http__respond(req, 200, "application/json", hit.body, hit.len);
        return;
    }
    hc_diag_clear(&d);
    hc_arena_reset(&w->arena);
    rc = records_get(w->st, no, &w->arena, &r);
    if (rc == HC_ENOENT)
        hc_diag_set(&d, "booking_no", "no such booking", NULL);
    if (rc != HC_OK) {
        http__problem_rc(req, rc, &d);
        return;
    }
    http__respond_record(req, w, 200, &r, cached ? no : NULL, &c->cache_view);
}

static void booking_create(h2o_req_t *req, struct http_worker *w, const char *actor)
{
    struct store_booking_new b;
    struct store_record r;
    struct hc_diag d;
    json_t *root;
    char loc[80];
    int rc;

    hc_diag_clear(&d);
    hc_arena_reset(&w->arena);
    if ((root = http__body_or_problem(req, &d)) == NULL)
        return;
    rc = decode_booking(root, &w->arena, &b, &d);
    if (rc == HC_OK)
        rc = records_booking_create(w->st, &b, actor, &w->arena, &r, &d);
    if (rc != HC_OK) {
        http__problem_rc(req, rc, &d);
    } else {
        snprintf(loc, sizeof loc, "/api/v1/bookings/%s", b.booking.booking_no);
        http__add_header(req, H2O_TOKEN_LOCATION, loc);
        http__respond_record(req, w, 201, &r, NULL, NULL);
    }
    json_decref(root);
}

int h_booking_create(struct http_call *c)
{
    booking_create(c->req, c->w, c->who.name);
    return HC_OK;
}

int h_booking_get(struct http_call *c)
{
    const char *no = http__param_booking_no(c);
    if (no != NULL)
        booking_get(c, no);
    return HC_OK;
}

/* The booking number of the path, or NULL after answering 400. */
const char *http__param_booking_no(struct http_call *c)
{
    return http__param_str(c, hc_booking_no_valid, "bad booking number: " HC_BOOKING_NO_RULE,
                           "booking_no");
}


static const char *const patch_keys[] = {"status", "released_at", "release_reason", "facility",
                                         "scheduled_release", "bail", "next_court_date"};

static int booking_patch_job(struct http_call *c)
{
    struct store_booking_patch p;
    struct store_booking_state st;
    struct hc_diag d;
    json_t *root, *v;
    char out[2048];
    struct hc_buf b;
    int rc;

    hc_diag_clear(&d);
    memset(&p, 0, sizeof p);
    if ((root = http__parse_body(c->req, &d)) == NULL) {
        http__reply_problem_rc(c, HC_EINVAL, &d);
        return HC_OK;
    }
    if ((rc = http__check_keys(root, "", patch_keys, HTTP_NKEYS(patch_keys), &d)) != HC_OK ||
        (rc = http__patch_str(root, "status", STORE_PATCH_STATUS, &p.set, 1, 16,
                              HTTP_K_BOOKING_STATUS, &p.status, &d)) ||
        (rc = http__patch_str(root, "released_at", STORE_PATCH_RELEASED_AT, &p.set, 1, 40,
                              HTTP_K_TIME, &p.released_at, &d)) ||
        (rc = http__patch_str(root, "release_reason", STORE_PATCH_RELEASE_REASON, &p.set, 1, 200,
                              HTTP_K_TEXT, &p.release_reason, &d)) ||
        (rc = http__patch_str(root, "facility", STORE_PATCH_FACILITY, &p.set, 1, 200,
                              HTTP_K_TEXT, &p.facility, &d)) ||
        (rc = http__patch_str(root, "scheduled_release", STORE_PATCH_SCHEDULED_RELEASE, &p.set, 1, 40,
                              HTTP_K_TIME, &p.scheduled_release, &d)) ||
        (rc = http__patch_str(root, "next_court_date", STORE_PATCH_NEXT_COURT_DATE, &p.set, 1, 40,
                              HTTP_K_TIME, &p.next_court_date, &d)))
        goto out;
    if ((p.set & STORE_PATCH_STATUS) && p.status == NULL) {
        rc = hc_diag_set(&d, "status", "may not be null", NULL);
        goto out;
    }
    if ((p.set & STORE_PATCH_FACILITY) && p.facility == NULL) {
        rc = hc_diag_set(&d, "facility", "may not be null", NULL);
        goto out;
    }
    if ((v = json_object_get(root, "bail")) != NULL) {
        p.set |= STORE_PATCH_BAIL;
        if (json_is_null(v)) {
            p.has_bail = 0;
        } else if (json_is_string(v) && strcmp(json_string_value(v), "none") == 0) {
            p.has_bail = 1;
            p.bail = -1;
        } else if (json_is_integer(v) && json_integer_value(v) >= 0 &&
                   json_integer_value(v) <= 10000000000LL) {
            p.has_bail = 1;
            p.bail = json_integer_value(v);
        } else {
            rc = hc_diag_set(&d, "bail", "expected whole dollars (0 to 10000000000), \"none\" "
                             "(held without bail) or null", NULL);
            goto out;
        }
    }
    if (p.set == 0) {
        rc = hc_diag_set(&d, "", "nothing to change: give at least one of status, released_at, "
                         "release_reason, facility, scheduled_release, bail, next_court_date", NULL);
        goto out;
    }
    hc_arena_reset(&c->w->arena);
    if ((rc = booking_update(c->w->st, c->param, &p, c->who.name, &c->w->arena, &st, &d)))
        goto out;
    hc_buf_init(&b, out, sizeof out);
    hc_buf_puts(&b, "{\"booking_no\":");
    http__put_jstr(&b, st.booking_no);
    hc_buf_puts(&b, ",\"facility\":");
    http__put_jstr(&b, st.facility);
    hc_buf_puts(&b, ",\"status\":");
    http__put_jstr(&b, st.status);
    hc_buf_puts(&b, ",\"scheduled_release\":");
    http__put_jstr(&b, st.scheduled_release);
    hc_buf_puts(&b, ",\"released_at\":");
    http__put_jstr(&b, st.released_at);
    hc_buf_puts(&b, ",\"release_reason\":");
    http__put_jstr(&b, st.release_reason);
    hc_buf_puts(&b, ",\"bail\":");
    if (!st.has_bail) {
        hc_buf_puts(&b, "null");
    } else if (st.bail < 0) {
        hc_buf_puts(&b, "\"none\"");
    } else {
        char num[24];
        snprintf(num, sizeof num, "%" PRId64, st.bail);
        hc_buf_puts(&b, num);
    }
    hc_buf_puts(&b, ",\"next_court_date\":");
    http__put_jstr(&b, st.next_court_date);
    hc_buf_puts(&b, ",\"events\":");
    http__put_names(&b, st.events, 1);
    hc_buf_puts(&b, ",\"deliveries_queued\":");
    hc_buf_putu(&b, (unsigned long)st.deliveries);
    hc_buf_putc(&b, '}');
    http__reply(c, 200, "application/json", b.data, b.len);
out:
    if (rc != HC_OK)
        http__reply_problem_rc(c, rc, &d);
    json_decref(root);
    return HC_OK;
}

/* A custody change writes and fsyncs: on the pool (offload.h). */
int h_booking_patch(struct http_call *c)
{
    if (http__param_booking_no(c) == NULL)
        return HC_OK;
    return http__offload(c, booking_patch_job);
}
