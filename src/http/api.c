/* SPDX-License-Identifier: MIT
 * api.c: the routes of /api/v1 and /healthz, JSON decoding of request bodies, and the one table
 * that maps HC_E* codes to HTTP status. Every error answer is application/problem+json
 * (RFC 9457) with a "field" member naming the offending input where there is one. Handlers run
 * to completion on the worker's thread and use its store connection and scratch arena. */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "case.h"
#include "engine.h"
#include "http.h"
#include "http_int.h"
#include "intake.h"
#include "render.h"

#define ACTOR "anonymous@http" /* NEEDSWORK: the authenticated user, once issue 3's auth lands */
#define NAME_MAX_LEN 200
#define TEXT_MAX_LEN 200
#define BOOKING_NO_MAX 40

/* ------------------------------------------------------------------------------------------ */
/* Responses                                                                                  */

static const char *reason(int status)
{
    switch (status) {
    case 200: return "OK";
    case 201: return "Created";
    case 400: return "Bad Request";
    case 404: return "Not Found";
    case 405: return "Method Not Allowed";
    case 409: return "Conflict";
    case 413: return "Payload Too Large";
    case 415: return "Unsupported Media Type";
    case 422: return "Unprocessable Content";
    case 503: return "Service Unavailable";
    default: return "Internal Server Error";
    }
}

/* The one map from error codes to HTTP status. */
static const struct {
    int rc;
    int status;
} status_map[] = {
    {HC_EINVAL, 400},       /* the body or path is malformed or names a bad value */
    {HC_ENOENT, 404},       /* no such booking */
    {STORE_ECONFLICT, 409}, /* booking_no or local_id already exists */
    {HC_ENOMEM, 413},       /* the case or record exceeds a limit */
    {HC_ERANGE, 422},       /* well-formed but outside the law holdcheck encodes (before 2014) */
};

static int status_for(int rc)
{
    size_t i;
    for (i = 0; i < sizeof status_map / sizeof status_map[0]; i++)
        if (status_map[i].rc == rc)
            return status_map[i].status;
    return 500;
}

static void add_header(h2o_req_t *req, const h2o_token_t *tok, const char *v)
{
    h2o_add_header(&req->pool, &req->res.headers, tok, NULL, v, strlen(v));
}

static void add_header_str(h2o_req_t *req, const char *name, const char *v)
{
    h2o_add_header_by_str(&req->pool, &req->res.headers, name, strlen(name), 0, NULL, v,
                          strlen(v));
}

/* Send body with the headers every API answer carries. */
static void respond(h2o_req_t *req, int status, const char *ctype, const char *body, size_t len)
{
    req->res.status = status;
    req->res.reason = reason(status);
    req->res.content_length = len;
    add_header(req, H2O_TOKEN_CONTENT_TYPE, ctype);
    add_header(req, H2O_TOKEN_CACHE_CONTROL, "no-store");
    add_header_str(req, "x-content-type-options", "nosniff");
    add_header_str(req, "content-security-policy", "default-src 'none'; frame-ancestors 'none'");
    add_header_str(req, "referrer-policy", "no-referrer");
    h2o_send_inline(req, body, len);
}

/* Send a JSON value (consumed) with status. */
static void respond_json(h2o_req_t *req, int status, json_t *v)
{
    char *text = v ? json_dumps(v, JSON_COMPACT | JSON_PRESERVE_ORDER) : NULL;
    json_decref(v);
    if (text == NULL) {
        static const char oom[] = "{\"type\":\"about:blank\",\"title\":\"Internal Server Error\","
                                  "\"status\":500,\"detail\":\"out of memory\"}";
        respond(req, 500, "application/problem+json", oom, sizeof oom - 1);
        return;
    }
    respond(req, status, "application/json", text, strlen(text));
    free(text);
}

