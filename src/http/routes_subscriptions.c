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
#include <strings.h>

#include "clock.h"
#include "http_int.h"
#include "routes.h"
#include "ident.h"
#include "portal.h"
#include "publish.h"
#include "subscribe.h"
#include "url.h"

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
enum { S_BOOKING_NO, S_CHANNEL, S_ADDRESS, S_URL, S_EVENTS, S_ADVANCE_DAYS, S_LANG, S_PHONE };
static const struct http_field subscribe_fields[] = {
    [S_BOOKING_NO] = {"booking_no", HTTP_F_STR, 1, HTTP_K_TEXT, 0, HC_BOOKING_NO_MAX},
    [S_CHANNEL] = {"channel", HTTP_F_STR, 1, HTTP_K_TEXT, 0, 16},
    [S_ADDRESS] = {"address", HTTP_F_STR, 0, HTTP_K_TEXT, 0, 254},
    [S_URL] = {"url", HTTP_F_STR, 0, HTTP_K_TEXT, 0, 2048},
    [S_EVENTS] = {"events", HTTP_F_ARRAY, 0, HTTP_K_TEXT, 0, 4},
    [S_ADVANCE_DAYS] = {"advance_days", HTTP_F_INT, 0, HTTP_K_TEXT, 1, 30},
    [S_LANG] = {"lang", HTTP_F_STR, 0, HTTP_K_TEXT, 0, 8},
    [S_PHONE] = {"phone", HTTP_F_STR, 0, HTTP_K_TEXT, 0, 40},
};
const struct http_body subscribe_body = {subscribe_fields, 8};

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
    rq.phone = c->in[S_PHONE].s;
    rq.lang = c->in[S_LANG].s;
    rq.advance_days = (int)c->in[S_ADVANCE_DAYS].i;
    rq.events_given = c->in[S_EVENTS].given;
    for (i = 0; rq.events_given && i < json_array_size(c->in[S_EVENTS].a) && i < 4; i++)
        events[i] = json_string_value(json_array_get(c->in[S_EVENTS].a, i));
    rq.events = events;
    rq.nevents = i;
    rq.allow_private = http__pub != NULL ? http__pub->allow_private : 0;
    rq.email_off = http__pub != NULL ? http__pub->email_off : 0;
    rq.sms_off = http__pub != NULL ? http__pub->sms_off : 1;
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

/* Answer 200 {confirmed, booking_no, events} for the subscription info tells of. */
static void respond_confirmed(struct http_call *c, const struct store_subscription_info *info)
{
    char out[512];
    struct hc_buf b;
    hc_buf_init(&b, out, sizeof out);
    hc_buf_puts(&b, "{\"confirmed\":true,\"booking_no\":");
    http__put_jstr(&b, info->booking_no);
    hc_buf_puts(&b, ",\"events\":");
    http__put_names(&b, info->events, 1);
    hc_buf_putc(&b, '}');
    http__respond(c->req, 200, "application/json", b.data, b.len);
}

