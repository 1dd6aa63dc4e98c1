/* SPDX-License-Identifier: MIT
 * store_public.h: the public portal's rows (docs/public.md): the publication policy as stored,
 * public search and export, the facility status line, subscriptions, the events and deliveries
 * queued for them, and snapshot records. What the policy lets anyone see or hear of is decided
 * above the store (src/app/publish.c, src/app/booking.c). */
#ifndef HC_STORE_PUBLIC_H
#define HC_STORE_PUBLIC_H

#include "store_conn.h"
#include "rows_public.h"

/* The public portal and subscriptions operations of a backend (contracts: the wrappers below). */
struct store_public_ops {
    int (*public_policy_get)(struct hc_store *st, struct hc_arena *a,
                             struct store_public_policy *out);
    int (*public_policy_fields)(struct hc_store *st, unsigned *fields);
    int (*public_policy_set)(struct hc_store *st, const struct store_public_policy *p,
                             const char *actor);
    int (*public_search)(struct hc_store *st, const struct store_public_query *q,
                         struct hc_arena *a, struct store_public_row **out, size_t *n);
    int (*public_last_names)(struct hc_store *st, const char *prefix, int max,
                             struct hc_arena *a, char ***out, size_t *n);
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
                         const char *at, const char *follow_since, int64_t *queued);
    int (*subscription_add)(struct hc_store *st, const struct store_subscription *sub,
                            int64_t *delivery_id);
    int (*subscription_confirm)(struct hc_store *st, const char *token, const char *created_after,
                                struct hc_arena *a, struct store_subscription_info *out);
    int (*subscription_unsubscribe)(struct hc_store *st, const char *token, int64_t *cancelled);
    int (*subscription_purge)(struct hc_store *st, const char *created_before, int64_t *removed);
    int (*subscription_code_try)(struct hc_store *st, const char *target, const char *booking_no,
                                 const char *created_after, int max_tries, struct hc_arena *a,
                                 struct store_code_try *out);
    int (*sms_stop)(struct hc_store *st, const char *target, const char *lang,
                    const char *word, int64_t *ended);
    int (*sms_reply_claim)(struct hc_store *st, const char *now, struct hc_arena *a,
                           struct store_sms_reply *out);
    int (*sms_reply_finish)(struct hc_store *st, int64_t id, enum store_delivery_result r,
                            const char *next_attempt_at, const char *error);
    int (*delivery_requeue)(struct hc_store *st, int64_t *n);
    int (*delivery_claim)(struct hc_store *st, const char *now, struct hc_arena *a,
                          struct store_delivery_job *out);
    int (*delivery_finish)(struct hc_store *st, int64_t id, enum store_delivery_result r,
                           const char *next_attempt_at, const char *error);
    int (*delivery_list)(struct hc_store *st, const char *status, int64_t after_id, int limit,
                         struct hc_arena *a, struct store_delivery_row **out, size_t *n);
    int (*advance_scan)(struct hc_store *st, const char *today, const char *follow_since,
                        int64_t *queued);
    int (*snapshot_put)(struct hc_store *st, const struct store_snapshot *snap);
    int (*snapshot_list)(struct hc_store *st, struct hc_arena *a, struct store_snapshot **out,
                         size_t *n);
    int (*snapshot_delete)(struct hc_store *st, const char *date);
};

/* The operation names in table order. A backend fills its table with STORE_PUBLIC_OPS(its own
 * naming macro, e.g. SQ_OP), so an operation it lacks fails to compile, never stays NULL. */
#define STORE_PUBLIC_OPS(OP) OP(public_policy_get) OP(public_policy_fields) \
    OP(public_policy_set) OP(public_search) OP(public_last_names) OP(public_export) OP(public_status) \
    OP(public_status_scan) OP(namekey_backfill) OP(facility_touch) OP(event_add) \
    OP(event_deliver) OP(subscription_add) OP(subscription_confirm) OP(subscription_unsubscribe) \
    OP(subscription_purge) OP(subscription_code_try) OP(sms_stop) OP(sms_reply_claim) \
    OP(sms_reply_finish) \
    OP(delivery_requeue) OP(delivery_claim) OP(delivery_finish) OP(delivery_list) \
    OP(advance_scan) OP(snapshot_put) OP(snapshot_list) OP(snapshot_delete)

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
 * strings in a). Reads only: call inside store_read_begin for one snapshot with the policy.
 * HC_ERANGE when a search by last-name and first-name prefixes would visit more than
 * q->max_names distinct last names for the page. */
static inline int store_public_search(struct hc_store *st, const struct store_public_query *q,
                                      struct hc_arena *a, struct store_public_row **out, size_t *n)
{
    return st->pub->public_search(st, q, a, out, n);
}

/* The distinct last names (the folded part of people.name_key before HC_NAMEKEY_SEP) that
 * begin with the folded prefix, in key order, at most max (1..) of them, into *out and *n
 * (arrays and strings in a). Every person's, whether or not in the public population: the
 * caller checks each name against it. One index seek a name. Returns 0; HC_ERANGE when more
 * than max exist (*out then holds the first max); HC_EINVAL for max < 1 or a prefix over 500
 * bytes; or a store error. */
