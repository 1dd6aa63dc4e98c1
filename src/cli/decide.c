/* SPDX-License-Identifier: MIT
 * decide.c: `holdcheck decide [--explain] [--catalog DIR] [FILE|-]`: read one JSON case or JSON
 * Lines, write one decision a line in input order. An invalid case is answered in its place by
 * an error object, and reported on stderr with its line and field; the rest are still decided. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "catalog_builtin.h"
#include "cli.h"
#include "charge.h"
#include "engine.h"
#include "render.h"

#define CASE_ARENA (4u << 20)  /* one case: 500 convictions with long strings fit easily */
#define OUT_FLUSH ((size_t)1 << 20)

static void usage(FILE *f)
{
    fputs("usage: holdcheck decide [--explain] [--catalog DIR] [FILE|-]\n"
          "  Decide each JSON case in FILE (or standard input): one case, or JSON Lines.\n"
          "  Writes one JSON decision a line; --explain writes plain-language reports.\n"
          "  Exit 0: all decided (review included); 1: some input invalid; 2: usage.\n", f);
}

struct out {
    char *data;
    size_t len, cap;
};

static void out_flush(struct out *o)
{
    if (o->len && fwrite(o->data, 1, o->len, stdout) != o->len) {
        perror("holdcheck: write");
        exit(CLI_EXIT_SOFTWARE);
    }
    o->len = 0;
}

/* Render into the output buffer, growing the scratch area until the decision fits. */
static void emit(struct out *o, const struct hc_catalog *cat, const struct hc_case *c,
                 const struct hc_decision *d, int explain)
{
    size_t room = 65536;
    for (;;) {
        struct hc_buf b;
        if (o->cap - o->len < room + 2) {
            out_flush(o);
            if (o->cap < room + 2) {
                o->cap = room + 2;
                o->data = cli_xrealloc(o->data, o->cap);
            }
        }
        hc_buf_init(&b, o->data + o->len, room);
        if (explain)
            hc_render_text(cat, c, d, &b);
        else
            hc_render_json(cat, c, d, &b);
        if (!b.full) {
            o->len += b.len;
            o->data[o->len++] = '\n';
            if (explain)
                o->data[o->len++] = '\n';
            break;
        }
        room *= 4;
    }
    if (o->len >= OUT_FLUSH)
        out_flush(o);
}

static void emit_error(struct out *o, int line, const struct hc_diag *d)
{
    char tmp[512];
    struct hc_buf b;
    fprintf(stderr, "holdcheck: line %d: %s%s%s\n", line, d->field, d->field[0] ? ": " : "",
            d->msg);
    hc_buf_init(&b, tmp, sizeof tmp);
    hc_buf_puts(&b, "{\"line\":");
    hc_buf_putu(&b, (unsigned long)line);
    hc_buf_puts(&b, ",\"error\":");
    hc_buf_put_jstr(&b, d->msg, strlen(d->msg));
    hc_buf_puts(&b, ",\"field\":");
    hc_buf_put_jstr(&b, d->field, strlen(d->field));
    hc_buf_puts(&b, "}\n");
    if (o->cap - o->len < b.len)
        out_flush(o);
    memcpy(o->data + o->len, b.data, b.len);
    o->len += b.len;
}

static int count_lines(const char *s, size_t from, size_t to)
{
    int n = 0;
    const char *p = s + from, *end = s + to;
    while ((p = memchr(p, '\n', (size_t)(end - p))) != NULL) {
        n++;
        p++;
    }
    return n;
}

