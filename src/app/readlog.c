/* SPDX-License-Identifier: MIT
 * readlog.c: the read-access log's writer, retention, queries and export (readlog.h).
 *
 * The writer: every worker of the server queues its entries in one bounded ring under one
 * mutex (a copy of under 1 KiB: no allocation, no I/O on the caller's thread), and a thread
 * of its own, with its own database connection, takes out what is queued, READLOG_TAKE at
 * most, and commits it in one transaction: at most one commit (one fsync) a second while
 * reads trickle in, one per READLOG_BATCH entries or more under load. When reads come faster
 * than the writer commits, the ring fills and readers wait for room (readlog_note): the log is
 * a record of every staff read, so the reads are paced by it rather than leave it behind. A
 * crash (SIGKILL, power) loses what is queued and not yet committed: at most the last
 * second's entries, or READLOG_QUEUE of them; a stop by SIGINT or SIGTERM commits everything
 * first. */
#include <inttypes.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "clock.h"
#include "csv.h"
#include "date.h"
#include "log.h"
#include "readlog.h"
#include "store.h"

static const char *const kind_names[READLOG_NKINDS] = {
    [READLOG_PERSON] = "person",     [READLOG_BOOKING] = "booking",
    [READLOG_REQUEST] = "request",   [READLOG_NOTICE] = "notice",
    [READLOG_REPORT] = "report",     [READLOG_AUDIT] = "audit",
    [READLOG_USER] = "user",         [READLOG_SEARCH] = "search",
    [READLOG_DELIVERY] = "delivery", [READLOG_READ_LOG] = "read_log",
    [READLOG_VICTIM] = "victim",
};

_Static_assert(sizeof ((struct store_read_entry *)0)->at == HC_CLOCK_UTC_LEN,
               "an entry's at holds a time as hc_clock_utc writes it");

/* The kind of the entry the writer adds when entries were lost. */
#define KIND_LOST "lost"

const char *readlog_kind_name(enum readlog_kind k)
{
    if ((int)k < 0 || k >= READLOG_NKINDS || kind_names[k] == NULL)
        return "";
    return kind_names[k];
}

/* Copy s into dst (n bytes), cut to fit. */
static void put_str(char *dst, size_t n, const char *s)
{
    snprintf(dst, n, "%s", s);
}

/* ------------------------------------------------------------------------------------------ */
/* The writer                                                                                 */

#define DAY_SECONDS 86400
#define FLUSH_MS 1000

struct readlog {
    pthread_mutex_t mu;
    pthread_cond_t wake;  /* a batch is full, or stop */
    pthread_cond_t room;  /* the writer took entries out of a full ring */
    struct store_read_entry *ring; /* READLOG_QUEUE entries; head .. head + count queued */
    size_t head, count;
    int64_t lost;         /* entries refused since the last "lost" entry was queued */
    int stalled;          /* a reader waited READLOG_WAIT_MS in vain: refuse without waiting
                           * until the writer commits again */
    int stop;
    /* The thread's own (no lock): */
    struct hc_store *st;
    struct store_read_entry batch[READLOG_TAKE + 1]; /* + the "lost" entry */
    size_t nbatch;        /* entries in batch not yet committed (a failed commit retries) */
    int keep_days;
    int64_t next_prune_ms; /* hc_clock_mono_ms of the next daily prune */
    pthread_t thread;
    int started;
};

void readlog_note(struct readlog *rl, const struct store_read_entry *e)
{
    struct store_read_entry *slot;
    char at[HC_CLOCK_UTC_LEN];
    if (rl == NULL)
        return;
    if (e->at[0] == '\0') /* stamped before the lock, which every worker takes */
        hc_clock_utc(hc_clock_now(), at);
    pthread_mutex_lock(&rl->mu);
    if (rl->count == READLOG_QUEUE && !rl->stalled) {
        struct timespec until;
        clock_gettime(CLOCK_MONOTONIC, &until); /* rl->room waits on this clock */
        until.tv_sec += READLOG_WAIT_MS / 1000;
        until.tv_nsec += (long)(READLOG_WAIT_MS % 1000) * 1000000L;
        if (until.tv_nsec >= 1000000000L) {
            until.tv_sec++;
            until.tv_nsec -= 1000000000L;
        }
        while (rl->count == READLOG_QUEUE && !rl->stop)
            if (pthread_cond_timedwait(&rl->room, &rl->mu, &until) != 0) {
                rl->stalled = 1;
                break;
            }
    }
    if (rl->count == READLOG_QUEUE) {
        rl->lost++;
        pthread_mutex_unlock(&rl->mu);
        return;
    }
    slot = &rl->ring[(rl->head + rl->count) % READLOG_QUEUE];
    *slot = *e;
    if (slot->at[0] == '\0')
        memcpy(slot->at, at, sizeof at);
    rl->count++;
    if (rl->count == READLOG_BATCH)
        pthread_cond_signal(&rl->wake);
    pthread_mutex_unlock(&rl->mu);
}

