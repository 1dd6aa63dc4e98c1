/* SPDX-License-Identifier: MIT
 * store_users.h: users, API tokens and web sessions. Secrets are never stored: callers pass the
 * argon2id hash of a password and the BLAKE2b hash (hex) of a token or session id. */
#ifndef HC_STORE_USERS_H
#define HC_STORE_USERS_H

#include "store_conn.h"
#include "rows_users.h"

/* The users, tokens and sessions operations of a backend (contracts: the wrappers below). */
struct store_users_ops {
    int (*user_add)(struct hc_store *st, const struct store_user *u, const char *actor,
                    int64_t *user_id);
    int (*user_get)(struct hc_store *st, const char *name, struct hc_arena *a,
                    struct store_user *out);
    int (*user_list)(struct hc_store *st, struct hc_arena *a, struct store_user **out, size_t *n);
    int (*user_disable)(struct hc_store *st, const char *name, const char *actor);
    int (*user_reset)(struct hc_store *st, const char *name, const char *password_hash,
                      int revoke_tokens, const char *actor, int64_t *tokens, int64_t *sessions);
    int (*token_add)(struct hc_store *st, int64_t user_id, const char *token_hash,
                     const char *actor);
    int (*token_user)(struct hc_store *st, const char *token_hash, struct hc_arena *a,
                      struct store_user *out);
    int (*session_add)(struct hc_store *st, int64_t user_id, const char *id_hash,
                       const char *expires_at);
    int (*session_user)(struct hc_store *st, const char *id_hash, struct hc_arena *a,
                        struct store_user *out);
    int (*session_delete)(struct hc_store *st, const char *id_hash);
};

/* The operation names in table order. A backend fills its table with STORE_USERS_OPS(its own
 * naming macro, e.g. SQ_OP), so an operation it lacks fails to compile, never stays NULL. */
#define STORE_USERS_OPS(OP) OP(user_add) OP(user_get) OP(user_list) OP(user_disable) \
    OP(user_reset) OP(token_add) OP(token_user) OP(session_add) OP(session_user) \
    OP(session_delete)

/* Add user u (id, created_at ignored) with an audit entry "user.create". *user_id (OUT).
 * STORE_ECONFLICT when the name exists; HC_EINVAL when the schema refuses the role or name. */
static inline int store_user_add(struct hc_store *st, const struct store_user *u,
                                 const char *actor, int64_t *user_id)
{
    return st->users->user_add(st, u, actor, user_id);
}

/* The user named name (strings in a), disabled or not. HC_ENOENT when there is none. */
static inline int store_user_get(struct hc_store *st, const char *name, struct hc_arena *a,
                                 struct store_user *out)
{
    return st->users->user_get(st, name, a, out);
}

/* Every user, by name (arrays and strings in a; password_hash is NULL). */
static inline int store_user_list(struct hc_store *st, struct hc_arena *a,
                                  struct store_user **out, size_t *n)
{
    return st->users->user_list(st, a, out, n);
}

/* Disable the user named name (its tokens and sessions stop working), with an audit entry
 * "user.disable". HC_ENOENT when there is no such user. */
static inline int store_user_disable(struct hc_store *st, const char *name, const char *actor)
{
    return st->users->user_disable(st, name, actor);
}

/* Reset the credentials of the user named name, in one transaction with an audit entry: with
 * password_hash (argon2id, auth_password_hash) the password is replaced ("user.password");
 * with revoke_tokens every API token is deleted ("user.revoke"; both when both are asked).
 * Either way every session of theirs ends, so a stolen session cookie dies with the old
 * password. *tokens and *sessions (OUT) get how many were deleted. HC_ENOENT when there is no
 * such user. Nothing else about the user changes (a disabled user stays disabled). */
static inline int store_user_reset(struct hc_store *st, const char *name,
                                   const char *password_hash, int revoke_tokens,
                                   const char *actor, int64_t *tokens, int64_t *sessions)
{
    return st->users->user_reset(st, name, password_hash, revoke_tokens, actor, tokens, sessions);
}

/* Store the hash of a new API token of user user_id, with an audit entry "token.create". */
static inline int store_token_add(struct hc_store *st, int64_t user_id, const char *token_hash,
                                  const char *actor)
{
    return st->users->token_add(st, user_id, token_hash, actor);
}

/* The enabled user whose API token hashes to token_hash; records the token's last use (at
 * most once a minute). HC_ENOENT when no enabled user has that token. */
static inline int store_token_user(struct hc_store *st, const char *token_hash,
                                   struct hc_arena *a, struct store_user *out)
{
    return st->users->token_user(st, token_hash, a, out);
}

/* Store a web session (the hash of its random id) for user_id until expires_at (UTC,
 * "YYYY-MM-DDTHH:MM:SSZ"). */
static inline int store_session_add(struct hc_store *st, int64_t user_id, const char *id_hash,
                                    const char *expires_at)
{
    return st->users->session_add(st, user_id, id_hash, expires_at);
}

/* The enabled user of the unexpired session whose id hashes to id_hash. HC_ENOENT otherwise. */
static inline int store_session_user(struct hc_store *st, const char *id_hash,
                                     struct hc_arena *a, struct store_user *out)
{
    return st->users->session_user(st, id_hash, a, out);
}

/* End the session whose id hashes to id_hash (also removes expired sessions). 0 if none. */
static inline int store_session_delete(struct hc_store *st, const char *id_hash)
{
    return st->users->session_delete(st, id_hash);
}

#endif
