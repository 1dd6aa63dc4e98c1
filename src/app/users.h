/* SPDX-License-Identifier: MIT
 * users.h: the users of the server and their credentials, as the HTTP layer manages them:
 * who a token or session belongs to, logging in and out, an admin's user administration, and a
 * user's own password change. Secrets are made and hashed here (auth.h) and never stored; the
 * store keeps users, token hashes and session hashes (store_users.h). The failed-login throttle
 * and the login log are the caller's: these functions say what happened and let it count. */
#ifndef HC_APP_USERS_H
#define HC_APP_USERS_H

#include <stddef.h>
#include <stdint.h>

#include "arena.h"
#include "auth.h"
#include "clock.h"
#include "err.h"
#include "rows_users.h"

struct hc_store;

/* The user whose API token (by_token) or session id has the hex hash `hash` (auth_secret_hash),
 * into *out (strings in a). Returns 0; HC_ENOENT when no live token or session has that hash
 * (or its user is disabled); or a store error. */
int users_who(struct hc_store *st, const char *hash, int by_token, struct hc_arena *a,
              struct store_user *out);

/* What a login made: the session's secret (the cookie's value, shown once), when it ends, and
 * the user it is for (strings in the arena given to users_login). */
struct users_login {
    int refused;                      /* 1: unknown name, wrong password or disabled user */
    char secret[AUTH_SECRET_LEN];     /* the new session id */
    char expires[HC_CLOCK_UTC_LEN];   /* UTC */
    struct store_user user;
};

/* Log name in with password: check the password (an unknown name costs the time of a check too,
 * so timing does not tell which names exist) and start a session of `seconds` from now.
 * Returns 0 with out->refused 1 when the name is unknown, the password wrong or the user
 * disabled (no session then, and one answer for all three), or 0 with the session in *out;
 * or a store error. Strings of out->user in a. */
int users_login(struct hc_store *st, const char *name, const char *password, int64_t seconds,
                struct hc_arena *a, struct users_login *out);

/* End the session whose id (the cookie's value) is secret. Returns 0 (also when there was no
 * such session), or a store error. */
int users_logout(struct hc_store *st, const char *secret);

/* Every user, by name, into *out and *n (in a; password_hash NULL). Returns 0, or a store
 * error. */
int users_list(struct hc_store *st, struct hc_arena *a, struct store_user **out, size_t *n);

/* A new user's credentials, each shown once: the caller wipes them (sodium_memzero). */
struct users_new {
    char password[AUTH_PASSWORD_LEN];
    char token[AUTH_SECRET_LEN];
};

/* 1 when name (any case) is one the program writes as an audit actor itself (public, cli,
 * demo, system, delivery, import), which no user may have; otherwise 0. */
int users_name_reserved(const char *name);

/* Create user name with role (both already checked by the caller: hc_user_name_valid,
 * auth_role_from_name) and a generated password and API token, in one transaction with their
 * audit entries; actor is the admin. Returns 0 with the secrets in *out; HC_EINVAL with
 * d->field "name" when the name is reserved (users_name_reserved); STORE_ECONFLICT with
 * d->field "name" when the name is taken; HC_ENOMEM when the password cannot be hashed; or a
 * store error. out is wiped on failure. */
int users_create(struct hc_store *st, const char *name, const char *role, const char *actor,
                 struct users_new *out, struct hc_diag *d);

/* Disable user name (their tokens and sessions stop working). HC_ENOENT when there is no such
 * user. */
int users_disable(struct hc_store *st, const char *name, const char *actor);

/* Replace user name's password with a generated one, into password (shown once; the caller
 * wipes it), and end their sessions: *sessions (OUT) gets how many. API tokens stay.
 * HC_ENOENT when there is no such user; HC_ENOMEM when the password cannot be hashed. */
int users_password_reset(struct hc_store *st, const char *name, const char *actor,
                         char password[AUTH_PASSWORD_LEN], int64_t *sessions);

/* Revoke every API token of user name and end their sessions; *tokens and *sessions (OUT) get
 * how many. HC_ENOENT when there is no such user. */
int users_revoke(struct hc_store *st, const char *name, const char *actor, int64_t *tokens,
                 int64_t *sessions);

/* User name changes their own password from current to new_password (the caller checked its
 * length and that it differs), which ends every session of theirs; *sessions (OUT) gets how
 * many, and *wrong 1 when current is not their password (nothing changed then; a failed login
 * for the throttle). Returns 0 (also when *wrong), HC_ENOMEM when the password cannot be hashed,
 * or a store error. a holds what is read. */
int users_password_change(struct hc_store *st, const char *name, const char *current,
                          const char *new_password, struct hc_arena *a, int *wrong,
                          int64_t *sessions);

#endif
