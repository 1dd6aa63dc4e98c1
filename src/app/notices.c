/* SPDX-License-Identifier: MIT
 * notices.c: the facts behind the TRUTH Act notices of one request, and the rules of who
 * receives them (notices.h). */
#include "notices.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

#include "case.h"
#include "date.h"
#include "engine.h"
#include "render.h"
#include "review.h"
#include "records.h"
#include "store.h"

/* A stored time ("YYYY-MM-DD", or with "THH:MM:SS", a fraction and "Z" or an offset) as seconds
 * since 1970 UTC into *out. A date alone is the start of that day, and a time without an offset
 * is the server's local time (run it with TZ set, as intake does). HC_EINVAL when s is not such
 * a time. */
int notices_time(const char *s, int64_t *out)
{
    struct hc_time t;
    struct tm tm;
    time_t lt;
    int y, mo, dd;
    if (s == NULL || hc_time_parse(s, strlen(s), &t) != 0)
        return HC_EINVAL;
    if (t.has_zone) {
        *out = hc_time_utc(&t);
        return HC_OK;
    }
    hc_date_to_ymd(t.day, &y, &mo, &dd);
    memset(&tm, 0, sizeof tm);
    tm.tm_year = y - 1900;
    tm.tm_mon = mo - 1;
    tm.tm_mday = dd;
    tm.tm_hour = t.secs / 3600;
    tm.tm_min = t.secs / 60 % 60;
    tm.tm_sec = t.secs % 60;
    tm.tm_isdst = -1;
    lt = mktime(&tm);
    if (lt == (time_t)-1)
        return HC_EINVAL;
    *out = (int64_t)lt;
    return HC_OK;
}

/* Whether the decision's conditions name provision p ("7283.1(a)"). */
static int has_condition(json_t *decision, const char *p)
{
    json_t *c = json_object_get(decision, "conditions"), *v;
    size_t i;
    json_array_foreach(c, i, v) {
        const char *s = json_string_value(v);
        if (s != NULL && strstr(s, p) != NULL)
            return 1;
    }
    return 0;
}

/* Fill r->times from the request, the booking and the console's records. */
static void request_times(struct notices_request *r)
{
    size_t i;
    int64_t t;
    notice_times_init(&r->times);
    if (notices_time(r->det.req.received_at, &t) == HC_OK)
        r->times.received = t;
    if (r->disclosure != NULL && notices_time(r->disclosure->told_at, &t) == HC_OK)
        r->times.ice_notified = t;
    for (i = r->cs.ninterviews; i-- > 0;)
        if (strcmp(r->cs.interviews[i].status, "scheduled") == 0) {
            if (notices_time(r->cs.interviews[i].at, &t) == HC_OK)
                r->times.interview = t;
            break;
        }
    /* The release: when it happened, else when it is scheduled. */
    if ((r->rec.booking.released_at != NULL &&
         notices_time(r->rec.booking.released_at, &t) == HC_OK) ||
        (r->rec.booking.scheduled_release != NULL &&
         notices_time(r->rec.booking.scheduled_release, &t) == HC_OK))
        r->times.release = t;
}

/* Load request id with everything the console needs, and compute the notices owed. HC_ENOENT
 * (d->field "id") when there is no such request. */
int notices_load(struct hc_store *st, int64_t id, struct hc_arena *a, struct notices_request *r,
                 struct hc_diag *d)
{
    struct notice_situation sit;
    int rc;

    memset(r, 0, sizeof *r);
    r->outcome = r->ruleset = -1;
    notice_clock_defaults(&r->clock);
    rc = records_request_get(st, id, a, &r->det, d);
    if (rc != HC_OK)
        return rc;
    if ((rc = store_record_get(st, r->det.booking_no, a, &r->rec)) != HC_OK ||
        (rc = store_console_state(st, id, a, &r->cs)) != HC_OK)
        return rc;
    r->type = hc_request_from_name(r->det.req.type, strlen(r->det.req.type));
    if (r->det.ndec > 0) {
        const struct store_decision_row *dec = &r->det.dec[r->det.ndec - 1];
        r->effective = review_effective_outcome(&r->det);
        r->outcome = hc_outcome_from_name(r->effective);
        r->ruleset = hc_ruleset_from_name(dec->ruleset);
        r->decision = json_loads(dec->decision_json, 0, NULL);
        r->need_consent = has_condition(r->decision, "7283.1(a)");
    }
    r->intent = NOTICE_INTENT_UNSET;
    if (r->cs.nintents > 0)
        r->intent = notice_intent_from_name(r->cs.intents[r->cs.nintents - 1].intent);
    if (r->intent < 0)
        r->intent = NOTICE_INTENT_UNSET;
    /* A stated "yes" cannot survive an override to prohibited: the agency will not comply. */
    if (r->intent == NOTICE_INTENT_YES && r->outcome == HC_OUT_PROHIBITED)
        r->intent = NOTICE_INTENT_NO;
    if (r->cs.ndisclosures > 0)
        r->disclosure = &r->cs.disclosures[r->cs.ndisclosures - 1];
    request_times(r);
    if (r->type < 0 || r->outcome < 0 || r->ruleset < 0)
        return HC_OK; /* undecided: nothing is owed yet */
    memset(&sit, 0, sizeof sit);
    sit.type = r->type;
    sit.outcome = r->outcome;
    sit.ruleset = r->ruleset;
    sit.intent = r->intent;
    sit.release_date_provided = r->disclosure != NULL;
    return notice_owed(&sit, r->owed, &r->nowed, d);
}

void notices_release(struct notices_request *r)
{
    json_decref(r->decision);
    r->decision = NULL;
}

