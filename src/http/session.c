/* SPDX-License-Identifier: MIT
 * session.c: who sent a request. API clients send "Authorization: Bearer TOKEN"; the web pages
 * carry the hc_session cookie set by POST /api/v1/session. Only hashes of either secret are
 * stored, so the lookup hashes what was sent. Cookie-authenticated writes must also pass the
 * CSRF check (http__csrf_ok).
 *
 * Each worker remembers the credentials it checked in the last HTTP_AUTH_CACHE_MS (5 s), by
 * their hash, so a client's burst of requests costs one database lookup, not one each. Disabling
 * a user or logging out through this server bumps auth_epoch, which empties every worker's cache
 * at once; a change made by another process (`holdcheck user disable`) or a session reaching its
 * expiry takes effect within the 5 s. */
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "auth.h"
#include "clock.h"
#include "users.h"
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
                size_t k;
                len -= sizeof name - 1;
                if (len == 0 || len >= n)
                    return HC_EINVAL;
                /* RFC 6265 4.1.1 cookie-octets only: no NUL (HTTP/2 headers may carry one)
                 * to cut the value short, no controls, spaces, quotes, commas or backslashes. */
                for (k = 0; k < len; k++) {
                    unsigned char ch = (unsigned char)v.base[p + sizeof name - 1 + k];
                    if (ch < 0x21 || ch > 0x7e || ch == '"' || ch == ',' || ch == '\\')
                        return HC_EINVAL;
                }
                memcpy(out, v.base + p + sizeof name - 1, len);
                out[len] = '\0';
                return HC_OK;
            }
            p = e + 1;
        }
    }
    return HC_ENOENT;
}

/* The cache slot of a credential hash (the hash is hex of a uniform digest: its first bytes
 * spread well). */
static struct http_auth_slot *slot_of(struct http_worker *w, const char *hash)
{
    unsigned v = 0;
    int i;
    for (i = 0; i < 4; i++)
        v = v * 16 + (unsigned)(hash[i] <= '9' ? hash[i] - '0' : hash[i] - 'a' + 10);
    return &w->auth_cache[v % HTTP_AUTH_CACHE_SLOTS];
}

/* Who hash belongs to: from the cache when it was checked lately, else from the store (and
 * then cached). by_token: a bearer token, else a session id. */
static int lookup(struct http_worker *w, const char *hash, int by_token, struct http_who *who)
{
    struct http_auth_slot *sl = slot_of(w, hash);
    unsigned epoch = atomic_load_explicit(&w->metrics->auth_epoch, memory_order_acquire);
    int64_t now = hc_clock_mono_ms();
    char mem[2048];
    struct hc_arena a;
    struct store_user u;
    int rc;

    if (sl->hash[0] != '\0' && sl->epoch == epoch && now - sl->checked_ms < HTTP_AUTH_CACHE_MS &&
        sl->who.via_cookie == !by_token && strcmp(sl->hash, hash) == 0) {
        *who = sl->who;
        return HC_OK;
    }
    hc_arena_init(&a, mem, sizeof mem); /* not the worker's arena: the handler resets that */
    rc = users_who(w->st, hash, by_token, &a, &u);
    if (rc != HC_OK)
        return rc == HC_ENOENT ? HC_EINVAL : rc;
    who->user_id = u.id;
    snprintf(who->name, sizeof who->name, "%s", u.name);
    who->role = auth_role_from_name(u.role);
    who->via_cookie = !by_token;
    memcpy(sl->hash, hash, sizeof sl->hash);
    sl->who = *who;
    sl->checked_ms = now;
    sl->epoch = epoch;
    return HC_OK;
}

void http__auth_forget(struct http_worker *w)
{
    atomic_fetch_add_explicit(&w->metrics->auth_epoch, 1, memory_order_acq_rel);
}

int http__authenticate(h2o_req_t *req, struct http_worker *w, struct http_who *who)
{
    char secret[SECRET_MAX + 1], hash[AUTH_HASH_HEX_LEN];
    h2o_iovec_t v;
    int rc;

    memset(who, 0, sizeof *who);
    who->role = AUTH_PUBLIC;
    if (header(req, H2O_TOKEN_AUTHORIZATION, &v)) {
        static const char bearer[] = "Bearer ";
        size_t n;
        if (v.len <= sizeof bearer - 1 || strncasecmp(v.base, bearer, sizeof bearer - 1) != 0)
            return HC_EINVAL;
        n = v.len - (sizeof bearer - 1);
        if (n > SECRET_MAX)
            return HC_EINVAL;
        auth_secret_hash(v.base + sizeof bearer - 1, n, hash);
        return lookup(w, hash, 1, who);
    }
    rc = http__session_cookie(req, secret, sizeof secret);
    if (rc != HC_OK)
        return rc;
    auth_secret_hash(secret, strlen(secret), hash);
    return lookup(w, hash, 0, who);
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
