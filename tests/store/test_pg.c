/* SPDX-License-Identifier: MIT
 * test_pg.c: the PostgreSQL backend's connection and schema against a real cluster (the
 * database PG_URL names, started by tests/store/pg.sh): migrations run once and to the same
 * tables and columns as the SQLite schema; row-level security keeps each agency's connections
 * to its own rows even in a query without a WHERE clause; the append-only tables refuse
 * changes; transactions nest and roll back whole; the data version moves with commits only;
 * the records, requests, task force, read log, victim notification and public portal areas keep
 * the promises they keep on SQLite (cases_records.h, cases_requests.h, cases_taskforce.h, cases_readlog.h,
 * cases_victims.h, cases_public.h), each agency apart. */
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
#include <pthread.h>
#include <libpq-fe.h>
#include <sqlite3.h>

#include "cases_changes.h"
#include "cases_console.h"
#include "cases_public.h"
#include "cases_import.h"
#include "cases_readlog.h"
#include "cases_records.h"
#include "cases_reports.h"
#include "cases_requests.h"
#include "cases_taskforce.h"
#include "cases_users.h"
#include "cases_victims.h"
#include "clock.h"
#include "pg_int.h"
#include "store.h"

/* The cluster's URL as its superuser (the migrating owner). */
static const char *owner_url(void)
{
    const char *u = getenv("PG_URL");
    if (u == NULL || *u == '\0')
        fail_msg("PG_URL is not set: run this test through tests/store/pg.sh");
    return u;
}

/* The same database as the unprivileged role the server uses. Made once, by the first call
 * (from the main thread, before the writers' threads start, which only read it). */
static const char *app_url(void)
{
    static char buf[512];
    if (buf[0] == '\0') {
        const char *u = owner_url(), *at = strchr(u, '@');
        snprintf(buf, sizeof buf, "postgresql://holdcheck_app:app%s", at != NULL ? at : "");
    }
    return buf;
}

/* Run sql on a fresh owner connection; its result status must be ok. */
static void owner_exec(const char *sql)
{
    PGconn *c = PQconnectdb(owner_url());
    PGresult *r;
    assert_int_equal(PQstatus(c), CONNECTION_OK);
    r = PQexec(c, sql);
    if (PQresultStatus(r) != PGRES_COMMAND_OK && PQresultStatus(r) != PGRES_TUPLES_OK)
        fail_msg("%s: %s", sql, PQresultErrorMessage(r));
    PQclear(r);
    PQfinish(c);
}

/* The one value sql returns on s's connection, as a number; -1 on an error. */
static long long query_num(struct store_pg *s, const char *sql)
{
    PGresult *r = PQexec(s->conn, sql);
    long long v = -1;
    if (PQresultStatus(r) == PGRES_TUPLES_OK && PQntuples(r) == 1)
        v = strtoll(PQgetvalue(r, 0, 0), NULL, 10);
    PQclear(r);
    return v;
}

static struct store_pg *open_as(const char *url, const char *agency)
{
    struct store_pg *s = NULL;
    struct hc_diag d = {0};
    int rc = pg_open(url, agency, 0, &s, &d);
    if (rc != HC_OK)
        fail_msg("pg_open(%s): %s %s", agency ? agency : "-", d.field, d.msg);
    return s;
}

/* Migrating an empty database brings it to STORE_SCHEMA_VERSION; again changes nothing; then
 * the role the server uses and two agencies are made for the tests below. */
static void test_migrate(void **state)
{
    struct store_pg *s = NULL;
    struct hc_diag d = {0};
    int from = -1, to = -1, v = -1;
    (void)state;

    assert_int_equal(pg_open(owner_url(), NULL, 0, &s, &d), HC_ERANGE);
    assert_non_null(strstr(d.msg, "run `holdcheck migrate"));
    assert_int_equal(pg_open(owner_url(), NULL, STORE_OPEN_ANY_SCHEMA, &s, &d), HC_OK);
    assert_int_equal(store_schema_version(&s->base, &v), HC_OK);
    assert_int_equal(v, 0);
    owner_exec("CREATE ROLE holdcheck_app LOGIN PASSWORD 'app'");
    /* The server's zone is far from UTC: a stored time without an offset must still be read
     * as UTC, as SQLite reads it (the reports, cases_reports.h). */
    owner_exec("ALTER ROLE holdcheck_app SET TimeZone = 'Pacific/Kiritimati'");
    assert_int_equal(store_migrate(&s->base, &from, &to), HC_OK);
    assert_int_equal(from, 0);
    assert_int_equal(to, STORE_SCHEMA_VERSION);
    assert_int_equal(store_migrate(&s->base, &from, &to), HC_OK);
    assert_int_equal(from, STORE_SCHEMA_VERSION);
    assert_int_equal(to, STORE_SCHEMA_VERSION);
    assert_int_equal(store_ping(&s->base), HC_OK);
    assert_string_equal(s->base.conn->name, "postgresql");
    store_close(&s->base);
    owner_exec("INSERT INTO agencies (slug, name, created_at) VALUES"
               " ('alpha', 'Alpha County (synthetic)', '2026-01-01T00:00:00Z'),"
               " ('beta', 'Beta City (synthetic)', '2026-01-01T00:00:00Z')");
    assert_int_equal(pg_open(owner_url(), "gamma", 0, &s, &d), HC_ENOENT);
    assert_string_equal(d.field, "agency");
}

/* A new SQLite database at path (a name under $TMPDIR made from what), migrated. */
static struct hc_store *sqlite_fresh(const char *what, char path[256])
{
    struct hc_store *st = NULL;
    struct hc_diag d = {0};
    int from, to;
    snprintf(path, 256, "%s/holdcheck-pg-%s-%d.db", getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp",
             what, (int)getpid());
    unlink(path);
    assert_int_equal(store_sqlite_open(path, STORE_OPEN_CREATE | STORE_OPEN_ANY_SCHEMA, &st, &d),
                     HC_OK);
    assert_int_equal(store_migrate(st, &from, &to), HC_OK);
    return st;
}

/* "table.column" of every column of the SQLite schema's tables and views, sorted, one a line;
 * SQLite's own tables (sqlite_sequence, which AUTOINCREMENT makes) are not part of it. */
static char *sqlite_columns(void)
{
    char path[256];
    sqlite3 *db = NULL;
    sqlite3_stmt *q = NULL;
    char *out = calloc(1, 65536);
    size_t len = 0;

    store_close(sqlite_fresh("step", path));
    assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
    assert_int_equal(sqlite3_prepare_v2(db,
                                        "SELECT m.name || '.' || p.name FROM sqlite_schema m,"
                                        " pragma_table_info(m.name) p WHERE m.type IN ('table', 'view')"
                                        " AND m.name NOT LIKE 'sqlite!_%' ESCAPE '!'"
                                        " ORDER BY 1",
                                        -1, &q, NULL),
                     SQLITE_OK);
    while (sqlite3_step(q) == SQLITE_ROW)
        len += (size_t)snprintf(out + len, 65536 - len, "%s\n", sqlite3_column_text(q, 0));
    sqlite3_finalize(q);
    sqlite3_close(db);
    unlink(path);
    return out;
}

/* The same list for the PostgreSQL schema (information_schema.columns lists the views' columns
 * too), leaving out what many agencies add: the agencies
 * table, every agency_id column, and the migrations' own table. */
static char *pg_columns(void)
{
    struct store_pg *s = open_as(owner_url(), NULL);
    PGresult *r = PQexec(s->conn, "SELECT table_name || '.' || column_name"
                                  " FROM information_schema.columns"
                                  " WHERE table_schema = 'public'"
                                  " AND table_name NOT IN ('agencies', 'holdcheck_schema')"
                                  " AND column_name <> 'agency_id'"
                                  " ORDER BY (table_name || '.' || column_name) COLLATE \"C\"");
    char *out = calloc(1, 65536);
    size_t len = 0;
    int i;
    if (PQresultStatus(r) != PGRES_TUPLES_OK)
        fail_msg("%s", PQresultErrorMessage(r));
    for (i = 0; i < PQntuples(r); i++)
        len += (size_t)snprintf(out + len, 65536 - len, "%s\n", PQgetvalue(r, i, 0));
    PQclear(r);
    store_close(&s->base);
    return out;
}

static void test_schemas_in_step(void **state)
{
    char *a = sqlite_columns(), *b = pg_columns();
    (void)state;
    assert_true(strlen(a) > 1000); /* every table, not an empty list */
    if (strcmp(a, b) != 0)
        fail_msg("the SQLite and PostgreSQL schemas differ:\n--- sqlite\n%s--- postgresql\n%s", a,
                 b);
    free(a);
    free(b);
}

/* Agency alpha's connection never sees, changes or writes beta's rows, even with raw SQL
 * that names no agency. */