static void problem(h2o_req_t *req, int status, const char *detail, const char *field)
{
    json_t *p = json_object();
    char *text;
    json_object_set_new(p, "type", json_string("about:blank"));
    json_object_set_new(p, "title", json_string(reason(status)));
    json_object_set_new(p, "status", json_integer(status));
    json_object_set_new(p, "detail", json_string(detail));
    if (field != NULL && field[0] != '\0')
        json_object_set_new(p, "field", json_string(field));
    text = json_dumps(p, JSON_COMPACT | JSON_PRESERVE_ORDER);
    json_decref(p);
    if (text == NULL) {
        respond(req, status, "application/problem+json", "{}", 2);
        return;
    }
    respond(req, status, "application/problem+json", text, strlen(text));
    free(text);
}

/* A problem for error rc with detail from d. Internal errors do not leak their detail. */
static void problem_rc(h2o_req_t *req, int rc, const struct hc_diag *d)
{
    int status = status_for(rc);
    if (status == 500)
        problem(req, 500, "internal error; see the server log", NULL);
    else
        problem(req, status, d->msg[0] ? d->msg : store_strerror(rc), d->field);
}

/* ------------------------------------------------------------------------------------------ */
/* JSON body decoding                                                                         */

/* Keys that would record what Gov. Code 7284.6(a)(1)(A) bars agencies from asking and what this
 * program never stores. Refused with a message saying so, not just "unknown field". */
static const char *const forbidden_keys[] = {
    "immigration_status", "citizenship", "citizenship_status", "national_origin", "nationality",
    "country_of_birth", "place_of_birth", "ethnicity", "race", "alien_number", "a_number",
};

static void field_path(char *out, size_t n, const char *path, const char *key)
{
    snprintf(out, n, "%s%s%s", path, path[0] ? "." : "", key);
}

/* Fail on any key of o not in allowed[0..n). */
static int check_keys(json_t *o, const char *path, const char *const *allowed, size_t n,
                      struct hc_diag *d)
{
    const char *key;
    json_t *v;
    json_object_foreach(o, key, v) {
        char f[96];
        size_t i;
        int ok = 0;
        for (i = 0; i < n && !ok; i++)
            ok = strcmp(key, allowed[i]) == 0;
        if (ok)
            continue;
        field_path(f, sizeof f, path, key);
        for (i = 0; i < sizeof forbidden_keys / sizeof forbidden_keys[0]; i++)
            if (strcasecmp(key, forbidden_keys[i]) == 0)
                return hc_diag_set(d, f, "holdcheck never records immigration status, national "
                                         "origin or ethnicity", NULL);
        return hc_diag_set(d, f, "unknown field", NULL);
    }
    return HC_OK;
}

enum str_kind { K_TEXT, K_DATE, K_TIME, K_LEVEL, K_BOOKING_STATUS, K_CHARGE_STATUS, K_AGG };

static int check_str(const char *s, enum str_kind kind, const char *f, struct hc_diag *d)
{
    hc_day day;
    switch (kind) {
    case K_TEXT:
        return HC_OK;
    case K_DATE:
        return hc_date_parse(s, strlen(s), &day) == 0
                   ? HC_OK : hc_diag_set(d, f, "expected a date YYYY-MM-DD", NULL);
    case K_TIME:
        return intake_parse_received(s, &day) == 0
                   ? HC_OK
                   : hc_diag_set(d, f, "expected YYYY-MM-DD or YYYY-MM-DDTHH:MM:SS with Z or an "
                                       "offset", NULL);
    case K_LEVEL:
        return strcmp(s, "felony") == 0 || strcmp(s, "misdemeanor") == 0 ||
                       strcmp(s, "infraction") == 0
                   ? HC_OK : hc_diag_set(d, f, "expected felony, misdemeanor or infraction", NULL);
    case K_BOOKING_STATUS:
        return strcmp(s, "in_custody") == 0 || strcmp(s, "released") == 0
                   ? HC_OK : hc_diag_set(d, f, "expected in_custody or released", NULL);
    case K_CHARGE_STATUS:
        return strcmp(s, "pending") == 0 || strcmp(s, "dismissed") == 0 ||
                       strcmp(s, "convicted") == 0
                   ? HC_OK : hc_diag_set(d, f, "expected pending, dismissed or convicted", NULL);
    case K_AGG:
        return strlen(s) == 1 && s[0] >= 'A' && s[0] <= 'U'
                   ? HC_OK : hc_diag_set(d, f, "expected a letter A-U or a boolean", NULL);
    }
    return HC_OK;
}

