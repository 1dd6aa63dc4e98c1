/* SPDX-License-Identifier: MIT
 * subscribe.c: the rules of a public subscription (subscribe.h). */
#include "subscribe.h"

#include <sodium.h>
#include <stdio.h>
#include <string.h>

#include "clock.h"
#include "ident.h"
#include "netio.h"
#include "publish.h"
#include "service.h"
#include "sms.h"
#include "store.h"
#include "url.h"

const char *const subscribe_langs[] = {"en", "es", "zh", "tl", "vi", "ko", NULL};
const char *const subscribe_email_langs[] = {"en", "es", "zh", "tl", "vi", "ko", NULL};

static int lang_known(const char *lang)
{
    const char *const *l;
    for (l = subscribe_langs; *l != NULL; l++)
        if (strcmp(lang, *l) == 0)
            return 1;
    return 0;
}

int subscribe_email_valid(const char *s)
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

/* Check a webhook URL: its form (hc_url_parse), then, unless allowed, that its host is public
 * in every spelling and every address its name resolves to (netio_host_public). */
static int check_url(const char *u, int allow_private, struct hc_diag *d)
{
    struct hc_url url;
    int rc;

    if ((rc = hc_url_parse(u, &url, "url", d)) != HC_OK)
        return rc;
    if (allow_private)
        return HC_OK;
    return netio_host_public(url.host, url.ipv6, "url", d);
}

/* The target fields: the channel's own is required, the others' refused. */
static int check_target_fields(const struct subscribe_request *rq, int email, int sms,
                               struct hc_diag *d)
{
    static const char *const names[3] = {"address", "phone", "url"};
    const char *given[3];
    int own = email ? 0 : sms ? 1 : 2, i;
    given[0] = rq->address;
    given[1] = rq->phone;
    given[2] = rq->url;
    for (i = 0; i < 3; i++)
        if (i != own && given[i] != NULL)
            return hc_diag_set(d, names[i], "not taken by this channel; a subscription by ",
                               email ? "email takes address" : sms ? "sms takes phone"
                                                                   : "webhook takes url");
    if (given[own] == NULL)
        return hc_diag_set(d, names[own], "required", NULL);
    return HC_OK;
}

/* 32 random bytes as lower-case hex into out. */
static void mint(char out[SUBSCRIBE_TOKEN_HEX + 1])
{
    unsigned char rnd[32];
    randombytes_buf(rnd, sizeof rnd);
    sodium_bin2hex(out, SUBSCRIBE_TOKEN_HEX + 1, rnd, sizeof rnd);
    sodium_memzero(rnd, sizeof rnd);
}

/* The events asked for, each one allowed by the policy, into *events. */
static int check_events(const struct subscribe_request *rq, unsigned fields, unsigned *events,
                        struct hc_diag *d)
{
    size_t i;
    if (!rq->events_given) {
        *events = publish_events(fields);
        return HC_OK;
    }
    *events = 0;
    for (i = 0; i < rq->nevents; i++) {
        char f[40];
        unsigned bit = rq->events[i] != NULL ? publish_event_bit(rq->events[i]) : 0;
        snprintf(f, sizeof f, "events[%zu]", i);
        if (bit == 0)
            return hc_diag_set(d, f, "expected released, transferred, release_date or "
                               "advance_notice", NULL);
        if (!publish_allows(fields, PUBLISH_EVENT, bit))
            return hc_diag_set(d, f, "this agency does not publish what this event would tell",
                               NULL);
        *events |= bit;
    }
    return HC_OK;
}

int subscribe_create(struct hc_store *st, const struct subscribe_request *rq, int64_t now,
                     struct hc_arena *scratch, struct subscribe_result *out, struct hc_diag *d)
{
    struct store_public_policy p;
    struct store_public_query q;
    struct store_public_row *rows = NULL;
    struct store_subscription sub;
    char ctok[SUBSCRIBE_TOKEN_HEX + 1], utok[SUBSCRIBE_TOKEN_HEX + 1];
    char since[HC_CLOCK_DATE_LEN], phone[SMS_E164_MAX];
    int64_t delivery = 0;
    size_t n = 0;
    int rc, email, sms;

