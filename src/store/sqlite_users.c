/* SPDX-License-Identifier: MIT
 * sqlite_users.c: users, API tokens and web sessions. */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "clock.h"
#include "sql.h"
#include "sqlite_int.h"

_Static_assert(SQ_X_USERS + SU_COUNT <= SQ_X_USERS + 16, "this file's statements fit its slots");

/* The statement id (sql.h), reset and with no bindings, prepared on first use. NULL on
 * failure. */
static sqlite3_stmt *stmt(struct store_sqlite *s, enum sql_users id)
{
    return sq_xstmt(s, SQ_X_USERS + (int)id, sql_users[id]);
}

/* ------------------------------------------------------------------------------------------ */
/* Users, tokens and sessions                                                                 */

static int sq_user_add(struct hc_store *st, const struct store_user *u, const char *actor,
                           int64_t *user_id)
{
    return sq_add_audited(st, SQ_X_USERS + SU_USER_INSERT, sql_users[SU_USER_INSERT],
                          &sf_user_rec, u, actor, "user.create", "user", user_id);
}

static int sq_user_get(struct hc_store *st, const char *name, struct hc_arena *a,
                           struct store_user *out)
{
    struct store_sqlite *s = sq(st);
    sqlite3_stmt *q = stmt(s, SU_USER_BY_NAME);
    if (q == NULL)
        return HC_EIO;
    sq_bind_str(q, 1, name);
    return sq_read_rec(s, q, a, &sf_user_rec, out);
}

static int sq_user_list(struct hc_store *st, struct hc_arena *a, struct store_user **out,
                            size_t *n)
{
    struct store_sqlite *s = sq(st);
    void *rows = NULL;
    int rc = sq_read_recs(s, stmt(s, SU_USER_ALL), a, &sf_user_rec, &rows, n);
    if (rc == HC_OK)
        *out = rows;
    return rc;
}

static int sq_user_disable(struct hc_store *st, const char *name, const char *actor)
{
    struct store_sqlite *s = sq(st);
    json_t *pl = json_object();
    sqlite3_stmt *q;
    int rc;

    if (pl == NULL)
        return HC_ENOMEM;
    if ((rc = sq_begin(st)) != HC_OK)
        goto out;
    if ((q = stmt(s, SU_USER_DISABLE)) == NULL) {
        rc = HC_EIO;
    } else {
        sq_bind_str(q, 1, name);
        rc = sq_exec_stmt(s, q);
        if (rc == HC_OK && sqlite3_changes(s->db) == 0)
            rc = HC_ENOENT;
    }
    if (rc == HC_OK) {
        sq_jset_str(pl, "name", name);
        rc = sq_audit_write(s, actor, "user.disable", "user", pl);
    }
    rc = sq_tx_leave(s, rc);
out:
    json_decref(pl);
    return rc;
}

static int sq_user_reset(struct hc_store *st, const char *name, const char *password_hash,
                             int revoke_tokens, const char *actor, int64_t *tokens,
                             int64_t *sessions)
{
    struct store_sqlite *s = sq(st);
    json_t *pl = NULL;
    sqlite3_stmt *q;
    int64_t uid = 0;
    int rc;

    *tokens = *sessions = 0;
    if ((rc = sq_begin(st)) != HC_OK)
        return rc;
    if ((q = stmt(s, SU_USER_ID)) == NULL) {
        rc = HC_EIO;
        goto out;
    }
    sq_bind_str(q, 1, name);
    if ((rc = sq_one_id(s, q, &uid)) != HC_OK)
        goto out;
    if (password_hash != NULL) {
        if ((q = stmt(s, SU_USER_SET_PASSWORD)) == NULL) {
            rc = HC_EIO;
            goto out;
        }
        sq_bind_str(q, 1, password_hash);
        sqlite3_bind_int64(q, 2, uid);
        rc = sq_exec_stmt(s, q);
    }
    if (rc == HC_OK && revoke_tokens)
        rc = sq_exec_by_id(s, stmt(s, SU_TOKENS_OF_USER_DELETE), uid, tokens);
    if (rc == HC_OK)
        rc = sq_exec_by_id(s, stmt(s, SU_SESSIONS_OF_USER_DELETE), uid, sessions);
    if (rc != HC_OK)
        goto out;
    pl = json_object();
    sq_jset_str(pl, "name", name);
    json_object_set_new(pl, "password_replaced", json_boolean(password_hash != NULL));
    json_object_set_new(pl, "tokens_revoked", json_integer(*tokens));
    json_object_set_new(pl, "sessions_ended", json_integer(*sessions));
    rc = sq_audit_write(s, actor, password_hash != NULL ? "user.password" : "user.revoke",
                         "user", pl);
out:
    json_decref(pl);
    return sq_tx_leave(s, rc);
}

