/* SPDX-License-Identifier: MIT
 * auth.c: role names and the hashing of passwords, API tokens and session ids (auth.h). */
#include "auth.h"

#include <sodium.h>
#include <string.h>

#include "err.h"

static const struct {
    int role;
    const char *name;
} roles[] = {
    {AUTH_PUBLIC, "public"},       {AUTH_CLERK, "clerk"}, {AUTH_SUPERVISOR, "supervisor"},
    {AUTH_AUDITOR, "auditor"},     {AUTH_ADMIN, "admin"},
};

int auth_role_from_name(const char *name)
{
    size_t i;
    for (i = 1; i < sizeof roles / sizeof roles[0]; i++) /* "public" is not a user's role */
        if (strcmp(name, roles[i].name) == 0)
            return roles[i].role;
    return 0;
}

const char *auth_role_name(int role)
{
    size_t i;
    for (i = 0; i < sizeof roles / sizeof roles[0]; i++)
        if (roles[i].role == role)
            return roles[i].name;
    return NULL;
}

int auth_password_hash(const char *password, char out[AUTH_PWHASH_LEN])
{
    if (crypto_pwhash_str(out, password, strlen(password), crypto_pwhash_OPSLIMIT_INTERACTIVE,
                          crypto_pwhash_MEMLIMIT_INTERACTIVE) != 0)
        return HC_ENOMEM;
    return HC_OK;
}

int auth_password_verify(const char *hash, const char *password)
{
    if (hash == NULL || strlen(hash) >= AUTH_PWHASH_LEN)
        return 0;
    return crypto_pwhash_str_verify(hash, password, strlen(password)) == 0;
}

void auth_new_password(char out[AUTH_PASSWORD_LEN])
{
    unsigned char b[18];
    randombytes_buf(b, sizeof b);
    sodium_bin2base64(out, AUTH_PASSWORD_LEN, b, sizeof b, sodium_base64_VARIANT_URLSAFE_NO_PADDING);
}

void auth_new_secret(char out[AUTH_SECRET_LEN])
{
    unsigned char b[32];
    randombytes_buf(b, sizeof b);
    memcpy(out, "hc_", 3);
    sodium_bin2hex(out + 3, AUTH_SECRET_LEN - 3, b, sizeof b);
}

void auth_secret_hash(const char *secret, size_t len, char out[AUTH_HASH_HEX_LEN])
{
    unsigned char h[32];
    crypto_generichash(h, sizeof h, (const unsigned char *)secret, len, NULL, 0);
    sodium_bin2hex(out, AUTH_HASH_HEX_LEN, h, sizeof h);
}
