/* SPDX-License-Identifier: MIT
 * booking.c: a change to a booking and what it causes (contracts: booking.h). The invariant: the
 * row, the events, their deliveries and the audit entry are written in one store transaction,
 * so a restart loses no event and no delivery, and an event exists only for a change that was
 * committed. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "booking.h"
#include "clock.h"
#include "publish.h"
#include "service.h"
#include "store.h"
#include "subscribe.h"
#include "victims.h"

/* Whether two nullable strings differ. */
static int differ(const char *a, const char *b)
{
    if (a == NULL || b == NULL)
        return a != b;
    return strcmp(a, b) != 0;
}

/* o[k] = v, or null when v is NULL. */
static void set_str(json_t *o, const char *k, const char *v)
{
    json_object_set_new(o, k, v != NULL ? json_string(v) : json_null());
}

/* Record {"from","to"} under key in changes when from and to differ. */
static void change_str(json_t *changes, const char *key, const char *from, const char *to)
{
    json_t *c;
    if (!differ(from, to))
        return;
    c = json_object();
    set_str(c, "from", from);
    set_str(c, "to", to);
    json_object_set_new(changes, key, c);
}

/* The booking after patch p. */
static struct store_booking_state patched(const struct store_booking_state *old,
                                          const struct store_booking_patch *p)
{
    struct store_booking_state nw = *old;
    if (p->set & STORE_PATCH_STATUS)
        nw.status = p->status;
    if (p->set & STORE_PATCH_RELEASED_AT)
        nw.released_at = p->released_at;
    if (p->set & STORE_PATCH_RELEASE_REASON)
        nw.release_reason = p->release_reason;
    if (p->set & STORE_PATCH_FACILITY)
        nw.facility = p->facility;
    if (p->set & STORE_PATCH_SCHEDULED_RELEASE)
        nw.scheduled_release = p->scheduled_release;
    if (p->set & STORE_PATCH_BAIL) {
        nw.has_bail = p->has_bail;
        nw.bail = p->has_bail ? p->bail : 0;
    }
    if (p->set & STORE_PATCH_NEXT_COURT_DATE)
        nw.next_court_date = p->next_court_date;
    nw.events = 0;
    nw.deliveries = 0;
    return nw;
}

/* HC_OK when nw is a booking that can be: HC_EINVAL naming the field otherwise. */
static int consistent(const struct store_booking_state *nw, struct hc_diag *d)
{
    if (nw->facility == NULL || nw->status == NULL)
        return hc_diag_set(d, nw->facility == NULL ? "facility" : "status", "may not be null",
                           NULL);
    if (strcmp(nw->status, "released") == 0 && nw->released_at == NULL)
        return hc_diag_set(d, "released_at", "required when status is released", NULL);
    if (strcmp(nw->status, "in_custody") == 0 && nw->released_at != NULL)
        return hc_diag_set(d, "released_at", "must be null while in custody", NULL);
    return HC_OK;
}

/* The audit payload's "changes": each changed column as {"from","to"} (new reference). */
static json_t *changes_of(const struct store_booking_state *old,
                          const struct store_booking_state *nw)
{
    json_t *changes = json_object();
    change_str(changes, "status", old->status, nw->status);
    change_str(changes, "released_at", old->released_at, nw->released_at);
    change_str(changes, "release_reason", old->release_reason, nw->release_reason);
    change_str(changes, "facility", old->facility, nw->facility);
    change_str(changes, "scheduled_release", old->scheduled_release, nw->scheduled_release);
    change_str(changes, "next_court_date", old->next_court_date, nw->next_court_date);
    if (old->has_bail != nw->has_bail || old->bail != nw->bail) {
        json_t *c = json_object();
        json_object_set_new(c, "from", old->has_bail ? json_integer(old->bail) : json_null());
        json_object_set_new(c, "to", nw->has_bail ? json_integer(nw->bail) : json_null());
        json_object_set_new(changes, "bail", c);
    }
    return changes;
}

/* Into since, the earliest confirmation of a subscription that still follows its person to a
 * later booking (SUBSCRIBE_FOLLOW_DAYS before now), and return it; NULL when the policy's
 * fields publish no names: then no subscription follows, since following ties two booking
 * numbers to one person, which the public answers would not show. */
static const char *follow_since(unsigned fields, char since[HC_CLOCK_UTC_LEN])
{
    if (!(fields & STORE_PUB_NAME))
        return NULL;
    hc_clock_utc(hc_clock_now() - (int64_t)SUBSCRIBE_FOLLOW_DAYS * 86400, since);
    return since;
}

/* Record event evt (kind, data: consumed) about booking_id and, when the policy publishing
 * fields lets anyone hear of it, queue its deliveries (*queued grows by them). On success the
 * event's kind is appended to evs and its bit set in *events. */
