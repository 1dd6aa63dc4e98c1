/* SPDX-License-Identifier: MIT
 * report_releases.c: the releases-without-notice report: the releases of a period of people
 * with a notification request, and for each such request why immigration authorities were or
 * were not told. The rule, the one place it is written. A release is a booking whose
 * released_at is in the period; each notification request of that booking is classified by
 * the first that holds of:
 *   released_before_request  the request was received after the release;
 *   lifted_before_release    ICE lifted or withdrew it at or before the release (not open);
 *   notice_given             a `notified` action at or before the release;
 *   prohibited_by_law        the newest decision's own outcome is prohibited (Gov. Code
 *                            7284.6(a)(1)(C): no 7282.5 condition and the date not public);
 *   declined_by_policy       the law did not prohibit it, but the outcome in force does (an
 *                            override, prohibited or review) or the agency recorded a
 *                            `declined` action at or before the release;
 *   no_action_recorded       none of these: the record says nothing about why.
 * Actions recorded after the release do not change why no notice was given at the release. */
#include <string.h>

#include "report_int.h"
#include "store_reports.h"

#define G_TOTAL "total"
#define G_WHY "by_why"

static const char *const why_keys[] = {
    "released_before_request", "lifted_before_release", "notice_given", "prohibited_by_law",
    "declined_by_policy",      "no_action_recorded",
};
static const char *const why_labels[] = {
    "Released before the request arrived",
    "Lifted or withdrawn by immigration authorities before the release (not open)",
    "Notice given (a notified action at or before the release)",
    "Notice prohibited by law (the decision: prohibited)",
    "Notice declined by agency policy (an override in force, or a declined action)",
    "No action recorded",
};
enum why {
    WHY_BEFORE_REQUEST, WHY_LIFTED, WHY_NOTICE, WHY_LAW, WHY_POLICY, WHY_NONE, WHY_N
};

/* The facts of one request at one release that the rule reads. */
struct release_facts {
    int arrived_after;          /* received after the release */
    int lifted, notified, declined; /* such an action at or before the release */
    const char *engine_outcome; /* the newest decision's own (NULL: undecided) */
    int restricted_in_force;    /* the outcome in force is prohibited or review by override */
};

static int is(const char *s, const char *want)
{
    return s != NULL && strcmp(s, want) == 0;
}

static enum why classify(const struct release_facts *f)
{
    if (f->arrived_after)
        return WHY_BEFORE_REQUEST;
    if (f->lifted)
        return WHY_LIFTED;
    if (f->notified)
        return WHY_NOTICE;
    if (is(f->engine_outcome, "prohibited"))
        return WHY_LAW;
    if (f->restricted_in_force || f->declined)
        return WHY_POLICY;
    return WHY_NONE;
}

/* Count one request at a release under why it got no notice, and the release itself once
 * (new_release: the first request of its booking). */
static void count_request(struct report_ctx *r, int64_t request_id, int new_release,
                          enum why w)
{
    if (new_release)
        report__count(r, G_TOTAL, "releases", NULL, request_id);
    else
        report__add_id(r, G_TOTAL, "releases", request_id);
    report__count(r, G_TOTAL, "notification_requests", NULL, request_id);
    if (w != WHY_BEFORE_REQUEST && w != WHY_LIFTED && w != WHY_NOTICE)
        report__count(r, G_TOTAL, "without_notice", NULL, request_id);
    report__count(r, G_WHY, why_keys[w], NULL, request_id);
}

static void declare_figures(struct report_ctx *r)
{
    size_t i;
    report__figure(r, G_TOTAL, "releases",
                   "Releases of people with a notification request (bookings released)");
    report__figure(r, G_TOTAL, "notification_requests",
                   "Notification requests about those releases");
    report__figure(r, G_TOTAL, "without_notice",
                   "Open notification requests at a release without notice given");
    for (i = 0; i < WHY_N; i++)
        report__figure(r, G_WHY, why_keys[i], why_labels[i]);
}