int readlog_write(struct hc_store *st, const struct store_read_entry *e)
{
    struct store_read_entry x = *e;
    if (x.at[0] == '\0')
        hc_clock_utc(hc_clock_now(), x.at);
    return store_readlog_append(st, &x, 1);
}

int readlog_write_cli(struct hc_store *st, const char *route, enum readlog_kind kind,
                      const char *query)
{
    struct store_read_entry e;
    memset(&e, 0, sizeof e);
    put_str(e.user_name, sizeof e.user_name, "cli");
    put_str(e.role, sizeof e.role, "cli");
    put_str(e.method, sizeof e.method, "CLI");
    put_str(e.route, sizeof e.route, route);
    put_str(e.kind, sizeof e.kind, readlog_kind_name(kind));
    put_str(e.query, sizeof e.query, query != NULL ? query : "");
    put_str(e.client, sizeof e.client, "local");
    e.status = 200;
    return readlog_write(st, &e);
}

/* The entry that says n entries were lost because the queue was full. */
static void lost_entry(struct store_read_entry *e, int64_t n)
{
    memset(e, 0, sizeof *e);
    hc_clock_utc(hc_clock_now(), e->at);
    put_str(e->user_name, sizeof e->user_name, "system");
    put_str(e->role, sizeof e->role, "system");
    put_str(e->method, sizeof e->method, "-");
    put_str(e->route, sizeof e->route, "-");
    put_str(e->kind, sizeof e->kind, KIND_LOST);
    snprintf(e->query, sizeof e->query, "%" PRId64 " entries lost: the queue was full", n);
    put_str(e->client, sizeof e->client, "-");
}

/* Move up to READLOG_TAKE queued entries (and a "lost" entry) into rl->batch, unless a failed
 * batch is still there, and wake the readers waiting for room. Call with rl->mu held. */
static void take_batch(struct readlog *rl)
{
    if (rl->nbatch > 0)
        return;
    while (rl->count > 0 && rl->nbatch < READLOG_TAKE) {
        rl->batch[rl->nbatch++] = rl->ring[rl->head];
        rl->head = (rl->head + 1) % READLOG_QUEUE;
        rl->count--;
    }
    pthread_cond_broadcast(&rl->room);
    if (rl->lost > 0) {
        hc_log(HC_LOG_ERROR, "read log: %" PRId64 " entries lost: the queue was full", rl->lost);
        lost_entry(&rl->batch[rl->nbatch++], rl->lost);
        rl->lost = 0;
    }
}

/* Commit rl->batch; on failure keep it for the next round. Returns 0 or the store's error. */
static int commit_batch(struct readlog *rl)
{
    int rc;
    if (rl->nbatch == 0)
        return HC_OK;
    rc = store_readlog_append(rl->st, rl->batch, rl->nbatch);
    if (rc == HC_OK) {
        rl->nbatch = 0;
        pthread_mutex_lock(&rl->mu);
        rl->stalled = 0; /* the writer moves again: a full ring is worth waiting for */
        pthread_mutex_unlock(&rl->mu);
    } else
        hc_log(HC_LOG_ERROR, "read log: cannot write %zu entries (%s); trying again",
               rl->nbatch, store_strerror(rc));
    return rc;
}

static void prune_now(struct readlog *rl)
{
    int64_t removed = 0;
    int rc = readlog_prune(rl->st, rl->keep_days, hc_clock_now(), &removed);
    if (rc != HC_OK)
        hc_log(HC_LOG_ERROR, "read log: cannot prune (%s)", store_strerror(rc));
    else if (removed > 0)
        hc_log(HC_LOG_INFO, "read log: %" PRId64 " entries older than %d days pruned", removed,
               rl->keep_days);
    rl->next_prune_ms = hc_clock_mono_ms() + (int64_t)DAY_SECONDS * 1000;
}

