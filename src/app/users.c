/* SPDX-License-Identifier: MIT
 * users.c: users and their credentials (users.h). */
#include "users.h"

#include <sodium.h>
#include <string.h>
#include <strings.h>

#include "store.h"

int users_who(struct hc_store *st, const char *hash, int by_token, struct hc_arena *a,
              struct store_user *out)
{
    return by_token ? store_token_user(st, hash, a, out) : store_session_user(st, hash, a, out);
}

int users_login(struct hc_store *st, const char *name, const char *password, int64_t seconds,
                struct hc_arena *a, struct users_login *out)
{
    char hash[AUTH_HASH_HEX_LEN];
    int rc;

    memset(out, 0, sizeof *out);
    rc = store_user_get(st, name, a, &out->user);
    if (rc == HC_ENOENT) {
        /* Spend what a verification would, so the answer's timing does not tell which names
         * exist. */
        char waste[AUTH_PWHASH_LEN];
        auth_password_hash(password, waste);
    }
    /* One answer for an unknown name, a wrong password and a disabled user. */
    if (rc == HC_ENOENT ||
        (rc == HC_OK && (out->user.disabled ||
                         !auth_password_verify(out->user.password_hash, password)))) {
        out->refused = 1;
        return HC_OK;
    }
    if (rc != HC_OK)
        return rc;
    auth_new_secret(out->secret);
    auth_secret_hash(out->secret, strlen(out->secret), hash);
    hc_clock_utc(hc_clock_now() + seconds, out->expires);
    if ((rc = store_session_add(st, out->user.id, hash, out->expires)) != HC_OK)
        sodium_memzero(out->secret, sizeof out->secret);
    return rc;
}

int users_logout(struct hc_store *st, const char *secret)
{
    char hash[AUTH_HASH_HEX_LEN];
    auth_secret_hash(secret, strlen(secret), hash);
    return store_session_delete(st, hash);
}

int users_list(struct hc_store *st, struct hc_arena *a, struct store_user **out, size_t *n)
{
    return store_user_list(st, a, out, n);
}

/* The actors the program writes into the audit log on its own account. A user bearing one
 * could pass their actions off as the program's, so none may be created; compared without
 * case, since "Public" reads as "public" in a listing. */
static const char *const reserved_names[] = {
    "public",   /* a subscriber confirming or ending a subscription (sqlite_public.c) */
    "delivery", /* the delivery thread's outcomes (sqlite_public.c) */
    "cli",      /* holdcheck user, holdcheck import's default --actor */
    "demo",     /* holdcheck demo */
    "import",   /* kept for imports, and */
    "system",   /* for the server's own scheduled work */
};

int users_name_reserved(const char *name)
{
    size_t i;
    for (i = 0; i < sizeof reserved_names / sizeof reserved_names[0]; i++)
        if (strcasecmp(name, reserved_names[i]) == 0)
            return 1;
    return 0;
}

int users_create(struct hc_store *st, const char *name, const char *role, const char *actor,
                 struct users_new *out, struct hc_diag *d)
{
    char pwhash[AUTH_PWHASH_LEN], thash[AUTH_HASH_HEX_LEN];
    struct store_user u;
    int64_t id = 0;
    int rc;

    if (users_name_reserved(name)) {
        sodium_memzero(out, sizeof *out);
        return hc_diag_set(d, "name", "reserved: the audit log uses it for the program's own "
                                      "actions", NULL);
    }
    auth_new_password(out->password);
    auth_new_secret(out->token);
    auth_secret_hash(out->token, strlen(out->token), thash);
    if ((rc = auth_password_hash(out->password, pwhash)) != HC_OK)
        goto fail;
    memset(&u, 0, sizeof u);
    u.name = name;
    u.role = role;
    u.password_hash = pwhash;
    if ((rc = store_begin(st)) != HC_OK)
        goto fail;
    if ((rc = store_user_add(st, &u, actor, &id)) != HC_OK ||
        (rc = store_token_add(st, id, thash, actor)) != HC_OK ||
        (rc = store_commit(st)) != HC_OK) {
        store_rollback(st);
        if (rc == STORE_ECONFLICT)
            hc_diag_set(d, "name", "a user with this name already exists", NULL);
        goto fail;
    }
    return HC_OK;
fail:
    sodium_memzero(out, sizeof *out);
    return rc;
}

int users_disable(struct hc_store *st, const char *name, const char *actor)
{
    return store_user_disable(st, name, actor);
}

int users_password_reset(struct hc_store *st, const char *name, const char *actor,
                         char password[AUTH_PASSWORD_LEN], int64_t *sessions)
{
    char hash[AUTH_PWHASH_LEN];
    int64_t tokens = 0;
    int rc;
    auth_new_password(password);
    if ((rc = auth_password_hash(password, hash)) != HC_OK)
        return rc;
    return store_user_reset(st, name, hash, 0, actor, &tokens, sessions);
}

int users_revoke(struct hc_store *st, const char *name, const char *actor, int64_t *tokens,
                 int64_t *sessions)
{
    return store_user_reset(st, name, NULL, 1, actor, tokens, sessions);
}

int users_password_change(struct hc_store *st, const char *name, const char *current,
                          const char *new_password, struct hc_arena *a, int *wrong,
                          int64_t *sessions)
{
    char hash[AUTH_PWHASH_LEN];
    struct store_user u;
    int64_t tokens = 0;
    int rc;
    *wrong = 0;
    if ((rc = store_user_get(st, name, a, &u)) != HC_OK)
        return rc;
    if (!auth_password_verify(u.password_hash, current)) {
        *wrong = 1;
        return HC_OK;
    }
    if ((rc = auth_password_hash(new_password, hash)) != HC_OK)
        return rc;
    return store_user_reset(st, name, hash, 0, name, &tokens, sessions);
}
