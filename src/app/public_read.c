/* SPDX-License-Identifier: MIT
 * public_read.c: the public side's reads (public_read.h). */
#include "public_read.h"

#include <stdio.h>
#include <string.h>

#include "namekey.h"

#include "publish.h"
#include "store.h"

int public_read_policy(struct hc_store *st, struct hc_arena *a, struct store_public_policy *p)
{
    return store_public_policy_get(st, a, p);
}

int public_read_status(struct hc_store *st, struct hc_arena *a, struct store_public_policy *p,
                       struct store_facility_status **fs, size_t *n, const char **overall)
{
    int rc;
    if (store_read_begin(st) != HC_OK)
        return HC_EIO;
    rc = store_public_policy_get(st, a, p);
    if (rc == HC_OK)
        rc = store_public_status(st, a, fs, n, overall);
    store_read_end(st);
    return rc;
}

int public_read_snapshots(struct hc_store *st, struct hc_arena *a, struct store_public_policy *p,
                          struct store_snapshot **s, size_t *n)
{
    int rc = store_read_begin(st);
    if (rc == HC_OK) {
        rc = store_public_policy_get(st, a, p);
        if (rc == HC_OK)
            rc = store_snapshot_list(st, a, s, n);
        store_read_end(st);
    }
    return rc;
}

/* How many distinct last names one suggestion looks at, per window (below). */
#define SUGGEST_VISITS PUBLISH_SEARCH_MAX_NAMES
/* How many near last names are checked against the public population, closest first. */
#define SUGGEST_CHECKS 8

struct near_name {
    const char *last;
    int distance;
};

/* The length of the UTF-8 character s begins with (1..4; s is not empty). */
static size_t first_char_len(const char *s)
{
    size_t n = 1;
    while (s[n] != '\0' && ((unsigned char)s[n] & 0xC0) == 0x80 && n < 4)
        n++;
    return n;
}

/* The most typing errors a suggestion may make up for in a word of len bytes. */
static int typo_limit(size_t len)
{
    return len <= 5 ? 1 : 2;
}

/* The last names within a typing error of typed (folded) among those beginning with prefix,
 * closest first (then in key order), into near (at most SUGGEST_CHECKS) and *nnear. The limit
 * is one error for a word of up to five letters and two above. HC_ERANGE when more than
 * SUGGEST_VISITS last names begin with prefix (near then holds those of the first ones). */
static int near_last_names(struct hc_store *st, const char *typed, const char *prefix,
                           struct hc_arena *a, struct near_name *near, size_t *nnear)
{
    char **names = NULL;
    size_t n = 0, i, tl = strlen(typed);
    int limit = typo_limit(tl);
    int rc = store_public_last_names(st, prefix, SUGGEST_VISITS, a, &names, &n);
    if (rc != HC_OK && rc != HC_ERANGE)
        return rc;
    *nnear = 0;
    for (i = 0; i < n; i++) {
        int dist = hc_namekey_prefix_distance(typed, tl, names[i], strlen(names[i]), limit);
        size_t at;
        if (dist > limit)
            continue;
        /* Insert by distance, keeping key order among equals; drop the farthest when full. */
        for (at = *nnear; at > 0 && near[at - 1].distance > dist; at--)
            ;
        if (at >= SUGGEST_CHECKS)
            continue;
        if (*nnear < SUGGEST_CHECKS)
            (*nnear)++;
        memmove(near + at + 1, near + at, (*nnear - 1 - at) * sizeof *near);
        near[at].last = names[i];
        near[at].distance = dist;
    }
    return rc;
}

/* How many people one near last name is read with for a misspelled first name: those whose
 * first name begins with the letter typed, in key order. */
#define SUGGEST_FIRST_ROWS 20

/* Add to out (at most PUBLIC_SUGGEST_MAX, each name once) the names of rows whose first name
 * (the key after HC_NAMEKEY_SEP) is within `budget` typing errors of the typed first name
 * (NULL: every row). */
static void add_names(struct public_read_search *out, const char **names,
                      const struct store_public_row *rows, size_t nrows, const char *first,
                      int budget)
{
    size_t k, j;
    for (k = 0; k < nrows && out->nsuggestions < PUBLIC_SUGGEST_MAX; k++) {
        const char *tab = rows[k].name_key ? strchr(rows[k].name_key, HC_NAMEKEY_SEP) : NULL;
        if (rows[k].name == NULL)
            continue;
        if (first != NULL && (tab == NULL || hc_namekey_prefix_distance(
                                                 first, strlen(first), tab + 1, strlen(tab + 1),
                                                 budget) > budget))
            continue;
        for (j = 0; j < out->nsuggestions && strcmp(names[j], rows[k].name) != 0; j++)
            ;
        if (j == out->nsuggestions)
            names[out->nsuggestions++] = rows[k].name;
    }
}

