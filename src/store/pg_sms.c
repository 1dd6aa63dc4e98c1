/* SPDX-License-Identifier: MIT
 * pg_sms.c: SMS subscriptions on PostgreSQL (store_public.h): a confirmation code tried
 * against a pending subscription, the opt-outs a number sends, and the queue of the one reply
 * each opt-out is owed. PostgreSQL's own statements, each naming the agency besides row-level
 * security; the subscription a code is tried on is locked for its transaction, and a due reply
 * is claimed FOR UPDATE SKIP LOCKED, so that two senders never claim the same one. A number is
 * never written to the audit log. */
#include <stdlib.h>
#include <string.h>

#include "clock.h"
#include "pg_int.h"

enum stmt_id {
    S_CODE_FIND, S_CODE_COUNT, S_STOP_END_DELIVERIES, S_STOP_END, S_STOP_QUEUE,
    S_REPLY_DUE, S_REPLY_CLAIM, S_REPLY_JOB, S_REPLY_FINISH, S_REPLY_REQUEUE,
    S_COUNT
};

_Static_assert(PG_X_SMS + S_COUNT <= PG_X_IMPORT, "this file's statements fit its slots");

/* The live SMS subscriptions of number $1 of agency $2. */
#define LIVE_OF_TARGET                                                                          \
    " channel = 'sms' AND target = $1::text AND agency_id = $2::bigint"                          \
    " AND state IN ('pending', 'confirmed')"

static const char *const stmt_sql[S_COUNT] = {
    /* $1 number, $2 booking number, $3 created after, $4 most tries, $5 agency. */
    [S_CODE_FIND] = "SELECT s.id, s.confirm_token, s.unsubscribe_token, s.code_tries"
                    " FROM subscriptions s JOIN bookings b ON b.id = s.booking_id"
                    " AND b.agency_id = s.agency_id WHERE s.agency_id = $5::bigint"
                    " AND s.channel = 'sms' AND s.target = $1 AND b.booking_no = $2"
                    " AND s.state = 'pending' AND s.created_at > $3::text"
                    " AND s.code_tries < $4::int ORDER BY s.id DESC LIMIT 1 FOR UPDATE OF s",
    [S_CODE_COUNT] = "UPDATE subscriptions SET code_tries = code_tries + 1"
                     " WHERE id = $1 AND agency_id = $2::bigint",
    [S_STOP_END_DELIVERIES] = "UPDATE deliveries SET status = 'cancelled',"
                              " last_error = 'opted out by SMS' WHERE agency_id = $2::bigint"
                              " AND status = 'pending' AND subscription_id IN (SELECT id"
                              " FROM subscriptions WHERE" LIVE_OF_TARGET ")",
    [S_STOP_END] = "UPDATE subscriptions SET state = 'unsubscribed', ended_at = $3 WHERE"
                   LIVE_OF_TARGET,
    /* $3 the language when the number has no subscription, $4 ended, $5 now. */
    [S_STOP_QUEUE] = "INSERT INTO sms_stops (target, lang, ended, created_at, next_attempt_at)"
                     " VALUES ($1, coalesce((SELECT lang FROM subscriptions WHERE channel = 'sms'"
                     " AND target = $1 AND agency_id = $2::bigint ORDER BY id DESC LIMIT 1),"
                     " $3), $4, $5, $5)",
    [S_REPLY_DUE] = "SELECT id FROM sms_stops WHERE agency_id = $2::bigint AND status = 'pending'"
                    " AND next_attempt_at <= $1::text ORDER BY next_attempt_at, id LIMIT 1"
                    " FOR UPDATE SKIP LOCKED",
    [S_REPLY_CLAIM] = "UPDATE sms_stops SET status = 'sending', attempts = attempts + 1"
                      " WHERE id = $1 AND agency_id = $2::bigint AND status = 'pending'",
    [S_REPLY_JOB] = "SELECT id, target, lang, attempts FROM sms_stops"
                    " WHERE id = $1 AND agency_id = $2::bigint",
    [S_REPLY_FINISH] = "UPDATE sms_stops SET status = $1,"
                       " next_attempt_at = coalesce($2, next_attempt_at), last_error = $3"
                       " WHERE id = $4 AND agency_id = $5::bigint",
    [S_REPLY_REQUEUE] = "UPDATE sms_stops SET status = 'pending' WHERE agency_id = $1::bigint"
                        " AND status = 'sending'",
};

/* Statement id with p: rows changed into *changed, or the id it returns into *row. */
static int exec(struct store_pg *s, enum stmt_id id, const struct pg_params *p,
                int64_t *changed, int64_t *row)
{
    return pg_exec_stmt(s, PG_X_SMS + (int)id, stmt_sql[id], p, changed, row);
}

/* p: the one number v, then the agency. */
static void params_id_agency(struct pg_params *p, const struct store_pg *s, int64_t v)
{
    pg_params_id(p, v);
    pg_param_i64(p, s->agency);
}

/* Columns of S_CODE_FIND but the tries (column 3, counted with this one). */
static const struct sf_field code_cols[] = {
    SF_FIELD(struct store_code_try, id, SF_I64, SF_COL),
    SF_FIELD(struct store_code_try, confirm_token, SF_STR, SF_COL),
    SF_FIELD(struct store_code_try, unsubscribe_token, SF_STR, SF_COL),
    SF_FIELD(struct store_code_try, tries, SF_INT, SF_COL),
};
static const struct sf_record code_rec = SF_RECORD(struct store_code_try, code_cols);

