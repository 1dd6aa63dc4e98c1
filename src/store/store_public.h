/* SPDX-License-Identifier: MIT
 * store_public.h: the public portal's rows (docs/public.md): the publication policy as stored,
 * public search and export, the facility status line, subscriptions, the events and deliveries
 * queued for them, and snapshot records. What the policy lets anyone see or hear of is decided
 * above the store (src/app/publish.c, src/app/booking.c). */
#ifndef HC_STORE_PUBLIC_H
#define HC_STORE_PUBLIC_H

#include "store_conn.h"

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
    const char *first;          /* folded first-name prefix (needs last), or NULL */
    const char *dob;            /* YYYY-MM-DD, or NULL */
    const char *facility;       /* exact, or NULL */
    const char *custody_status; /* "in_custody", "released" or NULL */
    int by_name;                /* order by name key, then person, then booking (newest
                                 * first); else by booking, newest first */
    int has_after;              /* continue after the row of booking after_id */
    int64_t after_id;
    int limit;                  /* 1..1000 rows */
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
    const char *channel;           /* "email" or "webhook" */
    const char *target;
    unsigned events;               /* STORE_EVT_* */
    int advance_days;              /* 1..30 */
    const char *lang;              /* "en" or "es" */
    const char *secret;            /* webhooks: HMAC key, hex; NULL for email */
    const char *confirm_token;     /* random, caller-made */
    const char *unsubscribe_token; /* random, caller-made */
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

/* The public portal and subscriptions operations of a backend (contracts: the wrappers below). */
struct store_public_ops {
    int (*public_policy_get)(struct hc_store *st, struct hc_arena *a,
                             struct store_public_policy *out);
    int (*public_policy_fields)(struct hc_store *st, unsigned *fields);
    int (*public_policy_set)(struct hc_store *st, const struct store_public_policy *p,
                             const char *actor);
    int (*public_search)(struct hc_store *st, const struct store_public_query *q,
                         struct hc_arena *a, struct store_public_row **out, size_t *n);
    int (*public_export)(struct hc_store *st, const struct store_public_query *q,
                         store_public_row_cb cb, void *ctx);
    int (*public_status)(struct hc_store *st, struct hc_arena *a,
                         struct store_facility_status **out, size_t *n, const char **overall);
    int (*public_status_scan)(struct hc_store *st, int *changed);
    int (*namekey_backfill)(struct hc_store *st, int64_t *filled);
    int (*facility_touch)(struct hc_store *st, const char *facility, const char *at);
    int (*event_add)(struct hc_store *st, int64_t booking_id, const char *kind, const char *data,
                     const char *at, const char *dedupe, int64_t *event_id);
    int (*event_deliver)(struct hc_store *st, int64_t event_id, int64_t booking_id, unsigned evt,
                         const char *at, int64_t *queued);
    int (*subscription_add)(struct hc_store *st, const struct store_subscription *sub,
                            int64_t *delivery_id);
    int (*subscription_confirm)(struct hc_store *st, const char *token, const char *created_after,
                                struct hc_arena *a, struct store_subscription_info *out);
    int (*subscription_unsubscribe)(struct hc_store *st, const char *token, int64_t *cancelled);
    int (*delivery_requeue)(struct hc_store *st, int64_t *n);
    int (*delivery_claim)(struct hc_store *st, const char *now, struct hc_arena *a,
                          struct store_delivery_job *out);
    int (*delivery_finish)(struct hc_store *st, int64_t id, enum store_delivery_result r,
                           const char *next_attempt_at, const char *error);
    int (*delivery_list)(struct hc_store *st, const char *status, int64_t after_id, int limit,
                         struct hc_arena *a, struct store_delivery_row **out, size_t *n);
    int (*advance_scan)(struct hc_store *st, const char *today, int64_t *queued);
    int (*snapshot_put)(struct hc_store *st, const struct store_snapshot *snap);
    int (*snapshot_list)(struct hc_store *st, struct hc_arena *a, struct store_snapshot **out,
                         size_t *n);
    int (*snapshot_delete)(struct hc_store *st, const char *date);
};

