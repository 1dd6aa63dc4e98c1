/* SPDX-License-Identifier: MIT
 * bench_engine.c: the in-process benchmark of holdcheck's decision engine, and the generator of
 * the synthetic cases every benchmark uses (docs/benchmarks.md).
 *
 *   bench_engine gen N SEED              write N cases as JSON Lines to standard output
 *   bench_engine [run] [--cases N] [--seed S] [--seconds T] [--input FILE] [--json OUT]
 *
 * `run` (the default) loads the built-in catalog (median of several loads), generates N cases
 * (or reads FILE), parses them all up front so parsing is not timed, then times hc_decide over
 * them, pass after pass, for at least T seconds on one pinned core. It also times the other
 * stages of `holdcheck decide` (parse, render_json, and parse+decide+render per case) so the
 * end-to-end comparison can be explained. --json writes the figures for bench/run.sh.
 *
 * The generator is deterministic: case i depends only on (SEED, i), never on N, so a smaller
 * file is a prefix of a larger one with the same seed. Ids are synthetic ("bench-<seed>-<i>"). */
#define _GNU_SOURCE /* sched_setaffinity, CPU_SET */

#include <errno.h>
#include <sched.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "arena.h"
#include "buf.h"
#include "case.h"
#include "catalog.h"
#include "catalog_builtin.h"
#include "date.h"
#include "engine.h"
#include "err.h"
#include "render.h"

/* ==== small utilities ======================================================================= */

static void die(const char *msg)
{
    fprintf(stderr, "bench_engine: %s\n", msg);
    exit(1);
}

static void *xmalloc(size_t n)
{
    void *p = malloc(n ? n : 1);
    if (p == NULL)
        die("out of memory");
    return p;
}

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

static double median(double *v, size_t n)
{
    qsort(v, n, sizeof v[0], cmp_double);
    return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2.0;
}

/* A growable byte string for the generator's output. */
struct sb {
    char *p;
    size_t len, cap;
};

static void sb_reserve(struct sb *s, size_t more)
{
    if (s->cap - s->len >= more)
        return;
    while (s->cap - s->len < more)
        s->cap = s->cap ? s->cap * 2 : 1u << 16;
    s->p = realloc(s->p, s->cap);
    if (s->p == NULL)
        die("out of memory");
}

static void sb_put(struct sb *s, const char *t, size_t n)
{
    sb_reserve(s, n);
    memcpy(s->p + s->len, t, n);
    s->len += n;
}

static void sb_puts(struct sb *s, const char *t)
{
    sb_put(s, t, strlen(t));
}

static void sb_putu(struct sb *s, unsigned long v)
{
    char tmp[24];
    int n = snprintf(tmp, sizeof tmp, "%lu", v);
    sb_put(s, tmp, (size_t)n);
}

static void sb_date(struct sb *s, hc_day d)
{
    char tmp[11];
    hc_date_format(d, tmp);
    sb_put(s, "\"", 1);
    sb_put(s, tmp, 10);
    sb_put(s, "\"", 1);
}

/* ==== deterministic random numbers (splitmix64) =============================================== */

struct rng {
    uint64_t s;
};

static uint64_t rng_next(struct rng *r)
{
    uint64_t z = (r->s += 0x9e3779b97f4a7c15ull);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
    return z ^ (z >> 31);
}

/* Uniform in [0, n). */
static unsigned rng_below(struct rng *r, unsigned n)
{
    return (unsigned)(((rng_next(r) >> 32) * (uint64_t)n) >> 32);
}

/* True with probability pct/1000. */
static int chance(struct rng *r, unsigned per_mille)
{
    return rng_below(r, 1000) < per_mille;
}

/* ==== the synthetic case generator ============================================================ */

/* Offense kinds as the generator needs them to pick a level the catalog agrees with. */
enum {
    K_F = 'F',  /* felony only */
    K_M = 'M',  /* misdemeanor only */
    K_W = 'W',  /* wobbler */
    K_E = 'E',  /* enhancement: found with a felony */
    K_P = 'P',  /* Prop 47: felony before 2014-11-05, misdemeanor from then on */
    K_Q = 'Q',  /* Prop 47: wobbler before 2014-11-05, misdemeanor from then on */
};

enum { O_PLAIN = 1, O_FED = 2, O_OOS = 4, O_P47 = 8 };

/* What a county jail books and convicts on, weighted roughly by how often it appears in a
 * local criminal history: DUI, domestic violence, theft, drugs, assault, vehicle theft,
 * weapons, a few serious/violent felonies, a few federal and out-of-state priors. */
struct offense {
    const char *code;  /* "PC", "VC", "HS", "18 USC" ...; for out-of-state, the foreign citation */
    const char *sec;   /* "245(a)(1)" */
    char kind;
    unsigned weight;
    const char *from;  /* first conviction date the catalog row covers, or NULL */
    unsigned flags;
    char agg;          /* federal: 8 USC 1101(a)(43) letter, 0 when none */
    const char *juris; /* out-of-state: jurisdiction */
    const char *equiv; /* out-of-state: California equivalent */
};

