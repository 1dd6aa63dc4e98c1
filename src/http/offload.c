/* SPDX-License-Identifier: MIT
 * offload.c: the pool of threads that runs handlers' blocking parts (offload.h).
 *
 * One mutex and one condition guard the queue of waiting jobs, a singly linked list bounded
 * by queue_max. A job is malloc'd by the loop that took the request, owned by the pool from
 * the moment it is queued, and handed back whole through the loop's h2o message queue, whose
 * mutex orders the pool thread's writes to the job (its answer, the request's body it freed
 * nothing of) before the loop reads them. The loop frees it after sending the answer. */
#include <errno.h>
#include <h2o.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>

#include "http_int.h"
#include "log.h"
#include "offload.h"

#define JOB_HEADERS 4

enum job_answer {
    JOB_NONE,       /* nothing recorded: the job's result code is the answer */
    JOB_BODY,       /* status, content type and body */
    JOB_PROBLEM,    /* status, detail and field */
    JOB_PROBLEM_RC  /* an error code and its diagnosis */
};

struct http_job {
    h2o_multithread_message_t msg; /* linked in the origin loop's receiver once run */
    struct http_job *next;         /* in the pool's queue */
    struct http_worker *origin;    /* the loop that took the request and sends the answer */
    http_job_fn fn;
    struct http_call call;         /* the handler's call, moved here; call.job is this job */
    int rc;                        /* what fn returned */
    enum job_answer kind;
    int status;
    char ctype[64];
    char *body;                    /* malloc'd, len bytes */
    size_t len;
    char detail[sizeof ((struct hc_diag *)0)->msg];
    char field[sizeof ((struct hc_diag *)0)->field];
    struct hc_diag diag;           /* JOB_PROBLEM_RC */
    struct {
        char name[40];
        char value[512];
    } hdr[JOB_HEADERS];
    size_t nhdr;
};

struct pool_thread {
    struct http_offload *pool;
    struct http_worker w; /* its own store connection and arena; the rest borrowed */
    pthread_t thread;
    int started;
};

struct http_offload {
    pthread_mutex_t lock;
    pthread_cond_t more;        /* a job was queued, or the pool is stopping */
    struct http_job *head, *tail;
    size_t queued, queue_max;
    int stopping;
    size_t nthreads;
    struct pool_thread *th;
    atomic_ulong running, refused, done;
};

static void job_free(struct http_job *j)
{
    json_decref(j->call.body);
    free(j->body);
    free(j);
}

/* How much lower than the loops the pool threads run (nice). On Linux a nice value is a
 * thread's own (setpriority of PRIO_PROCESS 0 sets the calling thread's: setpriority(2),
 * NOTES): the loops, which answer in microseconds, then take a core from a thread in the
 * middle of argon2id at once, instead of waiting for their share of it. */
#define POOL_NICE 10

static void *pool_run(void *arg)
{
    struct pool_thread *t = arg;
    struct http_offload *p = t->pool;
    struct http_job *j;

    if (setpriority(PRIO_PROCESS, 0, POOL_NICE) != 0)
        hc_log(HC_LOG_WARN, "cannot lower the pool thread's priority: %s", strerror(errno));

    pthread_mutex_lock(&p->lock);
    for (;;) {
        while (p->head == NULL && !p->stopping)
            pthread_cond_wait(&p->more, &p->lock);
        if ((j = p->head) == NULL)
            break; /* stopping, and nothing is left to run */
        p->head = j->next;
        if (p->head == NULL)
            p->tail = NULL;
        p->queued--;
        pthread_mutex_unlock(&p->lock);

        atomic_fetch_add_explicit(&p->running, 1, memory_order_relaxed);
        j->call.w = &t->w;
        hc_arena_reset(&t->w.arena);
        j->rc = j->fn(&j->call);
        atomic_fetch_sub_explicit(&p->running, 1, memory_order_relaxed);
        atomic_fetch_add_explicit(&p->done, 1, memory_order_relaxed);
        h2o_multithread_send_message(&j->origin->offload_rx, &j->msg);

        pthread_mutex_lock(&p->lock);
    }
    pthread_mutex_unlock(&p->lock);
    return NULL;
}

