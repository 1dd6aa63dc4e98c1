/* SPDX-License-Identifier: MIT
 * test_readlog.c: the read-access log's writer and queries (src/app/readlog.c over
 * src/store/sqlite_readlog.c), on a database file of its own: an entry noted is committed
 * within about a second without a stop; while the database is held by another writer, nothing
 * is lost but what the bounded queue cannot hold, every entry refused is counted in a "lost"
 * entry, and the stop commits the rest (noted = committed + counted lost, exactly); a burst
 * of reads faster than the writer commits is logged whole (the readers wait for room); the
 * query's filters and their refusals. */
#include <inttypes.h>
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>

#include "readlog.h"
#include "store.h"

struct fixture {
    char path[256];
    struct hc_store *st; /* the test's own connection, for reading back */
    char *mem;
    struct hc_arena a;
};

#define ARENA_BYTES ((size_t)1100 * sizeof(struct store_read_entry))

static void remove_db(const char *path)
{
    char p[300];
    remove(path);
    snprintf(p, sizeof p, "%s-wal", path);
    remove(p);
    snprintf(p, sizeof p, "%s-shm", path);
    remove(p);
}

static int setup(void **state)
{
    static int n;
    struct fixture *f = calloc(1, sizeof *f);
    const char *tmp = getenv("TMPDIR");
    struct hc_diag d;
    int from, to;
    assert_non_null(f);
    snprintf(f->path, sizeof f->path, "%s/hc_test_readlog_%ld_%d.db", tmp ? tmp : "/tmp",
             (long)getpid(), n++);
    remove_db(f->path);
    assert_int_equal(store_sqlite_open(f->path, STORE_OPEN_CREATE | STORE_OPEN_ANY_SCHEMA, &f->st,
                                       &d), HC_OK);
    assert_int_equal(store_migrate(f->st, &from, &to), HC_OK);
    f->mem = malloc(ARENA_BYTES);
    assert_non_null(f->mem);
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    struct fixture *f = *state;
    store_close(f->st);
    remove_db(f->path);
    free(f->mem);
    free(f);
    return 0;
}

/* Entry number i of a clerk's reads of person i. */
static void entry(struct store_read_entry *e, int i)
{
    memset(e, 0, sizeof *e);
    e->user_id = 7;
    snprintf(e->user_name, sizeof e->user_name, "clerk1");
    snprintf(e->role, sizeof e->role, "clerk");
    snprintf(e->method, sizeof e->method, "GET");
    snprintf(e->route, sizeof e->route, "/api/v1/people/{id}");
    snprintf(e->kind, sizeof e->kind, "person");
    snprintf(e->object, sizeof e->object, "%d", i);
    snprintf(e->client, sizeof e->client, "127.0.0.1");
    e->status = 200;
}

/* Every entry of kind (NULL: all), all pages, counted; *lost (when not NULL) gets the sum of
 * the counts the "lost" entries give. */
static size_t count(struct fixture *f, const char *kind, int64_t *lost)
{
    struct readlog_query q;
    struct hc_diag d;
    size_t total = 0, n, i;
    int64_t next = 0;
    memset(&q, 0, sizeof q);
    q.kind = kind;
    q.limit = 1000;
    if (lost != NULL)
        *lost = 0;
    do {
        struct store_read_entry *e = NULL;
        hc_arena_init(&f->a, f->mem, ARENA_BYTES);
        assert_int_equal(readlog_list(f->st, &q, &f->a, &e, &n, &next, &d), HC_OK);
        for (i = 0; i < n; i++)
            if (lost != NULL && strcmp(e[i].kind, "lost") == 0)
                *lost += strtoll(e[i].query, NULL, 10);
        total += n;
        q.cursor = next;
    } while (next != 0);
    return total;
}

static void sleep_ms(long ms)
{
    struct timespec t = {ms / 1000, (ms % 1000) * 1000000L};
    nanosleep(&t, NULL);
}

/* An entry is committed within about a second, without waiting for a full batch or a stop. */
static void test_committed_within_a_second(void **state)
{
    struct fixture *f = *state;
    struct readlog *rl = NULL;
    struct store_read_entry e;
    struct hc_diag d;
    int waited = 0;
    assert_int_equal(readlog_start(NULL, f->path, 365, &rl, &d), HC_OK);
    entry(&e, 1);
    readlog_note(rl, &e);
    while (count(f, "person", NULL) == 0 && waited < 3000) {
        sleep_ms(100);
        waited += 100;
    }
    assert_int_equal(count(f, "person", NULL), 1);
    assert_true(waited <= 1500);
    readlog_stop(rl);
}

/* With the database held by another writer, the queue fills: what it cannot hold is counted,
 * never silently dropped, and everything else is committed once the database is free and at
 * the stop. */