static const struct offense offenses[] = {
    /* driving */
    {"VC", "23152(a)", K_W, 90, NULL, 0, 0, NULL, NULL},
    {"VC", "23152(b)", K_W, 45, NULL, 0, 0, NULL, NULL},
    {"VC", "23153(a)", K_W, 8, NULL, 0, 0, NULL, NULL},
    {"VC", "14601.1(a)", K_M, 35, NULL, 0, 0, NULL, NULL},
    {"VC", "12500(a)", K_M, 20, NULL, 0, 0, NULL, NULL},
    {"VC", "10851(a)", K_W, 40, NULL, 0, 0, NULL, NULL},
    {"VC", "2800.2(a)", K_W, 10, NULL, 0, 0, NULL, NULL},
    {"VC", "20001(a)", K_W, 6, NULL, 0, 0, NULL, NULL},
    /* domestic violence, assault, threats */
    {"PC", "273.5(a)", K_W, 70, NULL, 0, 0, NULL, NULL},
    {"PC", "243(e)(1)", K_M, 55, NULL, 0, 0, NULL, NULL},
    {"PC", "242", K_M, 45, NULL, 0, 0, NULL, NULL},
    {"PC", "245(a)(1)", K_W, 45, NULL, 0, 0, NULL, NULL},
    {"PC", "245(a)(4)", K_W, 35, "2012-01-01", 0, 0, NULL, NULL},
    {"PC", "422(a)", K_W, 30, NULL, 0, 0, NULL, NULL},
    {"PC", "422.55", K_E, 3, NULL, 0, 0, NULL, NULL},
    {"PC", "273.6(a)", K_M, 20, NULL, 0, 0, NULL, NULL},
    {"PC", "166(c)(1)", K_M, 15, NULL, 0, 0, NULL, NULL},
    {"PC", "69", K_W, 15, NULL, 0, 0, NULL, NULL},
    {"PC", "148(a)(1)", K_M, 45, NULL, 0, 0, NULL, NULL},
    {"PC", "646.9(a)", K_W, 5, NULL, 0, 0, NULL, NULL},
    {"PC", "12022.7(a)", K_E, 6, NULL, 0, 0, NULL, NULL},
    /* theft, burglary, fraud */
    {"PC", "211", K_F, 30, NULL, 0, 0, NULL, NULL},
    {"PC", "664/211", K_F, 8, NULL, O_PLAIN, 0, NULL, NULL},
    {"PC", "459 2nd", K_W, 40, NULL, O_PLAIN, 0, NULL, NULL},
    {"PC", "459 1st", K_F, 12, NULL, O_PLAIN, 0, NULL, NULL},
    {"PC", "459.5", K_M, 25, "2014-11-05", O_P47, 0, NULL, NULL},
    {"PC", "484(a)", K_M, 55, NULL, 0, 0, NULL, NULL},
    {"PC", "487(a)", K_W, 20, NULL, 0, 0, NULL, NULL},
    {"PC", "496(a)", K_W, 40, NULL, O_P47, 0, NULL, NULL},
    {"PC", "530.5(a)", K_W, 18, NULL, 0, 0, NULL, NULL},
    {"PC", "470(a)", K_W, 8, NULL, 0, 0, NULL, NULL},
    {"PC", "594(b)(1)", K_W, 15, NULL, 0, 0, NULL, NULL},
    {"PC", "602(k)", K_M, 12, NULL, 0, 0, NULL, NULL},
    {"PC", "647(f)", K_M, 30, NULL, 0, 0, NULL, NULL},
    {"PC", "1320(b)", K_W, 6, NULL, 0, 0, NULL, NULL},
    /* drugs */
    {"HS", "11350(a)", K_P, 50, NULL, O_P47, 0, NULL, NULL},
    {"HS", "11377(a)", K_Q, 60, NULL, O_P47, 0, NULL, NULL},
    {"HS", "11378", K_F, 30, NULL, 0, 0, NULL, NULL},
    {"HS", "11379(a)", K_F, 10, NULL, 0, 0, NULL, NULL},
    {"HS", "11351", K_F, 12, NULL, 0, 0, NULL, NULL},
    {"HS", "11352(a)", K_F, 6, NULL, 0, 0, NULL, NULL},
    {"HS", "11364(a)", K_M, 40, NULL, 0, 0, NULL, NULL},
    {"HS", "11550(a)", K_M, 30, NULL, 0, 0, NULL, NULL},
    /* weapons, gangs */
    {"PC", "29800(a)(1)", K_F, 25, "2012-01-01", 0, 0, NULL, NULL},
    {"PC", "25400(a)(2)", K_W, 10, "2012-01-01", 0, 0, NULL, NULL},
    {"PC", "25850(a)", K_W, 10, "2012-01-01", 0, 0, NULL, NULL},
    {"PC", "30305(a)(1)", K_W, 5, "2012-01-01", 0, 0, NULL, NULL},
    {"PC", "246.3(a)", K_W, 5, NULL, 0, 0, NULL, NULL},
    {"PC", "186.22(a)", K_W, 6, NULL, 0, 0, NULL, NULL},
    {"PC", "12022.5(a)", K_E, 3, NULL, 0, 0, NULL, NULL},
    /* sex offenses (rare in the mix) */
    {"PC", "261.5(c)", K_W, 3, NULL, 0, 0, NULL, NULL},
    {"PC", "288(a)", K_F, 2, NULL, 0, 0, NULL, NULL},
    {"PC", "187(a)", K_F, 1, NULL, 0, 0, NULL, NULL},
    /* federal priors */
    {"18 USC", "2113(a)", K_F, 3, NULL, O_FED, 'F', NULL, NULL},
    {"21 USC", "841(a)(1)", K_F, 6, NULL, O_FED, 'B', NULL, NULL},
    {"18 USC", "922(g)(1)", K_F, 3, NULL, O_FED, 'E', NULL, NULL},
    {"8 USC", "1326(a)", K_F, 8, NULL, O_FED, 0, NULL, NULL},
    {"8 USC", "1325(a)", K_M, 4, NULL, O_FED, 0, NULL, NULL},
    /* out-of-state priors with their California equivalent */
    {"NRS 200.380", NULL, K_F, 3, NULL, O_OOS, 0, "NV", "PC 211"},
    {"ARS 13-1204", NULL, K_F, 3, NULL, O_OOS, 0, "AZ", "PC 245(a)(1)"},
    {"ORS 164.225", NULL, K_F, 2, NULL, O_OOS, 0, "OR", "PC 459 1st"},
    {"Tex. Penal Code 22.01", NULL, K_M, 2, NULL, O_OOS, 0, "TX", "PC 242"},
};
#define NOFF (sizeof offenses / sizeof offenses[0])

