/* SPDX-License-Identifier: MIT
 * fuzz_case.c: libFuzzer target for the case reader, the charge-string reader behind it, the
 * engine and the renderers.
 *
 * The built-in catalog is loaded once. Each input is read as JSON Lines the way
 * `holdcheck decide` reads it (src/cli/decide.c): one 1 MiB arena reset per case, an invalid
 * case skipped to the next newline, the end at HC_ENOENT. Every case read is decided and
 * rendered as JSON and as text into a 256 KiB buffer. A crash, leak or undefined behaviour is a
 * bug; so is a broken contract, reported on stderr and with __builtin_trap(): hc_case_read
 * returning a code case.h does not list, rejecting a case without a message or returning OK
 * without advancing; hc_decide returning other than 0 or HC_ERANGE, or counts beyond their
 * arrays; JSON output that is not one well-formed JSON object of valid UTF-8 (render.h: "one
 * line of JSON"). Built by `make fuzz`. */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "arena.h"
#include "buf.h"
#include "case.h"
#include "catalog.h"
#include "catalog_builtin.h"
#include "charge.h"
#include "engine.h"
#include "err.h"
#include "render.h"

#define CATALOG_ARENA (8u << 20)
#define CASE_ARENA (1u << 20)
#define OUT_CAP (256u << 10)

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static struct hc_catalog cat;
static char *case_mem;
static char *out_mem;

static void load_once(void)
{
    static int loaded;
    static char *cat_mem; /* kept for the life of the process: the catalog points into it */
    struct hc_arena a;
    struct hc_diag d;
    if (loaded)
        return;
    cat_mem = malloc(CATALOG_ARENA);
    case_mem = malloc(CASE_ARENA);
    out_mem = malloc(OUT_CAP);
    if (cat_mem == NULL || case_mem == NULL || out_mem == NULL)
        abort();
    hc_arena_init(&a, cat_mem, CATALOG_ARENA);
    if (hc_catalog_load(&cat, hc_catalog_builtin, hc_catalog_builtin_n, &a, &d) != HC_OK)
        abort(); /* the built-in tables must load */
    loaded = 1;
}

/* ---- a strict JSON syntax checker for the rendered decision ---- */

struct js {
    const unsigned char *s;
    size_t n, i;
    int depth;
};

static void js_ws(struct js *j)
{
    while (j->i < j->n &&
           (j->s[j->i] == ' ' || j->s[j->i] == '\t' || j->s[j->i] == '\n' || j->s[j->i] == '\r'))
        j->i++;
}

/* Length of the well-formed UTF-8 sequence (RFC 3629: no overlongs, no surrogates) at p. */
static size_t js_utf8(const unsigned char *p, size_t n)
{
    unsigned c = p[0];
    if (c < 0x80)
        return 1;
    if (c >= 0xC2 && c <= 0xDF)
        return n >= 2 && (p[1] & 0xC0) == 0x80 ? 2 : 0;
    if (c >= 0xE0 && c <= 0xEF) {
        unsigned lo = c == 0xE0 ? 0xA0 : 0x80, hi = c == 0xED ? 0x9F : 0xBF;
        return n >= 3 && p[1] >= lo && p[1] <= hi && (p[2] & 0xC0) == 0x80 ? 3 : 0;
    }
    if (c >= 0xF0 && c <= 0xF4) {
        unsigned lo = c == 0xF0 ? 0x90 : 0x80, hi = c == 0xF4 ? 0x8F : 0xBF;
        return n >= 4 && p[1] >= lo && p[1] <= hi && (p[2] & 0xC0) == 0x80 &&
                       (p[3] & 0xC0) == 0x80
                   ? 4
                   : 0;
    }
    return 0;
}

static int js_value(struct js *j);