/* Wait on rl->wake until a batch is full, stop, or FLUSH_MS passed. Call with rl->mu held. */
static void wait_batch(struct readlog *rl)
{
    struct timespec until;
    clock_gettime(CLOCK_MONOTONIC, &until); /* rl->wake waits on this clock (readlog_start) */
    until.tv_sec += FLUSH_MS / 1000;
    while (!rl->stop && rl->count < READLOG_BATCH)
        if (pthread_cond_timedwait(&rl->wake, &rl->mu, &until) != 0)
            break;
}

static void *run(void *arg)
{
    struct readlog *rl = arg;
    int stopping = 0;
    for (;;) {
        /* First thing, then once a day. */
        if (rl->keep_days > 0 && hc_clock_mono_ms() >= rl->next_prune_ms)
            prune_now(rl);
        pthread_mutex_lock(&rl->mu);
        if (!stopping)
            wait_batch(rl);
        stopping = rl->stop;
        take_batch(rl);
        pthread_mutex_unlock(&rl->mu);
        if (commit_batch(rl) != HC_OK && stopping) {
            hc_log(HC_LOG_ERROR, "read log: %zu entries lost at stop", rl->nbatch);
            rl->nbatch = 0;
        }
        if (stopping) {
            pthread_mutex_lock(&rl->mu);
            stopping = rl->count > 0 || rl->lost > 0;
            pthread_mutex_unlock(&rl->mu);
            if (!stopping)
                return NULL;
        }
    }
}

int readlog_start(service_open_fn db_open, const char *db_path, int keep_days,
                  struct readlog **out, struct hc_diag *d)
{
    struct readlog *rl;
    pthread_condattr_t ca;
    int rc;

    *out = NULL;
    if (keep_days < 0)
        return hc_diag_set(d, "read_log_days", "must be 0 (keep forever) or more", NULL);
    if ((rl = calloc(1, sizeof *rl)) == NULL)
        return HC_ENOMEM;
    if ((rl->ring = calloc(READLOG_QUEUE, sizeof *rl->ring)) == NULL) {
        free(rl);
        return HC_ENOMEM;
    }
    pthread_mutex_init(&rl->mu, NULL);
    /* The flush's one-second wait is not moved by a change of the wall clock. */
    pthread_condattr_init(&ca);
    pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
    pthread_cond_init(&rl->wake, &ca);
    pthread_cond_init(&rl->room, &ca);
    pthread_condattr_destroy(&ca);
    rl->keep_days = keep_days; /* next_prune_ms 0: the thread prunes before anything else */
    rc = service_open(db_open, db_path, STORE_OPEN_BACKGROUND, &rl->st, d);
    if (rc == HC_OK) {
        rl->started = pthread_create(&rl->thread, NULL, run, rl) == 0;
        if (!rl->started) {
            hc_diag_set(d, "", "cannot start the read log's thread", NULL);
            rc = HC_EIO;
        }
    }
    if (rc != HC_OK) {
        readlog_stop(rl);
        return rc;
    }
    *out = rl;
    return HC_OK;
}

void readlog_stop(struct readlog *rl)
{
    if (rl == NULL)
        return;
    if (rl->started) {
        pthread_mutex_lock(&rl->mu);
        rl->stop = 1;
        pthread_cond_signal(&rl->wake);
        pthread_cond_broadcast(&rl->room);
        pthread_mutex_unlock(&rl->mu);
        pthread_join(rl->thread, NULL);
    }
    if (rl->st != NULL)
        store_close(rl->st);
    pthread_cond_destroy(&rl->wake);
    pthread_cond_destroy(&rl->room);
    pthread_mutex_destroy(&rl->mu);
    free(rl->ring);
    free(rl);
}

/* ------------------------------------------------------------------------------------------ */
/* Retention, queries, export                                                                 */

int readlog_prune(struct hc_store *st, int keep_days, int64_t now, int64_t *removed)
{
    char before[HC_CLOCK_UTC_LEN];
    *removed = 0;
    if (keep_days < 0)
        return HC_EINVAL;
    if (keep_days == 0)
        return HC_OK;
    hc_clock_utc(now - (int64_t)keep_days * DAY_SECONDS, before);
    return store_readlog_prune(st, before, removed);
}

