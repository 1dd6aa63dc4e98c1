/* SPDX-License-Identifier: MIT
 * rules.h: which TRUTH Act notices (Gov. Code 7283.1(a), (b)) a request makes the agency owe,
 * to whom, and by when. Pure logic: no I/O, no clock, no globals, no allocation; time comes in
 * as arguments. The reading of each subdivision is in docs/notices.md.
 *
 *   7283.1(b), first sentence   upon receiving any ICE hold, notification or transfer request:
 *                               a copy of the request to the person, and whether the agency
 *                               intends to comply (whatever the decision's outcome)
 *   7283.1(b), second sentence  when the agency gives ICE notice that the person is being or
 *                               will be released on a certain date: promptly, the same notice in
 *                               writing to the person and to their attorney or one designee
 *   7283.1(a)                   in advance of any ICE interview about civil immigration
 *                               violations: the written consent form */
#ifndef HC_NOTICE_RULES_H
#define HC_NOTICE_RULES_H

#include <stddef.h>
#include <stdint.h>

#include "err.h"

/* The notices 7283.1 requires. */
enum notice_kind {
    NOTICE_COPY = 0,    /* "copy": cover notice to the copy of a hold/notification/transfer
                         * request, with the agency's intent to comply, 7283.1(b) sentence 1 */
    NOTICE_RELEASE,     /* "release": the release date the agency gave ICE, 7283.1(b) sentence 2 */
    NOTICE_CONSENT,     /* "consent": the interview consent form, 7283.1(a) */
    NOTICE_KIND_COUNT
};

/* Who a notice is owed to. */
enum notice_owed_to {
    NOTICE_OWED_PERSON = 0,  /* the person in custody */
    NOTICE_OWED_COUNSEL,     /* the person's attorney, or one other person they designate */
};

/* Whether the agency intends to comply with the request (for an interview: to allow it). */
enum notice_intent {
    NOTICE_INTENT_UNSET = 0, /* not given: "no" when the outcome is prohibited, else undecided */
    NOTICE_INTENT_UNDECIDED, /* the agency has not decided (e.g. the outcome is review) */
    NOTICE_INTENT_YES,
    NOTICE_INTENT_NO,
};

/* What the clock of a notice runs from. */
enum notice_anchor {
    NOTICE_ANCHOR_RECEIPT = 0, /* "upon receiving": the time the request was received */
    NOTICE_ANCHOR_ICE_NOTIFIED,/* "promptly": the time the agency gave ICE the release date */
    NOTICE_ANCHOR_INTERVIEW,   /* "in advance of": the start of the interview */
};

/* Flags of an owed notice. */
enum notice_owed_flags {
    /* The intent was undecided when the copy was owed: 7283.1(b) also requires telling the
     * person whether the agency intends to comply, so serve a new copy notice once it decides. */
    NOTICE_F_INTENT_PENDING = 1 << 0,
    /* The outcome is review: the interview may not proceed before the decision is final; the
     * form is owed before it if it does. */
    NOTICE_F_IF_INTERVIEW_PROCEEDS = 1 << 1,
};

/* When a notice is due: the statute's words and the reading that makes them a deadline. */
struct notice_due {
    unsigned char anchor;            /* enum notice_anchor */
    unsigned char uses_promptly;     /* hours from notice_clock.promptly_hours, else receipt_hours
                                      * (anchor RECEIPT) or 0 (anchor INTERVIEW) */
    unsigned char not_after_release; /* also due no later than the person's release */
    const char *words;               /* the statute's words: "upon receiving", "promptly",
                                      * "in advance of any interview"; static */
};

/* One notice the agency owes. */
struct notice_owed {
    unsigned char kind;     /* enum notice_kind */
    unsigned char to;       /* enum notice_owed_to */
    unsigned char intent;   /* enum notice_intent, resolved (never UNSET) */
    unsigned char flags;    /* enum notice_owed_flags */
    const char *cite;       /* "Gov. Code § 7283.1(b)"; static */
    const char *subdivision;/* "7283.1(b), first sentence"; static */
    struct notice_due due;
};

/* The facts the owed notices depend on. Zero-initialise, then fill. */
struct notice_situation {
    int type;                  /* enum hc_request_type (case.h) */
    int outcome;               /* enum hc_outcome (engine.h): the decision's outcome */
    int ruleset;               /* enum hc_ruleset (engine.h): the TRUTH Act binds from
                                * HC_RULES_TRUTH (2017-01-01) */
    int intent;                /* enum notice_intent */
    int release_date_provided; /* the agency gave ICE notice of the person's release date or
                                * time (in answer to any request, or through data sharing) */
    int interview_not_civil;   /* the interview is known not to be about civil immigration
                                * violations (7283.1(a) does not reach it); default 0 */
};

