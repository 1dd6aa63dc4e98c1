/* SPDX-License-Identifier: MIT
 * store_victims.h: victim notification's rows (rows_victims.h): registrations and the queue of
 * their notices. Row operations only, without audit entries of their own: src/app/victims.c
 * decides who is told of what, writes these rows and appends the audit entries in one
 * transaction (store_begin ... store_commit). */
#ifndef HC_STORE_VICTIMS_H
#define HC_STORE_VICTIMS_H
#include <stddef.h>
#include <stdint.h>
#include "rows_victims.h"
#include "store_conn.h"
#include "store_reports.h" /* STORE_ENOTSUP */

/* The victim notification operations of a backend (contracts: the wrappers below). */
struct store_victims_ops {
    int (*victim_add)(struct hc_store *st, const struct store_victim *v, const char *at,
                      int64_t *id);
    int (*victim_get)(struct hc_store *st, int64_t id, struct hc_arena *a,
                      struct store_victim *out);
    int (*victim_list)(struct hc_store *st, const char *booking_no, struct hc_arena *a,
                       struct store_victim **out, size_t *n);
    int (*victim_set)(struct hc_store *st, const struct store_victim *v, const char *at);
    int (*victim_of_booking)(struct hc_store *st, int64_t booking_id, struct hc_arena *a,
                             struct store_victim **out, size_t *n);
    int (*victim_notice_add)(struct hc_store *st, int64_t registration_id, int64_t booking_id,
                             const char *kind, const char *data, const char *at, int64_t *id);
    int (*victim_notices)(struct hc_store *st, int64_t registration_id, struct hc_arena *a,
                          struct store_victim_notice **out, size_t *n);
    int (*victim_notice_requeue)(struct hc_store *st, int64_t *n);
    int (*victim_notice_claim)(struct hc_store *st, const char *now, struct hc_arena *a,
                               struct store_victim_job *out);
    int (*victim_notice_finish)(struct hc_store *st, int64_t id, const char *status,
                                const char *next_attempt_at, const char *error, const char *at);
};

/* The operation names in table order (as STORE_TASKFORCE_OPS). */
#define STORE_VICTIMS_OPS(OP) OP(victim_add) OP(victim_get) OP(victim_list) OP(victim_set)    \
    OP(victim_of_booking) OP(victim_notice_add) OP(victim_notices) OP(victim_notice_requeue) \
    OP(victim_notice_claim) OP(victim_notice_finish)

/* A backend without victim notification leaves st->victims NULL: every wrapper then answers
 * STORE_ENOTSUP. */

/* Insert registration v for the booking v->booking_no (its person_id is the booking's; v->id,
 * person_id, state, changed_* are ignored; created_at is at). *id (OUT). HC_ENOENT when no
 * such booking; HC_EINVAL when the schema refuses a value; STORE_ENOTSUP. No audit entry. */
static inline int store_victim_add(struct hc_store *st, const struct store_victim *v,
                                   const char *at, int64_t *id)
{
    return st->victims == NULL ? STORE_ENOTSUP : st->victims->victim_add(st, v, at, id);
}

/* Registration id into *out (strings in a). HC_ENOENT; HC_ENOMEM when a is full. */
static inline int store_victim_get(struct hc_store *st, int64_t id, struct hc_arena *a,
                                   struct store_victim *out)
{
    return st->victims == NULL ? STORE_ENOTSUP : st->victims->victim_get(st, id, a, out);
}

/* The registrations of booking booking_no, or every registration when it is NULL, active and
 * removed, newest first, at most 500 (strings in a). HC_ENOMEM when a is full. */
static inline int store_victim_list(struct hc_store *st, const char *booking_no,
                                    struct hc_arena *a, struct store_victim **out, size_t *n)
{
    return st->victims == NULL ? STORE_ENOTSUP
                               : st->victims->victim_list(st, booking_no, a, out, n);
}

/* Write v's follows_person, name, relation, channel, target, lang and state into registration
 * v->id, with changed_by v->changed_by and changed_at at. HC_ENOENT when no such
 * registration; HC_EINVAL when the schema refuses a value. No audit entry. */
static inline int store_victim_set(struct hc_store *st, const struct store_victim *v,
                                   const char *at)
{
    return st->victims == NULL ? STORE_ENOTSUP : st->victims->victim_set(st, v, at);
}

/* The active registrations that name booking booking_id or its person (whatever their
 * follows_person: the service decides which are told), oldest first (strings in a). */
static inline int store_victim_of_booking(struct hc_store *st, int64_t booking_id,
                                          struct hc_arena *a, struct store_victim **out,
                                          size_t *n)
{
    return st->victims == NULL ? STORE_ENOTSUP
                               : st->victims->victim_of_booking(st, booking_id, a, out, n);
}

/* Queue a notice of kind about booking booking_id for registration registration_id, due at
 * once; data is its JSON object (text). *id (OUT). HC_EINVAL when the schema refuses a value.
 * No audit entry. */
static inline int store_victim_notice_add(struct hc_store *st, int64_t registration_id,
                                          int64_t booking_id, const char *kind,
                                          const char *data, const char *at, int64_t *id)
{
    return st->victims == NULL ? STORE_ENOTSUP
                               : st->victims->victim_notice_add(st, registration_id, booking_id,
                                                                kind, data, at, id);
}

/* The notices of registration registration_id, newest first, at most 200 (strings in a). */
static inline int store_victim_notices(struct hc_store *st, int64_t registration_id,
                                       struct hc_arena *a, struct store_victim_notice **out,
                                       size_t *n)
{
    return st->victims == NULL ? STORE_ENOTSUP
                               : st->victims->victim_notices(st, registration_id, a, out, n);
}

/* Put notices left "sending" by a stopped process back to "pending" (*n, OUT). Call once at
 * startup, before any claim: the at-least-once step, as store_delivery_requeue. */
static inline int store_victim_notice_requeue(struct hc_store *st, int64_t *n)
{
    return st->victims == NULL ? STORE_ENOTSUP : st->victims->victim_notice_requeue(st, n);
}

/* Claim the pending notice due soonest at or before now (UTC, ties by id): mark it "sending",
 * count the attempt, commit (or join the caller's transaction), and fill *out (strings in a).
 * HC_ENOENT when none is due. */
static inline int store_victim_notice_claim(struct hc_store *st, const char *now,
                                            struct hc_arena *a, struct store_victim_job *out)
{
    return st->victims == NULL ? STORE_ENOTSUP
                               : st->victims->victim_notice_claim(st, now, a, out);
}

/* Record a claimed notice's outcome: status ("pending" again with next_attempt_at, which is
 * then required; "delivered", delivered_at = at; "failed"; "cancelled"), its error text (or
 * NULL). HC_EINVAL for another status or a missing next_attempt_at. No audit entry. */
static inline int store_victim_notice_finish(struct hc_store *st, int64_t id, const char *status,
                                             const char *next_attempt_at, const char *error,
                                             const char *at)
{
    return st->victims == NULL ? STORE_ENOTSUP
                               : st->victims->victim_notice_finish(st, id, status,
                                                                   next_attempt_at, error, at);
}

#endif