static void test_full_queue_counts_what_it_loses(void **state)
{
    struct fixture *f = *state;
    struct readlog *rl = NULL;
    struct store_read_entry e;
    struct hc_store *holder = NULL;
    struct hc_diag d;
    int64_t lost = 0;
    size_t kept;
    int i;
    const int noted = READLOG_QUEUE + 2 * READLOG_BATCH + 1000;

    assert_int_equal(store_sqlite_open(f->path, 0, &holder, &d), HC_OK);
    assert_int_equal(store_begin(holder), HC_OK); /* takes the write lock */
    assert_int_equal(readlog_start(NULL, f->path, 365, &rl, &d), HC_OK);
    for (i = 0; i < noted; i++) {
        entry(&e, i);
        readlog_note(rl, &e);
    }
    sleep_ms(300);
    store_rollback(holder); /* the writer's commit goes through now */
    readlog_stop(rl);
    store_close(holder);
    kept = count(f, "person", NULL);
    assert_true(count(f, "lost", NULL) >= 1);
    count(f, NULL, &lost);
    assert_true(lost > 0);
    assert_int_equal((int64_t)kept + lost, noted);
    /* at most the queue and the batch in hand were kept while the database was held */
    assert_true(kept <= READLOG_QUEUE + READLOG_BATCH);
}

/* Two threads noting as fast as they can, far more than the queue holds: nothing is lost, the
 * readers wait for the writer's commits. */
#define BURST_EACH (4 * READLOG_QUEUE)

static void *note_burst(void *arg)
{
    struct readlog *rl = arg;
    struct store_read_entry e;
    int i;
    for (i = 0; i < BURST_EACH; i++) {
        entry(&e, i);
        readlog_note(rl, &e);
    }
    return NULL;
}

static void test_burst_is_logged_whole(void **state)
{
    struct fixture *f = *state;
    struct readlog *rl = NULL;
    struct hc_diag d;
    pthread_t t[2];
    int64_t lost = 0;
    int i;

    assert_int_equal(readlog_start(NULL, f->path, 365, &rl, &d), HC_OK);
    for (i = 0; i < 2; i++)
        assert_int_equal(pthread_create(&t[i], NULL, note_burst, rl), 0);
    for (i = 0; i < 2; i++)
        pthread_join(t[i], NULL);
    readlog_stop(rl);
    assert_int_equal(count(f, "lost", &lost), 0);
    assert_int_equal(lost, 0);
    assert_int_equal(count(f, "person", NULL), 2 * BURST_EACH);
}

/* The query's filters: user, kind, object, a period whose "to" day is included, and refusals
 * naming the field. */
static void test_query_filters(void **state)
{
    struct fixture *f = *state;
    struct store_read_entry e[3], *out = NULL;
    struct readlog_query q;
    struct hc_diag d;
    size_t n = 0;
    int64_t next = 0;
    int i;
    for (i = 0; i < 3; i++)
        entry(&e[i], i);
    snprintf(e[0].at, sizeof e[0].at, "2026-03-01T23:59:59Z");
    snprintf(e[1].at, sizeof e[1].at, "2026-03-02T00:00:00Z");
    snprintf(e[2].at, sizeof e[2].at, "2026-03-03T00:00:00Z");
    snprintf(e[2].user_name, sizeof e[2].user_name, "clerk2");
    for (i = 0; i < 3; i++)
        assert_int_equal(readlog_write(f->st, &e[i]), HC_OK);
    memset(&q, 0, sizeof q);
    q.from = "2026-03-02";
    q.to = "2026-03-03";
    hc_arena_init(&f->a, f->mem, ARENA_BYTES);
    assert_int_equal(readlog_list(f->st, &q, &f->a, &out, &n, &next, &d), HC_OK);
    assert_int_equal(n, 2); /* 03-02 00:00:00 and 03-03 00:00:00 (to is inclusive) */
    assert_string_equal(out[0].object, "1");
    q.to = "2026-03-02T12:00:00-08:00"; /* 20:00Z */
    assert_int_equal(readlog_list(f->st, &q, &f->a, &out, &n, &next, &d), HC_OK);
    assert_int_equal(n, 1);
    memset(&q, 0, sizeof q);
    q.user = "clerk2";
    assert_int_equal(readlog_list(f->st, &q, &f->a, &out, &n, &next, &d), HC_OK);
    assert_int_equal(n, 1);
    assert_string_equal(out[0].object, "2");
    memset(&q, 0, sizeof q);
    q.kind = "person";
    q.object = "0";
    assert_int_equal(readlog_list(f->st, &q, &f->a, &out, &n, &next, &d), HC_OK);
    assert_int_equal(n, 1);
    assert_string_equal(out[0].at, "2026-03-01T23:59:59Z");
    q.kind = "secrets";
    assert_int_equal(readlog_list(f->st, &q, &f->a, &out, &n, &next, &d), HC_EINVAL);
    assert_string_equal(d.field, "kind");
    memset(&q, 0, sizeof q);
    q.from = "2026-03-02T10:00:00"; /* a time without a zone */
    assert_int_equal(readlog_list(f->st, &q, &f->a, &out, &n, &next, &d), HC_EINVAL);
    assert_string_equal(d.field, "from");
    memset(&q, 0, sizeof q);
    q.limit = 1001;
    assert_int_equal(readlog_list(f->st, &q, &f->a, &out, &n, &next, &d), HC_EINVAL);
    assert_string_equal(d.field, "limit");
}

