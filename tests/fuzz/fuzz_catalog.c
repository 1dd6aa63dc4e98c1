/* SPDX-License-Identifier: MIT
 * fuzz_catalog.c: libFuzzer target for the offense catalog's table reader (src/core/catalog.h),
 * which reads what an administrator hands holdcheck: `--catalog DIR` and the proposed law
 * table of `replay --proposed FILE` (src/app/replay.c).
 *
 * Every input is one table, "ca/fuzz.tsv". When it loads, its version is the one
 * hc_catalog_version computes for the same bytes, loading it again gives the same version,
 * and each citation below is looked up and resolved on three dates (the lookups read every
 * row the loader kept). When it does not load, the reason is said. A broken property is
 * reported on stderr and with __builtin_trap(). Built by `make fuzz`. */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "arena.h"
#include "catalog.h"
#include "cite.h"
#include "date.h"
#include "err.h"
#include "memfile.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void contract(const char *what)
{
    fprintf(stderr, "fuzz_catalog: contract broken: %s\n", what);
    __builtin_trap();
}

static volatile int sink;

/* Load t into *cat in a fresh arena (*mem, freed by the caller); the loader's result. */
static int load(const struct hc_memfile *t, struct hc_catalog *cat, void **mem,
                struct hc_diag *d)
{
    struct hc_arena a;
    size_t total = hc_catalog_arena_bytes(t, 1); /* as replay and --catalog size it */
    if ((*mem = malloc(total)) == NULL)
        return HC_ENOMEM;
    hc_arena_init(&a, *mem, total);
    hc_diag_clear(d);
    return hc_catalog_load(cat, t, 1, &a, d);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const char *const cites[] = {"PC 459", "PC 245(a)(1)", "PC 664/187", "HS 11378",
                                        "VC 23152(b)", "PC 182(a)(1)/211", "8 USC 1326"};
    static const int years[] = {1990, 2011, 2026};
    char version[HC_CATALOG_VERSION_LEN];
    struct hc_catalog cat, again;
    struct hc_memfile t;
    struct hc_diag d;
    void *mem = NULL, *mem2 = NULL;
    char *text;
    size_t i, j;

    if ((text = malloc(size + 1)) == NULL)
        return 0;
    memcpy(text, data, size);
    text[size] = '\0'; /* a table's bytes are followed by a NUL (memfile.h) */
    t.path = "ca/fuzz.tsv";
    t.ctype = NULL;
    t.data = (const unsigned char *)text;
    t.len = size;

    if (load(&t, &cat, &mem, &d) != HC_OK) {
        if (d.msg[0] == '\0')
            contract("a table refused without a reason");
    } else {
        hc_catalog_version(&t, 1, version);
        if (memcmp(version, cat.version, sizeof version) != 0)
            contract("the loaded version is not hc_catalog_version of the same bytes");
        if (load(&t, &again, &mem2, &d) != HC_OK ||
            memcmp(again.version, cat.version, sizeof version) != 0)
            contract("the same table loaded twice differs");
        for (i = 0; i < sizeof cites / sizeof cites[0]; i++) {
            struct hc_cite c;
            struct hc_diag cd;
            if (hc_cite_parse(cites[i], strlen(cites[i]), &c, &cd) != HC_OK)
                contract("a fixed citation does not parse");
            for (j = 0; j < sizeof years / sizeof years[0]; j++) {
                struct hc_offense o;
                hc_day on = hc_date_from_ymd(years[j], 6, 1);
                hc_catalog_resolve(&cat, &c, on, &o);
                sink += o.found + o.kind + (int)strlen(o.desc);
                sink += (int)hc_catalog_sentences(&cat, &c, on - 3650, on);
            }
        }
    }
    free(mem);
    free(mem2);
    free(text);
    return 0;
}
