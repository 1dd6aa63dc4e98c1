/* SPDX-License-Identifier: MIT
 * actions.c: what the agency did about a request (contracts: actions.h). The kinds, the ICE
 * lift reasons each kind may carry, and the one rule of which action is contrary to the outcome
 * in force live here; the store keeps the rows and checks only the lists. */
#include "actions.h"

#include <stdio.h>
#include <string.h>

#include "auth.h"
#include "clock.h"
#include "notices.h"
#include "records.h"
#include "store.h"

/* Clock skew allowed for an action's time: a terminal a little ahead of the server. */
#define ACTIONS_SKEW_SECONDS 300

/* In the order of enum action_kind. */
static const char *const kind_names[ACTION_NKINDS] = {
    "notified", "transferred", "released_before_ice", "ice_no_custody", "lifted_by_ice",
    "declined"};

/* ICE's detainer lift reasons (the detainer_lift_reason values of ICE's detainer data as the
 * Deportation Data Project publishes it), by code, with the kinds of action that end a detainer
 * that way. The first kind bit listed for a kind's usual reason is its default. */
#define K(k) (1u << (k))
static const struct {
    const char *code;
    const char *ice;   /* ICE's own words */
    unsigned kinds;    /* K(ACTION_...) bits */
    unsigned usual;    /* the kinds it is the default reason of */
} reasons[] = {
    {"booked_into_detention", "Booked into Detention", K(ACTION_TRANSFERRED),
     K(ACTION_TRANSFERRED)},
    {"declined_by_lea", "Detainer Declined by LEA", K(ACTION_DECLINED), K(ACTION_DECLINED)},
    {"early_release", "Early Release", K(ACTION_RELEASED_BEFORE_ICE),
     K(ACTION_RELEASED_BEFORE_ICE)},
    {"insufficient_notice", "Insufficient Notice to ICE",
     K(ACTION_RELEASED_BEFORE_ICE) | K(ACTION_ICE_NO_CUSTODY), 0},
    {"not_in_custody", "No longer in State, Local, or Federal Custody",
     K(ACTION_RELEASED_BEFORE_ICE) | K(ACTION_ICE_NO_CUSTODY), 0},
    {"ice_resource_constraint", "ICE Temporary Resource Constraint", K(ACTION_ICE_NO_CUSTODY),
     K(ACTION_ICE_NO_CUSTODY)},
    {"case_closed", "Case Closed", K(ACTION_LIFTED_BY_ICE), K(ACTION_LIFTED_BY_ICE)},
    {"prosecutorial_discretion", "Prosecutorial Discretion", K(ACTION_LIFTED_BY_ICE), 0},
    {"not_amenable", "Not Amenable to Removal", K(ACTION_LIFTED_BY_ICE), 0},
    {"citizenship_claim", "USC or Presumptive Claim to US Citizenship", K(ACTION_LIFTED_BY_ICE),
     0},
    {"superseded", "Superseding - New Form Issued", K(ACTION_LIFTED_BY_ICE), 0},
    {"duplicate", "Duplicate", K(ACTION_LIFTED_BY_ICE), 0},
    {"judicial_review", "Judicial Review", K(ACTION_LIFTED_BY_ICE), 0},
};
#define NREASONS (sizeof reasons / sizeof reasons[0])

int actions_kind_from_name(const char *name)
{
    int k;
    for (k = 0; name != NULL && k < ACTION_NKINDS; k++)
        if (strcmp(name, kind_names[k]) == 0)
            return k;
    return -1;
}

const char *actions_kind_name(int k)
{
    return k >= 0 && k < ACTION_NKINDS ? kind_names[k] : NULL;
}

static int reason_index(const char *code)
{
    size_t i;
    for (i = 0; code != NULL && i < NREASONS; i++)
        if (strcmp(code, reasons[i].code) == 0)
            return (int)i;
    return -1;
}

const char *actions_ice_reason_text(const char *code)
{
    int i = reason_index(code);
    return i >= 0 ? reasons[i].ice : NULL;
}

/* Whether the outcome in force lets the agency act on the request at all. */
static int permits(const char *in_force)
{
    return in_force != NULL && (strcmp(in_force, "permitted") == 0 ||
                                strcmp(in_force, "permitted_with_conditions") == 0);
}

int actions_contrary(int k, const char *request_type, const char *in_force)
{
    int is = request_type != NULL;
    switch (k) {
    case ACTION_NOTIFIED:
        return !(is && (strcmp(request_type, "notification") == 0 ||
                        strcmp(request_type, "transfer") == 0) && permits(in_force));
    case ACTION_TRANSFERRED:
        return !(is && strcmp(request_type, "transfer") == 0 && permits(in_force));
    default:
        return 0;
    }
}

