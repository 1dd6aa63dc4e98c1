/* SPDX-License-Identifier: MIT
 * routes_public.c: the public portal's records (docs/public-api.md): what the agency publishes
 * (info), the status line, search by the published fields with sealed cursors, and one
 * booking's public record. Every record is written by publish_json (src/app/publish.c) and every
 * filter is allowed or refused by publish_allows; this file decodes and encodes. */
#include <h2o.h>
#include <sodium.h>
#include <stdint.h>
#include <inttypes.h>
#include <string.h>

#include "clock.h"
#include "date.h"
#include "http_int.h"
#include "routes.h"
#include "ident.h"
#include "namekey.h"
#include "portal.h"
#include "public_read.h"
#include "publish.h"
#include "subscribe.h"

#define PAGE_DEFAULT 25
#define PAGE_MAX 100

/* ------------------------------------------------------------------------------------------ */
/* GET /api/v1/public/info and /status                                                        */

int h_info(struct http_call *c)
{
    struct store_public_policy p;
    struct hc_buf b;
    char at[HC_CLOCK_UTC_LEN];
    const struct agency_conf *ag = c->w->agency;
    const char *const *l;
    unsigned f;
    int rate, burst;
    hc_arena_reset(&c->w->arena);
    if (http__read_policy(c, &p) != HC_OK)
        return HC_OK;
    if (http__arena_buf(c->w, &b) != HC_OK) {
        http__pub_problem(c->req, 500, "internal error; see the server log", NULL);
        return HC_OK;
    }
    f = p.fields;
    http__ratelimit_figures(&rate, &burst);
    hc_clock_utc(hc_clock_now(), at);
    hc_buf_puts(&b, "{\"published\":");
    http__put_names(&b, f, 0);
    hc_buf_puts(&b, ",\"recently_released_days\":");
    hc_buf_putu(&b, (unsigned long)p.recent_days);
    hc_buf_puts(&b, ",\"search\":{\"name\":");
    http__put_bool(&b, publish_allows(f, PUBLISH_FILTER, PUBLISH_BY_NAME));
    hc_buf_puts(&b, ",\"booking_no\":");
    http__put_bool(&b, publish_allows(f, PUBLISH_FILTER, PUBLISH_BY_BOOKING_NO));
    hc_buf_puts(&b, ",\"date_of_birth\":");
    http__put_bool(&b, publish_allows(f, PUBLISH_FILTER, PUBLISH_BY_DOB));
    hc_buf_puts(&b, ",\"facility\":");
    http__put_bool(&b, publish_allows(f, PUBLISH_FILTER, PUBLISH_BY_FACILITY));
    hc_buf_puts(&b, ",\"custody_status\":");
    http__put_bool(&b, publish_allows(f, PUBLISH_FILTER, PUBLISH_BY_CUSTODY_STATUS));
    hc_buf_puts(&b, "},\"subscriptions\":{\"channels\":[\"email\",\"webhook\"");
    if (http__pub != NULL && !http__pub->sms_off)
        hc_buf_puts(&b, ",\"sms\"");
    hc_buf_puts(&b, "],\"languages\":[");
    for (l = subscribe_langs; *l != NULL; l++) {
        if (l != subscribe_langs)
            hc_buf_putc(&b, ',');
        http__put_jstr(&b, *l);
    }
    hc_buf_puts(&b, "],\"email_languages\":[");
    for (l = subscribe_email_langs; *l != NULL; l++) {
        if (l != subscribe_email_langs)
            hc_buf_putc(&b, ',');
        http__put_jstr(&b, *l);
    }
    hc_buf_puts(&b, "],\"events\":");
    http__put_names(&b, publish_events(f), 1);
    hc_buf_puts(&b, ",\"advance_days_max\":30},\"limits\":{\"page_max\":100,\"rate_per_second\":");
    hc_buf_putu(&b, (unsigned long)rate);
    hc_buf_puts(&b, ",\"burst\":");
    hc_buf_putu(&b, (unsigned long)burst);
    hc_buf_puts(&b, "},\"export\":{\"csv\":\"/api/v1/public/export.csv\",\"jsonl\":"
                    "\"/api/v1/public/export.jsonl\",\"snapshots\":\"/api/v1/public/snapshots\"}"
                    ",\"agency\":{\"name\":");
    /* The agency's public contacts, from the server's settings: nothing about any person. */
    http__put_jstr(&b, ag->name);
    hc_buf_puts(&b, ",\"phone\":");
    http__put_jstr(&b, ag->phone);
    hc_buf_puts(&b, ",\"victim_services\":{\"phone\":");
    http__put_jstr(&b, ag->victim_services_phone);
    hc_buf_puts(&b, ",\"url\":");
    http__put_jstr(&b, ag->victim_services_url);
    hc_buf_puts(&b, "}},\"generated_at\":");
    http__put_jstr(&b, at);
    hc_buf_putc(&b, '}');
    if (b.full) {
        http__pub_problem(c->req, 500, "internal error; see the server log", NULL);
        return HC_OK;
    }
    http__send_public_body(c->req, b.data, b.len, NULL);
    return HC_OK;
}

