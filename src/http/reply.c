/* SPDX-License-Identifier: MIT
 * reply.c: how holdcheck answers. Every answer carries the same security headers; every error
 * is application/problem+json (RFC 9457) with a "field" member naming the offending input where
 * there is one; one table maps HC_E* codes to HTTP status. Also the JSON writers that render
 * answers straight into a bounded buffer. */
#include <jansson.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "http_int.h"

static const char *reason(int status)
{
    switch (status) {
    case 200: return "OK";
    case 201: return "Created";
    case 400: return "Bad Request";
    case 401: return "Unauthorized";
    case 403: return "Forbidden";
    case 404: return "Not Found";
    case 405: return "Method Not Allowed";
    case 409: return "Conflict";
    case 413: return "Payload Too Large";
    case 415: return "Unsupported Media Type";
    case 422: return "Unprocessable Content";
    case 429: return "Too Many Requests";
    case 503: return "Service Unavailable";
    default: return status >= 500 ? "Internal Server Error" : status >= 400 ? "Client Error" : "OK";
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

int http__status_for(int rc)
{
    size_t i;
    for (i = 0; i < sizeof status_map / sizeof status_map[0]; i++)
        if (status_map[i].rc == rc)
            return status_map[i].status;
    return 500;
}

void http__add_header(h2o_req_t *req, const h2o_token_t *tok, const char *v)
{
    h2o_add_header(&req->pool, &req->res.headers, tok, NULL, v, strlen(v));
}

void http__add_header_str(h2o_req_t *req, const char *name, const char *v)
{
    h2o_add_header_by_str(&req->pool, &req->res.headers, name, strlen(name), 0, NULL, v,
                          strlen(v));
}

void http__add_security_headers(h2o_req_t *req)
{
    http__add_header(req, H2O_TOKEN_CACHE_CONTROL, "no-store");
    http__add_header_str(req, "x-content-type-options", "nosniff");
    http__add_header_str(req, "content-security-policy", "default-src 'none'; frame-ancestors 'none'");
    http__add_header_str(req, "referrer-policy", "no-referrer");
}

/* Send body with the headers every API answer carries. */
void http__respond(h2o_req_t *req, int status, const char *ctype, const char *body, size_t len)
{
    req->res.status = status;
    req->res.reason = reason(status);
    req->res.content_length = len;
    http__add_header(req, H2O_TOKEN_CONTENT_TYPE, ctype);
    http__add_security_headers(req);
    h2o_send_inline(req, body, len);
}

/* Send a JSON value (consumed) with status. */
void http__respond_json(h2o_req_t *req, int status, json_t *v)
{
    char *text = v ? json_dumps(v, JSON_COMPACT | JSON_PRESERVE_ORDER) : NULL;
    json_decref(v);
    if (text == NULL) {
        static const char oom[] = "{\"type\":\"about:blank\",\"title\":\"Internal Server Error\","
                                  "\"status\":500,\"detail\":\"out of memory\"}";
        http__respond(req, 500, "application/problem+json", oom, sizeof oom - 1);
        return;
    }
    http__respond(req, status, "application/json", text, strlen(text));
    free(text);
}

void http__problem(h2o_req_t *req, int status, const char *detail, const char *field)
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
        http__respond(req, status, "application/problem+json", "{}", 2);
        return;
    }
    http__respond(req, status, "application/problem+json", text, strlen(text));
    free(text);
}

/* A problem for error rc with detail from d. Internal errors do not leak their detail. */
void http__problem_rc(h2o_req_t *req, int rc, const struct hc_diag *d)
{
    int status = http__status_for(rc);
    if (status == 500)
        http__problem(req, 500, "internal error; see the server log", NULL);
    else
        http__problem(req, status, d->msg[0] ? d->msg : service_strerror(rc), d->field);
}

void http__put_jstr(struct hc_buf *b, const char *s)
{
    if (s == NULL)
        http__bput(b, "null", 4);
    else
        hc_buf_put_jstr(b, s, strlen(s));
}

void http__put_bool(struct hc_buf *b, int v)
{
    if (v)
        http__bput(b, "true", 4);
    else
        http__bput(b, "false", 5);
}

void http__put_int(struct hc_buf *b, int64_t v)
{
    char tmp[24];
    size_t n = sizeof tmp;
    uint64_t u = v < 0 ? (uint64_t)-(v + 1) + 1 : (uint64_t)v;
    do {
        tmp[--n] = (char)('0' + u % 10);
        u /= 10;
    } while (u != 0);
    if (v < 0)
        tmp[--n] = '-';
    http__bput(b, tmp + n, sizeof tmp - n);
}


json_t *http__jstr(const char *s)
{
    return s ? json_string(s) : json_null();
}

json_t *http__audit_entries_json(const struct store_audit_entry *e, size_t n)
{
    json_t *arr = json_array();
    size_t i;
    for (i = 0; i < n; i++) {
        json_t *x = json_object(), *pl = json_loads(e[i].payload, 0, NULL);
        json_object_set_new(x, "seq", json_integer(e[i].seq));
        json_object_set_new(x, "at", http__jstr(e[i].at));
        json_object_set_new(x, "actor", http__jstr(e[i].actor));
        json_object_set_new(x, "action", http__jstr(e[i].action));
        json_object_set_new(x, "entity", http__jstr(e[i].entity));
        json_object_set_new(x, "payload", pl ? pl : http__jstr(e[i].payload));
        json_object_set_new(x, "hash", http__jstr(e[i].hash));
        json_array_append_new(arr, x);
    }
    return arr;
}

int http__arena_buf(struct http_worker *w, struct hc_buf *b)
{
    struct hc_arena *a = &w->arena;
    size_t room = a->cap - a->used > 64 ? a->cap - a->used - 64 : 0;
    char *mem = room ? hc_arena_alloc(a, room) : NULL;
    if (mem == NULL)
        return HC_ENOMEM;
    hc_buf_init(b, mem, room);
    return HC_OK;
}

void *http__pool_alloc(void *pool, size_t n)
{
    return h2o_mem_alloc_pool((h2o_mem_pool_t *)pool, n);
}
