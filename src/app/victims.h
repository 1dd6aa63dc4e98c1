/* SPDX-License-Identifier: MIT
 * victims.h: victim notification apart from the public feed (docs/public.md, "Victim
 * notification"; Penal Code 646.92 and 679.03). Staff register a victim, or a person the victim
 * designates, for a booking or for its person; a release, transfer, escape or death of that
 * booking (or, following the person, of any of the person's bookings, and a re-booking) queues
 * a notice for them whatever the publication policy, and the delivery thread sends those
 * notices before any public delivery. Every rule is here: who may see a registrant's name and
 * contact, which fields a registration takes, which registrations hear of which change, what a
 * release reason makes of a release (escape, death), the notices' texts in the six notice
 * languages, and the audit entries (which never hold a name or contact). */
#ifndef HC_APP_VICTIMS_H
#define HC_APP_VICTIMS_H

#include <stddef.h>
#include <stdint.h>

#include "arena.h"
#include "buf.h"
#include "err.h"
#include "rows_public.h"
#include "rows_records.h"
#include "rows_victims.h"

struct hc_store;

/* The backend has no victim notification (STORE_ENOTSUP: PostgreSQL for now); HTTP answers
 * 501. Distinct from every HC_E* and store code. */
#define VICTIMS_ENOTSUP (-56)

#define VICTIMS_NAME_MAX 200
#define VICTIMS_TARGET_MAX 254

/* The channels a registration may name. Only email is sent today; the others are refused at
 * registration (HC_ERANGE) until their senders exist. */
enum victims_channel { VICTIMS_EMAIL, VICTIMS_SMS, VICTIMS_WEBHOOK, VICTIMS_NCHANNELS };

/* Whether role (an auth_role bit) may see registrants' names and contacts: clerks,
 * supervisors and administrators, who register and keep them current. Auditors see that
 * registrations exist, their booking, channel, language and notices, never who or where. */
int victims_may_see_contact(int role);

/* Register v (booking_no, follows_person, name, relation, channel, target, lang; the rest is
 * ignored) by actor, with the audit entry "victim.register" (entity "victim/ID": booking,
 * relation, channel, language, follows_person; never the name or target) in one transaction.
 * *id (OUT). HC_EINVAL naming the field (d) for a bad value; HC_ERANGE (field "channel") for
 * a channel not sent yet; HC_ENOENT (field "booking_no") when the booking does not exist;
 * VICTIMS_ENOTSUP; the store's errors. */
int victims_register(struct hc_store *st, const struct store_victim *v, const char *actor,
                     int64_t *id, struct hc_diag *d);

/* Change registration id: each non-NULL string of ch (name, relation, channel, target, lang)
 * and follows_person when set_follows, by actor, audited "victim.change" with the names of
 * the fields changed (and the new channel, language and follows_person, never the name or
 * target). A removed registration cannot change (HC_EINVAL, field "id"). Errors as
 * victims_register; HC_ENOENT (field "id"). */
int victims_change(struct hc_store *st, int64_t id, const struct store_victim *ch,
                   int set_follows, const char *actor, struct hc_diag *d);

/* Remove registration id by actor (state "removed": its pending notices are cancelled when
 * their turn comes), audited "victim.remove". Removing a removed one changes nothing and
 * succeeds. HC_ENOENT (field "id"); VICTIMS_ENOTSUP. */
int victims_remove(struct hc_store *st, int64_t id, const char *actor, struct hc_diag *d);

/* The registrations of booking_no (NULL: all), newest first, at most 500, into *out (in a).
 * For a role that may not see contacts (victims_may_see_contact) name and target are NULL.
 * HC_EINVAL (field "booking_no") for a malformed number; VICTIMS_ENOTSUP. */
int victims_list(struct hc_store *st, const char *booking_no, int role, struct hc_arena *a,
                 struct store_victim **out, size_t *n, struct hc_diag *d);

/* Registration id and its notices, newest first (in a), redacted for role as victims_list.
 * HC_ENOENT (field "id"); VICTIMS_ENOTSUP. */
int victims_get(struct hc_store *st, int64_t id, int role, struct hc_arena *a,
                struct store_victim *out, struct store_victim_notice **notices, size_t *nn,
                struct hc_diag *d);

/* A committed-to-be change of booking booking_id from old to nw by actor, of the kinds
 * booking_change_kinds (booking.h) found: queue the notices it owes (BOOKING_RELEASED:
 * released, escaped or died, by release_reason; BOOKING_TRANSFERRED: transferred) for each
 * active registration of the booking, or of its person that follows the person, each audited
 * "victim.notice". Whatever the publication policy. A row operation: call it inside the
 * transaction that writes the change. *queued (OUT) grows by the notices. */
int victims_on_change(struct hc_store *st, int64_t booking_id, unsigned kinds,
                      const struct store_booking_state *old, const struct store_booking_state *nw,
                      const char *actor, const char *at, int64_t *queued);

/* A new booking booking_no (booked at booked_at) of the person whose newest earlier booking is
 * earlier_id: queue "rebooked" for the registrations that follow the person, audited as
 * above. Call it inside the transaction that creates the booking, once per new booking. */
int victims_on_rebooked(struct hc_store *st, int64_t earlier_id, const char *booking_no,
                        const char *booked_at, const char *actor, int64_t *queued);

/* The delivery thread's side. victims_requeue: notices left "sending" by a stop go back to
 * "pending" (*n, OUT); call once at start. victims_claim: the notice due soonest (strings in
 * a), HC_ENOENT when none. */
int victims_requeue(struct hc_store *st, int64_t *n);
int victims_claim(struct hc_store *st, struct hc_arena *a, struct store_victim_job *j);

/* The subject (one line) and text (CRLF lines) of notice j in its registrant's language, into
 * subj and body (UTF-8). HC_ENOENT when the registration was removed (the notice is then
 * cancelled); HC_ERANGE when its channel is not sent yet (failed). */
int victims_message(const struct store_victim_job *j, struct hc_buf *subj, struct hc_buf *body);

/* Record how notice j went (STORE_DELIVERY_RETRY with next_attempt_at; DELIVERED; FAILED;
 * CANCELLED), and for every outcome but a retry the audit entry "victim.notice.<status>" by
 * "system", in one transaction. error: never the target. */
int victims_finish(struct hc_store *st, const struct store_victim_job *j,
                   enum store_delivery_result r, const char *next_attempt_at, const char *error);

#endif
