/* SPDX-License-Identifier: MIT
 * rows_users.h: a user of the server, as holdcheck's layers pass them around. Types only: the
 * operations on them are store_users.h's, which includes this header. Code that must not call the
 * store (src/http) sees these through src/store/rows alone. */
#ifndef HC_ROWS_USERS_H
#define HC_ROWS_USERS_H

#include <stddef.h>
#include <stdint.h>

/* A user of the server. Roles are "clerk", "supervisor", "auditor", "admin". */
struct store_user {
    int64_t id;
    const char *name;          /* 1-64 of A-Z a-z 0-9 . _ - @, unique */
    const char *role;
    const char *password_hash; /* crypto_pwhash_str (argon2id) output; never the password */
    const char *created_at;    /* read back only */
    int disabled;
};

#endif
