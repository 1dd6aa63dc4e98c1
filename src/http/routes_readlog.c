/* SPDX-License-Identifier: MIT
 * routes_readlog.c: the read-access log over HTTP (docs/operations.md, "Read-access log"):
 * the entry the router queues after each staff read (http__readlog_note), and
 * GET /api/v1/read-log?user=&from=&to=&kind=&object=&limit=&cursor=&format= for auditors and
 * administrators, one page as JSON or CSV (readlog_list, readlog_csv in src/app/readlog.c). */
#include <h2o.h>
#include <stdio.h>
#include <string.h>

#include "readlog.h"

#include "http_int.h"
#include "routes.h"

/* The address a read came from, as the read log records it: the connection's peer (a job
 * keeps the text it took on the loop). The one place to change when the client's address is
 * learnt otherwise (e.g. from a trusted proxy). */
static void read_client(const struct http_call *c, char out[HTTP_CLIENT_TEXT_LEN])
{
    if (c->client_text[0] != '\0')
        snprintf(out, HTTP_CLIENT_TEXT_LEN, "%s", c->client_text);
    else
        http__client_text(c->req, out);
}

void http__readlog_note(const struct http_call *c)
{
    const struct http_route *r = &http_routes[c->route];
    const h2o_req_t *req = c->req;
    struct store_read_entry e;
    char client[HTTP_CLIENT_TEXT_LEN];

    if (c->w->readlog == NULL || r->reads == READLOG_UNSET || r->reads == READLOG_NONE ||
        c->who.user_id == 0)
        return;
    memset(&e, 0, sizeof e);
    e.user_id = c->who.user_id;
    snprintf(e.user_name, sizeof e.user_name, "%s", c->who.name);
    snprintf(e.role, sizeof e.role, "%s", auth_role_name(c->who.role));
    snprintf(e.method, sizeof e.method, "%s", r->method);
    snprintf(e.route, sizeof e.route, "%s", r->pattern);
    snprintf(e.kind, sizeof e.kind, "%s", readlog_kind_name(r->reads));
    /* the path parameter, cut to fit; "" when the route has none */
    snprintf(e.object, sizeof e.object, "%.*s", (int)sizeof e.object - 1, c->param);
    if (req->query_at != SIZE_MAX && req->query_at + 1 < req->path.len)
        snprintf(e.query, sizeof e.query, "%.*s", (int)(req->path.len - req->query_at - 1),
                 req->path.base + req->query_at + 1);
    read_client(c, client);
    snprintf(e.client, sizeof e.client, "%s", client);
    e.status = req->res.status;
    readlog_note(c->w->readlog, &e);
}

int h_read_log(struct http_call *c)
{
    enum { P_USER, P_FROM, P_TO, P_KIND, P_OBJECT, P_LIMIT, P_CURSOR, P_FORMAT, P_N };
    struct http_query_param p[P_N] = {{.name = "user"},   {.name = "from"},  {.name = "to"},
                                      {.name = "kind"},   {.name = "object"}, {.name = "limit"},
                                      {.name = "cursor"}, {.name = "format"}};
    struct readlog_query q;
    struct store_read_entry *e = NULL;
    size_t n = 0, i;
    int64_t limit = 100, cursor = 0, next = 0;
    int csv = 0, rc;
    json_t *o, *arr;

    memset(&q, 0, sizeof q);
    if ((rc = http__parse_query(c->req, p, P_N, &c->diag)) != HC_OK ||
        (p[P_LIMIT].present &&
         (rc = http__query_int(&p[P_LIMIT], 1, 1000, &limit, &c->diag)) != HC_OK) ||
        (p[P_CURSOR].present &&
         (rc = http__query_int(&p[P_CURSOR], 0, INT64_MAX, &cursor, &c->diag)) != HC_OK))
        return rc;
    if (p[P_FORMAT].present) {
        if (strcmp(p[P_FORMAT].value, "csv") != 0 && strcmp(p[P_FORMAT].value, "json") != 0)
            return hc_diag_set(&c->diag, "format", "expected json or csv", NULL);
        csv = p[P_FORMAT].value[0] == 'c';
    }
    q.user = p[P_USER].present ? p[P_USER].value : NULL;
    q.from = p[P_FROM].present ? p[P_FROM].value : NULL;
    q.to = p[P_TO].present ? p[P_TO].value : NULL;
    q.kind = p[P_KIND].present ? p[P_KIND].value : NULL;
    q.object = p[P_OBJECT].present ? p[P_OBJECT].value : NULL;
    q.limit = (int)limit;
    q.cursor = cursor;
    rc = readlog_list(c->w->st, &q, &c->w->arena, &e, &n, &next, &c->diag);
    if (rc == READLOG_ENOTSUP) {
        http__problem(c->req, 501, "this server's database has no read-access log yet (SQLite "
                      "only)", NULL);
        return HC_OK;
    }
    if (rc != HC_OK)
        return rc;
    if (csv) {
        struct hc_buf b;
        char nc[24];
        if ((rc = http__arena_buf(c->w, &b)) != HC_OK)
            return rc;
        readlog_csv(e, n, 1, &b);
        if (b.full)
            return HC_ENOMEM;
        if (next > 0) {
            snprintf(nc, sizeof nc, "%lld", (long long)next);
            http__add_header_str(c->req, "x-next-cursor",
                                 h2o_strdup(&c->req->pool, nc, SIZE_MAX).base);
        }
        http__add_header_str(c->req, "content-disposition",
                             "attachment; filename=\"holdcheck-read-log.csv\"");
        http__respond(c->req, 200, "text/csv; charset=utf-8", b.data, b.len);
        return HC_OK;
    }
    if ((arr = json_array()) == NULL)
        return HC_ENOMEM;
    for (i = 0; i < n; i++)
        json_array_append_new(arr, readlog_entry_json(&e[i]));
    o = json_pack("{so so}", "entries", arr, "next_cursor",
                  next > 0 ? json_integer(next) : json_null());
    http__respond_json(c->req, 200, o);
    return HC_OK;
}
