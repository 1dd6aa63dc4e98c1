/* SPDX-License-Identifier: MIT
 * fuzz_charge.c: libFuzzer target for the charge-string reader (src/core/charge.h).
 *
 * The first byte chooses the predicate (none, always yes, a hash-bit oracle, or the built-in
 * catalog on a day the byte also picks); the rest is the charge text, handed over in an
 * exact-size buffer so AddressSanitizer traps any read past len. Checked:
 *   - the result is 1..HC_CHARGE_MAX charges, or HC_EINVAL / HC_ERANGE with n 0 and a reason;
 *   - every charge is well formed: 1..HC_CHARGE_CAND_MAX candidates, AMBIGUOUS exactly when
 *     there are several, a known level, parts NUL-terminated and in range;
 *   - every candidate's canonical form (hc_cite_format) parses with hc_cite_parse to the same
 *     citation, and read again by hc_charge_read gives one charge with it among its readings
 *     ("PC 587c" stays AMBIGUOUS without a predicate: 587(c) or 587c);
 *   - reading is deterministic.
 * A broken property is reported on stderr and with __builtin_trap(). Built by `make fuzz`. */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "catalog_builtin.h"
#include "charge.h"
#include "cite.h"
#include "err.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void contract(const char *what, const char *text, size_t len)
{
    fprintf(stderr, "fuzz_charge: contract broken: %s\n  input: \"%.*s\"\n", what, (int)len,
            text);
    __builtin_trap();
}

static int yes(void *ctx, const struct hc_cite_part *p)
{
    (void)ctx;
    (void)p;
    return 1;
}

static int hash_bit(void *ctx, const struct hc_cite_part *p)
{
    (void)ctx;
    return (int)((p->hash >> 7) & 1u);
}

/* The built-in catalog, loaded once for the whole run (fuzzing code, not core). */
static struct hc_catalog *catalog(void)
{
    static struct hc_catalog cat;
    static int state; /* 0 not tried, 1 loaded, -1 failed */
    if (state == 0) {
        struct hc_arena a;
        void *mem = malloc(8u << 20);
        state = -1;
        if (mem != NULL) {
            hc_arena_init(&a, mem, 8u << 20);
            if (hc_catalog_load(&cat, hc_catalog_builtin, hc_catalog_builtin_n, &a, NULL) ==
                HC_OK)
                state = 1;
        }
    }
    return state == 1 ? &cat : NULL;
}

static int part_shape_ok(const struct hc_cite_part *p)
{
    int i;
    if (memchr(p->sec, '\0', sizeof p->sec) == NULL || p->sec[0] == '\0')
        return 0;
    if (p->nsub > HC_CITE_SUB_MAX || p->degree > 2 || p->code == HC_CODE_NONE ||
        p->code > HC_CODE_USC || p->hash != hc_cite_hash(p))
        return 0;
    for (i = 0; i < p->nsub; i++)
        if (memchr(p->sub[i], '\0', sizeof p->sub[i]) == NULL || p->sub[i][0] == '\0')
            return 0;
    return 1;
}