/* Send job j's answer on its loop w, then do what the router does after a handler. */
static void send_answer(struct http_worker *w, struct http_job *j)
{
    struct http_call *c = &j->call;
    h2o_req_t *req = c->req;
    size_t i;

    c->w = w;
    c->job = NULL; /* from here on, http__reply* answer at once */
    for (i = 0; i < j->nhdr; i++)
        http__add_header_str(req, h2o_strdup(&req->pool, j->hdr[i].name, SIZE_MAX).base,
                             h2o_strdup(&req->pool, j->hdr[i].value, SIZE_MAX).base);
    switch (j->kind) {
    case JOB_BODY:
        http__respond(req, j->status, h2o_strdup(&req->pool, j->ctype, SIZE_MAX).base,
                      j->body != NULL ? j->body : "", j->len);
        break;
    case JOB_PROBLEM:
        http__problem(req, j->status, j->detail, j->field);
        break;
    case JOB_PROBLEM_RC:
        http__problem_rc(req, j->status, &j->diag);
        break;
    case JOB_NONE:
        if (j->rc == HC_OK) {
            hc_log(HC_LOG_ERROR, "a job answered nothing");
            http__problem(req, 500, "internal error; see the server log", NULL);
        } else {
            http__route_failed(c, j->rc);
        }
        break;
    }
    http__route_done(c);
}

/* The receiver of loop w: the jobs of w that the pool has run. h2o's list is walked once and
 * emptied as a whole (h2o asserts it is empty on return), then each job answered and freed. */
static void on_answers(h2o_multithread_receiver_t *rx, h2o_linklist_t *messages)
{
    struct http_worker *w = H2O_STRUCT_FROM_MEMBER(struct http_worker, offload_rx, rx);
    struct http_job *done = NULL, **tail = &done, *j;
    h2o_linklist_t *l;
    for (l = messages->next; l != messages; l = l->next) {
        h2o_multithread_message_t *m = H2O_STRUCT_FROM_MEMBER(h2o_multithread_message_t, link, l);
        j = H2O_STRUCT_FROM_MEMBER(struct http_job, msg, m);
        j->next = NULL;
        *tail = j;
        tail = &j->next;
    }
    h2o_linklist_init_anchor(messages);
    while ((j = done) != NULL) {
        done = j->next;
        send_answer(w, j);
        w->offload_out--;
        job_free(j);
    }
}

struct http_offload *http_offload_new(service_open_fn db_open, const char *db_path, int threads,
                                      size_t queue_max, const struct http_worker *tmpl,
                                      struct hc_diag *d)
{
    struct http_offload *p = calloc(1, sizeof *p);
    size_t i;
    if (p == NULL)
        return NULL;
    pthread_mutex_init(&p->lock, NULL);
    pthread_cond_init(&p->more, NULL);
    p->queue_max = queue_max > 0 ? queue_max : 1;
    p->nthreads = threads > 0 ? (size_t)threads : 0;
    if (p->nthreads == 0)
        return p;
    if ((p->th = calloc(p->nthreads, sizeof *p->th)) == NULL) {
        hc_diag_set(d, "offload", "out of memory", NULL);
        http_offload_free(p);
        return NULL;
    }
    for (i = 0; i < p->nthreads; i++) {
        struct pool_thread *t = &p->th[i];
        struct http_worker *w = &t->w;
        t->pool = p;
        w->metrics = tmpl->metrics;
        w->conns = tmpl->conns;
        w->cache = tmpl->cache;
        w->throttle = tmpl->throttle;
        w->dob_budget = tmpl->dob_budget;
        w->secure_cookie = tmpl->secure_cookie;
        w->proxies = tmpl->proxies;
        w->hsts_max_age = tmpl->hsts_max_age;
        w->max_body_bytes = tmpl->max_body_bytes;
        w->session_seconds = tmpl->session_seconds;
        w->cat = tmpl->cat;
        w->agency = tmpl->agency;
        if (service_open(db_open, db_path, 0, &w->st, d) != HC_OK ||
            (w->arena_mem = malloc(HTTP_ARENA_SIZE)) == NULL) {
            if (w->st != NULL && w->arena_mem == NULL)
                hc_diag_set(d, "offload", "out of memory", NULL);
            http_offload_free(p);
            return NULL;
        }
        hc_arena_init(&w->arena, w->arena_mem, HTTP_ARENA_SIZE);
        if (pthread_create(&t->thread, NULL, pool_run, t) != 0) {
            hc_diag_set(d, "offload", "cannot start a thread", NULL);
            http_offload_free(p);
            return NULL;
        }
        t->started = 1;
    }
    return p;
}