int h_status(struct http_call *c)
{
    struct store_public_policy p;
    struct store_facility_status *fs = NULL;
    const char *overall = NULL;
    struct hc_diag d;
    struct hc_buf b;
    size_t n = 0, i;
    char at[HC_CLOCK_UTC_LEN];
    int rc;

    hc_diag_clear(&d);
    hc_arena_reset(&c->w->arena);
    rc = public_read_status(c->w->st, &c->w->arena, &p, &fs, &n, &overall);
    if (rc == HC_OK)
        rc = http__arena_buf(c->w, &b);
    if (rc != HC_OK) {
        http__pub_problem_rc(c->req, rc, &d);
        return HC_OK;
    }
    hc_clock_utc(hc_clock_now(), at);
    hc_buf_puts(&b, "{\"facilities\":[");
    for (i = 0; publish_allows(p.fields, PUBLISH_SHOW, STORE_PUB_FACILITY) && i < n; i++) {
        hc_buf_puts(&b, i ? ",{\"facility\":" : "{\"facility\":");
        http__put_jstr(&b, fs[i].facility);
        hc_buf_puts(&b, ",\"data_changed_at\":");
        http__put_jstr(&b, fs[i].changed_at);
        hc_buf_putc(&b, '}');
    }
    hc_buf_puts(&b, "],\"data_changed_at\":");
    http__put_jstr(&b, overall);
    hc_buf_puts(&b, ",\"checked_at\":");
    http__put_jstr(&b, at);
    hc_buf_putc(&b, '}');
    http__send_public_body(c->req, b.data, b.len, NULL);
    return HC_OK;
}

/* ------------------------------------------------------------------------------------------ */
/* Search                                                                                     */

/* Cursors: the last row's booking id, the policy version and the order, sealed with the
 * process's key (crypto_secretbox), so they reveal nothing and cannot be forged; a restart or a
 * policy change makes them invalid. The nonce is a keyed hash of the sealed bytes, so one page
 * always gets the same cursor: its body, and so its ETag, is the same on every event loop and
 * after the cache forgets it. The same nonce only ever seals the same bytes. */
struct cursor {
    int64_t booking_id;
    int64_t policy_version;
    int32_t by_name;
};
#define CURSOR_BYTES (8 + 8 + 4)

static void cursor_seal(const struct cursor *cu, char *out, size_t n)
{
    unsigned char plain[CURSOR_BYTES], boxed[crypto_secretbox_NONCEBYTES + crypto_secretbox_MACBYTES +
                                             CURSOR_BYTES];
    int i;
    for (i = 0; i < 8; i++) {
        plain[i] = (unsigned char)((uint64_t)cu->booking_id >> (8 * i));
        plain[8 + i] = (unsigned char)((uint64_t)cu->policy_version >> (8 * i));
    }
    for (i = 0; i < 4; i++)
        plain[16 + i] = (unsigned char)((uint32_t)cu->by_name >> (8 * i));
    crypto_generichash(boxed, crypto_secretbox_NONCEBYTES, plain, sizeof plain,
                       http__pub->cursor_key, sizeof http__pub->cursor_key);
    crypto_secretbox_easy(boxed + crypto_secretbox_NONCEBYTES, plain, sizeof plain, boxed,
                          http__pub->cursor_key);
    sodium_bin2base64(out, n, boxed, sizeof boxed, sodium_base64_VARIANT_URLSAFE_NO_PADDING);
}