static void test_rows_stay_with_their_agency(void **state)
{
    struct store_pg *a = open_as(app_url(), "alpha"), *b = open_as(app_url(), "beta");
    (void)state;

    assert_int_equal(pg_exec_sql(a, "INSERT INTO people (name, created_at) VALUES"
                                    " ('ALPHA, TEST PERSON', '2026-01-02T00:00:00Z')"),
                     HC_OK);
    assert_int_equal(pg_exec_sql(b, "INSERT INTO people (name, created_at) VALUES"
                                    " ('BETA, TEST PERSON', '2026-01-02T00:00:00Z'),"
                                    " ('BETA, OTHER PERSON', '2026-01-02T00:00:00Z')"),
                     HC_OK);
    assert_int_equal(query_num(a, "SELECT count(*) FROM people"), 1);
    assert_int_equal(query_num(b, "SELECT count(*) FROM people"), 2);
    assert_int_equal(query_num(a, "SELECT count(*) FROM people WHERE name LIKE 'BETA%'"), 0);
    /* Naming the other agency outright is refused, and its rows cannot be changed. */
    assert_int_not_equal(pg_exec_sql(a, "INSERT INTO people (agency_id, name, created_at)"
                                        " SELECT id, 'X', 'now' FROM agencies"
                                        " WHERE slug = 'beta'"),
                         HC_OK);
    assert_int_equal(pg_exec_sql(a, "UPDATE people SET name = 'CHANGED'"
                                    " WHERE name LIKE 'BETA%'"),
                     HC_OK);
    assert_int_equal(query_num(b, "SELECT count(*) FROM people WHERE name = 'CHANGED'"), 0);
    assert_int_equal(pg_exec_sql(a, "DELETE FROM people WHERE name LIKE 'BETA%'"), HC_OK);
    assert_int_equal(query_num(b, "SELECT count(*) FROM people"), 2);
    /* A connection with no agency sees nothing and writes nothing. */
    {
        struct store_pg *n = open_as(app_url(), NULL);
        assert_int_equal(query_num(n, "SELECT count(*) FROM people"), 0);
        assert_int_not_equal(pg_exec_sql(n, "INSERT INTO people (name, created_at)"
                                            " VALUES ('N', 'now')"),
                             HC_OK);
        store_close(&n->base);
    }
    store_close(&a->base);
    store_close(&b->base);
}

/* The audit log and the decisions cannot be changed after the fact, even by their owner. */
static void test_append_only(void **state)
{
    struct store_pg *a = open_as(app_url(), "alpha");
    (void)state;
    assert_int_equal(pg_exec_sql(a, "INSERT INTO audit_log (seq, at, actor, action, entity,"
                                    " payload, prev_hash, hash) VALUES (1, 't', 'test',"
                                    " 'test.entry', 'test/1', '{}', '', 'h')"),
                     HC_OK);
    assert_int_equal(pg_exec_sql(a, "UPDATE audit_log SET actor = 'someone else'"), HC_EINVAL);
    assert_int_equal(pg_exec_sql(a, "DELETE FROM audit_log"), HC_EINVAL);
    assert_int_equal(query_num(a, "SELECT count(*) FROM audit_log WHERE actor = 'test'"), 1);
    /* Two agencies' chains each begin at 1. */
    {
        struct store_pg *b = open_as(app_url(), "beta");
        assert_int_equal(pg_exec_sql(b, "INSERT INTO audit_log (seq, at, actor, action, entity,"
                                        " payload, prev_hash, hash) VALUES (1, 't', 'test',"
                                        " 'test.entry', 'test/1', '{}', '', 'h')"),
                         HC_OK);
        store_close(&b->base);
    }
    assert_int_equal(pg_exec_sql(a, "INSERT INTO audit_log (seq, at, actor, action, entity,"
                                    " payload, prev_hash, hash) VALUES (1, 't', 'test',"
                                    " 'test.entry', 'test/1', '{}', '', 'h')"),
                     STORE_ECONFLICT);
    store_close(&a->base);
}

/* Transactions nest: only the outermost commit writes, and a rollback at any depth drops the
 * whole transaction. The data version stays put without commits and moves with one. */
static void test_transactions_and_version(void **state)
{
    struct store_pg *a = open_as(app_url(), "alpha"), *w = open_as(app_url(), "alpha");
    uint64_t v1 = 0, v2 = 0, v3 = 0;
    long long n0;
    (void)state;

    n0 = query_num(a, "SELECT count(*) FROM people");
    assert_int_equal(store_begin(&w->base), HC_OK);
    assert_int_equal(store_begin(&w->base), HC_OK);
    assert_int_equal(pg_exec_sql(w, "INSERT INTO people (name, created_at) VALUES ('T1', 'x')"),
                     HC_OK);
    assert_int_equal(store_commit(&w->base), HC_OK);
    assert_int_equal(query_num(a, "SELECT count(*) FROM people"), n0); /* not yet committed */
    assert_int_equal(store_commit(&w->base), HC_OK);
    assert_int_equal(query_num(a, "SELECT count(*) FROM people"), n0 + 1);

    assert_int_equal(store_begin(&w->base), HC_OK);
    assert_int_equal(store_begin(&w->base), HC_OK);
    assert_int_equal(pg_exec_sql(w, "INSERT INTO people (name, created_at) VALUES ('T2', 'x')"),
                     HC_OK);
    store_rollback(&w->base);
    assert_int_equal(store_commit(&w->base), HC_EINVAL); /* nothing left to commit */
    assert_int_equal(query_num(a, "SELECT count(*) FROM people"), n0 + 1);

    assert_int_equal(store_version(&a->base, &v1), HC_OK);
    assert_int_equal(query_num(a, "SELECT count(*) FROM people"), n0 + 1);
    assert_int_equal(store_version(&a->base, &v2), HC_OK);
    assert_true(v1 == v2);
    /* Inside a read transaction the version and the rows are the snapshot's. */
    assert_int_equal(store_read_begin(&a->base), HC_OK);
    assert_int_equal(store_version(&a->base, &v2), HC_OK);
    assert_int_equal(pg_exec_sql(w, "INSERT INTO people (name, created_at) VALUES ('T3', 'x')"),
                     HC_OK);
    assert_int_equal(store_version(&a->base, &v3), HC_OK);
    assert_true(v2 == v3);
    assert_int_equal(query_num(a, "SELECT count(*) FROM people"), n0 + 1);
    assert_int_equal(store_begin(&a->base), HC_EINVAL); /* no write inside a read */
    store_read_end(&a->base);
    assert_int_equal(store_version(&a->base, &v3), HC_OK);
    assert_true(v1 != v3);
    assert_int_equal(query_num(a, "SELECT count(*) FROM people"), n0 + 2);
    store_close(&a->base);
    store_close(&w->base);
}

/* store_audit_append with the payload given as JSON text. */
static int append_text(struct hc_store *st, const char *actor, const char *action,
                       const char *entity, const char *payload)
{
    json_t *pl = json_loads(payload, 0, NULL);
    int rc = store_audit_append(st, actor, action, entity, pl);
    json_decref(pl);
    return rc;
}

/* Appends from several connections of one agency at once: the chain has no gap and verifies. */
#define WRITERS 4
#define PER_WRITER 40

static void *append_many(void *arg)
{
    struct store_pg *s = open_as(app_url(), arg);
    json_t *payload = json_pack("{s:s}", "test", "concurrent");
    int i, failed = 0;
    for (i = 0; i < PER_WRITER; i++) {
        /* In the caller's transaction with another write, as the store's writes do. */
        failed |= store_begin(&s->base) != HC_OK;
        failed |= pg_exec_sql(s, "INSERT INTO people (name, created_at) VALUES ('W', 'x')") !=
                  HC_OK;
        failed |= pg_audit_append(&s->base, "test", "test.write", "people/w", payload) != HC_OK;
        failed |= store_commit(&s->base) != HC_OK;
    }
    json_decref(payload);
    store_close(&s->base);
    return failed ? (void *)1 : NULL;
}

static void test_audit_chain(void **state)
{
    struct store_audit_report rep;
    struct store_audit_entry *e = NULL;
    struct store_pg *g, *h;
    pthread_t t[WRITERS];
    static char gamma[] = "gamma";
    char mem[8192];
    struct hc_arena a;
    size_t n = 0;
    int i;
    (void)state;

    owner_exec("INSERT INTO agencies (slug, name, created_at) VALUES"
               " ('gamma', 'Gamma County (synthetic)', '2026-01-01T00:00:00Z'),"
               " ('delta', 'Delta City (synthetic)', '2026-01-01T00:00:00Z')");
    g = open_as(app_url(), "gamma");
    h = open_as(app_url(), "delta");
    assert_int_equal(append_text(&g->base, "clerk1", "booking.create", "booking/1",
                                 "{\"b\":1, \"a\":\"\u00e9\"}"),
                     HC_OK);
    assert_int_equal(append_text(&g->base, "clerk1", "x", "y", "[1]"), HC_EINVAL);
    assert_int_equal(append_text(&h->base, "clerk2", "booking.create", "booking/1", "{}"), HC_OK);
    for (i = 0; i < WRITERS; i++)
        assert_int_equal(pthread_create(&t[i], NULL, append_many, gamma), 0);
    for (i = 0; i < WRITERS; i++) {
        void *ret = NULL;
        assert_int_equal(pthread_join(t[i], &ret), 0);
        assert_null(ret);
    }
    assert_int_equal(store_audit_verify(&g->base, &rep), HC_OK);
    assert_int_equal(rep.bad_seq, 0);
    assert_int_equal(rep.entries, 1 + WRITERS * PER_WRITER);
    assert_int_equal(store_audit_verify(&h->base, &rep), HC_OK);
    assert_int_equal(rep.bad_seq, 0);
    assert_int_equal(rep.entries, 1);

    /* The entry holds the payload's canonical form; the list pages by seq. */
    hc_arena_init(&a, mem, sizeof mem);
    assert_int_equal(store_audit_list(&g->base, 0, 2, &a, &e, &n), HC_OK);
    assert_int_equal(n, 2);
    assert_int_equal(e[0].seq, 1);
    assert_string_equal(e[0].payload, "{\"a\":\"\\u00E9\",\"b\":1}");
    assert_string_equal(e[0].actor, "clerk1");
    assert_int_equal(e[1].seq, 2);
    assert_int_equal(store_audit_list(&g->base, 0, 0, &a, &e, &n), HC_EINVAL);

    /* A row changed behind the store's back (its trigger off, as a superuser could) is found. */
    owner_exec("ALTER TABLE audit_log DISABLE TRIGGER USER;"
               "UPDATE audit_log SET actor = 'someone else' WHERE seq = 7"
               " AND agency_id = (SELECT id FROM agencies WHERE slug = 'gamma');"
               "ALTER TABLE audit_log ENABLE TRIGGER USER");
    assert_int_equal(store_audit_verify(&g->base, &rep), HC_OK);
    assert_int_equal(rep.bad_seq, 7);
    assert_string_equal(rep.reason, "hash does not match the entry's contents");
    /* The other agency's chain is untouched. */
    assert_int_equal(store_audit_verify(&h->base, &rep), HC_OK);
    assert_int_equal(rep.bad_seq, 0);
    store_close(&g->base);
    store_close(&h->base);
}

