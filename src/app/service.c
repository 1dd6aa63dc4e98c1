/* SPDX-License-Identifier: MIT
 * service.c: a server thread's connection to the records (service.h). */
#include "service.h"

#include "store.h"

int service_open(service_open_fn open, const char *db, int flags, struct hc_store **out,
                 struct hc_diag *d)
{
    return (open != NULL ? open : store_sqlite_open)(db, flags, out, d);
}

void service_close(struct hc_store *st)
{
    store_close(st);
}

int service_read_begin(struct hc_store *st)
{
    return store_read_begin(st);
}

void service_read_end(struct hc_store *st)
{
    store_read_end(st);
}

int service_version(struct hc_store *st, uint64_t *v)
{
    return store_version(st, v);
}

int service_changes(struct hc_store *st, int64_t *seq, size_t limit, store_change_cb cb,
                    void *ctx, int *more)
{
    return store_changes(st, seq, limit, cb, ctx, more);
}

int service_ping(struct hc_store *st)
{
    return store_ping(st);
}

const char *service_strerror(int rc)
{
    return store_strerror(rc);
}

int service_missing(int rc, struct hc_diag *d, const char *field, const char *msg)
{
    if (rc == HC_ENOENT)
        hc_diag_set(d, field, msg, NULL);
    return rc;
}
