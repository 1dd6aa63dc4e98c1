/* SPDX-License-Identifier: MIT
 * routes_feed.c: POST /api/v1/feed, the custody feed for a jail management system that pushes
 * over HTTP (docs/import.md, "The custody feed"): the body is JSON Lines of one kind, the
 * Idempotency-Key header makes a retried push apply once. Decoding, applying and the answer are
 * feed_push's (src/app/feed.c), which the CLI's `import --upsert` shares the rules of. */
#include <h2o.h>
#include <string.h>
#include <strings.h>

#include "feed.h"
#include "http_int.h"
#include "routes.h"

#define KEY_HEADER "idempotency-key"
#define KEY_MAX 200

/* Whether the request's Content-Type is JSON Lines (application/x-ndjson or
 * application/jsonl, parameters allowed): like the JSON routes, a plain form or text body a
 * browser could send from another site is refused. */
static int is_jsonl(h2o_req_t *req)
{
    static const char *const types[] = {"application/x-ndjson", "application/jsonl"};
    ssize_t i = h2o_find_header(&req->headers, H2O_TOKEN_CONTENT_TYPE, -1);
    size_t k;
    h2o_iovec_t v;
    if (i < 0)
        return 0;
    v = req->headers.entries[i].value;
    for (k = 0; k < sizeof types / sizeof types[0]; k++) {
        size_t n = strlen(types[k]);
        if (v.len >= n && strncasecmp(v.base, types[k], n) == 0 &&
            (v.len == n || v.base[n] == ';' || v.base[n] == ' '))
            return 1;
    }
    return 0;
}

/* The push: on the pool (offload.h), as applying it writes, fsyncs and may wait for the
 * write lock behind an import. */
static int feed_push_job(struct http_call *c)
{
    h2o_req_t *req = c->req;
    struct feed_answer ans;
    char key[KEY_MAX + 1];
    ssize_t i;
    int rc;

    if (req->entity.len > c->w->max_body_bytes) {
        http__reply_problem(c, 413, "request body larger than the server's limit (max_body_bytes)",
                            NULL);
        return HC_OK;
    }
    if (!is_jsonl(req)) {
        http__reply_problem(c, 415, "send Content-Type: application/x-ndjson (JSON Lines)", NULL);
        return HC_OK;
    }
    key[0] = '\0';
    i = h2o_find_header_by_str(&req->headers, H2O_STRLIT(KEY_HEADER), -1);
    if (i >= 0) {
        h2o_iovec_t v = req->headers.entries[i].value;
        if (v.len > KEY_MAX)
            return hc_diag_set(&c->diag, "Idempotency-Key", "longer than 200 characters", NULL);
        memcpy(key, v.base, v.len);
        key[v.len] = '\0';
    }
    hc_arena_reset(&c->w->arena);
    rc = feed_push(c->w->st, c->who.name, key, req->entity.base != NULL ? req->entity.base : "",
                   req->entity.len, &c->w->arena, &ans, &c->diag);
    if (rc != HC_OK)
        return rc;
    if (ans.replayed)
        http__reply_header(c, "idempotent-replayed", "true");
    http__reply(c, ans.status, ans.content_type, ans.body, ans.len);
    return HC_OK;
}

int h_feed_push(struct http_call *c)
{
    return http__offload(c, feed_push_job);
}
