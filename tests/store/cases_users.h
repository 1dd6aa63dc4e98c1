/* SPDX-License-Identifier: MIT
 * cases_users.h: what the users area of the store promises (store_users.h), checked the same
 * way against each backend: test_store.c runs these on SQLite, test_pg.c on PostgreSQL. The
 * caller gives a fresh store with no users, an arena, and count(ctx, sql), which runs a
 * `SELECT count(*) ...` beside the store on the same database and returns the count. */
#ifndef HC_TEST_CASES_USERS_H
#define HC_TEST_CASES_USERS_H

#include <string.h>

#include "store.h"

typedef long long (*cases_count_fn)(void *ctx, const char *sql);

/* Users are unique by name and checked by role; listings carry no hashes; a token and a session
 * find their user until it is disabled or they expire or end; each write is audited, by its
 * actor, without a secret in the payload. */
static void cases_users(struct hc_store *st, struct hc_arena *a, cases_count_fn count,
                        void *ctx)
{
    struct store_user u, got, *list = NULL;
    const char *hash = "$argon2id$v=19$m=65536,t=2,p=1$c2FsdA$aGFzaA";
    int64_t id = 0, id2 = 0;
    size_t n = 0;

    memset(&u, 0, sizeof u);
    u.name = "alice";
    u.role = "supervisor";
    u.password_hash = hash;
    assert_int_equal(store_user_add(st, &u, "test", &id), HC_OK);
    assert_true(id > 0);
    assert_int_equal(store_user_add(st, &u, "test", &id2), STORE_ECONFLICT);
    u.name = "bob";
    u.role = "janitor";
    assert_int_equal(store_user_add(st, &u, "test", &id2), HC_EINVAL); /* CHECK on role */
    u.role = "clerk";
    assert_int_equal(store_user_add(st, &u, "test", &id2), HC_OK);
    assert_int_equal(store_user_get(st, "alice", a, &got), HC_OK);
    assert_int_equal(got.id, id);
    assert_string_equal(got.role, "supervisor");
    assert_string_equal(got.password_hash, hash);
    assert_int_equal(got.disabled, 0);
    assert_int_equal(store_user_get(st, "carol", a, &got), HC_ENOENT);
    assert_int_equal(store_user_list(st, a, &list, &n), HC_OK);
    assert_int_equal(n, 2);
    assert_string_equal(list[0].name, "alice");
    assert_string_equal(list[1].name, "bob");
    assert_null(list[0].password_hash); /* listings never carry hashes */

    /* Tokens: the hash finds the user, and its first use is recorded. */
    assert_int_equal(store_token_add(st, id, "tokenhash-1", "test"), HC_OK);
    assert_int_equal(store_token_user(st, "tokenhash-1", a, &got), HC_OK);
    assert_string_equal(got.name, "alice");
    assert_null(got.password_hash);
    assert_int_equal(count(ctx, "SELECT count(*) FROM api_tokens WHERE last_used IS NOT NULL"),
                     1);
    assert_int_equal(store_token_user(st, "tokenhash-2", a, &got), HC_ENOENT);

    /* Sessions: found until they expire or end. */
    assert_int_equal(store_session_add(st, id, "session-1", "2999-01-01T00:00:00Z"), HC_OK);
    assert_int_equal(store_session_user(st, "session-1", a, &got), HC_OK);
    assert_string_equal(got.name, "alice");
    assert_int_equal(store_session_delete(st, "session-1"), HC_OK);
    assert_int_equal(store_session_user(st, "session-1", a, &got), HC_ENOENT);
    assert_int_equal(store_session_add(st, id, "session-2", "2000-01-01T00:00:00Z"), HC_OK);
    assert_int_equal(store_session_user(st, "session-2", a, &got), HC_ENOENT); /* expired */
    assert_int_equal(store_session_delete(st, "none"), HC_OK); /* also sweeps expired ones */
    assert_int_equal(count(ctx, "SELECT count(*) FROM sessions"), 0);

    /* Disabling stops tokens and sessions. */
    assert_int_equal(store_session_add(st, id, "session-3", "2999-01-01T00:00:00Z"), HC_OK);
    assert_int_equal(store_user_disable(st, "alice", "admin-1"), HC_OK);
    assert_int_equal(store_token_user(st, "tokenhash-1", a, &got), HC_ENOENT);
    assert_int_equal(store_session_user(st, "session-3", a, &got), HC_ENOENT);
    assert_int_equal(store_user_disable(st, "carol", "admin-1"), HC_ENOENT);
    assert_int_equal(count(ctx, "SELECT count(*) FROM audit_log WHERE action = 'user.create'"),
                     2);
    assert_int_equal(count(ctx, "SELECT count(*) FROM audit_log WHERE action = 'token.create'"),
                     1);
    assert_int_equal(count(ctx, "SELECT count(*) FROM audit_log WHERE action = 'user.disable'"
                                " AND actor = 'admin-1' AND payload LIKE '%\"alice\"%'"),
                     1);
    assert_int_equal(count(ctx, "SELECT count(*) FROM audit_log WHERE payload LIKE '%argon2%'"
                                " OR payload LIKE '%tokenhash%'"),
                     0);
}

/* user_reset: a new password hash, tokens deleted on revoke, sessions ended either way, each
 * audited by its actor without the hash. */
static void cases_user_reset(struct hc_store *st, cases_count_fn count, void *ctx)
{
    struct store_user u;
    int64_t uid = 0, tokens = -1, sessions = -1;

    memset(&u, 0, sizeof u);
    u.name = "resetme";
    u.role = "clerk";
    u.password_hash = "$argon2id$old";
    assert_int_equal(store_user_add(st, &u, "test", &uid), HC_OK);
    assert_int_equal(store_token_add(st, uid, "aa", "test"), HC_OK);
    assert_int_equal(store_token_add(st, uid, "bb", "test"), HC_OK);
    assert_int_equal(store_session_add(st, uid, "s1", "2999-01-01T00:00:00Z"), HC_OK);

    assert_int_equal(store_user_reset(st, "resetme", "$argon2id$v=19$new", 0, "admin1", &tokens,
                                      &sessions),
                     HC_OK);
    assert_int_equal(tokens, 0);
    assert_int_equal(sessions, 1);
    assert_int_equal(count(ctx, "SELECT count(*) FROM users WHERE name = 'resetme' AND "
                                "password_hash = '$argon2id$v=19$new'"),
                     1);
    assert_int_equal(count(ctx, "SELECT count(*) FROM api_tokens"), 2);
    assert_int_equal(store_user_reset(st, "resetme", NULL, 1, "admin1", &tokens, &sessions),
                     HC_OK);
    assert_int_equal(tokens, 2);
    assert_int_equal(sessions, 0);
    assert_int_equal(count(ctx, "SELECT count(*) FROM api_tokens"), 0);
    assert_int_equal(count(ctx, "SELECT count(*) FROM audit_log WHERE action IN "
                                "('user.password', 'user.revoke') AND actor = 'admin1' "
                                "AND payload NOT LIKE '%argon2%'"),
                     2);
    assert_int_equal(store_user_reset(st, "nobody", NULL, 1, "admin1", &tokens, &sessions),
                     HC_ENOENT);
}

#endif