/* The same entry at the same time hashes alike in both backends: a chain can move between
 * them and still verify. */
static void test_audit_hash_as_sqlite(void **state)
{
    char path[256];
    struct hc_store *sq;
    struct store_pg *s;
    struct store_audit_entry *e1 = NULL, *e2 = NULL;
    char mem[8192];
    struct hc_arena a;
    size_t n1 = 0, n2 = 0;
    int i;
    (void)state;

    owner_exec("INSERT INTO agencies (slug, name, created_at) VALUES"
               " ('epsilon', 'Epsilon County (synthetic)', '2026-01-01T00:00:00Z')");
    s = open_as(app_url(), "epsilon");
    sq = sqlite_fresh("hash", path);
    hc_clock_set(1767225600); /* 2026-01-01T00:00:00Z */
    for (i = 0; i < 2; i++) {
        assert_int_equal(append_text(sq, "admin", "policy.set", "policy", "{\"v\":1}"), HC_OK);
        assert_int_equal(append_text(&s->base, "admin", "policy.set", "policy", "{\"v\":1}"),
                         HC_OK);
    }
    hc_clock_set(0);
    hc_arena_init(&a, mem, sizeof mem);
    assert_int_equal(store_audit_list(sq, 0, 10, &a, &e1, &n1), HC_OK);
    assert_int_equal(store_audit_list(&s->base, 0, 10, &a, &e2, &n2), HC_OK);
    assert_int_equal(n1, 2);
    assert_int_equal(n2, 2);
    assert_string_equal(e1[0].at, "2026-01-01T00:00:00Z");
    assert_string_equal(e1[1].hash, e2[1].hash);
    store_close(sq);
    store_close(&s->base);
    unlink(path);
}

static long long pg_count(void *s, const char *sql)
{
    return query_num(s, sql);
}

/* A new agency named slug (a synthetic one) and a store acting for it. */
static struct store_pg *new_agency(const char *slug)
{
    char sql[256];
    snprintf(sql, sizeof sql, "INSERT INTO agencies (slug, name, created_at) VALUES ('%s',"
             " 'Agency %s (synthetic)', '2026-01-01T00:00:00Z')", slug, slug);
    owner_exec(sql);
    return open_as(app_url(), slug);
}

/* The rows the audit chain vouches for (src/store/bound.h), on both backends: the same booking
 * row written around holdcheck is reported unbound by each; `audit bind` binds it with the
 * same content hash in each (agency_id is not hashed); an edit afterwards is reported with its
 * table and id. */
static void test_rows_bound_as_sqlite(void **state)
{
    static const char *const rows[2] = {
        "INSERT INTO people (id, name, created_at) VALUES"
        " (900001, 'Testperson, Bound', '2026-01-01T00:00:00Z')",
        "INSERT INTO bookings (id, booking_no, person_id, booked_at, facility, status, bail)"
        " VALUES (900001, 'BND-1', 900001, '2026-01-02T00:00:00Z', 'Main Jail', 'in_custody',"
        " 500)"};
    struct store_audit_report r1, r2;
    struct store_audit_entry *e[2] = {NULL, NULL};
    struct hc_store *sq, *both[2];
    struct store_pg *s;
    char path[256], mem[16384];
    struct hc_arena a;
    sqlite3 *db;
    PGresult *r;
    int i;
    (void)state;

    s = new_agency("bound");
    sq = sqlite_fresh("bound", path);
    assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
    for (i = 0; i < 2; i++) { /* the person, then the booking, in each backend */
        assert_int_equal(sqlite3_exec(db, rows[i], NULL, NULL, NULL), SQLITE_OK);
        r = PQexec(s->conn, rows[i]);
        if (PQresultStatus(r) != PGRES_COMMAND_OK)
            fail_msg("%s", PQresultErrorMessage(r));
        PQclear(r);
    }
    sqlite3_close(db);
    both[0] = sq;
    both[1] = &s->base;

    hc_arena_init(&a, mem, sizeof mem);
    hc_clock_set(1767225600); /* both entries at the same time */
    for (i = 0; i < 2; i++) {
        size_t n = 0;
        int64_t bound = 0;
        assert_int_equal(store_audit_verify(both[i], &r1), HC_OK);
        assert_int_equal(r1.row_problems, 1);
        assert_string_equal(r1.row[0].table, "bookings");
        assert_int_equal(r1.row[0].id, 900001);
        assert_int_equal(r1.row[0].problem, STORE_AUDIT_ROW_UNBOUND);
        assert_int_equal(store_audit_bind(both[i], "cli", &bound), HC_OK);
        assert_int_equal(bound, 1);
        assert_int_equal(store_audit_list(both[i], 0, 10, &a, &e[i], &n), HC_OK);
        assert_int_equal(n, 1);
        assert_string_equal(e[i][0].action, "audit.bind");
    }
    hc_clock_set(0);
    assert_non_null(strstr(e[0][0].payload, "\"table\":\"bookings\""));
    assert_string_equal(e[0][0].payload, e[1][0].payload); /* the same row hash */
    assert_string_equal(e[0][0].hash, e[1][0].hash);

    assert_int_equal(store_audit_verify(&s->base, &r2), HC_OK);
    assert_int_equal(r2.bad_seq, 0);
    assert_int_equal(r2.row_problems, 0);
    assert_int_equal(r2.bound_rows, 1);
    r = PQexec(s->conn, "UPDATE bookings SET facility = 'Annex' WHERE id = 900001");
    assert_int_equal(PQresultStatus(r), PGRES_COMMAND_OK);
    PQclear(r);
    assert_int_equal(store_audit_verify(&s->base, &r2), HC_OK);
    assert_int_equal(r2.row_problems, 1);
    assert_string_equal(r2.row[0].table, "bookings");
    assert_int_equal(r2.row[0].id, 900001);
    assert_int_equal(r2.row[0].seq, 1);
    assert_int_equal(r2.row[0].problem, STORE_AUDIT_ROW_CHANGED);
    store_close(sq);
    store_close(&s->base);
    unlink(path);
}

static int agency_exec(void *s, const char *sql)
{
    return pg_exec_sql(s, sql);
}

/* Which records changed (cases_changes.h), each agency apart: another agency's connection sees
 * none of the marks. */
static void test_changes(void **state)
{
    struct store_pg *a = new_agency("changes-a"), *b = new_agency("changes-b");
    int64_t seq = -1;
    int more = -1;
    (void)state;
    cases_changes(&a->base, agency_exec, a);
    assert_int_equal(store_changes(&b->base, &seq, 10, changes_note, NULL, &more), HC_OK);
    assert_int_equal(seq, 0);
    store_close(&a->base);
    store_close(&b->base);
}

/* The users area keeps the promises it keeps on SQLite (cases_users.h), each agency apart: a
 * name may stand in two agencies, and one agency's token, session or user is not found from
 * another's connection. */
static void test_users(void **state)
{
    struct store_pg *a = new_agency("users-a"), *b = new_agency("users-b"),
                    *c = new_agency("users-c");
    struct store_user u, got;
    char mem[16384];
    struct hc_arena ar;
    int64_t id = 0;
    (void)state;

    hc_arena_init(&ar, mem, sizeof mem);
    cases_users(&a->base, &ar, pg_count, a);
    cases_user_reset(&c->base, pg_count, c);

    memset(&u, 0, sizeof u);
    u.name = "bob";
    u.role = "admin";
    u.password_hash = "$argon2id$b";
    assert_int_equal(store_user_add(&b->base, &u, "test", &id), HC_OK); /* a's bob is a clerk */
    assert_int_equal(store_user_get(&b->base, "bob", &ar, &got), HC_OK);
    assert_string_equal(got.role, "admin");
    assert_int_equal(store_user_get(&b->base, "resetme", &ar, &got), HC_ENOENT);
    assert_int_equal(store_session_add(&a->base, id, "session-b", "2999-01-01T00:00:00Z"),
                     HC_ENOENT); /* b's user id, from a's connection: no such user */
    assert_int_equal(store_session_add(&b->base, id, "session-b", "2999-01-01T00:00:00Z"), HC_OK);
    assert_int_equal(store_session_user(&a->base, "session-b", &ar, &got), HC_ENOENT);
    assert_int_equal(store_session_user(&b->base, "session-b", &ar, &got), HC_OK);
    assert_int_equal(store_user_disable(&b->base, "alice", "admin-1"), HC_ENOENT);
    assert_int_equal(pg_count(b, "SELECT count(*) FROM audit_log"), 1); /* b's user.create */
    store_close(&a->base);
    store_close(&b->base);
    store_close(&c->base);
}

/* A scratch arena for one test (malloc; free it with free(a->base)). */
static void scratch(struct hc_arena *a)
{
    size_t n = 4u << 20;
    char *mem = malloc(n);
    assert_non_null(mem);
    hc_arena_init(a, mem, n);
}

/* The cases of the records, requests, task force, read log and victim notification areas
 * (cases_records.h, cases_requests.h, cases_taskforce.h, cases_readlog.h, cases_victims.h),
 * each on an agency of its own: an empty store. */
