/* SPDX-License-Identifier: MIT
 * notices.h: the TRUTH Act notices of one immigration request, as the console acts on them
 * (docs/console.md, docs/notices.md). Which notices are owed and by when is src/notice/rules.h's
 * pure table; this module supplies the facts from the store (the decision to act on, with its
 * strictest override; the agency's intent; the release date given to immigration authorities;
 * the interview), decides which recorded notice fulfils which owed one, who may receive a
 * notice (Gov. Code 7283.1(b): only a release notice goes to an attorney or designee) and
 * whether an interview may proceed (7283.1(a)). */
#ifndef HC_NOTICES_H
#define HC_NOTICES_H

#include <jansson.h>
#include <stddef.h>
#include <stdint.h>

#include "arena.h"
#include "err.h"
#include "rules.h"
#include "rows_console.h"
#include "rows_records.h"
#include "rows_requests.h"

struct hc_store;

/* A request, its booking's record, what the console recorded about it, and the notices owed
 * now. Strings live in the arena given to notices_load; decision is owned (json_decref). */
struct notices_request {
    struct store_request_detail det;
    struct store_record rec;
    struct store_console_state cs;
    const char *effective;  /* the outcome to act on: newest decision or its strictest override */
    int type, outcome, ruleset; /* enums; outcome and ruleset -1 when undecided */
    json_t *decision;       /* the newest decision as JSON, or NULL */
    int intent;             /* enum notice_intent as recorded (UNSET when none) */
    int need_consent;       /* the decision's conditions include Gov. Code 7283.1(a) */
    struct notice_owed owed[NOTICE_MAX_OWED];
    size_t nowed;
    struct notice_times times;
    struct notice_clock clock; /* the hours that make the deadlines: notice_clock_defaults after
                                * notices_load; a caller with the agency's settings sets them */
    const struct store_disclosure *disclosure; /* the newest, or NULL */
};

/* Load request id with everything the console needs into *r and compute the notices owed now.
 * Strings go in a. Returns 0; HC_ENOENT (d->field "id") when there is no such request; or a
 * store error. Call notices_release(r) afterwards, whatever it returned. */
int notices_load(struct hc_store *st, int64_t id, struct hc_arena *a, struct notices_request *r,
                 struct hc_diag *d);

/* Free what notices_load owns in r (not r). */
void notices_release(struct notices_request *r);

/* The earliest service of a recorded notice fulfilling owed notice o (NOTICE_TIME_NONE: none),
 * and that notice into *by (or NULL). A notice fulfils o when it is of o's kind, for a
 * recipient of o's slot, for a copy states the intent o states, and for a release notice names
 * the newest release date given to immigration authorities. */
int64_t notices_served_at(const struct notices_request *r, const struct notice_owed *o,
                          const struct store_notice **by);

/* Whether the written consent form of 7283.1(a) (a notice of kind "consent") was served for r:
 * 1 or 0. The person's answer to the interview is asked on that form, so it is recorded only
 * after it (console_consent_add). */
int notices_consent_served(const struct notices_request *r);

/* Whether the interview of r may be marked granted now: 1, or 0 with the reason in why[0..n)
 * (not an interview request; the decision does not permit it; the consent form of 7283.1(a)
 * not served, the person's answer not recorded, declined, or an attorney required and not
 * named). */
int notices_may_grant(const struct notices_request *r, char *why, size_t n);

/* What staff ask to generate. Strings are borrowed. */
struct notices_ask {
    int kind;                   /* enum notice_kind */
    const char *recipient;      /* "person" (NULL: the same), "attorney" or "designee" */
    const char *recipient_name; /* required for an attorney or designee, refused otherwise */
};

/* Which owed notice the ask generates for request id: check the recipient against the rule,
 * load the request into *r (strings in a; as notices_load), and find the notice owed, into
 * *owed (borrowed from r), and the recipient into *recipient ("person" when the ask named
 * none). Returns 0; HC_EINVAL (d->field "recipient" or "recipient_name") for a recipient that
 * is not one of the three, or a name given or missing against the rule; HC_ERANGE (d->field
 * "recipient") when a notice other than a release notice is addressed to counsel; the errors
 * of notices_load; HC_ERANGE (d->field "kind", the provision in d->msg) when no such notice is
 * owed. Call notices_release(r) afterwards, whatever it returned. */
int notices_plan(struct hc_store *st, int64_t id, const struct notices_ask *ask,
                 struct hc_arena *a, struct notices_request *r, const struct notice_owed **owed,
                 const char **recipient, struct hc_diag *d);

/* A stored time ("YYYY-MM-DD", or with "THH:MM:SS", a fraction and "Z" or an offset) as seconds
 * since 1970 UTC into *out. A date alone is the start of that day, and a time without an offset
 * is the server's local time (run it with TZ set, as intake does). HC_EINVAL when s is not such
 * a time. */
int notices_time(const char *s, int64_t *out);

#endif
