/* SPDX-License-Identifier: MIT
 * pg_conn.c: the PostgreSQL backend's connection: opening it for one agency, transactions
 * (nesting as the SQLite backend's do), read snapshots, the data version, schema migrations
 * and the mapping of PostgreSQL errors. One struct store_pg is one connection; use it from one
 * thread. */
#include <inttypes.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "log.h"
#include "migrate.h"
#include "pg_int.h"
#include "sql.h"
#include "store_pg.h"

int pg_map_result(const PGresult *r)
{
    const char *state;
    switch (PQresultStatus(r)) {
    case PGRES_COMMAND_OK:
    case PGRES_TUPLES_OK:
    case PGRES_SINGLE_TUPLE:
        return HC_OK;
    case PGRES_FATAL_ERROR:
        state = PQresultErrorField(r, PG_DIAG_SQLSTATE);
        if (state != NULL && strncmp(state, "23", 2) == 0) { /* integrity constraint */
            if (strcmp(state, "23505") == 0)
                return STORE_ECONFLICT;
            if (strcmp(state, "23503") == 0)
                return HC_ENOENT;
            return HC_EINVAL;
        }
        if (state != NULL && strcmp(state, "53200") == 0) /* out of memory */
            return HC_ENOMEM;
        break;
    default:
        break;
    }
    hc_log(HC_LOG_ERROR, "postgresql: %s", PQresultErrorMessage(r));
    return HC_EIO;
}

int pg_exec_sql(struct store_pg *s, const char *sql)
{
    PGresult *r = PQexec(s->conn, sql);
    int rc = r != NULL ? pg_map_result(r) : HC_ENOMEM;
    PQclear(r);
    return rc;
}

/* Run sql, which returns one row of one column, into buf (truncated to cap, NUL-terminated).
 * HC_ENOENT when it returns no row or NULL. */
static int pg_query_text(struct store_pg *s, const char *sql, char *buf, size_t cap)
{
    PGresult *r = PQexec(s->conn, sql);
    int rc = r != NULL ? pg_map_result(r) : HC_ENOMEM;
    if (rc == HC_OK) {
        if (PQntuples(r) < 1 || PQgetisnull(r, 0, 0))
            rc = HC_ENOENT;
        else
            snprintf(buf, cap, "%s", PQgetvalue(r, 0, 0));
    }
    PQclear(r);
    return rc;
}

void pg_param_str(struct pg_params *p, const char *v)
{
    if (p->n < PG_PARAMS_MAX)
        p->v[p->n++] = v;
}

void pg_param_i64(struct pg_params *p, int64_t v)
{
    if (p->n < PG_PARAMS_MAX) {
        snprintf(p->num[p->n], sizeof p->num[p->n], "%" PRId64, v);
        p->v[p->n] = p->num[p->n];
        p->n++;
    }
}

PGresult *pg_run(struct store_pg *s, int slot, const char *sql, const struct pg_params *p,
                 int *rc)
{
    char name[16];
    PGresult *r;

    *rc = HC_EIO;
    if (slot < 0 || slot >= PG_STMT_MAX)
        return NULL;
    snprintf(name, sizeof name, "hc%d", slot);
    if (!s->prepared[slot]) {
        r = PQprepare(s->conn, name, sql, 0, NULL);
        *rc = r != NULL ? pg_map_result(r) : HC_ENOMEM;
        PQclear(r);
        if (*rc != HC_OK)
            return NULL;
        s->prepared[slot] = 1;
    }
    r = PQexecPrepared(s->conn, name, p != NULL ? p->n : 0, p != NULL ? p->v : NULL, NULL, NULL,
                       0);
    *rc = r != NULL ? pg_map_result(r) : HC_ENOMEM;
    if (*rc != HC_OK) {
        PQclear(r);
        return NULL;
    }
    return r;
}

/* ------------------------------------------------------------------------------------------ */
/* Transactions                                                                               */

static int pg_begin(struct hc_store *st)
{
    struct store_pg *s = pgs(st);
    int rc;
    if (s->base.reading)
        return HC_EINVAL; /* a write inside a read transaction (store_read_begin's contract) */
    if (s->base.depth > 0) {
        s->base.depth++;
        return HC_OK;
    }
    /* READ COMMITTED: each statement of a write sees the rows committed before it. */
    if ((rc = pg_exec_sql(s, "BEGIN")) == HC_OK)
        s->base.depth = 1;
    return rc;
}

