/* SPDX-License-Identifier: MIT
 * subscribe.h: a member of the public subscribes to changes of one public booking
 * (docs/public-api.md). The rules live here: the channel and its target (an email address,
 * refused when the server cannot send mail; or an http:// or https:// webhook whose host is
 * not loopback, private or link-local in any spelling, unless the server allows it),
 * the language, the advance notice, the events the publication policy lets anyone be told of
 * (publish_allows), and that only a booking in the public list may be named. The tokens are
 * minted here, and the store writes the pending subscription and queues its confirmation. */
#ifndef HC_SUBSCRIBE_H
#define HC_SUBSCRIBE_H

#include <stddef.h>
#include <stdint.h>

#include "arena.h"
#include "err.h"
#include "rows_public.h"

struct hc_store;

#define SUBSCRIBE_TOKEN_HEX 64 /* confirm and unsubscribe tokens: 32 random bytes, hex */

/* The languages a subscription may ask for, NULL-terminated: the six of victim notices. SMS
 * messages are written in each (sms.c); emails in English and Spanish, and in English for the
 * others (deliver.c). The public page names them from GET /info and subscribes in English when
 * its own language is not among them. Widening it needs a migration: subscriptions.lang is
 * CHECKed to these. */
extern const char *const subscribe_langs[];
/* The languages emails are written in (deliver.c), NULL-terminated: a subscription by email in
 * another of subscribe_langs gets English mail, which the page says. */
extern const char *const subscribe_email_langs[];

/* What was asked. Strings are borrowed; NULL when not given. */
struct subscribe_request {
    const char *booking_no;
    const char *channel;            /* "email", "webhook" or "sms" */
    const char *address;            /* email: the address */
    const char *url;                /* webhook: the URL */
    const char *phone;              /* sms: the number as written (sms_number_normalize) */
    const char *lang;               /* one of subscribe_langs; NULL: "en" */
    int advance_days;               /* 1..30; 0: the default, 3 */
    const char *const *events;      /* event names; an entry NULL: not a string */
    size_t nevents;
    int events_given;               /* events was sent (else: every event the policy allows) */
    int allow_private;              /* webhooks may name loopback and private hosts */
    int email_off;                  /* no mail can leave (no relay, no outbox) */
    int sms_off;                    /* no SMS can leave (no gateway) */
};

/* What was recorded, for the answer. */
struct subscribe_result {
    unsigned events;                           /* STORE_EVT_* */
    int advance_days;
    int webhook;                               /* the channel is webhook */
    char secret[SUBSCRIBE_TOKEN_HEX + 1];      /* webhook: the signing key, shown once */
};

/* Subscribe rq as of now (seconds since the epoch): check it against the rules above and the
 * policy read from st, mint the confirm and unsubscribe tokens (and a webhook's secret), and
 * write the pending subscription with its confirmation (store_subscription_add). scratch holds
 * what is read. Returns 0 and fills *out; HC_EINVAL with d naming the field at fault (events
 * as "events[i]"); HC_ERANGE with d for a well-formed target the server will not serve: field
 * "url" for a webhook host that is loopback, private or link-local (netio_host_public, which
 * may block on the resolver), field "channel" for email when rq->email_off or SMS when
 * rq->sms_off, field "booking_no"
 * when the booking has SUBSCRIBE_PENDING_PER_BOOKING subscriptions waiting; HC_ENOENT (d->field "booking_no") when the booking is not in the public
 * list or the agency publishes no booking numbers; or a store error. Not thread-safe for one
 * st (as every store call). out->secret is wiped on failure. */
int subscribe_create(struct hc_store *st, const struct subscribe_request *rq, int64_t now,
                     struct hc_arena *scratch, struct subscribe_result *out, struct hc_diag *d);

/* A target (an email address, a webhook URL) holds at most this many live subscriptions,
 * several people's; a request past it is answered as any other and writes no subscription,
 * so the answer does not tell what the target holds. */
