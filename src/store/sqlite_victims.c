/* SPDX-License-Identifier: MIT
 * sqlite_victims.c: the SQLite side of victim notification (store_victims.h): registrations and
 * the queue of their notices, as plain rows. Audit entries are the service's (victims.c), in the
 * same transaction. Statements use slots SQ_X_VICTIMS..SQ_X_VICTIMS+15. */
#include <string.h>

#include "sqlite_int.h"

enum vx_id { VX_INSERT, VX_GET, VX_LIST, VX_LIST_ALL, VX_SET, VX_OF_BOOKING, VX_NOTICE_ADD,
             VX_NOTICES, VX_REQUEUE, VX_DUE, VX_CLAIM, VX_JOB, VX_FINISH, VX_COUNT };

_Static_assert(SQ_X_VICTIMS + VX_COUNT <= SQ_XSTMT_MAX, "this file's statements fit its slots");

/* The columns of victim_fields, in its order. */
#define VX_COLS                                                                                  \
    "v.id, b.booking_no, v.person_id, v.follows_person, v.name, v.relation, v.channel,"        \
    " v.target, v.lang, v.state, v.created_by, v.created_at, v.changed_by, v.changed_at"        \
    " FROM victim_registrations v JOIN bookings b ON b.id = v.booking_id"

static const char *const vx_sql[VX_COUNT] = {
    [VX_INSERT] = "INSERT INTO victim_registrations (booking_id, person_id, follows_person, name,"
                  " relation, channel, target, lang, state, created_by, created_at)"
                  " SELECT b.id, b.person_id, ?2, ?3, ?4, ?5, ?6, ?7, 'active', ?8, ?9"
                  " FROM bookings b WHERE b.booking_no = ?1",
    [VX_GET] = "SELECT " VX_COLS " WHERE v.id = ?",
    [VX_LIST] = "SELECT " VX_COLS " WHERE b.booking_no = ? ORDER BY v.id DESC LIMIT 500",
    [VX_LIST_ALL] = "SELECT " VX_COLS " ORDER BY v.id DESC LIMIT 500",
    [VX_SET] = "UPDATE victim_registrations SET follows_person = ?2, name = ?3, relation = ?4,"
               " channel = ?5, target = ?6, lang = ?7, state = ?8, changed_by = ?9,"
               " changed_at = ?10 WHERE id = ?1",
    [VX_OF_BOOKING] = "SELECT " VX_COLS " WHERE v.state = 'active' AND (v.booking_id = ?1"
                      " OR v.person_id = (SELECT person_id FROM bookings WHERE id = ?1))"
                      " ORDER BY v.id",
    [VX_NOTICE_ADD] = "INSERT INTO victim_notices (registration_id, booking_id, kind, data,"
                      " created_at, next_attempt_at) VALUES (?1, ?2, ?3, ?4, ?5, ?5)",
    [VX_NOTICES] = "SELECT n.id, n.registration_id, b.booking_no, n.kind, n.status, n.attempts,"
                   " n.created_at, n.delivered_at, n.last_error FROM victim_notices n"
                   " JOIN bookings b ON b.id = n.booking_id WHERE n.registration_id = ?"
                   " ORDER BY n.id DESC LIMIT 200",
    [VX_REQUEUE] = "UPDATE victim_notices SET status = 'pending' WHERE status = 'sending'",
    [VX_DUE] = "SELECT id FROM victim_notices WHERE status = 'pending' AND next_attempt_at <= ?"
               " ORDER BY next_attempt_at, id LIMIT 1",
    [VX_CLAIM] = "UPDATE victim_notices SET status = 'sending', attempts = attempts + 1"
                 " WHERE id = ?",
    /* The claimed notice with its registration, booking and person (job_fields). */
    [VX_JOB] = "SELECT n.id, n.registration_id, n.attempts, n.kind, n.data, n.created_at,"
               " b.booking_no, p.name, v.name, v.channel, v.target, v.lang, v.state"
               " FROM victim_notices n JOIN victim_registrations v ON v.id = n.registration_id"
               " JOIN bookings b ON b.id = n.booking_id JOIN people p ON p.id = b.person_id"
               " WHERE n.id = ?",
    [VX_FINISH] = "UPDATE victim_notices SET status = ?2, next_attempt_at ="
                  " coalesce(?3, next_attempt_at), last_error = ?4,"
                  " delivered_at = CASE WHEN ?2 = 'delivered' THEN ?5 END WHERE id = ?1",
};

static sqlite3_stmt *vx(struct store_sqlite *s, enum vx_id id)
{
    return sq_xstmt(s, SQ_X_VICTIMS + (int)id, vx_sql[id]);
}

