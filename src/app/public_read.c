/* SPDX-License-Identifier: MIT
 * public_read.c: the public side's reads (public_read.h). */
#include "public_read.h"

#include <string.h>

#include "publish.h"
#include "store.h"

int public_read_policy(struct hc_store *st, struct hc_arena *a, struct store_public_policy *p)
{
    return store_public_policy_get(st, a, p);
}

int public_read_status(struct hc_store *st, struct hc_arena *a, struct store_public_policy *p,
                       struct store_facility_status **fs, size_t *n, const char **overall)
{
    int rc;
    if (store_read_begin(st) != HC_OK)
        return HC_EIO;
    rc = store_public_policy_get(st, a, p);
    if (rc == HC_OK)
        rc = store_public_status(st, a, fs, n, overall);
    store_read_end(st);
    return rc;
}

int public_read_snapshots(struct hc_store *st, struct hc_arena *a, struct store_public_policy *p,
                          struct store_snapshot **s, size_t *n)
{
    int rc = store_read_begin(st);
    if (rc == HC_OK) {
        rc = store_public_policy_get(st, a, p);
        if (rc == HC_OK)
            rc = store_snapshot_list(st, a, s, n);
        store_read_end(st);
    }
    return rc;
}

int public_read_search(struct hc_store *st, int64_t now, public_read_query_fn narrow, void *ctx,
                       struct hc_arena *a, struct public_read_search *out, struct hc_diag *d)
{
    int rc, reading;
    memset(out, 0, sizeof *out);
    reading = store_read_begin(st) == HC_OK;
    rc = store_public_policy_get(st, a, &out->policy);
    if (rc == HC_OK) {
        publish_query_init(&out->policy, now, out->since, &out->query);
        rc = narrow(ctx, &out->policy, &out->query, d);
    }
    if (rc == HC_OK) {
        rc = store_public_search(st, &out->query, a, &out->rows, &out->nrows);
        if (rc == HC_ERANGE)
            rc = publish_search_too_wide(d, "last");
    } else if (rc == PUBLIC_READ_NONE)
        rc = HC_OK;
    if (reading)
        store_read_end(st);
    return rc;
}
