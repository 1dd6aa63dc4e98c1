/* SPDX-License-Identifier: MIT
 * sqlite_victims.c: the SQLite side of victim notification (store_victims.h): registrations and
 * the queue of their notices, as plain rows, on the statements both backends share
 * (sql_victims.c). Audit entries are the service's (victims.c), in the same transaction.
 * Statements use slots SQ_X_VICTIMS..SQ_X_VICTIMS+15. */
#include "sqlite_int.h"

_Static_assert(SQ_X_VICTIMS + SVX_COUNT <= SQ_XSTMT_MAX, "this file's statements fit its slots");
_Static_assert(SVX_COUNT <= 16, "this file's statements fit its slots");

static sqlite3_stmt *vx(struct store_sqlite *s, enum sql_victims id)
{
    return sq_xstmt(s, SQ_X_VICTIMS + (int)id, sql_victims[id]);
}

/* Run the write q (bound): HC_ENOENT when it changed no row, HC_EINVAL when the schema refused
 * a value. */
static int exec_one(struct store_sqlite *s, sqlite3_stmt *q)
{
    int rc = sq_exec_stmt(s, q);
    if (rc == HC_OK && sqlite3_changes(s->db) == 0)
        rc = HC_ENOENT;
    return rc;
}

/* Parameters 1..6 of SVX_INSERT and SVX_SET: what a registration says, in both's order. */
static void bind_reg(sqlite3_stmt *q, const struct store_victim *v)
{
    sqlite3_bind_int(q, 1, v->follows_person != 0);
    sq_bind_str(q, 2, v->name);
    sq_bind_str(q, 3, v->relation);
    sq_bind_str(q, 4, v->channel);
    sq_bind_str(q, 5, v->target);
    sq_bind_str(q, 6, v->lang);
}

static int sq_victim_add(struct hc_store *st, const struct store_victim *v, const char *at,
                         int64_t *id)
{
    struct store_sqlite *s = sq(st);
    sqlite3_stmt *q = vx(s, SVX_INSERT);
    if (q == NULL)
        return HC_EIO;
    bind_reg(q, v);
    sq_bind_str(q, 7, v->created_by);
    sq_bind_str(q, 8, at);
    sq_bind_str(q, 9, v->booking_no);
    return sq_one_id(s, q, id); /* no row: no such booking */
}

static int sq_victim_get(struct hc_store *st, int64_t id, struct hc_arena *a,
                         struct store_victim *out)
{
    struct store_sqlite *s = sq(st);
    sqlite3_stmt *q = vx(s, SVX_GET);
    if (q == NULL)
        return HC_EIO;
    sqlite3_bind_int64(q, 1, id);
    return sq_read_rec(s, q, a, &sql_victim_rec, out);
}

static int sq_victim_list(struct hc_store *st, const char *booking_no, struct hc_arena *a,
                          struct store_victim **out, size_t *n)
{
    struct store_sqlite *s = sq(st);
    sqlite3_stmt *q = vx(s, booking_no != NULL ? SVX_LIST : SVX_LIST_ALL);
    if (q == NULL)
        return HC_EIO;
    if (booking_no != NULL)
        sq_bind_str(q, 1, booking_no);
    return sq_read_recs(s, q, a, &sql_victim_rec, (void **)out, n);
}

static int sq_victim_set(struct hc_store *st, const struct store_victim *v, const char *at)
{
    struct store_sqlite *s = sq(st);
    sqlite3_stmt *q = vx(s, SVX_SET);
    if (q == NULL)
        return HC_EIO;
    bind_reg(q, v);
    sq_bind_str(q, 7, v->state);
    sq_bind_str(q, 8, v->changed_by);
    sq_bind_str(q, 9, at);
    sqlite3_bind_int64(q, 10, v->id);
    return exec_one(s, q);
}

static int sq_victim_of_booking(struct hc_store *st, int64_t booking_id, struct hc_arena *a,
                                struct store_victim **out, size_t *n)
{
    struct store_sqlite *s = sq(st);
    return sq_read_rows_by_id(s, vx(s, SVX_OF_BOOKING), booking_id, a, &sql_victim_rec,
                              (void **)out, n);
}

static int sq_victim_notice_add(struct hc_store *st, int64_t registration_id, int64_t booking_id,
                                const char *kind, const char *data, const char *at, int64_t *id)
{
    struct store_sqlite *s = sq(st);
    sqlite3_stmt *q = vx(s, SVX_NOTICE_ADD);
    int rc;
    if (q == NULL)
        return HC_EIO;
    sqlite3_bind_int64(q, 1, registration_id);
    sqlite3_bind_int64(q, 2, booking_id);
    sq_bind_str(q, 3, kind);
    sq_bind_str(q, 4, data);
    sq_bind_str(q, 5, at);
    if ((rc = sq_exec_stmt(s, q)) == HC_OK)
        *id = sqlite3_last_insert_rowid(s->db);
    return rc;
}

static int sq_victim_notices(struct hc_store *st, int64_t registration_id, struct hc_arena *a,
                             struct store_victim_notice **out, size_t *n)
{
    struct store_sqlite *s = sq(st);
    return sq_read_rows_by_id(s, vx(s, SVX_NOTICES), registration_id, a, &sql_victim_notice_rec,
                              (void **)out, n);
}

static int sq_victim_notice_requeue(struct hc_store *st, int64_t *n)
{
    struct store_sqlite *s = sq(st);
    sqlite3_stmt *q = vx(s, SVX_REQUEUE);
    int rc;
    if (q == NULL)
        return HC_EIO;
    if ((rc = sq_exec_stmt(s, q)) == HC_OK)
        *n = sqlite3_changes(s->db);
    return rc;
}

static int sq_victim_notice_claim(struct hc_store *st, const char *now, struct hc_arena *a,
                                  struct store_victim_job *out)
{
    struct store_sqlite *s = sq(st);
    sqlite3_stmt *due, *job;
    int64_t id = 0;
    int rc = sq_begin(st);

    if (rc != HC_OK)
        return rc;
    due = vx(s, SVX_DUE);
    job = vx(s, SVX_JOB);
    if (due == NULL || job == NULL)
        return sq_tx_leave(s, HC_EIO);
    sq_bind_str(due, 1, now);
    rc = sq_one_id(s, due, &id);
    if (rc == HC_OK)
        rc = sq_exec_by_id(s, vx(s, SVX_CLAIM), id, NULL);
    if (rc == HC_OK) {
        sqlite3_bind_int64(job, 1, id);
        rc = sq_read_rec(s, job, a, &sql_victim_job_rec, out);
    }
    return sq_tx_leave(s, rc);
}

static int sq_victim_notice_finish(struct hc_store *st, int64_t id, const char *status,
                                   const char *next_attempt_at, const char *error,
                                   const char *at)
{
    struct store_sqlite *s = sq(st);
    sqlite3_stmt *q;
    if (!sql_victim_finish_ok(status, next_attempt_at))
        return HC_EINVAL;
    if ((q = vx(s, SVX_FINISH)) == NULL)
        return HC_EIO;
    sq_bind_str(q, 1, status);
    sq_bind_str(q, 2, next_attempt_at);
    sq_bind_str(q, 3, error);
    sq_bind_str(q, 4, at);
    sqlite3_bind_int64(q, 5, id);
    return exec_one(s, q);
}

const struct store_victims_ops sq_victims_ops = {STORE_VICTIMS_OPS(SQ_OP)};