static hc_day off_from[NOFF];
static unsigned off_total;
static hc_day day_p47, day_lo, day_2014, day_asof_hi, day_2018;

static hc_day ymd(const char *s)
{
    hc_day d;
    if (hc_date_parse(s, strlen(s), &d) != 0)
        die("bad date in the offense table");
    return d;
}

static void gen_init(void)
{
    size_t i;
    off_total = 0;
    for (i = 0; i < NOFF; i++) {
        off_from[i] = offenses[i].from ? ymd(offenses[i].from) : HC_DAY_NONE;
        off_total += offenses[i].weight;
    }
    day_p47 = ymd("2014-11-05");
    day_lo = ymd("1995-01-01");
    day_2014 = ymd("2014-01-01");
    day_2018 = ymd("2018-01-01");
    day_asof_hi = ymd("2026-10-31");
}

/* An offense the catalog covers on day `on`. */
static const struct offense *pick_offense(struct rng *r, hc_day on)
{
    for (;;) {
        unsigned w = rng_below(r, off_total);
        size_t i = 0;
        while (w >= offenses[i].weight) {
            w -= offenses[i].weight;
            i++;
        }
        if (off_from[i] == HC_DAY_NONE || on >= off_from[i])
            return &offenses[i];
    }
}

static const char *code_long(const char *code)
{
    if (strcmp(code, "PC") == 0)
        return "Penal Code \xc2\xa7 ";
    if (strcmp(code, "VC") == 0)
        return "Vehicle Code \xc2\xa7 ";
    return "Health and Safety Code \xc2\xa7 ";
}

/* Write the citation the way some records system would: mostly canonical ("PC 245(a)(1)"),
 * sometimes section first with capital subdivisions ("245(A)(1) PC"), spelled out
 * ("Penal Code § 245(a)(1)"), "H&S 11378", or with a level suffix ("VC 23152(a)-F", in which
 * case *suffix is set and the level field is left out). */
static void put_citation(struct sb *s, struct rng *r, const struct offense *o, int level,
                         int *suffix)
{
    unsigned v = rng_below(r, 100);
    const char *p;
    *suffix = 0;
    sb_put(s, "\"", 1);
    if (o->flags & O_OOS) {
        sb_puts(s, o->code);
    } else if (o->flags & O_FED) {
        sb_puts(s, o->code);
        if (v >= 80) { /* "18 U.S.C. § 2113(a)" */
            s->len -= 4; /* drop " USC" */
            sb_puts(s, " U.S.C. \xc2\xa7 ");
        } else {
            sb_put(s, " ", 1);
        }
        sb_puts(s, o->sec);
    } else if (v < 76 || (o->flags & O_PLAIN)) {
        sb_puts(s, o->code);
        sb_put(s, " ", 1);
        sb_puts(s, o->sec);
    } else if (v < 86) {
        for (p = o->sec; *p; p++) {
            char c = *p;
            if (c >= 'a' && c <= 'z')
                c = (char)(c - 'a' + 'A');
            sb_put(s, &c, 1);
        }
        sb_put(s, " ", 1);
        sb_puts(s, o->code);
    } else if (v < 92) {
        sb_puts(s, code_long(o->code));
        sb_puts(s, o->sec);
    } else if (v < 95 && strcmp(o->code, "HS") == 0) {
        sb_puts(s, "H&S ");
        sb_puts(s, o->sec);
    } else if (level == HC_LEVEL_FELONY || level == HC_LEVEL_MISDEMEANOR) {
        sb_puts(s, o->code);
        sb_put(s, " ", 1);
        sb_puts(s, o->sec);
        sb_puts(s, level == HC_LEVEL_FELONY ? "-F" : "-M");
        *suffix = 1;
    } else {
        sb_puts(s, o->code);
        sb_put(s, " ", 1);
        sb_puts(s, o->sec);
    }
    sb_put(s, "\"", 1);
}

/* The level a conviction on day `on` has, consistent with the catalog; *reduced is set for a
 * felony later reduced under Prop 47 (PC 1170.18), recorded as a misdemeanor. */
static int pick_level(struct rng *r, const struct offense *o, hc_day on, int *reduced)
{
    *reduced = 0;
    switch (o->kind) {
    case K_F:
    case K_E:
        return HC_LEVEL_FELONY;
    case K_M:
        return HC_LEVEL_MISDEMEANOR;
    case K_W:
        return chance(r, 450) ? HC_LEVEL_FELONY : HC_LEVEL_MISDEMEANOR;
    case K_P:
    case K_Q:
        if (on >= day_p47)
            return HC_LEVEL_MISDEMEANOR;
        if (o->kind == K_Q && chance(r, 400))
            return HC_LEVEL_MISDEMEANOR;
        if (chance(r, 200)) {
            *reduced = 1;
            return HC_LEVEL_MISDEMEANOR;
        }
        return HC_LEVEL_FELONY;
    default:
        return HC_LEVEL_UNKNOWN;
    }
}

static const char *level_name(int level)
{
    return level == HC_LEVEL_FELONY ? "felony" : "misdemeanor";
}

static int cmp_day(const void *a, const void *b)
{
    hc_day x = *(const hc_day *)a, y = *(const hc_day *)b;
    return (x > y) - (x < y);
}

/* Number of convictions: 30 % none, then a geometric tail (p = 0.22) capped at 20, so about
 * two thirds of people have 0-3, about 2 % have 15 or more, and the mean is 3.15. */
