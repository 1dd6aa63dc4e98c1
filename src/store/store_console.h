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

/* A TRUTH Act notice generated for a request (Gov. Code 7283.1), and its service. Which notices
 * are owed is src/notice/rules.h's; the store records what was done. */
struct store_notice {
    int64_t id;                 /* read back only */
    int64_t request_id;
    const char *kind;           /* "copy", "release" or "consent" */
    const char *recipient;      /* "person"; release notices also "attorney" or "designee" */
    const char *recipient_name; /* the attorney's or designee's name, or NULL */
    const char *language;       /* "en", "es", "zh", "tl", "vi" or "ko" */
    const char *subdivision;    /* "7283.1(b), first sentence" ... */
    const char *intent;         /* copy notices: "undecided", "yes" or "no" as stated; or NULL */
    const char *release_date;   /* release notices: the date given to ICE (required) */
    const char *generated_by;
    /* Read back only: */
    const char *generated_at;   /* UTC */
    const char *served_at;      /* UTC, NULL until served */
    const char *served_by, *served_to, *method;
};

/* How a notice was served: handed to whom, how, by whom (the acting user) and when. */
struct store_notice_service {
    const char *served_at;  /* UTC YYYY-MM-DDTHH:MM:SSZ, or NULL for now */
    const char *served_to;  /* the name of the person it was given to, 1-200 bytes */
    const char *method;     /* "in_person", "mail", "email" or "fax" */
    const char *served_by;
};

/* The person's answer to an interview request (7283.1(a)). */
struct store_consent {
    int64_t id;             /* read back only */
    int64_t request_id;
    const char *answer;     /* "consent", "decline" or "attorney_only" */
    const char *attorney;   /* the attorney's name, or NULL */
    const char *recorded_by;
    const char *recorded_at; /* read back only */
};

/* The agency's stated intent to comply with a request (7283.1(b), first sentence). */
struct store_intent {
    int64_t id;
    int64_t request_id;
    const char *intent;     /* "undecided", "yes" or "no" */
    const char *recorded_by;
    const char *recorded_at; /* read back only */
};

/* The agency gave immigration authorities a release date (7283.1(b), second sentence). */
struct store_disclosure {
    int64_t id;
    int64_t request_id;
    const char *release_date; /* the date (and time) given */
    const char *told_at;      /* when they were told (a time as intake accepts it) */
    const char *recorded_by;
    const char *recorded_at;  /* read back only */
};

/* A step of an interview: scheduled (at its start), granted or refused. */
struct store_interview {
    int64_t id;
    int64_t request_id;
    const char *status;     /* "scheduled", "granted" or "refused" */
    const char *at;         /* scheduled: the start; otherwise NULL */
    int64_t consent_id;     /* granted: the consent answer it rests on (src/app/truth.c), or 0 */
    const char *recorded_by;
    const char *recorded_at; /* read back only */
};

/* A judicial warrant's court and judge, as read off the warrant at intake. */
struct store_warrant {
    int64_t id;
    int64_t request_id;
    const char *court;      /* e.g. "U.S. District Court, N.D. Cal." */
    const char *judge;
    const char *recorded_by;
    const char *recorded_at; /* read back only */
};

/* Everything the console records about one request, each list oldest first (in the arena). */
struct store_console_state {
    struct store_notice *notices;
    size_t nnotices;
    struct store_consent *consents;
    size_t nconsents;
    struct store_intent *intents;
    size_t nintents;
    struct store_disclosure *disclosures;
    size_t ndisclosures;
    struct store_interview *interviews;
    size_t ninterviews;
    struct store_warrant *warrants;
    size_t nwarrants;
};

/* One open request of the console's queue. */
struct store_queue_item {
    struct store_request req;      /* outcome and decision_json: the newest decision's */
    const char *ruleset;           /* the newest decision's */
    const char *override_outcomes; /* the outcomes of the newest decision's overrides,
                                    * comma-separated, in no order; NULL when it has none */
    const char *effective_outcome; /* NULL from the store; truth_queue (src/app/truth.h) sets
                                    * the newest decision's, or its most restrictive override */
    const char *booking_no;
    const char *booking_status;    /* "in_custody" or "released" */
    const char *scheduled_release; /* or NULL */
    int64_t person_id;
    const char *person_name;
};

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
 * only requests about bookings still in custody (in a). Each item's effective_outcome is NULL:
 * truth_queue (src/app/truth.h) ranks the outcomes. */
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