static void pg_rollback(struct hc_store *st)
{
    struct store_pg *s = pgs(st);
    if (s->base.depth == 0)
        return;
    s->base.depth = 0;
    pg_bound_forget(s);
    pg_exec_sql(s, "ROLLBACK");
}

static int pg_commit(struct hc_store *st)
{
    struct store_pg *s = pgs(st);
    int rc;
    if (s->base.depth == 0)
        return HC_EINVAL;
    if (--s->base.depth > 0)
        return HC_OK;
    pg_bound_forget(s); /* a note no entry took binds nothing */
    if ((rc = pg_exec_sql(s, "COMMIT")) != HC_OK)
        pg_exec_sql(s, "ROLLBACK");
    return rc;
}

static int pg_read_begin(struct hc_store *st)
{
    struct store_pg *s = pgs(st);
    if (s->base.depth > 0 || s->base.reading)
        return HC_OK;
    /* One snapshot for every read until read_end. */
    if (pg_exec_sql(s, "BEGIN ISOLATION LEVEL REPEATABLE READ, READ ONLY") != HC_OK)
        return HC_EIO;
    s->base.reading = 1;
    return HC_OK;
}

static void pg_read_end(struct hc_store *st)
{
    struct store_pg *s = pgs(st);
    if (!s->base.reading)
        return;
    s->base.reading = 0;
    if (pg_exec_sql(s, "COMMIT") != HC_OK)
        pg_exec_sql(s, "ROLLBACK");
    if (s->base.touch_token != 0) {
        pg_token_touch(s, s->base.touch_token);
        s->base.touch_token = 0;
    }
}

/* The version is a hash of the snapshot the reads see (pg_current_snapshot: the oldest running
 * transaction, the next transaction id, and those running in between). Two equal snapshots see
 * the same committed rows, and a snapshot changes only when a transaction that writes begins
 * or ends somewhere in the cluster, so equal numbers mean nothing changed. Inside a read
 * transaction it is that transaction's snapshot. */
static int pg_version(struct hc_store *st, uint64_t *v)
{
    struct store_pg *s = pgs(st);
    static const unsigned char key[crypto_shorthash_KEYBYTES]; /* not a secret: a fixed key */
    unsigned char h[crypto_shorthash_BYTES];
    char snap[4096];
    int rc = pg_query_text(s, "SELECT pg_current_snapshot()::text", snap, sizeof snap);
    if (rc != HC_OK)
        return rc == HC_ENOENT ? HC_EIO : rc;
    crypto_shorthash(h, (const unsigned char *)snap, strlen(snap), key);
    memcpy(v, h, sizeof *v);
    return HC_OK;
}

/* The newest change number into *seq. */
static int changes_last(struct store_pg *s, int64_t *seq)
{
    int rc;
    PGresult *r = pg_run(s, PG_X_CONN + 1, SQL_CHANGES_LAST, NULL, &rc);
    if (r != NULL && PQntuples(r) == 1)
        *seq = strtoll(PQgetvalue(r, 0, 0), NULL, 10);
    else if (r != NULL)
        rc = HC_EIO;
    PQclear(r);
    return rc;
}

/* As sq_changes: one row more than limit says there are too many. */
static int pg_changes(struct hc_store *st, int64_t *seq, size_t limit, store_change_cb cb,
                      void *ctx, int *more)
{
    struct store_pg *s = pgs(st);
    struct pg_params p = {0};
    PGresult *r;
    int i, n, rc;

    *more = 0;
    if (*seq < 0)
        return changes_last(s, seq);
    if (limit >= STORE_MARKS_KEPT) /* a reader behind a deleted mark must see too many */
        limit = STORE_MARKS_KEPT - 1;
    pg_param_i64(&p, *seq);
    pg_param_i64(&p, (int64_t)limit + 1);
    if ((r = pg_run(s, PG_X_CONN, SQL_CHANGES_SINCE, &p, &rc)) == NULL)
        return rc;
    n = PQntuples(r);
    for (i = 0; i < n && (size_t)i < limit; i++)
        cb(ctx, PQgetvalue(r, i, 0), (size_t)PQgetlength(r, i, 0));
    if (i > 0 && (size_t)n <= limit)
        *seq = strtoll(PQgetvalue(r, i - 1, 1), NULL, 10);
    PQclear(r);
    if ((size_t)n > limit) {
        *more = 1;
        return changes_last(s, seq);
    }
    return HC_OK;
}

