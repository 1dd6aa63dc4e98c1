/* SPDX-License-Identifier: MIT
 * chain.c: the audit chain's arithmetic shared by the backends (chain.h). */
#include <inttypes.h>
#include <sodium.h>
#include <stdio.h>
#include <string.h>

#include "chain.h"

_Static_assert(CHAIN_HASH_LEN == crypto_generichash_BYTES, "the chain hashes with BLAKE2b-256");

char *chain_payload_text(const json_t *payload)
{
    return json_dumps(payload, JSON_COMPACT | JSON_SORT_KEYS | JSON_ENSURE_ASCII);
}

/* One field of the canonical entry: its length as 8 bytes big-endian, then its bytes. */
static void hash_field(crypto_generichash_state *h, const char *v, size_t n)
{
    unsigned char len[8];
    int i;
    for (i = 0; i < 8; i++)
        len[i] = (unsigned char)((uint64_t)n >> (56 - 8 * i));
    crypto_generichash_update(h, len, sizeof len);
    crypto_generichash_update(h, (const unsigned char *)v, n);
}

void chain_hash(const unsigned char prev[CHAIN_HASH_LEN], int64_t seq, const char *at,
                const char *actor, const char *action, const char *entity, const char *payload,
                size_t payload_len, unsigned char out[CHAIN_HASH_LEN])
{
    crypto_generichash_state h;
    char num[24];
    int n = snprintf(num, sizeof num, "%" PRId64, seq);
    crypto_generichash_init(&h, NULL, 0, CHAIN_HASH_LEN);
    crypto_generichash_update(&h, prev, CHAIN_HASH_LEN);
    hash_field(&h, num, (size_t)n);
    hash_field(&h, at, strlen(at));
    hash_field(&h, actor, strlen(actor));
    hash_field(&h, action, strlen(action));
    hash_field(&h, entity, strlen(entity));
    hash_field(&h, payload, payload_len);
    crypto_generichash_final(&h, out, CHAIN_HASH_LEN);
}

int chain_prev(const char *prev_hex, unsigned char prev[CHAIN_HASH_LEN])
{
    size_t n = 0;
    memset(prev, 0, CHAIN_HASH_LEN);
    if (prev_hex == NULL || *prev_hex == '\0')
        return 0;
    if (sodium_hex2bin(prev, CHAIN_HASH_LEN, prev_hex, strlen(prev_hex), NULL, &n, NULL) != 0 ||
        n != CHAIN_HASH_LEN)
        return -1;
    return 0;
}

void chain_walk_begin(struct chain_walk *w, struct store_audit_report *rep)
{
    memset(w, 0, sizeof *w);
    w->expect = 1;
    memset(rep, 0, sizeof *rep);
}

/* Mark seq as the first row that fails, for reason. Returns 0 (stop the walk). */
static int bad(struct store_audit_report *rep, int64_t seq, const char *reason)
{
    rep->bad_seq = seq;
    snprintf(rep->reason, sizeof rep->reason, "%s", reason);
    return 0;
}

int chain_walk_row(struct chain_walk *w, struct store_audit_report *rep, int64_t seq,
                   const char *const col[7], size_t payload_len)
{
    unsigned char hash[CHAIN_HASH_LEN];
    char hex[2 * CHAIN_HASH_LEN + 1];

    rep->entries++;
    if (seq != w->expect) {
        rep->bad_seq = w->expect;
        snprintf(rep->reason, sizeof rep->reason,
                 seq > w->expect ? "entry missing (next present is %" PRId64 ")"
                                 : "out of sequence (found %" PRId64 ")",
                 seq);
        return 0;
    }
    sodium_bin2hex(hex, sizeof hex, w->prev, CHAIN_HASH_LEN);
    if (col[5] == NULL || strcmp(col[5], hex) != 0)
        return bad(rep, seq, "prev_hash does not match the previous entry");
    if (col[0] == NULL || col[1] == NULL || col[2] == NULL || col[3] == NULL || col[4] == NULL ||
        col[6] == NULL)
        return bad(rep, seq, "entry has NULL fields");
    chain_hash(w->prev, seq, col[0], col[1], col[2], col[3], col[4], payload_len, hash);
    sodium_bin2hex(hex, sizeof hex, hash, CHAIN_HASH_LEN);
    if (strcmp(col[6], hex) != 0)
        return bad(rep, seq, "hash does not match the entry's contents");
    memcpy(w->prev, hash, CHAIN_HASH_LEN);
    memcpy(rep->head, hex, sizeof rep->head);
    w->expect++;
    return 1;
}