/* Columns of VX_COLS. */
static const struct sf_field victim_fields[] = {
    SF_FIELD(struct store_victim, id, SF_I64, SF_COL),
    SF_FIELD(struct store_victim, booking_no, SF_STR, SF_COL),
    SF_FIELD(struct store_victim, person_id, SF_I64, SF_COL),
    SF_FIELD(struct store_victim, follows_person, SF_BOOL, SF_COL),
    SF_FIELD(struct store_victim, name, SF_STR, SF_COL),
    SF_FIELD(struct store_victim, relation, SF_STR, SF_COL),
    SF_FIELD(struct store_victim, channel, SF_STR, SF_COL),
    SF_FIELD(struct store_victim, target, SF_STR, SF_COL),
    SF_FIELD(struct store_victim, lang, SF_STR, SF_COL),
    SF_FIELD(struct store_victim, state, SF_STR, SF_COL),
    SF_FIELD(struct store_victim, created_by, SF_STR, SF_COL),
    SF_FIELD(struct store_victim, created_at, SF_STR, SF_COL),
    SF_FIELD(struct store_victim, changed_by, SF_STR, SF_COL),
    SF_FIELD(struct store_victim, changed_at, SF_STR, SF_COL),
};
static const struct sf_record victim_rec = SF_RECORD(struct store_victim, victim_fields);

/* Columns of VX_NOTICES. */
static const struct sf_field notice_fields[] = {
    SF_FIELD(struct store_victim_notice, id, SF_I64, SF_COL),
    SF_FIELD(struct store_victim_notice, registration_id, SF_I64, SF_COL),
    SF_FIELD(struct store_victim_notice, booking_no, SF_STR, SF_COL),
    SF_FIELD(struct store_victim_notice, kind, SF_STR, SF_COL),
    SF_FIELD(struct store_victim_notice, status, SF_STR, SF_COL),
    SF_FIELD(struct store_victim_notice, attempts, SF_INT, SF_COL),
    SF_FIELD(struct store_victim_notice, created_at, SF_STR, SF_COL),
    SF_FIELD(struct store_victim_notice, delivered_at, SF_STR, SF_COL),
    SF_FIELD(struct store_victim_notice, last_error, SF_STR, SF_COL),
};
static const struct sf_record notice_rec = SF_RECORD(struct store_victim_notice, notice_fields);

/* Run the write q (bound): HC_ENOENT when it changed no row, HC_EINVAL when the schema refused
 * a value. */
static int exec_one(struct store_sqlite *s, sqlite3_stmt *q)
{
    int rc = sq_exec_stmt(s, q);
    if (rc == HC_OK && sqlite3_changes(s->db) == 0)
        rc = HC_ENOENT;
    return rc;
}

/* Parameters 2..7 of VX_INSERT and VX_SET: what a registration says, in both's order. */
static void bind_reg(sqlite3_stmt *q, const struct store_victim *v)
{
    sqlite3_bind_int(q, 2, v->follows_person != 0);
    sq_bind_str(q, 3, v->name);
    sq_bind_str(q, 4, v->relation);
    sq_bind_str(q, 5, v->channel);
    sq_bind_str(q, 6, v->target);
    sq_bind_str(q, 7, v->lang);
}

static int sq_victim_add(struct hc_store *st, const struct store_victim *v, const char *at,
                         int64_t *id)
{
    struct store_sqlite *s = sq(st);
    sqlite3_stmt *q = vx(s, VX_INSERT);
    int rc;
    if (q == NULL)
        return HC_EIO;
    sq_bind_str(q, 1, v->booking_no);
    bind_reg(q, v);
    sq_bind_str(q, 8, v->created_by);
    sq_bind_str(q, 9, at);
    if ((rc = exec_one(s, q)) == HC_OK)
        *id = sqlite3_last_insert_rowid(s->db);
    return rc;
}

static int sq_victim_get(struct hc_store *st, int64_t id, struct hc_arena *a,
                         struct store_victim *out)
{
    struct store_sqlite *s = sq(st);
    sqlite3_stmt *q = vx(s, VX_GET);
    if (q == NULL)
        return HC_EIO;
    sqlite3_bind_int64(q, 1, id);
    return sq_read_rec(s, q, a, &victim_rec, out);
}

static int sq_victim_list(struct hc_store *st, const char *booking_no, struct hc_arena *a,
                          struct store_victim **out, size_t *n)
{
    struct store_sqlite *s = sq(st);
    sqlite3_stmt *q = vx(s, booking_no != NULL ? VX_LIST : VX_LIST_ALL);
    if (q == NULL)
        return HC_EIO;
    if (booking_no != NULL)
        sq_bind_str(q, 1, booking_no);
    return sq_read_recs(s, q, a, &victim_rec, (void **)out, n);
}