static unsigned pick_nconv(struct rng *r)
{
    unsigned n = 0;
    if (chance(r, 300))
        return 0;
    n = 1;
    while (n < 20 && !chance(r, 220))
        n++;
    return n;
}

static void gen_conviction(struct sb *s, struct rng *r, hc_day on)
{
    const struct offense *o = pick_offense(r, on);
    int reduced, suffix, level = pick_level(r, o, on, &reduced);
    int level_known = !chance(r, 25);

    sb_puts(s, "{\"citation\":");
    put_citation(s, r, o, level_known ? level : HC_LEVEL_UNKNOWN, &suffix);
    if (level_known && !suffix) {
        sb_puts(s, ",\"level\":\"");
        sb_puts(s, level_name(level));
        sb_put(s, "\"", 1);
    }
    if (!chance(r, 12)) {
        sb_puts(s, ",\"date\":");
        sb_date(s, on);
    }
    if (o->kind == K_W && chance(r, 250))
        sb_puts(s, ",\"wobbler\":true");
    else if ((o->kind == K_F || o->kind == K_M) && chance(r, 40))
        sb_puts(s, ",\"wobbler\":false");
    if (o->flags & O_P47) {
        if (reduced)
            sb_puts(s, ",\"prop47_reduced\":true");
        else if (level == HC_LEVEL_MISDEMEANOR && on >= day_p47 && chance(r, 150))
            sb_puts(s, ",\"prop47_reduced\":true");
        else if (level == HC_LEVEL_FELONY && chance(r, 200))
            sb_puts(s, ",\"prop47_reduced\":false");
    }
    if (o->flags & O_FED) {
        unsigned v = rng_below(r, 10);
        if (o->agg && v < 5) {
            char t[] = ",\"federal_aggravated_felony\":\"X\"";
            t[sizeof t - 3] = o->agg;
            sb_puts(s, t);
        } else if (o->agg && v < 7) {
            sb_puts(s, ",\"federal_aggravated_felony\":true");
        } else if (!o->agg && v < 3) {
            sb_puts(s, ",\"federal_aggravated_felony\":false");
        }
    }
    if (o->flags & O_OOS) {
        sb_puts(s, ",\"jurisdiction\":\"");
        sb_puts(s, o->juris);
        sb_puts(s, "\"");
        if (!chance(r, 150)) {
            sb_puts(s, ",\"ca_equivalent\":\"");
            sb_puts(s, o->equiv);
            sb_puts(s, "\"");
        }
    }
    if (chance(r, 10))
        sb_puts(s, ",\"juvenile\":true");
    if (chance(r, 20))
        sb_puts(s, ",\"expunged\":true");
    sb_put(s, "}", 1);
}

static void gen_charge(struct sb *s, struct rng *r, hc_day as_of)
{
    const struct offense *o;
    int reduced, suffix, level;
    do
        o = pick_offense(r, as_of);
    while (o->flags & (O_FED | O_OOS)); /* charges are local */
    level = pick_level(r, o, as_of, &reduced);
    sb_puts(s, "{\"citation\":");
    put_citation(s, r, o, level, &suffix);
    if (!suffix) {
        sb_puts(s, ",\"level\":\"");
        sb_puts(s, level_name(level));
        sb_put(s, "\"", 1);
    }
    if (level == HC_LEVEL_FELONY) {
        unsigned v = rng_below(r, 100);
        if (v < 22)
            sb_puts(s, ",\"magistrate_probable_cause\":true");
        else if (v < 32)
            sb_puts(s, ",\"magistrate_probable_cause\":false");
    }
    sb_put(s, "}", 1);
}

/* Request types weighted like a jail's traffic from immigration authorities. */
static const struct {
    const char *type;
    unsigned weight;
} req_mix[] = {
    {"notification", 420}, {"hold", 220}, {"transfer", 160},
    {"interview", 80}, {"personal_info", 60}, {"criminal_history", 60},
};

static const char *const policies[] = {
    "{\"notification\":\"serious_violent_only\"}",
    "{\"transfer\":\"judicial_warrant_only\"}",
    "{\"hold\":\"never\"}",
    "{\"interview\":\"never\",\"personal_info\":\"never\"}",
    "{\"notification\":\"state_law\",\"transfer\":\"state_law\"}",
    "{\"notification\":\"always\"}",
};

static const char *const settings[] = {
    "{\"prop47_scope\":\"person\"}",
    "{\"state_prison_at\":\"conviction\"}",
    "{\"state_prison_at\":\"decision\"}",
    "{\"juvenile_adjudications\":\"count\"}",
    "{\"expunged\":\"exclude\"}",
    "{\"values_act_start\":\"2018-01-04\"}",
};