static int js_string(struct js *j)
{
    j->i++; /* opening quote */
    while (j->i < j->n) {
        unsigned char c = j->s[j->i];
        if (c == '"') {
            j->i++;
            return 1;
        }
        if (c < 0x20)
            return 0;
        if (c == '\\') {
            if (++j->i >= j->n)
                return 0;
            c = j->s[j->i];
            if (c == 'u') {
                int k;
                for (k = 1; k <= 4; k++) {
                    unsigned char h;
                    if (j->i + (size_t)k >= j->n)
                        return 0;
                    h = j->s[j->i + (size_t)k];
                    if (!((h >= '0' && h <= '9') || (h >= 'a' && h <= 'f') || (h >= 'A' && h <= 'F')))
                        return 0;
                }
                j->i += 5;
            } else if (strchr("\"\\/bfnrt", c) != NULL && c != '\0') {
                j->i++;
            } else {
                return 0;
            }
            continue;
        }
        {
            size_t l = js_utf8(j->s + j->i, j->n - j->i);
            if (l == 0)
                return 0;
            j->i += l;
        }
    }
    return 0;
}

static int js_number(struct js *j)
{
    size_t start = j->i;
    if (j->i < j->n && j->s[j->i] == '-')
        j->i++;
    if (j->i >= j->n || j->s[j->i] < '0' || j->s[j->i] > '9')
        return 0;
    if (j->s[j->i] == '0')
        j->i++;
    else
        while (j->i < j->n && j->s[j->i] >= '0' && j->s[j->i] <= '9')
            j->i++;
    if (j->i < j->n && j->s[j->i] == '.') {
        j->i++;
        if (j->i >= j->n || j->s[j->i] < '0' || j->s[j->i] > '9')
            return 0;
        while (j->i < j->n && j->s[j->i] >= '0' && j->s[j->i] <= '9')
            j->i++;
    }
    if (j->i < j->n && (j->s[j->i] == 'e' || j->s[j->i] == 'E')) {
        j->i++;
        if (j->i < j->n && (j->s[j->i] == '+' || j->s[j->i] == '-'))
            j->i++;
        if (j->i >= j->n || j->s[j->i] < '0' || j->s[j->i] > '9')
            return 0;
        while (j->i < j->n && j->s[j->i] >= '0' && j->s[j->i] <= '9')
            j->i++;
    }
    return j->i > start;
}

static int js_lit(struct js *j, const char *w)
{
    size_t l = strlen(w);
    if (j->n - j->i < l || memcmp(j->s + j->i, w, l) != 0)
        return 0;
    j->i += l;
    return 1;
}

static int js_container(struct js *j, unsigned char close)
{
    int first = 1;
    if (++j->depth > 64)
        return 0;
    j->i++;
    for (;;) {
        js_ws(j);
        if (j->i >= j->n)
            return 0;
        if (j->s[j->i] == close) {
            j->i++;
            j->depth--;
            return 1;
        }
        if (!first) {
            if (j->s[j->i] != ',')
                return 0;
            j->i++;
            js_ws(j);
        }
        first = 0;
        if (close == '}') {
            if (j->i >= j->n || j->s[j->i] != '"' || !js_string(j))
                return 0;
            js_ws(j);
            if (j->i >= j->n || j->s[j->i] != ':')
                return 0;
            j->i++;
        }
        if (!js_value(j))
            return 0;
    }
}

static int js_value(struct js *j)
{
    js_ws(j);
    if (j->i >= j->n)
        return 0;
    switch (j->s[j->i]) {
    case '{': return js_container(j, '}');
    case '[': return js_container(j, ']');
    case '"': return js_string(j);
    case 't': return js_lit(j, "true");
    case 'f': return js_lit(j, "false");
    case 'n': return js_lit(j, "null");
    default: return js_number(j);
    }
}

/* One JSON object on one line, nothing after it. */
static int json_object_line(const char *s, size_t n)
{
    struct js j;
    j.s = (const unsigned char *)s;
    j.n = n;
    j.i = 0;
    j.depth = 0;
    if (n == 0 || s[0] != '{' || memchr(s, '\n', n) != NULL)
        return 0;
    if (!js_value(&j))
        return 0;
    js_ws(&j);
    return j.i == n;
}

