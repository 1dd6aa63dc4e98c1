/* SPDX-License-Identifier: MIT
 * dob_budget.c: the daily count of public searches with a date of birth per last name (rules:
 * dob_budget.h). A set-associative table keyed by a 64-bit hash of the name (stripe.h): a
 * collision would only make two names share a count. */
#include <stdlib.h>
#include <string.h>

#include "dob_budget.h"
#include "stripe.h"

#define WAYS 8
#define SETS (HTTP_DOB_ENTRIES / WAYS)

struct count {
    uint64_t key; /* 0: free (the overflow counts have none) */
    int64_t day;  /* the day counted; a count of another day is 0 */
    unsigned n;
};

struct http_dob_budget {
    struct hc_stripes stripes;
    unsigned per_day;
    struct count e[HTTP_DOB_ENTRIES];
    struct count overflow[SETS]; /* the names a set full of today's names cannot hold */
};

struct http_dob_budget *http_dob_budget_new(unsigned per_day)
{
    struct http_dob_budget *b;
    if (per_day > HTTP_DOB_PER_DAY_MAX || (b = calloc(1, sizeof *b)) == NULL)
        return NULL;
    hc_stripes_init(&b->stripes);
    b->per_day = per_day;
    return b;
}

void http_dob_budget_free(struct http_dob_budget *b)
{
    if (b == NULL)
        return;
    hc_stripes_release(&b->stripes);
    free(b);
}

/* Spend one from c for day: 1 when there was one left. */
static int spend(struct count *c, int64_t day, unsigned per_day)
{
    if (c->day != day) {
        c->day = day;
        c->n = 0;
    }
    if (c->n >= per_day)
        return 0;
    c->n++;
    return 1;
}

int http_dob_budget_spend(struct http_dob_budget *b, const char *last, int64_t day)
{
    uint64_t key = hc_stripe_hash('d', last, strlen(last));
    size_t set = (size_t)(key % SETS), i;
    struct count *ways = &b->e[set * WAYS], *c = NULL;
    pthread_mutex_t *m = hc_stripe(&b->stripes, set);
    int ok;

    pthread_mutex_lock(m);
    for (i = 0; i < WAYS && c == NULL; i++)
        if (ways[i].key == key)
            c = &ways[i];
    /* A way that is free or counts another day: a name counted today is never replaced. */
    for (i = 0; i < WAYS && c == NULL; i++)
        if (ways[i].key == 0 || ways[i].day != day) {
            c = &ways[i];
            c->key = key;
            c->day = day;
            c->n = 0;
        }
    ok = spend(c != NULL ? c : &b->overflow[set], day, b->per_day);
    pthread_mutex_unlock(m);
    return ok;
}