static void test_records_and_requests(void **state)
{
    static const cases_fn cases[] = {
        cases_booking_roundtrip,        cases_records_rollback,  cases_court_record,
        cases_booking_state,            cases_agency,            cases_request_decisions,
        cases_overrides,                cases_actions_and_lists, cases_requests_bound,
        cases_console_notices,          cases_console_records,   cases_console_queue,
        cases_console_trail,            cases_taskforce_writes,  cases_taskforce_lists_and_tally,
        cases_readlog,                  cases_readlog_by_record, cases_victim_registrations,
        cases_victim_notices,           cases_reports_year,      cases_public_policy,
        cases_public_search,            cases_public_export,     cases_public_status,
        cases_public_subscriptions,     cases_public_deliveries, cases_public_webhook_results,
        cases_public_snapshots,         cases_public_namekey_backfill, cases_public_advance_follows,
        cases_public_sms,
        cases_import_bulk,              cases_import_refused,    cases_import_in_place,
    };
    struct hc_arena a;
    size_t i;
    (void)state;
    scratch(&a);
    for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char slug[32];
        struct store_pg *s;
        snprintf(slug, sizeof slug, "case-%zu", i);
        s = new_agency(slug);
        {
            const struct cases_env e = {&a, pg_count, agency_exec, s};
            cases[i](&s->base, &e);
        }
        store_close(&s->base);
    }
    free(a.base);
}

/* Agency a's chain and agency b's, which holds one entry, each verify, with every bound row. */
static void chains_apart(struct hc_store *a, struct hc_store *b)
{
    struct store_audit_report rep;
    assert_int_equal(store_audit_verify(a, &rep), HC_OK);
    assert_int_equal(rep.bad_seq, 0);
    assert_int_equal(rep.row_problems, 0);
    assert_int_equal(store_audit_verify(b, &rep), HC_OK);
    assert_int_equal(rep.bad_seq, 0);
    assert_int_equal(rep.entries, 1);
    assert_int_equal(rep.row_problems, 0);
}

/* Two agencies share the database: agency B's connection never reads, changes or refers to
 * agency A's bookings, people, charges, requests or actions, by number or by id, not even
 * through the reads that carry no filter at all (the count of bookings, the outcome counts,
 * the lists); each may use the same booking number. */
static void test_records_two_agencies(void **state)
{
    struct store_pg *pa = new_agency("two-a"), *pb = new_agency("two-b");
    struct hc_store *a = &pa->base, *b = &pb->base;
    struct store_charge c = {"PC 459", "felony", NULL, 0, 0};
    struct store_charge_patch cp;
    struct store_conviction_patch vp;
    struct store_court_change chg;
    struct store_booking_state bs;
    struct store_request_detail det;
    struct store_request_filter f;
    struct store_request_item *it = NULL;
    struct store_action_filter af;
    struct store_action x, *acts = NULL;
    struct store_outcome_counts oc;
    struct store_override o;
    struct store_record r;
    struct hc_arena ar;
    struct hc_diag d;
    int64_t abid, rid, did = 0, id = 0, n = -1, apid;
    size_t k = 9;
    (void)state;

    scratch(&ar);
    abid = cases_add_booking(a, "SAME-1", "L-SAME-1");
    rid = cases_request(a, abid, "hold", "2024-05-02", "prohibited", "a-clerk", &did);
    memset(&x, 0, sizeof x);
    x.request_id = rid;
    x.kind = "released_before_ice";
    x.at = "2024-05-03T08:00:00Z";
    x.recorded_by = "a-clerk";
    assert_int_equal(store_action_add(a, &x, &id), HC_OK);
    assert_int_equal(store_record_get(a, "SAME-1", &ar, &r), HC_OK);
    apid = r.person.id;

    /* B sees none of it: by number, by id, or with no filter at all. */
    assert_int_equal(store_record_get(b, "SAME-1", &ar, &r), HC_ENOENT);
    assert_int_equal(store_booking_state_get(b, "SAME-1", &ar, &id, &bs), HC_ENOENT);
    assert_int_equal(store_request_get(b, rid, &ar, &det), HC_ENOENT);
    assert_int_equal(store_booking_count(b, &n), HC_OK);
    assert_int_equal(n, 0);
    memset(&f, 0, sizeof f);
    f.limit = 500;
    assert_int_equal(store_request_list(b, &f, &ar, &it, &k), HC_OK);
    assert_int_equal(k, 0);
    memset(&af, 0, sizeof af);
    af.limit = 1000;
    assert_int_equal(store_actions_list(b, &af, &ar, &acts, &k), HC_OK);
    assert_int_equal(k, 0);
    assert_int_equal(store_outcome_counts(b, &oc), HC_OK);
    assert_int_equal(oc.in_force[3] + oc.undecided, 0);
    assert_int_equal(pg_count(pb, "SELECT count(*) FROM people"), 0);
    assert_int_equal(pg_count(pb, "SELECT count(*) FROM decisions"), 0);
    assert_int_equal(pg_count(pb, "SELECT count(*) FROM request_outcome"), 0);

    /* B cannot change or extend A's rows through the store, by id. */
    hc_diag_clear(&d);
    assert_int_equal(store_charge_add(b, "SAME-1", &c, "b-clerk", &id, &d), HC_ENOENT);
    assert_string_equal(d.field, "booking_no");
    memset(&cp, 0, sizeof cp);
    cp.set = STORE_CHG_STATUS;
    cp.status = "dismissed";
    assert_int_equal(store_record_get(a, "SAME-1", &ar, &r), HC_OK);
    assert_int_equal(store_charge_update(b, r.charges[0].id, &cp, "b-clerk", &chg, &d),
                     HC_ENOENT);
    memset(&vp, 0, sizeof vp);
    vp.set = STORE_CONV_PROP47;
    vp.prop47_reduced = 1;
    assert_int_equal(store_conviction_update(b, r.conv[0].id, &vp, "b-clerk", &chg, &d),
                     HC_ENOENT);
    assert_int_equal(store_conviction_add(b, apid, &cases_convs[0], "b-clerk", &id, &d),
                     HC_ENOENT);
    assert_int_equal(store_begin(b), HC_OK);
    memset(&bs, 0, sizeof bs);
    bs.facility = "Elsewhere";
    bs.status = "in_custody";
    assert_int_equal(store_booking_state_set(b, abid, &bs), HC_OK); /* changes no row */
    assert_int_equal(store_commit(b), HC_OK);
    memset(&o, 0, sizeof o);
    o.request_id = rid;
    o.decision_id = did;
    o.outcome = "prohibited";
    o.reason = "from another agency";
    o.created_by = "b-sup";
    assert_int_equal(store_override_add(b, &o, &id), HC_EINVAL);
    x.recorded_by = "b-clerk";
    assert_int_equal(store_action_add(b, &x, &id), HC_ENOENT); /* A's request: no such row */
    assert_int_equal(store_booking_state_get(a, "SAME-1", &ar, &id, &bs), HC_OK);
    assert_string_equal(bs.facility, "Test Jail");
    assert_int_equal(pg_count(pa, "SELECT count(*) FROM charges WHERE status = 'dismissed'"), 1);
    assert_int_equal(pg_count(pa, "SELECT count(*) FROM overrides"), 0);
    assert_int_equal(pg_count(pa, "SELECT count(*) FROM request_actions"), 1);

    /* B books its own SAME-1: the same number in another agency is another booking. */
    cases_add_booking(b, "SAME-1", "L-SAME-1");
    assert_int_equal(store_booking_count(a, &n), HC_OK);
    assert_int_equal(n, 1);
    assert_int_equal(store_record_get(b, "SAME-1", &ar, &r), HC_OK);
    assert_int_equal(r.nreq, 0);
    assert_int_not_equal(r.booking.id, abid);
    /* Each agency's chain holds only its own entries and verifies. */
    assert_int_equal(pg_count(pb, "SELECT count(*) FROM audit_log"), 1);
    chains_apart(a, b);
    store_close(a);
    store_close(b);
    free(ar.base);
}

/* Two agencies share the task force register, the read log and victim notification: agency B's
 * connection neither reads nor changes nor refers to A's task forces, entries, read entries,
 * registrations or notices, through the store or with raw SQL that names no agency; each may
 * use the same task force name. */