static int cursor_open(const char *text, struct cursor *cu)
{
    unsigned char boxed[crypto_secretbox_NONCEBYTES + crypto_secretbox_MACBYTES + CURSOR_BYTES];
    unsigned char plain[CURSOR_BYTES];
    size_t len = 0;
    uint64_t id = 0, ver = 0;
    uint32_t bn = 0;
    int i;
    if (sodium_base642bin(boxed, sizeof boxed, text, strlen(text), NULL, &len, NULL,
                          sodium_base64_VARIANT_URLSAFE_NO_PADDING) != 0 ||
        len != sizeof boxed ||
        crypto_secretbox_open_easy(plain, boxed + crypto_secretbox_NONCEBYTES,
                                   sizeof boxed - crypto_secretbox_NONCEBYTES, boxed,
                                   http__pub->cursor_key) != 0)
        return HC_EINVAL;
    for (i = 7; i >= 0; i--) {
        id = id << 8 | plain[i];
        ver = ver << 8 | plain[8 + i];
    }
    for (i = 3; i >= 0; i--)
        bn = bn << 8 | plain[16 + i];
    cu->booking_id = (int64_t)id;
    cu->policy_version = (int64_t)ver;
    cu->by_name = (int32_t)bn;
    return HC_OK;
}

enum { Q_NAME, Q_LAST, Q_FIRST, Q_BOOKING_NO, Q_DOB, Q_FACILITY, Q_STATUS, Q_LIMIT, Q_CURSOR,
       Q_N };

/* Fold a name part from a query value into out, in the arena. */
static const char *fold_part(struct hc_arena *a, const char *s, size_t n)
{
    char *out = hc_arena_alloc(a, n + 1);
    if (out == NULL || hc_namekey_fold(s, n, out, n + 1) < 0)
        return NULL;
    return out;
}

/* Check the search parameters against the policy and fill q. 0, or HC_EINVAL with d set. */
static int search_query(struct http_call *c, struct http_query_param *qp,
                        const struct store_public_policy *p, struct store_public_query *q,
                        struct hc_diag *d)
{
    struct hc_arena *a = &c->w->arena;
    int64_t lim = PAGE_DEFAULT;
    int i;

    for (i = 0; i < Q_N; i++)
        if (qp[i].present && strlen(qp[i].value) > 100)
            return hc_diag_set(d, qp[i].name, "longer than 100 bytes", NULL);
    if ((qp[Q_NAME].present || qp[Q_LAST].present || qp[Q_FIRST].present || qp[Q_DOB].present) &&
        !publish_allows(p->fields, PUBLISH_FILTER, PUBLISH_BY_NAME)) {
        const char *which = qp[Q_NAME].present ? "name" : qp[Q_LAST].present ? "last"
                            : qp[Q_FIRST].present ? "first" : "dob";
        return hc_diag_set(d, which, "names are not published by this agency", NULL);
    }
    if (qp[Q_BOOKING_NO].present &&
        !publish_allows(p->fields, PUBLISH_FILTER, PUBLISH_BY_BOOKING_NO))
        return hc_diag_set(d, "booking_no", "booking numbers are not published by this agency",
                           NULL);
    if (qp[Q_FACILITY].present &&
        !publish_allows(p->fields, PUBLISH_FILTER, PUBLISH_BY_FACILITY))
        return hc_diag_set(d, "facility", "facilities are not published by this agency", NULL);
    if (qp[Q_STATUS].present &&
        !publish_allows(p->fields, PUBLISH_FILTER, PUBLISH_BY_CUSTODY_STATUS))
        return hc_diag_set(d, "custody_status", "custody status is not published by this agency",
                           NULL);
    if (qp[Q_NAME].present && (qp[Q_LAST].present || qp[Q_FIRST].present))
        return hc_diag_set(d, "name", "give name, or last and first, not both", NULL);
    if (qp[Q_FIRST].present && !qp[Q_LAST].present)
        return hc_diag_set(d, "first", "needs last", NULL);
    if (qp[Q_DOB].present && !qp[Q_NAME].present && !qp[Q_LAST].present)
        return hc_diag_set(d, "dob", "search by date of birth needs a name (name or last)", NULL);
    if (qp[Q_NAME].present) {
        const char *v = qp[Q_NAME].value, *comma = strchr(v, ',');
        size_t ln = comma ? (size_t)(comma - v) : strlen(v);
        q->last = fold_part(a, v, ln);
        if (comma != NULL) {
            q->first = fold_part(a, comma + 1, strlen(comma + 1));
            if (q->first != NULL && q->first[0] == '\0')
                q->first = NULL;
        }
        if (q->last == NULL || q->last[0] == '\0')
            return hc_diag_set(d, "name", "the last name needs a letter or digit: 'Last, First'",
                               NULL);
    } else if (qp[Q_LAST].present) {
        q->last = fold_part(a, qp[Q_LAST].value, strlen(qp[Q_LAST].value));
        if (q->last == NULL || q->last[0] == '\0')
            return hc_diag_set(d, "last", "needs a letter or digit", NULL);
        if (qp[Q_FIRST].present) {
            q->first = fold_part(a, qp[Q_FIRST].value, strlen(qp[Q_FIRST].value));
            if (q->first == NULL || q->first[0] == '\0')
                return hc_diag_set(d, "first", "needs a letter or digit", NULL);
        }
    }
    if (qp[Q_BOOKING_NO].present) {
        if (!hc_booking_no_valid(qp[Q_BOOKING_NO].value, strlen(qp[Q_BOOKING_NO].value)))
            return hc_diag_set(d, "booking_no", HC_BOOKING_NO_RULE, NULL);
        q->booking_no = qp[Q_BOOKING_NO].value;
    }
    if (qp[Q_DOB].present) {
        hc_day day;
        if (strlen(qp[Q_DOB].value) != 10 || hc_date_parse(qp[Q_DOB].value, 10, &day) != 0)
            return hc_diag_set(d, "dob", "expected a date YYYY-MM-DD", NULL);
        q->dob = qp[Q_DOB].value;
    }
    if (qp[Q_FACILITY].present)
        q->facility = qp[Q_FACILITY].value;
    if (qp[Q_STATUS].present) {
        if (strcmp(qp[Q_STATUS].value, "in_custody") != 0 &&
            strcmp(qp[Q_STATUS].value, "released") != 0)
            return hc_diag_set(d, "custody_status", "expected in_custody or released", NULL);
        q->custody_status = qp[Q_STATUS].value;
    }
    if (qp[Q_LIMIT].present && http__query_int(&qp[Q_LIMIT], 1, PAGE_MAX, &lim, d) != HC_OK)
        return HC_EINVAL;
    q->limit = (int)lim + 1; /* one more tells whether there is a next page */
    q->by_name = publish_allows(p->fields, PUBLISH_FILTER, PUBLISH_BY_NAME);
    if (qp[Q_CURSOR].present) {
        struct cursor cu;
        if (cursor_open(qp[Q_CURSOR].value, &cu) != HC_OK || cu.policy_version != p->version ||
            cu.by_name != q->by_name || cu.booking_id <= 0)
            return hc_diag_set(d, "cursor", "expired or invalid cursor; search again", NULL);
        q->has_after = 1;
        q->after_id = cu.booking_id;
    }
    return HC_OK;
}