void http_offload_free(struct http_offload *p)
{
    size_t i;
    if (p == NULL)
        return;
    pthread_mutex_lock(&p->lock);
    p->stopping = 1;
    pthread_cond_broadcast(&p->more);
    pthread_mutex_unlock(&p->lock);
    for (i = 0; i < p->nthreads && p->th != NULL; i++) {
        if (p->th[i].started)
            pthread_join(p->th[i].thread, NULL);
        service_close(p->th[i].w.st);
        free(p->th[i].w.arena_mem);
    }
    free(p->th);
    pthread_cond_destroy(&p->more);
    pthread_mutex_destroy(&p->lock);
    free(p);
}

void http_offload_attach(struct http_offload *p, struct http_worker *w)
{
    w->offload = p;
    w->offload_out = 0;
    if (p == NULL || p->nthreads == 0)
        return;
    h2o_multithread_register_receiver(w->ctx.queue, &w->offload_rx, on_answers);
    w->offload_rx_on = 1;
}

size_t http_offload_detach(struct http_worker *w)
{
    if (w->offload_rx_on && w->offload_out == 0) {
        h2o_multithread_unregister_receiver(w->ctx.queue, &w->offload_rx);
        w->offload_rx_on = 0;
    }
    return w->offload_out;
}

void http_offload_stats(struct http_offload *p, struct http_offload_stats *out)
{
    memset(out, 0, sizeof *out);
    if (p == NULL)
        return;
    out->running = atomic_load_explicit(&p->running, memory_order_relaxed);
    out->refused = atomic_load_explicit(&p->refused, memory_order_relaxed);
    out->done = atomic_load_explicit(&p->done, memory_order_relaxed);
    pthread_mutex_lock(&p->lock);
    out->queued = p->queued;
    pthread_mutex_unlock(&p->lock);
}

/* 503 for a job the queue has no room for. */
static void refuse(struct http_call *c)
{
    http__add_header(c->req, H2O_TOKEN_RETRY_AFTER, "1");
    http__problem(c->req, 503, "the server is busy with slow work (logins, writes); try again "
                  "shortly", NULL);
}

int http__offload(struct http_call *c, http_job_fn fn)
{
    struct http_offload *p = c->w->offload;
    struct http_job *j;
    int rc;

    http__call_client(c);
    if (p == NULL)
        return fn(c);
    /* On the loop, too, for HTTP/2: h2o 2.2.5 frees a stream's request when the client resets
     * the stream, which it may do while a pool thread reads the request. */
    if (p->nthreads == 0 || c->req->version >= 0x200) {
        /* counted as running all the same: the figures mean one thing */
        atomic_fetch_add_explicit(&p->running, 1, memory_order_relaxed);
        rc = fn(c);
        atomic_fetch_sub_explicit(&p->running, 1, memory_order_relaxed);
        atomic_fetch_add_explicit(&p->done, 1, memory_order_relaxed);
        return rc;
    }
    if ((j = calloc(1, sizeof *j)) == NULL) {
        refuse(c);
        return HC_OK;
    }
    pthread_mutex_lock(&p->lock);
    if (p->queued >= p->queue_max) {
        pthread_mutex_unlock(&p->lock);
        free(j);
        atomic_fetch_add_explicit(&p->refused, 1, memory_order_relaxed);
        refuse(c);
        return HC_OK;
    }
    j->call = *c;
    j->call.job = j;
    j->fn = fn;
    j->origin = c->w;
    c->body = NULL; /* the job's now: freed with it */
    if (p->tail != NULL)
        p->tail->next = j;
    else
        p->head = j;
    p->tail = j;
    p->queued++;
    pthread_cond_signal(&p->more);
    pthread_mutex_unlock(&p->lock);
    c->w->offload_out++;
    return HTTP_OFFLOADED;
}