/* The candidate's canonical form parses back to it, and the reader reads it as EXACT. */
static void round_trip(const struct hc_cite *c, const char *text, size_t len)
{
    char mem[256];
    struct hc_buf b;
    struct hc_cite back;
    struct hc_charge_readings again;
    struct hc_diag d;
    size_t i;
    hc_buf_init(&b, mem, sizeof mem);
    hc_cite_format(c, &b);
    if (b.full)
        contract("a candidate's canonical form does not fit 256 bytes", text, len);
    if (hc_cite_parse(b.data, b.len, &back, &d) != HC_OK) {
        fprintf(stderr, "fuzz_charge: \"%.*s\": %s\n", (int)b.len, b.data, d.msg);
        contract("a candidate's canonical form does not parse", text, len);
    }
    if (!hc_cite_part_equal(&c->main, &back.main) || c->has_target != back.has_target ||
        c->inchoate != back.inchoate || (c->has_target && !hc_cite_part_equal(&c->target, &back.target))) {
        fprintf(stderr, "fuzz_charge: canonical \"%.*s\"\n", (int)b.len, b.data);
        contract("a candidate's canonical form parses to another citation", text, len);
    }
    if (hc_charge_read(b.data, b.len, NULL, NULL, &again, &d) != 1) {
        fprintf(stderr, "fuzz_charge: canonical \"%.*s\"\n", (int)b.len, b.data);
        contract("the reader does not read a canonical form as one charge", text, len);
    }
    /* "PC 587c" is AMBIGUOUS to the reader (587(c) or 587c): the candidate must be among
     * the readings, and the only one unless a glued letter or a decimal leaves a choice. */
    for (i = 0; i < again.c[0].ncand; i++)
        if (hc_cite_part_equal(&again.c[0].cand[i].main, &c->main) &&
            again.c[0].cand[i].has_target == c->has_target &&
            (!c->has_target || hc_cite_part_equal(&again.c[0].cand[i].target, &c->target)))
            break;
    if (i == again.c[0].ncand) {
        fprintf(stderr, "fuzz_charge: canonical \"%.*s\"\n", (int)b.len, b.data);
        contract("the reader's readings of a canonical form miss it", text, len);
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct hc_charge_readings out, out2;
    struct hc_charge_catalog cc;
    struct hc_diag d;
    hc_charge_exists_fn fn = NULL;
    void *ctx = NULL;
    char *text;
    size_t len, i, j;
    int rc, rc2;

    if (size == 0)
        return 0;
    switch (data[0] & 3u) {
    case 1: fn = yes; break;
    case 2: fn = hash_bit; break;
    case 3:
        cc.cat = catalog();
        cc.on = hc_date_from_ymd(1990 + (data[0] >> 2) % 40, 1, 1);
        if (cc.cat != NULL) {
            fn = hc_charge_catalog_exists;
            ctx = &cc;
        }
        break;
    default: break;
    }
    len = size - 1;
    text = malloc(len > 0 ? len : 1);
    if (text == NULL)
        return 0;
    memcpy(text, data + 1, len);

    hc_diag_clear(&d);
    rc = hc_charge_read(text, len, fn, ctx, &out, &d);
    if (rc < 0) {
        if (rc != HC_EINVAL && rc != HC_ERANGE)
            contract("an error other than HC_EINVAL or HC_ERANGE", text, len);
        if (out.n != 0 || memchr(d.msg, '\0', sizeof d.msg) == NULL || d.msg[0] == '\0')
            contract("a failed read left charges or gave no reason", text, len);
        free(text);
        return 0;
    }
    if (rc == 0 || rc > HC_CHARGE_MAX || (size_t)rc != out.n)
        contract("the count returned is not out->n in 1..HC_CHARGE_MAX", text, len);
    for (i = 0; i < out.n; i++) {
        const struct hc_charge_reading *c = &out.c[i];
        if (c->ncand < 1 || c->ncand > HC_CHARGE_CAND_MAX ||
            (c->ncand > 1) != (c->conf == HC_CHARGE_AMBIGUOUS) || c->conf < HC_CHARGE_EXACT ||
            c->conf > HC_CHARGE_AMBIGUOUS || c->level > HC_LEVEL_INFRACTION)
            contract("a charge's candidates, confidence or level are out of range", text, len);
        for (j = 0; j < c->ncand; j++) {
            if (!part_shape_ok(&c->cand[j].main) ||
                (c->cand[j].has_target && !part_shape_ok(&c->cand[j].target)))
                contract("a candidate's part is malformed", text, len);
            if (c->cand[j].level_suffix != c->level)
                contract("level_suffix differs from the charge's level", text, len);
            round_trip(&c->cand[j], text, len);
        }
    }
    rc2 = hc_charge_read(text, len, fn, ctx, &out2, NULL);
    if (rc2 != rc || out2.n != out.n)
        contract("reading the same text twice gave different results", text, len);
    for (i = 0; i < out.n; i++)
        if (out2.c[i].ncand != out.c[i].ncand ||
            !hc_cite_part_equal(&out2.c[i].cand[0].main, &out.c[i].cand[0].main))
            contract("reading the same text twice gave different charges", text, len);
    free(text);
    return 0;
}