/* Append case number i of the stream `seed` as one line of JSON. */
static void gen_case(struct sb *s, uint64_t seed, unsigned long i)
{
    struct rng r;
    hc_day as_of, start, dates[20];
    unsigned nconv, ncharge, k, w;
    const char *type;

    r.s = seed * 0x100000001b3ull + i * 0x9e3779b97f4a7c15ull + 1;
    rng_next(&r);

    /* A quarter of the decisions fall in the TRUST era (2014-2017), the rest after SB 54. */
    if (chance(&r, 250))
        as_of = day_2014 + (hc_day)rng_below(&r, (unsigned)(day_2018 - day_2014));
    else
        as_of = day_2018 + (hc_day)rng_below(&r, (unsigned)(day_asof_hi - day_2018 + 1));

    w = rng_below(&r, 1000);
    for (k = 0; w >= req_mix[k].weight; k++)
        w -= req_mix[k].weight;
    type = req_mix[k].type;

    sb_puts(s, "{\"id\":\"bench-");
    sb_putu(s, (unsigned long)seed);
    sb_put(s, "-", 1);
    sb_putu(s, i);
    sb_puts(s, "\",\"as_of\":");
    sb_date(s, as_of);
    sb_puts(s, ",\"request\":{\"type\":\"");
    sb_puts(s, type);
    sb_put(s, "\"", 1);
    if (strcmp(type, "hold") == 0 || strcmp(type, "notification") == 0 ||
        strcmp(type, "transfer") == 0) {
        unsigned v = rng_below(&r, 100);
        if (v < 80)
            sb_puts(s, ",\"form\":\"I-247A\"");
        else if (v < 85)
            sb_puts(s, ",\"form\":\"I-247N\"");
        else if (v < 90)
            sb_puts(s, ",\"form\":\"I-203\"");
        if (chance(&r, 25))
            sb_puts(s, ",\"judicial_warrant\":true");
        else if (chance(&r, 100))
            sb_puts(s, ",\"judicial_warrant\":false");
        if (chance(&r, 20))
            sb_puts(s, ",\"judicial_probable_cause\":true");
        if (chance(&r, 10))
            sb_puts(s, ",\"federal_felony_warrant\":true");
    }
    sb_puts(s, "},\"person\":{\"convictions\":[");

    /* Convictions: a record that starts some time between 1995 (or 25 years before as_of) and a
     * month before as_of, in date order. */
    nconv = pick_nconv(&r);
    if (nconv) {
        hc_day lo = as_of - 25 * 365 > day_lo ? as_of - 25 * 365 : day_lo;
        hc_day hi = as_of - 30;
        start = lo + (hc_day)rng_below(&r, (unsigned)(hi - lo));
        for (k = 0; k < nconv; k++)
            dates[k] = start + (hc_day)rng_below(&r, (unsigned)(hi - start + 1));
        /* cppcheck-suppress uninitvar ; qsort reads only dates[0..nconv), all set above */
        qsort(dates, nconv, sizeof dates[0], cmp_day);
        for (k = 0; k < nconv; k++) {
            if (k)
                sb_put(s, ",", 1);
            gen_conviction(s, &r, dates[k]);
        }
    }
    sb_put(s, "]", 1);

    /* Pending charges: most people in custody are held on something. */
    w = rng_below(&r, 100);
    ncharge = w < 25 ? 0 : w < 70 ? 1 : w < 90 ? 2 : 3 + rng_below(&r, 2);
    if (ncharge) {
        sb_puts(s, ",\"pending_charges\":[");
        for (k = 0; k < ncharge; k++) {
            if (k)
                sb_put(s, ",", 1);
            gen_charge(s, &r, as_of);
        }
        sb_put(s, "]", 1);
    }
    if (chance(&r, 30))
        sb_puts(s, ",\"registrant_290\":true");
    else if (chance(&r, 100))
        sb_puts(s, ",\"registrant_290\":false");
    sb_put(s, "}", 1);

    /* The agency: usually silent (state law), sometimes publishing, sometimes a policy. */
    {
        int pub = chance(&r, 80), pinfo = chance(&r, 40);
        int pol = chance(&r, 220), set = chance(&r, 50);
        if (pub || pinfo || pol || set) {
            int first = 1;
            sb_puts(s, ",\"agency\":{");
            if (pub) {
                sb_puts(s, "\"release_dates_public\":true");
                first = 0;
            }
            if (pinfo) {
                sb_puts(s, first ? "" : ",");
                sb_puts(s, "\"personal_info_public\":true");
                first = 0;
            }
            if (pol) {
                sb_puts(s, first ? "" : ",");
                sb_puts(s, "\"policy\":");
                sb_puts(s, policies[rng_below(&r, sizeof policies / sizeof policies[0])]);
                first = 0;
            }
            if (set) {
                sb_puts(s, first ? "" : ",");
                sb_puts(s, "\"settings\":");
                sb_puts(s, settings[rng_below(&r, sizeof settings / sizeof settings[0])]);
            }
            sb_put(s, "}", 1);
        }
    }
    sb_puts(s, "}\n");
}

static void gen_cases(struct sb *s, unsigned long n, uint64_t seed, FILE *flush_to)
{
    unsigned long i;
    gen_init();
    for (i = 0; i < n; i++) {
        gen_case(s, seed, i);
        if (flush_to && s->len >= (1u << 20)) {
            if (fwrite(s->p, 1, s->len, flush_to) != s->len)
                die("write failed");
            s->len = 0;
        }
    }
    if (flush_to && s->len) {
        if (fwrite(s->p, 1, s->len, flush_to) != s->len)
            die("write failed");
        s->len = 0;
    }
}

/* ==== the benchmark ============================================================================ */

/* Pin to the first CPU this process may run on; returns it, or -1. */
static int pin_one_core(void)
{
    cpu_set_t set;
    int cpu;
    if (sched_getaffinity(0, sizeof set, &set) != 0)
        return -1;
    for (cpu = 0; cpu < CPU_SETSIZE; cpu++)
        if (CPU_ISSET(cpu, &set))
            break;
    if (cpu == CPU_SETSIZE)
        return -1;
    CPU_ZERO(&set);
    CPU_SET(cpu, &set);
    if (sched_setaffinity(0, sizeof set, &set) != 0)
        return -1;
    return cpu;
}

static int read_file(const char *path, struct sb *s)
{
    FILE *f = fopen(path, "rb");
    size_t n;
    if (f == NULL)
        return -1;
    for (;;) {
        sb_reserve(s, 1u << 20);
        n = fread(s->p + s->len, 1, s->cap - s->len, f);
        s->len += n;
        if (n == 0)
            break;
    }
    n = (size_t)ferror(f);
    fclose(f);
    return n ? -1 : 0;
}

