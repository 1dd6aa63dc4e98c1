/* SPDX-License-Identifier: MIT
 * pg_audit.c: the PostgreSQL backend's audit chain: appending an entry inside the caller's
 * transaction, verifying the chain and listing it. Each agency's log is its own chain
 * (pg_schema.c); the hashing is the SQLite backend's (chain.c). */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bound.h"
#include "chain.h"
#include "pg_int.h"

enum stmt_id { S_LOCK, S_HEAD, S_INSERT, S_PAGE, S_COUNT };

/* Row-level security narrows each of these to the connection's agency. */
static const char *const stmt_sql[S_COUNT] = {
    /* The agency's chain is extended by one transaction at a time: the lock is held until
     * that transaction ends, so the head it reads stays the head until its entry is in. */
    [S_LOCK] = "SELECT pg_advisory_xact_lock(7283, $1::integer)",
    [S_HEAD] = "SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1",
    [S_INSERT] = "INSERT INTO audit_log (seq, at, actor, action, entity, payload, prev_hash,"
                 " hash) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
    [S_PAGE] = "SELECT seq, at, actor, action, entity, payload, prev_hash, hash FROM audit_log"
               " WHERE seq > $1 ORDER BY seq LIMIT $2",
};

_Static_assert(PG_X_AUDIT + S_COUNT <= PG_STMT_MAX, "this file's statements fit its slots");

static PGresult *run(struct store_pg *s, enum stmt_id id, const struct pg_params *p, int *rc)
{
    return pg_run(s, PG_X_AUDIT + (int)id, stmt_sql[id], p, rc);
}

/* This backend's reader of bound rows (bound_scan_fn, bound.h); backend is the struct
 * store_pg. Row-level security narrows each table to the connection's agency; agency_id is
 * not among the hashed columns. Not prepared: the column list is the table's (bound.h), and
 * a write binds one row or one range of rows at a time. */
static int scan(void *backend, int t, int64_t first, int64_t last, bound_row_fn each, void *ctx)
{
    struct store_pg *s = backend;
    unsigned char hash[CHAIN_HASH_LEN];
    struct pg_params p = {0};
    char sql[512];
    PGresult *r;
    int rc, i, n;

    snprintf(sql, sizeof sql, "SELECT %s FROM %s WHERE id BETWEEN $1 AND $2 ORDER BY id",
             bound_tables[t].columns, bound_tables[t].table);
    pg_param_i64(&p, first);
    pg_param_i64(&p, last);
    r = PQexecParams(s->conn, sql, p.n, NULL, p.v, NULL, NULL, 0);
    if ((rc = r != NULL ? pg_map_result(r) : HC_ENOMEM) != HC_OK) {
        PQclear(r);
        return rc;
    }
    n = PQntuples(r);
    for (i = 0; rc == HC_OK && i < n; i++) {
        const char *names[64], *vals[64];
        size_t lens[64];
        int64_t id = 0;
        int c, nc = PQnfields(r) < 64 ? PQnfields(r) : 64;
        for (c = 0; c < nc; c++) {
            names[c] = PQfname(r, c);
            vals[c] = PQgetisnull(r, i, c) ? NULL : PQgetvalue(r, i, c);
            lens[c] = (size_t)PQgetlength(r, i, c);
            if (strcmp(names[c], "id") == 0)
                id = strtoll(PQgetvalue(r, i, c), NULL, 10);
        }
        bound_row_hash(bound_tables[t].table, (size_t)nc, names, vals, lens, hash);
        rc = each(ctx, t, id, hash);
    }
    PQclear(r);
    return rc;
}

int pg_bound_note(struct store_pg *s, const char *table, int64_t first, int64_t last)
{
    struct bound_note n = {bound_table_find(table), first, last};
    if (n.t < 0 || first > last)
        return HC_EINVAL;
    if (s->bound_n == PG_BOUND_NOTES_MAX)
        return HC_ENOMEM; /* more rows than one entry of this backend's writes binds */
    s->bound_notes[s->bound_n++] = n;
    return HC_OK;
}

void pg_bound_forget(struct store_pg *s)
{
    s->bound_n = 0;
}

int pg_audit_append(struct hc_store *st, const char *actor, const char *action,
                    const char *entity, json_t *payload)
{
    struct store_pg *s = pgs(st);
    struct chain_entry e;
    struct pg_params p = {0};
    int64_t head_seq = 0;
    const char *head_hash = NULL;
    PGresult *r, *head;
    int rc;

    if (s->agency == 0)
        return HC_EINVAL; /* a connection for no agency has no chain */
    /* The row the entity names, when it is one of a bound table, and the rows noted since the
     * last entry (bound.h); the notes are this entry's alone, whatever happens. */
    rc = bound_gather(scan, s, entity, s->bound_notes, s->bound_n, payload);
    pg_bound_forget(s);
    if (rc != HC_OK)
        return rc;
    pg_param_i64(&p, s->agency);
    if ((r = run(s, S_LOCK, &p, &rc)) == NULL)
        return rc;
    PQclear(r);
    if ((head = run(s, S_HEAD, NULL, &rc)) == NULL)
        return rc;
    if (PQntuples(head) == 1) {
        head_seq = strtoll(PQgetvalue(head, 0, 0), NULL, 10);
        head_hash = PQgetvalue(head, 0, 1);
    }
    rc = chain_entry_make(&e, head_seq, head_hash, actor, action, entity, payload);
    PQclear(head);
    if (rc != HC_OK)
        return rc;
    p.n = 0;
    pg_param_i64(&p, e.seq);
    pg_param_str(&p, e.at);
    pg_param_str(&p, actor);
    pg_param_str(&p, action);
    pg_param_str(&p, entity);
    pg_param_str(&p, e.payload);
    pg_param_str(&p, e.prev_hash);
    pg_param_str(&p, e.hash);
    PQclear(run(s, S_INSERT, &p, &rc));
    chain_entry_free(&e);
    return rc;
}