static int sq_token_add(struct hc_store *st, int64_t user_id, const char *token_hash,
                            const char *actor)
{
    struct store_sqlite *s = sq(st);
    json_t *pl = json_object();
    sqlite3_stmt *q;
    char at[HC_CLOCK_UTC_LEN], entity[48];
    int rc;

    if (pl == NULL)
        return HC_ENOMEM;
    if ((rc = sq_begin(st)) != HC_OK)
        goto out;
    sq_now_utc(at);
    if ((q = stmt(s, SU_TOKEN_INSERT)) == NULL) {
        rc = HC_EIO;
    } else {
        sq_bind_str(q, 1, token_hash);
        sqlite3_bind_int64(q, 2, user_id);
        sq_bind_str(q, 3, at);
        rc = sq_exec_stmt(s, q);
    }
    if (rc == HC_OK) {
        /* The hash is not secret, but the log has no use for it: the token's row id will do. */
        json_object_set_new(pl, "token_id", json_integer(sqlite3_last_insert_rowid(s->db)));
        json_object_set_new(pl, "user_id", json_integer(user_id));
        snprintf(entity, sizeof entity, "user/%" PRId64, user_id);
        rc = sq_audit_write(s, actor, "token.create", entity, pl);
    }
    rc = sq_tx_leave(s, rc);
out:
    json_decref(pl);
    return rc;
}

static int sq_token_user(struct hc_store *st, const char *token_hash, struct hc_arena *a,
                             struct store_user *out)
{
    struct store_sqlite *s = sq(st);
    sqlite3_stmt *q = stmt(s, SU_TOKEN_USER);
    int64_t token_id;
    int rc, oom = 0, touch;

    if (q == NULL)
        return HC_EIO;
    sq_bind_str(q, 1, token_hash);
    if ((rc = sq_step_row(s, q)) != HC_OK)
        return rc;
    sq_fill_fields(q, 0, a, out, &sf_user_rec, &oom);
    token_id = sqlite3_column_int64(q, 6);
    touch = sf_token_touch_now(st, (const char *)sqlite3_column_text(q, 7), token_id);
    sqlite3_reset(q);
    if (oom)
        return HC_ENOMEM;
    if (touch)
        sq_token_touch(s, token_id);
    return HC_OK;
}

static int sq_session_add(struct hc_store *st, int64_t user_id, const char *id_hash,
                              const char *expires_at)
{
    struct store_sqlite *s = sq(st);
    sqlite3_stmt *q = stmt(s, SU_SESSION_INSERT);
    char at[HC_CLOCK_UTC_LEN];
    if (q == NULL)
        return HC_EIO;
    sq_now_utc(at);
    sq_bind_str(q, 1, id_hash);
    sqlite3_bind_int64(q, 2, user_id);
    sq_bind_str(q, 3, at);
    sq_bind_str(q, 4, expires_at);
    return sq_exec_stmt(s, q);
}

/* Statement id with the session's id_hash as ?1 and now as ?2 (now: the caller's buffer, which
 * must outlive the step). NULL on failure. */
static sqlite3_stmt *session_stmt(struct store_sqlite *s, enum sql_users id, const char *id_hash,
                                  char now[HC_CLOCK_UTC_LEN])
{
    sqlite3_stmt *q = stmt(s, id);
    if (q != NULL) {
        sq_now_utc(now);
        sq_bind_str(q, 1, id_hash);
        sq_bind_str(q, 2, now);
    }
    return q;
}

static int sq_session_user(struct hc_store *st, const char *id_hash, struct hc_arena *a,
                               struct store_user *out)
{
    struct store_sqlite *s = sq(st);
    char now[HC_CLOCK_UTC_LEN];
    return sq_read_rec(s, session_stmt(s, SU_SESSION_USER, id_hash, now), a, &sf_user_rec, out);
}

static int sq_session_delete(struct hc_store *st, const char *id_hash)
{
    struct store_sqlite *s = sq(st);
    char now[HC_CLOCK_UTC_LEN];
    sqlite3_stmt *q = session_stmt(s, SU_SESSION_DELETE, id_hash, now);
    if (q == NULL)
        return HC_EIO;
    return sq_exec_stmt(s, q);
}

/* How long a touch that found the database busy waits before the next try. */
#define TOUCH_RETRY_US 1000000

/* Write now into the last_used of api_tokens row id. Best effort: a busy database must not
 * refuse a valid token, nor hold it up. The request that uses the token runs on an event loop,
 * and every request queued on that loop waits for it, so the write never waits: no busy
 * timeout (while a feed's delta holds the write lock, the token is touched on a use after the
 * delta, TOUCH_RETRY_US later at the earliest), and no flush of its own (synchronous=NORMAL for
 * this commit alone: the WAL stays consistent, and the next commit with synchronous=FULL, any
 * decision's, flushes it with everything before it; a crash in between can lose a last_used,
 * nothing else). */
void sq_token_touch(struct store_sqlite *s, int64_t id)
{
    sqlite3_stmt *q = stmt(s, SU_TOKEN_TOUCH);
    char now[21];
    int rc;
    if (q == NULL || hc_clock_mono_us() < s->touch_after_us)
        return;
    sq_now_utc(now);
    sq_bind_str(q, 1, now);
    sqlite3_bind_int64(q, 2, id);
    sqlite3_busy_timeout(s->db, 0);
    (void)sq_exec_sql(s, "PRAGMA synchronous = NORMAL");
    rc = sqlite3_step(q);
    sqlite3_reset(q);
    (void)sq_exec_sql(s, "PRAGMA synchronous = FULL");
    sqlite3_busy_timeout(s->db, SQ_BUSY_MS);
    if ((rc & 0xff) == SQLITE_BUSY || (rc & 0xff) == SQLITE_LOCKED)
        s->touch_after_us = hc_clock_mono_us() + TOUCH_RETRY_US;
    else if (rc != SQLITE_DONE)
        (void)sq_map_rc(s, rc); /* logged */
}

const struct store_users_ops sq_users_ops = {
    STORE_USERS_OPS(SQ_OP)
};
