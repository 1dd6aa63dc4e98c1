/* SPDX-License-Identifier: MIT
 * input.c: reading what a client sent. JSON bodies (one object, no duplicate keys, no unknown
 * fields, typed and bounded strings), the path parameter, and query strings (percent-decoded,
 * no unknown or repeated parameters). Every failure names the field. */
#include <jansson.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "http_int.h"
#include "intake.h"

/* Keys that would record what Gov. Code 7284.6(a)(1)(A) bars agencies from asking and what this
 * program never stores. Refused with a message saying so, not just "unknown field". */
static const char *const forbidden_keys[] = {
    "immigration_status", "citizenship", "citizenship_status", "national_origin", "nationality",
    "country_of_birth", "place_of_birth", "ethnicity", "race", "alien_number", "a_number",
};

void http__field_path(char *out, size_t n, const char *path, const char *key)
{
    snprintf(out, n, "%s%s%s", path, path[0] ? "." : "", key);
}

/* Fail on any key of o not in allowed[0..n). */
int http__check_keys(json_t *o, const char *path, const char *const *allowed, size_t n,
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
        http__field_path(f, sizeof f, path, key);
        for (i = 0; i < sizeof forbidden_keys / sizeof forbidden_keys[0]; i++)
            if (strcasecmp(key, forbidden_keys[i]) == 0)
                return hc_diag_set(d, f, "holdcheck never records immigration status, national "
                                         "origin or ethnicity", NULL);
        return hc_diag_set(d, f, "unknown field", NULL);
    }
    return HC_OK;
}



static int check_str(const char *s, enum http_str_kind kind, const char *f, struct hc_diag *d)
{
    hc_day day;
    switch (kind) {
    case HTTP_K_TEXT:
        return HC_OK;
    case HTTP_K_DATE:
        return hc_date_parse(s, strlen(s), &day) == 0
                   ? HC_OK : hc_diag_set(d, f, "expected a date YYYY-MM-DD", NULL);
    case HTTP_K_TIME:
        return intake_parse_received(s, &day) == 0
                   ? HC_OK
                   : hc_diag_set(d, f, "expected YYYY-MM-DD or YYYY-MM-DDTHH:MM:SS with Z or an "
                                       "offset", NULL);
    case HTTP_K_LEVEL:
        return strcmp(s, "felony") == 0 || strcmp(s, "misdemeanor") == 0 ||
                       strcmp(s, "infraction") == 0
                   ? HC_OK : hc_diag_set(d, f, "expected felony, misdemeanor or infraction", NULL);
    case HTTP_K_BOOKING_STATUS:
        return strcmp(s, "in_custody") == 0 || strcmp(s, "released") == 0
                   ? HC_OK : hc_diag_set(d, f, "expected in_custody or released", NULL);
    case HTTP_K_CHARGE_STATUS:
        return strcmp(s, "pending") == 0 || strcmp(s, "dismissed") == 0 ||
                       strcmp(s, "convicted") == 0
                   ? HC_OK : hc_diag_set(d, f, "expected pending, dismissed or convicted", NULL);
    case HTTP_K_AGG:
        return strlen(s) == 1 && s[0] >= 'A' && s[0] <= 'U'
                   ? HC_OK : hc_diag_set(d, f, "expected a letter A-U or a boolean", NULL);
    }
    return HC_OK;
}