/* The first of acts[0..n) (sorted by request id) about request id; n when none. */
static size_t first_action(const struct store_report_action *acts, size_t n, int64_t id)
{
    size_t lo = 0, hi = n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (acts[mid].request_id < id)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

static int build(struct hc_store *st, struct report_ctx *r, struct hc_diag *d)
{
    struct store_report_release *x = NULL;
    struct store_report_action *acts = NULL;
    size_t n = 0, na = 0, i, j;
    int64_t last_booking = 0;
    int rc;

    declare_figures(r);
    report__track_reads(r, REPORT_TABLE(STORE_REPORT_ACTIONS) |
                           REPORT_TABLE(STORE_REPORT_BOOKINGS) |
                           REPORT_TABLE(STORE_REPORT_DECISIONS) |
                           REPORT_TABLE(STORE_REPORT_OVERRIDES));
    if ((rc = store_report_releases(st, r->from_utc, r->to_utc, r->a, &x, &n, &acts, &na)) !=
        HC_OK)
        return hc_diag_set(d, "from", "the releases of the period could not be read", NULL), rc;
    for (j = 0; j < na; j++)
        report__read(r, STORE_REPORT_ACTIONS, acts[j].id);
    for (i = 0; i < n; i++) {
        struct release_facts f;
        char day[HC_CLOCK_DATE_LEN];
        json_t *row = json_object();
        enum why w;

        memset(&f, 0, sizeof f);
        f.arrived_after = x[i].received_epoch > x[i].released_epoch;
        for (j = first_action(acts, na, x[i].request_id);
             j < na && acts[j].request_id == x[i].request_id; j++) {
            if (acts[j].at_epoch > x[i].released_epoch)
                continue;
            f.lifted |= is(acts[j].kind, "lifted_by_ice");
            f.notified |= is(acts[j].kind, "notified");
            f.declined |= is(acts[j].kind, "declined");
        }
        f.engine_outcome = x[i].engine_outcome;
        f.restricted_in_force = x[i].override_id != 0 &&
                                (is(x[i].outcome, "prohibited") || is(x[i].outcome, "review"));
        w = classify(&f);
        count_request(r, x[i].request_id, x[i].booking_id != last_booking, w);
        last_booking = x[i].booking_id;
        report__ruleset(r, x[i].ruleset);
        report__read(r, STORE_REPORT_BOOKINGS, x[i].booking_id);
        report__read(r, STORE_REPORT_DECISIONS, x[i].decision_id);
        report__read(r, STORE_REPORT_OVERRIDES, x[i].override_id);
        report__local_date(x[i].released_epoch, day);
        json_object_set_new(row, "request_id", json_integer(x[i].request_id));
        json_object_set_new(row, "release_date", json_string(day));
        json_object_set_new(row, "why", json_string(why_keys[w]));
        json_object_set_new(row, "engine_outcome",
                            x[i].engine_outcome ? json_string(x[i].engine_outcome) : json_null());
        json_object_set_new(row, "outcome_in_force",
                            x[i].outcome ? json_string(x[i].outcome) : json_null());
        json_array_append_new(r->rows, row);
    }
    return HC_OK;
}

/* The same figures from STORE_TALLY_RELEASES: counts of actions by the release and of
 * restrictive overrides, read by SQL, instead of the actions walked here. */
static int tally(struct hc_store *st, struct report_ctx *r, struct hc_diag *d)
{
    struct store_report_tally *t = NULL;
    size_t n = 0, i;
    int64_t last_booking = 0;
    int rc;

    declare_figures(r);
    if ((rc = report__tally(st, r, STORE_TALLY_RELEASES, &t, &n, d)) != HC_OK)
        return rc;
    for (i = 0; i < n; i++) {
        struct release_facts f;
        f.arrived_after = t[i].n[0] != 0;
        f.notified = t[i].n[1] != 0;
        f.lifted = t[i].n[2] != 0;
        f.declined = t[i].n[3] != 0;
        f.engine_outcome = t[i].v[0];
        f.restricted_in_force = t[i].n[4] != 0;
        count_request(r, t[i].request_id, t[i].id != last_booking, classify(&f));
        last_booking = t[i].id;
    }
    /* The bookings a release of any period could come from: --check verifies each against
     * the audit chain, so that one moved out of the period behind the report's back shows. */
    report__track_reads(r, REPORT_TABLE(STORE_REPORT_BOOKINGS));
    if ((rc = report__tally(st, r, STORE_TALLY_NOTIFIED_BOOKINGS, &t, &n, d)) != HC_OK)
        return rc;
    for (i = 0; i < n; i++)
        report__read(r, STORE_REPORT_BOOKINGS, t[i].id);
    return HC_OK;
}

const struct report_kind report_releases_without_notice = {
    "releases-without-notice",
    "releases-without-notice/1",
    "Releases of people with a notification request, by why no notice was given",
    "Gov. Code 7284.6(a)(1)(C): agencies shall not provide \"information regarding a person's "
    "release date or responding to requests for notification by providing release dates or "
    "other information unless that information is available to the public, or is in response "
    "to a notification request from immigration authorities in accordance with Section "
    "7282.5.\" Gov. Code 7283.1(c): records relating to ICE access are public records.",
    build,
    tally,
    NULL,
};
