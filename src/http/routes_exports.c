/* SPDX-License-Identifier: MIT
 * routes_exports.c: the public exports (CSV and JSON Lines of every published record) and the
 * daily snapshots they are served from (docs/public-api.md). The delivery thread writes the
 * files (src/app/deliver.c); this file lists them and sends them, withholding any snapshot that
 * holds a field the policy no longer publishes (publish_allows, PUBLISH_SNAPSHOT).
 * And the staff's exports for reports (docs/actions.md): the requests of a period with their
 * outcome in force, the engine's and their contrary actions, and the actions of a period, as
 * JSON Lines. */
#include <h2o.h>
#include <jansson.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "actions.h"
#include "records.h"

#include "date.h"
#include "http_int.h"
#include "routes.h"
#include "portal.h"
#include "public_read.h"
#include "publish.h"

#define EXPORT_MAX_AGE 300

/* Whether a snapshot made under `fields` may be served under the policy now. */
static int snapshot_servable(unsigned snap_fields, unsigned now_fields)
{
    return publish_allows(now_fields, PUBLISH_SNAPSHOT, snap_fields);
}

static void send_snapshot(struct http_call *c, const struct store_snapshot *s, int csv,
                          int latest)
{
    char path[4200], disp[120], cache[48], etag[80];
    struct stat stt;
    snprintf(path, sizeof path, "%s/%s.%s", http__pub->snapshot_dir, s->date, csv ? "csv" : "jsonl");
    if (stat(path, &stt) != 0) {
        http__pub_problem(c->req, 404, "no snapshot file for that date", "date");
        return;
    }
    snprintf(disp, sizeof disp, "attachment; filename=\"holdcheck-public-%s.%s\"", s->date,
             csv ? "csv" : "jsonl");
    snprintf(cache, sizeof cache, "public, max-age=%d", latest ? EXPORT_MAX_AGE : 86400);
    http__add_header(c->req, H2O_TOKEN_CACHE_CONTROL, h2o_strdup(&c->req->pool, cache, SIZE_MAX).base);
    http__add_header_str(c->req, "content-disposition", h2o_strdup(&c->req->pool, disp, SIZE_MAX).base);
    http__add_header_str(c->req, "x-content-type-options", "nosniff");
    http__add_header_str(c->req, "content-security-policy", "default-src 'none'; frame-ancestors 'none'");
    http__add_header_str(c->req, "referrer-policy", "no-referrer");
    http__add_header_str(c->req, "access-control-allow-origin", "*");
    /* A snapshot is written to a temporary file and renamed into place, never changed in
     * place, so its inode, modification time (to the nanosecond) and size identify its bytes.
     * h2o_file_send answers no conditional request itself: the 304 is ours. */
    snprintf(etag, sizeof etag, "\"%llx-%llx.%lx-%llx\"", (unsigned long long)stt.st_ino,
             (unsigned long long)stt.st_mtim.tv_sec, (long)stt.st_mtim.tv_nsec,
             (unsigned long long)stt.st_size);
    http__add_header(c->req, H2O_TOKEN_ETAG, h2o_strdup(&c->req->pool, etag, SIZE_MAX).base);
    if (http__etag_matches(c->req, etag)) {
        c->req->res.status = 304;
        c->req->res.reason = "Not Modified";
        h2o_send_inline(c->req, "", 0);
        return;
    }
    h2o_file_send(c->req, 200, "OK", path,
                  csv ? h2o_iovec_init(H2O_STRLIT("text/csv; charset=utf-8"))
                      : h2o_iovec_init(H2O_STRLIT("application/x-ndjson")),
                  H2O_FILE_FLAG_NO_ETAG);
}

/* The policy and the snapshots (newest first), or an answer and non-zero. */
static int read_snapshots(struct http_call *c, struct store_public_policy *p,
                          struct store_snapshot **s, size_t *n)
{
    struct hc_diag d;
    int rc;
    hc_diag_clear(&d);
    hc_arena_reset(&c->w->arena);
    if (http__pub == NULL || http__pub->snapshot_dir == NULL) {
        http__pub_problem(c->req, 404, "this server keeps no snapshots", NULL);
        return HC_ENOENT;
    }
    rc = public_read_snapshots(c->w->st, &c->w->arena, p, s, n);
    if (rc != HC_OK)
        http__pub_problem_rc(c->req, rc, &d);
    return rc;
}

static void export_latest(struct http_call *c, int csv)
{
    struct store_public_policy p;
    struct store_snapshot *s = NULL;
    size_t n = 0, i;
    if (read_snapshots(c, &p, &s, &n) != HC_OK)
        return;
    /* The newest snapshot made under this very policy version; an older one would lack a
     * field now published or, worse, hold one no longer published. */
    for (i = 0; i < n; i++)
        if (s[i].policy_version == p.version && snapshot_servable(s[i].fields, p.fields)) {
            send_snapshot(c, &s[i], csv, 1);
            return;
        }
    http__add_header(c->req, H2O_TOKEN_RETRY_AFTER, "5");
    http__pub_problem(c->req, 503, "the export for the current publication policy is being written; "
                "retry in a few seconds", NULL);
}

