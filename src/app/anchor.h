/* SPDX-License-Identifier: MIT
 * anchor.h: audit anchors. The hash chain of the audit log shows any altered, inserted or
 * deleted entry, but not a log rewritten whole, every hash recomputed, by someone with write
 * access to the database. An anchor is the pair SEQ:HASH of an entry, taken when the chain
 * verified and kept outside the database (printed, mailed to county counsel, filed with a
 * report); a later check that entry SEQ still has HASH shows that everything up to it is as it
 * was when the anchor was taken. `holdcheck audit verify` prints the head as an anchor and
 * checks one with --anchor; GET /api/v1/audit/verify does the same with ?anchor=. */
#ifndef HC_ANCHOR_H
#define HC_ANCHOR_H

#include <stdint.h>

#include "arena.h"
#include "err.h"
#include "rows_audit.h"

struct hc_store;

#define ANCHOR_HASH_HEX 64

/* Parse "SEQ:HASH" (SEQ a positive integer, HASH 64 lower-case hex digits) into *seq and hash
 * (NUL-terminated). 0, or HC_EINVAL with the reason in d (field "anchor"). */
int anchor_parse(const char *s, int64_t *seq, char hash[ANCHOR_HASH_HEX + 1], struct hc_diag *d);

/* Whether audit entry seq of st still has hash: 1 when it does; 0 when it does not, with *why
 * saying how (the entry is gone, or its hash differs); a negative HC_E* code on a store error.
 * a is scratch for one entry. */
int anchor_check(struct hc_store *st, int64_t seq, const char *hash, struct hc_arena *a,
                 const char **why);

/* Verify the whole audit chain into *rep (store_audit_verify) and, when hash is not NULL, check
 * the anchor seq:hash against it as anchor_check does: *held (OUT) 1 when it holds, 0 when not
 * (with *why), left alone when hash is NULL. a is scratch for one entry. Returns 0 (whether or
 * not the chain is intact: rep says), or a store error. */
int anchor_verify(struct hc_store *st, int64_t seq, const char *hash, struct hc_arena *a,
                  struct store_audit_report *rep, int *held, const char **why);

#endif