static int pg_ping(struct hc_store *st)
{
    return pg_exec_sql(pgs(st), "SELECT 1");
}

/* ------------------------------------------------------------------------------------------ */
/* Schema versions and lifecycle                                                              */

static int pg_schema_version(struct hc_store *st, int *version)
{
    struct store_pg *s = pgs(st);
    char buf[16];
    int rc = pg_query_text(s, "SELECT to_regclass('holdcheck_schema') IS NOT NULL", buf,
                           sizeof buf);
    *version = 0;
    if (rc != HC_OK || strcmp(buf, "t") != 0) /* no migration ran yet */
        return rc;
    rc = pg_query_text(s, "SELECT max(version) FROM holdcheck_schema", buf, sizeof buf);
    if (rc == HC_OK)
        *version = (int)strtol(buf, NULL, 10);
    return rc == HC_ENOENT ? HC_OK : rc;
}

static int pg_migration_version(size_t i)
{
    return pg_migrations[i].version;
}

static int pg_migration_apply(struct hc_store *st, size_t i)
{
    struct store_pg *s = pgs(st);
    const char *const *step;
    char mark[96];
    int v, rc;

    /* Two migrations at once wait for each other here, not halfway through; the second then
     * finds this one done. */
    rc = pg_exec_sql(s, "SELECT pg_advisory_xact_lock(7282);"
                        "CREATE TABLE IF NOT EXISTS holdcheck_schema (version integer"
                        " NOT NULL PRIMARY KEY)");
    if (rc != HC_OK || (rc = pg_schema_version(st, &v)) != HC_OK ||
        v >= pg_migrations[i].version)
        return rc;
    for (step = pg_migrations[i].steps; *step != NULL && rc == HC_OK; step++)
        rc = pg_exec_sql(s, *step);
    snprintf(mark, sizeof mark, "INSERT INTO holdcheck_schema VALUES (%d)",
             pg_migrations[i].version);
    return rc == HC_OK ? pg_exec_sql(s, mark) : rc;
}

static int pg_migrate(struct hc_store *st, int *from, int *to)
{
    const struct store_migrations m = {pg_nmigrations, pg_migration_version, pg_migration_apply,
                                       NULL};
    return store_migrate_walk(st, &m, from, to);
}

static void pg_close(struct hc_store *st)
{
    struct store_pg *s = pgs(st);
    PQfinish(s->conn);
    pg_import_free(s);
    free(s);
}

const struct store_conn_ops pg_conn_ops = {
    .name = "postgresql",
    STORE_CONN_OPS(PG_OP)
};

int pg_open(const char *conninfo, const char *agency, int flags, struct store_pg **out,
            struct hc_diag *d)
{
    struct store_pg *s;
    const char *params[1];
    PGresult *r;
    int v = 0, rc = HC_EIO;