int cli_decide(int argc, char **argv)
{
    const char *path = NULL, *catdir = NULL;
    int explain = 0, bad = 0, i, line = 1;
    enum { LAYOUT_UNKNOWN, LAYOUT_LINES, LAYOUT_DOCUMENT } layout = LAYOUT_UNKNOWN;
    struct hc_catalog cat;
    struct out o = {NULL, 0, 0};
    char *input = NULL, *arena_mem = NULL;
    size_t len = 0, pos = 0;
    struct hc_arena a;
    int rc = CLI_EXIT_USAGE;

    for (i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--explain") == 0) {
            explain = 1;
        } else if (strcmp(argv[i], "--catalog") == 0 && i + 1 < argc) {
            catdir = argv[++i];
        } else if (strcmp(argv[i], "-h") == 0 || strcmp(argv[i], "--help") == 0) {
            usage(stdout);
            return CLI_EXIT_OK;
        } else if (argv[i][0] == '-' && argv[i][1] != '\0') {
            fprintf(stderr, "holdcheck decide: unknown option '%s'\n", argv[i]);
            usage(stderr);
            return CLI_EXIT_USAGE;
        } else if (path == NULL) {
            path = argv[i];
        } else {
            fprintf(stderr, "holdcheck decide: more than one input file\n");
            usage(stderr);
            return CLI_EXIT_USAGE;
        }
    }
    if (cli_catalog_load(&cat, catdir) != HC_OK) {
        rc = CLI_EXIT_SOFTWARE;
        goto out;
    }
    if (cli_read_file(path ? path : "-", &input, &len) != 0)
        goto out;
    arena_mem = cli_xmalloc(CASE_ARENA);
    o.cap = 4 * OUT_FLUSH;
    o.data = cli_xmalloc(o.cap);

    /* The first case decides the layout: JSON Lines (each case on its own line, read only up
     * to the end of that line, so a broken line cannot swallow the next) or one document
     * spread over several lines (a pretty-printed case). */
    for (;;) {
        struct hc_case c;
        struct hc_decision dec;
        struct hc_diag d;
        size_t start, eol, limit;
        int case_line, r;

        hc_arena_init(&a, arena_mem, CASE_ARENA);
        while (pos < len && (input[pos] == ' ' || input[pos] == '\t' || input[pos] == '\r' ||
                             input[pos] == '\n'))
            if (input[pos++] == '\n')
                line++;
        if (pos >= len)
            break;
        case_line = line;
        start = pos;
        eol = start;
        while (eol < len && input[eol] != '\n')
            eol++;
        limit = layout == LAYOUT_LINES ? eol : len;
        r = hc_case_read(input, limit, &pos, line, &c, &a, &d);
        if (r == HC_EINVAL && layout == LAYOUT_UNKNOWN && d.line > case_line &&
            memchr(input + start, ':', eol - start) != NULL) {
            /* A first line holding fields is JSON Lines that broke off: say so on its line. */
            layout = LAYOUT_LINES;
            pos = start;
            hc_arena_init(&a, arena_mem, CASE_ARENA);
            r = hc_case_read(input, eol, &pos, line, &c, &a, &d);
        }
        if (r == HC_OK) {
            /* Nothing but spaces may follow a case on its line. */
            size_t k = pos;
            if (layout == LAYOUT_UNKNOWN)
                layout = pos <= eol ? LAYOUT_LINES : LAYOUT_DOCUMENT;
            while (k < len && (input[k] == ' ' || input[k] == '\t' || input[k] == '\r'))
                k++;
            if (k < len && input[k] != '\n') {
                hc_diag_set(&d, "", "more than one JSON value on a line", NULL);
                d.line = line + count_lines(input, start, k);
                r = HC_EINVAL;
            }
        }
        if (r == HC_OK) {
            line += count_lines(input, start, pos);
            r = hc_case_read_charges(&c, &cat, &a);
            if (r == HC_OK)
                r = hc_decide(&cat, &c, &dec, &d);
            if (r == HC_OK) {
                emit(&o, &cat, &c, &dec, explain);
                continue;
            }
            d.line = case_line;
        }
        if (r == HC_ENOMEM) {
            hc_diag_set(&d, "", "case too large", NULL);
            d.line = case_line;
        }
        bad = 1;
        emit_error(&o, d.line ? d.line : case_line, &d);
        if (layout != LAYOUT_LINES && d.line > case_line)
            break; /* a broken multi-line document cannot be resynchronised */
        if (layout == LAYOUT_UNKNOWN)
            layout = LAYOUT_LINES;
        if (r != HC_ERANGE) {
            pos = eol;
        }
    }
    out_flush(&o);
    if (fflush(stdout) != 0) {
        perror("holdcheck: write");
        rc = CLI_EXIT_SOFTWARE;
        goto out;
    }
    rc = bad ? CLI_EXIT_INPUT : CLI_EXIT_OK;
out:
    free(o.data);
    free(input);
    free(arena_mem);
    cli_catalog_free();
    return rc;
}