/* The publication policy (strings in a). */
static inline int store_public_policy_get(struct hc_store *st, struct hc_arena *a,
                                          struct store_public_policy *out)
{
    return st->pub->public_policy_get(st, a, out);
}

/* The policy's fields alone (STORE_PUB_*) into *fields (OUT), needing no arena. */
static inline int store_public_policy_fields(struct hc_store *st, unsigned *fields)
{
    return st->pub->public_policy_fields(st, fields);
}

/* Replace the policy's fields, recent_days and release_elsewhere; derive the agency's
 * release_dates_public from it; audit "publication.update"; all in one transaction. HC_EINVAL
 * for a field bit or day count out of range. */
static inline int store_public_policy_set(struct hc_store *st, const struct store_public_policy *p,
                                          const char *actor)
{
    return st->pub->public_policy_set(st, p, actor);
}

/* At most q->limit bookings of the public population matching q, in q's order (arrays and
 * strings in a). Reads only: call inside store_read_begin for one snapshot with the policy. */
static inline int store_public_search(struct hc_store *st, const struct store_public_query *q,
                                      struct hc_arena *a, struct store_public_row **out, size_t *n)
{
    return st->pub->public_search(st, q, a, out, n);
}

/* Call cb with every booking of the public population matching q (q->limit, the cursor and
 * the order are ignored: by id), in one read transaction. Returns 0, cb's non-zero return, or
 * a store error. */
static inline int store_public_export(struct hc_store *st, const struct store_public_query *q,
                                      store_public_row_cb cb, void *ctx)
{
    return st->pub->public_export(st, q, cb, ctx);
}

/* Per facility, when its data last changed (by facility name), and *overall the newest of
 * them (NULL when none). Strings in a. */
static inline int store_public_status(struct hc_store *st, struct hc_arena *a,
                                      struct store_facility_status **out, size_t *n,
                                      const char **overall)
{
    return st->pub->public_status(st, a, out, n, overall);
}

/* Record facilities whose bookings or charges were added since the last scan as changed now.
 * *changed (OUT) gets how many facilities were touched. */
static inline int store_public_status_scan(struct hc_store *st, int *changed)
{
    return st->pub->public_status_scan(st, changed);
}

/* Fill people.name_key where it is NULL (rows written before migration 4), in batches of
 * their own transactions. *filled (OUT) gets the number of people updated. */
static inline int store_namekey_backfill(struct hc_store *st, int64_t *filled)
{
    return st->pub->namekey_backfill(st, filled);
}

/* Record that facility's data changed at `at` (UTC), for the status line. A row operation:
 * call it inside the transaction of the change (store_begin). */
static inline int store_facility_touch(struct hc_store *st, const char *facility, const char *at)
{
    return st->pub->facility_touch(st, facility, at);
}

/* Write an event of kind ("released", "transferred", "release_date", "advance_notice") about
 * booking_id, with data (a JSON object, as text; internal: deliveries filter it by the policy
 * before sending) and created_at `at`. With a dedupe key (or NULL) there is at most one event
 * per key: *event_id (OUT) is then 0 when one exists already, and nothing is written. A row
 * operation: call it inside the transaction of the change that raises the event (store_begin),
 * so a restart loses no event. Which events a change raises is src/app/booking.c's. */
static inline int store_event_add(struct hc_store *st, int64_t booking_id, const char *kind,
                                  const char *data, const char *at, const char *dedupe,
                                  int64_t *event_id)
{
    return st->pub->event_add(st, booking_id, kind, data, at, dedupe, event_id);
}

/* Queue a delivery of event event_id, due at `at`, to each confirmed subscription of booking
 * booking_id whose events include evt (one STORE_EVT_ bit). *queued (OUT) grows by the
 * deliveries written. A row operation, as store_event_add; whether the policy lets anyone hear
 * of the event is the caller's to check first (publish_allows, src/app/publish.h). */
static inline int store_event_deliver(struct hc_store *st, int64_t event_id, int64_t booking_id,
                                      unsigned evt, const char *at, int64_t *queued)
{
    return st->pub->event_deliver(st, event_id, booking_id, evt, at, queued);
}

