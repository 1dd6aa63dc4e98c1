/* SPDX-License-Identifier: MIT
 * ratelimit.c: the public routes' rate limit, a token bucket per client address in a
 * set-associative table shared by the workers, keyed by the client's address (client.h).
 * A client the table forgets (its set was full of busier clients) starts with a full bucket
 * again: the table bounds memory, not the count of clients. */
#include <h2o.h>
#include <inttypes.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "clock.h"
#include "http_int.h"
#include "portal.h"
#include "stripe.h"

#define LIM_SETS 2048            /* sets of LIM_WAYS clients */
#define LIM_WAYS 4

struct lim_entry {
    unsigned char key[16]; /* IPv4 address, or an IPv6 /64; zero-padded */
    int used;
    int64_t micro;         /* tokens x 1e6 */
    int64_t at_us;         /* when micro was computed (monotonic) */
};

struct ratelimit {
    int rate, burst;
    struct hc_stripes stripes;    /* set s is guarded by hc_stripe(&stripes, s) */
    struct lim_entry sets[LIM_SETS][LIM_WAYS];
};

static struct ratelimit *lim; /* set before the workers start, freed after they stop */

int http__ratelimit_start(int rate, int burst)
{
    if ((lim = calloc(1, sizeof *lim)) == NULL)
        return HC_ENOMEM;
    lim->rate = rate;
    lim->burst = burst;
    hc_stripes_init(&lim->stripes);
    return HC_OK;
}

void http__ratelimit_stop(void)
{
    if (lim == NULL)
        return;
    hc_stripes_release(&lim->stripes);
    free(lim);
    lim = NULL;
}

void http__ratelimit_figures(int *rate, int *burst)
{
    *rate = lim != NULL ? lim->rate : 0;
    *burst = lim != NULL ? lim->burst : 0;
}

int http__admit(h2o_req_t *req, int cost)
{
    unsigned char key[16];
    struct lim_entry *set, *e = NULL, *oldest;
    int64_t now, cap, left, wait_s = 0;
    char v[24];
    size_t i, si;
    int ok;

    if (lim == NULL || lim->rate <= 0)
        return 1;
    http__client_key(req, key);
    si = (size_t)(hc_stripe_hash(0, key, sizeof key) % LIM_SETS);
    set = lim->sets[si];
    cap = (int64_t)lim->burst * 1000000;
    now = hc_clock_mono_ms() * 1000;
    pthread_mutex_lock(hc_stripe(&lim->stripes, si));
    oldest = &set[0];
    for (i = 0; i < LIM_WAYS; i++) {
        if (set[i].used && memcmp(set[i].key, key, 16) == 0) {
            e = &set[i];
            break;
        }
        if (!set[i].used || (oldest->used && set[i].at_us < oldest->at_us))
            oldest = &set[i];
    }
    if (e == NULL) {
        e = oldest;
        memcpy(e->key, key, 16);
        e->used = 1;
        e->micro = cap;
        e->at_us = now;
    }
    e->micro += (now - e->at_us) * lim->rate;
    if (e->micro > cap)
        e->micro = cap;
    e->at_us = now;
    ok = e->micro >= (int64_t)cost * 1000000;
    if (ok)
        e->micro -= (int64_t)cost * 1000000;
    else
        wait_s = ((int64_t)cost * 1000000 - e->micro + (int64_t)lim->rate * 1000000 - 1) /
                 ((int64_t)lim->rate * 1000000);
    left = e->micro / 1000000;
    pthread_mutex_unlock(hc_stripe(&lim->stripes, si));

    snprintf(v, sizeof v, "%d", lim->burst);
    http__add_header_str(req, "x-ratelimit-limit", h2o_strdup(&req->pool, v, SIZE_MAX).base);
    snprintf(v, sizeof v, "%" PRId64, left);
    http__add_header_str(req, "x-ratelimit-remaining", h2o_strdup(&req->pool, v, SIZE_MAX).base);
    if (ok)
        return 1;
    if (wait_s < 1)
        wait_s = 1;
    {
        char detail[160], body[400];
        snprintf(v, sizeof v, "%" PRId64, wait_s);
        http__add_header(req, H2O_TOKEN_RETRY_AFTER, h2o_strdup(&req->pool, v, SIZE_MAX).base);
        snprintf(detail, sizeof detail,
                 "too many requests from this address: %d at once, %d a second; retry in %"
                 PRId64 " s", lim->burst, lim->rate, wait_s);
        snprintf(body, sizeof body,
                 "{\"type\":\"about:blank\",\"title\":\"Too Many Requests\",\"status\":429,"
                 "\"detail\":\"%s\",\"retry_after\":%" PRId64 "}", detail, wait_s);
        http__add_header_str(req, "access-control-allow-origin", "*");
        http__respond(req, 429, "application/problem+json", body, strlen(body));
    }
    return 0;
}
