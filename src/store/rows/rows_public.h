/* SPDX-License-Identifier: MIT
 * rows_public.h: the publication policy as stored, its field and event bits, public search queries
 * and rows, facility status, subscriptions, deliveries and snapshots, as holdcheck's layers pass
 * them around. Types only: the operations on them are store_public.h's, which includes this
 * header. Code that must not call the store (src/http) sees these through src/store/rows alone. */
#ifndef HC_ROWS_PUBLIC_H
#define HC_ROWS_PUBLIC_H

#include <stddef.h>
#include <stdint.h>

/* The fields an agency may publish: bits of store_public_policy.fields. Stored in the
 * database, so never renumbered. Nothing immigration-related has a bit, nor ever will. */
enum store_pub_field {
    STORE_PUB_NAME = 1 << 0,
    STORE_PUB_BOOKING_NO = 1 << 1,
    STORE_PUB_BOOKING_DATE = 1 << 2,
    STORE_PUB_CHARGES = 1 << 3,
    STORE_PUB_BAIL = 1 << 4,
    STORE_PUB_NEXT_COURT_DATE = 1 << 5,
    STORE_PUB_FACILITY = 1 << 6,
    STORE_PUB_CUSTODY_STATUS = 1 << 7,
    STORE_PUB_SCHEDULED_RELEASE = 1 << 8,
    STORE_PUB_RECENTLY_RELEASED = 1 << 9
};

#define STORE_PUB_ALL 0x3ffu

/* The changes one may subscribe to: bits of store_subscription.events. Stored; never
 * renumbered. */
enum store_pub_event {
    STORE_EVT_RELEASED = 1 << 0,     /* status became released */
    STORE_EVT_TRANSFERRED = 1 << 1,  /* facility changed */
    STORE_EVT_RELEASE_DATE = 1 << 2, /* scheduled release set or changed while in custody */
    STORE_EVT_ADVANCE = 1 << 3       /* advance_days before the scheduled release date */
};

#define STORE_EVT_ALL 0xfu

/* The publication policy: one row. Setting it also sets agency_settings.release_dates_public
 * to (fields has STORE_PUB_SCHEDULED_RELEASE) || release_elsewhere, in the same transaction,
 * so the engine reads what is really public (docs/public.md, "Legal effect"). */
struct store_public_policy {
    unsigned fields;        /* STORE_PUB_* */
    int recent_days;        /* 1..90: "recently released" means released within this many days */
    int release_elsewhere;  /* the agency makes release dates public by other means too */
    /* Read back only: */
    int64_t version;        /* 1, then +1 on every change of the policy */
    const char *updated_at; /* NULL until first set */
    const char *updated_by;
    int release_dates_public; /* the agency_settings flags the engine reads */
    int personal_info_public;
};

/* Which bookings a public search or export sees, and how to page. Strings are borrowed. */
struct store_public_query {
    unsigned fields;            /* the policy's: recently released bookings are listed only
                                 * with STORE_PUB_RECENTLY_RELEASED */
    const char *released_since; /* YYYY-MM-DD: released on or after it count as recent */
    const char *booking_no;     /* exact, or NULL */
    const char *last;           /* folded last-name prefix (hc_namekey_fold), or NULL */
    int last_whole;             /* last is the whole last name, not a prefix of it */
    const char *first;          /* folded first-name prefix (needs last), or NULL */
    const char *dob;            /* YYYY-MM-DD, or NULL */
    const char *facility;       /* exact, or NULL */
    const char *custody_status; /* "in_custody", "released" or NULL */
    int by_name;                /* order by name key, then person, then booking (newest
                                 * first); else by booking, newest first */
    int has_after;              /* continue after the row of booking after_id */
    int64_t after_id;
    int limit;                  /* 1..1000 rows */
    int max_names;              /* with last and first: at most this many distinct last names
                                 * visited for one page (1..100000); more: HC_ERANGE */
};

struct store_public_charge {
    const char *citation;
    const char *status; /* "pending" or "convicted" (dismissed charges are never read) */
};

/* One booking as the public side reads it: every publishable column. Callers show only what
 * the policy publishes (src/app/publish.c). */
