/* SPDX-License-Identifier: MIT
 * offload.h: the blocking part of a request run on a small pool of threads, off the event
 * loops (docs/architecture.md, "Threads and memory").
 *
 * An event loop serves every connection of its thread, so anything slow a handler does there
 * (an argon2id hash, a COMMIT's fsync, a WAL checkpoint, a wait for SQLite's write lock) stalls
 * every other request on that loop. A handler that blocks calls http__offload instead: the
 * call (its decoded body, who sent it, the path parameter) moves into a job, the job waits in
 * a bounded queue, a pool thread runs the handler's blocking function with its own store
 * connection and arena, and the answer it recorded goes back to the loop that took the request
 * through that loop's h2o message queue (h2o_multithread_send_message), where it is sent.
 *
 * Who may touch the request while a job runs: h2o 2.2.5 stops reading an HTTP/1 connection
 * from the moment it hands a request to the handler until the response is sent, and clears its
 * timeout (lib/http1.c, on_entity_read_complete), so no other thread reads or writes the
 * h2o_req_t then; a client that hangs up is noticed only when the answer is written, and h2o
 * then closes the connection itself. The job's function may read the request (its headers,
 * body, path); it must not answer it or allocate from its pool: it answers through the
 * http__reply* functions below, which record the answer for the loop. An HTTP/2 client may
 * reset a stream at any time, which frees its request, so an HTTP/2 request's job runs on its
 * loop, as with no pool (HTTP/2 is off unless configured, server.c). */
#ifndef HC_HTTP_OFFLOAD_H
#define HC_HTTP_OFFLOAD_H

#include <jansson.h>
#include <stddef.h>
#include <stdint.h>

#include "service.h"

struct http_call;
struct http_worker;
struct http_offload;
struct hc_diag;

/* What a handler's blocking part is: it runs with c->w being the pool thread's worker (its
 * store connection and arena; the shared caches, throttle, metrics and settings of the loops)
 * and answers through http__reply*; or returns an HC_E* code with c->diag set, which the router
 * answers as a problem, as it does a handler's. */
typedef int (*http_job_fn)(struct http_call *c);

/* What http__offload returns when the job was queued: the answer will come later. Not an
 * HC_E* code (those are negative), not HC_OK. */
#define HTTP_OFFLOADED 1

#define HTTP_OFFLOAD_THREADS_DEFAULT 2 /* argon2id takes 64 MiB each: two at once, not more */
#define HTTP_OFFLOAD_QUEUE_DEFAULT 64  /* jobs waiting for a thread, all loops together */

/* Make the pool: threads threads (0: no pool, every job runs inline on its loop, as before the
 * pool existed), each opening db_path with db_open (service.h) on its own connection, and a queue of at most queue_max
 * waiting jobs. tmpl is the worker whose shared parts (metrics, caches, throttle, settings,
 * catalog, limits) the pool threads' workers borrow; it must outlive the pool. Returns the
 * pool (NULL with d set when a connection, memory or a thread cannot be had). The threads run
 * until http_offload_free. */
struct http_offload *http_offload_new(service_open_fn db_open, const char *db_path, int threads,
                                      size_t queue_max, const struct http_worker *tmpl,
                                      struct hc_diag *d);
/* Stop the pool: jobs still queued are run, the threads end, their connections close, p is
 * freed. Call it after every loop has stopped and detached (their answers would have nowhere
 * to go). p may be NULL. */
void http_offload_free(struct http_offload *p);
/* Let loop worker w hand jobs to p and receive their answers on its h2o message queue; call
 * on w's thread or before its loop runs. p may be NULL (jobs then run inline). */
void http_offload_attach(struct http_offload *p, struct http_worker *w);
/* Stop receiving answers for w when none of its jobs is still out; call on w's thread after
 * its loop stopped, before its context is disposed. Returns the number of jobs still out
 * (their connections are still open too, so the caller keeps the context: the answers of
 * those jobs then stay undelivered until the process ends). */
size_t http_offload_detach(struct http_worker *w);

/* In a handler on the loop: run fn for c on the pool. Takes c's decoded body and whatever
 * fn needs of c; fills c->client_* (http__call_client: fn may not ask the connection).
 * Returns HTTP_OFFLOADED when queued (the router leaves the answer to the job); when the queue
 * is full, answers 503 with Retry-After and returns HC_OK; when the pool has no threads, runs
 * fn inline (counted in the pool's figures as a job) and returns what it returns. */
int http__offload(struct http_call *c, http_job_fn fn);

/* Answer c: on a pool thread, recorded for c's loop to send; on the loop, sent at once.
 * Bodies and header values are copied. http__reply_json consumes v. */
void http__reply(struct http_call *c, int status, const char *ctype, const char *body,
                 size_t len);
void http__reply_json(struct http_call *c, int status, json_t *v);
void http__reply_problem(struct http_call *c, int status, const char *detail,
                         const char *field);
void http__reply_problem_rc(struct http_call *c, int rc, const struct hc_diag *d);
/* Add a response header (name lower case) to c's answer; at most 4 per answer, values of at
 * most 511 bytes (longer ones are cut). */
void http__reply_header(struct http_call *c, const char *name, const char *value);

/* The pool's figures for /metrics: jobs running now, jobs waiting, jobs refused (503) since
 * start. All zero without a pool. */
struct http_offload_stats {
    unsigned long running, queued, refused, done;
};
void http_offload_stats(struct http_offload *p, struct http_offload_stats *out);

#endif
