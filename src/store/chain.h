/* SPDX-License-Identifier: MIT
 * chain.h: the audit chain's arithmetic, the same for every backend (docs/server.md, "Audit
 * chain"): the canonical text of a payload, the hash of an entry, and the walk that verifies a
 * chain row by row. The backends keep the rows and call these; nothing outside src/store
 * includes this header. */
#ifndef HC_STORE_CHAIN_H
#define HC_STORE_CHAIN_H

#include <jansson.h>
#include <stddef.h>
#include <stdint.h>

#include "store_audit.h"

#define CHAIN_HASH_LEN 32 /* BLAKE2b-256 */

/* The canonical text of payload that an entry holds and hashes: compact, keys sorted, ASCII.
 * Free with free(); NULL when out of memory. */
char *chain_payload_text(const json_t *payload);

/* out = BLAKE2b-256(prev || canonical entry), where the canonical entry is seq (decimal), at,
 * actor, action, entity and payload, each as an 8-byte big-endian length and its bytes. */
void chain_hash(const unsigned char prev[CHAIN_HASH_LEN], int64_t seq, const char *at,
                const char *actor, const char *action, const char *entity, const char *payload,
                size_t payload_len, unsigned char out[CHAIN_HASH_LEN]);

/* The hex hash of the entry that follows a head whose hex hash is prev_hex ("" or NULL for
 * an empty chain): prev (OUT) gets the head's hash in binary. Returns 0, or -1 when prev_hex is
 * not a hash (a broken head, which must not be extended). */
int chain_prev(const char *prev_hex, unsigned char prev[CHAIN_HASH_LEN]);

/* A verification in progress: rows are given in seq order to chain_walk_row. */
struct chain_walk {
    int64_t expect;                      /* the seq the next row must have */
    unsigned char prev[CHAIN_HASH_LEN];  /* the previous row's hash (zeros before the first) */
};

/* Start a walk; rep is cleared (intact, no entries). */
void chain_walk_begin(struct chain_walk *w, struct store_audit_report *rep);

/* Check the next row: seq, then at, actor, action, entity, payload (payload_len bytes),
 * prev_hash and hash as text (any may be NULL). Returns 1 when it holds (rep->head moves to
 * it), 0 when it does not (rep->bad_seq and rep->reason say why; stop the walk). */
int chain_walk_row(struct chain_walk *w, struct store_audit_report *rep, int64_t seq,
                   const char *const col[7], size_t payload_len);

#endif