static int sq_victim_set(struct hc_store *st, const struct store_victim *v, const char *at)
{
    struct store_sqlite *s = sq(st);
    sqlite3_stmt *q = vx(s, VX_SET);
    if (q == NULL)
        return HC_EIO;
    sqlite3_bind_int64(q, 1, v->id);
    bind_reg(q, v);
    sq_bind_str(q, 8, v->state);
    sq_bind_str(q, 9, v->changed_by);
    sq_bind_str(q, 10, at);
    return exec_one(s, q);
}

static int sq_victim_of_booking(struct hc_store *st, int64_t booking_id, struct hc_arena *a,
                                struct store_victim **out, size_t *n)
{
    struct store_sqlite *s = sq(st);
    return sq_read_rows_by_id(s, vx(s, VX_OF_BOOKING), booking_id, a, &victim_rec, (void **)out,
                              n);
}

static int sq_victim_notice_add(struct hc_store *st, int64_t registration_id, int64_t booking_id,
                                const char *kind, const char *data, const char *at, int64_t *id)
{
    struct store_sqlite *s = sq(st);
    sqlite3_stmt *q = vx(s, VX_NOTICE_ADD);
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
    return sq_read_rows_by_id(s, vx(s, VX_NOTICES), registration_id, a, &notice_rec,
                              (void **)out, n);
}

static int sq_victim_notice_requeue(struct hc_store *st, int64_t *n)
{
    struct store_sqlite *s = sq(st);
    sqlite3_stmt *q = vx(s, VX_REQUEUE);
    int rc;
    if (q == NULL)
        return HC_EIO;
    if ((rc = sq_exec_stmt(s, q)) == HC_OK)
        *n = sqlite3_changes(s->db);
    return rc;
}

/* Columns of VX_JOB. */
static const struct sf_field job_fields[] = {
    SF_FIELD(struct store_victim_job, id, SF_I64, SF_COL),
    SF_FIELD(struct store_victim_job, registration_id, SF_I64, SF_COL),
    SF_FIELD(struct store_victim_job, attempts, SF_INT, SF_COL),
    SF_FIELD(struct store_victim_job, kind, SF_STR, SF_COL),
    SF_FIELD(struct store_victim_job, data, SF_STR, SF_COL),
    SF_FIELD(struct store_victim_job, created_at, SF_STR, SF_COL),
    SF_FIELD(struct store_victim_job, booking_no, SF_STR, SF_COL),
    SF_FIELD(struct store_victim_job, person_name, SF_STR, SF_COL),
    SF_FIELD(struct store_victim_job, name, SF_STR, SF_COL),
    SF_FIELD(struct store_victim_job, channel, SF_STR, SF_COL),
    SF_FIELD(struct store_victim_job, target, SF_STR, SF_COL),
    SF_FIELD(struct store_victim_job, lang, SF_STR, SF_COL),
    SF_FIELD(struct store_victim_job, reg_state, SF_STR, SF_COL),
};
static const struct sf_record job_rec = SF_RECORD(struct store_victim_job, job_fields);

static int sq_victim_notice_claim(struct hc_store *st, const char *now, struct hc_arena *a,
                                  struct store_victim_job *out)
{
    struct store_sqlite *s = sq(st);
    sqlite3_stmt *due, *job;
    int64_t id = 0;
    int rc = sq_begin(st);

    if (rc != HC_OK)
        return rc;
    due = vx(s, VX_DUE);
    job = vx(s, VX_JOB);
    if (due == NULL || job == NULL)
        return sq_tx_leave(s, HC_EIO);
    sq_bind_str(due, 1, now);
    rc = sq_one_id(s, due, &id);
    if (rc == HC_OK)
        rc = sq_exec_by_id(s, vx(s, VX_CLAIM), id, NULL);
    if (rc == HC_OK) {
        sqlite3_bind_int64(job, 1, id);
        rc = sq_read_rec(s, job, a, &job_rec, out);
    }
    return sq_tx_leave(s, rc);
}

static int sq_victim_notice_finish(struct hc_store *st, int64_t id, const char *status,
                                   const char *next_attempt_at, const char *error,
                                   const char *at)
{
    struct store_sqlite *s = sq(st);
    sqlite3_stmt *q;
    if (status == NULL ||
        (strcmp(status, "pending") != 0 && strcmp(status, "delivered") != 0 &&
         strcmp(status, "failed") != 0 && strcmp(status, "cancelled") != 0) ||
        (strcmp(status, "pending") == 0 && next_attempt_at == NULL))
        return HC_EINVAL;
    if ((q = vx(s, VX_FINISH)) == NULL)
        return HC_EIO;
    sqlite3_bind_int64(q, 1, id);
    sq_bind_str(q, 2, status);
    sq_bind_str(q, 3, next_attempt_at);
    sq_bind_str(q, 4, error);
    sq_bind_str(q, 5, at);
    return exec_one(s, q);
}

const struct store_victims_ops sq_victims_ops = {STORE_VICTIMS_OPS(SQ_OP)};
