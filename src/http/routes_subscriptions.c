/* SPDX-License-Identifier: MIT
 * routes_subscriptions.c: subscriptions to changes of a public booking (docs/public-api.md):
 * subscribe, confirm, unsubscribe, and the GET links in messages, which only redirect to the
 * page so that a mail scanner following them changes nothing. */
#include <arpa/inet.h>
#include <h2o.h>
#include <jansson.h>
#include <sodium.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>

#include "clock.h"
#include "http_int.h"
#include "ident.h"
#include "portal.h"
#include "publish.h"

#define NKEYS(a) (sizeof a / sizeof a[0])
#define PENDING_DAYS 7           /* an unconfirmed subscription expires */
#define TOKEN_HEX 64             /* confirm and unsubscribe tokens: 32 random bytes, hex */

static int valid_token(const char *s, size_t n)
{
    size_t i;
    if (n != TOKEN_HEX)
        return 0;
    for (i = 0; i < n; i++)
        if (!((s[i] >= '0' && s[i] <= '9') || (s[i] >= 'a' && s[i] <= 'f')))
            return 0;
    return 1;
}

static int valid_email(const char *s)
{
    const char *at = strrchr(s, '@'), *p;
    size_t n = strlen(s), label = 0;
    if (n < 3 || n > 254 || at == NULL || at == s || at - s > 64 || at[1] == '\0')
        return 0;
    for (p = s; p < at; p++)
        if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') ||
              strchr(".!#$%&'*+/=?^_`{|}~-", *p) != NULL))
            return 0;
    if (s[0] == '.' || at[-1] == '.')
        return 0;
    for (p = at + 1; *p; p++) {
        if (*p == '.') {
            if (label == 0)
                return 0;
            label = 0;
        } else if ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
                   (*p >= '0' && *p <= '9') || *p == '-') {
            if (++label > 63)
                return 0;
        } else {
            return 0;
        }
    }
    return label > 0;
}

/* Whether an IPv4 address (network order bytes) is loopback, private, link-local or
 * otherwise not a public host. */
static int private_v4(const unsigned char *a)
{
    return a[0] == 0 || a[0] == 10 || a[0] == 127 || (a[0] == 169 && a[1] == 254) ||
           (a[0] == 172 && (a[1] & 0xf0) == 16) || (a[0] == 192 && a[1] == 168) ||
           (a[0] == 100 && (a[1] & 0xc0) == 64) || a[0] >= 224;
}

/* Check a webhook URL: http://HOST[:PORT][/PATH], HOST a name, an IPv4 address or [IPv6];
 * an address literal that is not public is refused unless allowed. */
static int check_url(const char *u, int allow_private, struct hc_diag *d)
{
    const char *h, *p;
    size_t n = strlen(u), i;
    if (n > 2048)
        return hc_diag_set(d, "url", "longer than 2048 bytes", NULL);
    for (i = 0; i < n; i++)
        if ((unsigned char)u[i] <= 0x20 || (unsigned char)u[i] >= 0x7f)
            return hc_diag_set(d, "url", "only printable ASCII, no spaces", NULL);
    if (strncasecmp(u, "https://", 8) == 0)
        return hc_diag_set(d, "url", "https webhooks are not supported by this server yet; use "
                           "http:// behind a TLS proxy of your own", NULL);
    if (strncasecmp(u, "http://", 7) != 0)
        return hc_diag_set(d, "url", "expected an http:// URL", NULL);
    h = u + 7;
    if (*h == '[') {
        p = strchr(h, ']');
        if (p == NULL || p == h + 1)
            return hc_diag_set(d, "url", "bad IPv6 host", NULL);
        p++;
    } else {
        for (p = h; *p && *p != ':' && *p != '/' && *p != '?' && *p != '#'; p++)
            if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') ||
                  *p == '.' || *p == '-'))
                return hc_diag_set(d, "url", "bad host name", NULL);
        if (p == h)
            return hc_diag_set(d, "url", "no host", NULL);
    }
    if (*p == ':') {
        long port = 0;
        const char *q = p + 1;
        while (*q >= '0' && *q <= '9' && port <= 65535)
            port = port * 10 + (*q++ - '0');
        if (q == p + 1 || port < 1 || port > 65535 || (*q && *q != '/' && *q != '?'))
            return hc_diag_set(d, "url", "bad port", NULL);
    }
    if (strchr(u, '#') != NULL)
        return hc_diag_set(d, "url", "no fragment (#) in a webhook URL", NULL);
    if (!allow_private) {
        unsigned char a4[4];
        char host[300];
        size_t hl = (size_t)(p - h);
        if (hl < sizeof host) {
            memcpy(host, h, hl);
            host[hl] = '\0';
            if (host[0] == '[' || strcasecmp(host, "localhost") == 0 ||
                (inet_pton(AF_INET, host, a4) == 1 && private_v4(a4)))
                return hc_diag_set(d, "url", "webhooks to loopback or private addresses are not "
                                   "allowed on this server", NULL);
        }
    }
    return HC_OK;
}

