/* SPDX-License-Identifier: MIT
 * http_int.h: shared inside src/http only. A worker is one thread's event loop, h2o context,
 * database connection and scratch memory; handlers find it from req->conn->ctx. */
#ifndef HC_HTTP_INT_H
#define HC_HTTP_INT_H

#include <h2o.h>
#include <pthread.h>

#include "arena.h"
#include "catalog.h"
#include "store.h"

struct http_worker {
    h2o_context_t ctx;            /* its loop is this worker's own */
    h2o_accept_ctx_t accept_ctx;
    h2o_socket_t *listener;       /* this loop's handle on the shared listening socket */
    struct hc_store *st;          /* owned; this thread's connection */
    const struct hc_catalog *cat; /* borrowed, shared read-only */
    char *arena_mem;              /* owned; scratch for one request at a time */
    struct hc_arena arena;
    pthread_t thread;
    int started;                  /* thread was created (workers 1..n-1) */
};

/* The worker serving req. */
struct http_worker *http__worker(h2o_req_t *req);

/* The on_req of the one handler registered at "/": route and answer. Always returns 0. */
int http__on_req(h2o_handler_t *self, h2o_req_t *req);

/* Internal path that h2o's errordoc filter fetches to render its own 413 as problem+json. */
#define HTTP_ERRDOC_413 "/_holdcheck/error/413"

#define HTTP_ARENA_SIZE ((size_t)8 << 20) /* a case of 500 convictions fits in well under half */

#endif