/* Whether recorded notice n fulfils owed notice o: same kind, a recipient of o's slot, for a
 * copy the intent o states, for a release the newest release date given to ICE. */
static int fulfils(const struct notices_request *r, const struct notice_owed *o,
                   const struct store_notice *n)
{
    if (notice_kind_from_name(n->kind) != o->kind)
        return 0;
    if (o->to == NOTICE_OWED_PERSON ? strcmp(n->recipient, "person") != 0
                                    : strcmp(n->recipient, "person") == 0)
        return 0;
    if (o->kind == NOTICE_COPY)
        return n->intent != NULL && strcmp(n->intent, notice_intent_name(o->intent)) == 0;
    if (o->kind == NOTICE_RELEASE)
        return r->disclosure != NULL && n->release_date != NULL &&
               strcmp(n->release_date, r->disclosure->release_date) == 0;
    return 1;
}

/* The earliest service of a recorded notice fulfilling o (NOTICE_TIME_NONE: none), and that
 * notice into *by (or NULL). */
int64_t notices_served_at(const struct notices_request *r, const struct notice_owed *o,
                         const struct store_notice **by)
{
    int64_t best = NOTICE_TIME_NONE, t;
    size_t i;
    *by = NULL;
    for (i = 0; i < r->cs.nnotices; i++) {
        const struct store_notice *n = &r->cs.notices[i];
        if (n->served_at == NULL || !fulfils(r, o, n) || notices_time(n->served_at, &t) != HC_OK)
            continue;
        if (best == NOTICE_TIME_NONE || t < best) {
            best = t;
            *by = n;
        }
    }
    return best;
}

int notices_consent_served(const struct notices_request *r)
{
    size_t i;
    for (i = 0; i < r->cs.nnotices; i++)
        if (r->cs.notices[i].kind != NULL && strcmp(r->cs.notices[i].kind, "consent") == 0 &&
            r->cs.notices[i].served_at != NULL)
            return 1;
    return 0;
}

/* Whether the interview may be marked granted now, and if not, why (d). */
int notices_may_grant(const struct notices_request *r, char *why, size_t n)
{
    const struct store_consent *last = r->cs.nconsents ? &r->cs.consents[r->cs.nconsents - 1]
                                                        : NULL;
    why[0] = '\0';
    if (r->type != HC_REQ_INTERVIEW) {
        snprintf(why, n, "not an interview request");
        return 0;
    }
    if (r->outcome != HC_OUT_PERMITTED && r->outcome != HC_OUT_PERMITTED_COND) {
        snprintf(why, n, "the decision to act on is %s: the interview may not take place",
                 r->effective ? r->effective : "missing");
        return 0;
    }
    if (!r->need_consent)
        return 1;
    if (!notices_consent_served(r))
        snprintf(why, n, "serve the written consent form first (Gov. Code § 7283.1(a))");
    else if (last == NULL)
        snprintf(why, n, "record the person's answer first (Gov. Code § 7283.1(a))");
    else if (strcmp(last->answer, "decline") == 0)
        snprintf(why, n, "the person declined the interview");
    else if (strcmp(last->answer, "attorney_only") == 0 && last->attorney == NULL)
        snprintf(why, n, "the person agreed only with an attorney present: record the attorney");
    return why[0] == '\0';
}

/* Why notice kind is not owed now. */
static const char *not_owed_why(int kind)
{
    switch (kind) {
    case NOTICE_COPY:
        return "no copy notice is owed for this request: Gov. Code § 7283.1(b) requires one for "
               "an ICE hold, notification or transfer request received on or after 2017-01-01";
    case NOTICE_RELEASE:
        return "no release notice is owed for this request: Gov. Code § 7283.1(b) requires one "
               "once the agency tells immigration authorities a release date; record that first";
    default:
        return "no consent form is owed for this request: Gov. Code § 7283.1(a) requires one "
               "before an interview the agency may allow";
    }
}


int notices_plan(struct hc_store *st, int64_t id, const struct notices_ask *ask,
                 struct hc_arena *a, struct notices_request *r, const struct notice_owed **owed,
                 const char **recipient, struct hc_diag *d)
{
    const char *to = ask->recipient != NULL ? ask->recipient : "person";
    int person = strcmp(to, "person") == 0;
    size_t i;
    int rc;

    *owed = NULL;
    memset(r, 0, sizeof *r);
    if (!person && strcmp(to, "attorney") != 0 && strcmp(to, "designee") != 0)
        return hc_diag_set(d, "recipient", "expected person, attorney or designee", NULL);
    if (!person && ask->kind != NOTICE_RELEASE) {
        hc_diag_set(d, "recipient", "only a release notice goes to an attorney or designee "
                    "(Gov. Code § 7283.1(b)); this one is for the person", NULL);
        return HC_ERANGE;
    }
    if (!person && ask->recipient_name == NULL)
        return hc_diag_set(d, "recipient_name", "required: the attorney's or designee's name",
                           NULL);
    if (person && ask->recipient_name != NULL)
        return hc_diag_set(d, "recipient_name", "only for an attorney or designee", NULL);
    if ((rc = notices_load(st, id, a, r, d)) != HC_OK)
        return rc;
    for (i = 0; i < r->nowed; i++)
        if (r->owed[i].kind == ask->kind && (r->owed[i].to == NOTICE_OWED_PERSON) == person) {
            *owed = &r->owed[i];
            *recipient = to;
            return HC_OK;
        }
    hc_diag_set(d, "kind", not_owed_why(ask->kind), NULL);
    return HC_ERANGE;
}