/* What h_search asks: its query parameters, read into the query under the policy. */
struct search_ask {
    struct http_call *c;
    struct http_query_param *qp;
};

static int search_narrow(void *ctx, const struct store_public_policy *p,
                         struct store_public_query *q, struct hc_diag *d)
{
    const struct search_ask *ask = ctx;
    return search_query(ask->c, ask->qp, p, q, d);
}

/* A search with a date of birth spends one of its last name's searches of the day from every
 * client together (dob_budget.h), before the answer cache: an answer from the cache confirms
 * or denies a date all the same. 1 when the search may go on; 0 when it was answered 429,
 * whatever the date would have matched. A search whose name or date does not read is refused
 * by search_query, uncounted. */
static int dob_allowed(struct http_call *c, const struct http_query_param *qp)
{
    const char *v, *comma;
    const char *last;
    int64_t now, wait_s;
    size_t n;
    char retry[24];

    hc_day day;

    if (!qp[Q_DOB].present || strlen(qp[Q_DOB].value) != 10 ||
        hc_date_parse(qp[Q_DOB].value, 10, &day) != 0)
        return 1; /* no date, or one search_query refuses: nothing to spend */
    if (qp[Q_NAME].present) {
        v = qp[Q_NAME].value;
        comma = strchr(v, ',');
        n = comma != NULL ? (size_t)(comma - v) : strlen(v);
    } else if (qp[Q_LAST].present) {
        v = qp[Q_LAST].value;
        n = strlen(v);
    } else {
        return 1;
    }
    if (n > 100 || (last = fold_part(&c->w->arena, v, n)) == NULL || last[0] == '\0')
        return 1;
    now = hc_clock_now();
    if (http_dob_budget_spend(c->w->dob_budget, last, now / 86400))
        return 1;
    wait_s = 86400 - now % 86400; /* the next day, UTC */
    snprintf(retry, sizeof retry, "%" PRId64, wait_s);
    http__add_header(c->req, H2O_TOKEN_RETRY_AFTER, h2o_strdup(&c->req->pool, retry, SIZE_MAX).base);
    http__pub_problem(c->req, 429,
                      "the searches with a date of birth for this last name are used up for "
                      "today, from everyone together (a date of birth can be confirmed, never "
                      "guessed); search by name alone, or again tomorrow (UTC)",
                      "dob");
    return 0;
}