int h_export_csv(struct http_call *c)
{
    export_latest(c, 1);
    return HC_OK;
}
int h_export_jsonl(struct http_call *c)
{
    export_latest(c, 0);
    return HC_OK;
}

int h_snapshots(struct http_call *c)
{
    struct store_public_policy p;
    struct store_snapshot *s = NULL;
    struct hc_buf b;
    size_t n = 0, i;
    int first = 1;
    if (read_snapshots(c, &p, &s, &n) != HC_OK)
        return HC_OK;
    if (http__arena_buf(c->w, &b) != HC_OK) {
        http__pub_problem(c->req, 500, "internal error; see the server log", NULL);
        return HC_OK;
    }
    hc_buf_puts(&b, "{\"snapshots\":[");
    for (i = 0; i < n; i++) {
        if (!snapshot_servable(s[i].fields, p.fields))
            continue; /* withdrawn */
        hc_buf_puts(&b, first ? "{\"date\":" : ",{\"date\":");
        first = 0;
        http__put_jstr(&b, s[i].date);
        hc_buf_puts(&b, ",\"generated_at\":");
        http__put_jstr(&b, s[i].generated_at);
        hc_buf_puts(&b, ",\"rows\":");
        hc_buf_putu(&b, (unsigned long)s[i].rows);
        hc_buf_puts(&b, ",\"published\":");
        http__put_names(&b, s[i].fields, 0);
        hc_buf_puts(&b, ",\"csv\":\"/api/v1/public/snapshots/");
        hc_buf_puts(&b, s[i].date);
        hc_buf_puts(&b, ".csv\",\"jsonl\":\"/api/v1/public/snapshots/");
        hc_buf_puts(&b, s[i].date);
        hc_buf_puts(&b, ".jsonl\"}");
    }
    hc_buf_puts(&b, "]}");
    http__send_public_body(c->req, b.data, b.len, NULL);
    return HC_OK;
}

int h_snapshot_file(struct http_call *c)
{
    struct store_public_policy p;
    struct store_snapshot *s = NULL;
    size_t n = 0, i;
    hc_day day;
    int csv;
    if (c->param_len == 14 && strcmp(c->param + 10, ".csv") == 0)
        csv = 1;
    else if (c->param_len == 16 && strcmp(c->param + 10, ".jsonl") == 0)
        csv = 0;
    else
        csv = -1;
    if (csv < 0 || hc_date_parse(c->param, 10, &day) != 0) {
        http__pub_problem(c->req, 400, "expected YYYY-MM-DD.csv or YYYY-MM-DD.jsonl", "date");
        return HC_OK;
    }
    if (read_snapshots(c, &p, &s, &n) != HC_OK)
        return HC_OK;
    for (i = 0; i < n; i++) {
        if (strncmp(s[i].date, c->param, 10) != 0)
            continue;
        if (!snapshot_servable(s[i].fields, p.fields)) {
            http__pub_problem(c->req, 410, "withdrawn: this snapshot holds fields the agency no longer "
                        "publishes", "date");
            return HC_OK;
        }
        send_snapshot(c, &s[i], csv, 0);
        return HC_OK;
    }
    http__pub_problem(c->req, 404, "no snapshot for that date", "date");
    return HC_OK;
}

/* ------------------------------------------------------------------------------------------ */
/* The staff's exports: JSON Lines for reports                                                */

/* Rows read from the store a call, and the most bytes an export may hold. */
#define STAFF_EXPORT_PAGE 500
#define STAFF_EXPORT_MAX_BYTES ((size_t)64 << 20)

/* An export's text, grown on the heap (it may outgrow the worker's arena). */
struct jsonl {
    char *p;
    size_t len, cap;
    int full; /* over STAFF_EXPORT_MAX_BYTES, or out of memory */
};

/* Append v (consumed) and a newline. */
static void jsonl_add(struct jsonl *o, json_t *v)
{
    char *text = v != NULL ? json_dumps(v, JSON_COMPACT | JSON_PRESERVE_ORDER) : NULL;
    size_t n = text != NULL ? strlen(text) + 1 : 0;
    json_decref(v);
    if (text == NULL || o->full || o->len + n > STAFF_EXPORT_MAX_BYTES) {
        o->full = 1;
        free(text);
        return;
    }
    if (o->len + n > o->cap) {
        size_t cap = o->cap ? o->cap : 65536;
        char *q;
        while (cap < o->len + n)
            cap *= 2;
        if ((q = realloc(o->p, cap)) == NULL) {
            o->full = 1;
            free(text);
            return;
        }
        o->p = q;
        o->cap = cap;
    }
    memcpy(o->p + o->len, text, n - 1);
    o->p[o->len + n - 1] = '\n';
    o->len += n;
    free(text);
}