#define NOTICE_MAX_OWED 4

/* Compute the notices 7283.1 requires for s into out[0..*n), in a fixed order (copy, release to
 * the person, release to counsel, consent). Returns 0, or HC_EINVAL with d naming the field when
 * s->type, s->outcome, s->ruleset or s->intent is out of range, or when s->intent is YES and
 * the outcome is prohibited (a prohibited request cannot be complied with). On failure *n is 0.
 * Thread-safe; d may be NULL. */
int notice_owed(const struct notice_situation *s, struct notice_owed out[NOTICE_MAX_OWED],
                size_t *n, struct hc_diag *d);

/* The intent a notice states: intent itself, or when it is NOTICE_INTENT_UNSET, NO for a
 * prohibited outcome (enum hc_outcome) and UNDECIDED otherwise. */
int notice_intent_resolve(int intent, int outcome);

/* Check intent (enum notice_intent) against the outcome it answers (enum hc_outcome): 0 when it
 * is a known intent the outcome allows, else HC_EINVAL with d naming "intent" (d may be NULL).
 * The agency cannot intend to comply with a prohibited request. */
int notice_intent_check(int intent, int outcome, struct hc_diag *d);

/* The agency's reading of "upon receiving" and "promptly", in hours. The statute gives no
 * number; docs/notices.md explains the defaults. */
struct notice_clock {
    unsigned receipt_hours;  /* "upon receiving" (copy notices): default 8, at most 720 */
    unsigned promptly_hours; /* "promptly" (release notices): default 24, at most 720 */
};

#define NOTICE_RECEIPT_HOURS_DEFAULT 8   /* docs/notices.md says why */
#define NOTICE_PROMPTLY_HOURS_DEFAULT 24
#define NOTICE_CLOCK_HOURS_MAX 720

/* The defaults of struct notice_clock. */
void notice_clock_defaults(struct notice_clock *c);

#define NOTICE_TIME_NONE INT64_MIN /* a time that is not known (yet) */

/* The times a deadline is computed from, in seconds since 1970-01-01T00:00:00Z. */
struct notice_times {
    int64_t received;     /* the request was received */
    int64_t ice_notified; /* the agency gave ICE the release date */
    int64_t interview;    /* the interview is scheduled to start */
    int64_t release;      /* the person's scheduled release */
};

/* Set every time in t to NOTICE_TIME_NONE. */
void notice_times_init(struct notice_times *t);

/* The time by which notice o must be served, into *deadline (OUT). Returns 0; HC_ENOENT when
 * the time its clock runs from is not known yet (e.g. no interview scheduled), *deadline
 * untouched; HC_EINVAL when c's hours are over 720. */
int notice_deadline(const struct notice_owed *o, const struct notice_clock *c,
                    const struct notice_times *t, int64_t *deadline);

enum notice_state {
    NOTICE_ST_PENDING = 0,  /* not served, not yet due (or no deadline known yet) */
    NOTICE_ST_OVERDUE,      /* not served, deadline passed */
    NOTICE_ST_SERVED,       /* served by the deadline (or no deadline was known) */
    NOTICE_ST_SERVED_LATE,  /* served after the deadline */
};

/* The state of notice o at time now, given when it was served (NOTICE_TIME_NONE: not yet).
 * Returns an enum notice_state, or HC_EINVAL for c's hours over 720. */
int notice_state(const struct notice_owed *o, const struct notice_clock *c,
                 const struct notice_times *t, int64_t served_at, int64_t now);

/* Names used by the CLI, the texts and the console: "copy", "release", "consent";
 * "person", "counsel"; "unset", "undecided", "yes", "no"; "pending", "overdue", "served",
 * "served_late"; "receipt", "ice_notified", "interview". NULL for a value out of range. */
const char *notice_kind_name(int kind);
const char *notice_owed_to_name(int to);
const char *notice_intent_name(int intent);
const char *notice_state_name(int state);
const char *notice_anchor_name(int anchor);
/* The value named s, or -1. */
int notice_kind_from_name(const char *s);
int notice_intent_from_name(const char *s);

#endif
