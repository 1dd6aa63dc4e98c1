/* SPDX-License-Identifier: MIT
 * admin.c: the agency's administration (admin.h). */
#include "admin.h"

#include "store.h"

int admin_audit_list(struct hc_store *st, int64_t after_seq, int limit, struct hc_arena *a,
                     struct store_audit_entry **out, size_t *n)
{
    return store_audit_list(st, after_seq, limit, a, out, n);
}

int admin_settings_get(struct hc_store *st, struct hc_arena *a, struct store_agency *out)
{
    return store_agency_get(st, a, out);
}

int admin_settings_set(struct hc_store *st, const struct store_agency *ag, const char *actor)
{
    return store_agency_set(st, ag, actor);
}

int admin_policy_set(struct hc_store *st, const struct store_public_policy *p, const char *actor)
{
    return store_public_policy_set(st, p, actor);
}

int admin_deliveries(struct hc_store *st, const char *status, int64_t after_id, int limit,
                     struct hc_arena *a, struct store_delivery_row **out, size_t *n)
{
    return store_delivery_list(st, status, after_id, limit, a, out, n);
}