static int raise_event(struct hc_store *st, int64_t booking_id, unsigned evt, const char *kind,
                       json_t *data, unsigned fields, const char *at, json_t *evs,
                       unsigned *events, int64_t *queued)
{
    char *text = json_dumps(data, JSON_COMPACT | JSON_SORT_KEYS), since[HC_CLOCK_UTC_LEN];
    int64_t eid = 0;
    int rc;

    json_decref(data);
    *events |= evt;
    if (text == NULL)
        return HC_ENOMEM;
    rc = store_event_add(st, booking_id, kind, text, at, NULL, &eid);
    free(text);
    if (rc != HC_OK)
        return rc;
    if (publish_allows(fields, PUBLISH_EVENT, evt) &&
        (rc = store_event_deliver(st, eid, booking_id, evt, at, follow_since(fields, since),
                                  queued)) != HC_OK)
        return rc;
    json_array_append_new(evs, json_string(kind));
    return HC_OK;
}

unsigned booking_change_kinds(const struct store_booking_state *old,
                              const struct store_booking_state *nw)
{
    unsigned k = 0;
    if (strcmp(old->status, "released") != 0 && strcmp(nw->status, "released") == 0)
        k |= BOOKING_RELEASED;
    if (old->facility != NULL && nw->facility != NULL && strcmp(old->facility, nw->facility) != 0)
        k |= BOOKING_TRANSFERRED;
    if (differ(old->scheduled_release, nw->scheduled_release) && nw->scheduled_release != NULL &&
        strcmp(nw->status, "in_custody") == 0)
        k |= BOOKING_RELEASE_DATE;
    return k;
}

/* The events of a change from old to nw of the kinds given (booking_change_kinds), in the
 * order subscribers see them. */
static int raise_events(struct hc_store *st, int64_t id, unsigned kinds,
                        const struct store_booking_state *old, struct store_booking_state *nw,
                        unsigned fields, const char *at, json_t *evs)
{
    int rc;
    if (kinds & BOOKING_RELEASED) {
        json_t *e = json_object();
        char day[HC_CLOCK_DATE_LEN];
        snprintf(day, sizeof day, "%.10s", nw->released_at);
        json_object_set_new(e, "custody_status", json_string("released"));
        json_object_set_new(e, "released_on", json_string(day));
        if ((rc = raise_event(st, id, STORE_EVT_RELEASED, "released", e, fields, at, evs,
                              &nw->events, &nw->deliveries)) != HC_OK)
            return rc;
    }
    if (kinds & BOOKING_TRANSFERRED) {
        json_t *e = json_object();
        set_str(e, "facility", nw->facility);
        set_str(e, "previous_facility", old->facility);
        if ((rc = raise_event(st, id, STORE_EVT_TRANSFERRED, "transferred", e, fields, at, evs,
                              &nw->events, &nw->deliveries)) != HC_OK)
            return rc;
    }
    if (kinds & BOOKING_RELEASE_DATE) {
        json_t *e = json_object();
        set_str(e, "scheduled_release", nw->scheduled_release);
        set_str(e, "previous_scheduled_release", old->scheduled_release);
        if ((rc = raise_event(st, id, STORE_EVT_RELEASE_DATE, "release_date", e, fields, at,
                              evs, &nw->events, &nw->deliveries)) != HC_OK)
            return rc;
    }
    return HC_OK;
}

/* Append the "booking.update" entry: the changes (consumed), the events (consumed), the
 * deliveries queued. */
static int audit_update(struct hc_store *st, const char *actor, const char *booking_no,
                        json_t *changes, json_t *evs, int64_t deliveries)
{
    json_t *pl = json_object();
    int rc;
    json_object_set_new(pl, "booking_no", json_string(booking_no));
    json_object_set_new(pl, "changes", changes);
    json_object_set_new(pl, "events", evs);
    json_object_set_new(pl, "deliveries", json_integer(deliveries));
    rc = pl != NULL ? store_audit_append(st, actor, "booking.update", booking_no, pl) : HC_ENOMEM;
    json_decref(pl);
    return rc;
}