int pg_subscription_code_try(struct hc_store *st, const char *target, const char *booking_no,
                             const char *created_after, int max_tries, struct hc_arena *a,
                             struct store_code_try *out)
{
    struct store_pg *s = pgs(st);
    struct store_code_try t;
    struct pg_params p = {0};
    int rc;

    memset(&t, 0, sizeof t);
    if ((rc = store_begin(st)) != HC_OK)
        return rc;
    pg_param_str(&p, target);
    pg_param_str(&p, booking_no);
    pg_param_str(&p, created_after);
    pg_param_i64(&p, max_tries);
    pg_param_i64(&p, s->agency);
    rc = pg_read_rec(s, PG_X_SMS + S_CODE_FIND, stmt_sql[S_CODE_FIND], &p, a, &code_rec, &t);
    if (rc == HC_OK) {
        t.tries++;
        params_id_agency(&p, s, t.id);
        rc = exec(s, S_CODE_COUNT, &p, NULL, NULL);
    }
    if (rc == HC_OK)
        *out = t;
    return pg_tx_leave(s, rc);
}

int pg_sms_stop(struct hc_store *st, const char *target, const char *lang, const char *word,
                int64_t *ended)
{
    struct store_pg *s = pgs(st);
    struct pg_params p = {0};
    char at[HC_CLOCK_UTC_LEN];
    int64_t cancelled = 0;
    json_t *pl;
    int rc;

    *ended = 0;
    if ((rc = store_begin(st)) != HC_OK)
        return rc;
    hc_clock_utc(hc_clock_now(), at);
    pg_param_str(&p, target);
    pg_param_i64(&p, s->agency);
    rc = exec(s, S_STOP_END_DELIVERIES, &p, &cancelled, NULL);
    pg_param_str(&p, at);
    if (rc == HC_OK)
        rc = exec(s, S_STOP_END, &p, ended, NULL);
    p.n = 2;
    pg_param_str(&p, lang);
    pg_param_i64(&p, *ended);
    pg_param_str(&p, at);
    if (rc == HC_OK)
        rc = exec(s, S_STOP_QUEUE, &p, NULL, NULL);
    /* The number is confidential (PC 679.03): the entry holds the counts and the word only. */
    if (rc == HC_OK) {
        pl = json_pack("{s:s, s:I, s:I}", "word", word, "subscriptions", (json_int_t)*ended,
                       "cancelled_deliveries", (json_int_t)cancelled);
        rc = pl != NULL ? pg_audit_append(st, "public", "subscription.stop", "subscription", pl)
                        : HC_ENOMEM;
        json_decref(pl);
    }
    if (rc != HC_OK)
        *ended = 0;
    return pg_tx_leave(s, rc);
}

/* Columns of S_REPLY_JOB. */
static const struct sf_field reply_cols[] = {
    SF_FIELD(struct store_sms_reply, id, SF_I64, SF_COL),
    SF_FIELD(struct store_sms_reply, target, SF_STR, SF_COL),
    SF_FIELD(struct store_sms_reply, lang, SF_STR, SF_COL),
    SF_FIELD(struct store_sms_reply, attempts, SF_INT, SF_COL),
};
static const struct sf_record reply_rec = SF_RECORD(struct store_sms_reply, reply_cols);

int pg_sms_reply_claim(struct hc_store *st, const char *now, struct hc_arena *a,
                       struct store_sms_reply *out)
{
    struct store_pg *s = pgs(st);
    struct store_sms_reply r;
    struct pg_params p = {0};
    int64_t id = 0;
    int rc;

    memset(&r, 0, sizeof r);
    if ((rc = store_begin(st)) != HC_OK)
        return rc;
    pg_param_str(&p, now);
    pg_param_i64(&p, s->agency);
    rc = exec(s, S_REPLY_DUE, &p, NULL, &id);
    params_id_agency(&p, s, id);
    if (rc == HC_OK)
        rc = exec(s, S_REPLY_CLAIM, &p, NULL, NULL);
    if (rc == HC_OK) {
        rc = pg_read_rec(s, PG_X_SMS + S_REPLY_JOB, stmt_sql[S_REPLY_JOB], &p, a, &reply_rec, &r);
        rc = rc == HC_ENOENT ? HC_EIO : rc; /* claimed in this transaction: it is there */
    }
    if (rc == HC_OK)
        *out = r;
    return pg_tx_leave(s, rc);
}

int pg_sms_reply_finish(struct hc_store *st, int64_t id, enum store_delivery_result r,
                        const char *next_attempt_at, const char *error)
{
    struct store_pg *s = pgs(st);
    struct pg_params p = {0};
    const char *status = r == STORE_DELIVERY_DELIVERED ? "delivered"
                         : r == STORE_DELIVERY_RETRY   ? "pending"
                         : r == STORE_DELIVERY_FAILED  ? "failed"
                                                       : NULL;

    if (status == NULL || (r == STORE_DELIVERY_RETRY && next_attempt_at == NULL))
        return HC_EINVAL;
    pg_param_str(&p, status);
    pg_param_str(&p, next_attempt_at);
    pg_param_str(&p, error);
    pg_param_i64(&p, id);
    pg_param_i64(&p, s->agency);
    return exec(s, S_REPLY_FINISH, &p, NULL, NULL);
}

int pg_sms_requeue(struct store_pg *s)
{
    struct pg_params p;
    pg_params_id(&p, s->agency);
    return exec(s, S_REPLY_REQUEUE, &p, NULL, NULL);
}
