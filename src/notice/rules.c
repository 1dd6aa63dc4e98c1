/* SPDX-License-Identifier: MIT
 * rules.c: the notices Gov. Code 7283.1 requires, as a small table and three tests. The table
 * says what each notice is (subdivision, recipient, clock); notice_owed decides which apply to
 * one request. Everything here is a pure function of its arguments. */
#include "rules.h"

#include <string.h>

#include "case.h"
#include "engine.h"
#include "ident.h"

#define MAX_HOURS 720u /* a month: longer is not a reading of "promptly" but a typo */

/* One row per notice the statute describes; the order is the order of notice_owed's output. */
static const struct owed_row {
    unsigned char kind, to;
    const char *cite, *subdivision;
    struct notice_due due;
} rows[] = {
    {NOTICE_COPY, NOTICE_OWED_PERSON, "Gov. Code § 7283.1(b)", "7283.1(b), first sentence",
     {NOTICE_ANCHOR_RECEIPT, 0, 1, "upon receiving"}},
    {NOTICE_RELEASE, NOTICE_OWED_PERSON, "Gov. Code § 7283.1(b)", "7283.1(b), second sentence",
     {NOTICE_ANCHOR_ICE_NOTIFIED, 1, 1, "promptly"}},
    {NOTICE_RELEASE, NOTICE_OWED_COUNSEL, "Gov. Code § 7283.1(b)", "7283.1(b), second sentence",
     {NOTICE_ANCHOR_ICE_NOTIFIED, 1, 1, "promptly"}},
    {NOTICE_CONSENT, NOTICE_OWED_PERSON, "Gov. Code § 7283.1(a)", "7283.1(a)",
     {NOTICE_ANCHOR_INTERVIEW, 0, 0, "in advance of any interview"}},
};

/* 7283.1(b), first sentence: "any ICE hold, notification, or transfer request". */
static int is_ice_request(int type)
{
    return type == HC_REQ_HOLD || type == HC_REQ_NOTIFICATION || type == HC_REQ_TRANSFER;
}

int notice_intent_resolve(int intent, int outcome)
{
    if (intent != NOTICE_INTENT_UNSET)
        return intent;
    return outcome == HC_OUT_PROHIBITED ? NOTICE_INTENT_NO : NOTICE_INTENT_UNDECIDED;
}

int notice_intent_check(int intent, int outcome, struct hc_diag *d)
{
    if (intent < NOTICE_INTENT_UNSET || intent > NOTICE_INTENT_NO)
        return hc_diag_set(d, "intent", "unknown intent", NULL);
    if (intent == NOTICE_INTENT_YES && outcome == HC_OUT_PROHIBITED)
        return hc_diag_set(d, "intent",
                           "the agency cannot intend to comply with a prohibited request", NULL);
    return 0;
}

/* Whether the notice of row r is owed in situation s (intent already resolved). */
static int row_applies(const struct owed_row *r, const struct notice_situation *s, int intent)
{
    switch (r->kind) {
    case NOTICE_COPY:
        /* Owed on receipt whatever the decision: the outcome only changes what the notice
         * says about the agency's intent. */
        return is_ice_request(s->type);
    case NOTICE_RELEASE:
        /* Triggered by the act of telling ICE a release date, not by the request type: a
         * release date given through data sharing or in answer to any request counts. */
        return s->release_date_provided != 0;
    case NOTICE_CONSENT:
        /* "In advance of any interview": none is owed when no interview can take place, that is
         * when the request is prohibited or the agency will not allow it. */
        return s->type == HC_REQ_INTERVIEW && !s->interview_not_civil &&
               s->outcome != HC_OUT_PROHIBITED && intent != NOTICE_INTENT_NO;
    default:
        return 0;
    }
}

int notice_owed(const struct notice_situation *s, struct notice_owed out[NOTICE_MAX_OWED],
                size_t *n, struct hc_diag *d)
{
    size_t i, k = 0;
    int intent;

    *n = 0;
    if (s->type < 0 || s->type >= HC_REQ_COUNT)
        return hc_diag_set(d, "type", "unknown request type", NULL);
    if (s->outcome < HC_OUT_PERMITTED || s->outcome > HC_OUT_REVIEW)
        return hc_diag_set(d, "outcome", "unknown outcome", NULL);
    if (s->ruleset < HC_RULES_TRUST || s->ruleset > HC_RULES_VALUES)
        return hc_diag_set(d, "ruleset", "unknown ruleset", NULL);
    if (notice_intent_check(s->intent, s->outcome, d) != 0)
        return HC_EINVAL;
    /* The TRUTH Act (Stats. 2016, ch. 768) binds from 2017-01-01. */
    if (s->ruleset < HC_RULES_TRUTH)
        return 0;
    intent = notice_intent_resolve(s->intent, s->outcome);
    for (i = 0; i < sizeof rows / sizeof rows[0]; i++) {
        const struct owed_row *r = &rows[i];
        struct notice_owed *o;
        if (!row_applies(r, s, intent))
            continue;
        o = &out[k++];
        memset(o, 0, sizeof *o);
        o->kind = r->kind;
        o->to = r->to;
        o->intent = (unsigned char)intent;
        o->cite = r->cite;
        o->subdivision = r->subdivision;
        o->due = r->due;
        if (r->kind == NOTICE_COPY && intent == NOTICE_INTENT_UNDECIDED)
            o->flags |= NOTICE_F_INTENT_PENDING;
        if (r->kind == NOTICE_CONSENT && s->outcome == HC_OUT_REVIEW)
            o->flags |= NOTICE_F_IF_INTERVIEW_PROCEEDS;
    }
    *n = k;
    return 0;
}