int h_confirm(struct http_call *c)
{
    struct store_subscription_info info;
    struct hc_diag d;
    const char *tok;
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
    respond_confirmed(c, &info);
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

/* POST /api/v1/public/subscriptions/confirm-code: {booking_no, phone, code}. */
enum { CC_BOOKING_NO, CC_PHONE, CC_CODE };
static const struct http_field confirm_code_fields[] = {
    [CC_BOOKING_NO] = {"booking_no", HTTP_F_STR, 1, HTTP_K_TEXT, 0, HC_BOOKING_NO_MAX},
    [CC_PHONE] = {"phone", HTTP_F_STR, 1, HTTP_K_TEXT, 0, 40},
    [CC_CODE] = {"code", HTTP_F_STR, 1, HTTP_K_TEXT, 0, 16},
};
const struct http_body confirm_code_body = {confirm_code_fields, 3};

int h_confirm_code(struct http_call *c)
{
    struct store_subscription_info info;
    int rc;
    hc_arena_reset(&c->w->arena);
    rc = subscribe_confirm_code(c->w->st, c->in[CC_BOOKING_NO].s, c->in[CC_PHONE].s,
                                c->in[CC_CODE].s, hc_clock_now(), &c->w->arena, &info, &c->diag);
    if (rc != HC_OK) {
        http__pub_problem_rc(c->req, rc, &c->diag);
        return HC_OK;
    }
    respond_confirmed(c, &info);
    return HC_OK;
}

/* Whether the call carries the configured secret, as "X-Holdcheck-Secret: S" or
 * "Authorization: Bearer S", compared in constant time. */
static int inbound_authentic(h2o_req_t *req)
{
    static const char xname[] = "x-holdcheck-secret";
    const char *want = http__pub != NULL ? http__pub->sms_secret : NULL;
    const char *v = NULL;
    size_t n = 0, wn;
    ssize_t i;
    if (want == NULL)
        return 0;
    wn = strlen(want);
    if ((i = h2o_find_header_by_str(&req->headers, xname, sizeof xname - 1, -1)) >= 0) {
        v = req->headers.entries[i].value.base;
        n = req->headers.entries[i].value.len;
    } else if ((i = h2o_find_header(&req->headers, H2O_TOKEN_AUTHORIZATION, -1)) >= 0 &&
               req->headers.entries[i].value.len > 7 &&
               strncasecmp(req->headers.entries[i].value.base, "Bearer ", 7) == 0) {
        v = req->headers.entries[i].value.base + 7;
        n = req->headers.entries[i].value.len - 7;
    }
    return v != NULL && n == wn && sodium_memcmp(v, want, wn) == 0;
}

/* Copy the form value of key (or of key2) in body[0..len) ("a=1&b=2", percent-encoded, '+'
 * a space) into out; 0 when found. */
static int form_value(const char *body, size_t len, const char *key, const char *key2, char *out,
                      size_t outlen)
{
    size_t i = 0;
    while (i < len) {
        size_t e = i, k = 0, eq;
        while (e < len && body[e] != '&')
            e++;
        for (eq = i; eq < e && body[eq] != '='; eq++)
            ;
        if (eq < e && ((eq - i == strlen(key) && memcmp(body + i, key, eq - i) == 0) ||
                       (eq - i == strlen(key2) && memcmp(body + i, key2, eq - i) == 0))) {
            size_t j;
            for (j = eq + 1; j < e && k + 1 < outlen; j++) {
                int hi = j + 2 < e ? hc_url_hex_value((unsigned char)body[j + 1]) : -1;
                int lo = j + 2 < e ? hc_url_hex_value((unsigned char)body[j + 2]) : -1;
                if (body[j] == '+') {
                    out[k++] = ' ';
                } else if (body[j] == '%' && hi >= 0 && lo >= 0) {
                    out[k++] = (char)(hi * 16 + lo);
                    j += 2;
                } else {
                    out[k++] = body[j];
                }
            }
            out[k] = '\0';
            return 0;
        }
        i = e + 1;
    }
    return -1;
}

/* POST /api/v1/public/sms/inbound: a message the gateway received, as JSON {"from", "text"}
 * or a form (from or From, text or Body). An opt-out word ends the number's subscriptions. */
int h_sms_inbound(struct http_call *c)
{
    h2o_req_t *req = c->req;
    const char *body = req->entity.base != NULL ? req->entity.base : "";
    size_t len = req->entity.base != NULL ? req->entity.len : 0;
    char from[64] = "", text[256] = "", out[128];
    const char *word = NULL;
    int64_t ended = 0;
    json_t *j;
    int rc;

    if (!inbound_authentic(req)) {
        http__pub_problem(req, 401, "this route takes the SMS gateway's callbacks only, with the "
                          "configured secret", NULL);
        return HC_OK;
    }
    if (len > 8192) {
        http__pub_problem(req, 413, "body too large", NULL);
        return HC_OK;
    }
    if (len > 0 && body[0] == '{') {
        j = json_loadb(body, len, 0, NULL);
        snprintf(from, sizeof from, "%s", json_string_value(json_object_get(j, "from")) != NULL
                                               ? json_string_value(json_object_get(j, "from")) : "");
        snprintf(text, sizeof text, "%s", json_string_value(json_object_get(j, "text")) != NULL
                                               ? json_string_value(json_object_get(j, "text")) : "");
        json_decref(j);
    } else {
        form_value(body, len, "from", "From", from, sizeof from);
        form_value(body, len, "text", "Body", text, sizeof text);
    }
    rc = subscribe_sms_inbound(c->w->st, from, text, &word, &ended, &c->diag);
    if (rc != HC_OK) {
        http__pub_problem_rc(req, rc, &c->diag);
        return HC_OK;
    }
    snprintf(out, sizeof out, "{\"stopped\":%s,\"subscriptions\":%lld}", word ? "true" : "false",
             (long long)ended);
    http__respond(req, 200, "application/json", out, strlen(out));
    return HC_OK;
}