/* Where the JSON Line starting at or after pos ends: `holdcheck decide` reads a case only up
 * to the end of its line, and so does the benchmark. */
static size_t line_end(const struct sb *t, size_t pos)
{
    const char *p;
    while (pos < t->len && t->p[pos] == '\n')
        pos++;
    p = memchr(t->p + pos, '\n', t->len - pos);
    return p ? (size_t)(p - t->p) : t->len;
}

/* Memory for the parsed cases: chunks, so a case never straddles two and nothing moves. */
struct chunks {
    char *mem[4096];
    size_t n;
};
#define CHUNK (64u << 20)

static void chunk_new(struct chunks *ch, struct hc_arena *a)
{
    if (ch->n == sizeof ch->mem / sizeof ch->mem[0])
        die("too many arena chunks");
    ch->mem[ch->n] = xmalloc(CHUNK);
    memset(ch->mem[ch->n], 0, CHUNK); /* fault the pages in now, not inside a timed loop */
    hc_arena_init(a, ch->mem[ch->n], CHUNK);
    ch->n++;
}

struct results {
    int cpu;
    unsigned long ncases;
    size_t input_bytes;
    double convictions_avg, charges_avg;
    unsigned long outcomes[4], rulesets[3], types[HC_REQ_COUNT];
    unsigned long settings_changed;
    double catalog_ms_median, catalog_ms_min;
    size_t catalog_bytes, catalog_cap, catalog_rows;
    size_t cases_bytes;
    double parse_ns, decide_ns, decide_ns_best, decide_ns_median, decide_ns_worst, render_ns,
        pipeline_ns;
    double decide_seconds;
    unsigned long decide_calls;
    unsigned passes;
    double render_bytes_avg;
};

static void write_json(const char *path, const struct results *R)
{
    FILE *f = fopen(path, "w");
    int i;
    if (f == NULL)
        die("cannot write the --json file");
    fprintf(f, "{\n  \"cpu_pinned\": %d,\n  \"cases\": %lu,\n  \"input_bytes\": %zu,\n", R->cpu,
            R->ncases, R->input_bytes);
    fprintf(f, "  \"convictions_avg\": %.3f,\n  \"charges_avg\": %.3f,\n", R->convictions_avg,
            R->charges_avg);
    fprintf(f, "  \"outcomes\": {\"permitted\": %lu, \"permitted_with_conditions\": %lu, "
               "\"prohibited\": %lu, \"review\": %lu},\n",
            R->outcomes[0], R->outcomes[1], R->outcomes[2], R->outcomes[3]);
    fprintf(f, "  \"rulesets\": {\"CA-2014-01-01\": %lu, \"CA-2017-01-01\": %lu, "
               "\"CA-2018-01-01\": %lu},\n",
            R->rulesets[0], R->rulesets[1], R->rulesets[2]);
    fprintf(f, "  \"request_types\": {");
    for (i = 0; i < HC_REQ_COUNT; i++)
        if (R->types[i])
            fprintf(f, "%s\"%s\": %lu", i ? ", " : "", hc_request_name(i), R->types[i]);
    fprintf(f, "},\n  \"settings_changed_cases\": %lu,\n", R->settings_changed);
    fprintf(f, "  \"catalog_load_ms_median\": %.4f,\n  \"catalog_load_ms_min\": %.4f,\n",
            R->catalog_ms_median, R->catalog_ms_min);
    fprintf(f, "  \"catalog_bytes\": %zu,\n  \"catalog_arena_cap\": %zu,\n  \"catalog_rows\": %zu,\n",
            R->catalog_bytes, R->catalog_cap, R->catalog_rows);
    fprintf(f, "  \"decide_passes\": %u,\n  \"decide_calls\": %lu,\n  \"decide_seconds\": %.4f,\n",
            R->passes, R->decide_calls, R->decide_seconds);
    fprintf(f, "  \"decisions_per_second\": %.0f,\n", 1e9 / R->decide_ns);
    fprintf(f, "  \"decide_ns\": %.2f,\n  \"decide_ns_best_pass\": %.2f,\n"
               "  \"decide_ns_median_pass\": %.2f,\n  \"decide_ns_worst_pass\": %.2f,\n",
            R->decide_ns, R->decide_ns_best, R->decide_ns_median, R->decide_ns_worst);
    fprintf(f, "  \"parsed_cases_bytes\": %zu,\n", R->cases_bytes);
    fprintf(f, "  \"target_decisions_per_second\": 2000000,\n");
    fprintf(f, "  \"parse_ns\": %.2f,\n  \"render_json_ns\": %.2f,\n  \"render_bytes_avg\": %.1f,\n",
            R->parse_ns, R->render_ns, R->render_bytes_avg);
    fprintf(f, "  \"pipeline_ns\": %.2f,\n  \"pipeline_cases_per_second\": %.0f\n}\n",
            R->pipeline_ns, 1e9 / R->pipeline_ns);
    if (fclose(f) != 0)
        die("cannot write the --json file");
}