static void test_small_areas_two_agencies(void **state)
{
    struct store_pg *pa = new_agency("small-a"), *pb = new_agency("small-b");
    struct hc_store *a = &pa->base, *b = &pb->base;
    struct store_read_entry re = cases_read("2026-01-01T08:00:00Z", 1, "a-clerk", "person", "1",
                                            "");
    struct store_read_filter rf = cases_read_filter(0, 1000);
    struct store_victim v = cases_victim("SMALL-1", 1, "small@example.org"), got, *vl = NULL;
    struct store_read_entry *rl = NULL;
    struct store_task_force *tl = NULL;
    struct store_tf_arrests x, *xl = NULL;
    struct store_tf_tally *tt = NULL;
    struct store_victim_notice *nl = NULL;
    struct store_victim_job job;
    struct hc_arena ar;
    struct hc_diag d;
    int64_t tf, abid, reg = 0, nid = 0, id = 0, k = -1;
    size_t n = 9;
    (void)state;

    scratch(&ar);
    /* A's rows: a task force with an entry, a read, a registration with a notice in flight. */
    tf = cases_tf(a, "Same Task Force", "2024-01-01", NULL);
    cases_tf_entry(a, tf, "2024-01-01", "2024-03-31", 9, 2);
    assert_int_equal(store_readlog_append(a, &re, 1), HC_OK);
    abid = cases_add_booking(a, "SMALL-1", "L-SMALL-1");
    assert_int_equal(store_victim_add(a, &v, "2026-01-01T00:00:00Z", &reg), HC_OK);
    assert_int_equal(store_victim_notice_add(a, reg, abid, "released", "{}",
                                             "2026-01-01T00:00:00Z", &nid),
                     HC_OK);

    /* B reads none of it, through the store or with raw SQL without a WHERE. */
    assert_int_equal(store_tf_list(b, &ar, &tl, &n), HC_OK);
    assert_int_equal(n, 0);
    assert_int_equal(store_tf_arrests_list(b, 0, &ar, &xl, &n), HC_OK);
    assert_int_equal(n, 0);
    assert_int_equal(store_tf_arrests_list(b, tf, &ar, &xl, &n), HC_OK);
    assert_int_equal(n, 0);
    assert_int_equal(store_tf_tally(b, "2024-01-01", "2024-12-31", &ar, &tt, &n), HC_OK);
    assert_int_equal(n, 0);
    assert_int_equal(store_readlog_list(b, &rf, &ar, &rl, &n), HC_OK);
    assert_int_equal(n, 0);
    assert_int_equal(store_victim_get(b, reg, &ar, &got), HC_ENOENT);
    assert_int_equal(store_victim_list(b, NULL, &ar, &vl, &n), HC_OK);
    assert_int_equal(n, 0);
    assert_int_equal(store_victim_of_booking(b, abid, &ar, &vl, &n), HC_OK);
    assert_int_equal(n, 0);
    assert_int_equal(store_victim_notices(b, reg, &ar, &nl, &n), HC_OK);
    assert_int_equal(n, 0);
    assert_int_equal(store_victim_notice_claim(b, "2027-01-01T00:00:00Z", &ar, &job), HC_ENOENT);
    assert_int_equal(pg_count(pb, "SELECT count(*) FROM task_forces"), 0);
    assert_int_equal(pg_count(pb, "SELECT count(*) FROM task_force_arrests"), 0);
    assert_int_equal(pg_count(pb, "SELECT count(*) FROM read_log"), 0);
    assert_int_equal(pg_count(pb, "SELECT count(*) FROM victim_registrations"), 0);
    assert_int_equal(pg_count(pb, "SELECT count(*) FROM victim_notices"), 0);

    /* B changes and extends none of it, by number or by id. */
    memset(&x, 0, sizeof x);
    x.task_force_id = tf;
    x.period_from = "2024-04-01";
    x.period_to = "2024-06-30";
    x.arrests = 1;
    x.recorded_by = "b-clerk";
    hc_diag_clear(&d);
    assert_int_equal(store_tf_arrests_add(b, &x, &id, &d), HC_ENOENT); /* A's task force */
    assert_int_equal(store_readlog_prune(b, "2099-01-01T00:00:00Z", &k), HC_OK);
    assert_int_equal(k, 0);
    v.created_by = "b-clerk";
    assert_int_equal(store_victim_add(b, &v, "2026-01-02T00:00:00Z", &id), HC_ENOENT);
    assert_int_equal(store_victim_get(a, reg, &ar, &got), HC_OK);
    got.state = "removed";
    got.changed_by = "b-clerk";
    assert_int_equal(store_victim_set(b, &got, "2026-01-02T00:00:00Z"), HC_ENOENT);
    assert_int_not_equal(store_victim_notice_add(b, reg, abid, "released", "{}",
                                                 "2026-01-02T00:00:00Z", &id),
                         HC_OK);
    assert_int_equal(store_victim_notice_claim(a, "2026-01-01T00:00:00Z", &ar, &job), HC_OK);
    assert_int_equal(store_victim_notice_requeue(b, &k), HC_OK);
    assert_int_equal(k, 0); /* A's notice stays "sending" */
    assert_int_equal(store_victim_notice_finish(b, nid, "failed", NULL, NULL,
                                                "2026-01-02T00:00:00Z"),
                     HC_ENOENT);
    assert_int_equal(pg_count(pa, "SELECT count(*) FROM task_force_arrests"), 1);
    assert_int_equal(pg_count(pa, "SELECT count(*) FROM read_log"), 1);
    assert_int_equal(pg_count(pa, "SELECT count(*) FROM victim_registrations"
                                  " WHERE state = 'active'"),
                     1);
    assert_int_equal(pg_count(pa, "SELECT count(*) FROM victim_notices WHERE status = 'sending'"),
                     1);

    /* B's own task force may take the same name; each chain holds its own entries. */
    cases_tf(b, "Same Task Force", "2025-01-01", NULL);
    assert_int_equal(store_tf_list(a, &ar, &tl, &n), HC_OK);
    assert_int_equal(n, 1);
    assert_string_equal(tl[0].joined, "2024-01-01");
    chains_apart(a, b);
    store_close(a);
    store_close(b);
    free(ar.base);
}

/* Two agencies share the database: agency B's connection never reads, serves, extends or
 * refers to agency A's notices and console records, by id or through the reads that carry no
 * filter (the queue, a request's audit trail), and a raw SELECT under B's role with no WHERE
 * finds none of A's rows; A's chain still vouches for its notices. */
static void test_console_two_agencies(void **state)
{
    static const char *const tables[] = {"notices", "interview_consents", "request_intents",
                                         "release_disclosures", "interviews",
                                         "request_warrants"};
    struct store_pg *pa = new_agency("console-a"), *pb = new_agency("console-b");
    struct hc_store *a = &pa->base, *b = &pb->base;
    struct store_notice n = {.kind = "copy", .recipient = "person", .language = "en",
                             .subdivision = "7283.1(b), first sentence",
                             .generated_by = "a-clerk"};
    struct store_notice_service sv = {.served_to = "Testperson", .method = "in_person",
                                      .served_by = "b-clerk"};
    struct store_consent c = {.answer = "consent", .recorded_by = "a-clerk"};
    struct store_intent in = {.intent = "no", .recorded_by = "a-clerk"};
    struct store_disclosure dc = {.release_date = "2024-05-09", .told_at = "2024-05-03T10:00:00Z",
                                  .recorded_by = "a-clerk"};
    struct store_interview iv = {.status = "refused", .recorded_by = "a-clerk"};
    struct store_warrant w = {.court = "Test Court", .judge = "Testjudge",
                              .recorded_by = "a-clerk"};
    struct store_console_state cs;
    struct store_queue_item *q = NULL;
    struct store_audit_entry *t = NULL;
    struct store_audit_report rep;
    struct store_notice got;
    struct store_record r;
    const char **nos = NULL;
    struct hc_arena ar;
    struct hc_diag d;
    int64_t rid, brid, nid = 0, cid = 0, id = 0;
    size_t k = 99, i;
    (void)state;

    scratch(&ar);
    rid = cases_request(a, cases_add_booking(a, "CON-1", "L-CON-1"), "interview", "2024-05-02",
                        "permitted_with_conditions", "a-clerk", NULL);
    n.request_id = c.request_id = in.request_id = dc.request_id = iv.request_id =
        w.request_id = rid;
    assert_int_equal(store_notice_add(a, &n, &nid), HC_OK);
    assert_int_equal(store_consent_add(a, &c, &cid), HC_OK);
    assert_int_equal(store_intent_add(a, &in, &id), HC_OK);
    assert_int_equal(store_disclosure_add(a, &dc, &id), HC_OK);
    assert_int_equal(store_interview_add(a, &iv, &id), HC_OK);
    assert_int_equal(store_warrant_add(a, &w, &id), HC_OK);
    assert_int_equal(store_record_get(a, "CON-1", &ar, &r), HC_OK);

    /* B finds none of it: by id, through the unfiltered reads, or with raw SQL. */
    assert_int_equal(store_notice_get(b, nid, &ar, &got), HC_ENOENT);
    assert_int_equal(store_console_state(b, rid, &ar, &cs), HC_OK);
    assert_int_equal(cs.nnotices + cs.nconsents + cs.nintents + cs.ndisclosures +
                         cs.ninterviews + cs.nwarrants,
                     0);
    assert_int_equal(store_console_queue(b, 0, 500, &ar, &q, &k), HC_OK);
    assert_int_equal(k, 0);
    assert_int_equal(store_request_audit(b, rid, &ar, &t, &k), HC_OK);
    assert_int_equal(k, 0);
    assert_int_equal(store_person_bookings(b, r.person.id, &ar, &nos, &k), HC_ENOENT);
    for (i = 0; i < sizeof tables / sizeof tables[0]; i++) {
        char sql[80];
        snprintf(sql, sizeof sql, "SELECT count(*) FROM %s", tables[i]);
        assert_int_equal(pg_count(pb, sql), 0);
        assert_int_equal(pg_count(pa, sql), 1);
    }

    /* B can neither serve A's notice nor add to A's request. */
    hc_diag_clear(&d);
    assert_int_equal(store_notice_serve(b, nid, &sv, &d), HC_ENOENT);
    assert_string_equal(d.field, "id");
    n.generated_by = c.recorded_by = in.recorded_by = dc.recorded_by = iv.recorded_by =
        w.recorded_by = "b-clerk";
    assert_int_equal(store_notice_add(b, &n, &id), HC_ENOENT);
    assert_int_equal(store_consent_add(b, &c, &id), HC_ENOENT);
    assert_int_equal(store_intent_add(b, &in, &id), HC_ENOENT);
    assert_int_equal(store_disclosure_add(b, &dc, &id), HC_ENOENT);
    assert_int_equal(store_interview_add(b, &iv, &id), HC_ENOENT);
    assert_int_equal(store_warrant_add(b, &w, &id), HC_ENOENT);
    /* Nor rest B's own interview on A's consent. */
    brid = cases_request(b, cases_add_booking(b, "CON-1", "L-CON-1"), "interview",
                         "2024-05-02", "permitted_with_conditions", "b-clerk", NULL);
    iv.request_id = brid;
    iv.status = "granted";
    iv.consent_id = cid;
    assert_int_equal(store_interview_add(b, &iv, &id), HC_ENOENT);
    assert_int_equal(store_notice_get(a, nid, &ar, &got), HC_OK);
    assert_null(got.served_at);
    assert_int_equal(pg_count(pb, "SELECT count(*) FROM interviews"), 0);
    assert_int_equal(pg_count(pa, "SELECT count(*) FROM audit_log"), 9);
    assert_int_equal(pg_count(pb, "SELECT count(*) FROM audit_log"), 3);
    /* B's queue holds its own request only; A's holds A's. */
    assert_int_equal(store_console_queue(b, 0, 500, &ar, &q, &k), HC_OK);
    assert_int_equal(k, 1);
    assert_int_equal(q[0].req.id, brid);
    assert_int_equal(store_console_queue(a, 0, 500, &ar, &q, &k), HC_OK);
    assert_int_equal(k, 1);
    assert_int_equal(q[0].req.id, rid);

    assert_int_equal(store_audit_verify(a, &rep), HC_OK);
    assert_int_equal(rep.bad_seq, 0);
    assert_int_equal(rep.row_problems, 0);
    assert_int_equal(rep.bound_rows, 3); /* the booking, the decision, the notice */
    store_close(a);
    store_close(b);
    free(ar.base);
}

