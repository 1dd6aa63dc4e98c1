/* SPDX-License-Identifier: MIT
 * sqlite_sms.c: the SQLite side of SMS subscriptions (store_public.h): a confirmation code
 * tried against a pending subscription, the opt-outs a number sends, and the queue of the one
 * reply each opt-out is owed. Statements use slots SQ_X_SMS..SQ_X_SMS+11. */
#include <stdio.h>
#include <string.h>

#include "sqlite_int.h"

enum sx_id {
    SX_CODE_FIND, SX_CODE_COUNT, SX_STOP_END_DELIVERIES, SX_STOP_END, SX_STOP_QUEUE,
    SX_REPLY_DUE, SX_REPLY_CLAIM, SX_REPLY_JOB, SX_REPLY_FINISH, SX_REPLY_REQUEUE,
    SX_COUNT
};

_Static_assert(SQ_X_SMS + SX_COUNT <= SQ_XSTMT_MAX, "this file's statements fit its slots");

static const char *const sx_sql[SX_COUNT] = {
    [SX_CODE_FIND] = "SELECT s.id, s.confirm_token, s.unsubscribe_token, s.code_tries"
                     " FROM subscriptions s JOIN bookings b ON b.id = s.booking_id"
                     " WHERE s.channel = 'sms' AND s.target = ?1 AND b.booking_no = ?2"
                     " AND s.state = 'pending' AND s.created_at > ?3 AND s.code_tries < ?4"
                     " ORDER BY s.id DESC LIMIT 1",
    [SX_CODE_COUNT] = "UPDATE subscriptions SET code_tries = code_tries + 1 WHERE id = ?",
    [SX_STOP_END_DELIVERIES] = "UPDATE deliveries SET status = 'cancelled',"
                               " last_error = 'opted out by SMS' WHERE status = 'pending'"
                               " AND subscription_id IN (SELECT id FROM subscriptions"
                               " WHERE channel = 'sms' AND target = ?1"
                               " AND state IN ('pending', 'confirmed'))",
    [SX_STOP_END] = "UPDATE subscriptions SET state = 'unsubscribed', ended_at = ?2"
                    " WHERE channel = 'sms' AND target = ?1 AND state IN ('pending', 'confirmed')",
    [SX_STOP_QUEUE] = "INSERT INTO sms_stops (target, lang, ended, created_at, next_attempt_at)"
                      " VALUES (?1, coalesce((SELECT lang FROM subscriptions WHERE channel = 'sms'"
                      " AND target = ?1 ORDER BY id DESC LIMIT 1), ?2), ?3, ?4, ?4)",
    [SX_REPLY_DUE] = "SELECT id FROM sms_stops WHERE status = 'pending' AND next_attempt_at <= ?"
                     " ORDER BY next_attempt_at, id LIMIT 1",
    [SX_REPLY_CLAIM] = "UPDATE sms_stops SET status = 'sending', attempts = attempts + 1"
                       " WHERE id = ? AND status = 'pending'",
    [SX_REPLY_JOB] = "SELECT id, target, lang, attempts FROM sms_stops WHERE id = ?",
    [SX_REPLY_FINISH] = "UPDATE sms_stops SET status = ?1,"
                        " next_attempt_at = coalesce(?2, next_attempt_at), last_error = ?3"
                        " WHERE id = ?4",
    [SX_REPLY_REQUEUE] = "UPDATE sms_stops SET status = 'pending' WHERE status = 'sending'",
};

static sqlite3_stmt *sx(struct store_sqlite *s, enum sx_id id)
{
    return sq_xstmt(s, SQ_X_SMS + (int)id, sx_sql[id]);
}

int sq_subscription_code_try(struct hc_store *st, const char *target, const char *booking_no,
                             const char *created_after, int max_tries, struct hc_arena *a,
                             struct store_code_try *out)
{
    struct store_sqlite *s = sq(st);
    struct store_code_try t;
    sqlite3_stmt *q;
    int rc, oom = 0;

    memset(&t, 0, sizeof t);
    if ((rc = sq_begin(st)) != HC_OK)
        return rc;
    if ((q = sx(s, SX_CODE_FIND)) == NULL) {
        rc = HC_EIO;
        goto out;
    }
    sq_bind_str(q, 1, target);
    sq_bind_str(q, 2, booking_no);
    sq_bind_str(q, 3, created_after);
    sqlite3_bind_int(q, 4, max_tries);
    if ((rc = sq_step_row(s, q)) == HC_OK) {
        t.id = sqlite3_column_int64(q, 0);
        t.confirm_token = sq_col_dup(a, q, 1, &oom);
        t.unsubscribe_token = sq_col_dup(a, q, 2, &oom);
        t.tries = sqlite3_column_int(q, 3) + 1;
        sqlite3_reset(q);
        rc = oom || t.confirm_token == NULL || t.unsubscribe_token == NULL ? HC_ENOMEM : HC_OK;
    }
    if (rc == HC_OK)
        rc = sq_exec_by_id(s, sx(s, SX_CODE_COUNT), t.id, NULL);
    if (rc == HC_OK)
        *out = t;
out:
    return sq_tx_leave(s, rc);
}

