/* SPDX-License-Identifier: MIT
 * console.h: what the staff console reads and records about a request or a person
 * (docs/console.md) beyond the rules of notices.h and truth.h: recording consent, intent,
 * disclosures and warrants with the checks each one carries, TRUTH Act notices as recorded and
 * their service, a request's audit trail, and a person with all their bookings. Which notices
 * are owed and when an interview may be granted are notices.h's and truth.h's. Strings read are
 * allocated from the caller's arena. */
#ifndef HC_APP_CONSOLE_H
#define HC_APP_CONSOLE_H

#include <stddef.h>
#include <stdint.h>

#include "arena.h"
#include "err.h"
#include "rows_audit.h"
#include "rows_console.h"
#include "rows_records.h"

struct hc_store;
struct notices_request;

/* The recording functions below take request r as notices_load loaded it, and record, with its
 * audit entry and actor as recorded_by, what the console says about it. Each returns 0;
 * HC_EINVAL with d naming the field at fault (or when the schema refuses a value); HC_ERANGE
 * with d set when the request does not allow it; or a store error. */

/* The person's answer to an interview request (Gov. Code 7283.1(a)): answer consent, decline
 * or attorney_only; attorney (NULL: none) the attorney named, not with decline. HC_ERANGE
 * (d->field "id") when r is not an interview request; HC_ERANGE (d->field "answer") before
 * the consent form is served (notices_consent_served), on which the answer is asked. */
int console_consent_add(struct hc_store *st, const struct notices_request *r, const char *answer,
                        const char *attorney, const char *actor, struct hc_diag *d);
/* Whether a user of role (one AUTH_* bit, auth.h) may state the agency's intent to comply under
 * conf (NULL: the defaults): any writer when conf->intent_by is AGENCY_INTENT_BY_CLERK, else a
 * supervisor or an admin. 1 or 0. */
struct agency_conf;
int console_may_state_intent(const struct agency_conf *conf, int role);

/* The agency's intent to comply: undecided, yes or no. HC_ERANGE (d->field "intent") for yes
 * when the decision to act on is not permitted or permitted with conditions. */
int console_intent_add(struct hc_store *st, const struct notices_request *r, const char *intent,
                       const char *actor, struct hc_diag *d);
/* A release-date disclosure: release_date as told, told_at when (NULL: now, in local time); a
 * told_at unreadable or more than five minutes ahead of the clock is refused ("told_at"). */
int console_disclosure_add(struct hc_store *st, const struct notices_request *r,
                           const char *release_date, const char *told_at, const char *actor,
                           struct hc_diag *d);
/* The court and judge of the judicial warrant recorded at intake. HC_ERANGE (d->field "id")
 * when r was recorded without a judicial warrant. */
int console_warrant_add(struct hc_store *st, const struct notices_request *r, const char *court,
                        const char *judge, const char *actor, struct hc_diag *d);

/* Request request_id's audit trail, oldest first, into *out and *n (in a). Returns 0;
 * HC_ENOENT with d->field "id" when there is no such request; or a store error. */
int console_request_audit(struct hc_store *st, int64_t request_id, struct hc_arena *a,
                          struct store_audit_entry **out, size_t *n, struct hc_diag *d);

/* Every booking of person person_id, newest first, each read as records_get reads it, into
 * *out and *n (in a; *n is 0 for a person without bookings). Returns 0; HC_ENOENT with
 * d->field "id" when there is no such person; or a store error. */
int console_person(struct hc_store *st, int64_t person_id, struct hc_arena *a,
                   struct store_record **out, size_t *n, struct hc_diag *d);

/* Notice notice_id into *n (in a). Returns 0; HC_ENOENT with d->field "id" when there is no
 * such notice; or a store error. */
int console_notice_get(struct hc_store *st, int64_t notice_id, struct hc_arena *a,
                       struct store_notice *n, struct hc_diag *d);

/* Notice notice_id into *n and its request with everything the console needs into *r
 * (notices_load), both in a. Returns 0; HC_ENOENT with d->field "id" when there is no such
 * notice or request; or a store error. Call notices_release(r) afterwards, whatever it returned
 * (r is zeroed first). */
int console_notice_load(struct hc_store *st, int64_t notice_id, struct hc_arena *a,
                        struct store_notice *n, struct notices_request *r, struct hc_diag *d);

/* Record notice *n (generated and rendered by the caller, its rules checked) with its audit
 * entry, then read it back into *n (in a) as console_notice_get gives it; *notice_id (OUT)
 * gets its id. Returns 0 or a store error. */
int console_notice_add(struct hc_store *st, struct store_notice *n, struct hc_arena *a,
                       int64_t *notice_id);

/* Record that notice notice_id was served as sv says, with its audit entry, then read it back
 * into *n (in a). sv->served_to NULL means to whom the notice is addressed: n->recipient_name
 * (as read before by console_notice_get) when it names someone, else the person the request is
 * about. Returns 0; STORE_ECONFLICT (d->field "id") when it was already served, and nothing
 * changes; HC_ENOENT (d->field "id"); HC_EINVAL when the schema refuses a value; or a store
 * error. */
int console_notice_serve(struct hc_store *st, int64_t notice_id,
                         const struct store_notice_service *sv, struct hc_arena *a,
                         struct store_notice *n, struct hc_diag *d);

#endif
