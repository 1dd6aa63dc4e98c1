/* SPDX-License-Identifier: MIT
 * auth.h: roles, and the secrets of users: argon2id password hashes (libsodium
 * crypto_pwhash_str), random API tokens and session ids, and the BLAKE2b-256 hashes under which
 * the store keeps them. A token or session id is shown once and never stored. Used by the HTTP
 * server and by `holdcheck user`. Thread-safe once sodium_init has run (store_sqlite_open runs
 * it). */
#ifndef HC_AUTH_H
#define HC_AUTH_H

#include <stddef.h>

/* Roles as bits, so a route can allow a set of them. AUTH_PUBLIC is "no login needed". */
enum auth_role {
    AUTH_PUBLIC = 1 << 0,
    AUTH_CLERK = 1 << 1,
    AUTH_SUPERVISOR = 1 << 2,
    AUTH_AUDITOR = 1 << 3,
    AUTH_ADMIN = 1 << 4
};

#define AUTH_PWHASH_LEN 128   /* crypto_pwhash_STRBYTES */
#define AUTH_SECRET_LEN 68    /* "hc_" + 64 hex digits + NUL: tokens and session ids */
#define AUTH_HASH_HEX_LEN 65  /* BLAKE2b-256 as hex + NUL */
#define AUTH_PASSWORD_LEN 25  /* generated passwords: 24 URL-safe base64 characters + NUL */

/* The role bit for "clerk", "supervisor", "auditor" or "admin"; 0 for anything else. */
int auth_role_from_name(const char *name);
/* The name of one role bit ("public" for AUTH_PUBLIC), or NULL. */
const char *auth_role_name(int role);

/* Hash password into out (argon2id, interactive limits). Returns 0, or HC_ENOMEM when the
 * hashing memory cannot be had. */
int auth_password_hash(const char *password, char out[AUTH_PWHASH_LEN]);
/* 1 when password matches hash, else 0 (also for a malformed hash). */
int auth_password_verify(const char *hash, const char *password);

/* A new random password (18 random bytes). */
void auth_new_password(char out[AUTH_PASSWORD_LEN]);
/* A new random token or session id: "hc_" and 32 random bytes in hex. */
void auth_new_secret(char out[AUTH_SECRET_LEN]);
/* The hex BLAKE2b-256 of secret[0..len), as the store keeps it. */
void auth_secret_hash(const char *secret, size_t len, char out[AUTH_HASH_HEX_LEN]);

#endif
