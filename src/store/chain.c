/* SPDX-License-Identifier: MIT
 * chain.c: the audit chain's arithmetic shared by the backends (chain.h), and the append
 * every caller uses (store_audit_append, store_audit.h), which opens the transaction the
 * backend's append runs in when the caller has none. */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "chain.h"
#include "log.h"

void chain_hash_field(crypto_generichash_state *h, const char *v, size_t n)
{
    unsigned char len[8];
    int i;
    for (i = 0; i < 8; i++)
        len[i] = (unsigned char)((uint64_t)n >> (56 - 8 * i));
    crypto_generichash_update(h, len, sizeof len);
    crypto_generichash_update(h, (const unsigned char *)v, n);
}

/* out = BLAKE2b-256(prev || canonical entry) (chain_entry_make). */
static void entry_hash(const unsigned char prev[CHAIN_HASH_LEN], int64_t seq, const char *at,
                       const char *actor, const char *action, const char *entity,
                       const char *payload, size_t payload_len, unsigned char out[CHAIN_HASH_LEN])
{
    crypto_generichash_state h;
    char num[24];
    int n = snprintf(num, sizeof num, "%" PRId64, seq);
    crypto_generichash_init(&h, NULL, 0, CHAIN_HASH_LEN);
    crypto_generichash_update(&h, prev, CHAIN_HASH_LEN);
    chain_hash_field(&h, num, (size_t)n);
    chain_hash_field(&h, at, strlen(at));
    chain_hash_field(&h, actor, strlen(actor));
    chain_hash_field(&h, action, strlen(action));
    chain_hash_field(&h, entity, strlen(entity));
    chain_hash_field(&h, payload, payload_len);
    crypto_generichash_final(&h, out, CHAIN_HASH_LEN);
}

int chain_entry_make(struct chain_entry *e, int64_t head_seq, const char *head_hash,
                     const char *actor, const char *action, const char *entity,
                     const json_t *payload)
{
    unsigned char prev[CHAIN_HASH_LEN] = {0}, hash[CHAIN_HASH_LEN];

    memset(e, 0, sizeof *e);
    if (head_seq > 0 && (head_hash == NULL || sodium_hex2bin(prev, CHAIN_HASH_LEN, head_hash,
                                                             strlen(head_hash), NULL, NULL,
                                                             NULL) != 0)) {
        hc_log(HC_LOG_ERROR, "audit head at seq %" PRId64 " is unreadable", head_seq);
        return HC_EIO;
    }
    e->payload = json_dumps(payload, JSON_COMPACT | JSON_SORT_KEYS | JSON_ENSURE_ASCII);
    if (e->payload == NULL)
        return HC_ENOMEM;
    e->seq = head_seq + 1;
    hc_clock_utc(hc_clock_now(), e->at);
    entry_hash(prev, e->seq, e->at, actor, action, entity, e->payload, strlen(e->payload), hash);
    sodium_bin2hex(e->prev_hash, sizeof e->prev_hash, prev, CHAIN_HASH_LEN);
    sodium_bin2hex(e->hash, sizeof e->hash, hash, CHAIN_HASH_LEN);
    return HC_OK;
}

void chain_entry_free(struct chain_entry *e)
{
    free(e->payload);
    e->payload = NULL;
}

int store_audit_append(struct hc_store *st, const char *actor, const char *action,
                       const char *entity, json_t *payload)
{
    int rc;
    if (!json_is_object(payload))
        return HC_EINVAL;
    if ((rc = store_begin(st)) != HC_OK)
        return rc;
    if ((rc = st->audit->audit_append(st, actor, action, entity, payload)) != HC_OK) {
        store_rollback(st);
        return rc;
    }
    return store_commit(st);
}

void chain_walk_begin(struct chain_walk *w, struct store_audit_report *rep)
{
    memset(w, 0, sizeof *w);
    memset(w->prev, '0', sizeof w->prev - 1);
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

int chain_link_row(struct chain_walk *w, struct store_audit_report *rep, int64_t seq,
                   const char *const col[7], size_t payload_len, int rehash)
{
    unsigned char prev[CHAIN_HASH_LEN] = {0}, hash[CHAIN_HASH_LEN];
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
    if (col[5] == NULL || strcmp(col[5], w->prev) != 0)
        return bad(rep, seq, "prev_hash does not match the previous entry");
    if (col[0] == NULL || col[1] == NULL || col[2] == NULL || col[3] == NULL || col[4] == NULL ||
        col[6] == NULL)
        return bad(rep, seq, "entry has NULL fields");
    if (rehash) {
        sodium_hex2bin(prev, sizeof prev, w->prev, sizeof w->prev - 1, NULL, NULL, NULL);
        entry_hash(prev, seq, col[0], col[1], col[2], col[3], col[4], payload_len, hash);
        sodium_bin2hex(hex, sizeof hex, hash, CHAIN_HASH_LEN);
        if (strcmp(col[6], hex) != 0)
            return bad(rep, seq, "hash does not match the entry's contents");
    } else if (strlen(col[6]) != sizeof w->prev - 1) {
        return bad(rep, seq, "hash is not 64 hex digits");
    }
    memcpy(w->prev, col[6], sizeof w->prev);
    memcpy(rep->head, col[6], sizeof rep->head);
    w->expect++;
    return 1;
}

int chain_walk_row(struct chain_walk *w, struct store_audit_report *rep, int64_t seq,
                   const char *const col[7], size_t payload_len)
{
    return chain_link_row(w, rep, seq, col, payload_len, 1);
}