/* ---- the target ---- */

/* A broken contract: say which before stopping, so the report names it. */
static void contract(const char *what, int rc)
{
    fprintf(stderr, "fuzz_case: contract broken: %s (rc %d)\n", what, rc);
    __builtin_trap();
}

static void check_decision(const struct hc_decision *dec, const struct hc_case *c)
{
    if (dec->outcome > HC_OUT_REVIEW || dec->ruleset > HC_RULES_VALUES || dec->type != c->type)
        contract("hc_decide: outcome, ruleset or type out of range", 0);
    if (dec->nbasis > HC_MAX_BASIS || dec->nqual > HC_MAX_QUAL ||
        dec->nmissing > HC_MAX_MISSING || dec->nnote > HC_MAX_NOTE ||
        dec->nconflict > HC_MAX_CONFLICT)
        contract("hc_decide: a count exceeds its array", 0);
}

static void decide_and_render(const struct hc_case *c)
{
    struct hc_decision dec;
    struct hc_diag d;
    struct hc_buf b;
    int r;

    hc_diag_clear(&d);
    r = hc_decide(&cat, c, &dec, &d);
    if (r == HC_ERANGE)
        return; /* as_of before 2014-01-01 */
    if (r != HC_OK)
        contract("hc_decide returned neither 0 nor HC_ERANGE", r); /* engine.h */
    check_decision(&dec, c);

    hc_buf_init(&b, out_mem, OUT_CAP);
    hc_render_json(&cat, c, &dec, &b);
    if (!b.full && !json_object_line(b.data, b.len)) {
        fprintf(stderr, "fuzz_case: rendered JSON: %.*s\n", (int)b.len, b.data);
        contract("hc_render_json: not one line of well-formed JSON (UTF-8)", 0);
    }
    (void)hc_buf_cstr(&b);

    hc_buf_init(&b, out_mem, OUT_CAP);
    hc_render_text(&cat, c, &dec, &b);
    (void)hc_buf_cstr(&b);
}

static int is_blank(char ch)
{
    return ch == ' ' || ch == '\t' || ch == '\r' || ch == '\n';
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *s = (const char *)data;
    size_t pos = 0;
    int line = 1;

    load_once();
    for (;;) {
        struct hc_case c;
        struct hc_diag d;
        struct hc_arena a;
        size_t start;
        int r;

        hc_arena_init(&a, case_mem, CASE_ARENA);
        while (pos < size && is_blank(s[pos]))
            if (s[pos++] == '\n')
                line++;
        start = pos;
        hc_diag_clear(&d);
        r = hc_case_read(s, size, &pos, line, &c, &a, &d);
        if (r == HC_ENOENT)
            break;
        if (r == HC_OK) {
            size_t k;
            if (pos <= start || pos > size)
                contract("hc_case_read returned 0 without advancing *pos", r); /* case.h */
            for (k = start; k < pos; k++)
                if (s[k] == '\n')
                    line++;
            /* As every caller of the engine does (charge.h); only HC_ENOMEM may stop it. */
            r = hc_case_read_charges(&c, &cat, &a);
            if (r != HC_OK && r != HC_ENOMEM)
                contract("hc_case_read_charges returned a code charge.h does not document", r);
            if (r == HC_OK)
                decide_and_render(&c);
            continue;
        }
        if (r != HC_EINVAL && r != HC_ENOMEM) /* case.h: 0, HC_EINVAL, HC_ENOENT or HC_ENOMEM */
            contract("hc_case_read returned a code case.h does not document", r);
        if (r == HC_EINVAL && d.msg[0] == '\0')
            contract("hc_case_read rejected the case with an empty message", r);
        /* Resynchronise at the next line. */
        pos = start;
        while (pos < size && s[pos] != '\n')
            pos++;
    }
    return 0;
}