/* A notice's service from another connection of the same agency. */
struct serve_race {
    struct hc_store *st;
    int64_t notice_id;
    int rc;
    struct hc_diag d;
};

static void *serve_notice(void *arg)
{
    struct serve_race *x = arg;
    const struct store_notice_service sv = {.served_to = "Testperson, Second",
                                            .method = "mail", .served_by = "clerk-2"};
    hc_diag_clear(&x->d);
    x->rc = store_notice_serve(x->st, x->notice_id, &sv, &x->d);
    return NULL;
}

/* Two clerks serve one notice at once: the second has read it unserved and waits on the
 * first's row; when the first commits, the second changes nothing and is told the notice was
 * served (not a refusal of the schema), and the chain holds one service. */
static void test_notice_served_once_by_racing_clerks(void **state)
{
    struct store_pg *a = new_agency("serve-race"), *b = open_as(app_url(), "serve-race");
    const struct store_notice_service first = {.served_to = "Testperson, First",
                                               .method = "in_person", .served_by = "clerk-1"};
    struct store_notice n = {.kind = "copy", .recipient = "person", .language = "en",
                             .subdivision = "7283.1(b), first sentence",
                             .generated_by = "clerk-1"};
    struct serve_race x = {&b->base, 0, -1, {0}};
    struct store_audit_report rep;
    struct store_notice got;
    struct hc_arena ar;
    struct hc_diag d;
    pthread_t t;
    PGconn *watch;
    int tries;
    (void)state;

    scratch(&ar);
    n.request_id = cases_request(&a->base, cases_add_booking(&a->base, "RACE-1", "L-RACE-1"),
                                 "hold", "2024-05-02", "prohibited", "clerk-1", NULL);
    assert_int_equal(store_notice_add(&a->base, &n, &x.notice_id), HC_OK);
    assert_int_equal(store_begin(&a->base), HC_OK);
    hc_diag_clear(&d);
    assert_int_equal(store_notice_serve(&a->base, x.notice_id, &first, &d), HC_OK);
    assert_int_equal(pthread_create(&t, NULL, serve_notice, &x), 0);
    /* Commit only once the second clerk waits on the notice's row. */
    watch = PQconnectdb(owner_url());
    assert_int_equal(PQstatus(watch), CONNECTION_OK);
    for (tries = 0; tries < 500; tries++) {
        PGresult *r = PQexec(watch, "SELECT count(*) FROM pg_stat_activity"
                                    " WHERE wait_event_type = 'Lock'");
        int waiting = PQresultStatus(r) == PGRES_TUPLES_OK &&
                      strtol(PQgetvalue(r, 0, 0), NULL, 10) > 0;
        PQclear(r);
        if (waiting)
            break;
        nanosleep(&(struct timespec){0, 10000000}, NULL);
    }
    PQfinish(watch);
    assert_true(tries < 500);
    assert_int_equal(store_commit(&a->base), HC_OK);
    assert_int_equal(pthread_join(t, NULL), 0);
    assert_int_equal(x.rc, STORE_ECONFLICT);
    assert_string_equal(x.d.field, "id");
    assert_string_equal(x.d.msg, "this notice was already served");
    assert_int_equal(store_notice_get(&a->base, x.notice_id, &ar, &got), HC_OK);
    assert_string_equal(got.served_to, "Testperson, First");
    assert_int_equal(pg_count(a, "SELECT count(*) FROM audit_log WHERE action = 'notice.serve'"),
                     1);
    assert_int_equal(store_audit_verify(&a->base, &rep), HC_OK);
    assert_int_equal(rep.bad_seq, 0);
    assert_int_equal(rep.row_problems, 0);
    store_close(&a->base);
    store_close(&b->base);
    free(ar.base);
}

/* Two senders of one agency claim at once: the notice one has claimed, its transaction still
 * open, is passed over by the other, which claims the next one without waiting for it (a wait
 * would end in the statement timeout set here, and the claim would fail). */
static void test_victim_claims_apart(void **state)
{
    struct store_pg *p1 = new_agency("claims"), *p2 = open_as(app_url(), "claims");
    struct hc_store *s1 = &p1->base, *s2 = &p2->base;
    struct store_victim v = cases_victim("CL-1", 0, "claims@example.org");
    struct store_victim_job j1, j2;
    struct hc_arena ar;
    int64_t b, reg = 0, n1 = 0, n2 = 0;
    (void)state;

    scratch(&ar);
    b = cases_add_booking(s1, "CL-1", "L-CL-1");
    assert_int_equal(store_victim_add(s1, &v, "2026-01-01T00:00:00Z", &reg), HC_OK);
    assert_int_equal(store_victim_notice_add(s1, reg, b, "released", "{}",
                                             "2026-01-01T00:00:00Z", &n1),
                     HC_OK);
    assert_int_equal(store_victim_notice_add(s1, reg, b, "transferred", "{}",
                                             "2026-01-01T00:00:00Z", &n2),
                     HC_OK);
    assert_int_equal(pg_exec_sql(p2, "SET statement_timeout = '3s'"), HC_OK);
    assert_int_equal(store_begin(s1), HC_OK);
    assert_int_equal(store_victim_notice_claim(s1, "2026-01-02T00:00:00Z", &ar, &j1), HC_OK);
    assert_int_equal(j1.id, n1);
    assert_int_equal(store_victim_notice_claim(s2, "2026-01-02T00:00:00Z", &ar, &j2), HC_OK);
    assert_int_equal(j2.id, n2);
    assert_int_equal(store_victim_notice_claim(s2, "2026-01-02T00:00:00Z", &ar, &j2), HC_ENOENT);
    assert_int_equal(store_commit(s1), HC_OK);
    assert_int_equal(pg_count(p2, "SELECT count(*) FROM victim_notices"
                                  " WHERE status = 'sending' AND attempts = 1"),
                     2);
    store_close(s1);
    store_close(s2);
    free(ar.base);
}

/* Agency B's connection b reads, confirms, ends, claims, finishes, purges and deletes none of
 * agency A's portal rows: A's booking abid (number PA-1, person "Vale, Ann"), its
 * subscription's tokens pa-c and pa-u, its delivery in flight (id sending) and its snapshot
 * of 2026-01-01. */
static void public_b_touches_none(struct hc_store *b, int64_t abid, int64_t sending,
                                  struct hc_arena *ar)
{
    struct store_public_query q = cases_pub_query(STORE_PUB_ALL, 10);
    struct store_subscription sub = cases_pub_sub("PA-1", "pa@example.org", "pb-c", "pb-u");
    struct store_public_policy pol;
    struct store_subscription_info info;
    struct store_public_row *rows = NULL;
    struct store_facility_status *fs = NULL;
    struct store_delivery_row *dl = NULL;
    struct store_delivery_job job;
    struct store_snapshot *sl = NULL;
    struct store_code_try ct;
    struct store_sms_reply reply;
    struct cases_pub_count c = {0, 0, 0};
    const char *overall = "x";
    char **names = NULL;
    int64_t k = -1, d = -1, ev = 0;
    size_t n = 9;
    int changed = -1;

    assert_int_equal(store_public_policy_get(b, ar, &pol), HC_OK);
    assert_int_equal(pol.fields, 0);
    assert_int_equal(pol.version, 1);
    assert_int_equal(store_public_search(b, &q, ar, &rows, &n), HC_OK);
    assert_int_equal(n, 0);
    q.booking_no = "PA-1";
    assert_int_equal(store_public_search(b, &q, ar, &rows, &n), HC_OK);
    assert_int_equal(n, 0);
    q.booking_no = NULL;
    q.by_name = 1;
    q.last = "vale";
    assert_int_equal(store_public_search(b, &q, ar, &rows, &n), HC_OK);
    assert_int_equal(n, 0);
    q.first = "a";
    assert_int_equal(store_public_search(b, &q, ar, &rows, &n), HC_OK);
    assert_int_equal(n, 0);
    q.first = NULL;
    q.has_after = 1;
    q.after_id = abid; /* a cursor naming A's booking is no cursor of B's */
    assert_int_equal(store_public_search(b, &q, ar, &rows, &n), HC_EINVAL);
    assert_int_equal(store_public_last_names(b, "v", 5, ar, &names, &n), HC_OK);
    assert_int_equal(n, 0);
    assert_int_equal(store_public_export(b, &q, cases_pub_count_row, &c), HC_OK);
    assert_int_equal(c.n, 0);
    assert_int_equal(store_public_status(b, ar, &fs, &n, &overall), HC_OK);
    assert_int_equal(n, 0);
    assert_null(overall);
    assert_int_equal(store_public_status_scan(b, &changed), HC_OK);
    assert_int_equal(changed, 0);
    assert_int_equal(store_delivery_list(b, NULL, 0, 10, ar, &dl, &n), HC_OK);
    assert_int_equal(n, 0);
    assert_int_equal(store_delivery_claim(b, "2999-01-01T00:00:00Z", ar, &job), HC_ENOENT);
    assert_int_equal(store_snapshot_list(b, ar, &sl, &n), HC_OK);
    assert_int_equal(n, 0);
    assert_int_equal(store_advance_scan(b, "2026-03-07", NULL, &k), HC_OK);
    assert_int_equal(k, 0);

