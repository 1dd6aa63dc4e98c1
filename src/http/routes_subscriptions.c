/* SPDX-License-Identifier: MIT
 * routes_subscriptions.c: subscriptions to changes of a public booking (docs/public-api.md):
 * subscribe, confirm, unsubscribe, and the GET links in messages, which only redirect to the
 * page so that a mail scanner following them changes nothing. */
#include <h2o.h>
#include <jansson.h>
#include <sodium.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "clock.h"
#include "http_int.h"
#include "routes.h"
#include "ident.h"
#include "portal.h"
#include "publish.h"
#include "subscribe.h"

static int valid_token(const char *s, size_t n)
{
    size_t i;
    if (n != SUBSCRIBE_TOKEN_HEX)
        return 0;
    for (i = 0; i < n; i++)
        if (!((s[i] >= '0' && s[i] <= '9') || (s[i] >= 'a' && s[i] <= 'f')))
            return 0;
    return 1;
}

/* POST /api/v1/public/subscriptions: the body, decoded by the router. */
enum { S_BOOKING_NO, S_CHANNEL, S_ADDRESS, S_URL, S_EVENTS, S_ADVANCE_DAYS, S_LANG };
static const struct http_field subscribe_fields[] = {
    [S_BOOKING_NO] = {"booking_no", HTTP_F_STR, 1, HTTP_K_TEXT, 0, HC_BOOKING_NO_MAX},
    [S_CHANNEL] = {"channel", HTTP_F_STR, 1, HTTP_K_TEXT, 0, 16},
    [S_ADDRESS] = {"address", HTTP_F_STR, 0, HTTP_K_TEXT, 0, 254},
    [S_URL] = {"url", HTTP_F_STR, 0, HTTP_K_TEXT, 0, 2048},
    [S_EVENTS] = {"events", HTTP_F_ARRAY, 0, HTTP_K_TEXT, 0, 4},
    [S_ADVANCE_DAYS] = {"advance_days", HTTP_F_INT, 0, HTTP_K_TEXT, 1, 30},
    [S_LANG] = {"lang", HTTP_F_STR, 0, HTTP_K_TEXT, 0, 8},
};
const struct http_body subscribe_body = {subscribe_fields, 7};

int h_subscribe(struct http_call *c)
{
    struct subscribe_request rq;
    struct subscribe_result res;
    const char *events[4];
    char out[1024];
    struct hc_buf b;
    size_t i;
    int rc;

    memset(&rq, 0, sizeof rq);
    rq.booking_no = c->in[S_BOOKING_NO].s;
    rq.channel = c->in[S_CHANNEL].s;
    rq.address = c->in[S_ADDRESS].s;
    rq.url = c->in[S_URL].s;
    rq.lang = c->in[S_LANG].s;
    rq.advance_days = (int)c->in[S_ADVANCE_DAYS].i;
    rq.events_given = c->in[S_EVENTS].given;
    for (i = 0; rq.events_given && i < json_array_size(c->in[S_EVENTS].a) && i < 4; i++)
        events[i] = json_string_value(json_array_get(c->in[S_EVENTS].a, i));
    rq.events = events;
    rq.nevents = i;
    rq.allow_private = http__pub != NULL ? http__pub->allow_private : 0;
    rq.email_off = http__pub != NULL ? http__pub->email_off : 0;
    if ((rc = subscribe_create(c->w->st, &rq, hc_clock_now(), &c->w->arena, &res, &c->diag)))
        return rc;
    hc_buf_init(&b, out, sizeof out);
    hc_buf_puts(&b, "{\"status\":\"pending_confirmation\",\"booking_no\":");
    http__put_jstr(&b, rq.booking_no);
    hc_buf_puts(&b, ",\"channel\":");
    http__put_jstr(&b, rq.channel);
    hc_buf_puts(&b, ",\"events\":");
    http__put_names(&b, res.events, 1);
    hc_buf_puts(&b, ",\"advance_days\":");
    hc_buf_putu(&b, (unsigned long)res.advance_days);
    if (res.webhook) {
        /* Shown once; when the URL was already confirmed this key is not stored, so the
         * answer looks the same whether or not it was (docs/public-api.md). */
        hc_buf_puts(&b, ",\"secret\":\"whsec_");
        hc_buf_puts(&b, res.secret);
        hc_buf_putc(&b, '"');
    }
    hc_buf_putc(&b, '}');
    sodium_memzero(res.secret, sizeof res.secret);
    http__respond(c->req, 202, "application/json", b.data, b.len);
    sodium_memzero(out, sizeof out);
    return HC_OK;
}

/* The token of the path, or NULL after answering 400. */
static const char *param_token(struct http_call *c)
{
    return http__param_str(c, valid_token, "bad token: expected 64 lower-case hex digits",
                           "token");
}

int h_confirm(struct http_call *c)
{
    struct store_subscription_info info;
    struct hc_diag d;
    const char *tok;
    char out[512];
    struct hc_buf b;
    int rc;
    if ((tok = param_token(c)) == NULL)
        return HC_OK;
    hc_diag_clear(&d);
    hc_arena_reset(&c->w->arena);
    rc = subscribe_confirm(c->w->st, tok, hc_clock_now(), &c->w->arena, &info);
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

int h_unsubscribe(struct http_call *c)
{
    struct hc_diag d;
    const char *tok;
    int64_t cancelled = 0;
    int rc;
    if ((tok = param_token(c)) == NULL)
        return HC_OK;
    hc_diag_clear(&d);
    rc = subscribe_end(c->w->st, tok, &cancelled);
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
    if ((tok = param_token(c)) == NULL)
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

int h_confirm_get(struct http_call *c)
{
    redirect_to_page(c, "confirm");
    return HC_OK;
}
int h_unsubscribe_get(struct http_call *c)
{
    redirect_to_page(c, "unsubscribe");
    return HC_OK;
}