/* The chain is read in pages, so that a long one never sits whole in memory. */
#define VERIFY_PAGE 10000

/* Walk this agency's chain into rep, recording into m the bindings of every entry that holds.
 * HC_OK whether or not the chain is intact (rep->bad_seq says), or a store error; HC_EIO when
 * an intact entry's "bound" is malformed. links_only: every entry's place in the chain is
 * checked, but only the entries that record a binding into m are rehashed (chain_link_row). */
static int walk_entries(struct store_pg *s, struct store_audit_report *rep, struct bound_map *m,
                        int links_only)
{
    struct chain_walk w;
    int64_t after = 0;
    int rc = HC_OK, more = 1;

    chain_walk_begin(&w, rep);
    while (more && rc == HC_OK) {
        struct pg_params p = {0};
        PGresult *r;
        int i, n;
        pg_param_i64(&p, after);
        pg_param_i64(&p, VERIFY_PAGE);
        if ((r = run(s, S_PAGE, &p, &rc)) == NULL)
            return rc;
        n = PQntuples(r);
        more = n == VERIFY_PAGE;
        for (i = 0; i < n && rc == HC_OK; i++) {
            const char *col[7];
            size_t len = (size_t)PQgetlength(r, i, 5);
            uint64_t before = m->recorded;
            int j;
            after = strtoll(PQgetvalue(r, i, 0), NULL, 10);
            for (j = 0; j < 7; j++)
                col[j] = PQgetisnull(r, i, j + 1) ? NULL : PQgetvalue(r, i, j + 1);
            if (links_only && col[4] != NULL &&
                (rc = bound_map_entry(m, after, col[4], len)) != HC_OK)
                break;
            if (!chain_link_row(&w, rep, after, col, len, !links_only || m->recorded != before)) {
                more = 0;
                break;
            }
            if (!links_only)
                rc = bound_map_entry(m, after, col[4], len);
        }
        PQclear(r);
    }
    return rc;
}

/* The whole verification's walk (bound_walk_fn): every entry rehashed. */
static int walk_chain(void *backend, struct store_audit_report *rep, struct bound_map *m)
{
    return walk_entries(backend, rep, m, 0);
}

/* The walk of a verification of some rows (bound_walk_fn): every link, the entries that bind
 * one of them rehashed. */
static int walk_links(void *backend, struct store_audit_report *rep, struct bound_map *m)
{
    return walk_entries(backend, rep, m, 1);
}

int pg_audit_verify_only(struct hc_store *st, const int64_t *const *ids, const size_t *n,
                         struct store_audit_report *rep)
{
    return bound_verify_only(st, walk_links, scan, pgs(st), ids, n, rep);
}

static int pg_audit_verify(struct hc_store *st, struct store_audit_report *rep)
{
    return bound_verify(st, walk_chain, scan, pgs(st), rep);
}

static int pg_audit_list(struct hc_store *st, int64_t after_seq, int limit, struct hc_arena *a,
                         struct store_audit_entry **out, size_t *n)
{
    struct store_pg *s = pgs(st);
    struct store_audit_entry *e;
    struct pg_params p = {0};
    PGresult *r;
    int rc, i, rows, oom = 0;

    if (limit < 1 || limit > 500)
        return HC_EINVAL;
    pg_param_i64(&p, after_seq);
    pg_param_i64(&p, limit);
    if ((r = run(s, S_PAGE, &p, &rc)) == NULL)
        return rc;
    rows = PQntuples(r);
    e = hc_arena_zalloc(a, (size_t)(rows > 0 ? rows : 1) * sizeof *e);
    for (i = 0; e != NULL && i < rows && !oom; i++) {
        const char *f[6];
        int j;
        for (j = 0; j < 6; j++) {
            f[j] = hc_arena_strndup(a, PQgetvalue(r, i, j + 1), (size_t)PQgetlength(r, i, j + 1));
            oom |= f[j] == NULL;
        }
        e[i].seq = strtoll(PQgetvalue(r, i, 0), NULL, 10);
        e[i].at = f[0];
        e[i].actor = f[1];
        e[i].action = f[2];
        e[i].entity = f[3];
        e[i].payload = f[4];
        e[i].hash = hc_arena_strndup(a, PQgetvalue(r, i, 7), (size_t)PQgetlength(r, i, 7));
        oom |= e[i].hash == NULL;
    }
    PQclear(r);
    if (e == NULL || oom)
        return HC_ENOMEM;
    *out = e;
    *n = (size_t)rows;
    return HC_OK;
}

static int pg_audit_bind(struct hc_store *st, const char *actor, int64_t *bound)
{
    return bound_bind(st, walk_chain, scan, pgs(st), actor, bound);
}

const struct store_audit_ops pg_audit_ops = {
    STORE_AUDIT_OPS(PG_OP)
};