    *out = NULL;
    if (sodium_init() < 0) {
        hc_diag_set(d, "", "libsodium failed to initialise", NULL);
        return HC_EIO;
    }
    if ((s = calloc(1, sizeof *s)) == NULL)
        return HC_ENOMEM;
    s->base = (struct hc_store){.conn = &pg_conn_ops, .audit = &pg_audit_ops,
                                .users = &pg_users_ops, .records = &pg_records_ops,
                                .requests = &pg_requests_ops, .console = &pg_console_ops,
                                .taskforce = &pg_taskforce_ops, .readlog = &pg_readlog_ops,
                                .victims = &pg_victims_ops, .reports = &pg_reports_ops,
                                .pub = &pg_public_ops, .import = &pg_import_ops};
    {
        /* GSSAPI encryption off unless conninfo asks for it: trying it loads Kerberos, whose
         * exit handlers abort a process that used libpq from several threads. Later keywords
         * win, so conninfo (expanded from dbname) can still set gssencmode. */
        static const char *const keys[] = {"gssencmode", "dbname", NULL};
        const char *vals[] = {"disable", conninfo, NULL};
        s->conn = PQconnectdbParams(keys, vals, 1);
    }
    if (s->conn == NULL || PQstatus(s->conn) != CONNECTION_OK) {
        hc_diag_set(d, "db", s->conn != NULL ? PQerrorMessage(s->conn) : "out of memory",
                    NULL);
        goto out;
    }
    /* Every text the backend exchanges is UTF-8; times are the store's own text, so the
     * session's time zone and date style never enter a row. A stored time read as an instant
     * (the reports, pg_reports.c) names its offset, or is UTC as SQLite reads it: the
     * session's zone is UTC, whatever the server's default. */
    if (PQsetClientEncoding(s->conn, "UTF8") != 0 ||
        pg_exec_sql(s, "SET search_path = public; SET TimeZone = 'UTC'") != HC_OK) {
        hc_diag_set(d, "db", "cannot set up the connection", NULL);
        goto out;
    }
    if (pg_schema_version(&s->base, &v) != HC_OK) {
        hc_diag_set(d, "db", "cannot read the schema version", NULL);
        goto out;
    }
    if (!(flags & STORE_OPEN_ANY_SCHEMA) && v != STORE_SCHEMA_VERSION) {
        rc = HC_ERANGE;
        hc_diag_set(d, "db",
                    v < STORE_SCHEMA_VERSION ? "database schema is older than this holdcheck; "
                                               "run `holdcheck migrate --db URL`"
                                             : "database schema is newer than this holdcheck",
                    NULL);
        goto out;
    }
    if (agency != NULL) {
        /* The agency's id becomes the connection's setting holdcheck.agency, which every
         * agency table's policy and default read (pg_schema.c). */
        params[0] = agency;
        r = PQexecParams(s->conn,
                         "SELECT set_config('holdcheck.agency', id::text, false)"
                         " FROM agencies WHERE slug = $1",
                         1, NULL, params, NULL, NULL, 0);
        rc = r != NULL ? pg_map_result(r) : HC_ENOMEM;
        if (rc == HC_OK && PQntuples(r) != 1)
            rc = HC_ENOENT;
        if (rc == HC_OK)
            s->agency = strtoll(PQgetvalue(r, 0, 0), NULL, 10);
        PQclear(r);
        if (rc != HC_OK) {
            hc_diag_set(d, "agency", rc == HC_ENOENT ? "no such agency" : "cannot read agencies",
                        agency);
            goto out;
        }
    }
    *out = s;
    return HC_OK;
out:
    PQfinish(s->conn);
    free(s);
    return rc;
}

/* Copy url into buf (cap bytes) without its query parameter agency=..., whose value goes into
 * slug (NUL-terminated; empty when there is none). HC_EINVAL when a part does not fit. */
static int url_take_agency(const char *url, char *buf, size_t cap, char *slug, size_t slug_cap)
{
    const char *q = strchr(url, '?'), *p;
    size_t len;

    slug[0] = '\0';
    if (strlen(url) >= cap)
        return HC_EINVAL;
    if (q == NULL) {
        snprintf(buf, cap, "%s", url);
        return HC_OK;
    }
    len = (size_t)(q - url);
    memcpy(buf, url, len);
    buf[len] = '\0';
    for (p = q + 1; *p != '\0';) {
        size_t n = strcspn(p, "&");
        if (n > 7 && strncmp(p, "agency=", 7) == 0) {
            if (n - 7 >= slug_cap)
                return HC_EINVAL;
            memcpy(slug, p + 7, n - 7);
            slug[n - 7] = '\0';
        } else if (n > 0) {
            buf[len++] = strchr(buf, '?') == NULL ? '?' : '&';
            memcpy(buf + len, p, n);
            len += n;
            buf[len] = '\0';
        }
        p += n + (p[n] == '&');
    }
    return HC_OK;
}

int store_pg_open(const char *url, int flags, struct hc_store **out, struct hc_diag *d)
{
    char conninfo[2048], slug[72];
    struct store_pg *s = NULL;
    int rc;

    *out = NULL;
    if (url_take_agency(url, conninfo, sizeof conninfo, slug, sizeof slug) != HC_OK) {
        hc_diag_set(d, "db", "the database URL is too long", NULL);
        return HC_EINVAL;
    }
    rc = pg_open(conninfo, slug[0] != '\0' ? slug : NULL, flags, &s, d);
    if (rc == HC_OK)
        *out = &s->base;
    return rc;
}