/* "Did you mean": names of people in the public population (the query q found none) whose last
 * name is near q->last, with q's first-name prefix and filters, into out (suggestions in a).
 * The candidates are the last names beginning with the same letter as q->last, or, when more
 * than SUGGEST_VISITS do, with its first two letters: index seeks, bounded like a search by
 * first name (publish.h, PUBLISH_SEARCH_MAX_NAMES). Each one is shown only when a search of
 * the public population by it finds someone, so no name outside that population is ever told.
 * When nobody under a near last name has the first-name prefix typed, the first
 * SUGGEST_FIRST_ROWS people under it whose first name begins with the same letter are compared
 * with it, within what is left of two typing errors in all. */
static int suggest(struct hc_store *st, const struct store_public_query *q, struct hc_arena *a,
                   struct public_read_search *out)
{
    struct near_name near[SUGGEST_CHECKS];
    const char **names;
    char prefix[8], first_letter[8];
    size_t nnear = 0, i, first_len;
    int rc;

    if (strlen(q->last) < 3)
        return HC_OK; /* a prefix of one or two letters that finds nobody is no misspelling */
    first_len = first_char_len(q->last);
    memcpy(prefix, q->last, first_len);
    prefix[first_len] = '\0';
    rc = near_last_names(st, q->last, prefix, a, near, &nnear);
    if (rc == HC_ERANGE) {
        memcpy(prefix, q->last, first_len + 1);
        prefix[first_len + 1] = '\0';
        rc = near_last_names(st, q->last, prefix, a, near, &nnear);
    }
    if (rc != HC_OK && rc != HC_ERANGE)
        return rc;
    if ((names = hc_arena_alloc(a, PUBLIC_SUGGEST_MAX * sizeof *names)) == NULL)
        return HC_ENOMEM;
    out->suggestions = names;
    if (q->first != NULL) {
        size_t fl = first_char_len(q->first);
        memcpy(first_letter, q->first, fl);
        first_letter[fl] = '\0';
    }
    for (i = 0; i < nnear && out->nsuggestions < PUBLIC_SUGGEST_MAX; i++) {
        struct store_public_query nq = *q;
        struct store_public_row *rows = NULL;
        size_t nrows = 0, ll = strlen(near[i].last);
        char *exact = hc_arena_alloc(a, ll + 2);
        int budget;
        if (exact == NULL)
            return HC_ENOMEM;
        snprintf(exact, ll + 2, "%s%c", near[i].last, HC_NAMEKEY_SEP); /* this last name only */
        nq.last = exact;
        nq.limit = PUBLIC_SUGGEST_MAX * 2;
        rc = store_public_search(st, &nq, a, &rows, &nrows);
        if (rc == HC_ERANGE) /* one last name is never too many; should it be, skip it */
            continue;
        if (rc != HC_OK)
            return rc;
        add_names(out, names, rows, nrows, NULL, 0);
        budget = 2 - near[i].distance;
        if (q->first == NULL || nrows > 0 || strlen(q->first) < 3 || budget < 1)
            continue;
        if (budget > typo_limit(strlen(q->first)))
            budget = typo_limit(strlen(q->first));
        nq.first = first_letter;
        nq.limit = SUGGEST_FIRST_ROWS;
        rc = store_public_search(st, &nq, a, &rows, &nrows);
        if (rc == HC_ERANGE)
            continue;
        if (rc != HC_OK)
            return rc;
        add_names(out, names, rows, nrows, q->first, budget);
    }
    return HC_OK;
}

int public_read_search(struct hc_store *st, int64_t now, public_read_query_fn narrow, void *ctx,
                       struct hc_arena *a, struct public_read_search *out, struct hc_diag *d)
{
    int rc, reading;
    memset(out, 0, sizeof *out);
    reading = store_read_begin(st) == HC_OK;
    rc = store_public_policy_get(st, a, &out->policy);
    if (rc == HC_OK) {
        publish_query_init(&out->policy, now, out->since, &out->query);
        rc = narrow(ctx, &out->policy, &out->query, d);
        /* A date of birth is confirmed for a whole last name, not for every name that begins
         * with what was typed: each search with one then tests a name's people only, and
         * its daily budget (the server's) is the name's, not one of each prefix. */
        if (out->query.dob != NULL)
            out->query.last_whole = 1;
    }
    if (rc == HC_OK) {
        rc = store_public_search(st, &out->query, a, &out->rows, &out->nrows);
        if (rc == HC_ERANGE)
            rc = publish_search_too_wide(d, "last");
        if (rc == HC_OK && out->nrows == 0 && out->query.last != NULL &&
            out->query.dob == NULL && !out->query.has_after &&
            publish_allows(out->policy.fields, PUBLISH_SHOW, STORE_PUB_NAME)) {
            out->suggested = 1;
            rc = suggest(st, &out->query, a, out);
        }
    } else if (rc == PUBLIC_READ_NONE)
        rc = HC_OK;
    if (reading)
        store_read_end(st);
    return rc;
}