int sq_sms_stop(struct hc_store *st, const char *target, const char *lang, const char *word,
                int64_t *ended)
{
    struct store_sqlite *s = sq(st);
    sqlite3_stmt *q;
    char at[HC_CLOCK_UTC_LEN];
    int64_t cancelled = 0;
    json_t *pl;
    int rc;

    *ended = 0;
    if ((rc = sq_begin(st)) != HC_OK)
        return rc;
    sq_now_utc(at);
    if ((q = sx(s, SX_STOP_END_DELIVERIES)) == NULL) {
        rc = HC_EIO;
        goto out;
    }
    sq_bind_str(q, 1, target);
    if ((rc = sq_exec_stmt(s, q)) != HC_OK)
        goto out;
    cancelled = sqlite3_changes(s->db);
    if ((q = sx(s, SX_STOP_END)) == NULL) {
        rc = HC_EIO;
        goto out;
    }
    sq_bind_str(q, 1, target);
    sq_bind_str(q, 2, at);
    if ((rc = sq_exec_stmt(s, q)) != HC_OK)
        goto out;
    *ended = sqlite3_changes(s->db);
    if ((q = sx(s, SX_STOP_QUEUE)) == NULL) {
        rc = HC_EIO;
        goto out;
    }
    sq_bind_str(q, 1, target);
    sq_bind_str(q, 2, lang);
    sqlite3_bind_int64(q, 3, *ended);
    sq_bind_str(q, 4, at);
    if ((rc = sq_exec_stmt(s, q)) != HC_OK)
        goto out;
    /* The number is confidential (PC 679.03): the entry holds the counts and the word only. */
    pl = json_object();
    json_object_set_new(pl, "word", json_string(word));
    json_object_set_new(pl, "subscriptions", json_integer(*ended));
    json_object_set_new(pl, "cancelled_deliveries", json_integer(cancelled));
    rc = sq_audit_write(s, "public", "subscription.stop", "subscription", pl);
    json_decref(pl);
out:
    if (rc != HC_OK)
        *ended = 0;
    return sq_tx_leave(s, rc);
}

int sq_sms_reply_claim(struct hc_store *st, const char *now, struct hc_arena *a,
                       struct store_sms_reply *out)
{
    struct store_sqlite *s = sq(st);
    struct store_sms_reply r;
    sqlite3_stmt *q;
    int64_t id = 0;
    int rc, oom = 0;

    memset(&r, 0, sizeof r);
    if ((rc = sq_begin(st)) != HC_OK)
        return rc;
    if ((q = sx(s, SX_REPLY_DUE)) == NULL) {
        rc = HC_EIO;
        goto out;
    }
    sq_bind_str(q, 1, now);
    if ((rc = sq_one_id(s, q, &id)) != HC_OK ||
        (rc = sq_exec_by_id(s, sx(s, SX_REPLY_CLAIM), id, NULL)) != HC_OK)
        goto out;
    if ((q = sx(s, SX_REPLY_JOB)) == NULL) {
        rc = HC_EIO;
        goto out;
    }
    sqlite3_bind_int64(q, 1, id);
    if ((rc = sq_step_row(s, q)) == HC_OK) {
        r.id = sqlite3_column_int64(q, 0);
        r.target = sq_col_dup(a, q, 1, &oom);
        r.lang = sq_col_dup(a, q, 2, &oom);
        r.attempts = sqlite3_column_int(q, 3);
        sqlite3_reset(q);
        rc = oom ? HC_ENOMEM : HC_OK;
    } else if (rc == HC_ENOENT) {
        rc = HC_EIO; /* claimed in this transaction: it is there */
    }
    if (rc == HC_OK)
        *out = r;
out:
    return sq_tx_leave(s, rc);
}

int sq_sms_reply_finish(struct hc_store *st, int64_t id, enum store_delivery_result r,
                        const char *next_attempt_at, const char *error)
{
    struct store_sqlite *s = sq(st);
    sqlite3_stmt *q;
    const char *status;

    switch (r) {
    case STORE_DELIVERY_DELIVERED: status = "delivered"; break;
    case STORE_DELIVERY_RETRY: status = "pending"; break;
    case STORE_DELIVERY_FAILED: status = "failed"; break;
    default: return HC_EINVAL;
    }
    if (r == STORE_DELIVERY_RETRY && next_attempt_at == NULL)
        return HC_EINVAL;
    if ((q = sx(s, SX_REPLY_FINISH)) == NULL)
        return HC_EIO;
    sq_bind_str(q, 1, status);
    sq_bind_str(q, 2, next_attempt_at);
    sq_bind_str(q, 3, error);
    sqlite3_bind_int64(q, 4, id);
    return sq_exec_stmt(s, q);
}

int sq_sms_requeue(struct store_sqlite *s)
{
    sqlite3_stmt *q = sx(s, SX_REPLY_REQUEUE);
    return q != NULL ? sq_exec_stmt(s, q) : HC_EIO;
}
