/* SPDX-License-Identifier: MIT
 * testutil.h: shared helpers for the core unit tests: the built-in catalog, and deciding a case
 * written as JSON. Everything is static inline so each test program takes what it uses. */
#ifndef HC_TESTUTIL_H
#define HC_TESTUTIL_H

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "catalog_builtin.h"
#include "charge.h"
#include "engine.h"
#include "render.h"

struct tu {
    struct hc_catalog cat;
    void *cat_mem;
    char case_mem[1 << 20];
    struct hc_case c;
    struct hc_decision d;
    char out[1 << 16];
};

static inline int tu_setup(void **state)
{
    struct tu *t = calloc(1, sizeof *t);
    struct hc_arena a;
    struct hc_diag d;
    if (t == NULL)
        return -1;
    t->cat_mem = malloc(8u << 20);
    hc_arena_init(&a, t->cat_mem, 8u << 20);
    if (hc_catalog_load(&t->cat, hc_catalog_builtin, hc_catalog_builtin_n, &a, &d) != HC_OK) {
        fprintf(stderr, "catalog: %s %s\n", d.field, d.msg);
        free(t->cat_mem);
        free(t);
        return -1;
    }
    *state = t;
    return 0;
}

static inline int tu_teardown(void **state)
{
    struct tu *t = *state;
    if (t == NULL)
        return 0;
    free(t->cat_mem);
    free(t);
    return 0;
}

/* Parse json as one case and decide it. Returns the hc_decide/hc_case_read code; the decision
 * is in t->d and its JSON rendering in t->out. */
static inline int tu_decide(struct tu *t, const char *json)
{
    struct hc_arena a;
    struct hc_diag d;
    struct hc_buf b;
    size_t pos = 0;
    int rc;

    hc_arena_init(&a, t->case_mem, sizeof t->case_mem);
    rc = hc_case_read(json, strlen(json), &pos, 1, &t->c, &a, &d);
    if (rc != HC_OK) {
        fprintf(stderr, "case: %s: %s\n", d.field, d.msg);
        return rc;
    }
    /* As every caller of the engine does: citations as jail systems write them are read. */
    rc = hc_case_read_charges(&t->c, &t->cat, &a);
    if (rc == HC_OK)
        rc = hc_decide(&t->cat, &t->c, &t->d, &d);
    if (rc != HC_OK)
        return rc;
    hc_buf_init(&b, t->out, sizeof t->out - 1);
    hc_render_json(&t->cat, &t->c, &t->d, &b);
    assert_false(b.full);
    t->out[b.len] = '\0';
    return HC_OK;
}

/* Whether some basis entry of the last decision contains sub. */
static inline int tu_has_basis(struct tu *t, const char *sub)
{
    char tmp[256];
    int i;
    for (i = 0; i < t->d.nbasis; i++) {
        struct hc_buf b;
        hc_buf_init(&b, tmp, sizeof tmp - 1);
        hc_render_basis(&t->d.basis[i], &t->d, &t->c, &b);
        tmp[b.len] = '\0';
        if (strstr(tmp, sub) != NULL)
            return 1;
    }
    return 0;
}

#endif