static const char *const subscribe_keys[] = {"booking_no", "channel", "address", "url",
                                             "events", "advance_days", "lang"};

static int h_subscribe(struct http_call *c)
{
    struct store_public_policy p;
    struct store_public_query q;
    struct store_public_row *rows = NULL;
    struct store_subscription sub;
    struct hc_diag d;
    json_t *root, *ev, *v;
    unsigned char rnd[32];
    char ctok[TOKEN_HEX + 1], utok[TOKEN_HEX + 1], secret[TOKEN_HEX + 1], since[11];
    char out[1024];
    int64_t delivery = 0;
    size_t n = 0, i;
    int rc, email;

    if (!http__admit(c->req, HTTP_SUBSCRIBE_COST))
        return HC_OK;
    hc_diag_clear(&d);
    hc_arena_reset(&c->w->arena);
    memset(&sub, 0, sizeof sub);
    if ((root = http__parse_body(c->req, &d)) == NULL) {
        http__problem_rc(c->req, HC_EINVAL, &d);
        return HC_OK;
    }
    if ((rc = http__check_keys(root, "", subscribe_keys, NKEYS(subscribe_keys), &d)) != HC_OK ||
        (rc = http__get_str(root, "", "booking_no", 1, 40, HTTP_K_TEXT, &sub.booking_no, &d)) ||
        (rc = http__get_str(root, "", "channel", 1, 16, HTTP_K_TEXT, &sub.channel, &d)) ||
        (rc = http__get_str(root, "", "lang", 0, 8, HTTP_K_TEXT, &sub.lang, &d)))
        goto out;
    if (!hc_booking_no_valid(sub.booking_no, strlen(sub.booking_no))) {
        rc = hc_diag_set(&d, "booking_no", HC_BOOKING_NO_RULE, NULL);
        goto out;
    }
    email = strcmp(sub.channel, "email") == 0;
    if (!email && strcmp(sub.channel, "webhook") != 0) {
        rc = hc_diag_set(&d, "channel", "expected email or webhook", NULL);
        goto out;
    }
    if (json_object_get(root, email ? "url" : "address") != NULL) {
        rc = hc_diag_set(&d, email ? "url" : "address",
                         email ? "an email subscription takes address, not url"
                               : "a webhook subscription takes url, not address", NULL);
        goto out;
    }
    if (email) {
        if ((rc = http__get_str(root, "", "address", 1, 254, HTTP_K_TEXT, &sub.target, &d)))
            goto out;
        if (!valid_email(sub.target)) {
            rc = hc_diag_set(&d, "address", "expected an email address", NULL);
            goto out;
        }
    } else {
        if ((rc = http__get_str(root, "", "url", 1, 2048, HTTP_K_TEXT, &sub.target, &d)) ||
            (rc = check_url(sub.target, http__pub ? http__pub->allow_private : 0, &d)))
            goto out;
    }
    if (sub.lang == NULL)
        sub.lang = "en";
    if (strcmp(sub.lang, "en") != 0 && strcmp(sub.lang, "es") != 0) {
        rc = hc_diag_set(&d, "lang", "expected en or es", NULL);
        goto out;
    }
    sub.advance_days = 3;
    if ((v = json_object_get(root, "advance_days")) != NULL) {
        if (!json_is_integer(v) || json_integer_value(v) < 1 || json_integer_value(v) > 30) {
            rc = hc_diag_set(&d, "advance_days", "expected a whole number from 1 to 30", NULL);
            goto out;
        }
        sub.advance_days = (int)json_integer_value(v);
    }
    if ((rc = http__read_policy(c, &p)) != HC_OK) {
        json_decref(root);
        return HC_OK;
    }
    if ((rc = http__get_array(root, "", "events", 4, &ev, &d)) != HC_OK)
        goto out;
    if (ev == NULL) {
        sub.events = publish_events(p.fields);
    } else {
        json_array_foreach(ev, i, v) {
            char f[40];
            unsigned bit = json_is_string(v) ? publish_event_bit(json_string_value(v)) : 0;
            snprintf(f, sizeof f, "events[%zu]", i);
            if (bit == 0) {
                rc = hc_diag_set(&d, f, "expected released, transferred, release_date or "
                                 "advance_notice", NULL);
                goto out;
            }
            if (!publish_allows(p.fields, PUBLISH_EVENT, bit)) {
                rc = hc_diag_set(&d, f, "this agency does not publish what this event would tell",
                                 NULL);
                goto out;
            }
            sub.events |= bit;
        }
    }
    if (!publish_allows(p.fields, PUBLISH_FILTER, PUBLISH_BY_BOOKING_NO)) {
        rc = hc_diag_set(&d, "booking_no", "booking numbers are not published by this agency",
                         NULL);
        rc = HC_ENOENT;
        goto out;
    }
    if (sub.events == 0) {
        rc = hc_diag_set(&d, "events", "no event to subscribe to", NULL);
        goto out;
    }
    /* Only bookings the public can see may be subscribed to. */
    publish_query_init(&p, hc_clock_now(), since, &q);
    q.booking_no = sub.booking_no;
    q.limit = 1;
    if ((rc = store_public_search(c->w->st, &q, &c->w->arena, &rows, &n)) != HC_OK)
        goto out;
    if (n == 0) {
        hc_diag_set(&d, "booking_no", "no such booking in the public list", NULL);
        rc = HC_ENOENT;
        goto out;
    }
    randombytes_buf(rnd, sizeof rnd);
    sodium_bin2hex(ctok, sizeof ctok, rnd, sizeof rnd);
    randombytes_buf(rnd, sizeof rnd);
    sodium_bin2hex(utok, sizeof utok, rnd, sizeof rnd);
    randombytes_buf(rnd, sizeof rnd);
    sodium_bin2hex(secret, sizeof secret, rnd, sizeof rnd);
    sodium_memzero(rnd, sizeof rnd);
    sub.confirm_token = ctok;
    sub.unsubscribe_token = utok;
    sub.secret = email ? NULL : secret;
    rc = store_subscription_add(c->w->st, &sub, &delivery);
    if (rc == HC_ENOENT)
        hc_diag_set(&d, "booking_no", "no such booking in the public list", NULL);
    if (rc != HC_OK)
        goto out;
    {
        struct hc_buf b;
        hc_buf_init(&b, out, sizeof out);
        hc_buf_puts(&b, "{\"status\":\"pending_confirmation\",\"booking_no\":");
        http__put_jstr(&b, sub.booking_no);
        hc_buf_puts(&b, ",\"channel\":");
        http__put_jstr(&b, sub.channel);
        hc_buf_puts(&b, ",\"events\":");
        http__put_names(&b, sub.events, 1);
        hc_buf_puts(&b, ",\"advance_days\":");
        hc_buf_putu(&b, (unsigned long)sub.advance_days);
        if (!email) {
            /* Shown once; when the URL was already confirmed this key is not stored, so the
             * answer looks the same whether or not it was (docs/public-api.md). */
            hc_buf_puts(&b, ",\"secret\":\"whsec_");
            hc_buf_puts(&b, secret);
            hc_buf_putc(&b, '"');
        }
        hc_buf_putc(&b, '}');
        http__respond(c->req, 202, "application/json", b.data, b.len);
    }
out:
    sodium_memzero(secret, sizeof secret);
    if (rc != HC_OK)
        http__problem_rc(c->req, rc, &d);
    json_decref(root);
    return HC_OK;
}