/* Send o (freed) as JSON Lines named name, or answer 413 when it grew too large. */
static int jsonl_send(struct http_call *c, struct jsonl *o, const char *name)
{
    char disp[96];
    if (o->full) {
        free(o->p);
        hc_diag_set(&c->diag, "from", "the export is too large: ask for a shorter period", NULL);
        return HC_ENOMEM;
    }
    snprintf(disp, sizeof disp, "attachment; filename=\"holdcheck-%s.jsonl\"", name);
    http__add_header_str(c->req, "content-disposition", h2o_strdup(&c->req->pool, disp, SIZE_MAX).base);
    http__respond(c->req, 200, "application/x-ndjson", o->p != NULL ? o->p : "", o->len);
    free(o->p);
    return HC_OK;
}

/* The query of a staff export: its period and whether only contrary rows are wanted. */
struct export_query {
    const char *from, *to;
    int contrary;
};

/* One page of an export: up to STAFF_EXPORT_PAGE rows after *after, appended to o, *after
 * moved to the last; *n (OUT) rows read. */
typedef int (*export_page_fn)(struct http_call *c, const struct export_query *q, int64_t *after,
                              struct jsonl *o, size_t *n);

/* Decode the query (from, to, contrary), read every page and send the export as name. */
static int staff_export(struct http_call *c, const char *name, export_page_fn page)
{
    struct http_query_param p[] = {{"from", "", 0}, {"to", "", 0}, {"contrary", "", 0}};
    struct export_query q = {NULL, NULL, 0};
    struct jsonl o = {NULL, 0, 0, 0};
    int64_t after = 0;
    size_t n = 0;
    int rc;

    if ((rc = http__parse_query(c->req, p, HTTP_NKEYS(p), &c->diag)) != HC_OK ||
        (rc = http__query_period(&p[0], &q.from, &q.to, &c->diag)) != HC_OK ||
        (rc = http__query_bool(&p[2], &q.contrary, &c->diag)) != HC_OK)
        return rc;
    do {
        hc_arena_reset(&c->w->arena);
        if ((rc = page(c, &q, &after, &o, &n)) != HC_OK) {
            free(o.p);
            return rc;
        }
    } while (n == STAFF_EXPORT_PAGE && !o.full);
    return jsonl_send(c, &o, name);
}

/* A page of requests received in the period, as the request list shows them. */
static int requests_page(struct http_call *c, const struct export_query *q, int64_t *after,
                         struct jsonl *o, size_t *n)
{
    struct store_request_filter f = {.from = q->from, .to = q->to, .contrary = q->contrary,
                                   .after_id = *after, .limit = STAFF_EXPORT_PAGE};
    struct store_request_item *items = NULL;
    size_t i;
    int rc;
    if ((rc = records_request_list(c->w->st, &f, &c->w->arena, &items, n)) != HC_OK)
        return rc;
    for (i = 0; i < *n; i++) {
        json_t *e = http__request_json(&items[i].req);
        json_object_set_new(e, "booking_no", http__jstr(items[i].booking_no));
        jsonl_add(o, e);
        *after = items[i].req.id;
    }
    return HC_OK;
}

/* A page of actions that happened in the period. */
static int actions_page(struct http_call *c, const struct export_query *q, int64_t *after,
                        struct jsonl *o, size_t *n)
{
    struct store_action_filter f = {.from = q->from, .to = q->to, .contrary = q->contrary,
                                   .after_id = *after, .limit = STAFF_EXPORT_PAGE};
    struct store_action *x = NULL;
    size_t i;
    int rc;
    if ((rc = actions_list(c->w->st, &f, &c->w->arena, &x, n, &c->diag)) != HC_OK)
        return rc;
    for (i = 0; i < *n; i++) {
        jsonl_add(o, http__action_json(&x[i]));
        *after = x[i].id;
    }
    return HC_OK;
}

/* GET /api/v1/exports/requests.jsonl[?from=&to=&contrary=true]: every request received in the
 * period, oldest first, as the request list shows it (outcome in force, the engine's, the
 * counts of actions and of contrary ones). */
int h_export_requests(struct http_call *c)
{
    return staff_export(c, "requests", requests_page);
}

/* GET /api/v1/exports/actions.jsonl[?from=&to=&contrary=true]: every action that happened in
 * the period, oldest recorded first, with ICE's words for its lift reason. */
int h_export_actions(struct http_call *c)
{
    return staff_export(c, "actions", actions_page);
}
