/* SPDX-License-Identifier: MIT
 * pg_victims.c: victim notification on PostgreSQL (store_victims.h), on the statements both
 * backends share (sql_victims.c): registrations and the queue of their notices, as plain rows;
 * the audit entries are the service's (victims.c), in the caller's transaction, and never
 * carry a registrant's name or target. Row-level security keeps each agency's registrations
 * and notices its own: a registration can name only a booking of its agency. A notice is
 * claimed FOR UPDATE SKIP LOCKED, so that two senders never claim the same one. */
#include <stdlib.h>

#include "pg_int.h"
#include "sql.h"

/* The shared statements, then this backend's own. */
enum { S_DUE_LOCKED = SVX_COUNT, S_COUNT };

_Static_assert(S_COUNT <= 16, "this file's statements fit its slots (PG_X_VICTIMS..+15)");

/* SVX_DUE, its row locked for this transaction; one another sender holds is passed over. */
static const char due_locked_sql[] = SQL_VX_DUE " FOR UPDATE SKIP LOCKED";

static int slot(int id)
{
    return PG_X_VICTIMS + id;
}

/* Run shared statement id with p; *changed, *id as pg_exec_stmt. */
static int exec(struct store_pg *s, enum sql_victims id, const struct pg_params *p,
                int64_t *changed, int64_t *row)
{
    return pg_exec_stmt(s, slot((int)id), sql_victims[id], p, changed, row);
}

/* Parameters 1..6 of SVX_INSERT and SVX_SET: what a registration says, in both's order. */
static void param_reg(struct pg_params *p, const struct store_victim *v)
{
    p->n = 0;
    pg_param_i64(p, v->follows_person != 0);
    pg_param_str(p, v->name);
    pg_param_str(p, v->relation);
    pg_param_str(p, v->channel);
    pg_param_str(p, v->target);
    pg_param_str(p, v->lang);
}

static int pg_victim_add(struct hc_store *st, const struct store_victim *v, const char *at,
                         int64_t *id)
{
    struct pg_params p;
    param_reg(&p, v);
    pg_param_str(&p, v->created_by);
    pg_param_str(&p, at);
    pg_param_str(&p, v->booking_no);
    return exec(pgs(st), SVX_INSERT, &p, NULL, id); /* no row: no such booking */
}

static int pg_victim_get(struct hc_store *st, int64_t id, struct hc_arena *a,
                         struct store_victim *out)
{
    struct pg_params p;
    pg_params_id(&p, id);
    return pg_read_rec(pgs(st), slot(SVX_GET), sql_victims[SVX_GET], &p, a, &sql_victim_rec,
                       out);
}

static int pg_victim_list(struct hc_store *st, const char *booking_no, struct hc_arena *a,
                          struct store_victim **out, size_t *n)
{
    struct pg_params p = {0};
    int id = booking_no != NULL ? SVX_LIST : SVX_LIST_ALL;
    pg_param_str(&p, booking_no);
    return pg_read_recs(pgs(st), slot(id), sql_victims[id], booking_no != NULL ? &p : NULL, a,
                        &sql_victim_rec, (void **)out, n);
}

static int pg_victim_set(struct hc_store *st, const struct store_victim *v, const char *at)
{
    struct pg_params p;
    int64_t changed = 0;
    int rc;
    param_reg(&p, v);
    pg_param_str(&p, v->state);
    pg_param_str(&p, v->changed_by);
    pg_param_str(&p, at);
    pg_param_i64(&p, v->id);
    rc = exec(pgs(st), SVX_SET, &p, &changed, NULL);
    return rc == HC_OK && changed == 0 ? HC_ENOENT : rc;
}

static int pg_victim_of_booking(struct hc_store *st, int64_t booking_id, struct hc_arena *a,
                                struct store_victim **out, size_t *n)
{
    struct pg_params p;
    pg_params_id(&p, booking_id);
    return pg_read_recs(pgs(st), slot(SVX_OF_BOOKING), sql_victims[SVX_OF_BOOKING], &p, a,
                        &sql_victim_rec, (void **)out, n);
}

static int pg_victim_notice_add(struct hc_store *st, int64_t registration_id, int64_t booking_id,
                                const char *kind, const char *data, const char *at, int64_t *id)
{
    struct pg_params p;
    pg_params_id(&p, registration_id);
    pg_param_i64(&p, booking_id);
    pg_param_str(&p, kind);
    pg_param_str(&p, data);
    pg_param_str(&p, at);
    return exec(pgs(st), SVX_NOTICE_ADD, &p, NULL, id);
}

static int pg_victim_notices(struct hc_store *st, int64_t registration_id, struct hc_arena *a,
                             struct store_victim_notice **out, size_t *n)
{
    struct pg_params p;
    pg_params_id(&p, registration_id);
    return pg_read_recs(pgs(st), slot(SVX_NOTICES), sql_victims[SVX_NOTICES], &p, a,
                        &sql_victim_notice_rec, (void **)out, n);
}

static int pg_victim_notice_requeue(struct hc_store *st, int64_t *n)
{
    return exec(pgs(st), SVX_REQUEUE, NULL, n, NULL);
}

static int pg_victim_notice_claim(struct hc_store *st, const char *now, struct hc_arena *a,
                                  struct store_victim_job *out)
{
    struct store_pg *s = pgs(st);
    struct pg_params p = {0};
    int64_t id = 0;
    int rc = store_begin(st);

    if (rc != HC_OK)
        return rc;
    pg_param_str(&p, now);
    rc = pg_exec_stmt(s, slot(S_DUE_LOCKED), due_locked_sql, &p, NULL, &id);
    pg_params_id(&p, id);
    if (rc == HC_OK)
        rc = exec(s, SVX_CLAIM, &p, NULL, NULL);
    if (rc == HC_OK)
        rc = pg_read_rec(s, slot(SVX_JOB), sql_victims[SVX_JOB], &p, a, &sql_victim_job_rec,
                         out);
    return pg_tx_leave(s, rc);
}

static int pg_victim_notice_finish(struct hc_store *st, int64_t id, const char *status,
                                   const char *next_attempt_at, const char *error,
                                   const char *at)
{
    struct pg_params p = {0};
    int64_t changed = 0;
    int rc;
    if (!sql_victim_finish_ok(status, next_attempt_at))
        return HC_EINVAL;
    pg_param_str(&p, status);
    pg_param_str(&p, next_attempt_at);
    pg_param_str(&p, error);
    pg_param_str(&p, at);
    pg_param_i64(&p, id);
    rc = exec(pgs(st), SVX_FINISH, &p, &changed, NULL);
    return rc == HC_OK && changed == 0 ? HC_ENOENT : rc;
}

const struct store_victims_ops pg_victims_ops = {STORE_VICTIMS_OPS(PG_OP)};