struct store_public_row {
    int64_t booking_id;
    const char *booking_no, *name, *name_key, *date_of_birth, *booked_at, *facility, *status;
    const char *scheduled_release, *released_at, *next_court_date;
    int has_bail;  /* bail is set */
    int64_t bail;  /* whole dollars; -1: held without bail */
    struct store_public_charge *charges;
    size_t ncharges;
};

/* Called by store_public_export with each row (valid until it returns). Non-zero stops. */
typedef int (*store_public_row_cb)(void *ctx, const struct store_public_row *r);

struct store_facility_status {
    const char *facility;
    const char *changed_at; /* YYYY-MM-DDTHH:MM:SSZ */
};

/* A subscription request. target (an email address or a URL) is confidential: the store
 * never writes it to the audit log, and no public answer reads it. */
struct store_subscription {
    const char *booking_no;
    const char *channel;           /* "email", "webhook" or "sms" */
    const char *target;            /* sms: the number in E.164 */
    unsigned events;               /* STORE_EVT_* */
    int advance_days;              /* 1..30 */
    const char *lang;              /* "en", "es", "zh", "tl", "vi" or "ko" */
    const char *secret;            /* webhooks: HMAC key, hex; NULL for email */
    const char *confirm_token;     /* random, caller-made */
    const char *unsubscribe_token; /* random, caller-made */
    /* The caller's limits on a new subscription (0: none): the live (pending or confirmed)
     * subscriptions of this channel and target, and the pending ones of this booking. */
    int max_per_target;
    int max_pending_per_booking;
};

struct store_subscription_info {
    int64_t id;
    const char *booking_no;
    unsigned events;
    int advance_days;
    const char *state; /* "pending", "confirmed" or "unsubscribed" */
};

/* One delivery to make, claimed by store_delivery_claim: the event and its subscription. */
struct store_delivery_job {
    int64_t id, event_id, subscription_id;
    int attempts;             /* including this one */
    const char *kind;         /* "confirm", "released", "transferred", "release_date",
                               * "advance_notice" */
    const char *event_data;   /* JSON object, internal: filter by the policy before sending */
    const char *event_at;     /* when the event happened, UTC */
    const char *booking_no;
    const char *channel, *target, *secret, *lang, *sub_state;
    const char *confirm_token, *unsubscribe_token;
    const char *person_name;  /* the person's name, internal: told only when the policy
                               * publishes names */
};

/* The pending SMS subscription a confirmation code is tried against
 * (store_subscription_code_try); strings in the caller's arena. */
struct store_code_try {
    int64_t id;
    const char *confirm_token, *unsubscribe_token;
    int tries; /* the codes tried, this one included */
};

/* The reply owed to a number that opted out (store_sms_stop), claimed to be sent. */
struct store_sms_reply {
    int64_t id;
    const char *target; /* E.164 */
    const char *lang;
    int attempts;       /* including this one */
};

enum store_delivery_result {
    STORE_DELIVERY_DELIVERED = 1, /* acknowledged by the receiver */
    STORE_DELIVERY_CONFIRMED,     /* acknowledged, and a webhook echoed its challenge: the
                                   * subscription is confirmed too */
    STORE_DELIVERY_RETRY,         /* failed; try again at next_attempt_at */
    STORE_DELIVERY_FAILED,        /* failed for good */
    STORE_DELIVERY_CANCELLED,     /* not sent: unsubscribed, or no longer published */
    STORE_DELIVERY_GONE           /* the receiver said 410 Gone: failed, and unsubscribe */
};

/* A delivery as GET /api/v1/deliveries lists it: never the subscriber's address. */
struct store_delivery_row {
    int64_t id, event_id, subscription_id;
    const char *kind, *channel, *booking_no, *status, *next_attempt_at, *last_error;
    const char *delivered_at, *created_at;
    int attempts;
};

/* A daily snapshot of the public export, as recorded (the files are the server's). */
struct store_snapshot {
    const char *date;         /* YYYY-MM-DD, local */
    const char *generated_at; /* UTC */
    int64_t rows;
    unsigned fields;          /* the policy's fields when it was made */
    int64_t policy_version;
};

#endif
