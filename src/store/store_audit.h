/* SPDX-License-Identifier: MIT
 * store_audit.h: the append-only, hash-chained audit log (docs/server.md, "Audit chain"): reading
 * it, verifying it, and appending to it inside a caller's transaction. */
#ifndef HC_STORE_AUDIT_H
#define HC_STORE_AUDIT_H

#include "store_conn.h"
#include "rows_audit.h"

/* jansson's JSON value: audit payloads are built with it above the store and kept by it. */
struct json_t;

/* The audit log operations of a backend (contracts: the wrappers below). audit_append appends
 * inside the transaction the caller holds (store_audit_append opens one when needed). */
struct store_audit_ops {
    int (*audit_verify)(struct hc_store *st, struct store_audit_report *rep);
    int (*audit_append)(struct hc_store *st, const char *actor, const char *action,
                        const char *entity, struct json_t *payload);
    int (*audit_list)(struct hc_store *st, int64_t after_seq, int limit, struct hc_arena *a,
                      struct store_audit_entry **out, size_t *n);
    int (*audit_bind)(struct hc_store *st, const char *actor, int64_t *bound);
};

/* The operation names in table order. A backend fills its table with STORE_AUDIT_OPS(its own
 * naming macro, e.g. SQ_OP), so an operation it lacks fails to compile, never stays NULL. */
#define STORE_AUDIT_OPS(OP) OP(audit_verify) OP(audit_append) OP(audit_list) OP(audit_bind)

/* Walk the whole audit chain, recomputing every hash; then, when it is intact, check the
 * records it vouches for (docs/server.md, "Rows bound into the chain"): every row of a bound
 * table must have the content hash of the latest entry that bound it. Returns 0 whether or not
 * both hold: rep->bad_seq says for the chain (0 = intact), rep->row_problems for the rows (0 =
 * every row agrees; rep->row[] lists the first ones, with table and id). A negative return
 * means the walk itself failed. */
static inline int store_audit_verify(struct hc_store *st, struct store_audit_report *rep)
{
    return st->audit->audit_verify(st, rep);
}

/* At most limit (1..500) audit entries with seq > after_seq, oldest first (in a). */
static inline int store_audit_list(struct hc_store *st, int64_t after_seq, int limit,
                                   struct hc_arena *a, struct store_audit_entry **out, size_t *n)
{
    return st->audit->audit_list(st, after_seq, limit, a, out, n);
}

/* Bind, in one entry "audit.bind" by actor, every row of a bound table that no entry binds:
 * the rows written before this version bound rows (an upgrade), which the entry vouches for
 * as they are when it is written, and says so. Rows already bound, agreeing or not, are left
 * as they are. *bound (OUT) gets how many rows it bound (0: no entry is written). HC_EIO when
 * the chain does not verify (nothing is written: vouching for rows needs an intact chain). */
static inline int store_audit_bind(struct hc_store *st, const char *actor, int64_t *bound)
{
    return st->audit->audit_bind(st, actor, bound);
}

/* Append an entry (action on entity, by actor) to the chain, with payload, a JSON object; the
 * entry holds its canonical text (compact, keys sorted, ASCII). When the entry binds rows
 * (bound.h: the row its entity names, the rows of bound tables the transaction wrote and
 * noted), their content hashes are added to payload as the member "bound". Inside a
 * store_begin transaction it commits with it (the usual case: a change and its entry are one
 * transaction); outside, on its own. HC_EINVAL when payload is not a JSON object; a failure
 * rolls back the caller's transaction (store_begin's contract). (chain.c) */
int store_audit_append(struct hc_store *st, const char *actor, const char *action,
                       const char *entity, struct json_t *payload);
#endif
