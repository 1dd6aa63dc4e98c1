/* SPDX-License-Identifier: MIT
 * console.c: what the staff console records about a request, with the checks of each record,
 * and its plain reads and rule-free writes (console.h). */
#include "console.h"

#include <string.h>

#include "agency_conf.h"
#include "auth.h"
#include "case.h"
#include "clock.h"
#include "engine.h"
#include "notices.h"
#include "records.h"
#include "service.h"
#include "store.h"

int console_consent_add(struct hc_store *st, const struct notices_request *r, const char *answer,
                        const char *attorney, const char *actor, struct hc_diag *d)
{
    struct store_consent x = {.request_id = r->det.req.id, .answer = answer,
                              .attorney = attorney, .recorded_by = actor};
    int64_t id;

    if (strcmp(answer, "consent") != 0 && strcmp(answer, "decline") != 0 &&
        strcmp(answer, "attorney_only") != 0)
        return hc_diag_set(d, "answer", "expected consent, decline or attorney_only", NULL);
    if (attorney != NULL && strcmp(answer, "decline") == 0)
        return hc_diag_set(d, "attorney", "not with decline", NULL);
    if (r->type != HC_REQ_INTERVIEW) {
        hc_diag_set(d, "id", "consent is recorded only for an interview request "
                    "(Gov. Code § 7283.1(a))", NULL);
        return HC_ERANGE;
    }
    if (!notices_consent_served(r)) {
        hc_diag_set(d, "answer", "the person's answer is recorded only after the written consent "
                    "form (notice kind consent) is served to them: Gov. Code § 7283.1(a) "
                    "requires it in advance of the interview", NULL);
        return HC_ERANGE;
    }
    return store_consent_add(st, &x, &id);
}

int console_intent_add(struct hc_store *st, const struct notices_request *r, const char *intent,
                       const char *actor, struct hc_diag *d)
{
    struct store_intent x = {.request_id = r->det.req.id, .intent = intent,
                             .recorded_by = actor};
    int64_t id;
    int v = notice_intent_from_name(intent);

    if (v <= NOTICE_INTENT_UNSET)
        return hc_diag_set(d, "intent", "expected undecided, yes or no", NULL);
    if (v == NOTICE_INTENT_YES && r->outcome != HC_OUT_PERMITTED &&
        r->outcome != HC_OUT_PERMITTED_COND) {
        hc_diag_set(d, "intent", "the agency cannot intend to comply: the decision to act on is ",
                    r->effective ? r->effective : "missing");
        return HC_ERANGE;
    }
    return store_intent_add(st, &x, &id);
}

int console_may_state_intent(const struct agency_conf *conf, int role)
{
    int writers = AUTH_CLERK | AUTH_SUPERVISOR | AUTH_ADMIN;
    if (agency_conf_or_default(conf)->intent_by == AGENCY_INTENT_BY_SUPERVISOR)
        writers = AUTH_SUPERVISOR | AUTH_ADMIN;
    return (role & writers) != 0;
}

int console_disclosure_add(struct hc_store *st, const struct notices_request *r,
                           const char *release_date, const char *told_at, const char *actor,
                           struct hc_diag *d)
{
    struct store_disclosure x = {.request_id = r->det.req.id, .release_date = release_date,
                                 .recorded_by = actor};
    char now[HC_CLOCK_LOCAL_LEN];
    int64_t t, id;

    if (told_at == NULL) {
        hc_clock_local(hc_clock_now(), now);
        told_at = now;
    } else if (notices_time(told_at, &t) != HC_OK || t > hc_clock_now() + 300) {
        return hc_diag_set(d, "told_at", "is in the future", NULL);
    }
    x.told_at = told_at;
    return store_disclosure_add(st, &x, &id);
}

int console_warrant_add(struct hc_store *st, const struct notices_request *r, const char *court,
                        const char *judge, const char *actor, struct hc_diag *d)
{
    struct store_warrant x = {.request_id = r->det.req.id, .court = court, .judge = judge,
                              .recorded_by = actor};
    int64_t id;

    if (!r->det.req.judicial_warrant) {
        hc_diag_set(d, "id", "the request was recorded without a judicial warrant", NULL);
        return HC_ERANGE;
    }
    return store_warrant_add(st, &x, &id);
}

int console_request_audit(struct hc_store *st, int64_t request_id, struct hc_arena *a,
                          struct store_audit_entry **out, size_t *n, struct hc_diag *d)
{
    struct store_request_detail det;
    int rc = records_request_get(st, request_id, a, &det, d);
    if (rc == HC_OK)
        rc = store_request_audit(st, request_id, a, out, n);
    return rc;
}

int console_person(struct hc_store *st, int64_t person_id, struct hc_arena *a,
                   struct store_record **out, size_t *n, struct hc_diag *d)
{
    const char **nos = NULL;
    size_t i, k = 0;
    int rc;

    *out = NULL;
    *n = 0;
    rc = service_missing(store_person_bookings(st, person_id, a, &nos, &k), d, "id",
                         "no such person");
    if (rc != HC_OK)
        return rc;
    if (k > 0 && (*out = hc_arena_alloc(a, k * sizeof **out)) == NULL)
        return HC_ENOMEM;
    for (i = 0; i < k; i++)
        if ((rc = store_record_get(st, nos[i], a, &(*out)[i])) != HC_OK)
            return rc;
    *n = k;
    return HC_OK;
}

int console_notice_get(struct hc_store *st, int64_t notice_id, struct hc_arena *a,
                       struct store_notice *n, struct hc_diag *d)
{
    return service_missing(store_notice_get(st, notice_id, a, n), d, "id", "no such notice");
}

int console_notice_load(struct hc_store *st, int64_t notice_id, struct hc_arena *a,
                        struct store_notice *n, struct notices_request *r, struct hc_diag *d)
{
    int rc;
    memset(r, 0, sizeof *r);
    rc = console_notice_get(st, notice_id, a, n, d);
    if (rc == HC_OK)
        rc = notices_load(st, n->request_id, a, r, d);
    return rc;
}

int console_notice_add(struct hc_store *st, struct store_notice *n, struct hc_arena *a,
                       int64_t *notice_id)
{
    int rc = store_notice_add(st, n, notice_id);
    if (rc == HC_OK)
        rc = store_notice_get(st, *notice_id, a, n);
    return rc;
}

int console_notice_serve(struct hc_store *st, int64_t notice_id,
                         const struct store_notice_service *sv, struct hc_arena *a,
                         struct store_notice *n, struct hc_diag *d)
{
    struct store_notice_service s = *sv;
    int rc;
    if (s.served_to == NULL) {
        /* The person's own notice goes to the person; counsel's to the named attorney or
         * designee. */
        if (n->recipient_name != NULL) {
            s.served_to = n->recipient_name;
        } else {
            struct store_request_detail det;
            struct store_record rec;
            if ((rc = store_request_get(st, n->request_id, a, &det)) != HC_OK ||
                (rc = store_record_get(st, det.booking_no, a, &rec)) != HC_OK)
                return rc;
            s.served_to = rec.person.name;
        }
    }
    if ((rc = store_notice_serve(st, notice_id, &s, d)) != HC_OK)
        return rc;
    return store_notice_get(st, notice_id, a, n);
}