static inline int store_public_last_names(struct hc_store *st, const char *prefix, int max,
                                          struct hc_arena *a, char ***out, size_t *n)
{
    return st->pub->public_last_names(st, prefix, max, a, out, n);
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

/* Queue a delivery of event event_id, due at `at`, to each confirmed subscription whose events
 * include evt (one STORE_EVT_ bit): those of booking booking_id, and, when follow_since is not
 * NULL, those of the same person's earlier bookings confirmed at or after follow_since (UTC,
 * as the store writes confirmed_at), which follow the person to this booking. *queued (OUT)
 * grows by the deliveries written. A row operation, as store_event_add; whether the policy
 * lets anyone hear of the event, and whether subscriptions follow, are the caller's to decide
 * (publish_allows, src/app/publish.h; booking.c). */
static inline int store_event_deliver(struct hc_store *st, int64_t event_id, int64_t booking_id,
                                      unsigned evt, const char *at, const char *follow_since,
                                      int64_t *queued)
{
    return st->pub->event_deliver(st, event_id, booking_id, evt, at, follow_since, queued);
}

/* Subscribe (double opt-in): unless the same booking, channel and target already has a
 * confirmed subscription (then only the audit entry "subscription.repeat" is written, so the
 * call commits as a new one does, and *delivery_id is 0), or a new one would pass
 * sub->max_per_target (then only "subscription.refused" is written, the same way: the answer
 * does not tell the target's subscriptions), write or refresh
 * the pending subscription with sub's tokens, secret, events and language, and queue its
 * confirmation message; audit "subscription.create" without the target. *delivery_id (OUT)
 * gets the confirmation's delivery. HC_ENOENT when there is no such booking; HC_ERANGE when
 * a new subscription would pass sub->max_pending_per_booking (nothing written). */
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

/* A confirmation code is being tried for the SMS subscription of number target (E.164) to
 * booking booking_no: take the newest one still pending, created after created_after (UTC),
 * whose code_tries is below max_tries, count this try on it (committed whatever the code
 * proves to be), and fill *out (strings in a) with its tokens and the tries so far. HC_ENOENT
 * when there is none (none asked, expired, confirmed, ended, or out of tries). Whether the
 * code is right is the caller's to decide (subscribe.c). */
static inline int store_subscription_code_try(struct hc_store *st, const char *target,
                                              const char *booking_no, const char *created_after,
                                              int max_tries, struct hc_arena *a,
                                              struct store_code_try *out)
{
    return st->pub->subscription_code_try(st, target, booking_no, created_after, max_tries, a,
                                          out);
}

/* Number target (E.164) sent an opt-out word (word, as the caller names it, for the audit):
 * end every pending or confirmed SMS subscription of target, cancelling their pending
 * deliveries, and queue one reply to target in the language of its newest SMS subscription
 * (lang when it has none); audit "subscription.stop" with the count, never the number; one
 * transaction. *ended (OUT) gets how many subscriptions ended. */
static inline int store_sms_stop(struct hc_store *st, const char *target, const char *lang,
                                 const char *word, int64_t *ended)
{
    return st->pub->sms_stop(st, target, lang, word, ended);
}

/* Claim the opt-out reply due soonest as of now (UTC): mark it "sending" (committed) and fill
 * *out (strings in a). HC_ENOENT when none is due. Replies a stopped server left "sending"
 * go back to the queue with the deliveries (store_delivery_requeue). */
static inline int store_sms_reply_claim(struct hc_store *st, const char *now, struct hc_arena *a,
                                        struct store_sms_reply *out)
{
    return st->pub->sms_reply_claim(st, now, a, out);
}

/* Record how sending claimed reply id went: DELIVERED, RETRY (at next_attempt_at, required)
 * or FAILED (any other result is HC_EINVAL); error is the last error or NULL. */
static inline int store_sms_reply_finish(struct hc_store *st, int64_t id,
                                         enum store_delivery_result r,
                                         const char *next_attempt_at, const char *error)
{
    return st->pub->sms_reply_finish(st, id, r, next_attempt_at, error);
}

/* Delete the subscriptions still pending that were created before created_before (UTC), with
 * their deliveries: their confirmation expired, and their targets are kept no longer than
 * that. *removed (OUT) gets how many; audited "subscription.purge" (the count only) when any. */
static inline int store_subscription_purge(struct hc_store *st, const char *created_before,
                                           int64_t *removed)
{
    return st->pub->subscription_purge(st, created_before, removed);
}

/* Put deliveries, and SMS opt-out replies, left "sending" by a stopped process back to
 * "pending" (*n, OUT: the deliveries). Call once at
 * startup, before any store_delivery_claim: this is the at-least-once step. */
static inline int store_delivery_requeue(struct hc_store *st, int64_t *n)
{
    return st->pub->delivery_requeue(st, n);
}

/* Claim the pending delivery due soonest at or before now (UTC), an event's before any
 * subscription's confirmation (so a flood of subscriptions never delays a custody event): mark
 * it "sending", count the attempt, commit, and fill *out (strings in a). HC_ENOENT when none is
 * due. */
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
 * subscription and date; and, when follow_since is not NULL (UTC, as store_event_deliver's),
 * for the subscriptions of the same person's earlier bookings confirmed at or after it, about
 * the later booking's release. *queued (OUT). Whether the policy publishes scheduled releases,
 * and whether subscriptions follow the person, is the caller's to decide first
 * (booking_advance_scan, src/app/booking.h). */
static inline int store_advance_scan(struct hc_store *st, const char *today,
                                     const char *follow_since, int64_t *queued)
{
    return st->pub->advance_scan(st, today, follow_since, queued);
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