/* s (a date, or a time with a zone) as UTC text into out; a date alone names its first second,
 * or with end set the first second of the next day (so that "to" includes its day). */
static int query_time(const char *s, const char *field, int end, char out[HC_CLOCK_UTC_LEN],
                      struct hc_diag *d)
{
    struct hc_time t;
    if (hc_time_parse(s, strlen(s), &t) != 0 || (t.has_time && !t.has_zone))
        return hc_diag_set(d, field, "expected a date YYYY-MM-DD or a time with Z or an offset",
                           NULL);
    if (!t.has_time) {
        t.has_zone = 1;
        t.offset = 0;
        t.secs = end ? DAY_SECONDS : 0;
    }
    hc_clock_utc(hc_time_utc(&t), out);
    return HC_OK;
}

static int kind_known(const char *k)
{
    int i;
    if (strcmp(k, KIND_LOST) == 0)
        return 1;
    for (i = 0; i < READLOG_NKINDS; i++)
        if (kind_names[i] != NULL && strcmp(kind_names[i], k) == 0)
            return 1;
    return 0;
}

int readlog_list(struct hc_store *st, const struct readlog_query *q, struct hc_arena *a,
                 struct store_read_entry **out, size_t *n, int64_t *next, struct hc_diag *d)
{
    char from[HC_CLOCK_UTC_LEN], to[HC_CLOCK_UTC_LEN];
    struct store_read_filter f;
    int rc;

    memset(&f, 0, sizeof f);
    f.user_name = q->user;
    f.object = q->object;
    f.after = q->cursor;
    f.limit = q->limit ? q->limit : 100;
    if (f.limit < 1 || f.limit > 1000)
        return hc_diag_set(d, "limit", "expected 1 to 1000", NULL);
    if (q->cursor < 0)
        return hc_diag_set(d, "cursor", "expected a cursor a previous page gave", NULL);
    if (q->kind != NULL && !kind_known(q->kind))
        return hc_diag_set(d, "kind", "expected one of person, booking, request, notice, report,"
                           " audit, user, search, delivery, read_log, lost", NULL);
    f.kind = q->kind;
    if (q->from != NULL) {
        if ((rc = query_time(q->from, "from", 0, from, d)) != HC_OK)
            return rc;
        f.from = from;
    }
    if (q->to != NULL) {
        if ((rc = query_time(q->to, "to", 1, to, d)) != HC_OK)
            return rc;
        f.to = to;
    }
    if ((rc = store_readlog_list(st, &f, a, out, n)) != HC_OK)
        return rc == STORE_ENOTSUP ? READLOG_ENOTSUP : rc; /* in the app's words, for http */
    *next = *n == (size_t)f.limit ? (*out)[*n - 1].id : 0;
    return HC_OK;
}

void readlog_csv(const struct store_read_entry *e, size_t n, int header, struct hc_buf *b)
{
    size_t i;
    char num[24];
    if (header)
        hc_buf_puts(b, "id,at,user_id,user,role,method,route,kind,object,query,client,status\r\n");
    for (i = 0; i < n; i++) {
        const char *cells[] = {e[i].at, e[i].user_name, e[i].role, e[i].method, e[i].route,
                               e[i].kind, e[i].object, e[i].query, e[i].client};
        size_t k;
        snprintf(num, sizeof num, "%" PRId64 ",", e[i].id);
        hc_buf_puts(b, num);
        hc_csv_cell(b, cells[0]);
        snprintf(num, sizeof num, ",%" PRId64, e[i].user_id);
        hc_buf_puts(b, num);
        for (k = 1; k < sizeof cells / sizeof cells[0]; k++) {
            hc_buf_putc(b, ',');
            hc_csv_cell(b, cells[k]);
        }
        snprintf(num, sizeof num, ",%d\r\n", e[i].status);
        hc_buf_puts(b, num);
    }
}

json_t *readlog_entry_json(const struct store_read_entry *e)
{
    return json_pack("{sI ss sI ss ss ss ss ss ss ss ss si}", "id", (json_int_t)e->id, "at",
                     e->at, "user_id", (json_int_t)e->user_id, "user", e->user_name, "role",
                     e->role, "method", e->method, "route", e->route, "kind", e->kind, "object",
                     e->object, "query", e->query, "client", e->client, "status", e->status);
}