/* The token of the path, or NULL after answering 400. */
static const char *param_token(struct http_call *c)
{
    if (c->param_len >= sizeof c->param || !valid_token(c->param, c->param_len)) {
        http__problem(c->req, 400, "bad token: expected 64 lower-case hex digits", "token");
        return NULL;
    }
    return c->param;
}

static int h_confirm(struct http_call *c)
{
    struct store_subscription_info info;
    struct hc_diag d;
    const char *tok;
    char cutoff[HC_CLOCK_UTC_LEN], out[512];
    struct hc_buf b;
    int rc;
    if (!http__admit(c->req, 1) || (tok = param_token(c)) == NULL)
        return HC_OK;
    hc_diag_clear(&d);
    hc_arena_reset(&c->w->arena);
    hc_clock_utc(hc_clock_now() - PENDING_DAYS * 86400, cutoff);
    rc = store_subscription_confirm(c->w->st, tok, cutoff, &c->w->arena, &info);
    if (rc == HC_ENOENT)
        hc_diag_set(&d, "token", "unknown, expired or ended subscription", NULL);
    if (rc != HC_OK) {
        http__problem_rc(c->req, rc, &d);
        return HC_OK;
    }
    hc_buf_init(&b, out, sizeof out);
    hc_buf_puts(&b, "{\"confirmed\":true,\"booking_no\":");
    http__put_jstr(&b, info.booking_no);
    hc_buf_puts(&b, ",\"events\":");
    http__put_names(&b, info.events, 1);
    hc_buf_putc(&b, '}');
    http__respond(c->req, 200, "application/json", b.data, b.len);
    return HC_OK;
}