/* ------------------------------------------------------------------------------------------ */
/* Answers: recorded on a pool thread, sent at once on the loop                               */

void http__reply(struct http_call *c, int status, const char *ctype, const char *body,
                 size_t len)
{
    struct http_job *j = c->job;
    if (j == NULL) {
        http__respond(c->req, status, ctype, body, len);
        return;
    }
    free(j->body);
    j->body = NULL;
    j->len = 0;
    if (len > 0 && (j->body = malloc(len)) == NULL) {
        hc_diag_clear(&j->diag);
        j->kind = JOB_PROBLEM;
        j->status = 500;
        snprintf(j->detail, sizeof j->detail, "out of memory");
        j->field[0] = '\0';
        return;
    }
    if (len > 0)
        memcpy(j->body, body, len);
    j->len = len;
    j->kind = JOB_BODY;
    j->status = status;
    snprintf(j->ctype, sizeof j->ctype, "%s", ctype);
}

void http__reply_json(struct http_call *c, int status, json_t *v)
{
    char *text;
    if (c->job == NULL) {
        http__respond_json(c->req, status, v);
        return;
    }
    text = v != NULL ? json_dumps(v, JSON_COMPACT | JSON_PRESERVE_ORDER) : NULL;
    json_decref(v);
    if (text == NULL) {
        http__reply_problem(c, 500, "out of memory", NULL);
        return;
    }
    http__reply(c, status, "application/json", text, strlen(text));
    free(text);
}

void http__reply_problem(struct http_call *c, int status, const char *detail, const char *field)
{
    struct http_job *j = c->job;
    if (j == NULL) {
        http__problem(c->req, status, detail, field);
        return;
    }
    j->kind = JOB_PROBLEM;
    j->status = status;
    snprintf(j->detail, sizeof j->detail, "%s", detail != NULL ? detail : "");
    snprintf(j->field, sizeof j->field, "%s", field != NULL ? field : "");
}

void http__reply_problem_rc(struct http_call *c, int rc, const struct hc_diag *d)
{
    struct http_job *j = c->job;
    if (j == NULL) {
        http__problem_rc(c->req, rc, d);
        return;
    }
    j->kind = JOB_PROBLEM_RC;
    j->status = rc; /* the code; the loop maps it */
    j->diag = *d;
}

void http__reply_header(struct http_call *c, const char *name, const char *value)
{
    struct http_job *j = c->job;
    if (j == NULL) {
        h2o_req_t *req = c->req;
        http__add_header_str(req, h2o_strdup(&req->pool, name, SIZE_MAX).base,
                             h2o_strdup(&req->pool, value, SIZE_MAX).base);
        return;
    }
    if (j->nhdr == JOB_HEADERS) {
        hc_log(HC_LOG_ERROR, "a job set more than %d headers; \"%s\" dropped", JOB_HEADERS,
               name);
        return;
    }
    snprintf(j->hdr[j->nhdr].name, sizeof j->hdr[j->nhdr].name, "%s", name);
    snprintf(j->hdr[j->nhdr].value, sizeof j->hdr[j->nhdr].value, "%s", value);
    j->nhdr++;
}