/* o.key as a string into *out (NULL when absent or null). */
static int get_str(json_t *o, const char *path, const char *key, int required, size_t maxlen,
                   enum str_kind kind, const char **out, struct hc_diag *d)
{
    json_t *v = json_object_get(o, key);
    char f[96];
    const char *s;
    field_path(f, sizeof f, path, key);
    *out = NULL;
    if (v == NULL || json_is_null(v))
        return required ? hc_diag_set(d, f, "required", NULL) : HC_OK;
    if (!json_is_string(v))
        return hc_diag_set(d, f, "expected a string", NULL);
    s = json_string_value(v);
    if (s[0] == '\0')
        return hc_diag_set(d, f, "must not be empty", NULL);
    if (strlen(s) > maxlen)
        return hc_diag_set(d, f, "too long", NULL);
    *out = s;
    return check_str(s, kind, f, d);
}

/* o.key as a boolean into *out: 0 when absent, or -1 when absent and tri is set. */
static int get_bool(json_t *o, const char *path, const char *key, int tri, int *out,
                    struct hc_diag *d)
{
    json_t *v = json_object_get(o, key);
    char f[96];
    *out = tri ? -1 : 0;
    if (v == NULL || json_is_null(v))
        return HC_OK;
    if (!json_is_boolean(v)) {
        field_path(f, sizeof f, path, key);
        return hc_diag_set(d, f, "expected true or false", NULL);
    }
    *out = json_is_true(v);
    return HC_OK;
}

/* o.key as an array of at most max objects into *out (NULL when absent). */
static int get_array(json_t *o, const char *path, const char *key, size_t max, json_t **out,
                     struct hc_diag *d)
{
    json_t *v = json_object_get(o, key);
    char f[96];
    field_path(f, sizeof f, path, key);
    *out = NULL;
    if (v == NULL || json_is_null(v))
        return HC_OK;
    if (!json_is_array(v))
        return hc_diag_set(d, f, "expected an array", NULL);
    if (json_array_size(v) > max)
        return hc_diag_set(d, f, "too many entries", NULL);
    *out = v;
    return HC_OK;
}

/* Parse the body as one JSON object. */
static json_t *parse_body(h2o_req_t *req, struct hc_diag *d)
{
    json_error_t err;
    json_t *root;
    char msg[200];
    if (req->entity.base == NULL || req->entity.len == 0) {
        hc_diag_set(d, "", "empty body; expected a JSON object", NULL);
        return NULL;
    }
    root = json_loadb(req->entity.base, req->entity.len, JSON_REJECT_DUPLICATES, &err);
    if (root == NULL) {
        snprintf(msg, sizeof msg, "malformed JSON at line %d column %d: %s", err.line, err.column,
                 err.text);
        hc_diag_set(d, "", msg, NULL);
        return NULL;
    }
    if (!json_is_object(root)) {
        json_decref(root);
        hc_diag_set(d, "", "expected a JSON object", NULL);
        return NULL;
    }
    return root;
}

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

static int decode_conviction(json_t *o, const char *path, struct store_conviction *c,
                             struct hc_diag *d)
{
    json_t *agg;
    char f[96];
    int rc;
    if (!json_is_object(o))
        return hc_diag_set(d, path, "expected an object", NULL);
    if ((rc = check_keys(o, path, conviction_keys, NKEYS(conviction_keys), d)) != HC_OK ||
        (rc = get_str(o, path, "citation", 1, TEXT_MAX_LEN, K_TEXT, &c->citation, d)) != HC_OK ||
        (rc = get_str(o, path, "level", 0, 16, K_LEVEL, &c->level, d)) != HC_OK ||
        (rc = get_str(o, path, "date", 0, 10, K_DATE, &c->date, d)) != HC_OK ||
        (rc = get_str(o, path, "court", 0, TEXT_MAX_LEN, K_TEXT, &c->court, d)) != HC_OK ||
        (rc = get_bool(o, path, "prop47_reduced", 1, &c->prop47_reduced, d)) != HC_OK ||
        (rc = get_str(o, path, "jurisdiction", 0, 40, K_TEXT, &c->jurisdiction, d)) != HC_OK)
        return rc;
    agg = json_object_get(o, "federal_aggravated_felony");
    c->federal_aggravated_felony = NULL;
    if (json_is_boolean(agg))
        c->federal_aggravated_felony = json_is_true(agg) ? "true" : "false";
    else if (agg != NULL && !json_is_null(agg)) {
        if (!json_is_string(agg)) {
            field_path(f, sizeof f, path, "federal_aggravated_felony");
            return hc_diag_set(d, f, "expected a letter A-U or a boolean", NULL);
        }
        return get_str(o, path, "federal_aggravated_felony", 0, 1, K_AGG,
                       &c->federal_aggravated_felony, d);
    }
    return HC_OK;
}