    memset(&sub, 0, sizeof sub);
    memset(out, 0, sizeof *out);
    sub.booking_no = rq->booking_no;
    sub.channel = rq->channel;
    if (!hc_booking_no_valid(rq->booking_no, strlen(rq->booking_no)))
        return hc_diag_set(d, "booking_no", HC_BOOKING_NO_RULE, NULL);
    email = strcmp(rq->channel, "email") == 0;
    sms = strcmp(rq->channel, "sms") == 0;
    if (!email && !sms && strcmp(rq->channel, "webhook") != 0)
        return hc_diag_set(d, "channel", "expected email, sms or webhook", NULL);
    if ((rc = check_target_fields(rq, email, sms, d)) != HC_OK)
        return rc;
    if (email) {
        if (!subscribe_email_valid(rq->address))
            return hc_diag_set(d, "address", "expected an email address", NULL);
        if (rq->email_off)
            return hc_diag_set(d, "channel", "this server cannot send email: no mail relay is "
                               "set up; ask the agency, or subscribe by webhook", NULL), HC_ERANGE;
        sub.target = rq->address;
    } else if (sms) {
        if (sms_number_normalize(rq->phone, phone) != HC_OK)
            return hc_diag_set(d, "phone", "expected a telephone number, such as "
                               "(555) 010-0123 or +1 555 010 0123", NULL);
        if (rq->sms_off)
            return hc_diag_set(d, "channel", "this server cannot send SMS: no SMS gateway is "
                               "set up; ask the agency, or subscribe by email", NULL), HC_ERANGE;
        sub.target = phone;
    } else {
        if ((rc = check_url(rq->url, rq->allow_private, d)) != HC_OK)
            return rc;
        sub.target = rq->url;
    }
    sub.lang = rq->lang != NULL ? rq->lang : "en";
    if (!lang_known(sub.lang))
        return hc_diag_set(d, "lang", "expected en, es, zh, tl, vi or ko", NULL);
    sub.advance_days = rq->advance_days != 0 ? rq->advance_days : 3;
    if (sub.advance_days < 1 || sub.advance_days > 30)
        return hc_diag_set(d, "advance_days", "expected a whole number from 1 to 30", NULL);
    hc_arena_reset(scratch);
    if ((rc = store_public_policy_get(st, scratch, &p)) != HC_OK ||
        (rc = check_events(rq, p.fields, &sub.events, d)) != HC_OK)
        return rc;
    if (!publish_allows(p.fields, PUBLISH_FILTER, PUBLISH_BY_BOOKING_NO)) {
        hc_diag_set(d, "booking_no", "booking numbers are not published by this agency", NULL);
        return HC_ENOENT;
    }
    if (sub.events == 0)
        return hc_diag_set(d, "events", "no event to subscribe to", NULL);
    /* Only bookings the public can see may be subscribed to. */
    publish_query_init(&p, now, since, &q);
    q.booking_no = rq->booking_no;
    q.limit = 1;
    if ((rc = store_public_search(st, &q, scratch, &rows, &n)) != HC_OK)
        return rc;
    if (n == 0) {
        hc_diag_set(d, "booking_no", "no such booking in the public list", NULL);
        return HC_ENOENT;
    }
    mint(ctok);
    mint(utok);
    if (!email && !sms)
        mint(out->secret);
    sub.confirm_token = ctok;
    sub.unsubscribe_token = utok;
    sub.secret = email || sms ? NULL : out->secret;
    sub.max_per_target = SUBSCRIBE_PER_TARGET;
    sub.max_pending_per_booking = SUBSCRIBE_PENDING_PER_BOOKING;
    rc = service_missing(store_subscription_add(st, &sub, &delivery), d, "booking_no",
                         "no such booking in the public list");
    if (rc == HC_ERANGE)
        hc_diag_set(d, "booking_no", "too many subscriptions to this booking are waiting for "
                    "confirmation; try again later", NULL);
    if (rc != HC_OK) {
        sodium_memzero(out->secret, sizeof out->secret);
        return rc;
    }
    out->events = sub.events;
    out->advance_days = sub.advance_days;
    out->webhook = !email && !sms;
    return HC_OK;
}