/* Subscribe (double opt-in): unless the same booking, channel and target already has a
 * confirmed subscription (then nothing is written and *delivery_id is 0), write or refresh
 * the pending subscription with sub's tokens, secret, events and language, and queue its
 * confirmation message; audit "subscription.create" without the target. *delivery_id (OUT)
 * gets the confirmation's delivery. HC_ENOENT when there is no such booking. */
static inline int store_subscription_add(struct hc_store *st, const struct store_subscription *sub,
                                         int64_t *delivery_id)
{
    return st->pub->subscription_add(st, sub, delivery_id);
}

/* Confirm the subscription whose confirmation token is token, if it was created after
 * created_after (UTC; pending subscriptions expire) or is already confirmed. HC_ENOENT
 * otherwise (unsubscribed ones too). Audited "subscription.confirm" when it changes. */
static inline int store_subscription_confirm(struct hc_store *st, const char *token,
                                             const char *created_after, struct hc_arena *a,
                                             struct store_subscription_info *out)
{
    return st->pub->subscription_confirm(st, token, created_after, a, out);
}

/* End the subscription whose unsubscribe token is token, cancelling its pending deliveries
 * (*cancelled, OUT). Idempotent; HC_ENOENT for an unknown token. */
static inline int store_subscription_unsubscribe(struct hc_store *st, const char *token,
                                                 int64_t *cancelled)
{
    return st->pub->subscription_unsubscribe(st, token, cancelled);
}

/* Put deliveries left "sending" by a stopped process back to "pending" (*n, OUT). Call once at
 * startup, before any store_delivery_claim: this is the at-least-once step. */
static inline int store_delivery_requeue(struct hc_store *st, int64_t *n)
{
    return st->pub->delivery_requeue(st, n);
}

/* Claim the pending delivery due soonest at or before now (UTC): mark it "sending", count the
 * attempt, commit, and fill *out (strings in a). HC_ENOENT when none is due. */
static inline int store_delivery_claim(struct hc_store *st, const char *now, struct hc_arena *a,
                                       struct store_delivery_job *out)
{
    return st->pub->delivery_claim(st, now, a, out);
}

/* Record how a claimed delivery went (next_attempt_at for RETRY, error: what failed, or
 * NULL), in one transaction with its consequences (confirming or ending the subscription). */
static inline int store_delivery_finish(struct hc_store *st, int64_t id,
                                        enum store_delivery_result r, const char *next_attempt_at,
                                        const char *error)
{
    return st->pub->delivery_finish(st, id, r, next_attempt_at, error);
}

/* At most limit (1..500) deliveries with id > after_id, oldest first, optionally of one status
 * (NULL: any). Never the target. */
static inline int store_delivery_list(struct hc_store *st, const char *status, int64_t after_id,
                                      int limit, struct hc_arena *a,
                                      struct store_delivery_row **out, size_t *n)
{
    return st->pub->delivery_list(st, status, after_id, limit, a, out, n);
}

/* Queue an advance notice for each confirmed subscription that wants one, whose booking is in
 * custody with a scheduled release date between today and today + advance_days, once per
 * subscription and date. *queued (OUT). Whether the policy publishes scheduled releases is the
 * caller's to check first (booking_advance_scan, src/app/booking.h). */
static inline int store_advance_scan(struct hc_store *st, const char *today, int64_t *queued)
{
    return st->pub->advance_scan(st, today, queued);
}

/* Record (or replace) the snapshot of snap->date. */
static inline int store_snapshot_put(struct hc_store *st, const struct store_snapshot *snap)
{
    return st->pub->snapshot_put(st, snap);
}

/* Every recorded snapshot, newest first (in a). */
static inline int store_snapshot_list(struct hc_store *st, struct hc_arena *a,
                                      struct store_snapshot **out, size_t *n)
{
    return st->pub->snapshot_list(st, a, out, n);
}

/* Forget the snapshot of date (0 also when there was none). */
static inline int store_snapshot_delete(struct hc_store *st, const char *date)
{
    return st->pub->snapshot_delete(st, date);
}

#endif