static int decode_charge(json_t *o, const char *path, struct store_charge *c, struct hc_diag *d)
{
    int rc;
    if (!json_is_object(o))
        return hc_diag_set(d, path, "expected an object", NULL);
    if ((rc = check_keys(o, path, charge_keys, NKEYS(charge_keys), d)) != HC_OK ||
        (rc = get_str(o, path, "citation", 1, TEXT_MAX_LEN, K_TEXT, &c->citation, d)) != HC_OK ||
        (rc = get_str(o, path, "level", 0, 16, K_LEVEL, &c->level, d)) != HC_OK ||
        (rc = get_str(o, path, "status", 0, 16, K_CHARGE_STATUS, &c->status, d)) != HC_OK ||
        (rc = get_bool(o, path, "magistrate_probable_cause", 0, &c->magistrate_probable_cause,
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
    if ((rc = check_keys(root, "", booking_keys, NKEYS(booking_keys), d)) != HC_OK ||
        (rc = get_str(root, "", "booking_no", 1, BOOKING_NO_MAX, K_TEXT, &bk->booking_no, d)) ||
        (rc = get_str(root, "", "booked_at", 1, 40, K_TIME, &bk->booked_at, d)) != HC_OK ||
        (rc = get_str(root, "", "facility", 1, TEXT_MAX_LEN, K_TEXT, &bk->facility, d)) ||
        (rc = get_str(root, "", "status", 0, 16, K_BOOKING_STATUS, &bk->status, d)) != HC_OK ||
        (rc = get_str(root, "", "scheduled_release", 0, 40, K_TIME, &bk->scheduled_release, d)) ||
        (rc = get_str(root, "", "released_at", 0, 40, K_TIME, &bk->released_at, d)) != HC_OK ||
        (rc = get_str(root, "", "release_reason", 0, TEXT_MAX_LEN, K_TEXT, &bk->release_reason,
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
        if ((rc = check_keys(person, "person", person_keys, NKEYS(person_keys), d)) != HC_OK ||
            (rc = get_str(person, "person", "name", 1, NAME_MAX_LEN, K_TEXT, &p->name, d)) ||
            (rc = get_str(person, "person", "date_of_birth", 0, 10, K_DATE, &p->date_of_birth,
                          d)) != HC_OK ||
            (rc = get_str(person, "person", "local_id", 0, 64, K_TEXT, &p->local_id, d)) ||
            (rc = get_bool(person, "person", "registrant_290", 0, &p->registrant_290, d)) ||
            (rc = get_array(person, "person", "convictions", HC_CASE_MAX_RECORDS, &arr, d)))
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
    if ((rc = get_array(root, "", "charges", HC_CASE_MAX_RECORDS, &arr, d)) != HC_OK)
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

static json_t *jstr(const char *s)
{
    return s ? json_string(s) : json_null();
}

/* The JSON view of a stored record (GET /api/v1/bookings/{no}). */
static json_t *record_json(const struct store_record *r)
{
    json_t *o = json_object(), *p = json_object(), *conv = json_array(), *ch = json_array();
    json_t *rq = json_array();
    size_t i;

    json_object_set_new(o, "booking_no", jstr(r->booking.booking_no));
    json_object_set_new(o, "booked_at", jstr(r->booking.booked_at));
    json_object_set_new(o, "facility", jstr(r->booking.facility));
    json_object_set_new(o, "status", jstr(r->booking.status));
    json_object_set_new(o, "scheduled_release", jstr(r->booking.scheduled_release));
    json_object_set_new(o, "released_at", jstr(r->booking.released_at));
    json_object_set_new(o, "release_reason", jstr(r->booking.release_reason));
    json_object_set_new(p, "id", json_integer(r->person.id));
    json_object_set_new(p, "name", jstr(r->person.name));
    json_object_set_new(p, "date_of_birth", jstr(r->person.date_of_birth));
    json_object_set_new(p, "local_id", jstr(r->person.local_id));
    json_object_set_new(p, "registrant_290", json_boolean(r->person.registrant_290));
    for (i = 0; i < r->nconv; i++) {
        const struct store_conviction *c = &r->conv[i];
        json_t *e = json_object();
        const char *agg = c->federal_aggravated_felony;
        json_object_set_new(e, "citation", jstr(c->citation));
        json_object_set_new(e, "level", jstr(c->level));
        json_object_set_new(e, "date", jstr(c->date));
        json_object_set_new(e, "court", jstr(c->court));
        json_object_set_new(e, "prop47_reduced",
                            c->prop47_reduced < 0 ? json_null() : json_boolean(c->prop47_reduced));
        if (agg != NULL && (strcmp(agg, "true") == 0 || strcmp(agg, "false") == 0))
            json_object_set_new(e, "federal_aggravated_felony", json_boolean(agg[0] == 't'));
        else
            json_object_set_new(e, "federal_aggravated_felony", jstr(agg));
        json_object_set_new(e, "jurisdiction", jstr(c->jurisdiction));
        json_array_append_new(conv, e);
    }
    json_object_set_new(p, "convictions", conv);
    json_object_set_new(o, "person", p);
    for (i = 0; i < r->ncharges; i++) {
        json_t *e = json_object();
        json_object_set_new(e, "citation", jstr(r->charges[i].citation));
        json_object_set_new(e, "level", jstr(r->charges[i].level));
        json_object_set_new(e, "status", jstr(r->charges[i].status));
        json_object_set_new(e, "magistrate_probable_cause",
                            json_boolean(r->charges[i].magistrate_probable_cause));
        json_array_append_new(ch, e);
    }
    json_object_set_new(o, "charges", ch);
    for (i = 0; i < r->nreq; i++) {
        const struct store_request *q = &r->req[i];
        json_t *e = json_object(), *dec = NULL;
        json_object_set_new(e, "id", json_integer(q->id));
        json_object_set_new(e, "type", jstr(q->type));
        json_object_set_new(e, "form", jstr(q->form));
        json_object_set_new(e, "received_at", jstr(q->received_at));
        json_object_set_new(e, "issuing_office", jstr(q->issuing_office));
        json_object_set_new(e, "judicial_warrant", json_boolean(q->judicial_warrant));
        json_object_set_new(e, "judicial_probable_cause", json_boolean(q->judicial_probable_cause));
        json_object_set_new(e, "federal_felony_warrant", json_boolean(q->federal_felony_warrant));
        json_object_set_new(e, "outcome", jstr(q->outcome));
        if (q->decision_json != NULL)
            dec = json_loads(q->decision_json, 0, NULL);
        json_object_set_new(e, "decision", dec ? dec : json_null());
        json_array_append_new(rq, e);
    }
    json_object_set_new(o, "requests", rq);
    return o;
}

static void booking_get(h2o_req_t *req, struct http_worker *w, const char *no)
{
    struct store_record r;
    struct hc_diag d;
    int rc;
    hc_diag_clear(&d);
    hc_arena_reset(&w->arena);
    rc = store_record_get(w->st, no, &w->arena, &r);
    if (rc == HC_ENOENT)
        hc_diag_set(&d, "booking_no", "no such booking", NULL);
    if (rc != HC_OK) {
        problem_rc(req, rc, &d);
        return;
    }
    respond_json(req, 200, record_json(&r));
}

static void booking_create(h2o_req_t *req, struct http_worker *w)
{
    struct store_booking_new b;
    struct hc_diag d;
    json_t *root;
    int64_t id;
    char loc[80];
    int rc;

    hc_diag_clear(&d);
    hc_arena_reset(&w->arena);
    if ((root = parse_body(req, &d)) == NULL) {
        problem_rc(req, HC_EINVAL, &d);
        return;
    }
    rc = decode_booking(root, &w->arena, &b, &d);
    if (rc == HC_OK)
        rc = store_booking_add(w->st, &b, ACTOR, &id, &d);
    if (rc != HC_OK) {
        problem_rc(req, rc, &d);
    } else {
        struct store_record r;
        snprintf(loc, sizeof loc, "/api/v1/bookings/%s", b.booking.booking_no);
        /* Read back what was stored, so the answer is exactly what a GET returns. */
        rc = store_record_get(w->st, b.booking.booking_no, &w->arena, &r);
        if (rc != HC_OK) {
            problem_rc(req, rc, &d);
        } else {
            add_header(req, H2O_TOKEN_LOCATION, loc);
            respond_json(req, 201, record_json(&r));
        }
    }
    json_decref(root);
}

static void request_create(h2o_req_t *req, struct http_worker *w, const char *no)
{
    struct store_request rq;
    struct intake_result res;
    struct hc_diag d;
    json_t *root;
    int rc;

    hc_diag_clear(&d);
    memset(&rq, 0, sizeof rq);
    if ((root = parse_body(req, &d)) == NULL) {
        problem_rc(req, HC_EINVAL, &d);
        return;
    }
    if ((rc = check_keys(root, "", request_keys, NKEYS(request_keys), &d)) != HC_OK ||
        (rc = get_str(root, "", "type", 1, 40, K_TEXT, &rq.type, &d)) != HC_OK ||
        (rc = get_str(root, "", "form", 0, 40, K_TEXT, &rq.form, &d)) != HC_OK ||
        (rc = get_str(root, "", "received_at", 0, 40, K_TIME, &rq.received_at, &d)) != HC_OK ||
        (rc = get_str(root, "", "issuing_office", 0, TEXT_MAX_LEN, K_TEXT, &rq.issuing_office,
                      &d)) != HC_OK ||
        (rc = get_bool(root, "", "judicial_warrant", 0, &rq.judicial_warrant, &d)) != HC_OK ||
        (rc = get_bool(root, "", "judicial_probable_cause", 0, &rq.judicial_probable_cause,
                       &d)) != HC_OK ||
        (rc = get_bool(root, "", "federal_felony_warrant", 0, &rq.federal_felony_warrant, &d)))
        goto out;
    rc = intake_submit(w->st, w->cat, no, &rq, ACTOR, &w->arena, &res, &d);
    if (rc == HC_OK) {
        char loc[80];
        snprintf(loc, sizeof loc, "/api/v1/bookings/%s", no);
        add_header(req, H2O_TOKEN_LOCATION, loc);
        respond(req, 201, "application/json", res.decision_json, res.decision_len);
        free(res.decision_json);
    }
out:
    if (rc != HC_OK)
        problem_rc(req, rc, &d);
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
        problem_rc(req, rc, &d);
        return;
    }
    /* A decision is a few KiB; one with hundreds of convictions can be more. */
    for (;;) {
        char *mem = malloc(room);
        struct hc_buf b;
        if (mem == NULL) {
            problem_rc(req, HC_EIO, &d);
            return;
        }
        hc_buf_init(&b, mem, room);
        hc_render_json(w->cat, &c, &dec, &b);
        if (!b.full) {
            respond(req, 200, "application/json", b.data, b.len);
            free(mem);
            return;
        }
        free(mem);
        room *= 4;
    }
}

static void audit_verify(h2o_req_t *req, struct http_worker *w)
{
    struct store_audit_report rep;
    struct hc_diag d;
    json_t *o;
    int rc;
    hc_diag_clear(&d);
    rc = store_audit_verify(w->st, &rep);
    if (rc != HC_OK) {
        problem_rc(req, rc, &d);
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
    }
    respond_json(req, 200, o);
}

static void healthz(h2o_req_t *req, struct http_worker *w)
{
    if (store_ping(w->st) == HC_OK) {
        static const char ok[] = "{\"status\":\"ok\"}";
        respond(req, 200, "application/json", ok, sizeof ok - 1);
    } else {
        problem(req, 503, "database unavailable", NULL);
    }
}

/* ------------------------------------------------------------------------------------------ */
/* Routing                                                                                    */

static int path_is(h2o_iovec_t p, const char *s)
{
    return h2o_memis(p.base, p.len, s, strlen(s));
}

static int method_is(h2o_req_t *req, const char *m)
{
    return h2o_memis(req->method.base, req->method.len, m, strlen(m));
}

static void not_allowed(h2o_req_t *req, const char *allow)
{
    add_header(req, H2O_TOKEN_ALLOW, allow);
    problem(req, 405, "method not allowed here", NULL);
}

/* POST bodies must be JSON: this also keeps a browser page from posting a plain HTML form to a
 * server on the user's own machine (there is no authentication yet). */
static int is_json(h2o_req_t *req)
{
    ssize_t i = h2o_find_header(&req->headers, H2O_TOKEN_CONTENT_TYPE, -1);
    h2o_iovec_t v;
    static const char want[] = "application/json";
    if (i < 0)
        return 0;
    v = req->headers.entries[i].value;
    if (v.len < sizeof want - 1 || strncasecmp(v.base, want, sizeof want - 1) != 0)
        return 0;
    return v.len == sizeof want - 1 || v.base[sizeof want - 1] == ';' ||
           v.base[sizeof want - 1] == ' ';
}

/* Check method and body for a POST route; answers and returns 0 when they are wrong. */
static int post_ok(h2o_req_t *req)
{
    if (!method_is(req, "POST")) {
        not_allowed(req, "POST");
        return 0;
    }
    if (req->entity.base != NULL && req->entity.len > HTTP_BODY_MAX) {
        problem(req, 413, "request body larger than 1 MiB", NULL);
        return 0;
    }
    if (!is_json(req)) {
        problem(req, 415, "send Content-Type: application/json", NULL);
        return 0;
    }
    return 1;
}

static void route_booking(h2o_req_t *req, struct http_worker *w, const char *rest, size_t n)
{
    const char *slash = memchr(rest, '/', n);
    size_t nolen = slash ? (size_t)(slash - rest) : n;
    char no[BOOKING_NO_MAX + 1];
    int requests = slash != NULL && n - nolen == 9 && memcmp(slash, "/requests", 9) == 0;

    if (slash != NULL && !requests) {
        problem(req, 404, "no such route", NULL);
        return;
    }
    if (!valid_booking_no(rest, nolen)) {
        problem(req, 400, "bad booking number: use 1-40 letters, digits, '-', '_' or '.'",
                "booking_no");
        return;
    }
    memcpy(no, rest, nolen);
    no[nolen] = '\0';
    if (requests) {
        if (post_ok(req))
            request_create(req, w, no);
    } else if (method_is(req, "GET")) {
        booking_get(req, w, no);
    } else {
        not_allowed(req, "GET");
    }
}

int http__on_req(h2o_handler_t *self, h2o_req_t *req)
{
    static const char bookings[] = "/api/v1/bookings/";
    struct http_worker *w = http__worker(req);
    h2o_iovec_t p = req->path_normalized;
    (void)self;

    if (path_is(p, "/healthz")) {
        if (method_is(req, "GET"))
            healthz(req, w);
        else
            not_allowed(req, "GET");
    } else if (path_is(p, "/api/v1/decide")) {
        if (post_ok(req))
            decide(req, w);
    } else if (path_is(p, "/api/v1/bookings")) {
        if (post_ok(req))
            booking_create(req, w);
    } else if (path_is(p, "/api/v1/audit/verify")) {
        if (method_is(req, "GET"))
            audit_verify(req, w);
        else
            not_allowed(req, "GET");
    } else if (path_is(p, HTTP_ERRDOC_413)) {
        problem(req, 413, "request body larger than 1 MiB", NULL);
    } else if (p.len > sizeof bookings - 1 && memcmp(p.base, bookings, sizeof bookings - 1) == 0) {
        route_booking(req, w, p.base + sizeof bookings - 1, p.len - (sizeof bookings - 1));
    } else {
        problem(req, 404, "no such route", NULL);
    }
    return 0;
}