/* readlog_list of q into a fresh arena. */
static int list(struct fixture *f, const struct readlog_query *q, struct store_read_entry **out,
                size_t *n, int64_t *next)
{
    struct hc_diag d;
    hc_arena_init(&f->a, f->mem, ARENA_BYTES);
    return readlog_list(f->st, q, &f->a, out, n, next, &d);
}

/* A record's reads are found by object over hours and days, whatever else was read between,
 * in one batch or in several, with the kind telling a person 5 from a request 5; pages follow
 * the cursor across hours; a period bounds them; pruning keeps what is newer. */
static void test_object_across_hours(void **state)
{
    static const char *const at[] = {"2026-03-01T08:59:59Z", "2026-03-01T09:00:00Z",
                                     "2026-03-01T09:30:00Z", "2026-03-01T09:59:59Z",
                                     "2026-03-04T17:00:00Z", "2026-03-04T17:00:01Z"};
    struct fixture *f = *state;
    struct store_read_entry batch[3 * 6], *out = NULL;
    struct readlog_query q;
    size_t n = 0, i, k = 0;
    int64_t next = 0, removed = 0;

    /* Each time: person 5, person 6 and request 5, in one batch. */
    for (i = 0; i < 6; i++) {
        entry(&batch[k], 5);
        snprintf(batch[k++].at, sizeof batch[0].at, "%s", at[i]);
        entry(&batch[k], 6);
        snprintf(batch[k++].at, sizeof batch[0].at, "%s", at[i]);
        entry(&batch[k], 5);
        snprintf(batch[k].kind, sizeof batch[k].kind, "request");
        snprintf(batch[k++].at, sizeof batch[0].at, "%s", at[i]);
    }
    assert_int_equal(store_readlog_append(f->st, batch, 9), HC_OK);
    for (i = 9; i < k; i++) /* the rest one at a time */
        assert_int_equal(readlog_write(f->st, &batch[i]), HC_OK);

    memset(&q, 0, sizeof q);
    q.kind = "person";
    q.object = "5";
    q.limit = 1000;
    assert_int_equal(list(f, &q, &out, &n, &next), HC_OK);
    assert_int_equal(n, 6);
    for (i = 0; i < n; i++) {
        assert_string_equal(out[i].at, at[i]); /* oldest first */
        assert_string_equal(out[i].kind, "person");
        assert_string_equal(out[i].object, "5");
    }
    q.kind = NULL; /* both kinds of record 5 */
    assert_int_equal(list(f, &q, &out, &n, &next), HC_OK);
    assert_int_equal(n, 12);
    q.kind = "person";
    q.limit = 2; /* pages across the hours */
    for (i = 0, q.cursor = 0; i < 3; i++) {
        assert_int_equal(list(f, &q, &out, &n, &next), HC_OK);
        assert_int_equal(n, 2);
        assert_string_equal(out[0].at, at[2 * i]);
        assert_string_equal(out[1].at, at[2 * i + 1]);
        q.cursor = next;
    }
    q.cursor = 0;
    q.limit = 1000;
    q.from = "2026-03-01T09:30:00Z";
    q.to = "2026-03-04T16:59:59Z";
    assert_int_equal(list(f, &q, &out, &n, &next), HC_OK);
    assert_int_equal(n, 2);
    assert_string_equal(out[0].at, at[2]);
    assert_string_equal(out[1].at, at[3]);

    assert_int_equal(store_readlog_prune(f->st, "2026-03-01T09:45:00Z", &removed), HC_OK);
    assert_int_equal(removed, 3 * 3); /* 08:59:59, 09:00:00, 09:30:00 */
    memset(&q, 0, sizeof q);
    q.kind = "person";
    q.object = "5";
    q.limit = 1000;
    assert_int_equal(list(f, &q, &out, &n, &next), HC_OK);
    assert_int_equal(n, 3);
    assert_string_equal(out[0].at, at[3]);
    q.object = "7"; /* never read */
    assert_int_equal(list(f, &q, &out, &n, &next), HC_OK);
    assert_int_equal(n, 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_committed_within_a_second, setup, teardown),
        cmocka_unit_test_setup_teardown(test_full_queue_counts_what_it_loses, setup, teardown),
        cmocka_unit_test_setup_teardown(test_burst_is_logged_whole, setup, teardown),
        cmocka_unit_test_setup_teardown(test_query_filters, setup, teardown),
        cmocka_unit_test_setup_teardown(test_object_across_hours, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
