/* SPDX-License-Identifier: MIT
 * admin.h: the agency's administration as the HTTP layer reads and writes it: the audit log's
 * entries, the agency settings the engine reads, the publication policy as set, and the
 * delivery queue's state. Plain reads and rule-free writes, each write with its audit entry;
 * checking a settings policy is the case reader's (hc_case_read), and what a publication policy
 * lets out is publish.h's. Verifying the chain is anchor.h's (anchor_verify). Strings read are
 * allocated from the caller's arena. */
#ifndef HC_APP_ADMIN_H
#define HC_APP_ADMIN_H

#include <stddef.h>
#include <stdint.h>

#include "arena.h"
#include "err.h"
#include "rows_audit.h"
#include "rows_public.h"
#include "rows_records.h"

struct hc_store;

/* At most limit (1..500) audit entries after sequence number after_seq, oldest first, into
 * *out and *n (in a). Returns 0 or a store error. */
int admin_audit_list(struct hc_store *st, int64_t after_seq, int limit, struct hc_arena *a,
                     struct store_audit_entry **out, size_t *n);

/* The agency settings and policy, into *out (in a). Returns 0 or a store error. */
int admin_settings_get(struct hc_store *st, struct hc_arena *a, struct store_agency *out);

/* Replace the agency settings with *ag (its policy JSON already checked by the caller), with an
 * audit entry; actor is the acting user. Returns 0 or a store error. */
int admin_settings_set(struct hc_store *st, const struct store_agency *ag, const char *actor);

/* Set the publication policy (fields, recent_days, release_elsewhere of *p, checked by the
 * caller), which also sets the agency's release_dates_public flag, with an audit entry.
 * Returns 0, HC_EINVAL for a value out of range, or a store error. */
int admin_policy_set(struct hc_store *st, const struct store_public_policy *p, const char *actor);

/* At most limit deliveries with an id above after_id, in status (NULL: any; "pending",
 * "sending", "delivered", "failed" or "cancelled"), oldest first, into *out and *n (in a;
 * never the subscriber's address). Returns 0 or a store error. */
int admin_deliveries(struct hc_store *st, const char *status, int64_t after_id, int limit,
                     struct hc_arena *a, struct store_delivery_row **out, size_t *n);

#endif