static int h_unsubscribe(struct http_call *c)
{
    struct hc_diag d;
    const char *tok;
    int64_t cancelled = 0;
    int rc;
    if (!http__admit(c->req, 1) || (tok = param_token(c)) == NULL)
        return HC_OK;
    hc_diag_clear(&d);
    rc = store_subscription_unsubscribe(c->w->st, tok, &cancelled);
    if (rc == HC_ENOENT)
        hc_diag_set(&d, "token", "unknown subscription", NULL);
    if (rc != HC_OK) {
        http__problem_rc(c->req, rc, &d);
        return HC_OK;
    }
    http__respond(c->req, 200, "application/json", "{\"unsubscribed\":true}", 21);
    return HC_OK;
}

/* GET of a token link: the page does the POST, so a mail scanner's GET changes nothing. */
static void redirect_to_page(struct http_call *c, const char *what)
{
    const char *tok;
    char loc[120];
    if (!http__admit(c->req, 1) || (tok = param_token(c)) == NULL)
        return;
    snprintf(loc, sizeof loc, "/?%s=%s", what, tok);
    http__add_header(c->req, H2O_TOKEN_LOCATION, h2o_strdup(&c->req->pool, loc, SIZE_MAX).base);
    http__add_header(c->req, H2O_TOKEN_CACHE_CONTROL, "no-store");
    http__add_header_str(c->req, "x-content-type-options", "nosniff");
    http__add_header_str(c->req, "referrer-policy", "no-referrer");
    c->req->res.status = 303;
    c->req->res.reason = "See Other";
    c->req->res.content_length = 0;
    h2o_send_inline(c->req, "", 0);
}

static int h_confirm_get(struct http_call *c)
{
    redirect_to_page(c, "confirm");
    return HC_OK;
}
static int h_unsubscribe_get(struct http_call *c)
{
    redirect_to_page(c, "unsubscribe");
    return HC_OK;
}

const struct http_route http_subscription_routes[] = {
    {"POST", "/api/v1/public/subscriptions", HTTP_ANYONE, HTTP_BODY_JSON, h_subscribe},
    {"POST", "/api/v1/public/subscriptions/confirm/{token}", HTTP_ANYONE, HTTP_BODY_NONE,
     h_confirm},
    {"GET", "/api/v1/public/subscriptions/confirm/{token}", HTTP_ANYONE, HTTP_BODY_NONE,
     h_confirm_get},
    {"POST", "/api/v1/public/subscriptions/unsubscribe/{token}", HTTP_ANYONE, HTTP_BODY_NONE,
     h_unsubscribe},
    {"GET", "/api/v1/public/subscriptions/unsubscribe/{token}", HTTP_ANYONE, HTTP_BODY_NONE,
     h_unsubscribe_get},
};
const size_t http_subscription_nroutes = sizeof http_subscription_routes / sizeof http_subscription_routes[0];