/* o.key as a string into *out (NULL when absent or null). */
int http__get_str(json_t *o, const char *path, const char *key, int required, size_t maxlen,
                   enum http_str_kind kind, const char **out, struct hc_diag *d)
{
    json_t *v = json_object_get(o, key);
    char f[96];
    const char *s;
    http__field_path(f, sizeof f, path, key);
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
int http__get_bool(json_t *o, const char *path, const char *key, int tri, int *out,
                    struct hc_diag *d)
{
    json_t *v = json_object_get(o, key);
    char f[96];
    *out = tri ? -1 : 0;
    if (v == NULL || json_is_null(v))
        return HC_OK;
    if (!json_is_boolean(v)) {
        http__field_path(f, sizeof f, path, key);
        return hc_diag_set(d, f, "expected true or false", NULL);
    }
    *out = json_is_true(v);
    return HC_OK;
}

int http__patch_str(json_t *o, const char *key, unsigned bit, unsigned *set, int nullable,
                    size_t maxlen, enum http_str_kind kind, const char **out, struct hc_diag *d)
{
    json_t *v = json_object_get(o, key);
    if (v == NULL)
        return HC_OK;
    *set |= bit;
    *out = NULL;
    if (nullable && json_is_null(v))
        return HC_OK;
    return http__get_str(o, "", key, 1, maxlen, kind, out, d);
}

int http__patch_bool(json_t *o, const char *key, unsigned bit, unsigned *set, int nullable,
                     int *out, struct hc_diag *d)
{
    int rc;
    if (json_object_get(o, key) == NULL)
        return HC_OK;
    *set |= bit;
    rc = http__get_bool(o, "", key, 1, out, d);
    if (rc == HC_OK && *out < 0 && !nullable)
        rc = hc_diag_set(d, key, "expected true or false", NULL);
    return rc;
}

/* o.key as an array of at most max objects into *out (NULL when absent). */
int http__get_array(json_t *o, const char *path, const char *key, size_t max, json_t **out,
                     struct hc_diag *d)
{
    json_t *v = json_object_get(o, key);
    char f[96];
    http__field_path(f, sizeof f, path, key);
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
json_t *http__parse_body(h2o_req_t *req, struct hc_diag *d)
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

/* The body as one JSON object, or NULL once the problem (400) is answered. */
json_t *http__body_or_problem(h2o_req_t *req, struct hc_diag *d)
{
    json_t *root = http__parse_body(req, d);
    if (root == NULL)
        http__problem_rc(req, HC_EINVAL, d);
    return root;
}

int http__decode_body(struct http_call *c, const struct http_body *in)
{
    const char *names[HTTP_FIELDS_MAX];
    struct hc_diag *d = &c->diag;
    size_t i;
    int rc;

    if ((c->body = http__parse_body(c->req, d)) == NULL)
        return HC_EINVAL;
    for (i = 0; i < in->n && i < HTTP_FIELDS_MAX; i++)
        names[i] = in->fields[i].name;
    if ((rc = http__check_keys(c->body, "", names, i, d)) != HC_OK)
        return rc;
    for (i = 0; i < in->n && i < HTTP_FIELDS_MAX; i++) {
        const struct http_field *f = &in->fields[i];
        struct http_value *v = &c->in[i];
        json_t *j = json_object_get(c->body, f->name);
        switch (f->type) {
        case HTTP_F_STR:
            rc = http__get_str(c->body, "", f->name, f->required, (size_t)f->max, f->kind, &v->s,
                               d);
            v->given = v->s != NULL;
            break;
        case HTTP_F_BOOL:
            rc = http__get_bool(c->body, "", f->name, 0, &v->b, d);
            v->given = j != NULL && !json_is_null(j);
            if (rc == HC_OK && f->required && !v->given)
                rc = hc_diag_set(d, f->name, "required", NULL);
            break;
        case HTTP_F_INT:
            if (j == NULL) {
                rc = f->required ? hc_diag_set(d, f->name, "required", NULL) : HC_OK;
                break;
            }
            if (!json_is_integer(j) || json_integer_value(j) < f->min ||
                json_integer_value(j) > f->max) {
                char msg[80];
                snprintf(msg, sizeof msg, "expected a whole number from %lld to %lld",
                         (long long)f->min, (long long)f->max);
                rc = hc_diag_set(d, f->name, msg, NULL);
                break;
            }
            v->i = json_integer_value(j);
            v->given = 1;
            rc = HC_OK;
            break;
        case HTTP_F_ARRAY:
            rc = http__get_array(c->body, "", f->name, (size_t)f->max, &v->a, d);
            v->given = v->a != NULL;
            if (rc == HC_OK && f->required && !v->given)
                rc = hc_diag_set(d, f->name, "required", NULL);
            break;
        default:
            rc = HC_EINVAL;
        }
        if (rc != HC_OK)
            return rc;
    }
    return HC_OK;
}

#define PARAM_ID_BAD "expected a request id: a positive whole number"

/* The path parameter as an id (1..10^18 - 1), or 0 when it is not one. */
static int64_t param_id_value(const struct http_call *c)
{
    int64_t v = 0;
    size_t i;
    if (c->param_len == 0 || c->param_len > 18)
        return 0;
    for (i = 0; i < c->param_len; i++) {
        if (c->param[i] < '0' || c->param[i] > '9')
            return 0;
        v = v * 10 + (c->param[i] - '0');
    }
    return v;
}

int64_t http__param_id(struct http_call *c)
{
    int64_t v = param_id_value(c);
    if (v == 0)
        http__problem(c->req, 400, PARAM_ID_BAD, "id");
    return v;
}

int http__put_body(struct http_call *c, const char *const *keys, size_t n, const char *missing)
{
    size_t i;
    int rc;
    if ((c->body = http__parse_body(c->req, &c->diag)) == NULL)
        return HC_EINVAL;
    if ((rc = http__check_keys(c->body, "", keys, n, &c->diag)) != HC_OK)
        return rc;
    for (i = 0; i < n; i++)
        if (json_object_get(c->body, keys[i]) == NULL)
            return hc_diag_set(&c->diag, keys[i], missing, NULL);
    return HC_OK;
}

int http__id_and_body(struct http_call *c, const struct http_body *in, int64_t *id)
{
    if ((*id = param_id_value(c)) == 0)
        return hc_diag_set(&c->diag, "id", PARAM_ID_BAD, NULL);
    if (in != NULL)
        return http__decode_body(c, in);
    return (c->body = http__parse_body(c->req, &c->diag)) != NULL ? HC_OK : HC_EINVAL;
}

const char *http__param_str(struct http_call *c, int (*valid)(const char *s, size_t n),
                            const char *detail, const char *field)
{
    if (c->param_len >= sizeof c->param || !valid(c->param, c->param_len)) {
        http__problem(c->req, 400, detail, field);
        return NULL;
    }
    return c->param;
}

/* ------------------------------------------------------------------------------------------ */
/* Query strings                                                                              */

/* Percent-decode s[0..n) into out (NUL-terminated). HC_EINVAL for bad escapes, NUL bytes or
 * a value that does not fit. */
/* The parameters a route expects (hc_url_query's callback for http__parse_query). */
struct query_params {
    struct http_query_param *p;
    size_t np;
};

static int query_param(void *ctx, const char *name, const char *value, struct hc_diag *d)
{
    struct query_params *qp = ctx;
    size_t k;
    for (k = 0; k < qp->np && strcmp(qp->p[k].name, name) != 0; k++)
        ;
    if (k == qp->np)
        return hc_diag_set(d, name, "unknown query parameter", NULL);
    if (qp->p[k].present)
        return hc_diag_set(d, name, "given twice", NULL);
    memcpy(qp->p[k].value, value, strlen(value) + 1);
    qp->p[k].present = 1;
    return HC_OK;
}

/* Parse req's query string into the np parameters p[] (names set by the caller). Unknown,
 * repeated, empty or undecodable parameters are HC_EINVAL with d->field naming them. */
int http__parse_query(h2o_req_t *req, struct http_query_param *p, size_t np, struct hc_diag *d)
{
    struct query_params qp = {p, np};
    if (req->query_at == SIZE_MAX)
        return HC_OK;
    return hc_url_query(req->path.base + req->query_at + 1, req->path.len - req->query_at - 1,
                        query_param, &qp, d);
}

/* A whole number in lo..hi from a query value. */
int http__query_int(const struct http_query_param *p, int64_t lo, int64_t hi, int64_t *out,
                     struct hc_diag *d)
{
    int64_t v = 0;
    size_t i, n = strlen(p->value);
    if (n == 0 || n > 18)
        goto bad;
    for (i = 0; i < n; i++) {
        if (p->value[i] < '0' || p->value[i] > '9')
            goto bad;
        v = v * 10 + (p->value[i] - '0');
    }
    if (v < lo || v > hi)
        goto bad;
    *out = v;
    return HC_OK;
bad:
    {
        char msg[80];
        snprintf(msg, sizeof msg, "expected a whole number from %lld to %lld", (long long)lo,
                 (long long)hi);
        return hc_diag_set(d, p->name, msg, NULL);
    }
}