static int run(unsigned long ncases, uint64_t seed, double seconds, const char *input,
               const char *json)
{
    struct results R;
    struct sb text = {NULL, 0, 0};
    struct hc_catalog cat;
    struct hc_arena ca, a;
    struct hc_diag d;
    struct chunks *ch = xmalloc(sizeof *ch);
    struct hc_case *cases;
    struct hc_decision *decs;
    char *cat_mem, *case_mem, *out_mem;
    size_t cat_cap = 0, i, pos, ncap, nconv = 0, ncharges = 0, out_cap = 1u << 16;
    double t0, t1, loads[21], *pass_ns;
    unsigned long n, k, npass_cap = 100000;
    unsigned long sink = 0;

    memset(&R, 0, sizeof R);
    ch->n = 0;
    R.cpu = pin_one_core();

    /* ---- catalog: load time (median of 21 loads) and memory ---- */
    for (i = 0; i < hc_catalog_builtin_n; i++)
        cat_cap += hc_catalog_builtin[i].len;
    cat_cap = cat_cap * 8 + 65536; /* as src/cli/catalog_load.c sizes it */
    cat_mem = xmalloc(cat_cap);
    memset(cat_mem, 0, cat_cap);
    for (k = 0; k < 21; k++) {
        hc_arena_init(&ca, cat_mem, cat_cap);
        t0 = now_s();
        if (hc_catalog_load(&cat, hc_catalog_builtin, hc_catalog_builtin_n, &ca, &d) != HC_OK) {
            fprintf(stderr, "bench_engine: catalog: %s: %s\n", d.field, d.msg);
            return 1;
        }
        t1 = now_s();
        loads[k] = (t1 - t0) * 1e3;
    }
    R.catalog_bytes = ca.used;
    R.catalog_cap = cat_cap;
    R.catalog_rows = cat.nrows;
    R.catalog_ms_median = median(loads, 21);
    R.catalog_ms_min = loads[0];

    /* ---- the cases: generated (or read) as JSON Lines, then all parsed up front ---- */
    if (input) {
        if (read_file(input, &text) != 0) {
            fprintf(stderr, "bench_engine: cannot read %s\n", input);
            return 1;
        }
    } else {
        gen_cases(&text, ncases, seed, NULL);
    }
    R.input_bytes = text.len;
    ncap = 1024;
    cases = xmalloc(ncap * sizeof *cases);
    chunk_new(ch, &a);
    n = 0;
    pos = 0;
    for (;;) {
        size_t save = pos, save_used = a.used;
        int rc;
        if (n == ncap) {
            ncap *= 2;
            cases = realloc(cases, ncap * sizeof *cases);
            if (cases == NULL)
                die("out of memory");
        }
        rc = hc_case_read(text.p, line_end(&text, pos), &pos, 1, &cases[n], &a, &d);
        if (rc == HC_ENOENT)
            break;
        if (rc == HC_ENOMEM && save_used > 0) {
            R.cases_bytes += save_used;
            chunk_new(ch, &a);
            pos = save;
            continue;
        }
        if (rc == HC_ENOMEM)
            hc_diag_set(&d, "", "case too large for one arena chunk", NULL);
        if (rc != HC_OK) {
            fprintf(stderr, "bench_engine: case %lu: %s: %s\n", n + 1, d.field, d.msg);
            return 1;
        }
        nconv += cases[n].nconv;
        ncharges += cases[n].ncharges;
        n++;
    }
    R.ncases = n;
    R.cases_bytes += a.used;
    if (n == 0)
        die("no cases");
    R.convictions_avg = (double)nconv / (double)n;
    R.charges_avg = (double)ncharges / (double)n;

    /* ---- decisions: every case once (checked), then timed passes for >= `seconds` ---- */
    decs = xmalloc(n * sizeof *decs);
    for (k = 0; k < n; k++) {
        if (hc_decide(&cat, &cases[k], &decs[k], &d) != HC_OK) {
            fprintf(stderr, "bench_engine: case %lu: %s: %s\n", k + 1, d.field, d.msg);
            return 1;
        }
        R.outcomes[decs[k].outcome & 3]++;
        R.rulesets[decs[k].ruleset % 3]++;
        R.types[cases[k].type % HC_REQ_COUNT]++;
        R.settings_changed += decs[k].settings_changed != 0;
    }
    pass_ns = xmalloc(npass_cap * sizeof *pass_ns);
    {
        struct hc_decision dec;
        double start = now_s(), end;
        R.passes = 0;
        do {
            t0 = now_s();
            for (k = 0; k < n; k++) {
                hc_decide(&cat, &cases[k], &dec, &d);
                sink += dec.outcome + dec.nbasis;
            }
            t1 = now_s();
            if (R.passes < npass_cap)
                pass_ns[R.passes] = (t1 - t0) * 1e9 / (double)n;
            R.passes++;
            end = t1;
        } while (end - start < seconds || R.passes < 3);
        R.decide_seconds = end - start;
        R.decide_calls = (unsigned long)R.passes * n;
        R.decide_ns = R.decide_seconds * 1e9 / (double)R.decide_calls;
        {
            unsigned np = R.passes < npass_cap ? R.passes : (unsigned)npass_cap;
            qsort(pass_ns, np, sizeof pass_ns[0], cmp_double);
            R.decide_ns_best = pass_ns[0];
            R.decide_ns_median = median(pass_ns, np);
            R.decide_ns_worst = pass_ns[np - 1];
        }
    }

    /* ---- the other stages of `holdcheck decide`, per case, for comparison ---- */
    case_mem = xmalloc(4u << 20);
    memset(case_mem, 0, 4u << 20);
    out_mem = xmalloc(out_cap);
    {
        /* parse only: one 4 MiB arena reset per case, as the CLI does */
        double start = now_s(), end;
        unsigned long cnt = 0;
        do {
            pos = 0;
            for (;;) {
                struct hc_case c;
                hc_arena_init(&a, case_mem, 4u << 20);
                if (hc_case_read(text.p, line_end(&text, pos), &pos, 1, &c, &a, &d) != HC_OK)
                    break;
                sink += c.nconv;
                cnt++;
            }
            end = now_s();
        } while (end - start < seconds / 2);
        R.parse_ns = (end - start) * 1e9 / (double)cnt;
    }
    {
        /* render_json only, from the stored decisions */
        double start = now_s(), end;
        unsigned long cnt = 0, bytes = 0;
        do {
            for (k = 0; k < n; k++) {
                struct hc_buf b;
                for (;;) {
                    hc_buf_init(&b, out_mem, out_cap);
                    hc_render_json(&cat, &cases[k], &decs[k], &b);
                    if (!b.full)
                        break;
                    out_cap *= 4;
                    free(out_mem);
                    out_mem = xmalloc(out_cap);
                }
                bytes += b.len + 1;
            }
            cnt += n;
            end = now_s();
        } while (end - start < seconds / 2);
        R.render_ns = (end - start) * 1e9 / (double)cnt;
        R.render_bytes_avg = (double)bytes / (double)cnt;
    }
    {
        /* parse + decide + render_json per case: the CLI's loop without the file I/O */
        double start = now_s(), end;
        unsigned long cnt = 0;
        do {
            pos = 0;
            for (;;) {
                struct hc_case c;
                struct hc_decision dec;
                struct hc_buf b;
                hc_arena_init(&a, case_mem, 4u << 20);
                if (hc_case_read(text.p, line_end(&text, pos), &pos, 1, &c, &a, &d) != HC_OK)
                    break;
                hc_decide(&cat, &c, &dec, &d);
                hc_buf_init(&b, out_mem, out_cap);
                hc_render_json(&cat, &c, &dec, &b);
                sink += b.len;
                cnt++;
            }
            end = now_s();
        } while (end - start < seconds / 2);
        R.pipeline_ns = (end - start) * 1e9 / (double)cnt;
    }

    printf("bench_engine: %lu cases (%.1f MB of JSON Lines, %.2f convictions and %.2f pending "
           "charges a case), %s\n",
           R.ncases, (double)R.input_bytes / 1e6, R.convictions_avg, R.charges_avg,
           R.cpu >= 0 ? "pinned to one core" : "NOT pinned (sched_setaffinity failed)");
    if (R.cpu >= 0)
        printf("  pinned to CPU %d\n", R.cpu);
    printf("  outcomes: permitted %.1f%%, permitted_with_conditions %.1f%%, prohibited %.1f%%, "
           "review %.1f%%\n",
           100.0 * (double)R.outcomes[0] / (double)n, 100.0 * (double)R.outcomes[1] / (double)n,
           100.0 * (double)R.outcomes[2] / (double)n, 100.0 * (double)R.outcomes[3] / (double)n);
    printf("  catalog: %zu rows, load %.3f ms (median of 21, min %.3f ms), %zu bytes of arena "
           "(%.1f KiB)\n",
           R.catalog_rows, R.catalog_ms_median, R.catalog_ms_min, R.catalog_bytes,
           (double)R.catalog_bytes / 1024.0);
    printf("  parsed cases: %.1f MB in arenas (%.0f bytes a case), not timed\n",
           (double)R.cases_bytes / 1e6, (double)R.cases_bytes / (double)n);
    printf("  hc_decide: %.0f decisions/s on one core (%.1f ns/decision; %u passes over %.2f s; "
           "pass median %.1f ns, best %.1f ns, worst %.1f ns)\n",
           1e9 / R.decide_ns, R.decide_ns, R.passes, R.decide_seconds, R.decide_ns_median,
           R.decide_ns_best, R.decide_ns_worst);
    printf("  target >= 2000000 decisions/s: %s (%.2fx the target)\n",
           1e9 / R.decide_ns >= 2e6 ? "met" : "MISSED", 1e9 / R.decide_ns / 2e6);
    printf("  per case: hc_case_read %.0f ns, hc_decide %.0f ns, hc_render_json %.0f ns "
           "(%.0f bytes out); parse+decide+render %.0f ns = %.0f cases/s\n",
           R.parse_ns, R.decide_ns, R.render_ns, R.render_bytes_avg, R.pipeline_ns,
           1e9 / R.pipeline_ns);
    if (json)
        write_json(json, &R);
    if (sink == 42)
        putchar(' '); /* keep the work observable */
    return 0;
}