int booking_change(struct hc_store *st, int64_t booking_id,
                   const struct store_booking_state *old, const struct store_booking_patch *p,
                   const char *actor, unsigned fields, struct store_booking_state *out,
                   int *changed, struct hc_diag *d)
{
    struct store_booking_state nw;
    json_t *changes = NULL, *evs = NULL;
    char at[HC_CLOCK_UTC_LEN];
    int64_t vq = 0;
    unsigned kinds;
    int rc;

    *changed = 0;
    nw = patched(old, p);
    if ((rc = consistent(&nw, d)) != HC_OK)
        return rc;
    changes = changes_of(old, &nw);
    if (json_object_size(changes) == 0) {
        json_decref(changes); /* nothing changes: nothing is written */
        *out = nw;
        return HC_OK;
    }
    hc_clock_utc(hc_clock_now(), at);
    if ((rc = store_booking_state_set(st, booking_id, &nw)) != HC_OK) {
        if (rc == HC_EINVAL)
            hc_diag_set(d, "", "the database refused the change", NULL);
        goto out;
    }
    if ((rc = store_facility_touch(st, old->facility, at)) != HC_OK ||
        (differ(old->facility, nw.facility) &&
         (rc = store_facility_touch(st, nw.facility, at)) != HC_OK))
        goto out;
    evs = json_array();
    kinds = booking_change_kinds(old, &nw);
    if ((rc = raise_events(st, booking_id, kinds, old, &nw, fields, at, evs)) != HC_OK)
        goto out;
    /* Registered victims are told whatever the publication policy (victims.h). */
    if ((rc = victims_on_change(st, booking_id, kinds, old, &nw, actor, at, &vq)) != HC_OK)
        goto out;
    rc = audit_update(st, actor, old->booking_no, changes, evs, nw.deliveries);
    changes = evs = NULL;
out:
    json_decref(changes);
    json_decref(evs);
    if (rc == HC_OK) {
        *out = nw;
        *changed = 1;
    }
    return rc;
}

int booking_update(struct hc_store *st, const char *booking_no,
                   const struct store_booking_patch *p, const char *actor, struct hc_arena *a,
                   struct store_booking_state *out, struct hc_diag *d)
{
    struct store_booking_state old, nw;
    unsigned fields = 0;
    int64_t id = 0;
    int rc, changed = 0;

    if ((rc = store_begin(st)) != HC_OK)
        return rc;
    if ((rc = store_booking_state_get(st, booking_no, a, &id, &old)) != HC_OK) {
        service_missing(rc, d, "booking_no", "no such booking");
        goto out;
    }
    if ((rc = store_public_policy_fields(st, &fields)) != HC_OK)
        goto out;
    rc = booking_change(st, id, &old, p, actor, fields, &nw, &changed, d);
out:
    if (rc != HC_OK) {
        store_rollback(st);
        return rc;
    }
    if ((rc = store_commit(st)) == HC_OK)
        *out = nw;
    return rc;
}

int booking_rebooked(struct hc_store *st, int64_t earlier_id, const char *booking_no,
                     const char *booked_at, const char *status, unsigned fields, int *raised,
                     int64_t *queued)
{
    char at[HC_CLOCK_UTC_LEN], day[HC_CLOCK_DATE_LEN], dedupe[80], since[HC_CLOCK_UTC_LEN];
    json_t *e = json_object();
    char *text;
    int64_t eid = 0, vq = 0;
    int rc;

    *raised = 0;
    snprintf(day, sizeof day, "%.10s", booked_at != NULL ? booked_at : "");
    set_str(e, "booking_no", booking_no);
    set_str(e, "custody_status", status);
    set_str(e, "booked_on", day);
    text = json_dumps(e, JSON_COMPACT | JSON_SORT_KEYS);
    json_decref(e);
    if (text == NULL)
        return HC_ENOMEM;
    snprintf(dedupe, sizeof dedupe, "rebooked/%.60s", booking_no);
    hc_clock_utc(hc_clock_now(), at);
    rc = store_event_add(st, earlier_id, "rebooked", text, at, dedupe, &eid);
    free(text);
    if (rc != HC_OK || eid == 0)
        return rc; /* raised before: nothing more */
    *raised = 1;
    if ((rc = victims_on_rebooked(st, earlier_id, booking_no, booked_at, "system", &vq)) != HC_OK)
        return rc;
    if ((fields & STORE_PUB_NAME) && publish_allows(fields, PUBLISH_EVENT, STORE_EVT_RELEASED))
        rc = store_event_deliver(st, eid, earlier_id, STORE_EVT_RELEASED, at,
                                 follow_since(fields, since), queued);
    return rc;
}

int booking_advance_scan(struct hc_store *st, const char *today, int64_t *queued)
{
    char since[HC_CLOCK_UTC_LEN];
    unsigned fields = 0;
    int rc;

    *queued = 0;
    if ((rc = store_begin(st)) != HC_OK)
        return rc;
    if ((rc = store_public_policy_fields(st, &fields)) == HC_OK &&
        publish_allows(fields, PUBLISH_EVENT, STORE_EVT_ADVANCE))
        rc = store_advance_scan(st, today, follow_since(fields, since), queued);
    if (rc != HC_OK) {
        store_rollback(st);
        return rc;
    }
    return store_commit(st);
}
