/* SPDX-License-Identifier: MIT
 * metrics.c: the counters behind GET /metrics and their Prometheus text rendering: requests by
 * route and status, a latency histogram, decisions by outcome, overrides by the outcome they put
 * in force, actions by kind, contrary or not; and, read at each scrape, the requests on record
 * by outcome in force and by the engine's, and those with a contrary action. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "actions.h"
#include "http_int.h"

/* Every status a route or h2o's own answers give (grep the http__respond and http__problem
 * calls), so that "other" stays empty; the last slot is "other". */
static const int statuses[HTTP_METRICS_STATUSES] = {
    200, 201, 202, 301, 303, 304, 400, 401, 403, 404, 405, 409, 410, 413, 415, 422, 429, 500, 503,
    0 /* other */
};
static const double bounds[HTTP_METRICS_BUCKETS] = {0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025,
                                                    0.05,   0.1,   0.25,   0.5,   1.0,  2.5};
static const char *const outcomes[4] = {"permitted", "permitted_with_conditions", "review",
                                        "prohibited"};
_Static_assert(ACTION_NKINDS == sizeof ((struct http_metrics *)0)->actions /
                                   sizeof ((struct http_metrics *)0)->actions[0],
               "one row of action counters per kind of action");

int http__metrics_status_index(int status)
{
    int i;
    for (i = 0; i < HTTP_METRICS_STATUSES - 1; i++)
        if (statuses[i] == status)
            return i;
    return HTTP_METRICS_STATUSES - 1; /* "other" */
}

void http__metrics_observe(struct http_metrics *m, size_t route, int status, uint64_t micros)
{
    int b;
    if (route >= HTTP_METRICS_ROUTES)
        route = HTTP_METRICS_ROUTES - 1;
    atomic_fetch_add_explicit(&m->requests[route][http__metrics_status_index(status)], 1,
                              memory_order_relaxed);
    for (b = 0; b < HTTP_METRICS_BUCKETS; b++)
        if ((double)micros <= bounds[b] * 1e6)
            break;
    atomic_fetch_add_explicit(&m->latency[b], 1, memory_order_relaxed);
    atomic_fetch_add_explicit(&m->latency_sum_us, micros, memory_order_relaxed);
}

struct out {
    char *p;
    size_t len, cap;
    int oom;
};