static void usage(FILE *f)
{
    fputs("usage: bench_engine gen N SEED\n"
          "       bench_engine [run] [--cases N] [--seed S] [--seconds T] [--input FILE] "
          "[--json OUT]\n",
          f);
}

static unsigned long parse_ul(const char *s)
{
    char *end;
    unsigned long v;
    errno = 0;
    v = strtoul(s, &end, 10);
    if (errno || end == s || *end) {
        usage(stderr);
        exit(2);
    }
    return v;
}

int main(int argc, char **argv)
{
    unsigned long ncases = 100000, seed = 1;
    double seconds = 2.0;
    const char *input = NULL, *json = NULL;
    int i = 1;

    if (argc >= 2 && strcmp(argv[1], "gen") == 0) {
        struct sb s = {NULL, 0, 0};
        if (argc != 4) {
            usage(stderr);
            return 2;
        }
        gen_cases(&s, parse_ul(argv[2]), parse_ul(argv[3]), stdout);
        free(s.p);
        return fflush(stdout) == 0 ? 0 : 1;
    }
    if (argc >= 2 && strcmp(argv[1], "run") == 0)
        i = 2;
    for (; i < argc; i++) {
        if (i + 1 >= argc) {
            usage(stderr);
            return 2;
        }
        if (strcmp(argv[i], "--cases") == 0)
            ncases = parse_ul(argv[++i]);
        else if (strcmp(argv[i], "--seed") == 0)
            seed = parse_ul(argv[++i]);
        else if (strcmp(argv[i], "--seconds") == 0)
            seconds = (double)parse_ul(argv[++i]);
        else if (strcmp(argv[i], "--input") == 0)
            input = argv[++i];
        else if (strcmp(argv[i], "--json") == 0)
            json = argv[++i];
        else {
            usage(stderr);
            return 2;
        }
    }
    return run(ncases, seed, seconds, input, json);
}