int h_search(struct http_call *c)
{
    struct http_query_param qp[Q_N] = {
        {.name = "name"}, {.name = "last"}, {.name = "first"}, {.name = "booking_no"},
        {.name = "dob"}, {.name = "facility"}, {.name = "custody_status"}, {.name = "limit"},
        {.name = "cursor"},
    };
    struct search_ask ask = {c, qp};
    struct public_read_search sr;
    struct hc_diag d;
    struct hc_buf b;
    size_t n, i, shown;
    char next[128];
    int rc;

    hc_diag_clear(&d);
    hc_arena_reset(&c->w->arena);
    if ((rc = http__parse_query(c->req, qp, Q_N, &d)) != HC_OK) {
        http__pub_problem_rc(c->req, rc, &d);
        return HC_OK;
    }
    if (!dob_allowed(c, qp) || http__public_cached(c))
        return HC_OK;
    rc = public_read_search(c->w->st, hc_clock_now(), search_narrow, &ask, &c->w->arena, &sr,
                            &d);
    n = sr.nrows;
    if (rc == HC_OK)
        rc = http__arena_buf(c->w, &b);
    if (rc != HC_OK) {
        http__pub_problem_rc(c->req, rc, &d);
        return HC_OK;
    }
    shown = n < (size_t)sr.query.limit ? n : (size_t)sr.query.limit - 1;
    hc_buf_puts(&b, "{\"inmates\":[");
    for (i = 0; i < shown; i++) {
        if (i)
            hc_buf_putc(&b, ',');
        publish_json(&b, &sr.rows[i], sr.policy.fields, c->w->cat);
    }
    hc_buf_puts(&b, "],\"next_cursor\":");
    if (n > shown && shown > 0) {
        struct cursor cu = {sr.rows[shown - 1].booking_id, sr.policy.version, sr.query.by_name};
        cursor_seal(&cu, next, sizeof next);
        http__put_jstr(&b, next);
    } else {
        hc_buf_puts(&b, "null");
    }
    hc_buf_puts(&b, ",\"limit\":");
    hc_buf_putu(&b, (unsigned long)(sr.query.limit - 1));
    if (sr.suggested) {
        hc_buf_puts(&b, ",\"did_you_mean\":[");
        for (i = 0; i < sr.nsuggestions; i++) {
            if (i)
                hc_buf_putc(&b, ',');
            http__put_jstr(&b, sr.suggestions[i]);
        }
        hc_buf_putc(&b, ']');
    }
    hc_buf_putc(&b, '}');
    if (b.full) {
        hc_diag_clear(&d);
        http__pub_problem_rc(c->req, HC_ENOMEM, &d);
        return HC_OK;
    }
    http__send_public_json(c, &b);
    return HC_OK;
}

/* One booking by number (ctx), when the policy lets anyone look a booking up by its number. */
static int inmate_narrow(void *ctx, const struct store_public_policy *p,
                         struct store_public_query *q, struct hc_diag *d)
{
    (void)d;
    if (!publish_allows(p->fields, PUBLISH_FILTER, PUBLISH_BY_BOOKING_NO))
        return PUBLIC_READ_NONE;
    q->booking_no = ctx;
    q->limit = 1;
    return HC_OK;
}

int h_inmate(struct http_call *c)
{
    struct public_read_search sr;
    struct hc_diag d;
    struct hc_buf b;
    int rc;

    if (http__public_cached(c))
        return HC_OK;
    if (c->param_len >= sizeof c->param || !hc_booking_no_valid(c->param, c->param_len)) {
        http__pub_problem(c->req, 400, "bad booking number: " HC_BOOKING_NO_RULE,
                    "booking_no");
        return HC_OK;
    }
    hc_diag_clear(&d);
    hc_arena_reset(&c->w->arena);
    rc = public_read_search(c->w->st, hc_clock_now(), inmate_narrow, c->param, &c->w->arena, &sr,
                            &d);
    if (rc == HC_OK && sr.nrows == 0) {
        http__pub_problem(c->req, 404, "no such booking in the public list", "booking_no");
        return HC_OK;
    }
    if (rc == HC_OK)
        rc = http__arena_buf(c->w, &b);
    if (rc != HC_OK) {
        http__pub_problem_rc(c->req, rc, &d);
        return HC_OK;
    }
    publish_json(&b, &sr.rows[0], sr.policy.fields, c->w->cat);
    http__send_public_json(c, &b);
    return HC_OK;
}
