/* SPDX-License-Identifier: MIT
 * public_read.h: what the public side reads (docs/public.md): the publication policy, the
 * facility status line, a search of the public list and the snapshots kept. Each function that
 * reads more than one thing reads it in one read snapshot, so the rows and the policy they are
 * shown under are of the same moment. What any of it may show is publish.h's (publish_allows):
 * these return rows, and the caller renders them through publish_json / publish_csv_row.
 * Strings read are allocated from the caller's arena. */
#ifndef HC_APP_PUBLIC_READ_H
#define HC_APP_PUBLIC_READ_H

#include <stddef.h>
#include <stdint.h>

#include "arena.h"
#include "clock.h"
#include "err.h"
#include "rows_public.h"

struct hc_store;

/* The publication policy as stored, into *p (strings in a). Returns 0 or a store error. */
int public_read_policy(struct hc_store *st, struct hc_arena *a, struct store_public_policy *p);

/* The policy into *p and the facility status line (every facility with when it last changed,
 * and the newest change over all of them, *overall, NULL when none) into *fs and *n, in one
 * snapshot (in a). Returns 0, HC_EIO when no snapshot could be started, or a store error. */
int public_read_status(struct hc_store *st, struct hc_arena *a, struct store_public_policy *p,
                       struct store_facility_status **fs, size_t *n, const char **overall);

/* The policy into *p and the snapshots recorded (newest first) into *s and *n, in one snapshot
 * (in a). Returns 0 or a store error. */
int public_read_snapshots(struct hc_store *st, struct hc_arena *a, struct store_public_policy *p,
                          struct store_snapshot **s, size_t *n);

/* A search of the public list: the policy it was made under, the query as made, and the rows. */
struct public_read_search {
    struct store_public_policy policy;
    struct store_public_query query;  /* its released_since points into since */
    char since[HC_CLOCK_DATE_LEN];
    struct store_public_row *rows;
    size_t nrows;
    /* When a search by name (without a date of birth, on its first page) found nobody: the
     * names as published of at most PUBLIC_SUGGEST_MAX people of the public population whose
     * last name is within a typing error of the one asked (public_read_search). suggested says
     * the names were looked for (the answer then carries them, even none). */
    int suggested;
    const char **suggestions;
    size_t nsuggestions;
};

/* At most this many "did you mean" names answer one search. */
#define PUBLIC_SUGGEST_MAX 3

/* Given the policy p and the query q that publish_query_init made of it, narrow q to what was
 * asked (search terms, order, page). Returns HC_OK to search, PUBLIC_READ_NONE to find
 * nothing without searching (what was asked is not a filter the policy allows), or an error
 * with d set, which ends the search with that error. */
typedef int (*public_read_query_fn)(void *ctx, const struct store_public_policy *p,
                                    struct store_public_query *q, struct hc_diag *d);
#define PUBLIC_READ_NONE 1

/* Search the public list as of now (seconds since the epoch): in one snapshot (when one can be
 * started), read the policy, make the population's query (publish_query_init), let narrow
 * adjust it, and read the rows (at most q.limit) into *out (in a). Returns 0 (out->nrows 0 when
 * nothing matched or narrow said PUBLIC_READ_NONE; with the suggestions above when a name
 * search found nobody), narrow's error, HC_ERANGE with d naming
 * "last" when a first-name search would visit more than PUBLISH_SEARCH_MAX_NAMES last names,
 * or a store error. */
int public_read_search(struct hc_store *st, int64_t now, public_read_query_fn narrow, void *ctx,
                       struct hc_arena *a, struct public_read_search *out, struct hc_diag *d);

#endif