/* The fields kind k needs and may carry, and its ICE reason (defaulted when NULL). */
static int check_fields(int k, struct store_action *x, struct hc_diag *d)
{
    size_t i;
    int64_t t;
    int r;

    if (k == ACTION_NOTIFIED) {
        if (x->method == NULL)
            return hc_diag_set(d, "method", "how ICE was told is required: phone, fax, email "
                                            "or system", NULL);
        if (strcmp(x->method, "phone") != 0 && strcmp(x->method, "fax") != 0 &&
            strcmp(x->method, "email") != 0 && strcmp(x->method, "system") != 0)
            return hc_diag_set(d, "method", "expected phone, fax, email or system", NULL);
        if (x->acted_by == NULL)
            return hc_diag_set(d, "acted_by", "who told ICE is required", NULL);
    } else if (x->method != NULL) {
        return hc_diag_set(d, "method", "only a notification (kind notified) has a method", NULL);
    }
    if (k == ACTION_TRANSFERRED && x->office == NULL)
        return hc_diag_set(d, "office", "the ICE office that took custody is required", NULL);
    if (k != ACTION_TRANSFERRED && x->office != NULL)
        return hc_diag_set(d, "office", "only a transfer (kind transferred) names an office",
                           NULL);
    if (x->at == NULL || notices_time(x->at, &t) != HC_OK)
        return hc_diag_set(d, "at", "expected the time it happened, YYYY-MM-DDTHH:MM:SS with Z "
                                    "or an offset", NULL);
    if (t > hc_clock_now() + ACTIONS_SKEW_SECONDS)
        return hc_diag_set(d, "at", "the action cannot have happened in the future", NULL);
    if (x->ice_reason == NULL) {
        for (i = 0; i < NREASONS; i++)
            if (reasons[i].usual & K(k))
                x->ice_reason = reasons[i].code;
        return HC_OK;
    }
    if ((r = reason_index(x->ice_reason)) < 0)
        return hc_diag_set(d, "ice_reason", "not one of ICE's detainer lift reasons (see "
                                            "docs/actions.md)", NULL);
    if (!(reasons[r].kinds & K(k)))
        return hc_diag_set(d, "ice_reason", "this ICE lift reason does not fit the kind of "
                                            "action", NULL);
    return HC_OK;
}

/* Whether the request received at received (as stored) came after the action at at by more
 * than the clock skew allowed (a form's time is the clerk's clock, to the minute). A received
 * time that does not read is not compared. */
static int received_after(const char *received, const char *at)
{
    int64_t r, t;
    return received != NULL && notices_time(received, &r) == HC_OK &&
           notices_time(at, &t) == HC_OK && t < r - ACTIONS_SKEW_SECONDS;
}

int actions_record(struct hc_store *st, int64_t request_id, struct store_action *x, int role,
                   const char *actor, struct hc_arena *scratch, int64_t *action_id,
                   struct hc_diag *d)
{
    struct store_request_detail det;
    int k = actions_kind_from_name(x->kind), rc;

    if (k < 0)
        return hc_diag_set(d, "kind", "expected notified, transferred, released_before_ice, "
                                      "ice_no_custody, lifted_by_ice or declined", NULL);
    if ((rc = check_fields(k, x, d)) != HC_OK)
        return rc;
    hc_arena_reset(scratch);
    if ((rc = store_begin(st)) != HC_OK)
        return rc;
    if ((rc = records_request_get(st, request_id, scratch, &det, d)) != HC_OK)
        goto out;
    if (received_after(det.req.received_at, x->at)) {
        hc_diag_set(d, "at", "the action cannot have happened before the request was received, at ",
                    det.req.received_at);
        rc = HC_EINVAL;
        goto out;
    }
    x->request_id = request_id;
    x->outcome_in_force = det.req.outcome;
    x->contrary = actions_contrary(k, det.req.type, det.req.outcome);
    x->recorded_by = actor;
    if (x->reason != NULL && x->reason[0] == '\0')
        x->reason = NULL;
    if (x->contrary) {
        if (!(role & (AUTH_SUPERVISOR | AUTH_ADMIN))) {
            char msg[160];
            snprintf(msg, sizeof msg, "this action is contrary to the outcome in force (%s) of "
                     "this request: ", det.req.outcome != NULL ? det.req.outcome : "not decided");
            hc_diag_set(d, "kind", msg, "only a supervisor may record it, with a reason");
            rc = ACTIONS_ESUPERVISOR;
            goto out;
        }
        if (x->reason == NULL) {
            hc_diag_set(d, "reason", "this action is contrary to the outcome in force: a "
                                     "reason is required", NULL);
            rc = HC_ERANGE;
            goto out;
        }
    }
    if ((rc = store_action_add(st, x, action_id)) != HC_OK) {
        if (rc == HC_EINVAL)
            hc_diag_set(d, "", "the action does not fit the record's constraints", NULL);
        goto out;
    }
    return store_commit(st);
out:
    store_rollback(st);
    return rc;
}

int actions_list(struct hc_store *st, const struct store_action_filter *f, struct hc_arena *a,
                 struct store_action **out, size_t *n, struct hc_diag *d)
{
    struct store_request_detail det;
    int rc;
    if (f->request_id > 0 && (rc = records_request_get(st, f->request_id, a, &det, d)) != HC_OK)
        return rc;
    return store_actions_list(st, f, a, out, n);
}
