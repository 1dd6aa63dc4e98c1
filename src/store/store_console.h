/* SPDX-License-Identifier: MIT
 * store_console.h: what the staff console records about a request (docs/console.md): TRUTH Act
 * notices and their service, consent, intent, release-date disclosures, interviews and
 * warrants, the console's queue and a request's audit trail. Which notices are owed is
 * src/notice/rules.h's; the store records what was done. */
#ifndef HC_STORE_CONSOLE_H
#define HC_STORE_CONSOLE_H

#include "store_audit.h"
#include "store_conn.h"
#include "store_requests.h"
#include "rows_console.h"

/* The staff console and notices operations of a backend (contracts: the wrappers below). */
struct store_console_ops {
    int (*notice_add)(struct hc_store *st, const struct store_notice *n, int64_t *notice_id);
    int (*notice_get)(struct hc_store *st, int64_t notice_id, struct hc_arena *a,
                      struct store_notice *out);
    int (*notice_serve)(struct hc_store *st, int64_t notice_id,
                        const struct store_notice_service *sv, struct hc_diag *d);
    int (*consent_add)(struct hc_store *st, const struct store_consent *c, int64_t *consent_id);
    int (*intent_add)(struct hc_store *st, const struct store_intent *in, int64_t *intent_id);
    int (*disclosure_add)(struct hc_store *st, const struct store_disclosure *dc,
                          int64_t *disclosure_id);
    int (*interview_add)(struct hc_store *st, const struct store_interview *iv,
                         int64_t *interview_id);
    int (*warrant_add)(struct hc_store *st, const struct store_warrant *w, int64_t *warrant_id);
    int (*console_state)(struct hc_store *st, int64_t request_id, struct hc_arena *a,
                         struct store_console_state *out);
    int (*console_queue)(struct hc_store *st, int in_custody_only, int limit, struct hc_arena *a,
                         struct store_queue_item **out, size_t *n);
    int (*request_audit)(struct hc_store *st, int64_t request_id, struct hc_arena *a,
                         struct store_audit_entry **out, size_t *n);
    int (*person_bookings)(struct hc_store *st, int64_t person_id, struct hc_arena *a,
                           const char ***booking_nos, size_t *n);
};

/* The operation names in table order. A backend fills its table with STORE_CONSOLE_OPS(its own
 * naming macro, e.g. SQ_OP), so an operation it lacks fails to compile, never stays NULL. */
#define STORE_CONSOLE_OPS(OP) OP(notice_add) OP(notice_get) OP(notice_serve) OP(consent_add) \
    OP(intent_add) OP(disclosure_add) OP(interview_add) OP(warrant_add) OP(console_state) \
    OP(console_queue) OP(request_audit) OP(person_bookings)

/* Record that notice n was generated (generated_at is now) by n->generated_by, with an audit
 * entry "notice.generate", atomically. *notice_id (OUT). HC_ENOENT when the request does not
 * exist; HC_EINVAL when the schema refuses a value (unknown kind, language or recipient, a
 * release notice without its date, a copy or consent notice to anyone but the person). */
static inline int store_notice_add(struct hc_store *st, const struct store_notice *n,
                                   int64_t *notice_id)
{
    return st->console->notice_add(st, n, notice_id);
}

/* Notice notice_id (strings in a). HC_ENOENT. */
static inline int store_notice_get(struct hc_store *st, int64_t notice_id, struct hc_arena *a,
                                   struct store_notice *out)
{
    return st->console->notice_get(st, notice_id, a, out);
}

/* Record the service of notice notice_id, with an audit entry "notice.serve", atomically.
 * HC_ENOENT (d->field "id"); STORE_ECONFLICT (d->field "id") when it was already served, and
 * nothing changes; HC_EINVAL when the schema refuses a value. */
static inline int store_notice_serve(struct hc_store *st, int64_t notice_id,
                                     const struct store_notice_service *sv, struct hc_diag *d)
{
    return st->console->notice_serve(st, notice_id, sv, d);
}

/* Record the person's answer to an interview request, audited "consent.record". *consent_id
 * (OUT). HC_ENOENT for no such request; HC_EINVAL for a value the schema refuses. */
static inline int store_consent_add(struct hc_store *st, const struct store_consent *c,
                                    int64_t *consent_id)
{
    return st->console->consent_add(st, c, consent_id);
}

/* Record the agency's intent to comply, audited "intent.record". Errors as store_consent_add.
 * Callers check that "yes" is not stated for a prohibited request. */
static inline int store_intent_add(struct hc_store *st, const struct store_intent *in,
                                   int64_t *intent_id)
{
    return st->console->intent_add(st, in, intent_id);
}

/* Record that the agency told immigration authorities a release date, audited
 * "release.disclose". Errors as store_consent_add. */
static inline int store_disclosure_add(struct hc_store *st, const struct store_disclosure *dc,
                                       int64_t *disclosure_id)
{
    return st->console->disclosure_add(st, dc, disclosure_id);
}

/* Record an interview step, with iv->consent_id (0: none) as the consent it rests on, audited
 * "interview.record", atomically. Whether a step may be recorded (a grant needs the person's
 * consent, Gov. Code 7283.1(a)) is checked by the caller in its transaction
 * (truth_interview_record, src/app/truth.h). HC_ENOENT for no such request; HC_EINVAL for a
 * value the schema refuses. *interview_id (OUT). */
static inline int store_interview_add(struct hc_store *st, const struct store_interview *iv,
                                      int64_t *interview_id)
{
    return st->console->interview_add(st, iv, interview_id);
}

/* Record a judicial warrant's court and judge, audited "warrant.record". Errors as
 * store_consent_add. */
static inline int store_warrant_add(struct hc_store *st, const struct store_warrant *w,
                                    int64_t *warrant_id)
{
    return st->console->warrant_add(st, w, warrant_id);
}

/* Everything recorded about request_id's notices, consent, intent, release dates, interview
 * and warrant (in a). A request that does not exist has empty lists: check it first. */
static inline int store_console_state(struct hc_store *st, int64_t request_id,
                                      struct hc_arena *a, struct store_console_state *out)
{
    return st->console->console_state(st, request_id, a, out);
}

/* At most limit (1..500) requests, most urgent first: bookings with a scheduled release
 * (soonest first), then the others, newest request first within a date. With in_custody_only,
 * only requests about bookings still in custody (in a). Each item's req.outcome is its outcome
 * in force (the view request_outcome, migration 7). */
static inline int store_console_queue(struct hc_store *st, int in_custody_only, int limit,
                                      struct hc_arena *a, struct store_queue_item **out,
                                      size_t *n)
{
    return st->console->console_queue(st, in_custody_only, limit, a, out, n);
}

/* The audit entries about request_id, oldest first: its receipt, its decisions and overrides,
 * and the console's records (the entries whose entity is request/ID, or decision/N,
 * override/N, notice/N, consent/N, intent/N, disclosure/N, interview/N or warrant/N of a row
 * of that request). At most 1000 (in a). */
static inline int store_request_audit(struct hc_store *st, int64_t request_id,
                                      struct hc_arena *a, struct store_audit_entry **out,
                                      size_t *n)
{
    return st->console->request_audit(st, request_id, a, out, n);
}

/* The booking numbers of person_id, newest booking first (in a). HC_ENOENT when there is no
 * such person. */
static inline int store_person_bookings(struct hc_store *st, int64_t person_id,
                                        struct hc_arena *a, const char ***booking_nos, size_t *n)
{
    return st->console->person_bookings(st, person_id, a, booking_nos, n);
}

#endif
