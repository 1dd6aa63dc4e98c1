/* SPDX-License-Identifier: MIT
 * actions.h: what the agency did about an immigration request, recorded after the decision:
 * ICE told of the release date, a transfer to ICE custody, a release before ICE came, ICE not
 * taking custody, the request lifted or withdrawn by ICE, the request declined. Each action is
 * appended, never changed (request_actions, migration 7), carries ICE's own word for how the
 * detainer ended (its detainer lift reason), and is flagged "contrary" when it went against
 * the outcome in force: recording such an action is never refused silently and never hidden,
 * but it needs a supervisor and a reason (docs/actions.md). */
#ifndef HC_APP_ACTIONS_H
#define HC_APP_ACTIONS_H

#include <stddef.h>
#include <stdint.h>

#include "arena.h"
#include "err.h"
#include "rows_requests.h"

struct hc_store;

/* The kinds of action, in the order of actions_kind_name. */
enum action_kind {
    ACTION_NOTIFIED,            /* ICE told of the release date (when, how, by whom) */
    ACTION_TRANSFERRED,         /* the person handed to ICE custody (when, to which office) */
    ACTION_RELEASED_BEFORE_ICE, /* released before ICE arrived */
    ACTION_ICE_NO_CUSTODY,      /* ICE did not take custody */
    ACTION_LIFTED_BY_ICE,       /* ICE lifted or withdrew the request */
    ACTION_DECLINED,            /* the agency declined the request */
    ACTION_NKINDS
};

/* A contrary action recorded by a role that may not record one (a clerk): the HTTP layer
 * answers it 403 with d's message. Distinct from every HC_E* and store code. */
#define ACTIONS_ESUPERVISOR (-48)

/* The kind named name (enum action_kind), or -1. */
int actions_kind_from_name(const char *name);
/* The name of kind k ("notified" ...), or NULL outside the enum. */
const char *actions_kind_name(int k);

/* ICE's own words for the detainer lift reason whose code is code ("early_release" gives
 * "Early Release"), as ICE's published detainer data writes them; NULL for an unknown code. */
const char *actions_ice_reason_text(const char *code);

/* Whether an action of kind k, recorded about a request of type request_type whose outcome in
 * force is in_force (NULL: not decided), goes against that outcome. The one rule of which
 * action is contrary to which outcome for which request type:
 * - notified (release date told to ICE) is an answer to a notification request: Gov. Code
 *   7284.6(a)(1)(C) allows it only when the date is public or 7282.5 permits it, which is what
 *   the decision of a notification (or transfer) request settles. It is contrary unless the
 *   request is a notification or transfer request whose outcome in force is permitted or
 *   permitted_with_conditions; on a hold request (7284.6(a)(1)(B)) or any other, nothing
 *   decided permits it.
 * - transferred is contrary unless the request is a transfer request whose outcome in force is
 *   permitted or permitted_with_conditions (7284.6(a)(4): a judicial warrant or probable cause
 *   determination, or 7282.5(a)).
 * - review and prohibited never permit either: review means a person must decide first.
 * - released_before_ice, ice_no_custody, lifted_by_ice and declined give ICE nothing and are
 *   never contrary (declining is always open: responses are never required, 7284.6(a)(1)(C)).
 * Returns 1 (contrary) or 0. */
int actions_contrary(int k, const char *request_type, const char *in_force);

/* Record action x about request request_id, as actor with role (an AUTH_* bit, auth.h).
 * x->kind, x->at and the fields its kind needs are the caller's (x->method for notified, with
 * x->acted_by; x->office for transferred); x->ice_reason may be NULL, which records the kind's
 * usual reason (transferred: booked_into_detention ...; none for notified). This function sets
 * x->request_id, x->outcome_in_force (read in the same transaction), x->contrary
 * (actions_contrary) and x->recorded_by.
 * Errors (d names the field): HC_ENOENT ("id") no such request; HC_EINVAL ("kind", "method",
 * "acted_by", "office", "ice_reason", "at") a field missing, unknown or not for this kind, or
 * at in the future; ACTIONS_ESUPERVISOR ("kind") the action is contrary and role is not a
 * supervisor's or an administrator's; HC_ERANGE ("reason") the action is contrary and
 * x->reason is NULL or empty. Nothing is written on error. The check and the write (with its
 * audit entry) are one transaction. *action_id (OUT) on success. scratch is reset. */
int actions_record(struct hc_store *st, int64_t request_id, struct store_action *x, int role,
                   const char *actor, struct hc_arena *scratch, int64_t *action_id,
                   struct hc_diag *d);

/* The actions matching f (one request's, or a period's), oldest first, into *out and *n (in
 * a). For one request, HC_ENOENT (d->field "id") when it does not exist. HC_EINVAL for a
 * limit outside 1..1000. */
int actions_list(struct hc_store *st, const struct store_action_filter *f, struct hc_arena *a,
                 struct store_action **out, size_t *n, struct hc_diag *d);

#endif