#define SUBSCRIBE_PER_TARGET 20
/* A booking has at most this many subscriptions waiting for confirmation; past it a new one is
 * refused (HC_ERANGE, "booking_no") until some are confirmed or expire: a flood of requests
 * for one booking stays bounded. */
#define SUBSCRIBE_PENDING_PER_BOOKING 50

/* Subscriptions left unconfirmed this many days expire: their confirm token no longer works. */
#define SUBSCRIBE_PENDING_DAYS 7

/* A subscription follows its person: it is also told of the events of the person's later
 * bookings (a re-booking: the feed's "rebooked"), for this many days after it was confirmed,
 * or until it is ended. Only under a policy that publishes names, since following ties two
 * booking numbers to one person (booking.c). */
#define SUBSCRIBE_FOLLOW_DAYS 365

/* Delete the subscriptions left unconfirmed for SUBSCRIBE_PENDING_DAYS as of now (seconds since
 * the epoch), with their targets and deliveries (store_subscription_purge): an address nobody
 * confirmed is not kept. *removed (OUT) gets how many. Returns 0 or a store error. */
int subscribe_purge(struct hc_store *st, int64_t now, int64_t *removed);

/* Confirm the subscription whose confirm token is token, as of now (seconds since the epoch):
 * a pending one created within SUBSCRIBE_PENDING_DAYS becomes confirmed (a confirmed one stays
 * so). *out (OUT; strings in a) gets its booking and events. Returns 0; HC_ENOENT when the
 * token is unknown, expired or the subscription ended; or a store error. */
int subscribe_confirm(struct hc_store *st, const char *token, int64_t now, struct hc_arena *a,
                      struct store_subscription_info *out);

/* End the subscription whose unsubscribe token is token, cancelling its pending deliveries
 * (*cancelled, OUT, gets how many). Returns 0 (also when it had already ended); HC_ENOENT when
 * the token is unknown; or a store error. */
int subscribe_end(struct hc_store *st, const char *token, int64_t *cancelled);

/* Wrong codes a pending SMS subscription takes: at the last, it is ended, and a new
 * subscription (a new code) is needed. */
#define SUBSCRIBE_CODE_TRIES 5

/* Confirm the pending SMS subscription of number phone (as written) to booking booking_no with
 * the code the number was sent (sms_code), as of now (seconds since the epoch). Each try is
 * counted on the newest such subscription (store_subscription_code_try); the one that makes
 * SUBSCRIBE_CODE_TRIES wrong codes ends it. *out (OUT; strings in a) as subscribe_confirm.
 * Returns 0; HC_EINVAL with d naming "phone" or "code" when one is not a number or six digits;
 * HC_ENOENT with d naming "code" for a wrong code, no pending subscription, an expired one or
 * one out of tries alike (the answer does not tell which); or a store error. */
int subscribe_confirm_code(struct hc_store *st, const char *booking_no, const char *phone,
                           const char *code, int64_t now, struct hc_arena *a,
                           struct store_subscription_info *out, struct hc_diag *d);

/* A message the SMS gateway received from number from for this server: when text is an
 * opt-out word (sms_stop_word), end every SMS subscription of that number and queue the one
 * reply saying so (store_sms_stop; audited). *word (OUT) gets the word, or NULL when text is
 * none (nothing done); *ended (OUT) the subscriptions ended. Returns 0; HC_EINVAL with d
 * naming "from" when it is not a telephone number; or a store error. */
int subscribe_sms_inbound(struct hc_store *st, const char *from, const char *text,
                          const char **word, int64_t *ended, struct hc_diag *d);

/* Whether s is an email address a subscription (or a victim registration) takes: a local part
 * of at most 64 ASCII characters of RFC 5322's atom set, no leading or trailing dot, '@', a
 * domain of dot-separated labels; at most 254 bytes. */
int subscribe_email_valid(const char *s);

#endif
