/* SPDX-License-Identifier: MIT
 * pg_users.c: users, API tokens and web sessions on PostgreSQL. The same statements as
 * sqlite_users.c; row-level security keeps each to the connection's agency, so a user name is
 * unique within an agency and a token or session finds only its own agency's user. */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "clock.h"
#include "pg_int.h"
#include "sql.h"

_Static_assert(PG_X_USERS + SU_COUNT <= PG_STMT_MAX, "this file's statements fit its slots");

/* Run statement id with p; for a command, *changed (may be NULL) gets the rows it changed. */
static int run(struct store_pg *s, enum sql_users id, const struct pg_params *p, int64_t *changed)
{
    int rc;
    PGresult *r = pg_run(s, PG_X_USERS + (int)id, sql_users[id], p, &rc);
    if (r != NULL && changed != NULL)
        *changed = strtoll(PQcmdTuples(r), NULL, 10);
    PQclear(r);
    return rc;
}

/* Statement id with the one parameter v. */
static int run_str(struct store_pg *s, enum sql_users id, const char *v, int64_t *changed)
{
    struct pg_params p = {0};
    pg_param_str(&p, v);
    return run(s, id, &p, changed);
}

static int run_id(struct store_pg *s, enum sql_users id, int64_t v, int64_t *changed)
{
    struct pg_params p = {0};
    pg_param_i64(&p, v);
    return run(s, id, &p, changed);
}

static int pg_user_add(struct hc_store *st, const struct store_user *u, const char *actor,
                       int64_t *user_id)
{
    return pg_add_audited(st, PG_X_USERS + SU_USER_INSERT, sql_users[SU_USER_INSERT], NULL, 0,
                          &sf_user_rec, u, actor, "user.create", "user", user_id);
}

static int pg_user_get(struct hc_store *st, const char *name, struct hc_arena *a,
                       struct store_user *out)
{
    struct pg_params p = {0};
    pg_param_str(&p, name);
    return pg_read_rec(pgs(st), PG_X_USERS + SU_USER_BY_NAME, sql_users[SU_USER_BY_NAME], &p, a,
                       &sf_user_rec, out);
}

static int pg_user_list(struct hc_store *st, struct hc_arena *a, struct store_user **out,
                        size_t *n)
{
    void *rows = NULL;
    int rc = pg_read_recs(pgs(st), PG_X_USERS + SU_USER_ALL, sql_users[SU_USER_ALL], NULL, a,
                          &sf_user_rec, &rows, n);
    if (rc == HC_OK)
        *out = rows;
    return rc;
}

/* Append the audit entry action on "user" with payload pl (released here). */
static int audit_user(struct hc_store *st, const char *actor, const char *action, json_t *pl)
{
    int rc = pl != NULL ? pg_audit_append(st, actor, action, "user", pl) : HC_ENOMEM;
    json_decref(pl);
    return rc;
}

static int pg_user_disable(struct hc_store *st, const char *name, const char *actor)
{
    struct store_pg *s = pgs(st);
    int64_t changed = 0;
    int rc;

    if ((rc = store_begin(st)) != HC_OK)
        return rc;
    rc = run_str(s, SU_USER_DISABLE, name, &changed);
    if (rc == HC_OK && changed == 0)
        rc = HC_ENOENT;
    if (rc == HC_OK)
        rc = audit_user(st, actor, "user.disable", json_pack("{s:s}", "name", name));
    return pg_tx_leave(s, rc);
}

static int pg_user_reset(struct hc_store *st, const char *name, const char *password_hash,
                         int revoke_tokens, const char *actor, int64_t *tokens,
                         int64_t *sessions)
{
    struct store_pg *s = pgs(st);
    struct pg_params p = {0};
    PGresult *r;
    int64_t uid;
    int rc;

    *tokens = *sessions = 0;
    if ((rc = store_begin(st)) != HC_OK)
        return rc;
    pg_param_str(&p, name);
    if ((r = pg_run(s, PG_X_USERS + SU_USER_ID, sql_users[SU_USER_ID], &p, &rc)) == NULL)
        return pg_tx_leave(s, rc);
    if (PQntuples(r) != 1) {
        PQclear(r);
        return pg_tx_leave(s, HC_ENOENT);
    }
    uid = strtoll(PQgetvalue(r, 0, 0), NULL, 10);
    PQclear(r);
    if (password_hash != NULL) {
        p.n = 0;
        pg_param_str(&p, password_hash);
        pg_param_i64(&p, uid);
        rc = run(s, SU_USER_SET_PASSWORD, &p, NULL);
    }
    if (rc == HC_OK && revoke_tokens)
        rc = run_id(s, SU_TOKENS_OF_USER_DELETE, uid, tokens);
    if (rc == HC_OK)
        rc = run_id(s, SU_SESSIONS_OF_USER_DELETE, uid, sessions);
    if (rc == HC_OK)
        rc = audit_user(st, actor, password_hash != NULL ? "user.password" : "user.revoke",
                        json_pack("{s:s,s:b,s:I,s:I}", "name", name, "password_replaced",
                                  password_hash != NULL, "tokens_revoked", (json_int_t)*tokens,
                                  "sessions_ended", (json_int_t)*sessions));
    return pg_tx_leave(s, rc);
}