    assert_int_equal(store_subscription_add(b, &sub, &d), HC_ENOENT);
    assert_int_equal(store_subscription_confirm(b, "pa-c", "2000-01-01T00:00:00Z", ar, &info),
                     HC_ENOENT);
    assert_int_equal(store_subscription_unsubscribe(b, "pa-u", &k), HC_ENOENT);
    assert_int_equal(store_subscription_purge(b, "2999-01-01T00:00:00Z", &k), HC_OK);
    assert_int_equal(k, 0);
    assert_int_equal(store_delivery_requeue(b, &k), HC_OK);
    assert_int_equal(k, 0);
    assert_int_equal(store_delivery_finish(b, sending, STORE_DELIVERY_GONE, NULL, "410"), HC_OK);
    assert_int_equal(store_snapshot_delete(b, "2026-01-01"), HC_OK);
    assert_int_equal(store_begin(b), HC_OK);
    assert_int_not_equal(store_event_add(b, abid, "released", "{}", "2026-01-06T00:00:00Z",
                                         NULL, &ev),
                         HC_OK);
    store_rollback(b);
    assert_int_equal(store_subscription_code_try(b, "+15105550123", "PA-1",
                                                 "2000-01-01T00:00:00Z", 5, ar, &ct),
                     HC_ENOENT);
    assert_int_equal(store_sms_reply_claim(b, "2999-01-01T00:00:00Z", ar, &reply), HC_ENOENT);
    assert_int_equal(store_sms_stop(b, "+15105550123", "en", "STOP", &k), HC_OK);
    assert_int_equal(k, 0);
    assert_int_equal(store_sms_reply_claim(b, "2999-01-01T00:00:00Z", ar, &reply), HC_OK);
    assert_int_equal(store_sms_reply_finish(b, reply.id, STORE_DELIVERY_DELIVERED, NULL, NULL),
                     HC_OK); /* B's own reply, to its own opt-out */
}

/* The public portal keeps each agency's rows: agency B's connection reads and changes none of
 * A's (public_b_touches_none), both as the server's role, under row-level security, and as a
 * superuser, which bypasses it, so that the agency each statement names keeps them apart too;
 * a raw SELECT under B's role with no WHERE finds none of A's rows of the portal's tables. Each
 * agency's policy, and its booking of the same number, are its own. */
static void test_public_two_agencies(void **state)
{
    static const char *const tables[] = {"public_policy",   "subscriptions", "public_events",
                                         "deliveries",      "facility_status", "public_scan",
                                         "public_snapshots"}; /* sms_stops: B has its own */
    struct store_pg *pa = new_agency("pub-a"), *pb = new_agency("pub-b");
    struct store_pg *pb_super = open_as(owner_url(), "pub-b");
    struct hc_store *a = &pa->base, *b = &pb->base;
    struct store_public_query q = cases_pub_query(STORE_PUB_ALL, 10);
    struct store_snapshot snap = {"2026-01-01", "2026-01-01T08:00:00Z", 1, 3, 2};
    struct store_subscription sms = cases_pub_sub("PA-1", "+15105550123", "pa-sc", "pa-su");
    struct store_public_policy pol;
    struct store_public_row *rows = NULL;
    struct store_delivery_job job;
    struct hc_arena ar;
    int64_t abid, sid, ev = 0, k = 0;
    size_t n = 9, i;
    int changed = -1;
    (void)state;

    scratch(&ar);
    /* A's rows: a published policy, a booking with a confirmed subscription, an event queued
     * to it and claimed, its facility's status, a snapshot. */
    memset(&pol, 0, sizeof pol);
    pol.fields = STORE_PUB_ALL;
    pol.recent_days = 7;
    assert_int_equal(store_public_policy_set(a, &pol, "pa-admin"), HC_OK);
    abid = cases_pub_booking(a, "PA-1", "L-PA-1", "Vale, Ann", "A Jail", NULL);
    {
        const struct cases_env e = {&ar, pg_count, agency_exec, pa};
        sid = cases_pub_confirmed(a, &e, "PA-1", "pa@example.org", "pa-c", "pa-u");
    }
    assert_int_equal(store_begin(a), HC_OK);
    assert_int_equal(store_event_add(a, abid, "released", "{}", "2026-01-05T00:00:00Z", "pa-ev",
                                     &ev),
                     HC_OK);
    assert_int_equal(store_event_deliver(a, ev, abid, STORE_EVT_RELEASED,
                                         "2026-01-05T00:00:00Z", NULL, &k),
                     HC_OK);
    assert_int_equal(k, 1);
    assert_int_equal(store_commit(a), HC_OK);
    assert_int_equal(store_public_status_scan(a, &changed), HC_OK);
    assert_true(changed > 0);
    assert_int_equal(store_snapshot_put(a, &snap), HC_OK);
    assert_int_equal(store_delivery_claim(a, "2999-01-01T00:00:00Z", &ar, &job), HC_OK);
    assert_int_equal(job.subscription_id, sid);
    sms.channel = "sms";
    assert_int_equal(store_subscription_add(a, &sms, &k), HC_OK);
    assert_int_equal(store_sms_stop(a, "+15105550999", "en", "STOP", &k), HC_OK);

    public_b_touches_none(&pb_super->base, abid, job.id, &ar);
    public_b_touches_none(b, abid, job.id, &ar);
    for (i = 0; i < sizeof tables / sizeof tables[0]; i++) {
        char sql[80];
        snprintf(sql, sizeof sql, "SELECT count(*) FROM %s", tables[i]);
        if (pg_count(pb, sql) != 0)
            fail_msg("agency B's role sees agency A's rows of %s", tables[i]);
    }
    assert_int_equal(pg_count(pb, "SELECT count(*) FROM sms_stops WHERE target = '+15105550999'"),
                     0);
    assert_int_equal(pg_count(pa, "SELECT count(*) FROM subscriptions WHERE channel = 'sms'"
                                  " AND state = 'pending' AND code_tries = 0"),
                     1);
    assert_int_equal(pg_count(pa, "SELECT count(*) FROM sms_stops WHERE status = 'pending'"), 1);
    k = 0;
    assert_int_equal(store_event_deliver(b, ev, abid, STORE_EVT_RELEASED,
                                         "2026-01-06T00:00:00Z", NULL, &k),
                     HC_OK);
    assert_int_equal(k, 0);
    assert_int_equal(pg_count(pa, "SELECT count(*) FROM deliveries WHERE status = 'sending'"), 1);
    assert_int_equal(pg_count(pa, "SELECT count(*) FROM deliveries"), 3); /* and the SMS one's */
    assert_int_equal(pg_count(pa, "SELECT count(*) FROM subscriptions WHERE state = 'confirmed'"),
                     1);
    assert_int_equal(pg_count(pa, "SELECT count(*) FROM public_snapshots"), 1);

    /* B's own policy and booking of the same number are its own. */
    pol.fields = STORE_PUB_NAME;
    pol.recent_days = 3;
    assert_int_equal(store_public_policy_set(b, &pol, "pb-admin"), HC_OK);
    cases_pub_booking(b, "PA-1", "L-PA-1", "Vale, Bo", "B Jail", NULL);
    assert_int_equal(store_public_policy_get(a, &ar, &pol), HC_OK);
    assert_int_equal(pol.fields, STORE_PUB_ALL);
    assert_int_equal(pol.version, 2);
    q.booking_no = "PA-1";
    assert_int_equal(store_public_search(a, &q, &ar, &rows, &n), HC_OK);
    assert_int_equal(n, 1);
    assert_string_equal(rows[0].name, "Vale, Ann");
    store_close(a);
    store_close(b);
    store_close(&pb_super->base);
    free(ar.base);
}

/* Two senders of one agency claim deliveries at once: while the first holds its claim
 * uncommitted, the second passes over it to the next, and then finds none. */
static void test_delivery_claims_apart(void **state)
{
    struct store_pg *p1 = new_agency("dclaims"), *p2 = open_as(app_url(), "dclaims");
    struct hc_store *s1 = &p1->base, *s2 = &p2->base;
    struct store_delivery_job j1, j2;
    struct hc_arena ar;
    int64_t b, e1 = 0, e2 = 0, k = 0;
    (void)state;

    scratch(&ar);
    b = cases_pub_booking(s1, "DC-1", "L-DC-1", "Claim, Ann", "A Jail", NULL);
    {
        const struct cases_env e = {&ar, pg_count, agency_exec, p1};
        cases_pub_confirmed(s1, &e, "DC-1", "dc@example.org", "dc-c", "dc-u");
    }
    assert_int_equal(store_begin(s1), HC_OK);
    assert_int_equal(store_event_add(s1, b, "released", "{}", "2026-01-05T00:00:00Z", NULL, &e1),
                     HC_OK);
    assert_int_equal(store_event_deliver(s1, e1, b, STORE_EVT_RELEASED, "2026-01-05T00:00:00Z",
                                         NULL, &k),
                     HC_OK);
    assert_int_equal(store_event_add(s1, b, "transferred", "{}", "2026-01-06T00:00:00Z", NULL,
                                     &e2),
                     HC_OK);
    assert_int_equal(store_event_deliver(s1, e2, b, STORE_EVT_TRANSFERRED,
                                         "2026-01-06T00:00:00Z", NULL, &k),
                     HC_OK);
    assert_int_equal(store_commit(s1), HC_OK);
    assert_int_equal(pg_exec_sql(p2, "SET statement_timeout = '3s'"), HC_OK);
    assert_int_equal(store_begin(s1), HC_OK);
    assert_int_equal(store_delivery_claim(s1, "2026-01-07T00:00:00Z", &ar, &j1), HC_OK);
    assert_int_equal(j1.event_id, e1);
    assert_int_equal(store_delivery_claim(s2, "2026-01-07T00:00:00Z", &ar, &j2), HC_OK);
    assert_int_equal(j2.event_id, e2);
    assert_int_equal(store_delivery_claim(s2, "2026-01-07T00:00:00Z", &ar, &j2), HC_ENOENT);
    assert_int_equal(store_commit(s1), HC_OK);
    assert_int_equal(pg_count(p2, "SELECT count(*) FROM deliveries"
                                  " WHERE status = 'sending' AND attempts = 1"),
                     2);
    store_close(s1);
    store_close(s2);
    free(ar.base);
}