/* ---- deadlines --------------------------------------------------------------------------- */

void notice_clock_defaults(struct notice_clock *c)
{
    c->receipt_hours = NOTICE_RECEIPT_HOURS_DEFAULT;
    c->promptly_hours = NOTICE_PROMPTLY_HOURS_DEFAULT;
}

void notice_times_init(struct notice_times *t)
{
    t->received = t->ice_notified = t->interview = t->release = NOTICE_TIME_NONE;
}

static int64_t add_hours(int64_t t, unsigned hours)
{
    int64_t s = (int64_t)hours * 3600;
    return t > INT64_MAX - s ? INT64_MAX : t + s;
}

int notice_deadline(const struct notice_owed *o, const struct notice_clock *c,
                    const struct notice_times *t, int64_t *deadline)
{
    int64_t from, due;
    unsigned hours;

    if (c->receipt_hours > MAX_HOURS || c->promptly_hours > MAX_HOURS)
        return HC_EINVAL;
    switch (o->due.anchor) {
    case NOTICE_ANCHOR_RECEIPT: from = t->received; break;
    case NOTICE_ANCHOR_ICE_NOTIFIED: from = t->ice_notified; break;
    default: from = t->interview; break;
    }
    if (from == NOTICE_TIME_NONE)
        return HC_ENOENT;
    if (o->due.anchor == NOTICE_ANCHOR_INTERVIEW)
        hours = 0;
    else
        hours = o->due.uses_promptly ? c->promptly_hours : c->receipt_hours;
    due = add_hours(from, hours);
    /* A notice about a release, or a copy the person needs to seek advice, is of no use once
     * the person has left: it is due by the release at the latest. */
    if (o->due.not_after_release && t->release != NOTICE_TIME_NONE && t->release < due)
        due = t->release;
    *deadline = due;
    return 0;
}

int notice_state(const struct notice_owed *o, const struct notice_clock *c,
                 const struct notice_times *t, int64_t served_at, int64_t now)
{
    int64_t due = 0;
    int rc = notice_deadline(o, c, t, &due);

    if (rc == HC_EINVAL)
        return rc;
    if (rc == HC_ENOENT)
        return served_at != NOTICE_TIME_NONE ? NOTICE_ST_SERVED : NOTICE_ST_PENDING;
    if (served_at != NOTICE_TIME_NONE)
        return served_at <= due ? NOTICE_ST_SERVED : NOTICE_ST_SERVED_LATE;
    return now > due ? NOTICE_ST_OVERDUE : NOTICE_ST_PENDING;
}

/* ---- names ------------------------------------------------------------------------------- */

static const char *const kind_names[] = {"copy", "release", "consent"};
static const char *const to_names[] = {"person", "counsel"};
static const char *const intent_names[] = {"unset", "undecided", "yes", "no"};
static const char *const state_names[] = {"pending", "overdue", "served", "served_late"};
static const char *const anchor_names[] = {"receipt", "ice_notified", "interview"};

#define NAME_OF(tab, i) ((i) >= 0 && (size_t)(i) < sizeof(tab) / sizeof(tab)[0] ? (tab)[i] : NULL)

const char *notice_kind_name(int kind) { return NAME_OF(kind_names, kind); }
const char *notice_owed_to_name(int to) { return NAME_OF(to_names, to); }
const char *notice_intent_name(int intent) { return NAME_OF(intent_names, intent); }
const char *notice_state_name(int state) { return NAME_OF(state_names, state); }
const char *notice_anchor_name(int anchor) { return NAME_OF(anchor_names, anchor); }

int notice_kind_from_name(const char *s)
{
    return hc_name_index(kind_names, sizeof kind_names / sizeof kind_names[0], s, strlen(s));
}

int notice_intent_from_name(const char *s)
{
    return hc_name_index(intent_names, sizeof intent_names / sizeof intent_names[0], s,
                         strlen(s));
}
