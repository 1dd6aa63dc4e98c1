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

#include <sodium.h>

#include "clock.h"
#include "store_audit.h"

#define CHAIN_HASH_LEN crypto_generichash_BYTES /* BLAKE2b-256 */
#define CHAIN_HEX_LEN (2 * CHAIN_HASH_LEN + 1)  /* its hex form and a NUL */

/* Feed one field to a hash: its length as 8 bytes big-endian, then its n bytes. The chain
 * hashes entries this way, and the import its rows. */
void chain_hash_field(crypto_generichash_state *h, const char *v, size_t n);

/* The next entry of a chain, ready to insert: every column of an audit_log row. */
struct chain_entry {
    int64_t seq;
    char at[HC_CLOCK_UTC_LEN];   /* now (hc_clock_now) */
    char *payload;               /* the canonical text: compact, keys sorted, ASCII (malloc) */
    char prev_hash[CHAIN_HEX_LEN];
    char hash[CHAIN_HEX_LEN];    /* BLAKE2b-256 of prev_hash and the canonical entry */
};

/* Make in *e the entry after the head of a chain: head_seq and head_hash (hex) are the last
 * entry's, or 0 and NULL for an empty chain. The canonical entry is seq (decimal), at, actor,
 * action, entity and payload, each hashed by chain_hash_field, after the previous hash.
 * Returns HC_OK (free e with chain_entry_free); HC_EIO when head_hash is not a hash (a broken
 * head: a chain that cannot verify must not be extended); HC_ENOMEM. */
int chain_entry_make(struct chain_entry *e, int64_t head_seq, const char *head_hash,
                     const char *actor, const char *action, const char *entity,
                     const json_t *payload);
void chain_entry_free(struct chain_entry *e);


/* A verification in progress: rows are given in seq order to chain_walk_row. */
struct chain_walk {
    int64_t expect;                      /* the seq the next row must have */
    char prev[2 * CHAIN_HASH_LEN + 1];   /* the previous row's hash in hex (zeros before the
                                          * first), as the next row's prev_hash holds it */
};

/* Start a walk; rep is cleared (intact, no entries). */
void chain_walk_begin(struct chain_walk *w, struct store_audit_report *rep);

/* Check the next row: seq, then at, actor, action, entity, payload (payload_len bytes),
 * prev_hash and hash as text (any may be NULL). Returns 1 when it holds (rep->head moves to
 * it), 0 when it does not (rep->bad_seq and rep->reason say why; stop the walk). */
int chain_walk_row(struct chain_walk *w, struct store_audit_report *rep, int64_t seq,
                   const char *const col[7], size_t payload_len);

/* chain_walk_row, with the entry's own hash recomputed only when rehash is set: otherwise the
 * row is checked for its place in the chain alone (its seq, its prev_hash equal to the
 * previous entry's hash as stored, its fields present) and its stored hash is taken as the
 * next link. A verification of some rows only (bound_verify_only) rehashes the entries that
 * bind them; an entry edited without its hash is then found only if it binds one of them. */
int chain_link_row(struct chain_walk *w, struct store_audit_report *rep, int64_t seq,
                   const char *const col[7], size_t payload_len, int rehash);

#endif