/* The reports read one agency's records: agency B's connection reads none of A's year (rows,
 * tallies, records, bookings by id), its verification checks none of A's rows, and a raw
 * SELECT under B's role sees none of the provisions kept beside A's decisions. */
static void test_reports_two_agencies(void **state)
{
    struct store_pg *pa = new_agency("rpt-a"), *pb = new_agency("rpt-b");
    struct hc_store *a = &pa->base, *b = &pb->base;
    struct store_report_transfer *tr = NULL;
    struct store_report_release *rel = NULL;
    struct store_report_action *acts = NULL;
    struct store_report_forum fo;
    struct store_report_tally *ty = NULL;
    struct store_report_record *rec = NULL;
    struct store_report_booking *bk = NULL;
    struct store_report_read rd;
    struct store_audit_report rep;
    struct hc_arena ar;
    size_t n = 9, nacts = 9, i;
    int64_t bid, did = 0, rid;
    char sql[256];
    (void)state;

    scratch(&ar);
    {
        const struct cases_env e = {&ar, pg_count, agency_exec, pa};
        cases_reports_year(a, &e);
    }
    bid = cases_report_booking(a, "RPT-A", "Testperson, A", "1990-01-01",
                               "2025-02-01T00:00:00Z");
    rid = cases_report_request(a, bid, "notification", "2025-01-15T00:00:00Z", "permitted",
                               "{\"outcome\":\"permitted\"}", &did);
    snprintf(sql, sizeof sql, "INSERT INTO decision_citations (decision_id, basis) VALUES"
             " (%lld, 'kept by A')", (long long)did);
    assert_int_equal(pg_exec_sql(pa, sql), HC_OK);
    assert_int_equal(pg_count(pa, "SELECT count(*) FROM decision_citations"), 1);
    assert_int_equal(pg_count(pb, "SELECT count(*) FROM decision_citations"), 0);

    assert_int_equal(store_report_transfers(b, CASES_FROM, CASES_TO, &ar, &tr, &n), HC_OK);
    assert_int_equal(n, 0);
    assert_int_equal(store_report_releases(b, CASES_FROM, CASES_TO, &ar, &rel, &n, &acts, &nacts),
                     HC_OK);
    assert_int_equal(n + nacts, 0);
    assert_int_equal(store_report_forum(b, CASES_FROM, CASES_TO, &ar, &fo), HC_OK);
    assert_int_equal(fo.nrequests + fo.nactions + fo.ninterviews + fo.nnotices, 0);
    for (i = 0; i <= STORE_TALLY_NOTIFIED_BOOKINGS; i++) {
        assert_int_equal(store_report_tally(b, (enum store_report_tally_kind)i, CASES_FROM,
                                            CASES_TO, &ar, &ty, &n), HC_OK);
        assert_int_equal(n, 0);
    }
    for (i = 0; i < STORE_REC_NTABLES; i++) {
        assert_int_equal(store_report_records(b, (enum store_report_record_table)i, CASES_FROM,
                                              CASES_TO, &ar, &rec, &n), HC_OK);
        assert_int_equal(n, 0);
    }
    assert_int_equal(store_report_bookings(b, &bid, 1, &ar, &bk, &n), HC_OK);
    assert_int_equal(n, 0);
    assert_int_equal(store_report_bookings(a, &bid, 1, &ar, &bk, &n), HC_OK);
    assert_int_equal(n, 1);

    /* A's kept provisions differ from the decision's JSON: A's verification says so, B's
     * (given A's ids) reads none of A's rows. */
    cases_report_read(&rd, &bid, 1, &did, 1);
    assert_int_equal(store_report_verify(a, &rd, &rep), HC_OK);
    assert_int_equal(rep.bad_seq, 0);
    assert_int_equal(rep.row_problems, 1);
    assert_string_equal(rep.row[0].table, "decision_citations");
    assert_int_equal(rep.row[0].id, did);
    rd.n[STORE_REPORT_BOOKINGS] = 0; /* B is given A's decision only */
    assert_int_equal(store_report_verify(b, &rd, &rep), HC_OK);
    assert_int_equal(rep.bad_seq, 0);
    assert_int_equal(rep.row_problems, 0);
    assert_int_equal(rep.bound_rows, 0);
    (void)rid;
    store_close(a);
    store_close(b);
    free(ar.base);
}

/* Two agencies import into one database: B's import cannot refer to A's people, may use A's
 * booking numbers and local ids for its own rows, and B's export, upsert reads and raw SQL
 * under its role without a WHERE see none of A's rows; each chain verifies. */
static void test_import_two_agencies(void **state)
{
    struct store_pg *pa = new_agency("imp-a"), *pb = new_agency("imp-b");
    struct hc_store *a = &pa->base, *b = &pb->base;
    struct cases_refusals refs = {0};
    struct store_import_person p;
    struct store_import_known k;
    struct store_import_row r;
    struct cases_export x;
    struct hc_arena ar;
    struct store_audit_report rep;
    (void)state;

    scratch(&ar);
    r = cases_imp_person("SAME-P", "1980-01-02", 0);
    cases_import_one(a, STORE_KIND_PEOPLE, &r);
    r = cases_imp_booking("SAME-B", "SAME-P", "Test Jail", 2);
    cases_import_one(a, STORE_KIND_BOOKINGS, &r);

    /* B's booking of A's person is refused; nothing of it stays. */
    assert_int_equal(store_import_begin(b, STORE_KIND_BOOKINGS, 0, cases_refused, &refs),
                     HC_OK);
    (void)cases_import_put(b, &r, &refs);
    assert_int_equal(store_import_flush(b), HC_OK);
    assert_int_equal(refs.n, 1);
    assert_int_equal(refs.rc[0], HC_ENOENT);
    store_rollback(b);

    /* B reads none of A's rows. */
    cases_export_check(b, STORE_KIND_PEOPLE, 0, NULL, &x);
    cases_export_check(b, STORE_KIND_BOOKINGS, 0, NULL, &x);
    assert_int_equal(store_import_booking_get(b, "SAME-B", &ar, &k), HC_ENOENT);
    assert_int_equal(store_import_person_get(b, "SAME-P", &ar, &p), HC_ENOENT);
    assert_int_equal(pg_count(pb, "SELECT count(*) FROM people"), 0);
    assert_int_equal(pg_count(pb, "SELECT count(*) FROM bookings"), 0);
    assert_int_equal(pg_count(pb, "SELECT count(*) FROM audit_log"), 0);

    /* B's own person and booking under the same keys. */
    r = cases_imp_person("SAME-P", NULL, 1);
    cases_import_one(b, STORE_KIND_PEOPLE, &r);
    r = cases_imp_booking("SAME-B", "SAME-P", "Other Jail", 2);
    cases_import_one(b, STORE_KIND_BOOKINGS, &r);
    assert_int_equal(store_import_booking_get(a, "SAME-B", &ar, &k), HC_OK);
    assert_string_equal(k.state.facility, "Test Jail");
    assert_int_equal(store_import_person_get(a, "SAME-P", &ar, &p), HC_OK);
    assert_int_equal(p.person.registrant_290, 0);
    assert_int_equal(pg_count(pb, "SELECT count(*) FROM bookings"), 1);
    assert_int_equal(pg_count(pa, "SELECT count(*) FROM bookings"), 1);
    assert_int_equal(store_audit_verify(a, &rep), HC_OK);
    assert_int_equal(rep.bad_seq, 0);
    assert_int_equal(rep.entries, 2);
    assert_int_equal(rep.row_problems, 0);
    assert_int_equal(store_audit_verify(b, &rep), HC_OK);
    assert_int_equal(rep.entries, 2);
    assert_int_equal(rep.row_problems, 0);
    free(ar.base);
    store_close(a);
    store_close(b);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_migrate),
        cmocka_unit_test(test_schemas_in_step),
        cmocka_unit_test(test_rows_stay_with_their_agency),
        cmocka_unit_test(test_append_only),
        cmocka_unit_test(test_transactions_and_version),
        cmocka_unit_test(test_audit_chain),
        cmocka_unit_test(test_audit_hash_as_sqlite),
        cmocka_unit_test(test_rows_bound_as_sqlite),
        cmocka_unit_test(test_users),
        cmocka_unit_test(test_changes),
        cmocka_unit_test(test_records_and_requests),
        cmocka_unit_test(test_records_two_agencies),
        cmocka_unit_test(test_console_two_agencies),
        cmocka_unit_test(test_notice_served_once_by_racing_clerks),
        cmocka_unit_test(test_small_areas_two_agencies),
        cmocka_unit_test(test_victim_claims_apart),
        cmocka_unit_test(test_reports_two_agencies),
        cmocka_unit_test(test_public_two_agencies),
        cmocka_unit_test(test_delivery_claims_apart),
        cmocka_unit_test(test_import_two_agencies),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