static void put(struct out *o, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void put(struct out *o, const char *fmt, ...)
{
    va_list ap;
    int n;
    if (o->oom)
        return;
    for (;;) {
        va_start(ap, fmt);
        n = vsnprintf(o->p + o->len, o->cap - o->len, fmt, ap);
        va_end(ap);
        if (n < 0) {
            o->oom = 1;
            return;
        }
        if ((size_t)n < o->cap - o->len) {
            o->len += (size_t)n;
            return;
        }
        {
            char *q = realloc(o->p, o->cap * 2);
            if (q == NULL) {
                o->oom = 1;
                return;
            }
            o->p = q;
            o->cap *= 2;
        }
    }
}

char *http__metrics_render(struct http_metrics *m, const char *const *methods,
                           const char *const *patterns, size_t nroutes,
                           const struct http_cache_stats *cs,
                           const struct store_outcome_counts *oc)
{
    struct out o = {malloc(16384), 0, 16384, 0};
    unsigned long long cum = 0, v;
    size_t r;
    int s, b;

    if (o.p == NULL)
        return NULL;
    put(&o, "# HELP holdcheck_http_requests_total HTTP requests answered, by route and status.\n"
            "# TYPE holdcheck_http_requests_total counter\n");
    for (r = 0; r <= nroutes && r < HTTP_METRICS_ROUTES; r++) {
        const char *method = r < nroutes ? methods[r] : "", *pat = r < nroutes ? patterns[r]
                                                                                  : "unmatched";
        for (s = 0; s < HTTP_METRICS_STATUSES; s++) {
            v = atomic_load_explicit(&m->requests[r][s], memory_order_relaxed);
            if (v == 0)
                continue;
            if (statuses[s] != 0)
                put(&o, "holdcheck_http_requests_total{method=\"%s\",route=\"%s\","
                        "status=\"%d\"} %llu\n", method, pat, statuses[s], v);
            else
                put(&o, "holdcheck_http_requests_total{method=\"%s\",route=\"%s\","
                        "status=\"other\"} %llu\n", method, pat, v);
        }
    }
    put(&o, "# HELP holdcheck_http_request_duration_seconds Time spent answering a request.\n"
            "# TYPE holdcheck_http_request_duration_seconds histogram\n");
    for (b = 0; b <= HTTP_METRICS_BUCKETS; b++) {
        cum += atomic_load_explicit(&m->latency[b], memory_order_relaxed);
        if (b < HTTP_METRICS_BUCKETS)
            put(&o, "holdcheck_http_request_duration_seconds_bucket{le=\"%g\"} %llu\n",
                bounds[b], cum);
        else
            put(&o, "holdcheck_http_request_duration_seconds_bucket{le=\"+Inf\"} %llu\n", cum);
    }
    put(&o, "holdcheck_http_request_duration_seconds_sum %.6f\n"
            "holdcheck_http_request_duration_seconds_count %llu\n",
        (double)atomic_load_explicit(&m->latency_sum_us, memory_order_relaxed) / 1e6, cum);
    put(&o, "# HELP holdcheck_decisions_total Decisions made (decide, intake, re-decide), by "
            "outcome.\n# TYPE holdcheck_decisions_total counter\n");
    for (s = 0; s < 4; s++)
        put(&o, "holdcheck_decisions_total{outcome=\"%s\"} %llu\n", outcomes[s],
            atomic_load_explicit(&m->decisions[s], memory_order_relaxed));
    put(&o, "# HELP holdcheck_overrides_total Supervisor overrides, by the outcome they put in "
            "force.\n# TYPE holdcheck_overrides_total counter\n");
    for (s = 0; s < 4; s++)
        put(&o, "holdcheck_overrides_total{outcome=\"%s\"} %llu\n", outcomes[s],
            atomic_load_explicit(&m->overrides[s], memory_order_relaxed));
    put(&o, "# HELP holdcheck_actions_total Actions recorded about requests, by kind and by "
            "whether they were contrary to the outcome in force.\n"
            "# TYPE holdcheck_actions_total counter\n");
    for (s = 0; s < ACTION_NKINDS; s++)
        for (b = 0; b < 2; b++)
            put(&o, "holdcheck_actions_total{kind=\"%s\",contrary=\"%s\"} %llu\n",
                actions_kind_name(s),
                b ? "true" : "false", atomic_load_explicit(&m->actions[s][b], memory_order_relaxed));
    if (oc != NULL) {
        put(&o, "# HELP holdcheck_requests_in_force Requests on record by their outcome in force "
                "(the override in force, else the newest decision; none: undecided).\n"
                "# TYPE holdcheck_requests_in_force gauge\n");
        for (s = 0; s < 4; s++)
            put(&o, "holdcheck_requests_in_force{outcome=\"%s\"} %lld\n", outcomes[s],
                (long long)oc->in_force[s]);
        put(&o, "holdcheck_requests_in_force{outcome=\"none\"} %lld\n", (long long)oc->undecided);
        put(&o, "# HELP holdcheck_requests_engine Requests on record by the engine's own outcome "
                "(their newest decision's).\n# TYPE holdcheck_requests_engine gauge\n");
        for (s = 0; s < 4; s++)
            put(&o, "holdcheck_requests_engine{outcome=\"%s\"} %lld\n", outcomes[s],
                (long long)oc->engine[s]);
        put(&o, "# HELP holdcheck_requests_contrary Requests with an action recorded contrary to "
                "their outcome in force.\n# TYPE holdcheck_requests_contrary gauge\n"
                "holdcheck_requests_contrary %lld\n", (long long)oc->contrary);
    }
    if (cs != NULL) {
        static const char *const ckinds[3] = {"", "public", "staff"};
        put(&o, "# HELP holdcheck_answer_cache_lookups_total Lookups in the shared answer cache, "
                "by kind of answer and result.\n"
                "# TYPE holdcheck_answer_cache_lookups_total counter\n");
        for (s = 1; s < 3; s++)
            put(&o, "holdcheck_answer_cache_lookups_total{kind=\"%s\",result=\"hit\"} %llu\n"
                    "holdcheck_answer_cache_lookups_total{kind=\"%s\",result=\"miss\"} %llu\n",
                ckinds[s], cs->hits[s], ckinds[s], cs->misses[s]);
        put(&o, "# HELP holdcheck_answer_cache_bytes Bytes of answers kept in the cache.\n"
                "# TYPE holdcheck_answer_cache_bytes gauge\n"
                "holdcheck_answer_cache_bytes %zu\n", cs->bytes);
    }
    if (o.oom) {
        free(o.p);
        return NULL;
    }
    return o.p;
}
