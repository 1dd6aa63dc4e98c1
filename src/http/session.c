/* SPDX-License-Identifier: MIT
 * session.c: who sent a request. API clients send "Authorization: Bearer TOKEN"; the web pages
 * carry the hc_session cookie set by POST /api/v1/session. Only hashes of either secret are
 * stored, so the lookup hashes what was sent. Cookie-authenticated writes must also pass the
 * CSRF check (http__csrf_ok). */
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "auth.h"
#include "http_int.h"

#define SECRET_MAX 128 /* longer credentials cannot be ours; refused without a lookup */

static int header(h2o_req_t *req, const h2o_token_t *tok, h2o_iovec_t *out)
{
    ssize_t i = h2o_find_header(&req->headers, tok, -1);
    if (i < 0)
        return 0;
    *out = req->headers.entries[i].value;
    return 1;
}

int http__session_cookie(h2o_req_t *req, char *out, size_t n)
{
    static const char name[] = HTTP_SESSION_COOKIE "=";
    ssize_t i = -1;
    /* Browsers may send several Cookie headers; each holds "a=b; c=d". */
    while ((i = h2o_find_header(&req->headers, H2O_TOKEN_COOKIE, i)) >= 0) {
        h2o_iovec_t v = req->headers.entries[i].value;
        size_t p = 0;
        while (p < v.len) {
            size_t e = p, len;
            while (e < v.len && v.base[e] != ';')
                e++;
            while (p < e && v.base[p] == ' ')
                p++;
            len = e - p;
            if (len > sizeof name - 1 && memcmp(v.base + p, name, sizeof name - 1) == 0) {
                len -= sizeof name - 1;
                if (len == 0 || len >= n)
                    return HC_EINVAL;
                memcpy(out, v.base + p + sizeof name - 1, len);
                out[len] = '\0';
                return HC_OK;
            }
            p = e + 1;
        }
    }
    return HC_ENOENT;
}

static void fill(struct http_who *who, const struct store_user *u, int via_cookie)
{
    who->user_id = u->id;
    snprintf(who->name, sizeof who->name, "%s", u->name);
    who->role = auth_role_from_name(u->role);
    who->via_cookie = via_cookie;
}

int http__authenticate(h2o_req_t *req, struct http_worker *w, struct http_who *who)
{
    char mem[2048], secret[SECRET_MAX + 1], hash[AUTH_HASH_HEX_LEN];
    struct hc_arena a;
    struct store_user u;
    h2o_iovec_t v;
    int rc;

    memset(who, 0, sizeof *who);
    who->role = AUTH_PUBLIC;
    hc_arena_init(&a, mem, sizeof mem); /* not the worker's arena: the handler resets that */
    if (header(req, H2O_TOKEN_AUTHORIZATION, &v)) {
        static const char bearer[] = "Bearer ";
        size_t n;
        if (v.len <= sizeof bearer - 1 || strncasecmp(v.base, bearer, sizeof bearer - 1) != 0)
            return HC_EINVAL;
        n = v.len - (sizeof bearer - 1);
        if (n > SECRET_MAX)
            return HC_EINVAL;
        auth_secret_hash(v.base + sizeof bearer - 1, n, hash);
        rc = store_token_user(w->st, hash, &a, &u);
        if (rc == HC_OK)
            fill(who, &u, 0);
        return rc == HC_ENOENT ? HC_EINVAL : rc;
    }
    rc = http__session_cookie(req, secret, sizeof secret);
    if (rc != HC_OK)
        return rc;
    auth_secret_hash(secret, strlen(secret), hash);
    rc = store_session_user(w->st, hash, &a, &u);
    if (rc == HC_OK)
        fill(who, &u, 1);
    return rc == HC_ENOENT ? HC_EINVAL : rc;
}

int http__csrf_ok(h2o_req_t *req)
{
    h2o_iovec_t v;
    ssize_t i;
    if (h2o_find_header_by_str(&req->headers, H2O_STRLIT("x-requested-with"), -1) >= 0)
        return 1;
    /* h2o 2.2 has no token for Origin. */
    if ((i = h2o_find_header_by_str(&req->headers, H2O_STRLIT("origin"), -1)) >= 0) {
        v = req->headers.entries[i].value;
        static const char *const schemes[] = {"http://", "https://"};
        size_t k;
        for (k = 0; k < 2; k++) {
            size_t sl = strlen(schemes[k]);
            if (v.len == sl + req->authority.len && memcmp(v.base, schemes[k], sl) == 0 &&
                memcmp(v.base + sl, req->authority.base, req->authority.len) == 0)
                return 1;
        }
    }
    return 0;
}
