/* SPDX-License-Identifier: MIT
 * store_readlog.h: the read-access log (docs/operations.md, "Read-access log"): who read which
 * record, when, from where, with what answer. A table of its own, outside the audit chain:
 * entries are appended in batches, listed by filter and pruned by age. The store keeps the
 * rows; what is logged and when is src/app/readlog.c's. */
#ifndef HC_STORE_READLOG_H
#define HC_STORE_READLOG_H

#include <stddef.h>
#include <stdint.h>

#include "rows_readlog.h"
#include "store_conn.h"
#include "store_reports.h" /* STORE_ENOTSUP */

/* The read-log operations of a backend (contracts: the wrappers below). */
struct store_readlog_ops {
    int (*readlog_append)(struct hc_store *st, const struct store_read_entry *e, size_t n);
    int (*readlog_list)(struct hc_store *st, const struct store_read_filter *f,
                        struct hc_arena *a, struct store_read_entry **out, size_t *n);
    int (*readlog_prune)(struct hc_store *st, const char *before, int64_t *removed);
};

/* The operation names in table order (as STORE_CONSOLE_OPS). */
#define STORE_READLOG_OPS(OP) OP(readlog_append) OP(readlog_list) OP(readlog_prune)

/* Append e[0..n) in one transaction (the caller's, or one of its own): all or none. Each
 * entry's id is ignored. Returns 0; HC_EINVAL for n == 0 or an entry without at, user name,
 * route, kind or client; a store error. STORE_ENOTSUP for a backend without
 * the read log. */
static inline int store_readlog_append(struct hc_store *st, const struct store_read_entry *e,
                                       size_t n)
{
    if (st->readlog == NULL)
        return STORE_ENOTSUP;
    return st->readlog->readlog_append(st, e, n);
}

/* At most f->limit entries matching f, oldest first (by id), into *out (in a) and *n. Returns
 * 0; HC_EINVAL when f->limit is outside 1..1000; HC_ENOMEM when a is full; STORE_ENOTSUP. */
static inline int store_readlog_list(struct hc_store *st, const struct store_read_filter *f,
                                     struct hc_arena *a, struct store_read_entry **out,
                                     size_t *n)
{
    if (st->readlog == NULL)
        return STORE_ENOTSUP;
    return st->readlog->readlog_list(st, f, a, out, n);
}

/* Delete every entry older than before (UTC "YYYY-MM-DDTHH:MM:SSZ"), in one transaction;
 * *removed (OUT) gets how many. Returns 0, a store error or STORE_ENOTSUP. */
static inline int store_readlog_prune(struct hc_store *st, const char *before, int64_t *removed)
{
    if (st->readlog == NULL)
        return STORE_ENOTSUP;
    return st->readlog->readlog_prune(st, before, removed);
}

#endif