static int pg_token_add(struct hc_store *st, int64_t user_id, const char *token_hash,
                        const char *actor)
{
    struct store_pg *s = pgs(st);
    struct pg_params p = {0};
    char at[HC_CLOCK_UTC_LEN], entity[48];
    PGresult *r;
    json_t *pl;
    int rc;

    if ((rc = store_begin(st)) != HC_OK)
        return rc;
    hc_clock_utc(hc_clock_now(), at);
    pg_param_str(&p, token_hash);
    pg_param_i64(&p, user_id);
    pg_param_str(&p, at);
    if ((r = pg_run(s, PG_X_USERS + SU_TOKEN_INSERT, sql_users[SU_TOKEN_INSERT], &p, &rc)) == NULL)
        return pg_tx_leave(s, rc);
    /* The hash is not secret, but the log has no use for it: the token's row id will do. */
    pl = json_pack("{s:I,s:I}", "token_id", (json_int_t)strtoll(PQgetvalue(r, 0, 0), NULL, 10),
                   "user_id", (json_int_t)user_id);
    PQclear(r);
    snprintf(entity, sizeof entity, "user/%" PRId64, user_id);
    rc = pl != NULL ? pg_audit_append(st, actor, "token.create", entity, pl) : HC_ENOMEM;
    json_decref(pl);
    return pg_tx_leave(s, rc);
}

static int pg_token_user(struct hc_store *st, const char *token_hash, struct hc_arena *a,
                         struct store_user *out)
{
    struct store_pg *s = pgs(st);
    struct pg_params p = {0};
    int64_t token_id;
    PGresult *r;
    int rc, oom = 0, touch;

    pg_param_str(&p, token_hash);
    if ((r = pg_run(s, PG_X_USERS + SU_TOKEN_USER, sql_users[SU_TOKEN_USER], &p, &rc)) == NULL)
        return rc;
    if (PQntuples(r) != 1) {
        PQclear(r);
        return HC_ENOENT;
    }
    pg_fill_fields(r, 0, 0, a, out, &sf_user_rec, &oom);
    token_id = strtoll(PQgetvalue(r, 0, 6), NULL, 10);
    touch = sf_token_touch_now(st, PQgetisnull(r, 0, 7) ? NULL : PQgetvalue(r, 0, 7),
                               token_id);
    PQclear(r);
    if (oom)
        return HC_ENOMEM;
    if (touch)
        pg_token_touch(s, token_id);
    return HC_OK;
}

void pg_token_touch(struct store_pg *s, int64_t id)
{
    struct pg_params p = {0};
    char now[HC_CLOCK_UTC_LEN];
    hc_clock_utc(hc_clock_now(), now);
    pg_param_str(&p, now);
    pg_param_i64(&p, id);
    run(s, SU_TOKEN_TOUCH, &p, NULL); /* best effort: a busy database must not refuse a token */
}

static int pg_session_add(struct hc_store *st, int64_t user_id, const char *id_hash,
                          const char *expires_at)
{
    struct pg_params p = {0};
    char at[HC_CLOCK_UTC_LEN];
    hc_clock_utc(hc_clock_now(), at);
    pg_param_str(&p, id_hash);
    pg_param_i64(&p, user_id);
    pg_param_str(&p, at);
    pg_param_str(&p, expires_at);
    return run(pgs(st), SU_SESSION_INSERT, &p, NULL);
}

/* The session's id_hash and now, the parameters of SU_SESSION_USER and SU_SESSION_DELETE (now:
 * the caller's buffer, which must outlive the statement). */
static void session_params(struct pg_params *p, const char *id_hash, char now[HC_CLOCK_UTC_LEN])
{
    hc_clock_utc(hc_clock_now(), now);
    pg_param_str(p, id_hash);
    pg_param_str(p, now);
}

static int pg_session_user(struct hc_store *st, const char *id_hash, struct hc_arena *a,
                           struct store_user *out)
{
    struct pg_params p = {0};
    char now[HC_CLOCK_UTC_LEN];
    session_params(&p, id_hash, now);
    return pg_read_rec(pgs(st), PG_X_USERS + SU_SESSION_USER, sql_users[SU_SESSION_USER], &p, a,
                       &sf_user_rec, out);
}

static int pg_session_delete(struct hc_store *st, const char *id_hash)
{
    struct pg_params p = {0};
    char now[HC_CLOCK_UTC_LEN];
    session_params(&p, id_hash, now);
    return run(pgs(st), SU_SESSION_DELETE, &p, NULL);
}

const struct store_users_ops pg_users_ops = {
    STORE_USERS_OPS(PG_OP)
};
