/* SPDX-License-Identifier: MIT
 * anchor.c: audit anchors (anchor.h). */
#include <string.h>

#include "anchor.h"
#include "store.h"

int anchor_parse(const char *s, int64_t *seq, char hash[ANCHOR_HASH_HEX + 1], struct hc_diag *d)
{
    const char *colon = strchr(s, ':');
    int64_t v = 0;
    const char *p;
    size_t i;

    if (colon == NULL || colon == s || colon - s > 18)
        return hc_diag_set(d, "anchor", "expected SEQ:HASH, e.g. 1234:", "then 64 hex digits");
    for (p = s; p < colon; p++) {
        if (*p < '0' || *p > '9')
            return hc_diag_set(d, "anchor", "SEQ must be a whole number", NULL);
        v = v * 10 + (*p - '0');
    }
    if (v < 1)
        return hc_diag_set(d, "anchor", "SEQ must be 1 or more", NULL);
    if (strlen(colon + 1) != ANCHOR_HASH_HEX)
        return hc_diag_set(d, "anchor", "HASH must be 64 hex digits", NULL);
    for (i = 0; i < ANCHOR_HASH_HEX; i++) {
        char c = colon[1 + i];
        if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f')))
            return hc_diag_set(d, "anchor", "HASH must be 64 lower-case hex digits", NULL);
        hash[i] = c;
    }
    hash[ANCHOR_HASH_HEX] = '\0';
    *seq = v;
    return HC_OK;
}

int anchor_check(struct hc_store *st, int64_t seq, const char *hash, struct hc_arena *a,
                 const char **why)
{
    struct store_audit_entry *e = NULL;
    size_t n = 0;
    int rc = store_audit_list(st, seq - 1, 1, a, &e, &n);
    if (rc != HC_OK)
        return rc;
    if (n == 0 || e[0].seq != seq) {
        *why = "the entry is no longer in the log: it was deleted or the log was cut short";
        return 0;
    }
    if (e[0].hash == NULL || strcmp(e[0].hash, hash) != 0) {
        *why = "the entry's hash differs: the log up to it was rewritten since the anchor was "
               "taken";
        return 0;
    }
    return 1;
}

int anchor_verify(struct hc_store *st, int64_t seq, const char *hash, struct hc_arena *a,
                  struct store_audit_report *rep, int *held, const char **why)
{
    int rc = store_audit_verify(st, rep), h;
    if (rc == HC_OK && hash != NULL) {
        hc_arena_reset(a);
        if ((h = anchor_check(st, seq, hash, a, why)) < 0)
            return h;
        *held = h;
    }
    return rc;
}
