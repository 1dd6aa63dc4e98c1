/* SPDX-License-Identifier: MIT
 * fuzz_cite.c: libFuzzer target for the citation parser (src/core/cite.h).
 *
 * Every input is handed to hc_cite_parse. When it parses, the citation is written back in its
 * canonical form with hc_cite_format and that text is parsed again: it must parse, and to the
 * same code, title, section, subdivisions, degree, inchoate kind and target. hc_cite_relate is
 * run between the parts; a part always covers itself (cite.h: "list is c ... COVERS").
 * A broken property is reported on stderr and with __builtin_trap(). Built by `make fuzz`. */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "buf.h"
#include "cite.h"
#include "err.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void contract(const char *what)
{
    fprintf(stderr, "fuzz_cite: contract broken: %s\n", what);
    __builtin_trap();
}

/* The parser promises NUL-terminated, bounded strings; check before anything reads them. */
static void check_part_shape(const struct hc_cite_part *p)
{
    int i;
    if (memchr(p->sec, '\0', sizeof p->sec) == NULL)
        contract("section not NUL-terminated");
    if (p->nsub > HC_CITE_SUB_MAX || p->degree > 2 || p->code > HC_CODE_USC)
        contract("nsub, degree or code out of range");
    for (i = 0; i < p->nsub; i++)
        if (memchr(p->sub[i], '\0', sizeof p->sub[i]) == NULL)
            contract("subdivision label not NUL-terminated");
}

static volatile int sink;

static void relate_all(const struct hc_cite *c)
{
    int r;
    if (hc_cite_relate(&c->main, &c->main) != HC_CITE_COVERS)
        contract("hc_cite_relate: the main part does not cover itself");
    if (c->has_target) {
        if (hc_cite_relate(&c->target, &c->target) != HC_CITE_COVERS)
            contract("hc_cite_relate: the target does not cover itself");
        r = (int)hc_cite_relate(&c->main, &c->target);
        r += (int)hc_cite_relate(&c->target, &c->main);
        r += hc_cite_same_section(&c->main, &c->target);
        sink = r;
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct hc_cite a, b;
    struct hc_diag d;
    struct hc_buf buf;
    char mem[512];
    int rc;

    hc_diag_clear(&d);
    rc = hc_cite_parse((const char *)data, size, &a, &d);
    if (rc != HC_OK) {
        if (rc != HC_EINVAL)
            contract("hc_cite_parse returned neither 0 nor HC_EINVAL");
        if (memchr(d.msg, '\0', sizeof d.msg) == NULL || d.msg[0] == '\0')
            contract("hc_cite_parse failed without a reason in d->msg");
        return 0;
    }
    check_part_shape(&a.main);
    if (a.has_target)
        check_part_shape(&a.target);
    relate_all(&a);

    hc_buf_init(&buf, mem, sizeof mem);
    hc_cite_format(&a, &buf);
    if (buf.full)
        contract("hc_cite_format: a parsed citation does not fit in 512 bytes");

    hc_diag_clear(&d);
    if (hc_cite_parse(buf.data, buf.len, &b, &d) != HC_OK) {
        fprintf(stderr, "fuzz_cite: \"%.*s\": %s\n", (int)buf.len, buf.data, d.msg);
        contract("the canonical form of a parsed citation does not parse");
    }
    if (!hc_cite_part_equal(&a.main, &b.main) || a.has_target != b.has_target ||
        a.inchoate != b.inchoate || (a.has_target && !hc_cite_part_equal(&a.target, &b.target))) {
        fprintf(stderr, "fuzz_cite: canonical form \"%.*s\"\n", (int)buf.len, buf.data);
        contract("parsing the canonical form gives a different citation");
    }
    relate_all(&b);
    if (hc_cite_relate(&a.main, &b.main) != HC_CITE_COVERS ||
        hc_cite_relate(&b.main, &a.main) != HC_CITE_COVERS)
        contract("hc_cite_relate: a part and its round trip do not cover each other");
    return 0;
}
