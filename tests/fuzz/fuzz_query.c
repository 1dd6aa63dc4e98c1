/* SPDX-License-Identifier: MIT
 * fuzz_query.c: libFuzzer target for the query-string reader (hc_url_query, src/common/url.h),
 * which reads every query string the server is sent, from anyone.
 *
 * The input is the query string, in an exact-size buffer so AddressSanitizer traps any read
 * past it. Checked:
 *   - the result is 0, or HC_EINVAL with a message;
 *   - every pair handed over has a name and a value, NUL-terminated, shorter than
 *     HC_QUERY_NAME_MAX / HC_QUERY_VALUE_MAX, with no NUL inside and a value not empty;
 *   - encoding the pairs again (every byte as %XX) and reading that gives the same pairs;
 *   - reading is deterministic.
 * A broken property is reported on stderr and with __builtin_trap(). Built by `make fuzz`. */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "err.h"
#include "url.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define MAX_PAIRS 64

struct pairs {
    size_t n, more; /* pairs kept; pairs seen beyond MAX_PAIRS */
    char name[MAX_PAIRS][HC_QUERY_NAME_MAX];
    char value[MAX_PAIRS][HC_QUERY_VALUE_MAX];
};

static void contract(const char *what)
{
    fprintf(stderr, "fuzz_query: contract broken: %s\n", what);
    __builtin_trap();
}

static int keep(void *ctx, const char *name, const char *value, struct hc_diag *d)
{
    struct pairs *p = ctx;
    size_t nl = strlen(name), vl = strlen(value);
    (void)d;
    if (nl >= HC_QUERY_NAME_MAX || vl >= HC_QUERY_VALUE_MAX || vl == 0)
        contract("a name or value out of bounds, or an empty value");
    if (p->n == MAX_PAIRS) {
        p->more++;
        return HC_OK;
    }
    memcpy(p->name[p->n], name, nl + 1);
    memcpy(p->value[p->n], value, vl + 1);
    p->n++;
    return HC_OK;
}

static int read_query(const char *q, size_t len, struct pairs *p, struct hc_diag *d)
{
    memset(p, 0, sizeof *p);
    hc_diag_clear(d);
    return hc_url_query(q, len, keep, p, d);
}

/* s as %XX for every byte. */
static size_t encode(char *out, const char *s)
{
    static const char hex[] = "0123456789ABCDEF";
    size_t o = 0;
    for (; *s; s++) {
        out[o++] = '%';
        out[o++] = hex[(unsigned char)*s >> 4];
        out[o++] = hex[(unsigned char)*s & 15];
    }
    return o;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static struct pairs a, b;
    static char again[MAX_PAIRS * 3 * (HC_QUERY_NAME_MAX + HC_QUERY_VALUE_MAX + 2)];
    char *q = malloc(size ? size : 1);
    struct hc_diag d;
    size_t i, o = 0;
    int rc, rc2;

    if (q == NULL)
        return 0;
    memcpy(q, data, size);
    rc = read_query(q, size, &a, &d);
    if (rc != HC_OK && (rc != HC_EINVAL || d.msg[0] == '\0'))
        contract("an error other than HC_EINVAL, or one without a message");
    rc2 = read_query(q, size, &b, &d);
    if (rc2 != rc || b.n != a.n || memcmp(&a, &b, sizeof a) != 0)
        contract("not deterministic");
    free(q);
    if (rc != HC_OK || a.more > 0)
        return 0;
    for (i = 0; i < a.n; i++) {
        if (i)
            again[o++] = '&';
        o += encode(again + o, a.name[i]);
        again[o++] = '=';
        o += encode(again + o, a.value[i]);
    }
    if (read_query(again, o, &b, &d) != HC_OK || b.n != a.n)
        contract("the pairs encoded again do not read back");
    for (i = 0; i < a.n; i++)
        if (strcmp(a.name[i], b.name[i]) != 0 || strcmp(a.value[i], b.value[i]) != 0)
            contract("a pair encoded again reads back otherwise");
    return 0;
}