int subscribe_purge(struct hc_store *st, int64_t now, int64_t *removed)
{
    char cutoff[HC_CLOCK_UTC_LEN];
    hc_clock_utc(now - (int64_t)SUBSCRIBE_PENDING_DAYS * 86400, cutoff);
    return store_subscription_purge(st, cutoff, removed);
}

int subscribe_confirm(struct hc_store *st, const char *token, int64_t now, struct hc_arena *a,
                      struct store_subscription_info *out)
{
    char cutoff[HC_CLOCK_UTC_LEN];
    hc_clock_utc(now - (int64_t)SUBSCRIBE_PENDING_DAYS * 86400, cutoff);
    return store_subscription_confirm(st, token, cutoff, a, out);
}

int subscribe_end(struct hc_store *st, const char *token, int64_t *cancelled)
{
    return store_subscription_unsubscribe(st, token, cancelled);
}

int subscribe_confirm_code(struct hc_store *st, const char *booking_no, const char *phone,
                           const char *code, int64_t now, struct hc_arena *a,
                           struct store_subscription_info *out, struct hc_diag *d)
{
    struct store_code_try t;
    char target[SMS_E164_MAX], cutoff[HC_CLOCK_UTC_LEN], want[SMS_CODE_LEN + 1];
    int64_t cancelled = 0;
    int rc;

    if (sms_number_normalize(phone, target) != HC_OK)
        return hc_diag_set(d, "phone", "expected a telephone number", NULL);
    if (strlen(code) != SMS_CODE_LEN || strspn(code, "0123456789") != SMS_CODE_LEN)
        return hc_diag_set(d, "code", "expected the 6 digits sent by SMS", NULL);
    hc_clock_utc(now - (int64_t)SUBSCRIBE_PENDING_DAYS * 86400, cutoff);
    rc = store_subscription_code_try(st, target, booking_no, cutoff, SUBSCRIBE_CODE_TRIES, a, &t);
    if (rc == HC_OK) {
        sms_code(t.confirm_token, want);
        if (sodium_memcmp(want, code, SMS_CODE_LEN) == 0) {
            rc = store_subscription_confirm(st, t.confirm_token, cutoff, a, out);
        } else {
            /* The last try ends the subscription: a new request sends a new code. */
            if (t.tries >= SUBSCRIBE_CODE_TRIES &&
                (rc = store_subscription_unsubscribe(st, t.unsubscribe_token, &cancelled)) !=
                    HC_OK)
                return rc;
            rc = HC_ENOENT;
        }
        sodium_memzero(want, sizeof want);
    }
    if (rc == HC_ENOENT)
        hc_diag_set(d, "code", "wrong or expired code; after a few wrong ones, subscribe again "
                    "for a new code", NULL);
    return rc;
}

int subscribe_sms_inbound(struct hc_store *st, const char *from, const char *text,
                          const char **word, int64_t *ended, struct hc_diag *d)
{
    char target[SMS_E164_MAX];
    *word = NULL;
    *ended = 0;
    if (sms_number_normalize(from, target) != HC_OK)
        return hc_diag_set(d, "from", "expected a telephone number", NULL);
    if ((*word = sms_stop_word(text)) == NULL)
        return HC_OK;
    return store_sms_stop(st, target, sms_stop_lang(*word), *word, ended);
}
