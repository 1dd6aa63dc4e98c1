/* SPDX-License-Identifier: MIT
 * migrate.c: walking a backend's migrations (migrate.h). */
#include "migrate.h"

int store_migrate_walk(struct hc_store *st, const struct store_migrations *m, int *from,
                       int *to)
{
    int v, rc;
    size_t i;

    if ((rc = store_schema_version(st, &v)) != HC_OK)
        return rc;
    *from = *to = v;
    if (v > STORE_SCHEMA_VERSION)
        return HC_ERANGE;
    for (i = 0; i < m->n; i++) {
        if (m->version(i) <= v)
            continue;
        if (m->outside != NULL && (rc = m->outside(st, i, 0)) != HC_OK)
            return rc;
        if ((rc = store_begin(st)) == HC_OK) {
            if ((rc = m->apply(st, i)) != HC_OK)
                store_rollback(st);
            else
                rc = store_commit(st);
        }
        if (m->outside != NULL) {
            int rc2 = m->outside(st, i, 1);
            if (rc == HC_OK)
                rc = rc2;
        }
        if (rc != HC_OK)
            return rc;
        *to = m->version(i);
    }
    return HC_OK;
}
