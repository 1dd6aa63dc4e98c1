/* SPDX-License-Identifier: MIT
 * bench_charge.c: how long hc_charge_read takes per raw charge string (issue 13 asks for under
 * a microsecond on average).
 *
 *   bench_charge [--input FILE] [--seconds T] [--rounds R]
 *
 * Reads the raw strings (first TAB-separated column, '#' lines skipped) of FILE, by default
 * tests/charges/corpus.tsv, loads the built-in catalog, then for R rounds (default 5) reads
 * every string, pass after pass, for at least T seconds of CPU time (default 1), once with the
 * catalog as the predicate (on 2025-01-01) and once with none. Prints the median CPU
 * nanoseconds per string of each, and for scale hc_cite_parse's on the same strings (most of
 * which it rejects). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "arena.h"
#include "catalog.h"
#include "catalog_builtin.h"
#include "charge.h"
#include "cite.h"
#include "date.h"
#include "err.h"

struct str {
    const char *s;
    size_t len;
};

static void die(const char *msg)
{
    fprintf(stderr, "bench_charge: %s\n", msg);
    exit(1);
}

/* The thread's CPU time: on a shared machine (this one has 2 cores and others building on
 * it) the wall clock also counts the time the thread waited for a core. */
static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

/* Split text into the first column of each non-comment line (text is modified). */
static size_t load_strings(char *text, struct str *out, size_t cap)
{
    size_t n = 0;
    char *line = text, *next;
    for (; line != NULL && *line != '\0' && n < cap; line = next) {
        next = strchr(line, '\n');
        if (next != NULL)
            *next++ = '\0';
        if (line[0] == '#' || line[0] == '\0')
            continue;
        out[n].s = line;
        out[n].len = strcspn(line, "\t");
        n++;
    }
    return n;
}

static volatile long sink;

/* mode 0: hc_charge_read with the catalog, 1: with no predicate, 2: hc_cite_parse. */
static double ns_per_string(const struct str *v, size_t n, int mode, struct hc_charge_catalog *cc,
                            double seconds)
{
    struct hc_charge_readings out;
    struct hc_cite c;
    double t0 = now_s(), t;
    long reads = 0, acc = 0;
    size_t i;
    do {
        for (i = 0; i < n; i++) {
            if (mode == 0)
                acc += hc_charge_read(v[i].s, v[i].len, hc_charge_catalog_exists, cc, &out, NULL);
            else if (mode == 1)
                acc += hc_charge_read(v[i].s, v[i].len, NULL, NULL, &out, NULL);
            else
                acc += hc_cite_parse(v[i].s, v[i].len, &c, NULL);
        }
        reads += (long)n;
        t = now_s();
    } while (t - t0 < seconds);
    sink = acc;
    return (t - t0) * 1e9 / (double)reads;
}

int main(int argc, char **argv)
{
    const char *path = "tests/charges/corpus.tsv";
    double seconds = 1.0, res[3][16];
    int rounds = 5, i, m;
    static struct str v[4096];
    static const char *const names[] = {"hc_charge_read, catalog predicate",
                                        "hc_charge_read, no predicate",
                                        "hc_cite_parse (for scale)"};
    struct hc_catalog cat;
    struct hc_arena a;
    struct hc_charge_catalog cc;
    size_t n, len, total = 0;
    char *text;
    FILE *fp;
    void *mem;

    for (i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--input") == 0 && i + 1 < argc)
            path = argv[++i];
        else if (strcmp(argv[i], "--seconds") == 0 && i + 1 < argc)
            seconds = strtod(argv[++i], NULL);
        else if (strcmp(argv[i], "--rounds") == 0 && i + 1 < argc)
            rounds = (int)strtol(argv[++i], NULL, 10);
        else
            die("usage: bench_charge [--input FILE] [--seconds T] [--rounds R]");
    }
    if (rounds < 1 || rounds > 16 || seconds <= 0)
        die("--rounds must be 1..16 and --seconds positive");
    fp = fopen(path, "rb");
    if (fp == NULL)
        die("cannot open the input (run from the source tree or give --input)");
    text = malloc(1u << 20);
    if (text == NULL)
        die("out of memory");
    len = fread(text, 1, (1u << 20) - 1, fp);
    fclose(fp);
    text[len] = '\0';
    n = load_strings(text, v, sizeof v / sizeof v[0]);
    if (n == 0)
        die("no strings in the input");
    for (i = 0; i < (int)n; i++)
        total += v[i].len;

    mem = malloc(8u << 20);
    if (mem == NULL)
        die("out of memory");
    hc_arena_init(&a, mem, 8u << 20);
    if (hc_catalog_load(&cat, hc_catalog_builtin, hc_catalog_builtin_n, &a, NULL) != HC_OK)
        die("cannot load the built-in catalog");
    cc.cat = &cat;
    cc.on = hc_date_from_ymd(2025, 1, 1);

    printf("%zu strings, %.1f bytes on average, %d rounds of at least %.1f s of CPU each\n", n,
           (double)total / (double)n, rounds, seconds);
    for (m = 0; m < 3; m++) {
        for (i = 0; i < rounds; i++)
            res[m][i] = ns_per_string(v, n, m, &cc, seconds);
        qsort(res[m], (size_t)rounds, sizeof res[m][0], cmp_double);
        printf("%-36s median %7.1f ns/string (min %.1f, max %.1f)\n", names[m],
               res[m][rounds / 2], res[m][0], res[m][rounds - 1]);
    }
    free(mem);
    free(text);
    return 0;
}
